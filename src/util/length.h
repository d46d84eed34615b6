/* Lengths as authors write them: "12pt", "5cm", "20mm", "1in", "75px",
 * "40%", "2*" (a star share of what is left).  One parser for the style
 * file, image widths and table columns, so a unit means the same
 * everywhere.  Which forms a caller accepts is its own rule (a style
 * length must carry an absolute unit; a bare column width is a share). */
#ifndef QUORUM_LENGTH_H
#define QUORUM_LENGTH_H

typedef enum qlen_kind {
    QLEN_PT,       /* absolute, converted to points */
    QLEN_PERCENT,  /* value is the percentage */
    QLEN_STAR,     /* value is the share ("*" alone is 1) */
    QLEN_BARE      /* a number without unit; the caller decides */
} qlen_kind;

enum { /* what a caller accepts besides the absolute units pt mm cm in */
    QLEN_ALLOW_PX = 1,       /* CSS pixels, 0.75 pt */
    QLEN_ALLOW_PERCENT = 2,
    QLEN_ALLOW_STAR = 4,
    QLEN_ALLOW_BARE = 8
};

typedef struct qlen {
    double value;
    qlen_kind kind;
} qlen;

/* Parses s (surrounding spaces allowed) into *out.  Returns NULL, or a
 * sentence saying what is wrong ("no number", "negative length", "unknown
 * unit 'em'", "unit not allowed here: '%'"); *out is untouched then. */
const char *qlen_parse(const char *s, unsigned allow, qlen *out);

#endif
