/* The scaffold folder's internal interface: new reports made from the
 * templates installed with the library (quorum.h, quorum_new_report;
 * templates/ in the source tree, share/quorum/templates installed). */
#ifndef QUORUM_SCAFFOLD_H
#define QUORUM_SCAFFOLD_H
#include <quorum.h>
#include <stddef.h>

/* The template used when none is named. */
#define QSCAFFOLD_DEFAULT "committee"

/* Whether name can only name a folder of the templates directory (lower
 * case letters, digits and hyphens, not empty): anything else is refused
 * before a path is made of it. */
int qscaffold_name_ok(const char *name);
#endif
