/* MD5 after RFC 1321 (public algorithm; this text is written from the RFC). */
#include "util.h"

#include <string.h>

static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

/* The 64 steps written out, as RFC 1321 lists them: a loop choosing the
 * function and word each step took five times the instructions (the font
 * subsets' tags hash every program, 3.4 M instructions a report). */
#define F1(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define F2(x, y, z) F1(z, x, y)
#define F3(x, y, z) ((x) ^ (y) ^ (z))
#define F4(x, y, z) ((y) ^ ((x) | ~(z)))
#define STEP(f, a, b, c, d, i, s, g) (a) = (b) + rotl((a) + f(b, c, d) + K[i] + m[g], s)

static void block(void *ctx, const unsigned char *p) {
    qmd5_ctx *c = ctx;
    uint32_t m[16];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(m, p, sizeof m);  /* MD5's words are little-endian */
#else
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
#endif
    uint32_t a = c->a, b = c->b, cc = c->c, d = c->d;
    STEP(F1, a, b, cc, d, 0, 7, 0);
    STEP(F1, d, a, b, cc, 1, 12, 1);
    STEP(F1, cc, d, a, b, 2, 17, 2);
    STEP(F1, b, cc, d, a, 3, 22, 3);
    STEP(F1, a, b, cc, d, 4, 7, 4);
    STEP(F1, d, a, b, cc, 5, 12, 5);
    STEP(F1, cc, d, a, b, 6, 17, 6);
    STEP(F1, b, cc, d, a, 7, 22, 7);
    STEP(F1, a, b, cc, d, 8, 7, 8);
    STEP(F1, d, a, b, cc, 9, 12, 9);
    STEP(F1, cc, d, a, b, 10, 17, 10);
    STEP(F1, b, cc, d, a, 11, 22, 11);
    STEP(F1, a, b, cc, d, 12, 7, 12);
    STEP(F1, d, a, b, cc, 13, 12, 13);
    STEP(F1, cc, d, a, b, 14, 17, 14);
    STEP(F1, b, cc, d, a, 15, 22, 15);
    STEP(F2, a, b, cc, d, 16, 5, 1);
    STEP(F2, d, a, b, cc, 17, 9, 6);
    STEP(F2, cc, d, a, b, 18, 14, 11);
    STEP(F2, b, cc, d, a, 19, 20, 0);
    STEP(F2, a, b, cc, d, 20, 5, 5);
    STEP(F2, d, a, b, cc, 21, 9, 10);
    STEP(F2, cc, d, a, b, 22, 14, 15);
    STEP(F2, b, cc, d, a, 23, 20, 4);
    STEP(F2, a, b, cc, d, 24, 5, 9);
    STEP(F2, d, a, b, cc, 25, 9, 14);
    STEP(F2, cc, d, a, b, 26, 14, 3);
    STEP(F2, b, cc, d, a, 27, 20, 8);
    STEP(F2, a, b, cc, d, 28, 5, 13);
    STEP(F2, d, a, b, cc, 29, 9, 2);
    STEP(F2, cc, d, a, b, 30, 14, 7);
    STEP(F2, b, cc, d, a, 31, 20, 12);
    STEP(F3, a, b, cc, d, 32, 4, 5);
    STEP(F3, d, a, b, cc, 33, 11, 8);
    STEP(F3, cc, d, a, b, 34, 16, 11);
    STEP(F3, b, cc, d, a, 35, 23, 14);
    STEP(F3, a, b, cc, d, 36, 4, 1);
    STEP(F3, d, a, b, cc, 37, 11, 4);
    STEP(F3, cc, d, a, b, 38, 16, 7);
    STEP(F3, b, cc, d, a, 39, 23, 10);
    STEP(F3, a, b, cc, d, 40, 4, 13);
    STEP(F3, d, a, b, cc, 41, 11, 0);
    STEP(F3, cc, d, a, b, 42, 16, 3);
    STEP(F3, b, cc, d, a, 43, 23, 6);
    STEP(F3, a, b, cc, d, 44, 4, 9);
    STEP(F3, d, a, b, cc, 45, 11, 12);
    STEP(F3, cc, d, a, b, 46, 16, 15);
    STEP(F3, b, cc, d, a, 47, 23, 2);
    STEP(F4, a, b, cc, d, 48, 6, 0);
    STEP(F4, d, a, b, cc, 49, 10, 7);
    STEP(F4, cc, d, a, b, 50, 15, 14);
    STEP(F4, b, cc, d, a, 51, 21, 5);
    STEP(F4, a, b, cc, d, 52, 6, 12);
    STEP(F4, d, a, b, cc, 53, 10, 3);
    STEP(F4, cc, d, a, b, 54, 15, 10);
    STEP(F4, b, cc, d, a, 55, 21, 1);
    STEP(F4, a, b, cc, d, 56, 6, 8);
    STEP(F4, d, a, b, cc, 57, 10, 15);
    STEP(F4, cc, d, a, b, 58, 15, 6);
    STEP(F4, b, cc, d, a, 59, 21, 13);
    STEP(F4, a, b, cc, d, 60, 6, 4);
    STEP(F4, d, a, b, cc, 61, 10, 11);
    STEP(F4, cc, d, a, b, 62, 15, 2);
    STEP(F4, b, cc, d, a, 63, 21, 9);
    c->a += a;
    c->b += b;
    c->c += cc;
    c->d += d;
}

void qmd5_init(qmd5_ctx *c) {
    c->a = 0x67452301;
    c->b = 0xefcdab89;
    c->c = 0x98badcfe;
    c->d = 0x10325476;
    c->len = 0;
    c->used = 0;
}

void qhash_feed(unsigned char buf[64], size_t *used, const void *data, size_t n,
                void (*blk)(void *ctx, const unsigned char *b), void *ctx) {
    const unsigned char *p = data;
    if (*used) {
        size_t k = 64 - *used < n ? 64 - *used : n;
        memcpy(buf + *used, p, k);
        *used += k;
        p += k;
        n -= k;
        if (*used < 64) return;
        blk(ctx, buf);
        *used = 0;
    }
    for (; n >= 64; p += 64, n -= 64) blk(ctx, p);
    if (n) memcpy(buf, p, n);
    *used = n;
}

size_t qhash_pad(unsigned char pad[72], size_t used, uint64_t len, int big) {
    uint64_t bits = len * 8;
    size_t padn = (used < 56 ? 56 : 120) - used;
    memset(pad, 0, 72);
    pad[0] = 0x80;
    for (int i = 0; i < 8; i++)
        pad[padn + (size_t)i] = (unsigned char)(bits >> (big ? 56 - 8 * i : 8 * i));
    return padn + 8;
}

void qmd5_update(qmd5_ctx *c, const void *data, size_t n) {
    c->len += n;
    qhash_feed(c->buf, &c->used, data, n, block, c);
}

void qmd5_final(qmd5_ctx *c, unsigned char out[16]) {
    unsigned char pad[72];
    qmd5_update(c, pad, qhash_pad(pad, c->used, c->len, 0));
    uint32_t v[4] = {c->a, c->b, c->c, c->d};
    for (int i = 0; i < 16; i++) out[i] = (unsigned char)(v[i / 4] >> (8 * (i % 4)));
}

void qmd5(const void *data, size_t n, unsigned char out[16]) {
    qmd5_ctx c;
    qmd5_init(&c);
    qmd5_update(&c, data, n);
    qmd5_final(&c, out);
}
