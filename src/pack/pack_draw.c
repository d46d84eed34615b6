/* A pack's reports drawn on the workers that laid them out (issue 18,
 * "Streaming a pack", step 2).  A report's pages depend on it and on its
 * start page (printed in its page numbers and links) only: the worker
 * that laid report k out says so (qpd_laid_out), waits for its start
 * page, which the pack's thread knows once the items before k are laid
 * out (qpack_reserve_drawn: it reserves k's pages then, qpl_reserve, and
 * copies what the pack keeps of k, qpl_records_at), numbers and draws
 * its pages and deflates them (qpdf_draw_report) and frees k's display
 * list: only its records and its finished pages stay.  The pack's thread
 * takes the finished pages in agenda order (qpack_take_drawn), without
 * waiting for the drawing before it goes on to the next item.  Every job
 * that says it is laid out is given a start page or -1 (not drawn: the
 * writer draws its pages), qpd_stop_all at the latest, so no worker
 * waits for ever. */
#include <pthread.h>
#include <stdlib.h>

#include "util.h"
#include "dlist.h"
#include "doc.h"
#include "layout.h"
#include "meeting.h"
#include "pdf.h"

enum { UNKNOWN = -2 };
/* The raw pages left for the write to deflate: all of a 50-report pack's
 * (21 MB), a bound on larger ones (issue 18: peak 80 -> 57 MiB at 50,
 * and no slower than deflating them here; docs/performance.md). */
#define RAW_BUDGET ((size_t)32 << 20)

struct qpack_draw {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t n;
    unsigned char *laid;     /* by job: laid out (or failed to be) */
    int *page0;              /* by job: UNKNOWN, -1 (not drawn) or its start */
    qdl_splice *at;          /* by job: where its records went (page0 >= 0) */
    qdl_image **images;      /* by job: the pack's records of its images */
    qpdf_report **drawn;     /* by job: its pages, once drawn */
    int tagged, archive;
    const qpack_l *pl;
    size_t raw, raw_budget;  /* bytes of raw pages kept, and at most */
    qpack_cache *cache;      /* where drawn pages are kept, or NULL */
    unsigned char **blob;    /* by job: its drawn pages serialized, to keep */
    size_t *nblob;
};

qpack_draw *qpd_new(size_t n, const quorum_pdf_options *o, const qpack_l *pl) {
    qpack_draw *s = calloc(1, sizeof *s);
    if (!s) qfatal_oom();
    s->n = n;
    s->laid = calloc(n ? n : 1, 1);
    s->page0 = malloc((n ? n : 1) * sizeof *s->page0);
    s->drawn = calloc(n ? n : 1, sizeof *s->drawn);
    s->at = calloc(n ? n : 1, sizeof *s->at);
    s->images = calloc(n ? n : 1, sizeof *s->images);
    s->blob = calloc(n ? n : 1, sizeof *s->blob);
    s->nblob = calloc(n ? n : 1, sizeof *s->nblob);
    if (!s->laid || !s->page0 || !s->drawn || !s->at || !s->images || !s->blob || !s->nblob)
        qfatal_oom();
    for (size_t i = 0; i < n; i++) s->page0[i] = UNKNOWN;
    s->tagged = !o->untagged;
    s->archive = o->archive;
    s->pl = pl;
    s->raw_budget = RAW_BUDGET;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    return s;
}

void qpd_free(qpack_draw *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        qpdf_report_free(s->drawn[i]);
        free(s->images[i]);
        free(s->blob[i]);
    }
    free(s->images);
    free(s->blob);
    free(s->nblob);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->laid);
    free(s->page0);
    free(s->at);
    free(s->drawn);
    free(s);
}

void qpd_cache(qpack_draw *s, qpack_cache *c) { s->cache = c; }

/* r, drawn from dl for job j, deflated and serialized for the cache
 * (kept by qpack_take_drawn on the pack's thread), when j's entry has a
 * key there. */
static void keep_drawn(qpack_draw *s, size_t j, qpdf_report *r, const qdlist *dl) {
    const unsigned char *key = qpack_cache_key(s->cache, j);
    if (!key || !r || r->failed) return;
    qpdf_report_zip(r);
    size_t n = 0;
    unsigned char *b = qpdf_report_serialize(r, dl->images.data, dl->images.len, key, &n);
    pthread_mutex_lock(&s->mu);
    free(s->blob[j]);
    s->blob[j] = b;
    s->nblob[j] = n;
    pthread_mutex_unlock(&s->mu);
}

qpdf_drawn *qpd_drawn_new(const qpack_draw *s) {
    qpdf_drawn *d = calloc(1, sizeof *d);
    if (!d) qfatal_oom();
    d->tagged = s->tagged;
    d->archive = s->archive;
    return d;
}

void qpd_laid_out(qpack_draw *s, size_t j, qdlist **dlp) {
    qdlist *dl = *dlp;
    pthread_mutex_lock(&s->mu);
    s->laid[j] = 1;
    pthread_cond_broadcast(&s->cv);
    while (s->page0[j] == UNKNOWN) pthread_cond_wait(&s->cv, &s->mu);
    int page0 = s->page0[j];
    pthread_mutex_unlock(&s->mu);
    if (page0 < 0 || !dl) return;
    qpdf_report *r = qpl_number_report(s->pl, dl, page0) == 0
                         ? qpdf_draw_report(dl, page0, s->tagged, s->archive, 0) : NULL;
    /* Deflated here unless the first reports' raw pages fit in the
     * budget: the write deflates those on its deflate thread, idle
     * otherwise while the writer places pages, so they cost the workers
     * (whose layouts the write waits for) nothing, and their bytes are
     * the same (qpdf_zip_page deflates as the writer does). */
    size_t raw = 0;
    for (int p = 0; r && p < r->npages; p++) raw += r->pages[p].n;
    /* one the cache keeps is deflated here (keep_drawn) */
    int cached = qpack_cache_key(s->cache, j) != NULL;
    pthread_mutex_lock(&s->mu);
    int keep = r && !cached && s->raw + raw <= s->raw_budget;
    if (keep) s->raw += raw;
    pthread_mutex_unlock(&s->mu);
    if (r && !keep) qpdf_report_zip(r);
    /* kept in the cache deflated: the pages arrive so on a rebuild */
    keep_drawn(s, j, r, dl);
    /* the pack keeps its records (qpl_records_at) and these pages: the
     * list goes now, a report's worth at a time instead of the whole
     * pack's waiting for the write; kept when its drawing failed, for
     * the writer to draw it (qpack_take_drawn) */
    if (r && !r->failed) {
        qpdf_report_images(r, dl, s->images[j]);
        qdlist_free(dl);
        *dlp = NULL;
    }
    pthread_mutex_lock(&s->mu);
    s->drawn[j] = r;
    pthread_mutex_unlock(&s->mu);
}

void qpd_wait_laid_out(qpack_draw *s, size_t j) {
    pthread_mutex_lock(&s->mu);
    while (!s->laid[j]) pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

void qpd_start(qpack_draw *s, size_t j, int page0) {
    pthread_mutex_lock(&s->mu);
    if (s->page0[j] == UNKNOWN) s->page0[j] = page0 < 0 ? -1 : page0;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void qpd_stop_all(qpack_draw *s) {
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    for (size_t j = 0; j < s->n; j++)
        if (s->page0[j] == UNKNOWN) s->page0[j] = -1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

qpdf_report *qpd_take(qpack_draw *s, size_t j) {
    pthread_mutex_lock(&s->mu);
    qpdf_report *r = s->drawn[j];
    s->drawn[j] = NULL;
    pthread_mutex_unlock(&s->mu);
    return r;
}

/* ---- the layout's jobs ---------------------------------------------------- */

void qpack_job(void *ctx, size_t j) {
    playout *w = ctx;
    pjob *J = &w->jobs[j];
    if (!w->kind[j]) return;
    size_t errors = 0;
    J->doc = qpack_job_read(w->eng, w->p, w->which[j], w->kind[j] & JOB_FIRST, w->together,
                            w->copt, &errors, J->doc, J->d);
    J->nchecked = quorum_diags_count(J->d);
    if ((w->kind[j] & JOB_LAY_OUT) && J->doc && !errors && w->pl)
        J->dl = qpl_report_alone(w->pl, &w->e[j], J->doc, J->d);
    if (J->dl && w->work) w->work(w->ctx, w->which[j], J->doc, J->dl, J->d);
    if (w->draw && (w->kind[j] & JOB_LAY_OUT)) qpd_laid_out(w->draw, j, &J->dl);
}

void qpack_job_free(pjob *J) {
    quorum_doc_free(J->doc);
    qdlist_free(J->dl);
    qdlist_free(J->hit);
    quorum_diags_free(J->d);
}

int qpack_reserve_drawn(playout *w, qpack_l *pl, qpack_entry *e, size_t j) {
    qdlist *dl = w->jobs[j].dl;
    int page0 = qpl_reserve(pl, e, dl);
    int rc = page0 < 0 ? -1 : qpl_records_at(pl, e, dl, page0, &w->draw->at[j],
                                             &w->draw->images[j], w->draw->archive == 3);
    qpd_start(w->draw, j, rc == 0 ? page0 : -1);
    return rc;
}

void qpack_take_drawn(playout *w, qpool *pool, qpack_l *pl, qpdf_drawn *drawn, size_t i) {
    qpool_wait(pool, i); /* every job, so the pool may run the next ones */
    qpack_draw *s = w->draw;
    if (!s || s->page0[i] < 0) return; /* not reserved: its job's list is freed with it */
    pjob *J = &w->jobs[i];
    if (J->dl) { /* not drawn after all: its items for the writer to draw */
        qpl_items_at(pl, J->dl, &s->at[i]);
        J->dl = NULL;
    }
    qpdf_report *r = qpd_take(s, i);
    if (r) qpdf_drawn_add(drawn, r, s->at[i].elem0);
    pthread_mutex_lock(&s->mu);
    unsigned char *b = s->blob[i];
    s->blob[i] = NULL;
    pthread_mutex_unlock(&s->mu);
    if (b) qpack_cache_put_drawn(s->cache, i, b, s->nblob[i]);
}

/* The cache's drawn pages, used where a hit lands (issue 18, "The
 * rebuild: drawn pages in the cache"): a hit was spliced and drawn by
 * the writer on the pack's thread; now it takes the route a report drawn
 * on a worker takes, with its pages from the cache, already deflated, so
 * neither the writer nor its deflate thread touch them. */
int qpack_hit_drawn(playout *w, qpack_l *pl, qpack_entry *e, size_t j) {
    qpack_draw *s = w->draw;
    qdlist *dl = w->jobs[j].hit;
    w->jobs[j].hit = NULL;
    if (!s) return qpl_splice(pl, e, dl);
    qpdf_report *r = qpack_cache_drawn(s->cache, j);
    int page0 = qpl_reserve(pl, e, dl);
    if (page0 < 0 || qpl_records_at(pl, e, dl, page0, &s->at[j], &s->images[j],
                                     s->archive == 3) != 0) {
        qpdf_report_free(r);
        qdlist_free(dl);
        qpd_start(s, j, -1);
        return -1;
    }
    if (!r || r->page0 != page0 || r->dr.tagged != s->tagged || r->dr.archive != s->archive) {
        /* its start moved (a report before it changed length), or other
         * options: drawn here as its worker would, and kept for next time */
        qpdf_report_free(r);
        r = qpl_number_report(s->pl, dl, page0) == 0
                ? qpdf_draw_report(dl, page0, s->tagged, s->archive, 1) : NULL;
        keep_drawn(s, j, r, dl);
    }
    if (r && !r->failed) {
        qpdf_report_images(r, dl, s->images[j]);
        qdlist_free(dl);
        dl = NULL;
    } else { /* its items for the writer to draw (qpack_take_drawn) */
        qpdf_report_free(r);
        r = NULL;
        w->jobs[j].dl = dl;
    }
    pthread_mutex_lock(&s->mu);
    s->page0[j] = page0;
    s->drawn[j] = r;
    pthread_mutex_unlock(&s->mu);
    return 0;
}
