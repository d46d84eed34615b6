/* The display list as bytes (dlist/dlist_io.c): serialized and read back,
 * a layout dumps and writes the same PDF, byte for byte (a report, a
 * report drawing a PNG and a JPEG, a pack); anything else — cut short, a
 * byte changed, another key or version, forged contents under a valid
 * checksum — is refused or read without harm (ASan); a list's records
 * (its fields but the pages' items) likewise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlist.h"
#include "font.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

static const unsigned char key[32] = {1, 2, 3};

static char *dump(const qdlist *dl, size_t *n) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, n);
    assert_non_null(f);
    qdlist_dump(dl, f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static qfonts *fonts(void) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/fonts", root ? root : ".");
    return test_fonts(dir);
}

static unsigned char *pdf_of(const qdlist *dl, size_t *n) {
    quorum_layout l = {(qdlist *)dl};
    quorum_diags *d = quorum_diags_new();
    unsigned char *b = NULL;
    assert_int_equal(quorum_layout_write_pdf_memory(&l, NULL, &b, n, d), QUORUM_OK);
    quorum_diags_free(d);
    return b;
}

/* l serialized and read back: the same dump and the same PDF */
static void round_trip(const quorum_layout *l) {
    size_t n = 0;
    static const char note[] = "a note\0with a NUL";
    unsigned char *b = qdlist_serialize(l->dl, key, note, sizeof note, &n);
    const char *why = "?", *got = NULL;
    size_t got_len = 0;
    qdlist *back = qdlist_deserialize(b, n, key, fonts(), 0, &got, &got_len, &why);
    if (!back) fail_msg("read back refused: %s", why);
    assert_int_equal(got_len, sizeof note);
    assert_memory_equal(got, note, sizeof note);
    size_t n1, n2;
    char *t1 = dump(l->dl, &n1), *t2 = dump(back, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    assert_int_equal(qdlist_faces_used(back), qdlist_faces_used(l->dl));
    size_t p1, p2;
    unsigned char *pdf1 = pdf_of(l->dl, &p1), *pdf2 = pdf_of(back, &p2);
    assert_int_equal(p1, p2);
    assert_memory_equal(pdf1, pdf2, p1);
    /* and serialized again, the same bytes */
    size_t n3 = 0;
    unsigned char *b3 = qdlist_serialize(back, key, note, sizeof note, &n3);
    assert_int_equal(n3, n);
    assert_memory_equal(b3, b, n);
    free(b3);
    free(pdf1);
    free(pdf2);
    free(t1);
    free(t2);
    qdlist_free(back);
    free(b);
}

static quorum_layout *layout_of(const char *rel) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, path, d);
    assert_non_null(doc);
    quorum_layout *l = quorum_doc_layout(TE, doc, NULL, d);
    assert_non_null(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return l;
}

static void test_round_trip(void **state) {
    (void)state;
    quorum_layout *l = layout_of("input/council-2025-01-29/report.xml");
    round_trip(l);
    quorum_layout_free(l);
    l = layout_of("tests/fixtures/archive-image/report.xml");
    assert_true(l->dl->images.len >= 2);
    round_trip(l);
    quorum_layout_free(l);
    /* a pack: its agenda's links and outlines, placeholder pages */
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/meeting.xml", root ? root : ".");
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, path, d);
    assert_non_null(p);
    l = quorum_pack_layout(TE, p, NULL, d);
    assert_non_null(l);
    assert_true(l->dl->anchors.len > 0 && l->dl->outlines.len > 0);
    round_trip(l);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
}

static int reads(const unsigned char *b, size_t n, const unsigned char *k) {
    const char *why = NULL;
    qdlist *dl = qdlist_deserialize(b, n, k, fonts(), 0, NULL, NULL, &why);
    if (!dl) {
        assert_non_null(why);
        return 0;
    }
    /* what was read is whole: dumping it touches every item */
    size_t len;
    free(dump(dl, &len));
    qdlist_free(dl);
    return 1;
}

/* the checksum made good again after a change: only the reader's own
 * checks stand between forged contents and the PDF writer */
static void reseal(unsigned char *b, size_t n) {
    qsha256_ctx c;
    qsha256_init(&c);
    qsha256_update(&c, b, n - 32);
    qsha256_final(&c, b + n - 32);
}

static void test_damage(void **state) {
    (void)state;
    quorum_layout *l = layout_of("tests/fixtures/archive-image/report.xml");
    size_t n = 0;
    unsigned char *b = qdlist_serialize(l->dl, key, "note", 4, &n);
    assert_true(reads(b, n, key));
    unsigned char other[32] = {9};
    assert_false(reads(b, n, other));
    /* cut short anywhere: refused */
    size_t step = n / 200 + 1;
    for (size_t k = 0; k < n; k += k < 128 ? 1 : step) assert_false(reads(b, k, key));
    /* one byte changed anywhere: refused (the checksum) */
    for (size_t k = 0; k < n; k += k < 128 ? 1 : step) {
        b[k] ^= 0x40;
        assert_false(reads(b, n, key));
        b[k] ^= 0x40;
    }
    /* another format version, resealed: refused */
    b[8] ^= 1;
    reseal(b, n);
    assert_false(reads(b, n, key));
    b[8] ^= 1;
    /* forged contents under a good checksum: refused or read whole, never
     * a crash or a read outside the bytes (ASan) */
    static const unsigned char subst[] = {0x00, 0xff, 0x7f, 0x80, 0x01};
    for (size_t k = 64; k + 32 < n; k += k < 2048 ? 1 : step)
        for (size_t s = 0; s < sizeof subst; s++) {
            unsigned char c = b[k];
            b[k] = subst[s];
            reseal(b, n);
            reads(b, n, key);
            b[k] = c;
        }
    reseal(b, n);
    assert_true(reads(b, n, key));
    free(b);
    quorum_layout_free(l);
}

/* A list's records (qdlist_serialize_records): every field but the
 * pages' items, the sources by name unless a page draws one, read back
 * the same; never read as a whole list, nor a whole list as records. */
static qdlist *read_records(const unsigned char *b, size_t n, unsigned char whole[32],
                            int *sources) {
    const char *why = NULL, *note = NULL;
    size_t note_len = 0;
    qdlist *dl = qdlist_deserialize_records(b, n, key, fonts(), 0, &note, &note_len, whole,
                                            sources, &why);
    if (!dl) assert_non_null(why);
    return dl;
}

static void records_of(const qdlist *dl) {
    unsigned char sum[32] = {7, 7, 7}, whole[32] = {0};
    size_t n = 0, wn = 0;
    unsigned char *b = qdlist_serialize_records(dl, key, "note", 4, sum, &n);
    unsigned char *w = qdlist_serialize(dl, key, "note", 4, &wn);
    int sources = -1;
    qdlist *back = read_records(b, n, whole, &sources);
    assert_non_null(back);
    assert_memory_equal(whole, sum, 32);
    int foreign = 0;
    for (size_t i = 0; i < dl->pages.len; i++) {
        const qdl_page *p = &QVEC_AT(&dl->pages, qdl_page, i), *q = &QVEC_AT(&back->pages, qdl_page, i);
        foreign |= p->foreign != NULL;
        assert_true(p->width == q->width && p->height == q->height);
        assert_int_equal(q->items.len, 0);
    }
    assert_int_equal(sources, foreign);
    assert_int_equal(back->pages.len, dl->pages.len);
    assert_int_equal(back->elems.len, dl->elems.len);
    assert_int_equal(back->anchors.len, dl->anchors.len);
    assert_int_equal(back->outlines.len, dl->outlines.len);
    assert_int_equal(back->images.len, dl->images.len);
    assert_int_equal(back->sources.len, dl->sources.len);
    assert_int_equal(back->inputs.len, dl->inputs.len);
    assert_int_equal(qdlist_faces_used(back), qdlist_faces_used(dl));
    for (size_t i = 0; i < dl->elems.len; i++)
        assert_int_equal(QVEC_AT(&back->elems, qdl_elem, i).role,
                         QVEC_AT(&dl->elems, qdl_elem, i).role);
    for (size_t i = 0; i < dl->sources.len; i++)
        assert_string_equal(QVEC_AT(&back->sources, qdl_source, i).name,
                            QVEC_AT(&dl->sources, qdl_source, i).name);
    /* far smaller than the whole list: its items are most of it */
    assert_true(n < wn);
    /* written again from what was read: the same bytes */
    size_t n2 = 0;
    unsigned char *b2 = qdlist_serialize_records(back, key, "note", 4, sum, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(b2, b, n);
    free(b2);
    qdlist_free(back);
    /* one is never read as the other */
    assert_false(reads(b, n, key));
    assert_null(read_records(w, wn, whole, &sources));
    /* cut short or a byte changed: refused */
    size_t step = n / 100 + 1;
    for (size_t k = 0; k < n; k += k < 128 ? 1 : step) {
        assert_null(read_records(b, k, whole, &sources));
        b[k] ^= 0x40;
        assert_null(read_records(b, n, whole, &sources));
        b[k] ^= 0x40;
    }
    /* forged contents under a good checksum: refused or read, never harm */
    for (size_t k = 64; k + 32 < n; k += k < 1024 ? 1 : step) {
        unsigned char c = b[k];
        b[k] = (unsigned char)(c ^ 0xff);
        reseal(b, n);
        qdlist_free(read_records(b, n, whole, &sources));
        b[k] = c;
    }
    free(w);
    free(b);
}

static void test_records(void **state) {
    (void)state;
    quorum_layout *l = layout_of("input/council-2025-01-29/report.xml");
    records_of(l->dl);
    quorum_layout_free(l);
    l = layout_of("tests/fixtures/archive-image/report.xml");
    records_of(l->dl);
    quorum_layout_free(l);
}

/* An element's small fields are bytes in the record (issue 18: 64 -> 40
 * bytes an element), so the reader checks them as they are read, before
 * they are narrowed: a header cell's scope of 258 would be 2 (Column)
 * otherwise, and a section_head of 2 is no flag. */
static void test_narrow_fields(void **state) {
    (void)state;
    quorum_layout *l = layout_of("input/council-2025-01-29/report.xml");
    qdl_elem *th = NULL;
    for (size_t i = 0; i < l->dl->elems.len && !th; i++)
        if (QVEC_AT(&l->dl->elems, qdl_elem, i).role == QR_TH) th = &QVEC_AT(&l->dl->elems, qdl_elem, i);
    assert_non_null(th);
    assert_true(th->scope == 1 || th->scope == 2);
    /* marks to find its fields by: scope, section_head, colspan, rowspan */
    th->colspan = 0x5A5A5A5A;
    th->rowspan = 0x3C3C3C3C;
    size_t n = 0;
    unsigned char *b = qdlist_serialize(l->dl, key, "note", 4, &n);
    assert_true(reads(b, n, key));
    size_t at = 0;
    for (size_t k = 8; k + 8 <= n && !at; k++)
        if (memcmp(b + k, "\x5A\x5A\x5A\x5A\x3C\x3C\x3C\x3C", 8) == 0) at = k;
    assert_true(at >= 8);
    unsigned char *scope = b + at - 8, *head = b + at - 4;
    uint32_t v;
    memcpy(&v, scope, 4);
    assert_true(v == th->scope || v == (uint32_t)th->scope << 24);  /* either byte order */
    int big = v != th->scope;
    const unsigned char s258[2][4] = {{2, 1, 0, 0}, {0, 0, 1, 2}};
    const unsigned char two[2][4] = {{2, 0, 0, 0}, {0, 0, 0, 2}};
    unsigned char keep[8];
    memcpy(keep, scope, 8);
    memcpy(scope, s258[big], 4);
    reseal(b, n);
    assert_false(reads(b, n, key));
    memcpy(scope, keep, 8);
    memcpy(head, two[big], 4);
    reseal(b, n);
    assert_false(reads(b, n, key));
    memcpy(scope, keep, 8);
    reseal(b, n);
    assert_true(reads(b, n, key));
    free(b);
    quorum_layout_free(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_narrow_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
