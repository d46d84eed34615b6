/* Performance data: scale, contrast, movement, expansion and checks, on
 * document trees built by hand (no loader needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"

/* ---- tree building ------------------------------------------------------ */

static unsigned next_line = 1;

static quorum_doc *doc_new(void) {
    quorum_doc *doc = calloc(1, sizeof *doc);
    doc->arena = qarena_new(0);
    qpos p = {0, next_line++, 1};
    doc->root = qdoc_node_new(doc->arena, QN_REPORT, NULL, p);
    return doc;
}

static void doc_free(quorum_doc *doc) {
    qarena_free(doc->arena);
    free(doc);
}

/* el(doc, parent, type, "name", "value", ..., NULL): each element on its own
 * line, attribute k at column 10 * (k + 1), so tests can check positions. */
static qnode *el(quorum_doc *doc, qnode *parent, qdoc_type t, ...) {
    qpos p = {0, next_line++, 1};
    qnode *n = qdoc_node_new(doc->arena, t, NULL, p);
    va_list ap;
    va_start(ap, t);
    const char *k;
    unsigned col = 10;
    while ((k = va_arg(ap, const char *))) {
        const char *v = va_arg(ap, const char *);
        qpos ap_pos = {0, p.line, col};
        qdoc_attr_set(doc->arena, n, k, v, ap_pos);
        col += 10;
    }
    va_end(ap);
    if (parent) qdoc_append(parent, n);
    return n;
}

static qnode *txt(quorum_doc *doc, qnode *parent, const char *s) {
    qpos p = {0, next_line, 1};
    qnode *n = qdoc_node_new(doc->arena, QN_TEXT, "#text", p);
    n->text = qarena_strdup(doc->arena, s);
    n->text_len = strlen(s);
    qdoc_append(parent, n);
    return n;
}

static const char *three[] = {"base", "last", "this"};

static qnode *perf_new(quorum_doc *doc, qnode *parent, const char *id,
                       const char **periods, size_t np) {
    qnode *perf = el(doc, parent, QN_PERFORMANCE, "id", id, NULL);
    qnode *ps = el(doc, perf, QN_PERIODS, NULL);
    for (size_t i = 0; i < np; i++)
        el(doc, ps, QN_PERIOD, "id", periods[i], "label",
           qarena_printf(doc->arena, "Period %s", periods[i]), NULL);
    return perf;
}

static qnode *outcome(quorum_doc *doc, qnode *perf, const char *title) {
    qnode *o = el(doc, perf, QN_OUTCOME, NULL);
    txt(doc, el(doc, o, QN_TITLE, NULL), title);
    qnode *ls = el(doc, o, QN_LEAD_SUMMARY, NULL);
    txt(doc, el(doc, ls, QN_PARA, NULL), "Lead summary text.");
    return o;
}

/* vals: one code per period (NULL = not rated). */
static qnode *criterion(quorum_doc *doc, qnode *o, const char *text,
                        const char **periods, const char **vals, size_t np) {
    qnode *c = el(doc, o, QN_CRITERION, NULL);
    txt(doc, el(doc, c, QN_CRITERION_TEXT, NULL), text);
    for (size_t i = 0; i < np; i++)
        if (vals[i])
            el(doc, c, QN_RATED, "period", periods[i], "value", vals[i], NULL);
    qnode *as = el(doc, c, QN_ASSESSMENT, NULL);
    txt(doc, el(doc, as, QN_PARA, NULL), "Assessment text.");
    return c;
}

static qnode *crit3(quorum_doc *doc, qnode *o, const char *text,
                    const char *a, const char *b, const char *c) {
    const char *v[3] = {a, b, c};
    return criterion(doc, o, text, three, v, 3);
}

/* Two outcomes, five criteria, default scale.  Between "last" and "this":
 * 1a A->G improved, 2a G->A declined, 2b R->R, 2c A->A, 1b G->G. */
static qnode *sample(quorum_doc *doc, qnode *parent) {
    qnode *perf = perf_new(doc, parent, "irp", three, 3);
    qnode *o1 = outcome(doc, perf, "First outcome");
    crit3(doc, o1, "Criterion one a.", "A", "A", "G");
    crit3(doc, o1, "Criterion one b.", "G", "G", "G");
    qnode *o2 = outcome(doc, perf, "Second outcome");
    crit3(doc, o2, "Criterion two a.", "G", "G", "A");
    crit3(doc, o2, "Criterion two b.", "R", "R", "R");
    crit3(doc, o2, "Criterion two c.", "A", "A", "A");
    return perf;
}

static qnode *custom_scale(quorum_doc *doc, qnode *perf) {
    qnode *sc = el(doc, perf, QN_SCALE, NULL);
    txt(doc, el(doc, sc, QN_RATING_VALUE, "code", "NA", "text", "N/A",
                "rank", "none", NULL), "Not applicable.");
    txt(doc, el(doc, sc, QN_RATING_VALUE, "code", "R", "text", "Off target",
                "fill", "#C00000", "color", "#FFFFFF", NULL), "Off target.");
    txt(doc, el(doc, sc, QN_RATING_VALUE, "code", "T", "text", "On target",
                "fill", "#00B050", "color", "#000000", NULL), "On target.");
    txt(doc, el(doc, sc, QN_RATING_VALUE, "code", "C", "text", "Complete",
                "fill", "#1F4E79", "color", "#FFFFFF", NULL), "Complete.");
    return sc;
}

static int count_children(const qnode *n, qdoc_type t) {
    int k = 0;
    for (const qnode *c = n->first; c; c = c->next)
        if (c->type == t) k++;
    return k;
}

static const qnode *nth_child(const qnode *n, qdoc_type t, int i) {
    for (const qnode *c = n->first; c; c = c->next)
        if (c->type == t && i-- == 0) return c;
    return NULL;
}

static const qnode *find_type(const qnode *root, qdoc_type t) {
    for (const qnode *n = root; n; n = qdoc_next(n, root))
        if (n->type == t) return n;
    return NULL;
}

static int has_message(quorum_diags *d, const char *needle, quorum_diag *out) {
    for (size_t i = 0; i < quorum_diags_count(d); i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        if (strstr(q.message, needle)) {
            if (out) *out = q;
            return 1;
        }
    }
    return 0;
}

/* ---- tests ---------------------------------------------------------- */

static void test_contrast(void **state) {
    (void)state;
    assert_float_equal(qperf_contrast("#000000", "#FFFFFF"), 21.0, 1e-9);
    assert_float_equal(qperf_contrast("#FFFFFF", "#FFFFFF"), 1.0, 1e-9);
    /* #777777 on white is the classic near miss: 4.48:1 */
    double r = qperf_contrast("#777777", "#FFFFFF");
    assert_true(r > 4.4 && r < 4.5);
    assert_true(qperf_contrast("#FFFFFF", "#C00000") >= 4.5);
    assert_true(qperf_contrast("#000000", "#FFC000") >= 4.5);
    assert_true(qperf_contrast("#000000", "#00B050") >= 4.5);
    assert_true(qperf_contrast("#FFFFFF", "#00B050") < 4.5);
    assert_float_equal(qperf_contrast("#12345", "#FFFFFF"), -1, 0);
    assert_float_equal(qperf_contrast("red", "#FFFFFF"), -1, 0);
    assert_float_equal(qperf_contrast("#GG0000", "#FFFFFF"), -1, 0);
    unsigned char rgb[3];
    assert_int_equal(qperf_parse_colour("#1f4E79", rgb), 0);
    assert_int_equal(rgb[0], 0x1F);
    assert_int_equal(rgb[2], 0x79);
}

static void test_default_scale_passes_its_own_check(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qperf_scale s;
    qperf_scale_read(doc->arena, NULL, &s);
    assert_int_equal((int)s.n, 3);
    for (size_t i = 0; i < s.n; i++)
        assert_true(qperf_contrast(s.v[i].color, s.v[i].fill) >= 4.5);
    assert_int_equal(qperf_compare(&s, "R", "A"), QPERF_IMPROVED);
    assert_int_equal(qperf_compare(&s, "G", "A"), QPERF_DECLINED);
    assert_int_equal(qperf_compare(&s, "A", "A"), QPERF_UNCHANGED);
    doc_free(doc);
}

static void test_custom_scale(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *perf = perf_new(doc, doc->root, "p", three, 3);
    custom_scale(doc, perf);
    qperf_scale s;
    qperf_scale_read(doc->arena, perf, &s);
    assert_int_equal((int)s.n, 4);
    assert_string_equal(s.v[2].text, "On target");
    assert_int_equal(qperf_scale_find(&s, "C"), 3);
    assert_int_equal(qperf_scale_find(&s, "G"), -1);
    assert_int_equal(qperf_compare(&s, "R", "T"), QPERF_IMPROVED);
    assert_int_equal(qperf_compare(&s, "T", "C"), QPERF_IMPROVED);
    assert_int_equal(qperf_compare(&s, "C", "R"), QPERF_DECLINED);
    assert_int_equal(qperf_compare(&s, "R", "NA"), QPERF_CHANGED);
    assert_int_equal(qperf_compare(&s, "NA", "C"), QPERF_CHANGED);
    assert_int_equal(qperf_compare(&s, "T", "T"), QPERF_UNCHANGED);
    /* a valid custom scale gives no errors */
    qnode *o = outcome(doc, perf, "Outcome");
    crit3(doc, o, "Crit.", "NA", "R", "C");
    quorum_diags *d = quorum_diags_new();
    assert_int_equal((int)qperf_check(doc, d), 0);
    /* explicit rank overrides the order: Complete below Off target */
    qnode *c = (qnode *)nth_child(qdoc_first_child_of(perf, QN_SCALE),
                                  QN_RATING_VALUE, 3);
    qpos p = {0, 0, 0};
    qdoc_attr_set(doc->arena, c, "rank", "-5", p);
    qperf_scale_read(doc->arena, perf, &s);
    assert_int_equal(qperf_compare(&s, "R", "C"), QPERF_DECLINED);
    quorum_diags_free(d);
    doc_free(doc);
}

static void test_contrast_check(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *perf = perf_new(doc, doc->root, "p", three, 3);
    qnode *sc = custom_scale(doc, perf);
    qnode *bad = el(doc, sc, QN_RATING_VALUE, "code", "Y", "text", "Yellow",
                    "fill", "#FFFF00", "color", "#FFFFFF", NULL);
    el(doc, sc, QN_RATING_VALUE, "code", "X", "fill", "#12345", NULL);
    quorum_diags *d = quorum_diags_new();
    assert_int_equal((int)qperf_check(doc, d), 2);
    quorum_diag q;
    assert_true(has_message(d, "1.07:1", &q)); /* white on yellow */
    assert_int_equal(q.line, bad->pos.line);
    assert_int_equal(q.col, 40); /* the color attribute */
    assert_true(has_message(d, "'#12345' is not a colour", NULL));
    quorum_diags_free(d);
    doc_free(doc);
}

static void test_movement(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *perf = sample(doc, doc->root);
    qperf_scale s;
    qperf_scale_read(doc->arena, perf, &s);
    size_t counts[3];
    assert_int_equal((int)qperf_count(perf, &s, "last", counts), 0);
    assert_int_equal((int)counts[0], 1); /* R */
    assert_int_equal((int)counts[1], 2); /* A */
    assert_int_equal((int)counts[2], 2); /* G */
    assert_int_equal((int)qperf_count(perf, &s, "this", counts), 0);
    assert_int_equal((int)counts[1], 2);
    assert_int_equal((int)counts[2], 2);
    assert_int_equal((int)qperf_count(perf, &s, "nope", counts), 5);

    qperf_change *ch;
    size_t n = qperf_changes(doc->arena, perf, &s, "last", "this", &ch);
    assert_int_equal((int)n, 2);
    assert_string_equal(ch[0].from, "A");
    assert_string_equal(ch[0].to, "G");
    assert_int_equal(ch[0].dir, QPERF_IMPROVED);
    assert_int_equal(ch[1].dir, QPERF_DECLINED);
    assert_string_equal(qperf_outcome_number(doc->arena, ch[1].outcome), "2");
    assert_string_equal(qperf_criterion_letter(doc->arena, ch[1].criterion), "a");
    assert_int_equal((int)qperf_changes(doc->arena, perf, &s, "base", "last", &ch), 0);
    doc_free(doc);
}

static void test_expand_summary_table(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *app = el(doc, doc->root, QN_APPENDIX, NULL);
    qnode *sec = el(doc, app, QN_SECTION, NULL);
    qnode *before = el(doc, sec, QN_PARA, NULL);
    qnode *ph = el(doc, sec, QN_SUMMARY_TABLE, "of", "irp", NULL);
    qnode *after = el(doc, sec, QN_PARA, NULL);
    sample(doc, app);
    qperf_expand(doc);

    assert_int_equal(count_children(sec, QN_SUMMARY_TABLE), 0);
    const qnode *t = before->next;
    assert_non_null(t);
    assert_int_equal(t->type, QN_TABLE);
    assert_ptr_equal(t->next, after);
    assert_int_equal(t->pos.line, ph->pos.line);
    assert_int_equal(count_children(t, QN_COL), 4);
    /* header + 2 outcome rows + 5 criteria */
    assert_int_equal(count_children(t, QN_ROW), 8);
    const qnode *hr = nth_child(t, QN_ROW, 0);
    assert_string_equal(qdoc_attr(hr, "header"), "true");
    assert_string_equal(qdoc_text(doc->arena, nth_child(hr, QN_CELL, 3)),
                        "Period this");
    const qnode *orow = nth_child(t, QN_ROW, 1);
    assert_string_equal(qdoc_attr(orow, "keep-with-next"), "true");
    const qnode *oc = nth_child(orow, QN_CELL, 0);
    assert_string_equal(qdoc_attr(oc, "colspan"), "4");
    assert_string_equal(qdoc_attr(oc, "bold"), "true");
    assert_string_equal(qdoc_text(doc->arena, oc), "1. First outcome");
    /* row 2 = 1a: A A G */
    const qnode *r = nth_child(t, QN_ROW, 2);
    assert_string_equal(qdoc_text(doc->arena, nth_child(r, QN_CELL, 0)),
                        "a. Criterion one a.");
    /* the default scale has no colours of its own: the cells name their
     * rating and layout takes the style's colours for it */
    const qnode *g = nth_child(r, QN_CELL, 3);
    assert_string_equal(qdoc_text(doc->arena, g), "G");
    assert_string_equal(qdoc_attr(g, "rating"), "G");
    assert_null(qdoc_attr(g, "fill"));
    assert_null(qdoc_attr(g, "color"));
    assert_string_equal(qdoc_attr(g, "alt"), "Green");
    assert_string_equal(qdoc_attr(g, "align"), "center");
    assert_string_equal(qdoc_attr(nth_child(r, QN_CELL, 1), "rating"), "A");
    /* 2b is Red */
    r = nth_child(t, QN_ROW, 6);
    assert_string_equal(qdoc_attr(nth_child(r, QN_CELL, 1), "rating"), "R");
    assert_null(qdoc_attr(nth_child(r, QN_CELL, 1), "fill"));
    doc_free(doc);
}

static void test_expand_details_movement_list(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *app1 = el(doc, doc->root, QN_APPENDIX, NULL);
    qnode *s1 = el(doc, app1, QN_SECTION, NULL);
    el(doc, s1, QN_OUTCOME_LIST, "of", "irp", NULL);
    qnode *app = el(doc, doc->root, QN_APPENDIX, NULL);
    qnode *sec = el(doc, app, QN_SECTION, NULL);
    el(doc, sec, QN_RATING_DEFINITIONS, NULL); /* of optional: one perf */
    el(doc, sec, QN_MOVEMENT, "of", "irp", NULL);
    el(doc, sec, QN_OUTCOME_DETAILS, "of", "irp", NULL);
    qnode *perf = sample(doc, app);
    qperf_expand(doc);

    /* outcome list in the other appendix: 2 bold paras + 2 lists */
    assert_int_equal(count_children(s1, QN_PARA), 2);
    assert_int_equal(count_children(s1, QN_LIST), 2);
    assert_string_equal(qdoc_text(doc->arena, nth_child(s1, QN_PARA, 1)),
                        "2. Second outcome");
    assert_int_equal(count_children(nth_child(s1, QN_LIST, 1), QN_ITEM), 3);

    /* definitions table: 3 rows, default scale */
    const qnode *dt = nth_child(sec, QN_TABLE, 0);
    assert_string_equal(qdoc_attr(dt, "generated"), "rating-definitions");
    assert_int_equal(count_children(dt, QN_ROW), 3);

    /* movement: chart with 3 bars, list with the 2 changes */
    const qnode *chart = find_type(sec, QN_BAR_CHART);
    assert_non_null(chart);
    assert_int_equal(count_children(chart, QN_BAR), 3);
    const qnode *bar = nth_child(chart, QN_BAR, 2);
    assert_string_equal(qdoc_attr(bar, "alt"),
                        "Period this: Green 2, Amber 2, Red 1");
    assert_string_equal(qdoc_attr(nth_child(bar, QN_SEGMENT, 0), "rating"), "G");
    assert_null(qdoc_attr(nth_child(bar, QN_SEGMENT, 0), "fill"));
    const qnode *list = find_type(sec, QN_LIST);
    assert_non_null(list);
    assert_int_equal(count_children(list, QN_ITEM), 2);
    assert_string_equal(qdoc_text(doc->arena, nth_child(list, QN_ITEM, 0)),
                        "1a. Criterion one a: Amber → Green (improved)");
    assert_string_equal(qdoc_text(doc->arena, nth_child(list, QN_ITEM, 1)),
                        "2a. Criterion two a: Green → Amber (declined)");

    /* details: outcome headings, per-outcome tables, summaries moved */
    int outcomes = 0, tables = 0, leads = 0;
    for (const qnode *c = sec->first; c; c = c->next) {
        const char *lv = c->type == QN_SUBHEADING ? qdoc_attr(c, "level") : NULL;
        if (lv && strcmp(lv, "outcome") == 0) outcomes++;
        if (c->type == QN_TABLE &&
            strcmp(qdoc_attr(c, "generated"), "outcome-table") == 0) {
            tables++;
            assert_int_equal(count_children(c, QN_ROW), outcomes == 1 ? 3 : 4);
        }
        if (c->type == QN_SUBHEADING &&
            strcmp(qdoc_text(doc->arena, c), "Lead Director Summary") == 0) {
            leads++;
            assert_string_equal(qdoc_text(doc->arena, c->next),
                                "Lead summary text.");
        }
    }
    assert_int_equal(outcomes, 2);
    assert_int_equal(tables, 2);
    assert_int_equal(leads, 2);
    /* grafted, not copied: the lead summary is now empty */
    const qnode *o1 = qdoc_first_child_of(perf, QN_OUTCOME);
    assert_null(qdoc_first_child_of(o1, QN_LEAD_SUMMARY)->first);
    doc_free(doc);
}

/* A scale's own colours go on its cells and segments; a value without
 * fill= or color= leaves them to the style (rating= alone). */
static void test_expand_own_colours(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *app = el(doc, doc->root, QN_APPENDIX, NULL);
    qnode *sec = el(doc, app, QN_SECTION, NULL);
    el(doc, sec, QN_RATING_DEFINITIONS, NULL);
    el(doc, sec, QN_MOVEMENT, NULL);
    qnode *perf = perf_new(doc, app, "p", three, 3);
    custom_scale(doc, perf);
    qnode *o = outcome(doc, perf, "Outcome");
    crit3(doc, o, "Crit.", "NA", "R", "C");
    qperf_scale s;
    qperf_scale_read(doc->arena, perf, &s);
    assert_int_equal(s.v[0].own_colours, 0); /* NA: no fill=, no color= */
    assert_int_equal(s.v[1].own_colours, 1);
    qperf_expand(doc);
    const qnode *dt = nth_child(sec, QN_TABLE, 0);
    assert_string_equal(qdoc_attr(dt, "generated"), "rating-definitions");
    const qnode *na = nth_child(nth_child(dt, QN_ROW, 0), QN_CELL, 0);
    assert_string_equal(qdoc_attr(na, "rating"), "NA");
    assert_null(qdoc_attr(na, "fill"));
    assert_null(qdoc_attr(na, "color"));
    assert_string_equal(qdoc_attr(na, "alt"), "N/A");
    const qnode *red = nth_child(nth_child(dt, QN_ROW, 1), QN_CELL, 0);
    assert_string_equal(qdoc_attr(red, "rating"), "R");
    assert_string_equal(qdoc_attr(red, "fill"), "#C00000");
    assert_string_equal(qdoc_attr(red, "color"), "#FFFFFF");
    const qnode *bar = nth_child(find_type(sec, QN_BAR_CHART), QN_BAR, 0);
    int with_fill = 0, without = 0;
    for (const qnode *g = bar->first; g; g = g->next) {
        assert_non_null(qdoc_attr(g, "rating"));
        if (qdoc_attr(g, "fill")) with_fill++;
        else without++;
    }
    assert_int_equal(with_fill, 3);
    assert_int_equal(without, 1);
    doc_free(doc);
}

/* <cell rating="CODE"> in an author's table: the word of the report's only
 * scale as alt text, its colours unless the cell sets its own, nothing for
 * a code it does not have (layout: the style's colours). */
static void test_rated_general_cells(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *app = el(doc, doc->root, QN_APPENDIX, NULL);
    qnode *sec = el(doc, app, QN_SECTION, NULL);
    qnode *t = el(doc, sec, QN_TABLE, NULL);
    qnode *row = el(doc, t, QN_ROW, NULL);
    qnode *c_r = el(doc, row, QN_CELL, "rating", "R", NULL);
    qnode *c_na = el(doc, row, QN_CELL, "rating", "NA", NULL);
    qnode *c_own = el(doc, row, QN_CELL, "rating", "C", "fill", "#FFFFFF",
                      "alt", "Done", NULL);
    qnode *c_g = el(doc, row, QN_CELL, "rating", "G", NULL);
    qnode *perf = perf_new(doc, app, "p", three, 3);
    custom_scale(doc, perf);
    qperf_expand(doc);
    assert_string_equal(qdoc_attr(c_r, "fill"), "#C00000");
    assert_string_equal(qdoc_attr(c_r, "color"), "#FFFFFF");
    assert_string_equal(qdoc_attr(c_r, "alt"), "Off target");
    assert_null(qdoc_attr(c_na, "fill"));
    assert_string_equal(qdoc_attr(c_na, "alt"), "N/A");
    assert_string_equal(qdoc_attr(c_own, "fill"), "#FFFFFF");
    assert_null(qdoc_attr(c_own, "color"));
    assert_string_equal(qdoc_attr(c_own, "alt"), "Done");
    assert_null(qdoc_attr(c_g, "fill"));     /* not on this scale */
    assert_null(qdoc_attr(c_g, "alt"));
    doc_free(doc);

    /* no performance: the default scale's words, no colours (the style's) */
    doc = doc_new();
    t = el(doc, doc->root, QN_TABLE, NULL);
    c_g = el(doc, el(doc, t, QN_ROW, NULL), QN_CELL, "rating", "G", NULL);
    qperf_expand(doc);
    assert_string_equal(qdoc_attr(c_g, "alt"), "Green");
    assert_null(qdoc_attr(c_g, "fill"));
    doc_free(doc);
}

static void test_details_twice_copies(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *sec = el(doc, doc->root, QN_SECTION, NULL);
    el(doc, sec, QN_OUTCOME_DETAILS, NULL);
    el(doc, sec, QN_OUTCOME_DETAILS, NULL);
    sample(doc, doc->root);
    qperf_expand(doc);
    int n = 0;
    for (const qnode *c = sec->first; c; c = c->next)
        if (c->type == QN_PARA &&
            strcmp(qdoc_text(doc->arena, c), "Lead summary text.") == 0)
            n++;
    assert_int_equal(n, 4);
    doc_free(doc);
}

static void test_movement_false(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *sec = el(doc, doc->root, QN_SECTION, NULL);
    el(doc, sec, QN_MOVEMENT, NULL);
    qnode *perf = sample(doc, doc->root);
    qpos p = {0, 0, 0};
    qdoc_attr_set(doc->arena, perf, "movement", "false", p);
    qperf_expand(doc);
    assert_null(sec->first);
    doc_free(doc);
}

static void test_movement_from_to(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *sec = el(doc, doc->root, QN_SECTION, NULL);
    el(doc, sec, QN_MOVEMENT, "from", "base", "to", "this", NULL);
    qnode *bad = el(doc, sec, QN_MOVEMENT, "from", "base", "to", "never", NULL);
    sample(doc, doc->root);
    qperf_expand(doc);
    /* the good one compares base with this: same two changes, and says so */
    const qnode *p = find_type(sec, QN_PARA);
    assert_non_null(p);
    assert_non_null(strstr(qdoc_text(doc->arena, p->next),
                           "between Period base and Period this"));
    /* the bad one stays for the check to report */
    assert_ptr_equal(sec->last, bad);
    quorum_diags *d = quorum_diags_new();
    assert_int_equal((int)qperf_check(doc, d), 1);
    quorum_diag q;
    assert_true(has_message(d, "<movement to=\"never\">: no such period", &q));
    assert_int_equal(q.col, 20);
    quorum_diags_free(d);
    doc_free(doc);
}

static void test_check_errors(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *perf = sample(doc, doc->root);
    quorum_diags *d = quorum_diags_new();
    assert_int_equal((int)qperf_check(doc, d), 0);
    quorum_diags_free(d);

    qnode *o = outcome(doc, perf, "Third");
    const char *v1[3] = {"A", "X", "G"};
    qnode *c1 = criterion(doc, o, "Unknown code.", three, v1, 3);
    const char *v2[3] = {"A", NULL, "G"};
    criterion(doc, o, "Missing period.", three, v2, 3);
    qnode *c3 = crit3(doc, o, "Duplicate.", "A", "A", "A");
    qnode *dup = el(doc, c3, QN_RATED, "period", "this", "value", "G", NULL);
    el(doc, c3, QN_RATED, "period", "later", "value", "G", NULL);
    el(doc, qdoc_first_child_of(perf, QN_PERIODS), QN_PERIOD, "id", "base",
       "label", "again", NULL);
    qnode *ph = el(doc, doc->root, QN_SUMMARY_TABLE, "of", "nowhere", NULL);

    d = quorum_diags_new();
    size_t errors = qperf_check(doc, d);
    quorum_diag q;
    assert_true(has_message(d, "rating 'X' of criterion 3a is not on the scale (R, A, G)", &q));
    const qattr *va = qdoc_attr_get(nth_child(c1, QN_RATED, 1), "value");
    assert_int_equal(q.line, va->pos.line);
    assert_int_equal(q.col, va->pos.col);
    assert_true(has_message(d, "criterion 3b has no rating for period 'last' "
                               "(Period last)", NULL));
    assert_true(has_message(d, "criterion 3c is rated twice for period 'this'", &q));
    assert_int_equal(q.line, dup->pos.line);
    assert_true(has_message(d, "period 'later', which is not declared", NULL));
    assert_true(has_message(d, "period id 'base' is declared twice", NULL));
    assert_true(has_message(d, "no performance with id 'nowhere'", &q));
    assert_int_equal(q.line, ph->pos.line);
    /* the duplicate period "base" is also missing from every criterion?
     * no: it is rated; so exactly the six errors above */
    assert_int_equal((int)errors, 6);
    assert_int_equal((int)quorum_diags_count(d), 6);
    quorum_diags_free(d);
    doc_free(doc);
}

/* Criteria without letter= are lettered by position: a..z, then aa, ab
 * ... as spreadsheet columns are. */
static void test_criterion_letters(void **state) {
    (void)state;
    quorum_doc *doc = doc_new();
    qnode *o = el(doc, doc->root, QN_OUTCOME, NULL);
    qnode *c[60];
    for (int i = 0; i < 60; i++) c[i] = el(doc, o, QN_CRITERION, NULL);
    static const struct { int i; const char *letter; } want[] = {
        {0, "a"}, {1, "b"}, {25, "z"}, {26, "aa"}, {27, "ab"}, {51, "az"}, {52, "ba"}, {59, "bh"}};
    for (size_t k = 0; k < sizeof want / sizeof *want; k++)
        assert_string_equal(qperf_criterion_letter(doc->arena, c[want[k].i]), want[k].letter);
    doc_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_default_scale_passes_its_own_check),
        cmocka_unit_test(test_custom_scale),
        cmocka_unit_test(test_contrast_check),
        cmocka_unit_test(test_movement),
        cmocka_unit_test(test_expand_summary_table),
        cmocka_unit_test(test_expand_details_movement_list),
        cmocka_unit_test(test_expand_own_colours),
        cmocka_unit_test(test_rated_general_cells),
        cmocka_unit_test(test_details_twice_copies),
        cmocka_unit_test(test_movement_false),
        cmocka_unit_test(test_movement_from_to),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_criterion_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
