/* Word documents (.docx) to report XML: `quorum import`.  The one folder
 * that sees libzip; the XML parts are parsed by src/load
 * (qload_xml_part), so libxml2 stays there.
 *
 *   package.c   the zip package: entries checked (names, sizes, ratio)
 *               before any is read, parts read under the limits
 *   parts.c     relationships, styles, numbering, footnotes, mapping file
 *   inline.c    runs to inline markup (b, i, sup, sub, a, br), tracked
 *               changes, fields, comments; plain text for the heuristics
 *   body.c      the body's paragraphs and tables to blocks
 *   report.c    blocks to the report: front sheet, sections, numbered
 *               paragraphs, lists, recommendations, implications and
 *               their sign-offs, background documents
 *   table.c     tables: header rows, merged cells, ratings by shading
 *               or text
 *   import.c    the public calls (quorum_docx_import*)
 *
 * Where a diagnostic points: a Word document has no lines an author
 * sees, so the diagnostic's file is "report.docx: paragraph 57, under
 * "3. Proposals"" (paragraphs counted as Word counts them, tables' own
 * included), registered in reading order so that sorted diagnostics
 * stay in it. */
#ifndef QUORUM_DOCX_H
#define QUORUM_DOCX_H
#include <stddef.h>
#include "doc.h"
#include "quorum.h"
#include "util.h"

/* ==== limits ============================================================ */
/* A part's uncompressed size is capped by the engine's file_bytes (32 MiB
 * by default), everything read from one package by DOCX_TOTAL_PARTS of
 * those, and a part over DOCX_RATIO_FLOOR bytes may not have been
 * compressed more than DOCX_MAX_RATIO times (Word's own parts: 5 to 20;
 * a zip bomb: hundreds or a thousand). */
#define DOCX_TOTAL_PARTS 4
#define DOCX_MAX_RATIO 200
#define DOCX_RATIO_FLOOR ((size_t)1024 * 1024)
#define DOCX_MAX_ENTRIES 10000

/* ==== the XML written: a qstr (util.h) ================================= */
/* s[0..n) as XML character data or an attribute value (quotes too). */
void dxs_escape(qstr *b, const char *s, size_t n);

/* ==== package.c ========================================================== */
typedef struct dxpkg dxpkg;
/* Opens the zip package in data[0..len) (not copied: it must outlive the
 * package).  Every entry is checked first: a name that is absolute, has a
 * ".." segment, a backslash or a drive, an encrypted entry, more than
 * DOCX_MAX_ENTRIES entries: NULL with an error at name (the .docx). */
dxpkg *dx_pkg_open(const unsigned char *data, size_t len, const char *name,
                   size_t part_max, quorum_diags *d);
void dx_pkg_close(dxpkg *p);
/* The part called part (no leading '/'), malloc'd and NUL-terminated
 * (*len without the NUL); NULL when it is not there (no diagnostic, the
 * caller knows whether it must be) or with an error of class LIMIT when
 * it is over the per-part or total limit or the ratio, or INPUT when it
 * cannot be inflated (damaged). *missing: 1 when it is not there. */
char *dx_pkg_read(dxpkg *p, const char *part, size_t *len, int *missing,
                  quorum_diags *d);

/* ==== parts.c ============================================================ */
/* A parsed XML part: a generic tree (load.h, qload_xml_part). */
const qnode *dx_child(const qnode *n, const char *name);
/* The next sibling element named name after c. */
const qnode *dx_next(const qnode *c, const char *name);
/* Attribute by local name ("val"), or NULL. */
const char *dx_attr(const qnode *n, const char *name);
/* <name w:val="…"/> under n: its val, or NULL when n has no such child. */
const char *dx_child_val(const qnode *n, const char *name);
/* 1 for a toggle property (w:b, w:i) that is on: present and not "0",
 * "false" or "off". */
int dx_toggle(const qnode *n, const char *name);

/* What a paragraph style stands for. */
typedef enum dxrole {
    DX_BODY = 0, DX_TITLE, DX_H1, DX_H2, DX_H3, DX_LIST_BULLET,
    DX_LIST_NUMBER, DX_ROLE_COUNT
} dxrole;

typedef struct dxstyle {
    const char *id, *name;   /* styleId, w:name */
    dxrole role;
    const char *num_id;      /* numbering given by the style, or NULL */
    int ilvl;                /* its list level ("List Bullet 2": 1) */
} dxstyle;

typedef struct dxlevel {
    const char *fmt;         /* numFmt: "bullet", "decimal", ... */
    const char *text;        /* lvlText: "%1.%2." */
} dxlevel;

typedef struct dxnum {
    const char *id;          /* w:num's numId */
    dxlevel lvl[9];
} dxnum;

typedef struct dxrel {
    const char *id, *type;   /* type: the last segment of its URI */
    const char *target;      /* external: as written; else a part name */
    int external;
} dxrel;

typedef struct dxnote {
    const char *id;
    const qnode *node;       /* the w:footnote */
} dxnote;

/* A council's mapping file (docs/import.md): its own style names and
 * front-sheet labels. */
typedef struct dxmap_style { const char *name; dxrole role; } dxmap_style;
typedef struct dxmap_label { const char *label, *role; } dxmap_label;
typedef struct dxmapping {
    dxmap_style *styles; size_t nstyles;
    dxmap_label *labels; size_t nlabels;
    quorum_doc *doc;         /* owns the strings */
} dxmapping;

/* Reads a mapping file: 0, or -1 with diagnostics at its positions. */
int dx_mapping_load(dxmapping *m, const char *path, quorum_diags *d);
void dx_mapping_free(dxmapping *m);

/* Everything the body walk looks up, from the package's other parts. */
typedef struct dxctx {
    qarena *a;
    quorum_diags *d;
    const char *name;        /* the .docx as named in diagnostics */
    const dxmapping *map;
    dxstyle *styles; size_t nstyles;
    dxnum *nums; size_t nnums;
    dxrel *rels; size_t nrels;
    dxnote *notes; size_t nnotes;
    /* where the walk is, for diagnostics */
    unsigned para;           /* paragraphs so far, as Word counts them */
    const char *under;       /* the last heading's text, or NULL */
    unsigned table, row, cell; /* inside a table: 1-based, else table 0 */
    unsigned tables;         /* tables so far */
    /* notes given once per document */
    int noted_comments, noted_fields, warned_tracked;
    /* footnotes met so far, numbered in order */
    unsigned nfootnotes;
    /* complex fields (w:fldChar) open here, which may span paragraphs (a
     * table of contents): per level 0 instruction, 1 result kept, 2
     * result dropped; the instruction so far of the innermost */
    unsigned char fld[8];
    int nfld;
    char instr[32];
    size_t ninstr;
    /* images the current paragraph draws (block elements, written after
     * it), and every image of the document (the parts to copy out) */
    struct dximage { const char *part, *file, *alt; } *images;
    size_t nimages, cap_images, first_pending;
    const char *image_prefix; /* output file names: PREFIX-N.EXT */
} dxctx;

/* Fills c's tables from the parts (each may be missing: a document
 * without styles has only body text).  0, or -1 with an error. */
int dx_read_styles(dxctx *c, const quorum_doc *styles);
void dx_read_numbering(dxctx *c, const quorum_doc *numbering);
/* The relationships of a part in folder dir ("word/", "" for the
 * package's own): internal targets resolved to part names.  -1 with an
 * error when one climbs out of the package. */
int dx_read_rels(dxctx *c, const quorum_doc *rels, const char *dir);
void dx_read_notes(dxctx *c, const quorum_doc *footnotes);
const dxstyle *dx_style(const dxctx *c, const char *id);
const dxlevel *dx_level(const dxctx *c, const char *num_id, int ilvl);
const dxrel *dx_rel(const dxctx *c, const char *id);
const qnode *dx_note(const dxctx *c, const char *id);
/* The role a style name stands for: the mapping first, then Word's own
 * names and their translations ("Heading 1", "Überschrift 1", "Titre 1"). */
dxrole dx_role_of_name(const dxctx *c, const char *name);

/* A diagnostic at the walk's place ("report.docx: paragraph 57, under
 * "3. Proposals""). */
void dx_diag(dxctx *c, quorum_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ==== inline.c =========================================================== */
/* The runs of paragraph p as inline report markup (escaped) into xml and
 * as plain text into text (either may be NULL).  Footnote references
 * become a superscript number, their text is appended to notes as
 * "N. text" lines (NULL: dropped).  Drawings of PNG or JPEG parts are
 * added to c->images. */
void dx_inline(dxctx *c, const qnode *p, qstr *xml, qstr *text, qstr *notes);

/* ==== body.c and report.c ================================================= */
typedef enum dxkind { DXB_PARA, DXB_TABLE } dxkind;

typedef struct dxblock {
    dxkind kind;
    const qnode *node;       /* w:p or w:tbl */
    unsigned para;           /* the paragraph's number (first one of a table) */
    dxrole role;             /* of its style (or outline level) */
    int list;                /* 0 none, 1 bullet, 2 ordered, 3 numbered paragraph */
    int ilvl;                /* list level 0-8 */
    const dxlevel *lvl;      /* its numbering level, or NULL */
    char *xml;               /* inline markup, escaped (malloc'd) */
    char *text;              /* plain text (malloc'd) */
    const char *href;        /* the first external link, or NULL */
    char *notes;             /* "N. text" lines of its footnotes (malloc'd) */
    size_t img_first, nimg;  /* the images it draws, in c->images */
    const char *under;       /* the heading it stands under, for diagnostics */
} dxblock;

/* The body's blocks in order (w:sdt content unwrapped, section properties
 * and empty paragraphs left out); *n of them, malloc'd. */
dxblock *dx_body_blocks(dxctx *c, const qnode *body, size_t *n);
void dx_blocks_free(dxblock *b, size_t n);
/* The report: out receives the whole XML file. */
void dx_report(dxctx *c, dxblock *b, size_t n, qstr *out);
/* A table as <table> (with its caption from the paragraph before, if
 * given) into out. */
void dx_table(dxctx *c, const qnode *tbl, qstr *out);
/* The first number of a typed number at the start of text ("3.2 ",
 * "3. ", "3 "): its parts into major/minor (minor 0 when there is none)
 * and the length to skip, or 0 when text starts with none. */
size_t dx_typed_number(const char *text, unsigned *major, unsigned *minor);
#endif
