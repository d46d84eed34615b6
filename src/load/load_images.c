/* The images a report draws (<image src>), read once, when the document
 * is loaded: from the file beside the report or from the caller's
 * resolver.  Check, layout and the PDF writer read doc->images and never
 * open the files, so the three agree about a file and a report loaded
 * with a resolver needs no file system at all.  Nothing is reported here:
 * an image that cannot be read is an error of quorum_doc_check, at its
 * src, as it was when the check opened the file itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"

/* The whole file into the arena; 0, or an errno value (EFBIG over
 * max_bytes). */
static int read_whole(qarena *a, const char *path, const unsigned char **out,
                      size_t *len, size_t max_bytes) {
    FILE *f = fopen(path, "rb");
    if (!f) return errno ? errno : EIO;
    int err = 0;
    struct stat st;
    off_t size = 0;
    if (fstat(fileno(f), &st) != 0) err = errno ? errno : EIO;
    else if (S_ISDIR(st.st_mode)) err = EISDIR;
    else if (!S_ISREG(st.st_mode)) err = EINVAL;
    else if ((size = st.st_size) < 0) err = EIO;
    else if ((unsigned long long)size > max_bytes) err = EFBIG;
    unsigned char *b = NULL;
    if (!err) {
        b = qarena_alloc_uninit(a, (size_t)size + 1);
        errno = 0;
        if (fread(b, 1, (size_t)size, f) != (size_t)size || ferror(f))
            err = errno ? errno : EIO;
    }
    fclose(f);
    if (err) return err;
    *out = b;
    *len = (size_t)size;
    return 0;
}

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

void qload_images(quorum_doc *doc, quorum_resolve_fn fn, void *ctx,
                  size_t max_bytes) {
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
                     : read_whole(doc->arena, path, &im->bytes, &im->len,
                                  max_bytes);
        if (im->err) im->bytes = NULL;
        else qimg_read_mem(im->bytes, im->len, &im->info);
    }
}
