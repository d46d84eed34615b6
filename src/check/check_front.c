/* The front sheet's status and classification (check.h): values from the
 * vocabulary qdoc_access_of reads (src/doc/status.c), and the Schedule
 * 12A paragraph an exempt report is withheld under; and the words an
 * author picks from a list (field roles, implication types, subheading
 * levels), each misspelling named with the nearest known word. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "meeting.h"

static qpos value_pos(const qnode *f) {
    return f->first ? f->first->pos : f->pos;
}

/* paragraph= on one field: only where it can mean something. */
static void check_paragraph(const qnode *f, qdoc_access x, const char *value,
                            quorum_diags *d) {
    const qattr *pa = qdoc_attr_get(f, "paragraph");
    if (!pa) return;
    if (!qdoc_is_access_field(f) || f->parent->type != QN_FRONT_SHEET)
        qdiag_add(d, QUORUM_ERROR, pa->pos,
                  "paragraph= belongs on the front sheet's status or "
                  "classification field");
    else if (x == QDOC_OPEN || x == QDOC_CONFIDENTIAL)
        qdiag_add(d, QUORUM_ERROR, pa->pos,
                  "paragraph=\"%s\" names an exemption, but \"%s\" is not an exempt "
                  "status (exempt, Part 2, not for publication, private)",
                  pa->value, value);
    else if (!qdoc_schedule12a_ok(pa->value))
        qdiag_add(d, QUORUM_ERROR, pa->pos,
                  "paragraph=\"%s\" must list paragraph numbers 1 to 7 of "
                  QMEETING_SCHEDULE12A " (e.g. \"3\" or \"1 2\")", pa->value);
}

void qcheck_word(quorum_diags *d, qarena *a, const qattr *at, const char *what,
                 const char *const *known, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(at->value, known[i]) == 0) return;
    const char *near = qnearest(at->value, known, n);
    if (near) {
        qdiag_add(d, QUORUM_WARNING, at->pos,
                  "%s=\"%s\" is not a known %s; did you mean \"%s\"?", at->name,
                  at->value, what, near);
        return;
    }
    size_t len = 1;
    for (size_t i = 0; i < n; i++) len += strlen(known[i]) + 2;
    char *list = qarena_alloc(a, len), *o = list;
    for (size_t i = 0; i < n; i++) o += sprintf(o, "%s%s", i ? ", " : "", known[i]);
    qdiag_add(d, QUORUM_WARNING, at->pos, "%s=\"%s\" is not a known %s (known: %s)",
              at->name, at->value, what, list);
}

void qcheck_front(const quorum_doc *doc, qarena *a, quorum_diags *d) {
    const qnode *exempt = NULL; /* the first exempt field */
    int paragraph = 0;          /* some access field gives paragraph= */
    for (const qnode *f = doc->root; f; f = qdoc_next(f, doc->root)) {
        const qattr *lv = f->type == QN_SUBHEADING ? qdoc_attr_get(f, "level") : NULL;
        if (lv)
            qcheck_word(d, a, lv, "subheading level (a subheading has one level: "
                        "nest a <section> instead; the level is ignored)",
                        qdoc_subheading_levels, qdoc_nsubheading_levels);
        if (f->type != QN_FIELD) continue;
        const qattr *role = qdoc_attr_get(f, "role");
        if (role)
            qcheck_word(d, a, role, "field role", qdoc_field_roles, qdoc_nfield_roles);
        int front = f->parent->type == QN_FRONT_SHEET && qdoc_is_access_field(f);
        const char *value = front ? qdoc_value_text(a, f) : "";
        qdoc_access x = front ? qdoc_access_of_text(value) : QDOC_OPEN;
        if (x == QDOC_UNKNOWN)
            qdiag_add(d, QUORUM_ERROR, value_pos(f),
                      "%s \"%s\" is not one of: %s", qdoc_attr(f, "role"), value,
                      qdoc_access_words);
        if (x == QDOC_EXEMPT && !exempt) exempt = f;
        if (front && qdoc_attr(f, "paragraph")) paragraph = 1;
        check_paragraph(f, x, value, d);
    }
    if (exempt && !paragraph)
        qdiag_add(d, QUORUM_WARNING, value_pos(exempt),
                  "%s \"%s\" gives no paragraph of " QMEETING_SCHEDULE12A
                  ": add paragraph=\"N\" (1 to 7) to the field",
                  qdoc_attr(exempt, "role"), qdoc_value_text(a, exempt));
}
