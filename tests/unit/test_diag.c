/* quorum_diags_print's JSON form: every object carries its class, so a
 * script can tell a wrong file from an unreadable one without the exit
 * status (issue 11). */
#define _POSIX_C_SOURCE 200809L
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_names_each_class),
        cmocka_unit_test(test_hostile_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
