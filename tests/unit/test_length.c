/* util/length: one parser for every length an author writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

#define ALL (QLEN_ALLOW_PX | QLEN_ALLOW_PERCENT | QLEN_ALLOW_STAR | QLEN_ALLOW_BARE)

static qlen ok(const char *s, unsigned allow) {
    qlen l = {-1, QLEN_BARE};
    const char *err = qlen_parse(s, allow, &l);
    if (err) fail_msg("\"%s\": %s", s, err);
    return l;
}

static void test_units(void **state) {
    (void)state;
    qlen l = ok("12pt", 0);
    assert_int_equal(l.kind, QLEN_PT);
    assert_float_equal(l.value, 12, 1e-9);
    assert_float_equal(ok("5cm", 0).value, 141.732283, 1e-5);
    assert_float_equal(ok("20mm", 0).value, 56.692913, 1e-5);
    assert_float_equal(ok("1in", 0).value, 72, 1e-9);
    assert_float_equal(ok("2.5cm", 0).value, 70.866142, 1e-5);
    assert_float_equal(ok(" 3pt ", 0).value, 3, 1e-9);
    assert_float_equal(ok("100px", QLEN_ALLOW_PX).value, 75, 1e-9);
    assert_int_equal(ok("100px", QLEN_ALLOW_PX).kind, QLEN_PT);
}

static void test_relative(void **state) {
    (void)state;
    qlen l = ok("2*", ALL);
    assert_int_equal(l.kind, QLEN_STAR);
    assert_float_equal(l.value, 2, 1e-9);
    l = ok("*", ALL);
    assert_int_equal(l.kind, QLEN_STAR);
    assert_float_equal(l.value, 1, 1e-9);
    l = ok("0.5*", ALL);
    assert_float_equal(l.value, 0.5, 1e-9);
    l = ok("40%", ALL);
    assert_int_equal(l.kind, QLEN_PERCENT);
    assert_float_equal(l.value, 40, 1e-9);
    l = ok("3", ALL);
    assert_int_equal(l.kind, QLEN_BARE);
    assert_float_equal(l.value, 3, 1e-9);
}

static void test_errors(void **state) {
    (void)state;
    qlen l = {7, QLEN_PT};
    assert_non_null(qlen_parse(NULL, ALL, &l));
    assert_non_null(qlen_parse("", ALL, &l));
    assert_non_null(qlen_parse("pt", ALL, &l));
    assert_non_null(qlen_parse("-3pt", ALL, &l));
    assert_non_null(qlen_parse("3em", ALL, &l));
    assert_non_null(qlen_parse("3 p t", ALL, &l));
    assert_non_null(qlen_parse("3ptx", ALL, &l));
    assert_non_null(qlen_parse("inf", ALL, &l));
    assert_non_null(qlen_parse("nanmm", ALL, &l));
    assert_non_null(qlen_parse("1e999pt", ALL, &l));
    /* forms the caller did not allow */
    assert_non_null(qlen_parse("12", 0, &l));
    assert_non_null(qlen_parse("40%", 0, &l));
    assert_non_null(qlen_parse("2*", 0, &l));
    assert_non_null(qlen_parse("*", 0, &l));
    assert_non_null(qlen_parse("8px", 0, &l));
    /* a failed parse leaves the output alone */
    assert_float_equal(l.value, 7, 0);
    assert_int_equal(l.kind, QLEN_PT);
}

/* Every length is finite and bounded: no NaN, infinity or float
 * overflow reaches a page (a column of 10^60 inches once made NaN
 * coordinates; "nanpt" a corrupt MediaBox). */
static void test_bounds(void **state) {
    (void)state;
    assert_float_equal(ok("14400pt", 0).value, 14400, 1e-9);
    assert_float_equal(ok("200in", 0).value, 14400, 1e-9);
    assert_float_equal(ok("100%", ALL).value, 100, 1e-9);
    assert_float_equal(ok("1000*", ALL).value, 1000, 1e-9);
    static const char *const out[] = {
        "14400.01pt", "201in", "1e308in", "1000000000000000000000000000000000000000000mm",
        "101%", "1001*", "99999999999999999999", "19201px"};
    for (size_t i = 0; i < sizeof out / sizeof *out; i++) {
        qlen l = {7, QLEN_PT};
        const char *e = qlen_parse(out[i], ALL, &l);
        if (!qlen_out_of_bounds(e)) fail_msg("\"%s\": %s", out[i], e ? e : "accepted");
        assert_float_equal(l.value, 7, 0);
    }
    static const char *const bad[] = {"nanpt", "+nanpt", "-nan", "+infpt", "1e999pt", "infin"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        qlen l;
        const char *e = qlen_parse(bad[i], ALL, &l);
        assert_non_null(e);
        assert_false(qlen_out_of_bounds(e));
    }
    assert_false(qlen_out_of_bounds(NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
