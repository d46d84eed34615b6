/* Word tables to <table>: column shares from the grid, header rows
 * (w:tblHeader), merged cells (gridSpan across, vMerge down) and ratings:
 * a cell shaded red, amber or green (the nearest colour of the RAG scale,
 * when it is near one) or saying R, A, G, Red, Amber or Green is a rated
 * cell, so the report's colours come from its scale, not from Word. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx.h"

/* Fills Word authors use for each rating, and the scale's own. */
static const struct { const char *code; unsigned rgb; } rag_fills[] = {
    {"R", 0xC00000}, {"R", 0xFF0000}, {"A", 0xFFC000}, {"A", 0xFFBF00},
    {"A", 0xFFA500}, {"A", 0xFFFF00}, {"G", 0x00B050}, {"G", 0x92D050},
    {"G", 0x00FF00}, {"G", 0x008000},
};
static const struct { const char *word, *code; } rag_words[] = {
    {"R", "R"}, {"A", "A"}, {"G", "G"}, {"Red", "R"}, {"Amber", "A"}, {"Green", "G"},
};

static int hexval(const char *s, unsigned *rgb) {
    unsigned v = 0;
    for (int i = 0; i < 6; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + (unsigned)d;
    }
    if (s[6]) return -1;
    *rgb = v;
    return 0;
}

/* The rating code whose colour is nearest fill, when it is near one. */
static const char *fill_rating(const char *fill) {
    unsigned rgb;
    if (!fill || hexval(fill, &rgb) != 0) return NULL;
    const char *best = NULL;
    long bestd = 60L * 60 * 3; /* further than this from every one: no rating */
    for (size_t i = 0; i < sizeof rag_fills / sizeof *rag_fills; i++) {
        long d = 0;
        for (int sh = 0; sh < 24; sh += 8) {
            long x = (long)(rgb >> sh & 255) - (long)(rag_fills[i].rgb >> sh & 255);
            d += x * x;
        }
        if (d < bestd) bestd = d, best = rag_fills[i].code;
    }
    return best;
}

static const char *word_rating(const char *text) {
    while (*text == ' ') text++;
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ') n--;
    for (size_t i = 0; i < sizeof rag_words / sizeof *rag_words; i++)
        if (strlen(rag_words[i].word) == n && strncasecmp(rag_words[i].word, text, n) == 0)
            return rag_words[i].code;
    return NULL;
}

static unsigned span_of(const qnode *tc) {
    const char *v = dx_child_val(dx_child(tc, "tcPr"), "gridSpan");
    long n = v ? strtol(v, NULL, 10) : 1;
    return n >= 1 && n <= 1000 ? (unsigned)n : 1;
}

/* 0 no merge, 1 starts a vertical merge, 2 continues the one above. */
static int vmerge(const qnode *tc) {
    const char *v = dx_child_val(dx_child(tc, "tcPr"), "vMerge");
    if (!v) return 0;
    return strcmp(v, "restart") == 0 ? 1 : 2;
}

static unsigned before_of(const qnode *tr) {
    const char *v = dx_child_val(dx_child(tr, "trPr"), "gridBefore");
    long n = v ? strtol(v, NULL, 10) : 0;
    return n >= 0 && n <= 1000 ? (unsigned)n : 0;
}

/* The cell of row tr that starts at grid column col, or NULL. */
static const qnode *cell_at(const qnode *tr, unsigned col) {
    unsigned g = before_of(tr);
    for (const qnode *tc = dx_child(tr, "tc"); tc && g <= col; tc = dx_next(tc, "tc")) {
        if (g == col) return tc;
        g += span_of(tc);
    }
    return NULL;
}

static unsigned rowspan(const qnode *tr, unsigned col) {
    unsigned n = 1;
    for (const qnode *r = dx_next(tr, "tr"); r && n < 10000; r = dx_next(r, "tr")) {
        const qnode *tc = cell_at(r, col);
        if (!tc || vmerge(tc) != 2) break;
        n++;
    }
    return n;
}

static void put_cols(const qnode *tbl, qstr *out) {
    const qnode *grid = dx_child(tbl, "tblGrid");
    long total = 0;
    size_t n = 0;
    for (const qnode *g = dx_child(grid, "gridCol"); g; g = dx_next(g, "gridCol")) {
        const char *w = dx_attr(g, "w");
        long v = w ? strtol(w, NULL, 10) : 0;
        total += v > 0 && v < 100000 ? v : 0;
        n++;
    }
    if (total <= 0 || n > 1000) return;
    for (const qnode *g = dx_child(grid, "gridCol"); g; g = dx_next(g, "gridCol")) {
        const char *w = dx_attr(g, "w");
        long v = w ? strtol(w, NULL, 10) : 0;
        long share = v > 0 && v < 100000 ? (v * 100 + total / 2) / total : 0;
        qstr_printf(out, "<col width=\"%ld*\"/>", share < 1 ? 1 : share > 1000 ? 1000 : share);
    }
    qstr_puts(out, "\n");
}

static void put_cell(dxctx *c, const qnode *tr, const qnode *tc, unsigned col,
                     int depth, qstr *out) {
    qstr xml = {0}, text = {0};
    size_t paras = 0;
    for (const qnode *x = tc->first; x; x = x->next)
        if (x->type != QN_TEXT && strcmp(x->name, "p") == 0) paras++;
    int blocks = paras > 1 || dx_child(tc, "tbl");
    for (const qnode *x = tc->first; x; x = x->next) {
        if (x->type == QN_TEXT) continue;
        if (strcmp(x->name, "p") == 0) {
            qstr one = {0};
            dx_inline(c, x, &one, &text, NULL);
            if (blocks && one.len) {
                qstr_puts(&xml, "<p>");
                qstr_puts(&xml, one.s);
                qstr_puts(&xml, "</p>");
            } else if (one.len) {
                qstr_puts(&xml, one.s);
            }
            qstr_free(&one);
        } else if (strcmp(x->name, "tbl") == 0 && depth < 8) {
            dx_table(c, x, &xml);
        }
    }
    const char *shd = dx_attr(dx_child(dx_child(tc, "tcPr"), "shd"), "fill");
    const char *by_fill = fill_rating(shd);
    const char *by_word = text.s ? word_rating(text.s) : NULL;
    if (by_fill && by_word && strcmp(by_fill, by_word) != 0)
        dx_diag(c, QUORUM_WARNING, "the cell says %s but is shaded as %s; rated %s",
                text.s, by_fill, by_word);
    const char *rating = by_word ? by_word : by_fill;
    qstr_puts(out, "<cell");
    unsigned span = span_of(tc);
    if (span > 1) qstr_printf(out, " colspan=\"%u\"", span);
    if (vmerge(tc) == 1) {
        unsigned rs = rowspan(tr, col);
        if (rs > 1) qstr_printf(out, " rowspan=\"%u\"", rs);
    }
    if (rating) qstr_printf(out, " rating=\"%s\" align=\"center\"", rating);
    qstr_puts(out, ">");
    if (xml.s) qstr_puts(out, xml.s);
    qstr_puts(out, "</cell>");
    qstr_free(&xml);
    qstr_free(&text);
}

void dx_table(dxctx *c, const qnode *tbl, qstr *out) {
    /* nested tables are walked here too; the part's depth bounds them */
    int depth = 0;
    for (const qnode *p = tbl->parent; p; p = p->parent) depth += p->type != QN_TEXT &&
                                                               strcmp(p->name, "tbl") == 0;
    if (!dx_child(tbl, "tr")) return; /* no rows: nothing to show */
    unsigned saved[3] = {c->table, c->row, c->cell};
    if (depth == 0) c->table = ++c->tables;
    qstr_puts(out, "    <table>\n");
    put_cols(tbl, out);
    unsigned row = 0;
    for (const qnode *tr = dx_child(tbl, "tr"); tr; tr = dx_next(tr, "tr")) {
        if (depth == 0) c->row = ++row;
        const qnode *trpr = dx_child(tr, "trPr");
        qstr_puts(out, dx_toggle(trpr, "tblHeader") ? "<row header=\"true\">" : "<row>");
        unsigned col = before_of(tr), k = 0;
        for (const qnode *tc = dx_child(tr, "tc"); tc; tc = dx_next(tc, "tc")) {
            if (depth == 0) c->cell = ++k;
            /* a continued vertical merge is the cell above's rowspan */
            if (vmerge(tc) != 2) put_cell(c, tr, tc, col, depth, out);
            col += span_of(tc);
        }
        qstr_puts(out, "</row>\n");
    }
    qstr_puts(out, "    </table>\n");
    c->table = saved[0];
    c->row = saved[1];
    c->cell = saved[2];
}
