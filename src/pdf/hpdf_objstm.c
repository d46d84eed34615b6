/* A pack's structure elements written as each unit of pages ends
 * (WORKAROUND 17's object streams, before the save; issue 18: flat
 * memory).  A report's elements are final once its last page is placed
 * (its Figures' boxes are set then): the parent of each is the report's
 * or the Document, which stays open.  Kept until the save, their records,
 * kids and attributes were some 110 KB a report (24 MB at 200 reports),
 * and the save printed and deflated all of them on the calling thread
 * after the last report.  So they are printed here into object streams
 * of their own, numbered after them, deflated on the deflate worker like
 * page content and written in number order with the pages' streams
 * (qh_early_write); what stays of an element is its slot in libharu's
 * table (8 bytes), pointing at its stream's entry, which gives its row
 * at the save; its number is in its parent's kids and the parent tree
 * already.  The file's objects are the same; the
 * object streams they sit in, and so the numbers after the first report,
 * are not the save's (which puts every object left in number order). */
#include "hpdf_private.h"

#include <stdlib.h>
#include <string.h>

/* Elements an object stream: the save's (hpdf_save.c, OBJSTM_N). */
enum { EARLY_N = 200 };

/* The object stream of n elements printed into body, their numbers and
 * offsets there in num[], at[]; 0 or -1. */
static int put_stream(qhpdf *h, wbuf *body, const uint32_t *num, const uint32_t *at, int n,
                      qpdf_ostm *known, qpdf_ostms *catch, int memo) {
    /* room for the index (two numbers of ten digits at most and two
     * spaces an object) and the objects at once: grown by doubling, the
     * buffer was copied five times a stream into fresh pages (~90 page
     * faults of a rebuild's writer) */
    size_t room = (size_t)n * 22 + body->n;
    wbuf ix = {qh_xrealloc(NULL, room), 0, room};
    qh_wb_index(&ix, num, at, n);
    size_t first = ix.n;
    qh_wb_put(&ix, body->p, body->n);
    body->n = 0;
    qh_xref_grow(h);
    HPDF_Dict d = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
    if (!d || h->err) {
        free(ix.p);
        if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    HPDF_Dict_AddName(d, "Type", "ObjStm");
    HPDF_Dict_AddNumber(d, "N", n);
    HPDF_Dict_AddNumber(d, "First", (HPDF_INT32)first);
    /* freed once written, as a retired page's content is (hpdf_retire.c) */
    d->attr = h;
    if (h->nostm == h->cap_ostm) {
        h->cap_ostm = h->cap_ostm ? 2 * h->cap_ostm : 64;
        h->ostm = qh_xrealloc(h->ostm, (size_t)h->cap_ostm * sizeof *h->ostm);
    }
    HPDF_XrefEntry x = memset(qh_xrealloc(NULL, sizeof *x), 0, sizeof *x);
    h->ostm[h->nostm++] = x;
    x->entry_typ = QH_ENTRY_WRITTEN;
    x->byte_offset = d->header.obj_id & 0x00FFFFFFu;
    /* each element's entry is the stream's: no object, so the early
     * writes and the save pass it, and its row is the stream's */
    HPDF_Xref xref = h->pdf->xref;
    for (int i = 0; i < n; i++) xref->entries->obj[num[i] - xref->start_offset] = x;
    if (memo) qh_set_flate_memo(h, d, ix.p, ix.n, qh_objstm_level(h));
    else qh_set_flate_known(h, d, ix.p, ix.n, qh_objstm_level(h), known, catch);
    return h->err ? -1 : 0;
}

/* The kids, attributes and strings of the root's elements alone, in new
 * arrays (every other element is written); the blocks of written
 * elements freed. */
static void keep_root_only(qhpdf *h) {
    int nkids = 0, nrefs = 0, nextras = 0, nbboxes = 0;
    for (int i = 0; i < h->nroot_se; i++) {
        const qhpdf_se *e = qh_se_rec(h, h->root_se[i]->se);
        for (int k = e->first_kid; k >= 0; k = h->kids[k].next) {
            int kind = h->kids[k].v & 3;
            nkids++;
            nrefs += kind == KID_MCR || kind == KID_OBJR;
        }
        nextras += e->extra != 0;
    }
    qhpdf_kid *kids = qh_xrealloc(NULL, (size_t)(nkids ? nkids : 1) * sizeof *kids);
    qhpdf_ref *refs = qh_xrealloc(NULL, (size_t)(nrefs ? nrefs : 1) * sizeof *refs);
    qhpdf_extra *extras = qh_xrealloc(NULL, (size_t)(nextras ? nextras : 1) * sizeof *extras);
    float (*bboxes)[4] = qh_xrealloc(NULL, (size_t)(nextras ? nextras : 1) * sizeof *bboxes);
    wbuf strs = {0};
    int cap_kids = nkids ? nkids : 1, cap_refs = nrefs ? nrefs : 1;
    int cap_extras = nextras ? nextras : 1;
    nkids = nrefs = nextras = 0;
    for (int i = 0; i < h->nroot_se; i++) {
        qhpdf_se *e = qh_se_rec(h, h->root_se[i]->se);
        int prev = -1;
        for (int k = e->first_kid; k >= 0; k = h->kids[k].next) {
            int v = h->kids[k].v, kind = v & 3;
            if (kind == KID_MCR || kind == KID_OBJR) {
                refs[nrefs] = h->refs[v >> 2];
                v = nrefs++ * 4 + kind;
            }
            kids[nkids] = (qhpdf_kid){v, -1};
            if (prev < 0) e->first_kid = nkids;
            else kids[prev].next = nkids;
            prev = nkids++;
        }
        e->last_kid = prev;
        if (!e->extra) continue;
        qhpdf_extra x = h->extras[e->extra - 1];
        uint32_t *s[] = {&x.alt, &x.lang, &x.summary, &x.actual, &x.numbering};
        for (size_t j = 0; j < sizeof s / sizeof s[0]; j++) {
            if (!*s[j]) continue;
            const char *str = h->strs.p + *s[j] - 1;
            *s[j] = (uint32_t)strs.n + 1;
            qh_wb_put(&strs, str, strlen(str) + 1);
        }
        if (x.bbox >= 0) {
            memcpy(bboxes[nbboxes], h->bboxes[x.bbox], sizeof *bboxes);
            x.bbox = nbboxes++;
        }
        extras[nextras++] = x;
        e->extra = (unsigned)nextras;
    }
    free(h->kids);
    free(h->refs);
    free(h->extras);
    free(h->bboxes);
    free(h->strs.p);
    h->kids = kids;
    h->nkids = nkids;
    h->cap_kids = cap_kids;
    h->refs = refs;
    h->nrefs = nrefs;
    h->cap_refs = cap_refs;
    h->extras = extras;
    h->nextras = nextras;
    h->cap_extras = cap_extras;
    h->bboxes = bboxes;
    h->nbboxes = nbboxes;
    h->cap_bboxes = cap_extras;
    h->strs = strs;
    /* a block all of whose elements are written and none the root's */
    for (int b = h->se_freed / SE_BLOCK; (b + 1) * SE_BLOCK <= h->se_written; b++) {
        if (!h->se_blocks[b]) continue;
        int root = 0;
        for (int i = 0; i < h->nroot_se && !root; i++)
            root = h->root_se[i]->se / SE_BLOCK == b;
        if (root) continue;
        free(h->se_blocks[b]);
        h->se_blocks[b] = NULL;
    }
    while (h->se_freed + SE_BLOCK <= h->se_written) h->se_freed += SE_BLOCK;
}

/* The cached stream k of a unit, if it has one. */
static qpdf_ostm *known_at(qpdf_ostms *cached, size_t k) {
    return cached && k < cached->n ? &cached->v[k] : NULL;
}

/* The parent tree's leaves that are complete, each into an object
 * stream of its own, deflated on the deflate worker while the next units
 * are placed (issue 18: left to the save, the leaves of the 50-report
 * pack were one object stream of 611 KB, a rebuild's last ~10 ms on one
 * core).  Entries are added in key order and never change, so a leaf is
 * final once its last entry is; it is written once an entry follows it,
 * so the tree has more than one leaf and this one its /Limits, as the
 * save would print it (qhpdf_struct_finish makes the rest). */
static void leaves_flush(qhpdf *h) {
    while (h->npt - h->pt_written > QH_PT_LEAF && !h->err) {
        uint32_t num = qh_shared_number(h), at = 0;
        if (!num) {
            if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
            return;
        }
        wbuf body = {0};
        qh_wb_put(&body, "<<\n", 3);
        qh_pt_leaf_print(h, h->pt_written, h->pt_written + QH_PT_LEAF, &body);
        qh_wb_put(&body, ">>\n", 3);
        /* the same leaf as the last build's, mostly: its bytes then */
        int rc = put_stream(h, &body, &num, &at, 1, NULL, NULL, 1);
        free(body.p);
        if (rc) return;
        if (h->npt_early == h->cap_pt_early) {
            h->cap_pt_early = h->cap_pt_early ? 2 * h->cap_pt_early : 16;
            h->pt_early = qh_xrealloc(h->pt_early, (size_t)h->cap_pt_early * sizeof *h->pt_early);
        }
        h->pt_early[h->npt_early++] = num;
        h->pt_written += QH_PT_LEAF;
    }
}

void qhpdf_struct_flush(qhpdf *h, qpdf_ostms *cached, qpdf_ostms *catch) {
    /* the shared entry: the document is saved with object streams */
    if (h->err || !h->tagged || !h->se_shared) return;
    leaves_flush(h);
    if (h->err || h->se_written == h->nse) return;
    wbuf body = {0};
    uint32_t num[EARLY_N], at[EARLY_N];
    int n = 0;
    size_t k = 0; /* the unit's streams so far */
    if (catch) catch->expect = cached ? cached->n : 0;
    for (int se = h->se_written; se < h->nse && !h->err; se++) {
        if (qh_se_rec(h, se)->parent < 0) continue;  /* the root's: open */
        num[n] = qh_se_rec(h, se)->num;
        at[n] = (uint32_t)body.n;
        qh_se_put(h, se, &body);
        if (++n == EARLY_N) {
            put_stream(h, &body, num, at, n, known_at(cached, k), catch, 0);
            k++;
            n = 0;
        }
    }
    if (n && !h->err) put_stream(h, &body, num, at, n, known_at(cached, k), catch, 0);
    free(body.p);
    if (catch) {
        catch->closed = 1;
        qh_catch_settle(catch);
    }
    if (h->err) return;
    h->se_written = h->se_cursor = h->nse;
    keep_root_only(h);
}

qh_row qh_written_row(HPDF_XrefEntry x) {
    return (qh_row){x->byte_offset, x->gen_no++, 2};
}

void qh_ostm_free(qhpdf *h) {
    for (int i = 0; i < h->nostm; i++) free(h->ostm[i]);
    free(h->ostm);
    h->ostm = NULL;
    h->nostm = 0;
}

size_t qh_se_bytes(const qhpdf *h) {
    return (size_t)(h->nse - h->se_freed) * sizeof(qhpdf_se) +
           (size_t)h->nostm * (sizeof *h->ostm + sizeof **h->ostm);
}
