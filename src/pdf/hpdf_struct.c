/* The structure tree of tagged PDF (WORKAROUND 11): libharu has no API
 * for it, so elements and parent-tree leaves are written by hooks from
 * compact records, and marked content goes into the content stream. */
#include "hpdf_private.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tagged PDF (WORKAROUND 11) -----------------------------------------
 * libharu has no structure API.  A big pack has a hundred thousand
 * structure elements; as libharu dictionaries (a 136-byte record per key,
 * a name object per role, a proxy per reference) they took more memory and
 * time than everything else in the document.  So each element is an empty
 * indirect dictionary, only for its object number, whose write hook
 * prints the element from a compact record here (role, parent, page,
 * kids, attributes); the parent tree's leaves are written the same way.
 * Marked-content operators go straight into the content stream, between
 * text objects and paths, never inside.  The parent tree is assembled
 * from (key, value) pairs collected in key order: each page's key is
 * taken when the page is finished, its annotations' keys after that. */

/* The next capacity of an array that grows with the document: doubling
 * while small, then a quarter more (issue 18: the slack of doubling was
 * 3.5 MB of kids alone at 200 reports, held at the save's peak; glibc
 * grows big blocks in place or by remapping, so the copies stay cheap). */
static int grow(int cap, int first) {
    if (cap == 0) return first;
    if (cap < 65536) return cap * 2;
    if (cap > INT_MAX - cap / 4) {
        fputs("quorum: out of memory\n", stderr);
        abort();
    }
    return cap + cap / 4;
}

void qh_pt_add(qhpdf *h, int key, int kind, int a, int n) {
    if (h->npt == h->cap_pt) {
        h->cap_pt = grow(h->cap_pt, 64);
        h->pt = qh_xrealloc(h->pt, (size_t)h->cap_pt * sizeof *h->pt);
    }
    h->pt[h->npt].key = key;
    h->pt[h->npt].kind = kind;
    h->pt[h->npt].a = a;
    h->pt[h->npt].n = n;
    h->npt++;
}

static void kid_add(qhpdf *h, int se, int kind, int a, int b) {
    if (h->nkids == h->cap_kids) {
        h->cap_kids = grow(h->cap_kids, 1024);
        h->kids = qh_xrealloc(h->kids, (size_t)h->cap_kids * sizeof *h->kids);
    }
    if (kind == KID_MCR || kind == KID_OBJR) {  /* rare: two numbers apart */
        if (h->nrefs == h->cap_refs) {
            h->cap_refs = h->cap_refs ? h->cap_refs * 2 : 64;
            h->refs = qh_xrealloc(h->refs, (size_t)h->cap_refs * sizeof *h->refs);
        }
        h->refs[h->nrefs] = (qhpdf_ref){a, b};
        a = h->nrefs++;
    }
    int k = h->nkids++;
    h->kids[k].v = a * 4 + kind;
    h->kids[k].next = -1;
    qhpdf_se *e = qh_se_rec(h, se);
    if (e->last_kid < 0) e->first_kid = k;
    else h->kids[e->last_kid].next = k;
    e->last_kid = k;
}

static void ints_push(int **v, int *n, int *cap, int x) {
    if (*n == *cap) {
        *cap = grow(*cap, 256);
        *v = qh_xrealloc(*v, (size_t)*cap * sizeof **v);
    }
    (*v)[(*n)++] = x;
}

void qhpdf_set_tagged(qhpdf *h) {
    if (h->err || h->tagged) return;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Dict root = HPDF_Dict_New(mm);
    if (!root || HPDF_Xref_Add(h->pdf->xref, root) != HPDF_OK) return;
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Array k = HPDF_Array_New(mm);
    if (!k) return;
    HPDF_Dict_Add(root, "K", k);
    if (h->err) return;
    h->struct_root = root;
    h->root_k = k;
    h->tagged = 1;
    /* /Tabs is PDF 1.5 and PDF/UA is built on PDF 1.7; PDF/A-1 is PDF 1.4
     * and stays so (readers of 1.4 ignore the newer keys). */
    if (h->archive != 1 && h->pdf->pdf_version < HPDF_VER_17)
        h->pdf->pdf_version = HPDF_VER_17;
}

int qhpdf_tagged(const qhpdf *h) { return h->tagged; }

/* ---- serialising elements (run by libharu while saving) ---------------- */

static void wb_grow(wbuf *b, size_t n) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->n + n) cap += cap < (1u << 20) ? cap : cap / 4;
    b->p = qh_xrealloc(b->p, cap);
    b->cap = cap;
}

/* Inline here: the hooks print a few bytes at a time, tens of thousands
 * of times a report, and the buffer is almost never full. */
static inline void wb_put(wbuf *b, const char *s, size_t n) {
    if (b->cap - b->n < n) wb_grow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

void qh_wb_put(wbuf *b, const char *s, size_t n) { wb_put(b, s, n); }

void qh_wb_str(wbuf *b, const char *s) { wb_put(b, s, strlen(s)); }

#define qh_wb_put wb_put
#define qh_wb_str(b, s) wb_put((b), (s), strlen(s))

/* Digits by hand, two at a time, straight into the buffer: a pack
 * prints millions of numbers here (element numbers, MCIDs, the object
 * streams' offsets); snprintf cost about ten times as many instructions
 * (7 M of the sample's 137 M), and a digit a division and a copy through
 * a scratch array still cost 67 M of the 50-report pack's writer. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The digits of u (at most 20) ending at end, two at a time. */
static void put_digits(char *end, unsigned long long u) {
    while (u > UINT32_MAX) {  /* rare: offsets and numbers are 32-bit */
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        end -= 2;
        memcpy(end, digit_pairs + 2 * r, 2);
    }
    uint32_t w = (uint32_t)u;
    while (w >= 100) {
        unsigned r = w % 100;
        w /= 100;
        end -= 2;
        memcpy(end, digit_pairs + 2 * r, 2);
    }
    if (w >= 10) memcpy(end - 2, digit_pairs + 2 * w, 2);
    else end[-1] = (char)('0' + w);
}

void qh_wb_int(wbuf *b, long long v) {
    if (b->cap - b->n < 24) wb_grow(b, 24);
    char *p = b->p + b->n;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (v < 0) *p++ = '-';
    int nd = u < 10 ? 1 : u < 100 ? 2 : u < 1000 ? 3 : u < 10000 ? 4 : u < 100000 ? 5
           : u < 1000000 ? 6 : u < 10000000 ? 7 : 8;
    for (unsigned long long t = u / 100000000; t; t /= 10) nd++;
    put_digits(p + nd, u);
    b->n = (size_t)(p + nd - b->p);
}

void qh_wb_num(wbuf *b, unsigned num) {
    qh_wb_int(b, (long long)num);
    qh_wb_put(b, " 0 R", 4);
}

void qh_wb_ref(wbuf *b, const void *obj) {
    const HPDF_Obj_Header *hd = obj;
    qh_wb_num(b, hd->obj_id & 0x00FFFFFFu);
}

/* Any float: the largest, 3.4e38, is 39 digits and ".000" with its sign,
 * so tmp holds every one whole (a box read from a damaged display list or
 * cache entry can be that large: 32 bytes were overrun, fuzz_drawn found
 * it); NaN and the infinities, which PDF has no syntax for, print 0. */
void qh_wb_real(wbuf *b, float v) {
    char tmp[64];
    if (!isfinite(v)) v = 0;
    int n = snprintf(tmp, sizeof tmp, "%.3f", (double)v);
    if (n < 0 || (size_t)n >= sizeof tmp) n = 2, memcpy(tmp, "0.", 2);
    while (n > 0 && tmp[n - 1] == '0') n--;
    if (n > 0 && tmp[n - 1] == '.') n--;
    qh_wb_put(b, tmp, (size_t)n);
}

/* PDFDocEncoding's code for c (printable characters only), or 0: ASCII
 * and Latin-1 as themselves (not the soft hyphen, which PDFDocEncoding
 * leaves undefined), and the typographic marks at 0x80-0xA0. */
static unsigned char pdfdoc_code(unsigned c) {
    static const unsigned short hi[] = { /* 0x80.. */
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
        0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
        0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
        0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0,
        0x20AC};
    if (c >= 0x20 && c < 0x7F) return (unsigned char)c;
    if (c > 0xA0 && c <= 0xFF && c != 0xAD) return (unsigned char)c;
    for (unsigned i = 0; i < sizeof hi / sizeof hi[0]; i++)
        if (hi[i] && hi[i] == c) return (unsigned char)(0x80 + i);
    return 0;
}

int qh_pdfdoc(const char *s, char *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        unsigned char c = pdfdoc_code(qh_next_cp(&p));
        if (!c) return -1;
        out[n++] = (char)c;
    }
    out[n] = 0;
    return 0;
}

/* A PDF text string: a literal when PDFDocEncoding holds it (a byte a
 * character), else UTF-16BE with a byte-order mark, in hex.  Printable
 * ASCII, which is PDFDocEncoding as itself, is escaped straight into the
 * buffer (issue 18: the pack's 18,000 /ActualText values each cost a
 * copy, a malloc and a decode a character, 680 instructions apiece). */
void qh_wb_text(wbuf *b, const char *s) {
    const unsigned char *p;
    size_t len = strlen(s);
    if (b->cap - b->n < 2 * len + 2) wb_grow(b, 2 * len + 2);
    char *o = b->p + b->n;
    *o++ = '(';
    for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7F; p++) {
        if (*p == '(' || *p == ')' || *p == '\\') *o++ = '\\';
        *o++ = (char)*p;
    }
    if (!*p) {
        *o++ = ')';
        b->n = (size_t)(o - b->p);
        return;
    }
    /* not ASCII alone (nothing counted in b yet): as before */
    char *doc = qh_xrealloc(NULL, len + 1);
    if (qh_pdfdoc(s, doc) == 0) {
        qh_wb_put(b, "(", 1);
        for (p = (const unsigned char *)doc; *p; p++) {
            if (*p == '(' || *p == ')' || *p == '\\') qh_wb_put(b, "\\", 1);
            qh_wb_put(b, (const char *)p, 1);
        }
        qh_wb_put(b, ")", 1);
        free(doc);
        return;
    }
    free(doc);
    static const char hx[] = "0123456789ABCDEF";
    qh_wb_str(b, "<FEFF");
    for (p = (const unsigned char *)s; *p;) {
        unsigned c = qh_next_cp(&p);
        unsigned u[2], nu = 1;
        if (c > 0xFFFF) {
            c -= 0x10000;
            u[0] = 0xD800 | (c >> 10);
            u[1] = 0xDC00 | (c & 0x3FF);
            nu = 2;
        } else {
            u[0] = c;
        }
        for (unsigned i = 0; i < nu; i++) {
            char q[4] = {hx[(u[i] >> 12) & 15], hx[(u[i] >> 8) & 15],
                         hx[(u[i] >> 4) & 15], hx[u[i] & 15]};
            qh_wb_put(b, q, 4);
        }
    }
    qh_wb_put(b, ">", 1);
}

HPDF_STATUS qh_wb_flush(qhpdf *h, HPDF_Stream out) {
    HPDF_STATUS st = HPDF_Stream_Write(out, (const HPDF_BYTE *)h->wb.p,
                                       (HPDF_UINT)h->wb.n);
    h->wb.n = 0;
    return st;
}

/* An extra's string (its offset plus one), or NULL. */
static const char *xstr(const qhpdf *h, uint32_t at) {
    return at ? h->strs.p + at - 1 : NULL;
}

void qh_se_print(qhpdf *h, int se, wbuf *b) {
    const qhpdf_se *e = qh_se_rec(h, se);
    const qhpdf_extra *x = e->extra ? &h->extras[e->extra - 1] : NULL;
    /* /P and /Pg first, then /S: siblings share the first two, so in an
     * object stream each element repeats most of the last one's text,
     * which deflates to a few bytes (the pack of 50 has 95,000). */
    qh_wb_str(b, "/P ");
    if (e->parent >= 0) qh_wb_num(b, qh_se_rec(h, e->parent)->num);
    else qh_wb_ref(b, h->struct_root);
    if (e->page >= 0) {
        qh_wb_str(b, "\n/Pg ");
        qh_wb_ref(b, h->pages[e->page]);
    }
    qh_wb_str(b, "\n/S /");
    qh_wb_str(b, h->roles[e->role]);
    if (x && x->alt) {
        qh_wb_str(b, "\n/Alt ");
        qh_wb_text(b, xstr(h, x->alt));
    }
    if (x && x->actual) {
        qh_wb_str(b, "\n/ActualText ");
        qh_wb_text(b, xstr(h, x->actual));
    }
    if (x && x->lang) {
        qh_wb_str(b, "\n/Lang ");
        qh_wb_text(b, xstr(h, x->lang));
    }
    if (x && x->bbox >= 0) {
        qh_wb_str(b, "\n/A << /O /Layout /BBox [");
        for (int i = 0; i < 4; i++) {
            qh_wb_put(b, " ", 1);
            qh_wb_real(b, h->bboxes[x->bbox][i]);
        }
        qh_wb_str(b, " ] >>");
    } else if (x && (x->scope || x->summary || x->colspan > 1 || x->rowspan > 1)) {
        qh_wb_str(b, "\n/A << /O /Table");
        if (x->scope) qh_wb_str(b, x->scope == 1 ? " /Scope /Row" : " /Scope /Column");
        if (x->colspan > 1) {
            qh_wb_str(b, " /ColSpan ");
            qh_wb_int(b, x->colspan);
        }
        if (x->rowspan > 1) {
            qh_wb_str(b, " /RowSpan ");
            qh_wb_int(b, x->rowspan);
        }
        if (x->summary) {
            qh_wb_str(b, " /Summary ");
            qh_wb_text(b, xstr(h, x->summary));
        }
        qh_wb_str(b, " >>");
    } else if (x && x->numbering) {
        qh_wb_str(b, "\n/A << /O /List /ListNumbering /");
        qh_wb_str(b, xstr(h, x->numbering));
        qh_wb_str(b, " >>");
    }
    /* one kid stands alone, not in an array */
    int one = e->first_kid >= 0 && e->first_kid == e->last_kid;
    qh_wb_str(b, one ? "\n/K" : "\n/K [");
    for (int k = e->first_kid; k >= 0; k = h->kids[k].next) {
        int kind = h->kids[k].v & 3, a = h->kids[k].v >> 2;
        /* refs is NULL in a document with no marked content or link */
        const qhpdf_ref *r = kind == KID_MCR || kind == KID_OBJR ? &h->refs[a] : NULL;
        qh_wb_put(b, " ", 1);
        switch (kind) {
        case KID_SE: qh_wb_num(b, (unsigned)a); break;
        case KID_MCID: qh_wb_int(b, a); break;
        case KID_MCR:
            qh_wb_str(b, "<< /Type /MCR /Pg ");
            qh_wb_ref(b, h->pages[r->a]);
            qh_wb_str(b, " /MCID ");
            qh_wb_int(b, r->b);
            qh_wb_str(b, " >>");
            break;
        case KID_OBJR:
            qh_wb_str(b, "<< /Type /OBJR /Obj ");
            qh_wb_ref(b, &qh_annot_rec(h, r->a)->d);
            qh_wb_str(b, " /Pg ");
            qh_wb_ref(b, h->pages[r->b]);
            qh_wb_str(b, " >>");
            break;
        }
    }
    qh_wb_str(b, one ? "\n" : " ]\n");
}

static HPDF_STATUS se_write(qhpdf *h, int se, HPDF_Stream out) {
    qh_se_print(h, se, &h->wb);
    return qh_wb_flush(h, out);
}

/* The next element not of the root, as the saves print objects in number
 * order and each once; -1 when there is none. */
static int next_shared(qhpdf *h) {
    while (h->se_cursor < h->nse && qh_se_rec(h, h->se_cursor)->parent < 0)
        h->se_cursor++;
    return h->se_cursor < h->nse ? h->se_cursor++ : -1;
}

/* The shared dict's hook. */
static HPDF_STATUS HPDF_STDCALL shared_se_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf *h = d->attr;
    int se = next_shared(h);
    return se < 0 ? HPDF_INVALID_OBJECT : se_write(h, se, out);
}

/* The shared dict's value as HPDF_Obj_WriteValue prints it, "<<\n", the
 * hook's keys, ">>", straight into b (issue 18: through libharu, each of
 * a pack's 95,000 elements went through its dict writer, three stream
 * writes and a copy out of the scratch buffer, 40% of its printing). */
int qh_se_put_shared(qhpdf *h, wbuf *b) {
    int se = next_shared(h);
    if (se < 0) return -1;
    wb_put(b, "<<\n", 3);
    qh_se_print(h, se, b);
    wb_put(b, ">>", 2);
    return 0;
}

void qh_se_put(qhpdf *h, int se, wbuf *b) {
    wb_put(b, "<<\n", 3);
    qh_se_print(h, se, b);
    wb_put(b, ">>\n", 3);
}

void qh_wb_index(wbuf *b, const uint32_t *num, const uint32_t *at, int n) {
    for (int i = 0; i < n; i++) {
        qh_wb_int(b, num[i]);
        wb_put(b, " ", 1);
        qh_wb_int(b, at[i]);
        wb_put(b, " ", 1);
    }
}

static HPDF_STATUS HPDF_STDCALL root_se_write(HPDF_Dict d, HPDF_Stream out) {
    return se_write(d->attr, ((qhpdf_root_se *)(void *)d)->se, out);
}

void qh_pt_leaf_print(qhpdf *h, int from, int to, wbuf *b) {
    if (from > 0 || to < h->npt) {
        qh_wb_str(b, "/Limits [ ");
        qh_wb_int(b, h->pt[from].key);
        qh_wb_put(b, " ", 1);
        qh_wb_int(b, h->pt[to - 1].key);
        qh_wb_str(b, " ]\n");
    }
    qh_wb_str(b, "/Nums [");
    for (int i = from; i < to; i++) {
        const qhpdf_ptentry *p = &h->pt[i];
        qh_wb_put(b, "\n", 1);
        qh_wb_int(b, p->key);
        if (p->kind == 0) {       /* a page: its elements by MCID */
            qh_wb_str(b, " [");
            for (int m = 0; m < p->n; m++) {
                qh_wb_put(b, " ", 1);
                qh_wb_num(b, (unsigned)h->mcid_se[p->a + m]);
            }
            qh_wb_str(b, " ]");
        } else {                  /* an annotation: its Link element */
            qh_wb_put(b, " ", 1);
            qh_wb_num(b, (unsigned)p->a);
        }
    }
    qh_wb_str(b, " ]\n");
}

static HPDF_STATUS HPDF_STDCALL leaf_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf_ptleaf *l = d->attr;
    qh_pt_leaf_print(l->h, l->from, l->to, &l->h->wb);
    return qh_wb_flush(l->h, out);
}

/* The tree's root when leaves were written early (their numbers in
 * pt_early), the leaves made at the save after them. */
static HPDF_STATUS HPDF_STDCALL pt_root_write(HPDF_Dict d, HPDF_Stream out) {
    qhpdf *h = d->attr;
    wbuf *b = &h->wb;
    qh_wb_str(b, "/Kids [");
    for (int i = 0; i < h->npt_early; i++) {
        qh_wb_put(b, " ", 1);
        qh_wb_num(b, h->pt_early[i]);
    }
    for (int i = 0; i < h->nleaves; i++) {
        qh_wb_put(b, " ", 1);
        qh_wb_num(b, h->leaves[i].num);
    }
    qh_wb_str(b, " ]\n");
    return qh_wb_flush(h, out);
}

/* ---- dictionaries of our own --------------------------------------------- */

/* d (all of it ours) as object number n's: a placeholder takes the
 * number (HPDF_Xref_Add frees it if that fails), then the entry is
 * pointed at d.  The number, or 0. */
static unsigned xref_take(qhpdf *h, HPDF_Dict_Rec *d) {
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Xref xref = h->pdf->xref;
    qh_xref_grow(h);
    HPDF_Null ph = HPDF_Null_New(mm);
    if (!ph || HPDF_Xref_Add(xref, ph) != HPDF_OK) return 0;
    HPDF_XrefEntry x = HPDF_Xref_GetEntry(xref, xref->entries->count - 1);
    unsigned num = ph->header.obj_id & 0x00FFFFFFu;
    x->obj = d;
    HPDF_FreeMem(mm, ph);
    return num;
}

static void own_dict_init(qhpdf *h, HPDF_Dict_Rec *d,
                          HPDF_STATUS (HPDF_STDCALL *write)(HPDF_Dict, HPDF_Stream)) {
    HPDF_MMgr mm = h->pdf->mmgr;
    d->header.obj_class = HPDF_OCLASS_DICT;
    d->mmgr = mm;
    d->error = mm->error;
    d->list = h->own_list;
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = write;
    d->attr = h;
}

int qh_own_dict(qhpdf *h, HPDF_Dict_Rec *d,
                HPDF_STATUS (HPDF_STDCALL *write)(HPDF_Dict, HPDF_Stream)) {
    if (h->err) return -1;
    if (!h->own_list && !(h->own_list = HPDF_List_New(h->pdf->mmgr, 1))) return -1;
    unsigned num = xref_take(h, d);
    if (!num) return -1;
    own_dict_init(h, d, write);
    d->header.obj_id = num | HPDF_OTYPE_INDIRECT;
    return 0;
}

void qh_own_dict_release(qhpdf *h, HPDF_Dict_Rec *d) {
    HPDF_XrefEntry x = HPDF_Xref_GetEntry(h->pdf->xref, d->header.obj_id & 0x00FFFFFFu);
    if (x && x->obj == d) x->obj = NULL;
}

/* The entries of h's elements out of the table before libharu frees
 * it: the root's elements' own dicts, then the shared entry, which is
 * ours, out of the list (last: the list no longer goes by number). */
void qh_se_release(qhpdf *h) {
    for (int i = 0; i < h->nroot_se; i++) qh_own_dict_release(h, &h->root_se[i]->d);
    for (int i = 0; !h->se_shared && i < h->nse; i++) {
        HPDF_XrefEntry x = HPDF_Xref_GetEntry(h->pdf->xref, qh_se_rec(h, i)->num);
        if (x && x->obj == &h->se_dict) x->obj = NULL;
    }
    if (h->se_shared) {
        HPDF_List l = h->pdf->xref->entries;
        HPDF_UINT k = 0;
        for (HPDF_UINT i = 0; i < l->count; i++)
            if (l->obj[i] != &h->se_entry &&
                ((HPDF_XrefEntry)l->obj[i])->entry_typ != QH_ENTRY_WRITTEN)
                l->obj[k++] = l->obj[i];
        l->count = k;
    }
}

/* A number for an element not of the root whose table entry is one all
 * such elements share (issue 18: libharu allocates 24 bytes for each
 * entry, a hundred thousand in a pack), or 0.  Only for the saves with
 * object streams, which read the entry's object alone: libharu's own
 * save (PDF/A-1) writes each entry's offset into it. */
unsigned qh_shared_number(qhpdf *h) {
    HPDF_Xref xref = h->pdf->xref;
    if (xref->entries->count >= HPDF_LIMIT_MAX_XREF_ELEMENT) {
        qh_fail(h, HPDF_XREF_COUNT_ERR);
        return 0;
    }
    if (!h->se_shared) {
        h->se_entry.entry_typ = HPDF_IN_USE_ENTRY;
        h->se_entry.obj = &h->se_dict;
        h->se_shared = 1;
    }
    qh_xref_grow(h);
    if (HPDF_List_Add(xref->entries, &h->se_entry) != HPDF_OK) return 0;
    return xref->start_offset + xref->entries->count - 1;
}

/* An element's number: its entry points at the shared dict, or at a
 * dict of its own for an element of the root; 0 on failure. */
static unsigned se_number(qhpdf *h, int se, int parent) {
    if (!h->own_list && !(h->own_list = HPDF_List_New(h->pdf->mmgr, 1))) return 0;
    if (parent >= 0) {
        if (!h->se_dict.write_fn) own_dict_init(h, &h->se_dict, shared_se_write);
        if (!qh_can_compact(h)) return xref_take(h, &h->se_dict);
        return qh_shared_number(h);
    }
    qhpdf_root_se *r = memset(qh_xrealloc(NULL, sizeof *r), 0, sizeof *r);
    h->root_se = qh_xrealloc(h->root_se, (size_t)(h->nroot_se + 1) * sizeof *h->root_se);
    h->root_se[h->nroot_se++] = r;
    r->se = se;
    if (qh_own_dict(h, &r->d, root_se_write) != 0) return 0;
    if (HPDF_Array_Add(h->root_k, &r->d) != HPDF_OK) return 0;
    return r->d.header.obj_id & 0x00FFFFFFu;
}

/* ---- building the tree -------------------------------------------------- */

/* The index of role in h->roles, added on first use (standard role
 * names: letters and digits only, others become X); -1 past SE_ROLES.
 * Callers pass a few static names, so each is looked up by its address
 * first, in a table probed from a hash of it (issue 18: indexed by the
 * address's low bits, names a few bytes apart in one table of literals
 * shared slots, and four of five lookups of a pack's 95,000 fell through
 * to comparing names: 460,000 strcmp). */
static int role_of(qhpdf *h, const char *role) {
    enum { NSEEN = sizeof h->role_seen / sizeof h->role_seen[0] };
    unsigned slot = (unsigned)(((uint64_t)(uintptr_t)role * 0x9E3779B97F4A7C15ull) >> 58) % NSEEN;
    for (int k = 0; k < NSEEN && h->role_seen[slot].s; k++, slot = (slot + 1) % NSEEN)
        if (h->role_seen[slot].s == role) return h->role_seen[slot].role;
    char name[SE_ROLE_LEN];
    size_t n = 0;
    for (; role[n] && n + 1 < sizeof name; n++) {
        char c = role[n];
        name[n] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                   (c >= '0' && c <= '9')) ? c : 'X';
    }
    name[n] = 0;
    int r = 0;
    while (r < h->nroles && strcmp(h->roles[r], name) != 0) r++;
    if (r == h->nroles) {
        if (r == SE_ROLES) {
            qh_fail(h, HPDF_INVALID_PARAMETER);
            return -1;
        }
        if (!h->roles) h->roles = qh_xrealloc(NULL, SE_ROLES * sizeof *h->roles);
        memcpy(h->roles[h->nroles++], name, sizeof name);
    }
    /* kept while the table is at most three quarters full, so a probe
     * always ends at an empty slot */
    if (h->nseen < NSEEN * 3 / 4 && !h->role_seen[slot].s) {
        h->role_seen[slot].s = role;
        h->role_seen[slot].role = r;
        h->nseen++;
    }
    return r;
}

int qhpdf_struct_new(qhpdf *h, int parent, const char *role) {
    if (h->err || !h->tagged) return -1;
    /* a parent written early takes no more kids */
    if (parent >= h->nse || (parent >= 0 && !qh_se_open(h, parent))) {
        qh_fail(h, HPDF_INVALID_PARAMETER);
        return -1;
    }
    if (h->nse % SE_BLOCK == 0) {
        int nb = h->nse / SE_BLOCK;
        if (nb == h->cap_blocks) {
            h->cap_blocks = h->cap_blocks ? h->cap_blocks * 2 : 16;
            h->se_blocks = qh_xrealloc(h->se_blocks,
                                    (size_t)h->cap_blocks * sizeof *h->se_blocks);
        }
        h->se_blocks[nb] = qh_xrealloc(NULL, SE_BLOCK * sizeof(qhpdf_se));
    }
    int r = role_of(h, role);
    if (r < 0) return -1;
    qhpdf_se *e = qh_se_rec(h, h->nse);
    memset(e, 0, sizeof *e);
    e->num = se_number(h, h->nse, parent);
    if (!e->num) return -1;
    int i = h->nse++;
    e->parent = parent;
    e->page = -1;
    e->first_kid = e->last_kid = -1;
    e->role = (unsigned)r;
    if (parent >= 0) kid_add(h, parent, KID_SE, (int)e->num, 0);
    return h->err ? -1 : i;
}

int qh_se_open(qhpdf *h, int se) {
    if (se >= h->se_written) return 1;
    const qhpdf_se *blk = h->se_blocks[se / SE_BLOCK];
    return blk && blk[se % SE_BLOCK].parent < 0;
}

static qhpdf_se *se_at(qhpdf *h, int se) {
    if (h->err || !h->tagged) return NULL;
    if (se < 0 || se >= h->nse || !qh_se_open(h, se)) {
        qh_fail(h, HPDF_INVALID_PARAMETER);
        return NULL;
    }
    return qh_se_rec(h, se);
}

/* s into h->strs, its slot the offset plus one (0 when s is empty); a
 * string set again leaves the old one unused (it happens not at all). */
static void set_str(qhpdf *h, uint32_t *slot, const char *s) {
    *slot = 0;
    if (!s || !s[0] || h->strs.n > UINT32_MAX - strlen(s) - 2) return;
    *slot = (uint32_t)h->strs.n + 1;
    qh_wb_put(&h->strs, s, strlen(s) + 1);
}

/* The element's rare attributes, made on first use. */
static qhpdf_extra *extra_of(qhpdf *h, int se) {
    qhpdf_se *e = se_at(h, se);
    if (!e) return NULL;
    if (!e->extra) {
        if (h->nextras == (1 << 24) - 1) {
            qh_fail(h, HPDF_INVALID_PARAMETER);
            return NULL;
        }
        if (h->nextras == h->cap_extras) {
            h->cap_extras = grow(h->cap_extras, 64);
            h->extras = qh_xrealloc(h->extras, (size_t)h->cap_extras * sizeof *h->extras);
        }
        memset(&h->extras[h->nextras], 0, sizeof *h->extras);
        h->extras[h->nextras].bbox = -1;
        e->extra = (unsigned)++h->nextras;
    }
    return &h->extras[e->extra - 1];
}

void qhpdf_struct_alt(qhpdf *h, int se, const char *alt) {
    qhpdf_extra *x = alt && alt[0] ? extra_of(h, se) : NULL;
    if (x) set_str(h, &x->alt, alt);
}

void qhpdf_struct_actual(qhpdf *h, int se, const char *actual) {
    qhpdf_extra *x = actual && actual[0] ? extra_of(h, se) : NULL;
    if (x) set_str(h, &x->actual, actual);
}

void qhpdf_struct_lang(qhpdf *h, int se, const char *lang) {
    qhpdf_extra *x = lang && lang[0] ? extra_of(h, se) : NULL;
    if (x) set_str(h, &x->lang, lang);
}

void qhpdf_struct_scope(qhpdf *h, int se, int row) {
    qhpdf_extra *x = extra_of(h, se);
    if (x) x->scope = row ? 1 : 2;
}

void qhpdf_struct_numbering(qhpdf *h, int se, const char *name) {
    qhpdf_extra *x = name ? extra_of(h, se) : NULL;
    if (x) set_str(h, &x->numbering, name);
}

void qhpdf_struct_span(qhpdf *h, int se, int colspan, int rowspan) {
    if (colspan <= 1 && rowspan <= 1) return;
    qhpdf_extra *x = extra_of(h, se);
    if (!x) return;
    x->colspan = colspan;
    x->rowspan = rowspan;
}

void qhpdf_struct_bbox(qhpdf *h, int se, float x0, float y0, float x1,
                       float y1) {
    qhpdf_extra *x = extra_of(h, se);
    if (!x) return;
    if (x->bbox < 0) {
        if (h->nbboxes == h->cap_bboxes) {
            h->cap_bboxes = h->cap_bboxes ? h->cap_bboxes * 2 : 16;
            h->bboxes = qh_xrealloc(h->bboxes, (size_t)h->cap_bboxes * sizeof *h->bboxes);
        }
        x->bbox = h->nbboxes++;
    }
    float *b = h->bboxes[x->bbox];
    b[0] = x0;
    b[1] = y0;
    b[2] = x1;
    b[3] = y1;
}

void qhpdf_struct_summary(qhpdf *h, int se, const char *summary) {
    qhpdf_extra *x = summary && summary[0] ? extra_of(h, se) : NULL;
    if (x) set_str(h, &x->summary, summary);
}

/* Marked content goes into the page's canvas (pdf_canvas.c); the MCIDs
 * reach the elements when the page is placed (qh_mark_placed). */
void qhpdf_mark_artifact(qhpdf *h, int type) {
    if (h->err || !h->tagged || !h->drawing) return;
    qcv_mark_artifact(h->cv, type);
}

void qhpdf_mark(qhpdf *h, int se) {
    if (h->err || !h->tagged || !h->drawing) return;
    if (se < 0) {
        qhpdf_mark_artifact(h, QH_ART_LAYOUT);
        return;
    }
    qhpdf_se *e = se_at(h, se);
    if (e) qcv_mark(h->cv, se, h->roles[e->role]);
}

int qh_mark_placed(qhpdf *h, int se, int mcid) {
    qhpdf_se *e = se_at(h, se);
    if (!e || !h->page) return -1;
    ints_push(&h->mcid_se, &h->nmcid_se, &h->cap_mcid_se, (int)e->num);
    if (e->page < 0) e->page = h->page_no;
    if (e->page == h->page_no)
        kid_add(h, se, KID_MCID, mcid, 0);
    else  /* content continued on a later page: a marked-content ref */
        kid_add(h, se, KID_MCR, h->page_no, mcid);
    return h->err ? -1 : 0;
}

void qhpdf_tag_annot(qhpdf *h, int se, const char *contents) {
    qhpdf_se *e = se_at(h, se);
    int a = h->last_annot;
    if (!e || a < 0 || !h->page) return;
    h->last_annot = -1;
    qhpdf_annot *rec = qh_annot_rec(h, a);
    rec->struct_parent = h->next_key++;
    rec->contents = contents && contents[0] ? qh_xstrdup(contents) : NULL;
    kid_add(h, se, KID_OBJR, a, h->page_no);
    qh_pt_add(h, rec->struct_parent, 1, (int)e->num, 0);
    if (!h->page_tabs) {
        HPDF_Dict_AddName(h->page, "Tabs", "S");
        h->page_tabs = 1;
    }
}

/* se, made last among its parent's kids, moved before its sibling
 * element `before` (a pack's own pages are placed after its reports, and
 * their elements read before them). */
unsigned qhpdf_struct_num(qhpdf *h, int se) {
    const qhpdf_se *e = se_at(h, se);
    return e ? e->num : 0;
}

void qhpdf_struct_before(qhpdf *h, int se, unsigned before) {
    const qhpdf_se *e = se_at(h, se);
    if (!e || e->parent < 0 || !before) return;
    qhpdf_se *p = qh_se_rec(h, e->parent);
    int k = p->last_kid;
    if (k < 0 || (h->kids[k].v & 3) != KID_SE || (unsigned)(h->kids[k].v >> 2) != e->num) return;
    int prev = -1, at = p->first_kid;
    while (at >= 0 &&
           !((h->kids[at].v & 3) == KID_SE && (unsigned)(h->kids[at].v >> 2) == before)) {
        prev = at;
        at = h->kids[at].next;
    }
    if (at < 0 || at == k) return;
    int last_prev = at; /* the kid before k, to be the last */
    while (h->kids[last_prev].next != k) last_prev = h->kids[last_prev].next;
    h->kids[last_prev].next = -1;
    p->last_kid = last_prev;
    h->kids[k].next = at;
    if (prev < 0) p->first_kid = k;
    else h->kids[prev].next = k;
}

static HPDF_Dict pt_leaf(qhpdf *h, int from, int to) {
    HPDF_Dict leaf = HPDF_Dict_New(h->pdf->mmgr);
    if (!leaf || HPDF_Xref_Add(h->pdf->xref, leaf) != HPDF_OK) return NULL;
    qhpdf_ptleaf *l = &h->leaves[h->nleaves++];
    l->h = h;
    l->from = from;
    l->to = to;
    l->num = leaf->header.obj_id & 0x00FFFFFFu;
    leaf->attr = l;
    leaf->write_fn = leaf_write;
    return leaf;
}

void qhpdf_struct_finish(qhpdf *h) {
    if (h->err || !h->tagged) return;
    HPDF_MMgr mm = h->pdf->mmgr;
    h->leaves = qh_xrealloc(NULL, ((size_t)h->npt / QH_PT_LEAF + 1) * sizeof *h->leaves);
    HPDF_Dict tree;
    if (h->npt_early) {
        /* the leaves left after those written early (one at least: a
         * leaf is written once an entry follows it) */
        tree = HPDF_Dict_New(mm);
        if (!tree || HPDF_Xref_Add(h->pdf->xref, tree) != HPDF_OK) return;
        tree->attr = h;
        tree->write_fn = pt_root_write;
        for (int i = h->pt_written; i < h->npt && !h->err; i += QH_PT_LEAF)
            if (!pt_leaf(h, i, i + QH_PT_LEAF < h->npt ? i + QH_PT_LEAF : h->npt)) return;
    } else if (h->npt <= QH_PT_LEAF) {
        tree = pt_leaf(h, 0, h->npt);
        if (!tree) return;
    } else {
        tree = HPDF_Dict_New(mm);
        if (!tree || HPDF_Xref_Add(h->pdf->xref, tree) != HPDF_OK) return;
        HPDF_Array kids = HPDF_Array_New(mm);
        if (!kids) return;
        HPDF_Dict_Add(tree, "Kids", kids);
        for (int i = 0; i < h->npt && !h->err; i += QH_PT_LEAF) {
            HPDF_Dict leaf = pt_leaf(h, i, i + QH_PT_LEAF < h->npt ? i + QH_PT_LEAF : h->npt);
            if (!leaf) return;
            HPDF_Array_Add(kids, leaf);
        }
    }
    HPDF_Dict_Add(h->struct_root, "ParentTree", tree);
    HPDF_Dict_AddNumber(h->struct_root, "ParentTreeNextKey", h->next_key);
    HPDF_Dict cat = h->pdf->catalog;
    HPDF_Dict_Add(cat, "StructTreeRoot", h->struct_root);
    HPDF_Dict mark = HPDF_Dict_New(mm);
    if (!mark) return;
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(cat, "MarkInfo", mark);
}
