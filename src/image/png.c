/* PNG through libpng, the one file that calls it.  libpng reports errors
 * by calling a handler that must not return (its default, and libharu's
 * handler that returned, ended in abort()): ours records the message and
 * jumps back here.  Every PNG colour type, bit depth and interlacing is
 * read, as 8-bit grey or RGB with the alpha channel apart:
 * palettes and colour keys (tRNS) are expanded, 16-bit samples rounded to
 * 8 bits, depths under 8 scaled up. */
#include "image.h"

#include <png.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpng is opened the first time a PNG is decoded (qdlib_ready says why):
 * its calls go through P, whose members have libpng's own types. */
#ifndef QUORUM_LIBPNG_SONAME
#define QUORUM_LIBPNG_SONAME "libpng16.so.16"
#endif
#define PNG_CALLS(X)                                                           \
    X(png_get_error_ptr) X(png_longjmp) X(png_get_io_ptr) X(png_error)         \
    X(png_get_libpng_ver) X(png_create_read_struct) X(png_create_info_struct)  \
    X(png_destroy_read_struct) X(png_set_longjmp_fn) X(png_set_read_fn)        \
    X(png_set_user_limits) X(png_set_keep_unknown_chunks) X(png_read_info)     \
    X(png_get_image_width) X(png_get_image_height) X(png_set_expand)           \
    X(png_set_scale_16) X(png_set_interlace_handling) X(png_read_update_info)  \
    X(png_get_channels) X(png_get_rowbytes) X(png_get_bit_depth)               \
    X(png_read_row) X(png_read_end)
static struct { PNG_CALLS(QDLIB_MEMBER) } P;
QDLIB_TABLE(libpng, QUORUM_LIBPNG_SONAME, PNG_CALLS, QDLIB_NAME, P, NULL);

#define png_get_error_ptr (*P.png_get_error_ptr)
#define png_longjmp (*P.png_longjmp)
#define png_get_io_ptr (*P.png_get_io_ptr)
#define png_error (*P.png_error)
#define png_get_libpng_ver (*P.png_get_libpng_ver)
#define png_create_read_struct (*P.png_create_read_struct)
#define png_create_info_struct (*P.png_create_info_struct)
#define png_destroy_read_struct (*P.png_destroy_read_struct)
#define png_set_longjmp_fn (*P.png_set_longjmp_fn)
#define png_set_read_fn (*P.png_set_read_fn)
#define png_set_user_limits (*P.png_set_user_limits)
#define png_set_keep_unknown_chunks (*P.png_set_keep_unknown_chunks)
#define png_read_info (*P.png_read_info)
#define png_get_image_width (*P.png_get_image_width)
#define png_get_image_height (*P.png_get_image_height)
#define png_set_expand (*P.png_set_expand)
#define png_set_scale_16 (*P.png_set_scale_16)
#define png_set_interlace_handling (*P.png_set_interlace_handling)
#define png_read_update_info (*P.png_read_update_info)
#define png_get_channels (*P.png_get_channels)
#define png_get_rowbytes (*P.png_get_rowbytes)
#define png_get_bit_depth (*P.png_get_bit_depth)
#define png_read_row (*P.png_read_row)
#define png_read_end (*P.png_read_end)

typedef struct reader {
    const unsigned char *b;
    size_t n, pos;
    qimg_error *e;
    char warning[96];   /* the last warning: the detail of "Invalid IHDR data" */
} reader;

static void on_error(png_structp png, png_const_charp msg) {
    reader *r = png_get_error_ptr(png);
    if (r->e->status == QIMG_OK) {
        if (strcmp(msg, "Invalid IHDR data") == 0 && r->warning[0])
            qimg_fail(r->e, QIMG_DAMAGED, "%s (%s)", msg, r->warning);
        else
            qimg_fail(r->e, QIMG_DAMAGED, "%s", msg);
    }
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
    reader *r = png_get_error_ptr(png);
    snprintf(r->warning, sizeof r->warning, "%s", msg);
}

static void on_read(png_structp png, png_bytep out, size_t len) {
    reader *r = png_get_io_ptr(png);
    if (len > r->n - r->pos) png_error(png, "the file ends early");
    memcpy(out, r->b + r->pos, len);
    r->pos += len;
}

/* Ancillary chunks nothing here uses, skipped unread (their CRC is still
 * checked): a compressed text or profile chunk costs no inflating. */
static const png_byte ignored[] =
    "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0"
    "sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";

/* The colour of every pixel packed to comps bytes in place, its alpha
 * (the channel after the colour) into alpha; 1 when every pixel is opaque. */
static int split_alpha(unsigned char *buf, size_t px, unsigned comps,
                       unsigned char *alpha) {
    unsigned ch = comps + 1;
    int opaque = 1;
    for (size_t i = 0; i < px; i++) {
        alpha[i] = buf[i * ch + comps];
        opaque &= alpha[i] == 255;
        /* forwards: no byte is written before it is read */
        for (unsigned c = 0; c < comps; c++) buf[i * comps + c] = buf[i * ch + c];
    }
    return opaque;
}

void qimg_png_version(char *buf, size_t n) {
    if (qdlib_ready(&libpng, NULL))
        snprintf(buf, n, "libpng %s", png_get_libpng_ver(NULL));
    else
        snprintf(buf, n, "libpng: not available"); /* why: at a PNG */
}

qimage *qimg_png_decode(const unsigned char *b, size_t n, size_t max_pixels,
                        qimg_error *e) {
    const char *why;
    if (!qdlib_ready(&libpng, &why)) {
        qimg_fail(e, QIMG_NO_DECODER, "%s", why);
        return NULL;
    }
    reader r = {b, n, 0, e, ""};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r,
                                             on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        qimg_fail(e, QIMG_DAMAGED, "out of memory");
        return NULL;
    }
    /* changed after setjmp, so kept out of registers */
    unsigned char *volatile buf = NULL, *volatile alpha = NULL;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(buf);
        free(alpha);
        return NULL;
    }
    png_set_read_fn(png, &r, on_read);
    /* the pixel limit is the one that applies, not libpng's million rows
     * and columns */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored,
                                (int)(sizeof ignored / 5));
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    e->w = w;
    e->h = h;
    if ((uint64_t)w * h > max_pixels) {
        qimg_fail(e, QIMG_TOO_BIG, "too many pixels");
        png_longjmp(png, 1);
    }
    png_set_expand(png);
    png_set_scale_16(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    unsigned ch = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (ch < 1 || ch > 4 || png_get_bit_depth(png, info) != 8 ||
        rowbytes != (size_t)w * ch)
        png_error(png, "unexpected layout after expanding");
    size_t px = (size_t)w * h;
    buf = malloc(px * ch);
    if (!buf) png_error(png, "out of memory");
    /* Row by row, each pass over the whole image: an interlaced pass
     * fills in its own pixels of rows that earlier passes began, and no
     * array of row pointers is needed (a 1-pixel-wide image may have
     * millions of rows). */
    for (int p = 0; p < passes; p++)
        for (png_uint_32 y = 0; y < h; y++)
            png_read_row(png, buf + (size_t)y * rowbytes, NULL);
    png_read_end(png, NULL);
    unsigned comps = ch >= 3 ? 3 : 1;
    if (ch == comps + 1) {
        alpha = malloc(px);
        if (!alpha) png_error(png, "out of memory");
        if (split_alpha(buf, px, comps, alpha)) {
            free(alpha);
            alpha = NULL;
        }
        unsigned char *shrunk = realloc(buf, px * comps);
        if (shrunk) buf = shrunk;
    }
    png_destroy_read_struct(&png, &info, NULL);
    qimage *im = qimg_adopt(w, h, comps, buf, alpha, NULL, 0);
    if (!im) qimg_fail(e, QIMG_DAMAGED, "out of memory");
    return im;
}
