/* Placeholder until the performance module lands: expands nothing and
 * checks nothing. */
#include "perf.h"

void qperf_expand(quorum_doc *doc) { (void)doc; }
size_t qperf_check(const quorum_doc *doc, quorum_diags *d) {
    (void)doc; (void)d;
    return 0;
}
