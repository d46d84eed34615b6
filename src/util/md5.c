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
static const unsigned char S[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static void block(void *ctx, const unsigned char *p) {
    qmd5_ctx *c = ctx;
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = c->a, b = c->b, cc = c->c, d = c->d;
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) { f = (b & cc) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & cc); g = (5 * i + 1) & 15; }
        else if (i < 48) { f = b ^ cc ^ d; g = (3 * i + 5) & 15; }
        else { f = cc ^ (b | ~d); g = (7 * i) & 15; }
        uint32_t t = d;
        d = cc;
        cc = b;
        b = b + rotl(a + f + K[i] + m[g], S[i]);
        a = t;
    }
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
