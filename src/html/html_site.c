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

static void pdf_of(site *w, quorum_layout *lay, const char *name) {
    unsigned char *bytes = NULL;
    size_t len = 0;
    quorum_status st = quorum_layout_write_pdf_memory(lay, NULL, &bytes, &len, w->d);
    if (st == QUORUM_OK) commit(w, bytes, len, name, "the PDF");
    else if (w->st == QUORUM_OK) w->st = st;
    free(bytes);
}

/* Item i's page and PDF; returns whether the report could be read.  The
 * page names what it was made from (quorum-sources: the item's hash of
 * its report's files, and the site's base), so a page that would not
 * change says its PDF would not either, when that is there: the PDF is
 * not laid out again.  The page is written after the PDF, so a failed
 * PDF is made again by the next run. */
static void report_pages(site *w, size_t i, const quorum_doc *doc) {
    w->done[i] = 1;
    qpack_item it;
    qpack_item_get(w->p, i, &it);
    const char *st = stem(w, &it);
    const char *html = qarena_printf(w->a, "%s.html", st);
    const char *pdf = qarena_printf(w->a, "%s.pdf", st);
    qstr b = {0};
    qhtml_page pg = {.pdf_href = pdf, .up_href = "index.html",
                     .up_text = w->w->text[QW_SITE_UP],
                     .sources = it.hash ? key(w, it.hash, 32) : NULL};
    qhtml_report(&b, doc, w->s, &pg);
    if (!it.hash || !qhtml_same(b.s, b.len, in_dir(w, html)) ||
        qfile_kind(in_dir(w, pdf)) != 0) {
        quorum_layout *lay = quorum_doc_layout(w->e, doc, w->opt, w->d);
        if (lay) pdf_of(w, lay, pdf);
        else if (w->st == QUORUM_OK) w->st = QUORUM_INVALID_INPUT;
        quorum_layout_free(lay);
    }
    if (w->st == QUORUM_OK) commit(w, b.s, b.len, html, "the HTML");
    qstr_free(&b);
}

static int report_files(site *w, size_t i) {
    quorum_doc *doc = qpack_item_open(w->e, w->p, i, w->d);
    if (!doc) return 0;
    report_pages(w, i, doc);
    quorum_doc_free(doc);
    return 1;
}

/* The pack's layout hands over each report it read: its page and PDF are
 * made from that tree, not from another read. */
static int visit_report(void *ctx, size_t i, const quorum_doc *doc) {
    site *w = ctx;
    if (!w->done[i]) report_pages(w, i, doc);
    return w->st == QUORUM_OK ? 0 : -1;
}

/* The pack (or the supplement: late items) as the pack command writes
 * it, PDF and manifest, when its PDF changed. */
static int pack_files(site *w, int supplement, const char *name, int visit) {
    const char *path = in_dir(w, name);
    quorum_pack_options po = {w->opt->font_dir, w->opt->style, NULL, supplement, 0, NULL};
    quorum_layout *lay = qpack_layout_visit(w->e, w->p, &po, visit ? visit_report : NULL,
                                            w, w->d);
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
    if (st == QUORUM_OK && !same) st = quorum_pack_write(w->p, lay, path, NULL, w->d);
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
    if (has_page) link(b, qarena_printf(w->a, "%s.html", st), it->title ? it->title : "Report");
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
        qhtml_str(b, qmeeting_exempt_sentence(w->a, w->w, it->exempt));
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
    const char *title = qarena_printf(w->a, "%s, %s", body ? body : "Meeting",
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
    for (size_t i = 0; i < n && w.st == QUORUM_OK; i++)
        if (pages[i] && !w.done[i]) report_files(&w, i);
    if (w.st == QUORUM_OK) commit(&w, idx.s, idx.len, "index.html", "the HTML");
    qstr_free(&idx);
    quorum_status st = w.st;
    qarena_free(w.a);
    return st;
}
