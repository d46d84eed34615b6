/* A report's drawn pages as bytes, and back (issue 18: a pack's cache
 * keeps them beside the report's layout, so a rebuild places them
 * instead of drawing and deflating them again).  What the writer takes of
 * a qpdf_report (pdf.c, take_report and place_page): each page's deflated
 * content, its events (an image named by the report's display-list index,
 * not a pointer), its links, the codes drawn with each font key, the
 * Figures' boxes and the drawing's warnings.
 *
 * The form is the sealed one of the cache's files (util.h, "the sealed
 * form"), with the magic "QDRAWN\r\n".  The payload starts with what
 * the pages depend on besides the report: its start page and the
 * output's tagging and PDF/A part; the reader gives them back and the
 * caller compares them with the build's.
 * Nothing read is trusted: the checksum, key and version must match and
 * every count, index, resource number, MCID, link target and box is
 * checked against the report's display list; any fault gives NULL and a
 * reason, never a partial report.  The content itself is opaque here (it
 * is what the writer embeds); the checksum and the key, which covers
 * quorum's build, are what vouch for it. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "dlist.h"
#include "pdf.h"

#define MAGIC "QDRAWN\r\n"
#define FORMAT 1

/* ---- writing -------------------------------------------------------------- */

/* The index of the image an event draws among images[0..n), or -1. */
static int image_index(const qcv_event *ev, const qdl_image *images, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (images[k].img == ev->img && images[k].name && ev->name &&
            strcmp(images[k].name, ev->name) == 0)
            return (int)k;
    return -1;
}

unsigned char *qpdf_report_serialize(const qpdf_report *r, const qdl_image *images,
                                     size_t nimages, const unsigned char key[32], size_t *len) {
    *len = 0;
    if (!r || r->failed || r->page0 < 0 || r->npages < 0) return NULL;
    for (int p = 0; p < r->npages; p++)
        if (!r->pages[p].deflated) return NULL; /* qpdf_report_zip first */
    qseal_w w = {0};
    qseal_begin(&w, MAGIC, FORMAT, key);
    qseal_u32(&w, (uint32_t)r->page0);
    qseal_u32(&w, (uint32_t)r->npages);
    qseal_u32(&w, (uint32_t)r->dr.tagged);
    qseal_u32(&w, (uint32_t)r->dr.archive);
    qseal_u64(&w, r->nelems);
    for (int k = 0; k < QF__COUNT; k++) {
        if (!r->dr.codes[k]) {
            qseal_u32(&w, QSEAL_NONE);
            continue;
        }
        qseal_u32(&w, (uint32_t)r->codes0[k]);
        qseal_u32(&w, (uint32_t)r->ncodes[k]);
        qseal_put(&w, r->dr.codes[k], r->ncodes[k]);
    }
    qseal_u32(&w, r->dr.box ? (uint32_t)r->box0 : QSEAL_NONE);
    if (r->dr.box) {
        qseal_u32(&w, (uint32_t)r->nbox);
        for (size_t i = 0; i < r->nbox; i++) {
            /* an element without a box (page -1) has no coordinates set:
             * zeros, so the bytes depend on the drawing alone */
            const struct fbox *b = &r->dr.box[i];
            int set = b->page >= 0;
            qseal_f32(&w, set ? b->x0 : 0);
            qseal_f32(&w, set ? b->y0 : 0);
            qseal_f32(&w, set ? b->x1 : 0);
            qseal_f32(&w, set ? b->y1 : 0);
            qseal_u32(&w, set ? (uint32_t)b->page : QSEAL_NONE);
        }
    }
    qseal_u32(&w, (uint32_t)r->dr.nwarn);
    for (int i = 0; i < r->dr.nwarn; i++) {
        qseal_u32(&w, (uint32_t)r->dr.warn[i].kind);
        qseal_str(&w, r->dr.warn[i].file);
    }
    for (int p = 0; p < r->npages; p++) {
        const qcv_page *pg = &r->pages[p];
        qseal_u64(&w, pg->n);
        qseal_put(&w, pg->data, pg->n);
        qseal_u32(&w, (uint32_t)pg->nev);
        for (int i = 0; i < pg->nev; i++) {
            const qcv_event *ev = &pg->ev[i];
            int a = ev->a;
            if (ev->kind == QCV_IMAGE && (a = image_index(ev, images, nimages)) < 0) {
                free(w.b); /* an image the report's list does not hold */
                return NULL;
            }
            qseal_u32(&w, (uint32_t)ev->kind);
            qseal_u32(&w, (uint32_t)a);
            qseal_u32(&w, (uint32_t)ev->b);
        }
        qseal_u32(&w, (uint32_t)pg->nlinks);
        for (int i = 0; i < pg->nlinks; i++) {
            const qcv_link *l = &pg->links[i];
            float f[] = {l->x0, l->y0, l->x1, l->y1, l->top};
            for (size_t k = 0; k < 5; k++) qseal_f32(&w, f[k]);
            qseal_u32(&w, (uint32_t)l->dest);
            qseal_u32(&w, (uint32_t)l->elem);
            qseal_str(&w, l->uri);
            qseal_str(&w, l->contents);
        }
    }
    return qseal_end(&w, len);
}

unsigned char *qpdf_report_seal(const unsigned char *payload, size_t n,
                                const unsigned char key[32], size_t *len) {
    return qseal_whole(MAGIC, FORMAT, key, payload, n, len);
}

/* ---- reading -------------------------------------------------------------- */

/* A position on a page (PDF space): finite and within any page a PDF can
 * have (14,400 pt) by far, as a drawing's are; what lies beyond is
 * refused, not handed on (the writer prints boxes with "%.3f"). */
#define MAX_COORD 1e6f
static float get_coord(qseal_r *r) {
    float f = qseal_get_f32(r);
    if (!r->why && (f > MAX_COORD || f < -MAX_COORD)) qseal_fault(r, "a position off any page");
    return f;
}

/* A count of records at least `least` bytes each, no more than the bytes
 * left could hold (a forged count allocates nothing), nor than max. */
static size_t get_count(qseal_r *r, size_t least, size_t max) {
    uint32_t n = qseal_get_u32(r);
    if (!r->why && (n > (r->n - r->at) / least || n > max)) qseal_fault(r, "a count out of range");
    return r->why ? 0 : n;
}

/* A malloc'd string, or NULL for none (or a fault); no NUL inside. */
static char *get_str(qseal_r *r) {
    uint32_t n = qseal_get_u32(r);
    if (n == QSEAL_NONE || r->why) return NULL;
    const unsigned char *p = qseal_take(r, n);
    if (!p) return NULL;
    if (memchr(p, 0, n)) {
        qseal_fault(r, "a string holding a NUL");
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) qfatal_oom();
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static void get_codes(qseal_r *r, qpdf_report *q) {
    for (int k = 0; k < QF__COUNT && !r->why; k++) {
        uint32_t lo = qseal_get_u32(r);
        if (lo == QSEAL_NONE || r->why) continue;
        uint32_t n = qseal_get_u32(r);
        const unsigned char *p = n <= QHPDF_CODE_BITS ? qseal_take(r, n) : NULL;
        if (!p || lo > QHPDF_CODE_BITS - n) {
            qseal_fault(r, "codes out of range");
            return;
        }
        q->dr.codes[k] = qpdf_xmalloc(n ? n : 1);
        memcpy(q->dr.codes[k], p, n);
        q->codes0[k] = lo;
        q->ncodes[k] = n;
    }
}

static void get_boxes(qseal_r *r, qpdf_report *q) {
    uint32_t lo = qseal_get_u32(r);
    if (r->why) return;
    if ((lo != QSEAL_NONE) != (q->dr.tagged != 0)) {
        qseal_fault(r, "Figure boxes of an untagged drawing, or none of a tagged one");
        return;
    }
    if (lo == QSEAL_NONE) return;
    size_t n = get_count(r, 20, q->nelems);
    if (r->why || lo > q->nelems - n) {
        qseal_fault(r, "Figure boxes of elements the report lacks");
        return;
    }
    q->dr.box = qpdf_xmalloc((n ? n : 1) * sizeof *q->dr.box);
    q->box0 = lo;
    q->nbox = n;
    for (size_t i = 0; i < n && !r->why; i++) {
        struct fbox *b = &q->dr.box[i];
        b->x0 = get_coord(r);
        b->y0 = get_coord(r);
        b->x1 = get_coord(r);
        b->y1 = get_coord(r);
        b->page = (int)qseal_get_u32(r);
        b->elem = (int)(lo + i);
        if (!r->why && b->page != -1 &&
            (b->page < q->page0 || b->page - q->page0 >= q->npages))
            qseal_fault(r, "a Figure box on a page that is not the report's");
    }
}

static void get_warnings(qseal_r *r, qpdf_report *q) {
    size_t n = get_count(r, 8, 1024);
    if (r->why) return;
    q->dr.warn = qpdf_xmalloc((n ? n : 1) * sizeof *q->dr.warn);
    q->dr.cap_warn = (int)(n ? n : 1);
    for (size_t i = 0; i < n && !r->why; i++) {
        uint32_t kind = qseal_get_u32(r);
        char *file = get_str(r);
        q->dr.warn[q->dr.nwarn].kind = (int)kind;
        q->dr.warn[q->dr.nwarn++].file = file;
        int named = kind == QPDF_W_ALPHA || kind == QPDF_W_IMAGE;
        if (!r->why && (kind > QPDF_W_IMAGE || named != (file != NULL)))
            qseal_fault(r, "a warning of no known kind");
    }
}

static void get_page(qseal_r *r, qpdf_report *q, qcv_page *pg, const qdlist *dl) {
    uint64_t n = qseal_get_u64(r);
    const unsigned char *p = !r->why && n <= r->n - r->at ? qseal_take(r, (size_t)n) : NULL;
    if (!p) {
        qseal_fault(r, "page content cut short");
        return;
    }
    pg->data = qpdf_xmalloc(n ? (size_t)n : 1);
    memcpy(pg->data, p, (size_t)n);
    pg->n = (size_t)n;
    pg->deflated = 1;
    size_t nev = get_count(r, 12, (size_t)1 << 24);
    if (r->why) return;
    pg->ev = qpdf_xmalloc((nev ? nev : 1) * sizeof *pg->ev);
    /* as the canvas numbers them on a page: F1, F2... and X1, X2... in
     * order of first use, a font once, MCIDs from 0 */
    int nfont = 0, nimage = 0, nmark = 0;
    unsigned fonts_seen = 0;
    for (size_t i = 0; i < nev && !r->why; i++) {
        qcv_event *ev = &pg->ev[pg->nev++];
        memset(ev, 0, sizeof *ev);
        ev->kind = (int)qseal_get_u32(r);
        ev->a = (int)qseal_get_u32(r);
        ev->b = (int)qseal_get_u32(r);
        if (r->why) break;
        switch (ev->kind) {
        case QCV_FONT:
            if (ev->a < 0 || ev->a >= QF__COUNT || (fonts_seen >> ev->a & 1) ||
                ev->b != ++nfont || !q->dr.codes[ev->a])
                qseal_fault(r, "a font of no known key or resource");
            else fonts_seen |= 1u << ev->a;
            break;
        case QCV_IMAGE:
            if (ev->a < 0 || (size_t)ev->a >= dl->images.len || ev->b < 1 || ev->b > nimage + 1) {
                qseal_fault(r, "an image the report lacks");
            } else {
                const qdl_image *im = &QVEC_AT(&dl->images, qdl_image, ev->a);
                if (!im->img || !im->name) qseal_fault(r, "an image without pixels");
                ev->name = im->name;
                ev->img = im->img;
                ev->a = 0; /* as the canvas leaves it */
                if (ev->b == nimage + 1) nimage++;
            }
            break;
        case QCV_MARK:
            if (!q->dr.tagged || ev->a < 0 || (size_t)ev->a >= q->nelems || ev->b != nmark++)
                qseal_fault(r, "a mark of no element the report has");
            break;
        default:
            qseal_fault(r, "an event of no known kind");
        }
    }
    size_t nl = get_count(r, 36, (size_t)1 << 20);
    if (r->why) return;
    pg->links = qpdf_xmalloc((nl ? nl : 1) * sizeof *pg->links);
    pg->cap_links = (int)(nl ? nl : 1);
    for (size_t i = 0; i < nl && !r->why; i++) {
        qcv_link *l = &pg->links[pg->nlinks++];
        memset(l, 0, sizeof *l);
        l->x0 = get_coord(r);
        l->y0 = get_coord(r);
        l->x1 = get_coord(r);
        l->y1 = get_coord(r);
        l->top = get_coord(r);
        l->dest = (int)qseal_get_u32(r);
        l->elem = (int)qseal_get_u32(r);
        l->uri = get_str(r);
        l->contents = get_str(r);
        if (r->why) break;
        /* a destination is a page of the report's own (an anchor in it) */
        int ok = l->dest == -1 ? l->uri != NULL && (!l->contents || q->dr.tagged)
                               : l->dest >= q->page0 && l->dest - q->page0 < q->npages &&
                                     !l->uri && !l->contents;
        if (!ok || l->elem < -1 || (l->elem >= 0 && (size_t)l->elem >= q->nelems))
            qseal_fault(r, "a link to nothing, or of no element the report has");
    }
}

qpdf_report *qpdf_report_deserialize(const unsigned char *b, size_t n,
                                     const unsigned char key[32], const qdlist *dl,
                                     const char **why) {
    qseal_r r;
    *why = qseal_open(&r, b, n, MAGIC, FORMAT, key, "not a drawn report");
    if (*why) return NULL;
    qpdf_report *q = calloc(1, sizeof *q);
    if (!q) qfatal_oom();
    for (int i = 0; i < QF__COUNT; i++) q->dr.face_key[i] = -1;
    q->page0 = (int)qseal_get_u32(&r);
    uint32_t npages = qseal_get_u32(&r);
    uint32_t tagged = qseal_get_u32(&r), archive = qseal_get_u32(&r);
    uint64_t nelems = qseal_get_u64(&r);
    if (!r.why && (q->page0 < 0 || npages != dl->pages.len || tagged > 1 || archive > 3 ||
                   nelems != dl->elems.len))
        qseal_fault(&r, "drawn for another list, or options of no known kind");
    q->npages = r.why ? 0 : (int)npages;
    q->dr.tagged = (int)tagged;
    q->dr.archive = (int)archive;
    q->nelems = (size_t)nelems;
    q->pages = calloc(q->npages ? (size_t)q->npages : 1, sizeof *q->pages);
    if (!q->pages) qfatal_oom();
    get_codes(&r, q);
    get_boxes(&r, q);
    get_warnings(&r, q);
    for (int p = 0; p < q->npages && !r.why; p++) get_page(&r, q, &q->pages[p], dl);
    if (!r.why && r.at != r.n) qseal_fault(&r, "bytes after the end");
    if (r.why) {
        *why = r.why;
        qpdf_report_free(q);
        return NULL;
    }
    return q;
}

/* ---- a report's elements' object streams (HASH.qos) -------------------------
 * Sealed as the drawn pages are, with the magic "QOSTMS\r\n": the count,
 * then each stream's raw SHA-256, raw length, level and deflated bytes.
 * What vouches for the deflated bytes is the checksum and the key, as for
 * the drawn pages' content; what decides whether they are used is the
 * raw stream a rebuild makes, compared by its SHA-256 (hpdf_deflate.c). */
#define OSTM_MAGIC "QOSTMS\r\n"
#define OSTM_FORMAT 1

void qpdf_ostms_free(qpdf_ostms *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free(s->v[i].z);
    free(s->v);
    free(s);
}

static int ostm_cmp3(const unsigned char *sum, uint32_t level, uint32_t raw, const qpdf_ostm *o) {
    int c = memcmp(sum, o->sum, 32);
    if (c) return c;
    if (level != o->level) return level < o->level ? -1 : 1;
    return raw == o->raw ? 0 : raw < o->raw ? -1 : 1;
}

static int ostm_cmp(const void *a, const void *b) {
    const qpdf_ostm *x = a;
    return ostm_cmp3(x->sum, x->level, x->raw, b);
}

void qpdf_ostms_sort(qpdf_ostms *s) {
    if (s && s->n > 1) qsort(s->v, s->n, sizeof *s->v, ostm_cmp);
}

const qpdf_ostm *qpdf_ostms_find(const qpdf_ostms *s, const unsigned char sum[32],
                                 uint32_t level, uint32_t raw) {
    size_t lo = 0, hi = s ? s->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ostm_cmp3(sum, level, raw, &s->v[mid]);
        if (c == 0) return s->v[mid].z ? &s->v[mid] : NULL;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

unsigned char *qpdf_ostms_serialize(const qpdf_ostms *s, const unsigned char key[32],
                                    size_t *len) {
    *len = 0;
    if (!s || !s->closed || !s->made || s->drained != s->made || s->n != s->made) return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (!s->v[i].z || !s->v[i].zn) return NULL;
    qseal_w w = {0};
    qseal_begin(&w, OSTM_MAGIC, OSTM_FORMAT, key);
    qseal_u32(&w, (uint32_t)s->n);
    for (size_t i = 0; i < s->n; i++) {
        qseal_put(&w, s->v[i].sum, 32);
        qseal_u32(&w, s->v[i].raw);
        qseal_u32(&w, s->v[i].level);
        qseal_blob(&w, s->v[i].z, s->v[i].zn);
    }
    return qseal_end(&w, len);
}

qpdf_ostms *qpdf_ostms_deserialize(const unsigned char *b, size_t n,
                                   const unsigned char key[32], const char **why) {
    qseal_r r;
    *why = qseal_open(&r, b, n, OSTM_MAGIC, OSTM_FORMAT, key, "not a report's object streams");
    if (*why) return NULL;
    uint32_t count = qseal_get_u32(&r);
    /* each stream takes 44 bytes besides its deflated ones, at least one */
    if (!r.why && (count == 0 || count > (r.n - r.at) / 45))
        qseal_fault(&r, "a count the bytes cannot hold");
    qpdf_ostms *s = calloc(1, sizeof *s);
    if (!s) qfatal_oom();
    s->cap = r.why ? 1 : count;
    s->v = calloc(s->cap, sizeof *s->v);
    if (!s->v) qfatal_oom();
    for (uint32_t i = 0; i < count && !r.why; i++) {
        qpdf_ostm *o = &s->v[i];
        const unsigned char *sum = qseal_take(&r, 32);
        if (sum) memcpy(o->sum, sum, 32);
        o->raw = qseal_get_u32(&r);
        o->level = qseal_get_u32(&r);
        uint32_t zn = qseal_get_u32(&r);
        if (!r.why && (o->raw == 0 || o->level < 1 || o->level > 12 || zn == 0 ||
                       zn == QSEAL_NONE)) {
            qseal_fault(&r, "a stream of no length or of no level libdeflate has");
            break;
        }
        const unsigned char *z = qseal_take(&r, zn);
        if (!z) break;
        o->z = memcpy(malloc(zn), z, zn);
        if (!o->z) qfatal_oom();
        o->zn = zn;
        s->n = i + 1;
    }
    if (!r.why && r.at != r.n) qseal_fault(&r, "bytes after the end");
    if (r.why) {
        *why = r.why;
        qpdf_ostms_free(s);
        return NULL;
    }
    return s;
}

unsigned char *qpdf_ostms_seal(const unsigned char *payload, size_t n,
                               const unsigned char key[32], size_t *len) {
    return qseal_whole(OSTM_MAGIC, OSTM_FORMAT, key, payload, n, len);
}
