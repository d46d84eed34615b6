#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct qchunk {
    struct qchunk *prev;
    size_t size, used;
    /* payload follows, aligned by the allocation itself */
    _Alignas(16) unsigned char data[];
} qchunk;

struct qarena {
    qchunk *head;
    size_t chunk_size;
    size_t total;
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

void qarena_free(qarena *a) {
    if (!a) return;
    qchunk *c = a->head;
    while (c) {
        qchunk *p = c->prev;
        free(c);
        c = p;
    }
    free(a);
}

void *qarena_alloc(qarena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) qfatal_oom();
    qchunk *c = a->head;
    if (!c || c->size - c->used < need) {
        /* Large requests get a chunk of their own so they do not waste the
         * remainder of the current one. */
        size_t size = need > a->chunk_size / 4 ? need : a->chunk_size;
        qchunk *nc = malloc(sizeof *nc + size);
        if (!nc) qfatal_oom();
        nc->size = size;
        nc->used = 0;
        if (size == a->chunk_size || !c) {
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
    memset(p, 0, n);
    return p;
}

char *qarena_strndup(qarena *a, const char *s, size_t n) {
    char *p = qarena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *qarena_strdup(qarena *a, const char *s) {
    return qarena_strndup(a, s, strlen(s));
}

char *qarena_vprintf(qarena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) n = 0;
    char *p = qarena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
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

void qvec_init(qvec *v, size_t elem_size) {
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem_size;
}

void *qvec_push(qarena *a, qvec *v) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *d = qarena_alloc(a, cap * v->elem);
        if (v->len) memcpy(d, v->data, v->len * v->elem);
        v->data = d;
        v->cap = cap;
    }
    void *slot = (unsigned char *)v->data + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}
