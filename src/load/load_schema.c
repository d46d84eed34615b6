/* The report schema: parsed once per engine (quorum_engine_new, or the
 * compiled-in copy when a load first needs libxml2's validation: a file
 * the fast validator of load_valid.c proves valid does not), and
 * validation of each loaded file against it, with its errors at the
 * element or attribute they concern. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>

#include "load.h"

#define QLOAD_SCHEMA_FILE "quorum-report-1.xsd"

/* xmlInitParser sets up libxml2's global state; it must finish before any
 * thread parses, and must not run twice at once.  libxml2 2.9 makes the
 * schemas' table of built-in types on the first schema parse, unlocked:
 * two engines' schemas parsed at once on two threads each made it, one
 * table lost (LeakSanitizer saw it in test_schema_parsed_aside), so it is
 * made here, once. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void init_xml(void) {
    xmlInitParser();
    xmlSchemaInitTypes();
}

void qload_init_once(void) { pthread_once(&xml_once, init_xml); }

/* Parsed once an engine (a schema given by path when the engine is made,
 * the built-in one by its first load); loads validate with the engine's. */

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
              qload_tidy_message(C->a, err->message));
}

static int parse_now(const char *path, quorum_diags *d,
                     struct _xmlSchema **schema, struct _xmlDoc **schema_doc) {
    *schema = NULL;
    *schema_doc = NULL;
    const char *name = path ? path : QLOAD_SCHEMA_FILE;
    unsigned char *sbytes = NULL;
    size_t slen = 0;
    if (path) {
        /* Read in one piece (qfile_read: a regular file, within the
         * limit) and parsed from memory: libxml2's own file input reads
         * in small steps through its compression layer, which cost as
         * much as the rest of the parse, and would open a FIFO and wait. */
        int err = qfile_read(path, 0, QLOAD_MAX_BYTES, &sbytes, &slen);
        if (err) {
            qpos p = {qdiag_file(d, path), 0, 0};
            qdiag_add_class(d, err == EFBIG ? QUORUM_CLASS_LIMIT : QUORUM_CLASS_IO,
                            QUORUM_ERROR, p,
                            "cannot read the schema: %s (set QUORUM_SCHEMA_DIR)",
                            qfile_strerror(err));
            return -1;
        }
    }
    const unsigned char *bytes = path ? sbytes : qbuiltin_schema_xsd;
    if (!path) slen = qbuiltin_schema_xsd_len;
    xmlDocPtr sdoc = NULL;
    qarena *a = qarena_new(0);
    if (bytes && slen > 0 && slen <= INT_MAX)
        sdoc = xmlReadMemory((const char *)bytes, (int)slen, name, NULL,
                             XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_COMPACT);
    qschema_ctx C = {d, a, name, 0};
    /* A schema that is not well-formed is handed to libxml2's schema
     * parser as bytes, so its message stays libxml2's ("Failed to parse
     * the XML resource") without libxml2 opening the file again. */
    xmlSchemaParserCtxtPtr pc =
        sdoc ? xmlSchemaNewDocParserCtxt(sdoc)
        : bytes && slen <= INT_MAX ? xmlSchemaNewMemParserCtxt((const char *)bytes, (int)slen)
                                   : NULL;
    if (!pc) {
        xmlFreeDoc(sdoc);
        free(sbytes);
        qarena_free(a);
        qpos p = {qdiag_file(d, name), 0, 0};
        qdiag_add(d, QUORUM_ERROR, p, "the schema cannot be used");
        return -1;
    }
    xmlSchemaSetParserStructuredErrors(pc, on_schema_parse_error, &C);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    free(sbytes);
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

/* The compiled-in schema is parsed by the first load that needs it, on
 * the thread that asks, not on a thread of its own started by the engine
 * (as session 9 did): the first load asked for it 0.7 ms after the
 * engine was made, so little overlapped, and the thread's malloc arena
 * took ~145 page faults of its own where the calling thread's heap is
 * populated already; an HTML build was ~3 ms slower for it on a quiet
 * machine (docs/performance.md).  An engine never loaded with never
 * parses it. */
struct qload_schema {
    pthread_mutex_t mu;
    int pending;            /* the built-in copy, not yet parsed */
    int builtin;            /* the built-in copy */
    xmlSchemaPtr schema;
    xmlDocPtr doc;          /* its XML, kept while the schema lives */
};

qload_schema *qload_schema_parse(const char *path, quorum_diags *d) {
    qload_schema *s = calloc(1, sizeof *s);
    if (!s) qfatal_oom();
    pthread_mutex_init(&s->mu, NULL);
    if (!path) {
        s->pending = 1;
        s->builtin = 1;
        return s;
    }
    if (parse_now(path, d, &s->schema, &s->doc) != 0) {
        qload_schema_free(s);
        return NULL;
    }
    return s;
}

struct _xmlSchema *qload_schema_get(qload_schema *s) {
    pthread_mutex_lock(&s->mu);
    if (s->pending) {
        s->pending = 0;
        /* the compiled-in copy parses (the tests say so): its
         * diagnostics, if ever, go nowhere, and the load that asked says
         * the schema cannot be used */
        quorum_diags *d = quorum_diags_new();
        qload_quiet q; /* libxml2's error handlers are per thread: ours */
        qload_quiet_begin(&q);
        parse_now(NULL, d, &s->schema, &s->doc);
        qload_quiet_end(&q);
        quorum_diags_free(d);
    }
    xmlSchemaPtr schema = s->schema;
    pthread_mutex_unlock(&s->mu);
    return schema;
}

int qload_schema_builtin(const qload_schema *s) { return s->builtin; }

int qload_schema_was_parsed(qload_schema *s) {
    pthread_mutex_lock(&s->mu);
    int parsed = s->schema != NULL;
    pthread_mutex_unlock(&s->mu);
    return parsed;
}

/* The compiled-in schema for qload_valid_compare: once a process. */
static xmlSchemaPtr compare_schema;
static xmlDocPtr compare_schema_doc;
static pthread_once_t compare_once = PTHREAD_ONCE_INIT;
static void parse_compare_schema(void) {
    quorum_diags *d = quorum_diags_new();
    parse_now(NULL, d, &compare_schema, &compare_schema_doc);
    quorum_diags_free(d);
}
static void count_error(void *userdata, xmlErrorPtr err) {
    if (err && err->level != XML_ERR_WARNING) ++*(int *)userdata;
}

int qload_valid_compare(const char *data, size_t len, int *fast, int *full) {
    *fast = *full = 0;
    qload_init_once();
    pthread_once(&compare_once, parse_compare_schema);
    if (!compare_schema || len > INT_MAX) return -1;
    /* the loader's options (load_parse.c); a DTD makes it refuse the file */
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) return -1;
    qload_quiet q;
    qload_quiet_begin(&q);
    xmlDocPtr x = xmlCtxtReadMemory(ctxt, data, (int)len, "valid.xml", NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOCDATA |
                                        XML_PARSE_COMPACT | XML_PARSE_NOERROR |
                                        XML_PARSE_NOWARNING);
    int wf = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    if (!x || !wf || x->intSubset || !xmlDocGetRootElement(x)) {
        xmlFreeDoc(x);
        qload_quiet_end(&q);
        return -1;
    }
    *fast = qload_valid_fast(x);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(compare_schema);
    int errors = 0;
    if (vc) {
        xmlSchemaSetValidStructuredErrors(vc, count_error, &errors);
        *full = xmlSchemaValidateDoc(vc, x) == 0 && errors == 0;
        xmlSchemaFreeValidCtxt(vc);
    }
    xmlFreeDoc(x);
    qload_quiet_end(&q);
    return 0;
}

void qload_schema_free(qload_schema *s) {
    if (!s) return;
    if (s->schema) xmlSchemaFree(s->schema);
    xmlFreeDoc(s->doc);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

typedef struct qvalid_ctx {
    qparse *P;
    qvec *errpos;
    /* The start tag of the last attribute error: errors come in document
     * order, so the next one on the same element continues from here
     * (50,000 bad attributes on one element: one pass over the tag, not
     * one per error). */
    qtag tag;
    int have_tag;
    qwords words;
} qvalid_ctx;

/* The offset of the first non-blank character of el's text that stands
 * between its elements (where "text must be inside a <p>" points), or 0. */
static size_t loose_text(const qsrc *s, xmlNodePtr el) {
    if (!el->_private) return 0;
    size_t from = qload_start_tag_end(s, ((qelpos *)el->_private)->start);
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (c->_private) from = ((qelpos *)c->_private)->end;
            continue;
        }
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) continue;
        const xmlChar *t = c->content;
        while (t && *t && qload_is_ws(*t)) t++;
        if (!t || !*t) continue;
        /* the first such byte after the previous element is this text's */
        while (from < s->len && (qload_is_ws(s->bytes[from]) ||
                                 s->bytes[from] == '<'))
            if (s->bytes[from] == '<') return 0; /* a comment, CDATA: give up */
            else from++;
        return from < s->len ? from : 0;
    }
    return 0;
}

static void on_valid_error(void *userdata, xmlErrorPtr err) {
    qvalid_ctx *V = userdata;
    if (!err || err->level == XML_ERR_WARNING) return;
    qparse *P = V->P;
    xmlNodePtr node = err->node;
    size_t off = qload_node_offset(P->src, node);
    /* Attribute errors name the element as their node; the message names
     * the attribute: "Element 'p', attribute 'align': ...". */
    const char *am = err->message ? strstr(err->message, ", attribute '") : NULL;
    char name[128] = "";
    if (node && node->type == XML_ELEMENT_NODE && node->_private && am) {
        am += strlen(", attribute '");
        const char *e = strchr(am, '\'');
        const char *brace = memchr(am, '}', e ? (size_t)(e - am) : 0);
        if (brace) am = brace + 1;
        if (e && e > am) {
            size_t n = (size_t)(e - am) < sizeof name - 1 ? (size_t)(e - am)
                                                         : sizeof name - 1;
            memcpy(name, am, n);
            name[n] = '\0';
            size_t start = ((qelpos *)node->_private)->start;
            if (!V->have_tag || V->tag.start != start) {
                qload_tag_begin(P->src, &V->tag, start, 0);
                V->have_tag = 1;
            }
            off = qload_tag_attr(P->src, &V->tag, name);
        }
    }
    if (err->code == XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3 && node &&
        node->type == XML_ELEMENT_NODE) {
        size_t t = loose_text(P->src, node);
        if (t) off = t;
    }
    qpos p = off || err->node ? qload_pos_at(P->src, off)
                              : (qpos){P->src->file, (unsigned)err->line, 0};
    const char *msg = qload_tidy_message(P->doc->arena, err->message);
    const char *words =
        node && node->type == XML_ELEMENT_NODE
            ? qload_words_valid(&V->words, err->code, (const char *)node->name,
                                name[0] ? name : NULL, msg)
            : NULL;
    qdiag_add(P->d, QUORUM_ERROR, p, "%s", words ? words : msg);
    *(qpos *)qvec_push(P->doc->arena, V->errpos) = p;
    P->errors++;
}

int qload_validate(qparse *P, struct _xmlSchema *schema, struct _xmlDoc *x,
                   qvec *errpos) {
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    if (!vc) return 0;
    qvalid_ctx V = {.P = P, .errpos = errpos,
                    .words = {.a = P->doc->arena, .schema = schema}};
    xmlSchemaSetValidStructuredErrors(vc, on_valid_error, &V);
    xmlSchemaValidateDoc(vc, x);
    xmlSchemaFreeValidCtxt(vc);
    return 1;
}
