/* The check folder's internal interface: the checks of bounds
 * (check_bounds.c) and of the front sheet (check_front.c) that check.c
 * runs on reports and check_meeting.c on meeting files. */
#ifndef QUORUM_CHECK_H
#define QUORUM_CHECK_H
#include "doc.h"

/* Numbers and sizes an author writes that layout or the PDF could not
 * honour: table spans past the table, lengths past what a page can hold,
 * text too long for the PDF strings it becomes.  Each at its position. */
void qcheck_bounds(const quorum_doc *doc, quorum_diags *d);

/* The front sheet's status and classification (check_front.c): a value
 * outside the vocabulary is an error naming the accepted ones, and
 * paragraph= must list paragraphs of the report's law on an exempt status. */
void qcheck_front(const quorum_doc *doc, qarena *a, quorum_diags *d);
/* The law a meeting's or report's exempt paragraphs are read under
 * (qdoc_law_of): a law= naming none is an error at it, and England is
 * assumed after it.  qcheck_paragraphs: an error at `at` (exempt-paragraph=
 * or paragraph=) unless its value lists paragraphs of that law, naming
 * the law and its range. */
qdoc_law qcheck_law(const quorum_doc *doc, quorum_diags *d);
void qcheck_paragraphs(quorum_diags *d, const qattr *at, qdoc_law law);
/* A warning at `at` unless its value is one of known[0..n): the nearest
 * known one ("did you mean"), or the list when none is near.  what names
 * the kind ("field role"). */
void qcheck_word(quorum_diags *d, qarena *a, const qattr *at, const char *what,
                 const char *const *known, size_t n);
/* Values (check_values.c): directions of travel, options with
 * select="one", a key decision's forward plan reference, ratings and
 * scores anywhere and the report's own scales. */
void qcheck_values(const quorum_doc *doc, quorum_diags *d);
#endif
