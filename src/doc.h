/* The document tree: what the loader builds from XML and every later stage
 * reads.  Nodes live in the document's arena.  libxml2 is not visible here.
 *
 * Each node has a type tag, tree links, its source position, the XML
 * attributes it was written with (name/value/position), and for text nodes
 * the UTF-8 text.  Numbers that the format derives (section 3, paragraph 3.8,
 * Appendix 2, recommendation 1.1) are filled in by qdoc_number() after
 * loading, so layout and checks read them from one place. */
#ifndef QUORUM_DOC_H
#define QUORUM_DOC_H
#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "quorum.h"

typedef enum qdoc_type {
    QN_NONE = 0,
    /* document structure */
    QN_REPORT,          /* <report> root */
    QN_FRONT_SHEET,     /* <front-sheet> */
    QN_FIELD,           /* <field label role> (front sheet or form) */
    QN_SECTION,         /* <section> numbered section */
    QN_IMPLICATION,     /* <implication type> section with sign-off */
    QN_SIGN_OFF,        /* <sign-off name title date/> */
    QN_NOT_APPLICABLE,  /* <not-applicable> deliberate absence of sign-off */
    QN_BACKGROUND_DOCS, /* <background-documents> */
    QN_DOCUMENT,        /* <document href> inside background documents */
    QN_FORM,            /* <form> question/answer closing form */
    QN_QA,              /* <qa> */
    QN_QUESTION,        /* <question> */
    QN_ANSWER,          /* <answer> */
    QN_APPENDICES,      /* <appendices> in the report */
    QN_APPENDIX,        /* <appendix> root of an appendix file, grafted in */
    QN_TITLE,           /* <title> of an appendix */
    QN_SUBTITLE,        /* <subtitle> of an appendix */
    QN_HEADING,         /* <heading> of a section / front sheet / form */
    /* blocks */
    QN_SUBHEADING,      /* <subheading> unnumbered heading inside a section */
    QN_PARA,            /* <p> */
    QN_RECOMMENDATIONS, /* <recommendations> */
    QN_LEAD_IN,         /* <lead-in> */
    QN_RECOMMENDATION,  /* <recommendation>, may nest */
    QN_LIST,            /* <ul> / <ol>: attr "ordered" set by loader */
    QN_ITEM,            /* <li> */
    QN_QUOTE,           /* <quote> */
    QN_TABLE,           /* <table> */
    QN_COL,             /* <col width> */
    QN_ROW,             /* <row header="true"> */
    QN_CELL,            /* <cell colspan rowspan align> */
    QN_IMAGE,           /* <image src alt width> */
    /* inline */
    QN_TEXT,            /* character data (text field) */
    QN_BOLD,            /* <b> */
    QN_ITALIC,          /* <i> */
    QN_SUP,             /* <sup> */
    QN_SUB,             /* <sub> */
    QN_LINK,            /* <a href> */
    QN_REF,             /* <ref to> cross-reference, prints a number */
    QN_BREAK,           /* <br/> */
    /* performance data (outcome appendices) */
    QN_PERFORMANCE,     /* <performance> */
    QN_PERIODS, QN_PERIOD,
    QN_SCALE, QN_RATING_VALUE,
    QN_OUTCOME, QN_CRITERION, QN_CRITERION_TEXT, QN_RATED,
    QN_LEAD_SUMMARY, QN_ASSESSMENT,
    QN_SUMMARY_TABLE, QN_RATING_DEFINITIONS, QN_OUTCOME_DETAILS,
    QN_MOVEMENT,
    QN_OUTCOME_LIST,
    QN_UNKNOWN,         /* element the loader did not recognise */
    QN__COUNT
} qdoc_type;

typedef struct qattr {
    const char *name;   /* local name, e.g. "href", "xml:lang" */
    const char *value;  /* UTF-8 */
    qpos pos;
    struct qattr *next;
} qattr;

typedef struct qnode {
    qdoc_type type;
    const char *name;   /* element local name as written ("#text" for text) */
    qpos pos;           /* position of '<' of the start tag, or of the text */
    struct qnode *parent, *first, *last, *next, *prev;
    qattr *attrs;
    const char *text;   /* QN_TEXT: UTF-8 character data; else NULL */
    size_t text_len;
    /* Derived by qdoc_number(): printed number ("3", "3.8", "2", "1.1",
     * "a"), or NULL when the node is unnumbered. */
    const char *number;
    int index;          /* 0-based position among numbered siblings */
} qnode;

struct quorum_doc {
    qarena *arena;
    qnode *root;        /* QN_REPORT; appendices grafted under QN_APPENDICES */
    const char *path;   /* report file as given */
    const char *dir;    /* directory of the report, for appendix files */
    quorum_diags *diags_files; /* file-name table owner used for positions */
    /* Source bytes of every loaded file, for checks that need exact text
     * positions (e.g. a character the font lacks). */
    struct qdoc_source {
        unsigned file;
        const char *bytes;
        size_t len;
    } *sources;
    size_t nsources;
};

/* Tree building (used by the loader and by tests that build trees). */
qnode *qdoc_node_new(qarena *a, qdoc_type type, const char *name, qpos pos);
void qdoc_append(qnode *parent, qnode *child);
void qdoc_attr_set(qarena *a, qnode *n, const char *name, const char *value,
                   qpos pos);
const char *qdoc_attr(const qnode *n, const char *name); /* NULL if absent */
const qattr *qdoc_attr_get(const qnode *n, const char *name);
qdoc_type qdoc_type_from_name(const char *local_name);
const char *qdoc_type_name(qdoc_type t);

/* Depth-first pre-order iteration without recursion:
 *   for (n = root; n; n = qdoc_next(n, root)) ... */
qnode *qdoc_next(const qnode *n, const qnode *root);
qnode *qdoc_first_child_of(const qnode *n, qdoc_type t);
/* Node with attribute id == id anywhere in the tree, or NULL. */
qnode *qdoc_find_id(const qnode *root, const char *id);

/* Concatenated text of a node's descendants (arena copy). */
char *qdoc_text(qarena *a, const qnode *n);

/* Fills in qnode.number for sections, paragraphs, recommendations,
 * appendices, outcomes and criteria; idempotent. */
void qdoc_number(quorum_doc *doc);

/* The front-sheet field with role == role, or NULL. */
qnode *qdoc_field(const quorum_doc *doc, const char *role);
#endif
