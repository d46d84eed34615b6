/* Performance appendices: outcomes, criteria and ratings declared once as
 * data (<performance>), from which the summary table, the per-outcome
 * tables, the rating definitions note and the movement section are
 * generated.  Generated content is ordinary document-tree nodes (tables,
 * rows, cells with fill/color/alt attributes, paragraphs, bar charts), so
 * layout needs no knowledge of ratings. */
#ifndef QUORUM_PERF_H
#define QUORUM_PERF_H
#include "doc.h"

/* Replaces every generated placeholder (<summary-table/>, <outcome-details/>,
 * <rating-definitions/>, <movement/>, <outcome-list/>) with generated nodes,
 * positioned at the placeholder.  Called by the loader after qdoc_number().
 * Tolerates invalid data (ratings missing, unknown codes): it generates what
 * it can and leaves reporting to qperf_check.
 *
 * Rated cells and chart segments carry rating="CODE"; fill and color only
 * when the scale gives the value's colours.  A <cell rating="CODE"> an
 * author wrote in any table gets the same from the report's only
 * <performance> (when it has exactly one): its colours, unless the cell
 * sets fill or color, and the value's word as alt text, unless it has one. */
void qperf_expand(quorum_doc *doc);

/* Checks the data: ratings from the declared scale, every criterion rated
 * in every period, unique period ids and codes, colours valid, text/fill
 * contrast at least 4.5:1.  Returns the number of errors added. */
size_t qperf_check(const quorum_doc *doc, quorum_diags *d);

/* ---- helpers, exposed for the unit tests ---------------------------- */

/* "#RRGGBB" -> rgb; 0 on success, -1 when s is not of that form. */
int qperf_parse_colour(const char *s, unsigned char rgb[3]);
/* WCAG 2 relative luminance of an sRGB colour, 0..1. */
double qperf_luminance(const unsigned char rgb[3]);
/* WCAG 2 contrast ratio (1..21) between two "#RRGGBB" colours; -1 when
 * either is not a valid colour. */
double qperf_contrast(const char *fg, const char *bg);

/* One value of a rating scale.  Improvement order: the larger rank is the
 * better value; ranked == 0 (rank="none", e.g. "N/A") stands outside the
 * order. */
typedef struct qperf_value {
    const char *code, *text, *fill, *color;
    const char *definition; /* default scale only; else the node's content */
    const qnode *node;      /* the <rating>, NULL for the default scale */
    int rank, ranked;
    /* the document gives this value's colours (its <rating> has fill= or
     * color=); else fill and color are the built-in defaults, and what
     * prints them carries rating="CODE" alone so that layout takes the
     * house style's colours for the code (docs/style.md) */
    int own_colours;
} qperf_value;

typedef struct qperf_scale {
    qperf_value *v;
    size_t n;
} qperf_scale;

/* The <scale> of a performance, or the default R/A/G scale when it has
 * none.  Storage in the arena. */
void qperf_scale_read(qarena *a, const qnode *perf, qperf_scale *out);
/* Index of code in the scale, or -1. */
int qperf_scale_find(const qperf_scale *s, const char *code);

typedef enum qperf_direction {
    QPERF_UNCHANGED = 0,
    QPERF_IMPROVED,
    QPERF_DECLINED,
    QPERF_CHANGED   /* to or from an unranked (or unknown) value */
} qperf_direction;

qperf_direction qperf_compare(const qperf_scale *s, const char *from,
                              const char *to);
const char *qperf_direction_word(qperf_direction d); /* "improved" ... */

/* The value a criterion has in a period (first <rated> for it), or NULL. */
const char *qperf_rating(const qnode *criterion, const char *period);

/* counts[i] (s->n entries, zeroed here) = criteria of perf rated s->v[i]
 * in period.  Returns how many criteria have no known value there. */
size_t qperf_count(const qnode *perf, const qperf_scale *s,
                   const char *period, size_t *counts);

typedef struct qperf_change {
    const qnode *outcome, *criterion;
    const char *from, *to;
    qperf_direction dir;
} qperf_change;

/* Criteria whose value differs between periods `from` and `to` (both
 * rated), in document order.  *out is an arena array.  Returns the count. */
size_t qperf_changes(qarena *a, const qnode *perf, const qperf_scale *s,
                     const char *from, const char *to, qperf_change **out);

/* Printed number of an outcome ("6") and letter of a criterion ("e"):
 * the attribute when given, else the position. */
const char *qperf_outcome_number(qarena *a, const qnode *outcome);
const char *qperf_criterion_letter(qarena *a, const qnode *criterion);

/* The <performance> with id == id anywhere under root; when id is NULL,
 * the only performance (NULL when there are none or several). */
const qnode *qperf_find(const qnode *root, const char *id);
#endif
