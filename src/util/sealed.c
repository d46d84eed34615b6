/* The pack cache's sealed files (util.h says the form). */
#include <stdlib.h>
#include <string.h>

#include "util.h"

void qseal_grow(qseal_w *w, size_t n) {
    size_t cap = w->cap ? w->cap : 4096;
    while (cap - w->n < n) cap *= 2;
    w->b = realloc(w->b, cap);
    if (!w->b) qfatal_oom();
    w->cap = cap;
}

void qseal_begin(qseal_w *w, const char magic[8], uint32_t format, const unsigned char key[32]) {
    qseal_put(w, magic, 8);
    qseal_u32(w, format);
    qseal_put(w, key, 32);
    qseal_u64(w, 0); /* the payload's length, once known */
}

static void checksum(const unsigned char *b, size_t n, unsigned char sum[32]) {
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, b, n);
    qsha256_final(&c, sum);
}

unsigned char *qseal_end(qseal_w *w, size_t *len) {
    uint64_t n = w->n - QSEAL_HEAD;
    for (int i = 0; i < 8; i++) w->b[QSEAL_HEAD - 8 + i] = (unsigned char)(n >> (8 * i));
    unsigned char sum[32];
    checksum(w->b, w->n, sum);
    qseal_put(w, sum, 32);
    *len = w->n;
    return w->b;
}

unsigned char *qseal_whole(const char magic[8], uint32_t format, const unsigned char key[32],
                           const unsigned char *payload, size_t n, size_t *len) {
    qseal_w w = {0};
    qseal_begin(&w, magic, format, key);
    qseal_put(&w, payload, n);
    return qseal_end(&w, len);
}

const char *qseal_open(qseal_r *r, const unsigned char *b, size_t n, const char magic[8],
                       uint32_t format, const unsigned char key[32], const char *not_this) {
    if (n < QSEAL_HEAD + 32 || memcmp(b, magic, 8) != 0) return not_this;
    *r = (qseal_r){b, n, 8, NULL};
    if (qseal_get_u32(r) != format) return "another format version";
    if (memcmp(b + 12, key, 32) != 0) return "made for another key";
    r->at = QSEAL_HEAD - 8;
    if (qseal_get_u64(r) != n - QSEAL_HEAD - 32) return "cut short or too long";
    unsigned char sum[32];
    checksum(b, n - 32, sum);
    if (memcmp(sum, b + n - 32, 32) != 0) return "its checksum does not match";
    *r = (qseal_r){b, n - 32, QSEAL_HEAD, NULL};
    return NULL;
}
