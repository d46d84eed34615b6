/* Outline items written by a hook from compact records (hpdf_outline.c,
 * issue 18): their keys come in the order libharu's own dictionaries had
 * them (an item's /Next before its /First when its children came after
 * its next sibling), /Count is every descendant's, the root's every
 * item's, and titles are printed as libharu printed them (PDFDocEncoding,
 * UTF-16, and one over libharu's 65,535-byte limit).  Saved as PDF/A-1
 * (libharu's own save: the objects are plain text) and plain (object
 * streams: qpdf reads the outline). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pdf.h"

typedef struct buf { char *p; size_t n, cap; } buf;

static int buf_write(void *ctx, const void *p, size_t n) {
    buf *b = ctx;
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

/* A tree whose items A, B and C get children out of order: B comes
 * before A's children, C before A's second child.  archive: the part. */
static void make(buf *out, int archive) {
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, 1);
    if (archive) qhpdf_set_archive(h, archive);
    for (int p = 0; p < 3; p++) assert_int_equal(qhpdf_add_page(h, 200, 300), p);
    for (int p = 0; p < 3; p++) {
        qhpdf_page_begin(h, p);
        qhpdf_fill(h, 1, 1, 2, 2, 0);
        qhpdf_page_end(h);
    }
    char *big = malloc(70001);
    assert_non_null(big);
    memset(big, 'x', 70000);
    big[70000] = 0;
    int a = qhpdf_outline(h, -1, "A (a)", 0, 100.5f);
    int b = qhpdf_outline(h, -1, "B \xe6\x95\xb0", 1, 299.123456f);
    int a1 = qhpdf_outline(h, a, "A1 \xe2\x80\x93 caf\xc3\xa9", 2, 0);
    assert_true(qhpdf_outline(h, a1, big, 1, 12.25f) >= 0);
    assert_true(qhpdf_outline(h, b, "B1", 2, 841.89f) >= 0);
    int c = qhpdf_outline(h, -1, "C", 0, 1);
    assert_true(qhpdf_outline(h, a, "A2", 0, 5) >= 0);
    assert_true(qhpdf_outline(h, c, "C1", 0, 6) >= 0);
    assert_true(qhpdf_outline(h, b, "B2", 1, 8) >= 0);
    free(big);
    if (!archive) {  /* not saved: freed as it is, after a refused item */
        assert_int_equal(qhpdf_outline(h, -1, "no page", 3, 0), -1);
        assert_true(qhpdf_failed(h));
        qhpdf_free(h);
        return;
    }
    assert_int_equal(qhpdf_save_to(h, buf_write, out), 0);
    qhpdf_free(h);
}

/* Where s is in b (whose streams hold NUL bytes), or NULL. */
static const char *find(const buf *b, const char *s) {
    size_t m = strlen(s);
    for (size_t i = 0; i + m <= b->n; i++)
        if (memcmp(b->p + i, s, m) == 0) return b->p + i;
    return NULL;
}

/* The object whose text holds s, from "obj" to "endobj" (NUL-ended in a
 * copy the caller frees). */
static char *object_with(const buf *b, const char *s) {
    const char *at = find(b, s);
    assert_non_null(at);
    const char *from = at;
    while (from > b->p && strncmp(from, " obj\n", 5) != 0) from--;
    const char *to = at;
    while (to < b->p + b->n && strncmp(to, "endobj", 6) != 0) to++;
    assert_true(to < b->p + b->n);
    size_t n = (size_t)(to - from);
    char *o = malloc(n + 1);
    assert_non_null(o);
    memcpy(o, from, n);
    o[n] = 0;
    return o;
}

/* keys[] appear in o in this order, each once, and no other key of
 * an outline item does. */
static void keys_in_order(const char *o, const char *const *keys) {
    static const char *const all[] = {"/Title ", "/Prev ", "/Parent ", "/Dest ",
                                      "/First ", "/Last ", "/Next ", "/Count ", "/Type "};
    const char *last = o;
    int n = 0;
    for (; keys[n]; n++) {
        const char *k = strstr(o, keys[n]);
        assert_non_null(k);
        assert_true(k > last);
        assert_null(strstr(k + 1, keys[n]));
        last = k;
    }
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int listed = 0;
        for (int j = 0; j < n; j++) listed |= strncmp(all[i], keys[j], strlen(all[i])) == 0;
        if (!listed) assert_null(strstr(o, all[i]));
    }
}

static void test_outline_keys(void **state) {
    (void)state;
    buf out = {0};
    make(&out, 1);
    char *a = object_with(&out, "/Title (A \\050a\\051)");
    keys_in_order(a, (const char *const[]){"/Title ", "/Parent ", "/Dest ", "/Next ",
                                           "/First ", "/Last ", "/Count 3\n", NULL});
    assert_non_null(strstr(a, "/XYZ null 100.5 null ]"));
    char *b = object_with(&out, "/Title <FEFF004200206570>");
    keys_in_order(b, (const char *const[]){"/Title ", "/Prev ", "/Parent ", "/Dest ",
                                           "/First ", "/Last ", "/Next ", "/Count 2\n",
                                           NULL});
    char *c = object_with(&out, "/Title (C)");
    keys_in_order(c, (const char *const[]){"/Title ", "/Prev ", "/Parent ", "/Dest ",
                                           "/First ", "/Last ", "/Count 1\n", NULL});
    /* a leaf: no count; the en dash and é are PDFDocEncoding's 0x85, 0xE9 */
    char *a1 = object_with(&out, "/Title (A1 \\205 caf\\351)");
    keys_in_order(a1, (const char *const[]){"/Title ", "/Parent ", "/Dest ", "/First ",
                                            "/Last ", "/Next ", "/Count 1\n", NULL});
    char *big = object_with(&out, "/Title <FEFF00780078");
    keys_in_order(big, (const char *const[]){"/Title ", "/Parent ", "/Dest ", NULL});
    char *root = object_with(&out, "/Type /Outlines");
    keys_in_order(root, (const char *const[]){"/Type ", "/First ", "/Last ", "/Count 9\n",
                                              NULL});
    free(a);
    free(b);
    free(c);
    free(a1);
    free(big);
    free(root);
    free(out.p);
}

/* The same tree in a plain (streamed) document and PDF/A-2 frees cleanly
 * (the records are released before libharu frees its table). */
static void test_outline_other_saves(void **state) {
    (void)state;
    buf out = {0};
    make(&out, 0);
    make(&out, 2);
    assert_non_null(find(&out, "<< /Type /ObjStm"));
    free(out.p);
}

/* An item holds little of libharu's pool: its table entry (libharu's
 * own dictionaries held 1.9 KB an item until the save). */
static void test_outline_pool(void **state) {
    (void)state;
    enum { N = 1000 };
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    assert_int_equal(qhpdf_add_page(h, 200, 300), 0);
    assert_true(qhpdf_outline(h, -1, "first", 0, 10) >= 0);  /* the root made */
    size_t before = qhpdf_pool_bytes();
    for (int i = 0; i < N; i++)
        assert_true(qhpdf_outline(h, i % 7 ? i : -1, "Section 1.2: a heading of some length", 0,
                                  (float)i) >= 0);
    size_t per = (qhpdf_pool_bytes() - before) / N;
    print_message("pool: %zu bytes an item\n", per);
    assert_true(per < 128);
    qhpdf_free(h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outline_keys),
        cmocka_unit_test(test_outline_other_saves),
        cmocka_unit_test(test_outline_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
