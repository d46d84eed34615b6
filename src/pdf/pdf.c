/* The PDF device: draws the display list through the libharu adapter
 * (pdf.h; everything libharu-specific lives in the hpdf_*.c files) and
 * saves it through a sink.  Where the bytes go is pdf_output.c's business:
 * a file is replaced atomically (src/util/atomic.h; archive copies are
 * fsynced with their directory, ordinary builds are not, README says
 * why), or a caller's sink or memory.
 *
 * Archive copies (PDF/A-1b, PDF/A-2a, PDF/A-3a) add what PDF/A asks for: XMP
 * metadata (pdf_meta.c), attachments for PDF/A-3 (pdf_attach.c), and a
 * document ID hashed from the finished file, so the whole file is made in
 * memory before the sink sees it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "dlist.h"
#include "font.h"
#include "pdf.h"
#include "quorum.h"
#include "style.h"

#define MAX_OUTLINE_DEPTH 16


static const qpos nopos = {0, 0, 0};

void *qpdf_xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) qfatal_oom();
    return p;
}

/* Adapter font id for a face, loading the face on first use: only faces
 * that some text is drawn with are embedded. */
static int face_font(pdfw *w, unsigned face) {
    if (face >= QF__COUNT) face = QF_REGULAR;
    if (w->font_of_face[face] >= 0) return w->font_of_face[face];
    if (w->face_failed[face]) return -1;
    qfont *f = qfonts_face(w->dl->fonts, (qfont_face)face, w->d);
    int id = f ? qhpdf_load_font(w->h, f->path, f->data, f->size) : -1;
    if (id < 0) {
        w->face_failed[face] = 1;
        return -1;
    }
    w->font_of_face[face] = id;
    if (!w->codes[id]) {
        w->codes[id] = calloc(1, QHPDF_CODE_BITS);
        if (!w->codes[id]) qfatal_oom();
    }
    return id;
}

/* Copies a run into w->buf as NUL-terminated UTF-8 that libharu draws
 * faithfully, and notes its code points for the ToUnicode map.  libharu
 * silently garbles invalid UTF-8 and writes characters above U+FFFF as
 * spaces, so those become '?' here, with one warning each.  codes may
 * be NULL (bookmark titles use no font). */
const char *qpdf_clean_text(pdfw *w, const char *s, size_t len,
                              uint8_t *codes) {
    if (len + 2 > w->cap) {  /* room for a word space (ends_word) */
        size_t cap = w->cap ? w->cap : 256;
        while (cap < len + 2) cap *= 2;
        free(w->buf);
        w->buf = qpdf_xmalloc(cap);
        w->cap = cap;
    }
    char *o = w->buf;
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
            if (cp > 0xFFFF && n) {
                if (!w->warned_astral++)
                    qdiag_add(w->d, QUORUM_WARNING, nopos,
                              "%s: characters above U+FFFF cannot be shown "
                              "and are printed as '?'", w->path);
            } else if (!w->warned_utf8++) {
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: text with invalid UTF-8 is printed as '?'",
                          w->path);
            }
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
    return w->buf;
}

static void warn_image(pdfw *w, const char *file) {
    for (int i = 0; i < w->nwarned_images; i++)
        if (strcmp(w->warned_images[i], file) == 0) return;
    if (w->nwarned_images < MAX_WARNED_IMAGES)
        w->warned_images[w->nwarned_images++] = file;
    qdiag_add(w->d, QUORUM_WARNING, nopos,
              "%s: image %s is not a readable PNG or JPEG file; left out",
              w->path, file);
}

/* ---- tagging ------------------------------------------------------------
 * Structure elements are made on first use, when the first piece of
 * content of an element or of one of its descendants is drawn: the
 * layout puts items in reading order, so each element lands in its
 * parent's kids in reading order, and elements without content are never
 * written. */

static void elem_attrs(pdfw *w, int se, const qdl_elem *el) {
    if (el->lang && el->lang[0]) {
        char *lang = qpdf_meta_clean(w, el->lang);
        qhpdf_struct_lang(w->h, se, lang);
        free(lang);
    }
    if (el->role == QR_TH) qhpdf_struct_scope(w->h, se, el->scope == 1);
    if (el->role == QR_TH || el->role == QR_TD)
        qhpdf_struct_span(w->h, se, el->colspan, el->rowspan);
    static const char *const numbering[] = {
        [QDL_NUM_DISC] = "Disc", [QDL_NUM_DECIMAL] = "Decimal",
        [QDL_NUM_LOWER_ALPHA] = "LowerAlpha", [QDL_NUM_UPPER_ALPHA] = "UpperAlpha",
        [QDL_NUM_LOWER_ROMAN] = "LowerRoman", [QDL_NUM_UPPER_ROMAN] = "UpperRoman",
        [QDL_NUM_NONE] = "None"};
    if (el->role == QR_L && el->numbering > QDL_NUM_UNSET &&
        el->numbering <= QDL_NUM_NONE)
        qhpdf_struct_numbering(w->h, se, numbering[el->numbering]);
    if (el->actual && el->actual[0]) {
        char *actual = qpdf_meta_clean(w, el->actual);
        qhpdf_struct_actual(w->h, se, actual);
        free(actual);
    }
    if (el->alt && el->alt[0]) {
        char *alt = qpdf_meta_clean(w, el->alt);
        /* A table's caption is a summary; /Alt would replace the whole
         * table for a screen reader. */
        if (el->role == QR_TABLE) qhpdf_struct_summary(w->h, se, alt);
        else qhpdf_struct_alt(w->h, se, alt);
        free(alt);
    }
}

static void row_cells(pdfw *w, int tr);

static int elem_se(pdfw *w, int e) {
    const qvec *ev = &w->dl->elems;
    if (!w->tagged || e < 0 || (size_t)e >= ev->len) return -1;
    if (w->se[e] >= 0) return w->se[e];
    const qdl_elem *el = &QVEC_AT(ev, qdl_elem, e);
    /* Parents come before their children; anything else would loop. */
    int parent = el->parent < e ? el->parent : (e > 0 ? 0 : -1);
    int ps = -1;
    if (parent >= 0 && (ps = elem_se(w, parent)) < 0) return -1;
    if (w->se[e] >= 0) return w->se[e]; /* made with its row (row_cells) */
    const char *role = el->role < QR__COUNT ? qrole_name(el->role) : "Span";
    int se = qhpdf_struct_new(w->h, ps, role);
    if (se < 0) return -1;
    w->se[e] = se;
    elem_attrs(w, se, el);
    if (el->role == QR_TR) row_cells(w, e);
    return se;
}

/* A row's cells are written with the row, empty ones too: without an
 * empty cell (a blank <cell/>, a field without a value) the row covers
 * fewer columns than the others (PDF/UA-1, veraPDF 7.2-43). */
static void row_cells(pdfw *w, int tr) {
    for (int c = qdl_next_cell(w->dl, tr, tr); c >= 0; c = qdl_next_cell(w->dl, tr, c))
        elem_se(w, c);
}

/* The Link element for a link area: its own element when that is a Link;
 * otherwise (a link the layout put on a paragraph, or on an artifact such
 * as a repeated header row) a Link made for the annotation alone, so every
 * annotation still has one. */
static int link_se(pdfw *w, int elem) {
    const qvec *ev = &w->dl->elems;
    if (ev->len == 0) return -1;
    if (elem < 0 || (size_t)elem >= ev->len) elem = 0;
    int se = elem_se(w, elem);
    if (se < 0 || QVEC_AT(ev, qdl_elem, elem).role == QR_LINK) return se;
    return qhpdf_struct_new(w->h, se, "Link");
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
static int decorative(const pdfw *w, int elem) {
    if (elem < 0 || (size_t)elem >= w->dl->elems.len) return 0;
    const qdl_elem *el = &QVEC_AT(&w->dl->elems, qdl_elem, elem);
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

static void mark(pdfw *w, const qdl_item *it) {
    if (!w->tagged) return;
    if (decorative(w, it->elem)) qhpdf_mark_artifact(w->h, QH_ART_LAYOUT);
    else if (it->elem < 0) qhpdf_mark_artifact(w->h, artifact_type(it));
    else qhpdf_mark(w->h, elem_se(w, it->elem));
}

/* A Figure's bounding box (PDF space, on its first page) for its /BBox
 * layout attribute. */
static void figure_box(pdfw *w, const qdl_item *it, int page, float H) {
    if (!w->tagged || it->elem < 0 || (size_t)it->elem >= w->dl->elems.len ||
        QVEC_AT(&w->dl->elems, qdl_elem, it->elem).role != QR_FIGURE)
        return;
    struct fbox *b = &w->box[it->elem];
    if (b->page >= 0 && b->page != page) return;
    float x0 = it->x, x1 = it->x + it->w, top = it->y, bottom = it->y + it->h;
    if (it->kind == QDL_TEXT) { top = it->y - it->size; bottom = it->y + 0.25f * it->size; }
    if (x1 < x0) { float t = x0; x0 = x1; x1 = t; }
    if (bottom < top) { float t = top; top = bottom; bottom = t; }
    float y0 = H - bottom, y1 = H - top;
    if (b->page < 0) {
        *b = (struct fbox){x0, y0, x1, y1, page};
        return;
    }
    if (x0 < b->x0) b->x0 = x0;
    if (y0 < b->y0) b->y0 = y0;
    if (x1 > b->x1) b->x1 = x1;
    if (y1 > b->y1) b->y1 = y1;
}

void qpdf_figure_boxes(pdfw *w) {
    if (!w->tagged) return;
    for (size_t e = 0; e < w->dl->elems.len; e++)
        if (w->box[e].page >= 0 && w->se[e] >= 0)
            qhpdf_struct_bbox(w->h, w->se[e], w->box[e].x0, w->box[e].y0,
                              w->box[e].x1, w->box[e].y1);
}

/* Anchor -> (page, top in PDF space); 0 when it was never placed. */
static int anchor_target(pdfw *w, int page, float y, float *top) {
    const qdlist *dl = w->dl;
    if (page < 0 || (size_t)page >= dl->pages.len) return 0;
    const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, page);
    *top = pg->height - y;
    return 1;
}

/* A QDL_MARK in PDF space: arrows are one filled outline (shaft and
 * head) so they print at any size without a font; boxes are stroked. */
static void draw_mark(qhpdf *h, const qdl_item *it, float H) {
    float side = it->w < it->h ? it->w : it->h;
    float cx = it->x + it->w / 2, cy = H - it->y - it->h / 2;
    if (it->face == QDL_BOX || it->face == QDL_BOX_TICKED) {
        float r = side / 2, lw = side * 0.09f;
        cx = it->x + r + lw; /* the rest of the width is the gap after it */
        float box[8] = {cx - r, cy - r, cx + r, cy - r, cx + r, cy + r, cx - r, cy + r};
        qhpdf_path(h, box, 4, QHPDF_CLOSE, lw, it->color);
        if (it->face == QDL_BOX_TICKED) {
            float tick[6] = {cx - 0.6f * r, cy, cx - 0.15f * r, cy - 0.5f * r,
                             cx + 0.65f * r, cy + 0.6f * r};
            qhpdf_path(h, tick, 3, QHPDF_OPEN, lw * 1.8f, it->color);
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
    qhpdf_path(h, xy, 7, QHPDF_FILL, 0, it->color);
}

static void draw_page(pdfw *w, int pno) {
    const qdl_page *pg = &QVEC_AT(&w->dl->pages, qdl_page, pno);
    const float H = pg->height;
    const qdl_item *items = pg->items.data;
    size_t n = pg->items.len;
    qhpdf *h = w->h;

    qhpdf_page_begin(h, pno);
    for (size_t i = 0; i < n && !qhpdf_failed(h); i++) {
        const qdl_item *it = &items[i];
        switch (it->kind) {
        case QDL_TEXT: {
            if (!it->text || it->len == 0) break;
            int font = face_font(w, it->face);
            if (font < 0) return;
            mark(w, it);
            figure_box(w, it, pno, H);
            const char *s = qpdf_clean_text(w, it->text, it->len, w->codes[font]);
            if (w->tagged && ends_word(&w->dl->elems, items, n, i)) {
                size_t k = strlen(s);
                w->buf[k] = ' ';
                w->buf[k + 1] = 0;
                w->codes[font][' ' >> 3] |= (uint8_t)(1u << (' ' & 7));
            }
            qhpdf_text(h, font, it->size, it->color, it->x, H - it->y, s);
            break;
        }
        case QDL_FILL:
            mark(w, it);
            figure_box(w, it, pno, H);
            qhpdf_fill(h, it->x, H - it->y - it->h, it->w, it->h, it->color);
            break;
        case QDL_RULE:
            mark(w, it);
            figure_box(w, it, pno, H);
            qhpdf_line(h, it->x, H - it->y, it->x + it->w, H - (it->y + it->h),
                       it->size, it->color);
            break;
        case QDL_IMAGE:
            if (!it->text) break;
            mark(w, it);
            figure_box(w, it, pno, H);
            const qdl_image *im =
                it->dest >= 0 && (size_t)it->dest < w->dl->images.len
                    ? &QVEC_AT(&w->dl->images, qdl_image, it->dest) : NULL;
            int r = qhpdf_image(h, it->text, im ? im->img : NULL, it->x,
                                H - it->y - it->h, it->w, it->h);
            if (r < 0)
                warn_image(w, it->text);
            else if (r > 0 && !w->warned_alpha++)
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: PDF/A-1 allows no transparency; image %s is "
                          "drawn on white, its transparent parts opaque",
                          w->path, it->text);
            break;
        case QDL_MARK:
            mark(w, it);
            figure_box(w, it, pno, H);
            draw_mark(h, it, H);
            break;
        case QDL_LINK:
            break;  /* annotations after the content, below */
        }
    }
    qhpdf_page_end(h);

    for (size_t i = 0; i < n && !qhpdf_failed(h); i++) {
        const qdl_item *it = &items[i];
        if (it->kind != QDL_LINK) continue;
        float x0 = it->x, y0 = H - it->y - it->h, x1 = it->x + it->w,
              y1 = H - it->y;
        if (it->dest >= 0) {
            float top;
            const qdl_anchor *a =
                (size_t)it->dest < w->dl->anchors.len
                    ? &QVEC_AT(&w->dl->anchors, qdl_anchor, it->dest) : NULL;
            if (a && anchor_target(w, a->page, a->y, &top)) {
                qhpdf_link_dest(h, x0, y0, x1, y1, a->page, top);
                if (w->tagged) {
                    char what[40];
                    snprintf(what, sizeof what, "Go to page %d", a->page + 1);
                    qhpdf_tag_annot(h, link_se(w, it->elem), what);
                }
            } else if (!w->warned_anchor++)
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: a link points to a target that is not on any "
                          "page; the link is left out", w->path);
        } else if (it->text && it->text[0]) {
            qhpdf_link_uri(h, x0, y0, x1, y1, it->text);
            if (w->tagged) {
                char *uri = qpdf_meta_clean(w, it->text);
                qhpdf_tag_annot(h, link_se(w, it->elem), uri);
                free(uri);
            }
        }
    }
}

static void add_outlines(pdfw *w) {
    int stack[MAX_OUTLINE_DEPTH + 1];
    for (int i = 0; i <= MAX_OUTLINE_DEPTH; i++) stack[i] = -1;
    const qdlist *dl = w->dl;
    for (size_t i = 0; i < dl->outlines.len && !qhpdf_failed(w->h); i++) {
        const qdl_outline *o = &QVEC_AT(&dl->outlines, qdl_outline, i);
        float top;
        if (!o->title || !anchor_target(w, o->page, o->y, &top)) {
            if (!w->warned_outline++)
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: a bookmark points to no page; left out",
                          w->path);
            continue;
        }
        int level = o->level < 1 ? 1
                  : o->level > MAX_OUTLINE_DEPTH ? MAX_OUTLINE_DEPTH
                  : o->level;
        /* Parent: the nearest open item above this level, so a skipped
         * level (1 then 3) still nests. */
        int parent = -1;
        for (int l = level - 1; l >= 1; l--)
            if (stack[l] >= 0) { parent = stack[l]; break; }
        /* Titles go through the same cleaning as page text. */
        const char *t = qpdf_clean_text(w, o->title, strlen(o->title), NULL);
        stack[level] = qhpdf_outline(w->h, parent, t, o->page, top);
        for (int l = level + 1; l <= MAX_OUTLINE_DEPTH; l++) stack[l] = -1;
    }
}

/* ---- output ------------------------------------------------------------ */

/* The saved document from the adapter, whole: the archive ID is a hash of
 * all of it and is written into it before anything reaches the sink. */
static unsigned char *take_bytes(pdfw *w, size_t *size) {
    unsigned char *buf = qhpdf_save(w->h, size);
    if (!buf) {
        qdiag_add(w->d, QUORUM_ERROR, nopos, "cannot write %s: %s", w->path,
                  qhpdf_error(w->h) ? qhpdf_error(w->h) : "PDF output failed");
        return NULL;
    }
    if (w->archive && qhpdf_fill_id(buf, *size) < 0) {
        qdiag_add(w->d, QUORUM_ERROR, nopos,
                  "cannot write %s: the document ID could not be set", w->path);
        free(buf);
        return NULL;
    }
    return buf;
}

static int out_write(void *ctx, const void *p, size_t n) {
    qpdf_sink *o = ctx;
    if (o->failed || o->fn(o->ctx, p, n) != 0) {
        o->failed = 1;
        return -1;
    }
    return 0;
}

/* Serialises the finished document through o.  QUORUM_OK, or
 * QUORUM_IO_ERROR with a diagnostic unless the sink refused (o->failed:
 * the caller knows why). */
static quorum_status save_to(pdfw *w, qpdf_sink *o) {
    int foreign = qpdf_has_foreign(w->dl);
    if (w->archive || foreign) {
        size_t size = 0;
        unsigned char *bytes = take_bytes(w, &size);
        if (!bytes) return QUORUM_IO_ERROR;
        if (foreign) {
            char why[256];
            unsigned char *placed = qpdf_place_foreign(w->dl, bytes, size, &size, why,
                                                       sizeof why);
            free(bytes);
            if (!placed) {
                qdiag_add(w->d, QUORUM_ERROR, nopos,
                          "cannot write %s: the pages of an included PDF could not be "
                          "placed: %s", w->path, why);
                return QUORUM_IO_ERROR;
            }
            bytes = placed;
        }
        int bad = out_write(o, bytes, size);
        free(bytes);
        return bad ? QUORUM_IO_ERROR : QUORUM_OK;
    }
    if (qhpdf_save_to(w->h, out_write, o) == 0) return QUORUM_OK;
    if (!o->failed)
        qdiag_add(w->d, QUORUM_ERROR, nopos, "cannot write %s: %s", w->path,
                  qhpdf_error(w->h) ? qhpdf_error(w->h) : "PDF output failed");
    return QUORUM_IO_ERROR;
}

/* The sink's refusal reaches here only as a libharu error code: noted in
 * o->failed for the caller to word. */
quorum_status qpdf_write(const quorum_layout *l, const char *path,
                         const quorum_pdf_options *opt, qpdf_sink *o,
                         quorum_diags *d) {
    pdfw w;
    memset(&w, 0, sizeof w);
    w.dl = l->dl;
    w.d = d;
    w.path = path;
    w.archive = opt ? opt->archive : 0;
    for (int i = 0; i < QF__COUNT; i++) w.font_of_face[i] = -1;
    if (w.archive < 0 || w.archive > 3) {
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: archive level %d (want 1 for PDF/A-1b, "
                  "2 for PDF/A-2a or 3 for PDF/A-3a)", path, w.archive);
        return QUORUM_USAGE;
    }
    const char *const *attach = opt ? opt->attachments : NULL;
    int attach_style = opt ? opt->attach_style : 0;
    if (((attach && attach[0]) || attach_style) && w.archive != 3) {
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: attachments need PDF/A-3 (archive 3)",
                  path);
        return QUORUM_USAGE;
    }
    if (w.dl->pages.len == 0) {
        /* libharu would write a file that readers reject. */
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: the document has no pages", path);
        return QUORUM_IO_ERROR;
    }
    w.tagged = !(opt && opt->untagged);  /* the archive's level depends on it */
    if (w.archive && !qpdf_archive_strings_ok(&w)) return QUORUM_INVALID_INPUT;
    w.h = qhpdf_new();
    if (!w.h) {
        qdiag_add(d, QUORUM_ERROR, nopos, "cannot write %s: out of memory",
                  path);
        return QUORUM_IO_ERROR;
    }
    if (opt) qhpdf_set_threads(w.h, opt->threads);
    if (w.archive) qhpdf_set_archive(w.h, w.archive);
    if (w.tagged) {
        qhpdf_set_tagged(w.h);
        size_t ne = w.dl->elems.len;
        w.se = qpdf_xmalloc((ne ? ne : 1) * sizeof *w.se);
        w.box = qpdf_xmalloc((ne ? ne : 1) * sizeof *w.box);
        for (size_t i = 0; i < ne; i++) {
            w.se[i] = -1;
            w.box[i].page = -1;
        }
    }
    quorum_status st = QUORUM_IO_ERROR;
    const qdlist *dl = w.dl;
    int font_missing = 0;
    quorum_status attach_st = QUORUM_OK;

    /* Pages' content to o as each page ends (the save writes the same
     * bytes in the same place); archive copies and included PDFs are
     * saved whole into memory first (take_bytes). */
    if (!w.archive && !qpdf_has_foreign(dl)) qhpdf_stream_to(w.h, out_write, o);
    /* All pages first: links and bookmarks may point forwards. */
    for (size_t p = 0; p < dl->pages.len && !qhpdf_failed(w.h); p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        qhpdf_add_page(w.h, pg->width, pg->height);
    }
    for (size_t p = 0; p < dl->pages.len && !qhpdf_failed(w.h); p++) {
        draw_page(&w, (int)p);
        for (int f = 0; f < QF__COUNT; f++)
            if (w.face_failed[f]) font_missing = 1;
        if (font_missing) break;
    }
    if (!font_missing && !qhpdf_failed(w.h)) {
        add_outlines(&w);
        for (int id = 0; id < QF__COUNT; id++)
            if (w.codes[id]) qhpdf_set_tounicode(w.h, id, w.codes[id]);
        if ((attach && attach[0]) || attach_style)
            attach_st = qpdf_add_attachments(&w, attach, attach_style, dl->creation_date);
        if (attach_st == QUORUM_OK) qpdf_add_metadata(&w);
    }
    if (attach_st != QUORUM_OK && !qhpdf_failed(w.h)) {
        /* add_attachments has said why: a name clash is the caller's */
        if (attach_st == QUORUM_USAGE) st = QUORUM_USAGE;
    } else if (font_missing && !qhpdf_failed(w.h)) {
        /* qfonts_face has named the unreadable file. */
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: a font could not be loaded", path);
    } else {
        st = save_to(&w, o);
    }
    for (int i = 0; i < QF__COUNT; i++) free(w.codes[i]);
    free(w.se);
    free(w.box);
    free(w.buf);
    qhpdf_free(w.h);
    return st;
}

