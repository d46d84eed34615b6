#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char dir[64];
static char path[128];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qfile.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    const char *names[] = {"a", "fifo", "link", "big"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    return rmdir(dir);
}

static const char *put(const char *name, const char *text) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void reads_whole_file_nul_terminated(void **state) {
    (void)state;
    unsigned char *b;
    size_t n;
    assert_int_equal(qfile_read(put("a", "hello"), 0, 100, &b, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal((char *)b, "hello");
    free(b);
}

static void refuses_over_cap(void **state) {
    (void)state;
    unsigned char *b = (unsigned char *)"x";
    size_t n = 9;
    assert_int_equal(qfile_read(put("big", "0123456789"), 0, 9, &b, &n), EFBIG);
    assert_null(b);
    assert_int_equal(n, 0);
    /* exactly at the cap is fine */
    assert_int_equal(qfile_read(path, 0, 10, &b, &n), 0);
    assert_int_equal(n, 10);
    free(b);
}

/* A FIFO with no writer would block an open(O_RDONLY) for ever. */
static void refuses_fifo_without_blocking(void **state) {
    (void)state;
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    unsigned char *b;
    size_t n;
    alarm(5); /* a hang fails the test instead of stalling ctest */
    assert_int_equal(qfile_read(path, 0, 100, &b, &n), QFILE_ENOTREG);
    alarm(0);
    assert_string_equal(qfile_strerror(QFILE_ENOTREG), "not a regular file");
}

/* /dev/zero never ends; a character device is refused before any read. */
static void refuses_devices_and_directories(void **state) {
    (void)state;
    unsigned char *b;
    size_t n;
    assert_int_equal(qfile_read("/dev/zero", 0, 100, &b, &n), QFILE_ENOTREG);
    assert_int_equal(qfile_read(dir, 0, 100, &b, &n), EISDIR);
    assert_int_equal(qfile_read("/nonexistent/x", 0, 100, &b, &n), ENOENT);
}

static void nofollow_refuses_links(void **state) {
    (void)state;
    char target[128];
    snprintf(target, sizeof target, "%s", put("a", "secret"));
    snprintf(path, sizeof path, "%s/link", dir);
    assert_int_equal(symlink(target, path), 0);
    unsigned char *b;
    size_t n;
    assert_int_equal(qfile_read(path, 0, 100, &b, &n), 0);
    free(b);
    assert_int_equal(qfile_read(path, QFILE_NOFOLLOW, 100, &b, &n), ELOOP);
}

/* qfile_kind opens nothing (the FIFO is not waited on) and does not
 * follow the link: an archive copy's attachments must be plain files. */
static void kind_without_opening(void **state) {
    (void)state;
    char p[160];
    snprintf(p, sizeof p, "%s/a", dir);
    assert_int_equal(qfile_kind(p), 0);
    snprintf(p, sizeof p, "%s/link", dir);
    assert_int_equal(qfile_kind(p), ELOOP);
    snprintf(p, sizeof p, "%s/fifo", dir);
    alarm(5);
    assert_int_equal(qfile_kind(p), QFILE_ENOTREG);
    alarm(0);
    assert_int_equal(qfile_kind(dir), EISDIR);
    assert_int_equal(qfile_kind("/dev/zero"), QFILE_ENOTREG);
    assert_int_equal(qfile_kind("/nonexistent/x"), ENOENT);
}

/* href names: beside the referring file, or (folders) below it */
static void href_inside(void **state) {
    (void)state;
    const char *beside[] = {"appendix-1.xml", "a.b.xml", "x"};
    const char *below[] = {"item-3/report.xml", "a/b/c.xml"};
    const char *never[] = {"", "/etc/passwd", "../r.xml", "a/../r.xml", "a\\b.xml",
                           "c:r.xml", "http://x/r.xml", "a//b.xml", "a/", "./a.xml",
                           "a/./b.xml", "/"};
    for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
        assert_true(qhref_inside(beside[i], 0));
        assert_true(qhref_inside(beside[i], 1));
    }
    for (size_t i = 0; i < sizeof below / sizeof *below; i++) {
        assert_false(qhref_inside(below[i], 0));
        assert_true(qhref_inside(below[i], 1));
    }
    for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
        assert_false(qhref_inside(never[i], 0));
        assert_false(qhref_inside(never[i], 1));
    }
}

/* qdlib_ready (dlib.c): a library opened by soname fills its table and
 * runs its after hook once; a missing library or function says which; a
 * record is tried once, whatever asks again or on however many threads. */
static int after_runs;
static void count_after(void) { after_runs++; }

typedef struct {
    const char *(*version)(void);
    int (*none)(void);
} ztable;
static const char *const znames[] = {"zlibVersion", "quorum_no_such_function"};

static void *ask_zlib(void *l) { return (void *)(intptr_t)qdlib_ready(l, NULL); }

static void dlib_opens_and_says_why_not(void **state) {
    (void)state;
    ztable t = {0};
    const char *why = "";
    qdlib none = {"libquorum-no-such-library.so.0", znames, 1, &t, count_after, 0, {0}};
    assert_int_equal(qdlib_ready(&none, &why), 0);
    assert_non_null(strstr(why, "libquorum-no-such-library.so.0"));
    qdlib lacks = {"libz.so.1", znames, 2, &t, count_after, 0, {0}};
    assert_int_equal(qdlib_ready(&lacks, &why), 0);
    assert_string_equal(why, "libz.so.1 has no quorum_no_such_function");
    assert_int_equal(after_runs, 0); /* only once a library is there */
    /* asked again: the same answer, not a second try */
    assert_int_equal(qdlib_ready(&lacks, NULL), 0);
    assert_int_equal(atomic_load(&lacks.state), -1);

    qdlib z = {"libz.so.1", znames, 1, &t, count_after, 0, {0}};
    pthread_t th[8];
    for (int i = 0; i < 8; i++) assert_int_equal(pthread_create(&th[i], NULL, ask_zlib, &z), 0);
    for (int i = 0; i < 8; i++) {
        void *r = NULL;
        pthread_join(th[i], &r);
        assert_int_equal((intptr_t)r, 1);
    }
    assert_int_equal(qdlib_ready(&z, &why), 1);
    assert_null(why);
    assert_int_equal(after_runs, 1);
    assert_non_null(t.version);
    assert_int_equal(t.version()[0], '1');
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_whole_file_nul_terminated),
        cmocka_unit_test(refuses_over_cap),
        cmocka_unit_test(refuses_fifo_without_blocking),
        cmocka_unit_test(refuses_devices_and_directories),
        cmocka_unit_test(nofollow_refuses_links),
        cmocka_unit_test(kind_without_opening),
        cmocka_unit_test(href_inside),
        cmocka_unit_test(dlib_opens_and_says_why_not),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
