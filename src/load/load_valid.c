/* The fast validator: a parsed report, meeting or appendix checked
 * against tables made at build time from the schema compiled in
 * (valid_gen.py -> generated/load_valid_tables.inc), so that a valid file
 * costs no schema parse (8 M instructions of libxml2's, a third of an
 * HTML build).
 *
 * It answers "valid" or "not known", never "invalid": whatever it cannot
 * prove valid goes to libxml2's validation (load_schema.c), so every
 * diagnostic stays libxml2's.  Where it is in doubt it says "not known":
 * a value with white space that libxml2 would collapse, a name outside
 * ASCII, an attribute in another namespace (xsi:), an entity
 * reference, an element type the generator could not translate.  The
 * tests hold it to "fast valid implies libxml2 valid" on every XML file
 * of the repository and mutations of them (tests/tools/valid_diff.py)
 * and on fuzzed bytes (tests/fuzz/fuzz_valid.c). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlregexp.h>
#include <libxml/xmlschemastypes.h>

#include "load.h"

enum {
    /* simple types */
    QV_STRING, QV_TOKEN, QV_BOOLEAN, QV_NCNAME, QV_ANYURI, QV_DECIMAL,
    QV_POSINT, QV_UNION,
    /* element declarations (and QV_DEFER for types: ID and such) */
    QV_COMPLEX, QV_SIMPLE, QV_DEFER
};

typedef struct qv_type {
    uint8_t kind;
    uint8_t restricted; /* a restriction of the built-in kind */
    uint16_t enum_first, enum_count;
    int16_t pattern;    /* index in qv_patterns, or -1 */
    uint16_t max;       /* maxInclusive of a positiveInteger, 0: none */
    uint16_t members[4];
    uint8_t nmembers;   /* of a union */
} qv_type;

typedef struct qv_decl {
    uint16_t name;      /* index in qv_names */
    uint8_t kind, mixed, xml_attrs; /* xml:*: allowed, unchecked (skip) */
    uint16_t attr_first, attr_count;
    int16_t start;      /* the content model's first state (complex) */
    uint32_t required;  /* bit i: attribute attr_first + i is required */
    int16_t simple;     /* the type of a simple-content element */
    uint8_t empty;      /* empty content: no text at all, not even blanks */
} qv_decl;

typedef struct qv_attr { const char *name; uint16_t type; } qv_attr;
typedef struct qv_state { uint8_t accept; uint16_t first, count; } qv_state;
/* From a state, child name -> next state and the child's declaration. */
typedef struct qv_trans { uint16_t name, next, decl; } qv_trans;
typedef struct qv_global { uint16_t name, decl; } qv_global;

#include "load_valid_tables.inc"

#define QV_NNAMES (sizeof qv_names / sizeof qv_names[0])
#define QV_NGLOBALS (sizeof qv_globals / sizeof qv_globals[0])

/* The schema's patterns in libxml2's own regular expressions, which its
 * validation uses for them: the same language by construction.  Compiled
 * once a process, when a value first needs one. */
static xmlRegexpPtr qv_regexps[QV_NPATTERNS ? QV_NPATTERNS : 1];
static pthread_once_t qv_regexps_once = PTHREAD_ONCE_INIT;
static void compile_regexps(void) {
    for (int i = 0; i < QV_NPATTERNS; i++)
        qv_regexps[i] = xmlRegexpCompile((const xmlChar *)qv_patterns[i]);
}

static int name_index(const xmlChar *name) {
    size_t lo = 0, hi = QV_NNAMES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp((const char *)name, qv_names[mid]);
        if (c == 0) return (int)mid;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return -1;
}

/* Collapsed already: what libxml2 would collapse (tabs, line ends,
 * leading, trailing or doubled spaces) is left to it. */
static int collapsed(const char *v) {
    if (*v == ' ') return 0;
    for (const char *p = v; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r') return 0;
        if (*p == ' ' && (p[1] == ' ' || p[1] == '\0')) return 0;
    }
    return 1;
}

static int all_digits(const char *s, size_t n) {
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int value_ok(const qv_type *t, const char *v);

/* The built-in type alone, in a conservative reading of its lexical
 * space (libxml2 accepts more: "+1", ".5", names outside ASCII). */
static int builtin_ok(int kind, const char *v) {
    size_t n = strlen(v);
    switch (kind) {
    case QV_STRING:
        return 1;
    case QV_TOKEN:
        return collapsed(v);
    case QV_BOOLEAN:
        return !strcmp(v, "true") || !strcmp(v, "false") ||
               !strcmp(v, "1") || !strcmp(v, "0");
    case QV_NCNAME: {
        unsigned char c = (unsigned char)v[0];
        if (!((c | 32) >= 'a' && (c | 32) <= 'z') && c != '_') return 0;
        for (size_t i = 1; i < n; i++) {
            c = (unsigned char)v[i];
            if (!((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9') &&
                c != '_' && c != '-' && c != '.')
                return 0;
        }
        return 1;
    }
    case QV_ANYURI:
        /* libxml2's own check of the lexical form (its URI parser) */
        return collapsed(v) &&
               xmlSchemaValidatePredefinedType(
                   xmlSchemaGetBuiltInType(XML_SCHEMAS_ANYURI),
                   (const xmlChar *)v, NULL) == 0;
    case QV_DECIMAL: {
        const char *p = v[0] == '-' ? v + 1 : v;
        const char *dot = strchr(p, '.');
        size_t ip = dot ? (size_t)(dot - p) : strlen(p);
        size_t fp = dot ? strlen(dot + 1) : 0;
        return ip + fp <= 18 && all_digits(p, ip) &&
               (!dot || all_digits(dot + 1, fp));
    }
    case QV_POSINT:
        return n <= 18 && v[0] != '0' && all_digits(v, n);
    }
    return 0;
}

static int value_ok(const qv_type *t, const char *v) {
    if (t->kind == QV_UNION) {
        for (int i = 0; i < t->nmembers; i++)
            if (value_ok(&qv_types[t->members[i]], v)) return 1;
        return 0;
    }
    if (t->kind > QV_POSINT) return 0; /* QV_DEFER */
    /* facets apply to the collapsed value, which must then be v itself */
    if (t->kind != QV_STRING && !collapsed(v)) return 0;
    if (!builtin_ok(t->kind, v)) return 0;
    if (t->max && strtoull(v, NULL, 10) > t->max) return 0;
    if (t->enum_count) {
        int hit = 0;
        for (int i = 0; i < t->enum_count && !hit; i++)
            hit = strcmp(v, qv_enums[t->enum_first + i]) == 0;
        if (!hit) return 0;
    }
    if (t->pattern >= 0) {
        pthread_once(&qv_regexps_once, compile_regexps);
        xmlRegexpPtr re = qv_regexps[t->pattern];
        if (!re || xmlRegexpExec(re, (const xmlChar *)v) != 1) return 0;
    }
    return 1;
}

static int in_tns(const xmlNode *n) {
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, QV_TNS) == 0;
}

static int blank(const xmlChar *t) {
    for (; t && *t; t++)
        if (!qload_is_ws(*t)) return 0;
    return 1;
}

/* The one text child of an attribute or simple element ("" for none);
 * NULL when there are others (entity references). */
static const char *only_text(const xmlNode *first) {
    if (!first) return "";
    if (first->type != XML_TEXT_NODE || first->next || !first->content) return NULL;
    return (const char *)first->content;
}

static int attrs_ok(const qv_decl *d, const xmlNode *el) {
    uint32_t seen = 0;
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        if (a->ns) {
            /* xml:lang and its kind: the wildcard skips them; xsi: and
             * the rest are libxml2's */
            if (!d->xml_attrs || !a->ns->href ||
                strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE))
                return 0;
            continue;
        }
        int i = 0;
        while (i < d->attr_count &&
               strcmp((const char *)a->name, qv_attrs[d->attr_first + i].name))
            i++;
        if (i == d->attr_count) return 0;
        const char *v = only_text(a->children);
        if (!v || !value_ok(&qv_types[qv_attrs[d->attr_first + i].type], v)) return 0;
        seen |= (uint32_t)1 << i;
    }
    return (seen & d->required) == d->required;
}

static int element_ok(int decl, const xmlNode *el, unsigned depth) {
    const qv_decl *d = &qv_decls[decl];
    if (depth > QLOAD_MAX_DEPTH * 4) return 0;
    if (d->kind == QV_DEFER) return 0;
    if (d->kind == QV_SIMPLE) {
        if (el->properties) return 0;
        const char *v = only_text(el->children);
        return v && value_ok(&qv_types[d->simple], v);
    }
    if (!attrs_ok(d, el)) return 0;
    if (d->empty) return el->children == NULL && qv_states[d->start].accept;
    int state = d->start;
    for (const xmlNode *c = el->children; c; c = c->next) {
        switch (c->type) {
        case XML_ELEMENT_NODE: {
            if (!in_tns(c)) return 0;
            int name = name_index(c->name);
            if (name < 0) return 0;
            const qv_state *s = &qv_states[state];
            const qv_trans *t = &qv_trans_[s->first], *end = t + s->count;
            while (t < end && t->name != name) t++;
            if (t == end) return 0;
            if (!element_ok(t->decl, c, depth + 1)) return 0;
            state = t->next;
            break;
        }
        case XML_TEXT_NODE:
            if (!d->mixed && !blank(c->content)) return 0;
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        default: /* entity references, CDATA, ...: libxml2's */
            return 0;
        }
    }
    return qv_states[state].accept;
}

int qload_valid_fast(struct _xmlDoc *x) {
    const xmlNode *root = xmlDocGetRootElement(x);
    if (!root || x->intSubset || x->extSubset || !in_tns(root)) return 0;
    int name = name_index(root->name);
    for (size_t i = 0; name >= 0 && i < QV_NGLOBALS; i++)
        if (qv_globals[i].name == name) return element_ok(qv_globals[i].decl, root, 0);
    return 0;
}
