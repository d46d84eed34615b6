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

/* The file size limit stands in for a full disk: writes past 100,000
 * bytes fail with EFBIG (not a signal) until limits_restore(old). */
static void limit_file_size(struct rlimit *old) {
    struct rlimit lim;
    getrlimit(RLIMIT_FSIZE, old);
    lim = *old;
    lim.rlim_cur = 100000;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
}

static void limits_restore(const struct rlimit *old) {
    setrlimit(RLIMIT_FSIZE, old);
    signal(SIGXFSZ, SIG_DFL);
}

/* A write that fails half way: an error, the previous file untouched, no
 * temporary left. */
static void test_failed_write(void **state) {
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/full.txt", dir);
    assert_int_equal(qatomic_write_file(p, "old", 3, QATOMIC_DURABLE), 0);
    struct rlimit old;
    limit_file_size(&old);
    static char big[300000];
    int err = qatomic_write_file(p, big, sizeof big, QATOMIC_DURABLE);
    qatomic *a = qatomic_open(p, QATOMIC_ORDINARY);
    assert_non_null(a);
    int r = 0;
    for (int i = 0; i < 10 && r == 0; i++) r = qatomic_write(a, big, 30000);
    int err2 = qatomic_commit(a);
    limits_restore(&old);
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

/* What stands at the target must be a regular file or nothing: a FIFO
 * (through a link too) or a directory is refused before a temporary file
 * is made, and stays what it was (issue 12). */
static void test_refuses_non_regular(void **state) {
    (void)state;
    char fifo[128], dirp[128], link[128];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(dirp, sizeof dirp, "%s/sub", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(mkdir(dirp, 0700), 0);
    assert_int_equal(symlink("fifo", link), 0);
    errno = 0;
    assert_null(qatomic_open(fifo, QATOMIC_ORDINARY));
    assert_int_equal(errno, QFILE_ENOTREG);
    assert_null(qatomic_open(link, QATOMIC_ORDINARY));
    assert_int_equal(errno, QFILE_ENOTREG);
    assert_null(qatomic_open(dirp, QATOMIC_DURABLE));
    assert_int_equal(errno, EISDIR);
    assert_int_equal(qatomic_write_file(fifo, "x", 1, QATOMIC_ORDINARY), QFILE_ENOTREG);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(entries(), 3);
    rmdir(dirp);
    quorum_diags *d = quorum_diags_new();
    assert_int_equal(qatomic_open_error(fifo, QFILE_ENOTREG, d), QUORUM_USAGE);
    assert_int_equal(qatomic_open_error(fifo, ENOENT, d), QUORUM_IO_ERROR);
    quorum_diags_free(d);
}

/* An output that is one of the run's inputs, under any spelling, a hard
 * link or a symbolic link, is refused; another file is not. */
static void test_check_target(void **state) {
    (void)state;
    char in[128], other[128], hard[128], soft[128], spelled[160], fresh[128];
    snprintf(in, sizeof in, "%s/report.xml", dir);
    snprintf(other, sizeof other, "%s/other.pdf", dir);
    snprintf(hard, sizeof hard, "%s/hard.pdf", dir);
    snprintf(soft, sizeof soft, "%s/soft.pdf", dir);
    snprintf(spelled, sizeof spelled, "%s/./report.xml", dir);
    snprintf(fresh, sizeof fresh, "%s/new.pdf", dir);
    assert_int_equal(qatomic_write_file(in, "<r/>", 4, QATOMIC_ORDINARY), 0);
    assert_int_equal(qatomic_write_file(other, "%PDF", 4, QATOMIC_ORDINARY), 0);
    assert_int_equal(link(in, hard), 0);
    assert_int_equal(symlink("report.xml", soft), 0);
    const char *inputs[] = {NULL, "/nonexistent/x.xml", in};
    quorum_diags *d = quorum_diags_new();
    assert_int_equal(qatomic_check_target(other, "the PDF", inputs, 3, d), 0);
    assert_int_equal(qatomic_check_target(fresh, "the PDF", inputs, 3, d), 0);
    assert_int_equal(quorum_diags_count(d), 0);
    const char *bad[] = {in, hard, soft, spelled, dir};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(qatomic_check_target(bad[i], "the PDF", inputs, 3, d), -1);
    assert_int_equal(quorum_diags_count(d), 5);
    assert_int_equal(quorum_diags_status(d), QUORUM_USAGE);
    quorum_diag q;
    quorum_diags_get(d, 0, &q);
    assert_non_null(strstr(q.message, "it is an input of this run"));
    quorum_diags_get(d, 1, &q);
    assert_non_null(strstr(q.message, "it is the same file as"));
    quorum_diags_get(d, 4, &q);
    assert_non_null(strstr(q.message, "it is a directory"));
    quorum_diags_free(d);
}

/* Files committed together: both complete before either is renamed (a
 * failure in the second leaves both targets as they were), renamed in
 * order, the lock file gone after; the first's SHA-256 is of its bytes. */
static void test_commit_all(void **state) {
    (void)state;
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/pack.pdf", dir);
    snprintf(p2, sizeof p2, "%s/pack.manifest", dir);
    assert_int_equal(qatomic_write_file(p1, "old pdf", 7, QATOMIC_ORDINARY), 0);
    assert_int_equal(qatomic_write_file(p2, "old manifest", 12, QATOMIC_ORDINARY), 0);
    /* the second cannot be written whole */
    struct rlimit old;
    limit_file_size(&old);
    static char big[200000];
    qatomic *set[2] = {qatomic_open(p1, QATOMIC_ORDINARY | QATOMIC_SHA256),
                       qatomic_open(p2, QATOMIC_DURABLE)};
    assert_non_null(set[0]);
    assert_non_null(set[1]);
    assert_int_equal(qatomic_write(set[0], "new pdf", 7), 0);
    qatomic_write(set[1], big, sizeof big);
    size_t failed = 9;
    int err = qatomic_commit_all(set, 2, &failed);
    limits_restore(&old);
    assert_int_equal(err, EFBIG);
    assert_int_equal(failed, 1);
    test_file_is(p1, "old pdf");
    test_file_is(p2, "old manifest");
    assert_int_equal(entries(), 2);
    /* both written: both replaced, nothing else left */
    set[0] = qatomic_open(p1, QATOMIC_ORDINARY | QATOMIC_SHA256);
    set[1] = qatomic_open(p2, QATOMIC_DURABLE);
    assert_int_equal(qatomic_write(set[0], "abc", 3), 0);
    unsigned char sum[32];
    unsigned long long bytes;
    qatomic_digest(set[0], sum, &bytes);
    char hex[65];
    qsha256_hex(sum, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(bytes, 3);
    assert_int_equal(qatomic_write(set[1], "new manifest", 12), 0);
    assert_int_equal(qatomic_commit_all(set, 2, NULL), 0);
    test_file_is(p1, "abc");
    test_file_is(p2, "new manifest");
    assert_int_equal(entries(), 2);
}

/* A rename that fails (the second target became a directory after its
 * temporary file was made): the error and its index; every temporary
 * file not renamed is removed; the first, renamed, is in place. */
static void test_commit_all_rename_fails(void **state) {
    (void)state;
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/a.pdf", dir);
    snprintf(p2, sizeof p2, "%s/a.manifest", dir);
    qatomic *set[2] = {qatomic_open(p1, QATOMIC_ORDINARY), qatomic_open(p2, QATOMIC_ORDINARY)};
    assert_non_null(set[0]);
    assert_non_null(set[1]);
    assert_int_equal(mkdir(p2, 0700), 0);
    char sub[160];
    snprintf(sub, sizeof sub, "%s/x", p2);
    assert_int_equal(qatomic_write_file(sub, "x", 1, QATOMIC_ORDINARY), 0);
    qatomic_write(set[0], "1", 1);
    qatomic_write(set[1], "2", 1);
    size_t failed = 9;
    assert_int_not_equal(qatomic_commit_all(set, 2, &failed), 0);
    assert_int_equal(failed, 1);
    assert_int_equal(entries(), 2); /* a.pdf and the directory */
    unlink(sub);
    rmdir(p2);
    /* and qatomic_commit alone: its temporary file goes too */
    qatomic *a = qatomic_open(p2, QATOMIC_ORDINARY);
    assert_non_null(a);
    assert_int_equal(mkdir(p2, 0700), 0);
    assert_int_equal(qatomic_write_file(sub, "x", 1, QATOMIC_ORDINARY), 0);
    assert_int_not_equal(qatomic_commit(a), 0);
    assert_int_equal(entries(), 2);
    unlink(sub);
    rmdir(p2);
}

/* Descriptors this process holds open on files named like p that were
 * replaced or removed ("(deleted)" in /proc/self/fd). */
static int held_deleted(const char *p) {
    DIR *dp = opendir("/proc/self/fd");
    assert_non_null(dp);
    int n = 0;
    char link[300], to[600];
    for (struct dirent *e; (e = readdir(dp));) {
        if (e->d_name[0] == '.') continue;
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t k = readlink(link, to, sizeof to - 1);
        if (k < 0) continue;
        to[k] = 0;
        n += strncmp(to, p, strlen(p)) == 0 && strstr(to, "(deleted)") != NULL;
    }
    closedir(dp);
    return n;
}

static int open_fds(void) {
    DIR *dp = opendir("/proc/self/fd");
    assert_non_null(dp);
    int n = 0;
    for (struct dirent *e; (e = readdir(dp));) n += e->d_name[0] != '.';
    closedir(dp);
    return n;
}

/* Issue 18: the files a commit replaces are let go on a thread of their
 * own (qatomic_commit_all_gone): the new files are in place when it
 * returns, what it replaced is held by no descriptor once the caller has
 * waited, a set that replaced nothing has no thread, and a commit that
 * fails holds nothing. */
static void test_commit_all_gone(void **state) {
    (void)state;
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/pack.pdf", dir);
    snprintf(p2, sizeof p2, "%s/pack.manifest", dir);
    int fds = open_fds();
    /* nothing standing: nothing to let go */
    qatomic *set[2] = {qatomic_open(p1, QATOMIC_ORDINARY), qatomic_open(p2, QATOMIC_ORDINARY)};
    qatomic_write(set[0], "pdf 1", 5);
    qatomic_write(set[1], "manifest 1", 10);
    qatomic_gone *gone = (qatomic_gone *)&gone;
    assert_int_equal(qatomic_commit_all_gone(set, 2, NULL, &gone), 0);
    assert_null(gone);
    /* both replaced: held, then let go */
    set[0] = qatomic_open(p1, QATOMIC_ORDINARY);
    set[1] = qatomic_open(p2, QATOMIC_ORDINARY);
    qatomic_write(set[0], "pdf 2", 5);
    qatomic_write(set[1], "manifest 2", 10);
    assert_int_equal(qatomic_commit_all_gone(set, 2, NULL, &gone), 0);
    assert_non_null(gone);
    test_file_is(p1, "pdf 2");
    test_file_is(p2, "manifest 2");
    qatomic_gone_wait(gone);
    assert_int_equal(held_deleted(dir), 0);
    assert_int_equal(open_fds(), fds);
    assert_int_equal(entries(), 2);
    /* a set that cannot be committed replaces nothing and holds nothing */
    struct rlimit old;
    limit_file_size(&old);
    static char big[200000];
    set[0] = qatomic_open(p1, QATOMIC_ORDINARY);
    set[1] = qatomic_open(p2, QATOMIC_ORDINARY);
    qatomic_write(set[0], "pdf 3", 5);
    qatomic_write(set[1], big, sizeof big);
    gone = (qatomic_gone *)&gone;
    int err = qatomic_commit_all_gone(set, 2, NULL, &gone);
    limits_restore(&old);
    assert_int_equal(err, EFBIG);
    assert_null(gone);
    assert_int_equal(open_fds(), fds);
    test_file_is(p1, "pdf 2");
    qatomic_gone_wait(NULL);
}

/* Issue 18: QATOMIC_ASIDE hashes and writes on a thread of the file's
 * own (one more thread while it is open, none after): the bytes, their
 * count and SHA-256 are those of an ordinary write, given in pieces of
 * every size (one byte, across a buffer's end, larger than the ring);
 * read back in the middle; an abort leaves the target as it was; a
 * failure the thread meets (the file size limit) fails the commit and
 * leaves the target as it was. */
static void test_aside(void **state) {
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/pack.pdf", dir);
    size_t total = 700001;
    unsigned char *want = malloc(total);
    assert_non_null(want);
    for (size_t i = 0; i < total; i++) want[i] = (unsigned char)(i * 7 + i / 251);
    int t0 = test_threads_now();
    qatomic *a = qatomic_open(p, QATOMIC_ORDINARY | QATOMIC_SHA256 | QATOMIC_ASIDE);
    assert_non_null(a);
    assert_int_equal(test_threads_now(), t0 + 1);
    size_t at = 0, step = 1;
    while (at < total) {
        size_t k = step < total - at ? step : total - at;
        assert_int_equal(qatomic_write(a, want + at, k), 0);
        at += k;
        step = step * 3 + 1; /* 1, 4, 13, ... 265720: past the ring's 256 KiB */
        if (at > total / 2 && at - k <= total / 2) {
            size_t n = 0;
            unsigned char *back = qatomic_read_back(a, &n);
            assert_non_null(back);
            assert_int_equal(n, at);
            assert_memory_equal(back, want, n);
            free(back);
        }
    }
    unsigned char sum[32], ref[32];
    unsigned long long bytes = 0;
    qatomic_digest(a, sum, &bytes);
    assert_int_equal(bytes, total);
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, want, total);
    qsha256_final(&c, ref);
    assert_memory_equal(sum, ref, 32);
    assert_int_equal(qatomic_commit(a), 0);
    assert_int_equal(test_threads_now(), t0);
    size_t n = 0;
    char *b = test_slurp(p, &n);
    assert_int_equal(n, total);
    assert_memory_equal(b, want, total);
    free(b);
    /* given up: the target is what it was, no temporary file, no thread */
    a = qatomic_open(p, QATOMIC_ORDINARY | QATOMIC_ASIDE);
    assert_non_null(a);
    assert_int_equal(qatomic_write(a, want, 300000), 0);
    qatomic_abort(a);
    assert_int_equal(test_threads_now(), t0);
    assert_int_equal(entries(), 1);
    b = test_slurp(p, &n);
    assert_int_equal(n, total);
    free(b);
    /* the thread fails (EFBIG): a write or the commit says so */
    struct rlimit old;
    limit_file_size(&old);
    a = qatomic_open(p, QATOMIC_ORDINARY | QATOMIC_SHA256 | QATOMIC_ASIDE);
    assert_non_null(a);
    int failed_write = 0;
    for (int i = 0; i < 20 && !failed_write; i++) failed_write = qatomic_write(a, want, 65536) != 0;
    assert_int_equal(qatomic_commit(a), EFBIG);
    limits_restore(&old);
    assert_int_equal(test_threads_now(), t0);
    assert_int_equal(entries(), 1);
    b = test_slurp(p, &n);
    assert_int_equal(n, total);
    free(b);
    free(want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_and_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_keeps_previous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_non_regular, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_all_rename_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_all_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aside, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
