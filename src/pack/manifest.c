/* The pack manifest (docs/meeting.md, "The manifest"): JSON that records
 * each agenda item's hash and pages and the PDF it was written with (its
 * name, size and SHA-256), written with that PDF as one committed pair
 * and read back strictly by --since, which checks the pair belongs
 * together before trusting it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "dlist.h"
#include "doc.h"
#include "meeting.h"
#include "pdf.h"
#include "quorum.h"

#define FORMAT "quorum-pack-manifest"
#define VERSION 3
/* root > items > item > files > file */
#define MAX_DEPTH 5
#define MAX_VALUES ((size_t)1 << 20)

const char *qmanifest_path(qarena *a, const char *pdf_path) {
    const char *slash = strrchr(pdf_path, '/');
    const char *dot = strrchr(pdf_path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - pdf_path) : strlen(pdf_path);
    return qarena_printf(a, "%.*s.manifest", (int)stem, pdf_path);
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- writing ------------------------------------------------------------ */

static void put_hex(FILE *f, const unsigned char sum[32]) {
    char hex[65];
    qsha256_hex(sum, hex);
    fprintf(f, "\"%s\"", hex);
}

static const char *const kind_names[QMF__KINDS] = {"report", "appendix", "image", "pdf"};

static void put_files(FILE *f, const qmanifest_item *it) {
    if (!it->listed) {
        fputs("null", f);
        return;
    }
    fputc('[', f);
    for (size_t i = 0; i < it->nfiles; i++) {
        const qmanifest_file *x = &it->files[i];
        fprintf(f, "%s{\"kind\": \"%s\", \"name\": ", i ? ", " : "", kind_names[x->kind]);
        qjson_put_str(f, x->name);
        fputs(", \"sha256\": ", f);
        if (x->readable) put_hex(f, x->sha256);
        else fputs("null", f);
        fputc('}', f);
    }
    fputc(']', f);
}

void qmanifest_write(FILE *f, const qmanifest *m) {
    fprintf(f, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n", FORMAT, VERSION);
    fputs("  \"pdf\": {\"file\": ", f);
    qjson_put_str(f, m->pdf_file);
    fprintf(f, ", \"bytes\": %llu, \"sha256\": ", m->pdf_bytes);
    put_hex(f, m->pdf_sha256);
    fputs("},\n  \"meeting\": {\"id\": ", f);
    qjson_put_str(f, m->meeting_id);
    fputs(", \"date\": ", f);
    qjson_put_str(f, m->meeting_date);
    fprintf(f, "},\n  \"pages\": %llu,\n  \"items\": [", m->pages);
    /* one item a line: a diff of two manifests reads item by item */
    for (size_t i = 0; i < m->nitems; i++) {
        const qmanifest_item *it = &m->items[i];
        fputs(i ? ",\n    {\"number\": " : "\n    {\"number\": ", f);
        qjson_put_str(f, it->number);
        fputs(", \"key\": ", f);
        qjson_put_str(f, it->key);
        fputs(", \"sha256\": ", f);
        put_hex(f, it->sha256);
        fprintf(f, ", \"in_pack\": %s, \"pages\": ", it->in_pack ? "true" : "false");
        if (it->first_page)
            fprintf(f, "[%llu, %llu]", it->first_page, it->last_page);
        else
            fputs("[]", f);
        fputs(", \"title\": ", f);
        qjson_put_str(f, it->title);
        fputs(", \"files\": ", f);
        put_files(f, it);
        fputc('}', f);
    }
    fputs(m->nitems ? "\n  ]\n}\n" : "]\n}\n", f);
}

quorum_status qmanifest_commit(const quorum_layout *l, const char *pdf_path,
                               const quorum_pdf_options *opt, const void *pdf, size_t pdf_len,
                               qatomic *made, qmanifest *m, qatomic_gone **gone,
                               quorum_diags *d) {
    if (gone) *gone = NULL;
    qarena *a = qarena_new(0);
    const char *man_path = qmanifest_path(a, pdf_path);
    qpos nopos = {0, 0, 0};
    quorum_status st = QUORUM_USAGE;
    if (strcmp(man_path, pdf_path) == 0) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, nopos,
                        "cannot write the pack to %s: its manifest goes beside it with "
                        "the extension .manifest, so it would be written over the PDF "
                        "(name the PDF, e.g. %.*s.pdf)", pdf_path,
                        (int)(strlen(pdf_path) - strlen(".manifest")), pdf_path);
        if (made) qatomic_abort(made);
        goto out;
    }
    /* made: the PDF written already (beside the layout), into a
     * temporary file that replaces nothing until the commit below */
    if (qpdf_check_target(l, pdf_path, "the PDF", opt, d) != 0 ||
        qpdf_check_target(l, man_path, "the manifest", opt, d) != 0) {
        if (made) qatomic_abort(made);
        goto out;
    }
    int dur = opt && opt->archive ? QATOMIC_DURABLE : QATOMIC_ORDINARY;
    qatomic *pa = made ? made : qatomic_open(pdf_path, dur | QATOMIC_SHA256);
    if (!pa) {
        st = qatomic_open_error(pdf_path, errno ? errno : EIO, d);
        goto out;
    }
    st = QUORUM_OK;
    if (pdf && !made) {
        qatomic_write(pa, pdf, pdf_len); /* a failure is qatomic_commit_all's */
    } else if (!made) {
        st = qpdf_write_to(l, pa, opt, d);
    }
    if (st != QUORUM_OK) {
        qatomic_abort(pa);
        goto out;
    }
    qatomic_digest(pa, m->pdf_sha256, &m->pdf_bytes);
    m->pdf_file = base_name(pdf_path);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) qfatal_oom();
    qmanifest_write(f, m);
    if (fclose(f) != 0) qfatal_oom();
    qatomic *ma = qatomic_open(man_path, dur);
    if (!ma) {
        st = qatomic_open_error(man_path, errno ? errno : EIO, d);
        qatomic_abort(pa);
        free(buf);
        goto out;
    }
    qatomic_write(ma, buf, len);
    free(buf);
    /* The PDF first: a manifest in place always names a PDF already in
     * place, and a run stopped between the renames leaves a pair that
     * --since finds does not match. */
    qatomic *pair[2] = {pa, ma};
    size_t bad = 0;
    int err = qatomic_commit_all_gone(pair, 2, &bad, gone);
    if (err) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos, "cannot write %s: %s",
                        bad ? man_path : pdf_path, strerror(err));
        st = QUORUM_IO_ERROR;
    }
out:
    qarena_free(a);
    return st;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct rd {
    const char *name, *s;
    size_t n;
    unsigned file;
    quorum_diags *d;
} rd;

static int bad_at(const rd *r, size_t off, const char *fmt, const char *arg) {
    qpos p = {r->file, 0, 0};
    qjson_line_col(r->s, r->n, off, &p.line, &p.col);
    qdiag_add(r->d, QUORUM_ERROR, p, fmt, arg);
    return -1;
}

/* key is one of the space-separated names */
static int in_list(const char *names, const char *key) {
    size_t k = strlen(key);
    for (const char *s = names; *s;) {
        size_t w = strcspn(s, " ");
        if (w == k && strncmp(s, key, k) == 0) return 1;
        s += w;
        while (*s == ' ') s++;
    }
    return 0;
}

/* obj holds exactly the names in `names` (space-separated): each is
 * there (the parser refuses a name twice) and nothing else is. */
static int exact_members(const rd *r, const qjson *obj, const char *what,
                         const char *names) {
    if (!obj || obj->type != QJ_OBJECT)
        return bad_at(r, obj ? obj->off : 0, "manifest: %s must be an object", what);
    for (const qjson *m = obj->child; m; m = m->next)
        if (!in_list(names, m->key))
            return bad_at(r, m->off, "manifest: unknown member \"%s\"", m->key);
    for (const char *s = names; *s;) {
        size_t k = strcspn(s, " ");
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)k, s);
        if (!qjson_member(obj, key)) {
            qpos p = {r->file, 0, 0};
            qjson_line_col(r->s, r->n, obj->off, &p.line, &p.col);
            qdiag_add(r->d, QUORUM_ERROR, p, "manifest: %s has no \"%s\"", what, key);
            return -1;
        }
        s += k;
        while (*s == ' ') s++;
    }
    return 0;
}

/* The member readers say nothing once *err is set: a refused manifest
 * gets one error, the first. */
static const char *str_member(const rd *r, const qjson *obj, const char *key,
                              int nullable, int *err) {
    const qjson *v = qjson_member(obj, key);
    if (*err) return NULL;
    if (v->type == QJ_STRING) return v->str;
    if (nullable && v->type == QJ_NULL) return NULL;
    *err = bad_at(r, v->off, nullable ? "manifest: \"%s\" must be a string or null"
                                      : "manifest: \"%s\" must be a string", key);
    return NULL;
}

static unsigned long long uint_member(const rd *r, const qjson *v, const char *key,
                                      int *err) {
    unsigned long long x = 0;
    if (!*err && qjson_uint(v, (unsigned long long)1 << 53, &x) != 0)
        *err = bad_at(r, v->off, "manifest: \"%s\" must be a whole number", key);
    return x;
}

static void sha_value(const rd *r, const qjson *v, unsigned char out[32], int *err);

static void sha_member(const rd *r, const qjson *obj, unsigned char out[32], int *err) {
    const qjson *v = qjson_member(obj, "sha256");
    if (*err) return;
    sha_value(r, v, out, err);
}

static void sha_value(const rd *r, const qjson *v, unsigned char out[32], int *err) {
    int ok = v->type == QJ_STRING && v->len == 64;
    for (size_t i = 0; ok && i < 64; i++) {
        char c = v->str[i];
        int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (x < 0) ok = 0;
        else if (i % 2 == 0) out[i / 2] = (unsigned char)(x << 4);
        else out[i / 2] |= (unsigned char)x;
    }
    if (!ok)
        *err = bad_at(r, v->off, "manifest: \"%s\" must be 64 lowercase hex digits",
                      "sha256");
}

/* An item's "files" (version 3): null, or an array of {kind, name,
 * sha256}, names relative and inside (no absolute path, no "..": they are
 * joined to the report's folder and read). */
static int read_files(const rd *r, qarena *a, const qjson *v, qmanifest_item *it) {
    if (v->type == QJ_NULL) return 0;
    if (v->type != QJ_ARRAY)
        return bad_at(r, v->off, "manifest: \"%s\" must be an array or null", "files");
    qmanifest_file *fs = qarena_alloc(a, (v->len ? v->len : 1) * sizeof *fs);
    size_t n = 0;
    for (const qjson *x = v->child; x; x = x->next) {
        qmanifest_file *f = &fs[n++];
        if (exact_members(r, x, "a file", "kind name sha256") != 0) return -1;
        int err = 0;
        const char *kind = str_member(r, x, "kind", 0, &err);
        f->name = str_member(r, x, "name", 0, &err);
        if (err) return -1;
        f->kind = QMF__KINDS;
        for (int k = 0; k < QMF__KINDS; k++)
            if (strcmp(kind, kind_names[k]) == 0) f->kind = (qmanifest_kind)k;
        if (f->kind == QMF__KINDS)
            return bad_at(r, x->off, "manifest: a file of an unknown kind \"%s\"", kind);
        if (!*f->name || f->name[0] == '/' || strstr(f->name, ".."))
            return bad_at(r, x->off, "manifest: a file name must be relative and inside "
                                     "the report's folder, not \"%s\"", f->name);
        const qjson *sv = qjson_member(x, "sha256");
        f->readable = sv->type != QJ_NULL;
        if (f->readable) sha_value(r, sv, f->sha256, &err);
        else if (f->kind != QMF_IMAGE)
            err = bad_at(r, sv->off, "manifest: only an image may have no \"%s\"", "sha256");
        if (err) return -1;
    }
    it->files = fs;
    it->nfiles = n;
    it->listed = 1;
    return 0;
}

static int cmp_key(const void *x, const void *y) {
    return strcmp(((const qmanifest_item *)x)->key, ((const qmanifest_item *)y)->key);
}

static int read_item(const rd *r, qarena *a, int version, const qjson *v,
                     qmanifest_item *it, unsigned long long pages) {
    if (exact_members(r, v, "an item", version >= 3
                                           ? "number key sha256 in_pack pages title files"
                                           : "number key sha256 in_pack pages title") != 0)
        return -1;
    if (version >= 3 && read_files(r, a, qjson_member(v, "files"), it) != 0) return -1;
    int err = 0;
    it->number = str_member(r, v, "number", 0, &err);
    it->key = str_member(r, v, "key", 0, &err);
    it->title = str_member(r, v, "title", 1, &err);
    sha_member(r, v, it->sha256, &err);
    const qjson *ip = qjson_member(v, "in_pack");
    if (!err && ip->type != QJ_TRUE && ip->type != QJ_FALSE)
        err = bad_at(r, ip->off, "manifest: \"%s\" must be true or false", "in_pack");
    it->in_pack = ip->type == QJ_TRUE;
    const qjson *pg = qjson_member(v, "pages");
    if (err) return -1;
    if (!*it->key) return bad_at(r, v->off, "manifest: an item with an empty %s", "key");
    if (pg->type == QJ_ARRAY && pg->len == 0) return 0;
    if (pg->type != QJ_ARRAY || pg->len != 2 || !it->in_pack)
        return bad_at(r, pg->off, "manifest: \"%s\" must be [] or [first, last] of an "
                                  "item in the pack", "pages");
    it->first_page = uint_member(r, pg->child, "pages", &err);
    it->last_page = uint_member(r, pg->child->next, "pages", &err);
    if (err) return -1;
    if (it->first_page < 1 || it->first_page > it->last_page || it->last_page > pages)
        return bad_at(r, pg->off, "manifest: item \"%s\" has pages outside the PDF", it->key);
    return 0;
}

int qmanifest_parse(qarena *a, const char *s, size_t n, const char *name,
                    qmanifest *m, quorum_diags *d) {
    memset(m, 0, sizeof *m);
    rd r = {name, s, n, qdiag_file(d, name), d};
    if (n >= 22 && memcmp(s, "quorum-pack-manifest 1", 22) == 0)
        return bad_at(&r, 0, "a manifest in the old text format (%s), which records no "
                             "PDF to check it against: write the published pack again "
                             "with this quorum to make a new one", "quorum-pack-manifest 1");
    qjson_error e;
    const qjson *root = qjson_parse(a, s, n, MAX_DEPTH, MAX_VALUES, &e);
    if (!root) {
        qpos p = {r.file, e.line, e.col};
        /* a manifest cut short says so, not merely "malformed" */
        qdiag_add(d, QUORUM_ERROR, p, "not a quorum pack manifest%s: %s",
                  e.off >= n ? " (the file is cut short)" : "", e.msg);
        return -1;
    }
    const qjson *fmt = qjson_member(root, "format");
    if (!fmt || fmt->type != QJ_STRING || strcmp(fmt->str, FORMAT) != 0)
        return bad_at(&r, root->off, "not a quorum pack manifest: no \"format\": \"%s\"",
                      FORMAT);
    unsigned long long ver = 0;
    const qjson *vv = qjson_member(root, "version");
    /* version 2 lists no files: --since then reads every report */
    if (!vv || qjson_uint(vv, 1u << 30, &ver) != 0 || ver < 2 || ver > VERSION) {
        char msg[32];
        snprintf(msg, sizeof msg, "2 and %d", VERSION);
        return bad_at(&r, vv ? vv->off : root->off,
                      "manifest: a version this quorum does not read (it reads "
                      "versions %s)", msg);
    }
    m->version = (int)ver;
    if (exact_members(&r, root, "the manifest", "format version pdf meeting pages items"))
        return -1;
    const qjson *pdf = qjson_member(root, "pdf"), *mt = qjson_member(root, "meeting");
    if (exact_members(&r, pdf, "\"pdf\"", "file bytes sha256") != 0 ||
        exact_members(&r, mt, "\"meeting\"", "id date") != 0)
        return -1;
    int err = 0;
    m->pdf_file = str_member(&r, pdf, "file", 0, &err);
    m->pdf_bytes = uint_member(&r, qjson_member(pdf, "bytes"), "bytes", &err);
    sha_member(&r, pdf, m->pdf_sha256, &err);
    m->meeting_id = str_member(&r, mt, "id", 1, &err);
    m->meeting_date = str_member(&r, mt, "date", 1, &err);
    m->meeting_pos = (qpos){r.file, 0, 0};
    qjson_line_col(s, n, mt->off, &m->meeting_pos.line, &m->meeting_pos.col);
    m->pdf_pos = (qpos){r.file, 0, 0};
    qjson_line_col(s, n, pdf->off, &m->pdf_pos.line, &m->pdf_pos.col);
    m->pages = uint_member(&r, qjson_member(root, "pages"), "pages", &err);
    if (err) return -1;
    const char *f = m->pdf_file;
    if (!*f || strchr(f, '/') || strcmp(f, ".") == 0 || strcmp(f, "..") == 0)
        return bad_at(&r, pdf->off, "manifest: the PDF's \"file\" must be a file name "
                                    "beside the manifest, not \"%s\"", f);
    const qjson *items = qjson_member(root, "items");
    if (items->type != QJ_ARRAY)
        return bad_at(&r, items->off, "manifest: \"%s\" must be an array", "items");
    m->items = qarena_alloc(a, (items->len ? items->len : 1) * sizeof *m->items);
    for (const qjson *v = items->child; v; v = v->next)
        if (read_item(&r, a, m->version, v, &m->items[m->nitems++], m->pages) != 0)
            return -1;
    /* sorted by key for qmanifest_find; a key twice is a forged item */
    qsort(m->items, m->nitems, sizeof *m->items, cmp_key);
    for (size_t i = 1; i < m->nitems; i++)
        if (strcmp(m->items[i - 1].key, m->items[i].key) == 0)
            return bad_at(&r, items->off, "manifest: two items have the key \"%s\"",
                          m->items[i].key);
    return 0;
}

const qmanifest_item *qmanifest_find(const qmanifest *m, const char *key) {
    qmanifest_item k = {0};
    k.key = key;
    return m->nitems ? bsearch(&k, m->items, m->nitems, sizeof k, cmp_key) : NULL;
}

/* The SHA-256 and size of the file at path, read through qfile (a
 * regular file only).  0, or an errno-like value. */
static int hash_file(const char *path, unsigned char sum[32], unsigned long long *bytes) {
    size_t size = 0;
    int fd = qfile_open(path, 0, (size_t)-1 / 2, &size);
    if (fd < 0) return -fd;
    qsha256_ctx c;
    qsha256_init(&c);
    static const size_t chunk = 1 << 16;
    unsigned char *buf = malloc(chunk);
    if (!buf) qfatal_oom();
    unsigned long long n = 0;
    int err = 0;
    for (;;) {
        ssize_t k = read(fd, buf, chunk);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) err = errno ? errno : EIO;
        if (k <= 0) break;
        qsha256_update(&c, buf, (size_t)k);
        n += (unsigned long long)k;
        /* a file growing under us is not the one the manifest names */
        if (n > size) break;
    }
    free(buf);
    close(fd);
    qsha256_final(&c, sum);
    *bytes = n;
    return err;
}

/* The file at path starts as a PDF does (unreadable: no). */
static int is_pdf(const char *path) {
    int fd = qfile_open(path, 0, (size_t)-1 / 2, NULL);
    if (fd < 0) return 0;
    char head[5];
    size_t got = 0;
    while (got < sizeof head) {
        ssize_t k = read(fd, head + got, sizeof head - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(fd);
    return got == sizeof head && memcmp(head, "%PDF-", 5) == 0;
}

int qmanifest_since_read(qarena *a, const char *path, size_t max_bytes, qmanifest *m,
                         const char **pdf_out, const char **man_out, quorum_diags *d) {
    *pdf_out = *man_out = NULL;
    unsigned char *b = NULL;
    size_t n = 0;
    const char *man = path, *pdf = NULL;
    if (is_pdf(path)) {
        /* --since names the published PDF (larger than any manifest may
         * be): its manifest is beside it */
        pdf = path;
        man = qmanifest_path(a, path);
    }
    int err = strcmp(man, path) == 0 && pdf ? QFILE_ENOTREG
                                            : qfile_read(man, 0, max_bytes, &b, &n);
    if (err) {
        qpos p = {qdiag_file(d, man), 0, 0};
        qdiag_add_class(d, err == EFBIG ? QUORUM_CLASS_LIMIT : QUORUM_CLASS_IO,
                        QUORUM_ERROR, p, "cannot read manifest: %s", qfile_strerror(err));
        return -1;
    }
    *man_out = man;
    int rc = qmanifest_parse(a, (const char *)b, n, man, m, d);
    free(b);
    if (rc != 0) return -1;
    if (!pdf) {
        const char *slash = strrchr(man, '/');
        pdf = slash ? qarena_printf(a, "%.*s/%s", (int)(slash - man), man, m->pdf_file)
                    : qarena_strdup(a, m->pdf_file);
    }
    *pdf_out = pdf;
    return 0;
}

void qmanifest_pdf_hash(const char *pdf, qmanifest_pdf *h) {
    h->err = hash_file(pdf, h->sum, &h->bytes);
}

int qmanifest_pdf_check(const qmanifest *m, const char *pdf, const qmanifest_pdf *h,
                        quorum_diags *d) {
    if (h->err) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, m->pdf_pos,
                        "cannot read %s, the PDF this manifest was written with: %s "
                        "(--since checks that the two belong together)",
                        pdf, qfile_strerror(h->err));
        return -1;
    }
    if (h->bytes != m->pdf_bytes || memcmp(h->sum, m->pdf_sha256, 32) != 0) {
        char want[65], got[65];
        qsha256_hex(m->pdf_sha256, want);
        qsha256_hex(h->sum, got);
        qdiag_add(d, QUORUM_ERROR, m->pdf_pos,
                  "this manifest does not belong to %s: it was written with a PDF of "
                  "%llu bytes, SHA-256 %.16s..., and %s has %llu bytes, SHA-256 %.16s... "
                  "(a pack written only in part, or by two runs at once): write the "
                  "published pack again, or name the PDF it was published with",
                  pdf, m->pdf_bytes, want, pdf, h->bytes, got);
        return -1;
    }
    return 0;
}

int qmanifest_since(qarena *a, const char *path, size_t max_bytes, qmanifest *m,
                    const char **pdf_out, const char **man_out, quorum_diags *d) {
    if (qmanifest_since_read(a, path, max_bytes, m, pdf_out, man_out, d) != 0) return -1;
    qmanifest_pdf h;
    qmanifest_pdf_hash(*pdf_out, &h);
    return qmanifest_pdf_check(m, *pdf_out, &h, d);
}

/* The meeting a --since manifest records must be this one: a manifest
 * of another meeting would make every shared key look unchanged. */
int qmanifest_same_meeting(qarena *a, const quorum_doc *meeting, const qmanifest *m,
                           const char *man, quorum_diags *d) {
    const qnode *dn = qdoc_first_child_of(meeting->root, QN_DATE);
    const char *id = qdoc_attr(meeting->root, "id");
    const char *date = dn ? qdoc_text(a, dn) : NULL;
    int same_id = (!id && !m->meeting_id) || (id && m->meeting_id && strcmp(id, m->meeting_id) == 0);
    int same_date = (!date && !m->meeting_date) ||
                    (date && m->meeting_date && strcmp(date, m->meeting_date) == 0);
    if (same_id && same_date) return 1;
    qdiag_add(d, QUORUM_ERROR, m->meeting_pos,
              "%s is the manifest of the meeting %s of %s, not of this one (%s of %s, "
              "%s): a supplement is made against the pack of its own meeting", man,
              m->meeting_id ? m->meeting_id : "(no id)",
              m->meeting_date ? m->meeting_date : "(no date)", id ? id : "(no id)",
              date ? date : "(no date)", meeting->path ? meeting->path : "the meeting file");
    return 0;
}
