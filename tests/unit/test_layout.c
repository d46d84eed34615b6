/* Whole-document layout from a hand-built tree: pages, footers, outlines,
 * anchors, metadata, structure roles and margins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_util.h"

#include <unistd.h>

#include "dlist.h"
#include "layout_tree.h"
#include "test_engine.h"
#define TE test_engine()

static const char *LONG =
    "On 2 September 2022, the then Secretary of State for Levelling-up, "
    "Housing and Communities made directions under section 15(5) and (6) of "
    "the Local Government Act 1999 to implement an intervention package for "
    "Thurrock Council.";

static void check_bounds(const qdlist *dl);

static quorum_doc *sample(int nparas) {
    tree_arena = qarena_new(0);
    quorum_doc *doc = calloc(1, sizeof *doc);
    doc->arena = tree_arena;
    qnode *r = el(NULL, QN_REPORT, "report", "xml:lang", "en-GB", NULL);
    doc->root = r;
    qnode *fs = el(r, QN_FRONT_SHEET, NULL, NULL);
    elt(fs, QN_HEADING, "Report to Council");
    qnode *f = el(fs, QN_FIELD, NULL, "role", "title", "label", "Report Title", NULL);
    txt(f, "Progress on Improvement");
    f = el(fs, QN_FIELD, NULL, "role", "meeting-date", "label", "Date of Meeting",
           "date", "2025-01-29", NULL);
    txt(f, "Wednesday, 29 January 2025");
    f = el(fs, QN_FIELD, NULL, "role", "author", "label", "Report Author", NULL);
    txt(f, "Luke Tyson");
    el(fs, QN_FIELD, NULL, "role", "appendices", "label", "Appendices (if any)", NULL);

    qnode *s = el(r, QN_SECTION, NULL, "id", "summary", NULL);
    s->number = "1";
    elt(s, QN_HEADING, "Executive Summary");
    qnode *p = el(s, QN_PARA, "p", "numbered", "false", NULL);
    txt(p, "See ");
    qnode *ref = el(p, QN_REF, "ref", "to", "proposals", NULL);
    (void)ref;
    txt(p, " and the ");
    qnode *a = el(p, QN_LINK, "a", "href", "https://example.org/plan", NULL);
    txt(a, "plan");
    txt(p, ".");
    qnode *recs = el(s, QN_RECOMMENDATIONS, NULL, NULL);
    elt(recs, QN_LEAD_IN, "The Committee is recommended to:");
    qnode *rec = elt(recs, QN_RECOMMENDATION, "note the progress made");
    rec->number = "1.1";

    s = el(r, QN_SECTION, NULL, "id", "proposals", NULL);
    s->number = "2";
    elt(s, QN_HEADING, "Proposals – the rationale");
    for (int i = 0; i < nparas; i++) {
        p = elt(s, QN_PARA, LONG);
        p->number = qarena_printf(tree_arena, "2.%d", i + 1);
        if (i == 1) qdoc_attr_set(tree_arena, p, "xml:lang", "cy", tree_pos);
        if (i == 3) {
            qnode *ul = el(s, QN_LIST, "ul", NULL);
            elt(ul, QN_ITEM, "first item");
            qnode *li = elt(ul, QN_ITEM, "second item");
            qnode *ol = el(li, QN_LIST, "ol", "ordered", "true", NULL);
            elt(ol, QN_ITEM, "nested one");
        }
        if (i == 5) {
            qnode *t = el(s, QN_TABLE, NULL, "id", "t1", NULL);
            el(t, QN_COL, NULL, "width", "1*", NULL);
            el(t, QN_COL, NULL, "width", "2*", NULL);
            qnode *row = el(t, QN_ROW, NULL, "header", "true", NULL);
            elt(row, QN_CELL, "Head A");
            elt(row, QN_CELL, "Head B");
            for (int k = 0; k < 3; k++) {
                row = el(t, QN_ROW, NULL, NULL);
                qnode *c = el(row, QN_CELL, NULL, "fill", "#00FF00", "alt", "Green", NULL);
                txt(c, "G");
                elt(row, QN_CELL, LONG);
            }
        }
    }
    qnode *imp = el(r, QN_IMPLICATION, NULL, "type", "financial", NULL);
    imp->number = "3";
    elt(imp, QN_HEADING, "Financial Implications");
    p = elt(imp, QN_PARA, "No cost.");
    p->number = "3.1";
    el(imp, QN_SIGN_OFF, NULL, "name", "Sima Khiroya", "title", "Assistant Director",
       "date", "2025-01-08", NULL);
    qnode *aps = el(r, QN_APPENDICES, NULL, NULL);
    qnode *ap = el(aps, QN_APPENDIX, NULL, "id", "app1", NULL);
    ap->number = "1";
    elt(ap, QN_TITLE, "List of Outcomes");
    elt(ap, QN_SUBTITLE, "Second Report");
    qnode *as = el(ap, QN_SECTION, NULL, NULL);
    elt(as, QN_HEADING, "Outcomes");
    elt(as, QN_PARA, "Plain paragraph in the appendix.");
    qnode *ch = el(as, QN_BAR_CHART, NULL, "caption", "Ratings", NULL);
    qnode *bar = el(ch, QN_BAR, NULL, "label", "Nov 2024", NULL);
    el(bar, QN_SEGMENT, NULL, "value", "3", "fill", "#00B050", "label", "Green", NULL);
    el(bar, QN_SEGMENT, NULL, "value", "2", "fill", "#FFC000", "label", "Amber", NULL);
    return doc;
}

static void free_doc(quorum_doc *doc) {
    qarena_free(doc->arena);
    free(doc);
}

static quorum_layout *lay(quorum_doc *doc, quorum_diags *d) {
    quorum_options o = {font_dir(), NULL};
    quorum_layout *l = quorum_doc_layout(TE, doc, &o, d);
    if (getenv("QUORUM_TEST_DUMP") && l) quorum_layout_write_text(l, stdout);
    return l;
}

static int has_text(const qdl_page *pg, const char *s, const qdl_item **out) {
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
        if (it->kind == QDL_TEXT && it->len == strlen(s) && memcmp(it->text, s, it->len) == 0) {
            if (out) *out = it;
            return 1;
        }
    }
    return 0;
}

static void test_document(void **state) {
    (void)state;
    quorum_doc *doc = sample(12);
    quorum_diags *d = quorum_diags_new();
    quorum_layout *l = lay(doc, d);
    assert_non_null(l);
    qdlist *dl = l->dl;
    assert_string_equal(dl->title, "Progress on Improvement");
    assert_string_equal(dl->author, "Luke Tyson");
    assert_string_equal(dl->subject, "Report to Council, 29 January 2025");
    assert_string_equal(dl->lang, "en-GB");
    size_t np = dl->pages.len;
    assert_true(np >= 3);
    /* footers: "Page X of Y" on every page, artifacts */
    for (size_t p = 0; p < np; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        char buf[64];
        snprintf(buf, sizeof buf, "Page %zu of %zu", p + 1, np);
        const qdl_item *it = NULL;
        assert_true(has_text(pg, buf, &it));
        assert_int_equal(it->elem, QDL_ART_FOOTER);
        assert_true(has_text(pg, "Progress on Improvement", NULL));
        /* content stays inside the margins */
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *x = &QVEC_AT(&pg->items, qdl_item, i);
            if (x->kind != QDL_TEXT || x->elem < 0) continue;
            assert_true(x->x >= 56.6f);
            assert_true(x->x + x->w <= 595.28f - 56.6f);
            assert_true(x->y > 56.7f && x->y < 841.89f - 70.0f);
        }
    }
    /* outlines: sections and the appendix, in order */
    assert_true(dl->outlines.len >= 4);
    const qdl_outline *o0 = &QVEC_AT(&dl->outlines, qdl_outline, 0);
    assert_string_equal(o0->title, "1. Executive Summary");
    assert_int_equal(o0->level, 1);
    const qdl_outline *o1 = &QVEC_AT(&dl->outlines, qdl_outline, 1);
    assert_string_equal(o1->title, "2. Proposals – the rationale");
    int found_app = 0;
    for (size_t i = 0; i < dl->outlines.len; i++) {
        const qdl_outline *o = &QVEC_AT(&dl->outlines, qdl_outline, i);
        if (strcmp(o->title, "Appendix 1: List of Outcomes") == 0) {
            found_app = 1;
            /* appendix starts a page of its own: the bar is first */
            const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, o->page);
            const qdl_item *first = &QVEC_AT(&pg->items, qdl_item, 0);
            assert_int_equal(first->kind, QDL_TEXT);
            assert_int_equal((int)first->len, 10);
            assert_memory_equal(first->text, "Appendix 1", 10);
            const qdl_outline *next = &QVEC_AT(&dl->outlines, qdl_outline, i + 1);
            assert_int_equal(next->level, 2);
            assert_string_equal(next->title, "Outcomes");
        }
    }
    assert_true(found_app);
    /* every anchor placed; the ref links to the proposals section */
    for (size_t i = 0; i < dl->anchors.len; i++)
        assert_true(QVEC_AT(&dl->anchors, qdl_anchor, i).page >= 0);
    int links = 0, uri = 0, figure = 0, td_alt = 0, signoff = 0;
    for (size_t p = 0; p < np; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *x = &QVEC_AT(&pg->items, qdl_item, i);
            if (x->kind == QDL_LINK) {
                assert_int_equal(QVEC_AT(&dl->elems, qdl_elem, x->elem).role, QR_LINK);
                if (x->dest >= 0) links++;
                if (x->text && strcmp(x->text, "https://example.org/plan") == 0) uri++;
            }
            if (x->elem >= 0) {
                const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, x->elem);
                if (e->role == QR_FIGURE && e->alt && strstr(e->alt, "Green 3")) figure++;
                /* a rating's word reads for the cell's text: a Span in
                 * the cell (TH: first in its row, its row's header, as a
                 * rating first in its row is), not the cell's /Alt */
                qrole cell = QVEC_AT(&dl->elems, qdl_elem, e->parent).role;
                if (e->role == QR_SPAN && e->actual && strcmp(e->actual, "Green") == 0 &&
                    (cell == QR_TD || cell == QR_TH) && !e->alt)
                    td_alt++;
            }
            if (x->kind == QDL_TEXT && x->len == 12 && memcmp(x->text, "Sima Khiroya", 12) == 0) {
                assert_int_equal(x->face, QF_BOLD);
                signoff++;
            }
        }
    }
    assert_int_equal(links, 1);
    assert_int_equal(uri, 1);
    assert_true(figure > 0);
    assert_true(td_alt >= 3);
    assert_int_equal(signoff, 1);
    /* xml:lang on a paragraph reaches its structure element only */
    int cy = 0;
    for (size_t i = 0; i < dl->elems.len; i++) {
        const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, i);
        if (e->lang) { assert_string_equal(e->lang, "cy"); assert_int_equal(e->role, QR_P); cy++; }
    }
    assert_int_equal(cy, 1);
    assert_true(dl->fonts != NULL);
    check_bounds(dl);
    quorum_layout_free(l);
    quorum_diags_free(d);
    free_doc(doc);
}

/* Numbered paragraphs: number at the margin, text at margin + 36. */
static void test_hanging_numbers(void **state) {
    (void)state;
    quorum_doc *doc = sample(1);
    quorum_diags *d = quorum_diags_new();
    quorum_layout *l = lay(doc, d);
    assert_non_null(l);
    const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, 0);
    const qdl_item *num = NULL, *sec = NULL;
    assert_true(has_text(pg, "2.1", &num));
    assert_float_equal(num->x, 56.7, 0.01);
    assert_true(has_text(pg, "2.", &sec));
    assert_float_equal(sec->x, 56.7, 0.01);
    /* the paragraph text starts at the hanging indent on the same baseline */
    int ok = 0;
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *x = &QVEC_AT(&pg->items, qdl_item, i);
        if (x->kind == QDL_TEXT && x->len > 5 && memcmp(x->text, "On 2 ", 5) == 0) {
            assert_float_equal(x->x, 56.7 + 26, 0.01);
            assert_float_equal(x->y, num->y, 0.01);
            ok = 1;
        }
    }
    assert_true(ok);
    quorum_layout_free(l);
    quorum_diags_free(d);
    free_doc(doc);
}

static void test_missing_fonts_fail(void **state) {
    (void)state;
    quorum_doc *doc = sample(1);
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {"/nonexistent-font-dir", NULL};
    quorum_layout *l = quorum_doc_layout(TE, doc, &o, d);
    assert_null(l);
    assert_true(quorum_diags_count_severity(d, QUORUM_ERROR) > 0);
    quorum_diags_free(d);
    free_doc(doc);
}

/* Faces are read on first use: with only the regular face present, a
 * document using bold fails (with a diagnostic), one without succeeds. */
static void test_lazy_faces(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-fonts-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char src[4200], dst[4200];
    snprintf(src, sizeof src, "%s/LiberationSans-Regular.ttf", font_dir());
    snprintf(dst, sizeof dst, "%s/LiberationSans-Regular.ttf", dir);
    assert_int_equal(symlink(src, dst), 0);
    quorum_options o = {dir, NULL};

    tree_arena = qarena_new(0);
    quorum_doc plain = {0};
    plain.arena = tree_arena;
    plain.root = el(NULL, QN_REPORT, "report", NULL);
    qnode *p = elt(plain.root, QN_PARA, "Regular text only.");
    (void)p;
    quorum_diags *d = quorum_diags_new();
    quorum_layout *l = quorum_doc_layout(TE, &plain, &o, d);
    assert_non_null(l);
    assert_int_equal(quorum_diags_count(d), 0);
    quorum_layout_free(l);
    /* now with bold */
    qnode *b = el(plain.root, QN_PARA, "p", NULL);
    elt(b, QN_BOLD, "bold");
    l = quorum_doc_layout(TE, &plain, &o, d);
    assert_null(l);
    assert_true(quorum_diags_count_severity(d, QUORUM_ERROR) > 0);
    quorum_diags_free(d);
    qarena_free(tree_arena);
    unlink(dst);
    rmdir(dir);
}

static void check_bounds(const qdlist *dl) {
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *x = &QVEC_AT(&pg->items, qdl_item, i);
            assert_true(x->x >= 0 && x->x + x->w <= pg->width + 0.01f);
            assert_true(x->y >= 0 && x->y + (x->kind == QDL_TEXT ? 0 : x->h) <= pg->height);
            if (x->kind == QDL_TEXT && x->elem >= 0) assert_true(x->y < 841.89f - 70.0f);
        }
    }
}

/* Degenerate documents lay out without looping or leaving the page. */
static void test_degenerate(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {font_dir(), NULL};
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    doc.root = el(NULL, QN_REPORT, "report", NULL);
    /* empty report: one page with its footer */
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    assert_int_equal(l->dl->pages.len, 1);
    assert_string_equal(l->dl->lang, "en-GB");
    quorum_layout_free(l);
    /* lists nested 40 deep, a quote in a quote, an empty table, a table
     * with silly spans and widths, an unbreakable 2,000-character word */
    qnode *s = el(doc.root, QN_SECTION, NULL, NULL);
    qnode *parent = s;
    for (int i = 0; i < 40; i++) {
        qnode *ul = el(parent, QN_LIST, "ul", NULL);
        parent = elt(ul, QN_ITEM, "nested item text that wraps around a few times when narrow");
    }
    qnode *q = el(s, QN_QUOTE, NULL, NULL);
    qnode *q2 = el(q, QN_QUOTE, NULL, NULL);
    elt(q2, QN_PARA, "quoted");
    el(s, QN_TABLE, NULL, NULL);
    qnode *t = el(s, QN_TABLE, NULL, NULL);
    el(t, QN_COL, NULL, "width", "-5*", NULL);
    el(t, QN_COL, NULL, "width", "900mm", NULL);
    qnode *row = el(t, QN_ROW, NULL, "header", "true", NULL);
    el(row, QN_CELL, NULL, "colspan", "99", "rowspan", "-3", NULL);
    row = el(t, QN_ROW, NULL, "keep-with-next", "true", NULL);
    elt(row, QN_CELL, "x");
    qnode *c = el(row, QN_CELL, NULL, "rowspan", "50", "fill", "#zzzzzz", NULL);
    txt(c, "spans past the end");
    char *word = qarena_alloc(tree_arena, 2001);
    memset(word, 'W', 2000);
    elt(s, QN_PARA, word);
    l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    check_bounds(l->dl);
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

/* Images: sized from what the loader decoded (doc->images; no file is
 * opened: none exists here), named by the path beside the document; a
 * PNG's or JPEG's own aspect ratio gives the height, anything else a 4:3
 * box; width="40mm" is honoured.  The display list holds its own
 * reference to the pixels, each image once, so the layout outlives the
 * document. */
static qimage *decode_fixture(const char *rel) {
    char path[512];
    const char *srcdir = getenv("QUORUM_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/%s", srcdir ? srcdir : ".", rel);
    size_t n;
    unsigned char *b = test_slurp_must(path, &n);
    qimg_error e;
    qimage *im = qimage_decode(b, n, 0, &e);
    free(b);
    assert_non_null(im);
    return im;
}

static void test_image(void **state) {
    (void)state;
    /* 48 x 24 */
    qimage *png = decode_fixture("tests/fixtures/archive-image/chart.png");
    /* 16 x 8 (data/wide_jpeg.py): once drawn 4:3 like an unknown file */
    qimage *jpg = decode_fixture("tests/unit/data/wide.jpg");
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    doc.dir = "/nonexistent";
    doc.root = el(NULL, QN_REPORT, "report", NULL);
    el(doc.root, QN_IMAGE, NULL, "src", "logo.png", "alt", "Council logo", "width", "40mm", NULL);
    el(doc.root, QN_IMAGE, NULL, "src", "missing.jpg", "width", "80pt", NULL);
    el(doc.root, QN_IMAGE, NULL, "src", "./wide.jpg", "width", "3in", NULL);
    el(doc.root, QN_IMAGE, NULL, "src", "logo.png", "alt", "Council logo again", NULL);
    struct qdoc_image ims[3] = {
        {.path = "/nonexistent/logo.png", .src = "logo.png", .key = "logo.png",
         .beside = 1, .img = png},
        {.path = "/nonexistent/missing.jpg", .src = "missing.jpg",
         .key = "missing.jpg", .beside = 1, .err = 2},
        {.path = "/nonexistent/wide.jpg", .src = "./wide.jpg", .key = "wide.jpg",
         .beside = 1, .img = jpg},
    };
    doc.images = ims;
    doc.nimages = 3;
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {font_dir(), NULL};
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    /* the document's references go: the layout's keep the pixels */
    qimage_unref(png);
    qimage_unref(jpg);
    const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, 0);
    int n = 0;
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
        if (it->kind != QDL_IMAGE) continue;
        const qdl_elem *e = &QVEC_AT(&l->dl->elems, qdl_elem, it->elem);
        assert_int_equal(e->role, QR_FIGURE);
        assert_true(it->dest >= 0 && (size_t)it->dest < l->dl->images.len);
        const qdl_image *im = &QVEC_AT(&l->dl->images, qdl_image, it->dest);
        assert_string_equal(im->name, it->text);
        if (n == 0 || n == 3) {
            assert_string_equal(it->text, "/nonexistent/logo.png");
            assert_int_equal(it->dest, 0); /* drawn twice, held once */
            assert_ptr_equal(im->img, png);
            assert_int_equal(im->img->w, 48);
        }
        if (n == 0) {
            assert_float_equal(it->w, 40 * 72 / 25.4, 0.01);
            assert_float_equal(it->h, 20 * 72 / 25.4, 0.01);
            assert_string_equal(e->alt, "Council logo");
        } else if (n == 1) {
            assert_null(im->img); /* unreadable: the writer leaves it out */
            assert_float_equal(it->w, 80, 0.01);
            assert_float_equal(it->h, 60, 0.01);
        } else if (n == 2) {
            assert_string_equal(it->text, "/nonexistent/./wide.jpg");
            assert_ptr_equal(im->img, jpg);
            assert_true(im->img->dct[0] == 0xFF && im->img->dct[1] == 0xD8);
            assert_float_equal(it->w, 216, 0.01);
            assert_float_equal(it->h, 108, 0.01);
        }
        n++;
    }
    assert_int_equal(n, 4);
    assert_int_equal(l->dl->images.len, 3);
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

static int page_of_text(const qdlist *dl, const char *s) {
    for (size_t p = 0; p < dl->pages.len; p++)
        if (has_text(&QVEC_AT(&dl->pages, qdl_page, p), s, NULL)) return (int)p;
    return -1;
}

/* Whatever the space left at the bottom of a page, a subheading, a
 * paragraph ending in ':' and an all-bold paragraph are never left apart
 * from what they introduce. */
static void test_introducers_keep_with_next(void **state) {
    (void)state;
    quorum_options o = {font_dir(), NULL};
    quorum_diags *d = quorum_diags_new();
    int moved = 0;
    for (int kind = 0; kind < 3; kind++) {
        for (float w = 300; w <= 480; w += 0.5f) {
            tree_arena = qarena_new(0);
            quorum_doc doc = {0};
            doc.arena = tree_arena;
            doc.dir = "/nonexistent";
            doc.root = el(NULL, QN_REPORT, "report", NULL);
            /* two 4:3 boxes push the introducer towards the page bottom */
            el(doc.root, QN_IMAGE, NULL, "src", "a.jpg", "width", "480pt", NULL);
            el(doc.root, QN_IMAGE, NULL, "src", "b.jpg", "width",
               qarena_printf(tree_arena, "%.1fpt", w), NULL);
            if (kind == 0) {
                elt(doc.root, QN_SUBHEADING, "Intro");
                elt(doc.root, QN_PARA, "first item");
            } else {
                qnode *p = el(doc.root, QN_PARA, "p", NULL);
                if (kind == 1) txt(p, "Intro:");
                else elt(p, QN_BOLD, "Intro");
                qnode *ul = el(doc.root, QN_LIST, "ul", NULL);
                elt(ul, QN_ITEM, "first item");
                elt(ul, QN_ITEM, "second item");
            }
            quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
            assert_non_null(l);
            int a = page_of_text(l->dl, kind == 1 ? "Intro:" : "Intro");
            int b = page_of_text(l->dl, "first item");
            assert_true(a >= 0);
            assert_int_equal(a, b);
            moved += a > 0;
            quorum_layout_free(l);
            qarena_free(tree_arena);
        }
    }
    assert_true(moved > 0); /* the sweep did reach the page bottom */
    quorum_diags_free(d);
}

/* Heading roles in reading order ("1a" = H1, section heading), for
 * the no-skipped-level rule of PDF/UA: a subheading is H3 in a section,
 * H2 where only an H1 stands above, a nested section's heading one level
 * below its parent's (as its bookmark nests); without a front-sheet
 * heading the top-level sections are H1.  Only sections' headings are marked for the
 * style's band. */
static const char *heading_roles(const qdlist *dl, char *buf, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < dl->elems.len && o + 4 < cap; i++) {
        const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, i);
        if (e->role < QR_H1 || e->role > QR_H6) continue;
        if (o) buf[o++] = ' ';
        buf[o++] = (char)('1' + (e->role - QR_H1));
        if (e->section_head) buf[o++] = 's';
    }
    buf[o] = '\0';
    return buf;
}

static void test_heading_levels(void **state) {
    (void)state;
    quorum_options o = {font_dir(), NULL};
    quorum_diags *d = quorum_diags_new();
    char buf[128];
    for (int front = 1; front >= 0; front--) {
        tree_arena = qarena_new(0);
        quorum_doc doc = {0};
        doc.arena = tree_arena;
        doc.dir = "/nonexistent";
        qnode *r = doc.root = el(NULL, QN_REPORT, "report", NULL);
        if (front) {
            qnode *fs = el(r, QN_FRONT_SHEET, NULL, NULL);
            elt(fs, QN_HEADING, "Report to Council");
        }
        elt(r, QN_SUBHEADING, "Before the sections");
        qnode *s = el(r, QN_SECTION, NULL, NULL);
        elt(s, QN_HEADING, "Summary");
        elt(s, QN_SUBHEADING, "Milestones");
        qnode *nested = el(s, QN_SECTION, NULL, NULL);
        elt(nested, QN_HEADING, "Nested");
        elt(nested, QN_SUBHEADING, "In the nested section");
        qnode *ap = el(el(r, QN_APPENDICES, NULL, NULL), QN_APPENDIX, NULL, NULL);
        elt(ap, QN_TITLE, "List of Outcomes");
        elt(ap, QN_SUBHEADING, "Straight under the title");
        qnode *as = el(ap, QN_SECTION, NULL, NULL);
        elt(as, QN_HEADING, "Outcomes");
        elt(as, QN_SUBHEADING, "Outcome 1");
        quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
        assert_non_null(l);
        assert_string_equal(heading_roles(l->dl, buf, sizeof buf),
                            front ? "1 2 2s 3 3s 4 1 2 2s 3" : "1 1s 2 2s 3 1 2 2s 3");
        quorum_layout_free(l);
        qarena_free(tree_arena);
    }
    quorum_diags_free(d);
}

/* /ListNumbering says how the labels count: bullets, the items' own
 * labels ("a." in Appendix 1's criteria: LowerAlpha, not Disc), a marker
 * pattern's counter, labels that do not count. */
static void test_list_numbering(void **state) {
    (void)state;
    quorum_options o = {font_dir(), NULL};
    quorum_diags *d = quorum_diags_new();
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    doc.dir = "/nonexistent";
    qnode *r = doc.root = el(NULL, QN_REPORT, "report", NULL);
    qnode *s = el(r, QN_SECTION, NULL, NULL);
    elt(s, QN_HEADING, "Lists");
    static const struct { const char *name, *marker, *label; qdl_numbering want; } L[] = {
        {"ul", NULL, NULL, QDL_NUM_DISC},
        {"ul", NULL, "a.", QDL_NUM_LOWER_ALPHA},
        {"ul", NULL, "(3)", QDL_NUM_DECIMAL},
        {"ul", NULL, "B)", QDL_NUM_UPPER_ALPHA},
        {"ul", NULL, "Step 1", QDL_NUM_NONE},
        {"ol", NULL, NULL, QDL_NUM_DECIMAL},
        {"ol", "(i)", NULL, QDL_NUM_LOWER_ROMAN},
        {"ol", "I.", NULL, QDL_NUM_UPPER_ROMAN},
        {"ol", "A.", NULL, QDL_NUM_UPPER_ALPHA},
        {"ol", "a)", NULL, QDL_NUM_LOWER_ALPHA},
    };
    size_t n = sizeof L / sizeof L[0];
    for (size_t i = 0; i < n; i++) {
        qnode *list = el(s, QN_LIST, L[i].name, L[i].marker ? "marker" : NULL, L[i].marker, NULL);
        qnode *it = el(list, QN_ITEM, "li", L[i].label ? "label" : NULL, L[i].label, NULL);
        txt(it, "An item");
    }
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    size_t k = 0;
    for (size_t i = 0; i < l->dl->elems.len; i++) {
        const qdl_elem *e = &QVEC_AT(&l->dl->elems, qdl_elem, i);
        if (e->role != QR_L) continue;
        assert_true(k < n);
        assert_int_equal(e->numbering, L[k].want);
        k++;
    }
    assert_int_equal(k, n);
    quorum_layout_free(l);
    qarena_free(tree_arena);
    quorum_diags_free(d);
}

/* A word in a narrow fixed column ("Complete" in 12 mm) is not cut while
 * another column has room: the column widens; a word wider than half
 * the table still is (a long address does not squeeze the rest). */
static void test_words_fit_columns(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    doc.root = el(NULL, QN_REPORT, "report", NULL);
    qnode *t = el(doc.root, QN_TABLE, NULL, NULL);
    el(t, QN_COL, NULL, "width", "1*", NULL);
    el(t, QN_COL, NULL, "width", "12mm", NULL);
    qnode *r = el(t, QN_ROW, NULL, NULL);
    elt(r, QN_CELL, "Depot");
    elt(r, QN_CELL, "Complete");
    r = el(t, QN_ROW, NULL, NULL);
    elt(r, QN_CELL, "Road");
    elt(r, QN_CELL, "https://www.example.gov.uk/a/very/long/address/that/no/column/"
                    "could/hold/on/one/line/of/any/page");
    quorum_diags *d = quorum_diags_new();
    quorum_layout *l = lay(&doc, d);
    assert_non_null(l);
    const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, 0);
    assert_true(has_text(pg, "Complete", NULL));
    assert_false(has_text(pg, "Compl", NULL));
    /* the address is cut: no item holds all of it */
    assert_true(has_text(pg, "Road", NULL));
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
        assert_false(it->kind == QDL_TEXT && it->len > 60);
    }
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

/* An item's own label wider than the list's indent ("4.4. 4.12ii)", as
 * a council's minutes number an action) pushes the text right: the label
 * never runs into it.  Labels that fit leave the indent as it was. */
static void test_wide_own_label(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    doc.dir = "/nonexistent";
    qnode *r = doc.root = el(NULL, QN_REPORT, "report", NULL);
    qnode *s = el(r, QN_SECTION, NULL, NULL);
    elt(s, QN_HEADING, "Actions");
    qnode *list = el(s, QN_LIST, "ol", NULL);
    qnode *it = el(list, QN_ITEM, "li", "label", "4.4. 4.12ii)", NULL);
    txt(it, "Wideword");
    quorum_diags *d = quorum_diags_new();
    quorum_layout *l = lay(&doc, d);
    assert_non_null(l);
    const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, 0);
    const qdl_item *label = NULL, *text = NULL;
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *x = &QVEC_AT(&pg->items, qdl_item, i);
        if (x->kind != QDL_TEXT) continue;
        if (x->len >= 4 && memcmp(x->text, "4.4.", 4) == 0) label = x;
        if (x->len >= 8 && memcmp(x->text, "Wideword", 8) == 0) text = x;
    }
    assert_non_null(label);
    assert_non_null(text);
    assert_true(label->w > 0);
    assert_true(label->x + label->w < text->x);
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_hanging_numbers),
        cmocka_unit_test(test_missing_fonts_fail),
        cmocka_unit_test(test_lazy_faces),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_image),
        cmocka_unit_test(test_introducers_keep_with_next),
        cmocka_unit_test(test_heading_levels),
        cmocka_unit_test(test_list_numbering),
        cmocka_unit_test(test_words_fit_columns),
        cmocka_unit_test(test_wide_own_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
