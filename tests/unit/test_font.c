/* Font metrics: widths must equal libharu's (advance*1000/upem). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "font.h"

static qfonts *fonts(void) {
    char dir[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/fonts", src ? src : ".");
    return qfonts_new(dir);
}

static void test_widths_match_known_values(void **state) {
    (void)state;
    qfonts *f = fonts();
    quorum_diags *d = quorum_diags_new();
    qfont *r = qfonts_face(f, QF_REGULAR, d);
    assert_non_null(r);
    /* Liberation Sans is metric-compatible with Arial: space 278, 'a' 556,
     * 'W' 943, en dash 556, right quote 222, pound 556, as libharu
     * reports them (truncated, so space is 277 where Arial says 278). */
    assert_int_equal(qfont_cp_width(r, ' '), 277);
    assert_int_equal(qfont_cp_width(r, 0xFFFD), 750); /* .notdef */
    assert_int_equal(qfont_cp_width(r, 'a'), 556);
    assert_int_equal(qfont_cp_width(r, 'W'), 943);
    assert_int_equal(qfont_cp_width(r, 0x2013), 556);
    assert_int_equal(qfont_cp_width(r, 0x2019), 222);
    assert_int_equal(qfont_cp_width(r, 0xA3), 556);
    assert_true(qfont_has(r, 0xE9));
    assert_false(qfont_has(r, 0xFFFD)); /* Liberation has no U+FFFD */
    qfont *b = qfonts_face(f, QF_BOLD, d);
    assert_non_null(b);
    assert_int_equal(qfont_cp_width(b, 'a'), 556);
    assert_int_equal(qfont_cp_width(b, 'b'), 610);
    assert_int_equal((int)quorum_diags_count(d), 0);
    /* "Wa" at 10pt = (943+556)*10/1000 */
    assert_float_equal(qfont_text_width(r, "Wa", 2, 10.0), 14.99, 1e-9);
    qfonts_free(f);
    quorum_diags_free(d);
}

static void test_missing_font_is_reported_once(void **state) {
    (void)state;
    qfonts *f = qfonts_new("/nonexistent");
    quorum_diags *d = quorum_diags_new();
    assert_null(qfonts_face(f, QF_ITALIC, d));
    assert_null(qfonts_face(f, QF_ITALIC, d));
    assert_int_equal((int)quorum_diags_count(d), 1);
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_non_null(strstr(q.message, "LiberationSans-Italic.ttf"));
    qfonts_free(f);
    quorum_diags_free(d);
}

static void test_not_a_font(void **state) {
    (void)state;
    qfonts *f = qfonts_new(".");
    char path[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/fonts/LICENSE-Liberation.txt", src ? src : ".");
    qfonts_set_path(f, QF_BOLD, path);
    quorum_diags *d = quorum_diags_new();
    assert_null(qfonts_face(f, QF_BOLD, d));
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_non_null(strstr(q.message, "not a readable TrueType font"));
    qfonts_free(f);
    quorum_diags_free(d);
}

static void test_utf8_decode(void **state) {
    (void)state;
    uint32_t cp;
    assert_int_equal(qutf8_decode("\xE2\x80\x99", 3, &cp), 3);
    assert_int_equal(cp, 0x2019);
    assert_int_equal(qutf8_decode("\xC2\xA3", 2, &cp), 2);
    assert_int_equal(cp, 0xA3);
    assert_int_equal(qutf8_decode("\xE9" "B", 2, &cp), 0);   /* Latin-1 byte */
    assert_int_equal(qutf8_decode("\xE2\x80", 2, &cp), 0);   /* truncated */
    assert_int_equal(qutf8_decode("\xC0\xAF", 2, &cp), 0);   /* overlong */
    assert_int_equal(qutf8_decode("\xED\xA0\x80", 3, &cp), 0); /* surrogate */
    assert_int_equal(qutf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths_match_known_values),
        cmocka_unit_test(test_missing_font_is_reported_once),
        cmocka_unit_test(test_not_a_font),
        cmocka_unit_test(test_utf8_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
