/* qdlist_append: a document laid out in a list of its own and spliced
 * into another must be what laying it out there gives, index for index
 * (elements and their parents, items' elements, links' anchors, images,
 * pages of anchors and outlines), sharing what the two have in common
 * (images, sources) and with the faces it used marked used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dlist.h"
#include "font.h"

static qfont_cache *cache;

static qfonts *fonts(void) {
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fonts", src ? src : ".");
    return qfonts_new(cache, dir);
}

static qdl_item *text(qdlist *dl, qdl_page *pg, int elem, const char *s) {
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, elem);
    it->text = qarena_strdup(dl->arena, s);
    it->len = (unsigned)strlen(s);
    it->x = 72;
    it->y = 100 + 14 * (float)pg->items.len;
    it->size = 11;
    return it;
}

/* One document as layout puts it into dl, whatever dl holds already: a
 * Part under the Document with a heading and a paragraph, two pages, a
 * link from the second to an anchor on the first, an image shared by
 * every document (the style's logo) and one of its own, a source, an
 * outline, an input; bold if bold. */
static void document(qdlist *dl, const char *tag, int bold) {
    int page0 = (int)dl->pages.len;
    int part = qdlist_add_elem(dl, QR_PART, 0);
    int h = qdlist_add_elem(dl, QR_H1, part);
    int p = qdlist_add_elem(dl, QR_P, part);
    int link = qdlist_add_elem(dl, QR_LINK, p);
    QVEC_AT(&dl->elems, qdl_elem, p).lang = qarena_printf(dl->arena, "cy-%s", tag);
    int an = qdlist_add_anchor(dl);
    qdl_page *pg = qdlist_add_page(dl, 595, 842);
    qdl_item *hi = text(dl, pg, h, tag);
    if (bold) hi->face = QF_BOLD;
    qdlist_add_outline(dl, qarena_strdup(dl->arena, tag), 2, page0, 100);
    QVEC_AT(&dl->anchors, qdl_anchor, an) = (qdl_anchor){page0, 120};
    qdl_item *logo = qdlist_add_item(dl, pg, QDL_IMAGE, 0);
    logo->text = "logo.png";
    logo->dest = qdlist_add_image(dl, "logo.png", NULL);
    text(dl, pg, QDL_ART_FOOTER, "Page 1 of 2");
    pg = qdlist_add_page(dl, 595, 842);
    text(dl, pg, p, "see above");
    qdl_item *lk = qdlist_add_item(dl, pg, QDL_LINK, link);
    lk->dest = an;
    const char *own = qarena_printf(dl->arena, "%s.png", tag);
    qdl_item *im = qdlist_add_item(dl, pg, QDL_IMAGE, p);
    im->text = own;
    im->dest = qdlist_add_image(dl, own, NULL);
    qdlist_add_source(dl, qarena_printf(dl->arena, "%s.xml", tag),
                      (const unsigned char *)tag, strlen(tag));
    qdlist_add_source(dl, "style.xml", (const unsigned char *)"s", 1);
    qdlist_add_input(dl, qarena_printf(dl->arena, "%s-input", tag));
    qfont *f = qfonts_face(dl->fonts, bold ? QF_BOLD : QF_REGULAR, NULL);
    assert_non_null(f);
    f->used = 1;
}

static char *dump(const qdlist *dl) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    qdlist_dump(dl, f);
    for (size_t i = 0; i < dl->elems.len; i++) {
        const qdl_elem *e = &QVEC_AT(&dl->elems, qdl_elem, i);
        fprintf(f, "elem %zu %s parent %d lang %s\n", i, qrole_name(e->role), e->parent,
                e->lang ? e->lang : "-");
    }
    for (size_t i = 0; i < dl->anchors.len; i++) {
        const qdl_anchor *a = &QVEC_AT(&dl->anchors, qdl_anchor, i);
        fprintf(f, "anchor %zu page %d y %.1f\n", i, a->page, a->y);
    }
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            fprintf(f, "item %zu.%zu elem %d dest %d\n", p, i, it->elem, it->dest);
        }
    }
    for (size_t i = 0; i < dl->images.len; i++)
        fprintf(f, "image %zu %s\n", i, QVEC_AT(&dl->images, qdl_image, i).name);
    for (size_t i = 0; i < dl->sources.len; i++) {
        const qdl_source *s = &QVEC_AT(&dl->sources, qdl_source, i);
        fprintf(f, "source %s %.*s\n", s->name, (int)s->len, (const char *)s->bytes);
    }
    size_t n = 0;
    const char **in = qdlist_inputs(dl, &n);
    for (size_t i = 0; i < n; i++) fprintf(f, "input %s\n", in[i]);
    free(in);
    for (int i = 0; i < QF__COUNT; i++) {
        qfont *q = qfonts_face(dl->fonts, (qfont_face)i, NULL);
        fprintf(f, "face %d used %d\n", i, q ? q->used : -1);
    }
    fclose(f);
    return buf;
}

static void test_splice_is_laying_out_there(void **state) {
    (void)state;
    cache = qfont_cache_new();
    qdlist *whole = qdlist_new(fonts());
    document(whole, "one", 0);
    document(whole, "two", 1);
    document(whole, "three", 0);

    qdlist *pack = qdlist_new(fonts());
    document(pack, "one", 0);
    const char *names[] = {"two", "three"};
    for (int k = 0; k < 2; k++) {
        qdlist *alone = qdlist_new_chunked(fonts(), 4096);
        document(alone, names[k], k == 0);
        qdl_splice at;
        size_t pages = pack->pages.len, elems = pack->elems.len;
        size_t anchors = pack->anchors.len, outlines = pack->outlines.len;
        assert_int_equal(qdlist_append(pack, alone, &at, NULL), 0);
        assert_int_equal(at.page0, (int)pages);
        assert_int_equal(at.npages, 2);
        assert_int_equal(at.elem0, elems);
        assert_int_equal(at.anchor0, anchors);
        assert_int_equal(at.outline0, outlines);
        assert_int_equal(at.outline1, outlines + 1);
    }
    char *a = dump(whole), *b = dump(pack);
    assert_string_equal(b, a);
    /* shared: the logo and the style once, each document's own once */
    assert_int_equal(pack->images.len, 4);
    assert_int_equal(pack->sources.len, 4);
    free(a);
    free(b);
    qdlist_free(whole);
    qdlist_free(pack);
    qfont_cache_free(cache);
}

/* A report drawn on a worker of a pack written beside its layout
 * carries its element records to the writer, so the pack's list takes
 * none (no_elems); when its drawing fails its items come to the pack
 * after all (qdlist_append_items), and its records with them, numbered
 * from there: the list is then what laying it out there gives. */
static void test_records_left_out_then_items(void **state) {
    (void)state;
    cache = qfont_cache_new();
    qdlist *whole = qdlist_new(fonts());
    document(whole, "one", 0);
    document(whole, "two", 1);
    qdlist *pack = qdlist_new(fonts());
    document(pack, "one", 0);
    qdlist *alone = qdlist_new_chunked(fonts(), 4096);
    document(alone, "two", 1);
    int page0 = (int)pack->pages.len;
    for (size_t p = 0; p < alone->pages.len; p++) qdlist_add_page(pack, 595, 842);
    size_t elems = pack->elems.len;
    qdl_splice at = {0};
    at.no_elems = 1;
    assert_int_equal(qdlist_append_records(pack, alone, page0, &at, NULL, 1, NULL), 0);
    assert_int_equal(pack->elems.len, elems); /* none taken */
    assert_int_equal(at.no_elems, 1);
    qdlist_append_items(pack, alone, &at);
    assert_int_equal(at.elem0, elems);
    assert_int_equal(at.no_elems, 0);
    char *a = dump(whole), *b = dump(pack);
    assert_string_equal(b, a);
    free(a);
    free(b);
    qdlist_free(whole);
    qdlist_free(pack);
    qfont_cache_free(cache);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splice_is_laying_out_there),
        cmocka_unit_test(test_records_left_out_then_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
