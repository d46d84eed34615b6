/* The pack manifest (pack/manifest.c): what qmanifest_write writes the
 * strict reader gives back, strings of any content included; every
 * truncation and every byte changed is refused or read without harm (the
 * reader's fuzzing entry point, run here on each); and quorum_pack_write
 * with since_manifest: the pair is checked before it is trusted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meeting.h"
#include "test_engine.h"
#define TE test_engine()

static char *written(const qmanifest *m, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    qmanifest_write(f, m);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* version 3's files: a report, an appendix, a readable image and one
 * that was not, names with what JSON must escape */
static const qmanifest_file files[4] = {
    {QMF_REPORT, "r\"eport.xml", 1, {9}}, {QMF_APPENDIX, "app 1.xml", 1, {8}},
    {QMF_IMAGE, "img/chart.png", 1, {7}}, {QMF_IMAGE, "gone.png", 0, {0}}};

static qmanifest sample(qmanifest_item it[3]) {
    qmanifest m = {0};
    m.pdf_file = "pack.pdf";
    m.pdf_bytes = 123456;
    for (int i = 0; i < 32; i++) m.pdf_sha256[i] = (unsigned char)(i * 7);
    m.meeting_id = "council-\"2025\"";
    m.meeting_date = NULL;
    m.pages = 42;
    memset(it, 0, 3 * sizeof *it);
    it[0] = (qmanifest_item){"1", "apologies", "Apologies\nitem\t9\tforged\\", {1}, 1, 0, 0,
                             NULL, 0, 1};
    it[1] = (qmanifest_item){"9", "irp-progress", "Progress \xe2\x80\x94 \xf0\x9f\x98\x80",
                             {2}, 1, 5, 41, files, 4, 1};
    it[2] = (qmanifest_item){"12", "z", NULL, {3}, 0, 0, 0, NULL, 0, 0};
    m.items = it;
    m.nitems = 3;
    return m;
}

static void test_round_trip(void **state) {
    (void)state;
    qmanifest_item it[3];
    qmanifest m = sample(it);
    size_t len;
    char *s = written(&m, &len);
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    qmanifest r;
    assert_int_equal(qmanifest_parse(a, s, len, "m.manifest", &r, d), 0);
    assert_int_equal(quorum_diags_count(d), 0);
    assert_string_equal(r.pdf_file, "pack.pdf");
    assert_true(r.pdf_bytes == 123456);
    assert_memory_equal(r.pdf_sha256, m.pdf_sha256, 32);
    assert_string_equal(r.meeting_id, "council-\"2025\"");
    assert_null(r.meeting_date);
    assert_true(r.pages == 42);
    assert_int_equal(r.nitems, 3);
    const qmanifest_item *x = qmanifest_find(&r, "apologies");
    assert_non_null(x);
    assert_string_equal(x->title, "Apologies\nitem\t9\tforged\\");
    assert_int_equal(x->sha256[0], 1);
    x = qmanifest_find(&r, "irp-progress");
    assert_string_equal(x->title, it[1].title);
    assert_true(x->first_page == 5 && x->last_page == 41 && x->in_pack);
    assert_true(x->listed);
    assert_int_equal(x->nfiles, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(x->files[i].kind, files[i].kind);
        assert_string_equal(x->files[i].name, files[i].name);
        assert_int_equal(x->files[i].readable, files[i].readable);
        if (files[i].readable) assert_memory_equal(x->files[i].sha256, files[i].sha256, 32);
    }
    assert_true(qmanifest_find(&r, "apologies")->listed);
    assert_int_equal(qmanifest_find(&r, "apologies")->nfiles, 0);
    x = qmanifest_find(&r, "z");
    assert_null(x->title);
    assert_false(x->in_pack);
    assert_false(x->listed);
    assert_int_equal(r.version, 3);
    assert_null(qmanifest_find(&r, "forged"));
    /* one item a line, whatever the titles hold */
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += s[i] == '\n';
    assert_int_equal(lines, 12);
    free(s);
    quorum_diags_free(d);
    qarena_free(a);
}

/* Version 2 (no "files") is still read, its items not listed; version 3's
 * files are checked as strictly as the rest. */
static int parses(const char *s) {
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    qmanifest r;
    int rc = qmanifest_parse(a, s, strlen(s), "m.manifest", &r, d);
    /* 10 x the version, plus 1 when its item lists its files */
    if (rc == 0) rc = 10 * r.version + (r.nitems && r.items[0].listed);
    else assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    quorum_diags_free(d);
    qarena_free(a);
    return rc;
}

#define HEAD(v) "{\"format\": \"quorum-pack-manifest\", \"version\": " v ", \"pdf\": " \
    "{\"file\": \"p.pdf\", \"bytes\": 1, \"sha256\": \"" SHA "\"}, \"meeting\": " \
    "{\"id\": null, \"date\": null}, \"pages\": 1, \"items\": [{\"number\": \"1\", " \
    "\"key\": \"a\", \"sha256\": \"" SHA "\", \"in_pack\": true, \"pages\": [], \"title\": null"
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define FILES(x) HEAD("3") ", \"files\": " x "}]}"

static void test_versions(void **state) {
    (void)state;
    assert_int_equal(parses(HEAD("2") "}]}"), 20);
    assert_int_equal(parses(HEAD("3") "}]}"), -1);          /* files missing */
    assert_int_equal(parses(HEAD("2") ", \"files\": []}]}"), -1); /* not in 2 */
    assert_int_equal(parses(HEAD("4") "}]}"), -1);
    assert_int_equal(parses(HEAD("1") "}]}"), -1);
    assert_int_equal(parses(FILES("null")), 30);
    assert_int_equal(parses(FILES("[]")), 31);
    assert_int_equal(parses(FILES("[{\"kind\": \"report\", \"name\": \"r.xml\", "
                                  "\"sha256\": \"" SHA "\"}]")), 31);
    assert_int_equal(parses(FILES("[{\"kind\": \"image\", \"name\": \"i.png\", "
                                  "\"sha256\": null}]")), 31);
    /* only an image may be unreadable; names stay in the report's folder */
    assert_int_equal(parses(FILES("[{\"kind\": \"report\", \"name\": \"r.xml\", "
                                  "\"sha256\": null}]")), -1);
    assert_int_equal(parses(FILES("[{\"kind\": \"report\", \"name\": \"../r.xml\", "
                                  "\"sha256\": \"" SHA "\"}]")), -1);
    assert_int_equal(parses(FILES("[{\"kind\": \"report\", \"name\": \"/etc/r.xml\", "
                                  "\"sha256\": \"" SHA "\"}]")), -1);
    assert_int_equal(parses(FILES("[{\"kind\": \"font\", \"name\": \"r.xml\", "
                                  "\"sha256\": \"" SHA "\"}]")), -1);
    assert_int_equal(parses(FILES("[{\"kind\": \"report\", \"name\": \"r.xml\"}]")), -1);
    assert_int_equal(parses(FILES("{}")), -1);
}

static void test_damage(void **state) {
    (void)state;
    qmanifest_item it[3];
    qmanifest m = sample(it);
    size_t len;
    char *s = written(&m, &len);
    /* cut anywhere before its last brace: refused, with a position */
    for (size_t n = 0; n + 2 < len; n++) {
        qarena *a = qarena_new(0);
        quorum_diags *d = quorum_diags_new();
        qmanifest r;
        if (qmanifest_parse(a, s, n, "m.manifest", &r, d) == 0)
            fail_msg("a manifest cut to %zu of %zu bytes was read", n, len);
        assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
        quorum_diag q;
        quorum_diags_get(d, 0, &q);
        assert_true(q.line >= 1);
        quorum_diags_free(d);
        qarena_free(a);
    }
    /* several faults: one error, the first (found by fuzz_manifest) */
    const char *many = "{\"format\": \"quorum-pack-manifest\", \"version\": 2, \"pdf\": "
                       "{\"file\": 1, \"bytes\": 99999999999999999999999, \"sha256\": 0}, "
                       "\"meeting\": {\"id\": 1, \"date\": 2}, \"pages\": -1, \"items\": []}";
    qarena *ma = qarena_new(0);
    quorum_diags *md = quorum_diags_new();
    qmanifest mr;
    assert_int_equal(qmanifest_parse(ma, many, strlen(many), "m.manifest", &mr, md), -1);
    assert_int_equal(quorum_diags_count(md), 1);
    quorum_diags_free(md);
    qarena_free(ma);
    /* every byte changed to a few values: never a crash (ASan) */
    static const char subst[] = {'"', '\\', '{', ']', '0', 'x', '\n', '\0', (char)0xff};
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < sizeof subst; k++) {
            char c = s[i];
            s[i] = subst[k];
            qarena *a = qarena_new(0);
            quorum_diags *d = quorum_diags_new();
            qmanifest r;
            if (qmanifest_parse(a, s, len, "m.manifest", &r, d) != 0)
                assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
            quorum_diags_free(d);
            qarena_free(a);
            s[i] = c;
        }
    free(s);
}

/* The whole path: a pack written as a pair, then a supplement against it,
 * then against a manifest whose PDF was replaced. */
static void test_pack_pair(void **state) {
    (void)state;
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char meeting[4096], dir[] = "/tmp/qmanifest.XXXXXX", pdf[256], man[256];
    snprintf(meeting, sizeof meeting, "%s/input/council-2025-01-29/meeting.xml",
             root ? root : ".");
    assert_non_null(mkdtemp(dir));
    snprintf(pdf, sizeof pdf, "%s/pack.pdf", dir);
    snprintf(man, sizeof man, "%s/pack.manifest", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, meeting, d);
    assert_non_null(p);
    quorum_layout *l = quorum_pack_layout(TE, p, NULL, d);
    assert_non_null(l);
    assert_int_equal(quorum_pack_write(p, l, pdf, NULL, d), QUORUM_OK);
    /* the manifest's own name as the PDF: refused, nothing written */
    assert_int_equal(quorum_pack_write(p, l, man, NULL, d), QUORUM_USAGE);
    /* the meeting file: refused */
    assert_int_equal(quorum_pack_write(p, l, meeting, NULL, d), QUORUM_USAGE);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 2);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);

    /* nothing changed since: the supplement is empty (an error), but the
     * manifest was accepted */
    d = quorum_diags_new();
    p = quorum_pack_load(TE, meeting, d);
    quorum_pack_options o = {NULL, NULL, man, 1, 0, NULL, NULL, NULL};
    assert_null(quorum_pack_layout(TE, p, &o, d));
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_non_null(strstr(q.message, "no item was added or changed"));
    quorum_pack_free(p);
    quorum_diags_free(d);

    /* the PDF beside it replaced: refused, and said so */
    FILE *f = fopen(pdf, "ab");
    assert_non_null(f);
    fputs("%% appended\n", f);
    fclose(f);
    d = quorum_diags_new();
    p = quorum_pack_load(TE, meeting, d);
    assert_null(quorum_pack_layout(TE, p, &o, d));
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_non_null(strstr(q.message, "this manifest does not belong to"));
    assert_non_null(strstr(q.file, "pack.manifest"));
    quorum_pack_free(p);
    quorum_diags_free(d);
    unlink(pdf);
    unlink(man);
    assert_int_equal(rmdir(dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_pack_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
