/* The body of word/document.xml as a list of blocks: each paragraph with
 * what its style and numbering say it is, its inline markup and plain
 * text; each table as it stands (report.c and table.c map them). */
#include <stdlib.h>
#include <string.h>

#include "docx.h"

static char *take(qstr *b) {
    char *s = b->s ? b->s : calloc(1, 1);
    if (!s) qfatal_oom();
    *b = (qstr){0};
    return s;
}

/* What a numbering level makes of a paragraph: 1 bullet, 2 an ordered
 * list item, 3 a numbered paragraph ("3.2": two or more levels in its
 * text), 0 nothing (a level that prints no number). */
static int list_kind(const dxlevel *l) {
    if (!l || !l->fmt || strcmp(l->fmt, "none") == 0) return 0;
    if (strcmp(l->fmt, "bullet") == 0) return 1;
    int pct = 0;
    for (const char *s = l->text ? l->text : ""; *s; s++) pct += *s == '%';
    return pct >= 2 ? 3 : 2;
}

static void para_block(dxctx *c, const qnode *p, dxblock *b) {
    const qnode *ppr = dx_child(p, "pPr");
    const dxstyle *st = dx_style(c, dx_child_val(ppr, "pStyle"));
    b->role = st ? st->role : DX_BODY;
    const char *ol = dx_child_val(ppr, "outlineLvl");
    if (b->role == DX_BODY && ol && ol[0] >= '0' && ol[0] <= '2' && !ol[1])
        b->role = ol[0] == '0' ? DX_H1 : ol[0] == '1' ? DX_H2 : DX_H3;
    const qnode *np = dx_child(ppr, "numPr");
    const char *num = np ? dx_child_val(np, "numId") : st ? st->num_id : NULL;
    const char *il = np ? dx_child_val(np, "ilvl") : NULL;
    b->ilvl = il && il[0] >= '0' && il[0] <= '8' && !il[1] ? il[0] - '0'
              : st ? st->ilvl : 0;
    if (num && strcmp(num, "0") != 0) {
        b->lvl = dx_level(c, num, b->ilvl);
        b->list = list_kind(b->lvl);
    }
    if (!b->list && b->role == DX_LIST_BULLET) b->list = 1;
    if (!b->list && b->role == DX_LIST_NUMBER) b->list = 2;
    if (b->role == DX_LIST_BULLET || b->role == DX_LIST_NUMBER) b->role = DX_BODY;
    qstr xml = {0}, text = {0}, notes = {0};
    c->first_pending = c->nimages;
    dx_inline(c, p, &xml, &text, &notes);
    b->img_first = c->first_pending;
    b->nimg = c->nimages - c->first_pending;
    b->xml = take(&xml);
    b->text = take(&text);
    b->notes = take(&notes);
    /* the first external link: a background document's address */
    for (const qnode *h = dx_child(p, "hyperlink"); h && !b->href;
         h = dx_next(h, "hyperlink")) {
        const dxrel *r = dx_rel(c, dx_attr(h, "id"));
        if (r && r->external) b->href = r->target;
    }
}

static int blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return 0;
    return 1;
}

typedef struct collect {
    dxblock *b;
    size_t n, cap;
} collect;

static void walk(dxctx *c, const qnode *parent, collect *out, int depth) {
    for (const qnode *x = parent->first; x; x = x->next) {
        if (x->type == QN_TEXT) continue;
        if (strcmp(x->name, "sdt") == 0 || strcmp(x->name, "customXml") == 0) {
            const qnode *sc = strcmp(x->name, "sdt") == 0 ? dx_child(x, "sdtContent") : x;
            /* the loader bounds the depth of the part; this is its walk */
            if (sc && depth < 64) walk(c, sc, out, depth + 1);
            continue;
        }
        int is_p = strcmp(x->name, "p") == 0, is_t = strcmp(x->name, "tbl") == 0;
        if (!is_p && !is_t) continue;
        if (out->n == out->cap) out->b = qgrow(out->b, &out->cap, out->n + 1, sizeof *out->b);
        dxblock *b = &out->b[out->n];
        *b = (dxblock){0};
        b->node = x;
        if (is_t) {
            b->kind = DXB_TABLE;
            b->para = c->para + 1;
            b->under = c->under;
            /* paragraphs in tables count as Word counts them */
            for (const qnode *n = x; n; n = qdoc_next(n, x))
                if (n->type != QN_TEXT && strcmp(n->name, "p") == 0) c->para++;
            out->n++;
            continue;
        }
        b->kind = DXB_PARA;
        b->para = ++c->para;
        b->under = c->under;
        para_block(c, x, b);
        if (b->role != DX_BODY && !blank(b->text))
            c->under = qarena_strdup(c->a, b->text);
        if (blank(b->text) && !b->nimg && !*b->notes) {
            free(b->xml);
            free(b->text);
            free(b->notes);
            continue;
        }
        out->n++;
    }
}

dxblock *dx_body_blocks(dxctx *c, const qnode *body, size_t *n) {
    collect out = {0};
    walk(c, body, &out, 0);
    /* page furniture is the house style's */
    for (const qnode *x = body; x; x = qdoc_next(x, body))
        if (x->type != QN_TEXT && (strcmp(x->name, "headerReference") == 0 ||
                                   strcmp(x->name, "footerReference") == 0)) {
            qpos at = {qdiag_file(c->d, c->name), 0, 0};
            qdiag_add(c->d, QUORUM_NOTE, at, "headers and footers are left out: "
                                             "the house style makes its own");
            break;
        }
    *n = out.n;
    return out.b;
}

void dx_blocks_free(dxblock *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(b[i].xml);
        free(b[i].text);
        free(b[i].notes);
    }
    free(b);
}
