/* Which face draws a node: one decision for layout and check (style.h). */
#include <string.h>

#include "doc.h"
#include "font.h"
#include "style.h"

enum { F_BOLD = 1, F_ITALIC = 2 }; /* qfont_face is a bit set of these */

static int is_true(const char *v) {
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

qfont_face qstyle_face_of(const qstyle *s, const qnode *n) {
    if (!s) s = &qstyle_builtin;
    int bits = 0, family = 0;
    for (const qnode *p = n; p; p = p->parent) {
        switch (p->type) {
        case QN_BOLD: case QN_QUESTION: case QN_RECOMMENDATION:
            bits |= F_BOLD;
            break;
        case QN_HEADING: case QN_SUBHEADING: case QN_TITLE: case QN_SUBTITLE:
            /* headings are drawn bold in the heading family */
            bits |= F_BOLD;
            if (!family) family = s->head_face;
            break;
        case QN_ITALIC: case QN_QUOTE: case QN_NOT_APPLICABLE:
            bits |= F_ITALIC;
            break;
        case QN_CELL:
            if (!family) family = s->table_face;
            if (is_true(qdoc_attr(p, "bold")) ||
                (p->parent && is_true(qdoc_attr(p->parent, "header"))))
                bits |= F_BOLD;
            break;
        case QN_BODY:
            /* a meeting's committee: the pack's front-sheet heading */
            bits |= F_BOLD;
            if (!family) family = s->head_face;
            break;
        case QN_VENUE: case QN_MEMBERSHIP:
            /* values in the pack's front-sheet table */
            if (!family) family = s->table_face;
            break;
        case QN_FIELD: {
            /* front sheet and form fields are a two-column table: the
             * label cell bold, the value cell bold for the title */
            if (!family) family = s->table_face;
            const char *role = qdoc_attr(p, "role");
            if (role && strcmp(role, "title") == 0) bits |= F_BOLD;
            break;
        }
        default: break;
        }
    }
    return (qfont_face)(family | bits);
}

qfont_face qstyle_attr_face_of(const qstyle *s, const qnode *n,
                               const char *attr) {
    if (!s) s = &qstyle_builtin;
    if (n->type == QN_FIELD && strcmp(attr, "label") == 0)
        return (qfont_face)(s->table_face | F_BOLD);
    /* a meeting's clerk and members' roles: values in the pack's
     * front-sheet table */
    if (n->type == QN_CLERK || (n->type == QN_MEMBER && strcmp(attr, "role") == 0))
        return (qfont_face)s->table_face;
    /* an agenda entry: its title bold, a late item's reason italic */
    if (n->type == QN_AGENDA_ITEM && strcmp(attr, "title") == 0) return (qfont_face)F_BOLD;
    if (n->type == QN_AGENDA_ITEM && strcmp(attr, "urgency") == 0) return (qfont_face)F_ITALIC;
    /* the signing officer's name and a chart's or table's caption stand
     * out in bold body text wherever they are */
    if ((n->type == QN_SIGN_OFF && strcmp(attr, "name") == 0) ||
        ((n->type == QN_BAR_CHART || n->type == QN_TABLE) && strcmp(attr, "caption") == 0))
        return (qfont_face)F_BOLD;
    return (qfont_face)0;
}
