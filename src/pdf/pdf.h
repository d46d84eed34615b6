/* The PDF folder's internal interface.
 *
 * 1. The libharu adapter (qhpdf_*, files hpdf_*.c): the only code that
 * talks to libharu (hpdf.h).  It hides libharu's sticky error state and
 * holds every workaround for libharu 2.3.0 (listed in hpdf_adapter.c;
 * its private state is in hpdf_private.h), so the PDF device (pdf*.c)
 * deals in pages, runs of text, rectangles and links only.
 *
 * Coordinates here are PDF user space: points, origin bottom-left, y up.
 *
 * Errors: the first libharu error is recorded; every later call is a no-op
 * until qhpdf_free, so callers check qhpdf_failed() once per step rather
 * than after every call. */
#ifndef QUORUM_PDF_H
#define QUORUM_PDF_H
#include <stddef.h>
#include <stdint.h>

#include "dlist.h"
#include "font.h"
#include "quorum.h"

typedef struct qhpdf qhpdf;

/* Bits of the code points drawn with one font (U+0000..U+FFFF). */
#define QHPDF_CODE_BITS (0x10000 / 8)

/* NULL when libharu cannot be opened (qhpdf_unavailable says why) or
 * cannot allocate its document. */
qhpdf *qhpdf_new(void);
struct qpdf_ostms;
/* A pack's own streams (its parent tree's leaves, the save's object
 * streams): memo (taken; may be NULL) the last build's, whose deflated
 * bytes a stream uses when its raw bytes and level are one of them (by
 * SHA-256, on the deflate worker: a rebuild's are mostly the same bytes,
 * 1.3 MB deflated again at level 6 each time); catch (the caller's, may
 * be NULL) receives this build's as they are given back.  Before the
 * first page. */
void qhpdf_pack_streams(qhpdf *h, struct qpdf_ostms *memo, struct qpdf_ostms *catch);
/* NULL when the PDF device's libraries (libharu, libdeflate) are open,
 * opening them on the first call; else why one cannot be (dlerror's
 * text).  Any thread. */
const char *qhpdf_unavailable(void);
/* Threads that deflate the streams (quorum_pdf_options.threads: 0 = the
 * default); before the first page. */
void qhpdf_set_threads(qhpdf *h, int n);
/* Every stream deflated at the one-report level (hpdf_private.h): for a
 * document that is one report's, never a pack's; before the first page.
 * The bytes are then those of that level, the same on every run. */
void qhpdf_set_one_report(qhpdf *h);
void qhpdf_free(qhpdf *h);

int qhpdf_failed(const qhpdf *h);
/* The first error as a sentence fragment ("invalid TrueType font"), or
 * NULL when none happened. */
const char *qhpdf_error(const qhpdf *h);

/* Embeds a TrueType file (subset, UTF-8 text) from its bytes, which must
 * outlive h (the engine's font cache holds them).  With src NULL, data is
 * the whole file; else only the bytes src's face has read are valid, and
 * the adapter asks src for the rest it embeds (qfont_need: the tables it
 * copies, here; the glyphs it keeps, when the document is complete), so
 * the font's file is read, never opened, here.  path names it.  Returns a font id >= 0, or -1 on failure (the error is
 * recorded).  A path loaded before returns the same id.  Its codes are
 * the same in every document (hpdf_font.c), so what a page draws needs
 * nothing from other pages; its subset, /W and CIDToGIDMap hold the code
 * points drawn, and are made when the document is complete. */
int qhpdf_load_font(qhpdf *h, const char *path, const unsigned char *data,
                    size_t size, const qfont *src);

/* Appends a page; returns its index or -1. */
int qhpdf_add_page(qhpdf *h, float width, float height);
/* Makes the document's page `index` (pages may be made out of order: a
 * pack's own pages after its reports; the page tree keeps document
 * order); returns index or -1. */
int qhpdf_add_page_at(qhpdf *h, int index, float width, float height);
/* 1 when page has been made. */
int qhpdf_has_page(const qhpdf *h, int page);

/* Drawing goes to one page at a time: begin, draw, end. */
void qhpdf_page_begin(qhpdf *h, int page);
void qhpdf_page_end(qhpdf *h);

/* One run of text at baseline (x, y).  s: valid UTF-8, NUL-terminated,
 * code points up to U+FFFF only (libharu writes others as spaces).
 * Consecutive runs share one text object. */
void qhpdf_text(qhpdf *h, int font, float size, uint32_t rgb, float x,
                float y, const char *s);
/* Filled rectangle with bottom-left corner (x, y). */
void qhpdf_fill(qhpdf *h, float x, float y, float w, float ht, uint32_t rgb);
/* How qcv_path draws its n points xy[0..2n): filled (closed), or stroked
 * with width, closed or open. */
enum { QHPDF_FILL, QHPDF_CLOSE, QHPDF_OPEN };
void qhpdf_line(qhpdf *h, float x0, float y0, float x1, float y1, float width,
                uint32_t rgb);

/* Link areas on the current page: box (x0,y0)-(x1,y1). */
void qhpdf_link_uri(qhpdf *h, float x0, float y0, float x1, float y1,
                    const char *uri);
void qhpdf_link_dest(qhpdf *h, float x0, float y0, float x1, float y1,
                     int page, float top);

/* A bookmark under `parent` (-1 = top level), pointing at `top` on page.
 * Returns a handle for children, or -1. */
int qhpdf_outline(qhpdf *h, int parent, const char *title, int page,
                  float top);

/* Document information (UTF-8; NULL = absent) and catalog entries. */
void qhpdf_info(qhpdf *h, const char *title, const char *author,
                const char *subject, const char *keywords,
                const char *creator, const char *producer);
/* A fixed creation date (no clock is ever read). */
void qhpdf_creation_date(qhpdf *h, int year, int month, int day);
void qhpdf_catalog(qhpdf *h, const char *lang, int show_outlines);

/* Sets the ToUnicode map of `font` to the identity on exactly the code
 * points whose bits are set (QHPDF_CODE_BITS bytes).  Without it the map
 * covers the codes the font's /W covers. */
void qhpdf_set_tounicode(qhpdf *h, int font, const uint8_t *codes);

/* ---- archive copies (PDF/A) ---------------------------------------------
 * libharu's own PDF/A call writes broken metadata (see hpdf_archive.c), so
 * the pieces are added here.  Order: qhpdf_set_archive before any image is
 * placed, qhpdf_attach and qhpdf_archive_finish after all drawing, then
 * qhpdf_save and qhpdf_fill_id on the bytes. */

/* part: 1 (PDF/A-1), 2 (PDF/A-2) or 3 (PDF/A-3); before any structure
 * element is made (PDF/A-1's elements each need a table entry of their
 * own: an error after). */
void qhpdf_set_archive(qhpdf *h, int part);
/* Info /CreationDate and /ModDate as "D:YYYYMMDD000000+00'00'", the form
 * whose XMP twin is "YYYY-MM-DDT00:00:00+00:00". */
void qhpdf_archive_dates(qhpdf *h, int year, int month, int day);
/* Embeds data as a file named `name` (a base name, UTF-8): a file
 * specification with /AFRelationship /Source, the MIME type as /Subtype,
 * /Params with /Size, /CheckSum (MD5) and /ModDate (pdf_date, may be
 * NULL), listed in the catalog's /AF and /Names /EmbeddedFiles.  The
 * stream is stored uncompressed, so it can be read back simply. */
void qhpdf_attach(qhpdf *h, const char *name, const void *data, size_t len,
                  const char *mime, const char *desc, const char *pdf_date);
/* sRGB output intent, the fonts' objects (for PDF/A-1 with a CIDSet of
 * the glyphs kept in each subset; no font may be drawn with after), the
 * attachments' name tree and /AF, and a placeholder /ID.  The XMP packet
 * goes in with qhpdf_metadata. */
void qhpdf_archive_finish(qhpdf *h);

/* The catalog's /Metadata: an XMP packet (len bytes), stored unfiltered. */
void qhpdf_metadata(qhpdf *h, const char *xmp, size_t len);

/* ---- tagged PDF ---------------------------------------------------------
 * Call qhpdf_set_tagged before drawing.  Structure elements are created
 * in reading order (each is appended to its parent's kids); drawing is
 * attributed with qhpdf_mark, which opens a marked-content sequence only
 * when the element changes, so consecutive runs share one.  Link
 * annotations are tagged right after they are made.  qhpdf_struct_finish
 * writes the parent tree and the catalog entries after all pages.
 * Without qhpdf_set_tagged every call here is a no-op. */
void qhpdf_set_tagged(qhpdf *h);
int qhpdf_tagged(const qhpdf *h);
/* A new element with a standard role name under parent (-1 = the
 * structure tree root).  Returns its handle, or -1. */
int qhpdf_struct_new(qhpdf *h, int parent, const char *role);
/* se, the last kid made of its parent, moved before its sibling whose
 * object number is before (qhpdf_struct_num: a kid of the root outlives
 * its element's record, qhpdf_struct_flush). */
void qhpdf_struct_before(qhpdf *h, int se, unsigned before);
unsigned qhpdf_struct_num(qhpdf *h, int se);
/* UTF-8 alternative text (/Alt), language (/Lang), TH scope (/A with
 * /Scope /Row or /Column) and table summary (/A /Summary). */
void qhpdf_struct_alt(qhpdf *h, int se, const char *alt);
/* What the element's content reads as (/ActualText, UTF-8). */
void qhpdf_struct_actual(qhpdf *h, int se, const char *actual);
void qhpdf_struct_lang(qhpdf *h, int se, const char *lang);
void qhpdf_struct_scope(qhpdf *h, int se, int row);
void qhpdf_struct_summary(qhpdf *h, int se, const char *summary);
/* A list's /ListNumbering (a name: "Disc", "Decimal", "LowerAlpha"). */
void qhpdf_struct_numbering(qhpdf *h, int se, const char *name);
/* A cell's /ColSpan and /RowSpan (table attributes, written when over 1). */
void qhpdf_struct_span(qhpdf *h, int se, int colspan, int rowspan);
/* A Figure's bounding box on its page (/A << /O /Layout /BBox [...] >>). */
void qhpdf_struct_bbox(qhpdf *h, int se, float x0, float y0, float x1,
                       float y1);
/* What follows on the current page belongs to element se, or is an
 * artifact (se < 0: a QH_ART_LAYOUT one). */
void qhpdf_mark(qhpdf *h, int se);
/* What follows is an artifact of this type (PDF/UA wants every artifact
 * typed): /Layout, /Pagination, /Pagination /Header, /Pagination /Footer. */
enum { QH_ART_LAYOUT = 1, QH_ART_PAGINATION, QH_ART_HEADER, QH_ART_FOOTER };
void qhpdf_mark_artifact(qhpdf *h, int type);
/* The link annotation just made belongs to element se (a Link): /StructParent,
 * an OBJR in se's kids, /Contents (UTF-8, may be NULL), /Tabs /S on the page. */
void qhpdf_tag_annot(qhpdf *h, int se, const char *contents);
/* Every element made so far but the root's printed now, into object
 * streams of their own (deflated on the deflate worker, written with the
 * pages' streams), and its record freed (hpdf_objstm.c): a pack's writer
 * calls it as each unit of pages ends.  Such an element takes no more
 * kids, marks or attributes (the call fails the document).  A no-op
 * untagged or without object streams (PDF/A-1). */
/* With cached, its streams' deflated bytes are used for the streams
 * made the same (in order; the bytes taken); with catch, the streams
 * made are copied there as they are deflated. */
struct qpdf_ostms;
void qhpdf_struct_flush(qhpdf *h, struct qpdf_ostms *cached, struct qpdf_ostms *catch);
void qhpdf_struct_finish(qhpdf *h);
/* ---- a page canvas (pdf_canvas.c): a page drawn without the document ----
 * Issue 18 ("Streaming a pack"): a page's content needs nothing of the
 * libharu document, so it is drawn into a canvas (any thread; one canvas
 * per thread) and the finished page (qcv_page) is placed into the
 * document later by the one thread that owns it (qhpdf_place_page).
 * Fonts are the caller's keys (0..QCV_FONTS-1; the PDF device's are
 * faces), elements the caller's numbers; what the document must make for
 * the page is listed in the page's events, in the order the drawing
 * needed it, and the writer makes it in that order, so the file is the
 * one drawing into the document would give. */
enum { QCV_FONTS = 16 };
typedef struct qcanvas qcanvas;
/* What a page needs of the document, in drawing order. */
enum { QCV_FONT = 1, QCV_IMAGE, QCV_MARK };
typedef struct qcv_event {
    int kind;
    int a;                   /* FONT: the font key; MARK: the element */
    int b;                   /* FONT, IMAGE: its resource number (F<b>, X<b>);
                                MARK: the MCID */
    const char *name;        /* IMAGE: its name (the caller keeps it) */
    const qimage *img;       /* IMAGE: its pixels (the caller keeps them) */
} qcv_event;
/* A link area on the page (PDF space), placed after its content. */
typedef struct qcv_link {
    float x0, y0, x1, y1;
    int dest;                /* page in the document, or -1: uri */
    float top;
    int elem;                /* the caller's element, or -1 */
    char *uri;               /* owned; NULL for a destination */
    char *contents;          /* owned: a URI link's /Contents (tagged), or NULL */
} qcv_link;
typedef struct qcv_page {
    unsigned char *data;     /* the content stream (owned) */
    size_t n;
    int deflated;            /* data is deflated (zlib format) */
    qcv_event *ev;           /* owned */
    int nev;
    qcv_link *links;         /* owned, the caller's to fill */
    int nlinks, cap_links;
} qcv_page;
/* tagged: marks are written (else qcv_mark* do nothing). */
qcanvas *qcv_new(int tagged);
void qcv_free(qcanvas *c);
/* A new page: the drawing state is reset, the codes drawn are kept. */
void qcv_begin(qcanvas *c);
/* The page uses font (a key < QCV_FONTS): its resource, named now if
 * this is its first use on the page.  The PDF device says so before it
 * marks a run's element, so the writer embeds a font where drawing into
 * the document did (its objects' numbers depend on it); qcv_text says it
 * itself otherwise. */
void qcv_font(qcanvas *c, int font);
/* As qhpdf_text, with font a key < QCV_FONTS; -1 (nothing drawn) when
 * font or size is out of range. */
int qcv_text(qcanvas *c, int font, float size, uint32_t rgb, float x, float y,
             const char *s);
void qcv_fill(qcanvas *c, float x, float y, float w, float ht, uint32_t rgb);
void qcv_line(qcanvas *c, float x0, float y0, float x1, float y1, float width,
              uint32_t rgb);
void qcv_path(qcanvas *c, const float *xy, int n, int how, float width, uint32_t rgb);
/* img must be one the document can make (the writer fails otherwise). */
void qcv_image(qcanvas *c, const char *name, const qimage *img, float x, float y,
               float w, float ht);
/* What follows belongs to element elem (role: its standard role name,
 * written in the BDC) or, elem < 0, is a /Layout artifact. */
void qcv_mark(qcanvas *c, int elem, const char *role);
void qcv_mark_artifact(qcanvas *c, int type);
/* Ends the page into out (its content raw, its events; links empty). */
void qcv_end(qcanvas *c, qcv_page *out);
void qcv_page_free(qcv_page *p);
/* The code points drawn with font so far on every page (QHPDF_CODE_BITS
 * bytes), or NULL when none. */
const uint8_t *qcv_codes(const qcanvas *c, int font);
/* The document's side: a finished page onto page `page` (added, not yet
 * placed), making what its events need in order: font(ctx, key) gives
 * the adapter's font id (-1: fail), elem(ctx, e) the structure element
 * (-1: fail).  Its links are the caller's to make after (qhpdf_link_*,
 * qhpdf_tag_annot: page stays current until the next page).  When
 * output is streamed (qhpdf_stream_to), placing a page finishes the one
 * placed before it: that page is printed and leaves libharu's memory
 * (hpdf_retire.c), so pages may be placed in any order, each once, and
 * take their links before the next is placed.  The page's content is
 * taken (pg->data is NULL after, the rest of pg the caller's still).
 * 0, or -1 with an error recorded. */
typedef struct qhpdf_place_fns {
    int (*font)(void *ctx, int key);
    int (*elem)(void *ctx, int e);
    void *ctx;
} qhpdf_place_fns;
int qhpdf_place_page(qhpdf *h, int page, qcv_page *pg, const qhpdf_place_fns *fns);
/* Bytes libharu holds now, for every document of the process (its
 * allocations are counted; any thread may ask).  A streamed document's
 * pages leave libharu once placed (hpdf_retire.c), so this stays flat as
 * pages are placed (test_pdf_early). */
size_t qhpdf_pool_bytes(void);
/* Bytes h's own records in use now (not the arrays' room): elements,
 * kids, extras and their strings, MCIDs, the parent tree, links, outline
 * items, the pages' table and retired text, the early streams' offsets.
 * With qhpdf_pool_bytes, what a document keeps until its save. */
size_t qhpdf_records_bytes(const qhpdf *h);
/* ORs codes (QHPDF_CODE_BITS bytes) into those font drew, for its subset. */
void qhpdf_font_codes(qhpdf *h, int font, const uint8_t *codes);

/* The code of code point c (WORKAROUND 13): the same for every font and
 * document, so a page's content depends on that page alone.  ASCII is one
 * byte (most text); c below U+7F00 is two bytes, 0x8000 + c; the rest
 * three, 0xFF0000 + c.  The low byte is always c's, and the CID is c
 * (hpdf_font.c's CMap).  Writes the bytes into b; returns how many. */
enum { QH_TWO_BYTE_END = 0x7F00 };
static inline int qh_code_of(unsigned c, unsigned char b[3]) {
    if (c < 0x80) {
        b[0] = (unsigned char)c;
        return 1;
    }
    if (c < QH_TWO_BYTE_END) {
        b[0] = (unsigned char)(0x80 + (c >> 8));
        b[1] = (unsigned char)c;
        return 2;
    }
    b[0] = 0xFF;
    b[1] = (unsigned char)(c >> 8);
    b[2] = (unsigned char)c;
    return 3;
}

/* Writes the document ID (MD5 of the file with the placeholder in place)
 * over the placeholder in buf, the complete saved file.  Returns 0, or -1
 * when the placeholder is not found. */
int qhpdf_fill_id(unsigned char *buf, size_t n);

/* Serialises the document through sink, in order, in pieces of any size;
 * sink returns 0, or non-zero to stop the save.  Returns 0, or -1 when
 * the save failed (an error is recorded; a sink failure records
 * "libharu error 0x1017", the caller knows its own cause).  Call once. */
int qhpdf_save_to(qhpdf *h, int (*sink)(void *ctx, const void *p, size_t n),
                  void *ctx);
/* Before the pages are drawn: finished streams (page content) go to sink
 * as pages end, instead of waiting in memory for the save, when the
 * output allows it (object streams: not archive copies; the bytes are
 * those the save would write).  qhpdf_save_to must then be given the
 * same sink and ctx.  0, or -1 with an error recorded. */
int qhpdf_stream_to(qhpdf *h, int (*sink)(void *ctx, const void *p, size_t n),
                    void *ctx);
/* The same into memory: returns the whole file (the caller frees it) and
 * its size in *size, or NULL on failure. */
unsigned char *qhpdf_save(qhpdf *h, size_t *size);

/* ---- shared by the PDF writer and quorum_pdf_extract --------------------- */

/* 1 when name is safe as an attachment name and as a file to create in a
 * directory: one path component (no '/' or '\\'), not "." or "..", valid
 * UTF-8, no control characters, at most 255 bytes. */
int qpdf_safe_name(const char *name);
/* 1 when name is safe as an attachment's path from the folder extract
 * writes into: one or more safe names (qpdf_safe_name) joined by '/'
 * ("a/appendix-1.xml"), so no empty part, no leading '/', no "..", at most
 * QPDF_MAX_PATH_PARTS parts and QPDF_MAX_PATH bytes. */
#define QPDF_MAX_PATH 1024
#define QPDF_MAX_PATH_PARTS 16
int qpdf_safe_path(const char *name);

/* ---- the PDF device (pdf.c, pdf_meta.c, pdf_attach.c, pdf_output.c) ------
 * pdf.c draws the display list through the adapter and saves it;
 * pdf_meta.c writes the information dictionary and XMP; pdf_attach.c
 * embeds an archive copy's sources; pdf_output.c holds the public entry
 * points (file, sink, memory). */

#define MAX_WARNED_IMAGES 16

/* The drawing side (pdf_draw.c): a display list's pages into finished
 * page records through a canvas, without the document, so that any
 * thread may draw (one pdfd per thread). */
typedef struct pdfd {
    const qdlist *dl;
    quorum_diags *d;
    const char *path;              /* the output's name, for diagnostics */
    int tagged;                    /* marks and structure (PDF/UA) */
    int archive;                   /* 0, or the PDF/A part: 1, 2 or 3 */
    int page0;                     /* the document's page of dl's first page */
    qcanvas *cv;
    int face_key[QF__COUNT];       /* the canvas's font of each face: the
                                      first face with its file; -1 = not yet */
    int face_failed[QF__COUNT];
    uint8_t *codes[QF__COUNT];     /* by font key: code points drawn */
    char *buf;                     /* one NUL-terminated text run */
    size_t cap;
    int warned_utf8, warned_astral, warned_anchor, warned_alpha;
    const char *warned_images[MAX_WARNED_IMAGES];
    int nwarned_images;
    struct fbox { float x0, y0, x1, y1; int page, elem; } *box; /* Figures'
                                      bounds (tagged), in the order first
                                      drawn, a Figure's once (issue 18: a
                                      box an element of a pack, 20 bytes
                                      each, was 7.6 MB at 200 reports) */
    size_t nbox, cap_box;
    struct qpdf_warn { int kind; char *file; } *warn; /* d NULL: said later */
    int nwarn, cap_warn;
} pdfd;

/* A warning of drawing, said once a document (a kind, or an image file):
 * to dr->d, or with d NULL kept in dr->warn for the writer to say. */
enum { QPDF_W_UTF8, QPDF_W_ASTRAL, QPDF_W_ANCHOR, QPDF_W_ALPHA, QPDF_W_IMAGE };
void pdfd_warn(pdfd *dr, int kind, const char *file);

/* dr's state for dl (the caller's until pdfd_done). */
void pdfd_init(pdfd *dr, const qdlist *dl, quorum_diags *d, const char *path, int tagged,
               int archive, int page0);
void pdfd_done(pdfd *dr);
/* Page pno of dr->dl drawn into out (the caller frees it with
 * qcv_page_free): its content, events and links.  -1 when a face could
 * not be loaded (face_failed says which; said in d). */
int pdfd_page(pdfd *dr, int pno, qcv_page *out);
/* The standard role name element e is marked with (as qhpdf_struct_new
 * keeps it: letters and digits, at most 11). */
void pdfd_role(const qdlist *dl, int e, char out[12]);

/* Page content deflated as the writer would (hpdf_deflate.c, the level
 * of every page), on any thread: one zipper a thread. */
typedef struct qpdf_zipper qpdf_zipper;
qpdf_zipper *qpdf_zipper_new(void);
void qpdf_zipper_free(qpdf_zipper *z);
/* pg's content replaced by its deflated bytes (pg->deflated); 0 or -1. */
int qpdf_zip_page(qpdf_zipper *z, qcv_page *pg);
/* Blocks of memory made for compressors by the process so far: one a
 * compressor alive at once, a freed one's block going to the next
 * (hpdf_deflate.c, what test_deflate counts). */
size_t qpdf_deflate_blocks(void);
/* Jobs queued for a document's deflate worker that its caller, finding
 * the queue full (placing pages faster than one thread deflates them),
 * deflated itself instead of waiting, for the process so far. */
size_t qpdf_deflate_helped(void);

/* ---- a pack's reports drawn on the workers that laid them out -----------
 * (issue 18, "Streaming a pack", step 2).  A report's pages depend on the
 * report, its start page in the document and the output's tagging and
 * PDF/A part only: the worker draws and deflates them into page records
 * once the start page is known; the writer places the records instead
 * of drawing those pages.  Elements are the report's own (k > 0 is the
 * document's elem0 + k - 1, as qdlist_append renumbers them); link
 * destinations and Figure boxes are document pages already. */
/* A report's elements' object streams as the pack's cache keeps them
 * (HASH.qos, pdf_report_io.c): each stream's raw bytes by their SHA-256
 * and length, and its deflated bytes.  The raw bytes hold the elements'
 * object numbers, so a rebuild uses the deflated bytes of a stream only
 * when the one it makes is the same (its checksum; hpdf_deflate.c, on
 * the deflate worker), which is when the report's objects got the same
 * numbers; else it deflates it (issue 18: a rebuild's deflate thread
 * re-deflated 49 unchanged reports' elements). */
typedef struct qpdf_ostm {
    unsigned char sum[32];  /* SHA-256 of the raw stream (index and objects) */
    uint32_t raw;           /* its raw length */
    uint32_t level;         /* deflated at (libdeflate's) */
    unsigned char *z;       /* deflated, malloc'd (NULL once taken) */
    size_t zn;
} qpdf_ostm;
typedef struct qpdf_ostms {
    qpdf_ostm *v;
    size_t n, cap;
    /* a unit's streams as the writer catches them (qpdf_report.catch):
     * made by its flush, given back by the deflate queue (the bytes
     * copied into v), and of those the cached ones reused; expect is the
     * count it was given (qpdf_report.cached) */
    size_t made, drained, reused, expect;
    int closed;             /* its flush is done: made is final */
    int unchanged;          /* every stream the cached one: nothing to keep */
} qpdf_ostms;
void qpdf_ostms_free(qpdf_ostms *s);
/* Its streams as bytes (sealed with key), or NULL when it has none or
 * not all were given back; and back, NULL (and why) on any fault. */
unsigned char *qpdf_ostms_serialize(const qpdf_ostms *s, const unsigned char key[32],
                                    size_t *len);
qpdf_ostms *qpdf_ostms_deserialize(const unsigned char *b, size_t n,
                                   const unsigned char key[32], const char **why);
/* s's streams in order of their raw bytes' sum, level and raw length;
 * then the one with those (and deflated bytes), or NULL, in O(log n): a
 * pack's own streams are looked up by content, and a cache file may hold
 * millions of them. */
void qpdf_ostms_sort(qpdf_ostms *s);
const qpdf_ostm *qpdf_ostms_find(const qpdf_ostms *s, const unsigned char sum[32],
                                 uint32_t level, uint32_t raw);
/* payload sealed as qpdf_ostms_serialize seals its own (fuzz_drawn). */
unsigned char *qpdf_ostms_seal(const unsigned char *payload, size_t n,
                               const unsigned char key[32], size_t *len);

typedef struct qpdf_report {
    int page0, npages;
    int failed;                /* a face failed: the writer draws the pages */
    qcv_page *pages;
    size_t elem0;              /* set when the report is spliced */
    size_t nelems;             /* its elements, 0 (the Document) too */
    pdfd dr;                   /* its codes by font key, Figure boxes by its
                                  elements, warnings (its dl is gone); the
                                  codes and boxes cut to where they are set: */
    size_t codes0[QF__COUNT], ncodes[QF__COUNT]; /* dr.codes[k][i]: byte codes0 + i */
    size_t box0, nbox;         /* dr.box[i]: element box0 + i */
    /* Its element records, nelems of them (its Document first), when the
     * pack's list keeps none of them (qdl_splice.no_elems): the writer
     * makes its elements from these and maps them itself (own_se, -1:
     * not made yet), not by the pack's numbering, so the pack holds a
     * report's records only while it is alive (issue 18: flat memory). */
    qdl_elem *own;
    char *own_strs;            /* their strings */
    int *own_se;
    qdlist *own_list;          /* or the list own is in (a cache hit's records) */
    /* Its elements' object streams from the cache (owned; a hit's), and
     * where the writer catches the ones it makes for the cache (the
     * pack's, not owned; NULL: not kept). */
    qpdf_ostms *cached;
    qpdf_ostms *catch;
} qpdf_report;
/* Draws every page of dl (a report laid out alone) as the document's
 * pages page0... would be drawn, tagged or not, for PDF/A part archive,
 * and with zip deflates them; reads dl only. */
qpdf_report *qpdf_draw_report(const qdlist *dl, int page0, int tagged, int archive, int zip);
/* Its pages deflated (with zip 0 the writer's deflate thread does it as
 * it places them, the bytes the same); the bytes they take now. */
size_t qpdf_report_zip(qpdf_report *r);
/* Its pages' images named as to[k] names dl's image k (the same file
 * and pixels, held by a list that outlives dl), so that dl may go. */
void qpdf_report_images(qpdf_report *r, const qdlist *dl, const qdl_image *to);
/* dl's element records copied into r (r->own), for a pack that keeps
 * none of them; reads dl only. */
void qpdf_report_keep_elems(qpdf_report *r, const qdlist *dl);
/* The same without a copy: dl (a cache hit's records) is r's, freed with it. */
void qpdf_report_take_elems(qpdf_report *r, qdlist *dl);
void qpdf_report_free(qpdf_report *r);
/* The reports drawn for one layout (quorum_layout's drawn), and the
 * options they were drawn for: quorum_pack_write places them only when
 * its own options draw the same way. */
typedef struct qpdf_drawn {
    int tagged, archive;
    int used;                  /* placed by a write, which freed the pages */
    qpdf_report **reports;
    size_t n, cap;
} qpdf_drawn;
/* Takes r, whose element k > 0 is the layout's elem0 + k - 1. */
void qpdf_drawn_add(qpdf_drawn *s, qpdf_report *r, size_t elem0);
void qpdf_drawn_free(void *s);
/* ---- a drawn report as bytes (pdf_report_io.c): a pack cache's drawn pages ----
 * r (drawn whole, its pages deflated: qpdf_report_zip) as bytes under key,
 * its image events named by their index in images[0..nimages) (the
 * records its events name: the report's list's, or the pack's copies of
 * them, qpdf_report_images); NULL when it cannot be stored (its drawing
 * failed, a page not deflated, an image not among them).  The caller
 * frees the bytes. */
unsigned char *qpdf_report_serialize(const qpdf_report *r, const qdl_image *images,
                                     size_t nimages, const unsigned char key[32], size_t *len);
/* The report those bytes hold, drawn from dl (the report's display list,
 * laid out alone: its pages, elements and images are what every index is
 * checked against; image events name dl's images), or NULL with why (a
 * phrase) for anything but bytes qpdf_report_serialize wrote under key
 * for such a list.  Its start page (r->page0) and options (r->dr.tagged,
 * r->dr.archive) are the caller's to compare with the build's. */
qpdf_report *qpdf_report_deserialize(const unsigned char *b, size_t n,
                                     const unsigned char key[32], const qdlist *dl,
                                     const char **why);
/* payload (n bytes) sealed as qpdf_report_serialize seals its own (the
 * fuzz harness's way past the checksum). */
unsigned char *qpdf_report_seal(const unsigned char *payload, size_t n,
                                const unsigned char key[32], size_t *len);

typedef struct pdfw {
    pdfd dr;                       /* the drawing side, for a whole document */
    const qdlist *dl;
    qhpdf *h;
    quorum_diags *d;
    const char *path;
    int font_of_face[QF__COUNT];   /* adapter font id, -1 = not loaded */
    int warned_outline;
    int archive;                   /* 0, or the PDF/A part: 1, 2 or 3 */
    int tagged;                    /* structure tree (PDF/UA) */
    int *se;                       /* by dlist elem: adapter element, -1 = none yet */
    size_t nelems;                 /* se holds this many */
    size_t cap_elems;              /* and has room for (0: nelems) */
    int doc_se;                    /* the Document's element, -1 = none yet */
    int cur_page;                  /* the page being placed */
    struct { unsigned num; int page; } *dk; /* the Document's kids (their
                                               object numbers), in order, with
                                      the page each was made on */
    size_t ndk, cap_dk;
    int font_missing;              /* a page could not be drawn */
    int streamed;                  /* pages' content to o as they end */
    struct qpdf_sink *o;
    const char *const *attach;     /* PDF/A-3 attachments (options) */
    int attach_style;
} pdfw;

/* ---- the writer a unit of pages at a time --------------------------------
 * qpdf_write is qpdf_begin, qpdf_place_unit for each unit of the layout
 * that is not late (qdl_unit, in order), then qpdf_end, which places the
 * late ones and saves.  A pack's writer beside its layout (issue 18)
 * makes the same calls as the units are laid out, so the bytes are
 * those of writing the whole layout.  All on one thread. */
/* QUORUM_OK, or the failure (said in d; w needs nothing freed). */
quorum_status qpdf_begin(pdfw *w, const qdlist *dl, const char *path,
                         const quorum_pdf_options *opt, struct qpdf_sink *o, quorum_diags *d);
/* Unit u of w's list: its page objects, then its pages, placed from r
 * (drawn apart, starting at the unit's first page) or drawn here from
 * the list (r NULL, failed or not the unit's).  Takes r's pages.  0, or
 * -1 once the document has failed (qpdf_end says why). */
int qpdf_place_unit(pdfw *w, size_t u, struct qpdf_report *r);
int qpdf_unit_late(const qdlist *dl, size_t u);
/* qhpdf_pack_streams for w's document: before the first unit; catch
 * has every stream by qpdf_end. */
void qpdf_pack_streams(pdfw *w, struct qpdf_ostms *memo, struct qpdf_ostms *catch);
/* What the last qpdf_end's writer kept just before its save, in bytes:
 * its own arrays by element, its adapter's records (qhpdf_records_bytes)
 * and libharu's pool; for any thread to read after the write (a test
 * holds it to a bound a report: issue 18, flat memory). */
size_t qpdf_last_retained(void);
/* The late units, outlines, metadata, the save; frees w's state. */
quorum_status qpdf_end(pdfw *w);
/* Frees w's state without saving (the pack failed). */
void qpdf_abort(pdfw *w);

void *qpdf_xmalloc(size_t n);
/* s made printable by libharu (see pdf_draw.c), in dr's buffer until the
 * next call; its code points are noted in codes (QHPDF_CODE_BITS, or NULL). */
const char *qpdf_clean_text(pdfd *dr, const char *s, size_t len, uint8_t *codes);
/* A metadata string as both the information dictionary and XMP can carry
 * it (malloc'd; NULL for NULL or empty). */
char *qpdf_meta_clean(pdfw *w, const char *s);
char *qpdf_meta_clean_d(pdfd *dr, const char *s);
/* The Figures' bounding boxes, once every page is drawn. */
void qpdf_figure_boxes(pdfw *w);
/* Information dictionary, catalog, structure tree's end, XMP and (archive
 * copies) the archive pieces: the last step before saving. */
void qpdf_add_metadata(pdfw *w);
/* For an archive copy: every string the document will hold within PDF/A's
 * limit (65,535 bytes in PDF/A-1, 32,767 in PDF/A-2 and -3); 0 after an error of
 * class LIMIT for each that is not. */
int qpdf_archive_strings_ok(pdfw *w);
/* 'A' or 'B': the PDF/A conformance level an archive copy declares. */
char qpdf_archive_level(const pdfw *w);
/* PDF/A-3b: embeds paths (NULL-terminated) and with attach_style the
 * style's files.  QUORUM_OK, or the failure with a diagnostic. */
quorum_status qpdf_add_attachments(pdfw *w, const char *const *paths,
                                   int attach_style, const char *date);

/* Where the saved document goes; failed is set when fn refused. */
/* A growing buffer that a PDF is saved into (memory output, and the
 * whole file an archive copy's ID is a hash of): qpdf_mem_write is a
 * quorum_write_fn; -1 when memory runs out.  The caller frees p. */
typedef struct qpdf_membuf {
    unsigned char *p;
    size_t n, cap;
} qpdf_membuf;
int qpdf_mem_write(void *ctx, const void *p, size_t n);

typedef struct qpdf_sink {
    quorum_write_fn fn;
    void *ctx;
    int failed;
} qpdf_sink;
/* Draws the layout and saves it through o; name stands for the output in
 * diagnostics.  QUORUM_OK, or a failure with a diagnostic, except that a
 * refusal by the sink (o->failed) is left to the caller to word. */
quorum_status qpdf_write(const quorum_layout *l, const char *name,
                         const quorum_pdf_options *opt, qpdf_sink *o,
                         quorum_diags *d);

/* ---- pages from elsewhere (pdf_foreign.c) ---- */
/* 1 when a page of dl draws a page of an included PDF. */
int qpdf_has_foreign(const qdlist *dl);
/* The saved file in[0..n) with each such page drawn into its box (a new
 * malloc'd file of *outlen bytes), or NULL with why. */
unsigned char *qpdf_place_foreign(const qdlist *dl, const unsigned char *in, size_t n,
                                  size_t *outlen, char *why, size_t whyn);

/* ---- output (pdf_output.c) ---- */
/* The PDF of l into a (an atomic file, util.h), not committed: the caller
 * commits or aborts it (a pack commits it with its manifest).  A failed
 * write has an I/O diagnostic naming a's path. */
quorum_status qpdf_write_to(const quorum_layout *l, qatomic *a,
                            const quorum_pdf_options *opt, quorum_diags *d);
/* qatomic_check_target for `what` at path against every file l was made
 * from and opt's attachments.  0, or -1 with a USAGE error. */
int qpdf_check_target(const quorum_layout *l, const char *path, const char *what,
                      const quorum_pdf_options *opt, quorum_diags *d);
#endif
