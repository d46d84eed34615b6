/* Arena allocation and arena vectors: zeroed slots, contents kept across
 * growth (in place for a vector with a chunk of its own), strings, chunks
 * populated as they fill. */
#define _DEFAULT_SOURCE 1 /* mincore */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

/* Pages of [p, p + n) resident (mincore). */
static size_t resident(const void *p, size_t n) {
    uintptr_t s = (uintptr_t)p & ~(uintptr_t)4095, e = ((uintptr_t)p + n + 4095) & ~(uintptr_t)4095;
    unsigned char v[1024];
    size_t pages = (e - s) / 4096, in = 0;
    assert_true(pages <= sizeof v);
    assert_int_equal(mincore((void *)s, e - s, v), 0);
    for (size_t i = 0; i < pages; i++) in += v[i] & 1;
    return in;
}

/* A chunk's pages are populated as allocations reach them, a window at a
 * time, not the whole chunk when it is made: a report's display list
 * takes a fraction of its 1 MiB chunk, and a page populated is a page
 * zeroed and mapped (and a fault's cost) used or not. */
static void test_chunk_populated_as_used(void **state) {
    (void)state;
    qarena *a = qarena_new(1 << 20);
    unsigned char *p = qarena_alloc(a, 1000);
    /* the chunk is fresh memory (malloc maps a block this size); beyond
     * the first window nothing of it is resident */
    assert_int_equal(resident(p + (128 << 10), 768 << 10), 0);
    /* what is allocated is there, and the chunk still takes it */
    unsigned char *q = qarena_alloc(a, 300 << 10);
    assert_true(q > p && q < p + (1 << 20));
    assert_int_equal(resident(q, 300 << 10), (300 << 10) / 4096 + (((uintptr_t)q & 4095) != 0));
    assert_int_equal(resident(q + (400 << 10), 500 << 10), 0);
    qarena_free(a);
}

static void test_alloc_zeroed_aligned(void **state) {
    (void)state;
    qarena *a = qarena_new(1024);
    for (int i = 1; i < 600; i += 37) {
        unsigned char *p = qarena_alloc(a, (size_t)i);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int k = 0; k < i; k++) assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)i);
    }
    qarena_free(a);
}

static void test_strings(void **state) {
    (void)state;
    qarena *a = qarena_new(64);
    char *s = qarena_strndup(a, "abcdef", 3);
    assert_string_equal(s, "abc");
    assert_string_equal(qarena_strdup(a, ""), "");
    assert_string_equal(qarena_printf(a, "%s-%d", "x", 42), "x-42");
    assert_string_equal(qarena_printf(a, "%s", ""), "");
    assert_string_equal(qarena_cat(a, "2", "."), "2.");
    assert_string_equal(qarena_cat(a, "", ""), "");
    assert_string_equal(qarena_cat(a, "", "x"), "x");
    char big[300];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_string_equal(qarena_strdup(a, big), big); /* a chunk of its own */
    qarena_free(a);
}

typedef struct rec { uint32_t a, b, c; } rec;

/* Small and large vectors side by side: each keeps its contents and its
 * new slots are zeroed, whether it grows by copying or in place. */
static void test_vectors_grow(void **state) {
    (void)state;
    qarena *a = qarena_new(4096);
    qvec small, large;
    qvec_init(&small, sizeof(rec));
    qvec_init(&large, sizeof(rec));
    for (uint32_t i = 0; i < 50000; i++) {
        rec *r = qvec_push(a, &large);
        assert_int_equal(r->a | r->b | r->c, 0);
        r->a = i; r->b = ~i; r->c = i * 7;
        if (i % 97 == 0) {
            rec *s = qvec_push(a, &small);
            assert_int_equal(s->a | s->b | s->c, 0);
            s->a = i;
        }
        /* interleaved allocations between doublings */
        char *junk = qarena_alloc(a, 40);
        memset(junk, 0xFF, 40);
    }
    assert_int_equal((int)large.len, 50000);
    for (uint32_t i = 0; i < 50000; i++) {
        rec *r = &QVEC_AT(&large, rec, i);
        assert_int_equal(r->a, i);
        assert_int_equal(r->b, ~i);
        assert_int_equal(r->c, i * 7);
    }
    for (size_t k = 0; k < small.len; k++)
        assert_int_equal(QVEC_AT(&small, rec, k).a, (uint32_t)(k * 97));
    /* growing in place leaves no abandoned copies: about the final
     * capacity, not twice it */
    size_t final = large.cap * sizeof(rec);
    assert_true(qarena_used(a) < final + final / 2 + 50000 * 48 + 64 * 1024);
    qarena_free(a);
}

/* A vector whose storage was set from outside (as layout does for page
 * item arrays) still grows correctly past it. */
static void test_vector_preallocated(void **state) {
    (void)state;
    qarena *a = qarena_new(1024);
    qvec v;
    qvec_init(&v, sizeof(int));
    v.data = qarena_alloc(a, 3 * sizeof(int));
    v.cap = 3;
    for (int i = 0; i < 5000; i++) *(int *)qvec_push(a, &v) = i;
    for (int i = 0; i < 5000; i++) assert_int_equal(QVEC_AT(&v, int, i), i);
    qarena_free(a);
}

/* The mapping of /proc/self/maps holding p: 1 and its bounds, or 0. */
static int mapping_of(const void *p, uintptr_t *lo, uintptr_t *hi) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return 0;
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        unsigned long a = 0, b = 0;
        if (sscanf(line, "%lx-%lx", &a, &b) == 2 && (uintptr_t)p >= a && (uintptr_t)p < b) {
            *lo = a;
            *hi = b;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* A vector of megabytes grows by moving its pages (mremap), not by
 * copying its bytes: its block is a mapping of its own, whose end is its
 * capacity's, also after malloc raised its threshold for mappings (a
 * 16 MiB block freed: glibc then keeps smaller blocks in its heap, where
 * realloc copies them, as a pack's workers made it do, issue 18).  Its
 * contents are kept across every growth. */
static void test_vector_mapped(void **state) {
    (void)state;
    void *volatile big = malloc((size_t)16 << 20); /* not optimized away */
    assert_non_null(big);
    free(big);
    qarena *a = qarena_new(0);
    qvec v;
    qvec_init(&v, sizeof(rec));
    const uint32_t n = (8u << 20) / sizeof(rec);
    for (uint32_t i = 0; i < n; i++) {
        rec *r = qvec_push(a, &v);
        assert_int_equal(r->a | r->b | r->c, 0);
        r->a = i;
        r->c = i * 3;
        if (i % 1000 == 0) memset(qarena_alloc(a, 100), 0xFF, 100);
    }
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(QVEC_AT(&v, rec, i).a, i);
        assert_int_equal(QVEC_AT(&v, rec, i).c, i * 3);
    }
    uintptr_t lo = 0, hi = 0;
    assert_true(mapping_of(v.data, &lo, &hi));
    uintptr_t end = ((uintptr_t)v.data + v.cap * v.elem + 4095) & ~(uintptr_t)4095;
    assert_true((uintptr_t)v.data - lo < 4096);
    assert_true(hi == end);
    qarena_free(a);
}

static char order[8];
static size_t norder;
static void note(void *p) { order[norder++] = *(const char *)p; }

/* What an arena's objects hold outside it goes when the arena does, the
 * last registered first, and not before. */
static void test_defer(void **state) {
    (void)state;
    qarena *a = qarena_new(64);
    static const char x = 'x', y = 'y';
    qarena_defer(a, note, (void *)&x);
    for (int i = 0; i < 100; i++) qarena_alloc(a, 40); /* new chunks */
    qarena_defer(a, note, (void *)&y);
    assert_int_equal(norder, 0);
    qarena_free(a);
    assert_int_equal(norder, 2);
    assert_memory_equal(order, "yx", 2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_zeroed_aligned),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_vectors_grow),
        cmocka_unit_test(test_vector_preallocated),
        cmocka_unit_test(test_defer),
        cmocka_unit_test(test_chunk_populated_as_used),
        /* last: it raises malloc's threshold for the process */
        cmocka_unit_test(test_vector_mapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
