/* Value types with a closed vocabulary.  Authors type these as they
 * speak them ("Improved", "UP"), so matching ignores case; the check
 * warns when the spelling differs, so the source can be tidied. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "doc.h"

static const qtrend trends[] = {
    {"improved", "improved", 1},
    {"no-change", "no change", 0},
    {"declined", "declined", -1},
    {"up", "up", 1},
    {"same", "same", 0},
    {"down", "down", -1},
};

const qtrend *qdoc_trend(const char *value, int *exact) {
    if (!value) return NULL;
    for (size_t i = 0; i < sizeof trends / sizeof *trends; i++)
        if (strcasecmp(value, trends[i].value) == 0) {
            if (exact) *exact = strcmp(value, trends[i].value) == 0;
            return &trends[i];
        }
    return NULL;
}

void qdoc_trend_values(char *buf, size_t n) {
    size_t o = 0;
    if (n) buf[0] = 0;
    for (size_t i = 0; i < sizeof trends / sizeof *trends && o < n; i++) {
        int k = snprintf(buf + o, n - o, "%s%s", i ? ", " : "", trends[i].value);
        if (k < 0) break;
        o += (size_t)k;
    }
}
