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

quorum_status qpdf_write_to(const quorum_layout *l, qatomic *a,
                            const quorum_pdf_options *opt, quorum_diags *d) {
    qpdf_sink o = {qatomic_write, a, 0};
    quorum_status st = qpdf_write(l, qatomic_path(a), opt, &o, d);
    if (o.failed) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos, "cannot write %s: %s",
                        qatomic_path(a), strerror(qatomic_error(a)));
        st = QUORUM_IO_ERROR;
    }
    return st;
}

int qpdf_check_target(const quorum_layout *l, const char *path, const char *what,
                      const quorum_pdf_options *opt, quorum_diags *d) {
    size_t n = 0;
    const char **in = qdlist_inputs(l->dl, &n);
    size_t extra = 0;
    while (opt && opt->attachments && opt->attachments[extra]) extra++;
    if (extra) {
        const char **all = realloc(in, (n + extra) * sizeof *all);
        if (!all) qfatal_oom();
        in = all;
        /* PDF/A-3b attachments are read while the file is written */
        for (size_t i = 0; i < extra; i++) in[n++] = opt->attachments[i];
    }
    int rc = qatomic_check_target(path, what, in, n, d);
    free(in);
    return rc;
}

quorum_status quorum_layout_write_pdf(const quorum_layout *l, const char *path,
                                      quorum_diags *d) {
    return quorum_layout_write_pdf_opts(l, path, NULL, d);
}

quorum_status quorum_layout_write_pdf_opts(const quorum_layout *l,
                                           const char *path,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d) {
    if (!l || !path) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, nopos,
                        "write PDF: no layout or no path");
        return QUORUM_USAGE;
    }
    if (qpdf_check_target(l, path, "the PDF", opt, d) != 0) return QUORUM_USAGE;
    /* Archive copies are the formal record: they must survive a power
     * cut.  Ordinary output can be made again (README says why it skips
     * the fsync). */
    qatomic *a = qatomic_open(path, opt && opt->archive ? QATOMIC_DURABLE : QATOMIC_ORDINARY);
    if (!a) return qatomic_open_error(path, errno ? errno : EIO, d);
    quorum_status st = qpdf_write_to(l, a, opt, d);
    if (st != QUORUM_OK) {
        qatomic_abort(a);
        return st;
    }
    int err = qatomic_commit(a);
    if (err) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos, "cannot write %s: %s",
                        path, strerror(err));
        return QUORUM_IO_ERROR;
    }
    return QUORUM_OK;
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

