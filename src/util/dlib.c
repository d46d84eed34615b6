/* Shared libraries opened on first use (qdlib_ready, util.h).  The PDF
 * writer's libraries (libharu, libdeflate) and the image decoders
 * (libpng, libjpeg) were linked into every run, although HTML, check and
 * --help call none of them: mapping and relocating them was about 1 M
 * instructions, 36 page faults and ~0.9 ms of each run's start
 * (docs/performance.md, "One report's HTML").  Each library's own file
 * keeps its table of functions (QDLIB_TABLE); this is the one place that
 * opens them. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static int dlib_open(qdlib *l) {
    void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(l->why, sizeof l->why, "%s", e ? e : l->soname);
        return -1;
    }
    for (size_t i = 0; i < l->n; i++) {
        void *s = dlsym(h, l->names[i]);
        if (!s) {
            snprintf(l->why, sizeof l->why, "%s has no %s", l->soname, l->names[i]);
            dlclose(h);
            return -1;
        }
        /* POSIX: a function's address from dlsym, copied bytewise (ISO C
         * has no conversion from void * to a function pointer) */
        memcpy((char *)l->fns + i * sizeof(void (*)(void)), &s, sizeof s);
    }
    /* never closed: the functions stay valid for the process */
    return 0;
}

/* one lock for every library: each is opened once a process, and a call
 * after that reads its state without it */
static pthread_mutex_t dlib_mu = PTHREAD_MUTEX_INITIALIZER;

int qdlib_ready(qdlib *l, const char **why) {
    int s = atomic_load_explicit(&l->state, memory_order_acquire);
    if (!s) {
        pthread_mutex_lock(&dlib_mu);
        s = atomic_load_explicit(&l->state, memory_order_relaxed);
        if (!s) {
            s = dlib_open(l) == 0 ? 1 : -1;
            if (s == 1 && l->after) l->after();
            /* the table and why written before the state that publishes them */
            atomic_store_explicit(&l->state, s, memory_order_release);
        }
        pthread_mutex_unlock(&dlib_mu);
    }
    if (why) *why = s == 1 ? NULL : l->why;
    return s == 1;
}
