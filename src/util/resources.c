#define _GNU_SOURCE 1 /* dladdr */
#include "util.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef QUORUM_LIB_TO_DATA
#define QUORUM_LIB_TO_DATA "../share"
#endif
#ifndef QUORUM_BIN_TO_DATA
#define QUORUM_BIN_TO_DATA "../share"
#endif
#ifndef QUORUM_BIN_TO_LIB
#define QUORUM_BIN_TO_LIB "../lib"
#endif

char *qres_self_path(void) {
    Dl_info info;
    /* dladdr names a shared library by the path it was loaded from; for
     * code linked into the program it gives argv[0]-like names (relative,
     * or bare when found on PATH), so the program's path comes from the
     * kernel instead. */
    if (dladdr((void *)&qres_self_path, &info) && info.dli_fname &&
        strstr(info.dli_fname, ".so")) {
        char *p = realpath(info.dli_fname, NULL);
        if (p) return p;
    }
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return NULL;
    buf[n] = '\0';
    return strdup(buf);
}

static int is_kind(const char *p, int dir) {
    struct stat st;
    return stat(p, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* The first of forms ("%s" the folder of the code, then name) that is an
 * existing folder (dir) or regular file, resolved; NULL when none is. */
static char *first_of(const char *const *forms, size_t n, const char *name, int dir) {
    char *self = qres_self_path();
    char *slash = self ? strrchr(self, '/') : NULL;
    if (!slash) {
        free(self);
        return NULL;
    }
    *slash = '\0';
    char *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        int len = snprintf(NULL, 0, forms[i], self, name);
        char *p = malloc((size_t)len + 1);
        if (!p) break;
        snprintf(p, (size_t)len + 1, forms[i], self, name);
        if (is_kind(p, dir)) {
            found = realpath(p, NULL);
            if (!found) found = p;
            else free(p);
        } else {
            free(p);
        }
    }
    free(self);
    return found;
}

static int self_is_library(void) {
    char *self = qres_self_path();
    const char *slash = self ? strrchr(self, '/') : NULL;
    int r = slash && strstr(slash + 1, ".so") != NULL;
    free(self);
    return r;
}

char *qres_find_dir(const char *kind) {
    /* The install layout's own relative path first (CMake passes them:
     * Debian's lib/x86_64-linux-gnu is two folders below the prefix, bin
     * one), then the usual PREFIX/{bin,lib} one and the build tree's. */
    const char *forms[] = {self_is_library() ? "%s/" QUORUM_LIB_TO_DATA "/quorum/%s"
                                             : "%s/" QUORUM_BIN_TO_DATA "/quorum/%s",
                           "%s/../share/quorum/%s", "%s/share/quorum/%s"};
    return first_of(forms, sizeof forms / sizeof *forms, kind, 1);
}

char *qres_find_module(const char *file) {
    /* The library's own folder (installed: LIBDIR/quorum), the program's
     * way to LIBDIR (BINDIR/REL/quorum), the build tree (build/lib/quorum
     * beside the program, build/tests/../lib/quorum for the tests) and a
     * plain PREFIX/bin with PREFIX/lib. */
    const char *forms[] = {"%s/quorum/%s", "%s/" QUORUM_BIN_TO_LIB "/quorum/%s",
                           "%s/lib/quorum/%s", "%s/../lib/quorum/%s"};
    return first_of(forms, sizeof forms / sizeof *forms, file, 0);
}

char *qpath_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) qfatal_oom();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}
