/* Values with a closed vocabulary (doc/values.c): an unknown word is an
 * error, another spelling of a known one a warning, each at the
 * attribute that holds it. */
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
static void check_key_decision(const quorum_doc *doc, quorum_diags *d) {
    qarena *a = qarena_new(0);
    if (qdoc_fact_yes(doc, "key-decision", a) == 1 && !qdoc_field(doc, "forward-plan"))
        qdiag_add(d, QUORUM_WARNING, qdoc_field(doc, "key-decision")->pos,
                  "a key decision with no forward plan reference "
                  "(a field with role=\"forward-plan\")");
    qarena_free(a);
}

void qcheck_values(const quorum_doc *doc, quorum_diags *d) {
    const qnode *root = doc->root;
    for (const qnode *n = root; n; n = qdoc_next(n, root)) {
        if (n->type == QN_TREND) check_trend(n, "value", d);
        else if (n->type == QN_RATED) check_trend(n, "trend", d);
        else if (n->type == QN_OPTIONS) check_options(n, d);
    }
    check_key_decision(doc, d);
}
