/* Pages from elsewhere (issue 15): a report's PDF appendices laid out as
 * placeholder pages of the PDF's own sizes (the PDF writer draws each
 * page in after libharu has saved, src/pdf/pdf_foreign.c), and the bands
 * a pack's PDF items share with them. */
#include <string.h>

#include "layout.h"
#include "pdfin.h"

float ql_foreign_page(qdl_page *pg, const char *name, unsigned page, float top,
                      float bottom, float content_top, float content_bottom) {
    pg->foreign = name;
    pg->foreign_page = page;
    pg->fx = 0;
    pg->fw = pg->width;
    if (content_top >= top && content_bottom >= bottom) {
        /* nothing drawn where the bands are: the page as it is */
        pg->fy = 0;
        pg->fh = pg->height;
        return 1;
    }
    pg->fy = top;
    pg->fh = pg->height - top - bottom;
    return pg->fh / pg->height;
}

void ql_shrunk_add(ql_shrunk *s, unsigned page, float scale) {
    if (scale >= 1) return;
    if (scale < s->least || !s->n) s->least = scale;
    if (s->n && page == s->last + 1) {
        s->last = page;
        return;
    }
    if (s->n) ql_shrunk_run(s);
    s->first = s->last = page;
    s->n++;
}

void ql_shrunk_run(ql_shrunk *s) {
    if (s->text.len) qstr_puts(&s->text, ", ");
    if (s->first == s->last) qstr_printf(&s->text, "%u", s->first + 1);
    else qstr_printf(&s->text, "%u\u2013%u", s->first + 1, s->last + 1);
}

void ql_shrunk_note(ql_shrunk *s, const char *name, qpos at, quorum_diags *d) {
    if (s->n) {
        ql_shrunk_run(s);
        int pct = (int)(s->least * 100);
        qdiag_add(d, QUORUM_NOTE, at,
                  "%s: %s %s shrunk to %d%% to leave room for the page number", name,
                  strpbrk(s->text.s, ",\xe2") ? "pages" : "page", s->text.s, pct);
    }
    qstr_free(&s->text);
}

void ql_band_label(qdlist *dl, qdl_page *pg, const qfont *bold, const char *label,
                   int elem) {
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, elem);
    it->len = (unsigned)strlen(label);
    it->w = qlb_width(bold, label, it->len, 10);
    it->x = pg->width - 24 - it->w;
    it->y = QL_BAND_TOP - 10;
    it->size = 10; it->h = 10; it->face = QF_BOLD; it->text = label;
}

const qdoc_pdf *ql_pdf_of(const quorum_doc *doc, const qnode *ap, size_t *cursor) {
    if (*cursor < doc->npdfs && doc->pdfs[*cursor].ref == ap) return &doc->pdfs[(*cursor)++];
    return NULL;
}

const char *ql_appendix_title(qarena *a, const qnode *ap, const qdoc_pdf *pdf, int listed) {
    /* an XML appendix's own <title> names it in the outline; a PDF has
     * none to put there but title= */
    const char *t = listed || pdf ? qdoc_attr(ap, "title") : NULL;
    const qnode *tt = qdoc_first_child_of(ap, QN_TITLE);
    if (!t && tt) t = ql_clean_text(a, tt);
    if (!t && pdf) t = pdf->info->title ? pdf->info->title : pdf->href;
    return t ? t : "";
}

/* The appendix's pages: one flow box a page, each opening a page of its
 * own (sized like the PDF's when emitted: ql_emit_foreign), its label in
 * the top band; "Appendix N: title" in the outline with the PDF's own
 * outline nested under it.  The label on the first page is the heading
 * of the appendix's Part, H1 as an XML appendix's title (H2 in a pack),
 * since it is the only printed text that names the appendix where its
 * bookmark leads; on the pages after, it is a running header.  The PDF
 * writer puts a tagged PDF's tree after that heading, its headings below
 * it (pdfin_place.cc); an untagged one was warned about by the loader. */
void ql_pdf_appendix(L *l, const qdoc_pdf *pdf, const qnode *ap, int i) {
    qarena *da = l->dl->arena;
    const qpdfin_doc *info = pdf->info;
    const char *num = ap->number ? ap->number : qarena_printf(da, "%d", i + 1);
    const char *title = qarena_strdup(da, ql_appendix_title(l->a, ap, pdf, 0));
    int part = qdlist_add_elem(l->dl, QR_PART, l->root_elem);
    ql_elem_lang(l, part, ap);
    int head = qdlist_add_elem(l->dl, QR_H1, part);
    int anchor = ql_id_anchor(l, qdoc_attr(ap, "id"));
    if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
    ql_add_mark(l, anchor, -1);
    ql_add_outline(l, qarena_printf(da, "Appendix %s: %s", num, title), 1);
    ql_add_mark(l, -1, (int)l->dl->outlines.len - 1);
    const qfont *b = ql_face(l, QF_BOLD);
    const char *label = qarena_printf(da, "Appendix %s", num);
    size_t box0 = l->flow.len;
    for (size_t k = 0; k < info->npages; k++) {
        size_t idx = ql_push_line(l, BODY_H, 0, QPB_PAGE);
        float w = qlb_width(b, label, strlen(label), 10);
        /* item positions are from the box's top, the page's MARGIN_T */
        ql_stage_text(l, k ? QDL_ART_HEADER : head, info->w[k] - 24 - w, QL_BAND_TOP - 10 - MARGIN_T,
                      QF_BOLD, 10, TEXT_COLOR, label, strlen(label));
        ql_end_line(l, idx);
        lforeign *f = qvec_push(l->a, &l->foreign);
        f->box = idx;
        f->pdf = pdf;
        f->page = (unsigned)k;
    }
    for (size_t k = 0; k < info->noutlines; k++) {
        const qpdfin_outline *o = &info->outlines[k];
        if (o->page < 0) continue; /* pointing outside the appendix */
        ql_add_outline(l, qarena_strdup(da, o->title), o->level + 1);
        lmark *m = qarena_alloc(l->a, sizeof *m);
        lline *ln = &QVEC_AT(&l->flow, lline, box0 + (size_t)o->page);
        m->anchor = -1;
        m->outline = (int)l->dl->outlines.len - 1;
        m->next = ln->marks;
        ln->marks = m;
    }
}

void ql_emit_foreign(L *l, const qpbox *b) {
    ql_shrunk sh = {0};
    for (size_t i = 0; i < l->foreign.len; i++) {
        const lforeign *f = &QVEC_AT(&l->foreign, lforeign, i);
        const qpdfin_doc *info = f->pdf->info;
        qdl_page *pg = ql_page_at(l->dl, l->page0 + b[f->box].page);
        pg->width = info->w[f->page];
        pg->height = info->h[f->page];
        /* the name outlives the document: the layout's sources are named
         * in its own arena */
        float k = ql_foreign_page(pg, qarena_strdup(l->dl->arena, f->pdf->path), f->page,
                                  QL_BAND_TOP, QL_BAND_FOOTER, info->top[f->page],
                                  info->bottom[f->page]);
        ql_shrunk_add(&sh, f->page, k);
        /* one note per appendix, after its last page */
        if (i + 1 == l->foreign.len || QVEC_AT(&l->foreign, lforeign, i + 1).pdf != f->pdf) {
            ql_shrunk_note(&sh, f->pdf->href, qdoc_attr_get(f->pdf->ref, "href")->pos, l->d);
            memset(&sh, 0, sizeof sh);
        }
    }
}
