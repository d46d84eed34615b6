#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char dir[64];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qatomic.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    DIR *dp = opendir(dir);
    struct dirent *e;
    char p[512];
    while (dp && (e = readdir(dp)))
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (dp) closedir(dp);
    return rmdir(dir);
}

static int entries(void) {
    int n = 0;
    DIR *dp = opendir(dir);
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (dp) closedir(dp);
    return n;
}

static void test_new_and_replaced(void **state) {
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/out.txt", dir);
    assert_int_equal(qatomic_write_file(p, "first", 5, QATOMIC_ORDINARY), 0);
    size_t n;
    char *b = test_slurp(p, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(b, "first", 5);
    free(b);
    assert_int_equal(chmod(p, 0640), 0);
    /* through the sink, in pieces, larger than the buffer */
    qatomic *a = qatomic_open(p, QATOMIC_DURABLE);
    assert_non_null(a);
    static char big[200000];
    memset(big, 'x', sizeof big);
    assert_int_equal(qatomic_write(a, "ab", 2), 0);
    assert_int_equal(qatomic_write(a, big, sizeof big), 0);
    assert_int_equal(qatomic_write(a, "", 0), 0);
    assert_int_equal(entries(), 2);      /* the target and the temporary */
    assert_int_equal(qatomic_commit(a), 0);
    b = test_slurp(p, &n);
    assert_int_equal(n, 2 + sizeof big);
    assert_memory_equal(b, "ab", 2);
    free(b);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);  /* permissions kept */
    assert_int_equal(entries(), 1);
}

static void test_abort_keeps_previous(void **state) {
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/keep.txt", dir);
    assert_int_equal(qatomic_write_file(p, "old", 3, QATOMIC_ORDINARY), 0);
    qatomic *a = qatomic_open(p, QATOMIC_ORDINARY);
    assert_non_null(a);
    assert_int_equal(qatomic_write(a, "new", 3), 0);
    qatomic_abort(a);
    size_t n;
    char *b = test_slurp(p, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(b, "old", 3);
    free(b);
    assert_int_equal(entries(), 1);
}

/* A write that fails half way (the file size limit stands in for a full
 * disk): an error, the previous file untouched, no temporary left. */
static void test_failed_write(void **state) {
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/full.txt", dir);
    assert_int_equal(qatomic_write_file(p, "old", 3, QATOMIC_DURABLE), 0);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 100000;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    static char big[300000];
    int err = qatomic_write_file(p, big, sizeof big, QATOMIC_DURABLE);
    qatomic *a = qatomic_open(p, QATOMIC_ORDINARY);
    assert_non_null(a);
    int r = 0;
    for (int i = 0; i < 10 && r == 0; i++) r = qatomic_write(a, big, 30000);
    int err2 = qatomic_commit(a);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(err, EFBIG);
    assert_int_equal(r, -1);
    assert_int_equal(err2, EFBIG);
    size_t n;
    char *b = test_slurp(p, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(b, "old", 3);
    free(b);
    assert_int_equal(entries(), 1);
}

static void test_missing_directory(void **state) {
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/no/such.txt", dir);
    assert_int_equal(qatomic_write_file(p, "x", 1, QATOMIC_ORDINARY), ENOENT);
    errno = 0;
    assert_null(qatomic_open(p, QATOMIC_DURABLE));
    assert_int_equal(errno, ENOENT);
    assert_int_equal(entries(), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_and_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_keeps_previous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
