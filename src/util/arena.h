/* Bump allocator: one arena per pipeline stage (load, layout, device), freed
 * as a whole.  Stages never free individual objects, so there is no per-node
 * or per-glyph malloc on the hot path.
 *
 * Out of memory: like cmark, quorum treats allocation failure as fatal and
 * aborts with a message; callers never see NULL from these functions. */
#ifndef QUORUM_ARENA_H
#define QUORUM_ARENA_H
#include <stddef.h>

typedef struct qarena qarena;

qarena *qarena_new(size_t chunk_size);   /* chunk_size 0 = 64 KiB default */
void qarena_free(qarena *a);              /* NULL is fine */
void *qarena_alloc(qarena *a, size_t n);  /* zeroed, 16-byte aligned */
void *qarena_alloc_uninit(qarena *a, size_t n); /* the same, not zeroed */
char *qarena_strndup(qarena *a, const char *s, size_t n); /* NUL-terminated */
char *qarena_strdup(qarena *a, const char *s);
char *qarena_printf(qarena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
char *qarena_vprintf(qarena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
size_t qarena_used(const qarena *a);      /* bytes handed out, for benchmarks */

/* Growable array of fixed-size elements whose storage lives in an arena.
 * Growth copies into a new arena block (the old one is simply abandoned):
 * cheap because arrays double. */
typedef struct qvec {
    void *data;
    size_t len, cap, elem;
} qvec;
void qvec_init(qvec *v, size_t elem_size);
void *qvec_push(qarena *a, qvec *v);      /* returns zeroed slot */
#define QVEC_AT(v, T, i) (((T *)(v)->data)[i])

/* Abort with a message; used for allocation failure only. */
_Noreturn void qfatal_oom(void);
#endif
