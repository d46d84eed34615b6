/* libFuzzer harness: the input is a meeting file, through the pack's
 * load (qpack_load_memory), check, layout and the PDF in memory.  The
 * reports it names come from the fixed files of fuzz.h (any name ending
 * in .xml), as do their appendices and images.  The
 * input's length picks the PDF's way (fuzz.h) and whether the pack is the
 * full agenda or the late items' supplement. */
#include "fuzz.h"

#include "doc.h"
#include "meeting.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const quorum_engine *e = fuzz_engine();
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = qpack_load_memory(e, (const char *)data, size,
                                       "/nonexistent/meeting.xml",
                                       fuzz_resolve, NULL, d);
    FUZZ_ASSERT(p || fuzz_errors(d) > 0);
    if (p) quorum_pack_check(e, p, NULL, d);
    if (p && fuzz_errors(d) == 0) {
        quorum_pack_options o = {0};
        o.supplement = (int)(size / FUZZ_PDF_WAYS % 2);
        quorum_layout *l = quorum_pack_layout(e, p, &o, d);
        FUZZ_ASSERT(l || fuzz_errors(d) > 0);
        if (l) fuzz_write_pdf(l, (unsigned)(size % FUZZ_PDF_WAYS), 1, d);
        quorum_layout_free(l);
    }
    quorum_pack_free(p);
    fuzz_diags_done(d);
    return 0;
}
