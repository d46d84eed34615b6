/* The words quorum writes itself (src/words): the shipped English and
 * Welsh tables are complete and clean, a document's language picks its
 * words with English behind every missing one, a style's strings file
 * adds a language or overrides a word, and a broken strings file gets
 * errors at their line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "words.h"
#include "test_util.h"

static const char *src_dir(void) {
    const char *s = getenv("QUORUM_SOURCE_DIR");
    return s ? s : ".";
}

static qw_table *load(qarena *a, quorum_diags *d, const char *xml) {
    return qw_load_memory(xml, strlen(xml), "t.xml", a, d);
}

/* Each shipped file reads without a word of complaint; English has every
 * key (it stands behind every language), Welsh too. */
static void test_shipped_complete(void **state) {
    (void)state;
    static const char *const files[] = {"en.xml", "cy.xml"};
    for (size_t f = 0; f < 2; f++) {
        qarena *a = qarena_new(0);
        quorum_diags *d = quorum_diags_new();
        char path[4096];
        snprintf(path, sizeof path, "%s/data/strings/%s", src_dir(), files[f]);
        qw_table *t = qw_load_file(path, a, d);
        assert_string_equal(test_diags_text(d), "");
        assert_non_null(t);
        for (int k = 0; k < QW__COUNT; k++) {
            if (!t->text[k]) fail_msg("%s has no \"%s\"", files[f], qw_key_name((qw_key)k));
            assert_true(t->text[k][0] != '\0');
        }
        quorum_diags_free(d);
        qarena_free(a);
    }
}

static void test_welsh(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    const qw_words *w = qw_for(a, NULL, "cy-GB");
    assert_string_equal(qw_page_of(a, w, 1, 3), "Tudalen 1 o 3");
    assert_string_equal(qw_date(a, w, "2025-01-29", 1), "Dydd Mercher, 29 Ionawr 2025");
    assert_string_equal(qw_date(a, w, "2010-09-14", 0), "14 Medi 2010");
    assert_string_equal(qw_fmt(a, w, QW_AGENDA_ITEM, "7"), "Eitem Agenda 7");
    assert_string_equal(qw_fmt(a, w, QW_APPENDIX_BOOKMARK, "2", "Map"), "Atodiad 2: Map");
    assert_string_equal(w->text[QW_REF_PARAGRAPH], "paragraff");
    assert_true(qw_known(NULL, "CY"));
    /* English as it always printed */
    w = qw_for(a, NULL, "en-GB");
    assert_string_equal(qw_page_of(a, w, 12, 37), "Page 12 of 37");
    assert_string_equal(qw_date(a, w, "2025-01-29", 1), "Wednesday, 29 January 2025");
    assert_string_equal(qw_fmt(a, w, QW_SIGN_OFF_DATE, "8 January 2025"), "Date 8 January 2025");
    assert_string_equal(qw_date(a, w, "not a date", 0), "not a date");
    qarena_free(a);
}

/* A language quorum has no words for prints in English (the check warns,
 * test: e2e words.sh); so does no language at all. */
static void test_unknown_language_is_english(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    assert_false(qw_known(NULL, "fr"));
    assert_true(qw_known(NULL, NULL));
    const qw_words *w = qw_for(a, NULL, "fr");
    assert_string_equal(qw_page_of(a, w, 1, 2), "Page 1 of 2");
    assert_string_equal(w->text[QW_SKIP_LINK], "Skip to main content");
    w = qw_for(a, NULL, NULL);
    assert_string_equal(w->lang, "en");
    assert_string_equal(w->text[QW_MONTH_1 + 8], "September");
    qarena_free(a);
}

/* A style's table comes first; a key it leaves out comes from the
 * shipped table of its language, then from English. */
static void test_style_table_and_missing_keys(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    qw_table *cy = load(a, d, "<strings xmlns=\"urn:quorum:strings:1\" xml:lang=\"cy\">"
                              "<string id=\"page-of\">Tud. {page}/{pages}</string></strings>");
    qw_table *gd = load(a, d, "<strings xmlns=\"urn:quorum:strings:1\" xml:lang=\"gd-GB\">"
                              "<string id=\"appendix\">Eàrr-ràdh {number}</string></strings>");
    assert_string_equal(test_diags_text(d), "");
    assert_non_null(cy);
    assert_non_null(gd);
    cy->next = gd;
    const qw_words *w = qw_for(a, cy, "cy");
    assert_string_equal(qw_page_of(a, w, 2, 9), "Tud. 2/9");
    assert_string_equal(w->text[QW_MONTH_1], "Ionawr");            /* shipped Welsh */
    w = qw_for(a, cy, "gd");
    assert_true(qw_known(cy, "gd"));
    assert_string_equal(qw_fmt(a, w, QW_APPENDIX, "3"), "Eàrr-ràdh 3");
    assert_string_equal(qw_page_of(a, w, 1, 1), "Page 1 of 1");   /* English behind */
    quorum_diags_free(d);
    qarena_free(a);
}

static void test_broken_files(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    assert_null(load(a, d, "<strings xmlns=\"urn:quorum:strings:1\" xml:lang=\"cy\">\n"
                           "  <string id=\"page-off\">x</string>\n"
                           "  <string id=\"date\">{dydd} {month}</string>\n"
                           "  <string id=\"page\">Tudalen {page</string>\n"
                           "  <string id=\"skip-link\">a</string>\n"
                           "  <string id=\"skip-link\">b</string>\n"
                           "  <word id=\"page\">c</word>\n"
                           "  <string id=\"appendix\">Atodiad <b>{number}</b></string>\n"
                           "</strings>\n"));
    assert_string_equal(test_diags_text(d),
        "2:11: unknown string id \"page-off\"; did you mean \"page-of\"?\n"
        "3:3: string \"date\": {dydd} is not a placeholder it takes (it takes {day} {month} {year})\n"
        "4:3: string \"page\": \"{\" without a closing \"}\"\n"
        "6:11: string \"skip-link\" given twice (first on line 5)\n"
        "7:3: unknown element <word> in a strings file (expected <string id=\"…\">)\n"
        "8:33: <string> holds text only, not <b>\n");
    quorum_diags_free(d);
    d = quorum_diags_new();
    assert_null(load(a, d, "<strings xmlns=\"urn:quorum:strings:1\"><string id=\"page\">"
                           "{page}</string></strings>"));
    assert_string_equal(test_diags_text(d), "1:1: <strings> needs xml:lang, the language of its "
                                       "words (e.g. xml:lang=\"cy\")\n");
    quorum_diags_free(d);
    qarena_free(a);
}

/* The shipped files read without the loader (qw_read_simple) give the
 * loader's tables, word for word. */
static void test_simple_form_is_the_loaders(void **state) {
    (void)state;
    static const char *const files[] = {"en.xml", "cy.xml"};
    for (size_t f = 0; f < 2; f++) {
        qarena *a = qarena_new(0);
        quorum_diags *d = quorum_diags_new();
        char path[4096];
        snprintf(path, sizeof path, "%s/data/strings/%s", src_dir(), files[f]);
        unsigned char *bytes = NULL;
        size_t len = 0;
        assert_int_equal(qfile_read(path, 0, 1 << 20, &bytes, &len), 0);
        qw_table *full = qw_load_memory((const char *)bytes, len, path, a, d);
        qw_table *simple = qw_read_simple((const char *)bytes, len, a);
        assert_non_null(full);
        if (!simple) fail_msg("%s is not in the simple form", files[f]);
        assert_string_equal(simple->lang, full->lang);
        for (int k = 0; k < QW__COUNT; k++) {
            if (!full->text[k]) {
                assert_null(simple->text[k]);
                continue;
            }
            if (!simple->text[k] || strcmp(simple->text[k], full->text[k]) != 0)
                fail_msg("%s \"%s\": \"%s\", the loader's \"%s\"", files[f],
                         qw_key_name((qw_key)k), simple->text[k] ? simple->text[k] : "(none)",
                         full->text[k]);
        }
        free(bytes);
        quorum_diags_free(d);
        qarena_free(a);
    }
}

/* White space as the loader leaves it; any other form is left to the
 * loader (NULL), which reads it or says what is wrong. */
static void test_simple_form_or_the_loader(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
#define ROOT "<strings xmlns=\"urn:quorum:strings:1\" xml:lang=\"cy-GB\">"
    const char *ok = "<?xml version=\"1.0\"?>\n<!-- c -->\n" ROOT "\n <!-- a -->\n"
                     "<string id=\"page\">\n  Tudalen \t\r\n {page}  </string>"
                     "<string id=\"agenda\"> </string><string id=\"page-of\">a  b</string>"
                     "</strings>\n<!-- end -->\n";
    qw_table *simple = qw_read_simple(ok, strlen(ok), a);
    qw_table *full = qw_load_memory(ok, strlen(ok), "ok.xml", a, d);
    assert_non_null(simple);
    assert_non_null(full);
    assert_string_equal(simple->lang, "cy");
    assert_string_equal(simple->text[QW_PAGE], "Tudalen {page}");
    assert_string_equal(simple->text[QW_PAGE], full->text[QW_PAGE]);
    assert_string_equal(simple->text[QW_AGENDA], full->text[QW_AGENDA]);
    assert_string_equal(simple->text[QW_PAGE_OF], full->text[QW_PAGE_OF]);
    assert_null(simple->text[QW_DATE]);
    static const char *const others[] = {
        ROOT "<string id=\"page\">a &amp; b</string></strings>",
        ROOT "<string id=\"page\">a <b>b</b></string></strings>",
        ROOT "<string id=\"page\"><![CDATA[a]]></string></strings>",
        ROOT "<string id=\"page\">a</string><string id=\"page\">b</string></strings>",
        ROOT "<string id=\"page-off\">a</string></strings>",
        ROOT "<string id=\"page\">{pages}</string></strings>",
        ROOT "<string id=\"page\">{page</string></strings>",
        ROOT "<string xml:id=\"page\">a</string></strings>",
        ROOT "<word id=\"page\">a</word></strings>",
        ROOT "<string id=\"page\">a</string>",
        ROOT "<string id=\"page\">a</string></strings><x/>",
        "<strings xmlns=\"urn:quorum:strings:1\"><string id=\"page\">a</string></strings>",
        "<strings xmlns=\"urn:other\" xml:lang=\"cy\"></strings>",
        "<strings xmlns=\"urn:quorum:strings:1\" xml:lang=\"cy\" x=\"1\"></strings>",
        "<strings xmlns=\"urn:quorum:strings:1\" xml:lang='cy'></strings>",
        "<!DOCTYPE strings>" ROOT "</strings>",
    };
#undef ROOT
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        if (qw_read_simple(others[i], strlen(others[i]), a))
            fail_msg("read without the loader: %s", others[i]);
    quorum_diags_free(d);
    qarena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_complete),
        cmocka_unit_test(test_welsh),
        cmocka_unit_test(test_unknown_language_is_english),
        cmocka_unit_test(test_style_table_and_missing_keys),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_simple_form_is_the_loaders),
        cmocka_unit_test(test_simple_form_or_the_loader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
