/* The pack's cache of its reports' layouts (docs/meeting.md, "The
 * cache"): a folder beside the manifest holding each report's display
 * list, serialized (dlist_io.c), under a key that covers everything the
 * layout was made from, so that an entry found is the layout a clean
 * build would make.  An item's entry is a file named by a key of its
 * agenda key and number, the style file and logo, the fonts' bytes, the
 * engine's limits, the pack's language and quorum's version; it carries
 * the files the report was read from with the item's hash (a one-item
 * manifest, manifest.c), and is used only when those files hash now as
 * they did.  It is read under a size cap and refused whole (another key,
 * version, checksum, any field out of range) rather than trusted, and
 * written to a temporary file and renamed, so a failed write (a full
 * disk) loses only the cache. */
#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "dlist.h"
#include "doc.h"
#include "meeting.h"
#include "layout.h"
#include "pdf.h"
#include "quorum.h"
#include "style.h"

#define ENTRY_EXT ".qdl"
/* an entry's drawn pages (pdf_report_io.c), beside it under its name */
#define DRAWN_EXT ".qpd"
/* an entry's records (its layout without the pages' items: dlist_io.c),
 * beside it under its name: what a hit whose drawn pages are used needs
 * of its layout, read instead of it (issue 18) */
#define RECORDS_EXT ".qdr"
/* an entry's elements' object streams, deflated (pdf_report_io.c), beside
 * it under its name: a hit whose objects get the numbers they had uses
 * them instead of deflating its elements again (issue 18) */
#define OSTMS_EXT ".qos"

/* an entry waiting to be written (qpack_cache_commit) */
struct staged { char *path; unsigned char *b; size_t n; };

/* One lookup of a pack's item on a worker (qpack_cache_probe): what it
 * found lives in its own arena until the pack's thread takes it. */
typedef struct tjob {
    qarena *a;
    int hit;
    int rec;                /* its list its records only: 1, 2 with sources */
    int taken;              /* by the pack's thread (qpack_cache_take) */
    unsigned char whole[32];
    struct staged remake;   /* its records made again (b NULL: none) */
    qpack_cached x;
    char hex[65];
    unsigned char key[32];
    qpdf_report *drawn;     /* its drawn pages, when whole and of this layout */
} tjob;

struct qpack_cache {
    const quorum_engine *e;
    char *dir;
    qsha256_ctx base;       /* the key's fields every entry shares */
    /* the entries this run used or wrote (hex names), for the prune */
    char (*used)[65];
    size_t nused, capused;
    /* entries put, written only by qpack_cache_commit (after the pack):
     * a cache filling the disk must not cost the pack its room */
    struct staged *staged;
    size_t nstaged, staged_bytes;
    /* the meeting's files, which its entries' diagnostics quote */
    unsigned char mkey[32];
    const qpack_said **said; /* qpack_cache_take's, by job */
    size_t nsaid;
    /* by job: its entry's key (looked up: has_key), its drawn pages read
     * with a hit (taken by qpack_cache_drawn) */
    unsigned char (*keys)[32];
    unsigned char *has_key;
    qpdf_report **drawn;
    /* by job: its elements' object streams as the write made them, for
     * its entry (qpack_cache_catch), written with it unless unchanged */
    qpdf_ostms **caught;
    /* by job: its hit's list is its records only (1; 2: with its sources'
     * bytes), and the checksum of the whole entry they were written with */
    unsigned char *rec;
    unsigned char (*whole)[32];
    /* by job: its lookup on a worker (qpack_cache_probe), until taken */
    tjob *jobs;
    const quorum_pack *p;   /* the pack whose items which[j] are looked up */
    const size_t *which;
    const qpack_l *pl;
    int records;            /* a hit's records may stand for its layout */
    /* hits looked up and not yet taken: now, and at most */
    atomic_size_t held, held_peak;
};

/* The most hits held at once (looked up, not yet taken) by the last cache
 * closed: what a test reads to see a rebuild read its hits a window at a
 * time, not all before the layout. */
static atomic_size_t last_held_peak;
size_t qpack_cache_held_peak(void) { return atomic_load(&last_held_peak); }

static void hash_u64(qsha256_ctx *c, unsigned long long v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    qpack_hash_bytes(c, b, sizeof b);
}

static void hash_image(qsha256_ctx *c, const qimage *im) {
    hash_u64(c, im ? ((unsigned long long)im->w << 32 | im->h) : 0);
    if (!im) return;
    hash_u64(c, (unsigned long long)im->type << 8 | im->comps);
    size_t px = (size_t)im->w * im->h;
    if (im->pixels) qpack_hash_bytes(c, im->pixels, px * im->comps);
    else qpack_hash_str(c, NULL);
    if (im->alpha) qpack_hash_bytes(c, im->alpha, px);
    else qpack_hash_str(c, NULL);
    if (im->dct) qpack_hash_bytes(c, im->dct, im->dct_len);
    else qpack_hash_str(c, NULL);
}

/* A font by what layout took from it (qfont_each_measured): its glyphs'
 * outlines, read when a PDF embeds them, change no layout. */
static void hash_span(void *ctx, size_t at, const unsigned char *p, size_t n) {
    hash_u64(ctx, at);
    qpack_hash_bytes(ctx, p, n);
}

qpack_cache *qpack_cache_open(const quorum_engine *e, const char *dir, const qstyle *style,
                              qfonts *fonts, const char *context) {
    qpack_cache *c = calloc(1, sizeof *c);
    if (!c) qfatal_oom();
    c->e = e;
    c->dir = strdup(dir);
    if (!c->dir) qfatal_oom();
    qsha256_init(&c->base);
    qpack_hash_str(&c->base, "quorum pack cache 2");
    qpack_hash_str(&c->base, quorum_version());
    qpack_hash_str(&c->base, qbuiltin_source_id); /* the version is not enough */
    qpack_hash_str(&c->base, style->path);
    if (style->file_bytes) qpack_hash_bytes(&c->base, style->file_bytes, style->file_len);
    else qpack_hash_str(&c->base, NULL);
    qpack_hash_str(&c->base, style->logo);
    hash_image(&c->base, style->logo_img);
    /* the words of its strings files (<strings src>), which a report's
     * layout prints and the style file only names */
    qpack_hash_words(&c->base, style->strings);
    for (int f = 0; f < QF__COUNT; f++) {
        const qfont *q = qfonts_face(fonts, (qfont_face)f, NULL);
        if (q) {
            hash_u64(&c->base, q->size);
            qfont_each_measured(q, hash_span, &c->base);
        } else {
            qpack_hash_str(&c->base, NULL);
        }
    }
    const quorum_limits *l = &e->limits;
    unsigned long long lim[] = {l->file_bytes, l->image_bytes, l->depth, l->pixels,
                                l->pdf_bytes, l->pdf_pages, l->pdf_objects};
    for (size_t i = 0; i < sizeof lim / sizeof *lim; i++) hash_u64(&c->base, lim[i]);
    hash_u64(&c->base, (unsigned long long)e->source_date_epoch);
    qpack_hash_str(&c->base, context);
    return c;
}

/* An item's entry: its name and the key its bytes carry (a file renamed
 * from another item's is refused). */
static void slot_key(const qpack_cache *c, const char *item_key, const char *number,
                     unsigned char key[32]) {
    qsha256_ctx k = c->base;
    qpack_hash_str(&k, item_key);
    qpack_hash_str(&k, number);
    qsha256_final(&k, key);
}

static const char *entry_path(const qpack_cache *c, const unsigned char key[32], char hex[65],
                              qarena *a) {
    qsha256_hex(key, hex);
    return qarena_printf(a, "%s/%s" ENTRY_EXT, c->dir, hex);
}

static void note_used(qpack_cache *c, const char hex[65]) {
    if (c->nused == c->capused) {
        c->capused = c->capused ? c->capused * 2 : 16;
        c->used = realloc(c->used, c->capused * sizeof *c->used);
        if (!c->used) qfatal_oom();
    }
    memcpy(c->used[c->nused++], hex, 65);
}

/* The entry's note: a manifest (manifest.c, read as strictly as any) of
 * the one item, its hash and the files the hash covers. */
static char *note_of(const qpack_cache *c, const char *item_key, const char *number,
                     const unsigned char hash[32], const qmanifest_file *files, size_t nfiles,
                     const quorum_diags *said, size_t nchecked, size_t *len) {
    qmanifest_item it = {number, item_key, NULL, {0}, 1, 0, 0, files, nfiles, 1};
    memcpy(it.sha256, hash, 32);
    qmanifest m = {0};
    m.pdf_file = "cache";
    m.items = &it;
    m.nitems = 1;
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) qfatal_oom();
    qmanifest_write(f, &m);
    /* then, after a NUL (none in the manifest's JSON), what it said */
    int ok = 1;
    if (said && quorum_diags_count(said)) {
        fputc('\0', f);
        ok = qpack_said_write(f, said, nchecked, c->mkey) == 0;
    }
    if (fclose(f) != 0) qfatal_oom();
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* qpack_cache_get but for noting the entry used (hex, its name): reads c
 * only, so entries are looked up on several threads at once. */
/* With rec, the entry's records instead (RECORDS_EXT): *rec 1, or 2
 * with its sources' bytes, whole[] the whole entry's checksum.  -1: no
 * whole entry; -2: one, but its item or files are not as they were.
 * remake (not with rec): a hit's records serialized into it, for an
 * entry whose records are missing or damaged. */
static int lookup(const qpack_cache *c, qarena *a, const char *item_key, const char *number,
                  const char *report_path, const qsha256_ctx *text, qfonts *fonts,
                  qpack_cached *out, char hex[65], unsigned char key[32], int *rec,
                  unsigned char whole[32], struct staged *remake) {
    memset(out, 0, sizeof *out);
    slot_key(c, item_key, number, key);
    const char *path = entry_path(c, key, hex, a);
    if (rec) path = qarena_printf(a, "%s/%s" RECORDS_EXT, c->dir, hex);
    unsigned char *b = NULL;
    size_t n = 0;
    /* a link is not followed: the folder is the cache's own */
    if (qfile_read(path, QFILE_NOFOLLOW, QPACK_CACHE_MAX, &b, &n) != 0) {
        qfonts_free(fonts);
        return -1;
    }
    const char *why = NULL, *note = NULL;
    size_t note_len = 0;
    int sources = 0;
    qdlist *dl = rec ? qdlist_deserialize_records(b, n, key, fonts, c->e->limits.pixels, &note,
                                                  &note_len, whole, &sources, &why)
                     : qdlist_deserialize(b, n, key, fonts, c->e->limits.pixels, &note,
                                          &note_len, &why);
    unsigned char sealed[32]; /* its checksum, which its records name */
    if (dl && !rec) memcpy(sealed, b + n - 32, 32);
    free(b);
    if (rec) *rec = 1 + sources;
    if (!dl) return -1;
    quorum_diags *quiet = quorum_diags_new();
    qmanifest m;
    qsha256_ctx h = *text;
    unsigned char sum[32];
    size_t json = strnlen(note, note_len);
    out->said = NULL;
    /* the files it was made from, as they are now */
    int ok = (json == note_len ||
              qpack_said_read(a, (const unsigned char *)note + json + 1, note_len - json - 1,
                              c->mkey, &out->said) == 0) &&
             qmanifest_parse(a, note, json, "cache", &m, quiet) == 0 && m.nitems == 1 &&
             m.items[0].listed && strcmp(m.items[0].key, item_key) == 0 &&
             qsince_rehash(c->e, a, report_path, &m.items[0], &h, &out->paths,
                           &out->npaths) == 0;
    quorum_diags_free(quiet);
    if (ok) qsha256_final(&h, sum);
    if (!ok || memcmp(sum, m.items[0].sha256, 32) != 0) {
        qdlist_free(dl);
        return -2; /* whole, but its files are not as they were */
    }
    out->dl = dl;
    memcpy(out->hash, sum, 32);
    out->files = m.items[0].files;
    out->nfiles = m.items[0].nfiles;
    if (remake) remake->b = qdlist_serialize_records(dl, key, note, note_len, sealed, &remake->n);
    return 0;
}

int qpack_cache_get(qpack_cache *c, qarena *a, const char *item_key, const char *number,
                    const char *report_path, const qsha256_ctx *text, qfonts *fonts,
                    qpack_cached *out) {
    char hex[65];
    unsigned char key[32];
    if (lookup(c, a, item_key, number, report_path, text, fonts, out, hex, key, NULL, NULL,
               NULL) != 0)
        return -1;
    note_used(c, hex);
    return 0;
}

/* b (n bytes, taken) to be written to path by qpack_cache_commit. */
static void stage(qpack_cache *c, const char *path, unsigned char *b, size_t n) {
    c->staged = realloc(c->staged, (c->nstaged + 1) * sizeof *c->staged);
    if (!c->staged) qfatal_oom();
    c->staged[c->nstaged].path = strdup(path);
    if (!c->staged[c->nstaged].path) qfatal_oom();
    c->staged[c->nstaged].b = b;
    c->staged[c->nstaged++].n = n;
    c->staged_bytes += n;
}

void qpack_cache_put(qpack_cache *c, const char *item_key, const char *number,
                     const unsigned char hash[32], const qmanifest_file *files, size_t nfiles,
                     const qdlist *dl, const quorum_diags *said, size_t nchecked) {
    size_t note_len = 0;
    char *note = note_of(c, item_key, number, hash, files, nfiles, said, nchecked, &note_len);
    if (!note) return; /* an error, or words not to be kept */
    qarena *a = qarena_new(0);
    unsigned char key[32];
    char hex[65];
    slot_key(c, item_key, number, key);
    const char *path = entry_path(c, key, hex, a);
    note_used(c, hex);
    size_t n = 0, rn = 0;
    unsigned char *b = qdlist_serialize(dl, key, note, note_len, &n);
    /* its records beside it, naming it by its checksum (its last bytes) */
    unsigned char *rb = qdlist_serialize_records(dl, key, note, note_len, b + n - 32, &rn);
    free(note);
    /* what waits in memory is bounded: a first build of a large pack
     * stores the rest of its reports on later runs; the records only
     * with the entry they name */
    if (n + rn > QPACK_CACHE_MAX || c->staged_bytes + n + rn > QPACK_CACHE_STAGED) {
        free(b);
        free(rb);
    } else {
        stage(c, path, b, n);
        stage(c, qarena_printf(a, "%s/%s" RECORDS_EXT, c->dir, hex), rb, rn);
    }
    qarena_free(a);
}

/* o (taken) staged as the object streams of the entry named key, in
 * its sealed form, when it holds them all and fits. */
static void stage_ostms(qpack_cache *c, const unsigned char key[32], qpdf_ostms *o) {
    size_t n = 0;
    unsigned char *b = qpdf_ostms_serialize(o, key, &n);
    qpdf_ostms_free(o);
    /* not held to QPACK_CACHE_STAGED: the bytes were held already
     * (caught), one entry's are copied at a time, and the first
     * build of a pack, whose layouts fill the bound, keeps them */
    if (!b || n > QPACK_CACHE_MAX) {
        free(b);
        return;
    }
    char hex[65];
    qsha256_hex(key, hex);
    qarena *a = qarena_new(0);
    stage(c, qarena_printf(a, "%s/%s" OSTMS_EXT, c->dir, hex), b, n);
    qarena_free(a);
}

/* The streams caught for entries this run keeps, staged beside them
 * unless they are the entry's already. */
static void stage_caught(qpack_cache *c) {
    for (size_t j = 0; c->caught && j < c->nsaid; j++) {
        qpdf_ostms *o = c->caught[j];
        c->caught[j] = NULL;
        const unsigned char *key = qpack_cache_key(c, j);
        char hex[65];
        if (key) qsha256_hex(key, hex);
        int used = 0;
        for (size_t i = 0; key && o && !o->unchanged && i < c->nused && !used; i++)
            used = memcmp(c->used[i], hex, 64) == 0;
        if (used) stage_ostms(c, key, o);
        else qpdf_ostms_free(o);
    }
}

/* The pack's own streams' entry: named as an item's slot is, by a key
 * no item has (an item's key is its id or number, never with a NUL). */
static void pack_streams_key(const qpack_cache *c, unsigned char key[32]) {
    slot_key(c, "\x01pack streams", "", key);
}

qpdf_ostms *qpack_cache_pack_streams(qpack_cache *c) {
    if (!c) return NULL;
    unsigned char key[32];
    char hex[65];
    pack_streams_key(c, key);
    qsha256_hex(key, hex);
    note_used(c, hex); /* kept by the prune, rewritten only when changed */
    qarena *a = qarena_new(0);
    unsigned char *b = NULL;
    size_t n = 0;
    const char *why = NULL;
    qpdf_ostms *s = qfile_read(qarena_printf(a, "%s/%s" OSTMS_EXT, c->dir, hex), QFILE_NOFOLLOW,
                               QPACK_CACHE_MAX, &b, &n) == 0
                        ? qpdf_ostms_deserialize(b, n, key, &why)
                        : NULL;
    free(b);
    qarena_free(a);
    return s;
}

void qpack_cache_keep_pack_streams(qpack_cache *c, qpdf_ostms *s) {
    if (!c || !s || (s->reused == s->made && s->made == s->expect)) {
        qpdf_ostms_free(s);
        return;
    }
    unsigned char key[32];
    pack_streams_key(c, key);
    s->closed = 1;
    stage_ostms(c, key, s);
}

qpdf_ostms *qpack_cache_catch(qpack_cache *c, size_t j) {
    if (!c || !c->caught || j >= c->nsaid || !qpack_cache_key(c, j)) return NULL;
    if (!c->caught[j]) {
        c->caught[j] = calloc(1, sizeof **c->caught);
        if (!c->caught[j]) qfatal_oom();
    }
    return c->caught[j];
}

int qpack_cache_commit(qpack_cache *c) {
    int err = 0;
    stage_caught(c);
    if (c->nstaged && mkdir(c->dir, 0777) != 0 && errno != EEXIST) err = errno;
    for (size_t i = 0; i < c->nstaged; i++) {
        /* temporary file and rename: a reader sees a whole entry or none */
        int e = err ? err : qatomic_write_file(c->staged[i].path, c->staged[i].b,
                                               c->staged[i].n, QATOMIC_ORDINARY);
        if (e && !err) err = e;
        free(c->staged[i].path);
        free(c->staged[i].b);
    }
    c->nstaged = c->staged_bytes = 0;
    if (!err) qpack_cache_prune(c);
    return err;
}

/* A file the cache names: 64 hex digits and an entry's extension, or
 * its drawn pages' or records'. */
static int entry_name(const char *s) {
    size_t n = strlen(s);
    if (n != 64 + strlen(ENTRY_EXT) ||
        (strcmp(s + 64, ENTRY_EXT) != 0 && strcmp(s + 64, DRAWN_EXT) != 0 &&
         strcmp(s + 64, RECORDS_EXT) != 0 && strcmp(s + 64, OSTMS_EXT) != 0))
        return 0;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

void qpack_cache_prune(qpack_cache *c) {
    DIR *d = opendir(c->dir);
    if (!d) return;
    for (struct dirent *x; (x = readdir(d));) {
        if (!entry_name(x->d_name)) continue; /* not the cache's: left alone */
        int used = 0;
        for (size_t i = 0; i < c->nused && !used; i++) used = memcmp(c->used[i], x->d_name, 64) == 0;
        if (!used) unlinkat(dirfd(d), x->d_name, 0);
    }
    closedir(d);
}

void qpack_cache_close(qpack_cache *c) {
    if (!c) return;
    if (c->jobs) atomic_store(&last_held_peak, atomic_load(&c->held_peak));
    for (size_t i = 0; i < c->nstaged; i++) {
        free(c->staged[i].path);
        free(c->staged[i].b);
    }
    free(c->staged);
    free(c->said);
    for (size_t j = 0; c->jobs && j < c->nsaid; j++) /* a pack that stopped early */
        if (!c->jobs[j].taken) {
            qdlist_free(c->jobs[j].x.dl);
            qpdf_report_free(c->jobs[j].drawn);
            free(c->jobs[j].remake.b);
            qarena_free(c->jobs[j].a);
        }
    free(c->jobs);
    for (size_t j = 0; c->drawn && j < c->nsaid; j++) qpdf_report_free(c->drawn[j]);
    free(c->drawn);
    for (size_t j = 0; c->caught && j < c->nsaid; j++) qpdf_ostms_free(c->caught[j]);
    free(c->caught);
    free(c->rec);
    free(c->whole);
    free(c->keys);
    free(c->has_key);
    free(c->used);
    free(c->dir);
    free(c);
}

/* The drawn pages beside the entry keyed key whose layout is dl, or NULL
 * (none, damaged, foreign: drawn again then). */
static qpdf_report *read_drawn(const qpack_cache *c, qarena *a, const unsigned char key[32],
                               const qdlist *dl) {
    char hex[65];
    qsha256_hex(key, hex);
    const char *path = qarena_printf(a, "%s/%s" DRAWN_EXT, c->dir, hex);
    unsigned char *b = NULL;
    size_t n = 0;
    if (qfile_read(path, QFILE_NOFOLLOW, QPACK_CACHE_MAX, &b, &n) != 0) return NULL;
    const char *why = NULL;
    qpdf_report *r = qpdf_report_deserialize(b, n, key, dl, &why);
    free(b);
    /* its elements' object streams, if kept (none: deflated again) */
    path = qarena_printf(a, "%s/%s" OSTMS_EXT, c->dir, hex);
    b = NULL;
    if (r && qfile_read(path, QFILE_NOFOLLOW, QPACK_CACHE_MAX, &b, &n) == 0)
        r->cached = qpdf_ostms_deserialize(b, n, key, &why);
    free(b);
    return r;
}

void qpack_cache_probe_begin(qpack_cache *c, const quorum_pack *p, const size_t *which,
                             size_t n, const qpack_l *pl, int records) {
    if (!c) return;
    free(c->said);
    c->said = calloc(n ? n : 1, sizeof *c->said);
    c->nsaid = n;
    c->keys = calloc(n ? n : 1, sizeof *c->keys);
    c->has_key = calloc(n ? n : 1, 1);
    c->drawn = calloc(n ? n : 1, sizeof *c->drawn);
    c->caught = calloc(n ? n : 1, sizeof *c->caught);
    c->rec = calloc(n ? n : 1, 1);
    c->whole = calloc(n ? n : 1, sizeof *c->whole);
    c->jobs = calloc(n ? n : 1, sizeof *c->jobs);
    if (!c->said || !c->keys || !c->has_key || !c->drawn || !c->caught || !c->rec || !c->whole || !c->jobs)
        qfatal_oom();
    c->p = p;
    c->which = which;
    c->pl = pl;
    c->records = records;
}

static void held(qpack_cache *c, int more) {
    if (!more) {
        atomic_fetch_sub(&c->held, 1);
        return;
    }
    size_t now = atomic_fetch_add(&c->held, 1) + 1;
    size_t peak = atomic_load(&c->held_peak);
    while (now > peak && !atomic_compare_exchange_weak(&c->held_peak, &peak, now)) {}
}

int qpack_cache_probe(qpack_cache *c, size_t j) {
    tjob *J = &c->jobs[j];
    J->a = qarena_new(4096); /* a note and a few paths */
    qpack_unread u;
    if (!qpack_item_unread(c->p, c->which[j], 1, J->a, &u)) return 0;
    /* its records and drawn pages when both are whole (the pages' start
     * and options are compared where it lands: qpack_hit_drawn reads the
     * whole entry when they differ); else the whole entry, as before */
    int rc = c->records ? lookup(c, J->a, u.key, u.number, u.path, &u.text,
                                 qpl_new_fonts(c->pl), &J->x, J->hex, J->key, &J->rec,
                                 J->whole, NULL)
                        : -1;
    /* the key, for a miss's drawing kept on this worker (keep_drawn) */
    memcpy(c->keys[j], J->key, 32);
    c->has_key[j] = 1;
    if (rc == -2) return 0; /* a miss: its report changed */
    if (rc == 0) {
        J->drawn = read_drawn(c, J->a, J->key, J->x.dl);
        if ((J->hit = J->drawn != NULL)) {
            held(c, 1);
            return 1;
        }
        qdlist_free(J->x.dl);
    }
    J->rec = 0;
    J->hit = lookup(c, J->a, u.key, u.number, u.path, &u.text, qpl_new_fonts(c->pl), &J->x,
                    J->hex, J->key, NULL, NULL, c->records ? &J->remake : NULL) == 0;
    if (J->hit) J->drawn = read_drawn(c, J->a, J->key, J->x.dl);
    if (J->hit) held(c, 1);
    return J->hit;
}

qdlist *qpack_cache_take(qpack_cache *c, quorum_pack *p, size_t j) {
    tjob *J = &c->jobs[j];
    J->taken = 1;
    c->drawn[j] = J->drawn;
    c->rec[j] = (unsigned char)(J->hit ? J->rec : 0);
    memcpy(c->whole[j], J->whole, 32);
    if (J->remake.b && J->hit && J->remake.n <= QPACK_CACHE_MAX &&
        c->staged_bytes + J->remake.n <= QPACK_CACHE_STAGED)
        stage(c, qarena_printf(J->a, "%s/%s" RECORDS_EXT, c->dir, J->hex), J->remake.b,
              J->remake.n);
    else free(J->remake.b);
    J->remake.b = NULL;
    if (!J->hit) {
        qarena_free(J->a);
        J->a = NULL;
        return NULL;
    }
    held(c, 0);
    /* the entry's names and paths, kept as long as the pack */
    qarena_adopt(qpack_arena(p), J->a);
    J->a = NULL;
    note_used(c, J->hex);
    qpack_item_take(p, c->which[j], J->x.hash, J->x.paths, J->x.npaths, J->x.files,
                    J->x.nfiles, 0);
    c->said[j] = J->x.said;
    return J->x.dl;
}

qpdf_report *qpack_cache_drawn(qpack_cache *c, size_t j) {
    if (!c || !c->drawn || j >= c->nsaid) return NULL;
    qpdf_report *r = c->drawn[j];
    c->drawn[j] = NULL;
    return r;
}

int qpack_cache_records(const qpack_cache *c, size_t j, int *sources) {
    int r = c && c->rec && j < c->nsaid ? c->rec[j] : 0;
    if (sources) *sources = r == 2;
    return r != 0;
}

struct qdlist *qpack_cache_whole(qpack_cache *c, size_t j, qfonts *fonts) {
    const unsigned char *key = qpack_cache_key(c, j);
    if (!key || !qpack_cache_records(c, j, NULL)) {
        qfonts_free(fonts);
        return NULL;
    }
    char hex[65];
    qsha256_hex(key, hex);
    qarena *a = qarena_new(0);
    const char *path = qarena_printf(a, "%s/%s" ENTRY_EXT, c->dir, hex);
    unsigned char *b = NULL;
    size_t n = 0;
    qdlist *dl = NULL;
    if (qfile_read(path, QFILE_NOFOLLOW, QPACK_CACHE_MAX, &b, &n) == 0 && n >= 32 &&
        memcmp(b + n - 32, c->whole[j], 32) == 0) {
        /* the entry the records were written beside (its checksum, which
         * the read checks again): its note is theirs */
        const char *why = NULL;
        dl = qdlist_deserialize(b, n, key, fonts, c->e->limits.pixels, NULL, NULL, &why);
    } else {
        qfonts_free(fonts);
    }
    free(b);
    qarena_free(a);
    return dl;
}

const unsigned char *qpack_cache_key(const qpack_cache *c, size_t j) {
    return c && c->has_key && j < c->nsaid && c->has_key[j] ? c->keys[j] : NULL;
}

void qpack_cache_put_drawn(qpack_cache *c, size_t j, unsigned char *b, size_t n) {
    const unsigned char *key = qpack_cache_key(c, j);
    char hex[65];
    if (key) qsha256_hex(key, hex);
    int used = 0; /* only beside an entry this run keeps */
    for (size_t i = 0; key && i < c->nused && !used; i++) used = memcmp(c->used[i], hex, 64) == 0;
    if (!b || !used || n > QPACK_CACHE_MAX || c->staged_bytes + n > QPACK_CACHE_STAGED) {
        free(b);
        return;
    }
    qarena *a = qarena_new(0);
    stage(c, qarena_printf(a, "%s/%s" DRAWN_EXT, c->dir, hex), b, n);
    qarena_free(a);
}

void qpack_cache_say(const qpack_cache *c, size_t j, quorum_diags *check, quorum_diags *layout) {
    if (c && j < c->nsaid) qpack_said_replay(c->said[j], check, layout);
}

/* The cache of a full pack's report layouts in dir, keyed also by what
 * the reports' checks and layouts take from the meeting: its language,
 * date, body and law; and, for an entry that says something, the bytes
 * of the meeting's files, which its words quote (positions, numbers,
 * the other items). */
qpack_cache *qpack_cache_for(const quorum_engine *e, quorum_pack *p, const char *dir,
                             const qpack_l *pl) {
    const qnode *root = qpack_meeting(p)->root;
    const qnode *bn = qdoc_first_child_of(root, QN_BODY);
    const qnode *dn = qdoc_first_child_of(root, QN_DATE);
    qarena *a = qpack_arena(p);
    qsha256_ctx c;
    qsha256_init(&c);
    qpack_hash_str(&c, qpl_lang(pl));
    qpack_hash_str(&c, bn ? qdoc_text(a, bn) : NULL);
    qpack_hash_str(&c, dn ? qdoc_text(a, dn) : NULL);
    hash_u64(&c, (unsigned long long)qdoc_law_of(qpack_meeting(p)));
    unsigned char sum[32];
    char hex[65];
    qsha256_final(&c, sum);
    qsha256_hex(sum, hex);
    qfonts *f = qpl_new_fonts(pl);
    qpack_cache *cache = qpack_cache_open(e, dir, qpl_style(pl), f, hex);
    qfonts_free(f);
    const quorum_doc *md = qpack_meeting(p);
    qsha256_ctx mk;
    qsha256_init(&mk);
    hash_u64(&mk, md->nsources);
    for (size_t k = 0; k < md->nsources; k++) {
        qpack_hash_str(&mk, md->sources[k].path);
        qpack_hash_bytes(&mk, md->sources[k].bytes, md->sources[k].len);
    }
    qsha256_final(&mk, cache->mkey);
    return cache;
}
