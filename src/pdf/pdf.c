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
#include <stdatomic.h>
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
 * that some text is drawn with are embedded.  The drawing side has loaded
 * the face (pdf_draw.c, face_key), so this only embeds it. */
static int face_font(pdfw *w, unsigned face) {
    if (face >= QF__COUNT) face = QF_REGULAR;
    if (w->font_of_face[face] >= 0) return w->font_of_face[face];
    qfont *f = qfonts_face(w->dl->fonts, (qfont_face)face, w->d);
    int id = f ? qhpdf_load_font(w->h, f->path, f->data, f->size, f) : -1;
    if (id >= 0) w->font_of_face[face] = id;
    return id;
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

/* A new element under ps.  The Document's kids are kept in the order of
 * the pages they are first drawn on: a pack's own pages are placed after
 * its reports (qpdf_place_unit), and their elements read before them. */
static int new_se(pdfw *w, int ps, const char *role) {
    int se = qhpdf_struct_new(w->h, ps, role);
    if (se < 0 || ps < 0 || ps != w->doc_se) return se;
    size_t at = w->ndk;
    while (at > 0 && w->dk[at - 1].page > w->cur_page) at--;
    if (at < w->ndk) qhpdf_struct_before(w->h, se, w->dk[at].num);
    if (w->ndk == w->cap_dk) {
        w->cap_dk = w->cap_dk ? 2 * w->cap_dk : 64;
        w->dk = realloc(w->dk, w->cap_dk * sizeof *w->dk);
        if (!w->dk) qfatal_oom();
    }
    memmove(w->dk + at + 1, w->dk + at, (w->ndk - at) * sizeof *w->dk);
    w->dk[at].num = qhpdf_struct_num(w->h, se);
    w->dk[at].page = w->cur_page;
    w->ndk++;
    return se;
}

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
    int se = new_se(w, ps, role);
    if (se < 0) return -1;
    w->se[e] = se;
    if (e == 0) w->doc_se = se;
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
    return new_se(w, se, "Link");
}

void qpdf_figure_boxes(pdfw *w) {
    if (!w->tagged) return;
    for (size_t i = 0; i < w->dr.nbox; i++) {
        const struct fbox *b = &w->dr.box[i];
        size_t e = (size_t)b->elem;
        if (b->page >= 0 && e < w->nelems && w->se[e] >= 0)
            qhpdf_struct_bbox(w->h, w->se[e], b->x0, b->y0, b->x1, b->y1);
    }
}

/* The page being placed: its elements are a report's (r), or the
 * document's (r NULL). */
typedef struct placing {
    pdfw *w;
    qpdf_report *r;
} placing;

/* A report's element k > 0 is the document's elem0 + k - 1 (qdlist_append). */
static int doc_elem(const placing *x, int e) {
    return x->r && e > 0 ? e + (int)x->r->elem0 - 1 : e;
}

/* Element e of report r that carries its records (r->own; the pack's
 * list has none of them), made as elem_se makes the document's: the same
 * elements in the same order, so the same bytes.  Its element 0 is the
 * document's Document. */
static int own_se(pdfw *w, qpdf_report *r, int e) {
    if (e == 0) return elem_se(w, 0);
    if (!w->tagged || e < 0 || (size_t)e >= r->nelems) return -1;
    if (r->own_se[e] >= 0) return r->own_se[e];
    const qdl_elem *el = &r->own[e];
    int parent = el->parent < e ? el->parent : 0;
    int ps = own_se(w, r, parent < 0 ? 0 : parent);
    if (ps < 0) return -1;
    if (r->own_se[e] >= 0) return r->own_se[e]; /* made with its row */
    const char *role = el->role < QR__COUNT ? qrole_name(el->role) : "Span";
    int se = new_se(w, ps, role);
    if (se < 0) return -1;
    r->own_se[e] = se;
    elem_attrs(w, se, el);
    if (el->role != QR_TR) return se;
    /* its cells, as qdl_next_cell finds them (row_cells) */
    for (size_t j = (size_t)e + 1; j < r->nelems; j++) {
        const qdl_elem *c = &r->own[j];
        if (c->parent < e || (size_t)c->parent >= j) break;
        if (c->parent == e && (c->role == QR_TH || c->role == QR_TD)) own_se(w, r, (int)j);
    }
    return se;
}

/* The element of a report's (or the document's) element e. */
static int x_elem_se(placing *x, int e) {
    return x->r && x->r->own ? own_se(x->w, x->r, e) : elem_se(x->w, doc_elem(x, e));
}

/* link_se for a page being placed. */
static int x_link_se(placing *x, int elem) {
    qpdf_report *r = x->r;
    if (!r || !r->own) return link_se(x->w, doc_elem(x, elem));
    if (elem < 0 || (size_t)elem >= r->nelems) elem = 0;
    int se = own_se(x->w, r, elem);
    if (se < 0 || r->own[elem].role == QR_LINK) return se;
    return new_se(x->w, se, "Link");
}

static int place_font(void *ctx, int key) {
    return face_font(((placing *)ctx)->w, (unsigned)key);
}
static int place_elem(void *ctx, int e) {
    return x_elem_se(ctx, e);
}

/* A finished page into the document: what its content needs, in the
 * order drawing needed it (the objects' numbers depend on it), then its
 * links. */
static void place_page(pdfw *w, int page, qcv_page *pg, qpdf_report *r) {
    qhpdf *h = w->h;
    placing x = {w, r};
    w->cur_page = page;
    qhpdf_place_fns fns = {place_font, place_elem, &x};
    if (qhpdf_place_page(h, page, pg, &fns) != 0) return;
    for (int i = 0; i < pg->nlinks && !qhpdf_failed(h); i++) {
        const qcv_link *l = &pg->links[i];
        if (l->dest >= 0) {
            qhpdf_link_dest(h, l->x0, l->y0, l->x1, l->y1, l->dest, l->top);
            if (w->tagged) {
                char what[40];
                snprintf(what, sizeof what, "Go to page %d", l->dest + 1);
                qhpdf_tag_annot(h, x_link_se(&x, l->elem), what);
            }
        } else {
            qhpdf_link_uri(h, l->x0, l->y0, l->x1, l->y1, l->uri);
            if (w->tagged) qhpdf_tag_annot(h, x_link_se(&x, l->elem), l->contents);
        }
    }
}

/* The codes dr drew with each font: into the font's subset, and as its
 * ToUnicode map (fonts in the order they were embedded). */
static void set_codes(pdfw *w, const pdfd *dr) {
    for (int id = 0; id < QF__COUNT; id++)
        for (int key = 0; key < QF__COUNT; key++) {
            if (w->font_of_face[key] != id || !dr->codes[key]) continue;
            qhpdf_font_codes(w->h, id, dr->codes[key]);
            qhpdf_set_tounicode(w->h, id, dr->codes[key]);
        }
}

/* What a report drawn apart brings besides its pages: its warnings
 * (said as drawing the document says them: once each), its codes and
 * its Figures' boxes. */
static void take_report(pdfw *w, const qpdf_report *r) {
    for (int i = 0; i < r->dr.nwarn; i++)
        pdfd_warn(&w->dr, r->dr.warn[i].kind, r->dr.warn[i].file);
    for (int key = 0; key < QF__COUNT; key++) {
        if (!r->dr.codes[key]) continue;
        if (!w->dr.codes[key]) {
            w->dr.codes[key] = calloc(1, QHPDF_CODE_BITS);
            if (!w->dr.codes[key]) qfatal_oom();
        }
        for (size_t i = 0; i < r->ncodes[key]; i++)
            w->dr.codes[key][r->codes0[key] + i] |= r->dr.codes[key][i];
    }
}

/* r's Figures' boxes, once its pages are placed: its elements are made
 * then, and the writer keeps no box for them until the save (a box an
 * element of the pack, 7.6 MB at 200 reports; issue 18).  The order the
 * boxes are set in prints nothing: each is its element's. */
static void report_boxes(pdfw *w, qpdf_report *r) {
    if (!w->tagged || !r->dr.box) return;
    placing x = {w, r};
    /* its elements but 0 (the Document, never a Figure) */
    for (size_t i = 0; i < r->nbox; i++) {
        size_t e = r->box0 + i;
        if (e < 1 || r->dr.box[i].page < 0) continue;
        if (r->own ? e >= r->nelems : e + r->elem0 - 1 >= w->nelems) continue;
        int se = r->own ? r->own_se[e] : w->se[doc_elem(&x, (int)e)];
        const struct fbox *b = &r->dr.box[i];
        if (se >= 0) qhpdf_struct_bbox(w->h, se, b->x0, b->y0, b->x1, b->y1);
    }
}

/* The report drawn apart whose pages hold page p, or NULL. */
static qpdf_report *drawn_at(const qpdf_drawn *s, size_t *k, int p) {
    if (!s) return NULL;
    while (*k < s->n && s->reports[*k]->page0 + s->reports[*k]->npages <= p) (*k)++;
    if (*k < s->n && s->reports[*k]->page0 <= p && !s->reports[*k]->failed) return s->reports[*k];
    return NULL;
}

/* Anchor -> (page, top in PDF space); 0 when it was never placed. */
static int anchor_target(pdfw *w, int page, float y, float *top) {
    const qdlist *dl = w->dl;
    if (page < 0 || (size_t)page >= dl->pages.len) return 0;
    const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, page);
    *top = pg->height - y;
    return 1;
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
        const char *t = qpdf_clean_text(&w->dr, o->title, strlen(o->title), NULL);
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
    /* streamed from the start: a pack's writer beside its layout places
     * the pages of PDF appendices into the saved file itself */
    int foreign = qpdf_has_foreign(w->dl) && !w->streamed;
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

/* w's element arrays as long as the list's elements: a pack's grow as
 * its reports are spliced in while a writer beside the layout places
 * the ones before. */
static void grow_elems(pdfw *w) {
    size_t ne = w->dl->elems.len;
    if (!w->tagged || ne <= w->nelems) return;
    /* doubled, not to the exact count: a pack's writer grows it a unit
     * at a time, and copying it whole each time was among the rebuild's
     * most copying (issue 18) */
    size_t cap = w->cap_elems > w->nelems ? w->cap_elems : w->nelems;
    if (ne > cap) {
        cap = cap * 2 > ne ? cap * 2 : ne;
        w->se = realloc(w->se, cap * sizeof *w->se);
        if (!w->se) qfatal_oom();
        w->cap_elems = cap;
    }
    for (size_t i = w->nelems; i < ne; i++) w->se[i] = -1;
    w->nelems = ne;
}

quorum_status qpdf_begin(pdfw *w, const qdlist *dl, const char *path,
                         const quorum_pdf_options *opt, qpdf_sink *o, quorum_diags *d) {
    memset(w, 0, sizeof *w);
    w->dl = dl;
    w->d = d;
    w->path = path;
    w->o = o;
    w->doc_se = -1;
    w->archive = opt ? opt->archive : 0;
    for (int i = 0; i < QF__COUNT; i++) w->font_of_face[i] = -1;
    if (w->archive < 0 || w->archive > 3) {
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: archive level %d (want 1 for PDF/A-1b, "
                  "2 for PDF/A-2a or 3 for PDF/A-3a)", path, w->archive);
        return QUORUM_USAGE;
    }
    w->attach = opt ? opt->attachments : NULL;
    w->attach_style = opt ? opt->attach_style : 0;
    if (((w->attach && w->attach[0]) || w->attach_style) && w->archive != 3) {
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: attachments need PDF/A-3 (archive 3)",
                  path);
        return QUORUM_USAGE;
    }
    if (dl->pages.len == 0) {
        /* libharu would write a file that readers reject. */
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: the document has no pages", path);
        return QUORUM_IO_ERROR;
    }
    w->tagged = !(opt && opt->untagged);  /* the archive's level depends on it */
    pdfd_init(&w->dr, dl, d, path, w->tagged, w->archive, 0);
    w->nelems = w->tagged ? dl->elems.len : 0;
    if (w->archive && !qpdf_archive_strings_ok(w)) {
        pdfd_done(&w->dr);
        return QUORUM_INVALID_INPUT;
    }
    const char *missing = qhpdf_unavailable();
    w->h = missing ? NULL : qhpdf_new();
    if (!w->h) {
        if (missing)
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                            "cannot write %s: PDF writing is not available (%s)",
                            path, missing);
        else
            qdiag_add(d, QUORUM_ERROR, nopos, "cannot write %s: out of memory",
                      path);
        pdfd_done(&w->dr);
        return QUORUM_IO_ERROR;
    }
    if (opt) qhpdf_set_threads(w->h, opt->threads);
    if (w->archive) qhpdf_set_archive(w->h, w->archive);
    if (w->tagged) {
        qhpdf_set_tagged(w->h);
        size_t ne = w->nelems;
        w->se = qpdf_xmalloc((ne ? ne : 1) * sizeof *w->se);
        for (size_t i = 0; i < ne; i++) w->se[i] = -1;
    }
    /* Pages' content to o as each page ends (the save writes the same
     * bytes in the same place); archive copies and included PDFs are
     * saved whole into memory first (take_bytes). */
    w->streamed = !w->archive && !qpdf_has_foreign(dl) &&
                  qhpdf_stream_to(w->h, out_write, o) == 0;
    return QUORUM_OK;
}

void qpdf_abort(pdfw *w) {
    free(w->se);
    free(w->dk);
    pdfd_done(&w->dr);
    qhpdf_free(w->h);
    w->se = NULL;
    w->dk = NULL;
    w->h = NULL;
}

/* Unit u's pages: [first, end). */
static int unit_end(const qdlist *dl, size_t u) {
    return u + 1 < dl->units.len ? QVEC_AT(&dl->units, qdl_unit, u + 1).first
                                 : (int)dl->pages.len;
}

/* Unit u's page objects. */
static void make_pages(pdfw *w, size_t u) {
    const qdlist *dl = w->dl;
    int first = dl->units.len ? QVEC_AT(&dl->units, qdl_unit, u).first : 0;
    int end = dl->units.len ? unit_end(dl, u) : (int)dl->pages.len;
    for (int p = first; p < end && !qhpdf_failed(w->h); p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        qhpdf_add_page_at(w->h, p, pg->width, pg->height);
    }
}

/* Unit u's pages placed, their objects made. */
static int place_made(pdfw *w, size_t u, qpdf_report *r) {
    const qdlist *dl = w->dl;
    int first = dl->units.len ? QVEC_AT(&dl->units, qdl_unit, u).first : 0;
    int end = dl->units.len ? unit_end(dl, u) : (int)dl->pages.len;
    grow_elems(w);
    if (r && r->page0 != first) r = NULL; /* not its pages: drawn here */
    for (int p = first; p < end && !qhpdf_failed(w->h) && !w->font_missing; p++) {
        if (r) {
            if (p == r->page0) take_report(w, r);
            qcv_page *pg = &r->pages[p - r->page0];
            place_page(w, p, pg, r);
            /* its content went with it (the deflate thread frees it);
             * not given back with malloc_trim as it goes: each trim's
             * madvise (a TLB flush of both cores) and the faults after
             * it cost the 50-report pack's write some 50 ms for 8 MiB
             * of peak (issue 18, docs/performance.md) */
            qcv_page_free(pg);
            if (p + 1 == r->page0 + r->npages || p + 1 == end) report_boxes(w, r);
            continue;
        }
        qcv_page pg = {0};
        if (pdfd_page(&w->dr, p, &pg) != 0) w->font_missing = 1;
        else place_page(w, p, &pg, NULL);
        qcv_page_free(&pg);
    }
    return qhpdf_failed(w->h) || w->font_missing ? -1 : 0;
}

/* A pack's unit placed: its elements are final (their parents are its
 * own or the Document), so they are written now, the Figures' boxes of
 * pages drawn here set first, and the writer keeps an element's number
 * and its row of the table, not its record (issue 18: flat memory). */
static void unit_written(pdfw *w, qpdf_report *r) {
    if (!w->tagged || !w->dl->units.len || qhpdf_failed(w->h)) return;
    qpdf_figure_boxes(w);
    w->dr.nbox = 0;
    /* a report's streams from the cache and for it (qpdf_ostms) */
    qhpdf_struct_flush(w->h, r ? r->cached : NULL, r ? r->catch : NULL);
}

int qpdf_place_unit(pdfw *w, size_t u, qpdf_report *r) {
    /* its pages first: links may point forwards (within a report) */
    make_pages(w, u);
    int rc = place_made(w, u, r);
    if (rc == 0) unit_written(w, r);
    return rc;
}

void qpdf_pack_streams(pdfw *w, qpdf_ostms *memo, qpdf_ostms *catch) {
    qhpdf_pack_streams(w->h, memo, catch);
}

int qpdf_unit_late(const qdlist *dl, size_t u) {
    return u < dl->units.len && QVEC_AT(&dl->units, qdl_unit, u).late;
}

static atomic_size_t last_retained;
size_t qpdf_last_retained(void) { return atomic_load(&last_retained); }

/* What w keeps until its save (qpdf_last_retained). */
static size_t retained(const pdfw *w) {
    return w->nelems * sizeof *w->se + w->dr.nbox * sizeof *w->dr.box +
           w->ndk * sizeof *w->dk + qhpdf_records_bytes(w->h) + qhpdf_pool_bytes();
}

quorum_status qpdf_end(pdfw *w) {
    const qdlist *dl = w->dl;
    quorum_status st = QUORUM_IO_ERROR;
    quorum_status attach_st = QUORUM_OK;
    /* the late units: a pack's own pages, finished once every report
     * was laid out, their page objects put in their place, all before
     * any is placed (the agenda points to exempt items' pages) */
    for (size_t u = 0; u < dl->units.len && !qhpdf_failed(w->h); u++)
        if (qpdf_unit_late(dl, u)) make_pages(w, u);
    for (size_t u = 0; u < dl->units.len && !qhpdf_failed(w->h) && !w->font_missing; u++)
        if (qpdf_unit_late(dl, u)) place_made(w, u, NULL);
    grow_elems(w);
    if (!w->font_missing && !qhpdf_failed(w->h)) {
        add_outlines(w);
        set_codes(w, &w->dr);
        if ((w->attach && w->attach[0]) || w->attach_style)
            attach_st = qpdf_add_attachments(w, w->attach, w->attach_style, dl->creation_date);
        if (attach_st == QUORUM_OK) qpdf_add_metadata(w);
    }
    if (attach_st != QUORUM_OK && !qhpdf_failed(w->h)) {
        /* add_attachments has said why: a name clash is the caller's */
        if (attach_st == QUORUM_USAGE) st = QUORUM_USAGE;
    } else if (w->font_missing && !qhpdf_failed(w->h)) {
        /* qfonts_face has named the unreadable file. */
        qdiag_add(w->d, QUORUM_ERROR, nopos,
                  "cannot write %s: a font could not be loaded", w->path);
    } else {
        atomic_store(&last_retained, retained(w));
        st = save_to(w, w->o);
    }
    qpdf_abort(w);
    return st;
}

/* The sink's refusal reaches here only as a libharu error code: noted in
 * o->failed for the caller to word. */
quorum_status qpdf_write(const quorum_layout *l, const char *path,
                         const quorum_pdf_options *opt, qpdf_sink *o,
                         quorum_diags *d) {
    qpdf_drawn *drawn = l->dl->drawn;
    int tagged = !(opt && opt->untagged), archive = opt ? opt->archive : 0;
    if (drawn && (drawn->used || drawn->tagged != tagged || drawn->archive != archive)) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, nopos,
                        "cannot write %s: the pack's reports were drawn for %s", path,
                        drawn->used ? "one write, made already" : "a write with other options");
        return QUORUM_USAGE;
    }
    pdfw w;
    quorum_status st = qpdf_begin(&w, l->dl, path, opt, o, d);
    if (st != QUORUM_OK) return st;
    /* one report's layout (a pack's has units): its own, faster level */
    if (!drawn && l->dl->units.len == 0) qhpdf_set_one_report(w.h);
    /* Each page drawn into a canvas, then placed (the one path a pack's
     * pages drawn on its workers take too); a pack's reports may be drawn
     * already, for these options: their pages are placed as they are
     * (their items are gone, so the layout has no other way to give
     * them), once: each page's bytes go as it is placed (libharu has
     * them), so they do not add to the write's peak.  A pack's units in
     * the order a writer beside its layout places them
     * (qpack_layout_visit): its own pages last. */
    if (drawn) drawn->used = 1;
    size_t nu = l->dl->units.len ? l->dl->units.len : 1, k = 0;
    for (size_t u = 0; u < nu && !qhpdf_failed(w.h) && !w.font_missing; u++) {
        if (qpdf_unit_late(l->dl, u)) continue;
        int first = l->dl->units.len ? QVEC_AT(&l->dl->units, qdl_unit, u).first : 0;
        qpdf_place_unit(&w, u, drawn_at(drawn, &k, first));
    }
    return qpdf_end(&w);
}
