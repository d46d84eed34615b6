/* libFuzzer harness: the input is a Word package, imported from memory
 * (quorum_docx_import_memory, with its images kept), and the XML the
 * import writes is loaded and checked with those images.  Promises
 * checked: a failed import says why; a successful one writes XML that is
 * well-formed (the loader takes it: it may still fail the check, which
 * then says why, as `quorum import` does).  Seeds: tests/fuzz/corpus/docx,
 * made by tests/e2e/import_docs.py seeds (Word documents of two
 * producers) and hostile (refused packages). */
#include "fuzz.h"

typedef struct images {
    char *name[16];
    char *data[16];
    size_t len[16], n;
} images;

static int keep(void *ctx, const char *name, const void *data, size_t len) {
    images *im = ctx;
    if (im->n == 16) return 0; /* enough to check with */
    im->name[im->n] = strdup(name);
    im->data[im->n] = malloc(len ? len : 1);
    FUZZ_ASSERT(im->name[im->n] && im->data[im->n]);
    memcpy(im->data[im->n], data, len);
    im->len[im->n++] = len;
    return 0;
}

static int give(void *ctx, const char *name, char **data, size_t *len) {
    images *im = ctx;
    for (size_t i = 0; i < im->n; i++)
        if (strcmp(im->name[i], name) == 0) return fuzz_give(im->data[i], im->len[i], data, len);
    return ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const quorum_engine *e = fuzz_engine();
    quorum_diags *d = quorum_diags_new();
    images im = {0};
    quorum_import_options o = {NULL, keep, &im, "fuzz"};
    char *xml = NULL;
    size_t len = 0;
    quorum_status st = quorum_docx_import_memory(e, data, size, "fuzz.docx", &o, &xml,
                                                 &len, d);
    FUZZ_ASSERT(st == QUORUM_OK ? xml != NULL : fuzz_errors(d) > 0 && xml == NULL);
    if (xml) {
        quorum_doc *doc = quorum_doc_load_memory_resolved(e, xml, len, "/nonexistent/fuzz.xml",
                                                          give, &im, d);
        if (!doc) fprintf(stderr, "%s\n", xml);
        FUZZ_ASSERT(doc);
        quorum_doc_check(e, doc, NULL, d);
        quorum_doc_free(doc);
    }
    free(xml);
    for (size_t i = 0; i < im.n; i++) {
        free(im.name[i]);
        free(im.data[i]);
    }
    fuzz_diags_done(d);
    return 0;
}
