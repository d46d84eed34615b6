/* The PDF writer's page content, made small (issue 18).  Text codes:  A font whose
 * announced code points number 256 or fewer draws with one-byte codes: an
 * embedded CMap takes each code to a CID that is its code point (what /W
 * and the CIDToGIDMap are keyed by), and ToUnicode takes it back to the
 * same character.  More code points keep two-byte Identity-H codes.  Text
 * lines are placed by Td from the last line's start, and strokes of one
 * width and colour in a row are one path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"
#include "test_inflate.h"

#include "pdf.h"
#include "util.h"

static unsigned char *font_data;
static size_t font_size;

static int setup(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fonts/LiberationSans-Regular.ttf",
             src ? src : ".");
    font_data = test_slurp(path, &font_size);
    return font_data ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    free(font_data);
    return 0;
}

/* The code points of s (UTF-8) into out (at most max): their count. */
static int code_points(const char *s, uint32_t *out, int max) {
    int n = 0;
    size_t len = strlen(s), i = 0;
    while (i < len && n < max) {
        int k = qutf8_decode(s + i, len - i, &out[n++]);
        assert_true(k > 0);
        i += (size_t)k;
    }
    return n;
}

/* What pdf.c announces: every code point drawn, and the space. */
static void announce(uint8_t *codes, const char *s) {
    uint32_t cp[1024];
    int n = code_points(s, cp, 1024);
    codes[' ' >> 3] |= (uint8_t)(1u << (' ' & 7));
    for (int i = 0; i < n; i++) codes[cp[i] >> 3] |= (uint8_t)(1u << (cp[i] & 7));
}

typedef struct doc {
    unsigned char *pdf;
    size_t n;
    char *c;        /* every deflated stream inflated, NUL-ended */
    size_t m;
} doc;

/* One page: each line at x 56, 14 pt below the last, from y 700. */
static doc write_doc(const char *const *lines, int nlines, const uint8_t *codes) {
    doc d;
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    int f = qhpdf_load_font(h, "LiberationSans-Regular.ttf", font_data,
                            font_size, codes);
    assert_true(f >= 0);
    assert_int_equal(qhpdf_add_page(h, 595, 842), 0);
    qhpdf_page_begin(h, 0);
    for (int i = 0; i < nlines; i++)
        qhpdf_text(h, f, 11, 0, 56, 700 - 14 * (float)i, lines[i]);
    qhpdf_page_end(h);
    qhpdf_set_tounicode(h, f, codes);
    assert_false(qhpdf_failed(h));
    d.pdf = qhpdf_save(h, &d.n);
    assert_non_null(d.pdf);
    qhpdf_free(h);
    d.c = inflate_all((const char *)d.pdf, d.n, &d.m);
    d.c = realloc(d.c, d.m + 1);
    assert_non_null(d.c);
    d.c[d.m] = 0;
    return d;
}

static void doc_free(doc *d) {
    free(d->pdf);
    free(d->c);
}

/* The entries of every `what` block of the CMaps in d: map[code] = value
 * from "<lo> <hi> CID" (cidrange), "<lo> <hi> <U>" (bfrange) or "<c> <U>"
 * (bfchar). */
static void cmap_entries(const doc *d, const char *what, long *map, int nmap) {
    char begin[32], end[32];
    snprintf(begin, sizeof begin, "begin%s\n", what);
    snprintf(end, sizeof end, "end%s\n", what);
    const char *p = d->c, *e = d->c + d->m;
    while ((p = find_mem(p, (size_t)(e - p), begin, strlen(begin))) != NULL) {
        p += strlen(begin);
        const char *stop = find_mem(p, (size_t)(e - p), end, strlen(end));
        assert_non_null(stop);
        while (p < stop) {
            const char *nl = memchr(p, '\n', (size_t)(stop - p));
            assert_non_null(nl);
            char line[64];
            size_t k = (size_t)(nl - p);
            assert_true(k < sizeof line);
            memcpy(line, p, k);
            line[k] = 0;
            unsigned long lo, hi, v;
            if (strcmp(what, "bfchar") == 0) {
                assert_int_equal(sscanf(line, "<%lx> <%lx>", &lo, &v), 2);
                hi = lo;
            } else if (strcmp(what, "bfrange") == 0) {
                assert_int_equal(sscanf(line, "<%lx> <%lx> <%lx>", &lo, &hi, &v), 3);
            } else {
                assert_int_equal(sscanf(line, "<%lx> <%lx> %lu", &lo, &hi, &v), 3);
            }
            assert_true(lo <= hi && hi < (unsigned long)nmap);
            for (unsigned long c = lo; c <= hi; c++) map[c] = (long)(v + c - lo);
            p = nl + 1;
        }
    }
}

/* The bytes of the i-th shown string (escapes undone) into out: its length. */
static size_t shown(const doc *d, int i, unsigned char *out, size_t max) {
    const char *p = d->c, *e = d->c + d->m;
    for (int k = 0; k <= i; k++) {
        p = find_mem(p, (size_t)(e - p), "Td\n(", 4);
        assert_non_null(p);
        p += 4;
    }
    size_t n = 0;
    for (; *p != ')'; p++) {
        assert_true(n < max && p < e);
        if (*p == '\\') {
            p++;
            out[n++] = *p == 'r' ? '\r' : (unsigned char)*p;
        } else {
            out[n++] = (unsigned char)*p;
        }
    }
    assert_true(find_mem(p, 5, ") Tj\n", 5) == p);
    return n;
}

/* Each code shown goes through the CMap to its code point as CID and
 * through ToUnicode to the same character: the text comes back. */
static void test_one_byte_round_trip(void **state) {
    (void)state;
    const char *lines[] = {"T\xC5\xB7 Hafan \xE2\x80\x93 50% (draft)",
                           "back\\slash caf\xC3\xA9 \xE2\x82\xAC"};
    uint8_t *codes = calloc(1, QHPDF_CODE_BITS);
    assert_non_null(codes);
    announce(codes, lines[0]);
    announce(codes, lines[1]);
    doc d = write_doc(lines, 2, codes);
    assert_null(find_mem(d.c, d.m, "/Identity-H", 11));
    assert_non_null(find_mem((const char *)d.pdf, d.n, "/Type /CMap", 11));
    assert_non_null(find_mem(d.c, d.m, "/WMode 0 def", 12));
    static const char space[] = "begincodespacerange\n<00> <FF>\nendcodespacerange";
    const char *sp = find_mem(d.c, d.m, space, sizeof space - 1);
    assert_non_null(sp);  /* the CMap's, then ToUnicode's */
    assert_non_null(find_mem(sp + 1, d.m - (size_t)(sp + 1 - d.c), space, sizeof space - 1));
    long cid[256], uni[256];
    for (int i = 0; i < 256; i++) cid[i] = uni[i] = -1;
    cmap_entries(&d, "cidrange", cid, 256);
    cmap_entries(&d, "bfrange", uni, 256);
    cmap_entries(&d, "bfchar", uni, 256);
    for (int l = 0; l < 2; l++) {
        unsigned char b[256];
        uint32_t cp[256];
        size_t n = shown(&d, l, b, sizeof b);
        int ncp = code_points(lines[l], cp, 256);
        assert_int_equal(n, (size_t)ncp);   /* one byte a character */
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(cid[b[i]], (long)cp[i]);
            assert_int_equal(uni[b[i]], (long)cp[i]);
        }
    }
    /* lines after the first move by the leading alone */
    assert_non_null(find_mem(d.c, d.m, "BT\n/F1 11 Tf\n0 0 0 rg\n56 700 Td\n(", 33));
    assert_non_null(find_mem(d.c, d.m, ") Tj\n0 -14 Td\n(", 15));
    doc_free(&d);
    free(codes);
}

/* With one-byte codes the delimiters, the backslash and CR can be codes
 * of other characters: they are escaped as in two-byte strings. */
static void test_one_byte_escapes(void **state) {
    (void)state;
    char text[96 * 2 + 1], want[96 * 2 + 16];
    size_t t = 0, w = 0;
    want[w++] = '(';
    for (unsigned k = 0; k < 96; k++) {  /* U+0100..U+015F: codes 1..96 */
        unsigned c = 0x100 + k, code = k + 1;
        text[t++] = (char)(0xC0 | (c >> 6));
        text[t++] = (char)(0x80 | (c & 0x3F));
        if (code == '(' || code == ')' || code == '\\') want[w++] = '\\';
        if (code == '\r') {
            want[w++] = '\\';
            want[w++] = 'r';
        } else {
            want[w++] = (char)code;
        }
    }
    text[t] = 0;
    memcpy(want + w, ") Tj\n", 5);
    w += 5;
    uint8_t *codes = calloc(1, QHPDF_CODE_BITS);
    assert_non_null(codes);
    announce(codes, text);
    const char *lines[] = {text};
    doc d = write_doc(lines, 1, codes);
    assert_non_null(find_mem(d.c, d.m, want, w));
    doc_free(&d);
    free(codes);
}

/* 300 code points: two-byte Identity-H codes, the UTF-16 units. */
static void test_two_byte_beyond_256(void **state) {
    (void)state;
    char text[300 * 2 + 1];
    size_t t = 0;
    for (unsigned c = 0x100; c < 0x100 + 300; c++) {
        text[t++] = (char)(0xC0 | (c >> 6));
        text[t++] = (char)(0x80 | (c & 0x3F));
    }
    text[t] = 0;
    uint8_t *codes = calloc(1, QHPDF_CODE_BITS);
    assert_non_null(codes);
    announce(codes, text);
    const char *lines[] = {text};
    doc d = write_doc(lines, 1, codes);
    assert_non_null(find_mem(d.c, d.m, "/Encoding /Identity-H", 21));
    assert_null(find_mem(d.c, d.m, "begincidrange", 13));
    assert_non_null(find_mem(d.c, d.m, "Td\n(\1\0\1\1\1\2", 10));
    assert_non_null(find_mem(d.c, d.m, "\1'\1\\(\1\\)\1*", 10));   /* U+0127..U+012A */
    doc_free(&d);
    free(codes);
}

/* A character the caller did not announce has no one-byte code: the
 * document fails rather than show another character. */
static void test_unannounced_fails(void **state) {
    (void)state;
    uint8_t *codes = calloc(1, QHPDF_CODE_BITS);
    assert_non_null(codes);
    announce(codes, "abc");
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    int f = qhpdf_load_font(h, "LiberationSans-Regular.ttf", font_data,
                            font_size, codes);
    assert_true(f >= 0);
    assert_int_equal(qhpdf_add_page(h, 595, 842), 0);
    qhpdf_page_begin(h, 0);
    qhpdf_text(h, f, 11, 0, 56, 700, "cab");
    assert_false(qhpdf_failed(h));
    qhpdf_text(h, f, 11, 0, 56, 686, "abd");
    assert_true(qhpdf_failed(h));
    qhpdf_free(h);
    free(codes);
}

/* Rules of one width and colour one after another: one path, one S; a
 * new colour ends it. */
static void test_strokes_join(void **state) {
    (void)state;
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    assert_int_equal(qhpdf_add_page(h, 595, 842), 0);
    qhpdf_page_begin(h, 0);
    qhpdf_line(h, 10, 10, 100, 10, 0.5f, 0x808080);
    qhpdf_line(h, 10, 10, 10, 50, 0.5f, 0x808080);
    qhpdf_line(h, 10, 50, 100, 50, 0.5f, 0xFF0000);
    qhpdf_page_end(h);
    doc d;
    d.pdf = qhpdf_save(h, &d.n);
    assert_non_null(d.pdf);
    qhpdf_free(h);
    d.c = inflate_all((const char *)d.pdf, d.n, &d.m);
    static const char want[] =
        "0.5 w\n0.502 0.502 0.502 RG\n10 10 m\n100 10 l\n10 10 m\n10 50 l\nS\n"
        "1 0 0 RG\n10 50 m\n100 50 l\nS\n";
    assert_non_null(find_mem(d.c, d.m, want, sizeof want - 1));
    doc_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_byte_round_trip),
        cmocka_unit_test(test_one_byte_escapes),
        cmocka_unit_test(test_two_byte_beyond_256),
        cmocka_unit_test(test_unannounced_fails),
        cmocka_unit_test(test_strokes_join),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
