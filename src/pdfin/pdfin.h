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

/* libqpdf and what it pulls in (libstdc++, GnuTLS, libcrypto and ten
 * more) cost every run of quorum about half its start-up, though only
 * extract and PDF items read PDFs.  So the C++ of this folder is built as
 * a module of its own, quorum-pdfin.so, loaded the first time a qpdfin_
 * call is made (pdfin_module.c, which also holds the calls below as the
 * rest of quorum sees them).  Inside the module (QPDFIN_MODULE) the calls
 * are renamed, so a build that links the module in (QUORUM_PDFIN_BUILTIN:
 * the fuzzers) holds both. */
#ifdef QPDFIN_MODULE
#define qpdfin_open qpdfin_impl_open
#define qpdfin_close qpdfin_impl_close
#define qpdfin_find_files qpdfin_impl_find_files
#define qpdfin_file_name qpdfin_impl_file_name
#define qpdfin_file_data qpdfin_impl_file_data
#define qpdfin_inspect qpdfin_impl_inspect
#define qpdfin_doc_free qpdfin_impl_doc_free
#define qpdfin_place qpdfin_impl_place
#define qpdfin_version qpdfin_impl_version
#endif

/* The engine's defaults for quorum_limits' pdf_bytes and extract_bytes. */
#define QPDFIN_MAX_BYTES ((size_t)1 << 30)
#define QPDFIN_MAX_EXTRACT ((size_t)1 << 30)
/* ... and for pdf_pages and pdf_objects, each PDF a pack includes. */
#define QPDFIN_MAX_PAGES ((size_t)10000)
#define QPDFIN_MAX_OBJECTS ((size_t)2000000)

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

/* ---- PDFs included in a pack (pdfin_place.cc) ---- */

/* An entry of a PDF's outline: level 1 is the top; page is 0-based, -1
 * when it points at no page. */
typedef struct qpdfin_outline {
    char *title;   /* UTF-8, malloc'd */
    int level;
    long page;
} qpdfin_outline;

/* What a pack's layout needs of a PDF it includes. */
typedef struct qpdfin_doc {
    size_t npages;
    float *w, *h;            /* each page as shown: crop box, /Rotate */
    float *top, *bottom;     /* how far its drawing stays from the top
                                and bottom edges as shown (an estimate
                                that errs wide; 0: to the edge) */
    int tagged;              /* /MarkInfo /Marked and a structure tree */
    char *title;             /* its Info /Title, else its XMP dc:title
                                (x-default), or NULL */
    int pdfa_part;           /* the PDF/A part its XMP claims (pdfaid:part),
                                0 = none */
    qpdfin_outline *outlines;
    size_t noutlines;
} qpdfin_doc;

/* Reads b[0..n) as a PDF to include: 0, or -1 with why when it cannot be
 * read (as qpdfin_open), is encrypted (even without a password: its
 * author restricted it), has no pages, more than max_pages pages or
 * max_objects objects, a page tree that uses a node twice, or a page
 * smaller than 3 or larger than 14,400 points.  The page tree and the
 * outline are each walked once, so the work is linear in the file. */
int qpdfin_inspect(const unsigned char *b, size_t n, size_t max_pages,
                   size_t max_objects, qpdfin_doc *out, char *why,
                   size_t whyn);
void qpdfin_doc_free(qpdfin_doc *d);

/* Page `page` of the PDF src[0..srclen) (inspected before) drawn onto
 * page `target` of the document being placed into, inside the box
 * x0,y0-x1,y1 (PDF user space), under what that page draws itself. */
typedef struct qpdfin_placement {
    const unsigned char *src;
    size_t srclen, page, target;
    float x0, y0, x1, y1;
} qpdfin_placement;

/* The PDF in[0..n) with the np placements made, its link annotations
 * moved along (URI links, and internal ones to pages placed), written
 * again with a deterministic /ID into *out (malloc'd, *outlen bytes).
 * 0, or -1 with why. */
int qpdfin_place(const unsigned char *in, size_t n, const qpdfin_placement *pl,
                 size_t np, unsigned char **out, size_t *outlen, char *why,
                 size_t whyn);

/* "libqpdf 11.3.0": the library's QPDFVersion, at run time; when the
 * module cannot be loaded, "libqpdf: not available (why)". */
void qpdfin_version(char *buf, size_t n);

/* ---- the module's table (pdfin_ops.cc; read by pdfin_module.c) ---- */
/* Bumped whenever a member changes, so a module left over from another
 * build of quorum is refused rather than called with the wrong layout. */
#define QPDFIN_ABI 1
typedef struct qpdfin_ops {
    unsigned abi, size; /* QPDFIN_ABI, sizeof(qpdfin_ops) */
    qpdfin *(*open)(const unsigned char *, size_t, char *, size_t);
    void (*close)(qpdfin *);
    long (*find_files)(qpdfin *, char *, size_t);
    const char *(*file_name)(const qpdfin *, size_t, size_t *);
    int (*file_data)(qpdfin *, size_t, size_t, unsigned char **, size_t *, int *,
                     unsigned char[16], char *, size_t);
    int (*inspect)(const unsigned char *, size_t, size_t, size_t, qpdfin_doc *,
                   char *, size_t);
    void (*doc_free)(qpdfin_doc *);
    int (*place)(const unsigned char *, size_t, const qpdfin_placement *, size_t,
                 unsigned char **, size_t *, char *, size_t);
    void (*version)(char *, size_t);
} qpdfin_ops;
/* The module's one exported symbol. */
const qpdfin_ops *quorum_pdfin_module(void);


#ifdef __cplusplus
}

/* ---- inside the module: what pdfin_place.cc (drawing pages, moving
 * links) and pdfin_struct.cc (joining structure trees) share ---- */
#ifndef POINTERHOLDER_TRANSITION /* std::shared_ptr only */
#define POINTERHOLDER_TRANSITION 4
#endif
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace qpdfin_cc {

// An indirect object's number and generation as one map key.
inline unsigned long long key(QPDFObjectHandle const &o) {
    QPDFObjGen g = o.getObjGen();
    return static_cast<unsigned long long>(static_cast<unsigned>(g.getObj())) << 32 |
           static_cast<unsigned>(g.getGen());
}

// One included PDF, open for the placing pass.
struct source {
    std::unique_ptr<QPDF> pdf;
    std::vector<QPDFObjectHandle> pages;
    std::map<unsigned long long, size_t> page_at;
    std::vector<QPDFObjectHandle> target; // pack page of each of its pages, or null
    std::vector<QPDFObjectHandle> form;   // the form XObject drawing it there
    size_t first_target = SIZE_MAX;       // the pack's first page of it
    // the link annotations made on the pack's pages, each with the
    // source's annotation it stands for and the pack page it is on; by
    // the source annotation's object, those an OBJR can name
    struct link {
        QPDFObjectHandle from, made, page;
        bool tagged;
    };
    std::vector<link> links;
    std::map<unsigned long long, size_t> link_at;
};

// Reads b[0..n) into pdf as quorum reads any PDF from elsewhere: quietly,
// a damaged file refused rather than repaired (what a repair guesses is
// not what was archived), and what would cost memory out of proportion to
// the file refused before libqpdf decodes it (pdfin_qpdf.cc says what).
// Throws as libqpdf does (QPDFExc) or std::runtime_error with the reason.
void open_bounded(QPDF &pdf, char const *name, const unsigned char *b, size_t n);

// The size of stream s decoded, counted without keeping it; throws
// std::runtime_error when it passes max or its decoding parameters would
// have libqpdf allocate more than any real image needs.
size_t decoded_size(QPDFObjectHandle s, size_t max);

// What a PDF of n bytes may decode to in all (object streams, pages'
// content, its XMP): linear in the file, as all quorum's work is.
inline size_t decode_budget(size_t n) {
    return n > (SIZE_MAX - (16u << 20)) / 64 ? SIZE_MAX : 64 * n + (16u << 20);
}

// The source's structure tree (tagged) and its links joined to the
// pack's: after the heading the pack drew on the source's first page, its
// headings below that heading (pdfin_struct.cc).  mine: the pack's pages.
void join_structure(QPDF &pack, source &s, std::vector<QPDFObjectHandle> const &mine);

} // namespace qpdfin_cc
#endif
#endif
