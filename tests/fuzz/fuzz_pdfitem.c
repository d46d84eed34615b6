/* libFuzzer harness: the input is a PDF a meeting's item names
 * (report="doc.pdf", issue 15), through the pack's read and inspection
 * (src/pdfin: qpdfin_inspect), layout and the PDF in memory, where
 * libqpdf draws its pages in, joins its structure tree and moves its
 * links (qpdfin_place).  What it promises: a PDF that cannot be included
 * is an error, never a crash or a hang, and one that can gives a whole
 * pack.  The input's length picks the PDF's way (fuzz.h).  Seeds:
 * tests/fuzz/corpus/pdfitem (a tagged PDF from LibreOffice, an untagged
 * one from Ghostscript, one from pikepdf with links and an outline). */
#include "fuzz.h"

#include "doc.h"
#include "meeting.h"

static const char meeting[] =
    "<meeting xmlns=\"urn:quorum:report:1\" xml:lang=\"en-GB\">\n"
    "  <body>Planning Committee</body>\n"
    "  <date>2025-01-29</date>\n"
    "  <time>19:00</time>\n"
    "  <venue>Council Chamber</venue>\n"
    "  <published>2025-01-21</published>\n"
    "  <clerk name=\"Democratic Services\" email=\"democraticservices@example.gov.uk\"/>\n"
    "  <agenda>\n"
    "    <item id=\"doc\" title=\"A document from elsewhere\" report=\"doc.pdf\"/>\n"
    "  </agenda>\n"
    "</meeting>\n";

static const uint8_t *in_data;
static size_t in_size;

static int resolve(void *ctx, const char *name, char **data, size_t *len) {
    if (strcmp(name, "doc.pdf") == 0) return fuzz_give((const char *)in_data, in_size, data, len);
    return fuzz_resolve(ctx, name, data, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    in_data = data;
    in_size = size;
    const quorum_engine *e = fuzz_engine();
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = qpack_load_memory(e, meeting, sizeof meeting - 1,
                                       "/nonexistent/meeting.xml", resolve, NULL, d);
    FUZZ_ASSERT(p);
    quorum_pack_check(e, p, NULL, d);
    if (fuzz_errors(d) == 0) {
        quorum_layout *l = quorum_pack_layout(e, p, NULL, d);
        FUZZ_ASSERT(l || fuzz_errors(d) > 0);
        if (l) fuzz_write_pdf(l, (unsigned)(size % FUZZ_PDF_WAYS), 0, d);
        quorum_layout_free(l);
    }
    quorum_pack_free(p);
    fuzz_diags_done(d);
    return 0;
}
