/* libFuzzer harness: the reader of a report's drawn pages
 * (qpdf_report_deserialize, src/pdf/pdf_report_io.c), which a pack's
 * rebuild reads from its cache folder (OUT.cache/HASH.qpd) and places
 * instead of drawing the report.  The report is a fixed one (fuzz.h's),
 * laid out once; each input is tried as it is (checksum, key and version
 * checked) and as a payload sealed with the harness's key (a drawn
 * report's own payload when it is one), so the fuzzer gets past the
 * checksum to the reader.  What it lets through is placed by the PDF
 * writer, as a pack's write places it (the layout's drawn reports), for
 * the options it says it was drawn with: that must be safe too.
 * QUORUM_FUZZ_DRAWN_SEED=PATH writes the fixed report's drawing there
 * (how tests/fuzz/corpus/drawn was made). */
#include "fuzz.h"

#include "dlist.h"
#include "pdf.h"

static const unsigned char key[32] = "fuzz_drawn: the harness's key";

static quorum_layout *report_layout(void) {
    static quorum_layout *l;
    if (l) return l;
    const quorum_engine *e = fuzz_engine();
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(e, fuzz_report_xml,
                                                      sizeof fuzz_report_xml - 1,
                                                      "/nonexistent/fuzz.xml", fuzz_resolve,
                                                      NULL, d);
    FUZZ_ASSERT(doc);
    l = quorum_doc_layout(e, doc, NULL, d);
    FUZZ_ASSERT(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    const char *seed = getenv("QUORUM_FUZZ_DRAWN_SEED");
    if (seed) {
        qpdf_report *r = qpdf_draw_report(l->dl, 0, 1, 0, 1);
        size_t n = 0;
        unsigned char *b = qpdf_report_serialize(r, l->dl->images.data, l->dl->images.len,
                                                 key, &n);
        FILE *f = fopen(seed, "wb");
        FUZZ_ASSERT(b && f && fwrite(b, 1, n, f) == n && fclose(f) == 0);
        free(b);
        qpdf_report_free(r);
    }
    return l;
}

static void try_bytes(quorum_layout *l, const unsigned char *b, size_t n) {
    const char *why = NULL;
    qpdf_report *r = qpdf_report_deserialize(b, n, key, l->dl, &why);
    if (!r) {
        FUZZ_ASSERT(why != NULL); /* a refusal says why */
        return;
    }
    FUZZ_ASSERT(r->npages == (int)l->dl->pages.len);
    qpdf_drawn *s = calloc(1, sizeof *s);
    FUZZ_ASSERT(s);
    s->tagged = r->dr.tagged;
    s->archive = r->dr.archive;
    qpdf_drawn_add(s, r, 1); /* its elements are the layout's own */
    l->dl->drawn = s;
    l->dl->drawn_free = qpdf_drawn_free;
    quorum_pdf_options o = {0};
    o.archive = s->archive;
    o.untagged = !s->tagged;
    quorum_diags *d = quorum_diags_new();
    unsigned char *pdf = NULL;
    size_t len = 0;
    quorum_status st = quorum_layout_write_pdf_memory(l, &o, &pdf, &len, d);
    if (st == QUORUM_OK) fuzz_pdf_whole(pdf, len);
    else FUZZ_ASSERT(!pdf && quorum_diags_count(d) > 0);
    if (fuzz_verbose()) quorum_diags_print(d, stderr, 0);
    free(pdf);
    quorum_diags_free(d);
    l->dl->drawn = NULL;
    l->dl->drawn_free = NULL;
    qpdf_drawn_free(s);
}

/* The same bytes as a report's elements' object streams (HASH.qos, read
 * beside the drawn pages) or a pack's own: refused with a reason, or every
 * stream whole, and each found again by its content once sorted. */
static void try_ostms(const unsigned char *b, size_t n) {
    const char *why = NULL;
    qpdf_ostms *s = qpdf_ostms_deserialize(b, n, key, &why);
    if (!s) {
        FUZZ_ASSERT(why != NULL);
        return;
    }
    FUZZ_ASSERT(s->n > 0);
    for (size_t i = 0; i < s->n; i++)
        FUZZ_ASSERT(s->v[i].z && s->v[i].zn > 0 && s->v[i].raw > 0 && s->v[i].level >= 1 &&
                    s->v[i].level <= 12);
    qpdf_ostms_sort(s);
    for (size_t i = 0; i < s->n; i++) {
        const qpdf_ostm *o = qpdf_ostms_find(s, s->v[i].sum, s->v[i].level, s->v[i].raw);
        FUZZ_ASSERT(o && memcmp(o->sum, s->v[i].sum, 32) == 0 && o->level == s->v[i].level &&
                    o->raw == s->v[i].raw);
    }
    qpdf_ostms_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    quorum_layout *l = report_layout();
    try_bytes(l, data, size);
    try_ostms(data, size);
    {
        enum { OHEAD = 8 + 4 + 32 + 8 };
        int sealed = size >= OHEAD + 32 && memcmp(data, "QOSTMS\r\n", 8) == 0;
        size_t on = 0;
        unsigned char *ob = sealed ? qpdf_ostms_seal(data + OHEAD, size - OHEAD - 32, key, &on)
                                   : qpdf_ostms_seal(data, size, key, &on);
        try_ostms(ob, on);
        free(ob);
    }
    enum { HEAD = 8 + 4 + 32 + 8 };
    int whole = size >= HEAD + 32 && memcmp(data, "QDRAWN\r\n", 8) == 0;
    size_t len = 0;
    unsigned char *b = whole ? qpdf_report_seal(data + HEAD, size - HEAD - 32, key, &len)
                             : qpdf_report_seal(data, size, key, &len);
    try_bytes(l, b, len);
    free(b);
    return 0;
}
