/* The PDF device's drawing side: a display list's pages into finished
 * page records (pdf.h, qcv_page) through a canvas (pdf_canvas.c), with no
 * libharu document, so a page may be drawn on any thread (issue 18,
 * "Streaming a pack").  The writer (pdf.c) places each record into the
 * document in page order.  What a page's drawing decides here: the text
 * as libharu can show it (with the warnings), marks and artifacts, the
 * Figures' boxes, and its links with their targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "dlist.h"
#include "font.h"
#include "pdf.h"
#include "quorum.h"

static const qpos nopos = {0, 0, 0};

void pdfd_init(pdfd *dr, const qdlist *dl, quorum_diags *d, const char *path, int tagged,
               int archive, int page0) {
    memset(dr, 0, sizeof *dr);
    dr->dl = dl;
    dr->d = d;
    dr->path = path;
    dr->tagged = tagged;
    dr->archive = archive;
    dr->page0 = page0;
    for (int i = 0; i < QF__COUNT; i++) dr->face_key[i] = -1;
}

void pdfd_done(pdfd *dr) {
    qcv_free(dr->cv);
    for (int i = 0; i < QF__COUNT; i++) free(dr->codes[i]);
    free(dr->buf);
    free(dr->box);
    for (int i = 0; i < dr->nwarn; i++) free(dr->warn[i].file);
    free(dr->warn);
    dr->warn = NULL;
    dr->nwarn = dr->cap_warn = 0;
    dr->cv = NULL;
    dr->buf = NULL;
    dr->box = NULL;
    for (int i = 0; i < QF__COUNT; i++) dr->codes[i] = NULL;
}

/* The canvas's font for a face: the first face drawn from the same file
 * (the document embeds a file once, whichever faces name it), -1 when
 * the face cannot be loaded (said once). */
static int face_key(pdfd *dr, unsigned face) {
    if (face >= QF__COUNT) face = QF_REGULAR;
    if (dr->face_key[face] >= 0) return dr->face_key[face];
    if (dr->face_failed[face]) return -1;
    /* drawn apart (d NULL), a face that fails makes the writer draw the
     * pages itself, which says why */
    quorum_diags *scratch = dr->d ? NULL : quorum_diags_new();
    quorum_diags *d = dr->d ? dr->d : scratch;
    qfont *f = qfonts_face(dr->dl->fonts, (qfont_face)face, d);
    if (!f) {
        quorum_diags_free(scratch);
        dr->face_failed[face] = 1;
        return -1;
    }
    int key = (int)face;
    for (unsigned g = 0; g < QF__COUNT; g++) {
        if (g == face || dr->face_key[g] < 0) continue;
        qfont *o = qfonts_face(dr->dl->fonts, (qfont_face)g, d);
        if (o && strcmp(o->path, f->path) == 0) {
            key = dr->face_key[g];
            break;
        }
    }
    quorum_diags_free(scratch);
    dr->face_key[face] = key;
    if (!dr->codes[key]) {
        dr->codes[key] = calloc(1, QHPDF_CODE_BITS);
        if (!dr->codes[key]) qfatal_oom();
    }
    return key;
}

/* Copies a run into dr->buf as NUL-terminated UTF-8 that libharu draws
 * faithfully, and notes its code points for the ToUnicode map.  libharu
 * silently garbles invalid UTF-8 and writes characters above U+FFFF as
 * spaces, so those become '?' here, with one warning each.  codes may
 * be NULL (bookmark titles use no font). */
const char *qpdf_clean_text(pdfd *dr, const char *s, size_t len, uint8_t *codes) {
    if (len + 2 > dr->cap) {  /* room for a word space (ends_word) */
        size_t cap = dr->cap ? dr->cap : 256;
        while (cap < len + 2) cap *= 2;
        free(dr->buf);
        dr->buf = qpdf_xmalloc(cap);
        dr->cap = cap;
    }
    char *o = dr->buf;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80) {  /* the common case */
            *o++ = (char)c;
            if (codes) codes[c >> 3] |= (uint8_t)(1u << (c & 7));
            i++;
            continue;
        }
        uint32_t cp;
        int n = qutf8_decode(s + i, len - i, &cp);
        if (n == 0 || cp == 0 || cp > 0xFFFF) {
            pdfd_warn(dr, cp > 0xFFFF && n ? QPDF_W_ASTRAL : QPDF_W_UTF8, NULL);
            *o++ = '?';
            if (codes) codes['?' >> 3] |= (uint8_t)(1u << ('?' & 7));
            i += n ? (size_t)n : 1;
            continue;
        }
        memcpy(o, s + i, (size_t)n);
        o += n;
        if (codes) codes[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        i += (size_t)n;
    }
    *o = 0;
    return dr->buf;
}

void pdfd_warn(pdfd *dr, int kind, const char *file) {
    switch (kind) {
    case QPDF_W_UTF8: if (dr->warned_utf8++) return; break;
    case QPDF_W_ASTRAL: if (dr->warned_astral++) return; break;
    case QPDF_W_ANCHOR: if (dr->warned_anchor++) return; break;
    case QPDF_W_ALPHA: if (dr->warned_alpha++) return; break;
    case QPDF_W_IMAGE:
        for (int i = 0; i < dr->nwarned_images; i++)
            if (strcmp(dr->warned_images[i], file) == 0) return;
        if (dr->nwarned_images < MAX_WARNED_IMAGES)
            dr->warned_images[dr->nwarned_images++] = file;
        break;
    default: return;
    }
    if (!dr->d) {  /* drawn apart: said by the writer, in page order */
        if (dr->nwarn == dr->cap_warn) {
            dr->cap_warn = dr->cap_warn ? 2 * dr->cap_warn : 4;
            dr->warn = realloc(dr->warn, (size_t)dr->cap_warn * sizeof *dr->warn);
            if (!dr->warn) qfatal_oom();
        }
        dr->warn[dr->nwarn].kind = kind;
        dr->warn[dr->nwarn].file = file ? strdup(file) : NULL;
        if (file && !dr->warn[dr->nwarn].file) qfatal_oom();
        dr->nwarn++;
        return;
    }
    switch (kind) {
    case QPDF_W_UTF8:
        qdiag_add(dr->d, QUORUM_WARNING, nopos,
                  "%s: text with invalid UTF-8 is printed as '?'", dr->path);
        break;
    case QPDF_W_ASTRAL:
        qdiag_add(dr->d, QUORUM_WARNING, nopos,
                  "%s: characters above U+FFFF cannot be shown and are printed as '?'",
                  dr->path);
        break;
    case QPDF_W_ANCHOR:
        qdiag_add(dr->d, QUORUM_WARNING, nopos,
                  "%s: a link points to a target that is not on any page; the link "
                  "is left out", dr->path);
        break;
    case QPDF_W_ALPHA:
        qdiag_add(dr->d, QUORUM_WARNING, nopos,
                  "%s: PDF/A-1 allows no transparency; image %s is drawn on white, "
                  "its transparent parts opaque", dr->path, file);
        break;
    case QPDF_W_IMAGE:
        qdiag_add(dr->d, QUORUM_WARNING, nopos,
                  "%s: image %s is not a readable PNG or JPEG file; left out",
                  dr->path, file);
        break;
    }
}

void pdfd_role(const qdlist *dl, int e, char out[12]) {
    const qdl_elem *el = &QVEC_AT(&dl->elems, qdl_elem, e);
    const char *role = el->role < QR__COUNT ? qrole_name(el->role) : "Span";
    size_t n = 0;  /* standard role names: letters and digits only */
    for (; role[n] && n + 1 < 12; n++) {
        char c = role[n];
        out[n] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  (c >= '0' && c <= '9')) ? c : 'X';
    }
    out[n] = 0;
}

/* Tagged PDF wants explicit spaces between words (ISO 32000-1, 14.8.2.5):
 * the layout leaves none where a line ends or where a hanging number
 * stands apart from its text, so assistive technology reading the
 * structure would hear "andRecovery".  A run gets a trailing space when
 * the next text on the page belongs to the same element or to a child of
 * it (an agenda entry's page reference) and starts a new line, stands
 * apart on the same one, or lies to its left.  Extraction by position
 * (pdftotext) sees no difference: the space ends the run. */
static int ends_word(const qvec *elems, const qdl_item *items, size_t n, size_t i) {
    const qdl_item *it = &items[i];
    if (it->elem < 0 || it->len == 0) return 0;
    unsigned char last = (unsigned char)it->text[it->len - 1];
    if (last == ' ' || last == '-' || last == '/') return 0;
    for (size_t j = i + 1; j < n; j++) {
        const qdl_item *nx = &items[j];
        if (nx->kind != QDL_TEXT || !nx->text || nx->len == 0) continue;
        int child = nx->elem >= 0 && (size_t)nx->elem < elems->len &&
                    QVEC_AT(elems, qdl_elem, nx->elem).parent == it->elem;
        if ((nx->elem != it->elem && !child) || nx->text[0] == ' ') return 0;
        float dy = nx->y - it->y;
        if (dy > 0.5f * it->size || dy < -0.5f * it->size) return 1; /* new line */
        /* apart on the line, or back to its left (a column read out of
         * line order) */
        return nx->x > it->x + it->w + 0.2f * it->size || nx->x < it->x;
    }
    return 0;
}

/* A Figure without alternative text is decoration to PDF/UA: an artifact,
 * so a screen reader skips it rather than announcing an unnamed image. */
static int decorative(const pdfd *dr, int elem) {
    if (elem < 0 || (size_t)elem >= dr->dl->elems.len) return 0;
    const qdl_elem *el = &QVEC_AT(&dr->dl->elems, qdl_elem, elem);
    return el->role == QR_FIGURE && !(el->alt && el->alt[0]);
}

/* The artifact type of an item the layout made an artifact (dlist.h):
 * text left as a plain layout artifact is a repeat all the same, as text
 * is never drawn only for looks. */
static int artifact_type(const qdl_item *it) {
    switch (it->elem) {
    case QDL_ART_HEADER: return QH_ART_HEADER;
    case QDL_ART_FOOTER: return QH_ART_FOOTER;
    case QDL_ART_REPEAT: return QH_ART_PAGINATION;
    default: return it->kind == QDL_TEXT ? QH_ART_PAGINATION : QH_ART_LAYOUT;
    }
}

static void mark(pdfd *dr, const qdl_item *it) {
    if (!dr->tagged) return;
    if (decorative(dr, it->elem)) {
        qcv_mark_artifact(dr->cv, QH_ART_LAYOUT);
    } else if (it->elem < 0) {
        qcv_mark_artifact(dr->cv, artifact_type(it));
    } else if ((size_t)it->elem >= dr->dl->elems.len) {
        qcv_mark(dr->cv, -1, NULL);  /* no element: a /Layout artifact */
    } else {
        char role[12];
        pdfd_role(dr->dl, it->elem, role);
        qcv_mark(dr->cv, it->elem, role);
    }
}

/* A Figure's bounding box (PDF space, on its first page) for its /BBox
 * layout attribute. */
static void figure_box(pdfd *dr, const qdl_item *it, int page, float H) {
    if (!dr->tagged || it->elem < 0 || (size_t)it->elem >= dr->dl->elems.len ||
        QVEC_AT(&dr->dl->elems, qdl_elem, it->elem).role != QR_FIGURE)
        return;
    /* a Figure's items come together: its box is nearly always the last */
    size_t k = dr->nbox;
    while (k > 0 && dr->box[k - 1].elem != it->elem) k--;
    if (k == 0) {
        if (dr->nbox == dr->cap_box) {
            dr->cap_box = dr->cap_box ? 2 * dr->cap_box : 16;
            dr->box = realloc(dr->box, dr->cap_box * sizeof *dr->box);
            if (!dr->box) qfatal_oom();
        }
        dr->box[dr->nbox++] = (struct fbox){0, 0, 0, 0, -1, it->elem};
        k = dr->nbox;
    }
    struct fbox *b = &dr->box[k - 1];
    if (b->page >= 0 && b->page != page) return;
    float x0 = it->x, x1 = it->x + it->w, top = it->y, bottom = it->y + it->h;
    if (it->kind == QDL_TEXT) { top = it->y - it->size; bottom = it->y + 0.25f * it->size; }
    if (x1 < x0) { float t = x0; x0 = x1; x1 = t; }
    if (bottom < top) { float t = top; top = bottom; bottom = t; }
    float y0 = H - bottom, y1 = H - top;
    if (b->page < 0) {
        *b = (struct fbox){x0, y0, x1, y1, page, it->elem};
        return;
    }
    if (x0 < b->x0) b->x0 = x0;
    if (y0 < b->y0) b->y0 = y0;
    if (x1 > b->x1) b->x1 = x1;
    if (y1 > b->y1) b->y1 = y1;
}

/* Anchor -> (page, top in PDF space); 0 when it was never placed. */
static int anchor_target(const pdfd *dr, int page, float y, float *top) {
    const qdlist *dl = dr->dl;
    if (page < 0 || (size_t)page >= dl->pages.len) return 0;
    const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, page);
    *top = pg->height - y;
    return 1;
}

/* A QDL_MARK in PDF space: arrows are one filled outline (shaft and
 * head) so they print at any size without a font; boxes are stroked. */
static void draw_mark(qcanvas *c, const qdl_item *it, float H) {
    float side = it->w < it->h ? it->w : it->h;
    float cx = it->x + it->w / 2, cy = H - it->y - it->h / 2;
    if (it->face == QDL_BOX || it->face == QDL_BOX_TICKED) {
        float r = side / 2, lw = side * 0.09f;
        cx = it->x + r + lw; /* the rest of the width is the gap after it */
        float box[8] = {cx - r, cy - r, cx + r, cy - r, cx + r, cy + r, cx - r, cy + r};
        qcv_path(c, box, 4, QHPDF_CLOSE, lw, it->color);
        if (it->face == QDL_BOX_TICKED) {
            float tick[6] = {cx - 0.6f * r, cy, cx - 0.15f * r, cy - 0.5f * r,
                             cx + 0.65f * r, cy + 0.6f * r};
            qcv_path(c, tick, 3, QHPDF_OPEN, lw * 1.8f, it->color);
        }
        return;
    }
    /* along u (the arrow's direction), across v */
    float L = side / 2, head = side * 0.45f, sw = side * 0.11f, hw = side * 0.4f;
    float uv[14] = {-L, -sw, L - head, -sw, L - head, -hw, L, 0,
                    L - head, hw, L - head, sw, -L, sw};
    float xy[14];
    for (int i = 0; i < 7; i++) {
        float u = uv[2 * i], v = uv[2 * i + 1];
        int up = it->face == QDL_ARROW_UP, down = it->face == QDL_ARROW_DOWN;
        xy[2 * i] = cx + (up || down ? v : u);
        xy[2 * i + 1] = cy + (up ? u : down ? -u : v);
    }
    qcv_path(c, xy, 7, QHPDF_FILL, 0, it->color);
}

static qcv_link *add_link(qcv_page *out) {
    if (out->nlinks == out->cap_links) {
        out->cap_links = out->cap_links ? 2 * out->cap_links : 8;
        out->links = realloc(out->links, (size_t)out->cap_links * sizeof *out->links);
        if (!out->links) qfatal_oom();
    }
    qcv_link *l = &out->links[out->nlinks++];
    memset(l, 0, sizeof *l);
    return l;
}

/* The page's link areas, in item order (annotations follow the content). */
static void page_links(pdfd *dr, const qdl_item *items, size_t n, float H, qcv_page *out) {
    for (size_t i = 0; i < n; i++) {
        const qdl_item *it = &items[i];
        if (it->kind != QDL_LINK) continue;
        float x0 = it->x, y0 = H - it->y - it->h, x1 = it->x + it->w, y1 = H - it->y;
        if (it->dest >= 0) {
            float top;
            const qdl_anchor *a =
                (size_t)it->dest < dr->dl->anchors.len
                    ? &QVEC_AT(&dr->dl->anchors, qdl_anchor, it->dest) : NULL;
            if (a && anchor_target(dr, a->page, a->y, &top)) {
                qcv_link *l = add_link(out);
                *l = (qcv_link){x0, y0, x1, y1, dr->page0 + a->page, top, it->elem, NULL, NULL};
            } else {
                pdfd_warn(dr, QPDF_W_ANCHOR, NULL);
            }
        } else if (it->text && it->text[0]) {
            qcv_link *l = add_link(out);
            *l = (qcv_link){x0, y0, x1, y1, -1, 0, it->elem, NULL, NULL};
            l->uri = strdup(it->text);
            if (!l->uri) qfatal_oom();
            if (dr->tagged) l->contents = qpdf_meta_clean_d(dr, it->text);
        }
    }
}

int pdfd_page(pdfd *dr, int pno, qcv_page *out) {
    const qdl_page *pg = &QVEC_AT(&dr->dl->pages, qdl_page, pno);
    const float H = pg->height;
    const qdl_item *items = pg->items.data;
    size_t n = pg->items.len;
    int page = dr->page0 + pno;
    if (!dr->cv) dr->cv = qcv_new(dr->tagged);
    qcanvas *c = dr->cv;
    int failed = 0;

    qcv_begin(c);
    for (size_t i = 0; i < n && !failed; i++) {
        const qdl_item *it = &items[i];
        switch (it->kind) {
        case QDL_TEXT: {
            if (!it->text || it->len == 0) break;
            int font = face_key(dr, it->face);
            if (font < 0) {
                failed = 1;
                break;
            }
            qcv_font(c, font);  /* before the mark: where the font is embedded */
            mark(dr, it);
            figure_box(dr, it, page, H);
            const char *s = qpdf_clean_text(dr, it->text, it->len, dr->codes[font]);
            if (dr->tagged && ends_word(&dr->dl->elems, items, n, i)) {
                size_t k = strlen(s);
                dr->buf[k] = ' ';
                dr->buf[k + 1] = 0;
                dr->codes[font][' ' >> 3] |= (uint8_t)(1u << (' ' & 7));
            }
            qcv_text(c, font, it->size, it->color, it->x, H - it->y, s);
            break;
        }
        case QDL_FILL:
            mark(dr, it);
            figure_box(dr, it, page, H);
            qcv_fill(c, it->x, H - it->y - it->h, it->w, it->h, it->color);
            break;
        case QDL_RULE:
            mark(dr, it);
            figure_box(dr, it, page, H);
            qcv_line(c, it->x, H - it->y, it->x + it->w, H - (it->y + it->h), it->size,
                     it->color);
            break;
        case QDL_IMAGE: {
            if (!it->text) break;
            mark(dr, it);
            figure_box(dr, it, page, H);
            const qdl_image *im =
                it->dest >= 0 && (size_t)it->dest < dr->dl->images.len
                    ? &QVEC_AT(&dr->dl->images, qdl_image, it->dest) : NULL;
            const qimage *img = im ? im->img : NULL;
            /* deflate takes at most UINT_MAX bytes in one call (hpdf_image.c) */
            if (!img || (size_t)img->w * img->h * img->comps > 0xFFFFFFFFu) {
                pdfd_warn(dr, QPDF_W_IMAGE, it->text);
                break;
            }
            qcv_image(c, it->text, img, it->x, H - it->y - it->h, it->w, it->h);
            if (img->alpha && dr->archive == 1) pdfd_warn(dr, QPDF_W_ALPHA, it->text);
            break;
        }
        case QDL_MARK:
            mark(dr, it);
            figure_box(dr, it, page, H);
            draw_mark(c, it, H);
            break;
        case QDL_LINK:
            break;  /* annotations after the content, below */
        }
    }
    qcv_end(c, out);
    if (failed) return -1;
    page_links(dr, items, n, H, out);
    return 0;
}

/* ---- a report's pages drawn apart (a pack's workers) ---------------------- */

size_t qpdf_report_zip(qpdf_report *r) {
    size_t n = 0;
    qpdf_zipper *z = qpdf_zipper_new();
    for (int p = 0; p < r->npages && !r->failed; p++) {
        if (r->pages[p].deflated) continue;
        if (qpdf_zip_page(z, &r->pages[p]) != 0) r->failed = 1;
        else n += r->pages[p].n;
    }
    qpdf_zipper_free(z);
    return n;
}

qpdf_report *qpdf_draw_report(const qdlist *dl, int page0, int tagged, int archive, int zip) {
    qpdf_report *r = calloc(1, sizeof *r);
    if (!r) qfatal_oom();
    r->page0 = page0;
    r->npages = (int)dl->pages.len;
    r->nelems = dl->elems.len;
    r->pages = calloc(dl->pages.len ? dl->pages.len : 1, sizeof *r->pages);
    if (!r->pages) qfatal_oom();
    pdfd_init(&r->dr, dl, NULL, NULL, tagged, archive, page0);
    for (int p = 0; p < r->npages && !r->failed; p++)
        if (pdfd_page(&r->dr, p, &r->pages[p]) != 0) r->failed = 1;
    if (zip) qpdf_report_zip(r);
    /* what the writer needs of the drawing: codes, boxes, warnings, only
     * where set (a report's 8 KiB a font and box a element were a tenth
     * of what a drawn pack holds) */
    for (int k = 0; k < QF__COUNT; k++) {
        const uint8_t *c = r->dr.codes[k];
        if (!c) continue;
        size_t lo = 0, hi = QHPDF_CODE_BITS;
        while (lo < hi && !c[lo]) lo++;
        while (hi > lo && !c[hi - 1]) hi--;
        uint8_t *cut = qpdf_xmalloc(hi > lo ? hi - lo : 1);
        memcpy(cut, c + lo, hi - lo);
        free(r->dr.codes[k]);
        r->dr.codes[k] = cut;
        r->codes0[k] = lo;
        r->ncodes[k] = hi - lo;
    }
    if (r->dr.tagged) {  /* by element, from the first Figure to the last */
        size_t lo = r->nelems, hi = 0;
        for (size_t i = 0; i < r->dr.nbox; i++) {
            size_t e = (size_t)r->dr.box[i].elem;
            if (r->dr.box[i].page < 0 || e >= r->nelems) continue;
            if (e < lo) lo = e;
            if (e + 1 > hi) hi = e + 1;
        }
        if (hi <= lo) lo = hi = 0;
        struct fbox *cut = qpdf_xmalloc((hi > lo ? hi - lo : 1) * sizeof *cut);
        for (size_t e = lo; e < hi; e++) cut[e - lo] = (struct fbox){0, 0, 0, 0, -1, (int)e};
        for (size_t i = 0; i < r->dr.nbox; i++) {
            const struct fbox *b = &r->dr.box[i];
            if (b->page >= 0 && (size_t)b->elem >= lo && (size_t)b->elem < hi)
                cut[(size_t)b->elem - lo] = *b;
        }
        free(r->dr.box);
        r->dr.box = cut;
        r->dr.nbox = r->dr.cap_box = 0;  /* its form now: box0, nbox */
        r->box0 = lo;
        r->nbox = hi - lo;
    }
    qcv_free(r->dr.cv);
    r->dr.cv = NULL;
    free(r->dr.buf);
    r->dr.buf = NULL;
    r->dr.cap = 0;
    r->dr.dl = NULL;
    return r;
}

void qpdf_report_images(qpdf_report *r, const qdlist *dl, const qdl_image *to) {
    for (int p = 0; p < r->npages; p++)
        for (int i = 0; i < r->pages[p].nev; i++) {
            qcv_event *ev = &r->pages[p].ev[i];
            if (ev->kind != QCV_IMAGE) continue;
            for (size_t k = 0; k < dl->images.len; k++) {
                const qdl_image *im = &QVEC_AT(&dl->images, qdl_image, k);
                if (im->img == ev->img && strcmp(im->name, ev->name) == 0) {
                    ev->name = to[k].name;
                    ev->img = to[k].img;
                    break;
                }
            }
        }
}

void qpdf_report_keep_elems(qpdf_report *r, const qdlist *dl) {
    size_t n = dl->elems.len, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, i);
        bytes += (e->alt ? strlen(e->alt) + 1 : 0) + (e->lang ? strlen(e->lang) + 1 : 0) +
                 (e->actual ? strlen(e->actual) + 1 : 0);
    }
    r->own = qpdf_xmalloc((n ? n : 1) * sizeof *r->own);
    r->own_se = qpdf_xmalloc((n ? n : 1) * sizeof *r->own_se);
    r->own_strs = qpdf_xmalloc(bytes ? bytes : 1);
    char *at = r->own_strs;
    for (size_t i = 0; i < n; i++) {
        qdl_elem e = QVEC_AT(&dl->elems, qdl_elem, i);
        const char **s[] = {&e.alt, &e.lang, &e.actual};
        for (int k = 0; k < 3; k++) {
            if (!*s[k]) continue;
            size_t len = strlen(*s[k]) + 1;
            memcpy(at, *s[k], len);
            *s[k] = at;
            at += len;
        }
        r->own[i] = e;
        r->own_se[i] = -1;
    }
    r->nelems = n;
}

void qpdf_report_take_elems(qpdf_report *r, qdlist *dl) {
    size_t n = dl->elems.len;
    r->own_list = dl;
    r->own = dl->elems.data;
    r->own_se = qpdf_xmalloc((n ? n : 1) * sizeof *r->own_se);
    for (size_t i = 0; i < n; i++) r->own_se[i] = -1;
    r->nelems = n;
}

void qpdf_report_free(qpdf_report *r) {
    if (!r) return;
    if (r->own_list) qdlist_free(r->own_list);
    else free(r->own);
    free(r->own_strs);
    free(r->own_se);
    qpdf_ostms_free(r->cached);
    for (int p = 0; p < r->npages; p++) qcv_page_free(&r->pages[p]);
    free(r->pages);
    pdfd_done(&r->dr);
    free(r);
}

void qpdf_drawn_add(qpdf_drawn *s, qpdf_report *r, size_t elem0) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->reports = realloc(s->reports, s->cap * sizeof *s->reports);
        if (!s->reports) qfatal_oom();
    }
    r->elem0 = elem0;
    s->reports[s->n++] = r;
}

void qpdf_drawn_free(void *p) {
    qpdf_drawn *s = p;
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) qpdf_report_free(s->reports[i]);
    free(s->reports);
    free(s);
}
