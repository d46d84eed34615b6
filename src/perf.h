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
 * it can and leaves reporting to qperf_check. */
void qperf_expand(quorum_doc *doc);

/* Checks the data: ratings from the declared scale, every criterion rated
 * in every period, unique period ids and codes, colours valid, text/fill
 * contrast at least 4.5:1.  Returns the number of errors added. */
size_t qperf_check(const quorum_doc *doc, quorum_diags *d);
#endif
