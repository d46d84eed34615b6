/* Helpers the unit tests share.  Include after <cmocka.h>. */
#ifndef QUORUM_TEST_UTIL_H
#define QUORUM_TEST_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorum.h"

/* The whole file, malloc'd and NUL-terminated (the NUL not counted in
 * *len); NULL when it cannot be opened.  A read that fails half way fails
 * the test. */
static inline void *test_slurp(const char *path, size_t *len) {
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* The same for a file the test needs: its absence fails the test. */
static inline void *test_slurp_must(const char *path, size_t *len) {
    void *b = test_slurp(path, len);
    assert_non_null(b);
    return b;
}

/* The threads of this process, from /proc/self/status. */
static inline int test_threads_now(void) {
    FILE *f = fopen("/proc/self/status", "r");
    assert_non_null(f);
    char line[256];
    int n = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1) break;
    fclose(f);
    assert_true(n > 0);
    return n;
}

/* path holds exactly the string want. */
static inline void test_file_is(const char *path, const char *want) {
    size_t n = 0;
    char *b = test_slurp_must(path, &n);
    assert_int_equal(n, strlen(want));
    assert_string_equal(b, want);
    free(b);
}

/* "line:col: message" of every diagnostic of d, sorted, one per line, in
 * a static buffer (the next call overwrites it). */
static inline const char *test_diags_text(quorum_diags *d) {
    static char out[8192];
    out[0] = '\0';
    quorum_diags_sort(d);
    for (size_t i = 0; i < quorum_diags_count(d); i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        char line[1024];
        snprintf(line, sizeof line, "%u:%u: %s\n", q.line, q.col, q.message);
        strncat(out, line, sizeof out - strlen(out) - 1);
    }
    return out;
}
#endif
