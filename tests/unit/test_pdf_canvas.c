/* The page canvas (issue 18, "Streaming a pack", step 1): a page drawn
 * without the libharu document, on another thread, then placed into the
 * document by its own thread, gives the file that drawing into the
 * document gives, byte for byte (fonts embedded, elements made and their
 * MCIDs noted where the drawing needed them).  Placing checks the
 * resource names the canvas wrote against libharu's. */
#include <pthread.h>
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
#include "util.h"

static unsigned char *font_data;
static size_t font_size;

static int setup(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fonts/LiberationSans-Regular.ttf", src ? src : ".");
    font_data = test_slurp(path, &font_size);
    return font_data ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    free(font_data);
    return 0;
}

enum { PAGES = 3, LINES = 6 };
static const char *const words[LINES] = {"Progress on Improvement", "caf\xC3\xA9 \xE2\x80\x93 50%",
                                         "(brackets) and \\", "\xE2\x82\xAC 12,000",
                                         "Recovery", "\xE4\xB8\xAD"};

/* Page p's drawing: two elements (a P per line pair, a Figure), an artifact. */
typedef struct drawing {
    void (*mark)(void *ctx, int elem, const char *role);
    void (*artifact)(void *ctx);
    void (*text)(void *ctx, float y, const char *s);
    void (*fill)(void *ctx, float x);
    void *ctx;
} drawing;

static void draw(const drawing *g, int p) {
    g->artifact(g->ctx);
    g->fill(g->ctx, 10 + p);
    for (int i = 0; i < LINES; i++) {
        g->mark(g->ctx, p * LINES + i / 2, "P");
        g->text(g->ctx, 700 - 14 * (float)i, words[(i + p) % LINES]);
    }
    g->mark(g->ctx, PAGES * LINES + p, "Figure");
    g->fill(g->ctx, 200);
}

/* ---- straight into the document (the qhpdf_ calls) ---- */
typedef struct direct {
    qhpdf *h;
    int font, root;
    int se[PAGES * LINES + PAGES];
} direct;

static void d_mark(void *ctx, int elem, const char *role) {
    direct *x = ctx;
    if (x->se[elem] < 0) x->se[elem] = qhpdf_struct_new(x->h, x->root, role);
    qhpdf_mark(x->h, x->se[elem]);
}
static void d_artifact(void *ctx) { qhpdf_mark_artifact(((direct *)ctx)->h, QH_ART_FOOTER); }
static void d_text(void *ctx, float y, const char *s) {
    direct *x = ctx;
    qhpdf_text(x->h, x->font, 11, 0x202020, 56, y, s);
}
static void d_fill(void *ctx, float x0) {
    qhpdf_fill(((direct *)ctx)->h, x0, 10, 50, 20.5f, 0xFF8000);
}

static unsigned char *save(qhpdf *h, size_t *n) {
    qhpdf_struct_finish(h);
    unsigned char *pdf = qhpdf_save(h, n);
    assert_non_null(pdf);
    assert_false(qhpdf_failed(h));
    qhpdf_free(h);
    return pdf;
}

static qhpdf *new_doc(int *font) {
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, 1);
    qhpdf_set_tagged(h);
    for (int p = 0; p < PAGES; p++) assert_int_equal(qhpdf_add_page(h, 595, 842), p);
    *font = qhpdf_load_font(h, "LiberationSans-Regular.ttf", font_data, font_size, NULL);
    assert_true(*font >= 0);
    return h;
}

static unsigned char *write_direct(size_t *n) {
    direct x;
    x.h = new_doc(&x.font);
    x.root = qhpdf_struct_new(x.h, -1, "Document");
    for (size_t i = 0; i < sizeof x.se / sizeof x.se[0]; i++) x.se[i] = -1;
    drawing g = {d_mark, d_artifact, d_text, d_fill, &x};
    for (int p = 0; p < PAGES; p++) {
        qhpdf_page_begin(x.h, p);
        draw(&g, p);
        qhpdf_page_end(x.h);
    }
    return save(x.h, n);
}

/* ---- on a canvas, on another thread; placed by this one ---- */
static void c_mark(void *ctx, int elem, const char *role) { qcv_mark(ctx, elem, role); }
static void c_artifact(void *ctx) { qcv_mark_artifact(ctx, QH_ART_FOOTER); }
static void c_text(void *ctx, float y, const char *s) {
    assert_int_equal(qcv_text(ctx, 3, 11, 0x202020, 56, y, s), 0); /* the caller's key 3 */
}
static void c_fill(void *ctx, float x0) { qcv_fill(ctx, x0, 10, 50, 20.5f, 0xFF8000); }

typedef struct drawn {
    qcanvas *cv;
    qcv_page pages[PAGES];
} drawn;

static void *draw_pages(void *arg) {
    drawn *t = arg;
    drawing g = {c_mark, c_artifact, c_text, c_fill, t->cv};
    for (int p = 0; p < PAGES; p++) {
        qcv_begin(t->cv);
        draw(&g, p);
        qcv_end(t->cv, &t->pages[p]);
    }
    return NULL;
}

typedef struct placing {
    qhpdf *h;
    int font, root, fonts_asked;
    int se[PAGES * LINES + PAGES];
} placing;

static int p_font(void *ctx, int key) {
    placing *x = ctx;
    assert_int_equal(key, 3);
    x->fonts_asked++;
    return x->font;
}
static int p_elem(void *ctx, int e) {
    placing *x = ctx;
    if (x->se[e] < 0) x->se[e] = qhpdf_struct_new(x->h, x->root, e < PAGES * LINES ? "P" : "Figure");
    return x->se[e];
}

/* zip: each page deflated where it was drawn, as a pack's workers do;
 * threads: the writer's deflate threads (1: none, it deflates itself). */
static unsigned char *write_placed(size_t *n, int zip, int threads) {
    drawn t = {qcv_new(1), {{0}}};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, draw_pages, &t), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    if (zip) {
        qpdf_zipper *z = qpdf_zipper_new();
        for (int p = 0; p < PAGES; p++) assert_int_equal(qpdf_zip_page(z, &t.pages[p]), 0);
        qpdf_zipper_free(z);
    }
    placing x = {0};
    x.h = new_doc(&x.font);
    x.root = qhpdf_struct_new(x.h, -1, "Document");
    for (size_t i = 0; i < sizeof x.se / sizeof x.se[0]; i++) x.se[i] = -1;
    qhpdf_set_threads(x.h, threads);
    qhpdf_place_fns fns = {p_font, p_elem, &x};
    for (int p = 0; p < PAGES; p++) {
        assert_int_equal(qhpdf_place_page(x.h, p, &t.pages[p], &fns), 0);
        /* the content was taken, not copied (issue 18: the pack's 21 MB) */
        assert_null(t.pages[p].data);
        assert_int_equal(t.pages[p].n, 0);
        qcv_page_free(&t.pages[p]);
    }
    assert_int_equal(x.fonts_asked, PAGES);  /* once a page: its first use */
    qhpdf_font_codes(x.h, x.font, qcv_codes(t.cv, 3));
    assert_null(qcv_codes(t.cv, 0));
    qcv_free(t.cv);
    return save(x.h, n);
}

static void test_canvas_placed_same_bytes(void **state) {
    (void)state;
    size_t na = 0;
    unsigned char *a = write_direct(&na);
    assert_true(na > 1000);
    /* raw or deflated where drawn; deflated by the writer or its thread */
    for (int zip = 0; zip < 2; zip++)
        for (int threads = 1; threads <= 2; threads++) {
            size_t nb = 0;
            unsigned char *b = write_placed(&nb, zip, threads);
            assert_int_equal(na, nb);
            assert_memory_equal(a, b, na);
            free(b);
        }
    free(a);
}

/* Pages placed faster than one worker deflates them (a pack's pages come
 * drawn): past the queue's cap the caller deflates the waiting ones
 * itself instead of waiting (issue 18: the deflate thread was the whole
 * write stage), and the file is the one a single thread writes. */
enum { BIG_PAGES = 8, BIG_PAGE = 1 << 20 };
static unsigned char *write_big(int threads, size_t *n) {
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    qhpdf_set_threads(h, threads);
    qcv_page pg[BIG_PAGES];
    unsigned seed = 1;
    for (int p = 0; p < BIG_PAGES; p++) {
        assert_int_equal(qhpdf_add_page(h, 595, 842), p);
        memset(&pg[p], 0, sizeof pg[p]);
        pg[p].data = malloc(BIG_PAGE);
        assert_non_null(pg[p].data);
        /* lines to points no two alike: work for the compressor */
        size_t k = 0;
        while (k + 32 < BIG_PAGE) {
            seed = seed * 1103515245u + 12345u;
            k += (size_t)snprintf((char *)pg[p].data + k, 32, "%u %u l\n", seed >> 20,
                                  (seed >> 8) & 1023);
        }
        pg[p].n = k;
    }
    /* all made first: placing is then only queuing */
    qhpdf_place_fns fns = {p_font, p_elem, NULL};
    for (int p = 0; p < BIG_PAGES; p++) {
        assert_int_equal(qhpdf_place_page(h, p, &pg[p], &fns), 0);
        qcv_page_free(&pg[p]);
    }
    unsigned char *pdf = qhpdf_save(h, n);
    assert_non_null(pdf);
    qhpdf_free(h);
    return pdf;
}

static void test_place_faster_than_deflate(void **state) {
    (void)state;
    size_t n1 = 0, n2 = 0;
    unsigned char *one = write_big(1, &n1);
    size_t helped = qpdf_deflate_helped();
    unsigned char *two = write_big(2, &n2);
    /* 8 MiB queued at once, 4 MiB at most waiting: the worker cannot
     * have taken them all as they came */
    assert_true(qpdf_deflate_helped() > helped);
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, n1);
    free(one);
    free(two);
}

/* A page whose names do not match libharu's is refused, not written
 * with a content stream naming a resource the page lacks. */
static void test_place_checks_names(void **state) {
    (void)state;
    qcanvas *cv = qcv_new(0);
    qcv_begin(cv);
    qcv_text(cv, 0, 11, 0, 56, 700, "A");
    qcv_page pg = {0};
    qcv_end(cv, &pg);
    assert_int_equal(pg.nev, 1);
    assert_int_equal(pg.ev[0].kind, QCV_FONT);
    assert_int_equal(pg.ev[0].b, 1);
    assert_true(pg.n > 9 && memcmp(pg.data, "BT\n/F1 11 Tf", 12) == 0);
    pg.ev[0].b = 2; /* as if the page had used another font first */
    placing x = {0};
    x.h = new_doc(&x.font);
    qhpdf_place_fns fns = {p_font, p_elem, &x};
    pg.ev[0].a = 3;
    assert_int_equal(qhpdf_place_page(x.h, 0, &pg, &fns), -1);
    assert_true(qhpdf_failed(x.h));
    qhpdf_free(x.h);
    qcv_page_free(&pg);
    qcv_free(cv);
}

/* An image's operators end at "Q\n": the adapter used to write a NUL
 * after them (a length of sizeof, not strlen), which readers take as
 * white space but which is no part of the content. */
static void test_image_no_nul(void **state) {
    (void)state;
    qcanvas *cv = qcv_new(0);
    qcv_begin(cv);
    qcv_image(cv, "logo.png", NULL, 10, 20, 30, 40); /* pixels are the writer's */
    qcv_text(cv, 0, 11, 0, 56, 700, "A");
    qcv_page pg = {0};
    qcv_end(cv, &pg);
    assert_false(pg.deflated);
    assert_null(memchr(pg.data, 0, pg.n));
    const char *want = "cm\n/X1 Do\nQ\nBT\n";
    size_t wn = strlen(want);
    int found = 0;
    for (size_t i = 0; i + wn <= pg.n && !found; i++) found = memcmp(pg.data + i, want, wn) == 0;
    assert_true(found);
    qcv_page_free(&pg);
    qcv_free(cv);
}

/* A run's string: each character's code (qh_code_of: one byte for
 * ASCII, two or three for the rest, a space above U+FFFF), with only the
 * delimiters, the backslash and CR escaped; a string ends before a code
 * would take it past 32,767 bytes.  The expected string is made from the
 * code points here, apart from the canvas's own loop. */
static void want_codes(char *o, size_t *n, const unsigned *cps, size_t ncp, size_t *bytes) {
    for (size_t i = 0; i < ncp; i++) {
        unsigned char b[3];
        int w = qh_code_of(cps[i] > 0xFFFF ? 0x20 : cps[i], b);
        if (*bytes + (size_t)w > 32767) {
            memcpy(o + *n, ") Tj\n(", 6);
            *n += 6;
            *bytes = 0;
        }
        *bytes += (size_t)w;
        for (int k = 0; k < w; k++) {
            if (b[k] == '(' || b[k] == ')' || b[k] == '\\' || b[k] == '\r') o[(*n)++] = '\\';
            o[(*n)++] = b[k] == '\r' ? 'r' : (char)b[k];
        }
    }
}

static void test_text_codes(void **state) {
    (void)state;
    /* ASCII with every escape, Latin-1, a BMP character, one above it */
    static const char run[] = "a(b)c\\d\re\t~ caf\xC3\xA9 \xE2\x80\x93 \xE4\xB8\xAD \xF0\x9F\x98\x80!";
    static const unsigned cps[] = {'a', '(', 'b', ')', 'c', '\\', 'd', '\r', 'e', '\t', '~', ' ',
                                   'c', 'a', 'f', 0xE9, ' ', 0x2013, ' ', 0x4E2D, ' ',
                                   0x1F600, '!'};
    enum { LONG = 70000 };  /* two strings' limits: a code astride one, ASCII at the other */
    char *big = malloc(LONG + 8);
    assert_non_null(big);
    memset(big, 'x', LONG);
    memcpy(big + 32766, "\xC3\xA9", 2);  /* two code bytes from byte 32,766 */
    big[LONG] = 0;
    unsigned *bigcp = malloc(LONG * sizeof *bigcp);
    assert_non_null(bigcp);
    size_t nbig = 0;
    for (size_t i = 0; i < LONG; i++) {
        if (i == 32766) { bigcp[nbig++] = 0xE9; i++; continue; }
        bigcp[nbig++] = 'x';
    }
    qcanvas *cv = qcv_new(0);
    qcv_begin(cv);
    qcv_text(cv, 0, 11, 0, 56, 700, run);
    qcv_text(cv, 0, 11, 0, 56, 680, big);
    qcv_page pg = {0};
    qcv_end(cv, &pg);
    assert_false(pg.deflated);
    char *want = malloc(4 * LONG);
    assert_non_null(want);
    size_t n = 0, bytes = 0;
    want[n++] = '(';
    want_codes(want, &n, cps, sizeof cps / sizeof cps[0], &bytes);
    memcpy(want + n, ") Tj\n", 5);
    n += 5;
    size_t first = n;
    const char *at = memchr(pg.data, '(', pg.n);
    assert_non_null(at);
    assert_true((size_t)(pg.data + pg.n - (const unsigned char *)at) >= first);
    assert_memory_equal(at, want, first);
    n = 0;
    bytes = 0;
    want[n++] = '(';
    want_codes(want, &n, bigcp, nbig, &bytes);
    memcpy(want + n, ") Tj\n", 5);
    n += 5;
    at = memchr(at + first, '(', (size_t)(pg.data + pg.n - (const unsigned char *)at) - first);
    assert_non_null(at);
    assert_true((size_t)(pg.data + pg.n - (const unsigned char *)at) >= n);
    assert_memory_equal(at, want, n);
    /* the codes drawn: ASCII by its byte, the rest by code point */
    const uint8_t *codes = qcv_codes(cv, 0);
    assert_non_null(codes);
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        unsigned u = cps[i] > 0xFFFF ? 0x20 : cps[i];
        assert_true(codes[u >> 3] & (1u << (u & 7)));
    }
    free(want);
    free(big);
    free(bigcp);
    qcv_page_free(&pg);
    qcv_free(cv);
}

/* A number in a content stream: v in whole 10^-dec, rounded half away
 * from zero, trailing zeros (and a bare point) dropped; made here with
 * printf, apart from the canvas's own digits. */
static void want_num(char *o, float v, int dec) {
    double d = (double)v * (dec == 3 ? 1000.0 : 10000.0);
    long long m = (long long)(d < 0 ? d - 0.5 : d + 0.5);
    long long scale = dec == 3 ? 1000 : 10000;
    unsigned long long u = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
    int n = sprintf(o, "%s%llu.%0*llu", m < 0 ? "-" : "", u / (unsigned long long)scale, dec,
                    u % (unsigned long long)scale);
    while (o[n - 1] == '0') o[--n] = 0;
    if (o[n - 1] == '.') o[--n] = 0;
}

static void test_numbers(void **state) {
    (void)state;
    static const float v[] = {0, 1, -1, 0.5f, 1.25f, 12.345f, -7.0625f, 0.001f, -0.0004f,
                              0.0005f, 595.276f, 841.89f, 100000.5f, 4294967.5f,
                              5000000.25f, -6000000.125f, 123456789.0f, 9.9999f};
    enum { N = sizeof v / sizeof v[0] };
    qcanvas *cv = qcv_new(0);
    qcv_begin(cv);
    for (int i = 0; i < N; i++) qcv_fill(cv, v[i], v[(i + 1) % N], v[(i + 2) % N], v[(i + 3) % N],
                                         (uint32_t)(0x010203u * (unsigned)(i * 37)));
    qcv_page pg = {0};
    qcv_end(cv, &pg);
    assert_false(pg.deflated);
    char *want = malloc(64 * 8 * N), *o = want;
    assert_non_null(want);
    uint32_t last = 0xFFFFFFFFu;
    for (int i = 0; i < N; i++) {
        uint32_t rgb = (0x010203u * (unsigned)(i * 37)) & 0xFFFFFFu;
        if (rgb != last) {
            for (int k = 2; k >= 0; k--) {
                want_num(o, (float)((rgb >> (8 * k)) & 255) / 255.0f, 4);
                o += strlen(o);
                *o++ = ' ';
            }
            o += sprintf(o, "rg\n");
            last = rgb;
        }
        for (int k = 0; k < 4; k++) {
            want_num(o, v[(i + k) % N], 3);
            o += strlen(o);
            *o++ = ' ';
        }
        o += sprintf(o, "re\nf\n");
    }
    assert_int_equal(pg.n, (size_t)(o - want));
    assert_memory_equal(pg.data, want, pg.n);
    free(want);
    qcv_page_free(&pg);
    qcv_free(cv);
}

/* Marked content and font changes: "/Role <</MCID n>> BDC" with the
 * page's MCIDs from 0, "/Fk size Tf" with fonts numbered in order of
 * first use on the page; made here with printf. */
static void test_marks_and_fonts(void **state) {
    (void)state;
    enum { MARKS = 1200 };
    qcanvas *cv = qcv_new(1);
    qcv_begin(cv);
    for (int i = 0; i < MARKS; i++) {
        qcv_mark(cv, i, i % 2 ? "H1" : "P");
        qcv_text(cv, (i / 7) % 3 ? 2 : 5, 11, 0, 56, 700, "A");
    }
    qcv_page pg = {0};
    qcv_end(cv, &pg);
    assert_false(pg.deflated);
    char *text = malloc(pg.n + 1);
    assert_non_null(text);
    memcpy(text, pg.data, pg.n);
    text[pg.n] = 0;
    const char *at = text;
    int cur = -1;
    for (int i = 0; i < MARKS; i++) {
        char want[64];
        snprintf(want, sizeof want, "/%s <</MCID %d>> BDC\n", i % 2 ? "H1" : "P", i);
        const char *m = strstr(at, want);
        assert_non_null(m);
        at = m + strlen(want);
        int font = (i / 7) % 3 ? 2 : 5;
        if (font != cur) {  /* key 5 first: F1, key 2 then: F2 */
            snprintf(want, sizeof want, "/F%d 11 Tf\n", font == 5 ? 1 : 2);
            m = strstr(at, want);
            assert_non_null(m);
            assert_null(memchr(at, '<', (size_t)(m - at)));  /* before the next mark */
            at = m + strlen(want);
            cur = font;
        }
    }
    free(text);
    qcv_page_free(&pg);
    qcv_free(cv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_no_nul),
        cmocka_unit_test(test_text_codes),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_marks_and_fonts),
        cmocka_unit_test(test_canvas_placed_same_bytes),
        cmocka_unit_test(test_place_checks_names),
        cmocka_unit_test(test_place_faster_than_deflate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
