/* libFuzzer harness: the input is a TrueType font file, as a council's
 * house font reaches quorum through a font folder (--font-dir, a style's
 * fonts).  The reader (src/font/ttf.c) checks it as the engine does before
 * any face is measured or embedded (qttf_validate), and a font it accepts
 * is then used as layout and the PDF use it: every mapped code point, each
 * glyph's width and outline.  Seeds: the fonts in fonts/. */
#include "fuzz.h"

#include "font.h"

static void count(void *ctx, unsigned c, unsigned g) {
    (void)c;
    (void)g;
    ++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    qttf f;
    if (qttf_from_memory(&f, data, size) != QTTF_OK) return 0;
    if (qttf_validate(&f) != QTTF_OK) return 0;
    size_t mapped = 0;
    qttf_each_bmp(&f, count, &mapped);
    FUZZ_ASSERT(mapped <= 0xFFFF);
    static const uint32_t probe[] = {0x20, 0x41, 0xA3, 0x175, 0x2191, 0x20AC, 0xFFFD, 0x1F600};
    for (size_t i = 0; i < sizeof probe / sizeof *probe; i++)
        FUZZ_ASSERT(qttf_gid(&f, probe[i]) < f.nglyphs || qttf_gid(&f, probe[i]) == 0);
    for (unsigned g = 0; g < f.nglyphs; g++) {
        size_t len = 0;
        size_t at = qttf_glyph(&f, g, &len);
        FUZZ_ASSERT(len == 0 || at + len <= size);
        (void)qttf_width(&f, g);
    }
    int cap, xh;
    (void)qttf_os2_heights(&f, &cap, &xh);
    return 0;
}
