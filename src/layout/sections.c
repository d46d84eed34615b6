/* The report's structure: front sheet, sections (and implications,
 * background documents, forms), appendices, and the document walk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static qnode *text_node(qarena *a, const char *s) {
    qnode *x = qdoc_node_new(a, QN_TEXT, NULL, NOPOS);
    x->text = s;
    x->text_len = strlen(s);
    return x;
}

/* A row of the field table: its label cell (as qstyle_face_of draws the
 * field's label) and value cell vc, appended to t. */
static void field_row(qarena *a, qnode *t, const qnode *f, const char *label, qnode *vc) {
    qnode *row = qdoc_node_new(a, QN_ROW, NULL, NOPOS);
    qnode *lc = qdoc_node_new(a, QN_CELL, NULL, NOPOS);
    qdoc_attr_set(a, lc, "fill", FRONT_LABEL_FILL, NOPOS);
    if (ATTR_FACE_OF(f, "label") & F_BOLD) qdoc_attr_set(a, lc, "bold", "true", NOPOS);
    qdoc_attr_set(a, lc, "scope", "row", NOPOS);
    qdoc_append(lc, text_node(a, label ? label : ""));
    qdoc_append(row, lc);
    qdoc_append(row, vc);
    qdoc_append(t, row);
}

/* A two-column label/value table from fields (front sheet, form). */
void ql_field_table(L *l, const bctx *c, const qnode *parent, int front) {
    qarena *a = l->a;
    qnode *t = qdoc_node_new(a, QN_TABLE, NULL, NOPOS);
    qnode *c1 = qdoc_node_new(a, QN_COL, NULL, NOPOS);
    qdoc_attr_set(a, c1, "width", "35%", NOPOS);
    qnode *c2 = qdoc_node_new(a, QN_COL, NULL, NOPOS);
    qdoc_attr_set(a, c2, "width", "65%", NOPOS);
    qdoc_append(t, c1);
    qdoc_append(t, c2);
    int nf = 0;
    for (const qnode *f = parent->first; f; f = f->next) {
        /* hidden: a value the document uses (the title, for the footer and
         * metadata) that the council's front sheet does not print */
        if (f->type != QN_FIELD || ql_attr_true(f, "hidden")) continue;
        nf++;
        /* the cells say what qstyle_face_of says of the field: the
         * label as its label attribute is drawn, the value as its text */
        qnode *vc = qdoc_node_new(a, QN_CELL, NULL, NOPOS);
        const char *role = qdoc_attr(f, "role");
        if (FACE_OF(f) & F_BOLD) qdoc_attr_set(a, vc, "bold", "true", NOPOS);
        const char *id = qdoc_attr(f, "id");
        if (id) qdoc_attr_set(a, vc, "id", id, NOPOS);
        if (front && role && strcmp(role, "appendices") == 0 && !f->first) {
            /* generated: "1. Title" per appendix, one per line */
            const qnode *aps = qdoc_first_child_of(l->doc->root, QN_APPENDICES);
            int i = 0;
            size_t pdf_at = 0;
            for (const qnode *ap = aps ? aps->first : NULL; ap; ap = ap->next) {
                if (ap->type != QN_APPENDIX) continue;
                /* The front sheet may list an appendix under another name
                 * than the title it carries (title= on the reference). */
                const char *listed = ql_appendix_title(a, ap, ql_pdf_of(l->doc, ap, &pdf_at), 1);
                const char *num = ap->number ? ap->number : qarena_printf(a, "%d", i + 1);
                if (i > 0) qdoc_append(vc, qdoc_node_new(a, QN_BREAK, NULL, NOPOS));
                qdoc_append(vc, text_node(a, qarena_printf(a, "%s. %s", num, listed)));
                i++;
            }
        } else {
            /* borrow the field's children without relinking them */
            vc->first = f->first;
            vc->last = f->last;
        }
        field_row(a, t, f, qdoc_attr(f, "label"), vc);
        const char *xl[2], *xv[2];
        for (int k = 0, nx = ql_field_extra_rows(S, f, xl, xv); k < nx; k++) {
            qnode *xc = qdoc_node_new(a, QN_CELL, NULL, NOPOS);
            qdoc_append(xc, text_node(a, xv[k]));
            field_row(a, t, f, xl[k], xc);
        }
    }
    if (nf) ql_table(l, c, t, BODY_SIZE, BODY_LH, FRONT_PAD);
}

/* Returns whether it laid out a heading (the report's H1). */
static int front_sheet(L *l, const bctx *c, const qnode *fs) {
    int sect = qdlist_add_elem(l->dl, QR_SECT, l->root_elem);
    bctx fc = *c;
    fc.elem = sect;
    fc.x = MARGIN_L;
    fc.w = l->body_w;
    ql_mark_node(l, fs);
    /* identifier boxes (Agenda Item, Report No): top right, or above the
     * table across the page */
    const qnode *ids = qdoc_first_child_of(fs, QN_IDENTIFIERS);
    if (ids) {
        const char *pos = qdoc_attr(ids, "position");
        bctx ic = fc;
        if (!pos || strcmp(pos, "above") != 0) {
            ic.x = MARGIN_L + 0.55f * l->body_w;
            ic.w = 0.45f * l->body_w;
        }
        ql_mark_node(l, ids);
        ql_field_table(l, &ic, ids, 0);
        l->pending_after = 10;
    }
    const qnode *h = qdoc_first_child_of(fs, QN_HEADING);
    if (h) {
        ql_mark_node(l, h);
        ql_heading_line(l, &fc, NULL, h, QR_H1, sect, H1_SIZE, H1_LH, 0, H1_AFTER, 0);
        /* a heading keeps with the table */
    }
    ql_field_table(l, &fc, fs, 1);
    l->pending_after = 14;
    return h != NULL;
}

static int has_block(const qnode *n) {
    for (const qnode *x = n->first; x; x = x->next)
        if (!ql_is_inline(x->type)) return 1;
    return 0;
}

/* section, implication, background documents, form */
static void section(L *l, const bctx *pc, const qnode *s, int level, int in_appendix) {
    int sect = qdlist_add_elem(l->dl, QR_SECT, pc->elem);
    ql_elem_lang(l, sect, s);
    const qnode *h = qdoc_first_child_of(s, QN_HEADING);
    qarena *da = l->dl->arena;
    const char *htext = h ? ql_clean_text(l->a, h) : "";
    const char *num = s->number;
    /* a section without a heading is no heading and no bookmark: its
     * number shows only in its paragraphs' ("1.1"), never as a stray "1." */
    const char *otitle = !h ? "" : num ? qarena_printf(da, "%s %s", qdoc_number_label(da, num), htext)
                                       : qarena_strdup(da, htext);
    int anchor = ql_id_anchor(l, qdoc_attr(s, "id"));
    if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
    ql_add_mark(l, anchor, -1);
    if (*otitle) { /* a section without heading or number gets no bookmark */
        ql_add_outline(l, otitle, level);
        ql_add_mark(l, -1, (int)l->dl->outlines.len - 1);
    }
    const char *plain_attr = qdoc_attr(s, "paragraphs");
    int plain = in_appendix ? !(plain_attr && strcmp(plain_attr, "numbered") == 0)
                            : (plain_attr && strcmp(plain_attr, "plain") == 0);
    bctx c = *pc;
    c.elem = sect;
    c.level = level;
    c.num_x = MARGIN_L;
    c.numbered = !plain;
    c.x = plain ? MARGIN_L : MARGIN_L + NUM_INDENT;
    c.w = MARGIN_L + l->body_w - c.x;
    bctx hc = c;
    hc.x = MARGIN_L;
    hc.w = l->body_w;
    if (h) ql_mark_node(l, h);
    const char *label = num ? qdoc_number_label(da, num) : NULL;
    if (h) {
        /* one level below the heading above (H2 below the report's H1,
         * H1 when none stands above), nested sections one more, as their
         * bookmarks nest: heading navigation and the outline agree */
        int hl = pc->hlevel + 1;
        int he = ql_heading_line(l, &hc, label, h, ql_head_role(hl - 1), sect, H2_SIZE, H2_LH,
                              H2_BEFORE, H2_AFTER, HEAD_INDENT);
        QVEC_AT(&l->dl->elems, qdl_elem, he).section_head = 1;
        c.hlevel = hl;
    }
    if (s->type == QN_BACKGROUND_DOCS) {
        int le = qdlist_add_elem(l->dl, QR_L, sect);
        QVEC_AT(&l->dl->elems, qdl_elem, le).numbering = QDL_NUM_DISC;
        int i = 0;
        for (const qnode *d = s->first; d; d = d->next) {
            if (d->type != QN_DOCUMENT) continue;
            int li = qdlist_add_elem(l->dl, QR_LI, le);
            int lbl = qdlist_add_elem(l->dl, QR_LBL, li);
            int body = qdlist_add_elem(l->dl, QR_LBODY, li);
            ql_mark_node(l, d);
            ql_set_label(l, "\xE2\x80\xA2", c.x, lbl, 0);
            if (i++ > 0) l->pending_after = 3;
            bctx ic = c;
            ic.x = c.x + 14;
            ic.w = c.w - 14;
            l->nruns = 0;
            rstyle st = ql_base_style(&ic);
            ql_collect(l, d->first, NULL, st, body);
            const char *href = qdoc_attr(d, "href");
            if (href) {
                ql_run_text(l, &st, " \xE2\x80\x93 ", 5);
                rstyle ls = st;
                ls.elem = qdlist_add_elem(l->dl, QR_LINK, body);
                ls.color = LINK_COLOR;
                ls.flags = QLB_UNDERLINE;
                ls.uri = qarena_strdup(da, href);
                ql_run_text(l, &ls, href, strlen(href));
            }
            ql_flow_runs(l, &ic, body, 0, 3, 0);
            l->label = NULL;
        }
        l->pending_after = PARA_AFTER;
    } else if (s->type == QN_FORM) {
        ql_field_table(l, &c, s, 0);
        for (const qnode *q = s->first; q; q = q->next) {
            if (q->type != QN_QA) continue;
            ql_mark_node(l, q);
            for (const qnode *x = q->first; x; x = x->next) {
                if (x->type != QN_QUESTION && x->type != QN_ANSWER) continue;
                bctx qc = c;
                qc.face = FACE_OF(x);
                ql_mark_node(l, x);
                /* an answer may hold blocks (lists, tables, images): laid
                 * out as blocks, not read as one paragraph's text */
                if (x->type == QN_ANSWER && has_block(x)) {
                    ql_blocks(l, &qc, x->first);
                    continue;
                }
                int e = qdlist_add_elem(l->dl, QR_P, sect);
                ql_para_nodes(l, &qc, x->first, NULL, e, 0,
                           x->type == QN_QUESTION ? 3 : PARA_AFTER);
            }
        }
    }
    if (s->type != QN_BACKGROUND_DOCS) {
        for (const qnode *x = s->first; x;) {
            if (x->type == QN_SECTION) {
                /* nested sections (appendix outcome groups): one level down */
                section(l, &c, x, level + 1, in_appendix);
                x = x->next;
            } else {
                x = ql_block(l, &c, x);
            }
        }
    }
}

static void appendix(L *l, const qnode *ap, int i) {
    qarena *da = l->dl->arena;
    int part = qdlist_add_elem(l->dl, QR_PART, l->root_elem);
    ql_elem_lang(l, part, ap);
    const char *num = ap->number ? ap->number : qarena_printf(da, "%d", i + 1);
    const qnode *t = qdoc_first_child_of(ap, QN_TITLE);
    const qnode *st = qdoc_first_child_of(ap, QN_SUBTITLE);
    const char *title = ql_appendix_title(l->a, ap, NULL, 0);
    int anchor = ql_id_anchor(l, qdoc_attr(ap, "id"));
    if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
    ql_add_mark(l, anchor, -1);
    const qw_words *w = ql_words_of(l, ap);
    ql_add_outline(l, qw_fmt(da, w, QW_APPENDIX_BOOKMARK, num, title), 1);
    ql_add_mark(l, -1, (int)l->dl->outlines.len - 1);
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 0, part, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, TEXT_COLOR, 0, 0, 1, 1, t ? 1 : 0};
    l->app_part = part;
    l->app_hlevel = c.hlevel;
    /* the bar opens a new page */
    {
        int e = qdlist_add_elem(l->dl, QR_P, part);
        const char *bar = qw_fmt(da, w, QW_APPENDIX, num);
        size_t idx = ql_push_line(l, BODY_LH, 0, QPB_PAGE | QPB_KEEP);
        ql_stage_text(l, e, MARGIN_L, ql_baseline(l, 10, BODY_LH), QF_BOLD, 10, BAR_COLOR,
                   bar, strlen(bar));
        ql_stage_rule(l, MARGIN_L, BODY_LH, l->body_w, 0, 0.5f, BAR_COLOR);
        ql_end_line(l, idx);
        l->pending_after = 6;
    }
    if (t) {
        ql_mark_node(l, t);
        ql_heading_line(l, &c, NULL, t, QR_H1, part, 16, 20, 0, 4, 0);
    }
    if (st) {
        ql_mark_node(l, st);
        ql_heading_line(l, &c, NULL, st, QR_P, part, 13, 16, 0, 10, 0);
    }
    for (const qnode *x = ap->first; x;) {
        if (x->type == QN_SECTION || x->type == QN_IMPLICATION ||
            x->type == QN_BACKGROUND_DOCS || x->type == QN_FORM) {
            section(l, &c, x, 2, 1);
            x = x->next;
        } else {
            x = ql_block(l, &c, x);
        }
    }
}

void ql_document(L *l) {
    const qnode *root = l->doc->root;
    bctx c = {MARGIN_L, l->body_w, MARGIN_L, 1, l->root_elem, 0, BODY_SIZE, BODY_LH,
              PARA_AFTER, TEXT_COLOR, 0, 0, 0, 0, 0};
    int napp = 0;
    for (const qnode *x = root->first; x; x = x->next) {
        switch (x->type) {
        case QN_FRONT_SHEET:
            if (front_sheet(l, &c, x)) c.hlevel = 1;
            break;
        case QN_SECTION: case QN_IMPLICATION: case QN_BACKGROUND_DOCS: case QN_FORM:
            section(l, &c, x, 1, 0);
            break;
        case QN_APPENDICES:
            for (const qnode *ap = x->first; ap; ap = ap->next) {
                if (ap->type != QN_APPENDIX) continue;
                const qdoc_pdf *pdf = ql_pdf_of(l->doc, ap, &l->pdf_at);
                if (pdf) ql_pdf_appendix(l, pdf, ap, napp++);
                else appendix(l, ap, napp++);
            }
            break;
        default:
            ql_block(l, &c, x);
            break;
        }
    }
}

