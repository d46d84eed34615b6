/* Figures: images (sized from the pixels the loader read) and bar charts. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "layout.h"

/* An image width: absolute units, px, % of rel; a bare number is points. */
static float parse_len(const char *s, float rel) {
    qlen l;
    if (!s || qlen_parse(s, QLEN_ALLOW_PX | QLEN_ALLOW_PERCENT | QLEN_ALLOW_BARE, &l))
        return -1;
    return (float)(l.kind == QLEN_PERCENT ? l.value * rel / 100.0 : l.value);
}

void ql_image(L *l, const bctx *c, const qnode *n) {
    const char *src = qdoc_attr(n, "src");
    if (!src) return;
    const char *path = src[0] == '/' || !l->doc->dir
        ? qarena_strdup(l->dl->arena, src)
        : qarena_printf(l->dl->arena, "%s/%s", l->doc->dir, src);
    /* sized from what the loader decoded; the file is not opened again */
    const struct qdoc_image *im = qdoc_image_find(l->doc, src);
    const qimage *img = im ? im->img : NULL;
    int known = img != NULL;
    unsigned pw = known ? img->w : 0, ph = known ? img->h : 0;
    float w = parse_len(qdoc_attr(n, "width"), c->w);
    if (w <= 0) w = known ? (float)pw * 0.75f : c->w / 2;
    if (w > c->w) w = c->w;
    float h = known ? w * (float)ph / (float)pw : w * 0.75f;
    if (h > BODY_H * 0.9f) { w *= BODY_H * 0.9f / h; h = BODY_H * 0.9f; }
    int e = qdlist_add_elem(l->dl, QR_FIGURE, c->elem);
    const char *alt = qdoc_attr(n, "alt");
    QVEC_AT(&l->dl->elems, qdl_elem, e).alt = alt ? qarena_strdup(l->dl->arena, alt) : NULL;
    ql_mark_node(l, n);
    size_t idx = ql_push_line(l, h, l->pending_after, 0);
    qdl_item *it = ql_stage(l, QDL_IMAGE, e);
    /* a cell's align= places its image as it places its text */
    it->x = c->x + (c->align == 1 ? (c->w - w) / 2 : c->align == 2 ? c->w - w : 0);
    it->y = 0; it->w = w; it->h = h; it->text = path;
    it->len = (unsigned)strlen(path);
    it->dest = qdlist_add_image(l->dl, path, img);
    ql_end_line(l, idx);
    l->pending_after = c->para_after;
}

/* printf onto a growing malloc'd string */
static void sb_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void sb_printf(char **buf, size_t *len, size_t *cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    while (*len + (size_t)need + 1 > *cap) {
        *cap *= 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) qfatal_oom();
    }
    va_start(ap, fmt);
    vsnprintf(*buf + *len, *cap - *len, fmt, ap);
    va_end(ap);
    *len += (size_t)need;
}

/* Horizontal stacked bars; the whole chart is one Figure whose alt is the
 * chart's text equivalent. */
void ql_bar_chart(L *l, const bctx *c, const qnode *n) {
    qarena *da = l->dl->arena;
    int e = qdlist_add_elem(l->dl, QR_FIGURE, c->elem);
    ql_mark_node(l, n);
    const char *caption = qdoc_attr(n, "caption");
    const char *alt = qdoc_attr(n, "alt");
    double maxv = 0;
    int nbars = 0;
    /* generated alt text and the scale */
    size_t cap = 256, len = 0;
    char *gen = malloc(cap);
    if (!gen) qfatal_oom();
    gen[0] = '\0';
if (caption) sb_printf(&gen, &len, &cap, "%s. ", caption);
    for (const qnode *b = n->first; b; b = b->next) {
        if (b->type != QN_BAR) continue;
        nbars++;
        double tot = 0;
        const char *bl = qdoc_attr(b, "label");
        sb_printf(&gen, &len, &cap, "%s%s:", nbars > 1 ? "; " : "", bl ? bl : "");
        int k = 0;
        for (const qnode *s = b->first; s; s = s->next) {
            if (s->type != QN_SEGMENT) continue;
            const char *v = qdoc_attr(s, "value");
            const char *sl = qdoc_attr(s, "label");
            double dv;
            (void)qdoc_value(v, &dv);
            tot += dv;
            sb_printf(&gen, &len, &cap, "%s %s %s", k ? "," : "", sl ? sl : "", v ? v : "0");
            k++;
        }
        if (tot > maxv) maxv = tot;
    }
    QVEC_AT(&l->dl->elems, qdl_elem, e).alt = qarena_strdup(da, alt ? alt : gen);
    free(gen);
    float lh = 12.5f, size = 9, barh = 16, gap = 6;
    float label_w = c->w * 0.3f, bx = c->x + label_w + 6, bw = c->x + c->w - bx;
    float h = (caption ? lh + 4 : 0) + nbars * (barh + gap) + lh + 4;
    size_t idx = ql_push_line(l, h, l->pending_after, 0);
    float y = 0;
    if (caption) {
        const char *cp = qarena_strdup(da, caption);
        ql_stage_text(l, e, c->x, y + ql_baseline(l, 10, lh), ATTR_FACE_OF(n, "caption"), 10, 0,
                      cp, strlen(cp));
        y += lh + 4;
    }
    /* legend entries: distinct segment labels in first-seen order */
    const qnode *legend[32];
    int nleg = 0;
    for (const qnode *b = n->first; b; b = b->next) {
        if (b->type != QN_BAR) continue;
        const char *bl = qdoc_attr(b, "label");
        if (bl) {
            const char *t = qarena_strdup(da, bl);
            ql_stage_text(l, e, c->x, y + ql_baseline(l, size, barh), ATTR_FACE_OF(b, "label"), size,
                          0, t, strlen(t));
        }
        float x = bx;
        for (const qnode *s = b->first; s; s = s->next) {
            if (s->type != QN_SEGMENT) continue;
            const char *v = qdoc_attr(s, "value");
            double dv;
            (void)qdoc_value(v, &dv);
            if (dv <= 0 || maxv <= 0) continue;
            float w = (float)(dv / maxv) * bw;
            uint32_t fill, color;
            ql_node_colours(s, 0x808080, 0, &fill, &color);
            ql_stage_fill(l, e, x, y, w, barh, fill);
            const char *vt = qarena_strdup(da, v);
            float tw = qlb_width(l->faces[0], vt, strlen(vt), size);
            if (tw + 4 <= w)
                ql_stage_text(l, e, x + (w - tw) / 2, y + ql_baseline(l, size, barh), QF_REGULAR,
                           size, color, vt, strlen(vt));
            x += w;
            const char *sl = qdoc_attr(s, "label");
            int seen = 0;
            for (int i = 0; i < nleg; i++) {
                const char *o = qdoc_attr(legend[i], "label");
                if (sl && o && strcmp(o, sl) == 0) seen = 1;
            }
            if (sl && !seen && nleg < 32) legend[nleg++] = s;
        }
        y += barh + gap;
    }
    float x = c->x;
    for (int i = 0; i < nleg; i++) {
        const char *sl = qarena_strdup(da, qdoc_attr(legend[i], "label"));
        uint32_t fill, color;
        ql_node_colours(legend[i], 0x808080, 0, &fill, &color);
        ql_stage_fill(l, e, x, y + 2, 8, 8, fill);
        ql_stage_text(l, e, x + 11, y + ql_baseline(l, size, lh), ATTR_FACE_OF(legend[i], "label"),
                      size, 0, sl, strlen(sl));
        x += 11 + qlb_width(l->faces[0], sl, strlen(sl), size) + 12;
    }
    ql_end_line(l, idx);
    l->pending_after = c->para_after;
}

