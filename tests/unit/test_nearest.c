/* qnearest (util/nearest.c): the "did you mean" of unknown words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

static const char *const roles[] = {"title", "meeting", "meeting-date", "author",
                                    "wards", "status", "appendices"};
#define N (sizeof roles / sizeof *roles)

static void test_near_words(void **state) {
    (void)state;
    assert_string_equal(qnearest("meting-date", roles, N), "meeting-date");
    assert_string_equal(qnearest("Meeting-Date", roles, N), "meeting-date");
    assert_string_equal(qnearest("ward", roles, N), "wards");
    assert_string_equal(qnearest("appendix", roles, N), "appendices");
    assert_string_equal(qnearest("auther", roles, N), "author");
    assert_string_equal(qnearest("meeting", roles, N), "meeting");
    /* two letters swapped are one slip, not two */
    assert_string_equal(qnearest("tilte", roles, N), "title");
    assert_string_equal(qnearest("staus", roles, N), "status");
    static const char *const attrs[] = {"align", "id", "number"};
    assert_string_equal(qnearest("algin", attrs, 3), "align");
}

static void test_far_words(void **state) {
    (void)state;
    assert_null(qnearest("time", roles, N)); /* two letters of five */
    assert_null(qnearest("cost-centre", roles, N));
    assert_null(qnearest("", roles, N));
    assert_null(qnearest(NULL, roles, N));
    assert_null(qnearest("meeting-date", roles, 0));
    char long_word[100];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    assert_null(qnearest(long_word, roles, N));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_near_words),
        cmocka_unit_test(test_far_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
