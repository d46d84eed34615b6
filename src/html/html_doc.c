/* A report as HTML5, from the checked document tree: the front sheet as a
 * table with row headers, sections and appendices as <section>s whose
 * headings nest as the PDF's outline does (h2 for its first level, h3 for
 * the second), numbered paragraphs with their numbers in the text and an
 * id each, cross-references as links to those ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "layout.h"

typedef struct hctx {
    qstr *b;
    const quorum_doc *doc;
    const qstyle *s;
    qarena *a;
    const char *last_heading; /* names a table that has no caption */
    const qw_words *w;        /* the words it prints, in its language */
    int no_ids;               /* writing a copy (a repeated header row) */
} hctx;

/* The words of node n: in the language of its nearest xml:lang, as the
 * PDF prints them (ql_words_of). */
static const qw_words *words_of(hctx *h, const qnode *n) {
    for (; n; n = n->parent) {
        const char *lang = n->type != QN_TEXT ? qdoc_attr(n, "xml:lang") : NULL;
        if (lang) return strcmp(lang, h->w->lang) == 0 ? h->w : qw_for(h->a, h->s->strings, lang);
    }
    return h->w;
}

static void blocks(hctx *h, const qnode *first, const qnode *stop, int hl);
static void inlines(hctx *h, const qnode *first, const qnode *stop);

/* lang= for an element written in another language than its parent's */
static void lang_attr(hctx *h, const qnode *n) {
    const char *l = qdoc_attr(n, "xml:lang");
    if (!l) l = qdoc_attr(n, "lang");
    if (!l) return;
    qstr_puts(h->b, " lang=\"");
    qhtml_str(h->b, l);
    qstr_puts(h->b, "\"");
}

static void id_attr(hctx *h, const char *id) {
    if (!id || h->no_ids) return;
    qstr_puts(h->b, " id=\"");
    qhtml_str(h->b, id);
    qstr_puts(h->b, "\"");
}

/* Whether href may be a link on a published page: relative, or of the
 * schemes a report links to.  Any other (javascript:, data:, file:) would
 * run or read something in the reader's browser; its text is shown
 * instead. */
static int safe_href(const char *href) {
    if (!href) return 0;
    size_t k = strcspn(href, ":/?#");
    if (href[k] != ':') return 1;
    static const char *const ok[] = {"http", "https", "mailto", "tel"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strlen(ok[i]) == k && strncasecmp(href, ok[i], k) == 0) return 1;
    return 0;
}

/* A node's fill and text colour as the PDF paints them (ql_node_colours
 * under this page's style), as a style attribute; nothing when unpainted. */
static void colours_attr(hctx *h, const qnode *n) {
    const qstyle *saved = ql_style;
    ql_style = h->s;
    uint32_t fill, color;
    int painted = ql_node_colours(n, 0xFFFFFF, h->s->text_color, &fill, &color);
    ql_style = saved;
    if (!painted) return;
    /* as printf's %06X, without printf: every rated cell has one */
    char css[] = " style=\"background-color:#RRGGBB;color:#RRGGBB;\"";
    static const char hex[] = "0123456789ABCDEF";
    char *f = strchr(css, '#') + 1, *c = strrchr(css, '#') + 1;
    for (int i = 0; i < 6; i++) {
        f[i] = hex[(fill >> (20 - 4 * i)) & 15];
        c[i] = hex[(color >> (20 - 4 * i)) & 15];
    }
    qstr_put(h->b, css, sizeof css - 1);
}

/* A direction of travel: the arrow for the eye, its word for a screen
 * reader (the PDF draws the arrow and reads the word the same way). */
static void trend(hctx *h, const qnode *n) {
    const qtrend *tr = qdoc_trend(qdoc_attr(n, "value"), NULL);
    if (!tr) return; /* the check refused it */
    qstr_printf(h->b, "<span class=\"trend\"><span aria-hidden=\"true\">%s</span>"
                       "<span class=\"vh\">", tr->dir > 0 ? "\u2191" : tr->dir < 0 ? "\u2193" : "\u2192");
    qhtml_str(h->b, tr->word);
    qstr_puts(h->b, "</span></span>");
}

/* Tick boxes as the PDF prints them, "Key decision: [x] Yes  [ ] No",
 * each option read as "Yes (selected)"; the label printed unless the
 * field they stand in shows it already. */
static void options(hctx *h, const qnode *n) {
    const char *own = qdoc_attr(n, "label");
    const char *how = qdoc_attr(n, "layout");
    int lines = how && strcmp(how, "lines") == 0;
    const qnode *p = n->parent;
    while (p && p->type != QN_FIELD) p = p->parent;
    if (own && !(p && qdoc_attr(p, "label"))) {
        qhtml_str(h->b, own);
        qstr_puts(h->b, ": ");
    }
    int first = 1;
    for (const qnode *o = n->first; o; o = o->next) {
        if (o->type != QN_OPTION) continue;
        if (!first) qstr_puts(h->b, lines ? "<br>" : " ");
        first = 0;
        int sel = qdoc_option_selected(o);
        const char *box = sel ? "\u2612" : "\u2610";
        qstr_puts(h->b, "<span class=\"option\">");
        if (ql_box_after(n)) inlines(h, o->first, NULL);
        qstr_printf(h->b, ql_box_after(n) ? " <span aria-hidden=\"true\">%s</span>"
                                          : "<span aria-hidden=\"true\">%s</span> ", box);
        if (!ql_box_after(n)) inlines(h, o->first, NULL);
        qstr_printf(h->b, "<span class=\"vh\"> (%s)</span></span>",
                     sel ? "selected" : "not selected");
    }
}

/* A rating in prose: its words on its colours, as on the PDF. */
static void chip(hctx *h, const qnode *n) {
    qstr_puts(h->b, "<span class=\"chip\"");
    colours_attr(h, n);
    qstr_puts(h->b, ">");
    inlines(h, n->first, NULL);
    qstr_puts(h->b, "</span>");
}

static void inline_node(hctx *h, const qnode *n) {
    qstr *b = h->b;
    const char *tag = NULL;
    switch (n->type) {
    case QN_TEXT:
        if (n->word) qhtml_str(b, words_of(h, n)->text[n->word - 1]);
        else qhtml_text(b, n->text, n->text_len);
        return;
    case QN_BREAK: qstr_puts(b, "<br>"); return;
    case QN_BOLD: tag = "strong"; break;
    case QN_ITALIC: tag = "em"; break;
    case QN_SUP: tag = "sup"; break;
    case QN_SUB: tag = "sub"; break;
    case QN_LINK: {
        const char *href = qdoc_attr(n, "href");
        int link = safe_href(href);
        if (link) {
            qstr_puts(b, "<a href=\"");
            qhtml_str(b, href);
            qstr_puts(b, "\">");
        }
        if (n->first) inlines(h, n->first, NULL);
        else qhtml_str(b, href);
        if (link) qstr_puts(b, "</a>");
        return;
    }
    case QN_REF: {
        /* the number as the PDF prints it, linked when its target exists */
        const char *to = qdoc_attr(n, "to");
        const char *txt = qdoc_ref_text_in(h->a, h->doc, n,
                                           &words_of(h, n)->text[QW_REF_PARAGRAPH]);
        if (txt && to) {
            qstr_puts(b, "<a href=\"#");
            qhtml_str(b, to);
            qstr_puts(b, "\">");
            qhtml_str(b, txt);
            qstr_puts(b, "</a>");
        } else {
            qhtml_str(b, txt ? txt : to ? to : "?");
        }
        return;
    }
    case QN_TREND: trend(h, n); return;
    case QN_OPTIONS: options(h, n); return;
    case QN_CHIP: chip(h, n); return;
    default: inlines(h, n->first, NULL); return;
    }
    qstr_printf(b, "<%s", tag);
    lang_attr(h, n);
    qstr_puts(b, ">");
    inlines(h, n->first, NULL);
    qstr_printf(b, "</%s>", tag);
}

static void inlines(hctx *h, const qnode *first, const qnode *stop) {
    for (const qnode *n = first; n && n != stop; n = n->next) inline_node(h, n);
}

/* Mixed content (item, cell, quote, answer): inline runs as they are
 * when alone, as paragraphs between blocks. */
static void mixed(hctx *h, const qnode *first, int hl) {
    int has_block = 0;
    for (const qnode *x = first; x; x = x->next)
        if (!ql_is_inline(x->type)) has_block = 1;
    if (!has_block) {
        inlines(h, first, NULL);
        return;
    }
    blocks(h, first, NULL, hl);
}

/* "<h3" or "</h3>\n" without printf (a report has hundreds of headings) */
static void heading_tag(qstr *b, int level, int end) {
    if (level > 6) level = 6;
    if (level < 1) {
        qstr_printf(b, end ? "</h%d>\n" : "<h%d", level);
        return;
    }
    char t[] = "</hN>\n";
    t[3] = (char)('0' + level);
    if (end) {
        qstr_put(b, t, 6);
    } else {
        t[1] = '<'; /* "<hN" */
        qstr_put(b, t + 1, 3);
    }
}

static void heading(hctx *h, int level, const char *id, const char *num,
                    const qnode *text_node, const char *text) {
    const char *plain = text_node ? ql_clean_text(h->a, text_node) : text;
    if (num) {
        size_t n = strlen(num), p = strlen(plain);
        char *s = qarena_alloc_uninit(h->a, n + p + 2);
        memcpy(s, num, n);
        s[n] = ' ';
        memcpy(s + n + 1, plain, p + 1);
        h->last_heading = s;
    } else {
        h->last_heading = plain;
    }
    heading_tag(h->b, level, 0);
    id_attr(h, id);
    if (text_node) lang_attr(h, text_node);
    qstr_puts(h->b, ">");
    if (num) {
        qstr_puts(h->b, "<span class=\"num\">");
        qhtml_str(h->b, num);
        qstr_puts(h->b, "</span> ");
    }
    if (text_node) inlines(h, text_node->first, NULL);
    else qhtml_str(h->b, text);
    heading_tag(h->b, level, 1);
}

static void list(hctx *h, const qnode *n, int hl) {
    int ordered = ql_attr_true(n, "ordered") || strcmp(n->name, "ol") == 0;
    int labelled = 0;
    for (const qnode *it = n->first; it; it = it->next)
        if (it->type == QN_ITEM && qdoc_attr(it, "label")) labelled = 1;
    const char *tag = ordered && !labelled ? "ol" : "ul";
    qstr_puts(h->b, "<");
    qstr_puts(h->b, tag);
    if (labelled) qstr_puts(h->b, " class=\"labelled\"");
    lang_attr(h, n);
    qstr_puts(h->b, ">\n");
    for (const qnode *it = n->first; it; it = it->next) {
        if (it->type != QN_ITEM) continue;
        qstr_puts(h->b, "<li");
        lang_attr(h, it);
        qstr_puts(h->b, ">");
        const char *own = qdoc_attr(it, "label");
        if (own) {
            qstr_puts(h->b, "<span class=\"num\">");
            qhtml_str(h->b, own);
            qstr_puts(h->b, "</span> ");
        }
        mixed(h, it->first, hl);
        qstr_puts(h->b, "</li>\n");
    }
    qstr_printf(h->b, "</%s>\n", tag);
}

/* Recommendations keep the numbers the PDF prints ("1.1", "(a)") in the
 * text: a reader quoting one says what the minutes will say. */
static void recommendations(hctx *h, const qnode *n, int depth) {
    int open = 0, i = 0;
    for (const qnode *r = n->first; r; r = r->next) {
        if (r->type == QN_LEAD_IN) {
            qstr_puts(h->b, "<p");
            lang_attr(h, r);
            qstr_puts(h->b, ">");
            inlines(h, r->first, NULL);
            qstr_puts(h->b, "</p>\n");
            continue;
        }
        if (r->type != QN_RECOMMENDATION) continue;
        if (!open++) qstr_puts(h->b, depth ? "<ol>\n" : "<ol class=\"recs\">\n");
        qstr_puts(h->b, "<li");
        id_attr(h, qdoc_attr(r, "id"));
        lang_attr(h, r);
        qstr_puts(h->b, "><span class=\"num\">");
        if (depth == 0)
            qhtml_str(h->b, r->number ? r->number : qarena_printf(h->a, "%d.", i + 1));
        else
            qhtml_str(h->b, r->number ? qarena_printf(h->a, "(%s)", r->number)
                                      : qarena_printf(h->a, "(%c)", 'a' + i % 26));
        qstr_puts(h->b, "</span> ");
        const qnode *x = r->first;
        while (x && x->type != QN_RECOMMENDATION) x = x->next;
        inlines(h, r->first, x);
        if (x) recommendations(h, r, depth + 1);
        qstr_puts(h->b, "</li>\n");
        i++;
    }
    if (open) qstr_puts(h->b, "</ol>\n");
}

static void sign_off(hctx *h, const qnode *n) {
    const qw_words *w = words_of(h, n);
    qstr_puts(h->b, "<div class=\"signoff\"><p>");
    qhtml_str(h->b, ql_sign_off_lead(h->s, w, n));
    qstr_puts(h->b, " <strong>");
    qhtml_str(h->b, qdoc_attr(n, "name"));
    qstr_puts(h->b, "</strong></p><p>");
    qhtml_str(h->b, qdoc_attr(n, "title"));
    qstr_puts(h->b, "</p><p>");
    qhtml_str(h->b, qw_fmt(h->a, w, QW_SIGN_OFF_DATE, qw_date(h->a, w, qdoc_attr(n, "date"), 0)));
    qstr_puts(h->b, "</p></div>\n");
}

/* A cell's fill and text colour as the PDF paints them (ql_node_colours
 * under this page's style): a rating cell shows its code as text, its
 * word as the abbreviation's expansion, and the colour besides. */
static void cell(hctx *h, const qnode *cl, const qgrid_cell *g, int header) {
    int th = header || ql_row_header_cell(cl);
    qstr_puts(h->b, th ? "<th" : "<td");
    if (th) qstr_puts(h->b, header ? " scope=\"col\"" : " scope=\"row\"");
    if (g->span > 1) qstr_printf(h->b, " colspan=\"%d\"", g->span);
    if (g->rspan > 1) qstr_printf(h->b, " rowspan=\"%d\"", g->rspan);
    id_attr(h, qdoc_attr(cl, "id"));
    lang_attr(h, cl);
    const char *al = qdoc_attr(cl, "align");
    if (al && strcmp(al, "center") == 0) qstr_puts(h->b, " class=\"c\"");
    else if (al && strcmp(al, "right") == 0) qstr_puts(h->b, " class=\"r\"");
    colours_attr(h, cl);
    qstr_puts(h->b, ">");
    const char *alt = qdoc_attr(cl, "alt");
    const char *rating = qdoc_attr(cl, "rating");
    if (rating && alt) {
        qstr_puts(h->b, "<abbr title=\"");
        qhtml_str(h->b, alt);
        qstr_puts(h->b, "\">");
        mixed(h, cl->first, 4);
        qstr_puts(h->b, "</abbr>");
    } else {
        mixed(h, cl->first, 4);
    }
    qstr_puts(h->b, th ? "</th>" : "</td>");
}

/* A wide table scrolls sideways on a phone; the region it scrolls in
 * takes the keyboard focus, so it scrolls without a mouse, and is named
 * after the table. */
static void scroll_open(hctx *h, const char *name) {
    qstr_puts(h->b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    qhtml_str(h->b, name ? name : "Table");
    qstr_puts(h->b, "\">");
}

static void table_row(hctx *h, qgrid *g, const qnode *r, int header, const char *cls) {
    qstr_puts(h->b, "<tr");
    if (cls) qstr_printf(h->b, " class=\"%s\"", cls);
    qstr_puts(h->b, ">");
    for (const qnode *cl = r->first; cl; cl = cl->next) {
        if (cl->type != QN_CELL) continue;
        qgrid_cell gc;
        if (!qgrid_place(g, cl, &gc)) break; /* no column left: as the PDF */
        cell(h, cl, &gc, header);
    }
    qgrid_end_row(g);
    qstr_puts(h->b, "</tr>\n");
}

/* header-after-group: the head block's header rows again under a group
 * heading, as the PDF draws them; placed on a grid of their own (their
 * spans as in the head), and without ids, which the first copy holds. */
static void header_again(hctx *h, const qnode *t, int head_rows) {
    qgrid g;
    qgrid_init(&g, h->a, t);
    h->no_ids++;
    int i = 0;
    for (const qnode *r = qdoc_first_child_of(t, QN_ROW); r && i < head_rows; r = r->next) {
        if (r->type != QN_ROW) continue;
        if (ql_attr_true(r, "header")) table_row(h, &g, r, 1, "head");
        i++;
    }
    h->no_ids--;
}

static void table(hctx *h, const qnode *t) {
    qgrid g;
    qgrid_init(&g, h->a, t);
    scroll_open(h, qdoc_attr(t, "caption") ? qdoc_attr(t, "caption") : h->last_heading);
    qstr_puts(h->b, "<table");
    id_attr(h, qdoc_attr(t, "id"));
    lang_attr(h, t);
    qstr_puts(h->b, ">\n");
    const char *caption = qdoc_attr(t, "caption");
    if (caption) {
        qstr_puts(h->b, "<caption>");
        qhtml_str(h->b, caption);
        qstr_puts(h->b, "</caption>\n");
    } else {
        /* the PDF's reader sees the heading above the table; a screen
         * reader listing tables hears it as the table's name */
        qstr_puts(h->b, "<caption class=\"vh\">Table: ");
        qhtml_str(h->b, h->last_heading ? h->last_heading : "untitled");
        qstr_puts(h->b, "</caption>\n");
    }
    int head_rows = ql_table_head_rows(t), after = ql_group_level(qdoc_attr(t, "header-after-group"));
    int i = 0;
    for (const qnode *r = qdoc_first_child_of(t, QN_ROW); r; r = r->next) {
        if (r->type != QN_ROW) continue;
        if (i == 0 && head_rows) qstr_puts(h->b, "<thead>\n");
        if (i == head_rows) {
            if (head_rows) qstr_puts(h->b, "</thead>\n");
            qstr_puts(h->b, "<tbody>\n");
        }
        int header = i < head_rows && ql_attr_true(r, "header");
        int group = ql_group_level(qdoc_attr(r, "group"));
        table_row(h, &g, r, header, group ? "group" : NULL);
        if (i >= head_rows && group && group == after) header_again(h, t, head_rows);
        i++;
    }
    if (i) qstr_puts(h->b, i == head_rows ? "</thead>\n" : "</tbody>\n");
    qstr_puts(h->b, "</table></div>\n");
}

static void image(hctx *h, const qnode *n) {
    const char *src = qdoc_attr(n, "src");
    const struct qdoc_image *im = src ? qdoc_image_find(h->doc, src) : NULL;
    if (!im || !im->bytes || !im->img) return; /* as the PDF leaves it out */
    qstr_puts(h->b, "<figure><img src=\"");
    qhtml_data_uri(h->b, im->bytes, im->len);
    qstr_puts(h->b, "\" alt=\"");
    qhtml_str(h->b, qdoc_attr(n, "alt"));
    qstr_printf(h->b, "\" width=\"%u\" height=\"%u\"></figure>\n", im->img->w, im->img->h);
}

/* A bar chart: the bars as SVG, hidden from assistive technology, and
 * the same numbers as a table, which is the chart's text equivalent (and
 * what a screen reader, a search engine and a printout read). */
static void chart(hctx *h, const qnode *n) {
    double maxv = 0;
    int nbars = 0;
    for (const qnode *bar = n->first; bar; bar = bar->next) {
        if (bar->type != QN_BAR) continue;
        double tot = 0, v;
        for (const qnode *s = bar->first; s; s = s->next)
            if (s->type == QN_SEGMENT && qdoc_value(qdoc_attr(s, "value"), &v) == 0) tot += v;
        if (tot > maxv) maxv = tot;
        nbars++;
    }
    const char *caption = qdoc_attr(n, "caption");
    qstr_puts(h->b, "<figure>\n<figcaption>");
    qhtml_str(h->b, caption ? caption : "Chart");
    qstr_puts(h->b, "</figcaption>\n");
    qstr_printf(h->b, "<svg viewBox=\"0 0 600 %d\" width=\"600\" height=\"%d\" "
                       "aria-hidden=\"true\" focusable=\"false\">\n",
                 nbars * 28 + 4, nbars * 28 + 4);
    int y = 4;
    const qstyle *saved = ql_style;
    ql_style = h->s;
    /* each bar's label left of it, a segment's value on it where it fits,
     * in the colours the PDF draws them */
    for (const qnode *bar = n->first; bar; bar = bar->next) {
        if (bar->type != QN_BAR) continue;
        qstr_printf(h->b, "<text x=\"0\" y=\"%d\" font-size=\"11\" fill=\"#%06X\">", y + 15,
                     (unsigned)(h->s->text_color & 0xFFFFFFu));
        qhtml_str(h->b, qdoc_attr(bar, "label"));
        qstr_puts(h->b, "</text>\n");
        double x = 200, v;
        for (const qnode *s = bar->first; s; s = s->next) {
            if (s->type != QN_SEGMENT || qdoc_value(qdoc_attr(s, "value"), &v) || v <= 0 ||
                maxv <= 0)
                continue;
            uint32_t fill, color;
            ql_node_colours(s, 0x808080, 0, &fill, &color);
            double w = v / maxv * 400;
            qstr_printf(h->b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"22\" "
                               "fill=\"#%06X\"/>\n", x, y, w, (unsigned)(fill & 0xFFFFFFu));
            if (w >= 24) {
                qstr_printf(h->b, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
                                   "text-anchor=\"middle\" fill=\"#%06X\">",
                             x + w / 2, y + 15, (unsigned)(color & 0xFFFFFFu));
                qhtml_str(h->b, qdoc_attr(s, "value"));
                qstr_puts(h->b, "</text>\n");
            }
            x += w;
        }
        y += 28;
    }
    ql_style = saved;
    qstr_puts(h->b, "</svg>\n");
    scroll_open(h, caption ? caption : "Chart");
    qstr_puts(h->b, "<table>\n<caption>");
    qhtml_str(h->b, caption ? caption : "Chart");
    qstr_puts(h->b, ": the figures</caption>\n");
    for (const qnode *bar = n->first; bar; bar = bar->next) {
        if (bar->type != QN_BAR) continue;
        qstr_puts(h->b, "<tr><th scope=\"row\">");
        qhtml_str(h->b, qdoc_attr(bar, "label"));
        qstr_puts(h->b, "</th><td>");
        int k = 0;
        for (const qnode *s = bar->first; s; s = s->next) {
            if (s->type != QN_SEGMENT) continue;
            qstr_puts(h->b, k++ ? ", " : "");
            qhtml_str(h->b, qdoc_attr(s, "label"));
            qstr_puts(h->b, " ");
            qhtml_str(h->b, qdoc_attr(s, "value"));
        }
        qstr_puts(h->b, "</td></tr>\n");
    }
    qstr_puts(h->b, "</table></div>\n</figure>\n");
}

static void para(hctx *h, const qnode *n) {
    qstr_puts(h->b, "<p");
    const char *id = qdoc_attr(n, "id");
    /* every numbered paragraph can be linked to, by its own id or its number */
    if (!id && n->number) id = qarena_printf(h->a, "para-%s", n->number);
    id_attr(h, id);
    lang_attr(h, n);
    qstr_puts(h->b, ">");
    if (n->number) {
        qstr_puts(h->b, "<span class=\"num\">");
        qhtml_str(h->b, n->number);
        qstr_puts(h->b, "</span> ");
    }
    inlines(h, n->first, NULL);
    qstr_puts(h->b, "</p>\n");
}

static void background(hctx *h, const qnode *s) {
    qstr_puts(h->b, "<ul>\n");
    for (const qnode *d = s->first; d; d = d->next) {
        if (d->type != QN_DOCUMENT) continue;
        const char *href = qdoc_attr(d, "href");
        qstr_puts(h->b, "<li");
        lang_attr(h, d);
        qstr_puts(h->b, ">");
        if (safe_href(href)) {
            /* the document's title is the link's text */
            qstr_puts(h->b, "<a href=\"");
            qhtml_str(h->b, href);
            qstr_puts(h->b, "\">");
            inlines(h, d->first, NULL);
            qstr_puts(h->b, "</a> (");
            qhtml_str(h->b, href);
            qstr_puts(h->b, ")");
        } else {
            inlines(h, d->first, NULL);
            if (href) {
                qstr_puts(h->b, " (");
                qhtml_str(h->b, href);
                qstr_puts(h->b, ")");
            }
        }
        qstr_puts(h->b, "</li>\n");
    }
    qstr_puts(h->b, "</ul>\n");
}

static void fields_table(hctx *h, const qnode *parent, int front);

static void form(hctx *h, const qnode *s, int hl) {
    fields_table(h, s, 0);
    for (const qnode *q = s->first; q; q = q->next) {
        if (q->type != QN_QA) continue;
        for (const qnode *x = q->first; x; x = x->next) {
            if (x->type == QN_QUESTION) {
                qstr_puts(h->b, "<p><strong>");
                inlines(h, x->first, NULL);
                qstr_puts(h->b, "</strong></p>\n");
            } else if (x->type == QN_ANSWER) {
                qstr_puts(h->b, "<div>");
                mixed(h, x->first, hl);
                qstr_puts(h->b, "</div>\n");
            }
        }
    }
}

/* section, implication, background documents, form; level: of its
 * heading (2 at the top, as the outline's first level) */
static void section(hctx *h, const qnode *s, int level) {
    const qnode *hd = qdoc_first_child_of(s, QN_HEADING);
    const char *id = qdoc_attr(s, "id");
    if (!id && s->number) id = qarena_printf(h->a, "section-%s", s->number);
    qstr_puts(h->b, "<section");
    lang_attr(h, s);
    qstr_puts(h->b, ">\n");
    if (hd || s->number)
        heading(h, level, id, s->number ? qarena_printf(h->a, "%s.", s->number) : NULL, hd, "");
    if (s->type == QN_BACKGROUND_DOCS) background(h, s);
    else if (s->type == QN_FORM) form(h, s, level + 1);
    if (s->type != QN_BACKGROUND_DOCS) {
        for (const qnode *x = s->first; x; x = x->next) {
            if (x->type == QN_SECTION) section(h, x, level + 1);
            else if (x->type != QN_FIELD && x->type != QN_QA) blocks(h, x, x->next, level + 1);
        }
    }
    qstr_puts(h->b, "</section>\n");
}

static void block(hctx *h, const qnode *n, int hl) {
    switch (n->type) {
    case QN_PARA: para(h, n); break;
    case QN_SUBHEADING: heading(h, hl, qdoc_attr(n, "id"), NULL, n, ""); break;
    case QN_LIST: list(h, n, hl); break;
    case QN_QUOTE:
        qstr_puts(h->b, "<blockquote");
        lang_attr(h, n);
        qstr_puts(h->b, ">");
        /* its paragraphs, or its text as one */
        blocks(h, n->first, NULL, hl);
        qstr_puts(h->b, "</blockquote>\n");
        break;
    case QN_TABLE: table(h, n); break;
    case QN_IMAGE: image(h, n); break;
    case QN_BAR_CHART: chart(h, n); break;
    case QN_RECOMMENDATIONS: recommendations(h, n, 0); break;
    case QN_SIGN_OFF: sign_off(h, n); break;
    case QN_NOT_APPLICABLE:
        qstr_puts(h->b, "<p");
        lang_attr(h, n);
        qstr_puts(h->b, ">");
        qhtml_str(h->b, qstyle_word(h->s, words_of(h, n), QW_NOT_APPLICABLE));
        qstr_puts(h->b, ": ");
        inlines(h, n->first, NULL);
        qstr_puts(h->b, "</p>\n");
        break;
    case QN_SECTION: case QN_IMPLICATION: case QN_BACKGROUND_DOCS: case QN_FORM:
        section(h, n, hl);
        break;
    case QN_HEADING: case QN_TITLE: case QN_SUBTITLE: case QN_COL:
    case QN_PERIODS: case QN_PERIOD: case QN_SCALE: case QN_RATING_VALUE:
    case QN_CRITERION: case QN_CRITERION_TEXT: case QN_RATED:
    case QN_FIELD: case QN_QA:
        break; /* written by their parents, or data only */
    default:
        if (ql_is_inline(n->type)) {
            qstr_puts(h->b, "<p>");
            inline_node(h, n);
            qstr_puts(h->b, "</p>\n");
        } else {
            blocks(h, n->first, NULL, hl); /* generated containers */
        }
        break;
    }
}

static int blank(const qnode *n) {
    if (n->type != QN_TEXT) return 0;
    for (size_t i = 0; i < n->text_len; i++)
        if (n->text[i] != ' ' && n->text[i] != '\n' && n->text[i] != '\t' && n->text[i] != '\r')
            return 0;
    return 1;
}

static void blocks(hctx *h, const qnode *first, const qnode *stop, int hl) {
    for (const qnode *n = first; n && n != stop; n = n->next) {
        if (!ql_is_inline(n->type)) {
            block(h, n, hl);
            continue;
        }
        /* a run of inline siblings is one paragraph, as in the PDF (the
         * white space between blocks none) */
        const qnode *e = n;
        int any = 0;
        for (; e && e != stop && ql_is_inline(e->type); e = e->next) any |= !blank(e);
        if (any) {
            qstr_puts(h->b, "<p>");
            inlines(h, n, e);
            qstr_puts(h->b, "</p>\n");
        }
        if (!e || e == stop) break;
        n = e->prev;
    }
}

/* The front sheet's fields and a form's: label as row header, value. */
/* The fields a front sheet or form shows, in order: its own and those
 * in its identifier boxes (Agenda Item, Report No), not the hidden ones
 * (a title kept for the footer and metadata; the page's h1 shows it).
 * Calls row for each and returns how many. */
static int each_field(hctx *h, const qnode *parent, int front,
                      void (*row)(hctx *, const qnode *, int)) {
    int n = 0;
    for (const qnode *f = parent->first; f; f = f->next) {
        const qnode *in = f->type == QN_IDENTIFIERS ? f->first : f;
        const qnode *stop = f->type == QN_IDENTIFIERS ? NULL : f->next;
        for (const qnode *g = in; g != stop; g = g->next) {
            if (g->type != QN_FIELD || ql_attr_true(g, "hidden")) continue;
            if (row) row(h, g, front);
            n++;
        }
    }
    return n;
}

static void field_row(hctx *h, const qnode *f, int front) {
    qstr_puts(h->b, "<tr><th scope=\"row\">");
    qhtml_str(h->b, qdoc_attr(f, "label"));
    qstr_puts(h->b, "</th><td");
    id_attr(h, qdoc_attr(f, "id"));
    lang_attr(h, f);
    qstr_puts(h->b, ">");
    const char *role = qdoc_attr(f, "role");
    if (front && role && strcmp(role, "appendices") == 0 && !f->first) {
        /* the appendices, generated as on the PDF's front sheet, each
         * a link to its section below */
        const qnode *aps = qdoc_first_child_of(h->doc->root, QN_APPENDICES);
        int i = 0;
        for (const qnode *ap = aps ? aps->first : NULL; ap; ap = ap->next) {
            if (ap->type != QN_APPENDIX) continue;
            const qnode *tt = qdoc_first_child_of(ap, QN_TITLE);
            const char *listed = qdoc_attr(ap, "title");
            const char *num = ap->number ? ap->number : qarena_printf(h->a, "%d", i + 1);
            qstr_puts(h->b, i ? "<br><a href=\"#appendix-" : "<a href=\"#appendix-");
            qhtml_str(h->b, num);
            qstr_puts(h->b, "\">");
            qhtml_str(h->b, qarena_printf(h->a, "%s. %s", num,
                                          listed ? listed : tt ? ql_clean_text(h->a, tt) : ""));
            qstr_puts(h->b, "</a>");
            i++;
        }
    } else {
        mixed(h, f->first, 3);
    }
    qstr_puts(h->b, "</td></tr>\n");
    const char *xl[2], *xv[2];
    for (int k = 0, nx = ql_field_extra_rows(h->s, f, xl, xv); k < nx; k++) {
        qstr_puts(h->b, "<tr><th scope=\"row\">");
        qhtml_str(h->b, xl[k]);
        qstr_puts(h->b, "</th><td>");
        qhtml_str(h->b, xv[k]);
        qstr_puts(h->b, "</td></tr>\n");
    }
}

static void fields_table(hctx *h, const qnode *parent, int front) {
    if (!each_field(h, parent, front, NULL)) return;
    qstr_puts(h->b, "<table class=\"front\">\n");
    if (front) {
        qstr_puts(h->b, "<caption>");
        qhtml_str(h->b, h->w->text[QW_ABOUT_REPORT]);
        qstr_puts(h->b, "</caption>\n");
    } else {
        qstr_puts(h->b, "<caption class=\"vh\">");
        qhtml_str(h->b, h->last_heading ? h->last_heading : h->w->text[QW_UNTITLED_FORM]);
        qstr_puts(h->b, "</caption>\n");
    }
    qstr_puts(h->b, "<tbody>\n");
    each_field(h, parent, front, field_row);
    qstr_puts(h->b, "</tbody>\n</table>\n");
}

static void appendix(hctx *h, const qnode *ap, int i) {
    const char *num = ap->number ? ap->number : qarena_printf(h->a, "%d", i + 1);
    const qnode *t = qdoc_first_child_of(ap, QN_TITLE);
    const qnode *st = qdoc_first_child_of(ap, QN_SUBTITLE);
    qstr_puts(h->b, "<section class=\"appendix\"");
    id_attr(h, qdoc_attr(ap, "id"));
    lang_attr(h, ap);
    qstr_puts(h->b, ">\n");
    heading(h, 2, qarena_printf(h->a, "appendix-%s", num), qarena_printf(h->a, "%s:", qw_fmt(h->a, words_of(h, ap), QW_APPENDIX, num)),
            t, "");
    if (st) {
        qstr_puts(h->b, "<p class=\"kicker\">");
        inlines(h, st->first, NULL);
        qstr_puts(h->b, "</p>\n");
    }
    for (const qnode *x = ap->first; x; x = x->next) {
        if (x->type == QN_SECTION || x->type == QN_IMPLICATION ||
            x->type == QN_BACKGROUND_DOCS || x->type == QN_FORM)
            section(h, x, 3);
        else
            blocks(h, x, x->next, 3);
    }
    qstr_puts(h->b, "</section>\n");
}

const char *qhtml_report_title(qarena *a, const quorum_doc *doc, const qw_words *w) {
    const qnode *t = qdoc_field(doc, "title");
    const char *s = t ? ql_clean_text(a, t) : NULL;
    if (s && *s) return s;
    for (const qnode *n = doc->root; n; n = qdoc_next(n, doc->root))
        if (n->type == QN_HEADING && (s = ql_clean_text(a, n)) && *s) return s;
    return w->text[QW_UNTITLED_REPORT];
}

void qhtml_report(qstr *b, const quorum_doc *doc, const qstyle *s,
                  const qhtml_page *pg) {
    qarena *a = qarena_new(0);
    hctx h = {b, doc, s, a, NULL, qw_for(a, s->strings, ql_doc_lang(doc)), 0};
    /* this page's style is the one in force (ql_clean_text's words) */
    const qstyle *saved = ql_style;
    ql_style = s;
    qhtml_page p = *pg;
    if (!p.title) p.title = qhtml_report_title(a, doc, h.w);
    if (!p.lang) p.lang = qdoc_attr(doc->root, "xml:lang");
    qhtml_head(b, s, &p);
    const qnode *fs = qdoc_first_child_of(doc->root, QN_FRONT_SHEET);
    const qnode *fh = fs ? qdoc_first_child_of(fs, QN_HEADING) : NULL;
    if (fh) {
        qstr_puts(b, "<p class=\"kicker\">");
        inlines(&h, fh->first, NULL);
        qstr_puts(b, "</p>\n");
    }
    qstr_puts(b, "<h1>");
    qhtml_str(b, p.title);
    qstr_puts(b, "</h1>\n");
    int napp = 0;
    for (const qnode *x = doc->root->first; x; x = x->next) {
        switch (x->type) {
        case QN_FRONT_SHEET: fields_table(&h, x, 1); break;
        case QN_SECTION: case QN_IMPLICATION: case QN_BACKGROUND_DOCS: case QN_FORM:
            section(&h, x, 2);
            break;
        case QN_APPENDICES:
            for (const qnode *ap = x->first; ap; ap = ap->next)
                if (ap->type == QN_APPENDIX) appendix(&h, ap, napp++);
            break;
        default: blocks(&h, x, x->next, 2); break;
        }
    }
    qhtml_tail(b, s, p.lang);
    ql_style = saved;
    qarena_free(a);
}

void qhtml_blocks(qstr *b, const quorum_doc *doc, const qstyle *s,
                  const qnode *first, int hl) {
    qarena *a = qarena_new(0);
    hctx h = {b, doc, s, a, NULL, qw_for(a, s->strings, ql_doc_lang(doc)), 0};
    blocks(&h, first, NULL, hl);
    qarena_free(a);
}
