#include <pthread.h>
#include <stdio.h>

#include "quorum.h"
#include "util.h"
#include "pdfin.h"

const char *quorum_version(void) { return QUORUM_VERSION_STRING; }

/* Made once, on first call, from any thread. */
static char libs[256];
static pthread_once_t libs_once = PTHREAD_ONCE_INIT;

static void fill_libs(void) {
    char pdf[64], xml[32], png[32], jpeg[40], zip[32], qpdf[40];
    qhpdf_version(pdf, sizeof pdf);
    qload_libxml2_version(xml, sizeof xml);
    qimg_png_version(png, sizeof png);
    qimg_jpeg_version(jpeg, sizeof jpeg);
    qdocx_libzip_version(zip, sizeof zip);
    qpdfin_version(qpdf, sizeof qpdf);
    snprintf(libs, sizeof libs, "%s, libxml2 %s, %s, %s, %s, %s", pdf, xml, png, jpeg, zip,
             qpdf);
}

const char *quorum_version_libraries(void) {
    pthread_once(&libs_once, fill_libs);
    return libs;
}
