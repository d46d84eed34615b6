/* Derived numbers (docs/format.md): sections 1, 2 …; paragraphs 3.1 …
 * inside numbered sections; recommendations share their section's
 * paragraph sequence and nested ones are lettered; appendices 1, 2 … or
 * A, B …; outcomes and criteria carry their own.  Computed once after
 * loading so layout, references and checks all read the same numbers. */
#include <stdlib.h>
#include <string.h>

#include "doc.h"

static int is_section_level(qdoc_type t) {
    return t == QN_SECTION || t == QN_IMPLICATION || t == QN_BACKGROUND_DOCS ||
           t == QN_FORM;
}

static int attr_is(const qnode *n, const char *name, const char *v) {
    const char *a = qdoc_attr(n, name);
    return a && strcmp(a, v) == 0;
}

/* Trailing integer of "3.9" -> 9, of "7" -> 7; -1 if none. */
static long trailing_int(const char *s) {
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') i--;
    if (i == n || n - i > 9) return -1;
    return strtol(s + i, NULL, 10);
}

/* a, b, … z, aa, ab … */
static const char *letters(qarena *a, int k, int upper) {
    char buf[16];
    int n = 0;
    char tmp[16];
    k++;
    while (k > 0 && n < 15) {
        k--;
        tmp[n++] = (char)((upper ? 'A' : 'a') + k % 26);
        k /= 26;
    }
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return qarena_strdup(a, buf);
}

/* i, ii, iii, iv … (1..3999; beyond, the decimal number). */
static const char *roman(qarena *a, int k, int upper) {
    static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *const sym[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl",
                                      "x", "ix", "v", "iv", "i"};
    int n = k + 1;
    if (n > 3999) return qarena_printf(a, "%d", n);
    char buf[32];
    size_t o = 0;
    for (int i = 0; i < 13; i++)
        for (; n >= val[i]; n -= val[i])
            for (const char *c = sym[i]; *c; c++)
                buf[o++] = upper ? (char)(*c - 'a' + 'A') : *c;
    buf[o] = '\0';
    return qarena_strdup(a, buf);
}

/* The counter character of a marker pattern ("(a)" -> 'a'): the one of
 * 1 a A i I it holds, with nothing else but punctuation around it. */
static const char *marker_counter(const char *pattern) {
    const char *at = NULL;
    if (!pattern) return NULL;
    for (const char *p = pattern; *p; p++) {
        if (strchr("1aAiI", *p)) {
            if (at) return NULL;
            at = p;
        } else if (!strchr(".()[]-:", *p)) {
            return NULL;
        }
    }
    return at;
}

int qdoc_marker_valid(const char *pattern) {
    return marker_counter(pattern) != NULL;
}

const char *qdoc_marker_count(qarena *a, const char *pattern, int k) {
    const char *at = marker_counter(pattern);
    if (!at || *at == '1') return qarena_printf(a, "%d", k + 1);
    if (*at == 'i' || *at == 'I') return roman(a, k, *at == 'I');
    return letters(a, k, *at == 'A');
}

const char *qdoc_marker(qarena *a, const char *pattern, const char *count) {
    const char *at = marker_counter(pattern);
    if (!at) return count;
    return qarena_printf(a, "%.*s%s%s", (int)(at - pattern), pattern, count, at + 1);
}

const char *qdoc_number_label(qarena *a, const char *num) {
    size_t n = strlen(num);
    if (!n || strchr(num, '.') || num[n - 1] == ')') return num;
    return qarena_cat(a, num, ".");
}

static void number_recommendations(qarena *a, qnode *rec, const char *prefix,
                                   long *counter, int *index);

/* Nested recommendations: lettered, or counted as the nested-marker of
 * the <recommendations> they stand in says. */
static void number_nested(qarena *a, qnode *rec, const char *pattern) {
    int k = 0;
    for (qnode *c = rec->first; c; c = c->next) {
        if (c->type != QN_RECOMMENDATION) continue;
        const char *explicit_num = qdoc_attr(c, "number");
        if (attr_is(c, "numbered", "false")) {
            number_nested(a, c, pattern);
            continue;
        }
        c->number = explicit_num ? qarena_strdup(a, explicit_num)
                  : pattern ? qdoc_marker_count(a, pattern, k) : letters(a, k, 0);
        c->index = k++;
        number_nested(a, c, pattern);
    }
}

static const char *para_number(qarena *a, qnode *n, const char *prefix,
                               long *counter) {
    const char *explicit_num = qdoc_attr(n, "number");
    if (explicit_num) {
        long t = trailing_int(explicit_num);
        if (t >= 0) *counter = t;
        return qarena_strdup(a, explicit_num);
    }
    if (!prefix) return NULL;
    ++*counter;
    if (!*prefix) return qarena_printf(a, "%ld", *counter); /* continuous */
    return qarena_printf(a, "%s.%ld", prefix, *counter);
}

/* Top-level recommendations share the paragraph sequence, unless their
 * <recommendations marker> counts them on their own ("(a)", "i."). */
static void number_recommendations(qarena *a, qnode *recs, const char *prefix,
                                   long *counter, int *index) {
    const char *own = qdoc_attr(recs, "marker");
    const char *nested = qdoc_attr(recs, "nested-marker");
    if (own && !qdoc_marker_valid(own)) own = NULL;
    if (nested && !qdoc_marker_valid(nested)) nested = NULL;
    int k = 0;
    for (qnode *r = recs->first; r; r = r->next) {
        if (r->type != QN_RECOMMENDATION) continue;
        if (!attr_is(r, "numbered", "false")) {
            if (own && !qdoc_attr(r, "number")) r->number = qdoc_marker_count(a, own, k++);
            else r->number = para_number(a, r, prefix, counter);
            if (r->number) r->index = (*index)++;
        }
        number_nested(a, r, nested);
    }
}

/* shared: the report's one paragraph counter when its paragraphs are
 * numbered continuously (1, 2 … across sections), else NULL. */
static void number_paragraphs(qarena *a, qnode *sec, long *shared) {
    const char *prefix = shared ? "" : sec->number;
    if (attr_is(sec, "paragraphs", "plain")) prefix = NULL;
    long own = 0, *counter_p = shared ? shared : &own;
    long counter = *counter_p;
    int index = 0;
    for (qnode *c = sec->first; c; c = c->next) {
        if (c->type == QN_PARA) {
            if (attr_is(c, "numbered", "false")) continue;
            c->number = para_number(a, c, prefix, &counter);
            if (c->number) c->index = index++;
        } else if (c->type == QN_RECOMMENDATIONS) {
            number_recommendations(a, c, prefix, &counter, &index);
        }
    }
    *counter_p = counter;
}

/* Section-level children of a report or appendix. */
static void number_sections(qarena *a, qnode *container, int default_on) {
    long counter = 0, paras = 0;
    int index = 0;
    /* paragraph-numbers="continuous": 1, 2 … through the whole report,
     * under headings that are unnumbered unless they ask */
    int continuous = attr_is(container, "paragraph-numbers", "continuous");
    if (continuous) default_on = 0;
    for (qnode *c = container->first; c; c = c->next) {
        if (!is_section_level(c->type)) continue;
        const char *explicit_num = qdoc_attr(c, "number");
        int on = default_on;
        if (attr_is(c, "numbered", "false")) on = 0;
        if (attr_is(c, "numbered", "true")) on = 1;
        if (explicit_num) {
            long t = trailing_int(explicit_num);
            if (t >= 0) counter = t;
            c->number = qarena_strdup(a, explicit_num);
            c->index = index++;
        } else if (on) {
            c->number = qarena_printf(a, "%ld", ++counter);
            c->index = index++;
        }
        number_paragraphs(a, c, continuous ? &paras : NULL);
    }
}

static void reset(qnode *root) {
    for (qnode *n = root; n; n = qdoc_next(n, root)) {
        n->number = NULL;
        n->index = -1;
    }
}

static int whole_number(const char *s) {
    if (!*s || strlen(s) > 9) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* Agenda items (docs/meeting.md, "Numbers"): 1, 2, 3 …; an explicit whole
 * number restarts the count from itself, anything else ("9A", an item
 * slipped in late) leaves it alone so later items keep the numbers they
 * were published with. */
static void number_agenda(qarena *a, qnode *meeting) {
    qnode *agenda = qdoc_first_child_of(meeting, QN_AGENDA);
    if (!agenda) return;
    long counter = 0;
    int index = 0;
    for (qnode *it = agenda->first; it; it = it->next) {
        if (it->type != QN_AGENDA_ITEM) continue;
        const char *ex = qdoc_attr(it, "number");
        if (ex && *ex) {
            if (whole_number(ex)) counter = strtol(ex, NULL, 10);
            it->number = qarena_strdup(a, ex);
        } else {
            it->number = qarena_printf(a, "%ld", ++counter);
        }
        it->index = index++;
    }
}

void qdoc_number(quorum_doc *doc) {
    if (!doc || !doc->root) return;
    doc->id_index = NULL; /* the tree may change: qdoc_index_ids after */
    qarena *a = doc->arena;
    reset(doc->root);
    if (doc->root->type == QN_MEETING) {
        number_agenda(a, doc->root);
        return;
    }
    number_sections(a, doc->root, 1);
    qnode *apps = qdoc_first_child_of(doc->root, QN_APPENDICES);
    if (apps) {
        int upper = attr_is(apps, "numbering", "A");
        int lower = attr_is(apps, "numbering", "a");
        int k = 0;
        for (qnode *ap = apps->first; ap; ap = ap->next) {
            if (ap->type != QN_APPENDIX) continue;
            const char *explicit_num = qdoc_attr(ap, "number");
            if (explicit_num) ap->number = qarena_strdup(a, explicit_num);
            else if (upper || lower) ap->number = letters(a, k, upper);
            else ap->number = qarena_printf(a, "%d", k + 1);
            ap->index = k++;
            /* Appendix sections are unnumbered unless they ask. */
            number_sections(a, ap, 0);
        }
    }
    /* Outcomes and criteria: their own number/letter, else their position
     * (docs/format-performance.md). */
    for (qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type != QN_OUTCOME && n->type != QN_CRITERION) continue;
        int k = 0;
        for (qnode *s = n->parent ? n->parent->first : n; s && s != n; s = s->next)
            if (s->type == n->type) k++;
        n->index = k;
        const char *v = qdoc_attr(n, n->type == QN_OUTCOME ? "number" : "letter");
        if (v) n->number = qarena_strdup(a, v);
        else if (n->type == QN_OUTCOME) n->number = qarena_printf(a, "%d", k + 1);
        else n->number = letters(a, k, 0);
    }
}

static qnode *enclosing(const qnode *n, qdoc_type t) {
    for (qnode *p = n->parent; p; p = p->parent)
        if (p->type == t) return p;
    return NULL;
}

/* Sorted (id, node) pairs, so that a document with many references does
 * not scan the whole tree once per reference. */
typedef struct qid_entry {
    const char *id;
    const qnode *n;
    size_t seq; /* pre-order position: the first of equal ids wins */
} qid_entry;

typedef struct qid_index {
    qid_entry *v;
    size_t n;
} qid_index;

static int cmp_id_entry(const void *x, const void *y) {
    const qid_entry *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void qdoc_index_ids(quorum_doc *doc) {
    doc->id_index = NULL;
    if (!doc->root) return;
    size_t n = 0;
    for (const qnode *x = doc->root; x; x = qdoc_next(x, doc->root))
        if (qdoc_attr(x, "id")) n++;
    qid_index *ix = qarena_alloc(doc->arena, sizeof *ix);
    ix->v = qarena_alloc(doc->arena, (n ? n : 1) * sizeof *ix->v);
    size_t seq = 0;
    for (const qnode *x = doc->root; x; x = qdoc_next(x, doc->root), seq++) {
        const char *id = qdoc_attr(x, "id");
        if (!id) continue;
        ix->v[ix->n].id = id;
        ix->v[ix->n].n = x;
        ix->v[ix->n].seq = seq;
        ix->n++;
    }
    qsort(ix->v, ix->n, sizeof *ix->v, cmp_id_entry);
    doc->id_index = ix;
}

/* Same answer as qdoc_find_id(doc->root, id). */
static const qnode *find_id(const quorum_doc *doc, const char *id) {
    const qid_index *ix = doc->id_index;
    if (!ix) return qdoc_find_id(doc->root, id); /* a tree built by hand */
    size_t lo = 0, hi = ix->n; /* first entry with entry.id >= id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->v[mid].id, id) < 0) lo = mid + 1;
        else hi = mid;
    }
    if (lo < ix->n && strcmp(ix->v[lo].id, id) == 0) {
        const char *now = qdoc_attr(ix->v[lo].n, "id");
        if (now && strcmp(now, id) == 0) return ix->v[lo].n;
    }
    /* missing, or the tree changed since the index was built */
    return qdoc_find_id(doc->root, id);
}

const char *qdoc_ref_text(qarena *a, const quorum_doc *doc, const qnode *ref) {
    return qdoc_ref_text_in(a, doc, ref, NULL);
}

const char *qdoc_ref_text_in(qarena *a, const quorum_doc *doc, const qnode *ref,
                             const char *const *words) {
    static const char *const english[QDOC_REF_WORDS] = {
        "paragraph", "section", "Appendix", "recommendation", "Outcome", "criterion"};
    if (!words) words = english;
    if (!doc || !doc->root || !ref) return NULL;
    const char *to = qdoc_attr(ref, "to");
    if (!to) return NULL;
    const qnode *t = find_id(doc, to);
    if (!t) return NULL;
    const char *num = t->number;
    const char *word = NULL;
    switch (t->type) {
    case QN_PARA: word = words[0]; break;
    case QN_SECTION: case QN_IMPLICATION: case QN_BACKGROUND_DOCS:
    case QN_FORM:
        word = words[1];
        break;
    case QN_APPENDIX: word = words[2]; break;
    case QN_RECOMMENDATION: {
        word = words[3];
        /* nested: 1.1(a) */
        const qnode *p = t->parent;
        if (num && p && p->type == QN_RECOMMENDATION && p->number)
            num = qarena_printf(a, "%s(%s)", p->number, num);
        break;
    }
    case QN_OUTCOME: word = words[4]; break;
    case QN_CRITERION: {
        word = words[5];
        const qnode *o = enclosing(t, QN_OUTCOME);
        if (num && o && o->number)
            num = qarena_printf(a, "%s%s", o->number, num);
        break;
    }
    default: break;
    }
    if (!num || !word) return NULL;
    if (attr_is(ref, "form", "number")) return qarena_strdup(a, num);
    if (attr_is(ref, "form", "title") && word[0] >= 'a' && word[0] <= 'z')
        return qarena_printf(a, "%c%s %s", word[0] - 'a' + 'A', word + 1, num);
    return qarena_printf(a, "%s %s", word, num);
}
