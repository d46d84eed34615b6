/* Fonts for the libharu adapter (WORKAROUND 12; the ToUnicode map is
 * WORKAROUND 2): the Type0 font, its CIDFontType2 with /W and
 * /CIDToGIDMap for the codes used, the descriptor and the subset program,
 * all made with libharu's object API once the document is drawn. */
#include "hpdf_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- TrueType fonts (WORKAROUND 12) --------------------------------------
 * libharu's TrueType path (HPDF_LoadTTFontFromFile, HPDF_GetFont,
 * HPDF_TTFontDef_SaveFontData) reads the file through fread in pieces of
 * two and four bytes, builds a width array and a CIDToGIDMap by looking
 * up all 65,536 code points in its cmap, and copies every table of the
 * subset four bytes at a time: a quarter of a report's build time.  The
 * file's bytes come from the engine's font cache instead (read once, the
 * bytes layout measured with; the adapter opens no font file) and are
 * read in place with the TrueType reader layout measures with
 * (src/font/ttf.h: the same tables, cmap subtable and glyphs), and its objects are made with libharu's object API once
 * the document is drawn (qh_build_font): a Type0 font (its /Encoding a
 * fixed CMap of mixed-width codes whose CIDs are the code points,
 * set_encoding) whose CIDFontType2 has /W and
 * a /CIDToGIDMap for the codes used only, and a subset program holding
 * glyph 0, the glyphs drawn and their components.  The values libharu
 * computed are kept: widths advance * 1000 / unitsPerEm truncated (what
 * layout measures with, see test_widths_match_libharu), /DW from glyph 0,
 * ascent and descent from hhea, /FontBBox from head, /Flags from the name
 * table's subfamily and OS/2's family class, /StemV 0.  Writing the
 * subset (tt_subset) is here: only embedding needs it.
 *
 * Layout measured with a few tables of the file; the others the subset
 * copies are asked for when the font is loaded, and the glyphs it keeps
 * when it is built (need, need_glyphs), so the outlines never drawn
 * (most of a file) are never read. */

/* Bytes [at, at + n) of f's data valid; 0, or -1 when they could not be
 * read (the font's file was cut short or failed since it was measured). */
static int need(const qhpdf_font *f, size_t at, size_t n) {
    return f->src && qfont_need(f->src, at, n) != 0 ? -1 : 0;
}

/* Glyph g's bytes in 'glyf' valid; 0 or -1. */
static int need_glyph(const qhpdf_font *f, unsigned g) {
    size_t len, at = qttf_glyph(&f->tt, g, &len);
    return len ? need(f, f->tt.off[QTTF_GLYF] + at, len) : 0;
}

/* Every glyph marked in want valid, neighbours read in one call: a
 * system call costs more than the few hundred bytes between two glyphs
 * drawn, which are mostly on the same pages anyway.  0 or -1. */
static int need_glyphs(const qhpdf_font *f, const unsigned char *want) {
    enum { GAP = 2048 };
    if (!f->src) return 0;
    size_t base = f->tt.off[QTTF_GLYF], at = 0, end = 0;
    for (unsigned g = 0; g < f->tt.nglyphs; g++) {
        size_t len, ga;
        if (!want[g] || (ga = qttf_glyph(&f->tt, g, &len), len == 0)) continue;
        if (end > at && ga >= at && ga <= end + GAP) {
            if (ga + len > end) end = ga + len;
            continue;
        }
        if (end > at && need(f, base + at, end - at) != 0) return -1;
        at = ga;
        end = ga + len;
    }
    return end > at ? need(f, base + at, end - at) : 0;
}

static void wr16(unsigned char *p, unsigned v) {
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void wr32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The table checksum: big-endian words, the last padded with zeros. */
static uint32_t tt_sum(const unsigned char *p, size_t n) {
    uint32_t s = 0;
    size_t whole = n & ~(size_t)3;
    for (size_t i = 0; i < whole; i += 4)
        s += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
             (uint32_t)p[i + 2] << 8 | p[i + 3];
    if (whole < n) {
        unsigned char b[4] = {0, 0, 0, 0};
        memcpy(b, p + whole, n - whole);
        s += qttf_u32(b);
    }
    return s;
}

/* libharu's width of glyph g in 1/1000 em (HPDF_TTFontDef_GetGidWidth). */
static int tt_width(const qhpdf_font *f, unsigned g) {
    if (g >= f->tt.nglyphs) return f->missing_width;
    return (int16_t)qttf_width(&f->tt, g);
}

/* Top of glyph g's box in 1/1000 em (libharu's cap and x heights); *err
 * set when its bytes could not be read. */
static int glyph_top(const qhpdf_font *f, unsigned g, int *err) {
    size_t len, at = g && g < f->tt.nglyphs ? qttf_glyph(&f->tt, g, &len) : 0;
    if (!g || g >= f->tt.nglyphs || len < 10) return 0;
    if (need_glyph(f, g) != 0) {
        *err = 1;
        return 0;
    }
    return (uint16_t)(qttf_s16(f->tt.t[QTTF_GLYF] + at + 8) * 1000 / (int)f->tt.upem);
}

/* The PostScript name (name ID 6), kept to the characters a PDF name
 * takes without escapes; the subfamily (ID 2) gives libharu's flags. */
static void read_names(qhpdf_font *f) {
    const unsigned char *t = f->tt.t[QTTF_NAME];
    uint32_t n = f->tt.len[QTTF_NAME];
    f->psname[0] = 0;
    if (n < 6) return;
    unsigned count = qttf_u16(t + 2), str = qttf_u16(t + 4);
    int got_ps = 0, got_sub = 0;
    for (unsigned i = 0; i < count && 6 + 12 * (size_t)(i + 1) <= n; i++) {
        const unsigned char *r = t + 6 + 12 * i;
        unsigned pid = qttf_u16(r), id = qttf_u16(r + 6), len = qttf_u16(r + 8);
        size_t off = (size_t)str + qttf_u16(r + 10);
        if ((id != 6 && id != 2) || (pid != 1 && pid != 3)) continue;
        if ((id == 6 && got_ps) || (id == 2 && got_sub)) continue;
        if (off > n || len > n - off) continue;
        char s[64];
        size_t k = 0;
        unsigned step = pid == 3 ? 2 : 1;
        for (unsigned j = 0; j + step <= len && k + 1 < sizeof s; j += step) {
            unsigned ch = pid == 3 ? qttf_u16(t + off + j) : t[off + j];
            if (id == 2 || (ch > 32 && ch < 127 && !strchr("()<>[]{}/%#", (int)ch)))
                s[k++] = (char)(ch < 128 ? ch : '?');
        }
        s[k] = 0;
        if (id == 6) {
            memcpy(f->psname, s, k + 1);
            got_ps = 1;
        } else {
            if (strstr(s, "Bold")) f->flags |= HPDF_FONT_FOURCE_BOLD;
            if (strstr(s, "Italic")) f->flags |= HPDF_FONT_ITALIC;
            got_sub = 1;
        }
    }
}

/* Checks the file's bytes (the engine's font cache holds them: the
 * adapter never opens a font file); the error libharu would give
 * otherwise. */
static HPDF_STATUS tt_open(qhpdf_font *f, const unsigned char *data,
                           size_t size, const qfont *src) {
    if (!data) return HPDF_FILE_IO_ERROR;
    f->data = data;
    f->size = size;
    f->src = src;
    /* the header and directory (measured, so read already: the checks
     * cost a lock each) */
    if (need(f, 0, size < 12 ? size : 12) != 0) return HPDF_FILE_IO_ERROR;
    if (size >= 12) {
        size_t dlen = 16 * (size_t)qttf_u16(data + 4);
        if (need(f, 12, dlen < size - 12 ? dlen : size - 12) != 0) return HPDF_FILE_IO_ERROR;
    }
    /* libharu's error for each way a font can be unusable. */
    static const HPDF_STATUS as_hpdf[] = {
        [QTTF_OK] = HPDF_OK, [QTTF_EIO] = HPDF_FILE_IO_ERROR,
        [QTTF_EFORMAT] = HPDF_TTF_INVALID_FOMAT,
        [QTTF_EMISSING] = HPDF_TTF_MISSING_TABLE,
        [QTTF_ECMAP] = HPDF_TTF_INVALID_CMAP};
    qttf_status ts = qttf_from_memory(&f->tt, f->data, f->size);
    if (ts != QTTF_OK) return as_hpdf[ts];
    /* every table the subset copies, whole ('post' its header), here;
     * of 'glyf' only the glyphs kept, when the font is built */
    for (int t = 0; t < QTTF__N; t++) {
        if (!f->tt.has[t] || t == QTTF_GLYF) continue;
        size_t len = t == QTTF_POST && f->tt.len[t] > 32 ? 32 : f->tt.len[t];
        if (need(f, f->tt.off[t], len) != 0) return HPDF_FILE_IO_ERROR;
    }
    static const int need[] = {QTTF_HEAD, QTTF_MAXP, QTTF_HHEA, QTTF_CMAP, QTTF_HMTX,
                               QTTF_LOCA, QTTF_NAME, QTTF_OS2, QTTF_GLYF};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!f->tt.has[need[i]]) return HPDF_TTF_MISSING_TABLE;
    if (f->tt.len[QTTF_OS2] < 32) return HPDF_TTF_INVALID_FOMAT;
    ts = qttf_metrics(&f->tt);
    if (ts != QTTF_OK) return as_hpdf[ts];
    if (qttf_loca_ok(&f->tt) != 0) return HPDF_TTF_INVALID_FOMAT;
    const unsigned char *head = f->tt.t[QTTF_HEAD], *hhea = f->tt.t[QTTF_HHEA];
    const unsigned char *os2 = f->tt.t[QTTF_OS2];
    /* Embedding refused: restricted licence, no subsetting, bitmap only. */
    if (qttf_u16(os2 + 8) & (0x0002 | 0x0100 | 0x0200))
        return HPDF_TTF_CANNOT_EMBEDDING_FONT;
    ts = qttf_pick_cmap(&f->tt);
    if (ts != QTTF_OK) return as_hpdf[ts];

    int upem = (int)f->tt.upem;
    for (int i = 0; i < 4; i++) f->bbox[i] = qttf_s16(head + 36 + 2 * i) * 1000 / upem;
    f->ascent = (int16_t)(qttf_s16(hhea + 4) * 1000 / upem);
    f->descent = (int16_t)(qttf_s16(hhea + 6) * 1000 / upem);
    f->missing_width = tt_width(f, 0);
    f->flags = HPDF_FONT_STD_CHARSET;
    unsigned cls = os2[30];
    if ((cls > 0 && cls < 6) || cls == 7) f->flags |= HPDF_FONT_SERIF;
    if (cls == 10) f->flags |= HPDF_FONT_SCRIPT;
    if (cls == 12) f->flags |= HPDF_FONT_SYMBOLIC;
    read_names(f);
    if (f->tt.has[QTTF_POST] && f->tt.len[QTTF_POST] >= 16) {
        const unsigned char *post = f->tt.t[QTTF_POST];
        f->italic = (double)(int32_t)qttf_u32(post + 4) / 65536.0;
        if (qttf_u32(post + 12)) f->flags |= HPDF_FONT_FIXED_WIDTH;
    }
    /* OS/2 version 2 has them; libharu measured glyphs H and x. */
    int cap = 0, xh = 0, err = 0;
    if (!qttf_os2_heights(&f->tt, &cap, &xh)) cap = xh = 0;
    f->cap_height = cap > 0 ? cap : glyph_top(f, qttf_gid(&f->tt, 'H'), &err);
    f->x_height = xh > 0 ? xh : glyph_top(f, qttf_gid(&f->tt, 'x'), &err);
    return err ? HPDF_FILE_IO_ERROR : HPDF_OK;
}

/* The CIDSystemInfo of the CIDFont and of a one-byte CMap: PDF/A wants
 * the two alike when the CMap is not Identity-H. */
static HPDF_Dict cid_system_info(qhpdf *h) {
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Dict info = HPDF_Dict_New(mm);
    if (!info) return NULL;
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    return info;
}

enum { BATCH = 100 }; /* the CMap format's limit per begin...end block */

/* The codespace of qh_code_of's codes, for both CMaps. */
static const char codespace[] =
    "3 begincodespacerange\n<00> <7F>\n<8000> <FEFF>\n<FF0000> <FFFFFF>\n"
    "endcodespacerange\n";

/* The CMap's program: each code to its code point as CID, in ranges over
 * the last byte only (the form every reader takes the same way). */
static void write_mixed_cmap(HPDF_Stream s) {
    char line[64];
    HPDF_Stream_WriteStr(s,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def "
        "/Ordering (Identity) def /Supplement 0 def end def\n"
        "/CMapName /Quorum-Mixed def\n"
        "/CMapType 1 def\n"
        "/WMode 0 def\n");
    HPDF_Stream_WriteStr(s, codespace);
    /* ASCII, then one range per 256 code points: U+0080..U+7EFF two-byte,
     * U+7F00..U+FFFF three-byte */
    enum { NRANGES = 0x101 };
    for (unsigned r = 0; r < NRANGES; r++) {
        if (r % BATCH == 0) {
            unsigned left = NRANGES - r;
            snprintf(line, sizeof line, "%u begincidrange\n", left < BATCH ? left : BATCH);
            HPDF_Stream_WriteStr(s, line);
        }
        unsigned hi = r - 1; /* the block of range r >= 1 */
        if (r == 0)
            snprintf(line, sizeof line, "<00> <7F> 0\n");
        else if (r == 1)
            snprintf(line, sizeof line, "<8080> <80FF> 128\n");
        else if (hi < (QH_TWO_BYTE_END >> 8))
            snprintf(line, sizeof line, "<%02X00> <%02XFF> %u\n", 0x80 + hi, 0x80 + hi, hi << 8);
        else
            snprintf(line, sizeof line, "<FF%02X00> <FF%02XFF> %u\n", hi, hi, hi << 8);
        HPDF_Stream_WriteStr(s, line);
        if (r % BATCH == BATCH - 1 || r == NRANGES - 1) HPDF_Stream_WriteStr(s, "endcidrange\n");
    }
    HPDF_Stream_WriteStr(s,
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n");
}

/* The font's /Encoding: one embedded CMap that every font shares, fixed
 * (qh_code_of), so no page's codes depend on what other pages draw and a
 * page can be drawn before the document is laid out.  Its CIDs are the
 * code points, as /W, the CIDToGIDMap, the CIDSet and the subset are
 * keyed, and the ToUnicode map takes the codes back to them.  Two-byte
 * Identity-H codes made text half of a big pack's page content; mostly
 * ASCII text is one byte a character here. */
static void set_encoding(qhpdf *h, qhpdf_font *f) {
    if (!h->mixed_cmap) {
        HPDF_Dict cmap = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
        HPDF_Dict info = cmap ? cid_system_info(h) : NULL;
        if (!info) return;
        cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Dict_AddName(cmap, "Type", "CMap");
        HPDF_Dict_AddName(cmap, "CMapName", "Quorum-Mixed");
        HPDF_Dict_Add(cmap, "CIDSystemInfo", info);
        HPDF_Dict_AddNumber(cmap, "WMode", 0);
        if (h->err) return;
        write_mixed_cmap(cmap->stream);
        h->mixed_cmap = cmap;
    }
    HPDF_Dict_Add(f->font, "Encoding", h->mixed_cmap);
}

int qhpdf_load_font(qhpdf *h, const char *path, const unsigned char *data,
                    size_t size, const qfont *src) {
    if (h->err) return -1;
    for (int i = 0; i < h->nfonts; i++)
        if (strcmp(h->fonts[i].path, path) == 0) return i;
    if (h->nfonts == MAX_FONTS) {
        qh_fail(h, HPDF_INVALID_FONT);
        return -1;
    }
    qhpdf_font *f = &h->fonts[h->nfonts];
    memset(f, 0, sizeof *f);
    HPDF_STATUS st = tt_open(f, data, size, src);
    if (st != HPDF_OK) {
        memset(f, 0, sizeof *f);
        /* path is the qfont's, held by the engine's font cache, so it
         * outlives h; only the first failure is reported */
        if (st == HPDF_FILE_IO_ERROR && !h->err) h->io_path = path;
        qh_fail(h, st);
        return -1;
    }
    /* The font's dictionary now, for the pages' resources; the rest when
     * the document is complete (build_font). */
    HPDF_Dict d = HPDF_Dict_New(h->pdf->mmgr);
    if (d && HPDF_Xref_Add(h->pdf->xref, d) != HPDF_OK) d = NULL;
    if (d) {
        HPDF_Dict_AddName(d, "Type", "Font");
        HPDF_Dict_AddName(d, "Subtype", "Type0");
    }
    if (!d || h->err) {
        memset(f, 0, sizeof *f);
        if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    f->font = d;
    f->path = qh_xstrdup(path);
    f->flagged = qh_xrealloc(NULL, QHPDF_CODE_BITS);
    memset(f->flagged, 0, QHPDF_CODE_BITS);
    set_encoding(h, f);
    return h->err ? -1 : h->nfonts++;
}

/* Marks glyph g and, through composite glyphs, every glyph it uses (their
 * bytes read as they are met: g's were, by need_glyphs); 0, or -1 when a
 * component's could not be read. */
static int keep_glyph(const qhpdf_font *f, unsigned char *keep, unsigned g) {
    unsigned stack[64];
    int sp = 0;
    if (g >= f->tt.nglyphs || keep[g]) return 0;
    keep[g] = 1;
    stack[sp++] = g;
    while (sp > 0) {
        unsigned top = stack[--sp];
        if (top != g && need_glyph(f, top) != 0) return -1;
        size_t len, at = qttf_glyph(&f->tt, top, &len);
        const unsigned char *p = f->tt.t[QTTF_GLYF] + at, *e = p + len;
        if (len < 10 || qttf_s16(p) >= 0) continue;
        p += 10;
        unsigned flags = 0;
        do {
            if (e - p < 4) break;
            flags = qttf_u16(p);
            unsigned c = qttf_u16(p + 2);
            p += 4 + ((flags & 1) ? 4 : 2);
            if (flags & 8) p += 2;
            else if (flags & 64) p += 4;
            else if (flags & 128) p += 8;
            if (c < f->tt.nglyphs && !keep[c]) {
                keep[c] = 1;
                if (sp < (int)(sizeof stack / sizeof stack[0])) stack[sp++] = c;
            }
        } while ((flags & 32) && p <= e);
    }
    return 0;
}

/* The metrics of glyphs neither kept nor mapped from a code (the map
 * covers codes announced but not drawn), zeroed: a reader takes widths from
 * /W, and a table of zeros deflates to nothing where the whole font's
 * metrics took 7 KB a face.  The last long metric stays: the glyphs after
 * it share its advance. */
static void zero_unkept_metrics(const qhpdf_font *f, const unsigned char *keep,
                                const unsigned char *mapped, unsigned char *p,
                                size_t len) {
    unsigned nhm = f->tt.nhm;
    for (unsigned g = 0; g < f->tt.nglyphs; g++) {
        if (keep[g] || mapped[g] || g + 1 == nhm) continue;
        size_t at = g < nhm ? 4 * (size_t)g : 4 * (size_t)nhm + 2 * (size_t)(g - nhm);
        size_t w = g < nhm ? 4 : 2;
        if (at + w <= len) memset(p + at, 0, w);
    }
}

/* The subset program: libharu's tables, glyf holding the kept glyphs
 * only (the others empty), loca made for it, 'post' cut to its version 3
 * header (the glyph names, a third of a Liberation face, serve nothing in
 * a CID font), each table padded to four bytes, checksums and
 * head.checkSumAdjustment right. */
static unsigned char *tt_subset(const qhpdf_font *f, const unsigned char *keep,
                                const unsigned char *mapped, size_t *size) {
    unsigned nt = 0;
    size_t glyf = 0, total;
    for (int t = 0; t < QTTF__N; t++) nt += (unsigned)f->tt.has[t];
    for (unsigned g = 0; g < f->tt.nglyphs; g++) {
        size_t len;
        qttf_glyph(&f->tt, g, &len);
        if (keep[g]) glyf += (len + 1) & ~(size_t)1;
    }
    size_t loca = ((size_t)f->tt.nglyphs + 1) * (f->tt.long_loca ? 4 : 2);
    total = 12 + 16 * (size_t)nt;
    for (int t = 0; t < QTTF__N; t++) {
        if (!f->tt.has[t]) continue;
        size_t len = t == QTTF_GLYF ? glyf : t == QTTF_LOCA ? loca
                   : (t == QTTF_POST && f->tt.len[t] > 32) ? 32 : f->tt.len[t];
        total += (len + 3) & ~(size_t)3;
    }
    unsigned char *o = qh_xrealloc(NULL, total);
    memset(o, 0, total);
    wr32(o, qttf_u32(f->data));
    wr16(o + 4, nt);
    unsigned es = 0;
    while ((2u << es) <= nt) es++;
    wr16(o + 6, 16u << es);
    wr16(o + 8, es);
    wr16(o + 10, nt * 16 - (16u << es));
    size_t at = 12 + 16 * (size_t)nt, head_at = 0;
    unsigned k = 0;
    uint32_t file_sum = 0;
    for (int t = 0; t < QTTF__N; t++) {
        if (!f->tt.has[t]) continue;
        unsigned char *r = o + 12 + 16 * k++, *p = o + at;
        size_t len;
        if (t == QTTF_GLYF) {
            const unsigned char *src = f->tt.t[QTTF_GLYF];
            size_t n = 0;
            for (unsigned g = 0; g < f->tt.nglyphs; g++) {
                size_t gl, ga = qttf_glyph(&f->tt, g, &gl);
                if (!keep[g]) continue;
                memcpy(p + n, src + ga, gl);
                n += (gl + 1) & ~(size_t)1;
            }
            len = n;
        } else if (t == QTTF_LOCA) {
            size_t n = 0;
            for (unsigned g = 0; g <= f->tt.nglyphs; g++) {
                if (f->tt.long_loca) wr32(p + 4 * g, (uint32_t)n);
                else wr16(p + 2 * g, (unsigned)(n / 2));
                if (g < f->tt.nglyphs && keep[g]) {
                    size_t gl;
                    qttf_glyph(&f->tt, g, &gl);
                    n += (gl + 1) & ~(size_t)1;
                }
            }
            len = loca;
        } else {
            len = (t == QTTF_POST && f->tt.len[t] > 32) ? 32 : f->tt.len[t];
            memcpy(p, f->tt.t[t], len);
            if (t == QTTF_POST && len == 32) wr32(p, 0x00030000u);
            if (t == QTTF_HMTX) zero_unkept_metrics(f, keep, mapped, p, len);
            if (t == QTTF_HEAD) {
                wr32(p + 8, 0);  /* checkSumAdjustment, set below */
                head_at = at;
            }
        }
        memcpy(r, qttf_tags[t], 4);
        uint32_t sum = tt_sum(p, len);
        file_sum += sum;
        wr32(r + 4, sum);
        wr32(r + 8, (uint32_t)at);
        wr32(r + 12, (uint32_t)len);
        at += (len + 3) & ~(size_t)3;
    }
    /* Every table starts on a four-byte boundary and is padded with
     * zeros, so the file's sum is the directory's plus the tables'. */
    file_sum += tt_sum(o, 12 + 16 * (size_t)nt);
    wr32(o + head_at + 8, 0xB1B0AFBAu - file_sum);
    *size = total;
    return o;
}

/* WORKAROUND 2 (writing the map): identity on the codes drawn. */
static void write_tounicode(qhpdf *h, qhpdf_font *f, const uint8_t *codes);

/* Makes the font's objects and its subset from the codes drawn with it.
 * Runs once, when the document is complete. */
void qh_build_font(qhpdf *h, int id) {
    qhpdf_font *f = &h->fonts[id];
    if (h->err || f->built) return;
    f->built = 1;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Xref xref = h->pdf->xref;
    uint8_t *set = qh_xrealloc(NULL, QHPDF_CODE_BITS);
    unsigned char *keep = qh_xrealloc(NULL, f->tt.nglyphs);
    unsigned char *mapped = qh_xrealloc(NULL, f->tt.nglyphs);
    memset(keep, 0, f->tt.nglyphs);
    memset(mapped, 0, f->tt.nglyphs);
    /* 2: drawn, its glyph read below and then kept with its components;
     * glyph 0 is kept as it is */
    keep[0] = 2;
    unsigned last = 0;
    for (unsigned i = 0; i < QHPDF_CODE_BITS; i++) {
        set[i] = f->flagged[i];
        if (!set[i]) continue;
        for (unsigned c = 8 * i; c < 8 * i + 8; c++) {
            if (!qh_code_on(set, c) || c == 0 || c == 0xFFFF) continue;
            unsigned g = qttf_gid(&f->tt, c);
            if (!g) continue;
            last = c;
            mapped[g] = 1;
            if (qh_code_on(f->flagged, c) && g < f->tt.nglyphs) keep[g] = 2;
        }
    }
    int rd = need_glyphs(f, keep);
    keep[0] = 1;
    for (unsigned g = 1; g < f->tt.nglyphs && rd == 0; g++) {
        if (keep[g] != 2) continue;
        keep[g] = 0;
        rd = keep_glyph(f, keep, g);
    }
    if (rd != 0) {
        if (!h->err) h->io_path = f->path;
        qh_fail(h, HPDF_FILE_IO_ERROR);
        free(mapped);
        free(keep);
        free(set);
        return;
    }
    size_t plen;
    unsigned char *prog = tt_subset(f, keep, mapped, &plen);
    free(mapped);
    /* The subset tag: six letters from the program, so another subset of
     * the same face is named apart. */
    unsigned char sum[16];
    qmd5(prog, plen, sum);
    char name[96];
    for (int i = 0; i < 6; i++) name[i] = (char)('A' + sum[i] % 26);
    snprintf(name + 6, sizeof name - 6, "+%s",
             f->psname[0] ? f->psname : "Font");

    HPDF_Dict cid = HPDF_Dict_New(mm);
    if (cid && HPDF_Xref_Add(xref, cid) != HPDF_OK) cid = NULL;
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    if (!cid || !desc_fonts) goto done;
    HPDF_Dict_AddName(f->font, "BaseFont", name);
    HPDF_Dict_Add(f->font, "DescendantFonts", desc_fonts);
    HPDF_Array_Add(desc_fonts, cid);
    HPDF_Dict_AddName(cid, "Type", "Font");
    HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cid, "BaseFont", name);
    HPDF_Dict info = cid_system_info(h);
    if (!info) goto done;
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    HPDF_Dict_AddNumber(cid, "DW", f->missing_width);

    /* /W: runs of consecutive codes whose width is not /DW. */
    HPDF_Array w = HPDF_Array_New(mm), run = NULL;
    if (!w) goto done;
    HPDF_Dict_Add(cid, "W", w);
    unsigned prev = 0;
    unsigned char *map = qh_xrealloc(NULL, 2 * (size_t)(last + 1));
    memset(map, 0, 2 * (size_t)(last + 1));
    for (unsigned c = 1; c <= last && !h->err; c++) {
        if (!set[c >> 3]) {
            c |= 7;
            continue;
        }
        if (!qh_code_on(set, c)) continue;
        unsigned g = qttf_gid(&f->tt, c);
        wr16(map + 2 * c, g);
        int cw = tt_width(f, g);
        if (cw == f->missing_width) {
            run = NULL;
            continue;
        }
        if (!run || c != prev + 1) {
            HPDF_Array_AddNumber(w, (HPDF_INT32)c);
            run = HPDF_Array_New(mm);
            if (!run) break;
            HPDF_Array_Add(w, run);
        }
        HPDF_Array_AddNumber(run, cw);
        prev = c;
    }
    HPDF_Dict gmap = HPDF_DictStream_New(mm, xref);
    if (gmap) {
        HPDF_Dict_Add(cid, "CIDToGIDMap", gmap);
        qh_set_flate_later_take(h, gmap, map, 2 * (size_t)(last + 1));
    } else {
        free(map);
    }

    HPDF_Dict desc = HPDF_Dict_New(mm);
    if (desc && HPDF_Xref_Add(xref, desc) != HPDF_OK) desc = NULL;
    if (!desc || h->err) goto done;
    HPDF_Dict_Add(cid, "FontDescriptor", desc);
    HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    HPDF_Dict_AddName(desc, "FontName", name);
    HPDF_Dict_AddNumber(desc, "Flags", f->flags);
    HPDF_Array box = HPDF_Array_New(mm);
    if (!box) goto done;
    HPDF_Dict_Add(desc, "FontBBox", box);
    for (int i = 0; i < 4; i++) HPDF_Array_AddNumber(box, f->bbox[i]);
    HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)f->italic);
    HPDF_Dict_AddNumber(desc, "Ascent", f->ascent);
    HPDF_Dict_AddNumber(desc, "Descent", f->descent);
    HPDF_Dict_AddNumber(desc, "CapHeight", f->cap_height);
    HPDF_Dict_AddNumber(desc, "XHeight", f->x_height);
    HPDF_Dict_AddNumber(desc, "StemV", 0);
    HPDF_Dict file = HPDF_DictStream_New(mm, xref);
    if (!file) goto done;
    HPDF_Dict_Add(desc, "FontFile2", file);
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)plen);
    qh_set_flate_later_take(h, file, prog, plen);  /* the queue's now */
    prog = NULL;

    /* PDF/A-1 wants a CIDSet for subsets (later parts only want it right
     * if present): the CIDs whose glyph was kept, and CID 0. */
    if (h->archive == 1 && !h->err) {
        unsigned char *bits = qh_xrealloc(NULL, last / 8 + 1);
        memset(bits, 0, last / 8 + 1);
        bits[0] = 0x80;
        unsigned max = 0;
        for (unsigned c = 1; c <= last; c++) {
            if (!qh_code_on(set, c)) continue;
            unsigned g = qttf_gid(&f->tt, c);
            if (g && g < f->tt.nglyphs && keep[g]) {
                bits[c >> 3] |= (unsigned char)(0x80u >> (c & 7));
                max = c;
            }
        }
        HPDF_Dict cs = HPDF_DictStream_New(mm, xref);
        if (cs) {
            HPDF_Dict_Add(desc, "CIDSet", cs);
            qh_set_flate_later_take(h, cs, bits, max / 8 + 1);
        } else {
            free(bits);
        }
    }
    if (!f->tounicode) write_tounicode(h, f, set);
done:
    if (!h->err && (!cid || !desc_fonts)) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
    free(prog);
    free(keep);
    free(set);
}

/* WORKAROUND 2: the ToUnicode map, from each code drawn to its code
 * point (qh_code_of). */
static size_t put_hex(char *o, unsigned v, int digits) {
    static const char hx[] = "0123456789ABCDEF";
    for (int i = 0; i < digits; i++) o[i] = hx[(v >> (4 * (digits - 1 - i))) & 15];
    return (size_t)digits;
}

/* "<code>" of code point u, as the content streams draw it. */
static size_t put_code(char *o, unsigned u) {
    unsigned char b[3];
    int w = qh_code_of(u, b);
    size_t k = 0;
    o[k++] = '<';
    for (int j = 0; j < w; j++) k += put_hex(o + k, b[j], 2);
    o[k++] = '>';
    return k;
}

static void emit_batch(HPDF_Stream s, int single, const unsigned *lo,
                       const unsigned *hi, int n) {
    char line[64];
    if (n == 0) return;
    snprintf(line, sizeof line, "%d %s\n", n,
             single ? "beginbfchar" : "beginbfrange");
    HPDF_Stream_WriteStr(s, line);
    for (int i = 0; i < n; i++) {
        size_t k = put_code(line, lo[i]);
        if (!single) {
            line[k++] = ' ';
            k += put_code(line + k, hi[i]);
        }
        line[k++] = ' ';
        line[k++] = '<';
        k += put_hex(line + k, lo[i], 4);  /* below U+FFFE (mapped_cp) */
        line[k++] = '>';
        line[k++] = '\n';
        HPDF_Stream_Write(s, (const HPDF_BYTE *)line, (HPDF_UINT)k);
    }
    HPDF_Stream_WriteStr(s, single ? "endbfchar\n" : "endbfrange\n");
}

/* 1 when code point u is in the map: drawn (in `codes`), and neither a
 * surrogate nor U+FFFE/U+FFFF (not characters). */
static int mapped_cp(const uint8_t *codes, unsigned u) {
    return u < 0xFFFE && !(u >= 0xD800 && u <= 0xDFFF) && qh_code_on(codes, u);
}

static void write_tounicode(qhpdf *h, qhpdf_font *f, const uint8_t *codes) {
    if (h->err) return;
    HPDF_Dict cmap = f->tounicode;
    if (!cmap) {
        cmap = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
        if (!cmap) return;
        cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Dict_Add(f->font, "ToUnicode", cmap);
        if (h->err) return;
        f->tounicode = cmap;
    }
    HPDF_Stream s = cmap->stream;
    HPDF_MemStream_FreeData(s);
    HPDF_Stream_WriteStr(s,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n");
    HPDF_Stream_WriteStr(s, codespace);

    /* Runs of consecutive code points whose codes differ only in the low
     * byte (the same width, one 256-code block) become bfrange entries,
     * single ones bfchar; the code's low byte is the code point's. */
    unsigned lo[BATCH], hi[BATCH];
    for (int pass = 0; pass < 2; pass++) {  /* 0: ranges, 1: single codes */
        int n = 0;
        unsigned c = 0;
        while (c < 0xFFFE) {
            if (!codes[c >> 3]) {  /* eight codes none drawn: most of them */
                c = (c | 7) + 1;
                continue;
            }
            if (!mapped_cp(codes, c)) {
                c++;
                continue;
            }
            unsigned start = c;
            while (((c + 1) & 0xFF) != 0 && c + 1 != 0x80 && mapped_cp(codes, c + 1)) c++;
            if ((start == c) == (pass == 1)) {
                lo[n] = start;
                hi[n] = c;
                if (++n == BATCH) {
                    emit_batch(s, pass, lo, hi, n);
                    n = 0;
                }
            }
            c++;
        }
        emit_batch(s, pass, lo, hi, n);
    }
    HPDF_Stream_WriteStr(s,
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n");
}

void qhpdf_set_tounicode(qhpdf *h, int font, const uint8_t *codes) {
    if (h->err) return;
    if (font < 0 || font >= h->nfonts) return;
    write_tounicode(h, &h->fonts[font], codes);
}
