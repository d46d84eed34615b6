/* Style files: the built-in default is STYLE.md, committee.xml says the
 * same, riverside.xml differs, and every kind of mistake in a style file
 * gets an error at its exact line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util.h"
#include "style.h"
#include "layout.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

static char g_dir[4096];   /* scratch directory for broken styles */

static const char *src_dir(void) {
    const char *s = getenv("QUORUM_SOURCE_DIR");
    return s ? s : ".";
}

static const char *path_in(const char *sub, const char *name) {
    static char buf[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s/%s", src_dir(), sub, name);
    return buf[k];
}

static const char *fonts_dir(void) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/fonts", src_dir());
    return buf;
}

static void test_default_is_style_md(void **state) {
    (void)state;
    const qstyle *s = qstyle_default();
    assert_float_equal(s->page_w, 595.28f, 0.001);
    assert_float_equal(s->page_h, 841.89f, 0.001);
    assert_float_equal(s->margin_left, 56.7f, 0.001);
    assert_float_equal(s->margin_bottom, 70.0f, 0.001);
    assert_float_equal(s->body_size, 11, 0);
    assert_float_equal(s->body_lh, 14, 0);
    assert_int_equal(s->table_head_fill, 0xD9E2F3);
    assert_int_equal(s->front_label_fill, 0xE7E6E6);
    assert_string_equal(s->front_label_fill_text, "#E7E6E6");
    assert_null(s->font[0]);
    assert_null(s->header.left);
    assert_null(s->logo);
    /* NULL and "" both mean the default, with no file read */
    quorum_diags *d = quorum_diags_new();
    assert_ptr_equal(qstyle_load(TE, NULL, NULL, NULL, d), s);
    assert_ptr_equal(qstyle_load(TE, "", NULL, NULL, d), s);
    assert_int_equal(quorum_diags_count(d), 0);
    quorum_diags_free(d);
}

/* committee.xml writes out the default: every number must be equal. */
static void test_committee_file_equals_default(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    const qstyle *s = qstyle_load(TE, path_in("styles", "committee.xml"), fonts_dir(), a, d);
    if (!s) fail_msg("%s", test_diags_text(d));
    const qstyle *z = qstyle_default();
#define SAME(f) assert_true(s->f == z->f)
    SAME(page_w); SAME(page_h); SAME(margin_left); SAME(margin_right);
    SAME(margin_top); SAME(margin_bottom); SAME(body_size); SAME(body_lh);
    SAME(para_after); SAME(num_indent); SAME(head_indent); SAME(text_color);
    SAME(link_color); SAME(rule_color); SAME(h1_size); SAME(h1_lh);
    SAME(h1_after); SAME(h2_size); SAME(h2_lh); SAME(h2_before); SAME(h2_after);
    SAME(heading_color); SAME(bar_color); SAME(table_size); SAME(table_lh);
    SAME(table_pad); SAME(table_head_fill); SAME(front_label_fill);
    SAME(front_pad); SAME(box_fill); SAME(foot_color); SAME(foot_rule_color);
    SAME(nratings);
#undef SAME
    assert_string_equal(s->name, "committee");
    assert_string_equal(s->front_label_fill_text, "#E7E6E6");
    assert_non_null(s->font[0]);
    assert_non_null(strstr(s->font[3], "LiberationSans-BoldItalic.ttf"));
    assert_null(s->logo);
    quorum_diags_free(d);
    qarena_free(a);
}

/* The compiled-in copy that PDF/A-3b copies attach for the built-in
 * style is styles/committee.xml, byte for byte. */
static void test_builtin_xml_is_committee_file(void **state) {
    (void)state;
    FILE *f = fopen(path_in("styles", QSTYLE_BUILTIN_FILE), "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof buf);
    assert_int_equal(n, qstyle_builtin_xml_len);
    assert_memory_equal(buf, qstyle_builtin_xml, n);
}

static void test_riverside_by_name(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    const qstyle *s = qstyle_load(TE, "riverside", fonts_dir(), a, d);
    if (!s) fail_msg("%s", test_diags_text(d));
    const qstyle *z = qstyle_default();
    assert_string_equal(s->name, "riverside");
    assert_string_equal(s->council, "Riverside Borough Council");
    assert_float_equal(s->page_w, 210 * 72 / 25.4, 0.01);
    assert_true(s->margin_left > z->margin_left);
    assert_true(s->table_head_fill != z->table_head_fill);
    assert_true(s->heading_color != z->heading_color);
    assert_non_null(strstr(s->font[0], "LiberationSerif-Regular.ttf"));
    assert_non_null(strstr(s->font[QF_HEAD_BOLD], "OpenSans-Bold.ttf"));
    assert_non_null(strstr(s->font[QF_TABLE_BOLD_ITALIC], "OpenSans-BoldItalic.ttf"));
    assert_int_equal(s->head_face, QF_HEAD_REGULAR);
    assert_int_equal(s->table_face, QF_TABLE_REGULAR);
    assert_int_equal(z->head_face, 0);
    assert_non_null(s->logo);
    assert_non_null(strstr(s->logo, "riverside-logo.png"));
    assert_string_equal(s->logo_alt, "Riverside Borough Council logo");
    assert_string_equal(s->header.left, "{council}");
    assert_true(qstyle_rating_fill(s, "R") >= 0);
    assert_true(qstyle_rating_fill(s, "R") != qstyle_rating_fill(z, "R"));
    assert_int_equal(qstyle_rating_fill(s, "P"), -1);
    /* "committee" answers with or without its file */
    assert_non_null(qstyle_load(TE, "committee", fonts_dir(), a, d));
    quorum_engine *nodir = test_engine_with(NULL, "/nonexistent", NULL);
    assert_ptr_equal(qstyle_load(nodir, "committee", fonts_dir(), a, d), z);
    assert_int_equal(quorum_diags_count(d), 0);
    /* an unknown name is a missing file: a diagnostic without a line */
    assert_null(qstyle_load(TE, "nosuch", fonts_dir(), a, d));
    quorum_diag q;
    assert_int_equal(quorum_diags_count(d), 1);
    quorum_diags_get(d, 0, &q);
    assert_int_equal(q.line, 0);
    assert_non_null(strstr(q.message, "no style named \"nosuch\""));
    quorum_engine_free(nodir);
    quorum_diags_free(d);
    qarena_free(a);
}

/* The same bytes given to qstyle_load_memory under the file's name give
 * the same diagnostics (fuzz_style.c fuzzes the loader that way). */
static void broken_in_memory(const char *body, const char *path, const char *want) {
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    assert_null(qstyle_load_memory(TE, body, strlen(body), path, fonts_dir(), a, d));
    for (size_t i = 0; i < quorum_diags_count(d); i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        assert_string_equal(q.file, path);
    }
    assert_string_equal(test_diags_text(d), want);
    quorum_diags_free(d);
    qarena_free(a);
}

/* A style file's bytes loaded from memory under its name are the style
 * the file gives: the same numbers, and its fonts and logo found beside
 * the name; a report laid out in it has the same pages. */
static void test_memory_is_file(void **state) {
    (void)state;
    const char *path = path_in("styles", "riverside.xml");
    size_t len = 0;
    char *bytes = test_slurp_must(path, &len);
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    const qstyle *f = qstyle_load(TE, path, fonts_dir(), a, d);
    const qstyle *m = qstyle_load_memory(TE, bytes, len, path, fonts_dir(), a, d);
    if (!f || !m) fail_msg("%s", test_diags_text(d));
    assert_ptr_not_equal(f, m);
    assert_string_equal(m->name, f->name);
    assert_string_equal(m->path, f->path);
    assert_float_equal(m->page_w, f->page_w, 0);
    assert_float_equal(m->margin_top, f->margin_top, 0);
    assert_int_equal(m->heading_color, f->heading_color);
    for (int i = 0; i < QF__COUNT; i++) {
        if (!f->font[i]) assert_null(m->font[i]);
        else assert_string_equal(m->font[i], f->font[i]);
    }
    assert_string_equal(m->logo, f->logo);
    assert_int_equal(m->nratings, f->nratings);
    /* laid out in it: the pages of a layout that names the file */
    quorum_doc *doc = quorum_doc_load(TE, path_in("tests/golden/basic", "report.xml"), d);
    assert_non_null(doc);
    quorum_options o = {fonts_dir(), path};
    quorum_layout *lf = quorum_doc_layout(TE, doc, &o, d);
    quorum_layout *lm = qlayout_doc_styled(TE, doc, m, fonts_dir(), d);
    assert_non_null(lf);
    assert_non_null(lm);
    assert_int_equal(quorum_layout_page_count(lm), quorum_layout_page_count(lf));
    assert_true(quorum_layout_page_count(lm) > 1);
    char *tf = NULL, *tm = NULL;
    size_t nf = 0, nm = 0;
    FILE *sf = open_memstream(&tf, &nf), *sm = open_memstream(&tm, &nm);
    assert_int_equal(quorum_layout_write_text(lf, sf), QUORUM_OK);
    assert_int_equal(quorum_layout_write_text(lm, sm), QUORUM_OK);
    fclose(sf);
    fclose(sm);
    assert_int_equal(nm, nf);
    assert_memory_equal(tm, tf, nf);
    free(tf);
    free(tm);
    quorum_layout_free(lf);
    quorum_layout_free(lm);
    quorum_doc_free(doc);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    quorum_diags_free(d);
    qarena_free(a);
    free(bytes);
}

/* Writes body into a style file in the scratch dir, loads it, returns the
 * diagnostics; asserts that loading failed, from the file and from its
 * bytes alike. */
static const char *broken(const char *body) {
    char path[4200];
    snprintf(path, sizeof path, "%s/s.xml", g_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(body, f);
    fclose(f);
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    const qstyle *s = qstyle_load(TE, path, fonts_dir(), a, d);
    assert_null(s);
    /* every diagnostic names the style file */
    for (size_t i = 0; i < quorum_diags_count(d); i++) {
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        assert_string_equal(q.file, path);
    }
    static char t[8192];
    snprintf(t, sizeof t, "%s", test_diags_text(d));
    quorum_diags_free(d);
    qarena_free(a);
    broken_in_memory(body, path, t);
    return t;
}

#define HEAD "<style xmlns=\"urn:quorum:style:1\">\n"

static void test_bad_colour(void **state) {
    (void)state;
    assert_string_equal(
        broken(HEAD "  <tables header-fill=\"#12345\"/>\n</style>\n"),
        "2:11: header-fill=\"#12345\" is not a colour (write #RRGGBB, e.g. \"#0B4F9C\")\n");
    assert_string_equal(
        broken(HEAD "<text color=\"#12345G\"/></style>\n"),
        "2:7: color=\"#12345G\" is not a colour (write #RRGGBB, e.g. \"#0B4F9C\")\n");
}

/* The engine reads a style once and hands the same one to every later
 * caller; a style that fails is not kept, so each caller hears why. */
static void test_engine_keeps_styles(void **state) {
    (void)state;
    quorum_engine *e = test_engine_with(NULL, NULL, NULL);
    assert_non_null(e);
    quorum_diags *d = quorum_diags_new();
    const qstyle *a = qstyle_get(e, "riverside", NULL, d);
    const qstyle *b = qstyle_get(e, "riverside", NULL, d);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_string_equal(a->name, "riverside");
    const qstyle *n = qstyle_get(e, "northgate", NULL, d);
    assert_non_null(n);
    assert_ptr_not_equal(a, n);
    /* the same name with other fonts is another style */
    const qstyle *other = qstyle_get(e, "riverside", "/nonexistent-fonts", d);
    assert_ptr_not_equal(a, other);
    assert_ptr_equal(qstyle_get(e, NULL, NULL, d), &qstyle_builtin);
    size_t before = quorum_diags_count(d);
    char path[4200];
    snprintf(path, sizeof path, "%s/cached-broken.xml", g_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(HEAD "<tables header-fill=\"#12345\"/>\n</style>\n", f);
    fclose(f);
    assert_null(qstyle_get(e, path, NULL, d));
    size_t once = quorum_diags_count(d) - before;
    assert_true(once > 0);
    assert_null(qstyle_get(e, path, NULL, d));
    assert_int_equal(quorum_diags_count(d) - before, 2 * once);
    quorum_diags_free(d);
    quorum_engine_free(e);
}

static void test_bad_length(void **state) {
    (void)state;
    assert_string_equal(
        broken(HEAD "<page margin-left=\"20\" margin-top=\"-3mm\"/>\n</style>\n"),
        "2:7: margin-left=\"20\" is not a length (write e.g. \"12pt\", \"20mm\", "
        "\"2cm\" or \"1in\")\n"
        "2:24: margin-top=\"-3mm\" is not a length (write e.g. \"12pt\", \"20mm\", "
        "\"2cm\" or \"1in\")\n");
}

/* Page sizes within PDF's (3 to 14,400 pt a side) and every length
 * finite and bounded, each refused at its attribute: "nanpt" once made a
 * corrupt MediaBox (exit 0) and a page over 14,400 pt a libharu error
 * without a position (exit 3). */
static void test_page_bounds(void **state) {
    (void)state;
    assert_string_equal(
        broken(HEAD "<page width=\"2pt\" height=\"14401pt\"/>\n</style>\n"),
        "2:19: height=\"14401pt\" is more than 14400pt (200in, the longest side "
        "of a PDF page)\n");
    assert_string_equal(
        broken(HEAD "<page width=\"2pt\" height=\"300pt\" margin-left=\"0pt\"\n"
               "      margin-right=\"0pt\" margin-top=\"0pt\" margin-bottom=\"0pt\"/>\n"
               "</style>\n"),
        "2:1: the margins leave less than 2 inches of text width\n"
        "2:1: margin-bottom must be at least 50pt to hold the footer\n"
        "2:7: page width 2.00pt is outside PDF's page sizes (3pt to 14400pt)\n");
    assert_string_equal(
        broken(HEAD "<page width=\"nanpt\" height=\"1e999pt\"/>\n"
               "<text size=\"+infpt\" line-height=\"99999999999999999999in\"/>\n</style>\n"),
        "2:7: width=\"nanpt\" is not a length (write e.g. \"12pt\", \"20mm\", "
        "\"2cm\" or \"1in\")\n"
        "2:21: height=\"1e999pt\" is not a length (write e.g. \"12pt\", \"20mm\", "
        "\"2cm\" or \"1in\")\n"
        "3:7: size=\"+infpt\" is not a length (write e.g. \"12pt\", \"20mm\", "
        "\"2cm\" or \"1in\")\n"
        "3:21: line-height=\"99999999999999999999in\" is more than 14400pt (200in, "
        "the longest side of a PDF page)\n");
    assert_string_equal(
        broken(HEAD "<page width=\"200in\" height=\"14400pt\" margin-left=\"14300pt\"/>\n"
               "</style>\n"),
        "2:1: the margins leave less than 2 inches of text width\n");
}

static void test_unknown_names(void **state) {
    (void)state;
    assert_string_equal(
        broken(HEAD "  <colours/>\n  <text sise=\"11pt\"/>\n"
               "  <header><middle>x</middle></header>\n</style>\n"),
        "2:3: unknown element <colours> in a style (expected one of page, font, "
        "text, headings, tables, front-sheet, header, footer, logo, ratings, sign-offs, pack, strings)\n"
        "3:9: unknown attribute 'sise' on <text>\n"
        "4:11: unknown element <middle> in <header> (expected <left>, <center> "
        "or <right>)\n");
}

static void test_missing_font_and_image(void **state) {
    (void)state;
    char want[8192];
    snprintf(want, sizeof want,
             "2:7: font file \"Nope.ttf\" not found (looked beside the style and in %s)\n"
             "4:7: image file \"nologo.png\" not found beside the style\n",
             fonts_dir());
    assert_string_equal(
        broken(HEAD "<font regular=\"Nope.ttf\" bold=\"LiberationSans-Bold.ttf\"\n"
               "      italic=\"LiberationSans-Italic.ttf\" "
               "bold-italic=\"LiberationSans-BoldItalic.ttf\"/>\n"
               "<logo src=\"nologo.png\" alt=\"x\"/>\n</style>\n"),
        want);
    /* a face missing from the family, and a file that is no font */
    snprintf(want, sizeof want, "%s/s.xml", g_dir);
    assert_string_equal(
        broken(HEAD "<font regular=\"s.xml\"/>\n</style>\n"),
        "2:7: \"s.xml\" is not a TrueType font\n");
    assert_string_equal(
        broken(HEAD "<font regular=\"LiberationSans-Regular.ttf\"/>\n</style>\n"),
        "2:1: <font> needs all four of regular, bold, italic and bold-italic\n");
    assert_string_equal(
        broken(HEAD "<font role=\"body\"/>\n<font role=\"footnotes\"/>\n"
               "<font role=\"headings\" bold=\"OpenSans-Bold.ttf\"/>\n"
               "<font/>\n</style>\n"),
        "3:7: role=\"footnotes\" is not a font role (body, headings or tables)\n"
        "5:1: <font role=\"body\"> given twice (first at line 2)\n");
}

/* A damaged font is refused where the style names it, with what is
 * wrong (a cut-short file once reached the PDF writer: exit 3,
 * "libharu error 0x...", no position). */
static void test_damaged_font(void **state) {
    (void)state;
    char src[4200], dst[4200];
    snprintf(src, sizeof src, "%s/LiberationSans-Regular.ttf", fonts_dir());
    snprintf(dst, sizeof dst, "%s/cut.ttf", g_dir);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    for (size_t left = 200000; left > 0;) {
        size_t k = fread(buf, 1, left < sizeof buf ? left : sizeof buf, in);
        assert_true(k > 0);
        fwrite(buf, 1, k, out);
        left -= k;
    }
    fclose(in);
    fclose(out);
    assert_string_equal(
        broken(HEAD "<font regular=\"cut.ttf\" bold=\"LiberationSans-Bold.ttf\"\n"
               "      italic=\"LiberationSans-Italic.ttf\" "
               "bold-italic=\"LiberationSans-BoldItalic.ttf\"/>\n</style>\n"),
        "2:7: font file \"cut.ttf\" is not a usable TrueType font: table 'FFTM' runs "
        "past the end of the file (bytes 410684 to 410712 of 200000): the file is cut "
        "short or damaged\n");
}

static void test_running_text_room(void **state) {
    (void)state;
    assert_string_equal(
        broken(HEAD "<page margin-top=\"20mm\"/>\n"
               "<header baseline=\"25mm\"><left>{council}</left></header>\n</style>\n"),
        "3:9: header: the baseline must lie in the top margin (between 9.0pt "
        "and 52.7pt from the top)\n");
    assert_string_equal(
        broken(HEAD "<page margin-bottom=\"20mm\"/>\n"
               "<footer><center>{classification}</center></footer>\n</style>\n"),
        "2:1: margin-bottom must be at least 64pt to hold the footer and its "
        "centre line\n");
}

/* A style's rating colours must be readable (4.5:1, as a report's own
 * scale), and a code is given once. */
static void test_rating_contrast(void **state) {
    (void)state;
    assert_string_equal(
        broken(HEAD "<ratings>\n  <rating code=\"G\" fill=\"#2A9D8F\" color=\"#FFFFFF\"/>\n"
               "  <rating code=\"A\" fill=\"#595959\"/>\n"
               "  <rating code=\"R\" fill=\"#C00000\" color=\"#FFFFFF\"/>\n"
               "  <rating code=\"R\" fill=\"#C00000\" color=\"#FFFFFF\"/>\n"
               "</ratings>\n</style>\n"),
        "3:35: text colour #FFFFFF on fill #2A9D8F of rating \"G\" has a contrast "
        "of 3.32:1; at least 4.5:1 is needed\n"
        "4:20: text colour #000000 on fill #595959 of rating \"A\" has a contrast "
        "of 3.00:1; at least 4.5:1 is needed (color= is black when not given)\n"
        "6:11: rating code \"R\" given twice in <ratings>\n");
}

/* The colours layout gives a rated cell without its own: the style's for
 * the code, else the built-in style's, else none. */
static void test_rating_of(void **state) {
    (void)state;
    qstyle s = *qstyle_default();
    const qstyle_rating *r = qstyle_rating_of(&s, "R");
    assert_non_null(r);
    assert_int_equal(r->fill, 0xC00000);
    assert_int_equal(r->color, 0xFFFFFF);
    s.ratings[0] = (qstyle_rating){"T", 0x1F4E79, 0xFFFFFF};
    s.ratings[1] = (qstyle_rating){"R", 0xD62828, 0xFFFFFF};
    s.nratings = 2;
    assert_int_equal(qstyle_rating_of(&s, "T")->fill, 0x1F4E79);
    assert_int_equal(qstyle_rating_of(&s, "R")->fill, 0xD62828);
    assert_int_equal(qstyle_rating_of(&s, "G")->fill, 0x00B050); /* built in */
    assert_null(qstyle_rating_of(&s, "NA"));
    assert_null(qstyle_rating_of(&s, NULL));
}

static void test_wrong_root_and_malformed(void **state) {
    (void)state;
    assert_string_equal(broken("<style>\n</style>\n"),
        "1:1: the root element must be <style xmlns=\"urn:quorum:style:1\">\n");
    const char *t = broken(HEAD "<page>\n</style>\n");
    assert_true(strncmp(t, "3:", 2) == 0);
}

static void test_expand(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    qstyle s = *qstyle_default();
    s.council = "Riverside";
    s.classification = "OFFICIAL";
    qstyle_fields f = {"Library Review", "Report to Council, 8 January 2025",
                       "8 January 2025", 0, NULL};
    assert_string_equal(
        qstyle_expand(a, &s, "{council}: {title} - Page {page} of {pages} {x} {", &f, 3, 12),
        "Riverside: Library Review - Page 3 of 12 {x} {");
    assert_string_equal(qstyle_expand(a, &s, "{classification}", &f, 1, 1), "OFFICIAL");
    f.exempt = 1;
    assert_string_equal(qstyle_expand(a, &s, "{classification}", &f, 1, 1),
                        "NOT FOR PUBLICATION");
    assert_string_equal(qstyle_expand(a, &s, "{meeting} / {date}", &f, 1, 1),
                        "Report to Council, 8 January 2025 / 8 January 2025");
    qarena_free(a);
}

int main(void) {
    snprintf(g_dir, sizeof g_dir, "/tmp/quorum-test-style-%ld", (long)getpid());
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", g_dir);
    if (system(cmd) != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_style_md),
        cmocka_unit_test(test_committee_file_equals_default),
        cmocka_unit_test(test_builtin_xml_is_committee_file),
        cmocka_unit_test(test_riverside_by_name),
        cmocka_unit_test(test_memory_is_file),
        cmocka_unit_test(test_rating_contrast),
        cmocka_unit_test(test_rating_of),
        cmocka_unit_test(test_bad_colour),
        cmocka_unit_test(test_bad_length),
        cmocka_unit_test(test_page_bounds),
        cmocka_unit_test(test_damaged_font),
        cmocka_unit_test(test_engine_keeps_styles),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_missing_font_and_image),
        cmocka_unit_test(test_running_text_room),
        cmocka_unit_test(test_wrong_root_and_malformed),
        cmocka_unit_test(test_expand),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0) return 1;
    return rc;
}
