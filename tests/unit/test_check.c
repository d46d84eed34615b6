/* Semantic checks: one test per rule, each asserting the exact
 * "line:col: severity: message" it must produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "doc.h"
#include "load.h"
#include "test_engine.h"
/* Tests of other engine options set g_alt for a while. */
static quorum_engine *g_alt;
static unsigned g_load_flags; /* QLOAD_NO_SCHEMA: as a report read again */
#define TE (g_alt ? g_alt : test_engine())
static const quorum_options *g_opt; /* the style checked against */

#define FRONT(title, body)                                                   \
    "<report xmlns=\"urn:quorum:report:1\">\n"                               \
    "<front-sheet><field role=\"title\">" title "</field>\n"                 \
    "<field role=\"meeting-date\" date=\"2025-01-29\">29 January</field>"    \
    "</front-sheet>\n" body "</report>\n"
#define DOC(body) FRONT("T", body)

typedef struct result {
    quorum_diags *d;
    size_t errors;
    size_t load_diags;
} result;

static char g_all[8192];

/* Loads and checks; returns all diagnostics (sorted) as lines. */
static const char *run(const char *xml, result *r) {
    r->d = quorum_diags_new();
    quorum_doc *doc;
    if (g_load_flags) {
        char path[] = "/tmp/quorum-check-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(xml, f);
        fclose(f);
        doc = qload_doc(TE, path, r->d, g_load_flags, NULL);
        unlink(path);
    } else {
        doc = quorum_doc_load_memory(TE, xml, strlen(xml), "mem.xml", r->d);
    }
    assert_non_null(doc);
    r->load_diags = quorum_diags_count(r->d);
    r->errors = quorum_doc_check(TE, doc, g_opt, r->d);
    quorum_doc_free(doc);
    quorum_diags_sort(r->d);
    g_all[0] = '\0';
    for (size_t i = 0; i < quorum_diags_count(r->d); i++) {
        quorum_diag q;
        quorum_diags_get(r->d, i, &q);
        char line[1024];
        snprintf(line, sizeof line, "%u:%u: %s: %s\n", q.line, q.col,
                 q.severity == QUORUM_ERROR ? "error"
                 : q.severity == QUORUM_WARNING ? "warning" : "note",
                 q.message);
        strncat(g_all, line, sizeof g_all - strlen(g_all) - 1);
    }
    return g_all;
}

static void expect_only(const char *xml, const char *want, size_t errors) {
    result r;
    const char *got = run(xml, &r);
    if (strcmp(got, want) != 0)
        fail_msg("got:\n%s\nwant:\n%s", got, want);
    assert_int_equal((int)r.errors, (int)errors);
    quorum_diags_free(r.d);
}

static void test_clean_document_has_no_diagnostics(void **state) {
    (void)state;
    expect_only(DOC("<section id=\"s\"><p id=\"p\">See <ref to=\"s\"/>.</p></section>\n"
                    "<implication type=\"financial\"><not-applicable>none</not-applicable>"
                    "</implication>\n"),
                "", 0);
}

static void test_duplicate_id(void **state) {
    (void)state;
    expect_only(DOC("<section id=\"x\">\n  <p id=\"x\">a</p></section>\n"),
                "5:6: error: duplicate id \"x\" (first used at line 4)\n", 1);
}

static void test_dangling_and_unnumbered_refs(void **state) {
    (void)state;
    expect_only(DOC("<section><p>See <ref to=\"nope\"/> and\n"
                    "<ref to=\"t\"/>.</p><table id=\"t\"><row><cell>x</cell></row></table>"
                    "</section>\n"),
                "4:22: error: reference to \"nope\", but no element has that id\n"
                "5:6: error: reference to \"t\" (a <table>) cannot print a number: "
                "it is not numbered\n",
                2);
}

static void test_dates(void **state) {
    (void)state;
    /* 2025-02-30 passes the schema pattern but is no date */
    expect_only(DOC("<implication type=\"legal\">\n"
                    "  <sign-off name=\"A\" date=\"2025-02-30\"/></implication>\n"),
                "5:22: error: date \"2025-02-30\" is not a valid ISO 8601 date "
                "(YYYY-MM-DD)\n", 1);
    expect_only(DOC("<implication type=\"legal\">\n"
                    "  <sign-off name=\"A\" date=\"2025-02-01\"/></implication>\n"),
                "5:22: error: sign-off dated 2025-02-01, after the meeting on "
                "2025-01-29\n", 1);
    expect_only(DOC("<implication type=\"legal\">\n"
                    "  <sign-off name=\"A\" date=\"2025-01-29\"/></implication>\n"),
                "", 0);
    expect_only("<report xmlns=\"urn:quorum:report:1\"><front-sheet>"
                "<field role=\"title\">T</field>\n"
                "<field role=\"meeting-date\">soon</field></front-sheet></report>",
                "2:1: error: the meeting-date field needs a date=\"YYYY-MM-DD\" "
                "attribute\n", 1);
}

static void test_implication_without_sign_off(void **state) {
    (void)state;
    expect_only(DOC("<implication type=\"equality\"><p>x</p></implication>\n"
                    "<implication type=\"other\"><p>x</p></implication>\n"
                    "<implication type=\"risk\"><sign-off name=\"K\" date=\"2025-01-01\"/>"
                    "</implication>\n"),
                "4:1: warning: equality implications have neither a <sign-off> "
                "nor <not-applicable>\n", 0);
}

static void test_explicit_numbers_backwards(void **state) {
    (void)state;
    expect_only(DOC("<section>\n<p>a</p><p>b</p><p>c</p>\n"
                    "<p number=\"1.2\">again</p>\n"
                    "<p number=\"1.2\">same</p>\n"
                    "<p number=\"1.9\">ok</p>\n"
                    "</section>\n"
                    "<section number=\"1\"/>\n"),
                "6:4: warning: paragraph number 1.2 comes after 1.3\n"
                "7:4: warning: paragraph number 1.2 repeats 1.2\n"
                "10:10: warning: section number 1 repeats 1\n", 0);
}

static void test_empty_title_and_sign_off_name(void **state) {
    (void)state;
    expect_only(FRONT("  ", "<implication type=\"risk\">\n"
                            "<sign-off name=\" \" date=\"2025-01-01\"/></implication>\n"),
                "2:14: error: the report title is empty\n"
                "5:11: error: the sign-off name is empty\n", 2);
    expect_only("<report xmlns=\"urn:quorum:report:1\">\n <front-sheet/></report>",
                "2:2: error: the front sheet needs a <field role=\"title\"> (it is "
                "the PDF title and the page footer)\n", 1);
}

static void test_characters_missing_from_font(void **state) {
    (void)state;
    /* after multibyte characters, through an entity, in an attribute */
    expect_only(DOC("<section><p>é “x” ☃ and &#x2603;<!-- ☃ --> <b>\xF0\x9F\x98\x80</b></p>\n"
                    "<table caption=\"é ☃\"><row><cell>x</cell></row></table></section>\n"),
                "4:19: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Regular.ttf\n"
                "4:25: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Regular.ttf\n"
                "4:47: error: character '\xF0\x9F\x98\x80' (U+1F600) is not in the font "
                "LiberationSans-Bold.ttf\n" /* the face that draws it */
                /* a table's caption is printed in bold */
                "5:19: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Bold.ttf\n",
                4);
}

/* Line feeds, tabs, another face, an entity and a quote of the other kind
 * before the character: the positions stay exact (the check steps over
 * covered ASCII without decoding it). */
static void test_missing_character_positions(void **state) {
    (void)state;
    expect_only(DOC("<section><p>x\n\t y ☃ <i>a ☃</i>&amp;☃</p>\n"
                    "<table caption='q\"☃'><row><cell>x</cell></row></table>"
                    "</section>\n"),
                "5:5: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Regular.ttf\n"
                "5:12: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Italic.ttf\n"
                "5:22: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Regular.ttf\n"
                "6:19: error: character '☃' (U+2603) is not in the font "
                "LiberationSans-Bold.ttf\n", /* a caption, printed bold */
                4);
}

/* The characters' fast path steps over eight bytes of covered ASCII at a
 * time: a missing character at every offset from a run's start (in text,
 * and in an attribute whose other quote it must not stop at), each
 * reported where it is. */
static void test_missing_character_every_offset(void **state) {
    (void)state;
    static char xml[8192], want[8192];
    size_t n = 0, m = 0;
    n += (size_t)snprintf(xml + n, sizeof xml - n, "%s",
                          "<report xmlns=\"urn:quorum:report:1\">\n"
                          "<front-sheet><field role=\"title\">T</field>\n"
                          "<field role=\"meeting-date\" date=\"2025-01-29\">29 "
                          "January</field></front-sheet>\n<section>\n");
    unsigned line = 5;
    for (int k = 0; k < 18; k++, line++) {
        n += (size_t)snprintf(xml + n, sizeof xml - n, "<p>%.*s \xE2\x98\x83" "b</p>\n",
                              k, "aaaaaaaaaaaaaaaaaaaaaaaa");
        m += (size_t)snprintf(want + m, sizeof want - m,
                              "%u:%d: error: character '\xE2\x98\x83' (U+2603) is not "
                              "in the font LiberationSans-Regular.ttf\n", line, k + 5);
    }
    for (int k = 0; k < 18; k++, line++) {
        n += (size_t)snprintf(xml + n, sizeof xml - n,
                              "<table caption=\"%.*s'\xE2\x98\x83\"><row><cell>x</cell>"
                              "</row></table>\n", k, "bbbbbbbbbbbbbbbbbbbbbbbb");
        m += (size_t)snprintf(want + m, sizeof want - m,
                              "%u:%d: error: character '\xE2\x98\x83' (U+2603) is not "
                              "in the font LiberationSans-Bold.ttf\n", line, k + 18);
    }
    n += (size_t)snprintf(xml + n, sizeof xml - n, "</section>\n</report>\n");
    expect_only(xml, want, 36);
}

/* Each engine has its own font directory: one made with another is
 * honoured, and the first is unchanged by it. */
static void test_font_dir_change(void **state) {
    (void)state;
    const char *xml = DOC("<section><p>☃</p></section>\n");
    const char *miss = "4:13: error: character '☃' (U+2603) is not in the font "
                       "LiberationSans-Regular.ttf\n";
    expect_only(xml, miss, 1);
    g_alt = test_engine_with("/nonexistent-quorum-fonts", NULL, NULL);
    assert_non_null(g_alt);
    expect_only(xml, "0:0: note: characters not checked against the fonts: "
                     "cannot open the regular font in "
                     "/nonexistent-quorum-fonts\n", 0);
    quorum_engine_free(g_alt);
    g_alt = NULL;
    expect_only(xml, miss, 1);
}

/* Fonts that cannot be read are an I/O matter for layout (exit 3), not
 * invalid input: the character check steps aside with a note. */
static void test_fonts_unreadable(void **state) {
    (void)state;
    g_alt = test_engine_with("/nonexistent-quorum-fonts", NULL, NULL);
    expect_only(DOC("<section><p>☃</p></section>\n"),
                "0:0: note: characters not checked against the fonts: cannot "
                "open the regular font in /nonexistent-quorum-fonts\n", 0);
    quorum_engine_free(g_alt);
    g_alt = NULL;
}

static void test_unknown_elements_reported_once(void **state) {
    (void)state;
    /* with the schema: its message only (the second one it skips is ours) */
    const char *xml = DOC("<section><frob>x</frob><p>x <blink>y</blink></p></section>\n");
    result r;
    const char *got = run(xml, &r);
    assert_non_null(strstr(got, "4:10: error: <frob> is not allowed here"));
    assert_null(strstr(got, "unknown element <frob>"));
    assert_non_null(strstr(got, "4:29: error: unknown element <blink>"));
    quorum_diags_free(r.d);
    /* without the schema, the check says it */
    g_load_flags = QLOAD_NO_SCHEMA;
    got = run(xml, &r);
    g_load_flags = 0;
    assert_non_null(strstr(got, "4:10: error: unknown element <frob>"));
    assert_non_null(strstr(got, "4:29: error: unknown element <blink>"));
    quorum_diags_free(r.d);
}

/* The check measures with the faces of the style in use (northgate's
 * body is Lato): a character Lato lacks is refused and named though
 * Liberation Sans has it; one Lato has passes though Liberation Sans
 * lacks it, and the other way round under the built-in style. */
static void test_style_fonts(void **state) {
    (void)state;
    /* ⇔ U+21D4: Liberation Sans only; ‽ U+203D: Lato only */
    const char *both = DOC("<section><heading>A ⇔ B</heading><p>Why‽</p>"
                           "<table><row header=\"true\"><cell>⇔</cell></row>"
                           "</table></section>\n");
    quorum_options north = {NULL, "northgate"};
    g_opt = &north;
    expect_only(both,
                "4:21: error: character '⇔' (U+21D4) is not in the font "
                "Lato-Bold.ttf\n"
                "4:77: error: character '⇔' (U+21D4) is not in the font "
                "Lato-Bold.ttf\n", 2);
    g_opt = NULL;
    expect_only(both,
                "4:40: error: character '‽' (U+203D) is not in the font "
                "LiberationSans-Regular.ttf\n", 1);
    /* riverside: headings and tables in Open Sans, the body in
     * Liberation Serif; ℠ U+2120 is in Open Sans Bold only */
    quorum_options river = {NULL, "riverside"};
    g_opt = &river;
    expect_only(DOC("<section><heading>A℠</heading><p>B℠</p>"
                    "<table><row header=\"true\"><cell>C℠</cell></row></table>"
                    "</section>\n"),
                "4:35: error: character '℠' (U+2120) is not in the font "
                "LiberationSerif-Regular.ttf\n", 1);
    g_opt = NULL;
}

/* after a failure too: the next test checks with the defaults */
static int reset_options(void **state) {
    (void)state;
    g_opt = NULL;
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_style_fonts, reset_options),
        cmocka_unit_test(test_clean_document_has_no_diagnostics),
        cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_dangling_and_unnumbered_refs),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_implication_without_sign_off),
        cmocka_unit_test(test_explicit_numbers_backwards),
        cmocka_unit_test(test_empty_title_and_sign_off_name),
        cmocka_unit_test(test_characters_missing_from_font),
        cmocka_unit_test(test_fonts_unreadable),
        cmocka_unit_test(test_missing_character_positions),
        cmocka_unit_test(test_missing_character_every_offset),
        cmocka_unit_test(test_font_dir_change),
        cmocka_unit_test(test_unknown_elements_reported_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
