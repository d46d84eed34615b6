/* Font metrics: widths must equal libharu's (advance*1000/upem). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "font.h"
#include "test_engine.h"

static qfonts *fonts(void) {
    char dir[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/fonts", src ? src : ".");
    return test_fonts(dir);
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
    qfonts *f = test_fonts("/nonexistent");
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
    qfonts *f = test_fonts(".");
    char path[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/fonts/LICENSE-Liberation.txt", src ? src : ".");
    qfonts_set_path(f, QF_BOLD, path);
    quorum_diags *d = quorum_diags_new();
    assert_null(qfonts_face(f, QF_BOLD, d));
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_non_null(strstr(q.message, "is not a usable TrueType font: "));
    qfonts_free(f);
    quorum_diags_free(d);
}

static int copy_file(const char *from, const char *to, long limit) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) return -1;
    char buf[8192];
    size_t n;
    long total = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (limit >= 0 && total + (long)n > limit) n = (size_t)(limit - total);
        fwrite(buf, 1, n, out);
        total += (long)n;
        if (limit >= 0 && total >= limit) break;
    }
    fclose(in);
    return fclose(out);
}

/* Faces read from one file share its widths, also across qfonts; a file
 * replaced at the same path is read again. */
static void test_files_shared_and_reread(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char reg[4096], bold[4096], tmp[] = "/tmp/qfontXXXXXX", path[4200];
    snprintf(reg, sizeof reg, "%s/fonts/LiberationSans-Regular.ttf", src ? src : ".");
    snprintf(bold, sizeof bold, "%s/fonts/LiberationSans-Bold.ttf", src ? src : ".");
    assert_non_null(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/face.ttf", tmp);
    assert_int_equal(copy_file(reg, path, -1), 0);

    qfonts *f = test_fonts(tmp);
    qfonts_set_path(f, QF_REGULAR, path);
    qfonts_set_path(f, QF_HEAD_BOLD, path);
    qfont *a = qfonts_face(f, QF_REGULAR, NULL);
    qfont *b = qfonts_face(f, QF_HEAD_BOLD, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_equal(a->pages, b->pages);
    assert_int_equal(qfont_cp_width(a, 'b'), 556);
    qfonts *g = test_fonts(tmp);
    qfonts_set_path(g, QF_ITALIC, path);
    qfont *c = qfonts_face(g, QF_ITALIC, NULL);
    assert_non_null(c);
    assert_ptr_equal(a->pages, c->pages);
    qfonts_free(g);

    /* replaced by the bold face: read again, the old widths stay valid */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(copy_file(bold, path, -1), 0);
    g = test_fonts(tmp);
    qfonts_set_path(g, QF_REGULAR, path);
    c = qfonts_face(g, QF_REGULAR, NULL);
    assert_non_null(c);
    assert_int_equal(qfont_cp_width(c, 'b'), 610);
    assert_int_equal(qfont_cp_width(a, 'b'), 556);
    qfonts_free(g);

    /* cut short after the table directory: not a font, and why */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(copy_file(reg, path, 400), 0);
    g = test_fonts(tmp);
    qfonts_set_path(g, QF_REGULAR, path);
    quorum_diags *d = quorum_diags_new();
    assert_null(qfonts_face(g, QF_REGULAR, d));
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_non_null(strstr(q.message, "is not a usable TrueType font: table '"));
    assert_non_null(strstr(q.message, "' runs past the end of the file (bytes "));
    quorum_diags_free(d);
    qfonts_free(g);
    qfonts_free(f);
    unlink(path);
    rmdir(tmp);
}

static void count_span(void *ctx, size_t at, const unsigned char *p, size_t n) {
    (void)at;
    (void)p;
    *(size_t *)ctx += n;
}

/* Measuring reads only the tables it uses (check never reads a font's
 * outlines), and a face for the PDF nothing more until the adapter asks
 * for bytes (qfont_need): those are read, each byte once, the measured
 * ones not again, and they are the file's. */
static void test_measure_only_reads_tables(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char reg[4096];
    snprintf(reg, sizeof reg, "%s/fonts/LiberationSans-Regular.ttf", src ? src : ".");
    FILE *fp = fopen(reg, "rb");
    assert_non_null(fp);
    static unsigned char file[1 << 20];
    size_t size = fread(file, 1, sizeof file, fp);
    fclose(fp);
    assert_true(size > 100000 && size < sizeof file);

    qfont_cache *c = qfont_cache_new();
    qfonts *m = qfonts_new(c, "/nonexistent");
    qfonts_measure_only(m);
    qfonts_set_path(m, QF_REGULAR, reg);
    quorum_diags *d = quorum_diags_new();
    qfont *a = qfonts_face(m, QF_REGULAR, d);
    assert_non_null(a);
    assert_null(a->data);
    assert_int_equal(qfont_cp_width(a, 'b'), 556);
    assert_true(qfont_has(a, 0xE9));
    size_t measured = qfont_cache_bytes_read(c);
    assert_true(measured > 1000 && measured < size / 4);

    size_t spans = 0;
    qfont_each_measured(a, count_span, &spans);
    assert_int_equal((int)spans, (int)measured);
    /* a measure-only face has no bytes to give */
    assert_int_equal(qfont_need(a, 0, 4), QFILE_ESHORT);

    qfonts *w = qfonts_new(c, "/nonexistent");
    qfonts_set_path(w, QF_BOLD, reg);
    qfont *b = qfonts_face(w, QF_BOLD, d);
    assert_non_null(b);
    assert_ptr_equal(a->pages, b->pages);
    assert_int_equal((int)b->size, (int)size);
    assert_int_equal((int)qfont_cache_bytes_read(c), (int)measured);
    /* a range across a measured span: only its unread bytes are read */
    size_t at = size / 2, n = 5000;
    assert_int_equal(qfont_need(b, at, n), 0);
    assert_memory_equal(b->data + at, file + at, n);
    assert_int_equal((int)qfont_cache_bytes_read(c), (int)(measured + n));
    assert_int_equal(qfont_need(b, 0, 100), 0);
    assert_int_equal(qfont_need(b, at + 10, 100), 0);
    assert_int_equal((int)qfont_cache_bytes_read(c), (int)(measured + n));
    assert_int_equal(qfont_need(b, size - 10, 11), QFILE_ESHORT);
    /* every byte, in pieces that cross what was read: the file, once */
    for (size_t k = 0; k < size; k += 70000)
        assert_int_equal(qfont_need(b, k, size - k < 70000 ? size - k : 70000), 0);
    assert_memory_equal(b->data, file, size);
    assert_int_equal((int)qfont_cache_bytes_read(c), (int)size);
    /* a second face of the file reads nothing more */
    qfonts_set_path(w, QF_ITALIC, reg);
    qfont *i = qfonts_face(w, QF_ITALIC, d);
    assert_non_null(i);
    assert_int_equal(qfont_need(i, 0, size), 0);
    assert_int_equal((int)qfont_cache_bytes_read(c), (int)size);
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_diags_free(d);
    qfonts_free(w);
    qfonts_free(m);
    qfont_cache_free(c);
}

/* Every BMP code point: a width page exists exactly where the font has a
 * glyph in it, and code points without one measure as .notdef. */
static void test_pages(void **state) {
    (void)state;
    qfonts *f = fonts();
    qfont *r = qfonts_face(f, QF_REGULAR, NULL);
    assert_non_null(r);
    int covered = 0;
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++) {
        if (qfont_has(r, cp)) {
            covered++;
            assert_int_not_equal(qfont_cp_width(r, cp), 0xFFFF);
        } else {
            assert_int_equal(qfont_cp_width(r, cp), r->missing_width);
        }
    }
    assert_true(covered > 2000);
    assert_int_equal(qfont_cp_width(r, 0x1F600), r->missing_width);
    assert_false(qfont_has(r, 0x1F600));
    qfonts_free(f);
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
        cmocka_unit_test(test_files_shared_and_reread),
        cmocka_unit_test(test_measure_only_reads_tables),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_utf8_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
