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
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

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
    unsigned char *done;     /* by job: its drawing ended (drawn[j] is final) */
    unsigned char *life;     /* by job: 1 begun, 2 placed or dropped */
    size_t alive, peak;      /* reports begun and not yet placed, at most */
    /* the cache's lookups (qpack_cache_probe) run further ahead of the
     * pack's thread than layouts: by job, looked up; the item the pack's
     * thread is at; how far beyond it a report may be read and laid out */
    unsigned char *probed;
    size_t reached, window;
};

/* The most reports alive at once in the last pack drawn on workers. */
static atomic_size_t last_peak;
size_t qpack_alive_peak(void) { return atomic_load(&last_peak); }

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
    s->done = calloc(n ? n : 1, 1);
    s->life = calloc(n ? n : 1, 1);
    s->probed = calloc(n ? n : 1, 1);
    s->window = (size_t)-1 / 2; /* the pool's bound only (qpd_cache) */
    if (!s->probed || !s->laid || !s->page0 || !s->drawn || !s->at || !s->images || !s->blob || !s->nblob ||
        !s->done || !s->life)
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
    atomic_store(&last_peak, s->peak);
    free(s->done);
    free(s->life);
    free(s->probed);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->laid);
    free(s->page0);
    free(s->at);
    free(s->drawn);
    free(s);
}

void qpd_cache(playout *w, qpack_cache *c, size_t n) {
    w->cache = c;
    if (!c) return;
    unsigned threads = qpack_threads(w->eng, w->p);
    /* with one thread the writer draws every report (no drawn pages are
     * used): the whole entries then */
    qpack_cache_probe_begin(c, w->p, w->which, n, w->pl, threads > 1);
    for (size_t j = 0; j < n; j++) /* a report read for the first time */
        if ((w->kind[j] & (JOB_LAY_OUT | JOB_FIRST)) == (JOB_LAY_OUT | JOB_FIRST))
            w->kind[j] |= JOB_PROBE;
    if (!w->draw) return;
    w->draw->cache = c;
    w->draw->window = threads;
}

size_t qpd_ahead(const playout *w, unsigned threads) {
    return threads + (w->draw && w->cache ? QPACK_HIT_AHEAD : 0);
}

/* Job j looked up in the cache when it is one to be (1: a hit, nothing
 * more to do); any other job then waits until it is within the pool's
 * window of a clean build (threads beyond the pack's thread), where the
 * pool let it start further ahead for the hits' sake: the reports alive
 * at once are a clean build's. */
static int probe_or_hold(playout *w, size_t j) {
    int hit = (w->kind[j] & JOB_PROBE) && qpack_cache_probe(w->cache, j);
    qpack_draw *s = w->draw;
    if (!s) return hit;
    pthread_mutex_lock(&s->mu);
    s->probed[j] = 1;
    pthread_cond_broadcast(&s->cv);
    /* qpd_stop_all ends the wait: the pack stopped */
    while (!hit && j >= s->reached + s->window && s->page0[j] == UNKNOWN)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    return hit;
}

void qpack_probe_take(playout *w, quorum_pack *p, qpool *pool, size_t j) {
    qpack_draw *s = w->draw;
    int probe = (w->kind[j] & JOB_PROBE) != 0;
    if (s) {
        pthread_mutex_lock(&s->mu);
        s->reached = j;
        pthread_cond_broadcast(&s->cv);
        while (probe && !s->probed[j]) pthread_cond_wait(&s->cv, &s->mu);
        pthread_mutex_unlock(&s->mu);
    } else if (probe) {
        qpool_wait(pool, j); /* its layout too, when it is a miss */
    }
    struct qdlist *dl = probe ? qpack_cache_take(w->cache, p, j) : NULL;
    if (!dl) return;
    /* a hit: no job (its worker read its kind before it said it was
     * looked up, and reads it no more) */
    w->jobs[j].hit = dl;
    w->kind[j] = JOB_NONE;
    quorum_diags_free(w->jobs[j].d);
    w->jobs[j].d = NULL;
}

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

void qpd_laid_out(qpack_draw *s, size_t j, qdlist **dlp, int raw_ok) {
    qdlist *dl = *dlp;
    pthread_mutex_lock(&s->mu);
    s->laid[j] = 1;
    pthread_cond_broadcast(&s->cv);
    while (s->page0[j] == UNKNOWN) pthread_cond_wait(&s->cv, &s->mu);
    int page0 = s->page0[j];
    int carry = s->at[j].no_elems; /* set with its start page */
    if (page0 < 0 || !dl) s->done[j] = 1;
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
    /* one the cache keeps is deflated here (keep_drawn); so is one whose
     * worker has a caller's work to do too (publish: the report's own
     * PDF, with its own deflate thread), where the write's deflate thread
     * is not idle: the site waited at the end for its queue of raw pages */
    int cached = qpack_cache_key(s->cache, j) != NULL;
    pthread_mutex_lock(&s->mu);
    int keep = r && !cached && raw_ok && s->raw + raw <= s->raw_budget;
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
        if (carry) qpdf_report_keep_elems(r, dl);
        qdlist_free(dl);
        *dlp = NULL;
    }
    pthread_mutex_lock(&s->mu);
    s->drawn[j] = r;
    s->done[j] = 1;
    pthread_cond_broadcast(&s->cv); /* a writer beside the layout waits for it */
    pthread_mutex_unlock(&s->mu);
}

/* Report j begins (its read and layout) or is placed: the count of
 * reports alive at once that a test reads (qpack_alive_peak). */
static void life(qpack_draw *s, size_t j, unsigned char to) {
    pthread_mutex_lock(&s->mu);
    if (s->life[j] + 1 == to) {
        s->life[j] = to;
        if (to == 1 && ++s->alive > s->peak) s->peak = s->alive;
        if (to == 2) s->alive--;
    }
    pthread_mutex_unlock(&s->mu);
}

int qpd_done(qpack_draw *s, size_t j) {
    pthread_mutex_lock(&s->mu);
    int d = s->done[j];
    pthread_mutex_unlock(&s->mu);
    return d;
}

/* 1 once job j is laid out; 0 when job k (>= 0) has ended its drawing
 * first. */
static int wait_any(qpack_draw *s, size_t j, long k) {
    pthread_mutex_lock(&s->mu);
    while (!s->laid[j] && !(k >= 0 && s->done[k])) pthread_cond_wait(&s->cv, &s->mu);
    int laid = s->laid[j];
    pthread_mutex_unlock(&s->mu);
    return laid;
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
    if (!w->kind[j] || probe_or_hold(w, j)) return;
    if (w->draw && (w->kind[j] & JOB_LAY_OUT)) life(w->draw, j, 1);
    size_t errors = 0;
    J->doc = qpack_job_read(w->eng, w->p, w->which[j], w->kind[j] & JOB_FIRST, w->together,
                            w->copt, &errors, J->doc, J->d);
    J->nchecked = quorum_diags_count(J->d);
    if ((w->kind[j] & JOB_LAY_OUT) && J->doc && !errors && w->pl)
        J->dl = qpl_report_alone(w->pl, &w->e[j], J->doc, J->d);
    int worked = J->dl && w->work;
    if (worked) w->work(w->ctx, w->which[j], J->doc, J->dl, J->d);
    if (w->draw && (w->kind[j] & JOB_LAY_OUT)) qpd_laid_out(w->draw, j, &J->dl, !worked);
    /* the rest of the caller's work once the pack has its pages, so the
     * writer beside the layout is not kept waiting for it (publish: the
     * report's own PDF); J->doc and J->d are the pack's thread's now */
    if (worked) w->work(w->ctx, w->which[j], NULL, NULL, NULL);
}

void qpack_trim(const playout *w, size_t n) {
    /* Not for a caller's work beside a pack written beside its layout (a
     * new site): the save left has little use for the memory, and the
     * caller's threads (the reports' PDFs) are still at work.  The trim
     * held the save up 5-10 ms on this thread, flushing the other core's
     * TLB once a free run, for 1 MiB less peak of 45 (issue 17). */
    if (w->work && w->stream) return;
    size_t read = 0;
    for (size_t j = 0; j < n; j++) read += (w->kind[j] & JOB_READ) != 0;
    qmem_trim_after(read);
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
    /* written beside the layout, a drawn report carries its element
     * records to the writer and the pack's list keeps none: only the
     * writer reads them, while it places the report's pages (issue 18:
     * 105 KB a report kept to the end, 21 MB at 200) */
    w->draw->at[j].no_elems = w->stream != NULL;
    int rc = page0 < 0 ? -1 : qpl_records_at(pl, e, dl, page0, &w->draw->at[j],
                                             &w->draw->images[j], w->draw->archive == 3);
    qpd_start(w->draw, j, rc == 0 ? page0 : -1);
    return rc;
}

void qpack_take_drawn(playout *w, qpool *pool, qpack_l *pl, qpdf_drawn *drawn, size_t i) {
    qpool_wait(pool, i); /* every job, so the pool may run the next ones */
    qpack_draw *s = w->draw;
    if (s) life(s, i, 2);
    if (!s || s->page0[i] < 0) return; /* not reserved: its list is freed with its job */
    /* its drawing for the cache, whoever places its pages */
    pthread_mutex_lock(&s->mu);
    unsigned char *b = s->blob[i];
    s->blob[i] = NULL;
    pthread_mutex_unlock(&s->mu);
    if (b) qpack_cache_put_drawn(s->cache, i, b, s->nblob[i]);
    if (w->stream) return; /* written beside the layout: placed there (qps_pump) */
    pjob *J = &w->jobs[i];
    if (J->dl) { /* not drawn after all: its items for the writer to draw */
        qpl_items_at(pl, J->dl, &s->at[i]);
        J->dl = NULL;
    }
    qpdf_report *r = qpd_take(s, i);
    if (r) r->catch = qpack_cache_catch(s->cache, i);
    if (r) qpdf_drawn_add(drawn, r, s->at[i].elem0);
}

/* The cache's drawn pages, used where a hit lands (issue 18, "The
 * rebuild: drawn pages in the cache"): a hit was spliced and drawn by
 * the writer on the pack's thread; now it takes the route a report drawn
 * on a worker takes, with its pages from the cache, already deflated, so
 * neither the writer nor its deflate thread touch them. */
/* The whole layout of hit j, whose list rec is its records only (taken):
 * its entry's, else its report laid out again, as a clean build would
 * (its files hash as they did: the same layout); NULL if that fails. */
static qdlist *whole_hit(playout *w, qpack_entry *e, size_t j, qdlist *rec) {
    if (!qpack_cache_records(w->cache, j, NULL)) return rec;
    qdlist *dl = qpack_cache_whole(w->cache, j, qpl_new_fonts(w->pl));
    if (!dl) {
        quorum_diags *quiet = quorum_diags_new(); /* said from the cache */
        size_t errors = 0;
        quorum_doc *doc = qpack_job_read(w->eng, w->p, w->which[j], 1, 0, w->copt, &errors,
                                         NULL, quiet);
        dl = doc ? qpl_report_alone(w->pl, e, doc, quiet) : NULL;
        quorum_doc_free(doc);
        quorum_diags_free(quiet);
    }
    /* what was taken of the records must be the list's */
    if (dl && (!rec || dl->pages.len != rec->pages.len || dl->elems.len != rec->elems.len ||
               dl->images.len != rec->images.len)) {
        qdlist_free(dl);
        dl = NULL;
    }
    qdlist_free(rec);
    return dl;
}

int qpack_hit_drawn(playout *w, qpack_l *pl, qpack_entry *e, size_t j) {
    qpack_draw *s = w->draw;
    qdlist *dl = w->jobs[j].hit;
    w->jobs[j].hit = NULL;
    if (!s) return qpl_splice(pl, e, whole_hit(w, e, j, dl));
    qpdf_report *r = qpack_cache_drawn(s->cache, j);
    int sources = 0;
    /* a PDF/A-3 attaches the sources' bytes its records left out */
    if (qpack_cache_records(s->cache, j, &sources) && s->archive == 3 && !sources &&
        !(dl = whole_hit(w, e, j, dl))) {
        qpdf_report_free(r);
        qpd_start(s, j, -1);
        return -1;
    }
    int page0 = qpl_reserve(pl, e, dl);
    /* written beside the layout, its element records go with its drawn
     * pages to the writer (its records list itself, not a copy), as a
     * drawn report's do, not into the pack's list to the end */
    s->at[j].no_elems = w->stream != NULL;
    if (page0 < 0 || qpl_records_at(pl, e, dl, page0, &s->at[j], &s->images[j],
                                     s->archive == 3) != 0) {
        qpdf_report_free(r);
        qdlist_free(dl);
        qpd_start(s, j, -1);
        return -1;
    }
    if (!r || r->page0 != page0 || r->dr.tagged != s->tagged || r->dr.archive != s->archive) {
        /* its start moved (a report before it changed length), or other
         * options: drawn here as its worker would, and kept for next time;
         * from its whole layout (its records are what was taken of it);
         * its elements' object streams may still be the ones it makes */
        qpdf_ostms *streams = r ? r->cached : NULL;
        if (r) r->cached = NULL;
        qpdf_report_free(r);
        r = NULL;
        if (!(dl = whole_hit(w, e, j, dl))) {
            qpdf_ostms_free(streams);
            qpd_start(s, j, -1);
            return -1;
        }
        r = qpl_number_report(s->pl, dl, page0) == 0
                ? qpdf_draw_report(dl, page0, s->tagged, s->archive, 1) : NULL;
        keep_drawn(s, j, r, dl);
        if (r) r->cached = streams;
        else qpdf_ostms_free(streams);
    }
    if (r && !r->failed) {
        qpdf_report_images(r, dl, s->images[j]);
        if (s->at[j].no_elems) qpdf_report_take_elems(r, dl);
        else qdlist_free(dl);
        dl = NULL;
    } else { /* its items for the writer to draw (qpack_take_drawn) */
        qpdf_report_free(r);
        r = NULL;
        w->jobs[j].dl = dl;
    }
    pthread_mutex_lock(&s->mu);
    s->page0[j] = page0;
    s->drawn[j] = r;
    s->done[j] = 1; /* a writer beside the layout may place it (qps_pump) */
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* ---- the writer beside the layout (issue 18, step 3) ----------------------
 * The pack's thread places each unit of pages (qdl_unit) as soon as it
 * is final, in page order, while the workers lay out and draw the next
 * reports: a report's unit once its worker has drawn it, any other
 * (a to-follow or cached report) as it is laid out; the late units (the
 * pack's own pages) and the save wait for the end (qpdf_end).  The calls
 * are those qpdf_write makes on the whole layout, so the bytes are the
 * same.  The read-ahead is bounded: before the pool may start report
 * j + jobs (qpool_release(j)), report j + 1 - QPACK_READ_AHEAD has
 * been placed, so at most QPACK_READ_AHEAD + jobs - 1 reports are alive
 * at once (read, laid out, drawn and not yet placed), whatever the
 * pack's length. */

struct qpack_stream {
    pdfw w;
    qpdf_sink o;
    qatomic *pa;
    char *path;
    int tagged;
    int *ujob;              /* by unit: the job whose drawn pages it is, -1 */
    size_t nujob, cap_ujob;
    size_t unit;            /* the next unit to place */
    int failed, ended, write_failed;
    /* what the writer says (drawing's warnings), given with the write
     * (qps_take_file), where writing the whole layout says it */
    quorum_diags *wd;
    /* the pack's own streams: the cache they go to, and this build's */
    qpack_cache *cache;
    qpdf_ostms *streams;
};

/* The pack's own streams looked up in the last build's from c (may be
 * NULL), this build's kept there after the save (qps_end). */
static void pack_streams(qpack_stream *ws, qpack_cache *c) {
    if (!c) return;
    qpdf_ostms *memo = qpack_cache_pack_streams(c);
    ws->cache = c;
    ws->streams = calloc(1, sizeof *ws->streams);
    if (!ws->streams) qfatal_oom();
    ws->streams->expect = memo ? memo->n : 0;
    qpdf_pack_streams(&ws->w, memo, ws->streams);
}

qpack_stream *qps_begin(const qdlist *dl, const quorum_pdf_options *o, const char *path,
                        qpack_cache *c, quorum_diags *d) {
    (void)d;
    if (!path || !o || o->archive || o->attach_style || (o->attachments && o->attachments[0]))
        return NULL; /* saved whole: the archive ID hashes the file */
    qatomic *pa = qatomic_open(path, QATOMIC_ORDINARY | QATOMIC_SHA256 | QATOMIC_ASIDE);
    if (!pa) return NULL; /* the write says why */
    qpack_stream *ws = calloc(1, sizeof *ws);
    if (!ws) qfatal_oom();
    ws->pa = pa;
    ws->o = (qpdf_sink){qatomic_write, pa, 0};
    ws->path = strdup(path);
    if (!ws->path) qfatal_oom();
    ws->tagged = !o->untagged;
    ws->wd = quorum_diags_new();
    if (qpdf_begin(&ws->w, dl, qatomic_path(pa), o, &ws->o, ws->wd) != QUORUM_OK) {
        quorum_diags_free(ws->wd);
        qatomic_abort(pa);
        free(ws->path);
        free(ws);
        return NULL;
    }
    pack_streams(ws, c);
    return ws;
}

void qps_free(qpack_stream *ws) {
    if (!ws) return;
    if (!ws->ended) qpdf_abort(&ws->w);
    qpdf_ostms_free(ws->streams); /* after its document, which fills it */
    if (ws->pa) qatomic_abort(ws->pa);
    free(ws->ujob);
    free(ws->path);
    quorum_diags_free(ws->wd);
    free(ws);
}

void qps_note(qpack_stream *ws, size_t j) {
    if (!ws) return;
    size_t u = ws->w.dl->units.len - 1; /* qpl_reserve's, its last */
    if (u >= ws->cap_ujob) {
        size_t cap = ws->cap_ujob ? 2 * ws->cap_ujob : 64;
        while (cap <= u) cap *= 2;
        ws->ujob = realloc(ws->ujob, cap * sizeof *ws->ujob);
        if (!ws->ujob) qfatal_oom();
        ws->cap_ujob = cap;
    }
    for (; ws->nujob <= u; ws->nujob++) ws->ujob[ws->nujob] = -1;
    ws->ujob[u] = (int)j;
}

/* The job of the next unit to place, or -1. */
static long next_job(const qpack_stream *ws) {
    const qdlist *dl = ws->w.dl;
    size_t u = ws->unit;
    while (u < dl->units.len && qpdf_unit_late(dl, u)) u++;
    return u < dl->units.len && u < ws->nujob ? ws->ujob[u] : -1;
}

void qps_pump(playout *w, qpool *pool, qpack_l *pl, size_t upto, int block) {
    qpack_stream *ws = w->stream;
    if (!ws) return;
    const qdlist *dl = ws->w.dl;
    while (!ws->failed && ws->unit < dl->units.len) {
        size_t u = ws->unit;
        if (qpdf_unit_late(dl, u)) {
            ws->unit++;
            continue;
        }
        long j = u < ws->nujob ? ws->ujob[u] : -1;
        qpdf_report *r = NULL;
        if (j >= 0) {
            if (!(block && (size_t)j < upto) && !qpd_done(w->draw, (size_t)j)) break;
            qpool_wait(pool, (size_t)j);
            pjob *J = &w->jobs[j];
            if (J->dl) { /* its drawing failed: its items for the writer */
                qpl_items_at(pl, J->dl, &w->draw->at[j]);
                J->dl = NULL;
            }
            r = qpd_take(w->draw, (size_t)j);
            if (r) r->elem0 = w->draw->at[j].elem0;
            if (r) r->catch = qpack_cache_catch(w->cache, (size_t)j);
        }
        if (qpdf_place_unit(&ws->w, u, r) != 0) ws->failed = 1;
        qpdf_report_free(r); /* its pages' content went with them */
        if (j >= 0) {
            life(w->draw, (size_t)j, 2);
            /* said and cached already (its files' text with them: 4 MB
             * held to the end at 50 reports) */
            quorum_diags_free(w->jobs[j].d);
            w->jobs[j].d = NULL;
        }
        ws->unit++;
    }
}

void qps_wait_laid_out(playout *w, qpool *pool, qpack_l *pl, size_t j) {
    if (!w->stream) {
        qpd_wait_laid_out(w->draw, j);
        return;
    }
    /* the writer's turn while the worker lays report j out */
    do qps_pump(w, pool, pl, 0, 0);
    while (!wait_any(w->draw, j, next_job(w->stream)));
}

void qps_bound(playout *w, qpool *pool, qpack_l *pl, size_t j) {
    if (w->stream && j + 1 >= QPACK_READ_AHEAD)
        qps_pump(w, pool, pl, j + 2 - QPACK_READ_AHEAD, 1);
}

int qps_end(qpack_stream *ws) {
    ws->ended = 1;
    /* a unit that failed: qpdf_end says why */
    const qdlist *dl = ws->w.dl;
    quorum_status st = qpdf_end(&ws->w);
    /* its own streams, every one given back by the save: for the next
     * build, once this one is committed (qpack_cache_commit) */
    if (st == QUORUM_OK && !ws->o.failed) {
        qpack_cache_keep_pack_streams(ws->cache, ws->streams);
        ws->streams = NULL;
    }
    /* a report's PDF appendix: its pages drawn into the saved file, as
     * writing the whole layout draws them (the same bytes: the early
     * writes are the save's own), the file written again */
    if (st == QUORUM_OK && !ws->o.failed && qpdf_has_foreign(dl)) {
        size_t n = 0, placed_n = 0;
        unsigned char *saved = qatomic_read_back(ws->pa, &n);
        char why[256] = "it could not be read back";
        unsigned char *placed = saved ? qpdf_place_foreign(dl, saved, n, &placed_n, why,
                                                           sizeof why) : NULL;
        free(saved);
        if (!placed) {
            qdiag_add(ws->wd, QUORUM_ERROR, (qpos){0, 0, 0},
                      "cannot write %s: the pages of an included PDF could not be placed: %s",
                      ws->path, why);
            st = QUORUM_IO_ERROR;
        } else {
            qatomic_abort(ws->pa);
            ws->pa = qatomic_open(ws->path, QATOMIC_ORDINARY | QATOMIC_SHA256);
            if (ws->pa) qatomic_write(ws->pa, placed, placed_n);
            else ws->o.failed = 1;
            free(placed);
        }
    }
    if (ws->o.failed)
        qdiag_add_class(ws->wd, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot write %s: %s", ws->path,
                        strerror(ws->pa ? qatomic_error(ws->pa) : errno ? errno : EIO));
    if (st == QUORUM_OK && !ws->o.failed) return 0;
    qatomic_abort(ws->pa);
    ws->pa = NULL;
    ws->write_failed = 1;
    return -1;
}

quorum_status qps_take_file(qpack_stream *ws, const char *path, const quorum_pdf_options *o,
                           qatomic **made, quorum_diags *d) {
    *made = NULL;
    if (!ws) return QUORUM_OK; /* written whole by the write */
    if (ws->wd) {
        qdiag_append(d, ws->wd);
        quorum_diags_free(ws->wd);
        ws->wd = NULL;
    }
    if (ws->write_failed) return QUORUM_IO_ERROR; /* said */
    int same = ws->pa && path && strcmp(path, ws->path) == 0 && o && !o->archive &&
               (!o->untagged) == ws->tagged && !o->attach_style &&
               !(o->attachments && o->attachments[0]);
    if (!same) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "pack write: the pack was written beside its layout, %s",
                        ws->pa ? "to another file or with other options" : "and taken");
        return QUORUM_USAGE;
    }
    *made = ws->pa;
    ws->pa = NULL;
    return QUORUM_OK;
}

void qps_finish(playout *w, qpdf_drawn *drawn, qpack_stream **kept) {
    if (!w->stream || !drawn) return;
    qps_end(w->stream); /* a failure is the write's to say */
    drawn->used = 1;
    *kept = w->stream;
    w->stream = NULL;
}
