/* The PDF writer's page content, made small (issue 18).  Text codes: one
 * byte for ASCII, two for U+0080..U+7EFF, three for the rest, the same in
 * every document: one embedded CMap takes each code to a CID that is its
 * code point (what /W and the CIDToGIDMap are keyed by), and ToUnicode
 * takes it back to the same character.  A page's codes depend on that page
 * alone (issue 18: pages drawn before the document is laid out).  Text
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

typedef struct doc {
    unsigned char *pdf;
    size_t n;
    char *c;        /* every deflated stream inflated, NUL-ended */
    size_t m;
} doc;

/* One page: each line at x 56, 14 pt below the last, from y 700. */
static doc write_doc(const char *const *lines, int nlines) {
    doc d;
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    int f = qhpdf_load_font(h, "LiberationSans-Regular.ttf", font_data, font_size, NULL);
    assert_true(f >= 0);
    assert_int_equal(qhpdf_add_page(h, 595, 842), 0);
    qhpdf_page_begin(h, 0);
    for (int i = 0; i < nlines; i++)
        qhpdf_text(h, f, 11, 0, 56, 700 - 14 * (float)i, lines[i]);
    qhpdf_page_end(h);
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

/* One range of a CMap: codes lo..hi (of `width` bytes) to v.. */
typedef struct range { unsigned long lo, hi, v; int width; } range;

/* The entries of every `what` block of the CMaps in d (cidrange: "<lo>
 * <hi> CID", bfrange: "<lo> <hi> <U>", bfchar: "<c> <U>") into r (at most
 * max): their count. */
static int cmap_entries(const doc *d, const char *what, range *r, int max) {
    char begin[32], end[32];
    snprintf(begin, sizeof begin, "begin%s\n", what);
    snprintf(end, sizeof end, "end%s\n", what);
    const char *p = d->c, *e = d->c + d->m;
    int n = 0;
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
            assert_true(n < max);
            range *x = &r[n++];
            x->width = (int)(strchr(line, '>') - line - 1) / 2;
            if (strcmp(what, "bfchar") == 0) {
                assert_int_equal(sscanf(line, "<%lx> <%lx>", &x->lo, &x->v), 2);
                x->hi = x->lo;
            } else if (strcmp(what, "bfrange") == 0) {
                assert_int_equal(sscanf(line, "<%lx> <%lx> <%lx>", &x->lo, &x->hi, &x->v), 3);
            } else {
                assert_int_equal(sscanf(line, "<%lx> <%lx> %lu", &x->lo, &x->hi, &x->v), 3);
            }
            assert_true(x->lo <= x->hi);
            p = nl + 1;
        }
    }
    return n;
}

/* What code (of width bytes) maps to in r, or -1. */
static long lookup(const range *r, int n, unsigned long code, int width) {
    for (int i = 0; i < n; i++)
        if (r[i].width == width && r[i].lo <= code && code <= r[i].hi)
            return (long)(r[i].v + code - r[i].lo);
    return -1;
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
 * through ToUnicode to the same character: the text comes back, ASCII one
 * byte a character, U+0080..U+7EFF two, above three. */
static void test_mixed_round_trip(void **state) {
    (void)state;
    const char *lines[] = {"T\xC5\xB7 Hafan \xE2\x80\x93 50% (draft)",
                           "back\\slash caf\xC3\xA9 \xE2\x82\xAC \xE9\xBE\x8D\xEF\xBC\x81"};
    doc d = write_doc(lines, 2);
    assert_null(find_mem(d.c, d.m, "/Identity-H", 11));
    assert_non_null(find_mem((const char *)d.pdf, d.n, "/Type /CMap", 11));
    assert_non_null(find_mem(d.c, d.m, "/WMode 0 def", 12));
    static const char space[] = "begincodespacerange\n<00> <7F>\n<8000> <FEFF>\n"
                                "<FF0000> <FFFFFF>\nendcodespacerange";
    const char *sp = find_mem(d.c, d.m, space, sizeof space - 1);
    assert_non_null(sp);  /* the CMap's, then ToUnicode's */
    assert_non_null(find_mem(sp + 1, d.m - (size_t)(sp + 1 - d.c), space, sizeof space - 1));
    static range cid[512], uni[512];
    int ncid = cmap_entries(&d, "cidrange", cid, 512);
    int nuni = cmap_entries(&d, "bfrange", uni, 512);
    nuni += cmap_entries(&d, "bfchar", uni + nuni, 512 - nuni);
    for (int l = 0; l < 2; l++) {
        unsigned char b[256];
        uint32_t cp[256];
        size_t n = shown(&d, l, b, sizeof b);
        int ncp = code_points(lines[l], cp, 256);
        size_t at = 0;
        for (int i = 0; i < ncp; i++) {
            int width = cp[i] < 0x80 ? 1 : cp[i] < 0x7F00 ? 2 : 3;
            assert_int_equal(width, b[at] < 0x80 ? 1 : b[at] < 0xFF ? 2 : 3);
            unsigned long code = 0;
            for (int k = 0; k < width; k++) code = code << 8 | b[at + (size_t)k];
            at += (size_t)width;
            assert_int_equal(lookup(cid, ncid, code, width), (long)cp[i]);
            assert_int_equal(lookup(uni, nuni, code, width), (long)cp[i]);
        }
        assert_int_equal(at, n);
    }
    /* lines after the first move by the leading alone */
    assert_non_null(find_mem(d.c, d.m, "BT\n/F1 11 Tf\n0 0 0 rg\n56 700 Td\n(", 33));
    assert_non_null(find_mem(d.c, d.m, ") Tj\n0 -14 Td\n(", 15));
    doc_free(&d);
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* TrueType's checksum of n bytes: big-endian words, the last zero-padded. */
static uint32_t sfnt_sum(const unsigned char *p, size_t n) {
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4) {
        unsigned char w[4] = {0, 0, 0, 0};
        memcpy(w, p + i, n - i < 4 ? n - i : 4);
        s += be32(w);
    }
    return s;
}

/* The embedded subset's checksums are right: each table's in the
 * directory (head's with checkSumAdjustment taken as 0), and the whole
 * program's sum 0xB1B0AFBA through head.checkSumAdjustment.  The writer
 * adds the file's sum up from the directory's and the tables' (each on a
 * four-byte boundary, zero-padded); this sums every byte again. */
static void test_subset_checksums(void **state) {
    (void)state;
    const char *lines[] = {"Subset \xC3\xA9t\xC3\xA9 \xE2\x80\x93 \xE9\xBE\x8D 0123456789"};
    doc d = write_doc(lines, 1);
    const unsigned char *c = (const unsigned char *)d.c, *f = NULL;
    for (size_t i = 0; i + 28 <= d.m && !f; i++)
        if (memcmp(c + i, "\0\1\0\0", 4) == 0 && memcmp(c + i + 12, "OS/2", 4) == 0) f = c + i;
    assert_non_null(f);
    unsigned nt = (unsigned)f[4] << 8 | f[5];
    assert_true(nt >= 9 && nt <= 20);
    size_t end = 12 + 16 * (size_t)nt;
    int heads = 0;
    for (unsigned t = 0; t < nt; t++) {
        const unsigned char *r = f + 12 + 16 * t;
        uint32_t off = be32(r + 8), len = be32(r + 12);
        assert_int_equal(off % 4, 0);
        assert_true(off + (size_t)len <= d.m - (size_t)(f - c));
        unsigned char *tab = malloc(len + 1);
        assert_non_null(tab);
        memcpy(tab, f + off, len);
        if (memcmp(r, "head", 4) == 0) {
            memset(tab + 8, 0, 4);
            heads++;
        }
        assert_int_equal(sfnt_sum(tab, len), be32(r + 4));
        free(tab);
        if (off + (((size_t)len + 3) & ~(size_t)3) > end) end = off + (((size_t)len + 3) & ~(size_t)3);
    }
    assert_int_equal(heads, 1);
    assert_int_equal(sfnt_sum(f, end), 0xB1B0AFBAu);
    doc_free(&d);
}

/* A code's bytes after the first can be the delimiters, the backslash or
 * CR: they are escaped (U+0128 '(', U+0129 ')', U+015C '\', U+010D CR). */
static void test_code_escapes(void **state) {
    (void)state;
    const char *lines[] = {"\xC4\xA8\xC4\xA9\xC5\x9C\xC4\x8D"};
    doc d = write_doc(lines, 1);
    static const char want[] = "(\x81\\(\x81\\)\x81\\\\\x81\\r) Tj\n";
    assert_non_null(find_mem(d.c, d.m, want, sizeof want - 1));
    doc_free(&d);
}

/* A line's codes are the same whatever else the document draws: a page
 * can be drawn before the rest is known. */
static void test_codes_independent(void **state) {
    (void)state;
    char many[300 * 2 + 1];
    size_t t = 0;
    for (unsigned c = 0x100; c < 0x100 + 300; c++) {
        many[t++] = (char)(0xC0 | (c >> 6));
        many[t++] = (char)(0x80 | (c & 0x3F));
    }
    many[t] = 0;
    const char *one[] = {"caf\xC3\xA9"}, *two[] = {"caf\xC3\xA9", many};
    doc a = write_doc(one, 1), b = write_doc(two, 2);
    static const char want[] = "56 700 Td\n(caf\x80\xE9) Tj\n";
    assert_non_null(find_mem(a.c, a.m, want, sizeof want - 1));
    assert_non_null(find_mem(b.c, b.m, want, sizeof want - 1));
    doc_free(&a);
    doc_free(&b);
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
        cmocka_unit_test(test_mixed_round_trip),
        cmocka_unit_test(test_code_escapes),
        cmocka_unit_test(test_codes_independent),
        cmocka_unit_test(test_subset_checksums),
        cmocka_unit_test(test_strokes_join),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
