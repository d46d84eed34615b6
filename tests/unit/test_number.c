/* Numbering (docs/format.md "Sections and paragraphs", "Recommendations",
 * "Numbering details") and cross-reference text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"
#include "test_engine.h"
#define TE test_engine()

#define HEAD "<report xmlns=\"urn:quorum:report:1\">\n" \
             "<front-sheet><field role=\"title\">T</field></front-sheet>\n"
#define TAIL "</report>\n"

static quorum_diags *g_d;

static quorum_doc *load_str(const char *xml) {
    if (g_d) quorum_diags_free(g_d);
    g_d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, strlen(xml), "mem.xml", g_d);
    assert_non_null(doc);
    return doc;
}

static qnode *by_id(quorum_doc *doc, const char *id) {
    qnode *n = qdoc_find_id(doc->root, id);
    if (!n) fail_msg("no id %s", id);
    return n;
}

static const char *num(quorum_doc *doc, const char *id) {
    const char *n = by_id(doc, id)->number;
    return n ? n : "(none)";
}

static void test_sections(void **state) {
    (void)state;
    quorum_doc *doc = load_str(
        HEAD
        "<section id=\"a\"/>\n"
        "<section id=\"b\" numbered=\"false\"/>\n"
        "<implication id=\"c\" type=\"risk\"/>\n"
        "<section id=\"d\" number=\"7\"/>\n"
        "<background-documents id=\"e\"/>\n"
        "<form id=\"f\" numbered=\"false\"/>\n"
        "<form id=\"g\"/>\n" TAIL);
    assert_string_equal(num(doc, "a"), "1");
    assert_string_equal(num(doc, "b"), "(none)");
    assert_string_equal(num(doc, "c"), "2");
    assert_string_equal(num(doc, "d"), "7");
    assert_string_equal(num(doc, "e"), "8");
    assert_string_equal(num(doc, "f"), "(none)");
    assert_string_equal(num(doc, "g"), "9");
    assert_int_equal(by_id(doc, "c")->index, 1);
    assert_int_equal(by_id(doc, "b")->index, -1);
    quorum_doc_free(doc);
}

static void test_paragraphs(void **state) {
    (void)state;
    quorum_doc *doc = load_str(
        HEAD
        "<section/><section/>\n"
        "<section>\n"
        "  <p id=\"p1\">x</p><subheading>s</subheading>\n"
        "  <ul><li><p id=\"inner\">not a paragraph of the section</p></li></ul>\n"
        "  <p id=\"p2\">x</p>\n"
        "  <p id=\"skip\" numbered=\"false\">x</p>\n"
        "  <p id=\"p3\">x</p>\n"
        "  <p id=\"p9\" number=\"3.9\">x</p>\n"
        "  <p id=\"p10\">x</p>\n"
        "</section>\n"
        "<section paragraphs=\"plain\"><p id=\"plain\">x</p></section>\n"
        "<section numbered=\"false\"><p id=\"unsec\">x</p>"
        "<p id=\"given\" number=\"9.9\">x</p></section>\n" TAIL);
    assert_string_equal(num(doc, "p1"), "3.1");
    assert_string_equal(num(doc, "inner"), "(none)");
    assert_string_equal(num(doc, "p2"), "3.2");
    assert_string_equal(num(doc, "skip"), "(none)");
    assert_string_equal(num(doc, "p3"), "3.3");
    assert_string_equal(num(doc, "p9"), "3.9");
    assert_string_equal(num(doc, "p10"), "3.10");
    assert_string_equal(num(doc, "plain"), "(none)");
    assert_string_equal(num(doc, "unsec"), "(none)");
    assert_string_equal(num(doc, "given"), "9.9");
    assert_int_equal(by_id(doc, "p3")->index, 2);
    quorum_doc_free(doc);
}

static void test_recommendations(void **state) {
    (void)state;
    quorum_doc *doc = load_str(
        HEAD
        "<section>\n"
        "  <p id=\"intro\">x</p>\n"
        "  <recommendations><lead-in>The Committee is recommended to:</lead-in>\n"
        "    <recommendation id=\"r1\">note</recommendation>\n"
        "    <recommendation id=\"r2\">agree\n"
        "      <recommendation id=\"ra\">one</recommendation>\n"
        "      <recommendation id=\"rb\">two</recommendation>\n"
        "    </recommendation>\n"
        "  </recommendations>\n"
        "  <p id=\"after\">x</p>\n"
        "</section>\n" TAIL);
    assert_string_equal(num(doc, "intro"), "1.1");
    assert_string_equal(num(doc, "r1"), "1.2");
    assert_string_equal(num(doc, "r2"), "1.3");
    assert_string_equal(num(doc, "ra"), "a");
    assert_string_equal(num(doc, "rb"), "b");
    assert_string_equal(num(doc, "after"), "1.4");
    quorum_doc_free(doc);
}

static const char *ref_text(quorum_doc *doc, const char *ref_id) {
    return qdoc_ref_text(doc->arena, doc, by_id(doc, ref_id));
}

static void test_refs_and_idempotence(void **state) {
    (void)state;
    quorum_doc *doc = load_str(
        HEAD
        "<section id=\"s1\">\n"
        "  <p id=\"p1\"><ref id=\"x1\" to=\"p1\"/> <ref id=\"x2\" to=\"s2\"/>"
        " <ref id=\"x3\" to=\"p1\" form=\"number\"/> <ref id=\"x4\" to=\"p1\" form=\"title\"/>"
        " <ref id=\"x5\" to=\"rb\"/> <ref id=\"x6\" to=\"nowhere\"/>"
        " <ref id=\"x7\" to=\"tab\"/> <ref id=\"x8\" to=\"r1\"/></p>\n"
        "  <recommendations><recommendation id=\"r1\">a\n"
        "    <recommendation>x</recommendation><recommendation id=\"rb\">y</recommendation>"
        "  </recommendation></recommendations>\n"
        "  <table id=\"tab\"><row><cell>x</cell></row></table>\n"
        "</section>\n"
        "<section id=\"s2\"/>\n" TAIL);
    assert_string_equal(ref_text(doc, "x1"), "paragraph 1.1");
    assert_string_equal(ref_text(doc, "x2"), "section 2");
    assert_string_equal(ref_text(doc, "x3"), "1.1");
    assert_string_equal(ref_text(doc, "x4"), "Paragraph 1.1");
    assert_string_equal(ref_text(doc, "x5"), "recommendation 1.2(b)");
    assert_null(ref_text(doc, "x6"));
    assert_null(ref_text(doc, "x7"));
    assert_string_equal(ref_text(doc, "x8"), "recommendation 1.2");
    qdoc_number(doc); /* again: same result */
    assert_string_equal(num(doc, "r1"), "1.2");
    assert_string_equal(num(doc, "s2"), "2");
    quorum_doc_free(doc);
}

/* qdoc_ref_text looks ids up in an index: it must give what a tree scan
 * gives (the first of duplicate ids in document order), also for nodes
 * added or ids changed after the index was built. */
static void test_ref_index_matches_scan(void **state) {
    (void)state;
    quorum_doc *doc = load_str(
        HEAD
        "<section id=\"s1\"><p id=\"dup\">a</p><p id=\"dup\">b</p>"
        "<p id=\"p3\"><ref id=\"x1\" to=\"dup\"/><ref id=\"x2\" to=\"late\"/>"
        "<ref id=\"x3\" to=\"p3\"/></p></section>\n"
        "<section id=\"s2\"/>\n" TAIL);
    assert_string_equal(ref_text(doc, "x1"), "paragraph 1.1");
    assert_ptr_equal(qdoc_find_id(doc->root, "dup"),
                     doc->root->first->next->first);
    assert_null(ref_text(doc, "x2"));
    /* after the index exists: a new id, and an id changed away */
    qnode *s2 = by_id(doc, "s2");
    qdoc_attr_set(doc->arena, s2, "id", "late", s2->pos);
    assert_string_equal(ref_text(doc, "x2"), "section 2");
    qnode *p3 = by_id(doc, "p3");
    qdoc_attr_set(doc->arena, p3, "id", "gone", p3->pos);
    assert_null(ref_text(doc, "x3"));
    quorum_doc_free(doc);
}

static void test_appendices_outcomes_criteria(void **state) {
    (void)state;
    /* Built by hand: appendix files are exercised in test_load. */
    quorum_doc *doc = load_str(HEAD "<appendices numbering=\"A\"/>\n" TAIL);
    qarena *a = doc->arena;
    qpos p = {0, 0, 0};
    qnode *apps = qdoc_first_child_of(doc->root, QN_APPENDICES);
    qnode *ap[3];
    for (int i = 0; i < 3; i++) {
        ap[i] = qdoc_node_new(a, QN_APPENDIX, NULL, p);
        qdoc_append(apps, ap[i]);
    }
    qdoc_attr_set(a, ap[0], "id", "A1", p);
    qdoc_attr_set(a, ap[2], "id", "A3", p);
    qnode *sec = qdoc_node_new(a, QN_SECTION, NULL, p);
    qdoc_attr_set(a, sec, "id", "asec", p);
    qdoc_append(ap[0], sec);
    qnode *sec2 = qdoc_node_new(a, QN_SECTION, NULL, p);
    qdoc_attr_set(a, sec2, "id", "asec2", p);
    qdoc_attr_set(a, sec2, "numbered", "true", p);
    qdoc_append(ap[0], sec2);
    qnode *out = qdoc_node_new(a, QN_OUTCOME, NULL, p);
    qdoc_attr_set(a, out, "number", "4", p);
    qdoc_attr_set(a, out, "id", "o4", p);
    qdoc_append(ap[0], out);
    qnode *cr = qdoc_node_new(a, QN_CRITERION, NULL, p);
    qdoc_attr_set(a, cr, "letter", "b", p);
    qdoc_attr_set(a, cr, "id", "o4b", p);
    qdoc_append(out, cr);
    qnode *ref = qdoc_node_new(a, QN_REF, NULL, p);
    qdoc_append(sec, ref);
    qdoc_number(doc);
    assert_string_equal(num(doc, "A1"), "A");
    assert_string_equal(num(doc, "A3"), "C");
    assert_string_equal(num(doc, "asec"), "(none)"); /* appendix default */
    assert_string_equal(num(doc, "asec2"), "1");
    assert_string_equal(num(doc, "o4"), "4");
    assert_string_equal(num(doc, "o4b"), "b");
    qdoc_attr_set(a, ref, "to", "A3", p);
    assert_string_equal(qdoc_ref_text(a, doc, ref), "Appendix C");
    qdoc_attr_set(a, ref, "to", "o4", p);
    assert_string_equal(qdoc_ref_text(a, doc, ref), "Outcome 4");
    qdoc_attr_set(a, ref, "to", "o4b", p);
    assert_string_equal(qdoc_ref_text(a, doc, ref), "criterion 4b");
    qdoc_attr_set(a, apps, "numbering", "1", p);
    qdoc_number(doc);
    assert_string_equal(num(doc, "A3"), "3");
    quorum_doc_free(doc);
}

static void test_outcome_and_criterion_defaults(void **state) {
    (void)state;
    quorum_doc *doc = load_str(HEAD TAIL);
    qarena *a = doc->arena;
    qpos p = {0, 0, 0};
    qnode *perf = qdoc_node_new(a, QN_PERFORMANCE, NULL, p);
    qdoc_append(doc->root, perf);
    qnode *o[2];
    for (int i = 0; i < 2; i++) {
        o[i] = qdoc_node_new(a, QN_OUTCOME, NULL, p);
        qdoc_attr_set(a, o[i], "id", i ? "o2" : "o1", p);
        qdoc_append(perf, o[i]);
        for (int j = 0; j < 3; j++) {
            qnode *c = qdoc_node_new(a, QN_CRITERION, NULL, p);
            char id[8];
            snprintf(id, sizeof id, "c%d%d", i + 1, j);
            qdoc_attr_set(a, c, "id", id, p);
            if (i == 1 && j == 1) qdoc_attr_set(a, c, "letter", "x", p);
            qdoc_append(o[i], c);
        }
    }
    qdoc_number(doc);
    assert_string_equal(num(doc, "o1"), "1");
    assert_string_equal(num(doc, "o2"), "2");
    assert_string_equal(num(doc, "c10"), "a");
    assert_string_equal(num(doc, "c12"), "c");
    assert_string_equal(num(doc, "c21"), "x");
    assert_string_equal(num(doc, "c22"), "c");
    quorum_doc_free(doc);
}

/* Marker patterns: decimal, letters and roman numerals in either case,
 * in their punctuation; labels without a doubled dot. */
static void test_markers(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    static const struct { const char *pat; int k; const char *want; } t[] = {
        {"1.", 0, "1."}, {"1)", 9, "10)"}, {"(a)", 2, "(c)"}, {"a)", 26, "aa)"},
        {"A.", 1, "B."}, {"i.", 3, "iv."}, {"(I)", 8, "(IX)"}, {"i", 1993, "mcmxciv"},
        {"[1]", 0, "[1]"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        assert_true(qdoc_marker_valid(t[i].pat));
        const char *c = qdoc_marker_count(a, t[i].pat, t[i].k);
        assert_string_equal(qdoc_marker(a, t[i].pat, c), t[i].want);
    }
    assert_false(qdoc_marker_valid("1.a"));   /* two counters */
    assert_false(qdoc_marker_valid("(x)"));   /* no counter */
    assert_false(qdoc_marker_valid("No. 1")); /* words */
    assert_false(qdoc_marker_valid(NULL));
    assert_string_equal(qdoc_marker(a, "bad", "3"), "3");
    assert_string_equal(qdoc_number_label(a, "2"), "2.");
    assert_string_equal(qdoc_number_label(a, "a"), "a.");
    assert_string_equal(qdoc_number_label(a, "2.1"), "2.1");
    assert_string_equal(qdoc_number_label(a, "b)"), "b)");
    assert_string_equal(qdoc_number_label(a, "1."), "1.");
    qarena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_recommendations),
        cmocka_unit_test(test_refs_and_idempotence),
        cmocka_unit_test(test_ref_index_matches_scan),
        cmocka_unit_test(test_appendices_outcomes_criteria),
        cmocka_unit_test(test_outcome_and_criterion_defaults),
        cmocka_unit_test(test_markers),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    quorum_diags_free(g_d);
    return rc;
}
