/* House styles: everything that makes one council's papers look like
 * theirs (page, margins, typeface, sizes, colours, header and footer,
 * logo), read from a style file in styles/ (docs/style.md) or taken from
 * the built-in default, which is the seed's committee-paper look
 * (qstyle_builtin, written out as styles/committee.xml) so quorum works with no files beside it.
 *
 * Layout reads the numbers through the macros in layout.h;
 * qstyle_decorate() adds what the style puts on pages after layout
 * (running header, footer centre text, the front-sheet logo). */
#ifndef QUORUM_STYLE_H
#define QUORUM_STYLE_H
#include <stdint.h>

#include "util.h"
#include "doc.h"
#include "dlist.h"
#include "font.h"
#include "quorum.h"
#include "words.h"

#define QUORUM_STYLE_NAMESPACE "urn:quorum:style:1"
#define QSTYLE_MAX_RATINGS 8

/* A running header or footer line: three slots with {field} templates. */
typedef struct qstyle_band {
    const char *left, *center, *right; /* NULL = empty */
    float size;                        /* pt */
    uint32_t color;
    float baseline;                    /* from the page top (header) or
                                          bottom (footer), pt */
    uint32_t rule_color;               /* header only: rule under it */
    float rule_width;                  /* 0 = no rule */
} qstyle_band;

typedef struct qstyle_rating {
    const char *code;                  /* "R", "A", "G" of the default RAG
                                          scale (docs/format-performance.md),
                                          or any code a report's scale uses */
    uint32_t fill, color;
} qstyle_rating;

typedef struct qstyle {
    const char *name;
    const char *path;                  /* file it came from; NULL = built in */
    const unsigned char *file_bytes;   /* its bytes as read (an archive copy
                                          attaches these), file_len of them */
    size_t file_len;
    /* page */
    float page_w, page_h;
    float margin_left, margin_right, margin_top, margin_bottom;
    /* typefaces by qfont_face: body R, B, I, BI, then the heading and the
     * table families; NULL = the fonts dir default (Liberation Sans) for
     * the body, the body's family for headings and tables */
    const char *font[QF__COUNT];
    unsigned char head_face, table_face; /* QF_HEAD_REGULAR / QF_TABLE_REGULAR
                                            when that family is set, else 0 */
    /* body text */
    float body_size, body_lh, para_after, num_indent, head_indent;
    uint32_t text_color, link_color, rule_color;
    /* headings */
    float h1_size, h1_lh, h1_after;    /* front-sheet heading */
    float h2_size, h2_lh, h2_before, h2_after; /* section headings */
    uint32_t heading_color;
    uint32_t bar_color;                /* "Appendix N" bar */
    uint32_t section_fill;             /* band behind section headings */
    int has_section_fill;
    uint32_t section_color;            /* their text on the band */
    /* tables */
    float table_size, table_lh, table_pad;
    uint32_t table_head_fill;
    /* front sheet */
    uint32_t front_label_fill;
    const char *front_label_fill_text; /* the same as "#RRGGBB" */
    float front_pad;
    /* (format 1.1) labels of rows of their own for the author field's
     * phone= and email=, after its row; NULL: not printed (the default) */
    const char *phone_label, *email_label;
    /* sign-off box */
    uint32_t box_fill;
    /* implications (<sign-offs>, format 1.1): the words before a
     * sign-off's name and before a not-applicable reason, and whether an
     * implication with neither is worth a warning ("warning") or is how
     * the council writes ("none") */
    const char *sign_off_lead;         /* NULL: the language's words */
    const char *not_applicable;        /* NULL: the language's words */
    const char *sign_off_missing;      /* "warning" or "none" */
    /* agenda packs (<pack>, format 1.1): a line printed above the body's
     * name on a pack's front sheet ("Public Document Pack"), or NULL */
    const char *pack_banner;
    /* (format 1.1) for duplex printing: each item starts on a right-hand
     * (odd) page, a page with this text before it where needed; NULL:
     * items follow on (the default) */
    const char *pack_blank;
    /* footer (the layout draws title left and "Page X of Y" right) */
    uint32_t foot_color, foot_rule_color;
    const char *footer_center;         /* template, NULL = none */
    /* header (drawn by qstyle_decorate) */
    qstyle_band header;
    /* fields */
    const char *council;               /* {council} */
    const char *classification;        /* {classification} of open reports;
                                          may be NULL */
    const char *exempt_classification; /* {classification} of a report that
                                          is not open (qdoc_published) */
    /* logo on the front sheet, top right inside the top margin */
    const char *logo;                  /* resolved path, or NULL */
    const qimage *logo_img;            /* decoded when the style was read
                                          (src/image), held as long as the
                                          style's arena */
    const char *logo_alt;
    float logo_w, logo_h;              /* pt; h from the image when 0 */
    /* the style's strings files (<strings src>), before the shipped
     * words (src/words); NULL: none */
    struct qw_table *strings;
    /* rating scale default fills */
    qstyle_rating ratings[QSTYLE_MAX_RATINGS];
    int nratings;
} qstyle;

/* The built-in committee-paper style (styles/committee.xml writes it out). */
extern const qstyle qstyle_builtin;
const qstyle *qstyle_default(void);

/* styles/committee.xml, which writes the built-in style out number for
 * number (test_style checks), compiled in at build time: a PDF/A-3b copy
 * made with the built-in style attaches it under this name, so the copy
 * names its look like one made with a style file does. */
#define QSTYLE_BUILTIN_FILE "committee.xml"
extern const unsigned char qstyle_builtin_xml[];
extern const size_t qstyle_builtin_xml_len;

/* Finds and loads a style: NULL or "" = the built-in default; a name
 * without '/' and without ".xml" = NAME.xml in the engine's style dir;
 * anything else is a path.  The style lives in arena a.  NULL on failure,
 * with diagnostics: an unreadable file gets one of class I/O, a broken one
 * gets file:line:col errors.  Stages call qstyle_get instead. */
const qstyle *qstyle_load(const quorum_engine *e, const char *name_or_path,
                          const char *font_dir, qarena *a, quorum_diags *d);

/* Font files named in a style are looked up beside the style file, then
 * in font_dir (NULL = the engine's). */

/* qstyle_load on a style file's bytes (copied): name stands for the file,
 * in diagnostics and as the folder its font and logo files are looked up
 * in.  The one parser of style files, for callers that hold the bytes
 * (the fuzz harness tests/fuzz/fuzz_style.c). */
const qstyle *qstyle_load_memory(const quorum_engine *e, const char *data,
                                 size_t len, const char *name,
                                 const char *font_dir, qarena *a,
                                 quorum_diags *d);

/* The style as the engine holds it (style_cache.c): loaded by the first
 * call that names it (with that name and font dir) and shared, read-only,
 * by every later one until the engine is freed; an edited style file is
 * seen by a new engine.  Safe on several threads.  NULL on failure, with
 * diagnostics as qstyle_load gives them (a failed load is not kept). */
const qstyle *qstyle_get(const quorum_engine *e, const char *name,
                         const char *font_dir, quorum_diags *d);
qstyle_cache *qstyle_cache_new(void);
void qstyle_cache_free(qstyle_cache *c);

/* Which face draws the text node n (or a printed attribute of n) under
 * style s: the family (body, or the heading or table family the style
 * sets) and bold and italic from the node's ancestors.  The one answer
 * layout draws with and check measures with. */
qfont_face qstyle_face_of(const qstyle *s, const qnode *n);
/* The same for the printed attribute attr of n (a field's label is drawn
 * like a table's header cell, a sign-off's name and a chart's caption in
 * bold body text, an agenda item's title bold and its urgency italic, the
 * clerk's details in the table face; the others in the body face). */
qfont_face qstyle_attr_face_of(const qstyle *s, const qnode *n,
                               const char *attr);

/* Fields the header and footer templates may use. */
typedef struct qstyle_fields {
    const char *title;    /* {title} */
    const char *meeting;  /* {meeting}: the front sheet heading and date */
    const char *date;     /* {date}: meeting date, "8 January 2025" */
    int exempt;           /* the report is not open (!qdoc_published) */
    const qw_words *w;    /* its words ({classification} of an exempt one) */
} qstyle_fields;

/* Expands "{title} - Page {page} of {pages}" into arena a. */
const char *qstyle_expand(qarena *a, const qstyle *s, const char *tmpl,
                          const qstyle_fields *f, int page, int pages);

/* Adds the style's header, footer centre text, section heading bands and
 * logo to every page of dl (artifacts, except the logo, which is a Figure
 * with its alt text).
 * Measures text with dl->fonts. */
void qstyle_decorate(const qstyle *s, qdlist *dl, const qstyle_fields *f,
                     quorum_diags *d);

/* Key k's words under style s.  The words a style gives in attributes
 * (<sign-offs lead not-applicable>, <pack banner blank-page>,
 * exempt-classification) are its English ones: they print in a document
 * in English, or in a language whose tables lack k; in any other
 * language w's word in that language prints (a council words it its own
 * way there with a strings file).  Else w's word. */
const char *qstyle_word(const qstyle *s, const qw_words *w, qw_key k);

/* Default fill of a rating code ("R" ...) of the default RAG scale, or -1
 * when the style has none. */
long qstyle_rating_fill(const qstyle *s, const char *code);

/* The colours layout gives a rated cell or chart segment (rating="CODE")
 * that has no fill of its own: the style's <rating> for the code, else the
 * built-in style's (R, A, G), else NULL (white, black text).  The
 * document's own scale comes first, but its colours are on the node
 * already (doc/outcomes.c). */
const qstyle_rating *qstyle_rating_of(const qstyle *s, const char *code);
#endif
