/* A page canvas (issue 18, "Streaming a pack", step 1): a page's content
 * stream and what the document must make for it, without the libharu
 * document, so any thread may draw a page.  The content is written as the
 * adapter wrote it (WORKAROUND 13 in hpdf_adapter.c: numbers to 3
 * decimals, text as literal strings of qh_code_of's codes, lines placed by
 * Td from the last, redundant state skipped); what needs the document is
 * noted in order as events: a font or image resource the first time the
 * page uses it (named F1, F2... and X1, X2... in that order, as libharu
 * names them), and each marked-content sequence with the element it
 * belongs to and its MCID.  The writer replays the events on the document
 * in the same order (qhpdf_place_page), so the objects it makes and their
 * numbers are those of drawing straight into the document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "pdf.h"
#include "util.h"

struct qcanvas {
    int tagged;
    char *cs;                 /* the page's content, uncompressed */
    size_t cs_len, cs_cap;
    size_t stroke_end;        /* cs_len just after the last stroke's "S" */
    int in_text;
    long long line_x, line_y; /* the text line's start, in 1/1000 pt */
    int cur_font;
    float cur_size;
    uint32_t fill, stroke;    /* 0xFFFFFFFF = unknown */
    float line_width;         /* < 0 = unknown */
    int open_mc;              /* 0 none, 1 artifact, 2 tagged */
    int open_elem;            /* element of the open tagged sequence */
    int open_art;             /* QH_ART_* of the open artifact sequence */
    int mcid;                 /* next MCID on this page */
    int font_res[QCV_FONTS];  /* its resource number (F<n>), 0 = unused */
    int nfont_res, nimage_res;
    qcv_event *ev;            /* this page's events */
    int nev, cap_ev;
    uint8_t *codes[QCV_FONTS]; /* code points drawn with each font, all pages */
};

qcanvas *qcv_new(int tagged) {
    qcanvas *c = calloc(1, sizeof *c);
    if (!c) qfatal_oom();
    c->tagged = tagged;
    return c;
}

void qcv_free(qcanvas *c) {
    if (!c) return;
    free(c->cs);
    free(c->ev);
    for (int i = 0; i < QCV_FONTS; i++) free(c->codes[i]);
    free(c);
}

const uint8_t *qcv_codes(const qcanvas *c, int font) {
    return font >= 0 && font < QCV_FONTS ? c->codes[font] : NULL;
}

void qcv_begin(qcanvas *c) {
    c->cs_len = 0;
    c->stroke_end = 0;
    c->in_text = 0;
    c->cur_font = -1;
    c->cur_size = 0;
    c->fill = c->stroke = 0xFFFFFFFFu;
    c->line_width = -1;
    c->open_mc = 0;
    c->open_elem = -1;
    c->mcid = 0;
    c->nfont_res = c->nimage_res = 0;
    for (int i = 0; i < QCV_FONTS; i++) c->font_res[i] = 0;
    c->nev = 0;
}

static void event(qcanvas *c, int kind, int a, int b, const char *name, const qimage *img) {
    if (c->nev == c->cap_ev) {
        c->cap_ev = c->cap_ev ? 2 * c->cap_ev : 64;
        c->ev = realloc(c->ev, (size_t)c->cap_ev * sizeof *c->ev);
        if (!c->ev) qfatal_oom();
    }
    c->ev[c->nev++] = (qcv_event){kind, a, b, name, img};
}

/* ---- the content stream -------------------------------------------------- */

static void cs_need(qcanvas *c, size_t n) {
    if (c->cs_len + n <= c->cs_cap) return;
    size_t cap = c->cs_cap ? c->cs_cap : 16384;
    while (cap < c->cs_len + n) cap *= 2;
    c->cs = realloc(c->cs, cap);
    if (!c->cs) qfatal_oom();
    c->cs_cap = cap;
}

static void cs_put(qcanvas *c, const char *s, size_t n) {
    if (!n) return;
    cs_need(c, n);
    memcpy(c->cs + c->cs_len, s, n);
    c->cs_len += n;
}

static void cs_str(qcanvas *c, const char *s) { cs_put(c, s, strlen(s)); }

/* v in decimal (a resource's number, an MCID: snprintf was 700
 * instructions of each mark and font change). */
static void cs_uint(qcanvas *c, unsigned v) {
    char tmp[12], *e = tmp + sizeof tmp, *p = e;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cs_put(c, p, (size_t)(e - p));
}

/* v in units of 10^-dec (3 or 4 decimals), rounded half away from zero:
 * 1/1000 pt is far below what any device shows, and a colour component
 * to 1/10000 is exact after conversion to 8 bits. */
static const long long dec_scale[] = {1, 10, 100, 1000, 10000};

static long long cs_round(float v, int dec) {
    double d = (double)v * (double)dec_scale[dec];
    if (!(d > -1e15 && d < 1e15)) d = 0; /* NaN or absurd: never drawn */
    return (long long)(d < 0 ? d - 0.5 : d + 0.5);
}

/* m units of 10^-dec, trailing zeros dropped, then sep. */
static void cs_fixed(qcanvas *c, long long m, int dec, char sep) {
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    int neg = m < 0;
    unsigned long long u = (unsigned long long)(neg ? -m : m);
    unsigned long long ip = u / (unsigned long long)dec_scale[dec];
    unsigned long long fp = u % (unsigned long long)dec_scale[dec];
    *--p = sep;
    if (fp) {
        int k = dec;
        while (fp % 10 == 0) {
            fp /= 10;
            k--;
        }
        for (; k > 0; k--) {
            *--p = (char)('0' + fp % 10);
            fp /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (neg) *--p = '-';
    cs_put(c, p, (size_t)(e - p));
}

static void cs_num(qcanvas *c, float v, int dec, char sep) {
    cs_fixed(c, cs_round(v, dec), dec, sep);
}

static void cs_rgb(qcanvas *c, uint32_t rgb, const char *op) {
    cs_num(c, (float)((rgb >> 16) & 255) / 255.0f, 4, ' ');
    cs_num(c, (float)((rgb >> 8) & 255) / 255.0f, 4, ' ');
    cs_num(c, (float)(rgb & 255) / 255.0f, 4, ' ');
    cs_str(c, op);
}

static void end_text(qcanvas *c) {
    if (c->in_text) {
        cs_put(c, "ET\n", 3);
        c->in_text = 0;
    }
}

static void set_fill(qcanvas *c, uint32_t rgb) {
    if (rgb == c->fill) return;
    cs_rgb(c, rgb, "rg\n");
    c->fill = rgb;
}

/* The code point at *p (valid UTF-8, as callers promise; a stray byte
 * reads as U+FFFD), advancing *p past it. */
static unsigned next_cp(const unsigned char **p) {
    const char *s = (const char *)*p;
    uint32_t cp;
    size_t avail = strnlen(s, 4);
    int n = qutf8_decode(s, avail, &cp);
    *p += n > 0 ? n : 1;
    return cp;
}

/* Text as a literal string of the font's codes (qh_code_of: one byte
 * for ASCII, two or three for the rest; outside U+0000..U+FFFF: a space).
 * Only the string delimiters, the backslash and CR (which a reader would
 * turn into LF) need escaping; every other byte may stand as itself. */
#define CS_STRING_BYTES 32767 /* PDF's limit for a string in a content stream */
static void cs_text(qcanvas *c, uint8_t *flagged, const char *s) {
    size_t n = strlen(s);
    /* WORKAROUND 15: a string ends before a code would cross the limit */
    const size_t per_string = CS_STRING_BYTES;
    /* each byte of UTF-8: at most 2 code bytes, escaped; ") Tj\n(" between
     * strings */
    cs_need(c, 4 * n + 8 + 6 * (2 * n / per_string + 1));
    char *o = c->cs + c->cs_len;
    *o++ = '(';
    const unsigned char *p = (const unsigned char *)s;
    size_t bytes = 0;
    while (*p) {
        unsigned u = *p;
        /* ASCII, nearly all of a report's text, is its own one-byte code:
         * no decoding (issue 18: next_cp's strnlen and decode were a
         * third of drawing a character) */
        if (u < 0x80) {
            p++;
            flagged[u >> 3] |= (uint8_t)(1u << (u & 7));
            if (bytes + 1 > per_string) {
                memcpy(o, ") Tj\n(", 6);
                o += 6;
                bytes = 0;
            }
            bytes++;
            if (u == '(' || u == ')' || u == '\\' || u == '\r') {
                *o++ = '\\';
                *o++ = u == '\r' ? 'r' : (char)u;
            } else {
                *o++ = (char)u;
            }
            continue;
        }
        u = next_cp(&p);
        if (u > 0xFFFF) u = 0x20;
        flagged[u >> 3] |= (uint8_t)(1u << (u & 7));
        unsigned char b[3];
        int width = qh_code_of(u, b);
        /* each Tj starts where the last one ended */
        if (bytes + (size_t)width > per_string) {
            memcpy(o, ") Tj\n(", 6);
            o += 6;
            bytes = 0;
        }
        bytes += (size_t)width;
        for (int i = 0; i < width; i++) {
            if (b[i] == '(' || b[i] == ')' || b[i] == '\\') {
                *o++ = '\\';
                *o++ = (char)b[i];
            } else if (b[i] == '\r') {
                *o++ = '\\';
                *o++ = 'r';
            } else {
                *o++ = (char)b[i];
            }
        }
    }
    *o++ = ')';
    c->cs_len = (size_t)(o - c->cs);
}

void qcv_font(qcanvas *c, int font) {
    if (font < 0 || font >= QCV_FONTS || c->font_res[font]) return;
    c->font_res[font] = ++c->nfont_res;
    event(c, QCV_FONT, font, c->nfont_res, NULL, NULL);
}

int qcv_text(qcanvas *c, int font, float size, uint32_t rgb, float x, float y,
             const char *s) {
    if (font < 0 || font >= QCV_FONTS || !(size > 0)) return -1;
    qcv_font(c, font);
    if (!c->in_text) {
        cs_put(c, "BT\n", 3);
        c->in_text = 1;
        c->line_x = c->line_y = 0;
    }
    if (font != c->cur_font || size != c->cur_size) {
        cs_put(c, "/F", 2);
        cs_uint(c, (unsigned)c->font_res[font]);
        cs_put(c, " ", 1);
        cs_num(c, size, 3, ' ');
        cs_put(c, "Tf\n", 3);
        c->cur_font = font;
        c->cur_size = size;
    }
    set_fill(c, rgb & 0xFFFFFFu);
    /* Td from the last line's start, in whole thousandths of a point as
     * an absolute Tm would be: the sum a reader makes is exact, and most
     * lines differ from the last by one leading, which deflates better
     * than a new absolute position each time. */
    long long mx = cs_round(x, 3), my = cs_round(y, 3);
    cs_fixed(c, mx - c->line_x, 3, ' ');
    cs_fixed(c, my - c->line_y, 3, ' ');
    cs_put(c, "Td\n", 3);
    c->line_x = mx;
    c->line_y = my;
    if (!c->codes[font]) {
        c->codes[font] = calloc(1, QHPDF_CODE_BITS);
        if (!c->codes[font]) qfatal_oom();
    }
    cs_text(c, c->codes[font], s);
    cs_put(c, " Tj\n", 4);
    return 0;
}

void qcv_fill(qcanvas *c, float x, float y, float w, float ht, uint32_t rgb) {
    end_text(c); /* no paths inside a text object */
    set_fill(c, rgb & 0xFFFFFFu);
    cs_num(c, x, 3, ' ');
    cs_num(c, y, 3, ' ');
    cs_num(c, w, 3, ' ');
    cs_num(c, ht, 3, ' ');
    cs_put(c, "re\nf\n", 5);
}

static void set_stroke(qcanvas *c, float width, uint32_t rgb) {
    if (width != c->line_width) {
        cs_num(c, width, 3, ' ');
        cs_put(c, "w\n", 2);
        c->line_width = width;
    }
    rgb &= 0xFFFFFFu;
    if (rgb != c->stroke) {
        cs_rgb(c, rgb, "RG\n");
        c->stroke = rgb;
    }
}

/* A stroke right after another in the same width and colour joins its
 * path (a table's rules are one path, not one a cell edge): the "S" that
 * ended the last one is taken back.  Opaque colours only, so the page
 * looks the same. */
static void stroke_begin(qcanvas *c, float width, uint32_t rgb) {
    end_text(c);
    size_t at = c->cs_len;
    set_stroke(c, width, rgb);
    if (c->cs_len == at && at == c->stroke_end && at >= 2) c->cs_len -= 2;
}

static void stroke_end(qcanvas *c) {
    cs_put(c, "S\n", 2);
    c->stroke_end = c->cs_len;
}

void qcv_line(qcanvas *c, float x0, float y0, float x1, float y1, float width,
              uint32_t rgb) {
    stroke_begin(c, width, rgb);
    cs_num(c, x0, 3, ' ');
    cs_num(c, y0, 3, ' ');
    cs_put(c, "m\n", 2);
    cs_num(c, x1, 3, ' ');
    cs_num(c, y1, 3, ' ');
    cs_put(c, "l\n", 2);
    stroke_end(c);
}

void qcv_path(qcanvas *c, const float *xy, int n, int how, float width, uint32_t rgb) {
    if (n < 2) return;
    if (how == QHPDF_FILL) {
        end_text(c);
        set_fill(c, rgb & 0xFFFFFFu);
    } else {
        stroke_begin(c, width, rgb);
    }
    for (int i = 0; i < n; i++) {
        cs_num(c, xy[2 * i], 3, ' ');
        cs_num(c, xy[2 * i + 1], 3, ' ');
        cs_put(c, i ? "l\n" : "m\n", 2);
    }
    if (how == QHPDF_FILL) {
        cs_put(c, "h\nf\n", 4);
        return;
    }
    if (how == QHPDF_CLOSE) cs_put(c, "h\n", 2);
    stroke_end(c);
}

void qcv_image(qcanvas *c, const char *name, const qimage *img, float x, float y, float w,
               float ht) {
    end_text(c);
    /* an image drawn twice on a page is one resource (the document makes
     * one XObject of a name and pixels, hpdf_image.c), and libharu's
     * HPDF_Page_GetXObjectName gives it the name it has */
    int res = 0;
    for (int i = 0; i < c->nev && !res; i++)
        if (c->ev[i].kind == QCV_IMAGE && strcmp(c->ev[i].name, name) == 0 &&
            qimage_same(c->ev[i].img, img))
            res = c->ev[i].b;
    if (!res) {
        res = ++c->nimage_res;
        event(c, QCV_IMAGE, 0, res, name, img);
    }
    cs_put(c, "q\n", 2);
    cs_num(c, w, 3, ' ');
    cs_put(c, "0 0 ", 4);
    cs_num(c, ht, 3, ' ');
    cs_num(c, x, 3, ' ');
    cs_num(c, y, 3, ' ');
    char op[24];
    int n = snprintf(op, sizeof op, "cm\n/X%d Do\nQ\n", res);
    cs_put(c, op, (size_t)n);
}

/* ---- marked content (tagged PDF, WORKAROUND 11) --------------------------- */

static void mc_close(qcanvas *c) {
    if (!c->open_mc) return;
    end_text(c);
    cs_str(c, "EMC\n");
    c->open_mc = 0;
    c->open_elem = -1;
}

void qcv_mark_artifact(qcanvas *c, int type) {
    static const char *const props[] = {
        [QH_ART_LAYOUT] = "/Artifact <</Type /Layout>> BDC\n",
        [QH_ART_PAGINATION] = "/Artifact <</Type /Pagination>> BDC\n",
        [QH_ART_HEADER] = "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n",
        [QH_ART_FOOTER] = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"};
    if (!c->tagged) return;
    if (type < QH_ART_LAYOUT || type > QH_ART_FOOTER) type = QH_ART_LAYOUT;
    if (c->open_mc == 1 && c->open_art == type) return;
    mc_close(c);
    end_text(c);
    cs_str(c, props[type]);
    c->open_mc = 1;
    c->open_art = type;
}

void qcv_mark(qcanvas *c, int elem, const char *role) {
    if (!c->tagged) return;
    if (elem < 0) {
        qcv_mark_artifact(c, QH_ART_LAYOUT);
        return;
    }
    if (c->open_mc == 2 && c->open_elem == elem) return;
    mc_close(c);
    end_text(c);
    int mcid = c->mcid++;
    cs_put(c, "/", 1);
    cs_str(c, role);
    cs_put(c, " <</MCID ", 9);
    cs_uint(c, (unsigned)mcid);
    cs_put(c, ">> BDC\n", 7);
    c->open_mc = 2;
    c->open_elem = elem;
    event(c, QCV_MARK, elem, mcid, NULL, NULL);
}

void qcv_end(qcanvas *c, qcv_page *out) {
    end_text(c);
    mc_close(c);
    out->data = malloc(c->cs_len ? c->cs_len : 1);
    out->ev = malloc((size_t)(c->nev ? c->nev : 1) * sizeof *out->ev);
    if (!out->data || !out->ev) qfatal_oom();
    if (c->cs_len) memcpy(out->data, c->cs, c->cs_len); /* an empty page has no buffer */
    out->n = c->cs_len;
    out->deflated = 0;
    if (c->nev) memcpy(out->ev, c->ev, (size_t)c->nev * sizeof *c->ev);
    out->nev = c->nev;
}

void qcv_page_free(qcv_page *p) {
    if (!p) return;
    free(p->data);
    free(p->ev);
    for (int i = 0; i < p->nlinks; i++) {
        free(p->links[i].uri);
        free(p->links[i].contents);
    }
    free(p->links);
    memset(p, 0, sizeof *p);
}
