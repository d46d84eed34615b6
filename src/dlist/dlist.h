/* The display list: the output of layout, the input of every device.
 * Pages of positioned items.  Each item keeps the structural element it
 * belongs to (elem), so the PDF device can tag it and the text dump shows
 * it; elem -1 marks an artifact (running header/footer, page number, cell
 * fill, rule, a repeated header row).
 *
 * Coordinates are points with the origin at the top-left of the page and y
 * growing downwards; the PDF device flips them. */
#ifndef QUORUM_DLIST_H
#define QUORUM_DLIST_H
#include <stdint.h>
#include <stdio.h>
#include "util.h"
#include "font.h"
#include "image.h"

typedef enum qrole {
    QR_DOCUMENT = 0, QR_PART, QR_SECT, QR_H1, QR_H2, QR_H3, QR_H4, QR_H5, QR_H6,
    QR_P,
    QR_L, QR_LI, QR_LBL, QR_LBODY,
    QR_TABLE, QR_THEAD, QR_TBODY, QR_TR, QR_TH, QR_TD,
    QR_LINK, QR_FIGURE, QR_NOTE, QR_REFERENCE, QR_BLOCKQUOTE, QR_CAPTION,
    QR_SPAN,
    QR_DIV,
    QR_TOC, QR_TOCI,     /* the pack's agenda: a table of contents */
    QR__COUNT
} qrole;

/* Artifacts by kind (an item's elem below 0), so tagged PDF can type them
 * (PDF/UA: /Pagination /Header or /Footer, /Layout): running headers,
 * running footers and page numbers, and what pagination repeats (a table's
 * header row on the pages it continues to).  QDL_ART_LAYOUT is what is
 * drawn only for looks (fills, rules, decorative images); a text artifact
 * of that kind is taken for a repeat. */
enum {
    QDL_ART_LAYOUT = -1, QDL_ART_HEADER = -2, QDL_ART_FOOTER = -3,
    QDL_ART_REPEAT = -4
};

/* How a list's labels count (tagged PDF's /ListNumbering). */
typedef enum qdl_numbering {
    QDL_NUM_UNSET = 0, QDL_NUM_DISC, QDL_NUM_DECIMAL, QDL_NUM_LOWER_ALPHA,
    QDL_NUM_UPPER_ALPHA, QDL_NUM_LOWER_ROMAN, QDL_NUM_UPPER_ROMAN,
    QDL_NUM_NONE /* labels that do not count ("Step 1", "Note") */
} qdl_numbering;

/* A node of the structure tree (what tagged PDF will be built from).
 * 40 bytes (64 with an int for each small field): a 200-report pack holds
 * some 380,000 of them, and its layout keeps them until the write ends
 * (issue 18). */
typedef struct qdl_elem {
    const char *alt;     /* Figure alternative text, or a cell's spoken form */
    const char *lang;    /* BCP 47 override, or NULL to inherit */
    const char *actual;  /* what its content reads as (/ActualText): a
                            rated cell's word for its code, or NULL */
    int parent;          /* index into elems, -1 for the root */
    int colspan, rowspan;/* TH/TD: the grid positions it covers (0 = 1) */
    unsigned char role;  /* qrole */
    unsigned char scope; /* TH: 1 = Row, 2 = Column; else 0 */
    unsigned char section_head; /* a section's own heading, which a style
                            may set on a band: not every H2 is one (a
                            subheading is H2 where no section heading
                            stands above it) */
    unsigned char numbering; /* L: how its labels count (qdl_numbering) */
} qdl_elem;
_Static_assert(QR__COUNT <= 256 && QDL_NUM_NONE < 256, "a role and a numbering fit a byte");

typedef enum qdl_kind {
    QDL_TEXT = 0, /* a run of one style on one line; x,y = baseline start */
    QDL_FILL,     /* rectangle x,y (top-left), w,h, filled with color */
    QDL_RULE,     /* line from x,y to x+w,y+h, width line_width, color */
    QDL_LINK,     /* clickable area x,y,w,h: uri, or internal dest >= 0 */
    QDL_IMAGE,    /* image `text` placed in x,y,w,h: its pixels are
                     images[dest] */
    QDL_MARK      /* a vector mark (qdl_shape in face) in the box x,y
                     (top-left), w,h, drawn in color, so no font needs a
                     glyph for it; text: the word it stands for */
} qdl_kind;

/* QDL_MARK shapes. */
typedef enum qdl_shape {
    QDL_ARROW_UP = 0, QDL_ARROW_RIGHT, QDL_ARROW_DOWN,
    QDL_BOX, QDL_BOX_TICKED,
    QDL__SHAPES
} qdl_shape;
const char *qdl_shape_name(unsigned shape);

/* 48 bytes: a 1,854-page pack holds some 230,000 of them.  kind and face
 * share the first word. */
typedef struct qdl_item {
    qdl_kind kind : 8;
    unsigned char face;    /* TEXT: qfont_face */
    int elem;              /* structure element, -1 = artifact */
    float x, y, w, h;
    float size;            /* TEXT: font size pt; RULE: line width */
    uint32_t color;        /* 0xRRGGBB */
    const char *text;      /* TEXT: UTF-8 (not NUL-terminated: len); LINK: uri */
    unsigned len;
    int dest;              /* LINK: anchor index for internal links;
                              IMAGE: index into images; else -1 */
} qdl_item;

typedef struct qdl_page {
    qvec items;            /* qdl_item */
    float width, height;
    /* A page of a PDF from elsewhere (a pack's PDF item) drawn under the
     * items: the source it was read from (its bytes: qdlist_source), NULL
     * for none; its 0-based page; the box it is drawn into (top-left
     * origin, like the items). */
    const char *foreign;
    unsigned foreign_page;
    float fx, fy, fw, fh;
} qdl_page;

typedef struct qdl_anchor {  /* an internal link target */
    int page;
    float y;
} qdl_anchor;

typedef struct qdl_outline { /* a bookmark */
    const char *title;
    int level;             /* 1 = top */
    int page;
    float y;
} qdl_outline;

/* An image a layout draws (a document's or the style's logo), held by
 * reference (a layout outlives its document).  img NULL: it could not be
 * read or decoded (the check said so); the PDF writer leaves it out. */
typedef struct qdl_image {
    const char *name;      /* the item's text: the path it was read from */
    const qimage *img;     /* one reference, the display list's */
} qdl_image;

/* A file a document laid out here was read from, with the bytes read:
 * what a PDF/A-3b copy attaches, so that the archive holds exactly what
 * was rendered and no file is read a second time.  name is the path as
 * quorum_doc_source_path gives it. */
typedef struct qdl_source {
    const char *name;
    const unsigned char *bytes;
    size_t len;
} qdl_source;

typedef struct qdlist {
    qarena *arena;
    qvec pages;            /* qdl_page */
    qvec elems;            /* qdl_elem; elems[0] is the Document */
    qvec anchors;          /* qdl_anchor */
    qvec outlines;         /* qdl_outline, in document order */
    qvec images;           /* qdl_image, each distinct file once */
    qvec sources;          /* qdl_source, each name once */
    qfonts *fonts;         /* owned: faces with .used set are embedded */
    const char *title, *author, *subject, *keywords, *lang;
    const char *creation_date; /* "YYYY-MM-DD" or NULL */
    /* the house style laid out with, for PDF/A-3b copies that attach it:
     * its file (NULL = the built-in style) and the logo file it names
     * (NULL = none), as resolved when the style was loaded */
    const char *style_file, *style_logo;
    /* the files it was made from besides its sources (a pack's meeting
     * file, the reports a supplement leaves out, the holiday list, the
     * --since manifest and its PDF), so that no writer replaces one of
     * them by its output */
    qvec inputs;           /* const char *, in the arena */
    /* pages drawn already (a pack's reports, drawn on the workers that
     * laid them out: src/pdf's qpdf_drawn), freed with the list */
    void *drawn;
    void (*drawn_free)(void *drawn);
    /* A pack's pages in the runs the PDF writer makes together (qdl_unit,
     * in page order; none: the whole list is one).  A late run (the
     * pack's own pages: front, blank and exempt-item pages, finished only
     * when the last report is laid out) is made after every other, so a
     * writer beside the layout (issue 18) makes the bytes a writer of the
     * whole list makes. */
    qvec units;
} qdlist;

typedef struct qdl_unit {
    int first;             /* its first page; it ends where the next begins */
    int late;
} qdl_unit;
/* A run of pages starting at first (the list's next page) ends the last. */
void qdlist_add_unit(qdlist *dl, int first, int late);

qdlist *qdlist_new(qfonts *fonts);   /* takes ownership of fonts */
/* The same, its arena in blocks of chunk bytes: a small list made to be
 * spliced into a larger one (qdlist_append) wastes less of its last one. */
qdlist *qdlist_new_chunked(qfonts *fonts, size_t chunk);

/* Where qdlist_append put src in dst. */
typedef struct qdl_splice {
    int page0, npages;         /* dst's pages [page0, page0 + npages) */
    size_t elem0;              /* src's element k > 0 is dst's elem0 + k - 1 */
    size_t anchor0;            /* src's anchor k is dst's anchor0 + k */
    size_t outline0, outline1; /* dst's outlines [outline0, outline1) */
    int no_elems;              /* in, for qdlist_append_records: src's
                                  element records stay out of dst (a
                                  report drawn on a worker carries them to
                                  the writer, qpdf_report_keep_elems);
                                  qdlist_append_items adds them, elem0
                                  then, if its items come after all */
} qdl_splice;
/* Appends src (a document laid out on its own: a report of an agenda
 * pack) to dst as if it had been laid out there: its pages after dst's,
 * its elements, anchors, outlines, images, sources and inputs after
 * dst's, every index in it renumbered (items' elements, links' anchors,
 * images, elements' parents, pages of anchors and outlines); src's
 * element 0, its Document, is dst's.  Images and sources already in dst
 * (same name and content; same name) are shared.  The faces src used are
 * used in dst.  src's metadata (title, style files, dates) is dst's
 * business and dropped.  Consumes src, whose memory joins dst's arena
 * (nothing is copied but the page, element, anchor and outline records),
 * and fills *at (NULL: not wanted).  0, or -1 when dst cannot read a face
 * src used (said in d): the splice is done all the same. */
int qdlist_append(qdlist *dst, qdlist *src, qdl_splice *at, quorum_diags *d);
/* The same with src's pages put at dst's pages [page0, page0 + n), which
 * were added for them before (without items: the pack reserves a
 * report's pages when it is laid out and splices it once its pages are
 * drawn); page0 < 0 or pages not there: after dst's, as qdlist_append. */
int qdlist_append_at(qdlist *dst, qdlist *src, int page0, qdl_splice *at, quorum_diags *d);
/* qdlist_append_at in two halves, for a report whose pages are drawn
 * apart (a pack's workers, issue 18) and whose list is then freed: its
 * records (sources, images, elements, anchors, outlines, inputs, the
 * faces it used, its pages' foreign pages) copied into dst at the pages
 * [page0, page0 + n) reserved for it, strings too, src left as it was,
 * so that it may be freed once drawn; -1 when those pages are not there
 * or dst cannot read a face src used (said in d; the records are copied
 * all the same); *images (malloc'd; NULL: not wanted) is dst's record of
 * each of src's images, by src's index (what outlives src); without
 * bytes, only the names of its sources are kept, but for the PDFs its
 * foreign pages draw (a write that attaches the sources, PDF/A-3, needs
 * their bytes; no other does).  Then, only
 * when src's pages are to be drawn from dst after all (its drawing
 * failed), its items into those pages, consuming src (at: what the first
 * half filled in). */
int qdlist_append_records(qdlist *dst, const qdlist *src, int page0, qdl_splice *at,
                          qdl_image **images, int bytes, quorum_diags *d);
void qdlist_append_items(qdlist *dst, qdlist *src, qdl_splice *at);
void qdlist_free(qdlist *dl);
qdl_page *qdlist_add_page(qdlist *dl, float width, float height);
qdl_item *qdlist_add_item(qdlist *dl, qdl_page *p, qdl_kind kind, int elem);
/* Moves the page's items from index n0 on to its front, in their order:
 * drawn first, they are read first (tagged PDF's reading order), as
 * where they stand at the top of the page (a logo, a running header). */
void qdl_page_to_front(qdl_page *p, size_t n0);
int qdlist_add_elem(qdlist *dl, qrole role, int parent);
/* The TH or TD of row tr after element after (tr itself for the first),
 * or -1.  A row's cells are tagged with it, empty ones too (an empty cell
 * still takes its place in the grid); a row's descendants follow it in
 * the element list (the layout makes a row's cells and their content
 * before the next row), so the scan stops at the first element outside. */
int qdl_next_cell(const qdlist *dl, int tr, int after);
int qdlist_add_anchor(qdlist *dl);   /* page/y filled in when placed */
/* The index in dl->images of the image name with these pixels (img, or
 * NULL: unreadable), taking a reference to img on first use. */
int qdlist_add_image(qdlist *dl, const char *name, const qimage *img);
void qdlist_add_outline(qdlist *dl, const char *title, int level, int page,
                        float y);
/* Records name, a file read, with its len bytes as a source: the bytes
 * of an image drawn with the same content are shared, others copied in.
 * A name recorded before is kept. */
void qdlist_add_source(qdlist *dl, const char *name,
                       const unsigned char *bytes, size_t len);
/* The bytes recorded for name, or NULL. */
const qdl_source *qdlist_source(const qdlist *dl, const char *name);
const char *qrole_name(qrole r);
/* Records a file the layout was made from (copied; NULL ignored). */
void qdlist_add_input(qdlist *dl, const char *path);
/* Every file the display list was made from: its sources, its inputs,
 * the images it draws, its style file and logo; a malloc'd array of *n
 * paths (the caller frees the array, not the paths, which live in dl). */
const char **qdlist_inputs(const qdlist *dl, size_t *n);

/* The text device: one line per item, stable across runs, for golden
 * tests.  Numbers are printed with one decimal. */
void qdlist_dump(const qdlist *dl, FILE *f);

/* ---- the display list as bytes (dlist_io.c): a pack's report cache ---- */
/* The faces of dl's fonts marked used, a bit each (1 << qfont_face). */
unsigned qdlist_faces_used(const qdlist *dl);
/* dl as bytes (malloc'd, *len of them), under the caller's key (what the
 * list was made from: a reader asking with another key is refused),
 * versioned and checksummed, with the caller's note (note_len bytes, kept
 * as they are: what the caller needs to trust the entry). */
unsigned char *qdlist_serialize(const qdlist *dl, const unsigned char key[32],
                                const void *note, size_t note_len, size_t *len);
/* The bytes before the payload (magic, version, key, length), and the
 * payload n bytes sealed as qdlist_serialize seals its own (the fuzz
 * harness's way past the checksum to the payload's reader). */
#define QDLIST_HEAD 52
unsigned char *qdlist_seal(const unsigned char *payload, size_t n,
                           const unsigned char key[32], size_t *len);
/* The list serialized in b[0..n) under key, with fonts (taken, also on
 * failure) for its faces; images of more than max_pixels (0: the
 * default) are refused; *note (NUL-terminated, in the list's arena) and
 * *note_len the note it was written with (either may be NULL).  NULL with
 * *why (a phrase) for anything but the bytes qdlist_serialize wrote under
 * this key: another key, format or version, a checksum that does not
 * match, a count, index or size out of range.  Any bytes are safe to give
 * it (tests/fuzz/fuzz_dlist.c). */
qdlist *qdlist_deserialize(const unsigned char *b, size_t n, const unsigned char key[32],
                           qfonts *fonts, size_t max_pixels, const char **note,
                           size_t *note_len, const char **why);

/* The list's records (issue 18, "The rebuild: a hit's records"): every
 * field but its pages' items, and its sources' bytes only when a page
 * draws another PDF's (else their names), which is all a pack takes of a
 * report whose drawn pages it has (qdlist_append_records); with note,
 * and whole, the checksum of the whole list's bytes (its last 32), which
 * they were written beside.  Sealed as the whole list is, under another
 * magic: one is never read as the other. */
unsigned char *qdlist_serialize_records(const qdlist *dl, const unsigned char key[32],
                                        const void *note, size_t note_len,
                                        const unsigned char whole[32], size_t *len);
unsigned char *qdlist_seal_records(const unsigned char *payload, size_t n,
                                   const unsigned char key[32], size_t *len);
/* As qdlist_deserialize, for qdlist_serialize_records's bytes: a list
 * without items, whole[] the whole list's checksum, *sources 1 when its
 * sources' bytes are there (0: names only, each source empty). */
qdlist *qdlist_deserialize_records(const unsigned char *b, size_t n,
                                   const unsigned char key[32], qfonts *fonts,
                                   size_t max_pixels, const char **note, size_t *note_len,
                                   unsigned char whole[32], int *sources, const char **why);

struct quorum_layout {
    qdlist *dl;
};
/* The public handle for a finished list: takes ownership of dl (freed
 * with quorum_layout_free); exits on out of memory, as allocation does. */
quorum_layout *qdlist_to_layout(qdlist *dl);
#endif
