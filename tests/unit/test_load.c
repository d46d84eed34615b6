/* Loader: positions, whitespace, refusal of unsafe or malformed input,
 * appendix grafting, schema errors mapped to positions. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <cmocka.h>

#include "test_util.h"

#include "doc.h"
#include "dlist.h"
#include "load.h"
#include "test_engine.h"
#define TE test_engine()

#define HEAD "<report xmlns=\"urn:quorum:report:1\">\n" \
             "<front-sheet><field role=\"title\">T</field></front-sheet>\n"
#define TAIL "</report>\n"

static quorum_doc *load_str(const char *xml, quorum_diags *d) {
    return quorum_doc_load_memory(TE, xml, strlen(xml), "mem.xml", d);
}

/* "line:col: severity: message" of diagnostic i */
static const char *diag_str(quorum_diags *d, size_t i) {
    static char buf[1024];
    quorum_diag q;
    if (quorum_diags_get(d, i, &q) != 0) return "(none)";
    snprintf(buf, sizeof buf, "%u:%u: %s: %s", q.line, q.col,
             q.severity == QUORUM_ERROR ? "error"
             : q.severity == QUORUM_WARNING ? "warning" : "note",
             q.message);
    return buf;
}

/* the k-th (0-based) node of type t in document order */
static qnode *nth(const quorum_doc *doc, qdoc_type t, int k) {
    for (qnode *n = doc->root; n; n = qdoc_next(n, doc->root))
        if (n->type == t && k-- == 0) return n;
    return NULL;
}

static void test_positions_of_elements_attributes_and_text(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml =
        HEAD
        "<section id=\"s1\">\n"
        "  <p>Café “q” – <b>x</b></p>\n"
        "  <p\n     id=\"p2\">é<i>y</i></p>\n"
        "</section>\n" TAIL;
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc);
    qnode *sec = nth(doc, QN_SECTION, 0);
    assert_int_equal(sec->pos.line, 3);
    assert_int_equal(sec->pos.col, 1);
    assert_int_equal(qdoc_attr_get(sec, "id")->pos.col, 10);
    qnode *p = nth(doc, QN_PARA, 0);
    assert_int_equal(p->pos.line, 4);
    assert_int_equal(p->pos.col, 3);
    /* "  <p>Café “q” – <b": columns count characters, not bytes */
    qnode *b = nth(doc, QN_BOLD, 0);
    assert_int_equal(b->pos.line, 4);
    assert_int_equal(b->pos.col, 17);
    qnode *t = nth(doc, QN_TEXT, 1); /* T is text 0 */
    assert_string_equal(t->text, "Café “q” – ");
    assert_int_equal(t->pos.col, 6);
    qnode *p2 = nth(doc, QN_PARA, 1);
    assert_int_equal(p2->pos.line, 5);
    const qattr *id = qdoc_attr_get(p2, "id");
    assert_int_equal(id->pos.line, 6);
    assert_int_equal(id->pos.col, 6);
    qnode *i = nth(doc, QN_ITALIC, 0);
    assert_int_equal(i->pos.line, 6);
    assert_int_equal(i->pos.col, 15);
    assert_int_equal(sec->pos.file, qdiag_file(d, "mem.xml"));
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_whitespace(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml =
        HEAD
        "<section>\n  <heading>  Head\n   ing </heading>\n"
        "  <p>\n    a <b>b</b> c\n  </p>\n"
        "  <p>line<br/>\n   next</p>\n"
        "  <ul>\n    <li>one</li>\n    <li>two <i>x</i></li>\n  </ul>\n"
        "</section>\n" TAIL;
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc);
    qnode *sec = nth(doc, QN_SECTION, 0);
    /* element-only: no text children between blocks */
    for (qnode *c = sec->first; c; c = c->next) assert_int_not_equal(c->type, QN_TEXT);
    qnode *h = nth(doc, QN_HEADING, 0);
    assert_string_equal(qdoc_text(doc->arena, h), "Head ing");
    qnode *p = nth(doc, QN_PARA, 0);
    assert_string_equal(qdoc_text(doc->arena, p), "a b c");
    assert_int_equal(p->first->type, QN_TEXT);
    assert_string_equal(p->first->text, "a ");
    assert_int_equal(p->first->pos.line, 7);
    assert_int_equal(p->first->pos.col, 5); /* first non-space */
    assert_string_equal(p->last->text, " c");
    qnode *p2 = nth(doc, QN_PARA, 1);
    assert_string_equal(p2->last->text, "next");
    qnode *ul = nth(doc, QN_LIST, 0);
    for (qnode *c = ul->first; c; c = c->next) assert_int_equal(c->type, QN_ITEM);
    assert_null(qdoc_attr(ul, "ordered"));
    qnode *li2 = nth(doc, QN_ITEM, 1);
    assert_string_equal(li2->first->text, "two ");
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_ol_lang_cdata_comments(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml =
        HEAD
        "<section xml:lang=\"cy\"><ol><li>a<!-- c -->b <![CDATA[<x>]]> &amp;</li></ol></section>\n"
        TAIL;
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc);
    qnode *ol = nth(doc, QN_LIST, 0);
    assert_string_equal(ol->name, "ol");
    assert_string_equal(qdoc_attr(ol, "ordered"), "true");
    assert_string_equal(qdoc_attr(nth(doc, QN_SECTION, 0), "xml:lang"), "cy");
    qnode *li = nth(doc, QN_ITEM, 0);
    assert_non_null(li->first);
    assert_ptr_equal(li->first, li->last);
    assert_string_equal(li->first->text, "ab <x> &");
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void expect_load_error(const char *xml, size_t len, const char *want) {
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory(TE, xml, len, "mem.xml", d);
    assert_null(doc);
    assert_true(quorum_diags_count(d) >= 1);
    const char *got = diag_str(d, 0);
    if (strstr(got, want) == NULL) fail_msg("got \"%s\", want \"%s\"", got, want);
    quorum_diags_free(d);
}

static void test_malformed(void **state) {
    (void)state;
    const char *x = HEAD "<section><p>x</section>\n" TAIL;
    expect_load_error(x, strlen(x), "3:");
    expect_load_error(x, strlen(x), ": error: </section> where </p> was expected");
    const char *t = "<report xmlns=\"urn:quorum:report:1\">\n<front-sheet>";
    expect_load_error(t, strlen(t), "2:14: error: <front-sheet> (line 2) is never closed");
    expect_load_error("", 0, "1:1: error: the file is empty");
    /* only the first libxml2 error, no cascade */
    quorum_diags *d = quorum_diags_new();
    assert_null(load_str(t, d));
    assert_int_equal((int)quorum_diags_count(d), 1);
    quorum_diags_free(d);
}

static void test_utf8(void **state) {
    (void)state;
    const char x[] = "<report xmlns=\"urn:quorum:report:1\">\n  <p>é\xE9</p>";
    expect_load_error(x, sizeof x - 1, "2:7: error: invalid UTF-8 byte 0xE9");
    const char o[] = "<report>\xC0\xAF</report>"; /* overlong '/' */
    expect_load_error(o, sizeof o - 1, "1:9: error: invalid UTF-8 byte 0xC0");
    const char s[] = "<report>\xED\xA0\x80</report>"; /* surrogate */
    expect_load_error(s, sizeof s - 1, "invalid UTF-8 byte 0xED");
}

static void test_doctype_refused_fast(void **state) {
    (void)state;
    const char *x = "<?xml version=\"1.0\"?>\n<!DOCTYPE report [\n"
                    "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
                    "]>\n<report xmlns=\"urn:quorum:report:1\">&e;&e;&e;</report>\n";
    clock_t t0 = clock();
    expect_load_error(x, strlen(x), "2:1: error: DTDs are not allowed");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    const char *e = "<!DOCTYPE report SYSTEM \"file:///etc/passwd\">"
                    "<report xmlns=\"urn:quorum:report:1\"/>";
    expect_load_error(e, strlen(e), "1:1: error: DTDs are not allowed");
}

static void test_root_and_namespace(void **state) {
    (void)state;
    const char *a = "<report>\n</report>";
    expect_load_error(a, strlen(a), "1:1: error: <report> must be in the namespace urn:quorum:report:1");
    const char *b = "\n  <memo xmlns=\"urn:quorum:report:1\"/>";
    expect_load_error(b, strlen(b), "2:3: error: the root element must be <report>");
    const char *c = "<appendix xmlns=\"urn:quorum:report:1\"><title>x</title></appendix>";
    expect_load_error(c, strlen(c), "an appendix is loaded through the report");
}

static void test_depth_limit(void **state) {
    (void)state;
    size_t n = 300;
    char *x = malloc(n * 8 + 200);
    strcpy(x, "<report xmlns=\"urn:quorum:report:1\">\n");
    for (size_t i = 0; i < n; i++) strcat(x, "<b>");
    expect_load_error(x, strlen(x), "2:");
    expect_load_error(x, strlen(x), "error: elements nested more than 256 deep");
    free(x);
}

static void test_schema_errors_are_positioned(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml = HEAD "<section>\n  <p align=\"middle\">x</p>\n  <para/>\n</section>\n" TAIL;
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc); /* well-formed: the tree is still built */
    assert_true(doc->schema_checked);
    quorum_diags_sort(d);
    assert_true(quorum_diags_count(d) >= 2);
    assert_non_null(strstr(diag_str(d, 0), "4:6: error: align=\"middle\" is not one of"));
    assert_non_null(strstr(diag_str(d, 1), "5:3: error: <para> is not allowed here"));
    assert_null(strstr(diag_str(d, 1), "{urn:"));
    assert_int_equal((int)doc->nschema_errors, (int)quorum_diags_count(d));
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* The engine parses the schema once; one that cannot be read makes no
 * engine, with a diagnostic naming the file. */
static void test_missing_schema_is_a_diagnostic(void **state) {
    (void)state;
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.schema_path = "/nonexistent-quorum/quorum-report-1.xsd";
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = quorum_engine_new(&o, d);
    assert_null(e);
    assert_int_equal((int)quorum_diags_count(d), 1);
    assert_non_null(strstr(diag_str(d, 0), "cannot read the schema"));
    quorum_diags_free(d);
}

static void write_schema(const char *dir, const char *text) {
    char path[4200];
    snprintf(path, sizeof path, "%s/quorum-report-1.xsd", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The schema is read into memory and parsed from there; what libxml2 says
 * about a broken one keeps its lines, and a schema that is not
 * well-formed is still named. */
static void test_broken_schema_is_a_diagnostic(void **state) {
    (void)state;
    char dir[] = "/tmp/qschemaXXXXXX";
    assert_non_null(mkdtemp(dir));
    write_schema(dir, "<?xml version=\"1.0\"?>\n"
                      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"\n"
                      "  targetNamespace=\"urn:x\">\n"
                      "  <xs:element name=\"report\" type=\"nosuch\"/>\n"
                      "</xs:schema>\n");
    char xsd[4200];
    snprintf(xsd, sizeof xsd, "%s/quorum-report-1.xsd", dir);
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.schema_path = xsd;
    quorum_diags *d = quorum_diags_new();
    assert_null(quorum_engine_new(&o, d));
    assert_int_equal((int)quorum_diags_count(d), 1);
    assert_non_null(strstr(diag_str(d, 0), "4:0: error: in the schema: "));
    quorum_diags_free(d);

    write_schema(dir, "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
                      "<xs:element name=\"a\">\n</xs:schema>\n");
    d = quorum_diags_new();
    assert_null(quorum_engine_new(&o, d));
    assert_int_equal((int)quorum_diags_count(d), 1);
    assert_non_null(strstr(diag_str(d, 0), "in the schema: Failed to parse the XML resource"));
    quorum_diags_free(d);
    char path[4200];
    snprintf(path, sizeof path, "%s/quorum-report-1.xsd", dir);
    unlink(path);
    rmdir(dir);
}

static int same_tree(const qnode *a, const qnode *b) {
    for (; a && b; a = a->next, b = b->next) {
        if (a->type != b->type || strcmp(a->name, b->name) != 0 ||
            a->pos.line != b->pos.line || a->pos.col != b->pos.col ||
            a->text_len != b->text_len ||
            (a->text && memcmp(a->text, b->text, a->text_len) != 0) ||
            (!a->number) != (!b->number) ||
            (a->number && strcmp(a->number, b->number) != 0))
            return 0;
        const qattr *x = a->attrs, *y = b->attrs;
        for (; x && y; x = x->next, y = y->next)
            if (strcmp(x->name, y->name) || strcmp(x->value, y->value)) return 0;
        if (x || y || !same_tree(a->first, b->first)) return 0;
    }
    return !a && !b;
}

/* A report read again without the schema (as a pack does for the layout)
 * is the same tree, and an invalid file gives no schema diagnostics. */
static void test_load_without_schema(void **state) {
    (void)state;
    char path[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/report.xml", src ? src : ".");
    quorum_diags *d = quorum_diags_new();
    quorum_doc *a = quorum_doc_load(TE, path, d);
    quorum_doc *b = qload_doc(TE, path, d, QLOAD_NO_SCHEMA, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a->schema_checked);
    assert_false(b->schema_checked);
    assert_true(same_tree(a->root, b->root));
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_doc_free(a);
    quorum_doc_free(b);

    char dir[] = "/tmp/qnoschemaXXXXXX", bad[4200];
    assert_non_null(mkdtemp(dir));
    snprintf(bad, sizeof bad, "%s/r.xml", dir);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs(HEAD "<para>not in the schema</para>\n" TAIL, f);
    assert_int_equal(fclose(f), 0);
    b = qload_doc(TE, bad, d, QLOAD_NO_SCHEMA, NULL);
    assert_non_null(b);
    assert_int_equal((int)quorum_diags_count(d), 0);
    assert_int_equal((int)b->nschema_errors, 0);
    quorum_doc_free(b);
    a = quorum_doc_load(TE, bad, d);
    assert_non_null(a);
    assert_true(quorum_diags_count(d) > 0);
    quorum_doc_free(a);
    quorum_diags_free(d);
    unlink(bad);
    rmdir(dir);
}

/* Shared attributes point at the caller's strings; either setter replaces
 * a value in place and appends a new name. */
static void test_attr_set_shared(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    qnode *n = qdoc_node_new(a, QN_CELL, NULL, (qpos){0, 1, 1});
    static const char v1[] = "center";
    qdoc_attr_set(a, n, "id", "x", n->pos);
    qdoc_attr_set_shared(a, n, "align", v1, n->pos);
    assert_ptr_equal(qdoc_attr(n, "align"), v1);
    qdoc_attr_set_shared(a, n, "id", "y", n->pos);
    qdoc_attr_set(a, n, "fill", "#FFFFFF", n->pos);
    const char *order[] = {"id", "align", "fill"};
    int k = 0;
    for (const qattr *x = n->attrs; x; x = x->next, k++)
        assert_string_equal(x->name, order[k]);
    assert_int_equal(k, 3);
    assert_string_equal(qdoc_attr(n, "id"), "y");
    qarena_free(a);
}

static char *data_path(const char *name) {
    static char buf[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/tests/unit/data/%s", src ? src : ".", name);
    return buf;
}

static void test_appendix_grafted(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, data_path("minimal.xml"), d);
    assert_non_null(doc);
    if (quorum_diags_count(d)) fail_msg("%s", diag_str(d, 0));
    qnode *ap = nth(doc, QN_APPENDIX, 0);
    assert_non_null(ap);
    assert_string_equal(qdoc_attr(ap, "id"), "app-one"); /* reference wins */
    assert_string_equal(qdoc_attr(ap, "xml:lang"), "en-GB"); /* from file */
    assert_int_equal(ap->first->type, QN_TITLE);
    assert_int_not_equal(ap->first->pos.file, ap->pos.file);
    assert_string_equal(qdiag_file_name(d, ap->first->pos.file),
                        data_path("minimal-appendix.xml"));
    assert_int_equal(ap->first->pos.line, 3);
    assert_int_equal(doc->nsources, 2);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_appendix_problems(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml = HEAD "<appendices>\n"
                      "  <appendix href=\"../etc/x.xml\"/>\n"
                      "  <appendix href=\"/etc/passwd\"/>\n"
                      "  <appendix   href=\"no-such-appendix.xml\"/>\n"
                      "</appendices>\n" TAIL;
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc);
    assert_int_equal((int)quorum_diags_count(d), 3);
    assert_non_null(strstr(diag_str(d, 0), "4:13: error: appendix href \"../etc/x.xml\" must name a file"));
    assert_non_null(strstr(diag_str(d, 1), "5:13: error: appendix href \"/etc/passwd\""));
    assert_non_null(strstr(diag_str(d, 2), "6:15: error: cannot read appendix 'no-such-appendix.xml'"));
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* Images drawn are sources of the document (for archive copies), each
 * path once, after the XML files; quorum_doc_check_archive refuses one
 * that is not beside the report, at its src. */
static void test_images_are_sources(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml = HEAD "<section>\n"
                      "  <image src=\"a.png\" alt=\"A\"/>\n"
                      "  <image src=\"./a.png\" alt=\"A again\"/>\n"
                      "  <image src=\"img/b.jpg\" alt=\"B\"/>\n"
                      "  <image src=\"/abs.png\" alt=\"left to the checks\"/>\n"
                      "  <image src=\"../c.png\" alt=\"C\"/>\n"
                      "</section>\n" TAIL;
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc);
    if (quorum_diags_count(d)) fail_msg("%s", diag_str(d, 0));
    assert_int_equal(quorum_doc_source_count(doc), 4);
    assert_string_equal(quorum_doc_source_path(doc, 0), "mem.xml");
    assert_string_equal(quorum_doc_source_path(doc, 1), "a.png");
    assert_string_equal(quorum_doc_source_path(doc, 2), "img/b.jpg");
    assert_string_equal(quorum_doc_source_path(doc, 3), "../c.png");
    assert_null(quorum_doc_source_path(doc, 4));
    assert_int_equal(doc->nsources, 1); /* the XML bytes only */
    assert_int_equal(quorum_doc_check_archive(doc, d), 2);
    assert_int_equal((int)quorum_diags_count(d), 2);
    assert_non_null(strstr(diag_str(d, 0), "6:10: error: image src \"img/b.jpg\" is not a file beside the report"));
    assert_non_null(strstr(diag_str(d, 1), "8:10: error: image src \"../c.png\" is not a file beside the report"));
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_byte_order_mark_takes_no_column(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    const char *xml = "\xEF\xBB\xBF<report xmlns=\"urn:quorum:report:1\" id=\"r\">"
                      "<front-sheet><field role=\"title\">T</field></front-sheet>"
                      "</report>";
    quorum_doc *doc = load_str(xml, d);
    assert_non_null(doc);
    assert_int_equal(doc->root->pos.col, 1);
    assert_int_equal(qdoc_attr_get(doc->root, "id")->pos.col, 37);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_declared_encoding_must_be_utf8(void **state) {
    (void)state;
    const char *x = "<?xml version='1.0' encoding='windows-1252'?>\n<report/>";
    expect_load_error(x, strlen(x), "1:21: error: the file declares encoding \"windows-1252\"");
    quorum_diags *d = quorum_diags_new();
    const char *ok = "<?xml version='1.0' encoding='utf-8'?>\n" HEAD TAIL;
    quorum_doc *doc = load_str(ok, d);
    assert_non_null(doc);
    assert_int_equal((int)quorum_diags_count(d), 0);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static void test_unreadable_file(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    assert_null(quorum_doc_load(TE, "/nonexistent/r.xml", d));
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_int_equal(q.line, 0); /* I/O, not a position */
    assert_string_equal(q.file, "/nonexistent/r.xml");
    quorum_diags_free(d);
}

static quorum_class class_of(quorum_diags *d, size_t i) {
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, i, &q), 0);
    return q.cls;
}

/* Each error says what it is about where it is made: the CLI's exit
 * status comes from it, not from whether it has a line. */
static void test_diagnostic_classes(void **state) {
    (void)state;
    /* a file that cannot be read: I/O */
    quorum_diags *d = quorum_diags_new();
    assert_null(quorum_doc_load(TE, "/nonexistent-quorum/report.xml", d));
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_IO);
    assert_int_equal(quorum_diags_status(d), QUORUM_IO_ERROR);
    quorum_diags_free(d);
    /* not well-formed: input */
    d = quorum_diags_new();
    assert_null(load_str("<report xmlns=\"urn:quorum:report:1\">", d));
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_INPUT);
    assert_int_equal(quorum_diags_status(d), QUORUM_INVALID_INPUT);
    quorum_diags_free(d);
    /* too deep: a limit, with its position */
    char deep[300 * 3 + 200];
    strcpy(deep, "<report xmlns=\"urn:quorum:report:1\">");
    for (int i = 0; i < 300; i++) strcat(deep, "<b>");
    d = quorum_diags_new();
    assert_null(load_str(deep, d));
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_LIMIT);
    assert_int_equal(quorum_diags_status(d), QUORUM_INVALID_INPUT);
    quorum_diags_free(d);
    /* over the size limit: a limit */
    size_t big = 33u * 1024 * 1024;
    char *huge = calloc(big, 1);
    assert_non_null(huge);
    d = quorum_diags_new();
    assert_null(quorum_doc_load_memory(TE, huge, big, "big.xml", d));
    free(huge);
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_LIMIT);
    quorum_diags_free(d);
    /* no engine: the caller's mistake; warnings alone are OK */
    d = quorum_diags_new();
    assert_null(quorum_doc_load(NULL, "x.xml", d));
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_USAGE);
    assert_int_equal(quorum_diags_status(d), QUORUM_USAGE);
    quorum_diags_free(d);
    d = quorum_diags_new();
    assert_int_equal(quorum_diags_status(d), QUORUM_OK);
    quorum_diags_free(d);
}

/* ---- loading from memory through a resolver ---------------------------- */

/* Serves files from memory: name -> bytes, counting what it was asked. */
typedef struct mem_files {
    const char *names[4];
    const char *bytes[4];
    size_t lens[4];
    int nfiles;
    int refuse;        /* returned for every name not served */
    int asked;
    char last[256];
} mem_files;

static int mem_resolve(void *ctx, const char *name, char **data, size_t *len) {
    mem_files *m = ctx;
    m->asked++;
    snprintf(m->last, sizeof m->last, "%s", name);
    for (int i = 0; i < m->nfiles; i++) {
        if (strcmp(m->names[i], name) != 0) continue;
        *data = malloc(m->lens[i] ? m->lens[i] : 1);
        assert_non_null(*data);
        memcpy(*data, m->bytes[i], m->lens[i]);
        *len = m->lens[i];
        return 0;
    }
    return m->refuse;
}

/* The display-list dump of a document's layout (the golden format). */
static char *dump_of(const quorum_doc *doc) {
    quorum_diags *d = quorum_diags_new();
    quorum_layout *l = quorum_doc_layout(TE, doc, NULL, d);
    assert_non_null(l);
    assert_int_equal((int)quorum_diags_count_severity(d, QUORUM_ERROR), 0);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    qdlist_dump(l->dl, f);
    fclose(f);
    quorum_layout_free(l);
    quorum_diags_free(d);
    return buf;
}

/* tests/golden/basic from memory, its appendix served by the resolver
 * under a name whose directory does not exist (so nothing can come from
 * the file system): the same tree, diagnostics and dump as from files. */
static void test_resolver_serves_appendices(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char rpath[4096], apath[4096];
    snprintf(rpath, sizeof rpath, "%s/tests/golden/basic/report.xml", src ? src : ".");
    snprintf(apath, sizeof apath, "%s/tests/golden/basic/appendix-1.xml", src ? src : ".");
    size_t rlen, alen;
    char *rep = test_slurp_must(rpath, &rlen), *app = test_slurp_must(apath, &alen);
    mem_files m = {.names = {"appendix-1.xml"}, .bytes = {app}, .lens = {alen},
                   .nfiles = 1, .refuse = ENOENT};

    quorum_diags *df = quorum_diags_new(), *dm = quorum_diags_new();
    quorum_doc *a = quorum_doc_load(TE, rpath, df);
    quorum_doc *b = quorum_doc_load_memory_resolved(
        TE, rep, rlen, "/nonexistent-dir/report.xml", mem_resolve, &m, dm);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(m.asked, 1);
    assert_string_equal(m.last, "appendix-1.xml");
    assert_int_equal((int)quorum_diags_count(df), 0);
    assert_int_equal((int)quorum_diags_count(dm), 0);
    assert_true(same_tree(a->root, b->root));
    /* the appendix is a source of the document, named as for a file */
    assert_int_equal((int)quorum_doc_source_count(b), 2);
    assert_string_equal(quorum_doc_source_path(b, 1),
                        "/nonexistent-dir/appendix-1.xml");
    assert_int_equal((int)quorum_doc_check(TE, b, NULL, dm), 0);
    char *da = dump_of(a), *db = dump_of(b);
    assert_true(strlen(da) > 1000);
    assert_string_equal(da, db);
    free(da);
    free(db);
    quorum_doc_free(a);
    quorum_doc_free(b);
    quorum_diags_free(df);
    quorum_diags_free(dm);
    free(rep);
    free(app);
}

#define APPX(href) HEAD "<section><heading>S</heading><p>x</p></section>\n" \
    "<appendices>\n  <appendix href=\"" href "\" id=\"a1\"/>\n</appendices>\n" TAIL

/* A resolver that cannot supply a file: an error at the href, as for a
 * missing file, and the report still loads. */
static void test_resolver_refuses(void **state) {
    (void)state;
    const char *xml = APPX("gone.xml");
    mem_files m = {.refuse = ENOENT};
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(
        TE, xml, strlen(xml), "mem.xml", mem_resolve, &m, d);
    assert_non_null(doc);
    assert_int_equal(m.asked, 1);
    assert_int_equal((int)quorum_diags_count(d), 1);
    assert_string_equal(diag_str(d, 0),
                        "5:13: error: cannot read appendix 'gone.xml': "
                        "No such file or directory");
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_int_equal(q.cls, QUORUM_CLASS_INPUT);
    assert_int_equal((int)quorum_doc_source_count(doc), 1);
    quorum_doc_free(doc);
    quorum_diags_free(d);

    /* any other refusal: "not supplied" */
    m = (mem_files){.refuse = -1};
    d = quorum_diags_new();
    doc = quorum_doc_load_memory_resolved(TE, xml, strlen(xml), "mem.xml",
                                          mem_resolve, &m, d);
    assert_non_null(doc);
    assert_string_equal(diag_str(d, 0),
                        "5:13: error: cannot read appendix 'gone.xml': not supplied");
    quorum_doc_free(doc);
    quorum_diags_free(d);

    /* a bad href is refused before the resolver is asked */
    const char *up = APPX("../secret.xml");
    m = (mem_files){.refuse = ENOENT};
    d = quorum_diags_new();
    doc = quorum_doc_load_memory_resolved(TE, up, strlen(up), "mem.xml",
                                          mem_resolve, &m, d);
    assert_non_null(doc);
    assert_int_equal(m.asked, 0);
    assert_non_null(strstr(diag_str(d, 0), "5:13: error: appendix href"));
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* An appendix file named by many references is asked for (read, parsed,
 * validated) once: each further reference is an error at its href, so a
 * small report cannot make the loader, and then layout, do the work of
 * one appendix over and over.  Counted through the resolver. */
static void test_appendix_read_once(void **state) {
    (void)state;
    enum { N = 200 };
    char *xml = malloc(64 * N + 512);
    assert_non_null(xml);
    char *p = xml + sprintf(xml, HEAD "<section><heading>S</heading><p>x</p></section>\n"
                                 "<appendices>\n");
    for (int i = 0; i < N; i++) p += sprintf(p, "<appendix href=\"a.xml\"/>\n");
    sprintf(p, "<appendix href=\"b.xml\"/>\n</appendices>\n" TAIL);
    static const char app[] = "<appendix xmlns=\"urn:quorum:report:1\"><title>A</title>"
                              "<section><heading>S</heading><p>y</p></section></appendix>";
    mem_files m = {.names = {"a.xml", "b.xml"}, .bytes = {app, app},
                   .lens = {sizeof app - 1, sizeof app - 1}, .nfiles = 2};
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(TE, xml, strlen(xml), "mem.xml",
                                                      mem_resolve, &m, d);
    assert_non_null(doc);
    assert_int_equal(m.asked, 2);  /* a.xml once, b.xml once */
    assert_int_equal((int)quorum_doc_source_count(doc), 3);
    assert_int_equal((int)quorum_diags_count(d), N - 1);
    assert_string_equal(diag_str(d, 0), "6:11: error: appendix \"a.xml\" is already "
                                         "referenced at line 5: each appendix is its own file");
    assert_string_equal(diag_str(d, N - 2), "204:11: error: appendix \"a.xml\" is "
                        "already referenced at line 5: each appendix is its own file");
    quorum_doc_free(doc);
    quorum_diags_free(d);
    free(xml);
}

/* What the resolver supplies is checked as a file would be: an empty or
 * malformed appendix is an error positioned in the appendix, named as its
 * file (the report's directory + href). */
static void test_resolver_bytes_are_checked(void **state) {
    (void)state;
    const char *xml = APPX("a.xml");
    mem_files m = {.names = {"a.xml"}, .bytes = {""}, .lens = {0}, .nfiles = 1};
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(
        TE, xml, strlen(xml), "dir/mem.xml", mem_resolve, &m, d);
    assert_non_null(doc);
    /* empty: the appendix's own error, in its file */
    quorum_diag q;
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_string_equal(q.file, "dir/a.xml");
    assert_non_null(strstr(q.message, "empty"));
    quorum_doc_free(doc);
    quorum_diags_free(d);

    const char *bad = "<appendix xmlns=\"urn:quorum:report:1\">\n  <p>x</q>\n</appendix>\n";
    m = (mem_files){.names = {"a.xml"}, .bytes = {bad}, .lens = {strlen(bad)},
                    .nfiles = 1};
    d = quorum_diags_new();
    doc = quorum_doc_load_memory_resolved(TE, xml, strlen(xml), "dir/mem.xml",
                                          mem_resolve, &m, d);
    assert_non_null(doc);
    assert_int_equal(quorum_diags_get(d, 0, &q), 0);
    assert_string_equal(q.file, "dir/a.xml");
    assert_int_equal(q.line, 2);
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

static int huge_resolve(void *ctx, const char *name, char **data, size_t *len) {
    (void)ctx; (void)name;
    *data = malloc(1);
    if (!*data) return -1;
    *len = (size_t)32 * 1024 * 1024 + 1; /* never read: over the limit */
    return 0;
}

/* The engine's limits are what apply: a caller sets them lower (or
 * higher) than the defaults, and each refusal names its limit. */
static void test_engine_limits(void **state) {
    (void)state;
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char fonts[4096], report[4096];
    snprintf(fonts, sizeof fonts, "%s/fonts", src ? src : ".");
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.font_dir = fonts;
    o.limits.file_bytes = 2000;
    o.limits.depth = 5;
    o.limits.image_bytes = 100;
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = quorum_engine_new(&o, d);
    assert_non_null(e);
    /* a report file over 2000 bytes */
    snprintf(report, sizeof report, "%s/input/council-2025-01-29/report.xml",
             src ? src : ".");
    assert_null(quorum_doc_load(e, report, d));
    assert_int_equal(quorum_diags_count(d), 1);
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_LIMIT);
    assert_non_null(strstr(diag_str(d, 0), "larger than the 2000 bytes limit"));
    /* the same from memory */
    quorum_diags *m = quorum_diags_new();
    char big[3000];
    memset(big, ' ', sizeof big);
    assert_null(quorum_doc_load_memory(e, big, sizeof big, "big.xml", m));
    assert_int_equal(class_of(m, 0), QUORUM_CLASS_LIMIT);
    quorum_diags_free(m);
    /* six deep where five are allowed */
    quorum_diags *n = quorum_diags_new();
    const char *deep = HEAD "<section><p><b><i><b>x</b></i></b></p></section>" TAIL;
    assert_null(quorum_doc_load_memory(e, deep, strlen(deep), "deep.xml", n));
    assert_int_equal(class_of(n, 0), QUORUM_CLASS_LIMIT);
    assert_non_null(strstr(diag_str(n, 0), "elements nested more than 5 deep"));
    quorum_diags_free(n);
    /* an image over 100 bytes: refused by the check at its src */
    quorum_diags *g = quorum_diags_new();
    char path[4200];
    snprintf(path, sizeof path, "%s/tests/fixtures/archive-image/report.xml",
             src ? src : ".");
    o.limits.file_bytes = 0; /* the report itself is fine */
    quorum_engine *e2 = quorum_engine_new(&o, g);
    quorum_doc *doc = quorum_doc_load(e2, path, g);
    assert_non_null(doc);
    assert_true(quorum_doc_check(e2, doc, NULL, g) > 0);
    int found = 0;
    for (size_t i = 0; i < quorum_diags_count(g); i++)
        if (strstr(diag_str(g, i), "larger than the 100 bytes limit for images") &&
            class_of(g, i) == QUORUM_CLASS_LIMIT)
            found = 1;
    assert_true(found);
    quorum_doc_free(doc);
    quorum_engine_free(e2);
    quorum_diags_free(g);
    /* an image over 1000 pixels (chart.png, 48 x 24, drawn by the report
     * and its appendix; photo.jpg, 32 x 16, is under): refused by the
     * check at each src, naming the limit */
    quorum_diags *p = quorum_diags_new();
    o.limits.image_bytes = 0;
    o.limits.pixels = 1000;
    quorum_engine *e3 = quorum_engine_new(&o, p);
    doc = quorum_doc_load(e3, path, p);
    assert_non_null(doc);
    assert_int_equal((int)quorum_doc_check(e3, doc, NULL, p), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(class_of(p, i), QUORUM_CLASS_LIMIT);
        assert_non_null(strstr(diag_str(p, i), "chart.png' is 48 x 24 pixels, over "
                                               "the limit of 1000 pixels for an image"));
    }
    quorum_doc_free(doc);
    quorum_engine_free(e3);
    quorum_diags_free(p);
    quorum_engine_free(e);
    quorum_diags_free(d);
}

/* Over the size limit of any report file: refused (class LIMIT, at the
 * reference) without reading the bytes. */
static void test_resolver_size_limit(void **state) {
    (void)state;
    const char *xml = APPX("a.xml");
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load_memory_resolved(
        TE, xml, strlen(xml), "mem.xml", huge_resolve, NULL, d);
    assert_non_null(doc);
    assert_int_equal((int)quorum_diags_count(d), 1);
    assert_int_equal(class_of(d, 0), QUORUM_CLASS_LIMIT);
    assert_non_null(strstr(diag_str(d, 0), "5:13: error: appendix 'a.xml' is "
                                           "larger than the 32 MiB limit"));
    quorum_doc_free(doc);
    quorum_diags_free(d);
}

/* Every pattern of the schemas has an example value for its diagnostic
 * (load_words.c), so an author never sees a regular expression. */
static void test_every_pattern_has_an_example(void **state) {
    (void)state;
    static const char *const xsds[] = {"schema/quorum-report-1.xsd",
                                       "schema/quorum-style-1.xsd"};
    size_t seen = 0;
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", getenv("QUORUM_SOURCE_DIR"), xsds[i]);
        unsigned char *x;
        size_t n;
        assert_int_equal(qfile_read(path, 0, 1 << 20, &x, &n), 0);
        static const char tag[] = "<xs:pattern value=\"";
        for (char *p = strstr((char *)x, tag); p; p = strstr(p, tag)) {
            p += sizeof tag - 1;
            char *e = strchr(p, '"');
            assert_non_null(e);
            *e = '\0';
            if (!qload_pattern_example(p)) fail_msg("no example for pattern %s", p);
            seen++;
            p = e + 1;
        }
        free(x);
    }
    assert_true(seen >= 10);
}

/* The compiled-in schema is parsed by the first load, on the calling
 * thread: making the engine starts no thread (session 9's thread cost
 * an HTML build ~145 page faults and ~3 ms for an overlap of 0.7 ms),
 * and the load after it validates as before. */
static void test_builtin_schema_parsed_by_first_load(void **state) {
    (void)state;
    int before = test_threads_now();
    quorum_engine *e = test_engine_with(NULL, NULL, NULL);
    assert_non_null(e);
    assert_int_equal(test_threads_now(), before);
    quorum_diags *d = quorum_diags_new();
    const char *xml = HEAD "<blink/>\n" TAIL;
    quorum_doc *doc = quorum_doc_load_memory(e, xml, strlen(xml), "mem.xml", d);
    assert_int_equal(test_threads_now(), before);
    assert_true(quorum_diags_count(d) > 0);
    assert_non_null(strstr(diag_str(d, 0), "<blink> is not allowed here"));
    quorum_doc_free(doc);
    quorum_diags_free(d);
    quorum_engine_free(e);
}

/* The fast validator's calls and verdicts (load_valid.c), counted
 * through the linker (tests/CMakeLists.txt wraps qload_valid_fast). */
static int fast_calls, fast_valid;
int __real_qload_valid_fast(struct _xmlDoc *x);
int __wrap_qload_valid_fast(struct _xmlDoc *x) {
    int v = __real_qload_valid_fast(x);
    fast_calls++;
    fast_valid += v;
    return v;
}

static char *source_path(const char *rel) {
    static char buf[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/%s", src ? src : ".", rel);
    return buf;
}

/* The sample report and its two appendices are proven valid by the
 * tables: the engine's schema is never parsed, the document is marked
 * checked, and nothing is said.  An invalid file then parses it and gets
 * libxml2's message. */
static void test_valid_report_needs_no_schema_parse(void **state) {
    (void)state;
    quorum_engine *e = test_engine_with(NULL, NULL, NULL);
    assert_non_null(e);
    quorum_diags *d = quorum_diags_new();
    fast_calls = fast_valid = 0;
    quorum_doc *doc =
        quorum_doc_load(e, source_path("input/council-2025-01-29/report.xml"), d);
    assert_non_null(doc);
    assert_int_equal(quorum_diags_count(d), 0);
    assert_true(doc->schema_checked);
    assert_int_equal(fast_calls, 3); /* the report and two appendices */
    assert_int_equal(fast_valid, 3);
    assert_false(qload_schema_was_parsed(e->schema));
    quorum_doc_free(doc);
    const char *xml = HEAD "<section><p align=\"middle\">x</p></section>\n" TAIL;
    doc = quorum_doc_load_memory(e, xml, strlen(xml), "mem.xml", d);
    assert_true(qload_schema_was_parsed(e->schema));
    assert_int_equal(fast_valid, 3);
    assert_true(quorum_diags_count(d) > 0);
    assert_non_null(strstr(diag_str(d, 0), "align"));
    quorum_doc_free(doc);
    quorum_diags_free(d);
    quorum_engine_free(e);
}

/* A schema named by path (QUORUM_SCHEMA_DIR) is always libxml2's: the
 * tables describe the compiled-in one only. */
static void test_named_schema_takes_libxml2s_path(void **state) {
    (void)state;
    quorum_engine *e =
        test_engine_with(NULL, NULL, source_path("schema/quorum-report-1.xsd"));
    assert_non_null(e);
    quorum_diags *d = quorum_diags_new();
    fast_calls = 0;
    quorum_doc *doc =
        quorum_doc_load(e, source_path("input/council-2025-01-29/report.xml"), d);
    assert_non_null(doc);
    assert_int_equal(quorum_diags_count(d), 0);
    assert_true(doc->schema_checked);
    assert_int_equal(fast_calls, 0);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    quorum_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_report_needs_no_schema_parse),
        cmocka_unit_test(test_named_schema_takes_libxml2s_path),
        cmocka_unit_test(test_every_pattern_has_an_example),
        cmocka_unit_test(test_positions_of_elements_attributes_and_text),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_ol_lang_cdata_comments),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_doctype_refused_fast),
        cmocka_unit_test(test_root_and_namespace),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_schema_errors_are_positioned),
        cmocka_unit_test(test_missing_schema_is_a_diagnostic),
        cmocka_unit_test(test_diagnostic_classes),
        cmocka_unit_test(test_appendix_grafted),
        cmocka_unit_test(test_appendix_problems),
        cmocka_unit_test(test_images_are_sources),
        cmocka_unit_test(test_byte_order_mark_takes_no_column),
        cmocka_unit_test(test_declared_encoding_must_be_utf8),
        cmocka_unit_test(test_unreadable_file),
        cmocka_unit_test(test_broken_schema_is_a_diagnostic),
        cmocka_unit_test(test_load_without_schema),
        cmocka_unit_test(test_attr_set_shared),
        cmocka_unit_test(test_resolver_serves_appendices),
        cmocka_unit_test(test_resolver_refuses),
        cmocka_unit_test(test_appendix_read_once),
        cmocka_unit_test(test_resolver_bytes_are_checked),
        cmocka_unit_test(test_resolver_size_limit),
        cmocka_unit_test(test_engine_limits),
        cmocka_unit_test(test_builtin_schema_parsed_by_first_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
