/* The grid of a table (doc.h, "grid"), and a chart's values. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

int qdoc_span(const qnode *cell, const char *attr) {
    const char *v = qdoc_attr(cell, attr);
    if (!v) return 1;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v) return 1;
    if (n > INT_MAX) return INT_MAX;
    return n < 1 ? 1 : (int)n;
}

int qgrid_place(qgrid *g, const qnode *cell, qgrid_cell *out) {
    int *occ = g->occ, n = g->ncols;
    while (g->col < n && occ[g->col] > 0) g->col++;
    if (g->col >= n) return 0;
    out->col = g->col;
    out->want_span = qdoc_span(cell, "colspan");
    out->want_rspan = qdoc_span(cell, "rowspan");
    int span = out->want_span < n - g->col ? out->want_span : n - g->col;
    for (int k = g->col + 1; k < g->col + span; k++)
        if (occ[k] > 0) { span = k - g->col; break; }
    int left = g->nrows - g->row;
    out->span = span;
    out->rspan = out->want_rspan < left ? out->want_rspan : left;
    if (out->rspan > 1)
        for (int k = g->col; k < g->col + span; k++) occ[k] = out->rspan;
    g->col += span;
    if (g->col > g->reach) g->reach = g->col;
    return 1;
}

void qgrid_end_row(qgrid *g) {
    int n = g->reach < g->ncols ? g->reach : g->ncols;
    for (int k = 0; k < n; k++)
        if (g->occ[k] > 0) g->occ[k]--;
    g->row++;
    g->col = 0;
}

/* Places every cell on a grid QDOC_MAX_COLUMNS wide: the widest row is
 * where the last cell of any row ends, and the same placement on a grid
 * that wide cuts nothing more. */
static int widest_row(qgrid *g, const qnode *t) {
    int widest = 0;
    for (const qnode *x = t->first; x; x = x->next) {
        if (x->type != QN_ROW) continue;
        qgrid_cell c;
        for (const qnode *cl = x->first; cl; cl = cl->next)
            if (cl->type == QN_CELL && qgrid_place(g, cl, &c) && c.col + c.span > widest)
                widest = c.col + c.span;
        qgrid_end_row(g);
    }
    return widest;
}

void qgrid_init(qgrid *g, qarena *a, const qnode *t) {
    memset(g, 0, sizeof *g);
    for (const qnode *x = t->first; x; x = x->next) {
        if (x->type == QN_COL) g->nspec++;
        if (x->type == QN_ROW) g->nrows++;
    }
    int scratch[QDOC_MAX_COLUMNS] = {0};
    g->ncols = QDOC_MAX_COLUMNS;
    g->occ = scratch;
    int w = widest_row(g, t);
    if (w > 0 && g->nspec > w) w = g->nspec < QDOC_MAX_COLUMNS ? g->nspec : QDOC_MAX_COLUMNS;
    g->ncols = w;
    g->row = g->col = g->reach = 0;
    g->occ = qarena_alloc(a, sizeof *g->occ * (size_t)(w ? w : 1));
}

int qdoc_value(const char *s, double *out) {
    *out = 0;
    if (!s) return -1;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') end++;
    if (end == s || *end || !isfinite(v) || v < 0 || v > QDOC_MAX_VALUE) return -1;
    *out = v;
    return 0;
}
