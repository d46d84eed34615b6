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

quorum_doc *quorum_doc_load(const char *path, quorum_diags *d) {
    (void)path;
    not_yet(d, "loading");
    return NULL;
}
quorum_doc *quorum_doc_load_memory(const char *data, size_t len,
                                   const char *name, quorum_diags *d) {
    (void)data; (void)len; (void)name;
    not_yet(d, "loading");
    return NULL;
}
void quorum_doc_free(quorum_doc *doc) { (void)doc; }
size_t quorum_doc_check(quorum_doc *doc, quorum_diags *d) {
    (void)doc; (void)d;
    return 0;
}
void qdoc_number(quorum_doc *doc) { (void)doc; }
const char *qdoc_ref_text(qarena *a, const quorum_doc *doc, const qnode *ref) {
    (void)a; (void)doc; (void)ref;
    return NULL;
}
