/* Layout internals shared by layout.c and the unit tests: the pagination
 * decisions are pure functions over heights, so they can be tested without
 * fonts or documents. */
#ifndef QUORUM_LAYOUT_H
#define QUORUM_LAYOUT_H
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

/* Plans a table whose rows 0..nhead-1 are header rows.  first_avail is the
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

/* ---- agenda packs ---------------------------------------------------------
 * pack.c decides what goes in a pack; these draw it into one display list:
 * qpl_front (front sheet, agenda, information) first, then qpl_report /
 * qpl_exempt per item in agenda order, then qpl_finish stamps the agenda's
 * page column, the pack page numbers and the bookmark tree.  The agenda's
 * page column has a fixed width, so its page count never depends on the
 * numbers printed in it and one layout pass suffices. */
#include "doc.h"

typedef struct qpack_entry {
    const qnode *item;         /* the agenda <item> */
    const char *number;        /* printed item number */
    const char *title;
    const char *exempt;        /* exempt-paragraph value, or NULL */
    const char *urgency;       /* late item: its reason, else NULL */
    int in_pack;               /* has pages in the pack (report or exempt page) */
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
int qpl_exempt(qpack_l *p, qpack_entry *e);
/* Consumes p. */
struct quorum_layout *qpl_finish(qpack_l *p, qpack_entry *e, size_t n,
                                 const char *creation_date);
#endif
