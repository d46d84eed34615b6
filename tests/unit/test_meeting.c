/* Meeting files: loading, agenda numbering and qmeeting_check, each rule
 * with the exact "line:col: severity: message" it must produce.  The
 * publication rule runs against the real bank holiday file in data/. */
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
#include "meeting.h"
#include "words.h"
#include "util.h"
#include "load.h"
#include "test_engine.h"
#define TE test_engine()

/* Line 1: root; 2: body; 3: date; 4: time; 5: venue; 6: published;
 * 7: clerk; 8: <agenda>; items from line 9. */
#define MEETING_AT(published, date, items)                                   \
    "<meeting xmlns=\"urn:quorum:report:1\" id=\"m\">\n"                     \
    "<body>Council</body>\n"                                                 \
    "<date>" date "</date>\n"                                                \
    "<time>19:00</time>\n"                                                   \
    "<venue>Council Chamber</venue>\n"                                       \
    "<published>" published "</published>\n"                                 \
    "<clerk name=\"Democratic Services\" email=\"d@example.gov.uk\"/>\n"     \
    "<agenda>\n" items "</agenda>\n"                                         \
    "</meeting>\n"
#define ONE_ITEM "<item title=\"Apologies\"/>\n"
#define MEETING(items) MEETING_AT("2025-01-21", "2025-01-29", items)

static char g_all[8192];
static char g_holidays[4096];

static const char *lines_of(quorum_diags *d) {
    quorum_diags_sort(d);
    g_all[0] = '\0';
    for (size_t i = 0; i < quorum_diags_count(d); i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        char line[1024];
        snprintf(line, sizeof line, "%u:%u: %s: %s\n", q.line, q.col,
                 q.severity == QUORUM_ERROR ? "error"
                 : q.severity == QUORUM_WARNING ? "warning" : "note",
                 q.message);
        strncat(g_all, line, sizeof g_all - strlen(g_all) - 1);
    }
    return g_all;
}

/* Loads (no load diagnostics allowed) and runs qmeeting_check. */
static const char *check(const char *xml, const char *holidays,
                         size_t *errors) {
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, strlen(xml), "m.xml", d);
    assert_non_null(doc);
    if (quorum_diags_count(d) != 0) fail_msg("load: %s", lines_of(d));
    assert_int_equal(doc->root->type, QN_MEETING);
    size_t e = qmeeting_check(TE, doc, NULL, holidays, d);
    if (errors) *errors = e;
    quorum_doc_free(doc);
    lines_of(d);
    quorum_diags_free(d);
    return g_all;
}

static void expect(const char *xml, const char *want, size_t errors) {
    size_t e = 0;
    const char *got = check(xml, g_holidays, &e);
    if (strcmp(got, want) != 0) fail_msg("got:\n%s\nwant:\n%s", got, want);
    assert_int_equal((int)e, (int)errors);
}

/* The publication rule only: "" when five clear days, else its warning. */
static void expect_clear(const char *published, const char *date,
                         const char *want) {
    char xml[2048];
    /* <date> comes before <published> in the file */
    snprintf(xml, sizeof xml, MEETING_AT("%s", "%s", ONE_ITEM), date,
             published);
    expect(xml, want, 0);
}

static int setup(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    assert_non_null(src);
    snprintf(g_holidays, sizeof g_holidays,
             "%s/data/bank-holidays-england-wales.txt", src);
    return 0;
}

static void test_sample_is_clean(void **state) {
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/meeting.xml",
             getenv("QUORUM_SOURCE_DIR"));
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, path, d);
    assert_non_null(doc);
    /* quorum_doc_check runs the meeting checks, default holiday file */
    assert_int_equal((int)quorum_doc_check(TE, doc, NULL, d), 0);
    if (quorum_diags_count(d)) fail_msg("%s", lines_of(d));
    qnode *agenda = qdoc_first_child_of(doc->root, QN_AGENDA);
    assert_non_null(agenda);
    assert_string_equal(agenda->last->number, "12");
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_weekends(void **state) {
    (void)state;
    /* Tue 21 -> Wed 29 January 2025: 22, 23, 24, 27, 28 */
    expect_clear("2025-01-21", "2025-01-29", "");
    /* Thu 23 -> Wed 29: 24, 27, 28 */
    expect_clear("2025-01-23", "2025-01-29",
                 "6:1: warning: published 2025-01-23, only 3 clear working "
                 "days before the meeting on 2025-01-29 (5 required)\n");
    /* a Friday publication: the weekend after it does not count */
    expect_clear("2025-01-24", "2025-01-31",
                 "6:1: warning: published 2025-01-24, only 4 clear working "
                 "days before the meeting on 2025-01-31 (5 required)\n");
    expect_clear("2025-01-24", "2025-02-03", ""); /* 27-31 January */
    /* published on Saturday for Monday week: Mon-Fri in between */
    expect_clear("2025-01-25", "2025-02-03", "");
    expect_clear("2025-01-30", "2025-01-31",
                 "6:1: warning: published 2025-01-30, only 0 clear working "
                 "days before the meeting on 2025-01-31 (5 required)\n");
    expect_clear("2025-01-28", "2025-01-30",
                 "6:1: warning: published 2025-01-28, only 1 clear working "
                 "day before the meeting on 2025-01-30 (5 required)\n");
}

static void test_christmas_and_new_year(void **state) {
    (void)state;
    /* Thu 19 Dec 2024 -> Tue 31 Dec: 20, 23, 24, 27, 30 (25, 26 holidays) */
    expect_clear("2024-12-19", "2024-12-31", "");
    /* Fri 20 Dec -> Tue 31 Dec: 23, 24, 27, 30 */
    expect_clear("2024-12-20", "2024-12-31",
                 "6:1: warning: published 2024-12-20, only 4 clear working "
                 "days before the meeting on 2024-12-31 (5 required)\n");
    /* Mon 23 Dec -> Mon 6 Jan 2025: 24, 27, 30, 31, 2, 3 (1 Jan holiday) */
    expect_clear("2024-12-23", "2025-01-06", "");
    /* Fri 27 Dec -> Tue 7 Jan: 30, 31, 2, 3, 6 */
    expect_clear("2024-12-27", "2025-01-07", "");
    /* Fri 27 Dec -> Mon 6 Jan: 30, 31, 2, 3 */
    expect_clear("2024-12-27", "2025-01-06",
                 "6:1: warning: published 2024-12-27, only 4 clear working "
                 "days before the meeting on 2025-01-06 (5 required)\n");
}

static void test_easter_2025(void **state) {
    (void)state;
    /* Good Friday 18 April, Easter Monday 21 April 2025 */
    /* Fri 11 -> Wed 23: 14, 15, 16, 17, 22 */
    expect_clear("2025-04-11", "2025-04-23", "");
    /* Mon 14 -> Wed 23: 15, 16, 17, 22 */
    expect_clear("2025-04-14", "2025-04-23",
                 "6:1: warning: published 2025-04-14, only 4 clear working "
                 "days before the meeting on 2025-04-23 (5 required)\n");
    /* Thu 17 -> Tue 29: 22, 23, 24, 25, 28 */
    expect_clear("2025-04-17", "2025-04-29", "");
}

static void test_published_not_before_meeting(void **state) {
    (void)state;
    expect(MEETING_AT("2025-01-29", "2025-01-29", ONE_ITEM),
           "6:1: error: published 2025-01-29, not before the meeting on "
           "2025-01-29: the agenda must be published before the meeting\n",
           1);
    expect(MEETING_AT("2025-02-01", "2025-01-29", ONE_ITEM),
           "6:1: error: published 2025-02-01, not before the meeting on "
           "2025-01-29: the agenda must be published before the meeting\n",
           1);
}

static void test_dates_and_time(void **state) {
    (void)state;
    /* pass the schema pattern, but are no date */
    expect(MEETING_AT("2025-01-21", "2025-02-30", ONE_ITEM),
           "3:1: error: meeting date \"2025-02-30\" is not a valid ISO 8601 "
           "date (YYYY-MM-DD)\n", 1);
    expect(MEETING_AT("2025-13-01", "2025-01-29", ONE_ITEM),
           "6:1: error: published date \"2025-13-01\" is not a valid ISO "
           "8601 date (YYYY-MM-DD)\n", 1);
}

static void test_outside_holiday_years(void **state) {
    (void)state;
    expect_clear("2031-01-21", "2031-01-29",
                 "3:1: warning: bank holidays known only for 2018–2027: "
                 "clear working days between 2031-01-21 and 2031-01-29 are "
                 "counted without them\n");
}

static void test_holiday_file_errors(void **state) {
    (void)state;
    char path[] = "/tmp/quorum-holidays-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    /* 22 January 2025 a holiday: 23, 24, 27, 28 remain */
    fputs("# test list\n2025-01-01\n\n  2025-01-22  # invented\n", f);
    fclose(f);
    const char *got = check(MEETING(ONE_ITEM), path, NULL);
    assert_string_equal(got, "6:1: warning: published 2025-01-21, only 4 "
                             "clear working days before the meeting on "
                             "2025-01-29 (5 required)\n");
    /* a bad line: an error in that file, at the date, and no count */
    f = fopen(path, "w");
    fputs("2025-01-01\n# fine\n  2025-02-30 # no such day\n", f);
    fclose(f);
    quorum_diags *d = quorum_diags_new();
    long *days = NULL;
    size_t n = 99;
    assert_int_equal(qmeeting_holidays_load(path, &days, &n, d), -1);
    assert_null(days);
    assert_int_equal((int)n, 0);
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_string_equal(q.file, path);
    assert_int_equal(q.line, 3);
    assert_int_equal(q.col, 3);
    assert_int_equal(q.severity, QUORUM_ERROR);
    assert_string_equal(q.message, "\"2025-02-30\" is not a date: the bank "
                                   "holiday list holds one ISO date "
                                   "(YYYY-MM-DD) a line");
    quorum_diags_free(d);
    size_t e = 0;
    check(MEETING(ONE_ITEM), path, &e);
    assert_int_equal((int)e, 1);
    unlink(path);
    /* missing file: an error without a line */
    d = quorum_diags_new();
    assert_int_equal(qmeeting_holidays_load("/nonexistent/holidays.txt",
                                            &days, &n, d), -1);
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_int_equal(q.line, 0);
    assert_non_null(strstr(q.message, "cannot read the bank holiday list"));
    quorum_diags_free(d);
    /* the real list parses */
    d = quorum_diags_new();
    assert_int_equal(qmeeting_holidays_load(NULL, &days, &n, d), 0);
    assert_true(n >= 80);
    free(days);
    quorum_diags_free(d);
}

static void test_late_items(void **state) {
    (void)state;
    expect(MEETING(ONE_ITEM
                   "<item title=\"Budget\" late=\"true\"/>\n"
                   "<item title=\"Roads\" late=\"true\" urgency=\"A deadline\" "
                   "published=\"2025-01-24\"/>\n"
                   "<item title=\"Parks\" urgency=\"none\"/>\n"
                   "<item title=\"Bins\" late=\"true\" urgency=\"x\" "
                   "published=\"2025-01-29\"/>\n"),
           "10:1: error: late item 2 needs urgency=\"…\": a late item may be "
           "considered only as a matter of urgency, for reasons given (Local "
           "Government Act 1972, s.100B(4)(b))\n"
           "12:21: warning: item 4 gives urgency but is not late=\"true\"\n"
           "13:44: error: item 5 published 2025-01-29: a late item is "
           "published on or after the agenda (2025-01-21) and before the "
           "meeting (2025-01-29)\n",
           2);
}

static void test_exempt_items(void **state) {
    (void)state;
    expect(MEETING(ONE_ITEM
                   "<item title=\"Sale\" exempt-paragraph=\"3\"/>\n"
                   "<item title=\"Staff\" exempt-paragraph=\"1 2\"/>\n"
                   "<item title=\"Other\" exempt-paragraph=\"8\"/>\n"
                   "<item title=\"Open\"/>\n"
                   "<item title=\"Bad\" exempt-paragraph=\" \"/>\n"),
           "12:21: error: exempt-paragraph=\"8\" must list paragraph numbers 1 "
           "to 7 of Part 1 of Schedule 12A to the Local Government Act 1972 "
           "(e.g. \"3\" or \"1 2\")\n"
           "13:1: warning: open item 5 comes after exempt item 2: exempt "
           "items belong at the end of the agenda, after the exclusion of "
           "the public\n"
           "14:19: error: exempt-paragraph=\" \" must list paragraph numbers "
           "1 to 7 of Part 1 of Schedule 12A to the Local Government Act "
           "1972 (e.g. \"3\" or \"1 2\")\n",
           2);
}

static void test_numbering(void **state) {
    (void)state;
    const char *xml = MEETING(
        "<item title=\"a\"/><item title=\"b\"/><item title=\"c\"/>\n"
        "<item title=\"d\" number=\"3A\"/><item title=\"e\"/>\n"
        "<item title=\"f\" number=\"10\"/><item title=\"g\"/>\n"
        "<item title=\"h\" number=\"x.1\"/><item title=\"i\"/>\n");
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, strlen(xml), "m.xml", d);
    assert_non_null(doc);
    static const char *const want[] = {"1", "2", "3", "3A", "4", "10", "11",
                                       "x.1", "12"};
    qnode *agenda = qdoc_first_child_of(doc->root, QN_AGENDA);
    size_t k = 0;
    for (qnode *it = agenda->first; it; it = it->next) {
        if (it->type != QN_AGENDA_ITEM) continue;
        assert_true(k < sizeof want / sizeof *want);
        assert_string_equal(it->number, want[k]);
        assert_int_equal(it->index, (int)k);
        k++;
    }
    assert_int_equal((int)k, 9);
    /* idempotent */
    qdoc_number(doc);
    assert_string_equal(agenda->last->number, "12");
    quorum_doc_free(doc);
    quorum_diags_free(d);
    /* a whole number that repeats or goes backwards: warnings */
    expect(MEETING("<item title=\"a\"/><item title=\"b\"/>\n"
                   "<item title=\"c\" number=\"2\"/>\n"
                   "<item title=\"d\" number=\"9A\"/><item title=\"e\" "
                   "number=\"1\"/>\n"),
           "10:17: warning: item number 2 repeats: an earlier item already "
           "has it\n"
           "11:46: warning: item number 1 goes backwards (the items before "
           "it reach 2)\n",
           0);
}

static void test_fields(void **state) {
    (void)state;
    expect("<meeting xmlns=\"urn:quorum:report:1\">\n"
           "<body> </body>\n"
           "<date>2025-01-29</date>\n"
           "<time>19:00</time>\n"
           "<venue>Hall</venue>\n"
           "<published>2025-01-21</published>\n"
           "<clerk name=\" \" title=\"Clerk\"/>\n"
           "<agenda><item title=\"\"/><item title=\"x\"><p><ref to=\"m\"/>"
           "</p></item></agenda>\n"
           "</meeting>\n",
           "2:1: error: the meeting <body> is empty\n"
           "7:1: error: <clerk> needs an email or a phone: the agenda tells "
           "the public whom to contact\n"
           "7:8: error: the clerk's name is empty\n"
           "8:15: error: the item title is empty\n"
           "8:44: error: <ref> cannot be used in a meeting file: nothing in "
           "it is numbered to refer to\n",
           5);
}

static void test_loader(void **state) {
    (void)state;
    /* report paths: beside the meeting file or in a folder below it
     * (sub/r.xml, an item's own folder); reports are not opened */
    const char *xml = MEETING("<item title=\"a\" report=\"../r.xml\"/>\n"
                              "<item title=\"b\" report=\"sub//r.xml\"/>\n"
                              "<item title=\"c\" report=\"missing.xml\"/>\n"
                              "<item title=\"d\" report=\"/secret/sale.xml\" "
                              "exempt-paragraph=\"3\"/>\n");
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, strlen(xml), "m.xml", d);
    assert_non_null(doc);
    assert_string_equal(lines_of(d),
        "9:17: error: item report \"../r.xml\" must name a file in the "
        "meeting file's directory or a folder below it (no '..', ':', "
        "'\\', empty parts or absolute paths)\n"
        "10:17: error: item report \"sub//r.xml\" must name a file in the "
        "meeting file's directory or a folder below it (no '..', ':', "
        "'\\', empty parts or absolute paths)\n"
        "12:17: error: the report of an exempt item must name a file in the "
        "meeting file's directory or a folder below it (no '..', ':', "
        "'\\', empty parts or absolute paths)\n");
    quorum_doc_free(doc);
    quorum_diags_free(d);
    /* whitespace: text fields trimmed and collapsed as in reports */
    xml = "<meeting xmlns=\"urn:quorum:report:1\">\n<body>\n  Planning\n"
          "  Committee </body><date>\n 2025-01-29\n</date><time>19:00</time>"
          "<venue>Room <b>1</b>,<br/>Town Hall</venue>"
          "<published>2025-01-21</published><clerk name=\"c\" phone=\"1\"/>"
          "<agenda>\n  <item title=\"a\">\n   <p> Text  here </p>\n  </item>"
          "</agenda></meeting>";
    d = quorum_diags_new();
    doc = quorum_doc_load_memory(TE, xml, strlen(xml), "m.xml", d);
    assert_non_null(doc);
    assert_int_equal((int)quorum_diags_count(d), 0);
    qnode *body = qdoc_first_child_of(doc->root, QN_BODY);
    assert_string_equal(qdoc_text(doc->arena, body), "Planning Committee");
    assert_string_equal(
        qdoc_text(doc->arena, qdoc_first_child_of(doc->root, QN_DATE)),
        "2025-01-29");
    qnode *venue = qdoc_first_child_of(doc->root, QN_VENUE);
    /* <br/> read as one line is a space */
    assert_string_equal(qdoc_text(doc->arena, venue), "Room 1, Town Hall");
    qnode *item = qdoc_first_child_of(doc->root, QN_AGENDA)->first;
    assert_int_equal(item->type, QN_AGENDA_ITEM);
    assert_int_equal(item->first->type, QN_PARA);
    assert_null(item->first->next); /* no whitespace text between blocks */
    assert_string_equal(item->first->first->text, "Text here");
    assert_int_equal(quorum_doc_check(TE, doc, NULL, d), 0);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    /* meeting elements mean nothing in a report */
    xml = "<report xmlns=\"urn:quorum:report:1\"><front-sheet>"
          "<field role=\"title\">T</field></front-sheet>"
          "<section><heading>H</heading><date>2025-01-01</date></section>"
          "</report>";
    d = quorum_diags_new();
    doc = quorum_doc_load_memory(TE, xml, strlen(xml), "r.xml", d);
    assert_non_null(doc);
    qnode *sec = qdoc_first_child_of(doc->root, QN_SECTION);
    assert_int_equal(sec->last->type, QN_UNKNOWN);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    /* the namespace is required on a meeting root too */
    xml = "<meeting><body>x</body></meeting>";
    d = quorum_diags_new();
    assert_null(quorum_doc_load_memory(TE, xml, strlen(xml), "m.xml", d));
    assert_string_equal(lines_of(d),
        "1:1: error: <meeting> must be in the namespace urn:quorum:report:1 "
        "(found no namespace); write <meeting xmlns=\"urn:quorum:report:1\">\n");
    quorum_diags_free(d);
}

static void test_accessors(void **state) {
    (void)state;
    const char *xml = MEETING("<item title=\"a\" late=\"true\" urgency=\"u\" "
                              "published=\"2025-01-24\"/><item title=\"b\"/>\n");
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, strlen(xml), "m.xml", d);
    assert_non_null(doc);
    long v, want;
    assert_int_equal(qmeeting_date(doc, QN_DATE, NULL, &v), 0);
    qdate_parse("2025-01-29", &want);
    assert_int_equal(v, want);
    assert_int_equal(qmeeting_date(doc, QN_PUBLISHED, NULL, &v), 0);
    qdate_parse("2025-01-21", &want);
    assert_int_equal(v, want);
    qnode *item = qdoc_first_child_of(doc->root, QN_AGENDA)->first;
    assert_int_equal(qmeeting_date(doc, QN_AGENDA_ITEM, item, &v), 0);
    qdate_parse("2025-01-24", &want);
    assert_int_equal(v, want);
    assert_int_equal(qmeeting_date(doc, QN_AGENDA_ITEM, item->next, &v), -1);
    assert_int_equal(qmeeting_date(doc, QN_TIME, NULL, &v), -1);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    /* the exempt sentence, in English and in Welsh; a paragraph outside
     * 1-7 has no description */
    qarena *a = qarena_new(0);
    const qw_words *en = qw_english(), *cy = qw_for(a, NULL, "cy-GB");
    assert_string_equal(qmeeting_exempt_sentence(a, en, QDOC_LAW_ENGLAND, "3"),
                        "This report is not for publication by virtue of paragraph 3 of "
                        "Part 1 of Schedule 12A to the Local Government Act 1972: "
                        "information relating to the financial or business "
                        "affairs of any particular person (including the "
                        "authority holding that information).");
    assert_string_equal(qmeeting_exempt_words(a, en, "1 2 5"), "paragraphs 1, 2 and 5");
    assert_string_equal(qmeeting_exempt_words(a, en, " 7 "), "paragraph 7");
    assert_string_equal(qmeeting_exempt_words(a, cy, "1 2"), "paragraffau 1 a 2");
    const char *s = qmeeting_exempt_sentence(a, cy, QDOC_LAW_ENGLAND, "5");
    assert_non_null(strstr(s, "Nid yw’r adroddiad hwn i’w gyhoeddi yn rhinwedd paragraff 5 "
                              "Rhan 1 o Atodlen 12A"));
    assert_non_null(strstr(s, "fraint broffesiynol gyfreithiol"));
    /* each nation's law: Wales's Part 4 (12-18), Scotland's Schedule 7A
     * (1-15), whose exclusion has no public interest test */
    s = qmeeting_exempt_sentence(a, cy, QDOC_LAW_WALES, "12 16");
    assert_non_null(strstr(s, "yn rhinwedd paragraffau 12 a 16 Rhan 4 o Atodlen 12A"));
    assert_non_null(strstr(s, "unigolyn penodol; gwybodaeth yng nghyswllt hawl i fraint"));
    assert_string_equal(qmeeting_exempt_sentence(a, en, QDOC_LAW_WALES, "14"),
                        "This report is not for publication by virtue of paragraph 14 of "
                        "Part 4 of Schedule 12A to the Local Government Act 1972: "
                        "information relating to the financial or business "
                        "affairs of any particular person (including the "
                        "authority holding that information).");
    assert_string_equal(qmeeting_exempt_sentence(a, en, QDOC_LAW_SCOTLAND, "15"),
                        "This report is not for publication by virtue of paragraph 15 of "
                        "Part I of Schedule 7A to the Local Government (Scotland) Act 1973: "
                        "the identity of a protected informant.");
    s = qmeeting_exclusion(a, en, QDOC_LAW_SCOTLAND);
    assert_non_null(strstr(s, "section 50A(4) of the Local Government (Scotland) Act 1973"));
    assert_null(strstr(s, "public interest"));
    assert_non_null(strstr(qmeeting_exclusion(a, en, QDOC_LAW_ENGLAND), "public interest"));
    qarena_free(a);
}

/* Without the schema the checker still names what is missing. */
static void test_without_schema(void **state) {
    (void)state;
    const char *xml = "<meeting xmlns=\"urn:quorum:report:1\" law=\"cymru\">\n"
                      "<date>2025-01-29</date><time>7pm</time>\n"
                      "<clerk email=\"x@example.org\"/>\n"
                      "<agenda><item/></agenda></meeting>\n";
    /* as a pack reads a file again: QLOAD_NO_SCHEMA */
    char path[] = "/tmp/quorum-meeting-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, strlen(xml)), (int)strlen(xml));
    close(fd);
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = qload_doc(TE, path, d, QLOAD_NO_SCHEMA, NULL);
    unlink(path);
    assert_non_null(doc);
    assert_int_equal(doc->schema_checked, 0);
    quorum_diags *d2 = quorum_diags_new();
    assert_int_equal((int)qmeeting_check(TE, doc, NULL, g_holidays, d2), 7);
    assert_string_equal(lines_of(d2),
        "1:1: error: <meeting> needs a <body>\n"
        "1:1: error: <meeting> needs a <venue>\n"
        "1:1: error: <meeting> needs a <published>\n"
        "1:38: error: law=\"cymru\" is not one of england (Part 1 of Schedule 12A "
        "to the Local Government Act 1972), wales (Part 4 of Schedule 12A to the "
        "Local Government Act 1972) or scotland (Part I of Schedule 7A to the Local "
        "Government (Scotland) Act 1973)\n"
        "2:24: error: time \"7pm\" is not a 24-hour time (HH:MM, 00:00 to "
        "23:59)\n"
        "3:1: error: <clerk> needs a name\n"
        "4:9: error: <item> needs a title\n");
    quorum_doc_free(doc);
    quorum_diags_free(d);
    quorum_diags_free(d2);
    /* and a report is not a meeting: nothing to say */
    const char *rep = "<report xmlns=\"urn:quorum:report:1\"><front-sheet>"
                      "<field role=\"title\">T</field></front-sheet></report>";
    d = quorum_diags_new();
    doc = quorum_doc_load_memory(TE, rep, strlen(rep), "r.xml", d);
    assert_non_null(doc);
    assert_int_equal((int)qmeeting_check(TE, doc, NULL, NULL, d), 0);
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_is_clean),
        cmocka_unit_test(test_weekends),
        cmocka_unit_test(test_christmas_and_new_year),
        cmocka_unit_test(test_easter_2025),
        cmocka_unit_test(test_published_not_before_meeting),
        cmocka_unit_test(test_dates_and_time),
        cmocka_unit_test(test_outside_holiday_years),
        cmocka_unit_test(test_holiday_file_errors),
        cmocka_unit_test(test_late_items),
        cmocka_unit_test(test_exempt_items),
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_loader),
        cmocka_unit_test(test_without_schema),
        cmocka_unit_test(test_accessors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
