/* Values with a closed vocabulary (doc/values.c): an unknown word is an
 * error, another spelling of a known one a warning, each at the
 * attribute that holds it. */
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

void qcheck_values(const quorum_doc *doc, quorum_diags *d) {
    const qnode *root = doc->root;
    for (const qnode *n = root; n; n = qdoc_next(n, root)) {
        if (n->type == QN_TREND) check_trend(n, "value", d);
        else if (n->type == QN_RATED) check_trend(n, "trend", d);
    }
}
