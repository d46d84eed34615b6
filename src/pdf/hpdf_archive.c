/* Archive copies for the libharu adapter (WORKAROUNDS 9 and 10): the XMP
 * stream, the sRGB output intent, attachments with their file
 * specifications and name tree, and the document ID. */
#include "hpdf_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void qhpdf_metadata(qhpdf *h, const char *xmp, size_t len) {
    if (h->err) return;
    /* PDF/A-1 wants the metadata stream unfiltered (readable in place). */
    HPDF_Dict md = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
    if (!md) return;
    HPDF_Dict_AddName(md, "Type", "Metadata");
    HPDF_Dict_AddName(md, "Subtype", "XML");
    HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)len);
    HPDF_Dict_Add(h->pdf->catalog, "Metadata", md);
}

/* ---- archive copies (WORKAROUND 9, 10) ---------------------------------- */

/* 16 bytes unlikely to occur in a PDF, written as hex in the trailer. */
static const unsigned char id_placeholder[16] = {
    'q', 'u', 'o', 'r', 'u', 'm', '-', 'i', 'd', '-', 'p', 'e', 'n', 'd',
    '!', '!'};

void qhpdf_set_archive(qhpdf *h, int part) {
    /* PDF/A-1 is saved by libharu, which needs an entry of its own for
     * each element (hpdf_struct.c, shared_number) */
    if (part == 1 && h->se_shared) {
        qh_fail(h, HPDF_INVALID_OPERATION);
        return;
    }
    h->archive = part;
    /* PDF/A-2 and -3 are built on ISO 32000-1 (PDF 1.7: /AF, soft masks,
     * object streams); PDF/A-1 is PDF 1.4 */
    h->pdf->pdf_version = part >= 2 ? HPDF_VER_17 : HPDF_VER_14;
}

void qhpdf_archive_dates(qhpdf *h, int year, int month, int day) {
    if (h->err) return;
    HPDF_Date d = {year, month, day, 0, 0, 0, '+', 0, 0};
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_MOD_DATE, d);
}

void qhpdf_attach(qhpdf *h, const char *name, const void *data, size_t len,
                  const char *mime, const char *desc, const char *pdf_date) {
    if (h->err) return;
    if (len > 0x7FFFFFFFu) {
        qh_fail(h, HPDF_INVALID_PARAMETER);
        return;
    }
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Dict ef = HPDF_DictStream_New(mm, h->pdf->xref);
    if (!ef) return;
    HPDF_Dict_AddName(ef, "Type", "EmbeddedFile");
    HPDF_Dict_AddName(ef, "Subtype", mime); /* written /text#2Fxml */
    HPDF_Dict params = HPDF_Dict_New(mm);
    if (!params) return;
    HPDF_Dict_Add(ef, "Params", params);
    HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len);
    unsigned char sum[16];
    qmd5(data, len, sum);
    HPDF_Dict_Add(params, "CheckSum", HPDF_Binary_New(mm, sum, 16));
    if (pdf_date)
        HPDF_Dict_Add(params, "ModDate", HPDF_String_New(mm, pdf_date, NULL));
    /* deflated: a pack's sources are megabytes of XML (/Size and
     * /CheckSum are of the file itself) */
    if (len) qh_set_flate_later(h, ef, data, len);
    if (h->err) return;

    HPDF_Dict spec = HPDF_Dict_New(mm);
    if (!spec || HPDF_Xref_Add(h->pdf->xref, spec) != HPDF_OK) return;
    HPDF_Dict_AddName(spec, "Type", "Filespec");
    HPDF_Dict_Add(spec, "F", HPDF_String_New(mm, name, NULL));
    HPDF_Dict_Add(spec, "UF", HPDF_String_New(mm, name, h->utf8));
    if (desc) HPDF_Dict_Add(spec, "Desc", HPDF_String_New(mm, desc, h->utf8));
    HPDF_Dict_AddName(spec, "AFRelationship", "Source");
    HPDF_Dict efd = HPDF_Dict_New(mm);
    if (!efd) return;
    HPDF_Dict_Add(spec, "EF", efd);
    HPDF_Dict_Add(efd, "F", ef);
    HPDF_Dict_Add(efd, "UF", ef);
    if (h->err) return;
    if (h->nfiles == h->cap_files) {
        h->cap_files = h->cap_files ? h->cap_files * 2 : 8;
        h->files = qh_xrealloc(h->files, (size_t)h->cap_files * sizeof *h->files);
    }
    h->files[h->nfiles].name = qh_xstrdup(name);
    h->files[h->nfiles].spec = spec;
    h->nfiles++;
}

static int cmp_files(const void *a, const void *b) {
    return strcmp(((const qhpdf_file *)a)->name, ((const qhpdf_file *)b)->name);
}

void qhpdf_archive_finish(qhpdf *h) {
    if (h->err) return;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Xref xref = h->pdf->xref;
    HPDF_Dict cat = h->pdf->catalog;

    for (int i = 0; i < h->nfonts && !h->err; i++)
        qh_build_font(h, i);  /* with a CIDSet for PDF/A-1 */
    if (h->err) return;


    HPDF_Dict icc = HPDF_DictStream_New(mm, xref);
    if (!icc) return;
    icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddNumber(icc, "N", 3);
    HPDF_Stream_Write(icc->stream, qsrgb_icc, (HPDF_UINT)qsrgb_icc_len);
    HPDF_Dict intent = HPDF_Dict_New(mm);
    HPDF_Array intents = HPDF_Array_New(mm);
    if (!intent || !intents) return;
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName",
                  HPDF_String_New(mm, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", icc);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(cat, "OutputIntents", intents);

    if (h->nfiles > 0) {
        HPDF_Array af = HPDF_Array_New(mm);
        if (!af) return;
        for (int i = 0; i < h->nfiles; i++) HPDF_Array_Add(af, h->files[i].spec);
        HPDF_Dict_Add(cat, "AF", af);
        /* A name tree's keys must be sorted; /AF keeps the given order. */
        qhpdf_file *sorted = qh_xrealloc(NULL, (size_t)h->nfiles * sizeof *sorted);
        memcpy(sorted, h->files, (size_t)h->nfiles * sizeof *sorted);
        qsort(sorted, (size_t)h->nfiles, sizeof *sorted, cmp_files);
        HPDF_Dict names = HPDF_Dict_New(mm);
        HPDF_Dict tree = HPDF_Dict_New(mm);
        HPDF_Array kv = HPDF_Array_New(mm);
        if (names && tree && kv) {
            for (int i = 0; i < h->nfiles; i++) {
                HPDF_Array_Add(kv, HPDF_String_New(mm, sorted[i].name, NULL));
                HPDF_Array_Add(kv, sorted[i].spec);
            }
            HPDF_Dict_Add(tree, "Names", kv);
            HPDF_Dict_Add(names, "EmbeddedFiles", tree);
            HPDF_Dict_Add(cat, "Names", names);
        }
        free(sorted);
        if (h->err) return;
    }

    HPDF_Array id = HPDF_Array_New(mm);
    if (!id) return;
    HPDF_Array_Add(id, HPDF_Binary_New(mm, (HPDF_BYTE *)id_placeholder, 16));
    HPDF_Array_Add(id, HPDF_Binary_New(mm, (HPDF_BYTE *)id_placeholder, 16));
    HPDF_Dict_Add(h->pdf->trailer, "ID", id);
}

static const char hexdigits[] = "0123456789ABCDEF";

int qhpdf_fill_id(unsigned char *buf, size_t n) {
    char hex[34];
    hex[0] = '<';
    for (int i = 0; i < 16; i++) {
        hex[1 + 2 * i] = hexdigits[id_placeholder[i] >> 4];
        hex[2 + 2 * i] = hexdigits[id_placeholder[i] & 15];
    }
    hex[33] = '>';
    /* The trailer comes last: the two last occurrences are the /ID (an
     * attachment could hold the same text further up). */
    unsigned char *at[2] = {NULL, NULL};
    int found = 0;
    for (size_t i = n >= 34 ? n - 34 + 1 : 0; i-- > 0 && found < 2;)
        if (buf[i] == '<' && memcmp(buf + i, hex, 34) == 0) at[found++] = buf + i;
    if (found < 2) return -1;
    unsigned char sum[16];
    qmd5(buf, n, sum);
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 16; i++) {
            at[k][1 + 2 * i] = (unsigned char)hexdigits[sum[i] >> 4];
            at[k][2 + 2 * i] = (unsigned char)hexdigits[sum[i] & 15];
        }
    return 0;
}
