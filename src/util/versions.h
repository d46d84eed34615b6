/* The versions of the third-party libraries as they run, each told by the
 * folder that calls that library (load: libxml2, pdf: libharu). */
#ifndef QUORUM_VERSIONS_H
#define QUORUM_VERSIONS_H
#include <stddef.h>

void qload_libxml2_version(char *buf, size_t n);
void qhpdf_version(char *buf, size_t n);
#endif
