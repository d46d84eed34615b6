/* quorum_docx_import*: a Word package to report XML, checked as `quorum
 * check` checks a report before anything is written. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "load.h"

typedef struct parts {
    quorum_doc *document, *styles, *numbering, *footnotes, *rels;
} parts;

static void parts_free(parts *p) {
    quorum_doc_free(p->document);
    quorum_doc_free(p->styles);
    quorum_doc_free(p->numbering);
    quorum_doc_free(p->footnotes);
    quorum_doc_free(p->rels);
}

/* Reads and parses one part: 0 (*out NULL when missing and not required),
 * or -1 after an error. */
static int part(dxpkg *pkg, const char *name, const char *shown, const char *partname,
                size_t max, unsigned depth, int required, quorum_doc **out,
                quorum_diags *d) {
    size_t len;
    int missing;
    *out = NULL;
    char *bytes = dx_pkg_read(pkg, partname, &len, &missing, d);
    if (!bytes) {
        if (missing && required) {
            qpos at = {qdiag_file(d, name), 0, 0};
            qdiag_add(d, QUORUM_ERROR, at,
                      "not a Word document: the package has no %s", partname);
        }
        return missing && !required ? 0 : -1;
    }
    char *label = malloc(strlen(shown) + strlen(partname) + 2);
    if (!label) qfatal_oom();
    sprintf(label, "%s/%s", shown, partname);
    *out = qload_xml_part(bytes, len, label, max, depth, d);
    free(label);
    free(bytes);
    return *out ? 0 : -1;
}

/* The main document's part name from the package's relationships (Word
 * and LibreOffice say word/document.xml; others may not). */
static const char *main_part(dxctx *c, dxpkg *pkg, const char *name, size_t max,
                             unsigned depth, quorum_doc **rels_doc) {
    if (part(pkg, name, name, "_rels/.rels", max, depth, 0, rels_doc, c->d) != 0)
        return NULL;
    if (dx_read_rels(c, *rels_doc, "") != 0) return NULL;
    for (size_t i = 0; i < c->nrels; i++)
        if (strcmp(c->rels[i].type, "officeDocument") == 0 && !c->rels[i].external)
            return c->rels[i].target;
    return "word/document.xml";
}

static const char *folder_of(qarena *a, const char *partname) {
    const char *s = strrchr(partname, '/');
    return s ? qarena_strndup(a, partname, (size_t)(s - partname) + 1) : "";
}

static int read_parts(dxctx *c, dxpkg *pkg, const quorum_limits *lim, parts *P) {
    const char *name = c->name;
    size_t max = lim->file_bytes;
    unsigned depth = lim->depth;
    quorum_doc *pkg_rels = NULL;
    const char *doc = main_part(c, pkg, name, max, depth, &pkg_rels);
    quorum_doc_free(pkg_rels);
    if (!doc) return -1;
    const char *dir = folder_of(c->a, doc);
    const char *slash = strrchr(doc, '/');
    const char *rels = qarena_printf(c->a, "%s_rels/%s.rels", dir, slash ? slash + 1 : doc);
    if (part(pkg, name, name, doc, max, depth, 1, &P->document, c->d) != 0 ||
        part(pkg, name, name, rels, max, depth, 0, &P->rels, c->d) != 0)
        return -1;
    c->nrels = 0;
    if (dx_read_rels(c, P->rels, dir) != 0) return -1;
    /* styles, numbering and footnotes by relationship, else where Word
     * puts them */
    const char *types[3] = {"styles", "numbering", "footnotes"};
    quorum_doc **outs[3] = {&P->styles, &P->numbering, &P->footnotes};
    for (int k = 0; k < 3; k++) {
        const char *pn = qarena_printf(c->a, "%s%s.xml", dir, types[k]);
        for (size_t i = 0; i < c->nrels; i++)
            if (strcmp(c->rels[i].type, types[k]) == 0 && !c->rels[i].external)
                pn = c->rels[i].target;
        if (part(pkg, name, name, pn, max, depth, 0, outs[k], c->d) != 0) return -1;
    }
    dx_read_styles(c, P->styles);
    dx_read_numbering(c, P->numbering);
    dx_read_notes(c, P->footnotes);
    return 0;
}

static quorum_status import_pkg(const quorum_engine *e, dxpkg *pkg, const char *name,
                                const quorum_import_options *opt, const dxmapping *map,
                                char **xml, size_t *xml_len, quorum_diags *d) {
    dxctx c = {0};
    c.a = qarena_new(0);
    c.d = d;
    c.name = name;
    c.map = map;
    c.image_prefix = opt && opt->image_prefix ? opt->image_prefix : "image";
    parts P = {0};
    quorum_status st = QUORUM_INVALID_INPUT;
    if (read_parts(&c, pkg, &e->limits, &P) == 0) {
        const qnode *body = dx_child(P.document->root, "body");
        size_t n = 0;
        dxblock *b = body ? dx_body_blocks(&c, body, &n) : NULL;
        if (!body) {
            qpos at = {qdiag_file(d, name), 0, 0};
            qdiag_add(d, QUORUM_ERROR, at, "not a Word document: its main part has no body");
        } else {
            qstr out = {0};
            dx_report(&c, b, n, &out);
            st = QUORUM_OK;
            for (size_t i = 0; i < c.nimages && st == QUORUM_OK; i++) {
                size_t len;
                int missing;
                char *bytes = dx_pkg_read(pkg, c.images[i].part, &len, &missing, d);
                if (!bytes && missing) {
                    qpos at = {qdiag_file(d, name), 0, 0};
                    qdiag_add(d, QUORUM_WARNING, at, "image %s is not in the package",
                              c.images[i].part);
                } else if (!bytes) {
                    st = QUORUM_INVALID_INPUT;
                } else if (opt && opt->image_fn &&
                           opt->image_fn(opt->image_ctx, c.images[i].file, bytes, len) != 0) {
                    qpos at = {qdiag_file(d, name), 0, 0};
                    qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at,
                                    "cannot keep image %s", c.images[i].file);
                    st = QUORUM_IO_ERROR;
                }
                free(bytes);
            }
            if (st == QUORUM_OK) {
                *xml = out.s;
                *xml_len = out.len;
            } else {
                qstr_free(&out);
            }
        }
        dx_blocks_free(b, n);
    }
    free(c.images);
    parts_free(&P);
    qarena_free(c.a);
    return st;
}

quorum_status quorum_docx_import_memory(const quorum_engine *e, const void *data,
                                        size_t len, const char *name,
                                        const quorum_import_options *opt,
                                        char **xml, size_t *xml_len, quorum_diags *d) {
    *xml = NULL;
    *xml_len = 0;
    if (!e || !name) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "import: no engine or no name");
        return QUORUM_USAGE;
    }
    dxmapping map = {0};
    if (opt && opt->mapping_path && dx_mapping_load(&map, opt->mapping_path, d) != 0) {
        dx_mapping_free(&map);
        return quorum_diags_status(d) == QUORUM_OK ? QUORUM_INVALID_INPUT
                                                   : quorum_diags_status(d);
    }
    dxpkg *pkg = dx_pkg_open(data, len, name, e->limits.file_bytes, d);
    quorum_status st = QUORUM_INVALID_INPUT;
    if (pkg) st = import_pkg(e, pkg, name, opt, map.doc ? &map : NULL, xml, xml_len, d);
    dx_pkg_close(pkg);
    dx_mapping_free(&map);
    return st;
}

/* The biggest package read: its parts are capped one by one, the file
 * as a whole (images too) at this many of them. */
#define DOCX_FILE_PARTS 8

quorum_status quorum_docx_import(const quorum_engine *e, const char *path,
                                 const quorum_import_options *opt, char **xml,
                                 size_t *xml_len, quorum_diags *d) {
    *xml = NULL;
    *xml_len = 0;
    if (!e || !path) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "import: no engine or no path");
        return QUORUM_USAGE;
    }
    unsigned char *bytes = NULL;
    size_t len = 0;
    size_t max = e->limits.file_bytes * DOCX_FILE_PARTS;
    int err = qfile_read(path, 0, max, &bytes, &len);
    if (err) {
        char lim[32];
        qpos at = {qdiag_file(d, path), 0, 0};
        if (err == EFBIG)
            qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at,
                            "file is larger than the %s limit for Word documents",
                            qsize_text(lim, sizeof lim, max));
        else
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, at, "cannot read: %s",
                            qfile_strerror(err));
        return err == EFBIG ? QUORUM_INVALID_INPUT : QUORUM_IO_ERROR;
    }
    quorum_status st = quorum_docx_import_memory(e, bytes, len, path, opt, xml, xml_len, d);
    free(bytes);
    return st;
}
