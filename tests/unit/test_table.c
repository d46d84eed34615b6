/* Table column widths and split planning (pure functions), and a long
 * table laid out through the whole pipeline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dlist.h"
#include "layout.h"
#include "layout_tree.h"
#include "test_engine.h"
#define TE test_engine()
#define TE test_engine()

static void test_col_widths(void **state) {
    (void)state;
    float w[4];
    const char *a[2] = {"1*", "2*"};
    qlayout_col_widths(a, 2, 300, w);
    assert_float_equal(w[0], 100, 1e-3);
    assert_float_equal(w[1], 200, 1e-3);
    const char *b[3] = {"40%", "1*", "30mm"};
    qlayout_col_widths(b, 3, 400, w);
    assert_float_equal(w[0], 160, 1e-3);
    assert_float_equal(w[2], 30 * 72 / 25.4, 1e-3);
    assert_float_equal(w[1], 400 - 160 - 30 * 72 / 25.4, 1e-3);
    qlayout_col_widths(NULL, 4, 200, w);          /* no cols: equal */
    for (int i = 0; i < 4; i++) assert_float_equal(w[i], 50, 1e-3);
    const char *c[2] = {"300pt", "200pt"};        /* too wide: scaled */
    qlayout_col_widths(c, 2, 250, w);
    assert_float_equal(w[0], 150, 1e-3);
    assert_float_equal(w[1], 100, 1e-3);
    /* every unit of the one length parser; a bare number is a share */
    const char *e[4] = {"5cm", "1in", "2", "1*"};
    qlayout_col_widths(e, 4, 400, w);
    assert_float_equal(w[0], 141.732, 1e-3);
    assert_float_equal(w[1], 72, 1e-3);
    assert_float_equal(w[2], 2 * w[3], 1e-3);
    assert_float_equal(w[0] + w[1] + w[2] + w[3], 400, 1e-3);
    /* numbers past every bound (they once gave NaN widths) count as one
     * share each */
    const char *f[3] = {"1000000000000000000000000000000000000000000000000000000000000in",
                        "1000000000000000000000000000000000000000*", "1*"};
    qlayout_col_widths(f, 3, 300, w);
    for (int i = 0; i < 3; i++) assert_float_equal(w[i], 100, 1e-3);
}

/* <col width="5cm"> is 5 cm wide (141.73 pt) through the whole layout: the
 * cell's fill spans it and the next column starts there.  (It was once
 * read as 5 star shares.) */
static void test_cm_column_layout(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    qnode *r = el(NULL, QN_REPORT, "report", NULL);
    doc.root = r;
    qnode *t = el(r, QN_TABLE, NULL, NULL);
    el(t, QN_COL, NULL, "width", "5cm", NULL);
    el(t, QN_COL, NULL, "width", "1*", NULL);
    qnode *row = el(t, QN_ROW, NULL, NULL);
    qnode *c = el(row, QN_CELL, NULL, "fill", "#FFC000", NULL);
    txt(c, "Five");
    elt(row, QN_CELL, "Rest");
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {font_dir(), NULL};
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, 0);
    const qdl_item *fill = NULL, *five = NULL, *rest = NULL;
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
        if (it->kind == QDL_FILL && it->color == 0xFFC000) fill = it;
        if (it->kind == QDL_TEXT && it->len == 4 && memcmp(it->text, "Five", 4) == 0) five = it;
        if (it->kind == QDL_TEXT && it->len == 4 && memcmp(it->text, "Rest", 4) == 0) rest = it;
    }
    assert_non_null(fill);
    assert_non_null(five);
    assert_non_null(rest);
    assert_float_equal(fill->w, 141.73, 0.01);
    assert_float_equal(rest->x - five->x, 141.73, 0.01); /* same padding in both */
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

/* Simple rows: one cell of n lines of lh, padding pad. */
typedef struct rowbuf {
    qtrow rows[256];
    qtcell cells[256];
    float bottoms[256][64];
} rowbuf;
static rowbuf rb;

static void mkrow(int i, int nlines, float lh, float pad) {
    for (int k = 0; k < nlines; k++) rb.bottoms[i][k] = lh * (float)(k + 1);
    rb.cells[i].nlines = nlines;
    rb.cells[i].bottom = rb.bottoms[i];
    rb.cells[i].pad = pad;
    rb.rows[i].h = lh * (float)nlines + pad;
    rb.rows[i].keep_next = 0;
    rb.rows[i].ncells = 1;
    rb.rows[i].cells = &rb.cells[i];
    rb.rows[i].lead_only = rb.rows[i].head_after = 0;
}

/* rows (index) placed on page p, excluding repeats */
static int rows_on_page(const qtplan *p, int page, int *first, int *repeats) {
    int n = 0;
    *repeats = 0;
    *first = -1;
    for (size_t i = 0; i < p->nsegs; i++) {
        if (p->segs[i].page != page) continue;
        if (p->segs[i].repeat) { (*repeats)++; continue; }
        if (*first < 0) *first = p->segs[i].row;
        n++;
    }
    return n;
}

static void check_fits(const qtplan *p, float first_avail, float page_avail) {
    for (size_t i = 0; i < p->nsegs; i++) {
        const qtseg *s = &p->segs[i];
        float avail = s->page == 0 ? first_avail : page_avail;
        assert_true(s->y + s->h <= avail + 1e-3);
    }
}

static void test_split_with_header(void **state) {
    (void)state;
    mkrow(0, 1, 12, 8);                       /* header 20 */
    for (int i = 1; i <= 10; i++) mkrow(i, 2, 11, 8);   /* rows of 30 */
    qtplan p = {0};
    qtable_plan(rb.rows, 11, 1, 100, 200, &p);
    int first, rep;
    assert_int_equal(rows_on_page(&p, 0, &first, &rep), 3);   /* header + 2 */
    assert_int_equal(rep, 0);
    assert_int_equal(rows_on_page(&p, 1, &first, &rep), 6);   /* 20 + 6*30 = 200 */
    assert_int_equal(rep, 1);
    assert_int_equal(first, 3);
    assert_int_equal(rows_on_page(&p, 2, &first, &rep), 2);
    assert_int_equal(rep, 1);
    assert_int_equal(first, 9);
    assert_int_equal(p.pages, 3);
    assert_float_equal(p.end_y, 80, 1e-3);
    check_fits(&p, 100, 200);
    /* no room for header + first row: the table starts on the next page */
    qtable_plan(rb.rows, 11, 1, 40, 200, &p);
    assert_int_equal(p.segs[0].page, 1);
    assert_int_equal(p.segs[0].repeat, 0);
    qtplan_free(&p);
}

/* A group heading before the header row (lead_only) is placed once and
 * not repeated; the header is repeated on the next page, and under a group
 * row that asks for it (head_after) on the same page. */
static void test_group_rows_and_header(void **state) {
    (void)state;
    mkrow(0, 1, 12, 8);                       /* group heading 20 */
    rb.rows[0].lead_only = 1;
    mkrow(1, 1, 12, 8);                       /* header 20 */
    for (int i = 2; i <= 11; i++) mkrow(i, 2, 11, 8);   /* rows of 30 */
    qtplan p = {0};
    qtable_plan(rb.rows, 12, 2, 200, 200, &p);
    int first, rep;
    assert_int_equal(rows_on_page(&p, 0, &first, &rep), 7);   /* 40 + 5*30 */
    assert_int_equal(rep, 0);
    assert_int_equal(rows_on_page(&p, 1, &first, &rep), 5);   /* the other 5 */
    assert_int_equal(rep, 1);
    for (size_t i = 0; i < p.nsegs; i++)
        if (p.segs[i].repeat) assert_int_equal(p.segs[i].row, 1);
    check_fits(&p, 200, 200);
    /* row 3 a group heading that asks for the header under it */
    rb.rows[3].head_after = rb.rows[3].keep_next = 1;
    qtable_plan(rb.rows, 12, 2, 200, 200, &p);
    int after = -1;
    for (size_t i = 1; i < p.nsegs; i++)
        if (p.segs[i - 1].row == 3 && !p.segs[i - 1].repeat) after = (int)i;
    assert_true(after > 0);
    assert_int_equal(p.segs[after].repeat, 1);
    assert_int_equal(p.segs[after].row, 1);
    assert_int_equal(p.segs[after].page, 0);
    assert_int_equal(p.segs[after + 1].row, 4);
    check_fits(&p, 200, 200);
    qtplan_free(&p);
    mkrow(3, 2, 11, 8);
}

static void test_keep_with_next_row(void **state) {
    (void)state;
    mkrow(0, 1, 12, 8);
    for (int i = 1; i <= 6; i++) mkrow(i, 2, 11, 8);
    qtplan p = {0};
    /* 20 + 30 + 30 = 80 fits in 100; row 3 does not */
    qtable_plan(rb.rows, 7, 1, 100, 200, &p);
    int first, rep;
    assert_int_equal(rows_on_page(&p, 0, &first, &rep), 3);
    /* row 2 keeps with row 3: it moves on with it */
    rb.rows[2].keep_next = 1;
    qtable_plan(rb.rows, 7, 1, 100, 200, &p);
    assert_int_equal(rows_on_page(&p, 0, &first, &rep), 2);
    assert_int_equal(rows_on_page(&p, 1, &first, &rep), 5);
    assert_int_equal(first, 2);
    /* the keep never empties a page: a chain of keeps longer than a page
     * is broken */
    for (int i = 1; i <= 6; i++) rb.rows[i].keep_next = 1;
    qtable_plan(rb.rows, 7, 1, 100, 100, &p);
    assert_true(p.pages >= 2);
    check_fits(&p, 100, 100);
    qtplan_free(&p);
}

static void test_row_taller_than_page(void **state) {
    (void)state;
    mkrow(0, 1, 12, 8);               /* header 20 */
    mkrow(1, 2, 11, 8);               /* 30 */
    /* row 2: two cells, 30 and 5 lines of 10, pad 8 -> 308 tall */
    for (int k = 0; k < 30; k++) rb.bottoms[2][k] = 10.0f * (float)(k + 1);
    for (int k = 0; k < 5; k++) rb.bottoms[3][k] = 10.0f * (float)(k + 1);
    qtcell cells[2] = {{30, rb.bottoms[2], 8}, {5, rb.bottoms[3], 8}};
    rb.rows[2].h = 308; rb.rows[2].ncells = 2; rb.rows[2].cells = cells;
    rb.rows[2].keep_next = 0;
    mkrow(3, 1, 12, 8);
    qtplan p = {0};
    qtable_plan(rb.rows, 4, 1, 100, 100, &p);
    check_fits(&p, 100, 100);
    /* every line of each cell placed exactly once, in order */
    int next[2] = {0, 0}, pieces = 0;
    for (size_t i = 0; i < p.nsegs; i++) {
        const qtseg *s = &p.segs[i];
        if (s->row != 2) continue;
        assert_true(s->lines >= 0);
        pieces++;
        for (int c = 0; c < 2; c++) {
            assert_int_equal(p.pool[s->lines + 2 * c], next[c]);
            next[c] = p.pool[s->lines + 2 * c + 1];
        }
    }
    assert_int_equal(next[0], 30);
    assert_int_equal(next[1], 5);
    /* first piece uses the rest of page 0 (100-50 = 50: 4 lines), then 7
     * lines per page under the repeated header (100-20-8 = 72) */
    assert_true(pieces >= 5);
    assert_int_equal(p.segs[p.nsegs - 1].row, 3);
    qtplan_free(&p);
}

static void test_line_taller_than_page_terminates(void **state) {
    (void)state;
    /* one cell whose lines are each taller than any page: one line per
     * page, and the plan ends */
    for (int k = 0; k < 3; k++) rb.bottoms[0][k] = 150.0f * (float)(k + 1);
    qtcell c = {3, rb.bottoms[0], 8};
    qtrow r = {458, 0, 1, &c, 0, 0};
    qtplan p = {0};
    qtable_plan(&r, 1, 0, 50, 100, &p);
    assert_int_equal(p.nsegs, 3);
    for (size_t i = 0; i < p.nsegs; i++)
        assert_int_equal(p.pool[p.segs[i].lines + 1] - p.pool[p.segs[i].lines], 1);
    qtplan_free(&p);
}

static void test_long_table_plan(void **state) {
    (void)state;
    mkrow(0, 1, 12.5f, 8);
    for (int i = 1; i <= 200; i++) mkrow(i, 1 + i % 3, 12.5f, 8);
    qtplan p = {0};
    qtable_plan(rb.rows, 201, 1, 300, 715, &p);
    int seen[201] = {0};
    for (size_t i = 0; i < p.nsegs; i++) {
        if (!p.segs[i].repeat) seen[p.segs[i].row]++;
        assert_int_equal(p.segs[i].lines, -1);   /* no row splits */
    }
    for (int i = 0; i <= 200; i++) assert_int_equal(seen[i], 1);
    assert_true(p.pages >= 5);
    for (int pg = 1; pg < p.pages; pg++) {
        int first, rep;
        rows_on_page(&p, pg, &first, &rep);
        assert_int_equal(rep, 1);
        /* the header comes first on the page */
        for (size_t i = 0; i < p.nsegs; i++)
            if (p.segs[i].page == pg) { assert_int_equal(p.segs[i].repeat, 1); break; }
    }
    check_fits(&p, 300, 715);
    qtplan_free(&p);
}

/* Whole pipeline: a 200-row table repeats its header, as artifacts, at the
 * top of every continuation page. */
static void test_long_table_layout(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    qnode *r = el(NULL, QN_REPORT, "report", NULL);
    doc.root = r;
    qnode *s = el(r, QN_SECTION, NULL, NULL);
    s->number = "1";
    elt(s, QN_HEADING, "Data");
    qnode *t = el(s, QN_TABLE, NULL, NULL);
    qnode *row = el(t, QN_ROW, NULL, "header", "true", NULL);
    elt(row, QN_CELL, "Number");
    elt(row, QN_CELL, "Name");
    for (int i = 0; i < 200; i++) {
        row = el(t, QN_ROW, NULL, NULL);
        elt(row, QN_CELL, qarena_printf(tree_arena, "%d", i + 1));
        elt(row, QN_CELL, "A name in the second column");
    }
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {font_dir(), NULL};
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    qdlist *dl = l->dl;
    assert_true(dl->pages.len >= 3);
    int last = 0;
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        int heads = 0, head_artifact = 0;
        float head_y = -1, min_y = 1e9f;
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            if (it->kind != QDL_TEXT) continue;
            if (it->len == 6 && memcmp(it->text, "Number", 6) == 0) {
                heads++;
                head_artifact = it->elem < 0;
                head_y = it->y;
            } else if (it->elem >= 0 && it->y < min_y) {
                min_y = it->y;
                assert_true(it->y < 841.89f - 70.0f);
            }
            if (it->elem >= 0 && QVEC_AT(&dl->elems, qdl_elem, it->elem).role == QR_TD &&
                it->text[0] >= '0' && it->text[0] <= '9') {
                int v = atoi(it->text);
                assert_int_equal(v, last + 1);   /* every row once, in order */
                last = v;
            }
        }
        assert_int_equal(heads, 1);
        assert_int_equal(head_artifact, p > 0);
        if (p > 0) assert_true(head_y < min_y);
    }
    assert_int_equal(last, 200);
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

/* rowspan: the spanning cell covers both rows, the next row's cell moves
 * to the free column, and the rows grow to hold the spanning cell. */
static void test_rowspan_layout(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    qnode *r = el(NULL, QN_REPORT, "report", NULL);
    doc.root = r;
    qnode *t = el(r, QN_TABLE, NULL, NULL);
    qnode *row = el(t, QN_ROW, NULL, NULL);
    qnode *c = el(row, QN_CELL, NULL, "rowspan", "2", "fill", "#FFC000", NULL);
    txt(c, "Span");
    qnode *br;
    for (int i = 0; i < 5; i++) { br = el(c, QN_BREAK, "br", NULL); (void)br; txt(c, "more"); }
    elt(row, QN_CELL, "R1");
    row = el(t, QN_ROW, NULL, NULL);
    elt(row, QN_CELL, "R2");
    row = el(t, QN_ROW, NULL, NULL);
    elt(row, QN_CELL, "A3");
    elt(row, QN_CELL, "B3");
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {font_dir(), NULL};
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, 0);
    const qdl_item *r1 = NULL, *r2 = NULL, *a3 = NULL, *fill = NULL;
    for (size_t i = 0; i < pg->items.len; i++) {
        const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
        if (it->kind == QDL_FILL && it->color == 0xFFC000) fill = it;
        if (it->kind != QDL_TEXT || it->len != 2) continue;
        if (memcmp(it->text, "R1", 2) == 0) r1 = it;
        if (memcmp(it->text, "R2", 2) == 0) r2 = it;
        if (memcmp(it->text, "A3", 2) == 0) a3 = it;
    }
    assert_non_null(r1); assert_non_null(r2); assert_non_null(a3); assert_non_null(fill);
    assert_float_equal(r2->x, r1->x, 0.01);           /* second column */
    assert_true(r2->y > r1->y);
    assert_true(a3->x < r1->x);                        /* back to column 1 */
    /* 6 lines of 12.5 + 8 padding: the spanning fill covers rows 1-2 and
     * row 3 starts below it */
    assert_float_equal(fill->h, 6 * 12.5 + 8, 0.01);
    assert_true(a3->y > fill->y + fill->h);
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

/* Spans as written are not trusted by layout (which may run without the
 * check): a colspan or rowspan of INT_MAX or 10^9, and more <col>s than a
 * table may have, lay out in bounded memory with every cell drawn inside
 * the page.  (A colspan of INT_MAX once overflowed an int and aborted on
 * "out of memory"; 10^9 took 15.6 GB.) */
static void test_huge_spans_unchecked(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    quorum_doc doc = {0};
    doc.arena = tree_arena;
    qnode *r = el(NULL, QN_REPORT, "report", NULL);
    doc.root = r;
    qnode *t = el(r, QN_TABLE, NULL, NULL);
    qnode *row = el(t, QN_ROW, NULL, NULL);
    elt(row, QN_CELL, "A1");
    qnode *c = el(row, QN_CELL, NULL, "colspan", "2147483647", "rowspan", "2147483647", NULL);
    txt(c, "B1");
    row = el(t, QN_ROW, NULL, NULL);
    c = el(row, QN_CELL, NULL, "colspan", "1000000000", NULL);
    txt(c, "A2");
    qnode *t2 = el(r, QN_TABLE, NULL, NULL);
    for (int i = 0; i < 3 * QDOC_MAX_COLUMNS; i++) el(t2, QN_COL, NULL, NULL);
    row = el(t2, QN_ROW, NULL, NULL);
    c = el(row, QN_CELL, NULL, "colspan", "99999999999999999999", NULL);
    txt(c, "C1");
    quorum_diags *d = quorum_diags_new();
    quorum_options o = {font_dir(), NULL};
    quorum_layout *l = quorum_doc_layout(TE, &doc, &o, d);
    assert_non_null(l);
    /* a thousand columns are narrow: a cell's text may break after every
     * character, so the text is read back joined */
    char all[256] = "";
    for (size_t p = 0; p < l->dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&l->dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            assert_true(it->x >= 0 && it->x + it->w <= pg->width + 0.01f);
            if (it->kind == QDL_TEXT && it->elem >= 0 && strlen(all) + it->len < sizeof all)
                strncat(all, it->text, it->len);
        }
    }
    assert_non_null(strstr(all, "A1B1A2C1"));
    quorum_layout_free(l);
    quorum_diags_free(d);
    qarena_free(tree_arena);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_col_widths),
        cmocka_unit_test(test_cm_column_layout),
        cmocka_unit_test(test_split_with_header),
        cmocka_unit_test(test_group_rows_and_header),
        cmocka_unit_test(test_keep_with_next_row),
        cmocka_unit_test(test_row_taller_than_page),
        cmocka_unit_test(test_line_taller_than_page_terminates),
        cmocka_unit_test(test_long_table_plan),
        cmocka_unit_test(test_long_table_layout),
        cmocka_unit_test(test_rowspan_layout),
        cmocka_unit_test(test_huge_spans_unchecked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
