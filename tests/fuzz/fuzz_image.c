/* libFuzzer harness: the input is the content of an image a fixed report
 * draws (<image src>, twice: at a set width and at its own size), given
 * through quorum_doc_load_memory_resolved's resolver, then check, layout
 * and the PDF in memory (plain or archive copy: fuzz.h).  The src ends in
 * .png or .jpg as the input's first bytes say, so a file named for what it
 * is reaches each decoder.  A PNG goes through twice: as given, and with
 * every chunk's CRC made right, since a mutation almost always breaks one
 * and the check would refuse the file before any decoder saw it.
 * Seeds: tests/fuzz/corpus/image (make_image_corpus.py). */
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

static uint32_t crc32_of(const uint8_t *p, size_t n) {
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* Sets the CRC of every whole chunk after the 8-byte signature; 1 when
 * one changed. */
static int fix_png_crcs(uint8_t *b, size_t n) {
    int changed = 0;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = (uint32_t)b[at] << 24 | (uint32_t)b[at + 1] << 16 |
                       (uint32_t)b[at + 2] << 8 | b[at + 3];
        if (len > n - at - 12) break;
        uint32_t c = crc32_of(b + at + 4, 4 + (size_t)len);
        uint8_t *crc = b + at + 8 + len;
        uint8_t want[4] = {(uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8),
                           (uint8_t)c};
        if (memcmp(crc, want, 4) != 0) {
            memcpy(crc, want, 4);
            changed = 1;
        }
        at += 12 + (size_t)len;
    }
    return changed;
}

static void draw(const uint8_t *data, size_t size, const char *ext);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const unsigned char png_sig[4] = {0x89, 'P', 'N', 'G'};
    int png = size >= 4 && memcmp(data, png_sig, 4) == 0;
    draw(data, size, png ? "png" : "jpg");
    if (png) {
        uint8_t *fixed = malloc(size);
        FUZZ_ASSERT(fixed);
        memcpy(fixed, data, size);
        if (fix_png_crcs(fixed, size)) draw(fixed, size, "png");
        free(fixed);
    }
    return 0;
}

/* The fixed report drawing data as figure.EXT. */
static void draw(const uint8_t *data, size_t size, const char *ext) {
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
}
