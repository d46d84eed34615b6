#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

struct qfonts {
    char *dir;
    char *paths[QF__COUNT];
    qfont faces[QF__COUNT];
    int tried[QF__COUNT];  /* 1 = attempted (so a failure is reported once) */
    int ok[QF__COUNT];
};

/* by face % 4: the heading and table families default to the body's */
static const char *default_names[4] = {
    "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"};

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) qfatal_oom();
    memcpy(p, s, n);
    return p;
}

qfonts *qfonts_new(const char *dir) {
    qfonts *f = calloc(1, sizeof *f);
    if (!f) qfatal_oom();
    f->dir = xstrdup(dir ? dir : ".");
    return f;
}

void qfonts_free(qfonts *f) {
    if (!f) return;
    for (int i = 0; i < QF__COUNT; i++) {
        free(f->paths[i]);
        free(f->faces[i].widths);
        free((char *)f->faces[i].path);
    }
    free(f->dir);
    free(f);
}

void qfonts_set_path(qfonts *f, qfont_face face, const char *path) {
    free(f->paths[face]);
    f->paths[face] = xstrdup(path);
}

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static int s16(const unsigned char *p) { return (int16_t)u16(p); }
static unsigned long u32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

typedef struct ttf {
    const unsigned char *b;
    size_t len;
} ttf;

/* Returns the table's bytes, or NULL when absent or out of bounds. */
static const unsigned char *table(const ttf *t, const char *tag, size_t min,
                                  size_t *len_out) {
    if (t->len < 12) return NULL;
    unsigned n = u16(t->b + 4);
    if (12 + (size_t)n * 16 > t->len) return NULL;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = t->b + 12 + i * 16;
        if (memcmp(r, tag, 4) != 0) continue;
        unsigned long off = u32(r + 8), len = u32(r + 12);
        if (off > t->len || len > t->len - off || len < min) return NULL;
        if (len_out) *len_out = len;
        return t->b + off;
    }
    return NULL;
}

/* Parses the font; 0 on success. */
static int parse(const ttf *t, qfont *f) {
    size_t hlen, hhlen, mlen, clen, maxlen, oslen;
    const unsigned char *head = table(t, "head", 54, &hlen);
    const unsigned char *hhea = table(t, "hhea", 36, &hhlen);
    const unsigned char *hmtx = table(t, "hmtx", 4, &mlen);
    const unsigned char *cmap = table(t, "cmap", 4, &clen);
    const unsigned char *maxp = table(t, "maxp", 6, &maxlen);
    const unsigned char *os2 = table(t, "OS/2", 78, &oslen);
    if (!head || !hhea || !hmtx || !cmap || !maxp) return -1;
    unsigned upem = u16(head + 18);
    if (upem < 16) return -1;
    unsigned nmetrics = u16(hhea + 34);
    unsigned nglyphs = u16(maxp + 4);
    if (nmetrics == 0 || (size_t)nmetrics * 4 > mlen) return -1;

    f->ascender = s16(hhea + 4) * 1000 / (int)upem;
    f->descender = s16(hhea + 6) * 1000 / (int)upem;
    f->cap_height = 700;
    if (os2 && u16(os2) >= 2 && oslen >= 90)
        f->cap_height = s16(os2 + 88) * 1000 / (int)upem;

    /* libharu's rounding: advance * 1000 / unitsPerEm, truncated. */
#define ADV(gid) ((uint16_t)((unsigned)u16(hmtx + 4 * ((gid) < nmetrics ? (gid) : nmetrics - 1)) * 1000u / upem))
    f->missing_width = ADV(0u);

    /* Find a Unicode BMP subtable of format 4 (3,1 preferred, else 0,x). */
    const unsigned char *sub = NULL;
    unsigned nsub = u16(cmap + 2);
    if (4 + (size_t)nsub * 8 > clen) return -1;
    for (unsigned i = 0; i < nsub; i++) {
        const unsigned char *r = cmap + 4 + i * 8;
        unsigned plat = u16(r), enc = u16(r + 2);
        unsigned long off = u32(r + 4);
        if (off + 14 > clen || u16(cmap + off) != 4) continue;
        if ((plat == 3 && enc == 1) || (plat == 0 && !sub)) sub = cmap + off;
    }
    if (!sub) return -1;
    size_t sublen = u16(sub + 2);
    if (sub + sublen > cmap + clen) return -1;
    unsigned segs = u16(sub + 6) / 2;
    if (16 + (size_t)segs * 8 > sublen) return -1;
    const unsigned char *ends = sub + 14, *starts = ends + segs * 2 + 2,
                        *deltas = starts + segs * 2, *ranges = deltas + segs * 2;

    f->widths = malloc(0x10000 * sizeof(uint16_t));
    if (!f->widths) qfatal_oom();
    memset(f->widths, 0xFF, 0x10000 * sizeof(uint16_t));
    for (unsigned s = 0; s < segs; s++) {
        unsigned end = u16(ends + 2 * s), start = u16(starts + 2 * s);
        unsigned delta = u16(deltas + 2 * s), roff = u16(ranges + 2 * s);
        if (start > end) continue;
        for (unsigned c = start; c <= end && c != 0xFFFF; c++) {
            unsigned gid;
            if (roff == 0) {
                gid = (c + delta) & 0xFFFF;
            } else {
                const unsigned char *g = ranges + 2 * s + roff + 2 * (c - start);
                if (g + 2 > sub + sublen) break;
                gid = u16(g);
                if (gid) gid = (gid + delta) & 0xFFFF;
            }
            if (gid == 0 || gid >= nglyphs) continue;
            f->widths[c] = ADV(gid);
        }
    }
#undef ADV
    return 0;
}

qfont *qfonts_face(qfonts *f, qfont_face face, quorum_diags *d) {
    if (face < 0 || face >= QF__COUNT) return NULL;
    if (f->tried[face]) return f->ok[face] ? &f->faces[face] : NULL;
    f->tried[face] = 1;
    char *path;
    if (f->paths[face]) {
        path = xstrdup(f->paths[face]);
    } else {
        const char *name = default_names[face % 4];
        size_t n = strlen(f->dir) + strlen(name) + 2;
        path = malloc(n);
        if (!path) qfatal_oom();
        snprintf(path, n, "%s/%s", f->dir, name);
    }
    qpos nopos = {0, 0, 0};
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (d) qdiag_add(d, QUORUM_ERROR, nopos, "cannot open font file %s", path);
        free(path);
        return NULL;
    }
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 19;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) qfatal_oom();
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) break;
    }
    int rerr = ferror(fp);
    fclose(fp);
    qfont *q = &f->faces[face];
    ttf t = {buf, len};
    if (rerr || parse(&t, q) != 0) {
        if (d)
            qdiag_add(d, QUORUM_ERROR, nopos,
                      "%s is not a readable TrueType font", path);
        free(q->widths);
        q->widths = NULL;
        free(buf);
        free(path);
        return NULL;
    }
    free(buf);
    q->path = path;
    f->ok[face] = 1;
    return q;
}

int qutf8_decode(const char *s, size_t len, uint32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    *cp = 0xFFFD;
    if (len == 0) return 0;
    unsigned c = p[0];
    if (c < 0x80) { *cp = c; return 1; }
    int n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)n > len) return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

double qfont_text_width(const qfont *f, const char *s, size_t len, double size) {
    long sum = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = qutf8_decode(s + i, len - i, &cp);
        if (n == 0) n = 1;
        sum += qfont_cp_width(f, cp);
        i += (size_t)n;
    }
    return (double)sum * size / 1000.0;
}
