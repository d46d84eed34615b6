/* A display list as bytes, and back (a pack's per-report cache): every
 * field of the list, its images' pixels and its sources' bytes, so that a
 * list read back draws and tags exactly as the one written.
 *
 * The form is the sealed one of the cache's files (util.h, "the sealed
 * form": magic, version, key, length, payload, SHA-256), with the magic
 * "QDLIST\r\n".  Nothing read is trusted: the checksum, the key and the
 * version must match, every count must fit in the bytes left, every index
 * must name something that exists, every number must be finite; any fault
 * gives NULL and a reason, never a partial list. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlist.h"

#define MAGIC "QDLIST\r\n"
#define FORMAT 2
/* A list's records: every field but its pages' items (issue 18: what a
 * pack takes of a report whose drawn pages it has) */
#define REC_MAGIC "QDLREC\r\n"
#define REC_FORMAT 1
_Static_assert(QDLIST_HEAD == QSEAL_HEAD, "magic, version, key, length");

/* ---- writing -------------------------------------------------------------- */

static void put_i32(qseal_w *w, int v) { qseal_u32(w, (uint32_t)v); }

static void put_image(qseal_w *w, const qdl_image *im) {
    qseal_str(w, im->name);
    const qimage *q = im->img;
    qseal_u32(w, q ? (uint32_t)q->type : 0);
    if (!q) return;
    qseal_u32(w, q->w);
    qseal_u32(w, q->h);
    qseal_u32(w, q->comps);
    size_t px = (size_t)q->w * q->h;
    qseal_blob(w, q->pixels, px * q->comps);
    qseal_blob(w, q->alpha, px);
    qseal_blob(w, q->dct, q->dct_len);
}

static void put_item(qseal_w *w, const qdl_item *it) {
    qseal_u32(w, (uint32_t)it->kind | (uint32_t)it->face << 8);
    put_i32(w, it->elem);
    qseal_f32(w, it->x);
    qseal_f32(w, it->y);
    qseal_f32(w, it->w);
    qseal_f32(w, it->h);
    qseal_f32(w, it->size);
    qseal_u32(w, it->color);
    qseal_u32(w, it->len);
    put_i32(w, it->dest);
    /* TEXT and MARK: len bytes; LINK and IMAGE: a NUL-terminated string */
    int counted = it->kind == QDL_TEXT || it->kind == QDL_MARK;
    qseal_blob(w, it->text, it->text ? counted ? it->len : strlen(it->text) : 0);
}

static void put_page(qseal_w *w, const qdl_page *p, int items) {
    qseal_f32(w, p->width);
    qseal_f32(w, p->height);
    qseal_str(w, p->foreign);
    qseal_u32(w, p->foreign_page);
    qseal_f32(w, p->fx);
    qseal_f32(w, p->fy);
    qseal_f32(w, p->fw);
    qseal_f32(w, p->fh);
    qseal_u32(w, items ? (uint32_t)p->items.len : 0);
    for (size_t i = 0; items && i < p->items.len; i++)
        put_item(w, &QVEC_AT(&p->items, qdl_item, i));
}

/* What a list's form holds: the whole list, or its records (no items)
 * with its sources' bytes or without (their names only). */
enum { WHOLE, RECORDS, RECORDS_NAMES };

static void put_payload(qseal_w *w, const qdlist *dl, int form) {
    const char *meta[] = {dl->title, dl->author, dl->subject, dl->keywords, dl->lang,
                          dl->creation_date, dl->style_file, dl->style_logo};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) qseal_str(w, meta[i]);
    qseal_u32(w, qdlist_faces_used(dl));
    qseal_u32(w, (uint32_t)dl->elems.len);
    for (size_t i = 0; i < dl->elems.len; i++) {
        const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, i);
        qseal_u32(w, (uint32_t)e->role);
        put_i32(w, e->parent);
        qseal_str(w, e->alt);
        qseal_str(w, e->lang);
        qseal_str(w, e->actual);
        int v[] = {e->scope, e->section_head, e->colspan, e->rowspan, e->numbering};
        for (size_t k = 0; k < 5; k++) put_i32(w, v[k]);
    }
    qseal_u32(w, (uint32_t)dl->anchors.len);
    for (size_t i = 0; i < dl->anchors.len; i++) {
        const qdl_anchor *a = &QVEC_AT(&dl->anchors, qdl_anchor, i);
        put_i32(w, a->page);
        qseal_f32(w, a->y);
    }
    qseal_u32(w, (uint32_t)dl->outlines.len);
    for (size_t i = 0; i < dl->outlines.len; i++) {
        const qdl_outline *o = &QVEC_AT(&dl->outlines, qdl_outline, i);
        qseal_str(w, o->title);
        put_i32(w, o->level);
        put_i32(w, o->page);
        qseal_f32(w, o->y);
    }
    qseal_u32(w, (uint32_t)dl->images.len);
    for (size_t i = 0; i < dl->images.len; i++) put_image(w, &QVEC_AT(&dl->images, qdl_image, i));
    qseal_u32(w, (uint32_t)dl->sources.len);
    for (size_t i = 0; i < dl->sources.len; i++) {
        const qdl_source *s = &QVEC_AT(&dl->sources, qdl_source, i);
        qseal_str(w, s->name);
        if (form == RECORDS_NAMES) continue;
        qseal_u64(w, s->len);
        qseal_put(w, s->bytes, s->len);
    }
    qseal_u32(w, (uint32_t)dl->inputs.len);
    for (size_t i = 0; i < dl->inputs.len; i++) qseal_str(w, QVEC_AT(&dl->inputs, const char *, i));
    qseal_u32(w, (uint32_t)dl->pages.len);
    for (size_t i = 0; i < dl->pages.len; i++)
        put_page(w, &QVEC_AT(&dl->pages, qdl_page, i), form == WHOLE);
    /* the writer's units (a pack's; format 2): its bytes depend on them */
    qseal_u32(w, (uint32_t)dl->units.len);
    for (size_t i = 0; i < dl->units.len; i++) {
        qseal_u32(w, (uint32_t)QVEC_AT(&dl->units, qdl_unit, i).first);
        qseal_u32(w, (uint32_t)QVEC_AT(&dl->units, qdl_unit, i).late);
    }
}

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
    qseal_w w = {0};
    qseal_begin(&w, MAGIC, FORMAT, key);
    qseal_blob(&w, note ? note : "", note_len);
    put_payload(&w, dl, WHOLE);
    return qseal_end(&w, len);
}

unsigned char *qdlist_serialize_records(const qdlist *dl, const unsigned char key[32],
                                        const void *note, size_t note_len,
                                        const unsigned char whole[32], size_t *len) {
    /* a source's bytes are drawn only on a page of another PDF's; else a
     * PDF/A-3 attaches them, and that takes the whole list */
    int names = 1;
    for (size_t i = 0; i < dl->pages.len && names; i++)
        names = !QVEC_AT(&dl->pages, qdl_page, i).foreign;
    qseal_w w = {0};
    qseal_begin(&w, REC_MAGIC, REC_FORMAT, key);
    qseal_blob(&w, note ? note : "", note_len);
    qseal_put(&w, whole, 32);
    qseal_u32(&w, (uint32_t)!names);
    put_payload(&w, dl, names ? RECORDS_NAMES : RECORDS);
    return qseal_end(&w, len);
}

unsigned char *qdlist_seal_records(const unsigned char *payload, size_t n,
                                   const unsigned char key[32], size_t *len) {
    return qseal_whole(REC_MAGIC, REC_FORMAT, key, payload, n, len);
}

unsigned char *qdlist_seal(const unsigned char *payload, size_t n,
                           const unsigned char key[32], size_t *len) {
    return qseal_whole(MAGIC, FORMAT, key, payload, n, len);
}

/* ---- reading -------------------------------------------------------------- */

static int get_i32(qseal_r *r) { return (int)qseal_get_u32(r); }

/* A count of records at least `least` bytes each: no more than the bytes
 * left could hold, so a forged count allocates nothing. */
static size_t get_count(qseal_r *r, size_t least) {
    uint32_t n = qseal_get_u32(r);
    if (!r->why && n > (r->n - r->at) / least) qseal_fault(r, "a count larger than the data");
    return r->why ? 0 : n;
}

/* A blob copied into the arena, NUL-terminated; NULL for none.  *len its
 * bytes. */
static const char *get_blob(qseal_r *r, qarena *a, size_t *len) {
    uint32_t n = qseal_get_u32(r);
    *len = 0;
    if (n == QSEAL_NONE || r->why) return NULL;
    const unsigned char *p = qseal_take(r, n);
    if (!p) return NULL;
    *len = n;
    return qarena_strndup(a, (const char *)p, n);
}

/* a string: no NUL inside (it is read back as a C string) */
static const char *get_str(qseal_r *r, qarena *a) {
    size_t n;
    const char *s = get_blob(r, a, &n);
    if (s && strlen(s) != n) qseal_fault(r, "a string holding a NUL");
    return s;
}

static void get_image(qseal_r *r, qdlist *dl, size_t max_pixels) {
    qdl_image *im = qvec_push(dl->arena, &dl->images);
    im->name = get_str(r, dl->arena);
    if (!im->name) qseal_fault(r, "an image without a name");
    uint32_t type = qseal_get_u32(r);
    if (r->why || type == 0) return;
    uint32_t w = qseal_get_u32(r), h = qseal_get_u32(r), comps = qseal_get_u32(r);
    if (r->why) return;
    if (type > QIMG_JPEG || w == 0 || h == 0 || (comps != 1 && comps != 3) ||
        (uint64_t)w * h > max_pixels) {
        qseal_fault(r, "an image of no known kind or size");
        return;
    }
    size_t px = (size_t)w * h;
    const unsigned char *part[3] = {0};
    size_t want[3] = {px * comps, px, 0}, got[3] = {0};
    for (int k = 0; k < 3 && !r->why; k++) {
        uint32_t n = qseal_get_u32(r);
        if (n == QSEAL_NONE) continue;
        if (k < 2 && n != want[k]) qseal_fault(r, "image data of the wrong size");
        part[k] = qseal_take(r, n);
        got[k] = n;
    }
    /* pixels or a JPEG's own bytes, as qimg_adopt takes them */
    if (r->why || (!part[0]) == (!part[2]) || (part[2] && !got[2])) {
        qseal_fault(r, "an image without its pixels");
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

static void get_item(qseal_r *r, qdlist *dl, qdl_page *pg) {
    uint32_t kf = qseal_get_u32(r);
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, get_i32(r));
    unsigned kind = kf & 0xff, face = (kf >> 8) & 0xff;
    it->kind = (qdl_kind)kind;
    it->face = (unsigned char)face;
    it->x = qseal_get_f32(r);
    it->y = qseal_get_f32(r);
    it->w = qseal_get_f32(r);
    it->h = qseal_get_f32(r);
    it->size = qseal_get_f32(r);
    it->color = qseal_get_u32(r);
    it->len = qseal_get_u32(r);
    it->dest = get_i32(r);
    size_t n;
    it->text = get_blob(r, dl->arena, &n);
    if (r->why) return;
    int counted = kind == QDL_TEXT || kind == QDL_MARK;
    if (kind > QDL_MARK || kf >> 16 || (kind == QDL_TEXT && face >= QF__COUNT) ||
        (kind == QDL_MARK && face >= QDL__SHAPES) || !elem_ok(dl, it->elem) ||
        it->color > 0xffffff)
        qseal_fault(r, "an item of no known kind, face or element");
    else if ((counted && (!it->text || it->len != n)) ||
             (!counted && it->text && strlen(it->text) != n))
        qseal_fault(r, "an item whose text is not its length");
    else if (kind == QDL_LINK ? it->dest < -1 || it->dest >= (int)dl->anchors.len ||
                                    (it->dest < 0 && !it->text)
             : kind == QDL_IMAGE ? it->dest < 0 || it->dest >= (int)dl->images.len
                                 : it->dest != -1)
        qseal_fault(r, "an item pointing at nothing");
}

static void get_page(qseal_r *r, qdlist *dl, int form) {
    float w = qseal_get_f32(r), h = qseal_get_f32(r);
    qdl_page *pg = qdlist_add_page(dl, w, h);
    pg->foreign = get_str(r, dl->arena);
    pg->foreign_page = qseal_get_u32(r);
    pg->fx = qseal_get_f32(r);
    pg->fy = qseal_get_f32(r);
    pg->fw = qseal_get_f32(r);
    pg->fh = qseal_get_f32(r);
    if (!r->why && (w <= 0 || h <= 0 || (pg->foreign && !qdlist_source(dl, pg->foreign))))
        qseal_fault(r, "a page of no size, or drawing a source it lacks");
    size_t n = get_count(r, 44);
    if (!r->why && n && form != WHOLE) qseal_fault(r, "items in a list's records");
    if (!r->why && pg->foreign && form == RECORDS_NAMES)
        qseal_fault(r, "a page drawing a source whose bytes were left out");
    for (size_t i = 0; i < n && !r->why; i++) get_item(r, dl, pg);
}

static void get_elems(qseal_r *r, qdlist *dl) {
    /* 40 bytes an element at least (role, parent, three strings, five
     * numbers): 44, an item's, refused a list's records, whose elements
     * are most of what is left */
    size_t n = get_count(r, 40);
    /* elems[0], the Document, is made by qdlist_new */
    if (!r->why && n < 1) qseal_fault(r, "no Document element");
    for (size_t i = 0; i < n && !r->why; i++) {
        uint32_t role = qseal_get_u32(r);
        int parent = get_i32(r);
        int k = i ? qdlist_add_elem(dl, QR_DOCUMENT, -1) : 0;
        qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, k);
        e->role = (unsigned char)role;
        e->parent = parent;
        e->alt = get_str(r, dl->arena);
        e->lang = get_str(r, dl->arena);
        e->actual = get_str(r, dl->arena);
        /* checked as read, before they are narrowed to the record's bytes */
        int scope = get_i32(r), head = get_i32(r);
        e->colspan = get_i32(r);
        e->rowspan = get_i32(r);
        int numbering = get_i32(r);
        /* a parent comes before its children: the tree has no cycle */
        if (!r->why && (role >= QR__COUNT || (i == 0) != (parent == -1) ||
                        parent >= (int)i || parent < -1 || numbering < 0 ||
                        numbering > QDL_NUM_NONE || scope < 0 || scope > 2 ||
                        head < 0 || head > 1 || e->colspan < 0 || e->rowspan < 0))
            qseal_fault(r, "a structure element of no known role or parent");
        e->scope = (unsigned char)scope;
        e->section_head = (unsigned char)head;
        e->numbering = (unsigned char)numbering;
    }
}

static void get_payload(qseal_r *r, qdlist *dl, size_t max_pixels, int form) {
    const char **meta[] = {&dl->title, &dl->author, &dl->subject, &dl->keywords, &dl->lang,
                           &dl->creation_date, &dl->style_file, &dl->style_logo};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) *meta[i] = get_str(r, dl->arena);
    uint32_t used = qseal_get_u32(r);
    if (used >> QF__COUNT) qseal_fault(r, "a face of no known kind");
    for (int f = 0; f < QF__COUNT && !r->why; f++) {
        if (!(used >> f & 1)) continue;
        qfont *q = qfonts_face(dl->fonts, (qfont_face)f, NULL);
        if (!q) qseal_fault(r, "a face the fonts lack");
        else q->used = 1;
    }
    get_elems(r, dl);
    size_t n = get_count(r, 8);
    for (size_t i = 0; i < n && !r->why; i++) {
        int k = qdlist_add_anchor(dl); /* before data is read: it may move */
        qdl_anchor *a = &QVEC_AT(&dl->anchors, qdl_anchor, k);
        a->page = get_i32(r);
        a->y = qseal_get_f32(r);
    }
    n = get_count(r, 16);
    for (size_t i = 0; i < n && !r->why; i++) {
        const char *t = get_str(r, dl->arena);
        int level = get_i32(r), page = get_i32(r);
        qdlist_add_outline(dl, t, level, page, qseal_get_f32(r));
        if (!r->why && (!t || level < 1)) qseal_fault(r, "an outline without a title or level");
    }
    n = get_count(r, 8);
    for (size_t i = 0; i < n && !r->why; i++) get_image(r, dl, max_pixels);
    n = get_count(r, form == RECORDS_NAMES ? 4 : 12);
    for (size_t i = 0; i < n && !r->why; i++) {
        const char *name = get_str(r, dl->arena);
        if (form == RECORDS_NAMES) { /* its name only: no page draws it */
            if (!name) qseal_fault(r, "a source without a name");
            else qdlist_add_source(dl, name, NULL, 0);
            continue;
        }
        uint64_t len = qseal_get_u64(r);
        const unsigned char *b = len <= r->n - r->at ? qseal_take(r, (size_t)len) : NULL;
        if (!name || !b) qseal_fault(r, "a source cut short");
        else qdlist_add_source(dl, name, b, (size_t)len);
    }
    n = get_count(r, 4);
    for (size_t i = 0; i < n && !r->why; i++) {
        const char *s = get_str(r, dl->arena);
        if (!s) qseal_fault(r, "an input without a name");
        qdlist_add_input(dl, s);
    }
    n = get_count(r, 36);
    for (size_t i = 0; i < n && !r->why; i++) get_page(r, dl, form);
    n = get_count(r, 8);
    for (size_t i = 0; i < n && !r->why; i++) {
        int first = get_i32(r), late = get_i32(r);
        int prev = i ? QVEC_AT(&dl->units, qdl_unit, i - 1).first : -1;
        /* from page 0, in order, each on a page that is there */
        if ((i == 0 && first != 0) || first <= prev || first >= (int)dl->pages.len ||
            (late != 0 && late != 1))
            qseal_fault(r, "a unit of pages out of order");
        else qdlist_add_unit(dl, first, late);
    }
    if (r->why) return;
    /* what points at pages, now that they are all there */
    for (size_t i = 0; i < dl->anchors.len; i++) {
        int p = QVEC_AT(&dl->anchors, qdl_anchor, i).page;
        if (p < -1 || p >= (int)dl->pages.len) qseal_fault(r, "an anchor on a page that is not there");
    }
    for (size_t i = 0; i < dl->outlines.len; i++) {
        int p = QVEC_AT(&dl->outlines, qdl_outline, i).page;
        if (p < 0 || p >= (int)dl->pages.len) qseal_fault(r, "an outline to a page that is not there");
    }
    if (r->at != r->n) qseal_fault(r, "bytes after the end");
}

/* The list in b[0..n) sealed as magic/format, its note, and then for
 * records the whole list's checksum and whether its sources' bytes are
 * there. */
static qdlist *read_list(const unsigned char *b, size_t n, const char *magic, uint32_t format,
                         const unsigned char key[32], qfonts *fonts, size_t max_pixels,
                         const char **note, size_t *note_len, unsigned char whole[32],
                         int *sources, const char **why) {
    if (note) *note = NULL;
    if (note_len) *note_len = 0;
    qseal_r r;
    *why = qseal_open(&r, b, n, magic, format, key, "not a serialized display list");
    if (*why) {
        qfonts_free(fonts);
        return NULL;
    }
    /* small blocks, as a report laid out for a pack gets */
    qdlist *dl = qdlist_new_chunked(fonts, 1 << 16);
    size_t nl = 0;
    const char *nt = get_blob(&r, dl->arena, &nl);
    if (!nt && !r.why) qseal_fault(&r, "no note");
    if (note) *note = nt;
    if (note_len) *note_len = nl;
    int form = WHOLE;
    if (whole) {
        const unsigned char *w = qseal_take(&r, 32);
        if (w) memcpy(whole, w, 32);
        uint32_t s = qseal_get_u32(&r);
        if (!r.why && s > 1) qseal_fault(&r, "sources neither kept nor left out");
        *sources = s == 1;
        form = s == 1 ? RECORDS : RECORDS_NAMES;
    }
    get_payload(&r, dl, max_pixels ? max_pixels : QIMG_MAX_PIXELS, form);
    if (r.why) {
        *why = r.why;
        qdlist_free(dl);
        return NULL;
    }
    return dl;
}

qdlist *qdlist_deserialize(const unsigned char *b, size_t n, const unsigned char key[32],
                           qfonts *fonts, size_t max_pixels, const char **note,
                           size_t *note_len, const char **why) {
    return read_list(b, n, MAGIC, FORMAT, key, fonts, max_pixels, note, note_len, NULL, NULL,
                     why);
}

qdlist *qdlist_deserialize_records(const unsigned char *b, size_t n,
                                   const unsigned char key[32], qfonts *fonts,
                                   size_t max_pixels, const char **note, size_t *note_len,
                                   unsigned char whole[32], int *sources, const char **why) {
    return read_list(b, n, REC_MAGIC, REC_FORMAT, key, fonts, max_pixels, note, note_len,
                     whole, sources, why);
}
