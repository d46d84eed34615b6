/* The deflate worker's compressors (hpdf_deflate.c): a compressor is some
 * 300 KB of tables, every page of them a fault when first written, so a
 * PDF write makes one, not one a level and thread.  Its own process (its
 * own test program), so the blocks counted are this file's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pdf.h"
#include "quorum.h"
#include "test_engine.h"

typedef struct out {
    unsigned char *p;
    size_t n;
} out;

static int to_out(void *ctx, const void *data, size_t len) {
    out *o = ctx;
    o->p = realloc(o->p, o->n + len);
    if (!o->p) return 1;
    memcpy(o->p + o->n, data, len);
    o->n += len;
    return 0;
}

static void write_pdf(const quorum_layout *l, int archive, int threads, out *o) {
    quorum_diags *d = quorum_diags_new();
    quorum_pdf_options opt = {archive, NULL, 0, 0, threads};
    memset(o, 0, sizeof *o);
    assert_int_equal(quorum_layout_write_pdf_sink(l, to_out, o, &opt, d), QUORUM_OK);
    assert_true(o->n > 1000);
    quorum_diags_free(d);
}

/* The sample report, plain (page content and fonts at level 3, object
 * and cross-reference streams at level 6): one block for the whole write
 * on two threads (it was three: the worker's two levels and the caller's
 * level 6), and later writes, on one thread or two, take it again.  The
 * bytes are the same every time. */
static void test_one_compressor_a_write(void **state) {
    (void)state;
    const quorum_engine *e = test_engine();
    quorum_diags *d = quorum_diags_new();
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/report.xml",
             getenv("QUORUM_SOURCE_DIR"));
    quorum_doc *doc = quorum_doc_load(e, path, d);
    assert_non_null(doc);
    quorum_layout *l = quorum_doc_layout(e, doc, NULL, d);
    assert_non_null(l);
    assert_int_equal((int)qpdf_deflate_blocks(), 0);
    out first, again;
    write_pdf(l, 0, 2, &first);
    assert_int_equal((int)qpdf_deflate_blocks(), 1);
    for (int threads = 1; threads <= 2; threads++) {
        write_pdf(l, 0, threads, &again);
        assert_int_equal((int)qpdf_deflate_blocks(), 1);
        assert_int_equal(again.n, first.n);
        assert_memory_equal(again.p, first.p, first.n);
        free(again.p);
    }
    /* a PDF/A-1 copy (no object streams: level 3 only) the same */
    write_pdf(l, 1, 2, &again);
    assert_int_equal((int)qpdf_deflate_blocks(), 1);
    free(again.p);
    free(first.p);
    quorum_layout_free(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_compressor_a_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
