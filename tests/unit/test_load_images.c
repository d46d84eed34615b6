/* Images read once, by the loader: from the files beside the report or
 * from a resolver (quorum_doc_load_memory_resolved), held by the
 * document, copied into its layout and embedded from memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_util.h"

#include "doc.h"
#include "test_engine.h"
#define TE test_engine()

/* The fixture's files: a report drawing a PNG, an appendix drawing the PNG
 * again (as ./chart.png) and a JPEG. */
static const char *const FILES[] = {"report.xml", "figures.xml", "chart.png",
                                    "photo.jpg"};
#define NFILES 4

typedef struct served {
    char *bytes[NFILES];
    size_t lens[NFILES];
    int refuse_images; /* ENOENT for the images, serve the appendix */
    char asked[8][64];
    int nasked;
} served;

static int resolve(void *ctx, const char *name, char **data, size_t *len) {
    served *s = ctx;
    if (s->nasked < 8) snprintf(s->asked[s->nasked], 64, "%s", name);
    s->nasked++;
    for (int i = 1; i < NFILES; i++) {
        if (strcmp(FILES[i], name) != 0) continue;
        if (i >= 2 && s->refuse_images) return ENOENT;
        *data = malloc(s->lens[i]);
        assert_non_null(*data);
        memcpy(*data, s->bytes[i], s->lens[i]);
        *len = s->lens[i];
        return 0;
    }
    return -1;
}

static void spill(const char *path, const char *b, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void pdf_of(const quorum_layout *l, unsigned char **b, size_t *n) {
    quorum_diags *d = quorum_diags_new();
    assert_int_equal(quorum_layout_write_pdf_memory(l, NULL, b, n, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_diags_free(d);
}

/* The fixture copied into a fresh directory: its name in dir, the bytes in
 * s.  The files are removed by unspill. */
static void spill_fixture(char *dir, served *s) {
    assert_non_null(mkdtemp(dir));
    const char *src = getenv("QUORUM_SOURCE_DIR");
    for (int i = 0; i < NFILES; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/tests/fixtures/archive-image/%s",
                 src ? src : ".", FILES[i]);
        s->bytes[i] = test_slurp_must(p, &s->lens[i]);
        snprintf(p, sizeof p, "%s/%s", dir, FILES[i]);
        spill(p, s->bytes[i], s->lens[i]);
    }
}

static void unspill(const char *dir) {
    for (int i = 0; i < NFILES; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, FILES[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* A report with images loaded from memory, its appendix and images from
 * the resolver, with no file left on disk: the same PDF bytes as the
 * build from the files; and the layout still writes them once the
 * document is freed (it holds its own copy of the images). */
static void test_resolver_serves_images(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-images-XXXXXX";
    served s = {0};
    spill_fixture(dir, &s);
    char rpath[256];
    snprintf(rpath, sizeof rpath, "%s/report.xml", dir);

    quorum_diags *d = quorum_diags_new();
    quorum_doc *a = quorum_doc_load(TE, rpath, d);
    assert_non_null(a);
    assert_int_equal((int)quorum_doc_check(TE, a, NULL, d), 0);
    quorum_layout *la = quorum_doc_layout(TE, a, NULL, d);
    assert_non_null(la);
    unsigned char *pa, *pb, *pc;
    size_t na, nb, nc;
    pdf_of(la, &pa, &na);
    assert_int_equal((int)a->nimages, 2);
    assert_int_equal(a->images[0].len, s.lens[2]);
    assert_memory_equal(a->images[0].bytes, s.bytes[2], s.lens[2]);
    assert_int_equal(a->images[0].img->type, QIMG_PNG);
    assert_int_equal(a->images[1].img->type, QIMG_JPEG);

    unspill(dir); /* nothing on disk from here on */
    quorum_doc *b = quorum_doc_load_memory_resolved(
        TE, s.bytes[0], s.lens[0], rpath, resolve, &s, d);
    assert_non_null(b);
    /* the appendix, then each image once, in document order */
    assert_int_equal(s.nasked, 3);
    assert_string_equal(s.asked[0], "figures.xml");
    assert_string_equal(s.asked[1], "chart.png");
    assert_string_equal(s.asked[2], "photo.jpg");
    assert_int_equal((int)quorum_doc_check(TE, b, NULL, d), 0);
    assert_int_equal((int)quorum_doc_source_count(b), 4);
    char want[300];
    snprintf(want, sizeof want, "%s/photo.jpg", dir);
    assert_string_equal(quorum_doc_source_path(b, 3), want);
    quorum_layout *lb = quorum_doc_layout(TE, b, NULL, d);
    assert_non_null(lb);
    pdf_of(lb, &pb, &nb);
    assert_int_equal(nb, na);
    assert_memory_equal(pb, pa, na);
    assert_true(memmem(pa, na, "/Subtype /Image", 15) != NULL);

    quorum_doc_free(b);
    quorum_doc_free(a);
    pdf_of(lb, &pc, &nc);
    assert_int_equal(nc, na);
    assert_memory_equal(pc, pa, na);
    assert_int_equal((int)quorum_diags_count(d), 0);

    free(pa);
    free(pb);
    free(pc);
    quorum_layout_free(la);
    quorum_layout_free(lb);
    quorum_diags_free(d);
    for (int i = 0; i < NFILES; i++) free(s.bytes[i]);
}

/* A resolver that cannot supply an image: the load says nothing, the
 * check gives the error at each src that draws it, as for a missing
 * file, and the PDF leaves the image out with a warning. */
static void test_resolver_refuses_image(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-images-XXXXXX";
    served s = {.refuse_images = 1};
    spill_fixture(dir, &s);
    unspill(dir);
    quorum_diags *d = quorum_diags_new();
    quorum_doc *b = quorum_doc_load_memory_resolved(
        TE, s.bytes[0], s.lens[0], "r/report.xml", resolve, &s, d);
    assert_non_null(b);
    assert_int_equal(s.nasked, 3);
    assert_int_equal((int)quorum_diags_count(d), 0);
    assert_int_equal(b->images[0].err, ENOENT);
    assert_null(b->images[0].bytes);
    assert_int_equal((int)quorum_doc_check(TE, b, NULL, d), 3);
    quorum_diags_sort(d);
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_string_equal(q.file, "r/report.xml");
    assert_int_equal(q.line, 17);
    assert_int_equal(q.col, 12);
    assert_string_equal(q.message, "cannot read image 'chart.png'");
    assert_int_equal(q.cls, QUORUM_CLASS_INPUT);
    assert_int_equal(quorum_diags_get(d, 1, &q), 0);
    assert_string_equal(q.file, "r/figures.xml");
    assert_int_equal(q.line, 9);
    assert_int_equal(q.col, 12);
    assert_string_equal(q.message, "cannot read image './chart.png'");
    assert_int_equal(quorum_diags_get(d, 2, &q), 0);
    assert_string_equal(q.message, "cannot read image 'photo.jpg'");

    quorum_diags *dw = quorum_diags_new();
    quorum_layout *l = quorum_doc_layout(TE, b, NULL, dw);
    assert_non_null(l);
    unsigned char *p;
    size_t n;
    assert_int_equal(quorum_layout_write_pdf_memory(l, NULL, &p, &n, dw), QUORUM_OK);
    assert_true(memmem(p, n, "/Subtype /Image", 15) == NULL);
    assert_int_equal((int)quorum_diags_count_severity(dw, QUORUM_WARNING), 3);
    assert_int_equal(quorum_diags_get(dw, 0, &q), 0);
    assert_non_null(strstr(q.message, "r/chart.png is not a readable PNG or JPEG"));
    free(p);
    quorum_layout_free(l);
    quorum_doc_free(b);
    quorum_diags_free(d);
    quorum_diags_free(dw);
    for (int i = 0; i < NFILES; i++) free(s.bytes[i]);
}

/* What a resolver is asked for: src less any leading "./", a
 * subdirectory allowed; never "..", an absolute path or a URL (those are
 * unreadable or refused by the check without asking). */
static void test_resolver_image_names(void **state) {
    (void)state;
    const char *xml =
        "<report xmlns=\"urn:quorum:report:1\" id=\"r\"><section>\n"
        "<image src=\"./a.png\" alt=\"A\"/>\n"
        "<image src=\"a.png\" alt=\"A again\"/>\n"
        "<image src=\"img/b.png\" alt=\"B\"/>\n"
        "<image src=\"../c.png\" alt=\"C\"/>\n"
        "<image src=\"/d.png\" alt=\"D\"/>\n"
        "<image src=\"http://example.org/e.png\" alt=\"E\"/>\n"
        "</section></report>\n";
    served s = {0};
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(
        TE, xml, strlen(xml), "mem.xml", resolve, &s, d);
    assert_non_null(doc);
    assert_int_equal(s.nasked, 2);
    assert_string_equal(s.asked[0], "a.png");
    assert_string_equal(s.asked[1], "img/b.png");
    assert_int_equal((int)doc->nimages, 3);
    assert_int_equal(doc->images[2].err, -1); /* ../c.png: not asked */
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* From files: an image that is a directory cannot be read (the check says
 * so at its src); the file is read once, by the loader. */
static void test_file_images(void **state) {
    (void)state;
    char dir[] = "/tmp/quorum-images-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[300];
    snprintf(p, sizeof p, "%s/sub.png", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    const char *xml =
        "<report xmlns=\"urn:quorum:report:1\" id=\"r\"><section>\n"
        "<image src=\"sub.png\" alt=\"A\"/>\n"
        "</section></report>\n";
    snprintf(p, sizeof p, "%s/r.xml", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, strlen(xml), p, d);
    assert_non_null(doc);
    assert_int_equal((int)doc->nimages, 1);
    assert_int_equal(doc->images[0].err, EISDIR);
    quorum_doc_check(TE, doc, NULL, d);
    quorum_diag q;
    int found = 0;
    for (size_t i = 0; quorum_diags_get(d, i, &q) == 0; i++)
        if (strcmp(q.message, "cannot read image 'sub.png'") == 0 && q.line == 2)
            found = 1;
    assert_true(found);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    snprintf(p, sizeof p, "%s/sub.png", dir);
    rmdir(p);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolver_serves_images),
        cmocka_unit_test(test_resolver_refuses_image),
        cmocka_unit_test(test_resolver_image_names),
        cmocka_unit_test(test_file_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
