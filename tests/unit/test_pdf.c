/* The PDF device: a hand-made display list written to a temporary
 * directory; failure paths leave old files and no temporary files; our
 * TrueType widths agree with libharu's for the characters reports use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"
#include "test_inflate.h"

#include <dirent.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"
#include "dlist.h"
#include "font.h"
#include "pdf.h"
#include "quorum.h"
#include "style.h"
#include "test_engine.h"

extern const unsigned char qsrgb_icc[];
extern const size_t qsrgb_icc_len;

/* Every non-ASCII character of the seed reports (£ – ’ “ ”), what layout
 * adds (• é and friends), and printable ASCII. */
static const char seed_chars[] =
    "\xC2\xA3\xE2\x80\x93\xE2\x80\x99\xE2\x80\x9C\xE2\x80\x9D"
    "\xE2\x80\xA2\xC3\xA9\xE2\x80\x98\xE2\x80\x94\xE2\x80\xA6\xC2\xA0"
    "\xC2\xB0\xC3\xA8\xC3\xB4\xC2\xBD"
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

static char font_dir[4096];
static char tmpdir[] = "/tmp/quorum-test-pdf-XXXXXX";

static int setup(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(font_dir, sizeof font_dir, "%s/fonts", src ? src : ".");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *e;
        char p[8192];
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            if (unlink(p) != 0) rmdir(p);
        }
        closedir(d);
    }
    rmdir(tmpdir);
    return 0;
}

static void add_text(qdlist *dl, qdl_page *pg, qfont_face face, float x,
                     float y, const char *s) {
    qfont *f = qfonts_face(dl->fonts, face, NULL);
    assert_non_null(f);
    f->used = 1;
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, 0);
    it->x = x;
    it->y = y;
    it->face = (unsigned char)face;
    it->size = 11;
    it->text = s;
    it->len = (unsigned)strlen(s);
}

/* Two pages: text in two faces, a fill, a rule, links both ways, two
 * bookmark levels. */
static qdlist *sample(const char *fonts) {
    qdlist *dl = qdlist_new(test_fonts(fonts));
    dl->title = "Test \xE2\x80\x93 report";
    dl->author = "Clerk";
    int anchor = qdlist_add_anchor(dl);
    for (int p = 0; p < 2; p++) {
        qdl_page *pg = qdlist_add_page(dl, 595.28f, 841.89f);
        qdl_item *it = qdlist_add_item(dl, pg, QDL_FILL, -1);
        it->x = 50; it->y = 50; it->w = 100; it->h = 20; it->color = 0xDDDDDD;
        add_text(dl, pg, QF_BOLD, 56, 100, "Heading \xE2\x80\x9C" "one\xE2\x80\x9D");
        it = qdlist_add_item(dl, pg, QDL_RULE, -1);
        it->x = 56; it->y = 110; it->w = 400; it->h = 0; it->size = 1;
        add_text(dl, pg, QF_REGULAR, 56, 130, seed_chars);
        it = qdlist_add_item(dl, pg, QDL_LINK, 0);
        it->x = 56; it->y = 120; it->w = 100; it->h = 12;
        if (p == 0) it->dest = anchor;
        else it->text = "https://example.org/";
    }
    QVEC_AT(&dl->anchors, qdl_anchor, anchor).page = 1;
    QVEC_AT(&dl->anchors, qdl_anchor, anchor).y = 90;
    qdlist_add_outline(dl, "One", 1, 0, 90);
    qdlist_add_outline(dl, "One \xE2\x80\x93 a", 2, 0, 120);
    qdlist_add_outline(dl, "Two", 1, 1, 90);
    return dl;
}

typedef struct tpath { char s[4096]; } tpath;

static tpath path_in_tmp(const char *name) {
    tpath p;
    snprintf(p.s, sizeof p.s, "%s/%s", tmpdir, name);
    return p;
}

/* Entries in tmpdir other than `except` (temporary files left behind). */
static int stray_files(const char *except1, const char *except2) {
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (except1 && strcmp(e->d_name, except1) == 0) continue;
        if (except2 && strcmp(e->d_name, except2) == 0) continue;
        print_message("stray file: %s\n", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static int count_raw(const char *hay, size_t n, const char *needle) {
    size_t k = strlen(needle);
    int c = 0;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0) c++;
    return c;
}

static const char *mem_at(const char *p, const char *end, const char *needle) {
    size_t k = strlen(needle);
    for (; p + k <= end; p++)
        if (memcmp(p, needle, k) == 0) return p;
    return NULL;
}

/* needle in the file's bytes and in its object streams, inflated: the
 * objects a test looks for are wherever the writer put them. */
static int count_bytes(const char *hay, size_t n, const char *needle) {
    int c = count_raw(hay, n, needle);
    static const char tag[] = "/Type /ObjStm";
    const char *end = hay + n;
    for (const char *p = hay; (p = mem_at(p, end, tag));) {
        const char *len = mem_at(p, end, "/Length ");
        const char *data = mem_at(p, end, "stream\r\n");
        assert_non_null(len);
        assert_non_null(data);
        data += 8;
        uLong zn = strtoul(len + 8, NULL, 10);
        uLongf out = 4 << 20;
        char *buf = malloc(out);
        assert_non_null(buf);
        assert_int_equal(uncompress((Bytef *)buf, &out, (const Bytef *)data, zn), Z_OK);
        c += count_raw(buf, out, needle);
        free(buf);
        p = data + zn;
    }
    return c;
}
#define has_bytes(h, n, s) (count_bytes(h, n, s) > 0)

static void test_writes_pdf(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out_p = path_in_tmp("ok.pdf");
    const char *out = out_p.s;
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    size_t n;
    char *b = test_slurp(out, &n);
    assert_non_null(b);
    assert_true(n > 1000);
    assert_memory_equal(b, "%PDF-", 5);
    /* no /ProcSet (obsolete since PDF 1.4) in the page resources */
    assert_int_equal(count_bytes(b, n, "/ProcSet ["), 0);
    /* outline titles PDFDocEncoding holds as its bytes, not UTF-16 (the
     * en dash is its 0x85, which libharu writes in octal) */
    assert_true(has_bytes(b, n, "/Title (One)"));
    assert_true(has_bytes(b, n, "/Title (One \\205 a)"));
    /* Catalog entries are not compressed: check them in the bytes. */
    assert_true(has_bytes(b, n, "/Lang (en-GB)"));
    assert_true(has_bytes(b, n, "/DisplayDocTitle true"));
    assert_true(has_bytes(b, n, "/PageMode /UseOutlines"));
    assert_false(has_bytes(b, n, "CreationDate"));
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);

    /* Replacing keeps the old file's permissions. */
    assert_int_equal(chmod(out, 0640), 0);
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_OK);
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);

    /* Same input, same bytes. */
    tpath again_p = path_in_tmp("again.pdf");
    const char *again = again_p.s;
    assert_int_equal(quorum_layout_write_pdf(&l, again, d), QUORUM_OK);
    size_t n2;
    char *b2 = test_slurp(again, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(b, b2, n);
    free(b2);
    unlink(again);
    assert_int_equal(stray_files("ok.pdf", NULL), 0);
    free(b);
    unlink(out);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_creation_date(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out_p = path_in_tmp("dated.pdf");
    const char *out = out_p.s;
    dl->creation_date = "2025-03-05";
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_OK);
    size_t n;
    char *b = test_slurp(out, &n);
    assert_true(has_bytes(b, n, "/CreationDate (D:20250305000000)"));
    free(b);
    dl->creation_date = "2025-02-30";
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_WARNING), 1);
    b = test_slurp(out, &n);
    assert_false(has_bytes(b, n, "CreationDate"));
    free(b);
    unlink(out);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_invalid_utf8_warns(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    qdl_page *pg = qdlist_add_page(dl, 200, 200);
    add_text(dl, pg, QF_REGULAR, 10, 50, "A\xE9" "B \xF0\x9F\x98\x80");
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out_p = path_in_tmp("utf8.pdf");
    const char *out = out_p.s;
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_OK);
    /* one warning for the bad byte, one for the emoji */
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_WARNING), 2);
    unlink(out);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static const char png_2x2[] =
    "\x89\x50\x4E\x47\x0D\x0A\x1A\x0A\x00\x00\x00\x0D\x49\x48\x44\x52"
    "\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xFD\xD4\x9A"
    "\x73\x00\x00\x00\x12\x49\x44\x41\x54\x78\x9C\x63\xF8\xCF\x00\x04"
    "\xFF\x41\xE8\xFF\xFF\xFF\x00\x1F\xEE\x05\xFB\x6D\xDC\xCE\xAD\x00"
    "\x00\x00\x00\x49\x45\x4E\x44\xAE\x42\x60\x82";

static void put_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* An image item drawing bytes[0..n) as the loader would have decoded
 * them (NULL when they are no image: the check said so). */
static void add_image(qdlist *dl, qdl_page *pg, const char *name,
                      const char *bytes, size_t n, float y) {
    qdl_item *it = qdlist_add_item(dl, pg, QDL_IMAGE, 0);
    it->x = 10; it->y = y; it->w = 20; it->h = 20;
    it->text = qarena_strdup(dl->arena, name);
    qimg_error e;
    qimage *im = bytes ? qimage_decode((const unsigned char *)bytes, n, 0, &e) : NULL;
    it->dest = qdlist_add_image(dl, name, im);
    qimage_unref(im); /* the display list holds its own */
}

/* A good PNG is placed (once, however often it is used); images that
 * could not be decoded cost a warning each, not the document. */
static void test_images(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    qdl_page *pg = qdlist_add_page(dl, 200, 200);
    add_text(dl, pg, QF_REGULAR, 10, 20, "Images");
    add_image(dl, pg, "good.png", png_2x2, sizeof png_2x2 - 1, 30);
    add_image(dl, pg, "text.png", "not an image", 12, 60);
    add_image(dl, pg, "cut.png", png_2x2, 40, 90);
    add_image(dl, pg, "none.png", NULL, 0, 120);
    add_image(dl, pg, "good.png", png_2x2, sizeof png_2x2 - 1, 150);
    add_image(dl, pg, "cut.png", png_2x2, 40, 170);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("images.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, out.s, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_WARNING), 3);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    size_t n;
    char *b = test_slurp(out.s, &n);
    assert_int_equal(count_bytes(b, n, "/Subtype /Image"), 1);
    assert_true(has_bytes(b, n, "/Width 2"));
    free(b);
    unlink(out.s);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_missing_directory_fails(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out_p = path_in_tmp("no-such-dir/out.pdf");
    const char *out = out_p.s;
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_IO_ERROR);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_null(q.file);
    assert_int_equal(q.line, 0);
    assert_non_null(strstr(q.message, "cannot write"));
    assert_non_null(strstr(q.message, "No such file or directory"));
    assert_int_equal(stray_files(NULL, NULL), 0);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_no_pages_fails(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("empty.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, out.s, d), QUORUM_IO_ERROR);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    assert_int_equal(access(out.s, F_OK), -1);
    qdlist_free(dl);
    quorum_diags_free(d);
}

/* The target is a directory: refused before anything is written (the
 * rename would fail only after the whole file was made), as a usage
 * error; no temporary file is left.  (A rename that fails is
 * unit_test_atomic's.) */
static void test_failed_rename_leaves_no_temp(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out_p = path_in_tmp("adir");
    const char *out = out_p.s;
    assert_int_equal(mkdir(out, 0755), 0);
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_USAGE);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    assert_int_equal(quorum_diags_status(d), QUORUM_USAGE);
    assert_int_equal(stray_files("adir", NULL), 0);
    rmdir(out);
    qdlist_free(dl);
    quorum_diags_free(d);
}

/* A font that cannot be read: error, and the previous file is intact. */
static void test_existing_target_survives(void **state) {
    (void)state;
    tpath out_p = path_in_tmp("keep.pdf");
    const char *out = out_p.s;
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    fputs("previous contents", f);
    assert_int_equal(fclose(f), 0);

    qdlist *dl = sample(font_dir);
    quorum_diags *d = quorum_diags_new();
    qfonts_set_path(dl->fonts, QF_BOLD_ITALIC, "/nonexistent/font.ttf");
    qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, 1);
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, 0);
    it->x = 10; it->y = 300; it->size = 10; it->face = QF_BOLD_ITALIC;
    it->text = "x"; it->len = 1;
    quorum_layout l = {dl};
    assert_int_equal(quorum_layout_write_pdf(&l, out, d), QUORUM_IO_ERROR);
    assert_true(quorum_diags_count_severity(d, QUORUM_ERROR) >= 1);
    size_t n;
    char *b = test_slurp(out, &n);
    assert_string_equal(b, "previous contents");
    free(b);
    assert_int_equal(stray_files("keep.pdf", NULL), 0);
    unlink(out);
    qdlist_free(dl);
    quorum_diags_free(d);
}

/* Layout measures with our own TrueType reader; the PDF viewer advances by
 * the widths libharu writes.  They must agree for every character used. */
static void test_widths_match_libharu(void **state) {
    (void)state;
    static const qfont_face faces[] = {QF_REGULAR, QF_BOLD, QF_ITALIC,
                                       QF_BOLD_ITALIC};
    qfonts *fonts = test_fonts(font_dir);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_UseUTFEncodings(pdf);
    for (size_t k = 0; k < sizeof faces / sizeof faces[0]; k++) {
        qfont *f = qfonts_face(fonts, faces[k], NULL);
        assert_non_null(f);
        const char *name = HPDF_LoadTTFontFromFile(pdf, f->path, HPDF_TRUE);
        assert_non_null(name);
        HPDF_Font hf = HPDF_GetFont(pdf, name, "UTF-8");
        assert_non_null(hf);
        size_t len = strlen(seed_chars);
        int checked = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            int n = qutf8_decode(seed_chars + i, len - i, &cp);
            assert_true(n > 0);
            i += (size_t)n;
            HPDF_INT lw = HPDF_Font_GetUnicodeWidth(hf, (HPDF_UNICODE)cp);
            if (lw != qfont_cp_width(f, cp))
                fail_msg("face %d U+%04X: qfont %d, libharu %d", (int)faces[k],
                         (unsigned)cp, qfont_cp_width(f, cp), (int)lw);
            assert_true(qfont_has(f, cp));
            checked++;
        }
        assert_true(checked > 100);
    }
    HPDF_Free(pdf);
    qfonts_free(fonts);
}

/* ---- archive copies ------------------------------------------------------ */

static void write_file_bytes(const char *path, const char *s, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Removes dir's files and dir itself (extract makes one level). */
static void rm_tree_files(const char *dir) {
    DIR *dd = opendir(dir);
    if (!dd) return;
    struct dirent *e;
    char p[8192];
    while ((e = readdir(dd))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(dd);
    rmdir(dir);
}

static void test_md5(void **state) {
    (void)state;
    /* RFC 1321's test suite, plus a message across block boundaries. */
    static const struct { const char *in, *hex; } v[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        unsigned char out[16];
        char hex[33];
        qmd5(v[i].in, strlen(v[i].in), out);
        for (int k = 0; k < 16; k++) snprintf(hex + 2 * k, 3, "%02x", out[k]);
        assert_string_equal(hex, v[i].hex);
    }
    /* Fed in pieces: same digest. */
    const char *m = v[4].in;
    qmd5_ctx c;
    unsigned char a[16], b[16];
    qmd5_init(&c);
    for (size_t i = 0; i < strlen(m); i += 7)
        qmd5_update(&c, m + i, strlen(m) - i < 7 ? strlen(m) - i : 7);
    qmd5_final(&c, a);
    qmd5(m, strlen(m), b);
    assert_memory_equal(a, b, 16);
}

/* The compiled-in profile is src/pdf/icc/sRGB.icc, byte for byte. */
static void test_srgb_profile(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char p[4096];
    snprintf(p, sizeof p, "%s/src/pdf/icc/sRGB.icc", src ? src : ".");
    size_t n;
    char *b = test_slurp(p, &n);
    assert_non_null(b);
    assert_int_equal(n, qsrgb_icc_len);
    assert_memory_equal(b, qsrgb_icc, n);
    assert_memory_equal(b + 36, "acsp", 4);
    assert_memory_equal(b + 16, "RGB ", 4);
    free(b);
}

static void test_safe_names(void **state) {
    (void)state;
    assert_true(qpdf_safe_name("report.xml"));
    assert_true(qpdf_safe_name("caf\xC3\xA9 appendix.xml"));
    assert_true(qpdf_safe_name("..hidden"));
    assert_false(qpdf_safe_name(""));
    assert_false(qpdf_safe_name("."));
    assert_false(qpdf_safe_name(".."));
    assert_false(qpdf_safe_name("../x.xml"));
    assert_false(qpdf_safe_name("/etc/passwd"));
    assert_false(qpdf_safe_name("a/b.xml"));
    assert_false(qpdf_safe_name("a\\b.xml"));
    assert_false(qpdf_safe_name("a\nb"));
    assert_false(qpdf_safe_name("bad\xE9.xml"));
}

/* Paths of plain names below extract's directory: an item's folder. */
static void test_safe_paths(void **state) {
    (void)state;
    assert_true(qpdf_safe_path("report.xml"));
    assert_true(qpdf_safe_path("a/appendix-1.xml"));
    assert_true(qpdf_safe_path("items/7/caf\xC3\xA9.xml"));
    assert_false(qpdf_safe_path(""));
    assert_false(qpdf_safe_path("/etc/passwd"));
    assert_false(qpdf_safe_path("a/../../x.xml"));
    assert_false(qpdf_safe_path("../x.xml"));
    assert_false(qpdf_safe_path("a/./x.xml"));
    assert_false(qpdf_safe_path("a//x.xml"));
    assert_false(qpdf_safe_path("a/"));
    assert_false(qpdf_safe_path("a\\x.xml"));
    assert_false(qpdf_safe_path("a/b\nc"));
    char deep[2 * QPDF_MAX_PATH_PARTS + 8] = "";
    for (int i = 0; i <= QPDF_MAX_PATH_PARTS; i++) strcat(deep, i ? "/a" : "a");
    assert_false(qpdf_safe_path(deep)); /* one part too many */
    char part[300];
    memset(part, 'x', 299);
    part[299] = '\0';
    assert_false(qpdf_safe_path(part));
}

/* The document ID is the MD5 of the file with the placeholder in place,
 * and only the last two placeholders (the trailer's) are replaced. */
static void test_fill_id(void **state) {
    (void)state;
    const char *ph = "<71756F72756D2D69642D70656E642121>";
    char buf[400];
    int n = snprintf(buf, sizeof buf, "%%PDF-1.4\nstream %s endstream\n"
                     "trailer\n<<\n/ID [ %s %s ]\n>>\n%%%%EOF\n", ph, ph, ph);
    unsigned char sum[16];
    qmd5(buf, (size_t)n, sum);
    char want[33];
    for (int k = 0; k < 16; k++) snprintf(want + 2 * k, 3, "%02X", sum[k]);
    assert_int_equal(qhpdf_fill_id((unsigned char *)buf, (size_t)n), 0);
    assert_int_equal(count_bytes(buf, (size_t)n, ph), 1);
    assert_int_equal(count_bytes(buf, (size_t)n, want), 2);
    assert_int_equal(qhpdf_fill_id((unsigned char *)buf, (size_t)n), -1);
}

static char *archive_bytes(qdlist *dl, const quorum_pdf_options *o,
                           const char *name, size_t *n, quorum_diags *d) {
    quorum_layout l = {dl};
    tpath p = path_in_tmp(name);
    assert_int_equal(quorum_layout_write_pdf_opts(&l, p.s, o, d), QUORUM_OK);
    char *b = test_slurp(p.s, n);
    assert_non_null(b);
    unlink(p.s);
    return b;
}

/* ---- fonts set up for the code points drawn ------------------------------ */

/* Prints, for each Type0 font, "maplen NAME BYTES" and for each code in
 * argv[2:] "code NAME CODE GID WIDTH GLYPH": its CIDToGIDMap entry, its
 * /W width (or /DW) and whether the embedded subset holds an outline for
 * that glyph (a non-empty glyf entry, found through loca). */
static const char font_probe_py[] =
    "import sys, struct, pikepdf\n"
    "pdf = pikepdf.open(sys.argv[1])\n"
    "codes = [int(c, 16) for c in sys.argv[2:]]\n"
    "for o in pdf.objects:\n"
    "    if not isinstance(o, pikepdf.Dictionary) or o.get('/Subtype') != '/Type0':\n"
    "        continue\n"
    "    d = o.DescendantFonts[0]\n"
    "    name = str(o.BaseFont).split('+')[-1]\n"
    "    m = d.CIDToGIDMap.read_bytes()\n"
    "    ws = {}\n"
    "    W = d.get('/W') or []\n"
    "    for i in range(0, len(W), 2):\n"
    "        for k, w in enumerate(W[i + 1]):\n"
    "            ws[int(W[i]) + k] = int(w)\n"
    "    f = d.FontDescriptor.FontFile2.read_bytes()\n"
    "    tabs = {}\n"
    "    for i in range(struct.unpack('>H', f[4:6])[0]):\n"
    "        tag, _, off, ln = struct.unpack('>4sIII', f[12 + 16 * i:28 + 16 * i])\n"
    "        tabs[tag] = off\n"
    "    longloca = struct.unpack('>h', f[tabs[b'head'] + 50:tabs[b'head'] + 52])[0]\n"
    "    def loca(g):\n"
    "        p = tabs[b'loca']\n"
    "        if longloca:\n"
    "            return struct.unpack('>I', f[p + 4 * g:p + 4 * g + 4])[0]\n"
    "        return 2 * struct.unpack('>H', f[p + 2 * g:p + 2 * g + 2])[0]\n"
    "    nhm = struct.unpack('>H', f[tabs[b'hhea'] + 34:tabs[b'hhea'] + 36])[0]\n"
    "    def adv(g):\n"
    "        p = tabs[b'hmtx'] + 4 * min(g, nhm - 1)\n"
    "        return struct.unpack('>H', f[p:p + 2])[0]\n"
    "    print('maplen', name, len(m))\n"
    "    print('advances', name, sum(1 for g in range(nhm) if adv(g)))\n"
    "    for c in codes:\n"
    "        g = int.from_bytes(m[2 * c:2 * c + 2], 'big') if 2 * c + 2 <= len(m) else 0\n"
    "        print('code', name, '%04X' % c, g, ws.get(c, int(d.DW)),\n"
    "              int(loca(g + 1) > loca(g)), adv(g))\n";

typedef struct probe_row {
    char name[64];
    unsigned code;
    int gid, width, glyph, advance;
} probe_row;

/* Runs the probe; fills rows (up to max) and the two map lengths. */
static int run_probe(const char *pdf, const char *codes, probe_row *rows,
                     int max, char names[2][64], long maplen[2],
                     long advances[2]) {
    tpath script = path_in_tmp("probe.py");
    write_file_bytes(script.s, font_probe_py, sizeof font_probe_py - 1);
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s %s", script.s, pdf, codes);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256];
    int n = 0, nf = 0;
    while (fgets(line, sizeof line, p)) {
        probe_row r;
        long len;
        if (sscanf(line, "maplen %63s %ld", r.name, &len) == 2 && nf < 2) {
            snprintf(names[nf], 64, "%s", r.name);
            maplen[nf++] = len;
        } else if (sscanf(line, "advances %63s %ld", r.name, &len) == 2 && nf > 0) {
            advances[nf - 1] = len;
        } else if (sscanf(line, "code %63s %x %d %d %d %d", r.name, &r.code,
                          &r.gid, &r.width, &r.glyph, &r.advance) == 6 && n < max) {
            rows[n++] = r;
        }
    }
    assert_int_equal(pclose(p), 0);
    unlink(script.s);
    assert_int_equal(nf, 2);
    return n;
}

/* The glyph libharu's full cmap gives (the slow, unmodified path). */
static int real_gid(HPDF_Doc pdf, const char *path, unsigned code) {
    const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
    assert_non_null(name);
    HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
    assert_non_null(def);
    return HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)code);
}

/* Each font's /W and CIDToGIDMap cover the code points drawn with it,
 * over all faces sharing its file (body and heading regular here): those
 * map to the glyphs libharu's own cmap lookup gives, with the right
 * widths, and are in the subset; everything else maps to glyph 0 and the
 * map ends at the last code drawn.  Invalid UTF-8 ('?'), a character the font lacks (U+4E00)
 * and one above U+FFFF ('?') take the cleaned path. */
static void test_fonts_narrowed_to_codes(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    qdl_page *pg = qdlist_add_page(dl, 300, 300);
    add_text(dl, pg, QF_REGULAR, 10, 50, "Hello \xE2\x80\x93 A\xE9");
    add_text(dl, pg, QF_HEAD_REGULAR, 10, 80,
             "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xE4\xB8\x80\xF0\x9F\x98\x80");
    add_text(dl, pg, QF_BOLD, 10, 110, "Zz");
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("narrow.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, out.s, d), QUORUM_OK);

    probe_row rows[32];
    char names[2][64];
    long maplen[2], advances[2] = {-1, -1};
    int n = run_probe(out.s, "48 65 6C 6F 20 2013 41 3F E9 74 20AC 4E00 78 5A 7A",
                      rows, 32, names, maplen, advances);
    assert_int_equal(n, 2 * 15);
    qfont *reg = qfonts_face(dl->fonts, QF_REGULAR, NULL);
    qfont *bold = qfonts_face(dl->fonts, QF_BOLD, NULL);
    assert_string_equal(qfonts_face(dl->fonts, QF_HEAD_REGULAR, NULL)->path,
                        reg->path);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    static const char reg_drawn[] = "Helo \xE2\x80\x93" "A?\xC3\xA9t\xE2\x82\xAC";
    for (int i = 0; i < n; i++) {
        probe_row *r = &rows[i];
        int is_bold = strstr(r->name, "Bold") != NULL;
        qfont *f = is_bold ? bold : reg;
        int drawn = 0;
        if (is_bold) {
            /* only what is drawn: no code is announced up front */
            drawn = r->code == 'Z' || r->code == 'z';
        } else {
            for (size_t k = 0; reg_drawn[k];) {
                uint32_t cp;
                int m = qutf8_decode(reg_drawn + k, strlen(reg_drawn + k), &cp);
                k += (size_t)m;
                if (cp == r->code) drawn = 1;
            }
        }
        int want = drawn ? real_gid(pdf, f->path, r->code) : 0;
        if (r->gid != want)
            fail_msg("%s U+%04X: glyph %d, want %d", r->name, r->code, r->gid,
                     want);
        if (drawn) {
            assert_true(want > 0);
            assert_int_equal(r->width, qfont_cp_width(f, r->code));
            if (r->code != ' ') assert_int_equal(r->glyph, 1);
            assert_true(r->advance > 0); /* a kept glyph keeps its metrics */
        }
    }
    /* The other glyphs' metrics are zeros: a handful of advances left
     * (glyph 0, those drawn, the last long metric), not the whole font's. */
    for (int k = 0; k < 2; k++) {
        assert_true(advances[k] > 0);
        assert_true(advances[k] <= 16);
    }
    HPDF_Free(pdf);
    for (int k = 0; k < 2; k++)
        assert_int_equal(maplen[k], strstr(names[k], "Bold")
                                        ? 2 * ('z' + 1) : 2 * (0x20AC + 1));
    /* And the text reads back. */
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "pdftotext %s -", out.s);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char text[1024];
    size_t len = fread(text, 1, sizeof text - 1, p);
    text[len] = 0;
    assert_int_equal(pclose(p), 0);
    assert_non_null(strstr(text, "Hello \xE2\x80\x93 A?"));
    assert_non_null(strstr(text, "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC"));
    assert_non_null(strstr(text, "Zz"));
    unlink(out.s);
    qdlist_free(dl);
    quorum_diags_free(d);
}

/* A PDF reads of its font files the tables its subsets copy and the
 * glyphs they keep, not the whole files: laying out reads nothing past
 * measuring, and the subset of a few glyphs is a small part of the font
 * (it read all 410 KB of LiberationSans-Regular, outlines never drawn
 * included, when layout first asked for the face). */
static void test_pdf_reads_kept_glyphs_only(void **state) {
    (void)state;
    char reg[8192];
    snprintf(reg, sizeof reg, "%s/LiberationSans-Regular.ttf", font_dir);
    struct stat st;
    assert_int_equal(stat(reg, &st), 0);
    qfont_cache *c = qfont_cache_new();
    qdlist *dl = qdlist_new(qfonts_new(c, font_dir));
    qdl_page *pg = qdlist_add_page(dl, 300, 300);
    add_text(dl, pg, QF_REGULAR, 10, 50, "Hello \xC3\xA9t\xC3\xA9 \xE2\x80\x93 done");
    size_t measured = qfont_cache_bytes_read(c);
    assert_true(measured > 0 && measured < (size_t)st.st_size / 8);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("fraction.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, out.s, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    size_t read = qfont_cache_bytes_read(c);
    assert_true(read > measured);
    assert_true(read < (size_t)st.st_size / 4);
    /* the file is whole and the text reads back */
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1 && "
             "pdftotext %s - | grep -q 'Hello \xC3\xA9t\xC3\xA9 \xE2\x80\x93 done'",
             out.s, out.s);
    assert_int_equal(system(cmd), 0);
    unlink(out.s);
    qdlist_free(dl);
    qfont_cache_free(c);
    quorum_diags_free(d);
}

/* A font file cut short after it was measured (the glyphs are read when
 * the PDF is written): the write fails and says why, writes no file, and
 * nothing reads past what the file holds. */
static void test_font_cut_after_layout(void **state) {
    (void)state;
    char src[8192];
    snprintf(src, sizeof src, "%s/LiberationSans-Regular.ttf", font_dir);
    tpath copy = path_in_tmp("LiberationSans-Regular.ttf");
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, copy.s);
    assert_int_equal(system(cmd), 0);
    qfont_cache *c = qfont_cache_new();
    qdlist *dl = qdlist_new(qfonts_new(c, tmpdir));
    qdl_page *pg = qdlist_add_page(dl, 300, 300);
    add_text(dl, pg, QF_REGULAR, 10, 50, "Hello");
    /* in place: the cache's descriptor sees it */
    assert_int_equal(truncate(copy.s, 40000), 0);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("cut.pdf");
    assert_int_not_equal(quorum_layout_write_pdf(&l, out.s, d), QUORUM_OK);
    assert_true(quorum_diags_count_severity(d, QUORUM_ERROR) > 0);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    assert_non_null(m);
    quorum_diags_print(d, m, 0);
    fclose(m);
    assert_non_null(strstr(text, "font"));
    /* the message names the file to look at */
    assert_non_null(strstr(text, copy.s));
    free(text);
    struct stat st;
    assert_int_not_equal(stat(out.s, &st), 0);
    unlink(copy.s);
    qdlist_free(dl);
    qfont_cache_free(c);
    quorum_diags_free(d);
}

/* A font none of whose drawn characters it has: a map of glyph 0 only
 * and a subset of glyph 0 still make a valid file. */
static void test_font_with_no_glyphs_drawn(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    qdl_page *pg = qdlist_add_page(dl, 200, 200);
    add_text(dl, pg, QF_ITALIC, 10, 50, "\xE4\xB8\x80\xE4\xB8\x81");
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("noglyph.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, out.s, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1", out.s);
    assert_int_equal(system(cmd), 0);
    unlink(out.s);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_archive_pdfa1(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    dl->title = "Fees & charges <2025> \"draft\" \xE2\x80\x93 it's";
    dl->subject = "a\tb";            /* a control character: a space in both */
    dl->creation_date = "2025-03-05";
    quorum_diags *d = quorum_diags_new();
    quorum_pdf_options o = {1, NULL, 0, 0, 0};
    size_t n, n2, n3;
    char *b = archive_bytes(dl, &o, "a1.pdf", &n, d);
    assert_int_equal((int)quorum_diags_count(d), 0);
    assert_memory_equal(b, "%PDF-1.4", 8);
    /* XMP is stored unfiltered: escaped, identified, dated. */
    assert_true(has_bytes(b, n, "Fees &amp; charges &lt;2025&gt; &quot;draft&quot; "
                                "\xE2\x80\x93 it&apos;s</rdf:li>"));
    assert_true(has_bytes(b, n, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">a b<"));
    assert_true(has_bytes(b, n, "<pdfaid:part>1</pdfaid:part>"));
    assert_true(has_bytes(b, n, "<pdfaid:conformance>B</pdfaid:conformance>"));
    assert_true(has_bytes(b, n, "<xmp:CreateDate>2025-03-05T00:00:00+00:00<"));
    assert_true(has_bytes(b, n, "/CreationDate (D:20250305000000+00'00')"));
    assert_true(has_bytes(b, n, "/ModDate (D:20250305000000+00'00')"));
    assert_true(has_bytes(b, n, "/S /GTS_PDFA1"));
    assert_true(has_bytes(b, n, "/CIDSet"));
    assert_true(has_bytes(b, n, "/CapHeight"));
    assert_true(has_bytes(b, n, "/ID ["));
    assert_false(has_bytes(b, n, "/EmbeddedFiles"));
    assert_false(has_bytes(b, n, "<71756F72756D2D69642D70656E642121>"));
    /* Same input, same bytes; another date, another ID. */
    char *b2 = archive_bytes(dl, &o, "a1b.pdf", &n2, d);
    assert_int_equal(n, n2);
    assert_memory_equal(b, b2, n);
    dl->creation_date = "2025-03-06";
    char *b3 = archive_bytes(dl, &o, "a1c.pdf", &n3, d);
    const char *id1 = strstr(b + n - 400, "/ID [");
    const char *id3 = strstr(b3 + n3 - 400, "/ID [");
    assert_non_null(id1);
    assert_non_null(id3);
    assert_memory_not_equal(id1, id3, 40);
    /* The plain file does not change when archive copies exist. */
    quorum_pdf_options plain = {0, NULL, 0, 0, 0};
    char *p1 = archive_bytes(dl, &plain, "p1.pdf", &n2, d);
    assert_false(has_bytes(p1, n2, "pdfaid"));
    assert_false(has_bytes(p1, n2, "/ID ["));
    free(p1);
    free(b);
    free(b2);
    free(b3);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_archive_options_checked(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath out = path_in_tmp("bad.pdf");
    quorum_pdf_options o2 = {4, NULL, 0, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o2, d), QUORUM_USAGE);
    /* PDF/A-2 forbids attachments too (unless they are PDF/A themselves) */
    tpath src2 = path_in_tmp("r2.xml");
    write_file_bytes(src2.s, "<r/>", 4);
    const char *files2[] = {src2.s, NULL};
    quorum_pdf_options o5 = {2, files2, 0, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o5, d), QUORUM_USAGE);
    unlink(src2.s);
    tpath src = path_in_tmp("r.xml");
    write_file_bytes(src.s, "<r/>", 4);
    const char *files[] = {src.s, NULL};
    quorum_pdf_options o1 = {1, files, 0, 0, 0};   /* PDF/A-1 forbids attachments */
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o1, d), QUORUM_USAGE);
    /* A file outside the first one's folder, or a missing attachment:
     * error, no file. */
    tpath other = path_in_tmp("sub");
    mkdir(other.s, 0777);
    tpath dup = path_in_tmp("sub/r.xml");
    write_file_bytes(dup.s, "<r/>", 4);
    const char *outside[] = {src.s, "/nonexistent/r.xml", NULL};
    quorum_pdf_options o3 = {3, outside, 0, 0, 0};
    size_t before = quorum_diags_count(d);
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o3, d), QUORUM_USAGE);
    assert_true(quorum_diags_count(d) > before);
    assert_int_equal(access(out.s, F_OK), -1);
    /* two of one base name in their folders: each under its path, as a
     * pack's items in folders attach their appendix-1.xml */
    const char *twice[] = {src.s, dup.s, NULL};
    quorum_pdf_options o6 = {3, twice, 0, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o6, d), QUORUM_OK);
    size_t n = 0;
    char *pdf = test_slurp(out.s, &n);
    assert_true(has_bytes(pdf, n, "/F (sub\\057r.xml)")); /* libharu writes / as \057 */
    free(pdf);
    unlink(out.s);
    const char *missing[] = {"/nonexistent/report.xml", NULL};
    quorum_pdf_options o4 = {3, missing, 0, 0, 0};
    assert_int_not_equal(quorum_layout_write_pdf_opts(&l, out.s, &o4, d), QUORUM_OK);
    assert_int_equal(access(out.s, F_OK), -1);
    unlink(dup.s);
    rmdir(other.s);
    unlink(src.s);
    assert_int_equal(stray_files(NULL, NULL), 0);
    qdlist_free(dl);
    quorum_diags_free(d);
}

static void test_archive_attach_extract(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    dl->creation_date = "2025-03-05";
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    const char *report = "<?xml version=\"1.0\"?>\n<report>R &amp; D (draft) \\ \xC2\xA3</report>\n";
    const char *app = "<appendix/>";
    tpath r = path_in_tmp("report.xml"), a = path_in_tmp("appendix-1.xml");
    write_file_bytes(r.s, report, strlen(report));
    write_file_bytes(a.s, app, strlen(app));
    const char *files[] = {r.s, a.s, NULL};
    quorum_pdf_options o = {3, files, 0, 0, 0};
    tpath out = path_in_tmp("a3.pdf");
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    size_t n;
    char *b = test_slurp(out.s, &n);
    assert_memory_equal(b, "%PDF-1.7", 8);
    assert_true(count_raw(b, n, "/Type /ObjStm") > 0); /* PDF/A-3: object streams */
    assert_true(has_bytes(b, n, "<pdfaid:part>3</pdfaid:part>"));
    assert_true(has_bytes(b, n, "/AFRelationship /Source"));
    assert_true(has_bytes(b, n, "/Subtype /text#2Fxml"));
    assert_true(has_bytes(b, n, "/AF ["));
    assert_false(has_bytes(b, n, tmpdir));   /* base names only */
    free(b);

    tpath dir = path_in_tmp("out");
    assert_int_equal(quorum_pdf_extract(test_engine(), out.s, dir.s, d), QUORUM_OK);
    tpath er = path_in_tmp("out/report.xml"), ea = path_in_tmp("out/appendix-1.xml");
    size_t k;
    char *got = test_slurp(er.s, &k);
    assert_non_null(got);
    assert_int_equal(k, strlen(report));
    assert_memory_equal(got, report, k);
    free(got);
    got = test_slurp(ea.s, &k);
    assert_non_null(got);
    assert_int_equal(k, strlen(app));
    free(got);
    unlink(er.s);
    unlink(ea.s);
    rmdir(dir.s);

    /* A plain PDF has nothing to give: a clean error, no directory. */
    tpath plain = path_in_tmp("plain.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, plain.s, d), QUORUM_OK);
    size_t before = quorum_diags_count(d);
    assert_int_equal(quorum_pdf_extract(test_engine(), plain.s, dir.s, d), QUORUM_INVALID_INPUT);
    assert_true(quorum_diags_count(d) > before);
    assert_int_equal(access(dir.s, F_OK), -1);
    /* Garbage and truncation fail cleanly too. */
    b = test_slurp(out.s, &n);
    /* (Short of the final end of line, whose loss leaves a whole file.) */
    for (size_t cut = 1; cut + 1 < n; cut += n / 7) {
        write_file_bytes(plain.s, b, cut);
        assert_int_not_equal(quorum_pdf_extract(test_engine(), plain.s, dir.s, d), QUORUM_OK);
    }
    /* Damaged files: never a crash or a read out of bounds (run under
     * ASan), whatever extract decides. */
    unsigned seed = 12345;
    char *m = malloc(n);
    assert_non_null(m);
    int rounds = getenv("QUORUM_FUZZ_ROUNDS") ? atoi(getenv("QUORUM_FUZZ_ROUNDS")) : 400;
    for (int round = 0; round < rounds; round++) {
        memcpy(m, b, n);
        for (int j = 0; j < 1 + round % 8; j++) {
            seed = seed * 1103515245u + 12345u;
            /* Mostly the tail: attachments, metadata, xref, trailer. */
            size_t span = round % 4 ? (n < 6000 ? n : 6000) : n;
            size_t pos = n - 1 - (seed >> 8) % span;
            seed = seed * 1103515245u + 12345u;
            m[pos] = (char)(round % 3 == 0 ? "0123456789<>()[]/R \n"[(seed >> 16) % 21]
                                           : (char)(seed >> 16));
        }
        write_file_bytes(plain.s, m, n);
        quorum_pdf_extract(test_engine(), plain.s, dir.s, d);
        rm_tree_files(dir.s);
    }
    free(m);
    /* An attachment that no longer matches its checksum (the file is
     * deflated, so the sum is changed rather than the text). */
    char *hit = NULL;
    for (size_t i = 0; i + 12 < n && !hit; i++)
        if (memcmp(b + i, "/CheckSum <", 11) == 0) hit = b + i + 11;
    assert_non_null(hit);
    hit[0] = hit[0] == '0' ? '1' : '0';
    write_file_bytes(plain.s, b, n);
    assert_int_equal(quorum_pdf_extract(test_engine(), plain.s, dir.s, d), QUORUM_INVALID_INPUT);
    assert_int_equal(access(dir.s, F_OK), -1);
    free(b);
    unlink(plain.s);
    unlink(out.s);
    unlink(r.s);
    unlink(a.s);
    qdlist_free(dl);
    quorum_diags_free(d);
}


/* attach_style: the built-in style as committee.xml (the compiled-in
 * copy), a style file and its logo by their base names after the sources,
 * image/png for the logo; a style named like a source is refused
 * (QUORUM_USAGE) and nothing is written. */
static void test_archive_attach_style(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    dl->creation_date = "2025-03-05";
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath r = path_in_tmp("report.xml");
    write_file_bytes(r.s, "<report/>", 9);
    const char *files[] = {r.s, NULL};
    tpath out = path_in_tmp("s3.pdf"), dir = path_in_tmp("sx");
    tpath ec = path_in_tmp("sx/committee.xml"), er = path_in_tmp("sx/report.xml");

    /* the built-in style */
    quorum_pdf_options o = {3, files, 1, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    assert_int_equal(quorum_pdf_extract(test_engine(), out.s, dir.s, d), QUORUM_OK);
    size_t k;
    char *got = test_slurp(ec.s, &k);
    assert_non_null(got);
    assert_int_equal(k, qstyle_builtin_xml_len);
    assert_memory_equal(got, qstyle_builtin_xml, k);
    free(got);
    unlink(ec.s);
    unlink(er.s);
    rmdir(dir.s);
    /* only the style: still PDF/A-3b only */
    quorum_pdf_options o1 = {1, NULL, 1, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o1, d), QUORUM_USAGE);

    /* a style file and its logo */
    tpath sty = path_in_tmp("house.xml"), logo = path_in_tmp("house-logo.png");
    write_file_bytes(sty.s, "<style/>", 8);
    put_file(logo.s, png_2x2, sizeof png_2x2 - 1);
    dl->style_file = sty.s;
    dl->style_logo = logo.s;
    size_t before = quorum_diags_count(d);
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o, d), QUORUM_OK);
    assert_int_equal(quorum_diags_count(d), before);
    size_t n;
    char *b = test_slurp(out.s, &n);
    assert_true(has_bytes(b, n, "/Subtype /image#2Fpng"));
    assert_false(has_bytes(b, n, "committee.xml"));
    assert_false(has_bytes(b, n, tmpdir));
    assert_true(has_bytes(b, n, "(house.xml)"));
    assert_true(has_bytes(b, n, "(house-logo.png)"));
    free(b);
    assert_int_equal(quorum_pdf_extract(test_engine(), out.s, dir.s, d), QUORUM_OK);
    tpath es = path_in_tmp("sx/house.xml"), el = path_in_tmp("sx/house-logo.png");
    got = test_slurp(el.s, &k);
    assert_non_null(got);
    assert_int_equal(k, sizeof png_2x2 - 1);
    free(got);
    got = test_slurp(es.s, &k);
    assert_non_null(got);
    assert_int_equal(k, 8);
    free(got);
    unlink(es.s);
    unlink(el.s);
    unlink(er.s);
    rmdir(dir.s);

    /* a source of the same name: refused before anything is written */
    tpath sub = path_in_tmp("sub"), clash = path_in_tmp("sub/house.xml");
    mkdir(sub.s, 0777);
    write_file_bytes(clash.s, "<report/>", 9);
    const char *clashing[] = {clash.s, NULL};
    quorum_pdf_options oc = {3, clashing, 1, 0, 0};
    unlink(out.s);
    before = quorum_diags_count(d);
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &oc, d), QUORUM_USAGE);
    assert_int_equal(quorum_diags_count(d), before + 1);
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, before, &q), 0);
    assert_non_null(strstr(q.message, "two attachments are named house.xml"));
    assert_non_null(strstr(q.message, "style file"));
    assert_int_equal(access(out.s, F_OK), -1);
    /* the logo elsewhere than the style: a warning (a rebuild from the
     * extracted files would not find it) */
    tpath clash2 = path_in_tmp("sub/other.png");
    put_file(clash2.s, png_2x2, sizeof png_2x2 - 1);
    dl->style_logo = clash2.s;
    before = quorum_diags_count(d);
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o, d), QUORUM_OK);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_WARNING), 1);
    unlink(out.s);
    unlink(clash.s);
    unlink(clash2.s);
    rmdir(sub.s);
    unlink(sty.s);
    unlink(logo.s);
    unlink(r.s);
    assert_int_equal(stray_files(NULL, NULL), 0);
    dl->style_file = dl->style_logo = NULL;
    qdlist_free(dl);
    quorum_diags_free(d);
}

/* ---- tagged PDF --------------------------------------------------------- */

/* Image files among the sources: their MIME type from their bytes (a
 * PNG named "chart.PNG", a JPEG with no extension), "image" in a name
 * clash, and an image that is also the style's logo attached once. */
static void test_archive_attach_images(void **state) {
    (void)state;
    qdlist *dl = sample(font_dir);
    dl->creation_date = "2025-03-05";
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    static const char jpeg[] = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 not a whole JPEG";
    tpath r = path_in_tmp("report.xml"), png = path_in_tmp("chart.PNG"),
          jpg = path_in_tmp("photo"), out = path_in_tmp("i3.pdf");
    write_file_bytes(r.s, "<report/>", 9);
    put_file(png.s, png_2x2, sizeof png_2x2 - 1);
    put_file(jpg.s, jpeg, sizeof jpeg - 1);
    const char *files[] = {r.s, png.s, jpg.s, NULL};
    quorum_pdf_options o = {3, files, 0, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &o, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    size_t n;
    char *b = test_slurp(out.s, &n);
    assert_true(has_bytes(b, n, "/Subtype /image#2Fpng"));
    assert_true(has_bytes(b, n, "/Subtype /image#2Fjpeg"));
    assert_int_equal(count_bytes(b, n, "/AFRelationship /Source"), 3);
    free(b);

    /* the report's image is the style's logo: one attachment */
    tpath sty = path_in_tmp("house.xml");
    write_file_bytes(sty.s, "<style/>", 8);
    dl->style_file = sty.s;
    dl->style_logo = png.s;
    quorum_pdf_options os = {3, files, 1, 0, 0};
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &os, d), QUORUM_OK);
    assert_int_equal((int)quorum_diags_count(d), 0);
    b = test_slurp(out.s, &n);
    assert_int_equal(count_bytes(b, n, "/AFRelationship /Source"), 4);
    assert_int_equal(count_bytes(b, n, "/Subtype /image#2Fpng"), 1);
    assert_true(has_bytes(b, n, "(house.xml)"));
    free(b);

    /* another file of the logo's name: refused, naming the image */
    tpath sub = path_in_tmp("sub"), other = path_in_tmp("sub/chart.PNG");
    mkdir(sub.s, 0777);
    put_file(other.s, png_2x2, sizeof png_2x2 - 1);
    dl->style_logo = other.s;
    unlink(out.s);
    assert_int_equal(quorum_layout_write_pdf_opts(&l, out.s, &os, d), QUORUM_USAGE);
    quorum_diag q;
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    for (size_t i = 0; quorum_diags_get(d, i, &q) == 0; i++)
        if (q.severity == QUORUM_ERROR) break;
    assert_non_null(strstr(q.message, "two attachments are named chart.PNG (the image "));
    assert_non_null(strstr(q.message, "and the style logo "));
    assert_int_equal(access(out.s, F_OK), -1);
    unlink(other.s);
    rmdir(sub.s);
    unlink(sty.s);
    unlink(png.s);
    unlink(jpg.s);
    unlink(r.s);
    assert_int_equal(stray_files(NULL, NULL), 0);
    dl->style_file = dl->style_logo = NULL;
    qdlist_free(dl);
    quorum_diags_free(d);
}

static qdl_item *tag_text(qdlist *dl, qdl_page *pg, int elem, float y,
                          const char *s) {
    add_text(dl, pg, QF_REGULAR, 56, y, s);
    qdl_item *it = &QVEC_AT(&pg->items, qdl_item, pg->items.len - 1);
    it->elem = elem;
    return it;
}

/* Document > P (text, Link, text), Table > TR > TH + TD (word as alt,
 * Welsh), Figure with alt; an artifact fill; a P with no content. */
static qdlist *tagged_sample(const char *fonts) {
    qdlist *dl = qdlist_new(test_fonts(fonts));
    dl->title = "Tagged";
    int p = qdlist_add_elem(dl, QR_P, 0);
    int link = qdlist_add_elem(dl, QR_LINK, p);
    int empty = qdlist_add_elem(dl, QR_P, 0);
    (void)empty;
    int table = qdlist_add_elem(dl, QR_TABLE, 0);
    int tr = qdlist_add_elem(dl, QR_TR, table);
    int th = qdlist_add_elem(dl, QR_TH, tr);
    QVEC_AT(&dl->elems, qdl_elem, th).scope = 2;
    int td = qdlist_add_elem(dl, QR_TD, tr);
    QVEC_AT(&dl->elems, qdl_elem, td).alt = "Amber";
    QVEC_AT(&dl->elems, qdl_elem, td).lang = "cy";
    int fig = qdlist_add_elem(dl, QR_FIGURE, 0);
    QVEC_AT(&dl->elems, qdl_elem, fig).alt = "Chart of ratings";
    int deco = qdlist_add_elem(dl, QR_FIGURE, 0); /* no alt: an artifact */
    for (int n = 0; n < 2; n++) {
        qdl_page *pg = qdlist_add_page(dl, 595.28f, 841.89f);
        qdl_item *it = qdlist_add_item(dl, pg, QDL_FILL, -1);
        it->x = 50; it->y = 50; it->w = 100; it->h = 20; it->color = 0xDDDDDD;
        tag_text(dl, pg, p, 100, "See the");
        tag_text(dl, pg, link, 100, "appendix");
        tag_text(dl, pg, p, 100, "for more.");
        it = qdlist_add_item(dl, pg, QDL_LINK, link);
        it->x = 56; it->y = 90; it->w = 100; it->h = 12;
        it->text = "https://example.org/";
        tag_text(dl, pg, th, 130, "Rating");
        tag_text(dl, pg, td, 150, "A");
        it = qdlist_add_item(dl, pg, QDL_FILL, fig);
        it->x = 56; it->y = 200; it->w = 100; it->h = 20; it->color = 0x00B050;
        it = qdlist_add_item(dl, pg, QDL_FILL, deco);
        it->x = 56; it->y = 300; it->w = 10; it->h = 10; it->color = 0xFF0000;
    }
    return dl;
}

static char *write_bytes(qdlist *dl, size_t *n) {
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    tpath path = path_in_tmp("tagged.pdf");
    assert_int_equal(quorum_layout_write_pdf(&l, path.s, d), QUORUM_OK);
    quorum_diags_free(d);
    char *b = test_slurp(path.s, n);
    assert_non_null(b);
    unlink(path.s);
    return b;
}

static void test_tagged_structure(void **state) {
    (void)state;
    qdlist *dl = tagged_sample(font_dir);
    size_t n;
    char *b = write_bytes(dl, &n);
    assert_true(has_bytes(b, n, "/StructTreeRoot"));
    assert_true(has_bytes(b, n, "/Marked true"));
    assert_true(has_bytes(b, n, "/ParentTreeNextKey 4"));  /* 2 pages, 2 links */
    assert_int_equal(count_bytes(b, n, "/S /Document"), 1);
    assert_int_equal(count_bytes(b, n, "/S /P\n"), 1);       /* the empty P is not written */
    assert_int_equal(count_bytes(b, n, "/S /Link"), 1);
    assert_int_equal(count_bytes(b, n, "/S /TH"), 1);
    assert_int_equal(count_bytes(b, n, "/Scope /Column"), 1);
    assert_int_equal(count_bytes(b, n, "/Alt (Amber)"), 1);
    assert_int_equal(count_bytes(b, n, "/Lang (cy)"), 1);
    assert_int_equal(count_bytes(b, n, "/Alt (Chart of ratings)"), 1);
    assert_int_equal(count_bytes(b, n, "/S /Figure"), 1);    /* not the decorative one */
    assert_true(has_bytes(b, n, "/BBox [ 56 621.8")); /* first page's fill */
    assert_int_equal(count_bytes(b, n, "/O /Layout"), 1);
    assert_int_equal(count_bytes(b, n, "/Type /OBJR"), 2);
    /* page 2: P twice (around the Link), Link, TH, TD, Figure */
    assert_int_equal(count_bytes(b, n, "/Type /MCR"), 6);
    assert_int_equal(count_bytes(b, n, "/StructParents "), 2);
    assert_int_equal(count_bytes(b, n, "/StructParent "), 2);
    assert_int_equal(count_bytes(b, n, "/Tabs /S"), 2);
    assert_true(has_bytes(b, n, "/Contents (https://example.org/)"));
    assert_true(has_bytes(b, n, "<pdfuaid:part>1</pdfuaid:part>"));
    assert_false(has_bytes(b, n, "pdfaid:part"));
    assert_false(has_bytes(b, n, "pdfaExtension"));
    assert_true(has_bytes(b, n, "%PDF-1.7"));
    free(b);
    qdlist_free(dl);
}

static void test_untagged_switch(void **state) {
    (void)state;
    qdlist *dl = tagged_sample(font_dir);
    quorum_layout l = {dl};
    quorum_diags *d = quorum_diags_new();
    quorum_pdf_options o = {0, NULL, 0, 1, 0};
    unsigned char *b = NULL;
    size_t n = 0;
    /* The option alone decides: the library reads no environment. */
    setenv("QUORUM_UNTAGGED", "", 1);
    assert_int_equal(quorum_layout_write_pdf_memory(&l, &o, &b, &n, d), QUORUM_OK);
    unsetenv("QUORUM_UNTAGGED");
    assert_false(has_bytes((char *)b, n, "/StructTreeRoot"));
    assert_false(has_bytes((char *)b, n, "/MarkInfo"));
    assert_false(has_bytes((char *)b, n, "/StructParent"));
    assert_false(has_bytes((char *)b, n, "/Metadata"));
    free(b);
    o.untagged = 0;
    setenv("QUORUM_UNTAGGED", "1", 1);
    assert_int_equal(quorum_layout_write_pdf_memory(&l, &o, &b, &n, d), QUORUM_OK);
    unsetenv("QUORUM_UNTAGGED");
    assert_true(has_bytes((char *)b, n, "/StructTreeRoot"));
    free(b);
    quorum_diags_free(d);
    qdlist_free(dl);
}

/* Memory and sink output give the file's bytes exactly, plain and
 * archive (whose ID is a hash of the whole file). */
typedef struct capture {
    unsigned char *p;
    size_t n, cap;
    size_t limit;        /* refuse once this many bytes were given */
    int calls;
} capture;

static int capture_write(void *ctx, const void *data, size_t len) {
    capture *c = ctx;
    c->calls++;
    if (c->n + len > c->limit) return 1;
    if (c->n + len > c->cap) {
        c->cap = (c->n + len) * 2;
        c->p = realloc(c->p, c->cap);
        assert_non_null(c->p);
    }
    if (len) memcpy(c->p + c->n, data, len);
    c->n += len;
    return 0;
}

static void test_memory_and_sink_equal_file(void **state) {
    (void)state;
    qdlist *dl = tagged_sample(font_dir);
    quorum_layout l = {dl};
    for (int archive = 0; archive <= 1; archive++) {
        quorum_diags *d = quorum_diags_new();
        quorum_pdf_options o = {archive, NULL, 0, 0, 0};
        tpath path = path_in_tmp("sink.pdf");
        assert_int_equal(quorum_layout_write_pdf_opts(&l, path.s, &o, d), QUORUM_OK);
        size_t fn = 0;
        char *fb = test_slurp(path.s, &fn);
        assert_non_null(fb);
        unlink(path.s);
        unsigned char *mb = NULL;
        size_t mn = 0;
        assert_int_equal(quorum_layout_write_pdf_memory(&l, &o, &mb, &mn, d), QUORUM_OK);
        assert_int_equal(mn, fn);
        assert_memory_equal(mb, fb, fn);
        capture c = {NULL, 0, 0, (size_t)-1, 0};
        assert_int_equal(quorum_layout_write_pdf_sink(&l, capture_write, &c, &o, d),
                         QUORUM_OK);
        assert_int_equal(c.n, fn);
        assert_memory_equal(c.p, fb, fn);
        assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);
        free(c.p);
        free(mb);
        free(fb);
        quorum_diags_free(d);
    }
    qdlist_free(dl);
}

static void test_sink_failure(void **state) {
    (void)state;
    qdlist *dl = tagged_sample(font_dir);
    quorum_layout l = {dl};
    for (int archive = 0; archive <= 1; archive++) {
        quorum_diags *d = quorum_diags_new();
        quorum_pdf_options o = {archive, NULL, 0, 0, 0};
        capture c = {NULL, 0, 0, 2000, 0};  /* refuses half way */
        assert_int_equal(quorum_layout_write_pdf_sink(&l, capture_write, &c, &o, d),
                         QUORUM_IO_ERROR);
        assert_true(c.calls > 0);
        assert_true(c.n <= 2000);
        assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
        quorum_diag g;
        assert_int_equal(quorum_diags_get(d, 0, &g), 0);
        assert_non_null(strstr(g.message, "sink refused"));
        free(c.p);
        quorum_diags_free(d);
    }
    qdlist_free(dl);
}

/* 300 pages: the parent tree is split into leaves of 128 keys with
 * /Limits (one flat /Nums would reach libharu's array limit on big packs). */
static void test_parent_tree_leaves(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    int p = qdlist_add_elem(dl, QR_P, 0);
    for (int i = 0; i < 300; i++) {
        qdl_page *pg = qdlist_add_page(dl, 595.28f, 841.89f);
        tag_text(dl, pg, p, 100, "Text");
    }
    size_t n;
    char *b = write_bytes(dl, &n);
    assert_true(has_bytes(b, n, "/Limits [ 0 127 ]"));
    assert_true(has_bytes(b, n, "/Limits [ 128 255 ]"));
    assert_true(has_bytes(b, n, "/Limits [ 256 299 ]"));
    assert_true(has_bytes(b, n, "/ParentTreeNextKey 300"));
    assert_int_equal(count_bytes(b, n, "/Type /MCR"), 299);
    free(b);
    qdlist_free(dl);
}



/* Page content is written by the adapter (workaround 13): text as literal
 * strings of the fixed codes (ASCII as itself, U+010D as 0x81 0x0D, CR
 * escaped; code points beyond U+FFFF are '?' by then; test_pdf_codes.c),
 * placed by Td;
 * numbers to 3 decimals; the stream deflated by us with
 * /Filter /FlateDecode; non-ASCII /Alt as UTF-16 with a byte-order mark. */
static void test_content_stream_literals(void **state) {
    (void)state;
    qdlist *dl = qdlist_new(test_fonts(font_dir));
    dl->title = "Literals";
    int p = qdlist_add_elem(dl, QR_P, 0);
    int fig = qdlist_add_elem(dl, QR_FIGURE, 0);
    QVEC_AT(&dl->elems, qdl_elem, fig).alt = "Gwyrdd \xC5\xB5";
    qdl_page *pg = qdlist_add_page(dl, 595.28f, 841.89f);
    /* a ( b ) \ U+010D U+1F600 */
    tag_text(dl, pg, p, 100.25f, "a(b)\\\xC4\x8D\xF0\x9F\x98\x80");
    qdl_item *it = qdlist_add_item(dl, pg, QDL_FILL, fig);
    it->x = 56; it->y = 200; it->w = 100.5f; it->h = 20; it->color = 0x00B050;
    size_t n, m;
    char *b = write_bytes(dl, &n);
    assert_true(has_bytes(b, n, "/Filter /FlateDecode"));
    assert_true(has_bytes(b, n, "/Alt <FEFF00470077007900720064006400200175>"));
    char *c = inflate_all(b, n, &m);
    static const char want[] = "(a\\(b\\)\\\\\x81\\r?) Tj\n";
    assert_true(find_mem(c, m, want, sizeof want - 1) != NULL);
    assert_true(find_mem(c, m, "56 741.64 Td\n", 13) != NULL);
    assert_true(find_mem(c, m, "/P <</MCID 0>> BDC\n", 19) != NULL);
    assert_true(find_mem(c, m, "0 0.6902 0.3137 rg\n", 19) != NULL);
    assert_true(find_mem(c, m, "56 621.89 100.5 20 re\nf\n", 24) != NULL);
    free(c);
    free(b);
    qdlist_free(dl);
}


/* The first string page 1 shows (raw, escapes kept) in the PDF of dl. */
static char *first_shown(qdlist *dl) {
    size_t n, m;
    char *b = write_bytes(dl, &n);
    char *c = inflate_all(b, n, &m);
    free(b);
    const char *p = find_mem(c, m, "Td\n(", 4);
    assert_non_null(p);
    const char *e = find_mem(p, m - (size_t)(p - c), ") Tj\n", 5);
    assert_non_null(e);
    char *s = calloc(1, (size_t)(e - p) + 1);
    assert_non_null(s);
    memcpy(s, p, (size_t)(e - p));
    free(c);
    return s;
}

/* A page's text codes do not depend on the rest of the document (issue
 * 18: a pack's report drawn before the others are laid out): the same
 * line, alone or beside a page of 300 other characters in its face,
 * shows the same bytes. */
static void test_page_codes_ignore_other_pages(void **state) {
    (void)state;
    static char many[300 * 2 + 1];
    size_t t = 0;
    for (unsigned c = 0x100; c < 0x100 + 300; c++) {
        many[t++] = (char)(0xC0 | (c >> 6));
        many[t++] = (char)(0x80 | (c & 0x3F));
    }
    many[t] = 0;
    const char *line = "Caf\xC3\xA9 \xE2\x80\x93 (1)";
    qdlist *alone = qdlist_new(test_fonts(font_dir));
    add_text(alone, qdlist_add_page(alone, 300, 300), QF_REGULAR, 10, 50, line);
    qdlist *beside = qdlist_new(test_fonts(font_dir));
    add_text(beside, qdlist_add_page(beside, 300, 300), QF_REGULAR, 10, 50, line);
    add_text(beside, qdlist_add_page(beside, 300, 300), QF_REGULAR, 10, 50, many);
    char *a = first_shown(alone), *b = first_shown(beside);
    assert_string_equal(a, b);
    free(a);
    free(b);
    qdlist_free(alone);
    qdlist_free(beside);
}

/* qhpdf_save_to: the sink sees the whole file in order; a sink that fails
 * stops the save with an error, and a second save is refused. */
typedef struct capsink { char *p; size_t n, limit; } capsink;

static int cap_write(void *ctx, const void *p, size_t n) {
    capsink *c = ctx;
    if (c->n + n > c->limit) return -1;
    memcpy(c->p + c->n, p, n);
    c->n += n;
    return 0;
}

static qhpdf *one_page_doc(void) {
    qhpdf *h = qhpdf_new();
    assert_non_null(h);
    assert_int_equal(qhpdf_add_page(h, 200, 200), 0);
    qhpdf_page_begin(h, 0);
    qhpdf_fill(h, 10, 10, 50, 20.5f, 0xFF8000);
    qhpdf_page_end(h);
    return h;
}

static void test_save_to_sink(void **state) {
    (void)state;
    capsink c = {malloc(1 << 16), 0, 1 << 16};
    assert_non_null(c.p);
    qhpdf *h = one_page_doc();
    assert_int_equal(qhpdf_save_to(h, cap_write, &c), 0);
    assert_false(qhpdf_failed(h));
    assert_true(c.n > 100);
    /* object streams and an xref stream: PDF 1.5 */
    assert_memory_equal(c.p, "%PDF-1.5", 8);
    assert_memory_equal(c.p + c.n - 6, "%%EOF\n", 6);
    assert_true(count_raw(c.p, c.n, "/Type /ObjStm") == 1);
    assert_true(count_raw(c.p, c.n, "/Type /XRef") == 1);
    assert_true(count_raw(c.p, c.n, "\nxref\n") == 0);
    assert_true(count_raw(c.p, c.n, "/Type /Page") == 0); /* in the ObjStm */
    assert_true(has_bytes(c.p, c.n, "/Type /Page"));
    assert_true(has_bytes(c.p, c.n, "/Filter /FlateDecode"));
    size_t full = c.n;
    c.n = 0;
    assert_int_equal(qhpdf_save_to(h, cap_write, &c), -1); /* once only */
    qhpdf_free(h);

    h = one_page_doc();
    c.n = 0;
    c.limit = full / 2;
    assert_int_equal(qhpdf_save_to(h, cap_write, &c), -1);
    assert_true(qhpdf_failed(h));
    assert_non_null(qhpdf_error(h));
    qhpdf_free(h);
    free(c.p);
}

/* PDF/A-1b stays PDF 1.4 and describes the pdfuaid schema it uses. */
static void test_tagged_archive(void **state) {
    (void)state;
    qdlist *dl = tagged_sample(font_dir);
    quorum_pdf_options o = {1, NULL, 0, 0, 0};
    quorum_diags *d = quorum_diags_new();
    size_t n;
    char *b = archive_bytes(dl, &o, "ta.pdf", &n, d);
    assert_true(has_bytes(b, n, "%PDF-1.4"));
    /* PDF 1.4 has no object streams: a classic table */
    assert_int_equal(count_raw(b, n, "/Type /ObjStm"), 0);
    assert_int_equal(count_raw(b, n, "\nxref\n"), 1);
    assert_true(has_bytes(b, n, "/StructTreeRoot"));
    assert_true(has_bytes(b, n, "<pdfuaid:part>1</pdfuaid:part>"));
    assert_true(has_bytes(b, n, "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"));
    assert_true(has_bytes(b, n, "<pdfaid:part>1</pdfaid:part>"));
    free(b);
    quorum_diags_free(d);
    qdlist_free(dl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writes_pdf),
        cmocka_unit_test(test_content_stream_literals),
        cmocka_unit_test(test_save_to_sink),
        cmocka_unit_test(test_creation_date),
        cmocka_unit_test(test_invalid_utf8_warns),
        cmocka_unit_test(test_images),
        cmocka_unit_test(test_missing_directory_fails),
        cmocka_unit_test(test_no_pages_fails),
        cmocka_unit_test(test_failed_rename_leaves_no_temp),
        cmocka_unit_test(test_existing_target_survives),
        cmocka_unit_test(test_widths_match_libharu),
        cmocka_unit_test(test_md5),
        cmocka_unit_test(test_srgb_profile),
        cmocka_unit_test(test_safe_names),
        cmocka_unit_test(test_safe_paths),
        cmocka_unit_test(test_fill_id),
        cmocka_unit_test(test_fonts_narrowed_to_codes),
        cmocka_unit_test(test_page_codes_ignore_other_pages),
        cmocka_unit_test(test_font_with_no_glyphs_drawn),
        cmocka_unit_test(test_pdf_reads_kept_glyphs_only),
        cmocka_unit_test(test_font_cut_after_layout),
        cmocka_unit_test(test_archive_pdfa1),
        cmocka_unit_test(test_archive_options_checked),
        cmocka_unit_test(test_archive_attach_extract),
        cmocka_unit_test(test_archive_attach_style),
        cmocka_unit_test(test_archive_attach_images),
        cmocka_unit_test(test_tagged_structure),
        cmocka_unit_test(test_untagged_switch),
        cmocka_unit_test(test_memory_and_sink_equal_file),
        cmocka_unit_test(test_sink_failure),
        cmocka_unit_test(test_parent_tree_leaves),
        cmocka_unit_test(test_tagged_archive),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
