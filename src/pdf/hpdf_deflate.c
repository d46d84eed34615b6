/* Deflating the PDF's streams: libdeflate, and a worker thread.
 * libdeflate compresses a whole buffer at once, which is how every stream
 * of ours is made (a page's content, a font program, an object stream):
 * on the 50-report pack's 20.8 MB of page content its level 1 takes half
 * of zlib's level 1 time for fewer bytes (issue 18; the levels measured
 * are in the commit that chose them).  The only file that includes
 * <libdeflate.h> (tests/tools/house_rules.py).
 *
 * With threads > 1, page content and font programs are deflated on one
 * worker thread while the caller draws the next pages: the caller copies
 * the raw bytes into a job; the worker deflates jobs in the order given;
 * the caller hands finished jobs to libharu (which is not thread-safe)
 * when it next queues one and, all of them, before the document is saved
 * (qh_flate_finish).  The object streams of the save go the same way
 * (qh_deflate_async), the caller deflating later ones itself while it
 * waits for the worker's.  Each stream's bytes depend only on its own data and
 * level, so the file is the same byte for byte with any number of
 * threads.  Raw bytes waiting for the worker are capped (ZQ_MAX_PENDING):
 * past it the caller waits, so memory does not grow with the document.
 *
 * Memory: a compressor of levels 2 to 9 is some 300 KB of match-finder
 * tables, all written by each use, and a page written for the first time
 * costs a fault of 10-30 us on the VMs we measure on (issue 18: the
 * sample report's three compressors were 225 of its ~1,600 faults, a
 * tenth of its time).  So a thread keeps one compressor, of the level it
 * last used; the caller leaves the save's streams to the worker unless
 * enough is queued to pay for a compressor of its own (HELP_MIN); and a
 * compressor's memory, once freed, goes to a small pool for the process
 * (zpool_*) that the next one takes, on any thread, already written: a
 * level change, the next document's worker, the next report a pack
 * draws. */
#include "hpdf_private.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* libdeflate is opened the first time a stream is deflated (src/util/
 * dlib.c says why): its calls go through D, whose members have its own
 * types. */
#ifndef QUORUM_LIBDEFLATE_SONAME
#define QUORUM_LIBDEFLATE_SONAME "libdeflate.so.0"
#endif
#define DEFLATE_CALLS(X)                                                       \
    X(libdeflate_set_memory_allocator) X(libdeflate_free_compressor)           \
    X(libdeflate_alloc_compressor) X(libdeflate_zlib_compress_bound)           \
    X(libdeflate_zlib_compress)
static struct { DEFLATE_CALLS(QDLIB_MEMBER) } D;
#define libdeflate_set_memory_allocator (*D.libdeflate_set_memory_allocator)
#define libdeflate_free_compressor (*D.libdeflate_free_compressor)
#define libdeflate_alloc_compressor (*D.libdeflate_alloc_compressor)
#define libdeflate_zlib_compress_bound (*D.libdeflate_zlib_compress_bound)
#define libdeflate_zlib_compress (*D.libdeflate_zlib_compress)

/* Raw bytes queued at most: a few pages of a report, far below what a
 * pack held before its pages were deflated as they ended. */
enum { ZQ_MAX_PENDING = 4 << 20 };

typedef struct zjob {
    struct zjob *next;
    HPDF_Dict d;           /* NULL: the saver's (qh_deflate_async) */
    unsigned char *data;   /* raw, owned (freed by the worker) unless borrowed */
    size_t n;
    unsigned char *z;      /* deflated, owned */
    size_t zn;             /* 0: deflate failed */
    size_t zcap;           /* z's allocation */
    int level, done;
    int borrowed;          /* data is the caller's, who waits for it (qh_deflate) */
    /* an element object stream's (qh_set_flate_known): the cached
     * stream's deflated bytes (owned), sum and level, used when data's
     * SHA-256 is sum; data's sum (with catch or kz), where it goes and at
     * which index; reused: kz was used */
    unsigned char *kz;
    size_t kzn;
    unsigned char ksum[32], sum[32];
    uint32_t klevel;
    int reused, summed;
    qpdf_ostms *catch;
    size_t catch_ix;
    /* a pack's own stream's (qhpdf_pack_streams): looked up there by its sum */
    const qpdf_ostms *memo;
} zjob;

/* Raw bytes not yet taken by the worker that make the waiting caller
 * deflate some itself (qh_deflate_wait): about what the worker's level 6
 * does in the time a new compressor's memory takes to fault in. */
enum { HELP_MIN = 256 << 10 };

typedef struct qh_deflater {
    struct libdeflate_compressor *c;  /* made when first used */
    int level;                        /* c's */
} qh_deflater;

/* ---- the compressors' memory -------------------------------------------
 * libdeflate asks for one block a compressor (its size depends on the
 * level's kind only); freed blocks are kept, up to ZPOOL_MAX, for the next
 * compressor, whose pages are then written already.  For the process:
 * the blocks kept are reachable from zpool until it exits. */
enum { ZPOOL_MAX = 4 };

typedef struct zblock {
    struct zblock *next;
    size_t cap;               /* bytes after the header */
} zblock;                     /* 16 bytes: what follows keeps malloc's alignment */

static pthread_mutex_t zpool_mu = PTHREAD_MUTEX_INITIALIZER;
static zblock *zpool;
static int zpool_n;
static size_t zpool_made;

static void *zpool_malloc(size_t n) {
    pthread_mutex_lock(&zpool_mu);
    zblock **pp = &zpool;
    while (*pp && (*pp)->cap < n) pp = &(*pp)->next;
    zblock *b = *pp;
    if (b) {
        *pp = b->next;
        zpool_n--;
    }
    pthread_mutex_unlock(&zpool_mu);
    if (!b) {
        if (n > SIZE_MAX - sizeof *b || !(b = malloc(sizeof *b + n))) return NULL;
        b->cap = n;
        pthread_mutex_lock(&zpool_mu);
        zpool_made++;
        pthread_mutex_unlock(&zpool_mu);
    }
    return b + 1;
}

size_t qpdf_deflate_blocks(void) {
    pthread_mutex_lock(&zpool_mu);
    size_t n = zpool_made;
    pthread_mutex_unlock(&zpool_mu);
    return n;
}

static void zpool_free(void *p) {
    if (!p) return;
    zblock *b = (zblock *)p - 1;
    pthread_mutex_lock(&zpool_mu);
    if (zpool_n < ZPOOL_MAX) {
        b->next = zpool;
        zpool = b;
        zpool_n++;
        b = NULL;
    }
    pthread_mutex_unlock(&zpool_mu);
    free(b);
}

/* libdeflate's memory given the pool, once it is open */
static void zpool_init(void) {
    _Static_assert(sizeof(zblock) % 16 == 0, "a block's header keeps alignment");
    libdeflate_set_memory_allocator(zpool_malloc, zpool_free);
}
QDLIB_TABLE(libdeflate, QUORUM_LIBDEFLATE_SONAME, DEFLATE_CALLS, QDLIB_NAME, D,
            zpool_init);

int qh_deflate_ready(const char **why) { return qdlib_ready(&libdeflate, why); }

struct qh_zq {
    qh_deflater mine;      /* the calling thread's */
    int threads;
    int running;           /* the worker was started */
    pthread_t worker;
    pthread_mutex_t mu;
    pthread_cond_t work;   /* a job was queued, or stop */
    pthread_cond_t done;   /* a job was finished */
    zjob *head, *tail;     /* queued, oldest first */
    zjob *todo;            /* the first job the worker has not taken */
    size_t pending;        /* raw bytes of queued jobs not yet deflated */
    int stop;
    /* the last build's own streams of a pack (qhpdf_pack_streams), owned,
     * read only (by the worker too) while the document lives; and where
     * this build's go, the caller's */
    qpdf_ostms *memo, *memo_catch;
};

static void deflater_end(qh_deflater *z) {
    if (z->c) libdeflate_free_compressor(z->c);
    z->c = NULL;
    z->level = 0;
}

/* data[0..n) deflated (zlib format) into *out (of *cap bytes, grown as
 * needed): its length, or 0 when libdeflate fails. */
static size_t deflate_with(qh_deflater *z, int level, const void *data,
                           size_t n, unsigned char **out, size_t *cap) {
    if (level < 1 || level > 12) return 0;
    if (z->level != level) {
        /* the old one's block goes to the pool first, for the new one */
        deflater_end(z);
        if (!qh_deflate_ready(NULL)) return 0;
        z->c = libdeflate_alloc_compressor(level);
        if (!z->c) return 0;
        z->level = level;
    }
    size_t bound = libdeflate_zlib_compress_bound(z->c, n);
    if (bound > *cap) {
        *out = qh_xrealloc(*out, bound);
        *cap = bound;
    }
    return libdeflate_zlib_compress(z->c, data, n, *out, bound);
}

static HPDF_STATUS HPDF_STDCALL write_flate_key(HPDF_Dict d, HPDF_Stream s) {
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

int qh_is_deflated(HPDF_Dict d) { return d->write_fn == write_flate_key; }

/* d's data replaced with z[0..zn) (malloc'd, of cap bytes: taken),
 * marked /FlateDecode; 0 or -1.  z becomes the memory stream's one
 * block, which libharu frees with the stream (issue 18: writing it into
 * the stream copied it a byte at a time, HPDF_MemCpy, into 4 KiB blocks
 * allocated for it: the pack's 5 MB of content, on the writer's thread). */
static int take_deflated(qhpdf *h, HPDF_Dict d, unsigned char *z, size_t zn, size_t cap) {
    HPDF_Stream s = d->stream;
    if (!zn || zn > UINT32_MAX / 2 || !s || s->type != HPDF_STREAM_MEMORY) {
        free(z);
        qh_fail(h, HPDF_INVALID_OPERATION);
        return -1;
    }
    /* the deflate bound's slack back (a shrink is done in place) */
    if (cap > zn + zn / 8 + 64) z = qh_xrealloc(z, zn);
    HPDF_MemStream_FreeData(s);
    HPDF_MemStreamAttr a = s->attr;
    if (HPDF_List_Add(a->buf, z) != HPDF_OK) {
        free(z);
        if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    qh_pool_took(z);
    a->buf_siz = (HPDF_UINT)zn;
    a->w_ptr = z + zn;
    a->w_pos = (HPDF_UINT)zn;
    s->size = (HPDF_UINT)zn;
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = write_flate_key;
    return 0;
}

int qh_set_deflated(qhpdf *h, HPDF_Dict d, unsigned char *z, size_t zn) {
    if (h->err) {
        free(z);
        return -1;
    }
    return take_deflated(h, d, z, zn, zn);
}

/* Takes the oldest waiting job (q->mu held, a job waiting) and deflates
 * it with z outside the lock: the worker and a waiting caller both do. */
/* j's data deflated into j->z (cap in *cap), or the cached stream's
 * bytes when data is the same; its length. */
static size_t deflate_job(qh_deflater *z, zjob *j, size_t *cap) {
    if (j->kz || j->catch || j->memo) {
        /* what the raw bytes hold (the elements' numbers among them)
         * decides, on this thread, not the pack's */
        qsha256_ctx c;
        qsha256_init(&c);
        qsha256_update(&c, j->data, j->n);
        qsha256_final(&c, j->sum);
        j->summed = 1;
    }
    if (j->kz && j->klevel == (uint32_t)j->level && memcmp(j->sum, j->ksum, 32) == 0) {
        j->z = j->kz;
        j->kz = NULL;
        j->reused = 1;
        *cap = j->kzn;
        return j->kzn;
    }
    free(j->kz);
    j->kz = NULL;
    const qpdf_ostm *o = j->memo && j->n <= UINT32_MAX
                             ? qpdf_ostms_find(j->memo, j->sum, (uint32_t)j->level, (uint32_t)j->n)
                             : NULL;
    if (o) {
        j->z = memcpy(qh_xrealloc(NULL, o->zn), o->z, o->zn);
        j->reused = 1;
        *cap = o->zn;
        return o->zn;
    }
    return deflate_with(z, j->level, j->data, j->n, &j->z, cap);
}

static void run_oldest(qh_zq *q, qh_deflater *z) {
    zjob *j = q->todo;
    q->todo = j->next;
    pthread_mutex_unlock(&q->mu);
    size_t cap = 0;
    size_t zn = deflate_job(z, j, &cap);
    if (!j->borrowed) free(j->data);
    j->data = NULL;
    pthread_mutex_lock(&q->mu);
    j->zn = zn;
    j->zcap = cap;
    j->done = 1;
    q->pending -= j->n;
    pthread_cond_broadcast(&q->done);
}

/* Jobs the callers deflated in the worker's place (run_here), for the
 * process: what test_place_faster_than_deflate counts. */
static size_t helped;

size_t qpdf_deflate_helped(void) { return __atomic_load_n(&helped, __ATOMIC_RELAXED); }

static void run_here(qh_zq *q) {
    __atomic_add_fetch(&helped, 1, __ATOMIC_RELAXED);
    run_oldest(q, &q->mine);
}

static void *work(void *arg) {
    qh_zq *q = arg;
    qh_deflater z = {0};
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->todo && !q->stop) pthread_cond_wait(&q->work, &q->mu);
        if (q->stop) break;  /* the document is being freed */
        run_oldest(q, &z);
    }
    pthread_mutex_unlock(&q->mu);
    deflater_end(&z);
    return NULL;
}

void qhpdf_set_threads(qhpdf *h, int n) { h->threads = n; }

void qhpdf_set_one_report(qhpdf *h) { h->one_report = 1; }

int qh_flate_level(const qhpdf *h) {
    return h->one_report ? QH_ONE_REPORT_LEVEL : QH_FLATE_LEVEL;
}

int qh_objstm_level(const qhpdf *h) {
    return h->one_report ? QH_ONE_REPORT_LEVEL : QH_OBJSTM_LEVEL;
}

static qh_zq *queue(qhpdf *h) {
    if (h->zq) return h->zq;
    qh_zq *q = memset(qh_xrealloc(NULL, sizeof *q), 0, sizeof *q);
    q->threads = h->threads < 1 ? QH_THREADS_DEFAULT : h->threads;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->done, NULL);
    return h->zq = q;
}

static void enqueue(qh_zq *q, zjob *j);

size_t qh_deflate(qhpdf *h, int level, const void *data, size_t n,
                  unsigned char **out, size_t *cap) {
    qh_zq *q = queue(h);
    pthread_mutex_lock(&q->mu);
    int idle = q->running && !q->head;
    pthread_mutex_unlock(&q->mu);
    if (!idle) return deflate_with(&q->mine, level, data, n, out, cap);
    /* Nothing queued: the worker, whose compressor is made already, does
     * it while this thread waits (the save's cross-reference stream),
     * rather than this thread faulting in a compressor of its own.  The
     * job is the only one on the list, so it is its head. */
    zjob j = {.data = (unsigned char *)data, .n = n, .level = level, .borrowed = 1};
    enqueue(q, &j);
    pthread_mutex_lock(&q->mu);
    while (!j.done) pthread_cond_wait(&q->done, &q->mu);
    q->head = j.next;
    if (!q->head) q->tail = NULL;
    pthread_mutex_unlock(&q->mu);
    if (!j.zn) {
        free(j.z);
        return 0;
    }
    free(*out);
    *out = j.z;
    *cap = j.zcap;
    return j.zn;
}

void qh_set_flate(qhpdf *h, HPDF_Dict d, const void *data, size_t n) {
    if (h->err) return;
    unsigned char *z = NULL;
    size_t cap = 0;
    /* two statements: as one call's arguments, z could be read before
     * qh_deflate sets it (the order is unspecified; clang reads it first) */
    size_t zn = qh_deflate(h, qh_flate_level(h), data, n, &z, &cap);
    take_deflated(h, d, z, zn, cap);
}

void qh_catch_settle(qpdf_ostms *c) {
    if (!c || !c->closed || c->drained != c->made || c->unchanged) return;
    if (c->reused != c->made || c->made != c->expect) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].z);
        c->v[i].z = NULL;
    }
    c->unchanged = 1;
}

/* j's deflated stream copied to its catch (the pack's cache keeps it),
 * on the calling thread as j is given back. */
static void caught(qhpdf *h, const zjob *j) {
    qpdf_ostms *c = j->catch;
    if (!c || h->err || !j->zn || !j->summed) return;
    qpdf_ostm *o = &c->v[j->catch_ix];
    memcpy(o->sum, j->sum, 32);
    o->raw = (uint32_t)j->n;
    o->level = (uint32_t)j->level;
    o->z = memcpy(qh_xrealloc(NULL, j->zn), j->z, j->zn);
    o->zn = j->zn;
    c->drained++;
    c->reused += (size_t)j->reused;
    qh_catch_settle(c);
}

/* Hands the finished jobs at the head to libharu, in order; with wait,
 * every job, waiting for the worker. */
static void drain(qhpdf *h, qh_zq *q, int wait) {
    pthread_mutex_lock(&q->mu);
    while (q->head && q->head->d && (q->head->done || wait)) {
        zjob *j = q->head;
        if (!j->done) {
            pthread_cond_wait(&q->done, &q->mu);
            continue;
        }
        q->head = j->next;
        if (!q->head) q->tail = NULL;
        pthread_mutex_unlock(&q->mu);
        caught(h, j);
        if (!h->err) take_deflated(h, j->d, j->z, j->zn, j->zcap);
        else free(j->z);
        free(j);
        pthread_mutex_lock(&q->mu);
    }
    pthread_mutex_unlock(&q->mu);
}

/* The worker running, when the document may use one; 0 when the caller
 * deflates everything itself. */
static int has_worker(qh_zq *q) {
    if (q->threads > 1 && !q->running) {
        if (pthread_create(&q->worker, NULL, work, q) == 0) q->running = 1;
        else q->threads = 1;  /* no thread to be had: deflate here */
    }
    return q->threads > 1;
}

/* j (data taken, n bytes, at level) at the queue's tail, once the raw
 * bytes waiting are under the cap. */
static void enqueue(qh_zq *q, zjob *j) {
    pthread_mutex_lock(&q->mu);
    /* over the cap, the caller deflates the oldest waiting job itself
     * rather than wait: a pack whose pages come drawn places them faster
     * than one worker deflates them (issue 18: the 50-report pack's
     * write stage was its deflate thread's; docs/performance.md) */
    while (q->pending && q->pending + j->n > ZQ_MAX_PENDING)
        if (q->todo) run_here(q);
        else pthread_cond_wait(&q->done, &q->mu);
    if (q->tail) q->tail->next = j;
    else q->head = j;
    q->tail = j;
    if (!q->todo) q->todo = j;
    q->pending += j->n;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
}

/* j's bytes to go to catch (may be NULL) as they are given back. */
static void to_catch(zjob *j, qpdf_ostms *catch) {
    if (!catch) return;
    if (catch->made == catch->cap) {
        catch->cap = catch->cap ? 2 * catch->cap : 16;
        catch->v = qh_xrealloc(catch->v, catch->cap * sizeof *catch->v);
    }
    memset(&catch->v[catch->made], 0, sizeof *catch->v);
    j->catch = catch;
    j->catch_ix = catch->made++;
    catch->n = catch->made;
}

/* data (owned when own, else copied) queued for d at level, or
 * deflated here; known and catch as qh_set_flate_known's; memo: a
 * pack's own stream (qhpdf_pack_streams). */
static void flate_job(qhpdf *h, HPDF_Dict d, const void *data, size_t n, int own, int level,
                      qpdf_ostm *known, qpdf_ostms *catch, int memo) {
    if (h->err) {
        if (own) free((void *)data);
        if (known) {
            free(known->z);
            known->z = NULL;
        }
        return;
    }
    zjob *j = memset(qh_xrealloc(NULL, sizeof *j), 0, sizeof *j);
    j->d = d;
    j->n = n;
    j->level = level;
    if (known && known->z) {
        j->kz = known->z;
        j->kzn = known->zn;
        known->z = NULL;
        memcpy(j->ksum, known->sum, 32);
        j->klevel = known->level;
    }
    qh_zq *q = queue(h);
    if (memo) {
        j->memo = q->memo;
        catch = q->memo_catch;
    }
    to_catch(j, catch);
    if (!has_worker(q)) {
        j->data = (unsigned char *)data;
        size_t cap = 0;
        j->zn = deflate_job(&q->mine, j, &cap);
        if (own) free((void *)data);
        caught(h, j);
        take_deflated(h, d, j->z, j->zn, cap);  /* zn 0: fails, frees z */
        free(j);
        return;
    }
    j->data = own ? (unsigned char *)data : memcpy(qh_xrealloc(NULL, n ? n : 1), data, n);
    enqueue(q, j);
    drain(h, q, 0);
}

static void flate_later(qhpdf *h, HPDF_Dict d, const void *data, size_t n, int own,
                        int level) {
    flate_job(h, d, data, n, own, level, NULL, NULL, 0);
}

void qh_set_flate_known(qhpdf *h, HPDF_Dict d, void *data, size_t n, int level,
                        qpdf_ostm *known, qpdf_ostms *catch) {
    flate_job(h, d, data, n, 1, level, known, catch, 0);
}

void qh_set_flate_memo(qhpdf *h, HPDF_Dict d, void *data, size_t n, int level) {
    flate_job(h, d, data, n, 1, level, NULL, NULL, 1);
}

void qhpdf_pack_streams(qhpdf *h, qpdf_ostms *memo, qpdf_ostms *catch) {
    qh_zq *q = queue(h);
    if (q->memo) qpdf_ostms_free(q->memo);
    qpdf_ostms_sort(memo); /* looked up by content, as many as the file holds */
    q->memo = memo;
    q->memo_catch = catch;
}

void qh_set_flate_later(qhpdf *h, HPDF_Dict d, const void *data, size_t n) {
    flate_later(h, d, data, n, 0, qh_flate_level(h));
}

void qh_set_flate_later_take(qhpdf *h, HPDF_Dict d, void *data, size_t n) {
    flate_later(h, d, data, n, 1, qh_flate_level(h));
}

void qh_set_flate_later_at(qhpdf *h, HPDF_Dict d, void *data, size_t n, int level) {
    flate_later(h, d, data, n, 1, level);
}

void qh_flate_libharus(qhpdf *h, HPDF_Dict d) {
    if (h->err || !d || !(d->filter & HPDF_STREAM_FILTER_FLATE_DECODE)) return;
    HPDF_Stream s = d->stream;
    if (!s || s->type != HPDF_STREAM_MEMORY) return;
    HPDF_MemStreamAttr a = s->attr;
    size_t n = s->size, k = 0;
    unsigned char *raw = qh_xrealloc(NULL, n ? n : 1);
    for (HPDF_UINT i = 0; i < a->buf->count && k < n; i++) {
        size_t m = i + 1 < a->buf->count ? a->buf_siz : a->w_pos;
        if (m > n - k) m = n - k;
        memcpy(raw + k, HPDF_List_ItemAt(a->buf, i), m);
        k += m;
    }
    d->filter = HPDF_STREAM_FILTER_NONE;  /* its bytes come deflated */
    flate_later(h, d, raw, k, 1, qh_flate_level(h));
}

qh_zjob *qh_deflate_async(qhpdf *h, int level, unsigned char *data, size_t n, int memo) {
    qh_zq *q = queue(h);
    zjob *j = memset(qh_xrealloc(NULL, sizeof *j), 0, sizeof *j);
    j->data = data;
    j->n = n;
    j->level = level;
    if (memo) {
        j->memo = q->memo;
        to_catch(j, q->memo_catch);
    }
    if (has_worker(q)) {
        enqueue(q, j);
    } else {  /* deflated by qh_deflate_wait, on this thread */
        size_t cap = 0;
        j->zn = deflate_job(&q->mine, j, &cap);
        free(j->data);
        j->data = NULL;
        j->done = 1;
    }
    return j;
}

/* The oldest job the worker has not taken, deflated here (the worker is
 * busy with an older one) when enough waits behind it to pay for this
 * thread's compressor (HELP_MIN); 0 when none was. */
static int help(qh_zq *q) {
    size_t waiting = 0;
    for (const zjob *j = q->todo; j && waiting < HELP_MIN; j = j->next) waiting += j->n;
    if (waiting < HELP_MIN) return 0;
    run_oldest(q, &q->mine);
    return 1;
}

size_t qh_deflate_wait(qhpdf *h, qh_zjob *j, unsigned char **z) {
    qh_zq *q = queue(h);
    if (q->running) {
        pthread_mutex_lock(&q->mu);
        while (!j->done)
            if (!help(q)) pthread_cond_wait(&q->done, &q->mu);
        /* the saver waits in the order it queued, after every stream */
        if (q->head == j) {
            q->head = j->next;
            if (!q->head) q->tail = NULL;
        }
        pthread_mutex_unlock(&q->mu);
    }
    caught(h, j); /* a pack-wide stream's bytes, for the next build */
    size_t zn = j->zn;
    *z = j->z;
    free(j);
    return zn;
}

void qh_flate_finish(qhpdf *h) {
    if (h->zq) drain(h, h->zq, 1);
}

void qh_flate_free(qhpdf *h) {
    qh_zq *q = h->zq;
    if (!q) return;
    if (q->running) {
        pthread_mutex_lock(&q->mu);
        q->stop = 1;
        pthread_cond_signal(&q->work);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->worker, NULL);
    }
    for (zjob *j = q->head, *next; j; j = next) {
        next = j->next;
        free(j->data);
        free(j->z);
        free(j->kz);
        free(j);
    }
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->done);
    deflater_end(&q->mine);
    qpdf_ostms_free(q->memo);
    free(q);
    h->zq = NULL;
}

const char *qh_libdeflate_version(void) { return LIBDEFLATE_VERSION_STRING; }

/* A page's content deflated on a worker of the pack (pdf_draw.c): the
 * level and call qh_set_flate_later's job uses, so the same bytes. */
struct qpdf_zipper {
    qh_deflater z;
};

qpdf_zipper *qpdf_zipper_new(void) {
    return memset(qh_xrealloc(NULL, sizeof(qpdf_zipper)), 0, sizeof(qpdf_zipper));
}

void qpdf_zipper_free(qpdf_zipper *z) {
    if (!z) return;
    deflater_end(&z->z);
    free(z);
}

int qpdf_zip_page(qpdf_zipper *z, qcv_page *pg) {
    if (pg->deflated) return 0;
    unsigned char *out = NULL;
    size_t cap = 0;
    size_t zn = deflate_with(&z->z, QH_FLATE_LEVEL, pg->data, pg->n, &out, &cap);
    if (!zn) {
        free(out);
        return -1;
    }
    free(pg->data);
    pg->data = qh_xrealloc(out, zn);  /* kept until placed: its bytes only */
    pg->n = zn;
    pg->deflated = 1;
    return 0;
}
