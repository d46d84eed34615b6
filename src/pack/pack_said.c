/* What a report's read, check and layout said, kept with its entry in
 * the pack's cache (pack_cache.c), so that a rebuild says it again
 * without reading the report: a report with warnings was read, checked
 * and laid out on every rebuild, and real councils' reports often have
 * some.  Errors are never kept (such a report fails the pack).
 *
 * The words quote the meeting file as well as the report (the item's
 * place in it, its law=, its date and body, the other items' reports),
 * so the record carries a key of the meeting's files' bytes and is used
 * only under the same key; the report's own files are the entry's.
 * Kept: the files the job named first, in that order (diagnostics sort
 * by the order their files were named), each diagnostic with its stage
 * (the check's go to the pack's list at the report's turn, the layout's
 * to the layout's) and the source line it points at, which the text
 * output shows and which a replay has no copy of.  Read as strictly as
 * the rest of an entry: any field out of range refuses the entry. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meeting.h"
#include "util.h"

#define MAGIC "quorum said 1"
#define NONE 0xFFFFFFFFu

struct qpack_said {
    size_t nfiles;
    const char **files;  /* names; the first nown the job's own */
    size_t nown;
    size_t n;
    struct said1 {
        unsigned char sev, cls, stage;
        uint32_t file; /* 1-based in files; 0 none */
        uint32_t line, col;
        const char *msg;
        const char *src; /* its source line, or NULL */
        size_t nsrc;
    } *d;
};

static void put_u32(FILE *f, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, f);
}

static void put_str(FILE *f, const char *s, size_t n) {
    put_u32(f, (uint32_t)n);
    fwrite(s, 1, n, f);
}

/* index (1-based) of name in names[0..*n), added when missing */
static uint32_t name_at(const char **names, size_t *n, const char *name) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0) return (uint32_t)i + 1;
    names[(*n)++] = name;
    return (uint32_t)*n;
}

int qpack_said_write(FILE *f, const quorum_diags *d, size_t nchecked,
                     const unsigned char mkey[32]) {
    size_t nd = quorum_diags_count(d), nf = qdiag_file_count(d);
    size_t own0 = qdiag_forked_files(d), nn = 0;
    const char **names = calloc(nf + 1, sizeof *names);
    uint32_t *at = calloc(nd + 1, sizeof *at);
    if (!names || !at) qfatal_oom();
    int ok = 1;
    for (size_t k = own0 + 1; k <= nf; k++) name_at(names, &nn, qdiag_file_name(d, (unsigned)k));
    size_t nown = nn;
    for (size_t i = 0; i < nd && ok; i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        ok = q.severity != QUORUM_ERROR && q.line <= INT32_MAX && q.col <= INT32_MAX;
        at[i] = q.file ? name_at(names, &nn, q.file) : 0;
    }
    if (ok) {
        fwrite(MAGIC, 1, sizeof MAGIC, f);
        fwrite(mkey, 1, 32, f);
        put_u32(f, (uint32_t)nn);
        put_u32(f, (uint32_t)nown);
        for (size_t i = 0; i < nn; i++) put_str(f, names[i], strlen(names[i]));
        put_u32(f, (uint32_t)nd);
        for (size_t i = 0; i < nd && ok; i++) {
            quorum_diag q;
            quorum_diags_get(d, i, &q);
            unsigned char b[3] = {(unsigned char)q.severity, (unsigned char)q.cls, i >= nchecked};
            fwrite(b, 1, 3, f);
            put_u32(f, at[i]);
            put_u32(f, q.line);
            put_u32(f, q.col);
            put_str(f, q.message, strlen(q.message));
            const char *t;
            size_t n;
            if (q.file && qdiag_source_line(d, qdiag_file_index(d, i), q.line, &t, &n) == 0) {
                /* a line is one line, read back as a C string */
                ok = !memchr(t, '\n', n) && !memchr(t, '\0', n) && n < NONE;
                put_str(f, t, n);
            } else {
                put_u32(f, NONE);
            }
        }
    }
    free(names);
    free(at);
    return ok ? 0 : -1;
}

typedef struct rd {
    const unsigned char *b;
    size_t n, at;
    int bad;
} rd;

static const unsigned char *take(rd *r, size_t n) {
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        return NULL;
    }
    r->at += n;
    return r->b + r->at - n;
}

static uint32_t get_u32(rd *r) {
    const unsigned char *b = take(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                   (uint32_t)b[3] << 24
             : 0;
}

/* a string without a NUL (NULL for NONE when none is allowed) */
static const char *get_str(rd *r, qarena *a, int none, size_t *len) {
    uint32_t n = get_u32(r);
    if (none && n == NONE && !r->bad) return NULL;
    const unsigned char *p = take(r, n);
    if (!p || memchr(p, '\0', n)) {
        r->bad = 1;
        return NULL;
    }
    if (len) *len = n;
    return qarena_strndup(a, (const char *)p, n);
}

int qpack_said_read(qarena *a, const unsigned char *b, size_t n, const unsigned char mkey[32],
                    const qpack_said **out) {
    rd r = {b, n, 0, 0};
    *out = NULL;
    const unsigned char *m = take(&r, sizeof MAGIC);
    const unsigned char *k = take(&r, 32);
    /* another meeting file: the words may quote it otherwise */
    if (!m || !k || memcmp(m, MAGIC, sizeof MAGIC) != 0 || memcmp(k, mkey, 32) != 0) return -1;
    qpack_said *s = qarena_alloc(a, sizeof *s);
    s->nfiles = get_u32(&r);
    s->nown = get_u32(&r);
    /* each name takes 4 bytes at least: a count is bounded by the bytes */
    if (r.bad || s->nfiles > (n - r.at) / 4 || s->nown > s->nfiles) return -1;
    s->files = qarena_alloc(a, (s->nfiles ? s->nfiles : 1) * sizeof *s->files);
    for (size_t i = 0; i < s->nfiles && !r.bad; i++) {
        s->files[i] = get_str(&r, a, 0, NULL);
        if (s->files[i] && !*s->files[i]) r.bad = 1;
    }
    s->n = get_u32(&r);
    if (r.bad || s->n > (n - r.at) / 19) return -1;
    s->d = qarena_alloc(a, (s->n ? s->n : 1) * sizeof *s->d);
    for (size_t i = 0; i < s->n && !r.bad; i++) {
        struct said1 *q = &s->d[i];
        const unsigned char *h = take(&r, 3);
        if (!h) break;
        q->sev = h[0];
        q->cls = h[1];
        q->stage = h[2];
        q->file = get_u32(&r);
        q->line = get_u32(&r);
        q->col = get_u32(&r);
        q->msg = get_str(&r, a, 0, NULL);
        q->src = get_str(&r, a, 1, &q->nsrc);
        if (q->sev > QUORUM_WARNING || q->cls > QUORUM_CLASS_USAGE || q->stage > 1 ||
            q->file > s->nfiles || q->line > INT32_MAX || q->col > INT32_MAX ||
            (q->src && (!q->file || memchr(q->src, '\n', q->nsrc))))
            r.bad = 1;
    }
    if (r.bad || r.at != n) return -1;
    *out = s;
    return 0;
}

size_t qpack_said_count(const qpack_said *s) { return s ? s->n : 0; }

void qpack_said_replay(const qpack_said *s, quorum_diags *check, quorum_diags *layout) {
    if (!s) return;
    for (size_t i = 0; i < s->nown; i++) qdiag_file(check, s->files[i]);
    for (size_t i = 0; i < s->n; i++) {
        const struct said1 *q = &s->d[i];
        quorum_diags *to = q->stage ? layout : check;
        qpos pos = {0, q->line, q->col};
        if (q->file) {
            pos.file = qdiag_file(to, s->files[q->file - 1]);
            if (q->src) {
                /* the layout's are shown from the pack's list too */
                qdiag_file_line(to, pos.file, q->line, q->src, q->nsrc);
                unsigned c = qdiag_file(check, s->files[q->file - 1]);
                qdiag_file_line(check, c, q->line, q->src, q->nsrc);
            }
        }
        qdiag_add_class(to, (quorum_class)q->cls, (quorum_severity)q->sev, pos, "%s", q->msg);
    }
}
