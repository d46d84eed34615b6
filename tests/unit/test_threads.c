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

#include "quorum.h"
#include "test_engine.h"

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_documents_at_once),
        cmocka_unit_test(test_one_document_two_threads),
        cmocka_unit_test(test_images_two_threads),
        cmocka_unit_test(test_pdf_deflate_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
