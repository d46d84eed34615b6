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

/* A file named in diagnostics, with a copy of its bytes when a loader
 * handed them over (qdiag_file_source), for the source lines. */
typedef struct qdfile {
    const char *name;
    const unsigned char *bytes;
    size_t len;
    const size_t *lines; /* offsets of line starts; NULL = no source */
    size_t nlines;
    /* without a copy, the lines known (a pack cache's warnings replayed) */
    const struct qdline { unsigned line; const char *t; size_t n; } *some;
    size_t nsome;
} qdfile;

struct quorum_diags {
    qarena *arena;
    qvec items;  /* qdiag */
    qvec files;  /* qdfile; files[0] unused */
    size_t forked; /* files 1..forked are the parent's (qdiag_fork) */
};

quorum_diags *quorum_diags_new(void) {
    quorum_diags *d = calloc(1, sizeof *d);
    if (!d) qfatal_oom();
    d->arena = qarena_new(16 * 1024);
    qvec_init(&d->items, sizeof(qdiag));
    qvec_init(&d->files, sizeof(qdfile));
    qvec_push(d->arena, &d->files);
    return d;
}

void quorum_diags_free(quorum_diags *d) {
    if (!d) return;
    qarena_free(d->arena);
    free(d);
}

unsigned qdiag_file(quorum_diags *d, const char *path) {
    for (size_t i = 1; i < d->files.len; i++)
        if (strcmp(QVEC_AT(&d->files, qdfile, i).name, path) == 0)
            return (unsigned)i;
    qdfile *f = qvec_push(d->arena, &d->files);
    f->name = qarena_strdup(d->arena, path);
    return (unsigned)(d->files.len - 1);
}

const char *qdiag_file_name(const quorum_diags *d, unsigned file) {
    if (file == 0 || file >= d->files.len) return NULL;
    return QVEC_AT(&d->files, qdfile, file).name;
}

void qdiag_file_source(quorum_diags *d, unsigned file,
                       const unsigned char *bytes, size_t len,
                       const size_t *lines, size_t nlines) {
    if (file == 0 || file >= d->files.len || nlines == 0) return;
    qdfile *f = &QVEC_AT(&d->files, qdfile, file);
    if (f->lines) return; /* a file read twice (a pack's reports) */
    unsigned char *b = qarena_alloc_uninit(d->arena, len + 1);
    memcpy(b, bytes, len);
    b[len] = '\0';
    size_t *l = qarena_alloc_uninit(d->arena, nlines * sizeof *l);
    memcpy(l, lines, nlines * sizeof *l);
    f->bytes = b;
    f->len = len;
    f->lines = l;
    f->nlines = nlines;
}

int qdiag_source_line(const quorum_diags *d, unsigned file, unsigned line,
                      const char **text, size_t *len) {
    if (file == 0 || file >= d->files.len) return -1;
    const qdfile *f = &QVEC_AT(&d->files, qdfile, file);
    if (!f->lines) {
        for (size_t i = 0; i < f->nsome; i++)
            if (f->some[i].line == line) {
                *text = f->some[i].t;
                *len = f->some[i].n;
                return 0;
            }
        return -1;
    }
    if (line == 0 || line > f->nlines) return -1;
    size_t s = f->lines[line - 1];
    size_t e = line < f->nlines ? f->lines[line] - 1 : f->len;
    if (e > s && f->bytes[e - 1] == '\r') e--;
    /* the loader counts no column for a byte order mark */
    if (s == 0 && e >= 3 && memcmp(f->bytes, "\xEF\xBB\xBF", 3) == 0) s = 3;
    *text = (const char *)f->bytes + s;
    *len = e - s;
    return 0;
}

void qdiag_file_line(quorum_diags *d, unsigned file, unsigned line, const char *text,
                     size_t len) {
    if (file == 0 || file >= d->files.len || line == 0) return;
    qdfile *f = &QVEC_AT(&d->files, qdfile, file);
    if (f->lines) return;
    for (size_t i = 0; i < f->nsome; i++)
        if (f->some[i].line == line) return;
    /* a new array each time: a fork may share the old one */
    struct qdline *s = qarena_alloc_uninit(d->arena, (f->nsome + 1) * sizeof *s);
    if (f->nsome) memcpy(s, f->some, f->nsome * sizeof *s);
    char *t = qarena_alloc_uninit(d->arena, len + 1);
    memcpy(t, text, len);
    t[len] = '\0';
    s[f->nsome] = (struct qdline){line, t, len};
    f->some = s;
    f->nsome++;
}

size_t qdiag_file_count(const quorum_diags *d) { return d->files.len - 1; }
size_t qdiag_forked_files(const quorum_diags *d) { return d->forked; }

unsigned qdiag_file_index(const quorum_diags *d, size_t i) {
    return i < d->items.len ? QVEC_AT(&d->items, qdiag, i).pos.file : 0;
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

quorum_diags *qdiag_fork(const quorum_diags *parent) {
    quorum_diags *d = quorum_diags_new();
    for (size_t i = 1; i < parent->files.len; i++) {
        qdfile *f = qvec_push(d->arena, &d->files);
        /* the names copied, the source lines shared: parent outlives d */
        *f = QVEC_AT(&parent->files, qdfile, i);
        f->name = qarena_strdup(d->arena, f->name);
    }
    d->forked = d->files.len - 1;
    return d;
}

/* from's file as to's, with its source lines when to has none and
 * text is set: only for a file a diagnostic is given in (every file a
 * pack's report read was copied into the pack's lists, its whole text:
 * 8 MB at 50 reports, growing with the pack, issue 18). */
static unsigned file_in(quorum_diags *to, const quorum_diags *from, unsigned file, int text) {
    if (file == 0 || file >= from->files.len) return 0;
    const qdfile *f = &QVEC_AT(&from->files, qdfile, file);
    unsigned k = qdiag_file(to, f->name);
    if (f->lines && text) qdiag_file_source(to, k, f->bytes, f->len, f->lines, f->nlines);
    for (size_t i = 0; i < f->nsome; i++)
        qdiag_file_line(to, k, f->some[i].line, f->some[i].t, f->some[i].n);
    return k;
}

void qdiag_append_range(quorum_diags *to, const quorum_diags *from, size_t first,
                        size_t last) {
    /* every file in from's order first: diagnostics sort by file, in the
     * order the files were first named (read), wherever they were added */
    for (size_t k = 1; k < from->files.len; k++) file_in(to, from, (unsigned)k, 0);
    for (size_t i = first; i < last && i < from->items.len; i++) {
        const qdiag *q = &QVEC_AT(&from->items, qdiag, i);
        qpos pos = {file_in(to, from, q->pos.file, 1), q->pos.line, q->pos.col};
        qdiag_add_class(to, q->cls, q->sev, pos, "%s", q->msg);
    }
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

const char *qsize_text(char *buf, size_t n, size_t bytes) {
    if (bytes && bytes % ((size_t)1 << 20) == 0)
        snprintf(buf, n, "%zu MiB", bytes >> 20);
    else
        snprintf(buf, n, "%zu bytes", bytes);
    return buf;
}

int qdiag_no_engine(const void *e, const char *what, quorum_diags *d) {
    if (e) return 0;
    qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                    "%s: no engine", what);
    return 1;
}
