/* PDFs from elsewhere in a pack's reports (<appendix href="audit.pdf"/>,
 * issue 15): how the pack keeps them between reads of a report, and the
 * note at the end of pack that sums up the PDFs that are not tagged. */
#include <stdlib.h>

#include "util.h"
#include "doc.h"
#include "load.h"
#include "meeting.h"
#include "pdfin.h"

void qpack_pdfs_take(qarena *a, qpack_pdfs *out, quorum_doc *doc) {
    size_t n = doc ? doc->npdfs : 0;
    out->n = n;
    out->pdf = malloc((n ? n : 1) * sizeof *out->pdf);
    if (!out->pdf) qfatal_oom();
    out->at = qarena_alloc(a, (n ? n : 1) * sizeof *out->at);
    for (size_t k = 0; k < n; k++) {
        qdoc_pdf *pdf = &doc->pdfs[k];
        out->at[k] = qdoc_attr_get(pdf->ref, "href")->pos;
        out->pdf[k] = *pdf;
        out->pdf[k].ref = NULL; /* in the document's tree */
        out->pdf[k].href = qarena_strdup(a, pdf->href);
        out->pdf[k].path = qarena_strdup(a, pdf->path);
        pdf->borrowed = 1;
    }
}

void qpack_pdfs_free(qpack_pdfs *p) {
    qload_pdf_list_free(p->pdf, p->n);
    p->pdf = NULL;
    p->n = 0;
}

void qpack_untagged_add(qarena *a, qpack_untagged *u, const char *name, const char *item,
                        qpos at) {
    const char *s = item ? qarena_printf(a, "%s (appendix of item %s)", name, item) : name;
    u->list = u->list ? qarena_printf(a, "%s, %s", u->list, s) : s;
    u->n++;
    u->appendices += item != NULL;
    /* the note comes after every warning it sums up, as diagnostics sort:
     * by file, then line and column */
    if (u->n == 1 || at.file > u->last.file ||
        (at.file == u->last.file &&
         (at.line > u->last.line || (at.line == u->last.line && at.col >= u->last.col))))
        u->last = at;
}

void qpack_untagged_note(const qpack_untagged *u, quorum_diags *d) {
    if (u->n)
        qdiag_add(d, QUORUM_NOTE, u->last,
                  "%zu PDF%s%s not tagged (%s): the pack is not fully accessible", u->n,
                  u->appendices ? "" : " item", u->n == 1 ? " is" : "s are", u->list);
}
