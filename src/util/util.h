/* The util folder's internal interface: what every stage may use and
 * nothing stage-specific: arenas, diagnostics, the atomic writer, the
 * file reader, the compiled-in files, lengths, MD5, SHA-256, UTF-8,
 * JSON, dates, resource folders and library versions.  One header, one
 * section per source file. */
#ifndef QUORUM_UTIL_H
#define QUORUM_UTIL_H
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include "quorum.h"

/* ==== arena =========================================================== */
/* Bump allocator: one arena per pipeline stage (load, layout, device), freed
 * as a whole.  Stages never free individual objects, so there is no per-node
 * or per-glyph malloc on the hot path.
 *
 * Out of memory: like cmark, quorum treats allocation failure as fatal and
 * aborts with a message; callers never see NULL from these functions. */
typedef struct qarena qarena;

/* A malloc'd array of elem-byte items grown (doubling) to hold need of
 * them; *cap is its capacity in items.  For arrays that outlive an arena's
 * stage or shrink and grow often.  Aborts on exhaustion like the arena. */
void *qgrow(void *p, size_t *cap, size_t need, size_t elem);

/* A growing string (str.c), always NUL-terminated once written to; {0}
 * is empty.  The one builder of the writers that make text whole (the
 * HTML device, Word import); each keeps its own escaper.  Aborts on
 * exhaustion like the arena; qstr_free releases s. */
typedef struct qstr {
    char *s;
    size_t len, cap;
} qstr;
void qstr_put(qstr *b, const char *s, size_t n);
void qstr_puts(qstr *b, const char *s);
void qstr_printf(qstr *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qstr_free(qstr *b);
/* Room for n bytes more, so that a text whose size is known roughly is
 * not copied at each doubling on its way there. */
void qstr_reserve(qstr *b, size_t n);

qarena *qarena_new(size_t chunk_size);   /* chunk_size 0 = 64 KiB default */
void qarena_free(qarena *a);              /* NULL is fine */
void *qarena_alloc(qarena *a, size_t n);  /* zeroed, 16-byte aligned */
void *qarena_alloc_uninit(qarena *a, size_t n); /* the same, not zeroed */
char *qarena_strndup(qarena *a, const char *s, size_t n); /* NUL-terminated */
char *qarena_strdup(qarena *a, const char *s);
/* x then y, joined: what qarena_printf("%s%s") gives, without its
 * formatting (numbers and labels are joined thousands of times a pack) */
char *qarena_cat(qarena *a, const char *x, const char *y);
char *qarena_printf(qarena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *qarena_vprintf(qarena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
size_t qarena_used(const qarena *a);      /* bytes handed out, for benchmarks */
/* fn(p) when a is freed (the last registered first): for what an arena's
 * objects hold outside it (a shared image). */
void qarena_defer(qarena *a, void (*fn)(void *), void *p);
/* Moves everything src holds (its blocks and what it defers) into dst
 * and frees src: what was allocated in src stays where it is, now freed
 * with dst.  dst keeps filling its own current block. */
void qarena_adopt(qarena *dst, qarena *src);
/* Frees the block at p now, when it is one with a chunk of its own (a
 * large vector's storage, copied elsewhere); else does nothing. */
void qarena_release(qarena *a, void *p);

/* Work done item by item on worker threads and used in order: fn(ctx, i)
 * for each i < n, in increasing i, at most `ahead` items beyond the last
 * one waited for (each may hold much until it is used).  threads <= 1
 * (or a thread that cannot be made) leaves the work to qpool_wait, on
 * the caller's thread.  fn runs on any thread: what it writes for item
 * i the caller may read once qpool_wait(p, i) returns. */
typedef struct qpool qpool;
qpool *qpool_start(unsigned threads, size_t n, size_t ahead,
                   void (*fn)(void *ctx, size_t i), void *ctx);
/* Returns once fn(ctx, i) has returned (running it here when no worker
 * has taken it).  Calls go in increasing i. */
void qpool_wait(qpool *p, size_t i);
/* Counts item i as used for the window (workers may take items up to
 * i + ahead) without waiting for it: for a caller whose items finish
 * their work after it has taken what it needs of them (a pack's reports
 * drawn after their start page is given).  Calls go in increasing i;
 * qpool_wait(p, i) may still follow. */
void qpool_release(qpool *p, size_t i);
/* The worker threads p has (0: the caller does every item). */
unsigned qpool_workers(const qpool *p);
/* Stops the workers (items not taken are not done) and frees p. */
void qpool_finish(qpool *p);
/* Work handed over to threads of its own (queue.c): fn(ctx, i) for each i
 * given to qqueue_put, taken in the order given by one of `threads`
 * threads started here.  At most cap items wait to be taken (each may
 * hold much until it is done): qqueue_put waits for room, never for the
 * work.  NULL when no thread could be made (the caller does the work
 * then).  fn runs on the queue's threads: what it writes for item i the
 * caller may read once qqueue_finish has returned. */
typedef struct qqueue qqueue;
qqueue *qqueue_start(unsigned threads, size_t cap, void (*fn)(void *ctx, size_t i),
                     void *ctx);
/* Any thread, while the queue runs. */
void qqueue_put(qqueue *q, size_t i);
/* Returns once every item put is done; the threads joined, q freed
 * (NULL: nothing). */
void qqueue_finish(qqueue *q);
/* Gives the memory freed so far back to the system (after a pool's
 * work, whose threads kept what they freed). */
void qmem_trim(void);
/* The same after a pool read and laid out `reports` reports, when they
 * were enough for it to pay (QMEM_TRIM_REPORTS). */
#define QMEM_TRIM_REPORTS 4
void qmem_trim_after(size_t reports);

/* Growable array of fixed-size elements whose storage lives in an arena.
 * Growth copies into a new arena block (the old one is simply abandoned):
 * cheap because arrays double. */
typedef struct qvec {
    void *data;
    size_t len, cap, elem;
} qvec;
void qvec_init(qvec *v, size_t elem_size);
void *qvec_push(qarena *a, qvec *v);      /* returns zeroed slot */
#define QVEC_AT(v, T, i) (((T *)(v)->data)[i])

/* Asks for the pages of fresh memory that will all be written, in one
 * call rather than a page fault each (arena.c says why). */
void qmem_populate(void *p, size_t n);

/* Abort with a message; used for allocation failure only. */
_Noreturn void qfatal_oom(void);

/* ==== diag ============================================================ */
/* Diagnostics are data: every stage appends to one list, nothing is printed
 * until the caller decides how (text or JSON).  Positions are 1-based line
 * and column (column counted in Unicode characters), in the file where the
 * offending element or attribute stands. */
typedef struct qpos {
    unsigned file;   /* index into the diag list's file table; 0 = none */
    unsigned line;   /* 0 = unknown */
    unsigned col;    /* 0 = unknown */
} qpos;

/* Register a file name; returns its index (>= 1).  Same name -> same index. */
unsigned qdiag_file(quorum_diags *d, const char *path);
const char *qdiag_file_name(const quorum_diags *d, unsigned file);

/* Keeps a copy of a file's bytes (and its line starts, lines[0] = 0)
 * for the source lines quorum_diags_write shows: a loader calls it for
 * every XML file it reads.  Once per file: a second call (the same file
 * read again) keeps the first copy. */
void qdiag_file_source(quorum_diags *d, unsigned file,
                       const unsigned char *bytes, size_t len,
                       const size_t *lines, size_t nlines);
/* Line `line` (1-based) of a file kept so, without its line end (and
 * a byte order mark): 0, or -1 when there is no such line or copy. */
int qdiag_source_line(const quorum_diags *d, unsigned file, unsigned line,
                      const char **text, size_t *len);
/* Line `line` of a file of which d keeps no copy, as qdiag_source_line
 * will give it: a pack cache's diagnostics replayed without their files'
 * bytes.  A copy, when one comes, is used instead. */
void qdiag_file_line(quorum_diags *d, unsigned file, unsigned line, const char *text,
                     size_t len);
/* Files named in d (indices 1..count), and how many of the first were
 * its parent's when d is a fork (qdiag_fork), else 0. */
size_t qdiag_file_count(const quorum_diags *d);
size_t qdiag_forked_files(const quorum_diags *d);
/* The file index (qpos.file) of diagnostic i; 0 = none. */
unsigned qdiag_file_index(const quorum_diags *d, size_t i);

/* A diagnostic of class QUORUM_CLASS_INPUT. */
void qdiag_add(quorum_diags *d, quorum_severity sev, qpos pos,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Of another class (quorum.h): an unreadable file is IO, a file over a
 * limit LIMIT, a call that cannot be served USAGE. */
void qdiag_add_class(quorum_diags *d, quorum_class cls, quorum_severity sev,
                     qpos pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Adds every diagnostic of from to the end of to, in from's order (a
 * stage that may be thrown away says its diagnostics only if it is kept). */
void qdiag_append(quorum_diags *to, const quorum_diags *from);
/* Diagnostics first..last (in order of addition) of from appended to to
 * as if they had been added there: from's files named in to first, in
 * from's order (diagnostics sort by the order their files were named),
 * with their source lines. */
void qdiag_append_range(quorum_diags *to, const quorum_diags *from, size_t first,
                        size_t last);
/* A new list whose file table starts as parent's (the same indices), so
 * positions made against parent (a document loaded with it) may be used
 * in it: work on another thread collects its diagnostics there, and
 * qdiag_append gives them to parent.  parent must outlive it. */
quorum_diags *qdiag_fork(const quorum_diags *parent);
/* The usage error "WHAT: no engine" when e is NULL: 1 then, else 0. */
int qdiag_no_engine(const void *e, const char *what, quorum_diags *d);

/* A limit for a message: "32 MiB", or "1000 bytes" when it is not whole
 * MiB.  Returns buf. */
const char *qsize_text(char *buf, size_t n, size_t bytes);

/* ==== atomic ========================================================== */
/* Replacing a file so that it is either the old file or the complete new
 * one, never a mix and never a stub: the bytes go to a temporary file
 * beside the target ("PATH.xxxxxx", same directory so rename is atomic),
 * which is renamed over the target only when every write, the optional
 * fsync and the close succeeded.  On any failure the temporary file is
 * removed and the target is untouched.
 *
 * Durability is the caller's choice (README explains the trade):
 *  QATOMIC_DURABLE   fsync the file before the rename and its directory
 *                    after: archive copies and the pack manifest, records
 *                    that must survive a power cut.
 *  QATOMIC_ORDINARY  no fsync: output that can be made again; an fsync
 *                    costs more than the rest of a small build, and ext4
 *                    (auto_da_alloc), XFS and btrfs order a
 *                    replace-by-rename after the data anyway.
 *
 * A replaced file keeps its permission bits; a new one gets 0666 less the
 * umask, like any file the user creates. */
enum { QATOMIC_ORDINARY = 0, QATOMIC_DURABLE = 1,
       QATOMIC_SHA256 = 2, /* also hash what is written (qatomic_digest) */
       /* hash and write on a thread of the file's own, the caller only
        * copying into its buffers (a failure shows at a later write or
        * the commit); the thread ends with qatomic_digest, read_back,
        * finish, commit or abort, which the caller may not run while
        * another thread writes to it */
       QATOMIC_ASIDE = 4 };

typedef struct qatomic qatomic;

/* Creates the temporary file; flags: a durability, with QATOMIC_SHA256 or
 * not.  NULL with errno set when it cannot, also when what stands at path
 * is a directory (EISDIR) or not a regular file (QFILE_ENOTREG: a FIFO or
 * a device, which the rename would replace by a regular file): name the
 * error with qfile_strerror. */
qatomic *qatomic_open(const char *path, int flags);
/* A sink (same shape as quorum_write_fn): appends n bytes, buffered.
 * Returns 0, or -1 after the first failure (every later call fails too;
 * qatomic_commit then reports it). */
int qatomic_write(void *a, const void *p, size_t n);
/* Finishes: flush, fsync by policy, close, rename.  Returns 0, or an errno
 * value (the first failure, including one from qatomic_write) after
 * removing the temporary file.  Frees a either way. */
int qatomic_commit(qatomic *a);
/* Everything of qatomic_commit but the rename, so that files made on
 * several threads can wait for their commit (or abort) without holding a
 * descriptor each (a site's pages and PDFs).  Returns 0 or the errno value
 * of the first failure; a stays to be committed or aborted. */
int qatomic_finish(qatomic *a);
/* Commits files that belong together (a pack's PDF and its manifest):
 * every one is finished (flush, fsync, close) before any is renamed, so
 * a failure in any leaves every target as it was; then, holding an
 * exclusive lock on "LAST.lock" beside the last target (removed after),
 * they are renamed in order, so runs committing the same targets at once
 * do not mix their files.  Returns 0, or the errno value of the first
 * failure with *failed (may be NULL) its index; files before it in the
 * order may be in place when a rename failed (a reader of the last file
 * must check it names the others as they are).  Frees every a[i]. */
int qatomic_commit_all(qatomic **a, size_t n, size_t *failed);
/* The files a commit replaced, let go on a thread of its own: freeing a
 * replaced file's pages and blocks is the kernel's work at the rename
 * (some 2-4 ms for a pack of 6 MB, issue 18), done there while the
 * caller goes on.  qatomic_commit_all_gone is qatomic_commit_all that
 * first opens each target standing (a regular file, for reading; one
 * that cannot be opened is replaced as before) and, after the renames,
 * closes them on a thread, *gone (NULL when there was none, or no thread
 * could be made: closed here then).  qatomic_gone_wait joins that thread
 * and frees gone (NULL is a no-op); call it once, on any thread. */
typedef struct qatomic_gone qatomic_gone;
int qatomic_commit_all_gone(qatomic **a, size_t n, size_t *failed, qatomic_gone **gone);
void qatomic_gone_wait(qatomic_gone *gone);
/* The errno value of the first failed write so far, or 0. */
int qatomic_error(const qatomic *a);
/* Every byte written so far, read back from the temporary file
 * (malloc'd; NULL after a failure, noted in a): a pack saved beside its
 * layout whose reports turned out to hold pages of PDF appendices, which
 * are placed into the whole file. */
unsigned char *qatomic_read_back(qatomic *a, size_t *n);
/* Under QATOMIC_SHA256: the SHA-256 and the number of the bytes written
 * so far. */
void qatomic_digest(qatomic *a, unsigned char sum[32], unsigned long long *bytes);
/* The target's path as given to qatomic_open. */
const char *qatomic_path(const qatomic *a);
/* Gives up: removes the temporary file and frees a.  NULL is a no-op. */
void qatomic_abort(qatomic *a);
/* The diagnostic "cannot write PATH: why" for a qatomic_open that failed
 * with err, and the status it implies: QUORUM_USAGE (class USAGE) for a
 * directory or a non-regular file standing at path, else I/O. */
quorum_status qatomic_open_error(const char *path, int err, quorum_diags *d);

/* The whole of data[0..n) as the new contents of path.  0 or an errno. */
int qatomic_write_file(const char *path, const void *data, size_t n,
                       int durability);

/* Whether path may receive `what` ("the PDF", "the manifest") made from
 * inputs[0..n) (paths; NULL entries skipped): 0 when nothing stands
 * there or a regular file that is none of the inputs (compared as files,
 * device and inode, so a link or another spelling of an input is caught);
 * else -1 with an error of class USAGE saying why (a directory, a FIFO or
 * device, an input of the run). */
int qatomic_check_target(const char *path, const char *what,
                         const char *const *inputs, size_t n, quorum_diags *d);

/* ==== file ============================================================ */
/* Reading the files quorum is given or an input names.  Every reader
 * opens through here: regular files only (a FIFO, device or directory is
 * refused without blocking), size checked against a cap before any
 * allocation and the read bounded by it. */
enum { QFILE_NOFOLLOW = 1 };           /* refuse a symbolic link (ELOOP) */
#define QFILE_ENOTREG 0x7171          /* errno-like: not a regular file */
#define QFILE_ESHORT 0x7172           /* errno-like: ended before the bytes asked */

/* Opens path for reading.  Returns a descriptor (blocking, close-on-exec)
 * and sets *size (may be NULL), or -errno: ENOENT..., EISDIR,
 * -QFILE_ENOTREG, -EFBIG over max_bytes, -ELOOP for a link under
 * QFILE_NOFOLLOW. */
int qfile_open(const char *path, int flags, size_t max_bytes, size_t *size);
/* The whole file, malloc'd with a NUL after the last byte that *len does
 * not count; the caller frees *out.  Returns 0, or an errno-like value
 * (as qfile_open, and EFBIG when the file grew past max_bytes while being
 * read); *out is NULL then. */
int qfile_read(const char *path, int flags, size_t max_bytes,
               unsigned char **out, size_t *len);
/* n bytes at offset at of a descriptor from qfile_open into buf, for a
 * reader that takes only the parts of a file it needs (a font's tables).
 * Returns 0, QFILE_ESHORT when the file ends before them (it was cut
 * short after it was opened), or the read's errno. */
int qfile_pread(int fd, void *buf, size_t n, size_t at);
/* What is at path, from lstat (nothing is opened, a link is not
 * followed): 0 for a regular file, ELOOP for a symbolic link, EISDIR,
 * QFILE_ENOTREG for anything else, or the errno of lstat (ENOENT...).
 * For files that were read already and must also be plain files where
 * they stand (an archive copy's attachments). */
int qfile_kind(const char *path);
/* A phrase for qfile's error values ("not a regular file", ...). */
const char *qfile_strerror(int err);

/* ==== builtin ========================================================= */
/* Files compiled into the library (CMakeLists.txt, quorum_embed): each is
 * the file's bytes followed by a NUL that the length does not count. */
/* schema/quorum-report-1.xsd: check validates reports with it. */
extern const unsigned char qbuiltin_schema_xsd[];
extern const size_t qbuiltin_schema_xsd_len;
/* data/bank-holidays-england-wales.txt: pack's clear-days rule. */
extern const unsigned char qbuiltin_holidays[];
extern const size_t qbuiltin_holidays_len;
/* data/strings/en.xml and cy.xml: the words quorum writes (src/words). */
extern const unsigned char qbuiltin_strings_en[], qbuiltin_strings_cy[];
extern const size_t qbuiltin_strings_en_len, qbuiltin_strings_cy_len;
/* The sources' fingerprint (cmake/source_id.cmake): 64 hex digits, made
 * at build time, not embedded. */
extern const char qbuiltin_source_id[];

/* ==== length ========================================================== */
/* Lengths as authors write them: "12pt", "5cm", "20mm", "1in", "75px",
 * "40%", "2*" (a star share of what is left).  One parser for the style
 * file, image widths and table columns, so a unit means the same
 * everywhere.  Which forms a caller accepts is its own rule (a style
 * length must carry an absolute unit; a bare column width is a share). */
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

/* Bounds of every length: in points after conversion (PDF's largest page
 * side, 200 in), a percentage, a star share; a bare number is held to the
 * bound of points. */
#define QLEN_MAX_PT 14400
#define QLEN_MAX_PERCENT 100
#define QLEN_MAX_SHARE 1000
#define QLEN_STR_(x) #x
#define QLEN_STR(x) QLEN_STR_(x)

/* Parses s (surrounding spaces allowed) into *out.  Returns NULL, or a
 * sentence saying what is wrong ("no number", "negative length", "unknown
 * unit", "unit not allowed here", or past a bound: "more than 14400pt
 * (...)", "more than 100%", "a share of more than 1000"); *out is
 * untouched then.  Never a NaN or an infinity. */
const char *qlen_parse(const char *s, unsigned allow, qlen *out);
/* 1 when err (from qlen_parse) says the length is well formed but past
 * a bound. */
int qlen_out_of_bounds(const char *err);

/* ==== md5 ============================================================= */
/* MD5 (RFC 1321), for what PDF defines with it: the trailer /ID and an
 * embedded file's /CheckSum.  Not used for anything that needs security. */
typedef struct qmd5_ctx {
    uint32_t a, b, c, d;
    uint64_t len;            /* bytes so far */
    unsigned char buf[64];
    size_t used;
} qmd5_ctx;

void qmd5_init(qmd5_ctx *c);
void qmd5_update(qmd5_ctx *c, const void *data, size_t n);
void qmd5_final(qmd5_ctx *c, unsigned char out[16]);
void qmd5(const void *data, size_t n, unsigned char out[16]);
/* What MD5 and SHA-256 share: their 64-byte blocks and their padding.
 * qhash_feed appends n bytes at data to buf (*used of them filled),
 * calling blk(ctx, block) for each whole block, and keeps the rest in buf;
 * qhash_pad writes the padding for a message of len bytes whose last
 * block holds used, with the bit length big-endian (SHA-256) or little
 * (MD5), and returns its length. */
void qhash_feed(unsigned char buf[64], size_t *used, const void *data, size_t n,
                void (*blk)(void *ctx, const unsigned char *block), void *ctx);
size_t qhash_pad(unsigned char pad[72], size_t used, uint64_t len, int big);

/* ==== sha256 ========================================================== */
/* SHA-256 (FIPS 180-4), for the pack manifest: the hash of each item's
 * sources and of the PDF the manifest belongs to, which must not be
 * forgeable as FNV or MD5 are. */
typedef struct qsha256_ctx {
    uint32_t h[8];
    uint64_t len;            /* bytes so far */
    unsigned char buf[64];
    size_t used;
} qsha256_ctx;

void qsha256_init(qsha256_ctx *c);
void qsha256_update(qsha256_ctx *c, const void *data, size_t n);
void qsha256_final(qsha256_ctx *c, unsigned char out[32]);
/* 64 lowercase hex digits and a NUL. */
void qsha256_hex(const unsigned char sum[32], char out[65]);
/* Whether the CPU's SHA instructions are used (x86-64 with the SHA
 * extensions; the default where there are): on = 0 turns them off, 1
 * back on where the CPU has them (the unit test runs both).  Returns
 * whether they are used now. */
int qsha256_hw(int on);

/* ==== names of files beside another (file.c) =========================== */
/* Whether href names a file in the referring file's own directory: not
 * empty, not absolute, no '\\', no ':' (URLs, drive letters), no "..".
 * With folders, it may also name one in a folder below it ("item-3/
 * report.xml": each part non-empty and not "." or ".."); without, no '/'. */
int qhref_inside(const char *href, int folders);

/* ==== nearest (nearest.c) ============================================== */
/* Of known[0..n), the word nearest to word by edit distance (ASCII case
 * ignored) when it is near enough to be what was meant (at most a third
 * of the longer one's letters wrong, at least one): "did you mean ...?".
 * NULL when none is, or word is empty or over 64 bytes. */
const char *qnearest(const char *word, const char *const *known, size_t n);

/* ==== utf8 ============================================================ */
/* Decode one UTF-8 character at s (len bytes available).  Returns its
 * length (1-4) and sets *cp; returns 0 for an invalid or truncated
 * sequence (then *cp = 0xFFFD). */
int qutf8_decode(const char *s, size_t len, uint32_t *cp);

/* ==== json ============================================================ */
/* The one JSON string writer: s (NULL: null) quoted, with quote,
 * backslash, every control character (C0, DEL, C1) and U+2028/U+2029
 * escaped, and always valid UTF-8 (a byte that starts no valid sequence
 * becomes \ufffd). */
void qjson_put_str(FILE *f, const char *s);

/* A strict parser for JSON that quorum wrote itself (the pack manifest):
 * RFC 8259 exactly, into a tree in an arena.  Strings are valid UTF-8
 * without NUL (\u0000 is refused); an object's member names are
 * distinct and at most QJSON_MAX_MEMBERS; depth and the number of values
 * are bounded by the caller; the work is linear in the input. */
#define QJSON_MAX_MEMBERS 64
typedef enum qjson_type {
    QJ_NULL, QJ_FALSE, QJ_TRUE, QJ_NUMBER, QJ_STRING, QJ_ARRAY, QJ_OBJECT
} qjson_type;

typedef struct qjson {
    qjson_type type;
    const char *key;        /* as an object's member: its name; else NULL */
    const char *str;        /* STRING: decoded, NUL-terminated; NUMBER: as written */
    size_t len;             /* STRING, NUMBER: bytes of str; ARRAY, OBJECT: children */
    struct qjson *child;    /* ARRAY, OBJECT: the first element or member */
    struct qjson *next;     /* the next element or member of the parent */
    size_t off;             /* byte offset in the text (qjson_line_col) */
} qjson;

typedef struct qjson_error {
    const char *msg;        /* a phrase: "expected ',' or '}'" */
    size_t off;
    unsigned line, col;     /* 1-based; col in characters */
} qjson_error;

/* The one value in s[0..n) (whitespace around it allowed), or NULL with
 * *err filled. */
qjson *qjson_parse(qarena *a, const char *s, size_t n, unsigned max_depth,
                   size_t max_nodes, qjson_error *err);
/* obj's member named key, or NULL (also when obj is not an object). */
const qjson *qjson_member(const qjson *obj, const char *key);
/* A whole number 0..max (no sign, fraction or exponent) into *out: 0, or
 * -1 for anything else. */
int qjson_uint(const qjson *v, unsigned long long max, unsigned long long *out);
/* Line and column (in characters) of byte off of s[0..n). */
void qjson_line_col(const char *s, size_t n, size_t off, unsigned *line,
                    unsigned *col);

/* ==== qdate =========================================================== */
/* Calendar dates (no time zones: committee papers deal in days).  Dates
 * are days since 1970-01-01 so that comparisons and differences are plain
 * integer arithmetic. */
/* The one date parser: "YYYY-MM-DD" exactly (four, two and two digits, no
 * leading or trailing text) naming a real day of the Gregorian calendar,
 * any year 0000-9999.  Returns 0 and sets the parts, or -1 for anything
 * else, including 2025-02-29 and NULL. */
int qdate_parse_ymd(const char *s, int *y, int *m, int *d);
/* The same, as days since 1970-01-01. */
int qdate_parse(const char *s, long *days);
void qdate_ymd(long days, int *y, int *m, int *d);
int qdate_weekday(long days); /* 0 = Monday … 6 = Sunday */
/* "8 January 2025" / "Wednesday, 29 January 2025" into buf (>= 40 bytes). */
void qdate_format(long days, int with_weekday, char *buf, size_t n);
/* iso in words as qdate_format writes them, in a; text that is not a
 * date is returned as is (NULL as ""). */
const char *qdate_words(qarena *a, const char *iso, int with_weekday);

/* The date a document written now carries ("YYYY-MM-DD", in a): the UTC
 * day of source_date_epoch (seconds since 1970, SOURCE_DATE_EPOCH; < 0 =
 * none) for reproducible builds, else `otherwise` (the meeting's date),
 * never the clock.  Also `otherwise` past the year 9999. */
const char *qdate_document(qarena *a, long long source_date_epoch,
                           const char *otherwise);

/* Clear working days strictly between publication and meeting: not
 * counting either day, weekends, or any of the nholidays bank holidays
 * (sorted or not).  Negative when the meeting is not after publication. */
long qdate_clear_days(long published, long meeting, const long *holidays,
                      size_t nholidays);

/* ==== resources ======================================================= */
/* Where quorum's resource folders are when the caller names none: beside
 * the installed library or program, never a path compiled in, so an
 * installed tree can be moved (a relocatable prefix) and a checkout can be
 * deleted after `cmake --install`. */
/* kind: "fonts", "styles", "schema" or "data".  Looks, in order, for
 *   LIBDIR/REL/quorum/KIND        (installed: REL leads from the install
 *                                  layout's lib or bin folder to its
 *                                  share, e.g. ../../share from Debian's
 *                                  lib/x86_64-linux-gnu)
 *   LIBDIR/../share/quorum/KIND   (PREFIX/lib and PREFIX/bin)
 *   LIBDIR/share/quorum/KIND      (the build tree, which CMake links so)
 * where LIBDIR is the folder of the shared library holding this code, or
 * of the program when it is linked statically (symlinks to either
 * resolved first).  Returns a malloc'd path
 * of an existing directory, or NULL when none exists. */
char *qres_find_dir(const char *kind);
/* "DIR/NAME", malloc'd (never NULL: qfatal_oom). */
char *qpath_join(const char *dir, const char *name);

/* A loadable module of quorum's own (file: "quorum-pdfin.so"), which keeps
 * a heavy library out of every run that does not need it: looked for in
 * LIBDIR/quorum beside the shared library, BINDIR/../LIBDIR/quorum beside
 * the program, and the build tree's lib/quorum (never the working
 * directory or a path from the environment).  A malloc'd path of an
 * existing regular file, or NULL. */
char *qres_find_module(const char *file);

/* The file the library's code was loaded from (shared library or
 * program), malloc'd absolute path, or NULL. */
char *qres_self_path(void);

/* ==== versions ======================================================== */
/* The versions of the third-party libraries as they run, each told by the
 * folder that calls that library (load: libxml2; pdf: libharu, zlib;
 * image: libpng, libjpeg-turbo; docx: libzip;
 * pdfin: libqpdf). */
/* "libharu 2.3.0, zlib 1.2.13" */
void qhpdf_version(char *buf, size_t n);
/* "2.9.14" */
void qload_libxml2_version(char *buf, size_t n);
/* "libpng 1.6.39" */
void qimg_png_version(char *buf, size_t n);
/* "libjpeg-turbo 2.1.5", as built with (it tells no version at run time) */
void qimg_jpeg_version(char *buf, size_t n);
/* "libzip 1.7.3" (docx: Word packages) */
void qdocx_libzip_version(char *buf, size_t n);
/* libqpdf's: qpdfin_version in pdfin.h (util.h is C only). */

/* ---- shared libraries opened on first use (dlib.c) ------------------- */

/* One library a record: the file (soname), the functions it must have
 * (names[0..n)), the table their addresses go to (fns: a struct of
 * function pointers alone, in the order of names), and what to do once it
 * is open (after, or NULL).  Made by QDLIB_TABLE; the rest is qdlib_ready's. */
typedef struct qdlib {
    const char *soname;
    const char *const *names;
    size_t n;
    void *fns;
    void (*after)(void);
    _Atomic int state; /* 0 not tried yet, 1 open, -1 not to be had */
    char why[200];
} qdlib;
/* Opens l's library the first time it is asked for (RTLD_NOW, local;
 * never closed), on any thread, once a process: 1 when it is there; else
 * 0 with why (dlerror's text: the file missing, a symbol missing) in
 * *why when why is not NULL. */
int qdlib_ready(qdlib *l, const char **why);
/* A table member with f's own type, and f's name, for QDLIB calls lists */
#define QDLIB_MEMBER(f) __typeof__(f) *f;
#define QDLIB_NAME(f) #f,
/* rec, the static record of the library soname whose functions the list
 * calls names (X(f) X(g) ...), each as name(f) gives it (QDLIB_NAME: as
 * written), and whose table is var (a struct of one function pointer a
 * call, in the list's order); after as in qdlib. */
#define QDLIB_TABLE(rec, soname, calls, name, var, after_fn)                    \
    static const char *const rec##_names[] = {calls(name)};                     \
    _Static_assert(sizeof(var) == sizeof rec##_names / sizeof *rec##_names *    \
                                      sizeof(void (*)(void)),                   \
                   #var " holds one function pointer a name");                  \
    static qdlib rec = {soname, rec##_names, sizeof rec##_names / sizeof *rec##_names, \
                        &(var), after_fn, 0, {0}}

/* ---- the sealed form the pack cache's files share (dlist_io.c: a report's
 * display list; pdf_report_io.c: its drawn pages): an 8-byte magic
 * ending "\r\n" (a text transfer damages it), the format version (u32),
 * the caller's 32-byte key, the payload's length (u64), the payload, then
 * the SHA-256 of everything before it.  Numbers are little-endian; a
 * string is a u32 length (QSEAL_NONE: NULL) and its bytes.  The readers
 * trust nothing: a fault keeps its first reason and later reads give
 * zeros, so a reader checks once where it matters (sealed.c). */
#define QSEAL_HEAD (8 + 4 + 32 + 8)
#define QSEAL_NONE 0xFFFFFFFFu

typedef struct qseal_w {
    unsigned char *b; /* malloc'd: the caller's once sealed */
    size_t n, cap;
} qseal_w;

void qseal_grow(qseal_w *w, size_t n);

/* Inline, with the room checked first: a report's display list is put a
 * field at a time, a few hundred thousand calls for a pack's cache. */
static inline void qseal_put(qseal_w *w, const void *p, size_t n) {
    if (w->cap - w->n < n) qseal_grow(w, n);
    if (n) memcpy(w->b + w->n, p, n);
    w->n += n;
}

static inline void qseal_u32(qseal_w *w, uint32_t v) {
    if (w->cap - w->n < 4) qseal_grow(w, 4);
    unsigned char *b = w->b + w->n;
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
    w->n += 4;
}

static inline void qseal_u64(qseal_w *w, uint64_t v) {
    qseal_u32(w, (uint32_t)v);
    qseal_u32(w, (uint32_t)(v >> 32));
}

static inline void qseal_f32(qseal_w *w, float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    qseal_u32(w, v);
}

static inline void qseal_blob(qseal_w *w, const void *p, size_t n) {
    qseal_u32(w, p ? (uint32_t)n : QSEAL_NONE);
    if (p) qseal_put(w, p, n);
}

static inline void qseal_str(qseal_w *w, const char *s) {
    qseal_blob(w, s, s ? strlen(s) : 0);
}

/* The head (magic, version, key, a length filled in by qseal_end). */
void qseal_begin(qseal_w *w, const char magic[8], uint32_t format, const unsigned char key[32]);
/* The payload's length and the checksum: w's bytes, *len of them. */
unsigned char *qseal_end(qseal_w *w, size_t *len);
/* A payload made elsewhere (on a worker, without the key) sealed whole:
 * begin, the payload, end.  The caller frees the result. */
unsigned char *qseal_whole(const char magic[8], uint32_t format, const unsigned char key[32],
                           const unsigned char *payload, size_t n, size_t *len);

typedef struct qseal_r {
    const unsigned char *b;
    size_t n, at;
    const char *why; /* the first fault; later reads give zeros */
} qseal_r;

/* Checks b's magic, version, key, length and checksum: NULL, with r over
 * the payload, or why not (not_this when the magic is another's). */
const char *qseal_open(qseal_r *r, const unsigned char *b, size_t n, const char magic[8],
                       uint32_t format, const unsigned char key[32], const char *not_this);

static inline int qseal_fault(qseal_r *r, const char *why) {
    if (!r->why) r->why = why;
    r->at = r->n;
    return -1;
}

static inline const unsigned char *qseal_take(qseal_r *r, size_t n) {
    if (r->why || n > r->n - r->at) {
        qseal_fault(r, "cut short");
        return NULL;
    }
    const unsigned char *p = r->b + r->at;
    r->at += n;
    return p;
}

static inline uint32_t qseal_get_u32(qseal_r *r) {
    const unsigned char *p = qseal_take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24
             : 0;
}

static inline uint64_t qseal_get_u64(qseal_r *r) {
    uint64_t lo = qseal_get_u32(r);
    return lo | (uint64_t)qseal_get_u32(r) << 32;
}

/* a finite number, else a fault */
static inline float qseal_get_f32(qseal_r *r) {
    uint32_t v = qseal_get_u32(r);
    float f;
    memcpy(&f, &v, 4);
    if (!isfinite(f)) qseal_fault(r, "a number that is not finite");
    return f;
}

#endif
