/* JPEG through libjpeg-turbo, the one file that calls it.  libjpeg's
 * default error handler exits the process; ours records the message and
 * jumps back here, and a warning (premature end of data, a corrupt
 * segment, extraneous bytes) is an error too: a file libjpeg has to guess
 * about is refused rather than drawn half grey.  Every file is decoded in
 * full.  A Huffman-coded grey or YCbCr file is then drawn as it is (PDF
 * readers decode those themselves); any other (CMYK and YCCK, arithmetic
 * coding, RGB without the YCbCr transform) is kept as 8-bit grey or RGB
 * pixels, so an archive copy never holds CMYK under its sRGB intent. */
#include "image.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <pthread.h>

/* libjpeg is opened the first time a JPEG is decoded (qdlib_ready says
 * why): its calls go through J, whose members have libjpeg's own types. */
#ifndef QUORUM_LIBJPEG_SONAME
#define QUORUM_LIBJPEG_SONAME "libjpeg.so.62"
#endif
#define JPEG_CALLS(X)                                                          \
    X(jpeg_std_error) X(jpeg_destroy_decompress) X(jpeg_CreateDecompress)      \
    X(jpeg_mem_src) X(jpeg_read_header) X(jpeg_start_decompress)               \
    X(jpeg_read_scanlines) X(jpeg_finish_decompress)
static struct { JPEG_CALLS(QDLIB_MEMBER) } J;
QDLIB_TABLE(libjpeg, QUORUM_LIBJPEG_SONAME, JPEG_CALLS, QDLIB_NAME, J, NULL);

#define jpeg_std_error (*J.jpeg_std_error)
#define jpeg_destroy_decompress (*J.jpeg_destroy_decompress)
#define jpeg_CreateDecompress (*J.jpeg_CreateDecompress)
#define jpeg_mem_src (*J.jpeg_mem_src)
#define jpeg_read_header (*J.jpeg_read_header)
#define jpeg_start_decompress (*J.jpeg_start_decompress)
#define jpeg_read_scanlines (*J.jpeg_read_scanlines)
#define jpeg_finish_decompress (*J.jpeg_finish_decompress)

/* Scans a progressive file may have: each is a pass over the whole
 * image, so a small file of many empty scans would cost time out of
 * proportion to its size.  Encoders write about ten; libjpeg-turbo's own
 * tools stop at 500 when asked to limit them. */
enum { MAX_SCANS = 500 };

typedef struct jerr {
    struct jpeg_error_mgr pub;   /* first: libjpeg sees only this */
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    qimg_error *e;
} jerr;

static _Noreturn void fail_jump(j_common_ptr c) {
    jerr *j = (jerr *)c->err;
    if (j->e->status == QIMG_OK) {
        char m[JMSG_LENGTH_MAX];
        c->err->format_message(c, m);
        qimg_fail(j->e, QIMG_DAMAGED, "%s", m);
    }
    longjmp(j->jump, 1);
}

static void on_error(j_common_ptr c) { fail_jump(c); }

/* level -1: a warning; 0 and up: trace messages, ignored */
static void on_message(j_common_ptr c, int level) {
    if (level < 0) fail_jump(c);
}

static void on_progress(j_common_ptr c) {
    j_decompress_ptr d = (j_decompress_ptr)c;
    if (d->input_scan_number > MAX_SCANS) {
        jerr *j = (jerr *)c->err;
        qimg_fail(j->e, QIMG_DAMAGED, "more than %d scans", MAX_SCANS);
        longjmp(j->jump, 1);
    }
}

/* What PDF's DCTDecode reads as the file is: Huffman coding, 8-bit
 * samples, grey or YCbCr (which readers assume for three components). */
static int drawn_as_is(const struct jpeg_decompress_struct *ci) {
    return !ci->arith_code && ci->data_precision == 8 &&
           ((ci->jpeg_color_space == JCS_GRAYSCALE && ci->num_components == 1) ||
            (ci->jpeg_color_space == JCS_YCbCr && ci->num_components == 3));
}

/* CMYK ink to RGB light, naively (no profile): each ink takes its share
 * of the light the black leaves.  Adobe's files (an APP14 marker) store
 * the inks inverted. */
static void cmyk_to_rgb(const unsigned char *in, unsigned char *out, size_t n,
                        int inverted) {
    for (size_t i = 0; i < n; i++, in += 4, out += 3) {
        unsigned k = inverted ? in[3] : 255u - in[3];
        for (int c = 0; c < 3; c++) {
            unsigned v = inverted ? in[c] : 255u - in[c];
            out[c] = (unsigned char)((v * k + 127) / 255);
        }
    }
}

/* The headers' version: libjpeg-turbo tells none at run time (its
 * message table's JMSG_VERSION is the libjpeg API it emulates, "6b"). */
void qimg_jpeg_version(char *buf, size_t n) {
    long v = LIBJPEG_TURBO_VERSION_NUMBER; /* 2001005 */
    snprintf(buf, n, "libjpeg-turbo %ld.%ld.%ld", v / 1000000, v / 1000 % 1000,
             v % 1000);
}

qimage *qimg_jpeg_decode(const unsigned char *b, size_t n, size_t max_pixels,
                         qimg_error *e) {
    const char *why;
    if (!qdlib_ready(&libjpeg, &why)) {
        qimg_fail(e, QIMG_NO_DECODER, "%s", why);
        return NULL;
    }
    struct jpeg_decompress_struct ci;
    jerr j;
    memset(&ci, 0, sizeof ci);
    memset(&j, 0, sizeof j);
    ci.err = jpeg_std_error(&j.pub);
    j.pub.error_exit = on_error;
    j.pub.emit_message = on_message;
    j.progress.progress_monitor = on_progress;
    j.e = e;
    /* changed after setjmp, so kept out of registers */
    unsigned char *volatile pix = NULL, *volatile row = NULL, *volatile dct = NULL;
    if (setjmp(j.jump)) {
        jpeg_destroy_decompress(&ci);
        free(pix);
        free(row);
        free(dct);
        return NULL;
    }
    jpeg_create_decompress(&ci);
    ci.progress = &j.progress;
    jpeg_mem_src(&ci, b, (unsigned long)n);
    jpeg_read_header(&ci, TRUE);
    e->w = ci.image_width;
    e->h = ci.image_height;
    if ((uint64_t)ci.image_width * ci.image_height > max_pixels) {
        qimg_fail(e, QIMG_TOO_BIG, "too many pixels");
        longjmp(j.jump, 1);
    }
    int as_is = drawn_as_is(&ci), cmyk = 0;
    if (as_is) {
        /* Only to validate: every coefficient is still read, but at an
         * eighth of the size nothing much is computed from them. */
        ci.scale_num = 1;
        ci.scale_denom = 8;
        ci.dct_method = JDCT_IFAST;
        ci.do_fancy_upsampling = FALSE;
        ci.out_color_space = ci.jpeg_color_space;
    } else if (ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK) {
        ci.out_color_space = JCS_CMYK;
        cmyk = 1;
    } else {
        ci.out_color_space = ci.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    }
    jpeg_start_decompress(&ci);
    size_t w = ci.output_width, stride = w * (size_t)ci.output_components;
    unsigned comps = cmyk ? 3 : (unsigned)ci.output_components;
    if (!as_is) {
        pix = malloc((size_t)ci.image_width * ci.image_height * comps);
        if (!pix) qimg_fail(e, QIMG_DAMAGED, "out of memory");
    }
    if (as_is || cmyk) {
        row = malloc(stride);
        if (!row) qimg_fail(e, QIMG_DAMAGED, "out of memory");
    }
    if (e->status != QIMG_OK) longjmp(j.jump, 1);
    while (ci.output_scanline < ci.output_height) {
        size_t y = ci.output_scanline;
        JSAMPROW r = row ? row : pix + y * stride;
        jpeg_read_scanlines(&ci, &r, 1);
        if (cmyk) cmyk_to_rgb(row, pix + y * w * 3, w, ci.saw_Adobe_marker);
    }
    jpeg_finish_decompress(&ci);
    unsigned width = ci.image_width, height = ci.image_height;
    if (as_is) {
        comps = (unsigned)ci.num_components;
        dct = malloc(n);
        if (!dct) {
            qimg_fail(e, QIMG_DAMAGED, "out of memory");
            longjmp(j.jump, 1);
        }
        memcpy(dct, b, n);
    }
    jpeg_destroy_decompress(&ci);
    free(row);
    qimage *im = qimg_adopt(width, height, comps, pix, NULL, dct, n);
    if (!im) qimg_fail(e, QIMG_DAMAGED, "out of memory");
    return im;
}
