/* The files a document was loaded from, for archive copies that embed
 * them.  The loader records each file it reads in doc->sources, named
 * through the diagnostics' file table (doc->diags_files). */
#include "diag.h"
#include "doc.h"
#include "quorum.h"

size_t quorum_doc_source_count(const quorum_doc *doc) {
    return doc ? doc->nsources : 0;
}

const char *quorum_doc_source_path(const quorum_doc *doc, size_t i) {
    if (!doc || i >= doc->nsources || !doc->diags_files) return NULL;
    return qdiag_file_name(doc->diags_files, doc->sources[i].file);
}
