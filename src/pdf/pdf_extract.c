/* quorum extract: gives back the source files attached to a PDF/A-3b copy.
 *
 * libharu cannot read PDFs and no new dependency is wanted, so this is a
 * small reader for quorum's own output, not a general PDF parser: one
 * classic xref table (startxref -> xref -> trailer), objects found
 * through it, the catalog's /Names /EmbeddedFiles name tree, file
 * specifications and uncompressed embedded file streams.  Everything is
 * read from one buffer with bounds checks, since the file is untrusted:
 * any surprise is a clean "cannot read" diagnostic.
 *
 * The PDF is read through the one file reader (a FIFO or device named as
 * the PDF is refused, not waited on).  Nothing is written unless every
 * attachment is readable, has a safe name (qpdf_safe_name) and, where the
 * file carries one, matches its MD5 /CheckSum, and nothing but a regular
 * file stands in DIR under any of their names. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "pdf.h"
#include "quorum.h"

#define MAX_PDF ((size_t)1 << 30)
#define MAX_DEPTH 32
#define NOPE ((size_t)-1)

static const qpos nopos = {0, 0, 0};

typedef struct px {
    const unsigned char *b;
    size_t n;
    size_t *off;         /* object number -> byte offset; 0 = absent */
    size_t nobj;
} px;

static int is_ws(unsigned char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == 0;
}

static int is_delim(unsigned char c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
           c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static int is_regular(unsigned char c) { return !is_ws(c) && !is_delim(c); }

static size_t skip_ws(const px *x, size_t i) {
    while (i < x->n) {
        if (is_ws(x->b[i])) i++;
        else if (x->b[i] == '%') {
            while (i < x->n && x->b[i] != '\n' && x->b[i] != '\r') i++;
        } else break;
    }
    return i;
}

static int at(const px *x, size_t i, const char *s) {
    size_t k = strlen(s);
    return i <= x->n && x->n - i >= k && memcmp(x->b + i, s, k) == 0;
}

static size_t skip_regular(const px *x, size_t i) {
    while (i < x->n && is_regular(x->b[i])) i++;
    return i;
}

/* Non-negative integer at i; end index or NOPE. */
static size_t read_uint(const px *x, size_t i, size_t *v) {
    size_t r = 0, j = i;
    while (j < x->n && x->b[j] >= '0' && x->b[j] <= '9') {
        if (r > (SIZE_MAX - 9) / 10) return NOPE;
        r = r * 10 + (size_t)(x->b[j] - '0');
        j++;
    }
    if (j == i || (j < x->n && is_regular(x->b[j]))) return NOPE;
    *v = r;
    return j;
}

/* "N G R" at i: end index and N, or NOPE. */
static size_t read_ref(const px *x, size_t i, size_t *num) {
    size_t g, j = read_uint(x, i, num);
    if (j == NOPE) return NOPE;
    j = skip_ws(x, j);
    j = read_uint(x, j, &g);
    if (j == NOPE) return NOPE;
    j = skip_ws(x, j);
    if (j < x->n && x->b[j] == 'R' && (j + 1 == x->n || !is_regular(x->b[j + 1])))
        return j + 1;
    return NOPE;
}

/* Index just after the value at i, or NOPE. */
static size_t skip_value(const px *x, size_t i, int depth) {
    if (depth > MAX_DEPTH || i >= x->n) return NOPE;
    unsigned char c = x->b[i];
    if (c == '<' && at(x, i, "<<")) {
        i += 2;
        for (;;) {
            i = skip_ws(x, i);
            if (i >= x->n) return NOPE;
            if (at(x, i, ">>")) return i + 2;
            if (x->b[i] != '/') return NOPE;
            i = skip_regular(x, i + 1);
            i = skip_ws(x, i);
            i = skip_value(x, i, depth + 1);
            if (i == NOPE) return NOPE;
        }
    }
    if (c == '[') {
        i++;
        for (;;) {
            i = skip_ws(x, i);
            if (i >= x->n) return NOPE;
            if (x->b[i] == ']') return i + 1;
            i = skip_value(x, i, depth + 1);
            if (i == NOPE) return NOPE;
        }
    }
    if (c == '<') {
        while (i < x->n && x->b[i] != '>') i++;
        return i < x->n ? i + 1 : NOPE;
    }
    if (c == '(') {
        int nest = 0;
        for (; i < x->n; i++) {
            if (x->b[i] == '\\') i++;
            else if (x->b[i] == '(') nest++;
            else if (x->b[i] == ')' && --nest == 0) return i + 1;
        }
        return NOPE;
    }
    if (c == '/') return skip_regular(x, i + 1);
    if ((c >= '0' && c <= '9')) {
        size_t num, j = read_ref(x, i, &num);
        if (j != NOPE) return j;
    }
    if (is_regular(c)) return skip_regular(x, i); /* number, true, null */
    return NOPE;
}

/* Index of the value of /key in the dictionary at i, or NOPE. */
static size_t dict_get(const px *x, size_t i, const char *key) {
    if (i == NOPE || !at(x, i, "<<")) return NOPE;
    size_t klen = strlen(key);
    i += 2;
    for (;;) {
        i = skip_ws(x, i);
        if (i >= x->n || at(x, i, ">>") || x->b[i] != '/') return NOPE;
        size_t k0 = i + 1, k1 = skip_regular(x, k0);
        i = skip_ws(x, k1);
        if (k1 - k0 == klen && memcmp(x->b + k0, key, klen) == 0) return i;
        i = skip_value(x, i, 1);
        if (i == NOPE) return NOPE;
    }
}

/* Follows references: index of the direct value, or NOPE. */
static size_t resolve(const px *x, size_t i) {
    for (int hops = 0; i != NOPE && hops < 8; hops++) {
        size_t num;
        if (i >= x->n || x->b[i] < '0' || x->b[i] > '9' ||
            read_ref(x, i, &num) == NOPE)
            return i;
        if (num >= x->nobj || x->off[num] == 0) return NOPE;
        size_t j = x->off[num], n2, g;
        j = read_uint(x, j, &n2);
        if (j == NOPE || n2 != num) return NOPE;
        j = read_uint(x, skip_ws(x, j), &g);
        if (j == NOPE) return NOPE;
        j = skip_ws(x, j);
        if (!at(x, j, "obj")) return NOPE;
        i = skip_ws(x, j + 3);
    }
    return NOPE;
}

/* A string value (literal or hex) as bytes: malloc'd, NUL-terminated. */
static unsigned char *read_string(const px *x, size_t i, size_t *len) {
    if (i == NOPE || i >= x->n) return NULL;
    size_t end = skip_value(x, i, 0);
    if (end == NOPE) return NULL;
    unsigned char *o = malloc(end - i + 1);
    if (!o) qfatal_oom();
    size_t n = 0;
    if (x->b[i] == '<' && !at(x, i, "<<")) {
        int half = -1;
        for (size_t k = i + 1; k + 1 < end; k++) {
            unsigned char c = x->b[k];
            int v = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (v < 0) {
                if (is_ws(c)) continue;
                free(o);
                return NULL;
            }
            if (half < 0) half = v;
            else { o[n++] = (unsigned char)(half << 4 | v); half = -1; }
        }
        if (half >= 0) o[n++] = (unsigned char)(half << 4);
    } else if (x->b[i] == '(') {
        for (size_t k = i + 1; k + 1 < end; k++) {
            unsigned char c = x->b[k];
            if (c != '\\') { o[n++] = c; continue; }
            c = x->b[++k];
            switch (c) {
            case 'n': o[n++] = '\n'; break;
            case 'r': o[n++] = '\r'; break;
            case 't': o[n++] = '\t'; break;
            case 'b': o[n++] = '\b'; break;
            case 'f': o[n++] = '\f'; break;
            case '\r': if (k + 2 < end && x->b[k + 1] == '\n') k++; break;
            case '\n': break;
            default:
                if (c >= '0' && c <= '7') {
                    unsigned v = c - '0';
                    for (int d = 0; d < 2 && k + 2 < end && x->b[k + 1] >= '0' &&
                                    x->b[k + 1] <= '7'; d++)
                        v = v * 8 + (unsigned)(x->b[++k] - '0');
                    o[n++] = (unsigned char)v;
                } else {
                    o[n++] = c;
                }
            }
        }
    } else {
        free(o);
        return NULL;
    }
    o[n] = 0;
    *len = n;
    return o;
}

/* UTF-16BE (after its BOM) to UTF-8, in place-sized new buffer. */
static char *utf16_to_utf8(const unsigned char *s, size_t n) {
    char *o = malloc(n / 2 * 3 + 1);
    if (!o) qfatal_oom();
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        uint32_t c = (uint32_t)s[i] << 8 | s[i + 1];
        if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
            uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF) { free(o); return NULL; }
        if (c == 0) { free(o); return NULL; }
        if (c < 0x80) o[k++] = (char)c;
        else if (c < 0x800) {
            o[k++] = (char)(0xC0 | c >> 6);
            o[k++] = (char)(0x80 | (c & 63));
        } else if (c < 0x10000) {
            o[k++] = (char)(0xE0 | c >> 12);
            o[k++] = (char)(0x80 | ((c >> 6) & 63));
            o[k++] = (char)(0x80 | (c & 63));
        } else {
            o[k++] = (char)(0xF0 | c >> 18);
            o[k++] = (char)(0x80 | ((c >> 12) & 63));
            o[k++] = (char)(0x80 | ((c >> 6) & 63));
            o[k++] = (char)(0x80 | (c & 63));
        }
    }
    o[k] = 0;
    return o;
}

/* Reads the xref table; 0 and the trailer's index, or -1. */
static int read_xref(px *x, size_t *trailer) {
    size_t from = x->n > 1024 ? x->n - 1024 : 0, sx = NOPE;
    for (size_t i = x->n; i-- > from;)
        if (at(x, i, "startxref")) { sx = i; break; }
    if (sx == NOPE) return -1;
    size_t off, i = read_uint(x, skip_ws(x, sx + 9), &off);
    /* skip_ws would take "%%EOF" for a comment: look for it directly, so
     * that a truncated file is refused rather than half read. */
    if (i == NOPE || off >= x->n) return -1;
    while (i < x->n && is_ws(x->b[i])) i++;
    if (!at(x, i, "%%EOF")) return -1;
    i = skip_ws(x, off);
    if (!at(x, i, "xref")) return -1;
    i += 4;
    for (;;) {
        i = skip_ws(x, i);
        if (at(x, i, "trailer")) break;
        size_t start, count;
        i = read_uint(x, i, &start);
        if (i == NOPE) return -1;
        i = read_uint(x, skip_ws(x, i), &count);
        /* 20 bytes an entry: a count the file cannot hold is a lie. */
        if (i == NOPE || count > x->n / 18 || start > x->n / 18) return -1;
        if (start + count > x->nobj) {
            size_t *o = realloc(x->off, (start + count) * sizeof *o);
            if (!o) qfatal_oom();
            memset(o + x->nobj, 0, (start + count - x->nobj) * sizeof *o);
            x->off = o;
            x->nobj = start + count;
        }
        for (size_t k = 0; k < count; k++) {
            size_t eo, g;
            i = read_uint(x, skip_ws(x, i), &eo);
            if (i == NOPE) return -1;
            i = read_uint(x, skip_ws(x, i), &g);
            if (i == NOPE) return -1;
            i = skip_ws(x, i);
            if (i >= x->n || (x->b[i] != 'n' && x->b[i] != 'f')) return -1;
            if (x->b[i] == 'n' && eo > 0 && eo < x->n) x->off[start + k] = eo;
            i++;
        }
    }
    *trailer = skip_ws(x, i + 7);
    return at(x, *trailer, "<<") ? 0 : -1;
}

typedef struct entry {
    char *name;
    size_t data, len;    /* span of the file's bytes in the PDF */
} entry;

typedef struct ctx {
    px x;
    entry *e;
    size_t ne, cap;
    quorum_diags *d;
    const char *path;
    int failed;
} ctx;

static void bad(ctx *c, const char *what) {
    if (!c->failed)
        qdiag_add(c->d, QUORUM_ERROR, nopos, "cannot extract from %s: %s",
                  c->path, what);
    c->failed = 1;
}

static void take_spec(ctx *c, size_t spec) {
    px *x = &c->x;
    size_t len;
    char *name = NULL;
    unsigned char *s = read_string(x, resolve(x, dict_get(x, spec, "UF")), &len);
    if (!s) s = read_string(x, resolve(x, dict_get(x, spec, "F")), &len);
    if (!s) { bad(c, "an attachment has no file name"); return; }
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) name = utf16_to_utf8(s + 2, len - 2);
    else if (strlen((char *)s) == len) name = strdup((char *)s);
    free(s);
    if (!name || !qpdf_safe_name(name)) {
        char msg[400];
        snprintf(msg, sizeof msg,
                 "attachment name \"%.200s\" is not a plain file name; "
                 "nothing was extracted", name ? name : "?");
        bad(c, msg);
        free(name);
        return;
    }
    for (size_t k = 0; k < c->ne; k++)
        if (strcmp(c->e[k].name, name) == 0) { free(name); return; }
    size_t ef = resolve(x, dict_get(x, spec, "EF"));
    size_t fv = dict_get(x, ef, "F");
    size_t dict = resolve(x, fv);
    size_t flen;
    size_t lv = resolve(x, dict_get(x, dict, "Length"));
    size_t end = dict == NOPE ? NOPE : skip_value(x, dict, 0);
    if (end == NOPE || lv == NOPE || read_uint(x, lv, &flen) == NOPE) {
        free(name);
        bad(c, "an attachment's file stream cannot be read");
        return;
    }
    if (dict_get(x, dict, "Filter") != NOPE) {
        free(name);
        bad(c, "an attachment is compressed (quorum stores them plain)");
        return;
    }
    size_t i = skip_ws(x, end);
    if (!at(x, i, "stream")) { free(name); bad(c, "no stream data"); return; }
    i += 6;
    if (at(x, i, "\r\n")) i += 2;
    else if (at(x, i, "\n")) i += 1;
    else { free(name); bad(c, "malformed stream"); return; }
    if (i > x->n || flen > x->n - i) {
        free(name);
        bad(c, "an attachment runs past the end of the file");
        return;
    }
    size_t params = resolve(x, dict_get(x, dict, "Params"));
    size_t sumlen;
    unsigned char *sum = read_string(x, resolve(x, dict_get(x, params, "CheckSum")), &sumlen);
    if (sum) {
        unsigned char got[16];
        qmd5(x->b + i, flen, got);
        int ok = sumlen == 16 && memcmp(got, sum, 16) == 0;
        free(sum);
        if (!ok) {
            char msg[400];
            snprintf(msg, sizeof msg, "attachment %.200s does not match its "
                     "checksum; nothing was extracted", name);
            free(name);
            bad(c, msg);
            return;
        }
    }
    if (c->ne == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        entry *ne = realloc(c->e, c->cap * sizeof *ne);
        if (!ne) qfatal_oom();
        c->e = ne;
    }
    c->e[c->ne].name = name;
    c->e[c->ne].data = i;
    c->e[c->ne].len = flen;
    c->ne++;
}

static void walk_tree(ctx *c, size_t node, int depth) {
    px *x = &c->x;
    if (c->failed) return;
    if (depth > 8 || node == NOPE) { bad(c, "malformed name tree"); return; }
    size_t kids = resolve(x, dict_get(x, node, "Kids"));
    if (kids != NOPE && kids < x->n && x->b[kids] == '[') {
        size_t i = kids + 1;
        for (;;) {
            i = skip_ws(x, i);
            if (i >= x->n) { bad(c, "malformed name tree"); return; }
            if (x->b[i] == ']') break;
            walk_tree(c, resolve(x, i), depth + 1);
            i = skip_value(x, i, 1);
            if (c->failed || i == NOPE) { bad(c, "malformed name tree"); return; }
        }
    }
    size_t arr = resolve(x, dict_get(x, node, "Names"));
    if (arr == NOPE) return;
    if (arr >= x->n || x->b[arr] != '[') { bad(c, "malformed name tree"); return; }
    size_t i = arr + 1;
    for (;;) {
        i = skip_ws(x, i);                       /* key */
        if (i >= x->n) { bad(c, "malformed name tree"); return; }
        if (x->b[i] == ']') return;
        i = skip_value(x, i, 1);
        if (i == NOPE) { bad(c, "malformed name tree"); return; }
        i = skip_ws(x, i);                       /* file specification */
        size_t spec = resolve(x, i);
        if (spec == NOPE || !at(x, spec, "<<")) {
            bad(c, "malformed file specification");
            return;
        }
        take_spec(c, spec);
        if (c->failed) return;
        i = skip_value(x, i, 1);
        if (i == NOPE) { bad(c, "malformed name tree"); return; }
    }
}

static char *target_path(const char *dir, const entry *e) {
    size_t n = strlen(dir) + strlen(e->name) + 2;
    char *p = malloc(n);
    if (!p) qfatal_oom();
    snprintf(p, n, "%s/%s", dir, e->name);
    return p;
}

/* What is already at a target may only be a regular file (replaced): a
 * FIFO, device, directory or symbolic link planted in dir under an
 * attachment's name is refused, neither opened (a FIFO would block) nor
 * followed nor replaced.  lstat opens nothing.  0 when the target is
 * free to write. */
static int target_ok(const char *dir, const entry *e, quorum_diags *d) {
    char *p = target_path(dir, e);
    struct stat st;
    int ok = lstat(p, &st) != 0 || S_ISREG(st.st_mode);
    if (!ok)
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR, (qpos){qdiag_file(d, p), 0, 0},
                        "cannot write %s: there is a %s of that name, which "
                        "extract does not replace", e->name,
                        S_ISLNK(st.st_mode) ? "symbolic link"
                        : S_ISDIR(st.st_mode) ? "directory"
                        : S_ISFIFO(st.st_mode) ? "FIFO"
                        : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "device"
                        : "file that is not a regular file");
    free(p);
    return ok ? 0 : -1;
}

/* Each file is replaced atomically.  No fsync: the PDF still holds them. */
static int write_out(const char *dir, const entry *e, const unsigned char *b,
                     quorum_diags *d) {
    char *p = target_path(dir, e);
    int err = qatomic_write_file(p, b + e->data, e->len, QATOMIC_ORDINARY);
    if (err)
        qdiag_add(d, QUORUM_ERROR, nopos, "cannot write %s: %s", p, qfile_strerror(err));
    free(p);
    return err ? -1 : 0;
}

quorum_status quorum_pdf_extract(const char *pdf_path, const char *dir,
                                 quorum_diags *d) {
    ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.path = pdf_path;
    size_t n = 0;
    unsigned char *b = NULL;
    int err = qfile_read(pdf_path, 0, MAX_PDF, &b, &n);
    if (err) {
        qdiag_add_class(d, QUORUM_CLASS_IO, QUORUM_ERROR,
                        (qpos){qdiag_file(d, pdf_path), 0, 0}, "cannot read %s: %s",
                        pdf_path, qfile_strerror(err));
        return QUORUM_IO_ERROR;
    }
    c.x.b = b;
    c.x.n = n;
    size_t trailer;
    quorum_status st = QUORUM_INVALID_INPUT;
    if (n < 8 || memcmp(b, "%PDF-", 5) != 0 || read_xref(&c.x, &trailer) < 0) {
        bad(&c, "not a PDF that quorum can read (no classic xref table)");
    } else {
        size_t root = resolve(&c.x, dict_get(&c.x, trailer, "Root"));
        size_t names = resolve(&c.x, dict_get(&c.x, root, "Names"));
        size_t tree = resolve(&c.x, dict_get(&c.x, names, "EmbeddedFiles"));
        if (tree != NOPE) walk_tree(&c, tree, 0);
        if (!c.failed && c.ne == 0)
            bad(&c, "the file has no attached source files (only archive "
                    "copies made with --archive=3b have them)");
    }
    if (!c.failed) {
        st = QUORUM_OK;
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            qdiag_add(d, QUORUM_ERROR, nopos, "cannot create directory %s: %s",
                      dir, strerror(errno));
            st = QUORUM_IO_ERROR;
        }
        /* every target first, so that a refused one leaves nothing
         * written */
        for (size_t k = 0; k < c.ne && st == QUORUM_OK; k++)
            if (target_ok(dir, &c.e[k], d) < 0) st = QUORUM_IO_ERROR;
        for (size_t k = 0; k < c.ne && st == QUORUM_OK; k++)
            if (write_out(dir, &c.e[k], b, d) < 0) st = QUORUM_IO_ERROR;
    }
    for (size_t k = 0; k < c.ne; k++) free(c.e[k].name);
    free(c.e);
    free(c.x.off);
    free(b);
    return st;
}
