/* pack --since with a version 3 manifest (pack_since.c), and a full pack
 * with its cache of layouts (pack_cache.c): the reports whose listed files
 * hash as they did are not parsed at all.  Every report read
 * by the pack goes through qload_doc, which this program wraps
 * (-Wl,--wrap=qload_doc, tests/CMakeLists.txt) to count reads per file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "meeting.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

static char reads[16][64];
static size_t nreads;

quorum_doc *__real_qload_doc(const quorum_engine *e, const char *path, quorum_diags *d,
                             unsigned flags);
quorum_doc *__wrap_qload_doc(const quorum_engine *e, const char *path, quorum_diags *d,
                             unsigned flags);
quorum_doc *__wrap_qload_doc(const quorum_engine *e, const char *path, quorum_diags *d,
                             unsigned flags) {
    const char *base = strrchr(path, '/');
    if (nreads < 16) snprintf(reads[nreads++], sizeof reads[0], "%s", base ? base + 1 : path);
    return __real_qload_doc(e, path, d, flags);
}

static size_t read_count(const char *name) {
    size_t n = 0;
    for (size_t i = 0; i < nreads; i++) n += strcmp(reads[i], name) == 0;
    return n;
}

static void put(const char *dir, const char *name, const char *bytes, size_t len) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* s with the first `from` replaced by `to` (malloc'd) */
static char *replaced(const char *s, const char *from, const char *to) {
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *r = malloc(n + 1);
    assert_non_null(r);
    snprintf(r, n + 1, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return r;
}

/* The sample meeting with three reports (items 1, 5 and 9) in dir. */
static void three_reports(const char *dir) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    const char *names[] = {"meeting.xml", "report.xml", "appendix-1.xml", "appendix-2.xml"};
    char *report = NULL;
    for (size_t i = 0; i < 4; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/input/council-2025-01-29/%s", root ? root : ".",
                 names[i]);
        size_t len = 0;
        char *b = test_slurp_must(path, &len);
        if (i == 0) {
            char *m1 = replaced(b, "title=\"Apologies for Absence\"/>",
                                "title=\"Apologies for Absence\" report=\"report-c.xml\"/>");
            char *m2 = replaced(m1, "title=\"Announcements on behalf of the Mayor\"/>",
                                "title=\"Announcements on behalf of the Mayor\" "
                                "report=\"report-b.xml\"/>");
            put(dir, names[i], m2, strlen(m2));
            free(m1);
            free(m2);
        } else {
            put(dir, names[i], b, len);
        }
        if (i == 1) report = b;
        else free(b);
    }
    put(dir, "report-b.xml", report, strlen(report));
    put(dir, "report-c.xml", report, strlen(report));
    free(report);
}

/* A late correction to dir/report-b.xml (a word added to one sentence). */
static void correct_report_b(const char *dir) {
    char path[4200];
    snprintf(path, sizeof path, "%s/report-b.xml", dir);
    size_t len = 0;
    char *b = test_slurp_must(path, &len);
    char *edited = replaced(b, "This report provides Members", "This corrected report provides Members");
    put(dir, "report-b.xml", edited, strlen(edited));
    free(b);
    free(edited);
}

static quorum_layout *pack(const char *dir, const char *since, quorum_pack **p,
                           quorum_diags *d) {
    char path[4200];
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    *p = quorum_pack_load(TE, path, d);
    assert_non_null(*p);
    quorum_pack_options po = {0};
    po.check = 1;
    po.since_manifest = since;
    return quorum_pack_layout(TE, *p, &po, d);
}

static void test_since_reads_changed(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-test-since-XXXXXX";
    assert_non_null(mkdtemp(dir));
    three_reports(dir);
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = NULL;
    quorum_layout *l = pack(dir, NULL, &p, d);
    assert_non_null(l);
    char pdf[4200], man[4200];
    snprintf(pdf, sizeof pdf, "%s/pub.pdf", dir);
    snprintf(man, sizeof man, "%s/pub.manifest", dir);
    assert_int_equal(quorum_pack_write(p, l, pdf, NULL, d), QUORUM_OK);
    quorum_layout_free(l);
    quorum_pack_free(p);
    /* all three were read for the published pack */
    assert_int_equal(read_count("report-b.xml"), 1);
    assert_int_equal(read_count("report-c.xml"), 1);

    /* nothing changed: no report is read, and there is no supplement */
    nreads = 0;
    assert_null(pack(dir, man, &p, d));
    assert_int_equal(nreads, 0);
    quorum_pack_free(p);

    /* report-b changed: it alone is read, once (its check's tree is the
     * one laid out) */
    correct_report_b(dir);
    nreads = 0;
    quorum_diags *d2 = quorum_diags_new();
    l = pack(dir, man, &p, d2);
    assert_non_null(l);
    assert_int_equal(quorum_diags_count_severity(d2, QUORUM_ERROR), 0);
    assert_int_equal(read_count("report-b.xml"), 1);
    assert_int_equal(read_count("report.xml"), 0);
    assert_int_equal(read_count("report-c.xml"), 0);
    assert_int_equal(nreads, read_count("report-b.xml"));
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d2);
    quorum_diags_free(d);
    const char *files[] = {"meeting.xml", "report.xml", "appendix-1.xml", "appendix-2.xml",
                           "report-b.xml", "report-c.xml", "pub.pdf", "pub.manifest"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Packs dir's meeting into dir/NAME.pdf, with the cache dir/pub.cache or
 * none, and returns the PDF's bytes (malloc'd, length in *len). */
static char *pack_file(const char *dir, const char *name, int cache, size_t *len) {
    char path[4200], cdir[4200], out[4200];
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    snprintf(cdir, sizeof cdir, "%s/pub.cache", dir);
    snprintf(out, sizeof out, "%s/%s.pdf", dir, name);
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, path, d);
    assert_non_null(p);
    quorum_pack_options po = {0};
    po.check = 1;
    po.cache_dir = cache ? cdir : NULL;
    quorum_layout *l = quorum_pack_layout(TE, p, &po, d);
    assert_non_null(l);
    assert_int_equal(quorum_pack_write(p, l, out, NULL, d), QUORUM_OK);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
    return test_slurp_must(out, len);
}

static void same_bytes(const char *a, size_t na, const char *b, size_t nb) {
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
}

/* Issue 18: a rebuild from the cache reads only the report that changed
 * and equals the clean build byte for byte (on the pool's threads). */
static void test_cache_reads_changed(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-test-cache-XXXXXX";
    assert_non_null(mkdtemp(dir));
    three_reports(dir);
    size_t n0, n1, n2, n3;
    nreads = 0;
    char *cold = pack_file(dir, "cold", 1, &n0);
    assert_int_equal(read_count("report-b.xml"), 1);
    nreads = 0;
    char *warm = pack_file(dir, "warm", 1, &n1);
    assert_int_equal(nreads, 0); /* all three from the cache */
    same_bytes(cold, n0, warm, n1);

    correct_report_b(dir);
    nreads = 0;
    char *changed = pack_file(dir, "changed", 1, &n2);
    assert_int_equal(read_count("report-b.xml"), 1);
    assert_int_equal(nreads, 1);
    char *clean = pack_file(dir, "clean", 0, &n3);
    same_bytes(changed, n2, clean, n3);
    assert_true(n2 != n0 || memcmp(changed, cold, n0) != 0);
    free(cold);
    free(warm);
    free(changed);
    free(clean);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* dir/NAME with its first `from` replaced by `to` */
static void edit(const char *dir, const char *name, const char *from, const char *to) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len = 0;
    char *b = test_slurp_must(path, &len);
    char *e = replaced(b, from, to);
    put(dir, name, e, strlen(e));
    free(b);
    free(e);
}

/* pack_file, but returning what the pack said, sorted, as text with its
 * source lines (malloc'd) */
static char *pack_said(const char *dir, int cache) {
    char path[4200], cdir[4200], out[4200];
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    snprintf(cdir, sizeof cdir, "%s/pub.cache", dir);
    snprintf(out, sizeof out, "%s/said.pdf", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, path, d);
    assert_non_null(p);
    quorum_pack_options po = {0};
    po.check = 1;
    po.cache_dir = cache ? cdir : NULL;
    quorum_layout *l = quorum_pack_layout(TE, p, &po, d);
    assert_non_null(l);
    assert_int_equal(quorum_pack_write(p, l, out, NULL, d), QUORUM_OK);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_sort(d);
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    assert_non_null(f);
    quorum_diags_write_options o = {QUORUM_DIAGS_TEXT, 0, 1};
    quorum_diags_write(d, f, &o);
    assert_int_equal(fclose(f), 0);
    quorum_diags_free(d);
    return text;
}

/* each rebuild from the cache says what the clean build says */
static void said_as_clean(const char *dir, const char *why) {
    char *cached = pack_said(dir, 1), *clean = pack_said(dir, 0);
    if (strcmp(cached, clean) != 0)
        fail_msg("%s: the cached build said\n%s\nthe clean one\n%s", why, cached, clean);
    free(cached);
    free(clean);
}

/* Issue 18: a report with warnings is cached with them, and a rebuild
 * says them again without reading it, as the clean build says them
 * (source lines too); the meeting file moved or its law changed, the
 * reports are read and checked again. */
static void test_cache_keeps_warnings(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-test-said-XXXXXX";
    assert_non_null(mkdtemp(dir));
    three_reports(dir);
    /* report-b: a warning of its own (a line of its own quoted) */
    edit(dir, "report-b.xml", "<field role=\"wards\"",
         "<field role=\"key-decision\" label=\"Key\">Perhaps</field>\n    <field role=\"wards\"");
    /* report-c: one that quotes the meeting file (the item's place) */
    edit(dir, "report-c.xml", "date=\"2025-01-29\"", "date=\"2025-01-30\"");
    nreads = 0;
    char *cold = pack_said(dir, 1);
    assert_int_equal(nreads, 3);
    assert_non_null(strstr(cold, "report-b.xml:"));
    assert_non_null(strstr(cold, "read as neither Yes nor No"));
    assert_non_null(strstr(cold, "this meeting is on 2025-01-29"));
    assert_non_null(strstr(cold, "| "));
    nreads = 0;
    char *warm = pack_said(dir, 1);
    assert_int_equal(nreads, 0); /* all three from the cache, with their words */
    assert_string_equal(warm, cold);
    said_as_clean(dir, "warm");

    /* every item a line further down: the positions quoted move */
    edit(dir, "meeting.xml", "<meeting", "\n<meeting");
    nreads = 0;
    char *moved = pack_said(dir, 1);
    assert_true(read_count("report-c.xml") == 1 && read_count("report-b.xml") == 1);
    assert_string_not_equal(moved, cold);
    said_as_clean(dir, "moved");
    nreads = 0;
    said_as_clean(dir, "moved, warm");
    assert_int_equal(read_count("report-b.xml"), 1); /* the clean build's read only */

    /* another law: every report now under another, warned of */
    edit(dir, "meeting.xml", "<meeting", "<meeting law=\"scotland\"");
    nreads = 0;
    char *law = pack_said(dir, 1);
    assert_int_equal(read_count("report.xml"), 1);
    assert_non_null(strstr(law, "law=\"scotland\""));
    said_as_clean(dir, "law");
    free(cold);
    free(warm);
    free(moved);
    free(law);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_since_reads_changed),
        cmocka_unit_test(test_cache_reads_changed),
        cmocka_unit_test(test_cache_keeps_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
