/* Performance appendices: ratings are data, tables are generated.
 *
 * The published appendix this module was written for repeats every rating
 * twice (summary table and per-outcome table) and the copies disagree.  So
 * each rating is written once, in <performance>, and every place that shows
 * it is generated here as ordinary document nodes; layout never learns what
 * a rating is. */
#include "doc.h"
#include "words.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- colours ---------------------------------------------------------- */

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int qperf_parse_colour(const char *s, unsigned char rgb[3]) {
    if (!s || s[0] != '#' || strlen(s) != 7) return -1;
    for (int i = 0; i < 3; i++) {
        int hi = hexval(s[1 + 2 * i]), lo = hexval(s[2 + 2 * i]);
        if (hi < 0 || lo < 0) return -1;
        rgb[i] = (unsigned char)(hi * 16 + lo);
    }
    return 0;
}

static double channel(unsigned char c) {
    double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double qperf_luminance(const unsigned char rgb[3]) {
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) +
           0.0722 * channel(rgb[2]);
}

double qperf_contrast(const char *fg, const char *bg) {
    unsigned char a[3], b[3];
    if (qperf_parse_colour(fg, a) || qperf_parse_colour(bg, b)) return -1;
    double la = qperf_luminance(a), lb = qperf_luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

/* ---- scale ------------------------------------------------------------ */

/* Colours chosen for at least 4.5:1 (6.5, 12.8 and 7.3 to 1). */
/* The same colours as the built-in style's <ratings> (style.c), which is
 * where layout takes them from: a default-scale value has no colours of
 * its own (own_colours 0). */
static const qperf_value default_scale[3] = {
    {"R", NULL, "#C00000", "#FFFFFF", NULL, NULL, 0, 1, 0},
    {"A", NULL, "#FFC000", "#000000", NULL, NULL, 1, 1, 0},
    {"G", NULL, "#00B050", "#000000", NULL, NULL, 2, 1, 0},
};

/* The default scale's names and meanings in w's words ("Red indicates
 * that progress is not on track …"); a declared scale has its own. */
static void default_words(qperf_scale *s, const qw_words *w) {
    for (size_t i = 0; i < s->n && i < 3; i++) {
        if (s->v[i].node) return;
        s->v[i].text = w->text[QW_RATING_R + i];
        s->v[i].definition = w->text[QW_RATING_R_MEANS + i];
    }
}

static int parse_int(const char *s, int *out) {
    char *end;
    if (!s || !*s) return -1;
    long v = strtol(s, &end, 10);
    if (*end || v < INT_MIN || v > INT_MAX) return -1;
    *out = (int)v;
    return 0;
}

void qperf_scale_read(qarena *a, const qnode *perf, qperf_scale *out) {
    qperf_scale_of(a, perf ? qdoc_first_child_of(perf, QN_SCALE) : NULL, out);
}

void qperf_scale_of(qarena *a, const qnode *sc, qperf_scale *out) {
    out->from = sc;
    out->read = 1;
    size_t n = 0;
    if (sc)
        for (const qnode *r = sc->first; r; r = r->next)
            if (r->type == QN_RATING_VALUE) n++;
    if (n == 0) {
        out->v = qarena_alloc(a, sizeof default_scale);
        memcpy(out->v, default_scale, sizeof default_scale);
        out->n = 3;
        default_words(out, qw_english());
        return;
    }
    out->v = qarena_alloc(a, n * sizeof *out->v);
    out->n = 0;
    for (const qnode *r = sc->first; r; r = r->next) {
        if (r->type != QN_RATING_VALUE) continue;
        qperf_value *v = &out->v[out->n];
        const char *code = qdoc_attr(r, "code");
        const char *text = qdoc_attr(r, "text");
        const char *fill = qdoc_attr(r, "fill");
        const char *color = qdoc_attr(r, "color");
        const char *rank = qdoc_attr(r, "rank");
        v->code = code ? code : "";
        v->text = text ? text : v->code;
        v->fill = fill ? fill : "#FFFFFF";
        v->color = color ? color : "#000000";
        v->own_colours = fill || color;
        v->node = r;
        v->rank = (int)out->n;
        v->ranked = 1;
        if (rank && strcmp(rank, "none") == 0) v->ranked = 0;
        else if (rank) parse_int(rank, &v->rank);
        out->n++;
    }
}

int qperf_scale_find(const qperf_scale *s, const char *code) {
    if (!code) return -1;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].code, code) == 0) return (int)i;
    return -1;
}

qperf_direction qperf_compare(const qperf_scale *s, const char *from,
                              const char *to) {
    if (from && to && strcmp(from, to) == 0) return QPERF_UNCHANGED;
    int i = qperf_scale_find(s, from), j = qperf_scale_find(s, to);
    if (i < 0 || j < 0 || !s->v[i].ranked || !s->v[j].ranked)
        return QPERF_CHANGED;
    if (s->v[j].rank > s->v[i].rank) return QPERF_IMPROVED;
    if (s->v[j].rank < s->v[i].rank) return QPERF_DECLINED;
    return QPERF_CHANGED;
}

const char *qperf_direction_word(const qw_words *w, qperf_direction d) {
    switch (d) {
    case QPERF_IMPROVED: return w->text[QW_IMPROVED];
    case QPERF_DECLINED: return w->text[QW_DECLINED];
    case QPERF_CHANGED: return w->text[QW_CHANGED];
    default: return w->text[QW_UNCHANGED];
    }
}

/* ---- reading the data ------------------------------------------------- */

const qnode *qperf_rated(const qnode *criterion, const char *period) {
    for (const qnode *r = criterion->first; r; r = r->next) {
        if (r->type != QN_RATED) continue;
        const char *p = qdoc_attr(r, "period");
        if (p && period && strcmp(p, period) == 0) return r;
    }
    return NULL;
}

const char *qperf_rating(const qnode *criterion, const char *period) {
    const qnode *r = qperf_rated(criterion, period);
    return r ? qdoc_attr(r, "value") : NULL;
}

#define EACH_CHILD(var, parent, t)                                            \
    for (const qnode *var = (parent)->first; var; var = var->next)            \
        if (var->type == (t))

size_t qperf_count(const qnode *perf, const qperf_scale *s,
                   const char *period, size_t *counts) {
    size_t unknown = 0;
    memset(counts, 0, s->n * sizeof *counts);
    EACH_CHILD(o, perf, QN_OUTCOME) {
        EACH_CHILD(c, o, QN_CRITERION) {
            int i = qperf_scale_find(s, qperf_rating(c, period));
            if (i < 0) unknown++;
            else counts[i]++;
        }
    }
    return unknown;
}

size_t qperf_changes(qarena *a, const qnode *perf, const qperf_scale *s,
                     const char *from, const char *to, qperf_change **out) {
    qvec v;
    qvec_init(&v, sizeof(qperf_change));
    EACH_CHILD(o, perf, QN_OUTCOME) {
        EACH_CHILD(c, o, QN_CRITERION) {
            const char *x = qperf_rating(c, from), *y = qperf_rating(c, to);
            if (!x || !y) continue;
            qperf_direction d = qperf_compare(s, x, y);
            if (d == QPERF_UNCHANGED) continue;
            qperf_change *ch = qvec_push(a, &v);
            ch->outcome = o;
            ch->criterion = c;
            ch->from = x;
            ch->to = y;
            ch->dir = d;
        }
    }
    *out = v.data;
    return v.len;
}

static int position_of(const qnode *n) {
    int i = 0;
    for (const qnode *p = n->prev; p; p = p->prev)
        if (p->type == n->type) i++;
    return i;
}

const char *qperf_outcome_number(qarena *a, const qnode *outcome) {
    const char *v = qdoc_attr(outcome, "number");
    if (v) return v;
    if (outcome->number) return outcome->number;
    return qarena_printf(a, "%d", position_of(outcome) + 1);
}

const char *qperf_criterion_letter(qarena *a, const qnode *criterion) {
    const char *v = qdoc_attr(criterion, "letter");
    if (v) return v;
    if (criterion->number) return criterion->number;
    int i = position_of(criterion);
    /* a..z, then aa, ab ... like spreadsheet columns */
    char s[3] = {(char)('a' + i), 0, 0};
    if (i >= 26) {
        s[0] = (char)('a' + i / 26 - 1);
        s[1] = (char)('a' + i % 26);
    }
    return qarena_strdup(a, s);
}


static const qnode **periods_of(qarena *a, const qnode *perf, size_t *n) {
    const qnode *ps = qdoc_first_child_of(perf, QN_PERIODS);
    *n = 0;
    if (!ps) return NULL;
    EACH_CHILD(p, ps, QN_PERIOD)(*n)++;
    const qnode **v = qarena_alloc(a, (*n + 1) * sizeof *v);
    size_t i = 0;
    EACH_CHILD(p, ps, QN_PERIOD) v[i++] = p;
    return v;
}

static const char *period_label(const qnode *p) {
    const char *l = qdoc_attr(p, "label");
    if (l) return l;
    l = qdoc_attr(p, "id");
    return l ? l : "";
}

/* ---- building nodes --------------------------------------------------- */

typedef struct moved {
    const qnode *src;
    qnode *first, *last;
} moved;

typedef struct gen {
    qarena *a;
    const qw_words *w; /* the placeholder's language */
    qpos pos;    /* every generated node points at its placeholder */
    qvec moved;  /* lead summaries / assessments already grafted */
} gen;

static qnode *add(gen *g, qnode *parent, qdoc_type t) {
    qnode *n = qdoc_node_new(g->a, t, NULL, g->pos);
    if (parent) qdoc_append(parent, n);
    return n;
}

/* Names are literals; values are literals, strings of the document's
 * arena or its attribute values: shared, not copied. */
static void set(gen *g, qnode *n, const char *k, const char *v) {
    qdoc_attr_set_shared(g->a, n, k, v, g->pos);
}

/* The key of an outcome appendix's word s is, when s is that word itself
 * (g->w's own string, not a copy or a sentence made from it). */
static int word_key(const gen *g, const char *s) {
    for (int k = QW_RATING_R; k <= QW_ASSESSMENT; k++)
        if (s == g->w->text[k]) return k + 1;
    return 0;
}

static qnode *text(gen *g, qnode *parent, const char *s) {
    qnode *n = add(g, parent, QN_TEXT);
    n->word = word_key(g, s);
    n->text = qarena_strdup(g->a, s);
    n->text_len = strlen(s);
    return n;
}

static qnode *clone(qarena *a, const qnode *src) {
    qnode *n = qdoc_node_new(a, src->type, src->name, src->pos);
    n->text = src->text;
    n->text_len = src->text_len;
    n->number = src->number;
    n->index = src->index;
    n->word = src->word;
    /* the copy lives in the same arena as its source */
    for (const qattr *x = src->attrs; x; x = x->next)
        qdoc_attr_set_shared(a, n, x->name, x->value, x->pos);
    for (const qnode *c = src->first; c; c = c->next)
        qdoc_append(n, clone(a, c));
    return n;
}

static void clone_children(gen *g, qnode *dst, const qnode *src) {
    if (!src) return;
    for (const qnode *c = src->first; c; c = c->next)
        qdoc_append(dst, clone(g->a, c));
}

static void unlink_node(qnode *n) {
    qnode *p = n->parent;
    if (n->prev) n->prev->next = n->next;
    else if (p) p->first = n->next;
    if (n->next) n->next->prev = n->prev;
    else if (p) p->last = n->prev;
    n->parent = n->prev = n->next = NULL;
}

static void insert_before(qnode *ref, qnode *n) {
    n->parent = ref->parent;
    n->next = ref;
    n->prev = ref->prev;
    if (ref->prev) ref->prev->next = n;
    else ref->parent->first = n;
    ref->prev = n;
}

/* Blocks of a lead summary or assessment: moved (the nodes keep their own
 * source positions) the first time they are shown, cloned from where they
 * went when a second placeholder shows them again. */
static int has_blocks(gen *g, const qnode *src) {
    if (!src) return 0;
    if (src->first) return 1;
    for (size_t i = 0; i < g->moved.len; i++)
        if (QVEC_AT(&g->moved, moved, i).src == src) return 1;
    return 0;
}

static void blocks(gen *g, qnode *dst, qnode *src) {
    if (!src) return;
    for (size_t i = 0; i < g->moved.len; i++) {
        moved *m = &QVEC_AT(&g->moved, moved, i);
        if (m->src != src) continue;
        for (qnode *c = m->first;; c = c->next) {
            qdoc_append(dst, clone(g->a, c));
            if (c == m->last) break;
        }
        return;
    }
    if (!src->first) return;
    moved *m = qvec_push(g->a, &g->moved);
    m->src = src;
    while (src->first) {
        qnode *c = src->first;
        unlink_node(c);
        qdoc_append(dst, c);
        if (!m->first) m->first = c;
        m->last = c;
    }
}

static qnode *subheading(gen *g, qnode *dst, const char *level) {
    qnode *h = add(g, dst, QN_SUBHEADING);
    if (level) set(g, h, "level", level);
    return h;
}

static qnode *para(gen *g, qnode *dst) {
    qnode *p = add(g, dst, QN_PARA);
    set(g, p, "numbered", "false");
    return p;
}

/* "6. Improvement in risk management" */
static void outcome_label(gen *g, qnode *dst, const qnode *o) {
    text(g, dst, qarena_printf(g->a, "%s ", qdoc_number_label(g->a, qperf_outcome_number(g->a, o))));
    clone_children(g, dst, qdoc_first_child_of(o, QN_TITLE));
}

/* "e. Proper member oversight …" */
static void criterion_label(gen *g, qnode *dst, const qnode *c) {
    text(g, dst, qarena_cat(g->a, qdoc_number_label(g->a, qperf_criterion_letter(g->a, c)), " "));
    clone_children(g, dst, qdoc_first_child_of(c, QN_CRITERION_TEXT));
}

/* Drops a final full stop so that "… reviewed." can be followed by ": ". */
static void strip_final_stop(gen *g, qnode *n) {
    qnode *last = NULL;
    for (qnode *x = n; x; x = qdoc_next(x, n))
        if (x->type == QN_TEXT) last = x;
    if (!last || !last->text_len) return;
    size_t len = last->text_len;
    while (len && (last->text[len - 1] == ' ' || last->text[len - 1] == '.'))
        len--;
    last->text = qarena_strndup(g->a, last->text, len);
    last->text_len = len;
}

/* The rating's code, and its direction of travel (<rated trend>) as an
 * arrow beside it; the cell's spoken form says both. */
static void rating_cell(gen *g, qnode *row, const qperf_scale *s,
                        const char *code, const char *tv) {
    qnode *cell = add(g, row, QN_CELL);
    set(g, cell, "align", "center");
    if (!code) {
        text(g, cell, "–");
        set(g, cell, "alt", "not rated");
        return;
    }
    text(g, cell, code);
    const qtrend *tr = qdoc_trend(tv, NULL);
    if (tr) {
        text(g, cell, " ");
        set(g, add(g, cell, QN_TREND), "value", tr->value);
    }
    int i = qperf_scale_find(s, code);
    const char *word = i < 0 ? code : s->v[i].text;
    set(g, cell, "alt", tr ? qarena_printf(g->a, "%s, %s", word, tr->word) : word);
    if (i < 0) return;
    set(g, cell, "rating", code);
    if (s->v[i].own_colours) {
        set(g, cell, "fill", s->v[i].fill);
        set(g, cell, "color", s->v[i].color);
    }
}

/* The summary table (only == NULL) or one outcome's table, in the shape of
 * the published appendix. */
static void ratings_table(gen *g, qnode *dst, const qnode *perf,
                          const qperf_scale *s, const qnode *only) {
    size_t np;
    const qnode **ps = periods_of(g->a, perf, &np);
    qnode *t = add(g, dst, QN_TABLE);
    set(g, t, "generated", only ? "outcome-table" : "summary-table");
    set(g, add(g, t, QN_COL), "width", "1*");
    for (size_t i = 0; i < np; i++) set(g, add(g, t, QN_COL), "width", "22mm");
    qnode *hr = add(g, t, QN_ROW);
    set(g, hr, "header", "true");
    qnode *hc = add(g, hr, QN_CELL);
    if (only) outcome_label(g, hc, only);
    else text(g, hc, g->w->text[QW_OUTCOME_CRITERION]);
    for (size_t i = 0; i < np; i++)
        text(g, add(g, hr, QN_CELL), period_label(ps[i]));
    EACH_CHILD(o, perf, QN_OUTCOME) {
        if (only && o != only) continue;
        if (!only) {
            qnode *r = add(g, t, QN_ROW);
            set(g, r, "keep-with-next", "true");
            qnode *c = add(g, r, QN_CELL);
            set(g, c, "colspan", qarena_printf(g->a, "%zu", np + 1));
            set(g, c, "bold", "true");
            outcome_label(g, c, o);
        }
        EACH_CHILD(cr, o, QN_CRITERION) {
            qnode *r = add(g, t, QN_ROW);
            /* the row's header even when no period has a rating yet */
            qnode *cc = add(g, r, QN_CELL);
            set(g, cc, "scope", "row");
            criterion_label(g, cc, cr);
            for (size_t i = 0; i < np; i++) {
                const qnode *rd = qperf_rated(cr, qdoc_attr(ps[i], "id"));
                rating_cell(g, r, s, rd ? qdoc_attr(rd, "value") : NULL,
                            rd ? qdoc_attr(rd, "trend") : NULL);
            }
        }
    }
}

static void definitions(gen *g, qnode *dst, const qperf_scale *s) {
    text(g, subheading(g, dst, NULL), g->w->text[QW_DEFINITIONS]);
    qnode *t = add(g, dst, QN_TABLE);
    set(g, t, "generated", "rating-definitions");
    set(g, add(g, t, QN_COL), "width", "14mm");
    set(g, add(g, t, QN_COL), "width", "1*");
    for (size_t i = 0; i < s->n; i++) {
        const qperf_value *v = &s->v[i];
        qnode *r = add(g, t, QN_ROW);
        rating_cell(g, r, s, v->code, NULL);
        qnode *c = add(g, r, QN_CELL);
        if (v->node && v->node->first) clone_children(g, c, v->node);
        else text(g, c, v->definition ? v->definition : v->text);
    }
}

/* Best value first, unranked values last: the order people read a RAG
 * count in ("Green 27, Amber 31, Red 1"). */
static size_t *display_order(qarena *a, const qperf_scale *s) {
    size_t *ord = qarena_alloc(a, (s->n + 1) * sizeof *ord);
    for (size_t i = 0; i < s->n; i++) ord[i] = i;
    for (size_t i = 1; i < s->n; i++) {   /* stable insertion sort */
        size_t x = ord[i], j = i;
        while (j > 0) {
            const qperf_value *p = &s->v[ord[j - 1]], *q = &s->v[x];
            int before = q->ranked && (!p->ranked || q->rank > p->rank);
            if (!before) break;
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = x;
    }
    return ord;
}

static const char *counts_text(gen *g, const qnode *perf,
                               const qperf_scale *s, const size_t *ord,
                               const qnode *period, size_t *counts) {
    size_t unknown = qperf_count(perf, s, qdoc_attr(period, "id"), counts);
    char *out = qarena_printf(g->a, "%s:", period_label(period));
    for (size_t k = 0; k < s->n; k++)
        out = qarena_printf(g->a, "%s%s %s %zu", out, k ? "," : "",
                            s->v[ord[k]].text, counts[ord[k]]);
    if (unknown) out = qarena_printf(g->a, "%s, %s %zu", out, g->w->text[QW_NOT_RATED], unknown);
    return out;
}

static const qnode *period_by_id(const qnode **ps, size_t np,
                                 const char *id) {
    for (size_t i = 0; id && i < np; i++) {
        const char *x = qdoc_attr(ps[i], "id");
        if (x && strcmp(x, id) == 0) return ps[i];
    }
    return NULL;
}

/* ph: the <movement> placeholder; its from/to name the periods compared
 * (default: the last two). */
static void movement(gen *g, qnode *dst, const qnode *perf,
                     const qperf_scale *s, const qnode *ph) {
    const char *mv = qdoc_attr(perf, "movement");
    if (mv && strcmp(mv, "false") == 0) return;
    size_t np;
    const qnode **ps = periods_of(g->a, perf, &np);
    size_t *ord = display_order(g->a, s);
    size_t *counts = qarena_alloc(g->a, (s->n + 1) * sizeof *counts);
    text(g, subheading(g, dst, NULL), g->w->text[QW_MOVEMENT]);
    qnode *chart = add(g, dst, QN_BAR_CHART);
    set(g, chart, "caption", g->w->text[QW_MOVEMENT_CAPTION]);
    const char *all = "", *sentences = "";
    for (size_t i = 0; i < np; i++) {
        const char *t = counts_text(g, perf, s, ord, ps[i], counts);
        qnode *bar = add(g, chart, QN_BAR);
        set(g, bar, "label", period_label(ps[i]));
        set(g, bar, "alt", t);
        for (size_t k = 0; k < s->n; k++) {
            const qperf_value *v = &s->v[ord[k]];
            qnode *seg = add(g, bar, QN_SEGMENT);
            set(g, seg, "value", qarena_printf(g->a, "%zu", counts[ord[k]]));
            set(g, seg, "rating", v->code);
            set(g, seg, "label", v->text);
            if (v->own_colours) {
                set(g, seg, "fill", v->fill);
                set(g, seg, "color", v->color);
            }
        }
        all = qarena_printf(g->a, "%s%s%s", all, i ? "; " : "", t);
        sentences = qarena_printf(g->a, "%s%s%s.", sentences, i ? " " : "", t);
    }
    /* the counts are printed right under the chart: its /Alt says what
     * the chart shows and leaves them to that sentence, so a screen
     * reader hears them once */
    set(g, chart, "alt", np ? g->w->text[QW_MOVEMENT_ALT] : all);
    if (np) text(g, para(g, dst), sentences);
    if (np < 2) return;
    const qnode *from = period_by_id(ps, np, qdoc_attr(ph, "from"));
    const qnode *to = period_by_id(ps, np, qdoc_attr(ph, "to"));
    if (!from) from = ps[np - 2];
    if (!to) to = ps[np - 1];
    qperf_change *ch;
    size_t n = qperf_changes(g->a, perf, s, qdoc_attr(from, "id"),
                             qdoc_attr(to, "id"), &ch);
    if (!n) {
        text(g, para(g, dst),
             qw_fmt(g->a, g->w, QW_NO_CHANGE, period_label(from), period_label(to)));
        return;
    }
    text(g, para(g, dst),
         qw_fmt(g->a, g->w, QW_CHANGES, period_label(from), period_label(to)));
    qnode *list = add(g, dst, QN_LIST);
    for (size_t i = 0; i < n; i++) {
        qnode *li = add(g, list, QN_ITEM);
        text(g, li, qarena_printf(g->a, "%s%s. ",
                                  qperf_outcome_number(g->a, ch[i].outcome),
                                  qperf_criterion_letter(g->a, ch[i].criterion)));
        clone_children(g, li, qdoc_first_child_of(ch[i].criterion,
                                                  QN_CRITERION_TEXT));
        strip_final_stop(g, li);
        int a = qperf_scale_find(s, ch[i].from), b = qperf_scale_find(s, ch[i].to);
        text(g, li, qarena_printf(g->a, ": %s → %s (%s)",
                                  a >= 0 ? s->v[a].text : ch[i].from,
                                  b >= 0 ? s->v[b].text : ch[i].to,
                                  qperf_direction_word(g->w, ch[i].dir)));
    }
}

static void outcome_details(gen *g, qnode *dst, const qnode *perf,
                            const qperf_scale *s) {
    EACH_CHILD(o, perf, QN_OUTCOME) {
        outcome_label(g, subheading(g, dst, "outcome"), o);
        ratings_table(g, dst, perf, s, o);
        qnode *lead = qdoc_first_child_of(o, QN_LEAD_SUMMARY);
        if (has_blocks(g, lead)) {
            text(g, subheading(g, dst, NULL), g->w->text[QW_LEAD_SUMMARY]);
            blocks(g, dst, lead);
        }
        EACH_CHILD(c, o, QN_CRITERION) {
            criterion_label(g, subheading(g, dst, "criterion"), c);
            qnode *as = qdoc_first_child_of(c, QN_ASSESSMENT);
            if (!has_blocks(g, as)) continue;
            text(g, subheading(g, dst, "label"), g->w->text[QW_ASSESSMENT]);
            blocks(g, dst, as);
        }
    }
}

static void outcome_list(gen *g, qnode *dst, const qnode *perf) {
    EACH_CHILD(o, perf, QN_OUTCOME) {
        qnode *title = para(g, dst);
        set(g, title, "heading", "true");
        outcome_label(g, add(g, title, QN_BOLD), o);
        qnode *list = add(g, dst, QN_LIST);
        EACH_CHILD(c, o, QN_CRITERION) {
            /* the letter is the item's marker, not a bullet before it */
            qnode *li = add(g, list, QN_ITEM);
            qdoc_attr_set(g->a, li, "label",
                          qdoc_number_label(g->a, qperf_criterion_letter(g->a, c)),
                          li->pos);
            clone_children(g, li, qdoc_first_child_of(c, QN_CRITERION_TEXT));
        }
    }
}

/* from/to of a <movement>, when given, name periods of perf. */
static int movement_refs_ok(qarena *a, const qnode *perf, const qnode *ph) {
    if (ph->type != QN_MOVEMENT) return 1;
    size_t np;
    const qnode **ps = periods_of(a, perf, &np);
    const char *f = qdoc_attr(ph, "from"), *t = qdoc_attr(ph, "to");
    return (!f || period_by_id(ps, np, f)) && (!t || period_by_id(ps, np, t));
}

static int is_placeholder(qdoc_type t) {
    return t == QN_SUMMARY_TABLE || t == QN_RATING_DEFINITIONS ||
           t == QN_OUTCOME_DETAILS || t == QN_MOVEMENT || t == QN_OUTCOME_LIST;
}

static int inside_performance(const qnode *n) {
    for (const qnode *p = n->parent; p; p = p->parent)
        if (p->type == QN_PERFORMANCE) return 1;
    return 0;
}

/* The xml:lang in force at n: its own or its nearest ancestor's. */
static const char *lang_at(const qnode *n) {
    for (; n; n = n->parent) {
        const char *l = qdoc_attr(n, "xml:lang");
        if (l) return l;
    }
    return NULL;
}

void qperf_expand(quorum_doc *doc) {
    if (!doc || !doc->root) return;
    gen g = {.a = doc->arena};
    qrating_index(doc);
    qvec_init(&g.moved, sizeof(moved));
    /* Collect first: expansion rewrites the tree being walked. */
    qvec ph, cells;
    qvec_init(&ph, sizeof(qnode *));
    qvec_init(&cells, sizeof(qnode *));
    for (qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (is_placeholder(n->type) && n->parent && !inside_performance(n))
            *(qnode **)qvec_push(doc->arena, &ph) = n;
        else if ((n->type == QN_CELL && (qdoc_attr(n, "rating") || qdoc_attr(n, "score"))) ||
                 n->type == QN_CHIP)
            *(qnode **)qvec_push(doc->arena, &cells) = n;
    }
    /* written by the author: ratings anywhere (ratings.c) */
    qperf_scale rs = {0}; /* the last cell's scale */
    for (size_t i = 0; i < cells.len; i++) qrating_apply(doc, QVEC_AT(&cells, qnode *, i), &rs);
    for (size_t i = 0; i < ph.len; i++) {
        qnode *p = QVEC_AT(&ph, qnode *, i);
        const qnode *perf = qperf_find(doc, qdoc_attr(p, "of"));
        /* Left in place for qperf_check to report. */
        if (!perf || !movement_refs_ok(doc->arena, perf, p)) continue;
        qperf_scale s;
        qperf_scale_read(doc->arena, perf, &s);
        g.pos = p->pos;
        g.w = qw_for(doc->arena, NULL, lang_at(p));
        default_words(&s, g.w);
        qnode *box = qdoc_node_new(doc->arena, QN_NONE, NULL, p->pos);
        switch (p->type) {
        case QN_SUMMARY_TABLE:
            ratings_table(&g, box, perf, &s, NULL);
            if (qdoc_attr(p, "caption"))
                set(&g, box->last, "caption", qdoc_attr(p, "caption"));
            break;
        case QN_RATING_DEFINITIONS: definitions(&g, box, &s); break;
        case QN_MOVEMENT: movement(&g, box, perf, &s, p); break;
        case QN_OUTCOME_DETAILS: outcome_details(&g, box, perf, &s); break;
        case QN_OUTCOME_LIST: outcome_list(&g, box, perf); break;
        default: break;
        }
        for (qnode *c = box->first; c; c = box->first) {
            unlink_node(c);
            insert_before(p, c);
        }
        unlink_node(p);
    }
}

/* ---- checks ----------------------------------------------------------- */

#define ERR(pos, ...)                                                         \
    do {                                                                      \
        qdiag_add(d, QUORUM_ERROR, (pos), __VA_ARGS__);                      \
        errors++;                                                             \
    } while (0)

static qpos attr_pos(const qnode *n, const char *name) {
    const qattr *x = qdoc_attr_get(n, name);
    return x ? x->pos : n->pos;
}

size_t qperf_check_scale(const qnode *sc, quorum_diags *d) {
    size_t errors = 0;
    if (!sc) return 0;
    size_t n = 0;
    EACH_CHILD(r, sc, QN_RATING_VALUE) {
        n++;
        const char *code = qdoc_attr(r, "code");
        if (!code || !*code) {
            ERR(r->pos, "rating value needs a code attribute");
            continue;
        }
        for (const qnode *q = sc->first; q != r; q = q->next) {
            const char *c2 = q->type == QN_RATING_VALUE ? qdoc_attr(q, "code") : NULL;
            if (c2 && strcmp(c2, code) == 0) {
                ERR(attr_pos(r, "code"), "rating code '%s' is declared twice", code);
                break;
            }
        }
        const char *rank = qdoc_attr(r, "rank");
        int dummy;
        if (rank && strcmp(rank, "none") != 0 && parse_int(rank, &dummy))
            ERR(attr_pos(r, "rank"), "rank '%s' is not an integer or \"none\"", rank);
        const char *fill = qdoc_attr(r, "fill"), *color = qdoc_attr(r, "color");
        unsigned char rgb[3];
        int ok = 1;
        if (fill && qperf_parse_colour(fill, rgb)) {
            ERR(attr_pos(r, "fill"), "fill '%s' is not a colour of the form #RRGGBB", fill);
            ok = 0;
        }
        if (color && qperf_parse_colour(color, rgb)) {
            ERR(attr_pos(r, "color"), "color '%s' is not a colour of the form #RRGGBB", color);
            ok = 0;
        }
        if (!ok) continue;
        if (!fill) fill = "#FFFFFF";
        if (!color) color = "#000000";
        double ratio = qperf_contrast(color, fill);
        /* Compare what would print: 4.49 must fail even if it rounds up. */
        if (ratio < 4.5)
            ERR(attr_pos(r, qdoc_attr(r, "color") ? "color" : "fill"),
                "text colour %s on fill %s of rating '%s' has a contrast of "
                "%.2f:1; at least 4.5:1 is needed", color, fill, code, ratio);
    }
    if (n == 0) ERR(sc->pos, "scale declares no rating values");
    return errors;
}

static size_t check_perf(const qnode *perf, quorum_diags *d, qarena *a) {
    size_t errors = 0;
    size_t np;
    const qnode **ps = periods_of(a, perf, &np);
    if (np == 0) ERR(perf->pos, "performance '%s' declares no periods",
                     qdoc_attr(perf, "id") ? qdoc_attr(perf, "id") : "");
    for (size_t i = 0; i < np; i++) {
        const char *id = qdoc_attr(ps[i], "id");
        if (!id || !*id) {
            ERR(ps[i]->pos, "period needs an id attribute");
            continue;
        }
        if (!qdoc_attr(ps[i], "label"))
            ERR(ps[i]->pos, "period '%s' needs a label attribute", id);
        for (size_t j = 0; j < i; j++) {
            const char *id2 = qdoc_attr(ps[j], "id");
            if (id2 && strcmp(id, id2) == 0) {
                ERR(attr_pos(ps[i], "id"), "period id '%s' is declared twice", id);
                break;
            }
        }
    }
    errors += qperf_check_scale(qdoc_first_child_of(perf, QN_SCALE), d);
    qperf_scale s;
    qperf_scale_read(a, perf, &s);
    const char *codes = "";
    for (size_t i = 0; i < s.n; i++)
        codes = qarena_printf(a, "%s%s%s", codes, i ? ", " : "", s.v[i].code);

    EACH_CHILD(o, perf, QN_OUTCOME) {
        const char *num = qperf_outcome_number(a, o);
        if (!qdoc_first_child_of(o, QN_TITLE))
            ERR(o->pos, "outcome %s needs a title", num);
        EACH_CHILD(c, o, QN_CRITERION) {
            const char *name =
                qarena_printf(a, "%s%s", num, qperf_criterion_letter(a, c));
            if (!qdoc_first_child_of(c, QN_CRITERION_TEXT))
                ERR(c->pos, "criterion %s needs a text", name);
            EACH_CHILD(r, c, QN_RATED) {
                const char *p = qdoc_attr(r, "period");
                const char *v = qdoc_attr(r, "value");
                int known = 0;
                for (size_t i = 0; p && i < np; i++) {
                    const char *id = qdoc_attr(ps[i], "id");
                    if (id && strcmp(id, p) == 0) known = 1;
                }
                if (!p) ERR(r->pos, "rating of criterion %s needs a period attribute", name);
                else if (!known)
                    ERR(attr_pos(r, "period"), "criterion %s is rated for period '%s', "
                        "which is not declared", name, p);
                if (!v) ERR(r->pos, "rating of criterion %s needs a value attribute", name);
                else if (qperf_scale_find(&s, v) < 0)
                    ERR(attr_pos(r, "value"), "rating '%s' of criterion %s is not on "
                        "the scale (%s)", v, name, codes);
                for (const qnode *q = c->first; p && q != r; q = q->next) {
                    const char *p2 = q->type == QN_RATED ? qdoc_attr(q, "period") : NULL;
                    if (p2 && strcmp(p, p2) == 0) {
                        ERR(r->pos, "criterion %s is rated twice for period '%s'", name, p);
                        break;
                    }
                }
            }
            for (size_t i = 0; i < np; i++) {
                const char *id = qdoc_attr(ps[i], "id");
                if (!id) continue;
                int seen = 0;
                EACH_CHILD(r, c, QN_RATED) {
                    const char *p = qdoc_attr(r, "period");
                    if (p && strcmp(p, id) == 0) seen = 1;
                }
                if (!seen)
                    ERR(c->pos, "criterion %s has no rating for period '%s' (%s)",
                        name, id, period_label(ps[i]));
            }
        }
    }
    return errors;
}

size_t qperf_check(const quorum_doc *doc, quorum_diags *d) {
    if (!doc || !doc->root) return 0;
    size_t errors = 0;
    qarena *a = qarena_new(0);
    const qnode *root = doc->root;
    for (const qnode *n = root; n; n = qdoc_next(n, root)) {
        if (n->type == QN_PERFORMANCE) {
            errors += check_perf(n, d, a);
        } else if (is_placeholder(n->type) && !inside_performance(n)) {
            /* qperf_expand leaves only the placeholders it could not
             * resolve; say why. */
            const char *of = qdoc_attr(n, "of");
            if (of && !qperf_find(doc, of))
                ERR(attr_pos(n, "of"), "<%s of=\"%s\">: no performance with id '%s'",
                    n->name, of, of);
            else if (!of && !qperf_find(doc, NULL))
                ERR(n->pos, "<%s> needs of=\"ID\" naming a performance: the "
                    "report has none or several", n->name);
        }
        if (n->type == QN_MOVEMENT && !inside_performance(n)) {
            const qnode *perf = qperf_find(doc, qdoc_attr(n, "of"));
            size_t np;
            const qnode **ps = perf ? periods_of(a, perf, &np) : NULL;
            for (int k = 0; perf && k < 2; k++) {
                const char *which = k ? "to" : "from";
                const char *id = qdoc_attr(n, which);
                if (id && !period_by_id(ps, np, id))
                    ERR(attr_pos(n, which), "<movement %s=\"%s\">: no such "
                        "period", which, id);
            }
        }
    }
    qarena_free(a);
    return errors;
}
