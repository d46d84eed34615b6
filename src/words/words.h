/* The words quorum writes itself ("Page 2 of 5", dates, "Implications
 * Verified by", "Agenda Item 4", the HTML skip link …), in the document's
 * language (docs/style.md, "Languages").
 *
 * Each word has a key (qw_key) and may hold named {placeholders}.  The
 * English and Welsh tables are data (data/strings/en.xml, cy.xml),
 * compiled in at build time and read once per process (qw_read_simple,
 * or the loader, src/load, if they lose their simple form); English has
 * every key.  A house style may add tables of
 * its own (<strings src="…"/>), which add a language or override some
 * words of one.  A document's words (qw_words) come from: the style's table
 * for its language, then the shipped one, then English; its language is
 * the primary subtag of xml:lang ("cy-GB" -> "cy"). */
#ifndef QUORUM_WORDS_H
#define QUORUM_WORDS_H
#include <stddef.h>

#include "quorum.h"
#include "util.h"

#define QW_NAMESPACE "urn:quorum:strings:1"

typedef enum qw_key {
    QW_PAGE_OF,          /* {page} {pages} */
    QW_PAGE,             /* {page} */
    QW_DATE,             /* {day} {month} {year} */
    QW_DATE_WEEKDAY,     /* {weekday} {day} {month} {year} */
    QW_MONTH_1,          /* … QW_MONTH_1 + 11: January … December */
    QW_WEEKDAY_1 = QW_MONTH_1 + 12, /* … + 6: Monday … Sunday */
    QW_SIGN_OFF_LEAD = QW_WEEKDAY_1 + 7,
    QW_SIGN_OFF_DATE,    /* {date} */
    QW_NOT_APPLICABLE,
    QW_APPENDIX,         /* {number} */
    QW_APPENDIX_BOOKMARK,/* {number} {title} */
    QW_AGENDA_ITEM,      /* {number} */
    QW_REPORT_TO_FOLLOW,
    QW_SKIP_LINK,
    /* the words of cross-references, in qdoc_ref_text_in's order */
    QW_REF_PARAGRAPH, QW_REF_SECTION, QW_REF_APPENDIX, QW_REF_RECOMMENDATION,
    QW_REF_OUTCOME, QW_REF_CRITERION,
    /* a pack's own pages */
    QW_AGENDA, QW_SUPPLEMENTARY_AGENDA, QW_INFORMATION,
    QW_DATE_TIME,        /* {date} {time} */
    QW_LABEL_DATE_TIME, QW_LABEL_VENUE, QW_LABEL_MEMBERSHIP, QW_LABEL_PUBLISHED,
    QW_LABEL_SUPPLEMENT_PUBLISHED, QW_LABEL_CONTACT,
    QW_LATE_ITEM,        /* {reason} */
    /* the pack's front sheet, agenda and placeholder pages */
    QW_CONTACT,          /* {who} */
    QW_CONTACT_EMAIL,    /* {email} */
    QW_CONTACT_PHONE,    /* {phone} */
    QW_AGENDA_PAGE_COLUMN,
    QW_EXCLUSION_LEAD,
    QW_EXCLUSION,        /* {schedule} */
    QW_SCHEDULE_12A,
    QW_SCHEDULE_12A_1,   /* … + 6: what paragraphs 1-7 cover */
    /* the other nations' law (qdoc_law): Wales's Part 4 of Schedule 12A,
     * Scotland's Schedule 7A and its exclusion (no public interest test) */
    QW_SCHEDULE_12A_WALES = QW_SCHEDULE_12A_1 + 7,
    QW_SCHEDULE_12A_12,  /* … + 6: what Wales's paragraphs 12-18 cover */
    QW_SCHEDULE_7A = QW_SCHEDULE_12A_12 + 7,
    QW_SCHEDULE_7A_1,    /* … + 14: what Schedule 7A's paragraphs 1-15 cover */
    QW_EXCLUSION_SCOTLAND = QW_SCHEDULE_7A_1 + 15, /* {schedule} */
    QW_EXEMPT_PARAGRAPH, /* {number} */
    QW_EXEMPT_PARAGRAPHS,/* {numbers} {last} */
    QW_EXEMPT_ITEM,      /* {paragraphs} {schedule} */
    QW_NOT_FOR_PUBLICATION_BECAUSE, /* {paragraphs} {schedule} {reasons} */
    QW_NOT_FOR_PUBLICATION,
    QW_TO_FOLLOW,
    QW_TO_FOLLOW_NOTE,
    QW_BLANK_PAGE,
    QW_PUBLIC_DOCUMENT_PACK,
    QW_AGENDA_PACK_SUBJECT, /* {body} {date} */
    /* the meeting's site (quorum publish) and the HTML page's links */
    QW_LABEL_DATE, QW_LABEL_TIME, QW_MEMBERS, QW_DOCUMENTS,
    QW_SITE_PACK, QW_SITE_SUPPLEMENT,
    QW_SITE_SUPPLEMENT_PUBLISHED, /* {date} */
    QW_SITE_LATE,
    QW_SITE_LATE_PUBLISHED, /* {date} */
    QW_SITE_ITEM_PDF,    /* {number} */
    QW_SITE_UP, QW_RELATED, QW_REPORT_PDF, QW_HTML_FOOTER,
    /* an outcome appendix's generated parts (src/doc/outcomes.c) */
    QW_RATING_R, QW_RATING_A, QW_RATING_G,
    QW_RATING_R_MEANS, QW_RATING_A_MEANS, QW_RATING_G_MEANS,
    QW_OUTCOME_CRITERION, QW_DEFINITIONS, QW_NOT_RATED,
    QW_MOVEMENT, QW_MOVEMENT_CAPTION, QW_MOVEMENT_ALT,
    QW_NO_CHANGE,        /* {from} {to} */
    QW_CHANGES,          /* {from} {to} */
    QW_IMPROVED, QW_DECLINED, QW_CHANGED, QW_UNCHANGED,
    QW_LEAD_SUMMARY, QW_ASSESSMENT,
    QW_ABOUT_REPORT,     /* the HTML front sheet's caption */
    /* what an HTML page calls a report, meeting or form without a title */
    QW_UNTITLED_REPORT, QW_UNTITLED_MEETING, QW_UNTITLED_FORM,
    QW__COUNT
} qw_key;

/* One file's words: text[k] NULL where it leaves k out.  Tables of a
 * style are chained by next. */
typedef struct qw_table {
    const char *lang;                 /* primary subtag, lower case */
    const char *text[QW__COUNT];
    struct qw_table *next;
} qw_table;

/* The words a document prints in: every key filled. */
typedef struct qw_words {
    const char *lang;                 /* as asked ("cy-GB"), or "en" */
    const char *text[QW__COUNT];
    /* text[k] is in lang's own language: always in English; elsewhere
     * not where a table of lang left k out and English stood in */
    unsigned char native[QW__COUNT];
    int english;                      /* lang is English (or none) */
} qw_words;

/* Reads a strings file (root <strings xmlns=QW_NAMESPACE xml:lang="…">,
 * children <string id="KEY">text</string>) into arena a; NULL with
 * file:line:col errors (unknown key, with the nearest; a placeholder the
 * key does not take; a key given twice; no xml:lang). */
qw_table *qw_load_file(const char *path, qarena *a, quorum_diags *d);
qw_table *qw_load_memory(const char *data, size_t len, const char *name,
                         qarena *a, quorum_diags *d);

/* A strings file quorum ships (compiled in: UTF-8, well-formed), read
 * without the loader when it has the simple form they are written in:
 * an XML declaration, the root with xmlns and xml:lang only, then only
 * <string id="KEY">text</string> (no entity, element or CDATA in the
 * text, no key twice, only placeholders the key takes), comments and
 * white space.  The same table as qw_load_memory gives (test_words
 * compares them), or NULL for any other form, which the loader then
 * reads.  data[len] must be readable and NUL. */
qw_table *qw_read_simple(const char *data, size_t len, qarena *a);

/* The words for language lang (NULL: English) with a style's tables
 * (NULL: none) before the shipped ones.  Never NULL. */
const qw_words *qw_for(qarena *a, const qw_table *style, const char *lang);
/* English's words, made once for the process (no style's). */
const qw_words *qw_english(void);
/* Whether any table (the style's or a shipped one) is in lang's
 * language; English always is.  The check warns about a report whose
 * language is not, whose generated words then print in English. */
int qw_known(const qw_table *style, const char *lang);

/* Key k's text with its placeholders filled by the strings that follow,
 * in the order the key lists them (above), in arena a. */
const char *qw_fmt(qarena *a, const qw_words *w, qw_key k, ...);
/* "29 January 2025", with_weekday "Wednesday, 29 January 2025", in w's
 * words; an iso that is no date is returned as it is, NULL as "". */
const char *qw_date(qarena *a, const qw_words *w, const char *iso, int with_weekday);
/* qw_fmt of QW_PAGE_OF for page numbers. */
const char *qw_page_of(qarena *a, const qw_words *w, size_t page, size_t pages);

/* The key's name in strings files ("page-of"), or NULL. */
const char *qw_key_name(qw_key k);
#endif
