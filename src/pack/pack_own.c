/* A report's own layout, as quorum build lays it out, made from the layout
 * the pack made of it (pack_pages.c's report_alone), so that quorum
 * publish lays each report out once for the pack and its own PDF
 * (issue 17).
 *
 * Why that is the same layout: report_alone lays the report out into a
 * display list of its own, from page 0, with the same style, fonts and
 * flow as quorum_doc_layout, so the pages break where they break alone
 * (a duplex pack's blank pages and the front sheet are the pack's, added
 * when the report is spliced in, after this), and each page's footer is
 * already the report's "Page X of Y" (the pack's own number is added
 * later, qpl_number_report or qpl_finish).  What the pack changes is the
 * structure and the metadata: its elements hang under a Part (element 1)
 * instead of the Document, its headings are one level down (H6 stays H6),
 * its bookmarks one level down, the "Agenda Item N" label (an H1, the
 * last element under the Part, one item on page 0) is added before the
 * style's decoration, and the title, author, subject and dates are the
 * pack's.  Each of those is undone here on a copy; what cannot be undone
 * gives NULL, and the caller lays the report out again:
 * - a heading that is H6 in the pack (H5 or H6 alone: not known);
 * - a report whose language is not the pack's (every element's language
 *   is said where it differs from the list's, and a page's "Page X of Y"
 *   is in the language of its first text, so the two differ).
 * The copy owns everything it points to (texts, names, sources' bytes),
 * so it outlives the pack's layout, which the pack may free or splice. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "dlist.h"
#include "layout.h"
#include "meeting.h"

static const char *dup0(qarena *a, const char *s) { return s ? qarena_strdup(a, s) : NULL; }

#define ELEM(dl, k) QVEC_AT(&(dl)->elems, qdl_elem, (k))

/* The label's element (see above), or -1 when alone is not in the form
 * report_alone leaves. */
static int find_label(const qdlist *alone) {
    size_t n = alone->elems.len;
    if (n < 3 || ELEM(alone, 1).role != QR_PART || ELEM(alone, 1).parent != 0) return -1;
    int label = -1;
    for (size_t k = 2; k < n; k++)
        if (ELEM(alone, k).parent == 1) label = (int)k;
    if (label < 0 || ELEM(alone, label).role != QR_H1) return -1;
    for (size_t k = 2; k < n; k++) {
        const qdl_elem *el = &ELEM(alone, k);
        if (el->parent == label) return -1;
        /* the report's headings: H2..H5 in the pack are H1..H4 alone */
        if ((int)k < label && (el->role == QR_H1 || el->role == QR_H6)) return -1;
    }
    return label;
}

/* Element k of alone as the copy numbers it: the Part's place is the
 * Document's, and the label (GONE) is left out. */
enum { GONE = -1000 };
static int map_elem(int k, int label) {
    if (k < 0) return k; /* an artifact's kind */
    if (k <= 1) return 0;
    if (k < label) return k - 1;
    return k == label ? GONE : k - 2;
}

/* Page pg's items into the copy's page, their elements renumbered and
 * their texts copied; the label's item left out (counted in *labels). */
static void copy_items(qdlist *dl, qdl_page *to, const qdl_page *from, int label,
                       size_t *labels) {
    const qdl_item *src = from->items.data;
    size_t n = from->items.len, k = 0;
    qdl_item *out = qarena_alloc_uninit(dl->arena, (n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        int e = map_elem(src[i].elem, label);
        if (e == GONE) {
            (*labels)++;
            continue;
        }
        qdl_item *it = &out[k++];
        *it = src[i];
        it->elem = e;
        if (!it->text) continue;
        /* a line's text and a mark's word are counted (len), the rest
         * (a link's URI, an image's name) are strings */
        it->text = it->kind == QDL_TEXT || it->kind == QDL_MARK
                       ? qarena_strndup(dl->arena, it->text, it->len)
                       : qarena_strdup(dl->arena, it->text);
    }
    to->items.data = out;
    to->items.len = k;
    to->items.cap = n ? n : 1;
}

/* The report's own title, author, subject, language and dates, as
 * quorum_doc_layout gives them.  0, or -1 when its regular face cannot
 * be read (said in d). */
static int own_metadata(const quorum_engine *e, const qstyle *style, qdlist *dl,
                        const quorum_doc *doc, quorum_diags *d) {
    const qstyle *outer = S;
    S = style;
    L l;
    int rc = ql_ctx_init(&l, dl, doc, d);
    if (rc == 0) {
        ql_metadata(&l, 1);
        ql_ctx_done(&l);
    }
    S = outer;
    const qnode *md = qdoc_field(doc, "meeting-date");
    const char *made = qdate_document(dl->arena, e->source_date_epoch,
                                      md ? qdoc_attr(md, "date") : NULL);
    if (made) dl->creation_date = qarena_strdup(dl->arena, made);
    return rc;
}

quorum_layout *qpl_own_layout(const quorum_engine *e, const qstyle *style,
                              const char *font_dir, const qdlist *alone,
                              const quorum_doc *doc, quorum_diags *d) {
    if (!e || !style || !alone || !doc || !doc->root || alone->drawn) return NULL;
    const char *lang = ql_doc_lang(doc);
    if (!alone->lang || strcmp(alone->lang, lang ? lang : "en-GB") != 0) return NULL;
    int label = find_label(alone);
    if (label < 0 || ELEM(alone, 1).lang) return NULL;
    for (size_t k = 0; k < alone->outlines.len; k++)
        if (QVEC_AT(&alone->outlines, qdl_outline, k).level < 2) return NULL;

    const char *dir = font_dir && *font_dir ? font_dir : e->font_dir;
    qfonts *fonts = qfonts_new(e->fonts, dir);
    for (int i = 0; i < QF__COUNT; i++)
        if (style->font[i]) qfonts_set_path(fonts, (qfont_face)i, style->font[i]);
    qdlist *dl = qdlist_new_chunked(fonts, 1 << 16);
    qarena *a = dl->arena;
    note_style_files(dl, style);
    for (size_t k = 0; k < alone->sources.len; k++) {
        const qdl_source *s = &QVEC_AT(&alone->sources, qdl_source, k);
        qdlist_add_source(dl, s->name, s->bytes, s->len);
    }
    int ok = 1;
    for (size_t k = 0; k < alone->images.len && ok; k++) {
        const qdl_image *im = &QVEC_AT(&alone->images, qdl_image, k);
        ok = qdlist_add_image(dl, im->name, im->img) == (int)k;
    }
    for (size_t k = 2; k < alone->elems.len; k++) {
        if ((int)k == label) continue;
        qdl_elem el = ELEM(alone, k);
        el.parent = map_elem(el.parent, label);
        if ((int)k < label && el.role >= QR_H2 && el.role <= QR_H5) el.role = (qrole)(el.role - 1);
        el.alt = dup0(a, el.alt);
        el.lang = dup0(a, el.lang);
        el.actual = dup0(a, el.actual);
        *(qdl_elem *)qvec_push(a, &dl->elems) = el;
    }
    size_t labels = 0;
    for (size_t p = 0; p < alone->pages.len && ok; p++) {
        const qdl_page *from = &QVEC_AT(&alone->pages, qdl_page, p);
        qdl_page *to = qdlist_add_page(dl, from->width, from->height);
        if (from->foreign) {
            const qdl_source *s = qdlist_source(dl, from->foreign);
            if (!s) {
                ok = 0;
                break;
            }
            to->foreign = s->name;
            to->foreign_page = from->foreign_page;
            to->fx = from->fx; to->fy = from->fy; to->fw = from->fw; to->fh = from->fh;
        }
        copy_items(dl, to, from, label, &labels);
        if (p == 0 && labels != 1) ok = 0;
    }
    if (labels != 1) ok = 0;
    for (size_t k = 0; k < alone->anchors.len; k++)
        *(qdl_anchor *)qvec_push(a, &dl->anchors) = QVEC_AT(&alone->anchors, qdl_anchor, k);
    for (size_t k = 0; k < alone->outlines.len; k++) {
        const qdl_outline *o = &QVEC_AT(&alone->outlines, qdl_outline, k);
        qdlist_add_outline(dl, dup0(a, o->title), o->level - 1, o->page, o->y);
    }
    for (size_t k = 0; k < alone->inputs.len; k++)
        qdlist_add_input(dl, QVEC_AT(&alone->inputs, const char *, k));
    if (!ok || own_metadata(e, style, dl, doc, d) != 0) {
        qdlist_free(dl);
        return NULL;
    }
    return qdlist_to_layout(dl);
}
