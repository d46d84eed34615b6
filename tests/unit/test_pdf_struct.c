/* The structure tree's printing (hpdf_struct.c, hpdf_save.c; issue 18).
 * The save with object streams prints each element straight into the
 * stream, not through libharu's dict writer, so it must print what
 * libharu prints: the same elements, byte for byte, as the classic save
 * (PDF/A-1, where libharu writes every object itself) of the same
 * document.  Roles are looked up by the name's address: names a few
 * bytes apart, and the same name at two addresses, keep their roles.
 * Text strings: literals (escaped) for PDFDocEncoding, else UTF-16BE. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hpdf_private.h"
#include "pdf.h"
#include "test_inflate.h"

typedef struct buf { char *p; size_t n, cap; } buf;

static int buf_write(void *ctx, const void *p, size_t n) {
    buf *b = ctx;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    return 0;
}

/* Role names packed in one array, a few bytes apart, as a table of
 * literals is laid out: each must keep its own role.  More names than
 * the lookup by address keeps, so that some share a slot whatever the
 * addresses are (the program's are not the same from run to run). */
static const char packed[] = "P\0H1\0H2\0Sect\0Span\0L\0LI\0LBody\0Lbl\0Table\0TR\0TH\0TD";
enum { PAGES = 3, NAMED = 13, MORE = 60, ROLES = NAMED + MORE };
static char more[MORE][4];  /* R0 .. R59 */

static const char *role_at(int k) {
    if (k >= NAMED) return more[k - NAMED];
    const char *s = packed;
    while (k-- > 0) s += strlen(s) + 1;
    return s;
}

/* A tagged document with every kind of element and attribute, archive
 * part `part` (1: libharu saves it, 2: object streams), saved into out. */
static void make(buf *out, int part) {
    for (int k = 0; k < MORE; k++) snprintf(more[k], sizeof more[k], "R%d", k);
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, 1);
    qhpdf_set_archive(h, part);
    qhpdf_set_tagged(h);
    for (int p = 0; p < PAGES; p++) assert_int_equal(qhpdf_add_page(h, 200, 200), p);
    int doc = qhpdf_struct_new(h, -1, "Document");
    int cont = qhpdf_struct_new(h, doc, "P");  /* content on every page: MCRs */
    char heap_p[] = "P";                       /* "P" again, at another address */
    for (int p = 0; p < PAGES; p++) {
        int sect = qhpdf_struct_new(h, doc, "Sect");
        int kids[ROLES];
        for (int k = 0; k < ROLES; k++) kids[k] = qhpdf_struct_new(h, sect, role_at(k));
        int again = qhpdf_struct_new(h, sect, heap_p);
        qhpdf_struct_actual(h, kids[0], "plain (ASCII) \\ text");
        qhpdf_struct_actual(h, kids[1], "caf\xc3\xa9 \xe2\x80\x93 PDFDoc");
        qhpdf_struct_alt(h, kids[2], "Cymraeg: d\xc5\xb5r \xf0\x9f\x98\x80");
        qhpdf_struct_lang(h, kids[3], "cy");
        qhpdf_struct_numbering(h, kids[5], "Decimal");
        qhpdf_struct_summary(h, kids[9], "A (table)");
        qhpdf_struct_scope(h, kids[11], p % 2);
        qhpdf_struct_span(h, kids[12], 2, 3);
        qhpdf_struct_bbox(h, again, 1.5f, 2.25f, 100, 150.125f);
        qhpdf_page_begin(h, p);
        qhpdf_mark(h, cont);
        qhpdf_fill(h, 5, 5, 5, 5, 0);
        for (int k = 0; k < ROLES; k++) {
            qhpdf_mark(h, kids[k]);
            qhpdf_fill(h, 10 + k, 10, 5, 5, 0xFF8000);
        }
        qhpdf_mark(h, again);
        qhpdf_fill(h, 100, 100, 10, 10, 0x0000FF);
        qhpdf_page_end(h);
        qhpdf_link_dest(h, 10, 10, 60, 30, (p + 1) % PAGES, 150);
        qhpdf_tag_annot(h, qhpdf_struct_new(h, kids[0], "Link"), "Go (on)");
    }
    qhpdf_struct_finish(h);
    assert_int_equal(qhpdf_save_to(h, buf_write, out), 0);
    assert_false(qhpdf_failed(h));
    qhpdf_free(h);
}

/* The elements in b[0..n) ("<<\n/P " to "\n>>"), joined by "|". */
static char *elements(const char *b, size_t n) {
    buf o = {0};
    const char *p = b, *end = b + n;
    while ((p = find_mem(p, (size_t)(end - p), "<<\n/P ", 6)) != NULL) {
        const char *e = find_mem(p, (size_t)(end - p), "\n>>", 3);
        assert_non_null(e);
        buf_write(&o, p, (size_t)(e + 3 - p));
        buf_write(&o, "|", 2);  /* with the NUL, so o.p is a string */
        o.n--;
        p = e + 3;
    }
    assert_non_null(o.p);
    return o.p;
}

static size_t count(const char *s, const char *needle) {
    size_t k = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++) k++;
    return k;
}

static void test_elements_as_libharu_prints(void **state) {
    (void)state;
    buf a1 = {0}, a2 = {0};
    make(&a1, 1);
    make(&a2, 2);
    /* PDF/A-1: no object streams, each element a top-level object */
    assert_null(find_mem(a1.p, a1.n, "/ObjStm", 7));
    assert_non_null(find_mem(a2.p, a2.n, "/ObjStm", 7));
    size_t n2;
    char *in2 = inflate_all(a2.p, a2.n, &n2);
    char *e1 = elements(a1.p, a1.n), *e2 = elements(in2, n2);
    /* the Document, the content element; a page: its Sect, ROLES kids,
     * the second "P" and a Link */
    size_t want = 1 + 1 + PAGES * (1 + ROLES + 1 + 1);
    assert_int_equal(count(e1, "|"), want);
    assert_string_equal(e2, e1);
    free(e1);
    free(e2);
    free(in2);
    free(a1.p);
    free(a2.p);
}

static void test_roles_and_strings(void **state) {
    (void)state;
    buf a = {0};
    make(&a, 2);
    size_t n;
    char *in = inflate_all(a.p, a.n, &n);
    char *e = elements(in, n);
    for (int k = 1; k < ROLES; k++) {  /* "P" below */
        char s[32];
        snprintf(s, sizeof s, "\n/S /%s\n", role_at(k));
        assert_int_equal(count(e, s), k == 3 ? 2 * PAGES : PAGES);  /* Sect */
    }
    /* "P": the content element, the pages' first kid and the one named
     * from another address */
    assert_int_equal(count(e, "\n/S /P\n"), 1 + 2 * PAGES);
    assert_int_equal(count(e, "\n/S /Link\n"), PAGES);
    assert_int_equal(count(e, "/ActualText (plain \\(ASCII\\) \\\\ text)"), PAGES);
    assert_int_equal(count(e, "/ActualText (caf\xe9 \x85 PDFDoc)"), PAGES);
    assert_int_equal(count(e, "/Alt <FEFF00430079006D0072006100650067003A0020006401750072"
                              "0020D83DDE00>"),
                     PAGES);
    assert_int_equal(count(e, "/Summary (A \\(table\\))"), PAGES);
    free(e);
    free(in);
    free(a.p);
}

/* A coordinate as the structure tree and the annotations print it: at
 * most three decimals, no trailing zeros; the largest float whole (it
 * overran a 32-byte buffer: a damaged cache entry's Figure box can hold
 * one) and NaN or an infinity as 0, since PDF cannot write them. */
static void test_reals(void **state) {
    (void)state;
    struct { float v; const char *want; } cases[] = {
        {0.0f, "0"}, {1.5f, "1.5"}, {100.0f, "100"}, {-2.25f, "-2.25"},
        {0.1234f, "0.123"}, {NAN, "0"}, {INFINITY, "0"}, {-INFINITY, "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbuf b = {0};
        qh_wb_real(&b, cases[i].v);
        assert_int_equal(b.n, strlen(cases[i].want));
        assert_memory_equal(b.p, cases[i].want, b.n);
        free(b.p);
    }
    char want[64];
    snprintf(want, sizeof want, "%.0f", (double)-FLT_MAX);
    wbuf b = {0};
    qh_wb_real(&b, -FLT_MAX);
    assert_int_equal(b.n, strlen(want)); /* 40 bytes, all of them */
    assert_memory_equal(b.p, want, b.n);
    free(b.p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elements_as_libharu_prints),
        cmocka_unit_test(test_roles_and_strings),
        cmocka_unit_test(test_reals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
