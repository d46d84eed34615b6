#include "font.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"

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

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static int s16(const unsigned char *p) { return (int16_t)u16(p); }
static unsigned long u32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

/* Reads len bytes at off; 0 on success. */
static int read_at(int fd, unsigned char *buf, size_t len, off_t off) {
    while (len) {
        ssize_t n = pread(fd, buf, len, off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
        off += n;
    }
    return 0;
}

/* The tables measuring needs, in this order. */
enum { T_HEAD, T_HHEA, T_HMTX, T_CMAP, T_MAXP, T_OS2, T__COUNT };
static const struct { char tag[5]; size_t min; } wanted[T__COUNT] = {
    {"head", 54}, {"hhea", 36}, {"hmtx", 4}, {"cmap", 4}, {"maxp", 6},
    {"OS/2", 78}};

typedef struct ttf_tables {
    const unsigned char *t[T__COUNT]; /* NULL: absent or out of bounds */
    size_t len[T__COUNT];
    unsigned char *buf;               /* holds them all; the caller frees */
} ttf_tables;

/* Reads the table directory and then only the wanted tables.  A table is
 * the first directory entry with its tag; it counts as absent when it does
 * not lie within the file or is shorter than its minimum.  0 on success
 * (whichever tables were found). */
static int read_tables(int fd, size_t flen, ttf_tables *T) {
    memset(T, 0, sizeof *T);
    unsigned char hdr[12];
    if (flen < 12 || read_at(fd, hdr, 12, 0) != 0) return -1;
    unsigned n = u16(hdr + 4);
    if (12 + (size_t)n * 16 > flen) return -1;
    unsigned char *dir = malloc((size_t)n * 16 + 1);
    if (!dir) qfatal_oom();
    if (n && read_at(fd, dir, (size_t)n * 16, 12) != 0) {
        free(dir);
        return -1;
    }
    unsigned long off[T__COUNT] = {0}, len[T__COUNT] = {0};
    int found[T__COUNT] = {0};
    size_t total = 0;
    for (int k = 0; k < T__COUNT; k++) {
        for (unsigned i = 0; i < n; i++) {
            const unsigned char *r = dir + i * 16;
            if (memcmp(r, wanted[k].tag, 4) != 0) continue;
            off[k] = u32(r + 8);
            len[k] = u32(r + 12);
            if (off[k] <= flen && len[k] <= flen - off[k] && len[k] >= wanted[k].min) {
                found[k] = 1;
                total += len[k];
            }
            break;
        }
    }
    free(dir);
    T->buf = malloc(total + 1);
    if (!T->buf) qfatal_oom();
    size_t at = 0;
    for (int k = 0; k < T__COUNT; k++) {
        if (!found[k]) continue;
        if (read_at(fd, T->buf + at, len[k], (off_t)off[k]) != 0) {
            free(T->buf);
            T->buf = NULL;
            return -1;
        }
        T->t[k] = T->buf + at;
        T->len[k] = len[k];
        at += len[k];
    }
    return 0;
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

/* Parses the tables into f; 0 on success. */
static int parse(const ttf_tables *T, qfont_file *f) {
    const unsigned char *head = T->t[T_HEAD], *hhea = T->t[T_HHEA],
                        *hmtx = T->t[T_HMTX], *cmap = T->t[T_CMAP],
                        *maxp = T->t[T_MAXP], *os2 = T->t[T_OS2];
    size_t mlen = T->len[T_HMTX], clen = T->len[T_CMAP], oslen = T->len[T_OS2];
    if (!head || !hhea || !hmtx || !cmap || !maxp) return -1;
    unsigned upem = u16(head + 18);
    if (upem < 16) return -1;
    unsigned nmetrics = u16(hhea + 34);
    unsigned nglyphs = u16(maxp + 4);
    if (nmetrics == 0 || (size_t)nmetrics * 4 > mlen) return -1;

    f->ascender = s16(hhea + 4) * 1000 / (int)upem;
    f->descender = s16(hhea + 6) * 1000 / (int)upem;
    f->cap_height = 700;
    if (os2 && u16(os2) >= 2 && oslen >= 90)
        f->cap_height = s16(os2 + 88) * 1000 / (int)upem;

    /* libharu's rounding: advance * 1000 / unitsPerEm, truncated. */
#define ADV(gid) ((uint16_t)((unsigned)u16(hmtx + 4 * ((gid) < nmetrics ? (gid) : nmetrics - 1)) * 1000u / upem))
    f->missing_width = ADV(0u);

    /* Find a Unicode BMP subtable of format 4 (3,1 preferred, else 0,x). */
    const unsigned char *sub = NULL;
    unsigned nsub = u16(cmap + 2);
    if (4 + (size_t)nsub * 8 > clen) return -1;
    for (unsigned i = 0; i < nsub; i++) {
        const unsigned char *r = cmap + 4 + i * 8;
        unsigned plat = u16(r), enc = u16(r + 2);
        unsigned long off = u32(r + 4);
        if (off + 14 > clen || u16(cmap + off) != 4) continue;
        if ((plat == 3 && enc == 1) || (plat == 0 && !sub)) sub = cmap + off;
    }
    if (!sub) return -1;
    size_t sublen = u16(sub + 2);
    if (sub + sublen > cmap + clen) return -1;
    unsigned segs = u16(sub + 6) / 2;
    if (16 + (size_t)segs * 8 > sublen) return -1;
    const unsigned char *ends = sub + 14, *starts = ends + segs * 2 + 2,
                        *deltas = starts + segs * 2, *ranges = deltas + segs * 2;

    for (int i = 0; i < 256; i++) f->pages[i] = no_glyphs;
    for (unsigned s = 0; s < segs; s++) {
        unsigned end = u16(ends + 2 * s), start = u16(starts + 2 * s);
        unsigned delta = u16(deltas + 2 * s), roff = u16(ranges + 2 * s);
        if (start > end) continue;
        for (unsigned c = start; c <= end && c != 0xFFFF; c++) {
            unsigned gid;
            if (roff == 0) {
                gid = (c + delta) & 0xFFFF;
            } else {
                const unsigned char *g = ranges + 2 * s + roff + 2 * (c - start);
                if (g + 2 > sub + sublen) break;
                gid = u16(g);
                if (gid) gid = (gid + delta) & 0xFFFF;
            }
            if (gid == 0 || gid >= nglyphs) continue;
            set_width(f->pages, c, ADV(gid));
        }
    }
#undef ADV
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
 * opened, with *opened = 1 when it is not a usable TrueType font. */
static const qfont_file *font_file(qfont_cache *c, const char *path,
                                   int *opened) {
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
    int ok = fstat(fd, &st) == 0 && st.st_size >= 0 &&
             read_tables(fd, (size_t)st.st_size, &T) == 0 && parse(&T, ff) == 0;
    close(fd);
    free(T.buf);
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
    const qfont_file *ff = font_file(f->cache, path, &opened);
    if (!ff) {
        if (d && !opened)
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                            "cannot open font file %s", path);
        else if (d)
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                            "%s is not a readable TrueType font", path);
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

int qutf8_decode(const char *s, size_t len, uint32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    *cp = 0xFFFD;
    if (len == 0) return 0;
    unsigned c = p[0];
    if (c < 0x80) { *cp = c; return 1; }
    int n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)n > len) return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
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
