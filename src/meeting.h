/* Meeting-file checks (docs/meeting.md): structure, dates, the
 * clear-days publication rule, urgency of late items. */
#ifndef QUORUM_MEETING_H
#define QUORUM_MEETING_H
#include <stddef.h>
#include "quorum.h"

/* Returns the number of errors added to d.  holidays_path: bank holiday
 * list; NULL = the built-in data file. */
size_t qmeeting_check(const quorum_doc *meeting, const char *holidays_path, quorum_diags *d);
#endif
