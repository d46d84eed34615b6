/* The PDF writer's entry points: to a file (replaced atomically,
 * src/util/atomic.h), to a caller's sink, or to memory.  All three make
 * the same bytes through qpdf_write (pdf.c). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "dlist.h"
#include "pdf.h"
#include "quorum.h"

static const qpos nopos = {0, 0, 0};

/* A file replaced atomically (src/util/atomic.h), created at the first
 * byte so nothing is made for a document that fails before it is saved. */
typedef struct filesink {
    const char *path;
    int durability;
    qatomic *a;
    int err;             /* errno value of the first failure */
} filesink;

static int file_write(void *ctx, const void *p, size_t n) {
    filesink *f = ctx;
    if (f->err) return -1;
    if (!f->a) {
        f->a = qatomic_open(f->path, f->durability);
        if (!f->a) {
            f->err = errno ? errno : EIO;
            return -1;
        }
    }
    if (qatomic_write(f->a, p, n) != 0) {
        f->err = qatomic_error(f->a);
        return -1;
    }
    return 0;
}

quorum_status quorum_layout_write_pdf(const quorum_layout *l, const char *path,
                                      quorum_diags *d) {
    return quorum_layout_write_pdf_opts(l, path, NULL, d);
}

quorum_status quorum_layout_write_pdf_opts(const quorum_layout *l,
                                           const char *path,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d) {
    /* Archive copies are the formal record: they must survive a power
     * cut.  Ordinary output can be made again (README says why it skips
     * the fsync). */
    filesink f = {path, opt && opt->archive ? QATOMIC_DURABLE : QATOMIC_ORDINARY,
                  NULL, 0};
    qpdf_sink o = {file_write, &f, 0};
    quorum_status st = qpdf_write(l, path, opt, &o, d);
    if (st == QUORUM_OK && !f.a) file_write(&f, "", 0); /* opens the file */
    if (st == QUORUM_OK) {
        int err = qatomic_commit(f.a);
        f.a = NULL;
        if (err) {
            f.err = err;
            st = QUORUM_IO_ERROR;
        }
    }
    qatomic_abort(f.a);
    if (f.err)
        qdiag_add(d, QUORUM_ERROR, nopos, "cannot write %s: %s", path,
                  strerror(f.err));
    return st;
}

quorum_status quorum_layout_write_pdf_sink(const quorum_layout *l,
                                           quorum_write_fn fn, void *ctx,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d) {
    qpdf_sink o = {fn, ctx, 0};
    quorum_status st = qpdf_write(l, "the PDF output", opt, &o, d);
    if (o.failed)
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write the PDF output: the sink refused it");
    return st;
}

int qpdf_mem_write(void *ctx, const void *p, size_t n) {
    qpdf_membuf *m = ctx;
    if (n > m->cap - m->n) {
        size_t cap = m->cap ? m->cap : 1 << 16;
        while (n > cap - m->n) {
            if (cap > SIZE_MAX / 2) return -1;
            cap *= 2;
        }
        unsigned char *q = realloc(m->p, cap);
        if (!q) return -1;
        m->p = q;
        m->cap = cap;
    }
    memcpy(m->p + m->n, p, n);
    m->n += n;
    return 0;
}

quorum_status quorum_layout_write_pdf_memory(const quorum_layout *l,
                                             const quorum_pdf_options *opt,
                                             unsigned char **bytes,
                                             size_t *len, quorum_diags *d) {
    qpdf_membuf m = {NULL, 0, 0};
    *bytes = NULL;
    *len = 0;
    qpdf_sink o = {qpdf_mem_write, &m, 0};
    quorum_status st = qpdf_write(l, "the PDF output", opt, &o, d);
    if (o.failed)
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write the PDF output: out of memory");
    if (st != QUORUM_OK) {
        free(m.p);
        return st;
    }
    *bytes = m.p;
    *len = m.n;
    return QUORUM_OK;
}

