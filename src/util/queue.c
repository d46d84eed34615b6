/* Work handed over item by item to threads of its own (util.h, qqueue).
 * qpool computes items ahead for a caller that uses them in order; this
 * is the other way round: producers push items as they become ready and
 * nobody waits for any one of them until the end, so the producers never
 * wait for the work (a site's reports' own PDFs, made beside the pack
 * whose workers hand them over: issue 17). */
#include "util.h"

#include <pthread.h>
#include <stdlib.h>

struct qqueue {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t *ring, cap; /* items waiting: ring[head % cap], count of them */
    size_t head, count;
    int stop;
    unsigned nthreads;
    pthread_t *threads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void *queue_run(void *arg) {
    qqueue *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->stop && !q->count) pthread_cond_wait(&q->cv, &q->mu);
        if (!q->count) break; /* stopped, and nothing left */
        size_t i = q->ring[q->head % q->cap];
        q->head++;
        q->count--;
        pthread_cond_broadcast(&q->cv); /* room for a producer waiting */
        pthread_mutex_unlock(&q->mu);
        q->fn(q->ctx, i);
        pthread_mutex_lock(&q->mu);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

qqueue *qqueue_start(unsigned threads, size_t cap, void (*fn)(void *ctx, size_t i),
                     void *ctx) {
    qqueue *q = calloc(1, sizeof *q);
    if (!q) qfatal_oom();
    q->fn = fn;
    q->ctx = ctx;
    q->cap = cap ? cap : 1;
    q->ring = malloc(q->cap * sizeof *q->ring);
    q->threads = calloc(threads ? threads : 1, sizeof *q->threads);
    if (!q->ring || !q->threads) qfatal_oom();
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    for (unsigned t = 0; t < threads; t++)
        if (pthread_create(&q->threads[q->nthreads], NULL, queue_run, q) == 0) q->nthreads++;
    if (q->nthreads) return q;
    qqueue_finish(q);
    return NULL;
}

void qqueue_put(qqueue *q, size_t i) {
    pthread_mutex_lock(&q->mu);
    while (q->count >= q->cap) pthread_cond_wait(&q->cv, &q->mu);
    q->ring[(q->head + q->count) % q->cap] = i;
    q->count++;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void qqueue_finish(qqueue *q) {
    if (!q) return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (unsigned t = 0; t < q->nthreads; t++) pthread_join(q->threads[t], NULL);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    free(q->threads);
    free(q->ring);
    free(q);
}
