/* PDFs quorum did not write (issue 15): a pack's PDF items and a report's
 * PDF appendices (<appendix href="audit.pdf"/>).  Read here, once, under
 * the engine's limits and looked at through src/pdfin; the layout gives
 * each page a placeholder page and the PDF writer draws them in
 * (ARCHITECTURE.md).  One reader for both, so that an item and an
 * appendix are refused in the same words. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"
#include "pdfin.h"

int qload_is_pdf_name(const char *name) {
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".pdf") == 0;
}

static void too_large(const quorum_engine *e, const char *shown, qpos at, quorum_diags *d) {
    char lim[32];
    qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at,
                    "cannot include %s: it is larger than the %s limit for PDFs", shown,
                    qsize_text(lim, sizeof lim, e->limits.pdf_bytes));
}

static int read_bytes(const quorum_engine *e, const char *path, const char *shown,
                      qpos at, quorum_resolve_fn fn, void *ctx, unsigned char **bytes,
                      size_t *len, quorum_diags *d) {
    if (fn) {
        char *data = NULL;
        int rc = fn(ctx, shown, &data, len);
        if (rc != 0) {
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at, "cannot read %s: %s",
                            shown, rc > 0 ? strerror(rc) : "not supplied");
            return -1;
        }
        if (*len > e->limits.pdf_bytes) {
            free(data);
            too_large(e, shown, at, d);
            return -1;
        }
        *bytes = (unsigned char *)data;
        return 0;
    }
    int err = qfile_read(path, 0, e->limits.pdf_bytes, bytes, len);
    if (err == EFBIG)
        too_large(e, shown, at, d);
    else if (err) /* a file the input names: the input's error, as for XML appendices */
        qdiag_add(d, QUORUM_ERROR, at, "cannot read %s: %s", path, qfile_strerror(err));
    return err ? -1 : 0;
}

int qload_pdf_read(const quorum_engine *e, const char *path, const char *shown, qpos at,
                   quorum_resolve_fn fn, void *ctx, unsigned char **bytes, size_t *len,
                   struct qpdfin_doc *doc, quorum_diags *d) {
    *bytes = NULL;
    *len = 0;
    memset(doc, 0, sizeof *doc);
    if (read_bytes(e, path, shown, at, fn, ctx, bytes, len, d) != 0) return -1;
    char why[256];
    if (qpdfin_inspect(*bytes, *len, e->limits.pdf_pages, e->limits.pdf_objects, doc, why,
                       sizeof why) == 0)
        return 0;
    /* the names and titles in why come from the file: escaped on output */
    qdiag_add(d, QUORUM_ERROR, at, "cannot include %s: %s", shown, why);
    free(*bytes);
    *bytes = NULL;
    *len = 0;
    return -1;
}

void qload_pdf_warn_untagged(const char *shown, const struct qpdfin_doc *doc,
                             const char *whole, qpos at, quorum_diags *d) {
    /* a tagged one's structure joins the whole's (pdfin_place.cc) */
    if (!doc->tagged)
        qdiag_add(d, QUORUM_WARNING, at, "%s is not tagged: the %s is not fully accessible",
                  shown, whole);
}

int qload_pdf_archive_error(const char *shown, int pdfa_part, int level,
                            qpos at, quorum_diags *d) {
    /* PDF/A-3 may hold what PDF/A-1 and -2 allow; PDF/A-1 only its own */
    int ok = pdfa_part >= 1 && pdfa_part <= (level == 1 ? 1 : 3);
    if (ok) return 0;
    if (pdfa_part)
        qdiag_add(d, QUORUM_ERROR, at,
                  "%s is PDF/A-%d, which a PDF/A-%d archive copy cannot include: give "
                  "it as PDF/A-%s", shown, pdfa_part, level,
                  level == 1 ? "1" : "1, 2 or 3");
    else
        qdiag_add(d, QUORUM_ERROR, at,
                  "%s is not PDF/A (its metadata claims no PDF/A part), so an archive "
                  "copy cannot include it: convert it to PDF/A first (quorum does not "
                  "convert: fonts, colours and transparency would need checking)", shown);
    return 1;
}

/* ---- PDF appendices ---- */

/* The PDF read before as path, or NULL. */
static const qdoc_pdf *had_before(const qload_pdfs *had, const char *path) {
    for (size_t i = 0; had && i < had->n; i++)
        if (strcmp(had->pdfs[i].path, path) == 0) return &had->pdfs[i];
    return NULL;
}

void qload_pdf_appendix(const quorum_engine *e, quorum_doc *doc, qnode *ref,
                        const qattr *href, const char *path, quorum_resolve_fn fn,
                        void *ctx, const qload_pdfs *had, quorum_diags *d) {
    qdoc_pdf pdf = {ref, href->value, NULL, NULL, NULL, 0, 0};
    const qdoc_pdf *before = had_before(had, path);
    if (before) {
        pdf.info = before->info;
        pdf.bytes = before->bytes;
        pdf.len = before->len;
        pdf.borrowed = 1;
    } else {
        pdf.info = calloc(1, sizeof *pdf.info);
        if (!pdf.info) qfatal_oom();
        if (qload_pdf_read(e, path, href->value, href->pos, fn, ctx, &pdf.bytes, &pdf.len,
                           pdf.info, d) != 0) {
            free(pdf.info);
            return;
        }
        qload_pdf_warn_untagged(href->value, pdf.info, "report", href->pos, d);
    }
    /* a source like an XML appendix: hashed with the report, attached to
     * a PDF/A-3 copy, watched */
    pdf.path = qload_add_source(doc, d, path, pdf.bytes, pdf.len, href->pos)->path;
    if ((doc->npdfs & (doc->npdfs - 1)) == 0) {
        qdoc_pdf *np = realloc(doc->pdfs, (doc->npdfs ? 2 * doc->npdfs : 1) * sizeof *np);
        if (!np) qfatal_oom();
        doc->pdfs = np;
    }
    doc->pdfs[doc->npdfs++] = pdf;
}

void qload_pdf_list_free(qdoc_pdf *pdfs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (pdfs[i].borrowed) continue;
        qpdfin_doc_free(pdfs[i].info);
        free(pdfs[i].info);
        free(pdfs[i].bytes);
    }
    free(pdfs);
}

void qload_pdfs_free(quorum_doc *doc) {
    qload_pdf_list_free(doc->pdfs, doc->npdfs);
    doc->pdfs = NULL;
    doc->npdfs = 0;
}

size_t quorum_doc_check_archive_pdfs(const quorum_doc *doc, int level, quorum_diags *d) {
    size_t errors = 0;
    for (size_t i = 0; doc && i < doc->npdfs; i++)
        errors += (size_t)qload_pdf_archive_error(
            doc->pdfs[i].href, doc->pdfs[i].info->pdfa_part, level,
            qdoc_attr_get(doc->pdfs[i].ref, "href")->pos, d);
    return errors;
}
