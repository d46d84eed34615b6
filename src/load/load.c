/* The loader's entry points (load.h): a report or meeting file from a
 * path or from memory, the appendix files a report names (from its
 * directory or through the caller's resolver), the images it draws, and
 * other XML files (style files) as generic trees. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "load.h"

/* State of one quorum_doc_load call across the report and its appendices. */
typedef struct qload {
    qvec errpos;         /* qpos of every schema error, for check.c */
    qload_schema *schema;  /* the engine's; NULL: QLOAD_NO_SCHEMA */
    /* Supplies the files the report names instead of the file system
     * (quorum_doc_load_memory_resolved); NULL: read them from doc->dir. */
    quorum_resolve_fn resolve;
    void *resolve_ctx;
    const quorum_limits *lim; /* the engine's */
    const quorum_engine *e;
    const qload_pdfs *had;    /* PDF appendices read before, or NULL */
} qload;


/* Parses, checks the root, validates and converts one file.  Returns the
 * converted root, or NULL when the file cannot be used. */
static qnode *load_file(quorum_doc *doc, quorum_diags *d, qsrc *s,
                        const char *want_root, qload *L) {
    if (qload_check_utf8(s, d) != 0 || qload_check_encoding(s, d) != 0)
        return NULL;
    qparse P = {doc, d, s, 0, 0, want_root, L->lim->depth,
                qarena_new(16 * 1024), 0};
    xmlDocPtr x = qload_parse_xml(&P);
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
            qdiag_add(d, QUORUM_ERROR, qload_pos_at(s, roff),
                      "<%s> must be in the namespace %s (found %s); write "
                      "<%s xmlns=\"%s\">", want_root, QUORUM_FORMAT_NAMESPACE,
                      href ? href : "no namespace", want_root,
                      QUORUM_FORMAT_NAMESPACE);
        else
            qdiag_add(d, QUORUM_ERROR, qload_pos_at(s, roff),
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
     * so the checks can add what the schema cannot say.  A file the fast
     * validator proves valid never needs the schema parsed (load_valid.c);
     * any other goes to libxml2, whose diagnostics are the ones given. */
    if (L->schema && qload_schema_builtin(L->schema) && qload_valid_fast(x)) {
        doc->schema_checked = 1;
        qnode *qroot = qload_convert(&P, root);
        xmlFreeDoc(x);
        qarena_free(P.tmp);
        return qroot;
    }
    struct _xmlSchema *schema = L->schema ? qload_schema_get(L->schema) : NULL;
    if (L->schema && !schema) {
        /* the compiled-in copy failed to parse: a broken build */
        qdiag_add(d, QUORUM_ERROR, (qpos){s->file, 0, 0}, "the schema cannot be used");
        xmlFreeDoc(x);
        qarena_free(P.tmp);
        return NULL;
    }
    if (schema && qload_validate(&P, schema, x, &L->errpos))
        doc->schema_checked = 1;
    qnode *qroot = qload_convert(&P, root);
    xmlFreeDoc(x);
    qarena_free(P.tmp);
    return qroot;
}

/* A meeting's item report="…" names a file beside the meeting file or in
 * a folder below it (each item's report and appendices in a folder of
 * their own, docs/meeting.md); the reports themselves are loaded by the
 * pack (pack.c), never here. */
static void check_item_reports(quorum_doc *doc, quorum_diags *d) {
    qnode *agenda = qdoc_first_child_of(doc->root, QN_AGENDA);
    if (!agenda) return;
    for (qnode *it = agenda->first; it; it = it->next) {
        if (it->type != QN_AGENDA_ITEM) continue;
        const qattr *r = qdoc_attr_get(it, "report");
        if (!r || qhref_inside(r->value, 1)) continue;
        /* An exempt item's report is never opened nor quoted
         * (docs/meeting.md, "Exempt items"): even its name stays out of
         * the diagnostics, which may be published with the pack. */
        if (qdoc_attr_get(it, "exempt-paragraph"))
            qdiag_add(d, QUORUM_ERROR, r->pos,
                      "the report of an exempt item must name a file in the "
                      "meeting file's directory or a folder below it (no '..', "
                      "':', '\\', empty parts or absolute paths)");
        else
            qdiag_add(d, QUORUM_ERROR, r->pos,
                      "item report \"%s\" must name a file in the meeting "
                      "file's directory or a folder below it (no '..', ':', "
                      "'\\', empty parts or absolute paths)",
                      r->value);
    }
}

/* An appendix from the caller's resolver (quorum_resolve_fn): into the
 * arena, NUL-terminated like a file read, under the same size limit. */
static unsigned char *resolve_file(qarena *a, const qload *L, const char *name,
                                   size_t *len, quorum_diags *d, qpos at) {
    char *data = NULL;
    size_t n = 0;
    int rc = L->resolve(L->resolve_ctx, name, &data, &n);
    if (rc != 0) {
        qdiag_add(d, QUORUM_ERROR, at, "cannot read appendix '%s': %s", name,
                  rc > 0 ? strerror(rc) : "not supplied");
        return NULL;
    }
    if (n > L->lim->file_bytes) {
        free(data);
        char lim[32];
        qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at,
                        "appendix '%s' is larger than the %s limit for "
                        "reports", name,
                        qsize_text(lim, sizeof lim, L->lim->file_bytes));
        return NULL;
    }
    unsigned char *out = qarena_alloc_uninit(a, n + 1);
    if (n) memcpy(out, data, n);
    out[n] = '\0';
    free(data);
    *len = n;
    return out;
}

/* The hrefs seen so far, by name: a file named twice is read once.  Open
 * addressing over a power-of-two table at most half full. */
typedef struct seen_href { const char *href; qpos pos; } seen_href;

static uint64_t href_hash(const char *s) {
    uint64_t h = 14695981039346656037u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The earlier reference to href, or NULL after recording this one. */
static const seen_href *seen_before(seen_href *t, size_t mask, const char *href,
                                    qpos pos) {
    for (size_t i = href_hash(href) & mask;; i = (i + 1) & mask) {
        if (!t[i].href) {
            t[i].href = href;
            t[i].pos = pos;
            return NULL;
        }
        if (strcmp(t[i].href, href) == 0) return &t[i];
    }
}

static void load_appendices(quorum_doc *doc, quorum_diags *d, qload *L) {
    qnode *apps = qdoc_first_child_of(doc->root, QN_APPENDICES);
    if (!apps) return;
    size_t n = 0, size = 4;
    for (qnode *ref = apps->first; ref; ref = ref->next) n++;
    while (size < 2 * n) size *= 2;
    seen_href *seen = calloc(size, sizeof *seen);
    if (!seen) qfatal_oom();
    for (qnode *ref = apps->first; ref; ref = ref->next) {
        if (ref->type != QN_APPENDIX) continue;
        const qattr *h = qdoc_attr_get(ref, "href");
        if (!h) continue; /* the schema says href is required */
        if (!qhref_inside(h->value, 0)) {
            qdiag_add(d, QUORUM_ERROR, h->pos,
                      "appendix href \"%s\" must name a file in the report's "
                      "directory (no '/', '..' or absolute paths)", h->value);
            continue;
        }
        /* Each appendix is its own file (docs/format.md): a file named
         * again would be read, validated and laid out once more for each
         * reference, work without end for a small report. */
        const seen_href *first = seen_before(seen, size - 1, h->value, h->pos);
        if (first) {
            qdiag_add(d, QUORUM_ERROR, h->pos,
                      "appendix \"%s\" is already referenced at line %u: each "
                      "appendix is its own file", h->value, first->pos.line);
            continue;
        }
        const char *path = strcmp(doc->dir, ".") == 0
                               ? h->value
                               : qarena_printf(doc->arena, "%s/%s", doc->dir,
                                               h->value);
        if (qload_is_pdf_name(h->value)) {
            /* its pages go in as they are: nothing to parse or graft */
            qload_pdf_appendix(L->e, doc, ref, h, path, L->resolve, L->resolve_ctx, L->had,
                               d);
            continue;
        }
        unsigned file = qdiag_file(d, path);
        size_t len = 0;
        unsigned char *bytes =
            L->resolve ? resolve_file(doc->arena, L, h->value, &len, d, h->pos)
                       : qload_read_file(doc->arena, path, h->value, file,
                                         &len, d, h->pos, L->lim->file_bytes);
        if (!bytes) continue;
        qsrc *s = qload_add_source(doc, d, path, bytes, len, h->pos);
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
    free(seen);
}

static char *dir_of(qarena *a, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return qarena_strdup(a, ".");
    if (slash == path) return qarena_strdup(a, "/");
    return qarena_strndup(a, path, (size_t)(slash - path));
}

static quorum_doc *load_bytes(const quorum_engine *e, quorum_doc *doc,
                              quorum_diags *d, const unsigned char *bytes,
                              size_t len, unsigned flags,
                              quorum_resolve_fn fn, void *ctx, const qload_pdfs *had) {
    qload_quiet quiet;
    qload_quiet_begin(&quiet);
    qsrc *s = qload_add_source(doc, d, doc->path, bytes, len, (qpos){0, 0, 0});
    qload L = {0};
    L.schema = (flags & QLOAD_NO_SCHEMA) ? NULL : e->schema;
    L.resolve = fn;
    L.resolve_ctx = ctx;
    L.lim = &e->limits;
    L.e = e;
    L.had = had;
    qvec_init(&L.errpos, sizeof(qpos));
    doc->root = load_file(doc, d, s, "report", &L);
    int meeting = doc->root && doc->root->type == QN_MEETING;
    if (meeting) check_item_reports(doc, d);
    else if (doc->root) {
        load_appendices(doc, d, &L);
        qload_images(doc, fn, ctx, &e->limits);
    }
    doc->schema_errors = L.errpos.data;
    doc->nschema_errors = L.errpos.len;
    qload_quiet_end(&quiet);
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
    return qload_doc(e, path, d, 0, NULL);
}

quorum_doc *qload_doc(const quorum_engine *e, const char *path,
                      quorum_diags *d, unsigned flags, const qload_pdfs *had) {
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "load: no engine");
        return NULL;
    }
    quorum_doc *doc = doc_new(path);
    unsigned file = qdiag_file(d, path);
    size_t len = 0;
    qpos none = {0, 0, 0};
    unsigned char *bytes = qload_read_file(doc->arena, path, path, file, &len, d,
                                           none, e->limits.file_bytes);
    if (!bytes) {
        quorum_doc_free(doc);
        return NULL;
    }
    return load_bytes(e, doc, d, bytes, len, flags, NULL, NULL, had);
}

quorum_doc *quorum_doc_load_memory(const quorum_engine *e, const char *data,
                                   size_t len, const char *name,
                                   quorum_diags *d) {
    return quorum_doc_load_memory_resolved(e, data, len, name, NULL, NULL, d);
}

/* A file given to a memory load is over the limit: as qload_read_file
 * says it of a file. */
static void too_large(quorum_diags *d, const char *name, size_t limit) {
    qpos p = {qdiag_file(d, name), 0, 0};
    char lim[32];
    qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, p,
                    "file is larger than the %s limit for reports",
                    qsize_text(lim, sizeof lim, limit));
}

quorum_doc *quorum_doc_load_memory_resolved(const quorum_engine *e,
                                            const char *data, size_t len,
                                            const char *name,
                                            quorum_resolve_fn fn, void *ctx,
                                            quorum_diags *d) {
    return qload_doc_memory(e, data, len, name, fn, ctx, d, 0, NULL);
}

quorum_doc *qload_doc_memory(const quorum_engine *e, const char *data,
                             size_t len, const char *name,
                             quorum_resolve_fn fn, void *ctx,
                             quorum_diags *d, unsigned flags,
                             const qload_pdfs *had) {
    if (!name) name = "<memory>";
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "load: no engine");
        return NULL;
    }
    if (len > e->limits.file_bytes) {
        too_large(d, name, e->limits.file_bytes);
        return NULL;
    }
    quorum_doc *doc = doc_new(name);
    unsigned char *bytes = qarena_alloc_uninit(doc->arena, len + 1);
    if (len) memcpy(bytes, data, len);
    bytes[len] = '\0';
    return load_bytes(e, doc, d, bytes, len, flags, fn, ctx, had);
}

void quorum_doc_free(quorum_doc *doc) {
    if (!doc) return;
    qload_pdfs_free(doc);
    qarena_free(doc->arena);
    free(doc);
}

/* ---- other XML files (style files) ------------------------------------ */

/* Parses the bytes of a file that is not a report (in doc's arena,
 * NUL-terminated) into doc->root: the rules of qload_xml_file. */
static quorum_doc *xml_tree(quorum_doc *doc, unsigned char *bytes, size_t len,
                            const char *want_root, const char *ns,
                            unsigned max_depth, quorum_diags *d) {
    qload_quiet quiet;
    qload_quiet_begin(&quiet);
    qsrc *s = qload_add_source(doc, d, doc->path, bytes, len, (qpos){0, 0, 0});
    qnode *root = NULL;
    if (qload_check_utf8(s, d) == 0 && qload_check_encoding(s, d) == 0) {
        /* want_root NULL: a part of another format, taken as written */
        qparse P = {doc, d, s, 0, 0, want_root, max_depth,
                    qarena_new(16 * 1024), want_root == NULL};
        xmlDocPtr x = qload_parse_xml(&P);
        if (x) {
            xmlNodePtr r = xmlDocGetRootElement(x);
            size_t roff = r->_private ? ((qelpos *)r->_private)->start : 0;
            const char *href = r->ns && r->ns->href
                                   ? (const char *)r->ns->href : NULL;
            if (want_root && (strcmp((const char *)r->name, want_root) != 0 ||
                              !href || strcmp(href, ns) != 0)) {
                qdiag_add(d, QUORUM_ERROR, qload_pos_at(s, roff),
                          "the root element must be <%s xmlns=\"%s\">",
                          want_root, ns);
            } else {
                root = qload_convert(&P, r);
            }
            xmlFreeDoc(x);
        }
        qarena_free(P.tmp);
    }
    qload_quiet_end(&quiet);
    if (!root) {
        quorum_doc_free(doc);
        return NULL;
    }
    doc->root = root;
    return doc;
}

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
    unsigned char *bytes = qload_read_file(doc->arena, path, path, file, &len, d,
                                           none, QLOAD_MAX_BYTES);
    if (!bytes) {
        quorum_doc_free(doc);
        return NULL;
    }
    return xml_tree(doc, bytes, len, want_root, ns, QLOAD_MAX_DEPTH, d);
}

/* A document holding a NUL-terminated copy of data, for the memory
 * loaders; NULL (with the limit's error) when len is over max_bytes. */
static quorum_doc *doc_copy(const char *data, size_t len, const char *name,
                            size_t max_bytes, unsigned char **bytes,
                            quorum_diags *d) {
    if (len > max_bytes) {
        too_large(d, name, max_bytes);
        return NULL;
    }
    quorum_doc *doc = doc_new(name);
    *bytes = qarena_alloc_uninit(doc->arena, len + 1);
    if (len) memcpy(*bytes, data, len);
    (*bytes)[len] = '\0';
    return doc;
}

quorum_doc *qload_xml_memory(const char *data, size_t len, const char *name,
                             const char *want_root, const char *ns,
                             quorum_diags *d) {
    unsigned char *bytes;
    quorum_doc *doc = doc_copy(data, len, name, QLOAD_MAX_BYTES, &bytes, d);
    return doc ? xml_tree(doc, bytes, len, want_root, ns, QLOAD_MAX_DEPTH, d) : NULL;
}

quorum_doc *qload_xml_part(const char *data, size_t len, const char *name,
                           size_t max_bytes, unsigned max_depth,
                           quorum_diags *d) {
    unsigned char *bytes;
    quorum_doc *doc = doc_copy(data, len, name, max_bytes ? max_bytes : QLOAD_MAX_BYTES,
                               &bytes, d);
    return doc ? xml_tree(doc, bytes, len, NULL, NULL,
                          max_depth ? max_depth : QLOAD_MAX_DEPTH, d)
               : NULL;
}
