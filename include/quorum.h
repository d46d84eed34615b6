/* quorum: committee reports from XML to paginated PDF.
 *
 * One public header.  All types are opaque; names follow prefix_noun_verb.
 *
 * Ownership: every object returned by a *_new / *_load / *_layout call is
 * owned by the caller and released with the matching *_free, which accepts
 * NULL.  Objects never share ownership: a quorum_layout copies what it needs
 * from the quorum_doc it was made from, so the doc may be freed first, and
 * a quorum_doc keeps nothing of the quorum_diags it was loaded with.  Every
 * object made with an engine must be freed before the engine.
 *
 * Threads (as MuPDF's context): a quorum_engine is made once, by one
 * thread, and is then read-only: any number of threads may share it and
 * call any function with it at the same time.  Every other object (a
 * quorum_diags, quorum_doc, quorum_layout, quorum_pack) belongs to one
 * thread at a time: calls on different objects may run at once on
 * different threads; calls that take the same object must not, except
 * that functions taking it `const` (quorum_doc_layout on one doc,
 * quorum_layout_write_* on one layout, the *_count / *_path queries) may
 * run at once on it, since const means nothing in it is written.  Free an
 * object after every call using it has returned, and the engine after
 * everything made with it is freed.  The library reads no environment
 * variable, changes no process-wide state (libxml2 is initialised once,
 * by the first quorum_engine_new) and keeps no cache outside the engine.
 *
 * Threads of its own: a pack's calls start and join their jobs threads
 * within the call (quorum_engine_options.jobs), and a PDF write its
 * deflate worker (quorum_pdf_options.threads) before it returns.  A pack
 * written beside its layout (quorum_pack_options.draw_to) also hashes
 * and writes its file on a thread of the file's own, joined before
 * quorum_pack_write returns, and quorum_pack_write closes the files it
 * replaced (the kernel freeing them) on one more, joined before it
 * returns too.
 * No other: the built-in schema is parsed by the engine's first load, on
 * the thread making it (loads on other threads meanwhile wait for it).
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
/* "libharu 2.3.0, zlib 1.2.13, libxml2 2.9.14, libpng 1.6.39, libjpeg-turbo
 * 2.1.5, libzip 1.7.3, libqpdf 11.3.0": the versions of the libraries quorum runs with (read at run
 * time, not the headers it was built with; libjpeg-turbo, which tells
 * none at run time, gives its headers').  A static string; safe on any
 * thread. */
const char *quorum_version_libraries(void);

/* ---- diagnostics ---------------------------------------------------- */

typedef enum quorum_severity {
    QUORUM_NOTE = 0,
    QUORUM_WARNING = 1,
    QUORUM_ERROR = 2
} quorum_severity;

/* A list of diagnostics.  It keeps a copy of each XML file loaded with it
 * (for quorum_diags_write's source lines), so it costs as much memory
 * again as those files. */
typedef struct quorum_diags quorum_diags;

/* What an error is about, set where it is made, so that a caller need not
 * guess from its position (the CLI's exit status comes from it). */
typedef enum quorum_class {
    QUORUM_CLASS_INPUT = 0, /* the input is wrong (most diagnostics) */
    QUORUM_CLASS_IO = 1,    /* a file could not be read or written */
    QUORUM_CLASS_LIMIT = 2, /* the input is beyond a limit (size, depth) */
    QUORUM_CLASS_USAGE = 3  /* the caller asked for something impossible */
} quorum_class;

typedef struct quorum_diag {
    quorum_severity severity;
    quorum_class cls;
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
/* The status the errors in d imply: QUORUM_IO_ERROR when any error is of
 * class IO, else QUORUM_USAGE for one of class USAGE, else
 * QUORUM_INVALID_INPUT for any other error (INPUT or LIMIT), else
 * QUORUM_OK.  Warnings and notes do not count. */
quorum_status quorum_diags_status(const quorum_diags *d);
/* "file:line:col: error: message" lines, or when json != 0 a JSON array of
 * {"file", "line", "column", "severity", "class", "message"} objects
 * (class: "input", "io", "limit" or "usage").  File names and messages
 * quote what inputs say, so text keeps one line per diagnostic and no
 * terminal control: control characters (C0, DEL, C1), line separators
 * and bidirectional overrides are written \xNN (below 0x80) or \uXXXX,
 * bytes that are not UTF-8 \xNN; JSON is always valid UTF-8 (such bytes
 * become U+FFFD) with control characters \u-escaped. */
void quorum_diags_print(const quorum_diags *d, FILE *f, int json);

/* How quorum_diags_write writes (docs/diagnostics.md has each format's
 * fields and version). */
typedef enum quorum_diags_format {
    QUORUM_DIAGS_TEXT = 0,  /* "file:line:col: error: message" lines */
    QUORUM_DIAGS_JSON = 1,  /* as quorum_diags_print's JSON */
    QUORUM_DIAGS_SARIF = 2  /* one SARIF 2.1.0 log, one run, a result each */
} quorum_diags_format;

typedef struct quorum_diags_write_options {
    quorum_diags_format format;
    int color;   /* text: ANSI colours.  The library never looks at the
                    terminal or the environment: the caller decides (the
                    CLI: --color, NO_COLOR, isatty) */
    int source;  /* text: under each diagnostic with a line and column, the
                    source line and a caret under the column */
} quorum_diags_write_options;

/* Writes d to f as o says (NULL: text as quorum_diags_print).  Source
 * lines come from the copy a quorum_diags keeps of every XML file loaded
 * with it (a report, its appendices, a meeting file, a style): the copy
 * belongs to d, so the documents may be freed first, and the line shown
 * is the one the diagnostic was made from even if the file changed since.
 * Columns are characters (Unicode code points, a tab one); the caret line
 * shows a tab as spaces to the next multiple of 8 and an escaped
 * character (see quorum_diags_print) as wide as its escape, so the caret
 * stays under the character; a line over 100 columns is shown as a
 * window around the caret, cut with "...". */
void quorum_diags_write(const quorum_diags *d, FILE *f,
                        const quorum_diags_write_options *o);

/* ---- the engine ----------------------------------------------------- */

/* Everything resource-like that every stage reads: where fonts and styles
 * are, the parsed report schema, the bank holiday list, the date policy,
 * and the font files and styles read so far (each read once per engine,
 * by the first call that needs it, behind a lock, and never changed after:
 * to see an edited style or font file, make a new engine).  See "Threads"
 * above. */
typedef struct quorum_engine quorum_engine;

/* How much one input may ask for.  A field left 0 takes its default. */
typedef struct quorum_limits {
    size_t file_bytes;    /* each XML file: report, appendix, meeting
                             (default 32 MiB) */
    size_t image_bytes;   /* each image a report or style draws (default
                             64 MiB) */
    unsigned depth;       /* elements nested in one file (default 256) */
    size_t pixels;        /* width x height of each image, checked from
                             its header before it is decoded (default 50
                             million: 200 MB decoded) */
    /* PDFs that quorum reads (issue 15) */
    size_t pdf_bytes;     /* each PDF read: extract's input (default
                             1 GiB) */
    size_t extract_bytes; /* all the files one extract writes, decoded,
                             together (default 1 GiB) */
    size_t pdf_pages;     /* pages of each PDF a pack includes (default
                             10,000) */
    size_t pdf_objects;   /* objects of each PDF a pack includes (default
                             2 million) */
} quorum_limits;

#define QUORUM_MAX_JOBS 64u
typedef struct quorum_engine_options {
    const char *font_dir;      /* the .ttf files; NULL = share/quorum/fonts
                                  beside the library or program */
    const char *style_dir;     /* where --style NAME looks (NAME.xml); NULL
                                  = share/quorum/styles, likewise */
    const char *schema_path;   /* the report schema (.xsd); NULL = the copy
                                  compiled in */
    const char *holidays_path; /* bank holidays for a pack's clear-days
                                  rule (one ISO date a line, '#' comments);
                                  NULL = the list compiled in.  Read when a
                                  pack is checked, so its errors are the
                                  check's. */
    quorum_limits limits;        /* all 0 = the defaults */
    long long source_date_epoch; /* seconds since 1970 (reproducible
                                  builds): a pack's creation date; -1 =
                                  none: the meeting's publication date */
    unsigned jobs;             /* threads a pack's reports are read, checked
                                  and laid out on (quorum_pack_layout: each
                                  call starts its own and joins them before
                                  it returns); 0 = 2; 1 = the calling
                                  thread only; at most QUORUM_MAX_JOBS.
                                  The pack, its diagnostics and its PDF
                                  are the same for any count. */
} quorum_engine_options;

/* Fills o with the defaults above (NULLs and -1). */
void quorum_engine_options_init(quorum_engine_options *o);
/* o NULL = the defaults.  NULL, with a diagnostic, when the schema cannot
 * be read or parsed.  A folder neither given nor found beside the library
 * is taken as "fonts" or "styles" in the working directory, so the stage
 * that needs it fails with a diagnostic naming it.  The options' strings
 * are copied. */
quorum_engine *quorum_engine_new(const quorum_engine_options *o,
                                 quorum_diags *d);
void quorum_engine_free(quorum_engine *e);

/* ---- documents ------------------------------------------------------ */

typedef struct quorum_doc quorum_doc;

/* House style and font overrides for a check and a layout. */
typedef struct quorum_options {
    const char *font_dir;  /* NULL = the engine's */
    const char *style;     /* style name (in the engine's style_dir) or
                              path; NULL = the built-in style */
} quorum_options;

/* Loads a report and the appendix and image files it references (each
 * read once, here, and each image decoded: check, layout and the PDF
 * writer use the document's copy; an image that cannot be read, is no
 * valid PNG or JPEG or is over the limits is an error of
 * quorum_doc_check, at its src).  No network access, no external entities or DTDs.  Returns NULL (with diagnostics) when the
 * file cannot be read or is not well-formed; a loaded document may still
 * carry errors: run quorum_doc_check before laying it out. */
quorum_doc *quorum_doc_load(const quorum_engine *e, const char *path,
                            quorum_diags *d);
/* Same from memory; `name` is used in diagnostics and to resolve appendix
 * files (relative to its directory). */
quorum_doc *quorum_doc_load_memory(const quorum_engine *e, const char *data,
                                   size_t len, const char *name,
                                   quorum_diags *d);

/* Supplies a file a report names, for a report loaded from memory.  name
 * is the reference as written: an appendix's href (a plain file name, no
 * '/', '..' or ':', which the loader has checked), or an image's src less
 * any leading "./" (relative, perhaps with a subdirectory: "img/a.png";
 * never absolute, a URL or with '..', which are not asked for).  Returns
 * 0 with a malloc'd copy of the file's bytes in *data and their number in
 * *len; the loader takes ownership and releases it with free(), also when
 * it refuses the bytes (an appendix over the engine's file_bytes, not
 * UTF-8, not well-formed: each with a diagnostic as for a file; an image
 * over its image_bytes).  Returns non-zero when it cannot supply the file:
 * a positive value is taken as an errno value for the message (ENOENT:
 * "No such file or directory"), any other as "not supplied"; *data is
 * then ignored.  A missing appendix is reported as a missing file is: an
 * error at the reference's position, and the load goes on without it; a
 * missing image is quorum_doc_check's error at its src ("cannot read
 * image"), and the PDF leaves it out.  Called on the loading thread,
 * during the load call only: once per appendix in document order, then
 * once per distinct image in document order (appendices' images
 * included); ctx is passed through untouched. */
typedef int (*quorum_resolve_fn)(void *ctx, const char *name, char **data,
                                 size_t *len);

/* quorum_doc_load_memory whose appendices and images come from fn
 * instead of files: with a resolver nothing is read from the file system,
 * by the load or by any later stage (the document holds the images'
 * pixels; a layout keeps those it draws, so it outlives the document).
 * fn NULL = quorum_doc_load_memory.  The names of appendices and images in
 * diagnostics and in quorum_doc_source_path are name's directory joined
 * with the href or src, as for a file, though no such file need exist
 * (an archive copy that attaches them reads those paths when written). */
quorum_doc *quorum_doc_load_memory_resolved(const quorum_engine *e,
                                            const char *data, size_t len,
                                            const char *name,
                                            quorum_resolve_fn fn, void *ctx,
                                            quorum_diags *d);
void quorum_doc_free(quorum_doc *doc);

/* Semantic checks (schema, numbering, references, dates, ratings, fonts).
 * Characters are checked against the faces that will draw them in the
 * style opt names (NULL = the built-in style), so a document that passes
 * prints every character.  Returns the number of errors added to d. */
size_t quorum_doc_check(const quorum_engine *e, const quorum_doc *doc,
                        const quorum_options *opt, quorum_diags *d);

/* ---- layout --------------------------------------------------------- */

typedef struct quorum_layout quorum_layout;

/* Lays out a checked document into pages.  NULL on failure (e.g. a font
 * file that cannot be read), with diagnostics. */
quorum_layout *quorum_doc_layout(const quorum_engine *e, const quorum_doc *doc,
                                 const quorum_options *opt, quorum_diags *d);
void quorum_layout_free(quorum_layout *l);
size_t quorum_layout_page_count(const quorum_layout *l);

/* ---- devices -------------------------------------------------------- */

/* Writes the display list as plain text (the golden-test format). */
quorum_status quorum_layout_write_text(const quorum_layout *l, FILE *f);
/* The same into the file at path, replaced as quorum_layout_write_pdf
 * replaces a PDF (and refused as it refuses: a directory, a FIFO or
 * device, a file the layout was made from). */
quorum_status quorum_layout_write_text_file(const quorum_layout *l,
                                            const char *path, quorum_diags *d);

/* Writes a PDF.  The file is written beside `path` under a temporary name,
 * flushed and renamed into place, so on any failure the previous file at
 * `path` is untouched and no temporary file remains.  QUORUM_USAGE, with a
 * diagnostic and nothing written, when `path` is a directory, a FIFO or a
 * device (which the rename would replace by a regular file), or the same
 * file (device and inode: a link or another spelling too) as one the
 * layout was made from: the report, its appendix and image files, the
 * style file and its logo, and the attachments of an archive copy. */
quorum_status quorum_layout_write_pdf(const quorum_layout *l,
                                      const char *path, quorum_diags *d);

/* ---- agenda packs ---------------------------------------------------- */

typedef struct quorum_pack quorum_pack;

/* Loads a meeting file (docs/meeting.md).  The public reports its agenda
 * names (each with its appendices) are read one at a time when checked
 * and again when laid out (once, with quorum_pack_options.check), and
 * freed at once, so a pack holds at most one report tree; a report's loader diagnostics come from its first read
 * (quorum_pack_check, or quorum_pack_layout without a check).  Reports of
 * exempt items are never opened.  NULL when the meeting file itself cannot
 * be loaded. */
quorum_pack *quorum_pack_load(const quorum_engine *e, const char *meeting_path,
                              quorum_diags *d);
void quorum_pack_free(quorum_pack *p);

/* Checks the meeting file and every report (as quorum_doc_check does),
 * and the publication rule: fewer than five clear working days between
 * publication and meeting is a warning, with the engine's bank holidays.
 * Characters are checked against the faces of the style opt names.
 * Returns the number of errors added. */
size_t quorum_pack_check(const quorum_engine *e, quorum_pack *p,
                         const quorum_options *opt, quorum_diags *d);

typedef struct quorum_pack_options {
    const char *font_dir;       /* as in quorum_options */
    const char *style;
    const char *since_manifest; /* supplement: only items added or changed
                                   since this published manifest (or the
                                   PDF it was written with, the manifest
                                   then beside it); NULL = the full pack.
                                   The layout fails with an error when
                                   the manifest is not one, is cut short,
                                   is of another meeting, or does not
                                   belong to its PDF (size and SHA-256) */
    int supplement;             /* without since_manifest: the late items
                                   only ("Supplementary Agenda") */
    int check;                  /* check the pack as quorum_pack_check
                                   does (style and fonts as above), each
                                   report read once, checked, then laid
                                   out; NULL after any error (a loader's
                                   too), with every report still checked.
                                   Use it instead of quorum_pack_check.
                                   With since_manifest or supplement the
                                   check runs first, then the layout */
    const char *cache_dir;      /* a folder of the reports' layouts (made
                                   when missing; NULL = none): a report
                                   whose files, number, style, fonts and
                                   limits are those of an entry there is
                                   taken from it, neither read, checked
                                   nor laid out again; a report laid out
                                   without a warning is stored there.  An
                                   entry that is not whole and this
                                   report's own is not used; one that
                                   cannot be written is only missing.
                                   Used with check only; entries are
                                   written by quorum_pack_write.  Leave
                                   it NULL for an archive copy, which
                                   should come from its sources alone
                                   (quorum pack --archive does) */
    const struct quorum_pdf_options *draw; /* the options quorum_pack_write
                                   will be given (archive and untagged are
                                   what matter), or NULL: with them each
                                   report's pages are drawn and deflated
                                   on the worker that laid it out, as soon
                                   as its start page is known, and the
                                   write only places them (issue 18);
                                   each report's display list is freed
                                   once drawn, so the layout can give
                                   those pages to one write only, with
                                   these options: another write, or one
                                   with other options, fails (USAGE) and
                                   the text dump lacks those pages'
                                   items.  The bytes are the same either
                                   way, with any number of jobs */
    const char *draw_to;        /* with draw: the PDF quorum_pack_write
                                   will write.  The pages are placed as
                                   each report is drawn, while the next
                                   are laid out, at most a few reports
                                   ahead of the writer (memory stays flat
                                   as packs grow), and the file is saved
                                   into a temporary file beside it when
                                   the layout ends; quorum_pack_write
                                   with this path and draw's options then
                                   writes the manifest and renames both
                                   (another path or options: USAGE), and
                                   says the writer's warnings; freeing
                                   the pack or a new layout removes it.
                                   Not for archive copies or packs with
                                   PDF items, written whole by the write
                                   as without it.  The same bytes, on the
                                   calling thread: it alone touches the
                                   document */
} quorum_pack_options;

/* Lays out the whole pack: front sheet, agenda with page numbers, each
 * report with its own "Page X of Y" and pack-wide page numbers. */
/* The pack records what it laid out (pages of each item, the files read,
 * for quorum_pack_write and quorum_pack_source_path), so it is not
 * const. */
/* Threads: the reports are read, checked and laid out on the engine's
 * jobs threads (quorum_engine_options), started and joined within the
 * call, and spliced in agenda order on the calling thread, which alone
 * touches p and d; the result, the diagnostics and their order are those
 * of one thread.  A pack loaded with a resolver (qpack_load_memory) uses
 * the calling thread only. */
quorum_layout *quorum_pack_layout(const quorum_engine *e, quorum_pack *p,
                                  const quorum_pack_options *opt,
                                  quorum_diags *d);

/* Archive copies.  archive = 1 writes PDF/A-1b (PDF 1.4), 2 PDF/A-2a and 3
 * PDF/A-3a (PDF 1.7; level A, accessible, when tagged, else level B: with
 * untagged set they declare PDF/A-2b and PDF/A-3b), 3 with the
 * files in `attachments` (NULL-terminated paths) embedded as the
 * document's sources, the first under its base name and the others under
 * their paths from its folder ("appendix-1.xml", or "a/appendix-1.xml"
 * for a pack's item in a folder of its own) (quorum_pdf_extract gives them back):
 * for a path the layout was read from (quorum_doc_source_path,
 * quorum_pack_source_path) the bytes the loader read, else the file, read
 * when writing without following a link.  Either way the path must not be
 * a symbolic link, FIFO, device or directory now, and every path after the
 * first must be in the first one's folder or a folder below it
 * (QUORUM_USAGE otherwise).  With attach_style, the house style the layout was
 * made with follows them: its style file, or for the built-in style the
 * compiled-in copy of styles/committee.xml named committee.xml, then the
 * logo file the style names (docs/style.md, "Archive copies").  MIME
 * types: image/png and image/jpeg by the file's signature, text/xml for
 * .xml.  A path given twice (an image that is also the style's logo) is
 * attached once; no two other attachments may share a name
 * (QUORUM_USAGE, with a diagnostic): extract writes them into one
 * directory (see quorum_doc_check_archive).  The same inputs give the same
 * bytes: no clock is read; dates come from the layout's creation date
 * (a report's: SOURCE_DATE_EPOCH's day as the engine's source_date_epoch,
 * else its meeting date; a pack's: see quorum_engine_options);
 * the document ID is a hash of the content.  NULL options = a plain PDF.
 * A plain PDF holds bookmarks, links and document properties of any
 * length; PDF/A does not (a string of at most 65,535 bytes in PDF/A-1,
 * 32,767 in PDF/A-2 and -3): an archive copy with a longer one is not written,
 * QUORUM_INVALID_INPUT with an error of class LIMIT naming it. */
typedef struct quorum_pdf_options {
    int archive;                     /* 0 plain PDF, 1 PDF/A-1b, 2 PDF/A-2a,
                                        3 PDF/A-3a */
    const char *const *attachments;  /* PDF/A-3: files to embed, NULL-terminated */
    int attach_style;                /* PDF/A-3: also the style's files */
    int untagged;                    /* no structure tree (to measure what
                                        tagging costs; not for publishing) */
    int threads;                     /* threads deflating the streams: 0 =
                                        the default, 2 (the caller and one
                                        worker, started by the call and
                                        joined before it returns, so the
                                        call's thread notes hold); 1 = the
                                        caller only.  The bytes are the same
                                        with any number. */
} quorum_pdf_options;

quorum_status quorum_layout_write_pdf_opts(const quorum_layout *l,
                                           const char *path,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d);

/* Writes the pack's PDF (as quorum_layout_write_pdf_opts) to pdf_path and
 * its manifest beside it, pdf_path with its extension replaced by
 * .manifest (per item: number, key, title, SHA-256 of its sources, pages;
 * and the PDF's name, size and SHA-256), which a later supplement's
 * since_manifest reads.  The two are one pair: both are written to
 * temporary files first (and fsynced for an archive copy), then renamed,
 * the PDF first, holding a lock (PDF.manifest.lock, removed after) so that
 * runs writing the same pack at once do not mix their files; on any
 * failure both files stay as they were, and a pair left half-renamed (a
 * killed process) is one that since_manifest refuses.  QUORUM_USAGE with
 * a diagnostic when pdf_path ends in .manifest, or either file would
 * replace an input of the pack (the meeting file, a report, appendix or
 * image, the style, the since_manifest and its PDF, the holiday list) or
 * something that is not a regular file; QUORUM_IO_ERROR when a file
 * cannot be written.  l must be the pack's last layout (QUORUM_USAGE
 * otherwise).  Nothing of p, l or opt is kept.  p and l are only read:
 * two threads may write one pack at once, to the same path too (the lock
 * orders them), as may two processes.  A layout made with
 * quorum_pack_options.draw_to has its PDF saved already: the write to that
 * path with draw's options takes that file (a failure to save it is
 * QUORUM_IO_ERROR, said here), and is the one write of that layout
 * (another is QUORUM_USAGE), so it is not to run beside another write of
 * the same pack. */
quorum_status quorum_pack_write(const quorum_pack *p, const quorum_layout *l,
                                const char *pdf_path,
                                const quorum_pdf_options *opt, quorum_diags *d);

/* Receives the PDF in order, in pieces of any size (len may be 0).
 * Returns 0 to go on, non-zero to stop the write. */
typedef int (*quorum_write_fn)(void *ctx, const void *data, size_t len);

/* The same PDF as quorum_layout_write_pdf_opts (byte for byte), handed to
 * fn instead of a file; the library never fsyncs, closes or frees ctx.
 * If fn stops the write, or the document fails before or while it is
 * saved, the result is QUORUM_IO_ERROR (QUORUM_USAGE for bad options)
 * with a diagnostic, and what fn received so far is an incomplete PDF
 * that the caller must discard. */
quorum_status quorum_layout_write_pdf_sink(const quorum_layout *l,
                                           quorum_write_fn fn, void *ctx,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d);

/* The same PDF in memory.  On QUORUM_OK, *bytes is a malloc'd buffer of
 * *len bytes that the caller owns and releases with free(); on failure
 * *bytes is NULL, *len 0, and a diagnostic says why. */
quorum_status quorum_layout_write_pdf_memory(const quorum_layout *l,
                                             const quorum_pdf_options *opt,
                                             unsigned char **bytes,
                                             size_t *len, quorum_diags *d);

/* Writes the files embedded in a PDF into dir (created if missing): the
 * sources of a copy quorum wrote with --archive=3b, also after another
 * tool re-saved it, or any PDF's embedded files (its EmbeddedFiles name
 * tree, /AF arrays and file attachment annotations; of two files of the
 * same name the first).  All or nothing: the files are written into a
 * new temporary directory inside dir and renamed into place only when
 * every one was written, so a failure (a full disk) leaves dir as it was;
 * a regular file of the same name is replaced (never written through: a
 * hard link to it keeps its old bytes).  Fails with a diagnostic, writing
 * nothing, when the PDF cannot be read (over the engine's pdf_bytes,
 * damaged, encrypted with a password), has no embedded file, an
 * attachment's name is not a plain file name or plain names joined by
 * '/' (qpdf_safe_path's rules: no empty part, "." or "..", no leading
 * '/', valid UTF-8 without control characters; "a/appendix-1.xml" goes
 * into dir/a, made if missing), its bytes do not match their MD5 /CheckSum or cannot be
 * decoded, the files come to more than the engine's extract_bytes, or
 * something other than a regular file (a FIFO, device, directory or
 * symbolic link) stands in dir under an attachment's name, or a folder on
 * its path is not a directory: it is neither opened, followed nor
 * replaced.  Returns QUORUM_INVALID_INPUT for the
 * PDF's faults (a diagnostic of class LIMIT over a limit),
 * QUORUM_IO_ERROR when the PDF cannot be read or dir written. */
quorum_status quorum_pdf_extract(const quorum_engine *e, const char *pdf_path,
                                 const char *dir, quorum_diags *d);

/* The files a loaded document was read from: the report first, then its
 * appendix files, then the image files its <image> elements draw (each
 * once), as paths usable with fopen.  NULL when i is out of range.
 * The names belong to the document: valid while it is. */
size_t quorum_doc_source_count(const quorum_doc *doc);
const char *quorum_doc_source_path(const quorum_doc *doc, size_t i);

/* For a PDF/A-3b copy: an error at its src attribute for each image that
 * is not a file beside the report (quorum extract gives every attachment
 * back into one directory, where a rebuild would not find it), and at the
 * src or href naming it (the report: its file) for each file the document
 * was read from that is now a symbolic link, FIFO, device or directory
 * (the copy would publish what a link points to).  Returns the number of
 * errors; an archive copy should not be written after any. */
size_t quorum_doc_check_archive(const quorum_doc *doc, quorum_diags *d);
/* The report's PDF appendices (<appendix href="audit.pdf"/>, issue 15)
 * against an archive copy of level (1: PDF/A-1b, 3: PDF/A-3b): an error at
 * the href of each whose PDF claims no PDF/A part, or (level 1) one other
 * than PDF/A-1.  Returns the errors added; none for a NULL doc. */
size_t quorum_doc_check_archive_pdfs(const quorum_doc *doc, int level, quorum_diags *d);

/* The files of the pack's last layout, for a PDF/A-3b copy of it: the
 * meeting file, then each report laid out with its appendix and image
 * files, in pack order, each once (reports may share an image).  Valid
 * while the pack is; 0 / NULL before a layout. */
size_t quorum_pack_source_count(const quorum_pack *p);
const char *quorum_pack_source_path(const quorum_pack *p, size_t i);

/* quorum_doc_check_archive for the meeting file and each report of the
 * pack's last layout, with the positions of the first read (diagnostics
 * given to it). */
size_t quorum_pack_check_archive(const quorum_pack *p, quorum_diags *d);
/* The PDF items (issue 15) of the pack's last layout, and its reports'
 * PDF appendices, against an archive copy of level (1: PDF/A-1b, 3:
 * PDF/A-3b): an error at each item (appendix href) whose PDF claims no PDF/A part, or (level 1) one other than PDF/A-1, since
 * its pages would make the copy fail PDF/A.  Returns the errors added. */
size_t quorum_pack_check_archive_pdfs(const quorum_pack *p, int level, quorum_diags *d);

/* ---- importing Word documents (quorum import, docs/import.md) ------- */

/* Receives an image a Word document draws, by the file name its <image
 * src> gives (PREFIX-N.png or .jpg); returns 0, or non-zero to fail the
 * import (QUORUM_IO_ERROR). */
typedef int (*quorum_image_fn)(void *ctx, const char *name, const void *data,
                               size_t len);

typedef struct quorum_import_options {
    const char *mapping_path;  /* a council's mapping file: its style names
                                  and front-sheet labels (docs/import.md);
                                  NULL = Word's names only */
    quorum_image_fn image_fn;  /* NULL = images are named in the XML but
                                  their bytes are not handed out */
    void *image_ctx;           /* passed to image_fn untouched */
    const char *image_prefix;  /* NULL = "image" */
} quorum_import_options;

/* Reads a Word document (.docx, Office Open XML) and writes the report it
 * holds as report XML: *xml is a malloc'd, NUL-terminated buffer of
 * *xml_len bytes the caller frees (NULL and 0 on failure).  What cannot be
 * mapped gets a warning or note whose file names the place in the Word
 * document an author finds it by ("report.docx: paragraph 57, under
 * \"3. Proposals\"" or "report.docx: table 2, row 3, cell 1"), in
 * reading order.  QUORUM_INVALID_INPUT with an error when the file is not
 * a zip package or no Word document, or is refused: a part name that is
 * absolute or climbs with "..", a relationship leaving the package, a part
 * over the engine's file_bytes, parts read over 4 times that, a part over
 * 1 MiB compressed more than 200 times (a zip bomb), XML nested deeper
 * than the engine's depth, an encrypted part.  QUORUM_IO_ERROR when the
 * file cannot be read (it is read through the same rules as every input:
 * a regular file, at most 8 times file_bytes).  The XML is not checked:
 * quorum_docx_import_file checks it.  opt may be NULL.  Threads: as
 * quorum_doc_load (the engine shared, d the caller's). */
quorum_status quorum_docx_import(const quorum_engine *e, const char *path,
                                 const quorum_import_options *opt, char **xml,
                                 size_t *xml_len, quorum_diags *d);
/* The same from a package in memory; name stands for it in diagnostics. */
quorum_status quorum_docx_import_memory(const quorum_engine *e, const void *data,
                                        size_t len, const char *name,
                                        const quorum_import_options *opt,
                                        char **xml, size_t *xml_len,
                                        quorum_diags *d);
/* quorum import: imports path, loads and checks the XML as quorum check
 * does (its diagnostics name out_path; images supplied from the package),
 * then writes the images beside out_path (OUT-1.png ..., opt's image_fn
 * and image_prefix are not used) and the XML to out_path, each replaced
 * whole.  Nothing is written when the import fails, or when out_path (or
 * an image's path) is the Word document, the mapping file, a directory, a
 * FIFO or a device (QUORUM_USAGE).  When the check finds errors the XML
 * is written all the same, for the author to correct, and the result is
 * QUORUM_INVALID_INPUT. */
quorum_status quorum_docx_import_file(const quorum_engine *e, const char *path,
                                      const quorum_import_options *opt,
                                      const char *out_path, quorum_diags *d);

/* ---- HTML (src/html) -------------------------------------------------- */

/* The report as one accessible HTML5 page (WCAG 2.2 AA), written from the
 * checked document (run quorum_doc_check first; a document with errors
 * gives a page with what it has): headings nested as the PDF's outline,
 * the front sheet as a table with row headers, numbered paragraphs with
 * their numbers and an id each ("para-3.8", or the paragraph's own id),
 * cross-references and background documents as links, tables with their
 * caption, header scopes and spans, rating cells with their code (and
 * word) besides their colour, charts as SVG with a table of their figures,
 * images and the style's logo embedded as data: URIs, so the page is one
 * self-contained file; CSS from the house style opt names (screen, phone
 * and print), no JavaScript.  The same document gives the same bytes.
 *
 * quorum_doc_write_html writes it to path as quorum_layout_write_pdf
 * writes a PDF (and refuses what it refuses: a directory, FIFO or device,
 * a file the document was read from); the file is left as it is when it
 * holds these bytes already.  _memory gives a malloc'd buffer the caller
 * frees (*bytes NULL and *len 0 on failure).  A style that cannot be
 * loaded fails the call with its diagnostics (QUORUM_INVALID_INPUT or
 * QUORUM_IO_ERROR). */
quorum_status quorum_doc_write_html(const quorum_engine *e, const quorum_doc *doc,
                                    const quorum_options *opt, const char *path,
                                    quorum_diags *d);
quorum_status quorum_doc_write_html_memory(const quorum_engine *e,
                                           const quorum_doc *doc,
                                           const quorum_options *opt,
                                           char **bytes, size_t *len,
                                           quorum_diags *d);

/* A checked pack as a static site in dir (made if missing; its parent
 * must exist): index.html (body, date, time, venue, members, the agenda:
 * each public report's title linking its page and its PDF, each exempt
 * item with its Schedule 12A paragraphs and no report; the whole pack's
 * PDF, the supplementary pack's and its date when items are late, the
 * publication date, the meeting's information), ITEM.html and ITEM.pdf
 * for each public report (ITEM: the item's id, else item-NUMBER),
 * agenda-pack.pdf and its manifest, supplement.pdf and its manifest.  Same
 * inputs, same bytes; a file that would not change is not written (so a
 * rebuild after one report changed rewrites that report's files, the
 * packs and what else changed).  Fails, with diagnostics, as the writers
 * above; files written before a failure stay (each is whole). */
quorum_status quorum_pack_publish(const quorum_engine *e, quorum_pack *p,
                                  const quorum_options *opt, const char *dir,
                                  quorum_diags *d);
/* quorum_pack_check then quorum_pack_publish, each report read once: its
 * read and check (on the engine's threads, as quorum_pack_check) make
 * its page too.  Nothing is written, and dir is not made, when d then
 * holds an error (any, those given before the call too) or, with strict,
 * a warning: QUORUM_INVALID_INPUT, or the diagnostics' own status (an
 * unreadable report: QUORUM_IO_ERROR).  The diagnostics are those of the
 * two calls.  A site not there yet (dir holds no index.html) is checked
 * as the pack is laid out (quorum_pack_options.check), so "then" is after
 * the layout: with strict, a warning of the layout's also writes
 * nothing, as the pack command refuses it. */
quorum_status quorum_pack_check_publish(const quorum_engine *e, quorum_pack *p,
                                        const quorum_options *opt, int strict,
                                        const char *dir, quorum_diags *d);

/* ---- new reports (quorum new) ---------------------------------------- */

/* Writes a report skeleton into dir from the template named (NULL: the
 * built-in committee paper, "committee"): its report.xml (the front-sheet
 * rows, sections and implications of that council's papers, each text to
 * replace in [brackets]; it checks clean and builds as it is) and, where
 * the template has one, a meeting.xml for `quorum pack`.  Templates are
 * the folders of share/quorum/templates beside the library or program.
 * dir is made when missing (its parent must exist) and must otherwise be
 * an empty folder (hidden entries such as .git allowed): nothing is ever
 * written over, each file is created only if it does not exist.
 * QUORUM_USAGE (a diagnostic of class USAGE) for an unknown template
 * (naming the nearest or listing those there are) or a dir that is not
 * an empty folder; QUORUM_IO_ERROR when a file cannot be read or written,
 * after removing what the call wrote.  Threads: as quorum_doc_load. */
quorum_status quorum_new_report(const quorum_engine *e, const char *template_name,
                                const char *dir, quorum_diags *d);

/* ---- watching inputs (quorum watch) ----------------------------------- */

/* Tells when the files a build reads change (Linux inotify), for a
 * command that rebuilds then.  quorum_watch_files replaces the set
 * watched: each path is a file (the report, an appendix, an image, the
 * style: quorum_doc_source_path gives them) or a folder, which stands for
 * every XML, PNG or JPEG file in it (a meeting's reports); what a build
 * writes beside them (the PDF, its temporary file) is never one of them.
 * The folders are watched, not the files, so a file an editor replaces
 * by renaming a new one over it is still seen, and so is one that does
 * not exist yet.  quorum_watch_wait waits up to timeout_ms (-1: no limit)
 * for a change, then until quiet_ms pass without another (at most a
 * second), so a save that is many writes is one change: 1 after a
 * change, 0 when the time ran out or a signal interrupted the wait, -1
 * when the events cannot be read.  quorum_watch_new fails (NULL, an I/O
 * diagnostic) when inotify is not available.  Threads: one watch per
 * thread. */
typedef struct quorum_watch quorum_watch;
quorum_watch *quorum_watch_new(quorum_diags *d);
quorum_status quorum_watch_files(quorum_watch *w, const char *const *paths, size_t n,
                                 quorum_diags *d);
int quorum_watch_wait(quorum_watch *w, int timeout_ms, int quiet_ms);
void quorum_watch_free(quorum_watch *w);
/* Whether the file at path is a meeting file (its root element is
 * <meeting>) rather than a report: 0 for a report, or a file that cannot
 * be read (the build that follows says why). */
int quorum_file_is_meeting(const quorum_engine *e, const char *path);

#ifdef __cplusplus
}
#endif
#endif
