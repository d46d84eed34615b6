/* quorum_docx_import_file: import, check the XML with its images (from
 * memory: nothing is written before the check has run), then write the
 * images and the XML, each replaced whole, none over an input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"

typedef struct kept {
    struct { char *name; unsigned char *data; size_t len; } *im;
    size_t n, cap;
} kept;

static int keep_image(void *ctx, const char *name, const void *data, size_t len) {
    kept *k = ctx;
    if (k->n == k->cap) k->im = qgrow(k->im, &k->cap, k->n + 1, sizeof *k->im);
    k->im[k->n].name = strdup(name);
    k->im[k->n].data = malloc(len ? len : 1);
    if (!k->im[k->n].name || !k->im[k->n].data) qfatal_oom();
    memcpy(k->im[k->n].data, data, len);
    k->im[k->n].len = len;
    k->n++;
    return 0;
}

/* The check's resolver: images from the package, not the disk. */
static int give_image(void *ctx, const char *name, char **data, size_t *len) {
    kept *k = ctx;
    for (size_t i = 0; i < k->n; i++) {
        if (strcmp(k->im[i].name, name) != 0) continue;
        *data = malloc(k->im[i].len ? k->im[i].len : 1);
        if (!*data) qfatal_oom();
        memcpy(*data, k->im[i].data, k->im[i].len);
        *len = k->im[i].len;
        return 0;
    }
    return ENOENT;
}

/* out_path's directory joined with name. */
static char *beside(const char *out_path, const char *name) {
    const char *slash = strrchr(out_path, '/');
    size_t dl = slash ? (size_t)(slash - out_path) + 1 : 0;
    char *p = malloc(dl + strlen(name) + 1);
    if (!p) qfatal_oom();
    memcpy(p, out_path, dl);
    strcpy(p + dl, name);
    return p;
}

/* "report" for out/report.xml: the images' prefix. */
static char *stem(const char *out_path) {
    const char *slash = strrchr(out_path, '/');
    const char *b = slash ? slash + 1 : out_path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    char *s = strndup(b, n);
    if (!s) qfatal_oom();
    return s;
}

static quorum_status write_one(const char *path, const void *data, size_t len,
                               const char *what, const char *const *inputs,
                               size_t ninputs, quorum_diags *d) {
    if (qatomic_check_target(path, what, inputs, ninputs, d) != 0) return QUORUM_USAGE;
    int err = qatomic_write_file(path, data, len, QATOMIC_ORDINARY);
    if (err) return qatomic_open_error(path, err, d);
    return QUORUM_OK;
}

quorum_status quorum_docx_import_file(const quorum_engine *e, const char *docx_path,
                                      const quorum_import_options *opt,
                                      const char *out_path, quorum_diags *d) {
    if (!e || !docx_path || !out_path) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "import: no engine, input or output");
        return QUORUM_USAGE;
    }
    kept k = {0};
    quorum_import_options o = opt ? *opt : (quorum_import_options){0};
    char *prefix = stem(out_path);
    o.image_fn = keep_image;
    o.image_ctx = &k;
    o.image_prefix = prefix;
    char *xml = NULL;
    size_t len = 0;
    const char *inputs[2] = {docx_path, o.mapping_path};
    /* the output may replace none of them: refused before the work */
    quorum_status st = qatomic_check_target(out_path, "the report", inputs, 2, d) != 0
                           ? QUORUM_USAGE
                           : quorum_docx_import(e, docx_path, &o, &xml, &len, d);
    if (st == QUORUM_OK) {
        size_t before = quorum_diags_count_severity(d, QUORUM_ERROR);
        quorum_doc *doc = quorum_doc_load_memory_resolved(e, xml, len, out_path,
                                                          give_image, &k, d);
        if (doc) quorum_doc_check(e, doc, NULL, d);
        quorum_doc_free(doc);
        size_t errors = quorum_diags_count_severity(d, QUORUM_ERROR) - before;
        for (size_t i = 0; i < k.n && st == QUORUM_OK; i++) {
            char *p = beside(out_path, k.im[i].name);
            st = write_one(p, k.im[i].data, k.im[i].len, "an image", inputs, 2, d);
            free(p);
        }
        if (st == QUORUM_OK) st = write_one(out_path, xml, len, "the report", inputs, 2, d);
        /* written all the same, so that the author sees what is wrong in it */
        if (st == QUORUM_OK && errors) st = QUORUM_INVALID_INPUT;
    }
    for (size_t i = 0; i < k.n; i++) {
        free(k.im[i].name);
        free(k.im[i].data);
    }
    free(k.im);
    free(xml);
    free(prefix);
    return st;
}
