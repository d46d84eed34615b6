/* A paragraph's runs to inline report markup.  Formatting is compared
 * run by run and elements are opened and closed only where it changes,
 * so Word's habit of splitting a word over several runs (spell check,
 * revision ids) leaves one <b> where the author made one bold stretch.
 * Tracked changes are accepted (insertions kept, deletions dropped),
 * comments and the results of TOC and PAGE fields left out. */
#include <string.h>
#include <strings.h>

#include "docx.h"

typedef struct fmt { int b, i, va; } fmt; /* va: 0, 1 sup, 2 sub */

typedef struct walk {
    dxctx *c;
    qstr *xml, *text, *notes;
    fmt open;            /* what is open in xml now */
    const char *link;    /* the <a href> open, or NULL */
    int tracked;         /* a change was met in this paragraph */
} walk;

static void close_fmt(walk *w) {
    if (!w->xml) return;
    if (w->open.va) qstr_puts(w->xml, w->open.va == 1 ? "</sup>" : "</sub>");
    if (w->open.i) qstr_puts(w->xml, "</i>");
    if (w->open.b) qstr_puts(w->xml, "</b>");
    w->open = (fmt){0, 0, 0};
}

static void set_fmt(walk *w, fmt f) {
    if (!w->xml || (f.b == w->open.b && f.i == w->open.i && f.va == w->open.va))
        return;
    close_fmt(w);
    if (f.b) qstr_puts(w->xml, "<b>");
    if (f.i) qstr_puts(w->xml, "<i>");
    if (f.va) qstr_puts(w->xml, f.va == 1 ? "<sup>" : "<sub>");
    w->open = f;
}

static int suppressed(const dxctx *c) {
    for (int i = 0; i < c->nfld && i < 8; i++)
        if (c->fld[i] != 1) return 1;
    return 0;
}

static void put_text(walk *w, fmt f, const char *s, size_t n) {
    if (!n || suppressed(w->c)) return;
    set_fmt(w, f);
    if (w->xml) dxs_escape(w->xml, s, n);
    if (w->text) qstr_put(w->text, s, n);
}

static fmt run_fmt(const qnode *rpr) {
    fmt f = {dx_toggle(rpr, "b"), dx_toggle(rpr, "i"), 0};
    const char *va = dx_child_val(rpr, "vertAlign");
    if (va && strcmp(va, "superscript") == 0) f.va = 1;
    if (va && strcmp(va, "subscript") == 0) f.va = 2;
    return f;
}

/* Fields that print page furniture or a table of contents, whose results
 * are made again by layout or have no place in the report. */
static int dropped_field(const char *instr) {
    static const char *const names[] = {"TOC", "PAGE", "NUMPAGES", "SECTIONPAGES",
                                        "PAGEREF", "INDEX", "TA", "TC", "XE"};
    while (*instr == ' ') instr++;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t k = strlen(names[i]);
        if (strncasecmp(instr, names[i], k) == 0 && (!instr[k] || instr[k] == ' '))
            return 1;
    }
    return 0;
}

static void note_field(dxctx *c) {
    if (c->noted_fields++) return;
    dx_diag(c, QUORUM_NOTE, "fields (a table of contents, page numbers) are left "
                            "out: layout makes its own");
}

static void fld_char(walk *w, const char *type) {
    dxctx *c = w->c;
    if (!type) return;
    if (strcmp(type, "begin") == 0) {
        if (c->nfld < 8) c->fld[c->nfld] = 0;
        c->nfld++;
        c->ninstr = 0;
    } else if (strcmp(type, "separate") == 0 && c->nfld > 0) {
        c->instr[c->ninstr < sizeof c->instr ? c->ninstr : sizeof c->instr - 1] = '\0';
        int drop = dropped_field(c->instr);
        if (drop) note_field(c);
        if (c->nfld <= 8) c->fld[c->nfld - 1] = drop ? 2 : 1;
    } else if (strcmp(type, "end") == 0 && c->nfld > 0) {
        c->nfld--;
    }
}

static void instr_text(dxctx *c, const qnode *t) {
    for (const qnode *x = t->first; x; x = x->next)
        for (size_t i = 0; x->type == QN_TEXT && i < x->text_len; i++)
            if (c->ninstr + 1 < sizeof c->instr) c->instr[c->ninstr++] = x->text[i];
}

static void text_of(walk *w, fmt f, const qnode *t) {
    for (const qnode *x = t->first; x; x = x->next)
        if (x->type == QN_TEXT) put_text(w, f, x->text, x->text_len);
}

static void footnote(walk *w, fmt f, const char *id) {
    dxctx *c = w->c;
    const qnode *note = dx_note(c, id);
    if (!note || suppressed(c)) return;
    char num[16];
    snprintf(num, sizeof num, "%u", ++c->nfootnotes);
    fmt sup = f;
    sup.va = 1;
    put_text(w, sup, num, strlen(num));
    if (!w->notes) return;
    /* the note's own paragraphs, as text with its markup, after the
     * paragraph that cites it */
    qstr_printf(w->notes, "%s. ", num);
    for (const qnode *p = dx_child(note, "p"); p; p = dx_next(p, "p")) {
        dx_inline(c, p, w->notes, NULL, NULL);
        if (dx_next(p, "p")) qstr_puts(w->notes, " ");
    }
    qstr_puts(w->notes, "\n");
}

static void drawing(walk *w, const qnode *dr) {
    dxctx *c = w->c;
    const char *alt = NULL, *embed = NULL;
    for (const qnode *n = dr; n; n = qdoc_next(n, dr)) {
        if (n->type == QN_TEXT) continue;
        if (strcmp(n->name, "docPr") == 0)
            alt = dx_attr(n, "descr") && *dx_attr(n, "descr") ? dx_attr(n, "descr")
                                                               : dx_attr(n, "title");
        if (strcmp(n->name, "blip") == 0) embed = dx_attr(n, "embed");
        if (strcmp(n->name, "txbxContent") == 0) {
            /* the box's own paragraphs would land out of reading order */
            dx_diag(c, QUORUM_WARNING, "a text box is left out: move its text "
                                       "into the document");
            return;
        }
    }
    const dxrel *r = dx_rel(c, embed);
    const char *ext = r ? strrchr(r->target, '.') : NULL;
    if (!r || r->external || !ext ||
        (strcasecmp(ext, ".png") != 0 && strcasecmp(ext, ".jpg") != 0 &&
         strcasecmp(ext, ".jpeg") != 0)) {
        dx_diag(c, QUORUM_WARNING, "an image that is not a PNG or JPEG in the "
                                   "package is left out%s%s", alt ? ": " : "",
                alt ? alt : "");
        return;
    }
    if (!alt || !*alt)
        dx_diag(c, QUORUM_WARNING, "an image has no alternative text (Word: "
                                   "right-click, Edit Alt Text)");
    if (c->nimages == c->cap_images)
        c->images = qgrow(c->images, &c->cap_images, c->nimages + 1, sizeof *c->images);
    struct dximage *im = &c->images[c->nimages++];
    im->part = r->target;
    im->file = qarena_printf(c->a, "%s-%zu%s", c->image_prefix ? c->image_prefix
                                                               : "image",
                             c->nimages, strcasecmp(ext, ".png") == 0 ? ".png" : ".jpg");
    im->alt = alt ? alt : "";
}

static void note_comments(dxctx *c) {
    if (c->noted_comments++) return;
    dx_diag(c, QUORUM_NOTE, "comments are left out");
}

static void warn_tracked(walk *w) {
    if (w->tracked++) return;
    dx_diag(w->c, QUORUM_WARNING, "tracked changes: insertions accepted, "
                                  "deletions dropped (accept or reject them in "
                                  "Word to be sure)");
}

static void run(walk *w, const qnode *r) {
    fmt f = run_fmt(dx_child(r, "rPr"));
    for (const qnode *x = r->first; x; x = x->next) {
        if (x->type == QN_TEXT) continue;
        const char *n = x->name;
        if (strcmp(n, "t") == 0) text_of(w, f, x);
        else if (strcmp(n, "tab") == 0 || strcmp(n, "ptab") == 0) put_text(w, f, " ", 1);
        else if (strcmp(n, "noBreakHyphen") == 0) put_text(w, f, "-", 1);
        else if (strcmp(n, "br") == 0 || strcmp(n, "cr") == 0) {
            const char *type = dx_attr(x, "type");
            if (type && strcmp(type, "textWrapping") != 0) continue; /* page */
            if (suppressed(w->c)) continue;
            close_fmt(w);
            if (w->xml) qstr_puts(w->xml, "<br/>");
            if (w->text) qstr_puts(w->text, " ");
        } else if (strcmp(n, "fldChar") == 0) fld_char(w, dx_attr(x, "fldCharType"));
        else if (strcmp(n, "instrText") == 0) instr_text(w->c, x);
        else if (strcmp(n, "footnoteReference") == 0) footnote(w, f, dx_attr(x, "id"));
        else if (strcmp(n, "commentReference") == 0) note_comments(w->c);
        else if ((strcmp(n, "drawing") == 0 || strcmp(n, "pict") == 0) &&
                 !suppressed(w->c)) drawing(w, x);
        else if (strcmp(n, "object") == 0 && !suppressed(w->c))
            dx_diag(w->c, QUORUM_WARNING, "an embedded object (a spreadsheet, a "
                                          "chart) is left out: paste it as a table "
                                          "or a picture");
    }
}

static void content(walk *w, const qnode *parent);

static void hyperlink(walk *w, const qnode *h) {
    const dxrel *r = dx_rel(w->c, dx_attr(h, "id"));
    /* an external link keeps its target; an anchor inside the document
     * (a bookmark) has no counterpart: its text stays */
    if (!r || !r->external || w->link || !w->xml) {
        content(w, h);
        return;
    }
    close_fmt(w);
    size_t mark = w->xml->len;
    qstr_puts(w->xml, "<a href=\"");
    dxs_escape(w->xml, r->target, strlen(r->target));
    qstr_puts(w->xml, "\">");
    size_t body = w->xml->len;
    w->link = r->target;
    content(w, h);
    close_fmt(w);
    w->link = NULL;
    if (w->xml->len == body) { /* no text: no link */
        w->xml->len = mark;
        w->xml->s[mark] = '\0';
    } else {
        qstr_puts(w->xml, "</a>");
    }
}

static void content(walk *w, const qnode *parent) {
    for (const qnode *x = parent->first; x; x = x->next) {
        if (x->type == QN_TEXT) continue;
        const char *n = x->name;
        if (strcmp(n, "r") == 0) run(w, x);
        else if (strcmp(n, "hyperlink") == 0) hyperlink(w, x);
        else if (strcmp(n, "ins") == 0 || strcmp(n, "moveTo") == 0) {
            warn_tracked(w);
            content(w, x);
        } else if (strcmp(n, "del") == 0 || strcmp(n, "moveFrom") == 0) {
            warn_tracked(w);
        } else if (strcmp(n, "fldSimple") == 0) {
            const char *instr = dx_attr(x, "instr");
            if (instr && dropped_field(instr)) note_field(w->c);
            else content(w, x);
        } else if (strcmp(n, "commentRangeStart") == 0) {
            note_comments(w->c);
        } else if (strcmp(n, "smartTag") == 0 || strcmp(n, "customXml") == 0 ||
                   strcmp(n, "sdtContent") == 0) {
            content(w, x);
        } else if (strcmp(n, "sdt") == 0) {
            const qnode *sc = dx_child(x, "sdtContent");
            if (sc) content(w, sc);
        }
    }
}

void dx_inline(dxctx *c, const qnode *p, qstr *xml, qstr *text, qstr *notes) {
    walk w = {c, xml, text, notes, {0, 0, 0}, NULL, 0};
    content(&w, p);
    close_fmt(&w);
}
