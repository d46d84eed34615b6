/* Hand-built document trees for layout tests (the loader is a separate
 * module): a tiny builder over qdoc_node_new / qdoc_append / qdoc_attr_set. */
#ifndef QUORUM_TEST_LAYOUT_TREE_H
#define QUORUM_TEST_LAYOUT_TREE_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

static qarena *tree_arena;
static const qpos tree_pos = {0, 1, 1};

/* el(parent, type, name, "attr", "value", ..., NULL) */
static qnode *el(qnode *parent, qdoc_type t, const char *name, ...) {
    qnode *n = qdoc_node_new(tree_arena, t, name, tree_pos);
    va_list ap;
    va_start(ap, name);
    for (;;) {
        const char *k = va_arg(ap, const char *);
        if (!k) break;
        const char *v = va_arg(ap, const char *);
        qdoc_attr_set(tree_arena, n, k, v, tree_pos);
    }
    va_end(ap);
    if (parent) qdoc_append(parent, n);
    return n;
}

static qnode *txt(qnode *parent, const char *s) {
    qnode *n = qdoc_node_new(tree_arena, QN_TEXT, "#text", tree_pos);
    n->text = qarena_strdup(tree_arena, s);
    n->text_len = strlen(s);
    qdoc_append(parent, n);
    return n;
}

/* element holding one text child */
static qnode *elt(qnode *parent, qdoc_type t, const char *s) {
    qnode *n = el(parent, t, NULL, NULL);
    txt(n, s);
    return n;
}

static char *font_dir(void) {
    static char dir[4096];
    const char *src = getenv("QUORUM_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/fonts", src ? src : ".");
    return dir;
}
#endif
