/* quorum_pack_check on the worker pool: each report read for the first
 * time, hashed and checked on a worker (its diagnostics in a fork of the
 * caller's), then noted in the pack on the calling thread in agenda
 * order, so the result and the diagnostics are those of one thread.  The
 * reading and checking was 1.5 G instructions on one thread for the
 * 50-report pack, before publish could start. */
#include <stdint.h>
#include <stdlib.h>

#include "meeting.h"
#include "util.h"

typedef struct cjob {
    quorum_doc *doc;
    quorum_diags *d;
    qarena *a;          /* the hash's files, adopted by the pack */
    qpack_hashed h;
    size_t errors;
} cjob;

typedef struct cpool {
    const quorum_engine *e;
    const quorum_pack *p;
    const quorum_options *opt;
    const size_t *which;
    cjob *jobs;
    qpack_checked_fn checked;
    void *ctx;
} cpool;

static void check_job(void *ctx, size_t j) {
    cpool *c = ctx;
    cjob *J = &c->jobs[j];
    size_t i = c->which[j];
    J->doc = qpack_item_read_check(c->e, c->p, i, J->a, c->opt, &J->errors, J->d);
    if (!J->doc) return;
    qpack_item_hash(c->p, i, J->doc, J->a, &J->h);
    if (c->checked && !J->errors && !quorum_diags_count_severity(J->d, QUORUM_ERROR))
        c->checked(c->ctx, i, J->doc, J->h.hash);
}

size_t qpack_check_visit(const quorum_engine *e, quorum_pack *p, const quorum_options *opt,
                         qpack_checked_fn checked, void *ctx, quorum_diags *d) {
    if (!p) return 0;
    if (qdiag_no_engine(e, "check", d)) return 1;
    size_t errors = qmeeting_check(e, qpack_meeting(p), opt, e->holidays_path, d);
    size_t n = qpack_item_count(p), m = 0;
    size_t *which = calloc(n ? n : 1, sizeof *which);
    cjob *jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!which || !jobs) qfatal_oom();
    for (size_t i = 0; i < n; i++)
        if (qpack_item_first_read(p, i)) {
            jobs[m].d = qdiag_fork(d);
            jobs[m].a = qarena_new(0);
            which[m++] = i;
        }
    cpool c = {e, p, opt, which, jobs, checked, ctx};
    unsigned threads = qpack_threads(e, p);
    /* a few reports ahead: each job holds its report's tree */
    qpool *pool = qpool_start(threads, m, threads, check_job, &c);
    for (size_t i = 0, j = 0; i < n; i++) {
        if (j == m || which[j] != i) {
            qpack_item_check_here(e, p, i, opt, &errors, d);
            continue;
        }
        cjob *J = &jobs[j];
        qpool_wait(pool, j++);
        /* its files named in d in the order it read them, with their lines */
        qdiag_append_range(d, J->d, 0, SIZE_MAX);
        errors += J->errors + !J->doc; /* a report that did not load: its read said why */
        qpack_item_noted(p, i, J->doc, J->doc ? &J->h : NULL, J->a);
        J->a = NULL;
        if (!qpack_item_keep(p, i, J->doc)) quorum_doc_free(J->doc);
        J->doc = NULL;
    }
    qpool_finish(pool);
    for (size_t j = 0; j < m; j++) {
        quorum_diags_free(jobs[j].d);
        qarena_free(jobs[j].a);
    }
    free(jobs);
    free(which);
    qmem_trim_after(m);
    qpack_check_summary(p, d);
    return errors;
}

size_t quorum_pack_check(const quorum_engine *e, quorum_pack *p, const quorum_options *opt,
                         quorum_diags *d) {
    return qpack_check_visit(e, p, opt, NULL, NULL, d);
}

/* A report that cannot be read is an error at the file, which has no
 * line: the note says which line of the agenda names it, so an officer
 * with forty items need not search for it.  from: the first diagnostic
 * the read gave. */
void qpack_note_unread(quorum_diags *d, size_t from, const qnode *item, const char *number,
                       const char *report) {
    quorum_diag g;
    for (size_t i = from; quorum_diags_get(d, i, &g) == 0; i++) {
        if (g.severity != QUORUM_ERROR || g.cls != QUORUM_CLASS_IO || g.line) continue;
        const qattr *r = qdoc_attr_get(item, "report");
        qdiag_add(d, QUORUM_NOTE, r ? r->pos : item->pos,
                  "item %s names the report \"%s\", which cannot be read",
                  number ? number : "?", report);
        return;
    }
}
