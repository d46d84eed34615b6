/* The thread contract (quorum.h, "Threads"): one engine shared by four
 * threads, each loading, checking and laying out a different document
 * (two reports, two styles) at once, and two threads laying out one const
 * document at once.  Every output must be the bytes a sequential build
 * gives.  .ci/run also runs this under ThreadSanitizer (QUORUM_TSAN). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "quorum.h"
#include "dlist.h"
#include "meeting.h"
#include "pdf.h"
#include "test_engine.h"
#include "util.h"

typedef struct job {
    const quorum_engine *e;
    const char *report;      /* relative to the source dir */
    const char *style;       /* NULL: built in */
    const quorum_doc *doc;   /* given: lay this out only */
    char *out;               /* text dump, malloc'd */
    size_t len;
    size_t errors;
} job;

/* The layout's text dump as bytes. */
static char *dump(const quorum_layout *l, size_t *len) {
    FILE *f = tmpfile();
    if (!f) return NULL;
    if (quorum_layout_write_text(l, f) != QUORUM_OK) {
        fclose(f);
        return NULL;
    }
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = (size_t)n;
    }
    return b;
}

static void *run_job(void *arg) {
    job *j = arg;
    quorum_diags *d = quorum_diags_new();
    quorum_options opt = {NULL, j->style};
    quorum_doc *own = NULL;
    const quorum_doc *doc = j->doc;
    if (!doc) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", getenv("QUORUM_SOURCE_DIR"), j->report);
        own = quorum_doc_load(j->e, path, d);
        doc = own;
        if (own) j->errors = quorum_doc_check(j->e, own, &opt, d);
    }
    quorum_layout *l = doc ? quorum_doc_layout(j->e, doc, &opt, d) : NULL;
    if (l) j->out = dump(l, &j->len);
    if (!j->out) quorum_diags_print(d, stderr, 0);
    quorum_layout_free(l);
    quorum_doc_free(own);
    quorum_diags_free(d);
    return NULL;
}

static const char *const reports[4][2] = {
    {"input/council-2025-01-29/report.xml", NULL},
    {"tests/golden/basic/report.xml", NULL},
    {"input/council-2025-01-29/report.xml", "riverside"},
    {"tests/golden/basic/report.xml", "northgate"},
};

static void test_four_documents_at_once(void **state) {
    (void)state;
    /* sequential builds with one engine; the threads share a fresh one,
     * so that they also fill its font cache at once */
    quorum_engine *e = test_engine_with(NULL, NULL, NULL);
    assert_non_null(e);
    job seq[4], par[4];
    for (int i = 0; i < 4; i++) {
        seq[i] = (job){.e = e, .report = reports[i][0], .style = reports[i][1]};
        par[i] = seq[i];
    }
    quorum_engine *fresh = test_engine_with(NULL, NULL, NULL);
    for (int i = 0; i < 4; i++) par[i].e = fresh;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run_job, &par[i]), 0);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) run_job(&seq[i]);
    for (int i = 0; i < 4; i++) {
        assert_non_null(seq[i].out);
        assert_non_null(par[i].out);
        assert_int_equal(seq[i].errors, 0);
        assert_int_equal(par[i].errors, 0);
        assert_int_equal(seq[i].len, par[i].len);
        assert_memory_equal(seq[i].out, par[i].out, seq[i].len);
    }
    /* four different outputs: the styles were applied */
    for (int i = 0; i < 4; i++)
        for (int k = i + 1; k < 4; k++)
            assert_true(seq[i].len != seq[k].len ||
                        memcmp(seq[i].out, seq[k].out, seq[i].len) != 0);
    for (int i = 0; i < 4; i++) {
        free(seq[i].out);
        free(par[i].out);
    }
    quorum_engine_free(fresh);
    quorum_engine_free(e);
}

/* The document at rel (under the source dir) laid out by j[0] and j[1]
 * on two threads at once, then by j[2] alone; each job's style is the
 * caller's. */
static void layout_twice_at_once(const char *rel, job j[3], quorum_doc **doc,
                                 quorum_diags *d) {
    const quorum_engine *e = test_engine();
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", getenv("QUORUM_SOURCE_DIR"), rel);
    *doc = quorum_doc_load(e, path, d);
    assert_non_null(*doc);
    for (int i = 0; i < 3; i++) {
        j[i].e = e;
        j[i].doc = *doc;
    }
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run_job, &j[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    run_job(&j[2]);
    for (int i = 0; i < 3; i++) assert_non_null(j[i].out);
}

/* Layout only reads a const document: two threads may lay out one at
 * once (it was written through a cast once: the id index). */
static void test_one_document_two_threads(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc;
    job j[3] = {{0}, {.style = "riverside"}, {0}};
    layout_twice_at_once("tests/golden/basic/report.xml", j, &doc, d);
    assert_int_equal(j[0].len, j[2].len);
    assert_memory_equal(j[0].out, j[2].out, j[0].len);
    assert_true(j[1].len != j[0].len || memcmp(j[1].out, j[0].out, j[0].len) != 0);
    for (int i = 0; i < 3; i++) free(j[i].out);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* Decoded images are shared by reference: two threads laying out one
 * document take references to its images and to the style's logo at
 * once (an atomic count; TSan would see a plain one). */
static void test_images_two_threads(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc;
    job j[3] = {{.style = "riverside"}, {.style = "riverside"}, {.style = "riverside"}};
    layout_twice_at_once("tests/fixtures/archive-image/report.xml", j, &doc, d);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(j[i].errors, 0);
        assert_int_equal(j[i].len, j[2].len);
        assert_memory_equal(j[i].out, j[2].out, j[2].len);
        assert_non_null(strstr(j[i].out, "chart.png"));
    }
    for (int i = 0; i < 3; i++) free(j[i].out);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* What a PDF write hands its sink, and how many threads the process had
 * when the first piece came (the worker still runs then: it is joined
 * when the call ends). */
typedef struct pdf_out {
    unsigned char *p;
    size_t n;
    int tasks;
} pdf_out;

static int count_tasks(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int n = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1) break;
    if (f) fclose(f);
    return n;
}

static int to_pdf_out(void *ctx, const void *data, size_t len) {
    pdf_out *o = ctx;
    if (!o->tasks) o->tasks = count_tasks();
    o->p = realloc(o->p, o->n + len + 1);
    if (!o->p) return 1;
    memcpy(o->p + o->n, data, len);
    o->n += len;
    return 0;
}

static void write_with_threads(const quorum_layout *l, int archive, int threads,
                               pdf_out *o) {
    quorum_diags *d = quorum_diags_new();
    quorum_pdf_options opt = {archive, NULL, 0, 0, threads};
    memset(o, 0, sizeof *o);
    assert_int_equal(quorum_layout_write_pdf_sink(l, to_pdf_out, o, &opt, d), QUORUM_OK);
    assert_true(o->n > 1000);
    quorum_diags_free(d);
}

/* quorum_pdf_options.threads: the page content is deflated on a worker
 * thread with 2 (and by default), on the caller's with 1, and the bytes
 * are the same; plain output (object streams) and a PDF/A-1 copy (the
 * classic table).  TSan (.ci/run) sees the worker and the caller share
 * the queue. */
static void test_pdf_deflate_threads(void **state) {
    (void)state;
    const quorum_engine *e = test_engine();
    quorum_diags *d = quorum_diags_new();
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/report.xml",
             getenv("QUORUM_SOURCE_DIR"));
    quorum_doc *doc = quorum_doc_load(e, path, d);
    assert_non_null(doc);
    quorum_layout *l = quorum_doc_layout(e, doc, NULL, d);
    assert_non_null(l);
    for (int archive = 0; archive <= 1; archive += 1) {
        pdf_out one, two, dflt;
        write_with_threads(l, archive, 1, &one);
        write_with_threads(l, archive, 2, &two);
        write_with_threads(l, archive, 0, &dflt);
        assert_int_equal(two.tasks, one.tasks + 1);
        assert_int_equal(dflt.tasks, two.tasks);
        assert_int_equal(one.n, two.n);
        assert_memory_equal(one.p, two.p, one.n);
        assert_int_equal(one.n, dflt.n);
        assert_memory_equal(one.p, dflt.p, one.n);
        free(one.p);
        free(two.p);
        free(dflt.p);
    }
    quorum_layout_free(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* ---- an agenda pack on 1 and 3 threads (quorum_engine_options.jobs) ---- */

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    if (len) *len = (size_t)n;
    return b;
}

static void spill(const char *dir, const char *name, const char *s, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    fclose(f);
}

/* The sample meeting with its one report replaced by NREPORTS copies of
 * it (sharing the appendix files), in a new folder; bad: copies 2 and 4
 * have an error (an element the schema does not allow), copy 3 is for
 * another day (a warning at the meeting file's item). */
#define NREPORTS 4
static int nreports = NREPORTS; /* copies make_meeting makes */
static unsigned bad_only;       /* bad 2: the copies (bit i) with the error */
static void make_meeting(char *dir, int bad) {
    char src[2048];
    snprintf(src, sizeof src, "%s/input/council-2025-01-29", getenv("QUORUM_SOURCE_DIR"));
    strcpy(dir, "/tmp/quorum-pack-threads-XXXXXX");
    assert_non_null(mkdtemp(dir));
    const char *names[] = {"appendix-1.xml", "appendix-2.xml"};
    char path[4096];
    size_t n;
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", src, names[i]);
        char *b = slurp(path, &n);
        spill(dir, names[i], b, n);
        free(b);
    }
    snprintf(path, sizeof path, "%s/report.xml", src);
    char *report = slurp(path, &n);
    char *p = strstr(report, "<p>");
    assert_non_null(p);
    for (int i = 1; i <= nreports; i++) {
        char name[32];
        snprintf(name, sizeof name, "report-%d.xml", i);
        if ((bad == 1 && (i == 2 || i == 4)) || (bad == 2 && (bad_only >> i & 1))) {
            /* "<p>" -> "<p><bogus/>" */
            size_t at = (size_t)(p - report) + 3;
            char *b = malloc(n + 16);
            assert_non_null(b);
            memcpy(b, report, at);
            memcpy(b + at, "<bogus/>", 8);
            memcpy(b + at + 8, report + at, n - at);
            spill(dir, name, b, n + 8);
            free(b);
        } else if (bad == 1 && i == 3) {
            /* a warning at the item's report="…", in the meeting file */
            char *b = malloc(n + 1);
            assert_non_null(b);
            memcpy(b, report, n + 1);
            char *date = strstr(b, "date=\"2025-01-29\"");
            assert_non_null(date);
            memcpy(date, "date=\"2025-01-30\"", 17);
            spill(dir, name, b, n);
            free(b);
        } else {
            spill(dir, name, report, n);
        }
    }
    free(report);
    snprintf(path, sizeof path, "%s/meeting.xml", src);
    char *m = slurp(path, &n);
    const char *one = "report=\"report.xml\"/>";
    char *at = strstr(m, one);
    assert_non_null(at);
    char items[2048] = "";
    for (int i = 1; i <= nreports; i++) {
        size_t k = strlen(items);
        snprintf(items + k, sizeof items - k,
                 "report=\"report-%d.xml\"/>\n<item id=\"copy-%d\" title=\"Copy %d\" ", i, i,
                 i);
    }
    /* the last copy item names no report */
    strcat(items, "/>");
    FILE *f;
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(m, 1, (size_t)(at - m), f);
    fputs(items, f);
    fputs(at + strlen(one), f);
    fclose(f);
    free(m);
}

static void remove_meeting(const char *dir) {
    char path[4096];
    const char *fixed[] = {"appendix-1.xml", "appendix-2.xml", "meeting.xml", "out.pdf",
                           "out.manifest"};
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, fixed[i]);
        remove(path);
    }
    for (int i = 1; i <= nreports; i++) {
        snprintf(path, sizeof path, "%s/report-%d.xml", dir, i);
        remove(path);
    }
    rmdir(dir);
}

/* An engine of the source tree's fonts and styles on jobs threads. */
static quorum_engine *engine_with(unsigned jobs, quorum_diags *d) {
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char fonts[4096], styles[4096];
    snprintf(fonts, sizeof fonts, "%s/fonts", src);
    snprintf(styles, sizeof styles, "%s/styles", src);
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.font_dir = fonts;
    o.style_dir = styles;
    o.jobs = jobs;
    o.source_date_epoch = 1700000000;
    quorum_engine *e = quorum_engine_new(&o, d);
    assert_non_null(e);
    return e;
}

/* ---- the schema parsed on its own thread (qload_schema_get) ------------- */

typedef struct schema_job {
    const quorum_engine *e;
    char *text;      /* the diagnostics, as printed */
    size_t len;
} schema_job;

static void *load_invalid(void *arg) {
    schema_job *j = arg;
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/invalid/check-unknown-near.xml",
             getenv("QUORUM_SOURCE_DIR"));
    quorum_diags *d = quorum_diags_new();
    quorum_doc_free(quorum_doc_load(j->e, path, d));
    FILE *m = open_memstream(&j->text, &j->len);
    if (m) {
        quorum_diags_print(d, m, 0);
        fclose(m);
    }
    quorum_diags_free(d);
    return NULL;
}

/* A new engine's compiled-in schema is parsed by its first load:
 * four threads loading at once from a fresh engine, one parses and the
 * others wait for it, and all validate (the schema's error is each
 * one's); an engine freed before any load leaves nothing behind (the
 * sanitizer build's leak check). */
static void test_schema_parsed_aside(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    quorum_engine_free(engine_with(1, d));
    quorum_engine *e = engine_with(1, d);
    enum { N = 4 };
    schema_job jobs[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (schema_job){e, NULL, 0};
        assert_int_equal(pthread_create(&t[i], NULL, load_invalid, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < N; i++) {
        assert_non_null(jobs[i].text);
        assert_non_null(strstr(jobs[i].text, "<blink> is not allowed here"));
        free(jobs[i].text);
    }
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_engine_free(e);
    quorum_diags_free(d);
}

typedef struct pack_out {
    unsigned char *pdf;
    size_t len;
    char *diags;   /* as quorum_diags_write prints them */
    size_t dlen;
} pack_out;

/* draw: the reports' pages drawn on the workers that lay them out
 * (quorum_pack_options.draw, for the write's default options). */
static pack_out pack_drawn(unsigned jobs, const char *meeting, int check, int draw) {
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = engine_with(jobs, d);
    pack_out out = {0};
    quorum_pack *p = quorum_pack_load(e, meeting, d);
    assert_non_null(p);
    /* riverside: a logo on every report, shared by the spliced lists */
    quorum_pdf_options write = {0};
    quorum_pack_options po = {NULL, "riverside", NULL, 0, check, NULL, draw ? &write : NULL, NULL};
    quorum_layout *l = quorum_pack_layout(e, p, &po, d);
    /* drawn on the workers only when there are some */
    if (l && draw) assert_true((l->dl->drawn != NULL) == (jobs > 1));
    if (l && draw && jobs > 1) {
        /* each drawn report's display list went once drawn: the pack
         * keeps its records, not its items (whose memory was the pack's
         * peak), and its finished pages wait for the write */
        const qpdf_drawn *dr = l->dl->drawn;
        assert_int_equal(dr->n, NREPORTS);
        for (size_t k = 0; k < dr->n; k++) {
            const qpdf_report *r = dr->reports[k];
            assert_false(r->failed);
            for (int pg = r->page0; pg < r->page0 + r->npages; pg++)
                assert_int_equal(QVEC_AT(&l->dl->pages, qdl_page, (size_t)pg).items.len, 0);
        }
    }
    if (l) assert_int_equal(quorum_layout_write_pdf_memory(l, NULL, &out.pdf, &out.len, d),
                            QUORUM_OK);
    if (l && draw && jobs > 1) {
        /* the drawn pages are placed once, and their display lists are
         * gone: a second write is refused, not drawn with pages missing */
        unsigned char *again = NULL;
        size_t n = 0;
        quorum_diags *d2 = quorum_diags_new();
        assert_int_equal(quorum_layout_write_pdf_memory(l, NULL, &again, &n, d2),
                         QUORUM_USAGE);
        assert_null(again);
        quorum_diags_free(d2);
    }
    FILE *f = open_memstream(&out.diags, &out.dlen);
    assert_non_null(f);
    quorum_diags_write(d, f, NULL);
    fclose(f);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
    quorum_engine_free(e);
    return out;
}

static pack_out pack_with(unsigned jobs, const char *meeting, int check) {
    return pack_drawn(jobs, meeting, check, 0);
}

/* d's diagnostics as quorum_diags_write prints them (malloc'd). */
static char *diags_text(const quorum_diags *d) {
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    quorum_diags_write(d, f, NULL);
    fclose(f);
    return text;
}

/* quorum_pack_check's diagnostics on jobs threads (a static buffer;
 * jobs 0: the test engine's). */
static const char *checked_on(unsigned jobs, const char *meeting) {
    static char *text;
    free(text);
    quorum_diags *d = quorum_diags_new();
    quorum_engine *own = jobs ? engine_with(jobs, d) : NULL;
    const quorum_engine *e = own ? own : test_engine();
    quorum_pack *p = quorum_pack_load(e, meeting, d);
    assert_non_null(p);
    quorum_options opt = {NULL, "riverside"};
    quorum_pack_check(e, p, &opt, d);
    text = diags_text(d);
    quorum_pack_free(p);
    quorum_diags_free(d);
    quorum_engine_free(own);
    return text;
}

static const char *checked(const char *meeting) { return checked_on(0, meeting); }

/* The pack, its PDF and its diagnostics are the same bytes whatever the
 * number of threads its reports are read, checked and laid out on. */
static void pack_same_on_threads(int bad, int check) {
    char dir[64], meeting[128];
    make_meeting(dir, bad);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    pack_out one = pack_with(1, meeting, check);
    if (bad) {
        assert_null(one.pdf);
        assert_non_null(strstr(one.diags, "report-2.xml:"));
        assert_non_null(strstr(one.diags, "report-4.xml:"));
        assert_non_null(strstr(one.diags, "meeting.xml:"));
        /* what the check alone says, on the caller's thread */
        assert_string_equal(one.diags, checked(meeting));
    } else {
        assert_non_null(one.pdf);
        assert_true(one.len > 100000);
    }
    /* kept small: .ci/run runs this under ThreadSanitizer */
    const unsigned counts[] = {3};
    for (int k = 0; k < 1; k++) {
        pack_out many = pack_with(counts[k], meeting, check);
        assert_int_equal(many.len, one.len);
        if (one.len) assert_memory_equal(many.pdf, one.pdf, one.len);
        assert_string_equal(many.diags, one.diags);
        free(many.pdf);
        free(many.diags);
    }
    free(one.pdf);
    free(one.diags);
    remove_meeting(dir);
}

/* quorum_pack_check reads and checks the reports on the pool: the same
 * diagnostics, in the same order, on one thread and on three. */
static void test_check_threads(void **state) {
    (void)state;
    char dir[64], meeting[128];
    make_meeting(dir, 1);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    char *one = strdup(checked_on(1, meeting));
    assert_non_null(strstr(one, "report-2.xml:"));
    assert_non_null(strstr(one, "report-4.xml:"));
    assert_string_equal(checked_on(3, meeting), one);
    free(one);
    remove_meeting(dir);
}

static void test_pack_threads(void **state) {
    (void)state;
    pack_same_on_threads(0, 1);
}

static void test_pack_threads_unchecked(void **state) {
    (void)state;
    pack_same_on_threads(0, 0);
}

static void test_pack_threads_errors(void **state) {
    (void)state;
    pack_same_on_threads(1, 1);
}

/* Issue 18, "Streaming a pack": each report's pages drawn and deflated on
 * the worker that laid it out, the writer placing them, give the bytes
 * (and diagnostics) of the pack drawn by the writer on one thread. */
static void test_pack_drawn_on_workers(void **state) {
    (void)state;
    char dir[64], meeting[128];
    make_meeting(dir, 0);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    pack_out one = pack_drawn(1, meeting, 1, 1);
    assert_non_null(one.pdf);
    assert_true(one.len > 100000);
    for (unsigned jobs = 2; jobs <= 3; jobs++) {
        pack_out many = pack_drawn(jobs, meeting, 1, 1);
        assert_int_equal(many.len, one.len);
        assert_memory_equal(many.pdf, one.pdf, one.len);
        assert_string_equal(many.diags, one.diags);
        free(many.pdf);
        free(many.diags);
    }
    free(one.pdf);
    free(one.diags);
    remove_meeting(dir);
}

/* Reports that fail in the middle of a pack drawn on its workers (2 and
 * 4 of 4, checked with the layout or not): every worker waiting for its
 * start page is let go (the test would hang otherwise), and the pack (or
 * none, checked) and its diagnostics are those of the pack drawn by the
 * writer, on one thread. */
static pack_out pack_streamed(unsigned jobs, const char *dir, int check, size_t *nfiles);
static void test_pack_drawn_fails(void **state) {
    (void)state;
    char dir[64], meeting[128];
    make_meeting(dir, 1);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    for (int check = 0; check <= 1; check++) {
        pack_out plain = pack_with(1, meeting, check);
        /* checked, the errors stop the pack; unchecked, it is made */
        assert_true((plain.pdf == NULL) == check);
        assert_non_null(strstr(plain.diags, "report-2.xml:"));
        for (unsigned jobs = 1; jobs <= 3; jobs++) {
            pack_out many = pack_drawn(jobs, meeting, check, 1);
            assert_int_equal(many.len, plain.len);
            if (plain.len) assert_memory_equal(many.pdf, plain.pdf, plain.len);
            assert_string_equal(many.diags, plain.diags);
            free(many.pdf);
            free(many.diags);
            /* written beside the layout too (reports carry their element
             * records to the writer; a failed one's go back to the pack) */
            size_t nfiles;
            many = pack_streamed(jobs, dir, check, &nfiles);
            assert_int_equal(many.len, plain.len);
            if (plain.len) assert_memory_equal(many.pdf, plain.pdf, plain.len);
            free(many.pdf);
            free(many.diags);
        }
        free(plain.pdf);
        free(plain.diags);
    }
    remove_meeting(dir);
}

/* The pack as `quorum pack` makes it: drawn on the workers and written
 * beside the layout (draw_to), the file committed by quorum_pack_write;
 * the entries of dir then (its temporary files gone) in *nfiles. */
static pack_out pack_streamed(unsigned jobs, const char *dir, int check, size_t *nfiles) {
    char meeting[128], out_pdf[128];
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    snprintf(out_pdf, sizeof out_pdf, "%s/out.pdf", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = engine_with(jobs, d);
    pack_out out = {0};
    quorum_pack *p = quorum_pack_load(e, meeting, d);
    assert_non_null(p);
    quorum_pdf_options write = {0};
    quorum_pack_options po = {NULL, "riverside", NULL, 0, check, NULL, &write, out_pdf};
    quorum_layout *l = quorum_pack_layout(e, p, &po, d);
    if (l) {
        assert_int_equal(quorum_pack_write(p, l, out_pdf, &write, d), QUORUM_OK);
        out.pdf = (unsigned char *)slurp(out_pdf, &out.len);
    }
    out.diags = diags_text(d);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
    quorum_engine_free(e);
    *nfiles = 0;
    DIR *dd = opendir(dir);
    assert_non_null(dd);
    for (struct dirent *de; (de = readdir(dd));)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) (*nfiles)++;
    closedir(dd);
    remove(out_pdf);
    snprintf(out_pdf, sizeof out_pdf, "%s/out.manifest", dir);
    remove(out_pdf);
    return out;
}

/* Issue 18, step 3: the writer beside the layout gives the bytes and
 * diagnostics of the pack written whole on one thread, with at most
 * QPACK_READ_AHEAD + jobs - 1 reports alive at once (read, laid out or
 * drawn, not yet placed) in a pack of ten: without the writer beside the
 * layout every report waits for the write (ten alive).  Reports that
 * fail right after the bound (copies 6 and 9), checked or not, release
 * every waiting worker (no hang) and leave no temporary file. */
static void streamed_case(unsigned bad, int check) {
    char dir[64], meeting[128];
    nreports = 10;
    bad_only = bad;
    make_meeting(dir, bad ? 2 : 0);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    pack_out whole = pack_with(1, meeting, check);
    assert_true((whole.pdf == NULL) == (bad && check));
    for (unsigned jobs = 1; jobs <= 3; jobs++) {
        size_t nfiles = 0;
        pack_out s = pack_streamed(jobs, dir, check, &nfiles);
        assert_int_equal(s.len, whole.len);
        if (whole.len) assert_memory_equal(s.pdf, whole.pdf, whole.len);
        assert_string_equal(s.diags, whole.diags);
        /* the appendices, the meeting, the reports, and the pair or none */
        assert_int_equal(nfiles, 3 + 10 + (whole.pdf ? 2 : 0));
        if (jobs > 1 && !bad) {
            assert_true(qpack_alive_peak() >= 1);
            assert_true(qpack_alive_peak() <= QPACK_READ_AHEAD + jobs - 1);
        }
        free(s.pdf);
        free(s.diags);
    }
    free(whole.pdf);
    free(whole.diags);
    remove_meeting(dir);
    nreports = NREPORTS;
    bad_only = 0;
}

static void test_pack_streamed(void **state) {
    (void)state;
    streamed_case(0, 1);
}

static void test_pack_streamed_fails(void **state) {
    (void)state;
    for (int check = 0; check <= 1; check++) streamed_case(1u << 6 | 1u << 9, check);
}

/* qpool_release: an item counted as used lets a worker take the next
 * one beyond the window before the caller waits for anything (a pack's
 * next report laid out while the last is drawn).  Item 1 of a window of
 * one starts only once item 0 is released; the caller waits for it to
 * start before it waits for item 0 (without the release, for ever: the
 * wait gives up after a few seconds and the test fails). */
typedef struct ahead_ctx {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started[2];
} ahead_ctx;

static void ahead_job(void *ctx, size_t i) {
    ahead_ctx *a = ctx;
    pthread_mutex_lock(&a->mu);
    a->started[i] = 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

static void test_pool_release(void **state) {
    (void)state;
    ahead_ctx a = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {0, 0}};
    qpool *p = qpool_start(2, 2, 1, ahead_job, &a);
    assert_int_equal(qpool_workers(p), 2);
    qpool_release(p, 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&a.mu);
    int rc = 0;
    while (!a.started[1] && rc == 0) rc = pthread_cond_timedwait(&a.cv, &a.mu, &until);
    int started = a.started[1];
    pthread_mutex_unlock(&a.mu);
    assert_true(started);
    qpool_wait(p, 0);
    qpool_wait(p, 1);
    assert_true(a.started[0]);
    qpool_finish(p);
}

/* qqueue: every item put is done once, on the queue's threads, taken in
 * the order put (one thread: done in that order too), all of them by the
 * time qqueue_finish returns, however small the room for waiting items;
 * and the producer never runs more than cap items ahead of what the
 * threads took (checked at every put, with the items it has seen begin). */
typedef struct queue_ctx {
    pthread_mutex_t mu;
    size_t done[64], ndone, begun;
    unsigned seen_twice;
    pthread_t self;
    int on_caller;
} queue_ctx;

static void queue_job(void *ctx, size_t i) {
    queue_ctx *q = ctx;
    pthread_mutex_lock(&q->mu);
    q->begun++;
    if (pthread_equal(pthread_self(), q->self)) q->on_caller = 1;
    for (size_t k = 0; k < q->ndone; k++)
        if (q->done[k] == i) q->seen_twice++;
    if (q->ndone < 64) q->done[q->ndone++] = i;
    pthread_mutex_unlock(&q->mu);
}

static void queue_case(unsigned threads, size_t cap, size_t n) {
    queue_ctx q = {.mu = PTHREAD_MUTEX_INITIALIZER, .self = pthread_self()};
    qqueue *qq = qqueue_start(threads, cap, queue_job, &q);
    assert_non_null(qq);
    for (size_t i = 0; i < n; i++) {
        qqueue_put(qq, 10 + i);
        pthread_mutex_lock(&q.mu);
        size_t begun = q.begun;
        pthread_mutex_unlock(&q.mu);
        /* put i + 1 items; at most cap wait, and one a thread has taken
         * but not begun */
        assert_true(i + 1 <= begun + cap + threads);
    }
    qqueue_finish(qq);
    assert_int_equal(q.ndone, n);
    assert_int_equal(q.seen_twice, 0);
    assert_false(q.on_caller);
    size_t sum = 0;
    for (size_t k = 0; k < q.ndone; k++) sum += q.done[k];
    assert_int_equal(sum, n * 10 + n * (n - 1) / 2);
    if (threads == 1)
        for (size_t k = 0; k < q.ndone; k++) assert_int_equal(q.done[k], 10 + k);
}

static void test_queue(void **state) {
    (void)state;
    queue_case(1, 1, 40);
    queue_case(1, 4, 40);
    queue_case(2, 1, 40);
    queue_case(3, 4, 64);
    qqueue_finish(NULL);
}

/* ---- quorum_pack_publish on 1 and 3 threads ---------------------------- */

/* The site of the meeting in dir, published on jobs threads into site
 * (made), three times: the later runs find every file fresh and make each
 * page on the pool again to compare it.  Returns its diagnostics. */
static char *publish_with(unsigned jobs, const char *meeting, const char *site) {
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = engine_with(jobs, d);
    quorum_options opt = {NULL, "riverside"};
    for (int run = 0; run < 3; run++) {
        quorum_pack *p = quorum_pack_load(e, meeting, d);
        assert_non_null(p);
        /* checked with the site: new (checked as laid out, each report's
         * files written on the pool beside the pack's), then there (its
         * pages made on the check's pool); then as a checked pack */
        if (run < 2) {
            assert_int_equal(quorum_pack_check_publish(e, p, &opt, 1, site, d), QUORUM_OK);
        } else {
            assert_int_equal(quorum_pack_check(e, p, &opt, d), 0);
            assert_int_equal(quorum_pack_publish(e, p, &opt, site, d), QUORUM_OK);
        }
        quorum_pack_free(p);
    }
    char *text = diags_text(d);
    quorum_diags_free(d);
    quorum_engine_free(e);
    return text;
}

/* The files of site a are in b with the same bytes: how many. */
static size_t same_files(const char *a, const char *b) {
    const char *names[] = {"index.html", "agenda-pack.pdf", "agenda-pack.manifest",
                           "irp-progress.html", "irp-progress.pdf", "copy-3.html", "copy-3.pdf"};
    size_t n = sizeof names / sizeof *names;
    for (size_t k = 0; k < n; k++) {
        char pa[4096], pb[4096];
        size_t la, lb;
        snprintf(pa, sizeof pa, "%s/%s", a, names[k]);
        snprintf(pb, sizeof pb, "%s/%s", b, names[k]);
        char *x = slurp(pa, &la), *y = slurp(pb, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
    return n;
}

static void remove_site(const char *site) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", site);
    assert_int_equal(system(cmd), 0);
}

static void test_publish_threads(void **state) {
    (void)state;
    char dir[64], meeting[128], one[160], many[160];
    make_meeting(dir, 0);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    snprintf(one, sizeof one, "%s-site1", dir);
    snprintf(many, sizeof many, "%s-site3", dir);
    char *d1 = publish_with(1, meeting, one);
    char *d3 = publish_with(3, meeting, many);
    assert_string_equal(d3, d1);
    assert_int_equal(same_files(one, many), 7);
    free(d1);
    free(d3);
    remove_site(one);
    remove_site(many);
    remove_meeting(dir);
}

/* A new site (its folder not there) of the meeting on jobs threads,
 * checked as it is laid out; its status, and its diagnostics in *diags. */
static quorum_status publish_new(unsigned jobs, const char *meeting, const char *site,
                                 char **diags) {
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = engine_with(jobs, d);
    quorum_options opt = {NULL, "riverside"};
    quorum_pack *p = quorum_pack_load(e, meeting, d);
    assert_non_null(p);
    quorum_status st = quorum_pack_check_publish(e, p, &opt, 0, site, d);
    quorum_pack_free(p);
    *diags = diags_text(d);
    quorum_diags_free(d);
    quorum_engine_free(e);
    return st;
}

/* Every file of site a is in b with the same bytes, and b has no other:
 * how many. */
static size_t same_site(const char *a, const char *b) {
    size_t n = 0, nb = 0;
    DIR *da = opendir(a), *db = opendir(b);
    assert_non_null(da);
    assert_non_null(db);
    for (struct dirent *de; (de = readdir(da));) {
        if (de->d_name[0] == '.') continue;
        char pa[4096], pb[4096];
        size_t la, lb;
        snprintf(pa, sizeof pa, "%s/%s", a, de->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, de->d_name);
        char *x = slurp(pa, &la), *y = slurp(pb, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
        n++;
    }
    for (struct dirent *de; (de = readdir(db));) nb += de->d_name[0] != '.';
    closedir(da);
    closedir(db);
    assert_int_equal(nb, n);
    return n;
}

/* Issue 17: a new site's pack is drawn on the workers and written beside
 * its layout, as `quorum pack` writes it, each report's PDF made on its
 * worker once the pack's pages of it are drawn.  The site is the same,
 * byte for byte, on 1, 2 and 3 threads and when published again over
 * itself; at most QPACK_READ_AHEAD + jobs - 1 reports are alive at once
 * (a pack drawn on the workers and written after its layout, as publish
 * wrote it, holds every report: 4 of 4 here first).  Reports that fail
 * mid-site (copies 6 and 9) leave no folder, and nothing in a folder
 * that was there. */
static void test_publish_streamed(void **state) {
    (void)state;
    char dir[64], meeting[128], ref[160], site[160];
    make_meeting(dir, 0);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    pack_out held = pack_drawn(2, meeting, 1, 1);
    assert_int_equal(qpack_alive_peak(), NREPORTS);
    free(held.pdf);
    free(held.diags);
    remove_meeting(dir);
    nreports = 10;
    make_meeting(dir, 0);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    snprintf(ref, sizeof ref, "%s-ref", dir);
    snprintf(site, sizeof site, "%s-site", dir);
    char *d1 = NULL;
    assert_int_equal(publish_new(1, meeting, ref, &d1), QUORUM_OK);
    for (unsigned jobs = 2; jobs <= 3; jobs++) {
        char *dj = NULL;
        assert_int_equal(publish_new(jobs, meeting, site, &dj), QUORUM_OK);
        assert_true(qpack_alive_peak() >= 1);
        assert_true(qpack_alive_peak() <= QPACK_READ_AHEAD + jobs - 1);
        assert_string_equal(dj, d1);
        /* index, pack and manifest, and ten reports' page and PDF */
        assert_int_equal(same_site(ref, site), 3 + 2 * 10);
        free(dj);
        /* again over itself: found there, nothing changes */
        assert_int_equal(publish_new(jobs, meeting, site, &dj), QUORUM_OK);
        assert_int_equal(same_site(ref, site), 3 + 2 * 10);
        free(dj);
        remove_site(site);
    }
    free(d1);
    remove_site(ref);
    remove_meeting(dir);
    bad_only = 1u << 6 | 1u << 9;
    make_meeting(dir, 2);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    snprintf(site, sizeof site, "%s-site", dir);
    for (int there = 0; there <= 1; there++) {
        if (there) assert_int_equal(mkdir(site, 0777), 0);
        char *dj = NULL;
        assert_int_equal(publish_new(2, meeting, site, &dj), QUORUM_INVALID_INPUT);
        assert_non_null(strstr(dj, "report-6.xml:"));
        DIR *dd = opendir(site);
        assert_true((dd != NULL) == there);
        for (struct dirent *de; dd && (de = readdir(dd));)
            assert_true(de->d_name[0] == '.');
        if (dd) closedir(dd);
        free(dj);
    }
    remove_site(site);
    remove_meeting(dir);
    nreports = NREPORTS;
    bad_only = 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_documents_at_once),
        cmocka_unit_test(test_one_document_two_threads),
        cmocka_unit_test(test_images_two_threads),
        cmocka_unit_test(test_schema_parsed_aside),
        cmocka_unit_test(test_pdf_deflate_threads),
        cmocka_unit_test(test_check_threads),
        cmocka_unit_test(test_pack_threads),
        cmocka_unit_test(test_pack_threads_unchecked),
        cmocka_unit_test(test_pack_threads_errors),
        cmocka_unit_test(test_pack_drawn_on_workers),
        cmocka_unit_test(test_pack_drawn_fails),
        cmocka_unit_test(test_pack_streamed),
        cmocka_unit_test(test_pack_streamed_fails),
        cmocka_unit_test(test_pool_release),
        cmocka_unit_test(test_queue),
        cmocka_unit_test(test_publish_threads),
        cmocka_unit_test(test_publish_streamed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
