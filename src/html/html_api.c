/* The HTML device's public calls for one report (quorum.h, "HTML"). */
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* The page of doc in b; the style's errors fail it. */
static quorum_status render(const quorum_engine *e, const quorum_doc *doc,
                            const quorum_options *opt, qstr *b, quorum_diags *d) {
    if (!e || !doc || !doc->root) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "html: no engine or no document");
        return QUORUM_USAGE;
    }
    const qstyle *s = qstyle_get(e, opt ? opt->style : NULL, opt ? opt->font_dir : NULL, d);
    if (!s) {
        quorum_status st = quorum_diags_status(d);
        return st == QUORUM_OK ? QUORUM_INVALID_INPUT : st;
    }
    /* a page comes to about twice its XML (the sample's 90 KB: 157 KB),
     * reserved at once rather than copied at each doubling */
    size_t xml = 0;
    for (size_t i = 0; i < doc->nsources; i++) xml += doc->sources[i].len;
    qstr_reserve(b, xml < 4u << 20 ? 2 * xml + 16384 : 8u << 20);
    qhtml_page pg = {0};
    qhtml_report(b, doc, s, &pg);
    return QUORUM_OK;
}

quorum_status quorum_doc_write_html_memory(const quorum_engine *e,
                                           const quorum_doc *doc,
                                           const quorum_options *opt,
                                           char **bytes, size_t *len,
                                           quorum_diags *d) {
    qstr b = {0};
    *bytes = NULL;
    *len = 0;
    quorum_status st = render(e, doc, opt, &b, d);
    if (st != QUORUM_OK) {
        qstr_free(&b);
        return st;
    }
    *bytes = b.s;
    *len = b.len;
    return QUORUM_OK;
}

quorum_status quorum_doc_write_html(const quorum_engine *e, const quorum_doc *doc,
                                    const quorum_options *opt, const char *path,
                                    quorum_diags *d) {
    qstr b = {0};
    quorum_status st = render(e, doc, opt, &b, d);
    if (st == QUORUM_OK) {
        size_t n = quorum_doc_source_count(doc);
        const char **in = calloc(n + 1, sizeof *in);
        if (!in) qfatal_oom();
        for (size_t i = 0; i < n; i++) in[i] = quorum_doc_source_path(doc, i);
        int written;
        st = qhtml_commit(b.s, b.len, path, "the HTML", in, n, &written, d);
        free(in);
    }
    qstr_free(&b);
    return st;
}
