/* libFuzzer harness: the input is a style file, read by the style
 * loader's one parser from memory (qstyle_load_memory), then the fixed
 * report of fuzz.h laid out with it and written as a PDF in memory (the
 * way picked by the input's length: fuzz.h).  The style stands in the
 * engine's style folder, so a logo or font it names is looked up there
 * (styles/riverside-logo.png, the fonts folder) as for the styles beside
 * it.  Seeds: the style files in styles/. */
#include "fuzz.h"

#include "doc.h"
#include "layout.h"
#include "style.h"

/* The fixed report, loaded and checked once. */
static const quorum_doc *fixed_report(void) {
    static quorum_doc *doc;
    if (!doc) {
        quorum_diags *d = quorum_diags_new();
        doc = quorum_doc_load_memory_resolved(
            fuzz_engine(), fuzz_report_xml, sizeof fuzz_report_xml - 1,
            "/nonexistent/report.xml", fuzz_resolve, NULL, d);
        if (doc) quorum_doc_check(fuzz_engine(), doc, NULL, d);
        FUZZ_ASSERT(doc && fuzz_errors(d) == 0);
        quorum_diags_free(d);
    }
    return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const quorum_engine *e = fuzz_engine();
    const quorum_doc *doc = fixed_report();
    quorum_diags *d = quorum_diags_new();
    qarena *a = qarena_new(0);
    const char *name = qarena_printf(a, "%s/fuzz-style.xml", e->style_dir);
    const qstyle *s = qstyle_load_memory(e, (const char *)data, size, name,
                                         NULL, a, d);
    FUZZ_ASSERT(s || fuzz_errors(d) > 0);
    if (s) {
        quorum_layout *l = qlayout_doc_styled(e, doc, s, e->font_dir, d);
        FUZZ_ASSERT(l || fuzz_errors(d) > 0);
        /* no style file to attach: it came from memory */
        if (l) fuzz_write_pdf(l, (unsigned)(size % FUZZ_PDF_WAYS), 0, d);
        quorum_layout_free(l);
    }
    qarena_free(a);
    fuzz_diags_done(d);
    return 0;
}
