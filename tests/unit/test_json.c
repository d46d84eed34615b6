/* util's JSON: the one string escaper (valid UTF-8 out of any bytes) and
 * the strict parser the manifest is read with; and SHA-256, which the
 * manifest records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

/* What qjson_put_str writes for s. */
static char *escaped(const char *s) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    qjson_put_str(f, s);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void valid_utf8(const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = qutf8_decode(s + i, n - i, &cp);
        assert_true(k > 0);
        i += (size_t)k;
    }
}

static void test_escape(void **state) {
    (void)state;
    char *e = escaped("a\"b\\c\nd\te\rf\x01g\x1b[31m\x7f");
    assert_string_equal(e, "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u001b[31m\\u007f\"");
    free(e);
    /* bytes that are not UTF-8 become U+FFFD; valid sequences stay */
    e = escaped("x\xff" "y\xc3\xa9z\xe2\x82" "\xc0\xaf" "\xed\xa0\x80");
    assert_string_equal(e, "\"x\\ufffdy\xc3\xa9z\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
    valid_utf8(e);
    free(e);
    e = escaped(NULL);
    assert_string_equal(e, "null");
    free(e);
    /* every byte value, alone and after a lead byte: always valid UTF-8
     * and parsed back by the strict parser */
    qarena *a = qarena_new(0);
    for (int b = 1; b < 256; b++)
        for (int lead = 0; lead < 3; lead++) {
            char s[4] = {0};
            static const unsigned char leads[] = {0, 0xc3, 0xe2};
            int k = 0;
            if (leads[lead]) s[k++] = (char)leads[lead];
            s[k] = (char)b;
            e = escaped(s);
            valid_utf8(e);
            qjson_error err;
            qjson *v = qjson_parse(a, e, strlen(e), 4, 16, &err);
            assert_non_null(v);
            assert_int_equal(v->type, QJ_STRING);
            free(e);
        }
    qarena_free(a);
}

static qjson *parse(qarena *a, const char *s, qjson_error *err) {
    return qjson_parse(a, s, strlen(s), 8, 1000, err);
}

static void refused(const char *s, const char *msg, unsigned line, unsigned col) {
    qarena *a = qarena_new(0);
    qjson_error err;
    assert_null(parse(a, s, &err));
    assert_non_null(err.msg);
    if (!strstr(err.msg, msg)) fail_msg("%s: %s, want %s", s, err.msg, msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    qarena_free(a);
}

static void test_parse(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    qjson_error err;
    const char *doc = "{\"a\": [1, -2.5e3, true, false, null],\n \"b\": \"x\\u00e9\\ud83d\\ude00\\/\","
                      " \"c\": {}, \"d\": []}";
    qjson *v = parse(a, doc, &err);
    assert_non_null(v);
    assert_int_equal(v->type, QJ_OBJECT);
    assert_int_equal(v->len, 4);
    const qjson *arr = qjson_member(v, "a");
    assert_int_equal(arr->type, QJ_ARRAY);
    assert_int_equal(arr->len, 5);
    unsigned long long x;
    assert_int_equal(qjson_uint(arr->child, 10, &x), 0);
    assert_int_equal(x, 1);
    assert_int_equal(qjson_uint(arr->child->next, 1u << 30, &x), -1); /* not whole */
    assert_int_equal(arr->child->next->next->type, QJ_TRUE);
    const qjson *b = qjson_member(v, "b");
    assert_string_equal(b->str, "x\xc3\xa9\xf0\x9f\x98\x80/");
    assert_null(qjson_member(v, "e"));
    unsigned line, col;
    qjson_line_col(doc, strlen(doc), b->off, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 7);
    /* whole numbers and their bound */
    v = parse(a, "18446744073709551615", &err);
    assert_int_equal(qjson_uint(v, ~0ull, &x), 0);
    assert_true(x == ~0ull);
    v = parse(a, "18446744073709551616", &err);
    assert_int_equal(qjson_uint(v, ~0ull, &x), -1);
    v = parse(a, "43", &err);
    assert_int_equal(qjson_uint(v, 42, &x), -1);
    qarena_free(a);

    refused("", "ends where a value should be", 1, 1);
    refused("{\"a\": 1", "expected ',' or '}'", 1, 8);
    refused("{\"a\": \"x", "ends inside a string", 1, 9);
    refused("[1,]", "unexpected character", 1, 4);
    refused("{\"a\":1,\n \"a\":2}", "given twice", 2, 2);
    refused("[1] x", "more text after", 1, 5);
    refused("01", "more text after", 1, 2);
    refused("1.", "malformed number", 1, 3);
    refused("\"a\x01\"", "control character", 1, 3);
    refused("\"a\xff\"", "invalid UTF-8", 1, 3);
    refused("\"\\ud800\"", "lone high surrogate", 1, 8);
    refused("\"\\udc00\"", "lone low surrogate", 1, 8);
    refused("\"\\u0000\"", "\\u0000", 1, 8);
    refused("\"\\x41\"", "unknown escape", 1, 3);
    refused("tru", "unexpected character", 1, 1);
    refused("[[[[[[[[[1]]]]]]]]]", "nested too deep", 1, 9);
    refused("'a'", "unexpected character", 1, 1);
    refused("\xef\xbb\xbf{}", "unexpected character", 1, 1);
}

/* The bounds keep the work and memory linear: a 1 MiB line costs no
 * quadratic column counting (it would not finish), too many members or
 * values are refused. */
static void test_bounds(void **state) {
    (void)state;
    qarena *a = qarena_new(0);
    qjson_error err;
    size_t n = 1 << 20;
    char *s = malloc(n + 3);
    assert_non_null(s);
    s[0] = '[';
    for (size_t i = 1; i + 1 < n; i += 2) memcpy(s + i, "0,", 2);
    s[n - 1] = '0';
    s[n] = ']';
    assert_null(qjson_parse(a, s, n + 1, 4, 100000, &err));
    assert_string_equal(err.msg, "too many values");
    assert_non_null(qjson_parse(a, s, n + 1, 4, n, &err));
    /* a long single line with an error at its end */
    s[n] = '}';
    assert_null(qjson_parse(a, s, n + 1, 4, n, &err));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, n + 1);
    free(s);
    char obj[64 * 16 + 8];
    size_t k = 0;
    obj[k++] = '{';
    for (int i = 0; i <= QJSON_MAX_MEMBERS; i++)
        k += (size_t)snprintf(obj + k, sizeof obj - k, "%s\"m%d\":0", i ? "," : "", i);
    obj[k++] = '}';
    assert_null(qjson_parse(a, obj, k, 4, 1000, &err));
    assert_string_equal(err.msg, "an object with too many members");
    qarena_free(a);
}

static void hex_of(const char *msg, size_t n, char out[65]) {
    qsha256_ctx c;
    unsigned char sum[32];
    qsha256_init(&c);
    /* in uneven pieces, across the 64-byte blocks: a few bytes (the
     * buffer), then runs of whole blocks after a partial one, which the
     * SHA instructions take several at a time */
    static const size_t piece[] = {7, 1000, 1, 64, 129, 4096, 63};
    for (size_t i = 0, j = 0; i < n; j++) {
        size_t w = piece[j % (sizeof piece / sizeof *piece)];
        size_t k = n - i < w ? n - i : w;
        qsha256_update(&c, msg + i, k);
        i += k;
    }
    qsha256_final(&c, sum);
    qsha256_hex(sum, out);
}

/* The test vectors of FIPS 180-4 and a million 'a's, through the C
 * rounds and, where the CPU has them, its SHA instructions, and random
 * lengths agreeing between the two. */
static void vectors(void) {
    char h[65];
    hex_of("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m, strlen(m), h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    hex_of(million, 1000000, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

static void test_sha256(void **state) {
    (void)state;
    int hw = qsha256_hw(1);
    vectors();
    assert_int_equal(qsha256_hw(0), 0);
    vectors();
    if (!hw) {
        print_message("no SHA instructions here: the C rounds only\n");
        return;
    }
    unsigned char buf[1000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 131 + 7);
    for (size_t n = 0; n <= sizeof buf; n += 37) {
        char a[65], b[65];
        qsha256_hw(0);
        hex_of((const char *)buf, n, a);
        qsha256_hw(1);
        hex_of((const char *)buf, n, b);
        assert_string_equal(a, b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
