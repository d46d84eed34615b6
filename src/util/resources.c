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

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *qres_find_dir(const char *kind) {
    char *self = qres_self_path();
    if (!self) return NULL;
    char *slash = strrchr(self, '/');
    if (!slash) {
        free(self);
        return NULL;
    }
    /* The install layout's own relative path first (CMake passes them:
     * Debian's lib/x86_64-linux-gnu is two folders below the prefix, bin
     * one), then the usual PREFIX/{bin,lib} one and the build tree's. */
    int in_lib = strstr(slash + 1, ".so") != NULL;
    *slash = '\0';
    const char *forms[] = {in_lib ? "%s/" QUORUM_LIB_TO_DATA "/quorum/%s"
                                  : "%s/" QUORUM_BIN_TO_DATA "/quorum/%s",
                           "%s/../share/quorum/%s", "%s/share/quorum/%s"};
    char *found = NULL;
    for (size_t i = 0; i < sizeof forms / sizeof *forms && !found; i++) {
        int len = snprintf(NULL, 0, forms[i], self, kind);
        char *p = malloc((size_t)len + 1);
        if (!p) break;
        snprintf(p, (size_t)len + 1, forms[i], self, kind);
        if (is_dir(p)) {
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

char *qpath_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) qfatal_oom();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}
