/* The font folder's internal interface: measuring (font.c) and the one
 * TrueType reader shared with the PDF writer's embedding (ttf.c). */
#ifndef QUORUM_FONT_H
#define QUORUM_FONT_H
#include <stddef.h>
#include <stdint.h>
#include "quorum.h"
#include "util.h"

/* ==== font ============================================================ */
/* Font metrics read straight from the TrueType files (head, hhea, hmtx,
 * cmap, OS/2), so layout measures text without libharu: libharu's
 * measuring marks glyphs as used and splits UTF-8.  Widths use libharu's
 * own rounding (advance * 1000 / unitsPerEm, truncated) so that what layout
 * measures is exactly what the PDF viewer advances.
 *
 * A file is read only when a face is first asked for, once (qfile_open:
 * a regular file, at most QFONT_MAX_BYTES), into a qfont_cache (the
 * engine's), which keeps its bytes and what measuring takes from them
 * until the engine is freed: every face and every qfonts that names it
 * (the heading and table families default to the body's files; check and
 * layout each have their own qfonts) shares them until the file changes,
 * and the PDF adapter embeds from the same bytes.  Measuring reads only
 * the tables it needs; the PDF adapter asks for what it embeds when it
 * makes the subset (qfont_need: the other tables, the glyphs kept), so
 * most of a file (the outlines never drawn, the layout tables) is never
 * read: about a tenth of the sample report's 1.15 MB of fonts is.
 * Widths are kept in pages of 256 code points, a page only where the
 * font has a glyph, so measuring is two array loads per character. */
#define QFONT_MAX_BYTES ((size_t)64 << 20)

typedef enum qfont_face {
    QF_REGULAR = 0,
    QF_BOLD,
    QF_ITALIC,
    QF_BOLD_ITALIC,
    /* Faces of the heading and table families a style may set: role * 4 +
     * the bold/italic bits above, so OR-ing in bold keeps the family.
     * Unless a style names them they are the same files as the body's. */
    QF_HEAD_REGULAR, QF_HEAD_BOLD, QF_HEAD_ITALIC, QF_HEAD_BOLD_ITALIC,
    QF_TABLE_REGULAR, QF_TABLE_BOLD, QF_TABLE_ITALIC, QF_TABLE_BOLD_ITALIC,
    QF__COUNT
} qfont_face;

struct qfont_file;

typedef struct qfont {
    const char *path;       /* file the face was read from */
    const unsigned char *data; /* the file's bytes at their offsets, held by
                                * the cache; only those read are valid: the
                                * measured tables, and what qfont_need asked
                                * for.  NULL from a measure-only qfonts */
    size_t size;            /* the file's bytes (0 with data NULL) */
    const struct qfont_file *file; /* the cache's entry */
    int ascender;           /* 1/1000 em, from hhea */
    int descender;          /* 1/1000 em, negative */
    int cap_height;         /* 1/1000 em, from OS/2 (or 700) */
    int missing_width;      /* width of .notdef, 1/1000 em */
    /* [256] pages of 256 widths by code point >> 8, in 1/1000 em; 0xFFFF =
     * no glyph.  Shared with every face read from the same file. */
    const uint16_t *const *pages;
    int used;               /* set by layout when any text uses this face */
} qfont;

typedef struct qfonts qfonts;

/* Font files read so far, shared by threads (it has its own lock).
 * Freed with everything read into it: free it after every qfonts using it. */
typedef struct qfont_cache qfont_cache;
qfont_cache *qfont_cache_new(void);
void qfont_cache_free(qfont_cache *c);

/* Bytes read from font files into c so far (what the tests compare with
 * the files' sizes: measuring reads a fraction, embedding each byte once). */
size_t qfont_cache_bytes_read(qfont_cache *c);

/* Whether path is a TrueType font measuring can use, read into the cache
 * on the way (a style file's fonts are checked when the style is loaded
 * and measured later from the same bytes).  0 when it is; else an
 * errno-like value from qfile_read (ENOENT, QFILE_ENOTREG, EFBIG...) or
 * QFONT_ENOTTF (not TrueType; *cff set for an OpenType/CFF file, which
 * cannot be embedded) or QFONT_EDAMAGED (TrueType, but damaged or not
 * embeddable: cut short, a table outside the file, glyphs outside
 * 'glyf', a licence that forbids embedding); for those two, why (n
 * bytes) says what is wrong ("table 'glyf' runs past the end of the
 * file ..."). */
enum { QFONT_ENOTTF = -1, QFONT_EDAMAGED = -2 };
int qfont_cache_check(qfont_cache *c, const char *path, int *cff, char *why,
                      size_t n);

/* dir: directory holding LiberationSans-*.ttf (or the style's files).
 * Never fails: faces are opened on first use. */
qfonts *qfonts_new(qfont_cache *cache, const char *dir);
void qfonts_free(qfonts *f);
/* Faces from f are for measuring and glyph coverage only (their data is
 * NULL): a font's outlines are then never read (check). */
void qfonts_measure_only(qfonts *f);
/* Override the file of one face (style files). */
void qfonts_set_path(qfonts *f, qfont_face face, const char *path);

/* The face, read on first call.  NULL when the file cannot be read or is
 * not a TrueType font; a diagnostic naming the file is added to d (once). */
qfont *qfonts_face(qfonts *f, qfont_face face, quorum_diags *d);
/* The face when it was read already, else NULL (nothing is read): what a
 * serialized display list asks for its faces' used marks. */
const qfont *qfonts_peek(const qfonts *f, qfont_face face);

/* Makes bytes [at, at + n) of f's data valid, reading those not read
 * yet from the file (each byte once, from the descriptor measuring read
 * with: the same file even if it was replaced since).  Any thread, under
 * the cache's lock; bytes once valid never change.  0, QFILE_ESHORT for a
 * range outside the file (or a measure-only face), or the errno-like value
 * of the read that failed (after which every later call fails too). */
int qfont_need(const qfont *f, size_t at, size_t n);
/* Calls fn with each span of f's file that measuring read (offset, bytes,
 * length, in increasing order): everything a layout took from the font,
 * so what a cache of layouts keys a font by (the glyphs' outlines, read
 * for embedding, change no layout).  Measure-only faces too. */
void qfont_each_measured(const qfont *f,
                         void (*fn)(void *ctx, size_t at, const unsigned char *p,
                                    size_t n),
                         void *ctx);

/* Marks used in dst every face used in src (both naming the same files:
 * a display list spliced into another).  0, or -1 when dst cannot read
 * such a face (said in d). */
int qfonts_merge_used(qfonts *dst, const qfonts *src, quorum_diags *d);
/* Advance width in 1/1000 em; missing glyphs measure as .notdef. */
static inline int qfont_cp_width(const qfont *f, uint32_t cp) {
    if (cp > 0xFFFF) return f->missing_width;
    uint16_t w = f->pages[cp >> 8][cp & 0xFF];
    return w == 0xFFFF ? f->missing_width : w;
}
static inline int qfont_has(const qfont *f, uint32_t cp) {
    return cp <= 0xFFFF && f->pages[cp >> 8][cp & 0xFF] != 0xFFFF;
}
/* Width in points of UTF-8 text at size pt. Invalid bytes measure as .notdef. */
double qfont_text_width(const qfont *f, const char *s, size_t len, double size);

/* Fitting one text to widths, many times (a footer title on every page):
 * the widths of its prefixes measured once, each fit a binary search, so
 * the whole is linear in the text, not a re-measure per character cut.
 * A text is cut before a character (not inside one) or kept whole; the
 * widths are those of qlb_width, in 1/1000 em summed exactly. */
typedef struct qfont_fit {
    size_t n;            /* cuts measured */
    uint32_t *at;        /* their byte offsets, increasing, 0 first */
    long *units;         /* width of text[0, at[k]) in 1/1000 em */
} qfont_fit;
/* Measures s (len bytes) at the cuts up to the first wider than max_w
 * points at size pt (no fit is ever asked for more).  malloc'd. */
void qfont_fit_init(qfont_fit *p, const qfont *f, const char *s, size_t len,
                    float size, float max_w);
/* Bytes of the longest cut no wider than w points at size pt (0 when
 * nothing fits). */
size_t qfont_fit_len(const qfont_fit *p, float size, float w);
void qfont_fit_free(qfont_fit *p);

/* ==== ttf ============================================================= */
/* The one TrueType reader: layout measures with it (font.c) and the PDF
 * adapter embeds with it (src/pdf/hpdf_font.c), so both agree on which
 * tables a font has, which cmap subtable maps characters and what each
 * glyph is.  It reads; writing a subset is the adapter's.
 *
 * Both work on the file's bytes in memory at their offsets, read once by
 * the engine's font cache (font.c): measuring reads the tables it needs
 * and the PDF adapter, through qfont_need, the ones it embeds, from the
 * same open file, so they cannot see two versions of a file, and the
 * adapter never opens one.
 *
 * The cmap rule: the first usable subtable in the order Windows Unicode
 * BMP (3,1) format 4, any Unicode-platform (0,*) format 4, Windows full
 * repertoire (3,10) format 12, Unicode-platform format 12, Windows symbol
 * (3,0) format 4; a subtable is usable when its header and segment or
 * group arrays lie inside it.  (3,1) first is libharu's choice, so the
 * glyphs are the ones libharu's own embedding would pick. */
/* The tables known, in the order of libharu's subsets (the directory's). */
enum { QTTF_OS2, QTTF_CMAP, QTTF_CVT, QTTF_FPGM, QTTF_GLYF, QTTF_HEAD,
       QTTF_HHEA, QTTF_HMTX, QTTF_LOCA, QTTF_MAXP, QTTF_NAME, QTTF_POST,
       QTTF_PREP, QTTF__N };
extern const char qttf_tags[QTTF__N][5];

typedef enum qttf_status {
    QTTF_OK = 0,
    QTTF_EIO,        /* the file could not be read */
    QTTF_EFORMAT,    /* not a TrueType font, or a table is damaged */
    QTTF_EMISSING,   /* a table it needs is absent */
    QTTF_ECMAP,      /* no usable cmap subtable */
    QTTF_ELICENCE    /* its licence does not allow embedding */
} qttf_status;

typedef struct qttf {
    /* From the directory: the first entry of each tag (an entry outside
     * the file makes the whole font invalid). */
    int has[QTTF__N];
    uint32_t off[QTTF__N], len[QTTF__N];
    const unsigned char *t[QTTF__N]; /* the bytes, when loaded; else NULL */
    size_t size;                     /* of the file */
    uint32_t version;                /* sfnt version (first four bytes) */
    /* qttf_metrics */
    unsigned upem, nglyphs, nhm;
    int long_loca;
    /* qttf_pick_cmap */
    const unsigned char *cmap;
    uint32_t cmap_len;
    unsigned cmap_fmt;
    char why[128];   /* after a call failed: what is wrong, as a phrase */
} qttf;

static inline unsigned qttf_u16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}
static inline int qttf_s16(const unsigned char *p) {
    return (int16_t)qttf_u16(p);
}
static inline uint32_t qttf_u32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The whole file in memory (data must outlive f): the directory, every
 * known table. */
qttf_status qttf_from_memory(qttf *f, const unsigned char *data, size_t size);

/* head, hhea, maxp and hmtx: units per em (16..16384), glyph count,
 * horizontal metrics count, loca format.  Needs those tables loaded. */
qttf_status qttf_metrics(qttf *f);
/* The cmap subtable by the rule above.  Needs cmap loaded. */
qttf_status qttf_pick_cmap(qttf *f);

/* The glyph of code point c (0: none), as the chosen subtable says; a
 * glyph the font does not have (>= nglyphs) is none. */
unsigned qttf_gid(const qttf *f, uint32_t c);
/* Calls fn once for each code point up to U+FFFE that maps to a glyph
 * below nglyphs, in increasing order, with that glyph: the same answers as
 * qttf_gid. */
void qttf_each_bmp(const qttf *f, void (*fn)(void *ctx, unsigned c, unsigned g),
                   void *ctx);
/* Advance width of glyph g in 1/1000 em with libharu's rounding (advance
 * * 1000 / unitsPerEm, truncated to 16 bits), which is what a PDF viewer
 * advances by: layout measures with it and /W carries it. */
unsigned qttf_width(const qttf *f, unsigned g);
/* OS/2 version 2's sxHeight and sCapHeight in 1/1000 em: 1 when the table
 * has them (then *cap and *xh are set), else 0. */
int qttf_os2_heights(const qttf *f, int *cap, int *xh);
/* Everything a font needs before it is measured or embedded, in one
 * place so that a font layout accepts is one the PDF can embed: the
 * checks of qttf_metrics and qttf_pick_cmap (which it makes), the tables
 * embedding writes (glyf, loca, name, OS/2), a licence that allows
 * embedding, and every glyph's outline inside 'glyf'.  On a font read
 * whole (qttf_from_memory).  On failure f->why says what is wrong. */
qttf_status qttf_validate(qttf *f);
/* 0 when loca covers every glyph (needs loca loaded). */
int qttf_loca_ok(const qttf *f);
/* Glyph g's bytes in glyf: offset, and *len (0 when empty or bad). */
size_t qttf_glyph(const qttf *f, unsigned g, size_t *len);
#endif
