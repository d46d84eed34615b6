/* libFuzzer harness: the input is the content of an image a fixed report
 * draws (<image src>, twice: at a set width and at its own size), given
 * through quorum_doc_load_memory_resolved's resolver, then check, layout
 * and the PDF in memory (plain or archive copy: fuzz.h).  The src ends in
 * .png or .jpg as the input's first bytes say, so a file named for what it
 * is reaches each decoder.  Seeds: tests/fuzz/corpus/image. */
#include "fuzz.h"

typedef struct image_in {
    const uint8_t *data;
    size_t size;
} image_in;

static int resolve_image(void *ctx, const char *name, char **data, size_t *len) {
    const image_in *in = ctx;
    if (strncmp(name, "figure.", 7) == 0)
        return fuzz_give((const char *)in->data, in->size, data, len);
    return fuzz_resolve(NULL, name, data, len);
}

static const char report_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:quorum:report:1\" xml:lang=\"en-GB\" id=\"fuzz-image\">\n"
    "  <front-sheet>\n"
    "    <heading>Report to Council</heading>\n"
    "    <field role=\"title\" label=\"Report Title\">Images</field>\n"
    "    <field role=\"meeting-date\" label=\"Date of Meeting\" date=\"2025-01-29\">"
    "Wednesday, 29 January 2025</field>\n"
    "  </front-sheet>\n"
    "  <section id=\"images\">\n"
    "    <heading>Images</heading>\n"
    "    <p>The figure at a set width, then at its own size.</p>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const unsigned char png_sig[4] = {0x89, 'P', 'N', 'G'};
    const char *ext = size >= 4 && memcmp(data, png_sig, 4) == 0 ? "png" : "jpg";
    char report[2048];
    int n = snprintf(report, sizeof report,
                     "%s    <image src=\"figure.%s\" alt=\"A figure\" width=\"40mm\"/>\n"
                     "    <image src=\"./figure.%s\" alt=\"The same figure\"/>\n"
                     "  </section>\n</report>\n",
                     report_head, ext, ext);
    FUZZ_ASSERT(n > 0 && (size_t)n < sizeof report);
    image_in in = {data, size};
    fuzz_report(report, (size_t)n, resolve_image, &in,
                (int)(size % FUZZ_PDF_WAYS));
    return 0;
}
