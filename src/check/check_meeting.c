/* Checks of meeting files (docs/meeting.md, "What the checker enforces"):
 * what the schema cannot say.  The reports an agenda names are pack.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "check.h"
#include "doc.h"
#include "load.h"
#include "meeting.h"

#define QMEETING_CLEAR_DAYS 5
#define QMEETING_HOLIDAYS_FILE "bank-holidays-england-wales.txt"
/* A list of dates: a century of bank holidays is some 10 KB. */
#define QMEETING_HOLIDAYS_MAX ((size_t)1 << 20)

typedef struct qmcheck {
    const quorum_doc *doc;
    quorum_diags *d;
    qarena *a;
} qmcheck;

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int blank(const char *s) {
    for (; s && *s; s++)
        if (!is_space(*s)) return 0;
    return 1;
}

static int schema_said(const quorum_doc *doc, qpos p) {
    for (size_t i = 0; i < doc->nschema_errors; i++) {
        qpos e = doc->schema_errors[i];
        if (e.file == p.file && e.line == p.line && e.col == p.col) return 1;
    }
    return 0;
}

/* Text of an element with the edges trimmed (arena copy). */
static char *text_of(qmcheck *C, const qnode *n) {
    char *s = qdoc_text(C->a, n);
    while (is_space(*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && is_space(s[len - 1])) s[--len] = '\0';
    return s;
}

static int is_true(const char *v) {
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* ---- bank holidays -------------------------------------------------- */

/* The list is read whole through the one file reader (a FIFO or device
 * named by --holidays is refused, not waited on) and parsed from memory,
 * the compiled-in copy by the same code. */
int qmeeting_holidays_load(const char *path, long **days, size_t *n,
                           quorum_diags *d) {
    *days = NULL;
    *n = 0;
    unsigned char *bytes = NULL;
    size_t len = qbuiltin_holidays_len;
    int rerr = path ? qfile_read(path, 0, QMEETING_HOLIDAYS_MAX, &bytes, &len) : 0;
    const char *text = path ? (const char *)bytes : (const char *)qbuiltin_holidays;
    unsigned file = qdiag_file(d, path ? path : QMEETING_HOLIDAYS_FILE);
    if (rerr) {
        char lim[32];
        if (rerr == EFBIG)
            qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, (qpos){file, 0, 0},
                            "the bank holiday list is larger than the %s limit",
                            qsize_text(lim, sizeof lim, QMEETING_HOLIDAYS_MAX));
        else
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){file, 0, 0},
                            "cannot read the bank holiday list: %s",
                            qfile_strerror(rerr));
        return -1;
    }
    size_t cap = 0;
    long *v = NULL;
    int errors = 0;
    char line[512];
    unsigned lineno = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        /* longer than any sensible line: the rest of it is not read */
        size_t k = end - at < sizeof line - 1 ? end - at : sizeof line - 1;
        memcpy(line, text + at, k);
        line[k] = '\0';
        at = end + 1;
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *s = line;
        while (is_space(*s)) s++;
        char *e = s + strlen(s);
        while (e > s && is_space(e[-1])) *--e = '\0';
        if (!*s) continue;
        unsigned col = 1;
        for (const char *c = line; c < s; c++)
            if (((unsigned char)*c & 0xC0) != 0x80) col++;
        long day;
        if (qdate_parse(s, &day) != 0) {
            if (errors++ < 20)
                qdiag_add(d, QUORUM_ERROR, (qpos){file, lineno, col},
                          "\"%s\" is not a date: the bank holiday list holds "
                          "one ISO date (YYYY-MM-DD) a line", s);
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 128;
            long *nv = realloc(v, cap * sizeof *nv);
            if (!nv) qfatal_oom();
            v = nv;
        }
        v[(*n)++] = day;
    }
    free(bytes);
    if (errors) {
        free(v);
        *n = 0;
        return -1;
    }
    *days = v;
    return 0;
}

/* ---- the publication rule ------------------------------------------- */

static void check_publication(qmcheck *C, const qnode *date_n, long meeting,
                              const qnode *pub_n, long published,
                              const char *holidays_path) {
    char ms[16], ps[16];
    int y, m, dd;
    qdate_ymd(meeting, &y, &m, &dd);
    snprintf(ms, sizeof ms, "%04d-%02d-%02d", y, m, dd);
    qdate_ymd(published, &y, &m, &dd);
    snprintf(ps, sizeof ps, "%04d-%02d-%02d", y, m, dd);
    if (published >= meeting) {
        qdiag_add(C->d, QUORUM_ERROR, pub_n->pos,
                  "published %s, not before the meeting on %s: the agenda "
                  "must be published before the meeting", ps, ms);
        return;
    }
    long *hol = NULL;
    size_t nhol = 0;
    if (qmeeting_holidays_load(holidays_path, &hol, &nhol, C->d) != 0)
        return; /* said; a count without the list would mislead */
    int ylo = 0, yhi = 0;
    if (nhol) {
        long lo = hol[0], hi = hol[0];
        for (size_t i = 1; i < nhol; i++) {
            if (hol[i] < lo) lo = hol[i];
            if (hol[i] > hi) hi = hol[i];
        }
        qdate_ymd(lo, &ylo, &m, &dd);
        qdate_ymd(hi, &yhi, &m, &dd);
    }
    int ypub, ymeet;
    qdate_ymd(published, &ypub, &m, &dd);
    qdate_ymd(meeting, &ymeet, &m, &dd);
    if (!nhol || ypub < ylo || ymeet > yhi) {
        const qnode *at = ymeet > yhi || !nhol ? date_n : pub_n;
        if (nhol)
            qdiag_add(C->d, QUORUM_WARNING, at->pos,
                      "bank holidays known only for %d–%d: clear working days "
                      "between %s and %s are counted without them", ylo, yhi,
                      ps, ms);
        else
            qdiag_add(C->d, QUORUM_WARNING, at->pos,
                      "the bank holiday list is empty: clear working days "
                      "between %s and %s are counted without bank holidays",
                      ps, ms);
        nhol = 0;
    }
    long clear = qdate_clear_days(published, meeting, hol, nhol);
    free(hol);
    if (clear < QMEETING_CLEAR_DAYS)
        qdiag_add(C->d, QUORUM_WARNING, pub_n->pos,
                  "published %s, only %ld clear working day%s before the "
                  "meeting on %s (%d required)", ps, clear,
                  clear == 1 ? "" : "s", ms, QMEETING_CLEAR_DAYS);
}

/* ---- fields --------------------------------------------------------- */

static const qnode *child(const qnode *n, qdoc_type t) {
    return qdoc_first_child_of(n, t);
}

/* A date element: returns 0 and *v, or -1 (said, unless the schema did). */
static int date_field(qmcheck *C, const qnode *n, const char *what, long *v) {
    const char *s = text_of(C, n);
    if (qdate_parse(s, v) == 0) return 0;
    if (!schema_said(C->doc, n->pos))
        qdiag_add(C->d, QUORUM_ERROR, n->pos,
                  "%s \"%s\" is not a valid ISO 8601 date (YYYY-MM-DD)", what,
                  s);
    return -1;
}

static void check_time(qmcheck *C, const qnode *n) {
    const char *s = text_of(C, n);
    int ok = strlen(s) == 5 && s[2] == ':';
    for (int i = 0; ok && i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) ok = 0;
    if (ok && ((s[0] - '0') * 10 + (s[1] - '0') > 23 || s[3] > '5')) ok = 0;
    if (!ok && !schema_said(C->doc, n->pos))
        qdiag_add(C->d, QUORUM_ERROR, n->pos,
                  "time \"%s\" is not a 24-hour time (HH:MM, 00:00 to 23:59)",
                  s);
}

static void check_clerk(qmcheck *C, const qnode *clerk) {
    const qattr *nm = qdoc_attr_get(clerk, "name");
    if (nm && blank(nm->value))
        qdiag_add(C->d, QUORUM_ERROR, nm->pos, "the clerk's name is empty");
    else if (!nm && !C->doc->schema_checked)
        qdiag_add(C->d, QUORUM_ERROR, clerk->pos, "<clerk> needs a name");
    const char *email = qdoc_attr(clerk, "email");
    const char *phone = qdoc_attr(clerk, "phone");
    if (blank(email) && blank(phone))
        qdiag_add(C->d, QUORUM_ERROR, clerk->pos,
                  "<clerk> needs an email or a phone: the agenda tells the "
                  "public whom to contact");
}


void qmeeting_check_law(const quorum_doc *meeting, const quorum_doc *report,
                        const qattr *ra, quorum_diags *d) {
    int rl = qdoc_law_of(report), ml = qdoc_law_of(meeting);
    if (rl >= 0 && ml >= 0 && rl != ml)
        qdiag_add(d, QUORUM_WARNING, ra->pos,
                  "report \"%s\" is under law=\"%s\", this meeting under law=\"%s\": "
                  "a council's reports and meetings cite one law", ra->value,
                  qdoc_laws[rl].name, qdoc_laws[ml].name);
}

static int whole(const char *s) {
    if (!*s || strlen(s) > 9) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* report="….pdf": the PDF's own title serves when the item gives none
 * (the schema cannot say "required unless", so the check does). */
static int is_pdf_item(const qnode *it) {
    const char *r = qdoc_attr(it, "report");
    return r && qload_is_pdf_name(r);
}

static void check_items(qmcheck *C, const qnode *agenda, qdoc_law law, int have_dates,
                        long meeting, long published) {
    long last = 0;        /* last whole number given out */
    const qnode *exempt = NULL;
    for (const qnode *it = agenda->first; it; it = it->next) {
        if (it->type != QN_AGENDA_ITEM) continue;
        const qattr *t = qdoc_attr_get(it, "title");
        if (t && blank(t->value))
            qdiag_add(C->d, QUORUM_ERROR, t->pos, "the item title is empty");
        else if (!t && !is_pdf_item(it))
            qdiag_add(C->d, QUORUM_ERROR, it->pos, "<item> needs a title");
        const char *num = it->number ? it->number : "?";

        const qattr *nattr = qdoc_attr_get(it, "number");
        if (it->number && whole(it->number)) {
            long v = strtol(it->number, NULL, 10);
            if (nattr && last && v <= last)
            {
                if (v == last)
                    qdiag_add(C->d, QUORUM_WARNING, nattr->pos,
                              "item number %ld repeats: an earlier item "
                              "already has it", v);
                else
                    qdiag_add(C->d, QUORUM_WARNING, nattr->pos,
                              "item number %ld goes backwards (the items "
                              "before it reach %ld)", v, last);
            }
            last = v;
        }

        const qattr *ep = qdoc_attr_get(it, "exempt-paragraph");
        if (ep) {
            qcheck_paragraphs(C->d, ep, law);
            if (!exempt) exempt = it;
        } else if (exempt) {
            qdiag_add(C->d, QUORUM_WARNING, it->pos,
                      "open item %s comes after exempt item %s: exempt items "
                      "belong at the end of the agenda, after the exclusion "
                      "of the public", num,
                      exempt->number ? exempt->number : "?");
        }

        const qattr *late = qdoc_attr_get(it, "late");
        const qattr *urg = qdoc_attr_get(it, "urgency");
        int is_late = late && is_true(late->value);
        if (is_late && (!urg || blank(urg->value)))
            qdiag_add(C->d, QUORUM_ERROR, it->pos,
                      "late item %s needs urgency=\"…\": a late item may be "
                      "considered only as a matter of urgency, for reasons "
                      "given (Local Government Act 1972, s.100B(4)(b))", num);
        if (!is_late && urg)
            qdiag_add(C->d, QUORUM_WARNING, urg->pos,
                      "item %s gives urgency but is not late=\"true\"", num);

        const qattr *tf = qdoc_attr_get(it, "to-follow");
        if (tf && is_true(tf->value) && qdoc_attr(it, "report"))
            qdiag_add(C->d, QUORUM_ERROR, tf->pos,
                      "item %s is to follow but names its report: drop one of "
                      "to-follow and report", num);

        const qattr *ip = qdoc_attr_get(it, "published");
        long pv;
        if (ip && qdate_parse(ip->value, &pv) != 0) {
            if (!schema_said(C->doc, ip->pos))
                qdiag_add(C->d, QUORUM_ERROR, ip->pos,
                          "published \"%s\" is not a valid ISO 8601 date "
                          "(YYYY-MM-DD)", ip->value);
        } else if (ip && have_dates && (pv < published || pv >= meeting)) {
            qdiag_add(C->d, QUORUM_ERROR, ip->pos,
                      "item %s published %s: a late item is published on or "
                      "after the agenda (%s) and before the meeting (%s)", num,
                      ip->value, text_of(C, child(C->doc->root, QN_PUBLISHED)),
                      text_of(C, child(C->doc->root, QN_DATE)));
        }
    }
}

int qmeeting_date(const quorum_doc *doc, qdoc_type which, const qnode *n,
                  long *days) {
    if (!doc || !doc->root || doc->root->type != QN_MEETING) return -1;
    if (which == QN_AGENDA_ITEM) {
        const char *v = n ? qdoc_attr(n, "published") : NULL;
        return v && qdate_parse(v, days) == 0 ? 0 : -1;
    }
    const qnode *e = qdoc_first_child_of(doc->root, which);
    if (!e || (which != QN_DATE && which != QN_PUBLISHED)) return -1;
    qarena *a = qarena_new(256);
    char *s = qdoc_text(a, e);
    while (is_space(*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && is_space(s[len - 1])) s[--len] = '\0';
    int rc = qdate_parse(s, days);
    qarena_free(a);
    return rc == 0 ? 0 : -1;
}

size_t qmeeting_check(const quorum_engine *e, const quorum_doc *doc,
                      const quorum_options *opt, const char *holidays_path,
                      quorum_diags *d) {
    if (!doc || !doc->root || doc->root->type != QN_MEETING) return 0;
    size_t before = quorum_diags_count_severity(d, QUORUM_ERROR);
    qcheck_common(e, doc, opt, d);
    qmcheck C = {doc, d, qarena_new(0)};
    const qnode *root = doc->root;

    for (const qnode *n = root; n; n = qdoc_next(n, root))
        if (n->type == QN_REF)
            qdiag_add(d, QUORUM_ERROR, n->pos,
                      "<ref> cannot be used in a meeting file: nothing in it "
                      "is numbered to refer to");

    static const struct { qdoc_type t; const char *name; } need[] = {
        {QN_BODY, "body"}, {QN_DATE, "date"}, {QN_TIME, "time"},
        {QN_VENUE, "venue"}, {QN_PUBLISHED, "published"},
        {QN_CLERK, "clerk"}, {QN_AGENDA, "agenda"}};
    if (!doc->schema_checked)
        for (size_t i = 0; i < sizeof need / sizeof *need; i++)
            if (!child(root, need[i].t))
                qdiag_add(d, QUORUM_ERROR, root->pos,
                          "<meeting> needs a <%s>", need[i].name);

    const qnode *body = child(root, QN_BODY);
    if (body && blank(text_of(&C, body)))
        qdiag_add(d, QUORUM_ERROR, body->pos, "the meeting <body> is empty");
    const qnode *venue = child(root, QN_VENUE);
    if (venue && blank(text_of(&C, venue)))
        qdiag_add(d, QUORUM_ERROR, venue->pos, "the <venue> is empty");
    const qnode *tm = child(root, QN_TIME);
    if (tm) check_time(&C, tm);
    const qnode *clerk = child(root, QN_CLERK);
    if (clerk) check_clerk(&C, clerk);

    const qnode *date_n = child(root, QN_DATE);
    const qnode *pub_n = child(root, QN_PUBLISHED);
    long meeting = 0, published = 0;
    int ok_date = date_n && date_field(&C, date_n, "meeting date", &meeting) == 0;
    int ok_pub = pub_n && date_field(&C, pub_n, "published date", &published) == 0;

    qdoc_law law = qcheck_law(doc, d);
    const qnode *agenda = child(root, QN_AGENDA);
    if (agenda) {
        if (!child(agenda, QN_AGENDA_ITEM) && !doc->schema_checked)
            qdiag_add(d, QUORUM_ERROR, agenda->pos,
                      "the <agenda> needs at least one <item>");
        check_items(&C, agenda, law, ok_date && ok_pub, meeting, published);
    }
    if (ok_date && ok_pub)
        check_publication(&C, date_n, meeting, pub_n, published,
                          holidays_path);
    qarena_free(C.a);
    return quorum_diags_count_severity(d, QUORUM_ERROR) - before;
}
