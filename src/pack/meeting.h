/* Meeting files (docs/meeting.md): checks that pack.c and quorum_doc_check
 * share.  The loader (load.c) reads a <meeting> root like a report, checks
 * item report="…" paths (the same rule as appendix hrefs) and numbers the
 * agenda items (qnode.number: "1", "9A", …); it never opens the reports. */
#ifndef QUORUM_MEETING_H
#define QUORUM_MEETING_H
#include <stddef.h>

#include "doc.h"

/* Every check of a meeting file: unknown elements, duplicate ids,
 * characters the fonts lack, required fields, real dates and time, the
 * clerk's contact, item titles, exempt paragraphs (1-7), late items and
 * urgency, item number order, open items after exempt ones, and the five
 * clear working days rule (s.100B(3) LGA 1972) with the bank holidays in
 * holidays_path (NULL = the list compiled in, util/builtin.h).  Characters
 * are checked against the faces of the style opt names.  It does not look at the reports
 * the items name (pack.c does).  quorum_doc_check on a meeting document
 * calls this with the engine's list, so call one or the other, not both.  Returns the
 * number of errors added to d. */
size_t qmeeting_check(const quorum_engine *e, const quorum_doc *meeting,
                      const quorum_options *opt, const char *holidays_path,
                      quorum_diags *d);

/* Reads a bank holiday list: one ISO date a line, '#' starts a comment,
 * blank lines ignored (path NULL = the list compiled in).  Returns 0 and
 * sets *days (malloc'd, in file order; free() it) and *n; or -1 with
 * errors in d (a line that is not a real date is positioned in that file;
 * an unreadable file has no line), *days = NULL and *n = 0. */
int qmeeting_holidays_load(const char *path, long **days, size_t *n,
                           quorum_diags *d);

/* The meeting's <date> (which = QN_DATE) or <published> (QN_PUBLISHED),
 * or an item's published="…" (which = QN_AGENDA_ITEM, n = the item), as
 * days since 1970 (qdate.h).  0 and *days, or -1 when absent or not a
 * real date (qmeeting_check says so). */
int qmeeting_date(const quorum_doc *meeting, qdoc_type which, const qnode *n,
                  long *days);

/* The statute exempt items are withheld under, as every message and page
 * cites it (a string literal, to be joined with others). */
#define QMEETING_SCHEDULE12A "Part 1 of Schedule 12A to the Local Government Act 1972"
/* What paragraph 1-7 of QMEETING_SCHEDULE12A (England) covers, as
 * docs/meeting.md quotes it ("information relating to any individual");
 * NULL for any other number.  The one copy of that wording: the check,
 * the agenda and the exempt-item pages all take it from here. */
const char *qmeeting_schedule12a(int paragraph);

/* quorum_pack_load of a meeting file's bytes (copied; name stands for its
 * path, in diagnostics and in the pack's source paths), whose reports
 * come from fn, asked for by their report="…" name, as do their
 * appendices and images (quorum_resolve_fn: what fn gives, the loader
 * frees).  Nothing is read from the file system (but the style's files).
 * For the fuzz harness tests/fuzz/fuzz_meeting.c. */
quorum_pack *qpack_load_memory(const quorum_engine *e, const char *data,
                               size_t len, const char *name,
                               quorum_resolve_fn fn, void *ctx,
                               quorum_diags *d);

/* The checks of check.c that apply to any document (unknown elements,
 * duplicate ids, characters the fonts lack); for qmeeting_check. */
void qcheck_common(const quorum_engine *e, const quorum_doc *doc,
                   const quorum_options *opt, quorum_diags *d);
#endif
