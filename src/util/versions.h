/* The versions of the third-party libraries as they run, each told by the
 * folder that calls that library (load: libxml2; pdf: libharu, zlib). */
#ifndef QUORUM_VERSIONS_H
#define QUORUM_VERSIONS_H
#include <stddef.h>

/* "libharu 2.3.0, zlib 1.2.13" */
void qhpdf_version(char *buf, size_t n);
/* "2.9.14" */
void qload_libxml2_version(char *buf, size_t n);
#endif
