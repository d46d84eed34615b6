/* The document's metadata: the information dictionary and, for archive
 * copies and tagged files, XMP written from the same cleaned strings (so
 * the two agree, as PDF/A requires), with dates only from the display
 * list's creation date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "dlist.h"
#include "pdf.h"
#include "quorum.h"

static const qpos nopos = {0, 0, 0};

/* A growing byte buffer (metadata only: not a hot path). */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) qfatal_oom();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* XML character data and attribute values alike. */
static void sb_xml(sbuf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_str(b, "&amp;"); break;
        case '<': sb_str(b, "&lt;"); break;
        case '>': sb_str(b, "&gt;"); break;
        case '"': sb_str(b, "&quot;"); break;
        case '\'': sb_str(b, "&apos;"); break;
        default: sb_put(b, s, 1); break;
        }
    }
}

/* A metadata string as both the information dictionary and XMP can carry
 * it: valid UTF-8 up to U+FFFF (libharu's limit), no control characters
 * (XML 1.0 forbids them).  NULL or empty in, NULL out. */
char *qpdf_meta_clean(struct pdfw *w, const char *s) { return qpdf_meta_clean_d(&w->dr, s); }

char *qpdf_meta_clean_d(pdfd *dr, const char *s) {
    if (!s || !s[0]) return NULL;
    const char *c = qpdf_clean_text(dr, s, strlen(s), NULL);
    char *r = strdup(c);
    if (!r) qfatal_oom();
    for (char *q = r; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7F) *q = ' ';
    return r;
}

static void xmp_simple(sbuf *b, const char *tag, const char *v) {
    if (!v) return;
    sb_str(b, "   <");
    sb_str(b, tag);
    sb_str(b, ">");
    sb_xml(b, v);
    sb_str(b, "</");
    sb_str(b, tag);
    sb_str(b, ">\n");
}

/* dc:title and dc:description are language alternatives, dc:creator an
 * ordered list; PDF/A compares their first item with the info entry. */
static void xmp_list(sbuf *b, const char *tag, const char *kind,
                     const char *v) {
    if (!v) return;
    sb_str(b, "   <");
    sb_str(b, tag);
    sb_str(b, "><rdf:");
    sb_str(b, kind);
    sb_str(b, strcmp(kind, "Alt") == 0 ? "><rdf:li xml:lang=\"x-default\">"
                                       : "><rdf:li>");
    sb_xml(b, v);
    sb_str(b, "</rdf:li></rdf:");
    sb_str(b, kind);
    sb_str(b, "></");
    sb_str(b, tag);
    sb_str(b, ">\n");
}

enum { META_TITLE, META_AUTHOR, META_SUBJECT, META_KEYWORDS, META_CREATOR,
       META_PRODUCER, META_LANG, META__COUNT };

/* The PDF/A conformance level an archive copy declares: 'A' (accessible)
 * only where it holds: PDF/A-2 or -3 (PDF/A-1b is kept for PDFBox
 * Preflight, which judges level B) with the structure tree, whose tagging,
 * language and Unicode mapping tests/e2e/pdfa.sh and pdf_ua.sh check;
 * else 'B'.  The catalog's /Lang is always written (en-GB by default) and
 * every font has a ToUnicode map, the other two things level A asks. */
char qpdf_archive_level(const pdfw *w) {
    return w->archive >= 2 && w->tagged ? 'A' : 'B';
}

static void build_xmp(sbuf *b, char *const *m, const char *date, int part,
                      char level, int ua) {
    sb_str(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    sb_str(b, "  <rdf:Description rdf:about=\"\" "
              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    xmp_simple(b, "dc:format", "application/pdf");
    xmp_list(b, "dc:title", "Alt", m[META_TITLE]);
    xmp_list(b, "dc:creator", "Seq", m[META_AUTHOR]);
    xmp_list(b, "dc:description", "Alt", m[META_SUBJECT]);
    xmp_list(b, "dc:language", "Bag", m[META_LANG]);
    char stamp[40] = "";
    if (date) {
        /* The meeting date (or SOURCE_DATE_EPOCH's day) is the document's
         * date: dc:date; creation and modification are that midnight UTC,
         * as in the information dictionary. */
        xmp_list(b, "dc:date", "Seq", date);
        snprintf(stamp, sizeof stamp, "%sT00:00:00+00:00", date);
    }
    sb_str(b, "  </rdf:Description>\n");
    sb_str(b, "  <rdf:Description rdf:about=\"\" "
              "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    xmp_simple(b, "xmp:CreatorTool", m[META_CREATOR]);
    if (date) {
        xmp_simple(b, "xmp:CreateDate", stamp);
        xmp_simple(b, "xmp:ModifyDate", stamp);
        xmp_simple(b, "xmp:MetadataDate", stamp);
    }
    sb_str(b, "  </rdf:Description>\n");
    sb_str(b, "  <rdf:Description rdf:about=\"\" "
              "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    xmp_simple(b, "pdf:Producer", m[META_PRODUCER]);
    xmp_simple(b, "pdf:Keywords", m[META_KEYWORDS]);
    sb_str(b, "  </rdf:Description>\n");
    if (part) {
        sb_str(b, "  <rdf:Description rdf:about=\"\" "
                  "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n");
        char num[2] = {(char)('0' + part), 0}, lv[2] = {level, 0};
        xmp_simple(b, "pdfaid:part", num);
        xmp_simple(b, "pdfaid:conformance", lv);
        sb_str(b, "  </rdf:Description>\n");
    }
    if (ua) {
        sb_str(b, "  <rdf:Description rdf:about=\"\" "
                  "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n");
        xmp_simple(b, "pdfuaid:part", "1");
        sb_str(b, "  </rdf:Description>\n");
    }
    if (ua && part) {
        /* PDF/A knows pdfuaid only when the file describes it. */
        sb_str(b,
"  <rdf:Description rdf:about=\"\" "
"xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
"xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
"xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
"   <pdfaExtension:schemas>\n"
"    <rdf:Bag>\n"
"     <rdf:li rdf:parseType=\"Resource\">\n"
"      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
"      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
"      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
"      <pdfaSchema:property>\n"
"       <rdf:Seq>\n"
"        <rdf:li rdf:parseType=\"Resource\">\n"
"         <pdfaProperty:name>part</pdfaProperty:name>\n"
"         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
"         <pdfaProperty:category>internal</pdfaProperty:category>\n"
"         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\n"
"        </rdf:li>\n"
"       </rdf:Seq>\n"
"      </pdfaSchema:property>\n"
"     </rdf:li>\n"
"    </rdf:Bag>\n"
"   </pdfaExtension:schemas>\n"
"  </rdf:Description>\n");
    }
    sb_str(b, " </rdf:RDF>\n"
              "</x:xmpmeta>\n"
              "<?xpacket end=\"w\"?>");
}

void qpdf_add_metadata(pdfw *w) {
    const qdlist *dl = w->dl;
    char *m[META__COUNT];
    m[META_TITLE] = qpdf_meta_clean(w, dl->title);
    m[META_AUTHOR] = qpdf_meta_clean(w, dl->author);
    m[META_SUBJECT] = qpdf_meta_clean(w, dl->subject);
    m[META_KEYWORDS] = qpdf_meta_clean(w, dl->keywords);
    m[META_CREATOR] = qpdf_meta_clean(w, "quorum");
    m[META_PRODUCER] = qpdf_meta_clean(w, "quorum " QUORUM_VERSION_STRING
                                     " (libharu 2.3.0)");
    m[META_LANG] = qpdf_meta_clean(w, dl->lang && dl->lang[0] ? dl->lang : "en-GB");
    qhpdf_info(w->h, m[META_TITLE], m[META_AUTHOR], m[META_SUBJECT],
               m[META_KEYWORDS], m[META_CREATOR], m[META_PRODUCER]);
    const char *date = NULL;
    if (dl->creation_date) {
        int y, mo, day;
        if (qdate_parse_ymd(dl->creation_date, &y, &mo, &day) == 0) {
            date = dl->creation_date;
            if (w->archive) qhpdf_archive_dates(w->h, y, mo, day);
            else qhpdf_creation_date(w->h, y, mo, day);
        } else {
            qdiag_add(w->d, QUORUM_WARNING, nopos,
                      "%s: creation date \"%s\" is not a valid YYYY-MM-DD "
                      "date; left out", w->path, dl->creation_date);
        }
    }
    qhpdf_catalog(w->h, m[META_LANG], dl->outlines.len > 0);
    qpdf_figure_boxes(w);
    qhpdf_struct_finish(w->h);
    /* PDF/UA asks for XMP as PDF/A does: plain tagged files get it too. */
    if (w->archive || w->tagged) {
        sbuf x = {0};
        build_xmp(&x, m, date, w->archive, qpdf_archive_level(w), w->tagged);
        qhpdf_metadata(w->h, x.p, x.len);
        free(x.p);
    }
    if (w->archive) qhpdf_archive_finish(w->h);
    for (int i = 0; i < META__COUNT; i++) free(m[i]);
}


/* ---- PDF/A's limit on strings ------------------------------------------
 * A plain PDF carries a bookmark, link or document property of any length
 * (the adapter's WORKAROUND 15); PDF/A does not: PDF/A-1 keeps PDF 1.4's
 * 65,535 bytes a string, PDF/A-2 and -3 the 32,767 of ISO 32000-1. */

/* Bytes of s written as a text string at most: UTF-16 with a byte-order
 * mark (two bytes a character, four above U+FFFF). */
static size_t utf16_bytes(const char *s) {
    size_t n = 2;
    for (size_t i = 0, len = strlen(s); i < len;) {
        uint32_t cp;
        int k = qutf8_decode(s + i, len - i, &cp);
        i += k ? (size_t)k : 1;
        n += cp > 0xFFFF ? 4 : 2;
    }
    return n;
}

static int ascii_text(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F) return 0;
    return 1;
}

static int pdfa_fits(pdfw *w, const char *what, const char *s, int text) {
    char level = (char)(qpdf_archive_level(w) - 'A' + 'a');
    if (!s || !s[0]) return 1;
    size_t max = w->archive == 1 ? 65535 : 32767;
    size_t n = text ? utf16_bytes(s) : strlen(s);
    if (n <= max) return 1;
    size_t k = 0;
    while (s[k] && k < 40) k++;
    while (k > 0 && s[k] && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    qdiag_add_class(w->d, QUORUM_CLASS_LIMIT, QUORUM_ERROR, nopos,
                    "cannot write %s as PDF/A-%d%c: %s \"%.*s...\" is %zu bytes as a "
                    "PDF string, and PDF/A-%d%c allows at most %zu; shorten it",
                    w->path, w->archive, level, what, (int)k, s, n, w->archive, level, max);
    return 0;
}

int qpdf_archive_strings_ok(pdfw *w) {
    const qdlist *dl = w->dl;
    int ok = pdfa_fits(w, "the title", dl->title, 1) &
             pdfa_fits(w, "the author", dl->author, 1) &
             pdfa_fits(w, "the subject", dl->subject, 1) &
             pdfa_fits(w, "the keywords", dl->keywords, 1) &
             pdfa_fits(w, "the language", dl->lang, 0);
    for (size_t i = 0; i < dl->outlines.len; i++)
        ok &= pdfa_fits(w, "the bookmark", QVEC_AT(&dl->outlines, qdl_outline, i).title, 1);
    for (size_t i = 0; i < dl->elems.len; i++) {
        const qdl_elem *el = &QVEC_AT(&dl->elems, qdl_elem, i);
        ok &= pdfa_fits(w, "the alternative text", el->alt, 1) &
              pdfa_fits(w, "the language", el->lang, 1);
    }
    for (size_t p = 0; p < dl->pages.len; p++) {
        const qdl_page *pg = &QVEC_AT(&dl->pages, qdl_page, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const qdl_item *it = &QVEC_AT(&pg->items, qdl_item, i);
            /* a URI is bytes; as the link's text, UTF-16 when not ASCII */
            if (it->kind == QDL_LINK && it->dest < 0 && it->text)
                ok &= pdfa_fits(w, "the link", it->text, !ascii_text(it->text));
        }
    }
    return ok;
}
