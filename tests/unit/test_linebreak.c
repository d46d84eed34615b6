/* Line breaking from glyph widths: widths, break positions, long words,
 * styled runs, superscripts, forced breaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "layout.h"
#include "test_engine.h"

static qfonts *fonts;
static qfont *faces[QF__COUNT];
static qlb lb;

static int setup(void **state) {
    (void)state;
    char dir[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/fonts", src ? src : ".");
    fonts = test_fonts(dir);
    quorum_diags *d = quorum_diags_new();
    for (int i = 0; i < QF__COUNT; i++) {
        faces[i] = qfonts_face(fonts, (qfont_face)i, d);
        if (!faces[i]) return -1;
    }
    quorum_diags_free(d);
    qlb_init(&lb, faces);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    qlb_free(&lb);
    qfonts_free(fonts);
    return 0;
}

static qlb_run R(const char *s, int face, float size) {
    qlb_run r;
    memset(&r, 0, sizeof r);
    r.text = s;
    r.len = (uint32_t)strlen(s);
    r.face = (unsigned char)face;
    r.size = size;
    r.dest = -1;
    r.elem = -1;
    return r;
}

/* Text of line i (fragments joined; runs are contiguous in these tests). */
static const char *line_text(const qlb_run *runs, size_t i) {
    static char buf[1024];
    size_t n = 0;
    const qlb_line *ln = &lb.lines[i];
    for (uint32_t f = 0; f < ln->nfrag; f++) {
        const qlb_frag *fr = &lb.frags[ln->frag0 + f];
        memcpy(buf + n, runs[fr->run].text + fr->start, fr->len);
        n += fr->len;
    }
    buf[n] = '\0';
    return buf;
}

static void test_widths(void **state) {
    (void)state;
    /* 'a' is 556/1000 em, space 277 */
    assert_float_equal(qlb_width(faces[0], "a", 1, 10), 5.56, 1e-4);
    assert_float_equal(qlb_width(faces[0], "a a", 3, 10), 5.56 * 2 + 2.77, 1e-4);
    /* UTF-8: en dash is 556 too */
    assert_float_equal(qlb_width(faces[0], "\xE2\x80\x93", 3, 10), 5.56, 1e-4);
    qlb_run r = R("aaa", 0, 10);
    assert_int_equal(qlb_break(&lb, &r, 1, 100), 1);
    assert_float_equal(lb.lines[0].width, 16.68, 1e-3);
}

static void test_break_positions(void **state) {
    (void)state;
    /* "aa aa aa": each word 11.12, space 2.77 (size 10) */
    qlb_run r = R("aa aa aa", 0, 10);
    /* two words need 25.01 */
    assert_int_equal(qlb_break(&lb, &r, 1, 25.0f), 3);
    assert_int_equal(qlb_break(&lb, &r, 1, 25.01f), 2);
    assert_string_equal(line_text(&r, 0), "aa aa");
    assert_string_equal(line_text(&r, 1), "aa");
    assert_float_equal(lb.lines[0].width, 25.01, 1e-3);
    /* no leading or trailing spaces on any line */
    qlb_run r2 = R("  aa   aa  ", 0, 10);
    assert_int_equal(qlb_break(&lb, &r2, 1, 12), 2);
    assert_string_equal(line_text(&r2, 0), "aa");
    assert_string_equal(line_text(&r2, 1), "aa");
    /* everything fits: one line */
    assert_int_equal(qlb_break(&lb, &r, 1, 1000), 1);
    assert_string_equal(line_text(&r, 0), "aa aa aa");
    /* empty and blank input: no lines */
    qlb_run e = R("", 0, 10), b = R("   ", 0, 10);
    assert_int_equal(qlb_break(&lb, &e, 1, 100), 0);
    assert_int_equal(qlb_break(&lb, &b, 1, 100), 0);
}

/* Words and spaces are found and measured in one pass: every piece
 * measures exactly as qlb_width measures its bytes, whatever they are
 * (tabs and newlines, characters of two to four bytes, bytes that do not
 * decode, next to a space or at the end), and the pieces tile the text,
 * spaces apart from words. */
static void test_pieces_measure_as_width(void **state) {
    (void)state;
    static const char *texts[] = {
        "caf\xC3\xA9 \t na\xC3\xAFve\n\r\xE2\x80\x93 \xF0\x9F\x98\x80x",
        "bad\xE2\x80 \xFF" "byte \xC3 x\xE2", "\xE9\xBE\x8D\xEF\xBC\x81  end  ",
        "\x80\x80 lone continuation"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        qlb_run r = R(texts[t], 1, 9.5f);
        qlb_break(&lb, &r, 1, 1000);
        uint32_t at = 0;
        for (size_t k = 0; k < lb.npieces; k++) {
            const qlb_piece *p = &lb.pieces[k];
            assert_int_equal(p->start, at);
            assert_true(p->len > 0);
            for (uint32_t i = 0; i < p->len; i++) {
                char c = texts[t][p->start + i];
                int sp = c == ' ' || c == '\t' || c == '\n' || c == '\r';
                assert_int_equal(sp, p->kind == 1); /* P_SPACE */
            }
            assert_true(p->w == qlb_width(faces[1], texts[t] + p->start, p->len, 9.5f));
            at += p->len;
        }
        assert_int_equal(at, r.len);
    }
}

static void test_long_word(void **state) {
    (void)state;
    /* 10 'a' = 55.6 pt in a 20 pt line: cut by characters, 3 per line */
    qlb_run r = R("aaaaaaaaaa", 0, 10);
    size_t n = qlb_break(&lb, &r, 1, 20);
    assert_int_equal(n, 4);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(lb.lines[i].width <= 20.0f);
        total += strlen(line_text(&r, i));
    }
    assert_int_equal(total, 10);
    assert_string_equal(line_text(&r, 0), "aaa");
    /* prefer a cut after a hyphen or slash */
    qlb_run h = R("Levelling-up/Housing", 0, 10);
    n = qlb_break(&lb, &h, 1, 70);
    assert_true(n >= 2);
    assert_string_equal(line_text(&h, 0), "Levelling-up/");
    assert_string_equal(line_text(&h, 1), "Housing");
    /* a line narrower than one character still makes progress */
    qlb_run w = R("WWW", 0, 10);
    assert_int_equal(qlb_break(&lb, &w, 1, 1), 3);
    assert_int_equal(qlb_break(&lb, &w, 1, 0), 3);
    /* a long word after a short one starts its own line; its tail shares
     * a line with what follows when that fits */
    qlb_run m = R("aa aaaaaaaaaa aa", 0, 10);
    n = qlb_break(&lb, &m, 1, 20);
    assert_int_equal(n, 5);
    assert_string_equal(line_text(&m, 0), "aa");
    assert_string_equal(line_text(&m, 1), "aaa");
    assert_string_equal(line_text(&m, n - 1), "a aa");
}

static void test_styled_runs(void **state) {
    (void)state;
    qlb_run r[3] = {R("note ", 0, 11), R("the progress", QF_BOLD, 11), R(" made", 0, 11)};
    size_t n = qlb_break(&lb, r, 3, 1000);
    assert_int_equal(n, 1);
    /* one fragment per run per line, contiguous x */
    assert_int_equal(lb.lines[0].nfrag, 3);
    const qlb_frag *f = &lb.frags[lb.lines[0].frag0];
    assert_int_equal(f[0].run, 0);
    assert_int_equal(f[0].len, 5);
    assert_int_equal(f[1].run, 1);
    assert_float_equal(f[1].x, f[0].w, 1e-4);
    assert_float_equal(f[1].w, qlb_width(faces[QF_BOLD], "the progress", 12, 11), 1e-4);
    assert_float_equal(f[2].x, f[1].x + f[1].w, 1e-4);
    /* bold is wider than regular for the same text */
    assert_true(f[1].w > qlb_width(faces[0], "the progress", 12, 11));
    /* a word spanning runs ("ab" + bold "cd") is never split at the run
     * boundary: it moves whole to the next line */
    qlb_run s[2] = {R("xx ab", 0, 10), R("cd", QF_BOLD, 10)};
    n = qlb_break(&lb, s, 2, qlb_width(faces[0], "xx ab", 5, 10) + 1);
    assert_int_equal(n, 2);
    assert_string_equal(line_text(s, 0), "xx");
    assert_string_equal(line_text(s, 1), "abcd");
    assert_int_equal(lb.lines[1].nfrag, 2);
}

static void test_superscript_and_break(void **state) {
    (void)state;
    qlb_run r[3] = {R("1", 0, 11), R("st", 0, 11 * 0.65f), R(" floor", 0, 11)};
    r[1].rise = 11 * 0.33f;
    size_t n = qlb_break(&lb, r, 3, 1000);
    assert_int_equal(n, 1);
    const qlb_frag *f = &lb.frags[lb.lines[0].frag0];
    assert_int_equal(lb.lines[0].nfrag, 3);
    /* measured at the smaller size */
    assert_float_equal(f[1].w, qlb_width(faces[0], "st", 2, 7.15f), 1e-4);
    assert_true(f[1].w < qlb_width(faces[0], "st", 2, 11));
    /* <br/> forces a line; two in a row leave an empty line */
    qlb_run b[5] = {R("one", 0, 10), R("", 0, 10), R("two", 0, 10), R("", 0, 10), R("", 0, 10)};
    b[1].flags = QLB_BREAK;
    b[3].flags = QLB_BREAK;
    b[4].flags = QLB_BREAK;
    qlb_run bb[6];
    memcpy(bb, b, sizeof b);
    bb[5] = R("three", 0, 10);
    n = qlb_break(&lb, bb, 6, 1000);
    assert_int_equal(n, 4);
    assert_string_equal(line_text(bb, 0), "one");
    assert_string_equal(line_text(bb, 1), "two");
    assert_int_equal(lb.lines[2].nfrag, 0);
    assert_string_equal(line_text(bb, 3), "three");
}

/* A no-break run (a cross-reference) moves whole rather than split at its
 * own space. */
static void test_nobreak_run(void **state) {
    (void)state;
    qlb_run r[3] = {R("see ", 0, 10), R("paragraph 3.8", 0, 10), R(" now", 0, 10)};
    float w = qlb_width(faces[0], "see paragraph", 13, 10) + 1;
    r[1].flags = QLB_NOBREAK;
    size_t n = qlb_break(&lb, r, 3, w);
    assert_int_equal(n, 3);
    assert_string_equal(line_text(r, 0), "see");
    assert_string_equal(line_text(r, 1), "paragraph 3.8");
    assert_string_equal(line_text(r, 2), "now");
    /* without the flag the reference would split after "paragraph" */
    r[1].flags = 0;
    n = qlb_break(&lb, r, 3, w);
    assert_string_equal(line_text(r, 0), "see paragraph");
    /* a no-break run longer than the line is still cut, never looping */
    qlb_run lng = R("a b c d e f g h i j k l m n o p", 0, 10);
    lng.flags = QLB_NOBREAK;
    n = qlb_break(&lb, &lng, 1, 30);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) assert_true(lb.lines[i].width <= 30);
}

/* The footer's cut, as it was done: one character off the end and a
 * re-measure until the title fits (quadratic in the title). */
static size_t fit_by_chars(const qfont *f, const char *s, float size, float avail) {
    size_t tl = strlen(s);
    while (tl > 0 && qlb_width(f, s, tl, size) > avail) {
        tl--;
        while (tl > 0 && ((unsigned char)s[tl] & 0xC0) == 0x80) tl--;
    }
    return tl;
}

/* qfont_fit (prefix widths, binary search) cuts exactly where the
 * character-by-character loop did: random texts of ASCII, two- three- and
 * four-byte characters, stray continuation bytes and truncated sequences,
 * against every width from nothing to more than the whole. */
static void test_fit_same_as_char_by_char(void **state) {
    (void)state;
    static const char *const pieces[] = {"a", "W", " ", "\xC3\xA9", "\xE2\x80\x93",
                                         "\xF0\x9F\x98\x80", "\x80", "\xE2\x80", "i",
                                         "\xC3", "\xEF\xBF\xBD", "-"};
    unsigned seed = 12345;
    char s[256];
    for (int round = 0; round < 300; round++) {
        size_t n = 0;
        int k = (int)(seed % 40);
        for (int i = 0; i < k; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
            size_t m = strlen(p);
            memcpy(s + n, p, m);
            n += m;
        }
        s[n] = '\0';
        const qfont *f = faces[round % 2 ? QF_BOLD : QF_REGULAR];
        float size = round % 3 ? 9.0f : 10.5f;
        float whole = qlb_width(f, s, n, size);
        qfont_fit fit;
        qfont_fit_init(&fit, f, s, n, size, whole + 10);
        for (float w = -1; w <= whole + 6; w += 0.37f)
            assert_int_equal(qfont_fit_len(&fit, size, w), fit_by_chars(f, s, size, w));
        qfont_fit_free(&fit);
        /* measured only as far as asked: still the same below that */
        qfont_fit_init(&fit, f, s, n, size, whole / 2);
        for (float w = -1; w <= whole / 2; w += 0.37f)
            assert_int_equal(qfont_fit_len(&fit, size, w), fit_by_chars(f, s, size, w));
        qfont_fit_free(&fit);
    }
}

/* A long word made of many runs (a character per run, as alternating
 * <b> and plain text make) breaks where the same word in one run does;
 * its remaining width is carried past each cut, not re-added from all of
 * its runs on every line (200,000 runs took seconds, 2 million minutes). */
static void test_word_of_many_runs(void **state) {
    (void)state;
    static char text[200001];
    for (size_t i = 0; i < sizeof text - 1; i++) text[i] = (char)('a' + i % 26);
    size_t sizes[2] = {3000, sizeof text - 1};
    for (int t = 0; t < 2; t++) {
        size_t n = sizes[t];
        qlb_run one = R("", QF_REGULAR, 10);
        one.text = text;
        one.len = (uint32_t)n;
        size_t lines = qlb_break(&lb, &one, 1, 100);
        float *w1 = malloc(lines * sizeof *w1);
        for (size_t k = 0; k < lines; k++) w1[k] = lb.lines[k].width;
        qlb_run *many = malloc(n * sizeof *many);
        for (size_t i = 0; i < n; i++) {
            many[i] = one;
            many[i].text = text + i;
            many[i].len = 1;
        }
        size_t got = qlb_break(&lb, many, n, 100), chars = 0;
        for (size_t k = 0; k < got; k++) {
            const qlb_line *ln = &lb.lines[k];
            assert_true(ln->width <= 100 + 1e-3);
            /* full lines: no room for another letter (m is 8.33 pt) */
            if (k + 1 < got) assert_true(ln->width > 100 - 8.4f);
            for (uint32_t f = 0; f < ln->nfrag; f++) chars += lb.frags[ln->frag0 + f].len;
        }
        assert_int_equal(chars, n);
        /* the short word: the very lines of the single run (a long one
         * drifts in float sums either way) */
        if (t == 0) {
            assert_int_equal(got, lines);
            for (size_t k = 0; k < lines; k++)
                assert_float_equal(lb.lines[k].width, w1[k], 0.01);
        }
        free(many);
        free(w1);
    }
}

/* A vector mark (a trend arrow) is as wide as qlb_mark_width whatever its
 * word says, is never cut, and goes to the next line whole. */
static void test_mark_run(void **state) {
    (void)state;
    qlb_run runs[3] = {R("aa ", 0, 10), R("no change", 0, 10), R(" aa", 0, 10)};
    runs[1].flags = QLB_MARK;
    runs[1].shape = QDL_ARROW_RIGHT;
    float mw = qlb_mark_width(QDL_ARROW_RIGHT, 10);
    assert_true(mw > 0 && mw < qlb_width(faces[0], "no change", 9, 10));
    assert_int_equal(qlb_break(&lb, runs, 3, 1000), 1);
    assert_float_equal(lb.lines[0].width, 2 * 11.12 + 2 * 2.77 + mw, 1e-3);
    /* "aa " fits, the mark does not: it moves whole to line 2 (and
     * " aa" after it to line 3) */
    assert_int_equal(qlb_break(&lb, runs, 3, 11.12f + 2.77f + mw - 0.5f), 3);
    assert_int_equal(lb.lines[1].nfrag, 1);
    const qlb_frag *fr = &lb.frags[lb.lines[1].frag0];
    assert_int_equal(fr->run, 1);
    assert_int_equal(fr->len, 9);
    assert_float_equal(fr->w, mw, 1e-4);
    /* narrower than the mark alone: it still gets a line, uncut */
    assert_int_equal(qlb_break(&lb, &runs[1], 1, mw / 2), 1);
    assert_int_equal(lb.frags[0].len, 9);
    assert_float_equal(lb.lines[0].width, mw, 1e-4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_break_positions),
        cmocka_unit_test(test_pieces_measure_as_width),
        cmocka_unit_test(test_long_word),
        cmocka_unit_test(test_styled_runs),
        cmocka_unit_test(test_superscript_and_break),
        cmocka_unit_test(test_nobreak_run),
        cmocka_unit_test(test_fit_same_as_char_by_char),
        cmocka_unit_test(test_word_of_many_runs),
        cmocka_unit_test(test_mark_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
