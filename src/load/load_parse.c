/* The libxml2 parse: a memory parser whose start- and end-tag handlers
 * record each element's offsets (load.h, "Positions"), that stops at a
 * DOCTYPE or past the depth limit, and whose errors become positioned
 * diagnostics; and the positions of attributes within a start tag. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "load.h"

/* ---- libxml2 error plumbing ----------------------------------------- */

/* libxml2 messages end in a newline and name elements as {ns}local. */
char *qload_tidy_message(qarena *a, const char *msg) {
    if (!msg) return qarena_strdup(a, "malformed XML");
    static const char ns[] = "{" QUORUM_FORMAT_NAMESPACE "}";
    size_t n = strlen(msg);
    char *out = qarena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (strncmp(msg + i, ns, sizeof ns - 1) == 0) {
            i += sizeof ns - 1;
            continue;
        }
        char c = msg[i++];
        if (c == '\n' || c == '\t') c = ' ';
        out[o++] = c;
    }
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return out;
}

static void silent_generic(void *ctx, const char *msg, ...) {
    (void)ctx; (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr err) {
    (void)ctx; (void)err;
}

/* Well-formedness errors: report the first one only; what follows a fatal
 * error ("premature end of data in tag ..." for every open element) is
 * noise. */
static void on_parse_error(void *userdata, xmlErrorPtr err) {
    xmlParserCtxtPtr ctxt = userdata;
    qparse *P = ctxt ? ctxt->_private : NULL;
    if (!P || !err || P->stopped || P->errors) return;
    if (err->level == XML_ERR_WARNING) return;
    if (err->code == XML_ERR_USER_STOP) return;
    qpos p = {P->src->file, err->line > 0 ? (unsigned)err->line : 0,
              err->int2 > 0 ? (unsigned)err->int2 : 0};
    const char *words = NULL;
    /* libxml2 counts columns in bytes on some paths: re-measure against
     * our copy so the column is in characters and stays on the line. */
    if (p.line && p.line <= P->src->nlines && p.col) {
        size_t ls = P->src->lines[p.line - 1];
        size_t le = p.line < P->src->nlines ? P->src->lines[p.line] : P->src->len;
        size_t off = ls + (size_t)(p.col - 1);
        if (off > le) off = le;
        while (off > ls && (P->src->bytes[off] & 0xC0) == 0x80) off--;
        /* libxml2 places a mismatched end tag after its '>': point at
         * its '<' */
        if (err->code == XML_ERR_TAG_NAME_MISMATCH) {
            size_t k = off > ls ? off - 1 : off;
            while (k > ls && P->src->bytes[k] != '<') k--;
            if (P->src->bytes[k] == '<') off = k;
        }
        /* libxml2 places an unknown entity after its ';': point at '&' */
        if (err->code == XML_ERR_UNDECLARED_ENTITY ||
            err->code == XML_WAR_UNDECLARED_ENTITY ||
            err->code == XML_ERR_ENTITY_PE_INTERNAL) {
            size_t k = off;
            while (k > ls && P->src->bytes[k] != '&') k--;
            if (P->src->bytes[k] == '&') off = k;
        }
        words = qload_words_parse(P->doc->arena, P->src, err, ls, &off);
        p = qload_pos_at(P->src, off);
    }
    qdiag_add(P->d, QUORUM_ERROR, p, "%s",
              words ? words : qload_tidy_message(P->doc->arena, err->message));
    P->errors++;
}

static size_t consumed(xmlParserCtxtPtr ctxt, const qsrc *s) {
    long c = xmlByteConsumed(ctxt);
    if (c < 0) return 0;
    return (size_t)c > s->len ? s->len : (size_t)c;
}

static size_t back_to_lt(const qsrc *s, size_t off) {
    if (off >= s->len) off = s->len ? s->len - 1 : 0;
    while (off > 0 && s->bytes[off] != '<') off--;
    return off;
}

static void on_start(void *ctx, const xmlChar *localname,
                     const xmlChar *prefix, const xmlChar *URI,
                     int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    xmlParserCtxtPtr ctxt = ctx;
    qparse *P = ctxt->_private;
    /* The handler runs when the attributes are read, before the closing
     * '>': an attribute value cannot hold a literal '<', so the last '<'
     * before this point opens the tag. */
    size_t start = back_to_lt(P->src, consumed(ctxt, P->src));
    unsigned max_depth = P->max_depth ? P->max_depth : QLOAD_MAX_DEPTH;
    if ((unsigned)ctxt->nodeNr >= max_depth) {
        if (!P->errors)
            qdiag_add_class(P->d, QUORUM_CLASS_LIMIT, QUORUM_ERROR,
                            qload_pos_at(P->src, start),
                            "elements nested more than %u deep", max_depth);
        P->errors++;
        P->stopped = 1;
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, URI, nb_namespaces,
                          namespaces, nb_attributes, nb_defaulted, attributes);
    if (ctxt->node && ctxt->node->_private == NULL) {
        qelpos *ep = qarena_alloc(P->tmp, sizeof *ep);
        ep->start = start;
        ep->end = start;
        ep->type = -1;
        ctxt->node->_private = ep;
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *URI) {
    xmlParserCtxtPtr ctxt = ctx;
    qparse *P = ctxt->_private;
    if (ctxt->node && ctxt->node->_private) {
        qelpos *ep = ctxt->node->_private;
        ep->end = consumed(ctxt, P->src);
    }
    xmlSAX2EndElementNs(ctx, localname, prefix, URI);
}

/* Called as soon as "<!DOCTYPE name ..." is read, before any declaration
 * inside it: stopping here means no entity is ever declared. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
                       const xmlChar *sid) {
    (void)name; (void)eid; (void)sid;
    xmlParserCtxtPtr ctxt = ctx;
    qparse *P = ctxt->_private;
    size_t off = consumed(ctxt, P->src);
    size_t at = 0;
    for (size_t i = 0; i + 9 <= P->src->len && i <= off; i++)
        if (memcmp(P->src->bytes + i, "<!DOCTYPE", 9) == 0) at = i;
    if (!P->errors)
        qdiag_add(P->d, QUORUM_ERROR, qload_pos_at(P->src, at),
                  "DTDs are not allowed (no <!DOCTYPE>, entities or external "
                  "subsets)");
    P->errors++;
    P->stopped = 1;
    xmlStopParser(ctxt);
}

static size_t next_attr(const qsrc *s, size_t i, size_t end, size_t *nl);

/* Where the markup at i ends (just past `close`), or len. */
static size_t skip_to(const qsrc *s, size_t i, const char *close) {
    size_t n = strlen(close);
    for (; i + n <= s->len; i++)
        if (s->bytes[i] == (unsigned char)close[0] &&
            memcmp(s->bytes + i, close, n) == 0)
            return i + n;
    return s->len;
}

/* The attributes of every start tag counted before libxml2 sees the file:
 * libxml2 2.9 checks each attribute of a tag against all before it and
 * appends it to the element by walking the list, so one tag of many
 * thousand attributes costs seconds to minutes in it, which nothing in a
 * callback can prevent.  In a well-formed file '<' opens markup and
 * nothing else (text and attribute values may not hold it), so a scan
 * for '<' that steps over comments, CDATA sections and processing
 * instructions sees every start tag; a DOCTYPE ends the scan (the parser
 * refuses it).  Returns the offset of the first tag with too many, or
 * (size_t)-1. */
static size_t crowded_tag(const qsrc *s, unsigned max_attrs) {
    size_t i = 0;
    for (;;) {
        const unsigned char *lt = memchr(s->bytes + i, '<', s->len - i);
        if (!lt) return (size_t)-1;
        size_t start = (size_t)(lt - s->bytes), k = start + 1;
        if (k >= s->len) return (size_t)-1;
        unsigned char c = s->bytes[k];
        if (c == '?') { i = skip_to(s, k, "?>"); continue; }
        if (c == '/') { i = k; continue; }
        if (c == '!') {
            if (s->len - k >= 3 && memcmp(s->bytes + k, "!--", 3) == 0)
                i = skip_to(s, k + 3, "-->");
            else if (s->len - k >= 8 && memcmp(s->bytes + k, "![CDATA[", 8) == 0)
                i = skip_to(s, k + 8, "]]>");
            else
                return (size_t)-1;
            continue;
        }
        /* a start tag: the name, then name="value" pairs */
        while (k < s->len && !qload_is_ws(s->bytes[k]) && s->bytes[k] != '>' &&
               s->bytes[k] != '/' && s->bytes[k] != '<')
            k++;
        unsigned n = 0;
        for (;;) {
            while (k < s->len && qload_is_ws(s->bytes[k])) k++;
            if (k >= s->len || s->bytes[k] == '>' || s->bytes[k] == '/' ||
                s->bytes[k] == '<')
                break;
            size_t nl;
            k = next_attr(s, k, s->len, &nl);
            if (nl == 0) break;
            if (++n > max_attrs) return start;
        }
        i = k;
    }
}

/* Parses one file's bytes into a DOM.  NULL (with a diagnostic) when not
 * well-formed. */
xmlDocPtr qload_parse_xml(qparse *P) {
    if (P->src->len == 0 || P->src->len > INT_MAX) {
        qpos p = {P->src->file, 1, 1};
        qdiag_add(P->d, QUORUM_ERROR, p, "the file is empty (expected <%s>)",
                  P->want_root);
        P->errors++;
        return NULL;
    }
    size_t crowded = crowded_tag(P->src, QLOAD_MAX_ATTRS);
    if (crowded != (size_t)-1) {
        qdiag_add_class(P->d, QUORUM_CLASS_LIMIT, QUORUM_ERROR,
                        qload_pos_at(P->src, crowded),
                        "more than %u attributes on one element", QLOAD_MAX_ATTRS);
        P->errors++;
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(
        (const char *)P->src->bytes, (int)P->src->len);
    if (!ctxt) {
        qpos p = {P->src->file, 0, 0};
        qdiag_add(P->d, QUORUM_ERROR, p, "cannot set up the XML parser");
        return NULL;
    }
    ctxt->_private = P;
    ctxt->sax->startElementNs = on_start;
    ctxt->sax->endElementNs = on_end;
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->serror = on_parse_error;
    ctxt->sax->error = silent_generic;
    ctxt->sax->warning = silent_generic;
    ctxt->sax->fatalError = silent_generic;
    ctxt->vctxt.error = silent_generic;
    ctxt->vctxt.warning = silent_generic;
    /* Deliberately without NOENT, DTDLOAD, DTDATTR and HUGE.  COMPACT keeps
     * short text inside its node (fewer mallocs); the DOM is never
     * modified, which is what COMPACT asks. */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA |
                                XML_PARSE_COMPACT);
    ctxt->sax->internalSubset = on_doctype; /* UseOptions may reset SAX */
    ctxt->sax->serror = on_parse_error;
    xmlParseDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    int ok = ctxt->wellFormed && !P->stopped && !P->errors;
    if (!ok && !P->errors) {
        qpos p = {P->src->file, 1, 1};
        qdiag_add(P->d, QUORUM_ERROR, p, "malformed XML");
        P->errors++;
    }
    ctxt->myDoc = NULL;
    xmlFreeParserCtxt(ctxt);
    if (!ok) {
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!doc || !xmlDocGetRootElement(doc)) {
        qpos p = {P->src->file, 1, 1};
        qdiag_add(P->d, QUORUM_ERROR, p, "no root element");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* ---- attribute positions -------------------------------------------- */

/* Offset just past the '>' of the start tag at `start`. */
size_t qload_start_tag_end(const qsrc *s, size_t start) {
    size_t i = start + 1;
    unsigned char q = 0;
    for (; i < s->len; i++) {
        unsigned char c = s->bytes[i];
        if (q) { if (c == q) q = 0; continue; }
        if (c == '"' || c == '\'') q = c;
        else if (c == '>') return i + 1;
    }
    return s->len;
}

/* Past the attribute whose name starts at i (its value skipped), or end;
 * *nl is the length of its name, 0 when none starts at i. */
static size_t next_attr(const qsrc *s, size_t i, size_t end, size_t *nl) {
    size_t ns = i;
    while (i < end && !qload_is_ws(s->bytes[i]) && s->bytes[i] != '=' &&
           s->bytes[i] != '>' && s->bytes[i] != '/')
        i++;
    *nl = i - ns;
    if (*nl == 0) return end;
    while (i < end && s->bytes[i] != '"' && s->bytes[i] != '\'') i++;
    if (i >= end) return end;
    unsigned char q = s->bytes[i++];
    while (i < end && s->bytes[i] != q) i++;
    return i < end ? i + 1 : end;
}

void qload_tag_begin(const qsrc *s, qtag *t, size_t start, size_t end) {
    t->start = start;
    t->end = end ? end : qload_start_tag_end(s, start);
    size_t i = start + 1;
    while (i < t->end && !qload_is_ws(s->bytes[i]) && s->bytes[i] != '>' &&
           s->bytes[i] != '/')
        i++;
    t->first = t->at = i;
}

/* From the cursor to the tag's end, then once from its first attribute
 * to the cursor: asked in the order they are written (libxml2 keeps
 * attributes so, and reports their errors so), each attribute is passed
 * over once, so a tag of n attributes costs O(n) in all, not O(n^2). */
size_t qload_tag_attr(const qsrc *s, qtag *t, const char *qname) {
    size_t qname_len = strlen(qname);
    for (int pass = 0; pass < 2; pass++) {
        size_t i = pass ? t->first : t->at;
        size_t stop = pass ? t->at : t->end;
        while (i < stop) {
            while (i < stop && qload_is_ws(s->bytes[i])) i++;
            size_t ns = i, nl;
            i = next_attr(s, i, t->end, &nl);
            if (nl == 0) break;
            if (nl == qname_len && memcmp(s->bytes + ns, qname, qname_len) == 0) {
                t->at = i;
                return ns;
            }
        }
    }
    return t->start;
}

size_t qload_node_offset(const qsrc *s, xmlNodePtr n) {
    while (n && n->type != XML_ELEMENT_NODE &&
           n->type != XML_ATTRIBUTE_NODE)
        n = n->parent;
    if (!n) return 0;
    if (n->type == XML_ATTRIBUTE_NODE) {
        xmlNodePtr el = n->parent;
        if (!el || !el->_private) return 0;
        qtag t;
        qload_tag_begin(s, &t, ((qelpos *)el->_private)->start, 0);
        return qload_tag_attr(s, &t, (const char *)n->name);
    }
    return n->_private ? ((qelpos *)n->_private)->start : 0;
}


/* ---- keeping libxml2 quiet ---------------------------------------------- */

void qload_quiet_begin(qload_quiet *q) {
    q->gerr = xmlGenericError;
    q->gctx = xmlGenericErrorContext;
    q->serr = xmlStructuredError;
    q->sctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
}

void qload_quiet_end(const qload_quiet *q) {
    xmlSetStructuredErrorFunc(q->sctx, q->serr);
    xmlSetGenericErrorFunc(q->gctx, q->gerr);
}
