/* libxml2's tree -> quorum's document tree: element types, attributes
 * with their positions, and text with whitespace collapsed as the format
 * says (docs/format.md), in the document's arena. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "load.h"

/* Containers whose text is content; elsewhere whitespace is layout of the
 * source file and dropped. */
static int inline_container(qdoc_type t) {
    switch (t) {
    case QN_PARA: case QN_ITEM: case QN_CELL: case QN_FIELD: case QN_HEADING:
    case QN_SUBHEADING: case QN_TITLE: case QN_SUBTITLE: case QN_LEAD_IN:
    case QN_RECOMMENDATION: case QN_BOLD: case QN_ITALIC: case QN_SUP:
    case QN_SUB: case QN_LINK: case QN_REF: case QN_QUESTION: case QN_ANSWER:
    case QN_DOCUMENT: case QN_NOT_APPLICABLE: case QN_RATING_VALUE:
    case QN_CRITERION_TEXT: case QN_LEAD_SUMMARY: case QN_ASSESSMENT:
    case QN_PERIOD: case QN_OPTION: case QN_CHIP: case QN_UNKNOWN:
    /* meeting files */
    case QN_BODY: case QN_DATE: case QN_TIME: case QN_VENUE:
    case QN_PUBLISHED: case QN_MEMBER:
        return 1;
    default:
        return 0;
    }
}

/* Elements that end a line of inline text: whitespace next to them is not
 * content. */
static int block_like(qdoc_type t) {
    switch (t) {
    case QN_PARA: case QN_SUBHEADING: case QN_LIST: case QN_ITEM:
    case QN_QUOTE: case QN_TABLE: case QN_IMAGE: case QN_RECOMMENDATIONS:
    case QN_RECOMMENDATION: case QN_LEAD_IN: case QN_BREAK: case QN_HEADING:
    case QN_FIELD: case QN_QA: case QN_QUESTION: case QN_ANSWER:
    case QN_BAR_CHART:
        return 1;
    default:
        return 0;
    }
}

#define QCONV_NAMES 64

typedef struct qconv {
    quorum_doc *doc;
    qparse *P;
    /* Collapsed text is built here, then copied to the arena at its final
     * length (indentation would otherwise stay allocated). */
    char *scratch;
    size_t scratch_cap;
    /* Attribute names interned per file: libxml2's dictionary gives one
     * pointer per distinct (prefix, name), so a hit is a pointer compare
     * and every attribute of a kind shares one arena string. */
    struct { const xmlChar *prefix, *name; const char *s; } names[QCONV_NAMES];
    size_t nnames;
    /* Element types by libxml2 name pointer, for the same reason. */
    struct { const xmlChar *name; qdoc_type t; } types[QCONV_NAMES];
    size_t ntypes;
} qconv;

static void conv_done(qconv *C) {
    free(C->scratch);
    C->scratch = NULL;
    C->scratch_cap = 0;
}

static const char *attr_name(qconv *C, xmlAttrPtr at) {
    const xmlChar *prefix = at->ns && !C->P->raw ? at->ns->prefix : NULL;
    for (size_t i = 0; i < C->nnames; i++)
        if (C->names[i].name == at->name && C->names[i].prefix == prefix)
            return C->names[i].s;
    qarena *a = C->doc->arena;
    const char *s = prefix ? qarena_printf(a, "%s:%s", (const char *)prefix,
                                           (const char *)at->name)
                           : qarena_strdup(a, (const char *)at->name);
    if (C->nnames < QCONV_NAMES) {
        C->names[C->nnames].prefix = prefix;
        C->names[C->nnames].name = at->name;
        C->names[C->nnames].s = s;
        C->nnames++;
    }
    return s;
}

static int meeting_type(qdoc_type t) {
    return t >= QN_MEETING && t <= QN_INFORMATION;
}

/* Meeting elements (<date>, <item>, …) mean nothing in a report or an
 * appendix: there they stay unknown, so the checks name them as such. */
static qdoc_type name_type(qconv *C, const xmlChar *name) {
    for (size_t i = 0; i < C->ntypes; i++)
        if (C->types[i].name == name) return C->types[i].t;
    qdoc_type t = qdoc_type_from_name((const char *)name);
    if (C->ntypes < QCONV_NAMES) {
        C->types[C->ntypes].name = name;
        C->types[C->ntypes].t = t;
        C->ntypes++;
    }
    return t;
}

static qdoc_type type_of_uncached(qconv *C, xmlNodePtr el) {
    if (!el->ns || !el->ns->href ||
        strcmp((const char *)el->ns->href, QUORUM_FORMAT_NAMESPACE) != 0)
        return QN_UNKNOWN;
    qdoc_type t = name_type(C, el->name);
    if (meeting_type(t)) {
        xmlNodePtr r = el;
        while (r->parent && r->parent->type == XML_ELEMENT_NODE) r = r->parent;
        if (strcmp((const char *)r->name, "meeting") != 0) return QN_UNKNOWN;
    }
    return t;
}

static qdoc_type type_of(qconv *C, xmlNodePtr el) {
    qelpos *ep = el->_private;
    if (!ep) return type_of_uncached(C, el);
    if (ep->type < 0) ep->type = (int)type_of_uncached(C, el);
    return (qdoc_type)ep->type;
}

/* Skips comments and processing instructions at off. */
static size_t skip_markup(const qsrc *s, size_t off) {
    for (;;) {
        if (off + 4 <= s->len && memcmp(s->bytes + off, "<!--", 4) == 0) {
            const char *e = strstr((const char *)s->bytes + off + 4, "-->");
            off = e ? (size_t)(e - (const char *)s->bytes) + 3 : s->len;
        } else if (off + 2 <= s->len && memcmp(s->bytes + off, "<?", 2) == 0) {
            const char *e = strstr((const char *)s->bytes + off + 2, "?>");
            off = e ? (size_t)(e - (const char *)s->bytes) + 2 : s->len;
        } else {
            return off;
        }
    }
}

/* Position of a text run: the first character that is not whitespace or
 * markup from src_off on. */
static qpos text_pos(const qsrc *s, size_t src_off) {
    size_t off = src_off;
    for (;;) {
        size_t o2 = skip_markup(s, off);
        while (o2 < s->len && qload_is_ws(s->bytes[o2])) o2++;
        if (o2 == off) break;
        off = o2;
    }
    return qload_pos_at(s, off);
}

static char *scratch(qconv *C, size_t n) {
    if (n > C->scratch_cap) {
        size_t cap = C->scratch_cap ? C->scratch_cap : 1024;
        while (cap < n) cap *= 2;
        char *b = realloc(C->scratch, cap);
        if (!b) qfatal_oom();
        C->scratch = b;
        C->scratch_cap = cap;
    }
    return C->scratch;
}

static qnode *convert(qconv *C, xmlNodePtr el, qnode *parent, size_t tag_end);

static int is_text(xmlNodePtr x) {
    return x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE;
}

static void append_text(qconv *C, qnode *qn, const char *t, size_t n,
                        size_t run_off) {
    qnode *tn = qdoc_node_new(C->doc->arena, QN_TEXT, "#text",
                              text_pos(C->P->src, run_off));
    tn->text = qarena_strndup(C->doc->arena, t, n);
    tn->text_len = n;
    qdoc_append(qn, tn);
}

/* run_off: offset just past the start tag (where the first run begins). */
static void convert_children(qconv *C, xmlNodePtr el, qnode *qn,
                             size_t run_off) {
    const qsrc *s = C->P->src;
    int keep_ws = inline_container(qn->type);
    int has_block = 0;
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && block_like(type_of(C, c))) has_block = 1;
    /* Mixed-capable containers holding blocks behave as element-only. */
    if (keep_ws && has_block &&
        (qn->type == QN_ITEM || qn->type == QN_CELL ||
         qn->type == QN_RECOMMENDATION || qn->type == QN_ANSWER ||
         qn->type == QN_LEAD_SUMMARY || qn->type == QN_ASSESSMENT ||
         qn->type == QN_NOT_APPLICABLE))
        keep_ws = 0;
    if (!el->_private) run_off = 0;
    xmlNodePtr c = el->children;
    xmlNodePtr prev_el = NULL;
    while (c) {
        if (c->type == XML_ELEMENT_NODE) {
            qelpos *cp = c->_private;
            convert(C, c, qn, cp ? qload_start_tag_end(s, cp->start) : 0);
            prev_el = c;
            run_off = cp ? cp->end : run_off;
            c = c->next;
            continue;
        }
        if (!is_text(c)) {
            c = c->next; /* comments, PIs */
            continue;
        }
        /* A run of text, possibly split by comments. */
        size_t total = 0;
        xmlNodePtr e = c;
        for (; e && e->type != XML_ELEMENT_NODE; e = e->next)
            if (is_text(e) && e->content)
                total += strlen((const char *)e->content);
        if (C->P->raw) {
            /* whitespace is content in a foreign part (w:t) */
            char *t = scratch(C, total + 1);
            size_t n = 0;
            for (xmlNodePtr x = c; x != e; x = x->next)
                if (is_text(x) && x->content) {
                    size_t k = strlen((const char *)x->content);
                    memcpy(t + n, x->content, k);
                    n += k;
                }
            if (n) append_text(C, qn, t, n, run_off);
            c = e;
            continue;
        }
        int lead = !prev_el || block_like(type_of(C, prev_el));
        int trail = !e || block_like(type_of(C, e));
        /* Collapse whitespace straight from libxml2's pieces in one pass;
         * a run with no other character collapses to "" or " ". */
        char *t = scratch(C, total + 1);
        size_t n = 0;
        int ws = 0, only_ws = 1;
        for (xmlNodePtr x = c; x != e; x = x->next) {
            if (!is_text(x) || !x->content) continue;
            const unsigned char *p = x->content;
            for (unsigned char ch = *p; ch; ch = *p) {
                if (qload_is_ws(ch)) {
                    ws = 1;
                    p++;
                    continue;
                }
                if (ws && (n > 0 || !lead)) t[n++] = ' ';
                ws = 0;
                only_ws = 0;
                /* a word at a time: no byte above ' ' is white space (nor
                 * the NUL), UTF-8's included (0x80 and up) */
                do {
                    t[n++] = (char)ch;
                    ch = *++p;
                } while (ch > ' ');
            }
        }
        if (ws && !trail && (n > 0 || !lead)) t[n++] = ' ';
        /* Whitespace only: not content where whitespace is layout, nor
         * at a block edge. */
        if (!(only_ws && (!keep_ws || lead || trail)) && n > 0)
            append_text(C, qn, t, n, run_off);
        c = e;
    }
}

static const char *attr_value(qarena *a, xmlAttrPtr at) {
    xmlNodePtr v = at->children;
    if (!v) return "";
    if (!v->next && v->type == XML_TEXT_NODE && v->content)
        return qarena_strdup(a, (const char *)v->content);
    xmlChar *x = xmlNodeGetContent((xmlNodePtr)at);
    const char *r = qarena_strdup(a, x ? (const char *)x : "");
    xmlFree(x);
    return r;
}

/* tag_end: offset just past the '>' of el's start tag. */
static qnode *convert(qconv *C, xmlNodePtr el, qnode *parent, size_t tag_end) {
    qarena *a = C->doc->arena;
    const qsrc *s = C->P->src;
    qelpos *ep = el->_private;
    size_t start = ep ? ep->start : 0;
    if (!ep) tag_end = qload_start_tag_end(s, 0);
    qdoc_type t = type_of(C, el);
    /* The name as written; known names share the type table's string. */
    const char *tn = qdoc_type_name(t);
    const char *elname = (const char *)el->name;
    const char *name = strcmp(tn, elname) == 0 ? tn
                       : t == QN_LIST && strcmp(elname, "ol") == 0
                           ? "ol" : qarena_strdup(a, elname);
    qnode *qn = qdoc_node_new(a, t, name, qload_pos_at(s, start));
    qattr **tail = &qn->attrs;
    qtag tag;
    qload_tag_begin(s, &tag, start, tag_end);
    /* No two attributes share a name: libxml2 refuses a repeated one as
     * not well-formed, and two prefixes keep their own names. */
    for (xmlAttrPtr at = el->properties; at; at = at->next) {
        const char *qname = attr_name(C, at);
        qattr *x = qarena_alloc(a, sizeof *x);
        x->name = qname;
        x->value = attr_value(a, at);
        /* a foreign part's attributes are reported at their element:
         * an author never sees them, and finding each costs a scan */
        x->pos = C->P->raw ? qn->pos
                           : qload_pos_at(s, qload_tag_attr(s, &tag, qname));
        *tail = x;
        tail = &x->next;
    }
    if (t == QN_LIST && strcmp(elname, "ol") == 0)
        qdoc_attr_set(a, qn, "ordered", "true", qn->pos);
    if (parent) qdoc_append(parent, qn);
    convert_children(C, el, qn, tag_end);
    return qn;
}

qnode *qload_convert(qparse *P, struct _xmlNode *root) {
    qconv C = {.doc = P->doc, .P = P};
    qelpos *ep = root->_private;
    qnode *q = convert(&C, root, NULL,
                       ep ? qload_start_tag_end(P->src, ep->start) : 0);
    conv_done(&C);
    return q;
}
