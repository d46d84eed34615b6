#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void qstr_put(qstr *b, const char *s, size_t n) {
    b->s = qgrow(b->s, &b->cap, b->len + n + 1, 1);
    if (n) memcpy(b->s + b->len, s, n); /* s may be NULL when n is 0 */
    b->len += n;
    b->s[b->len] = '\0';
}

void qstr_puts(qstr *b, const char *s) { qstr_put(b, s, strlen(s)); }

void qstr_printf(qstr *b, const char *fmt, ...) {
    /* formatted straight into the room left, and again only when it did
     * not fit (the first pass then wrote nothing that len counts) */
    size_t room = b->cap - b->len;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(room ? b->s + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (need < 0) {
        if (room) b->s[b->len] = '\0';
        return;
    }
    if ((size_t)need >= room) {
        b->s = qgrow(b->s, &b->cap, b->len + (size_t)need + 1, 1);
        va_start(ap, fmt);
        vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)need;
}

void qstr_reserve(qstr *b, size_t n) {
    if (b->cap - b->len > n) return;
    size_t cap = b->len + n + 1;
    char *s = realloc(b->s, cap);
    if (!s) qfatal_oom();
    if (!b->s) s[0] = '\0';
    b->s = s;
    b->cap = cap;
}

void qstr_free(qstr *b) {
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
