/* Blocks to the report: what a council's Word paper is made of, found by
 * style and by the words authors use.  The front sheet is the label/value
 * table before the first Heading 1; each Heading 1 opens a section, an
 * implication (its heading says "Implications", or "Risks") or the
 * background documents; inside, numbered paragraphs (Word's numbering or
 * typed "3.2"), lists, recommendations after "... is recommended to:",
 * and "Implications verified by NAME, TITLE, DATE" sign-offs. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx.h"

/* ---- dates ------------------------------------------------------------- */

static const char *const months[] = {"january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december"};

/* "29 January 2025", "Wednesday, 29th Jan 2025", "29/01/2025", "2025-01-29"
 * (then text after it is allowed: "8 January 2025."): 0 and iso filled,
 * or -1. */
static int parse_date(const char *s, char iso[11]) {
    while (*s == ' ') s++;
    int y = 0, m = 0, d = 0;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 ||
        (sscanf(s, "%2d/%2d/%4d", &d, &m, &y) == 3 && y > 999)) {
        /* parsed */
    } else {
        /* skip a weekday: a word and a comma */
        const char *c = s;
        while (isalpha((unsigned char)*c)) c++;
        if (c > s && *c == ',') s = c + 1;
        while (*s == ' ') s++;
        char mon[16] = "";
        int used = 0;
        if (sscanf(s, "%2d%*[a-z] %15[A-Za-z] %4d%n", &d, mon, &y, &used) < 3 &&
            sscanf(s, "%2d %15[A-Za-z] %4d%n", &d, mon, &y, &used) < 3)
            return -1;
        size_t ml = strlen(mon);
        for (int i = 0; i < 12 && !m; i++)
            if (ml >= 3 && strncasecmp(months[i], mon, ml) == 0) m = i + 1;
    }
    snprintf(iso, 11, "%04d-%02d-%02d", y, m, d);
    return qdate_parse_ymd(iso, &y, &m, &d) == 0 ? 0 : -1;
}

/* ---- text helpers --------------------------------------------------------- */

static const char *trimmed(dxctx *c, const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return qarena_strndup(c->a, s, n);
}

static int ends_with_ci(const char *s, const char *tail) {
    size_t n = strlen(s), k = strlen(tail);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return n >= k && strncasecmp(s + n - k, tail, k) == 0;
}

static int contains_ci(const char *s, const char *word) {
    size_t k = strlen(word);
    for (; *s; s++)
        if (strncasecmp(s, word, k) == 0) return 1;
    return 0;
}

/* xml with its first `skip` bytes of text left out (a typed number, which
 * is digits, dots and blanks: no entity), its markup kept. */
static void put_skipping(qstr *out, const char *xml, size_t skip) {
    const char *p = xml;
    while (*p) {
        const char *e = *p == '<' ? strchr(p, '>') : strchr(p, '<');
        size_t n = *p == '<' ? (e ? (size_t)(e - p) + 1 : strlen(p))
                             : (e ? (size_t)(e - p) : strlen(p));
        if (*p != '<' && skip) {
            size_t k = skip < n ? skip : n;
            skip -= k;
            p += k;
            n -= k;
        }
        qstr_put(out, p, n);
        p += n;
    }
}

/* A paragraph that holds only an image (or a footnote's text) prints no
 * text of its own. */
static int blank_xml(const char *xml) {
    for (; *xml; xml++)
        if (*xml != ' ') return 0;
    return 1;
}

/* ---- the state of the walk -------------------------------------------------- */

typedef struct rep {
    dxctx *c;
    dxblock *b;
    size_t n, i;
    qstr *out;
    unsigned section;     /* the number of the last numbered section */
    unsigned para;        /* numbered paragraphs in it so far */
    int numbered;         /* its paragraphs are numbered */
    int typed;            /* some Heading 1 types its number ("3. …"): one
                             that does not is an unnumbered section */
    enum { K_SECTION, K_IMPLICATION, K_BACKGROUND } kind;
} rep;

static void put_block_extras(rep *r, const dxblock *b) {
    dxctx *c = r->c;
    for (size_t k = 0; k < b->nimg; k++) {
        const struct dximage *im = &c->images[b->img_first + k];
        qstr_puts(r->out, "    <image src=\"");
        dxs_escape(r->out, im->file, strlen(im->file));
        qstr_puts(r->out, "\" alt=\"");
        dxs_escape(r->out, im->alt, strlen(im->alt));
        qstr_puts(r->out, "\"/>\n");
    }
    /* footnotes: the format has none; each follows its paragraph */
    for (const char *s = b->notes; *s;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        qstr_printf(r->out, "    <p%s>", r->numbered ? " numbered=\"false\"" : "");
        qstr_put(r->out, s, len);
        qstr_puts(r->out, "</p>\n");
        s += len + (e != NULL);
    }
}

static int is_heading(dxrole role) {
    return role == DX_H1 || role == DX_TITLE;
}

/* A typed paragraph number of this section ("3.2 "): bytes to skip. */
static size_t typed_para(const char *text, unsigned *major, unsigned *minor) {
    size_t k = dx_typed_number(text, major, minor);
    return k && *minor ? k : 0;
}

static void put_para(rep *r, const dxblock *b, const char *tag) {
    unsigned maj = 0, min = 0;
    size_t skip = typed_para(b->text, &maj, &min);
    int numbered = b->list == 3 || skip;
    qstr_printf(r->out, "    <%s", tag);
    if (strcmp(tag, "p") == 0 && r->numbered && !numbered)
        qstr_puts(r->out, " numbered=\"false\"");
    if (numbered && strcmp(tag, "p") == 0) {
        r->para++;
        if (skip && (maj != r->section || min != r->para)) {
            qstr_printf(r->out, " number=\"%u.%u\"", maj, min);
            r->para = min;
        }
    } else if (numbered) {
        r->para++;
    }
    qstr_puts(r->out, ">");
    put_skipping(r->out, b->xml, skip);
    qstr_printf(r->out, "</%s>\n", tag);
}

/* ---- lists -------------------------------------------------------------------- */

static int is_item(const dxblock *b) {
    return b->kind == DXB_PARA && (b->list == 1 || b->list == 2) && !is_heading(b->role) &&
           b->role != DX_H2 && b->role != DX_H3;
}

/* n in a list's own style: "c", "iv", "C" (0 for decimal). */
static void marker(char *buf, size_t len, const char *fmt, unsigned n) {
    static const char *const ones[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii",
                                       "viii", "ix"};
    static const char *const tens[] = {"", "x", "xx", "xxx", "xl", "l", "lx", "lxx",
                                       "lxxx", "xc"};
    int upper = fmt[0] == 'u';
    if (strstr(fmt, "Letter") && n >= 1 && n <= 26)
        snprintf(buf, len, "%c", (upper ? 'A' : 'a') + (int)n - 1);
    else if (strstr(fmt, "Roman") && n >= 1 && n < 100)
        snprintf(buf, len, "%s%s", tens[n / 10], ones[n % 10]);
    else
        snprintf(buf, len, "%u", n);
    for (char *p = buf; upper && *p; p++) *p = (char)toupper((unsigned char)*p);
}

/* An item; an ordered one whose Word numbering is not plain "1." keeps
 * its marker ("(a)", "iv.") as its label. */
static void put_item(qstr *out, const dxblock *b, unsigned n) {
    const dxlevel *l = b->lvl;
    if (b->list == 2 && l && l->text && l->fmt &&
        !(strcmp(l->fmt, "decimal") == 0 && l->text[0] == '%' && strcmp(l->text + 2, ".") == 0)) {
        qstr lab = {0};
        for (const char *p = l->text; *p; p++) {
            if (*p == '%' && p[1] >= '1' && p[1] <= '9') {
                char m[16];
                marker(m, sizeof m, l->fmt, n);
                qstr_puts(&lab, m);
                p++;
            } else {
                qstr_put(&lab, p, 1);
            }
        }
        qstr_puts(out, "<li label=\"");
        if (lab.s) dxs_escape(out, lab.s, lab.len);
        qstr_puts(out, "\">");
        qstr_free(&lab);
    } else {
        qstr_puts(out, "<li>");
    }
    qstr_puts(out, b->xml);
}

/* Consecutive list paragraphs as nested ul/ol: a deeper level opens a
 * list inside the item before it. */
static void put_list(rep *r) {
    int open[10], depth = 0; /* open[k]: 1 ul, 2 ol */
    unsigned counter[10] = {0};
    while (r->i < r->n && is_item(&r->b[r->i])) {
        const dxblock *b = &r->b[r->i];
        int lvl = b->ilvl > depth ? depth : b->ilvl; /* no skipped levels */
        while (depth > lvl + 1) {
            qstr_printf(r->out, "</li></%s>", open[--depth] == 1 ? "ul" : "ol");
        }
        if (depth == lvl + 1) {
            qstr_puts(r->out, "</li>\n");
        }
        int fresh = depth == lvl;
        if (depth == lvl) {
            open[depth++] = b->list;
            qstr_printf(r->out, "%s<%s>\n", lvl ? "" : "    ", b->list == 1 ? "ul" : "ol");
        }
        counter[lvl] = fresh ? 1 : counter[lvl] + 1;
        put_item(r->out, b, counter[lvl]);
        r->i++;
    }
    while (depth > 0) qstr_printf(r->out, "</li></%s>\n", open[--depth] == 1 ? "ul" : "ol");
}

/* ---- recommendations ------------------------------------------------------------ */

static int lead_in(const char *text) {
    return ends_with_ci(text, "recommended to:") || ends_with_ci(text, "recommended that:") ||
           ends_with_ci(text, "asked to:");
}

static void put_recommendations(rep *r) {
    const dxblock *lead = &r->b[r->i++];
    qstr_puts(r->out, "    <recommendations>\n      <lead-in>");
    qstr_puts(r->out, lead->xml);
    qstr_puts(r->out, "</lead-in>\n");
    int open = 0, nested = 0;
    while (r->i < r->n) {
        const dxblock *b = &r->b[r->i];
        unsigned maj, min;
        size_t skip = typed_para(b->text, &maj, &min);
        if (b->kind != DXB_PARA || b->role != DX_BODY || (!b->list && !skip)) break;
        if (b->ilvl > 0 && open) {
            qstr_puts(r->out, "<recommendation>");
            put_skipping(r->out, b->xml, skip);
            qstr_puts(r->out, "</recommendation>");
            nested = 1;
        } else {
            if (open) qstr_puts(r->out, "</recommendation>\n");
            qstr_puts(r->out, "      <recommendation>");
            put_skipping(r->out, b->xml, skip);
            open = 1;
            r->para++;
        }
        r->i++;
    }
    (void)nested;
    if (open) qstr_puts(r->out, "</recommendation>\n");
    else {
        /* a lead-in with nothing after it is no recommendation */
        r->c->para = lead->para;
        dx_diag(r->c, QUORUM_WARNING, "\"recommended to:\" is followed by no "
                                      "numbered or listed recommendation");
        qstr_puts(r->out, "      <recommendation/>\n");
    }
    qstr_puts(r->out, "    </recommendations>\n");
}

/* ---- implications -------------------------------------------------------------- */

static const char *implication_type(const char *h) {
    if (contains_ci(h, "financ")) return "financial";
    if (contains_ci(h, "legal")) return "legal";
    if (contains_ci(h, "equalit") || contains_ci(h, "diversity")) return "equality";
    if (contains_ci(h, "risk")) return "risk";
    return "other";
}

/* "Implications verified by: NAME, TITLE, DATE": a sign-off, or 0 when
 * the paragraph is not one (then it stays a paragraph). */
static int sign_off(rep *r, const dxblock *b) {
    const char *t = b->text;
    while (*t == ' ') t++;
    static const char lead[] = "implications verified by";
    if (strncasecmp(t, lead, sizeof lead - 1) != 0) return 0;
    t += sizeof lead - 1;
    while (*t == ':' || *t == ' ') t++;
    dxctx *c = r->c;
    char *s = qarena_strdup(c->a, t);
    char *first = strchr(s, ','), *last = strrchr(s, ',');
    char iso[11];
    c->para = b->para;
    if (!first || parse_date(last + 1, iso) != 0) {
        dx_diag(c, QUORUM_WARNING, "a sign-off without a date (\"Implications "
                                   "verified by NAME, TITLE, 8 January 2025\") "
                                   "stays a paragraph");
        return 0;
    }
    *first = '\0';
    *last = '\0';
    const char *title = first < last ? trimmed(c, first + 1) : "";
    const char *name = trimmed(c, s);
    qstr_puts(r->out, "    <sign-off name=\"");
    dxs_escape(r->out, name, strlen(name));
    qstr_puts(r->out, "\"");
    if (*title) {
        qstr_puts(r->out, " title=\"");
        dxs_escape(r->out, title, strlen(title));
        qstr_puts(r->out, "\"");
    }
    qstr_printf(r->out, " date=\"%s\"/>\n", iso);
    return 1;
}

/* ---- sections ------------------------------------------------------------------- */

static const char *kind_tag(int kind) {
    return kind == K_IMPLICATION ? "implication"
           : kind == K_BACKGROUND ? "background-documents" : "section";
}

static void put_document(rep *r, const dxblock *b) {
    qstr_puts(r->out, "    <document");
    if (b->href) {
        qstr_puts(r->out, " href=\"");
        dxs_escape(r->out, b->href, strlen(b->href));
        qstr_puts(r->out, "\"");
    }
    qstr_puts(r->out, ">");
    dxs_escape(r->out, b->text, strlen(b->text));
    qstr_puts(r->out, "</document>\n");
}

/* Whether the blocks up to the next Heading 1 hold a numbered paragraph. */
static int section_numbered(const rep *r, size_t from) {
    for (size_t k = from; k < r->n && !is_heading(r->b[k].role); k++) {
        unsigned a, b2;
        if (r->b[k].kind == DXB_PARA &&
            (r->b[k].list == 3 || typed_para(r->b[k].text, &a, &b2)))
            return 1;
    }
    return 0;
}

static void put_body(rep *r) {
    dxctx *c = r->c;
    while (r->i < r->n && !is_heading(r->b[r->i].role)) {
        dxblock *b = &r->b[r->i];
        c->para = b->para;
        c->under = b->under;
        if (b->kind == DXB_TABLE) {
            if (r->kind == K_BACKGROUND) {
                dx_diag(c, QUORUM_WARNING, "a table among the background "
                                           "documents is left out");
            } else {
                dx_table(c, b->node, r->out);
            }
            r->i++;
            continue;
        }
        if (r->kind == K_BACKGROUND) {
            put_document(r, b);
            r->i++;
            continue;
        }
        if (b->role == DX_H2 || b->role == DX_H3) {
            unsigned a, m;
            size_t skip = dx_typed_number(b->text, &a, &m);
            qstr_puts(r->out, "    <subheading>");
            dxs_escape(r->out, b->text + skip, strlen(b->text + skip));
            qstr_puts(r->out, "</subheading>\n");
            r->i++;
            continue;
        }
        if (lead_in(b->text)) {
            put_recommendations(r);
            continue;
        }
        if (is_item(b)) {
            put_list(r);
            continue;
        }
        if (r->kind == K_IMPLICATION && sign_off(r, b)) {
            r->i++;
            continue;
        }
        if (!blank_xml(b->xml)) put_para(r, b, "p");
        put_block_extras(r, b);
        r->i++;
    }
}

static void put_section(rep *r) {
    dxblock *h = &r->b[r->i++];
    dxctx *c = r->c;
    unsigned maj = 0, min = 0;
    size_t skip = dx_typed_number(h->text, &maj, &min);
    if (min) skip = 0; /* "3.2 …" is no section number */
    const char *title = h->text + skip;
    r->kind = contains_ci(title, "background doc") || contains_ci(title, "background paper")
                  ? K_BACKGROUND
              : contains_ci(title, "implications") || strcasecmp(title, "risks") == 0 ||
                      strcasecmp(title, "risk") == 0
                  ? K_IMPLICATION : K_SECTION;
    r->numbered = r->kind != K_BACKGROUND && section_numbered(r, r->i);
    if (strncasecmp(title, "appendix", 8) == 0) {
        c->para = h->para;
        c->under = h->under;
        dx_diag(c, QUORUM_WARNING, "an appendix in the document becomes a section "
                                   "of the report: in quorum each appendix is its own "
                                   "file (docs/format.md, \"Appendices\")");
    }
    qstr_printf(r->out, "  <%s", kind_tag(r->kind));
    if (r->kind == K_IMPLICATION)
        qstr_printf(r->out, " type=\"%s\"", implication_type(title));
    if (skip && maj != r->section + 1) qstr_printf(r->out, " number=\"%u\"", maj);
    if (r->typed && !skip) qstr_puts(r->out, " numbered=\"false\"");
    else r->section = skip ? maj : r->section + 1;
    r->para = 0;
    if (r->kind != K_BACKGROUND && !r->numbered) qstr_puts(r->out, " paragraphs=\"plain\"");
    qstr_puts(r->out, ">\n    <heading>");
    dxs_escape(r->out, title, strlen(title));
    qstr_puts(r->out, "</heading>\n");
    put_body(r);
    qstr_printf(r->out, "  </%s>\n", kind_tag(r->kind));
}

/* ---- the front sheet ------------------------------------------------------------- */

static const struct { const char *label, *role; } known_labels[] = {
    {"report title", "title"}, {"title of report", "title"}, {"title", "title"},
    {"date of meeting", "meeting-date"}, {"meeting date", "meeting-date"},
    {"date", "meeting-date"},
    {"report author", "author"}, {"author", "author"}, {"report of", "author"},
    {"contact officer", "author"},
    {"corporate director", "director"}, {"director", "director"},
    {"accountable director", "director"}, {"executive director", "director"},
    {"lead cabinet member(s)", "lead-member"}, {"lead cabinet member", "lead-member"},
    {"cabinet member", "lead-member"}, {"portfolio holder", "lead-member"},
    {"wards affected", "wards"}, {"wards and communities affected", "wards"},
    {"ward(s)", "wards"}, {"key decision", "key-decision"},
    {"appendices (if any)", "appendices"}, {"appendices", "appendices"},
    {"report to", "meeting"}, {"meeting", "meeting"}, {"committee", "meeting"},
};

static const char *label_role(const dxctx *c, const char *label) {
    for (size_t i = 0; c->map && i < c->map->nlabels; i++)
        if (strcasecmp(c->map->labels[i].label, label) == 0) return c->map->labels[i].role;
    for (size_t i = 0; i < sizeof known_labels / sizeof *known_labels; i++)
        if (strcasecmp(known_labels[i].label, label) == 0) return known_labels[i].role;
    return NULL;
}

/* One row of the front-sheet table: label cell, value cell. */
static int put_field(rep *r, const qnode *tr, int *have_title, int *seen) {
    dxctx *c = r->c;
    const qnode *tc1 = dx_child(tr, "tc");
    const qnode *tc2 = tc1 ? dx_next(tc1, "tc") : NULL;
    if (!tc2) return 0;
    qstr lt = {0}, vx = {0}, vt = {0};
    for (const qnode *p = dx_child(tc1, "p"); p; p = dx_next(p, "p"))
        dx_inline(c, p, NULL, &lt, NULL);
    for (const qnode *p = dx_child(tc2, "p"); p; p = dx_next(p, "p")) {
        if (vx.len) {
            qstr_puts(&vx, "<br/>");
            qstr_puts(&vt, " ");
        }
        dx_inline(c, p, &vx, &vt, NULL);
    }
    const char *label = trimmed(c, lt.s ? lt.s : "");
    size_t ll = strlen(label);
    if (ll && label[ll - 1] == ':') label = qarena_strndup(c->a, label, ll - 1);
    const char *role = label_role(c, label);
    char iso[11];
    /* each role once (the first); a date field needs a date */
    int bit = 0;
    for (size_t i = 0; role && i < sizeof known_labels / sizeof *known_labels; i++)
        if (strcmp(known_labels[i].role, role) == 0) { bit = 1 << (i % 30); break; }
    if (role && (*seen & bit)) role = NULL;
    if (role && strcmp(role, "meeting-date") == 0 && parse_date(vt.s ? vt.s : "", iso) != 0) {
        dx_diag(c, QUORUM_WARNING, "the date of meeting \"%s\" is not a date "
                                   "(8 January 2025); the row stays as written",
                vt.s ? vt.s : "");
        role = NULL;
    }
    if (role && strcmp(role, "title") == 0 && !vt.len) role = NULL;
    qstr_puts(r->out, "    <field");
    if (role) {
        qstr_printf(r->out, " role=\"%s\"", role);
        *seen |= bit;
        if (strcmp(role, "title") == 0) *have_title = 1;
        if (strcmp(role, "meeting-date") == 0) qstr_printf(r->out, " date=\"%s\"", iso);
    }
    qstr_puts(r->out, " label=\"");
    dxs_escape(r->out, label, strlen(label));
    qstr_puts(r->out, "\">");
    /* appendices: generated from the report's own when left empty, which
     * an import never has */
    if (vx.s) qstr_puts(r->out, vx.s);
    qstr_puts(r->out, "</field>\n");
    qstr_free(&lt);
    qstr_free(&vx);
    qstr_free(&vt);
    return 1;
}

static void put_front_sheet(rep *r) {
    dxctx *c = r->c;
    size_t first_h1 = r->i;
    while (first_h1 < r->n && r->b[first_h1].role != DX_H1) first_h1++;
    const dxblock *heading = NULL, *title = NULL, *table = NULL;
    for (size_t k = r->i; k < first_h1; k++) {
        const dxblock *b = &r->b[k];
        if (b->kind == DXB_TABLE && !table) table = b;
        else if (b->kind == DXB_PARA && b->role == DX_TITLE) {
            if (!heading && strncasecmp(b->text, "report to", 9) == 0) heading = b;
            else if (!title) title = b;
        }
    }
    qstr_puts(r->out, "  <front-sheet>\n");
    if (heading) {
        qstr_puts(r->out, "    <heading>");
        dxs_escape(r->out, heading->text, strlen(heading->text));
        qstr_puts(r->out, "</heading>\n");
    }
    int have_title = 0, seen = 0;
    if (table) {
        /* the first table, as Word counts them; diagnostics at its value cells */
        c->table = ++c->tables;
        c->under = table->under;
        c->cell = 2;
        c->row = 0;
        for (const qnode *tr = dx_child(table->node, "tr"); tr; tr = dx_next(tr, "tr")) {
            c->row++;
            put_field(r, tr, &have_title, &seen);
        }
        c->table = 0;
    }
    if (!have_title) {
        const char *t = title ? title->text : NULL;
        if (!t) {
            c->para = r->n ? r->b[0].para : 0;
            dx_diag(c, QUORUM_WARNING, "no report title (a Title paragraph or a "
                                       "\"Report Title\" row) before the first "
                                       "heading; the file's name stands for it");
            t = c->name;
        }
        qstr_puts(r->out, "    <field role=\"title\" label=\"Report Title\">");
        dxs_escape(r->out, t, strlen(t));
        qstr_puts(r->out, "</field>\n");
    }
    qstr_puts(r->out, "  </front-sheet>\n");
    /* what else stands before the first heading: an unnumbered section */
    int any = 0;
    for (size_t k = r->i; k < first_h1; k++) {
        const dxblock *b = &r->b[k];
        if (b == heading || b == title || b == table) continue;
        if (!any++) qstr_puts(r->out, "  <section numbered=\"false\" paragraphs=\"plain\">\n");
        r->numbered = 0;
        if (b->kind == DXB_TABLE) dx_table(c, b->node, r->out);
        else if (is_item(b)) {
            r->i = k;
            put_list(r);
            k = r->i - 1;
        } else {
            if (!blank_xml(b->xml)) put_para(r, b, "p");
            put_block_extras(r, b);
        }
    }
    if (any) qstr_puts(r->out, "  </section>\n");
    r->i = first_h1;
}

void dx_report(dxctx *c, dxblock *b, size_t n, qstr *out) {
    rep r = {c, b, n, 0, out, 0, 0, 0, 0, K_SECTION};
    qstr_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<report xmlns=\"" QUORUM_FORMAT_NAMESPACE "\" xml:lang=\"en-GB\">\n");
    put_front_sheet(&r);
    for (size_t k = r.i; k < n && !r.typed; k++) {
        unsigned maj, min;
        r.typed = is_heading(b[k].role) && dx_typed_number(b[k].text, &maj, &min) && !min;
    }
    while (r.i < r.n) put_section(&r);
    qstr_puts(out, "</report>\n");
}
