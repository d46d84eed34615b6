/* See image.h: the decoded image, shared by reference, and what the
 * decoders have in common. */
#include "image.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct held {
    qimage im;            /* first: a qimage pointer is a held pointer */
    atomic_uint refs;
    unsigned char *pixels, *alpha, *dct;
} held;

qimg_type qimg_sniff(const unsigned char *b, size_t n) {
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 8 && memcmp(b, png_sig, 8) == 0) return QIMG_PNG;
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xD8) return QIMG_JPEG;
    return QIMG_NONE;
}

qimage *qimg_adopt(unsigned w, unsigned h, unsigned comps,
                   unsigned char *pixels, unsigned char *alpha,
                   unsigned char *dct, size_t dct_len) {
    held *m = malloc(sizeof *m);
    if (!m) {
        free(pixels);
        free(alpha);
        free(dct);
        return NULL;
    }
    m->im = (qimage){QIMG_NONE, w, h, comps, pixels, alpha, dct, dct ? dct_len : 0};
    atomic_init(&m->refs, 1);
    m->pixels = pixels;
    m->alpha = alpha;
    m->dct = dct;
    return &m->im;
}

const qimage *qimage_ref(const qimage *im) {
    if (im) atomic_fetch_add_explicit(&((held *)(uintptr_t)im)->refs, 1,
                                      memory_order_relaxed);
    return im;
}

void qimage_unref(const qimage *im) {
    if (!im) return;
    held *m = (held *)(uintptr_t)im;
    if (atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) != 1) return;
    free(m->pixels);
    free(m->alpha);
    free(m->dct);
    free(m);
}

static void unref_void(void *p) { qimage_unref(p); }

void qimage_unref_with(qarena *a, const qimage *im) {
    if (im) qarena_defer(a, unref_void, (void *)(uintptr_t)im);
}

void qimg_fail(qimg_error *e, qimg_status st, const char *fmt, ...) {
    e->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

qimage *qimage_decode(const unsigned char *b, size_t n, size_t max_pixels,
                      qimg_error *e) {
    memset(e, 0, sizeof *e);
    if (!max_pixels) max_pixels = QIMG_MAX_PIXELS;
    e->type = b ? qimg_sniff(b, n) : QIMG_NONE;
    qimage *im = NULL;
    if (e->type == QIMG_PNG) im = qimg_png_decode(b, n, max_pixels, e);
    else if (e->type == QIMG_JPEG) im = qimg_jpeg_decode(b, n, max_pixels, e);
    else e->status = QIMG_UNKNOWN;
    if (im) {
        ((held *)im)->im.type = e->type;
        e->status = QIMG_OK;
        e->w = im->w;
        e->h = im->h;
    } else if (e->status == QIMG_OK) {
        qimg_fail(e, QIMG_DAMAGED, "out of memory");
    }
    return im;
}

static int same_bytes(const unsigned char *a, const unsigned char *b, size_t n) {
    return a == b || (a && b && memcmp(a, b, n) == 0);
}

int qimage_same(const qimage *a, const qimage *b) {
    if (a == b) return 1;
    if (!a || !b || a->w != b->w || a->h != b->h || a->comps != b->comps ||
        a->dct_len != b->dct_len || !a->pixels != !b->pixels ||
        !a->alpha != !b->alpha || !a->dct != !b->dct)
        return 0;
    size_t px = (size_t)a->w * a->h;
    return same_bytes(a->pixels, b->pixels, a->pixels ? px * a->comps : 0) &&
           same_bytes(a->alpha, b->alpha, a->alpha ? px : 0) &&
           same_bytes(a->dct, b->dct, a->dct_len);
}

void qimage_on_white(const qimage *im, unsigned char *out) {
    size_t px = (size_t)im->w * im->h, k = im->comps;
    for (size_t i = 0; i < px; i++) {
        unsigned a = im->alpha ? im->alpha[i] : 255;
        for (size_t c = 0; c < k; c++)
            out[i * k + c] = (unsigned char)((im->pixels[i * k + c] * a +
                                              255 * (255 - a) + 127) / 255);
    }
}

void qimage_diag_bytes(quorum_diags *d, qpos pos, const char *name,
                       size_t max_bytes) {
    char lim[32];
    qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, pos,
                    "image '%s' is larger than the %s limit for images", name,
                    qsize_text(lim, sizeof lim, max_bytes));
}

void qimage_diag(quorum_diags *d, qpos pos, const char *name,
                 const qimg_error *e, size_t max_pixels) {
    if (!max_pixels) max_pixels = QIMG_MAX_PIXELS;
    const char *kind = e->type == QIMG_PNG ? "PNG" : "JPEG";
    switch (e->status) {
    case QIMG_OK:
        return;
    case QIMG_UNKNOWN:
        qdiag_add(d, QUORUM_ERROR, pos, "image '%s' is not a PNG or JPEG file",
                  name);
        return;
    case QIMG_DAMAGED:
        qdiag_add(d, QUORUM_ERROR, pos, "image '%s' is not a valid %s file: %s",
                  name, kind, e->msg);
        return;
    case QIMG_NO_DECODER:
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, pos,
                        "image '%s' cannot be decoded: the %s library is not "
                        "available (%s)", name, kind, e->msg);
        return;
    case QIMG_TOO_BIG: {
        char lim[48];
        if (max_pixels % 1000000 == 0)
            snprintf(lim, sizeof lim, "%zu million", max_pixels / 1000000);
        else
            snprintf(lim, sizeof lim, "%zu", max_pixels);
        qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, pos,
                        "image '%s' is %lu x %lu pixels, over the limit of %s "
                        "pixels for an image", name, e->w, e->h, lim);
        return;
    }
    }
}
