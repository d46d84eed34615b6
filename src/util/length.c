#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct unit {
    const char *name;
    double pt;         /* points per unit; 0 = not absolute */
    qlen_kind kind;
    unsigned allow;    /* flag needed, 0 = always accepted */
} units[] = {
    {"pt", 1.0, QLEN_PT, 0},
    {"mm", 72.0 / 25.4, QLEN_PT, 0},
    {"cm", 720.0 / 25.4, QLEN_PT, 0},
    {"in", 72.0, QLEN_PT, 0},
    {"px", 0.75, QLEN_PT, QLEN_ALLOW_PX},
    {"%", 0, QLEN_PERCENT, QLEN_ALLOW_PERCENT},
    {"*", 0, QLEN_STAR, QLEN_ALLOW_STAR},
    {"", 0, QLEN_BARE, QLEN_ALLOW_BARE},
};

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const char *qlen_parse(const char *s, unsigned allow, qlen *out) {
    if (!s) return "no length";
    while (is_space(*s)) s++;
    char *end;
    double v;
    if (*s == '*' && (allow & QLEN_ALLOW_STAR)) { /* "*" alone: one share */
        v = 1.0;
        end = (char *)s;
    } else {
        /* strtod would also take "inf", "nan" and hex: lengths are decimal */
        if (!(*s >= '0' && *s <= '9') && *s != '.' && *s != '-' && *s != '+')
            return "no number";
        v = strtod(s, &end);
        if (end == s || !isfinite(v)) return "no number";
        if (v < 0) return "negative length";
    }
    size_t n = strlen(end);
    while (n > 0 && is_space(end[n - 1])) n--;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        const struct unit *u = &units[i];
        if (strlen(u->name) != n || strncmp(end, u->name, n) != 0) continue;
        if (u->allow && !(allow & u->allow))
            return n ? "unit not allowed here" : "no unit";
        double val = u->kind == QLEN_PT ? v * u->pt : v;
        /* bounds (the same whatever the unit): nothing quorum draws is
         * longer than a PDF page can be, a share or a percentage beyond
         * these means nothing, and every value fits a float */
        if (u->kind == QLEN_PERCENT && !(val <= QLEN_MAX_PERCENT))
            return "more than " QLEN_STR(QLEN_MAX_PERCENT) "%";
        if (u->kind == QLEN_STAR && !(val <= QLEN_MAX_SHARE))
            return "a share of more than " QLEN_STR(QLEN_MAX_SHARE);
        if (!(val <= QLEN_MAX_PT))
            return "more than " QLEN_STR(QLEN_MAX_PT) "pt (200in, the longest side of a PDF page)";
        out->kind = u->kind;
        out->value = val;
        return NULL;
    }
    return "unknown unit";
}

int qlen_out_of_bounds(const char *err) {
    return err && (strncmp(err, "more than ", 10) == 0 || strncmp(err, "a share of more", 15) == 0);
}
