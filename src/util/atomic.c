/* See atomic.h.  The one place quorum replaces a file: the PDF writer, the
 * pack manifest and quorum_pdf_extract all come through here, so they
 * share one temporary-file scheme and one fsync policy per durability. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


struct qatomic {
    char *path, *tmp;
    int fd, err, durable;
    size_t n;
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
    static unsigned counter;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned long seed = (unsigned long)getpid() * 2654435761u;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long v = seed + counter++ * 40503u;
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
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
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

qatomic *qatomic_open(const char *path, int durability) {
    qatomic *a = malloc(sizeof *a);
    if (!a) qfatal_oom();
    size_t cap = strlen(path) + 16;
    a->path = strdup(path);
    a->tmp = malloc(cap);
    if (!a->path || !a->tmp) qfatal_oom();
    a->err = 0;
    a->n = 0;
    a->durable = durability == QATOMIC_DURABLE;
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
    close(a->fd);
    unlink(a->tmp);
    release(a);
}

int qatomic_commit(qatomic *a) {
    flush(a);
    /* EINVAL: the file cannot be synced (a pipe-like target), not a loss */
    if (!a->err && a->durable && fsync(a->fd) < 0 && errno != EINVAL)
        a->err = errno;
    if (close(a->fd) < 0 && !a->err) a->err = errno;
    if (!a->err && rename(a->tmp, a->path) < 0) a->err = errno ? errno : EIO;
    int err = a->err;
    if (err) unlink(a->tmp);
    else if (a->durable) sync_dir(a->path);
    release(a);
    return err;
}

int qatomic_write_file(const char *path, const void *data, size_t n,
                       int durability) {
    qatomic *a = qatomic_open(path, durability);
    if (!a) return errno ? errno : EIO;
    qatomic_write(a, data, n);
    return qatomic_commit(a);
}

int qatomic_error(const qatomic *a) { return a->err; }
