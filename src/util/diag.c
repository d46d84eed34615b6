#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>


typedef struct qdiag {
    quorum_severity sev;
    quorum_class cls;
    qpos pos;
    const char *msg;
    size_t seq; /* insertion order, for a stable sort */
} qdiag;

struct quorum_diags {
    qarena *arena;
    qvec items;  /* qdiag */
    qvec files;  /* const char * ; files[0] unused */
};

quorum_diags *quorum_diags_new(void) {
    quorum_diags *d = calloc(1, sizeof *d);
    if (!d) qfatal_oom();
    d->arena = qarena_new(16 * 1024);
    qvec_init(&d->items, sizeof(qdiag));
    qvec_init(&d->files, sizeof(const char *));
    *(const char **)qvec_push(d->arena, &d->files) = NULL;
    return d;
}

void quorum_diags_free(quorum_diags *d) {
    if (!d) return;
    qarena_free(d->arena);
    free(d);
}

unsigned qdiag_file(quorum_diags *d, const char *path) {
    for (size_t i = 1; i < d->files.len; i++)
        if (strcmp(QVEC_AT(&d->files, const char *, i), path) == 0)
            return (unsigned)i;
    *(const char **)qvec_push(d->arena, &d->files) = qarena_strdup(d->arena, path);
    return (unsigned)(d->files.len - 1);
}

const char *qdiag_file_name(const quorum_diags *d, unsigned file) {
    if (file == 0 || file >= d->files.len) return NULL;
    return QVEC_AT(&d->files, const char *, file);
}

static void add(quorum_diags *d, quorum_class cls, quorum_severity sev,
                qpos pos, const char *fmt, va_list ap) {
    char *msg = qarena_vprintf(d->arena, fmt, ap);
    qdiag *q = qvec_push(d->arena, &d->items);
    q->sev = sev;
    q->cls = cls;
    q->pos = pos;
    q->msg = msg;
    q->seq = d->items.len - 1;
}

void qdiag_add(quorum_diags *d, quorum_severity sev, qpos pos,
               const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add(d, QUORUM_CLASS_INPUT, sev, pos, fmt, ap);
    va_end(ap);
}

void qdiag_add_class(quorum_diags *d, quorum_class cls, quorum_severity sev,
                     qpos pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add(d, cls, sev, pos, fmt, ap);
    va_end(ap);
}

void qdiag_append(quorum_diags *to, const quorum_diags *from) {
    for (size_t i = 0; i < from->items.len; i++) {
        const qdiag *q = &QVEC_AT(&from->items, qdiag, i);
        const char *file = qdiag_file_name(from, q->pos.file);
        qpos pos = {file ? qdiag_file(to, file) : 0, q->pos.line, q->pos.col};
        qdiag_add_class(to, q->cls, q->sev, pos, "%s", q->msg);
    }
}

quorum_status quorum_diags_status(const quorum_diags *d) {
    int io = 0, usage = 0, input = 0;
    for (size_t i = 0; d && i < d->items.len; i++) {
        const qdiag *q = &QVEC_AT(&d->items, qdiag, i);
        if (q->sev != QUORUM_ERROR) continue;
        if (q->cls == QUORUM_CLASS_IO) io = 1;
        else if (q->cls == QUORUM_CLASS_USAGE) usage = 1;
        else input = 1;
    }
    return io ? QUORUM_IO_ERROR : usage ? QUORUM_USAGE
           : input ? QUORUM_INVALID_INPUT : QUORUM_OK;
}

size_t quorum_diags_count(const quorum_diags *d) { return d->items.len; }

size_t quorum_diags_count_severity(const quorum_diags *d, quorum_severity s) {
    size_t n = 0;
    for (size_t i = 0; i < d->items.len; i++)
        if (QVEC_AT(&d->items, qdiag, i).sev == s) n++;
    return n;
}

static int cmp_diag(const void *a, const void *b) {
    const qdiag *x = a, *y = b;
    /* Diagnostics without a file come first: they concern the whole run. */
    if (x->pos.file != y->pos.file) return x->pos.file < y->pos.file ? -1 : 1;
    if (x->pos.line != y->pos.line) return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.col != y->pos.col) return x->pos.col < y->pos.col ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

void quorum_diags_sort(quorum_diags *d) {
    if (d->items.len > 1)
        qsort(d->items.data, d->items.len, sizeof(qdiag), cmp_diag);
}

int quorum_diags_get(const quorum_diags *d, size_t i, quorum_diag *out) {
    if (i >= d->items.len) return -1;
    const qdiag *q = &QVEC_AT(&d->items, qdiag, i);
    out->severity = q->sev;
    out->cls = q->cls;
    out->file = qdiag_file_name(d, q->pos.file);
    out->line = q->pos.line;
    out->col = q->pos.col;
    out->message = q->msg;
    return 0;
}

static const char *sev_name(quorum_severity s) {
    switch (s) {
    case QUORUM_ERROR: return "error";
    case QUORUM_WARNING: return "warning";
    default: return "note";
    }
}

/* The JSON name of a class: what a script branches on instead of the
 * exit status (docs/format.md). */
static const char *class_name(quorum_class c) {
    switch (c) {
    case QUORUM_CLASS_IO: return "io";
    case QUORUM_CLASS_LIMIT: return "limit";
    case QUORUM_CLASS_USAGE: return "usage";
    default: return "input";
    }
}

/* Characters a terminal or an editor acts on rather than shows: C0 and
 * DEL (escape sequences, carriage return, a newline forging a line of
 * its own), C1 (0x9B is a one-byte CSI), the line and paragraph
 * separators, and the bidirectional overrides that reorder what is
 * shown.  A file name or a quoted value is the input's author's choice. */
static int unsafe_cp(uint32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
           (c >= 0x200E && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* s as text for a terminal: unsafe characters as \uXXXX (\xNN below
 * 0x80), a byte that is not valid UTF-8 as \xNN. */
static void put_text(FILE *f, const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = qutf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            fprintf(f, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        if (!unsafe_cp(cp)) fwrite(s + i, 1, (size_t)k, f);
        else if (cp < 0x80) fprintf(f, "\\x%02X", (unsigned)cp);
        else fprintf(f, "\\u%04X", (unsigned)cp);
        i += (size_t)k;
    }
}

void quorum_diags_print(const quorum_diags *d, FILE *f, int json) {
    if (json) fputs("[", f);
    for (size_t i = 0; i < d->items.len; i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        if (json) {
            fputs(i ? ",\n {" : "\n {", f);
            fputs("\"file\": ", f);
            qjson_put_str(f, q.file);
            fprintf(f, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", "
                       "\"class\": \"%s\", \"message\": ", q.line, q.col,
                    sev_name(q.severity), class_name(q.cls));
            qjson_put_str(f, q.message);
            fputs("}", f);
            continue;
        }
        if (q.file) {
            put_text(f, q.file);
            if (q.line) fprintf(f, ":%u", q.line);
            if (q.line && q.col) fprintf(f, ":%u", q.col);
            fputs(": ", f);
        } else {
            fputs("quorum: ", f);
        }
        fprintf(f, "%s: ", sev_name(q.severity));
        put_text(f, q.message);
        fputc('\n', f);
    }
    if (json) fputs(d->items.len ? "\n]\n" : "]\n", f);
}

const char *qsize_text(char *buf, size_t n, size_t bytes) {
    if (bytes && bytes % ((size_t)1 << 20) == 0)
        snprintf(buf, n, "%zu MiB", bytes >> 20);
    else
        snprintf(buf, n, "%zu bytes", bytes);
    return buf;
}
