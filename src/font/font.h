/* Font metrics read straight from the TrueType files (head, hhea, hmtx,
 * cmap, OS/2), so layout measures text without libharu: libharu's
 * measuring marks glyphs as used and splits UTF-8.  Widths use libharu's
 * own rounding (advance * 1000 / unitsPerEm, truncated) so that what layout
 * measures is exactly what the PDF viewer advances.
 *
 * A face is read only when first asked for, and only the tables measuring
 * needs (a few KB of a file of several hundred).  What a file gives is kept
 * in a qfont_cache (the engine's) and shared by every face and every
 * qfonts that names it (the heading and table families default to the
 * body's files; check and layout each have their own qfonts), until the
 * file changes.  Widths are kept in pages of 256 code points, a page only where
 * the font has a glyph, so measuring is two array loads per character. */
#ifndef QUORUM_FONT_H
#define QUORUM_FONT_H
#include <stddef.h>
#include <stdint.h>
#include "quorum.h"

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

typedef struct qfont {
    const char *path;       /* file the face was read from */
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

/* dir: directory holding LiberationSans-*.ttf (or the style's files).
 * Never fails: faces are opened on first use. */
qfonts *qfonts_new(qfont_cache *cache, const char *dir);
void qfonts_free(qfonts *f);
/* Override the file of one face (style files). */
void qfonts_set_path(qfonts *f, qfont_face face, const char *path);

/* The face, read on first call.  NULL when the file cannot be read or is
 * not a TrueType font; a diagnostic naming the file is added to d (once). */
qfont *qfonts_face(qfonts *f, qfont_face face, quorum_diags *d);

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

/* Decode one UTF-8 character at s (len bytes available).  Returns its
 * length (1-4) and sets *cp; returns 0 for an invalid or truncated
 * sequence (then *cp = 0xFFFD). */
int qutf8_decode(const char *s, size_t len, uint32_t *cp);
#endif
