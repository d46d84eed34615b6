/* Helpers the unit tests share.  Include after <cmocka.h>. */
#ifndef QUORUM_TEST_UTIL_H
#define QUORUM_TEST_UTIL_H
#include <stdio.h>
#include <stdlib.h>

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
#endif
