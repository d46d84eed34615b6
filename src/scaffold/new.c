/* quorum new: a report skeleton copied from a template folder into a new
 * or empty directory.  Nothing that stands is ever replaced: the folder
 * must be empty, and each file is created with O_EXCL, so a file that
 * appears meanwhile fails the call instead of being overwritten. */
#include "scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "util.h"

/* A template holds a few small files; anything bigger is not one. */
#define QSCAFFOLD_MAX_FILES 16

int qscaffold_name_ok(const char *name) {
    if (!name || !*name) return 0;
    for (const char *s = name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir that are not hidden, sorted, malloc'd; *n of them.
 * NULL with errno set when dir cannot be listed. */
static char **list_dir(const char *dir, size_t max, size_t *n) {
    DIR *dh = opendir(dir);
    if (!dh) return NULL;
    char **names = calloc(max + 1, sizeof *names);
    if (!names) qfatal_oom();
    size_t k = 0;
    int over = 0;
    struct dirent *de;
    while (!over && (de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.') continue;
        if (k == max) {
            over = 1;
            break;
        }
        names[k] = strdup(de->d_name);
        if (!names[k]) qfatal_oom();
        k++;
    }
    closedir(dh);
    if (over) {
        for (size_t i = 0; i < k; i++) free(names[i]);
        free(names);
        errno = EFBIG;
        return NULL;
    }
    qsort(names, k, sizeof *names, by_name);
    *n = k;
    return names;
}

static void free_list(char **names, size_t n) {
    for (size_t i = 0; names && i < n; i++) free(names[i]);
    free(names);
}

/* "unknown template X; did you mean Y?" or the list of those there are. */
static quorum_status unknown_template(const char *root, const char *name,
                                      quorum_diags *d) {
    size_t n = 0;
    char **known = list_dir(root, 256, &n);
    const char *near = known ? qnearest(name, (const char *const *)known, n) : NULL;
    qstr list = {0};
    for (size_t i = 0; i < n; i++) qstr_printf(&list, "%s%s", i ? ", " : "", known[i]);
    if (near)
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "no report template \"%s\"; did you mean \"%s\"?", name, near);
    else
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "no report template \"%s\"; the templates are: %s", name,
                        n ? list.s : "(none installed)");
    qstr_free(&list);
    free_list(known, n);
    return QUORUM_USAGE;
}

/* dir made, or found empty.  *made says whether this call made it. */
static quorum_status prepare_dir(const char *dir, int *made, quorum_diags *d) {
    *made = 0;
    if (mkdir(dir, 0777) == 0) {
        *made = 1;
        return QUORUM_OK;
    }
    int err = errno;
    struct stat st;
    if (err != EEXIST || stat(dir, &st) != 0) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot make the folder %s: %s", dir, strerror(err));
        return QUORUM_IO_ERROR;
    }
    if (!S_ISDIR(st.st_mode)) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "%s is not a folder: quorum new writes a report into a "
                        "new or empty folder", dir);
        return QUORUM_USAGE;
    }
    size_t n = 0;
    char **there = list_dir(dir, 1, &n);
    /* one entry is enough to refuse; hidden ones (.git) are allowed */
    if (!there && errno == EFBIG) n = 1;
    else if (!there) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot read the folder %s: %s", dir, strerror(errno));
        return QUORUM_IO_ERROR;
    }
    free_list(there, n);
    if (n) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "%s is not empty: quorum new never writes over files; "
                        "name a new or empty folder", dir);
        return QUORUM_USAGE;
    }
    return QUORUM_OK;
}

/* Writes bytes as a new file; 0 or an errno value (the file removed). */
static int create_file(const char *path, const unsigned char *bytes, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return errno;
    size_t off = 0;
    int err = 0;
    while (off < len && !err) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0 && errno != EINTR) err = errno;
        else if (w > 0) off += (size_t)w;
    }
    if (close(fd) != 0 && !err) err = errno;
    if (err) unlink(path);
    return err;
}

/* Copies each file of src into dst; on failure removes those it wrote. */
static quorum_status copy_files(const quorum_engine *e, const char *src,
                                const char *dst, quorum_diags *d) {
    size_t n = 0;
    char **names = list_dir(src, QSCAFFOLD_MAX_FILES, &n);
    if (!names) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot read the template %s: %s", src, strerror(errno));
        return QUORUM_IO_ERROR;
    }
    quorum_status st = QUORUM_OK;
    size_t done = 0;
    for (; done < n && st == QUORUM_OK; done++) {
        char *from = qpath_join(src, names[done]), *to = qpath_join(dst, names[done]);
        unsigned char *bytes = NULL;
        size_t len = 0;
        int err = qfile_read(from, QFILE_NOFOLLOW, e->limits.file_bytes, &bytes, &len);
        if (err) {
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                            "cannot read %s: %s", from, qfile_strerror(err));
            st = QUORUM_IO_ERROR;
        } else if ((err = create_file(to, bytes, len)) != 0) {
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                            "cannot write %s: %s", to, strerror(err));
            st = QUORUM_IO_ERROR;
        }
        free(bytes);
        free(from);
        free(to);
    }
    /* the one that failed left nothing; those before it go too */
    for (size_t i = 0; st != QUORUM_OK && i + 1 < done; i++) {
        char *to = qpath_join(dst, names[i]);
        unlink(to);
        free(to);
    }
    free_list(names, n);
    return st;
}

quorum_status quorum_new_report(const quorum_engine *e, const char *template_name,
                                const char *dir, quorum_diags *d) {
    const char *name = template_name ? template_name : QSCAFFOLD_DEFAULT;
    if (!dir || !*dir) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, (qpos){0, 0, 0},
                        "quorum new needs the folder to write the report into");
        return QUORUM_USAGE;
    }
    /* found at each call: only quorum new needs it, not every engine */
    char *root = qres_find_dir("templates");
    if (!root) root = strdup("templates");
    if (!root) qfatal_oom();
    char *src = qscaffold_name_ok(name) ? qpath_join(root, name) : NULL;
    struct stat st;
    if (!src || stat(src, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(src);
        quorum_status us = unknown_template(root, name, d);
        free(root);
        return us;
    }
    int made = 0;
    quorum_status rc = prepare_dir(dir, &made, d);
    if (rc == QUORUM_OK) rc = copy_files(e, src, dir, d);
    if (rc != QUORUM_OK && made) rmdir(dir);
    free(src);
    free(root);
    return rc;
}
