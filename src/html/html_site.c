/* quorum_pack_publish: a meeting as a static site.  Every file is made in
 * memory and written only when its bytes differ from what is there, so a
 * rebuild rewrites what changed and nothing else.  A report's files are
 * written into temporary files beside their names as soon as they are made
 * (on the thread that made them) and put in place only once every file of
 * the site is made, so a site that fails leaves what was there. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>

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
    struct made *made;   /* per item: made on any thread, not yet written */
    quorum_diags **pd;   /* per item: what making its PDF and writing its
                            files said (forks of d, given in agenda order) */
    int one_pass;        /* checked as laid out: pages made on the layout's workers */
    pthread_t caller;    /* the calling thread (the pack's) */
    qqueue *aside;       /* the reports' PDFs made beside the pack, or NULL */
    qatomic *idx_tmp;    /* the index's new bytes, not in place yet */
    const char *stream_to; /* the pack's PDF, written beside its layout */
    /* the options the packs are drawn on the workers for and written with */
    quorum_pdf_options pdfo;
    /* per item: its page's and PDF's names and paths */
    const char **html, **pdf, **html_path, **pdf_path;
    /* what every file of the site depends on besides its report: quorum's
     * version, the style file, the font folder, the date policy */
    qsha256_ctx base;
} site;

/* hex SHA-256 of base followed by data[0..n) into hex (65 bytes): on any
 * thread */
static void key_hex(const site *w, const void *data, size_t n, char *hex) {
    qsha256_ctx c = w->base;
    qsha256_update(&c, data, n);
    unsigned char sum[32];
    qsha256_final(&c, sum);
    qsha256_hex(sum, hex);
}

/* the same in w's arena (the calling thread's) */
static const char *key(site *w, const void *data, size_t n) {
    char *hex = qarena_alloc(w->a, 65);
    key_hex(w, data, n, hex);
    return hex;
}

static const char *in_dir(site *w, const char *name) {
    return qarena_printf(w->a, "%s/%s", w->dir, name);
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

/* Item i's page and PDF, made (on any thread) but not yet written.  The
 * page first (from the check's read, or the pack's, or a read of its
 * own), then the report's layout where the PDF would change, then the
 * PDF (once the pack's pages of it are drawn).  Nothing is written until
 * every report has been checked: a report that fails leaves no half
 * site. */
struct made {
    qstr html;
    int has_html;
    int need_pdf;        /* the PDF is not there, or would change */
    char sources[65];    /* quorum-sources: "" before its hash is known */
    quorum_layout *lay;
    unsigned char *pdf;  /* NULL: the PDF is there and would not change */
    size_t pdf_len;
    quorum_status st;    /* of its layout or PDF, or of writing them */
    /* its PDF's and its page's new bytes in temporary files beside them,
     * put in place by site_commit (NULL: nothing to write) */
    qatomic *tmp[2];
    int staged;          /* both written so (or not needed) */
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
}

/* Item i's page from doc into w->made[i], reading w's names only (any
 * thread).  The page names what it was made from (quorum-sources: the
 * item's hash of its report's files, and the site's base), so a page that
 * would not change says its PDF would not either, when that is there: the
 * PDF is not laid out again. */
static void make_page(const site *w, size_t i, const quorum_doc *doc,
                      const unsigned char *hash) {
    struct made *m = &w->made[i];
    if (hash) key_hex(w, hash, 32, m->sources);
    qhtml_page pg = {.pdf_href = w->pdf[i], .up_href = "index.html",
                     .up_text = w->w->text[QW_SITE_UP],
                     .sources = m->sources[0] ? m->sources : NULL};
    qhtml_report(&m->html, doc, w->s, &pg);
    m->has_html = 1;
    m->need_pdf = !m->sources[0] || !qhtml_same(m->html.s, m->html.len, w->html_path[i]) ||
                  qfile_kind(w->pdf_path[i]) != 0;
}

/* The check's worker: item i's report, checked without an error. */
static void checked_report(void *ctx, size_t i, const quorum_doc *doc,
                           const unsigned char hash[32]) {
    make_page(ctx, i, doc, hash);
}

static void item_hash_of(site *w, size_t i, const unsigned char **hash) {
    qpack_item it;
    qpack_item_get(w->p, i, &it);
    *hash = it.hash;
}

/* The page of an item read first here (a pack not checked), on the
 * calling thread. */
static int report_files(site *w, size_t i) {
    quorum_doc *doc = qpack_item_open(w->e, w->p, i, w->d);
    if (!doc) return 0;
    const unsigned char *hash;
    item_hash_of(w, i, &hash);
    make_page(w, i, doc, hash);
    quorum_doc_free(doc);
    return 1;
}

/* Item i's page made before its hash was known (one_pass) given it: the
 * zeros of its quorum-sources replaced (the first such element is the
 * head's, before anything of the report's). */
static void name_sources(struct made *m) {
    static const char at[] = "<meta name=\"quorum-sources\" content=\"";
    char *p = m->html.s ? strstr(m->html.s, at) : NULL;
    if (p && m->sources[0]) memcpy(p + sizeof at - 1, m->sources, 64);
}

/* bytes[0..n) as the new contents of path (what: "the PDF"), written into
 * a temporary file beside it (*tmp), for site_commit to put in place or
 * remove; nothing when path has these bytes already.  Any thread. */
static quorum_status stage(const site *w, qatomic **tmp, const void *bytes, size_t n,
                           const char *path, const char *what, quorum_diags *d) {
    if (qatomic_check_target(path, what, w->inputs, 1, d)) return QUORUM_USAGE;
    if (qhtml_same(bytes, n, path)) return QUORUM_OK;
    qatomic *a = qatomic_open(path, QATOMIC_ORDINARY);
    if (!a) return qatomic_open_error(path, errno ? errno : EIO, d);
    qatomic_write(a, n ? bytes : "", n);
    /* closed now: a site of many reports holds no descriptor a file */
    int err = qatomic_finish(a);
    if (err) {
        qatomic_abort(a);
        return qatomic_open_error(path, err, d);
    }
    *tmp = a;
    return QUORUM_OK;
}

/* Item i's PDF and page written into their temporary files by the thread
 * that made them (the paths were fixed before it started), and freed.
 * The page is put in place after the PDF (site_commit), so a PDF that
 * failed is made again by the next run. */
static void stage_item(const site *w, size_t i, quorum_diags *d) {
    struct made *m = &w->made[i];
    if (m->st == QUORUM_OK && m->pdf)
        m->st = stage(w, &m->tmp[0], m->pdf, m->pdf_len, w->pdf_path[i], "the PDF", d);
    /* a page that needs no PDF is there with these bytes already */
    if (m->st == QUORUM_OK && m->need_pdf)
        m->st = stage(w, &m->tmp[1], m->html.s, m->html.len, w->html_path[i], "the HTML", d);
    free(m->pdf);
    m->pdf = NULL;
    qstr_free(&m->html);
    m->staged = 1;
}

/* Every staged file put in place (keep, and the site made whole), in
 * agenda order, each report's PDF before its page, the index last; else
 * removed. */
static void site_commit(site *w, size_t n, int keep) {
    for (size_t i = 0; i <= n; i++)
        for (int k = 0; k < 2; k++) {
            qatomic **tmp = i < n ? &w->made[i].tmp[k] : k ? &w->idx_tmp : NULL;
            qatomic *a = tmp ? *tmp : NULL;
            if (!a) continue;
            *tmp = NULL;
            if (!keep || w->st != QUORUM_OK) {
                qatomic_abort(a);
                continue;
            }
            const char *path = i == n ? in_dir(w, "index.html") : k ? w->html_path[i] : w->pdf_path[i];
            int err = qatomic_commit(a);
            if (err) w->st = qatomic_open_error(path, err, w->d);
        }
}

static void make_pdf(struct made *m, quorum_diags *d) {
    m->st = m->lay ? quorum_layout_write_pdf_memory(m->lay, NULL, &m->pdf, &m->pdf_len, d)
                   : QUORUM_INVALID_INPUT;
    quorum_layout_free(m->lay);
    m->lay = NULL;
}

/* ---- the reports' PDFs made beside the pack ------------------------------
 * A new site's report, once the pack's pages of it are drawn, is handed to
 * threads of the site's own (a qqueue), which make its PDF and write its
 * files, so the pack's worker goes on to the next report and the pack's
 * save begins while the last reports' PDFs are made (issue 17: the save
 * waited for them, one core idle).  At most AHEAD reports wait, each
 * holding its own layout (about half a megabyte): a worker that would
 * hand over one more waits. */
#define AHEAD 4

static void aside_job(void *ctx, size_t i) {
    site *w = ctx;
    struct made *m = &w->made[i];
    if (m->lay) make_pdf(m, w->pd[i]);
    name_sources(m);
    stage_item(w, i, w->pd[i]);
}

/* On the pack's worker, with the report it has just laid out: its page
 * when the check did not make it, and its own layout when the PDF would
 * change; then (alone NULL), once the pack's pages of it are drawn, its
 * PDF from that layout, beside the pack's writer on the calling thread.
 * Making the PDF first held the writer up (and the pack's pages were
 * drawn on the calling thread), so the last reports' layouts waited
 * for the pack's PDF instead (issue 17). */
static void work_report(void *ctx, size_t i, const quorum_doc *doc, const qdlist *alone,
                        quorum_diags *d) {
    site *w = ctx;
    struct made *m = &w->made[i];
    if (!alone) {
        /* In the folder there already (the pack's file is written into
         * it beside the layout), on a worker (not the calling thread,
         * which runs the jobs when there is none): this call comes after
         * the pack's thread noted the report, its hash with it, and gave
         * its pages their start, so its files are made and written now,
         * beside the layout (aside), instead of after the pack's save
         * (a fifth of what was serial at the end, issue 17). */
        const unsigned char *hash;
        item_hash_of(w, i, &hash);
        if (w->aside && hash && !pthread_equal(pthread_self(), w->caller)) {
            key_hex(w, hash, 32, m->sources);
            qqueue_put(w->aside, i);
        } else if (m->lay) {
            make_pdf(m, w->pd[i]);
        }
        return;
    }
    if (w->one_pass && !m->has_html) {
        /* checked as it was laid out: the pack's thread hashes its files
         * once this job is taken, so the page names zeros until then
         * (name_sources); its PDF is made, and written where it differs */
        memset(m->sources, '0', 64);
        make_page(w, i, doc, NULL);
        m->sources[0] = 0;
        m->need_pdf = 1;
    }
    if (!m->has_html) make_page(w, i, doc, NULL);
    if (!m->need_pdf || m->lay) return;
    /* the pack's layout of it, made its own (16 M instructions a report
     * less than laying it out again); laid out again where it cannot be */
    m->lay = qpl_own_layout(w->e, w->s, w->opt->font_dir, alone, doc, d);
    if (!m->lay) m->lay = quorum_doc_layout(w->e, doc, w->opt, d);
    if (!m->lay) make_pdf(m, d);
}

/* Every report's page and PDF not made yet, made and staged on the pool
 * while the calling thread makes the packs. */
typedef struct rest {
    site *w;
    size_t *which;        /* the items */
    quorum_diags **d;     /* per item: the site's forks (pd) */
    qpool *pool;
    size_t n;
} rest;

static void rest_job(void *ctx, size_t j) {
    rest *r = ctx;
    site *w = r->w;
    size_t i = r->which[j];
    struct made *m = &w->made[i];
    if (m->st != QUORUM_OK || m->staged) return;
    int lay_out = m->need_pdf && !m->lay && !m->pdf;
    quorum_doc *doc = NULL;
    if (!m->has_html || lay_out) {
        doc = qpack_item_read(w->e, w->p, i, r->d[j]);
        if (!doc) {
            m->st = QUORUM_INVALID_INPUT;
            return;
        }
    }
    if (!m->has_html) make_page(w, i, doc, NULL);
    if (lay_out) m->lay = quorum_doc_layout(w->e, doc, w->opt, r->d[j]);
    quorum_doc_free(doc);
    if (m->need_pdf && !m->pdf) make_pdf(m, r->d[j]);
    if (w->one_pass) name_sources(m);
    stage_item(w, i, r->d[j]);
}

static void rest_start(site *w, rest *r, const unsigned char *pages, size_t n) {
    *r = (rest){w, calloc(n ? n : 1, sizeof *r->which), calloc(n ? n : 1, sizeof *r->d),
                NULL, 0};
    if (!r->which || !r->d) qfatal_oom();
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        if (pages[i]) {
            todo += !w->made[i].staged;
            r->d[r->n] = w->pd[i];
            r->which[r->n++] = i;
        }
    /* every one staged on the layout's workers: said in rest_finish */
    unsigned threads = todo ? qpack_threads(w->e, w->p) : 1;
    /* all ahead: the calling thread takes them once the packs are made */
    r->pool = qpool_start(threads, r->n, r->n, rest_job, r);
}

/* What rest_job said, in agenda order on the calling thread, up to the
 * first report that failed. */
static void rest_finish(site *w, rest *r) {
    for (size_t j = 0; j < r->n && w->st == QUORUM_OK; j++) {
        qpool_wait(r->pool, j);
        qdiag_append(w->d, r->d[j]);
        struct made *m = &w->made[r->which[j]];
        if (m->st != QUORUM_OK) w->st = m->st;
    }
    qpool_finish(r->pool);
    free(r->which);
    free(r->d);
}

/* The pack (or the supplement: late items) laid out as the pack command
 * lays it out, each report's pages drawn on the worker that laid it out;
 * the full pack hands each report to work_report, and a new site's is
 * written beside its layout (stream_to). */
static quorum_layout *pack_layout(site *w, int supplement, int check) {
    quorum_pack_options po = {w->opt->font_dir, w->opt->style, NULL, supplement, check, NULL,
                              &w->pdfo, supplement ? NULL : w->stream_to};
    quorum_layout *lay = qpack_layout_visit(w->e, w->p, &po, supplement ? NULL : work_report,
                                            w, w->d);
    if (!lay && w->st == QUORUM_OK) w->st = QUORUM_INVALID_INPUT;
    return lay;
}

/* Its PDF and manifest as the pack command writes them, when its PDF
 * changed (a new site's: written beside its layout, committed now unless
 * the site failed); lay is freed. */
static void pack_write(site *w, quorum_layout *lay, const char *name, int streamed) {
    const char *path = in_dir(w, name);
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (w->st != QUORUM_OK) {
        quorum_layout_free(lay);
        return;
    }
    quorum_status st = streamed ? qpack_write_made(w->p, lay, path, &w->pdfo, NULL, 0, w->d)
                                : quorum_layout_write_pdf_memory(lay, &w->pdfo, &bytes, &len,
                                                                 w->d);
    if (streamed) {
        if (st != QUORUM_OK && w->st == QUORUM_OK) w->st = st;
        quorum_layout_free(lay);
        return;
    }
    int same = st == QUORUM_OK && qhtml_same(bytes, len, path) &&
               qfile_kind(qmanifest_path(w->a, path)) == 0;
    if (st == QUORUM_OK && !same) st = qpack_write_made(w->p, lay, path, NULL, bytes, len, w->d);
    if (st != QUORUM_OK && w->st == QUORUM_OK) w->st = st;
    free(bytes);
    quorum_layout_free(lay);
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

/* dir made when missing (*made set: a site that fails removes it again,
 * rather than leave an empty folder where none was). */
static quorum_status make_dir(const char *dir, int *made, quorum_diags *d) {
    if (mkdir(dir, 0777) == 0) {
        *made = 1;
    } else if (errno != EEXIST) {
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
    return QUORUM_OK;
}

/* What every file of the site depends on besides its report. */
static void site_base(site *w) {
    qsha256_init(&w->base);
    qsha256_update(&w->base, QUORUM_VERSION_STRING, sizeof QUORUM_VERSION_STRING);
    if (w->s->file_bytes) qsha256_update(&w->base, w->s->file_bytes, w->s->file_len);
    else qsha256_update(&w->base, qstyle_builtin_xml, qstyle_builtin_xml_len);
    qpack_hash_words(&w->base, w->s->strings);
    const char *fd = w->opt->font_dir ? w->opt->font_dir : w->e->font_dir;
    qsha256_update(&w->base, fd, strlen(fd) + 1);
    qsha256_update(&w->base, &w->e->source_date_epoch, sizeof w->e->source_date_epoch);
}

/* The site's per-item arrays and names, before any worker starts. */
static void site_items(site *w, size_t n) {
    w->made = calloc(n ? n : 1, sizeof *w->made);
    w->pd = calloc(n ? n : 1, sizeof *w->pd);
    if (!w->made || !w->pd) qfatal_oom();
    for (size_t i = 0; i < n; i++) w->pd[i] = qdiag_fork(w->d);
    const char ***names[] = {&w->html, &w->pdf, &w->html_path, &w->pdf_path};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        *names[k] = qarena_alloc(w->a, (n ? n : 1) * sizeof **names[k]);
    for (size_t i = 0; i < n; i++) name_item(w, i);
}

/* Frees what was made and not written (a stop on the way). */
static quorum_status site_close(site *w, size_t n) {
    site_commit(w, n, 0); /* what is left: nothing when it was committed */
    for (size_t i = 0; i < n; i++) {
        qstr_free(&w->made[i].html);
        free(w->made[i].pdf);
        quorum_layout_free(w->made[i].lay);
        quorum_diags_free(w->pd[i]);
    }
    free(w->made);
    free(w->pd);
    quorum_status st = w->st;
    qarena_free(w->a);
    return st;
}

/* The packs (the full one laid out already when made is not NULL), the
 * reports' pages and PDFs not made yet (on the pool, beside the packs),
 * then the index: its bytes in idx. */
static void site_files(site *w, const unsigned char *pages, size_t n, int late,
                       const qstr *idx, quorum_layout *made) {
    /* the index names what the packs were made from: when it would not
     * change and the packs are there, they would not change either */
    int fresh = qhtml_same(idx->s, idx->len, in_dir(w, "index.html"));
    static const char *const packs[] = {"agenda-pack.pdf", "agenda-pack.manifest",
                                        "supplement.pdf", "supplement.manifest"};
    for (size_t k = 0; k < (late ? 4u : 2u); k++)
        if (qfile_kind(in_dir(w, packs[k])) != 0) fresh = 0;
    if (made) fresh = 0;
    quorum_layout *pack = made ? made : fresh ? NULL : pack_layout(w, 0, 0);
    if (w->st != QUORUM_OK) {
        quorum_layout_free(pack);
        return;
    }
    const char *ip = in_dir(w, "index.html");
    quorum_status st = stage(w, &w->idx_tmp, idx->s, idx->len, ip, "the HTML", w->d);
    if (st != QUORUM_OK) w->st = st;
    /* the reports' PDFs are made while this thread makes the packs';
     * a pack written beside its layout is put in place only once they
     * are (a report that fails leaves no half site) */
    int streamed = made && w->stream_to;
    rest r;
    rest_start(w, &r, pages, n);
    if (pack && !streamed) pack_write(w, pack, "agenda-pack.pdf", 0);
    if (streamed) {
        rest_finish(w, &r);
        pack_write(w, pack, "agenda-pack.pdf", 1);
    }
    if (w->st == QUORUM_OK && !fresh && late) {
        quorum_layout *supp = pack_layout(w, 1, 0);
        if (supp) pack_write(w, supp, "supplement.pdf", 0);
    }
    if (!streamed) rest_finish(w, &r);
    site_commit(w, n, 1);
}

/* quorum_pack_publish, with the check first when check is set (the
 * pages made from the check's reads); strict: a warning stops it too. */
static quorum_status publish(const quorum_engine *e, quorum_pack *p, const quorum_options *opt,
                             const char *dir, int check, int strict, quorum_diags *d) {
    if (!e || !p || !dir || !*dir) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "publish: no engine, pack or folder");
        return QUORUM_USAGE;
    }
    int made_dir = 0;
    quorum_status st = check ? QUORUM_OK : make_dir(dir, &made_dir, d);
    if (st != QUORUM_OK) return st;
    quorum_options none = {0};
    site w = {.e = e, .p = p, .opt = opt ? opt : &none, .dir = dir, .a = qarena_new(0),
              .d = d, .st = QUORUM_OK, .caller = pthread_self()};
    /* a style that cannot be loaded: the check says so, as it would alone */
    quorum_diags *sd = check ? quorum_diags_new() : d;
    w.s = qstyle_get(e, w.opt->style, w.opt->font_dir, sd);
    if (check && w.s) qdiag_append_range(d, sd, 0, SIZE_MAX);
    if (check) quorum_diags_free(sd);
    if (!w.s) {
        if (check) quorum_pack_check(e, p, w.opt, d);
        qarena_free(w.a);
        if (made_dir) remove(dir);
        st = quorum_diags_status(d);
        return st == QUORUM_OK ? QUORUM_INVALID_INPUT : st;
    }
    w.w = qw_for(w.a, w.s->strings, qdoc_attr(qpack_meeting(p)->root, "xml:lang"));
    site_base(&w);
    const char *meeting_path = qpack_meeting(p)->path;
    w.inputs = qarena_alloc(w.a, sizeof *w.inputs);
    w.inputs[0] = meeting_path;
    size_t n = qpack_item_count(p);
    site_items(&w, n);
    unsigned char *pages = qarena_alloc(w.a, n ? n : 1);
    quorum_layout *made = NULL;
    /* A site that is not there yet (no index) is made whole: each report
     * read once, checked, laid out and its page and PDF made, as the pack
     * command checks and lays out (reading each report for the check
     * first, then for the pack, was a tenth of the site's time).  One that
     * is there is checked first: its pages say whether anything changed,
     * and when nothing did nothing is laid out. */
    w.one_pass = check && qfile_kind(in_dir(&w, "index.html")) == ENOENT;
    if (w.one_pass) {
        /* Its pack written beside the layout, as `quorum pack` writes it
         * (the calling thread places the pages the workers draw), into a
         * temporary file in the folder, made for it when missing and
         * removed again when the site is refused.  Not with --werror: a
         * warning refuses the site after a layout that saved its file. */
        int kind = qfile_kind(dir);
        if (kind == ENOENT && !strict) made_dir = mkdir(dir, 0777) == 0;
        if (!strict && (made_dir || kind == EISDIR)) w.stream_to = in_dir(&w, "agenda-pack.pdf");
        unsigned threads = qpack_threads(e, p);
        if (w.stream_to && threads > 1) w.aside = qqueue_start(threads, AHEAD, aside_job, &w);
        made = pack_layout(&w, 0, 1);
        qqueue_finish(w.aside);
        w.aside = NULL;
        w.st = QUORUM_OK; /* the count below says why */
    } else if (check) {
        /* each report read once for the check and its page */
        qpack_check_visit(e, p, w.opt, checked_report, &w, d);
    }
    if (check) {
        size_t errors = quorum_diags_count_severity(d, QUORUM_ERROR);
        size_t warnings = quorum_diags_count_severity(d, QUORUM_WARNING);
        if (errors || (strict && warnings) || (w.one_pass && !made)) w.st = QUORUM_INVALID_INPUT;
        if (w.st == QUORUM_OK) w.st = make_dir(dir, &made_dir, d);
        if (w.st != QUORUM_OK) {
            quorum_layout_free(made);
            site_commit(&w, n, 0);
            st = site_close(&w, n);
            qpack_stream_drop(p);
            if (made_dir) remove(dir); /* empty: the layout's file went with it */
            return st;
        }
    }
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
    /* every page names its report's hash, known now */
    for (size_t i = 0; i < n; i++) {
        const unsigned char *hash;
        item_hash_of(&w, i, &hash);
        if (hash) key_hex(&w, hash, 32, w.made[i].sources);
    }
    qstr idx = {0};
    if (w.st == QUORUM_OK) {
        index_page(&w, &idx, pages, late, packs_key(&w));
        site_files(&w, pages, n, late, &idx, made);
        made = NULL;
    }
    quorum_layout_free(made);
    qstr_free(&idx);
    st = site_close(&w, n);
    /* a full disk: every file it wrote is gone with the pack's, so the
     * folder it made is empty (remove takes no folder that is not) */
    if (st != QUORUM_OK) qpack_stream_drop(p);
    if (st != QUORUM_OK && made_dir) remove(dir);
    return st;
}

quorum_status quorum_pack_publish(const quorum_engine *e, quorum_pack *p,
                                  const quorum_options *opt, const char *dir,
                                  quorum_diags *d) {
    return publish(e, p, opt, dir, 0, 0, d);
}

quorum_status quorum_pack_check_publish(const quorum_engine *e, quorum_pack *p,
                                        const quorum_options *opt, int strict,
                                        const char *dir, quorum_diags *d) {
    return publish(e, p, opt, dir, 1, strict, d);
}
