/* libFuzzer harness: the readers of a serialized display list
 * (qdlist_deserialize) and of a list's records (qdlist_deserialize_records,
 * the pages without their items), which read a pack's cache entries from
 * disk.
 * Each input is tried as it is (its checksum, key and version checked)
 * and as a payload sealed with the harness's key (a serialized entry's
 * own payload when it is one), so the fuzzer gets past the checksum to
 * the payload's reader.  A list it reads is written as a PDF in memory:
 * what it lets through must be safe to draw.  Built by CMake with
 * QUORUM_FUZZ like fuzz_pipeline; the corpus (tests/fuzz/corpus/dlist)
 * holds entries serialized from a report's layout. */
#include "fuzz.h"

#include "dlist.h"
#include "doc.h"

static const unsigned char key[32] = "fuzz_dlist: the harness's key";

static void try_bytes(const quorum_engine *e, const unsigned char *b, size_t n) {
    const char *why = NULL;
    const char *note = NULL;
    size_t note_len = 0;
    qdlist *dl = qdlist_deserialize(b, n, key, qfonts_new(e->fonts, e->font_dir),
                                    e->limits.pixels, &note, &note_len, &why);
    if (!dl) {
        FUZZ_ASSERT(why != NULL); /* a refusal says why */
        return;
    }
    FUZZ_ASSERT(note && note[note_len] == '\0');
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    unsigned char *pdf = NULL;
    size_t len = 0;
    quorum_status st = quorum_layout_write_pdf_memory(&l, NULL, &pdf, &len, d);
    FUZZ_ASSERT(st == QUORUM_OK ? pdf && len > 0 : quorum_diags_count(d) > 0);
    free(pdf);
    quorum_diags_free(d);
    qdlist_free(dl);
}

/* As a list's records: what it lets through is what a pack takes of a
 * cached report (qdlist_append_records), and is written as a PDF too. */
static void try_records(const quorum_engine *e, const unsigned char *b, size_t n) {
    const char *why = NULL, *note = NULL;
    size_t note_len = 0;
    unsigned char whole[32];
    int sources = -1;
    qdlist *dl = qdlist_deserialize_records(b, n, key, qfonts_new(e->fonts, e->font_dir),
                                            e->limits.pixels, &note, &note_len, whole,
                                            &sources, &why);
    if (!dl) {
        FUZZ_ASSERT(why != NULL);
        return;
    }
    FUZZ_ASSERT(note && note[note_len] == '\0' && (sources == 0 || sources == 1));
    for (size_t i = 0; i < dl->pages.len; i++)
        FUZZ_ASSERT(QVEC_AT(&dl->pages, qdl_page, i).items.len == 0);
    qdlist *dst = qdlist_new(qfonts_new(e->fonts, e->font_dir));
    for (size_t i = 0; i < dl->pages.len; i++) {
        const qdl_page *p = &QVEC_AT(&dl->pages, qdl_page, i);
        qdlist_add_page(dst, p->width, p->height);
    }
    qdl_splice at;
    qdl_image *images = NULL;
    quorum_diags *d = quorum_diags_new();
    qdlist_append_records(dst, dl, 0, &at, &images, sources, d);
    free(images);
    quorum_diags_free(d);
    qdlist_free(dst);
    qdlist_free(dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const quorum_engine *e = fuzz_engine();
    try_bytes(e, data, size);
    try_records(e, data, size);
    int entry = size >= QDLIST_HEAD + 32 &&
                (memcmp(data, "QDLIST", 6) == 0 || memcmp(data, "QDLREC", 6) == 0);
    const unsigned char *pl = entry ? data + QDLIST_HEAD : data;
    size_t pn = entry ? size - QDLIST_HEAD - 32 : size;
    size_t len = 0;
    unsigned char *b = qdlist_seal(pl, pn, key, &len);
    try_bytes(e, b, len);
    free(b);
    b = qdlist_seal_records(pl, pn, key, &len);
    try_records(e, b, len);
    free(b);
    return 0;
}
