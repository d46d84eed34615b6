/* See ttf.h.  Everything here is bounds-checked against the table it
 * reads: fonts come from style files, so a damaged one must be refused,
 * not followed. */
#include "font.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char qttf_tags[QTTF__N][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf",
                                    "head", "hhea", "hmtx", "loca", "maxp",
                                    "name", "post", "prep"};

/* Fails with st, saying why in f->why. */
static qttf_status bad(qttf *f, qttf_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static qttf_status bad(qttf *f, qttf_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->why, sizeof f->why, fmt, ap);
    va_end(ap);
    return st;
}

/* A directory's first bytes: room for the entries it counts. */
static qttf_status header(qttf *f, const unsigned char *hdr, size_t size) {
    if (size < 12)
        return bad(f, QTTF_EFORMAT, "%zu bytes, shorter than a font's header", size);
    size_t dlen = 12 + 16 * (size_t)qttf_u16(hdr + 4);
    if (dlen > size)
        return bad(f, QTTF_EFORMAT, "its table directory runs past the end of the "
                   "file (%zu bytes of %zu)", dlen, size);
    return QTTF_OK;
}

/* Records the known tables of directory dir (12 + 16 * n bytes). */
static qttf_status directory(qttf *f, const unsigned char *dir, size_t size) {
    unsigned n = qttf_u16(dir + 4);
    memset(f, 0, sizeof *f);
    f->size = size;
    f->version = qttf_u32(dir);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = dir + 12 + 16 * i;
        uint32_t off = qttf_u32(r + 8), len = qttf_u32(r + 12);
        if (off > size || len > size - off) {
            char tag[5];
            for (int k = 0; k < 4; k++) tag[k] = r[k] >= 0x20 && r[k] < 0x7F ? (char)r[k] : '?';
            tag[4] = 0;
            return bad(f, QTTF_EFORMAT, "table '%s' runs past the end of the file "
                       "(bytes %lu to %lu of %zu): the file is cut short or damaged",
                       tag, (unsigned long)off, (unsigned long)off + len, size);
        }
        for (int t = 0; t < QTTF__N; t++)
            if (memcmp(r, qttf_tags[t], 4) == 0 && !f->has[t]) {
                f->has[t] = 1;
                f->off[t] = off;
                f->len[t] = len;
            }
    }
    return QTTF_OK;
}

qttf_status qttf_from_memory(qttf *f, const unsigned char *data, size_t size) {
    memset(f, 0, sizeof *f);
    qttf_status st = header(f, data, size);
    if (st != QTTF_OK) return st;
    st = directory(f, data, size);
    if (st != QTTF_OK) return st;
    for (int t = 0; t < QTTF__N; t++)
        if (f->has[t]) f->t[t] = data + f->off[t];
    return QTTF_OK;
}

qttf_status qttf_metrics(qttf *f) {
    static const int need[] = {QTTF_HEAD, QTTF_HHEA, QTTF_MAXP, QTTF_HMTX};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!f->t[need[i]])
            return bad(f, QTTF_EMISSING, "it has no '%s' table", qttf_tags[need[i]]);
    if (f->len[QTTF_HEAD] < 54 || f->len[QTTF_MAXP] < 6 || f->len[QTTF_HHEA] < 36)
        return bad(f, QTTF_EFORMAT, "its 'head', 'hhea' or 'maxp' table is too short");
    f->upem = qttf_u16(f->t[QTTF_HEAD] + 18);
    f->long_loca = qttf_s16(f->t[QTTF_HEAD] + 50) != 0;
    f->nglyphs = qttf_u16(f->t[QTTF_MAXP] + 4);
    f->nhm = qttf_u16(f->t[QTTF_HHEA] + 34);
    if (f->upem < 16 || f->upem > 16384)
        return bad(f, QTTF_EFORMAT, "its units per em (%u) are outside 16 to 16384", f->upem);
    if (f->nglyphs == 0 || f->nhm == 0 || f->nhm > f->nglyphs ||
        4 * (size_t)f->nhm > f->len[QTTF_HMTX])
        return bad(f, QTTF_EFORMAT, "its glyph metrics ('hhea', 'hmtx', 'maxp') do not "
                   "agree: %u glyphs, %u metrics in %lu bytes", f->nglyphs, f->nhm,
                   (unsigned long)f->len[QTTF_HMTX]);
    return QTTF_OK;
}

qttf_status qttf_pick_cmap(qttf *f) {
    const unsigned char *c = f->t[QTTF_CMAP];
    uint32_t n = f->len[QTTF_CMAP];
    if (!c) return bad(f, QTTF_EMISSING, "it has no 'cmap' table");
    if (n < 4 || 4 + 8 * (size_t)qttf_u16(c + 2) > n)
        return bad(f, QTTF_ECMAP, "its 'cmap' table is cut short");
    unsigned nt = qttf_u16(c + 2);
    static const struct { int pid, eid, fmt; } pref[] = {
        {3, 1, 4}, {0, -1, 4}, {3, 10, 12}, {0, -1, 12}, {3, 0, 4}};
    for (size_t k = 0; k < sizeof pref / sizeof pref[0]; k++) {
        for (unsigned i = 0; i < nt; i++) {
            const unsigned char *r = c + 4 + 8 * i;
            uint32_t off = qttf_u32(r + 4);
            if ((int)qttf_u16(r) != pref[k].pid ||
                (pref[k].eid >= 0 && (int)qttf_u16(r + 2) != pref[k].eid))
                continue;
            if (off > n || n - off < 16) continue;
            const unsigned char *s = c + off;
            if ((int)qttf_u16(s) != pref[k].fmt) continue;
            uint32_t len = pref[k].fmt == 4 ? qttf_u16(s + 2) : qttf_u32(s + 4);
            if (len < 16 || len > n - off) continue;
            if (pref[k].fmt == 4) {
                unsigned segx2 = qttf_u16(s + 6);
                if (segx2 == 0 || segx2 % 2 || 16 + 4 * (size_t)segx2 > len)
                    continue;
            } else if ((len - 16) / 12 < qttf_u32(s + 12)) {
                continue;
            }
            f->cmap = s;
            f->cmap_len = len;
            f->cmap_fmt = (unsigned)pref[k].fmt;
            return QTTF_OK;
        }
    }
    return bad(f, QTTF_ECMAP, "its 'cmap' table has no usable Unicode subtable");
}

static unsigned subtable_gid(const qttf *f, uint32_t c) {
    const unsigned char *s = f->cmap;
    uint32_t n = f->cmap_len;
    if (!s) return 0;
    if (f->cmap_fmt == 4) {
        if (c > 0xFFFF) return 0;
        unsigned segx2 = qttf_u16(s + 6), lo = 0, hi = segx2 / 2;
        while (lo < hi) {  /* first segment whose end is >= c */
            unsigned mid = (lo + hi) / 2;
            if (qttf_u16(s + 14 + 2 * mid) < c) lo = mid + 1;
            else hi = mid;
        }
        if (lo == segx2 / 2) return 0;
        const unsigned char *seg = s + 16 + segx2 + 2 * lo;
        unsigned start = qttf_u16(seg), delta = qttf_u16(seg + segx2);
        unsigned ro = qttf_u16(seg + 2 * segx2);
        if (start > c) return 0;
        if (ro == 0) return (c + delta) & 0xFFFF;
        size_t at = (size_t)(seg + 2 * segx2 - s) + ro + 2 * (size_t)(c - start);
        if (at + 2 > n) return 0;
        unsigned g = qttf_u16(s + at);
        return g ? (g + delta) & 0xFFFF : 0;
    }
    uint32_t ng = qttf_u32(s + 12), lo = 0, hi = ng;  /* format 12 */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const unsigned char *g = s + 16 + 12 * (size_t)mid;
        if (qttf_u32(g + 4) < c) lo = mid + 1;
        else if (qttf_u32(g) > c) hi = mid;
        else {
            uint32_t id = qttf_u32(g + 8) + (c - qttf_u32(g));
            return id <= 0xFFFF ? id : 0;
        }
    }
    return 0;
}

/* A subtable that names a glyph past maxp's count (a damaged or hostile
 * font: validation does not read every mapping) maps to no glyph, so no
 * caller indexes its per-glyph arrays with it. */
unsigned qttf_gid(const qttf *f, uint32_t c) {
    unsigned g = subtable_gid(f, c);
    return g < f->nglyphs ? g : 0;
}

/* Format 4 whose segments end in increasing order (every font that is
 * not damaged): a code above one segment's end and up to the next's is
 * the next segment's, which is the segment qttf_gid's search finds, so
 * each segment's codes are mapped without a search each.  0 when the
 * ends are out of order (then each code is looked up). */
static int each_bmp_sorted4(const qttf *f, void (*fn)(void *ctx, unsigned c, unsigned g),
                            void *ctx) {
    const unsigned char *s = f->cmap;
    unsigned segx2 = qttf_u16(s + 6), count = segx2 / 2;
    for (unsigned i = 1; i < count; i++)
        if (qttf_u16(s + 14 + 2 * i) <= qttf_u16(s + 12 + 2 * i)) return 0;
    uint32_t next = 0; /* codes below belong to earlier segments */
    for (unsigned i = 0; i < count && next <= 0xFFFE; i++) {
        const unsigned char *seg = s + 16 + segx2 + 2 * i;
        uint32_t end = qttf_u16(s + 14 + 2 * i), start = qttf_u16(seg);
        unsigned delta = qttf_u16(seg + segx2), ro = qttf_u16(seg + 2 * segx2);
        uint32_t from = start > next ? start : next;
        next = end + 1;
        if (end > 0xFFFE) end = 0xFFFE;
        for (uint32_t c = from; c <= end; c++) {
            unsigned g;
            if (ro == 0) {
                g = (c + delta) & 0xFFFF;
            } else {
                size_t at = (size_t)(seg + 2 * segx2 - s) + ro + 2 * (size_t)(c - start);
                g = at + 2 > f->cmap_len ? 0 : qttf_u16(s + at);
                g = g ? (g + delta) & 0xFFFF : 0;
            }
            if (g && g < f->nglyphs) fn(ctx, c, g);
        }
    }
    return 1;
}

void qttf_each_bmp(const qttf *f, void (*fn)(void *ctx, unsigned c, unsigned g),
                   void *ctx) {
    const unsigned char *s = f->cmap;
    if (!s) return;
    if (f->cmap_fmt == 4 && each_bmp_sorted4(f, fn, ctx)) return;
    /* The ranges the subtable names, each code looked up as qttf_gid does.
     * The format sorts them; a range out of order is skipped, so a damaged
     * font costs no more than a good one (each code is visited once). */
    unsigned count = f->cmap_fmt == 4 ? qttf_u16(s + 6) / 2 : qttf_u32(s + 12);
    uint32_t next = 0;  /* codes below are done */
    for (unsigned i = 0; i < count && next <= 0xFFFE; i++) {
        uint32_t start, end;
        if (f->cmap_fmt == 4) {
            end = qttf_u16(s + 14 + 2 * i);
            start = qttf_u16(s + 16 + 2 * (size_t)count + 2 * i);
        } else {
            start = qttf_u32(s + 16 + 12 * (size_t)i);
            end = qttf_u32(s + 20 + 12 * (size_t)i);
        }
        if (end > 0xFFFE) end = 0xFFFE;
        if (start < next) start = next;
        if (start > end) continue;
        for (uint32_t c = start; c <= end; c++) {
            unsigned g = qttf_gid(f, c);
            if (g && g < f->nglyphs) fn(ctx, c, g);
        }
        next = end + 1;
    }
}

unsigned qttf_width(const qttf *f, unsigned g) {
    unsigned i = g < f->nhm ? g : f->nhm - 1;
    unsigned aw = qttf_u16(f->t[QTTF_HMTX] + 4 * i);
    return (uint16_t)(aw * 1000u / f->upem);
}

int qttf_os2_heights(const qttf *f, int *cap, int *xh) {
    const unsigned char *os2 = f->t[QTTF_OS2];
    if (!os2 || f->len[QTTF_OS2] < 90 || qttf_u16(os2) < 2) return 0;
    *xh = qttf_s16(os2 + 86) * 1000 / (int)f->upem;
    *cap = qttf_s16(os2 + 88) * 1000 / (int)f->upem;
    return 1;
}

int qttf_loca_ok(const qttf *f) {
    return f->t[QTTF_LOCA] &&
                   ((size_t)f->nglyphs + 1) * (f->long_loca ? 4 : 2) <= f->len[QTTF_LOCA]
               ? 0 : -1;
}

size_t qttf_glyph(const qttf *f, unsigned g, size_t *len) {
    const unsigned char *l = f->t[QTTF_LOCA];
    size_t a, b;
    if (f->long_loca) {
        a = qttf_u32(l + 4 * g);
        b = qttf_u32(l + 4 * g + 4);
    } else {
        a = 2 * (size_t)qttf_u16(l + 2 * g);
        b = 2 * (size_t)qttf_u16(l + 2 * g + 2);
    }
    *len = (b > a && b <= f->len[QTTF_GLYF]) ? b - a : 0;
    return a;
}

qttf_status qttf_validate(qttf *f) {
    /* what embedding writes besides what measuring reads */
    static const int need[] = {QTTF_GLYF, QTTF_LOCA, QTTF_NAME, QTTF_OS2};
    qttf_status st = qttf_metrics(f);
    if (st != QTTF_OK) return st;
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!f->has[need[i]])
            return bad(f, QTTF_EMISSING, "it has no '%s' table", qttf_tags[need[i]]);
    if (!f->t[QTTF_OS2] || !f->t[QTTF_LOCA])
        return bad(f, QTTF_EIO, "its 'OS/2' and 'loca' tables were not read");
    if (f->len[QTTF_OS2] < 78)
        return bad(f, QTTF_EFORMAT, "its 'OS/2' table is cut short (%lu bytes)",
                   (unsigned long)f->len[QTTF_OS2]);
    /* restricted licence, no subsetting, bitmaps only: not embeddable */
    if (qttf_u16(f->t[QTTF_OS2] + 8) & (0x0002 | 0x0100 | 0x0200))
        return bad(f, QTTF_ELICENCE, "its licence does not allow embedding it in a PDF");
    if (qttf_loca_ok(f) != 0)
        return bad(f, QTTF_EFORMAT, "its 'loca' table is too short for its %u glyphs",
                   f->nglyphs);
    /* every glyph inside 'glyf', in order */
    const unsigned char *l = f->t[QTTF_LOCA];
    size_t prev = 0;
    for (unsigned g = 0; g <= f->nglyphs; g++) {
        size_t at = f->long_loca ? qttf_u32(l + 4 * (size_t)g) : 2 * (size_t)qttf_u16(l + 2 * (size_t)g);
        if (at < prev || at > f->len[QTTF_GLYF])
            return bad(f, QTTF_EFORMAT, "glyph %u lies outside its 'glyf' table (offset "
                       "%zu of %lu): the file is cut short or damaged", g ? g - 1 : 0, at,
                       (unsigned long)f->len[QTTF_GLYF]);
        prev = at;
    }
    return qttf_pick_cmap(f);
}
