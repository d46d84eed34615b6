/* The HTML device (src/html): a report as one accessible HTML5 page, and
 * a meeting as a static site, written from the document tree after check
 * (numbers and cross-references as qdoc_number and qdoc_ref_text give
 * them), never from laid-out pages.  No third-party library: the markup
 * is written here, every piece of text through the one escaper,
 * qhtml_text. */
#ifndef QUORUM_HTML_H
#define QUORUM_HTML_H
#include <stddef.h>

#include "doc.h"
#include "quorum.h"
#include "style.h"
#include "util.h"

/* The page is built in a qstr (util.h). */
/* s[0..n) as HTML text or attribute value: & < > " ' escaped, so the
 * same escape serves both.  The one escaper of the device. */
void qhtml_text(qstr *b, const char *s, size_t n);
void qhtml_str(qstr *b, const char *s); /* NULL writes nothing */

/* What a page says about itself beyond the document. */
typedef struct qhtml_page {
    const char *title;     /* <title> and the h1 */
    const char *lang;      /* html lang=; NULL = "en-GB" */
    const char *pdf_href;  /* a link to the PDF of the same report, or NULL */
    const char *up_href;   /* a link back to the meeting's index, or NULL */
    const char *up_text;
    const char *sources;   /* <meta name="quorum-sources">: a hash of what
                              the page's files were made from, or NULL */
} qhtml_page;

/* <!DOCTYPE html> to the opening of <main id="main">: the head with the
 * house style's CSS (screen, phone and print), the skip link, the logo
 * (embedded as a data: URI) and the links of pg. */
void qhtml_head(qstr *b, const qstyle *s, const qhtml_page *pg);
/* </main> to </html>. */
void qhtml_tail(qstr *b, const qstyle *s, const char *lang);

/* bytes as a data: URI (base64), type from their signature (PNG, JPEG);
 * NULL type = "application/octet-stream". */
void qhtml_data_uri(qstr *b, const unsigned char *bytes, size_t n);

/* The whole page of a checked report. */
void qhtml_report(qstr *b, const quorum_doc *doc, const qstyle *s,
                  const qhtml_page *pg);
/* The report's title: its front sheet's title field, else the first
 * heading, else w's "Report" (arena a). */
const char *qhtml_report_title(qarena *a, const quorum_doc *doc, const qw_words *w);

/* Blocks of any document (a meeting's item text, its information
 * page), headings from level hl. */
void qhtml_blocks(qstr *b, const quorum_doc *doc, const qstyle *s,
                  const qnode *first, int hl);

/* Whether path is a regular file (not a link) holding exactly bytes[0..n). */
int qhtml_same(const void *bytes, size_t n, const char *path);
/* Writes bytes[0..n) to path atomically (util atomic) unless path holds
 * exactly these bytes already (qhtml_same); *written says which.  what names the file in diagnostics ("the
 * HTML").  Refuses (USAGE) a path that is one of inputs[0..ninputs) or
 * not a regular file, as the PDF writer does. */
quorum_status qhtml_commit(const void *bytes, size_t n, const char *path,
                           const char *what, const char *const *inputs,
                           size_t ninputs, int *written, quorum_diags *d);
#endif
