/* The loader's bytes: reading a file whole (through qfile_read, the one
 * reader of outside files), checking it is UTF-8 (and says so), and
 * line/column positions in characters from byte offsets. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"

/* ---- positions ------------------------------------------------------ */

static void index_lines(qarena *a, qsrc *s) {
    size_t n = 1;
    const unsigned char *p = s->bytes, *end = s->bytes + s->len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) { n++; p++; }
    s->lines = qarena_alloc(a, n * sizeof *s->lines);
    s->nlines = 0;
    s->lines[s->nlines++] = 0;
    p = s->bytes;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
        s->lines[s->nlines++] = (size_t)(++p - s->bytes);
}

qpos qload_pos_at(const qsrc *s, size_t off) {
    qpos p = {s->file, 0, 0};
    if (off > s->len) off = s->len;
    size_t lo = 0, hi = s->nlines; /* last line start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= off) lo = mid;
        else hi = mid;
    }
    unsigned col = 1;
    size_t from = s->lines[lo];
    if (lo == 0 && s->bom && off >= s->bom) from = s->bom; /* BOM: no column */
    if (s->cache && s->cache->line == lo && s->cache->off <= off &&
        s->cache->off >= from) {
        from = s->cache->off;
        col = s->cache->col;
    }
    for (size_t i = from; i < off; i++)
        if ((s->bytes[i] & 0xC0) != 0x80) col++;
    if (s->cache) {
        s->cache->line = lo;
        s->cache->off = off;
        s->cache->col = col;
    }
    p.line = (unsigned)lo + 1;
    p.col = col;
    return p;
}

/* Offset of the character at 1-based line/col (col in characters). */
static size_t offset_of(const qsrc *s, unsigned line, unsigned col) {
    if (line == 0 || line > s->nlines) return s->len;
    size_t i = s->lines[line - 1];
    if (i == 0 && s->len >= 3 && memcmp(s->bytes, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (unsigned c = 1; c < col && i < s->len && s->bytes[i] != '\n'; c++) {
        i++;
        while (i < s->len && (s->bytes[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* ---- reading and UTF-8 ---------------------------------------------- */

/* Length of the valid UTF-8 sequence at p, or 0.  Strict: no overlongs,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, size_t avail) {
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (avail < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return n;
}

/* Returns 0 when valid; else adds a positioned error and returns -1. */
int qload_check_utf8(const qsrc *s, quorum_diags *d) {
    size_t i = 0;
    while (i < s->len) {
        /* eight ASCII bytes at a time: reports are mostly ASCII */
        while (i + 8 <= s->len) {
            uint64_t w;
            memcpy(&w, s->bytes + i, 8);
            if (w & UINT64_C(0x8080808080808080)) break;
            i += 8;
        }
        if (i >= s->len) break;
        if (s->bytes[i] < 0x80) { i++; continue; }
        size_t n = utf8_len(s->bytes + i, s->len - i);
        if (n == 0) {
            qdiag_add(d, QUORUM_ERROR, qload_pos_at(s, i),
                      "invalid UTF-8 byte 0x%02X", s->bytes[i]);
            return -1;
        }
        i += n;
    }
    return 0;
}

/* Through the one file reader (util/file.c): a FIFO, device or
 * directory named as a report or appendix is refused without blocking,
 * and an endless file stops at the limit. */
unsigned char *qload_read_file(qarena *a, const char *path,
                               const char *shown, unsigned file,
                               size_t *len, quorum_diags *d, qpos at,
                               size_t max_bytes) {
    unsigned char *buf = NULL;
    size_t n = 0;
    int err = qfile_read(path, 0, max_bytes, &buf, &n);
    if (err == 0) {
        unsigned char *out = qarena_alloc_uninit(a, n + 1);
        memcpy(out, buf, n + 1);
        free(buf);
        *len = n;
        return out;
    }
    char lim[32];
    if (err == EFBIG) {
        qsize_text(lim, sizeof lim, max_bytes);
        if (at.line)
            qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, at,
                            "appendix '%s' is larger than the %s limit for "
                            "reports", shown, lim);
        else
            qdiag_add_class(d, QUORUM_CLASS_LIMIT, QUORUM_ERROR,
                            (qpos){file, 0, 0},
                            "file is larger than the %s limit for reports", lim);
    } else if (at.line) {
        /* One a report names: the report is wrong, at the reference. */
        qdiag_add(d, QUORUM_ERROR, at, "cannot read appendix '%s': %s", shown,
                  qfile_strerror(err));
    } else {
        /* The file given to the call: I/O. */
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){file, 0, 0},
                        "cannot read file: %s", qfile_strerror(err));
    }
    return NULL;
}

/* Files are UTF-8 (checked byte by byte before parsing); an XML
 * declaration that says otherwise would make libxml2 re-decode them. */
int qload_check_encoding(const qsrc *s, quorum_diags *d) {
    size_t i = s->bom;
    if (s->len - i < 6 || memcmp(s->bytes + i, "<?xml", 5) != 0 ||
        !qload_is_ws(s->bytes[i + 5]))
        return 0;
    const char *end = strstr((const char *)s->bytes + i, "?>");
    if (!end) return 0;
    size_t e = (size_t)(end - (const char *)s->bytes);
    for (size_t k = i; k + 8 < e; k++) {
        if (memcmp(s->bytes + k, "encoding", 8) != 0) continue;
        size_t v = k + 8;
        while (v < e && (qload_is_ws(s->bytes[v]) || s->bytes[v] == '=')) v++;
        if (v >= e || (s->bytes[v] != '"' && s->bytes[v] != '\'')) return 0;
        unsigned char q = s->bytes[v++];
        size_t ve = v;
        while (ve < e && s->bytes[ve] != q) ve++;
        char name[32];
        size_t n = ve - v < sizeof name - 1 ? ve - v : sizeof name - 1;
        memcpy(name, s->bytes + v, n);
        name[n] = '\0';
        if (strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0 ||
            strcasecmp(name, "US-ASCII") == 0 || strcasecmp(name, "ASCII") == 0)
            return 0;
        qdiag_add(d, QUORUM_ERROR, qload_pos_at(s, k),
                  "the file declares encoding \"%s\"; reports must be UTF-8",
                  name);
        return -1;
    }
    return 0;
}

/* ---- sources --------------------------------------------------------- */

qsrc *qload_add_source(quorum_doc *doc, quorum_diags *d, const char *path,
                        const unsigned char *bytes, size_t len, qpos at) {
    qsrc *s = qarena_alloc(doc->arena, sizeof *s);
    s->file = qdiag_file(d, path);
    s->path = qarena_strdup(doc->arena, path);
    s->bytes = bytes;
    s->len = len;
    s->bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    s->cache = qarena_alloc(doc->arena, sizeof *s->cache);
    s->cache->line = (size_t)-1;
    index_lines(doc->arena, s);
    qdiag_file_source(d, s->file, bytes, len, s->lines, s->nlines);
    /* The array doubles (its capacity is the next power of two, so it
     * needs no field of its own): a report with thousands of appendices
     * must not copy it once per appendix. */
    size_t n = doc->nsources;
    if ((n & (n - 1)) == 0) {
        struct qdoc_source *ns =
            qarena_alloc(doc->arena, (n ? 2 * n : 1) * sizeof *ns);
        if (n) memcpy(ns, doc->sources, n * sizeof *ns);
        doc->sources = ns;
    }
    struct qdoc_source *src = &doc->sources[n];
    src->file = s->file;
    src->path = s->path;
    src->bytes = (const char *)bytes;
    src->len = len;
    src->lines = s->lines;
    src->nlines = s->nlines;
    src->at = at.line ? at : (qpos){s->file, 0, 0};
    doc->nsources++;
    return s;
}

/* Exposed for check.c: line/column -> byte offset in a loaded file. */
size_t qdoc_source_offset(const quorum_doc *doc, qpos p,
                          const char **bytes, size_t *len) {
    for (size_t i = 0; i < doc->nsources; i++) {
        const struct qdoc_source *src = &doc->sources[i];
        if (src->file != p.file) continue;
        qsrc s = {.file = p.file,
                  .bytes = (const unsigned char *)src->bytes,
                  .len = src->len,
                  .lines = (size_t *)src->lines,
                  .nlines = src->nlines};
        if (bytes) *bytes = src->bytes;
        if (len) *len = src->len;
        return offset_of(&s, p.line, p.col);
    }
    if (bytes) *bytes = NULL;
    if (len) *len = 0;
    return 0;
}
