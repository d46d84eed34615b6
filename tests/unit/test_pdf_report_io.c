/* A report's drawn pages as bytes (pdf/pdf_report_io.c, the pack
 * cache's drawn pages): read back, they are the drawing, field for
 * field; bytes cut short, changed, sealed under another key or read
 * against another report's list are refused, and so is every field
 * damaged before it was written (each section: the header, codes,
 * Figure boxes, warnings, a page's content length, events and links). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlist.h"
#include "pdf.h"
#include "test_engine.h"
#define TE test_engine()

static const unsigned char key[32] = "test_pdf_report_io: a key";

static quorum_layout *lay_out(const char *rel) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char path[4200];
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

static unsigned char *bytes_of(const qpdf_report *r, const qdlist *dl, size_t *n) {
    unsigned char *b = qpdf_report_serialize(r, dl->images.data, dl->images.len, key, n);
    assert_non_null(b);
    return b;
}

static int refused(const unsigned char *b, size_t n, const unsigned char *k, const qdlist *dl) {
    const char *why = NULL;
    qpdf_report *r = qpdf_report_deserialize(b, n, k, dl, &why);
    if (r) {
        qpdf_report_free(r);
        return 0;
    }
    assert_non_null(why);
    return 1;
}

static void same(const qpdf_report *a, const qpdf_report *b) {
    assert_int_equal(a->page0, b->page0);
    assert_int_equal(a->npages, b->npages);
    assert_int_equal(a->nelems, b->nelems);
    assert_int_equal(a->dr.tagged, b->dr.tagged);
    assert_int_equal(a->dr.archive, b->dr.archive);
    for (int k = 0; k < QF__COUNT; k++) {
        assert_int_equal(!a->dr.codes[k], !b->dr.codes[k]);
        if (!a->dr.codes[k]) continue;
        assert_int_equal(a->codes0[k], b->codes0[k]);
        assert_int_equal(a->ncodes[k], b->ncodes[k]);
        assert_memory_equal(a->dr.codes[k], b->dr.codes[k], a->ncodes[k]);
    }
    assert_int_equal(!a->dr.box, !b->dr.box);
    assert_int_equal(a->box0, b->box0);
    assert_int_equal(a->nbox, b->nbox);
    for (size_t i = 0; i < a->nbox; i++) { /* an unset box's coordinates are not */
        assert_int_equal(a->dr.box[i].page, b->dr.box[i].page);
        if (a->dr.box[i].page >= 0)
            assert_memory_equal(&a->dr.box[i], &b->dr.box[i], sizeof *a->dr.box);
    }
    assert_int_equal(a->dr.nwarn, b->dr.nwarn);
    for (int p = 0; p < a->npages; p++) {
        const qcv_page *x = &a->pages[p], *y = &b->pages[p];
        assert_true(y->deflated);
        assert_int_equal(x->n, y->n);
        assert_memory_equal(x->data, y->data, x->n);
        assert_int_equal(x->nev, y->nev);
        for (int i = 0; i < x->nev; i++) {
            assert_int_equal(x->ev[i].kind, y->ev[i].kind);
            assert_int_equal(x->ev[i].a, y->ev[i].a);
            assert_int_equal(x->ev[i].b, y->ev[i].b);
            assert_ptr_equal(x->ev[i].img, y->ev[i].img);
            if (x->ev[i].name) assert_string_equal(x->ev[i].name, y->ev[i].name);
        }
        assert_int_equal(x->nlinks, y->nlinks);
        for (int i = 0; i < x->nlinks; i++) {
            const qcv_link *l = &x->links[i], *m = &y->links[i];
            assert_true(l->x0 == m->x0 && l->y0 == m->y0 && l->x1 == m->x1 && l->y1 == m->y1 &&
                        l->top == m->top && l->dest == m->dest && l->elem == m->elem);
            assert_int_equal(!l->uri, !m->uri);
            if (l->uri) assert_string_equal(l->uri, m->uri);
            assert_int_equal(!l->contents, !m->contents);
            if (l->contents) assert_string_equal(l->contents, m->contents);
        }
    }
}

/* Refused once a field of r is set wrong (set, then put back). */
#define DAMAGED(field, value)                                               \
    do {                                                                    \
        __typeof__(field) keep_ = (field);                                  \
        (field) = (value);                                                  \
        size_t n_ = 0;                                                      \
        unsigned char *b_ = qpdf_report_serialize(r, dl->images.data,       \
                                                  dl->images.len, key, &n_); \
        (field) = keep_;                                                    \
        if (b_) assert_true(refused(b_, n_, key, dl));                      \
        else fail_msg("not written: %s", #field);                           \
        free(b_);                                                           \
    } while (0)

/* the first page with an event of kind, and its index there */
static qcv_page *page_with(qpdf_report *r, int kind, int *at) {
    for (int p = 0; p < r->npages; p++)
        for (int i = 0; i < r->pages[p].nev; i++)
            if (r->pages[p].ev[i].kind == kind) {
                *at = i;
                return &r->pages[p];
            }
    return NULL;
}

static qcv_page *page_with_link(qpdf_report *r, int uri) {
    for (int p = 0; p < r->npages; p++)
        for (int i = 0; i < r->pages[p].nlinks; i++)
            if ((r->pages[p].links[i].dest < 0) == uri) return &r->pages[p];
    return NULL;
}

static void round_trip(const char *rel, int tagged, int archive) {
    quorum_layout *l = lay_out(rel);
    const qdlist *dl = l->dl;
    qpdf_report *r = qpdf_draw_report(dl, 7, tagged, archive, 1);
    assert_false(r->failed);
    size_t n = 0;
    unsigned char *b = bytes_of(r, dl, &n);
    const char *why = NULL;
    qpdf_report *back = qpdf_report_deserialize(b, n, key, dl, &why);
    assert_non_null(back);
    same(r, back);
    qpdf_report_free(back);

    /* another key, cut short anywhere, any byte changed: refused */
    unsigned char other[32] = "another key";
    assert_true(refused(b, n, other, dl));
    size_t step = n / 211 + 1;
    for (size_t k = 0; k < n; k += step) assert_true(refused(b, k, key, dl));
    assert_true(refused(b, n - 1, key, dl));
    for (size_t k = 0; k < n; k += step) {
        b[k] ^= 0x20;
        assert_true(refused(b, n, key, dl));
        b[k] ^= 0x20;
    }
    /* the payload whole but for its end, sealed again: refused */
    size_t head = 8 + 4 + 32 + 8, sn = 0;
    unsigned char *s = qpdf_report_seal(b + head, n - head - 32 - 1, key, &sn);
    assert_true(refused(s, sn, key, dl));
    free(s);
    s = qpdf_report_seal(b + head, n - head - 32, key, &sn);
    assert_false(refused(s, sn, key, dl)); /* the seal itself is the writer's */
    free(s);

    /* read against a list it was not drawn from */
    quorum_layout *other_l = lay_out(strstr(rel, "archive") ? "input/council-2025-01-29/report.xml"
                                                            : "tests/fixtures/archive-image/report.xml");
    assert_true(refused(b, n, key, other_l->dl));
    quorum_layout_free(other_l);
    free(b);

    /* each section's fields, damaged before writing */
    DAMAGED(r->npages, r->npages - 1);
    DAMAGED(r->page0, r->page0 + r->npages); /* its links then point past it */
    DAMAGED(r->nelems, r->nelems + 1);
    DAMAGED(r->dr.tagged, 2);
    DAMAGED(r->dr.archive, 5);
    int k0 = -1;
    for (int k = 0; k < QF__COUNT && k0 < 0; k++)
        if (r->dr.codes[k]) k0 = k;
    assert_true(k0 >= 0);
    DAMAGED(r->codes0[k0], (size_t)QHPDF_CODE_BITS);
    if (tagged) {
        if (r->nbox) DAMAGED(r->box0, r->nelems);
        DAMAGED(r->dr.tagged, 0); /* boxes (and marks) of an untagged drawing */
        for (size_t i = 0; i < r->nbox; i++)
            if (r->dr.box[i].page >= 0) {
                DAMAGED(r->dr.box[i].page, r->page0 + r->npages);
                DAMAGED(r->dr.box[i].x1, 1e30f); /* finite, off any page */
                break;
            }
    }
    pdfd_warn(&r->dr, QPDF_W_UTF8, NULL); /* drawn apart: kept in r->dr.warn */
    DAMAGED(r->dr.warn[r->dr.nwarn - 1].kind, 17);
    {
        char name[] = "chart.png";
        DAMAGED(r->dr.warn[r->dr.nwarn - 1].file, name); /* a file for a kind without */
    }
    int at = 0;
    qcv_page *pg = page_with(r, QCV_FONT, &at);
    assert_non_null(pg);
    DAMAGED(pg->ev[at].kind, 9);
    DAMAGED(pg->ev[at].a, QF__COUNT);
    DAMAGED(pg->ev[at].b, pg->ev[at].b + 1);
    if (tagged) {
        pg = page_with(r, QCV_MARK, &at);
        assert_non_null(pg);
        DAMAGED(pg->ev[at].a, (int)r->nelems);
        DAMAGED(pg->ev[at].b, pg->ev[at].b + 1);
    }
    pg = page_with(r, QCV_IMAGE, &at);
    if (pg) {
        DAMAGED(pg->ev[at].b, pg->ev[at].b + 1);
        /* an image index past the list's */
        size_t nimg = dl->images.len;
        size_t m = 0;
        unsigned char *mb = bytes_of(r, dl, &m);
        ((qdlist *)dl)->images.len = 0;
        assert_true(refused(mb, m, key, dl));
        ((qdlist *)dl)->images.len = nimg;
        free(mb);
    }
    pg = page_with_link(r, 0);
    if (pg) {
        DAMAGED(pg->links[0].dest, r->page0 + r->npages);
        DAMAGED(pg->links[0].elem, (int)r->nelems);
        DAMAGED(pg->links[0].top, -1e30f);
        char u[] = "https://example.org/";
        DAMAGED(pg->links[0].uri, u);
    }
    pg = page_with_link(r, 1);
    if (pg) {
        for (int i = 0; i < pg->nlinks; i++)
            if (pg->links[i].dest < 0) {
                DAMAGED(pg->links[i].uri, NULL);
                DAMAGED(pg->links[i].dest, r->page0 - 1);
                break;
            }
    }
    qpdf_report_free(r);
    quorum_layout_free(l);
}

static void test_round_trip_tagged(void **state) {
    (void)state;
    round_trip("tests/fixtures/archive-image/report.xml", 1, 0);
    round_trip("input/council-2025-01-29/report.xml", 1, 2);
}

static void test_round_trip_untagged(void **state) {
    (void)state;
    round_trip("tests/fixtures/archive-image/report.xml", 0, 1);
    round_trip("input/council-2025-01-29/report.xml", 0, 0);
}

/* A drawing that is not whole is never written: one that failed, one
 * whose pages are not deflated. */
static void test_not_written(void **state) {
    (void)state;
    quorum_layout *l = lay_out("input/council-2025-01-29/report.xml");
    qpdf_report *r = qpdf_draw_report(l->dl, 0, 1, 0, 0);
    size_t n = 1;
    assert_null(qpdf_report_serialize(r, l->dl->images.data, l->dl->images.len, key, &n));
    assert_int_equal(n, 0);
    qpdf_report_zip(r);
    unsigned char *b = qpdf_report_serialize(r, l->dl->images.data, l->dl->images.len, key, &n);
    assert_non_null(b);
    free(b);
    r->failed = 1;
    assert_null(qpdf_report_serialize(r, l->dl->images.data, l->dl->images.len, key, &n));
    qpdf_report_free(r);
    quorum_layout_free(l);
}

/* A report's elements' object streams (HASH.qos): read back field for
 * field; cut, flipped, under another key, a drawn report's bytes, a
 * payload that claims more streams than it holds or a stream of no level
 * are refused with a reason; an unfinished catch is not written. */
static qpdf_ostms *two_streams(void) {
    qpdf_ostms *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->v = calloc(2, sizeof *s->v);
    assert_non_null(s->v);
    s->n = s->cap = s->made = s->drained = 2;
    s->closed = 1;
    for (int i = 0; i < 2; i++) {
        memset(s->v[i].sum, 'a' + i, 32);
        s->v[i].raw = 1000u + (uint32_t)i;
        s->v[i].level = 6;
        s->v[i].zn = 10 + (size_t)i;
        s->v[i].z = malloc(s->v[i].zn);
        assert_non_null(s->v[i].z);
        memset(s->v[i].z, 'x' + i, s->v[i].zn);
    }
    return s;
}

static void test_ostms(void **state) {
    (void)state;
    qpdf_ostms *s = two_streams();
    size_t n = 0;
    unsigned char *b = qpdf_ostms_serialize(s, key, &n);
    assert_non_null(b);
    const char *why = NULL;
    qpdf_ostms *r = qpdf_ostms_deserialize(b, n, key, &why);
    assert_non_null(r);
    assert_int_equal(r->n, 2);
    for (int i = 0; i < 2; i++) {
        assert_memory_equal(r->v[i].sum, s->v[i].sum, 32);
        assert_int_equal(r->v[i].raw, s->v[i].raw);
        assert_int_equal(r->v[i].level, 6);
        assert_int_equal(r->v[i].zn, s->v[i].zn);
        assert_memory_equal(r->v[i].z, s->v[i].z, s->v[i].zn);
    }
    qpdf_ostms_free(r);
    /* cut, flipped, another key */
    for (size_t cut = 0; cut < n; cut += 7) {
        assert_null(qpdf_ostms_deserialize(b, cut, key, &why));
        assert_non_null(why);
    }
    b[n / 2] ^= 1;
    assert_null(qpdf_ostms_deserialize(b, n, key, &why));
    b[n / 2] ^= 1;
    unsigned char other[32] = "another key";
    assert_null(qpdf_ostms_deserialize(b, n, other, &why));
    free(b);
    /* payloads sealed whole: too many streams, a level libdeflate has not */
    unsigned char p[4 + 32 + 12 + 10];
    memset(p, 0, sizeof p);
    p[0] = 9; /* nine streams in one's bytes */
    p[36] = 1, p[40] = 6, p[44] = 10;
    b = qpdf_ostms_seal(p, sizeof p, key, &n);
    assert_null(qpdf_ostms_deserialize(b, n, key, &why));
    free(b);
    p[0] = 1;
    b = qpdf_ostms_seal(p, sizeof p, key, &n);
    r = qpdf_ostms_deserialize(b, n, key, &why);
    assert_non_null(r); /* the same payload, one stream: read */
    qpdf_ostms_free(r);
    free(b);
    p[40] = 13;
    b = qpdf_ostms_seal(p, sizeof p, key, &n);
    assert_null(qpdf_ostms_deserialize(b, n, key, &why));
    free(b);
    /* a drawn report's bytes are not object streams */
    b = qpdf_report_seal(p, sizeof p, key, &n);
    assert_null(qpdf_ostms_deserialize(b, n, key, &why));
    free(b);
    /* a catch not all given back is not written */
    s->drained = 1;
    assert_null(qpdf_ostms_serialize(s, key, &n));
    qpdf_ostms_free(s);
}

/* A pack's own streams are looked up by content among as many as their
 * cache file holds (qpdf_ostms_find after qpdf_ostms_sort, O(log n): a
 * hostile file may hold millions): each of 5,000 streams in shuffled
 * order is found by its sum, level and length, a stream with the same sum
 * at another level is told apart, and one not there, or whose bytes are
 * gone, is not found. */
static void test_ostms_find(void **state) {
    (void)state;
    enum { N = 5000 };
    qpdf_ostms *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->v = calloc(N + 1, sizeof *s->v);
    assert_non_null(s->v);
    s->n = s->cap = N + 1;
    for (size_t i = 0; i < N; i++) {
        size_t k = (i * 2654435761u) % N; /* a permutation of 0..N-1 */
        qpdf_ostm *o = &s->v[i];
        memcpy(o->sum, &k, sizeof k);
        o->level = k % 2 ? 6 : 1;
        o->raw = (uint32_t)(100 + k / 2);
        o->zn = 1;
        o->z = malloc(1);
        assert_non_null(o->z);
        o->z[0] = (unsigned char)k;
    }
    /* the same sum and length as the first, at another level */
    qpdf_ostm *t = &s->v[N];
    *t = s->v[0];
    t->level = 12;
    t->z = malloc(1);
    assert_non_null(t->z);
    t->z[0] = 0xEE;
    qpdf_ostm twin = *t;
    qpdf_ostms_sort(s);
    for (size_t i = 1; i <= N; i++)
        assert_true(memcmp(s->v[i - 1].sum, s->v[i].sum, 32) <= 0);
    for (size_t k = 0; k < N; k++) {
        unsigned char sum[32] = {0};
        memcpy(sum, &k, sizeof k);
        uint32_t level = k % 2 ? 6 : 1, raw = (uint32_t)(100 + k / 2);
        const qpdf_ostm *o = qpdf_ostms_find(s, sum, level, raw);
        assert_non_null(o);
        assert_int_equal(o->z[0], (unsigned char)k);
        assert_null(qpdf_ostms_find(s, sum, level == 6 ? 1 : 6, raw));
        assert_null(qpdf_ostms_find(s, sum, level, raw + 1));
    }
    const qpdf_ostm *o = qpdf_ostms_find(s, twin.sum, 12, twin.raw);
    assert_non_null(o);
    assert_int_equal(o->z[0], 0xEE);
    unsigned char none[32];
    memset(none, 0xff, sizeof none);
    assert_null(qpdf_ostms_find(s, none, 6, 100));
    /* bytes taken or gone: not found */
    free(o->z);
    ((qpdf_ostm *)o)->z = NULL;
    assert_null(qpdf_ostms_find(s, twin.sum, 12, twin.raw));
    assert_null(qpdf_ostms_find(NULL, twin.sum, 12, twin.raw));
    qpdf_ostms_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_tagged),
        cmocka_unit_test(test_round_trip_untagged),
        cmocka_unit_test(test_not_written),
        cmocka_unit_test(test_ostms),
        cmocka_unit_test(test_ostms_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
