/* The versions of libharu, zlib and libdeflate, for
 * quorum_version_libraries (all are called only from this folder). */
#include <stdio.h>

#include "hpdf_private.h"
#include "util.h"

void qhpdf_version(char *buf, size_t n) {
    /* the reason is the write's error; the caller's line is short */
    if (!qh_hpdf_ready(NULL))
        snprintf(buf, n, "libharu: not available, zlib %s, libdeflate %s",
                 zlibVersion(), qh_libdeflate_version());
    else
        snprintf(buf, n, "libharu %s, zlib %s, libdeflate %s", HPDF_GetVersion(),
                 zlibVersion(), qh_libdeflate_version());
}
