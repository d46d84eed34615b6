/* Value types with a closed vocabulary (src/doc/values.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "doc.h"

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trend_vocabulary),
        cmocka_unit_test(test_trend_case_and_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
