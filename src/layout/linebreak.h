/* Line breaking of styled inline runs from glyph widths.  Used for body
 * paragraphs and for table cells alike: the caller gives runs and a width,
 * and gets lines made of fragments (one per run per line), each pointing
 * into the run's text, so emitting a line is one display-list item per
 * fragment and nothing is allocated per word or glyph. */
#ifndef QUORUM_LINEBREAK_H
#define QUORUM_LINEBREAK_H
#include <stddef.h>
#include <stdint.h>
#include "font.h"

enum {
    QLB_BREAK = 1,     /* forced line break (<br/>); text ignored */
    QLB_UNDERLINE = 2, /* link: underline rule under the fragment */
    QLB_NOBREAK = 4    /* no break at the run's own spaces ("paragraph 3.8") */
};

typedef struct qlb_run {
    const char *text;  /* UTF-8, not NUL-terminated */
    uint32_t len;
    unsigned char face;   /* qfont_face */
    unsigned char flags;  /* QLB_* */
    float size;           /* pt */
    float rise;           /* baseline shift up, pt (superscript) */
    uint32_t color;
    const char *uri;      /* external link, or NULL */
    int dest;             /* internal link anchor, or -1 */
    int elem;             /* structure element for the text, -1 = inherit */
} qlb_run;

typedef struct qlb_frag {
    uint32_t run;
    uint32_t start, len;  /* bytes within the run's text */
    float x, w;           /* offset from the line start, width (pt) */
} qlb_frag;

typedef struct qlb_line {
    uint32_t frag0, nfrag;
    float width;
} qlb_line;

typedef struct qlb_piece { /* internal: a measured word part, space or break */
    uint32_t run, start, len;
    float w;
    int kind;
} qlb_piece;

/* Reusable scratch: buffers grow (malloc'd, kept) and are reused by every
 * call, so breaking a paragraph allocates nothing in the steady state. */
typedef struct qlb {
    const qfont *faces[QF__COUNT];
    qlb_piece *pieces; size_t npieces, cap_pieces;
    qlb_frag *frags; size_t nfrags, cap_frags;
    qlb_line *lines; size_t nlines, cap_lines;
} qlb;

void qlb_init(qlb *lb, qfont *const faces[QF__COUNT]);
void qlb_free(qlb *lb);

/* Breaks runs into lines no wider than width (a single character wider
 * than the line still gets a line of its own).  Returns the line count;
 * results are in lb->lines / lb->frags until the next call.  Empty input
 * gives 0 lines; a <br/> gives an empty line where it stands. */
size_t qlb_break(qlb *lb, const qlb_run *runs, size_t nruns, float width);

/* Width in points of UTF-8 text at size pt. */
float qlb_width(const qfont *f, const char *s, size_t len, float size);
#endif
