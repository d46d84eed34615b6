/* quorum: committee reports from XML to paginated PDF.
 *
 * One public header.  All types are opaque; names follow prefix_noun_verb.
 *
 * Ownership: every object returned by a *_new / *_load / *_layout call is
 * owned by the caller and released with the matching *_free, which accepts
 * NULL.  Objects never share ownership: a quorum_layout copies what it needs
 * from the quorum_doc it was made from, so the doc may be freed first.
 *
 * Failure: calls that can fail return NULL or a non-zero quorum_status and
 * append one or more diagnostics (with file, line, column) to the
 * quorum_diags passed in.  Nothing in the library prints, exits or aborts,
 * except on memory exhaustion, which aborts with a message (as cmark does).
 */
#ifndef QUORUM_H
#define QUORUM_H

/* The version for the preprocessor: QUORUM_VERSION_NUMBER is 0xMMmmpp, so
 * `#if QUORUM_VERSION_NUMBER >= 0x000200` tests for 0.2.0 or later.  CMake
 * refuses to configure when these disagree with project(VERSION). */
#define QUORUM_VERSION_MAJOR 0
#define QUORUM_VERSION_MINOR 1
#define QUORUM_VERSION_PATCH 0
#define QUORUM_VERSION_NUMBER 0x000100

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QUORUM_VERSION_STRING "0.1.0"
#define QUORUM_FORMAT_NAMESPACE "urn:quorum:report:1"

/* Exit codes of the CLI, also used as library status codes. */
typedef enum quorum_status {
    QUORUM_OK = 0,
    QUORUM_INVALID_INPUT = 1, /* the input has errors (see diagnostics) */
    QUORUM_USAGE = 2,         /* the caller asked for something impossible */
    QUORUM_IO_ERROR = 3       /* reading or writing a file failed */
} quorum_status;

const char *quorum_version(void);

/* ---- diagnostics ---------------------------------------------------- */

typedef enum quorum_severity {
    QUORUM_NOTE = 0,
    QUORUM_WARNING = 1,
    QUORUM_ERROR = 2
} quorum_severity;

typedef struct quorum_diags quorum_diags;

typedef struct quorum_diag {
    quorum_severity severity;
    const char *file;    /* NULL when the message concerns no file */
    unsigned line, col;  /* 1-based; 0 when unknown */
    const char *message; /* owned by the quorum_diags */
} quorum_diag;

quorum_diags *quorum_diags_new(void);
void quorum_diags_free(quorum_diags *d);
size_t quorum_diags_count(const quorum_diags *d);
size_t quorum_diags_count_severity(const quorum_diags *d, quorum_severity s);
/* Sorts by file, line, column (stable), so output is in reading order. */
void quorum_diags_sort(quorum_diags *d);
/* Returns 0 and fills *out, or -1 when i is out of range. */
int quorum_diags_get(const quorum_diags *d, size_t i, quorum_diag *out);
/* "file:line:col: error: message" lines, or a JSON array when json != 0. */
void quorum_diags_print(const quorum_diags *d, FILE *f, int json);

/* ---- documents ------------------------------------------------------ */

typedef struct quorum_doc quorum_doc;

/* Loads a report and the appendix files it references.  No network access,
 * no external entities or DTDs.  Returns NULL (with diagnostics) when the
 * file cannot be read or is not well-formed; a loaded document may still
 * carry errors: run quorum_doc_check before laying it out. */
quorum_doc *quorum_doc_load(const char *path, quorum_diags *d);
/* Same from memory; `name` is used in diagnostics and to resolve appendix
 * files (relative to its directory). */
quorum_doc *quorum_doc_load_memory(const char *data, size_t len,
                                   const char *name, quorum_diags *d);
void quorum_doc_free(quorum_doc *doc);

/* Semantic checks (schema, numbering, references, dates, ratings, fonts).
 * Returns the number of errors added to d. */
size_t quorum_doc_check(quorum_doc *doc, quorum_diags *d);

/* ---- layout --------------------------------------------------------- */

typedef struct quorum_layout quorum_layout;

typedef struct quorum_options {
    const char *font_dir;  /* where the .ttf files are; NULL = built-in path */
    const char *style;     /* style name or path; NULL = default */
} quorum_options;

/* Lays out a checked document into pages.  NULL on failure (e.g. a font
 * file that cannot be read), with diagnostics. */
quorum_layout *quorum_doc_layout(const quorum_doc *doc,
                                 const quorum_options *opt, quorum_diags *d);
void quorum_layout_free(quorum_layout *l);
size_t quorum_layout_page_count(const quorum_layout *l);

/* ---- devices -------------------------------------------------------- */

/* Writes the display list as plain text (the golden-test format). */
quorum_status quorum_layout_write_text(const quorum_layout *l, FILE *f);

/* Writes a PDF.  The file is written beside `path` under a temporary name,
 * flushed and renamed into place, so on any failure the previous file at
 * `path` is untouched and no temporary file remains. */
quorum_status quorum_layout_write_pdf(const quorum_layout *l,
                                      const char *path, quorum_diags *d);

/* ---- agenda packs ---------------------------------------------------- */

typedef struct quorum_pack quorum_pack;

/* Loads a meeting file (docs/meeting.md).  The public reports its agenda
 * names (each with its appendices) are read one at a time when checked
 * and again when laid out, and freed at once, so a pack holds at most one
 * report tree; a report's loader diagnostics come from its first read
 * (quorum_pack_check, or quorum_pack_layout without a check).  Reports of
 * exempt items are never opened.  NULL when the meeting file itself cannot
 * be loaded. */
quorum_pack *quorum_pack_load(const char *meeting_path, quorum_diags *d);
void quorum_pack_free(quorum_pack *p);

/* Checks the meeting file and every report (as quorum_doc_check does),
 * and the publication rule: fewer than five clear working days between
 * publication and meeting is a warning.  holidays_path: bank holiday list
 * (one ISO date per line, '#' comments); NULL = the built-in data file.
 * Returns the number of errors added. */
size_t quorum_pack_check(quorum_pack *p, const char *holidays_path,
                         quorum_diags *d);

typedef struct quorum_pack_options {
    const char *font_dir;       /* as in quorum_options */
    const char *style;
    const char *since_manifest; /* supplement: only items added or changed
                                   since this published manifest; NULL =
                                   the full pack */
    int supplement;             /* without since_manifest: the late items
                                   only ("Supplementary Agenda") */
} quorum_pack_options;

/* Lays out the whole pack: front sheet, agenda with page numbers, each
 * report with its own "Page X of Y" and pack-wide page numbers. */
quorum_layout *quorum_pack_layout(const quorum_pack *p,
                                  const quorum_pack_options *opt,
                                  quorum_diags *d);

/* Writes the manifest (per item: number, title, source hash, page range)
 * that a later --supplement --since reads.  Written safely like PDFs. */
quorum_status quorum_pack_write_manifest(const quorum_pack *p,
                                         const quorum_layout *l,
                                         const char *path, quorum_diags *d);
/* Archive copies.  archive = 1 writes PDF/A-1b, 3 writes PDF/A-3b with the
 * files in `attachments` (NULL-terminated paths, read when writing) embedded
 * under their base names as the document's sources (quorum_pdf_extract
 * gives them back).  With attach_style, the house style the layout was
 * made with follows them: its style file, or for the built-in style the
 * compiled-in copy of styles/committee.xml named committee.xml, then the
 * logo file the style names (docs/style.md, "Archive copies").  MIME
 * types: image/png and image/jpeg by the file's signature, text/xml for
 * .xml.  A path given twice (an image that is also the style's logo) is
 * attached once; no two other attachments may share a base name
 * (QUORUM_USAGE, with a diagnostic): extract writes them into one
 * directory (see quorum_doc_check_archive).  The same inputs give the same
 * bytes: no clock is read; dates come from the layout's creation date;
 * the document ID is a hash of the content.  NULL options = a plain PDF. */
typedef struct quorum_pdf_options {
    int archive;                     /* 0 plain PDF, 1 PDF/A-1b, 3 PDF/A-3b */
    const char *const *attachments;  /* PDF/A-3b: files to embed, NULL-terminated */
    int attach_style;                /* PDF/A-3b: also the style's files */
} quorum_pdf_options;

quorum_status quorum_layout_write_pdf_opts(const quorum_layout *l,
                                           const char *path,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d);

/* Writes the source files attached to a PDF written by quorum (PDF/A-3b)
 * into dir (created if missing).  Fails with a diagnostic, writing
 * nothing, when the file has none or an attachment's name is not a plain
 * file name. */
quorum_status quorum_pdf_extract(const char *pdf_path, const char *dir,
                                 quorum_diags *d);

/* The files a loaded document was read from: the report first, then its
 * appendix files, then the image files its <image> elements draw (each
 * once), as paths usable with fopen.  NULL when i is out of range.
 * The names live in the quorum_diags given to the load call and in the
 * document: valid while both are. */
size_t quorum_doc_source_count(const quorum_doc *doc);
const char *quorum_doc_source_path(const quorum_doc *doc, size_t i);

/* For a PDF/A-3b copy: an error at its src attribute for each image that
 * is not a file beside the report (quorum extract gives every attachment
 * back into one directory, where a rebuild would not find it).  Returns
 * the number of errors; an archive copy should not be written after any. */
size_t quorum_doc_check_archive(const quorum_doc *doc, quorum_diags *d);

/* The files of the pack's last layout, for a PDF/A-3b copy of it: the
 * meeting file, then each report laid out with its appendix and image
 * files, in pack order, each once (reports may share an image).  Valid
 * while the pack is; 0 / NULL before a layout. */
size_t quorum_pack_source_count(const quorum_pack *p);
const char *quorum_pack_source_path(const quorum_pack *p, size_t i);

/* quorum_doc_check_archive for each report of the pack's last layout,
 * with the positions of the first read (diagnostics given to it). */
size_t quorum_pack_check_archive(const quorum_pack *p, quorum_diags *d);

#ifdef __cplusplus
}
#endif
#endif
