/* Placed pages out of libharu's pool (WORKAROUND 18; issue 18, step 4 of
 * "Streaming a pack").  libharu keeps every page as a dictionary of its
 * own until the save: a 136-byte record per key, a name object per name,
 * a graphics state, an attribute block, a resource dictionary with a
 * proxy per font, and the content stream's dictionary, some 5 KB a page,
 * 9 MB for the 1,854 pages of the 50-report pack.  Once a page is placed
 * and its links made (the caller places the next page, or saves), none of
 * it changes: the page dictionary's text is printed then into one
 * growing buffer and libharu's objects under it are freed; the dictionary
 * record itself stays (the page tree, outlines and links refer to it by
 * address) with an empty key list and a write hook that prints the text
 * kept, so the file is the same byte for byte.  The content stream's
 * dictionary is freed once the stream has gone to the sink (qh_early_write).
 * Only when the output is streamed (qh_early_start: plain output saved
 * with object streams); archive copies keep the whole document. */
#include "hpdf_private.h"

#include <stdlib.h>
#include <string.h>

/* Where HPDF_Dict_Write prints a page. */
static HPDF_STATUS HPDF_STDCALL to_wbuf(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
    qh_wb_put(s->attr, (const char *)p, n);
    return HPDF_OK;
}

/* The page whose dictionary is d: h->made lists the pages in the order
 * they were made, so by object number (a pack makes its own pages last). */
static int page_of(const qhpdf *h, HPDF_Dict d) {
    int lo = 0, hi = h->nmade - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        HPDF_Dict m = h->pages[h->made[mid]];
        if (m == d) return h->made[mid];
        if ((m->header.obj_id & 0x00FFFFFFu) < (d->header.obj_id & 0x00FFFFFFu))
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The hook of a retired page: its keys as printed when it was retired
 * (HPDF_Dict_Write adds the "<<\n" before and the ">>" after). */
static HPDF_STATUS HPDF_STDCALL retired_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf *h = d->attr;
    int p = page_of(h, d);
    if (p < 0 || h->page_text[p] == UINT32_MAX) return HPDF_INVALID_OBJECT;
    uint32_t at = h->page_text[p];
    uint32_t n;
    memcpy(&n, h->retired.p + at, sizeof n);
    return HPDF_Stream_Write(out, (const HPDF_BYTE *)h->retired.p + at + sizeof n, n);
}

/* d's keys and values freed (what HPDF_Dict_Free does but for the
 * record and its empty list). */
static void free_keys(HPDF_Dict d) {
    HPDF_List l = d->list;
    for (HPDF_UINT i = 0; i < l->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(l, i);
        if (!e) continue;
        HPDF_Obj_Free(d->mmgr, e->value);
        HPDF_FreeMem(d->mmgr, e);
    }
    HPDF_FreeMem(d->mmgr, l->obj);
    l->obj = NULL;
    l->count = 0;
    l->block_siz = 0;
}

/* A stream dictionary written to the sink, out of the table and freed. */
static void drop_stream(qhpdf *h, HPDF_Dict d) {
    HPDF_XrefEntry x = HPDF_Xref_GetEntry(h->pdf->xref, d->header.obj_id & 0x00FFFFFFu);
    if (x && x->obj == d) x->obj = NULL;
    HPDF_Dict_Free(d);
}

void qh_stream_written(qhpdf *h, HPDF_Dict d) {
    if (d->attr == (void *)h) drop_stream(h, d);
}

void qh_retire_page(qhpdf *h, int page) {
    if (h->err || !h->early || !qhpdf_has_page(h, page)) return;
    if (h->ntext < h->npages) { /* pages made as a pack streams */
        int n = h->cap_pages;
        h->page_text = qh_xrealloc(h->page_text, (size_t)n * sizeof *h->page_text);
        memset(h->page_text + h->ntext, 0xFF, (size_t)(n - h->ntext) * sizeof *h->page_text);
        h->ntext = n;
    }
    if (h->page_text[page] != UINT32_MAX) return;
    HPDF_Dict d = h->pages[page];
    HPDF_PageAttr attr = d->attr;
    HPDF_Dict contents = attr ? attr->contents : NULL;
    wbuf *b = &h->retired;
    size_t at = b->n;
    if (at > UINT32_MAX - 4096) return;  /* kept as it is */
    uint32_t n = 0;
    qh_wb_put(b, (const char *)&n, sizeof n);
    HPDF_Stream s = HPDF_CallbackWriter_New(h->pdf->mmgr, to_wbuf, b);
    if (!s) {
        qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    HPDF_STATUS st = HPDF_Dict_Write(d, s, NULL);
    HPDF_Stream_Free(s);
    /* "<<\n" keys ">>": the keys are kept */
    if (st != HPDF_OK || b->n - at < sizeof n + 5) {
        b->n = at;
        if (!h->err) qh_fail(h, st ? st : HPDF_INVALID_OBJECT);
        return;
    }
    n = (uint32_t)(b->n - at - sizeof n - 5);
    memmove(b->p + at + sizeof n, b->p + at + sizeof n + 3, n);
    memcpy(b->p + at, &n, sizeof n);
    b->n = at + sizeof n + n;
    h->page_text[page] = (uint32_t)at;
    if (d->free_fn) d->free_fn(d);  /* libharu's: the graphics state, attr */
    free_keys(d);
    d->free_fn = NULL;
    d->before_write_fn = NULL;
    d->write_fn = retired_write;
    d->attr = h;
    if (!contents) return;
    /* the content stream: freed now if it went out, else once it does */
    if ((contents->header.obj_id & 0x00FFFFFFu) < h->early_next) drop_stream(h, contents);
    else contents->attr = h;
}
