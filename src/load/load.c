/* The loader: XML bytes -> document tree (doc.h).  This is the only file
 * that sees libxml2.
 *
 * Safety first: the whole file is read and checked as UTF-8 by us (libxml2
 * would report a bad byte far from where it stands, and libharu would later
 * drop it silently), DTDs are refused as soon as the parser meets one (which
 * also disposes of entity expansion attacks and external entities), the
 * network is off, and nesting depth is limited.
 *
 * Positions: libxml2 keeps line numbers but no columns, so the start-tag
 * handler is wrapped to record the byte offset of every element's '<' and
 * the end-tag handler the offset just past its end; lines and columns
 * (columns in characters) are computed from those offsets in our own copy
 * of the bytes. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "util.h"
#include "doc.h"
#include "load.h"
#include "quorum.h"

#define QLOAD_MAX_BYTES ((size_t)32 * 1024 * 1024)
#define QLOAD_MAX_DEPTH 256
#define QLOAD_SCHEMA_FILE "quorum-report-1.xsd"

/* One loaded file: its bytes and line-start index. */
typedef struct qsrc {
    unsigned file;
    const char *path;
    const unsigned char *bytes;
    size_t len;
    size_t *lines; /* offsets of line starts, lines[0] = 0 */
    size_t nlines;
    size_t bom;    /* 3 when the file starts with a UTF-8 byte order mark */
    /* Last column computed, so that positions asked in reading order on
     * one long line (minified XML) cost O(distance), not O(line). */
    struct qcolcache { size_t line, off; unsigned col; } *cache;
} qsrc;

/* Stored in xmlNode._private of every element while the DOM lives. */
typedef struct qelpos {
    size_t start; /* offset of '<' */
    size_t end;   /* offset just past the end tag (or "/>") */
    int type;     /* qdoc_type once type_of() has worked it out, else -1:
                   * conversion asks for a child's type several times */
} qelpos;

/* Per-file parse state, reachable from the parser context's _private. */
typedef struct qparse {
    quorum_doc *doc;
    quorum_diags *d;
    qsrc *src;
    int errors;   /* diagnostics added for this file */
    int stopped;  /* we stopped the parser: ignore what follows */
    const char *want_root;
    /* Holds what lives only as long as the DOM (qelpos of every element),
     * so the document's arena keeps only the tree. */
    qarena *tmp;
} qparse;

/* ---- positions ------------------------------------------------------ */

static void index_lines(qarena *a, qsrc *s) {
    size_t n = 1;
    const unsigned char *p = s->bytes, *end = s->bytes + s->len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) { n++; p++; }
    s->lines = qarena_alloc(a, n * sizeof *s->lines);
    s->nlines = 0;
    s->lines[s->nlines++] = 0;
    p = s->bytes;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
        s->lines[s->nlines++] = (size_t)(++p - s->bytes);
}

static qpos pos_at(const qsrc *s, size_t off) {
    qpos p = {s->file, 0, 0};
    if (off > s->len) off = s->len;
    size_t lo = 0, hi = s->nlines; /* last line start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= off) lo = mid;
        else hi = mid;
    }
    unsigned col = 1;
    size_t from = s->lines[lo];
    if (lo == 0 && s->bom && off >= s->bom) from = s->bom; /* BOM: no column */
    if (s->cache && s->cache->line == lo && s->cache->off <= off &&
        s->cache->off >= from) {
        from = s->cache->off;
        col = s->cache->col;
    }
    for (size_t i = from; i < off; i++)
        if ((s->bytes[i] & 0xC0) != 0x80) col++;
    if (s->cache) {
        s->cache->line = lo;
        s->cache->off = off;
        s->cache->col = col;
    }
    p.line = (unsigned)lo + 1;
    p.col = col;
    return p;
}

/* Offset of the character at 1-based line/col (col in characters). */
static size_t offset_of(const qsrc *s, unsigned line, unsigned col) {
    if (line == 0 || line > s->nlines) return s->len;
    size_t i = s->lines[line - 1];
    if (i == 0 && s->len >= 3 && memcmp(s->bytes, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (unsigned c = 1; c < col && i < s->len && s->bytes[i] != '\n'; c++) {
        i++;
        while (i < s->len && (s->bytes[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* ---- reading and UTF-8 ---------------------------------------------- */

static int is_ws_byte(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Length of the valid UTF-8 sequence at p, or 0.  Strict: no overlongs,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, size_t avail) {
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (avail < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return n;
}

/* Returns 0 when valid; else adds a positioned error and returns -1. */
static int check_utf8(const qsrc *s, quorum_diags *d) {
    size_t i = 0;
    while (i < s->len) {
        /* eight ASCII bytes at a time: reports are mostly ASCII */
        while (i + 8 <= s->len) {
            uint64_t w;
            memcpy(&w, s->bytes + i, 8);
            if (w & UINT64_C(0x8080808080808080)) break;
            i += 8;
        }
        if (i >= s->len) break;
        if (s->bytes[i] < 0x80) { i++; continue; }
        size_t n = utf8_len(s->bytes + i, s->len - i);
        if (n == 0) {
            qdiag_add(d, QUORUM_ERROR, pos_at(s, i),
                      "invalid UTF-8 byte 0x%02X", s->bytes[i]);
            return -1;
        }
        i += n;
    }
    return 0;
}

/* Reads a whole file into the arena; NUL-terminated.  NULL on failure
 * with a diagnostic that has no line (so callers can tell I/O from
 * invalid input). */
static unsigned char *read_file(qarena *a, const char *path,
                                const char *shown, unsigned file,
                                size_t *len, quorum_diags *d, qpos at) {
    qpos fp = {file, 0, 0};
    /* The file given to the call cannot be read: I/O.  One a report names
     * (an appendix) is missing: the report is wrong, at the reference. */
    quorum_class io = at.line ? QUORUM_CLASS_INPUT : QUORUM_CLASS_IO;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (at.line)
            qdiag_add(d, QUORUM_ERROR, at, "cannot read appendix '%s': %s",
                      shown, strerror(errno));
        else
            qdiag_add_class(d, io, QUORUM_ERROR, fp, "cannot read file: %s",
                            strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        qdiag_add_class(d, io, QUORUM_ERROR, at.line ? at : fp,
                        "'%s' is a directory", shown);
        fclose(f);
        return NULL;
    }
    /* Straight into the arena when the size is known (a regular file),
     * checking that it ends where fstat said; else (pipes and /proc files
     * report 0) in pieces, then copied. */
    if (S_ISREG(st.st_mode) && st.st_size > 0 &&
        (size_t)st.st_size <= QLOAD_MAX_BYTES) {
        size_t want = (size_t)st.st_size;
        unsigned char *out = qarena_alloc_uninit(a, want + 1);
        size_t n = fread(out, 1, want, f);
        int extra = n == want && fgetc(f) != EOF;
        int err = ferror(f);
        if (!err && n == want && !extra) {
            fclose(f);
            out[n] = '\0';
            *len = n;
            return out;
        }
        if (err) {
            fclose(f);
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at.line ? at : fp,
                            "cannot read '%s'", shown);
            return NULL;
        }
        /* the file changed size while read: read it again in pieces */
        rewind(f);
    }
    size_t cap = 64 * 1024;
    unsigned char *buf = malloc(cap);
    if (!buf) qfatal_oom();
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > QLOAD_MAX_BYTES) break;
            cap *= 2;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) qfatal_oom();
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n > QLOAD_MAX_BYTES) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at.line ? at : fp,
                        "cannot read '%s'", shown);
        return NULL;
    }
    if (n > QLOAD_MAX_BYTES) {
        free(buf);
        qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at.line ? at : fp,
                        "file is larger than the 32 MiB limit for reports");
        return NULL;
    }
    unsigned char *out = qarena_alloc_uninit(a, n + 1);
    memcpy(out, buf, n);
    out[n] = '\0';
    free(buf);
    *len = n;
    return out;
}

/* ---- libxml2 error plumbing ----------------------------------------- */

/* libxml2 messages end in a newline and name elements as {ns}local. */
static char *tidy_message(qarena *a, const char *msg) {
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
        p = pos_at(P->src, off);
    }
    qdiag_add(P->d, QUORUM_ERROR, p, "%s",
              tidy_message(P->doc->arena, err->message));
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
    if (ctxt->nodeNr >= QLOAD_MAX_DEPTH) {
        if (!P->errors)
            qdiag_add_class(P->d, QUORUM_CLASS_LIMIT, QUORUM_ERROR,
                            pos_at(P->src, start),
                            "elements nested more than %d deep", QLOAD_MAX_DEPTH);
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
        qdiag_add(P->d, QUORUM_ERROR, pos_at(P->src, at),
                  "DTDs are not allowed (no <!DOCTYPE>, entities or external "
                  "subsets)");
    P->errors++;
    P->stopped = 1;
    xmlStopParser(ctxt);
}

/* Files are UTF-8 (checked byte by byte before parsing); an XML
 * declaration that says otherwise would make libxml2 re-decode them. */
static int check_declared_encoding(const qsrc *s, quorum_diags *d) {
    size_t i = s->bom;
    if (s->len - i < 6 || memcmp(s->bytes + i, "<?xml", 5) != 0 ||
        !is_ws_byte(s->bytes[i + 5]))
        return 0;
    const char *end = strstr((const char *)s->bytes + i, "?>");
    if (!end) return 0;
    size_t e = (size_t)(end - (const char *)s->bytes);
    for (size_t k = i; k + 8 < e; k++) {
        if (memcmp(s->bytes + k, "encoding", 8) != 0) continue;
        size_t v = k + 8;
        while (v < e && (is_ws_byte(s->bytes[v]) || s->bytes[v] == '=')) v++;
        if (v >= e || (s->bytes[v] != '"' && s->bytes[v] != '\'')) return 0;
        unsigned char q = s->bytes[v++];
        size_t ve = v;
        while (ve < e && s->bytes[ve] != q) ve++;
        char name[32];
        size_t n = ve - v < sizeof name - 1 ? ve - v : sizeof name - 1;
        memcpy(name, s->bytes + v, n);
        name[n] = '\0';
        if (strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0 ||
            strcasecmp(name, "US-ASCII") == 0 || strcasecmp(name, "ASCII") == 0)
            return 0;
        qdiag_add(d, QUORUM_ERROR, pos_at(s, k),
                  "the file declares encoding \"%s\"; reports must be UTF-8",
                  name);
        return -1;
    }
    return 0;
}

/* Parses one file's bytes into a DOM.  NULL (with a diagnostic) when not
 * well-formed. */
static xmlDocPtr parse_xml(qparse *P) {
    if (P->src->len == 0 || P->src->len > INT_MAX) {
        qpos p = {P->src->file, 1, 1};
        qdiag_add(P->d, QUORUM_ERROR, p, "the file is empty (expected <%s>)",
                  P->want_root);
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

static int is_ws(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Offset just past the '>' of the start tag at `start`. */
static size_t start_tag_end(const qsrc *s, size_t start) {
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

/* Offset of attribute `qname` (as written, e.g. "xml:lang") in the start tag
 * at `start`, or the tag's own offset when not found. */
static size_t attr_offset_in(const qsrc *s, size_t start, size_t end,
                             const char *qname) {
    size_t qname_len = strlen(qname);
    size_t i = start + 1;
    while (i < end && !is_ws(s->bytes[i]) && s->bytes[i] != '>' &&
           s->bytes[i] != '/')
        i++;
    while (i < end) {
        while (i < end && is_ws(s->bytes[i])) i++;
        size_t ns = i;
        while (i < end && !is_ws(s->bytes[i]) && s->bytes[i] != '=' &&
               s->bytes[i] != '>' && s->bytes[i] != '/')
            i++;
        size_t nl = i - ns;
        if (nl == 0) break;
        if (nl == qname_len && memcmp(s->bytes + ns, qname, qname_len) == 0) return ns;
        while (i < end && s->bytes[i] != '"' && s->bytes[i] != '\'') i++;
        if (i >= end) break;
        unsigned char q = s->bytes[i++];
        while (i < end && s->bytes[i] != q) i++;
        i++;
    }
    return start;
}

static size_t attr_offset(const qsrc *s, size_t start, const char *qname) {
    return attr_offset_in(s, start, start_tag_end(s, start), qname);
}

static size_t node_offset(const qsrc *s, xmlNodePtr n) {
    while (n && n->type != XML_ELEMENT_NODE &&
           n->type != XML_ATTRIBUTE_NODE)
        n = n->parent;
    if (!n) return 0;
    if (n->type == XML_ATTRIBUTE_NODE) {
        xmlNodePtr el = n->parent;
        if (!el || !el->_private) return 0;
        qelpos *ep = el->_private;
        return attr_offset(s, ep->start, (const char *)n->name);
    }
    return n->_private ? ((qelpos *)n->_private)->start : 0;
}

/* ---- schema --------------------------------------------------------- */

/* Parsed once, by quorum_engine_new; loads validate with the engine's. */

typedef struct qschema_ctx {
    quorum_diags *d;
    qarena *a;
    const char *path;
    int errors;
} qschema_ctx;

static void on_schema_parse_error(void *userdata, xmlErrorPtr err) {
    qschema_ctx *C = userdata;
    if (!err || err->level == XML_ERR_WARNING) return;
    if (C->errors++ >= 5) return;
    qpos p = {qdiag_file(C->d, C->path),
              err->line > 0 ? (unsigned)err->line : 0, 0};
    qdiag_add(C->d, QUORUM_ERROR, p, "in the schema: %s",
              tidy_message(C->a, err->message));
}

/* The rest of an open file, malloc'd; NULL when it cannot be read. */
static unsigned char *read_all(FILE *f, size_t *len) {
    size_t cap = 64 * 1024, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) qfatal_oom();
    for (;;) {
        if (n == cap) {
            if (cap > QLOAD_MAX_BYTES) break;
            cap *= 2;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) qfatal_oom();
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f) || n > QLOAD_MAX_BYTES) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int qload_schema_parse(const char *path, quorum_diags *d,
                       struct _xmlSchema **schema, struct _xmlDoc **schema_doc) {
    *schema = NULL;
    *schema_doc = NULL;
    const char *name = path ? path : QLOAD_SCHEMA_FILE;
    unsigned char *sbytes = NULL;
    size_t slen = 0;
    if (path) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            qpos p = {qdiag_file(d, path), 0, 0};
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, p,
                            "cannot read the schema: %s (set QUORUM_SCHEMA_DIR)",
                            strerror(errno));
            return -1;
        }
        /* Read in one piece and parsed from memory: libxml2's own file
         * input reads in small steps through its compression layer, which
         * cost as much as the rest of the parse.  A schema that is not
         * well-formed goes the old way, so its messages stay libxml2's. */
        sbytes = read_all(f, &slen);
        fclose(f);
    }
    const unsigned char *bytes = path ? sbytes : qbuiltin_schema_xsd;
    if (!path) slen = qbuiltin_schema_xsd_len;
    xmlDocPtr sdoc = NULL;
    qarena *a = qarena_new(0);
    if (bytes && slen > 0 && slen <= INT_MAX)
        sdoc = xmlReadMemory((const char *)bytes, (int)slen, name, NULL,
                             XML_PARSE_NOENT | XML_PARSE_NONET);
    free(sbytes);
    qschema_ctx C = {d, a, name, 0};
    xmlSchemaParserCtxtPtr pc = sdoc ? xmlSchemaNewDocParserCtxt(sdoc)
                               : path ? xmlSchemaNewParserCtxt(path) : NULL;
    if (!pc) {
        xmlFreeDoc(sdoc);
        qarena_free(a);
        qpos p = {qdiag_file(d, name), 0, 0};
        qdiag_add(d, QUORUM_ERROR, p, "the schema cannot be used");
        return -1;
    }
    xmlSchemaSetParserStructuredErrors(pc, on_schema_parse_error, &C);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (!s) {
        xmlFreeDoc(sdoc);
        if (!C.errors) {
            qpos p = {qdiag_file(d, name), 0, 0};
            qdiag_add(d, QUORUM_ERROR, p, "the schema cannot be used");
        }
        qarena_free(a);
        return -1;
    }
    qarena_free(a);
    *schema = s;
    *schema_doc = sdoc;
    return 0;
}

/* State of one quorum_doc_load call across the report and its appendices. */
typedef struct qload {
    qvec errpos;         /* qpos of every schema error, for check.c */
    xmlSchemaPtr schema; /* the engine's; NULL: QLOAD_NO_SCHEMA */
} qload;

typedef struct qvalid_ctx {
    qparse *P;
    qvec *errpos;
} qvalid_ctx;

static void on_valid_error(void *userdata, xmlErrorPtr err) {
    qvalid_ctx *V = userdata;
    if (!err || err->level == XML_ERR_WARNING) return;
    qparse *P = V->P;
    xmlNodePtr node = err->node;
    size_t off = node_offset(P->src, node);
    /* Attribute errors name the element as their node; the message names
     * the attribute: "Element 'p', attribute 'align': ...". */
    const char *am = err->message ? strstr(err->message, ", attribute '") : NULL;
    if (node && node->type == XML_ELEMENT_NODE && node->_private && am) {
        am += strlen(", attribute '");
        const char *e = strchr(am, '\'');
        const char *brace = memchr(am, '}', e ? (size_t)(e - am) : 0);
        if (brace) am = brace + 1;
        if (e && e > am) {
            char name[128];
            size_t n = (size_t)(e - am) < sizeof name - 1 ? (size_t)(e - am)
                                                         : sizeof name - 1;
            memcpy(name, am, n);
            name[n] = '\0';
            off = attr_offset(P->src, ((qelpos *)node->_private)->start, name);
        }
    }
    qpos p = off || err->node ? pos_at(P->src, off)
                              : (qpos){P->src->file, (unsigned)err->line, 0};
    qdiag_add(P->d, QUORUM_ERROR, p, "%s",
              tidy_message(P->doc->arena, err->message));
    *(qpos *)qvec_push(P->doc->arena, V->errpos) = p;
    P->errors++;
}

/* ---- DOM -> qnode --------------------------------------------------- */

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
    case QN_PERIOD: case QN_UNKNOWN:
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
    const xmlChar *prefix = at->ns ? at->ns->prefix : NULL;
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
        while (o2 < s->len && is_ws(s->bytes[o2])) o2++;
        if (o2 == off) break;
        off = o2;
    }
    return pos_at(s, off);
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
            convert(C, c, qn, cp ? start_tag_end(s, cp->start) : 0);
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
        int lead = !prev_el || block_like(type_of(C, prev_el));
        int trail = !e || block_like(type_of(C, e));
        /* Collapse whitespace straight from libxml2's pieces in one pass;
         * a run with no other character collapses to "" or " ". */
        char *t = scratch(C, total + 1);
        size_t n = 0;
        int ws = 0, only_ws = 1;
        for (xmlNodePtr x = c; x != e; x = x->next) {
            if (!is_text(x) || !x->content) continue;
            for (const unsigned char *p = x->content; *p; p++) {
                unsigned char ch = *p;
                if (is_ws(ch)) { ws = 1; continue; }
                if (ws && (n > 0 || !lead)) t[n++] = ' ';
                ws = 0;
                only_ws = 0;
                t[n++] = (char)ch;
            }
        }
        if (ws && !trail && (n > 0 || !lead)) t[n++] = ' ';
        /* Whitespace only: not content where whitespace is layout, nor
         * at a block edge. */
        if (!(only_ws && (!keep_ws || lead || trail)) && n > 0) {
            qnode *tn = qdoc_node_new(C->doc->arena, QN_TEXT, "#text",
                                      text_pos(s, run_off));
            tn->text = qarena_strndup(C->doc->arena, t, n);
            tn->text_len = n;
            qdoc_append(qn, tn);
        }
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
    if (!ep) tag_end = start_tag_end(s, 0);
    qdoc_type t = type_of(C, el);
    /* The name as written; known names share the type table's string. */
    const char *tn = qdoc_type_name(t);
    const char *elname = (const char *)el->name;
    const char *name = strcmp(tn, elname) == 0 ? tn
                       : t == QN_LIST && strcmp(elname, "ol") == 0
                           ? "ol" : qarena_strdup(a, elname);
    qnode *qn = qdoc_node_new(a, t, name, pos_at(s, start));
    qattr **tail = &qn->attrs;
    for (xmlAttrPtr at = el->properties; at; at = at->next) {
        const char *qname = attr_name(C, at);
        qpos p = pos_at(s, attr_offset_in(s, start, tag_end, qname));
        qattr *dup = NULL;
        for (qattr *x = qn->attrs; x && !dup; x = x->next)
            if (x->name == qname || strcmp(x->name, qname) == 0) dup = x;
        qattr *x = dup ? dup : qarena_alloc(a, sizeof *x);
        x->name = qname;
        x->value = attr_value(a, at);
        x->pos = p;
        if (!dup) {
            *tail = x;
            tail = &x->next;
        }
    }
    if (t == QN_LIST && strcmp(elname, "ol") == 0)
        qdoc_attr_set(a, qn, "ordered", "true", qn->pos);
    if (parent) qdoc_append(parent, qn);
    convert_children(C, el, qn, tag_end);
    return qn;
}

/* ---- files ---------------------------------------------------------- */

static qsrc *add_source(quorum_doc *doc, quorum_diags *d, const char *path,
                        const unsigned char *bytes, size_t len) {
    qsrc *s = qarena_alloc(doc->arena, sizeof *s);
    s->file = qdiag_file(d, path);
    s->path = qarena_strdup(doc->arena, path);
    s->bytes = bytes;
    s->len = len;
    s->bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    s->cache = qarena_alloc(doc->arena, sizeof *s->cache);
    s->cache->line = (size_t)-1;
    index_lines(doc->arena, s);
    struct qdoc_source *ns =
        qarena_alloc(doc->arena, (doc->nsources + 1) * sizeof *ns);
    if (doc->nsources) memcpy(ns, doc->sources, doc->nsources * sizeof *ns);
    ns[doc->nsources].file = s->file;
    ns[doc->nsources].path = s->path;
    ns[doc->nsources].bytes = (const char *)bytes;
    ns[doc->nsources].len = len;
    ns[doc->nsources].lines = s->lines;
    ns[doc->nsources].nlines = s->nlines;
    doc->sources = ns;
    doc->nsources++;
    return s;
}

/* Parses, checks the root, validates and converts one file.  Returns the
 * converted root, or NULL when the file cannot be used. */
static qnode *load_file(quorum_doc *doc, quorum_diags *d, qsrc *s,
                        const char *want_root, qload *L) {
    if (check_utf8(s, d) != 0 || check_declared_encoding(s, d) != 0)
        return NULL;
    qparse P = {doc, d, s, 0, 0, want_root, qarena_new(16 * 1024)};
    xmlDocPtr x = parse_xml(&P);
    if (!x) {
        qarena_free(P.tmp);
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(x);
    /* The file given to quorum_doc_load may also be a meeting file
     * (docs/meeting.md); appendices may not. */
    int top = strcmp(want_root, "report") == 0;
    if (top && strcmp((const char *)root->name, "meeting") == 0)
        want_root = "meeting";
    size_t roff = root->_private ? ((qelpos *)root->_private)->start : 0;
    const char *href = root->ns && root->ns->href
                           ? (const char *)root->ns->href : NULL;
    if (strcmp((const char *)root->name, want_root) != 0 || !href ||
        strcmp(href, QUORUM_FORMAT_NAMESPACE) != 0) {
        if (strcmp((const char *)root->name, want_root) == 0)
            qdiag_add(d, QUORUM_ERROR, pos_at(s, roff),
                      "<%s> must be in the namespace %s (found %s); write "
                      "<%s xmlns=\"%s\">", want_root, QUORUM_FORMAT_NAMESPACE,
                      href ? href : "no namespace", want_root,
                      QUORUM_FORMAT_NAMESPACE);
        else
            qdiag_add(d, QUORUM_ERROR, pos_at(s, roff),
                      "the root element must be %s in the namespace %s, "
                      "not <%s>%s",
                      top ? "<report> (or <meeting>)"
                          : qarena_printf(doc->arena, "<%s>", want_root),
                      QUORUM_FORMAT_NAMESPACE, (const char *)root->name,
                      strcmp((const char *)root->name, "appendix") == 0
                          ? " (an appendix is loaded through the report that "
                            "references it)" : "");
        xmlFreeDoc(x);
        qarena_free(P.tmp);
        return NULL;
    }
    /* Schema validation: errors are reported but the tree is still built,
     * so the checks can add what the schema cannot say. */
    xmlSchemaPtr schema = L->schema;
    if (schema) {
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        if (vc) {
            qvalid_ctx V = {&P, &L->errpos};
            xmlSchemaSetValidStructuredErrors(vc, on_valid_error, &V);
            xmlSchemaValidateDoc(vc, x);
            xmlSchemaFreeValidCtxt(vc);
            doc->schema_checked = 1;
        }
    }
    qconv C = {.doc = doc, .P = &P};
    qnode *qroot = convert(&C, root, NULL, root->_private ? start_tag_end(s, ((qelpos *)root->_private)->start) : 0);
    conv_done(&C);
    xmlFreeDoc(x);
    qarena_free(P.tmp);
    return qroot;
}

static int bad_href(const char *h) {
    if (!*h || h[0] == '/' || strchr(h, '/') || strchr(h, '\\')) return 1;
    if (strstr(h, "..")) return 1;
    if (strchr(h, ':')) return 1; /* URLs, drive letters */
    return 0;
}

/* A meeting's item report="…" follows the appendix rule; the reports
 * themselves are loaded by the pack (pack.c), never here. */
static void check_item_reports(quorum_doc *doc, quorum_diags *d) {
    qnode *agenda = qdoc_first_child_of(doc->root, QN_AGENDA);
    if (!agenda) return;
    for (qnode *it = agenda->first; it; it = it->next) {
        if (it->type != QN_AGENDA_ITEM) continue;
        const qattr *r = qdoc_attr_get(it, "report");
        if (!r || !bad_href(r->value)) continue;
        /* An exempt item's report is never opened nor quoted
         * (docs/meeting.md, "Exempt items"): even its name stays out of
         * the diagnostics, which may be published with the pack. */
        if (qdoc_attr_get(it, "exempt-paragraph"))
            qdiag_add(d, QUORUM_ERROR, r->pos,
                      "the report of an exempt item must name a file in the "
                      "meeting file's directory (no '/', '..', ':' or "
                      "absolute paths)");
        else
            qdiag_add(d, QUORUM_ERROR, r->pos,
                      "item report \"%s\" must name a file in the meeting "
                      "file's directory (no '/', '..', ':' or absolute paths)",
                      r->value);
    }
}

static void load_appendices(quorum_doc *doc, quorum_diags *d, qload *L) {
    qnode *apps = qdoc_first_child_of(doc->root, QN_APPENDICES);
    if (!apps) return;
    for (qnode *ref = apps->first; ref; ref = ref->next) {
        if (ref->type != QN_APPENDIX) continue;
        const qattr *h = qdoc_attr_get(ref, "href");
        if (!h) continue; /* the schema says href is required */
        if (bad_href(h->value)) {
            qdiag_add(d, QUORUM_ERROR, h->pos,
                      "appendix href \"%s\" must name a file in the report's "
                      "directory (no '/', '..' or absolute paths)", h->value);
            continue;
        }
        const char *path = strcmp(doc->dir, ".") == 0
                               ? h->value
                               : qarena_printf(doc->arena, "%s/%s", doc->dir,
                                               h->value);
        unsigned file = qdiag_file(d, path);
        size_t len = 0;
        unsigned char *bytes = read_file(doc->arena, path, h->value, file, &len, d,
                                         h->pos);
        if (!bytes) continue;
        qsrc *s = add_source(doc, d, path, bytes, len);
        qnode *root = load_file(doc, d, s, "appendix", L);
        if (!root) continue;
        /* Graft: the reference keeps its own attributes (its id wins) and
         * takes the file's others; the file's children move under it. */
        for (qattr *a = root->attrs; a; a = a->next)
            if (!qdoc_attr_get(ref, a->name))
                qdoc_attr_set(doc->arena, ref, a->name, a->value, a->pos);
        qnode *c = root->first;
        while (c) {
            qnode *nx = c->next;
            qdoc_append(ref, c);
            c = nx;
        }
        root->first = root->last = NULL;
    }
}

/* The image files the document draws, for archive copies (doc->images).
 * Absolute paths and URLs are left to the checks, which refuse them. */
static void record_images(quorum_doc *doc) {
    size_t cap = 0;
    for (qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type != QN_IMAGE) continue;
        const qattr *a = qdoc_attr_get(n, "src");
        if (!a || !*a->value || a->value[0] == '/' || strstr(a->value, "://"))
            continue;
        const char *v = a->value;
        while (v[0] == '.' && v[1] == '/') {
            v += 2;
            while (*v == '/') v++;
        }
        int beside = !bad_href(v);
        if (!beside) v = a->value;
        const char *path = strcmp(doc->dir, ".") == 0
                               ? qarena_strdup(doc->arena, v)
                               : qarena_printf(doc->arena, "%s/%s", doc->dir, v);
        int seen = 0;
        for (size_t i = 0; i < doc->nimages && !seen; i++)
            seen = strcmp(doc->images[i].path, path) == 0;
        if (seen) continue;
        if (doc->nimages == cap) {
            cap = cap ? cap * 2 : 4;
            struct qdoc_image *ni = qarena_alloc(doc->arena, cap * sizeof *ni);
            if (doc->nimages)
                memcpy(ni, doc->images, doc->nimages * sizeof *ni);
            doc->images = ni;
        }
        doc->images[doc->nimages++] =
            (struct qdoc_image){path, a->value, a->pos, beside};
    }
}

static char *dir_of(qarena *a, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return qarena_strdup(a, ".");
    if (slash == path) return qarena_strdup(a, "/");
    return qarena_strndup(a, path, (size_t)(slash - path));
}

static quorum_doc *load_bytes(const quorum_engine *e, quorum_doc *doc,
                              quorum_diags *d, const unsigned char *bytes,
                              size_t len, unsigned flags) {
    /* Nothing from libxml2 reaches stderr, whatever path raises it; the
     * caller's own handlers are put back afterwards. */
    xmlGenericErrorFunc old_gerr = xmlGenericError;
    void *old_gctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_serr = xmlStructuredError;
    void *old_sctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    qsrc *s = add_source(doc, d, doc->path, bytes, len);
    qload L = {0};
    L.schema = (flags & QLOAD_NO_SCHEMA) ? NULL : e->schema;
    qvec_init(&L.errpos, sizeof(qpos));
    doc->root = load_file(doc, d, s, "report", &L);
    int meeting = doc->root && doc->root->type == QN_MEETING;
    if (meeting) check_item_reports(doc, d);
    else if (doc->root) {
        load_appendices(doc, d, &L);
        record_images(doc);
    }
    doc->schema_errors = L.errpos.data;
    doc->nschema_errors = L.errpos.len;
    xmlSetStructuredErrorFunc(old_sctx, old_serr);
    xmlSetGenericErrorFunc(old_gctx, old_gerr);
    if (!doc->root) {
        quorum_doc_free(doc);
        return NULL;
    }
    qdoc_number(doc);
    if (!meeting) qperf_expand(doc);
    qdoc_index_ids(doc);
    return doc;
}

static quorum_doc *doc_new(const char *name) {
    quorum_doc *doc = calloc(1, sizeof *doc);
    if (!doc) qfatal_oom();
    doc->arena = qarena_new(0);
    doc->path = qarena_strdup(doc->arena, name);
    doc->dir = dir_of(doc->arena, name);
    return doc;
}

quorum_doc *quorum_doc_load(const quorum_engine *e, const char *path,
                            quorum_diags *d) {
    return qload_doc(e, path, d, 0);
}

quorum_doc *qload_doc(const quorum_engine *e, const char *path,
                      quorum_diags *d, unsigned flags) {
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "load: no engine");
        return NULL;
    }
    quorum_doc *doc = doc_new(path);
    unsigned file = qdiag_file(d, path);
    size_t len = 0;
    qpos none = {0, 0, 0};
    unsigned char *bytes = read_file(doc->arena, path, path, file, &len, d, none);
    if (!bytes) {
        quorum_doc_free(doc);
        return NULL;
    }
    return load_bytes(e, doc, d, bytes, len, flags);
}

quorum_doc *quorum_doc_load_memory(const quorum_engine *e, const char *data,
                                   size_t len, const char *name,
                                   quorum_diags *d) {
    if (!name) name = "<memory>";
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "load: no engine");
        return NULL;
    }
    quorum_doc *doc = doc_new(name);
    if (len > QLOAD_MAX_BYTES) {
        qpos p = {qdiag_file(d, name), 0, 0};
        qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, p,
                        "file is larger than the 32 MiB limit for reports");
        quorum_doc_free(doc);
        return NULL;
    }
    unsigned char *bytes = qarena_alloc(doc->arena, len + 1);
    if (len) memcpy(bytes, data, len);
    bytes[len] = '\0';
    return load_bytes(e, doc, d, bytes, len, 0);
}

void quorum_doc_free(quorum_doc *doc) {
    if (!doc) return;
    qarena_free(doc->arena);
    free(doc);
}

/* Exposed for check.c: line/column -> byte offset in a loaded file. */
size_t qdoc_source_offset(const quorum_doc *doc, qpos p,
                          const char **bytes, size_t *len) {
    for (size_t i = 0; i < doc->nsources; i++) {
        const struct qdoc_source *src = &doc->sources[i];
        if (src->file != p.file) continue;
        qsrc s = {.file = p.file,
                  .bytes = (const unsigned char *)src->bytes,
                  .len = src->len,
                  .lines = (size_t *)src->lines,
                  .nlines = src->nlines};
        if (bytes) *bytes = src->bytes;
        if (len) *len = src->len;
        return offset_of(&s, p.line, p.col);
    }
    if (bytes) *bytes = NULL;
    if (len) *len = 0;
    return 0;
}

/* ---- other XML files (style files) ------------------------------------ */

/* Loads a file that is not a report with the same rules (UTF-8 checked,
 * no DTDs, no network, depth limit) and the same positions, so style
 * files get file:line:col diagnostics without a second position tracker.
 * Elements come out as QN_UNKNOWN nodes that keep their name, attributes
 * (with positions) and text.  No schema is applied: the caller checks
 * names and values itself. */
quorum_doc *qload_xml_file(const char *path, const char *want_root,
                           const char *ns, quorum_diags *d) {
    quorum_doc *doc = doc_new(path);
    unsigned file = qdiag_file(d, path);
    size_t len = 0;
    qpos none = {0, 0, 0};
    unsigned char *bytes = read_file(doc->arena, path, path, file, &len, d, none);
    if (!bytes) {
        quorum_doc_free(doc);
        return NULL;
    }
    xmlGenericErrorFunc old_gerr = xmlGenericError;
    void *old_gctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_serr = xmlStructuredError;
    void *old_sctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    qsrc *s = add_source(doc, d, path, bytes, len);
    qnode *root = NULL;
    if (check_utf8(s, d) == 0 && check_declared_encoding(s, d) == 0) {
        qparse P = {doc, d, s, 0, 0, want_root, qarena_new(16 * 1024)};
        xmlDocPtr x = parse_xml(&P);
        if (x) {
            xmlNodePtr r = xmlDocGetRootElement(x);
            size_t roff = r->_private ? ((qelpos *)r->_private)->start : 0;
            const char *href = r->ns && r->ns->href
                                   ? (const char *)r->ns->href : NULL;
            if (strcmp((const char *)r->name, want_root) != 0 || !href ||
                strcmp(href, ns) != 0) {
                qdiag_add(d, QUORUM_ERROR, pos_at(s, roff),
                          "the root element must be <%s xmlns=\"%s\">",
                          want_root, ns);
            } else {
                qconv C = {.doc = doc, .P = &P};
                root = convert(&C, r, NULL, r->_private ? start_tag_end(s, ((qelpos *)r->_private)->start) : 0);
                conv_done(&C);
            }
            xmlFreeDoc(x);
        }
        qarena_free(P.tmp);
    }
    xmlSetStructuredErrorFunc(old_sctx, old_serr);
    xmlSetGenericErrorFunc(old_gctx, old_gerr);
    if (!root) {
        quorum_doc_free(doc);
        return NULL;
    }
    doc->root = root;
    return doc;
}
