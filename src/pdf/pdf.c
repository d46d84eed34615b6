/* The PDF device: draws the display list through the libharu adapter and
 * writes the file safely (temporary file beside the target, checked
 * writes, rename), so a failed write never damages the previous file.
 * Archive copies are also fsynced with their directory before and after
 * the rename, so the formal record survives a power cut; ordinary builds
 * are not (that cost 2-12 ms a build, a third of the sample report's time
 * budget, for a file that can be regenerated), and rely on the
 * filesystem ordering a replace-by-rename after the data (ext4's
 * auto_da_alloc, XFS, btrfs do).  Everything libharu-specific lives in
 * hpdf_adapter.c.
 *
 * Archive copies (PDF/A-1b, PDF/A-3b) add what PDF/A asks for: XMP
 * metadata written here from the same cleaned strings as the information
 * dictionary (so the two agree, as PDF/A requires), dates only from the
 * display list's creation date, attachments for PDF/A-3b, and a document
 * ID hashed from the finished file. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "dlist.h"
#include "font.h"
#include "pdf.h"
#include "pdf.h"
#include "quorum.h"
#include "style.h"

#define MAX_OUTLINE_DEPTH 16
#define MAX_ATTACHMENT (256L << 20)
#define MAX_WARNED_IMAGES 16

typedef struct pdfw {
    const qdlist *dl;
    qhpdf *h;
    quorum_diags *d;
    const char *path;
    int font_of_face[QF__COUNT];   /* adapter font id, -1 = not loaded */
    int face_failed[QF__COUNT];
    uint8_t *codes[QF__COUNT];     /* by font id: code points drawn */
    uint8_t *face_codes[QF__COUNT]; /* by face: the same, known up front */
    char *buf;                     /* one NUL-terminated text run */
    size_t cap;
    int warned_utf8, warned_astral, warned_anchor, warned_outline;
    int archive;                   /* 0, 1 or 3 */
    int warned_alpha;
    const char *warned_images[MAX_WARNED_IMAGES];
    int nwarned_images;
    int tagged;                    /* structure tree (PDF/UA) */
    int *se;                       /* by dlist elem: adapter element, -1 = none yet */
    struct fbox { float x0, y0, x1, y1; int page; } *box; /* Figures' bounds */
} pdfw;

static const qpos nopos = {0, 0, 0};

static char *meta_clean(struct pdfw *w, const char *s);

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) qfatal_oom();
    return p;
}

/* The code points clean_text will pass on for s: the same rules (invalid
 * UTF-8, NUL and characters above U+FFFF become '?'), without warnings. */
static void scan_text(const char *s, size_t len, uint8_t *codes) {
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        int n = 1;
        if (c < 0x20 || c >= 0x80) {
            n = qutf8_decode(s + i, len - i, &cp);
            if (n == 0 || cp == 0 || cp > 0xFFFF) cp = '?';
        }
        codes[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        i += n ? (size_t)n : 1;
    }
}

/* Before any font is loaded: the code points drawn with each face, so
 * the adapter sets each font up for exactly those (hpdf_adapter.c,
 * WORKAROUND 12).  The space is always included: the writer may add word
 * spaces of its own (tagged PDF). */
static void scan_faces(pdfw *w) {
    const qdlist *dl = w->dl;
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        const qdl_item *items = pg->items.data;
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &items[i];
            if (it->kind != QDL_TEXT || !it->text || it->len == 0) continue;
            unsigned face = it->face < QF__COUNT ? it->face : QF_REGULAR;
            if (!w->face_codes[face]) {
                w->face_codes[face] = calloc(1, QHPDF_CODE_BITS);
                if (!w->face_codes[face]) qfatal_oom();
            }
            scan_text(it->text, it->len, w->face_codes[face]);
            w->face_codes[face][' ' >> 3] |= (uint8_t)(1u << (' ' & 7));
        }
    }
}

/* The code points of every face read from `path` (faces share files:
 * the heading and table families default to the body's), or NULL when
 * the display list was not scanned.  The caller frees it. */
static uint8_t *codes_of_file(pdfw *w, unsigned face, const char *path) {
    if (!w->face_codes[face]) return NULL;
    uint8_t *u = xmalloc(QHPDF_CODE_BITS);
    memcpy(u, w->face_codes[face], QHPDF_CODE_BITS);
    for (unsigned g = 0; g < QF__COUNT; g++) {
        if (g == face || !w->face_codes[g]) continue;
        qfont *f = qfonts_face(w->dl->fonts, (qfont_face)g, w->d);
        if (!f || strcmp(f->path, path) != 0) continue;
        for (size_t k = 0; k < QHPDF_CODE_BITS; k++) u[k] |= w->face_codes[g][k];
    }
    return u;
}

/* Adapter font id for a face, loading the face on first use: only faces
 * that some text is drawn with are embedded. */
static int face_font(pdfw *w, unsigned face) {
    if (face >= QF__COUNT) face = QF_REGULAR;
    if (w->font_of_face[face] >= 0) return w->font_of_face[face];
    if (w->face_failed[face]) return -1;
    qfont *f = qfonts_face(w->dl->fonts, (qfont_face)face, w->d);
    uint8_t *codes = f ? codes_of_file(w, face, f->path) : NULL;
    int id = f ? qhpdf_load_font(w->h, f->path, codes) : -1;
    free(codes);
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
static const char *clean_text(pdfw *w, const char *s, size_t len,
                              uint8_t *codes) {
    if (len + 2 > w->cap) {  /* room for a word space (ends_word) */
        size_t cap = w->cap ? w->cap : 256;
        while (cap < len + 2) cap *= 2;
        free(w->buf);
        w->buf = xmalloc(cap);
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
        char *lang = meta_clean(w, el->lang);
        qhpdf_struct_lang(w->h, se, lang);
        free(lang);
    }
    if (el->role == QR_TH) qhpdf_struct_scope(w->h, se, el->scope == 1);
    if (el->alt && el->alt[0]) {
        char *alt = meta_clean(w, el->alt);
        /* A table's caption is a summary; /Alt would replace the whole
         * table for a screen reader. */
        if (el->role == QR_TABLE) qhpdf_struct_summary(w->h, se, alt);
        else qhpdf_struct_alt(w->h, se, alt);
        free(alt);
    }
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
    const char *role = el->role < QR__COUNT ? qrole_name(el->role) : "Span";
    int se = qhpdf_struct_new(w->h, ps, role);
    if (se < 0) return -1;
    w->se[e] = se;
    elem_attrs(w, se, el);
    return se;
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

static void mark(pdfw *w, int elem) {
    if (w->tagged)
        qhpdf_mark(w->h, decorative(w, elem) ? -1 : elem_se(w, elem));
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

static void figure_boxes(pdfw *w) {
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
            mark(w, it->elem);
            figure_box(w, it, pno, H);
            const char *s = clean_text(w, it->text, it->len, w->codes[font]);
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
            mark(w, it->elem);
            figure_box(w, it, pno, H);
            qhpdf_fill(h, it->x, H - it->y - it->h, it->w, it->h, it->color);
            break;
        case QDL_RULE:
            mark(w, it->elem);
            figure_box(w, it, pno, H);
            qhpdf_line(h, it->x, H - it->y, it->x + it->w, H - (it->y + it->h),
                       it->size, it->color);
            break;
        case QDL_IMAGE:
            if (!it->text) break;
            mark(w, it->elem);
            figure_box(w, it, pno, H);
            int r = qhpdf_image(h, it->text, it->x, H - it->y - it->h, it->w,
                                it->h);
            if (r < 0)
                warn_image(w, it->text);
            else if (r > 0 && !w->warned_alpha++)
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: PDF/A-1 allows no transparency; image %s is "
                          "drawn without its alpha channel", w->path,
                          it->text);
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
                char *uri = meta_clean(w, it->text);
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
        const char *t = clean_text(w, o->title, strlen(o->title), NULL);
        stack[level] = qhpdf_outline(w->h, parent, t, o->page, top);
        for (int l = level + 1; l <= MAX_OUTLINE_DEPTH; l++) stack[l] = -1;
    }
}

static int days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

/* A growing byte buffer (metadata only: not a hot path). */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) qfatal_oom();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* XML character data and attribute values alike. */
static void sb_xml(sbuf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_str(b, "&amp;"); break;
        case '<': sb_str(b, "&lt;"); break;
        case '>': sb_str(b, "&gt;"); break;
        case '"': sb_str(b, "&quot;"); break;
        case '\'': sb_str(b, "&apos;"); break;
        default: sb_put(b, s, 1); break;
        }
    }
}

/* A metadata string as both the information dictionary and XMP can carry
 * it: valid UTF-8 up to U+FFFF (libharu's limit), no control characters
 * (XML 1.0 forbids them).  NULL or empty in, NULL out. */
static char *meta_clean(struct pdfw *w, const char *s) {
    if (!s || !s[0]) return NULL;
    const char *c = clean_text(w, s, strlen(s), NULL);
    char *r = strdup(c);
    if (!r) qfatal_oom();
    for (char *q = r; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7F) *q = ' ';
    return r;
}

static void xmp_simple(sbuf *b, const char *tag, const char *v) {
    if (!v) return;
    sb_str(b, "   <");
    sb_str(b, tag);
    sb_str(b, ">");
    sb_xml(b, v);
    sb_str(b, "</");
    sb_str(b, tag);
    sb_str(b, ">\n");
}

/* dc:title and dc:description are language alternatives, dc:creator an
 * ordered list; PDF/A compares their first item with the info entry. */
static void xmp_list(sbuf *b, const char *tag, const char *kind,
                     const char *v) {
    if (!v) return;
    sb_str(b, "   <");
    sb_str(b, tag);
    sb_str(b, "><rdf:");
    sb_str(b, kind);
    sb_str(b, strcmp(kind, "Alt") == 0 ? "><rdf:li xml:lang=\"x-default\">"
                                       : "><rdf:li>");
    sb_xml(b, v);
    sb_str(b, "</rdf:li></rdf:");
    sb_str(b, kind);
    sb_str(b, "></");
    sb_str(b, tag);
    sb_str(b, ">\n");
}

enum { META_TITLE, META_AUTHOR, META_SUBJECT, META_KEYWORDS, META_CREATOR,
       META_PRODUCER, META_LANG, META__COUNT };

static void build_xmp(sbuf *b, char *const *m, const char *date, int part,
                      int ua) {
    sb_str(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    sb_str(b, "  <rdf:Description rdf:about=\"\" "
              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    xmp_simple(b, "dc:format", "application/pdf");
    xmp_list(b, "dc:title", "Alt", m[META_TITLE]);
    xmp_list(b, "dc:creator", "Seq", m[META_AUTHOR]);
    xmp_list(b, "dc:description", "Alt", m[META_SUBJECT]);
    xmp_list(b, "dc:language", "Bag", m[META_LANG]);
    char stamp[40] = "";
    if (date) {
        /* The meeting date (or SOURCE_DATE_EPOCH's day) is the document's
         * date: dc:date; creation and modification are that midnight UTC,
         * as in the information dictionary. */
        xmp_list(b, "dc:date", "Seq", date);
        snprintf(stamp, sizeof stamp, "%sT00:00:00+00:00", date);
    }
    sb_str(b, "  </rdf:Description>\n");
    sb_str(b, "  <rdf:Description rdf:about=\"\" "
              "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    xmp_simple(b, "xmp:CreatorTool", m[META_CREATOR]);
    if (date) {
        xmp_simple(b, "xmp:CreateDate", stamp);
        xmp_simple(b, "xmp:ModifyDate", stamp);
        xmp_simple(b, "xmp:MetadataDate", stamp);
    }
    sb_str(b, "  </rdf:Description>\n");
    sb_str(b, "  <rdf:Description rdf:about=\"\" "
              "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    xmp_simple(b, "pdf:Producer", m[META_PRODUCER]);
    xmp_simple(b, "pdf:Keywords", m[META_KEYWORDS]);
    sb_str(b, "  </rdf:Description>\n");
    if (part) {
        sb_str(b, "  <rdf:Description rdf:about=\"\" "
                  "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n");
        xmp_simple(b, "pdfaid:part", part == 3 ? "3" : "1");
        xmp_simple(b, "pdfaid:conformance", "B");
        sb_str(b, "  </rdf:Description>\n");
    }
    if (ua) {
        sb_str(b, "  <rdf:Description rdf:about=\"\" "
                  "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n");
        xmp_simple(b, "pdfuaid:part", "1");
        sb_str(b, "  </rdf:Description>\n");
    }
    if (ua && part) {
        /* PDF/A knows pdfuaid only when the file describes it. */
        sb_str(b,
"  <rdf:Description rdf:about=\"\" "
"xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
"xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
"xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
"   <pdfaExtension:schemas>\n"
"    <rdf:Bag>\n"
"     <rdf:li rdf:parseType=\"Resource\">\n"
"      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
"      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
"      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
"      <pdfaSchema:property>\n"
"       <rdf:Seq>\n"
"        <rdf:li rdf:parseType=\"Resource\">\n"
"         <pdfaProperty:name>part</pdfaProperty:name>\n"
"         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
"         <pdfaProperty:category>internal</pdfaProperty:category>\n"
"         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\n"
"        </rdf:li>\n"
"       </rdf:Seq>\n"
"      </pdfaSchema:property>\n"
"     </rdf:li>\n"
"    </rdf:Bag>\n"
"   </pdfaExtension:schemas>\n"
"  </rdf:Description>\n");
    }
    sb_str(b, " </rdf:RDF>\n"
              "</x:xmpmeta>\n"
              "<?xpacket end=\"w\"?>");
}

/* "YYYY-MM-DD" -> 1 and the parts, or 0. */
static int parse_date(const char *s, int *y, int *m, int *day) {
    int end = 0;
    return sscanf(s, "%4d-%2d-%2d%n", y, m, day, &end) == 3 && end == 10 &&
           s[10] == 0 && *y >= 1000 && *m >= 1 && *m <= 12 && *day >= 1 &&
           *day <= days_in_month(*y, *m);
}

static void add_metadata(pdfw *w) {
    const qdlist *dl = w->dl;
    char *m[META__COUNT];
    m[META_TITLE] = meta_clean(w, dl->title);
    m[META_AUTHOR] = meta_clean(w, dl->author);
    m[META_SUBJECT] = meta_clean(w, dl->subject);
    m[META_KEYWORDS] = meta_clean(w, dl->keywords);
    m[META_CREATOR] = meta_clean(w, "quorum");
    m[META_PRODUCER] = meta_clean(w, "quorum " QUORUM_VERSION_STRING
                                     " (libharu 2.3.0)");
    m[META_LANG] = meta_clean(w, dl->lang && dl->lang[0] ? dl->lang : "en-GB");
    qhpdf_info(w->h, m[META_TITLE], m[META_AUTHOR], m[META_SUBJECT],
               m[META_KEYWORDS], m[META_CREATOR], m[META_PRODUCER]);
    const char *date = NULL;
    if (dl->creation_date) {
        int y, mo, day;
        if (parse_date(dl->creation_date, &y, &mo, &day)) {
            date = dl->creation_date;
            if (w->archive) qhpdf_archive_dates(w->h, y, mo, day);
            else qhpdf_creation_date(w->h, y, mo, day);
        } else {
            qdiag_add(w->d, QUORUM_WARNING, nopos,
                      "%s: creation date \"%s\" is not a valid YYYY-MM-DD "
                      "date; left out", w->path, dl->creation_date);
        }
    }
    qhpdf_catalog(w->h, m[META_LANG], dl->outlines.len > 0);
    figure_boxes(w);
    qhpdf_struct_finish(w->h);
    /* PDF/UA asks for XMP as PDF/A does: plain tagged files get it too. */
    if (w->archive || w->tagged) {
        sbuf x = {0};
        build_xmp(&x, m, date, w->archive, w->tagged);
        qhpdf_metadata(w->h, x.p, x.len);
        free(x.p);
    }
    if (w->archive) qhpdf_archive_finish(w->h);
    for (int i = 0; i < META__COUNT; i++) free(m[i]);
}

/* ---- attachments (PDF/A-3b) --------------------------------------------- */

int qpdf_safe_name(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)name[i];
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) return 0;
        if (c < 0x80) { i++; continue; }
        uint32_t cp;
        int k = qutf8_decode(name + i, n - i, &cp);
        if (k == 0) return 0;
        i += (size_t)k;
    }
    return 1;
}

static char *read_whole(const char *path, size_t *len, int *err) {
    FILE *f = fopen(path, "rb");
    if (!f) { *err = errno; return NULL; }
    char *p = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)MAX_ATTACHMENT) { *err = EFBIG; break; }
            cap = cap ? cap * 2 : 65536;
            char *q = realloc(p, cap);
            if (!q) qfatal_oom();
            p = q;
        }
        size_t k = fread(p + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            if (ferror(f)) *err = errno ? errno : EIO;
            else { fclose(f); *len = n; return p; }
            break;
        }
    }
    fclose(f);
    free(p);
    return NULL;
}

/* One file to embed: read from path, or data already in memory (the
 * built-in style). */
typedef struct attachment {
    const char *path;           /* NULL = data */
    const unsigned char *data;
    size_t len;
    const char *name;           /* base name, the name extract writes */
    const char *what;           /* for diagnostics: "source", "style file" */
    const char *desc;
    int again;                  /* the same path as an earlier one: left out */
} attachment;

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The directories of two paths are the same string ("." for a bare
 * name). */
static int same_dir(const char *a, const char *b) {
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    const char *da = sa ? a : ".", *db = sb ? b : ".";
    size_t na = sa ? (size_t)(sa - a) : 1, nb = sb ? (size_t)(sb - b) : 1;
    return na == nb && memcmp(da, db, na) == 0;
}

/* The MIME type: PNG and JPEG by their signatures (an image drawn from
 * "chart.PNG" or "photo" is still one), else by the name's ending. */
static const char *mime_of(const char *name, const unsigned char *data,
                           size_t len) {
    if (data && len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (data && len >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0)
        return "image/jpeg";
    size_t n = strlen(name);
#define ENDS(s) (n > sizeof s - 1 && strcasecmp(name + n - (sizeof s - 1), s) == 0)
    if (ENDS(".xml")) return "text/xml";
    if (ENDS(".png")) return "image/png";
    if (ENDS(".jpg") || ENDS(".jpeg")) return "image/jpeg";
#undef ENDS
    return "application/octet-stream";
}

static int is_image_name(const char *name) {
    return strncmp(mime_of(name, NULL, 0), "image/", 6) == 0;
}

/* The given files (the report or meeting file, appendices, then the
 * images drawn), then (attach_style) the layout's house style: its file,
 * or the built-in style's XML as committee.xml, then the logo it names.
 * A path given twice (a report's image that is also the style's logo) is
 * attached once.  Every name is a plain file name and no two are the
 * same, since quorum extract writes them all into one directory: a clash
 * is the caller's to resolve (QUORUM_USAGE), an unreadable file an I/O
 * failure. */
static quorum_status add_attachments(pdfw *w, const char *const *paths,
                                     int attach_style, const char *date) {
    char pdfdate[32] = "";
    int y, mo, day;
    if (date && parse_date(date, &y, &mo, &day))
        snprintf(pdfdate, sizeof pdfdate, "D:%04d%02d%02d000000+00'00'", y, mo,
                 day);
    size_t np = 0;
    while (paths && paths[np]) np++;
    attachment *at = xmalloc((np + 2) * sizeof *at);
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        int image = i > 0 && is_image_name(paths[i]);
        at[n++] = (attachment){paths[i], NULL, 0, base_name(paths[i]),
                               image ? "image" : "source",
                               i == 0 ? "Source of this document (quorum report)"
                               : image ? "Image in this document"
                                       : "Source of this document", 0};
    }
    const qdlist *dl = w->dl;
    if (attach_style) {
        /* one description for the built-in style and a style file: a
         * rebuild with --style DIR/committee.xml gives the same bytes */
        const char *desc = "House style of this document (quorum style)";
        if (dl->style_file)
            at[n++] = (attachment){dl->style_file, NULL, 0,
                                   base_name(dl->style_file), "style file", desc, 0};
        else
            at[n++] = (attachment){NULL, qstyle_builtin_xml, qstyle_builtin_xml_len,
                                   QSTYLE_BUILTIN_FILE, "built-in style", desc, 0};
        if (dl->style_logo) {
            at[n++] = (attachment){dl->style_logo, NULL, 0, base_name(dl->style_logo),
                                   "style logo", "Logo of the house style", 0};
            if (dl->style_file && !same_dir(dl->style_file, dl->style_logo))
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: the style's logo %s is not beside the style file "
                          "%s: a rebuild from the files quorum extract gives "
                          "back will not find it there", w->path, dl->style_logo,
                          dl->style_file);
        }
    }
    quorum_status st = QUORUM_OK;
    for (size_t i = 0; i < n && st == QUORUM_OK; i++) {
        if (!qpdf_safe_name(at[i].name)) {
            qdiag_add(w->d, QUORUM_ERROR, nopos,
                      "cannot write %s: attachment %s has no usable file name",
                      w->path, at[i].path ? at[i].path : at[i].name);
            st = QUORUM_USAGE;
        }
        for (size_t j = 0; j < i && st == QUORUM_OK && !at[i].again; j++) {
            if (at[j].again || strcmp(at[j].name, at[i].name) != 0) continue;
            if (at[i].path && at[j].path && strcmp(at[i].path, at[j].path) == 0) {
                at[i].again = 1;
                break;
            }
            qdiag_add(w->d, QUORUM_ERROR, nopos,
                      "cannot write %s: two attachments are named %s (the %s "
                      "%s and the %s %s); quorum extract gives them back into "
                      "one directory, so rename one of the files", w->path,
                      at[i].name, at[j].what, at[j].path ? at[j].path : "",
                      at[i].what, at[i].path ? at[i].path : "");
            st = QUORUM_USAGE;
        }
    }
    for (size_t i = 0; i < n && st == QUORUM_OK; i++) {
        if (at[i].again) continue;
        size_t len = at[i].len;
        int err = 0;
        char *data = at[i].path ? read_whole(at[i].path, &len, &err) : NULL;
        if (at[i].path && !data) {
            qdiag_add(w->d, QUORUM_ERROR, nopos,
                      "cannot write %s: cannot read attachment %s: %s",
                      w->path, at[i].path, strerror(err ? err : EIO));
            st = QUORUM_IO_ERROR;
            break;
        }
        const unsigned char *bytes =
            data ? (const unsigned char *)data : at[i].data;
        qhpdf_attach(w->h, at[i].name, bytes, len, mime_of(at[i].name, bytes, len),
                     at[i].desc, pdfdate[0] ? pdfdate : NULL);
        free(data);
        if (qhpdf_failed(w->h)) st = QUORUM_IO_ERROR;
    }
    free(at);
    return st;
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

/* Counts the sink's refusal, which the adapter reports only as a libharu
 * error code: the caller words it. */
typedef struct outsink {
    quorum_write_fn fn;
    void *ctx;
    int failed;
} outsink;

static int out_write(void *ctx, const void *p, size_t n) {
    outsink *o = ctx;
    if (o->failed || o->fn(o->ctx, p, n) != 0) {
        o->failed = 1;
        return -1;
    }
    return 0;
}

/* Serialises the finished document through o.  QUORUM_OK, or
 * QUORUM_IO_ERROR with a diagnostic unless the sink refused (o->failed:
 * the caller knows why). */
static quorum_status save_to(pdfw *w, outsink *o) {
    if (w->archive) {
        size_t size = 0;
        unsigned char *bytes = take_bytes(w, &size);
        if (!bytes) return QUORUM_IO_ERROR;
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

/* Draws the layout and saves it through o.  path names the output in
 * diagnostics. */
static quorum_status write_pdf(const quorum_layout *l, const char *path,
                               const quorum_pdf_options *opt, outsink *o,
                               quorum_diags *d) {
    pdfw w;
    memset(&w, 0, sizeof w);
    w.dl = l->dl;
    w.d = d;
    w.path = path;
    w.archive = opt ? opt->archive : 0;
    for (int i = 0; i < QF__COUNT; i++) w.font_of_face[i] = -1;
    if (w.archive != 0 && w.archive != 1 && w.archive != 3) {
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: archive level %d (want 1 for PDF/A-1b or "
                  "3 for PDF/A-3b)", path, w.archive);
        return QUORUM_USAGE;
    }
    const char *const *attach = opt ? opt->attachments : NULL;
    int attach_style = opt ? opt->attach_style : 0;
    if (((attach && attach[0]) || attach_style) && w.archive != 3) {
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: attachments need PDF/A-3b (archive 3)",
                  path);
        return QUORUM_USAGE;
    }
    if (w.dl->pages.len == 0) {
        /* libharu would write a file that readers reject. */
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write %s: the document has no pages", path);
        return QUORUM_IO_ERROR;
    }
    w.h = qhpdf_new();
    if (!w.h) {
        qdiag_add(d, QUORUM_ERROR, nopos, "cannot write %s: out of memory",
                  path);
        return QUORUM_IO_ERROR;
    }
    if (w.archive) qhpdf_set_archive(w.h, w.archive);
    w.tagged = !(opt && opt->untagged);
    if (w.tagged) {
        qhpdf_set_tagged(w.h);
        size_t ne = w.dl->elems.len;
        w.se = xmalloc((ne ? ne : 1) * sizeof *w.se);
        w.box = xmalloc((ne ? ne : 1) * sizeof *w.box);
        for (size_t i = 0; i < ne; i++) {
            w.se[i] = -1;
            w.box[i].page = -1;
        }
    }
    quorum_status st = QUORUM_IO_ERROR;
    const qdlist *dl = w.dl;
    int font_missing = 0;
    quorum_status attach_st = QUORUM_OK;

    scan_faces(&w);
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
    for (int f = 0; f < QF__COUNT; f++) {  /* every font is loaded now */
        free(w.face_codes[f]);
        w.face_codes[f] = NULL;
    }
    if (!font_missing && !qhpdf_failed(w.h)) {
        add_outlines(&w);
        for (int id = 0; id < QF__COUNT; id++)
            if (w.codes[id]) qhpdf_set_tounicode(w.h, id, w.codes[id]);
        if ((attach && attach[0]) || attach_style)
            attach_st = add_attachments(&w, attach, attach_style, dl->creation_date);
        if (attach_st == QUORUM_OK) add_metadata(&w);
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

/* ---- the entry points ---------------------------------------------------- */

/* A file replaced atomically (src/util/atomic.h), created at the first
 * byte so nothing is made for a document that fails before it is saved. */
typedef struct filesink {
    const char *path;
    int durability;
    qatomic *a;
    int err;             /* errno value of the first failure */
} filesink;

static int file_write(void *ctx, const void *p, size_t n) {
    filesink *f = ctx;
    if (f->err) return -1;
    if (!f->a) {
        f->a = qatomic_open(f->path, f->durability);
        if (!f->a) {
            f->err = errno ? errno : EIO;
            return -1;
        }
    }
    if (qatomic_write(f->a, p, n) != 0) {
        f->err = qatomic_error(f->a);
        return -1;
    }
    return 0;
}

quorum_status quorum_layout_write_pdf(const quorum_layout *l, const char *path,
                                      quorum_diags *d) {
    return quorum_layout_write_pdf_opts(l, path, NULL, d);
}

quorum_status quorum_layout_write_pdf_opts(const quorum_layout *l,
                                           const char *path,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d) {
    /* Archive copies are the formal record: they must survive a power
     * cut.  Ordinary output can be made again (README says why it skips
     * the fsync). */
    filesink f = {path, opt && opt->archive ? QATOMIC_DURABLE : QATOMIC_ORDINARY,
                  NULL, 0};
    outsink o = {file_write, &f, 0};
    quorum_status st = write_pdf(l, path, opt, &o, d);
    if (st == QUORUM_OK && !f.a) file_write(&f, "", 0); /* opens the file */
    if (st == QUORUM_OK) {
        int err = qatomic_commit(f.a);
        f.a = NULL;
        if (err) {
            f.err = err;
            st = QUORUM_IO_ERROR;
        }
    }
    qatomic_abort(f.a);
    if (f.err)
        qdiag_add(d, QUORUM_ERROR, nopos, "cannot write %s: %s", path,
                  strerror(f.err));
    return st;
}

quorum_status quorum_layout_write_pdf_sink(const quorum_layout *l,
                                           quorum_write_fn fn, void *ctx,
                                           const quorum_pdf_options *opt,
                                           quorum_diags *d) {
    outsink o = {fn, ctx, 0};
    quorum_status st = write_pdf(l, "the PDF output", opt, &o, d);
    if (o.failed)
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write the PDF output: the sink refused it");
    return st;
}

typedef struct membuf {
    unsigned char *p;
    size_t n, cap;
} membuf;

static int mem_write(void *ctx, const void *p, size_t n) {
    membuf *m = ctx;
    if (n > m->cap - m->n) {
        size_t cap = m->cap ? m->cap : 1 << 16;
        while (n > cap - m->n) {
            if (cap > SIZE_MAX / 2) return -1;
            cap *= 2;
        }
        unsigned char *q = realloc(m->p, cap);
        if (!q) return -1;
        m->p = q;
        m->cap = cap;
    }
    memcpy(m->p + m->n, p, n);
    m->n += n;
    return 0;
}

quorum_status quorum_layout_write_pdf_memory(const quorum_layout *l,
                                             const quorum_pdf_options *opt,
                                             unsigned char **bytes,
                                             size_t *len, quorum_diags *d) {
    membuf m = {NULL, 0, 0};
    *bytes = NULL;
    *len = 0;
    outsink o = {mem_write, &m, 0};
    quorum_status st = write_pdf(l, "the PDF output", opt, &o, d);
    if (o.failed)
        qdiag_add(d, QUORUM_ERROR, nopos,
                  "cannot write the PDF output: out of memory");
    if (st != QUORUM_OK) {
        free(m.p);
        return st;
    }
    *bytes = m.p;
    *len = m.n;
    return QUORUM_OK;
}
