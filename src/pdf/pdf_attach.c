/* Attachments of PDF/A-3b archive copies: the document's sources (and
 * with attach_style the house style's files), named and typed as
 * quorum_pdf_extract expects them. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "dlist.h"
#include "font.h"
#include "pdf.h"
#include "quorum.h"
#include "style.h"

#define MAX_ATTACHMENT ((size_t)256 << 20)

static const qpos nopos = {0, 0, 0};

int qpdf_safe_name(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)name[i];
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) return 0;
        if (c < 0x80) { i++; continue; }
        uint32_t cp;
        int k = qutf8_decode(name + i, n - i, &cp);
        if (k == 0) return 0;
        i += (size_t)k;
    }
    return 1;
}

int qpdf_safe_path(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > QPDF_MAX_PATH) return 0;
    int parts = 0;
    for (const char *p = name;;) {
        const char *e = strchr(p, '/');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        char part[256];
        if (k == 0 || k >= sizeof part || ++parts > QPDF_MAX_PATH_PARTS) return 0;
        memcpy(part, p, k);
        part[k] = '\0';
        if (!qpdf_safe_name(part)) return 0;
        if (!e) return 1;
        p = e + 1;
    }
}

/* One file to embed: a path, whose bytes come from the layout or the
 * file, or data already in memory (the built-in style). */
typedef struct attachment {
    const char *path;           /* NULL = data */
    const unsigned char *data;
    size_t len;
    const char *name;           /* the name extract writes: the path from
                                   the first file's folder (a/report.xml) */
    const char *what;           /* for diagnostics: "source", "style file" */
    const char *desc;
    int again;                  /* the same path as an earlier one: left out */
    unsigned char *owned;       /* data when read from the file here */
} attachment;

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The directories of two paths are the same string ("." for a bare
 * name). */
static int same_dir(const char *a, const char *b) {
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    const char *da = sa ? a : ".", *db = sb ? b : ".";
    size_t na = sa ? (size_t)(sa - a) : 1, nb = sb ? (size_t)(sb - b) : 1;
    return na == nb && memcmp(da, db, na) == 0;
}

/* path as named from the folder of first (the report's or the meeting
 * file's): what follows that folder, "report.xml" beside it or
 * "a/appendix-1.xml" in an item's folder, so that quorum extract gives
 * the files back where a rebuild looks for them.  NULL when path is not
 * inside that folder or the rest is no safe relative path. */
static const char *name_in_folder(const char *first, const char *path) {
    const char *slash = strrchr(first, '/');
    size_t n = slash ? (size_t)(slash - first) : 0;
    const char *rest = path;
    if (n == 1 && first[0] == '.') n = 0; /* "./meeting.xml": as "meeting.xml" */
    if (n) {
        if (strncmp(path, first, n) != 0 || path[n] != '/') return NULL;
        rest = path + n + 1;
    }
    while (rest[0] == '.' && rest[1] == '/') rest += 2;
    return qpdf_safe_path(rest) ? rest : NULL;
}

/* The MIME type: PNG and JPEG by their signatures (an image drawn from
 * "chart.PNG" or "photo" is still one), else by the name's ending. */
static const char *mime_of(const char *name, const unsigned char *data,
                           size_t len) {
    if (data && len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (data && len >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0)
        return "image/jpeg";
    size_t n = strlen(name);
#define ENDS(s) (n > sizeof s - 1 && strcasecmp(name + n - (sizeof s - 1), s) == 0)
    if (ENDS(".xml")) return "text/xml";
    if (ENDS(".png")) return "image/png";
    if (ENDS(".jpg") || ENDS(".jpeg")) return "image/jpeg";
#undef ENDS
    return "application/octet-stream";
}

static int is_image_name(const char *name) {
    return strncmp(mime_of(name, NULL, 0), "image/", 6) == 0;
}

/* An attachment's bytes.  What an archive copy publishes must be what
 * was rendered and nothing else beside it: the bytes the loader read and
 * the layout kept (dl->sources: the report, its appendices and images,
 * the style file) when the layout has them, else the file, read through
 * the one reader without following a link.  Either way the path must
 * not be a symbolic link, FIFO, device or directory where it stands now
 * (a logo.png beside the report linked to a private key is refused, not
 * attached).  A refusal names the file. */
static quorum_status attachment_bytes(pdfw *w, attachment *a) {
    qpos at = {qdiag_file(w->d, a->path), 0, 0};
    const qdl_source *src = qdlist_source(w->dl, a->path);
    int kind = qfile_kind(a->path);
    int err = kind == ENOENT && src ? 0 : kind;
    if (!err && src) {
        a->data = src->bytes;
        a->len = src->len;
        return QUORUM_OK;
    }
    if (!err)
        err = qfile_read(a->path, QFILE_NOFOLLOW, MAX_ATTACHMENT, &a->owned, &a->len);
    if (!err) {
        a->data = a->owned;
        return QUORUM_OK;
    }
    if (err == ELOOP || err == QFILE_ENOTREG || err == EISDIR)
        qdiag_add(w->d, QUORUM_ERROR, at,
                  "cannot write %s: the %s %s is %s; an archive copy attaches "
                  "only regular files", w->path, a->what, a->path,
                  err == ELOOP ? "a symbolic link" : qfile_strerror(err));
    else
        qdiag_add_class(w->d, QUORUM_CLASS_IO, QUORUM_ERROR, at,
                        "cannot write %s: cannot read attachment %s: %s",
                        w->path, a->path, qfile_strerror(err));
    return QUORUM_IO_ERROR;
}

/* The given files (the report or meeting file, appendices, then the
 * images drawn), each named by its path from the first one's folder,
 * then (attach_style) the layout's house style: its file,
 * or the built-in style's XML as committee.xml, then the logo it names.
 * A path given twice (a report's image that is also the style's logo) is
 * attached once.  No two names are the same, since quorum extract writes
 * them all into one directory and its folders: a clash, or a file outside
 * the first one's folder, is the caller's to resolve (QUORUM_USAGE), an
 * unreadable file an I/O failure. */
quorum_status qpdf_add_attachments(pdfw *w, const char *const *paths,
                                     int attach_style, const char *date) {
    char pdfdate[32] = "";
    int y, mo, day;
    if (qdate_parse_ymd(date, &y, &mo, &day) == 0)
        snprintf(pdfdate, sizeof pdfdate, "D:%04d%02d%02d000000+00'00'", y, mo,
                 day);
    size_t np = 0;
    while (paths && paths[np]) np++;
    attachment *at = qpdf_xmalloc((np + 2) * sizeof *at);
    size_t n = 0;
    quorum_status st = QUORUM_OK;
    for (size_t i = 0; i < np; i++) {
        int image = i > 0 && is_image_name(paths[i]);
        const char *name = i ? name_in_folder(paths[0], paths[i]) : base_name(paths[i]);
        if (!name && st == QUORUM_OK) {
            qdiag_add_class(w->d, QUORUM_CLASS_USAGE, QUORUM_ERROR,
                            (qpos){qdiag_file(w->d, paths[i]), 0, 0},
                            "cannot write %s: the %s %s is not in the folder of %s "
                            "or a folder below it; an archive copy attaches only "
                            "the files there", w->path, image ? "image" : "source",
                            paths[i], paths[0]);
            st = QUORUM_USAGE;
        }
        at[n++] = (attachment){paths[i], NULL, 0, name ? name : base_name(paths[i]),
                               image ? "image" : "source",
                               i == 0 ? "Source of this document (quorum report)"
                               : image ? "Image in this document"
                                       : "Source of this document", 0, NULL};
    }
    const qdlist *dl = w->dl;
    if (attach_style) {
        /* one description for the built-in style and a style file: a
         * rebuild with --style DIR/committee.xml gives the same bytes */
        const char *desc = "House style of this document (quorum style)";
        if (dl->style_file)
            at[n++] = (attachment){dl->style_file, NULL, 0,
                                   base_name(dl->style_file), "style file", desc, 0,
                                   NULL};
        else
            at[n++] = (attachment){NULL, qstyle_builtin_xml, qstyle_builtin_xml_len,
                                   QSTYLE_BUILTIN_FILE, "built-in style", desc, 0, NULL};
        if (dl->style_logo) {
            at[n++] = (attachment){dl->style_logo, NULL, 0, base_name(dl->style_logo),
                                   "style logo", "Logo of the house style", 0, NULL};
            if (dl->style_file && !same_dir(dl->style_file, dl->style_logo))
                qdiag_add(w->d, QUORUM_WARNING, nopos,
                          "%s: the style's logo %s is not beside the style file "
                          "%s: a rebuild from the files quorum extract gives "
                          "back will not find it there", w->path, dl->style_logo,
                          dl->style_file);
        }
    }
    for (size_t i = 0; i < n && st == QUORUM_OK; i++) {
        if (!qpdf_safe_path(at[i].name)) {
            qdiag_add(w->d, QUORUM_ERROR, nopos,
                      "cannot write %s: attachment %s has no usable file name",
                      w->path, at[i].path ? at[i].path : at[i].name);
            st = QUORUM_USAGE;
        }
        for (size_t j = 0; j < i && st == QUORUM_OK && !at[i].again; j++) {
            if (at[j].again || strcmp(at[j].name, at[i].name) != 0) continue;
            if (at[i].path && at[j].path && strcmp(at[i].path, at[j].path) == 0) {
                at[i].again = 1;
                break;
            }
            qdiag_add(w->d, QUORUM_ERROR, nopos,
                      "cannot write %s: two attachments are named %s (the %s "
                      "%s and the %s %s); quorum extract gives them back into "
                      "one directory, so rename one of the files", w->path,
                      at[i].name, at[j].what, at[j].path ? at[j].path : "",
                      at[i].what, at[i].path ? at[i].path : "");
            st = QUORUM_USAGE;
        }
    }
    for (size_t i = 0; i < n && st == QUORUM_OK; i++) {
        if (at[i].again) continue;
        if (at[i].path && (st = attachment_bytes(w, &at[i])) != QUORUM_OK) break;
        qhpdf_attach(w->h, at[i].name, at[i].data, at[i].len,
                     mime_of(at[i].name, at[i].data, at[i].len), at[i].desc,
                     pdfdate[0] ? pdfdate : NULL);
        free(at[i].owned);
        at[i].owned = NULL;
        if (qhpdf_failed(w->h)) st = QUORUM_IO_ERROR;
    }
    for (size_t i = 0; i < n; i++) free(at[i].owned);
    free(at);
    return st;
}

