/* quorum extract: gives back the files embedded in a PDF (the sources of
 * a PDF/A-3b copy), read through libqpdf (pdfin_qpdf.cc), so a copy that
 * another tool re-saved (object streams, compressed streams, linearised)
 * gives the same files back.
 *
 * The PDF is untrusted: every name is checked (qpdf_safe_path: a plain
 * file name, or plain names joined by '/' for the files of a pack's
 * items in their folders) before
 * anything is decoded, the decoded bytes of all the files together are
 * held to the engine's extract_bytes while they are decoded, and a file
 * whose MD5 /CheckSum does not match is refused.  DIR is trusted only to
 * be what it is: what stands in it under an attachment's name may be a
 * regular file (replaced), nothing else, and a folder on its path a
 * directory, never a link followed; the files are written into a fresh
 * temporary directory inside DIR (created exclusively, each file O_EXCL)
 * and renamed into place (their folders made then) only once every one is
 * whole, so a full disk or a refused file leaves DIR as it was, and a
 * rename never writes through a hard link. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "doc.h"
#include "pdf.h"
#include "pdfin.h"
#include "quorum.h"

static const qpos nopos = {0, 0, 0};

typedef struct xt {
    const char *pdf, *dir;
    quorum_diags *d;
    qpdfin *q;
    size_t n;        /* files found */
    char *tmp;       /* the temporary directory, once made */
    size_t written;  /* files 0..written-1 are in tmp */
} xt;

static const char *name_of(const xt *x, size_t i) {
    size_t len;
    return qpdfin_file_name(x->q, i, &len);
}

/* Every name safe; the first that is not is the error. */
static int names_ok(xt *x) {
    for (size_t i = 0; i < x->n; i++) {
        size_t len;
        const char *name = qpdfin_file_name(x->q, i, &len);
        if (strlen(name) != len || !qpdf_safe_path(name)) {
            qdiag_add(x->d, QUORUM_ERROR, nopos,
                      "cannot extract from %s: attachment name \"%.200s\" is "
                      "not a plain file name (nor plain names joined by '/'); "
                      "nothing was extracted", x->pdf, name);
            return -1;
        }
    }
    return 0;
}

/* The folder that file name goes into, below x->dir, opened one part
 * at a time without following a link (O_NOFOLLOW: ELOOP at a symbolic
 * link, ENOTDIR at a file), and with make each part created where
 * missing; *leaf is the name's last part.  -1 with errno, and with
 * *missing set (when not making) when a part does not exist yet. */
static int open_parent(const xt *x, const char *name, int make, const char **leaf,
                       int *missing) {
    *missing = 0;
    int fd = open(x->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *p = name, *e;
    for (; fd >= 0 && (e = strchr(p, '/')) != NULL; p = e + 1) {
        char part[256]; /* qpdf_safe_path: each part shorter */
        size_t k = (size_t)(e - p);
        memcpy(part, p, k);
        part[k] = '\0';
        if (make && mkdirat(fd, part, 0777) < 0 && errno != EEXIST) {
            int err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int err = errno;
        close(fd);
        errno = err;
        if (next < 0 && err == ENOENT) *missing = 1;
        fd = next;
    }
    *leaf = p;
    return fd;
}

/* What is already at a target may only be a regular file (replaced), and
 * a folder on its path only a directory: a FIFO, device, directory or
 * symbolic link planted in dir under an attachment's name is refused,
 * neither opened (a FIFO would block) nor followed nor replaced.  fstatat
 * without following opens nothing. */
static int target_ok(const xt *x, size_t i) {
    const char *leaf;
    int missing;
    int fd = open_parent(x, name_of(x, i), 0, &leaf, &missing);
    int err = errno, linked = err == ELOOP || err == ENOTDIR;
    if (fd < 0 && missing) return 0; /* its folder is made when renaming */
    struct stat st;
    int ok = fd >= 0 && (fstatat(fd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(st.st_mode));
    char *p = qpath_join(x->dir, name_of(x, i));
    if (fd < 0)
        qdiag_add_class(x->d, QUORUM_CLASS_IO, QUORUM_ERROR,
                        (qpos){qdiag_file(x->d, p), 0, 0},
                        "cannot write %s: a folder on its path %s%s", name_of(x, i),
                        linked ? "is a symbolic link or not a directory, which "
                                 "extract does not follow" : "cannot be opened: ",
                        linked ? "" : strerror(err));
    else if (!ok)
        qdiag_add_class(x->d, QUORUM_CLASS_IO, QUORUM_ERROR,
                        (qpos){qdiag_file(x->d, p), 0, 0},
                        "cannot write %s: there is a %s of that name, which "
                        "extract does not replace", name_of(x, i),
                        S_ISLNK(st.st_mode) ? "symbolic link"
                        : S_ISDIR(st.st_mode) ? "directory"
                        : S_ISFIFO(st.st_mode) ? "FIFO"
                        : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "device"
                        : "file that is not a regular file");
    if (fd >= 0) close(fd);
    free(p);
    return ok ? 0 : -1;
}

/* File i's place in the temporary directory: its number, so that the
 * directory stays flat whatever folders the names hold. */
static char *tmp_path(const xt *x, size_t i) {
    char num[24];
    snprintf(num, sizeof num, "%zu", i);
    return qpath_join(x->tmp, num);
}

/* File i from the temporary directory to its name under x->dir. */
static int move_into_place(const xt *x, size_t i) {
    const char *leaf;
    int missing;
    int fd = open_parent(x, name_of(x, i), 1, &leaf, &missing);
    if (fd < 0) return errno;
    char *from = tmp_path(x, i);
    int err = renameat(AT_FDCWD, from, fd, leaf) < 0 ? errno : 0;
    free(from);
    close(fd);
    return err;
}

static int write_new(const char *path, const unsigned char *b, size_t n) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return errno;
    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            int err = k < 0 ? errno : EIO;
            close(fd);
            return err;
        }
        b += k;
        n -= (size_t)k;
    }
    return close(fd) < 0 ? errno : 0;
}

static void io_error(xt *x, const char *path, int err) {
    qdiag_add_class(x->d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos, "cannot write %s: %s",
                    path, strerror(err));
}

/* File i decoded, checked and written into tmp; *budget is what the
 * files still to come may decode to.  0 or the status of the failure. */
static quorum_status put(xt *x, size_t i, size_t *budget, const char *limit) {
    unsigned char *b, sum[16];
    size_t len;
    int has_sum;
    char why[256];
    int r = qpdfin_file_data(x->q, i, *budget, &b, &len, &has_sum, sum, why, sizeof why);
    if (r == 1) {
        qdiag_add_class(x->d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, nopos,
                        "cannot extract from %s: its attachments come to more "
                        "than the %s limit; nothing was extracted", x->pdf, limit);
        return QUORUM_INVALID_INPUT;
    }
    if (r < 0) {
        qdiag_add(x->d, QUORUM_ERROR, nopos, "cannot extract from %s: attachment "
                  "%s: %s; nothing was extracted", x->pdf, name_of(x, i), why);
        return QUORUM_INVALID_INPUT;
    }
    *budget -= len;
    if (has_sum) {
        unsigned char got[16];
        qmd5(b, len, got);
        if (memcmp(got, sum, 16) != 0) {
            qdiag_add(x->d, QUORUM_ERROR, nopos, "cannot extract from %s: "
                      "attachment %s does not match its checksum; nothing was "
                      "extracted", x->pdf, name_of(x, i));
            free(b);
            return QUORUM_INVALID_INPUT;
        }
    }
    char *p = tmp_path(x, i);
    int err = write_new(p, b, len);
    free(b);
    if (err == 0) x->written = i + 1;
    else {
        /* a partial file (ENOSPC); EEXIST: not ours, names are distinct */
        if (err != EEXIST) unlink(p);
        char *target = qpath_join(x->dir, name_of(x, i));
        io_error(x, target, err);
        free(target);
    }
    free(p);
    return err ? QUORUM_IO_ERROR : QUORUM_OK;
}

/* Removes the temporary directory and what is left in it. */
static void cleanup(xt *x) {
    if (!x->tmp) return;
    for (size_t i = 0; i < x->written; i++) {
        char *p = tmp_path(x, i);
        unlink(p);
        free(p);
    }
    rmdir(x->tmp);
    free(x->tmp);
    x->tmp = NULL;
}

/* The files written into the temporary directory, then renamed. */
static quorum_status write_files(xt *x, size_t max) {
    for (size_t i = 0; i < x->n; i++)
        if (target_ok(x, i) < 0) return QUORUM_IO_ERROR;
    x->tmp = qpath_join(x->dir, ".quorum-extract-XXXXXX");
    if (!mkdtemp(x->tmp)) {
        io_error(x, x->dir, errno);
        free(x->tmp);
        x->tmp = NULL;
        return QUORUM_IO_ERROR;
    }
    char limit[32];
    qsize_text(limit, sizeof limit, max);
    size_t budget = max;
    quorum_status st = QUORUM_OK;
    for (size_t i = 0; i < x->n && st == QUORUM_OK; i++) st = put(x, i, &budget, limit);
    /* Renames cannot run out of space; one can still fail (dir replaced
     * under us), and the files before it are then in place. */
    for (size_t i = 0; i < x->n && st == QUORUM_OK; i++) {
        int err = move_into_place(x, i);
        if (err) {
            char *to = qpath_join(x->dir, name_of(x, i));
            io_error(x, to, err);
            free(to);
            st = QUORUM_IO_ERROR;
        }
    }
    cleanup(x);
    return st;
}

/* dir made if missing, and removed again when nothing came of it. */
static quorum_status write_all(xt *x, size_t max) {
    int made = mkdir(x->dir, 0777) == 0;
    if (!made && errno != EEXIST) {
        qdiag_add_class(x->d, QUORUM_CLASS_IO, QUORUM_ERROR, nopos,
                        "cannot create directory %s: %s", x->dir, strerror(errno));
        return QUORUM_IO_ERROR;
    }
    quorum_status st = write_files(x, max);
    if (st != QUORUM_OK && made) rmdir(x->dir);
    return st;
}

static quorum_status read_pdf(xt *x, const unsigned char *b, size_t n) {
    char why[256];
    long found = -1;
    x->q = qpdfin_open(b, n, why, sizeof why);
    if (x->q) found = qpdfin_find_files(x->q, why, sizeof why);
    if (found < 0) {
        qdiag_add(x->d, QUORUM_ERROR, nopos, "cannot extract from %s: %s", x->pdf, why);
        return QUORUM_INVALID_INPUT;
    }
    x->n = (size_t)found;
    if (x->n == 0) {
        qdiag_add(x->d, QUORUM_ERROR, nopos, "cannot extract from %s: the file has "
                  "no attached source files (only archive copies made with "
                  "--archive=3b have them)", x->pdf);
        return QUORUM_INVALID_INPUT;
    }
    return names_ok(x) < 0 ? QUORUM_INVALID_INPUT : QUORUM_OK;
}

quorum_status quorum_pdf_extract(const quorum_engine *e, const char *pdf_path,
                                 const char *dir, quorum_diags *d) {
    xt x = {.pdf = pdf_path, .dir = dir, .d = d};
    unsigned char *b = NULL;
    size_t n = 0;
    int err = qfile_read(pdf_path, 0, e->limits.pdf_bytes, &b, &n);
    if (err) {
        char lim[32];
        if (err == EFBIG)
            qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR,
                            (qpos){qdiag_file(d, pdf_path), 0, 0},
                            "cannot read %s: it is larger than the %s limit for "
                            "PDFs", pdf_path,
                            qsize_text(lim, sizeof lim, e->limits.pdf_bytes));
        else
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR,
                            (qpos){qdiag_file(d, pdf_path), 0, 0},
                            "cannot read %s: %s", pdf_path, qfile_strerror(err));
        return err == EFBIG ? QUORUM_INVALID_INPUT : QUORUM_IO_ERROR;
    }
    quorum_status st = read_pdf(&x, b, n);
    if (st == QUORUM_OK) st = write_all(&x, e->limits.extract_bytes);
    qpdfin_close(x.q);
    free(b);
    return st;
}
