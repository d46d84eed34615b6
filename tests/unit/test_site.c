/* quorum publish lays each report out once (issue 17): its own PDF is
 * made from the layout the pack made of it (qpl_own_layout), not from a
 * second quorum_doc_layout, and is the PDF quorum_doc_layout gives.  This
 * program wraps quorum_doc_layout (-Wl,--wrap, tests/CMakeLists.txt) to
 * count the layouts a site makes besides the pack's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quorum.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

/* layouts made on any thread (the site's workers) */
static atomic_int nlayouts;
quorum_layout *__real_quorum_doc_layout(const quorum_engine *e, const quorum_doc *doc,
                                        const quorum_options *opt, quorum_diags *d);
quorum_layout *__wrap_quorum_doc_layout(const quorum_engine *e, const quorum_doc *doc,
                                        const quorum_options *opt, quorum_diags *d);
quorum_layout *__wrap_quorum_doc_layout(const quorum_engine *e, const quorum_doc *doc,
                                        const quorum_options *opt, quorum_diags *d) {
    atomic_fetch_add(&nlayouts, 1);
    return __real_quorum_doc_layout(e, doc, opt, d);
}

/* The reports' own PDFs, counted once the pack's layout (and with it,
 * for a new site, the pack's save) has returned: while holding, each
 * waits for that (at most 20 s, so that a layout waiting for them fails
 * the test instead of hanging it). */
static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;
static int holding, laid_out, pdfs, pdfs_after;
struct quorum_pack;
struct quorum_pack_options;
typedef void (*work_fn)(void *, size_t, const quorum_doc *, const void *, quorum_diags *);
quorum_layout *__real_qpack_layout_visit(const quorum_engine *e, struct quorum_pack *p,
                                         const struct quorum_pack_options *opt, work_fn work,
                                         void *ctx, quorum_diags *d);
quorum_layout *__wrap_qpack_layout_visit(const quorum_engine *e, struct quorum_pack *p,
                                         const struct quorum_pack_options *opt, work_fn work,
                                         void *ctx, quorum_diags *d);
quorum_layout *__wrap_qpack_layout_visit(const quorum_engine *e, struct quorum_pack *p,
                                         const struct quorum_pack_options *opt, work_fn work,
                                         void *ctx, quorum_diags *d) {
    quorum_layout *l = __real_qpack_layout_visit(e, p, opt, work, ctx, d);
    pthread_mutex_lock(&hold_mu);
    laid_out = 1;
    pthread_cond_broadcast(&hold_cv);
    pthread_mutex_unlock(&hold_mu);
    return l;
}
quorum_status __real_quorum_layout_write_pdf_memory(const quorum_layout *l,
                                                    const quorum_pdf_options *o,
                                                    unsigned char **out, size_t *n,
                                                    quorum_diags *d);
quorum_status __wrap_quorum_layout_write_pdf_memory(const quorum_layout *l,
                                                    const quorum_pdf_options *o,
                                                    unsigned char **out, size_t *n,
                                                    quorum_diags *d);
quorum_status __wrap_quorum_layout_write_pdf_memory(const quorum_layout *l,
                                                    const quorum_pdf_options *o,
                                                    unsigned char **out, size_t *n,
                                                    quorum_diags *d) {
    pthread_mutex_lock(&hold_mu);
    if (holding) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 20;
        while (!laid_out && pthread_cond_timedwait(&hold_cv, &hold_mu, &until) == 0) {}
        pdfs++;
        pdfs_after += laid_out;
    }
    pthread_mutex_unlock(&hold_mu);
    return __real_quorum_layout_write_pdf_memory(l, o, out, n, d);
}

/* The trims asked for (qmem_trim_after), whether they pay or not. */
static atomic_int trims;
void __real_qmem_trim_after(size_t reports);
void __wrap_qmem_trim_after(size_t reports);
void __wrap_qmem_trim_after(size_t reports) {
    atomic_fetch_add(&trims, 1);
    __real_qmem_trim_after(reports);
}

static const char *src_dir(void) {
    const char *s = getenv("QUORUM_SOURCE_DIR");
    return s ? s : ".";
}

static void copy_file(const char *from, const char *to) {
    size_t n;
    void *b = test_slurp_must(from, &n);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(b);
}

/* The site of meeting in a new folder under tmp, with style; the number
 * of quorum_doc_layout calls it made. */
static int publish(const char *meeting, const char *style, char *site) {
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, meeting, d);
    assert_non_null(p);
    quorum_options opt = {NULL, style};
    atomic_store(&nlayouts, 0);
    assert_int_equal(quorum_pack_check_publish(TE, p, &opt, 0, site, d), QUORUM_OK);
    int n = atomic_load(&nlayouts);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    quorum_pack_free(p);
    quorum_diags_free(d);
    return n;
}

/* site/pdf is, byte for byte, the PDF of report laid out alone. */
static void same_as_build(const char *site, const char *pdf, const char *report,
                          const char *style) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", site, pdf);
    size_t n;
    unsigned char *got = test_slurp_must(path, &n);
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, report, d);
    assert_non_null(doc);
    quorum_options opt = {NULL, style};
    quorum_layout *l = quorum_doc_layout(TE, doc, &opt, d);
    assert_non_null(l);
    unsigned char *want = NULL;
    size_t wn = 0;
    assert_int_equal(quorum_layout_write_pdf_memory(l, NULL, &want, &wn, d), QUORUM_OK);
    assert_int_equal(n, wn);
    assert_memory_equal(got, want, n);
    free(want);
    free(got);
    quorum_layout_free(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void rm_rf(const char *dir) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The sample meeting's site in the built-in style and in one with a
 * running header, a logo and section bands: no report laid out twice. */
static void test_site_lays_out_once(void **state) {
    (void)state;
    char meeting[4096], report[4096];
    snprintf(meeting, sizeof meeting, "%s/input/council-2025-01-29/meeting.xml", src_dir());
    snprintf(report, sizeof report, "%s/input/council-2025-01-29/report.xml", src_dir());
    const char *styles[] = {NULL, "riverside"};
    for (size_t k = 0; k < 2; k++) {
        char site[] = "/tmp/quorum-site-XXXXXX";
        assert_non_null(mkdtemp(site));
        assert_int_equal(publish(meeting, styles[k], site), 0);
        same_as_build(site, "irp-progress.pdf", report, styles[k]);
        rm_rf(site);
    }
}

/* A Welsh report in an English meeting: its layout in the pack says its
 * language where the pack's differs, so its own PDF is laid out again,
 * and is still build's. */
static void test_site_other_language(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-site-XXXXXX", from[4096], to[4200];
    assert_non_null(mkdtemp(dir));
    const char *files[] = {"perfformiad.xml", "atodiad-1.xml"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(from, sizeof from, "%s/tests/e2e/welsh/%s", src_dir(), files[k]);
        snprintf(to, sizeof to, "%s/%s", dir, files[k]);
        copy_file(from, to);
    }
    snprintf(to, sizeof to, "%s/meeting.xml", dir);
    FILE *f = fopen(to, "w");
    assert_non_null(f);
    fputs("<meeting xmlns=\"urn:quorum:report:1\" xml:lang=\"en-GB\" law=\"wales\">\n"
          "  <body>Cabinet</body>\n  <date>2025-01-29</date>\n  <time>19:00</time>\n"
          "  <venue>Council Chamber</venue>\n  <published>2025-01-21</published>\n"
          "  <clerk name=\"Democratic Services\" email=\"ds@example.gov.uk\"/>\n"
          "  <agenda>\n"
          "    <item id=\"cerdyn\" title=\"Cerdyn Sgorio\" report=\"perfformiad.xml\"/>\n"
          "  </agenda>\n</meeting>\n", f);
    assert_int_equal(fclose(f), 0);
    char site[4200], report[4200];
    snprintf(site, sizeof site, "%s/site", dir);
    snprintf(report, sizeof report, "%s/perfformiad.xml", dir);
    assert_int_equal(publish(to, NULL, site), 1);
    same_as_build(site, "cerdyn.pdf", report, NULL);
    rm_rf(dir);
}

/* A new site on two threads: each report's own PDF is made beside the
 * pack, on the site's threads, so the pack's layout and save return
 * without waiting for it (its worker handed it over once the pack's
 * pages of it were drawn); before, the pack's worker made it and the
 * save waited.  Nor does the layout give the workers' memory back
 * before the save (qpack_trim: the save has little use for it), as it
 * does on one thread.  The site is the one made on one thread. */
static void test_site_pdfs_beside_pack(void **state) {
    (void)state;
    char meeting[4096];
    snprintf(meeting, sizeof meeting, "%s/input/council-2025-01-29/meeting.xml", src_dir());
    char one[] = "/tmp/quorum-site-XXXXXX", two[] = "/tmp/quorum-site-XXXXXX";
    assert_non_null(mkdtemp(one));
    assert_non_null(mkdtemp(two));
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        quorum_engine_options o;
        quorum_engine_options_init(&o);
        char fonts[4096], styles[4096];
        snprintf(fonts, sizeof fonts, "%s/fonts", src_dir());
        snprintf(styles, sizeof styles, "%s/styles", src_dir());
        o.font_dir = fonts;
        o.style_dir = styles;
        o.jobs = jobs;
        quorum_diags *d = quorum_diags_new();
        quorum_engine *e = quorum_engine_new(&o, d);
        assert_non_null(e);
        quorum_pack *p = quorum_pack_load(e, meeting, d);
        assert_non_null(p);
        quorum_options opt = {NULL, NULL};
        pthread_mutex_lock(&hold_mu);
        holding = jobs == 2;
        laid_out = pdfs = pdfs_after = 0;
        pthread_mutex_unlock(&hold_mu);
        atomic_store(&trims, 0);
        assert_int_equal(quorum_pack_check_publish(e, p, &opt, 0, jobs == 1 ? one : two, d),
                         QUORUM_OK);
        assert_int_equal(atomic_load(&trims), jobs == 1);
        pthread_mutex_lock(&hold_mu);
        holding = 0;
        pthread_mutex_unlock(&hold_mu);
        if (jobs == 2) {
            assert_int_equal(pdfs, 1); /* the one public report's */
            assert_int_equal(pdfs_after, pdfs);
        }
        quorum_pack_free(p);
        quorum_engine_free(e);
        quorum_diags_free(d);
    }
    const char *files[] = {"index.html", "irp-progress.html", "irp-progress.pdf",
                           "agenda-pack.pdf", "agenda-pack.manifest"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char a[4200], b[4200];
        snprintf(a, sizeof a, "%s/%s", one, files[k]);
        snprintf(b, sizeof b, "%s/%s", two, files[k]);
        size_t na, nb;
        unsigned char *x = test_slurp_must(a, &na), *y = test_slurp_must(b, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
    }
    rm_rf(one);
    rm_rf(two);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_site_pdfs_beside_pack),
        cmocka_unit_test(test_site_lays_out_once),
        cmocka_unit_test(test_site_other_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
