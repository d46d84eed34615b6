/* The loader: XML bytes -> document tree (doc.h).  The only folder that
 * sees libxml2; this header names libxml2's types only as incomplete
 * structs, so including it pulls no libxml2 header into other folders.
 *
 *   load.c          entry points: reports, appendices, images, style files
 *   load_src.c      reading files, UTF-8 and encoding checks, positions
 *   load_parse.c    the libxml2 parse: positions of elements, errors, DTDs
 *   load_schema.c   the report schema: parsed per engine, validation
 *   load_valid.c    validation by tables made from the schema at build time
 *   load_convert.c  libxml2's tree -> quorum's document tree
 *   load_words.c    libxml2's errors in plain words, "did you mean"
 *
 * Safety first: the whole file is read and checked as UTF-8 by us (libxml2
 * would report a bad byte far from where it stands, and libharu would later
 * drop it silently), DTDs are refused as soon as the parser meets one (which
 * also disposes of entity expansion attacks and external entities), the
 * network is off, and nesting depth is limited.
 *
 * Positions: libxml2 keeps line numbers but no columns, so the start-tag
 * handler is wrapped to record the byte offset of every element's '<' and
 * the end-tag handler the offset just past its end; lines and columns
 * (columns in characters) are computed from those offsets in our own copy
 * of the bytes. */
#ifndef QUORUM_LOAD_H
#define QUORUM_LOAD_H
#include "doc.h"
#include "quorum.h"
#include "util.h"

/* ==== for other folders ================================================ */

/* Loads an XML file whose root must be <want_root> in namespace ns, with
 * the report loader's safety rules and positions.  Every element becomes
 * a QN_UNKNOWN node (name, attributes with positions, text children).
 * NULL with diagnostics when the file cannot be read (diagnostic without
 * a line) or is not well-formed or has the wrong root (with a position). */
quorum_doc *qload_xml_file(const char *path, const char *want_root,
                           const char *ns, quorum_diags *d);

/* qload_xml_file on a file's bytes in memory (copied); name stands for
 * the file in diagnostics.  For a style given as bytes (qstyle_load_memory). */
quorum_doc *qload_xml_memory(const char *data, size_t len, const char *name,
                             const char *want_root, const char *ns,
                             quorum_diags *d);

/* One XML part of another format (a Word package's document, styles,
 * numbering...), for the folder that reads that format, which may not
 * see libxml2: the same safety rules and positions, any root and
 * namespace, and the tree as written: element and attribute names
 * without their prefixes ("p", "val"), text kept verbatim (not
 * collapsed; in such formats whitespace is content).  max_bytes and
 * max_depth as quorum_limits' (0 = the defaults).  NULL with diagnostics
 * when not well-formed, over a limit or not UTF-8. */
quorum_doc *qload_xml_part(const char *data, size_t len, const char *name,
                           size_t max_bytes, unsigned max_depth,
                           quorum_diags *d);

/* quorum_doc_load with options.  QLOAD_NO_SCHEMA: the schema is not
 * applied (doc->schema_checked stays 0).  For a file read again after a
 * read that validated it and gave its diagnostics (a pack reads each
 * report when it is checked and again when it is laid out): validation
 * reports and never changes the tree (the schema declares no default or
 * fixed values), so the tree is the same. */
#define QLOAD_NO_SCHEMA 1u
/* The PDF appendices a read of a report before found (a pack's first
 * read, which gave their diagnostics and fixed the item's hash): a later
 * read takes each of them, by the path it is opened as, from here rather
 * than reading and inspecting the file again (a PDF may be large, and
 * what is laid out must be what was hashed).  Borrowed: they must outlive
 * the document. */
typedef struct qload_pdfs {
    const qdoc_pdf *pdfs;
    size_t n;
} qload_pdfs;
quorum_doc *qload_doc(const quorum_engine *e, const char *path,
                      quorum_diags *d, unsigned flags, const qload_pdfs *had);
/* quorum_doc_load_memory_resolved with qload_doc's flags and PDFs (a
 * pack whose reports come from a resolver reads each twice, as from
 * files). */
quorum_doc *qload_doc_memory(const quorum_engine *e, const char *data,
                             size_t len, const char *name,
                             quorum_resolve_fn fn, void *ctx,
                             quorum_diags *d, unsigned flags,
                             const qload_pdfs *had);

/* For the engine (doc/engine.c), which keeps the schema but may not see
 * libxml2.  qload_init_once sets up libxml2's global state, once per
 * process whatever the number of threads calling it; it must return
 * before any parse.
 *
 * qload_schema_parse parses the report schema at path, there and then:
 * NULL, with a diagnostic, when it cannot be used.  With path NULL (the
 * copy compiled in, util/builtin.h, which the tests parse) nothing is
 * parsed yet (a file qload_valid_fast proves valid never needs it):
 * qload_schema_get parses it the first time it is asked, on
 * the calling thread (any thread may ask; the others wait for that one,
 * later calls find it done), and gives the parsed schema; NULL when the
 * compiled-in copy could not be used (a broken build: the load that asks
 * says so).  qload_schema_free releases everything (NULL allowed). */
struct _xmlSchema;
struct _xmlDoc;
typedef struct qload_schema qload_schema;
void qload_init_once(void);
qload_schema *qload_schema_parse(const char *path, quorum_diags *d);
struct _xmlSchema *qload_schema_get(qload_schema *s);
void qload_schema_free(qload_schema *s);
/* For the tests and the fuzz harness (tests/tools/valid_diff.c,
 * tests/fuzz/fuzz_valid.c): parses data as the loader does and gives
 * the fast validator's verdict (*fast: 1 valid, 0 not known) and
 * libxml2's against the compiled-in schema (*full: 1 valid, 0 invalid).
 * -1 when data is not well-formed XML (neither is run); the compiled-in
 * schema is parsed once for the process, any thread may call. */
int qload_valid_compare(const char *data, size_t len, int *fast, int *full);
/* 1 when s is the compiled-in schema, not one QUORUM_SCHEMA_DIR named;
 * qload_schema_was_parsed: 1 once libxml2 has parsed it (for the tests:
 * a valid file never needs it). */
int qload_schema_builtin(const qload_schema *s);
int qload_schema_was_parsed(qload_schema *s);

/* ==== inside src/load ================================================== */

/* The defaults of quorum_limits; the engine's limits are what apply. */
#define QLOAD_MAX_BYTES ((size_t)32 * 1024 * 1024)
#define QLOAD_MAX_DEPTH 256
/* Attributes on one element: the formats use a dozen at most.  Beyond
 * this the file is refused before libxml2 builds the element, whose
 * attribute list it appends to from its head (quadratic in their number). */
#define QLOAD_MAX_ATTRS 1000

struct _xmlNode;
struct _xmlError;

/* One loaded file: its bytes and line-start index. */
typedef struct qsrc {
    unsigned file;
    const char *path;
    const unsigned char *bytes;
    size_t len;
    size_t *lines; /* offsets of line starts, lines[0] = 0 */
    size_t nlines;
    size_t bom;    /* 3 when the file starts with a UTF-8 byte order mark */
    /* Last column computed, so that positions asked in reading order on
     * one long line (minified XML) cost O(distance), not O(line). */
    struct qcolcache { size_t line, off; unsigned col; } *cache;
} qsrc;

/* Stored in xmlNode._private of every element while the DOM lives. */
typedef struct qelpos {
    size_t start; /* offset of '<' */
    size_t end;   /* offset just past the end tag (or "/>") */
    int type;     /* qdoc_type once type_of() has worked it out, else -1:
                   * conversion asks for a child's type several times */
} qelpos;

/* Per-file parse state, reachable from the parser context's _private. */
typedef struct qparse {
    quorum_doc *doc;
    quorum_diags *d;
    qsrc *src;
    int errors;   /* diagnostics added for this file */
    int stopped;  /* we stopped the parser: ignore what follows */
    const char *want_root;
    unsigned max_depth;  /* elements nested deeper are refused (LIMIT) */
    /* Holds what lives only as long as the DOM (qelpos of every element),
     * so the document's arena keeps only the tree. */
    qarena *tmp;
    int raw;      /* qload_xml_part: names unprefixed, text verbatim */
} qparse;

/* ---- load_src.c: bytes, checks, positions ---------------------------- */

/* XML white space; inline: the converter calls it for every byte. */
static inline int qload_is_ws(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
/* Records bytes (owned by doc's arena) as one of doc's sources, named
 * at `at` (the appendix href; line 0 for the file given to the call). */
qsrc *qload_add_source(quorum_doc *doc, quorum_diags *d, const char *path,
                       const unsigned char *bytes, size_t len, qpos at);
/* Position (line, column in characters) of byte offset off. */
qpos qload_pos_at(const qsrc *s, size_t off);
/* 0 when valid UTF-8; else a positioned error and -1. */
int qload_check_utf8(const qsrc *s, quorum_diags *d);
/* 0 unless the XML declaration names an encoding other than UTF-8 (or
 * ASCII): then a positioned error and -1. */
int qload_check_encoding(const qsrc *s, quorum_diags *d);
/* Reads a whole regular file into the arena (qfile_read), NUL-terminated,
 * at most max_bytes (over it: a LIMIT error).  NULL on failure with a
 * diagnostic: of class IO and without a line for the file given to the
 * call (at.line == 0); at the reference `at` for a file a report names
 * (shown: as written there). */
unsigned char *qload_read_file(qarena *a, const char *path, const char *shown,
                               unsigned file, size_t *len, quorum_diags *d,
                               qpos at, size_t max_bytes);

/* ---- load_pdf.c: PDFs from elsewhere (issue 15) ---------------------- */
struct qpdfin_doc;
/* 1 when name ends in ".pdf" (any case): a pack item's report or a
 * report's appendix that is a PDF, not quorum XML. */
int qload_is_pdf_name(const char *name);
/* Reads the PDF at path (shown: as the referring file names it; from fn,
 * asked for by shown, when fn is not NULL) under the engine's pdf_bytes,
 * pdf_pages and pdf_objects and inspects it: 0 with its bytes in *bytes
 * (malloc'd) and its pages in *doc, or -1 with an error at `at` ("cannot
 * include audit.pdf: it is encrypted"). */
int qload_pdf_read(const quorum_engine *e, const char *path, const char *shown, qpos at,
                   quorum_resolve_fn fn, void *ctx, unsigned char **bytes, size_t *len,
                   struct qpdfin_doc *doc, quorum_diags *d);
/* The warning for a PDF without tags, at `at` ("audit.pdf is not tagged:
 * the WHOLE is not fully accessible"); none for a tagged one. */
void qload_pdf_warn_untagged(const char *shown, const struct qpdfin_doc *doc,
                             const char *whole, qpos at, quorum_diags *d);
/* An error at `at` when a PDF whose XMP claims pdfa_part (0: none) cannot
 * go into an archive copy of this level: no part, or (PDF/A-1) another.
 * 1 then, else 0. */
int qload_pdf_archive_error(const char *shown, int pdfa_part, int level,
                            qpos at, quorum_diags *d);
/* A report's <appendix href="x.pdf"/> (ref, its href, path as opened):
 * read, inspected, recorded in doc->pdfs and doc's sources; an error or
 * warning at the href otherwise.  One in had (NULL: none) is borrowed
 * from there, neither read nor warned about again. */
void qload_pdf_appendix(const quorum_engine *e, quorum_doc *doc, qnode *ref,
                        const qattr *href, const char *path, quorum_resolve_fn fn,
                        void *ctx, const qload_pdfs *had, quorum_diags *d);
/* Frees doc->pdfs (quorum_doc_free). */
void qload_pdfs_free(quorum_doc *doc);
/* Frees the n PDFs at pdfs, all but their borrowed bytes and inspection,
 * and the array (a pack keeps its reports' PDF appendices so). */
void qload_pdf_list_free(qdoc_pdf *pdfs, size_t n);

/* ---- load_images.c ------------------------------------------------------ */

/* Records every image the document draws in doc->images, each path once
 * in document order, reads it (from doc->dir, or from fn when given,
 * asked for src less any leading "./") and decodes it, under lim's
 * image_bytes and pixels.  Adds no diagnostics: the check reports what
 * could not be read or decoded. */
void qload_images(quorum_doc *doc, quorum_resolve_fn fn, void *ctx,
                  const quorum_limits *lim);

/* ---- load_valid.c: the fast validator ---------------------------------- */

/* 1 when x is valid against the compiled-in schema by the tables made
 * from it at build time; 0 when that is not known: libxml2 must decide
 * (and give the diagnostics).  Never says valid for what libxml2 would
 * reject; reads x only, any thread. */
int qload_valid_fast(struct _xmlDoc *x);

/* ---- load_parse.c: libxml2 --------------------------------------------- */

/* Parses one file's bytes into a DOM whose elements carry a qelpos.  NULL
 * (with a diagnostic) when not well-formed. */
struct _xmlDoc *qload_parse_xml(qparse *P);
/* libxml2's message without the trailing newline and the format
 * namespace ({urn:...}local -> local); an arena copy. */
char *qload_tidy_message(qarena *a, const char *msg);
/* Offset just past the '>' of the start tag at `start`. */
size_t qload_start_tag_end(const qsrc *s, size_t start);
/* Attribute positions in a start tag, found in one pass over it: a
 * cursor that moves on from each attribute found.  qload_tag_begin sets it
 * at the first attribute of the tag at start (end: just past its '>', or
 * 0 to find it); qload_tag_attr gives the offset of attribute qname (as
 * written, e.g. "xml:lang"), or the tag's own offset when it is not
 * there.  Asking in the order the attributes are written costs one pass
 * over the tag in all. */
typedef struct qtag { size_t start, end, first, at; } qtag;
void qload_tag_begin(const qsrc *s, qtag *t, size_t start, size_t end);
size_t qload_tag_attr(const qsrc *s, qtag *t, const char *qname);
/* Offset of an element or attribute node (or its nearest element). */
size_t qload_node_offset(const qsrc *s, struct _xmlNode *n);
/* Nothing from libxml2 reaches stderr between begin and end, whatever path
 * raises it; end puts the caller's own handlers back. */
typedef struct qload_quiet {
    void (*gerr)(void *, const char *, ...);
    void *gctx;
    void (*serr)(void *, struct _xmlError *);
    void *sctx;
} qload_quiet;
void qload_quiet_begin(qload_quiet *q);
void qload_quiet_end(const qload_quiet *q);

/* ---- load_words.c: plain words for libxml2's errors --------------------- */

/* A parse error (well-formedness) in plain words, or NULL to keep
 * libxml2's message; may move *off (a byte offset on the line starting at
 * ls) onto the character the words name (the bare '&'). */
const char *qload_words_parse(qarena *a, const qsrc *s,
                              const struct _xmlError *err, size_t ls,
                              size_t *off);

/* Validation errors: what one validation keeps between its errors (the
 * schema's names, made once, for "did you mean"). */
typedef struct qwords {
    qarena *a;
    const struct _xmlSchema *schema;
    int names_made;
    qvec elems, attrs;     /* const char *: names the schema declares */
    const char *p_elem;    /* the last element asked whether it takes <p> */
    int p_allowed;
} qwords;
/* A validation error (libxml2's code and tidied message) on element elem
 * (local name), attribute attr (NULL for the element itself), in plain
 * words with "did you mean" where a name or value is near a known one;
 * NULL to keep the message. */
const char *qload_words_valid(qwords *W, int code, const char *elem,
                              const char *attr, const char *msg);
/* The example value shown for a schema pattern, or NULL. */
const char *qload_pattern_example(const char *pattern);

/* ---- load_schema.c ------------------------------------------------------ */

/* Validates x (parsed by P) against schema: each error is reported at its
 * node and its position appended to errpos (qpos, in P->doc's arena).
 * 1 when validation ran, 0 when it could not be set up. */
int qload_validate(qparse *P, struct _xmlSchema *schema, struct _xmlDoc *x,
                   qvec *errpos);

/* ---- load_convert.c ----------------------------------------------------- */

/* Converts the element root (of a DOM parsed by P) and everything under it
 * into P->doc's arena; the root is returned without a parent. */
qnode *qload_convert(qparse *P, struct _xmlNode *root);
#endif
