/* Pagination decisions on heights alone: keep-with-next, widows and
 * orphans, forced page breaks, space before at a page top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "layout.h"

static void test_para_keeps(void **state) {
    (void)state;
    unsigned char k[8];
    qpg_para_keeps(1, k);
    assert_int_equal(k[0], 0);
    qpg_para_keeps(2, k);
    assert_int_equal(k[0], 1);
    assert_int_equal(k[1], 0);
    qpg_para_keeps(3, k);            /* 3 lines move whole */
    assert_int_equal(k[0], 1);
    assert_int_equal(k[1], 1);
    assert_int_equal(k[2], 0);
    qpg_para_keeps(5, k);            /* break allowed only after line 2 or 3 */
    unsigned char want[5] = {1, 0, 0, 1, 0};
    assert_memory_equal(k, want, 5);
}

/* boxes: a filler of height fill, then an n-line paragraph of 10 pt lines */
static size_t para_after_filler(qpbox *b, float fill, size_t n) {
    memset(b, 0, sizeof *b * (n + 1));
    b[0].h = fill;
    unsigned char k[32];
    qpg_para_keeps(n, k);
    for (size_t i = 0; i < n; i++) {
        b[i + 1].h = 10;
        b[i + 1].flags = k[i] ? QPB_KEEP : 0;
    }
    return n + 1;
}

static void test_orphan(void **state) {
    (void)state;
    qpbox b[8];
    /* room for exactly one line: the first line must not stay alone */
    size_t n = para_after_filler(b, 90, 5);
    assert_int_equal(qpaginate(b, n, 100, NULL, NULL), 2);
    for (size_t i = 1; i < n; i++) assert_int_equal(b[i].page, 1);
    assert_float_equal(b[1].y, 0, 1e-6);
    /* room for two lines: they stay, the rest follows */
    n = para_after_filler(b, 80, 5);
    assert_int_equal(qpaginate(b, n, 100, NULL, NULL), 2);
    assert_int_equal(b[1].page, 0);
    assert_int_equal(b[2].page, 0);
    assert_int_equal(b[3].page, 1);
}

static void test_widow(void **state) {
    (void)state;
    qpbox b[8];
    /* room for four of five lines: the last may not go alone, so lines
     * 4 and 5 move together */
    size_t n = para_after_filler(b, 60, 5);
    assert_int_equal(qpaginate(b, n, 100, NULL, NULL), 2);
    assert_int_equal(b[3].page, 0);
    assert_int_equal(b[4].page, 1);
    assert_int_equal(b[5].page, 1);
    /* a three-line paragraph with room for two moves whole */
    n = para_after_filler(b, 80, 3);
    qpaginate(b, n, 100, NULL, NULL);
    for (size_t i = 1; i < n; i++) assert_int_equal(b[i].page, 1);
    /* and stays when it fits exactly */
    n = para_after_filler(b, 70, 3);
    assert_int_equal(qpaginate(b, n, 100, NULL, NULL), 1);
}

static void test_heading_keeps_with_next(void **state) {
    (void)state;
    qpbox b[8];
    memset(b, 0, sizeof b);
    b[0].h = 70;                                   /* filler */
    b[1].h = 16; b[1].before = 4; b[1].flags = QPB_KEEP;   /* heading */
    unsigned char k[4];
    qpg_para_keeps(4, k);
    for (int i = 0; i < 4; i++) { b[2 + i].h = 10; b[2 + i].flags = k[i] ? QPB_KEEP : 0; }
    /* heading + 1 line fits (70+4+16+10 = 100), heading + 2 lines does
     * not: the heading moves with the paragraph */
    assert_int_equal(qpaginate(b, 6, 100, NULL, NULL), 2);
    assert_int_equal(b[1].page, 1);
    assert_float_equal(b[1].y, 0, 1e-6);   /* space before dropped at the top */
    assert_int_equal(b[2].page, 1);
    /* with room for heading + 2 lines it stays, and the last two lines
     * move on together */
    b[0].h = 60;
    assert_int_equal(qpaginate(b, 6, 100, NULL, NULL), 2);
    assert_int_equal(b[1].page, 0);
    assert_float_equal(b[1].y, 64, 1e-4);
    assert_int_equal(b[3].page, 0);
    assert_int_equal(b[4].page, 1);
    assert_int_equal(b[5].page, 1);
}

static void test_page_break_and_tall_chain(void **state) {
    (void)state;
    qpbox b[40];
    memset(b, 0, sizeof b);
    b[0].h = 10;
    b[1].h = 10; b[1].flags = QPB_PAGE;
    b[2].h = 10; b[2].flags = QPB_PAGE;   /* already at a page top: no blank page */
    assert_int_equal(qpaginate(b, 2, 100, NULL, NULL), 2);
    assert_int_equal(b[1].page, 1);
    memset(b, 0, sizeof b);
    b[0].h = 10;
    b[1].h = 10; b[1].flags = QPB_PAGE;
    assert_int_equal(qpaginate(b, 2, 100, NULL, NULL), 2);
    /* a chain taller than a page breaks where it must, never overflows */
    memset(b, 0, sizeof b);
    for (int i = 0; i < 40; i++) { b[i].h = 10; b[i].flags = QPB_KEEP; }
    b[39].flags = 0;
    int pages = qpaginate(b, 40, 100, NULL, NULL);
    assert_int_equal(pages, 4);
    for (int i = 0; i < 40; i++) assert_true(b[i].y + b[i].h <= 100 + 1e-4);
}

static int split_calls;
static void fake_split(void *ctx, size_t box, int *page, float *y, float body_h) {
    (void)ctx; (void)body_h;
    split_calls++;
    assert_int_equal(box, 1);
    *page += 1;     /* the table runs onto the next page ... */
    *y = 30;        /* ... and ends 30 pt down */
}

static void test_split_box(void **state) {
    (void)state;
    qpbox b[3];
    memset(b, 0, sizeof b);
    b[0].h = 50;
    b[1].h = 20; b[1].flags = QPB_SPLIT; b[1].before = 5;
    b[2].h = 10; b[2].before = 5;
    split_calls = 0;
    assert_int_equal(qpaginate(b, 3, 100, fake_split, NULL), 2);
    assert_int_equal(split_calls, 1);
    assert_int_equal(b[1].page, 0);
    assert_float_equal(b[1].y, 55, 1e-4);
    assert_int_equal(b[2].page, 1);
    assert_float_equal(b[2].y, 35, 1e-4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_para_keeps),
        cmocka_unit_test(test_orphan),
        cmocka_unit_test(test_widow),
        cmocka_unit_test(test_heading_keeps_with_next),
        cmocka_unit_test(test_page_break_and_tall_chain),
        cmocka_unit_test(test_split_box),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
