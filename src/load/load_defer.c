/* The schema compiled in, parsed on a thread of its own, and validation
 * beside conversion.
 *
 * Parsing the report schema was the largest single cost of checking one
 * report (13 M instructions of libxml2's, most of them proving its content
 * models deterministic, 9 M since its groups are spliced in), paid by
 * every process since libxml2 cannot save a parsed schema.  So
 * quorum_engine_new starts it on a thread and returns, and a load goes on
 * parsing and converting its files while each file's DOM goes to a thread
 * that waits for the schema and validates it (the second core: the sample
 * validates in 2.9 M instructions).  Validation and conversion both only
 * read the DOM (the schema has no ID types, defaults or fixed values;
 * conversion writes only the cached type in each element's qelpos, which
 * validation never reads).  The validation's diagnostics go into a fork of
 * the load's list and are put back where validating first would have
 * added them: the list is the one of a load in order. */
#include <pthread.h>
#include <stdlib.h>

#include <libxml/tree.h>

#include "load.h"

struct qschema_job {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int done;
    struct _xmlSchema *schema; /* NULL when done and it could not be parsed */
    struct _xmlDoc *doc;
    void (*then)(void);
};

static void *parse_schema(void *arg) {
    qschema_job *j = arg;
    qload_quiet quiet;
    qload_quiet_begin(&quiet);
    /* the copy compiled in parses (e2e_schema_builtin); should it not,
     * each load says so (qload_validate_file) */
    quorum_diags *d = quorum_diags_new();
    struct _xmlSchema *s = NULL;
    struct _xmlDoc *doc = NULL;
    (void)qload_schema_parse(NULL, d, &s, &doc);
    quorum_diags_free(d);
    qload_quiet_end(&quiet);
    pthread_mutex_lock(&j->mu);
    j->schema = s;
    j->doc = doc;
    j->done = 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    if (j->then) j->then();
    return NULL;
}

qschema_job *qload_schema_start(void (*then)(void)) {
    qschema_job *j = calloc(1, sizeof *j);
    if (!j) qfatal_oom();
    j->then = then;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    if (pthread_create(&j->thread, NULL, parse_schema, j) != 0) {
        pthread_cond_destroy(&j->cv);
        pthread_mutex_destroy(&j->mu);
        free(j);
        return NULL;
    }
    return j;
}

struct _xmlSchema *qload_schema_wait(qschema_job *j) {
    pthread_mutex_lock(&j->mu);
    while (!j->done) pthread_cond_wait(&j->cv, &j->mu);
    struct _xmlSchema *s = j->schema;
    pthread_mutex_unlock(&j->mu);
    return s;
}

void qload_schema_job_free(qschema_job *j) {
    if (!j) return;
    pthread_join(j->thread, NULL);
    qload_schema_free(j->schema, j->doc);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

/* One file's validation on its own thread. */
typedef struct qlater {
    struct qlater *next;
    pthread_t thread;
    qschema_job *job;
    qparse P;     /* the load's, but for d (the fork) and src (the copy) */
    qsrc src;     /* with a column cache of its own */
    struct qcolcache cache;
    struct _xmlDoc *x;
    qarena *tmp;  /* the DOM's element positions (the load's P.tmp) */
    qarena *a;    /* messages and errpos */
    qvec errpos;
    quorum_diags *fork;
    size_t at;    /* where its diagnostics go in the load's list */
    int ran;      /* 1: validated; 0: the schema could not be parsed */
    /* set when the caller has converted x: the thread frees it then */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int converted;
} qlater;

/* Validations waiting to be put back, at most: a report naming many
 * appendices starts no more threads, nor keeps more DOMs, than this. */
#define QLOAD_PENDING_MAX 2

struct qvalidation {
    const quorum_engine *e;
    quorum_diags *d;
    quorum_doc *doc;
    qvec *errpos; /* the load's, in the document's arena */
    qlater *first, *last; /* in the order of the files */
    unsigned pending;
    size_t shift; /* diagnostics put back so far */
};

qvalidation *qload_validation_begin(const quorum_engine *e, quorum_doc *doc,
                                    quorum_diags *d, qvec *errpos) {
    qvalidation *v = calloc(1, sizeof *v);
    if (!v) qfatal_oom();
    v->e = e;
    v->d = d;
    v->doc = doc;
    v->errpos = errpos;
    return v;
}

static void unusable(quorum_diags *d, const qsrc *s) {
    qdiag_add(d, QUORUM_ERROR, (qpos){s->file, 0, 0},
              "the schema cannot be used");
}

static void *validate_later(void *arg) {
    qlater *l = arg;
    qload_quiet quiet;
    qload_quiet_begin(&quiet);
    struct _xmlSchema *s = qload_schema_wait(l->job);
    l->ran = s && qload_validate(&l->P, l->a, s, l->x, &l->errpos);
    pthread_mutex_lock(&l->mu);
    while (!l->converted) pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
    xmlFreeDoc(l->x);
    qarena_free(l->tmp);
    qload_quiet_end(&quiet);
    return NULL;
}

/* Waits for the first validation handed over and puts its diagnostics
 * back: before those added after it was handed over, which the ones put
 * back earlier have moved by shift. */
static void finish_first(qvalidation *v) {
    qlater *l = v->first;
    v->first = l->next;
    if (!v->first) v->last = NULL;
    v->pending--;
    pthread_join(l->thread, NULL);
    if (!l->ran) unusable(l->fork, &l->src);
    else v->doc->schema_checked = 1;
    size_t n = quorum_diags_count(l->fork);
    qdiag_insert(v->d, l->at + v->shift, l->fork);
    v->shift += n;
    for (size_t i = 0; i < l->errpos.len; i++)
        *(qpos *)qvec_push(v->doc->arena, v->errpos) = QVEC_AT(&l->errpos, qpos, i);
    pthread_cond_destroy(&l->cv);
    pthread_mutex_destroy(&l->mu);
    qarena_free(l->a);
    quorum_diags_free(l->fork);
    free(l);
}

/* Hands x (and P->tmp, which holds its positions) to a thread; 0 when no
 * thread could be started. */
static int hand_over(qvalidation *v, qschema_job *job, qparse *P,
                     struct _xmlDoc *x) {
    if (v->pending >= QLOAD_PENDING_MAX) finish_first(v);
    qlater *l = calloc(1, sizeof *l);
    if (!l) qfatal_oom();
    l->job = job;
    l->src = *P->src;
    if (P->src->cache) {
        l->cache = *P->src->cache;
        l->src.cache = &l->cache;
    }
    l->fork = qdiag_fork(v->d);
    l->P = *P;
    l->P.d = l->fork;
    l->P.src = &l->src;
    l->P.doc = NULL; /* the validation writes nothing of the document's */
    l->x = x;
    l->tmp = P->tmp;
    l->a = qarena_new(4096);
    qvec_init(&l->errpos, sizeof(qpos));
    l->at = quorum_diags_count(v->d) - v->shift;
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    if (pthread_create(&l->thread, NULL, validate_later, l) != 0) {
        pthread_cond_destroy(&l->cv);
        pthread_mutex_destroy(&l->mu);
        quorum_diags_free(l->fork);
        qarena_free(l->a);
        free(l);
        return 0;
    }
    if (v->last) v->last->next = l;
    else v->first = l;
    v->last = l;
    v->pending++;
    return 1;
}

int qload_validate_file(qvalidation *v, qparse *P, struct _xmlDoc *x) {
    const quorum_engine *e = v->e;
    struct _xmlSchema *s = e->schema;
    if (!s && e->schema_job) {
        /* ready or not: once it is, the validation still runs beside the
         * conversion, and the files' errors stay in order */
        if (hand_over(v, e->schema_job, P, x)) return 1;
        while (v->first) finish_first(v); /* before this file's */
        s = qload_schema_wait(e->schema_job);
    }
    if (!s) unusable(v->d, P->src);
    else if (qload_validate(P, v->doc->arena, s, x, v->errpos))
        v->doc->schema_checked = 1;
    return 0;
}

void qload_validation_converted(qvalidation *v) {
    qlater *l = v->last;
    pthread_mutex_lock(&l->mu);
    l->converted = 1;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

void qload_validation_end(qvalidation *v) {
    if (!v) return;
    while (v->first) finish_first(v);
    free(v);
}
