/* A small pool of worker threads for work done item by item and used in
 * order (an agenda pack's reports: laid out on the workers, spliced in
 * agenda order by the caller). */
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

struct qpool {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t n, ahead;
    size_t next;          /* the next item a worker takes */
    size_t waited;        /* items before this one were waited for */
    unsigned char *done;  /* per item */
    int stop;
    unsigned nthreads;
    pthread_t *threads;
    pthread_mutex_t mu;
    pthread_cond_t work, finished;
};

static void *worker(void *arg) {
    qpool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        /* never more than ahead items beyond what the caller has taken:
         * each holds a document and its layout until it is used */
        while (!p->stop && p->next < p->n && p->next >= p->waited + p->ahead)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop || p->next >= p->n) break;
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        p->fn(p->ctx, i);
        pthread_mutex_lock(&p->mu);
        p->done[i] = 1;
        pthread_cond_broadcast(&p->finished);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

qpool *qpool_start(unsigned threads, size_t n, size_t ahead,
                   void (*fn)(void *ctx, size_t i), void *ctx) {
    qpool *p = calloc(1, sizeof *p);
    if (!p) qfatal_oom();
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->ahead = ahead ? ahead : 1;
    p->done = calloc(n ? n : 1, 1);
    if (!p->done) qfatal_oom();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->finished, NULL);
    if (threads > 1 && n > 1) {
        p->threads = calloc(threads, sizeof *p->threads);
        if (!p->threads) qfatal_oom();
        for (unsigned t = 0; t < threads; t++) {
            /* a thread that cannot be made leaves its share to the
             * others, or to the caller (qpool_wait) */
            if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) == 0)
                p->nthreads++;
        }
    }
    return p;
}

unsigned qpool_workers(const qpool *p) { return p->nthreads; }

void qpool_release(qpool *p, size_t i) {
    pthread_mutex_lock(&p->mu);
    if (i + 1 > p->waited) {
        p->waited = i + 1;
        pthread_cond_broadcast(&p->work);
    }
    pthread_mutex_unlock(&p->mu);
}

void qpool_wait(qpool *p, size_t i) {
    pthread_mutex_lock(&p->mu);
    if (i + 1 > p->waited) {
        p->waited = i + 1;
        pthread_cond_broadcast(&p->work);
    }
    /* no worker has taken it (none, or all busy): the caller does it */
    if (!p->done[i] && p->next <= i && (p->next == i || !p->nthreads)) {
        if (p->next == i) p->next = i + 1;
        pthread_mutex_unlock(&p->mu);
        p->fn(p->ctx, i);
        pthread_mutex_lock(&p->mu);
        p->done[i] = 1;
    }
    while (!p->done[i]) pthread_cond_wait(&p->finished, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void qpool_finish(qpool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned t = 0; t < p->nthreads; t++) pthread_join(p->threads[t], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->finished);
    free(p->threads);
    free(p->done);
    free(p);
}

/* What the workers freed (the reports' trees, their scratch) sits in
 * their own malloc arenas, where the thread that goes on (writing the
 * PDF) cannot reuse it: some 10 MB of a pack of 50 on two threads.  Given
 * back, it is not counted twice. */
void qmem_trim(void) {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* A report's tree and scratch are some 0.2 MB: a few (a rebuild's one,
 * a supplement's) are not worth the trim, an madvise per free run of
 * every arena, each flushing the other core's TLB (issue 18: 4-8% of a
 * rebuild's samples in perf, peak RSS the same without it). */
void qmem_trim_after(size_t reports) {
    if (reports >= QMEM_TRIM_REPORTS) qmem_trim();
}
