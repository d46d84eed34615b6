#include "util.h"

#include <stdio.h>
#include <string.h>

static const char *month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};
static const char *day_names[7] = {"Monday", "Tuesday", "Wednesday",
                                   "Thursday", "Friday", "Saturday", "Sunday"};

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables. */
static long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void qdate_ymd(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int qdate_parse_ymd(const char *s, int *y, int *m, int *d) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mm < 1 || mm > 12 || dd < 1) return -1;
    if (dd > mdays[mm - 1] + (mm == 2 && is_leap(yy))) return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}

int qdate_parse(const char *s, long *days) {
    int y, m, d;
    if (qdate_parse_ymd(s, &y, &m, &d) != 0) return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

int qdate_weekday(long days) {
    /* 1970-01-01 was a Thursday (3). */
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

void qdate_format(long days, int with_weekday, char *buf, size_t n) {
    int y, m, d;
    qdate_ymd(days, &y, &m, &d);
    if (with_weekday)
        snprintf(buf, n, "%s, %d %s %d", day_names[qdate_weekday(days)], d,
                 month_names[m - 1], y);
    else
        snprintf(buf, n, "%d %s %d", d, month_names[m - 1], y);
}

const char *qdate_words(qarena *a, const char *iso, int with_weekday) {
    long days;
    if (!iso) return "";
    if (qdate_parse(iso, &days) != 0) return iso;
    char buf[64];
    qdate_format(days, with_weekday, buf, sizeof buf);
    return qarena_strdup(a, buf);
}

const char *qdate_document(qarena *a, long long source_date_epoch,
                           const char *otherwise) {
    /* past 9999-12-31 a date has no YYYY-MM-DD form */
    if (source_date_epoch < 0 || source_date_epoch / 86400 > days_from_civil(9999, 12, 31))
        return otherwise;
    int y, m, d;
    qdate_ymd((long)(source_date_epoch / 86400), &y, &m, &d);
    return qarena_printf(a, "%04d-%02d-%02d", y, m, d);
}

long qdate_clear_days(long published, long meeting, const long *holidays,
                      size_t nholidays) {
    if (meeting <= published) return (long)(meeting - published) - 1;
    long n = 0;
    for (long day = published + 1; day < meeting; day++) {
        if (qdate_weekday(day) >= 5) continue;
        int holiday = 0;
        for (size_t i = 0; i < nholidays; i++)
            if (holidays[i] == day) { holiday = 1; break; }
        if (!holiday) n++;
    }
    return n;
}
