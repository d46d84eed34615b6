/* The HTML device's output: the buffer, the one escaper, the page shell
 * with the house style's CSS, data: URIs, and writing a page only when
 * its bytes changed. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"

/* 1 when none of the 16 bytes at p is one qhtml_text escapes: sixteen
 * bytes compared at once (GCC's and clang's vector types; SSE2 on
 * x86-64), which took the escaper's byte loop from a fifth of the HTML's
 * instructions to a few per cent. */
typedef unsigned char qh_v16 __attribute__((vector_size(16)));
static inline int plain16(const char *p) {
    qh_v16 x;
    memcpy(&x, p, 16);
    qh_v16 hit = (qh_v16)(x == '&') | (qh_v16)(x == '<') | (qh_v16)(x == '>') |
                 (qh_v16)(x == '"') | (qh_v16)(x == '\'') | (qh_v16)(x == '\r');
    uint64_t h[2];
    memcpy(h, &hit, 16);
    return !(h[0] | h[1]);
}

void qhtml_text(qstr *b, const char *s, size_t n) {
    /* the bytes below stand for themselves; a run of them is one copy */
    static const unsigned char special[256] = {
        ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, ['\r'] = 1};
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        while (i + 16 <= n && plain16(s + i)) i += 16;
        while (i < n && !special[(unsigned char)s[i]]) i++;
        if (i == n) break;
        const char *e = NULL;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        case '\r': e = ""; break; /* XML gives none; a resolver's bytes might */
        default: continue;
        }
        qstr_put(b, s + run, i - run);
        qstr_puts(b, e);
        run = i + 1;
    }
    qstr_put(b, s + run, n - run);
}

void qhtml_str(qstr *b, const char *s) {
    if (s) qhtml_text(b, s, strlen(s));
}

void qhtml_data_uri(qstr *b, const unsigned char *p, size_t n) {
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *type = "application/octet-stream";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) type = "image/png";
    else if (n >= 3 && memcmp(p, "\xFF\xD8\xFF", 3) == 0) type = "image/jpeg";
    qstr_printf(b, "data:%s;base64,", type);
    b->s = qgrow(b->s, &b->cap, b->len + (n + 2) / 3 * 4 + 1, 1);
    char *o = b->s + b->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        *o++ = b64[v >> 18]; *o++ = b64[v >> 12 & 63];
        *o++ = b64[v >> 6 & 63]; *o++ = b64[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        *o++ = b64[v >> 18]; *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    b->len = (size_t)(o - b->s);
    b->s[b->len] = '\0';
}

/* "LiberationSans-Regular.ttf" -> "Liberation Sans": the family a
 * browser may have under that name, before the generic fallbacks. */
static void family(qstr *b, const char *file) {
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    qstr_puts(b, "\"");
    for (const char *p = base; *p && *p != '-' && *p != '.'; p++) {
        if (p > base && *p >= 'A' && *p <= 'Z' && p[-1] >= 'a' && p[-1] <= 'z')
            qstr_puts(b, " ");
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            qstr_put(b, p, 1);
    }
    qstr_puts(b, "\", ");
}

static void font_stack(qstr *b, const char *file) {
    if (file) family(b, file);
    int serif = file && strstr(file, "Serif") != NULL;
    qstr_puts(b, serif ? "Georgia, \"Times New Roman\", serif" : "Arial, Helvetica, sans-serif");
}

/* Colours as the PDF draws them; the rating cells carry their own.  The
 * layout is one column that narrows to a phone's width; print keeps the
 * colours of rating cells (print-color-adjust) and shows link targets. */
static void css(qstr *b, const qstyle *s) {
    qstr_puts(b, "<style>\n:root{--text:");
    qstr_printf(b, "#%06X;--link:#%06X;--head:#%06X;--rule:#%06X;--label:#%06X;--box:#%06X;--thead:#%06X}\n",
                 s->text_color & 0xFFFFFFu, s->link_color & 0xFFFFFFu,
                 s->heading_color & 0xFFFFFFu, s->rule_color & 0xFFFFFFu,
                 s->front_label_fill & 0xFFFFFFu, s->box_fill & 0xFFFFFFu,
                 s->table_head_fill & 0xFFFFFFu);
    qstr_puts(b, "body{margin:0;color:var(--text);background:#FFFFFF;font-family:");
    font_stack(b, s->font[QF_REGULAR]);
    qstr_puts(b, ";font-size:1rem;line-height:1.5}\n"
                 "h1,h2,h3,h4{color:var(--head);line-height:1.25;font-family:");
    font_stack(b, s->head_face ? s->font[QF_HEAD_REGULAR] : s->font[QF_REGULAR]);
    qstr_puts(b, "}\n"
        "h1{font-size:1.75rem}h2{font-size:1.4rem;margin-top:2rem}h3{font-size:1.15rem}h4{font-size:1rem}\n"
        "a{color:var(--link);text-decoration:underline}\n"
        "a:focus,a:focus-visible{outline:3px solid #0B0C0C;outline-offset:2px;background:#FFDD00;color:#0B0C0C}\n"
        ".skip{position:absolute;left:-9999px;top:0}\n"
        ".skip:focus{left:0.5rem;top:0.5rem;padding:0.5rem;z-index:1}\n"
        "header.site,nav.links,main,footer.site{max-width:48rem;margin:0 auto;padding:0 1rem}\n"
        "nav.links ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:0.5rem 1.5rem}\n"
        "header.site{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:1rem;padding-top:1rem}\n"
        "header.site img{max-height:4rem;width:auto}\n"
        ".num{font-weight:bold;margin-right:0.25em}\n"
        "p.kicker{font-weight:bold;margin-bottom:0}\n"
        "dl.meeting dt{font-weight:bold}dl.meeting dd{margin:0 0 0.5rem 0}\n"
        "table{border-collapse:collapse;margin:1rem 0;width:100%}\n"
        ".scroll{overflow-x:auto}\n"
        "caption{text-align:left;font-weight:bold;padding:0.25rem 0}\n"
        "th,td{border:1px solid var(--rule);padding:0.3rem 0.5rem;vertical-align:top;text-align:left}\n"
        "thead th,tr.head th{background:var(--thead)}tr.group td{font-weight:bold}\n"
        "table.front th{background:var(--label);width:35%}\n"
        "td.c{text-align:center}td.r{text-align:right}\n"
        ".signoff{background:var(--box);border:1px solid var(--rule);padding:0.5rem;margin:1rem 0}\n"
        ".signoff p{margin:0}\n"
        "ol.recs,ol.recs ol,ul.labelled{list-style:none;padding-left:0}\n"
        "ol.recs ol{padding-left:2rem}\n"
        "blockquote{margin:1rem 2rem;font-style:italic}\n"
        "figure{margin:1rem 0}figure svg{max-width:100%;height:auto}\n"
        "img{max-width:100%;height:auto}\n"
        "section.appendix{border-top:2px solid var(--head);margin-top:3rem}\n"
        "p.bar{font-weight:bold;color:var(--head)}\n"
        "abbr{text-decoration:none}\n"
        ".chip{padding:0 .3em;border-radius:.2em;white-space:nowrap}"
        ".trend,.option{white-space:nowrap}\n"
        ".vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;"
        "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
        "@media (max-width:40rem){body{font-size:1.0625rem}th,td{padding:0.25rem}}\n"
        "@media print{.skip,nav.links{display:none}"
        "header.site,main,footer.site{max-width:none;padding:0}"
        "td,th,figure,.chip{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        "section.appendix{break-before:page;border:0}"
        "h2,h3,h4{break-after:avoid}tr{break-inside:avoid}}\n"
        "</style>\n");
}

void qhtml_head(qstr *b, const qstyle *s, const qhtml_page *pg) {
    qstr_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    qhtml_str(b, pg->lang && *pg->lang ? pg->lang : "en-GB");
    qstr_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"quorum " QUORUM_VERSION_STRING "\">\n<title>");
    qhtml_str(b, pg->title);
    qstr_puts(b, "</title>\n");
    if (pg->sources) {
        qstr_puts(b, "<meta name=\"quorum-sources\" content=\"");
        qhtml_str(b, pg->sources);
        qstr_puts(b, "\">\n");
    }
    css(b, s);
    qstr_puts(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    qarena *a = qarena_new(1024);
    const qw_words *w = qw_for(a, s->strings, pg->lang);
    qhtml_str(b, w->text[QW_SKIP_LINK]);
    qstr_puts(b, "</a>\n<header class=\"site\">\n");
    if (s->council) {
        qstr_puts(b, "<p>");
        qhtml_str(b, s->council);
        qstr_puts(b, "</p>\n");
    }
    if (s->logo_img && s->logo) {
        unsigned char *bytes = NULL;
        size_t n = 0;
        /* the style checked the logo when it was read; a file gone since
         * leaves the page without it rather than failing the page */
        if (qfile_read(s->logo, 0, (size_t)64 << 20, &bytes, &n) == 0) {
            qstr_puts(b, "<img src=\"");
            qhtml_data_uri(b, bytes, n);
            qstr_puts(b, "\" alt=\"");
            qhtml_str(b, s->logo_alt ? s->logo_alt : "");
            qstr_printf(b, "\" width=\"%u\" height=\"%u\">\n", s->logo_img->w, s->logo_img->h);
        }
        free(bytes);
    }
    qstr_puts(b, "</header>\n");
    if (pg->up_href || pg->pdf_href) {
        qstr_puts(b, "<nav class=\"links\" aria-label=\"");
        qhtml_str(b, w->text[QW_RELATED]);
        qstr_puts(b, "\">\n<ul>\n");
        if (pg->up_href) {
            qstr_puts(b, "<li><a href=\"");
            qhtml_str(b, pg->up_href);
            qstr_puts(b, "\">");
            qhtml_str(b, pg->up_text ? pg->up_text : w->text[QW_SITE_UP]);
            qstr_puts(b, "</a></li>\n");
        }
        if (pg->pdf_href) {
            qstr_puts(b, "<li><a href=\"");
            qhtml_str(b, pg->pdf_href);
            qstr_puts(b, "\">");
            qhtml_str(b, w->text[QW_REPORT_PDF]);
            qstr_puts(b, "</a></li>\n");
        }
        qstr_puts(b, "</ul>\n</nav>\n");
    }
    qstr_puts(b, "<main id=\"main\">\n");
    qarena_free(a);
}

void qhtml_tail(qstr *b, const qstyle *s, const char *lang) {
    qarena *a = qarena_new(1024);
    qstr_puts(b, "</main>\n<footer class=\"site\"><p>");
    qhtml_str(b, qw_for(a, s->strings, lang)->text[QW_HTML_FOOTER]);
    qstr_puts(b, "</p></footer>\n</body>\n</html>\n");
    qarena_free(a);
}

int qhtml_same(const void *bytes, size_t n, const char *path) {
    /* A file of another size differs without a byte read; one of this
     * size is compared a piece at a time through one buffer, rather than
     * read whole into memory touched for nothing else (a page is 150 KB,
     * a site's index more; a fresh page of memory costs a fault). */
    size_t size = 0;
    int fd = qfile_open(path, QFILE_NOFOLLOW, n, &size);
    if (fd < 0) return 0;
    int same = size == n;
    unsigned char buf[16384];
    for (size_t at = 0; same && at < n; at += sizeof buf) {
        size_t k = n - at < sizeof buf ? n - at : sizeof buf;
        same = qfile_pread(fd, buf, k, at) == 0 &&
               memcmp(buf, (const unsigned char *)bytes + at, k) == 0;
    }
    /* and it did not grow since fstat */
    if (same) same = qfile_pread(fd, buf, 1, n) == QFILE_ESHORT;
    close(fd);
    return same;
}

quorum_status qhtml_commit(const void *bytes, size_t n, const char *path,
                           const char *what, const char *const *inputs,
                           size_t ninputs, int *written, quorum_diags *d) {
    *written = 0;
    if (qatomic_check_target(path, what, inputs, ninputs, d)) return QUORUM_USAGE;
    if (qhtml_same(bytes, n, path)) return QUORUM_OK;
    int err = qatomic_write_file(path, n ? bytes : "", n, QATOMIC_ORDINARY);
    if (err) return qatomic_open_error(path, err, d);
    *written = 1;
    return QUORUM_OK;
}
