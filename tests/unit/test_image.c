/* util/image: type and pixel size of PNG and JPEG, and what it refuses. */
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

#include "util.h"

static void put32(unsigned char *b, uint32_t v) {
    b[0] = (unsigned char)(v >> 24); b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8); b[3] = (unsigned char)v;
}

/* signature + IHDR chunk (33 bytes) */
static void png_head(unsigned char *b, uint32_t w, uint32_t h, int depth, int color) {
    memcpy(b, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    put32(b + 16, w);
    put32(b + 20, h);
    b[24] = (unsigned char)depth; b[25] = (unsigned char)color;
    b[26] = b[27] = b[28] = 0;
    put32(b + 29, (uint32_t)crc32(crc32(0L, Z_NULL, 0), b + 12, 17));
}

static void test_png(void **state) {
    (void)state;
    unsigned char b[33];
    qimg_info in;
    png_head(b, 200, 100, 8, 2);
    assert_int_equal(qimg_sniff(b, sizeof b), QIMG_PNG);
    assert_int_equal(qimg_read_mem(b, sizeof b, &in), 0);
    assert_int_equal(in.type, QIMG_PNG);
    assert_int_equal(in.w, 200);
    assert_int_equal(in.h, 100);
    /* truncated IHDR, bad CRC, zero size, impossible depth: damaged */
    assert_int_equal(qimg_read_mem(b, 24, &in), -2);
    assert_int_equal(in.type, QIMG_PNG);
    assert_int_equal(in.w, 0);
    b[32] ^= 1;
    assert_int_equal(qimg_read_mem(b, sizeof b, &in), -2);
    png_head(b, 0, 100, 8, 2);
    assert_int_equal(qimg_read_mem(b, sizeof b, &in), -2);
    png_head(b, 10, 10, 3, 2);
    assert_int_equal(qimg_read_mem(b, sizeof b, &in), -2);
    png_head(b, 10, 10, 4, 3); /* palette, 4 bits: fine */
    assert_int_equal(qimg_read_mem(b, sizeof b, &in), 0);
    /* the full structure check wants IDAT and IEND too */
    assert_int_equal(qimg_png_ok(b, sizeof b), 0);
}

static const char *fixture(char *buf, size_t cap, const char *name) {
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(buf, cap, "%s/tests/unit/data/%s", src ? src : ".", name);
    return buf;
}

/* wide.jpg (data/wide_jpeg.py) is 16 x 8, with a fake 64 x 48 frame
 * header inside an APP1 segment before the real one. */
static void test_jpeg(void **state) {
    (void)state;
    char path[512];
    qimg_info in;
    assert_int_equal(qimg_read_file(fixture(path, sizeof path, "wide.jpg"), &in), 0);
    assert_int_equal(in.type, QIMG_JPEG);
    assert_int_equal(in.w, 16);
    assert_int_equal(in.h, 8);
    size_t n;
    unsigned char *b = test_slurp_must(path, &n);
    assert_int_equal(qimg_read_mem(b, n, &in), 0);
    assert_int_equal(in.w, 16);
    /* cut before the frame header: damaged, but known to be a JPEG */
    assert_int_equal(qimg_read_mem(b, 0x60, &in), -2);
    assert_int_equal(in.type, QIMG_JPEG);
    /* a segment length that runs past the end */
    unsigned char c[64];
    memcpy(c, b, sizeof c);
    c[4] = 0xFF; c[5] = 0xF0;
    assert_int_equal(qimg_read_mem(c, sizeof c, &in), -2);
    /* a length below 2 would loop on the same segment */
    memcpy(c, b, sizeof c);
    c[4] = 0; c[5] = 1;
    assert_int_equal(qimg_read_mem(c, sizeof c, &in), -2);
    free(b);
}

static void test_neither(void **state) {
    (void)state;
    qimg_info in;
    const unsigned char gif[] = "GIF89a\x10\x00\x08\x00";
    assert_int_equal(qimg_sniff(gif, sizeof gif), QIMG_NONE);
    assert_int_equal(qimg_read_mem(gif, sizeof gif, &in), -2);
    assert_int_equal(in.type, QIMG_NONE);
    assert_int_equal(qimg_read_mem(gif, 0, &in), -2);
    assert_int_equal(qimg_read_file("/nonexistent/x.png", &in), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_neither),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
