/* Test tool: lays out a fixed display list (every special character of the
 * seed texts, three faces, fills, rules, links, nested bookmarks, metadata)
 * without the rest of the pipeline and writes it with the PDF device.
 *
 *   dlist_pdf [OPTIONS] FONT_DIR OUT.pdf [PAGES]
 *                                        write; exit status = quorum_status
 *     --archive | --archive=1b | --archive=3b   PDF/A-1b or PDF/A-3b
 *     --attach FILE                      embed FILE (PDF/A-3b; repeatable)
 *     --date YYYY-MM-DD                  the display list's creation date
 *     --title TEXT                       replaces the fixed title
 *     --image FILE                       places a PNG or JPEG on page 1
 *                                        (decoded by src/image)
 *   dlist_pdf --text [PAGES]             print the text the PDF must yield
 *                                        (pdftotext's form: lines, \f per page)
 *   dlist_pdf --outline [PAGES]          print "level<TAB>title" per bookmark
 *   dlist_pdf --time REPORT.xml OUT.pdf N  lay out once, write the PDF N times
 *                                        tagged and N times untagged
 *                                        (interleaved), print the median ms
 *   dlist_pdf --struct REPORT.xml        lay out a real report and print the
 *                                        structure tree its tagged PDF must
 *                                        have, in the form of `pdfinfo
 *                                        -struct-text` (without the (block)
 *                                        and (inline) notes and OBJR lines)
 *   dlist_pdf --struct-pack MEETING.xml [MANIFEST]
 *                                        the same for the agenda pack of
 *                                        MEETING.xml (with MANIFEST: its
 *                                        supplement, as --since MANIFEST)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "dlist.h"
#include "font.h"
#include "quorum.h"

static const char *lines[] = {
    "Report to the Planning Committee \xE2\x80\x93 5 March 2025",
    "The council\xE2\x80\x99s \xE2\x80\x9C" "best value\xE2\x80\x9D duty applies.",
    "\xE2\x80\xA2 Budget: \xC2\xA3" "1,250,000 for the caf\xC3\xA9 refurbishment",
    "\xE2\x80\xA2 Ratings: Amber \xE2\x80\x93 Green, 12% of spend",
    "ASCII: (a) [b] {c} <d> & #1 ~ ^ _ | \\ / @ $ * + = ; : ! ?",
    "See https://example.org/report for the appendix.",
    "Jump to the recommendations on the last page.",
};
#define NLINES (sizeof lines / sizeof lines[0])

static const struct { int level; const char *title; } outline[] = {
    {1, "1. Introduction"},
    {2, "1.1 Background \xE2\x80\x93 \xE2\x80\x9Cscope\xE2\x80\x9D"},
    {2, "1.2 The council\xE2\x80\x99s duty"},
    {1, "2. Finance \xC2\xA3"},
    {2, "2.1 Caf\xC3\xA9 budget"},
    {3, "2.1.1 \xE2\x80\xA2 Detail"},
    {1, "3. Recommendations"},
};
#define NOUTLINE (sizeof outline / sizeof outline[0])

static qfont_face face_of_line(size_t i) {
    return i == 0 ? QF_BOLD : i == 3 ? QF_ITALIC : QF_REGULAR;
}

/* Line i of page p (the first page's lines carry the page number). */
static void line_text(char *buf, size_t cap, int page, size_t i) {
    if (i == 0) snprintf(buf, cap, "%s (page %d)", lines[0], page + 1);
    else snprintf(buf, cap, "%s", lines[i]);
}

/* ---- --struct: the expected structure tree, from the display list ----
 * Elements appear when their first content (or a descendant's) is drawn,
 * each under its parent in drawing order; text is kept per stretch
 * between child elements.  Link areas count after the page's content,
 * as the PDF device makes annotations after drawing a page. */
typedef struct sentry {
    int child;           /* >= 0: a child element; -1: text */
    char *text;
    size_t len, cap;
} sentry;

typedef struct snode {
    int made;
    sentry *e;
    size_t n, cap;
} snode;

static sentry *sadd(snode *n) {
    if (n->n == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 4;
        n->e = realloc(n->e, n->cap * sizeof *n->e);
        if (!n->e) abort();
    }
    sentry *e = &n->e[n->n++];
    memset(e, 0, sizeof *e);
    e->child = -1;
    return e;
}

static void smake(const qdlist *dl, snode *nodes, int e) {
    if (nodes[e].made) return;
    int parent = QVEC_AT(&dl->elems, qdl_elem, e).parent;
    if (parent >= 0 && parent < e) {
        smake(dl, nodes, parent);
        if (nodes[e].made) return; /* made with its row, below */
        sadd(&nodes[parent])->child = e;
    }
    nodes[e].made = 1;
    if (QVEC_AT(&dl->elems, qdl_elem, e).role == QR_TR)
        for (int c = qdl_next_cell(dl, e, e); c >= 0; c = qdl_next_cell(dl, e, c))
            smake(dl, nodes, c);
}

static void sprint(const qdlist *dl, const snode *nodes, int e, int depth) {
    const qdl_elem *el = &QVEC_AT(&dl->elems, qdl_elem, e);
    printf("%*s%s\n", depth * 2, "", qrole_name(el->role));
    if (el->role == QR_TH)
        printf("%*s/Scope /%s\n", depth * 2 + 2, "",
               el->scope == 1 ? "Row" : "Column");
    if ((el->role == QR_TH || el->role == QR_TD) && el->colspan > 1)
        printf("%*s/ColSpan %d\n", depth * 2 + 2, "", el->colspan);
    if ((el->role == QR_TH || el->role == QR_TD) && el->rowspan > 1)
        printf("%*s/RowSpan %d\n", depth * 2 + 2, "", el->rowspan);
    for (size_t i = 0; i < nodes[e].n; i++) {
        const sentry *s = &nodes[e].e[i];
        if (s->child >= 0) sprint(dl, nodes, s->child, depth + 1);
        else if (s->child == -2) printf("%*sLink\n", depth * 2 + 2, "");
        else if (s->len) printf("%*s\"%.*s\"\n", depth * 2 + 2, "", (int)s->len, s->text);
    }
}

/* The device's word spaces (pdf.c, ends_word): a run gets a trailing space
 * when the page's next text is in the same element or a child of it and on
 * a new line, apart on the same one or to its left, unless either side
 * already has one or the run ends in '-' or '/'. */
static int word_space(const qdlist *dl, const qdl_page *pg, size_t i) {
    const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
    char last = it->text[it->len - 1];
    if (last == ' ' || last == '-' || last == '/') return 0;
    for (size_t j = i + 1; j < pg->items.len; j++) {
        const qdl_item *nx = &QVEC_AT(&pg->items, qdl_item, j);
        if (nx->kind != QDL_TEXT || !nx->text || !nx->len) continue;
        int child = nx->elem >= 0 && QVEC_AT(&dl->elems, qdl_elem, nx->elem).parent == it->elem;
        if ((nx->elem != it->elem && !child) || nx->text[0] == ' ') return 0;
        float dy = nx->y - it->y;
        if (dy > 0.5f * it->size || dy < -0.5f * it->size) return 1;
        return nx->x > it->x + it->w + 0.2f * it->size || nx->x < it->x;
    }
    return 0;
}

static void print_tree(const qdlist *dl);

/* The tool's engine, with the variables the command maps (quorum --help,
 * "environment"), so it lays out as `quorum` does when run by a test. */
static quorum_engine *g_engine;
static void engine_free(void) { quorum_engine_free(g_engine); }
static const quorum_engine *engine(void) {
    if (g_engine) return g_engine;
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    const char *fd = getenv("QUORUM_FONT_DIR"), *sd = getenv("QUORUM_STYLE_DIR");
    o.font_dir = fd && *fd ? fd : NULL;
    o.style_dir = sd && *sd ? sd : NULL;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) o.source_date_epoch = atoll(sde);
    quorum_diags *d = quorum_diags_new();
    g_engine = quorum_engine_new(&o, d);
    if (!g_engine) {
        quorum_diags_print(d, stderr, 0);
        exit(3);
    }
    quorum_diags_free(d);
    atexit(engine_free);
    return g_engine;
}
#define TE engine()

/* A report, or with `pack` a meeting file's agenda pack (its supplement
 * since MANIFEST when since is given), as `quorum pack` lays it out. */
static int print_struct(const char *path, int pack, const char *since) {
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = NULL;
    quorum_pack *pk = NULL;
    quorum_layout *lay = NULL;
    if (pack) {
        pk = quorum_pack_load(TE, path, d);
        quorum_pack_options opt = {NULL, NULL, since, since != NULL, 0, NULL, NULL, NULL};
        if (pk && quorum_pack_check(TE, pk, NULL, d) == 0) lay = quorum_pack_layout(TE, pk, &opt, d);
    } else {
        doc = quorum_doc_load(TE, path, d);
        lay = doc ? quorum_doc_layout(TE, doc, NULL, d) : NULL;
    }
    if (!lay) {
        quorum_diags_print(d, stderr, 0);
        quorum_pack_free(pk);
        quorum_doc_free(doc);
        quorum_diags_free(d);
        return 1;
    }
    print_tree(lay->dl);
    quorum_layout_free(lay);
    quorum_pack_free(pk);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return 0;
}

static void print_tree(const qdlist *dl) {
    snode *nodes = calloc(dl->elems.len + 1, sizeof *nodes);
    if (!nodes) abort();
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (int links = 0; links < 2; links++)
            for (size_t i = 0; i < pg->items.len; i++) {
                const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
                if ((it->kind == QDL_LINK) != links) continue;
                if (links) {  /* a link area always gets a Link element */
                    if (it->dest >= 0 ? (size_t)it->dest >= dl->anchors.len ||
                                        QVEC_AT(&dl->anchors, qdl_anchor, it->dest).page < 0 ||
                                        (size_t)QVEC_AT(&dl->anchors, qdl_anchor, it->dest).page >= dl->pages.len
                                      : !it->text || !it->text[0])
                        continue;  /* the device leaves it out */
                    int e = it->elem >= 0 && (size_t)it->elem < dl->elems.len ? it->elem : 0;
                    smake(dl, nodes, e);
                    if (QVEC_AT(&dl->elems, qdl_elem, e).role != QR_LINK)
                        sadd(&nodes[e])->child = -2;
                    continue;
                }
                if (it->elem < 0 || (size_t)it->elem >= dl->elems.len) continue;
                const qdl_elem *el = &QVEC_AT(&dl->elems, qdl_elem, it->elem);
                if (el->role == QR_FIGURE && !(el->alt && el->alt[0]))
                    continue;  /* decorative: an artifact */
                if (it->kind == QDL_TEXT && (!it->text || !it->len)) continue;
                if (it->kind == QDL_IMAGE && !it->text) continue;
                smake(dl, nodes, it->elem);
                if (it->kind != QDL_TEXT) continue;
                snode *n = &nodes[it->elem];
                sentry *s = n->n && n->e[n->n - 1].child == -1 ? &n->e[n->n - 1] : sadd(n);
                if (s->len + it->len + 2 > s->cap) {
                    s->cap = (s->len + it->len + 2) * 2;
                    s->text = realloc(s->text, s->cap);
                    if (!s->text) abort();
                }
                memcpy(s->text + s->len, it->text, it->len);
                s->len += it->len;
                if (word_space(dl, pg, i)) s->text[s->len++] = ' ';
            }
    }
    if (dl->elems.len && nodes[0].made) sprint(dl, nodes, 0, 0);
    for (size_t e = 0; e < dl->elems.len; e++) {
        for (size_t i = 0; i < nodes[e].n; i++) free(nodes[e].e[i].text);
        free(nodes[e].e);
    }
    free(nodes);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the machine is shared */
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int time_writes(const char *report, const char *out, int n) {
    if (n < 1 || n > 1000) n = 10;
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, report, d);
    quorum_layout *lay = doc ? quorum_doc_layout(TE, doc, NULL, d) : NULL;
    if (!lay) {
        quorum_diags_print(d, stderr, 0);
        return 1;
    }
    double *t[2] = {calloc((size_t)n, sizeof(double)), calloc((size_t)n, sizeof(double))};
    if (!t[0] || !t[1]) abort();
    for (int i = 0; i < n; i++)
        for (int untagged = 0; untagged < 2; untagged++) {
            quorum_pdf_options o = {0, NULL, 0, untagged, 0};
            double t0 = now_ms();
            if (quorum_layout_write_pdf_opts(lay, out, &o, d) != QUORUM_OK) {
                quorum_diags_print(d, stderr, 0);
                return 1;
            }
            t[untagged][i] = now_ms() - t0;
        }
    qsort(t[0], (size_t)n, sizeof(double), cmp_double);
    qsort(t[1], (size_t)n, sizeof(double), cmp_double);
    printf("PDF write, CPU time, median of %d: tagged %.1f ms, untagged %.1f ms, "
           "tagging costs %.1f ms (%.0f%%) for %zu pages\n", n, t[0][n / 2],
           t[1][n / 2], t[0][n / 2] - t[1][n / 2],
           100.0 * (t[0][n / 2] - t[1][n / 2]) / t[1][n / 2],
           quorum_layout_page_count(lay));
    free(t[0]);
    free(t[1]);
    quorum_layout_free(lay);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return 0;
}

/* The file decoded as the loader decodes a report's images (NULL when it
 * cannot be, and the PDF device leaves it out). */
static const qimage *read_image(const char *path) {
    unsigned char *b = NULL;
    size_t n = 0;
    if (qfile_read(path, 0, QIMG_MAX_BYTES, &b, &n) != 0) return NULL;
    qimg_error e;
    qimage *im = qimage_decode(b, n, 0, &e);
    free(b);
    return im;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "--time") == 0)
        return time_writes(argv[2], argv[3], atoi(argv[4]));
    if (argc == 3 && strcmp(argv[1], "--struct") == 0) return print_struct(argv[2], 0, NULL);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "--struct-pack") == 0)
        return print_struct(argv[2], 1, argc == 4 ? argv[3] : NULL);
    if (argc >= 2 && (strcmp(argv[1], "--text") == 0 ||
                      strcmp(argv[1], "--outline") == 0)) {
        int pages = argc >= 3 ? atoi(argv[2]) : 3;
        if (strcmp(argv[1], "--outline") == 0) {
            for (size_t i = 0; i < NOUTLINE; i++)
                printf("%d\t%s\n", outline[i].level, outline[i].title);
            return 0;
        }
        char buf[256];
        for (int p = 0; p < pages; p++) {
            for (size_t i = 0; i < NLINES; i++) {
                line_text(buf, sizeof buf, p, i);
                printf("%s\n", buf);
            }
            fputs("\n\f", stdout); /* pdftotext ends a block with an empty line */
        }
        return 0;
    }
    quorum_pdf_options opt = {0, NULL, 0, 0, 0};
    const char **attach = calloc((size_t)argc + 1, sizeof *attach);
    int nattach = 0;
    const char *date = NULL, *title = NULL, *image = NULL;
    int argi = 1;
    for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
        const char *a = argv[argi];
        if (strcmp(a, "--archive") == 0 || strcmp(a, "--archive=1b") == 0)
            opt.archive = 1;
        else if (strcmp(a, "--archive=3b") == 0)
            opt.archive = 3;
        else if (strcmp(a, "--attach") == 0 && argi + 1 < argc)
            attach[nattach++] = argv[++argi];
        else if (strcmp(a, "--date") == 0 && argi + 1 < argc)
            date = argv[++argi];
        else if (strcmp(a, "--title") == 0 && argi + 1 < argc)
            title = argv[++argi];
        else if (strcmp(a, "--image") == 0 && argi + 1 < argc)
            image = argv[++argi];
        else {
            fprintf(stderr, "dlist_pdf: unknown option %s\n", a);
            return 2;
        }
    }
    if (nattach) opt.attachments = attach;
    argc -= argi - 1;
    argv += argi - 1;
    if (argc < 3) {
        fprintf(stderr, "usage: dlist_pdf [OPTIONS] FONT_DIR OUT.pdf [PAGES]\n");
        return 2;
    }
    int pages = argc >= 4 ? atoi(argv[3]) : 3;
    if (pages < 1) pages = 1;
    quorum_diags *d = quorum_diags_new();
    static qfont_cache *cache;
    cache = qfont_cache_new();
    qfonts *fonts = qfonts_new(cache, argv[1]);
    qdlist *dl = qdlist_new(fonts);
    dl->title = "The council\xE2\x80\x99s report \xE2\x80\x93 \xE2\x80\x9CQuorum\xE2\x80\x9D test";
    dl->author = "Democratic Services, Caf\xC3\xA9 Team";
    dl->subject = "PDF device test";
    dl->keywords = "quorum, test, \xC2\xA3";
    dl->lang = "en-GB";
    if (title) dl->title = title;
    if (date) dl->creation_date = date;
    int anchor = qdlist_add_anchor(dl);
    char buf[256];
    for (int p = 0; p < pages; p++) {
        qdl_page *pg = qdlist_add_page(dl, 595.28f, 841.89f);
        /* a header band and a rule under it */
        qdl_item *it = qdlist_add_item(dl, pg, QDL_FILL, -1);
        it->x = 56; it->y = 40; it->w = 483; it->h = 24; it->color = 0xE8EEF4;
        it = qdlist_add_item(dl, pg, QDL_RULE, -1);
        it->x = 56; it->y = 70; it->w = 483; it->h = 0; it->size = 0.75f;
        it->color = 0x1F4E79;
        if (image && p == 0) {
            it = qdlist_add_item(dl, pg, QDL_IMAGE, 0);
            it->x = 400; it->y = 600; it->w = 100; it->h = 100;
            it->text = image;
            const qimage *im = read_image(image);
            it->dest = qdlist_add_image(dl, image, im);
            qimage_unref(im);
        }
        float y = 100;
        for (size_t i = 0; i < NLINES; i++, y += 22) {
            line_text(buf, sizeof buf, p, i);
            qfont_face face = face_of_line(i);
            qfont *f = qfonts_face(fonts, face, d);
            if (!f) {
                quorum_diags_print(d, stderr, 0);
                return 3;
            }
            f->used = 1;
            it = qdlist_add_item(dl, pg, QDL_TEXT, 0);
            it->x = 56; it->y = y; it->face = (unsigned char)face;
            it->size = i == 0 ? 14 : 11;
            it->color = i == 0 ? 0x1F4E79 : i == 3 ? 0xC00000 : 0x000000;
            it->text = qarena_strdup(dl->arena, buf);
            it->len = (unsigned)strlen(buf);
            float wdt = (float)qfont_text_width(f, it->text, it->len, it->size);
            if (i == 5) {  /* URI link over the line */
                qdl_item *lk = qdlist_add_item(dl, pg, QDL_LINK, 0);
                lk->x = 56; lk->y = y - 9; lk->w = wdt; lk->h = 12;
                lk->text = "https://example.org/report";
            } else if (i == 6) {  /* internal link to the last page */
                qdl_item *lk = qdlist_add_item(dl, pg, QDL_LINK, 0);
                lk->x = 56; lk->y = y - 9; lk->w = wdt; lk->h = 12;
                lk->dest = anchor;
            }
        }
        if (p == pages - 1) {
            qdl_anchor *a = &QVEC_AT(&dl->anchors, qdl_anchor, anchor);
            a->page = p;
            a->y = 100 - 14;
        }
    }
    for (size_t i = 0; i < NOUTLINE; i++) {
        int page = (int)(i * (size_t)pages / NOUTLINE);
        qdlist_add_outline(dl, outline[i].title, outline[i].level, page,
                           100 + 22.0f * (float)(i % NLINES) - 14);
    }
    quorum_layout l = {dl};
    quorum_status st = opt.archive
                           ? quorum_layout_write_pdf_opts(&l, argv[2], &opt, d)
                           : quorum_layout_write_pdf(&l, argv[2], d);
    quorum_diags_print(d, stderr, 0);
    free(attach);
    qdlist_free(dl);
    qfont_cache_free(cache);
    quorum_diags_free(d);
    return (int)st;
}
