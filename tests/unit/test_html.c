/* The HTML device (src/html): the one escaper, data: URIs, a report page
 * from a document (escaping, lang, ids and links, rating cells, table
 * spans), and writing only changed bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html.h"
#include "test_engine.h"

static void escapes_every_special_character(void **state) {
    (void)state;
    qstr b = {0};
    const char in[] = "a<b>&\"'c \xE2\x80\x93 d";
    qhtml_text(&b, in, strlen(in));
    assert_string_equal(b.s, "a&lt;b&gt;&amp;&quot;&#39;c \xE2\x80\x93 d");
    qhtml_str(&b, NULL); /* nothing */
    assert_int_equal(b.len, strlen("a&lt;b&gt;&amp;&quot;&#39;c \xE2\x80\x93 d"));
    qstr_free(&b);
}

/* The escaper takes sixteen plain bytes at a time: each special byte at
 * every offset of a long run (and the run's end at every length) is
 * escaped where it is; n bounds the read, not a NUL. */
static void escapes_at_every_offset(void **state) {
    (void)state;
    const char specials[] = "&<>\"'\r";
    const char *as[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", ""};
    char in[64], want[128];
    for (int k = 0; k < 6; k++)
        for (size_t at = 0; at < 40; at++) {
            memset(in, 'x', sizeof in);
            in[at] = specials[k];
            in[48] = '<'; /* past n: never read */
            size_t n = 41 + at % 7;
            snprintf(want, sizeof want, "%.*s%s%.*s", (int)at, in, as[k],
                     (int)(n - at - 1), in + at + 1);
            qstr b = {0};
            qhtml_text(&b, in, n);
            assert_string_equal(b.s, want);
            qstr_free(&b);
        }
}

static void data_uri_base64_and_type(void **state) {
    (void)state;
    struct { const char *in; size_t n; const char *out; } t[] = {
        {"Man", 3, "data:application/octet-stream;base64,TWFu"},
        {"Ma", 2, "data:application/octet-stream;base64,TWE="},
        {"M", 1, "data:application/octet-stream;base64,TQ=="},
        {"", 0, "data:application/octet-stream;base64,"},
        {"\x89PNG\r\n\x1a\n", 8, "data:image/png;base64,iVBORw0KGgo="},
        {"\xFF\xD8\xFF", 3, "data:image/jpeg;base64,/9j/"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        qstr b = {0};
        qhtml_data_uri(&b, (const unsigned char *)t[i].in, t[i].n);
        assert_string_equal(b.s, t[i].out);
        qstr_free(&b);
    }
}

static const char report[] =
    "<report xmlns=\"urn:quorum:report:1\" xml:lang=\"en-GB\">"
    "<front-sheet><heading>Report to Committee</heading>"
    "<field role=\"title\" label=\"Report Title\">Fees &lt;script&gt; &amp; \"charges\"</field>"
    "<field role=\"meeting-date\" label=\"Date of Meeting\" date=\"2025-03-04\">4 March 2025</field>"
    "<field role=\"author\" label=\"Report Author\">A. Author</field>"
    "<field role=\"director\" label=\"Corporate Director\">Director</field>"
    "<field role=\"wards\" label=\"Wards Affected\">All</field>"
    "<field role=\"appendices\" label=\"Appendices (if any)\">None</field>"
    "</front-sheet>"
    "<section id=\"s1\"><heading>Proposals</heading>"
    "<p>First, see <ref to=\"p-two\"/>.</p>"
    "<p id=\"p-two\">Second <i xml:lang=\"cy\">Cyngor</i>.</p>"
    "<p><a href=\"JavaScript:alert(1)\">bad</a> <a href=\"HTTPS://example.org/a:b\">good</a>"
    " <a href=\"notes/a.pdf\">rel</a></p>"
    "<table caption=\"Spans\"><row header=\"true\"><cell colspan=\"2\">Head</cell></row>"
    "<row><cell rowspan=\"2\">Tall</cell><cell rating=\"R\">R</cell></row>"
    "<row><cell>Last</cell></row></table>"
    "</section></report>";

static char *page_of(const char *xml) {
    const quorum_engine *e = test_engine();
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(e, xml, strlen(xml), "t.xml", d);
    assert_non_null(doc);
    size_t errors = quorum_doc_check(e, doc, NULL, d);
    if (errors) quorum_diags_print(d, stderr, 0);
    assert_int_equal(errors, 0);
    char *bytes = NULL;
    size_t len = 0;
    assert_int_equal(quorum_doc_write_html_memory(e, doc, NULL, &bytes, &len, d), QUORUM_OK);
    assert_int_equal(strlen(bytes), len);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return bytes;
}

static void report_page(void **state) {
    (void)state;
    char *p = page_of(report);
    /* text escaped, never markup; the title in <title> and the one h1 */
    assert_null(strstr(p, "<script"));
    assert_non_null(strstr(p, "<title>Fees &lt;script&gt; &amp; &quot;charges&quot;</title>"));
    assert_non_null(strstr(p, "<h1>Fees &lt;script&gt;"));
    assert_null(strstr(strstr(p, "<h1>") + 4, "<h1>"));
    assert_non_null(strstr(p, "<html lang=\"en-GB\">"));
    assert_non_null(strstr(p, "<em lang=\"cy\">Cyngor</em>"));
    /* numbered paragraphs: number in the text, an id; the reference links it */
    assert_non_null(strstr(p, "<p id=\"para-1.1\"><span class=\"num\">1.1</span> First, see "
                              "<a href=\"#p-two\">paragraph 1.2</a>.</p>"));
    assert_non_null(strstr(p, "<p id=\"p-two\"><span class=\"num\">1.2</span> Second"));
    assert_non_null(strstr(p, "<h2 id=\"s1\"><span class=\"num\">1.</span> Proposals</h2>"));
    /* table semantics: caption, header scope, spans, a rating's code with its colour */
    assert_non_null(strstr(p, "<caption>Spans</caption>"));
    assert_non_null(strstr(p, "<th scope=\"col\" colspan=\"2\">Head</th>"));
    assert_non_null(strstr(p, "<td rowspan=\"2\">Tall</td>"));
    assert_non_null(strstr(p, "style=\"background-color:#C00000;color:#FFFFFF;\"><abbr title=\"Red\">R</abbr></td>"));
    /* the front sheet: a row header per field */
    assert_non_null(strstr(p, "<tr><th scope=\"row\">Report Author</th><td>A. Author</td></tr>"));
    /* links: only relative ones and those of the schemes a report uses */
    assert_null(strstr(p, "alert"));
    assert_non_null(strstr(p, "</span> bad <a href=\"HTTPS://example.org/a:b\">good</a> "
                              "<a href=\"notes/a.pdf\">rel</a></p>"));
    char *again = page_of(report);
    assert_string_equal(p, again); /* same document, same bytes */
    free(again);
    free(p);
}

/* The names an HTML page gives what has no title of its own are words of
 * the document's language: a Welsh report without title or heading is an
 * "Adroddiad", a form without a heading a "Ffurflen". */
static void untitled_in_its_language(void **state) {
    (void)state;
    const quorum_engine *e = test_engine();
    quorum_diags *d = quorum_diags_new();
    static const char cy[] =
        "<report xmlns=\"urn:quorum:report:1\" xml:lang=\"cy-GB\"><front-sheet>"
        "<field role=\"title\" label=\"Teitl\"> </field></front-sheet></report>";
    quorum_doc *doc = quorum_doc_load_memory(e, cy, strlen(cy), "t.xml", d);
    assert_non_null(doc);
    qarena *a = qarena_new(0);
    assert_string_equal(qhtml_report_title(a, doc, qw_for(a, NULL, "cy-GB")), "Adroddiad");
    assert_string_equal(qhtml_report_title(a, doc, qw_english()), "Report");
    qarena_free(a);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    char *page = page_of(
        "<report xmlns=\"urn:quorum:report:1\" xml:lang=\"cy-GB\"><front-sheet>"
        "<field role=\"title\" label=\"Teitl\">Cynllun</field></front-sheet>"
        "<form numbered=\"false\"><field label=\"Dyddiad\">07/01/2025</field></form>"
        "</report>");
    assert_non_null(strstr(page, "<caption class=\"vh\">Ffurflen</caption>"));
    free(page);
}

static void commit_writes_only_changes(void **state) {
    (void)state;
    char dir[] = "/tmp/qhtml.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], input[64];
    snprintf(path, sizeof path, "%s/page.html", dir);
    snprintf(input, sizeof input, "%s/in.xml", dir);
    quorum_diags *d = quorum_diags_new();
    int written = -1;
    assert_int_equal(qhtml_commit("abc", 3, path, "the HTML", NULL, 0, &written, d), QUORUM_OK);
    assert_int_equal(written, 1);
    struct stat a, b;
    assert_int_equal(stat(path, &a), 0);
    assert_int_equal(qhtml_commit("abc", 3, path, "the HTML", NULL, 0, &written, d), QUORUM_OK);
    assert_int_equal(written, 0);
    assert_int_equal(stat(path, &b), 0);
    assert_int_equal(a.st_ino, b.st_ino);
    /* a prefix of the file is a change too */
    assert_int_equal(qhtml_commit("ab", 2, path, "the HTML", NULL, 0, &written, d), QUORUM_OK);
    assert_int_equal(written, 1);
    assert_int_equal(stat(path, &b), 0);
    assert_int_equal(b.st_size, 2);
    /* never over an input */
    FILE *f = fopen(input, "w");
    assert_non_null(f);
    fputs("<x/>", f);
    fclose(f);
    const char *inputs[] = {input};
    assert_int_equal(qhtml_commit("abc", 3, input, "the HTML", inputs, 1, &written, d),
                     QUORUM_USAGE);
    assert_int_equal(written, 0);
    assert_int_equal(stat(input, &b), 0);
    assert_int_equal(b.st_size, 4);
    unlink(path);
    unlink(input);
    rmdir(dir);
    quorum_diags_free(d);
}

/* qhtml_same, which the page, the site's pages and its index use: the
 * same bytes at any offset (compared a piece at a time), another size,
 * a link or no file at all is not the same; a page is reserved its
 * room at once. */
static void same_compares_every_byte(void **state) {
    (void)state;
    char dir[] = "/tmp/qhtml.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], link[64];
    snprintf(path, sizeof path, "%s/page.html", dir);
    snprintf(link, sizeof link, "%s/link.html", dir);
    size_t n = 100000; /* several of the compare's pieces */
    char *bytes = malloc(n);
    assert_non_null(bytes);
    for (size_t i = 0; i < n; i++) bytes[i] = (char)('a' + i % 23);
    assert_int_equal(qhtml_same(bytes, n, path), 0); /* no file */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    assert_int_equal(qhtml_same(bytes, n, path), 1);
    assert_int_equal(qhtml_same(bytes, n - 1, path), 0); /* the file is longer */
    /* one byte changed, past the first piece and in the last */
    static const size_t at[] = {0, 16383, 16384, 40000, 99999};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        bytes[at[i]] ^= 1;
        assert_int_equal(qhtml_same(bytes, n, path), 0);
        bytes[at[i]] ^= 1;
    }
    char *more = malloc(n + 1);
    assert_non_null(more);
    memcpy(more, bytes, n);
    more[n] = 'x';
    assert_int_equal(qhtml_same(more, n + 1, path), 0); /* the file is shorter */
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(qhtml_same(bytes, n, link), 0);
    qstr b = {0};
    qstr_reserve(&b, 1000);
    assert_true(b.cap > 1000);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.s, "");
    qstr_puts(&b, "abc");
    char *kept = b.s;
    qstr_reserve(&b, 10); /* room enough already */
    assert_ptr_equal(b.s, kept);
    assert_string_equal(b.s, "abc");
    qstr_free(&b);
    free(more);
    free(bytes);
    unlink(link);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_every_special_character),
        cmocka_unit_test(escapes_at_every_offset),
        cmocka_unit_test(data_uri_base64_and_type),
        cmocka_unit_test(report_page),
        cmocka_unit_test(untitled_in_its_language),
        cmocka_unit_test(commit_writes_only_changes),
        cmocka_unit_test(same_compares_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
