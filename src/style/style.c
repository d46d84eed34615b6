/* Style files: see style.h and docs/style.md.
 *
 * The file is read by the report loader's machinery (load.h), so it gets
 * the same safety rules and file:line:col positions.  Names and values are
 * checked here against one table per element rather than by the XSD in
 * schema/: the built-in default must work with no files beside the
 * binary, and a style file should too once it is found.  The XSD says the
 * same for editors and for tests. */
#include "style.h"
#include "doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "font.h"
#include "load.h"
#include "words.h"


/* The seed paper's look (styles/committee.xml), number for number: layout with this style must give
 * exactly the dumps it gave before styles existed. */
const qstyle qstyle_builtin = {
    .name = "committee",
    .page_w = 595.28f, .page_h = 841.89f,
    .margin_left = 56.7f, .margin_right = 56.7f,
    .margin_top = 56.7f, .margin_bottom = 70.0f,
    .body_size = 11.0f, .body_lh = 14.0f, .para_after = 7.0f,
    .num_indent = 26.0f, .head_indent = 28.0f,
    .text_color = 0x000000, .link_color = 0x0B4F9C, .rule_color = 0x7F7F7F,
    .h1_size = 18, .h1_lh = 22, .h1_after = 12,
    .h2_size = 13, .h2_lh = 16, .h2_before = 14, .h2_after = 6,
    .heading_color = 0x000000, .bar_color = 0x595959,
    .table_size = 10, .table_lh = 12.5f, .table_pad = 4,
    .table_head_fill = 0xD9E2F3,
    .front_label_fill = 0xE7E6E6, .front_label_fill_text = "#E7E6E6",
    .front_pad = 5,
    .box_fill = 0xF2F2F2,
    .sign_off_missing = "warning",
    .foot_color = 0x404040, .foot_rule_color = 0xBFBFBF,
    .header = {NULL, NULL, NULL, 9, 0x404040, 30, 0xBFBFBF, 0},
    .exempt_classification = "NOT FOR PUBLICATION",
    .ratings = {{"R", 0xC00000, 0xFFFFFF}, {"A", 0xFFC000, 0x000000},
                {"G", 0x00B050, 0x000000}},
    .nratings = 3,
};

const qstyle *qstyle_default(void) { return &qstyle_builtin; }

/* ---- value parsers ------------------------------------------------------ */

typedef enum akind { A_LEN, A_COLOR, A_TEXT, A_FONT, A_IMAGE } akind;

typedef struct aspec {
    const char *name;
    akind kind;
    size_t off;          /* into qstyle; (size_t)-1 = handled by the element */
} aspec;

#define F(field) offsetof(qstyle, field)
#define QSTYLE_MIN_PAGE 3 /* pt, PDF's smallest page side */
#define NONE ((size_t)-1)

/* "12pt", "20mm", "2.5cm", "1in": lengths carry a unit, so a bare number
 * (points? millimetres?) is an error rather than a guess.  NULL, or what
 * is wrong (util/length's sentence). */
static const char *parse_length(const char *s, float *out) {
    qlen l;
    const char *e = qlen_parse(s, 0, &l);
    if (!e) *out = (float)l.value;
    return e;
}

static int parse_colour(const char *s, uint32_t *out) {
    if (strlen(s) != 7 || s[0] != '#') return -1;
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

/* Whether a file is there, without opening it: where a font or logo is
 * looked for.  Reading it (and refusing a FIFO, a device or a directory)
 * is the font cache's and the image reader's. */
static int file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* WCAG 2 contrast ratio of two colours (doc/outcomes.c has the same for the
 * report's "#RRGGBB" strings). */
static double contrast(uint32_t a, uint32_t b) {
    double l[2];
    for (int k = 0; k < 2; k++) {
        uint32_t c = k ? b : a;
        unsigned char rgb[3] = {(unsigned char)(c >> 16), (unsigned char)(c >> 8),
                                (unsigned char)c};
        l[k] = qperf_luminance(rgb);
    }
    double hi = l[0] > l[1] ? l[0] : l[1], lo = l[0] > l[1] ? l[1] : l[0];
    return (hi + 0.05) / (lo + 0.05);
}

/* ---- the element tables ------------------------------------------------- */

static const aspec a_style[] = {
    {"name", A_TEXT, F(name)}, {"council", A_TEXT, F(council)},
    {"classification", A_TEXT, F(classification)},
    {"exempt-classification", A_TEXT, F(exempt_classification)}, {NULL, 0, 0}};
static const aspec a_page[] = {
    {"width", A_LEN, F(page_w)}, {"height", A_LEN, F(page_h)},
    {"margin-left", A_LEN, F(margin_left)}, {"margin-right", A_LEN, F(margin_right)},
    {"margin-top", A_LEN, F(margin_top)}, {"margin-bottom", A_LEN, F(margin_bottom)},
    {NULL, 0, 0}};
/* offsets of the body family; <font role=...> shifts them by 4 faces */
static const aspec a_font[] = {
    {"role", A_TEXT, NONE},
    {"regular", A_FONT, F(font[0])}, {"bold", A_FONT, F(font[1])},
    {"italic", A_FONT, F(font[2])}, {"bold-italic", A_FONT, F(font[3])},
    {NULL, 0, 0}};
static const aspec a_text[] = {
    {"size", A_LEN, F(body_size)}, {"line-height", A_LEN, F(body_lh)},
    {"space-after", A_LEN, F(para_after)}, {"number-indent", A_LEN, F(num_indent)},
    {"heading-indent", A_LEN, F(head_indent)}, {"color", A_COLOR, F(text_color)},
    {"link-color", A_COLOR, F(link_color)}, {"rule-color", A_COLOR, F(rule_color)},
    {"box-fill", A_COLOR, F(box_fill)}, {NULL, 0, 0}};
static const aspec a_headings[] = {
    {"color", A_COLOR, F(heading_color)}, {"bar-color", A_COLOR, F(bar_color)},
    {"section-fill", A_COLOR, F(section_fill)},
    {"section-color", A_COLOR, F(section_color)},
    {"front-size", A_LEN, F(h1_size)}, {"front-line-height", A_LEN, F(h1_lh)},
    {"front-space-after", A_LEN, F(h1_after)},
    {"section-size", A_LEN, F(h2_size)}, {"section-line-height", A_LEN, F(h2_lh)},
    {"section-space-before", A_LEN, F(h2_before)},
    {"section-space-after", A_LEN, F(h2_after)}, {NULL, 0, 0}};
static const aspec a_tables[] = {
    {"size", A_LEN, F(table_size)}, {"line-height", A_LEN, F(table_lh)},
    {"padding", A_LEN, F(table_pad)}, {"header-fill", A_COLOR, F(table_head_fill)},
    {NULL, 0, 0}};
static const aspec a_front[] = {
    {"label-fill", A_COLOR, F(front_label_fill)}, {"padding", A_LEN, F(front_pad)},
    {"phone-label", A_TEXT, F(phone_label)}, {"email-label", A_TEXT, F(email_label)},
    {NULL, 0, 0}};
static const aspec a_header[] = {
    {"size", A_LEN, F(header.size)}, {"color", A_COLOR, F(header.color)},
    {"baseline", A_LEN, F(header.baseline)},
    {"rule-color", A_COLOR, F(header.rule_color)},
    {"rule-width", A_LEN, F(header.rule_width)}, {NULL, 0, 0}};
static const aspec a_footer[] = {
    {"color", A_COLOR, F(foot_color)}, {"rule-color", A_COLOR, F(foot_rule_color)},
    {NULL, 0, 0}};
static const aspec a_logo[] = {
    {"src", A_IMAGE, F(logo)}, {"alt", A_TEXT, F(logo_alt)},
    {"width", A_LEN, F(logo_w)}, {"height", A_LEN, F(logo_h)}, {NULL, 0, 0}};
static const aspec a_ratings[] = {{NULL, 0, 0}};
static const aspec a_rating[] = {
    {"code", A_TEXT, NONE}, {"fill", A_COLOR, NONE}, {"color", A_COLOR, NONE},
    {NULL, 0, 0}};
static const aspec a_slot[] = {{NULL, 0, 0}};
static const aspec a_pack[] = {{"banner", A_TEXT, F(pack_banner)},
                               {"blank-page", A_TEXT, F(pack_blank)}, {NULL, 0, 0}};
static const aspec a_sign_offs[] = {
    {"lead", A_TEXT, F(sign_off_lead)}, {"not-applicable", A_TEXT, F(not_applicable)},
    {"missing", A_TEXT, F(sign_off_missing)}, {NULL, 0, 0}};

typedef struct espec {
    const char *name;
    const aspec *attrs;
} espec;

static const espec top_elements[] = {
    {"page", a_page}, {"font", a_font}, {"text", a_text},
    {"headings", a_headings}, {"tables", a_tables}, {"front-sheet", a_front},
    {"header", a_header}, {"footer", a_footer}, {"logo", a_logo},
    {"ratings", a_ratings}, {"sign-offs", a_sign_offs},
    {"pack", a_pack}, {NULL, NULL}};

typedef struct sload {
    qstyle *s;
    qarena *a;
    quorum_diags *d;
    const quorum_limits *lim;
    const char *dir;        /* of the style file */
    const char *font_dir;
    qfont_cache *fonts;     /* the engine's: a font is read once, here */
    int errors;
} sload;

static void err(sload *L, qpos p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(sload *L, qpos p, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    qdiag_add(L->d, QUORUM_ERROR, p, "%s", buf);
    L->errors++;
}

static const char *join(qarena *a, const char *dir, const char *name) {
    if (name[0] == '/' || !dir || !*dir) return qarena_strdup(a, name);
    return qarena_printf(a, "%s/%s", dir, name);
}

/* A font or image named in the style: beside the style file first, then
 * (fonts) in the font directory.  An image is not opened here: its one
 * read (read_image) refuses what is not a regular file. */
static const char *find_file(sload *L, const char *name, int font) {
    const char *p = join(L->a, L->dir, name);
    if (!font || file_exists(p) || name[0] == '/') return p;
    if (font) {
        const char *q = join(L->a, L->font_dir, name);
        if (file_exists(q)) return q;
    }
    return p;
}

/* <strings src="FILE"/>: a strings file beside the style, whose words
 * come before the shipped ones (docs/style.md, "Languages"); the files
 * are kept in the order given, and the first with a word wins. */
static void strings_file(sload *L, const qnode *n) {
    const qattr *src = qdoc_attr_get(n, "src");
    for (const qattr *at = n->attrs; at; at = at->next)
        if (at != src) err(L, at->pos, "unknown attribute '%s' on <strings> (it takes src)", at->name);
    if (!src || !*src->value) {
        err(L, n->pos, "<strings> needs src= (a strings file beside the style)");
        return;
    }
    size_t before = quorum_diags_count_severity(L->d, QUORUM_ERROR);
    qw_table *t = qw_load_file(join(L->a, L->dir, src->value), L->a, L->d);
    if (!t) {
        /* the file's own errors are said; one more when it said none */
        if (quorum_diags_count_severity(L->d, QUORUM_ERROR) == before)
            err(L, src->pos, "strings file \"%s\" could not be read", src->value);
        L->errors++;
        return;
    }
    qw_table **tail = &L->s->strings;
    while (*tail) tail = &(*tail)->next;
    *tail = t;
}

/* Whitespace between elements is the file's indentation, not text. */
static int blank(const qnode *n) {
    if (n->type != QN_TEXT) return 0;
    for (size_t i = 0; i < n->text_len; i++)
        if (n->text[i] != ' ') return 0;
    return 1;
}

static int slot_text(sload *L, const qnode *n, const char **out) {
    for (const qnode *c = n->first; c; c = c->next) {
        if (c->type != QN_TEXT) {
            err(L, c->pos, "<%s> holds text only, not <%s>", n->name, c->name);
            return -1;
        }
    }
    char *t = qdoc_text(L->a, n);
    /* trim: the file's indentation is not content */
    while (*t == ' ') t++;
    size_t k = strlen(t);
    while (k && t[k - 1] == ' ') t[--k] = '\0';
    *out = k ? t : NULL;
    return 0;
}

/* The image file p that attribute at names, read once (a regular file,
 * under the engine's image_bytes) and decoded (under its pixel limit)
 * with the report's images' decoder; NULL with an error at the
 * attribute.  The image lives as long as the style's arena. */
static const qimage *read_image(sload *L, const qattr *at, const char *p) {
    unsigned char *b = NULL;
    size_t n = 0;
    int rc = qfile_read(p, 0, L->lim->image_bytes, &b, &n);
    if (rc == ENOENT) {
        err(L, at->pos, "image file \"%s\" not found beside the style", at->value);
        return NULL;
    }
    if (rc == EFBIG) {
        qimage_diag_bytes(L->d, at->pos, at->value, L->lim->image_bytes);
        L->errors++;
        return NULL;
    }
    if (rc) {
        err(L, at->pos, "cannot read image file \"%s\": %s", at->value,
            qfile_strerror(rc));
        return NULL;
    }
    qimg_error why;
    const qimage *img = qimage_decode(b, n, L->lim->pixels, &why);
    free(b);
    if (!img) {
        qimage_diag(L->d, at->pos, at->value, &why, L->lim->pixels);
        L->errors++;
        return NULL;
    }
    qimage_unref_with(L->a, img);
    return img;
}

static void set_attrs(sload *L, const qnode *n, const aspec *spec, size_t font_shift) {
    char *base = (char *)L->s;
    for (const qattr *at = n->attrs; at; at = at->next) {
        if (strcmp(at->name, "xmlns") == 0 || strncmp(at->name, "xmlns:", 6) == 0 ||
            strcmp(at->name, "xml:lang") == 0)
            continue;
        const aspec *sp = spec;
        while (sp->name && strcmp(sp->name, at->name) != 0) sp++;
        if (!sp->name) {
            err(L, at->pos, "unknown attribute '%s' on <%s>", at->name, n->name);
            continue;
        }
        const char *v = at->value;
        switch (sp->kind) {
        case A_LEN: {
            float f;
            const char *why = parse_length(v, &f);
            if (qlen_out_of_bounds(why)) {
                err(L, at->pos, "%s=\"%s\" is %s", at->name, v, why);
                break;
            }
            if (why) {
                err(L, at->pos, "%s=\"%s\" is not a length (write e.g. \"12pt\", "
                    "\"20mm\", \"2cm\" or \"1in\")", at->name, v);
                break;
            }
            if (sp->off != NONE) *(float *)(base + sp->off) = f;
            break;
        }
        case A_COLOR: {
            uint32_t c;
            if (parse_colour(v, &c) != 0) {
                err(L, at->pos, "%s=\"%s\" is not a colour (write #RRGGBB, e.g. "
                    "\"#0B4F9C\")", at->name, v);
                break;
            }
            if (sp->off != NONE) *(uint32_t *)(base + sp->off) = c;
            break;
        }
        case A_TEXT:
            if (sp->off != NONE)
                *(const char **)(base + sp->off) = qarena_strdup(L->a, v);
            break;
        case A_FONT: {
            char why[160];
            const char *p = find_file(L, v, 1);
            int cff = 0;
            int e = qfont_cache_check(L->fonts, p, &cff, why, sizeof why);
            if (e == ENOENT) {
                err(L, at->pos, "font file \"%s\" not found (looked beside the "
                    "style and in %s)", v, L->font_dir);
            } else if (e == QFONT_ENOTTF) {
                err(L, at->pos, "\"%s\" is not a TrueType font%s", v,
                    cff ? " (OpenType/CFF fonts cannot be embedded; use the .ttf)" : "");
            } else if (e == QFONT_EDAMAGED) {
                /* damaged (cut short, a table outside the file, glyphs
                 * outside 'glyf') or not embeddable: said here, where it
                 * is named, not as a PDF writer's error */
                err(L, at->pos, "font file \"%s\" is not a usable TrueType font: %s", v, why);
            } else if (e) {
                err(L, at->pos, "cannot read font file \"%s\": %s", v,
                    qfile_strerror(e));
            } else {
                *(const char **)(base + sp->off + font_shift) = p;
            }
            break;
        }
        case A_IMAGE: {
            /* the logo, the one image a style names */
            const char *p = find_file(L, v, 0);
            const qimage *img = read_image(L, at, p);
            if (img) {
                *(const char **)(base + sp->off) = p;
                L->s->logo_img = img;
            }
            break;
        }
        }
    }
}

/* PDF's page sizes: 3 to 14,400 units a side (ISO 32000-1, annex C);
 * libharu refuses others when the PDF is written, without a position. */
static void page_bounds(sload *L, const qnode *page) {
    const char *names[2] = {"width", "height"};
    const float v[2] = {L->s->page_w, L->s->page_h};
    for (int i = 0; i < 2; i++) {
        if (v[i] >= QSTYLE_MIN_PAGE && v[i] <= QLEN_MAX_PT) continue;
        const qattr *a = page ? qdoc_attr_get(page, names[i]) : NULL;
        err(L, a ? a->pos : page ? page->pos : (qpos){0, 0, 0},
            "page %s %.2fpt is outside PDF's page sizes (%dpt to %dpt)", names[i],
            (double)v[i], QSTYLE_MIN_PAGE, QLEN_MAX_PT);
    }
}

static void band_slots(sload *L, const qnode *n, int header) {
    for (const qnode *c = n->first; c; c = c->next) {
        if (blank(c)) continue;
        if (c->type == QN_TEXT) {
            err(L, c->pos, "text directly in <%s>: put it in <left>, <center> "
                "or <right>", n->name);
            continue;
        }
        const char **slot = NULL;
        if (strcmp(c->name, "center") == 0)
            slot = header ? &L->s->header.center : &L->s->footer_center;
        else if (header && strcmp(c->name, "left") == 0)
            slot = &L->s->header.left;
        else if (header && strcmp(c->name, "right") == 0)
            slot = &L->s->header.right;
        if (!slot) {
            err(L, c->pos, "unknown element <%s> in <%s>%s", c->name, n->name,
                header ? " (expected <left>, <center> or <right>)"
                       : " (the footer's left and right hold the report title "
                         "and page number; only <center> can be set)");
            continue;
        }
        set_attrs(L, c, a_slot, 0);
        slot_text(L, c, slot);
    }
}

static void ratings(sload *L, const qnode *n) {
    L->s->nratings = 0;
    for (const qnode *c = n->first; c; c = c->next) {
        if (blank(c)) continue;
        if (c->type == QN_TEXT || strcmp(c->name, "rating") != 0) {
            err(L, c->pos, "unknown element <%s> in <ratings> (expected <rating>)",
                c->type == QN_TEXT ? "#text" : c->name);
            continue;
        }
        set_attrs(L, c, a_rating, 0);
        const char *v = qdoc_attr(c, "code");
        const char *fill = qdoc_attr(c, "fill");
        const char *col = qdoc_attr(c, "color");
        if (!v || !fill) {
            err(L, c->pos, "<rating> needs code= and fill=");
            continue;
        }
        if (L->s->nratings >= QSTYLE_MAX_RATINGS) {
            err(L, c->pos, "more than %d ratings", QSTYLE_MAX_RATINGS);
            break;
        }
        qstyle_rating *r = &L->s->ratings[L->s->nratings];
        r->code = qarena_strdup(L->a, v);
        if (parse_colour(fill, &r->fill) != 0) continue; /* reported above */
        r->color = 0;
        if (col && parse_colour(col, &r->color) != 0) continue;
        for (int i = 0; i < L->s->nratings; i++)
            if (strcmp(L->s->ratings[i].code, v) == 0) {
                err(L, qdoc_attr_get(c, "code")->pos, "rating code \"%s\" given "
                    "twice in <ratings>", v);
                break;
            }
        /* the rule the report's own scales follow (doc/outcomes.c): a code printed
         * on its fill must be readable */
        double ratio = contrast(r->color, r->fill);
        if (ratio < 4.5)
            err(L, qdoc_attr_get(c, col ? "color" : "fill")->pos,
                "text colour #%06X on fill #%06X of rating \"%s\" has a "
                "contrast of %.2f:1; at least 4.5:1 is needed%s",
                (unsigned)r->color, (unsigned)r->fill, v, ratio,
                col ? "" : " (color= is black when not given)");
        L->s->nratings++;
    }
}

static const char *dir_of(qarena *a, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return ".";
    if (slash == path) return "/";
    return qarena_strndup(a, path, (size_t)(slash - path));
}

/* The style in doc (a style file's tree, read from path), freed here. */
static const qstyle *from_tree(const quorum_engine *e, quorum_doc *doc,
                               const char *path, const char *font_dir,
                               qarena *a, quorum_diags *d) {
    qstyle *s = qarena_alloc(a, sizeof *s);
    *s = qstyle_builtin;
    s->name = NULL;
    s->path = qarena_strdup(a, path);
    s->file_len = doc->sources[0].len;
    s->file_bytes = (const unsigned char *)qarena_strndup(
        a, doc->sources[0].bytes, doc->sources[0].len);
    sload L = {s, a, d, &e->limits, dir_of(a, path), font_dir, e->fonts, 0};
    const qnode *root = doc->root;
    set_attrs(&L, root, a_style, 0);
    const qnode *font_seen[3] = {0};
    const qnode *seen[sizeof top_elements / sizeof top_elements[0]] = {0};
    for (const qnode *n = root->first; n; n = n->next) {
        if (blank(n)) continue;
        if (n->type == QN_TEXT) {
            err(&L, n->pos, "text directly in <style>");
            continue;
        }
        if (strcmp(n->name, "strings") == 0) {
            strings_file(&L, n);
            continue;
        }
        int k = 0;
        while (top_elements[k].name && strcmp(top_elements[k].name, n->name) != 0) k++;
        if (!top_elements[k].name) {
            err(&L, n->pos, "unknown element <%s> in a style (expected one of "
                "page, font, text, headings, tables, front-sheet, header, "
                "footer, logo, ratings, sign-offs, pack, strings)", n->name);
            continue;
        }
        size_t shift = 0;
        if (strcmp(n->name, "font") == 0) {
            const char *role = qdoc_attr(n, "role");
            int r = !role || strcmp(role, "body") == 0 ? 0
                  : strcmp(role, "headings") == 0 ? 1
                  : strcmp(role, "tables") == 0 ? 2 : -1;
            if (r < 0) {
                err(&L, qdoc_attr_get(n, "role")->pos, "role=\"%s\" is not a font "
                    "role (body, headings or tables)", role);
                continue;
            }
            if (font_seen[r]) {
                err(&L, n->pos, "<font role=\"%s\"> given twice (first at line %u)",
                    role ? role : "body", font_seen[r]->pos.line);
                continue;
            }
            font_seen[r] = n;
            shift = (size_t)r * 4 * sizeof(const char *);
        } else if (seen[k]) {
            err(&L, n->pos, "<%s> given twice (first at line %u)", n->name,
                seen[k]->pos.line);
            continue;
        }
        seen[k] = n;
        set_attrs(&L, n, top_elements[k].attrs, shift);
        if (strcmp(n->name, "header") == 0) band_slots(&L, n, 1);
        else if (strcmp(n->name, "footer") == 0) band_slots(&L, n, 0);
        else if (strcmp(n->name, "ratings") == 0) ratings(&L, n);
        else
            for (const qnode *c = n->first; c; c = c->next)
                if (!blank(c)) err(&L, c->pos, "<%s> takes attributes only, not %s", n->name,
                    c->type == QN_TEXT ? "text" : "child elements");
        if (strcmp(n->name, "logo") == 0 && !qdoc_attr(n, "src"))
            err(&L, n->pos, "<logo> needs src= (a PNG or JPEG file)");
        if (strcmp(n->name, "logo") == 0 && !qdoc_attr(n, "alt"))
            err(&L, n->pos, "<logo> needs alt= (its text for screen readers)");
        const qattr *miss = strcmp(n->name, "sign-offs") == 0 ? qdoc_attr_get(n, "missing")
                                                              : NULL;
        if (miss && strcmp(miss->value, "warning") != 0 && strcmp(miss->value, "none") != 0)
            err(&L, miss->pos, "missing=\"%s\" is not \"warning\" or \"none\"",
                miss->value);
    }
    /* what the numbers must satisfy for layout to make sense */
    if (!L.errors) {
        qpos at = root->pos;
        page_bounds(&L, seen[0]);
        if (s->margin_left + s->margin_right + 144 > s->page_w)
            err(&L, seen[0] ? seen[0]->pos : at,
                "the margins leave less than 2 inches of text width");
        if (s->margin_top + s->margin_bottom + 144 > s->page_h)
            err(&L, seen[0] ? seen[0]->pos : at,
                "the margins leave less than 2 inches of text height");
        if (s->body_size <= 0 || s->body_lh < s->body_size * 0.8f)
            err(&L, seen[2] ? seen[2]->pos : at,
                "line-height must be at least 0.8 times the size");
        if (s->table_size <= 0 || s->table_lh < s->table_size * 0.8f)
            err(&L, seen[4] ? seen[4]->pos : at,
                "tables: line-height must be at least 0.8 times the size");
        if (s->header.size <= 0)
            err(&L, seen[6] ? seen[6]->pos : at, "header: size must be positive");
        /* running text must stay out of the body */
        int has_header = s->header.left || s->header.center || s->header.right;
        if (has_header && (s->header.baseline < s->header.size ||
                           s->header.baseline + 4 > s->margin_top))
            err(&L, qdoc_attr_get(seen[6], "baseline") ? qdoc_attr_get(seen[6], "baseline")->pos
                                                       : seen[6]->pos,
                "header: the baseline must lie in the top margin (between %.1fpt "
                "and %.1fpt from the top)", s->header.size, s->margin_top - 4);
        /* the layout's footer rule is 48 pt and its text 40 pt from the
         * bottom; the centre line goes above the rule */
        float foot_need = s->footer_center ? 53 + 9 + 2 : 48 + 2;
        if (s->margin_bottom < foot_need)
            err(&L, seen[0] ? seen[0]->pos : at,
                "margin-bottom must be at least %.0fpt to hold the footer%s",
                foot_need, s->footer_center ? " and its centre line" : "");
        /* a family is all four faces or none: mixing in the default for
         * a missing one would print two typefaces */
        for (int r = 0; r < 3; r++) {
            const char **ff = s->font + 4 * r;
            int nf = !!ff[0] + !!ff[1] + !!ff[2] + !!ff[3];
            if (nf && nf < 4)
                err(&L, font_seen[r]->pos, "<font> needs all four of regular, "
                    "bold, italic and bold-italic");
        }
        s->head_face = s->font[QF_HEAD_REGULAR] ? QF_HEAD_REGULAR : 0;
        s->table_face = s->font[QF_TABLE_REGULAR] ? QF_TABLE_REGULAR : 0;
    }
    if (!s->name) {
        const char *b = strrchr(path, '/');
        b = b ? b + 1 : path;
        const char *dot = strrchr(b, '.');
        s->name = dot ? qarena_strndup(a, b, (size_t)(dot - b)) : qarena_strdup(a, b);
    }
    char fill[8];
    snprintf(fill, sizeof fill, "#%06X", (unsigned)s->front_label_fill & 0xFFFFFF);
    s->front_label_fill_text = qarena_strdup(a, fill);
    s->has_section_fill = seen[3] && qdoc_attr(seen[3], "section-fill") != NULL;
    if (!(seen[3] && qdoc_attr(seen[3], "section-color")))
        s->section_color = s->heading_color;
    if (s->logo && s->logo_w <= 0) s->logo_w = 40 * 72.0f / 25.4f;
    quorum_doc_free(doc);
    return L.errors ? NULL : s;
}

static const qstyle *load_file(const quorum_engine *e, const char *path,
                               const char *font_dir, qarena *a, quorum_diags *d) {
    quorum_doc *doc = qload_xml_file(path, "style", QUORUM_STYLE_NAMESPACE, d);
    return doc ? from_tree(e, doc, path, font_dir, a, d) : NULL;
}

const qstyle *qstyle_load_memory(const quorum_engine *e, const char *data,
                                 size_t len, const char *name,
                                 const char *font_dir, qarena *a,
                                 quorum_diags *d) {
    if (!font_dir || !*font_dir) font_dir = e->font_dir;
    quorum_doc *doc = qload_xml_memory(data, len, name, "style",
                                       QUORUM_STYLE_NAMESPACE, d);
    return doc ? from_tree(e, doc, name, font_dir, a, d) : NULL;
}

const qstyle *qstyle_load(const quorum_engine *e, const char *name,
                          const char *font_dir, qarena *a, quorum_diags *d) {
    if (!name || !*name) return &qstyle_builtin;
    if (!font_dir || !*font_dir) font_dir = e->font_dir;
    size_t n = strlen(name);
    int is_name = !strchr(name, '/') && !(n > 4 && strcmp(name + n - 4, ".xml") == 0);
    if (!is_name) return load_file(e, name, font_dir, a, d);
    const char *dir = e->style_dir;
    const char *path = qarena_printf(a, "%s/%s.xml", dir, name);
    if (!file_exists(path)) {
        /* the built-in style answers to its name with no file at all */
        if (strcmp(name, qstyle_builtin.name) == 0) return &qstyle_builtin;
        qpos p = {qdiag_file(d, path), 0, 0};
        /* a missing file, like an unreadable one */
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, p,
                        "no style named \"%s\" (looked for this file; set "
                        "QUORUM_STYLE_DIR or give a path)", name);
        return NULL;
    }
    return load_file(e, path, font_dir, a, d);
}

/* ---- fields and decoration ---------------------------------------------- */

const char *qstyle_expand(qarena *a, const qstyle *s, const char *tmpl,
                          const qstyle_fields *f, int page, int pages) {
    if (!tmpl) return NULL;
    size_t cap = strlen(tmpl) + 64, len = 0;
    char *out = malloc(cap);
    if (!out) qfatal_oom();
    for (const char *p = tmpl; *p;) {
        const char *val = NULL;
        char num[24];
        size_t skip = 1;
        if (*p == '{') {
            const char *e = strchr(p, '}');
            size_t k = e ? (size_t)(e - p - 1) : 0;
#define IS(lit) (k == sizeof lit - 1 && memcmp(p + 1, lit, k) == 0)
            if (!e) val = NULL;
            else if (IS("title")) val = f && f->title ? f->title : "";
            else if (IS("meeting")) val = f && f->meeting ? f->meeting : "";
            else if (IS("date")) val = f && f->date ? f->date : "";
            else if (IS("council")) val = s->council ? s->council : "";
            else if (IS("classification"))
                val = f && f->exempt ? (f->w ? qstyle_word(s, f->w, QW_NOT_FOR_PUBLICATION)
                                             : s->exempt_classification)
                    : s->classification ? s->classification : "";
            else if (IS("page")) { snprintf(num, sizeof num, "%d", page); val = num; }
            else if (IS("pages")) { snprintf(num, sizeof num, "%d", pages); val = num; }
#undef IS
            if (val) skip = k + 2;
        }
        const char *add = val ? val : p;
        size_t addn = val ? strlen(val) : 1;
        if (len + addn + 1 > cap) {
            while (len + addn + 1 > cap) cap *= 2;
            char *nb = realloc(out, cap);
            if (!nb) qfatal_oom();
            out = nb;
        }
        memcpy(out + len, add, addn);
        len += addn;
        p += skip;
    }
    out[len] = '\0';
    const char *r = qarena_strndup(a, out, len);
    free(out);
    return r;
}

static void put_text(qdlist *dl, qdl_page *pg, int art, qfont *f, const char *t,
                     float x, float y, float size, uint32_t color) {
    size_t n = strlen(t);
    if (!n) return;
    qdl_item *it = qdlist_add_item(dl, pg, QDL_TEXT, art);
    it->x = x; it->y = y; it->size = size; it->h = size; it->color = color;
    it->face = QF_REGULAR; it->text = t; it->len = (unsigned)n;
    it->w = (float)qfont_text_width(f, t, n, size);
    f->used = 1;
}

/* The element of a running header's text: on the first page (*para not
 * QDL_ART_HEADER) text that shows no page number (the council's name, the
 * classification, the meeting) is content, one paragraph made on first
 * use (*para), as it is meaningful and printed there first; elsewhere,
 * and page numbers anywhere, a header artifact. */
static int header_elem(qdlist *dl, const char *tmpl, int *para) {
    if (*para == QDL_ART_HEADER || strstr(tmpl, "{page}") || strstr(tmpl, "{pages}"))
        return QDL_ART_HEADER;
    if (*para < 0) *para = qdlist_add_elem(dl, QR_P, 0);
    return *para;
}

/* A band behind every section heading (the elements marked section_head:
 * the sections' H2, not the subheadings a pack page or an appendix tags H2):
 * one fill per run of items of the same heading on a page, inserted before
 * its first item so the text is drawn over it. */
static void section_bands(const qstyle *s, qdlist *dl) {
    const float padx = 4, pady = 3;
    for (size_t p = 0; p < dl->pages.len; p++) {
        qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        qdl_item *it = pg->items.data;
        size_t n = pg->items.len, nb = 0;
        int prev = -1;
        for (size_t i = 0; i < n; i++) {
            int e = it[i].kind == QDL_TEXT ? it[i].elem : -1;
            int h2 = e >= 0 && QVEC_AT(&dl->elems, qdl_elem, e).section_head;
            if (h2 && e != prev) nb++;
            prev = h2 ? e : -1;
        }
        if (!nb) continue;
        qdl_item *out = qarena_alloc(dl->arena, (n + nb) * sizeof *out);
        size_t o = 0;
        prev = -1;
        for (size_t i = 0; i < n; i++) {
            int e = it[i].kind == QDL_TEXT ? it[i].elem : -1;
            int h2 = e >= 0 && QVEC_AT(&dl->elems, qdl_elem, e).section_head;
            if (h2 && e != prev) {
                float top = it[i].y - it[i].size * 0.8f, bot = it[i].y + it[i].size * 0.25f;
                for (size_t k = i + 1; k < n && it[k].elem == e; k++) {
                    if (it[k].kind != QDL_TEXT) continue;
                    if (it[k].y - it[k].size * 0.8f < top) top = it[k].y - it[k].size * 0.8f;
                    if (it[k].y + it[k].size * 0.25f > bot) bot = it[k].y + it[k].size * 0.25f;
                }
                qdl_item *f = &out[o++];
                memset(f, 0, sizeof *f);
                f->kind = QDL_FILL;
                f->elem = -1;
                f->dest = -1;
                f->x = s->margin_left - padx;
                f->w = s->page_w - s->margin_left - s->margin_right + 2 * padx;
                f->y = top - pady;
                f->h = bot - top + 2 * pady;
                f->color = s->section_fill;
            }
            prev = h2 ? e : -1;
            out[o++] = it[i];
            if (h2) out[o - 1].color = s->section_color;
        }
        pg->items.data = out;
        pg->items.len = pg->items.cap = o;
    }
}

/* A field cut to what a line of size pt across w can show: expanded on
 * every page, a whole long title would be copied onto each (quadratic
 * work and memory) and drawn off the page. */
static const char *fit_field(qarena *a, const qfont *f, const char *v, float size,
                             float w) {
    if (!v) return v;
    size_t n = strlen(v);
    qfont_fit fit;
    qfont_fit_init(&fit, f, v, n, size, w);
    size_t k = qfont_fit_len(&fit, size, w);
    qfont_fit_free(&fit);
    return k < n ? qarena_strndup(a, v, k) : v;
}

static qstyle_fields fit_fields(qarena *a, const qfont *f, const qstyle_fields *fl,
                                float size, float w) {
    qstyle_fields r = *fl;
    r.title = fit_field(a, f, fl->title, size, w);
    r.meeting = fit_field(a, f, fl->meeting, size, w);
    return r;
}

void qstyle_decorate(const qstyle *s, qdlist *dl, const qstyle_fields *fields,
                     quorum_diags *d) {
    const qstyle_band *h = &s->header;
    int has_header = h->left || h->center || h->right;
    if (s->has_section_fill) section_bands(s, dl);
    if (!has_header && !s->footer_center && !s->logo) return;
    qfont *f = qfonts_face(dl->fonts, QF_REGULAR, d);
    if (!f) return;
    int np = (int)dl->pages.len;
    float left = s->margin_left, right = s->page_w - s->margin_right;
    const qstyle_fields head = fit_fields(dl->arena, f, fields, h->size, right - left);
    const qstyle_fields foot = fit_fields(dl->arena, f, fields, 9, right - left);
    const qstyle_fields *fl = &head;
    for (int p = 0; p < np; p++) {
        qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        /* a page from elsewhere has its bands, and nothing else is free */
        if (pg->foreign) continue;
        if (has_header) {
            float y = h->baseline;
            const char *l = qstyle_expand(dl->arena, s, h->left, fl, p + 1, np);
            const char *c = qstyle_expand(dl->arena, s, h->center, fl, p + 1, np);
            const char *r = qstyle_expand(dl->arena, s, h->right, fl, p + 1, np);
            size_t n0 = pg->items.len;
            int para = p == 0 ? -1 : QDL_ART_HEADER;
            if (l) put_text(dl, pg, header_elem(dl, h->left, &para), f, l, left, y, h->size,
                            h->color);
            if (c) {
                float w = (float)qfont_text_width(f, c, strlen(c), h->size);
                put_text(dl, pg, header_elem(dl, h->center, &para), f, c, (left + right - w) / 2,
                         y, h->size, h->color);
            }
            if (r) {
                float w = (float)qfont_text_width(f, r, strlen(r), h->size);
                put_text(dl, pg, header_elem(dl, h->right, &para), f, r, right - w, y, h->size,
                         h->color);
            }
            if (para >= 0) qdl_page_to_front(pg, n0);
            if (h->rule_width > 0) {
                qdl_item *it = qdlist_add_item(dl, pg, QDL_RULE, -1);
                it->x = left; it->y = y + 4; it->w = right - left; it->h = 0;
                it->size = h->rule_width; it->color = h->rule_color;
            }
        }
        if (s->footer_center) {
            /* its own line just above the footer rule (48 pt from the
             * bottom): the line below holds a title of any length */
            const char *c = qstyle_expand(dl->arena, s, s->footer_center, &foot, p + 1, np);
            float w = (float)qfont_text_width(f, c, strlen(c), 9);
            put_text(dl, pg, QDL_ART_FOOTER, f, c, (left + right - w) / 2, s->page_h - 53, 9,
                     s->foot_color);
        }
    }
    if (s->logo_img && np > 0) {
        float w = s->logo_w, hh = s->logo_h > 0 ? s->logo_h
                                 : w * (float)s->logo_img->h / (float)s->logo_img->w;
        /* the logo sits in the top margin, above the running header when
         * there is one; a tall one is scaled to fit */
        float bottom = has_header ? h->baseline - h->size - 3 : s->margin_top - 4;
        float room = bottom - 6;
        if (hh > room && room > 0) { w *= room / hh; hh = room; }
        int e = qdlist_add_elem(dl, QR_FIGURE, 0);
        QVEC_AT(&dl->elems, qdl_elem, e).alt =
            qarena_strdup(dl->arena, s->logo_alt ? s->logo_alt : "");
        qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, 0);
        qdl_item *it = qdlist_add_item(dl, pg, QDL_IMAGE, e);
        it->x = right - w;
        it->y = bottom - hh;
        it->w = w;
        it->h = hh;
        it->text = qarena_strdup(dl->arena, s->logo);
        it->len = (unsigned)strlen(it->text);
        it->dest = qdlist_add_image(dl, s->logo, s->logo_img);
        /* drawn first, so it is read where it stands, at the top of the
         * first page, not after the page's content */
        qdl_page_to_front(pg, pg->items.len - 1);
    }
}

const char *qstyle_word(const qstyle *s, const qw_words *w, qw_key k) {
    const char *own = k == QW_SIGN_OFF_LEAD ? s->sign_off_lead
                      : k == QW_NOT_APPLICABLE ? s->not_applicable
                      : k == QW_PUBLIC_DOCUMENT_PACK ? s->pack_banner
                      : k == QW_BLANK_PAGE ? s->pack_blank
                      : k == QW_NOT_FOR_PUBLICATION ? s->exempt_classification : NULL;
    return own && (w->english || !w->native[k]) ? own : w->text[k];
}

const qstyle_rating *qstyle_rating_of(const qstyle *s, const char *code) {
    if (!code) return NULL;
    for (int k = 0; k < 2; k++) {
        const qstyle *x = k ? &qstyle_builtin : s;
        for (int i = 0; x && i < x->nratings; i++)
            if (strcmp(x->ratings[i].code, code) == 0) return &x->ratings[i];
    }
    return NULL;
}

long qstyle_rating_fill(const qstyle *s, const char *code) {
    if (!code) return -1;
    for (int i = 0; i < s->nratings; i++)
        if (strcmp(s->ratings[i].code, code) == 0) return (long)s->ratings[i].fill;
    return -1;
}
