/* The front sheet's status and classification (check.h): values from the
 * vocabulary qdoc_access_of reads (src/doc/status.c), and the paragraph
 * of its law (England's, Wales's or Scotland's) an exempt report is
 * withheld under; and the words an
 * author picks from a list (field roles, implication types, subheading
 * levels), each misspelling named with the nearest known word. */
#include <stdio.h>
#include <string.h>

#include "check.h"

static qpos value_pos(const qnode *f) {
    return f->first ? f->first->pos : f->pos;
}

qdoc_law qcheck_law(const quorum_doc *doc, quorum_diags *d) {
    int law = qdoc_law_of(doc);
    /* the schema has said so, when it ran */
    if (law >= 0 || doc->schema_checked) return law < 0 ? QDOC_LAW_ENGLAND : (qdoc_law)law;
    const qattr *at = qdoc_attr_get(doc->root, "law");
    qdiag_add(d, QUORUM_ERROR, at->pos,
              "law=\"%s\" is not one of england (%s), wales (%s) or scotland (%s)",
              at->value, qdoc_laws[QDOC_LAW_ENGLAND].statute,
              qdoc_laws[QDOC_LAW_WALES].statute, qdoc_laws[QDOC_LAW_SCOTLAND].statute);
    return QDOC_LAW_ENGLAND;
}

void qcheck_paragraphs(quorum_diags *d, const qattr *at, qdoc_law law) {
    const qdoc_law_info *l = &qdoc_laws[law];
    if (!qdoc_paragraphs_ok(law, at->value))
        qdiag_add(d, QUORUM_ERROR, at->pos,
                  "%s=\"%s\" must list paragraph numbers %d to %d of %s (e.g. \"%d\" "
                  "or \"%d %d\")", at->name, at->value, l->first, l->last, l->statute,
                  l->first + 2, l->first, l->first + 1);
}

/* paragraph= on one field: only where it can mean something. */
static void check_paragraph(const qnode *f, qdoc_access x, const char *value,
                            qdoc_law law, quorum_diags *d) {
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
    else
        qcheck_paragraphs(d, pa, law);
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
    qdoc_law law = qcheck_law(doc, d);
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
        check_paragraph(f, x, value, law, d);
    }
    if (exempt && !paragraph)
        qdiag_add(d, QUORUM_WARNING, value_pos(exempt),
                  "%s \"%s\" gives no paragraph of %s: add paragraph=\"N\" "
                  "(%d to %d) to the field", qdoc_attr(exempt, "role"),
                  qdoc_value_text(a, exempt), qdoc_laws[law].statute,
                  qdoc_laws[law].first, qdoc_laws[law].last);
}
