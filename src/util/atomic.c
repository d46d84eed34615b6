/* See atomic.h.  The one place quorum replaces a file: the PDF writer and
 * the pack manifest come through here, so they share one temporary-file
 * scheme and one fsync policy per durability.  (quorum_pdf_extract
 * replaces a set of files at once: src/pdfin/pdfin_extract.c.) */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


struct qatomic {
    char *path, *tmp;
    int fd, err, durable, hashing;
    size_t n;
    unsigned long long total;  /* bytes written so far */
    qsha256_ctx sha;           /* of those bytes, under QATOMIC_SHA256 */
    char buf[1 << 16];
};

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return errno ? errno : EIO;
        }
        if (k == 0) return EIO;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Creates "path.XXXXXX" beside the target.  open(O_EXCL) with mode 0666
 * rather than mkstemp, so the umask applies as for any new file (mkstemp
 * makes 0600 files, which would need a racy umask() query to fix). */
static int open_temp(const char *path, char *tmp, size_t cap) {
    /* atomic: a site writes its reports' files on several threads */
    static atomic_uint counter;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned long seed = (unsigned long)getpid() * 2654435761u;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long v = seed + atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed) * 40503ul;
        char suffix[7];
        for (int i = 0; i < 6; i++) {
            suffix[i] = digits[v % 36];
            v /= 36;
        }
        suffix[6] = 0;
        if ((size_t)snprintf(tmp, cap, "%s.%s", path, suffix) >= cap) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;
}

/* Makes the rename itself durable.  Best effort: the file is complete and
 * in place already, so a failure here is not reported. */
static void sync_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash) dir = strdup(".");
    else if (slash == path) dir = strdup("/");
    else dir = strndup(path, (size_t)(slash - path));
    if (!dir) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

static void release(qatomic *a) {
    free(a->path);
    free(a->tmp);
    free(a);
}

/* What stands at path may be replaced by a file: nothing, or a regular
 * file (through a symbolic link or not).  Renaming over a FIFO or a
 * device would put a regular file in its place (as root, -o /dev/null
 * would replace /dev/null); over a directory it fails only after the
 * whole file was written.  0 or an errno-like value (util.h, file). */
static int replaceable(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return 0; /* new, or a dangling link: open_temp says */
    if (S_ISDIR(st.st_mode)) return EISDIR;
    if (!S_ISREG(st.st_mode)) return QFILE_ENOTREG;
    return 0;
}

qatomic *qatomic_open(const char *path, int flags) {
    int bad = replaceable(path);
    if (bad) {
        errno = bad;
        return NULL;
    }
    qatomic *a = malloc(sizeof *a);
    if (!a) qfatal_oom();
    size_t cap = strlen(path) + 16;
    a->path = strdup(path);
    a->tmp = malloc(cap);
    if (!a->path || !a->tmp) qfatal_oom();
    a->err = 0;
    a->n = 0;
    a->total = 0;
    a->durable = (flags & QATOMIC_DURABLE) != 0;
    a->hashing = (flags & QATOMIC_SHA256) != 0;
    if (a->hashing) qsha256_init(&a->sha);
    a->fd = open_temp(path, a->tmp, cap);
    if (a->fd < 0) {
        int e = errno;
        release(a);
        errno = e;
        return NULL;
    }
    /* Replacing a file keeps its permissions (a report someone made
     * group-writable stays so); a new file gets 0666 less the umask. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        fchmod(a->fd, st.st_mode & 07777) < 0)
        a->err = errno;
    return a;
}

static int flush(qatomic *a) {
    if (!a->err && a->n) a->err = write_all(a->fd, a->buf, a->n);
    a->n = 0;
    return a->err ? -1 : 0;
}

int qatomic_write(void *ctx, const void *p, size_t n) {
    qatomic *a = ctx;
    if (a->err) return -1;
    a->total += n;
    if (a->hashing) qsha256_update(&a->sha, p, n);
    if (a->n + n > sizeof a->buf && flush(a) < 0) return -1;
    if (n >= sizeof a->buf) {
        a->err = write_all(a->fd, p, n);
        return a->err ? -1 : 0;
    }
    memcpy(a->buf + a->n, p, n);
    a->n += n;
    return 0;
}

void qatomic_abort(qatomic *a) {
    if (!a) return;
    if (a->fd >= 0) close(a->fd);
    unlink(a->tmp);
    release(a);
}

/* Everything but the rename: flush, fsync by policy, close; once. */
static int finish(qatomic *a) {
    if (a->fd < 0) return a->err;
    flush(a);
    /* EINVAL: the file cannot be synced (a pipe-like target), not a loss */
    if (!a->err && a->durable && fsync(a->fd) < 0 && errno != EINVAL)
        a->err = errno;
    if (close(a->fd) < 0 && !a->err) a->err = errno;
    a->fd = -1;
    return a->err;
}

int qatomic_finish(qatomic *a) { return finish(a); }

int qatomic_commit(qatomic *a) {
    finish(a);
    if (!a->err && rename(a->tmp, a->path) < 0) a->err = errno ? errno : EIO;
    int err = a->err;
    if (err) unlink(a->tmp);
    else if (a->durable) sync_dir(a->path);
    release(a);
    return err;
}

/* An exclusive lock on "PATH.lock" beside the last file of a set, so
 * that two runs committing the same set do it one after the other.  The
 * lock file is removed by its holder; a run that locked a file removed
 * meanwhile (its holder finished) tries again on the new one.  -1 with
 * errno when the folder cannot hold it. */
static int lock_set(const char *path) {
    size_t n = strlen(path) + sizeof ".lock";
    char *lp = malloc(n);
    if (!lp) qfatal_oom();
    snprintf(lp, n, "%s.lock", path);
    int fd = -1;
    for (int attempt = 0; attempt < 1000; attempt++) {
        fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0) break;
        struct stat held, now;
        int rc;
        while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR) {}
        if (rc == 0 && fstat(fd, &held) == 0 && stat(lp, &now) == 0 &&
            held.st_dev == now.st_dev && held.st_ino == now.st_ino)
            break;
        int e = rc == 0 ? 0 : errno;
        close(fd);
        fd = -1;
        if (e) {
            errno = e;
            break;
        }
    }
    free(lp);
    return fd;
}

static void unlock_set(const char *path, int fd) {
    size_t n = strlen(path) + sizeof ".lock";
    char *lp = malloc(n);
    if (!lp) qfatal_oom();
    snprintf(lp, n, "%s.lock", path);
    unlink(lp); /* before the unlock: a waiter then sees it gone */
    free(lp);
    close(fd);
}

/* a[i] is in the folder of a later file of the set, whose sync covers it */
static int same_dir_later(qatomic **a, size_t n, size_t i) {
    const char *p = a[i]->path, *s = strrchr(p, '/');
    size_t len = s ? (size_t)(s - p) : 0;
    for (size_t j = i + 1; j < n; j++) {
        const char *q = a[j]->path, *t = strrchr(q, '/');
        size_t tlen = t ? (size_t)(t - q) : 0;
        if (len == tlen && strncmp(p, q, len) == 0) return 1;
    }
    return 0;
}

int qatomic_commit_all(qatomic **a, size_t n, size_t *failed) {
    int err = 0;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (finish(a[i]) && !err) {
            err = a[i]->err;
            bad = i;
        }
    int lock = -1;
    if (!err && (lock = lock_set(a[n - 1]->path)) < 0) {
        err = errno ? errno : EIO;
        bad = n - 1;
    }
    /* In order: a reader that finds the last file of the set finds the
     * others it names already in place. */
    size_t done = 0;
    for (; !err && done < n; done++)
        if (rename(a[done]->tmp, a[done]->path) < 0) {
            err = errno ? errno : EIO;
            bad = done;
            break;
        }
    if (lock >= 0) unlock_set(a[n - 1]->path, lock);
    for (size_t i = 0; i < n; i++) {
        if (i >= done) unlink(a[i]->tmp);
        else if (a[i]->durable && !same_dir_later(a, n, i)) sync_dir(a[i]->path);
    }
    for (size_t i = 0; i < n; i++) release(a[i]);
    if (failed) *failed = bad;
    return err;
}

void qatomic_digest(const qatomic *a, unsigned char sum[32],
                    unsigned long long *bytes) {
    qsha256_ctx c = a->sha; /* a copy: a may still be written */
    qsha256_final(&c, sum);
    *bytes = a->total;
}

const char *qatomic_path(const qatomic *a) { return a->path; }

int qatomic_check_target(const char *path, const char *what,
                         const char *const *inputs, size_t n, quorum_diags *d) {
    qpos nopos = {0, 0, 0};
    int bad = replaceable(path);
    if (bad) {
        qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, nopos,
                        "cannot write %s to %s: it is %s", what, path,
                        bad == EISDIR ? "a directory"
                                      : "a pipe or a device, not a regular file");
        return -1;
    }
    struct stat out, in;
    if (stat(path, &out) != 0) return 0; /* a new file is no input */
    for (size_t i = 0; i < n; i++) {
        if (!inputs[i] || stat(inputs[i], &in) != 0 || in.st_dev != out.st_dev ||
            in.st_ino != out.st_ino)
            continue;
        if (strcmp(inputs[i], path) == 0)
            qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, nopos,
                            "cannot write %s to %s: it is an input of this run, "
                            "which it would replace", what, path);
        else
            qdiag_add_class(d, QUORUM_CLASS_USAGE, QUORUM_ERROR, nopos,
                            "cannot write %s to %s: it is the same file as %s, an "
                            "input of this run, which it would replace", what, path,
                            inputs[i]);
        return -1;
    }
    return 0;
}

int qatomic_write_file(const char *path, const void *data, size_t n,
                       int durability) {
    qatomic *a = qatomic_open(path, durability);
    if (!a) return errno ? errno : EIO;
    qatomic_write(a, data, n);
    return qatomic_commit(a);
}

int qatomic_error(const qatomic *a) { return a->err; }

unsigned char *qatomic_read_back(qatomic *a, size_t *n) {
    *n = 0;
    if (flush(a) < 0) return NULL;
    size_t len = (size_t)a->total;
    unsigned char *b = malloc(len ? len : 1);
    if (!b) qfatal_oom();
    for (size_t at = 0; at < len;) {
        ssize_t k = pread(a->fd, b + at, len - at, (off_t)at);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            a->err = k < 0 && errno ? errno : EIO;
            free(b);
            return NULL;
        }
        at += (size_t)k;
    }
    *n = len;
    return b;
}

quorum_status qatomic_open_error(const char *path, int err, quorum_diags *d) {
    /* what stands there was refused before anything was written */
    quorum_class cls = err == EISDIR || err == QFILE_ENOTREG ? QUORUM_CLASS_USAGE
                                                             : QUORUM_CLASS_IO;
    qdiag_add_class(d, cls, QUORUM_ERROR, (qpos){0, 0, 0}, "cannot write %s: %s", path,
                    qfile_strerror(err));
    return cls == QUORUM_CLASS_USAGE ? QUORUM_USAGE : QUORUM_IO_ERROR;
}
