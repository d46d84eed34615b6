/* The one TrueType reader: layout measures with it (font.c) and the PDF
 * adapter embeds with it (src/pdf/hpdf_font.c), so both agree on which
 * tables a font has, which cmap subtable maps characters and what each
 * glyph is.  It reads; writing a subset is the adapter's.
 *
 * The tables live wherever the caller put them: the whole file in memory
 * (qttf_from_memory, embedding) or only the tables measuring needs, read
 * with pread (qttf_read).
 *
 * The cmap rule: the first usable subtable in the order Windows Unicode
 * BMP (3,1) format 4, any Unicode-platform (0,*) format 4, Windows full
 * repertoire (3,10) format 12, Unicode-platform format 12, Windows symbol
 * (3,0) format 4; a subtable is usable when its header and segment or
 * group arrays lie inside it.  (3,1) first is libharu's choice, so the
 * glyphs are the ones libharu's own embedding would pick. */
#ifndef QUORUM_TTF_H
#define QUORUM_TTF_H
#include <stddef.h>
#include <stdint.h>

/* The tables known, in the order of libharu's subsets (the directory's). */
enum { QTTF_OS2, QTTF_CMAP, QTTF_CVT, QTTF_FPGM, QTTF_GLYF, QTTF_HEAD,
       QTTF_HHEA, QTTF_HMTX, QTTF_LOCA, QTTF_MAXP, QTTF_NAME, QTTF_POST,
       QTTF_PREP, QTTF__N };
extern const char qttf_tags[QTTF__N][5];

#define QTTF_BIT(t) (1u << (t))
/* What measuring reads. */
#define QTTF_METRICS (QTTF_BIT(QTTF_HEAD) | QTTF_BIT(QTTF_HHEA) | \
                      QTTF_BIT(QTTF_HMTX) | QTTF_BIT(QTTF_CMAP) | \
                      QTTF_BIT(QTTF_MAXP) | QTTF_BIT(QTTF_OS2))

typedef enum qttf_status {
    QTTF_OK = 0,
    QTTF_EIO,        /* the file could not be read */
    QTTF_EFORMAT,    /* not a TrueType font, or a table is damaged */
    QTTF_EMISSING,   /* a table it needs is absent */
    QTTF_ECMAP       /* no usable cmap subtable */
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
/* The directory and the tables in want (QTTF_BIT mask) from fd (size
 * bytes), into one buffer *buf that the caller frees (also on failure). */
qttf_status qttf_read(qttf *f, int fd, size_t size, unsigned want,
                      unsigned char **buf);

/* head, hhea, maxp and hmtx: units per em (16..16384), glyph count,
 * horizontal metrics count, loca format.  Needs those tables loaded. */
qttf_status qttf_metrics(qttf *f);
/* The cmap subtable by the rule above.  Needs cmap loaded. */
qttf_status qttf_pick_cmap(qttf *f);

/* The glyph of code point c (0: none), as the chosen subtable says. */
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
/* 0 when loca covers every glyph (needs loca loaded). */
int qttf_loca_ok(const qttf *f);
/* Glyph g's bytes in glyf: offset, and *len (0 when empty or bad). */
size_t qttf_glyph(const qttf *f, unsigned g, size_t *len);
#endif
