/* libharu 2.3.0 behind a small interface, with its defects worked around.
 * libharu writes the objects; fonts are read and their objects made here.
 *
 * Workarounds (each one marked WORKAROUND below):
 *  1. Sticky errors: one error handler records the first error; every entry
 *     point returns early once it is set, so no call runs on a broken
 *     document and no longjmp is needed.
 *  2. ToUnicode: libharu's is its UTF-8 encoder's CMap (begincidrange,
 *     registry Identity-H), which poppler rejects.  The codes in the
 *     content stream are the UTF-16 code units themselves (WORKAROUND 13)
 *     and the CIDToGIDMap maps them to glyphs, so the map written here is
 *     the identity on the codes used, as bfrange/bfchar entries.
 *  3. Outline items: libharu gives every item /Type /Outlines (only the
 *     root may have it) and an indirect /Dest; PDFBox Preflight cannot read
 *     those.  We drop /Type and set a direct [page /XYZ null top null].
 *  4. Link destinations: HPDF_Destination_SetXYZ refuses zoom 0 (which in
 *     PDF means "keep the reader's zoom") and makes one indirect object per
 *     link.  We build a direct [page /XYZ null top null] array that passes
 *     HPDF_Destination_Validate.  Links also get the print flag (/F 4) and
 *     no border.
 *  5. Catalog: no API for /Lang or /ViewerPreferences /DisplayDocTitle, so
 *     they are added with the object API; version raised to 1.4 for them.
 *  6. Saving: HPDF_SaveToFile ignores fclose errors, so the document is
 *     saved to memory and the caller writes the bytes; reads never go past
 *     the end (libharu reports EOF as an error).
 *  7. Invalid UTF-8 is dropped silently by libharu: the caller must pass
 *     valid UTF-8 (pdf.c cleans it).
 *  8. Images: a damaged PNG makes libharu's libpng callback abort the
 *     process, so PNG structure is checked first (png_ok); any image that
 *     libharu still rejects is left out without failing the document.
 *  9. PDF/A: HPDF_PDFA_SetPDFAConformance writes /SubType for /Subtype,
 *     unescaped XMP, a clock-based /ID, and no CIDSet, /CapHeight or print
 *     flags.  Instead: the caller's XMP as an unfiltered /Metadata stream,
 *     an sRGB output intent (profile compiled in, src/pdf/srgb_icc.c), the
 *     fonts made early with a /CIDSet (PDF/A-1; every font descriptor has
 *     /CapHeight), and a placeholder /ID that qhpdf_fill_id overwrites with an MD5 of
 *     the finished file (same length, so the xref offsets stay right).
 * 10. Attachments: HPDF_AttachFile writes /Type /F, names the file by the
 *     path given and adds no MIME type or /AF, so file specifications,
 *     embedded file streams and the name tree are built here.
 * 11. Tagged PDF: no API at all.  The structure tree, parent tree,
 *     /MarkInfo, /StructParent(s) and /Tabs are plain objects; BDC/BMC/EMC
 *     are written into the page's content stream directly.
 * 12. Fonts: libharu's TrueType path reads the file in two- and four-byte
 *     freads, looks up all 65,536 code points for /W and a 128 KB
 *     CIDToGIDMap, and copies the subset's tables four bytes at a time
 *     (with the whole 'post' table and its glyph names).  None of it is
 *     used: the file is mapped and read here (tt_open), and the Type0
 *     font, its CIDFontType2 (/W, /CIDToGIDMap for the codes used), the
 *     descriptor and the subset program (tt_subset: glyph 0, the glyphs
 *     drawn and their components, 'post' version 3) are made with the
 *     object API once the document is complete (build_font), with the
 *     values libharu computed (widths, /DW, /FontBBox, /Flags...).
 * 13. Page content: libharu's operators format every number with its own
 *     routines, write text as hex (four bytes per character), check the
 *     graphics mode on each call, and deflate every stream at zlib's
 *     default level when saving: most of a big pack's build time, and the
 *     uncompressed pages of the whole document stay in memory until then.
 *     Content streams are written here instead, into one reused buffer
 *     (numbers to 3 decimals, text as literal strings of UTF-16 codes),
 *     deflated at a fast level when the page ends and handed to libharu
 *     as finished bytes with the stream's filter turned off and
 *     /Filter /FlateDecode written by the dictionary's write hook.  The
 *     font resource names come from HPDF_Page_GetLocalFontName (which
 *     takes any dictionary) and each code drawn is noted for the font's
 *     subset.  Font programs, CIDToGIDMaps and CIDSets are deflated the
 *     same way.
 * 14. Lists grow by a fixed block, copied byte by byte: the cross-reference
 *     list is made to double instead (xref_grow).
 * The internals used (HPDF_Doc_Rec fields, obj_class bits, HPDF_Dict's
 * stream, the font flag values) come from the installed 2.3.0 headers; keep them in this file. */
#include "hpdf_adapter.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "font.h" /* qutf8_decode */
#include "md5.h"

#define MAX_FONTS 16

/* src/pdf/srgb_icc.c, generated from src/pdf/icc/sRGB.icc */
extern const unsigned char qsrgb_icc[];
extern const size_t qsrgb_icc_len;

typedef struct qhpdf_font {
    char *path;
    HPDF_Dict font;      /* the Type0 font (page resources point to it) */
    HPDF_Dict tounicode; /* its ToUnicode stream, once written */
    uint8_t *flagged;    /* codes drawn with it */
    uint8_t *codes;      /* codes announced at load, or NULL */
    int built;           /* build_font has run */
    unsigned char *data; /* the whole file (mapped, or read) */
    size_t size;
    int mapped;
    uint32_t toff[13], tlen[13]; /* the tables of tt_tags, when has[] */
    int has[13];
    unsigned upem, nglyphs, nhm, long_loca;
    const unsigned char *cmap;   /* the cmap subtable used (format 4, 12) */
    uint32_t cmap_len;
    unsigned cmap_fmt;
    int bbox[4], ascent, descent, cap_height, x_height, missing_width, flags;
    double italic;
    char psname[64];     /* the PostScript name, PDF name characters only */
} qhpdf_font;

static void tt_close(qhpdf_font *f);

typedef struct qhpdf_img {
    char *path;
    HPDF_Image image;    /* NULL: the file could not be used */
    int lost_alpha;      /* PDF/A-1: its soft mask was dropped */
} qhpdf_img;

/* Tagged PDF (WORKAROUND 11): compact records, written by hooks. */
enum { SE_BLOCK = 1024 };         /* element records per block (stable) */
enum { KID_SE, KID_MCID, KID_MCR, KID_OBJR };

typedef struct qhpdf_kid {
    int kind, a, b;               /* SE: a = element; MCID: a = mcid;
                                     MCR: a = page, b = mcid;
                                     OBJR: a = annotation, b = page */
    int next;                     /* next kid of the same element, or -1 */
} qhpdf_kid;

typedef struct qhpdf_se {          /* a structure element */
    /* Its dictionary, made here rather than by HPDF_Dict_New: no list of
     * its own (all share one empty list), no allocation of its own, and
     * taken out of the cross-reference table before libharu frees it.
     * Written by se_write; d.attr is the qhpdf. */
    HPDF_Dict_Rec d;
    int parent;                   /* element, or -1 for the root */
    int page;                     /* /Pg: first page with its content, or -1 */
    int first_kid, last_kid;
    int extra;                    /* index in h->extras, or -1 */
    char role[12];
} qhpdf_se;

typedef struct qhpdf_extra {      /* what few elements have */
    char *alt, *lang, *summary;   /* UTF-8, owned; NULL = absent */
    signed char scope;            /* TH: 0 none, 1 Row, 2 Column */
    unsigned char has_bbox;
    float bbox[4];
} qhpdf_extra;

typedef struct qhpdf_ptleaf {             /* one leaf of the parent tree */
    qhpdf *h;
    int from, to;                 /* its entries in h->pt */
} qhpdf_ptleaf;

typedef struct wbuf { char *p; size_t n, cap; } wbuf;

typedef struct qhpdf_ptentry { /* one /Nums pair of the parent tree */
    int key;
    int kind;            /* 0: a page, its elements by MCID in mcid_se[a..a+n)
                            1: an annotation, its element a */
    int a, n;
} qhpdf_ptentry;

typedef struct qhpdf_file {
    char *name;
    HPDF_Dict spec;      /* the file specification (indirect) */
} qhpdf_file;

struct qhpdf {
    HPDF_Doc pdf;
    HPDF_Encoder utf8;
    HPDF_STATUS err, detail;
    char msg[160];

    qhpdf_font fonts[MAX_FONTS];
    int nfonts;

    HPDF_Page *pages;
    int npages, cap_pages;

    HPDF_Outline *outlines;
    int noutlines, cap_outlines;

    qhpdf_img *images;
    int nimages, cap_images;

    /* Drawing state of the current page, to skip redundant operators. */
    HPDF_Page page;
    char *cs;                /* its content stream, uncompressed */
    size_t cs_len, cs_cap;
    int drawing;             /* between qhpdf_page_begin and _end */
    const char *font_name[MAX_FONTS]; /* its resource names, once asked */
    z_stream z;              /* reused for every stream we deflate */
    int z_ready;
    unsigned char *zbuf;
    size_t zcap;
    int in_text;
    int cur_font;
    float cur_size;
    uint32_t fill, stroke;   /* 0xFFFFFFFF = unknown */
    float line_width;        /* < 0 = unknown */

    int (*sink)(void *ctx, const void *p, size_t n); /* qhpdf_save_to */
    void *sink_ctx;
    int sink_failed;

    int archive;             /* 0, or the PDF/A part (1, 3) */
    qhpdf_file *files;       /* attachments in the order given */
    int nfiles, cap_files;

    /* Tagged PDF (WORKAROUND 11). */
    int tagged;
    HPDF_Dict struct_root;
    HPDF_Array root_k;
    qhpdf_se **se_blocks;    /* elements, in blocks that never move */
    int nse, cap_blocks;
    HPDF_List se_list;       /* the empty list every element dict shares */
    qhpdf_extra *extras;
    int nextras, cap_extras;
    qhpdf_kid *kids;
    int nkids, cap_kids;
    int *mcid_se;            /* element of each MCID, pages in order */
    int nmcid_se, cap_mcid_se;
    int page_mcid0;          /* where this page's MCIDs start in mcid_se */
    HPDF_Annotation *annots; /* tagged link annotations */
    int nannots, cap_annots;
    qhpdf_ptleaf *leaves;
    int nleaves;
    wbuf wb;                 /* scratch for the write hooks */
    qhpdf_ptentry *pt;
    int npt, cap_pt;
    int next_key;            /* next /StructParent(s) key */
    int page_no;             /* index of h->page */
    int open_mc;             /* 0 none, 1 artifact, 2 tagged */
    int open_se;             /* element of the open tagged sequence */
    int mcid;                /* next MCID on this page */
    int page_tabs;           /* /Tabs set on this page */
    HPDF_Annotation last_annot;
};

/* WORKAROUND 1: record the first error; later calls see h->err and stop. */
static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                                  void *user) {
    qhpdf *h = user;
    if (h->err) return;
    h->err = error_no ? error_no : HPDF_INVALID_OPERATION;
    h->detail = detail_no;
}

static void fail(qhpdf *h, HPDF_STATUS code) { on_error(code, 0, h); }

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fputs("quorum: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

qhpdf *qhpdf_new(void) {
    qhpdf *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->pdf = HPDF_New(on_error, h);
    if (!h->pdf) {
        free(h);
        return NULL;
    }
    HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(h->pdf);
    /* Info strings and outline titles are UTF-8 (written as UTF-16). */
    HPDF_SetCurrentEncoder(h->pdf, "UTF-8");
    h->utf8 = HPDF_GetEncoder(h->pdf, "UTF-8");
    /* WORKAROUND 5: /Lang and DisplayDocTitle are PDF 1.4. */
    h->pdf->pdf_version = HPDF_VER_14;
    return h;
}

static qhpdf_se *se_rec(qhpdf *h, int i) {
    return &h->se_blocks[i / SE_BLOCK][i % SE_BLOCK];
}

void qhpdf_free(qhpdf *h) {
    if (!h) return;
    /* Direct objects that never reached the document (after an error)
     * are not freed with it. */
    /* The element dictionaries are ours: out of the table before libharu
     * frees what is in it. */
    for (int i = 0; i < h->nse; i++) {
        HPDF_UINT32 id = se_rec(h, i)->d.header.obj_id & 0x00FFFFFFu;
        HPDF_XrefEntry x = HPDF_Xref_GetEntry(h->pdf->xref, id);
        if (x) x->obj = NULL;
    }
    HPDF_Free(h->pdf);
    if (h->se_list) HPDF_List_Free(h->se_list);
    for (int i = 0; i < h->nextras; i++) {
        free(h->extras[i].alt);
        free(h->extras[i].lang);
        free(h->extras[i].summary);
    }
    free(h->extras);
    for (int i = 0; i * SE_BLOCK < h->nse; i++) free(h->se_blocks[i]);
    free(h->se_blocks);
    free(h->kids);
    free(h->mcid_se);
    free(h->annots);
    free(h->leaves);
    free(h->wb.p);
    for (int i = 0; i < h->nfonts; i++) {
        free(h->fonts[i].path);
        free(h->fonts[i].flagged);
        free(h->fonts[i].codes);
        tt_close(&h->fonts[i]);
    }
    if (h->z_ready) deflateEnd(&h->z);
    free(h->zbuf);
    free(h->cs);
    for (int i = 0; i < h->nimages; i++) free(h->images[i].path);
    for (int i = 0; i < h->nfiles; i++) free(h->files[i].name);
    free(h->files);
    free(h->pt);
    free(h->images);
    free(h->pages);
    free(h->outlines);
    free(h);
}

int qhpdf_failed(const qhpdf *h) { return h->err != 0; }

const char *qhpdf_error(const qhpdf *h) {
    if (!h->err) return NULL;
    const char *what;
    switch (h->err) {
    case HPDF_FAILD_TO_ALLOC_MEM: what = "out of memory"; break;
    case HPDF_FILE_OPEN_ERROR: what = "cannot open a font or image file"; break;
    case HPDF_FILE_IO_ERROR: what = "cannot read a font or image file"; break;
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE:
    case HPDF_INVALID_FONTDEF_DATA: what = "invalid TrueType font"; break;
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        what = "the font's licence does not allow embedding"; break;
    case HPDF_INVALID_DATE_TIME: what = "invalid date"; break;
    default: what = NULL; break;
    }
    qhpdf *m = (qhpdf *)h; /* the message buffer is a cache */
    if (what)
        snprintf(m->msg, sizeof m->msg, "%s (libharu error 0x%04X)", what,
                 (unsigned)h->err);
    else
        snprintf(m->msg, sizeof m->msg, "libharu error 0x%04X, detail %u",
                 (unsigned)h->err, (unsigned)h->detail);
    return m->msg;
}

/* ---- TrueType fonts (WORKAROUND 12) --------------------------------------
 * libharu's TrueType path (HPDF_LoadTTFontFromFile, HPDF_GetFont,
 * HPDF_TTFontDef_SaveFontData) reads the file through fread in pieces of
 * two and four bytes, builds a width array and a CIDToGIDMap by looking
 * up all 65,536 code points in its cmap, and copies every table of the
 * subset four bytes at a time: a quarter of a report's build time.  The
 * font is read here instead (the file read once, tables used in place)
 * and its objects are made with libharu's object API once the document
 * is drawn (build_font): a Type0 font (/Encoding /Identity-H: the codes
 * are the UTF-16 code units, WORKAROUND 13) whose CIDFontType2 has /W and
 * a /CIDToGIDMap for the codes used only, and a subset program holding
 * glyph 0, the glyphs drawn and their components.  The values libharu
 * computed are kept: widths advance * 1000 / unitsPerEm truncated (what
 * layout measures with, see test_widths_match_libharu), /DW from glyph 0,
 * ascent and descent from hhea, /FontBBox from head, /Flags from the name
 * table's subfamily and OS/2's family class, /StemV 0. */
enum { T_OS2, T_CMAP, T_CVT, T_FPGM, T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA,
       T_MAXP, T_NAME, T_POST, T_PREP, T__N };
/* The tables libharu's subset holds, in its order (the directory's). */
static const char tt_tags[T__N][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf",
                                      "head", "hhea", "hmtx", "loca", "maxp",
                                      "name", "post", "prep"};

static unsigned rd16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static int rds16(const unsigned char *p) { return (int16_t)rd16(p); }

static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
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

static uint32_t tt_sum(const unsigned char *p, size_t n) {
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4) {
        unsigned char b[4] = {0, 0, 0, 0};
        memcpy(b, p + i, n - i < 4 ? n - i : 4);
        s += rd32(b);
    }
    return s;
}

static int code_on(const uint8_t *codes, unsigned c) {
    return (codes[c >> 3] >> (c & 7)) & 1;
}

static const unsigned char *ttab(const qhpdf_font *f, int t) {
    return f->data + f->toff[t];
}

/* Glyph g's bytes in glyf: offset and length (0 when empty or bad). */
static size_t glyph_at(const qhpdf_font *f, unsigned g, size_t *len) {
    const unsigned char *l = ttab(f, T_LOCA);
    size_t a, b;
    if (f->long_loca) {
        a = rd32(l + 4 * g);
        b = rd32(l + 4 * g + 4);
    } else {
        a = 2 * (size_t)rd16(l + 2 * g);
        b = 2 * (size_t)rd16(l + 2 * g + 2);
    }
    *len = (b > a && b <= f->tlen[T_GLYF]) ? b - a : 0;
    return a;
}

/* The glyph of code c (0: none), as the cmap subtable chosen says. */
static unsigned tt_gid(const qhpdf_font *f, unsigned c) {
    const unsigned char *s = f->cmap;
    uint32_t n = f->cmap_len;
    if (f->cmap_fmt == 4) {
        unsigned segx2 = rd16(s + 6), lo = 0, hi = segx2 / 2;
        while (lo < hi) {  /* first segment whose end is >= c */
            unsigned mid = (lo + hi) / 2;
            if (rd16(s + 14 + 2 * mid) < c) lo = mid + 1;
            else hi = mid;
        }
        if (lo == segx2 / 2) return 0;
        const unsigned char *seg = s + 16 + segx2 + 2 * lo;
        unsigned start = rd16(seg), delta = rd16(seg + segx2);
        unsigned ro = rd16(seg + 2 * segx2);
        if (start > c) return 0;
        if (ro == 0) return (c + delta) & 0xFFFF;
        size_t at = (size_t)(seg + 2 * segx2 - s) + ro + 2 * (size_t)(c - start);
        if (at + 2 > n) return 0;
        unsigned g = rd16(s + at);
        return g ? (g + delta) & 0xFFFF : 0;
    }
    uint32_t ng = rd32(s + 12), lo = 0, hi = ng;  /* format 12 */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const unsigned char *g = s + 16 + 12 * (size_t)mid;
        if (rd32(g + 4) < c) lo = mid + 1;
        else if (rd32(g) > c) hi = mid;
        else {
            uint32_t id = rd32(g + 8) + (c - rd32(g));
            return id <= 0xFFFF ? id : 0;
        }
    }
    return 0;
}

/* libharu's width of glyph g in 1/1000 em (HPDF_TTFontDef_GetGidWidth). */
static int tt_width(const qhpdf_font *f, unsigned g) {
    if (g >= f->nglyphs) return f->missing_width;
    unsigned i = g < f->nhm ? g : f->nhm - 1;
    unsigned aw = rd16(ttab(f, T_HMTX) + 4 * i);
    return (int16_t)(uint16_t)(aw * 1000u / f->upem);
}

/* Top of glyph g's box in 1/1000 em (libharu's cap and x heights). */
static int glyph_top(const qhpdf_font *f, unsigned g) {
    size_t len, at = g && g < f->nglyphs ? glyph_at(f, g, &len) : 0;
    if (!g || g >= f->nglyphs || len < 10) return 0;
    return (uint16_t)(rds16(ttab(f, T_GLYF) + at + 8) * 1000 / (int)f->upem);
}

/* Picks the cmap subtable: Windows Unicode BMP (libharu's), another
 * Unicode format 4, a format 12, or Windows symbol. */
static int pick_cmap(qhpdf_font *f) {
    const unsigned char *c = ttab(f, T_CMAP);
    uint32_t n = f->tlen[T_CMAP];
    if (n < 4) return -1;
    unsigned nt = rd16(c + 2);
    if (4 + 8 * (size_t)nt > n) return -1;
    static const struct { int pid, eid, fmt; } pref[] = {
        {3, 1, 4}, {0, -1, 4}, {3, 10, 12}, {0, -1, 12}, {3, 0, 4}};
    for (size_t k = 0; k < sizeof pref / sizeof pref[0]; k++) {
        for (unsigned i = 0; i < nt; i++) {
            const unsigned char *r = c + 4 + 8 * i;
            uint32_t off = rd32(r + 4);
            if ((int)rd16(r) != pref[k].pid ||
                (pref[k].eid >= 0 && (int)rd16(r + 2) != pref[k].eid))
                continue;
            if (off > n || n - off < 16) continue;
            const unsigned char *s = c + off;
            if ((int)rd16(s) != pref[k].fmt) continue;
            uint32_t len = pref[k].fmt == 4 ? rd16(s + 2) : rd32(s + 4);
            if (len < 16 || len > n - off) continue;
            if (pref[k].fmt == 4) {
                unsigned segx2 = rd16(s + 6);
                if (segx2 == 0 || segx2 % 2 || 16 + 4 * (size_t)segx2 > len)
                    continue;
            } else if ((len - 16) / 12 < rd32(s + 12)) {
                continue;
            }
            f->cmap = s;
            f->cmap_len = len;
            f->cmap_fmt = (unsigned)pref[k].fmt;
            return 0;
        }
    }
    return -1;
}

/* The PostScript name (name ID 6), kept to the characters a PDF name
 * takes without escapes; the subfamily (ID 2) gives libharu's flags. */
static void read_names(qhpdf_font *f) {
    const unsigned char *t = ttab(f, T_NAME);
    uint32_t n = f->tlen[T_NAME];
    f->psname[0] = 0;
    if (n < 6) return;
    unsigned count = rd16(t + 2), str = rd16(t + 4);
    int got_ps = 0, got_sub = 0;
    for (unsigned i = 0; i < count && 6 + 12 * (size_t)(i + 1) <= n; i++) {
        const unsigned char *r = t + 6 + 12 * i;
        unsigned pid = rd16(r), id = rd16(r + 6), len = rd16(r + 8);
        size_t off = (size_t)str + rd16(r + 10);
        if ((id != 6 && id != 2) || (pid != 1 && pid != 3)) continue;
        if ((id == 6 && got_ps) || (id == 2 && got_sub)) continue;
        if (off > n || len > n - off) continue;
        char s[64];
        size_t k = 0;
        unsigned step = pid == 3 ? 2 : 1;
        for (unsigned j = 0; j + step <= len && k + 1 < sizeof s; j += step) {
            unsigned ch = pid == 3 ? rd16(t + off + j) : t[off + j];
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

/* Reads and checks the file; the error libharu would give otherwise. */
/* The file, mapped (only the pages of the tables and glyphs used are
 * read) or, where it cannot be, read whole. */
static void tt_close(qhpdf_font *f) {
    if (f->mapped) munmap(f->data, f->size);
    else free(f->data);
    f->data = NULL;
    f->mapped = 0;
}

static HPDF_STATUS tt_open(qhpdf_font *f, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return HPDF_FILE_OPEN_ERROR;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) {
        close(fd);
        return HPDF_FILE_IO_ERROR;
    }
    f->size = (size_t)st.st_size;
    void *m = f->size ? mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0)
                      : MAP_FAILED;
    if (m != MAP_FAILED) {
        f->data = m;
        f->mapped = 1;
    } else {
        f->data = xrealloc(NULL, f->size ? f->size : 1);
        size_t got = 0;
        while (got < f->size) {
            ssize_t r = read(fd, f->data + got, f->size - got);
            if (r <= 0) break;
            got += (size_t)r;
        }
        if (got != f->size) {
            close(fd);
            return HPDF_FILE_IO_ERROR;
        }
    }
    close(fd);

    const unsigned char *d = f->data;
    if (f->size < 12) return HPDF_TTF_INVALID_FOMAT;
    unsigned nt = rd16(d + 4);
    if (12 + 16 * (size_t)nt > f->size) return HPDF_TTF_INVALID_FOMAT;
    for (unsigned i = 0; i < nt; i++) {
        const unsigned char *r = d + 12 + 16 * i;
        uint32_t off = rd32(r + 8), len = rd32(r + 12);
        if (off > f->size || len > f->size - off) return HPDF_TTF_INVALID_FOMAT;
        for (int t = 0; t < T__N; t++)
            if (memcmp(r, tt_tags[t], 4) == 0 && !f->has[t]) {
                f->has[t] = 1;
                f->toff[t] = off;
                f->tlen[t] = len;
            }
    }
    static const int need[] = {T_HEAD, T_MAXP, T_HHEA, T_CMAP, T_HMTX,
                               T_LOCA, T_NAME, T_OS2, T_GLYF};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!f->has[need[i]]) return HPDF_TTF_MISSING_TABLE;
    if (f->tlen[T_HEAD] < 54 || f->tlen[T_MAXP] < 6 || f->tlen[T_HHEA] < 36 ||
        f->tlen[T_OS2] < 32)
        return HPDF_TTF_INVALID_FOMAT;

    const unsigned char *head = ttab(f, T_HEAD), *hhea = ttab(f, T_HHEA);
    const unsigned char *os2 = ttab(f, T_OS2);
    f->upem = rd16(head + 18);
    f->long_loca = rds16(head + 50) != 0;
    f->nglyphs = rd16(ttab(f, T_MAXP) + 4);
    f->nhm = rd16(hhea + 34);
    if (f->upem == 0 || f->nglyphs == 0 || f->nhm == 0 || f->nhm > f->nglyphs ||
        4 * (size_t)f->nhm > f->tlen[T_HMTX] ||
        ((size_t)f->nglyphs + 1) * (f->long_loca ? 4 : 2) > f->tlen[T_LOCA])
        return HPDF_TTF_INVALID_FOMAT;
    /* Embedding refused: restricted licence, no subsetting, bitmap only. */
    if (rd16(os2 + 8) & (0x0002 | 0x0100 | 0x0200))
        return HPDF_TTF_CANNOT_EMBEDDING_FONT;
    if (pick_cmap(f) != 0) return HPDF_TTF_INVALID_CMAP;

    int upem = (int)f->upem;
    for (int i = 0; i < 4; i++) f->bbox[i] = rds16(head + 36 + 2 * i) * 1000 / upem;
    f->ascent = (int16_t)(rds16(hhea + 4) * 1000 / upem);
    f->descent = (int16_t)(rds16(hhea + 6) * 1000 / upem);
    f->missing_width = tt_width(f, 0);
    f->flags = HPDF_FONT_STD_CHARSET;
    unsigned cls = os2[30];
    if ((cls > 0 && cls < 6) || cls == 7) f->flags |= HPDF_FONT_SERIF;
    if (cls == 10) f->flags |= HPDF_FONT_SCRIPT;
    if (cls == 12) f->flags |= HPDF_FONT_SYMBOLIC;
    read_names(f);
    if (f->has[T_POST] && f->tlen[T_POST] >= 16) {
        const unsigned char *post = ttab(f, T_POST);
        f->italic = (double)(int32_t)rd32(post + 4) / 65536.0;
        if (rd32(post + 12)) f->flags |= HPDF_FONT_FIXED_WIDTH;
    }
    /* OS/2 version 2 has them; libharu measured glyphs H and x. */
    unsigned v = rd16(os2);
    int cap = 0, xh = 0;
    if (v >= 2 && f->tlen[T_OS2] >= 90) {
        xh = rds16(os2 + 86) * 1000 / upem;
        cap = rds16(os2 + 88) * 1000 / upem;
    }
    f->cap_height = cap > 0 ? cap : glyph_top(f, tt_gid(f, 'H'));
    f->x_height = xh > 0 ? xh : glyph_top(f, tt_gid(f, 'x'));
    return HPDF_OK;
}

int qhpdf_load_font(qhpdf *h, const char *path, const uint8_t *codes) {
    if (h->err) return -1;
    for (int i = 0; i < h->nfonts; i++)
        if (strcmp(h->fonts[i].path, path) == 0) return i;
    if (h->nfonts == MAX_FONTS) {
        fail(h, HPDF_INVALID_FONT);
        return -1;
    }
    qhpdf_font *f = &h->fonts[h->nfonts];
    memset(f, 0, sizeof *f);
    HPDF_STATUS st = tt_open(f, path);
    if (st != HPDF_OK) {
        tt_close(f);
        memset(f, 0, sizeof *f);
        fail(h, st);
        return -1;
    }
    /* The font's dictionary now, for the pages' resources; the rest when
     * the document is complete (build_font). */
    HPDF_Dict d = HPDF_Dict_New(h->pdf->mmgr);
    if (d && HPDF_Xref_Add(h->pdf->xref, d) != HPDF_OK) d = NULL;
    if (d) {
        HPDF_Dict_AddName(d, "Type", "Font");
        HPDF_Dict_AddName(d, "Subtype", "Type0");
        HPDF_Dict_AddName(d, "Encoding", "Identity-H");
    }
    if (!d || h->err) {
        tt_close(f);
        memset(f, 0, sizeof *f);
        if (!h->err) fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    f->font = d;
    f->path = xstrdup(path);
    f->flagged = xrealloc(NULL, QHPDF_CODE_BITS);
    memset(f->flagged, 0, QHPDF_CODE_BITS);
    if (codes) {
        f->codes = xrealloc(NULL, QHPDF_CODE_BITS);
        memcpy(f->codes, codes, QHPDF_CODE_BITS);
    }
    return h->nfonts++;
}

/* Marks glyph g and, through composite glyphs, every glyph it uses. */
static void keep_glyph(const qhpdf_font *f, unsigned char *keep, unsigned g) {
    unsigned stack[64];
    int sp = 0;
    if (g >= f->nglyphs || keep[g]) return;
    keep[g] = 1;
    stack[sp++] = g;
    while (sp > 0) {
        size_t len, at = glyph_at(f, stack[--sp], &len);
        const unsigned char *p = ttab(f, T_GLYF) + at, *e = p + len;
        if (len < 10 || rds16(p) >= 0) continue;
        p += 10;
        unsigned flags = 0;
        do {
            if (e - p < 4) break;
            flags = rd16(p);
            unsigned c = rd16(p + 2);
            p += 4 + ((flags & 1) ? 4 : 2);
            if (flags & 8) p += 2;
            else if (flags & 64) p += 4;
            else if (flags & 128) p += 8;
            if (c < f->nglyphs && !keep[c]) {
                keep[c] = 1;
                if (sp < (int)(sizeof stack / sizeof stack[0])) stack[sp++] = c;
            }
        } while ((flags & 32) && p <= e);
    }
}

/* The subset program: libharu's tables, glyf holding the kept glyphs
 * only (the others empty), loca made for it, 'post' cut to its version 3
 * header (the glyph names, a third of a Liberation face, serve nothing in
 * a CID font), each table padded to four bytes, checksums and
 * head.checkSumAdjustment right. */
static unsigned char *tt_subset(const qhpdf_font *f, const unsigned char *keep,
                                size_t *size) {
    unsigned nt = 0;
    size_t glyf = 0, total;
    for (int t = 0; t < T__N; t++) nt += (unsigned)f->has[t];
    for (unsigned g = 0; g < f->nglyphs; g++) {
        size_t len;
        glyph_at(f, g, &len);
        if (keep[g]) glyf += (len + 1) & ~(size_t)1;
    }
    size_t loca = ((size_t)f->nglyphs + 1) * (f->long_loca ? 4 : 2);
    total = 12 + 16 * (size_t)nt;
    for (int t = 0; t < T__N; t++) {
        if (!f->has[t]) continue;
        size_t len = t == T_GLYF ? glyf : t == T_LOCA ? loca
                   : (t == T_POST && f->tlen[t] > 32) ? 32 : f->tlen[t];
        total += (len + 3) & ~(size_t)3;
    }
    unsigned char *o = xrealloc(NULL, total);
    memset(o, 0, total);
    wr32(o, rd32(f->data));
    wr16(o + 4, nt);
    unsigned es = 0;
    while ((2u << es) <= nt) es++;
    wr16(o + 6, 16u << es);
    wr16(o + 8, es);
    wr16(o + 10, nt * 16 - (16u << es));
    size_t at = 12 + 16 * (size_t)nt, head_at = 0;
    unsigned k = 0;
    for (int t = 0; t < T__N; t++) {
        if (!f->has[t]) continue;
        unsigned char *r = o + 12 + 16 * k++, *p = o + at;
        size_t len;
        if (t == T_GLYF) {
            const unsigned char *src = ttab(f, T_GLYF);
            size_t n = 0;
            for (unsigned g = 0; g < f->nglyphs; g++) {
                size_t gl, ga = glyph_at(f, g, &gl);
                if (!keep[g]) continue;
                memcpy(p + n, src + ga, gl);
                n += (gl + 1) & ~(size_t)1;
            }
            len = n;
        } else if (t == T_LOCA) {
            size_t n = 0;
            for (unsigned g = 0; g <= f->nglyphs; g++) {
                if (f->long_loca) wr32(p + 4 * g, (uint32_t)n);
                else wr16(p + 2 * g, (unsigned)(n / 2));
                if (g < f->nglyphs && keep[g]) {
                    size_t gl;
                    glyph_at(f, g, &gl);
                    n += (gl + 1) & ~(size_t)1;
                }
            }
            len = loca;
        } else {
            len = (t == T_POST && f->tlen[t] > 32) ? 32 : f->tlen[t];
            memcpy(p, ttab(f, t), len);
            if (t == T_POST && len == 32) wr32(p, 0x00030000u);
            if (t == T_HEAD) {
                wr32(p + 8, 0);  /* checkSumAdjustment, set below */
                head_at = at;
            }
        }
        memcpy(r, tt_tags[t], 4);
        wr32(r + 4, tt_sum(p, len));
        wr32(r + 8, (uint32_t)at);
        wr32(r + 12, (uint32_t)len);
        at += (len + 3) & ~(size_t)3;
    }
    wr32(o + head_at + 8, 0xB1B0AFBAu - tt_sum(o, total));
    *size = total;
    return o;
}

/* WORKAROUND 2 (writing the map): identity on the codes drawn. */
static void write_tounicode(qhpdf *h, qhpdf_font *f, const uint8_t *codes);
static void set_flate(qhpdf *h, HPDF_Dict d, const void *data, size_t n);

/* Makes the font's objects and its subset from the codes drawn with it
 * (and those announced at load: their widths and map entries, as
 * before).  Runs once, when the document is complete. */
static void build_font(qhpdf *h, int id) {
    qhpdf_font *f = &h->fonts[id];
    if (h->err || f->built) return;
    f->built = 1;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Xref xref = h->pdf->xref;
    uint8_t *set = xrealloc(NULL, QHPDF_CODE_BITS);
    unsigned char *keep = xrealloc(NULL, f->nglyphs);
    memset(keep, 0, f->nglyphs);
    keep[0] = 1;
    unsigned last = 0;
    for (unsigned i = 0; i < QHPDF_CODE_BITS; i++) {
        set[i] = (uint8_t)(f->flagged[i] | (f->codes ? f->codes[i] : 0));
        if (!set[i]) continue;
        for (unsigned c = 8 * i; c < 8 * i + 8; c++) {
            if (!code_on(set, c) || c == 0 || c == 0xFFFF) continue;
            unsigned g = tt_gid(f, c);
            if (!g) continue;
            last = c;
            if (code_on(f->flagged, c)) keep_glyph(f, keep, g);
        }
    }
    size_t plen;
    unsigned char *prog = tt_subset(f, keep, &plen);
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
    HPDF_Dict info = HPDF_Dict_New(mm);
    if (!info) goto done;
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_AddNumber(cid, "DW", f->missing_width);

    /* /W: runs of consecutive codes whose width is not /DW. */
    HPDF_Array w = HPDF_Array_New(mm), run = NULL;
    if (!w) goto done;
    HPDF_Dict_Add(cid, "W", w);
    unsigned prev = 0;
    unsigned char *map = xrealloc(NULL, 2 * (size_t)(last + 1));
    memset(map, 0, 2 * (size_t)(last + 1));
    for (unsigned c = 1; c <= last && !h->err; c++) {
        if (!set[c >> 3]) {
            c |= 7;
            continue;
        }
        if (!code_on(set, c)) continue;
        unsigned g = tt_gid(f, c);
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
        set_flate(h, gmap, map, 2 * (size_t)(last + 1));
    }
    free(map);

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
    set_flate(h, file, prog, plen);

    /* PDF/A-1 wants a CIDSet for subsets (later parts only want it right
     * if present): the CIDs whose glyph was kept, and CID 0. */
    if (h->archive == 1 && !h->err) {
        unsigned char *bits = xrealloc(NULL, last / 8 + 1);
        memset(bits, 0, last / 8 + 1);
        bits[0] = 0x80;
        unsigned max = 0;
        for (unsigned c = 1; c <= last; c++) {
            if (!code_on(set, c)) continue;
            unsigned g = tt_gid(f, c);
            if (g && g < f->nglyphs && keep[g]) {
                bits[c >> 3] |= (unsigned char)(0x80u >> (c & 7));
                max = c;
            }
        }
        HPDF_Dict cs = HPDF_DictStream_New(mm, xref);
        if (cs) {
            HPDF_Dict_Add(desc, "CIDSet", cs);
            set_flate(h, cs, bits, max / 8 + 1);
        }
        free(bits);
    }
    if (!f->tounicode) write_tounicode(h, f, set);
done:
    if (!h->err && (!cid || !desc_fonts)) fail(h, HPDF_FAILD_TO_ALLOC_MEM);
    free(prog);
    free(keep);
    free(set);
}

/* WORKAROUND 14: libharu's lists grow by a fixed block (1,024 entries for
 * the cross-reference table) and copy themselves byte by byte each time:
 * quadratic in a pack's 180,000 objects, a tenth of its PDF stage.  Making
 * the block as big as the list so far turns that into doubling. */
static void xref_grow(qhpdf *h) {
    HPDF_List l = h->pdf->xref->entries;
    if (l->items_per_block < l->count) l->items_per_block = l->count;
}

int qhpdf_add_page(qhpdf *h, float width, float height) {
    if (h->err) return -1;
    xref_grow(h);
    HPDF_Page p = HPDF_AddPage(h->pdf);
    if (!p || h->err) return -1;
    HPDF_Page_SetWidth(p, width);
    HPDF_Page_SetHeight(p, height);
    if (h->err) return -1;
    if (h->npages == h->cap_pages) {
        h->cap_pages = h->cap_pages ? h->cap_pages * 2 : 64;
        h->pages = xrealloc(h->pages, (size_t)h->cap_pages * sizeof *h->pages);
    }
    h->pages[h->npages] = p;
    return h->npages++;
}

void qhpdf_page_begin(qhpdf *h, int page) {
    h->page = (page >= 0 && page < h->npages) ? h->pages[page] : NULL;
    h->page_no = page;
    h->open_mc = 0;
    h->open_se = -1;
    h->mcid = 0;
    h->nmcid_se = h->page_mcid0; /* a page begun again starts afresh */
    h->page_tabs = 0;
    h->last_annot = NULL;
    h->in_text = 0;
    h->cur_font = -1;
    h->cur_size = 0;
    h->fill = h->stroke = 0xFFFFFFFFu;
    h->line_width = -1;
    h->cs_len = 0;
    h->drawing = h->page != NULL;
    for (int i = 0; i < MAX_FONTS; i++) h->font_name[i] = NULL;
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

/* ---- content streams (WORKAROUND 13) ------------------------------------ */

static void cs_need(qhpdf *h, size_t n) {
    if (h->cs_len + n <= h->cs_cap) return;
    size_t cap = h->cs_cap ? h->cs_cap : 16384;
    while (cap < h->cs_len + n) cap *= 2;
    h->cs = xrealloc(h->cs, cap);
    h->cs_cap = cap;
}

static void cs_put(qhpdf *h, const char *s, size_t n) {
    cs_need(h, n);
    memcpy(h->cs + h->cs_len, s, n);
    h->cs_len += n;
}

static void cs_str(qhpdf *h, const char *s) { cs_put(h, s, strlen(s)); }

/* v rounded to `dec` decimals (3 or 4), trailing zeros dropped, then sep:
 * 1/1000 pt is far below what any device shows, and a colour component
 * to 1/10000 is exact after conversion to 8 bits. */
static void cs_num(qhpdf *h, float v, int dec, char sep) {
    static const long long scale[] = {1, 10, 100, 1000, 10000};
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    double d = (double)v * (double)scale[dec];
    if (!(d > -1e15 && d < 1e15)) d = 0; /* NaN or absurd: never drawn */
    long long m = (long long)(d < 0 ? d - 0.5 : d + 0.5);
    int neg = m < 0;
    unsigned long long u = (unsigned long long)(neg ? -m : m);
    unsigned long long ip = u / (unsigned long long)scale[dec];
    unsigned long long fp = u % (unsigned long long)scale[dec];
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
    cs_put(h, p, (size_t)(e - p));
}

static void cs_rgb(qhpdf *h, uint32_t rgb, const char *op) {
    cs_num(h, (float)((rgb >> 16) & 255) / 255.0f, 4, ' ');
    cs_num(h, (float)((rgb >> 8) & 255) / 255.0f, 4, ' ');
    cs_num(h, (float)(rgb & 255) / 255.0f, 4, ' ');
    cs_str(h, op);
}

static HPDF_STATUS HPDF_STDCALL write_flate_key(HPDF_Dict d, HPDF_Stream s) {
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

/* zlib level for what we deflate: on the sample's pages level 1 takes a
 * third of the time of libharu's level 6 for 17% more bytes (level 3: 40%
 * of the time, 10% more); the 50-report pack's file grows 2.4% from level
 * 3 to 1. */
enum { FLATE_LEVEL = 1 };

/* Replaces the data of stream dictionary d with data[0..n) deflated. */
static void set_flate(qhpdf *h, HPDF_Dict d, const void *data, size_t n) {
    if (h->err) return;
    if (!h->z_ready) {
        if (deflateInit(&h->z, FLATE_LEVEL) != Z_OK) {
            fail(h, HPDF_FAILD_TO_ALLOC_MEM);
            return;
        }
        h->z_ready = 1;
    } else if (deflateReset(&h->z) != Z_OK) {
        fail(h, HPDF_INVALID_OPERATION);
        return;
    }
    size_t bound = deflateBound(&h->z, (uLong)n);
    if (bound > h->zcap) {
        h->zbuf = xrealloc(h->zbuf, bound);
        h->zcap = bound;
    }
    h->z.next_in = (Bytef *)(uintptr_t)data;
    h->z.avail_in = (uInt)n;
    h->z.next_out = h->zbuf;
    h->z.avail_out = (uInt)bound;
    if (deflate(&h->z, Z_FINISH) != Z_STREAM_END) {
        fail(h, HPDF_INVALID_OPERATION);
        return;
    }
    HPDF_MemStream_FreeData(d->stream);
    if (HPDF_Stream_Write(d->stream, h->zbuf, (HPDF_UINT)h->z.total_out) != HPDF_OK) {
        fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = write_flate_key;
}

static void flush_page(qhpdf *h) {
    HPDF_PageAttr attr = (HPDF_PageAttr)h->page->attr;
    set_flate(h, attr->contents, h->cs, h->cs_len);
    h->cs_len = 0;
}

static void end_text(qhpdf *h) {
    if (h->in_text) {
        cs_put(h, "ET\n", 3);
        h->in_text = 0;
    }
}

static void mc_close(qhpdf *h);
static void pt_add(qhpdf *h, int key, int kind, int a, int n);

void qhpdf_page_end(qhpdf *h) {
    if (h->err || !h->page) return;
    end_text(h);
    if (h->tagged) {
        mc_close(h);
        if (h->nmcid_se > h->page_mcid0) {
            int key = h->next_key++;
            HPDF_Dict_AddNumber(h->page, "StructParents", key);
            pt_add(h, key, 0, h->page_mcid0, h->nmcid_se - h->page_mcid0);
            h->page_mcid0 = h->nmcid_se;
        }
    }
    if (h->drawing) flush_page(h);
    h->drawing = 0;
}

static void set_fill(qhpdf *h, uint32_t rgb) {
    if (rgb == h->fill) return;
    cs_rgb(h, rgb, "rg\n");
    h->fill = rgb;
}

/* Text as a literal string of big-endian UTF-16 codes, the codes the
 * UTF-8 encoder would give (outside U+0000..U+FFFF: a space).  Only the
 * string delimiters, the backslash and CR (which a reader would turn into
 * LF) need escaping; every other byte may stand as itself. */
static void cs_text(qhpdf *h, qhpdf_font *f, const char *s) {
    size_t n = strlen(s);
    cs_need(h, 4 * n + 8);  /* each byte: at most 2 codes bytes, escaped */
    char *o = h->cs + h->cs_len;
    *o++ = '(';
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = next_cp(&p);
        if (c > 0xFFFF) c = 0x20;
        f->flagged[c >> 3] |= (uint8_t)(1u << (c & 7));
        unsigned char b[2] = {(unsigned char)(c >> 8), (unsigned char)c};
        for (int i = 0; i < 2; i++) {
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
    h->cs_len = (size_t)(o - h->cs);
}

void qhpdf_text(qhpdf *h, int font, float size, uint32_t rgb, float x,
                float y, const char *s) {
    if (h->err || !h->page) return;
    if (font < 0 || font >= h->nfonts || !(size > 0)) {
        fail(h, HPDF_PAGE_INVALID_FONT);
        return;
    }
    if (!h->in_text) {
        cs_put(h, "BT\n", 3);
        h->in_text = 1;
    }
    if (font != h->cur_font || size != h->cur_size) {
        const char *name = h->font_name[font];
        if (!name) {
            name = HPDF_Page_GetLocalFontName(h->page, h->fonts[font].font);
            if (!name || h->err) {
                fail(h, HPDF_PAGE_INVALID_FONT);
                return;
            }
            h->font_name[font] = name;
        }
        cs_put(h, "/", 1);
        cs_str(h, name);
        cs_put(h, " ", 1);
        cs_num(h, size, 3, ' ');
        cs_put(h, "Tf\n", 3);
        h->cur_font = font;
        h->cur_size = size;
    }
    set_fill(h, rgb & 0xFFFFFFu);
    cs_put(h, "1 0 0 1 ", 8);
    cs_num(h, x, 3, ' ');
    cs_num(h, y, 3, ' ');
    cs_put(h, "Tm\n", 3);
    cs_text(h, &h->fonts[font], s);
    cs_put(h, " Tj\n", 4);
}

void qhpdf_fill(qhpdf *h, float x, float y, float w, float ht, uint32_t rgb) {
    if (h->err || !h->page) return;
    end_text(h); /* no paths inside a text object */
    set_fill(h, rgb & 0xFFFFFFu);
    cs_num(h, x, 3, ' ');
    cs_num(h, y, 3, ' ');
    cs_num(h, w, 3, ' ');
    cs_num(h, ht, 3, ' ');
    cs_put(h, "re\nf\n", 5);
}

void qhpdf_line(qhpdf *h, float x0, float y0, float x1, float y1, float width,
                uint32_t rgb) {
    if (h->err || !h->page) return;
    end_text(h);
    if (width != h->line_width) {
        cs_num(h, width, 3, ' ');
        cs_put(h, "w\n", 2);
        h->line_width = width;
    }
    rgb &= 0xFFFFFFu;
    if (rgb != h->stroke) {
        cs_rgb(h, rgb, "RG\n");
        h->stroke = rgb;
    }
    cs_num(h, x0, 3, ' ');
    cs_num(h, y0, 3, ' ');
    cs_put(h, "m\n", 2);
    cs_num(h, x1, 3, ' ');
    cs_num(h, y1, 3, ' ');
    cs_put(h, "l\nS\n", 4);
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t crc32_png(const unsigned char *p, size_t n) {
    uint32_t table[256]; /* per call: cheap next to reading the file */
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* WORKAROUND 8: libharu's libpng error callback returns instead of
 * jumping out, so libpng aborts the whole process on a damaged PNG
 * ("libpng error: ... invalid chunk type").  Before libharu sees a PNG,
 * its chunk structure is checked here: signature, a sane IHDR first, every
 * chunk's length and CRC, at least one IDAT, IEND at the end.  That
 * catches truncated and damaged files; only a deliberately crafted file
 * (valid CRCs over a broken deflate stream) can still reach libpng. */
static int png_ok(const unsigned char *b, size_t n) {
    if (n < 8 + 25 + 12 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) return 0;
    size_t pos = 8;
    int idat = 0, first = 1;
    while (pos + 12 <= n) {
        uint32_t len = be32(b + pos);
        const unsigned char *type = b + pos + 4;
        if (len > n - pos - 12) return 0;
        if (crc32_png(type, (size_t)len + 4) != be32(b + pos + 8 + len)) return 0;
        if (first) {
            if (memcmp(type, "IHDR", 4) != 0 || len != 13) return 0;
            const unsigned char *h = b + pos + 8;
            unsigned depth = h[8], color = h[9];
            if (be32(h) == 0 || be32(h + 4) == 0 || h[10] || h[11] || h[12] > 1)
                return 0;
            int ok = (color == 0 && (depth == 1 || depth == 2 || depth == 4 ||
                                     depth == 8 || depth == 16)) ||
                     (color == 3 && (depth == 1 || depth == 2 || depth == 4 ||
                                     depth == 8)) ||
                     ((color == 2 || color == 4 || color == 6) &&
                      (depth == 8 || depth == 16));
            if (!ok) return 0;
            first = 0;
        }
        if (memcmp(type, "IDAT", 4) == 0) idat = 1;
        if (memcmp(type, "IEND", 4) == 0) return idat;
        pos += (size_t)len + 12;
    }
    return 0;
}

/* 1 = PNG, 2 = JPEG, 0 = neither, damaged or unreadable. */
static int image_type(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char head[8] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    int type = 0;
    if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) {
        type = 2; /* libharu parses JPEG itself and reports errors */
    } else if (n == 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0 &&
               fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && size <= (64L << 20) && fseek(f, 0, SEEK_SET) == 0) {
            unsigned char *b = malloc((size_t)size);
            if (b && fread(b, 1, (size_t)size, f) == (size_t)size &&
                png_ok(b, (size_t)size))
                type = 1;
            free(b);
        }
    }
    fclose(f);
    return type;
}

static HPDF_Image load_image(qhpdf *h, const char *path) {
    for (int i = 0; i < h->nimages; i++)
        if (strcmp(h->images[i].path, path) == 0) return h->images[i].image;
    HPDF_Image img = NULL;
    int t = image_type(path);
    if (t == 1) img = HPDF_LoadPngImageFromFile(h->pdf, path);
    else if (t == 2) img = HPDF_LoadJpegImageFromFile(h->pdf, path);
    if (h->err) {
        /* A bad image costs the image, not the document. */
        img = NULL;
        h->err = 0;
        h->detail = 0;
        HPDF_ResetError(h->pdf);
    }
    if (h->nimages == h->cap_images) {
        h->cap_images = h->cap_images ? h->cap_images * 2 : 8;
        h->images = xrealloc(h->images,
                             (size_t)h->cap_images * sizeof *h->images);
    }
    int lost_alpha = 0;
    if (img && h->archive == 1 && HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT)) {
        /* PDF/A-1 allows no transparency: the colours stay, the alpha
         * channel goes (the orphaned mask object is harmless). */
        HPDF_Dict_RemoveElement(img, "SMask");
        lost_alpha = 1;
    }
    h->images[h->nimages].path = xstrdup(path);
    h->images[h->nimages].image = img;
    h->images[h->nimages].lost_alpha = lost_alpha;
    h->nimages++;
    return img;
}

int qhpdf_image(qhpdf *h, const char *path, float x, float y, float w,
                float ht) {
    if (h->err || !h->page) return 0;
    end_text(h);
    HPDF_Image img = load_image(h, path);
    if (!img) return -1;
    const char *name = HPDF_Page_GetXObjectName(h->page, img);
    if (!name || h->err) {
        fail(h, HPDF_PAGE_INVALID_XOBJECT);
        return -1;
    }
    cs_put(h, "q\n", 2);
    cs_num(h, w, 3, ' ');
    cs_put(h, "0 0 ", 4);
    cs_num(h, ht, 3, ' ');
    cs_num(h, x, 3, ' ');
    cs_num(h, y, 3, ' ');
    cs_put(h, "cm\n/", 4);
    cs_str(h, name);
    cs_put(h, " Do\nQ\n", 7);
    for (int i = 0; i < h->nimages; i++)
        if (h->images[i].image == img && h->images[i].lost_alpha) return 1;
    return 0;
}

/* WORKAROUND 3/4: a direct destination [page /XYZ null top null]. */
static HPDF_Array xyz_dest(qhpdf *h, int page, float top) {
    if (page < 0 || page >= h->npages) {
        fail(h, HPDF_INVALID_PAGE);
        return NULL;
    }
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Array d = HPDF_Array_New(mm);
    if (!d) return NULL;
    HPDF_Array_Add(d, h->pages[page]);
    HPDF_Array_AddName(d, "XYZ");
    HPDF_Array_Add(d, HPDF_Null_New(mm));
    HPDF_Array_AddReal(d, top);
    HPDF_Array_Add(d, HPDF_Null_New(mm));
    return h->err ? NULL : d;
}

static void finish_link(qhpdf *h, HPDF_Annotation a) {
    h->last_annot = NULL;
    if (!a || h->err) return;
    h->last_annot = a;
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_Dict_AddNumber(a, "F", 4); /* print flag (PDF/A wants it) */
}

void qhpdf_link_uri(qhpdf *h, float x0, float y0, float x1, float y1,
                    const char *uri) {
    if (h->err || !h->page) return;
    HPDF_Rect r = {x0, y0, x1, y1};
    finish_link(h, HPDF_Page_CreateURILinkAnnot(h->page, r, uri));
}

void qhpdf_link_dest(qhpdf *h, float x0, float y0, float x1, float y1,
                     int page, float top) {
    if (h->err || !h->page) return;
    HPDF_Array d = xyz_dest(h, page, top);
    if (!d) return;
    /* Passes HPDF_Destination_Validate; stays direct in the annotation. */
    d->header.obj_class |= HPDF_OSUBCLASS_DESTINATION;
    HPDF_Rect r = {x0, y0, x1, y1};
    finish_link(h, HPDF_Page_CreateLinkAnnot(h->page, r, d));
}

int qhpdf_outline(qhpdf *h, int parent, const char *title, int page,
                  float top) {
    if (h->err) return -1;
    HPDF_Outline up = (parent >= 0 && parent < h->noutlines)
                          ? h->outlines[parent] : NULL;
    HPDF_Outline o = HPDF_CreateOutline(h->pdf, up, title, h->utf8);
    if (!o || h->err) return -1;
    HPDF_Dict_RemoveElement(o, "Type"); /* WORKAROUND 3 */
    HPDF_Array d = xyz_dest(h, page, top);
    if (!d) return -1;
    HPDF_Dict_Add(o, "Dest", d);
    if (h->err) return -1;
    if (h->noutlines == h->cap_outlines) {
        h->cap_outlines = h->cap_outlines ? h->cap_outlines * 2 : 32;
        h->outlines = xrealloc(h->outlines,
                               (size_t)h->cap_outlines * sizeof *h->outlines);
    }
    h->outlines[h->noutlines] = o;
    return h->noutlines++;
}

void qhpdf_info(qhpdf *h, const char *title, const char *author,
                const char *subject, const char *keywords,
                const char *creator, const char *producer) {
    static const HPDF_InfoType types[] = {
        HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT,
        HPDF_INFO_KEYWORDS, HPDF_INFO_CREATOR, HPDF_INFO_PRODUCER};
    const char *vals[] = {title, author, subject, keywords, creator, producer};
    for (int i = 0; i < 6; i++) {
        if (h->err) return;
        if (vals[i] && vals[i][0]) HPDF_SetInfoAttr(h->pdf, types[i], vals[i]);
    }
}

void qhpdf_creation_date(qhpdf *h, int year, int month, int day) {
    if (h->err) return;
    HPDF_Date d = {year, month, day, 0, 0, 0, ' ', 0, 0};
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, d);
}

void qhpdf_catalog(qhpdf *h, const char *lang, int show_outlines) {
    if (h->err) return;
    /* WORKAROUND 5 */
    HPDF_Dict cat = h->pdf->catalog;
    HPDF_MMgr mm = h->pdf->mmgr;
    if (lang && lang[0])
        HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, lang, NULL));
    HPDF_Dict prefs = HPDF_Dict_New(mm);
    if (!prefs) return;
    HPDF_Dict_Add(cat, "ViewerPreferences", prefs);
    HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
    if (show_outlines && !h->err)
        HPDF_SetPageMode(h->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

/* WORKAROUND 2: the ToUnicode map, identity on the codes drawn. */
enum { BATCH = 100 }; /* the CMap format's limit per begin...end block */

static void emit_batch(HPDF_Stream s, int single, const unsigned *lo,
                       const unsigned *hi, int n) {
    char line[64];
    if (n == 0) return;
    snprintf(line, sizeof line, "%d %s\n", n,
             single ? "beginbfchar" : "beginbfrange");
    HPDF_Stream_WriteStr(s, line);
    for (int i = 0; i < n; i++) {
        if (single)
            snprintf(line, sizeof line, "<%04X> <%04X>\n", lo[i], lo[i]);
        else
            snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n", lo[i],
                     hi[i], lo[i]);
        HPDF_Stream_WriteStr(s, line);
    }
    HPDF_Stream_WriteStr(s, single ? "endbfchar\n" : "endbfrange\n");
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
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

    /* Runs of consecutive codes inside one 256-code block become bfrange
     * entries (their low byte is all that may vary), single codes bfchar.
     * Surrogates and U+FFFE/U+FFFF are never mapped: not characters. */
    unsigned lo[BATCH], hi[BATCH];
    for (int pass = 0; pass < 2; pass++) {  /* 0: ranges, 1: single codes */
        int n = 0;
        unsigned c = 0;
        while (c < 0xFFFE) {
            if (!code_on(codes, c) || (c >= 0xD800 && c <= 0xDFFF)) {
                c++;
                continue;
            }
            unsigned start = c;
            while (c + 1 < 0xFFFE && ((c + 1) & 0xFF) != 0 &&
                   code_on(codes, c + 1))
                c++;
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

/* ---- tagged PDF (WORKAROUND 11) -----------------------------------------
 * libharu has no structure API.  A big pack has a hundred thousand
 * structure elements; as libharu dictionaries (a 136-byte record per key,
 * a name object per role, a proxy per reference) they took more memory and
 * time than everything else in the document.  So each element is an empty
 * indirect dictionary, only for its object number, whose write hook
 * prints the element from a compact record here (role, parent, page,
 * kids, attributes); the parent tree's leaves are written the same way.
 * Marked-content operators go straight into the content stream, between
 * text objects and paths, never inside.  The parent tree is assembled
 * from (key, value) pairs collected in key order: each page's key is
 * taken when the page is finished, its annotations' keys after that. */

static void pt_add(qhpdf *h, int key, int kind, int a, int n) {
    if (h->npt == h->cap_pt) {
        h->cap_pt = h->cap_pt ? h->cap_pt * 2 : 64;
        h->pt = xrealloc(h->pt, (size_t)h->cap_pt * sizeof *h->pt);
    }
    h->pt[h->npt].key = key;
    h->pt[h->npt].kind = kind;
    h->pt[h->npt].a = a;
    h->pt[h->npt].n = n;
    h->npt++;
}

static void kid_add(qhpdf *h, int se, int kind, int a, int b) {
    if (h->nkids == h->cap_kids) {
        h->cap_kids = h->cap_kids ? h->cap_kids * 2 : 1024;
        h->kids = xrealloc(h->kids, (size_t)h->cap_kids * sizeof *h->kids);
    }
    int k = h->nkids++;
    h->kids[k].kind = kind;
    h->kids[k].a = a;
    h->kids[k].b = b;
    h->kids[k].next = -1;
    qhpdf_se *e = se_rec(h, se);
    if (e->last_kid < 0) e->first_kid = k;
    else h->kids[e->last_kid].next = k;
    e->last_kid = k;
}

static void ints_push(int **v, int *n, int *cap, int x) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *v = xrealloc(*v, (size_t)*cap * sizeof **v);
    }
    (*v)[(*n)++] = x;
}

void qhpdf_set_tagged(qhpdf *h) {
    if (h->err || h->tagged) return;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Dict root = HPDF_Dict_New(mm);
    if (!root || HPDF_Xref_Add(h->pdf->xref, root) != HPDF_OK) return;
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Array k = HPDF_Array_New(mm);
    if (!k) return;
    HPDF_Dict_Add(root, "K", k);
    if (h->err) return;
    h->struct_root = root;
    h->root_k = k;
    h->tagged = 1;
    /* /Tabs is PDF 1.5 and PDF/UA is built on PDF 1.7; PDF/A-1 is PDF 1.4
     * and stays so (readers of 1.4 ignore the newer keys). */
    if (h->archive != 1 && h->pdf->pdf_version < HPDF_VER_17)
        h->pdf->pdf_version = HPDF_VER_17;
}

int qhpdf_tagged(const qhpdf *h) { return h->tagged; }

/* ---- serialising elements (run by libharu while saving) ---------------- */

static void wb_put(wbuf *b, const char *s, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n) cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void wb_str(wbuf *b, const char *s) { wb_put(b, s, strlen(s)); }

static void wb_int(wbuf *b, long long v) {
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    wb_put(b, tmp, (size_t)n);
}

static void wb_ref(wbuf *b, const void *obj) {
    const HPDF_Obj_Header *hd = obj;
    wb_int(b, (long long)(hd->obj_id & 0x00FFFFFFu));
    wb_put(b, " 0 R", 4);
}

static void wb_real(wbuf *b, float v) {
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%.3f", (double)v);
    while (n > 0 && tmp[n - 1] == '0') n--;
    if (n > 0 && tmp[n - 1] == '.') n--;
    wb_put(b, tmp, (size_t)n);
}

/* A PDF text string: a literal when printable ASCII, else UTF-16BE with a
 * byte-order mark, in hex. */
static void wb_text(wbuf *b, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    int ascii = 1;
    for (; *p; p++)
        if (*p < 0x20 || *p >= 0x7F) ascii = 0;
    if (ascii) {
        wb_put(b, "(", 1);
        for (p = (const unsigned char *)s; *p; p++) {
            if (*p == '(' || *p == ')' || *p == '\\') wb_put(b, "\\", 1);
            wb_put(b, (const char *)p, 1);
        }
        wb_put(b, ")", 1);
        return;
    }
    static const char hx[] = "0123456789ABCDEF";
    wb_str(b, "<FEFF");
    for (p = (const unsigned char *)s; *p;) {
        unsigned c = next_cp(&p);
        unsigned u[2], nu = 1;
        if (c > 0xFFFF) {
            c -= 0x10000;
            u[0] = 0xD800 | (c >> 10);
            u[1] = 0xDC00 | (c & 0x3FF);
            nu = 2;
        } else {
            u[0] = c;
        }
        for (unsigned i = 0; i < nu; i++) {
            char q[4] = {hx[(u[i] >> 12) & 15], hx[(u[i] >> 8) & 15],
                         hx[(u[i] >> 4) & 15], hx[u[i] & 15]};
            wb_put(b, q, 4);
        }
    }
    wb_put(b, ">", 1);
}

static HPDF_STATUS out_write(qhpdf *h, HPDF_Stream out) {
    HPDF_STATUS st = HPDF_Stream_Write(out, (const HPDF_BYTE *)h->wb.p,
                                       (HPDF_UINT)h->wb.n);
    h->wb.n = 0;
    return st;
}

static HPDF_STATUS HPDF_STDCALL se_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf_se *e = (qhpdf_se *)(void *)d;  /* d is e's first member */
    qhpdf *h = d->attr;
    const qhpdf_extra *x = e->extra >= 0 ? &h->extras[e->extra] : NULL;
    wbuf *b = &h->wb;
    wb_str(b, "/S /");
    wb_str(b, e->role);
    wb_str(b, "\n/P ");
    wb_ref(b, e->parent >= 0 ? (void *)&se_rec(h, e->parent)->d
                             : (void *)h->struct_root);
    if (e->page >= 0) {
        wb_str(b, "\n/Pg ");
        wb_ref(b, h->pages[e->page]);
    }
    if (x && x->alt) {
        wb_str(b, "\n/Alt ");
        wb_text(b, x->alt);
    }
    if (x && x->lang) {
        wb_str(b, "\n/Lang ");
        wb_text(b, x->lang);
    }
    if (x && x->has_bbox) {
        wb_str(b, "\n/A << /O /Layout /BBox [");
        for (int i = 0; i < 4; i++) {
            wb_put(b, " ", 1);
            wb_real(b, x->bbox[i]);
        }
        wb_str(b, " ] >>");
    } else if (x && (x->scope || x->summary)) {
        wb_str(b, "\n/A << /O /Table");
        if (x->scope) wb_str(b, x->scope == 1 ? " /Scope /Row" : " /Scope /Column");
        if (x->summary) {
            wb_str(b, " /Summary ");
            wb_text(b, x->summary);
        }
        wb_str(b, " >>");
    }
    wb_str(b, "\n/K [");
    for (int k = e->first_kid; k >= 0; k = h->kids[k].next) {
        const qhpdf_kid *kid = &h->kids[k];
        wb_put(b, " ", 1);
        switch (kid->kind) {
        case KID_SE: wb_ref(b, &se_rec(h, kid->a)->d); break;
        case KID_MCID: wb_int(b, kid->a); break;
        case KID_MCR:
            wb_str(b, "<< /Type /MCR /Pg ");
            wb_ref(b, h->pages[kid->a]);
            wb_str(b, " /MCID ");
            wb_int(b, kid->b);
            wb_str(b, " >>");
            break;
        case KID_OBJR:
            wb_str(b, "<< /Type /OBJR /Obj ");
            wb_ref(b, h->annots[kid->a]);
            wb_str(b, " /Pg ");
            wb_ref(b, h->pages[kid->b]);
            wb_str(b, " >>");
            break;
        }
    }
    wb_str(b, " ]\n");
    return out_write(h, out);
}

static HPDF_STATUS HPDF_STDCALL leaf_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf_ptleaf *l = d->attr;
    qhpdf *h = l->h;
    wbuf *b = &h->wb;
    if (l->from > 0 || l->to < h->npt) {
        wb_str(b, "/Limits [ ");
        wb_int(b, h->pt[l->from].key);
        wb_put(b, " ", 1);
        wb_int(b, h->pt[l->to - 1].key);
        wb_str(b, " ]\n");
    }
    wb_str(b, "/Nums [");
    for (int i = l->from; i < l->to; i++) {
        const qhpdf_ptentry *p = &h->pt[i];
        wb_put(b, "\n", 1);
        wb_int(b, p->key);
        if (p->kind == 0) {       /* a page: its elements by MCID */
            wb_str(b, " [");
            for (int m = 0; m < p->n; m++) {
                wb_put(b, " ", 1);
                wb_ref(b, &se_rec(h, h->mcid_se[p->a + m])->d);
            }
            wb_str(b, " ]");
        } else {                  /* an annotation: its Link element */
            wb_put(b, " ", 1);
            wb_ref(b, &se_rec(h, p->a)->d);
        }
    }
    wb_str(b, " ]\n");
    return out_write(h, out);
}

/* ---- building the tree -------------------------------------------------- */

int qhpdf_struct_new(qhpdf *h, int parent, const char *role) {
    if (h->err || !h->tagged) return -1;
    if (parent >= h->nse) {
        fail(h, HPDF_INVALID_PARAMETER);
        return -1;
    }
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Xref xref = h->pdf->xref;
    if (!h->se_list && !(h->se_list = HPDF_List_New(mm, 1))) return -1;
    /* A placeholder takes the object number (HPDF_Xref_Add frees it if
     * that fails), then the entry is pointed at the element's dict. */
    xref_grow(h);
    HPDF_Null ph = HPDF_Null_New(mm);
    if (!ph || HPDF_Xref_Add(xref, ph) != HPDF_OK) return -1;
    HPDF_UINT32 id = ph->header.obj_id;
    HPDF_XrefEntry x = HPDF_Xref_GetEntry(xref, xref->entries->count - 1);
    if (h->nse % SE_BLOCK == 0) {
        int nb = h->nse / SE_BLOCK;
        if (nb == h->cap_blocks) {
            h->cap_blocks = h->cap_blocks ? h->cap_blocks * 2 : 16;
            h->se_blocks = xrealloc(h->se_blocks,
                                    (size_t)h->cap_blocks * sizeof *h->se_blocks);
        }
        h->se_blocks[nb] = xrealloc(NULL, SE_BLOCK * sizeof(qhpdf_se));
    }
    int i = h->nse++;
    qhpdf_se *e = se_rec(h, i);
    memset(e, 0, sizeof *e);
    e->d.header.obj_class = HPDF_OCLASS_DICT;
    e->d.header.obj_id = id;
    e->d.mmgr = mm;
    e->d.error = mm->error;
    e->d.list = h->se_list;
    e->d.filter = HPDF_STREAM_FILTER_NONE;
    e->d.write_fn = se_write;
    e->d.attr = h;
    x->obj = &e->d;
    HPDF_FreeMem(mm, ph);
    e->parent = parent;
    e->page = -1;
    e->first_kid = e->last_kid = -1;
    e->extra = -1;
    size_t n = 0;  /* standard role names: letters and digits only */
    for (; role[n] && n + 1 < sizeof e->role; n++) {
        char c = role[n];
        e->role[n] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9')) ? c : 'X';
    }
    e->role[n] = 0;
    if (parent >= 0) kid_add(h, parent, KID_SE, i, 0);
    else HPDF_Array_Add(h->root_k, &e->d);
    return h->err ? -1 : i;
}

/* A text string: plain bytes when ASCII (readable in the file and in
 * tools' dumps), otherwise UTF-16 through the UTF-8 encoder. */
static HPDF_String text_string(qhpdf *h, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p && *p < 0x80 && *p >= 0x20) p++;
    return HPDF_String_New(h->pdf->mmgr, s, *p ? h->utf8 : NULL);
}

static qhpdf_se *se_at(qhpdf *h, int se) {
    if (h->err || !h->tagged) return NULL;
    if (se < 0 || se >= h->nse) {
        fail(h, HPDF_INVALID_PARAMETER);
        return NULL;
    }
    return se_rec(h, se);
}

static void set_str(char **slot, const char *s) {
    free(*slot);
    *slot = (s && s[0]) ? xstrdup(s) : NULL;
}

/* The element's rare attributes, made on first use. */
static qhpdf_extra *extra_of(qhpdf *h, int se) {
    qhpdf_se *e = se_at(h, se);
    if (!e) return NULL;
    if (e->extra < 0) {
        if (h->nextras == h->cap_extras) {
            h->cap_extras = h->cap_extras ? h->cap_extras * 2 : 64;
            h->extras = xrealloc(h->extras, (size_t)h->cap_extras * sizeof *h->extras);
        }
        memset(&h->extras[h->nextras], 0, sizeof *h->extras);
        e->extra = h->nextras++;
    }
    return &h->extras[e->extra];
}

void qhpdf_struct_alt(qhpdf *h, int se, const char *alt) {
    qhpdf_extra *x = alt && alt[0] ? extra_of(h, se) : NULL;
    if (x) set_str(&x->alt, alt);
}

void qhpdf_struct_lang(qhpdf *h, int se, const char *lang) {
    qhpdf_extra *x = lang && lang[0] ? extra_of(h, se) : NULL;
    if (x) set_str(&x->lang, lang);
}

void qhpdf_struct_scope(qhpdf *h, int se, int row) {
    qhpdf_extra *x = extra_of(h, se);
    if (x) x->scope = row ? 1 : 2;
}

void qhpdf_struct_bbox(qhpdf *h, int se, float x0, float y0, float x1,
                       float y1) {
    qhpdf_extra *x = extra_of(h, se);
    if (!x) return;
    x->has_bbox = 1;
    x->bbox[0] = x0;
    x->bbox[1] = y0;
    x->bbox[2] = x1;
    x->bbox[3] = y1;
}

void qhpdf_struct_summary(qhpdf *h, int se, const char *summary) {
    qhpdf_extra *x = summary && summary[0] ? extra_of(h, se) : NULL;
    if (x) set_str(&x->summary, summary);
}

static void write_op(qhpdf *h, const char *s) { cs_str(h, s); }

static void mc_close(qhpdf *h) {
    if (!h->open_mc) return;
    end_text(h);
    write_op(h, "EMC\n");
    h->open_mc = 0;
    h->open_se = -1;
}

void qhpdf_mark(qhpdf *h, int se) {
    if (h->err || !h->tagged || !h->page) return;
    if (se < 0) {
        if (h->open_mc == 1) return;
        mc_close(h);
        end_text(h);
        write_op(h, "/Artifact BMC\n");
        h->open_mc = 1;
        return;
    }
    if (h->open_mc == 2 && h->open_se == se) return;
    qhpdf_se *e = se_at(h, se);
    if (!e) return;
    mc_close(h);
    end_text(h);
    int mcid = h->mcid++;
    char op[48];
    snprintf(op, sizeof op, " <</MCID %d>> BDC\n", mcid);
    cs_put(h, "/", 1);
    cs_str(h, e->role);
    write_op(h, op);
    h->open_mc = 2;
    h->open_se = se;
    ints_push(&h->mcid_se, &h->nmcid_se, &h->cap_mcid_se, se);
    if (e->page < 0) e->page = h->page_no;
    if (e->page == h->page_no)
        kid_add(h, se, KID_MCID, mcid, 0);
    else  /* content continued on a later page: a marked-content ref */
        kid_add(h, se, KID_MCR, h->page_no, mcid);
}

void qhpdf_tag_annot(qhpdf *h, int se, const char *contents) {
    qhpdf_se *e = se_at(h, se);
    HPDF_Annotation a = h->last_annot;
    if (!e || !a || !h->page) return;
    h->last_annot = NULL;
    int key = h->next_key++;
    HPDF_Dict_AddNumber(a, "StructParent", key);
    if (contents && contents[0])
        HPDF_Dict_Add(a, "Contents", text_string(h, contents));
    if (h->err) return;
    if (h->nannots == h->cap_annots) {
        h->cap_annots = h->cap_annots ? h->cap_annots * 2 : 64;
        h->annots = xrealloc(h->annots, (size_t)h->cap_annots * sizeof *h->annots);
    }
    h->annots[h->nannots] = a;
    kid_add(h, se, KID_OBJR, h->nannots++, h->page_no);
    pt_add(h, key, 1, se, 0);
    if (!h->page_tabs) {
        HPDF_Dict_AddName(h->page, "Tabs", "S");
        h->page_tabs = 1;
    }
}

enum { PT_LEAF = 128 }; /* keys per parent-tree leaf */

static HPDF_Dict pt_leaf(qhpdf *h, int from, int to) {
    HPDF_Dict leaf = HPDF_Dict_New(h->pdf->mmgr);
    if (!leaf || HPDF_Xref_Add(h->pdf->xref, leaf) != HPDF_OK) return NULL;
    qhpdf_ptleaf *l = &h->leaves[h->nleaves++];
    l->h = h;
    l->from = from;
    l->to = to;
    leaf->attr = l;
    leaf->write_fn = leaf_write;
    return leaf;
}

void qhpdf_struct_finish(qhpdf *h) {
    if (h->err || !h->tagged) return;
    HPDF_MMgr mm = h->pdf->mmgr;
    h->leaves = xrealloc(NULL, ((size_t)h->npt / PT_LEAF + 1) * sizeof *h->leaves);
    HPDF_Dict tree;
    if (h->npt <= PT_LEAF) {
        tree = pt_leaf(h, 0, h->npt);
        if (!tree) return;
    } else {
        tree = HPDF_Dict_New(mm);
        if (!tree || HPDF_Xref_Add(h->pdf->xref, tree) != HPDF_OK) return;
        HPDF_Array kids = HPDF_Array_New(mm);
        if (!kids) return;
        HPDF_Dict_Add(tree, "Kids", kids);
        for (int i = 0; i < h->npt && !h->err; i += PT_LEAF) {
            HPDF_Dict leaf = pt_leaf(h, i, i + PT_LEAF < h->npt ? i + PT_LEAF : h->npt);
            if (!leaf) return;
            HPDF_Array_Add(kids, leaf);
        }
    }
    HPDF_Dict_Add(h->struct_root, "ParentTree", tree);
    HPDF_Dict_AddNumber(h->struct_root, "ParentTreeNextKey", h->next_key);
    HPDF_Dict cat = h->pdf->catalog;
    HPDF_Dict_Add(cat, "StructTreeRoot", h->struct_root);
    HPDF_Dict mark = HPDF_Dict_New(mm);
    if (!mark) return;
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(cat, "MarkInfo", mark);
}

void qhpdf_metadata(qhpdf *h, const char *xmp, size_t len) {
    if (h->err) return;
    /* PDF/A-1 wants the metadata stream unfiltered (readable in place). */
    HPDF_Dict md = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
    if (!md) return;
    HPDF_Dict_AddName(md, "Type", "Metadata");
    HPDF_Dict_AddName(md, "Subtype", "XML");
    HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)len);
    HPDF_Dict_Add(h->pdf->catalog, "Metadata", md);
}

/* ---- archive copies (WORKAROUND 9, 10) ---------------------------------- */

/* 16 bytes unlikely to occur in a PDF, written as hex in the trailer. */
static const unsigned char id_placeholder[16] = {
    'q', 'u', 'o', 'r', 'u', 'm', '-', 'i', 'd', '-', 'p', 'e', 'n', 'd',
    '!', '!'};

void qhpdf_set_archive(qhpdf *h, int part) {
    h->archive = part;
    if (part >= 3) h->pdf->pdf_version = HPDF_VER_17; /* /AF and friends */
    else h->pdf->pdf_version = HPDF_VER_14;           /* PDF/A-1 is PDF 1.4 */
}

void qhpdf_archive_dates(qhpdf *h, int year, int month, int day) {
    if (h->err) return;
    HPDF_Date d = {year, month, day, 0, 0, 0, '+', 0, 0};
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_MOD_DATE, d);
}

void qhpdf_attach(qhpdf *h, const char *name, const void *data, size_t len,
                  const char *mime, const char *desc, const char *pdf_date) {
    if (h->err) return;
    if (len > 0x7FFFFFFFu) {
        fail(h, HPDF_INVALID_PARAMETER);
        return;
    }
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Dict ef = HPDF_DictStream_New(mm, h->pdf->xref);
    if (!ef) return;
    HPDF_Dict_AddName(ef, "Type", "EmbeddedFile");
    HPDF_Dict_AddName(ef, "Subtype", mime); /* written /text#2Fxml */
    HPDF_Dict params = HPDF_Dict_New(mm);
    if (!params) return;
    HPDF_Dict_Add(ef, "Params", params);
    HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len);
    unsigned char sum[16];
    qmd5(data, len, sum);
    HPDF_Dict_Add(params, "CheckSum", HPDF_Binary_New(mm, sum, 16));
    if (pdf_date)
        HPDF_Dict_Add(params, "ModDate", HPDF_String_New(mm, pdf_date, NULL));
    if (len) HPDF_Stream_Write(ef->stream, data, (HPDF_UINT)len);
    if (h->err) return;

    HPDF_Dict spec = HPDF_Dict_New(mm);
    if (!spec || HPDF_Xref_Add(h->pdf->xref, spec) != HPDF_OK) return;
    HPDF_Dict_AddName(spec, "Type", "Filespec");
    HPDF_Dict_Add(spec, "F", HPDF_String_New(mm, name, NULL));
    HPDF_Dict_Add(spec, "UF", HPDF_String_New(mm, name, h->utf8));
    if (desc) HPDF_Dict_Add(spec, "Desc", HPDF_String_New(mm, desc, h->utf8));
    HPDF_Dict_AddName(spec, "AFRelationship", "Source");
    HPDF_Dict efd = HPDF_Dict_New(mm);
    if (!efd) return;
    HPDF_Dict_Add(spec, "EF", efd);
    HPDF_Dict_Add(efd, "F", ef);
    HPDF_Dict_Add(efd, "UF", ef);
    if (h->err) return;
    if (h->nfiles == h->cap_files) {
        h->cap_files = h->cap_files ? h->cap_files * 2 : 8;
        h->files = xrealloc(h->files, (size_t)h->cap_files * sizeof *h->files);
    }
    h->files[h->nfiles].name = xstrdup(name);
    h->files[h->nfiles].spec = spec;
    h->nfiles++;
}

static int cmp_files(const void *a, const void *b) {
    return strcmp(((const qhpdf_file *)a)->name, ((const qhpdf_file *)b)->name);
}

void qhpdf_archive_finish(qhpdf *h) {
    if (h->err) return;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Xref xref = h->pdf->xref;
    HPDF_Dict cat = h->pdf->catalog;

    for (int i = 0; i < h->nfonts && !h->err; i++)
        build_font(h, i);  /* with a CIDSet for PDF/A-1 */
    if (h->err) return;


    HPDF_Dict icc = HPDF_DictStream_New(mm, xref);
    if (!icc) return;
    icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddNumber(icc, "N", 3);
    HPDF_Stream_Write(icc->stream, qsrgb_icc, (HPDF_UINT)qsrgb_icc_len);
    HPDF_Dict intent = HPDF_Dict_New(mm);
    HPDF_Array intents = HPDF_Array_New(mm);
    if (!intent || !intents) return;
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName",
                  HPDF_String_New(mm, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", icc);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(cat, "OutputIntents", intents);

    if (h->nfiles > 0) {
        HPDF_Array af = HPDF_Array_New(mm);
        if (!af) return;
        for (int i = 0; i < h->nfiles; i++) HPDF_Array_Add(af, h->files[i].spec);
        HPDF_Dict_Add(cat, "AF", af);
        /* A name tree's keys must be sorted; /AF keeps the given order. */
        qhpdf_file *sorted = xrealloc(NULL, (size_t)h->nfiles * sizeof *sorted);
        memcpy(sorted, h->files, (size_t)h->nfiles * sizeof *sorted);
        qsort(sorted, (size_t)h->nfiles, sizeof *sorted, cmp_files);
        HPDF_Dict names = HPDF_Dict_New(mm);
        HPDF_Dict tree = HPDF_Dict_New(mm);
        HPDF_Array kv = HPDF_Array_New(mm);
        if (names && tree && kv) {
            for (int i = 0; i < h->nfiles; i++) {
                HPDF_Array_Add(kv, HPDF_String_New(mm, sorted[i].name, NULL));
                HPDF_Array_Add(kv, sorted[i].spec);
            }
            HPDF_Dict_Add(tree, "Names", kv);
            HPDF_Dict_Add(names, "EmbeddedFiles", tree);
            HPDF_Dict_Add(cat, "Names", names);
        }
        free(sorted);
        if (h->err) return;
    }

    HPDF_Array id = HPDF_Array_New(mm);
    if (!id) return;
    HPDF_Array_Add(id, HPDF_Binary_New(mm, (HPDF_BYTE *)id_placeholder, 16));
    HPDF_Array_Add(id, HPDF_Binary_New(mm, (HPDF_BYTE *)id_placeholder, 16));
    HPDF_Dict_Add(h->pdf->trailer, "ID", id);
}

static const char hexdigits[] = "0123456789ABCDEF";

int qhpdf_fill_id(unsigned char *buf, size_t n) {
    char hex[34];
    hex[0] = '<';
    for (int i = 0; i < 16; i++) {
        hex[1 + 2 * i] = hexdigits[id_placeholder[i] >> 4];
        hex[2 + 2 * i] = hexdigits[id_placeholder[i] & 15];
    }
    hex[33] = '>';
    /* The trailer comes last: the two last occurrences are the /ID (an
     * attachment could hold the same text further up). */
    unsigned char *at[2] = {NULL, NULL};
    int found = 0;
    for (size_t i = n >= 34 ? n - 34 + 1 : 0; i-- > 0 && found < 2;)
        if (buf[i] == '<' && memcmp(buf + i, hex, 34) == 0) at[found++] = buf + i;
    if (found < 2) return -1;
    unsigned char sum[16];
    qmd5(buf, n, sum);
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 16; i++) {
            at[k][1 + 2 * i] = (unsigned char)hexdigits[sum[i] >> 4];
            at[k][2 + 2 * i] = (unsigned char)hexdigits[sum[i] & 15];
        }
    return 0;
}

/* WORKAROUND 6: the document goes to the caller's sink through a
 * callback stream set as the document's stream before HPDF_SaveToStream
 * (which only makes a memory stream when there is none): no copy of the
 * whole file in libharu's byte-by-byte memory stream, and a failed write
 * stops the save (libharu's own file writer ignores fclose errors). */
static HPDF_STATUS HPDF_STDCALL to_sink(HPDF_Stream s, const HPDF_BYTE *p,
                                        HPDF_UINT n) {
    qhpdf *h = s->attr;
    if (h->sink_failed) return HPDF_FILE_IO_ERROR;
    if (h->sink(h->sink_ctx, p, n) != 0) {
        h->sink_failed = 1;
        return HPDF_FILE_IO_ERROR;
    }
    return HPDF_OK;
}

int qhpdf_save_to(qhpdf *h, int (*sink)(void *ctx, const void *p, size_t n),
                  void *ctx) {
    if (h->err || h->pdf->stream) return -1;  /* failed, or saved before */
    for (int i = 0; i < h->nfonts && !h->err; i++) build_font(h, i);
    if (h->err) return -1;
    h->sink = sink;
    h->sink_ctx = ctx;
    h->pdf->stream = HPDF_CallbackWriter_New(h->pdf->mmgr, to_sink, h);
    if (!h->pdf->stream) {
        fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    if (HPDF_SaveToStream(h->pdf) != HPDF_OK || h->sink_failed) {
        if (!h->err) fail(h, HPDF_FILE_IO_ERROR);
        return -1;
    }
    return h->err ? -1 : 0;
}

typedef struct membuf { unsigned char *p; size_t n, cap; } membuf;

static int to_mem(void *ctx, const void *p, size_t n) {
    membuf *m = ctx;
    if (m->n + n > m->cap) {
        size_t cap = m->cap ? m->cap : (size_t)1 << 20;
        while (cap < m->n + n) cap *= 2;
        unsigned char *q = realloc(m->p, cap);
        if (!q) return -1;
        m->p = q;
        m->cap = cap;
    }
    memcpy(m->p + m->n, p, n);
    m->n += n;
    return 0;
}

unsigned char *qhpdf_save(qhpdf *h, size_t *size) {
    membuf m = {NULL, 0, 0};
    *size = 0;
    if (qhpdf_save_to(h, to_mem, &m) != 0 || m.n == 0) {
        free(m.p);
        return NULL;
    }
    *size = m.n;
    return m.p;
}
