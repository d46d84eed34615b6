/* The nearest known word to a misspelt one (util.h), for "did you mean"
 * in diagnostics. */
#include <string.h>

#include "util.h"

/* Words longer than this are no one's typo of a short keyword; the bound
 * keeps the distance table small and the work linear in the input. */
#define NEAREST_MAX 64

static unsigned char fold(char c) {
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* Edit distance without regard to ASCII case, two neighbours swapped
 * counting one edit ("algin" is one from "align": optimal string
 * alignment); both at most NEAREST_MAX bytes. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb) {
    size_t rows[3][NEAREST_MAX + 1];
    size_t *pp = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= nb; j++) prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t best = prev[j - 1] + (fold(a[i - 1]) != fold(b[j - 1]));
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            row[j] = best;
        }
        size_t *t = pp;
        pp = prev;
        prev = row;
        row = t;
    }
    return prev[nb];
}

const char *qnearest(const char *word, const char *const *known, size_t n) {
    size_t nw = word ? strlen(word) : 0;
    if (nw == 0 || nw > NEAREST_MAX) return NULL;
    const char *best = NULL;
    size_t bestd = 0;
    for (size_t i = 0; i < n; i++) {
        size_t nk = strlen(known[i]);
        if (nk > NEAREST_MAX) continue;
        size_t d = distance(word, nw, known[i], nk);
        /* a third of the longer word may be wrong, at least one letter:
         * "meting-date" is "meeting-date", "finance" "financial", and
         * "title" is not "time" */
        size_t longer = nw > nk ? nw : nk;
        size_t allow = longer / 3 > 1 ? longer / 3 : 1;
        if (d <= allow && (!best || d < bestd)) {
            best = known[i];
            bestd = d;
        }
    }
    return best;
}
