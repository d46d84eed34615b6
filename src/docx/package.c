/* The zip package of a Word document, read with libzip from memory.
 * Nothing is trusted: the central directory's names and sizes are checked
 * before any part is inflated, and each read is bounded by the size the
 * directory declares, so an entry that inflates to more than it says
 * (a zip bomb lying about its size) is cut off, not followed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "docx.h"

/* libzip is opened the first time a package is, not linked: it needs
 * libcrypto, libbz2 and liblzma, whose loading and relocation cost every
 * run of quorum a noticeable part of its start-up although only import
 * reads zip files.  Its calls go through Z, filled once per process from
 * the soname CMake found at configure time (the package depends on it). */
#ifndef QUORUM_LIBZIP_SONAME
#define QUORUM_LIBZIP_SONAME "libzip.so.4"
#endif
#define ZIP_CALLS(X)                                                              \
    X(source_buffer_create) X(open_from_source) X(source_free) X(error_init)     \
    X(error_fini) X(error_strerror) X(get_num_entries) X(stat_index) X(close)    \
    X(discard) X(name_locate) X(fopen_index) X(fread) X(fclose) X(strerror)      \
    X(file_strerror) X(libzip_version)
#define ZIP_MEMBER(f) __typeof__(zip_##f) *f;
static struct { ZIP_CALLS(ZIP_MEMBER) } Z;
/* the members are named without libzip's prefix, the symbols with it */
#define ZIP_NAME(f) "zip_" #f,
QDLIB_TABLE(libzip, QUORUM_LIBZIP_SONAME, ZIP_CALLS, ZIP_NAME, Z, NULL);

struct dxpkg {
    zip_t *zip;
    const char *name;
    size_t part_max, total_max, total;
};

/* A part name that could name something outside the package if a reader
 * wrote it out: absolute, a drive, a backslash, a ".." segment. */
static const char *bad_name(const char *s) {
    if (!*s) return "an empty name";
    if (s[0] == '/') return "an absolute path";
    if (strchr(s, '\\')) return "a backslash";
    if (strchr(s, ':')) return "a drive or scheme";
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') return "a \"..\" segment";
        p += n + (e != NULL);
    }
    return NULL;
}

static void pkg_error(quorum_diags *d, const char *name, quorum_class cls,
                      const char *fmt, const char *arg, const char *why) {
    qpos at = {qdiag_file(d, name), 0, 0};
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg, why ? why : "");
    qdiag_add_class(d, cls, QUORUM_ERROR, at, "%s", msg);
}

dxpkg *dx_pkg_open(const unsigned char *data, size_t len, const char *name,
                   size_t part_max, quorum_diags *d) {
    const char *nolib;
    if (!qdlib_ready(&libzip, &nolib)) {
        pkg_error(d, name, QUORUM_CLASS_IO,
                  "cannot read Word documents: libzip is not available (%s)%s",
                  nolib, NULL);
        return NULL;
    }
    zip_error_t err;
    Z.error_init(&err);
    zip_source_t *src = Z.source_buffer_create(data, len, 0, &err);
    zip_t *z = src ? Z.open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err)
                   : NULL;
    if (!z) {
        pkg_error(d, name, QUORUM_CLASS_INPUT,
                  "not a Word document: not a zip package (%s%s)",
                  Z.error_strerror(&err), NULL);
        Z.error_fini(&err);
        if (src) Z.source_free(src);
        return NULL;
    }
    Z.error_fini(&err);
    zip_int64_t n = Z.get_num_entries(z, 0);
    const char *why = NULL, *which = NULL;
    if (n > DOCX_MAX_ENTRIES) {
        pkg_error(d, name, QUORUM_CLASS_LIMIT,
                  "the package has more than %s parts%s", "10000", NULL);
        Z.close(z);
        return NULL;
    }
    for (zip_int64_t i = 0; i < n && !why; i++) {
        zip_stat_t st;
        if (Z.stat_index(z, (zip_uint64_t)i, 0, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME)) {
            why = "an entry that cannot be read", which = "?";
            break;
        }
        which = st.name;
        why = bad_name(st.name);
        if (!why && st.valid & ZIP_STAT_ENCRYPTION_METHOD &&
            st.encryption_method != ZIP_EM_NONE)
            why = "encryption (save it without a password)";
    }
    if (why) {
        pkg_error(d, name, QUORUM_CLASS_INPUT,
                  "refused: the package has a part named \"%s\" with %s", which, why);
        Z.close(z);
        return NULL;
    }
    dxpkg *p = calloc(1, sizeof *p);
    if (!p) qfatal_oom();
    p->zip = z;
    p->name = name;
    p->part_max = part_max;
    p->total_max = part_max * DOCX_TOTAL_PARTS;
    return p;
}

void dx_pkg_close(dxpkg *p) {
    if (!p) return;
    Z.discard(p->zip);
    free(p);
}

char *dx_pkg_read(dxpkg *p, const char *part, size_t *len, int *missing,
                  quorum_diags *d) {
    *len = 0;
    *missing = 0;
    zip_int64_t i = Z.name_locate(p->zip, part, 0);
    zip_stat_t st;
    if (i < 0 || Z.stat_index(p->zip, (zip_uint64_t)i, 0, &st) != 0) {
        *missing = 1;
        return NULL;
    }
    char lim[32];
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > p->part_max) {
        pkg_error(d, p->name, QUORUM_CLASS_LIMIT,
                  "refused: part %s is larger than the %s limit", part,
                  qsize_text(lim, sizeof lim, p->part_max));
        return NULL;
    }
    if (p->total + st.size > p->total_max) {
        pkg_error(d, p->name, QUORUM_CLASS_LIMIT,
                  "refused: the parts read (up to %s) are larger than the %s "
                  "limit for a package", part,
                  qsize_text(lim, sizeof lim, p->total_max));
        return NULL;
    }
    if (st.size > DOCX_RATIO_FLOOR && st.valid & ZIP_STAT_COMP_SIZE &&
        st.size / (st.comp_size ? st.comp_size : 1) > DOCX_MAX_RATIO) {
        pkg_error(d, p->name, QUORUM_CLASS_LIMIT,
                  "refused: part %s is compressed more than %s times (a zip bomb?)",
                  part, "200");
        return NULL;
    }
    zip_file_t *f = Z.fopen_index(p->zip, (zip_uint64_t)i, 0);
    size_t want = (size_t)st.size;
    char *buf = malloc(want + 2);
    if (!buf) qfatal_oom();
    zip_int64_t got = f ? Z.fread(f, buf, want + 1) : -1;
    /* one byte past the declared size: an entry that inflates to more
     * than it declares is refused, not read on */
    const char *why = !f ? Z.strerror(p->zip)
                      : got < 0 ? Z.file_strerror(f)
                      : (size_t)got != want ? "its size is not the one declared"
                      : NULL;
    char whybuf[256];
    if (why) snprintf(whybuf, sizeof whybuf, "%s", why);
    if (f) Z.fclose(f);
    if (why) {
        free(buf);
        pkg_error(d, p->name, QUORUM_CLASS_INPUT,
                  "part %s is damaged: %s", part, whybuf);
        return NULL;
    }
    buf[want] = '\0';
    p->total += want;
    *len = want;
    return buf;
}

void qdocx_libzip_version(char *buf, size_t n) {
    const char *why;
    if (qdlib_ready(&libzip, &why)) snprintf(buf, n, "libzip %s", Z.libzip_version());
    else snprintf(buf, n, "libzip: not available (%s)", why);
}
