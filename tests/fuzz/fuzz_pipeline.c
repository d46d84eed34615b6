/* libFuzzer harness: load + check + layout on arbitrary bytes, through the
 * public API only.  Built by tests/fuzz/run.sh with clang. */
#include <quorum.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Made once for the run, as an embedder would: resources beside the
 * program (the build tree's share/quorum). */
static quorum_engine *g_engine;

static int refuse_all(void *ctx, const char *name, char **data, size_t *len) {
    (void)ctx; (void)name; (void)data; (void)len;
    return -1;
}
#define TE g_engine

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    quorum_diags *d = quorum_diags_new();
    if (!g_engine) g_engine = quorum_engine_new(NULL, d);
    if (!g_engine) __builtin_trap();
    /* Appendices come through a resolver that supplies none, so the
     * harness never reads a file the input names; images are opened by
     * path (quorum.h), and the name puts them in a directory that does
     * not exist. */
    quorum_doc *doc = quorum_doc_load_memory_resolved(
        TE, (const char *)data, size, "/nonexistent/fuzz.xml", refuse_all,
        NULL, d);
    if (doc && quorum_doc_check(TE, doc, NULL, d) == 0) {
        quorum_layout *l = quorum_doc_layout(TE, doc, NULL, d);
        quorum_layout_free(l);
    }
    quorum_doc_free(doc);
    quorum_diags_sort(d);
    quorum_diags_free(d);
    return 0;
}
