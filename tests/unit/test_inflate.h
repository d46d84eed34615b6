/* A saved PDF's deflated streams, inflated, for tests that look at page
 * content and CMaps (test_pdf.c, test_pdf_codes.c).  Include after
 * cmocka.h. */
#ifndef QUORUM_TEST_INFLATE_H
#define QUORUM_TEST_INFLATE_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static inline const char *find_mem(const char *hay, size_t n, const char *needle,
                            size_t k) {
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0) return hay + i;
    return NULL;
}

/* Every deflated stream of a saved file, inflated and joined. */
static inline char *inflate_all(const char *b, size_t n, size_t *out_len) {
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    const char *p = b, *end = b + n;
    while ((p = find_mem(p, (size_t)(end - p), "stream\r\n", 8)) != NULL) {
        p += 8;
        z_stream z;
        memset(&z, 0, sizeof z);
        assert_int_equal(inflateInit(&z), Z_OK);
        z.next_in = (Bytef *)(uintptr_t)p;
        z.avail_in = (uInt)(end - p);
        int r;
        do {
            if (cap - len < 65536) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            z.next_out = (Bytef *)out + len;
            z.avail_out = (uInt)(cap - len);
            r = inflate(&z, Z_NO_FLUSH);
            len = cap - z.avail_out;
        } while (r == Z_OK);
        inflateEnd(&z); /* not deflated (metadata, XMP): nothing kept */
    }
    *out_len = len;
    return out;
}
#endif
