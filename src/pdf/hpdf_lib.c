/* libharu opened on first use (hpdf_private.h: the adapter's calls go
 * through qh_hpdf), and what the PDF device needs before it writes. */
#include <pthread.h>
#include <stdio.h>

#include "hpdf_private.h"
#include "util.h"

#ifndef QUORUM_LIBHPDF_SONAME
#define QUORUM_LIBHPDF_SONAME "libhpdf-2.3.0.so"
#endif

qh_hpdf_lib qh_hpdf;
/* the names as written: the macros of hpdf_private.h are not expanded by # */
QDLIB_TABLE(libhpdf, QUORUM_LIBHPDF_SONAME, QH_HPDF_CALLS, QDLIB_NAME, qh_hpdf, NULL);

int qh_hpdf_ready(const char **why) { return qdlib_ready(&libhpdf, why); }

const char *qhpdf_unavailable(void) {
    const char *why = NULL;
    if (!qh_hpdf_ready(&why) || !qh_deflate_ready(&why)) return why;
    return NULL;
}
