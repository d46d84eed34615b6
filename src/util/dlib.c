/* Shared libraries opened on first use (qdlib_open, util.h).  The PDF
 * writer's libraries (libharu, libdeflate) and the image decoders
 * (libpng, libjpeg) were linked into every run, although HTML, check and
 * --help call none of them: mapping and relocating them was about 1 M
 * instructions, 36 page faults and ~0.9 ms of each run's start
 * (docs/performance.md, "One report's HTML").  Each library's own file
 * keeps its table of functions; this is the one place that opens. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int qdlib_open(const char *soname, const char *const *names, size_t n,
               void *fns, char *why, size_t why_n) {
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, why_n, "%s", e ? e : soname);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        void *s = dlsym(h, names[i]);
        if (!s) {
            snprintf(why, why_n, "%s has no %s", soname, names[i]);
            dlclose(h);
            return -1;
        }
        /* POSIX: a function's address from dlsym, copied bytewise (ISO C
         * has no conversion from void * to a function pointer) */
        memcpy((char *)fns + i * sizeof(void (*)(void)), &s, sizeof s);
    }
    /* never closed: the functions stay valid for the process */
    return 0;
}
