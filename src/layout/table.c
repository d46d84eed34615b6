/* Tables, in their jobs: read the grid (rows, columns, spans), size the
 * columns, lay out and measure each cell into its own lines, give the rows
 * spanned by a cell its height, and put the whole table in the flow as one
 * splittable box.  At placement qtable_plan (paginate.c) decides which
 * rows go on which page, and ql_emit_table draws the plan: header rows
 * repeated on every continuation page, rows split inside their cells. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* ---- reading the grid ------------------------------------------------------ */

/* ---- column widths ----------------------------------------------------------- */

/* The widest word in the text of nodes first.. (siblings: a front-sheet
 * cell borrows its field's children, whose parent is the field), not
 * in a table inside (its own columns fit its words), at size pt. */
static void widest_word(L *l, const qnode *first, unsigned char face, float size,
                        float *best) {
    for (const qnode *n = first; n; n = n->next) {
        if (n->type == QN_TABLE) continue;
        if (n->type != QN_TEXT) {
            unsigned char f = face | (n->type == QN_BOLD ? F_BOLD : 0) |
                              (n->type == QN_ITALIC ? F_ITALIC : 0);
            widest_word(l, n->first, f, size, best);
            continue;
        }
        const qfont *f = ql_face(l, face);
        size_t i = 0;
        while (i < n->text_len) {
            size_t s = i;
            while (i < n->text_len && n->text[i] != ' ' && n->text[i] != '\n') i++;
            float w = qlb_width(f, n->text + s, i - s, size);
            if (w > *best) *best = w;
            while (i < n->text_len && (n->text[i] == ' ' || n->text[i] == '\n')) i++;
        }
    }
}

/* Columns too narrow for a word of their one-column cells ("Complete" as
 * a rating code in a 14 mm column) widen, taking from columns wider than
 * their own words need, so words are not cut where the table has room. */
static void fit_words(L *l, const qnode *t, int ncols, float *cw, float size, float pad) {
    float total = 0;
    for (int i = 0; i < ncols; i++) total += cw[i];
    float *need = qarena_alloc(l->a, sizeof *need * (size_t)ncols);
    qgrid g;
    qgrid_init(&g, l->a, t);
    for (const qnode *r = t->first; r; r = r->next) {
        if (r->type != QN_ROW) continue;
        for (const qnode *c = r->first; c; c = c->next) {
            qgrid_cell gc;
            if (c->type != QN_CELL || !qgrid_place(&g, c, &gc)) continue;
            /* a word wider than half the table (a long address) is cut
             * rather than squeeze every other column */
            float w = 0;
            widest_word(l, c->first, FACE_OF(c), size, &w);
            w = fminf(w + 2 * pad + 0.5f, total / 2);
            if (gc.span == 1 && w > need[gc.col]) need[gc.col] = w;
        }
        qgrid_end_row(&g);
    }
    float deficit = 0, slack = 0;
    for (int i = 0; i < ncols; i++) {
        if (cw[i] < need[i]) deficit += need[i] - cw[i];
        else slack += cw[i] - need[i];
    }
    if (deficit <= 0 || slack <= 0) return;
    float take = deficit < slack ? deficit : slack;
    for (int i = 0; i < ncols; i++) {
        if (cw[i] < need[i]) cw[i] += (need[i] - cw[i]) * take / deficit;
        else cw[i] -= (cw[i] - need[i]) * take / slack;
    }
}

/* Column edges from the <col width> specs, widened to fit words:
 * cx[0] = x ... cx[ncols]. */
static float *column_edges(L *l, const qnode *t, int ncols, float x, float w,
                           float size, float pad) {
    qarena *a = l->a;
    const char **spec = qarena_alloc(a, sizeof *spec * (size_t)ncols);
    int k = 0;
    for (const qnode *c = t->first; c; c = c->next)
        if (c->type == QN_COL && k < ncols) spec[k++] = qdoc_attr(c, "width");
    float *cw = qarena_alloc(a, sizeof *cw * (size_t)ncols);
    qlayout_col_widths(spec, ncols, w, cw);
    fit_words(l, t, ncols, cw, size, pad);
    float *cx = qarena_alloc(a, sizeof *cx * (size_t)(ncols + 1));
    cx[0] = x;
    for (int i = 0; i < ncols; i++) cx[i + 1] = cx[i] + cw[i];
    return cx;
}

/* ---- laying out the cells ---------------------------------------------------- */

/* What building one table keeps between its rows. */
typedef struct tbuild {
    L *l;
    const bctx *c;
    ltable *tb;
    int ncols, nrows;
    const float *cx;      /* column edges */
    qgrid grid;           /* where each cell goes (doc.h) */
    float size, lh, pad;
    int te, thead, tbody; /* structure elements, -1 until needed */
    int head_end;         /* rows before it: the leading header block */
    int head_after;       /* header-after-group: that group level, or 0 */
    lmark *cell_marks;    /* ids met inside cells, placed with the table */
    int grid_only;        /* a layout grid (grid_only_table), tagged as Divs */
} tbuild;

/* A cell read as something other than its printed text: a rating (its
 * word for its code) or any cell with alt= (a colour that means "Blue:
 * achieved TTAF").  Its row needs a cell saying what it rates. */
static int stood_in_cell(const qnode *cl) {
    return qdoc_attr(cl, "rating") || qdoc_attr(cl, "alt");
}

/* A table with no header row, no row header and no rated cell has nothing
 * a data table's cells could be announced with: it lays content out in a
 * grid (the outcomes framework of the sample).  PDF/UA wants such a grid
 * not tagged as a table; it is read as groups, cell by cell in row order. */
static int grid_only_table(const qnode *t) {
    for (const qnode *r = t->first; r; r = r->next) {
        if (r->type != QN_ROW) continue;
        if (ql_attr_true(r, "header")) return 0;
        for (const qnode *cl = r->first; cl; cl = cl->next)
            if (cl->type == QN_CELL && (ql_row_header_cell(cl) || stood_in_cell(cl)))
                return 0;
    }
    return 1;
}

/* The cell's TH or TD element, its scope, alt text and language.
 * row_head: the first cell of a body row holding a rated cell, which
 * identifies what the ratings rate (docs/format.md, "Tables"), so a
 * screen reader announces "criterion 1a, RAG this period, Amber" rather
 * than the rating with its column header only. */
static int cell_elem(tbuild *b, const qnode *cl, int tr, int header, int row_head) {
    L *l = b->l;
    int is_th = header || row_head || ql_row_header_cell(cl);
    int e = qdlist_add_elem(l->dl, b->grid_only ? QR_DIV : is_th ? QR_TH : QR_TD, tr);
    ql_elem_lang(l, e, cl);
    qdl_elem *el = &QVEC_AT(&l->dl->elems, qdl_elem, e);
    if (is_th) el->scope = header ? 2 : 1;
    return e;
}

/* The element a cell's content goes into: the cell, or, when alt= says
 * what the content reads as (a rating's word for its code), a Span under
 * it with that as /ActualText.  /Alt on the cell itself would stand for
 * the whole cell, so a client that lists cells (pdf.js) announces the
 * word where no cell content is.  Blocks cannot go into a Span: then the
 * cell's content itself reads as alt. */
static int cell_content_elem(tbuild *b, const qnode *cl, int cell) {
    qdlist *dl = b->l->dl;
    const char *alt = qdoc_attr(cl, "alt");
    if (!alt) return cell;
    int inline_only = 1;
    for (const qnode *n = cl->first; n; n = n->next)
        if (!ql_is_inline(n->type)) inline_only = 0;
    int e = inline_only ? qdlist_add_elem(dl, QR_SPAN, cell) : cell;
    QVEC_AT(&dl->elems, qdl_elem, e).actual = qarena_strdup(dl->arena, alt);
    return e;
}

/* The text box inside a cell: padded, unnumbered, in the cell's face
 * (qstyle_face_of: the table face, bold in a header row or with bold=),
 * aligned as align= says. */
static bctx cell_box(const tbuild *b, const lcell *ce, const qnode *cl, int e,
                     uint32_t color) {
    bctx cc = *b->c;
    cc.x = ce->x + b->pad;
    cc.w = ce->w - 2 * b->pad;
    if (cc.w < 1) cc.w = 1;
    cc.num_x = cc.x;
    cc.numbered = 0;
    cc.elem = e;
    cc.face = FACE_OF(cl);
    cc.size = b->size;
    cc.lh = b->lh;
    cc.para_after = 4;
    cc.color = color;
    const char *al = qdoc_attr(cl, "align");
    cc.align = al && strcmp(al, "center") == 0 ? 1 : al && strcmp(al, "right") == 0 ? 2 : 0;
    cc.in_cell = 1;
    return cc;
}

static void take_marks(lmark **from, lmark **to) {
    for (lmark *m = *from; m;) {
        lmark *nx = m->next;
        m->next = *to;
        *to = m;
        m = nx;
    }
    *from = NULL;
}

/* Lays the cell's content into l->clines and measures its lines (top and
 * bottom of each from the content top).  Marks of the lines (and of an
 * empty cell) move to the table, which places them. */
static void cell_content(tbuild *b, lcell *ce, const qnode *cl, const bctx *cc, int e) {
    L *l = b->l;
    ce->line0 = l->clines.len;
    l->out = &l->clines;
    l->pending_after = 0;
    ql_mark_node(l, cl);
    ql_mixed(l, cc, cl->first, e);
    l->label = NULL;
    size_t nl = ce->nlines = l->clines.len - ce->line0;
    ce->top = qarena_alloc(l->a, sizeof(float) * (nl ? nl : 1));
    ce->bottom = qarena_alloc(l->a, sizeof(float) * (nl ? nl : 1));
    float y = 0;
    for (size_t i = 0; i < nl; i++) {
        lline *ln = &QVEC_AT(&l->clines, lline, ce->line0 + i);
        if (i > 0) y += ln->before;
        ce->top[i] = y;
        y += ln->h;
        ce->bottom[i] = y;
        take_marks(&ln->marks, &b->cell_marks);
    }
    take_marks(&l->marks, &b->cell_marks); /* an id with no line (empty cell) */
    ce->content_h = y + 2 * b->pad;
}

/* The row's group element: THEAD for the leading header block, else TBODY. */
static int row_group(tbuild *b, int in_block) {
    L *l = b->l;
    if (b->grid_only) return b->te;
    if (in_block) {
        if (b->thead < 0) b->thead = qdlist_add_elem(l->dl, QR_THEAD, b->te);
        return b->thead;
    }
    if (b->tbody < 0) b->tbody = qdlist_add_elem(l->dl, QR_TBODY, b->te);
    return b->tbody;
}

/* The fill of a group heading row: the header fill at level 1, each
 * level below halfway to white. */
static uint32_t group_fill(int level) {
    uint32_t c = TABLE_HEAD_FILL;
    for (int k = 1; k < level; k++) {
        uint32_t r = (c >> 16) & 255, g = (c >> 8) & 255, b = c & 255;
        c = ((r + 255) / 2) << 16 | ((g + 255) / 2) << 8 | (b + 255) / 2;
    }
    return c;
}

/* Row r from <row> x: its cells laid out and measured; the row is as tall
 * as its tallest cell that does not span rows. */
static void table_row(tbuild *b, const qnode *x, int r) {
    L *l = b->l;
    ltable *tb = b->tb;
    int header = ql_attr_true(x, "header");
    int in_block = r < b->head_end;
    if (in_block) tb->nhead++;
    int tr = qdlist_add_elem(l->dl, b->grid_only ? QR_DIV : QR_TR, row_group(b, in_block));
    lrow *row = &tb->rows[r];
    /* a group heading row (group="1", "2" …: priority, theme) is bold on
     * a fill, lighter a level down, and never left last on a page */
    int group = ql_group_level(qdoc_attr(x, "group"));
    row->keep_next = group || ql_attr_true(x, "keep-with-next");
    int nc = 0, rated = 0;
    for (const qnode *cl = x->first; cl; cl = cl->next) {
        nc += cl->type == QN_CELL;
        rated |= cl->type == QN_CELL && stood_in_cell(cl);
    }
    row->cells = qarena_alloc(l->a, sizeof *row->cells * (size_t)(nc ? nc : 1));
    qtcell *qc = qarena_alloc(l->a, sizeof *qc * (size_t)(nc ? nc : 1));
    int ci = 0, qi = 0;
    float rh = b->lh + 2 * b->pad;
    for (const qnode *cl = x->first; cl; cl = cl->next) {
        qgrid_cell g;
        if (cl->type != QN_CELL || !qgrid_place(&b->grid, cl, &g)) continue;
        lcell *ce = &row->cells[ci++];
        ce->x = b->cx[g.col];
        ce->w = b->cx[g.col + g.span] - b->cx[g.col];
        ce->pad = b->pad;
        ce->rowspan = g.rspan;
        int rspan = g.rspan;
        int e = cell_elem(b, cl, tr, header, rated && !header && ci == 1);
        QVEC_AT(&l->dl->elems, qdl_elem, e).colspan = g.span;
        QVEC_AT(&l->dl->elems, qdl_elem, e).rowspan = g.rspan;
        uint32_t color;
        if (ql_node_colours(cl, 0xFFFFFF, TEXT_COLOR, &ce->fill, &color))
            ce->has_fill = 1;
        else if (header) { ce->fill = TABLE_HEAD_FILL; ce->has_fill = 1; }
        else if (group) { ce->fill = group_fill(group); ce->has_fill = 1; }
        int ct = cell_content_elem(b, cl, e);
        bctx cc = cell_box(b, ce, cl, ct, color);
        if (group) cc.face |= F_BOLD;
        cell_content(b, ce, cl, &cc, ct);
        if (rspan > 1) {
            ce->qi = -1; /* its height is shared by the rows it spans */
            continue;
        }
        if (ce->content_h > rh) rh = ce->content_h;
        ce->qi = qi;
        qc[qi].nlines = (int)ce->nlines;
        qc[qi].bottom = ce->bottom;
        qc[qi].pad = 2 * b->pad;
        qi++;
    }
    qgrid_end_row(&b->grid);
    row->ncells = ci;
    row->h = rh;
    tb->qrows[r] = (qtrow){rh, row->keep_next, qi, qc, in_block && !header,
                           !in_block && group && group == b->head_after};
}

/* Rows spanned by a cell stay together and are together at least as tall
 * as the cell: the last of them grows. */
static void rowspan_heights(ltable *tb) {
    for (int i = 0; i < tb->nrows; i++)
        for (int c = 0; c < tb->rows[i].ncells; c++) {
            const lcell *ce = &tb->rows[i].cells[c];
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
}

static ltable *table_new(L *l, int nrows, const bctx *c) {
    ltable *tb = qarena_alloc(l->a, sizeof *tb);
    tb->next_alloc = l->tables;
    l->tables = tb;
    tb->rows = qarena_alloc(l->a, sizeof *tb->rows * (size_t)nrows);
    tb->qrows = qarena_alloc(l->a, sizeof *tb->qrows * (size_t)nrows);
    tb->x = c->x;
    tb->w = c->w;
    return tb;
}

/* The table's box in the flow: what must fit before it starts a page is
 * its header rows and its first body row (or one line of it when that row
 * is tall). */
static void table_box(L *l, const bctx *c, ltable *tb, float lh, float pad) {
    float need = 0;
    for (int i = 0; i < tb->nhead; i++) need += tb->rows[i].h;
    if (tb->nhead < tb->nrows) {
        float fh = tb->rows[tb->nhead].h;
        need += fh < BODY_H / 3 ? fh : lh + 2 * pad;
    }
    if (need > BODY_H) need = BODY_H;
    size_t idx = ql_push_line(l, need, l->pending_after + 2, QPB_SPLIT);
    QVEC_AT(l->out, lline, idx).table = tb;
    ql_end_line(l, idx);
    l->pending_after = c->para_after + 2;
}

/* The cells of rows [i, end] of a nested table, staged on the current
 * line from its top: fills, the text of their lines (copied from the
 * lines in cl, which nothing else draws), and rules, the top and left of
 * every cell, the right at the table's edge, the bottom on its last row. */
static void nested_rows(L *l, const ltable *tb, const qvec *cl, int i, int end) {
    float y = 0;
    for (int j = i; j <= end; j++) {
        const lrow *row = &tb->rows[j];
        for (int k = 0; k < row->ncells; k++) {
            const lcell *ce = &row->cells[k];
            int last = j + (ce->rowspan > 1 ? ce->rowspan : 1) - 1;
            float h = 0;
            for (int m = j; m <= last && m <= end; m++) h += tb->rows[m].h;
            if (ce->has_fill) ql_stage_fill(l, -1, ce->x, y, ce->w, h, ce->fill);
            for (size_t n = 0; n < ce->nlines; n++) {
                const lline *ln = &QVEC_AT(cl, lline, ce->line0 + n);
                for (size_t q = 0; q < ln->nitems; q++) {
                    qdl_item it = QVEC_AT(&l->st, qdl_item, ln->item0 + q);
                    it.y += y + ce->pad + ce->top[n];
                    *ql_stage(l, it.kind, it.elem) = it;
                }
            }
            ql_stage_rule(l, ce->x, y, ce->w, 0, 0.5f, RULE_COLOR);
            ql_stage_rule(l, ce->x, y, 0, h, 0.5f, RULE_COLOR);
            if (ce->x + ce->w >= tb->x + tb->w - 0.01f)
                ql_stage_rule(l, ce->x + ce->w, y, 0, h, 0.5f, RULE_COLOR);
            if (last >= tb->nrows - 1)
                ql_stage_rule(l, ce->x, y + h, ce->w, 0, 0.5f, RULE_COLOR);
        }
        y += row->h;
    }
}

/* A table inside a table cell becomes lines of that cell: a row, or a
 * row and the rows its cells span down into, per line, so the outer
 * table places and splits them like the cell's other lines.  Marks of
 * its cells go on its first line. */
static void nested_lines(L *l, const bctx *c, const ltable *tb, const qvec *cl) {
    for (int i = 0; i < tb->nrows;) {
        int end = i;
        for (int j = i; j <= end && j < tb->nrows; j++)
            for (int k = 0; k < tb->rows[j].ncells; k++)
                if (j + tb->rows[j].cells[k].rowspan - 1 > end)
                    end = j + tb->rows[j].cells[k].rowspan - 1;
        if (end >= tb->nrows) end = tb->nrows - 1;
        float h = 0;
        for (int j = i; j <= end; j++) h += tb->rows[j].h;
        size_t idx = ql_push_line(l, h, i == 0 ? l->pending_after + 2 : 0, 0);
        nested_rows(l, tb, cl, i, end);
        ql_end_line(l, idx);
        i = end + 1;
    }
    l->pending_after = c->para_after + 2;
}

void ql_table(L *l, const bctx *c, const qnode *t, float size, float lh, float pad) {
    qgrid grid;
    qgrid_init(&grid, l->a, t);
    int ncols = grid.ncols, nrows = grid.nrows;
    if (ncols == 0 || nrows == 0) return;
    tbuild b = {l, c, NULL, ncols, nrows, column_edges(l, t, ncols, c->x, c->w, size, pad), grid,
                size, lh, pad, -1, -1, -1, ql_table_head_rows(t),
                ql_group_level(qdoc_attr(t, "header-after-group")), NULL, grid_only_table(t)};
    b.tb = table_new(l, nrows, c);
    b.te = qdlist_add_elem(l->dl, b.grid_only ? QR_DIV : QR_TABLE, c->elem);
    ql_mark_node(l, t);
    const char *caption = qdoc_attr(t, "caption");
    /* printed above the table as its Caption (its first child), kept with
     * it, so that sighted readers and screen readers get it alike; a
     * layout grid (a Div) has none */
    if (caption && caption[0] && !b.grid_only) {
        bctx cc = *c;
        cc.face = ATTR_FACE_OF(t, "caption");
        cc.size = size;
        cc.lh = lh;
        int ce = qdlist_add_elem(l->dl, QR_CAPTION, b.te);
        l->nruns = 0;
        rstyle st = ql_base_style(&cc);
        const char *cp = qarena_strdup(l->dl->arena, caption);
        ql_run_text(l, &st, cp, strlen(cp));
        ql_flow_runs(l, &cc, ce, 0, 2, 1);
    }
    lmark *outer_marks = l->marks;
    l->marks = NULL;
    qvec *save_out = l->out;
    float save_after = l->pending_after;
    /* in a cell, whose lines are being written to l->clines, the inner
     * cells' lines go apart until they are copied onto the cell's */
    qvec outer_cells = l->clines;
    if (c->in_cell) qvec_init(&l->clines, sizeof(lline));
    int r = 0;
    for (const qnode *x = t->first; x; x = x->next)
        if (x->type == QN_ROW) table_row(&b, x, r++);
    b.tb->nrows = r;
    rowspan_heights(b.tb);
    qvec inner_cells = l->clines;
    if (c->in_cell) l->clines = outer_cells;
    l->out = save_out;
    l->pending_after = save_after;
    l->marks = outer_marks;
    take_marks(&b.cell_marks, &l->marks);
    if (c->in_cell) {
        nested_lines(l, c, b.tb, &inner_cells);
        free(inner_cells.data);
    } else {
        table_box(l, c, b.tb, lh, pad);
    }
}

/* ---- drawing the plan ---------------------------------------------------------- */

/* Height a row-spanning cell covers from segment s: the segments of the
 * rows it spans placed on the same page (and in the same repeat). */
static float span_height(const ltable *t, size_t s, const lcell *ce) {
    const qtseg *sg = &t->plan.segs[s];
    float ch = 0;
    for (size_t j = s; j < t->plan.nsegs; j++) {
        const qtseg *o = &t->plan.segs[j];
        if (o->page != sg->page || o->repeat != sg->repeat ||
            o->row >= sg->row + ce->rowspan) break;
        ch += o->h;
    }
    return ch;
}

/* A cell's fill and the lines of it segment s shows.  A row-spanning cell
 * is drawn once, over the spanned rows placed on this page; lines that do
 * not fit are clipped.  Repeated header rows are artifacts. */
static void emit_cell(L *l, const ltable *t, size_t s, const lcell *ce, int pg, float top) {
    const qtseg *sg = &t->plan.segs[s];
    float ch = sg->h;
    int from = 0, to = (int)ce->nlines;
    if (ce->qi < 0) {
        ch = span_height(t, s, ce);
        while (to > 0 && ce->bottom[to - 1] + 2 * ce->pad > ch + 0.01f) to--;
    } else if (sg->lines >= 0) {
        from = t->plan.pool[sg->lines + 2 * ce->qi];
        to = t->plan.pool[sg->lines + 2 * ce->qi + 1];
    }
    if (ce->has_fill) {
        qdl_item *f = ql_put(l, pg, QDL_FILL, -1);
        f->x = ce->x; f->y = top; f->w = ce->w; f->h = ch; f->color = ce->fill;
    }
    float origin = from > 0 ? ce->bottom[from - 1] : 0;
    for (int k = from; k < to; k++) {
        const lline *ln = &QVEC_AT(&l->clines, lline, ce->line0 + k);
        float dy = top + ce->pad + ce->top[k] - origin;
        for (size_t i = 0; i < ln->nitems; i++)
            ql_copy_item(l, pg, &QVEC_AT(&l->st, qdl_item, ln->item0 + i), dy, sg->repeat);
    }
}

/* Rules: top and left of every cell, the right of the last; the bottom
 * only where no row follows on the same page, so shared edges are drawn
 * once. */
static void emit_cell_rules(L *l, const ltable *t, size_t s, int c, int pg, float top) {
    const qtseg *sg = &t->plan.segs[s];
    const lrow *row = &t->rows[sg->row];
    const lcell *ce = &row->cells[c];
    int last_on_page = s + 1 == t->plan.nsegs || t->plan.segs[s + 1].page != sg->page;
    float ch = ce->qi < 0 ? span_height(t, s, ce) : sg->h;
    float xs[4][4] = {{ce->x, top, ce->w, 0}, {ce->x, top, 0, ch},
                      {ce->x + ce->w, top, 0, ch}, {ce->x, top + ch, ce->w, 0}};
    int right_edge = ce->x + ce->w >= t->x + t->w - 0.01f;
    for (int k = 0; k < 4; k++) {
        if (k == 2 && c + 1 < row->ncells && !right_edge) continue;
        if (k == 3 && !last_on_page && ce->qi >= 0) continue;
        qdl_item *r = ql_put(l, pg, QDL_RULE, -1);
        r->x = xs[k][0]; r->y = xs[k][1]; r->w = xs[k][2]; r->h = xs[k][3];
        r->size = 0.5f; r->color = RULE_COLOR;
    }
}

void ql_emit_table(L *l, const lline *box) {
    const ltable *t = box->table;
    int moved = t->plan.nsegs && t->plan.segs[0].page > 0;
    ql_place_marks(l, box->marks, t->page0 + moved, MARGIN_T + (moved ? 0 : t->y0));
    for (size_t s = 0; s < t->plan.nsegs; s++) {
        const qtseg *sg = &t->plan.segs[s];
        int pg = t->page0 + sg->page;
        float top = MARGIN_T + (sg->page == 0 ? t->y0 : 0) + sg->y;
        const lrow *row = &t->rows[sg->row];
        /* a row-spanning cell is drawn with the first piece of its row */
        int first_piece = s == 0 || t->plan.segs[s - 1].row != sg->row ||
                          t->plan.segs[s - 1].repeat != sg->repeat;
        for (int c = 0; c < row->ncells; c++)
            if (first_piece || row->cells[c].qi >= 0)
                emit_cell(l, t, s, &row->cells[c], pg, top);
        for (int c = 0; c < row->ncells; c++)
            if (first_piece || row->cells[c].qi >= 0)
                emit_cell_rules(l, t, s, c, pg, top);
    }
}
