/* A display list as bytes, and back (a pack's per-report cache): every
 * field of the list, its images' pixels and its sources' bytes, so that a
 * list read back draws and tags exactly as the one written.
 *
 * The form: "QDLIST\r\n" (a text transfer damages it), the format version
 * (u32), the caller's 32-byte key, the payload's length (u64), the
 * payload, then the SHA-256 of everything before it.  Numbers are little-
 * endian; a string is a u32 length (0xFFFFFFFF: NULL) and its bytes.
 * Nothing read is trusted: the checksum, the key and the version must
 * match, every count must fit in the bytes left, every index must name
 * something that exists, every number must be finite; any fault gives
 * NULL and a reason, never a partial list. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlist.h"

#define MAGIC "QDLIST\r\n"
#define FORMAT 2
#define HEAD QDLIST_HEAD
_Static_assert(QDLIST_HEAD == 8 + 4 + 32 + 8, "magic, version, key, length");
#define NONE 0xFFFFFFFFu

/* ---- writing -------------------------------------------------------------- */

typedef struct wbuf {
    unsigned char *b;
    size_t n, cap;
} wbuf;

static void grow(wbuf *w, size_t n) {
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->n + n) cap *= 2;
    w->b = realloc(w->b, cap);
    if (!w->b) qfatal_oom();
    w->cap = cap;
}

/* Inline, with the room checked first: a report's display list is put a
 * field at a time, a few hundred thousand calls for the pack cache. */
static inline void put(wbuf *w, const void *p, size_t n) {
    if (w->cap - w->n < n) grow(w, n);
    if (n) memcpy(w->b + w->n, p, n);
    w->n += n;
}

static inline void put_u32(wbuf *w, uint32_t v) {
    if (w->cap - w->n < 4) grow(w, 4);
    unsigned char *b = w->b + w->n;
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
    w->n += 4;
}

static void put_u64(wbuf *w, uint64_t v) {
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_i32(wbuf *w, int v) { put_u32(w, (uint32_t)v); }

static void put_f32(wbuf *w, float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    put_u32(w, v);
}

static void put_blob(wbuf *w, const void *p, size_t n) {
    put_u32(w, p ? (uint32_t)n : NONE);
    if (p) put(w, p, n);
}

static void put_str(wbuf *w, const char *s) { put_blob(w, s, s ? strlen(s) : 0); }

static void put_image(wbuf *w, const qdl_image *im) {
    put_str(w, im->name);
    const qimage *q = im->img;
    put_u32(w, q ? (uint32_t)q->type : 0);
    if (!q) return;
    put_u32(w, q->w);
    put_u32(w, q->h);
    put_u32(w, q->comps);
    size_t px = (size_t)q->w * q->h;
    put_blob(w, q->pixels, px * q->comps);
    put_blob(w, q->alpha, px);
    put_blob(w, q->dct, q->dct_len);
}

static void put_item(wbuf *w, const qdl_item *it) {
    put_u32(w, (uint32_t)it->kind | (uint32_t)it->face << 8);
    put_i32(w, it->elem);
    put_f32(w, it->x);
    put_f32(w, it->y);
    put_f32(w, it->w);
    put_f32(w, it->h);
    put_f32(w, it->size);
    put_u32(w, it->color);
    put_u32(w, it->len);
    put_i32(w, it->dest);
    /* TEXT and MARK: len bytes; LINK and IMAGE: a NUL-terminated string */
    int counted = it->kind == QDL_TEXT || it->kind == QDL_MARK;
    put_blob(w, it->text, it->text ? counted ? it->len : strlen(it->text) : 0);
}

static void put_page(wbuf *w, const qdl_page *p) {
    put_f32(w, p->width);
    put_f32(w, p->height);
    put_str(w, p->foreign);
    put_u32(w, p->foreign_page);
    put_f32(w, p->fx);
    put_f32(w, p->fy);
    put_f32(w, p->fw);
    put_f32(w, p->fh);
    put_u32(w, (uint32_t)p->items.len);
    for (size_t i = 0; i < p->items.len; i++) put_item(w, &QVEC_AT(&p->items, qdl_item, i));
}

static void put_payload(wbuf *w, const qdlist *dl) {
    const char *meta[] = {dl->title, dl->author, dl->subject, dl->keywords, dl->lang,
                          dl->creation_date, dl->style_file, dl->style_logo};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) put_str(w, meta[i]);
    put_u32(w, qdlist_faces_used(dl));
    put_u32(w, (uint32_t)dl->elems.len);
    for (size_t i = 0; i < dl->elems.len; i++) {
        const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, i);
        put_u32(w, (uint32_t)e->role);
        put_i32(w, e->parent);
        put_str(w, e->alt);
        put_str(w, e->lang);
        put_str(w, e->actual);
        int v[] = {e->scope, e->section_head, e->colspan, e->rowspan, e->numbering};
        for (size_t k = 0; k < 5; k++) put_i32(w, v[k]);
    }
    put_u32(w, (uint32_t)dl->anchors.len);
    for (size_t i = 0; i < dl->anchors.len; i++) {
        const qdl_anchor *a = &QVEC_AT(&dl->anchors, qdl_anchor, i);
        put_i32(w, a->page);
        put_f32(w, a->y);
    }
    put_u32(w, (uint32_t)dl->outlines.len);
    for (size_t i = 0; i < dl->outlines.len; i++) {
        const qdl_outline *o = &QVEC_AT(&dl->outlines, qdl_outline, i);
        put_str(w, o->title);
        put_i32(w, o->level);
        put_i32(w, o->page);
        put_f32(w, o->y);
    }
    put_u32(w, (uint32_t)dl->images.len);
    for (size_t i = 0; i < dl->images.len; i++) put_image(w, &QVEC_AT(&dl->images, qdl_image, i));
    put_u32(w, (uint32_t)dl->sources.len);
    for (size_t i = 0; i < dl->sources.len; i++) {
        const qdl_source *s = &QVEC_AT(&dl->sources, qdl_source, i);
        put_str(w, s->name);
        put_u64(w, s->len);
        put(w, s->bytes, s->len);
    }
    put_u32(w, (uint32_t)dl->inputs.len);
    for (size_t i = 0; i < dl->inputs.len; i++) put_str(w, QVEC_AT(&dl->inputs, const char *, i));
    put_u32(w, (uint32_t)dl->pages.len);
    for (size_t i = 0; i < dl->pages.len; i++) put_page(w, &QVEC_AT(&dl->pages, qdl_page, i));
    /* the writer's units (a pack's; format 2): its bytes depend on them */
    put_u32(w, (uint32_t)dl->units.len);
    for (size_t i = 0; i < dl->units.len; i++) {
        put_u32(w, (uint32_t)QVEC_AT(&dl->units, qdl_unit, i).first);
        put_u32(w, (uint32_t)QVEC_AT(&dl->units, qdl_unit, i).late);
    }
}

static unsigned char *seal(wbuf *w, size_t *len);

unsigned qdlist_faces_used(const qdlist *dl) {
    unsigned mask = 0;
    for (int f = 0; f < QF__COUNT; f++) {
        const qfont *q = qfonts_peek(dl->fonts, (qfont_face)f);
        if (q && q->used) mask |= 1u << f;
    }
    return mask;
}

unsigned char *qdlist_serialize(const qdlist *dl, const unsigned char key[32],
                                const void *note, size_t note_len, size_t *len) {
    wbuf w = {0};
    put(&w, MAGIC, 8);
    put_u32(&w, FORMAT);
    put(&w, key, 32);
    put_u64(&w, 0); /* the payload's length, once known */
    put_blob(&w, note ? note : "", note_len);
    put_payload(&w, dl);
    return seal(&w, len);
}

unsigned char *qdlist_seal(const unsigned char *payload, size_t n,
                           const unsigned char key[32], size_t *len) {
    wbuf w = {0};
    put(&w, MAGIC, 8);
    put_u32(&w, FORMAT);
    put(&w, key, 32);
    put_u64(&w, 0);
    put(&w, payload, n);
    return seal(&w, len);
}

/* w (header and payload) with the payload's length and the checksum */
static unsigned char *seal(wbuf *w, size_t *len) {
    uint64_t n = w->n - HEAD;
    for (int i = 0; i < 8; i++) w->b[HEAD - 8 + i] = (unsigned char)(n >> (8 * i));
    unsigned char sum[32];
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, w->b, w->n);
    qsha256_final(&c, sum);
    put(w, sum, 32);
    *len = w->n;
    return w->b;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct rbuf {
    const unsigned char *b;
    size_t n, at;
    const char *why;       /* the first fault; later reads give zeros */
} rbuf;

static int fault(rbuf *r, const char *why) {
    if (!r->why) r->why = why;
    r->at = r->n;
    return -1;
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

static int get_i32(rbuf *r) { return (int)get_u32(r); }

static float get_f32(rbuf *r) {
    uint32_t v = get_u32(r);
    float f;
    memcpy(&f, &v, 4);
    if (!isfinite(f)) fault(r, "a number that is not finite");
    return f;
}

/* A count of records at least `least` bytes each: no more than the bytes
 * left could hold, so a forged count allocates nothing. */
static size_t get_count(rbuf *r, size_t least) {
    uint32_t n = get_u32(r);
    if (!r->why && n > (r->n - r->at) / least) fault(r, "a count larger than the data");
    return r->why ? 0 : n;
}

/* A blob copied into the arena, NUL-terminated; NULL for none.  *len its
 * bytes. */
static const char *get_blob(rbuf *r, qarena *a, size_t *len) {
    uint32_t n = get_u32(r);
    *len = 0;
    if (n == NONE || r->why) return NULL;
    const unsigned char *p = take(r, n);
    if (!p) return NULL;
    *len = n;
    return qarena_strndup(a, (const char *)p, n);
}

/* a string: no NUL inside (it is read back as a C string) */
static const char *get_str(rbuf *r, qarena *a) {
    size_t n;
    const char *s = get_blob(r, a, &n);
    if (s && strlen(s) != n) fault(r, "a string holding a NUL");
    return s;
}

static void get_image(rbuf *r, qdlist *dl, size_t max_pixels) {
    qdl_image *im = qvec_push(dl->arena, &dl->images);
    im->name = get_str(r, dl->arena);
    if (!im->name) fault(r, "an image without a name");
    uint32_t type = get_u32(r);
    if (r->why || type == 0) return;
    uint32_t w = get_u32(r), h = get_u32(r), comps = get_u32(r);
    if (r->why) return;
    if (type > QIMG_JPEG || w == 0 || h == 0 || (comps != 1 && comps != 3) ||
        (uint64_t)w * h > max_pixels) {
        fault(r, "an image of no known kind or size");
        return;
    }
    size_t px = (size_t)w * h;
    const unsigned char *part[3] = {0};
    size_t want[3] = {px * comps, px, 0}, got[3] = {0};
    for (int k = 0; k < 3 && !r->why; k++) {
        uint32_t n = get_u32(r);
        if (n == NONE) continue;
        if (k < 2 && n != want[k]) fault(r, "image data of the wrong size");
        part[k] = take(r, n);
        got[k] = n;
    }
    /* pixels or a JPEG's own bytes, as qimg_adopt takes them */
    if (r->why || (!part[0]) == (!part[2]) || (part[2] && !got[2])) {
        fault(r, "an image without its pixels");
        return;
    }
    unsigned char *copy[3] = {0};
    for (int k = 0; k < 3; k++) {
        if (!part[k]) continue;
        copy[k] = malloc(got[k] ? got[k] : 1);
        if (!copy[k]) qfatal_oom();
        memcpy(copy[k], part[k], got[k]);
    }
    qimage *q = qimg_adopt(w, h, comps, copy[0], copy[1], copy[2], got[2]);
    if (!q) qfatal_oom();
    q->type = (qimg_type)type;
    im->img = q;
    qimage_unref_with(dl->arena, q);
}

static int elem_ok(const qdlist *dl, int e) {
    return e >= QDL_ART_REPEAT && e < (int)dl->elems.len;
}

static void get_item(rbuf *r, qdlist *dl, qdl_page *pg) {
    uint32_t kf = get_u32(r);
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, get_i32(r));
    unsigned kind = kf & 0xff, face = (kf >> 8) & 0xff;
    it->kind = (qdl_kind)kind;
    it->face = (unsigned char)face;
    it->x = get_f32(r);
    it->y = get_f32(r);
    it->w = get_f32(r);
    it->h = get_f32(r);
    it->size = get_f32(r);
    it->color = get_u32(r);
    it->len = get_u32(r);
    it->dest = get_i32(r);
    size_t n;
    it->text = get_blob(r, dl->arena, &n);
    if (r->why) return;
    int counted = kind == QDL_TEXT || kind == QDL_MARK;
    if (kind > QDL_MARK || kf >> 16 || (kind == QDL_TEXT && face >= QF__COUNT) ||
        (kind == QDL_MARK && face >= QDL__SHAPES) || !elem_ok(dl, it->elem) ||
        it->color > 0xffffff)
        fault(r, "an item of no known kind, face or element");
    else if ((counted && (!it->text || it->len != n)) ||
             (!counted && it->text && strlen(it->text) != n))
        fault(r, "an item whose text is not its length");
    else if (kind == QDL_LINK ? it->dest < -1 || it->dest >= (int)dl->anchors.len ||
                                    (it->dest < 0 && !it->text)
             : kind == QDL_IMAGE ? it->dest < 0 || it->dest >= (int)dl->images.len
                                 : it->dest != -1)
        fault(r, "an item pointing at nothing");
}

static void get_page(rbuf *r, qdlist *dl) {
    float w = get_f32(r), h = get_f32(r);
    qdl_page *pg = qdlist_add_page(dl, w, h);
    pg->foreign = get_str(r, dl->arena);
    pg->foreign_page = get_u32(r);
    pg->fx = get_f32(r);
    pg->fy = get_f32(r);
    pg->fw = get_f32(r);
    pg->fh = get_f32(r);
    if (!r->why && (w <= 0 || h <= 0 || (pg->foreign && !qdlist_source(dl, pg->foreign))))
        fault(r, "a page of no size, or drawing a source it lacks");
    size_t n = get_count(r, 44);
    for (size_t i = 0; i < n && !r->why; i++) get_item(r, dl, pg);
}

static void get_elems(rbuf *r, qdlist *dl) {
    size_t n = get_count(r, 44);
    /* elems[0], the Document, is made by qdlist_new */
    if (!r->why && n < 1) fault(r, "no Document element");
    for (size_t i = 0; i < n && !r->why; i++) {
        uint32_t role = get_u32(r);
        int parent = get_i32(r);
        int k = i ? qdlist_add_elem(dl, QR_DOCUMENT, -1) : 0;
        qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, k);
        e->role = (qrole)role;
        e->parent = parent;
        e->alt = get_str(r, dl->arena);
        e->lang = get_str(r, dl->arena);
        e->actual = get_str(r, dl->arena);
        e->scope = get_i32(r);
        e->section_head = get_i32(r);
        e->colspan = get_i32(r);
        e->rowspan = get_i32(r);
        e->numbering = get_i32(r);
        /* a parent comes before its children: the tree has no cycle */
        if (!r->why && (role >= QR__COUNT || (i == 0) != (parent == -1) ||
                        parent >= (int)i || parent < -1 || e->numbering < 0 ||
                        e->numbering > QDL_NUM_NONE || e->scope < 0 || e->scope > 2 ||
                        e->colspan < 0 || e->rowspan < 0))
            fault(r, "a structure element of no known role or parent");
    }
}

static void get_payload(rbuf *r, qdlist *dl, size_t max_pixels) {
    const char **meta[] = {&dl->title, &dl->author, &dl->subject, &dl->keywords, &dl->lang,
                           &dl->creation_date, &dl->style_file, &dl->style_logo};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) *meta[i] = get_str(r, dl->arena);
    uint32_t used = get_u32(r);
    if (used >> QF__COUNT) fault(r, "a face of no known kind");
    for (int f = 0; f < QF__COUNT && !r->why; f++) {
        if (!(used >> f & 1)) continue;
        qfont *q = qfonts_face(dl->fonts, (qfont_face)f, NULL);
        if (!q) fault(r, "a face the fonts lack");
        else q->used = 1;
    }
    get_elems(r, dl);
    size_t n = get_count(r, 8);
    for (size_t i = 0; i < n && !r->why; i++) {
        int k = qdlist_add_anchor(dl); /* before data is read: it may move */
        qdl_anchor *a = &QVEC_AT(&dl->anchors, qdl_anchor, k);
        a->page = get_i32(r);
        a->y = get_f32(r);
    }
    n = get_count(r, 16);
    for (size_t i = 0; i < n && !r->why; i++) {
        const char *t = get_str(r, dl->arena);
        int level = get_i32(r), page = get_i32(r);
        qdlist_add_outline(dl, t, level, page, get_f32(r));
        if (!r->why && (!t || level < 1)) fault(r, "an outline without a title or level");
    }
    n = get_count(r, 8);
    for (size_t i = 0; i < n && !r->why; i++) get_image(r, dl, max_pixels);
    n = get_count(r, 12);
    for (size_t i = 0; i < n && !r->why; i++) {
        const char *name = get_str(r, dl->arena);
        uint64_t len = get_u64(r);
        const unsigned char *b = len <= r->n - r->at ? take(r, (size_t)len) : NULL;
        if (!name || !b) fault(r, "a source cut short");
        else qdlist_add_source(dl, name, b, (size_t)len);
    }
    n = get_count(r, 4);
    for (size_t i = 0; i < n && !r->why; i++) {
        const char *s = get_str(r, dl->arena);
        if (!s) fault(r, "an input without a name");
        qdlist_add_input(dl, s);
    }
    n = get_count(r, 36);
    for (size_t i = 0; i < n && !r->why; i++) get_page(r, dl);
    n = get_count(r, 8);
    for (size_t i = 0; i < n && !r->why; i++) {
        int first = get_i32(r), late = get_i32(r);
        int prev = i ? QVEC_AT(&dl->units, qdl_unit, i - 1).first : -1;
        /* from page 0, in order, each on a page that is there */
        if ((i == 0 && first != 0) || first <= prev || first >= (int)dl->pages.len ||
            (late != 0 && late != 1))
            fault(r, "a unit of pages out of order");
        else qdlist_add_unit(dl, first, late);
    }
    if (r->why) return;
    /* what points at pages, now that they are all there */
    for (size_t i = 0; i < dl->anchors.len; i++) {
        int p = QVEC_AT(&dl->anchors, qdl_anchor, i).page;
        if (p < -1 || p >= (int)dl->pages.len) fault(r, "an anchor on a page that is not there");
    }
    for (size_t i = 0; i < dl->outlines.len; i++) {
        int p = QVEC_AT(&dl->outlines, qdl_outline, i).page;
        if (p < 0 || p >= (int)dl->pages.len) fault(r, "an outline to a page that is not there");
    }
    if (r->at != r->n) fault(r, "bytes after the end");
}

qdlist *qdlist_deserialize(const unsigned char *b, size_t n, const unsigned char key[32],
                           qfonts *fonts, size_t max_pixels, const char **note,
                           size_t *note_len, const char **why) {
    *why = NULL;
    if (note) *note = NULL;
    if (note_len) *note_len = 0;
    if (n < HEAD + 32 || memcmp(b, MAGIC, 8) != 0) *why = "not a serialized display list";
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
    if (*why) {
        qfonts_free(fonts);
        return NULL;
    }
    /* small blocks, as a report laid out for a pack gets */
    qdlist *dl = qdlist_new_chunked(fonts, 1 << 16);
    r = (rbuf){b, n - 32, HEAD, NULL};
    size_t nl = 0;
    const char *nt = get_blob(&r, dl->arena, &nl);
    if (!nt && !r.why) fault(&r, "no note");
    if (note) *note = nt;
    if (note_len) *note_len = nl;
    get_payload(&r, dl, max_pixels ? max_pixels : QIMG_MAX_PIXELS);
    if (r.why) {
        *why = r.why;
        qdlist_free(dl);
        return NULL;
    }
    return dl;
}
