/* Temporary: entry points whose modules are being written.  Each function
 * here reports that it is not available yet; remove it from this file when
 * its module lands. */
#include <stdlib.h>

#include "diag.h"
#include "doc.h"
#include "dlist.h"
#include "quorum.h"

static void not_yet(quorum_diags *d, const char *what) {
    qpos p = {0, 0, 0};
    qdiag_add(d, QUORUM_ERROR, p, "%s is not implemented yet", what);
}

quorum_layout *quorum_doc_layout(const quorum_doc *doc,
                                 const quorum_options *opt, quorum_diags *d) {
    (void)doc; (void)opt;
    not_yet(d, "layout");
    return NULL;
}
quorum_status quorum_layout_write_pdf(const quorum_layout *l, const char *path,
                                      quorum_diags *d) {
    (void)l; (void)path;
    not_yet(d, "PDF output");
    return QUORUM_IO_ERROR;
}
