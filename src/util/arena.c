/* madvise; mremap (Linux) */
#define _GNU_SOURCE 1
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct qchunk {
    struct qchunk *prev;
    size_t size, used;
    size_t populated;   /* bytes of data populated so far (alloc_raw) */
    int own;    /* holds one large allocation only (it may grow in place) */
    int mapped; /* a mapping of its own (map_chunk), grown by mremap */
    /* payload follows, aligned by the allocation itself */
    _Alignas(16) unsigned char data[];
} qchunk;

typedef struct qdefer {
    void (*fn)(void *);
    void *p;
    struct qdefer *next;
} qdefer;

struct qarena {
    qchunk *head;
    size_t chunk_size;
    size_t total;
    qdefer *defers;   /* newest first; they live in the chunks */
};

_Noreturn void qfatal_oom(void) {
    fputs("quorum: out of memory\n", stderr);
    abort();
}

qarena *qarena_new(size_t chunk_size) {
    qarena *a = calloc(1, sizeof *a);
    if (!a) qfatal_oom();
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    return a;
}

/* A block this large grows by moving its pages, not its bytes: a
 * vector that doubles to megabytes (a 50-report pack's structure
 * records) was copied at each doubling, and the heap's chunks under
 * malloc's moving mmap threshold are realloc'd by copying (issue 18: 9%
 * of a rebuild's pack thread). */
#define QARENA_MAP_MIN ((size_t)1 << 20)

static size_t map_bytes(size_t size) {
    return (sizeof(qchunk) + size + 4095) & ~(size_t)4095;
}

/* A chunk of size bytes in a mapping of its own, or NULL. */
static qchunk *map_chunk(size_t size) {
#ifdef __linux__
    void *m = mmap(NULL, map_bytes(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (m == MAP_FAILED) return NULL;
    qchunk *c = m;
    c->mapped = 1;
    return c;
#else
    (void)size;
    return NULL;
#endif
}

static void chunk_free(qchunk *c) {
    if (c->mapped) munmap(c, map_bytes(c->size));
    else free(c);
}

void qarena_free(qarena *a) {
    if (!a) return;
    for (qdefer *d = a->defers; d; d = d->next) d->fn(d->p);
    qchunk *c = a->head;
    while (c) {
        qchunk *p = c->prev;
        chunk_free(c);
        c = p;
    }
    free(a);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* A chunk is filled before the next one is taken, so its pages are
 * wanted as the allocations reach them: ask for them a window at a time
 * (alloc_raw) rather than one page fault per page as they are first
 * written.  Under a hypervisor a page fault costs some ten microseconds,
 * and the faults of a display list's chunks were a third of a pack's
 * layout time.  Not the whole chunk at once: a report's display list
 * takes a fraction of its 1 MiB chunk, and every page populated is a
 * page the kernel zeroes and maps whether it is used or not (the sample
 * report's layout populated some 150 pages it never wrote).  Kernels
 * without MADV_POPULATE_WRITE refuse the call and the pages come one
 * fault at a time as before. */
void qmem_populate(void *p, size_t n) {
    uintptr_t s = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (e > s) (void)madvise((void *)s, e - s, MADV_POPULATE_WRITE);
}

#define QARENA_WINDOW ((size_t)64 * 1024)

/* n bytes, 16-byte aligned, not zeroed. */
static void *alloc_raw(qarena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) qfatal_oom();
    qchunk *c = a->head;
    if (!c || c->size - c->used < need) {
        /* Large requests get a chunk of their own so they do not waste the
         * remainder of the current one. */
        int own = need > a->chunk_size / 4;
        size_t size = own ? need : a->chunk_size;
        qchunk *nc = own && size >= QARENA_MAP_MIN ? map_chunk(size) : NULL;
        if (!nc) {
            nc = malloc(sizeof *nc + size);
            if (!nc) qfatal_oom();
            nc->mapped = 0;
        }
        nc->size = size;
        nc->used = 0;
        /* a large block's vector may never use all it has (qvec_push
         * populates it as it fills) */
        nc->populated = own ? size : 0;
        nc->own = own;
        if (!own || !c) {
            nc->prev = c;
            a->head = nc;
        } else {
            /* keep filling the current chunk afterwards */
            nc->prev = c->prev;
            c->prev = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    if (c->used > c->populated) {
        /* the window holding the end of this allocation, and the rest of
         * the allocation before it */
        size_t to = (c->used + QARENA_WINDOW - 1) & ~(QARENA_WINDOW - 1);
        if (to > c->size) to = c->size;
        qmem_populate(c->data + c->populated, to - c->populated);
        c->populated = to;
    }
    return p;
}

void *qarena_alloc_uninit(qarena *a, size_t n) { return alloc_raw(a, n); }

void *qarena_alloc(qarena *a, size_t n) {
    void *p = alloc_raw(a, n);
    memset(p, 0, n);
    return p;
}

/* Grows the block at p (from n to m > n bytes) when it is a chunk of its
 * own: realloc moves it at most once and leaves nothing behind.  NULL when
 * p is not such a block. */
static void *grow_own(qarena *a, void *p, size_t n, size_t m) {
    size_t need = (m + 15) & ~(size_t)15;
    if (need < m) qfatal_oom();
    for (qchunk **pp = &a->head; *pp; pp = &(*pp)->prev) {
        qchunk *c = *pp;
        if ((void *)c->data != p) continue;
        if (!c->own || c->used < n) return NULL;
        qchunk *nc = NULL;
#ifdef __linux__
        if (c->mapped) {
            void *m2 = mremap(c, map_bytes(c->size), map_bytes(need), MREMAP_MAYMOVE);
            if (m2 == MAP_FAILED) qfatal_oom();
            nc = m2;
        } else if (need >= QARENA_MAP_MIN && (nc = map_chunk(need))) {
            /* the last copy: it grows by mremap from now on */
            memcpy(nc, c, sizeof *c + c->used);
            nc->mapped = 1;
            free(c);
        }
#endif
        if (!nc) nc = realloc(c, sizeof *nc + need);
        if (!nc) qfatal_oom();
        a->total += need - nc->used;
        nc->size = nc->used = nc->populated = need;
        *pp = nc;
        return nc->data;
    }
    return NULL;
}

char *qarena_strndup(qarena *a, const char *s, size_t n) {
    char *p = alloc_raw(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *qarena_cat(qarena *a, const char *x, const char *y) {
    size_t n = strlen(x), m = strlen(y);
    char *s = qarena_alloc_uninit(a, n + m + 1);
    memcpy(s, x, n);
    memcpy(s + n, y, m + 1);
    return s;
}

char *qarena_strdup(qarena *a, const char *s) {
    return qarena_strndup(a, s, strlen(s));
}

char *qarena_vprintf(qarena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    /* most results are short: formatted once, on the stack, and copied */
    char buf[256];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    char *p = alloc_raw(a, n < 0 ? 1 : (size_t)n + 1);
    if (n < 0) p[0] = '\0';
    else if ((size_t)n < sizeof buf) memcpy(p, buf, (size_t)n + 1);
    else vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

char *qarena_printf(qarena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = qarena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t qarena_used(const qarena *a) { return a->total; }

void qarena_defer(qarena *a, void (*fn)(void *), void *p) {
    qdefer *d = alloc_raw(a, sizeof *d);
    *d = (qdefer){fn, p, a->defers};
    a->defers = d;
}

void qarena_release(qarena *a, void *p) {
    if (!p) return;
    for (qchunk **pp = &a->head; *pp; pp = &(*pp)->prev) {
        qchunk *c = *pp;
        if ((void *)c->data != p) continue;
        if (!c->own) return;
        *pp = c->prev;
        a->total -= c->used;
        chunk_free(c);
        return;
    }
}

void qarena_adopt(qarena *dst, qarena *src) {
    if (!src) return;
    if (src->head) {
        qchunk *oldest = src->head;
        while (oldest->prev) oldest = oldest->prev;
        /* behind dst's current block, so dst goes on filling that one */
        if (dst->head) {
            oldest->prev = dst->head->prev;
            dst->head->prev = src->head;
        } else {
            dst->head = src->head;
        }
    }
    if (src->defers) {
        qdefer *last = src->defers;
        while (last->next) last = last->next;
        last->next = dst->defers;
        dst->defers = src->defers;
    }
    dst->total += src->total;
    free(src);
}

void qvec_init(qvec *v, size_t elem_size) {
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem_size;
}

/* Slots are zeroed when pushed, so growth copies what is there and leaves
 * the rest untouched (not even faulted in until used); a vector big enough
 * to have a chunk of its own grows in place. */
void *qvec_push(qarena *a, qvec *v) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        if (cap < v->cap || cap > SIZE_MAX / v->elem) qfatal_oom();
        /* only a block over a quarter chunk can have a chunk of its own */
        void *d = v->cap * v->elem > a->chunk_size / 4
                      ? grow_own(a, v->data, v->cap * v->elem, cap * v->elem)
                      : NULL;
        if (!d) {
            d = alloc_raw(a, cap * v->elem);
            if (v->len) memcpy(d, v->data, v->len * v->elem);
        }
        v->data = d;
        v->cap = cap;
    }
    size_t off = v->len * v->elem;
    void *slot = (unsigned char *)v->data + off;
    /* A vector with a chunk of its own is fresh memory: populate it a
     * window at a time as it fills (never more than a window beyond what
     * it holds). */
    if ((off & (QARENA_WINDOW - 1)) < v->elem &&
        v->cap * v->elem > a->chunk_size / 4) {
        size_t end = off + QARENA_WINDOW;
        if (end > v->cap * v->elem) end = v->cap * v->elem;
        qmem_populate(slot, end - off);
    }
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

void *qgrow(void *p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 32;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem) qfatal_oom();
        c *= 2;
    }
    void *q = realloc(p, c * elem);
    if (!q) qfatal_oom();
    *cap = c;
    return q;
}
