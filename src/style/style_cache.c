/* The engine's loaded styles.  A style is read once per engine and then
 * shared, read-only, by every check and layout that names it (a pack of
 * fifty reports used to read and validate its style over fifty times),
 * so the engine holds "loaded styles" as it holds fonts.  The cache is
 * the one part of an engine that changes after quorum_engine_new, behind
 * its own lock: a style is added once and never changed or removed until
 * the engine is freed, so what a caller was given stays valid. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"

typedef struct entry {
    char *key;            /* name or path, NUL, font dir */
    size_t key_len;
    const qstyle *style;
    qarena *arena;        /* the style's strings and itself */
    struct entry *next;
} entry;

struct qstyle_cache {
    pthread_mutex_t lock;
    entry *head;
};

qstyle_cache *qstyle_cache_new(void) {
    qstyle_cache *c = calloc(1, sizeof *c);
    if (!c) qfatal_oom();
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void qstyle_cache_free(qstyle_cache *c) {
    if (!c) return;
    for (entry *e = c->head, *next; e; e = next) {
        next = e->next;
        qarena_free(e->arena);
        free(e->key);
        free(e);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static const qstyle *find(qstyle_cache *c, const char *key, size_t len) {
    for (entry *e = c->head; e; e = e->next)
        if (e->key_len == len && memcmp(e->key, key, len) == 0) return e->style;
    return NULL;
}

const qstyle *qstyle_get(const quorum_engine *e, const char *name,
                         const char *font_dir, quorum_diags *d) {
    if (!name || !*name) return &qstyle_builtin;
    if (!font_dir || !*font_dir) font_dir = e->font_dir;
    size_t nl = strlen(name), fl = strlen(font_dir);
    size_t len = nl + 1 + fl;
    char *key = malloc(len + 1);
    if (!key) qfatal_oom();
    memcpy(key, name, nl + 1);
    memcpy(key + nl + 1, font_dir, fl + 1);
    qstyle_cache *c = e->styles;
    pthread_mutex_lock(&c->lock);
    const qstyle *s = find(c, key, len);
    pthread_mutex_unlock(&c->lock);
    if (s) {
        free(key);
        return s;
    }
    /* Loaded outside the lock (it reads and validates a file); a style
     * that fails is not kept, so every caller gets its diagnostics. */
    qarena *a = qarena_new(0);
    s = qstyle_load(e, name, font_dir, a, d);
    if (!s || s == &qstyle_builtin) {
        qarena_free(a);
        free(key);
        return s;
    }
    pthread_mutex_lock(&c->lock);
    const qstyle *other = find(c, key, len); /* another thread was quicker */
    if (!other) {
        entry *n = calloc(1, sizeof *n);
        if (!n) qfatal_oom();
        *n = (entry){key, len, s, a, c->head};
        c->head = n;
    }
    pthread_mutex_unlock(&c->lock);
    if (other) {
        qarena_free(a);
        free(key);
        return other;
    }
    return s;
}
