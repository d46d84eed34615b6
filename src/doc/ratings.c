/* Ratings anywhere (format 1.1): a rating scale declared once in the
 * report (<scale id> after the front sheet) and used by any table cell
 * (<cell rating="A"> or <cell score="16">) and inline in prose (<chip>).
 * A code is matched without regard to case (the check warns); a score
 * takes the value of the highest band (<rating min="15">) it reaches. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc.h"

/* The report's own scales: children of the root. */
static int report_scale(const qnode *n) {
    return n->type == QN_SCALE && n->parent && n->parent->type == QN_REPORT;
}

void qrating_index(quorum_doc *doc) {
    qvec sc, pf;
    qvec_init(&sc, sizeof(const qnode *));
    qvec_init(&pf, sizeof(const qnode *));
    for (const qnode *x = doc->root; x; x = qdoc_next(x, doc->root)) {
        if (report_scale(x)) *(const qnode **)qvec_push(doc->arena, &sc) = x;
        else if (x->type == QN_PERFORMANCE)
            *(const qnode **)qvec_push(doc->arena, &pf) = x;
    }
    doc->scales = sc.data;
    doc->nscales = sc.len;
    doc->perfs = pf.data;
    doc->nperfs = pf.len;
    doc->values_indexed = 1;
}

/* The nodes of type t (a report scale or a performance) in document
 * order: from the index, else by a walk into v. */
static const qnode **nodes_of(const quorum_doc *doc, qdoc_type t, qarena *a,
                              size_t *n) {
    if (doc->values_indexed) {
        *n = t == QN_SCALE ? doc->nscales : doc->nperfs;
        return t == QN_SCALE ? doc->scales : doc->perfs;
    }
    qvec v;
    qvec_init(&v, sizeof(const qnode *));
    for (const qnode *x = doc->root; x; x = qdoc_next(x, doc->root))
        if (t == QN_SCALE ? report_scale(x) : x->type == t)
            *(const qnode **)qvec_push(a, &v) = x;
    *n = v.len;
    return v.data;
}

const qnode *qperf_find(const quorum_doc *doc, const char *id) {
    size_t n;
    qarena *a = doc->values_indexed ? NULL : qarena_new(0);
    const qnode **v = nodes_of(doc, QN_PERFORMANCE, a, &n), *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        const char *xid = qdoc_attr(v[i], "id");
        if (id && xid && strcmp(xid, id) == 0) found = v[i];
    }
    if (!id && n == 1) found = v[0];
    qarena_free(a);
    return found;
}

const qnode *qrating_scale(const quorum_doc *doc, const qnode *n, int *declared) {
    const char *id = qdoc_attr(n, "scale");
    size_t count;
    qarena *a = doc->values_indexed ? NULL : qarena_new(0);
    const qnode **v = nodes_of(doc, QN_SCALE, a, &count), *found = NULL;
    *declared = 1;
    for (size_t i = 0; i < count && id && !found; i++) {
        const char *xid = qdoc_attr(v[i], "id");
        if (xid && strcmp(id, xid) == 0) found = v[i];
    }
    if (!id && count == 1) found = v[0];
    qarena_free(a);
    if (id || count == 1) return found; /* named and not found: the check says so */
    *declared = 0;
    if (count > 1) return NULL;
    /* version 1: the report's only performance, else the default */
    const qnode *perf = qperf_find(doc, NULL);
    return perf ? qdoc_first_child_of(perf, QN_SCALE) : NULL;
}

int qrating_find(const qperf_scale *s, const char *code, int *exact) {
    *exact = 1;
    int i = qperf_scale_find(s, code);
    if (i >= 0 || !code) return i;
    *exact = 0;
    for (size_t k = 0; k < s->n; k++)
        if (strcasecmp(s->v[k].code, code) == 0) return (int)k;
    return -1;
}

int qrating_score(const char *text, double *out) {
    char *end;
    if (!text || !*text) return -1;
    double v = strtod(text, &end);
    while (*end == ' ') end++;
    if (*end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int qrating_band(const qperf_scale *s, double score) {
    int best = -1;
    double best_min = 0;
    for (size_t k = 0; k < s->n; k++) {
        double m;
        if (!s->v[k].node || qrating_score(qdoc_attr(s->v[k].node, "min"), &m))
            continue;
        if (m <= score && (best < 0 || m > best_min)) {
            best = (int)k;
            best_min = m;
        }
    }
    return best;
}

int qrating_of(qarena *a, const quorum_doc *doc, const qnode *n,
               qperf_scale *s, int *exact) {
    int declared;
    const qnode *sc = qrating_scale(doc, n, &declared);
    if (!sc && qdoc_attr(n, "scale")) return -1;
    if (!s->read || s->from != sc) qperf_scale_of(a, sc, s);
    *exact = 1;
    const char *score = qdoc_attr(n, "score");
    double v;
    if (score) return qrating_score(score, &v) ? -1 : qrating_band(s, v);
    return qrating_find(s, qdoc_attr(n, "rating"), exact);
}


void qrating_apply(quorum_doc *doc, qnode *n, qperf_scale *memo) {
    qarena *a = doc->arena;
    int declared, exact;
    if (!qdoc_attr(n, "scale") && !qrating_scale(doc, n, &declared) && !declared &&
        doc->nperfs > 1)
        return; /* which scale?  the style's colours, no words */
    int k = qrating_of(a, doc, n, memo, &exact);
    if (k < 0) return; /* the check says why */
    const qperf_value *v = &memo->v[k];
    if (!exact) { /* the code as declared, for the style's colours of it;
                     the check warns about the spelling as written */
        qattr *at = (qattr *)qdoc_attr_get(n, "rating");
        qdoc_attr_set_shared(a, n, "rating-written", at->value, at->pos);
        at->value = v->code;
    }
    const char *score = qdoc_attr(n, "score");
    if (!n->first && (score || n->type == QN_CHIP)) {
        /* an empty chip prints its word, a scored cell its score */
        qnode *t = qdoc_node_new(a, QN_TEXT, NULL, n->pos);
        t->text = n->type == QN_CHIP ? v->text : score;
        t->text_len = strlen(t->text);
        qdoc_append(n, t);
    }
    if (!qdoc_attr(n, "alt") && n->type == QN_CELL)
        qdoc_attr_set_shared(a, n, "alt", v->text, n->pos);
    if (v->own_colours && !qdoc_attr(n, "fill") && !qdoc_attr(n, "color")) {
        qdoc_attr_set_shared(a, n, "fill", v->fill, n->pos);
        qdoc_attr_set_shared(a, n, "color", v->color, n->pos);
    }
}
