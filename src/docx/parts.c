/* The package's other parts as tables the body walk looks things up in:
 * relationships (hyperlinks, images), paragraph styles and what they stand
 * for, numbering levels, footnotes; and a council's mapping file. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx.h"
#include "load.h"

/* ---- the growing string ------------------------------------------------ */

void dxs_escape(qstr *b, const char *s, size_t n) {
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *r = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;"
                        : s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" : NULL;
        /* C0 controls are not XML characters: Word keeps none in text, a
         * damaged or hostile part might */
        if (!r && (unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
            r = "";
        if (!r) continue;
        qstr_put(b, s + from, i - from);
        qstr_puts(b, r);
        from = i + 1;
    }
    qstr_put(b, s + from, n - from);
}

/* ---- generic tree look-ups ----------------------------------------------- */

static int is_el(const qnode *n, const char *name) {
    return n->type != QN_TEXT && strcmp(n->name, name) == 0;
}

const qnode *dx_child(const qnode *n, const char *name) {
    for (const qnode *c = n ? n->first : NULL; c; c = c->next)
        if (is_el(c, name)) return c;
    return NULL;
}

const qnode *dx_next(const qnode *c, const char *name) {
    for (c = c->next; c; c = c->next)
        if (is_el(c, name)) return c;
    return NULL;
}

const char *dx_attr(const qnode *n, const char *name) {
    const qattr *a = n ? qdoc_attr_get(n, name) : NULL;
    return a ? a->value : NULL;
}

const char *dx_child_val(const qnode *n, const char *name) {
    const qnode *c = dx_child(n, name);
    if (!c) return NULL;
    const char *v = dx_attr(c, "val");
    return v ? v : "";
}

int dx_toggle(const qnode *n, const char *name) {
    const char *v = dx_child_val(n, name);
    return v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 &&
           strcmp(v, "off") != 0 && strcmp(v, "none") != 0;
}

/* ---- diagnostics --------------------------------------------------------- */

void dx_diag(dxctx *c, quorum_severity sev, const char *fmt, ...) {
    char where[400];
    int n = c->table
        ? snprintf(where, sizeof where, "%s: table %u, row %u, cell %u", c->name,
                   c->table, c->row, c->cell)
        : snprintf(where, sizeof where, "%s: paragraph %u", c->name, c->para);
    if (c->under && n > 0 && (size_t)n < sizeof where)
        snprintf(where + n, sizeof where - (size_t)n, ", under \"%.200s\"", c->under);
    va_list ap;
    va_start(ap, fmt);
    char *msg = qarena_vprintf(c->a, fmt, ap);
    va_end(ap);
    qpos at = {qdiag_file(c->d, where), 0, 0};
    qdiag_add(c->d, sev, at, "%s", msg);
}

/* ---- styles ---------------------------------------------------------------- */

/* Word's built-in names and their translations in the languages councils'
 * copies of Word are set to (Welsh, and what a supplier's template was
 * made in); compared without case (ASCII case: a name that starts
 * with a capital beyond ASCII is listed as Word writes it too). */
static const struct { const char *name; dxrole role; } word_names[] = {
    {"title", DX_TITLE}, {"teitl", DX_TITLE}, {"titel", DX_TITLE},
    {"titre", DX_TITLE}, {"titolo", DX_TITLE}, {"título", DX_TITLE},
    {"list bullet", DX_LIST_BULLET}, {"list number", DX_LIST_NUMBER},
    {"list paragraph", DX_BODY},
};
static const char *const heading_words[] = {
    "heading ", "pennawd ", "überschrift ", "Überschrift ", "titre ", "kop ", "titolo ",
    "título ", "rubrik ", "overskrift ", "otsikko ", "nagłówek ",
};

dxrole dx_role_of_name(const dxctx *c, const char *name) {
    if (!name) return DX_BODY;
    for (size_t i = 0; c->map && i < c->map->nstyles; i++)
        if (strcasecmp(c->map->styles[i].name, name) == 0) return c->map->styles[i].role;
    for (size_t i = 0; i < sizeof word_names / sizeof *word_names; i++)
        if (strcasecmp(word_names[i].name, name) == 0) return word_names[i].role;
    for (size_t i = 0; i < sizeof heading_words / sizeof *heading_words; i++) {
        size_t k = strlen(heading_words[i]);
        if (strncasecmp(name, heading_words[i], k) == 0 && name[k] >= '1' &&
            name[k] <= '9' && !name[k + 1])
            return name[k] == '1' ? DX_H1 : name[k] == '2' ? DX_H2 : DX_H3;
    }
    return DX_BODY;
}

const dxstyle *dx_style(const dxctx *c, const char *id) {
    for (size_t i = 0; id && i < c->nstyles; i++)
        if (strcmp(c->styles[i].id, id) == 0) return &c->styles[i];
    return NULL;
}

int dx_read_styles(dxctx *c, const quorum_doc *styles) {
    const qnode *root = styles ? styles->root : NULL;
    size_t n = 0;
    for (const qnode *s = dx_child(root, "style"); s; s = dx_next(s, "style")) n++;
    c->styles = qarena_alloc(c->a, (n + 1) * sizeof *c->styles);
    const char **based = qarena_alloc(c->a, (n + 1) * sizeof *based);
    for (const qnode *s = dx_child(root, "style"); s; s = dx_next(s, "style")) {
        const char *type = dx_attr(s, "type"), *id = dx_attr(s, "styleId");
        if (!id || (type && strcmp(type, "paragraph") != 0)) continue;
        dxstyle *st = &c->styles[c->nstyles];
        st->id = id;
        st->name = dx_child_val(s, "name");
        st->role = dx_role_of_name(c, st->name);
        /* Word's deeper list styles are their own lists, one level each */
        const char *nm = st->name ? st->name : "";
        size_t k = strncasecmp(nm, "list bullet ", 12) == 0 ? 12
                   : strncasecmp(nm, "list number ", 12) == 0 ? 12 : 0;
        if (k && nm[k] >= '2' && nm[k] <= '9' && !nm[k + 1]) {
            st->role = nm[5] == 'b' || nm[5] == 'B' ? DX_LIST_BULLET : DX_LIST_NUMBER;
            st->ilvl = nm[k] - '1';
        }
        const qnode *ppr = dx_child(s, "pPr");
        const char *ol = dx_child_val(ppr, "outlineLvl");
        if (st->role == DX_BODY && ol && ol[0] >= '0' && ol[0] <= '2' && !ol[1])
            st->role = ol[0] == '0' ? DX_H1 : ol[0] == '1' ? DX_H2 : DX_H3;
        st->num_id = dx_child_val(dx_child(ppr, "numPr"), "numId");
        based[c->nstyles++] = dx_child_val(s, "basedOn");
    }
    /* a style based on a heading is one (a council's "Report Heading 1"),
     * however long the chain; a cycle ends at the bound */
    for (size_t i = 0; i < c->nstyles; i++) {
        const char *b = based[i];
        for (int hop = 0; c->styles[i].role == DX_BODY && b && hop < 16; hop++) {
            const dxstyle *p = dx_style(c, b);
            if (!p) break;
            if (p->role != DX_BODY && p->role != DX_LIST_NUMBER &&
                p->role != DX_LIST_BULLET) c->styles[i].role = p->role;
            b = based[p - c->styles];
        }
    }
    return 0;
}

/* ---- numbering --------------------------------------------------------------- */

void dx_read_numbering(dxctx *c, const quorum_doc *numbering) {
    const qnode *root = numbering ? numbering->root : NULL;
    size_t n = 0;
    for (const qnode *s = dx_child(root, "num"); s; s = dx_next(s, "num")) n++;
    c->nums = qarena_alloc(c->a, (n + 1) * sizeof *c->nums);
    for (const qnode *s = dx_child(root, "num"); s; s = dx_next(s, "num")) {
        const char *abs = dx_child_val(s, "abstractNumId");
        const qnode *an = NULL;
        for (an = dx_child(root, "abstractNum"); an; an = dx_next(an, "abstractNum")) {
            const char *id = dx_attr(an, "abstractNumId");
            if (abs && id && strcmp(abs, id) == 0) break;
        }
        dxnum *num = &c->nums[c->nnums++];
        num->id = dx_attr(s, "numId");
        for (const qnode *l = dx_child(an, "lvl"); l; l = dx_next(l, "lvl")) {
            const char *il = dx_attr(l, "ilvl");
            if (!il || il[0] < '0' || il[0] > '8' || il[1]) continue;
            num->lvl[il[0] - '0'].fmt = dx_child_val(l, "numFmt");
            num->lvl[il[0] - '0'].text = dx_child_val(l, "lvlText");
        }
    }
}

const dxlevel *dx_level(const dxctx *c, const char *num_id, int ilvl) {
    if (!num_id || ilvl < 0 || ilvl > 8) return NULL;
    for (size_t i = 0; i < c->nnums; i++)
        if (c->nums[i].id && strcmp(c->nums[i].id, num_id) == 0)
            return c->nums[i].lvl[ilvl].fmt ? &c->nums[i].lvl[ilvl] : NULL;
    return NULL;
}

/* ---- relationships ------------------------------------------------------------- */

/* target resolved against the folder dir ("word/"): a part name, or NULL
 * when it climbs out of the package. */
static const char *resolve(qarena *a, const char *dir, const char *target) {
    char *buf = qarena_printf(a, "%s%s", target[0] == '/' ? "" : dir,
                              target[0] == '/' ? target + 1 : target);
    char *out = qarena_alloc(a, strlen(buf) + 1);
    size_t n = 0;
    for (char *seg = buf; *seg;) {
        char *e = strchr(seg, '/');
        size_t k = e ? (size_t)(e - seg) : strlen(seg);
        if (k == 2 && seg[0] == '.' && seg[1] == '.') {
            if (n == 0) return NULL;
            while (n > 0 && out[n - 1] != '/') n--;
            if (n > 0) n--; /* the slash before the dropped segment */
            while (n > 0 && out[n - 1] != '/') n--;
        } else if (k && !(k == 1 && seg[0] == '.')) {
            memcpy(out + n, seg, k);
            n += k;
            if (e) out[n++] = '/';
        }
        seg += k + (e != NULL);
    }
    out[n] = '\0';
    return strchr(out, '\\') ? NULL : out;
}

int dx_read_rels(dxctx *c, const quorum_doc *rels, const char *dir) {
    const qnode *root = rels ? rels->root : NULL;
    size_t n = 0;
    for (const qnode *s = dx_child(root, "Relationship"); s;
         s = dx_next(s, "Relationship")) n++;
    c->rels = qarena_alloc(c->a, (n + 1) * sizeof *c->rels);
    for (const qnode *s = dx_child(root, "Relationship"); s;
         s = dx_next(s, "Relationship")) {
        dxrel *r = &c->rels[c->nrels];
        r->id = dx_attr(s, "Id");
        const char *type = dx_attr(s, "Type");
        const char *slash = type ? strrchr(type, '/') : NULL;
        r->type = slash ? slash + 1 : type ? type : "";
        r->target = dx_attr(s, "Target");
        const char *mode = dx_attr(s, "TargetMode");
        r->external = mode && strcmp(mode, "External") == 0;
        if (!r->id || !r->target) continue;
        if (!r->external) {
            /* a part name: one that climbs out of the package is refused,
             * not followed */
            const char *t = resolve(c->a, dir, r->target);
            if (!t) {
                qpos at = {qdiag_file(c->d, c->name), 0, 0};
                qdiag_add(c->d, QUORUM_ERROR, at,
                          "refused: relationship %s points outside the package (\"%s\")",
                          r->id, r->target);
                return -1;
            }
            r->target = t;
        }
        c->nrels++;
    }
    return 0;
}

const dxrel *dx_rel(const dxctx *c, const char *id) {
    for (size_t i = 0; id && i < c->nrels; i++)
        if (strcmp(c->rels[i].id, id) == 0) return &c->rels[i];
    return NULL;
}

/* ---- footnotes --------------------------------------------------------------------- */

void dx_read_notes(dxctx *c, const quorum_doc *footnotes) {
    const qnode *root = footnotes ? footnotes->root : NULL;
    size_t n = 0;
    for (const qnode *s = dx_child(root, "footnote"); s; s = dx_next(s, "footnote")) n++;
    c->notes = qarena_alloc(c->a, (n + 1) * sizeof *c->notes);
    for (const qnode *s = dx_child(root, "footnote"); s; s = dx_next(s, "footnote")) {
        const char *id = dx_attr(s, "id");
        if (id) c->notes[c->nnotes++] = (dxnote){id, s};
    }
}

const qnode *dx_note(const dxctx *c, const char *id) {
    for (size_t i = 0; id && i < c->nnotes; i++)
        if (strcmp(c->notes[i].id, id) == 0) return c->notes[i].node;
    return NULL;
}

/* ---- the mapping file ------------------------------------------------------------------ */

#define DX_MAPPING_NS "urn:quorum:import-mapping:1"

static const struct { const char *as; dxrole role; } map_roles[] = {
    {"title", DX_TITLE}, {"heading-1", DX_H1}, {"heading-2", DX_H2},
    {"heading-3", DX_H3}, {"bullet", DX_LIST_BULLET}, {"number", DX_LIST_NUMBER},
    {"body", DX_BODY},
};

/* What the schema (schema/quorum-import-mapping-1.xsd) refuses and the
 * entries' own checks below do not look for: text between the entries,
 * and attributes other than word with as (style) or role (label).  1
 * after an error. */
static int mapping_stray(const qnode *s, quorum_diags *d) {
    if (s->type == QN_TEXT) {
        for (size_t i = 0; i < s->text_len; i++)
            if (!strchr(" \t\r\n", s->text[i])) {
                qdiag_add(d, QUORUM_ERROR, s->pos,
                          "text in a mapping file: it holds only <style> and "
                          "<label> entries");
                return 1;
            }
        return 0;
    }
    int style = strcmp(s->name, "style") == 0;
    if (!style && strcmp(s->name, "label") != 0) return 0; /* said below */
    const char *second = style ? "as" : "role";
    int bad = 0;
    for (const qattr *a = s->attrs; a; a = a->next) {
        if (strcmp(a->name, "word") == 0 || strcmp(a->name, second) == 0) continue;
        qdiag_add(d, QUORUM_ERROR, a->pos,
                  "%s= is not an attribute of <%s>: it takes word and %s",
                  a->name, s->name, second);
        bad = 1;
    }
    return bad;
}

int dx_mapping_load(dxmapping *m, const char *path, quorum_diags *d) {
    *m = (dxmapping){0};
    m->doc = qload_xml_file(path, "import-mapping", DX_MAPPING_NS, d);
    if (!m->doc) return -1;
    qarena *a = m->doc->arena;
    size_t n = 0;
    for (const qnode *s = m->doc->root->first; s; s = s->next) n++;
    m->styles = qarena_alloc(a, (n + 1) * sizeof *m->styles);
    m->labels = qarena_alloc(a, (n + 1) * sizeof *m->labels);
    int bad = 0;
    for (const qnode *s = m->doc->root->first; s; s = s->next) {
        if (mapping_stray(s, d)) bad = 1;
        if (s->type == QN_TEXT) continue;
        const char *word = dx_attr(s, "word");
        if (strcmp(s->name, "style") == 0 && word && dx_attr(s, "as")) {
            const char *as = dx_attr(s, "as");
            size_t k = 0;
            while (k < sizeof map_roles / sizeof *map_roles &&
                   strcmp(map_roles[k].as, as) != 0) k++;
            if (k == sizeof map_roles / sizeof *map_roles) {
                qdiag_add(d, QUORUM_ERROR, qdoc_attr_get(s, "as")->pos,
                          "as=\"%s\": want title, heading-1, heading-2, heading-3, "
                          "bullet, number or body", as);
                bad = 1;
                continue;
            }
            m->styles[m->nstyles++] = (dxmap_style){word, map_roles[k].role};
        } else if (strcmp(s->name, "label") == 0 && word && dx_attr(s, "role")) {
            m->labels[m->nlabels++] = (dxmap_label){word, dx_attr(s, "role")};
        } else {
            qdiag_add(d, QUORUM_ERROR, s->pos,
                      "want <style word=\"…\" as=\"…\"/> or <label word=\"…\" "
                      "role=\"…\"/>, not <%s>", s->name);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

void dx_mapping_free(dxmapping *m) {
    quorum_doc_free(m->doc);
    *m = (dxmapping){0};
}

size_t dx_typed_number(const char *t, unsigned *major, unsigned *minor) {
    const char *p = t;
    unsigned a = 0, b = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p) && digits < 3) a = a * 10 + (unsigned)(*p++ - '0'), digits++;
    if (!digits || a == 0) return 0;
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        p++;
        digits = 0;
        while (isdigit((unsigned char)*p) && digits < 3) b = b * 10 + (unsigned)(*p++ - '0'), digits++;
        if (isdigit((unsigned char)*p)) return 0;
        if (*p == '.') p++;
    } else if (*p == '.') {
        p++;
    }
    /* a number, then a space or tab: "3.2 Text", "3. Text", "3 Text";
     * "2025 budget" is text (a year is four digits, over the bound) */
    if (*p != ' ' && *p != '\t') return 0;
    while (*p == ' ' || *p == '\t') p++;
    *major = a;
    *minor = b;
    return (size_t)(p - t);
}
