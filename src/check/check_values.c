/* Values with a closed vocabulary (doc/values.c): an unknown word is an
 * error, another spelling of a known one a warning, each at the
 * attribute that holds it. */
#include <stdio.h>
#include <string.h>

#include "check.h"

static qpos value_pos(const qnode *n, const char *attr) {
    const qattr *a = qdoc_attr_get(n, attr);
    return a ? a->pos : n->pos;
}

static void check_trend(const qnode *n, const char *attr, quorum_diags *d) {
    const char *v = qdoc_attr(n, attr);
    if (!v) return; /* the schema requires it where it must be */
    int exact = 1;
    const qtrend *t = qdoc_trend(v, &exact);
    if (!t) {
        char known[128];
        qdoc_trend_values(known, sizeof known);
        qdiag_add(d, QUORUM_ERROR, value_pos(n, attr),
                  "unknown direction of travel '%s' (known: %s)", v, known);
    } else if (!exact) {
        qdiag_add(d, QUORUM_WARNING, value_pos(n, attr),
                  "direction of travel '%s' read as '%s'", v, t->value);
    }
}

static void check_options(const qnode *n, quorum_diags *d) {
    const char *sel = qdoc_attr(n, "select");
    size_t k, count = qdoc_options_count(n, &k);
    if (count && sel && strcmp(sel, "one") == 0 && k != 1)
        qdiag_add(d, QUORUM_ERROR, n->pos,
                  "options%s%s%s need exactly one selected option (select=\"one\"); "
                  "%zu of %zu are selected", qdoc_options_label(n) ? " \"" : "",
                  qdoc_options_label(n) ? qdoc_options_label(n) : "",
                  qdoc_options_label(n) ? "\"" : "", k, count);
}

/* A key decision is published in the forward plan first, so the paper
 * says where (modest: the field is there, whatever it says). */
static void check_key_decision(const quorum_doc *doc, qarena *a, quorum_diags *d) {
    if (qdoc_fact_yes(doc, "key-decision", a) == 1 && !qdoc_field(doc, "forward-plan"))
        qdiag_add(d, QUORUM_NOTE, qdoc_field(doc, "key-decision")->pos,
                  "a key decision with no forward plan reference "
                  "(a field with role=\"forward-plan\")");
}

/* Key decision and call-in are facts the checks use: a value that reads
 * as neither would silently switch those checks off, so it is named
 * (no guessing: "Key decision over £500k" might still mean either). */
static void check_yes_no(const quorum_doc *doc, const char *role, qarena *a,
                         quorum_diags *d) {
    if (qdoc_fact_yes(doc, role, a) != -2) return;
    const qnode *f = qdoc_field(doc, role);
    const char *t = qdoc_text(a, f);
    while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r') t++;
    int n = 0; /* at most 40 bytes, cut before a UTF-8 continuation byte */
    while (t[n] && n < 40) n++;
    while (t[n] && n && (t[n] & 0xC0) == 0x80) n--;
    qdiag_add(d, QUORUM_WARNING, f->pos,
              "%s \"%.*s%s\" is read as neither Yes nor No (write Yes or No first, "
              "any case, then a space, dash, colon or comma and the rest; "
              "or answer=\"yes\" or \"no\")",
              role, n, t, t[n] ? "..." : "");
}

/* A code not on the scale: the nearest code or word of the scale named
 * ("Ambr" is Amber, whose code may be "A"), else the codes listed. */
static void unknown_rating(const qnode *n, const char *code, const qperf_scale *s,
                           qarena *a, quorum_diags *d) {
    const char **words = qarena_alloc(a, sizeof *words * (2 * s->n + 1));
    size_t nw = 0;
    for (size_t i = 0; i < s->n; i++) {
        words[nw++] = s->v[i].code;
        if (s->v[i].text) words[nw++] = s->v[i].text;
    }
    const char *near = qnearest(code, words, nw);
    for (size_t i = 0; near && i < s->n; i++) {
        if (near != s->v[i].code && near != s->v[i].text) continue;
        if (strcmp(s->v[i].code, near) == 0)
            qdiag_add(d, QUORUM_ERROR, value_pos(n, "rating"),
                      "rating '%s' is not on the scale; did you mean '%s'?", code, near);
        else
            qdiag_add(d, QUORUM_ERROR, value_pos(n, "rating"),
                      "rating '%s' is not on the scale; did you mean '%s' (%s)?", code,
                      s->v[i].code, near);
        return;
    }
    char known[200] = "";
    for (size_t i = 0, o = 0; i < s->n && o < sizeof known - 40; i++)
        o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", i ? ", " : "", s->v[i].code);
    qdiag_add(d, QUORUM_ERROR, value_pos(n, "rating"),
              "rating '%s' is not on the scale (known: %s)", code, known);
}

/* A rated cell or chip: its scale found, its score a number in a band,
 * its code on the scale (an error where the report declared the scale or
 * for a chip; a version 1 cell may name a code only the style colours),
 * another spelling of a code a warning. */
static void check_rated(const quorum_doc *doc, const qnode *n, qarena *a,
                        qperf_scale *memo, quorum_diags *d) {
    int declared, exact;
    const char *scale = qdoc_attr(n, "scale"), *score = qdoc_attr(n, "score");
    /* as written: the loader put the code as declared in rating= */
    const char *code = qdoc_attr(n, "rating-written");
    if (!code) code = qdoc_attr(n, "rating");
    const qnode *sc = qrating_scale(doc, n, &declared);
    if (scale && !sc) {
        qdiag_add(d, QUORUM_ERROR, value_pos(n, "scale"), "no rating scale with id '%s'", scale);
        return;
    }
    double v;
    if (score && qrating_score(score, &v)) {
        qdiag_add(d, QUORUM_ERROR, value_pos(n, "score"), "score '%s' is not a number", score);
        return;
    }
    int k = qrating_of(a, doc, n, memo, &exact);
    if (score && k < 0) {
        qdiag_add(d, QUORUM_ERROR, value_pos(n, "score"),
                  "score %s is below every band of its scale (rating min=)", score);
    } else if (!score && !code) {
        if (n->type == QN_CHIP)
            qdiag_add(d, QUORUM_ERROR, n->pos, "<chip> needs rating= or score=");
    } else if (k < 0 && (declared || n->type == QN_CHIP)) {
        unknown_rating(n, code, memo, a, d);
    } else if (k >= 0 && (!exact || qdoc_attr(n, "rating-written"))) {
        qdiag_add(d, QUORUM_WARNING, value_pos(n, "rating"), "rating '%s' read as '%s'",
                  code, memo->v[k].code);
    }
}

void qcheck_values(const quorum_doc *doc, quorum_diags *d) {
    const qnode *root = doc->root;
    qarena *a = qarena_new(0);
    qperf_scale scale = {0}; /* the last rated node's, in a */
    for (const qnode *n = root; n; n = qdoc_next(n, root)) {
        if (n->type == QN_TREND) check_trend(n, "value", d);
        else if (n->type == QN_RATED) check_trend(n, "trend", d);
        else if (n->type == QN_OPTIONS) check_options(n, d);
        else if (n->type == QN_CHIP ||
                 (n->type == QN_CELL && (qdoc_attr(n, "rating") || qdoc_attr(n, "score"))))
            check_rated(doc, n, a, &scale, d);
        else if (n->type == QN_SCALE && n->parent == root)
            qperf_check_scale(n, d);
    }
    check_key_decision(doc, a, d);
    check_yes_no(doc, "key-decision", a, d);
    check_yes_no(doc, "call-in", a, d);
    qarena_free(a);
}
