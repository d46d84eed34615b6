#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_rejects_invalid),
        cmocka_unit_test(test_round_trip_and_weekday),
        cmocka_unit_test(test_clear_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
