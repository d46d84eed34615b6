/* The pdfin folder's internal interface: reading PDFs that quorum did not
 * necessarily write, through libqpdf (the only folder that uses it; its
 * C++ stays in pdfin_qpdf.cc behind this C interface, ARCHITECTURE.md
 * says why).  quorum extract (pdfin_extract.c) is built on it.
 *
 * The PDF is untrusted: every call catches what libqpdf throws and says
 * what went wrong in a phrase (why, at most whyn bytes with its NUL); no
 * libqpdf warning is printed.  A qpdfin is used by one thread at a time. */
#ifndef QUORUM_PDFIN_H
#define QUORUM_PDFIN_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The engine's defaults for quorum_limits' pdf_bytes and extract_bytes. */
#define QPDFIN_MAX_BYTES ((size_t)1 << 30)
#define QPDFIN_MAX_EXTRACT ((size_t)1 << 30)

typedef struct qpdfin qpdfin;

/* Parses the PDF in b[0..n), which must stay unchanged while the qpdfin
 * lives (it is not copied).  NULL with why when it is no PDF libqpdf can
 * read (damaged beyond repair, encrypted with a password). */
qpdfin *qpdfin_open(const unsigned char *b, size_t n, char *why, size_t whyn);
void qpdfin_close(qpdfin *q); /* NULL is a no-op */

/* Finds the embedded files: the catalog's EmbeddedFiles name tree, then
 * the catalog's /AF array, then each page's /AF and FileAttachment
 * annotations.  Each node of the name tree and page tree is visited once,
 * however often it is referred to (a tree that reuses its nodes costs no
 * more than one that does not), and a name already found is not taken
 * again (a hash set: linear in the number of names), so the same file
 * reached from the tree and from /AF counts once and the first of two
 * files of the same name wins.  Returns the number found, or -1 with why
 * (a file specification without a name, an embedded file that is not a
 * stream).  Call once. */
long qpdfin_find_files(qpdfin *q, char *why, size_t whyn);

/* File i's name as UTF-8 (from /UF, else /F, as libqpdf decodes a PDF
 * text string) and its length in bytes in *len, which counts any NUL the
 * name holds: a name is safe only when strlen(name) == *len. */
const char *qpdfin_file_name(const qpdfin *q, size_t i, size_t *len);

/* File i's bytes, decoded (Flate, LZW, ASCII85, ASCIIHex, RunLength),
 * into a malloc'd buffer the caller frees.  Decoding stops as soon as
 * there would be more than max bytes, so a small stream that decodes to a
 * huge one costs no more than max.  Returns 0, 1 when there are more than
 * max bytes (*out NULL), or -1 with why (a filter libqpdf cannot decode,
 * damaged data, a size other than its /Params /Size).  When the stream
 * carries an MD5 /CheckSum, *has_sum is 1 and sum holds it, else 0. */
int qpdfin_file_data(qpdfin *q, size_t i, size_t max, unsigned char **out,
                     size_t *len, int *has_sum, unsigned char sum[16],
                     char *why, size_t whyn);

/* "libqpdf 11.3.0": the library's QPDFVersion, at run time. */
void qpdfin_version(char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
