#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

static long D(const char *s) {
    long d = 0;
    assert_int_equal(qdate_parse(s, &d), 0);
    return d;
}

static void test_parse_rejects_invalid(void **state) {
    (void)state;
    long d;
    assert_int_equal(qdate_parse("2025-02-30", &d), -1);
    assert_int_equal(qdate_parse("2025-13-01", &d), -1);
    assert_int_equal(qdate_parse("2025-1-29", &d), -1);
    assert_int_equal(qdate_parse("29/01/2025", &d), -1);
    assert_int_equal(qdate_parse("2025-01-29x", &d), -1);
    assert_int_equal(qdate_parse("2023-02-29", &d), -1);
    assert_int_equal(qdate_parse("2024-02-29", &d), 0);
    assert_int_equal(qdate_parse("2000-02-29", &d), 0);
    assert_int_equal(qdate_parse("1900-02-29", &d), -1);
    assert_int_equal(qdate_parse(NULL, &d), -1);
}

static void test_round_trip_and_weekday(void **state) {
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    int y, m, d;
    qdate_ymd(D("2025-01-29"), &y, &m, &d);
    assert_int_equal(y, 2025);
    assert_int_equal(m, 1);
    assert_int_equal(d, 29);
    assert_int_equal(qdate_weekday(D("2025-01-29")), 2); /* Wednesday */
    assert_int_equal(qdate_weekday(D("2024-12-25")), 2); /* Wednesday */
    assert_int_equal(qdate_weekday(D("2025-01-04")), 5); /* Saturday */
    char buf[64];
    qdate_format(D("2025-01-29"), 1, buf, sizeof buf);
    assert_string_equal(buf, "Wednesday, 29 January 2025");
    qdate_format(D("2025-01-08"), 0, buf, sizeof buf);
    assert_string_equal(buf, "8 January 2025");
}

static void test_clear_days(void **state) {
    (void)state;
    /* Published Tue 21 Jan 2025 for Wed 29 Jan: 22,23,24,27,28 = 5 clear. */
    assert_int_equal(qdate_clear_days(D("2025-01-21"), D("2025-01-29"), NULL, 0), 5);
    /* Published Wed 22 Jan: 23,24,27,28 = 4. */
    assert_int_equal(qdate_clear_days(D("2025-01-22"), D("2025-01-29"), NULL, 0), 4);
    /* Over Easter 2025 (Good Friday 18 Apr, Easter Monday 21 Apr):
     * published Mon 14 Apr for Wed 23 Apr: 15,16,17,22 = 4. */
    long hol[] = {D("2025-04-18"), D("2025-04-21")};
    assert_int_equal(qdate_clear_days(D("2025-04-14"), D("2025-04-23"), hol, 2), 4);
    assert_int_equal(qdate_clear_days(D("2025-04-14"), D("2025-04-23"), NULL, 0), 6);
    assert_true(qdate_clear_days(D("2025-01-29"), D("2025-01-29"), NULL, 0) < 0);
}

/* The one parser every stage uses (check, layout, pack, PDF metadata). */
static void test_parse_ymd_edges(void **state) {
    (void)state;
    int y = -1, m = -1, d = -1;
    assert_int_equal(qdate_parse_ymd("2024-02-29", &y, &m, &d), 0);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    static const char *const bad[] = {
        "2025-02-29",   /* not a leap year */
        "2100-02-29",   /* century, not leap */
        "2025-04-31", "2025-00-10", "2025-12-00", "2025-12-32",
        "2025-01-29 ",  /* trailing text */
        "2025-01-29T10:00", "2025-01-290", " 2025-01-29", "+025-01-29",
        "2025-1-029", "2025/01/29", "20250129", "2025-01-2", "", "2025-0a-01",
        "-2025-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        y = m = d = -1;
        if (qdate_parse_ymd(bad[i], &y, &m, &d) != -1) fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(y, -1); /* nothing written on failure */
        long days = 12345;
        assert_int_equal(qdate_parse(bad[i], &days), -1);
        assert_int_equal(days, 12345);
    }
    assert_int_equal(qdate_parse_ymd(NULL, &y, &m, &d), -1);
    assert_int_equal(qdate_parse_ymd("2000-02-29", &y, &m, &d), 0);
    assert_int_equal(qdate_parse_ymd("9999-12-31", &y, &m, &d), 0);
    assert_int_equal(qdate_parse_ymd("1899-12-31", &y, &m, &d), 0);
    assert_int_equal(y, 1899);
    /* days agree with the parts, before 1970 too */
    long days;
    assert_int_equal(qdate_parse("1969-12-31", &days), 0);
    assert_int_equal(days, -1);
    assert_int_equal(qdate_parse("2000-03-01", &days), 0);
    qdate_ymd(days, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 20000301);
}

static void test_words(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    assert_string_equal(qdate_words(a, "2025-01-29", 0), "29 January 2025");
    assert_string_equal(qdate_words(a, "2025-01-08", 0), "8 January 2025");
    assert_string_equal(qdate_words(a, "2025-01-29", 1), "Wednesday, 29 January 2025");
    assert_string_equal(qdate_words(a, "2024-02-29", 1), "Thursday, 29 February 2024");
    /* not a date: as written */
    const char *soon = "soon";
    assert_ptr_equal(qdate_words(a, soon, 0), soon);
    assert_string_equal(qdate_words(a, "2025-02-29", 0), "2025-02-29");
    assert_string_equal(qdate_words(a, "2025-1-8", 0), "2025-1-8");
    assert_string_equal(qdate_words(a, NULL, 1), "");
    qarena_free(a);
}

/* A document's date: SOURCE_DATE_EPOCH's UTC day when given, else the
 * meeting's; never the clock; a day past 9999 has no YYYY-MM-DD form. */
static void test_document_date(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    assert_string_equal(qdate_document(a, -1, "2025-01-29"), "2025-01-29");
    assert_null(qdate_document(a, -1, NULL));
    assert_string_equal(qdate_document(a, 0, "2025-01-29"), "1970-01-01");
    assert_string_equal(qdate_document(a, 1700000000, NULL), "2023-11-14");
    assert_string_equal(qdate_document(a, 1700006399, NULL), "2023-11-14");
    assert_string_equal(qdate_document(a, 253402300799LL, NULL), "9999-12-31");
    assert_string_equal(qdate_document(a, 253402300800LL, "2025-01-29"), "2025-01-29");
    assert_string_equal(qdate_document(a, 9223372036854775807LL, "x"), "x");
    qarena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_rejects_invalid),
        cmocka_unit_test(test_round_trip_and_weekday),
        cmocka_unit_test(test_clear_days),
        cmocka_unit_test(test_parse_ymd_edges),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_document_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
