/* SHA-256 after FIPS 180-4 (public algorithm; written from the standard).
 * The manifest's hashes: an agenda item's sources and the published PDF,
 * which a reader must not be able to forge (MD5, md5.c, is for what PDF
 * itself defines with it). */
#include "util.h"

#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void block_c(qsha256_ctx *c, const unsigned char *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                      ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                      ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

#ifdef HAVE_SHA_NI
/* The x86 SHA extensions: some eight times the C above, which matters as
 * a pack hashes its PDF (tens of MB for a large agenda) and every source.
 * Four rounds a step; m[] holds the message schedule four words a vector
 * (the pattern of Intel's reference code). */
__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_ni(qsha256_ctx *c, const unsigned char *p, size_t nblocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i t = _mm_loadu_si128((const __m128i *)&c->h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&c->h[4]);
    t = _mm_shuffle_epi32(t, 0xB1);                 /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);               /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);         /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);              /* CDGH */
    /* The state stays in registers from block to block, and the rounds
     * are unrolled so that m[] is four registers: rolled, the schedule
     * went through memory and the loop's branches, and a 6 MB PDF took
     * twice OpenSSL's time (6.6 ms against 3.3). */
    for (; nblocks; nblocks--, p += 64) {
        const __m128i abef = s0, cdgh = s1;
        __m128i m[4];
#pragma GCC unroll 16
        for (int j = 0; j < 16; j++) {
            __m128i *cur = &m[j & 3], *next = &m[(j + 1) & 3], *prev = &m[(j + 3) & 3];
            if (j < 4)
                *cur = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * j)), swap);
            __m128i msg = _mm_add_epi32(*cur, _mm_loadu_si128((const __m128i *)&K[4 * j]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            if (j >= 3 && j <= 14) {
                *next = _mm_add_epi32(*next, _mm_alignr_epi8(*cur, *prev, 4));
                *next = _mm_sha256msg2_epu32(*next, *cur);
            }
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
            if (j >= 1 && j <= 12) *prev = _mm_sha256msg1_epu32(*prev, *cur);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);                /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);               /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0);              /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);                 /* HGFE */
    _mm_storeu_si128((__m128i *)&c->h[0], s0);
    _mm_storeu_si128((__m128i *)&c->h[4], s1);
}

static int cpu_has_sha(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3)) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_SHA) != 0;
}
#endif

/* -1 not yet known, 0 the C rounds, 1 the CPU's; set once (atomically:
 * threads may hash at once) or by qsha256_hw. */
static int use_hw = -1;

int qsha256_hw(int on) {
#ifdef HAVE_SHA_NI
    int v = on && cpu_has_sha();
#else
    int v = 0;
    (void)on;
#endif
    __atomic_store_n(&use_hw, v, __ATOMIC_RELAXED);
    return v;
}

/* n whole blocks at p */
static void blocks(qsha256_ctx *c, const unsigned char *p, size_t n) {
    int hw = __atomic_load_n(&use_hw, __ATOMIC_RELAXED);
    if (hw < 0) hw = qsha256_hw(1);
#ifdef HAVE_SHA_NI
    if (hw) {
        blocks_ni(c, p, n);
        return;
    }
#endif
    for (; n; n--, p += 64) block_c(c, p);
}

void qsha256_init(qsha256_ctx *c) {
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
    c->used = 0;
}

void qsha256_update(qsha256_ctx *c, const void *data, size_t n) {
    const unsigned char *p = data;
    c->len += n;
    if (c->used) {
        size_t k = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->buf + c->used, p, k);
        c->used += k;
        p += k;
        n -= k;
        if (c->used < 64) return;
        blocks(c, c->buf, 1);
        c->used = 0;
    }
    if (n >= 64) blocks(c, p, n / 64);
    p += n & ~(size_t)63;
    n &= 63;
    if (n) memcpy(c->buf, p, n);
    c->used = n;
}

void qsha256_final(qsha256_ctx *c, unsigned char out[32]) {
    unsigned char pad[72];
    qsha256_update(c, pad, qhash_pad(pad, c->used, c->len, 1));
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

/* A manifest prints four or five of these an item: snprintf a byte was
 * 4.5 M instructions of a 50-report supplement. */
void qsha256_hex(const unsigned char sum[32], char out[65]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[sum[i] >> 4];
        out[2 * i + 1] = digits[sum[i] & 15];
    }
    out[64] = 0;
}
