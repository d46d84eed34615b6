/* Semantic checks: what the schema cannot say.  Every finding is a
 * positioned diagnostic; nothing here changes the tree. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "doc.h"
#include "font.h"
#include "meeting.h"
#include "style.h"

#define QCHECK_MAX_FONT_ERRORS 50

typedef struct qcheck {
    const quorum_doc *doc;
    const quorum_engine *e;
    const quorum_options *opt; /* the style and fonts layout will use */
    quorum_diags *d;
    qarena *a;
    qvec ids; /* idrec, sorted by id then reading order */
} qcheck;

static qpos attr_pos(const qnode *n, const char *name) {
    const qattr *a = qdoc_attr_get(n, name);
    return a ? a->pos : n->pos;
}

static int same_pos(qpos a, qpos b) {
    return a.file == b.file && a.line == b.line && a.col == b.col;
}

static int only_space(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
    return 1;
}

static const char *base_name(const char *p) {
    if (!p) return "?";
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- ids and references --------------------------------------------- */

typedef struct idrec {
    const char *id;
    const qnode *n;
} idrec;

static int cmp_id(const void *x, const void *y) {
    const idrec *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    /* earlier in reading order first */
    if (a->n->pos.file != b->n->pos.file)
        return a->n->pos.file < b->n->pos.file ? -1 : 1;
    if (a->n->pos.line != b->n->pos.line)
        return a->n->pos.line < b->n->pos.line ? -1 : 1;
    return a->n->pos.col < b->n->pos.col ? -1 : (a->n->pos.col > b->n->pos.col);
}

/* Fills C->ids (sorted by id) and reports duplicates. */
static void check_ids(qcheck *C) {
    qvec *vp = &C->ids;
    qvec_init(vp, sizeof(idrec));
    for (qnode *n = C->doc->root; n; n = qdoc_next(n, C->doc->root)) {
        const char *id = qdoc_attr(n, "id");
        if (!id) continue;
        idrec *r = qvec_push(C->a, vp);
        r->id = id;
        r->n = n;
    }
    if (vp->len > 1) qsort(vp->data, vp->len, sizeof(idrec), cmp_id);
    for (size_t i = 1; i < vp->len; i++) {
        idrec *prev = &QVEC_AT(vp, idrec, i - 1), *cur = &QVEC_AT(vp, idrec, i);
        if (strcmp(prev->id, cur->id) != 0) continue;
        if (prev->n->pos.file == cur->n->pos.file)
            qdiag_add(C->d, QUORUM_ERROR, attr_pos(cur->n, "id"),
                      "duplicate id \"%s\" (first used at line %u)", cur->id,
                      prev->n->pos.line);
        else
            qdiag_add(C->d, QUORUM_ERROR, attr_pos(cur->n, "id"),
                      "duplicate id \"%s\" (first used in %s at line %u)",
                      cur->id,
                      base_name(qdiag_file_name(C->d, prev->n->pos.file)),
                      prev->n->pos.line);
    }
}

static int cmp_key(const void *key, const void *elem) {
    return strcmp((const char *)key, ((const idrec *)elem)->id);
}

/* A cross-reference prints a number only for these (number.c). */
static int referenceable(const qnode *t) {
    if (!t->number) return 0;
    switch (t->type) {
    case QN_PARA: case QN_SECTION: case QN_IMPLICATION:
    case QN_BACKGROUND_DOCS: case QN_FORM: case QN_APPENDIX:
    case QN_RECOMMENDATION: case QN_OUTCOME: case QN_CRITERION:
        return 1;
    default:
        return 0;
    }
}

static void check_refs(qcheck *C) {
    for (qnode *n = C->doc->root; n; n = qdoc_next(n, C->doc->root)) {
        if (n->type != QN_REF) continue;
        const char *to = qdoc_attr(n, "to");
        if (!to) {
            if (!C->doc->schema_checked)
                qdiag_add(C->d, QUORUM_ERROR, n->pos,
                          "<ref> needs a to=\"ID\" attribute");
            continue;
        }
        /* bsearch on the sorted ids: documents may hold thousands of refs */
        const idrec *r = C->ids.len ? bsearch(to, C->ids.data, C->ids.len,
                                              sizeof(idrec), cmp_key)
                                    : NULL;
        const qnode *t = r ? r->n : NULL;
        if (!t) {
            qdiag_add(C->d, QUORUM_ERROR, attr_pos(n, "to"),
                      "reference to \"%s\", but no element has that id", to);
        } else if (!referenceable(t)) {
            qdiag_add(C->d, QUORUM_ERROR, attr_pos(n, "to"),
                      "reference to \"%s\" (a <%s>) cannot print a number: "
                      "it is not numbered", to, t->name);
        }
    }
}

static int schema_said(const quorum_doc *doc, qpos p) {
    for (size_t i = 0; i < doc->nschema_errors; i++)
        if (same_pos(doc->schema_errors[i], p)) return 1;
    return 0;
}

/* ---- dates ---------------------------------------------------------- */

static void check_dates(qcheck *C) {
    long meeting = 0;
    const char *meeting_s = NULL;
    qnode *mf = qdoc_field(C->doc, "meeting-date");
    if (mf) {
        const char *v = qdoc_attr(mf, "date");
        if (!v)
            qdiag_add(C->d, QUORUM_ERROR, mf->pos,
                      "the meeting-date field needs a date=\"YYYY-MM-DD\" "
                      "attribute");
        else if (qdate_parse(v, &meeting) == 0)
            meeting_s = v;
    }
    for (qnode *n = C->doc->root; n; n = qdoc_next(n, C->doc->root)) {
        const qattr *da = qdoc_attr_get(n, "date");
        long v = 0;
        if (da && qdate_parse(da->value, &v) != 0) {
            if (schema_said(C->doc, da->pos)) continue; /* said already */
            qdiag_add(C->d, QUORUM_ERROR, da->pos,
                      "date \"%s\" is not a valid ISO 8601 date (YYYY-MM-DD)",
                      da->value);
            continue;
        }
        if (n->type != QN_SIGN_OFF) continue;
        if (!da) {
            if (!C->doc->schema_checked)
                qdiag_add(C->d, QUORUM_ERROR, n->pos,
                          "<sign-off> needs a date=\"YYYY-MM-DD\" attribute");
            continue;
        }
        if (meeting_s && v > meeting)
            qdiag_add(C->d, QUORUM_ERROR, da->pos,
                      "sign-off dated %s, after the meeting on %s", da->value,
                      meeting_s);
    }
}

/* ---- implications and required text -------------------------------- */

static const char *font_dir_of(const qcheck *C) {
    return C->opt && C->opt->font_dir && *C->opt->font_dir ? C->opt->font_dir
                                                           : C->e->font_dir;
}

/* The style layout will use, NULL when it cannot be loaded (the build
 * says why; the check only notes what it could not check). */
static const qstyle *check_style(const qcheck *C) {
    quorum_diags *quiet = quorum_diags_new();
    const qstyle *s = qstyle_get(C->e, C->opt ? C->opt->style : NULL, font_dir_of(C), quiet);
    quorum_diags_free(quiet);
    return s;
}

static void check_implications(qcheck *C) {
    static const char *const need[] = {"financial", "legal", "risk",
                                       "equality"};
    /* a council whose template has no sign-offs says so in its style */
    const qstyle *style = check_style(C);
    int missing_ok = style && strcmp(style->sign_off_missing, "none") == 0;
    for (qnode *n = C->doc->root; n; n = qdoc_next(n, C->doc->root)) {
        if (n->type == QN_SIGN_OFF) {
            const qattr *nm = qdoc_attr_get(n, "name");
            if (nm && only_space(nm->value))
                qdiag_add(C->d, QUORUM_ERROR, nm->pos,
                          "the sign-off name is empty");
            else if (!nm && !qdoc_attr(n, "title"))
                qdiag_add(C->d, QUORUM_ERROR, n->pos,
                          "<sign-off> needs a name, or a title for the role alone "
                          "(\"Section 151 Officer\")");
        }
        if (n->type != QN_IMPLICATION) continue;
        const char *type = qdoc_attr(n, "type");
        if (!type) continue;
        qcheck_word(C->d, C->a, qdoc_attr_get(n, "type"),
                    "implication type (treated as other)", qdoc_implication_types,
                    qdoc_nimplication_types);
        int needed = 0;
        for (size_t i = 0; i < sizeof need / sizeof *need; i++)
            if (strcmp(type, need[i]) == 0) needed = 1;
        if (!needed || missing_ok) continue;
        if (!qdoc_first_child_of(n, QN_SIGN_OFF) &&
            !qdoc_first_child_of(n, QN_NOT_APPLICABLE))
            qdiag_add(C->d, QUORUM_WARNING, n->pos,
                      "%s implications have neither a <sign-off> nor "
                      "<not-applicable>", type);
    }
}

/* quorum prints its own words ("Page 2 of 5", dates, "Appendix 1") in
 * the report's language when it has them; in any other language they
 * print in English, which the author should hear of before publishing,
 * once, where the language is said. */
static void check_language(qcheck *C) {
    const qattr *l = qdoc_attr_get(C->doc->root, "xml:lang");
    if (!l) return;
    const qstyle *style = check_style(C);
    if (qw_known(style ? style->strings : NULL, l->value)) return;
    qdiag_add(C->d, QUORUM_WARNING, l->pos,
              "xml:lang=\"%s\": quorum has no words of its own in this language, so "
              "page numbers, dates and the other words it adds print in English (a "
              "house style can add them: <strings src=\"…\"/>, docs/style.md)", l->value);
}

static void check_title(qcheck *C) {
    if (C->doc->root->type != QN_REPORT) return;
    qnode *fs = qdoc_first_child_of(C->doc->root, QN_FRONT_SHEET);
    qnode *t = qdoc_field(C->doc, "title");
    if (!t) {
        qdiag_add(C->d, QUORUM_ERROR, fs ? fs->pos : C->doc->root->pos,
                  "the front sheet needs a <field role=\"title\"> (it is the "
                  "PDF title and the page footer)");
        return;
    }
    char *s = qdoc_text(C->a, t);
    if (only_space(s))
        qdiag_add(C->d, QUORUM_ERROR, t->pos, "the report title is empty");
}

/* ---- number order --------------------------------------------------- */

/* Compares dotted numbers "3.9" < "3.10"; letters compare as text. */
static int cmp_number(const char *a, const char *b) {
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
            if (x != y) return x < y ? -1 : 1;
            a = ea;
            b = eb;
        } else {
            if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return *a ? 1 : (*b ? -1 : 0);
}

static void order_one(qcheck *C, const qnode *n, const char **prev,
                      const char *what) {
    if (!n->number) return;
    const qattr *ex = qdoc_attr_get(n, "number");
    if (ex && *prev && cmp_number(n->number, *prev) <= 0)
        qdiag_add(C->d, QUORUM_WARNING, ex->pos,
                  "%s number %s %s %s", what, n->number,
                  cmp_number(n->number, *prev) == 0 ? "repeats" : "comes after",
                  *prev);
    *prev = n->number;
}

static void check_order_in(qcheck *C, const qnode *container) {
    const char *prev_sec = NULL;
    for (qnode *s = container->first; s; s = s->next) {
        if (s->type != QN_SECTION && s->type != QN_IMPLICATION &&
            s->type != QN_BACKGROUND_DOCS && s->type != QN_FORM)
            continue;
        order_one(C, s, &prev_sec, "section");
        const char *prev = NULL;
        for (qnode *c = s->first; c; c = c->next) {
            if (c->type == QN_PARA) order_one(C, c, &prev, "paragraph");
            if (c->type == QN_RECOMMENDATIONS)
                for (qnode *r = c->first; r; r = r->next)
                    if (r->type == QN_RECOMMENDATION)
                        order_one(C, r, &prev, "paragraph");
        }
    }
}

static void check_order(qcheck *C) {
    check_order_in(C, C->doc->root);
    qnode *apps = qdoc_first_child_of(C->doc->root, QN_APPENDICES);
    if (apps)
        for (qnode *ap = apps->first; ap; ap = ap->next)
            if (ap->type == QN_APPENDIX) check_order_in(C, ap);
}

/* ---- unknown elements ----------------------------------------------- */


static void check_unknown(qcheck *C) {
    qnode *n = C->doc->root;
    while (n) {
        if (n->type == QN_UNKNOWN) {
            const char *near = qdoc_nearest_element(n->name);
            if (!schema_said(C->doc, n->pos))
                qdiag_add(C->d, QUORUM_ERROR, n->pos, "unknown element <%s>%s%s%s",
                          n->name, near ? "; did you mean <" : "", near ? near : "",
                          near ? ">?" : "");
            /* its contents are not worth more messages */
            const qnode *x = n;
            n = NULL;
            while (x && x != C->doc->root) {
                if (x->next) { n = x->next; break; }
                x = x->parent;
            }
            continue;
        }
        n = qdoc_next(n, C->doc->root);
    }
}

/* ---- characters the fonts lack -------------------------------------- */

typedef struct qprint {
    qpos pos;
    int face;     /* qfont_face, besides regular */
    int is_attr;
} qprint;

static int cmp_print(const void *x, const void *y) {
    const qprint *a = x, *b = y;
    if (a->pos.file != b->pos.file) return a->pos.file < b->pos.file ? -1 : 1;
    if (a->pos.line != b->pos.line) return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col) return a->pos.col < b->pos.col ? -1 : 1;
    return a->face - b->face;
}

/* Walks the source bytes of one text run or attribute value, tracking the
 * position of every character, entities decoded. */
typedef struct qwalk {
    const unsigned char *b;
    size_t len, i;
    unsigned line, col;
} qwalk;

static void walk_skip(qwalk *w, size_t n) {
    for (size_t k = 0; k < n && w->i < w->len; k++, w->i++) {
        unsigned char c = w->b[w->i];
        if (c == '\n') { w->line++; w->col = 1; }
        else if ((c & 0xC0) != 0x80) w->col++;
    }
}

static size_t find(const qwalk *w, const char *s) {
    const char *p = strstr((const char *)w->b + w->i, s);
    return p ? (size_t)(p - (const char *)w->b) - w->i + strlen(s)
             : w->len - w->i;
}

/* Next character of content at w (entity decoded); 0 at the end (a tag or
 * the closing quote `q`). */
static int walk_next(qwalk *w, unsigned char q, uint32_t *cp, qpos *at,
                     unsigned file, int *cdata) {
    for (;;) {
        if (w->i >= w->len) return 0;
        const unsigned char *p = w->b + w->i;
        if (*cdata) {
            if (strncmp((const char *)p, "]]>", 3) == 0) {
                walk_skip(w, 3);
                *cdata = 0;
                continue;
            }
        } else if (q && *p == q) {
            return 0;
        } else if (*p == '<') {
            if (strncmp((const char *)p, "<!--", 4) == 0) {
                walk_skip(w, find(w, "-->"));
                continue;
            }
            if (strncmp((const char *)p, "<?", 2) == 0) {
                walk_skip(w, find(w, "?>"));
                continue;
            }
            if (strncmp((const char *)p, "<![CDATA[", 9) == 0) {
                walk_skip(w, 9);
                *cdata = 1;
                continue;
            }
            return 0;
        }
        at->file = file;
        at->line = w->line;
        at->col = w->col;
        if (!*cdata && *p == '&') {
            size_t n = 1;
            while (w->i + n < w->len && p[n] != ';' && n < 12) n++;
            *cp = '?';
            if (p[1] == '#') {
                *cp = p[2] == 'x' ? (uint32_t)strtoul((const char *)p + 3, NULL, 16)
                                  : (uint32_t)strtoul((const char *)p + 2, NULL, 10);
            } else if (!strncmp((const char *)p, "&amp;", 5)) *cp = '&';
            else if (!strncmp((const char *)p, "&lt;", 4)) *cp = '<';
            else if (!strncmp((const char *)p, "&gt;", 4)) *cp = '>';
            else if (!strncmp((const char *)p, "&quot;", 6)) *cp = '"';
            else if (!strncmp((const char *)p, "&apos;", 6)) *cp = '\'';
            walk_skip(w, n + 1);
            return 1;
        }
        int n = qutf8_decode((const char *)p, w->len - w->i, cp);
        walk_skip(w, n > 0 ? (size_t)n : 1);
        return 1;
    }
}


static int print_before(const qprint *a, const qprint *b) {
    return cmp_print(a, b) < 0;
}

/* Tree order is source order in long runs (generated nodes and grafted
 * appendices break it), so merging the runs that are already there
 * costs far less than a general sort.  Stable, like the merge sort glibc's
 * qsort used. */
static void sort_prints(qarena *a, qprint *v, size_t n) {
    size_t runs = 1;
    for (size_t i = 1; i < n; i++)
        if (print_before(&v[i], &v[i - 1])) runs++;
    if (runs == 1) return;
    qprint *tmp = qarena_alloc(a, n * sizeof *tmp);
    qprint *src = v, *dst = tmp;
    while (runs > 1) {
        runs = 0;
        size_t i = 0;
        while (i < n) {
            size_t m = i + 1; /* end of the first run */
            while (m < n && !print_before(&src[m], &src[m - 1])) m++;
            size_t e = m;      /* end of the second run */
            if (e < n) {
                e++;
                while (e < n && !print_before(&src[e], &src[e - 1])) e++;
            }
            size_t x = i, y = m, o = i;
            while (x < m && y < e)
                dst[o++] = print_before(&src[y], &src[x]) ? src[y++] : src[x++];
            while (x < m) dst[o++] = src[x++];
            while (y < e) dst[o++] = src[y++];
            runs++;
            i = e;
        }
        qprint *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

/* Attributes whose values are printed: label, name, title, caption,
 * text and, in meeting files, urgency, role, email, phone.  The first
 * letter picks the one name to compare (most attributes, id, href,
 * date..., fail on it). */
static int printed_attr(const char *name) {
    const char *is;
    switch (name[0]) {
    case 'l': is = "label"; break;
    case 'n': is = "name"; break;
    case 't': return strcmp(name, "title") == 0 || strcmp(name, "text") == 0;
    case 'c': is = "caption"; break;
    case 'u': is = "urgency"; break;
    case 'r': is = "role"; break;
    case 'e': is = "email"; break;
    case 'p': is = "phone"; break;
    default: return 0;
    }
    return strcmp(name, is) == 0;
}

/* Prints at the same place, in the same face and of the same kind walk
 * the same characters (the performance appendix's generated tables
 * repeat their cells' positions): only the first of each is kept, in
 * order, before the sort, which then has far fewer to order.  The walk
 * kept only the first of them anyway.  The count kept. */
static size_t dedupe_prints(qarena *a, qprint *v, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    uint32_t *slot = qarena_alloc(a, cap * sizeof *slot); /* index + 1; zeroed */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const qprint *p = &v[i];
        uint64_t h = ((uint64_t)p->pos.file * 0x9E3779B97F4A7C15u) ^
                     ((uint64_t)p->pos.line * 0xC2B2AE3D27D4EB4Fu) ^
                     ((uint64_t)p->pos.col * 0x165667B19E3779F9u) ^
                     (uint64_t)(p->face * 2 + p->is_attr);
        h ^= h >> 29;
        size_t k = (size_t)h & (cap - 1);
        int dup = 0;
        for (; slot[k]; k = (k + 1) & (cap - 1)) {
            const qprint *o = &v[slot[k] - 1];
            if (same_pos(o->pos, p->pos) && o->face == p->face &&
                o->is_attr == p->is_attr) {
                dup = 1;
                break;
            }
        }
        if (dup) continue;
        v[kept] = *p;
        slot[k] = (uint32_t)kept + 1;
        kept++;
    }
    return kept;
}

/* The fast path's step over eight bytes at once: 1 when none of them
 * stops it (a byte under 0x20 or from 0x7F up, '<', '&' or the quote q),
 * for a face that covers every other ASCII character.  Word-at-a-time
 * tests: a byte under n, a byte equal to c. */
#define ONES ((uint64_t)0x0101010101010101u)
#define HIGHS ((uint64_t)0x8080808080808080u)
static inline uint64_t byte_under(uint64_t x, unsigned n) {
    return (x - ONES * n) & ~x & HIGHS;
}
static inline uint64_t byte_is(uint64_t x, unsigned c) {
    return byte_under(x ^ (ONES * c), 1);
}
static inline int plain8(const unsigned char *p, unsigned q) {
    uint64_t x;
    memcpy(&x, p, 8);
    return !((x & HIGHS) | byte_under(x, 0x20) | byte_is(x, '<') |
             byte_is(x, '&') | byte_is(x, 0x7F) | (q ? byte_is(x, q) : 0));
}

/* The faces of the style in use, read through the engine's font cache
 * (each file is read once per engine; a pack checks dozens of reports).
 * NULL when the style cannot be loaded: layout says why (with the
 * positions in the style file); the check only notes it. */
static qfonts *style_fonts(qcheck *C, const qstyle **style) {
    const char *name = C->opt ? C->opt->style : NULL;
    const char *dir = font_dir_of(C);
    *style = check_style(C);
    if (!*style) {
        qdiag_add(C->d, QUORUM_NOTE, (qpos){0, 0, 0},
                  "characters not checked against the fonts: the style "
                  "\"%s\" cannot be loaded", name);
        return NULL;
    }
    qfonts *fonts = qfonts_new(C->e->fonts, dir);
    qfonts_measure_only(fonts); /* coverage needs no outlines */
    for (int i = 0; i < QF__COUNT; i++)
        if ((*style)->font[i]) qfonts_set_path(fonts, (qfont_face)i, (*style)->font[i]);
    return fonts;
}

static void check_chars(qcheck *C) {
    const qstyle *style = NULL;
    qfonts *fonts = style_fonts(C, &style);
    if (!fonts) return;
    qvec v;
    qvec_init(&v, sizeof(qprint));
    for (qnode *n = C->doc->root; n; n = qdoc_next(n, C->doc->root)) {
        if (n->type == QN_TEXT && n->pos.line) {
            qprint *p = qvec_push(C->a, &v);
            p->pos = n->pos;
            p->face = qstyle_face_of(style, n);
            continue;
        }
        for (qattr *a = n->attrs; a; a = a->next) {
            if (!a->pos.line || !printed_attr(a->name)) continue;
            qprint *p = qvec_push(C->a, &v);
            p->pos = a->pos;
            p->face = qstyle_attr_face_of(style, n, a->name);
            p->is_attr = 1;
        }
    }
    if (v.len == 0) {
        qfonts_free(fonts);
        return;
    }
    v.len = dedupe_prints(C->a, v.data, v.len);
    sort_prints(C->a, v.data, v.len);
    /* A font that cannot be read is an I/O failure, which layout reports
     * (exit 3); here it only means the characters go unchecked, so it is
     * not made an error that would pass for invalid input (exit 1). */
    qfont *reg = qfonts_face(fonts, QF_REGULAR, NULL);
    if (!reg) {
        qpos none = {0, 0, 0};
        qdiag_add(C->d, QUORUM_NOTE, none,
                  "characters not checked against the fonts: cannot open the "
                  "regular font in %s", C->opt && C->opt->font_dir && *C->opt->font_dir
                                          ? C->opt->font_dir : C->e->font_dir);
    }
    /* ASCII coverage of regular + each face, so that most characters cost
     * one table lookup instead of a decode and two width lookups. */
    /* Per face, what the fast path may step over: 1 a covered ASCII
     * character (or CR/tab, never checked), 2 a line feed, 0 anything
     * else (markup, entities, non-ASCII, missing glyphs). */
    unsigned char ascii_ok[QF__COUNT][256];
    int ascii_ready[QF__COUNT] = {0};
    /* the face covers every ASCII character but the markup's '<' and
     * '&' (and DEL): the fast path may take eight bytes at a time */
    int ascii_all[QF__COUNT] = {0};
    int reported = 0;
    /* Entries are in reading order: step from the previous one on the same
     * line instead of counting from the line start (minified files are
     * one long line). */
    struct { unsigned file, line, col; size_t off; } cur = {0, 0, 0, 0};
    for (size_t i = 0; reg && i < v.len; i++) {
        qprint *pr = &QVEC_AT(&v, qprint, i);
        if (i > 0) {
            qprint *pv = &QVEC_AT(&v, qprint, i - 1);
            if (same_pos(pv->pos, pr->pos) && pv->face == pr->face) continue;
        }
        const char *bytes;
        size_t len, off;
        if (cur.file == pr->pos.file && cur.line == pr->pos.line &&
            cur.col <= pr->pos.col) {
            qdoc_source_offset(C->doc, (qpos){pr->pos.file, 1, 1}, &bytes,
                               &len);
            off = cur.off;
            for (unsigned c = cur.col; c < pr->pos.col && off < len; c++) {
                off++;
                while (off < len && ((unsigned char)bytes[off] & 0xC0) == 0x80)
                    off++;
            }
        } else {
            off = qdoc_source_offset(C->doc, pr->pos, &bytes, &len);
        }
        if (!bytes) continue;
        cur.file = pr->pos.file;
        cur.line = pr->pos.line;
        cur.col = pr->pos.col;
        cur.off = off;
        qwalk w = {(const unsigned char *)bytes, len, off, pr->pos.line,
                   pr->pos.col};
        unsigned char q = 0;
        if (pr->is_attr) {
            while (w.i < w.len && w.b[w.i] != '"' && w.b[w.i] != '\'')
                walk_skip(&w, 1);
            if (w.i >= w.len) continue;
            q = w.b[w.i];
            walk_skip(&w, 1);
        }
        qfont *face = pr->face != QF_REGULAR
                          ? qfonts_face(fonts, (qfont_face)pr->face, NULL) : NULL;
        uint32_t cp;
        qpos at;
        int cdata = 0;
        unsigned char *ok = ascii_ok[pr->face];
        if (!ascii_ready[pr->face]) {
            memset(ok, 0, 256);
            for (unsigned c = 0x20; c < 0x80; c++)
                ok[c] = qfont_has(face ? face : reg, c);
            ok['<'] = ok['&'] = 0;
            ok['\r'] = ok['\t'] = 1;
            ok['\n'] = 2;
            ascii_ready[pr->face] = 1;
            ascii_all[pr->face] = 1;
            for (unsigned c = 0x20; c < 0x7F; c++)
                if (c != '<' && c != '&' && !ok[c]) ascii_all[pr->face] = 0;
        }
        int wide = ascii_all[pr->face];
        unsigned char attr_ok[256];
        if (q) {
            memcpy(attr_ok, ok, sizeof attr_ok);
            attr_ok[q] = 0;
            ok = attr_ok;
        }
        for (;;) {
            /* Fast path outside CDATA; the rest go through walk_next. */
            if (!cdata) {
                /* a run of covered ASCII moves the column by its length */
                for (;;) {
                    size_t from = w.i;
                    if (wide)
                        while (w.i + 8 <= w.len && plain8(w.b + w.i, q)) w.i += 8;
                    while (w.i < w.len && ok[w.b[w.i]] == 1) w.i++;
                    w.col += (unsigned)(w.i - from);
                    if (w.i >= w.len || ok[w.b[w.i]] != 2) break;
                    w.i++;
                    w.line++;
                    w.col = 1;
                }
            }
            if (!walk_next(&w, q, &cp, &at, pr->pos.file, &cdata)) break;
            if (cp == '\n' || cp == '\r' || cp == '\t') continue;
            /* the face that draws it is the one that must have it */
            const qfont *draw = face ? face : reg;
            if (qfont_has(draw, cp)) continue;
            const qfont *miss = draw;
            if (++reported > QCHECK_MAX_FONT_ERRORS) break;
            char ch[8] = {0};
            if (cp < 0x80) ch[0] = (char)cp;
            else if (cp < 0x800) {
                ch[0] = (char)(0xC0 | (cp >> 6));
                ch[1] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                ch[0] = (char)(0xE0 | (cp >> 12));
                ch[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                ch[2] = (char)(0x80 | (cp & 0x3F));
            } else {
                ch[0] = (char)(0xF0 | (cp >> 18));
                ch[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                ch[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                ch[3] = (char)(0x80 | (cp & 0x3F));
            }
            if (cp < 0x20) ch[0] = '?';
            qdiag_add(C->d, QUORUM_ERROR, at,
                      "character '%s' (U+%04X) is not in the font %s", ch,
                      (unsigned)cp, base_name(miss->path));
        }
    }
    if (reported > QCHECK_MAX_FONT_ERRORS) {
        qpos none = {0, 0, 0};
        qdiag_add(C->d, QUORUM_NOTE, none,
                  "more characters are missing from the fonts; only the "
                  "first %d are listed", QCHECK_MAX_FONT_ERRORS);
    }
    qfonts_free(fonts);
}

/* ---- images --------------------------------------------------------- */

static void check_images(qcheck *C) {
    for (qnode *n = C->doc->root; n; n = qdoc_next(n, C->doc->root)) {
        if (n->type != QN_IMAGE) continue;
        const qattr *src = qdoc_attr_get(n, "src");
        if (!src || !*src->value) continue; /* the schema says it */
        /* Relative to the report (format.md): an absolute path or URL
         * would make the output depend on the machine or the network. */
        if (src->value[0] == '/' || strstr(src->value, "://")) {
            qdiag_add(C->d, QUORUM_ERROR, src->pos,
                      "image src '%s' must be a path relative to the report",
                      src->value);
            continue;
        }
        /* read and decoded once by the loader, from the file or the
         * caller's resolver */
        const struct qdoc_image *im = qdoc_image_find(C->doc, src->value);
        if (im && !im->err) {
            if (!im->img)
                qimage_diag(C->d, src->pos, src->value, &im->why,
                            C->e->limits.pixels);
            continue;
        }
        if (im && im->err == EFBIG)
            qimage_diag_bytes(C->d, src->pos, src->value, C->e->limits.image_bytes);
        else
            qdiag_add(C->d, QUORUM_ERROR, src->pos, "cannot read image '%s'",
                      src->value);
    }
}

void qcheck_common(const quorum_engine *e, const quorum_doc *doc,
                   const quorum_options *opt, quorum_diags *d) {
    if (!doc || !doc->root) return;
    qcheck C = {.doc = doc, .e = e, .opt = opt, .d = d, .a = qarena_new(0)};
    check_unknown(&C);
    check_ids(&C);
    check_chars(&C);
    qcheck_bounds(doc, d);
    qarena_free(C.a);
}

size_t quorum_doc_check(const quorum_engine *e, const quorum_doc *doc,
                        const quorum_options *opt, quorum_diags *d) {
    if (!doc || !doc->root) return 0;
    if (!e) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "check: no engine");
        return 1;
    }
    if (doc->root->type == QN_MEETING)
        return qmeeting_check(e, doc, opt, e->holidays_path, d);
    size_t before = quorum_diags_count_severity(d, QUORUM_ERROR);
    qcheck C = {.doc = doc, .e = e, .opt = opt, .d = d, .a = qarena_new(0)};
    check_unknown(&C);
    check_ids(&C);
    check_refs(&C);
    check_dates(&C);
    check_implications(&C);
    check_title(&C);
    check_language(&C);
    qcheck_front(doc, C.a, d);
    check_order(&C);
    check_images(&C);
    check_chars(&C);
    qcheck_bounds(doc, d);
    qcheck_values(doc, d);
    qperf_check(doc, d);
    qarena_free(C.a);
    return quorum_diags_count_severity(d, QUORUM_ERROR) - before;
}
