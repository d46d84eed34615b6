/* Words in the document's language: see words.h. */
#include "words.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "load.h"

/* Each key's name in strings files and the placeholders it takes (words.h
 * lists them too). */
static const struct {
    const char *name;
    const char *args; /* space-separated placeholder names */
} keys[QW__COUNT] = {
    [QW_PAGE_OF] = {"page-of", "page pages"},
    [QW_PAGE] = {"page", "page"},
    [QW_DATE] = {"date", "day month year"},
    [QW_DATE_WEEKDAY] = {"date-weekday", "weekday day month year"},
    [QW_MONTH_1] = {"month-1", ""}, [QW_MONTH_1 + 1] = {"month-2", ""},
    [QW_MONTH_1 + 2] = {"month-3", ""}, [QW_MONTH_1 + 3] = {"month-4", ""},
    [QW_MONTH_1 + 4] = {"month-5", ""}, [QW_MONTH_1 + 5] = {"month-6", ""},
    [QW_MONTH_1 + 6] = {"month-7", ""}, [QW_MONTH_1 + 7] = {"month-8", ""},
    [QW_MONTH_1 + 8] = {"month-9", ""}, [QW_MONTH_1 + 9] = {"month-10", ""},
    [QW_MONTH_1 + 10] = {"month-11", ""}, [QW_MONTH_1 + 11] = {"month-12", ""},
    [QW_WEEKDAY_1] = {"weekday-1", ""}, [QW_WEEKDAY_1 + 1] = {"weekday-2", ""},
    [QW_WEEKDAY_1 + 2] = {"weekday-3", ""}, [QW_WEEKDAY_1 + 3] = {"weekday-4", ""},
    [QW_WEEKDAY_1 + 4] = {"weekday-5", ""}, [QW_WEEKDAY_1 + 5] = {"weekday-6", ""},
    [QW_WEEKDAY_1 + 6] = {"weekday-7", ""},
    [QW_SIGN_OFF_LEAD] = {"sign-off-lead", ""},
    [QW_SIGN_OFF_DATE] = {"sign-off-date", "date"},
    [QW_NOT_APPLICABLE] = {"not-applicable", ""},
    [QW_APPENDIX] = {"appendix", "number"},
    [QW_APPENDIX_BOOKMARK] = {"appendix-bookmark", "number title"},
    [QW_AGENDA_ITEM] = {"agenda-item", "number"},
    [QW_REPORT_TO_FOLLOW] = {"report-to-follow", ""},
    [QW_SKIP_LINK] = {"skip-link", ""},
    [QW_REF_PARAGRAPH] = {"ref-paragraph", ""},
    [QW_REF_SECTION] = {"ref-section", ""},
    [QW_REF_APPENDIX] = {"ref-appendix", ""},
    [QW_REF_RECOMMENDATION] = {"ref-recommendation", ""},
    [QW_REF_OUTCOME] = {"ref-outcome", ""},
    [QW_REF_CRITERION] = {"ref-criterion", ""},
    [QW_AGENDA] = {"agenda", ""},
    [QW_SUPPLEMENTARY_AGENDA] = {"supplementary-agenda", ""},
    [QW_INFORMATION] = {"information", ""},
    [QW_DATE_TIME] = {"date-time", "date time"},
    [QW_LABEL_DATE_TIME] = {"label-date-time", ""},
    [QW_LABEL_VENUE] = {"label-venue", ""},
    [QW_LABEL_MEMBERSHIP] = {"label-membership", ""},
    [QW_LABEL_PUBLISHED] = {"label-published", ""},
    [QW_LABEL_SUPPLEMENT_PUBLISHED] = {"label-supplement-published", ""},
    [QW_LABEL_CONTACT] = {"label-contact", ""},
    [QW_LATE_ITEM] = {"late-item", "reason"},
    [QW_CONTACT] = {"contact", "who"},
    [QW_CONTACT_EMAIL] = {"contact-email", "email"},
    [QW_CONTACT_PHONE] = {"contact-phone", "phone"},
    [QW_AGENDA_PAGE_COLUMN] = {"agenda-page-column", ""},
    [QW_EXCLUSION_LEAD] = {"exclusion-lead", ""},
    [QW_EXCLUSION] = {"exclusion", "schedule"},
    [QW_SCHEDULE_12A] = {"schedule-12a", ""},
    [QW_SCHEDULE_12A_1] = {"schedule-12a-1", ""}, [QW_SCHEDULE_12A_1 + 1] = {"schedule-12a-2", ""},
    [QW_SCHEDULE_12A_1 + 2] = {"schedule-12a-3", ""}, [QW_SCHEDULE_12A_1 + 3] = {"schedule-12a-4", ""},
    [QW_SCHEDULE_12A_1 + 4] = {"schedule-12a-5", ""}, [QW_SCHEDULE_12A_1 + 5] = {"schedule-12a-6", ""},
    [QW_SCHEDULE_12A_1 + 6] = {"schedule-12a-7", ""},
    [QW_SCHEDULE_12A_WALES] = {"schedule-12a-wales", ""},
    [QW_SCHEDULE_12A_12 + 0] = {"schedule-12a-12", ""},
    [QW_SCHEDULE_12A_12 + 1] = {"schedule-12a-13", ""},
    [QW_SCHEDULE_12A_12 + 2] = {"schedule-12a-14", ""},
    [QW_SCHEDULE_12A_12 + 3] = {"schedule-12a-15", ""},
    [QW_SCHEDULE_12A_12 + 4] = {"schedule-12a-16", ""},
    [QW_SCHEDULE_12A_12 + 5] = {"schedule-12a-17", ""},
    [QW_SCHEDULE_12A_12 + 6] = {"schedule-12a-18", ""},
    [QW_SCHEDULE_7A] = {"schedule-7a", ""},
    [QW_SCHEDULE_7A_1 + 0] = {"schedule-7a-1", ""},
    [QW_SCHEDULE_7A_1 + 1] = {"schedule-7a-2", ""},
    [QW_SCHEDULE_7A_1 + 2] = {"schedule-7a-3", ""},
    [QW_SCHEDULE_7A_1 + 3] = {"schedule-7a-4", ""},
    [QW_SCHEDULE_7A_1 + 4] = {"schedule-7a-5", ""},
    [QW_SCHEDULE_7A_1 + 5] = {"schedule-7a-6", ""},
    [QW_SCHEDULE_7A_1 + 6] = {"schedule-7a-7", ""},
    [QW_SCHEDULE_7A_1 + 7] = {"schedule-7a-8", ""},
    [QW_SCHEDULE_7A_1 + 8] = {"schedule-7a-9", ""},
    [QW_SCHEDULE_7A_1 + 9] = {"schedule-7a-10", ""},
    [QW_SCHEDULE_7A_1 + 10] = {"schedule-7a-11", ""},
    [QW_SCHEDULE_7A_1 + 11] = {"schedule-7a-12", ""},
    [QW_SCHEDULE_7A_1 + 12] = {"schedule-7a-13", ""},
    [QW_SCHEDULE_7A_1 + 13] = {"schedule-7a-14", ""},
    [QW_SCHEDULE_7A_1 + 14] = {"schedule-7a-15", ""},
    [QW_EXCLUSION_SCOTLAND] = {"exclusion-scotland", "schedule"},
    [QW_EXEMPT_PARAGRAPH] = {"exempt-paragraph", "number"},
    [QW_EXEMPT_PARAGRAPHS] = {"exempt-paragraphs", "numbers last"},
    [QW_EXEMPT_ITEM] = {"exempt-item", "paragraphs schedule"},
    [QW_NOT_FOR_PUBLICATION_BECAUSE] = {"not-for-publication-because", "paragraphs schedule reasons"},
    [QW_NOT_FOR_PUBLICATION] = {"not-for-publication", ""},
    [QW_TO_FOLLOW] = {"to-follow", ""},
    [QW_TO_FOLLOW_NOTE] = {"to-follow-note", ""},
    [QW_BLANK_PAGE] = {"blank-page", ""},
    [QW_PUBLIC_DOCUMENT_PACK] = {"public-document-pack", ""},
    [QW_AGENDA_PACK_SUBJECT] = {"agenda-pack-subject", "body date"},
    [QW_LABEL_DATE] = {"label-date", ""},
    [QW_LABEL_TIME] = {"label-time", ""},
    [QW_MEMBERS] = {"members", ""},
    [QW_DOCUMENTS] = {"documents", ""},
    [QW_SITE_PACK] = {"site-pack", ""},
    [QW_SITE_SUPPLEMENT] = {"site-supplement", ""},
    [QW_SITE_SUPPLEMENT_PUBLISHED] = {"site-supplement-published", "date"},
    [QW_SITE_LATE] = {"site-late", ""},
    [QW_SITE_LATE_PUBLISHED] = {"site-late-published", "date"},
    [QW_SITE_ITEM_PDF] = {"site-item-pdf", "number"},
    [QW_SITE_UP] = {"site-up", ""},
    [QW_RELATED] = {"related", ""},
    [QW_REPORT_PDF] = {"report-pdf", ""},
    [QW_HTML_FOOTER] = {"html-footer", ""},
    [QW_RATING_R] = {"rating-r", ""},
    [QW_RATING_A] = {"rating-a", ""},
    [QW_RATING_G] = {"rating-g", ""},
    [QW_RATING_R_MEANS] = {"rating-r-means", ""},
    [QW_RATING_A_MEANS] = {"rating-a-means", ""},
    [QW_RATING_G_MEANS] = {"rating-g-means", ""},
    [QW_OUTCOME_CRITERION] = {"outcome-criterion", ""},
    [QW_DEFINITIONS] = {"definitions", ""},
    [QW_NOT_RATED] = {"not-rated", ""},
    [QW_MOVEMENT] = {"movement", ""},
    [QW_MOVEMENT_CAPTION] = {"movement-caption", ""},
    [QW_MOVEMENT_ALT] = {"movement-alt", ""},
    [QW_NO_CHANGE] = {"no-change", "from to"},
    [QW_CHANGES] = {"changes", "from to"},
    [QW_IMPROVED] = {"improved", ""},
    [QW_DECLINED] = {"declined", ""},
    [QW_CHANGED] = {"changed", ""},
    [QW_UNCHANGED] = {"unchanged", ""},
    [QW_LEAD_SUMMARY] = {"lead-summary", ""},
    [QW_ASSESSMENT] = {"assessment", ""},
    [QW_ABOUT_REPORT] = {"about-report", ""},
    [QW_UNTITLED_REPORT] = {"untitled-report", ""},
    [QW_UNTITLED_MEETING] = {"untitled-meeting", ""},
    [QW_UNTITLED_FORM] = {"untitled-form", ""},
};

const char *qw_key_name(qw_key k) { return k < QW__COUNT ? keys[k].name : NULL; }

/* name[0..n)'s key, or -1.  Files list keys mostly in the table's order,
 * so the search starts at from (the key after the last one found). */
static int key_of_n(const char *name, size_t n, int from) {
    for (int i = 0; i < QW__COUNT; i++) {
        int k = (from + i) % QW__COUNT;
        if (strncmp(keys[k].name, name, n) == 0 && keys[k].name[n] == '\0') return k;
    }
    return -1;
}

static int key_of(const char *name, int from) { return key_of_n(name, strlen(name), from); }

/* Index of placeholder name[0..n) among key k's, or -1. */
static int arg_of(qw_key k, const char *name, size_t n) {
    int i = 0;
    for (const char *p = keys[k].args; *p; i++) {
        size_t m = strcspn(p, " ");
        if (m == n && strncmp(p, name, n) == 0) return i;
        p += m;
        while (*p == ' ') p++;
    }
    return -1;
}

/* The primary language subtag of tag, lower case, in out (9 bytes):
 * "cy-GB" -> "cy"; "" for NULL. */
static void primary(const char *tag, char out[9]) {
    size_t i = 0;
    for (; tag && tag[i] && tag[i] != '-' && tag[i] != '_' && i < 8; i++)
        out[i] = (char)(tag[i] >= 'A' && tag[i] <= 'Z' ? tag[i] + 32 : tag[i]);
    out[i] = '\0';
}

/* ---- reading strings files -------------------------------------------- */

static qpos attr_pos(const qnode *n, const char *name) {
    for (const qattr *at = n->attrs; at; at = at->next)
        if (strcmp(at->name, name) == 0) return at->pos;
    return n->pos;
}

static int blank_text(const qnode *n) {
    for (size_t i = 0; i < n->text_len; i++)
        if (!strchr(" \t\r\n", n->text[i])) return 0;
    return 1;
}

/* Whether every {…} in s is a placeholder key k takes. */
static int placeholders_ok(qw_key k, const char *s) {
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e || arg_of(k, p + 1, (size_t)(e - p - 1)) < 0) return 0;
    }
    return 1;
}

/* The text of a <string>, trimmed; NULL (with an error) when it holds
 * elements or a placeholder key k does not take. */
static const char *string_text(const qnode *n, qw_key k, qarena *a, quorum_diags *d) {
    for (const qnode *c = n->first; c; c = c->next)
        if (c->type != QN_TEXT) {
            qdiag_add(d, QUORUM_ERROR, c->pos, "<string> holds text only, not <%s>", c->name);
            return NULL;
        }
    char *s = qdoc_text(a, n);
    while (*s && strchr(" \t\r\n", *s)) s++;
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1])) s[--len] = '\0';
    if (placeholders_ok(k, s)) return s;
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e) {
            qdiag_add(d, QUORUM_ERROR, n->pos, "string \"%s\": \"{\" without a closing \"}\"",
                      keys[k].name);
            return NULL;
        }
        if (arg_of(k, p + 1, (size_t)(e - p - 1)) >= 0) continue;
        qstr takes = {0};
        for (const char *q = keys[k].args; *q;) {
            size_t m = strcspn(q, " ");
            qstr_printf(&takes, "%s{%.*s}", takes.len ? " " : "", (int)m, q);
            q += m;
            while (*q == ' ') q++;
        }
        qdiag_add(d, QUORUM_ERROR, n->pos, "string \"%s\": {%.*s} is not a placeholder "
                  "it takes (it takes %s)", keys[k].name, (int)(e - p - 1), p + 1,
                  takes.len ? takes.s : "none");
        qstr_free(&takes);
        return NULL;
    }
    return s;
}

static qw_table *from_doc(const quorum_doc *doc, qarena *a, quorum_diags *d) {
    const qnode *root = doc->root;
    size_t before = quorum_diags_count_severity(d, QUORUM_ERROR);
    qw_table *t = qarena_alloc(a, sizeof *t);
    const char *lang = qdoc_attr(root, "xml:lang");
    char p[9];
    primary(lang, p);
    if (!*p)
        qdiag_add(d, QUORUM_ERROR, root->pos, "<strings> needs xml:lang, the language "
                  "of its words (e.g. xml:lang=\"cy\")");
    t->lang = qarena_strdup(a, p);
    unsigned line[QW__COUNT] = {0};
    const char *names[QW__COUNT];
    for (int k = 0; k < QW__COUNT; k++) names[k] = keys[k].name;
    int next = 0;
    for (const qnode *n = root->first; n; n = n->next) {
        if (n->type == QN_TEXT) {
            if (!blank_text(n)) qdiag_add(d, QUORUM_ERROR, n->pos, "text directly in <strings>");
            continue;
        }
        if (strcmp(n->name, "string") != 0) {
            qdiag_add(d, QUORUM_ERROR, n->pos, "unknown element <%s> in a strings file "
                      "(expected <string id=\"…\">)", n->name);
            continue;
        }
        const char *id = qdoc_attr(n, "id");
        int k = id ? key_of(id, next) : -1;
        if (k < 0) {
            const char *near = id ? qnearest(id, names, QW__COUNT) : NULL;
            qdiag_add(d, QUORUM_ERROR, id ? attr_pos(n, "id") : n->pos,
                      id ? "unknown string id \"%s\"%s%s%s" : "<string> needs an id%s%s%s%s",
                      id ? id : "", near ? "; did you mean \"" : "", near ? near : "",
                      near ? "\"?" : "");
            continue;
        }
        if (line[k]) {
            qdiag_add(d, QUORUM_ERROR, attr_pos(n, "id"),
                      "string \"%s\" given twice (first on line %u)", id, line[k]);
            continue;
        }
        line[k] = n->pos.line ? n->pos.line : 1;
        t->text[k] = string_text(n, (qw_key)k, a, d);
        next = k + 1;
    }
    return quorum_diags_count_severity(d, QUORUM_ERROR) > before ? NULL : t;
}

qw_table *qw_load_file(const char *path, qarena *a, quorum_diags *d) {
    quorum_doc *doc = qload_xml_file(path, "strings", QW_NAMESPACE, d);
    qw_table *t = doc ? from_doc(doc, a, d) : NULL;
    quorum_doc_free(doc);
    return t;
}

qw_table *qw_load_memory(const char *data, size_t len, const char *name,
                         qarena *a, quorum_diags *d) {
    quorum_doc *doc = qload_xml_memory(data, len, name, "strings", QW_NAMESPACE, d);
    qw_table *t = doc ? from_doc(doc, a, d) : NULL;
    quorum_doc_free(doc);
    return t;
}

/* ---- the simple form, without the loader ----------------------------- */

static const char *skip_space(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

/* Past blanks and comments. */
static const char *skip_misc(const char *p, const char *end) {
    for (;;) {
        p = skip_space(p, end);
        if (end - p < 4 || memcmp(p, "<!--", 4) != 0) return p;
        const char *e = strstr(p + 4, "-->"); /* the bytes are NUL-terminated */
        if (!e || e >= end) return end;
        p = e + 3;
    }
}

/* name="value" at p (no entity in the value): its parts, and the byte
 * after it; NULL when p holds something else. */
static const char *attr_at(const char *p, const char *end, const char **name,
                           size_t *nlen, const char **val, size_t *vlen) {
    *name = p;
    while (p < end && *p != '=' && *p != ' ' && *p != '>' && *p != '"') p++;
    *nlen = (size_t)(p - *name);
    if (!*nlen || p + 1 >= end || p[0] != '=' || p[1] != '"') return NULL;
    *val = p + 2;
    const char *q = memchr(*val, '"', (size_t)(end - *val));
    if (!q || memchr(*val, '&', (size_t)(q - *val)) || memchr(*val, '<', (size_t)(q - *val)))
        return NULL;
    *vlen = (size_t)(q - *val);
    return q + 1;
}

qw_table *qw_read_simple(const char *data, size_t len, qarena *a) {
    const char *p = data, *end = data + len;
    if (len >= 6 && memcmp(p, "<?xml ", 6) == 0) { /* the declaration */
        const char *e = strstr(p, "?>");
        if (!e || e >= end) return NULL;
        p = e + 2;
    }
    p = skip_misc(p, end);
    static const char root[] = "<strings";
    if ((size_t)(end - p) < sizeof root || memcmp(p, root, sizeof root - 1) != 0)
        return NULL;
    p += sizeof root - 1;
    const char *lang = NULL, *name, *val;
    size_t lang_len = 0, nlen, vlen;
    int ns = 0;
    for (;;) {
        const char *q = skip_space(p, end);
        if (q < end && *q == '>') {
            p = q + 1;
            break;
        }
        if (q == p || !(p = attr_at(q, end, &name, &nlen, &val, &vlen))) return NULL;
        if (nlen == 5 && memcmp(name, "xmlns", 5) == 0)
            ns = vlen == strlen(QW_NAMESPACE) && memcmp(val, QW_NAMESPACE, vlen) == 0;
        else if (nlen == 8 && memcmp(name, "xml:lang", 8) == 0)
            lang = val, lang_len = vlen;
        else
            return NULL;
    }
    if (!ns || !lang || lang_len > 8) return NULL;
    char lang_z[9], prim[9];
    memcpy(lang_z, lang, lang_len);
    lang_z[lang_len] = '\0';
    primary(lang_z, prim);
    if (!*prim) return NULL;
    qw_table *t = qarena_alloc(a, sizeof *t);
    t->lang = qarena_strdup(a, prim);
    int next = 0;
    for (;;) {
        p = skip_misc(p, end);
        static const char close[] = "</strings>";
        if ((size_t)(end - p) >= sizeof close - 1 && memcmp(p, close, sizeof close - 1) == 0) {
            p = skip_misc(p + sizeof close - 1, end);
            return p == end ? t : NULL;
        }
        static const char open[] = "<string ";
        if ((size_t)(end - p) < sizeof open || memcmp(p, open, sizeof open - 1) != 0 ||
            !(p = attr_at(p + sizeof open - 1, end, &name, &nlen, &val, &vlen)) ||
            nlen != 2 || memcmp(name, "id", 2) != 0 || p >= end || *p != '>')
            return NULL;
        int k = key_of_n(val, vlen, next);
        if (k < 0 || t->text[k]) return NULL;
        const char *text = ++p;
        const char *lt = memchr(text, '<', (size_t)(end - text));
        static const char etag[] = "</string>";
        if (!lt || (size_t)(end - lt) < sizeof etag - 1 ||
            memcmp(lt, etag, sizeof etag - 1) != 0 || memchr(text, '&', (size_t)(lt - text)))
            return NULL;
        /* as the loader gives it: each run of white space one space,
         * then trimmed (string_text) */
        char *out = qarena_alloc_uninit(a, (size_t)(lt - text) + 1), *o = out;
        for (const char *c = text; c < lt; c++) {
            int white = *c == ' ' || *c == '\t' || *c == '\r' || *c == '\n';
            if (!white) *o++ = *c;
            else if (o > out && o[-1] != ' ') *o++ = ' ';
        }
        if (o > out && o[-1] == ' ') o--;
        *o = '\0';
        if (!placeholders_ok((qw_key)k, out)) return NULL;
        t->text[k] = out;
        next = k + 1;
        p = lt + sizeof etag - 1;
    }
}

/* ---- the shipped tables ----------------------------------------------- */

/* English is wanted by every run (the fallback of every key); the other
 * languages' files are parsed only when a document or style asks for a
 * language other than English (parsing Welsh was a twentieth of an
 * English report's HTML). */
static const struct { const unsigned char *bytes; const size_t *len; const char *name; }
    shipped_files[] = {
        {qbuiltin_strings_en, &qbuiltin_strings_en_len, "data/strings/en.xml"},
        {qbuiltin_strings_cy, &qbuiltin_strings_cy_len, "data/strings/cy.xml"}};
static qw_table *shipped_en, *shipped_others;
/* theirs, kept for the process's life like the bytes they are read from;
 * one each, as the two may be read by two threads at once */
static qarena *shipped_arena, *others_arena;
static pthread_once_t en_once = PTHREAD_ONCE_INIT, others_once = PTHREAD_ONCE_INIT;

/* The shipped files [from, to) as a list in a, in their order. */
static qw_table *read_shipped(size_t from, size_t to, qarena *a) {
    quorum_diags *d = quorum_diags_new();
    qw_table *list = NULL, **tail = &list;
    for (size_t i = from; i < to; i++) {
        /* the simple form the shipped files are written in, read in a
         * tenth of the loader's time; the loader when they are not */
        qw_table *t = qw_read_simple((const char *)shipped_files[i].bytes,
                                     *shipped_files[i].len, a);
        if (!t)
            t = qw_load_memory((const char *)shipped_files[i].bytes,
                               *shipped_files[i].len, shipped_files[i].name, a, d);
        if (!t) continue; /* test_words reads each shipped file and fails on this */
        *tail = t;
        tail = &t->next;
    }
    quorum_diags_free(d);
    return list;
}

static void read_en(void) {
    shipped_en = read_shipped(0, 1, shipped_arena = qarena_new(0));
}

static void read_others(void) {
    size_t n = sizeof shipped_files / sizeof shipped_files[0];
    shipped_others = read_shipped(1, n, others_arena = qarena_new(0));
}

static qw_words *english_words; /* qw_english's, in shipped_arena */

static const qw_table *shipped_table(const char *p) {
    pthread_once(&en_once, read_en);
    if (shipped_en && strcmp(shipped_en->lang, p) == 0) return shipped_en;
    if (!*p || strcmp(p, "en") == 0) return NULL;
    pthread_once(&others_once, read_others);
    for (const qw_table *t = shipped_others; t; t = t->next)
        if (strcmp(t->lang, p) == 0) return t;
    return NULL;
}

static const char *from(const qw_table *t, const char *p, qw_key k) {
    for (; t; t = t->next)
        if (strcmp(t->lang, p) == 0 && t->text[k]) return t->text[k];
    return NULL;
}

int qw_known(const qw_table *style, const char *lang) {
    char p[9];
    primary(lang, p);
    if (!*p || strcmp(p, "en") == 0 || shipped_table(p)) return 1;
    for (const qw_table *t = style; t; t = t->next)
        if (strcmp(t->lang, p) == 0) return 1;
    return 0;
}

const qw_words *qw_for(qarena *a, const qw_table *style, const char *lang) {
    char p[9];
    primary(lang, p);
    const qw_table *own = shipped_table(p), *en = shipped_table("en");
    qw_words *w = qarena_alloc(a, sizeof *w);
    w->lang = lang && *lang ? qarena_strdup(a, lang) : "en";
    int english = w->english = !*p || strcmp(p, "en") == 0;
    for (int k = 0; k < QW__COUNT; k++) {
        const char *s = from(style, p, (qw_key)k);
        if (!s && own) s = own->text[k];
        w->native[k] = s || english;
        if (!s) s = from(style, "en", (qw_key)k);
        if (!s && en) s = en->text[k];
        w->text[k] = s ? s : "";
    }
    return w;
}

static pthread_once_t english_once = PTHREAD_ONCE_INIT;

static void make_english(void) {
    shipped_table("en");
    english_words = (qw_words *)qw_for(shipped_arena, NULL, NULL);
}

const qw_words *qw_english(void) {
    pthread_once(&english_once, make_english);
    return english_words;
}

/* ---- filling in -------------------------------------------------------- */

static const char *fill(qarena *a, const qw_words *w, qw_key k, const char *const *v, int nv) {
    const char *t = w->text[k];
    qstr b = {0};
    for (const char *p = t; *p;) {
        const char *e = *p == '{' ? strchr(p, '}') : NULL;
        int i = e ? arg_of(k, p + 1, (size_t)(e - p - 1)) : -1;
        if (i >= 0 && i < nv) {
            qstr_puts(&b, v[i] ? v[i] : "");
            p = e + 1;
        } else {
            qstr_put(&b, p, 1);
            p++;
        }
    }
    const char *s = qarena_strdup(a, b.s ? b.s : "");
    qstr_free(&b);
    return s;
}

const char *qw_fmt(qarena *a, const qw_words *w, qw_key k, ...) {
    const char *v[4] = {0};
    int nv = 0;
    for (const char *p = keys[k].args; *p && nv < 4; nv++) {
        p += strcspn(p, " ");
        while (*p == ' ') p++;
    }
    va_list ap;
    va_start(ap, k);
    for (int i = 0; i < nv; i++) v[i] = va_arg(ap, const char *);
    va_end(ap);
    return fill(a, w, k, v, nv);
}

const char *qw_page_of(qarena *a, const qw_words *w, size_t page, size_t pages) {
    char p[24], n[24];
    snprintf(p, sizeof p, "%zu", page);
    snprintf(n, sizeof n, "%zu", pages);
    return qw_fmt(a, w, QW_PAGE_OF, p, n);
}

const char *qw_date(qarena *a, const qw_words *w, const char *iso, int with_weekday) {
    long days;
    if (!iso) return "";
    if (qdate_parse(iso, &days) != 0) return iso;
    int y, m, d;
    qdate_ymd(days, &y, &m, &d);
    char day[8], year[8];
    snprintf(day, sizeof day, "%d", d);
    snprintf(year, sizeof year, "%d", y);
    const char *month = w->text[QW_MONTH_1 + m - 1];
    if (!with_weekday) return qw_fmt(a, w, QW_DATE, day, month, year);
    return qw_fmt(a, w, QW_DATE_WEEKDAY, w->text[QW_WEEKDAY_1 + qdate_weekday(days)], day,
                  month, year);
}
