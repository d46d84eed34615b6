/* libFuzzer harness: load + check + layout on arbitrary bytes, through the
 * public API only.  Built by tests/fuzz/run.sh with clang. */
#include <quorum.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    quorum_diags *d = quorum_diags_new();
    /* The name places appendix look-ups in a directory that holds none, so
     * the harness never reads files the input names. */
    quorum_doc *doc = quorum_doc_load_memory((const char *)data, size,
                                             "/nonexistent/fuzz.xml", d);
    if (doc && quorum_doc_check(doc, d) == 0) {
        quorum_layout *l = quorum_doc_layout(doc, NULL, d);
        quorum_layout_free(l);
    }
    quorum_doc_free(doc);
    quorum_diags_sort(d);
    quorum_diags_free(d);
    return 0;
}
