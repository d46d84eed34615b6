/* Writing diagnostics (quorum_diags_write): text with the source line and
 * a caret under the column, optionally coloured; JSON; SARIF 2.1.0.  The
 * formats' fields and versions are in docs/diagnostics.md. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *sev_name(quorum_severity s) {
    switch (s) {
    case QUORUM_ERROR: return "error";
    case QUORUM_WARNING: return "warning";
    default: return "note";
    }
}

/* The JSON name of a class: what a script branches on instead of the
 * exit status (docs/diagnostics.md). */
static const char *class_name(quorum_class c) {
    switch (c) {
    case QUORUM_CLASS_IO: return "io";
    case QUORUM_CLASS_LIMIT: return "limit";
    case QUORUM_CLASS_USAGE: return "usage";
    default: return "input";
    }
}

/* Characters a terminal or an editor acts on rather than shows: C0 and
 * DEL (escape sequences, carriage return, a newline forging a line of
 * its own), C1 (0x9B is a one-byte CSI), the line and paragraph
 * separators, and the bidirectional overrides that reorder what is
 * shown.  A file name or a quoted value is the input's author's choice. */
static int unsafe_cp(uint32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
           (c >= 0x200E && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* One character of s (n bytes left) as a terminal may show it: an unsafe
 * one as \uXXXX (\xNN below 0x80), a byte that is not valid UTF-8 as
 * \xNN.  Writes at most 10 bytes to out; returns the bytes of s used
 * (at least 1) and sets *olen. */
static size_t shown_char(const char *s, size_t n, char out[10], size_t *olen) {
    uint32_t cp;
    int k = qutf8_decode(s, n, &cp);
    if (k == 0) {
        *olen = (size_t)snprintf(out, 10, "\\x%02X", (unsigned char)s[0]);
        return 1;
    }
    if (!unsafe_cp(cp)) {
        memcpy(out, s, (size_t)k);
        *olen = (size_t)k;
    } else if (cp < 0x80) {
        *olen = (size_t)snprintf(out, 10, "\\x%02X", (unsigned)cp);
    } else {
        *olen = (size_t)snprintf(out, 10, "\\u%04X", (unsigned)cp);
    }
    return (size_t)k;
}

static void put_text(FILE *f, const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        char out[10];
        size_t olen;
        i += shown_char(s + i, n - i, out, &olen);
        fwrite(out, 1, olen, f);
    }
}

/* ---- text ------------------------------------------------------------- */

#define TAB_STOP 8
/* A line longer than this (minified XML) is shown as a window of about
 * this many columns around the caret, with "..." where it is cut. */
#define WINDOW_BEFORE 40
#define WINDOW_WIDTH 100

/* ANSI SGR sequences, as gcc colours its diagnostics. */
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"
static const char *sev_color(quorum_severity s) {
    return s == QUORUM_ERROR ? "\033[1;31m"
           : s == QUORUM_WARNING ? "\033[1;35m" : "\033[1;36m";
}
#define C_CARET "\033[1;32m"

/* Where the last window began, so that many diagnostics on one long line
 * (in reading order, as sorted) walk it once, not once each. */
typedef struct line_cache {
    unsigned file, line;
    size_t ch, off; /* character index and byte offset in the line */
} line_cache;

/* The byte offset of character ch of the line (its end when shorter). */
static size_t char_offset(const char *t, size_t n, size_t ch, line_cache *c,
                          unsigned file, unsigned line) {
    size_t i = 0, k = 0;
    if (c->file == file && c->line == line && c->ch <= ch) {
        i = c->ch;
        k = c->off;
    }
    for (; i < ch && k < n; i++) {
        k++;
        while (k < n && ((unsigned char)t[k] & 0xC0) == 0x80) k++;
    }
    *c = (line_cache){file, line, i, k};
    return k;
}

static void put_source(FILE *f, const quorum_diags *d, unsigned file,
                       const quorum_diag *q, int color, line_cache *c) {
    const char *t;
    size_t n;
    if (qdiag_source_line(d, file, q->line, &t, &n) != 0) return;
    size_t ch = q->col - 1;
    size_t first = ch > WINDOW_BEFORE + 20 ? ch - WINDOW_BEFORE : 0;
    size_t k = char_offset(t, n, first, c, file, q->line);
    fprintf(f, "%5u | ", q->line);
    size_t width = 0, caret = (size_t)-1;
    if (first) {
        fputs("...", f);
        width = 3;
    }
    size_t i = first;
    for (; k < n && width < WINDOW_WIDTH; i++) {
        if (i == ch) caret = width;
        if (t[k] == '\t') {
            /* a tab is one character for the column; shown as spaces to
             * the next stop so that the caret stays under it */
            size_t w = TAB_STOP - width % TAB_STOP;
            fprintf(f, "%*s", (int)w, "");
            width += w;
            k++;
            continue;
        }
        char out[10];
        size_t olen;
        k += shown_char(t + k, n - k, out, &olen);
        fwrite(out, 1, olen, f);
        /* one column a character; an escape as wide as it is written */
        width += out[0] == '\\' && olen > 1 ? olen : 1;
    }
    if (k < n) fputs("...", f);
    if (caret == (size_t)-1) caret = width; /* the line's end */
    fputs("\n      | ", f);
    fprintf(f, "%*s%s^%s\n", (int)caret, "", color ? C_CARET : "",
            color ? C_RESET : "");
}

/* ---- where the words are made ------------------------------------------ */

/* stderr is unbuffered: each fputs, fputc and character of put_text
 * would be a write(2) of its own, ~14,000 of a few bytes for a rebuild
 * that says its 50 cached warnings again (~20 ms).  The words are made
 * in memory and handed to the caller's stream in pieces of at least
 * SPILL bytes, one fwrite each, cut only between diagnostics so that
 * the memory stays small however many there are. */
#define SPILL 65536

typedef struct sink {
    FILE *f;  /* where the words are made: mem, or to when mem failed */
    FILE *to; /* the caller's stream */
    char *buf;
    size_t len;
} sink;

static void sink_open(sink *s) {
    s->buf = NULL;
    s->len = 0;
    s->f = open_memstream(&s->buf, &s->len);
    if (!s->f) s->f = s->to; /* unbuffered, but every byte still said */
}

/* Hands what was made to the caller's stream when it is `least` bytes
 * or more (0: whatever there is, at the end). */
static void sink_spill(sink *s, long least) {
    if (s->f == s->to || (least && ftell(s->f) < least)) return;
    /* memory ran out: as the arena does, not a diagnostic cut short */
    if (fclose(s->f) != 0) qfatal_oom();
    fwrite(s->buf, 1, s->len, s->to);
    free(s->buf);
    if (least)
        sink_open(s);
    else
        s->f = s->to;
}

static void write_text(const quorum_diags *d, sink *s, int color, int source) {
    line_cache c = {0, 0, 0, 0};
    for (size_t i = 0; i < quorum_diags_count(d); i++) {
        sink_spill(s, SPILL);
        FILE *f = s->f;
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        if (color) fputs(C_BOLD, f);
        if (q.file) {
            put_text(f, q.file);
            if (q.line) fprintf(f, ":%u", q.line);
            if (q.line && q.col) fprintf(f, ":%u", q.col);
            fputs(": ", f);
        } else {
            fputs("quorum: ", f);
        }
        if (color) fprintf(f, C_RESET "%s", sev_color(q.severity));
        fprintf(f, "%s:", sev_name(q.severity));
        if (color) fputs(C_RESET, f);
        fputc(' ', f);
        put_text(f, q.message);
        fputc('\n', f);
        if (source && q.file && q.line && q.col)
            put_source(f, d, qdiag_file_index(d, i), &q, color, &c);
    }
}

/* ---- JSON ------------------------------------------------------------- */

static void write_json(const quorum_diags *d, sink *s) {
    size_t n = quorum_diags_count(d);
    fputs("[", s->f);
    for (size_t i = 0; i < n; i++) {
        sink_spill(s, SPILL);
        FILE *f = s->f;
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        fputs(i ? ",\n {" : "\n {", f);
        fputs("\"file\": ", f);
        qjson_put_str(f, q.file);
        fprintf(f, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", "
                   "\"class\": \"%s\", \"message\": ", q.line, q.col,
                sev_name(q.severity), class_name(q.cls));
        qjson_put_str(f, q.message);
        fputs("}", f);
    }
    fputs(n ? "\n]\n" : "]\n", s->f);
}

/* ---- SARIF 2.1.0 ------------------------------------------------------ */

/* A path as a URI reference: relative stays relative, absolute becomes
 * file:///...; every byte but the unreserved ones and '/' percent-encoded
 * (RFC 3986), so a space, a ':' or a non-ASCII name stays one valid URI. */
static void put_uri(FILE *f, const char *path) {
    fputc('"', f);
    if (path[0] == '/') fputs("file://", f);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
    fputc('"', f);
}

static void write_sarif(const quorum_diags *d, sink *s) {
    FILE *f = s->f;
    fputs("{\n \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/"
          "errata01/os/schemas/sarif-schema-2.1.0.json\",\n"
          " \"version\": \"2.1.0\",\n"
          " \"runs\": [{\n"
          "  \"tool\": {\"driver\": {\"name\": \"quorum\", \"version\": \""
          QUORUM_VERSION_STRING "\"}},\n"
          "  \"columnKind\": \"unicodeCodePoints\",\n"
          "  \"results\": [", f);
    size_t n = quorum_diags_count(d);
    for (size_t i = 0; i < n; i++) {
        sink_spill(s, SPILL);
        f = s->f;
        quorum_diag q;
        quorum_diags_get(d, i, &q);
        fprintf(f, "%s\n   {\"level\": \"%s\", \"message\": {\"text\": ",
                i ? "," : "", sev_name(q.severity));
        qjson_put_str(f, q.message);
        fputc('}', f);
        if (q.file) {
            fputs(", \"locations\": [{\"physicalLocation\": "
                  "{\"artifactLocation\": {\"uri\": ", f);
            put_uri(f, q.file);
            fputc('}', f);
            if (q.line) {
                fprintf(f, ", \"region\": {\"startLine\": %u", q.line);
                if (q.col) fprintf(f, ", \"startColumn\": %u", q.col);
                fputc('}', f);
            }
            fputs("}}]", f);
        }
        fprintf(f, ", \"properties\": {\"class\": \"%s\"}}",
                class_name(q.cls));
    }
    fputs(n ? "\n  ]\n }]\n}\n" : "]\n }]\n}\n", f);
}

void quorum_diags_write(const quorum_diags *d, FILE *f,
                        const quorum_diags_write_options *o) {
    quorum_diags_write_options def = {QUORUM_DIAGS_TEXT, 0, 0};
    if (!o) o = &def;
    sink s = {NULL, f, NULL, 0};
    sink_open(&s);
    switch (o->format) {
    case QUORUM_DIAGS_JSON: write_json(d, &s); break;
    case QUORUM_DIAGS_SARIF: write_sarif(d, &s); break;
    default: write_text(d, &s, o->color, o->source); break;
    }
    sink_spill(&s, 0);
}

void quorum_diags_print(const quorum_diags *d, FILE *f, int json) {
    quorum_diags_write_options o = {json ? QUORUM_DIAGS_JSON : QUORUM_DIAGS_TEXT,
                                    0, 0};
    quorum_diags_write(d, f, &o);
}
