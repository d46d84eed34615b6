/* The PDF adapter's early output (issue 18): with qhpdf_stream_to, each
 * page's content reaches the sink as the page ends, and the whole file is
 * the one a save at the end writes, byte for byte; structure elements
 * (one shared dict, written by number) come out as they did with a dict
 * each: a tree of several levels and several root elements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"
#include "pdf.h"

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

static size_t count(const buf *b, const char *s) {
    size_t k = 0, m = strlen(s);
    for (size_t i = 0; i + m <= b->n; i++)
        if (memcmp(b->p + i, s, m) == 0) k++;
    return k;
}

enum { PAGES = 4 };

/* A tagged document of PAGES pages drawn on one thread (so each page's
 * content is final when it ends); with early, streamed into out, and
 * out->n after each page in seen[]. */
static void make(buf *out, int early, size_t seen[PAGES]) {
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, 1);
    qhpdf_set_tagged(h);
    for (int p = 0; p < PAGES; p++) assert_int_equal(qhpdf_add_page(h, 200, 200), p);
    if (early) assert_int_equal(qhpdf_stream_to(h, buf_write, out), 0);
    int doc = qhpdf_struct_new(h, -1, "Document");
    int aside = qhpdf_struct_new(h, -1, "Div");  /* a second root element */
    for (int p = 0; p < PAGES; p++) {
        int sect = qhpdf_struct_new(h, doc, "Sect");
        int para = qhpdf_struct_new(h, sect, "P");
        qhpdf_struct_alt(h, para, "a paragraph");
        qhpdf_page_begin(h, p);
        qhpdf_mark(h, para);
        qhpdf_fill(h, 10 + p, 10, 50, 20.5f, 0xFF8000);
        qhpdf_mark(h, qhpdf_struct_new(h, aside, "Figure"));
        qhpdf_fill(h, 100, 100, 10, 10, 0x0000FF);
        qhpdf_page_end(h);
        /* links after the page is placed, as the PDF device makes them */
        qhpdf_link_dest(h, 10, 10, 60, 30, (p + 1) % PAGES, 150);
        qhpdf_tag_annot(h, qhpdf_struct_new(h, para, "Link"), "Go to the next page");
        qhpdf_link_uri(h, 10, 40, 60, 50, "https://example.org/(a)");
        if (seen) seen[p] = out->n;
    }
    qhpdf_struct_finish(h);
    assert_int_equal(qhpdf_save_to(h, buf_write, out), 0);
    assert_false(qhpdf_failed(h));
    qhpdf_free(h);
}

static void test_early_same_bytes(void **state) {
    (void)state;
    buf late = {0}, early = {0};
    size_t seen[PAGES];
    make(&late, 0, NULL);
    make(&early, 1, seen);
    /* each page's content went out when the page ended, after the header */
    for (int p = 0; p < PAGES; p++) {
        buf upto = {early.p, seen[p], seen[p]};
        assert_int_equal(count(&upto, "endstream"), p + 1);
        assert_memory_equal(upto.p, "%PDF-1.7", 8);
    }
    assert_int_equal(early.n, late.n);
    assert_memory_equal(early.p, late.p, late.n);
    free(late.p);
    free(early.p);
}

/* Pages with text, made one at a time as a pack makes its reports' pages:
 * the one CMap every font shares is made with the first font, after the
 * first page, and libharu deflates it as it prints it.  Its bytes are
 * final when it is made, so it goes out with the first page and every
 * later page's content still goes out as that page ends (issue 18: the
 * early write stopped at it, and a 200-report pack held 17 MB of
 * content until the save); the file is the save's, byte for byte. */
static void make_text(buf *out, int early, size_t seen[PAGES], const unsigned char *font,
                      size_t nfont) {
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, 1);
    if (early) assert_int_equal(qhpdf_stream_to(h, buf_write, out), 0);
    for (int p = 0; p < PAGES; p++) {
        assert_int_equal(qhpdf_add_page(h, 200, 200), p);
        int f = qhpdf_load_font(h, "LiberationSans-Regular.ttf", font, nfont, NULL);
        assert_true(f >= 0);
        qhpdf_page_begin(h, p);
        qhpdf_text(h, f, 11, 0, 20, 150, p % 2 ? "Caf\u00e9 \u2013 page" : "page");
        qhpdf_page_end(h);
        if (seen) seen[p] = out->n;
    }
    assert_int_equal(qhpdf_save_to(h, buf_write, out), 0);
    assert_false(qhpdf_failed(h));
    qhpdf_free(h);
}

static void test_early_after_cmap(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fonts/LiberationSans-Regular.ttf", src ? src : ".");
    size_t nfont = 0;
    unsigned char *font = test_slurp(path, &nfont);
    assert_non_null(font);
    buf late = {0}, early = {0};
    size_t seen[PAGES];
    make_text(&late, 0, NULL, font, nfont);
    make_text(&early, 1, seen, font, nfont);
    for (int p = 0; p < PAGES; p++) {
        buf upto = {early.p, seen[p], seen[p]};
        /* pages 0..p and the CMap */
        assert_int_equal(count(&upto, "endstream"), p + 2);
        assert_int_equal(count(&upto, "/CMapName /Quorum-Mixed"), 1);
    }
    assert_int_equal(early.n, late.n);
    assert_memory_equal(early.p, late.p, late.n);
    free(late.p);
    free(early.p);
    free(font);
}

/* Given a different sink at the save, the early document fails. */
static void test_early_other_sink(void **state) {
    (void)state;
    buf a = {0}, b = {0};
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    assert_int_equal(qhpdf_add_page(h, 200, 200), 0);
    assert_int_equal(qhpdf_stream_to(h, buf_write, &a), 0);
    assert_int_equal(qhpdf_stream_to(h, buf_write, &a), -1);  /* once */
    qhpdf_page_begin(h, 0);
    qhpdf_fill(h, 10, 10, 50, 20, 0);
    qhpdf_page_end(h);
    assert_int_equal(qhpdf_save_to(h, buf_write, &b), -1);
    assert_true(qhpdf_failed(h));
    qhpdf_free(h);
    free(a.p);
    free(b.p);
}

/* A streamed document's pages leave libharu's pool as they are placed
 * (hpdf_retire.c): after the last one is placed the pool holds less than
 * when the pages had only been added, and the second half of the pages
 * placed adds little over the first (the table's list doubling, the
 * pages' text); before, each page placed kept its dictionaries, its
 * graphics state and its stream's dictionary until the save. */
static void test_pool_flat(void **state) {
    (void)state;
    enum { N = 400 };
    buf out = {0};
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, 1);
    qhpdf_set_tagged(h);
    for (int p = 0; p < N; p++) assert_int_equal(qhpdf_add_page(h, 200, 200), p);
    assert_int_equal(qhpdf_stream_to(h, buf_write, &out), 0);
    int doc = qhpdf_struct_new(h, -1, "Document");
    size_t added = qhpdf_pool_bytes(), half = 0;
    for (int p = 0; p < N; p++) {
        int para = qhpdf_struct_new(h, qhpdf_struct_new(h, doc, "Sect"), "P");
        qhpdf_page_begin(h, p);
        qhpdf_mark(h, para);
        qhpdf_fill(h, 10 + p % 50, 10, 50, 20.5f, 0xFF8000);
        qhpdf_page_end(h);
        qhpdf_link_dest(h, 10, 10, 60, 30, (p + 1) % N, 150);
        qhpdf_tag_annot(h, qhpdf_struct_new(h, para, "Link"), "Go to the next page");
        if (p == N / 2 - 1) half = qhpdf_pool_bytes();
    }
    size_t placed = qhpdf_pool_bytes();
    print_message("pool: %zu added, %zu half placed, %zu all placed\n", added, half, placed);
    assert_true(placed < added);
    assert_true(placed < half + (size_t)N / 2 * 256);
    qhpdf_struct_finish(h);
    assert_int_equal(qhpdf_save_to(h, buf_write, &out), 0);
    qhpdf_free(h);
    free(out.p);
}

/* Elements share one table entry unless libharu saves the document
 * itself (PDF/A-1), so the part must be known first: PDF/A-1 after an
 * element is an error, PDF/A-2 is not. */
static void test_archive_after_elements(void **state) {
    (void)state;
    for (int part = 1; part <= 2; part++) {
        qhpdf *h = qhpdf_new();
        assert_non_null(h);
        qhpdf_set_tagged(h);
        assert_int_equal(qhpdf_add_page(h, 200, 200), 0);
        int doc = qhpdf_struct_new(h, -1, "Document");
        assert_true(qhpdf_struct_new(h, doc, "P") >= 0);
        qhpdf_set_archive(h, part);
        assert_int_equal(qhpdf_failed(h), part == 1);
        qhpdf_free(h);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_early_same_bytes),
        cmocka_unit_test(test_early_after_cmap),
        cmocka_unit_test(test_early_other_sink),
        cmocka_unit_test(test_pool_flat),
        cmocka_unit_test(test_archive_after_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
