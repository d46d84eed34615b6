/* The layout folder's internal header: everything layout.c, blocks.c,
 * sections.c, table.c, figure.c, emit.c, paginate.c, linebreak.c and the
 * agenda-pack drawing (src/pack/pack_pages.c) share, and what the unit
 * tests reach.
 *
 * The pagination decisions (qpaginate, qtable_plan) and line breaking are
 * pure functions over heights and widths, testable without fonts or
 * documents.  The flow machinery below them works on one document at a
 * time through an L context (see layout.c for the two passes). */
#ifndef QUORUM_LAYOUT_H
#define QUORUM_LAYOUT_H
#include <stddef.h>
#include <stdint.h>

#include "dlist.h"
#include "doc.h"
#include "font.h"
#include "quorum.h"
#include "style.h"

#include <stddef.h>

/* ---- flow pagination --------------------------------------------------- */

enum {
    QPB_KEEP = 1,   /* never break between this box and the next */
    QPB_PAGE = 2,   /* start a new page before this box */
    QPB_SPLIT = 4   /* placed by the split callback (a table) */
};

typedef struct qpbox {
    float h;        /* height; for QPB_SPLIT the least that must fit first */
    float before;   /* space before, dropped at the top of a page */
    unsigned flags;
    int page;       /* out: 0-based page */
    float y;        /* out: top, from the top of the page body */
} qpbox;

/* Places a QPB_SPLIT box starting at (*page, y) and returns, in *page and
 * *y, where the flow continues. */
typedef void (*qpg_split_fn)(void *ctx, size_t box, int *page, float *y,
                             float body_h);

/* Assigns pages to boxes: a run of boxes joined by QPB_KEEP moves to a new
 * page when it does not fit in what is left, unless the run is taller than
 * a whole page (then it breaks where it must).  Returns the page count
 * (at least 1). */
int qpaginate(qpbox *b, size_t n, float body_h, qpg_split_fn split, void *ctx);

/* Keep flags for the lines of a paragraph of n lines, widows/orphans 2
 * (no line alone at a page top or bottom): keep[i] != 0 when no break may
 * fall between line i and i+1.  A paragraph of 2-3 lines moves whole. */
void qpg_para_keeps(size_t n, unsigned char *keep);

/* ---- tables ------------------------------------------------------------ */

typedef struct qtcell {
    int nlines;
    const float *bottom;  /* bottom of each line from the content top */
    float pad;            /* top + bottom padding */
} qtcell;

typedef struct qtrow {
    float h;              /* whole row, padding included */
    int keep_next;
    int ncells;
    const qtcell *cells;
    /* (format 1.1 group rows) lead_only: a row of the leading block (a
     * group heading before the header row) placed once, not repeated;
     * head_after: the header rows are drawn again below this row */
    int lead_only, head_after;
} qtrow;

/* One piece of the plan: row `row` (or part of it) placed on page `page`
 * (0 = the page where the table starts) at y from that page's top of
 * available space (first page: the table's start).  Header rows come first
 * with repeat = 0 on the first page; on every continuation page the header
 * rows are repeated (repeat = 1).  A partial row has from/to line ranges
 * per cell in the plan's line pool at `lines` (2 ints per cell). */
typedef struct qtseg {
    int page;
    int row;
    float y, h;
    int repeat;
    int lines;            /* -1 = whole row, else offset into pool */
} qtseg;

typedef struct qtplan {
    qtseg *segs; size_t nsegs, cap_segs;
    int *pool; size_t npool, cap_pool;
    int pages;            /* pages used, counting the first */
    float end_y;          /* bottom of the table on the last page */
} qtplan;

/* Plans a table whose rows 0..nhead-1 are header rows (those not
 * lead_only repeat; a row with head_after has them drawn again below it).  first_avail is the
 * height left on the first page, page_avail a full page body.  A whole
 * table moves to the next page when its header and first body line do not
 * fit; rows move whole to the next page when they fit a page; a row taller
 * than a page splits inside its cells line by line, at least one line per
 * page (so it always ends).  A keep_next row is not left last on a page
 * when its chain fits a page. */
void qtable_plan(const qtrow *rows, int nrows, int nhead, float first_avail,
                 float page_avail, qtplan *out);
void qtplan_free(qtplan *p);

/* Column widths from <col width> specs ("2*", "40%", "30mm", "12pt", NULL
 * or "" = "1*") within total width w.  Fixed and percentage widths are
 * scaled down when they exceed w. */
void qlayout_col_widths(const char *const *spec, int n, float w, float *out);

/* ---- line breaking ------------------------------------------------------
 * Line breaking of styled inline runs from glyph widths.  Used for body
 * paragraphs and for table cells alike: the caller gives runs and a width,
 * and gets lines made of fragments (one per run per line), each pointing
 * into the run's text, so emitting a line is one display-list item per
 * fragment and nothing is allocated per word or glyph. */

enum {
    QLB_BREAK = 1,     /* forced line break (<br/>); text ignored */
    QLB_UNDERLINE = 2, /* link: underline rule under the fragment */
    QLB_NOBREAK = 4,   /* no break at the run's own spaces ("paragraph 3.8") */
    QLB_MARK = 8,      /* a vector mark (shape) as wide as qlb_mark_width;
                          text is its word, not drawn */
    QLB_CHIP = 16      /* text on a fill of colour bg (a rating in prose) */
};

typedef struct qlb_run {
    const char *text;  /* UTF-8, not NUL-terminated */
    uint32_t len;
    unsigned char face;   /* qfont_face */
    unsigned char flags;  /* QLB_* */
    unsigned char shape;  /* QLB_MARK: qdl_shape */
    float size;           /* pt */
    float rise;           /* baseline shift up, pt (superscript) */
    uint32_t color;
    const char *uri;      /* external link, or NULL */
    int dest;             /* internal link anchor, or -1 */
    int elem;             /* structure element for the text, -1 = inherit */
    uint32_t bg;          /* QLB_CHIP: the fill behind the text */
} qlb_run;

typedef struct qlb_frag {
    uint32_t run;
    uint32_t start, len;  /* bytes within the run's text */
    float x, w;           /* offset from the line start, width (pt) */
} qlb_frag;

typedef struct qlb_line {
    uint32_t frag0, nfrag;
    float width;
} qlb_line;

typedef struct qlb_piece { /* internal: a measured word part, space or break */
    uint32_t run, start, len;
    float w;
    int kind;
} qlb_piece;

/* Reusable scratch: buffers grow (malloc'd, kept) and are reused by every
 * call, so breaking a paragraph allocates nothing in the steady state. */
typedef struct qlb {
    const qfont *faces[QF__COUNT];
    qlb_piece *pieces; size_t npieces, cap_pieces;
    qlb_frag *frags; size_t nfrags, cap_frags;
    qlb_line *lines; size_t nlines, cap_lines;
} qlb;

void qlb_init(qlb *lb, qfont *const faces[QF__COUNT]);
void qlb_free(qlb *lb);

/* Breaks runs into lines no wider than width (a single character wider
 * than the line still gets a line of its own).  Returns the line count;
 * results are in lb->lines / lb->frags until the next call.  Empty input
 * gives 0 lines; a <br/> gives an empty line where it stands. */
size_t qlb_break(qlb *lb, const qlb_run *runs, size_t nruns, float width);

/* Width of a vector mark (QLB_MARK, a qdl_shape) at size pt, and the
 * height of its box, which stands on the baseline.  A tick box is wider
 * than it is drawn: the gap before its text is part of it, so the two
 * never part at a line end. */
float qlb_mark_width(unsigned shape, float size);
float qlb_mark_height(float size);

/* Width in points of UTF-8 text at size pt. */
float qlb_width(const qfont *f, const char *s, size_t len, float size);

/* ---- the flow ------------------------------------------------------------ */

/* House style: the numbers come from the style in force (style.h; the
 * built-in default is qstyle_builtin in style.c).  Layout of one document
 * runs on one thread, so the style is a thread-local set by the entry
 * points (quorum_doc_layout, the qpl_ functions), which put the caller's
 * back; the names below read like the constants they used to be. */
extern _Thread_local const qstyle *ql_style; /* never NULL */
#define S ql_style
#define PAGE_W (S->page_w)
#define PAGE_H (S->page_h)
#define MARGIN_L (S->margin_left)
#define MARGIN_R (S->margin_right)
#define MARGIN_T (S->margin_top)
#define MARGIN_B (S->margin_bottom)
#define BODY_W (PAGE_W - MARGIN_L - MARGIN_R)
#define BODY_H (PAGE_H - MARGIN_T - MARGIN_B)
#define BODY_SIZE (S->body_size)
#define BODY_LH (S->body_lh)
#define PARA_AFTER (S->para_after)
#define NUM_INDENT (S->num_indent) /* 26 pt: wider and pdftotext reads the numbers as a column of their own */
#define HEAD_INDENT (S->head_indent)
#define LINK_COLOR (S->link_color)
#define RULE_COLOR (S->rule_color)
#define FOOT_RULE_COLOR (S->foot_rule_color)
#define FOOT_COLOR (S->foot_color)
#define TEXT_COLOR (S->text_color)
#define HEAD_COLOR (S->heading_color)
#define BAR_COLOR (S->bar_color)
#define BOX_FILL (S->box_fill)
#define TABLE_HEAD_FILL (S->table_head_fill)
#define FRONT_LABEL_FILL (S->front_label_fill_text)
#define FRONT_PAD (S->front_pad)
#define TABLE_SIZE (S->table_size)
#define TABLE_LH (S->table_lh)
#define TABLE_PAD (S->table_pad)
#define H1_SIZE (S->h1_size)
#define H1_LH (S->h1_lh)
#define H1_AFTER (S->h1_after)
#define H2_SIZE (S->h2_size)
#define H2_LH (S->h2_lh)
#define H2_BEFORE (S->h2_before)
#define H2_AFTER (S->h2_after)
/* The face a node's text is drawn in: qstyle_face_of, the answer the
 * check measures with, so layout never decides a node's face itself.
 * Inline bold and italic runs OR their bits into it as they are met. */
#define FACE_OF(n) ((unsigned char)qstyle_face_of(S, (n)))
#define ATTR_FACE_OF(n, attr) ((unsigned char)qstyle_attr_face_of(S, (n), (attr)))

enum { F_BOLD = 1, F_ITALIC = 2 }; /* qfont_face is a bit set of these */

typedef struct lmark {
    int anchor;          /* -1 or anchor index */
    int outline;         /* -1 or outline index */
    struct lmark *next;
} lmark;

struct ltable;

typedef struct lline {   /* a box of the flow, or a line inside a cell */
    float h, before;
    unsigned flags;      /* QPB_* */
    size_t item0, nitems;
    lmark *marks;
    struct ltable *table;
} lline;

typedef struct lcell {
    float x, w, pad;
    uint32_t fill;
    int has_fill;
    size_t line0, nlines; /* in L.clines */
    int rowspan;          /* > 1: drawn over the rows it spans */
    int qi;               /* index among the row's qtcells, -1 if spanning */
    float content_h;
    float *top, *bottom; /* per line, from the content top */
} lcell;

typedef struct lrow {
    int ncells;
    lcell *cells;
    float h;
    int keep_next;
} lrow;

typedef struct ltable {
    int nrows, nhead;
    lrow *rows;
    qtrow *qrows;
    qtplan plan;
    int page0;
    float y0;
    float x, w;
    struct ltable *next_alloc;
} ltable;

typedef struct bctx {
    float x, w;          /* text box */
    float num_x;         /* where paragraph numbers hang */
    int numbered;        /* print paragraph numbers */
    int elem;            /* parent structure element */
    unsigned char face;  /* base face */
    float size, lh, para_after;
    uint32_t color;
    int align;           /* 0 left, 1 centre, 2 right */
    int in_cell;
    int in_appendix;
    int level;           /* outline level of the enclosing section/part */
    int hlevel;          /* level of the heading the blocks stand under (1 =
                            H1, 2 = H2), 0 before any: headings below take
                            the next level, so none is skipped (PDF/UA) */
} bctx;

typedef struct idslot { const char *id; int anchor; } idslot;

typedef struct L {
    const quorum_doc *doc;
    qdlist *dl;
    qarena *a;           /* scratch, freed after layout */
    quorum_diags *d;
    qfonts *fonts;
    qfont *faces[QF__COUNT];   /* read on first use; regular always */
    int face_failed;
    qlb lb;
    qlb_run *runs; size_t nruns, cap_runs;
    qvec st;             /* staged qdl_item */
    qvec flow;           /* lline */
    qvec clines;         /* lline: lines of all table cells, cell by cell */
    qvec *out;           /* current sink: flow or a cell's lines */
    float pending_after;
    lmark *marks;        /* waiting for the next box */
    /* label for the first line of the next text block (list/paragraph) */
    const char *label; float label_x; int label_elem; unsigned char label_face;
    idslot *ids; size_t nids_cap;
    ltable *tables;
    size_t *counts;      /* emission dry run: items per page, else NULL */
    qdl_item dummy;
    const char *title;
    float body_w;
    /* Several documents share one display list in an agenda pack: this
     * one's pages start at page0, its top elements hang under root_elem,
     * its bookmarks sit outline_base levels down. */
    int page0, root_elem, outline_base;
    size_t anchor0, outline0;
    const char *foot_right;  /* pack pages: fixed footer text, no "Page X of Y" */
    const qw_words *w;         /* the words it prints, in its language */
    const qw_words *w_other;   /* a part's in another language (ql_words_for) */
    /* the appendix being laid out: its Part and the level of its heading
     * (0: untitled), where its outcomes' sections hang (blocks.c) */
    int app_part, app_hlevel;
    /* pages of PDF appendices (issue 15): lforeign, one per flow box
     * standing for a page; pdf_at: the next of doc->pdfs */
    qvec foreign;
    size_t pdf_at;
} L;

typedef struct lforeign {
    size_t box;
    const qdoc_pdf *pdf;
    unsigned page;
} lforeign;


static const qpos NOPOS = {0, 0, 0};

typedef struct rstyle {
    unsigned char face, flags;
    float size, rise;
    uint32_t color;
    const char *uri;
    int dest, elem;
    uint32_t bg;         /* QLB_CHIP */
} rstyle;


/* layout.c: helpers */
int ql_node_colours(const qnode *n, uint32_t dfill, uint32_t dcolor,
                    uint32_t *fill, uint32_t *color);
int ql_attr_true(const qnode *n, const char *name);
/* A cell that heads its row: <cell header="true"> as written, or
 * scope="row" on the cells of generated tables (TH /Scope /Row, th
 * scope="row"). */
int ql_row_header_cell(const qnode *cl);
/* <options box="after">: each box after its label ("One off cost [x]",
 * as Bristol prints it); the spoken text is the same either way. */
int ql_box_after(const qnode *options);
/* The words before a sign-off's name: its own lead= (Bristol's
 * "Finance Business Partner:", "Legal Team Leader:" differ per comment),
 * else the style's or the language's. */
const char *ql_sign_off_lead(const qstyle *st, const qw_words *w, const qnode *n);
/* A table's leading header block, as the PDF and the HTML both print it:
 * the header rows before the first body row, with any group heading rows
 * among or before them (a priority's heading above the column headers);
 * how many rows it holds, 0 when the table has no leading header. */
int ql_table_head_rows(const qnode *t);
/* A group level 1 to 9 as written (group="1", header-after-group="1"),
 * else 0. */
int ql_group_level(const char *v);
/* The rows the house style prints after a front-sheet field: for the
 * author, its phone= and email= under the style's phone-label and
 * email-label (docs/style.md, "front-sheet").  Fills label[] and value[]
 * (room for 2); returns how many. */
int ql_field_extra_rows(const qstyle *s, const qnode *f, const char **label,
                        const char **value);
char *ql_clean_text(qarena *a, const qnode *n);

/* layout.c: anchors, marks, structure */
int ql_id_anchor(const L *l, const char *id);
void ql_make_anchors(L *l);
void ql_add_mark(L *l, int anchor, int outline);
void ql_elem_lang(L *l, int e, const qnode *n);
/* The document's language: xml:lang (or lang) on its root, or NULL. */
const char *ql_doc_lang(const quorum_doc *doc);
/* The words quorum prints in language lang (NULL: the document's), and
 * those of node n: in the language of its nearest xml:lang, so that each
 * part of a bilingual report has its own (docs/format.md, "Languages"). */
const qw_words *ql_words_for(L *l, const char *lang);
const qw_words *ql_words_of(L *l, const qnode *n);
void ql_add_outline(L *l, const char *title, int level);
void ql_mark_node(L *l, const qnode *n);

/* layout.c: a face, read on first use (the regular one when it fails) */
const qfont *ql_face(L *l, unsigned char face);

/* layout.c: staging items on boxes of the flow (y from the box top) */
qdl_item *ql_stage(L *l, qdl_kind kind, int elem);
size_t ql_push_line(L *l, float h, float before, unsigned flags);
void ql_end_line(L *l, size_t idx);
float ql_baseline(const L *l, float size, float lh);
void ql_stage_text(L *l, int elem, float x, float y, unsigned char face,
                   float size, uint32_t color, const char *s, size_t n);
void ql_stage_rule(L *l, float x, float y, float w, float h, float lw, uint32_t color);
void ql_stage_fill(L *l, int elem, float x, float y, float w, float h, uint32_t color);

/* layout.c: inline runs and text blocks */
rstyle ql_base_style(const bctx *c);
void ql_run_text(L *l, const rstyle *s, const char *t, size_t n);
int ql_is_inline(qdoc_type t);
void ql_run_mark(L *l, const rstyle *s, qdl_shape shape, const char *word,
                 int e);
void ql_run_break(L *l, const rstyle *s);

/* marks.c: inline values drawn as vector marks */
void ql_trend(L *l, const qnode *n, const rstyle *s, int parent_elem);
void ql_options(L *l, const qnode *n, const rstyle *s, int parent_elem);
void ql_collect(L *l, const qnode *first, const qnode *stop, rstyle s, int parent_elem);
void ql_set_label(L *l, const char *text, float x, int elem, unsigned char face);
void ql_flow_runs(L *l, const bctx *c, int elem, float before, float after, int keep_all);
void ql_para_nodes(L *l, const bctx *c, const qnode *first, const qnode *stop,
                   int elem, float before, float after);
qrole ql_head_role(int above);
int ql_heading_line(L *l, const bctx *c, const char *num, const qnode *h,
                    qrole role, int parent, float size, float lh,
                    float before, float after, float indent);

/* layout.c: one document's scratch context */
void ql_metadata(L *l, int whole_document);
int ql_ctx_init(L *l, qdlist *dl, const quorum_doc *doc, quorum_diags *d);
void ql_ctx_done(L *l);

/* The style's files outlive its arena in the display list (PDF/A-3b
 * attaches them; the style file as it was read). */
static inline void note_style_files(qdlist *dl, const qstyle *s) {
    dl->style_file = s->path ? qarena_strdup(dl->arena, s->path) : NULL;
    dl->style_logo = s->logo ? qarena_strdup(dl->arena, s->logo) : NULL;
    if (s->path && s->file_bytes)
        qdlist_add_source(dl, s->path, s->file_bytes, s->file_len);
}

/* blocks.c */
const qnode *ql_block(L *l, const bctx *c, const qnode *n);
void ql_blocks(L *l, const bctx *c, const qnode *first);
void ql_mixed(L *l, const bctx *c, const qnode *first, int elem);

/* figure.c */
void ql_image(L *l, const bctx *c, const qnode *n);
void ql_bar_chart(L *l, const bctx *c, const qnode *n);

/* table.c */
void ql_table(L *l, const bctx *c, const qnode *t, float size, float lh, float pad);
void ql_emit_table(L *l, const lline *box);

/* sections.c */
void ql_field_table(L *l, const bctx *c, const qnode *parent, int front);
void ql_document(L *l);

/* emit.c */
qdl_page *ql_page_at(qdlist *dl, int i);
qdl_item *ql_put(L *l, int page, qdl_kind kind, int elem);
void ql_copy_item(L *l, int page, const qdl_item *src, float dy, int elem_override);
void ql_place_marks(L *l, const lmark *m, int page, float y);
void ql_paginate_and_emit(L *l);

/* quorum_doc_layout of a report (not a meeting file) with a style already
 * loaded and the font dir in force (never NULL), for a style that is not
 * in the engine's cache (one given as bytes: qstyle_load_memory). */
quorum_layout *qlayout_doc_styled(const quorum_engine *e, const quorum_doc *doc,
                                  const qstyle *style, const char *dir,
                                  quorum_diags *d);

/* ---- agenda packs ---------------------------------------------------------
 * pack.c decides what goes in a pack; these draw it into one display list:
 * qpl_front (front sheet, agenda, information) first, then qpl_report /
 * qpl_exempt per item in agenda order, then qpl_finish stamps the agenda's
 * page column, the pack page numbers and the bookmark tree.  The agenda's
 * page column has a fixed width, so its page count never depends on the
 * numbers printed in it and one layout pass suffices. */
typedef struct qpack_entry {
    const qnode *item;         /* the agenda <item> */
    const char *number;        /* printed item number */
    const char *title;
    const char *exempt;        /* exempt-paragraph value, or NULL */
    const char *urgency;       /* late item: its reason, else NULL */
    const char *document;      /* a PDF item's own title where it differs
                                  from the item's, else NULL */
    int to_follow;             /* the report is to follow (a placeholder page) */
    int in_pack;               /* has pages in the pack (report, exempt or
                                  to-follow page) */
    /* out */
    int entry_anchor, start_anchor;
    int first_page, last_page; /* 0-based pack pages, -1 when none */
    size_t outline0, outline1; /* the report's own bookmarks */
    int col_page;              /* agenda page column item: page, index */
    size_t col_item;
} qpack_entry;

typedef struct qpack_l qpack_l;
qpack_l *qpl_new(const quorum_engine *e, const char *font_dir, quorum_diags *d);
/* style: as quorum_options.style (NULL = built in); NULL when it cannot be
 * loaded, with diagnostics.  font_dir NULL = the engine's. */
qpack_l *qpl_new_styled(const quorum_engine *e, const char *font_dir,
                        const char *style, quorum_diags *d);
void qpl_free(qpack_l *p);
/* supplement_published: "YYYY-MM-DD" or NULL; supplement != 0 heads the
 * front sheet "Supplementary Agenda". */
int qpl_front(qpack_l *p, const quorum_doc *meeting, qpack_entry *e, size_t n,
              int supplement, const char *supplement_published);
int qpl_report(qpack_l *p, qpack_entry *e, const quorum_doc *report);
/* qpl_report in two steps, so that reports are laid out on several
 * threads and spliced in agenda order: qpl_report_alone lays item e's
 * report out in a display list of its own (NULL on failure, said in d);
 * it only reads p and e, and may run on any thread, several at once, each
 * with its own d.  qpl_splice (the thread that owns p, in agenda order)
 * appends it to the pack and consumes it (NULL: the layout failed). */
qdlist *qpl_report_alone(const qpack_l *p, const qpack_entry *e,
                         const quorum_doc *report, quorum_diags *d);
int qpl_splice(qpack_l *p, qpack_entry *e, qdlist *report);
/* qpl_splice in two steps, so that a report's pages are drawn on the
 * worker that laid it out (issue 18, "Streaming a pack"): qpl_reserve
 * adds the pages report will take (after a blank page when printed
 * duplex, as qpl_splice), numbers them in the agenda and returns the
 * first (or -1, failed); the report's pack page numbers are then its
 * own to draw (qpl_number_report, on the worker, reading p only), so
 * qpl_finish leaves them; qpl_records_at, before it is drawn, copies
 * what the pack keeps of the report (its elements, anchors, outlines...:
 * qdlist_append_records; *at says where they went, *images what its
 * drawn pages are to name instead of its images), so the worker frees
 * the report once drawn (bytes: its sources' bytes kept too, for a
 * write that attaches them); qpl_items_at puts its items in its pages after
 * all, consuming it, when its drawing failed (the writer draws it then).
 * Items between may be added as usual.  0 or -1 (failed). */
int qpl_reserve(qpack_l *p, qpack_entry *e, const qdlist *report);
int qpl_number_report(const qpack_l *p, qdlist *report, int page0);
int qpl_records_at(qpack_l *p, qpack_entry *e, const qdlist *report, int page0,
                   qdl_splice *at, qdl_image **images, int bytes);
void qpl_items_at(qpack_l *p, qdlist *report, qdl_splice *at);
/* What a report laid out alone depends on besides itself and its item's
 * number, for the pack's cache (pack_cache.c): the style, new fonts as
 * qpl_report_alone gives its list (the caller owns them), the pack's
 * language (set by qpl_front). */
const qstyle *qpl_style(const qpack_l *p);
/* The pack's list as laid out so far (a writer beside the layout reads
 * the units final in it; qpl_finish returns the same list). */
struct qdlist *qpl_dl(const qpack_l *p);
qfonts *qpl_new_fonts(const qpack_l *p);
const char *qpl_lang(const qpack_l *p);
int qpl_exempt(qpack_l *p, qpack_entry *e);
/* The page standing for a report to follow. */
int qpl_to_follow(qpack_l *p, qpack_entry *e);
/* A PDF item (issue 15): one page per page of the PDF name (bytes[0..len),
 * recorded as a source of the display list), each sized like it, with
 * the PDF's page drawn by the writer into the page less a band at the
 * top (the agenda item label) and one at the bottom (the pack's page
 * number); its outline nested under the item's bookmark. */
/* ---- pages from elsewhere (issue 15) ----
 * A PDF's page (a pack's PDF item, a report's PDF appendix) is drawn into
 * a placeholder page of its own size, in a box that leaves bands at the
 * top and bottom for quorum's own marks: the label at the top ("Agenda
 * Item N", "Appendix N"), the pack's page number (and a report's footer
 * above it) at the bottom. */
#define QL_BAND_TOP 30.0f
#define QL_BAND_BOTTOM 36.0f
#define QL_BAND_FOOTER 48.0f
/* The footer's baseline on such a page: above the pack's number. */
#define QL_FOREIGN_FOOT 36.0f
/* pg shows page `page` of the source named name (qdlist_source): as it
 * is when its drawing stays content_top and content_bottom from its edges
 * (qpdfin_doc's top, bottom) clear of bands top and bottom high, else
 * shrunk to fit between them.  Returns the scale (1: as it is). */
float ql_foreign_page(qdl_page *pg, const char *name, unsigned page, float top,
                      float bottom, float content_top, float content_bottom);
/* The pages of one PDF that were shrunk (0-based, in order), said once:
 * "minutes.pdf: pages 2\u20135 shrunk to 92% to leave room for the page
 * number", a note at `at`; {0} to start, ql_shrunk_note ends it. */
typedef struct ql_shrunk {
    unsigned first, last, n;
    float least;
    qstr text;
} ql_shrunk;
void ql_shrunk_add(ql_shrunk *s, unsigned page, float scale);
void ql_shrunk_run(ql_shrunk *s);
void ql_shrunk_note(ql_shrunk *s, const char *name, qpos at, quorum_diags *d);
/* The band's label (bold 10 pt) at the top right of pg, tagged elem: a
 * heading on a PDF's first page, QDL_ART_HEADER on the pages after. */
void ql_band_label(qdlist *dl, qdl_page *pg, const qfont *bold, const char *label,
                   int elem);
/* The PDF appendix ap is, taking doc->pdfs in document order from
 * *cursor (advanced past it); NULL for an XML appendix. */
const qdoc_pdf *ql_pdf_of(const quorum_doc *doc, const qnode *ap, size_t *cursor);
/* What an appendix is called in the outline and the front sheet's list:
 * title= on the reference (front sheet only: listed), its <title>, a
 * PDF's own title, its href. */
const char *ql_appendix_title(qarena *a, const qnode *ap, const qdoc_pdf *pdf, int listed);
/* foreign.c: a PDF appendix's pages in the flow; after pagination, their
 * pages given the PDF's sizes and pages (b: the flow's boxes, placed). */
void ql_pdf_appendix(L *l, const qdoc_pdf *pdf, const qnode *ap, int i);
void ql_emit_foreign(L *l, const qpbox *b);

struct qpdfin_doc;
int qpl_pdf(qpack_l *p, qpack_entry *e, const char *name, const unsigned char *bytes,
            size_t len, const struct qpdfin_doc *doc, qpos at);
/* Consumes p. */
struct quorum_layout *qpl_finish(qpack_l *p, qpack_entry *e, size_t n,
                                 const char *creation_date);
#endif
