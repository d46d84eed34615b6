/* What an item's hash covers, file by file (manifest version 3): the
 * files a report was read from, listed when the pack is written, so that
 * a later --since can hash those files' bytes again without parsing the
 * report (docs/meeting.md, "The manifest").  The hash is the one item_hash
 * in pack.c makes from a loaded document, byte for byte: a listed item
 * whose files hash as they did is the item the published pack holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "meeting.h"

/* Each field with its length in front, so "ab","c" differs from "a","bc",
 * and NULL from "". */
void qpack_hash_bytes(qsha256_ctx *c, const void *p, size_t n) {
    unsigned char len[9] = {1};
    for (int i = 0; i < 8; i++) len[1 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    qsha256_update(c, len, sizeof len);
    qsha256_update(c, p, n);
}

void qpack_hash_str(qsha256_ctx *c, const char *s) {
    if (s) qpack_hash_bytes(c, s, strlen(s));
    else qsha256_update(c, "", 1); /* a 0 where a field's 1 would be */
}

/* An exempt item prints its law ("paragraph 14 of Part 4 of Schedule
 * 12A"): a meeting moved to another law changes it.  England adds
 * nothing, so manifests written before law= existed still match. */
void qpack_hash_exempt(qsha256_ctx *c, const char *exempt, const qnode *item) {
    qpack_hash_str(c, exempt);
    const qnode *root = item;
    while (root && root->parent) root = root->parent;
    const char *law = exempt && root ? qdoc_attr(root, "law") : NULL;
    if (law && strcmp(law, "england") != 0) qpack_hash_str(c, law);
}

void qpack_hash_words(qsha256_ctx *c, const qw_table *t) {
    for (; t; t = t->next) {
        qpack_hash_str(c, t->lang);
        for (int k = 0; k < QW__COUNT; k++) qpack_hash_str(c, t->text[k]);
    }
    qpack_hash_str(c, NULL);
}

void qpack_hash_doc(qsha256_ctx *c, const quorum_doc *doc) {
    for (size_t i = 0; i < doc->nsources; i++)
        qpack_hash_bytes(c, doc->sources[i].bytes, doc->sources[i].len);
    /* An image replaced late (a corrected chart) changes the item too. */
    for (size_t i = 0; i < doc->nimages; i++) {
        qpack_hash_str(c, doc->images[i].path);
        /* the bytes the loader read, which layout will draw; NULL for one
         * it could not read */
        if (doc->images[i].bytes)
            qpack_hash_bytes(c, doc->images[i].bytes, doc->images[i].len);
        else
            qpack_hash_str(c, NULL);
    }
}

/* The length of the report's folder as the loader joins names to it
 * (load.c dir_of): 0 for "." (names stand alone). */
static size_t folder_len(const char *report_path, int *root) {
    const char *slash = strrchr(report_path, '/');
    *root = slash == report_path;
    return slash ? (size_t)(slash - report_path) : 0;
}

const char *qsince_join(qarena *a, const char *report_path, const char *name) {
    int root;
    size_t k = folder_len(report_path, &root);
    if (root) return qarena_printf(a, "//%s", name);
    return k ? qarena_printf(a, "%.*s/%s", (int)k, report_path, name)
             : qarena_strdup(a, name);
}

/* path less the report's folder, or NULL when it is not in it */
static const char *relative(const char *report_path, const char *path) {
    int root;
    size_t k = folder_len(report_path, &root);
    if (root) k = 1;
    if (!k) return path;
    if (strncmp(path, report_path, k) != 0 || path[k] != '/' || !path[k + 1]) return NULL;
    return path + k + 1;
}

static void sha_of(const void *p, size_t n, unsigned char out[32]) {
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, p, n);
    qsha256_final(&c, out);
}

int qsince_files(qarena *a, const char *report_path, const quorum_doc *doc,
                 qmanifest_file **files, size_t *n) {
    size_t total = doc->nsources + doc->nimages;
    qmanifest_file *fs = qarena_alloc(a, (total ? total : 1) * sizeof *fs);
    *files = NULL;
    *n = 0;
    for (size_t i = 0; i < total; i++) {
        qmanifest_file *f = &fs[i];
        int image = i >= doc->nsources;
        const char *path = image ? doc->images[i - doc->nsources].path : doc->sources[i].path;
        const char *rel = relative(report_path, path);
        /* a name the manifest's reader would refuse, or one that does not
         * join back to the same path, is not listed at all */
        if (!rel || strstr(rel, "..")) return -1;
        f->name = qarena_strdup(a, rel);
        f->kind = image ? QMF_IMAGE : i == 0 ? QMF_REPORT : QMF_APPENDIX;
        if (image) {
            const struct qdoc_image *im = &doc->images[i - doc->nsources];
            f->readable = im->bytes != NULL;
            if (im->bytes) sha_of(im->bytes, im->len, f->sha256);
        } else {
            f->readable = 1;
            sha_of(doc->sources[i].bytes, doc->sources[i].len, f->sha256);
        }
    }
    *files = fs;
    *n = total;
    return 0;
}

int qsince_rehash(const quorum_engine *e, qarena *a, const char *report_path,
                  const qmanifest_item *mi, qsha256_ctx *c, const char ***paths,
                  size_t *npaths) {
    if (!mi->listed || !mi->nfiles || mi->files[0].kind != QMF_REPORT) return -1;
    const char **v = qarena_alloc(a, mi->nfiles * sizeof *v);
    for (size_t i = 0; i < mi->nfiles; i++) {
        const qmanifest_file *f = &mi->files[i];
        if (f->kind == QMF_PDF || (f->kind == QMF_REPORT) != (i == 0)) return -1;
        v[i] = qsince_join(a, report_path, f->name);
        if (i == 0 && strcmp(v[i], report_path) != 0) return -1;
        int image = f->kind == QMF_IMAGE;
        unsigned char *b = NULL;
        size_t len = 0;
        /* the limits the loader reads them under (load_src.c, load_images.c) */
        int err = qfile_read(v[i], 0, image ? e->limits.image_bytes : e->limits.file_bytes,
                             &b, &len);
        if (image) qpack_hash_str(c, v[i]);
        if (!err) {
            qpack_hash_bytes(c, b, len);
            free(b);
        } else if (image) {
            qpack_hash_str(c, NULL);
        } else {
            return -1; /* the report's load says why, at its reference */
        }
    }
    *paths = v;
    *npaths = mi->nfiles;
    return 0;
}

/* One job of qsince_begin: an item's files hashed again (its findings in
 * an arena of its own until the pack's thread takes them), or, the last
 * job, the published PDF hashed: last, so that both workers hash the
 * items first (those are waited for) and the PDF goes on during the
 * check. */
typedef struct sjob {
    qarena *a;
    const qmanifest_item *mi;
    int same;
    unsigned char h[32];
    const char **paths;
    size_t n;
} sjob;

typedef struct spool {
    const quorum_engine *e;
    const quorum_pack *p;   /* only read on the workers */
    const qmanifest *m;
    const char *pdf;
    qmanifest_pdf pdfh;
    sjob *jobs;
    size_t n;               /* items: job n is the PDF */
} spool;

static void since_job(void *ctx, size_t j) {
    spool *s = ctx;
    if (j == s->n) {
        qmanifest_pdf_hash(s->pdf, &s->pdfh);
        return;
    }
    sjob *J = &s->jobs[j];
    qpack_unread u;
    /* a few names and paths: a small block */
    J->a = qarena_new(2048);
    if (!qpack_item_unread(s->p, j, 0, J->a, &u)) return;
    J->mi = qmanifest_find(s->m, u.key);
    if (!J->mi || qsince_rehash(s->e, J->a, u.path, J->mi, &u.text, &J->paths, &J->n) != 0)
        return;
    qsha256_final(&u.text, J->h);
    J->same = memcmp(J->h, J->mi->sha256, 32) == 0;
}

struct qsince {
    qpool *pool;
    spool s;
    const qmanifest *m;
    const char *pdf, *man;
};

/* --since against a manifest that lists each item's files: an item not
 * read yet whose files hash now as the manifest records is unchanged, and
 * is taken as it stands there, unread (its files are the inputs the next
 * manifest lists).  Any other is read as before.  Files come from disk
 * only: a pack whose reports come from a resolver reads them.  Hashing
 * the published PDF and the items' files is most of what a supplement
 * reads (a 50-report pack: 6 MB of PDF, 4.5 MB of reports), so it is
 * done on the pool: the items' files waited for here, the PDF as the
 * last job, left running while the changed reports are checked, until
 * qsince_end. */
qsince *qsince_begin(const quorum_engine *e, quorum_pack *p, const char *path, qmanifest *m,
                     const char **pdf, const char **man, quorum_diags *d) {
    qarena *a = qpack_arena(p);
    if (qmanifest_since_read(a, path, e->limits.file_bytes, m, pdf, man, d) != 0) return NULL;
    size_t n = qpack_item_count(p);
    qsince *q = calloc(1, sizeof *q);
    sjob *jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!q || !jobs) qfatal_oom();
    q->s = (spool){e, p, m, *pdf, {0}, jobs, n};
    q->m = m;
    q->pdf = *pdf;
    q->man = *man;
    q->pool = qpool_start(qpack_threads(e, p), n + 1, n + 1, since_job, &q->s);
    for (size_t j = 0; j < n; j++) qpool_wait(q->pool, j);
    for (size_t i = 0; i < n; i++) {
        sjob *J = &jobs[i];
        if (J->same) {
            /* the manifest's files are in the pack's arena, as the manifest
             * is; taken before the PDF is known to be the manifest's, and
             * of no use when it is not (qsince_end fails the layout) */
            qarena_adopt(a, J->a);
            qpack_item_take(p, i, J->h, J->paths, J->n, J->mi->files, J->mi->nfiles, 1);
        } else {
            qarena_free(J->a);
        }
    }
    free(jobs);
    q->s.jobs = NULL;
    return q;
}

/* The PDF's hash waited for, then the PDF and the meeting checked, in
 * that order, as one thread would say it. */
int qsince_end(qsince *q, quorum_pack *p, quorum_diags *d) {
    if (!q) return -1;
    qpool_wait(q->pool, q->s.n);
    qpool_finish(q->pool);
    int rc = qmanifest_pdf_check(q->m, q->pdf, &q->s.pdfh, d) == 0 &&
                     qmanifest_same_meeting(qpack_arena(p), qpack_meeting(p), q->m, q->man, d)
                 ? 0
                 : -1;
    free(q);
    return rc;
}
