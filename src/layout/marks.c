/* Inline values drawn as vector marks (no font needs a glyph for them):
 * directions of travel as arrows, options as tick boxes.  Paths have no
 * text, so each mark stands in a Span whose /Alt says it in words. */
#include <string.h>

#include "layout.h"

static int span(L *l, const rstyle *s, int parent_elem, const char *alt) {
    int e = qdlist_add_elem(l->dl, QR_SPAN, s->elem >= 0 ? s->elem : parent_elem);
    QVEC_AT(&l->dl->elems, qdl_elem, e).alt = alt;
    return e;
}

void ql_trend(L *l, const qnode *n, const rstyle *s, int parent_elem) {
    const qtrend *t = qdoc_trend(qdoc_attr(n, "value"), NULL);
    if (!t) return; /* the check has said so */
    qdl_shape shape = t->dir > 0 ? QDL_ARROW_UP
                    : t->dir < 0 ? QDL_ARROW_DOWN : QDL_ARROW_RIGHT;
    ql_run_mark(l, s, shape, t->word, span(l, s, parent_elem, t->word));
}

static int in_labelled_field(const qnode *n) {
    for (const qnode *p = n->parent; p; p = p->parent)
        if (p->type == QN_FIELD) return qdoc_attr(p, "label") != NULL;
    return 0;
}

/* "Key decision: [x] Yes  [ ] No": the label printed unless the field the
 * options stand in shows it already; each option a Span read as
 * "Key decision: Yes (selected)"; layout="lines" puts each on its own
 * line (a check-list). */
int ql_box_after(const qnode *options) {
    const char *v = qdoc_attr(options, "box");
    return v && strcmp(v, "after") == 0;
}

void ql_options(L *l, const qnode *n, const rstyle *s, int parent_elem) {
    const char *label = qdoc_options_label(n);
    const char *own = qdoc_attr(n, "label");
    const char *how = qdoc_attr(n, "layout");
    int lines = how && strcmp(how, "lines") == 0;
    if (own && !in_labelled_field(n)) {
        ql_run_text(l, s, own, strlen(own));
        ql_run_text(l, s, ": ", 2);
    }
    int first = 1;
    for (const qnode *o = n->first; o; o = o->next) {
        if (o->type != QN_OPTION) continue;
        if (!first && lines) ql_run_break(l, s);
        else if (!first) ql_run_text(l, s, "   ", 3);
        first = 0;
        int sel = qdoc_option_selected(o);
        const char *text = ql_clean_text(l->a, o);
        const char *state = sel ? "selected" : "not selected";
        const char *alt = label && *label
            ? qarena_printf(l->dl->arena, "%s: %s (%s)", label, text, state)
            : qarena_printf(l->dl->arena, "%s (%s)", text, state);
        rstyle os = *s;
        os.elem = span(l, s, parent_elem, alt);
        if (ql_box_after(n)) {
            ql_collect(l, o->first, NULL, os, os.elem);
            ql_run_text(l, &os, " ", 1);
        }
        ql_run_mark(l, &os, sel ? QDL_BOX_TICKED : QDL_BOX, state, os.elem);
        if (!ql_box_after(n)) ql_collect(l, o->first, NULL, os, os.elem);
    }
}
