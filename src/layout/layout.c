/* Layout: document tree -> display list.
 *
 * Two passes.  First every block is turned into a flow of boxes (one per
 * text line, or one atomic box for a sign-off, image or chart, or one
 * splittable box per table) whose items are staged with y relative to the
 * box top.  Then qpaginate() assigns pages from heights and keep flags
 * alone, and the staged items are copied onto pages with their final y.
 * Keeping the decisions on heights makes them pure (see paginate.c) and
 * keeps the tree walk free of page bookkeeping. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dlist.h"
#include "doc.h"
#include "font.h"
#include "engine.h"
#include "layout.h"
#include "linebreak.h"
#include "qdate.h"
#include "quorum.h"
#include "style.h"


/* House style: the numbers come from the style in force (style.h; the
 * built-in default is qstyle_builtin in style.c).  Layout of one document runs on one
 * thread, so the style is a thread-local set by quorum_doc_layout and the
 * names below read like the constants they used to be. */
static _Thread_local const qstyle *S = &qstyle_builtin; /* never NULL */
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
#define HEAD_FACE (S->head_face)   /* QF_HEAD_REGULAR when the style sets a heading family, else 0 */
#define TABLE_FACE (S->table_face) /* likewise QF_TABLE_REGULAR */

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
} L;

static const qpos NOPOS = {0, 0, 0};

/* ---- small helpers ------------------------------------------------------ */

static void *grow(void *p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(p, c * elem);
    if (!q) qfatal_oom();
    *cap = c;
    return q;
}

static uint32_t parse_color(const char *s, uint32_t dflt) {
    if (!s || s[0] != '#' || strlen(s) != 7) return dflt;
    char *end;
    unsigned long v = strtoul(s + 1, &end, 16);
    return *end ? dflt : (uint32_t)v;
}

/* The colours of a table cell or chart segment: its own fill= and color=;
 * a rated one (rating="CODE") without a fill of its own takes the house
 * style's colours for the code, the built-in style's (R, A, G) when the
 * style has none, else white with black text, and its text colour goes
 * with that fill unless it sets color=.  (The report's own scale came
 * first: perf.c put its colours on the node.)  Returns 1 when there is a
 * fill to draw; *fill and *color are dfill and dcolor where nothing says
 * otherwise. */
static int node_colours(const qnode *n, uint32_t dfill, uint32_t dcolor,
                        uint32_t *fill, uint32_t *color) {
    const char *f = qdoc_attr(n, "fill"), *c = qdoc_attr(n, "color");
    const char *r = qdoc_attr(n, "rating");
    *fill = parse_color(f, dfill);
    *color = parse_color(c, dcolor);
    if (f || !r) return f != NULL;
    const qstyle_rating *q = qstyle_rating_of(S, r);
    *fill = q ? q->fill : 0xFFFFFF;
    if (!c) *color = q ? q->color : 0x000000;
    return 1;
}

static int attr_true(const qnode *n, const char *name) {
    const char *v = qdoc_attr(n, name);
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static float parse_len(const char *s, float rel) {
    if (!s || !*s) return -1;
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0) return -1;
    if (strcmp(end, "mm") == 0) return (float)(v * 72.0 / 25.4);
    if (strcmp(end, "cm") == 0) return (float)(v * 720.0 / 25.4);
    if (strcmp(end, "in") == 0) return (float)(v * 72.0);
    if (strcmp(end, "%") == 0) return (float)(v * rel / 100.0);
    if (strcmp(end, "px") == 0) return (float)(v * 0.75);
    return (float)v; /* pt or bare number */
}

static const char *months[12] = {"January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December"};

/* "2025-01-08" -> "8 January 2025"; other text is returned as is. */
static const char *format_date(qarena *a, const char *iso) {
    int y, m, d;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        return qarena_printf(a, "%d %s %d", d, months[m - 1], y);
    return iso ? iso : "";
}

/* Trimmed, space-collapsed copy of a node's text. */
static char *clean_text(qarena *a, const qnode *n) {
    char *s = qdoc_text(a, n);
    char *o = s;
    int sp = 1;
    for (char *p = s; *p; p++) {
        int is_sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (is_sp) { if (!sp) *o++ = ' '; sp = 1; }
        else { *o++ = *p; sp = 0; }
    }
    while (o > s && o[-1] == ' ') o--;
    *o = '\0';
    return s;
}

/* ---- anchors by id -------------------------------------------------------- */

static size_t hash_str(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int id_anchor(const L *l, const char *id) {
    if (!id || !l->nids_cap) return -1;
    size_t m = l->nids_cap - 1;
    for (size_t i = hash_str(id) & m;; i = (i + 1) & m) {
        if (!l->ids[i].id) return -1;
        if (strcmp(l->ids[i].id, id) == 0) return l->ids[i].anchor;
    }
}

/* One anchor per id, made before layout so links may point forward. */
static void make_anchors(L *l) {
    size_t n = 0;
    const qnode *root = l->doc->root;
    for (const qnode *x = root; x; x = qdoc_next(x, root))
        if (x->type != QN_TEXT && qdoc_attr(x, "id")) n++;
    size_t cap = 16;
    while (cap < 2 * n + 2) cap *= 2;
    l->ids = qarena_alloc(l->a, cap * sizeof *l->ids);
    l->nids_cap = cap;
    for (const qnode *x = root; x; x = qdoc_next(x, root)) {
        const char *id = x->type != QN_TEXT ? qdoc_attr(x, "id") : NULL;
        if (!id || id_anchor(l, id) >= 0) continue;
        size_t i = hash_str(id) & (cap - 1);
        while (l->ids[i].id) i = (i + 1) & (cap - 1);
        l->ids[i].id = id;
        l->ids[i].anchor = qdlist_add_anchor(l->dl);
    }
}

static void add_mark(L *l, int anchor, int outline) {
    if (anchor < 0 && outline < 0) return;
    lmark *m = qarena_alloc(l->a, sizeof *m);
    m->anchor = anchor;
    m->outline = outline;
    m->next = l->marks;
    l->marks = m;
}

/* xml:lang on an element overrides the document language for its
 * structure element. */
static void elem_lang(L *l, int e, const qnode *n) {
    const char *lang = qdoc_attr(n, "xml:lang");
    if (lang && (!l->dl->lang || strcmp(lang, l->dl->lang) != 0))
        QVEC_AT(&l->dl->elems, qdl_elem, e).lang = qarena_strdup(l->dl->arena, lang);
}

static void add_outline(L *l, const char *title, int level) {
    qdlist_add_outline(l->dl, title, level + l->outline_base, -1, 0);
}

static void mark_node(L *l, const qnode *n) {
    const char *id = qdoc_attr(n, "id");
    if (id) add_mark(l, id_anchor(l, id), -1);
}

/* ---- staging -------------------------------------------------------------- */

/* Push onto a vector kept in malloc'd memory: the flow and the staged
 * items are the two big arrays of a layout, and realloc grows them without
 * the copies and zeroing an arena vector would leave behind. */
static void *vpush(qvec *v) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 1024;
        void *d = realloc(v->data, cap * v->elem);
        if (!d) qfatal_oom();
        v->data = d;
        v->cap = cap;
    }
    void *slot = (char *)v->data + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

/* Faces are read when first used: a report without italics never reads
 * the italic files.  A face that cannot be read fails the layout (the
 * diagnostic names the file); until the end its text measures as regular. */
static void need_face(L *l, unsigned char face) {
    if (face >= QF__COUNT || l->faces[face]) return;
    qfont *f = qfonts_face(l->fonts, (qfont_face)face, l->d);
    if (!f) {
        l->face_failed = 1;
        f = l->faces[QF_REGULAR];
    }
    l->faces[face] = f;
    l->lb.faces[face] = f;
}

static qdl_item *stage(L *l, qdl_kind kind, int elem) {
    qdl_item *it = vpush(&l->st);
    it->kind = kind;
    it->elem = elem;
    it->dest = -1;
    return it;
}

static size_t push_line(L *l, float h, float before, unsigned flags) {
    lline *ln = vpush(l->out);
    ln->h = h;
    ln->before = before;
    ln->flags = flags;
    ln->item0 = l->st.len;
    ln->marks = l->marks;
    l->marks = NULL;
    return l->out->len - 1;
}

static void end_line(L *l, size_t idx) {
    lline *ln = &QVEC_AT(l->out, lline, idx);
    ln->nitems = l->st.len - ln->item0;
}

static float baseline(const L *l, float size, float lh) {
    const qfont *f = l->faces[0];
    float asc = (float)f->ascender / 1000.0f, desc = -(float)f->descender / 1000.0f;
    return (lh - (asc + desc) * size) / 2.0f + asc * size;
}

static void stage_text(L *l, int elem, float x, float y, unsigned char face,
                       float size, uint32_t color, const char *s, size_t n) {
    qdl_item *it = stage(l, QDL_TEXT, elem);
    it->x = x; it->y = y; it->face = face; it->size = size; it->h = size;
    /* Copied: labels and sign-off lines may point into the document,
     * which the caller may free before the display list (a pack frees
     * each report once laid out). */
    it->color = color; it->text = qarena_strndup(l->dl->arena, s, n); it->len = (unsigned)n;
    need_face(l, face);
    it->w = qlb_width(l->faces[face], s, n, size);
    l->faces[face]->used = 1;
}

static void stage_rule(L *l, float x, float y, float w, float h, float lw,
                       uint32_t color) {
    qdl_item *it = stage(l, QDL_RULE, -1);
    it->x = x; it->y = y; it->w = w; it->h = h; it->size = lw; it->color = color;
}

static void stage_fill(L *l, int elem, float x, float y, float w, float h,
                       uint32_t color) {
    qdl_item *it = stage(l, QDL_FILL, elem);
    it->x = x; it->y = y; it->w = w; it->h = h; it->color = color;
}

/* ---- inline runs ---------------------------------------------------------- */

typedef struct rstyle {
    unsigned char face, flags;
    float size, rise;
    uint32_t color;
    const char *uri;
    int dest, elem;
} rstyle;

static rstyle base_style(const bctx *c) {
    rstyle s = {c->face, 0, c->size, 0, c->color, NULL, -1, -1};
    return s;
}

static qlb_run *run_push(L *l, const rstyle *s) {
    l->runs = grow(l->runs, &l->cap_runs, l->nruns + 1, sizeof *l->runs);
    qlb_run *r = &l->runs[l->nruns++];
    memset(r, 0, sizeof *r);
    need_face(l, s->face);
    r->face = s->face; r->flags = s->flags; r->size = s->size; r->rise = s->rise;
    r->color = s->color; r->uri = s->uri; r->dest = s->dest; r->elem = s->elem;
    return r;
}

/* Text lands in the display list's arena: items point at it. */
static void run_text(L *l, const rstyle *s, const char *t, size_t n) {
    if (!n) return;
    qlb_run *r = run_push(l, s);
    r->text = qarena_strndup(l->dl->arena, t, n);
    r->len = (uint32_t)n;
}

static int is_inline(qdoc_type t) {
    switch (t) {
    case QN_TEXT: case QN_BOLD: case QN_ITALIC: case QN_SUP: case QN_SUB:
    case QN_LINK: case QN_REF: case QN_BREAK:
        return 1;
    default:
        return 0;
    }
}

static void collect(L *l, const qnode *first, const qnode *stop, rstyle s,
                    int parent_elem);

static void collect_node(L *l, const qnode *n, rstyle s, int parent_elem) {
    switch (n->type) {
    case QN_TEXT:
        run_text(l, &s, n->text, n->text_len);
        return;
    case QN_BOLD: s.face |= F_BOLD; break;
    case QN_ITALIC: s.face |= F_ITALIC; break;
    case QN_SUP: s.rise += s.size * 0.33f; s.size *= 0.65f; break;
    case QN_SUB: s.rise -= s.size * 0.15f; s.size *= 0.65f; break;
    case QN_BREAK: {
        rstyle b = s;
        b.flags = QLB_BREAK;
        run_push(l, &b);
        return;
    }
    case QN_LINK: {
        const char *href = qdoc_attr(n, "href");
        s.elem = qdlist_add_elem(l->dl, QR_LINK, s.elem >= 0 ? s.elem : parent_elem);
        s.color = LINK_COLOR;
        s.flags |= QLB_UNDERLINE;
        if (href && href[0] == '#') s.dest = id_anchor(l, href + 1);
        else if (href) s.uri = qarena_strdup(l->dl->arena, href);
        break;
    }
    case QN_REF: {
        const char *to = qdoc_attr(n, "to");
        const char *txt = qdoc_ref_text(l->a, l->doc, n);
        if (!txt) txt = to ? to : "?";
        int dest = id_anchor(l, to);
        s.flags |= QLB_NOBREAK; /* "paragraph 3.8" stays on one line */
        if (dest >= 0) {
            s.elem = qdlist_add_elem(l->dl, QR_LINK, s.elem >= 0 ? s.elem : parent_elem);
            s.dest = dest;
        }
        run_text(l, &s, txt, strlen(txt));
        return;
    }
    default: break;
    }
    collect(l, n->first, NULL, s, parent_elem);
}

static void collect(L *l, const qnode *first, const qnode *stop, rstyle s,
                    int parent_elem) {
    for (const qnode *c = first; c && c != stop; c = c->next) collect_node(l, c, s, parent_elem);
}

/* ---- text blocks ------------------------------------------------------------ */

static void set_label(L *l, const char *text, float x, int elem, unsigned char face) {
    l->label = text; l->label_x = x; l->label_elem = elem; l->label_face = face;
}

/* Breaks l->runs into lines of c's width and pushes them as boxes.
 * keep_all: headings keep every line with what follows. */
static void flow_runs(L *l, const bctx *c, int elem, float before, float after,
                      int keep_all) {
    size_t n = qlb_break(&l->lb, l->runs, l->nruns, c->w);
    if (n == 0 && !l->label) { l->nruns = 0; return; }
    size_t nl = n ? n : 1;
    unsigned char keepbuf[64];
    unsigned char *keep = nl <= sizeof keepbuf ? keepbuf : qarena_alloc(l->a, nl);
    qpg_para_keeps(nl, keep);
    float base = baseline(l, c->size, c->lh);
    for (size_t k = 0; k < nl; k++) {
        unsigned flags = (keep[k] || keep_all) ? QPB_KEEP : 0;
        size_t idx = push_line(l, c->lh, k == 0 ? fmaxf(l->pending_after, before) : 0, flags);
        if (k == 0 && l->label) {
            size_t len = strlen(l->label);
            stage_text(l, l->label_elem, l->label_x, base, l->label_face, c->size,
                       c->color, l->label, len);
            l->label = NULL;
        }
        if (k < n) {
            const qlb_line *ln = &l->lb.lines[k];
            float x0 = c->x;
            if (c->align == 1) x0 += (c->w - ln->width) / 2;
            else if (c->align == 2) x0 += c->w - ln->width;
            for (uint32_t f = 0; f < ln->nfrag; f++) {
                const qlb_frag *fr = &l->lb.frags[ln->frag0 + f];
                const qlb_run *r = &l->runs[fr->run];
                int e = r->elem >= 0 ? r->elem : elem;
                qdl_item *it = stage(l, QDL_TEXT, e);
                it->x = x0 + fr->x; it->y = base - r->rise; it->w = fr->w;
                it->h = r->size; it->size = r->size; it->face = r->face;
                it->color = r->color; it->text = r->text + fr->start; it->len = fr->len;
                l->faces[r->face]->used = 1;
                if (r->flags & QLB_UNDERLINE)
                    stage_rule(l, x0 + fr->x, base + 1.5f, fr->w, 0, 0.5f, r->color);
                if (r->uri || r->dest >= 0) {
                    qdl_item *lk = stage(l, QDL_LINK, e);
                    lk->x = x0 + fr->x; lk->y = 0; lk->w = fr->w; lk->h = c->lh;
                    lk->text = r->uri; lk->dest = r->dest;
                }
            }
        }
        end_line(l, idx);
    }
    l->pending_after = after;
    l->nruns = 0;
}

/* A paragraph from inline nodes [first, stop). */
static void para_nodes(L *l, const bctx *c, const qnode *first, const qnode *stop,
                       int elem, float before, float after) {
    l->nruns = 0;
    collect(l, first, stop, base_style(c), elem);
    flow_runs(l, c, elem, before, after, 0);
}

/* ---- blocks --------------------------------------------------------------- */

/* A paragraph whose only content is one <b> acts as a heading. */
static int all_bold(const qnode *n) {
    const qnode *b = NULL;
    for (const qnode *x = n->first; x; x = x->next) {
        if (x->type == QN_TEXT) {
            for (size_t i = 0; i < x->text_len; i++)
                if (x->text[i] != ' ') return 0;
        } else if (x->type == QN_BOLD && !b) {
            b = x;
        } else {
            return 0;
        }
    }
    return b != NULL;
}

/* Whether the last text of n, ignoring trailing spaces, ends with ':'. */
static int ends_with_colon(const qnode *n) {
    const qnode *t = NULL;
    for (const qnode *x = n; x; x = qdoc_next(x, n))
        if (x->type == QN_TEXT && x->text_len) t = x;
    if (!t) return 0;
    size_t i = t->text_len;
    while (i > 0 && t->text[i - 1] == ' ') i--;
    return i > 0 && t->text[i - 1] == ':';
}

static const qnode *block(L *l, const bctx *c, const qnode *n);
static void blocks(L *l, const bctx *c, const qnode *first) {
    for (const qnode *n = first; n;) n = block(l, c, n);
}
static void table(L *l, const bctx *c, const qnode *t, float size, float lh,
                  float pad);

/* Mixed content (li, cell, quote): runs of inline nodes become paragraphs,
 * block children are laid out in between. */
static void mixed(L *l, const bctx *c, const qnode *first, int elem) {
    const qnode *n = first;
    while (n) {
        if (is_inline(n->type)) {
            const qnode *s = n;
            while (n && is_inline(n->type)) n = n->next;
            para_nodes(l, c, s, n, elem, 0, c->para_after);
            continue;
        }
        bctx cc = *c;
        cc.elem = elem;
        n = block(l, &cc, n);
    }
}

/* The role of a heading one level below a heading of level `above` (0:
 * none): H1, H2, or H3 for anything deeper (reports have three levels). */
static qrole head_role(int above) {
    return above <= 0 ? QR_H1 : above == 1 ? QR_H2 : QR_H3;
}

static int heading_line(L *l, const bctx *c, const char *num, const qnode *h,
                        qrole role, int parent, float size, float lh,
                        float before, float after, float indent) {
    int e = qdlist_add_elem(l->dl, role, parent);
    bctx hc = *c;
    hc.face = HEAD_FACE | F_BOLD;
    hc.size = size;
    hc.lh = lh;
    hc.color = HEAD_COLOR;
    hc.align = 0;
    if (num) {
        set_label(l, num, c->num_x, e, HEAD_FACE | F_BOLD);
        hc.x = c->num_x + indent;
        hc.w = c->x + c->w - hc.x;
    }
    l->nruns = 0;
    if (h) collect(l, h->first, NULL, base_style(&hc), e);
    flow_runs(l, &hc, e, before, after, 1);
    return e;
}

static const char *list_label(qarena *a, int ordered, int depth, int i) {
    if (!ordered) return "\xE2\x80\xA2";
    if (depth % 2 == 1) {
        char s[16];
        int k = i, n = 0;
        char buf[8];
        do { buf[n++] = (char)('a' + k % 26); k = k / 26 - 1; } while (k >= 0 && n < 7);
        for (int j = 0; j < n; j++) s[j] = buf[n - 1 - j];
        s[n] = '\0';
        return qarena_printf(a, "%s)", s);
    }
    return qarena_printf(a, "%d.", i + 1);
}

static void list(L *l, const bctx *c, const qnode *n, int depth) {
    int ordered = attr_true(n, "ordered") || strcmp(n->name, "ol") == 0;
    int le = qdlist_add_elem(l->dl, QR_L, c->elem);
    mark_node(l, n);
    float ind = ordered ? 18.0f : 14.0f;
    /* deep nesting stops indenting before the text column gets too thin */
    if (c->w - ind < 72) ind = 0;
    int i = 0;
    for (const qnode *it = n->first; it; it = it->next) {
        if (it->type != QN_ITEM) continue;
        int li = qdlist_add_elem(l->dl, QR_LI, le);
        elem_lang(l, li, it);
        int lbl = qdlist_add_elem(l->dl, QR_LBL, li);
        int body = qdlist_add_elem(l->dl, QR_LBODY, li);
        mark_node(l, it);
        /* an item may carry its own marker ("a.", "(iv)", "Step 1") */
        const char *own = qdoc_attr(it, "label");
        set_label(l, own ? own : list_label(l->dl->arena, ordered, depth, i), c->x,
                  lbl, c->face);
        if (i > 0) l->pending_after = 3;
        size_t first_line = l->out->len;
        bctx ic = *c;
        ic.x = c->x + ind;
        ic.w = c->w - ind;
        ic.elem = body;
        ic.para_after = 3;
        /* items: inline text then nested lists */
        const qnode *x = it->first;
        while (x) {
            if (is_inline(x->type)) {
                const qnode *s = x;
                while (x && is_inline(x->type)) x = x->next;
                l->nruns = 0;
                collect(l, s, x, base_style(&ic), body);
                flow_runs(l, &ic, body, 0, 3, 0);
                continue;
            }
            if (x->type == QN_LIST) {
                bctx nc = ic;
                list(l, &nc, x, depth + 1);
                x = x->next;
            } else {
                x = block(l, &ic, x);
            }
        }
        l->label = NULL;
        /* a one-line first item keeps with the second, so what precedes
         * the list (a heading, a lead-in) has two lines after it */
        if (i == 0 && l->out->len == first_line + 1 && it->next)
            QVEC_AT(l->out, lline, first_line).flags |= QPB_KEEP;
        i++;
    }
    l->pending_after = c->para_after;
}

static void recommendations(L *l, const bctx *c, const qnode *n, int depth,
                            int le) {
    int i = 0;
    for (const qnode *r = n->first; r; r = r->next) {
        if (r->type == QN_LEAD_IN) {
            int p = qdlist_add_elem(l->dl, QR_P, c->elem);
            mark_node(l, r);
            size_t before = l->out->len;
            para_nodes(l, c, r->first, NULL, p, 0, PARA_AFTER);
            if (l->out->len > before)   /* a lead-in keeps with what it leads */
                QVEC_AT(l->out, lline, l->out->len - 1).flags |= QPB_KEEP;
            continue;
        }
        if (r->type != QN_RECOMMENDATION) continue;
        if (le < 0) le = qdlist_add_elem(l->dl, QR_L, c->elem);
        int li = qdlist_add_elem(l->dl, QR_LI, le);
        elem_lang(l, li, r);
        int lbl = qdlist_add_elem(l->dl, QR_LBL, li);
        int body = qdlist_add_elem(l->dl, QR_LBODY, li);
        mark_node(l, r);
        bctx rc = *c;
        rc.face = F_BOLD;
        rc.elem = body;
        const char *num;
        if (depth == 0) {
            num = r->number ? r->number : qarena_printf(l->dl->arena, "%d.", i + 1);
            set_label(l, num, c->numbered ? c->num_x : c->x, lbl, F_BOLD);
            if (!c->numbered) { rc.x = c->x + NUM_INDENT; rc.w = c->w - NUM_INDENT; }
        } else {
            num = r->number ? qarena_printf(l->dl->arena, "(%s)", r->number)
                            : qarena_printf(l->dl->arena, "(%c)", 'a' + i % 26);
            set_label(l, num, c->x, lbl, F_BOLD);
            rc.x = c->x + HEAD_INDENT;
            rc.w = c->w - HEAD_INDENT;
        }
        const qnode *x = r->first;
        while (x && x->type != QN_RECOMMENDATION) x = x->next;
        l->nruns = 0;
        collect(l, r->first, x, base_style(&rc), body);
        flow_runs(l, &rc, body, 0, depth ? 3 : PARA_AFTER, 0);
        l->label = NULL;
        if (x) {
            bctx nc = rc;
            nc.numbered = 0;
            int sub = qdlist_add_elem(l->dl, QR_L, body);
            recommendations(l, &nc, r, depth + 1, sub);
        }
        i++;
    }
}

static void sign_off(L *l, const bctx *c, const qnode *n) {
    const char *name = qdoc_attr(n, "name");
    const char *title = qdoc_attr(n, "title");
    const char *date = format_date(l->dl->arena, qdoc_attr(n, "date"));
    qarena *da = l->dl->arena;
    int e = qdlist_add_elem(l->dl, QR_P, c->elem);
    mark_node(l, n);
    float pad = 5, lh = BODY_LH;
    float base = baseline(l, BODY_SIZE, lh);
    float h = 3 * lh + 2 * pad;
    size_t idx = push_line(l, h, l->pending_after, 0);
    stage_fill(l, -1, c->x, 0, c->w, h, BOX_FILL);
    stage_rule(l, c->x, 0, c->w, 0, 0.5f, RULE_COLOR);
    stage_rule(l, c->x, h, c->w, 0, 0.5f, RULE_COLOR);
    stage_rule(l, c->x, 0, 0, h, 0.5f, RULE_COLOR);
    stage_rule(l, c->x + c->w, 0, 0, h, 0.5f, RULE_COLOR);
    const char *lead = "Implications Verified by ";
    float x = c->x + pad;
    stage_text(l, e, x, pad + base, QF_REGULAR, BODY_SIZE, 0, lead, strlen(lead));
    float lw = qlb_width(l->faces[0], lead, strlen(lead), BODY_SIZE);
    if (name) {
        const char *nm = qarena_strdup(da, name);
        stage_text(l, e, x + lw, pad + base, QF_BOLD, BODY_SIZE, 0, nm, strlen(nm));
    }
    if (title) {
        const char *t = qarena_strdup(da, title);
        stage_text(l, e, x, pad + lh + base, QF_REGULAR, BODY_SIZE, 0, t, strlen(t));
    }
    const char *dl = qarena_printf(da, "Date %s", date);
    stage_text(l, e, x, pad + 2 * lh + base, QF_REGULAR, BODY_SIZE, 0, dl, strlen(dl));
    end_line(l, idx);
    l->pending_after = PARA_AFTER;
}

/* PNG size from its IHDR; 0 when not a PNG. */
static int png_size(const char *path, unsigned *w, unsigned *h) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char b[24];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (n < 24 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) return 0;
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    return *w && *h;
}

static void image(L *l, const bctx *c, const qnode *n) {
    const char *src = qdoc_attr(n, "src");
    if (!src) return;
    const char *path = src[0] == '/' || !l->doc->dir
        ? qarena_strdup(l->dl->arena, src)
        : qarena_printf(l->dl->arena, "%s/%s", l->doc->dir, src);
    unsigned pw = 0, ph = 0;
    int known = png_size(path, &pw, &ph);
    float w = parse_len(qdoc_attr(n, "width"), c->w);
    if (w <= 0) w = known ? (float)pw * 0.75f : c->w / 2;
    if (w > c->w) w = c->w;
    float h = known ? w * (float)ph / (float)pw : w * 0.75f;
    if (h > BODY_H * 0.9f) { w *= BODY_H * 0.9f / h; h = BODY_H * 0.9f; }
    int e = qdlist_add_elem(l->dl, QR_FIGURE, c->elem);
    const char *alt = qdoc_attr(n, "alt");
    QVEC_AT(&l->dl->elems, qdl_elem, e).alt = alt ? qarena_strdup(l->dl->arena, alt) : NULL;
    mark_node(l, n);
    size_t idx = push_line(l, h, l->pending_after, 0);
    qdl_item *it = stage(l, QDL_IMAGE, e);
    it->x = c->x; it->y = 0; it->w = w; it->h = h; it->text = path;
    it->len = (unsigned)strlen(path);
    end_line(l, idx);
    l->pending_after = c->para_after;
}

/* printf onto a growing malloc'd string */
static void sb_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void sb_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    while (*len + (size_t)need + 1 > *cap) {
        *cap *= 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) qfatal_oom();
    }
    va_start(ap, fmt);
    vsnprintf(*buf + *len, *cap - *len, fmt, ap);
    va_end(ap);
    *len += (size_t)need;
}

/* Horizontal stacked bars; the whole chart is one Figure whose alt is the
 * chart's text equivalent. */
static void bar_chart(L *l, const bctx *c, const qnode *n) {
    qarena *da = l->dl->arena;
    int e = qdlist_add_elem(l->dl, QR_FIGURE, c->elem);
    mark_node(l, n);
    const char *caption = qdoc_attr(n, "caption");
    const char *alt = qdoc_attr(n, "alt");
    double maxv = 0;
    int nbars = 0;
    /* generated alt text and the scale */
    size_t cap = 256, len = 0;
    char *gen = malloc(cap);
    if (!gen) qfatal_oom();
    gen[0] = '\0';
if (caption) sb_printf(&gen, &len, &cap, "%s. ", caption);
    for (const qnode *b = n->first; b; b = b->next) {
        if (b->type != QN_BAR) continue;
        nbars++;
        double tot = 0;
        const char *bl = qdoc_attr(b, "label");
        sb_printf(&gen, &len, &cap, "%s%s:", nbars > 1 ? "; " : "", bl ? bl : "");
        int k = 0;
        for (const qnode *s = b->first; s; s = s->next) {
            if (s->type != QN_SEGMENT) continue;
            const char *v = qdoc_attr(s, "value");
            const char *sl = qdoc_attr(s, "label");
            double dv = v ? strtod(v, NULL) : 0;
            if (dv > 0) tot += dv;
            sb_printf(&gen, &len, &cap, "%s %s %s", k ? "," : "", sl ? sl : "", v ? v : "0");
            k++;
        }
        if (tot > maxv) maxv = tot;
    }
    QVEC_AT(&l->dl->elems, qdl_elem, e).alt = qarena_strdup(da, alt ? alt : gen);
    free(gen);
    float lh = 12.5f, size = 9, barh = 16, gap = 6;
    float label_w = c->w * 0.3f, bx = c->x + label_w + 6, bw = c->x + c->w - bx;
    float h = (caption ? lh + 4 : 0) + nbars * (barh + gap) + lh + 4;
    size_t idx = push_line(l, h, l->pending_after, 0);
    float y = 0;
    if (caption) {
        const char *cp = qarena_strdup(da, caption);
        stage_text(l, e, c->x, y + baseline(l, 10, lh), QF_BOLD, 10, 0, cp, strlen(cp));
        y += lh + 4;
    }
    /* legend entries: distinct segment labels in first-seen order */
    const qnode *legend[32];
    int nleg = 0;
    for (const qnode *b = n->first; b; b = b->next) {
        if (b->type != QN_BAR) continue;
        const char *bl = qdoc_attr(b, "label");
        if (bl) {
            const char *t = qarena_strdup(da, bl);
            stage_text(l, e, c->x, y + baseline(l, size, barh), QF_REGULAR, size, 0, t, strlen(t));
        }
        float x = bx;
        for (const qnode *s = b->first; s; s = s->next) {
            if (s->type != QN_SEGMENT) continue;
            const char *v = qdoc_attr(s, "value");
            double dv = v ? strtod(v, NULL) : 0;
            if (dv <= 0 || maxv <= 0) continue;
            float w = (float)(dv / maxv) * bw;
            uint32_t fill, color;
            node_colours(s, 0x808080, 0, &fill, &color);
            stage_fill(l, e, x, y, w, barh, fill);
            const char *vt = qarena_strdup(da, v);
            float tw = qlb_width(l->faces[0], vt, strlen(vt), size);
            if (tw + 4 <= w)
                stage_text(l, e, x + (w - tw) / 2, y + baseline(l, size, barh), QF_REGULAR,
                           size, color, vt, strlen(vt));
            x += w;
            const char *sl = qdoc_attr(s, "label");
            int seen = 0;
            for (int i = 0; i < nleg; i++) {
                const char *o = qdoc_attr(legend[i], "label");
                if (sl && o && strcmp(o, sl) == 0) seen = 1;
            }
            if (sl && !seen && nleg < 32) legend[nleg++] = s;
        }
        y += barh + gap;
    }
    float x = c->x;
    for (int i = 0; i < nleg; i++) {
        const char *sl = qarena_strdup(da, qdoc_attr(legend[i], "label"));
        uint32_t fill, color;
        node_colours(legend[i], 0x808080, 0, &fill, &color);
        stage_fill(l, e, x, y + 2, 8, 8, fill);
        stage_text(l, e, x + 11, y + baseline(l, size, lh), QF_REGULAR, size, 0, sl, strlen(sl));
        x += 11 + qlb_width(l->faces[0], sl, strlen(sl), size) + 12;
    }
    end_line(l, idx);
    l->pending_after = c->para_after;
}

/* Lays out block n (or a run of inline siblings starting at n); returns
 * the next node to lay out. */
static const qnode *block(L *l, const bctx *c, const qnode *n) {
    {
        switch (n->type) {
        case QN_PARA: {
            int e = qdlist_add_elem(l->dl, QR_P, c->elem);
            elem_lang(l, e, n);
            mark_node(l, n);
            if (c->numbered && n->number) set_label(l, n->number, c->num_x, e, c->face);
            size_t before = l->out->len;
            para_nodes(l, c, n->first, NULL, e, 0, c->para_after);
            l->label = NULL;
            /* "... as follows:" or an all-bold line introduces the list
             * or table after it */
            if (l->out->len > before && n->next &&
                (n->next->type == QN_LIST || n->next->type == QN_TABLE) &&
                (ends_with_colon(n) || all_bold(n)))
                QVEC_AT(l->out, lline, l->out->len - 1).flags |= QPB_KEEP;
            break;
        }
        case QN_SUBHEADING: {
            mark_node(l, n);
            /* generated outcome headings are bookmarked one level down */
            const char *lv = qdoc_attr(n, "level");
            if (lv && strcmp(lv, "outcome") == 0) {
                int anchor = id_anchor(l, qdoc_attr(n, "id"));
                if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
                add_mark(l, anchor, -1);
                /* outcomes are the appendix's main navigation: level 2
                 * wherever the placeholder stood */
                int lvl = c->in_appendix ? 2 : c->level + 1;
                add_outline(l, clean_text(l->dl->arena, n), lvl);
                add_mark(l, -1, (int)l->dl->outlines.len - 1);
            }
            /* H3 in a section, H2 where only an H1 stands above (a
             * report's top level, an appendix without sections, the
             * pack's information page) */
            heading_line(l, c, NULL, n, head_role(c->hlevel), c->elem, BODY_SIZE, BODY_LH,
                         8, 4, 0);
            break;
        }
        case QN_LIST:
            list(l, c, n, 0);
            break;
        case QN_QUOTE: {
            int e = qdlist_add_elem(l->dl, QR_BLOCKQUOTE, c->elem);
            mark_node(l, n);
            bctx q = *c;
            if (q.w - 48 >= 72) { q.x += 24; q.w -= 48; }
            q.face |= F_ITALIC; q.elem = e; q.numbered = 0;
            mixed(l, &q, n->first, e);
            break;
        }
        case QN_TABLE:
            if (c->in_cell) break;  /* nested tables are not laid out */
            table(l, c, n, TABLE_SIZE, TABLE_LH, TABLE_PAD);
            break;
        case QN_IMAGE:
            image(l, c, n);
            break;
        case QN_BAR_CHART:
            bar_chart(l, c, n);
            break;
        case QN_RECOMMENDATIONS:
            mark_node(l, n);
            recommendations(l, c, n, 0, -1);
            break;
        case QN_SIGN_OFF:
            sign_off(l, c, n);
            break;
        case QN_NOT_APPLICABLE: {
            int e = qdlist_add_elem(l->dl, QR_P, c->elem);
            elem_lang(l, e, n);
            mark_node(l, n);
            bctx q = *c;
            q.face |= F_ITALIC;
            l->nruns = 0;
            rstyle s = base_style(&q);
            run_text(l, &s, "Not applicable: ", 16);
            collect(l, n->first, NULL, s, e);
            flow_runs(l, &q, e, 0, c->para_after, 0);
            break;
        }
        case QN_TEXT: case QN_BOLD: case QN_ITALIC: case QN_SUP: case QN_SUB:
        case QN_LINK: case QN_REF: case QN_BREAK: {
            /* inline content at block level (e.g. a cell's text next to
             * blocks): one paragraph per run of inline siblings */
            const qnode *s = n;
            while (n->next && is_inline(n->next->type)) n = n->next;
            int e = c->in_cell ? c->elem : qdlist_add_elem(l->dl, QR_P, c->elem);
            para_nodes(l, c, s, n->next, e, 0, c->para_after);
            break;
        }
        case QN_HEADING: case QN_TITLE: case QN_SUBTITLE: case QN_COL:
        case QN_PERIODS: case QN_PERIOD: case QN_SCALE: case QN_RATING_VALUE:
        case QN_CRITERION: case QN_CRITERION_TEXT: case QN_RATED:
        case QN_FIELD: case QN_QA:
            break; /* handled by their parents, or data only */
        default:
            /* containers of generated content (performance, outcome
             * details ...): lay out their children */
            mark_node(l, n);
            blocks(l, c, n->first);
            break;
        }
    }
    return n->next;
}

/* ---- tables ----------------------------------------------------------------- */

static void table(L *l, const bctx *c, const qnode *t, float size, float lh,
                  float pad) {
    qarena *a = l->a;
    /* columns */
    int ncols = 0, nspec = 0, nrows = 0;
    /* columns a row needs: its cells plus those held by rowspans above */
    int held_rows[64], held_cols[64], nheld = 0;
    for (const qnode *x = t->first; x; x = x->next) {
        if (x->type == QN_COL) nspec++;
        if (x->type != QN_ROW) continue;
        nrows++;
        int w = 0;
        for (int h = 0; h < nheld; h++) w += held_cols[h];
        int n0 = nheld;
        for (const qnode *cl = x->first; cl; cl = cl->next) {
            if (cl->type != QN_CELL) continue;
            const char *cs = qdoc_attr(cl, "colspan");
            const char *rs = qdoc_attr(cl, "rowspan");
            int span = cs ? atoi(cs) : 1;
            if (span < 1) span = 1;
            w += span;
            if (rs && atoi(rs) > 1 && nheld < 64) {
                held_rows[nheld] = atoi(rs);
                held_cols[nheld++] = span;
            }
        }
        if (w > ncols) ncols = w;
        /* age the spans that were active in this row */
        int k2 = 0;
        for (int h = 0; h < nheld; h++) {
            if (h >= n0 || --held_rows[h] > 0) {
                if (h >= n0) held_rows[h]--;
                held_rows[k2] = held_rows[h];
                held_cols[k2++] = held_cols[h];
            }
        }
        nheld = k2;
    }
    if (nspec > ncols) ncols = nspec;
    if (ncols == 0 || nrows == 0) return;
    const char **spec = qarena_alloc(a, sizeof *spec * (size_t)ncols);
    int k = 0;
    for (const qnode *x = t->first; x; x = x->next)
        if (x->type == QN_COL) spec[k++] = qdoc_attr(x, "width");
    float *cw = qarena_alloc(a, sizeof *cw * (size_t)ncols);
    qlayout_col_widths(spec, ncols, c->w, cw);
    float *cx = qarena_alloc(a, sizeof *cx * (size_t)(ncols + 1));
    cx[0] = c->x;
    for (int i = 0; i < ncols; i++) cx[i + 1] = cx[i] + cw[i];

    ltable *tb = qarena_alloc(a, sizeof *tb);
    tb->next_alloc = l->tables;
    l->tables = tb;
    tb->rows = qarena_alloc(a, sizeof *tb->rows * (size_t)nrows);
    tb->qrows = qarena_alloc(a, sizeof *tb->qrows * (size_t)nrows);
    tb->x = c->x;
    tb->w = c->w;
    int te = qdlist_add_elem(l->dl, QR_TABLE, c->elem);
    const char *caption = qdoc_attr(t, "caption");
    if (caption) /* not printed (the author's text carries it); kept for tagging */
        QVEC_AT(&l->dl->elems, qdl_elem, te).alt = qarena_strdup(l->dl->arena, caption);
    mark_node(l, t);
    lmark *outer_marks = l->marks;
    l->marks = NULL;
    int thead = -1, tbody = -1;
    qvec *save_out = l->out;
    float save_after = l->pending_after;
    int r = 0, in_head = 1;
    lmark *cell_marks = NULL;
    int *occ = qarena_alloc(a, sizeof *occ * (size_t)ncols); /* rowspans from above */
    for (const qnode *x = t->first; x; x = x->next) {
        if (x->type != QN_ROW) continue;
        int header = attr_true(x, "header");
        if (!header) in_head = 0;
        if (header && in_head) tb->nhead++;
        int group;
        if (header && in_head) {
            if (thead < 0) thead = qdlist_add_elem(l->dl, QR_THEAD, te);
            group = thead;
        } else {
            if (tbody < 0) tbody = qdlist_add_elem(l->dl, QR_TBODY, te);
            group = tbody;
        }
        int tr = qdlist_add_elem(l->dl, QR_TR, group);
        lrow *row = &tb->rows[r];
        row->keep_next = attr_true(x, "keep-with-next");
        int nc = 0;
        for (const qnode *cl = x->first; cl; cl = cl->next) nc += cl->type == QN_CELL;
        row->cells = qarena_alloc(a, sizeof *row->cells * (size_t)(nc ? nc : 1));
        qtcell *qc = qarena_alloc(a, sizeof *qc * (size_t)(nc ? nc : 1));
        int col = 0, ci = 0, qi = 0;
        float rh = lh + 2 * pad;
        for (const qnode *cl = x->first; cl; cl = cl->next) {
            if (cl->type != QN_CELL) continue;
            while (col < ncols && occ[col] > 0) col++;
            if (col >= ncols) continue;
            const char *cs = qdoc_attr(cl, "colspan");
            int span = cs ? atoi(cs) : 1;
            if (span < 1) span = 1;
            if (col + span > ncols) span = ncols - col;
            for (int k2 = col + 1; k2 < col + span; k2++)
                if (occ[k2] > 0) { span = k2 - col; break; }
            const char *rs = qdoc_attr(cl, "rowspan");
            int rspan = rs ? atoi(rs) : 1;
            if (rspan < 1) rspan = 1;
            if (rspan > nrows - r) rspan = nrows - r;
            lcell *ce = &row->cells[ci];
            ce->x = cx[col];
            ce->w = cx[col + span] - cx[col];
            ce->pad = pad;
            ce->rowspan = rspan;
            if (rspan > 1)
                for (int k2 = col; k2 < col + span; k2++) occ[k2] = rspan;
            col += span;
            const char *scope = qdoc_attr(cl, "scope");
            int is_th = header || (scope && strcmp(scope, "row") == 0);
            int e = qdlist_add_elem(l->dl, is_th ? QR_TH : QR_TD, tr);
            elem_lang(l, e, cl);
            qdl_elem *el = &QVEC_AT(&l->dl->elems, qdl_elem, e);
            if (is_th) el->scope = header ? 2 : 1;
            const char *alt = qdoc_attr(cl, "alt");
            if (alt) el->alt = qarena_strdup(l->dl->arena, alt);
            uint32_t cell_color;
            if (node_colours(cl, 0xFFFFFF, TEXT_COLOR, &ce->fill, &cell_color))
                ce->has_fill = 1;
            else if (header) { ce->fill = TABLE_HEAD_FILL; ce->has_fill = 1; }
            bctx cc = *c;
            cc.x = ce->x + pad;
            cc.w = ce->w - 2 * pad;
            if (cc.w < 1) cc.w = 1;
            cc.num_x = cc.x;
            cc.numbered = 0;
            cc.elem = e;
            cc.face = TABLE_FACE | ((header || attr_true(cl, "bold")) ? F_BOLD : 0);
            cc.size = size;
            cc.lh = lh;
            cc.para_after = 4;
            cc.color = cell_color;
            const char *al = qdoc_attr(cl, "align");
            cc.align = al && strcmp(al, "center") == 0 ? 1 : al && strcmp(al, "right") == 0 ? 2 : 0;
            cc.in_cell = 1;
            ce->line0 = l->clines.len;
            l->out = &l->clines;
            l->pending_after = 0;
            mark_node(l, cl);
            mixed(l, &cc, cl->first, e);
            l->label = NULL;
            size_t nl = ce->nlines = l->clines.len - ce->line0;
            ce->top = qarena_alloc(a, sizeof(float) * (nl ? nl : 1));
            ce->bottom = qarena_alloc(a, sizeof(float) * (nl ? nl : 1));
            float y = 0;
            for (size_t i = 0; i < nl; i++) {
                lline *ln = &QVEC_AT(&l->clines, lline, ce->line0 + i);
                if (i > 0) y += ln->before;
                ce->top[i] = y;
                y += ln->h;
                ce->bottom[i] = y;
                for (lmark *m = ln->marks; m;) {
                    lmark *nx = m->next;
                    m->next = cell_marks;
                    cell_marks = m;
                    m = nx;
                }
                ln->marks = NULL;
            }
            if (l->marks) { /* an id with no line (empty cell) */
                for (lmark *m = l->marks; m;) { lmark *nx = m->next; m->next = cell_marks; cell_marks = m; m = nx; }
                l->marks = NULL;
            }
            ce->content_h = y + 2 * pad;
            if (rspan > 1) {
                /* its height is shared by the rows it spans (below) */
                ce->qi = -1;
            } else {
                if (y + 2 * pad > rh) rh = y + 2 * pad;
                ce->qi = qi;
                qc[qi].nlines = (int)nl;
                qc[qi].bottom = ce->bottom;
                qc[qi].pad = 2 * pad;
                qi++;
            }
            ci++;
        }
        for (int k2 = 0; k2 < ncols; k2++) if (occ[k2] > 0) occ[k2]--;
        row->ncells = ci;
        row->h = rh;
        tb->qrows[r].h = rh;
        tb->qrows[r].keep_next = row->keep_next;
        tb->qrows[r].ncells = qi;
        tb->qrows[r].cells = qc;
        r++;
    }
    tb->nrows = r;
    /* Rows spanned by a cell stay together and are together at least as
     * tall as the cell. */
    for (int i = 0; i < tb->nrows; i++)
        for (int c2 = 0; c2 < tb->rows[i].ncells; c2++) {
            const lcell *ce = &tb->rows[i].cells[c2];
            if (ce->rowspan < 2) continue;
            int end = i + ce->rowspan - 1;
            if (end >= tb->nrows) end = tb->nrows - 1;
            float have = 0;
            for (int j = i; j <= end; j++) have += tb->rows[j].h;
            if (ce->content_h > have) {
                tb->rows[end].h += ce->content_h - have;
                tb->qrows[end].h = tb->rows[end].h;
            }
            for (int j = i; j < end; j++) tb->rows[j].keep_next = tb->qrows[j].keep_next = 1;
        }
    l->out = save_out;
    l->pending_after = save_after;
    l->marks = outer_marks;
    for (lmark *m = cell_marks; m;) { lmark *nx = m->next; m->next = l->marks; l->marks = m; m = nx; }
    float need = 0;
    for (int i = 0; i < tb->nhead; i++) need += tb->rows[i].h;
    if (tb->nhead < tb->nrows) {
        float fh = tb->rows[tb->nhead].h;
        need += fh < BODY_H / 3 ? fh : lh + 2 * pad;
    }
    if (need > BODY_H) need = BODY_H;
    size_t idx = push_line(l, need, l->pending_after + 2, QPB_SPLIT);
    QVEC_AT(l->out, lline, idx).table = tb;
    end_line(l, idx);
    l->pending_after = c->para_after + 2;
}

/* A two-column label/value table from fields (front sheet, form). */
static void field_table(L *l, const bctx *c, const qnode *parent, int front) {
    qarena *a = l->a;
    qnode *t = qdoc_node_new(a, QN_TABLE, NULL, NOPOS);
    qnode *c1 = qdoc_node_new(a, QN_COL, NULL, NOPOS);
    qdoc_attr_set(a, c1, "width", "35%", NOPOS);
    qnode *c2 = qdoc_node_new(a, QN_COL, NULL, NOPOS);
    qdoc_attr_set(a, c2, "width", "65%", NOPOS);
    qdoc_append(t, c1);
    qdoc_append(t, c2);
    int nf = 0;
    for (const qnode *f = parent->first; f; f = f->next) {
        if (f->type != QN_FIELD) continue;
        nf++;
        qnode *row = qdoc_node_new(a, QN_ROW, NULL, NOPOS);
        qnode *lc = qdoc_node_new(a, QN_CELL, NULL, NOPOS);
        qdoc_attr_set(a, lc, "fill", FRONT_LABEL_FILL, NOPOS);
        qdoc_attr_set(a, lc, "bold", "true", NOPOS);
        qdoc_attr_set(a, lc, "scope", "row", NOPOS);
        const char *label = qdoc_attr(f, "label");
        qnode *lt = qdoc_node_new(a, QN_TEXT, NULL, NOPOS);
        lt->text = label ? label : "";
        lt->text_len = strlen(lt->text);
        qdoc_append(lc, lt);
        qnode *vc = qdoc_node_new(a, QN_CELL, NULL, NOPOS);
        const char *role = qdoc_attr(f, "role");
        if (role && strcmp(role, "title") == 0) qdoc_attr_set(a, vc, "bold", "true", NOPOS);
        const char *id = qdoc_attr(f, "id");
        if (id) qdoc_attr_set(a, vc, "id", id, NOPOS);
        if (front && role && strcmp(role, "appendices") == 0 && !f->first) {
            /* generated: "1. Title" per appendix, one per line */
            const qnode *aps = qdoc_first_child_of(l->doc->root, QN_APPENDICES);
            int i = 0;
            for (const qnode *ap = aps ? aps->first : NULL; ap; ap = ap->next) {
                if (ap->type != QN_APPENDIX) continue;
                /* The front sheet may list an appendix under another name
                 * than the title it carries (title= on the reference). */
                const qnode *tt = qdoc_first_child_of(ap, QN_TITLE);
                const char *listed = qdoc_attr(ap, "title");
                const char *num = ap->number ? ap->number : qarena_printf(a, "%d", i + 1);
                if (i > 0) qdoc_append(vc, qdoc_node_new(a, QN_BREAK, NULL, NOPOS));
                qnode *x = qdoc_node_new(a, QN_TEXT, NULL, NOPOS);
                x->text = qarena_printf(a, "%s. %s", num,
                                        listed ? listed : tt ? clean_text(a, tt) : "");
                x->text_len = strlen(x->text);
                qdoc_append(vc, x);
                i++;
            }
        } else {
            /* borrow the field's children without relinking them */
            vc->first = f->first;
            vc->last = f->last;
        }
        qdoc_append(row, lc);
        qdoc_append(row, vc);
        qdoc_append(t, row);
    }
    if (nf) table(l, c, t, BODY_SIZE, BODY_LH, FRONT_PAD);
}

/* Returns whether it laid out a heading (the report's H1). */
static int front_sheet(L *l, const bctx *c, const qnode *fs) {
    int sect = qdlist_add_elem(l->dl, QR_SECT, l->root_elem);
    bctx fc = *c;
    fc.elem = sect;
    fc.x = MARGIN_L;
    fc.w = l->body_w;
    mark_node(l, fs);
    const qnode *h = qdoc_first_child_of(fs, QN_HEADING);
    if (h) {
        mark_node(l, h);
        heading_line(l, &fc, NULL, h, QR_H1, sect, H1_SIZE, H1_LH, 0, H1_AFTER, 0);
        /* a heading keeps with the table */
    }
    field_table(l, &fc, fs, 1);
    l->pending_after = 14;
    return h != NULL;
}

/* section, implication, background documents, form */
static void section(L *l, const bctx *pc, const qnode *s, int level, int in_appendix) {
    int sect = qdlist_add_elem(l->dl, QR_SECT, pc->elem);
    elem_lang(l, sect, s);
    const qnode *h = qdoc_first_child_of(s, QN_HEADING);
    qarena *da = l->dl->arena;
    const char *htext = h ? clean_text(l->a, h) : "";
    const char *num = s->number;
    const char *otitle = num ? qarena_printf(da, "%s. %s", num, htext) : qarena_strdup(da, htext);
    int anchor = id_anchor(l, qdoc_attr(s, "id"));
    if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
    add_mark(l, anchor, -1);
    if (*otitle) { /* a section without heading or number gets no bookmark */
        add_outline(l, otitle, level);
        add_mark(l, -1, (int)l->dl->outlines.len - 1);
    }
    const char *plain_attr = qdoc_attr(s, "paragraphs");
    int plain = in_appendix ? !(plain_attr && strcmp(plain_attr, "numbered") == 0)
                            : (plain_attr && strcmp(plain_attr, "plain") == 0);
    bctx c = *pc;
    c.elem = sect;
    c.level = level;
    c.num_x = MARGIN_L;
    c.numbered = !plain;
    c.x = plain ? MARGIN_L : MARGIN_L + NUM_INDENT;
    c.w = MARGIN_L + l->body_w - c.x;
    bctx hc = c;
    hc.x = MARGIN_L;
    hc.w = l->body_w;
    if (h) mark_node(l, h);
    const char *label = num ? qarena_printf(da, "%s.", num) : NULL;
    if (h || label) {
        /* H2 below the report's H1, nested sections too (one level down
         * in the outline only); H1 when no heading stands above */
        int hl = pc->hlevel >= 1 ? 2 : 1;
        int he = heading_line(l, &hc, label, h, head_role(hl - 1), sect, H2_SIZE, H2_LH,
                              H2_BEFORE, H2_AFTER, HEAD_INDENT);
        QVEC_AT(&l->dl->elems, qdl_elem, he).section_head = 1;
        c.hlevel = hl;
    }
    if (s->type == QN_BACKGROUND_DOCS) {
        int le = qdlist_add_elem(l->dl, QR_L, sect);
        int i = 0;
        for (const qnode *d = s->first; d; d = d->next) {
            if (d->type != QN_DOCUMENT) continue;
            int li = qdlist_add_elem(l->dl, QR_LI, le);
            int lbl = qdlist_add_elem(l->dl, QR_LBL, li);
            int body = qdlist_add_elem(l->dl, QR_LBODY, li);
            mark_node(l, d);
            set_label(l, "\xE2\x80\xA2", c.x, lbl, 0);
            if (i++ > 0) l->pending_after = 3;
            bctx ic = c;
            ic.x = c.x + 14;
            ic.w = c.w - 14;
            l->nruns = 0;
            rstyle st = base_style(&ic);
            collect(l, d->first, NULL, st, body);
            const char *href = qdoc_attr(d, "href");
            if (href) {
                run_text(l, &st, " \xE2\x80\x93 ", 5);
                rstyle ls = st;
                ls.elem = qdlist_add_elem(l->dl, QR_LINK, body);
                ls.color = LINK_COLOR;
                ls.flags = QLB_UNDERLINE;
                ls.uri = qarena_strdup(da, href);
                run_text(l, &ls, href, strlen(href));
            }
            flow_runs(l, &ic, body, 0, 3, 0);
            l->label = NULL;
        }
        l->pending_after = PARA_AFTER;
    } else if (s->type == QN_FORM) {
        field_table(l, &c, s, 0);
        for (const qnode *q = s->first; q; q = q->next) {
            if (q->type != QN_QA) continue;
            mark_node(l, q);
            for (const qnode *x = q->first; x; x = x->next) {
                if (x->type != QN_QUESTION && x->type != QN_ANSWER) continue;
                int e = qdlist_add_elem(l->dl, QR_P, sect);
                bctx qc = c;
                qc.face = x->type == QN_QUESTION ? F_BOLD : 0;
                mark_node(l, x);
                para_nodes(l, &qc, x->first, NULL, e, 0,
                           x->type == QN_QUESTION ? 3 : PARA_AFTER);
            }
        }
    }
    if (s->type != QN_BACKGROUND_DOCS) {
        for (const qnode *x = s->first; x;) {
            if (x->type == QN_SECTION) {
                /* nested sections (appendix outcome groups): one level down */
                section(l, &c, x, level + 1, in_appendix);
                x = x->next;
            } else {
                x = block(l, &c, x);
            }
        }
    }
}

static void appendix(L *l, const qnode *ap, int i) {
    qarena *da = l->dl->arena;
    int part = qdlist_add_elem(l->dl, QR_PART, l->root_elem);
    elem_lang(l, part, ap);
    const char *num = ap->number ? ap->number : qarena_printf(da, "%d", i + 1);
    const qnode *t = qdoc_first_child_of(ap, QN_TITLE);
    const qnode *st = qdoc_first_child_of(ap, QN_SUBTITLE);
    const char *title = t ? clean_text(l->a, t) : "";
    int anchor = id_anchor(l, qdoc_attr(ap, "id"));
    if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
    add_mark(l, anchor, -1);
    add_outline(l, qarena_printf(da, "Appendix %s: %s", num, title), 1);
    add_mark(l, -1, (int)l->dl->outlines.len - 1);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, part, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, TEXT_COLOR, 0, 0, 1, 1, t ? 1 : 0};
    /* the bar opens a new page */
    {
        int e = qdlist_add_elem(l->dl, QR_P, part);
        const char *bar = qarena_printf(da, "Appendix %s", num);
        size_t idx = push_line(l, BODY_LH, 0, QPB_PAGE | QPB_KEEP);
        stage_text(l, e, MARGIN_L, baseline(l, 10, BODY_LH), QF_BOLD, 10, BAR_COLOR,
                   bar, strlen(bar));
        stage_rule(l, MARGIN_L, BODY_LH, l->body_w, 0, 0.5f, BAR_COLOR);
        end_line(l, idx);
        l->pending_after = 6;
    }
    if (t) {
        mark_node(l, t);
        heading_line(l, &c, NULL, t, QR_H1, part, 16, 20, 0, 4, 0);
    }
    if (st) {
        mark_node(l, st);
        heading_line(l, &c, NULL, st, QR_P, part, 13, 16, 0, 10, 0);
    }
    for (const qnode *x = ap->first; x;) {
        if (x->type == QN_SECTION || x->type == QN_IMPLICATION ||
            x->type == QN_BACKGROUND_DOCS || x->type == QN_FORM) {
            section(l, &c, x, 2, 1);
            x = x->next;
        } else {
            x = block(l, &c, x);
        }
    }
}

static void document(L *l) {
    const qnode *root = l->doc->root;
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 1, l->root_elem, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, TEXT_COLOR, 0, 0, 0, 0, 0};
    int napp = 0;
    for (const qnode *x = root->first; x; x = x->next) {
        switch (x->type) {
        case QN_FRONT_SHEET:
            if (front_sheet(l, &c, x)) c.hlevel = 1;
            break;
        case QN_SECTION: case QN_IMPLICATION: case QN_BACKGROUND_DOCS: case QN_FORM:
            section(l, &c, x, 1, 0);
            break;
        case QN_APPENDICES:
            for (const qnode *ap = x->first; ap; ap = ap->next)
                if (ap->type == QN_APPENDIX) appendix(l, ap, napp++);
            break;
        default:
            block(l, &c, x);
            break;
        }
    }
}

/* ---- placement ------------------------------------------------------------- */

typedef struct placer {
    L *l;
    qpbox *boxes;
} placer;

static void split_table(void *ctx, size_t box, int *page, float *y, float body_h) {
    placer *p = ctx;
    lline *ln = &QVEC_AT(&p->l->flow, lline, box);
    ltable *t = ln->table;
    t->page0 = *page;
    t->y0 = *y;
    qtable_plan(t->qrows, t->nrows, t->nhead, body_h - *y, body_h, &t->plan);
    if (t->plan.pages > 1) {
        *page += t->plan.pages - 1;
        *y = t->plan.end_y;
    } else {
        *y += t->plan.end_y;
    }
}

static qdl_page *page_at(qdlist *dl, int i) {
    return &QVEC_AT(&dl->pages, qdl_page, i);
}

/* An item on page `page`, or only counted during the dry run. */
static qdl_item *put(L *l, int page, qdl_kind kind, int elem) {
    if (l->counts) {
        l->counts[page]++;
        return &l->dummy;
    }
    return qdlist_add_item(l->dl, page_at(l->dl, l->page0 + page), kind, elem);
}

static void copy_item(L *l, int page, const qdl_item *src, float dy, int elem_override) {
    qdl_item *it = put(l, page, src->kind, src->elem);
    *it = *src;
    it->y += dy;
    if (elem_override) it->elem = -1;
}

static void place_marks(L *l, const lmark *m, int page, float y) {
    if (l->counts) return;
    for (; m; m = m->next) {
        if (m->anchor >= 0) {
            qdl_anchor *a = &QVEC_AT(&l->dl->anchors, qdl_anchor, m->anchor);
            if (a->page < 0) { a->page = l->page0 + page; a->y = y; }
        }
        if (m->outline >= 0) {
            qdl_outline *o = &QVEC_AT(&l->dl->outlines, qdl_outline, m->outline);
            o->page = l->page0 + page;
            o->y = y;
        }
    }
}

static void emit_table(L *l, const lline *box) {
    const ltable *t = box->table;
    int moved = t->plan.nsegs && t->plan.segs[0].page > 0;
    place_marks(l, box->marks, t->page0 + moved, MARGIN_T + (moved ? 0 : t->y0));
    for (size_t s = 0; s < t->plan.nsegs; s++) {
        const qtseg *sg = &t->plan.segs[s];
        int pg = t->page0 + sg->page;
        float top = MARGIN_T + (sg->page == 0 ? t->y0 : 0) + sg->y;
        const lrow *row = &t->rows[sg->row];
        int first_piece = s == 0 || t->plan.segs[s - 1].row != sg->row ||
                          t->plan.segs[s - 1].repeat != sg->repeat;
        for (int c = 0; c < row->ncells; c++) {
            const lcell *ce = &row->cells[c];
            float ch = sg->h;
            int from = 0, to = (int)ce->nlines;
            if (ce->qi < 0) {
                /* a row-spanning cell: drawn once, over the spanned rows
                 * placed on this page; lines that do not fit are clipped */
                if (!first_piece) continue;
                ch = 0;
                for (size_t j = s; j < t->plan.nsegs; j++) {
                    const qtseg *o = &t->plan.segs[j];
                    if (o->page != sg->page || o->repeat != sg->repeat ||
                        o->row >= sg->row + ce->rowspan) break;
                    ch += o->h;
                }
                while (to > 0 && ce->bottom[to - 1] + 2 * ce->pad > ch + 0.01f) to--;
            } else if (sg->lines >= 0) {
                from = t->plan.pool[sg->lines + 2 * ce->qi];
                to = t->plan.pool[sg->lines + 2 * ce->qi + 1];
            }
            if (ce->has_fill) {
                qdl_item *f = put(l, pg, QDL_FILL, -1);
                f->x = ce->x; f->y = top; f->w = ce->w; f->h = ch; f->color = ce->fill;
            }
            float origin = from > 0 ? ce->bottom[from - 1] : 0;
            for (int k = from; k < to; k++) {
                const lline *ln = &QVEC_AT(&l->clines, lline, ce->line0 + k);
                float dy = top + ce->pad + ce->top[k] - origin;
                for (size_t i = 0; i < ln->nitems; i++)
                    copy_item(l, pg, &QVEC_AT(&l->st, qdl_item, ln->item0 + i), dy, sg->repeat);
            }
        }
        /* Rules: top and left of every cell, the right of the last; the
         * bottom only where no row follows on the same page, so shared
         * edges are drawn once. */
        int last_on_page = s + 1 == t->plan.nsegs || t->plan.segs[s + 1].page != sg->page;
        for (int c = 0; c < row->ncells; c++) {
            const lcell *ce = &row->cells[c];
            float ch = sg->h;
            if (ce->qi < 0) {
                if (!first_piece) continue;
                ch = 0;
                for (size_t j = s; j < t->plan.nsegs; j++) {
                    const qtseg *o = &t->plan.segs[j];
                    if (o->page != sg->page || o->repeat != sg->repeat ||
                        o->row >= sg->row + ce->rowspan) break;
                    ch += o->h;
                }
            }
            float xs[4][4] = {{ce->x, top, ce->w, 0}, {ce->x, top, 0, ch},
                              {ce->x + ce->w, top, 0, ch}, {ce->x, top + ch, ce->w, 0}};
            int right_edge = ce->x + ce->w >= t->x + t->w - 0.01f;
            for (int k = 0; k < 4; k++) {
                if (k == 2 && c + 1 < row->ncells && !right_edge) continue;
                if (k == 3 && !last_on_page && ce->qi >= 0) continue;
                qdl_item *r = put(l, pg, QDL_RULE, -1);
                r->x = xs[k][0]; r->y = xs[k][1]; r->w = xs[k][2]; r->h = xs[k][3];
                r->size = 0.5f; r->color = RULE_COLOR;
            }
        }
    }
}

static void footers(L *l) {
    qdlist *dl = l->dl;
    size_t np = dl->pages.len;
    const char *title = l->title ? l->title : "";
    qfont *f = l->faces[QF_REGULAR];
    for (size_t p = (size_t)l->page0; p < np; p++) {
        qdl_page *pg = page_at(dl, (int)p);
        qdl_item *r = qdlist_add_item(dl, pg, QDL_RULE, -1);
        r->x = MARGIN_L; r->y = PAGE_H - 48; r->w = l->body_w; r->h = 0;
        r->size = 0.5f; r->color = FOOT_RULE_COLOR;
        float by = PAGE_H - 40;
        const char *num = l->foot_right ? l->foot_right
                          : qarena_printf(dl->arena, "Page %zu of %zu",
                                          p - (size_t)l->page0 + 1, np - (size_t)l->page0);
        size_t nl = strlen(num);
        float nw = qlb_width(f, num, nl, 9);
        /* a title too long for the footer is cut by characters */
        size_t tl = strlen(title);
        float avail = l->body_w - nw - 18;
        while (tl > 0 && qlb_width(f, title, tl, 9) > avail) {
            tl--;
            while (tl > 0 && ((unsigned char)title[tl] & 0xC0) == 0x80) tl--;
        }
        if (tl) {
            qdl_item *t = qdlist_add_item(dl, pg, QDL_TEXT, -1);
            t->x = MARGIN_L; t->y = by; t->size = 9; t->h = 9; t->color = FOOT_COLOR;
            t->face = QF_REGULAR; t->text = title; t->len = (unsigned)tl;
            t->w = qlb_width(f, title, tl, 9);
        }
        if (!nl) continue;
        qdl_item *n = qdlist_add_item(dl, pg, QDL_TEXT, -1);
        n->x = MARGIN_L + l->body_w - nw; n->y = by; n->size = 9; n->h = 9;
        n->color = FOOT_COLOR; n->face = QF_REGULAR; n->text = num; n->len = (unsigned)nl;
        n->w = nw;
    }
    f->used = 1;
}

static void paginate_and_emit(L *l) {
    size_t n = l->flow.len;
    qpbox *b = calloc(n ? n : 1, sizeof *b);
    if (!b) qfatal_oom();
    for (size_t i = 0; i < n; i++) {
        const lline *ln = &QVEC_AT(&l->flow, lline, i);
        b[i].h = ln->h;
        b[i].before = ln->before;
        b[i].flags = ln->flags;
    }
    placer p = {l, b};
    int pages = qpaginate(b, n, BODY_H, split_table, &p);
    for (int i = 0; i < pages; i++) qdlist_add_page(l->dl, PAGE_W, PAGE_H);
    /* A dry run counts the items of each page so every page's array is
     * allocated once at its final size. */
    size_t *counts = calloc((size_t)pages, sizeof *counts);
    if (!counts) qfatal_oom();
    for (int pass = 0; pass < 2; pass++) {
        l->counts = pass == 0 ? counts : NULL;
        if (pass == 1)
            for (int i = 0; i < pages; i++) {
                qdl_page *pg = page_at(l->dl, l->page0 + i);
                size_t cap = counts[i] + 5; /* + footer, pack number, item label */
                /* slots are zeroed as items are added */
                pg->items.data = qarena_alloc_uninit(l->dl->arena, cap * sizeof(qdl_item));
                pg->items.cap = cap;
            }
        for (size_t i = 0; i < n; i++) {
            const lline *ln = &QVEC_AT(&l->flow, lline, i);
            if (ln->table) { emit_table(l, ln); continue; }
            float top = MARGIN_T + b[i].y;
            place_marks(l, ln->marks, b[i].page, top);
            for (size_t k = 0; k < ln->nitems; k++)
                copy_item(l, b[i].page, &QVEC_AT(&l->st, qdl_item, ln->item0 + k), top, 0);
        }
    }
    free(counts);
    free(b);
    /* anchors of nodes that produced no box point at the first page */
    for (size_t i = l->anchor0; i < l->dl->anchors.len; i++) {
        qdl_anchor *a = &QVEC_AT(&l->dl->anchors, qdl_anchor, i);
        if (a->page < 0) { a->page = l->page0; a->y = MARGIN_T; }
    }
    for (size_t i = l->outline0; i < l->dl->outlines.len; i++) {
        qdl_outline *o = &QVEC_AT(&l->dl->outlines, qdl_outline, i);
        if (o->page < 0) { o->page = l->page0; o->y = MARGIN_T; }
    }
    footers(l);
}

/* ---- metadata ------------------------------------------------------------- */

static void metadata(L *l, int whole_document) {
    qdlist *dl = l->dl;
    const quorum_doc *doc = l->doc;
    const qnode *t = qdoc_field(doc, "title");
    if (t) l->title = clean_text(dl->arena, t);
    if (!whole_document) return; /* a report inside a pack keeps its footer title only */
    dl->title = l->title;
    const qnode *au = qdoc_field(doc, "author");
    if (au) dl->author = clean_text(dl->arena, au);
    const char *lang = qdoc_attr(doc->root, "xml:lang");
    if (!lang) lang = qdoc_attr(doc->root, "lang");
    dl->lang = qarena_strdup(dl->arena, lang ? lang : "en-GB");
    const qnode *fs = qdoc_first_child_of(doc->root, QN_FRONT_SHEET);
    const qnode *h = fs ? qdoc_first_child_of(fs, QN_HEADING) : NULL;
    const qnode *md = qdoc_field(doc, "meeting-date");
    const char *heading = h ? clean_text(l->a, h) : NULL;
    const char *date = md ? qdoc_attr(md, "date") : NULL;
    if (heading && date)
        dl->subject = qarena_printf(dl->arena, "%s, %s", heading, format_date(l->a, date));
    else if (heading)
        dl->subject = qarena_strdup(dl->arena, heading);
}

/* Scratch state for laying one document into dl (which may already hold
 * pages of other documents).  0 on success; -1 when the regular face
 * cannot be read. */
static int lctx_init(L *l, qdlist *dl, const quorum_doc *doc, quorum_diags *d) {
    memset(l, 0, sizeof *l);
    l->fonts = dl->fonts;
    l->faces[QF_REGULAR] = qfonts_face(dl->fonts, QF_REGULAR, d);
    if (!l->faces[QF_REGULAR]) return -1;
    l->doc = doc;
    l->d = d;
    l->dl = dl;
    l->a = qarena_new(1 << 18);
    l->body_w = BODY_W;
    l->page0 = (int)dl->pages.len;
    l->anchor0 = dl->anchors.len;
    l->outline0 = dl->outlines.len;
    qlb_init(&l->lb, l->faces);
    qvec_init(&l->st, sizeof(qdl_item));
    qvec_init(&l->flow, sizeof(lline));
    qvec_init(&l->clines, sizeof(lline));
    l->out = &l->flow;
    return 0;
}

static void lctx_done(L *l) {
    for (ltable *t = l->tables; t; t = t->next_alloc) qtplan_free(&t->plan);
    free(l->st.data);
    free(l->flow.data);
    free(l->clines.data);
    qlb_free(&l->lb);
    free(l->runs);
    qarena_free(l->a);
}

/* The style's files outlive its arena in the display list (PDF/A-3b
 * attaches them). */
static void note_style_files(qdlist *dl, const qstyle *s) {
    dl->style_file = s->path ? qarena_strdup(dl->arena, s->path) : NULL;
    dl->style_logo = s->logo ? qarena_strdup(dl->arena, s->logo) : NULL;
}

quorum_layout *quorum_doc_layout(const quorum_engine *e, const quorum_doc *doc,
                                 const quorum_options *opt, quorum_diags *d) {
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, NOPOS, "layout: no engine");
        return NULL;
    }
    if (!doc || !doc->root) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, NOPOS, "layout: no document");
        return NULL;
    }
    if (doc->root->type == QN_MEETING) {
        /* a meeting file is a list of reports, not a report */
        qdiag_add(d, QUORUM_ERROR, doc->root->pos,
                  "this is a meeting file: build its agenda pack with 'quorum pack'");
        return NULL;
    }
    const char *dir = opt && opt->font_dir && *opt->font_dir ? opt->font_dir : e->font_dir;
    /* a broken style fails before anything is laid out */
    qarena *style_arena = qarena_new(0);
    const qstyle *style = qstyle_load(e, opt ? opt->style : NULL, dir, style_arena, d);
    if (!style) {
        qarena_free(style_arena);
        return NULL;
    }
    const qstyle *outer_style = S; /* layout does not nest, but stay exact */
    S = style;
    qfonts *fonts = qfonts_new(e->fonts, dir);
    for (int i = 0; i < QF__COUNT; i++)
        if (style->font[i]) qfonts_set_path(fonts, (qfont_face)i, style->font[i]);
    qdlist *dl = qdlist_new(fonts);
    note_style_files(dl, style);
    L l;
    if (lctx_init(&l, dl, doc, d) != 0) {
        qdlist_free(dl);
        S = outer_style;
        qarena_free(style_arena);
        return NULL;
    }
    make_anchors(&l);
    metadata(&l, 1);
    document(&l);
    paginate_and_emit(&l);
    {
        const qnode *md = qdoc_field(doc, "meeting-date");
        const char *date = md ? qdoc_attr(md, "date") : NULL;
        const qnode *st = qdoc_field(doc, "status");
        qstyle_fields sf = {l.title, l.dl->subject,
                            date ? format_date(l.dl->arena, date) : NULL,
                            st && strcmp(clean_text(l.a, st), "exempt") == 0};
        qstyle_decorate(style, l.dl, &sf, d);
    }
    S = outer_style;
    qarena_free(style_arena);
    int failed = l.face_failed;
    lctx_done(&l);
    if (failed) {
        qdlist_free(dl);
        return NULL;
    }
    quorum_layout *out = calloc(1, sizeof *out);
    if (!out) qfatal_oom();
    out->dl = dl;
    return out;
}

/* ---- agenda packs ------------------------------------------------------------
 * The pack's own pages (front sheet, agenda, information, not-for-
 * publication pages) are laid out by the same flow machinery from small
 * synthetic trees, so they paginate and tag like report pages. */

#define PAGE_COL_W 64.0f /* the agenda's "Page" column, fixed (see layout.h) */
#define ENTRY_GAP 10.0f  /* space before an agenda entry */

struct qpack_l {
    qdlist *dl;
    quorum_diags *d;
    const char *foot;         /* footer of the pack's own pages */
    const char *front_title;  /* bookmark of the front sheet */
    const char *info_title;   /* NULL when the meeting has no information */
    int front_anchor, agenda_anchor, info_anchor;
    int failed;
    const qstyle *style;      /* S during every qpl_ call */
    qarena *style_arena;
    const char *meeting_day;  /* {date} of the pack's own pages */
};

qpack_l *qpl_new(const quorum_engine *e, const char *font_dir, quorum_diags *d) {
    return qpl_new_styled(e, font_dir, NULL, d);
}

qpack_l *qpl_new_styled(const quorum_engine *e, const char *font_dir,
                        const char *style, quorum_diags *d) {
    const char *dir = font_dir && *font_dir ? font_dir : e->font_dir;
    qpack_l *p = calloc(1, sizeof *p);
    if (!p) qfatal_oom();
    p->d = d;
    p->style_arena = qarena_new(0);
    p->style = qstyle_load(e, style, dir, p->style_arena, d);
    if (!p->style) {
        qpl_free(p);
        return NULL;
    }
    qfonts *fonts = qfonts_new(e->fonts, dir);
    for (int i = 0; i < QF__COUNT; i++)
        if (p->style->font[i]) qfonts_set_path(fonts, (qfont_face)i, p->style->font[i]);
    p->dl = qdlist_new(fonts);
    note_style_files(p->dl, p->style);
    if (!qfonts_face(p->dl->fonts, QF_REGULAR, d)) {
        qpl_free(p);
        return NULL;
    }
    return p;
}

void qpl_free(qpack_l *p) {
    if (!p) return;
    qdlist_free(p->dl);
    qarena_free(p->style_arena);
    free(p);
}

/* The style's header, footer text, bands and logo on pages [first, last]
 * as if they were a document of their own: qstyle_decorate numbers and
 * decorates every page of the list it is given, so it gets a view of the
 * range (its pages vector narrowed; what it adds elsewhere is kept). */
static void decorate_range(qpack_l *p, int first, int last, const qstyle_fields *f) {
    qdlist *dl = p->dl;
    if (first < 0 || last < first || (size_t)last >= dl->pages.len) return;
    qdlist view = *dl;
    view.pages.data = &QVEC_AT(&dl->pages, qdl_page, first);
    view.pages.len = (size_t)(last - first + 1);
    view.pages.cap = view.pages.len; /* decorating adds no pages */
    qvec pages = dl->pages;
    qstyle_decorate(p->style, &view, f, p->d);
    *dl = view;
    dl->pages = pages;
}

static qnode *text_node(qarena *a, const char *s) {
    qnode *t = qdoc_node_new(a, QN_TEXT, NULL, NOPOS);
    t->text = s;
    t->text_len = strlen(s);
    return t;
}

static qnode *wrap_text(qarena *a, qdoc_type type, const char *s) {
    qnode *n = qdoc_node_new(a, type, NULL, NOPOS);
    qdoc_append(n, text_node(a, s));
    return n;
}

static qnode *add_field(qarena *a, qnode *parent, const char *label, const char *value) {
    qnode *f = qdoc_node_new(a, QN_FIELD, NULL, NOPOS);
    qdoc_attr_set(a, f, "label", label, NOPOS);
    if (value) qdoc_append(f, text_node(a, value));
    qdoc_append(parent, f);
    return f;
}

/* "2025-01-29" -> "Wednesday, 29 January 2025" (with_weekday) or
 * "29 January 2025"; other text as is. */
static const char *meeting_date(qarena *a, const char *iso, int with_weekday) {
    long days;
    if (!iso || qdate_parse(iso, &days) != 0) return iso ? iso : "";
    char buf[64];
    qdate_format(days, with_weekday, buf, sizeof buf);
    return qarena_strdup(a, buf);
}

/* "19:00" -> "7.00 pm"; "12:00" -> "12.00 noon". */
static const char *clock_time(qarena *a, const char *hm) {
    int h, m;
    if (!hm || sscanf(hm, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return hm ? hm : "";
    if (h == 12 && m == 0) return "12.00 noon";
    return qarena_printf(a, "%d.%02d %s", h % 12 == 0 ? 12 : h % 12, m, h < 12 ? "am" : "pm");
}

static const char *child_text(qarena *a, const qnode *root, qdoc_type t) {
    const qnode *n = qdoc_first_child_of(root, t);
    return n ? clean_text(a, n) : NULL;
}

static void pack_front_sheet(L *l, qpack_l *p, const qnode *root, int supplement,
                             const char *supp_published) {
    qarena *a = l->a;
    int sect = qdlist_add_elem(l->dl, QR_SECT, 0);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, sect, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    add_mark(l, p->front_anchor, -1);
    const char *body = child_text(a, root, QN_BODY);
    heading_line(l, &c, NULL, wrap_text(a, QN_HEADING, body ? body : ""), QR_H1, sect,
                 18, 22, 0, supplement ? 4 : 12, 0);
    if (supplement)
        heading_line(l, &c, NULL, wrap_text(a, QN_HEADING, "Supplementary Agenda"), QR_H1,
                     sect, 16, 20, 0, 12, 0);
    qnode *fs = qdoc_node_new(a, QN_FRONT_SHEET, NULL, NOPOS);
    const char *date = child_text(a, root, QN_DATE), *time = child_text(a, root, QN_TIME);
    add_field(a, fs, "Date and time",
              qarena_printf(a, "%s at %s", meeting_date(a, date, 1), clock_time(a, time)));
    const qnode *venue = qdoc_first_child_of(root, QN_VENUE);
    if (venue) {
        qnode *f = add_field(a, fs, "Venue", NULL);
        f->first = venue->first; /* borrowed, as field_table borrows */
        f->last = venue->last;
    }
    const qnode *ms = qdoc_first_child_of(root, QN_MEMBERSHIP);
    if (ms) {
        char *list = "";
        for (const qnode *m = ms->first; m; m = m->next) {
            if (m->type != QN_MEMBER) continue;
            const char *role = qdoc_attr(m, "role");
            const char *name = clean_text(a, m);
            list = role ? qarena_printf(a, "%s%s%s (%s)", list, *list ? ", " : "", name, role)
                        : qarena_printf(a, "%s%s%s", list, *list ? ", " : "", name);
        }
        add_field(a, fs, "Membership", list);
    }
    add_field(a, fs, "Agenda published on",
              meeting_date(a, child_text(a, root, QN_PUBLISHED), 0));
    if (supplement && supp_published)
        add_field(a, fs, "Supplement published on", meeting_date(a, supp_published, 0));
    const qnode *cl = qdoc_first_child_of(root, QN_CLERK);
    if (cl) {
        const char *name = qdoc_attr(cl, "name"), *title = qdoc_attr(cl, "title");
        const char *email = qdoc_attr(cl, "email"), *phone = qdoc_attr(cl, "phone");
        add_field(a, fs, "Contact",
                  qarena_printf(a, "Queries regarding this agenda or notification of "
                                   "apologies: please contact %s%s%s%s%s%s%s",
                                name ? name : "", title ? ", " : "", title ? title : "",
                                email ? ", email " : "", email ? email : "",
                                phone ? ", telephone " : "", phone ? phone : ""));
    }
    field_table(l, &c, fs, 0);
    l->pending_after = 14;
    const qnode *sm = qdoc_first_child_of(root, QN_SUMMONS);
    if (sm) blocks(l, &c, sm->first);
}

static const char *exempt_words(qarena *a, const char *paras) {
    /* "3" -> "paragraph 3", "1 2" -> "paragraphs 1 and 2" */
    char *out = "";
    int n = 0, total = 0;
    char buf[64];
    for (const char *s = paras; sscanf(s, " %63s", buf) == 1;) {
        total++;
        s = strstr(s, buf) + strlen(buf);
    }
    for (const char *s = paras; sscanf(s, " %63s", buf) == 1; n++) {
        s = strstr(s, buf) + strlen(buf);
        out = qarena_printf(a, "%s%s%s", out,
                            n == 0 ? "" : n == total - 1 ? " and " : ", ", buf);
    }
    return qarena_printf(a, "%s %s", total > 1 ? "paragraphs" : "paragraph", out);
}

static void entry_para(L *l, const bctx *c, int parent, unsigned char face,
                       const char *lead, const char *text, float before, float after) {
    int e = qdlist_add_elem(l->dl, QR_P, parent);
    l->nruns = 0;
    rstyle st = base_style(c);
    if (lead) {
        rstyle b = st;
        b.face = (unsigned char)(face | F_BOLD);
        run_text(l, &b, lead, strlen(lead));
    }
    st.face = face;
    run_text(l, &st, text, strlen(text));
    flow_runs(l, c, e, before, after, 0);
}

static void pack_agenda(L *l, qpack_l *p, qpack_entry *e, size_t n) {
    qarena *a = l->a;
    int sect = qdlist_add_elem(l->dl, QR_SECT, 0);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, sect, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    size_t first = l->flow.len;
    add_mark(l, p->agenda_anchor, -1);
    heading_line(l, &c, NULL, wrap_text(a, QN_HEADING, "Agenda"), QR_H1, sect, 18, 22, 0,
                 8, 0);
    QVEC_AT(&l->flow, lline, first).flags |= QPB_PAGE;
    float colx = MARGIN_L + l->body_w - PAGE_COL_W;
    {
        size_t idx = push_line(l, BODY_LH, l->pending_after, QPB_KEEP);
        float w = qlb_width(l->faces[QF_REGULAR], "Page", 4, 10);
        stage_text(l, -1, MARGIN_L + l->body_w - w, baseline(l, 10, BODY_LH), QF_BOLD, 10,
                   FOOT_COLOR, "Page", 4);
        end_line(l, idx);
        l->pending_after = 0;
    }
    bctx tc = c;
    tc.x = MARGIN_L + HEAD_INDENT;
    tc.w = colx - 8 - tc.x;
    int exempt_seen = 0;
    for (size_t i = 0; i < n; i++) {
        const qpack_entry *x = &e[i];
        if (x->exempt && !exempt_seen) {
            exempt_seen = 1;
            entry_para(l, &tc, sect, 0, "Exclusion of the public and press. ",
                       "To agree that the public and press be excluded from the meeting "
                       "for the following item(s) of business on the grounds that they "
                       "involve the likely disclosure of exempt information as defined in "
                       "Part 1 of Schedule 12A to the Local Government Act 1972, as "
                       "indicated, and that the public interest in maintaining the "
                       "exemption outweighs the public interest in disclosing the "
                       "information.", ENTRY_GAP, 0);
            /* the exclusion belongs to the items after it */
            QVEC_AT(&l->flow, lline, l->flow.len - 1).flags |= QPB_KEEP;
        }
        int pe = qdlist_add_elem(l->dl, QR_P, sect);
        add_mark(l, x->entry_anchor, -1);
        l->pending_after = fmaxf(l->pending_after, ENTRY_GAP);
        /* An entry in the pack is one link to its first page: number,
         * title and page reference, read in that order (the page column
         * is drawn last, whatever its place on the line). */
        int link = x->in_pack ? qdlist_add_elem(l->dl, QR_LINK, pe) : -1;
        set_label(l, x->number ? x->number : "", MARGIN_L, link >= 0 ? link : pe, QF_BOLD);
        bctx hc = tc;
        hc.face = F_BOLD;
        l->nruns = 0;
        rstyle st = base_style(&hc);
        st.elem = link;
        run_text(l, &st, x->title ? x->title : "", x->title ? strlen(x->title) : 0);
        int more = x->urgency || x->exempt || (x->item && x->item->first);
        size_t line0 = l->out->len;
        flow_runs(l, &hc, pe, 0, 3, more);
        if (x->in_pack && l->out->len > line0) {
            /* The page reference, on the title's last line in the flow
             * (so after the title in reading order) but drawn at the right
             * of its first line; the title's lines keep together.  A Span
             * whose /Alt qpl_finish sets ("pages 5 to 41") with the text,
             * once the reports are placed; dest tags it so it can be found
             * after emission. */
            size_t last = l->out->len - 1;
            for (size_t k = line0; k < last; k++) QVEC_AT(l->out, lline, k).flags |= QPB_KEEP;
            float up = (float)(last - line0) * hc.lh;
            qdl_item *it = stage(l, QDL_TEXT, qdlist_add_elem(l->dl, QR_SPAN, link));
            it->x = colx; it->y = baseline(l, BODY_SIZE, BODY_LH) - up; it->face = QF_REGULAR;
            it->size = BODY_SIZE; it->h = BODY_SIZE; it->text = ""; it->len = 0;
            it->dest = -2 - (int)i;
            qdl_item *lk = stage(l, QDL_LINK, link);
            lk->x = MARGIN_L; lk->y = -up; lk->w = l->body_w; lk->h = up + hc.lh;
            lk->dest = x->start_anchor;
            end_line(l, last);
        }
        if (x->urgency)
            entry_para(l, &tc, sect, F_ITALIC, NULL,
                       qarena_printf(a, "Late item. Reason for urgency: %s", x->urgency),
                       0, 3);
        if (x->item) {
            bctx bc = tc;
            bc.para_after = 3;
            blocks(l, &bc, x->item->first);
        }
        if (x->exempt)
            entry_para(l, &tc, sect, F_ITALIC, NULL,
                       qarena_printf(a, "Exempt: %s of Part 1 of Schedule 12A to the Local "
                                        "Government Act 1972", exempt_words(a, x->exempt)),
                       0, 3);
    }
}

static void pack_information(L *l, qpack_l *p, const qnode *info) {
    qarena *a = l->a;
    int sect = qdlist_add_elem(l->dl, QR_SECT, 0);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, sect, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    size_t first = l->flow.len;
    add_mark(l, p->info_anchor, -1);
    const qnode *h = qdoc_first_child_of(info, QN_HEADING);
    p->info_title = h ? clean_text(l->dl->arena, h) : "Information";
    heading_line(l, &c, NULL, h ? h : wrap_text(a, QN_HEADING, p->info_title), QR_H1, sect,
                 16, 20, 0, 10, 0);
    QVEC_AT(&l->flow, lline, first).flags |= QPB_PAGE;
    for (const qnode *x = info->first; x;) {
        if (x->type == QN_HEADING) { x = x->next; continue; }
        x = block(l, &c, x);
    }
}

static int front_in(qpack_l *p, const quorum_doc *meeting, qpack_entry *e, size_t n,
                    int supplement, const char *supplement_published) {
    qdlist *dl = p->dl;
    L l;
    if (lctx_init(&l, dl, meeting, p->d) != 0) return p->failed = -1;
    const qnode *root = meeting->root;
    make_anchors(&l);
    qarena *da = dl->arena;
    const char *body = child_text(da, root, QN_BODY);
    const char *date = child_text(da, root, QN_DATE);
    if (!body) body = "";
    const char *what = supplement ? "Supplementary Agenda" : "Agenda";
    p->foot = qarena_printf(da, "%s, %s \xE2\x80\x93 %s", body, meeting_date(da, date, 0), what);
    p->front_title = qarena_printf(da, "%s \xE2\x80\x93 %s", body, meeting_date(da, date, 1));
    p->meeting_day = date ? format_date(da, date) : NULL;
    dl->title = qarena_printf(da, "%s \xE2\x80\x93 %s \xE2\x80\x93 %s", body,
                              meeting_date(da, date, 1), what);
    const qnode *cl = qdoc_first_child_of(root, QN_CLERK);
    const char *clerk = cl ? qdoc_attr(cl, "name") : NULL;
    if (clerk) dl->author = qarena_strdup(da, clerk);
    const char *lang = qdoc_attr(root, "xml:lang");
    dl->lang = qarena_strdup(da, lang ? lang : "en-GB");
    dl->subject = qarena_printf(da, "Agenda pack: %s, %s", body, meeting_date(da, date, 1));
    p->front_anchor = qdlist_add_anchor(dl);
    p->agenda_anchor = qdlist_add_anchor(dl);
    for (size_t i = 0; i < n; i++) {
        e[i].entry_anchor = qdlist_add_anchor(dl);
        e[i].start_anchor = e[i].in_pack ? qdlist_add_anchor(dl) : -1;
        e[i].first_page = e[i].last_page = e[i].col_page = -1;
    }
    const qnode *info = qdoc_first_child_of(root, QN_INFORMATION);
    p->info_anchor = info ? qdlist_add_anchor(dl) : -1;
    l.title = p->foot;
    l.foot_right = "";
    pack_front_sheet(&l, p, root, supplement, supplement_published);
    pack_agenda(&l, p, e, n);
    if (info) pack_information(&l, p, info);
    paginate_and_emit(&l);
    for (size_t pg = (size_t)l.page0; pg < dl->pages.len; pg++) {
        qdl_page *page = page_at(dl, (int)pg);
        for (size_t k = 0; k < page->items.len; k++) {
            qdl_item *it = &QVEC_AT(&page->items, qdl_item, k);
            if (it->kind != QDL_TEXT || it->dest > -2) continue;
            size_t i = (size_t)(-2 - it->dest);
            it->dest = -1;
            if (i < n) { e[i].col_page = (int)pg; e[i].col_item = k; }
        }
    }
    if (l.face_failed) p->failed = -1;
    lctx_done(&l);
    return p->failed;
}

/* "Agenda Item N" at the top right of an item's first page, in the margin. */
static void item_label(qpack_l *p, int page, const char *number) {
    qfont *b = qfonts_face(p->dl->fonts, QF_BOLD, p->d);
    if (!b) { p->failed = -1; return; }
    const char *s = qarena_printf(p->dl->arena, "Agenda Item %s", number ? number : "");
    qdl_item *it = qdlist_add_item(p->dl, page_at(p->dl, page), QDL_TEXT, -1);
    it->len = (unsigned)strlen(s);
    it->w = qlb_width(b, s, it->len, 10);
    it->x = MARGIN_L + BODY_W - it->w; it->y = MARGIN_T - 22;
    it->size = 10; it->h = 10; it->face = QF_BOLD; it->text = s;
    b->used = 1;
}

static void start_at(qpack_l *p, qpack_entry *e, int page0, int label) {
    e->first_page = page0;
    e->last_page = (int)p->dl->pages.len - 1;
    if (e->start_anchor >= 0) {
        qdl_anchor *an = &QVEC_AT(&p->dl->anchors, qdl_anchor, e->start_anchor);
        an->page = page0;
        an->y = 0;
    }
    if (label) item_label(p, page0, e->number);
}

static int report_in(qpack_l *p, qpack_entry *e, const quorum_doc *report) {
    L l;
    if (lctx_init(&l, p->dl, report, p->d) != 0) return p->failed = -1;
    l.root_elem = qdlist_add_elem(p->dl, QR_PART, 0);
    l.outline_base = 1;
    elem_lang(&l, l.root_elem, report->root);
    make_anchors(&l);
    metadata(&l, 0);
    e->outline0 = p->dl->outlines.len;
    document(&l);
    paginate_and_emit(&l);
    e->outline1 = p->dl->outlines.len;
    start_at(p, e, l.page0, 1);
    {
        /* the fields quorum_doc_layout gives a report of its own */
        const qnode *fs = qdoc_first_child_of(report->root, QN_FRONT_SHEET);
        const qnode *h = fs ? qdoc_first_child_of(fs, QN_HEADING) : NULL;
        const qnode *md = qdoc_field(report, "meeting-date");
        const char *date = md ? qdoc_attr(md, "date") : NULL;
        const char *fdate = date ? format_date(p->dl->arena, date) : NULL;
        const char *heading = h ? clean_text(l.a, h) : NULL;
        const char *meeting = heading && fdate
                                  ? qarena_printf(p->dl->arena, "%s, %s", heading, fdate)
                                  : heading ? qarena_strdup(p->dl->arena, heading) : NULL;
        const qnode *st = qdoc_field(report, "status");
        qstyle_fields sf = {l.title, meeting, fdate,
                            st && strcmp(clean_text(l.a, st), "exempt") == 0};
        decorate_range(p, e->first_page, e->last_page, &sf);
    }
    if (l.face_failed) p->failed = -1;
    lctx_done(&l);
    return p->failed;
}

static const char *const schedule12a[8] = {
    NULL,
    "information relating to any individual",
    "information which is likely to reveal the identity of an individual",
    "information relating to the financial or business affairs of any particular "
    "person (including the authority holding that information)",
    "information relating to any consultations or negotiations, or contemplated "
    "consultations or negotiations, in connection with any labour relations matter "
    "arising between the authority or a Minister of the Crown and employees of, or "
    "office holders under, the authority",
    "information in respect of which a claim to legal professional privilege could be "
    "maintained in legal proceedings",
    "information which reveals that the authority proposes (a) to give under any "
    "enactment a notice under or by virtue of which requirements are imposed on a "
    "person; or (b) to make an order or direction under any enactment",
    "information relating to any action taken or to be taken in connection with the "
    "prevention, investigation or prosecution of crime"};

static int exempt_in(qpack_l *p, qpack_entry *e) {
    L l;
    if (lctx_init(&l, p->dl, NULL, p->d) != 0) return p->failed = -1;
    qarena *a = l.a;
    int part = qdlist_add_elem(p->dl, QR_PART, 0);
    bctx c = {MARGIN_L, l.body_w, MARGIN_L, 0, part, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    e->outline0 = e->outline1 = p->dl->outlines.len;
    heading_line(&l, &c, NULL,
                 wrap_text(a, QN_HEADING, qarena_printf(a, "Agenda Item %s", e->number)),
                 QR_P, part, 13, 16, 0, 12, 0);
    heading_line(&l, &c, NULL, wrap_text(a, QN_HEADING, e->title ? e->title : ""), QR_H1,
                 part, 16, 20, 0, 24, 0);
    heading_line(&l, &c, NULL, wrap_text(a, QN_HEADING, "NOT FOR PUBLICATION"), QR_H2,
                 part, 16, 20, 0, 12, 0);
    char *why = "";
    const char *ps = e->exempt ? e->exempt : "";
    char buf[16];
    int k = 0;
    for (const char *s = ps; sscanf(s, " %15s", buf) == 1; k++) {
        s = strstr(s, buf) + strlen(buf);
        int v = atoi(buf);
        if (v >= 1 && v <= 7) why = qarena_printf(a, "%s%s%s", why, k ? "; " : "", schedule12a[v]);
    }
    entry_para(&l, &c, part, 0, NULL,
               qarena_printf(a, "This report is not for publication by virtue of %s of Part 1 "
                                "of Schedule 12A to the Local Government Act 1972%s%s.",
                             exempt_words(a, ps), *why ? ": " : "", why),
               0, PARA_AFTER);
    l.title = p->foot;
    l.foot_right = "";
    paginate_and_emit(&l);
    start_at(p, e, l.page0, 0); /* the page says "Agenda Item N" itself */
    if (l.face_failed) p->failed = -1;
    lctx_done(&l);
    return p->failed;
}

static quorum_layout *finish_in(qpack_l *p, qpack_entry *e, size_t n,
                                const char *creation_date) {
    qdlist *dl = p->dl;
    if (p->failed) {
        qpl_free(p);
        return NULL;
    }
    /* the pack's own pages (front sheet, agenda, information, not-for-
     * publication pages) take the style as one document per run */
    {
        qstyle_fields sf = {p->foot, p->front_title, p->meeting_day, 0};
        int run = -1;
        for (int pg = 0; pg <= (int)dl->pages.len; pg++) {
            int own = pg < (int)dl->pages.len;
            for (size_t i = 0; own && i < n; i++)
                if (!e[i].exempt && e[i].first_page >= 0 && pg >= e[i].first_page &&
                    pg <= e[i].last_page)
                    own = 0;
            if (own && run < 0) run = pg;
            if (!own && run >= 0) {
                decorate_range(p, run, pg - 1, &sf);
                run = -1;
            }
        }
    }
    qfont *f = qfonts_face(dl->fonts, QF_REGULAR, p->d);
    /* the agenda's page column */
    for (size_t i = 0; i < n; i++) {
        if (e[i].col_page < 0 || e[i].first_page < 0) continue;
        qdl_item *it = &QVEC_AT(&page_at(dl, e[i].col_page)->items, qdl_item, e[i].col_item);
        const char *s = e[i].first_page == e[i].last_page
                            ? qarena_printf(dl->arena, "%d", e[i].first_page + 1)
                            : qarena_printf(dl->arena, "%d - %d", e[i].first_page + 1,
                                            e[i].last_page + 1);
        it->text = s;
        it->len = (unsigned)strlen(s);
        it->w = qlb_width(f, s, it->len, it->size);
        it->x = MARGIN_L + BODY_W - it->w;
        /* read as words: "5 - 41" would be "5 minus 41", "42" a bare number */
        if (it->elem >= 0)
            QVEC_AT(&dl->elems, qdl_elem, it->elem).alt =
                e[i].first_page == e[i].last_page
                    ? qarena_printf(dl->arena, "page %d", e[i].first_page + 1)
                    : qarena_printf(dl->arena, "pages %d to %d", e[i].first_page + 1,
                                    e[i].last_page + 1);
    }
    /* pack page numbers, centred under the footer rule */
    for (size_t pg = 0; pg < dl->pages.len; pg++) {
        const char *s = qarena_printf(dl->arena, "Page %zu", pg + 1);
        qdl_item *it = qdlist_add_item(dl, page_at(dl, (int)pg), QDL_TEXT, -1);
        it->len = (unsigned)strlen(s);
        it->w = qlb_width(f, s, it->len, 9);
        it->x = (PAGE_W - it->w) / 2; it->y = PAGE_H - 24;
        it->size = 9; it->h = 9; it->color = FOOT_COLOR; it->face = QF_REGULAR; it->text = s;
    }
    f->used = 1;
    /* Bookmarks in pack order: the reports' own trees were laid out after
     * the agenda, so the outline list is rebuilt around them. */
    qvec old = dl->outlines;
    qvec_init(&dl->outlines, sizeof(qdl_outline));
#define AT_ANCHOR(title, an)                                                      \
    do {                                                                          \
        const qdl_anchor *A_ = &QVEC_AT(&dl->anchors, qdl_anchor, (an));          \
        qdlist_add_outline(dl, (title), 1, A_->page < 0 ? 0 : A_->page, A_->y);   \
    } while (0)
    AT_ANCHOR(p->front_title, p->front_anchor);
    AT_ANCHOR("Agenda", p->agenda_anchor);
    for (size_t i = 0; i < n; i++) {
        const char *t = qarena_printf(dl->arena, "%s. %s", e[i].number ? e[i].number : "",
                                      e[i].title ? e[i].title : "");
        AT_ANCHOR(t, e[i].first_page >= 0 ? e[i].start_anchor : e[i].entry_anchor);
        for (size_t k = e[i].outline0; k < e[i].outline1; k++) {
            const qdl_outline *o = &QVEC_AT(&old, qdl_outline, k);
            qdlist_add_outline(dl, o->title, o->level, o->page, o->y);
        }
    }
    if (p->info_title) AT_ANCHOR(p->info_title, p->info_anchor);
#undef AT_ANCHOR
    if (creation_date) dl->creation_date = qarena_strdup(dl->arena, creation_date);
    p->dl = NULL;
    qpl_free(p);
    quorum_layout *out = calloc(1, sizeof *out);
    if (!out) qfatal_oom();
    out->dl = dl;
    return out;
}

/* Every qpl_ entry point lays out under the pack's style and puts the
 * caller's S back, as quorum_doc_layout does. */
int qpl_front(qpack_l *p, const quorum_doc *meeting, qpack_entry *e, size_t n,
              int supplement, const char *supplement_published) {
    const qstyle *outer = S;
    S = p->style;
    int r = front_in(p, meeting, e, n, supplement, supplement_published);
    S = outer;
    return r;
}

int qpl_report(qpack_l *p, qpack_entry *e, const quorum_doc *report) {
    const qstyle *outer = S;
    S = p->style;
    int r = report_in(p, e, report);
    S = outer;
    return r;
}

int qpl_exempt(qpack_l *p, qpack_entry *e) {
    const qstyle *outer = S;
    S = p->style;
    int r = exempt_in(p, e);
    S = outer;
    return r;
}

quorum_layout *qpl_finish(qpack_l *p, qpack_entry *e, size_t n, const char *creation_date) {
    const qstyle *outer = S;
    S = p->style;
    quorum_layout *r = finish_in(p, e, n, creation_date);
    S = outer;
    return r;
}
