/* A report's drawn pages as bytes, and back (issue 18: a pack's cache
 * keeps them beside the report's layout, so a rebuild places them
 * instead of drawing and deflating them again).  What the writer takes of
 * a qpdf_report (pdf.c, take_report and place_page): each page's deflated
 * content, its events (an image named by the report's display-list index,
 * not a pointer), its links, the codes drawn with each font key, the
 * Figures' boxes and the drawing's warnings.
 *
 * The form is dlist_io.c's: "QDRAWN\r\n" (a text transfer damages it),
 * the format version (u32), the caller's 32-byte key, the payload's
 * length (u64), the payload, then the SHA-256 of everything before it;
 * little-endian numbers, a string a u32 length (0xFFFFFFFF: NULL) and its
 * bytes.  The payload starts with what the pages depend on besides the
 * report: its start page and the output's tagging and PDF/A part; the
 * reader gives them back and the caller compares them with the build's.
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
#define HEAD (8 + 4 + 32 + 8)
#define NONE 0xFFFFFFFFu

/* ---- writing -------------------------------------------------------------- */

typedef struct wbuf {
    unsigned char *b;
    size_t n, cap;
} wbuf;

static void put(wbuf *w, const void *p, size_t n) {
    if (w->cap - w->n < n) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap - w->n < n) cap *= 2;
        w->b = realloc(w->b, cap);
        if (!w->b) qfatal_oom();
        w->cap = cap;
    }
    if (n) memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void put_u32(wbuf *w, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(w, b, 4);
}

static void put_u64(wbuf *w, uint64_t v) {
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_f32(wbuf *w, float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    put_u32(w, v);
}

static void put_str(wbuf *w, const char *s) {
    put_u32(w, s ? (uint32_t)strlen(s) : NONE);
    if (s) put(w, s, strlen(s));
}

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
    wbuf w = {0};
    put(&w, MAGIC, 8);
    put_u32(&w, FORMAT);
    put(&w, key, 32);
    put_u64(&w, 0); /* the payload's length, once known */
    put_u32(&w, (uint32_t)r->page0);
    put_u32(&w, (uint32_t)r->npages);
    put_u32(&w, (uint32_t)r->dr.tagged);
    put_u32(&w, (uint32_t)r->dr.archive);
    put_u64(&w, r->nelems);
    for (int k = 0; k < QF__COUNT; k++) {
        if (!r->dr.codes[k]) {
            put_u32(&w, NONE);
            continue;
        }
        put_u32(&w, (uint32_t)r->codes0[k]);
        put_u32(&w, (uint32_t)r->ncodes[k]);
        put(&w, r->dr.codes[k], r->ncodes[k]);
    }
    put_u32(&w, r->dr.box ? (uint32_t)r->box0 : NONE);
    if (r->dr.box) {
        put_u32(&w, (uint32_t)r->nbox);
        for (size_t i = 0; i < r->nbox; i++) {
            /* an element without a box (page -1) has no coordinates set:
             * zeros, so the bytes depend on the drawing alone */
            const struct fbox *b = &r->dr.box[i];
            int set = b->page >= 0;
            put_f32(&w, set ? b->x0 : 0);
            put_f32(&w, set ? b->y0 : 0);
            put_f32(&w, set ? b->x1 : 0);
            put_f32(&w, set ? b->y1 : 0);
            put_u32(&w, set ? (uint32_t)b->page : NONE);
        }
    }
    put_u32(&w, (uint32_t)r->dr.nwarn);
    for (int i = 0; i < r->dr.nwarn; i++) {
        put_u32(&w, (uint32_t)r->dr.warn[i].kind);
        put_str(&w, r->dr.warn[i].file);
    }
    for (int p = 0; p < r->npages; p++) {
        const qcv_page *pg = &r->pages[p];
        put_u64(&w, pg->n);
        put(&w, pg->data, pg->n);
        put_u32(&w, (uint32_t)pg->nev);
        for (int i = 0; i < pg->nev; i++) {
            const qcv_event *ev = &pg->ev[i];
            int a = ev->a;
            if (ev->kind == QCV_IMAGE && (a = image_index(ev, images, nimages)) < 0) {
                free(w.b); /* an image the report's list does not hold */
                return NULL;
            }
            put_u32(&w, (uint32_t)ev->kind);
            put_u32(&w, (uint32_t)a);
            put_u32(&w, (uint32_t)ev->b);
        }
        put_u32(&w, (uint32_t)pg->nlinks);
        for (int i = 0; i < pg->nlinks; i++) {
            const qcv_link *l = &pg->links[i];
            float f[] = {l->x0, l->y0, l->x1, l->y1, l->top};
            for (size_t k = 0; k < 5; k++) put_f32(&w, f[k]);
            put_u32(&w, (uint32_t)l->dest);
            put_u32(&w, (uint32_t)l->elem);
            put_str(&w, l->uri);
            put_str(&w, l->contents);
        }
    }
    uint64_t n = w.n - HEAD;
    for (int i = 0; i < 8; i++) w.b[HEAD - 8 + i] = (unsigned char)(n >> (8 * i));
    unsigned char sum[32];
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, w.b, w.n);
    qsha256_final(&c, sum);
    put(&w, sum, 32);
    *len = w.n;
    return w.b;
}

unsigned char *qpdf_report_seal(const unsigned char *payload, size_t n,
                                const unsigned char key[32], size_t *len) {
    wbuf w = {0};
    put(&w, MAGIC, 8);
    put_u32(&w, FORMAT);
    put(&w, key, 32);
    put_u64(&w, n);
    put(&w, payload, n);
    unsigned char sum[32];
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, w.b, w.n);
    qsha256_final(&c, sum);
    put(&w, sum, 32);
    *len = w.n;
    return w.b;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct rbuf {
    const unsigned char *b;
    size_t n, at;
    const char *why; /* the first fault; later reads give zeros */
} rbuf;

static void fault(rbuf *r, const char *why) {
    if (!r->why) r->why = why;
    r->at = r->n;
}

static const unsigned char *take(rbuf *r, size_t n) {
    if (r->why || n > r->n - r->at) {
        fault(r, "cut short");
        return NULL;
    }
    const unsigned char *p = r->b + r->at;
    r->at += n;
    return p;
}

static uint32_t get_u32(rbuf *r) {
    const unsigned char *p = take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24
             : 0;
}

static uint64_t get_u64(rbuf *r) {
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static float get_f32(rbuf *r) {
    uint32_t v = get_u32(r);
    float f;
    memcpy(&f, &v, 4);
    if (!isfinite(f)) fault(r, "a number that is not finite");
    return f;
}

/* A position on a page (PDF space): finite and within any page a PDF can
 * have (14,400 pt) by far, as a drawing's are; what lies beyond is
 * refused, not handed on (the writer prints boxes with "%.3f"). */
#define MAX_COORD 1e6f
static float get_coord(rbuf *r) {
    float f = get_f32(r);
    if (!r->why && (f > MAX_COORD || f < -MAX_COORD)) fault(r, "a position off any page");
    return f;
}

/* A count of records at least `least` bytes each, no more than the bytes
 * left could hold (a forged count allocates nothing), nor than max. */
static size_t get_count(rbuf *r, size_t least, size_t max) {
    uint32_t n = get_u32(r);
    if (!r->why && (n > (r->n - r->at) / least || n > max)) fault(r, "a count out of range");
    return r->why ? 0 : n;
}

/* A malloc'd string, or NULL for none (or a fault); no NUL inside. */
static char *get_str(rbuf *r) {
    uint32_t n = get_u32(r);
    if (n == NONE || r->why) return NULL;
    const unsigned char *p = take(r, n);
    if (!p) return NULL;
    if (memchr(p, 0, n)) {
        fault(r, "a string holding a NUL");
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) qfatal_oom();
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static void get_codes(rbuf *r, qpdf_report *q) {
    for (int k = 0; k < QF__COUNT && !r->why; k++) {
        uint32_t lo = get_u32(r);
        if (lo == NONE || r->why) continue;
        uint32_t n = get_u32(r);
        const unsigned char *p = n <= QHPDF_CODE_BITS ? take(r, n) : NULL;
        if (!p || lo > QHPDF_CODE_BITS - n) {
            fault(r, "codes out of range");
            return;
        }
        q->dr.codes[k] = qpdf_xmalloc(n ? n : 1);
        memcpy(q->dr.codes[k], p, n);
        q->codes0[k] = lo;
        q->ncodes[k] = n;
    }
}

static void get_boxes(rbuf *r, qpdf_report *q) {
    uint32_t lo = get_u32(r);
    if (r->why) return;
    if ((lo != NONE) != (q->dr.tagged != 0)) {
        fault(r, "Figure boxes of an untagged drawing, or none of a tagged one");
        return;
    }
    if (lo == NONE) return;
    size_t n = get_count(r, 20, q->nelems);
    if (r->why || lo > q->nelems - n) {
        fault(r, "Figure boxes of elements the report lacks");
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
        b->page = (int)get_u32(r);
        if (!r->why && b->page != -1 &&
            (b->page < q->page0 || b->page - q->page0 >= q->npages))
            fault(r, "a Figure box on a page that is not the report's");
    }
}

static void get_warnings(rbuf *r, qpdf_report *q) {
    size_t n = get_count(r, 8, 1024);
    if (r->why) return;
    q->dr.warn = qpdf_xmalloc((n ? n : 1) * sizeof *q->dr.warn);
    q->dr.cap_warn = (int)(n ? n : 1);
    for (size_t i = 0; i < n && !r->why; i++) {
        uint32_t kind = get_u32(r);
        char *file = get_str(r);
        q->dr.warn[q->dr.nwarn].kind = (int)kind;
        q->dr.warn[q->dr.nwarn++].file = file;
        int named = kind == QPDF_W_ALPHA || kind == QPDF_W_IMAGE;
        if (!r->why && (kind > QPDF_W_IMAGE || named != (file != NULL)))
            fault(r, "a warning of no known kind");
    }
}

static void get_page(rbuf *r, qpdf_report *q, qcv_page *pg, const qdlist *dl) {
    uint64_t n = get_u64(r);
    const unsigned char *p = !r->why && n <= r->n - r->at ? take(r, (size_t)n) : NULL;
    if (!p) {
        fault(r, "page content cut short");
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
        ev->kind = (int)get_u32(r);
        ev->a = (int)get_u32(r);
        ev->b = (int)get_u32(r);
        if (r->why) break;
        switch (ev->kind) {
        case QCV_FONT:
            if (ev->a < 0 || ev->a >= QF__COUNT || (fonts_seen >> ev->a & 1) ||
                ev->b != ++nfont || !q->dr.codes[ev->a])
                fault(r, "a font of no known key or resource");
            else fonts_seen |= 1u << ev->a;
            break;
        case QCV_IMAGE:
            if (ev->a < 0 || (size_t)ev->a >= dl->images.len || ev->b < 1 || ev->b > nimage + 1) {
                fault(r, "an image the report lacks");
            } else {
                const qdl_image *im = &QVEC_AT(&dl->images, qdl_image, ev->a);
                if (!im->img || !im->name) fault(r, "an image without pixels");
                ev->name = im->name;
                ev->img = im->img;
                ev->a = 0; /* as the canvas leaves it */
                if (ev->b == nimage + 1) nimage++;
            }
            break;
        case QCV_MARK:
            if (!q->dr.tagged || ev->a < 0 || (size_t)ev->a >= q->nelems || ev->b != nmark++)
                fault(r, "a mark of no element the report has");
            break;
        default:
            fault(r, "an event of no known kind");
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
        l->dest = (int)get_u32(r);
        l->elem = (int)get_u32(r);
        l->uri = get_str(r);
        l->contents = get_str(r);
        if (r->why) break;
        /* a destination is a page of the report's own (an anchor in it) */
        int ok = l->dest == -1 ? l->uri != NULL && (!l->contents || q->dr.tagged)
                               : l->dest >= q->page0 && l->dest - q->page0 < q->npages &&
                                     !l->uri && !l->contents;
        if (!ok || l->elem < -1 || (l->elem >= 0 && (size_t)l->elem >= q->nelems))
            fault(r, "a link to nothing, or of no element the report has");
    }
}

qpdf_report *qpdf_report_deserialize(const unsigned char *b, size_t n,
                                     const unsigned char key[32], const qdlist *dl,
                                     const char **why) {
    *why = NULL;
    if (n < HEAD + 32 || memcmp(b, MAGIC, 8) != 0) *why = "not a drawn report";
    rbuf r = {b, n, 8, NULL};
    if (!*why && get_u32(&r) != FORMAT) *why = "another format version";
    if (!*why && memcmp(b + 12, key, 32) != 0) *why = "made for another key";
    r.at = HEAD - 8;
    if (!*why && get_u64(&r) != n - HEAD - 32) *why = "cut short or too long";
    if (!*why) {
        unsigned char sum[32];
        qsha256_ctx c;
        qsha256_init(&c);
        qsha256_update(&c, b, n - 32);
        qsha256_final(&c, sum);
        if (memcmp(sum, b + n - 32, 32) != 0) *why = "its checksum does not match";
    }
    if (*why) return NULL;
    r = (rbuf){b, n - 32, HEAD, NULL};
    qpdf_report *q = calloc(1, sizeof *q);
    if (!q) qfatal_oom();
    for (int i = 0; i < QF__COUNT; i++) q->dr.face_key[i] = -1;
    q->page0 = (int)get_u32(&r);
    uint32_t npages = get_u32(&r);
    uint32_t tagged = get_u32(&r), archive = get_u32(&r);
    uint64_t nelems = get_u64(&r);
    if (!r.why && (q->page0 < 0 || npages != dl->pages.len || tagged > 1 || archive > 3 ||
                   nelems != dl->elems.len))
        fault(&r, "drawn for another list, or options of no known kind");
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
    if (!r.why && r.at != r.n) fault(&r, "bytes after the end");
    if (r.why) {
        *why = r.why;
        qpdf_report_free(q);
        return NULL;
    }
    return q;
}
