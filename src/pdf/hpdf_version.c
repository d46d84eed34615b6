/* libharu's version as it runs, for quorum_version_libraries (libharu is
 * called only from this folder). */
#include <hpdf.h>
#include <stdio.h>

#include "versions.h"

void qhpdf_version(char *buf, size_t n) { snprintf(buf, n, "%s", HPDF_GetVersion()); }
