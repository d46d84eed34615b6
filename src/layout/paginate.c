/* Pagination decisions as pure functions over heights (see layout.h). */
#include "layout.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>


/* Height of the run of kept-together boxes starting at i. */
static float chain_height(const qpbox *b, size_t n, size_t i) {
    float h = b[i].h;
    for (size_t k = i + 1; k < n && (b[k - 1].flags & QPB_KEEP) &&
                           !(b[k].flags & QPB_PAGE); k++)
        h += b[k].before + b[k].h;
    return h;
}

int qpaginate(qpbox *b, size_t n, float body_h, qpg_split_fn split, void *ctx) {
    int page = 0;
    float y = 0;
    int at_top = 1;
    for (size_t i = 0; i < n; i++) {
        if ((b[i].flags & QPB_PAGE) && !at_top) {
            page++; y = 0; at_top = 1;
        }
        float before = at_top ? 0 : b[i].before;
        if (!at_top) {
            int chain_start = i == 0 || !(b[i - 1].flags & QPB_KEEP);
            int brk = 0;
            if (chain_start) {
                float ch = chain_height(b, n, i);
                if (y + before + ch > body_h && ch <= body_h) brk = 1;
            }
            /* A split box places itself from wherever it starts. */
            if (!(b[i].flags & QPB_SPLIT) && y + before + b[i].h > body_h) brk = 1;
            if (brk) { page++; y = 0; at_top = 1; before = 0; }
        }
        b[i].page = page;
        b[i].y = y + before;
        if ((b[i].flags & QPB_SPLIT) && split) {
            int p = page;
            float yy = y + before;
            split(ctx, i, &p, &yy, body_h);
            page = p; y = yy;
        } else {
            y += before + b[i].h;
        }
        at_top = 0;
    }
    return page + 1;
}

void qpg_para_keeps(size_t n, unsigned char *keep) {
    for (size_t i = 0; i < n; i++) keep[i] = 0;
    if (n < 2) return;
    keep[0] = 1;          /* orphan: line 1 not alone at a page bottom */
    keep[n - 2] = 1;      /* widow: line n not alone at a page top */
}

/* ---- tables ------------------------------------------------------------ */

static void seg(qtplan *o, int page, int row, float y, float h, int repeat,
                int lines) {
    o->segs = qgrow(o->segs, &o->cap_segs, o->nsegs + 1, sizeof *o->segs);
    qtseg *s = &o->segs[o->nsegs++];
    s->page = page; s->row = row; s->y = y; s->h = h;
    s->repeat = repeat; s->lines = lines;
}

static float line_top(const qtcell *c, int i) {
    return i > 0 ? c->bottom[i - 1] : 0;
}

/* Height of what is left of a row whose cells start at cur[]. */
static float rest_height(const qtrow *r, const int *cur) {
    float h = 0, pad = 0;
    for (int c = 0; c < r->ncells; c++) {
        const qtcell *cl = &r->cells[c];
        if (cl->pad > pad) pad = cl->pad;
        if (cur[c] >= cl->nlines) continue;
        float t = cl->bottom[cl->nlines - 1] - line_top(cl, cur[c]);
        if (t > h) h = t;
    }
    return h + pad;
}

/* The least of a row that must fit where it starts: its first line. */
static float first_line_height(const qtrow *r) {
    float h = 0, pad = 0;
    for (int c = 0; c < r->ncells; c++) {
        const qtcell *cl = &r->cells[c];
        if (cl->pad > pad) pad = cl->pad;
        if (cl->nlines && cl->bottom[0] > h) h = cl->bottom[0];
    }
    return h + pad;
}

void qtable_plan(const qtrow *rows, int nrows, int nhead, float first_avail,
                 float page_avail, qtplan *o) {
    o->nsegs = 0;
    o->npool = 0;
    if (nhead > nrows) nhead = nrows;
    if (nhead < 0) nhead = 0;
    float head_h = 0;
    for (int r = 0; r < nhead; r++) head_h += rows[r].lead_only ? 0 : rows[r].h;
    /* A header that eats most of a page is not repeated: repeating it
     * would leave no room to make progress. */
    int repeat = head_h <= page_avail / 2;
    float rep_h = repeat ? head_h : 0;
    float body_avail = page_avail - rep_h;

    int page = 0;
    float avail = first_avail;
    if (nrows > nhead) {
        const qtrow *f = &rows[nhead];
        float need = head_h + (f->h <= body_avail ? f->h : first_line_height(f));
        if (need > first_avail && first_avail < page_avail) {
            page = 1;
            avail = page_avail;
        }
    }
    float y = 0;
    for (int r = 0; r < nhead; r++) {
        seg(o, page, r, y, rows[r].h, 0, -1);
        y += rows[r].h;
    }
    int maxc = 0;
    for (int r = 0; r < nrows; r++) if (rows[r].ncells > maxc) maxc = rows[r].ncells;
    int *cur = calloc((size_t)maxc + 1, sizeof *cur);
    if (!cur) qfatal_oom();
    int partial = 0, first_on_page = 1;
    int r = nhead;
    while (r < nrows) {
        const qtrow *row = &rows[r];
        float rh = partial ? rest_height(row, cur) : row->h;
        int newpage = 0;
        if (y + rh <= avail) {
            if (!partial && row->keep_next && !first_on_page && r + 1 < nrows) {
                float chain = rh + (row->head_after ? rep_h : 0);
                int k = r;
                while (k + 1 < nrows && rows[k].keep_next && chain <= body_avail) {
                    k++;
                    chain += rows[k].h <= body_avail ? rows[k].h
                                                     : first_line_height(&rows[k]);
                    if (rows[k].keep_next && rows[k].head_after) chain += rep_h;
                }
                if (chain <= body_avail && y + chain > avail) newpage = 1;
            }
            if (!newpage) {
                if (partial) {
                    int off = (int)o->npool;
                    o->pool = qgrow(o->pool, &o->cap_pool, o->npool + 2 * (size_t)row->ncells,
                                   sizeof *o->pool);
                    for (int c = 0; c < row->ncells; c++) {
                        o->pool[o->npool++] = cur[c];
                        o->pool[o->npool++] = row->cells[c].nlines;
                    }
                    seg(o, page, r, y, rh, 0, off);
                } else {
                    seg(o, page, r, y, rh, 0, -1);
                }
                y += rh;
                r++;
                partial = 0;
                first_on_page = 0;
                /* the header again under a group heading, when the table
                 * asks (header-after-group); where it does not fit, the
                 * next page repeats it */
                if (row->head_after && rep_h > 0 && r < nrows) {
                    if (y + rep_h > avail) {
                        newpage = 1;
                    } else {
                        for (int h = 0; h < nhead; h++) {
                            if (rows[h].lead_only) continue;
                            seg(o, page, h, y, rows[h].h, 1, -1);
                            y += rows[h].h;
                        }
                        continue;
                    }
                } else {
                    continue;
                }
            }
        } else if (!first_on_page && rh <= body_avail) {
            newpage = 1;
        } else {
            /* Taller than a page (or alone at the top and still too tall):
             * split inside the cells, taking the lines that fit. */
            if (!partial) memset(cur, 0, sizeof *cur * (size_t)(maxc + 1));
            float space = avail - y;
            int off = (int)o->npool;
            o->pool = qgrow(o->pool, &o->cap_pool, o->npool + 2 * (size_t)row->ncells,
                           sizeof *o->pool);
            int moved = 0, done = 1;
            float ph = 0, pad = 0;
            for (int c = 0; c < row->ncells; c++) {
                const qtcell *cl = &row->cells[c];
                if (cl->pad > pad) pad = cl->pad;
                float top = line_top(cl, cur[c]);
                int to = cur[c];
                while (to < cl->nlines && cl->bottom[to] - top + cl->pad <= space) to++;
                o->pool[off + 2 * c] = cur[c];
                o->pool[off + 2 * c + 1] = to;
                if (to > cur[c]) moved = 1;
            }
            if (!moved && !first_on_page) {
                newpage = 1;
            } else {
                if (!moved) /* guarantee progress: one line per cell */
                    for (int c = 0; c < row->ncells; c++)
                        if (cur[c] < row->cells[c].nlines)
                            o->pool[off + 2 * c + 1] = cur[c] + 1;
                for (int c = 0; c < row->ncells; c++) {
                    const qtcell *cl = &row->cells[c];
                    int from = o->pool[off + 2 * c], to = o->pool[off + 2 * c + 1];
                    if (to > from) {
                        float t = cl->bottom[to - 1] - line_top(cl, from);
                        if (t > ph) ph = t;
                    }
                    cur[c] = to;
                    if (to < cl->nlines) done = 0;
                }
                o->npool += 2 * (size_t)row->ncells;
                ph += pad;
                seg(o, page, r, y, ph, 0, off);
                y += ph;
                first_on_page = 0;
                if (done) { r++; partial = 0; }
                else { partial = 1; newpage = 1; }
            }
        }
        if (newpage) {
            page++;
            avail = page_avail;
            y = 0;
            if (repeat)
                for (int h = 0; h < nhead; h++) {
                    if (rows[h].lead_only) continue;
                    seg(o, page, h, y, rows[h].h, 1, -1);
                    y += rows[h].h;
                }
            first_on_page = 1;
        }
    }
    free(cur);
    o->pages = page + 1;
    o->end_y = y;
}

void qtplan_free(qtplan *p) {
    free(p->segs);
    free(p->pool);
    memset(p, 0, sizeof *p);
}

void qlayout_col_widths(const char *const *spec, int n, float w, float *out) {
    float fixed = 0, stars = 0;
    for (int i = 0; i < n; i++) {
        const char *s = spec ? spec[i] : NULL;
        /* a bare number is a share, as it always was; what cannot be read
         * (the schema lets it through) is one share */
        qlen l = {1.0, QLEN_STAR};
        if (s)
            (void)qlen_parse(s, QLEN_ALLOW_PX | QLEN_ALLOW_PERCENT | QLEN_ALLOW_STAR |
                                    QLEN_ALLOW_BARE, &l);
        if (l.kind == QLEN_PERCENT) { out[i] = (float)(l.value * w / 100.0); fixed += out[i]; }
        else if (l.kind == QLEN_PT) { out[i] = (float)l.value; fixed += out[i]; }
        else { out[i] = -(float)(l.value > 0 ? l.value : 1.0); stars += -out[i]; }
    }
    float scale = fixed > w && fixed > 0 ? w / fixed : 1.0f;
    float rest = w - fixed * scale;
    if (rest < 0) rest = 0;
    for (int i = 0; i < n; i++) {
        if (out[i] < 0) out[i] = stars > 0 ? rest * (-out[i]) / stars : 0;
        else out[i] *= scale;
    }
}
