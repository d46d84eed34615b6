/* The one reading of a report's status and classification (doc/status.c):
 * the vocabulary in any case and spacing, nothing outside it taken as
 * open, the most restrictive field deciding, Schedule 12A paragraph lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"
#include "layout_tree.h"

static void test_vocabulary(void **state) {
    (void)state;
    static const struct { const char *text; qdoc_access want; } cases[] = {
        {"open", QDOC_OPEN}, {"Open", QDOC_OPEN}, {" PUBLIC\n", QDOC_OPEN},
        {"Part 1", QDOC_OPEN}, {"part\t1", QDOC_OPEN},
        {"exempt", QDOC_EXEMPT}, {"Exempt", QDOC_EXEMPT}, {"EXEMPT", QDOC_EXEMPT},
        {" exempt ", QDOC_EXEMPT}, {"\n  Exempt\n", QDOC_EXEMPT},
        {"\xC2\xA0" "eXeMpT" "\xC2\xA0", QDOC_EXEMPT},
        {"Part 2", QDOC_EXEMPT}, {"PART  2", QDOC_EXEMPT},
        {"Part\xC2\xA0" "2", QDOC_EXEMPT},
        {"Not for publication", QDOC_EXEMPT}, {"NOT FOR\nPUBLICATION", QDOC_EXEMPT},
        {"Private", QDOC_EXEMPT}, {"private ", QDOC_EXEMPT},
        {"Confidential", QDOC_CONFIDENTIAL}, {"CONFIDENTIAL", QDOC_CONFIDENTIAL},
        /* near misses are not open: the check says so, and nothing
         * publishes them meanwhile */
        {"", QDOC_UNKNOWN}, {"   ", QDOC_UNKNOWN}, {"Exmpt", QDOC_UNKNOWN},
        {"exempted", QDOC_UNKNOWN}, {"Part 12", QDOC_UNKNOWN}, {"Part2", QDOC_UNKNOWN},
        {"openly", QDOC_UNKNOWN}, {"open exempt", QDOC_UNKNOWN},
        {"Not for publication.", QDOC_UNKNOWN}, {"OFFICIAL", QDOC_UNKNOWN},
        {"\xC3\x89xempt", QDOC_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        qdoc_access got = qdoc_access_of_text(cases[i].text);
        if (got != cases[i].want) fail_msg("\"%s\": %d, want %d", cases[i].text, got, cases[i].want);
    }
    assert_int_equal(qdoc_access_of_text(NULL), QDOC_UNKNOWN);
}

/* a report with front-sheet fields role=value ... (NULL-terminated) */
static quorum_doc *report(const char *role, ...) {
    tree_arena = qarena_new(0);
    quorum_doc *doc = calloc(1, sizeof *doc);
    doc->arena = tree_arena;
    doc->root = el(NULL, QN_REPORT, "report", NULL);
    qnode *fs = el(doc->root, QN_FRONT_SHEET, "front-sheet", NULL);
    va_list ap;
    va_start(ap, role);
    for (const char *r = role; r; r = va_arg(ap, const char *)) {
        qnode *f = elt(fs, QN_FIELD, va_arg(ap, const char *));
        qdoc_attr_set(tree_arena, f, "role", r, tree_pos);
    }
    va_end(ap);
    return doc;
}

static void done(quorum_doc *doc) {
    qarena_free(doc->arena);
    free(doc);
}

static void test_report_access(void **state) {
    (void)state;
    const qnode *why = NULL;
    quorum_doc *doc = report("title", "Exempt", NULL); /* not a status field */
    assert_int_equal(qdoc_access_of(doc->arena, doc, &why), QDOC_OPEN);
    assert_null(why);
    assert_true(qdoc_published(doc->arena, doc));
    done(doc);
    doc = report("status", "Open", "classification", " Part 2", NULL);
    assert_int_equal(qdoc_access_of(doc->arena, doc, &why), QDOC_EXEMPT);
    assert_string_equal(qdoc_attr(why, "role"), "classification");
    assert_false(qdoc_published(doc->arena, doc));
    done(doc);
    doc = report("classification", "Private", "status", "Open", NULL);
    assert_int_equal(qdoc_access_of(doc->arena, doc, &why), QDOC_EXEMPT);
    assert_string_equal(qdoc_attr(why, "role"), "classification");
    done(doc);
    doc = report("status", "Exempt", "status", "who knows", NULL);
    assert_int_equal(qdoc_access_of(doc->arena, doc, NULL), QDOC_UNKNOWN);
    assert_false(qdoc_published(doc->arena, doc));
    done(doc);
    doc = report("status", "public", NULL);
    assert_int_equal(qdoc_access_of(doc->arena, doc, &why), QDOC_OPEN);
    assert_string_equal(qdoc_attr(why, "role"), "status");
    done(doc);
}

static void test_paragraphs(void **state) {
    (void)state;
    const qdoc_law E = QDOC_LAW_ENGLAND, W = QDOC_LAW_WALES, S = QDOC_LAW_SCOTLAND;
    assert_true(qdoc_paragraphs_ok(E, "3"));
    assert_true(qdoc_paragraphs_ok(E, " 1 2 "));
    assert_true(qdoc_paragraphs_ok(E, "7\t1"));
    assert_false(qdoc_paragraphs_ok(E, ""));
    assert_false(qdoc_paragraphs_ok(E, "  "));
    assert_false(qdoc_paragraphs_ok(E, "8"));
    assert_false(qdoc_paragraphs_ok(E, "0"));
    assert_false(qdoc_paragraphs_ok(E, "12"));
    assert_false(qdoc_paragraphs_ok(E, "3,4"));
    assert_false(qdoc_paragraphs_ok(E, NULL));
    /* Wales: Part 4's 12-18; England's numbers are not Wales's */
    assert_true(qdoc_paragraphs_ok(W, "12"));
    assert_true(qdoc_paragraphs_ok(W, "14 16 18"));
    assert_false(qdoc_paragraphs_ok(W, "3"));
    assert_false(qdoc_paragraphs_ok(W, "11"));
    assert_false(qdoc_paragraphs_ok(W, "19"));
    assert_false(qdoc_paragraphs_ok(W, "14a"));
    assert_false(qdoc_paragraphs_ok(W, "1400"));
    /* Scotland: Schedule 7A's 1-15 */
    assert_true(qdoc_paragraphs_ok(S, "1 15"));
    assert_true(qdoc_paragraphs_ok(S, "9"));
    assert_false(qdoc_paragraphs_ok(S, "16"));
    assert_false(qdoc_paragraphs_ok(S, "0"));
}

static void test_value_text(void **state) {
    (void)state;
    quorum_doc *doc = report("status", "\xC2\xA0 Part \xC2\xA0" "2 \n", NULL);
    const qnode *f = qdoc_field(doc, "status");
    assert_string_equal(qdoc_value_text(doc->arena, f), "Part \xC2\xA0" "2");
    done(doc);
}

int main(void) {
    (void)font_dir; /* layout_tree.h's; these trees need no fonts */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_report_access),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_value_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
