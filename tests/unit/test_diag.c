/* quorum_diags_print's JSON form: every object carries its class, so a
 * script can tell a wrong file from an unreadable one without the exit
 * status (issue 11). */
#define _GNU_SOURCE 1 /* fopencookie */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

static char *print(const quorum_diags *d, int json) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    quorum_diags_print(d, f, json);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void test_json_names_each_class(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    qpos p = {qdiag_file(d, "r.xml"), 3, 7};
    qdiag_add_class(d, QUORUM_CLASS_INPUT, QUORUM_ERROR, p, "bad \"date\"");
    qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0}, "cannot read");
    qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, p, "too deep");
    qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_WARNING, (qpos){0, 0, 0}, "no engine");
    char *js = print(d, 1);
    assert_string_equal(
        js,
        "[\n"
        " {\"file\": \"r.xml\", \"line\": 3, \"column\": 7, \"severity\": \"error\", "
        "\"class\": \"input\", \"message\": \"bad \\\"date\\\"\"},\n"
        " {\"file\": null, \"line\": 0, \"column\": 0, \"severity\": \"error\", "
        "\"class\": \"io\", \"message\": \"cannot read\"},\n"
        " {\"file\": \"r.xml\", \"line\": 3, \"column\": 7, \"severity\": \"error\", "
        "\"class\": \"limit\", \"message\": \"too deep\"},\n"
        " {\"file\": null, \"line\": 0, \"column\": 0, \"severity\": \"warning\", "
        "\"class\": \"usage\", \"message\": \"no engine\"}\n"
        "]\n");
    free(js);
    /* the text form is unchanged: the class shows only in JSON */
    char *tx = print(d, 0);
    assert_non_null(strstr(tx, "r.xml:3:7: error: bad \"date\"\n"));
    assert_null(strstr(tx, "input"));
    free(tx);
    quorum_diags_free(d);
}

/* Names and messages quote the input's author: in text every character
 * a terminal acts on is escaped, so one diagnostic is one line; JSON is
 * valid UTF-8 whatever the bytes (issue 12). */
static void test_hostile_text(void **state) {
    (void)state;
    quorum_diags *d = quorum_diags_new();
    qpos p = {qdiag_file(d, "a\x1b]0;title\x07\xff.xml"), 2, 1};
    qdiag_add(d, QUORUM_ERROR, p, "x\r\nb.xml:1:1: error: forged\t\x7f\xc2\x9b" "2J"
                                  "\xe2\x80\xae\xe2\x80\xa8\xe2\x81\xa6 \xc3\xa9 \xe2\x82");
    char *tx = print(d, 0);
    assert_string_equal(tx, "a\\x1B]0;title\\x07\\xFF.xml:2:1: error: x\\x0D\\x0Ab.xml:1:1: "
                            "error: forged\\x09\\x7F\\u009B2J\\u202E\\u2028\\u2066 \xc3\xa9 "
                            "\\xE2\\x82\n");
    free(tx);
    char *js = print(d, 1);
    assert_string_equal(js, "[\n {\"file\": \"a\\u001b]0;title\\u0007\\ufffd.xml\", \"line\": 2, "
                            "\"column\": 1, \"severity\": \"error\", \"class\": \"input\", "
                            "\"message\": \"x\\r\\nb.xml:1:1: error: forged\\t\\u007f\\u009b2J"
                            "\xe2\x80\xae\\u2028\xe2\x81\xa6 \xc3\xa9 \\ufffd\\ufffd\"}\n]\n");
    free(js);
    quorum_diags_free(d);
}

/* An unbuffered stream, as stderr is, that counts the writes it is
 * given and keeps their bytes. */
typedef struct counted {
    char *buf;
    size_t len;
    FILE *mem;
    size_t writes, least; /* the fewest bytes of a write but the last */
    size_t last;
} counted;

static ssize_t counted_write(void *cookie, const char *b, size_t n) {
    counted *c = cookie;
    if (c->writes && c->last < c->least) c->least = c->last;
    c->writes++;
    c->last = n;
    return (ssize_t)fwrite(b, 1, n, c->mem);
}

static void counted_print(const quorum_diags *d, const quorum_diags_write_options *o,
                          counted *c) {
    *c = (counted){NULL, 0, NULL, 0, (size_t)-1, 0};
    c->mem = open_memstream(&c->buf, &c->len);
    assert_non_null(c->mem);
    cookie_io_functions_t io = {NULL, counted_write, NULL, NULL};
    FILE *f = fopencookie(c, "w", io);
    assert_non_null(f);
    assert_int_equal(setvbuf(f, NULL, _IONBF, 0), 0);
    quorum_diags_write(d, f, o);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(fclose(c->mem), 0);
}

static char *written(const quorum_diags *d, const quorum_diags_write_options *o) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    quorum_diags_write(d, f, o);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Diagnostics written to an unbuffered stream (stderr) reach it in a
 * few large writes, not one a character (a rebuild saying 50 cached
 * warnings again made ~14,000), with the same bytes in every format. */
static void test_unbuffered_few_writes(void **state) {
    (void)state;
    static const char line[] = "    <field role=\"key-decision\" label=\"Key\">Perhaps</field>";
    quorum_diags_write_options fmts[] = {
        {QUORUM_DIAGS_TEXT, 0, 1}, {QUORUM_DIAGS_TEXT, 1, 1},
        {QUORUM_DIAGS_JSON, 0, 0}, {QUORUM_DIAGS_SARIF, 0, 0}};
    for (int big = 0; big < 2; big++) {
        quorum_diags *d = quorum_diags_new();
        size_t n = big ? 2000 : 50;
        for (size_t i = 0; i < n; i++) {
            char name[32];
            snprintf(name, sizeof name, "report-%03zu.xml", i);
            unsigned file = qdiag_file(d, name);
            qdiag_file_line(d, file, 14, line, sizeof line - 1);
            qdiag_add(d, QUORUM_WARNING, (qpos){file, 14, 5},
                      "key-decision \"Perhaps\" is read as neither Yes nor No");
        }
        for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++) {
            char *want = written(d, &fmts[k]);
            counted c;
            counted_print(d, &fmts[k], &c);
            assert_string_equal(c.buf, want);
            if (!big) {
                /* the whole of it at once */
                assert_true(strlen(want) > 4096);
                assert_int_equal(c.writes, 1);
            } else {
                /* in pieces, so that a long list is not all in memory */
                assert_true(c.writes > 2);
                assert_true(c.writes < strlen(want) / 65536 + 2);
                assert_true(c.least >= 65536);
            }
            free(c.buf);
            free(want);
        }
        quorum_diags_free(d);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_names_each_class),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_unbuffered_few_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
