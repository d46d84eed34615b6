/* JSON for what quorum writes and reads itself: the one string escaper
 * (diagnostics with --diagnostics=json, the pack manifest) and a small
 * strict parser for files quorum wrote (the manifest).  Not a general
 * library: RFC 8259 exactly, no extensions, bounded depth and size. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

void qjson_put_str(FILE *f, const char *s) {
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            /* whatever the bytes, the output is valid UTF-8: a byte that
             * starts no valid sequence becomes U+FFFD */
            uint32_t cp;
            int k = qutf8_decode(s + i, n - i, &cp);
            if (k == 0) {
                fputs("\\ufffd", f);
                i++;
                continue;
            }
            /* C1 controls (0x9B is a CSI to some terminals) and the line
             * separators, which JavaScript takes as line ends, escaped
             * too: JSON diagnostics are read on terminals as well */
            if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029)
                fprintf(f, "\\u%04x", (unsigned)cp);
            else
                fwrite(s + i, 1, (size_t)k, f);
            i += (size_t)k;
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (c < 0x20 || c == 0x7f) fprintf(f, "\\u%04x", c);
            else fputc(c, f);
        }
        i++;
    }
    fputc('"', f);
}

/* ---- the parser ------------------------------------------------------ */

/* Positions are byte offsets while parsing; line and column are counted
 * only for the one place a diagnostic names, so a long line costs no
 * more than a short one. */
typedef struct jp {
    qarena *a;
    const char *s;
    size_t n, i;
    unsigned depth, max_depth;
    size_t nodes, max_nodes;
    qjson_error *err;
} jp;

void qjson_line_col(const char *s, size_t n, size_t off, unsigned *line,
                    unsigned *col) {
    /* characters, not bytes, as every quorum position counts them */
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < off && i < n; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int fail_at(jp *p, const char *msg, size_t off) {
    if (!p->err->msg) {
        p->err->msg = msg;
        p->err->off = off;
    }
    return -1;
}

static int fail(jp *p, const char *msg) { return fail_at(p, msg, p->i); }

static void skip_ws(jp *p) {
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return;
        p->i++;
    }
}

static qjson *node(jp *p, qjson_type t) {
    if (++p->nodes > p->max_nodes) {
        fail(p, "too many values");
        return NULL;
    }
    qjson *v = qarena_alloc(p->a, sizeof *v);
    v->type = t;
    v->off = p->i;
    return v;
}

static int hex4(jp *p, uint32_t *out) {
    if (p->n - p->i < 4) return fail(p, "a \\u escape needs four hex digits");
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p->s[p->i++];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return fail(p, "a \\u escape needs four hex digits");
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string at p->i (the opening quote), decoded into the arena: valid
 * UTF-8 only, no raw control characters, and no NUL (\u0000), since
 * every string quorum reads is a C string. */
static int string(jp *p, const char **out, size_t *len) {
    p->i++;
    size_t start = p->i, cap = 0;
    /* the decoded text is never longer than the escaped */
    while (start + cap < p->n && p->s[start + cap] != '"') {
        if (p->s[start + cap] == '\\' && start + cap + 1 < p->n) cap++;
        cap++;
    }
    char *o = qarena_alloc_uninit(p->a, cap + 1);
    size_t k = 0;
    for (;;) {
        if (p->i >= p->n) return fail(p, "the file ends inside a string");
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            break;
        }
        if (c < 0x20) return fail(p, "a control character in a string (write it as \\u00XX)");
        if (c >= 0x80) {
            uint32_t cp;
            int m = qutf8_decode(p->s + p->i, p->n - p->i, &cp);
            if (m == 0) return fail(p, "invalid UTF-8 in a string");
            memcpy(o + k, p->s + p->i, (size_t)m);
            k += (size_t)m;
            p->i += (size_t)m;
            continue;
        }
        p->i++;
        if (c != '\\') {
            o[k++] = (char)c;
            continue;
        }
        if (p->i >= p->n) return fail(p, "the file ends inside a string");
        char e = p->s[p->i++];
        uint32_t cp;
        switch (e) {
        case '"': case '\\': case '/': o[k++] = e; continue;
        case 'b': o[k++] = '\b'; continue;
        case 'f': o[k++] = '\f'; continue;
        case 'n': o[k++] = '\n'; continue;
        case 'r': o[k++] = '\r'; continue;
        case 't': o[k++] = '\t'; continue;
        case 'u': break;
        default: p->i--; return fail(p, "an unknown escape in a string");
        }
        if (hex4(p, &cp) != 0) return -1;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(p, "a lone low surrogate in a string");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
                return fail(p, "a lone high surrogate in a string");
            p->i += 2;
            if (hex4(p, &lo) != 0) return -1;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail(p, "a lone high surrogate in a string");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp == 0) return fail(p, "\\u0000 in a string");
        /* six escaped bytes (twelve for a pair) never decode to more */
        k += put_utf8(o + k, cp);
    }
    o[k] = 0;
    *out = o;
    *len = k;
    return 0;
}

/* A number exactly as RFC 8259 spells it; kept as text (what a caller
 * wants is usually a whole number: qjson_uint). */
static int number(jp *p, qjson *v) {
    size_t s = p->i;
    if (p->i < p->n && p->s[p->i] == '-') p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9') return fail(p, "a malformed number");
    if (p->s[p->i] == '0') p->i++;
    else while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9') return fail(p, "a malformed number");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9') return fail(p, "a malformed number");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    }
    v->str = qarena_strndup(p->a, p->s + s, p->i - s);
    v->len = p->i - s;
    return 0;
}

static int word(jp *p, const char *w) {
    size_t n = strlen(w);
    if (p->n - p->i < n || memcmp(p->s + p->i, w, n) != 0) return fail(p, "an unexpected character");
    p->i += n;
    return 0;
}

static qjson *value(jp *p);

/* Members and elements are appended in order; an object's keys must be
 * distinct (RFC 8259 leaves duplicates to the reader: this one refuses). */
static int container(jp *p, qjson *v, char close) {
    if (++p->depth > p->max_depth) return fail(p, "nested too deep");
    p->i++;
    skip_ws(p);
    qjson **tail = &v->child;
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        p->depth--;
        return 0;
    }
    for (;;) {
        skip_ws(p);
        const char *key = NULL;
        size_t klen = 0;
        size_t koff = p->i;
        if (close == '}') {
            if (p->i >= p->n || p->s[p->i] != '"') return fail(p, "expected a member name in quotes");
            if (string(p, &key, &klen) != 0) return -1;
            /* the duplicate check is quadratic in members: bounded */
            if (v->len >= QJSON_MAX_MEMBERS)
                return fail_at(p, "an object with too many members", koff);
            for (const qjson *m = v->child; m; m = m->next)
                if (strcmp(m->key, key) == 0)
                    return fail_at(p, "a member name given twice", koff);
            skip_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') return fail(p, "expected ':'");
            p->i++;
            skip_ws(p);
        }
        qjson *c = value(p);
        if (!c) return -1;
        c->key = key;
        *tail = c;
        tail = &c->next;
        v->len++;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            break;
        }
        return fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    p->depth--;
    return 0;
}

static qjson *value(jp *p) {
    skip_ws(p);
    if (p->i >= p->n) {
        fail(p, "the file ends where a value should be");
        return NULL;
    }
    char c = p->s[p->i];
    qjson *v;
    int rc;
    switch (c) {
    case '{': v = node(p, QJ_OBJECT); rc = v ? container(p, v, '}') : -1; break;
    case '[': v = node(p, QJ_ARRAY); rc = v ? container(p, v, ']') : -1; break;
    case '"': v = node(p, QJ_STRING); rc = v ? string(p, &v->str, &v->len) : -1; break;
    case 't': v = node(p, QJ_TRUE); rc = v ? word(p, "true") : -1; break;
    case 'f': v = node(p, QJ_FALSE); rc = v ? word(p, "false") : -1; break;
    case 'n': v = node(p, QJ_NULL); rc = v ? word(p, "null") : -1; break;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            v = node(p, QJ_NUMBER);
            rc = v ? number(p, v) : -1;
        } else {
            fail(p, "an unexpected character");
            return NULL;
        }
    }
    return rc == 0 ? v : NULL;
}

qjson *qjson_parse(qarena *a, const char *s, size_t n, unsigned max_depth,
                   size_t max_nodes, qjson_error *err) {
    jp p = {a, s, n, 0, 0, max_depth, 0, max_nodes, err};
    err->msg = NULL;
    err->off = 0;
    qjson *v = value(&p);
    if (v) {
        skip_ws(&p);
        if (p.i != p.n) {
            fail(&p, "more text after the end of the value");
            v = NULL;
        }
    }
    if (!v) qjson_line_col(s, n, err->off, &err->line, &err->col);
    return v;
}

const qjson *qjson_member(const qjson *obj, const char *key) {
    if (!obj || obj->type != QJ_OBJECT) return NULL;
    for (const qjson *m = obj->child; m; m = m->next)
        if (strcmp(m->key, key) == 0) return m;
    return NULL;
}

int qjson_uint(const qjson *v, unsigned long long max, unsigned long long *out) {
    if (!v || v->type != QJ_NUMBER || v->str[0] == '-') return -1;
    unsigned long long x = 0;
    for (const char *s = v->str; *s; s++) {
        if (*s < '0' || *s > '9') return -1; /* a fraction or an exponent */
        unsigned d = (unsigned)(*s - '0');
        if (x > (max - d) / 10) return -1;
        x = x * 10 + d;
    }
    *out = x;
    return 0;
}
