/* MD5 (RFC 1321), for what PDF defines with it: the trailer /ID and an
 * embedded file's /CheckSum.  Not used for anything that needs security. */
#ifndef QUORUM_MD5_H
#define QUORUM_MD5_H
#include <stddef.h>
#include <stdint.h>

typedef struct qmd5_ctx {
    uint32_t a, b, c, d;
    uint64_t len;            /* bytes so far */
    unsigned char buf[64];
    size_t used;
} qmd5_ctx;

void qmd5_init(qmd5_ctx *c);
void qmd5_update(qmd5_ctx *c, const void *data, size_t n);
void qmd5_final(qmd5_ctx *c, unsigned char out[16]);
void qmd5(const void *data, size_t n, unsigned char out[16]);
#endif
