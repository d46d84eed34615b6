/* quorum_watch: inotify on the folders of the files a build reads. */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Changes that can make a file read differently: written and closed,
 * renamed into place, made, removed; IN_MODIFY too, for a writer that
 * keeps the file open. */
#define QWATCH_EVENTS                                                           \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |    \
     IN_MODIFY)

typedef struct qwatch_entry {
    int wd;
    char *name; /* the file's base name; NULL = any input in the folder */
} qwatch_entry;

struct quorum_watch {
    int fd;
    qwatch_entry *e;
    size_t n, cap;
};

quorum_watch *quorum_watch_new(quorum_diags *d) {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                        "cannot watch files (inotify): %s", strerror(errno));
        return NULL;
    }
    quorum_watch *w = calloc(1, sizeof *w);
    if (!w) qfatal_oom();
    w->fd = fd;
    return w;
}

static void clear(quorum_watch *w) {
    for (size_t i = 0; i < w->n; i++) {
        /* one folder may hold several entries: remove its watch once */
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = w->e[j].wd == w->e[i].wd;
        if (!seen) inotify_rm_watch(w->fd, w->e[i].wd);
        free(w->e[i].name);
    }
    w->n = 0;
}

void quorum_watch_free(quorum_watch *w) {
    if (!w) return;
    clear(w);
    free(w->e);
    close(w->fd);
    free(w);
}

int qwatch_name_counts(const char *name) {
    if (!name[0] || name[0] == '.' || name[strlen(name) - 1] == '~') return 0;
    const char *dot = strrchr(name, '.');
    if (!dot) return 0;
    static const char *const inputs[] = {".xml", ".png", ".jpg", ".jpeg"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        if (strcmp(dot, inputs[i]) == 0) return 1;
    return 0;
}

/* Watches one path: its folder, for the base name (or any input when the
 * path is a folder).  0 or an errno value. */
static int add_one(quorum_watch *w, const char *path) {
    struct stat st;
    int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    char dir[PATH_MAX];
    const char *base = NULL;
    if (is_dir) {
        if (strlen(path) >= sizeof dir) return ENAMETOOLONG;
        strcpy(dir, path);
    } else {
        const char *slash = strrchr(path, '/');
        size_t len = slash ? (size_t)(slash - path) : 1;
        if (len >= sizeof dir) return ENAMETOOLONG;
        if (!slash) strcpy(dir, ".");
        else if (len == 0) strcpy(dir, "/");
        else memcpy(dir, path, len), dir[len] = '\0';
        base = slash ? slash + 1 : path;
    }
    int wd = inotify_add_watch(w->fd, dir, QWATCH_EVENTS | IN_ONLYDIR);
    if (wd < 0) return errno;
    w->e = qgrow(w->e, &w->cap, w->n + 1, sizeof *w->e);
    w->e[w->n].wd = wd;
    w->e[w->n].name = base ? strdup(base) : NULL;
    if (base && !w->e[w->n].name) qfatal_oom();
    w->n++;
    return 0;
}

quorum_status quorum_watch_files(quorum_watch *w, const char *const *paths, size_t n,
                                 quorum_diags *d) {
    clear(w);
    quorum_status st = QUORUM_OK;
    for (size_t i = 0; i < n; i++) {
        if (!paths[i]) continue;
        int err = add_one(w, paths[i]);
        if (err) {
            qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){0, 0, 0},
                            "cannot watch %s: %s", paths[i], strerror(err));
            st = QUORUM_IO_ERROR;
        }
    }
    return st;
}

static int matches(const quorum_watch *w, const struct inotify_event *ev) {
    if (ev->mask & IN_Q_OVERFLOW) return 1; /* events lost: assume a change */
    if (!ev->len) return 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->e[i].wd != ev->wd) continue;
        if (w->e[i].name ? strcmp(w->e[i].name, ev->name) == 0
                         : qwatch_name_counts(ev->name))
            return 1;
    }
    return 0;
}

/* Reads what is queued: 1 when an event is about a watched file, 0 when
 * none is, -1 on a read error. */
static int drain(const quorum_watch *w) {
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hit = 0;
    for (;;) {
        ssize_t got = read(w->fd, buf, sizeof buf);
        if (got < 0) return errno == EAGAIN || errno == EINTR ? hit : -1;
        if (got == 0) return hit;
        for (char *p = buf; p < buf + got;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            hit |= matches(w, ev);
            p += sizeof *ev + ev->len;
        }
    }
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int quorum_watch_wait(quorum_watch *w, int timeout_ms, int quiet_ms) {
    struct pollfd p = {w->fd, POLLIN, 0};
    int r = poll(&p, 1, timeout_ms);
    if (r < 0) return errno == EINTR ? 0 : -1;
    if (r == 0) return 0;
    int hit = drain(w);
    if (hit <= 0) return hit;
    /* Debounce: an editor's save, or a script writing several files, is
     * many events; rebuild once they stop for quiet_ms.  A writer that
     * never stops is built after a second all the same. */
    long long until = now_ms() + 1000;
    while (now_ms() < until) {
        r = poll(&p, 1, quiet_ms);
        if (r <= 0) break;
        if (drain(w) < 0) return -1;
    }
    return 1;
}

/* The first element's local name, from the text: a prolog holds only the
 * XML declaration, comments, processing instructions and a DOCTYPE. */
int quorum_file_is_meeting(const quorum_engine *e, const char *path) {
    (void)e;
    int fd = qfile_open(path, 0, (size_t)-1, NULL);
    if (fd < 0) return 0;
    /* the root comes after the prolog; one longer than this is no input's */
    static const size_t cap = 64 * 1024;
    char *b = malloc(cap + 1);
    if (!b) qfatal_oom();
    size_t len = 0;
    for (ssize_t got; len < cap && (got = read(fd, b + len, cap - len)) != 0;) {
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) break;
        len += (size_t)got;
    }
    close(fd);
    b[len] = '\0';
    const char *s = (const char *)b, *end = s + len;
    int meeting = 0;
    while ((s = memchr(s, '<', (size_t)(end - s))) != NULL && s + 1 < end) {
        const char *close = NULL;
        if (s[1] == '?') close = strstr(s, "?>");
        else if (strncmp(s, "<!--", 4) == 0) close = strstr(s, "-->");
        else if (s[1] == '!') close = strchr(s, '>');
        if (s[1] == '?' || s[1] == '!') {
            if (!close) break;
            s = close + 1;
            continue;
        }
        size_t n = strcspn(s + 1, " \t\r\n/>");
        const char *name = s + 1, *colon = memchr(name, ':', n);
        if (colon) n -= (size_t)(colon + 1 - name), name = colon + 1;
        meeting = n == 7 && strncmp(name, "meeting", 7) == 0;
        break;
    }
    free(b);
    return meeting;
}
