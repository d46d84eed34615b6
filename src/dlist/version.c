#include <pthread.h>
#include <stdio.h>

#include "quorum.h"
#include "util.h"

const char *quorum_version(void) { return QUORUM_VERSION_STRING; }

/* Made once, on first call, from any thread. */
static char libs[128];
static pthread_once_t libs_once = PTHREAD_ONCE_INIT;

static void fill_libs(void) {
    char pdf[64], xml[32];
    qhpdf_version(pdf, sizeof pdf);
    qload_libxml2_version(xml, sizeof xml);
    snprintf(libs, sizeof libs, "%s, libxml2 %s", pdf, xml);
}

const char *quorum_version_libraries(void) {
    pthread_once(&libs_once, fill_libs);
    return libs;
}
