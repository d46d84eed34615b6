/* Images: PNG and JPEG files decoded, validated and held as pixels.  The
 * one reader of image files: the loader decodes a report's images and the
 * style reader its logo, each once; layout sizes them from what was
 * decoded, and the PDF writer embeds the pixels (or a JPEG's own bytes)
 * without any library parsing the file again.
 *
 *   image.c   which format a file is, the decoded image (shared by
 *             reference), the pixel limit, diagnostics, flattening
 *   png.c     PNG through libpng (the only file that sees it)
 *   jpeg.c    JPEG through libjpeg-turbo (the only file that sees it)
 *
 * Both decoders jump out of the library on any error (libpng's and
 * libjpeg's defaults abort or exit the process) and treat a JPEG warning
 * (premature end of data, a corrupt segment) as an error, so a file is
 * either decoded completely or refused with the library's reason.  The
 * size is read from the header and checked against the pixel limit before
 * anything is decoded. */
#ifndef QUORUM_IMAGE_H
#define QUORUM_IMAGE_H
#include <stddef.h>

#include "util.h"

typedef enum qimg_type { QIMG_NONE = 0, QIMG_PNG = 1, QIMG_JPEG = 2 } qimg_type;

/* A decoded image, read-only once made and shared by reference (the
 * document, every layout drawing it and the style that holds a logo each
 * keep one), so a layout that outlives its document keeps its pixels
 * without copying them. */
typedef struct qimage {
    qimg_type type;
    unsigned w, h;                /* pixels, both > 0 */
    unsigned comps;               /* colour components: 1 grey, 3 RGB */
    /* w*h*comps bytes, 8 bits a component, rows top to bottom; NULL
     * when the image is a JPEG drawn as it is (dct) */
    const unsigned char *pixels;
    /* w*h bytes of opacity, or NULL when every pixel is opaque */
    const unsigned char *alpha;
    /* a baseline or progressive Huffman-coded grey or YCbCr JPEG, which
     * PDF readers decode themselves (/DCTDecode): its bytes, validated by
     * a full decode; NULL otherwise */
    const unsigned char *dct;
    size_t dct_len;
} qimage;

/* The default pixel limit (quorum_limits.pixels): 50 million pixels, a
 * 200 MB RGBA image, more than a full A4 page at 600 dpi (35 million). */
#define QIMG_MAX_PIXELS ((size_t)50000000)
/* The largest image file read whole (the default of
 * quorum_limits.image_bytes). */
#define QIMG_MAX_BYTES ((size_t)64 << 20)

typedef enum qimg_status {
    QIMG_OK = 0,
    QIMG_UNKNOWN,     /* neither a PNG nor a JPEG */
    QIMG_DAMAGED,     /* refused by the decoder: msg says why */
    QIMG_TOO_BIG,     /* w x h over the pixel limit (nothing decoded) */
    QIMG_NO_DECODER   /* its library cannot be opened: msg says why */
} qimg_status;

typedef struct qimg_error {
    qimg_status status;
    qimg_type type;   /* known from the signature even when damaged */
    unsigned long w, h; /* from the header, when it was read */
    char msg[200];    /* the decoder's reason (QIMG_DAMAGED) */
} qimg_error;

/* The format from the first bytes (8 for PNG, 2 for JPEG). */
qimg_type qimg_sniff(const unsigned char *b, size_t n);

/* Decodes b[0..n) with at most max_pixels pixels (0 = QIMG_MAX_PIXELS).
 * The image (one reference, the caller's), or NULL with *e saying why;
 * *e is filled in either way (status QIMG_OK on success).  b need not
 * outlive the call. */
qimage *qimage_decode(const unsigned char *b, size_t n, size_t max_pixels,
                      qimg_error *e);
/* Another reference to im (NULL is fine); safe on several threads. */
const qimage *qimage_ref(const qimage *im);
/* Drops a reference; the last frees the image.  NULL is fine. */
void qimage_unref(const qimage *im);
/* Ties one reference to arena a: dropped when a is freed. */
void qimage_unref_with(qarena *a, const qimage *im);

/* The same pixels (both NULL, or equal size, components, colour, alpha
 * and JPEG bytes). */
int qimage_same(const qimage *a, const qimage *b);

/* The colour of im drawn on white (its alpha applied), w*h*comps bytes
 * into out: for PDF/A-1, which allows no transparency.  im->pixels must
 * be set. */
void qimage_on_white(const qimage *im, unsigned char *out);

/* The error at pos for an image named name (as its author wrote it) that
 * e refused; max_pixels as given to qimage_decode.  A size over the limit
 * is of class LIMIT, the others of class INPUT. */
void qimage_diag(quorum_diags *d, qpos pos, const char *name,
                 const qimg_error *e, size_t max_pixels);

/* The error at pos for an image file over max_bytes (the engine's
 * image_bytes), of class LIMIT. */
void qimage_diag_bytes(quorum_diags *d, qpos pos, const char *name,
                       size_t max_bytes);

/* ---- inside the folder -------------------------------------------------- */

/* The decoders (png.c, jpeg.c): as qimage_decode for one format. */
qimage *qimg_png_decode(const unsigned char *b, size_t n, size_t max_pixels,
                        qimg_error *e);
qimage *qimg_jpeg_decode(const unsigned char *b, size_t n, size_t max_pixels,
                         qimg_error *e);
/* A new image (one reference) made of malloc'd buffers, which it takes
 * over (and frees, also when it fails): pixels (w*h*comps bytes) or dct
 * (dct_len bytes), alpha (w*h bytes) or NULL.  NULL when out of memory. */
qimage *qimg_adopt(unsigned w, unsigned h, unsigned comps,
                   unsigned char *pixels, unsigned char *alpha,
                   unsigned char *dct, size_t dct_len);
/* Fills e with a reason (printf-style). */
void qimg_fail(qimg_error *e, qimg_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif
