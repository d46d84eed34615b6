/* See atomic.h.  The one place quorum replaces a file: the PDF writer and
 * the pack manifest come through here, so they share one temporary-file
 * scheme and one fsync policy per durability.  (quorum_pdf_extract
 * replaces a set of files at once: src/pdfin/pdfin_extract.c.) */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


/* QATOMIC_ASIDE: full buffers hashed and written by a thread of the
 * file's own, so the caller only copies (issue 18: the pack's writer
 * spent ~8 ms of a rebuild's critical path hashing and writing its 6 MB).
 * A ring of ASIDE_N buffers; the caller fills buf[fill], the thread takes
 * them in order. */
enum { ASIDE_N = 4, ASIDE_BUF = 1 << 16 };

typedef struct aside {
    pthread_t t;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char *buf[ASIDE_N];
    size_t len[ASIDE_N];
    unsigned head, count;  /* the oldest full buffer, how many are full */
    unsigned fill;         /* the one the caller fills */
    int stop, err;         /* err: the thread's first failure */
} aside;

struct qatomic {
    char *path, *tmp;
    int fd, err, durable, hashing;
    size_t n;
    unsigned long long total;  /* bytes written so far */
    qsha256_ctx sha;           /* of those bytes, under QATOMIC_SHA256 */
    aside *as;                 /* QATOMIC_ASIDE, NULL once drained or none */
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

static void *aside_run(void *arg) {
    qatomic *a = arg;
    aside *s = a->as;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->count && !s->stop) pthread_cond_wait(&s->cv, &s->mu);
        if (!s->count) break; /* stopped, every buffer written */
        unsigned i = s->head;
        int failed = s->err;
        pthread_mutex_unlock(&s->mu);
        int err = 0;
        if (!failed) {
            if (a->hashing) qsha256_update(&a->sha, s->buf[i], s->len[i]);
            err = write_all(a->fd, (const char *)s->buf[i], s->len[i]);
        }
        pthread_mutex_lock(&s->mu);
        if (err && !s->err) s->err = err;
        s->head = (s->head + 1) % ASIDE_N;
        s->count--;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* The thread of a, and its buffers; a writes on its own thread if either
 * cannot be had. */
static void aside_start(qatomic *a) {
    aside *s = calloc(1, sizeof *s);
    if (!s) qfatal_oom();
    for (int i = 0; i < ASIDE_N; i++)
        if (!(s->buf[i] = malloc(ASIDE_BUF))) qfatal_oom();
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    a->as = s;
    if (pthread_create(&s->t, NULL, aside_run, a) == 0) return;
    for (int i = 0; i < ASIDE_N; i++) free(s->buf[i]);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
    a->as = NULL;
}

/* The buffer being filled, n bytes, to the thread; the next one to fill
 * (waiting while every one is full).  -1 once the thread has failed. */
static int aside_pass(qatomic *a, size_t n) {
    aside *s = a->as;
    pthread_mutex_lock(&s->mu);
    if (n) {
        s->len[s->fill] = n;
        s->count++;
        s->fill = (s->fill + 1) % ASIDE_N;
        pthread_cond_broadcast(&s->cv);
    }
    while (s->count == ASIDE_N && !s->err) pthread_cond_wait(&s->cv, &s->mu);
    int err = s->err;
    pthread_mutex_unlock(&s->mu);
    if (err && !a->err) a->err = err;
    return err ? -1 : 0;
}

/* Every byte given to the thread written (or its failure in a->err), the
 * thread joined: a is an ordinary qatomic from here on. */
static void aside_drain(qatomic *a, int discard) {
    aside *s = a->as;
    if (!s) return;
    if (!a->err && !discard) aside_pass(a, a->n);
    a->n = 0;
    pthread_mutex_lock(&s->mu);
    if (discard && !s->err) s->err = ECANCELED; /* the rest is not written */
    s->stop = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->t, NULL);
    if (s->err && !a->err && !discard) a->err = s->err;
    for (int i = 0; i < ASIDE_N; i++) free(s->buf[i]);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
    a->as = NULL;
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
    a->as = NULL;
    if (flags & QATOMIC_ASIDE) aside_start(a);
    return a;
}

static int flush(qatomic *a) {
    if (!a->err && a->n) a->err = write_all(a->fd, a->buf, a->n);
    a->n = 0;
    return a->err ? -1 : 0;
}

/* qatomic_write with its thread: copied into the ring, hashed there. */
static int write_aside(qatomic *a, const char *p, size_t n) {
    aside *s = a->as;
    a->total += n;
    while (n) {
        size_t room = ASIDE_BUF - a->n, k = n < room ? n : room;
        memcpy(s->buf[s->fill] + a->n, p, k);
        a->n += k;
        p += k;
        n -= k;
        if (a->n == ASIDE_BUF) {
            a->n = 0;
            if (aside_pass(a, ASIDE_BUF) < 0) return -1;
        }
    }
    return 0;
}

int qatomic_write(void *ctx, const void *p, size_t n) {
    qatomic *a = ctx;
    if (a->err) return -1;
    if (a->as) return write_aside(a, p, n);
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
    aside_drain(a, 1);
    if (a->fd >= 0) close(a->fd);
    unlink(a->tmp);
    release(a);
}

/* Everything but the rename: flush, fsync by policy, close; once. */
static int finish(qatomic *a) {
    if (a->fd < 0) return a->err;
    aside_drain(a, 0);
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

struct qatomic_gone {
    pthread_t t;
    size_t n;
    int fd[];
};

static void *let_go(void *arg) {
    qatomic_gone *g = arg;
    for (size_t i = 0; i < g->n; i++) close(g->fd[i]);
    return NULL;
}

/* The regular file standing at path, open for reading, or -1. */
static int hold_old(const char *path) {
    /* not a FIFO's writer wait, not a terminal taken, not a link followed */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int qatomic_commit_all(qatomic **a, size_t n, size_t *failed) {
    return qatomic_commit_all_gone(a, n, failed, NULL);
}

int qatomic_commit_all_gone(qatomic **a, size_t n, size_t *failed, qatomic_gone **gone) {
    qatomic_gone *g = NULL;
    if (gone) {
        *gone = NULL;
        g = malloc(sizeof *g + (n ? n : 1) * sizeof g->fd[0]);
        if (!g) qfatal_oom();
        g->n = 0;
    }
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
    /* what each rename replaces, held so that it is freed on g's thread */
    for (size_t i = 0; g && !err && i < n; i++) {
        int fd = hold_old(a[i]->path);
        if (fd >= 0) g->fd[g->n++] = fd;
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
    if (g && g->n && pthread_create(&g->t, NULL, let_go, g) == 0) {
        *gone = g;
    } else if (g) {
        let_go(g);
        free(g);
    }
    return err;
}

void qatomic_gone_wait(qatomic_gone *gone) {
    if (!gone) return;
    pthread_join(gone->t, NULL);
    free(gone);
}

void qatomic_digest(qatomic *a, unsigned char sum[32], unsigned long long *bytes) {
    aside_drain(a, 0); /* its hash is the thread's until then */
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
    aside_drain(a, 0);
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
