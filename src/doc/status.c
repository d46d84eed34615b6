/* Whether a report may be published: the one reading of its front-sheet
 * status and classification fields (docs/format.md, "Status"), which the
 * check, the house style's {classification} and the agenda pack all ask.
 * Authors type these values as they see them printed ("Exempt", "PART 2",
 * " not for publication "), so case and spacing do not matter; anything
 * else is outside the vocabulary and is never taken to mean open. */
#include <string.h>

#include "doc.h"

static const struct {
    const char *word;
    qdoc_access access;
} vocabulary[] = {
    {"open", QDOC_OPEN},
    {"public", QDOC_OPEN},
    {"part 1", QDOC_OPEN},
    {"exempt", QDOC_EXEMPT},
    {"part 2", QDOC_EXEMPT},
    {"not for publication", QDOC_EXEMPT},
    {"private", QDOC_EXEMPT},
    {"confidential", QDOC_CONFIDENTIAL},
};

const char *const qdoc_access_words =
    "open, public or Part 1 (open); exempt, Part 2, not for publication, "
    "private or confidential (not published)";

/* Space as an author's editor may leave it: tabs, line breaks and the
 * no-break space (UTF-8 C2 A0) a word processor pastes. */
static size_t space_at(const char *s) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') return 1;
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) return 2;
    return 0;
}

static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* value equals word, ignoring ASCII case, space around it, and how much
 * space stands where word has one. */
static int same_words(const char *v, const char *word) {
    size_t k;
    while ((k = space_at(v))) v += k;
    for (const char *w = word; *w; w++) {
        if (*w == ' ') {
            if (!space_at(v)) return 0;
            while ((k = space_at(v))) v += k;
        } else if (lower(*v++) != *w) {
            return 0;
        }
    }
    while ((k = space_at(v))) v += k;
    return *v == '\0';
}

qdoc_access qdoc_access_of_text(const char *value) {
    for (size_t i = 0; value && i < sizeof vocabulary / sizeof *vocabulary; i++)
        if (same_words(value, vocabulary[i].word)) return vocabulary[i].access;
    return QDOC_UNKNOWN;
}

int qdoc_is_access_field(const qnode *n) {
    const char *r = n && n->type == QN_FIELD ? qdoc_attr(n, "role") : NULL;
    return r && (strcmp(r, "status") == 0 || strcmp(r, "classification") == 0);
}

/* The most restrictive field wins: one that is not open (or cannot be
 * read) keeps the report out of print, whatever another one says. */
static int rank(qdoc_access x) {
    return x == QDOC_OPEN ? 0 : x == QDOC_UNKNOWN ? 3 : x == QDOC_EXEMPT ? 1 : 2;
}

qdoc_access qdoc_access_of(qarena *a, const quorum_doc *doc, const qnode **field) {
    qdoc_access best = QDOC_OPEN;
    const qnode *why = NULL;
    const qnode *fs = doc && doc->root ? qdoc_first_child_of(doc->root, QN_FRONT_SHEET)
                                       : NULL;
    for (const qnode *f = fs ? fs->first : NULL; f; f = f->next) {
        if (!qdoc_is_access_field(f)) continue;
        qdoc_access x = qdoc_access_of_text(qdoc_text(a, f));
        if (!why || rank(x) > rank(best)) {
            best = x;
            why = f;
        }
    }
    if (field) *field = why;
    return best;
}

int qdoc_published(qarena *a, const quorum_doc *doc) {
    return qdoc_access_of(a, doc, NULL) == QDOC_OPEN;
}

char *qdoc_value_text(qarena *a, const qnode *n) {
    char *s = qdoc_text(a, n);
    size_t k;
    while ((k = space_at(s))) s += k;
    size_t len = strlen(s), end = 0;
    for (size_t i = 0; i < len; i += k ? k : 1)
        if (!(k = space_at(s + i))) end = i + 1;
    s[end] = '\0';
    return s;
}

const qdoc_law_info qdoc_laws[QDOC_LAW__COUNT] = {
    [QDOC_LAW_ENGLAND] = {"england", "Part 1 of Schedule 12A to the Local Government Act 1972", 1, 7},
    [QDOC_LAW_WALES] = {"wales", "Part 4 of Schedule 12A to the Local Government Act 1972", 12, 18},
    [QDOC_LAW_SCOTLAND] = {"scotland",
                           "Part I of Schedule 7A to the Local Government (Scotland) Act 1973",
                           1, 15},
};

int qdoc_law_of(const quorum_doc *doc) {
    const char *v = doc && doc->root ? qdoc_attr(doc->root, "law") : NULL;
    if (!v) return QDOC_LAW_ENGLAND;
    for (int i = 0; i < QDOC_LAW__COUNT; i++)
        if (strcmp(v, qdoc_laws[i].name) == 0) return i;
    return -1;
}

int qdoc_paragraphs_ok(qdoc_law law, const char *paras) {
    int any = 0;
    const char *s = paras ? paras : "";
    size_t k;
    for (;;) {
        while ((k = space_at(s))) s += k;
        if (!*s) break;
        int v = 0, digits = 0;
        for (; *s >= '0' && *s <= '9' && digits < 3; s++, digits++) v = v * 10 + (*s - '0');
        if (!digits || (*s && !space_at(s))) return 0;
        if (v < qdoc_laws[law].first || v > qdoc_laws[law].last) return 0;
        any = 1;
    }
    return any;
}

const char *qdoc_field_value(qarena *a, const quorum_doc *doc, const char *role,
                             const char *attr) {
    const qnode *f = qdoc_field(doc, role);
    const char *v = f && attr ? qdoc_attr(f, attr) : NULL;
    return v ? v : f ? qdoc_value_text(a, f) : NULL;
}
