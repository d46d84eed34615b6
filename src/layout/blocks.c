/* Blocks of a report's flow: paragraphs, headings inside sections,
 * lists, recommendations, quotes, the sign-off box; tables (table.c),
 * images and charts (figure.c) are dispatched from block(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "layout.h"

/* ---- blocks --------------------------------------------------------------- */

/* A paragraph whose only content is one <b> acts as a heading. */
static int all_bold(const qnode *n) {
    const qnode *b = NULL;
    for (const qnode *x = n->first; x; x = x->next) {
        if (x->type == QN_TEXT) {
            for (size_t i = 0; i < x->text_len; i++)
                if (x->text[i] != ' ') return 0;
        } else if (x->type == QN_BOLD && !b) {
            b = x;
        } else {
            return 0;
        }
    }
    return b != NULL;
}

/* Whether the last text of n, ignoring trailing spaces, ends with ':'. */
static int ends_with_colon(const qnode *n) {
    const qnode *t = NULL;
    for (const qnode *x = n; x; x = qdoc_next(x, n))
        if (x->type == QN_TEXT && x->text_len) t = x;
    if (!t) return 0;
    size_t i = t->text_len;
    while (i > 0 && t->text[i - 1] == ' ') i--;
    return i > 0 && t->text[i - 1] == ':';
}

void ql_blocks(L *l, const bctx *c, const qnode *first) {
    for (const qnode *n = first; n;) n = ql_block(l, c, n);
}

/* Mixed content (li, cell, quote): runs of inline nodes become paragraphs,
 * block children are laid out in between. */
void ql_mixed(L *l, const bctx *c, const qnode *first, int elem) {
    const qnode *n = first;
    while (n) {
        if (ql_is_inline(n->type)) {
            const qnode *s = n;
            while (n && ql_is_inline(n->type)) n = n->next;
            ql_para_nodes(l, c, s, n, elem, 0, c->para_after);
            continue;
        }
        bctx cc = *c;
        cc.elem = elem;
        n = ql_block(l, &cc, n);
    }
}

static const char *list_label(qarena *a, int ordered, int depth, int i) {
    if (!ordered) return "\xE2\x80\xA2";
    if (depth % 2 == 1) {
        char s[16];
        int k = i, n = 0;
        char buf[8];
        do { buf[n++] = (char)('a' + k % 26); k = k / 26 - 1; } while (k >= 0 && n < 7);
        for (int j = 0; j < n; j++) s[j] = buf[n - 1 - j];
        s[n] = '\0';
        return qarena_printf(a, "%s)", s);
    }
    return qarena_printf(a, "%d.", i + 1);
}

/* How a list's labels count, for /ListNumbering: a marker pattern's
 * counter (1 a A i I); else the first item's own label ("a.", "(3)": a
 * letter counts as a letter, roman only where a marker says so; "Step 1"
 * does not count); else the default labels' (bullets, 1. then a)). */
static qdl_numbering list_numbering(const qnode *n, int ordered, int depth, const char *mk) {
    if (mk && qdoc_marker_valid(mk)) {
        for (const char *p = mk; *p; p++) switch (*p) {
            case '1': return QDL_NUM_DECIMAL;
            case 'a': return QDL_NUM_LOWER_ALPHA;
            case 'A': return QDL_NUM_UPPER_ALPHA;
            case 'i': return QDL_NUM_LOWER_ROMAN;
            case 'I': return QDL_NUM_UPPER_ROMAN;
            default: break;
            }
    }
    const qnode *it = n->first;
    while (it && it->type != QN_ITEM) it = it->next;
    const char *own = it ? qdoc_attr(it, "label") : NULL;
    if (own) {
        const char *p = own;
        while (*p == '(' || *p == '[') p++;
        size_t k = 0;
        while (isalnum((unsigned char)p[k])) k++;
        int punct_only = 1; /* after the counter: ".", ")", "]" or nothing */
        for (const char *q = p + k; *q; q++)
            if (!strchr(".)]:", *q)) punct_only = 0;
        if (k == 0 || !punct_only) return QDL_NUM_NONE;
        int digits = 1, lower = 1, upper = 1;
        for (size_t j = 0; j < k; j++) {
            digits &= isdigit((unsigned char)p[j]) != 0;
            lower &= islower((unsigned char)p[j]) != 0;
            upper &= isupper((unsigned char)p[j]) != 0;
        }
        return digits ? QDL_NUM_DECIMAL : lower ? QDL_NUM_LOWER_ALPHA
                       : upper ? QDL_NUM_UPPER_ALPHA : QDL_NUM_NONE;
    }
    return !ordered ? QDL_NUM_DISC : depth % 2 == 1 ? QDL_NUM_LOWER_ALPHA : QDL_NUM_DECIMAL;
}

static void list(L *l, const bctx *c, const qnode *n, int depth) {
    int ordered = ql_attr_true(n, "ordered") || strcmp(n->name, "ol") == 0;
    int le = qdlist_add_elem(l->dl, QR_L, c->elem);
    QVEC_AT(&l->dl->elems, qdl_elem, le).numbering =
        list_numbering(n, ordered, depth, ordered ? qdoc_attr(n, "marker") : NULL);
    ql_mark_node(l, n);
    float ind = ordered ? 18.0f : 14.0f;
    /* a marker or an item's own label wider than the indent ("(VIII)",
     * "4.4. 4.12ii)") widens it: labels never run into their text */
    const char *mk = ordered ? qdoc_attr(n, "marker") : NULL;
    if (mk && !qdoc_marker_valid(mk)) mk = NULL;
    int k = 0;
    for (const qnode *it = n->first; it; it = it->next) {
        if (it->type != QN_ITEM) continue;
        const char *lab = qdoc_attr(it, "label");
        if (!lab && mk) lab = qdoc_marker(l->a, mk, qdoc_marker_count(l->a, mk, k));
        k++;
        if (!lab) continue;
        float w = qlb_width(ql_face(l, c->face), lab, strlen(lab), c->size);
        /* an own label widens only where it would touch its text, so
         * papers whose labels fit keep their layout */
        if (w + (qdoc_attr(it, "label") ? 2 : 5) > ind) ind = w + 5;
    }
    /* deep nesting stops indenting before the text column gets too thin */
    if (c->w - ind < 72) ind = 0;
    int i = 0;
    for (const qnode *it = n->first; it; it = it->next) {
        if (it->type != QN_ITEM) continue;
        int li = qdlist_add_elem(l->dl, QR_LI, le);
        ql_elem_lang(l, li, it);
        int lbl = qdlist_add_elem(l->dl, QR_LBL, li);
        int body = qdlist_add_elem(l->dl, QR_LBODY, li);
        ql_mark_node(l, it);
        /* an item may carry its own marker ("a.", "(iv)", "Step 1") */
        const char *own = qdoc_attr(it, "label");
        const char *marker = ordered ? qdoc_attr(n, "marker") : NULL;
        if (!own && marker && qdoc_marker_valid(marker))
            own = qdoc_marker(l->dl->arena, marker, qdoc_marker_count(l->dl->arena, marker, i));
        ql_set_label(l, own ? own : list_label(l->dl->arena, ordered, depth, i), c->x,
                  lbl, c->face);
        if (i > 0) l->pending_after = 3;
        size_t first_line = l->out->len;
        bctx ic = *c;
        ic.x = c->x + ind;
        ic.w = c->w - ind;
        ic.elem = body;
        ic.para_after = 3;
        /* items: inline text then nested lists */
        const qnode *x = it->first;
        while (x) {
            if (ql_is_inline(x->type)) {
                const qnode *s = x;
                while (x && ql_is_inline(x->type)) x = x->next;
                l->nruns = 0;
                ql_collect(l, s, x, ql_base_style(&ic), body);
                ql_flow_runs(l, &ic, body, 0, 3, 0);
                continue;
            }
            if (x->type == QN_LIST) {
                bctx nc = ic;
                list(l, &nc, x, depth + 1);
                x = x->next;
            } else {
                x = ql_block(l, &ic, x);
            }
        }
        l->label = NULL;
        /* a one-line first item keeps with the second, so what precedes
         * the list (a heading, a lead-in) has two lines after it */
        if (i == 0 && l->out->len == first_line + 1 && it->next)
            QVEC_AT(l->out, lline, first_line).flags |= QPB_KEEP;
        i++;
    }
    l->pending_after = c->para_after;
}

/* A paragraph's (or top-level recommendation's) number as printed:
 * continuous numbers are whole, printed "7." */
static const char *para_label(L *l, const char *num) {
    const char *how = qdoc_attr(l->doc->root, "paragraph-numbers");
    return how && strcmp(how, "continuous") == 0 ? qdoc_number_label(l->dl->arena, num) : num;
}

/* The <recommendations> a recommendation or its container stands in. */
static const qnode *recs_of(const qnode *n) {
    while (n && n->type != QN_RECOMMENDATIONS) n = n->parent;
    return n;
}

/* The marker pattern of recommendations at depth (0: marker=, deeper:
 * nested-marker=), or NULL for the default ("1.1", "(a)"). */
static const char *rec_marker(const qnode *n, int depth) {
    const qnode *recs = recs_of(n);
    const char *m = recs ? qdoc_attr(recs, depth ? "nested-marker" : "marker") : NULL;
    return m && qdoc_marker_valid(m) ? m : NULL;
}

static void recommendations(L *l, const bctx *c, const qnode *n, int depth,
                            int le) {
    int i = 0;
    const char *marker = rec_marker(n, depth);
    for (const qnode *r = n->first; r; r = r->next) {
        if (r->type == QN_LEAD_IN) {
            int p = qdlist_add_elem(l->dl, QR_P, c->elem);
            ql_mark_node(l, r);
            size_t before = l->out->len;
            ql_para_nodes(l, c, r->first, NULL, p, 0, PARA_AFTER);
            if (l->out->len > before)   /* a lead-in keeps with what it leads */
                QVEC_AT(l->out, lline, l->out->len - 1).flags |= QPB_KEEP;
            continue;
        }
        if (r->type != QN_RECOMMENDATION) continue;
        if (le < 0) le = qdlist_add_elem(l->dl, QR_L, c->elem);
        QVEC_AT(&l->dl->elems, qdl_elem, le).numbering =
            depth == 0 ? QDL_NUM_DECIMAL : QDL_NUM_LOWER_ALPHA;
        int li = qdlist_add_elem(l->dl, QR_LI, le);
        ql_elem_lang(l, li, r);
        int lbl = qdlist_add_elem(l->dl, QR_LBL, li);
        int body = qdlist_add_elem(l->dl, QR_LBODY, li);
        ql_mark_node(l, r);
        bctx rc = *c;
        rc.face = FACE_OF(r);
        rc.elem = body;
        const char *num;
        if (depth == 0) {
            num = r->number ? para_label(l, r->number) : qarena_printf(l->dl->arena, "%d.", i + 1);
            if (marker && r->number && !qdoc_attr(r, "number"))
                num = qdoc_marker(l->dl->arena, marker, r->number);
            ql_set_label(l, num, c->numbered ? c->num_x : c->x, lbl, rc.face);
            if (!c->numbered) { rc.x = c->x + NUM_INDENT; rc.w = c->w - NUM_INDENT; }
        } else {
            num = r->number ? qdoc_marker(l->dl->arena, marker ? marker : "(a)", r->number)
                            : qarena_printf(l->dl->arena, "(%c)", 'a' + i % 26);
            ql_set_label(l, num, c->x, lbl, rc.face);
            rc.x = c->x + HEAD_INDENT;
            rc.w = c->w - HEAD_INDENT;
        }
        const qnode *x = r->first;
        while (x && x->type != QN_RECOMMENDATION) x = x->next;
        l->nruns = 0;
        ql_collect(l, r->first, x, ql_base_style(&rc), body);
        ql_flow_runs(l, &rc, body, 0, depth ? 3 : PARA_AFTER, 0);
        l->label = NULL;
        if (x) {
            bctx nc = rc;
            nc.numbered = 0;
            int sub = qdlist_add_elem(l->dl, QR_L, body);
            recommendations(l, &nc, r, depth + 1, sub);
        }
        i++;
    }
}

static void sign_off(L *l, const bctx *c, const qnode *n) {
    const char *name = qdoc_attr(n, "name");
    const char *title = qdoc_attr(n, "title");
    /* role only ("Section 151 Officer"): the role stands where the name
     * would, and the box is a line shorter */
    const char *who_attr = name ? "name" : "title";
    if (!name) {
        name = title;
        title = NULL;
    }
    const qw_words *w = ql_words_of(l, n);
    const char *date = qw_date(l->dl->arena, w, qdoc_attr(n, "date"), 0);
    qarena *da = l->dl->arena;
    int e = qdlist_add_elem(l->dl, QR_P, c->elem);
    ql_mark_node(l, n);
    float pad = 5, lh = BODY_LH;
    float base = ql_baseline(l, BODY_SIZE, lh);
    float h = (title ? 3 : 2) * lh + 2 * pad;
    size_t idx = ql_push_line(l, h, l->pending_after, 0);
    ql_stage_fill(l, -1, c->x, 0, c->w, h, BOX_FILL);
    ql_stage_rule(l, c->x, 0, c->w, 0, 0.5f, RULE_COLOR);
    ql_stage_rule(l, c->x, h, c->w, 0, 0.5f, RULE_COLOR);
    ql_stage_rule(l, c->x, 0, 0, h, 0.5f, RULE_COLOR);
    ql_stage_rule(l, c->x + c->w, 0, 0, h, 0.5f, RULE_COLOR);
    const char *lead = qarena_printf(da, "%s ", ql_sign_off_lead(S, w, n));
    float x = c->x + pad;
    ql_stage_text(l, e, x, pad + base, QF_REGULAR, BODY_SIZE, 0, lead, strlen(lead));
    float lw = qlb_width(l->faces[0], lead, strlen(lead), BODY_SIZE);
    if (name) {
        const char *nm = qarena_strdup(da, name);
        ql_stage_text(l, e, x + lw, pad + base, ATTR_FACE_OF(n, who_attr), BODY_SIZE, 0, nm,
                      strlen(nm));
    }
    if (title) {
        const char *t = qarena_strdup(da, title);
        ql_stage_text(l, e, x, pad + lh + base, ATTR_FACE_OF(n, "title"), BODY_SIZE, 0, t,
                      strlen(t));
    }
    const char *dl = qw_fmt(da, w, QW_SIGN_OFF_DATE, date);
    ql_stage_text(l, e, x, pad + (title ? 2 : 1) * lh + base, QF_REGULAR, BODY_SIZE, 0, dl,
                  strlen(dl));
    ql_end_line(l, idx);
    l->pending_after = PARA_AFTER;
}

static int is_level(const qnode *n, const char *level) {
    const char *lv = n->type == QN_SUBHEADING ? qdoc_attr(n, "level") : NULL;
    return lv && strcmp(lv, level) == 0;
}

static void subheading(L *l, const bctx *c, const qnode *n) {
    ql_mark_node(l, n);
    /* generated outcome headings are bookmarked one level down */
    if (is_level(n, "outcome")) {
        int anchor = ql_id_anchor(l, qdoc_attr(n, "id"));
        if (anchor < 0) anchor = qdlist_add_anchor(l->dl);
        ql_add_mark(l, anchor, -1);
        /* outcomes are the appendix's main navigation: level 2
         * wherever the placeholder stood */
        int lvl = c->in_appendix ? 2 : c->level + 1;
        ql_add_outline(l, ql_clean_text(l->dl->arena, n), lvl);
        ql_add_mark(l, -1, (int)l->dl->outlines.len - 1);
    }
    /* one level below the heading above: H3 in a section, H2 where only
     * an H1 stands above (a report's top level, an appendix without
     * sections, the pack's information page) */
    ql_heading_line(l, c, NULL, n, ql_head_role(c->hlevel), c->elem, BODY_SIZE, BODY_LH,
                    8, 4, 0);
}

/* Generated outcome details (outcomes.c, spliced in where the placeholder
 * stood), nested as their bookmarks are: each outcome a Sect whose
 * heading is one level below the heading its bookmark hangs under (the
 * appendix's title: outcomes are an appendix's main navigation,
 * bookmarked beside its sections; elsewhere the section's), each
 * criterion a Sect one level further down, its parts ("Assessment of
 * Progress") below that.  Runs from the first outcome heading to the end
 * of its section (what follows the details visually belongs to the last
 * criterion too) and returns the node it stopped at: a nested section,
 * or NULL.  docs/format.md says why a criterion is a heading here and a
 * row header in its ratings table. */
static const qnode *outcome_blocks(L *l, const bctx *c, const qnode *n) {
    bctx oc = *c, cc = *c;
    const bctx *cur = c;
    while (n && n->type != QN_SECTION) {
        if (is_level(n, "outcome")) {
            oc = *c;
            if (c->in_appendix) {
                oc.elem = l->app_part;
                oc.hlevel = l->app_hlevel;
            }
            oc.elem = qdlist_add_elem(l->dl, QR_SECT, oc.elem);
            subheading(l, &oc, n);
            oc.hlevel++;
            cur = &oc;
            n = n->next;
        } else if (is_level(n, "criterion") && cur != c) {
            cc = oc;
            cc.elem = qdlist_add_elem(l->dl, QR_SECT, oc.elem);
            subheading(l, &cc, n);
            cc.hlevel++;
            cur = &cc;
            n = n->next;
        } else {
            n = ql_block(l, cur, n);
        }
    }
    return n;
}

/* Lays out block n (or a run of inline siblings starting at n); returns
 * the next node to lay out. */
const qnode *ql_block(L *l, const bctx *c, const qnode *n) {
    {
        switch (n->type) {
        case QN_PARA: {
            /* a generated title printed as a bold paragraph (Appendix 1's
             * outcomes) is a heading all the same */
            int e = qdlist_add_elem(l->dl, qdoc_attr(n, "heading") ? ql_head_role(c->hlevel)
                                                                   : QR_P, c->elem);
            ql_elem_lang(l, e, n);
            ql_mark_node(l, n);
            if (c->numbered && n->number)
                ql_set_label(l, para_label(l, n->number), c->num_x, e, c->face);
            size_t before = l->out->len;
            ql_para_nodes(l, c, n->first, NULL, e, 0, c->para_after);
            l->label = NULL;
            /* "... as follows:" or an all-bold line introduces the list
             * or table after it */
            if (l->out->len > before && n->next &&
                (n->next->type == QN_LIST || n->next->type == QN_TABLE) &&
                (ends_with_colon(n) || all_bold(n)))
                QVEC_AT(l->out, lline, l->out->len - 1).flags |= QPB_KEEP;
            break;
        }
        case QN_SUBHEADING:
            if (is_level(n, "outcome")) return outcome_blocks(l, c, n);
            subheading(l, c, n);
            break;
        case QN_LIST:
            list(l, c, n, 0);
            break;
        case QN_QUOTE: {
            int e = qdlist_add_elem(l->dl, QR_BLOCKQUOTE, c->elem);
            ql_mark_node(l, n);
            bctx q = *c;
            if (q.w - 48 >= 72) { q.x += 24; q.w -= 48; }
            q.face = FACE_OF(n); q.elem = e; q.numbered = 0;
            ql_mixed(l, &q, n->first, e);
            break;
        }
        case QN_TABLE:
            ql_table(l, c, n, TABLE_SIZE, TABLE_LH, TABLE_PAD);
            break;
        case QN_IMAGE:
            ql_image(l, c, n);
            break;
        case QN_BAR_CHART:
            ql_bar_chart(l, c, n);
            break;
        case QN_RECOMMENDATIONS:
            ql_mark_node(l, n);
            recommendations(l, c, n, 0, -1);
            break;
        case QN_SIGN_OFF:
            sign_off(l, c, n);
            break;
        case QN_NOT_APPLICABLE: {
            int e = qdlist_add_elem(l->dl, QR_P, c->elem);
            ql_elem_lang(l, e, n);
            ql_mark_node(l, n);
            bctx q = *c;
            q.face = FACE_OF(n);
            l->nruns = 0;
            rstyle s = ql_base_style(&q);
            const char *na = qarena_printf(l->dl->arena, "%s: ",
                                           qstyle_word(S, ql_words_of(l, n), QW_NOT_APPLICABLE));
            ql_run_text(l, &s, na, strlen(na));
            ql_collect(l, n->first, NULL, s, e);
            ql_flow_runs(l, &q, e, 0, c->para_after, 0);
            break;
        }
        case QN_TEXT: case QN_BOLD: case QN_ITALIC: case QN_SUP: case QN_SUB:
        case QN_LINK: case QN_REF: case QN_BREAK: case QN_TREND:
        case QN_OPTIONS: case QN_CHIP: {
            /* inline content at block level (e.g. a cell's text next to
             * blocks): one paragraph per run of inline siblings */
            const qnode *s = n;
            while (n->next && ql_is_inline(n->next->type)) n = n->next;
            int e = c->in_cell ? c->elem : qdlist_add_elem(l->dl, QR_P, c->elem);
            ql_para_nodes(l, c, s, n->next, e, 0, c->para_after);
            break;
        }
        case QN_HEADING: case QN_TITLE: case QN_SUBTITLE: case QN_COL:
        case QN_PERIODS: case QN_PERIOD: case QN_SCALE: case QN_RATING_VALUE:
        case QN_CRITERION: case QN_CRITERION_TEXT: case QN_RATED:
        case QN_FIELD: case QN_QA:
            break; /* handled by their parents, or data only */
        default:
            /* containers of generated content (performance, outcome
             * details ...): lay out their children */
            ql_mark_node(l, n);
            ql_blocks(l, c, n->first);
            break;
        }
    }
    return n->next;
}

