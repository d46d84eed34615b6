/* The versions of libharu and zlib as they run, for
 * quorum_version_libraries (both are called only from this folder). */
#include <hpdf.h>
#include <stdio.h>
#include <zlib.h>

#include "util.h"

void qhpdf_version(char *buf, size_t n) {
    snprintf(buf, n, "libharu %s, zlib %s", HPDF_GetVersion(), zlibVersion());
}
