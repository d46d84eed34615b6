/* Bounds of what authors write (check.h): spans, lengths, string sizes. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static qpos at_attr(const qnode *n, const char *name) {
    const qattr *a = qdoc_attr_get(n, name);
    return a ? a->pos : n->pos;
}

/* ---- table spans ------------------------------------------------------ */

/* Every cell placed as layout places it (doc/grid.c); what layout would
 * cut or leave out is an error here, a row that leaves columns empty a
 * warning (a cell forgotten, or one too many in another row, draws the
 * table ragged). */
static void table_spans(const qnode *t, qarena *a, quorum_diags *d) {
    qgrid g;
    qgrid_init(&g, a, t);
    /* <col>s say how wide the table is; a cell past them is its own error,
     * not a reason to call every other row short */
    int width = g.nspec > 0 && g.nspec < g.ncols ? g.nspec : g.ncols;
    for (const qnode *x = t->first; x; x = x->next) {
        if (x->type != QN_ROW) continue;
        int filled = 0; /* columns held from above, then cells' spans */
        for (int k = 0; k < g.ncols; k++) filled += g.occ[k] > 0;
        for (const qnode *cl = x->first; cl; cl = cl->next) {
            if (cl->type != QN_CELL) continue;
            qgrid_cell c;
            if (!qgrid_place(&g, cl, &c)) {
                qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, cl->pos,
                                "this cell is past column %d: a table has at most %d "
                                "columns", QDOC_MAX_COLUMNS, QDOC_MAX_COLUMNS);
                continue;
            }
            filled += c.span;
            const char *cs = qdoc_attr(cl, "colspan");
            if (c.want_span > QDOC_MAX_COLUMNS)
                qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at_attr(cl, "colspan"),
                                "colspan=\"%s\" is wider than any table: a table has at "
                                "most %d columns", cs, QDOC_MAX_COLUMNS);
            else if (g.nspec > 0 && c.col + c.want_span > g.nspec)
                qdiag_add(d, QUORUM_ERROR, cs ? at_attr(cl, "colspan") : cl->pos,
                          "%s%s%s runs past the table's %d columns (its <col> "
                          "elements): the cell starts in column %d",
                          cs ? "colspan=\"" : "this cell", cs ? cs : "", cs ? "\"" : "",
                          g.nspec, c.col + 1);
            else if (c.span < c.want_span)
                qdiag_add(d, QUORUM_ERROR, at_attr(cl, "colspan"),
                          "colspan=\"%s\" runs into column %d, which a rowspan from a "
                          "row above holds", cs, c.col + c.span + 1);
            if (c.rspan < c.want_rspan)
                qdiag_add(d, QUORUM_ERROR, at_attr(cl, "rowspan"),
                          "rowspan=\"%s\" runs past the table's last row (%d row%s "
                          "from here)", qdoc_attr(cl, "rowspan"), c.rspan,
                          c.rspan == 1 ? "" : "s");
        }
        if (filled < width)
            qdiag_add(d, QUORUM_WARNING, x->pos,
                      "this row has cells for %d of the table's %d columns: the "
                      "rest are drawn empty (add cells, or a colspan)", filled, width);
        qgrid_end_row(&g);
    }
}

/* ---- lengths ------------------------------------------------------------ */

/* A length attribute as layout reads it (util/length): past a bound, or in
 * a form this attribute does not take (a share for an image), layout
 * would fall back to a default without a word.  What the schema's
 * pattern refuses, it says. */
static void length_attr(const qnode *n, const char *name, unsigned allow, quorum_diags *d) {
    const qattr *a = qdoc_attr_get(n, name);
    if (!a) return;
    qlen l;
    const char *e = qlen_parse(a->value, allow, &l);
    if (qlen_out_of_bounds(e))
        qdiag_add(d, QUORUM_ERROR, a->pos, "%s=\"%s\" is %s", name, a->value, e);
    else if (e && strcmp(e, "unit not allowed here") == 0)
        qdiag_add(d, QUORUM_ERROR, a->pos, "%s=\"%s\": a share (*) sizes table "
                  "columns only", name, a->value);
}

static void lengths(const qnode *n, quorum_diags *d) {
    const unsigned fig = QLEN_ALLOW_PX | QLEN_ALLOW_PERCENT | QLEN_ALLOW_BARE;
    switch (n->type) {
    case QN_COL:
        length_attr(n, "width", fig | QLEN_ALLOW_STAR, d);
        break;
    case QN_IMAGE:
        length_attr(n, "width", fig, d);
        length_attr(n, "height", fig, d);
        break;
    case QN_TABLE:
        length_attr(n, "width", fig, d);
        break;
    default:
        break;
    }
}

/* A segment's value past QDOC_MAX_VALUE (a decimal may have any number
 * of digits) would be drawn as nothing. */
static void segment_value(const qnode *n, quorum_diags *d) {
    const qattr *a = qdoc_attr_get(n, "value");
    double v;
    if (a && qdoc_value(a->value, &v) != 0 && strtod(a->value, NULL) > QDOC_MAX_VALUE)
        qdiag_add(d, QUORUM_ERROR, a->pos, "value=\"%.40s%s\" is more than a chart "
                  "can draw (at most 10^15)", a->value, strlen(a->value) > 40 ? "..." : "");
}

void qcheck_bounds(const quorum_doc *doc, quorum_diags *d) {
    if (!doc || !doc->root) return;
    qarena *a = qarena_new(0);
    for (const qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type == QN_TABLE) table_spans(n, a, d);
        lengths(n, d);
        if (n->type == QN_SEGMENT) segment_value(n, d);
    }
    qarena_free(a);
}
