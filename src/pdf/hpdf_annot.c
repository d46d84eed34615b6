/* Link annotations (WORKAROUND 16, with 4's destinations): one compact
 * record each, whose dictionary libharu sees empty and a hook prints when
 * the document is saved, so a document of tens of thousands of
 * cross-references costs a small constant per link, not libharu's four
 * kilobytes of dictionary entries, names, reals and arrays. */
#include "hpdf_private.h"

#include <stdlib.h>
#include <string.h>

/* A PDF byte string: printable ASCII as is, ( ) \ escaped, any other byte
 * in octal, as libharu writes a string without an encoder. */
static void wb_bytes(wbuf *b, const char *s) {
    qh_wb_put(b, "(", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '(' || *p == ')' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            qh_wb_put(b, e, 2);
        } else if (*p < 0x20 || *p > 0x7E) {
            char o[4] = {'\\', (char)('0' + (*p >> 6)), (char)('0' + ((*p >> 3) & 7)),
                         (char)('0' + (*p & 7))};
            qh_wb_put(b, o, 4);
        } else {
            qh_wb_put(b, (const char *)p, 1);
        }
    }
    qh_wb_put(b, ")", 1);
}

/* The keys libharu wrote, in its order: /Rect /Type /Subtype, the
 * destination or URI action, /P, /Border, then ours. */
static HPDF_STATUS HPDF_STDCALL annot_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf_annot *a = (qhpdf_annot *)(void *)d;  /* d is a's first member */
    qhpdf *h = d->attr;
    wbuf *b = &h->wb;
    qh_wb_str(b, "/Rect [");
    for (int i = 0; i < 4; i++) {
        qh_wb_put(b, " ", 1);
        qh_wb_real(b, a->rect[i]);
    }
    qh_wb_str(b, " ]\n/Type /Annot\n/Subtype /Link\n");
    if (a->dest >= 0) {
        qh_wb_str(b, "/Dest [ ");
        qh_wb_ref(b, h->pages[a->dest]);
        qh_wb_str(b, " /XYZ null ");
        qh_wb_real(b, a->top);
        qh_wb_str(b, " null ]\n");
    } else {
        qh_wb_str(b, "/A << /Type /Action /S /URI /URI ");
        wb_bytes(b, a->uri ? a->uri : "");
        qh_wb_str(b, " >>\n");
    }
    qh_wb_str(b, "/P ");
    qh_wb_ref(b, h->pages[a->page]);
    qh_wb_str(b, "\n/Border [ 0 0 0 ]\n/F 4\n");
    if (a->struct_parent >= 0) {
        qh_wb_str(b, "/StructParent ");
        qh_wb_int(b, a->struct_parent);
        qh_wb_put(b, "\n", 1);
    }
    if (a->contents) {
        qh_wb_str(b, "/Contents ");
        qh_wb_text(b, a->contents);
        qh_wb_put(b, "\n", 1);
    }
    return qh_wb_flush(h, out);
}

/* A new link on the current page, listed in its /Annots; its index, or
 * -1.  libharu's own /Annots array holds it (one proxy per link). */
static int new_link(qhpdf *h, float x0, float y0, float x1, float y1) {
    h->last_annot = -1;
    if (h->err || !h->page) return -1;
    if (h->nannots % ANNOT_BLOCK == 0) {
        int nb = h->nannots / ANNOT_BLOCK;
        if (nb == h->cap_annot_blocks) {
            h->cap_annot_blocks = h->cap_annot_blocks ? h->cap_annot_blocks * 2 : 16;
            h->annot_blocks = qh_xrealloc(
                h->annot_blocks, (size_t)h->cap_annot_blocks * sizeof *h->annot_blocks);
        }
        h->annot_blocks[nb] = qh_xrealloc(NULL, ANNOT_BLOCK * sizeof(qhpdf_annot));
    }
    qhpdf_annot *a = qh_annot_rec(h, h->nannots);
    memset(a, 0, sizeof *a);
    if (qh_own_dict(h, &a->d, annot_write) != 0) return -1;
    int i = h->nannots++;
    /* libharu's rule: the bottom edge first */
    a->rect[0] = x0;
    a->rect[1] = y0 < y1 ? y0 : y1;
    a->rect[2] = x1;
    a->rect[3] = y0 < y1 ? y1 : y0;
    a->page = h->page_no;
    a->dest = -1;
    a->struct_parent = -1;
    HPDF_Array annots = HPDF_Dict_GetItem(h->page, "Annots", HPDF_OCLASS_ARRAY);
    if (!annots) {
        annots = HPDF_Array_New(h->pdf->mmgr);
        if (!annots || HPDF_Dict_Add(h->page, "Annots", annots) != HPDF_OK) return -1;
    }
    if (HPDF_Array_Add(annots, &a->d) != HPDF_OK) return -1;
    h->last_annot = i;
    return i;
}

void qhpdf_link_uri(qhpdf *h, float x0, float y0, float x1, float y1,
                    const char *uri) {
    int i = new_link(h, x0, y0, x1, y1);
    if (i >= 0) qh_annot_rec(h, i)->uri = qh_xstrdup(uri ? uri : "");
}

void qhpdf_link_dest(qhpdf *h, float x0, float y0, float x1, float y1,
                     int page, float top) {
    if (h->err || !h->page) return;
    if (!qhpdf_has_page(h, page)) {
        qh_fail(h, HPDF_INVALID_PAGE);
        return;
    }
    int i = new_link(h, x0, y0, x1, y1);
    if (i < 0) return;
    qh_annot_rec(h, i)->dest = page;
    qh_annot_rec(h, i)->top = top;
}

void qh_annots_free(qhpdf *h) {
    for (int i = 0; i < h->nannots; i++) {
        free(qh_annot_rec(h, i)->uri);
        free(qh_annot_rec(h, i)->contents);
    }
    for (int i = 0; i * ANNOT_BLOCK < h->nannots; i++) free(h->annot_blocks[i]);
    free(h->annot_blocks);
}
