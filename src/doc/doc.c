#include "doc.h"
#include "util.h"
#include "words.h"

#include <string.h>

static const char *type_names[QN__COUNT] = {
    [QN_NONE] = "",
    [QN_REPORT] = "report", [QN_FRONT_SHEET] = "front-sheet",
    [QN_FIELD] = "field", [QN_SECTION] = "section",
    [QN_IMPLICATION] = "implication", [QN_SIGN_OFF] = "sign-off",
    [QN_NOT_APPLICABLE] = "not-applicable",
    [QN_BACKGROUND_DOCS] = "background-documents",
    [QN_DOCUMENT] = "document", [QN_FORM] = "form", [QN_QA] = "qa",
    [QN_QUESTION] = "question", [QN_ANSWER] = "answer",
    [QN_APPENDICES] = "appendices", [QN_APPENDIX] = "appendix",
    [QN_TITLE] = "title", [QN_SUBTITLE] = "subtitle",
    [QN_HEADING] = "heading", [QN_SUBHEADING] = "subheading",
    [QN_PARA] = "p", [QN_RECOMMENDATIONS] = "recommendations",
    [QN_LEAD_IN] = "lead-in", [QN_RECOMMENDATION] = "recommendation",
    [QN_LIST] = "ul", [QN_ITEM] = "li", [QN_QUOTE] = "quote",
    [QN_TABLE] = "table", [QN_COL] = "col", [QN_ROW] = "row",
    [QN_CELL] = "cell", [QN_IMAGE] = "image",
    [QN_TEXT] = "#text", [QN_BOLD] = "b", [QN_ITALIC] = "i",
    [QN_SUP] = "sup", [QN_SUB] = "sub", [QN_LINK] = "a", [QN_REF] = "ref",
    [QN_BREAK] = "br", [QN_TREND] = "trend",
    [QN_OPTIONS] = "options", [QN_OPTION] = "option", [QN_CHIP] = "chip",
    [QN_IDENTIFIERS] = "identifiers",
    [QN_PERFORMANCE] = "performance", [QN_PERIODS] = "periods",
    [QN_PERIOD] = "period", [QN_SCALE] = "scale",
    [QN_RATING_VALUE] = "rating", [QN_OUTCOME] = "outcome",
    [QN_CRITERION] = "criterion", [QN_CRITERION_TEXT] = "text",
    [QN_RATED] = "rated", [QN_LEAD_SUMMARY] = "lead-summary",
    [QN_ASSESSMENT] = "assessment", [QN_SUMMARY_TABLE] = "summary-table",
    [QN_RATING_DEFINITIONS] = "rating-definitions",
    [QN_OUTCOME_DETAILS] = "outcome-details", [QN_MOVEMENT] = "movement",
    [QN_OUTCOME_LIST] = "outcome-list",
    [QN_BAR_CHART] = "bar-chart", [QN_BAR] = "bar", [QN_SEGMENT] = "segment",
    [QN_MEETING] = "meeting", [QN_BODY] = "body", [QN_DATE] = "date",
    [QN_TIME] = "time", [QN_VENUE] = "venue", [QN_PUBLISHED] = "published",
    [QN_CLERK] = "clerk", [QN_MEMBERSHIP] = "membership",
    [QN_MEMBER] = "member", [QN_SUMMONS] = "summons", [QN_AGENDA] = "agenda",
    [QN_AGENDA_ITEM] = "item", [QN_INFORMATION] = "information",
    [QN_UNKNOWN] = "?",
};

const char *qdoc_type_name(qdoc_type t) {
    return (t >= 0 && t < QN__COUNT && type_names[t]) ? type_names[t] : "?";
}

qdoc_type qdoc_type_from_name(const char *name) {
    if (strcmp(name, "ol") == 0) return QN_LIST;
    for (int t = QN_REPORT; t < QN_UNKNOWN; t++)
        if (type_names[t] && strcmp(type_names[t], name) == 0 && t != QN_TEXT)
            return (qdoc_type)t;
    return QN_UNKNOWN;
}

const char *qdoc_nearest_element(const char *name) {
    const char *known[QN__COUNT + 1];
    size_t n = 0;
    for (int t = QN_REPORT; t < QN_UNKNOWN; t++)
        if (type_names[t] && t != QN_TEXT) known[n++] = type_names[t];
    known[n++] = "ol";
    const char *near = qnearest(name, known, n);
    return near && strcmp(near, name) != 0 ? near : NULL;
}

qnode *qdoc_node_new(qarena *a, qdoc_type type, const char *name, qpos pos) {
    qnode *n = qarena_alloc(a, sizeof *n);
    n->type = type;
    n->name = name ? name : qdoc_type_name(type);
    n->pos = pos;
    n->index = -1;
    return n;
}

void qdoc_append(qnode *parent, qnode *child) {
    child->parent = parent;
    child->prev = parent->last;
    child->next = NULL;
    if (parent->last) parent->last->next = child;
    else parent->first = child;
    parent->last = child;
}

static void attr_put(qarena *a, qnode *n, const char *name, const char *value,
                     qpos pos, int copy) {
    qattr **pp = &n->attrs;
    for (qattr *x = n->attrs; x; x = x->next) {
        if (strcmp(x->name, name) == 0) {
            x->value = copy ? qarena_strdup(a, value) : value;
            x->pos = pos;
            return;
        }
        pp = &x->next;
    }
    qattr *x = qarena_alloc(a, sizeof *x);
    x->name = copy ? qarena_strdup(a, name) : name;
    x->value = copy ? qarena_strdup(a, value) : value;
    x->pos = pos;
    /* keep source order: append */
    *pp = x;
}

void qdoc_attr_set(qarena *a, qnode *n, const char *name, const char *value,
                   qpos pos) {
    attr_put(a, n, name, value, pos, 1);
}

void qdoc_attr_set_shared(qarena *a, qnode *n, const char *name,
                          const char *value, qpos pos) {
    attr_put(a, n, name, value, pos, 0);
}

qnode *qdoc_first_child_of(const qnode *n, qdoc_type t) {
    for (qnode *c = n->first; c; c = c->next)
        if (c->type == t) return c;
    return NULL;
}

qnode *qdoc_find_id(const qnode *root, const char *id) {
    for (qnode *n = (qnode *)root; n; n = qdoc_next(n, root)) {
        /* inline "id" test: this runs for every attribute of the tree */
        for (const qattr *a = n->attrs; a; a = a->next) {
            if (a->name[0] != 'i' || a->name[1] != 'd' || a->name[2]) continue;
            if (strcmp(a->value, id) == 0) return n;
            break;
        }
    }
    return NULL;
}

/* Text node c's text (qdoc_text_in). */
static const char *text_of(const qnode *c, const qw_words *w, size_t *len) {
    if (!w || !c->word) {
        *len = c->text_len;
        return c->text;
    }
    *len = strlen(w->text[c->word - 1]);
    return w->text[c->word - 1];
}

char *qdoc_text_in(qarena *a, const qnode *n, const qw_words *w) {
    size_t len = 0, k;
    for (const qnode *c = n; c; c = qdoc_next(c, n))
        if (c->type == QN_TEXT) {
            text_of(c, w, &k);
            len += k;
        } else if (c->type == QN_BREAK) {
            len++;
        }
    char *s = qarena_alloc(a, len + 1);
    size_t at = 0;
    for (const qnode *c = n; c; c = qdoc_next(c, n)) {
        /* a line break is a space to whoever reads the text as one line
         * (metadata, running headers, bookmarks, field values) */
        if (c->type == QN_BREAK) s[at++] = ' ';
        if (c->type != QN_TEXT) continue;
        const char *t = text_of(c, w, &k);
        memcpy(s + at, t, k);
        at += k;
    }
    s[at] = '\0';
    return s;
}

char *qdoc_text(qarena *a, const qnode *n) {
    return qdoc_text_in(a, n, NULL);
}

const char *const qdoc_field_roles[] = {
    "title", "meeting", "meeting-date", "author", "director", "lead-member",
    "wards", "key-decision", "call-in", "forward-plan", "status",
    "classification", "appendices"};
const size_t qdoc_nfield_roles = sizeof qdoc_field_roles / sizeof *qdoc_field_roles;

const char *const qdoc_implication_types[] = {"financial", "legal", "risk",
                                              "equality", "other"};
const size_t qdoc_nimplication_types =
    sizeof qdoc_implication_types / sizeof *qdoc_implication_types;

/* what the generated headings of performance appendices carry
 * (outcomes.c); a subheading has no other level */
const char *const qdoc_subheading_levels[] = {"outcome", "criterion", "label"};
const size_t qdoc_nsubheading_levels =
    sizeof qdoc_subheading_levels / sizeof *qdoc_subheading_levels;

qnode *qdoc_field(const quorum_doc *doc, const char *role) {
    if (!doc->root) return NULL;
    qnode *fs = qdoc_first_child_of(doc->root, QN_FRONT_SHEET);
    if (!fs) return NULL;
    for (qnode *f = fs->first; f; f = f->next) {
        const char *r = f->type == QN_FIELD ? qdoc_attr(f, "role") : NULL;
        if (r && strcmp(r, role) == 0) return f;
    }
    return NULL;
}
