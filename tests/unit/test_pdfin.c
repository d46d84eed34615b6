/* src/pdfin: quorum extract's output cap (the engine's extract_bytes):
 * one stream shared by many names, and a small Flate stream that decodes
 * to far more than the cap, are refused with a LIMIT diagnostic before
 * more than the cap is decoded, and nothing is written; within the cap
 * the same files come out.  The PDFs are made here, with a classic xref. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pdfin.h"
#include "quorum.h"

static char tmpdir[] = "/tmp/quorum-test-pdfin-XXXXXX";

/* A PDF being made: its bytes and each object's offset. */
typedef struct raw {
    char *b;
    size_t n, cap;
    size_t off[64];
    int nobj;
} raw;

static void put(raw *r, const void *p, size_t n) {
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2;
        r->b = realloc(r->b, r->cap);
        assert_non_null(r->b);
    }
    memcpy(r->b + r->n, p, n);
    r->n += n;
}

static void putf(raw *r, const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof buf);
    put(r, buf, (size_t)k);
}

/* Object number nobj+1: body, and the stream data when data is not NULL. */
static void obj(raw *r, const char *body, const void *data, size_t len) {
    r->off[++r->nobj] = r->n;
    putf(r, "%d 0 obj\n", r->nobj);
    put(r, body, strlen(body));
    if (data) {
        putf(r, "\nstream\n");
        put(r, data, len);
        putf(r, "\nendstream");
    }
    putf(r, "\nendobj\n");
}

static void finish(raw *r, const char *path) {
    size_t x = r->n;
    putf(r, "xref\n0 %d\n0000000000 65535 f \n", r->nobj + 1);
    for (int i = 1; i <= r->nobj; i++) putf(r, "%010zu 00000 n \n", r->off[i]);
    putf(r, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
         r->nobj + 1, x);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r->b, 1, r->n, f), r->n);
    assert_int_equal(fclose(f), 0);
    free(r->b);
}

/* A PDF whose name tree names the stream (object 4) nnames times. */
static void shared_stream_pdf(const char *path, const void *data, size_t len,
                              const char *filter, int nnames) {
    raw r = {0};
    put(&r, "%PDF-1.7\n", 9);
    obj(&r, "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>", NULL, 0);
    obj(&r, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, 0);
    obj(&r, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>", NULL, 0);
    char dict[256];
    snprintf(dict, sizeof dict, "<< /Length %zu %s >>", len, filter);
    obj(&r, dict, data, len);
    raw names = {0};
    putf(&names, "<< /Names [");
    for (int i = 0; i < nnames; i++)
        putf(&names, "(f%03d.bin) << /Type /Filespec /F (f%03d.bin) /EF << /F 4 0 R >> >>\n",
             i, i);
    putf(&names, "] >>");
    put(&names, "", 1);
    obj(&r, names.b, NULL, 0);
    free(names.b);
    finish(&r, path);
}

static quorum_engine *engine_capped(size_t extract_bytes) {
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.limits.extract_bytes = extract_bytes;
    quorum_engine *e = quorum_engine_new(&o, NULL);
    assert_non_null(e);
    return e;
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void rm_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        char p[4400];
        snprintf(p, sizeof p, "%.4000s/%.255s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* The one error is of class LIMIT and names the limit. */
static void expect_limit(quorum_diags *d, const char *limit) {
    assert_int_equal(quorum_diags_count(d), 1);
    quorum_diag g;
    assert_int_equal(quorum_diags_get(d, 0, &g), 0);
    assert_int_equal(g.cls, QUORUM_CLASS_LIMIT);
    assert_non_null(strstr(g.message, limit));
    assert_non_null(strstr(g.message, "nothing was extracted"));
}

/* 200 names for one 100 KiB stream: 20 MB out of a 100 KiB file. */
static void test_shared_stream_capped(void **state) {
    (void)state;
    size_t len = 100 * 1024;
    unsigned char *data = malloc(len);
    assert_non_null(data);
    for (size_t i = 0; i < len; i++) data[i] = (unsigned char)(i * 7);
    char pdf[4200], dir[4200];
    snprintf(pdf, sizeof pdf, "%s/shared.pdf", tmpdir);
    snprintf(dir, sizeof dir, "%s/shared", tmpdir);
    shared_stream_pdf(pdf, data, len, "", 200);

    quorum_engine *e = engine_capped((size_t)1 << 20);
    quorum_diags *d = quorum_diags_new();
    assert_int_equal(quorum_pdf_extract(e, pdf, dir, d), QUORUM_INVALID_INPUT);
    expect_limit(d, "1 MiB");
    assert_int_equal(count_entries(dir), -1); /* not even the directory */
    quorum_diags_free(d);
    quorum_engine_free(e);

    /* with room for all of them: 200 files of the same bytes */
    e = engine_capped(200 * len);
    d = quorum_diags_new();
    assert_int_equal(quorum_pdf_extract(e, pdf, dir, d), QUORUM_OK);
    assert_int_equal(count_entries(dir), 200);
    rm_dir(dir);
    quorum_diags_free(d);
    quorum_engine_free(e);
    unlink(pdf);
    free(data);
}

/* 256 MiB of zeros in a 256 KB Flate stream: refused at the 1 MiB cap,
 * before the rest is decoded (ASan's memory use would show it). */
static void test_flate_bomb_capped(void **state) {
    (void)state;
    size_t zeros = (size_t)256 << 20;
    z_stream z = {0};
    assert_int_equal(deflateInit(&z, 9), Z_OK);
    size_t cap = deflateBound(&z, (uLong)zeros);
    unsigned char *out = malloc(cap), *in = calloc(1, 1 << 20);
    assert_non_null(out);
    assert_non_null(in);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    for (size_t done = 0; done < zeros; done += 1 << 20) {
        z.next_in = in;
        z.avail_in = 1 << 20;
        assert_int_not_equal(deflate(&z, done + (1 << 20) < zeros ? Z_NO_FLUSH : Z_FINISH),
                             Z_STREAM_ERROR);
    }
    size_t packed = z.total_out;
    deflateEnd(&z);
    char pdf[4200], dir[4200];
    snprintf(pdf, sizeof pdf, "%s/bomb.pdf", tmpdir);
    snprintf(dir, sizeof dir, "%s/bomb", tmpdir);
    shared_stream_pdf(pdf, out, packed, "/Filter /FlateDecode", 1);
    quorum_engine *e = engine_capped((size_t)1 << 20);
    quorum_diags *d = quorum_diags_new();
    assert_int_equal(quorum_pdf_extract(e, pdf, dir, d), QUORUM_INVALID_INPUT);
    expect_limit(d, "1 MiB");
    assert_int_equal(count_entries(dir), -1);
    quorum_diags_free(d);
    quorum_engine_free(e);
    unlink(pdf);
    free(out);
    free(in);
}

/* The adapter alone: the cap is exact (max bytes pass, max - 1 do not). */
static void test_cap_is_exact(void **state) {
    (void)state;
    char pdf[4200];
    snprintf(pdf, sizeof pdf, "%s/exact.pdf", tmpdir);
    shared_stream_pdf(pdf, "0123456789", 10, "", 1);
    FILE *f = fopen(pdf, "rb");
    assert_non_null(f);
    static unsigned char b[1 << 16];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    char why[200];
    qpdfin *q = qpdfin_open(b, n, why, sizeof why);
    assert_non_null(q);
    assert_int_equal(qpdfin_find_files(q, why, sizeof why), 1);
    unsigned char *out, sum[16];
    size_t len;
    int has_sum;
    assert_int_equal(qpdfin_file_data(q, 0, 10, &out, &len, &has_sum, sum, why, sizeof why), 0);
    assert_int_equal(len, 10);
    assert_memory_equal(out, "0123456789", 10);
    assert_int_equal(has_sum, 0);
    free(out);
    assert_int_equal(qpdfin_file_data(q, 0, 9, &out, &len, &has_sum, sum, why, sizeof why), 1);
    assert_null(out);
    qpdfin_close(q);
    unlink(pdf);
}

static int setup(void **state) {
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    return rmdir(tmpdir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_stream_capped),
        cmocka_unit_test(test_flate_bomb_capped),
        cmocka_unit_test(test_cap_is_exact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
