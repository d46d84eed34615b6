/* Layout: document tree -> display list.
 *
 * Two passes.  First every block is turned into a flow of boxes (one per
 * text line, or one atomic box for a sign-off, image or chart, or one
 * splittable box per table) whose items are staged with y relative to the
 * box top.  Then qpaginate() assigns pages from heights and keep flags
 * alone, and the staged items are copied onto pages with their final y.
 * Keeping the decisions on heights makes them pure (see paginate.c) and
 * keeps the tree walk free of page bookkeeping. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "layout.h"

/* The house style in force: see layout.h. */
_Thread_local const qstyle *ql_style = &qstyle_builtin; /* never NULL */

/* ---- small helpers ------------------------------------------------------ */

static uint32_t parse_color(const char *s, uint32_t dflt) {
    if (!s || s[0] != '#' || strlen(s) != 7) return dflt;
    char *end;
    unsigned long v = strtoul(s + 1, &end, 16);
    return *end ? dflt : (uint32_t)v;
}

/* The colours of a table cell or chart segment: its own fill= and color=;
 * a rated one (rating="CODE") without a fill of its own takes the house
 * style's colours for the code, the built-in style's (R, A, G) when the
 * style has none, else white with black text, and its text colour goes
 * with that fill unless it sets color=.  (The report's own scale came
 * first: doc/outcomes.c put its colours on the node.)  Returns 1 when there is a
 * fill to draw; *fill and *color are dfill and dcolor where nothing says
 * otherwise. */
int ql_node_colours(const qnode *n, uint32_t dfill, uint32_t dcolor,
                        uint32_t *fill, uint32_t *color) {
    const char *f = qdoc_attr(n, "fill"), *c = qdoc_attr(n, "color");
    const char *r = qdoc_attr(n, "rating");
    *fill = parse_color(f, dfill);
    *color = parse_color(c, dcolor);
    if (f || !r) return f != NULL;
    const qstyle_rating *q = qstyle_rating_of(S, r);
    *fill = q ? q->fill : 0xFFFFFF;
    if (!c) *color = q ? q->color : 0x000000;
    return 1;
}

int ql_attr_true(const qnode *n, const char *name) {
    const char *v = qdoc_attr(n, name);
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

const char *ql_sign_off_lead(const qstyle *st, const qw_words *w, const qnode *n) {
    const char *own = qdoc_attr(n, "lead");
    return own ? own : qstyle_word(st, w, QW_SIGN_OFF_LEAD);
}

int ql_row_header_cell(const qnode *cl) {
    const char *scope = qdoc_attr(cl, "scope");
    return ql_attr_true(cl, "header") || (scope && strcmp(scope, "row") == 0);
}

int ql_table_head_rows(const qnode *t) {
    int r = 0, end = 0;
    for (const qnode *x = t->first; x; x = x->next) {
        if (x->type != QN_ROW) continue;
        if (ql_attr_true(x, "header")) end = r + 1;
        else if (!qdoc_attr(x, "group")) break;
        r++;
    }
    return end;
}

int ql_group_level(const char *v) {
    return v && v[0] >= '1' && v[0] <= '9' && !v[1] ? v[0] - '0' : 0;
}

int ql_field_extra_rows(const qstyle *s, const qnode *f, const char **label,
                        const char **value) {
    const char *role = qdoc_attr(f, "role");
    if (!role || strcmp(role, "author") != 0 || f->parent->type != QN_FRONT_SHEET) return 0;
    const char *labels[2] = {s->phone_label, s->email_label};
    const char *values[2] = {qdoc_attr(f, "phone"), qdoc_attr(f, "email")};
    int n = 0;
    for (int i = 0; i < 2; i++)
        if (labels[i] && values[i] && values[i][0]) {
            label[n] = labels[i];
            value[n++] = values[i];
        }
    return n;
}

/* Trimmed, space-collapsed copy of a node's text. */
/* The words of the style in force for n's language when quorum wrote
 * some of n's text (qnode.word), else NULL: most text is the author's. */
static const qw_words *words_in_force(qarena *a, const qnode *n) {
    const qnode *c = n;
    while (c && !(c->type == QN_TEXT && c->word)) c = qdoc_next(c, n);
    if (!c) return NULL;
    const char *lang = NULL;
    for (const qnode *p = n; p && !lang; p = p->parent)
        lang = p->type != QN_TEXT ? qdoc_attr(p, "xml:lang") : NULL;
    return qw_for(a, S->strings, lang);
}

char *ql_clean_text(qarena *a, const qnode *n) {
    char *s = qdoc_text_in(a, n, words_in_force(a, n));
    char *o = s;
    int sp = 1;
    for (char *p = s; *p; p++) {
        int is_sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (is_sp) { if (!sp) *o++ = ' '; sp = 1; }
        else { *o++ = *p; sp = 0; }
    }
    while (o > s && o[-1] == ' ') o--;
    *o = '\0';
    return s;
}

/* ---- anchors by id -------------------------------------------------------- */

static size_t hash_str(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int ql_id_anchor(const L *l, const char *id) {
    if (!id || !l->nids_cap) return -1;
    size_t m = l->nids_cap - 1;
    for (size_t i = hash_str(id) & m;; i = (i + 1) & m) {
        if (!l->ids[i].id) return -1;
        if (strcmp(l->ids[i].id, id) == 0) return l->ids[i].anchor;
    }
}

/* One anchor per id, made before layout so links may point forward. */
void ql_make_anchors(L *l) {
    size_t n = 0;
    const qnode *root = l->doc->root;
    for (const qnode *x = root; x; x = qdoc_next(x, root))
        if (x->type != QN_TEXT && qdoc_attr(x, "id")) n++;
    size_t cap = 16;
    while (cap < 2 * n + 2) cap *= 2;
    l->ids = qarena_alloc(l->a, cap * sizeof *l->ids);
    l->nids_cap = cap;
    for (const qnode *x = root; x; x = qdoc_next(x, root)) {
        const char *id = x->type != QN_TEXT ? qdoc_attr(x, "id") : NULL;
        if (!id || ql_id_anchor(l, id) >= 0) continue;
        size_t i = hash_str(id) & (cap - 1);
        while (l->ids[i].id) i = (i + 1) & (cap - 1);
        l->ids[i].id = id;
        l->ids[i].anchor = qdlist_add_anchor(l->dl);
    }
}

void ql_add_mark(L *l, int anchor, int outline) {
    if (anchor < 0 && outline < 0) return;
    lmark *m = qarena_alloc(l->a, sizeof *m);
    m->anchor = anchor;
    m->outline = outline;
    m->next = l->marks;
    l->marks = m;
}

/* xml:lang on an element overrides the document language for its
 * structure element. */
void ql_elem_lang(L *l, int e, const qnode *n) {
    const char *lang = qdoc_attr(n, "xml:lang");
    if (lang && (!l->dl->lang || strcmp(lang, l->dl->lang) != 0))
        QVEC_AT(&l->dl->elems, qdl_elem, e).lang = qarena_strdup(l->dl->arena, lang);
}

void ql_add_outline(L *l, const char *title, int level) {
    qdlist_add_outline(l->dl, title, level + l->outline_base, -1, 0);
}

void ql_mark_node(L *l, const qnode *n) {
    const char *id = qdoc_attr(n, "id");
    if (id) ql_add_mark(l, ql_id_anchor(l, id), -1);
}

/* ---- staging -------------------------------------------------------------- */

/* Push onto a vector kept in malloc'd memory: the flow and the staged
 * items are the two big arrays of a layout, and realloc grows them without
 * the copies and zeroing an arena vector would leave behind. */
static void *vpush(qvec *v) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 1024;
        void *d = realloc(v->data, cap * v->elem);
        if (!d) qfatal_oom();
        v->data = d;
        v->cap = cap;
    }
    void *slot = (char *)v->data + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

/* Faces are read when first used: a report without italics never reads
 * the italic files.  A face that cannot be read fails the layout (the
 * diagnostic names the file); until the end its text measures as regular. */
static void need_face(L *l, unsigned char face) {
    if (face >= QF__COUNT || l->faces[face]) return;
    qfont *f = qfonts_face(l->fonts, (qfont_face)face, l->d);
    if (!f) {
        l->face_failed = 1;
        f = l->faces[QF_REGULAR];
    }
    l->faces[face] = f;
    l->lb.faces[face] = f;
}

const qfont *ql_face(L *l, unsigned char face) {
    need_face(l, face);
    return l->faces[face < QF__COUNT ? face : 0];
}

qdl_item *ql_stage(L *l, qdl_kind kind, int elem) {
    qdl_item *it = vpush(&l->st);
    it->kind = kind;
    it->elem = elem;
    it->dest = -1;
    return it;
}

size_t ql_push_line(L *l, float h, float before, unsigned flags) {
    lline *ln = vpush(l->out);
    ln->h = h;
    ln->before = before;
    ln->flags = flags;
    ln->item0 = l->st.len;
    ln->marks = l->marks;
    l->marks = NULL;
    return l->out->len - 1;
}

void ql_end_line(L *l, size_t idx) {
    lline *ln = &QVEC_AT(l->out, lline, idx);
    ln->nitems = l->st.len - ln->item0;
}

float ql_baseline(const L *l, float size, float lh) {
    const qfont *f = l->faces[0];
    float asc = (float)f->ascender / 1000.0f, desc = -(float)f->descender / 1000.0f;
    return (lh - (asc + desc) * size) / 2.0f + asc * size;
}

void ql_stage_text(L *l, int elem, float x, float y, unsigned char face,
                       float size, uint32_t color, const char *s, size_t n) {
    qdl_item *it = ql_stage(l, QDL_TEXT, elem);
    it->x = x; it->y = y; it->face = face; it->size = size; it->h = size;
    /* Copied: labels and sign-off lines may point into the document,
     * which the caller may free before the display list (a pack frees
     * each report once laid out). */
    it->color = color; it->text = qarena_strndup(l->dl->arena, s, n); it->len = (unsigned)n;
    need_face(l, face);
    it->w = qlb_width(l->faces[face], s, n, size);
    l->faces[face]->used = 1;
}

void ql_stage_rule(L *l, float x, float y, float w, float h, float lw,
                       uint32_t color) {
    qdl_item *it = ql_stage(l, QDL_RULE, -1);
    it->x = x; it->y = y; it->w = w; it->h = h; it->size = lw; it->color = color;
}

void ql_stage_fill(L *l, int elem, float x, float y, float w, float h,
                       uint32_t color) {
    qdl_item *it = ql_stage(l, QDL_FILL, elem);
    it->x = x; it->y = y; it->w = w; it->h = h; it->color = color;
}

/* ---- inline runs ---------------------------------------------------------- */

rstyle ql_base_style(const bctx *c) {
    rstyle s = {c->face, 0, c->size, 0, c->color, NULL, -1, -1, 0};
    return s;
}

static qlb_run *run_push(L *l, const rstyle *s) {
    l->runs = qgrow(l->runs, &l->cap_runs, l->nruns + 1, sizeof *l->runs);
    qlb_run *r = &l->runs[l->nruns++];
    memset(r, 0, sizeof *r);
    need_face(l, s->face);
    r->face = s->face; r->flags = s->flags; r->size = s->size; r->rise = s->rise;
    r->color = s->color; r->uri = s->uri; r->dest = s->dest; r->elem = s->elem;
    r->bg = s->bg;
    return r;
}

/* Text lands in the display list's arena: items point at it. */
void ql_run_text(L *l, const rstyle *s, const char *t, size_t n) {
    if (!n) return;
    qlb_run *r = run_push(l, s);
    r->text = qarena_strndup(l->dl->arena, t, n);
    r->len = (uint32_t)n;
}

void ql_run_break(L *l, const rstyle *s) {
    rstyle b = *s;
    b.flags = QLB_BREAK;
    run_push(l, &b);
}

/* A vector mark in the text, drawn for element e (marks.c gives it a Span
 * that says in /Alt what the paths cannot); word is what the dump shows. */
void ql_run_mark(L *l, const rstyle *s, qdl_shape shape, const char *word,
                 int e) {
    qlb_run *r = run_push(l, s);
    r->flags = QLB_MARK;
    r->shape = (unsigned char)shape;
    r->text = word;
    r->len = (uint32_t)strlen(word);
    r->elem = e;
}

int ql_is_inline(qdoc_type t) {
    switch (t) {
    case QN_TEXT: case QN_BOLD: case QN_ITALIC: case QN_SUP: case QN_SUB:
    case QN_LINK: case QN_REF: case QN_BREAK: case QN_TREND: case QN_OPTIONS:
    case QN_CHIP:
        return 1;
    default:
        return 0;
    }
}

static void collect_node(L *l, const qnode *n, rstyle s, int parent_elem) {
    switch (n->type) {
    case QN_TEXT:
        if (n->word) {
            const char *w = ql_words_of(l, n)->text[n->word - 1];
            ql_run_text(l, &s, w, strlen(w));
        } else {
            ql_run_text(l, &s, n->text, n->text_len);
        }
        return;
    case QN_BOLD: s.face |= F_BOLD; break;
    case QN_ITALIC: s.face |= F_ITALIC; break;
    case QN_SUP: s.rise += s.size * 0.33f; s.size *= 0.65f; break;
    case QN_SUB: s.rise -= s.size * 0.15f; s.size *= 0.65f; break;
    case QN_BREAK:
        ql_run_break(l, &s);
        return;
    case QN_LINK: {
        const char *href = qdoc_attr(n, "href");
        s.elem = qdlist_add_elem(l->dl, QR_LINK, s.elem >= 0 ? s.elem : parent_elem);
        s.color = LINK_COLOR;
        s.flags |= QLB_UNDERLINE;
        if (href && href[0] == '#') s.dest = ql_id_anchor(l, href + 1);
        else if (href) s.uri = qarena_strdup(l->dl->arena, href);
        break;
    }
    case QN_TREND:
        ql_trend(l, n, &s, parent_elem);
        return;
    case QN_OPTIONS:
        ql_options(l, n, &s, parent_elem);
        return;
    case QN_CHIP: {
        /* a rating in prose: its words on its colours, kept on one line */
        uint32_t fill, color;
        ql_node_colours(n, 0xFFFFFF, s.color, &fill, &color);
        s.color = color;
        s.bg = fill;
        s.flags |= QLB_CHIP | QLB_NOBREAK;
        break;
    }
    case QN_REF: {
        const char *to = qdoc_attr(n, "to");
        const char *txt = qdoc_ref_text_in(l->a, l->doc, n,
                                           &ql_words_of(l, n)->text[QW_REF_PARAGRAPH]);
        if (!txt) txt = to ? to : "?";
        int dest = ql_id_anchor(l, to);
        s.flags |= QLB_NOBREAK; /* "paragraph 3.8" stays on one line */
        if (dest >= 0) {
            s.elem = qdlist_add_elem(l->dl, QR_LINK, s.elem >= 0 ? s.elem : parent_elem);
            s.dest = dest;
        }
        ql_run_text(l, &s, txt, strlen(txt));
        return;
    }
    default: break;
    }
    if (qdoc_attr(n, "xml:lang")) {
        /* words in another language are a Span saying which (PDF/UA-1
         * 7.2); a link carries the language itself */
        if (n->type != QN_LINK)
            s.elem = qdlist_add_elem(l->dl, QR_SPAN, s.elem >= 0 ? s.elem : parent_elem);
        ql_elem_lang(l, s.elem, n);
    }
    ql_collect(l, n->first, NULL, s, parent_elem);
}

void ql_collect(L *l, const qnode *first, const qnode *stop, rstyle s,
                    int parent_elem) {
    for (const qnode *c = first; c && c != stop; c = c->next) collect_node(l, c, s, parent_elem);
}

/* ---- text blocks ------------------------------------------------------------ */

void ql_set_label(L *l, const char *text, float x, int elem, unsigned char face) {
    l->label = text; l->label_x = x; l->label_elem = elem; l->label_face = face;
}

/* Breaks l->runs into lines of c's width and pushes them as boxes.
 * keep_all: headings keep every line with what follows. */
void ql_flow_runs(L *l, const bctx *c, int elem, float before, float after,
                      int keep_all) {
    size_t n = qlb_break(&l->lb, l->runs, l->nruns, c->w);
    if (n == 0 && !l->label) { l->nruns = 0; return; }
    size_t nl = n ? n : 1;
    unsigned char keepbuf[64];
    unsigned char *keep = nl <= sizeof keepbuf ? keepbuf : qarena_alloc(l->a, nl);
    qpg_para_keeps(nl, keep);
    float base = ql_baseline(l, c->size, c->lh);
    for (size_t k = 0; k < nl; k++) {
        unsigned flags = (keep[k] || keep_all) ? QPB_KEEP : 0;
        size_t idx = ql_push_line(l, c->lh, k == 0 ? fmaxf(l->pending_after, before) : 0, flags);
        if (k == 0 && l->label) {
            size_t len = strlen(l->label);
            ql_stage_text(l, l->label_elem, l->label_x, base, l->label_face, c->size,
                       c->color, l->label, len);
            l->label = NULL;
        }
        if (k < n) {
            const qlb_line *ln = &l->lb.lines[k];
            float x0 = c->x;
            if (c->align == 1) x0 += (c->w - ln->width) / 2;
            else if (c->align == 2) x0 += c->w - ln->width;
            for (uint32_t f = 0; f < ln->nfrag; f++) {
                const qlb_frag *fr = &l->lb.frags[ln->frag0 + f];
                const qlb_run *r = &l->runs[fr->run];
                int e = r->elem >= 0 ? r->elem : elem;
                if (r->flags & QLB_MARK) {
                    qdl_item *m = ql_stage(l, QDL_MARK, e);
                    m->h = qlb_mark_height(r->size);
                    m->x = x0 + fr->x; m->y = base - r->rise - m->h; m->w = fr->w;
                    m->size = r->size; m->face = r->shape; m->color = r->color;
                    m->text = r->text; m->len = r->len;
                    continue;
                }
                if (r->flags & QLB_CHIP) /* the fill first, under the text */
                    ql_stage_fill(l, -1, x0 + fr->x - 0.15f * r->size,
                                  base - r->rise - 0.8f * r->size,
                                  fr->w + 0.3f * r->size, 1.05f * r->size, r->bg);
                qdl_item *it = ql_stage(l, QDL_TEXT, e);
                it->x = x0 + fr->x; it->y = base - r->rise; it->w = fr->w;
                it->h = r->size; it->size = r->size; it->face = r->face;
                it->color = r->color; it->text = r->text + fr->start; it->len = fr->len;
                l->faces[r->face]->used = 1;
                if (r->flags & QLB_UNDERLINE)
                    ql_stage_rule(l, x0 + fr->x, base + 1.5f, fr->w, 0, 0.5f, r->color);
                if (r->uri || r->dest >= 0) {
                    qdl_item *lk = ql_stage(l, QDL_LINK, e);
                    lk->x = x0 + fr->x; lk->y = 0; lk->w = fr->w; lk->h = c->lh;
                    lk->text = r->uri; lk->dest = r->dest;
                }
            }
        }
        ql_end_line(l, idx);
    }
    l->pending_after = after;
    l->nruns = 0;
}

/* A paragraph from inline nodes [first, stop). */
void ql_para_nodes(L *l, const bctx *c, const qnode *first, const qnode *stop,
                       int elem, float before, float after) {
    l->nruns = 0;
    ql_collect(l, first, stop, ql_base_style(c), elem);
    ql_flow_runs(l, c, elem, before, after, 0);
}

/* The role of a heading one level below a heading of level `above` (0:
 * none): H1 to H6, H6 for anything deeper (tagged PDF has no H7). */
qrole ql_head_role(int above) {
    return above <= 0 ? QR_H1 : above >= 5 ? QR_H6 : (qrole)(QR_H1 + above);
}

int ql_heading_line(L *l, const bctx *c, const char *num, const qnode *h,
                        qrole role, int parent, float size, float lh,
                        float before, float after, float indent) {
    int e = qdlist_add_elem(l->dl, role, parent);
    bctx hc = *c;
    /* a section without a heading still numbers in the heading face */
    static const qnode bare_heading = {.type = QN_HEADING};
    hc.face = FACE_OF(h ? h : &bare_heading);
    hc.size = size;
    hc.lh = lh;
    hc.color = HEAD_COLOR;
    hc.align = 0;
    if (num) {
        ql_set_label(l, num, c->num_x, e, hc.face);
        hc.x = c->num_x + indent;
        hc.w = c->x + c->w - hc.x;
    }
    l->nruns = 0;
    if (h) ql_collect(l, h->first, NULL, ql_base_style(&hc), e);
    ql_flow_runs(l, &hc, e, before, after, 1);
    return e;
}

/* ---- metadata ------------------------------------------------------------- */

void ql_metadata(L *l, int whole_document) {
    qdlist *dl = l->dl;
    const quorum_doc *doc = l->doc;
    const qnode *t = qdoc_field(doc, "title");
    if (t) l->title = ql_clean_text(dl->arena, t);
    if (!whole_document) return; /* a report inside a pack keeps its footer title only */
    dl->title = l->title;
    const qnode *au = qdoc_field(doc, "author");
    if (au) dl->author = ql_clean_text(dl->arena, au);
    const char *lang = ql_doc_lang(doc);
    dl->lang = qarena_strdup(dl->arena, lang ? lang : "en-GB");
    const qnode *fs = qdoc_first_child_of(doc->root, QN_FRONT_SHEET);
    const qnode *h = fs ? qdoc_first_child_of(fs, QN_HEADING) : NULL;
    const qnode *md = qdoc_field(doc, "meeting-date");
    const char *heading = h ? ql_clean_text(l->a, h) : NULL;
    const char *date = md ? qdoc_attr(md, "date") : NULL;
    if (heading && date)
        dl->subject = qarena_printf(dl->arena, "%s, %s", heading, qw_date(l->a, l->w, date, 0));
    else if (heading)
        dl->subject = qarena_strdup(dl->arena, heading);
}

const qw_words *ql_words_for(L *l, const char *lang) {
    if (!lang || strcmp(l->w->lang, lang) == 0) return l->w;
    /* a bilingual report switches between two: keep the other */
    if (!l->w_other || strcmp(l->w_other->lang, lang) != 0)
        l->w_other = qw_for(l->a, S->strings, lang);
    return l->w_other;
}

const qw_words *ql_words_of(L *l, const qnode *n) {
    for (; n; n = n->parent) {
        const char *lang = n->type != QN_TEXT ? qdoc_attr(n, "xml:lang") : NULL;
        if (lang) return ql_words_for(l, lang);
    }
    return l->w;
}

const char *ql_doc_lang(const quorum_doc *doc) {
    if (!doc || !doc->root) return NULL;
    const char *lang = qdoc_attr(doc->root, "xml:lang");
    return lang ? lang : qdoc_attr(doc->root, "lang");
}

/* Scratch state for laying one document into dl (which may already hold
 * pages of other documents).  0 on success; -1 when the regular face
 * cannot be read. */
int ql_ctx_init(L *l, qdlist *dl, const quorum_doc *doc, quorum_diags *d) {
    memset(l, 0, sizeof *l);
    l->fonts = dl->fonts;
    l->faces[QF_REGULAR] = qfonts_face(dl->fonts, QF_REGULAR, d);
    if (!l->faces[QF_REGULAR]) return -1;
    l->doc = doc;
    l->d = d;
    l->dl = dl;
    l->a = qarena_new(1 << 18);
    l->w = qw_for(l->a, S->strings, ql_doc_lang(doc));
    l->body_w = BODY_W;
    l->page0 = (int)dl->pages.len;
    l->anchor0 = dl->anchors.len;
    l->outline0 = dl->outlines.len;
    qlb_init(&l->lb, l->faces);
    qvec_init(&l->st, sizeof(qdl_item));
    qvec_init(&l->flow, sizeof(lline));
    qvec_init(&l->clines, sizeof(lline));
    qvec_init(&l->foreign, sizeof(lforeign));
    l->out = &l->flow;
    return 0;
}

void ql_ctx_done(L *l) {
    /* The files the document was read from, with the bytes read, for a
     * PDF/A-3b copy (the layout outlives the document). */
    const quorum_doc *doc = l->doc;
    for (size_t i = 0; doc && i < quorum_doc_source_count(doc); i++) {
        const char *name = quorum_doc_source_path(doc, i);
        if (i < doc->nsources)
            qdlist_add_source(l->dl, name, (const unsigned char *)doc->sources[i].bytes,
                              doc->sources[i].len);
        else if (doc->images[i - doc->nsources].bytes)
            qdlist_add_source(l->dl, name, doc->images[i - doc->nsources].bytes,
                              doc->images[i - doc->nsources].len);
    }
    for (ltable *t = l->tables; t; t = t->next_alloc) qtplan_free(&t->plan);
    free(l->st.data);
    free(l->flow.data);
    free(l->clines.data);
    qlb_free(&l->lb);
    free(l->runs);
    qarena_free(l->a);
}

/* quorum_doc_layout's body is being changed on another branch (the
 * engine): these names keep its lines as they were until that merges. */
#define lctx_init ql_ctx_init
#define lctx_done ql_ctx_done
#define make_anchors ql_make_anchors
#define metadata ql_metadata
#define document ql_document
#define paginate_and_emit ql_paginate_and_emit
#define clean_text ql_clean_text

quorum_layout *quorum_doc_layout(const quorum_engine *e, const quorum_doc *doc,
                                 const quorum_options *opt, quorum_diags *d) {
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, NOPOS, "layout: no engine");
        return NULL;
    }
    if (!doc || !doc->root) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, NOPOS, "layout: no document");
        return NULL;
    }
    if (doc->root->type == QN_MEETING) {
        /* a meeting file is a list of reports, not a report */
        qdiag_add(d, QUORUM_ERROR, doc->root->pos,
                  "this is a meeting file: build its agenda pack with 'quorum pack'");
        return NULL;
    }
    const char *dir = opt && opt->font_dir && *opt->font_dir ? opt->font_dir : e->font_dir;
    /* a broken style fails before anything is laid out */
    const qstyle *style = qstyle_get(e, opt ? opt->style : NULL, dir, d);
    if (!style) return NULL;
    return qlayout_doc_styled(e, doc, style, dir, d);
}

quorum_layout *qlayout_doc_styled(const quorum_engine *e, const quorum_doc *doc,
                                  const qstyle *style, const char *dir,
                                  quorum_diags *d) {
    const qstyle *outer_style = S; /* layout does not nest, but stay exact */
    S = style;
    qfonts *fonts = qfonts_new(e->fonts, dir);
    for (int i = 0; i < QF__COUNT; i++)
        if (style->font[i]) qfonts_set_path(fonts, (qfont_face)i, style->font[i]);
    qdlist *dl = qdlist_new(fonts);
    note_style_files(dl, style);
    L l;
    if (lctx_init(&l, dl, doc, d) != 0) {
        qdlist_free(dl);
        S = outer_style;
        return NULL;
    }
    make_anchors(&l);
    metadata(&l, 1);
    document(&l);
    paginate_and_emit(&l);
    {
        const qnode *md = qdoc_field(doc, "meeting-date");
        const char *date = md ? qdoc_attr(md, "date") : NULL;
        /* the PDF's dates (archive copies must carry them to be dated at
         * all): the meeting's, or SOURCE_DATE_EPOCH's day */
        const char *made = qdate_document(dl->arena, e->source_date_epoch, date);
        /* the layout outlives the document the meeting's date is in */
        if (made) dl->creation_date = qarena_strdup(dl->arena, made);
        qstyle_fields sf = {l.title, l.dl->subject,
                            date ? qw_date(l.dl->arena, l.w, date, 0) : NULL,
                            !qdoc_published(l.a, doc), l.w};
        qstyle_decorate(style, l.dl, &sf, d);
    }
    S = outer_style;
    int failed = l.face_failed;
    lctx_done(&l);
    if (failed) {
        qdlist_free(dl);
        return NULL;
    }
    return qdlist_to_layout(dl);
}
