/* PDF items (issue 15): an agenda item whose report="…" is a PDF that
 * quorum did not write.  Read here under the engine's limits and looked
 * at through src/pdfin; pack_pages.c lays out a page for each of its
 * pages and the PDF writer draws them in (ARCHITECTURE.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "doc.h"
#include "meeting.h"
#include "pdfin.h"

int qpack_is_pdf_name(const char *report) {
    size_t n = strlen(report);
    return n > 4 && strcasecmp(report + n - 4, ".pdf") == 0;
}

static int read_bytes(const quorum_engine *e, const char *path, const char *report,
                      qpos at, quorum_resolve_fn fn, void *ctx, unsigned char **bytes,
                      size_t *len, quorum_diags *d) {
    char lim[32];
    if (fn) {
        char *data = NULL;
        int rc = fn(ctx, report, &data, len);
        if (rc != 0) {
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at, "cannot read %s: %s",
                            report, rc > 0 ? strerror(rc) : "not supplied");
            return -1;
        }
        if (*len > e->limits.pdf_bytes) {
            free(data);
            qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at,
                            "cannot include %s: it is larger than the %s limit for PDFs",
                            report, qsize_text(lim, sizeof lim, e->limits.pdf_bytes));
            return -1;
        }
        *bytes = (unsigned char *)data;
        return 0;
    }
    int err = qfile_read(path, 0, e->limits.pdf_bytes, bytes, len);
    if (err == EFBIG)
        qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at,
                        "cannot include %s: it is larger than the %s limit for PDFs",
                        report, qsize_text(lim, sizeof lim, e->limits.pdf_bytes));
    else if (err)
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at, "cannot read %s: %s", path,
                        qfile_strerror(err));
    return err ? -1 : 0;
}

int qpack_pdf_read(const quorum_engine *e, const char *path, const char *report, qpos at,
                   quorum_resolve_fn fn, void *ctx, unsigned char **bytes, size_t *len,
                   struct qpdfin_doc *doc, quorum_diags *d) {
    *bytes = NULL;
    *len = 0;
    memset(doc, 0, sizeof *doc);
    if (read_bytes(e, path, report, at, fn, ctx, bytes, len, d) != 0) return -1;
    char why[256];
    if (qpdfin_inspect(*bytes, *len, e->limits.pdf_pages, e->limits.pdf_objects, doc, why,
                       sizeof why) == 0)
        return 0;
    /* the names and titles in why come from the file: escaped on output */
    qdiag_add(d, QUORUM_ERROR, at, "cannot include %s: %s", report, why);
    free(*bytes);
    *bytes = NULL;
    *len = 0;
    return -1;
}

void qpack_pdf_warn_untagged(const char *report, const struct qpdfin_doc *doc, qpos at,
                             quorum_diags *d) {
    /* a tagged one's structure joins the pack's (pdfin_place.cc) */
    if (!doc->tagged)
        qdiag_add(d, QUORUM_WARNING, at,
                  "%s is not tagged: the pack is not fully accessible", report);
}

int qpack_pdf_archive_error(const char *report, const struct qpdfin_doc *doc, int level,
                            qpos at, quorum_diags *d) {
    /* PDF/A-3 may hold what PDF/A-1 and -2 allow; PDF/A-1 only its own */
    int ok = doc->pdfa_part >= 1 && doc->pdfa_part <= (level == 1 ? 1 : 3);
    if (ok) return 0;
    if (doc->pdfa_part)
        qdiag_add(d, QUORUM_ERROR, at,
                  "%s is PDF/A-%d, which a PDF/A-%d archive copy cannot include: give "
                  "it as PDF/A-%s", report, doc->pdfa_part, level,
                  level == 1 ? "1" : "1, 2 or 3");
    else
        qdiag_add(d, QUORUM_ERROR, at,
                  "%s is not PDF/A (its metadata claims no PDF/A part), so an archive "
                  "copy cannot include it: convert it to PDF/A first (quorum does not "
                  "convert: fonts, colours and transparency would need checking)", report);
    return 1;
}
