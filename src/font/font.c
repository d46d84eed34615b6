#include "font.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct qfonts {
    qfont_cache *cache;
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
 * is freed and shared by every face read from it.  A file is known by
 * its path and, so that an edited or replaced file is read again, its
 * device, inode, size and modification time. */
typedef struct qfont_file {
    struct qfont_file *next;
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
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
        free(ff->path);
        free(ff);
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

void qfonts_set_path(qfonts *f, qfont_face face, const char *path) {
    free(f->paths[face]);
    f->paths[face] = xstrdup(path);
}

/* The tables measuring needs, read by the one TrueType reader (ttf.h). */
typedef struct ttf_tables {
    qttf f;
    unsigned char *buf;               /* holds them all; the caller frees */
} ttf_tables;

/* Reads the table directory and then only the tables measuring and
 * checking need.  0 on success (whichever of them the font has). */
static int read_tables(int fd, size_t flen, ttf_tables *T) {
    return qttf_read(&T->f, fd, flen, QTTF_VALIDATE, &T->buf) == QTTF_OK ? 0 : -1;
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

/* Checks the font when it is first read (qttf_validate: a font measured
 * here is one the PDF can embed) and parses the tables into f; 0 on
 * success, else -1 with what is wrong in T->f.why. */
static int parse(ttf_tables *T, qfont_file *f) {
    if (qttf_validate(&T->f) != QTTF_OK) return -1;
    qttf t = T->f;
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

static int same_file(const qfont_file *ff, const char *path,
                     const struct stat *st) {
    return ff->dev == st->st_dev && ff->ino == st->st_ino &&
           ff->size == st->st_size && ff->mtime.tv_sec == st->st_mtim.tv_sec &&
           ff->mtime.tv_nsec == st->st_mtim.tv_nsec && strcmp(ff->path, path) == 0;
}

/* The file's metrics and widths: from the engine's cache while the file
 * is unchanged, else read.  NULL with *opened = 0 when the file cannot be
 * opened, with *opened = 1 when it is not a usable TrueType font (what is
 * wrong in why, n bytes). */
static const qfont_file *font_file(qfont_cache *c, const char *path,
                                   int *opened, char *why, size_t n) {
    struct stat st;
    *opened = 0;
    if (stat(path, &st) == 0) {
        pthread_mutex_lock(&c->lock);
        const qfont_file *hit = NULL;
        for (const qfont_file *ff = c->files; ff && !hit; ff = ff->next)
            if (same_file(ff, path, &st)) hit = ff;
        pthread_mutex_unlock(&c->lock);
        if (hit) {
            *opened = 1;
            return hit;
        }
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    *opened = 1;
    qfont_file *ff = calloc(1, sizeof *ff);
    if (!ff) qfatal_oom();
    ttf_tables T = {0};
    snprintf(T.f.why, sizeof T.f.why, "it cannot be read");
    int ok = fstat(fd, &st) == 0 && st.st_size >= 0 &&
             read_tables(fd, (size_t)st.st_size, &T) == 0 && parse(&T, ff) == 0;
    close(fd);
    free(T.buf);
    if (!ok) snprintf(why, n, "%s", T.f.why);
    if (!ok) {
        if (ff->pages[0]) free_pages(ff->pages);
        free(ff);
        return NULL;
    }
    ff->path = xstrdup(path);
    ff->dev = st.st_dev;
    ff->ino = st.st_ino;
    ff->size = st.st_size;
    ff->mtime = st.st_mtim;
    /* Two threads may have read the same file at once: both entries stay
     * (each is complete and unchanging), the later one is found first. */
    pthread_mutex_lock(&c->lock);
    ff->next = c->files;
    c->files = ff;
    pthread_mutex_unlock(&c->lock);
    return ff;
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
    int opened;
    char why[160];
    const qfont_file *ff = font_file(f->cache, path, &opened, why, sizeof why);
    if (!ff) {
        if (d && !opened)
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                            "cannot open font file %s", path);
        else if (d)
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                            "%s is not a usable TrueType font: %s", path, why);
        free(path);
        return NULL;
    }
    qfont *q = &f->faces[face];
    q->path = path;
    q->ascender = ff->ascender;
    q->descender = ff->descender;
    q->cap_height = ff->cap_height;
    q->missing_width = ff->missing_width;
    q->pages = ff->pages;
    f->ok[face] = 1;
    return q;
}

const char *qfont_file_check(qfont_cache *c, const char *path, char *why, size_t n) {
    int opened;
    if (font_file(c, path, &opened, why, n)) return NULL;
    if (!opened) snprintf(why, n, "it cannot be opened");
    return why;
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
