/* Meeting files (docs/meeting.md): checks that pack.c and quorum_doc_check
 * share.  The loader (load.c) reads a <meeting> root like a report, checks
 * item report="…" paths (the same rule as appendix hrefs) and numbers the
 * agenda items (qnode.number: "1", "9A", …); it never opens the reports. */
#ifndef QUORUM_MEETING_H
#define QUORUM_MEETING_H
#include <stddef.h>
#include <stdio.h>

#include "doc.h"
#include "words.h"

/* Every check of a meeting file: unknown elements, duplicate ids,
 * characters the fonts lack, required fields, real dates and time, the
 * clerk's contact, item titles, exempt paragraphs (1-7), late items and
 * urgency, item number order, open items after exempt ones, and the five
 * clear working days rule (s.100B(3) LGA 1972) with the bank holidays in
 * holidays_path (NULL = the list compiled in, util/builtin.h).  Characters
 * are checked against the faces of the style opt names.  It does not look at the reports
 * the items name (pack.c does).  quorum_doc_check on a meeting document
 * calls this with the engine's list, so call one or the other, not both.  Returns the
 * number of errors added to d. */
size_t qmeeting_check(const quorum_engine *e, const quorum_doc *meeting,
                      const quorum_options *opt, const char *holidays_path,
                      quorum_diags *d);

/* Reads a bank holiday list: one ISO date a line, '#' starts a comment,
 * blank lines ignored (path NULL = the list compiled in).  Returns 0 and
 * sets *days (malloc'd, in file order; free() it) and *n; or -1 with
 * errors in d (a line that is not a real date is positioned in that file;
 * an unreadable file has no line), *days = NULL and *n = 0. */
int qmeeting_holidays_load(const char *path, long **days, size_t *n,
                           quorum_diags *d);

/* The meeting's <date> (which = QN_DATE) or <published> (QN_PUBLISHED),
 * or an item's published="…" (which = QN_AGENDA_ITEM, n = the item), as
 * days since 1970 (qdate.h).  0 and *days, or -1 when absent or not a
 * real date (qmeeting_check says so). */
int qmeeting_date(const quorum_doc *meeting, qdoc_type which, const qnode *n,
                  long *days);


/* ---- the manifest (manifest.c) ---- */
/* What a pack's manifest records (docs/meeting.md, "The manifest"). */
/* A file an item's hash covers (version 3), in the order hashed: its
 * report, appendices, images (an image's path is hashed too), or its PDF. */
typedef enum qmanifest_kind {
    QMF_REPORT = 0, QMF_APPENDIX, QMF_IMAGE, QMF_PDF, QMF__KINDS
} qmanifest_kind;
typedef struct qmanifest_file {
    qmanifest_kind kind;
    const char *name;     /* relative to the report's folder (qsince_join) */
    int readable;         /* 0: an image that could not be read (no hash) */
    unsigned char sha256[32];
} qmanifest_file;

typedef struct qmanifest_item {
    const char *number, *key, *title;   /* title NULL = none */
    unsigned char sha256[32];           /* of the item's text and sources */
    int in_pack;                        /* 0: a supplement leaves it out */
    unsigned long long first_page, last_page; /* 1-based; 0 = no pages */
    /* version 3: the files its hash covers; listed 0 (version 2, or an
     * item whose files could not all be named) says nothing about them */
    const qmanifest_file *files;
    size_t nfiles;
    int listed;
} qmanifest_item;

typedef struct qmanifest {
    const char *pdf_file;               /* the PDF's name, beside it */
    unsigned long long pdf_bytes;
    unsigned char pdf_sha256[32];
    const char *meeting_id, *meeting_date; /* NULL = none */
    unsigned long long pages;
    qmanifest_item *items;              /* read: sorted by key */
    size_t nitems;
    qpos meeting_pos, pdf_pos;          /* read: where they stand */
    int version;                        /* read: 2 or 3 */
} qmanifest;

/* The manifest of the PDF at pdf_path: its extension replaced by
 * .manifest ("pack" and "pack.pdf" give "pack.manifest"), in a. */
const char *qmanifest_path(qarena *a, const char *pdf_path);
/* m as JSON (the pdf fields as they are). */
void qmanifest_write(FILE *f, const qmanifest *m);
/* Writes l's PDF to pdf_path and m, with the PDF's name, size and
 * SHA-256 filled in, to its manifest, as one pair (qatomic_commit_all,
 * the PDF renamed first): any failure leaves both files as they were.
 * Refuses (USAGE) a manifest path equal to pdf_path and either path when
 * it is an input of l or not a regular file.  pdf (NULL: none) is l's
 * PDF made already with opt, written instead of making it again; made
 * (NULL: none), a temporary file beside pdf_path holding it already (the
 * writer beside the layout's), taken: committed or removed.  gone (may
 * be NULL: none) receives the files the commit replaced, being freed on
 * a thread (qatomic_commit_all_gone): the caller waits for it. */
quorum_status qmanifest_commit(const quorum_layout *l, const char *pdf_path,
                               const quorum_pdf_options *opt, const void *pdf, size_t pdf_len,
                               struct qatomic *made, qmanifest *m,
                               struct qatomic_gone **gone, quorum_diags *d);
/* The strict reader: exactly the format qmanifest_write writes (this
 * version), from s[0..n) named name in diagnostics, into m (strings in
 * a).  0, or -1 with an error at its line and column: not JSON, cut
 * short, another format or version, a member missing, unknown or of the
 * wrong type, a key twice.  Any bytes are safe to give it (the fuzzing
 * entry point). */
int qmanifest_parse(qarena *a, const char *s, size_t n, const char *name,
                    qmanifest *m, quorum_diags *d);
/* The item of a parsed manifest with this key, or NULL. */
const qmanifest_item *qmanifest_find(const qmanifest *m, const char *key);
/* --since: path names a manifest or the PDF it was written with (then the
 * manifest is qmanifest_path of it).  Reads and parses the manifest (at
 * most max_bytes), then checks the PDF (named, or the one the manifest
 * names beside it) is the one it records, by size and SHA-256.  0, or -1
 * with an error (I/O when a file cannot be read).  *pdf and *man are the
 * files read (in a; NULL when not reached). */
int qmanifest_since(qarena *a, const char *path, size_t max_bytes, qmanifest *m,
                    const char **pdf, const char **man, quorum_diags *d);
/* Its two halves, so the PDF may be hashed on a thread of its own while
 * the reports' files are: the manifest read and parsed (*pdf named, not
 * read yet); the PDF's size and SHA-256 (any thread); then the check of
 * them against m, 0 or -1 with the error qmanifest_since gives. */
int qmanifest_since_read(qarena *a, const char *path, size_t max_bytes, qmanifest *m,
                         const char **pdf, const char **man, quorum_diags *d);
typedef struct qmanifest_pdf {
    int err;                            /* errno value: unreadable */
    unsigned long long bytes;
    unsigned char sum[32];
} qmanifest_pdf;
void qmanifest_pdf_hash(const char *pdf, qmanifest_pdf *h);
int qmanifest_pdf_check(const qmanifest *m, const char *pdf, const qmanifest_pdf *h,
                        quorum_diags *d);
/* 1 when the manifest m (read from man) records this meeting (its id and
 * date), else 0 with an error at the manifest's meeting. */
int qmanifest_same_meeting(qarena *a, const quorum_doc *meeting, const qmanifest *m,
                           const char *man, quorum_diags *d);

/* ---- an item's files (pack_since.c) ---- */
/* The item hash's fields: each with its length in front (NULL differs
 * from ""); qpack_hash_doc adds a loaded report's files: the bytes of its
 * report and appendix files, then each image's path and bytes. */
/* A note at the agenda line naming a report whose read (diagnostics from
 * index from on) failed with an I/O error at the file (pack_check.c). */
void qpack_note_unread(quorum_diags *d, size_t from, const qnode *item, const char *number,
                       const char *report);
void qpack_hash_bytes(qsha256_ctx *c, const void *p, size_t n);
void qpack_hash_str(qsha256_ctx *c, const char *s);
/* exempt-paragraph, and the meeting's law when it is not England's */
void qpack_hash_exempt(qsha256_ctx *c, const char *exempt, const qnode *item);
void qpack_hash_doc(qsha256_ctx *c, const quorum_doc *doc);
/* The words of a style's strings tables (t and those chained after it):
 * what a layout prints that the style file only names. */
void qpack_hash_words(qsha256_ctx *c, const qw_table *t);
/* name (relative to the folder of the report at report_path) joined to
 * that folder as the loader joins appendix hrefs and image srcs. */
const char *qsince_join(qarena *a, const char *report_path, const char *name);
/* The files qpack_hash_doc covers for doc (read from report_path), in
 * that order, with each file's SHA-256, for the manifest (in a): 0, or -1
 * when one of them is not in the report's folder (the item is then not
 * listed). */
int qsince_files(qarena *a, const char *report_path, const quorum_doc *doc,
                 qmanifest_file **files, size_t *n);
/* Adds to c what qpack_hash_doc would for the report at report_path if it
 * were read now, from mi's listed files alone (read under the engine's
 * limits, never parsed): 0 with the files' paths in *paths (in a), or -1
 * when mi lists no report or one of its XML files cannot be read (then
 * the report must be loaded to say why). */
int qsince_rehash(const quorum_engine *e, qarena *a, const char *report_path,
                  const qmanifest_item *mi, qsha256_ctx *c, const char ***paths,
                  size_t *npaths);
/* --since path, in two halves, so that the published PDF is hashed on a
 * worker while the changed reports are checked.  qsince_begin reads the
 * manifest (errors in d: NULL then, nothing taken), starts the PDF's hash
 * and takes each item not read yet whose listed files hash now as m
 * records (qpack_item_take, marked the same).  qsince_end (always called
 * after a begin that did not fail; frees q) waits for the hash: 0 when
 * the manifest belongs to the PDF and is of p's meeting, else -1 with
 * the error in d (then what was taken must not be used, and what was
 * said since the begin is not to be given). */
typedef struct qsince qsince;
qsince *qsince_begin(const quorum_engine *e, quorum_pack *p, const char *path, qmanifest *m,
                     const char **pdf, const char **man, quorum_diags *d);
int qsince_end(qsince *q, quorum_pack *p, quorum_diags *d);
/* Items taken unread (pack.c, for pack_since.c and pack_cache.c).  Item
 * i when it is a report not read yet (cached: not to follow; else: from
 * the file system, not a resolver's): 1 with its key, number and path
 * and its agenda text hashed into text (the start of its hash), strings
 * in a; it only reads p, so any thread may ask.  0 for any other item. */
typedef struct qpack_unread {
    const char *key, *number, *path;
    qsha256_ctx text;
} qpack_unread;
int qpack_item_unread(const quorum_pack *p, size_t i, int cached, qarena *a, qpack_unread *u);
/* Item i taken as read without reading it: its hash, the paths its files
 * have now and their list (a manifest's or a cache entry's, living as
 * long as p); same: --since found it as published (neither read nor
 * checked again).  On the pack's thread. */
void qpack_item_take(quorum_pack *p, size_t i, const unsigned char hash[32], const char **paths,
                     size_t n, const qmanifest_file *files, size_t nfiles, int same);
/* The pack's arena (what the pack keeps lives there). */
qarena *qpack_arena(quorum_pack *p);

/* ---- the cache of reports' layouts (pack_cache.c) ---- */
struct qstyle;
struct qfonts;
typedef struct qpack_cache qpack_cache;
/* Entries larger than this are neither written nor read. */
#define QPACK_CACHE_MAX ((size_t)256 << 20)
/* Entries put wait in memory for the pack up to this many bytes; more
 * are not stored this run. */
#define QPACK_CACHE_STAGED ((size_t)32 << 20)
/* The cache in the folder dir (made when the first entry is written) for
 * layouts in style with fonts (its faces are read, their bytes keyed) and
 * context (what else the pack's layouts depend on: its language). */
qpack_cache *qpack_cache_open(const quorum_engine *e, const char *dir,
                              const struct qstyle *style, struct qfonts *fonts,
                              const char *context);
/* An entry taken from the cache: its layout, the item's hash, the paths
 * of its files (in the caller's arena) and their list (the manifest's). */
typedef struct qpack_cached {
    struct qdlist *dl;
    unsigned char hash[32];
    const char **paths;
    size_t npaths;
    const qmanifest_file *files;
    size_t nfiles;
    const struct qpack_said *said; /* what its report said (pack_said.c), or NULL */
} qpack_cached;
/* The layout of the item keyed item_key numbered number, whose report is
 * at report_path, when its entry is whole and this item's and the files
 * it lists hash now, after text (the item's agenda text, qsince_rehash),
 * as they did: 0 and *out (the list read back with fonts, taken either
 * way).  -1 for no entry, or one not to be used (damaged, cut, foreign,
 * another version, its files changed). */
int qpack_cache_get(qpack_cache *c, qarena *a, const char *item_key, const char *number,
                    const char *report_path, const qsha256_ctx *text, struct qfonts *fonts,
                    qpack_cached *out);
/* Keeps dl, the layout of that item whose hash covers files, serialized
 * in memory for qpack_cache_commit, with what its read, check and layout
 * said (said, a fork of the pack's list, the first nchecked the check's;
 * NULL: nothing); nothing is kept when it said an error. */
void qpack_cache_put(qpack_cache *c, const char *item_key, const char *number,
                     const unsigned char hash[32], const qmanifest_file *files, size_t nfiles,
                     const struct qdlist *dl, const quorum_diags *said, size_t nchecked);
/* Says again, at the report's turn, what the report of the j-th item
 * qpack_cache_take took said: the check's words in check, the
 * layout's in layout, as a clean build would. */
void qpack_cache_say(const qpack_cache *c, size_t j, quorum_diags *check, quorum_diags *layout);
/* The drawn pages (pdf_report_io.c) kept beside the j-th item's entry
 * that qpack_cache_take took, whole and drawn from that layout (the
 * caller compares their start page and options with the build's), taken
 * (the caller frees them); NULL when there are none. */
struct qpdf_report;
struct qpdf_report *qpack_cache_drawn(qpack_cache *c, size_t j);
/* 1 when the j-th hit's list (qpack_cache_take's) is its entry's
 * records only (no page items: qdlist_serialize_records), taken with its
 * drawn pages, which are then all it needs unless they were drawn at
 * another start page or with other options; *sources (may be NULL) 1 when
 * its sources' bytes are there (PDF/A-3 attaches them). */
int qpack_cache_records(const qpack_cache *c, size_t j, int *sources);
/* The whole layout of such a hit, read from its entry, with fonts
 * (taken); NULL when that entry is not the one its records were written
 * beside, or not whole (the caller lays the report out again). */
struct qdlist *qpack_cache_whole(qpack_cache *c, size_t j, struct qfonts *fonts);
/* The j-th item's entry key, once qpack_cache_probe looked it up
 * (NULL: not looked up); read by the probe's worker, or after the probe. */
const unsigned char *qpack_cache_key(const qpack_cache *c, size_t j);
/* Keeps b (n bytes, qpdf_report_serialize's under that key; taken, NULL
 * for none) as the j-th item's drawn pages, for qpack_cache_commit, when
 * its entry is one this run keeps. */
void qpack_cache_put_drawn(qpack_cache *c, size_t j, unsigned char *b, size_t n);
/* Where the write catches job j's elements' object streams for its
 * entry (HASH.qos, staged by qpack_cache_commit unless the entry's own
 * were used unchanged), or NULL when j has no entry; the cache's. */
struct qpdf_ostms *qpack_cache_catch(qpack_cache *c, size_t j);
/* The pack's own streams of the last build (its parent tree's leaves and
 * the save's object streams, one entry of the cache's: qhpdf_pack_streams)
 * or NULL (none, damaged, foreign); and this build's (taken: streams,
 * each of them given back; expect, the last build's count), staged for
 * qpack_cache_commit unless every one was the last build's. */
struct qpdf_ostms *qpack_cache_pack_streams(qpack_cache *c);
void qpack_cache_keep_pack_streams(qpack_cache *c, struct qpdf_ostms *s);

/* A report's diagnostics in its cache entry (pack_said.c), valid only
 * with the meeting files hashed to mkey. */
typedef struct qpack_said qpack_said;
/* Writes them to f: 0, or -1 (f then to be thrown away) when they cannot
 * be kept: an error among them, a source line that is not one line. */
int qpack_said_write(FILE *f, const quorum_diags *d, size_t nchecked,
                     const unsigned char mkey[32]);
/* Reads b[0..n) into a: 0 and *out, or -1 when damaged or of another
 * meeting (mkey). */
int qpack_said_read(qarena *a, const unsigned char *b, size_t n, const unsigned char mkey[32],
                    const qpack_said **out);
size_t qpack_said_count(const qpack_said *s);
void qpack_said_replay(const qpack_said *s, quorum_diags *check, quorum_diags *layout);
/* Writes the entries put (each atomically), after the pack they belong
 * to is written, then prunes: 0, or the first errno value (the cache is
 * then without those entries, and not pruned; nothing else is lost). */
int qpack_cache_commit(qpack_cache *c);
/* Removes the entries this run neither read nor wrote (stale layouts),
 * and nothing else in the folder. */
void qpack_cache_prune(qpack_cache *c);
void qpack_cache_close(qpack_cache *c);
struct qpack_l;
/* The cache of p's report layouts in dir (qpack_cache_open), keyed by
 * pl's style, fonts and language and the meeting's date and body. */
qpack_cache *qpack_cache_for(const quorum_engine *e, quorum_pack *p, const char *dir,
                             const struct qpack_l *pl);
/* The layouts of items which[0..n) from c, looked up on the pool's
 * workers as the layout goes (a window ahead of the pack's thread, so a
 * rebuild holds a few hits, not all of them, and the changed reports are
 * laid out beside the hits' reading): before the pool starts, c's room
 * for n lookups of p's items with pl's fonts (records: a hit's records
 * may stand for its layout, when its pages are drawn apart); c NULL:
 * nothing. */
void qpack_cache_probe_begin(qpack_cache *c, const quorum_pack *p, const size_t *which,
                             size_t n, const struct qpack_l *pl, int records);
/* On a worker: looks the j-th item up (reads p and the files only), 1
 * for a hit, 0 for a miss (its entry's key is then known to
 * qpack_cache_key, for its drawing to be kept). */
int qpack_cache_probe(qpack_cache *c, size_t j);
/* On the pack's thread, in agenda order, once probe j is done: its hit's
 * list (the item then taken as read, qpack_item_take), or NULL. */
struct qdlist *qpack_cache_take(qpack_cache *c, quorum_pack *p, size_t j);
/* The most hits held at once (looked up, not yet taken) by the last
 * cache closed that looked any up. */
size_t qpack_cache_held_peak(void);

/* quorum_pack_load of a meeting file's bytes (copied; name stands for its
 * path, in diagnostics and in the pack's source paths), whose reports
 * come from fn, asked for by their report="…" name, as do their
 * appendices and images (quorum_resolve_fn: what fn gives, the loader
 * frees).  Nothing is read from the file system (but the style's files).
 * For the fuzz harness tests/fuzz/fuzz_meeting.c. */
quorum_pack *qpack_load_memory(const quorum_engine *e, const char *data,
                               size_t len, const char *name,
                               quorum_resolve_fn fn, void *ctx,
                               quorum_diags *d);

/* A warning at report= (ra) when the report it names is under another
 * law= than its meeting (check_meeting.c). */
void qmeeting_check_law(const quorum_doc *meeting, const quorum_doc *report,
                        const qattr *ra, quorum_diags *d);

/* The checks of check.c that apply to any document (unknown elements,
 * duplicate ids, characters the fonts lack); for qmeeting_check. */
void qcheck_common(const quorum_engine *e, const quorum_doc *doc,
                   const quorum_options *opt, quorum_diags *d);

/* "19:00" -> "7.00 pm", "12:00" -> "12.00 noon" (in a); text that is not
 * a time as it is.  The agenda and the site print times with it. */
const char *qmeeting_clock_time(qarena *a, const char *hm);
/* exempt-paragraph="3" -> "paragraph 3", "1 2" -> "paragraphs 1 and 2",
 * in w's words. */
const char *qmeeting_exempt_words(qarena *a, const qw_words *w, const char *paras);
/* "This report is not for publication by virtue of paragraph 3 of Part 1
 * of Schedule 12A ...: what it covers." (in a), under the meeting's law:
 * the exempt item's page of the pack and its entry on the site say it in
 * these words. */
const char *qmeeting_exempt_sentence(qarena *a, const qw_words *w, qdoc_law law,
                                     const char *paras);
/* The law's statute ("Part 1 of Schedule 12A to …"), and the exclusion of
 * the public the agenda prints before the first exempt item, in w's
 * words.  A meeting's law= naming none reads as England's (the check
 * refuses it first). */
const char *qmeeting_schedule(const qw_words *w, qdoc_law law);
const char *qmeeting_exclusion(qarena *a, const qw_words *w, qdoc_law law);
qdoc_law qmeeting_law(const quorum_doc *meeting);

/* ---- PDFs from elsewhere in a pack's reports (pack_pdfs.c) ---- */
/* A report's PDF appendices as the pack keeps them from the report's
 * first read (qpack_pdfs_take: the document borrows them from then on),
 * so that each is read and inspected once however often the report is
 * read, later reads (qload_pdfs) lay out the bytes the item's hash
 * covers, and the archive check and the untagged note outlive the
 * document.  Names are copied into the pack's arena. */
typedef struct qpack_pdfs {
    qdoc_pdf *pdf; /* malloc'd, with their bytes and inspection */
    qpos *at;      /* where each href stands */
    size_t n;
} qpack_pdfs;
void qpack_pdfs_take(qarena *a, qpack_pdfs *out, quorum_doc *doc);
void qpack_pdfs_free(qpack_pdfs *p);
/* The untagged PDFs of a pack, items and appendices, summed up in one
 * note after the last of their warnings: "2 PDFs are not tagged
 * (scan.pdf, audit.pdf (appendix of item 9)): the pack is not fully
 * accessible" ("PDF item" when no appendix is among them).  {0} to start;
 * item: the number of the item whose report has the appendix name, NULL
 * for a PDF item. */
typedef struct qpack_untagged {
    const char *list;
    size_t n, appendices;
    qpos last;
} qpack_untagged;
void qpack_untagged_add(qarena *a, qpack_untagged *u, const char *name, const char *item,
                        qpos at);
void qpack_untagged_note(const qpack_untagged *u, quorum_diags *d);

/* ---- the agenda, for the site writer (src/html) ---- */
typedef struct qpack_item {
    const qnode *node;                  /* the <item> */
    const char *number, *title, *id;
    const char *exempt;                 /* exempt-paragraph=, or NULL */
    const char *path;                   /* its public report's file, or NULL */
    int late;
    const char *published;              /* published= of a late item */
    const unsigned char *hash;          /* SHA-256 of its text and sources
                                           (the manifest's), NULL before
                                           its report was read */
    int loaded;                         /* its report was read and loaded */
} qpack_item;
/* quorum_pack_write with its PDF made already with opt (pdf[0..pdf_len),
 * from quorum_layout_write_pdf_memory of l): not made twice. */
quorum_status qpack_write_made(const quorum_pack *p, const quorum_layout *l,
                               const char *pdf_path, const quorum_pdf_options *opt,
                               const void *pdf, size_t pdf_len, quorum_diags *d);
size_t qpack_item_count(const quorum_pack *p);
void qpack_item_get(const quorum_pack *p, size_t i, qpack_item *out);
const quorum_doc *qpack_meeting(const quorum_pack *p);
/* Called on the worker thread that laid out item i's report, right after
 * (so the reports' work runs on the pool too), with the report and its
 * layout as it will stand in the pack (alone: before the pack splices it
 * in, and before its pages are drawn with quorum_pack_options.draw; not
 * to be kept); its diagnostics go into d, which the pack gives after that
 * report's own, in agenda order.  Then called again on that thread with
 * doc, alone and d NULL once the pack has what it needs of the report
 * (its pages drawn, when they are drawn on the workers): what is left
 * of the caller's work goes there, beside the pack's writer, with
 * diagnostics of its own.  It may write only what is item i's. */
typedef void (*qpack_work_fn)(void *ctx, size_t i, const quorum_doc *doc,
                              const struct qdlist *alone, quorum_diags *d);
/* The report's own layout (quorum_doc_layout's, with style and font_dir)
 * made from alone, the layout of it a pack made (the ctx above), with
 * nothing laid out again: its structure, bookmarks and metadata the
 * report's, the pack's label left out (pack_own.c says what differs and
 * how).  It owns all it holds, so it outlives alone.  NULL when it cannot
 * be made so (a report in another language than the pack's, a heading
 * six levels down): the caller lays the report out.  Any thread. */
quorum_layout *qpl_own_layout(const quorum_engine *e, const struct qstyle *style,
                              const char *font_dir, const struct qdlist *alone,
                              const quorum_doc *doc, quorum_diags *d);
/* quorum_pack_layout that hands each report to work (on the pool; NULL
 * for none), so a caller that makes more of a report (publish: its page
 * and PDF) reads it once for both.  work is called only for a report laid
 * out by a worker (not one taken from the cache, nor one whose layout
 * failed): the caller makes the rest itself. */
quorum_layout *qpack_layout_visit(const quorum_engine *e, quorum_pack *p,
                                  const quorum_pack_options *opt, qpack_work_fn work,
                                  void *ctx, quorum_diags *d);
/* Item i's report, read again (its diagnostics were given by the first
 * read, as for a layout); NULL for an exempt item or one without a
 * report, or when it cannot be read.  The caller frees it. */
quorum_doc *qpack_item_open(const quorum_engine *e, quorum_pack *p, size_t i,
                            quorum_diags *d);
/* qpack_item_open of a report read before (its hash known), which writes
 * nothing in p, so several threads may read p's reports at once; NULL
 * for any other item. */
quorum_doc *qpack_item_read(const quorum_engine *e, const quorum_pack *p, size_t i,
                            quorum_diags *d);
/* The threads p's reports may be read on: the engine's jobs, one when a
 * resolver supplies them. */
unsigned qpack_threads(const quorum_engine *e, const quorum_pack *p);

/* ---- the layout's jobs on the worker pool (pack_draw.c) ----
 * One report of a pack on the worker pool: read (the first time, with
 * the check when the layout checks) and laid out alone, for the thread
 * that makes the pack to take in agenda order (qpack_layout_visit). */
typedef struct qpack_draw qpack_draw;
typedef struct pjob {
    quorum_doc *doc;
    struct qdlist *dl;
    struct qdlist *hit;     /* its layout from the cache: no job then */
    /* a fork of the caller's (so the meeting's positions hold in it and
     * the report's in the caller's): the read's and the check's first,
     * the layout's from nchecked on */
    quorum_diags *d;
    size_t nchecked;
} pjob;

typedef struct playout {
    const quorum_engine *eng;
    const quorum_pack *p;
    const struct qpack_l *pl; /* NULL: check only (the pack cannot be made) */
    const struct qpack_entry *e;
    const size_t *which;
    const quorum_options *copt;
    int together;
    pjob *jobs;
    unsigned char *kind;   /* per entry: JOB_* */
    qpack_work_fn work;    /* the caller's, on the worker (qpack_layout_visit) */
    void *ctx;
    qpack_draw *draw;      /* the reports' pages drawn on the workers, or NULL */
    struct qpack_stream *stream; /* the writer beside the layout, or NULL */
    qpack_cache *cache;    /* the pack's cache, or NULL (qpd_cache) */
} playout;

/* JOB_PROBE: looked up in the pack's cache first (qpack_cache_probe), a
 * hit's job ending there */
enum { JOB_NONE = 0, JOB_READ = 1, JOB_LAY_OUT = 2, JOB_FIRST = 4, JOB_PROBE = 8 };

/* The pool's function: job j of the playout ctx. */
void qpack_job(void *ctx, size_t j);
void qpack_job_free(pjob *J);
/* The memory the workers freed given back, when they read enough of the
 * n jobs' reports (w->kind: each job's JOB_*) for it to pay
 * (qmem_trim_after), and the pack's thread has a use for it. */
void qpack_trim(const playout *w, size_t n);
/* Item i's report read (first: its first read), or kept when not NULL (the
 * tree --since's check read, taken over), and, with check, checked (errors
 * added to *errors); reads p only (pack.c). */
quorum_doc *qpack_job_read(const quorum_engine *e, const quorum_pack *p, size_t i, int first,
                          int check, const quorum_options *opt, size_t *errors,
                          quorum_doc *kept, quorum_diags *d);

/* ---- reports drawn on the workers that laid them out (pack_draw.c) ----
 * quorum_pack_options.draw: the worker of job j says it is laid out
 * (qpd_laid_out, dl NULL when it failed) and waits for its start page;
 * the pack's thread, in agenda order, waits for that (qpd_wait_laid_out),
 * reserves its pages (qpl_reserve) and gives the start (qpd_start; -1:
 * not drawn there), then takes the drawn pages after the job (qpd_take).
 * qpd_stop_all gives -1 to every job not started, before the pool stops. */
struct quorum_pdf_options;
struct qpdf_drawn;
struct qpdf_report;
struct qpack_l;
struct qdlist;
qpack_draw *qpd_new(size_t n, const struct quorum_pdf_options *o, const struct qpack_l *pl);
/* The cache (or NULL) hits come from and the reports' drawn pages are
 * kept in (deflated on their worker then, serialized there), for the n
 * jobs of w, whose first reads are then looked up in it first
 * (JOB_PROBE); before the pool starts. */
void qpd_cache(playout *w, qpack_cache *c, size_t n);
/* The pool's read-ahead for w on threads: a clean build's (threads), and
 * with drawn pages from the cache QPACK_HIT_AHEAD more, for lookups only
 * (a report to lay out waits to be within threads of the pack's thread). */
#define QPACK_HIT_AHEAD 4
size_t qpd_ahead(const playout *w, unsigned threads);
/* On the pack's thread, first at item j, in order: job j's lookup waited
 * for and taken (qpack_cache_take); a hit becomes w's jobs[j].hit, its
 * kind JOB_NONE. */
void qpack_probe_take(playout *w, quorum_pack *p, struct qpool *pool, size_t j);
void qpd_free(qpack_draw *s);
struct qpdf_drawn *qpd_drawn_new(const qpack_draw *s);
/* dlp: the job's list, freed (and NULL) once drawn; raw_ok 0: its pages
 * deflated here, never left raw for the write's deflate thread. */
void qpd_laid_out(qpack_draw *s, size_t j, struct qdlist **dlp, int raw_ok);
void qpd_wait_laid_out(qpack_draw *s, size_t j);
void qpd_start(qpack_draw *s, size_t j, int page0);
void qpd_stop_all(qpack_draw *s);
struct qpdf_report *qpd_take(qpack_draw *s, size_t j);
/* Job j laid out (qpd_wait_laid_out): its pages reserved, its records
 * copied into the pack (qpl_records_at) and its start given, -1 when
 * that failed (0 or -1). */
int qpack_reserve_drawn(playout *w, struct qpack_l *pl, struct qpack_entry *e, size_t j);
/* Job j's layout taken from the cache (its pjob's hit): spliced when
 * the pages are not drawn apart (w->draw NULL); else its pages reserved
 * and its records copied as qpack_reserve_drawn does, then its drawn
 * pages from the cache when they were drawn at this start page for
 * these options, or drawn here now (and kept in the cache), for
 * qpack_take_drawn to add in agenda order.  Takes the hit; 0 or -1. */
int qpack_hit_drawn(playout *w, struct qpack_l *pl, struct qpack_entry *e, size_t j);
/* Job i done (qpool_wait); a report whose pages were reserved has its
 * drawn pages added to drawn (its items put in its pages when its
 * drawing failed, for the writer to draw). */
void qpack_take_drawn(playout *w, struct qpool *pool, struct qpack_l *pl,
                      struct qpdf_drawn *drawn, size_t i);
/* Job j: done drawing (its drawn pages may be taken). */
int qpd_done(qpack_draw *s, size_t j);
/* The most reports alive at once (begun, not yet placed) in the last
 * pack whose reports were drawn on workers: what a test reads to see
 * the writer beside the layout keep memory flat. */
size_t qpack_alive_peak(void);

/* ---- the writer beside the layout (pack_draw.c; issue 18, step 3) ----
 * quorum_pack_options.draw_to: the pack's thread places each unit of
 * pages as it becomes final (a report's once its worker drew it) while
 * the workers go on, and saves once the layout ends, into a temporary
 * file beside the target that quorum_pack_write commits with the
 * manifest.  Not for archive copies (saved whole) or packs with PDF
 * items (placed into the saved file). */
typedef struct qpack_stream qpack_stream;
/* Reports placed behind the last one the pool may start, at least. */
#define QPACK_READ_AHEAD 2
struct qatomic;
/* NULL when the output is not streamed (the write makes it whole).  c
 * (may be NULL): the cache its own streams (parent tree leaves, the
 * save's object streams) are looked up in and kept in. */
qpack_stream *qps_begin(const struct qdlist *dl, const struct quorum_pdf_options *o,
                        const char *path, qpack_cache *c, quorum_diags *d);
void qps_free(qpack_stream *ws);
/* The pack's streamed output given up, its temporary file removed (a site
 * that failed removes the folder it made). */
void qpack_stream_drop(quorum_pack *p);
/* Job j's pages were reserved as the pack's last unit (qpack_reserve_drawn). */
void qps_note(qpack_stream *ws, size_t j);
/* Places the units that are final, in order; block: waiting for every
 * reserved job below upto to be drawn. */
void qps_pump(playout *w, struct qpool *pool, struct qpack_l *pl, size_t upto, int block);
/* qpd_wait_laid_out, placing what is ready while it waits. */
void qps_wait_laid_out(playout *w, struct qpool *pool, struct qpack_l *pl, size_t j);
/* The read-ahead's bound, before the pool may start the next report
 * after j (qpool_release(j)). */
void qps_bound(playout *w, struct qpool *pool, struct qpack_l *pl, size_t j);
/* The late units and the save (the layout is finished): 0, or -1. */
int qps_end(qpack_stream *ws);
/* The layout's end (out made): the late units and the save, the stream
 * kept in *kept for the write, the drawn pages counted as written. */
void qps_finish(playout *w, struct qpdf_drawn *drawn, qpack_stream **kept);
/* For the write to path with o: the saved file in *made (taken), the
 * writer's diagnostics added to d.  QUORUM_OK (*made NULL: ws NULL, the
 * write makes the file), IO_ERROR (the save failed, said) or USAGE
 * (another path or options, or taken before). */
quorum_status qps_take_file(qpack_stream *ws, const char *path,
                            const struct quorum_pdf_options *o, struct qatomic **made,
                            quorum_diags *d);

/* ---- the check on the pool (pack_check.c) ---- */
/* An item's hash and the files it covers (qpack_item_hash). */
typedef struct qpack_hashed {
    unsigned char hash[32];
    const qmanifest_file *files;
    size_t nfiles;
    int listed;
} qpack_hashed;
/* quorum_pack_check on the engine's threads: each report's first read,
 * hash and check on a worker, then check(ctx, i, doc, hash) there with
 * the report checked without an error (publish makes its page from it);
 * the calling thread takes them in agenda order, so the diagnostics and
 * their order are those of one thread.  Returns the errors added. */
typedef void (*qpack_checked_fn)(void *ctx, size_t i, const quorum_doc *doc,
                                 const unsigned char hash[32]);
size_t qpack_check_visit(const quorum_engine *e, quorum_pack *p, const quorum_options *opt,
                         qpack_checked_fn checked, void *ctx, quorum_diags *d);
/* The pieces it uses (pack.c).  Whether item i's report is read for the
 * first time by the check; that read (reading p only) with its check
 * (scratch in a, errors added to *errors), NULL when it does not load. */
int qpack_item_first_read(const quorum_pack *p, size_t i);
quorum_doc *qpack_item_read_check(const quorum_engine *e, const quorum_pack *p, size_t i,
                                  qarena *a, const quorum_options *opt, size_t *errors,
                                  quorum_diags *d);
/* Item i's hash and files from its report doc (NULL: none), in a, on
 * any thread: what its first read fixes. */
void qpack_item_hash(const quorum_pack *p, size_t i, const quorum_doc *doc, qarena *a,
                     qpack_hashed *h);
/* Item i was read (doc NULL: it did not load): its hash and files are h
 * (NULL: found here), in ha (adopted by the pack; NULL for none). */
void qpack_item_noted(quorum_pack *p, size_t i, quorum_doc *doc, const qpack_hashed *h,
                      qarena *ha);
/* Any other item's check, on the calling thread; and the summary of the
 * untagged PDFs that ends the check. */
void qpack_item_check_here(const quorum_engine *e, quorum_pack *p, size_t i,
                           const quorum_options *opt, size_t *errors, quorum_diags *d);
void qpack_check_summary(const quorum_pack *p, quorum_diags *d);
/* Takes doc, item i's report as its check read it, for the layout when
 * it is of an item the supplement being made (--since) will hold: 1 then
 * (the pack frees it), else 0 (the caller does). */
int qpack_item_keep(quorum_pack *p, size_t i, quorum_doc *doc);
#endif
