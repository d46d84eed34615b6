/* Outline items (WORKAROUND 3).  libharu makes each item a dictionary
 * with /Type /Outlines (only the root may have it; PDFBox Preflight also
 * rejects the indirect /Dest it makes): as libharu's objects, with their
 * 136-byte key records, a string, a hidden open flag and four proxies,
 * an item cost 1.9 KB until the save, 11 MB for the 5,800 bookmarks of
 * the 200-report pack, all made at the end of the write, where its
 * memory peaks (issue 18).  Each item is an empty dictionary of our own
 * instead, written by a hook from a compact record with its title as
 * libharu printed it; the keys come in the order libharu's would have
 * (/Title, /Prev, /Parent, /Dest, then /First and /Last or /Next as they
 * came, /Count), so the file is the same.  The root stays libharu's, its
 * count ours. */
#include "hpdf_private.h"

#include <hpdf_utils.h>
#include <stdlib.h>
#include <string.h>

/* Where HPDF_Obj_WriteValue prints a title. */
static HPDF_STATUS HPDF_STDCALL to_wbuf(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
    qh_wb_put(s->attr, (const char *)p, n);
    return HPDF_OK;
}

static void put_ref(qhpdf *h, wbuf *b, const char *key, int item) {
    qh_wb_str(b, key);
    qh_wb_num(b, qh_outline_rec(h, item)->d.header.obj_id & 0x00FFFFFFu);
    qh_wb_put(b, "\n", 1);
}

static HPDF_STATUS HPDF_STDCALL item_write(HPDF_Dict d, HPDF_Stream out) {
    const qhpdf_oitem *o = (const qhpdf_oitem *)(void *)d;  /* d is o's first member */
    qhpdf *h = d->attr;
    wbuf *b = &h->wb;
    qh_wb_str(b, "/Title ");
    qh_wb_put(b, h->titles.p + o->title, o->title_len);
    qh_wb_put(b, "\n", 1);
    if (o->prev >= 0) put_ref(h, b, "/Prev ", o->prev);
    if (o->parent >= 0) {
        put_ref(h, b, "/Parent ", o->parent);
    } else {
        qh_wb_str(b, "/Parent ");
        qh_wb_ref(b, h->outline_root);
        qh_wb_put(b, "\n", 1);
    }
    qh_wb_str(b, "/Dest [ ");
    qh_wb_ref(b, h->pages[o->page]);
    qh_wb_str(b, " /XYZ null ");
    char real[HPDF_REAL_LEN + 1];  /* libharu's digits (HPDF_Stream_WriteReal's) */
    char *end = HPDF_FToA(real, o->top, real + HPDF_REAL_LEN);
    qh_wb_put(b, real, (size_t)(end - real));
    qh_wb_str(b, " null ]\n");
    if (o->next >= 0 && o->next_first) put_ref(h, b, "/Next ", o->next);
    if (o->first >= 0) {
        put_ref(h, b, "/First ", o->first);
        put_ref(h, b, "/Last ", o->last);
    }
    if (o->next >= 0 && !o->next_first) put_ref(h, b, "/Next ", o->next);
    if (o->count > 0) {
        qh_wb_str(b, "/Count ");
        qh_wb_int(b, o->count);
        qh_wb_put(b, "\n", 1);
    }
    return qh_wb_flush(h, out);
}

/* libharu's count of the root (its BeforeWrite): every item, all open. */
static HPDF_STATUS root_before_write(HPDF_Dict root) {
    qhpdf *h = root->attr;
    HPDF_Number n = HPDF_Dict_GetItem(root, "Count", HPDF_OCLASS_NUMBER);
    if (h->noutlines == 0)
        return n ? HPDF_Dict_RemoveElement(root, "Count") : HPDF_OK;
    if (n) {
        n->value = h->noutlines;
        return HPDF_OK;
    }
    return HPDF_Dict_AddNumber(root, "Count", h->noutlines);
}

/* The root, as HPDF_CreateOutline makes it with the first item. */
static HPDF_Dict outline_root(qhpdf *h) {
    if (h->outline_root) return h->outline_root;
    HPDF_Dict root = HPDF_OutlineRoot_New(h->pdf->mmgr, h->pdf->xref);
    if (!root) return NULL;
    if (HPDF_Dict_Add(h->pdf->catalog, "Outlines", root) != HPDF_OK) return NULL;
    h->pdf->outlines = root;
    root->before_write_fn = root_before_write;
    root->attr = h;
    h->outline_root = root;
    return root;
}

/* The title's value as libharu prints it: PDFDocEncoding's bytes when
 * they hold it, else UTF-16 (WORKAROUND 15 for any length); 0 or -1. */
static int print_title(qhpdf *h, qhpdf_oitem *o, const char *title) {
    char *doc = qh_xrealloc(NULL, strlen(title) + 1);
    int plain = strlen(title) <= HPDF_LIMIT_MAX_STRING_LEN && qh_pdfdoc(title, doc) == 0;
    void *s = qh_string_obj(h, plain ? doc : title, !plain);
    free(doc);
    if (!s) return -1;
    HPDF_Stream out = HPDF_CallbackWriter_New(h->pdf->mmgr, to_wbuf, &h->titles);
    size_t at = h->titles.n;
    HPDF_STATUS st = out ? HPDF_Obj_WriteValue(s, out, NULL) : HPDF_FAILD_TO_ALLOC_MEM;
    if (out) HPDF_Stream_Free(out);
    HPDF_Obj_Free(h->pdf->mmgr, s);
    if (st != HPDF_OK || h->titles.n > UINT32_MAX) return -1;
    o->title = (uint32_t)at;
    o->title_len = (uint32_t)(h->titles.n - at);
    return 0;
}

static qhpdf_oitem *new_item(qhpdf *h) {
    if (h->noutlines % OUTLINE_BLOCK == 0) {
        int nb = h->noutlines / OUTLINE_BLOCK;
        if (nb == h->cap_outline_blocks) {
            h->cap_outline_blocks = h->cap_outline_blocks ? h->cap_outline_blocks * 2 : 16;
            h->outline_blocks = qh_xrealloc(h->outline_blocks, (size_t)h->cap_outline_blocks *
                                                                  sizeof *h->outline_blocks);
        }
        h->outline_blocks[nb] = qh_xrealloc(NULL, OUTLINE_BLOCK * sizeof(qhpdf_oitem));
    }
    qhpdf_oitem *o = qh_outline_rec(h, h->noutlines);
    memset(o, 0, sizeof *o);
    return o;
}

int qhpdf_outline(qhpdf *h, int parent, const char *title, int page, float top) {
    if (h->err) return -1;
    if (!qhpdf_has_page(h, page)) {
        qh_fail(h, HPDF_INVALID_PAGE);
        return -1;
    }
    if (parent >= h->noutlines) parent = -1;
    HPDF_Dict root = outline_root(h);
    if (!root || h->err) {
        if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    qhpdf_oitem *o = new_item(h);
    if (qh_own_dict(h, &o->d, item_write) != 0 || print_title(h, o, title) != 0) {
        if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    int i = h->noutlines++;
    o->parent = parent;
    o->first = o->last = o->next = -1;
    o->page = page;
    o->top = top;
    /* libharu's AddChild: the parent's /First once, the last child's
     * /Next, the parent's /Last */
    int last;
    if (parent >= 0) {
        qhpdf_oitem *p = qh_outline_rec(h, parent);
        last = p->last;
        if (p->first < 0) p->first = i;
        p->last = i;
    } else {
        last = h->outline_top - 1;
        if (last < 0) HPDF_Dict_Add(root, "First", &o->d);
        HPDF_Dict_Add(root, "Last", &o->d);
        h->outline_top = i + 1;
    }
    o->prev = last;
    if (last >= 0) {
        qhpdf_oitem *l = qh_outline_rec(h, last);
        l->next = i;
        l->next_first = l->first < 0;
    }
    for (int a = parent; a >= 0; a = qh_outline_rec(h, a)->parent)
        qh_outline_rec(h, a)->count++;
    return h->err ? -1 : i;
}

void qh_outlines_free(qhpdf *h) {
    for (int i = 0; i * OUTLINE_BLOCK < h->noutlines; i++) free(h->outline_blocks[i]);
    free(h->outline_blocks);
    free(h->titles.p);
}
