/* Pages of PDFs from elsewhere (a pack's PDF items, issue 15): libharu
 * saves the pack with a placeholder page for each, carrying the pack's
 * own marks; this hands the saved file to src/pdfin, which draws each
 * foreign page into its box (libharu cannot read a PDF, and libqpdf
 * stays in src/pdfin). */
#include <stdlib.h>

#include "util.h"
#include "dlist.h"
#include "pdf.h"
#include "pdfin.h"

int qpdf_has_foreign(const qdlist *dl) {
    for (size_t p = 0; p < dl->pages.len; p++)
        if (QVEC_AT(&dl->pages, qdl_page, p).foreign) return 1;
    return 0;
}

unsigned char *qpdf_place_foreign(const qdlist *dl, const unsigned char *in, size_t n,
                                  size_t *outlen, char *why, size_t whyn) {
    size_t np = 0;
    qpdfin_placement *pl = qpdf_xmalloc((dl->pages.len ? dl->pages.len : 1) * sizeof *pl);
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        const qdl_source *src = pg->foreign ? qdlist_source(dl, pg->foreign) : NULL;
        if (!src) continue;
        /* the box in PDF user space: y up from the bottom edge */
        pl[np++] = (qpdfin_placement){src->bytes, src->len, pg->foreign_page, p,
                                      pg->fx, pg->height - pg->fy - pg->fh,
                                      pg->fx + pg->fw, pg->height - pg->fy};
    }
    unsigned char *out = NULL;
    if (qpdfin_place(in, n, pl, np, &out, outlen, why, whyn) != 0) out = NULL;
    free(pl);
    return out;
}
