#include "dlist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quorum.h"

_Static_assert(sizeof(void *) != 8 || sizeof(qdl_item) == 48,
               "qdl_item stays compact");

static const char *role_names[QR__COUNT] = {
    "Document", "Part", "Sect", "H1", "H2", "H3", "H4", "H5", "H6", "P",
    "L", "LI", "Lbl", "LBody",
    "Table", "THead", "TBody", "TR", "TH", "TD",
    "Link", "Figure", "Note", "Reference", "BlockQuote", "Caption",
    "Span", "Div", "TOC", "TOCI"};

const char *qrole_name(qrole r) {
    return r < QR__COUNT ? role_names[r] : "?";
}

qdlist *qdlist_new(qfonts *fonts) {
    /* Layout output is large (a 1,500-page pack): big chunks. */
    return qdlist_new_chunked(fonts, 1 << 20);
}

qdlist *qdlist_new_chunked(qfonts *fonts, size_t chunk) {
    qdlist *dl = calloc(1, sizeof *dl);
    if (!dl) qfatal_oom();
    dl->arena = qarena_new(chunk);
    qvec_init(&dl->pages, sizeof(qdl_page));
    qvec_init(&dl->elems, sizeof(qdl_elem));
    qvec_init(&dl->anchors, sizeof(qdl_anchor));
    qvec_init(&dl->outlines, sizeof(qdl_outline));
    qvec_init(&dl->images, sizeof(qdl_image));
    qvec_init(&dl->inputs, sizeof(const char *));
    qvec_init(&dl->sources, sizeof(qdl_source));
    qvec_init(&dl->units, sizeof(qdl_unit));
    dl->fonts = fonts;
    qdlist_add_elem(dl, QR_DOCUMENT, -1);
    return dl;
}

quorum_layout *qdlist_to_layout(qdlist *dl) {
    quorum_layout *out = calloc(1, sizeof *out);
    if (!out) qfatal_oom();
    out->dl = dl;
    return out;
}

void qdlist_free(qdlist *dl) {
    if (!dl) return;
    if (dl->drawn_free) dl->drawn_free(dl->drawn);
    qfonts_free(dl->fonts);
    qarena_free(dl->arena);
    free(dl);
}

qdl_page *qdlist_add_page(qdlist *dl, float width, float height) {
    qdl_page *p = qvec_push(dl->arena, &dl->pages);
    qvec_init(&p->items, sizeof(qdl_item));
    p->width = width;
    p->height = height;
    p->foreign = NULL;
    p->foreign_page = 0;
    p->fx = p->fy = p->fw = p->fh = 0;
    return p;
}

qdl_item *qdlist_add_item(qdlist *dl, qdl_page *p, qdl_kind kind, int elem) {
    qdl_item *it = qvec_push(dl->arena, &p->items);
    it->kind = kind;
    it->elem = elem;
    it->dest = -1;
    return it;
}

void qdlist_add_input(qdlist *dl, const char *path) {
    if (path)
        *(const char **)qvec_push(dl->arena, &dl->inputs) = qarena_strdup(dl->arena, path);
}

const char **qdlist_inputs(const qdlist *dl, size_t *n) {
    size_t cap = dl->sources.len + dl->inputs.len + dl->images.len + 2;
    const char **v = malloc(cap * sizeof *v);
    if (!v) qfatal_oom();
    size_t k = 0;
    for (size_t i = 0; i < dl->sources.len; i++) v[k++] = QVEC_AT(&dl->sources, qdl_source, i).name;
    for (size_t i = 0; i < dl->inputs.len; i++) v[k++] = QVEC_AT(&dl->inputs, const char *, i);
    for (size_t i = 0; i < dl->images.len; i++) v[k++] = QVEC_AT(&dl->images, qdl_image, i).name;
    if (dl->style_file) v[k++] = dl->style_file;
    if (dl->style_logo) v[k++] = dl->style_logo;
    *n = k;
    return v;
}

/* Shared within the display list by name and content (qimage_same), not
 * by pointer alone: a pack lays out its reports one after another into
 * one list, each with its own decoded copy of a shared file.  A
 * reference rather than a copy: the count is atomic (a const document
 * may be laid out on several threads at once), and the layout keeps the
 * pixels after the document is freed. */
int qdlist_add_image(qdlist *dl, const char *name, const qimage *img) {
    for (size_t i = 0; i < dl->images.len; i++) {
        const qdl_image *im = &QVEC_AT(&dl->images, qdl_image, i);
        if (strcmp(im->name, name) == 0 && qimage_same(im->img, img))
            return (int)i;
    }
    qdl_image *im = qvec_push(dl->arena, &dl->images);
    im->name = qarena_strdup(dl->arena, name);
    im->img = qimage_ref(img);
    qimage_unref_with(dl->arena, img);
    return (int)dl->images.len - 1;
}

/* src's image indices as dst's (malloc'd). */
static int *append_images(qdlist *dst, const qdlist *src) {
    int *map = malloc((src->images.len ? src->images.len : 1) * sizeof *map);
    if (!map) qfatal_oom();
    for (size_t i = 0; i < src->images.len; i++) {
        const qdl_image *im = &QVEC_AT(&src->images, qdl_image, i);
        map[i] = qdlist_add_image(dst, im->name, im->img);
    }
    return map;
}

/* A page's items moved into dst: their elements, link targets and images
 * numbered as dst numbers them from at on. */
static void shift_items(qdl_page *pg, const qdl_splice *at, const int *image) {
    qdl_item *it = pg->items.data;
    for (size_t i = 0; i < pg->items.len; i++) {
        if (it[i].elem > 0) it[i].elem += (int)at->elem0 - 1;
        if (it[i].kind == QDL_LINK && it[i].dest >= 0)
            it[i].dest += (int)at->anchor0;
        else if (it[i].kind == QDL_IMAGE && it[i].dest >= 0)
            it[i].dest = image[it[i].dest];
    }
}

/* src's pages at dst's at->page0 on: new pages, or (reserved) the pages
 * there, which have no items yet. */
static void append_pages(qdlist *dst, const qdlist *src, const qdl_splice *at,
                         const int *image, int reserved) {
    for (size_t p = 0; p < src->pages.len; p++) {
        qdl_page *pg = reserved ? &QVEC_AT(&dst->pages, qdl_page, (size_t)at->page0 + p)
                                : qvec_push(dst->arena, &dst->pages);
        *pg = QVEC_AT(&src->pages, qdl_page, p);
        if (pg->foreign) pg->foreign = qdlist_source(dst, pg->foreign)->name;
        shift_items(pg, at, image);
    }
}

/* src's elements but its Document after dst's, their parents renumbered,
 * their strings dst's. */
static const char *keep_str(qdlist *dst, const char *s);
static void append_elems(qdlist *dst, const qdlist *src, const qdl_splice *at) {
    for (size_t i = 1; i < src->elems.len; i++) {
        qdl_elem *e = qvec_push(dst->arena, &dst->elems);
        *e = QVEC_AT(&src->elems, qdl_elem, i);
        if (e->parent > 0) e->parent += (int)at->elem0 - 1;
        e->alt = keep_str(dst, e->alt);
        e->lang = keep_str(dst, e->lang);
        e->actual = keep_str(dst, e->actual);
    }
}

static void append_records(qdlist *dst, const qdlist *src, const qdl_splice *at) {
    for (size_t i = 1; i < src->elems.len && !at->no_elems; i++) {
        qdl_elem *e = qvec_push(dst->arena, &dst->elems);
        *e = QVEC_AT(&src->elems, qdl_elem, i);
        if (e->parent > 0) e->parent += (int)at->elem0 - 1;
    }
    for (size_t i = 0; i < src->anchors.len; i++) {
        qdl_anchor *a = qvec_push(dst->arena, &dst->anchors);
        *a = QVEC_AT(&src->anchors, qdl_anchor, i);
        if (a->page >= 0) a->page += at->page0;
    }
    for (size_t i = 0; i < src->outlines.len; i++) {
        qdl_outline *o = qvec_push(dst->arena, &dst->outlines);
        *o = QVEC_AT(&src->outlines, qdl_outline, i);
        if (o->page >= 0) o->page += at->page0;
    }
    for (size_t i = 0; i < src->inputs.len; i++)
        *(const char **)qvec_push(dst->arena, &dst->inputs) =
            QVEC_AT(&src->inputs, const char *, i);
}

int qdlist_append(qdlist *dst, qdlist *src, qdl_splice *at, quorum_diags *d) {
    return qdlist_append_at(dst, src, -1, at, d);
}

int qdlist_append_at(qdlist *dst, qdlist *src, int page0, qdl_splice *at, quorum_diags *d) {
    int reserved = page0 >= 0 && (size_t)page0 + src->pages.len <= dst->pages.len;
    qdl_splice here = {reserved ? page0 : (int)dst->pages.len, (int)src->pages.len,
                       dst->elems.len, dst->anchors.len, dst->outlines.len, 0, 0};
    /* sources first: a foreign page names its source as dst keeps it; the
     * records, not the bytes, are taken (src's arena becomes dst's) */
    for (size_t i = 0; i < src->sources.len; i++) {
        const qdl_source *s = &QVEC_AT(&src->sources, qdl_source, i);
        if (!qdlist_source(dst, s->name))
            *(qdl_source *)qvec_push(dst->arena, &dst->sources) = *s;
    }
    int *image = append_images(dst, src);
    append_pages(dst, src, &here, image, reserved);
    free(image);
    append_records(dst, src, &here);
    here.outline1 = dst->outlines.len;
    int rc = qfonts_merge_used(dst->fonts, src->fonts, d);
    /* the records were copied: their large arrays go now */
    qarena_release(src->arena, src->elems.data);
    qarena_release(src->arena, src->pages.data);
    qarena_release(src->arena, src->anchors.data);
    qarena_release(src->arena, src->outlines.data);
    qarena_adopt(dst->arena, src->arena);
    src->arena = NULL;
    qdlist_free(src);
    if (at) *at = here;
    return rc;
}

/* A copy in dst's arena (a report's strings outlive its list there). */
static const char *keep_str(qdlist *dst, const char *s) {
    return s ? qarena_strdup(dst->arena, s) : NULL;
}

int qdlist_append_records(qdlist *dst, const qdlist *src, int page0, qdl_splice *at,
                          qdl_image **images, int bytes, quorum_diags *d) {
    if (images) *images = NULL;
    int no_elems = at && at->no_elems;
    qdl_splice here0 = {0, 0, 0, 0, dst->outlines.len, dst->outlines.len, no_elems};
    if (at) *at = here0;
    if (page0 < 0 || (size_t)page0 + src->pages.len > dst->pages.len) return -1;
    qdl_splice here = {page0, (int)src->pages.len, dst->elems.len, dst->anchors.len,
                       dst->outlines.len, 0, no_elems};
    for (size_t i = 0; i < src->sources.len; i++) {
        const qdl_source *s = &QVEC_AT(&src->sources, qdl_source, i);
        int wanted = bytes;
        for (size_t p = 0; p < src->pages.len && !wanted; p++) {
            const char *f = QVEC_AT(&src->pages, qdl_page, p).foreign;
            wanted = f && strcmp(f, s->name) == 0;
        }
        qdlist_add_source(dst, s->name, wanted ? s->bytes : NULL, wanted ? s->len : 0);
    }
    /* the images in dst's order (the items' indices follow them there
     * when the items come: qdlist_append_items), each a reference of dst,
     * which pages drawn from src are to name instead of src's */
    int *image = append_images(dst, src);
    if (images) {
        *images = malloc((src->images.len ? src->images.len : 1) * sizeof **images);
        if (!*images) qfatal_oom();
        for (size_t i = 0; i < src->images.len; i++)
            (*images)[i] = QVEC_AT(&dst->images, qdl_image, (size_t)image[i]);
    }
    free(image);
    for (size_t p = 0; p < src->pages.len; p++) {
        const qdl_page *sp = &QVEC_AT(&src->pages, qdl_page, p);
        qdl_page *pg = &QVEC_AT(&dst->pages, qdl_page, (size_t)page0 + p);
        if (!sp->foreign) continue;
        pg->foreign = qdlist_source(dst, sp->foreign)->name;
        pg->foreign_page = sp->foreign_page;
        pg->fx = sp->fx;
        pg->fy = sp->fy;
        pg->fw = sp->fw;
        pg->fh = sp->fh;
    }
    append_records(dst, src, &here);
    for (size_t i = here.elem0; i < dst->elems.len; i++) {
        qdl_elem *e = &QVEC_AT(&dst->elems, qdl_elem, i);
        e->alt = keep_str(dst, e->alt);
        e->lang = keep_str(dst, e->lang);
        e->actual = keep_str(dst, e->actual);
    }
    for (size_t i = here.outline0; i < dst->outlines.len; i++) {
        qdl_outline *o = &QVEC_AT(&dst->outlines, qdl_outline, i);
        o->title = keep_str(dst, o->title);
    }
    /* append_records pushed the inputs' pointers: copies instead */
    dst->inputs.len -= src->inputs.len;
    for (size_t i = 0; i < src->inputs.len; i++)
        qdlist_add_input(dst, QVEC_AT(&src->inputs, const char *, i));
    here.outline1 = dst->outlines.len;
    if (at) *at = here;
    return qfonts_merge_used(dst->fonts, src->fonts, d);
}

void qdlist_append_items(qdlist *dst, qdlist *src, qdl_splice *at) {
    if (at->no_elems) { /* its records were left to its drawn pages */
        at->elem0 = dst->elems.len;
        append_elems(dst, src, at);
        at->no_elems = 0;
    }
    int *image = append_images(dst, src);
    for (size_t p = 0; p < src->pages.len && (size_t)at->page0 + p < dst->pages.len; p++) {
        qdl_page *pg = &QVEC_AT(&dst->pages, qdl_page, (size_t)at->page0 + p);
        pg->items = QVEC_AT(&src->pages, qdl_page, p).items;
        shift_items(pg, at, image);
    }
    free(image);
    qarena_adopt(dst->arena, src->arena);
    src->arena = NULL;
    qdlist_free(src);
}

const qdl_source *qdlist_source(const qdlist *dl, const char *name) {
    for (size_t i = 0; i < dl->sources.len; i++) {
        const qdl_source *s = &QVEC_AT(&dl->sources, qdl_source, i);
        if (strcmp(s->name, name) == 0) return s;
    }
    return NULL;
}

void qdlist_add_source(qdlist *dl, const char *name,
                       const unsigned char *bytes, size_t len) {
    if (qdlist_source(dl, name)) return;
    qdl_source *s = qvec_push(dl->arena, &dl->sources);
    s->name = qarena_strdup(dl->arena, name);
    s->len = len;
    unsigned char *b = qarena_alloc_uninit(dl->arena, len ? len : 1);
    if (len) memcpy(b, bytes, len);
    s->bytes = b;
}

void qdl_page_to_front(qdl_page *p, size_t n0) {
    size_t n = p->items.len, k = n0 < n ? n - n0 : 0;
    if (!k || !n0) return;
    qdl_item *items = p->items.data;
    qdl_item *tmp = malloc(k * sizeof *tmp);
    if (!tmp) qfatal_oom();
    memcpy(tmp, items + n0, k * sizeof *tmp);
    memmove(items + k, items, n0 * sizeof *items);
    memcpy(items, tmp, k * sizeof *tmp);
    free(tmp);
}

int qdlist_add_elem(qdlist *dl, qrole role, int parent) {
    qdl_elem *e = qvec_push(dl->arena, &dl->elems);
    e->role = role;
    e->parent = parent;
    return (int)dl->elems.len - 1;
}

int qdl_next_cell(const qdlist *dl, int tr, int after) {
    for (size_t j = (size_t)after + 1; j < dl->elems.len; j++) {
        const qdl_elem *c = &QVEC_AT(&dl->elems, qdl_elem, j);
        if (c->parent < tr || (size_t)c->parent >= j) return -1;
        if (c->parent == tr && (c->role == QR_TH || c->role == QR_TD)) return (int)j;
    }
    return -1;
}

int qdlist_add_anchor(qdlist *dl) {
    qdl_anchor *a = qvec_push(dl->arena, &dl->anchors);
    a->page = -1;
    return (int)dl->anchors.len - 1;
}

void qdlist_add_outline(qdlist *dl, const char *title, int level, int page,
                        float y) {
    qdl_outline *o = qvec_push(dl->arena, &dl->outlines);
    o->title = title;
    o->level = level;
    o->page = page;
    o->y = y;
}

static const char *face_names[QF__COUNT] = {"R", "B", "I", "BI",
    "hR", "hB", "hI", "hBI", "tR", "tB", "tI", "tBI"};

static void dump_str(FILE *f, const char *s, size_t n) {
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') fputc('\\', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

const char *qdl_shape_name(unsigned shape) {
    static const char *const names[QDL__SHAPES] = {
        [QDL_ARROW_UP] = "arrow-up", [QDL_ARROW_RIGHT] = "arrow-right",
        [QDL_ARROW_DOWN] = "arrow-down", [QDL_BOX] = "box",
        [QDL_BOX_TICKED] = "box-ticked"};
    return shape < QDL__SHAPES ? names[shape] : "?";
}

/* Role of an item: its element's role, or "Artifact". */
static const char *item_role(const qdlist *dl, const qdl_item *it) {
    if (it->elem < 0 || (size_t)it->elem >= dl->elems.len) return "Artifact";
    return qrole_name(QVEC_AT(&dl->elems, qdl_elem, it->elem).role);
}

void qdlist_dump(const qdlist *dl, FILE *f) {
    if (dl->title) { fputs("title ", f); dump_str(f, dl->title, strlen(dl->title)); fputc('\n', f); }
    if (dl->author) { fputs("author ", f); dump_str(f, dl->author, strlen(dl->author)); fputc('\n', f); }
    if (dl->subject) { fputs("subject ", f); dump_str(f, dl->subject, strlen(dl->subject)); fputc('\n', f); }
    if (dl->lang) fprintf(f, "lang %s\n", dl->lang);
    for (size_t i = 0; i < dl->outlines.len; i++) {
        const qdl_outline *o = &QVEC_AT(&dl->outlines, qdl_outline, i);
        fprintf(f, "outline %d page %d y %.1f ", o->level, o->page + 1, o->y);
        dump_str(f, o->title, strlen(o->title));
        fputc('\n', f);
    }
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        fprintf(f, "page %zu %.1fx%.1f\n", p + 1, pg->width, pg->height);
        if (pg->foreign)
            fprintf(f, "  foreign \"%s\" page %u in %.1f,%.1f %.1fx%.1f\n", pg->foreign,
                    pg->foreign_page + 1, pg->fx, pg->fy, pg->fw, pg->fh);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            const char *role = item_role(dl, it);
            switch (it->kind) {
            case QDL_TEXT:
                /* every artifact kind as e-1: the kinds are the PDF's
                 * business (tests/e2e/pdf_ua.py checks them there) */
                fprintf(f, "  text %s e%d %.1f %.1f %s %.1f #%06x ", role,
                        it->elem < 0 ? -1 : it->elem, it->x, it->y, face_names[it->face % QF__COUNT],
                        it->size, (unsigned)it->color);
                dump_str(f, it->text, it->len);
                fputc('\n', f);
                break;
            case QDL_FILL:
                fprintf(f, "  fill %s %.1f %.1f %.1f %.1f #%06x\n", role, it->x,
                        it->y, it->w, it->h, (unsigned)it->color);
                break;
            case QDL_RULE:
                fprintf(f, "  rule %s %.1f %.1f %.1f %.1f w%.2f #%06x\n", role,
                        it->x, it->y, it->w, it->h, it->size, (unsigned)it->color);
                break;
            case QDL_LINK:
                fprintf(f, "  link %s %.1f %.1f %.1f %.1f ", role, it->x, it->y,
                        it->w, it->h);
                if (it->dest >= 0) fprintf(f, "dest %d\n", it->dest);
                else { dump_str(f, it->text ? it->text : "", it->text ? strlen(it->text) : 0); fputc('\n', f); }
                break;
            case QDL_MARK:
                fprintf(f, "  mark %s e%d %.1f %.1f %.1f %.1f %s #%06x ", role,
                        it->elem, it->x, it->y, it->w, it->h,
                        qdl_shape_name(it->face), (unsigned)it->color);
                dump_str(f, it->text ? it->text : "", it->len);
                fputc('\n', f);
                break;
            case QDL_IMAGE:
                fprintf(f, "  image %s %.1f %.1f %.1f %.1f ", role, it->x, it->y,
                        it->w, it->h);
                dump_str(f, it->text ? it->text : "", it->text ? strlen(it->text) : 0);
                fputc('\n', f);
                break;
            }
        }
    }
}

quorum_status quorum_layout_write_text(const quorum_layout *l, FILE *f) {
    qdlist_dump(l->dl, f);
    return ferror(f) ? QUORUM_IO_ERROR : QUORUM_OK;
}

size_t quorum_layout_page_count(const quorum_layout *l) {
    return l->dl->pages.len;
}

void quorum_layout_free(quorum_layout *l) {
    if (!l) return;
    qdlist_free(l->dl);
    free(l);
}


quorum_status quorum_layout_write_text_file(const quorum_layout *l, const char *path,
                                            quorum_diags *d) {
    size_t n = 0;
    const char **in = qdlist_inputs(l->dl, &n);
    int refused = qatomic_check_target(path, "the text dump", in, n, d);
    free(in);
    if (refused) return QUORUM_USAGE;
    qatomic *a = qatomic_open(path, QATOMIC_ORDINARY);
    if (!a) return qatomic_open_error(path, errno ? errno : EIO, d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) qfatal_oom();
    qdlist_dump(l->dl, f);
    if (fclose(f) != 0) qfatal_oom();
    qatomic_write(a, buf, len);
    free(buf);
    int err = qatomic_commit(a);
    if (err)
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot write %s: %s", path, strerror(err));
    return err ? QUORUM_IO_ERROR : QUORUM_OK;
}

void qdlist_add_unit(qdlist *dl, int first, int late) {
    qdl_unit *u = qvec_push(dl->arena, &dl->units);
    u->first = first;
    u->late = late;
}
