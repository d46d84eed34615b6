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
static const char *const hpdf_names[] = {QH_HPDF_CALLS(QDLIB_NAME)};
_Static_assert(sizeof qh_hpdf == sizeof hpdf_names / sizeof *hpdf_names * sizeof(void (*)(void)),
               "qh_hpdf holds one function pointer a name");
static pthread_once_t hpdf_once = PTHREAD_ONCE_INIT;
static int hpdf_ok;
static char hpdf_why[200];

static void hpdf_load(void) {
    hpdf_ok = qdlib_open(QUORUM_LIBHPDF_SONAME, hpdf_names,
                         sizeof hpdf_names / sizeof *hpdf_names, &qh_hpdf,
                         hpdf_why, sizeof hpdf_why) == 0;
}

int qh_hpdf_ready(const char **why) {
    pthread_once(&hpdf_once, hpdf_load);
    if (why) *why = hpdf_ok ? NULL : hpdf_why;
    return hpdf_ok;
}

const char *qhpdf_unavailable(void) {
    const char *why = NULL;
    if (!qh_hpdf_ready(&why) || !qh_deflate_ready(&why)) return why;
    return NULL;
}
