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

#include <stdatomic.h>
#include <stdio.h>
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_site_lays_out_once),
        cmocka_unit_test(test_site_other_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
