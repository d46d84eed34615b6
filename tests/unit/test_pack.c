/* Agenda pack layout (qpl_*) on a hand-built meeting tree and the sample
 * report: page ranges and the agenda's page column, pack page numbers,
 * the report's own footer and "Agenda Item N", the bookmark tree, links,
 * structure, the not-for-publication page.  The report is freed before
 * the pack is finished, as quorum_pack_layout does (ASan sees any item
 * still pointing into it). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "dlist.h"
#include "layout.h"
#include "layout_tree.h"
#include "meeting.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

static quorum_doc *meeting(const char *time) {
    tree_arena = qarena_new(0);
    quorum_doc *doc = calloc(1, sizeof *doc);
    doc->arena = tree_arena;
    qnode *r = el(NULL, QN_MEETING, "meeting", "xml:lang", "en-GB", NULL);
    doc->root = r;
    elt(r, QN_BODY, "Cabinet");
    elt(r, QN_DATE, "2025-01-29");
    elt(r, QN_TIME, time);
    elt(r, QN_VENUE, "Council Chamber");
    elt(r, QN_PUBLISHED, "2025-01-21");
    el(r, QN_CLERK, "clerk", "name", "Democratic Services", "email", "ds@example.gov.uk", NULL);
    qnode *ms = el(r, QN_MEMBERSHIP, "membership", NULL);
    qnode *m = elt(ms, QN_MEMBER, "Councillor S. Martin");
    qdoc_attr_set(tree_arena, m, "role", "Chair", tree_pos);
    elt(ms, QN_MEMBER, "Councillor A. Ahmed");
    qnode *ag = el(r, QN_AGENDA, "agenda", NULL);
    qnode *i1 = el(ag, QN_AGENDA_ITEM, "item", "title", "Apologies for Absence", NULL);
    (void)i1;
    el(ag, QN_AGENDA_ITEM, "item", "title", "Progress Report", "report", "report.xml", NULL);
    qnode *i3 = el(ag, QN_AGENDA_ITEM, "item", "title", "Disposal of a Property",
                   "exempt-paragraph", "1 2", NULL);
    elt(i3, QN_PARA, "A description that can be published.");
    qnode *info = el(r, QN_INFORMATION, "information", NULL);
    elt(info, QN_HEADING, "Information for the public");
    elt(info, QN_PARA, "Meetings may be filmed.");
    return doc;
}

static void free_tree(quorum_doc *doc) {
    qarena_free(doc->arena);
    free(doc);
}

static quorum_doc *sample_report(quorum_diags *d) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/report.xml", root ? root : ".");
    quorum_doc *doc = quorum_doc_load(TE, path, d);
    assert_non_null(doc);
    return doc;
}

static const qdl_page *page(const qdlist *dl, int i) {
    return &QVEC_AT(&dl->pages, qdl_page, i);
}

/* The first text item on page i holding s, or NULL. */
static const qdl_item *find(const qdlist *dl, int i, const char *s) {
    const qdl_page *p = page(dl, i);
    size_t n = strlen(s);
    for (size_t k = 0; k < p->items.len; k++) {
        const qdl_item *it = &QVEC_AT(&p->items, qdl_item, k);
        if (it->kind != QDL_TEXT || it->len < n) continue;
        for (size_t o = 0; o + n <= it->len; o++)
            if (memcmp(it->text + o, s, n) == 0) return it;
    }
    return NULL;
}

static void test_pack(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    /* the report on its own, for comparison */
    quorum_doc *rep = sample_report(d);
    const char *fdir = font_dir();
    quorum_options o = {fdir, NULL};
    quorum_layout *alone = quorum_doc_layout(TE, rep, &o, d);
    assert_non_null(alone);
    int rpages = (int)alone->dl->pages.len;
    size_t routlines = alone->dl->outlines.len;
    assert_true(rpages > 10);

    quorum_doc *m = meeting("12:00");
    qpack_entry e[3];
    memset(e, 0, sizeof e);
    const char *nums[3] = {"1", "2", "3"};
    int k = 0;
    for (const qnode *x = qdoc_first_child_of(m->root, QN_AGENDA)->first; x; x = x->next, k++) {
        e[k].item = x;
        e[k].number = nums[k];
        e[k].title = qdoc_attr(x, "title");
        e[k].exempt = qdoc_attr(x, "exempt-paragraph");
    }
    e[1].in_pack = e[2].in_pack = 1;
    qpack_l *p = qpl_new(TE, fdir, d);
    assert_non_null(p);
    assert_int_equal(qpl_front(p, m, e, 3, 0, NULL), 0);
    assert_int_equal(qpl_report(p, &e[1], rep), 0);
    quorum_doc_free(rep); /* the pack must not need it any more */
    assert_int_equal(qpl_exempt(p, &e[2]), 0);
    quorum_layout *l = qpl_finish(p, e, 3, "2025-01-21");
    assert_non_null(l);
    const qdlist *dl = l->dl;
    int np = (int)dl->pages.len;

    /* page ranges: front matter, then the report whole, then one page */
    int front = e[1].first_page;
    assert_true(front >= 3); /* front sheet, agenda, information */
    assert_int_equal(e[1].last_page - e[1].first_page + 1, rpages);
    assert_int_equal(e[2].first_page, e[1].last_page + 1);
    assert_int_equal(e[2].last_page, np - 1);
    assert_int_equal(e[0].first_page, -1);

    /* the agenda's page column */
    assert_int_equal(e[0].col_page, -1);
    assert_true(e[1].col_page > 0 && e[1].col_page < front);
    const qdl_item *c1 = &QVEC_AT(&page(dl, e[1].col_page)->items, qdl_item, e[1].col_item);
    char want[64];
    snprintf(want, sizeof want, "%d - %d", front + 1, front + rpages);
    assert_int_equal(c1->len, strlen(want));
    assert_memory_equal(c1->text, want, c1->len);
    assert_float_equal(c1->x + c1->w, 595.28f - 56.7f, 0.05f); /* right-aligned */
    const qdl_item *c2 = &QVEC_AT(&page(dl, e[2].col_page)->items, qdl_item, e[2].col_item);
    snprintf(want, sizeof want, "%d", np);
    assert_memory_equal(c2->text, want, c2->len);
    assert_int_equal(c2->len, strlen(want));

    /* links from the agenda entries to the first pages */
    const qdl_anchor *an = &QVEC_AT(&dl->anchors, qdl_anchor, e[1].start_anchor);
    assert_int_equal(an->page, front);
    int linked = 0;
    for (int pg = 0; pg < front; pg++)
        for (size_t i = 0; i < page(dl, pg)->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&page(dl, pg)->items, qdl_item, i);
            if (it->kind == QDL_LINK && it->dest == e[1].start_anchor) linked = 1;
        }
    assert_true(linked);

    /* every page: its pack number, centred; reports keep "Page X of Y" */
    for (int pg = 0; pg < np; pg++) {
        snprintf(want, sizeof want, "Page %d", pg + 1);
        const qdl_item *it = NULL;
        const qdl_page *pp = page(dl, pg);
        for (size_t i = 0; i < pp->items.len; i++) {
            const qdl_item *x = &QVEC_AT(&pp->items, qdl_item, i);
            if (x->kind == QDL_TEXT && x->len == strlen(want) &&
                memcmp(x->text, want, x->len) == 0)
                it = x;
        }
        assert_non_null(it);
        assert_float_equal(it->x + it->w / 2, 595.28f / 2, 0.05f);
    }
    snprintf(want, sizeof want, "Page 1 of %d", rpages);
    assert_non_null(find(dl, front, want));
    snprintf(want, sizeof want, "Page %d of %d", rpages, rpages);
    assert_non_null(find(dl, e[1].last_page, want));
    assert_non_null(find(dl, front, "Agenda Item 2"));
    assert_null(find(dl, front + 1, "Agenda Item 2"));
    assert_null(find(dl, 1, "Page 1 of")); /* pack pages have no "of" */
    assert_non_null(find(dl, 1, "Cabinet, 29 January 2025 \xE2\x80\x93 Agenda"));

    /* front sheet and exempt page text */
    assert_non_null(find(dl, 0, "12.00 noon"));
    assert_non_null(find(dl, 0, "Councillor S. Martin (Chair), Councillor A. Ahmed"));
    assert_non_null(find(dl, np - 1, "NOT FOR PUBLICATION"));
    assert_non_null(find(dl, np - 1, "paragraphs 1 and 2"));
    int agenda_exempt = 0;
    for (int pg = 1; pg < front; pg++)
        if (find(dl, pg, "Exclusion of the public and press")) agenda_exempt = 1;
    assert_true(agenda_exempt);

    /* bookmarks in page order: front, Agenda, the information after it,
     * then the items with the report's own tree nested */
    assert_int_equal(dl->outlines.len, 2 + 1 + 3 + routlines);
    const qdl_outline *ol = dl->outlines.data;
    assert_string_equal(ol[0].title, "Cabinet \xE2\x80\x93 Wednesday, 29 January 2025");
    assert_string_equal(ol[1].title, "Agenda");
    assert_int_equal(ol[1].page, 1);
    assert_string_equal(ol[2].title, "Information for the public");
    assert_string_equal(ol[3].title, "1. Apologies for Absence");
    assert_string_equal(ol[4].title, "2. Progress Report");
    assert_int_equal(ol[4].page, front);
    for (size_t i = 0; i < routlines; i++) {
        assert_true(ol[5 + i].level >= 2);
        assert_in_range(ol[5 + i].page, front, e[1].last_page);
        assert_int_equal(ol[5 + i].level,
                         QVEC_AT(&alone->dl->outlines, qdl_outline, i).level + 1);
        assert_string_equal(ol[5 + i].title, QVEC_AT(&alone->dl->outlines, qdl_outline, i).title);
    }
    assert_string_equal(ol[5 + routlines].title, "3. Disposal of a Property");
    assert_int_equal(ol[5 + routlines].level, 1);
    assert_int_equal(ol[5 + routlines].page, np - 1);

    /* structure: the report hangs under a Part of the Document */
    int parts = 0;
    for (size_t i = 1; i < dl->elems.len; i++) {
        const qdl_elem *el2 = &QVEC_AT(&dl->elems, qdl_elem, i);
        if (el2->role == QR_PART && el2->parent == 0) parts++;
        assert_true(el2->parent >= 0 && (size_t)el2->parent < i);
    }
    assert_int_equal(parts, 2); /* the report and the exempt page */

    assert_string_equal(dl->title, "Cabinet \xE2\x80\x93 Wednesday, 29 January 2025 \xE2\x80\x93 Agenda");
    assert_string_equal(dl->author, "Democratic Services");
    assert_string_equal(dl->creation_date, "2025-01-21");
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);

    quorum_layout_free(l);
    quorum_layout_free(alone);
    free_tree(m);
    quorum_diags_free(d);
}

/* Supplement front sheet; times of day. */
static void test_supplement_front(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *fdir = font_dir();
    quorum_doc *m = meeting("19:05");
    qpack_entry e[1];
    memset(e, 0, sizeof e);
    e[0].item = qdoc_first_child_of(m->root, QN_AGENDA)->first;
    e[0].number = "1A";
    e[0].title = "Late Item";
    e[0].urgency = "The contract must be signed before 31 January.";
    qpack_l *p = qpl_new(TE, fdir, d);
    assert_int_equal(qpl_front(p, m, e, 1, 1, "2025-01-27"), 0);
    quorum_layout *l = qpl_finish(p, e, 1, "2025-01-27");
    const qdlist *dl = l->dl;
    assert_non_null(find(dl, 0, "Supplementary Agenda"));
    assert_non_null(find(dl, 0, "7.05 pm"));
    assert_non_null(find(dl, 0, "27 January 2025"));
    int found = 0;
    for (size_t pg = 1; pg < dl->pages.len; pg++)
        if (find(dl, (int)pg, "Late item. Reason for urgency: The contract")) found = 1;
    assert_true(found);
    assert_string_equal(dl->title,
                        "Cabinet \xE2\x80\x93 Wednesday, 29 January 2025 \xE2\x80\x93 Supplementary Agenda");
    quorum_layout_free(l);
    free_tree(m);
    quorum_diags_free(d);
}

static const char *ends(const char *s, const char *tail) {
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0 ? s : NULL;
}

/* The files of a pack for a PDF/A-3b copy: none before a layout, then the
 * meeting file, the report and its appendices in document order. */
static void test_pack_sources(void **state) {
    (void)state;
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/meeting.xml", root ? root : ".");
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, path, d);
    assert_non_null(p);
    assert_int_equal(quorum_pack_source_count(p), 0);
    assert_null(quorum_pack_source_path(p, 0));
    assert_int_equal(quorum_pack_check(TE, p, NULL, d), 0);
    quorum_layout *l = quorum_pack_layout(TE, p, NULL, d);
    assert_non_null(l);
    /* the report is sourced once however often it was read */
    assert_int_equal(quorum_pack_source_count(p), 4);
    assert_non_null(ends(quorum_pack_source_path(p, 0), "/meeting.xml"));
    assert_non_null(ends(quorum_pack_source_path(p, 1), "/report.xml"));
    assert_non_null(ends(quorum_pack_source_path(p, 2), "/appendix-1.xml"));
    assert_non_null(ends(quorum_pack_source_path(p, 3), "/appendix-2.xml"));
    assert_null(quorum_pack_source_path(p, 4));
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
}

/* A resolver over the sample meeting's folder that counts what it is
 * asked for (report.xml refused when `missing` is set). */
typedef struct sample_files {
    const char *dir;
    int missing;
    int asked;
    char names[16][64];
} sample_files;

static int sample_resolve(void *ctx, const char *name, char **data, size_t *len) {
    sample_files *s = ctx;
    if (s->asked < 16) snprintf(s->names[s->asked], sizeof s->names[0], "%s", name);
    s->asked++;
    if (s->missing && strcmp(name, "report.xml") == 0) return ENOENT;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    *data = test_slurp(path, len);
    return *data ? 0 : ENOENT;
}

static char *layout_text(const quorum_layout *l, size_t *n) {
    char *t = NULL;
    FILE *f = open_memstream(&t, n);
    assert_non_null(f);
    assert_int_equal(quorum_layout_write_text(l, f), QUORUM_OK);
    fclose(f);
    return t;
}

/* qpack_load_memory (the meeting harness's way in): the meeting file's
 * bytes under its name, every report and its files through the resolver,
 * give the pack its files give, page for page, with the same sources; a
 * report the resolver lacks is an I/O error naming it, as a missing file
 * is. */
static void test_pack_from_memory(void **state) {
    (void)state;
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/input/council-2025-01-29", root ? root : ".");
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    size_t len = 0;
    char *bytes = test_slurp_must(path, &len);
    quorum_diags *d = quorum_diags_new();
    quorum_pack *pf = quorum_pack_load(TE, path, d);
    sample_files files = {dir, 0, 0, {{0}}};
    quorum_pack *pm = qpack_load_memory(TE, bytes, len, path, sample_resolve, &files, d);
    assert_non_null(pf);
    assert_non_null(pm);
    assert_int_equal(files.asked, 0); /* reports are read when checked */
    assert_int_equal(quorum_pack_check(TE, pf, NULL, d), 0);
    assert_int_equal(quorum_pack_check(TE, pm, NULL, d), 0);
    assert_int_equal(files.asked, 3);
    assert_string_equal(files.names[0], "report.xml");
    assert_string_equal(files.names[1], "appendix-1.xml");
    assert_string_equal(files.names[2], "appendix-2.xml");
    quorum_layout *lf = quorum_pack_layout(TE, pf, NULL, d);
    quorum_layout *lm = quorum_pack_layout(TE, pm, NULL, d);
    assert_non_null(lf);
    assert_non_null(lm);
    assert_int_equal(files.asked, 6); /* read again to be laid out */
    size_t nf = 0, nm = 0;
    char *tf = layout_text(lf, &nf), *tm = layout_text(lm, &nm);
    assert_int_equal(nm, nf);
    assert_memory_equal(tm, tf, nf);
    assert_int_equal(quorum_pack_source_count(pm), quorum_pack_source_count(pf));
    for (size_t i = 0; i < quorum_pack_source_count(pf); i++)
        assert_string_equal(quorum_pack_source_path(pm, i), quorum_pack_source_path(pf, i));
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    free(tf);
    free(tm);
    quorum_layout_free(lf);
    quorum_layout_free(lm);
    quorum_pack_free(pf);
    quorum_pack_free(pm);
    quorum_diags_free(d);

    d = quorum_diags_new();
    sample_files none = {dir, 1, 0, {{0}}};
    pm = qpack_load_memory(TE, bytes, len, "/nonexistent/meeting.xml", sample_resolve,
                           &none, d);
    assert_non_null(pm);
    assert_true(quorum_pack_check(TE, pm, NULL, d) > 0);
    quorum_diag q;
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    for (size_t i = 0; quorum_diags_get(d, i, &q) == 0; i++)
        if (q.severity == QUORUM_ERROR) break;
    assert_string_equal(q.file, "/nonexistent/report.xml");
    assert_int_equal(q.cls, QUORUM_CLASS_IO);
    assert_string_equal(q.message, "cannot read file: No such file or directory");
    /* and a note at the line of the agenda that names it */
    size_t notes = 0;
    for (size_t i = 0; quorum_diags_get(d, i, &q) == 0; i++) {
        if (q.severity != QUORUM_NOTE || !strstr(q.message, "names the report")) continue;
        notes++;
        assert_string_equal(q.file, "/nonexistent/meeting.xml");
        assert_true(q.line > 0 && q.col > 0);
        assert_string_equal(q.message, "item 9 names the report \"report.xml\", "
                                       "which cannot be read");
    }
    assert_int_equal(notes, 1);
    quorum_pack_free(pm);
    quorum_diags_free(d);
    free(bytes);
}

/* qpl_new_styled: the style's header on the pack's own pages and on the
 * report's; an unknown style is refused with a diagnostic. */
static void test_pack_style(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    assert_null(qpl_new_styled(TE, NULL, "no-such-style", d));
    assert_true(quorum_diags_count_severity(d, QUORUM_ERROR) > 0);
    quorum_diags_free(d);

    d = quorum_diags_new();
    quorum_doc *m = meeting("12.00");
    quorum_doc *rep = sample_report(d);
    qpack_entry e[3];
    memset(e, 0, sizeof e);
    const char *titles[3] = {"Apologies for Absence", "Progress Report", "Disposal of a Property"};
    size_t k = 0;
    for (const qnode *x = qdoc_first_child_of(m->root, QN_AGENDA)->first; x; x = x->next) {
        if (x->type != QN_AGENDA_ITEM) continue;
        e[k].item = x;
        e[k].number = k == 0 ? "1" : k == 1 ? "2" : "3";
        e[k].title = titles[k];
        e[k].exempt = k == 2 ? "1 2" : NULL;
        e[k].in_pack = k > 0;
        k++;
    }
    qpack_l *p = qpl_new_styled(TE, NULL, "riverside", d);
    assert_non_null(p);
    assert_int_equal(qpl_front(p, m, e, 3, 0, NULL), 0);
    assert_int_equal(qpl_report(p, &e[1], rep), 0);
    quorum_doc_free(rep);
    assert_int_equal(qpl_exempt(p, &e[2]), 0);
    quorum_layout *l = qpl_finish(p, e, 3, NULL);
    assert_non_null(l);
    const qdlist *dl = l->dl;
    for (size_t pg = 0; pg < dl->pages.len; pg++)
        assert_non_null(find(dl, (int)pg, "Riverside Borough Council"));
    assert_non_null(find(dl, e[1].first_page, "Page 1 of"));
    quorum_layout_free(l);
    free_tree(m);
    quorum_diags_free(d);
}

/* A meeting whose open item 2 names report.xml, and that report with the
 * status field `status`, both from memory. */
static const char status_meeting[] =
    "<meeting xmlns=\"urn:quorum:report:1\"><body>Council</body>"
    "<date>2025-01-29</date><time>19:00</time><venue>Chamber</venue>"
    "<published>2025-01-21</published>"
    "<clerk name=\"Democratic Services\" email=\"ds@example.gov.uk\"/><agenda>"
    "<item title=\"Apologies\"/><item title=\"Land\" report=\"report.xml\"/>"
    "</agenda></meeting>";

static int status_resolve(void *ctx, const char *name, char **data, size_t *len) {
    if (strcmp(name, "report.xml") != 0) return ENOENT;
    char *s = NULL;
    FILE *f = open_memstream(&s, len);
    assert_non_null(f);
    fprintf(f, "<report xmlns=\"urn:quorum:report:1\"><front-sheet>"
               "<field role=\"title\">Land</field>"
               "<field role=\"status\">%s</field></front-sheet>"
               "<section><heading>Summary</heading><p>Heads of terms.</p></section>"
               "</report>", (const char *)ctx);
    fclose(f);
    *data = s;
    return 0;
}

/* The pack's layout refuses a report that is not open on an open item
 * even when no check ran first (a program using the library may skip
 * it): no layout, an error naming the item; an open one is laid out. */
static void test_layout_refuses_exempt_report(void **state) {
    (void)state;
    static const char *const withheld[] = {"Exempt", " PART 2 ", "Confidential",
                                           "Not for publication", "exmpt"};
    for (size_t i = 0; i < sizeof withheld / sizeof *withheld; i++) {
        quorum_diags *d = quorum_diags_new();
        quorum_pack *p = qpack_load_memory(TE, status_meeting, sizeof status_meeting - 1,
                                           "meeting.xml", status_resolve,
                                           (void *)withheld[i], d);
        assert_non_null(p);
        quorum_layout *l = quorum_pack_layout(TE, p, NULL, d);
        assert_null(l);
        int said = 0;
        for (size_t k = 0; k < quorum_diags_count(d); k++) {
            quorum_diag g;
            assert_int_equal(quorum_diags_get(d, k, &g), 0);
            if (g.severity == QUORUM_ERROR && strstr(g.message, "is not open") &&
                strstr(g.message, "item 2"))
                said = 1;
        }
        assert_true(said);
        quorum_pack_free(p);
        quorum_diags_free(d);
    }
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = qpack_load_memory(TE, status_meeting, sizeof status_meeting - 1,
                                       "meeting.xml", status_resolve, (void *)"Open", d);
    quorum_layout *l = quorum_pack_layout(TE, p, NULL, d);
    assert_non_null(l);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
}

/* quorum_pack_options.check: each report (with its appendices) read once,
 * checked and laid out, giving the pack and the diagnostics that
 * quorum_pack_check then quorum_pack_layout give; a report with an error
 * gives no pack, the error said once. */
static void test_pack_checked_once(void **state) {
    (void)state;
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/input/council-2025-01-29", root ? root : ".");
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    size_t len = 0;
    char *bytes = test_slurp_must(path, &len);
    quorum_diags *d2 = quorum_diags_new(), *d1 = quorum_diags_new();
    sample_files twice = {dir, 0, 0, {{0}}}, once = {dir, 0, 0, {{0}}};
    quorum_pack *p2 = qpack_load_memory(TE, bytes, len, path, sample_resolve, &twice, d2);
    quorum_pack *p1 = qpack_load_memory(TE, bytes, len, path, sample_resolve, &once, d1);
    assert_int_equal(quorum_pack_check(TE, p2, NULL, d2), 0);
    quorum_layout *l2 = quorum_pack_layout(TE, p2, NULL, d2);
    quorum_pack_options po = {0};
    po.check = 1;
    quorum_layout *l1 = quorum_pack_layout(TE, p1, &po, d1);
    assert_non_null(l2);
    assert_non_null(l1);
    assert_int_equal(twice.asked, 6);
    assert_int_equal(once.asked, 3);
    size_t n1 = 0, n2 = 0;
    char *t1 = layout_text(l1, &n1), *t2 = layout_text(l2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n2);
    for (int s = QUORUM_NOTE; s <= QUORUM_ERROR; s++)
        assert_int_equal(quorum_diags_count_severity(d1, (quorum_severity)s),
                         quorum_diags_count_severity(d2, (quorum_severity)s));
    free(t1);
    free(t2);
    quorum_layout_free(l1);
    quorum_layout_free(l2);
    quorum_pack_free(p1);
    quorum_pack_free(p2);
    quorum_diags_free(d1);
    quorum_diags_free(d2);
    free(bytes);

    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = qpack_load_memory(TE, status_meeting, sizeof status_meeting - 1,
                                       "meeting.xml", status_resolve, (void *)"Exempt", d);
    assert_non_null(p);
    assert_null(quorum_pack_layout(TE, p, &po, d));
    int said = 0;
    for (size_t k = 0; k < quorum_diags_count(d); k++) {
        quorum_diag g;
        assert_int_equal(quorum_diags_get(d, k, &g), 0);
        said += g.severity == QUORUM_ERROR && strstr(g.message, "is not open") != NULL;
    }
    assert_int_equal(said, 1);
    quorum_pack_free(p);
    quorum_diags_free(d);
}

/* The sample's report with a PDF appendix (an untagged PDF from
 * Ghostscript), through a resolver that counts how often it is asked for
 * the PDF. */
typedef struct pdf_files {
    sample_files sample;
    const char *pdf;  /* the PDF's path */
    int pdf_asked;
} pdf_files;

static int pdf_resolve(void *ctx, const char *name, char **data, size_t *len) {
    pdf_files *f = ctx;
    if (strcmp(name, "audit.pdf") == 0) {
        f->pdf_asked++;
        *data = test_slurp(f->pdf, len);
        return *data ? 0 : ENOENT;
    }
    int rc = sample_resolve(&f->sample, name, data, len);
    if (rc != 0 || strcmp(name, "report.xml") != 0) return rc;
    const char *end = strstr(*data, "</appendices>");
    assert_non_null(end);
    static const char app[] = "<appendix href=\"audit.pdf\" title=\"Audit\"/>";
    size_t at = (size_t)(end - *data);
    char *r = malloc(*len + sizeof app);
    assert_non_null(r);
    memcpy(r, *data, at);
    memcpy(r + at, app, sizeof app - 1);
    memcpy(r + at + sizeof app - 1, end, *len - at);
    free(*data);
    *data = r;
    *len += sizeof app - 1;
    return 0;
}

/* A report's PDF appendix is read and inspected once, however often the
 * report is read (here: checked, then read again for the layout), and the
 * later read lays out the bytes the first read hashed; the summary of
 * untagged PDFs at the end names it with its item. */
static void test_pdf_appendix_read_once(void **state) {
    (void)state;
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char dir[4096], path[4200], pdf[4200];
    snprintf(dir, sizeof dir, "%s/input/council-2025-01-29", root ? root : ".");
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    snprintf(pdf, sizeof pdf, "%s/tests/fuzz/corpus/pdfitem/untagged-ghostscript.pdf",
             root ? root : ".");
    size_t len = 0;
    char *bytes = test_slurp_must(path, &len);
    quorum_diags *d = quorum_diags_new();
    pdf_files f = {{dir, 0, 0, {{0}}}, pdf, 0};
    quorum_pack *p = qpack_load_memory(TE, bytes, len, path, pdf_resolve, &f, d);
    assert_non_null(p);
    assert_int_equal(quorum_pack_check(TE, p, NULL, d), 0);
    assert_int_equal(f.pdf_asked, 1);
    quorum_layout *l = quorum_pack_layout(TE, p, NULL, d);
    assert_non_null(l);
    assert_int_equal(f.pdf_asked, 1);
    assert_true(f.sample.asked >= 2 * 3); /* the report and its XML appendices: twice */
    int noted = 0;
    for (size_t k = 0; k < quorum_diags_count(d); k++) {
        quorum_diag g;
        assert_int_equal(quorum_diags_get(d, k, &g), 0);
        noted += g.severity == QUORUM_NOTE &&
                 strstr(g.message, "1 PDF is not tagged (audit.pdf (appendix of item 9))");
    }
    assert_int_equal(noted, 1);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
    free(bytes);
}

/* Every file of dir a is in dir b with the same bytes, and as many. */
static void same_folders(const char *a, const char *b) {
    DIR *da = opendir(a), *db = opendir(b);
    assert_non_null(da);
    assert_non_null(db);
    int na = 0, nb = 0;
    for (struct dirent *e; (e = readdir(da));) {
        if (e->d_name[0] == '.') continue;
        char pa[4200], pb[4200];
        snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
        size_t la = 0, lb = 0;
        char *ba = test_slurp_must(pa, &la), *bb = test_slurp_must(pb, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(ba, bb, la);
        free(ba);
        free(bb);
        na++;
    }
    for (struct dirent *e; (e = readdir(db));) nb += e->d_name[0] != '.';
    assert_int_equal(na, nb);
    assert_true(na >= 4); /* index, the report's page and PDF, the pack */
    closedir(da);
    closedir(db);
}

/* The sample meeting's folder, its file and its bytes (malloc'd). */
typedef struct sample_meeting {
    char dir[4096], path[4200];
    char *bytes;
    size_t len;
} sample_meeting;

static void sample_meeting_read(sample_meeting *m) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    snprintf(m->dir, sizeof m->dir, "%s/input/council-2025-01-29", root ? root : ".");
    snprintf(m->path, sizeof m->path, "%s/meeting.xml", m->dir);
    m->bytes = test_slurp_must(m->path, &m->len);
}

/* quorum_pack_publish of a checked pack makes each report's page and PDF
 * from the tree the pack's layout read (the check's read, then one more:
 * 6 resolver calls for the sample's report and two appendices, not 9), and
 * the same files as a pack published unchecked (each report read first)
 * and as quorum_pack_check_publish. */
static void test_site_reads_once(void **state) {
    (void)state;
    sample_meeting sm;
    sample_meeting_read(&sm);
    const char *dir = sm.dir, *path = sm.path;
    size_t len = sm.len;
    char *bytes = sm.bytes;
    char out1[] = "/tmp/quorum-site-XXXXXX", out2[] = "/tmp/quorum-site-XXXXXX";
    assert_non_null(mkdtemp(out1));
    assert_non_null(mkdtemp(out2));
    quorum_diags *d = quorum_diags_new();
    sample_files f = {dir, 0, 0, {{0}}}, g = {dir, 0, 0, {{0}}};
    quorum_pack *p = qpack_load_memory(TE, bytes, len, path, sample_resolve, &f, d);
    quorum_pack *q = qpack_load_memory(TE, bytes, len, path, sample_resolve, &g, d);
    assert_int_equal(quorum_pack_check(TE, p, NULL, d), 0);
    assert_int_equal(f.asked, 3);
    assert_int_equal(quorum_pack_publish(TE, p, NULL, out1, d), QUORUM_OK);
    assert_int_equal(f.asked, 6);
    assert_int_equal(quorum_pack_publish(TE, q, NULL, out2, d), QUORUM_OK);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    same_folders(out1, out2);
    /* checked and published in one (quorum_pack_check_publish): a new
     * site is checked as it is laid out, each file read once for the
     * check, the pack, the page and the PDF; one that is there is checked
     * first, its pages made from the check's read, and when they would
     * not change nothing is read again: once too */
    char out3[] = "/tmp/quorum-site-XXXXXX";
    assert_non_null(mkdtemp(out3));
    for (int k = 0; k < 2; k++) {
        sample_files h = {dir, 0, 0, {{0}}};
        quorum_pack *r = qpack_load_memory(TE, bytes, len, path, sample_resolve, &h, d);
        assert_int_equal(quorum_pack_check_publish(TE, r, NULL, 1, k ? out1 : out3, d),
                         QUORUM_OK);
        assert_int_equal(h.asked, 3);
        quorum_pack_free(r);
    }
    assert_int_equal(quorum_diags_count(d), 0);
    same_folders(out1, out3);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", out1, out2, out3);
    assert_int_equal(system(cmd), 0);
    quorum_pack_free(p);
    quorum_pack_free(q);
    quorum_diags_free(d);
    free(bytes);
}

/* quorum_pack_check_publish writes nothing, and makes no folder, after a
 * check's error, or its warning when strict; a warning alone publishes. */
static void test_check_publish_refuses(void **state) {
    (void)state;
    sample_meeting sm;
    sample_meeting_read(&sm);
    /* the meeting a day later: each report is for another meeting (a
     * warning); a date that is not one is an error */
    char *later = strdup(sm.bytes), *bad = strdup(sm.bytes);
    char *at = strstr(later, "<date>2025-01-29</date>");
    assert_non_null(at);
    memcpy(at, "<date>2025-01-30</date>", 23);
    at = strstr(bad, "<date>2025-01-29</date>");
    memcpy(at, "<date>2025-02-30</date>", 23);
    char base[] = "/tmp/quorum-site-XXXXXX", site[4200];
    assert_non_null(mkdtemp(base));
    snprintf(site, sizeof site, "%s/site", base);
    sample_files f = {sm.dir, 0, 0, {{0}}};
    const char *in[] = {bad, later, later};
    const int strict[] = {0, 1, 0};
    const quorum_status want[] = {QUORUM_INVALID_INPUT, QUORUM_INVALID_INPUT, QUORUM_OK};
    for (int k = 0; k < 3; k++) {
        quorum_diags *d = quorum_diags_new();
        quorum_pack *p = qpack_load_memory(TE, in[k], sm.len, sm.path, sample_resolve, &f, d);
        assert_non_null(p);
        assert_int_equal(quorum_pack_check_publish(TE, p, NULL, strict[k], site, d), want[k]);
        assert_true(quorum_diags_count_severity(d, k ? QUORUM_WARNING : QUORUM_ERROR) > 0);
        struct stat sb;
        assert_int_equal(stat(site, &sb) == 0, want[k] == QUORUM_OK);
        quorum_pack_free(p);
        quorum_diags_free(d);
    }
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
    free(later);
    free(bad);
    free(sm.bytes);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_supplement_front),
        cmocka_unit_test(test_pack_sources),
        cmocka_unit_test(test_pack_from_memory),
        cmocka_unit_test(test_pack_style),
        cmocka_unit_test(test_layout_refuses_exempt_report),
        cmocka_unit_test(test_pack_checked_once),
        cmocka_unit_test(test_site_reads_once),
        cmocka_unit_test(test_check_publish_refuses),
        cmocka_unit_test(test_pdf_appendix_read_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
