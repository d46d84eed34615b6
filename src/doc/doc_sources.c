/* The files a document was loaded from, for archive copies that embed
 * them.  The loader records each file it reads in doc->sources, with its
 * own copy of the name, and each image file the document draws in
 * doc->images. */
#include <errno.h>
#include <string.h>

#include "util.h"
#include "doc.h"
#include "quorum.h"

/* A file in the report's directory: the rule appendix hrefs follow. */
static int plain_name(const char *h) {
    return *h && !strchr(h, '/') && !strchr(h, '\\') && !strstr(h, "..") &&
           !strchr(h, ':');
}

const char *qdoc_image_key(const char *src, int *beside) {
    const char *v = src;
    while (v[0] == '.' && v[1] == '/') {
        v += 2;
        while (*v == '/') v++;
    }
    *beside = plain_name(v);
    return *beside ? v : src;
}

const struct qdoc_image *qdoc_image_find(const quorum_doc *doc,
                                         const char *src) {
    if (!doc || !src) return NULL;
    int beside;
    const char *key = qdoc_image_key(src, &beside);
    for (size_t i = 0; i < doc->nimages; i++)
        if (strcmp(doc->images[i].key, key) == 0) return &doc->images[i];
    return NULL;
}

size_t quorum_doc_source_count(const quorum_doc *doc) {
    return doc ? doc->nsources + doc->nimages : 0;
}

const char *quorum_doc_source_path(const quorum_doc *doc, size_t i) {
    if (!doc) return NULL;
    if (i >= doc->nsources) {
        i -= doc->nsources;
        return i < doc->nimages ? doc->images[i].path : NULL;
    }
    return doc->sources[i].path;
}

/* quorum extract writes every attachment into one directory, where the
 * rebuild looks for the report's files: an image elsewhere could not be
 * found again, so it is refused where it is named. */
size_t qdoc_archive_errors(const struct qdoc_image *images, size_t n,
                           quorum_diags *d) {
    size_t errors = 0;
    for (size_t i = 0; i < n; i++) {
        const struct qdoc_image *im = &images[i];
        if (im->beside) continue;
        qdiag_add(d, QUORUM_ERROR, im->pos,
                  "image src \"%s\" is not a file beside the report: an "
                  "archive copy (--archive=3b) attaches its files into one "
                  "directory, so quorum extract could not give it back where "
                  "a rebuild looks for it; move the image beside the report "
                  "and name it without '/' or '..'", im->src);
        errors++;
    }
    return errors;
}

qpos qdoc_source_pos(const quorum_doc *doc, size_t i) {
    if (!doc) return (qpos){0, 0, 0};
    if (i < doc->nsources) return doc->sources[i].at;
    i -= doc->nsources;
    return i < doc->nimages ? doc->images[i].pos : (qpos){0, 0, 0};
}

/* The loader read the file, following a link as any program would; an
 * archive copy must not publish what a link beside the report points to
 * (logo.png linked to a private key), so its files must be plain files
 * where they stand.  lstat opens nothing.  A file gone since (or a name
 * a resolver supplied) is fine: the copy attaches the bytes the loader
 * read. */
size_t qdoc_archive_plain(const char *path, qpos at, quorum_diags *d) {
    int k = qfile_kind(path);
    if (k != ELOOP && k != EISDIR && k != QFILE_ENOTREG) return 0;
    qdiag_add(d, QUORUM_ERROR, at,
              "%s is %s: an archive copy (--archive=3b) attaches only regular "
              "files, never what a link points to", path,
              k == ELOOP ? "a symbolic link" : k == EISDIR ? "a directory"
                                                          : "not a regular file");
    return 1;
}

size_t quorum_doc_check_archive(const quorum_doc *doc, quorum_diags *d) {
    if (!doc) return 0;
    size_t errors = qdoc_archive_errors(doc->images, doc->nimages, d);
    for (size_t i = 0; i < quorum_doc_source_count(doc); i++)
        errors += qdoc_archive_plain(quorum_doc_source_path(doc, i),
                                     qdoc_source_pos(doc, i), d);
    return errors;
}
