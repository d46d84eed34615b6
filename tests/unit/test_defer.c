/* Validation beside conversion (src/load/load_defer.c): an engine made
 * without a schema file parses the copy compiled in on a thread, and a
 * load started at once converts its files while other threads validate
 * them.  Its diagnostics must be those of a load that validated each file
 * first (an engine given the same schema as a file, QUORUM_BUILTIN_XSD,
 * parses it before returning): the same, in the same order of addition,
 * for every report of tests/invalid and the sample. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "doc.h"
#include "test_engine.h"

static void same_diags(const char *path, const quorum_diags *a,
                       const quorum_diags *b) {
    if (quorum_diags_count(a) != quorum_diags_count(b))
        fail_msg("%s: %zu diagnostics beside conversion, %zu in order", path,
                 quorum_diags_count(a), quorum_diags_count(b));
    for (size_t i = 0; i < quorum_diags_count(a); i++) {
        quorum_diag x, y;
        assert_int_equal(quorum_diags_get(a, i, &x), 0);
        assert_int_equal(quorum_diags_get(b, i, &y), 0);
        if (x.line != y.line || x.col != y.col || x.severity != y.severity ||
            strcmp(x.file ? x.file : "", y.file ? y.file : "") != 0 ||
            strcmp(x.message, y.message) != 0)
            fail_msg("%s: diagnostic %zu differs:\n  %u:%u %s\n  %u:%u %s", path,
                     i, x.line, x.col, x.message, y.line, y.col, y.message);
    }
}

/* Loads path with a new engine (its schema still being parsed) and with
 * in_order; returns the schema errors found. */
static size_t compare(const char *path, const quorum_engine *in_order) {
    quorum_engine *fresh = test_engine_with(NULL, NULL, NULL);
    assert_non_null(fresh);
    quorum_diags *da = quorum_diags_new(), *db = quorum_diags_new();
    quorum_doc *a = quorum_doc_load(fresh, path, da);
    quorum_doc *b = quorum_doc_load(in_order, path, db);
    same_diags(path, da, db);
    assert_int_equal(!a, !b);
    size_t n = 0;
    if (a) {
        assert_int_equal(a->schema_checked, b->schema_checked);
        assert_int_equal((int)a->nschema_errors, (int)b->nschema_errors);
        n = a->nschema_errors;
    }
    quorum_doc_free(a);
    quorum_doc_free(b);
    quorum_diags_free(da);
    quorum_diags_free(db);
    quorum_engine_free(fresh);
    return n;
}

static void write_file(const char *dir, const char *name, const char *text) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Schema errors in a report and its appendix, among the loader's own
 * diagnostics about the appendices that come after the report's
 * validation in a load in order. */
static void test_mixed_with_the_loaders_diagnostics(void **state) {
    (void)state;
    char dir[] = "/tmp/qdeferXXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "r.xml",
               "<report xmlns=\"urn:quorum:report:1\">\n"
               "<front-sheet><field role=\"title\">T</field></front-sheet>\n"
               "<section><p align=\"middle\">x</p><para/></section>\n"
               "<appendices><appendix href=\"../secret.xml\"/>"
               "<appendix href=\"a.xml\"/><appendix href=\"a.xml\"/>"
               "<appendix href=\"b.xml\"/><appendix href=\"missing.xml\"/>"
               "<appendix href=\"c.xml\"/><appendix href=\"b.xml\"/>"
               "</appendices>\n"
               "</report>\n");
    /* more files than validations wait at once (QLOAD_PENDING_MAX) */
    const char *names[] = {"a.xml", "b.xml", "c.xml"};
    for (int i = 0; i < 3; i++)
        write_file(dir, names[i],
                   "<appendix xmlns=\"urn:quorum:report:1\"><title>A</title>"
                   "<p algin=\"left\">y</p><para/></appendix>\n");
    quorum_engine *in_order = test_engine_with(NULL, NULL, QUORUM_BUILTIN_XSD);
    assert_non_null(in_order);
    char path[4200];
    snprintf(path, sizeof path, "%s/r.xml", dir);
    for (int i = 0; i < 5; i++) assert_int_equal((int)compare(path, in_order), 8);
    quorum_engine_free(in_order);
    unlink(path);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void test_validation_beside_conversion(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    if (!src) src = ".";
    char path[4096];
    quorum_engine *in_order = test_engine_with(NULL, NULL, QUORUM_BUILTIN_XSD);
    assert_non_null(in_order);
    snprintf(path, sizeof path, "%s/tests/invalid", src);
    DIR *dir = opendir(path);
    assert_non_null(dir);
    size_t files = 0, schema_errors = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".xml") != 0 ||
            strstr(de->d_name, ".appendix.xml"))
            continue;
        snprintf(path, sizeof path, "%s/tests/invalid/%s", src, de->d_name);
        schema_errors += compare(path, in_order);
        files++;
    }
    closedir(dir);
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/report.xml", src);
    compare(path, in_order);
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/meeting.xml", src);
    compare(path, in_order);
    assert_true(files >= 50);
    assert_true(schema_errors >= 10);
    quorum_engine_free(in_order);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation_beside_conversion),
        cmocka_unit_test(test_mixed_with_the_loaders_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
