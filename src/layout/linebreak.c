#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { P_WORD = 0, P_SPACE, P_BREAK };

void qlb_init(qlb *lb, qfont *const faces[QF__COUNT]) {
    memset(lb, 0, sizeof *lb);
    for (int i = 0; i < QF__COUNT; i++) lb->faces[i] = faces[i];
}

void qlb_free(qlb *lb) {
    free(lb->pieces);
    free(lb->frags);
    free(lb->lines);
    memset(lb, 0, sizeof *lb);
}

float qlb_width(const qfont *f, const char *s, size_t len, float size) {
    long units = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        if (c < 0x80) { cp = c; i++; }
        else {
            int n = qutf8_decode(s + i, len - i, &cp);
            i += n ? (size_t)n : 1;
        }
        units += qfont_cp_width(f, cp);
    }
    return (float)units * size / 1000.0f;
}

/* About an arrow glyph's advance and a capital's height, so a mark sits
 * in text like a character. */
float qlb_mark_width(unsigned shape, float size) {
    return (shape == QDL_BOX || shape == QDL_BOX_TICKED ? 1.1f : 0.85f) * size;
}
float qlb_mark_height(float size) { return 0.72f * size; }

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
static void push_piece(qlb *lb, uint32_t run, uint32_t start, uint32_t len,
                       float w, int kind) {
    if (lb->npieces == lb->cap_pieces)
        lb->pieces = qgrow(lb->pieces, &lb->cap_pieces, lb->npieces + 1,
                          sizeof *lb->pieces);
    qlb_piece *p = &lb->pieces[lb->npieces++];
    p->run = run; p->start = start; p->len = len; p->w = w; p->kind = kind;
}

static const qfont *face_of(const qlb *lb, const qlb_run *r) {
    const qfont *f = lb->faces[r->face < QF__COUNT ? r->face : 0];
    return f ? f : lb->faces[0];
}

/* Splits every run into words and spaces, measuring each once. */
static void make_pieces(qlb *lb, const qlb_run *runs, size_t nruns) {
    lb->npieces = 0;
    for (size_t r = 0; r < nruns; r++) {
        const qlb_run *run = &runs[r];
        if (run->flags & QLB_BREAK) {
            push_piece(lb, (uint32_t)r, 0, 0, 0, P_BREAK);
            continue;
        }
        if (run->flags & QLB_MARK) {
            push_piece(lb, (uint32_t)r, 0, run->len, qlb_mark_width(run->shape, run->size), P_WORD);
            continue;
        }
        const qfont *f = face_of(lb, run);
        uint32_t i = 0;
        if (run->flags & QLB_NOBREAK) {
            /* one word, inner spaces included; only its outer spaces break */
            uint32_t s = 0, e = run->len;
            while (s < e && is_space(run->text[s])) s++;
            while (e > s && is_space(run->text[e - 1])) e--;
            if (s > 0) push_piece(lb, (uint32_t)r, 0, s, qlb_width(f, run->text, s, run->size), P_SPACE);
            if (e > s) push_piece(lb, (uint32_t)r, s, e - s, qlb_width(f, run->text + s, e - s, run->size), P_WORD);
            if (e < run->len && e >= s)
                push_piece(lb, (uint32_t)r, e, run->len - e,
                           qlb_width(f, run->text + e, run->len - e, run->size), P_SPACE);
            continue;
        }
        /* Words and spaces found and measured in one pass (as qlb_width
         * measures: a byte that does not decode is one .notdef).  No byte
         * of a multi-byte character is a space, so a character never
         * straddles two pieces. */
        const char *t = run->text;
        while (i < run->len) {
            uint32_t s = i;
            int sp = is_space(t[i]);
            long units = 0;
            while (i < run->len) {
                unsigned char c = (unsigned char)t[i];
                uint32_t cp = c;
                if (c < 0x80) {
                    if (is_space((char)c) != sp) break;
                    i++;
                } else {
                    if (sp) break;
                    int n = qutf8_decode(t + i, run->len - i, &cp);
                    i += n ? (uint32_t)n : 1;
                }
                units += qfont_cp_width(f, cp);
            }
            push_piece(lb, (uint32_t)r, s, i - s, (float)units * run->size / 1000.0f,
                       sp ? P_SPACE : P_WORD);
        }
    }
}

/* Appends piece text to the current line, extending the line's last
 * fragment when it continues the same run contiguously. */
static void add_to_line(qlb *lb, qlb_line *ln, uint32_t run, uint32_t start,
                        uint32_t len, float w) {
    if (ln->nfrag) {
        qlb_frag *last = &lb->frags[lb->nfrags - 1];
        if (last->run == run && last->start + last->len == start) {
            last->len += len;
            last->w += w;
            ln->width += w;
            return;
        }
    }
    if (lb->nfrags == lb->cap_frags)
        lb->frags = qgrow(lb->frags, &lb->cap_frags, lb->nfrags + 1, sizeof *lb->frags);
    qlb_frag *fr = &lb->frags[lb->nfrags++];
    fr->run = run; fr->start = start; fr->len = len;
    fr->x = ln->width; fr->w = w;
    ln->nfrag++;
    ln->width += w;
}

static qlb_line *new_line(qlb *lb) {
    lb->lines = qgrow(lb->lines, &lb->cap_lines, lb->nlines + 1, sizeof *lb->lines);
    qlb_line *ln = &lb->lines[lb->nlines++];
    ln->frag0 = (uint32_t)lb->nfrags;
    ln->nfrag = 0;
    ln->width = 0;
    return ln;
}

/* A word wider than the line: find where to cut it.  Prefers the last
 * "-", "–" or "/" that fits, else the most characters that fit (at least
 * one, so the caller always makes progress).  Returns the piece index and
 * byte offset (within that piece's run text) of the cut. */
static void cut_word(const qlb *lb, const qlb_run *runs, size_t i, size_t j,
                     float avail, size_t *cut_piece, uint32_t *cut_off) {
    float acc = 0;
    size_t best_p = i, hy_p = (size_t)-1;
    uint32_t best_off = 0, hy_off = 0;
    int have_best = 0;
    for (size_t k = i; k < j; k++) {
        const qlb_piece *p = &lb->pieces[k];
        const qlb_run *run = &runs[p->run];
        const qfont *f = face_of(lb, run);
        uint32_t b = p->start, end = p->start + p->len;
        if (run->flags & QLB_MARK) { /* one piece, never cut */
            if (have_best && acc + p->w > avail) goto done;
            acc += p->w;
            best_p = k; best_off = end; have_best = 1;
            continue;
        }
        while (b < end) {
            uint32_t cp;
            int n = qutf8_decode(run->text + b, end - b, &cp);
            if (n <= 0) n = 1;
            float w = (float)qfont_cp_width(f, cp) * run->size / 1000.0f;
            if (have_best && acc + w > avail) goto done;
            acc += w;
            b += (uint32_t)n;
            best_p = k; best_off = b; have_best = 1;
            if (cp == '-' || cp == 0x2013 || cp == '/') { hy_p = k; hy_off = b; }
        }
    }
done:
    if (hy_p != (size_t)-1) { *cut_piece = hy_p; *cut_off = hy_off; }
    else { *cut_piece = best_p; *cut_off = best_off; }
}

size_t qlb_break(qlb *lb, const qlb_run *runs, size_t nruns, float width) {
    lb->nfrags = 0;
    lb->nlines = 0;
    make_pieces(lb, runs, nruns);
    qlb_line *ln = NULL;   /* current line, NULL before any content */
    size_t lnidx = 0;
    const qlb_piece *space = NULL;
    size_t i = 0;
    size_t rest_at = (size_t)-1, rest_end = 0; /* a cut word goes on at rest_at */
    float rest_w = 0;
#define CUR (&lb->lines[lnidx])
    while (i < lb->npieces) {
        qlb_piece *p = &lb->pieces[i];
        if (p->kind == P_BREAK) {
            if (!ln) { ln = new_line(lb); lnidx = lb->nlines - 1; }
            ln = NULL;   /* the next content starts a new line */
            /* a break right after a break still produces an empty line */
            if (i + 1 < lb->npieces && lb->pieces[i + 1].kind == P_BREAK) {
                ln = new_line(lb); lnidx = lb->nlines - 1;
            }
            space = NULL;
            i++;
            continue;
        }
        if (p->kind == P_SPACE) {
            space = (ln && CUR->nfrag) ? p : NULL;
            i++;
            continue;
        }
        /* the word's end and width: measured once per word, then carried
         * past each cut (rescanning a word of many runs at every line it
         * fills would be quadratic) */
        size_t j = i;
        float ww = 0;
        if (i == rest_at) {
            j = rest_end;
            ww = rest_w;
        } else {
            while (j < lb->npieces && lb->pieces[j].kind == P_WORD) ww += lb->pieces[j++].w;
        }
        float sw = space ? space->w : 0;
        if (ln && CUR->nfrag && CUR->width + sw + ww > width) {
            ln = NULL;
            space = NULL;
            sw = 0;
        }
        if (!ln) { ln = new_line(lb); lnidx = lb->nlines - 1; }
        if (CUR->width + sw + ww <= width || CUR->nfrag) {
            if (space) add_to_line(lb, CUR, space->run, space->start, space->len, space->w);
            for (size_t k = i; k < j; k++) {
                qlb_piece *q = &lb->pieces[k];
                add_to_line(lb, CUR, q->run, q->start, q->len, q->w);
            }
            space = NULL;
            i = j;
            continue;
        }
        /* Alone on its line and still too wide: cut it. */
        size_t cp; uint32_t off;
        cut_word(lb, runs, i, j, width, &cp, &off);
        for (size_t k = i; k < cp; k++) {
            qlb_piece *q = &lb->pieces[k];
            add_to_line(lb, CUR, q->run, q->start, q->len, q->w);
            ww -= q->w;
        }
        qlb_piece *q = &lb->pieces[cp];
        const qlb_run *run = &runs[q->run];
        uint32_t head = off - q->start;
        float hw = (run->flags & QLB_MARK) ? q->w
                   : qlb_width(face_of(lb, run), run->text + q->start, head, run->size);
        add_to_line(lb, CUR, q->run, q->start, head, hw);
        q->start = off;
        q->len -= head;
        q->w -= hw;
        i = q->len ? cp : cp + 1;
        rest_at = i;
        rest_end = j;
        rest_w = ww - hw;
        ln = NULL;
        space = NULL;
    }
#undef CUR
    return lb->nlines;
}
