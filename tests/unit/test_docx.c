/* src/docx's pieces that the e2e tests (tests/e2e/import_*.sh) reach only
 * through whole documents: typed numbers, style names in Word's
 * languages and a council's mapping, the loader's foreign parts (names
 * unprefixed, text verbatim), and the import's refusals from memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "docx.h"
#include "load.h"
#include "test_engine.h"

static void typed(const char *s, size_t want, unsigned maj, unsigned min) {
    unsigned a = 99, b = 99;
    size_t k = dx_typed_number(s, &a, &b);
    assert_int_equal(k, want);
    if (want) {
        assert_int_equal(a, maj);
        assert_int_equal(b, min);
    }
}

static void test_typed_number(void **state) {
    (void)state;
    typed("3.2 Text", 4, 3, 2);
    typed("3.12\tText", 5, 3, 12);
    typed("3. Proposals", 3, 3, 0);
    typed("3 Proposals", 2, 3, 0);
    typed("3.2. Text", 5, 3, 2);
    typed("2025 budget", 0, 0, 0);   /* a year is text */
    typed("3.2.1 Text", 0, 0, 0);    /* three levels: not a paragraph number */
    typed("0. Nothing", 0, 0, 0);
    typed("3.2Text", 0, 0, 0);
    typed("Text 3.2", 0, 0, 0);
    typed("", 0, 0, 0);
}

static void test_role_names(void **state) {
    (void)state;
    dxmap_style ms[] = {{"Council Heading", DX_H2}, {"Heading 1", DX_H3}};
    dxmapping map = {ms, 2, NULL, 0, NULL};
    dxctx c = {0};
    assert_int_equal(dx_role_of_name(&c, "Heading 1"), DX_H1);
    assert_int_equal(dx_role_of_name(&c, "heading 2"), DX_H2);
    assert_int_equal(dx_role_of_name(&c, "Überschrift 3"), DX_H3);
    assert_int_equal(dx_role_of_name(&c, "Pennawd 1"), DX_H1);
    assert_int_equal(dx_role_of_name(&c, "Titre"), DX_TITLE);
    assert_int_equal(dx_role_of_name(&c, "Heading 10"), DX_BODY);
    assert_int_equal(dx_role_of_name(&c, "Council Heading"), DX_BODY);
    assert_int_equal(dx_role_of_name(&c, NULL), DX_BODY);
    c.map = &map;
    /* the mapping first, over Word's own names */
    assert_int_equal(dx_role_of_name(&c, "council heading"), DX_H2);
    assert_int_equal(dx_role_of_name(&c, "Heading 1"), DX_H3);
}

static void test_foreign_part(void **state) {
    (void)state;
    static const char x[] =
        "<w:document xmlns:w=\"urn:w\" xmlns:r=\"urn:r\">"
        "<w:p w:rsid=\"1\"><w:t xml:space=\"preserve\"> two  spaces </w:t>"
        "<w:hyperlink r:id=\"rId4\"/>\n  <w:t>x</w:t></w:p></w:document>";
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = qload_xml_part(x, sizeof x - 1, "t.docx/word/document.xml", 0, 0, d);
    assert_non_null(doc);
    assert_int_equal(quorum_diags_count(d), 0);
    assert_string_equal(doc->root->name, "document");
    const qnode *p = dx_child(doc->root, "p");
    assert_non_null(p);
    assert_string_equal(dx_attr(p, "rsid"), "1");
    const qnode *t = dx_child(p, "t");
    assert_non_null(t->first);
    assert_string_equal(t->first->text, " two  spaces "); /* not collapsed */
    assert_string_equal(dx_attr(dx_child(p, "hyperlink"), "id"), "rId4");
    assert_non_null(dx_next(t, "t"));
    quorum_doc_free(doc);
    /* the depth limit holds for parts too */
    static const char deep[] = "<a><a><a><a/></a></a></a>";
    doc = qload_xml_part(deep, sizeof deep - 1, "deep.xml", 0, 3, d);
    assert_null(doc);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    quorum_diags_free(d);
}

static void test_refusals(void **state) {
    (void)state;
    const quorum_engine *e = test_engine();
    quorum_diags *d = quorum_diags_new();
    char *xml = (char *)1;
    size_t len = 7;
    static const char junk[] = "PK\3\4 not really a zip";
    assert_int_equal(quorum_docx_import_memory(e, junk, sizeof junk - 1, "j.docx", NULL,
                                               &xml, &len, d),
                     QUORUM_INVALID_INPUT);
    assert_null(xml);
    assert_int_equal(len, 0);
    assert_int_equal(quorum_diags_count_severity(d, QUORUM_ERROR), 1);
    quorum_diag g;
    assert_int_equal(quorum_diags_get(d, 0, &g), 0);
    assert_string_equal(g.file, "j.docx");
    assert_non_null(strstr(g.message, "not a Word document"));
    assert_int_equal(quorum_docx_import_memory(NULL, junk, 4, "j.docx", NULL, &xml, &len, d),
                     QUORUM_USAGE);
    quorum_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed_number),
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_foreign_part),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
