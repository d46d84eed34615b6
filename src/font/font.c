/* Measuring (font.h) and the engine's font cache: each font file read
 * once through the one file reader (the tables measuring needs first, the
 * rest when the PDF wants it) and kept with its widths so that check,
 * layout and the PDF adapter share the same bytes. */
#include "font.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct qfonts {
    qfont_cache *cache;
    int measure_only;      /* faces without their bytes (qfonts_measure_only) */
    char *dir;
    char *paths[QF__COUNT];
    qfont faces[QF__COUNT];
    int tried[QF__COUNT];  /* 1 = attempted (so a failure is reported once) */
    int ok[QF__COUNT];
};

/* by face % 4: the heading and table families default to the body's */
static const char *default_names[4] = {
    "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"};

/* The page of a range the font has no glyph in. */
#define NG4 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF
#define NG16 NG4, NG4, NG4, NG4
#define NG64 NG16, NG16, NG16, NG16
static const uint16_t no_glyphs[256] = {NG64, NG64, NG64, NG64};
#undef NG4
#undef NG16
#undef NG64

/* What one font file gives, kept in the engine's cache until the engine
 * is freed and shared by every face read from it: the file's bytes (the
 * PDF adapter embeds from them) and what measuring takes from them.  A
 * file is known by its path and, so that an edited or replaced file is
 * read again, its device, inode, size and modification time. */
typedef struct qfont_file {
    struct qfont_file *next;
    pthread_mutex_t *lock;  /* the cache's: guards the spans and later reads */
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    unsigned char *data;    /* len bytes, each at its offset in the file */
    size_t len;
    /* Measuring reads only the tables it needs (a font's outlines and
     * layout tables are most of its bytes, and checking never uses them);
     * the PDF adapter asks for the rest it embeds (qfont_need: the other
     * tables it copies, the glyphs it keeps), read into the gaps between
     * these spans from the same open file, so it never sees two versions
     * of the file.  A subset of a report keeps a few hundred glyphs of
     * thousands: most of the file is never read. */
    int fd;                 /* open until the cache is freed */
    int read_err;           /* the first later read that failed */
    size_t nread;           /* bytes read from the file, for qfont_cache_bytes_read */
    unsigned nspans, capspans;
    size_t *span_at, *span_end; /* sorted, disjoint, not touching */
    /* The spans measuring read (a copy made when the file was parsed):
     * what a layout depends on, so what the pack cache keys a font by. */
    unsigned nmeasured;
    size_t *measured_at, *measured_end;
    int ascender, descender, cap_height, missing_width;
    const uint16_t *pages[256];
} qfont_file;

/* Filled lazily by whichever thread first asks for a file; the lock makes
 * the list safe to share, and an entry never changes once it is on it, so
 * a face may keep pointing into it without the lock. */
struct qfont_cache {
    pthread_mutex_t lock;
    qfont_file *files;
};

static void free_pages(const uint16_t **pages);

static void free_file(qfont_file *ff) {
    if (ff->fd >= 0) close(ff->fd);
    free(ff->span_at);
    free(ff->span_end);
    free(ff->measured_at);
    free(ff->measured_end);
    free(ff->data);
    free(ff->path);
    free(ff);
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) qfatal_oom();
    memcpy(p, s, n);
    return p;
}

qfont_cache *qfont_cache_new(void) {
    qfont_cache *c = calloc(1, sizeof *c);
    if (!c) qfatal_oom();
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void qfont_cache_free(qfont_cache *c) {
    if (!c) return;
    for (qfont_file *ff = c->files, *next; ff; ff = next) {
        next = ff->next;
        free_pages(ff->pages);
        free_file(ff);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

qfonts *qfonts_new(qfont_cache *cache, const char *dir) {
    qfonts *f = calloc(1, sizeof *f);
    if (!f) qfatal_oom();
    f->cache = cache;
    f->dir = xstrdup(dir ? dir : ".");
    return f;
}

void qfonts_free(qfonts *f) {
    if (!f) return;
    for (int i = 0; i < QF__COUNT; i++) {
        free(f->paths[i]);
        free((char *)f->faces[i].path);
    }
    free(f->dir);
    free(f);
}

void qfonts_measure_only(qfonts *f) { f->measure_only = 1; }

void qfonts_set_path(qfonts *f, qfont_face face, const char *path) {
    free(f->paths[face]);
    f->paths[face] = xstrdup(path);
}

static void set_width(const uint16_t **pages, unsigned c, uint16_t w) {
    uint16_t *p = (uint16_t *)pages[c >> 8];
    if (p == no_glyphs) {
        p = malloc(256 * sizeof *p);
        if (!p) qfatal_oom();
        memcpy(p, no_glyphs, sizeof no_glyphs);
        pages[c >> 8] = p;
    }
    p[c & 0xFF] = w;
}

static void free_pages(const uint16_t **pages) {
    for (int i = 0; i < 256; i++)
        if (pages[i] != no_glyphs) free((void *)pages[i]);
}

typedef struct widths_ctx {
    const qttf *t;
    qfont_file *f;
} widths_ctx;

static void put_width(void *ctx, unsigned c, unsigned g) {
    widths_ctx *w = ctx;
    set_width(w->f->pages, c, (uint16_t)qttf_width(w->t, g));
}

/* Measuring's share of the file in f->data: 0, or QFONT_ENOTTF /
 * QFONT_EDAMAGED with what is wrong in why.  The whole font is checked
 * here (qttf_validate), when it is first read, so a font measured is one
 * the PDF can embed: a damaged one is the style's error at its name,
 * never a PDF writer's failure without a position. */
static int parse(qfont_file *f, int *cff, char *why, size_t n) {
    *cff = f->len >= 4 && memcmp(f->data, "OTTO", 4) == 0;
    if (f->len < 4 || (memcmp(f->data, "\0\1\0\0", 4) != 0 &&
                       memcmp(f->data, "true", 4) != 0)) {
        snprintf(why, n, "it is not a TrueType font");
        return QFONT_ENOTTF;
    }
    qttf t;
    if (qttf_from_memory(&t, f->data, f->len) != QTTF_OK ||
        qttf_validate(&t) != QTTF_OK || !t.t[QTTF_HHEA]) {
        snprintf(why, n, "%s", t.why[0] ? t.why : "its tables are damaged");
        return QFONT_EDAMAGED;
    }
    const unsigned char *hhea = t.t[QTTF_HHEA];
    f->ascender = qttf_s16(hhea + 4) * 1000 / (int)t.upem;
    f->descender = qttf_s16(hhea + 6) * 1000 / (int)t.upem;
    int cap, xh;
    f->cap_height = qttf_os2_heights(&t, &cap, &xh) ? cap : 700;
    f->missing_width = (int)qttf_width(&t, 0);
    for (int i = 0; i < 256; i++) f->pages[i] = no_glyphs;
    widths_ctx w = {&t, f};
    qttf_each_bmp(&t, put_width, &w);
    return 0;
}

/* Reads the file's bytes [at, at + n) into their place in ff->data and
 * notes them read; spans may overlap or touch (merged here).  Only before
 * ff is shared, or under its lock for bytes no one reads yet (the gaps
 * qfont_need fills). */
static int read_span(qfont_file *ff, size_t at, size_t n) {
    if (n == 0) return 0;
    /* every page of the span is written by the read: fault them in at once */
    qmem_populate(ff->data + at, n);
    int err = qfile_pread(ff->fd, ff->data + at, n, at);
    if (err) return err;
    ff->nread += n;
    size_t end = at + n;
    unsigned k = 0, j;
    while (k < ff->nspans && ff->span_end[k] < at) k++;
    /* spans k..j-1 touch [at, end): one span replaces them */
    for (j = k; j < ff->nspans && ff->span_at[j] <= end; j++) {
        if (ff->span_at[j] < at) at = ff->span_at[j];
        if (ff->span_end[j] > end) end = ff->span_end[j];
    }
    if (j == k) { /* a new span at k */
        if (ff->nspans == ff->capspans) {
            ff->capspans = ff->capspans ? 2 * ff->capspans : 16;
            ff->span_at = realloc(ff->span_at, ff->capspans * sizeof *ff->span_at);
            ff->span_end = realloc(ff->span_end, ff->capspans * sizeof *ff->span_end);
            if (!ff->span_at || !ff->span_end) qfatal_oom();
        }
        memmove(ff->span_at + k + 1, ff->span_at + k, (ff->nspans - k) * sizeof *ff->span_at);
        memmove(ff->span_end + k + 1, ff->span_end + k, (ff->nspans - k) * sizeof *ff->span_end);
        ff->nspans++;
    } else if (j > k + 1) {
        memmove(ff->span_at + k + 1, ff->span_at + j, (ff->nspans - j) * sizeof *ff->span_at);
        memmove(ff->span_end + k + 1, ff->span_end + j, (ff->nspans - j) * sizeof *ff->span_end);
        ff->nspans -= j - k - 1;
    }
    ff->span_at[k] = at;
    ff->span_end[k] = end;
    return 0;
}

/* The header, the directory and the tables measuring and qttf_validate
 * read (never 'glyf' itself, whose length is all they use).  A directory
 * that does not fit is left for parse to describe.  Tables close together
 * are read in one call: a few hundred bytes read twice cost less than a
 * system call. */
static int read_measured(qfont_file *ff) {
    static const int need[] = {QTTF_OS2, QTTF_CMAP, QTTF_HEAD, QTTF_HHEA,
                               QTTF_HMTX, QTTF_LOCA, QTTF_MAXP};
    enum { NEAR = 4096 };
    int err = read_span(ff, 0, ff->len < 12 ? ff->len : 12);
    if (err || ff->len < 12) return err;
    size_t dlen = 12 + 16 * (size_t)qttf_u16(ff->data + 4);
    if (dlen > ff->len) return 0;
    if ((err = read_span(ff, 12, dlen - 12)) != 0) return err;
    qttf t;
    if (qttf_from_memory(&t, ff->data, ff->len) != QTTF_OK) return 0;
    size_t at[sizeof need / sizeof need[0]], end[sizeof need / sizeof need[0]];
    size_t n = 0;
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        if (!t.has[need[i]]) continue;
        size_t a = t.off[need[i]], e = a + t.len[need[i]], k = n++;
        for (; k > 0 && at[k - 1] > a; k--) { /* insertion by offset */
            at[k] = at[k - 1];
            end[k] = end[k - 1];
        }
        at[k] = a;
        end[k] = e;
    }
    for (size_t i = 0; i < n;) {
        size_t a = at[i], e = end[i++];
        for (; i < n && at[i] <= e + NEAR; i++)
            if (end[i] > e) e = end[i];
        if ((err = read_span(ff, a, e - a)) != 0) return err;
    }
    return 0;
}

/* Bytes [at, end) of ff read, those not read yet from the descriptor
 * opened first (the same file even if it was replaced since).  Under the
 * lock; 0 or why not. */
static int need_locked(qfont_file *ff, size_t at, size_t end) {
    unsigned k = 0;
    while (at < end && !ff->read_err) {
        while (k < ff->nspans && ff->span_end[k] <= at) k++;
        if (k < ff->nspans && ff->span_at[k] <= at) { /* read already */
            at = ff->span_end[k];
            continue;
        }
        size_t gap_end = k < ff->nspans && ff->span_at[k] < end ? ff->span_at[k] : end;
        ff->read_err = read_span(ff, at, gap_end - at);
        at = gap_end;
        k = 0; /* the spans were merged: walk them again from the start */
    }
    return ff->read_err;
}

int qfont_need(const qfont *f, size_t at, size_t n) {
    qfont_file *ff = (qfont_file *)f->file;
    if (n == 0) return 0;
    if (!ff || !f->data || at > ff->len || n > ff->len - at) return QFILE_ESHORT;
    pthread_mutex_lock(ff->lock);
    int err = need_locked(ff, at, at + n);
    pthread_mutex_unlock(ff->lock);
    return err;
}

void qfont_each_measured(const qfont *f,
                         void (*fn)(void *ctx, size_t at, const unsigned char *p,
                                    size_t n),
                         void *ctx) {
    const qfont_file *ff = f->file;
    if (!ff) return;
    /* the copy never changes after parsing, and its bytes are never
     * written again: no lock needed */
    for (unsigned k = 0; k < ff->nmeasured; k++)
        fn(ctx, ff->measured_at[k], ff->data + ff->measured_at[k],
           ff->measured_end[k] - ff->measured_at[k]);
}

static int same_file(const qfont_file *ff, const char *path,
                     const struct stat *st) {
    return ff->dev == st->st_dev && ff->ino == st->st_ino &&
           ff->size == st->st_size && ff->mtime.tv_sec == st->st_mtim.tv_sec &&
           ff->mtime.tv_nsec == st->st_mtim.tv_nsec && strcmp(ff->path, path) == 0;
}

/* The file from the engine's cache while it is unchanged, else opened,
 * its measuring tables read and parsed.  NULL with *err (and why) as
 * qfont_cache_check says. */
static const qfont_file *font_file(qfont_cache *c, const char *path, int *err,
                                   int *cff, char *why, size_t n) {
    struct stat st;
    *err = 0;
    *cff = 0;
    /* stat names the file without opening it (a FIFO is not waited on
     * here either); qfile_open then refuses what is not a regular file. */
    int known = stat(path, &st) == 0;
    if (known) {
        pthread_mutex_lock(&c->lock);
        const qfont_file *hit = NULL;
        for (const qfont_file *ff = c->files; ff && !hit; ff = ff->next)
            if (same_file(ff, path, &st)) hit = ff;
        pthread_mutex_unlock(&c->lock);
        if (hit) return hit;
    }
    qfont_file *ff = calloc(1, sizeof *ff);
    if (!ff) qfatal_oom();
    ff->fd = qfile_open(path, 0, QFONT_MAX_BYTES, &ff->len);
    if (ff->fd < 0) {
        *err = -ff->fd;
    } else {
        /* not zeroed: only the bytes read are ever looked at */
        ff->data = malloc(ff->len + 1);
        if (!ff->data) qfatal_oom();
        ff->data[ff->len] = 0;
        *err = read_measured(ff);
    }
    if (!*err) *err = parse(ff, cff, why, n);
    if (*err) {
        if (ff->pages[0]) free_pages(ff->pages);
        free_file(ff);
        return NULL;
    }
    ff->path = xstrdup(path);
    ff->lock = &c->lock;
    ff->nmeasured = ff->nspans;
    ff->measured_at = malloc(ff->nspans * sizeof *ff->measured_at);
    ff->measured_end = malloc(ff->nspans * sizeof *ff->measured_end);
    if (!ff->measured_at || !ff->measured_end) qfatal_oom();
    memcpy(ff->measured_at, ff->span_at, ff->nspans * sizeof *ff->span_at);
    memcpy(ff->measured_end, ff->span_end, ff->nspans * sizeof *ff->span_end);
    /* The identity stat gave before the read: a file replaced in
     * between is read again next time, never mistaken for the old one
     * (one stat could not see has none and is never found again). */
    if (known) {
        ff->dev = st.st_dev;
        ff->ino = st.st_ino;
        ff->size = st.st_size;
        ff->mtime = st.st_mtim;
    } else {
        ff->size = -1;
    }
    /* Two threads may have read the same file at once: both entries stay
     * (each is complete and unchanging), the later one is found first. */
    pthread_mutex_lock(&c->lock);
    ff->next = c->files;
    c->files = ff;
    pthread_mutex_unlock(&c->lock);
    return ff;
}

size_t qfont_cache_bytes_read(qfont_cache *c) {
    size_t n = 0;
    pthread_mutex_lock(&c->lock);
    for (const qfont_file *ff = c->files; ff; ff = ff->next) n += ff->nread;
    pthread_mutex_unlock(&c->lock);
    return n;
}

int qfont_cache_check(qfont_cache *c, const char *path, int *cff, char *why,
                      size_t n) {
    int err;
    font_file(c, path, &err, cff, why, n);
    return err;
}

const qfont *qfonts_peek(const qfonts *f, qfont_face face) {
    if (face < 0 || face >= QF__COUNT || !f->tried[face] || !f->ok[face]) return NULL;
    return &f->faces[face];
}

int qfonts_merge_used(qfonts *dst, const qfonts *src, quorum_diags *d) {
    int rc = 0;
    for (int i = 0; i < QF__COUNT; i++) {
        if (!src->ok[i] || !src->faces[i].used) continue;
        qfont *f = qfonts_face(dst, (qfont_face)i, d);
        if (f) f->used = 1;
        else rc = -1;
    }
    return rc;
}

qfont *qfonts_face(qfonts *f, qfont_face face, quorum_diags *d) {
    if (face < 0 || face >= QF__COUNT) return NULL;
    if (f->tried[face]) return f->ok[face] ? &f->faces[face] : NULL;
    f->tried[face] = 1;
    char *path;
    if (f->paths[face]) {
        path = xstrdup(f->paths[face]);
    } else {
        const char *name = default_names[face % 4];
        size_t n = strlen(f->dir) + strlen(name) + 2;
        path = malloc(n);
        if (!path) qfatal_oom();
        snprintf(path, n, "%s/%s", f->dir, name);
    }
    qpos nopos = {0, 0, 0};
    int err, cff;
    char why[160];
    const qfont_file *ff = font_file(f->cache, path, &err, &cff, why, sizeof why);
    if (!ff) {
        if (d && err > 0)
            qdiag_add_class(d, err == EFBIG ? QUORUM_CLASS_LIMIT : QUORUM_CLASS_IO,
                            QUORUM_ERROR, nopos, "cannot open font file %s: %s",
                            path, qfile_strerror(err));
        else if (d)
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                            "%s is not a usable TrueType font: %s", path,
                            cff ? "OpenType/CFF fonts cannot be embedded" : why);
        free(path);
        return NULL;
    }
    qfont *q = &f->faces[face];
    q->path = path;
    q->data = f->measure_only ? NULL : ff->data;
    q->size = f->measure_only ? 0 : ff->len;
    q->file = ff;
    q->ascender = ff->ascender;
    q->descender = ff->descender;
    q->cap_height = ff->cap_height;
    q->missing_width = ff->missing_width;
    q->pages = ff->pages;
    f->ok[face] = 1;
    return q;
}

double qfont_text_width(const qfont *f, const char *s, size_t len, double size) {
    long sum = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = qutf8_decode(s + i, len - i, &cp);
        if (n == 0) n = 1;
        sum += qfont_cp_width(f, cp);
        i += (size_t)n;
    }
    return (double)sum * size / 1000.0;
}

static float fit_width(long units, float size) {
    return (float)units * size / 1000.0f; /* as qlb_width */
}

void qfont_fit_init(qfont_fit *p, const qfont *f, const char *s, size_t len,
                    float size, float max_w) {
    /* every character start is a cut, and so is the end; a byte that
     * does not decode counts as one character, as when measuring */
    size_t cap = 64;
    p->n = 0;
    p->at = malloc(cap * sizeof *p->at);
    p->units = malloc(cap * sizeof *p->units);
    if (!p->at || !p->units) qfatal_oom();
    long units = 0;
    size_t i = 0;
    for (;;) {
        int cut = i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
        if (cut) {
            if (p->n == cap) {
                cap *= 2;
                p->at = realloc(p->at, cap * sizeof *p->at);
                p->units = realloc(p->units, cap * sizeof *p->units);
                if (!p->at || !p->units) qfatal_oom();
            }
            p->at[p->n] = (uint32_t)i;
            p->units[p->n++] = units;
            if (fit_width(units, size) > max_w) break;
        }
        if (i == len) break;
        uint32_t cp;
        int n = qutf8_decode(s + i, len - i, &cp);
        i += n ? (size_t)n : 1;
        units += qfont_cp_width(f, cp);
    }
}

size_t qfont_fit_len(const qfont_fit *p, float size, float w) {
    /* widths only grow: the last cut that fits */
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fit_width(p->units[mid], size) <= w) lo = mid + 1;
        else hi = mid;
    }
    return lo ? p->at[lo - 1] : 0;
}

void qfont_fit_free(qfont_fit *p) {
    free(p->at);
    free(p->units);
    p->at = NULL;
    p->units = NULL;
    p->n = 0;
}
