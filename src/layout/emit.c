/* Placement: qpaginate() assigns pages to the flow's boxes, then the
 * staged items are copied onto the pages (tables through table.c), and
 * every page gets its footer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

typedef struct placer {
    L *l;
    qpbox *boxes;
} placer;

static void split_table(void *ctx, size_t box, int *page, float *y, float body_h) {
    placer *p = ctx;
    lline *ln = &QVEC_AT(&p->l->flow, lline, box);
    ltable *t = ln->table;
    t->page0 = *page;
    t->y0 = *y;
    qtable_plan(t->qrows, t->nrows, t->nhead, body_h - *y, body_h, &t->plan);
    if (t->plan.pages > 1) {
        *page += t->plan.pages - 1;
        *y = t->plan.end_y;
    } else {
        *y += t->plan.end_y;
    }
}

qdl_page *ql_page_at(qdlist *dl, int i) {
    return &QVEC_AT(&dl->pages, qdl_page, i);
}

/* An item on page `page`, or only counted during the dry run. */
qdl_item *ql_put(L *l, int page, qdl_kind kind, int elem) {
    if (l->counts) {
        l->counts[page]++;
        return &l->dummy;
    }
    return qdlist_add_item(l->dl, ql_page_at(l->dl, l->page0 + page), kind, elem);
}

void ql_copy_item(L *l, int page, const qdl_item *src, float dy, int elem_override) {
    qdl_item *it = ql_put(l, page, src->kind, src->elem);
    *it = *src;
    it->y += dy;
    if (elem_override) it->elem = it->kind == QDL_TEXT ? QDL_ART_REPEAT : QDL_ART_LAYOUT;
}

void ql_place_marks(L *l, const lmark *m, int page, float y) {
    if (l->counts) return;
    for (; m; m = m->next) {
        if (m->anchor >= 0) {
            qdl_anchor *a = &QVEC_AT(&l->dl->anchors, qdl_anchor, m->anchor);
            if (a->page < 0) { a->page = l->page0 + page; a->y = y; }
        }
        if (m->outline >= 0) {
            qdl_outline *o = &QVEC_AT(&l->dl->outlines, qdl_outline, m->outline);
            o->page = l->page0 + page;
            o->y = y;
        }
    }
}

/* The language of a page: of the structure element its first text is in
 * (an inline span's aside), NULL when nothing says one. */
static const char *page_lang(const qdlist *dl, const qdl_page *pg) {
    for (size_t k = 0; k < pg->items.len; k++) {
        const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, k);
        if (it->kind != QDL_TEXT || it->elem < 0) continue;
        for (int e = it->elem; e >= 0;) {
            const qdl_elem *el = &QVEC_AT(&dl->elems, qdl_elem, e);
            if (el->lang && el->role != QR_SPAN) return el->lang;
            e = el->parent;
        }
        return NULL;
    }
    return NULL;
}

static void footers(L *l) {
    qdlist *dl = l->dl;
    size_t np = dl->pages.len;
    const char *title = l->title ? l->title : "";
    qfont *f = l->faces[QF_REGULAR];
    /* a title too long for the footer is cut by characters: measured
     * once, fitted on each page beside its own page number */
    qfont_fit fit;
    qfont_fit_init(&fit, f, title, strlen(title), 9, l->body_w);
    for (size_t p = (size_t)l->page0; p < np; p++) {
        qdl_page *pg = ql_page_at(dl, (int)p);
        /* a PDF appendix's page: the footer in its bottom band, no rule */
        float right = MARGIN_L + l->body_w, by = PAGE_H - 40, avail = l->body_w;
        if (pg->foreign) {
            by = pg->height - QL_FOREIGN_FOOT;
            right = pg->width - MARGIN_L;
            if (right - MARGIN_L < avail) avail = right - MARGIN_L;
        } else {
            qdl_item *r = qdlist_add_item(dl, pg, QDL_RULE, QDL_ART_LAYOUT);
            r->x = MARGIN_L; r->y = PAGE_H - 48; r->w = l->body_w; r->h = 0;
            r->size = 0.5f; r->color = FOOT_RULE_COLOR;
        }
        const char *num = l->foot_right ? l->foot_right
                          : qw_page_of(dl->arena, ql_words_for(l, page_lang(dl, pg)),
                                       p - (size_t)l->page0 + 1, np - (size_t)l->page0);
        size_t nl = strlen(num);
        float nw = qlb_width(f, num, nl, 9);
        size_t tl = qfont_fit_len(&fit, 9, avail - nw - 18);
        if (tl) {
            qdl_item *t = qdlist_add_item(dl, pg, QDL_TEXT, QDL_ART_FOOTER);
            t->x = MARGIN_L; t->y = by; t->size = 9; t->h = 9; t->color = FOOT_COLOR;
            t->face = QF_REGULAR; t->text = title; t->len = (unsigned)tl;
            t->w = qlb_width(f, title, tl, 9);
        }
        if (!nl) continue;
        qdl_item *n = qdlist_add_item(dl, pg, QDL_TEXT, QDL_ART_FOOTER);
        n->x = right - nw; n->y = by; n->size = 9; n->h = 9;
        n->color = FOOT_COLOR; n->face = QF_REGULAR; n->text = num; n->len = (unsigned)nl;
        n->w = nw;
    }
    qfont_fit_free(&fit);
    f->used = 1;
}

void ql_paginate_and_emit(L *l) {
    size_t n = l->flow.len;
    qpbox *b = calloc(n ? n : 1, sizeof *b);
    if (!b) qfatal_oom();
    for (size_t i = 0; i < n; i++) {
        const lline *ln = &QVEC_AT(&l->flow, lline, i);
        b[i].h = ln->h;
        b[i].before = ln->before;
        b[i].flags = ln->flags;
    }
    placer p = {l, b};
    int pages = qpaginate(b, n, BODY_H, split_table, &p);
    for (int i = 0; i < pages; i++) qdlist_add_page(l->dl, PAGE_W, PAGE_H);
    ql_emit_foreign(l, b);
    /* A dry run counts the items of each page so every page's array is
     * allocated once at its final size. */
    size_t *counts = calloc((size_t)pages, sizeof *counts);
    if (!counts) qfatal_oom();
    for (int pass = 0; pass < 2; pass++) {
        l->counts = pass == 0 ? counts : NULL;
        if (pass == 1)
            for (int i = 0; i < pages; i++) {
                qdl_page *pg = ql_page_at(l->dl, l->page0 + i);
                size_t cap = counts[i] + 5; /* + footer, pack number, item label */
                /* slots are zeroed as items are added */
                pg->items.data = qarena_alloc_uninit(l->dl->arena, cap * sizeof(qdl_item));
                pg->items.cap = cap;
            }
        for (size_t i = 0; i < n; i++) {
            const lline *ln = &QVEC_AT(&l->flow, lline, i);
            if (ln->table) { ql_emit_table(l, ln); continue; }
            float top = MARGIN_T + b[i].y;
            ql_place_marks(l, ln->marks, b[i].page, top);
            for (size_t k = 0; k < ln->nitems; k++)
                ql_copy_item(l, b[i].page, &QVEC_AT(&l->st, qdl_item, ln->item0 + k), top, 0);
        }
    }
    free(counts);
    free(b);
    /* anchors of nodes that produced no box point at the first page */
    for (size_t i = l->anchor0; i < l->dl->anchors.len; i++) {
        qdl_anchor *a = &QVEC_AT(&l->dl->anchors, qdl_anchor, i);
        if (a->page < 0) { a->page = l->page0; a->y = MARGIN_T; }
    }
    for (size_t i = l->outline0; i < l->dl->outlines.len; i++) {
        qdl_outline *o = &QVEC_AT(&l->dl->outlines, qdl_outline, i);
        if (o->page < 0) { o->page = l->page0; o->y = MARGIN_T; }
    }
    footers(l);
}

