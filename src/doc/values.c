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

/* ---- options ---------------------------------------------------------- */

const char *qdoc_options_label(const qnode *options) {
    const char *own = qdoc_attr(options, "label");
    if (own) return own;
    for (const qnode *p = options->parent; p; p = p->parent)
        if (p->type == QN_FIELD) return qdoc_attr(p, "label");
    return NULL;
}

int qdoc_option_selected(const qnode *option) {
    const char *v = qdoc_attr(option, "selected");
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

size_t qdoc_options_count(const qnode *options, size_t *selected) {
    size_t n = 0;
    *selected = 0;
    for (const qnode *o = options->first; o; o = o->next)
        if (o->type == QN_OPTION) {
            n++;
            *selected += (size_t)qdoc_option_selected(o);
        }
    return n;
}

/* The answer leads; councils print the reason after it ("Yes - it affects
 * more than 2 wards"), so a Yes or No followed by the end, a space, a
 * dash (ASCII, en or em), a colon or a comma is read as the answer. */
static int leading_answer(const char *t, const char *word) {
    size_t n = strlen(word);
    if (strncasecmp(t, word, n) != 0) return 0;
    const char *r = t + n;
    return !*r || strchr(" \t\r\n-:,", *r) || strncmp(r, "\xE2\x80\x93", 3) == 0 ||
           strncmp(r, "\xE2\x80\x94", 3) == 0;
}

int qdoc_fact_yes(const quorum_doc *doc, const char *role, qarena *a) {
    const qnode *f = qdoc_field(doc, role);
    if (!f) return -1;
    const char *answer = qdoc_attr(f, "answer"); /* the schema keeps it yes or no */
    if (answer) return strcmp(answer, "yes") == 0;
    const qnode *opts = qdoc_first_child_of(f, QN_OPTIONS), *say = f;
    if (opts) {
        size_t sel;
        qdoc_options_count(opts, &sel);
        if (sel != 1) return -1;
        for (const qnode *o = opts->first; o; o = o->next)
            if (o->type == QN_OPTION && qdoc_option_selected(o)) say = o;
    }
    const char *t = qdoc_text(a, say);
    while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r') t++;
    if (leading_answer(t, "yes")) return 1;
    if (leading_answer(t, "no")) return 0;
    return -2;
}
