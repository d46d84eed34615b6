/* src/image: PNG and JPEG decoded to pixels, what each refuses and why,
 * the pixel limit, sharing by reference, flattening onto white. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"
#include <zlib.h>

#include "image.h"

/* ---- PNGs made here, every byte known ----------------------------------- */

typedef struct buf { unsigned char *p; size_t n; } buf;

static void put(buf *b, const void *p, size_t n) {
    b->p = realloc(b->p, b->n + n);
    assert_non_null(b->p);
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void put32(buf *b, uint32_t v) {
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    put(b, c, 4);
}

static void chunk(buf *b, const char *type, const void *data, size_t n) {
    put32(b, (uint32_t)n);
    size_t at = b->n;
    put(b, type, 4);
    if (n) put(b, data, n);
    put32(b, (uint32_t)crc32(0, b->p + at, (uInt)(n + 4)));
}

typedef struct spec {
    uint32_t w, h;
    int depth, ctype, interlace;
    const unsigned char *plte; size_t nplte;
    const unsigned char *trns; size_t ntrns;
} spec;

static const int adam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8},
                                {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
                                {0, 1, 1, 2}};

/* sample(x, y, c) at depth 8 or 16 (these tests need no other packed
 * depths than 1 and 2, written one pixel a byte's top bits) */
typedef unsigned (*sample_fn)(uint32_t x, uint32_t y, int c);

static int channels(int ctype) {
    return ctype == 2 ? 3 : ctype == 4 ? 2 : ctype == 6 ? 4 : 1;
}

/* One row of the pixels xs of row y, filter byte 0. */
static void row(buf *raw, const spec *s, sample_fn f, uint32_t y, uint32_t x0,
                uint32_t dx) {
    unsigned char zero = 0;
    put(raw, &zero, 1);
    int ch = channels(s->ctype);
    unsigned acc = 0, bits = 0;
    for (uint32_t x = x0; x < s->w; x += dx)
        for (int c = 0; c < ch; c++) {
            unsigned v = f(x, y, c);
            if (s->depth == 16) {
                unsigned char two[2] = {(unsigned char)(v >> 8), (unsigned char)v};
                put(raw, two, 2);
            } else if (s->depth == 8) {
                unsigned char one = (unsigned char)v;
                put(raw, &one, 1);
            } else {
                acc = acc << s->depth | v;
                bits += (unsigned)s->depth;
                if (bits == 8) {
                    unsigned char one = (unsigned char)acc;
                    put(raw, &one, 1);
                    acc = bits = 0;
                }
            }
        }
    if (bits) {
        unsigned char one = (unsigned char)(acc << (8 - bits));
        put(raw, &one, 1);
    }
}

static buf make_png(const spec *s, sample_fn f) {
    buf raw = {0}, out = {0};
    if (!s->interlace) {
        for (uint32_t y = 0; y < s->h; y++) row(&raw, s, f, y, 0, 1);
    } else {
        for (int p = 0; p < 7; p++) {
            if ((uint32_t)adam7[p][0] >= s->w) continue;
            for (uint32_t y = (uint32_t)adam7[p][1]; y < s->h; y += (uint32_t)adam7[p][3])
                row(&raw, s, f, y, (uint32_t)adam7[p][0], (uint32_t)adam7[p][2]);
        }
    }
    uLongf zn = compressBound((uLong)raw.n);
    unsigned char *z = malloc(zn);
    assert_int_equal(compress(z, &zn, raw.p, (uLong)raw.n), Z_OK);
    put(&out, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0};
    for (int i = 0; i < 4; i++) {
        ihdr[i] = (unsigned char)(s->w >> (24 - 8 * i));
        ihdr[4 + i] = (unsigned char)(s->h >> (24 - 8 * i));
    }
    ihdr[8] = (unsigned char)s->depth;
    ihdr[9] = (unsigned char)s->ctype;
    ihdr[12] = (unsigned char)s->interlace;
    chunk(&out, "IHDR", ihdr, 13);
    if (s->plte) chunk(&out, "PLTE", s->plte, s->nplte);
    if (s->trns) chunk(&out, "tRNS", s->trns, s->ntrns);
    chunk(&out, "IDAT", z, zn);
    chunk(&out, "IEND", NULL, 0);
    free(z);
    free(raw.p);
    return out;
}

static unsigned rgba16(uint32_t x, uint32_t y, int c) {
    return c == 3 ? (x == 0 ? 0xFFFF : (x * 9000 + y * 300) & 0xFFFF)
                  : ((x * 4093 + y * 7919 + (unsigned)c * 20011) & 0xFFFF);
}

/* 16-bit samples to 8: rounded, as libpng's png_set_scale_16 does */
static unsigned to8(unsigned v) { return (v * 255 + 32767) / 65535; }

static qimage *decode(const buf *b, size_t max_pixels, qimg_error *e) {
    return qimage_decode(b->p, b->n, max_pixels, e);
}

/* The file libharu freed twice: RGBA, 16 bits, interlaced, every pixel
 * where the sample function put it. */
static void test_png_rgba16_interlaced(void **state) {
    (void)state;
    spec s = {.w = 11, .h = 9, .depth = 16, .ctype = 6, .interlace = 1};
    buf b = make_png(&s, rgba16);
    qimg_error e;
    qimage *im = decode(&b, 0, &e);
    assert_non_null(im);
    assert_int_equal(e.status, QIMG_OK);
    assert_int_equal(im->type, QIMG_PNG);
    assert_int_equal(im->w, 11);
    assert_int_equal(im->h, 9);
    assert_int_equal(im->comps, 3);
    assert_null(im->dct);
    assert_non_null(im->alpha);
    for (uint32_t y = 0; y < 9; y++)
        for (uint32_t x = 0; x < 11; x++) {
            for (int c = 0; c < 3; c++)
                assert_int_equal(im->pixels[(y * 11 + x) * 3 + (uint32_t)c],
                                 to8(rgba16(x, y, c)));
            assert_int_equal(im->alpha[y * 11 + x], to8(rgba16(x, y, 3)));
        }
    qimage_unref(im);
    free(b.p);
}

static unsigned key_rgb(uint32_t x, uint32_t y, int c) {
    static const unsigned col[2][3] = {{200, 30, 30}, {20, 120, 220}};
    return col[(x + y) % 2][c];
}

/* A colour key (tRNS on RGB) became "out of memory" in libharu. */
static void test_png_colour_key(void **state) {
    (void)state;
    static const unsigned char trns[6] = {0, 200, 0, 30, 0, 30};
    spec s = {.w = 6, .h = 4, .depth = 8, .ctype = 2, .trns = trns, .ntrns = 6};
    buf b = make_png(&s, key_rgb);
    qimg_error e;
    qimage *im = decode(&b, 0, &e);
    assert_non_null(im);
    assert_int_equal(im->comps, 3);
    assert_non_null(im->alpha);
    for (uint32_t y = 0; y < 4; y++)
        for (uint32_t x = 0; x < 6; x++) {
            assert_int_equal(im->alpha[y * 6 + x], (x + y) % 2 ? 255 : 0);
            assert_int_equal(im->pixels[(y * 6 + x) * 3 + 2], key_rgb(x, y, 2));
        }
    qimage_unref(im);
    free(b.p);
}

static unsigned index2(uint32_t x, uint32_t y, int c) {
    (void)c;
    return (x + 2 * y) % 4;
}

/* A palette with alpha per entry (entry 3 has none: opaque), 2 bits,
 * interlaced. */
static void test_png_palette_alpha(void **state) {
    (void)state;
    static const unsigned char plte[12] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9};
    static const unsigned char trns[3] = {0, 128, 255};
    spec s = {.w = 7, .h = 5, .depth = 2, .ctype = 3, .interlace = 1,
              .plte = plte, .nplte = 12, .trns = trns, .ntrns = 3};
    buf b = make_png(&s, index2);
    qimg_error e;
    qimage *im = decode(&b, 0, &e);
    assert_non_null(im);
    assert_int_equal(im->comps, 3);
    for (uint32_t y = 0; y < 5; y++)
        for (uint32_t x = 0; x < 7; x++) {
            unsigned i = index2(x, y, 0);
            assert_memory_equal(im->pixels + (y * 7 + x) * 3, plte + i * 3, 3);
            assert_int_equal(im->alpha[y * 7 + x], i < 3 ? trns[i] : 255);
        }
    qimage_unref(im);
    free(b.p);
}

static unsigned bit(uint32_t x, uint32_t y, int c) {
    (void)c;
    return (x ^ y) & 1;
}

static unsigned opaque_rgba(uint32_t x, uint32_t y, int c) {
    return c == 3 ? 255 : (x * 40 + y * 3 + (unsigned)c) & 255;
}

/* Grey at 1 bit is scaled to 0 and 255; an alpha channel that is
 * opaque everywhere is dropped (no soft mask to draw). */
static void test_png_grey_and_opaque(void **state) {
    (void)state;
    spec s = {.w = 9, .h = 3, .depth = 1, .ctype = 0};
    buf b = make_png(&s, bit);
    qimg_error e;
    qimage *im = decode(&b, 0, &e);
    assert_non_null(im);
    assert_int_equal(im->comps, 1);
    assert_null(im->alpha);
    for (uint32_t y = 0; y < 3; y++)
        for (uint32_t x = 0; x < 9; x++)
            assert_int_equal(im->pixels[y * 9 + x], bit(x, y, 0) ? 255 : 0);
    qimage_unref(im);
    free(b.p);
    spec o = {.w = 4, .h = 4, .depth = 8, .ctype = 6};
    b = make_png(&o, opaque_rgba);
    im = decode(&b, 0, &e);
    assert_non_null(im);
    assert_null(im->alpha);
    assert_int_equal(im->pixels[3 * 5], opaque_rgba(1, 1, 0));
    qimage_unref(im);
    free(b.p);
}

/* The size is checked from the header, before any data is read: a file
 * whose data is broken still gets the limit's answer. */
static void test_pixel_limit(void **state) {
    (void)state;
    spec s = {.w = 100, .h = 100, .depth = 1, .ctype = 0};
    buf b = make_png(&s, bit);
    qimg_error e;
    assert_null(decode(&b, 9999, &e));
    assert_int_equal(e.status, QIMG_TOO_BIG);
    assert_int_equal(e.w, 100);
    assert_int_equal(e.h, 100);
    qimage *im = decode(&b, 10000, &e);
    assert_non_null(im);
    qimage_unref(im);
    /* damaged data: the limit still speaks first */
    b.n -= 12; /* drop IEND */
    b.p[b.n - 6] ^= 0x55;
    assert_null(decode(&b, 9999, &e));
    assert_int_equal(e.status, QIMG_TOO_BIG);
    assert_null(decode(&b, 0, &e));
    assert_int_equal(e.status, QIMG_DAMAGED);
    free(b.p);
}

/* Every prefix of a valid file is refused, none crashes. */
static void test_png_truncated(void **state) {
    (void)state;
    spec s = {.w = 11, .h = 9, .depth = 16, .ctype = 6, .interlace = 1};
    buf b = make_png(&s, rgba16);
    for (size_t n = 0; n < b.n; n++) {
        qimg_error e;
        assert_null(qimage_decode(b.p, n, 0, &e));
        assert_int_not_equal(e.status, QIMG_OK);
        assert_true(n < 8 ? e.status == QIMG_UNKNOWN : e.status == QIMG_DAMAGED);
        assert_true(n < 8 || e.msg[0]);
    }
    free(b.p);
}

static const char *path_of(char *out, size_t cap, const char *rel) {
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(out, cap, "%s/%s", src ? src : ".", rel);
    return out;
}

static qimage *decode_file(const char *rel, qimg_error *e) {
    char path[512];
    size_t n;
    unsigned char *b = test_slurp_must(path_of(path, sizeof path, rel), &n);
    qimage *im = qimage_decode(b, n, 0, e);
    free(b);
    return im;
}

/* The damaged files of tests/invalid/images (tests/tools/make_images.py),
 * which aborted the process or were drawn half grey: each refused with
 * the decoder's reason. */
static void test_damaged_files(void **state) {
    (void)state;
    static const struct { const char *name; qimg_status st; const char *why; } cases[] = {
        {"no-plte.png", QIMG_DAMAGED, "Missing PLTE before IDAT"},
        {"bad-filter.png", QIMG_DAMAGED, "bad adaptive filter value"},
        {"width-2g.png", QIMG_DAMAGED, "out of range"},
        {"few-rows.png", QIMG_DAMAGED, "Not enough image data"},
        {"garbage-deflate.png", QIMG_DAMAGED, "invalid"},
        {"million.png", QIMG_TOO_BIG, ""},
        {"soi-only.jpg", QIMG_DAMAGED, "Premature end of JPEG file"},
        {"zero-sof.jpg", QIMG_DAMAGED, "Empty JPEG image"},
        {"truncated.jpg", QIMG_DAMAGED, "Premature end of JPEG file"},
        {"garbage.jpg", QIMG_DAMAGED, "Unsupported marker"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/invalid/images/%s", cases[i].name);
        qimg_error e;
        qimage *im = decode_file(rel, &e);
        if (im || e.status != cases[i].st || !strstr(e.msg, cases[i].why))
            fail_msg("%s: status %d, \"%s\"", cases[i].name, (int)e.status, e.msg);
        assert_int_equal(e.type, strstr(cases[i].name, ".png") ? QIMG_PNG : QIMG_JPEG);
    }
}

/* A grey baseline JPEG is validated and kept as it is (PDF readers
 * decode it); every prefix is refused. */
static void test_jpeg_as_is(void **state) {
    (void)state;
    char path[512];
    size_t n;
    unsigned char *b = test_slurp_must(path_of(path, sizeof path, "tests/unit/data/wide.jpg"), &n);
    qimg_error e;
    qimage *im = qimage_decode(b, n, 0, &e);
    assert_non_null(im);
    assert_int_equal(im->type, QIMG_JPEG);
    assert_int_equal(im->w, 16);
    assert_int_equal(im->h, 8);
    assert_int_equal(im->comps, 1);
    assert_null(im->pixels);
    assert_int_equal(im->dct_len, n);
    assert_memory_equal(im->dct, b, n);
    assert_true(im->dct != b); /* its own copy */
    qimage_unref(im);
    for (size_t k = 0; k < n; k++) {
        assert_null(qimage_decode(b, k, 0, &e));
        assert_true(k < 2 ? e.status == QIMG_UNKNOWN : e.status == QIMG_DAMAGED);
    }
    assert_null(qimage_decode(b, n, 16 * 8 - 1, &e));
    assert_int_equal(e.status, QIMG_TOO_BIG);
    free(b);
}

/* CMYK (Adobe's inverted inks, as Photoshop and PIL write them) becomes
 * RGB pixels: cyan, magenta, yellow and black quarters. */
static void test_jpeg_cmyk(void **state) {
    (void)state;
    qimg_error e;
    qimage *im = decode_file("tests/unit/data/cmyk.jpg", &e);
    assert_non_null(im);
    assert_int_equal(im->comps, 3);
    assert_null(im->dct);
    assert_non_null(im->pixels);
    static const unsigned char want[4][3] = {{0, 255, 255}, {255, 0, 255},
                                             {255, 255, 0}, {0, 0, 0}};
    for (int q = 0; q < 4; q++) {
        const unsigned char *p = im->pixels + ((size_t)((q / 2) * 16 + 8) * 32 + (q % 2) * 16 + 8) * 3;
        for (int c = 0; c < 3; c++)
            assert_true(abs(p[c] - want[q][c]) <= 4);
    }
    qimage_unref(im);
}

static void test_not_an_image(void **state) {
    (void)state;
    const unsigned char gif[] = "GIF89a\x10\x00\x08\x00";
    qimg_error e;
    assert_int_equal(qimg_sniff(gif, sizeof gif), QIMG_NONE);
    assert_null(qimage_decode(gif, sizeof gif, 0, &e));
    assert_int_equal(e.status, QIMG_UNKNOWN);
    assert_int_equal(e.type, QIMG_NONE);
    assert_null(qimage_decode(NULL, 0, 0, &e));
    assert_int_equal(e.status, QIMG_UNKNOWN);
}

/* References: the last one frees (ASan would see a leak or a double
 * free); one tied to an arena goes with it. */
static void test_references(void **state) {
    (void)state;
    spec s = {.w = 3, .h = 3, .depth = 8, .ctype = 4};
    buf b = make_png(&s, opaque_rgba);
    qimg_error e;
    qimage *im = decode(&b, 0, &e);
    assert_non_null(im);
    assert_ptr_equal(qimage_ref(im), im);
    qarena *a = qarena_new(0);
    qimage_unref_with(a, qimage_ref(im));
    qimage_unref(im);
    qimage *other = decode(&b, 0, &e);
    assert_true(qimage_same(im, other));
    assert_true(qimage_same(NULL, NULL));
    assert_false(qimage_same(im, NULL));
    qimage_unref(other);
    qimage_unref(im);
    assert_int_equal(im->w, 3); /* the arena's reference keeps it */
    qarena_free(a);
    qimage_unref(NULL);
    free(b.p);
}

static unsigned half(uint32_t x, uint32_t y, int c) {
    (void)y;
    return c == 1 ? (x == 0 ? 0 : x == 1 ? 128 : 255) : 40;
}

/* For PDF/A-1: alpha applied onto white. */
static void test_on_white(void **state) {
    (void)state;
    spec s = {.w = 3, .h = 1, .depth = 8, .ctype = 4};
    buf b = make_png(&s, half);
    qimg_error e;
    qimage *im = decode(&b, 0, &e);
    assert_non_null(im);
    unsigned char out[3];
    qimage_on_white(im, out);
    assert_int_equal(out[0], 255);                          /* transparent */
    assert_int_equal(out[1], (40 * 128 + 255 * 127 + 127) / 255); /* half */
    assert_int_equal(out[2], 40);                           /* opaque */
    qimage_unref(im);
    free(b.p);
}

/* The messages, at the position given, of the right class. */
static void test_diagnostics(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    qpos at = {qdiag_file(d, "r.xml"), 3, 9};
    qimg_error e = {.status = QIMG_TOO_BIG, .type = QIMG_PNG, .w = 1000001, .h = 1000001};
    qimage_diag(d, at, "big.png", &e, 0);
    qimg_error f = {.status = QIMG_DAMAGED, .type = QIMG_JPEG};
    snprintf(f.msg, sizeof f.msg, "Premature end of JPEG file");
    qimage_diag(d, at, "cut.jpg", &f, 0);
    qimg_error g = {.status = QIMG_UNKNOWN};
    qimage_diag(d, at, "x.gif", &g, 0);
    e.w = 30;
    qimage_diag(d, at, "small.png", &e, 1234);
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_int_equal(q.cls, QUORUM_CLASS_LIMIT);
    assert_int_equal(q.line, 3);
    assert_int_equal(q.col, 9);
    assert_string_equal(q.message, "image 'big.png' is 1000001 x 1000001 pixels, "
                        "over the limit of 50 million pixels for an image");
    assert_int_equal(quorum_diags_get(d, 1, &q), 0);
    assert_int_equal(q.cls, QUORUM_CLASS_INPUT);
    assert_string_equal(q.message, "image 'cut.jpg' is not a valid JPEG file: "
                        "Premature end of JPEG file");
    assert_int_equal(quorum_diags_get(d, 2, &q), 0);
    assert_string_equal(q.message, "image 'x.gif' is not a PNG or JPEG file");
    assert_int_equal(quorum_diags_get(d, 3, &q), 0);
    assert_string_equal(q.message, "image 'small.png' is 30 x 1000001 pixels, "
                        "over the limit of 1234 pixels for an image");
    quorum_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_rgba16_interlaced),
        cmocka_unit_test(test_png_colour_key),
        cmocka_unit_test(test_png_palette_alpha),
        cmocka_unit_test(test_png_grey_and_opaque),
        cmocka_unit_test(test_pixel_limit),
        cmocka_unit_test(test_png_truncated),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_jpeg_as_is),
        cmocka_unit_test(test_jpeg_cmyk),
        cmocka_unit_test(test_not_an_image),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_on_white),
        cmocka_unit_test(test_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
