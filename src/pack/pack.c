/* Agenda packs (docs/meeting.md): a meeting file, the public reports its
 * agenda names, laid out as one PDF, and the manifest a later supplement
 * is computed against (manifest.c writes and reads it).  What goes in the
 * pack is decided here; pack_pages.c (qpl_*) draws the pack's own pages
 * with layout's flow. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "dlist.h"
#include "doc.h"
#include "layout.h"
#include "load.h"
#include "meeting.h"
#include "pdf.h"
#include "pdfin.h"
#include "quorum.h"

typedef struct pitem {
    const qnode *item;
    const char *number, *title, *id, *exempt, *urgency, *published;
    const char *report;     /* report attribute, or NULL */
    int late;
    int to_follow;          /* to-follow="true": no report yet */
    const char *path;       /* the public report's file, or NULL */
    int tried;              /* its report was read once (diagnostics given) */
    int loaded;             /* ... and loaded */
    int hashed;             /* hash is final (it covers the report's files) */
    unsigned char hash[32]; /* SHA-256 (item_hash) */
    const char **srcs;      /* files its report was read from (first read) */
    qpos *srcs_at;          /* where each is named (qdoc_source_pos) */
    size_t nsrcs;
    struct qdoc_image *far; /* its images not beside it (first read) */
    size_t nfar;
    int first_page, last_page; /* of the last layout, -1 = none */
    int is_pdf;             /* report="….pdf": a PDF from elsewhere */
    unsigned char *pdf;     /* its bytes once read (malloc'd) */
    size_t pdf_len;
    qpdfin_doc pdfdoc;      /* its pages, once read */
    const qmanifest_file *files; /* what its hash covers, for the manifest */
    size_t nfiles;
    int listed;             /* files is complete (manifest version 3) */
    int same;               /* --since: its files hash as the manifest's,
                               so it was not read (nor checked) */
    qpack_pdfs apdf;        /* its report's PDF appendices (first read) */
    quorum_doc *kept;       /* --since: its check's tree, for its layout */
} pitem;

/* What the last quorum_pack_layout placed where (the manifest needs it;
 * the layout itself is an opaque display list). */
typedef struct pranges {
    const quorum_layout *layout;
    size_t npages;
    unsigned char *included;
    const char **srcs;      /* quorum_pack_source_path */
    size_t nsrcs;
} pranges;

struct quorum_pack {
    quorum_doc *meeting;
    const char *meeting_path;
    qarena *a;
    pitem *items;
    size_t n;
    pranges *last;
    qpack_cache *cache;     /* the last layout's, written with its pack */
    const qmanifest *since; /* while --since checks: its manifest */
    size_t nkept;
    /* Supplies the reports and their files instead of the meeting file's
     * folder (qpack_load_memory); NULL: read from files. */
    quorum_resolve_fn resolve;
    void *resolve_ctx;
    qpack_stream *stream;   /* the last layout's PDF, written beside it */
};

/* ---- loading ------------------------------------------------------------- */

static int is_whole(const char *s) {
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* Item text for the hash (SHA-256, which an edited report cannot be made
 * to match): the agenda may change an item without a report. */
static void item_hash_text(qsha256_ctx *c, qarena *a, const pitem *it) {
    /* a PDF item's report is its bytes (the caller's doc is NULL) */
    qsha256_init(c);
    qpack_hash_str(c, it->title);
    qpack_hash_str(c, qdoc_text(a, it->item));
    qpack_hash_exempt(c, it->exempt, it->item);
    qpack_hash_str(c, it->urgency);
    if (it->to_follow) qpack_hash_str(c, "to-follow"); /* other items hash as before */
    if (it->pdf) qpack_hash_bytes(c, it->pdf, it->pdf_len);
}

/* doc (NULL = none) adds the bytes of every file the report was read from. */
static void item_hash(qarena *a, const pitem *it, const quorum_doc *doc,
                      unsigned char out[32]) {
    qsha256_ctx c;
    item_hash_text(&c, a, it);
    if (doc) qpack_hash_doc(&c, doc);
    qsha256_final(&c, out);
}

/* The pack of the loaded meeting file m (NULL: its load failed), which
 * it takes. */
static quorum_pack *pack_of(quorum_doc *m, const char *meeting_path,
                            quorum_diags *d) {
    if (!m) return NULL;
    if (!m->root || m->root->type != QN_MEETING) {
        qpos p = {qdiag_file(d, meeting_path), 1, 1};
        qdiag_add(d, QUORUM_ERROR, p, "not a meeting file: the root element must be <meeting>");
        quorum_doc_free(m);
        return NULL;
    }
    quorum_pack *p = calloc(1, sizeof *p);
    if (!p) qfatal_oom();
    p->meeting = m;
    p->a = qarena_new(0);
    /* copied: the caller's string may go before the pack */
    p->meeting_path = qarena_strdup(p->a, meeting_path);
    p->last = qarena_alloc(p->a, sizeof *p->last);
    const qnode *agenda = qdoc_first_child_of(m->root, QN_AGENDA);
    size_t n = 0;
    for (const qnode *x = agenda ? agenda->first : NULL; x; x = x->next)
        if (x->type == QN_AGENDA_ITEM) n++;
    p->items = qarena_alloc(p->a, (n ? n : 1) * sizeof *p->items);
    long count = 0;
    for (const qnode *x = agenda ? agenda->first : NULL; x; x = x->next) {
        if (x->type != QN_AGENDA_ITEM) continue;
        pitem *it = &p->items[p->n++];
        it->item = x;
        it->title = qdoc_attr(x, "title");
        it->id = qdoc_attr(x, "id");
        it->exempt = qdoc_attr(x, "exempt-paragraph");
        const char *late = qdoc_attr(x, "late");
        it->late = late && strcmp(late, "true") == 0;
        const char *tf = qdoc_attr(x, "to-follow");
        it->to_follow = tf && (strcmp(tf, "true") == 0 || strcmp(tf, "1") == 0);
        it->urgency = qdoc_attr(x, "urgency");
        it->published = qdoc_attr(x, "published");
        it->report = qdoc_attr(x, "report");
        it->is_pdf = it->report && qload_is_pdf_name(it->report);
        it->first_page = it->last_page = -1;
        /* The loader numbers items; the same rule here covers a tree that
         * was not numbered (docs/meeting.md "Numbers"). */
        const char *num = qdoc_attr(x, "number");
        if (x->number) {
            it->number = x->number;
        } else if (num) {
            it->number = num;
            if (is_whole(num)) count = atol(num);
        } else {
            it->number = qarena_printf(p->a, "%ld", ++count);
        }
        if (x->number && is_whole(x->number)) count = atol(x->number);
        if (it->report && !it->exempt) {
            /* a name outside is the loader's error (check_item_reports),
             * said once; such an item has no report to read */
            if (qhref_inside(it->report, 1)) {
                /* read when checked or laid out, one report at a time */
                it->path = strcmp(m->dir, ".") == 0 ? qarena_strdup(p->a, it->report)
                           : qarena_printf(p->a, "%s/%s", m->dir, it->report);
            }
        }
        if (!it->path) {
            item_hash(p->a, it, NULL, it->hash);
            it->hashed = 1;
            it->listed = 1; /* no files */
        }
    }
    return p;
}

quorum_pack *quorum_pack_load(const quorum_engine *e, const char *meeting_path,
                              quorum_diags *d) {
    return pack_of(quorum_doc_load(e, meeting_path, d), meeting_path, d);
}

quorum_pack *qpack_load_memory(const quorum_engine *e, const char *data,
                               size_t len, const char *name,
                               quorum_resolve_fn fn, void *ctx,
                               quorum_diags *d) {
    if (!name) name = "<memory>";
    quorum_pack *p = pack_of(quorum_doc_load_memory_resolved(e, data, len, name,
                                                             fn, ctx, d),
                             name, d);
    if (p) {
        p->resolve = fn;
        p->resolve_ctx = ctx;
    }
    return p;
}

void qpack_stream_drop(quorum_pack *p) {
    qps_free(p->stream);
    p->stream = NULL;
}

void quorum_pack_free(quorum_pack *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].pdf);
        qpdfin_doc_free(&p->items[i].pdfdoc);
        qpack_pdfs_free(&p->items[i].apdf);
        quorum_doc_free(p->items[i].kept);
    }
    free(p->last->included);
    qps_free(p->stream);
    qpack_cache_close(p->cache);
    quorum_doc_free(p->meeting);
    qarena_free(p->a);
    free(p);
}

/* Reads an item's report.  Only one report tree is alive at a time (the
 * caller frees it once checked or laid out): 50 trees held together were
 * half the peak memory of a 50-report pack.  The first read gives the
 * loader's diagnostics and fixes the item's hash; later reads are quiet. */
static quorum_doc *load_item(const quorum_engine *e, const quorum_pack *p,
                             const pitem *it, quorum_diags *d, unsigned flags,
                             const qload_pdfs *had) {
    if (!p->resolve) {
        size_t before = quorum_diags_count(d);
        quorum_doc *doc = qload_doc(e, it->path, d, flags, had);
        if (!doc) qpack_note_unread(d, before, it->item, it->number, it->report);
        return doc;
    }
    char *data = NULL;
    size_t len = 0;
    int rc = p->resolve(p->resolve_ctx, it->report, &data, &len);
    if (rc != 0) {
        /* as a report file that cannot be opened */
        qpos fp = {qdiag_file(d, it->path), 0, 0};
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, fp,
                        "cannot read file: %s",
                        rc > 0 ? strerror(rc) : "not supplied");
        qpack_note_unread(d, quorum_diags_count(d) - 1, it->item, it->number, it->report);
        return NULL;
    }
    quorum_doc *doc = qload_doc_memory(e, data, len, it->path, p->resolve,
                                       p->resolve_ctx, d, flags, had);
    free(data);
    return doc;
}

/* A PDF item's file, read and inspected once (its diagnostics given at
 * the item's report="…"); 1 when it can be included. */
static int open_pdf(const quorum_engine *e, quorum_pack *p, pitem *it, quorum_diags *d) {
    if (it->tried) return it->loaded;
    it->tried = 1;
    qpos at = qdoc_attr_get(it->item, "report")->pos;
    it->loaded = qload_pdf_read(e, it->path, it->report, at, p->resolve, p->resolve_ctx,
                                &it->pdf, &it->pdf_len, &it->pdfdoc, d) == 0;
    /* an item without a title takes its PDF's, else the file's name */
    if (!it->title) it->title = it->pdfdoc.title ? qarena_strdup(p->a, it->pdfdoc.title)
                                                 : it->report;
    item_hash(p->a, it, NULL, it->hash);
    it->hashed = 1;
    it->nsrcs = 1;
    it->srcs = qarena_alloc(p->a, sizeof *it->srcs);
    it->srcs_at = qarena_alloc(p->a, sizeof *it->srcs_at);
    it->srcs[0] = it->path;
    it->srcs_at[0] = at;
    it->far = qarena_alloc(p->a, sizeof *it->far);
    return it->loaded;
}

/* Reads an item's report again (read before: quiet, not validated) or
 * for the first time (its diagnostics in d).  Reads p and it only, so
 * reports may be read on several threads at once (pack layout). */
static quorum_doc *read_item(const quorum_engine *e, const quorum_pack *p,
                             const pitem *it, int first, quorum_diags *d) {
    if (first) return load_item(e, p, it, d, 0, NULL);
    /* its PDF appendices as the first read found them */
    qload_pdfs had = {it->apdf.pdf, it->apdf.n};
    quorum_diags *quiet = quorum_diags_new();
    quorum_doc *doc = load_item(e, p, it, quiet, QLOAD_NO_SCHEMA, &had);
    quorum_diags_free(quiet);
    return doc;
}

/* What the first read of an item's report fixes: whether it loads, its
 * hash and the files it was read from. */
void qpack_item_hash(const quorum_pack *p, size_t i, const quorum_doc *doc, qarena *a,
                     qpack_hashed *h) {
    item_hash(a, &p->items[i], doc, h->hash);
    qmanifest_file *files = NULL;
    h->listed = doc && qsince_files(a, p->items[i].path, doc, &files, &h->nfiles) == 0;
    h->files = files;
}

void qpack_item_noted(quorum_pack *p, size_t i, quorum_doc *doc, const qpack_hashed *h,
                      qarena *ha) {
    pitem *it = &p->items[i];
    qarena *a = p->a;
    if (ha) qarena_adopt(a, ha); /* where h's files are */
    if (!it->tried) {
        it->tried = 1;
        it->loaded = doc != NULL;
    }
    if (it->hashed) return;
    qpack_hashed mine;
    if (!h) qpack_item_hash(p, i, doc, a, &mine);
    const qpack_hashed *x = h ? h : &mine;
    memcpy(it->hash, x->hash, 32);
    it->hashed = 1;
    it->listed = x->listed;
    it->files = x->files;
    it->nfiles = x->nfiles;
    /* copied: the names live in the document, freed after this read */
    qpack_pdfs_take(a, &it->apdf, doc);
    it->nsrcs = quorum_doc_source_count(doc);
    it->srcs = qarena_alloc(a, (it->nsrcs ? it->nsrcs : 1) * sizeof *it->srcs);
    it->srcs_at = qarena_alloc(a, (it->nsrcs ? it->nsrcs : 1) * sizeof *it->srcs_at);
    for (size_t k = 0; k < it->nsrcs; k++) {
        const char *sp = quorum_doc_source_path(doc, k);
        it->srcs[k] = sp ? qarena_strdup(a, sp) : NULL;
        it->srcs_at[k] = qdoc_source_pos(doc, k);
    }
    size_t nim = doc ? doc->nimages : 0;
    it->far = qarena_alloc(a, (nim ? nim : 1) * sizeof *it->far);
    for (size_t k = 0; k < nim; k++) {
        if (doc->images[k].beside) continue;
        struct qdoc_image im = doc->images[k];
        im.path = qarena_strdup(a, im.path);
        im.src = qarena_strdup(a, im.src);
        /* only the names outlive the document */
        im.bytes = NULL;
        im.img = NULL;
        it->far[it->nfar++] = im;
    }
}

#define note_item(p, it, doc) qpack_item_noted(p, (size_t)((it) - (p)->items), doc, NULL, NULL)
static quorum_doc *open_item(const quorum_engine *e, quorum_pack *p, pitem *it,
                             quorum_diags *d) {
    if (!it->path) return NULL;
    if (it->is_pdf) {
        open_pdf(e, p, it, d);
        return NULL; /* no document tree: the callers ask is_pdf first */
    }
    quorum_doc *doc = read_item(e, p, it, !it->tried, d);
    note_item(p, it, doc);
    return doc;
}

/* The files of the last layout, for an archive copy (PDF/A-3b): the
 * meeting file, then each report in it with its appendix files, in pack
 * order, each file once (two reports may share an appendix). */
static void list_sources(const quorum_pack *p) {
    pranges *r = p->last;
    size_t cap = 1;
    for (size_t i = 0; i < p->n; i++) cap += p->items[i].nsrcs;
    r->srcs = qarena_alloc(p->a, cap * sizeof *r->srcs);
    r->nsrcs = 0;
    r->srcs[r->nsrcs++] = p->meeting_path;
    for (size_t i = 0; i < p->n; i++) {
        const pitem *it = &p->items[i];
        if (!r->included[i] || !it->loaded) continue;
        for (size_t k = 0; k < it->nsrcs; k++) {
            int seen = !it->srcs[k];
            for (size_t j = 0; j < r->nsrcs && !seen; j++)
                seen = strcmp(r->srcs[j], it->srcs[k]) == 0;
            if (!seen) r->srcs[r->nsrcs++] = it->srcs[k];
        }
    }
}

size_t quorum_pack_source_count(const quorum_pack *p) { return p ? p->last->nsrcs : 0; }
const char *quorum_pack_source_path(const quorum_pack *p, size_t i) {
    return p && i < p->last->nsrcs ? p->last->srcs[i] : NULL;
}

size_t quorum_pack_check_archive(const quorum_pack *p, quorum_diags *d) {
    size_t errors = 0;
    if (p && p->last->included)
        errors += qdoc_archive_plain(p->meeting_path, qdoc_source_pos(p->meeting, 0), d);
    for (size_t i = 0; p && p->last->included && i < p->n; i++) {
        const pitem *it = &p->items[i];
        if (!p->last->included[i] || !it->loaded) continue;
        errors += qdoc_archive_errors(it->far, it->nfar, d);
        for (size_t k = 0; k < it->nsrcs; k++)
            if (it->srcs[k]) errors += qdoc_archive_plain(it->srcs[k], it->srcs_at[k], d);
    }
    return errors;
}

size_t quorum_pack_check_archive_pdfs(const quorum_pack *p, int level, quorum_diags *d) {
    size_t errors = 0;
    for (size_t i = 0; p && p->last->included && i < p->n; i++) {
        const pitem *it = &p->items[i];
        if (!p->last->included[i] || !it->loaded) continue;
        if (it->is_pdf)
            errors += qload_pdf_archive_error(it->report, it->pdfdoc.pdfa_part, level,
                                              qdoc_attr_get(it->item, "report")->pos, d);
        for (size_t k = 0; k < it->apdf.n; k++)
            errors += qload_pdf_archive_error(it->apdf.pdf[k].href,
                                              it->apdf.pdf[k].info->pdfa_part, level,
                                              it->apdf.at[k], d);
    }
    return errors;
}

/* ---- checks -------------------------------------------------------------- */

/* A report that is not open (qdoc_published: exempt in any spelling, or
 * a status no one can read) on an item that is: it would be published.
 * Said by the check and again by the layout, which refuses to draw it,
 * so that no caller publishes it by skipping the check.  Returns 1 then. */
static size_t withheld_on_open(qarena *a, const pitem *it, const quorum_doc *doc,
                               quorum_diags *d) {
    const qnode *f = NULL;
    if (qdoc_access_of(a, doc, &f) == QDOC_OPEN) return 0;
    const char *said = qdoc_value_text(a, f);
    qdiag_add(d, QUORUM_ERROR, qdoc_attr_get(it->item, "report")->pos,
              "report \"%s\" is not open (its %s is \"%s\") but item %s is open: "
              "it would be published; give the item exempt-paragraph",
              it->report, qdoc_attr(f, "role"), said, it->number);
    return 1;
}

/* After the last of the untagged PDFs' warnings: how many, and which,
 * items and reports' appendices. */
static void untagged_summary(const quorum_pack *p, quorum_diags *d) {
    qpack_untagged u = {0};
    for (size_t i = 0; i < p->n; i++) {
        const pitem *it = &p->items[i];
        if (!it->report || it->exempt) continue;
        if (it->is_pdf && it->loaded && !it->pdfdoc.tagged)
            qpack_untagged_add(p->a, &u, it->report, NULL, qdoc_attr_get(it->item, "report")->pos);
        for (size_t k = 0; k < it->apdf.n; k++)
            if (!it->apdf.pdf[k].info->tagged)
                qpack_untagged_add(p->a, &u, it->apdf.pdf[k].href,
                                   it->number ? it->number : "", it->apdf.at[k]);
    }
    qpack_untagged_note(&u, d);
}

/* An error when item i names a report an item before it names: 1 then. */
static size_t twice_on_agenda(const quorum_pack *p, size_t i, quorum_diags *d) {
    const pitem *it = &p->items[i];
    for (size_t j = 0; j < i; j++)
        if (p->items[j].report && !p->items[j].exempt &&
            strcmp(p->items[j].report, it->report) == 0) {
            qdiag_add(d, QUORUM_ERROR, qdoc_attr_get(it->item, "report")->pos,
                      "report \"%s\" is already on the agenda as item %s",
                      it->report, p->items[j].number);
            return 1;
        }
    return 0;
}

/* The checks of item i's report doc, loaded: the report's own and the
 * pack's rules for it, errors added to *errors.  Reads p only (scratch in
 * a), so reports may be checked on several threads at once. */
static void check_report(const quorum_engine *e, const quorum_pack *p, size_t i,
                         const quorum_doc *doc, qarena *a, const quorum_options *opt,
                         size_t *errors, quorum_diags *d) {
    const pitem *it = &p->items[i];
    const qnode *root = p->meeting->root;
    const qnode *bn = qdoc_first_child_of(root, QN_BODY);
    const qnode *dn = qdoc_first_child_of(root, QN_DATE);
    const char *body = bn ? qdoc_text(a, bn) : NULL;
    const char *date = dn ? qdoc_text(a, dn) : NULL;
    const qattr *ra = qdoc_attr_get(it->item, "report");
    *errors += quorum_doc_check(e, doc, opt, d);
    *errors += twice_on_agenda(p, i, d);
    *errors += withheld_on_open(a, it, doc, d);
    const char *md = qdoc_field_value(a, doc, "meeting-date", "date");
    if (md && date && strcmp(md, date) != 0)
        qdiag_add(d, QUORUM_WARNING, ra->pos,
                  "report \"%s\" is for a meeting on %s, this meeting is on %s",
                  it->report, md, date);
    const char *mb = qdoc_field_value(a, doc, "meeting", NULL);
    if (mb && body && strcmp(mb, body) != 0)
        qdiag_add(d, QUORUM_WARNING, ra->pos,
                  "report \"%s\" is for %s, this meeting is of %s", it->report, mb,
                  body);
    qmeeting_check_law(p->meeting, doc, ra, d);
}

/* Item i's report read for the check (NULL: nothing to check), its errors
 * added to *errors: the report's own checks and the pack's rules for it.
 * The caller frees the document (or lays it out first). */
static quorum_doc *check_item(const quorum_engine *e, quorum_pack *p, size_t i,
                              const quorum_options *opt, size_t *errors,
                              quorum_diags *d) {
    pitem *it = &p->items[i];
    if (!it->report || it->exempt) return NULL;
    if (it->same) { /* its report was checked when it was published */
        *errors += twice_on_agenda(p, i, d);
        return NULL;
    }
    if (it->is_pdf) { /* its bytes only: opened, and warned of if untagged */
        *errors += !it->path || !open_pdf(e, p, it, d);
        if (it->loaded)
            qload_pdf_warn_untagged(it->report, &it->pdfdoc, "pack",
                                    qdoc_attr_get(it->item, "report")->pos, d);
        return NULL;
    }
    quorum_doc *doc = open_item(e, p, it, d);
    if (!doc) {
        (*errors)++; /* loading said why */
        return NULL;
    }
    check_report(e, p, i, doc, p->a, opt, errors, d);
    return doc;
}

/* for quorum_pack_check (pack_check.c) */
int qpack_item_first_read(const quorum_pack *p, size_t i) {
    const pitem *it = &p->items[i];
    return it->report && !it->exempt && !it->same && !it->is_pdf && it->path && !it->tried;
}
quorum_doc *qpack_item_read_check(const quorum_engine *e, const quorum_pack *p, size_t i,
                                  qarena *a, const quorum_options *opt, size_t *errors,
                                  quorum_diags *d) {
    quorum_doc *doc = read_item(e, p, &p->items[i], 1, d);
    if (doc) check_report(e, p, i, doc, a, opt, errors, d);
    return doc;
}
quorum_doc *qpack_job_read(const quorum_engine *e, const quorum_pack *p, size_t i, int first,
                          int check, const quorum_options *opt, size_t *errors,
                          quorum_doc *kept, quorum_diags *d) {
    /* kept: the tree --since's check read, not read again */
    quorum_doc *doc = kept ? kept : read_item(e, p, &p->items[i], first, d);
    if (doc && check) {
        qarena *a = qarena_new(0);
        check_report(e, p, i, doc, a, opt, errors, d);
        qarena_free(a);
    }
    return doc;
}
void qpack_item_check_here(const quorum_engine *e, quorum_pack *p, size_t i,
                           const quorum_options *opt, size_t *errors, quorum_diags *d) {
    quorum_doc_free(check_item(e, p, i, opt, errors, d));
}
void qpack_check_summary(const quorum_pack *p, quorum_diags *d) { untagged_summary(p, d); }

/* ---- manifests ------------------------------------------------------------ */

/* The key an item is matched by between two packs: its id, else its number. */
static const char *item_key(const pitem *it) {
    return it->id ? it->id : it->number;
}

/* --since: the check's tree of an item the supplement will hold (its hash
 * is not the manifest's) is kept for its layout, which read every such
 * report a second time (a few only: each is a report's whole tree). */
int qpack_item_keep(quorum_pack *p, size_t i, quorum_doc *doc) {
    pitem *it = &p->items[i];
    if (!doc || !p->since || p->nkept == 8 || it->kept || !it->hashed) return 0;
    const qmanifest_item *mi = qmanifest_find(p->since, item_key(it));
    if (mi && memcmp(mi->sha256, it->hash, 32) == 0) return 0;
    it->kept = doc;
    p->nkept++;
    return 1;
}

static void drop_kept(quorum_pack *p) {
    for (size_t i = 0; i < p->n; i++) {
        quorum_doc_free(p->items[i].kept);
        p->items[i].kept = NULL;
    }
    p->nkept = 0;
}

quorum_status quorum_pack_write(const quorum_pack *p, const quorum_layout *l,
                                const char *pdf_path, const quorum_pdf_options *opt,
                                quorum_diags *d) {
    return qpack_write_made(p, l, pdf_path, opt, NULL, 0, d);
}

quorum_status qpack_write_made(const quorum_pack *p, const quorum_layout *l,
                               const char *pdf_path, const quorum_pdf_options *opt,
                               const void *pdf, size_t pdf_len, quorum_diags *d) {
    int ours = p && l && pdf_path && p->last->layout == l;
    /* written beside the layout: its file, for this path and options */
    qatomic *made = NULL;
    quorum_status took = ours ? qps_take_file(p->stream, pdf_path, opt, &made, d) : QUORUM_OK;
    if (!ours) qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                               "pack write: not the layout of this pack");
    if (!ours || took != QUORUM_OK) return ours ? took : QUORUM_USAGE;
    const qnode *root = p->meeting->root;
    const qnode *dn = qdoc_first_child_of(root, QN_DATE);
    qarena *a = qarena_new(0);
    qmanifest m = {0};
    m.meeting_id = qdoc_attr(root, "id");
    m.meeting_date = dn ? qdoc_text(a, dn) : NULL;
    m.pages = p->last->npages;
    m.nitems = p->n;
    m.items = qarena_alloc(a, (p->n ? p->n : 1) * sizeof *m.items);
    for (size_t i = 0; i < p->n; i++) {
        const pitem *it = &p->items[i];
        qmanifest_item *mi = &m.items[i];
        mi->number = it->number;
        mi->key = item_key(it);
        mi->title = it->title;
        memcpy(mi->sha256, it->hash, sizeof mi->sha256);
        mi->files = it->files;
        mi->nfiles = it->nfiles;
        mi->listed = it->listed;
        mi->in_pack = p->last->included[i];
        if (mi->in_pack && it->first_page >= 0) {
            mi->first_page = (unsigned long long)it->first_page + 1;
            mi->last_page = (unsigned long long)it->last_page + 1;
        }
    }
    qatomic_gone *gone = NULL; /* what they replace, freed meanwhile */
    quorum_status st = qmanifest_commit(l, pdf_path, opt, pdf, pdf_len, made, &m, &gone, d);
    /* the cache after the pack: a full disk loses the cache, not the pack */
    if (st == QUORUM_OK && p->cache) qpack_cache_commit(p->cache);
    qarena_free(a);
    qatomic_gone_wait(gone);
    return st;
}

/* The item was read: its hash and the files it covers (a manifest's or a
 * cache entry's list, with their paths now), its sources those files. */
void qpack_item_take(quorum_pack *p, size_t i, const unsigned char hash[32], const char **paths,
                     size_t n, const qmanifest_file *files, size_t nfiles, int same) {
    pitem *it = &p->items[i];
    memcpy(it->hash, hash, 32);
    it->hashed = it->tried = it->loaded = 1;
    it->srcs = paths;
    it->nsrcs = n;
    it->srcs_at = qarena_alloc(p->a, (n ? n : 1) * sizeof *it->srcs_at);
    for (size_t k = 0; k < n; k++) it->srcs_at[k] = qdoc_attr_get(it->item, "report")->pos;
    it->far = qarena_alloc(p->a, sizeof *it->far);
    it->files = files;
    it->nfiles = nfiles;
    it->listed = 1;
    it->same = same;
}

int qpack_item_unread(const quorum_pack *p, size_t i, int cached, qarena *a, qpack_unread *u) {
    const pitem *it = &p->items[i];
    if (!it->path || it->exempt || it->tried || it->is_pdf) return 0;
    /* --since hashes files from disk only: a resolver's reports are read */
    if (cached ? it->to_follow : p->resolve != NULL) return 0;
    u->key = item_key(it);
    u->number = it->number;
    u->path = it->path;
    item_hash_text(&u->text, a, it);
    return 1;
}

qarena *qpack_arena(quorum_pack *p) { return p->a; }

/* ---- layout -------------------------------------------------------------- */

/* Decided before the workers start, so they never read what the pack's
 * thread writes into the items as it takes their results. */
static unsigned char job_kind(const pitem *it, const qpack_entry *x, int together) {
    if (!it->path || it->exempt || it->is_pdf) return JOB_NONE;
    if (!together && (!it->loaded || x->to_follow)) return JOB_NONE;
    return (unsigned char)((x->to_follow ? JOB_READ : JOB_READ | JOB_LAY_OUT) |
                           (it->tried ? 0 : JOB_FIRST));
}

/* A full pack keeps a report's layout in the cache, with what its read,
 * check and layout (job J) said but for errors; not a report whose PDF
 * appendices the pack warns of after the last report (untagged_summary). */
static void keep(qpack_cache *c, const pitem *it, const pjob *J) {
    if (c && J->dl && J->d && it->listed &&
        (quorum_diags_count(J->d) == quorum_diags_count_severity(J->d, QUORUM_NOTE) ||
         !it->apdf.n))
        qpack_cache_put(c, item_key(it), it->number, it->hash, it->files, it->nfiles, J->dl,
                        J->d, J->nchecked);
}

quorum_layout *qpack_layout_visit(const quorum_engine *eng, quorum_pack *p,
                                  const quorum_pack_options *opt, qpack_work_fn work,
                                  void *ctx, quorum_diags *d) {
    if (!p) return NULL;
    if (qdiag_no_engine(eng, "layout", d)) return NULL;
    qpack_stream_drop(p);
    const qnode *root = p->meeting->root;
    int supplement = opt && (opt->supplement || opt->since_manifest);
    quorum_options copt = {opt ? opt->font_dir : NULL, opt ? opt->style : NULL};
    size_t errors0 = quorum_diags_count_severity(d, QUORUM_ERROR);
    /* The whole pack is checked report by report as it is laid out, each
     * report read once (reading it twice was a fifth of a pack's time); a
     * supplement's hashes come first, so it is checked first instead. */
    int together = opt && opt->check && !supplement;
    /* --since first: the items whose files are as the manifest lists
     * them are neither read nor checked */
    const char *since_pdf = NULL, *since_man = NULL;
    qmanifest m;
    qsince *since = NULL;
    if (opt && opt->since_manifest) {
        since = qsince_begin(eng, p, opt->since_manifest, &m, &since_pdf, &since_man, d);
        if (!since) return NULL;
    }
    p->since = since ? &m : NULL;
    /* the check says its words once the PDF is the manifest's */
    quorum_diags *cd = since ? qdiag_fork(d) : d;
    int stop = opt && opt->check && !together &&
               (quorum_pack_check(eng, p, &copt, cd) ||
                quorum_diags_count_severity(cd, QUORUM_ERROR) > (since ? 0 : errors0));
    p->since = NULL;
    if (since) {
        if (qsince_end(since, p, d) == 0) qdiag_append(d, cd);
        else stop = 1;
        quorum_diags_free(cd);
    }
    if (stop) {
        drop_kept(p);
        return NULL;
    }
    if (together) qmeeting_check(eng, p->meeting, &copt, eng->holidays_path, d);
    unsigned char *inc = calloc(p->n ? p->n : 1, 1);
    if (!inc) qfatal_oom();
    qpos mpos = root->pos;
    /* Without a check first, the agenda still needs to know which reports
     * load and a supplement their hashes: read each (and free it) now. */
    for (size_t i = 0; i < p->n && !together; i++)
        if (p->items[i].path && !p->items[i].exempt && !p->items[i].tried)
            quorum_doc_free(open_item(eng, p, &p->items[i], d));
    /* The agenda names a PDF item's document by its title: a PDF is read
     * (not laid out) before it, checked together or not. */
    for (size_t i = 0; i < p->n && together; i++)
        if (p->items[i].is_pdf && p->items[i].path && !p->items[i].exempt)
            open_pdf(eng, p, &p->items[i], d);
    if (opt && opt->since_manifest) {
        for (size_t i = 0; i < p->n; i++) {
            const qmanifest_item *mi = qmanifest_find(&m, item_key(&p->items[i]));
            inc[i] = !mi || memcmp(mi->sha256, p->items[i].hash, 32) != 0;
        }
    } else {
        for (size_t i = 0; i < p->n; i++) inc[i] = !supplement || p->items[i].late;
    }
    size_t ne = 0;
    for (size_t i = 0; i < p->n; i++) ne += inc[i];
    if (supplement && ne == 0) {
        if (opt->since_manifest)
            qdiag_add(d, QUORUM_ERROR, mpos, "supplement: no item was added or changed "
                                             "since %s", opt->since_manifest);
        else
            qdiag_add(d, QUORUM_ERROR, mpos, "supplement: the agenda has no late items");
        free(inc);
        return NULL;
    }
    /* Supplement published on: the latest published= of its items. */
    const char *supp_pub = NULL;
    if (supplement) {
        for (size_t i = 0; i < p->n; i++)
            if (inc[i] && p->items[i].published &&
                (!supp_pub || strcmp(p->items[i].published, supp_pub) > 0))
                supp_pub = p->items[i].published;
        if (!supp_pub)
            qdiag_add(d, QUORUM_WARNING, mpos, "supplement: no item in it gives published=, "
                                               "so the front sheet has no publication date");
    }
    qpack_entry *e = calloc(ne ? ne : 1, sizeof *e);
    size_t *which = calloc(ne ? ne : 1, sizeof *which);
    if (!e || !which) qfatal_oom();
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        p->items[i].first_page = p->items[i].last_page = -1;
        if (!inc[i]) continue;
        const pitem *it = &p->items[i];
        which[k] = i;
        e[k].item = it->item;
        e[k].number = it->number;
        e[k].title = it->title;
        /* the PDF's own title, where it says more than the item's */
        if (it->is_pdf && it->loaded && it->pdfdoc.title && it->title &&
            strcmp(it->pdfdoc.title, it->title) != 0)
            e[k].document = it->pdfdoc.title;
        e[k].exempt = it->exempt;
        e[k].urgency = it->late ? it->urgency : NULL;
        e[k].to_follow = !it->exempt && it->to_follow;
        /* together: a report that will not load is an error, and no pack */
        e[k].in_pack = it->exempt || it->loaded || e[k].to_follow ||
                       (together && it->path);
        k++;
    }
    quorum_layout *out = NULL;
    /* together, the layout's own diagnostics are given only with the pack:
     * a check that fails stops it at that report */
    quorum_diags *ld = together ? quorum_diags_new() : d;
    qpack_l *pl = qpl_new_styled(eng, opt ? opt->font_dir : NULL, opt ? opt->style : NULL, ld);
    /* together, every report is checked even when the pack cannot be made */
    int rc = pl && qpl_front(pl, p->meeting, e, ne, supplement, supp_pub) == 0 ? 0 : -1;
    qpack_cache *cache = together && !work && rc == 0 && opt->cache_dir
                             ? qpack_cache_for(eng, p, opt->cache_dir, pl) : NULL;
    if (rc == 0 || together) {
        playout w = {eng, p, rc == 0 ? pl : NULL, e, which, &copt, together,
                     calloc(ne ? ne : 1, sizeof *w.jobs), calloc(ne ? ne : 1, 1), work, ctx,
                     NULL, NULL, NULL};
        if (!w.jobs || !w.kind) qfatal_oom();
        for (size_t j = 0; j < ne; j++) {
            w.kind[j] = job_kind(&p->items[which[j]], &e[j], together);
            if (w.kind[j]) w.jobs[j].d = qdiag_fork(d);
            /* --since: the tree its check read, not read again */
            if (w.kind[j] & JOB_READ) w.jobs[j].doc = p->items[which[j]].kept;
            p->items[which[j]].kept = NULL;
        }
        unsigned threads = qpack_threads(eng, p);
        if (opt && opt->draw && rc == 0 && threads > 1) w.draw = qpd_new(ne, opt->draw, pl);
        /* before the workers read it: a first read looked up there first,
         * on the workers, a window ahead (a hit is an item read) */
        qpd_cache(&w, cache, ne);
        qpool *pool = qpool_start(threads, ne, qpd_ahead(&w, threads), qpack_job, &w);
        if (w.draw && !qpool_workers(pool)) { /* no worker: drawn by the write */
            qpd_free(w.draw);
            w.draw = NULL;
        }
        qpdf_drawn *drawn = w.draw ? qpd_drawn_new(w.draw) : NULL;
        /* the writer beside the layout; not with a PDF item, placed into
         * the saved file (qpdf_place_foreign) */
        int pdfs = 0;
        for (size_t j = 0; j < ne; j++) pdfs |= p->items[which[j]].is_pdf;
        if (w.draw && !pdfs) w.stream = qps_begin(qpl_dl(pl), opt->draw, opt->draw_to, cache, d);
        size_t next = 0; /* jobs before it are taken (take_drawn) */
        for (size_t j = 0; j < ne && (rc == 0 || together); j++) {
            pitem *it = &p->items[which[j]];
            pjob *J = &w.jobs[j];
            qpack_probe_take(&w, p, pool, j);
            int drawing = w.draw && (w.kind[j] & JOB_LAY_OUT);
            /* drawn reports go on being drawn while the next are laid out:
             * taken after the loop, their window given back as soon as
             * they have their start (qpool_release below) */
            while (next < j && !drawing && w.kind[j] != 0)
                qpack_take_drawn(&w, pool, pl, drawn, next++);
            if (drawing) qps_wait_laid_out(&w, pool, pl, j);
            else if (w.kind[j]) qpool_wait(pool, next = j);
            if (!drawing && w.kind[j]) next = j + 1;
            size_t ignored = 0; /* errors are counted in d, loaders' too */
            quorum_doc *doc = NULL;
            if (J->hit) {
                /* what its report said, and the agenda's own rule, in the
                 * order a clean build says them */
                qpack_cache_say(cache, j, d, ld);
                twice_on_agenda(p, which[j], d);
            } else if (together && w.kind[j]) {
                /* the first read of its report, and its check, done */
                qdiag_append_range(d, J->d, 0, J->nchecked);
                note_item(p, it, J->doc);
                doc = J->doc;
                J->doc = NULL;
            } else if (together) {
                doc = check_item(eng, p, which[j], &copt, &ignored, d);
            }
            if (together && quorum_diags_count_severity(d, QUORUM_ERROR) > errors0)
                rc = -1;
            if (rc != 0) {
                /* checked only */
            } else if (J->hit) {
                rc = qpack_hit_drawn(&w, pl, &e[j], j);
                if (rc == 0) qps_note(w.stream, j);
            } else if (it->exempt) {
                rc = qpl_exempt(pl, &e[j]);
            } else if (e[j].to_follow) {
                rc = qpl_to_follow(pl, &e[j]);
            } else if (it->is_pdf && it->loaded) {
                /* the item's place in the layout's diagnostics (ld) */
                qpos at = qdoc_attr_get(it->item, "report")->pos;
                const char *mf = qdiag_file_name(d, at.file);
                at.file = mf ? qdiag_file(ld, mf) : 0;
                rc = qpl_pdf(pl, &e[j], it->path, it->pdf, it->pdf_len, &it->pdfdoc, at);
            } else if (it->loaded) {
                /* Read, laid out and freed a few at a time, so a
                 * 1,500-page pack holds a few report trees beside its
                 * display list. */
                if (!doc) {
                    doc = J->doc;
                    J->doc = NULL;
                }
                if (doc && !together && withheld_on_open(p->a, it, doc, d)) {
                    rc = -1;
                } else if (doc) {
                    if (J->d) qdiag_append_range(ld, J->d, J->nchecked, SIZE_MAX);
                    keep(cache, it, J);
                    if (drawing && J->dl) { /* its pages drawn by its worker */
                        rc = qpack_reserve_drawn(&w, pl, &e[j], j);
                        if (rc == 0) qps_note(w.stream, j);
                    } else {
                        rc = qpl_splice(pl, &e[j], J->dl);
                        J->dl = NULL;
                    }
                } else {
                    qdiag_add(ld, QUORUM_ERROR, qdoc_attr_get(it->item, "report")->pos,
                              "report \"%s\" could not be read again for the layout",
                              it->report);
                    rc = -1;
                }
            }
            if (drawing) qpd_start(w.draw, j, -1); /* when it was not started */
            /* its worker needs nothing more of this thread: the next
             * report may start on the first worker free, instead of that
             * worker waiting for this one's drawing to end (issue 18:
             * the workers idled a third of the layout); every item, or
             * one this thread never waits for would close the window */
            if (rc == 0) qps_bound(&w, pool, pl, j); /* the read-ahead */
            if (w.draw) qpool_release(pool, j);
            quorum_doc_free(doc);
        }
        if (rc == 0) qps_pump(&w, pool, pl, ne, 1);
        qpd_stop_all(w.draw);
        for (; w.draw && next < ne; next++) qpack_take_drawn(&w, pool, pl, drawn, next);
        qpool_finish(pool);
        qpd_free(w.draw);
        for (size_t j = 0; j < ne; j++) qpack_job_free(&w.jobs[j]);
        free(w.jobs);
        qpack_trim(&w, ne); /* what the workers freed */
        free(w.kind);
        if (together) untagged_summary(p, d);
        /* a report left out is no pack: finishing would publish the rest
         * as if it were whole */
        if (rc == 0) {
            const qnode *pub = qdoc_first_child_of(root, QN_PUBLISHED);
            const char *published = supp_pub ? supp_pub : pub ? qdoc_text(p->a, pub) : NULL;
            out = qpl_finish(pl, e, ne, qdate_document(p->a, eng->source_date_epoch, published));
            pl = NULL;
            if (out) qps_finish(&w, drawn, &p->stream); /* the front, the save */
            if (out && drawn) {
                out->dl->drawn = drawn;
                out->dl->drawn_free = qpdf_drawn_free;
                drawn = NULL;
            }
        }
        qpdf_drawn_free(drawn);
        qps_free(w.stream); /* no pack */
    }
    qpl_free(pl);
    if (together) {
        /* what stopped the layout, unless the check did */
        if (out || quorum_diags_count_severity(d, QUORUM_ERROR) == errors0)
            qdiag_append(d, ld);
        quorum_diags_free(ld);
    }
    /* its entries are written with the pack (quorum_pack_write) */
    qpack_cache_close(p->cache);
    p->cache = out ? cache : NULL;
    if (!out) qpack_cache_close(cache);
    if (out) {
        for (size_t j = 0; j < ne; j++) {
            pitem *it = &p->items[which[j]];
            it->first_page = e[j].first_page;
            it->last_page = e[j].last_page;
        }
        free(p->last->included);
        p->last->included = inc;
        p->last->layout = out;
        p->last->npages = out->dl->pages.len;
        list_sources(p);
        /* every file read, so that no output replaces one: the reports
         * of items a supplement leaves out were read too */
        qdlist_add_input(out->dl, p->meeting_path);
        for (size_t i = 0; i < p->n; i++)
            for (size_t j = 0; j < p->items[i].nsrcs; j++)
                qdlist_add_input(out->dl, p->items[i].srcs[j]);
        qdlist_add_input(out->dl, since_man);
        qdlist_add_input(out->dl, since_pdf);
        qdlist_add_input(out->dl, eng->holidays_path);
    } else {
        free(inc);
    }
    drop_kept(p); /* those not laid out (a front that failed) */
    free(e);
    free(which);
    return out;
}

/* ---- for the site writer (src/html) -------------------------------------- */

size_t qpack_item_count(const quorum_pack *p) { return p ? p->n : 0; }

void qpack_item_get(const quorum_pack *p, size_t i, qpack_item *out) {
    const pitem *it = &p->items[i];
    *out = (qpack_item){it->item, it->number, it->title, it->id, it->exempt,
                        it->path, it->late, it->published,
                        it->hashed ? it->hash : NULL, it->tried && it->loaded};
}

const quorum_doc *qpack_meeting(const quorum_pack *p) { return p->meeting; }

quorum_doc *qpack_item_open(const quorum_engine *e, quorum_pack *p, size_t i,
                            quorum_diags *d) {
    if (i >= p->n || p->items[i].exempt) return NULL;
    return open_item(e, p, &p->items[i], d);
}

quorum_doc *qpack_item_read(const quorum_engine *e, const quorum_pack *p, size_t i,
                            quorum_diags *d) {
    const pitem *it = i < p->n ? &p->items[i] : NULL;
    int ok = it && it->path && !it->exempt && !it->is_pdf && it->tried && it->hashed;
    return ok ? read_item(e, p, it, 0, d) : NULL;
}

/* a caller's resolver need not be thread-safe */
unsigned qpack_threads(const quorum_engine *e, const quorum_pack *p) { return p->resolve ? 1 : e->jobs; }
