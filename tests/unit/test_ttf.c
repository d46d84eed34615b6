/* The one TrueType reader: measuring (font.c) and embedding
 * (hpdf_font.c) must see the same glyphs and widths, and the cmap rule
 * must pick the subtables ttf.h names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "test_engine.h"

/* Every font shipped: what layout measures (qfonts, tables read with
 * pread) is what the PDF embeds (the whole file in memory), character by
 * character over the BMP. */
static void test_measuring_equals_embedding(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fonts", src ? src : ".");
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    int seen = 0;
    while ((e = readdir(dp))) {
        size_t nl = strlen(e->d_name);
        if (nl < 4 || strcmp(e->d_name + nl - 4, ".ttf") != 0) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        qfonts *fs = test_fonts(dir);
        qfonts_set_path(fs, QF_REGULAR, path);
        quorum_diags *d = quorum_diags_new();
        qfont *m = qfonts_face(fs, QF_REGULAR, d);
        assert_non_null(m);
        size_t n;
        unsigned char *data = test_slurp_must(path, &n);
        qttf t;
        assert_int_equal(qttf_from_memory(&t, data, n), QTTF_OK);
        assert_int_equal(qttf_metrics(&t), QTTF_OK);
        assert_int_equal(qttf_pick_cmap(&t), QTTF_OK);
        assert_int_equal(t.cmap_fmt, 4);
        assert_int_equal(m->missing_width, (int)qttf_width(&t, 0));
        unsigned mapped = 0;
        for (uint32_t c = 0; c < 0xFFFF; c++) {
            unsigned g = qttf_gid(&t, c);
            int has = g != 0 && g < t.nglyphs;
            assert_int_equal(qfont_has(m, c), has);
            if (has) {
                assert_int_equal(qfont_cp_width(m, c), (int)qttf_width(&t, g));
                mapped++;
            }
        }
        assert_true(mapped > 200);
        free(data);
        quorum_diags_free(d);
        qfonts_free(fs);
        seen++;
    }
    closedir(dp);
    assert_true(seen >= 16);
}

/* ---- a font made here, to try the cmap rule ---------------------------- */

typedef struct fb {
    unsigned char b[4096];
    size_t n;
} fb;

static void p16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void p32(unsigned char *p, uint32_t v) { p16(p, v >> 16); p16(p + 2, v & 0xFFFF); }

/* cmap with the given subtables: each (pid, eid, format), format 4 maps
 * 'A'..'C' to glyphs base..base+2, format 12 maps U+00C0 and U+1F600 too. */
static size_t make_cmap(unsigned char *c, const int (*subs)[4], int nsub) {
    p16(c, 0);
    p16(c + 2, (unsigned)nsub);
    size_t at = 4 + 8 * (size_t)nsub;
    for (int i = 0; i < nsub; i++) {
        unsigned char *r = c + 4 + 8 * i, *s = c + at;
        p16(r, (unsigned)subs[i][0]);
        p16(r + 2, (unsigned)subs[i][1]);
        p32(r + 4, (uint32_t)at);
        unsigned base = (unsigned)subs[i][3];
        if (subs[i][2] == 4) {
            /* two segments: 'A'..'C' and the final 0xFFFF */
            size_t len = 16 + 4 * 4;
            memset(s, 0, len);
            p16(s, 4);
            p16(s + 2, (unsigned)len);
            p16(s + 6, 4);                       /* segCountX2 */
            p16(s + 14, 'C');                    /* endCode */
            p16(s + 16, 0xFFFF);
            p16(s + 20, 'A');                    /* startCode (after pad) */
            p16(s + 22, 0xFFFF);
            p16(s + 24, (base - 'A') & 0xFFFF);  /* idDelta */
            p16(s + 26, 1);
            at += len;
        } else {
            size_t len = 16 + 12 * 2;
            memset(s, 0, len);
            p16(s, 12);
            p32(s + 4, (uint32_t)len);
            p32(s + 12, 2);
            p32(s + 16, 'A'); p32(s + 20, 'C'); p32(s + 24, base);
            p32(s + 28, 0xC0); p32(s + 32, 0xC0); p32(s + 36, base + 3);
            at += len;
        }
    }
    return at;
}

/* head, hhea, maxp, hmtx (glyph g advances 100 * g units of 1000) and
 * the cmap. */
static void make_font(fb *f, const int (*subs)[4], int nsub) {
    static const char *tags[5] = {"cmap", "head", "hhea", "hmtx", "maxp"};
    unsigned char tab[5][1024];
    size_t len[5];
    memset(tab, 0, sizeof tab);
    len[0] = make_cmap(tab[0], subs, nsub);
    len[1] = 54;
    p16(tab[1] + 18, 1000);              /* unitsPerEm */
    len[2] = 36;
    p16(tab[2] + 4, 800);
    p16(tab[2] + 6, (unsigned)-200 & 0xFFFF);
    p16(tab[2] + 34, 10);                /* numberOfHMetrics */
    len[3] = 40;
    for (unsigned g = 0; g < 10; g++) p16(tab[3] + 4 * g, 100 * g + 50);
    len[4] = 6;
    p16(tab[4] + 4, 10);                 /* numGlyphs */
    memset(f, 0, sizeof *f);
    p32(f->b, 0x00010000u);
    p16(f->b + 4, 5);
    size_t at = 12 + 16 * 5;
    for (int i = 0; i < 5; i++) {
        unsigned char *r = f->b + 12 + 16 * i;
        memcpy(r, tags[i], 4);
        p32(r + 8, (uint32_t)at);
        p32(r + 12, (uint32_t)len[i]);
        memcpy(f->b + at, tab[i], len[i]);
        at += (len[i] + 3) & ~(size_t)3;
    }
    f->n = at;
}

static unsigned gid_of(const int (*subs)[4], int nsub, uint32_t c) {
    fb f;
    make_font(&f, subs, nsub);
    qttf t;
    assert_int_equal(qttf_from_memory(&t, f.b, f.n), QTTF_OK);
    assert_int_equal(qttf_metrics(&t), QTTF_OK);
    if (qttf_pick_cmap(&t) != QTTF_OK) return 999;
    return qttf_gid(&t, c);
}

static void test_cmap_rule(void **state) {
    (void)state;
    /* (3,1) format 4 first, wherever it is listed */
    const int a[][4] = {{0, 3, 4, 4}, {3, 1, 4, 1}};
    assert_int_equal(gid_of(a, 2, 'A'), 1);
    /* else a Unicode-platform format 4, before any format 12 */
    const int b[][4] = {{3, 10, 12, 5}, {0, 4, 4, 2}};
    assert_int_equal(gid_of(b, 2, 'B'), 3);
    /* a font with only a format 12 subtable is read (measuring used to
     * refuse it) */
    const int c[][4] = {{3, 10, 12, 5}};
    assert_int_equal(gid_of(c, 1, 'A'), 5);
    assert_int_equal(gid_of(c, 1, 0xC0), 8);
    /* a symbol font's (3,0) subtable is the last resort */
    const int d[][4] = {{3, 0, 4, 6}};
    assert_int_equal(gid_of(d, 1, 'C'), 8);
    /* Mac Roman only: no usable subtable */
    const int e[][4] = {{1, 0, 4, 1}};
    assert_int_equal(gid_of(e, 1, 'A'), 999);
}

static void each(void *ctx, unsigned c, unsigned g) {
    unsigned *v = ctx;
    v[c] = g;
}

/* qttf_each_bmp's glyphs, by code point, each one what qttf_gid says. */
static unsigned *each_agrees(fb *f, qttf *t) {
    assert_int_equal(qttf_from_memory(t, f->b, f->n), QTTF_OK);
    assert_int_equal(qttf_metrics(t), QTTF_OK);
    assert_int_equal(qttf_pick_cmap(t), QTTF_OK);
    unsigned *v = calloc(0x10000, sizeof *v);
    qttf_each_bmp(t, each, v);
    for (uint32_t k = 0; k < 0xFFFF; k++) {
        unsigned g = qttf_gid(t, k);
        assert_int_equal(v[k], g < t->nglyphs ? g : 0);
    }
    return v;
}

static void test_each_bmp_agrees_with_gid(void **state) {
    (void)state;
    const int c[][4] = {{3, 10, 12, 5}};
    fb f;
    make_font(&f, c, 1);
    qttf t;
    unsigned *v = each_agrees(&f, &t);
    assert_int_equal(v['A'], 5);
    assert_int_equal(v[0xC0], 8);
    assert_int_equal(qttf_width(&t, 5), 550);
    free(v);
    /* format 4, its segments in order (mapped a segment at a time) */
    const int c4[][4] = {{3, 1, 4, 2}};
    make_font(&f, c4, 1);
    v = each_agrees(&f, &t);
    assert_int_equal(v['A'], 2);
    assert_int_equal(v['C'], 4);
    assert_int_equal(v['D'], 0);
    free(v);
    /* ends out of order (damaged): each code as qttf_gid finds it */
    size_t cmap = qttf_u32(f.b + 12 + 8);
    size_t sub = cmap + qttf_u32(f.b + cmap + 4 + 4);
    p16(f.b + sub + 16, 'B'); /* the last segment ends before the first */
    v = each_agrees(&f, &t);
    free(v);
}

static void test_damaged_fonts_refused(void **state) {
    (void)state;
    const int a[][4] = {{3, 1, 4, 1}};
    fb f;
    make_font(&f, a, 1);
    qttf t;
    /* a table outside the file */
    assert_int_equal(qttf_from_memory(&t, f.b, 200), QTTF_EFORMAT);
    assert_int_equal(qttf_from_memory(&t, f.b, 8), QTTF_EFORMAT);
    /* unitsPerEm out of range */
    fb g = f;
    size_t head = qttf_u32(g.b + 12 + 16 * 1 + 8);
    p16(g.b + head + 18, 0);
    assert_int_equal(qttf_from_memory(&t, g.b, g.n), QTTF_OK);
    assert_int_equal(qttf_metrics(&t), QTTF_EFORMAT);
    /* more metrics than glyphs */
    g = f;
    size_t hhea = qttf_u32(g.b + 12 + 16 * 2 + 8);
    p16(g.b + hhea + 34, 11);
    assert_int_equal(qttf_from_memory(&t, g.b, g.n), QTTF_OK);
    assert_int_equal(qttf_metrics(&t), QTTF_EFORMAT);
}

/* A copy of a shipped font with one thing wrong, checked whole. */
static qttf_status validate_copy(const unsigned char *b, size_t n, qttf *t) {
    qttf_status st = qttf_from_memory(t, b, n);
    return st != QTTF_OK ? st : qttf_validate(t);
}

static size_t entry_of(const unsigned char *b, const char *tag) {
    for (unsigned i = 0; i < qttf_u16(b + 4); i++)
        if (memcmp(b + 12 + 16 * i, tag, 4) == 0) return 12 + 16 * (size_t)i;
    fail_msg("no table %s", tag);
    return 0;
}

/* Fonts are checked whole when first read, each fault said as a phrase
 * (a cut-short font once reached libharu: exit 3, "libharu error 0x...";
 * one whose glyphs ran past 'glyf' was embedded without them). */
static void test_validate(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fonts/LiberationSans-Regular.ttf", src ? src : ".");
    size_t n;
    unsigned char *good = test_slurp_must(path, &n);
    unsigned char *b = malloc(n);
    qttf t;
    memcpy(b, good, n);
    assert_int_equal(validate_copy(b, n, &t), QTTF_OK);
    /* cut short anywhere: the header, the directory, a table */
    static const size_t cuts[] = {0, 11, 100, 1000, 26532, 200000};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        assert_int_equal(validate_copy(b, cuts[i], &t), QTTF_EFORMAT);
        assert_true(strstr(t.why, "short") || strstr(t.why, "runs past the end"));
    }
    assert_int_equal(validate_copy(b, n - 1, &t), QTTF_EFORMAT);
    assert_non_null(strstr(t.why, "runs past the end of the file"));
    /* a table embedding needs is missing */
    memcpy(b + entry_of(b, "name"), "nam_", 4);
    assert_int_equal(validate_copy(b, n, &t), QTTF_EMISSING);
    assert_string_equal(t.why, "it has no 'name' table");
    /* 'glyf' cut to half: the glyphs after it lie outside */
    memcpy(b, good, n);
    size_t g = entry_of(b, "glyf");
    p32(b + g + 12, qttf_u32(b + g + 12) / 2);
    assert_int_equal(validate_copy(b, n, &t), QTTF_EFORMAT);
    assert_non_null(strstr(t.why, "lies outside its 'glyf' table"));
    /* 'loca' too short for the glyphs */
    memcpy(b, good, n);
    p32(b + entry_of(b, "loca") + 12, 100);
    assert_int_equal(validate_copy(b, n, &t), QTTF_EFORMAT);
    assert_non_null(strstr(t.why, "'loca' table is too short"));
    /* glyph offsets out of order */
    memcpy(b, good, n);
    size_t loca = qttf_u32(b + entry_of(b, "loca") + 8);
    p32(b + loca + 4 * 10, qttf_u32(b + loca + 4 * 12));
    assert_int_equal(validate_copy(b, n, &t), QTTF_EFORMAT);
    assert_non_null(strstr(t.why, "glyph 10 lies outside"));
    /* a licence that forbids embedding */
    memcpy(b, good, n);
    p16(b + qttf_u32(b + entry_of(b, "OS/2") + 8) + 8, 2);
    assert_int_equal(validate_copy(b, n, &t), QTTF_ELICENCE);
    free(b);
    free(good);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measuring_equals_embedding),
        cmocka_unit_test(test_cmap_rule),
        cmocka_unit_test(test_each_bmp_agrees_with_gid),
        cmocka_unit_test(test_damaged_fonts_refused),
        cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
