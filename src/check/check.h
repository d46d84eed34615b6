/* The check folder's internal interface: the checks of bounds
 * (check_bounds.c) that check.c runs on reports and check_meeting.c on
 * meeting files. */
#ifndef QUORUM_CHECK_H
#define QUORUM_CHECK_H
#include "doc.h"

/* Numbers and sizes an author writes that layout or the PDF could not
 * honour: table spans past the table, lengths past what a page can hold,
 * text too long for the PDF strings it becomes.  Each at its position. */
void qcheck_bounds(const quorum_doc *doc, quorum_diags *d);

/* Values (check_values.c): directions of travel, options with
 * select="one", a key decision's forward plan reference, ratings and
 * scores anywhere and the report's own scales. */
void qcheck_values(const quorum_doc *doc, quorum_diags *d);
#endif
