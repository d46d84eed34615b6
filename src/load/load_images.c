/* The images a report draws (<image src>), read and decoded once, when
 * the document is loaded: from the file beside the report (through
 * qfile_read: a regular file, its size capped) or from the caller's
 * resolver.  Check, layout and the PDF writer read doc->images and never
 * open the files, so the three agree about a file and a report loaded
 * with a resolver needs no file system at all.  Nothing is reported here:
 * an image that cannot be read or decoded is an error of
 * quorum_doc_check, at its src. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* From the resolver, under the same rules as an appendix: the loader owns
 * what it is given and frees it, also when it refuses it. */
static int resolve(qarena *a, quorum_resolve_fn fn, void *ctx,
                   const char *name, const unsigned char **out, size_t *len, size_t max_bytes) {
    /* What a resolver is asked for stays inside the report's directory
     * and its subdirectories, as its contract says. */
    if (name[0] == '/' || strstr(name, "..") || strchr(name, ':') ||
        strchr(name, '\\'))
        return -1;
    char *data = NULL;
    size_t n = 0;
    int rc = fn(ctx, name, &data, &n);
    if (rc != 0) return rc > 0 ? rc : -1;
    if (n > max_bytes) {
        free(data);
        return EFBIG;
    }
    unsigned char *b = qarena_alloc_uninit(a, n + 1);
    if (n) memcpy(b, data, n);
    free(data);
    *out = b;
    *len = n;
    return 0;
}

/* The file at path, freed with the arena; 0 or an errno-like value. */
static int read_file(qarena *a, const char *path, const unsigned char **out,
                     size_t *len, size_t max_bytes) {
    unsigned char *b = NULL;
    int err = qfile_read(path, 0, max_bytes, &b, len);
    if (err) return err;
    qarena_defer(a, free, b);
    *out = b;
    return 0;
}

void qload_images(quorum_doc *doc, quorum_resolve_fn fn, void *ctx,
                  const quorum_limits *lim) {
    size_t max_bytes = lim->image_bytes;
    size_t cap = 0;
    for (qnode *n = doc->root; n; n = qdoc_next(n, doc->root)) {
        if (n->type != QN_IMAGE) continue;
        const qattr *a = qdoc_attr_get(n, "src");
        /* absolute paths and URLs are the check's to refuse */
        if (!a || !*a->value || a->value[0] == '/' || strstr(a->value, "://"))
            continue;
        int beside;
        const char *key = qdoc_image_key(a->value, &beside);
        const char *path = strcmp(doc->dir, ".") == 0
                               ? qarena_strdup(doc->arena, key)
                               : qarena_printf(doc->arena, "%s/%s", doc->dir, key);
        int seen = 0;
        for (size_t i = 0; i < doc->nimages && !seen; i++)
            seen = strcmp(doc->images[i].path, path) == 0;
        if (seen) continue;
        if (doc->nimages == cap) {
            cap = cap ? cap * 2 : 4;
            struct qdoc_image *ni = qarena_alloc(doc->arena, cap * sizeof *ni);
            if (doc->nimages)
                memcpy(ni, doc->images, doc->nimages * sizeof *ni);
            doc->images = ni;
        }
        struct qdoc_image *im = &doc->images[doc->nimages++];
        memset(im, 0, sizeof *im);
        im->path = path;
        im->src = a->value;
        im->key = key;
        im->pos = a->pos;
        im->beside = beside;
        im->err = fn ? resolve(doc->arena, fn, ctx, key, &im->bytes, &im->len,
                               max_bytes)
                     : read_file(doc->arena, path, &im->bytes, &im->len,
                                 max_bytes);
        if (im->err) {
            im->bytes = NULL;
            continue;
        }
        im->img = qimage_decode(im->bytes, im->len, lim->pixels, &im->why);
        qimage_unref_with(doc->arena, im->img);
    }
}
