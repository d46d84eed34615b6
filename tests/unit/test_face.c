/* qstyle_face_of (style.h) is the one answer to "which face draws this
 * text": check measures with it, so it must be the face layout draws
 * with.  For every word that occurs once in a document and once in its
 * laid-out pages, the face of the text item holding it must be the face
 * qstyle_face_of gives the text node holding it, under the built-in
 * style and under styles with their own heading and table families. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util.h"
#include "doc.h"
#include "dlist.h"
#include "layout.h"
#include "style.h"
#include "test_engine.h"

static int is_word_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Words and how often they occur, with the text item of the last one:
 * an open-addressing table (the two documents have a few thousand). */
typedef struct wslot {
    const char *w;
    size_t len;
    int count;
    const qdl_item *item;
} wslot;
#define NSLOTS (1u << 16)

static wslot *slot(wslot *t, const char *w, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
    for (uint32_t i = h & (NSLOTS - 1);; i = (i + 1) & (NSLOTS - 1))
        if (!t[i].w || (t[i].len == len && memcmp(t[i].w, w, len) == 0)) {
            if (!t[i].w) {
                t[i].w = w;
                t[i].len = len;
            }
            return &t[i];
        }
}

/* Counts every word of s[0, n) in t; item: what holds it. */
static void add_words(wslot *t, const char *s, size_t n, const qdl_item *item) {
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && is_word_char((unsigned char)s[j])) j++;
        if (j > i) {
            wslot *w = slot(t, s + i, j - i);
            w->count++;
            w->item = item;
        }
        i = j < n ? j + 1 : j;
    }
}

/* The text item drawing exactly the string s, or NULL. */
static const qdl_item *item_with_text(const qdlist *dl, const char *s) {
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            if (it->kind == QDL_TEXT && it->text && it->len == strlen(s) &&
                memcmp(it->text, s, it->len) == 0)
                return it;
        }
    }
    return NULL;
}

/* Printed attributes drawn on their own (a sign-off's name and title, a
 * chart's caption and labels) are drawn in qstyle_attr_face_of's face. */
static size_t compare_attrs(const quorum_doc *doc, const qdlist *dl, const qstyle *s,
                            const char *report, const char *style_name) {
    static const char *const printed[] = {"name", "title", "caption", "label", NULL};
    size_t compared = 0;
    for (const qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type != QN_SIGN_OFF && n->type != QN_BAR_CHART && n->type != QN_BAR &&
            n->type != QN_SEGMENT)
            continue;
        for (int k = 0; printed[k]; k++) {
            const char *v = qdoc_attr(n, printed[k]);
            const qdl_item *it = v ? item_with_text(dl, v) : NULL;
            if (!it) continue;
            qfont_face want = qstyle_attr_face_of(s, n, printed[k]);
            if (it->face != want)
                fail_msg("%s, style %s: %s=\"%s\" is drawn in face %d, "
                         "qstyle_attr_face_of says %d", report,
                         style_name ? style_name : "built-in", printed[k], v, it->face,
                         (int)want);
            compared++;
        }
    }
    return compared;
}

static size_t compare_path(const char *path, const char *report, const char *style_name,
                           size_t *attrs_compared) {
    const quorum_engine *e = test_engine();
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(e, path, d);
    assert_non_null(doc);
    quorum_options opt = {NULL, style_name};
    quorum_layout *l = quorum_doc_layout(e, doc, &opt, d);
    assert_non_null(l);
    qarena *a = qarena_new(0);
    const qstyle *s = qstyle_load(e, style_name, NULL, a, d);
    assert_non_null(s);
    wslot *in_doc = calloc(NSLOTS, sizeof *in_doc);
    wslot *in_items = calloc(NSLOTS, sizeof *in_items);
    assert_non_null(in_doc);
    assert_non_null(in_items);
    for (const qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type == QN_TEXT) add_words(in_doc, n->text, n->text_len, NULL);
        for (const qattr *at = n->attrs; at; at = at->next)
            add_words(in_doc, at->value, strlen(at->value), NULL);
    }
    const qdlist *dl = l->dl;
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            if (it->kind == QDL_TEXT && it->text) add_words(in_items, it->text, it->len, it);
        }
    }
    size_t compared = 0;
    for (const qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type != QN_TEXT) continue;
        const char *t = n->text;
        size_t len = n->text_len;
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && is_word_char((unsigned char)t[j])) j++;
            if (j - i >= 5) {
                const wslot *wi = slot(in_items, t + i, j - i);
                const qdl_item *it = wi->item;
                if (it && wi->count == 1 && slot(in_doc, t + i, j - i)->count == 1) {
                    qfont_face want = qstyle_face_of(s, n);
                    if (it->face != want)
                        fail_msg("%s, style %s: \"%.*s\" is drawn in face %d, "
                                 "qstyle_face_of says %d", report,
                                 style_name ? style_name : "built-in",
                                 (int)(j - i), t + i, it->face, (int)want);
                    compared++;
                }
            }
            i = j < len ? j + 1 : j;
        }
    }
    if (attrs_compared) *attrs_compared += compare_attrs(doc, dl, s, report, style_name);
    free(in_doc);
    free(in_items);
    qarena_free(a);
    quorum_layout_free(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return compared;
}

static size_t compare(const char *report, const char *style_name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", getenv("QUORUM_SOURCE_DIR"), report);
    return compare_path(path, report, style_name, NULL);
}

/* Nestings where layout once decided faces by itself and disagreed with
 * the check: a table in a quote (its cells were upright), a subheading in
 * a quote, recommendations in a table cell (body bold, not the table
 * family), a sign-off's name and a chart's caption (measured regular,
 * drawn bold).  Every word occurs once. */
static const char nested_xml[] =
    "<report xmlns=\"urn:quorum:report:1\">\n"
    "<front-sheet><field role=\"title\">Titular</field>\n"
    "<field role=\"meeting-date\" date=\"2025-01-29\">29 January</field></front-sheet>\n"
    "<section><heading>Headline</heading>\n"
    "<quote><p>Quoted paragraph</p><subheading>Quoted subheading</subheading>\n"
    "<table><row header=\"true\"><cell>Quoted header</cell><cell>Second column</cell></row>\n"
    "<row><cell>Quoted plain</cell><cell bold=\"true\">Quoted boldly</cell></row></table>\n"
    "</quote>\n"
    "<table><row><cell><recommendations><recommendation>Celled recommendation"
    "</recommendation></recommendations></cell>\n"
    "<cell><quote><p>Celled quotation</p></quote></cell></row></table>\n"
    "<bar-chart caption=\"Visitors chart\"><bar label=\"Grays\"><segment value=\"3\" "
    "label=\"Weekdays\"/></bar></bar-chart>\n"
    "</section>\n"
    "<implication type=\"legal\"><p>Lawful</p>"
    "<sign-off name=\"Sam Keeper\" title=\"Strategic Lead\" date=\"2025-02-20\"/>"
    "</implication>\n"
    "</report>\n";

static void test_nested_faces_agree(void **state) {
    (void)state;
    char path[] = "/tmp/quorum-face-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(nested_xml, 1, sizeof nested_xml - 1, f), sizeof nested_xml - 1);
    assert_int_equal(fclose(f), 0);
    static const char *const styles[] = {NULL, "riverside", "northgate"};
    for (size_t k = 0; k < 3; k++) {
        size_t attrs = 0;
        assert_true(compare_path(path, "nested", styles[k], &attrs) >= 10);
        assert_true(attrs >= 4);
    }
    unlink(path);
}

/* A word of s[0, n) that occurs once in the meeting and once in the pack
 * is drawn in the face want. */
static size_t compare_words(wslot *in_doc, wslot *in_items, const char *t, size_t len,
                            qfont_face want, const char *style_name) {
    size_t compared = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && is_word_char((unsigned char)t[j])) j++;
        if (j - i >= 4) {
            const wslot *wi = slot(in_items, t + i, j - i);
            if (wi->item && wi->count == 1 && slot(in_doc, t + i, j - i)->count == 1) {
                if (wi->item->face != want)
                    fail_msg("pack, style %s: \"%.*s\" is drawn in face %d, the check "
                             "measures face %d", style_name ? style_name : "built-in",
                             (int)(j - i), t + i, wi->item->face, (int)want);
                compared++;
            }
        }
        i = j < len ? j + 1 : j;
    }
    return compared;
}

/* The pack's own pages draw the meeting file's text (committee, venue,
 * members, clerk, item titles, reasons for urgency) in the faces the
 * meeting check measures them with. */
static void test_pack_draws_meeting_with_face_of(void **state) {
    (void)state;
    const quorum_engine *e = test_engine();
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/meeting.xml",
             getenv("QUORUM_SOURCE_DIR"));
    static const char *const styles[] = {NULL, "riverside", "northgate"};
    for (size_t k = 0; k < 3; k++) {
        quorum_diags *d = quorum_diags_new();
        quorum_doc *m = quorum_doc_load(e, path, d);
        assert_non_null(m);
        quorum_pack *pk = quorum_pack_load(e, path, d);
        assert_non_null(pk);
        quorum_pack_options po = {NULL, styles[k], NULL, 0, 0, NULL, NULL, NULL};
        quorum_layout *l = quorum_pack_layout(e, pk, &po, d);
        assert_non_null(l);
        qarena *a = qarena_new(0);
        const qstyle *s = qstyle_load(e, styles[k], NULL, a, d);
        assert_non_null(s);
        wslot *in_doc = calloc(NSLOTS, sizeof *in_doc);
        wslot *in_items = calloc(NSLOTS, sizeof *in_items);
        assert_non_null(in_doc);
        assert_non_null(in_items);
        for (const qnode *n = m->root; n; n = qdoc_next(n, m->root)) {
            if (n->type == QN_TEXT) add_words(in_doc, n->text, n->text_len, NULL);
            for (const qattr *at = n->attrs; at; at = at->next)
                add_words(in_doc, at->value, strlen(at->value), NULL);
        }
        const qdlist *dl = l->dl;
        for (size_t p = 0; p < dl->pages.len; p++) {
            const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
            for (size_t i = 0; i < pg->items.len; i++) {
                const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
                if (it->kind == QDL_TEXT && it->text) add_words(in_items, it->text, it->len, it);
            }
        }
        size_t texts = 0, attrs = 0;
        static const char *const printed[] = {"title", "urgency", "name", "role", NULL};
        for (const qnode *n = m->root; n; n = qdoc_next(n, m->root)) {
            if (n->type == QN_TEXT)
                texts += compare_words(in_doc, in_items, n->text, n->text_len,
                                       qstyle_face_of(s, n), styles[k]);
            for (int j = 0; printed[j]; j++) {
                const char *v = qdoc_attr(n, printed[j]);
                if (v)
                    attrs += compare_words(in_doc, in_items, v, strlen(v),
                                           qstyle_attr_face_of(s, n, printed[j]), styles[k]);
            }
        }
        assert_true(texts >= 5);
        assert_true(attrs >= 5);
        free(in_doc);
        free(in_items);
        qarena_free(a);
        quorum_layout_free(l);
        quorum_pack_free(pk);
        quorum_doc_free(m);
        quorum_diags_free(d);
    }
}

static void test_layout_draws_with_face_of(void **state) {
    (void)state;
    static const char *const reports[] = {
        "tests/golden/basic/report.xml", "input/council-2025-01-29/report.xml"};
    static const char *const styles[] = {NULL, "riverside", "northgate"};
    for (size_t r = 0; r < 2; r++)
        for (size_t k = 0; k < 3; k++)
            assert_true(compare(reports[r], styles[k]) > 50);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_draws_with_face_of),
        cmocka_unit_test(test_nested_faces_agree),
        cmocka_unit_test(test_pack_draws_meeting_with_face_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
