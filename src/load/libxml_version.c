/* libxml2's version as it runs, for quorum_version_libraries (libxml2 is
 * called only from this folder). */
#include <libxml/parser.h>
#include <stdio.h>

#include "util.h"

void qload_libxml2_version(char *buf, size_t n) {
    /* xmlParserVersion is "20914" for 2.9.14 */
    long v = 0;
    if (sscanf(xmlParserVersion, "%ld", &v) != 1) v = 0;
    snprintf(buf, n, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
}
