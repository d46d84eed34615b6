/* Plain words for libxml2's errors: what an author reads instead of
 * "xmlParseEntityRef: no name" or a regular expression.  Chosen by
 * libxml2's error code (xmlError.code) and the bytes at the error, never
 * by its English text, except for the names and values its validation
 * messages quote, which are taken out of them (and "Missing child", the
 * one code with two meanings); an error not mapped here keeps libxml2's
 * message. */
#include <string.h>

#include <libxml/schemasInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "load.h"

/* ---- well-formedness ------------------------------------------------ */

/* The five entities XML knows without a DTD. */
static const char *const entities[] = {"amp", "lt", "gt", "quot", "apos"};

/* Moves *off back to the nearest c on the line (from ls), if any. */
static int back_to(const qsrc *s, size_t ls, size_t *off, unsigned char c) {
    size_t k = *off < s->len ? *off : s->len;
    while (k > ls && s->bytes[k] != c) k--;
    if (k < s->len && s->bytes[k] == c) {
        *off = k;
        return 1;
    }
    return 0;
}

/* The offset of character col (1-based) of the line at ls. */
static size_t char_offset(const qsrc *s, size_t ls, int col) {
    size_t k = ls;
    for (int c = 1; c < col && k < s->len && s->bytes[k] != '\n'; c++) {
        k++;
        while (k < s->len && (s->bytes[k] & 0xC0) == 0x80) k++;
    }
    return k;
}

/* The '&' or '<' libxml2 stopped just past, and its offset in *off.
 * libxml2 counts that column in bytes on some paths and in characters on
 * others: both readings are tried. */
static unsigned char stopped_after(const qsrc *s, size_t ls, int col,
                                   size_t *off) {
    size_t cand[2] = {*off, char_offset(s, ls, col)};
    for (int i = 0; i < 2; i++) {
        unsigned char c = cand[i] > ls ? s->bytes[cand[i] - 1] : 0;
        if (c == '&' || c == '<') {
            *off = cand[i] - 1;
            return c;
        }
    }
    return 0;
}

const char *qload_words_parse(qarena *a, const qsrc *s, const xmlError *err,
                              size_t ls, size_t *off) {
    const char *s1 = err->str1, *s2 = err->str2;
    switch (err->code) {
    case XML_ERR_NAME_REQUIRED: {
        /* a '&' or '<' with no name after it */
        unsigned char before = stopped_after(s, ls, err->int2, off);
        if (before == '&')
            return "write &amp; for a bare & (an & starts an entity such as "
                   "&amp; or &#163;)";
        if (before == '<')
            return "write &lt; for a < in text (a < starts a tag)";
        return NULL;
    }
    case XML_ERR_ENTITYREF_SEMICOL_MISSING: {
        size_t c = char_offset(s, ls, err->int2);
        if (c > *off) *off = c;
        back_to(s, ls, off, '&');
        return "write &amp; for a bare & (an & starts an entity such as "
               "&amp;, which ends with ';')";
    }
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY: {
        if (!s1) return NULL;
        const char *near = qnearest(s1, entities, sizeof entities / sizeof *entities);
        if (near)
            return qarena_printf(a, "unknown entity &%s;: did you mean &%s;?",
                                 s1, near);
        return qarena_printf(a, "unknown entity &%s;: XML knows only &amp; "
                                "&lt; &gt; &quot; &apos; (write the character "
                                "itself, or &#NNN; by its number)", s1);
    }
    case XML_ERR_TAG_NAME_MISMATCH:
        if (!s1 || !s2) return NULL;
        return qarena_printf(a, "</%s> where </%s> was expected (<%s> opened "
                                "on line %d is not closed)", s2, s1, s1, err->int1);
    case XML_ERR_TAG_NOT_FINISHED:
        if (!s1) return NULL;
        return qarena_printf(a, "<%s> (line %d) is never closed: the file ends "
                                "before its </%s>", s1, err->int1, s1);
    case XML_ERR_GT_REQUIRED:
        if (!s1) return NULL;
        return qarena_printf(a, "the start tag <%s> does not end with >", s1);
    case XML_ERR_LT_IN_ATTRIBUTE:
        return "write &lt; for a < in an attribute's value";
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
        return "an attribute's value must be in quotes: name=\"value\"";
    case XML_ERR_ATTRIBUTE_REDEFINED:
        if (!s1) return NULL;
        return qarena_printf(a, "attribute %s given twice on one element", s1);
    case XML_ERR_DOCUMENT_END:
        return "something follows the end of the root element: a file holds "
               "one root element";
    case XML_ERR_DOCUMENT_EMPTY:
        return "the file holds no element";
    default:
        return NULL;
    }
}

/* ---- validation ------------------------------------------------------ */

/* Examples for the schemas' patterns: an author is shown a value, not a
 * regular expression.  test_load checks that every pattern in schema/
 * has one, so a new pattern cannot go without. */
static const struct { const char *pattern, *words; } examples[] = {
    {"\\d{4}-\\d{2}-\\d{2}", "a date written YYYY-MM-DD, such as 2025-01-29"},
    {"#[0-9A-Fa-f]{6}", "a colour written #RRGGBB, such as #1F4E79"},
    {"\\d+(\\.\\d+)?(mm|cm|pt|in|%|\\*)",
     "a length with its unit, such as 40mm, 1.5cm, 12pt, 30% or 2*"},
    {"\\(?[0-9A-Za-z]+(\\.[0-9A-Za-z]+)*[.)]?",
     "a number such as 7, 3.9, A, ii, 1. or (a)"},
    {"[.()\\[\\]:\\-]*[1aAiI][.()\\[\\]:\\-]*",
     "a marker with one counter (1, a, A, i or I), such as 1., 1), (a), i. "
     "or (I)"},
    {"([01]\\d|2[0-3]):[0-5]\\d", "a time written HH:MM (24-hour), such as 14:30"},
    /* the style's lengths (schema/quorum-style-1.xsd) */
    {"([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(pt|mm|cm|in)",
     "a length with its unit, such as 12pt, 20mm, 1.5cm or 1in"},
};

const char *qload_pattern_example(const char *pattern) {
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++)
        if (strcmp(examples[i].pattern, pattern) == 0) return examples[i].words;
    return NULL;
}

/* The text between `open` and the last `close` after it in msg, as an
 * arena string; NULL when absent. */
static char *between(qarena *a, const char *msg, const char *open,
                     const char *close) {
    const char *s = strstr(msg, open);
    if (!s) return NULL;
    s += strlen(open);
    const char *e = NULL;
    for (const char *k = strstr(s, close); k; k = strstr(k + 1, close)) e = k;
    return e ? qarena_strndup(a, s, (size_t)(e - s)) : NULL;
}

/* Splits "a, b, c" (or "'a', 'b'") into at most max words in place. */
static size_t split_list(char *s, const char **out, size_t max) {
    size_t n = 0;
    char *save = NULL; /* strtok_r: loads run on several threads at once */
    for (char *tok = strtok_r(s, ", '", &save); tok && n < max;
         tok = strtok_r(NULL, ", '", &save))
        out[n++] = tok;
    return n;
}

/* The names every xs:element or xs:attribute in the schema declares, for
 * "did you mean" when the message lists none; made once per validation. */
static void schema_names(qarena *a, xmlNodePtr n, const char *kind, qvec *out,
                         unsigned depth) {
    for (; n && depth < 32; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (strcmp((const char *)n->name, kind) == 0) {
            xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
            if (name) {
                *(const char **)qvec_push(a, out) =
                    qarena_strdup(a, (const char *)name);
                xmlFree(name);
            }
        }
        schema_names(a, n->children, kind, out, depth + 1);
    }
}

static const char *nearest_in_schema(qwords *W, const char *word, int attr) {
    qvec *v = attr ? &W->attrs : &W->elems;
    if (!W->names_made) {
        qvec_init(&W->elems, sizeof(const char *));
        qvec_init(&W->attrs, sizeof(const char *));
        xmlNodePtr root = W->schema && W->schema->doc
                              ? xmlDocGetRootElement(W->schema->doc) : NULL;
        if (root) {
            schema_names(W->a, root->children, "element", &W->elems, 0);
            schema_names(W->a, root->children, "attribute", &W->attrs, 0);
        }
        W->names_made = 1;
    }
    return qnearest(word, (const char *const *)v->data, v->len);
}

static const char *content_words(qwords *W, const char *elem, const char *msg) {
    qarena *a = W->a;
    char *list = between(a, msg, "Expected is one of ( ", " )");
    if (!list) list = between(a, msg, "Expected is ( ", " )");
    const char *names[64];
    size_t n = list ? split_list(list, names, 64) : 0;
    int missing = strstr(msg, "Missing child element") != NULL;
    qstr b = {0};
    if (missing) qstr_printf(&b, "<%s> is missing a child element", elem);
    else qstr_printf(&b, "<%s> is not allowed here", elem);
    if (n) {
        qstr_puts(&b, missing ? ": it needs " : "; expected ");
        for (size_t i = 0; i < n; i++)
            qstr_printf(&b, "%s<%s>", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                        names[i]);
    }
    const char *near = missing ? NULL : qnearest(elem, names, n);
    if (!near && !missing) near = nearest_in_schema(W, elem, 0);
    if (near && strcmp(near, elem) != 0)
        qstr_printf(&b, "; did you mean <%s>?", near);
    char *out = qarena_strdup(a, b.s);
    qstr_free(&b);
    return out;
}

/* "align="middle"" or "<time> holds "25:00"": what the value is */
static const char *what_value(qarena *a, const char *elem, const char *attr,
                              const char *value) {
    return attr ? qarena_printf(a, "%s=\"%s\"", attr, value)
                : qarena_printf(a, "<%s> holds \"%s\", which", elem, value);
}

static const char *enum_words(qwords *W, const char *elem, const char *attr,
                              const char *msg) {
    qarena *a = W->a;
    char *value = between(a, msg, "The value '", "' is not an element");
    char *set = between(a, msg, "of the set {", "}");
    if (!value || !set) return NULL;
    const char *names[64];
    size_t n = split_list(set, names, 64);
    qstr b = {0};
    qstr_printf(&b, "%s is not one of ", what_value(a, elem, attr, value));
    for (size_t i = 0; i < n; i++)
        qstr_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
    const char *near = qnearest(value, names, n);
    if (near) qstr_printf(&b, "; did you mean %s?", near);
    char *out = qarena_strdup(a, b.s);
    qstr_free(&b);
    return out;
}

/* The schema node named `name` of kind (element, group, complexType),
 * searched anywhere below n. */
static xmlNodePtr find_decl(xmlNodePtr n, const char *kind, const char *name,
                            unsigned depth) {
    for (; n && depth < 32; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (strcmp((const char *)n->name, kind) == 0) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)"name");
            int hit = v && strcmp((const char *)v, name) == 0;
            xmlFree(v);
            if (hit) return n;
        }
        xmlNodePtr k = find_decl(n->children, kind, name, depth + 1);
        if (k) return k;
    }
    return NULL;
}

/* A QName's local part: "q:p" -> "p". */
static const char *local(const xmlChar *q) {
    const char *c = strchr((const char *)q, ':');
    return c ? c + 1 : (const char *)q;
}

/* Whether the content model under n names an element p, through groups
 * and named types (hops bounds the references followed). */
static int names_p(xmlNodePtr root, xmlNodePtr n, unsigned hops) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const char *kind = (const char *)n->name;
        xmlChar *ref = xmlGetProp(n, (const xmlChar *)"ref");
        xmlChar *ty = xmlGetProp(n, (const xmlChar *)
                                 (strcmp(kind, "extension") == 0 ? "base" : "type"));
        int hit = 0;
        if (ref && strcmp(kind, "element") == 0) hit = strcmp(local(ref), "p") == 0;
        else if (ref && strcmp(kind, "group") == 0 && hops)
            hit = names_p(root, find_decl(root, "group", local(ref), 0), hops - 1);
        if (!hit && ty && hops) {
            xmlNodePtr t = find_decl(root, "complexType", local(ty), 0);
            hit = t && names_p(root, t->children, hops - 1);
        }
        xmlFree(ref);
        xmlFree(ty);
        if (hit || names_p(root, n->children, hops)) return 1;
    }
    return 0;
}

static int allows_p(qwords *W, const char *elem) {
    if (W->p_elem && strcmp(W->p_elem, elem) == 0) return W->p_allowed;
    xmlNodePtr root = W->schema && W->schema->doc
                          ? xmlDocGetRootElement(W->schema->doc) : NULL;
    xmlNodePtr decl = root ? find_decl(root->children, "element", elem, 0) : NULL;
    W->p_elem = qarena_strdup(W->a, elem);
    W->p_allowed = decl && names_p(root->children, decl->children, 8);
    return W->p_allowed;
}

const char *qload_words_valid(qwords *W, int code, const char *elem,
                              const char *attr, const char *msg) {
    qarena *a = W->a;
    if (!elem || !msg) return NULL;
    switch (code) {
    case XML_SCHEMAV_ELEMENT_CONTENT:
        return content_words(W, elem, msg);
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2: {
        if (!attr) return NULL;
        const char *near = nearest_in_schema(W, attr, 1);
        if (near && strcmp(near, attr) != 0)
            return qarena_printf(a, "<%s> takes no attribute %s; did you mean %s?",
                                 elem, attr, near);
        return qarena_printf(a, "<%s> takes no attribute %s", elem, attr);
    }
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_4: {
        char *missing = between(a, msg, "The attribute '", "' is required");
        if (!missing) return NULL;
        return qarena_printf(a, "<%s> needs a %s attribute: <%s %s=\"...\">",
                             elem, missing, elem, missing);
    }
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
        return allows_p(W, elem)
                   ? qarena_printf(a, "text must be inside a <p>: <%s> holds "
                                      "elements only", elem)
                   : qarena_printf(a, "<%s> holds elements only: text must be "
                                      "inside one of them", elem);
    case XML_SCHEMAV_CVC_ENUMERATION_VALID:
        return enum_words(W, elem, attr, msg);
    case XML_SCHEMAV_CVC_PATTERN_VALID: {
        char *value = between(a, msg, "The value '", "' is not accepted");
        char *pat = between(a, msg, "by the pattern '", "'");
        const char *ex = pat ? qload_pattern_example(pat) : NULL;
        if (!value || !ex) return NULL;
        return qarena_printf(a, "%s is not %s", what_value(a, elem, attr, value), ex);
    }
    default:
        return NULL;
    }
}
