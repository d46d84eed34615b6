/* The one way quorum reads a file it was given or that an input names.
 * Every reader goes through here so that each file is opened once and
 * the same rules hold everywhere: a FIFO, a device or a directory is
 * refused without blocking (O_NONBLOCK: opening a FIFO with no writer
 * would wait for ever), the size is checked against the caller's cap
 * before anything is allocated, and the read stops at the cap even when
 * the file grows under us, so an endless file cannot make work endless. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int qfile_open(const char *path, int flags, size_t max_bytes, size_t *size) {
    if (!path || !*path) return -ENOENT;
    int oflags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    if (flags & QFILE_NOFOLLOW) oflags |= O_NOFOLLOW;
    int fd = open(path, oflags);
    if (fd < 0) return -(errno ? errno : EIO);
    struct stat st;
    int err = 0;
    if (fstat(fd, &st) != 0) err = errno ? errno : EIO;
    else if (S_ISDIR(st.st_mode)) err = EISDIR;
    else if (!S_ISREG(st.st_mode)) err = QFILE_ENOTREG;
    else if (st.st_size < 0) err = EIO;
    else if ((unsigned long long)st.st_size > max_bytes) err = EFBIG;
    if (!err) {
        /* Back to blocking reads: O_NONBLOCK was only for the open. */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) err = errno ? errno : EIO;
    }
    if (err) {
        close(fd);
        return -err;
    }
    if (size) *size = (size_t)st.st_size;
    return fd;
}

int qfile_read(const char *path, int flags, size_t max_bytes,
               unsigned char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    size_t size = 0;
    int fd = qfile_open(path, flags, max_bytes, &size);
    if (fd < 0) return -fd;
    /* One byte more than the size fstat gave tells a file that grew
     * (or a /proc-style file that reports 0) from one read whole; the
     * read never goes past max_bytes + 1. */
    size_t cap = size + 1;
    unsigned char *b = malloc(cap + 1);
    if (!b) qfatal_oom();
    /* every page is written by the read: fault them in at once (a font
     * file is a hundred pages) */
    qmem_populate(b, size);
    size_t n = 0;
    int err = 0;
    for (;;) {
        if (n == cap) {
            if (cap > max_bytes) { err = EFBIG; break; }
            size_t ncap = cap < max_bytes / 2 ? cap * 2 : max_bytes + 1;
            unsigned char *nb = realloc(b, ncap + 1);
            if (!nb) qfatal_oom();
            b = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            err = errno ? errno : EIO;
            break;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (!err && n > max_bytes) err = EFBIG;
    if (err) {
        free(b);
        return err;
    }
    b[n] = 0;
    *out = b;
    *len = n;
    return 0;
}

int qfile_pread(int fd, void *buf, size_t n, size_t at) {
    unsigned char *b = buf;
    while (n > 0) {
        ssize_t r = pread(fd, b, n, (off_t)at);
        if (r < 0) {
            if (errno == EINTR) continue;
            return errno ? errno : EIO;
        }
        if (r == 0) return QFILE_ESHORT;
        b += r;
        at += (size_t)r;
        n -= (size_t)r;
    }
    return 0;
}

int qfile_kind(const char *path) {
    struct stat st;
    if (!path || !*path) return ENOENT;
    if (lstat(path, &st) != 0) return errno ? errno : EIO;
    if (S_ISLNK(st.st_mode)) return ELOOP;
    if (S_ISDIR(st.st_mode)) return EISDIR;
    return S_ISREG(st.st_mode) ? 0 : QFILE_ENOTREG;
}

const char *qfile_strerror(int err) {
    if (err == QFILE_ENOTREG) return "not a regular file";
    if (err == EFBIG) return "file too large";
    if (err == ELOOP) return "is a symbolic link";
    if (err == QFILE_ESHORT) return "the file was cut short while it was read";
    return strerror(err);
}

int qhref_inside(const char *h, int folders) {
    if (!*h || h[0] == '/' || strchr(h, '\\') || strchr(h, ':') || strstr(h, ".."))
        return 0;
    if (!folders) return strchr(h, '/') == NULL;
    /* each part between slashes: not empty ("a//b", "a/"), not "." */
    for (const char *p = h;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.')) return 0;
        if (!e) return 1;
        p = e + 1;
    }
}
