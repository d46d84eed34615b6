/* What an image file is and how many pixels it has, from its headers:
 * PNG by its signature and IHDR, JPEG by SOI and the first SOFn frame
 * header.  One reader for layout (aspect ratio), the style file (logo)
 * and the PDF writer (which decoder to hand the file to), so they cannot
 * disagree about a file. */
#ifndef QUORUM_IMAGE_H
#define QUORUM_IMAGE_H
#include <stddef.h>

typedef enum qimg_type { QIMG_NONE = 0, QIMG_PNG = 1, QIMG_JPEG = 2 } qimg_type;

typedef struct qimg_info {
    qimg_type type;
    unsigned w, h;       /* pixels, both > 0 when the read succeeds */
} qimg_info;

/* The type from the first bytes alone (n >= 8 for PNG, 3 for JPEG). */
qimg_type qimg_sniff(const unsigned char *b, size_t n);

/* Type and size of an image in memory / in a file.  0 on success; -1 when
 * the file cannot be read; -2 when it is neither PNG nor JPEG, or its
 * header is damaged (PNG: IHDR first, 13 bytes, valid depth and colour
 * type, right CRC; JPEG: well-formed segments up to a frame header with
 * non-zero size).  *info is zeroed first, and its type is set as soon as
 * the signature is known, so a caller can tell "a damaged JPEG" from
 * "not an image". */
int qimg_read_mem(const unsigned char *b, size_t n, qimg_info *info);
int qimg_read_file(const char *path, qimg_info *info);

/* The whole chunk structure of a PNG in memory: every chunk's length and
 * CRC, a valid IHDR first, at least one IDAT, IEND at the end.  A decoder
 * that aborts on damaged input (libharu's libpng) should only see files
 * that pass.  1 when it does. */
int qimg_png_ok(const unsigned char *b, size_t n);

#endif
