/* The agenda pack's own pages: pack.c decides what goes in a pack; this
 * draws it into one display list with layout's flow machinery (layout.h),
 * so the pack's pages paginate and tag like report pages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "layout.h"
#include "meeting.h"
#include "pdfin.h"

/* ---- agenda packs ------------------------------------------------------------
 * The pack's own pages (front sheet, agenda, information, not-for-
 * publication pages) are laid out by the same flow machinery from small
 * synthetic trees, so they paginate and tag like report pages. */

#define PAGE_COL_W 64.0f /* the agenda's "Page" column, fixed (see layout.h) */
#define ENTRY_GAP 10.0f  /* space before an agenda entry */
/* The page number's baseline above the bottom edge, on every page: in a
 * PDF item's bottom band (QL_BAND_BOTTOM, layout.h). */
#define FOOT_BASE 24.0f

struct qpack_l {
    qdlist *dl;
    quorum_diags *d;
    const char *foot;         /* footer of the pack's own pages */
    const char *front_title;  /* bookmark of the front sheet */
    const char *info_title;   /* NULL when the meeting has no information */
    int front_anchor, agenda_anchor, info_anchor;
    int failed;
    const qstyle *style;      /* S during every qpl_ call (the engine's) */
    const char *meeting_day;  /* {date} of the pack's own pages */
    qfont_cache *cache;       /* the engine's, and the font dir in force: */
    const char *font_dir;     /* a report laid out alone gets the same faces */
    const qw_words *w;        /* the meeting's language (set by front_in,
                                 before any report is laid out) */
    qdoc_law law;             /* the meeting's law= (front_in) */
    unsigned char *numbered;  /* by page: its pack page number is drawn
                                 already (qpl_reserve), not by finish */
    size_t nnumbered;
};

/* The pack's words: the meeting's language once front_in has read it. */
static const qw_words *pack_words(qpack_l *p) {
    if (!p->w) p->w = qw_for(p->dl->arena, S->strings, NULL);
    return p->w;
}

/* The faces of the pack's style (its own qfonts: each display list has
 * one, and a report may be laid out on another thread). */
static qfonts *pack_fonts(const qpack_l *p) {
    qfonts *fonts = qfonts_new(p->cache, p->font_dir);
    for (int i = 0; i < QF__COUNT; i++)
        if (p->style->font[i]) qfonts_set_path(fonts, (qfont_face)i, p->style->font[i]);
    return fonts;
}

qpack_l *qpl_new(const quorum_engine *e, const char *font_dir, quorum_diags *d) {
    return qpl_new_styled(e, font_dir, NULL, d);
}

qpack_l *qpl_new_styled(const quorum_engine *e, const char *font_dir,
                        const char *style, quorum_diags *d) {
    const char *dir = font_dir && *font_dir ? font_dir : e->font_dir;
    qpack_l *p = calloc(1, sizeof *p);
    if (!p) qfatal_oom();
    p->d = d;
    p->style = qstyle_get(e, style, dir, d);
    if (!p->style) {
        qpl_free(p);
        return NULL;
    }
    p->cache = e->fonts;
    p->font_dir = dir;
    p->dl = qdlist_new(pack_fonts(p));
    note_style_files(p->dl, p->style);
    if (!qfonts_face(p->dl->fonts, QF_REGULAR, d)) {
        qpl_free(p);
        return NULL;
    }
    return p;
}

void qpl_free(qpack_l *p) {
    if (!p) return;
    free(p->numbered);
    qdlist_free(p->dl);
    free(p);
}

/* The style's header, footer text, bands and logo on pages [first, last]
 * as if they were a document of their own: qstyle_decorate numbers and
 * decorates every page of the list it is given, so it gets a view of the
 * range (its pages vector narrowed; what it adds elsewhere is kept). */
static void decorate_range(qpack_l *p, int first, int last, const qstyle_fields *f) {
    qdlist *dl = p->dl;
    if (first < 0 || last < first || (size_t)last >= dl->pages.len) return;
    qdlist view = *dl;
    view.pages.data = &QVEC_AT(&dl->pages, qdl_page, first);
    view.pages.len = (size_t)(last - first + 1);
    view.pages.cap = view.pages.len; /* decorating adds no pages */
    qvec pages = dl->pages;
    qstyle_decorate(p->style, &view, f, p->d);
    *dl = view;
    dl->pages = pages;
}

static qnode *text_node(qarena *a, const char *s) {
    qnode *t = qdoc_node_new(a, QN_TEXT, NULL, NOPOS);
    t->text = s;
    t->text_len = strlen(s);
    return t;
}

static qnode *wrap_text(qarena *a, qdoc_type type, const char *s) {
    qnode *n = qdoc_node_new(a, type, NULL, NOPOS);
    qdoc_append(n, text_node(a, s));
    return n;
}

static qnode *add_field(qarena *a, qnode *parent, const char *label, const char *value) {
    qnode *f = qdoc_node_new(a, QN_FIELD, NULL, NOPOS);
    qdoc_attr_set(a, f, "label", label, NOPOS);
    if (value) qdoc_append(f, text_node(a, value));
    qdoc_append(parent, f);
    return f;
}

/* "19:00" -> "7.00 pm"; "12:00" -> "12.00 noon". */
const char *qmeeting_clock_time(qarena *a, const char *hm) {
    int h, m;
    if (!hm || sscanf(hm, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return hm ? hm : "";
    if (h == 12 && m == 0) return "12.00 noon";
    return qarena_printf(a, "%d.%02d %s", h % 12 == 0 ? 12 : h % 12, m, h < 12 ? "am" : "pm");
}

static const char *child_text(qarena *a, const qnode *root, qdoc_type t) {
    const qnode *n = qdoc_first_child_of(root, t);
    return n ? ql_clean_text(a, n) : NULL;
}

static void pack_front_sheet(L *l, qpack_l *p, const qnode *root, int supplement,
                             const char *supp_published) {
    qarena *a = l->a;
    int sect = qdlist_add_elem(l->dl, QR_SECT, 0);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, sect, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    ql_add_mark(l, p->front_anchor, -1);
    /* the style's banner: what a council prints above the meeting's name
     * so that a reader knows the pack is the published one */
    if (S->pack_banner && *S->pack_banner)
        ql_heading_line(l, &c, NULL,
                        wrap_text(a, QN_HEADING, qstyle_word(S, l->w, QW_PUBLIC_DOCUMENT_PACK)),
                        QR_P, sect, 14, 18, 0, 10, 0);
    const char *body = child_text(a, root, QN_BODY);
    ql_heading_line(l, &c, NULL, wrap_text(a, QN_HEADING, body ? body : ""), QR_H1, sect,
                 18, 22, 0, supplement ? 4 : 12, 0);
    if (supplement)
        ql_heading_line(l, &c, NULL, wrap_text(a, QN_HEADING, l->w->text[QW_SUPPLEMENTARY_AGENDA]), QR_H1,
                     sect, 16, 20, 0, 12, 0);
    qnode *fs = qdoc_node_new(a, QN_FRONT_SHEET, NULL, NOPOS);
    const char *date = child_text(a, root, QN_DATE), *time = child_text(a, root, QN_TIME);
    add_field(a, fs, l->w->text[QW_LABEL_DATE_TIME],
              qw_fmt(a, l->w, QW_DATE_TIME, qw_date(a, l->w, date, 1), qmeeting_clock_time(a, time)));
    const qnode *venue = qdoc_first_child_of(root, QN_VENUE);
    if (venue) {
        qnode *f = add_field(a, fs, l->w->text[QW_LABEL_VENUE], NULL);
        f->first = venue->first; /* borrowed, as field_table borrows */
        f->last = venue->last;
    }
    const qnode *ms = qdoc_first_child_of(root, QN_MEMBERSHIP);
    if (ms) {
        char *list = "";
        for (const qnode *m = ms->first; m; m = m->next) {
            if (m->type != QN_MEMBER) continue;
            const char *role = qdoc_attr(m, "role");
            const char *name = ql_clean_text(a, m);
            list = role ? qarena_printf(a, "%s%s%s (%s)", list, *list ? ", " : "", name, role)
                        : qarena_printf(a, "%s%s%s", list, *list ? ", " : "", name);
        }
        add_field(a, fs, l->w->text[QW_LABEL_MEMBERSHIP], list);
    }
    add_field(a, fs, l->w->text[QW_LABEL_PUBLISHED],
              qw_date(a, l->w, child_text(a, root, QN_PUBLISHED), 0));
    if (supplement && supp_published)
        add_field(a, fs, l->w->text[QW_LABEL_SUPPLEMENT_PUBLISHED],
                  qw_date(a, l->w, supp_published, 0));
    const qnode *cl = qdoc_first_child_of(root, QN_CLERK);
    if (cl) {
        const char *name = qdoc_attr(cl, "name"), *title = qdoc_attr(cl, "title");
        const char *email = qdoc_attr(cl, "email"), *phone = qdoc_attr(cl, "phone");
        const char *who = qarena_printf(
            a, "%s%s%s%s%s%s%s", name ? name : "", title ? ", " : "", title ? title : "",
            email ? ", " : "", email ? qw_fmt(a, l->w, QW_CONTACT_EMAIL, email) : "",
            phone ? ", " : "", phone ? qw_fmt(a, l->w, QW_CONTACT_PHONE, phone) : "");
        add_field(a, fs, l->w->text[QW_LABEL_CONTACT], qw_fmt(a, l->w, QW_CONTACT, who));
    }
    ql_field_table(l, &c, fs, 0);
    l->pending_after = 14;
    const qnode *sm = qdoc_first_child_of(root, QN_SUMMONS);
    if (sm) ql_blocks(l, &c, sm->first);
}

const char *qmeeting_exempt_words(qarena *a, const qw_words *w, const char *paras) {
    /* "3" -> "paragraph 3", "1 2" -> "paragraphs 1 and 2" */
    const char *list = "", *last = NULL;
    char buf[64];
    for (const char *s = paras; sscanf(s, " %63s", buf) == 1;) {
        s = strstr(s, buf) + strlen(buf);
        if (last) list = qarena_printf(a, "%s%s%s", list, *list ? ", " : "", last);
        last = qarena_strdup(a, buf);
    }
    if (!*list) return qw_fmt(a, w, QW_EXEMPT_PARAGRAPH, last ? last : "");
    return qw_fmt(a, w, QW_EXEMPT_PARAGRAPHS, list, last);
}

/* Each law's words: its statute, what its first paragraph covers (the
 * others follow in order), and its exclusion of the public. */
static const struct {
    qw_key schedule, first, exclusion;
} law_words[QDOC_LAW__COUNT] = {
    [QDOC_LAW_ENGLAND] = {QW_SCHEDULE_12A, QW_SCHEDULE_12A_1, QW_EXCLUSION},
    [QDOC_LAW_WALES] = {QW_SCHEDULE_12A_WALES, QW_SCHEDULE_12A_12, QW_EXCLUSION},
    [QDOC_LAW_SCOTLAND] = {QW_SCHEDULE_7A, QW_SCHEDULE_7A_1, QW_EXCLUSION_SCOTLAND},
};

qdoc_law qmeeting_law(const quorum_doc *meeting) {
    int law = qdoc_law_of(meeting);
    return law < 0 ? QDOC_LAW_ENGLAND : (qdoc_law)law;
}

const char *qmeeting_schedule(const qw_words *w, qdoc_law law) {
    return w->text[law_words[law].schedule];
}

const char *qmeeting_exclusion(qarena *a, const qw_words *w, qdoc_law law) {
    return qw_fmt(a, w, law_words[law].exclusion, qmeeting_schedule(w, law));
}

const char *qmeeting_exempt_sentence(qarena *a, const qw_words *w, qdoc_law law,
                                     const char *paras) {
    char *why = "";
    const char *ps = paras ? paras : "";
    const qdoc_law_info *l = &qdoc_laws[law];
    char buf[16];
    int k = 0;
    for (const char *s = ps; sscanf(s, " %15s", buf) == 1; k++) {
        s = strstr(s, buf) + strlen(buf);
        long v = strtol(buf, NULL, 10);
        if (v >= l->first && v <= l->last)
            why = qarena_printf(a, "%s%s%s", why, k ? "; " : "",
                                w->text[law_words[law].first + (int)(v - l->first)]);
    }
    return qw_fmt(a, w, QW_NOT_FOR_PUBLICATION_BECAUSE, qmeeting_exempt_words(a, w, ps),
                  qmeeting_schedule(w, law), why);
}

static void entry_para(L *l, const bctx *c, int parent, unsigned char face,
                       const char *lead, const char *text, float before, float after) {
    int e = qdlist_add_elem(l->dl, QR_P, parent);
    l->nruns = 0;
    rstyle st = ql_base_style(c);
    if (lead) {
        rstyle b = st;
        b.face = (unsigned char)(face | F_BOLD);
        ql_run_text(l, &b, lead, strlen(lead));
    }
    st.face = face;
    ql_run_text(l, &st, text, strlen(text));
    ql_flow_runs(l, c, e, before, after, 0);
}

/* The face of an agenda item's printed attribute (qstyle_attr_face_of,
 * as the check measures it). */
static unsigned char item_face(const qpack_entry *x, const char *attr) {
    static const qnode bare_item = {.type = QN_AGENDA_ITEM};
    return ATTR_FACE_OF(x->item ? x->item : &bare_item, attr);
}

static void pack_agenda(L *l, qpack_l *p, qpack_entry *e, size_t n) {
    qarena *a = l->a;
    qdoc_law law = p->law;
    int sect = qdlist_add_elem(l->dl, QR_SECT, 0);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, sect, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    size_t first = l->flow.len;
    ql_add_mark(l, p->agenda_anchor, -1);
    ql_heading_line(l, &c, NULL, wrap_text(a, QN_HEADING, l->w->text[QW_AGENDA]), QR_H1, sect, 18, 22, 0,
                 8, 0);
    QVEC_AT(&l->flow, lline, first).flags |= QPB_PAGE;
    float colx = MARGIN_L + l->body_w - PAGE_COL_W;
    {
        size_t idx = ql_push_line(l, BODY_LH, l->pending_after, QPB_KEEP);
        const char *col = l->w->text[QW_AGENDA_PAGE_COLUMN];
        unsigned coln = (unsigned)strlen(col);
        float w = qlb_width(l->faces[QF_REGULAR], col, coln, 10);
        ql_stage_text(l, -1, MARGIN_L + l->body_w - w, ql_baseline(l, 10, BODY_LH), QF_BOLD, 10,
                   FOOT_COLOR, col, coln);
        ql_end_line(l, idx);
        l->pending_after = 0;
    }
    bctx tc = c;
    tc.x = MARGIN_L + HEAD_INDENT;
    tc.w = colx - 8 - tc.x;
    int exempt_seen = 0;
    /* The entries are a table of contents (TOC of TOCIs), each entry in
     * the pack a Reference holding its Link; the exclusion paragraph
     * stands between two runs of entries, so it ends one TOC. */
    int toc = -1;
    for (size_t i = 0; i < n; i++) {
        const qpack_entry *x = &e[i];
        if (x->exempt && !exempt_seen) {
            exempt_seen = 1;
            entry_para(l, &tc, sect, 0, qarena_printf(a, "%s ", l->w->text[QW_EXCLUSION_LEAD]),
                       qmeeting_exclusion(a, l->w, law), ENTRY_GAP, 0);
            /* the exclusion belongs to the items after it */
            QVEC_AT(&l->flow, lline, l->flow.len - 1).flags |= QPB_KEEP;
            toc = -1;
        }
        if (toc < 0) toc = qdlist_add_elem(l->dl, QR_TOC, sect);
        int ti = qdlist_add_elem(l->dl, QR_TOCI, toc);
        int pe = qdlist_add_elem(l->dl, x->in_pack ? QR_REFERENCE : QR_P, ti);
        ql_add_mark(l, x->entry_anchor, -1);
        l->pending_after = fmaxf(l->pending_after, ENTRY_GAP);
        /* An entry in the pack is one link to its first page: number,
         * title and page reference, read in that order (the page column
         * is drawn last, whatever its place on the line). */
        int link = x->in_pack ? qdlist_add_elem(l->dl, QR_LINK, pe) : -1;
        ql_set_label(l, x->number ? x->number : "", MARGIN_L, link >= 0 ? link : pe, QF_BOLD);
        bctx hc = tc;
        hc.face = item_face(x, "title");
        l->nruns = 0;
        rstyle st = ql_base_style(&hc);
        st.elem = link;
        ql_run_text(l, &st, x->title ? x->title : "", x->title ? strlen(x->title) : 0);
        int more = x->urgency || x->exempt || x->to_follow || x->document ||
                   (x->item && x->item->first);
        size_t line0 = l->out->len;
        ql_flow_runs(l, &hc, pe, 0, 3, more);
        if (x->in_pack && l->out->len > line0) {
            /* The page reference, on the title's last line in the flow
             * (so after the title in reading order) but drawn at the right
             * of its first line; the title's lines keep together.  A Span
             * whose /Alt qpl_finish sets ("pages 5 to 41") with the text,
             * once the reports are placed; dest tags it so it can be found
             * after emission. */
            size_t last = l->out->len - 1;
            for (size_t k = line0; k < last; k++) QVEC_AT(l->out, lline, k).flags |= QPB_KEEP;
            float up = (float)(last - line0) * hc.lh;
            qdl_item *it = ql_stage(l, QDL_TEXT, qdlist_add_elem(l->dl, QR_SPAN, link));
            it->x = colx; it->y = ql_baseline(l, BODY_SIZE, BODY_LH) - up; it->face = QF_REGULAR;
            it->size = BODY_SIZE; it->h = BODY_SIZE; it->text = ""; it->len = 0;
            it->dest = -2 - (int)i;
            qdl_item *lk = ql_stage(l, QDL_LINK, link);
            lk->x = MARGIN_L; lk->y = -up; lk->w = l->body_w; lk->h = up + hc.lh;
            lk->dest = x->start_anchor;
            ql_end_line(l, last);
        }
        /* A PDF from elsewhere is named as its author named it too: the
         * reader looking for "Internal Audit Annual Report 2024/25" in the
         * pack finds it under the council's item title. */
        if (x->document)
            entry_para(l, &tc, ti, F_ITALIC, NULL,
                       qarena_printf(a, "Document: %s", x->document), 0, 3);
        if (x->urgency)
            entry_para(l, &tc, ti, item_face(x, "urgency"), NULL,
                       qw_fmt(a, l->w, QW_LATE_ITEM, x->urgency),
                       0, 3);
        if (x->item) {
            bctx bc = tc;
            bc.elem = ti;
            bc.para_after = 3;
            ql_blocks(l, &bc, x->item->first);
        }
        if (x->to_follow)
            entry_para(l, &tc, ti, F_ITALIC, NULL, l->w->text[QW_REPORT_TO_FOLLOW], 0, 3);
        if (x->exempt)
            entry_para(l, &tc, ti, F_ITALIC, NULL,
                       qw_fmt(a, l->w, QW_EXEMPT_ITEM, qmeeting_exempt_words(a, l->w, x->exempt),
                              qmeeting_schedule(l->w, law)),
                       0, 3);
    }
}

static void pack_information(L *l, qpack_l *p, const qnode *info) {
    qarena *a = l->a;
    int sect = qdlist_add_elem(l->dl, QR_SECT, 0);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, sect, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    size_t first = l->flow.len;
    ql_add_mark(l, p->info_anchor, -1);
    const qnode *h = qdoc_first_child_of(info, QN_HEADING);
    p->info_title = h ? ql_clean_text(l->dl->arena, h) : l->w->text[QW_INFORMATION];
    ql_heading_line(l, &c, NULL, h ? h : wrap_text(a, QN_HEADING, p->info_title), QR_H1, sect,
                 16, 20, 0, 10, 0);
    QVEC_AT(&l->flow, lline, first).flags |= QPB_PAGE;
    for (const qnode *x = info->first; x;) {
        if (x->type == QN_HEADING) { x = x->next; continue; }
        x = ql_block(l, &c, x);
    }
}

static int front_in(qpack_l *p, const quorum_doc *meeting, qpack_entry *e, size_t n,
                    int supplement, const char *supplement_published) {
    qdlist *dl = p->dl;
    L l;
    if (ql_ctx_init(&l, dl, meeting, p->d) != 0) return p->failed = -1;
    const qnode *root = meeting->root;
    ql_make_anchors(&l);
    qarena *da = dl->arena;
    const char *body = child_text(da, root, QN_BODY);
    const char *date = child_text(da, root, QN_DATE);
    if (!body) body = "";
    p->w = qw_for(da, S->strings, ql_doc_lang(meeting));
    p->law = qmeeting_law(meeting);
    const char *what = p->w->text[supplement ? QW_SUPPLEMENTARY_AGENDA : QW_AGENDA];
    p->foot = qarena_printf(da, "%s, %s \xE2\x80\x93 %s", body, qw_date(da, p->w, date, 0), what);
    p->front_title = qarena_printf(da, "%s \xE2\x80\x93 %s", body, qw_date(da, p->w, date, 1));
    p->meeting_day = date ? qw_date(da, p->w, date, 0) : NULL;
    dl->title = qarena_printf(da, "%s \xE2\x80\x93 %s \xE2\x80\x93 %s", body,
                              qw_date(da, p->w, date, 1), what);
    const qnode *cl = qdoc_first_child_of(root, QN_CLERK);
    const char *clerk = cl ? qdoc_attr(cl, "name") : NULL;
    if (clerk) dl->author = qarena_strdup(da, clerk);
    const char *lang = qdoc_attr(root, "xml:lang");
    dl->lang = qarena_strdup(da, lang ? lang : "en-GB");
    dl->subject = qw_fmt(da, p->w, QW_AGENDA_PACK_SUBJECT, body, qw_date(da, p->w, date, 1));
    p->front_anchor = qdlist_add_anchor(dl);
    p->agenda_anchor = qdlist_add_anchor(dl);
    for (size_t i = 0; i < n; i++) {
        e[i].entry_anchor = qdlist_add_anchor(dl);
        e[i].start_anchor = e[i].in_pack ? qdlist_add_anchor(dl) : -1;
        e[i].first_page = e[i].last_page = e[i].col_page = -1;
    }
    const qnode *info = qdoc_first_child_of(root, QN_INFORMATION);
    p->info_anchor = info ? qdlist_add_anchor(dl) : -1;
    l.title = p->foot;
    l.foot_right = "";
    pack_front_sheet(&l, p, root, supplement, supplement_published);
    pack_agenda(&l, p, e, n);
    if (info) pack_information(&l, p, info);
    ql_paginate_and_emit(&l);
    qdlist_add_unit(dl, l.page0, 1); /* finished last: the agenda's page column */
    for (size_t pg = (size_t)l.page0; pg < dl->pages.len; pg++) {
        qdl_page *page = ql_page_at(dl, (int)pg);
        for (size_t k = 0; k < page->items.len; k++) {
            qdl_item *it = &QVEC_AT(&page->items, qdl_item, k);
            if (it->kind != QDL_TEXT || it->dest > -2) continue;
            size_t i = (size_t)(-2 - it->dest);
            it->dest = -1;
            if (i < n) { e[i].col_page = (int)pg; e[i].col_item = k; }
        }
    }
    if (l.face_failed) p->failed = -1;
    ql_ctx_done(&l);
    return p->failed;
}

/* "Agenda Item N" at the top right of an item's first page (page of
 * dl), in the margin: printed once, so it is content, not furniture: the
 * heading of the item's Part (parent), H1 as its bookmark is a top one,
 * drawn first so that it is read before the report's own headings, which
 * sit one level below it (item_headings_down), as the report's bookmarks
 * nest under the item's (docs/accessibility.md, "Packs").  -1 when the
 * bold face fails. */
static int item_label(qdlist *dl, quorum_diags *d, const qw_words *w, int page,
                      const char *number, int parent) {
    qfont *b = qfonts_face(dl->fonts, QF_BOLD, d);
    if (!b) return -1;
    const char *s = qw_fmt(dl->arena, w, QW_AGENDA_ITEM, number ? number : "");
    qdl_page *pg = ql_page_at(dl, page);
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, qdlist_add_elem(dl, QR_H1, parent));
    it->len = (unsigned)strlen(s);
    it->w = qlb_width(b, s, it->len, 10);
    it->x = MARGIN_L + BODY_W - it->w; it->y = MARGIN_T - 22;
    it->size = 10; it->h = 10; it->face = QF_BOLD; it->text = s;
    b->used = 1;
    qdl_page_to_front(pg, pg->items.len - 1);
    return 0;
}

static void start_at(qpack_l *p, qpack_entry *e, int page0) {
    e->first_page = page0;
    e->last_page = (int)p->dl->pages.len - 1;
    if (e->start_anchor >= 0) {
        qdl_anchor *an = &QVEC_AT(&p->dl->anchors, qdl_anchor, e->start_anchor);
        an->page = page0;
        an->y = 0;
    }
}

/* The headings of elements from..: one level down (H6 stays H6: tagged
 * PDF has no H7), under the item's own H1. */
static void item_headings_down(qdlist *dl, size_t from) {
    for (size_t i = from; i < dl->elems.len; i++) {
        qdl_elem *el = &QVEC_AT(&dl->elems, qdl_elem, i);
        if (el->role >= QR_H1 && el->role < QR_H6) el->role = (qrole)(el->role + 1);
    }
}

/* A report laid out alone, as it will stand in the pack: its Part, its
 * "Agenda Item N" label and the style's decoration of its pages.  Reads
 * p only (the style, the fonts, the pack's language), so reports may be
 * laid out on several threads at once, each with its own d.  NULL on
 * failure (said in d). */
static qdlist *report_alone(const qpack_l *p, const qpack_entry *e,
                            const quorum_doc *report, quorum_diags *d) {
    /* small blocks: fifty lists each wasting half a big last block would
     * be a third of a pack's memory */
    qdlist *dl = qdlist_new_chunked(pack_fonts(p), 1 << 16);
    dl->lang = p->dl->lang; /* a Part says its language where it differs */
    L l;
    if (ql_ctx_init(&l, dl, report, d) != 0) {
        qdlist_free(dl);
        return NULL;
    }
    l.root_elem = qdlist_add_elem(dl, QR_PART, 0);
    l.outline_base = 1;
    ql_elem_lang(&l, l.root_elem, report->root);
    ql_make_anchors(&l);
    ql_metadata(&l, 0);
    ql_document(&l);
    ql_paginate_and_emit(&l);
    item_headings_down(dl, (size_t)l.root_elem + 1);
    int failed = l.face_failed ||
                 item_label(dl, d, p->w ? p->w : qw_for(dl->arena, S->strings, NULL), 0,
                            e->number, l.root_elem) != 0;
    {
        /* the fields quorum_doc_layout gives a report of its own */
        const qnode *fs = qdoc_first_child_of(report->root, QN_FRONT_SHEET);
        const qnode *h = fs ? qdoc_first_child_of(fs, QN_HEADING) : NULL;
        const qnode *md = qdoc_field(report, "meeting-date");
        const char *date = md ? qdoc_attr(md, "date") : NULL;
        const char *fdate = date ? qw_date(dl->arena, l.w, date, 0) : NULL;
        const char *heading = h ? ql_clean_text(l.a, h) : NULL;
        const char *meeting = heading && fdate
                                  ? qarena_printf(dl->arena, "%s, %s", heading, fdate)
                                  : heading ? qarena_strdup(dl->arena, heading) : NULL;
        qstyle_fields sf = {l.title, meeting, fdate, !qdoc_published(l.a, report), l.w};
        qstyle_decorate(p->style, dl, &sf, d);
    }
    ql_ctx_done(&l);
    if (failed) {
        qdlist_free(dl);
        return NULL;
    }
    return dl;
}

qdlist *qpl_report_alone(const qpack_l *p, const qpack_entry *e, const quorum_doc *report,
                         quorum_diags *d) {
    const qstyle *outer = S;
    S = p->style;
    qdlist *dl = report_alone(p, e, report, d);
    S = outer;
    return dl;
}

static int to_odd_page(qpack_l *p);
static void number_pages(qpack_l *p, int first);

/* Splices a report laid out alone into the pack, after a blank page
 * when the style prints items duplex. */
static int splice_in(qpack_l *p, qpack_entry *e, qdlist *report) {
    qdl_splice at;
    if (!report || to_odd_page(p)) {
        qdlist_free(report);
        return p->failed = -1;
    }
    if (qdlist_append(p->dl, report, &at, p->d) != 0) p->failed = -1;
    qdlist_add_unit(p->dl, at.page0, 0);
    number_pages(p, at.page0);
    e->outline0 = at.outline0;
    e->outline1 = at.outline1;
    start_at(p, e, at.page0);
    return p->failed;
}

/* A page standing in for an item's report: "Agenda Item N", its title,
 * then heading and text (why the report is not here). */
static int placeholder_in(qpack_l *p, qpack_entry *e, const char *heading,
                          const char *text, int own) {
    L l;
    if (ql_ctx_init(&l, p->dl, NULL, p->d) != 0) return p->failed = -1;
    qarena *a = l.a;
    int part = qdlist_add_elem(p->dl, QR_PART, 0);
    bctx c = {MARGIN_L, l.body_w, MARGIN_L, 0, part, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, 0, 0, 0, 0, 0, 1};
    e->outline0 = e->outline1 = p->dl->outlines.len;
    ql_heading_line(&l, &c, NULL,
                 wrap_text(a, QN_HEADING, qw_fmt(a, pack_words(p), QW_AGENDA_ITEM, e->number)),
                 QR_H1, part, 13, 16, 0, 12, 0);
    ql_heading_line(&l, &c, NULL, wrap_text(a, QN_HEADING, e->title ? e->title : ""), QR_H2,
                 part, 16, 20, 0, 24, 0);
    ql_heading_line(&l, &c, NULL, wrap_text(a, QN_HEADING, heading), QR_H3,
                 part, 16, 20, 0, 12, 0);
    entry_para(&l, &c, part, 0, NULL, text, 0, PARA_AFTER);
    l.title = p->foot;
    l.foot_right = "";
    ql_paginate_and_emit(&l);
    /* an exempt item's pages are the pack's own, decorated with the run
     * they stand in when the last report is laid out */
    qdlist_add_unit(p->dl, l.page0, own);
    if (!own) number_pages(p, l.page0);
    start_at(p, e, l.page0); /* the page says "Agenda Item N" itself */
    if (l.face_failed) p->failed = -1;
    ql_ctx_done(&l);
    return p->failed;
}

static int pdf_in(qpack_l *p, qpack_entry *e, const char *name,
                  const unsigned char *bytes, size_t len, const qpdfin_doc *doc, qpos at) {
    qdlist *dl = p->dl;
    qfont *b = qfonts_face(dl->fonts, QF_BOLD, p->d);
    if (!b) return p->failed = -1;
    b->used = 1;
    qdlist_add_source(dl, name, bytes, len);
    const qdl_source *src = qdlist_source(dl, name);
    int page0 = (int)dl->pages.len;
    const char *label = qw_fmt(dl->arena, pack_words(p), QW_AGENDA_ITEM,
                               e->number ? e->number : "");
    /* the label on the first page is the item's heading, as a report's
     * "Agenda Item N" is; the PDF writer puts a tagged PDF's own tree after
     * it, its headings below it (pdfin_place.cc); on the pages after, the
     * label is a running header */
    int part = qdlist_add_elem(dl, QR_PART, 0);
    int head = qdlist_add_elem(dl, QR_H1, part);
    ql_shrunk sh = {0};
    for (size_t i = 0; i < doc->npages; i++) {
        qdl_page *pg = qdlist_add_page(dl, doc->w[i], doc->h[i]);
        ql_shrunk_add(&sh, (unsigned)i,
                      ql_foreign_page(pg, src->name, (unsigned)i, QL_BAND_TOP, QL_BAND_BOTTOM,
                                      doc->top[i], doc->bottom[i]));
        ql_band_label(dl, pg, b, label, i ? QDL_ART_HEADER : head);
    }
    ql_shrunk_note(&sh, name, at, p->d);
    qdlist_add_unit(dl, page0, 0);
    const qstyle *outer = S; /* its page numbers in the pack's colours */
    S = p->style;
    number_pages(p, page0);
    S = outer;
    e->outline0 = dl->outlines.len;
    for (size_t i = 0; i < doc->noutlines; i++) {
        const qpdfin_outline *o = &doc->outlines[i];
        if (o->page < 0) continue; /* pointing outside the pack */
        qdlist_add_outline(dl, qarena_strdup(dl->arena, o->title), o->level + 1,
                           page0 + (int)o->page, 0);
    }
    e->outline1 = dl->outlines.len;
    start_at(p, e, page0); /* each page carries the label itself, in its band */
    return p->failed;
}

int qpl_pdf(qpack_l *p, qpack_entry *e, const char *name, const unsigned char *bytes,
            size_t len, const struct qpdfin_doc *doc, qpos at) {
    return pdf_in(p, e, name, bytes, len, doc, at);
}

static int exempt_in(qpack_l *p, qpack_entry *e) {
    const qw_words *w = pack_words(p);
    return placeholder_in(p, e, w->text[QW_NOT_FOR_PUBLICATION],
                          qmeeting_exempt_sentence(p->dl->arena, w, p->law, e->exempt), 1);
}

/* The pack's page number `number` on page pg of dl, its last item:
 * furniture drawn with the page, not part of a report's layout, so the
 * same laid-out report can be drawn with other numbers. */
static void number_page(qdlist *dl, const qw_words *w, qfont *f, int pg, int number) {
    char num[24];
    snprintf(num, sizeof num, "%d", number);
    const char *s = qw_fmt(dl->arena, w, QW_PAGE, num);
    qdl_item *it = qdlist_add_item(dl, ql_page_at(dl, pg), QDL_TEXT, QDL_ART_FOOTER);
    it->len = (unsigned)strlen(s);
    it->w = qlb_width(f, s, it->len, 9);
    const qdl_page *pp = ql_page_at(dl, pg);
    it->x = (pp->width - it->w) / 2; it->y = pp->height - FOOT_BASE;
    it->size = 9; it->h = 9; it->color = FOOT_COLOR; it->face = QF_REGULAR; it->text = s;
}

/* Pages [first, the last) count as numbered: finish leaves them. */
static void mark_numbered(qpack_l *p, int first) {
    if (p->nnumbered < p->dl->pages.len) {
        size_t cap = p->dl->pages.len * 2;
        p->numbered = realloc(p->numbered, cap);
        if (!p->numbered) qfatal_oom();
        memset(p->numbered + p->nnumbered, 0, cap - p->nnumbered);
        p->nnumbered = cap;
    }
    memset(p->numbered + first, 1, p->dl->pages.len - (size_t)first);
}

/* The pack's numbers on pages [first, the last) as they are added, not
 * at finish: nothing else is added to an item's pages after them, so a
 * writer beside the layout may take them now (the same items, in the
 * same order, as numbering them at the end gave). */
static void number_pages(qpack_l *p, int first) {
    qfont *f = qfonts_face(p->dl->fonts, QF_REGULAR, p->d);
    if (!f) {
        p->failed = -1;
        return;
    }
    for (size_t pg = (size_t)first; pg < p->dl->pages.len; pg++)
        number_page(p->dl, pack_words(p), f, (int)pg, (int)pg + 1);
    f->used = 1;
    mark_numbered(p, first);
}

int qpl_number_report(const qpack_l *p, qdlist *report, int page0) {
    quorum_diags *d = quorum_diags_new();
    qfont *f = qfonts_face(report->fonts, QF_REGULAR, d);
    quorum_diags_free(d);
    if (!f || !p->w) return -1;
    const qstyle *outer = S; /* the pack's style's colours, as qpl_finish */
    S = p->style;
    for (size_t pg = 0; pg < report->pages.len; pg++)
        number_page(report, p->w, f, (int)pg, page0 + (int)pg + 1);
    S = outer;
    f->used = 1;
    return 0;
}

int qpl_reserve(qpack_l *p, qpack_entry *e, const qdlist *report) {
    const qstyle *outer = S;
    S = p->style;
    int r = report && to_odd_page(p) == 0 ? 0 : -1;
    S = outer;
    if (r) return p->failed = -1;
    int page0 = (int)p->dl->pages.len;
    size_t n = report->pages.len;
    qdlist_add_unit(p->dl, page0, 0);
    for (size_t pg = 0; pg < n; pg++) {
        const qdl_page *src = &QVEC_AT(&report->pages, qdl_page, pg);
        qdlist_add_page(p->dl, src->width, src->height);
    }
    mark_numbered(p, page0);
    start_at(p, e, page0);
    return page0;
}

int qpl_records_at(qpack_l *p, qpack_entry *e, const qdlist *report, int page0,
                   qdl_splice *at, qdl_image **images, int bytes) {
    if (qdlist_append_records(p->dl, report, page0, at, images, bytes, p->d) != 0)
        p->failed = -1;
    e->outline0 = at->outline0;
    e->outline1 = at->outline1;
    return p->failed;
}

void qpl_items_at(qpack_l *p, qdlist *report, qdl_splice *at) {
    qdlist_append_items(p->dl, report, at);
}

static quorum_layout *finish_in(qpack_l *p, qpack_entry *e, size_t n,
                                const char *creation_date) {
    qdlist *dl = p->dl;
    if (p->failed) {
        qpl_free(p);
        return NULL;
    }
    /* the pack's own pages (front sheet, agenda, information, not-for-
     * publication pages) take the style as one document per run */
    {
        qstyle_fields sf = {p->foot, p->front_title, p->meeting_day, 0, p->w};
        int run = -1;
        for (int pg = 0; pg <= (int)dl->pages.len; pg++) {
            int own = pg < (int)dl->pages.len;
            for (size_t i = 0; own && i < n; i++)
                if (!e[i].exempt && e[i].first_page >= 0 && pg >= e[i].first_page &&
                    pg <= e[i].last_page)
                    own = 0;
            if (own && run < 0) run = pg;
            if (!own && run >= 0) {
                decorate_range(p, run, pg - 1, &sf);
                run = -1;
            }
        }
    }
    qfont *f = qfonts_face(dl->fonts, QF_REGULAR, p->d);
    /* the agenda's page column */
    for (size_t i = 0; i < n; i++) {
        if (e[i].col_page < 0 || e[i].first_page < 0) continue;
        qdl_item *it = &QVEC_AT(&ql_page_at(dl, e[i].col_page)->items, qdl_item, e[i].col_item);
        const char *s = e[i].first_page == e[i].last_page
                            ? qarena_printf(dl->arena, "%d", e[i].first_page + 1)
                            : qarena_printf(dl->arena, "%d - %d", e[i].first_page + 1,
                                            e[i].last_page + 1);
        it->text = s;
        it->len = (unsigned)strlen(s);
        it->w = qlb_width(f, s, it->len, it->size);
        it->x = MARGIN_L + BODY_W - it->w;
        /* read as words: "5 - 41" would be "5 minus 41", "42" a bare number */
        if (it->elem >= 0)
            QVEC_AT(&dl->elems, qdl_elem, it->elem).alt =
                e[i].first_page == e[i].last_page
                    ? qarena_printf(dl->arena, "page %d", e[i].first_page + 1)
                    : qarena_printf(dl->arena, "pages %d to %d", e[i].first_page + 1,
                                    e[i].last_page + 1);
    }
    /* pack page numbers, centred under the footer rule (a report's
     * pages drawn on a worker have theirs: qpl_number_report) */
    for (size_t pg = 0; pg < dl->pages.len; pg++)
        if (pg >= p->nnumbered || !p->numbered[pg])
            number_page(dl, pack_words(p), f, (int)pg, (int)pg + 1);
    f->used = 1;
    /* Bookmarks in pack order: the reports' own trees were laid out after
     * the agenda, so the outline list is rebuilt around them. */
    qvec old = dl->outlines;
    qvec_init(&dl->outlines, sizeof(qdl_outline));
#define AT_ANCHOR(title, an)                                                      \
    do {                                                                          \
        const qdl_anchor *A_ = &QVEC_AT(&dl->anchors, qdl_anchor, (an));          \
        qdlist_add_outline(dl, (title), 1, A_->page < 0 ? 0 : A_->page, A_->y);   \
    } while (0)
    AT_ANCHOR(p->front_title, p->front_anchor);
    AT_ANCHOR(pack_words(p)->text[QW_AGENDA], p->agenda_anchor);
    /* in page order: the information follows the agenda, before any item */
    if (p->info_title) AT_ANCHOR(p->info_title, p->info_anchor);
    for (size_t i = 0; i < n; i++) {
        const char *t = qarena_printf(dl->arena, "%s. %s", e[i].number ? e[i].number : "",
                                      e[i].title ? e[i].title : "");
        AT_ANCHOR(t, e[i].first_page >= 0 ? e[i].start_anchor : e[i].entry_anchor);
        for (size_t k = e[i].outline0; k < e[i].outline1; k++) {
            const qdl_outline *o = &QVEC_AT(&old, qdl_outline, k);
            qdlist_add_outline(dl, o->title, o->level, o->page, o->y);
        }
    }
#undef AT_ANCHOR
    if (creation_date) dl->creation_date = qarena_strdup(dl->arena, creation_date);
    p->dl = NULL;
    qpl_free(p);
    return qdlist_to_layout(dl);
}

/* An item printed duplex starts on a right-hand page: after an odd
 * number of pages so far, a page with the style's blank-page text alone,
 * centred, an artifact (it is no part of any document in the pack).  The
 * agenda's page column counts it, as it counts every pack page. */
static int to_odd_page(qpack_l *p) {
    if (!S->pack_blank || p->failed || p->dl->pages.len % 2 == 0) return p->failed;
    qfont *f = qfonts_face(p->dl->fonts, QF_ITALIC, p->d);
    if (!f) return p->failed = -1;
    qdlist_add_unit(p->dl, (int)p->dl->pages.len, 1); /* decorated with its run, at finish */
    qdl_page *pg = qdlist_add_page(p->dl, PAGE_W, PAGE_H);
    qdl_item *it = qdlist_add_item(p->dl, pg, QDL_TEXT, QDL_ART_REPEAT);
    it->text = qstyle_word(S, pack_words(p), QW_BLANK_PAGE);
    it->len = (unsigned)strlen(it->text);
    it->w = qlb_width(f, it->text, it->len, BODY_SIZE);
    it->x = (PAGE_W - it->w) / 2; it->y = PAGE_H / 2;
    it->size = BODY_SIZE; it->h = BODY_SIZE; it->face = QF_ITALIC; it->color = TEXT_COLOR;
    f->used = 1;
    return p->failed;
}

/* Every qpl_ entry point lays out under the pack's style and puts the
 * caller's S back, as quorum_doc_layout does. */
int qpl_front(qpack_l *p, const quorum_doc *meeting, qpack_entry *e, size_t n,
              int supplement, const char *supplement_published) {
    const qstyle *outer = S;
    S = p->style;
    int r = front_in(p, meeting, e, n, supplement, supplement_published);
    S = outer;
    return r;
}

int qpl_report(qpack_l *p, qpack_entry *e, const quorum_doc *report) {
    return qpl_splice(p, e, qpl_report_alone(p, e, report, p->d));
}

const qstyle *qpl_style(const qpack_l *p) { return p->style; }
qdlist *qpl_dl(const qpack_l *p) { return p->dl; }
qfonts *qpl_new_fonts(const qpack_l *p) { return pack_fonts(p); }
const char *qpl_lang(const qpack_l *p) { return p->dl->lang; }

int qpl_splice(qpack_l *p, qpack_entry *e, qdlist *report) {
    const qstyle *outer = S;
    S = p->style;
    int r = splice_in(p, e, report);
    S = outer;
    return r;
}

int qpl_to_follow(qpack_l *p, qpack_entry *e) {
    const qstyle *outer = S;
    S = p->style;
    const qw_words *w = pack_words(p);
    int r = to_odd_page(p) ? -1 : placeholder_in(p, e, w->text[QW_TO_FOLLOW],
                                                 w->text[QW_TO_FOLLOW_NOTE], 0);
    S = outer;
    return r;
}

int qpl_exempt(qpack_l *p, qpack_entry *e) {
    const qstyle *outer = S;
    S = p->style;
    int r = to_odd_page(p) ? -1 : exempt_in(p, e);
    S = outer;
    return r;
}

quorum_layout *qpl_finish(qpack_l *p, qpack_entry *e, size_t n, const char *creation_date) {
    const qstyle *outer = S;
    S = p->style;
    quorum_layout *r = finish_in(p, e, n, creation_date);
    S = outer;
    return r;
}

quorum_layout *quorum_pack_layout(const quorum_engine *eng, quorum_pack *p,
                                  const quorum_pack_options *opt, quorum_diags *d) {
    return qpack_layout_visit(eng, p, opt, NULL, NULL, d);
}
