/* Value types with a closed vocabulary (src/doc/values.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"
#include "layout_tree.h"

static void test_trend_vocabulary(void **state) {
    (void)state;
    static const struct { const char *in, *value, *word; int dir; } ok[] = {
        {"improved", "improved", "improved", 1},
        {"no-change", "no-change", "no change", 0},
        {"declined", "declined", "declined", -1},
        {"up", "up", "up", 1},
        {"same", "same", "same", 0},
        {"down", "down", "down", -1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        int exact = 0;
        const qtrend *t = qdoc_trend(ok[i].in, &exact);
        assert_non_null(t);
        assert_true(exact);
        assert_string_equal(t->value, ok[i].value);
        assert_string_equal(t->word, ok[i].word);
        assert_int_equal(t->dir, ok[i].dir);
    }
}

static void test_trend_case_and_unknown(void **state) {
    (void)state;
    int exact = 1;
    const qtrend *t = qdoc_trend("Improved", &exact);
    assert_non_null(t);
    assert_false(exact);
    assert_string_equal(t->value, "improved");
    assert_non_null(qdoc_trend("NO-CHANGE", NULL));
    assert_null(qdoc_trend("better", NULL));
    assert_null(qdoc_trend("no change", NULL));
    assert_null(qdoc_trend("", NULL));
    assert_null(qdoc_trend(NULL, NULL));
    char buf[128], small[10];
    qdoc_trend_values(buf, sizeof buf);
    assert_string_equal(buf, "improved, no-change, declined, up, same, down");
    qdoc_trend_values(small, sizeof small);
    assert_string_equal(small, "improved,");
}

/* <field role=R label=L><options><option ...>Yes</option><option ...>No
 * </option></options></field> in a fresh front sheet; sel: which are
 * selected (bit 0 Yes, bit 1 No). */
static quorum_doc doc;
static qnode *yes_no(const char *role, const char *label, unsigned sel) {
    tree_arena = qarena_new(0);
    doc.arena = tree_arena;
    doc.root = el(NULL, QN_REPORT, "report", NULL);
    qnode *fs = el(doc.root, QN_FRONT_SHEET, NULL, NULL);
    qnode *f = el(fs, QN_FIELD, NULL, "role", role, "label", label, NULL);
    qnode *o = el(f, QN_OPTIONS, NULL, NULL);
    txt(el(o, QN_OPTION, NULL, "selected", sel & 1 ? "true" : "false", NULL), " Yes ");
    txt(el(o, QN_OPTION, NULL, "selected", sel & 2 ? "1" : "false", NULL), "NO");
    return o;
}

static void test_options_facts(void **state) {
    (void)state;
    qnode *o = yes_no("key-decision", "Key decision", 1);
    size_t sel;
    assert_int_equal(qdoc_options_count(o, &sel), 2);
    assert_int_equal(sel, 1);
    assert_string_equal(qdoc_options_label(o), "Key decision");
    assert_int_equal(qdoc_fact_yes(&doc, "key-decision", tree_arena), 1);
    assert_int_equal(qdoc_fact_yes(&doc, "call-in", tree_arena), -1);
    qarena_free(tree_arena);

    o = yes_no("call-in", "Subject to call-in", 2);
    assert_int_equal(qdoc_fact_yes(&doc, "call-in", tree_arena), 0);
    qdoc_attr_set(tree_arena, o, "label", "Call-in", tree_pos);
    assert_string_equal(qdoc_options_label(o), "Call-in");
    qarena_free(tree_arena);

    /* none or both selected: not a fact */
    yes_no("call-in", "Call-in", 0);
    assert_int_equal(qdoc_fact_yes(&doc, "call-in", tree_arena), -1);
    qarena_free(tree_arena);
    yes_no("call-in", "Call-in", 3);
    assert_int_equal(qdoc_fact_yes(&doc, "call-in", tree_arena), -1);
    qarena_free(tree_arena);

    /* a field of text says it directly */
    tree_arena = qarena_new(0);
    doc.arena = tree_arena;
    doc.root = el(NULL, QN_REPORT, "report", NULL);
    qnode *fs = el(doc.root, QN_FRONT_SHEET, NULL, NULL);
    txt(el(fs, QN_FIELD, NULL, "role", "key-decision", NULL), "yes");
    (void)elt; (void)font_dir; /* layout_tree.h's other helpers */
    txt(el(fs, QN_FIELD, NULL, "role", "call-in", NULL), "Yes, after the meeting");
    assert_int_equal(qdoc_fact_yes(&doc, "key-decision", tree_arena), 1);
    assert_int_equal(qdoc_fact_yes(&doc, "call-in", tree_arena), 1);
    qarena_free(tree_arena);
}

/* The answer first, the reason after it as councils print it (Kent,
 * Bristol); anything else is no answer, and never guessed. */
static void test_fact_with_reason(void **state) {
    (void)state;
    static const struct { const char *text; int want; } cases[] = {
        {"Yes - It affects more than 2 Electoral Divisions", 1},
        {"  YES: over \xC2\xA3" "500k", 1},
        {"yes\xE2\x80\x93 two wards", 1},
        {"No, below the threshold", 0},
        {"no", 0},
        {"Key decision over \xC2\xA3" "500k spend/save", -2},
        {"Yesterday's decision", -2},
        {"None", -2},
        {"Not a key decision", -2},
        {"", -2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tree_arena = qarena_new(0);
        doc.arena = tree_arena;
        doc.root = el(NULL, QN_REPORT, "report", NULL);
        qnode *fs = el(doc.root, QN_FRONT_SHEET, NULL, NULL);
        txt(el(fs, QN_FIELD, NULL, "role", "key-decision", NULL), cases[i].text);
        assert_int_equal(qdoc_fact_yes(&doc, "key-decision", tree_arena), cases[i].want);
        qarena_free(tree_arena);
    }
    /* the council's wording kept, the answer given beside it */
    for (int yes = 0; yes < 2; yes++) {
        tree_arena = qarena_new(0);
        doc.arena = tree_arena;
        doc.root = el(NULL, QN_REPORT, "report", NULL);
        qnode *fs = el(doc.root, QN_FRONT_SHEET, NULL, NULL);
        txt(el(fs, QN_FIELD, NULL, "role", "key-decision", "answer", yes ? "yes" : "no", NULL),
            "Key decision over \xC2\xA3" "500k");
        assert_int_equal(qdoc_fact_yes(&doc, "key-decision", tree_arena), yes);
        qarena_free(tree_arena);
    }
}

/* Ratings anywhere: codes in any case, scores by the council's bands. */
static void test_rating_bands(void **state) {
    (void)state;
    tree_arena = qarena_new(0);
    qnode *sc = el(NULL, QN_SCALE, NULL, "id", "risk", NULL);
    el(sc, QN_RATING_VALUE, NULL, "code", "Low", "min", "1", NULL);
    el(sc, QN_RATING_VALUE, NULL, "code", "High", "min", "15", NULL);
    el(sc, QN_RATING_VALUE, NULL, "code", "Medium", "min", "5", NULL);
    qperf_scale s;
    qperf_scale_of(tree_arena, sc, &s);
    assert_int_equal(s.n, 3);
    /* 4 x 4 = 16: High, whatever the order the bands are declared in */
    assert_string_equal(s.v[qrating_band(&s, 16)].code, "High");
    assert_string_equal(s.v[qrating_band(&s, 15)].code, "High");
    assert_string_equal(s.v[qrating_band(&s, 14.9)].code, "Medium");
    assert_string_equal(s.v[qrating_band(&s, 1)].code, "Low");
    assert_int_equal(qrating_band(&s, 0.5), -1);
    double v;
    assert_int_equal(qrating_score("16", &v), 0);
    assert_true(v == 16);
    assert_int_equal(qrating_score("4x4", &v), -1);
    assert_int_equal(qrating_score("", &v), -1);
    int exact;
    assert_int_equal(qrating_find(&s, "High", &exact), 1);
    assert_true(exact);
    assert_int_equal(qrating_find(&s, "hIGH", &exact), 1);
    assert_false(exact);
    assert_int_equal(qrating_find(&s, "Severe", &exact), -1);
    /* the default scale has no bands */
    qperf_scale_of(tree_arena, NULL, &s);
    assert_int_equal(s.n, 3);
    assert_int_equal(qrating_band(&s, 16), -1);
    qarena_free(tree_arena);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trend_vocabulary),
        cmocka_unit_test(test_trend_case_and_unknown),
        cmocka_unit_test(test_options_facts),
        cmocka_unit_test(test_fact_with_reason),
        cmocka_unit_test(test_rating_bands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
