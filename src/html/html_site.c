/* quorum_pack_publish: a meeting as a static site.  Every file is made in
 * memory and written only when its bytes differ from what is there, so a
 * rebuild rewrites what changed and nothing else. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "html.h"
#include "layout.h"
#include "meeting.h"

struct made;

typedef struct site {
    const quorum_engine *e;
    quorum_pack *p;
    const quorum_options *opt;
    const char *dir;
    const qstyle *s;
    const qw_words *w;   /* the meeting's words (its xml:lang) */
    qarena *a;
    const char **inputs; /* the meeting file: never written over */
    quorum_diags *d;
    quorum_status st;
    unsigned char *done; /* per item: its page and PDF were made */
    struct made *made;   /* per item: made by a worker, not yet written */
    /* per item: its page's and PDF's names, paths and quorum-sources */
    const char **html, **pdf, **html_path, **pdf_path, **sources;
    /* what every file of the site depends on besides its report: quorum's
     * version, the style file, the font folder, the date policy */
    qsha256_ctx base;
} site;

/* hex SHA-256 of base followed by data[0..n) (in w's arena) */
static const char *key(site *w, const void *data, size_t n) {
    qsha256_ctx c = w->base;
    qsha256_update(&c, data, n);
    unsigned char sum[32];
    qsha256_final(&c, sum);
    char *hex = qarena_alloc(w->a, 65);
    qsha256_hex(sum, hex);
    return hex;
}

static const char *in_dir(site *w, const char *name) {
    return qarena_printf(w->a, "%s/%s", w->dir, name);
}

static void commit(site *w, const void *bytes, size_t n, const char *name,
                   const char *what) {
    int written;
    quorum_status st = qhtml_commit(bytes, n, in_dir(w, name), what, w->inputs, 1,
                                    &written, w->d);
    if (st != QUORUM_OK && w->st == QUORUM_OK) w->st = st;
}

/* The file stem of item it's pages: its id when that is a safe file name
 * (ids are XML names: letters, digits, '.', '-', '_'), else item-NUMBER. */
static const char *stem(site *w, const qpack_item *it) {
    const char *id = it->id;
    int ok = id && *id && id[0] != '.' && strcmp(id, "index") != 0 &&
             strcmp(id, "agenda-pack") != 0 && strcmp(id, "supplement") != 0;
    for (const char *c = id; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
             (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
    if (ok) return id;
    char *s = qarena_printf(w->a, "item-%s", it->number ? it->number : "");
    for (char *c = s + 5; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            *c = '-';
    return s;
}

/* Item i's page and PDF, made (on any thread) but not yet written. */
struct made {
    qstr html;
    unsigned char *pdf;  /* NULL: the PDF is there and would not change */
    size_t pdf_len;
    quorum_status st;    /* of its layout or PDF */
    int ready;
};

/* Names fixed before any worker starts, so that a worker reads them
 * only (the site's arena is the calling thread's). */
static void name_item(site *w, size_t i) {
    qpack_item it;
    qpack_item_get(w->p, i, &it);
    const char *st = stem(w, &it);
    w->html[i] = qarena_printf(w->a, "%s.html", st);
    w->pdf[i] = qarena_printf(w->a, "%s.pdf", st);
    w->html_path[i] = in_dir(w, w->html[i]);
    w->pdf_path[i] = in_dir(w, w->pdf[i]);
    w->sources[i] = it.hash ? key(w, it.hash, 32) : NULL;
}

/* Item i's page and PDF into m, reading w's names and options only: the
 * pack's workers call it.  The page names what it was made from
 * (quorum-sources: the item's hash of its report's files, and the site's
 * base), so a page that would not change says its PDF would not either,
 * when that is there: the PDF is not laid out again. */
static void make_pages(const site *w, size_t i, const quorum_doc *doc, quorum_diags *d,
                       struct made *m) {
    m->ready = 1;
    qhtml_page pg = {.pdf_href = w->pdf[i], .up_href = "index.html",
                     .up_text = w->w->text[QW_SITE_UP], .sources = w->sources[i]};
    qhtml_report(&m->html, doc, w->s, &pg);
    if (w->sources[i] && qhtml_same(m->html.s, m->html.len, w->html_path[i]) &&
        qfile_kind(w->pdf_path[i]) == 0)
        return;
    quorum_layout *lay = quorum_doc_layout(w->e, doc, w->opt, d);
    m->st = lay ? quorum_layout_write_pdf_memory(lay, NULL, &m->pdf, &m->pdf_len, d)
                : QUORUM_INVALID_INPUT;
    quorum_layout_free(lay);
}

/* Writes what make_pages made, in agenda order on the calling thread.
 * The page is written after the PDF, so a failed PDF is made again by
 * the next run. */
static void commit_pages(site *w, size_t i, struct made *m) {
    w->done[i] = 1;
    if (m->st != QUORUM_OK && w->st == QUORUM_OK) w->st = m->st;
    if (m->st == QUORUM_OK && m->pdf) commit(w, m->pdf, m->pdf_len, w->pdf[i], "the PDF");
    if (w->st == QUORUM_OK) commit(w, m->html.s, m->html.len, w->html[i], "the HTML");
    qstr_free(&m->html);
    free(m->pdf);
    *m = (struct made){0};
}

static void report_pages(site *w, size_t i, const quorum_doc *doc) {
    struct made m = {0};
    make_pages(w, i, doc, w->d, &m);
    commit_pages(w, i, &m);
}

static int report_files(site *w, size_t i) {
    quorum_doc *doc = qpack_item_open(w->e, w->p, i, w->d);
    if (!doc) return 0;
    name_item(w, i); /* its hash is known now */
    report_pages(w, i, doc);
    quorum_doc_free(doc);
    return 1;
}

/* On the pack's worker, with the report it has just laid out. */
static void work_report(void *ctx, size_t i, const quorum_doc *doc, quorum_diags *d) {
    site *w = ctx;
    if (!w->done[i]) make_pages(w, i, doc, d, &w->made[i]);
}

/* The pack's layout hands over each report it read: its page and PDF are
 * made from that tree (by work_report, or here), not from another read. */
static int visit_report(void *ctx, size_t i, const quorum_doc *doc) {
    site *w = ctx;
    if (w->made[i].ready) commit_pages(w, i, &w->made[i]);
    else if (!w->done[i]) report_pages(w, i, doc);
    return w->st == QUORUM_OK ? 0 : -1;
}

/* The reports the pack did not lay out, read again and made on the
 * pool as the pack's are, written in agenda order. */
typedef struct rest {
    site *w;
    size_t *which;        /* the items */
    quorum_diags **d;     /* per item: forks of the site's */
} rest;

static void rest_job(void *ctx, size_t j) {
    rest *r = ctx;
    size_t i = r->which[j];
    quorum_doc *doc = qpack_item_read(r->w->e, r->w->p, i, r->d[j]);
    if (doc) make_pages(r->w, i, doc, r->d[j], &r->w->made[i]);
    quorum_doc_free(doc);
}

static void rest_files(site *w, const unsigned char *pages, size_t n) {
    rest r = {w, calloc(n ? n : 1, sizeof *r.which), calloc(n ? n : 1, sizeof *r.d)};
    if (!r.which || !r.d) qfatal_oom();
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (pages[i] && !w->done[i]) {
            r.d[m] = qdiag_fork(w->d);
            r.which[m++] = i;
        }
    unsigned threads = qpack_threads(w->e, w->p);
    qpool *pool = qpool_start(threads, m, threads, rest_job, &r);
    for (size_t j = 0; j < m && w->st == QUORUM_OK; j++) {
        qpool_wait(pool, j);
        qdiag_append(w->d, r.d[j]);
        if (w->made[r.which[j]].ready) commit_pages(w, r.which[j], &w->made[r.which[j]]);
    }
    qpool_finish(pool);
    for (size_t j = 0; j < m; j++) quorum_diags_free(r.d[j]);
    free(r.which);
    free(r.d);
}

/* The pack (or the supplement: late items) as the pack command writes
 * it, PDF and manifest, when its PDF changed. */
static int pack_files(site *w, int supplement, const char *name, int visit) {
    const char *path = in_dir(w, name);
    quorum_pack_options po = {w->opt->font_dir, w->opt->style, NULL, supplement, 0, NULL};
    quorum_layout *lay = qpack_layout_visit(w->e, w->p, &po, visit ? work_report : NULL,
                                            visit ? visit_report : NULL, w, w->d);
    if (!lay || w->st != QUORUM_OK) {
        quorum_layout_free(lay);
        if (w->st == QUORUM_OK) w->st = QUORUM_INVALID_INPUT;
        return 0;
    }
    unsigned char *bytes = NULL;
    size_t len = 0;
    quorum_status st = quorum_layout_write_pdf_memory(lay, NULL, &bytes, &len, w->d);
    int same = st == QUORUM_OK && qhtml_same(bytes, len, path) &&
               qfile_kind(qmanifest_path(w->a, path)) == 0;
    if (st == QUORUM_OK && !same) st = qpack_write_made(w->p, lay, path, NULL, bytes, len, w->d);
    if (st != QUORUM_OK && w->st == QUORUM_OK) w->st = st;
    free(bytes);
    quorum_layout_free(lay);
    return 1;
}

static const char *child_text(site *w, qdoc_type t) {
    const qnode *n = qdoc_first_child_of(qpack_meeting(w->p)->root, t);
    return n ? ql_clean_text(w->a, n) : NULL;
}

static void link(qstr *b, const char *href, const char *text) {
    qstr_puts(b, "<a href=\"");
    qhtml_str(b, href);
    qstr_puts(b, "\">");
    qhtml_str(b, text);
    qstr_puts(b, "</a>");
}

/* Key k (one placeholder) with its text escaped and html, markup
 * already, in the placeholder's place. */
static void html_fmt(qstr *b, qarena *a, const qw_words *w, qw_key k, const char *html) {
    const char *t = qw_fmt(a, w, k, "\x01", "\x01");
    const char *m = strchr(t, '\x01');
    qhtml_str(b, m ? qarena_printf(a, "%.*s", (int)(m - t), t) : t);
    if (!m) return;
    qstr_puts(b, html);
    qhtml_str(b, m + 1);
}

static void dl_row(qstr *b, const char *term, const char *value) {
    if (!value) return;
    qstr_puts(b, "<dt>");
    qhtml_str(b, term);
    qstr_puts(b, "</dt><dd>");
    qhtml_str(b, value);
    qstr_puts(b, "</dd>\n");
}

static void members(site *w, qstr *b) {
    const qnode *ms = qdoc_first_child_of(qpack_meeting(w->p)->root, QN_MEMBERSHIP);
    if (!ms) return;
    qstr_puts(b, "<h2 id=\"members\">");
    qhtml_str(b, w->w->text[QW_MEMBERS]);
    qstr_puts(b, "</h2>\n<ul class=\"members\">\n");
    for (const qnode *m = ms->first; m; m = m->next) {
        if (m->type != QN_MEMBER) continue;
        const char *role = qdoc_attr(m, "role");
        qstr_puts(b, "<li>");
        qhtml_str(b, ql_clean_text(w->a, m));
        if (role) {
            qstr_puts(b, " (");
            qhtml_str(b, role);
            qstr_puts(b, ")");
        }
        qstr_puts(b, "</li>\n");
    }
    qstr_puts(b, "</ul>\n");
}

static void clerk(site *w, qstr *b) {
    const qnode *cl = qdoc_first_child_of(qpack_meeting(w->p)->root, QN_CLERK);
    if (!cl) return;
    const char *name = qdoc_attr(cl, "name"), *title = qdoc_attr(cl, "title");
    const char *email = qdoc_attr(cl, "email"), *phone = qdoc_attr(cl, "phone");
    const qw_words *ww = w->w;
    qstr_puts(b, "<h2 id=\"contact\">");
    qhtml_str(b, ww->text[QW_LABEL_CONTACT]);
    qstr_puts(b, "</h2>\n<p>");
    /* the sentence around the name, in the meeting's words; the email a
     * link within it */
    qstr who = {0};
    qhtml_str(&who, name);
    if (title) {
        qstr_puts(&who, ", ");
        qhtml_str(&who, title);
    }
    if (email) {
        qstr mail = {0};
        link(&mail, qarena_printf(w->a, "mailto:%s", email), email);
        qstr_puts(&who, ", ");
        html_fmt(&who, w->a, ww, QW_CONTACT_EMAIL, mail.s);
        qstr_free(&mail);
    }
    if (phone) {
        qstr_puts(&who, ", ");
        qstr ph = {0};
        qhtml_str(&ph, phone);
        html_fmt(&who, w->a, ww, QW_CONTACT_PHONE, ph.s);
        qstr_free(&ph);
    }
    html_fmt(b, w->a, ww, QW_CONTACT, who.s ? who.s : "");
    qstr_free(&who);
    qstr_puts(b, "</p>\n");
}

static void agenda_item(site *w, qstr *b, const qpack_item *it, int has_page) {
    const quorum_doc *m = qpack_meeting(w->p);
    const char *st = stem(w, it);
    qstr_puts(b, "<li id=\"item-");
    qhtml_str(b, it->number);
    qstr_puts(b, "\"><h3><span class=\"num\">");
    qhtml_str(b, it->number);
    qstr_puts(b, ".</span> ");
    if (has_page) link(b, qarena_printf(w->a, "%s.html", st), it->title ? it->title : w->w->text[QW_UNTITLED_REPORT]);
    else qhtml_str(b, it->title);
    qstr_puts(b, "</h3>\n");
    if (it->late) {
        qstr_puts(b, "<p>");
        qhtml_str(b, it->published ? qw_fmt(w->a, w->w, QW_SITE_LATE_PUBLISHED,
                                            qw_date(w->a, w->w, it->published, 0))
                                   : w->w->text[QW_SITE_LATE]);
        qstr_puts(b, "</p>\n");
    }
    if (it->exempt) {
        qstr_puts(b, "<p>");
        qhtml_str(b, qmeeting_exempt_sentence(w->a, w->w, qmeeting_law(m), it->exempt));
        qstr_puts(b, "</p>\n");
    }
    qhtml_blocks(b, m, w->s, it->node->first, 4);
    if (has_page) {
        qstr_puts(b, "<p>");
        link(b, qarena_printf(w->a, "%s.pdf", st),
             qw_fmt(w->a, w->w, QW_SITE_ITEM_PDF, it->number));
        qstr_puts(b, "</p>\n");
    }
    qstr_puts(b, "</li>\n");
}

static void index_page(site *w, qstr *out, const unsigned char *pages, int supplement,
                       const char *sources) {
    const quorum_doc *m = qpack_meeting(w->p);
    const char *body = child_text(w, QN_BODY);
    const char *date = child_text(w, QN_DATE);
    const qw_words *ww = w->w;
    const char *title = qarena_printf(w->a, "%s, %s", body ? body : ww->text[QW_UNTITLED_MEETING],
                                      qw_date(w->a, ww, date, 1));
    qstr b = {0};
    qhtml_page pg = {.title = title, .lang = qdoc_attr(m->root, "xml:lang"), .sources = sources};
    qhtml_head(&b, w->s, &pg);
    qstr_puts(&b, "<h1>");
    qhtml_str(&b, title);
    qstr_puts(&b, "</h1>\n<dl class=\"meeting\">\n");
    dl_row(&b, ww->text[QW_LABEL_DATE], qw_date(w->a, ww, date, 1));
    const char *time = child_text(w, QN_TIME);
    dl_row(&b, ww->text[QW_LABEL_TIME], time ? qmeeting_clock_time(w->a, time) : NULL);
    dl_row(&b, ww->text[QW_LABEL_VENUE], child_text(w, QN_VENUE));
    const char *pub = child_text(w, QN_PUBLISHED);
    dl_row(&b, ww->text[QW_LABEL_PUBLISHED], pub ? qw_date(w->a, ww, pub, 0) : NULL);
    qstr_puts(&b, "</dl>\n");
    const qnode *sm = qdoc_first_child_of(m->root, QN_SUMMONS);
    if (sm) qhtml_blocks(&b, m, w->s, sm->first, 3);
    qstr_puts(&b, "<h2 id=\"documents\">");
    qhtml_str(&b, ww->text[QW_DOCUMENTS]);
    qstr_puts(&b, "</h2>\n<ul>\n<li>");
    link(&b, "agenda-pack.pdf", ww->text[QW_SITE_PACK]);
    qstr_puts(&b, "</li>\n");
    if (supplement) {
        const char *sd = NULL;
        size_t n = qpack_item_count(w->p);
        for (size_t i = 0; i < n; i++) {
            qpack_item it;
            qpack_item_get(w->p, i, &it);
            if (it.late && it.published && (!sd || strcmp(it.published, sd) > 0))
                sd = it.published;
        }
        qstr_puts(&b, "<li>");
        link(&b, "supplement.pdf",
             sd ? qw_fmt(w->a, ww, QW_SITE_SUPPLEMENT_PUBLISHED, qw_date(w->a, ww, sd, 0))
                : ww->text[QW_SITE_SUPPLEMENT]);
        qstr_puts(&b, "</li>\n");
    }
    qstr_puts(&b, "</ul>\n");
    qstr_puts(&b, "<h2 id=\"agenda\">");
    qhtml_str(&b, ww->text[QW_AGENDA]);
    qstr_puts(&b, "</h2>\n<ol class=\"recs agenda\">\n");
    size_t n = qpack_item_count(w->p);
    for (size_t i = 0; i < n; i++) {
        qpack_item it;
        qpack_item_get(w->p, i, &it);
        agenda_item(w, &b, &it, pages[i]);
    }
    qstr_puts(&b, "</ol>\n");
    members(w, &b);
    clerk(w, &b);
    const qnode *info = qdoc_first_child_of(m->root, QN_INFORMATION);
    if (info) {
        const qnode *h = qdoc_first_child_of(info, QN_HEADING);
        qstr_puts(&b, "<h2 id=\"information\">");
        qhtml_str(&b, h ? ql_clean_text(w->a, h) : ww->text[QW_INFORMATION]);
        qstr_puts(&b, "</h2>\n");
        qhtml_blocks(&b, m, w->s, info->first, 3);
    }
    qhtml_tail(&b, w->s, pg.lang);
    *out = b;
}

/* What the packs are made from: the meeting file's bytes and every item's
 * hash (zeros for an item whose report could not be read). */
static const char *packs_key(site *w) {
    const quorum_doc *m = qpack_meeting(w->p);
    qsha256_ctx c;
    qsha256_init(&c);
    for (size_t i = 0; i < m->nsources; i++)
        qsha256_update(&c, m->sources[i].bytes, m->sources[i].len);
    size_t n = qpack_item_count(w->p);
    static const unsigned char none[32];
    for (size_t i = 0; i < n; i++) {
        qpack_item it;
        qpack_item_get(w->p, i, &it);
        qsha256_update(&c, it.hash ? it.hash : none, 32);
    }
    unsigned char sum[32];
    qsha256_final(&c, sum);
    return key(w, sum, 32);
}

quorum_status quorum_pack_publish(const quorum_engine *e, quorum_pack *p,
                                  const quorum_options *opt, const char *dir,
                                  quorum_diags *d) {
    if (!e || !p || !dir || !*dir) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "publish: no engine, pack or folder");
        return QUORUM_USAGE;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot make folder %s: %s", dir, strerror(errno));
        return QUORUM_IO_ERROR;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot publish into %s: not a folder", dir);
        return QUORUM_USAGE;
    }
    quorum_options none = {0};
    site w = {.e = e, .p = p, .opt = opt ? opt : &none, .dir = dir, .a = qarena_new(0),
              .d = d, .st = QUORUM_OK};
    w.s = qstyle_get(e, w.opt->style, w.opt->font_dir, d);
    if (!w.s) {
        qarena_free(w.a);
        quorum_status st = quorum_diags_status(d);
        return st == QUORUM_OK ? QUORUM_INVALID_INPUT : st;
    }
    w.w = qw_for(w.a, w.s->strings, qdoc_attr(qpack_meeting(p)->root, "xml:lang"));
    qsha256_init(&w.base);
    qsha256_update(&w.base, QUORUM_VERSION_STRING, sizeof QUORUM_VERSION_STRING);
    if (w.s->file_bytes) qsha256_update(&w.base, w.s->file_bytes, w.s->file_len);
    else qsha256_update(&w.base, qstyle_builtin_xml, qstyle_builtin_xml_len);
    qpack_hash_words(&w.base, w.s->strings);
    const char *fd = w.opt->font_dir ? w.opt->font_dir : e->font_dir;
    qsha256_update(&w.base, fd, strlen(fd) + 1);
    qsha256_update(&w.base, &e->source_date_epoch, sizeof e->source_date_epoch);
    const char *meeting_path = qpack_meeting(p)->path;
    w.inputs = qarena_alloc(w.a, sizeof *w.inputs);
    w.inputs[0] = meeting_path;
    size_t n = qpack_item_count(p);
    unsigned char *pages = qarena_alloc(w.a, n ? n : 1);
    w.done = qarena_alloc(w.a, n ? n : 1);
    memset(w.done, 0, n ? n : 1);
    w.made = calloc(n ? n : 1, sizeof *w.made);
    if (!w.made) qfatal_oom();
    const char ***names[] = {&w.html, &w.pdf, &w.html_path, &w.pdf_path, &w.sources};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        *names[k] = qarena_alloc(w.a, (n ? n : 1) * sizeof **names[k]);
    int late = 0, all_read = 1;
    for (size_t i = 0; i < n; i++) {
        qpack_item it;
        qpack_item_get(p, i, &it);
        late |= it.late;
        pages[i] = (unsigned char)(it.path && !it.exempt && it.loaded);
        if (it.path && !it.exempt && !it.hash) all_read = 0;
    }
    /* A checked pack knows which reports load; else each is read first. */
    for (size_t i = 0; !all_read && i < n && w.st == QUORUM_OK; i++) {
        qpack_item it;
        qpack_item_get(p, i, &it);
        if (it.path && !it.exempt) pages[i] = (unsigned char)report_files(&w, i);
    }
    for (size_t i = 0; i < n; i++) name_item(&w, i);
    /* the index names what the packs were made from: when it would not
     * change and the packs are there, they would not change either */
    qstr idx = {0};
    if (w.st == QUORUM_OK) index_page(&w, &idx, pages, late, packs_key(&w));
    int fresh = w.st == QUORUM_OK && qhtml_same(idx.s, idx.len, in_dir(&w, "index.html"));
    static const char *const packs[] = {"agenda-pack.pdf", "agenda-pack.manifest",
                                        "supplement.pdf", "supplement.manifest"};
    for (size_t k = 0; k < (late ? 4u : 2u); k++)
        if (qfile_kind(in_dir(&w, packs[k])) != 0) fresh = 0;
    if (w.st == QUORUM_OK && !fresh) pack_files(&w, 0, "agenda-pack.pdf", 1);
    if (w.st == QUORUM_OK && !fresh && late) pack_files(&w, 1, "supplement.pdf", 0);
    /* the reports the pack did not lay out (all of them when it was
     * fresh) */
    if (w.st == QUORUM_OK) rest_files(&w, pages, n);
    if (w.st == QUORUM_OK) commit(&w, idx.s, idx.len, "index.html", "the HTML");
    qstr_free(&idx);
    /* what a layout that stopped left made and not written */
    for (size_t i = 0; i < n; i++) {
        qstr_free(&w.made[i].html);
        free(w.made[i].pdf);
    }
    free(w.made);
    quorum_status st = w.st;
    qarena_free(w.a);
    return st;
}
