/* Calendar dates (no time zones: committee papers deal in days).  Dates
 * are days since 1970-01-01 so that comparisons and differences are plain
 * integer arithmetic. */
#ifndef QUORUM_QDATE_H
#define QUORUM_QDATE_H
#include <stddef.h>

/* Parses "YYYY-MM-DD" exactly (no trailing text); returns 0 and sets *days,
 * or -1 for anything else, including 2025-02-30. */
int qdate_parse(const char *s, long *days);
void qdate_ymd(long days, int *y, int *m, int *d);
int qdate_weekday(long days); /* 0 = Monday … 6 = Sunday */
/* "8 January 2025" / "Wednesday, 29 January 2025" into buf (>= 40 bytes). */
void qdate_format(long days, int with_weekday, char *buf, size_t n);

/* Clear working days strictly between publication and meeting: not
 * counting either day, weekends, or any of the nholidays bank holidays
 * (sorted or not).  Negative when the meeting is not after publication. */
long qdate_clear_days(long published, long meeting, const long *holidays,
                      size_t nholidays);
#endif
