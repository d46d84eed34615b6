/* What the libFuzzer harnesses (tests/fuzz/fuzz_*.c) share: the engine,
 * a small fixed set of files that reports and meeting files may name
 * (served by a resolver, so no harness reads a file the input names), the
 * PDF written in memory with options the input picks, and checks of what
 * the library promises (quorum.h "Failure"): a call that fails says why,
 * a PDF that is written is whole.  A broken promise traps, so libFuzzer
 * and the replay driver (replay.c) see it as a crash.
 *
 * Built by tests/fuzz/run.sh with clang and libFuzzer, and by
 * tests/CMakeLists.txt with any compiler and replay.c's main, which feeds
 * the regression and corpus files to the same LLVMFuzzerTestOneInput. */
#ifndef QUORUM_FUZZ_H
#define QUORUM_FUZZ_H
#include <quorum.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) \
    do { if (!(c)) { fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, #c); \
                     __builtin_trap(); } } while (0)

/* QUORUM_FUZZ_VERBOSE set: each input's diagnostics and what became of
 * its PDF go to stderr (to see how far an input gets). */
static inline int fuzz_verbose(void) {
    static int v = -1;
    if (v < 0) v = getenv("QUORUM_FUZZ_VERBOSE") != NULL;
    return v;
}

/* Made once for the run, as an embedder would: resources beside the
 * program (the build tree's share/quorum). */
static inline const quorum_engine *fuzz_engine(void) {
    static quorum_engine *e;
    if (!e) {
        quorum_diags *d = quorum_diags_new();
        e = quorum_engine_new(NULL, d);
        if (!e) quorum_diags_print(d, stderr, 0);
        quorum_diags_free(d);
        FUZZ_ASSERT(e);
    }
    return e;
}

/* ---- the fixed files ---------------------------------------------------- */

/* A report using most of what draws (table, image, appendix with a chart,
 * a reference), for a meeting file's items (the sample meeting in input/
 * names report.xml) and for the style harness.  It passes the
 * check with its files below. */
static const char fuzz_report_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:quorum:report:1\" xml:lang=\"en-GB\" id=\"fuzz-report\">\n"
    "  <front-sheet>\n"
    "    <heading>Report to Council</heading>\n"
    "    <field role=\"title\" label=\"Report Title\">Progress on Improvement</field>\n"
    "    <field role=\"meeting-date\" label=\"Date of Meeting\" date=\"2025-01-29\">"
    "Wednesday, 29 January 2025</field>\n"
    "    <field role=\"author\" label=\"Report Author\" email=\"a.writer@example.org\">"
    "Alex Writer</field>\n"
    "    <field role=\"appendices\" label=\"Appendices (if any)\"/>\n"
    "  </front-sheet>\n"
    "  <section id=\"summary\">\n"
    "    <heading>Summary</heading>\n"
    "    <p>The chart shows the quarter; <ref to=\"app-1\"/> has the <b>detail</b>.</p>\n"
    "    <image src=\"chart.png\" alt=\"Bar chart of the quarter\" width=\"40mm\"/>\n"
    "    <table id=\"t\" caption=\"Ratings\">\n"
    "      <col width=\"2*\"/><col width=\"1*\"/>\n"
    "      <row header=\"true\"><cell>Area</cell><cell>Rating</cell></row>\n"
    "      <row><cell>Housing</cell><cell fill=\"#00B050\" alt=\"Good\">G</cell></row>\n"
    "    </table>\n"
    "  </section>\n"
    "  <appendices numbering=\"1\">\n"
    "    <appendix href=\"appendix-1.xml\" id=\"app-1\"/>\n"
    "  </appendices>\n"
    "</report>\n";

static const char fuzz_appendix_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<appendix xmlns=\"urn:quorum:report:1\" id=\"app-1\">\n"
    "  <title>Detail</title>\n"
    "  <section numbered=\"false\" paragraphs=\"plain\">\n"
    "    <heading>Detail</heading>\n"
    "    <p>Visits by time of day.</p>\n"
    "    <bar-chart caption=\"Visits (thousands)\">\n"
    "      <bar label=\"Grays\"><segment value=\"40\" fill=\"#1F4E79\" color=\"#FFFFFF\""
    " label=\"Day\"/><segment value=\"12\" fill=\"#9DC3E6\" label=\"Evening\"/></bar>\n"
    "    </bar-chart>\n"
    "  </section>\n"
    "</appendix>\n";

/* tests/fixtures/archive-image/chart.png: 48 x 24 RGB */
static const char fuzz_chart_png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
    "\x00\x30\x00\x00\x00\x18\x08\x02\x00\x00\x00\x33\x9f\xe9\x8b\x00\x00\x00"
    "\x53\x49\x44\x41\x54\x78\xda\x63\xfc\xff\xff\x3f\xc3\x60\x02\x4c\x0c\x83"
    "\x0c\x8c\x3a\x88\x10\x60\xa1\xb5\x05\x27\xe5\xe5\xf1\x2b\x30\x7f\xf8\x70"
    "\x34\xca\x46\x62\x1a\x7a\xbe\x90\x11\xbf\x02\xc9\xf8\xff\xa3\x51\x36\xea"
    "\xa0\x51\x07\x8d\x3a\x88\xf4\x72\x88\xb1\xd0\x16\xbf\xea\xff\xfd\x87\x47"
    "\xa3\x6c\xd4\x41\xa3\x0e\x1a\x75\x10\x95\x01\x00\x33\xbb\x0c\x33\x7e\x2d"
    "\xa1\xfc\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/* cjpeg -quality 50 -optimize of an 8 x 8 grey ramp */
static const char fuzz_photo_jpg[] =
    "\xff\xd8\xff\xe0\x00\x10\x4a\x46\x49\x46\x00\x01\x01\x00\x00\x01\x00\x01"
    "\x00\x00\xff\xdb\x00\x43\x00\x10\x0b\x0c\x0e\x0c\x0a\x10\x0e\x0d\x0e\x12"
    "\x11\x10\x13\x18\x28\x1a\x18\x16\x16\x18\x31\x23\x25\x1d\x28\x3a\x33\x3d"
    "\x3c\x39\x33\x38\x37\x40\x48\x5c\x4e\x40\x44\x57\x45\x37\x38\x50\x6d\x51"
    "\x57\x5f\x62\x67\x68\x67\x3e\x4d\x71\x79\x70\x64\x78\x5c\x65\x67\x63\xff"
    "\xc0\x00\x0b\x08\x00\x08\x00\x08\x01\x01\x11\x00\xff\xc4\x00\x14\x00\x01"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\xff\xc4"
    "\x00\x18\x10\x00\x02\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x03\x06\x21\x33\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x21\x49"
    "\xce\x8f\xff\xd9";

/* Which fixed file answers a name, by its form, so the seeds' own names
 * (appendix-2.xml, photo.jpg, ...) find one: "appendix*" the appendix,
 * any other ".xml" the report (a meeting's items), ".png" the chart,
 * ".jpg" or ".jpeg" the photo; NULL for anything else. */
static inline const char *fuzz_file_for(const char *name, size_t *len) {
    const char *dot = strrchr(name, '.');
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
#define FUZZ_FILE(b) (*len = sizeof(b) - 1, (b))
    if (!dot) return NULL;
    if (strcmp(dot, ".xml") == 0)
        return strncmp(base, "appendix", 8) == 0 ? FUZZ_FILE(fuzz_appendix_xml)
                                                 : FUZZ_FILE(fuzz_report_xml);
    if (strcmp(dot, ".png") == 0) return FUZZ_FILE(fuzz_chart_png);
    if (strcmp(dot, ".jpg") == 0 || strcmp(dot, ".jpeg") == 0)
        return FUZZ_FILE(fuzz_photo_jpg);
#undef FUZZ_FILE
    return NULL;
}

/* A copy for the loader, which frees it (quorum_resolve_fn). */
static inline int fuzz_give(const char *bytes, size_t len, char **data,
                            size_t *n) {
    *data = malloc(len ? len : 1);
    FUZZ_ASSERT(*data);
    if (len) memcpy(*data, bytes, len);
    *n = len;
    return 0;
}

/* quorum_resolve_fn over fuzz_file_for; ENOENT when no file answers. */
static inline int fuzz_resolve(void *ctx, const char *name, char **data,
                               size_t *len) {
    (void)ctx;
    size_t n = 0;
    const char *b = fuzz_file_for(name, &n);
    return b ? fuzz_give(b, n, data, len) : ENOENT;
}

/* ---- diagnostics ---------------------------------------------------------- */

static inline size_t fuzz_errors(const quorum_diags *d) {
    return quorum_diags_count_severity(d, QUORUM_ERROR);
}

/* Sorted and printed in both formats (to memory), as the CLI does with
 * them, and written in each of quorum_diags_write's: text with the input's
 * own lines under a caret (in colour), JSON and SARIF; then freed. */
static inline void fuzz_diags_done(quorum_diags *d) {
    quorum_diags_sort(d);
    if (fuzz_verbose()) quorum_diags_print(d, stderr, 0);
    for (int way = 0; way < 5; way++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        FUZZ_ASSERT(f);
        if (way < 2) {
            quorum_diags_print(d, f, way);
        } else {
            quorum_diags_write_options o = {(quorum_diags_format)(way - 2), way == 2, 1};
            quorum_diags_write(d, f, &o);
        }
        FUZZ_ASSERT(fclose(f) == 0);
        free(buf);
    }
    quorum_diags_free(d);
}

/* ---- the PDF in memory ------------------------------------------------------ */

/* How the PDF is written, picked by the input's length (so every seed
 * takes one way and a mutation that adds or drops a byte another):
 * plain, PDF/A-1b, PDF/A-3b (with the style's files when attach_style is
 * allowed: a style read from memory has no file to attach), untagged
 * through the sink, and a sink that stops part way. */
enum { FUZZ_PDF_WAYS = 5 };

typedef struct fuzz_sink {
    unsigned char *buf;
    size_t len, cap;
    size_t stop_after; /* refuse the write once this many bytes came; 0 = never */
} fuzz_sink;

static inline int fuzz_sink_write(void *ctx, const void *p, size_t n) {
    fuzz_sink *s = ctx;
    if (s->stop_after && s->len + n > s->stop_after) return 1;
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n) cap *= 2;
        s->buf = realloc(s->buf, cap);
        FUZZ_ASSERT(s->buf);
        s->cap = cap;
    }
    if (n) memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

/* A PDF quorum says it wrote begins with its header and ends with the
 * end-of-file marker (a truncated one would not). */
static inline void fuzz_pdf_whole(const unsigned char *b, size_t n) {
    if (fuzz_verbose()) fprintf(stderr, "fuzz: a PDF of %zu bytes\n", n);
    FUZZ_ASSERT(b && n > 16 && memcmp(b, "%PDF-1.", 7) == 0);
    size_t tail = n < 32 ? n : 32;
    int eof = 0;
    for (size_t i = n - tail; i + 5 <= n && !eof; i++)
        eof = memcmp(b + i, "%%EOF", 5) == 0;
    FUZZ_ASSERT(eof);
}

/* Writes l as a PDF in the way `way` (0 .. FUZZ_PDF_WAYS-1) says and
 * checks the result against the library's promises. */
static inline void fuzz_write_pdf(const quorum_layout *l, unsigned way,
                                  int attach_style, quorum_diags *d) {
    quorum_pdf_options o = {0};
    if (way == 1) o.archive = 1;
    if (way == 2) {
        o.archive = 3;
        o.attach_style = attach_style;
    }
    if (way == 3) o.untagged = 1;
    size_t errors = fuzz_errors(d);
    if (way <= 2) {
        unsigned char *bytes = NULL;
        size_t len = 0;
        quorum_status st = quorum_layout_write_pdf_memory(l, &o, &bytes, &len, d);
        if (st == QUORUM_OK) fuzz_pdf_whole(bytes, len);
        else FUZZ_ASSERT(!bytes && len == 0 && fuzz_errors(d) > errors);
        free(bytes);
        return;
    }
    fuzz_sink s = {NULL, 0, 0, way == 4 ? 1000 : 0};
    quorum_status st = quorum_layout_write_pdf_sink(l, fuzz_sink_write, &s, &o, d);
    if (st == QUORUM_OK) {
        FUZZ_ASSERT(way != 4 || s.len <= 1000);
        fuzz_pdf_whole(s.buf, s.len);
    } else {
        FUZZ_ASSERT(fuzz_errors(d) > errors);
    }
    free(s.buf);
}

/* ---- the HTML page ------------------------------------------------------------ */

/* The page of a checked document: whole (doctype to </html>), and no
 * markup of the input's own (every text escaped: no <script at all). */
static inline void fuzz_write_html(const quorum_engine *e, const quorum_doc *doc,
                                   quorum_diags *d) {
    char *b = NULL;
    size_t n = 0;
    quorum_status st = quorum_doc_write_html_memory(e, doc, NULL, &b, &n, d);
    FUZZ_ASSERT(st == QUORUM_OK);
    static const char head[] = "<!DOCTYPE html>\n", tail[] = "</html>\n";
    FUZZ_ASSERT(n > sizeof head + sizeof tail && strlen(b) == n);
    FUZZ_ASSERT(memcmp(b, head, sizeof head - 1) == 0);
    FUZZ_ASSERT(memcmp(b + n - (sizeof tail - 1), tail, sizeof tail - 1) == 0);
    FUZZ_ASSERT(strstr(b, "<script") == NULL);
    free(b);
}

/* ---- the report pipeline -------------------------------------------------- */

/* bytes as a report whose files come from resolve: load, check, layout,
 * and unless way < 0 the PDF written in that way.  The steps as the
 * command takes them: no layout after an error. */
static inline void fuzz_report(const char *bytes, size_t len,
                               quorum_resolve_fn resolve, void *ctx, int way) {
    const quorum_engine *e = fuzz_engine();
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(
        e, bytes, len, "/nonexistent/fuzz.xml", resolve, ctx, d);
    FUZZ_ASSERT(doc || fuzz_errors(d) > 0);
    if (doc) quorum_doc_check(e, doc, NULL, d);
    if (doc && fuzz_errors(d) == 0) {
        quorum_layout *l = quorum_doc_layout(e, doc, NULL, d);
        FUZZ_ASSERT(l || fuzz_errors(d) > 0);
        if (l && way >= 0) fuzz_write_pdf(l, (unsigned)way, 1, d);
        quorum_layout_free(l);
        fuzz_write_html(e, doc, d);
    }
    quorum_doc_free(doc);
    fuzz_diags_done(d);
}
#endif
