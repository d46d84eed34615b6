/* Saving with object streams and a cross-reference stream (WORKAROUND 17).
 * libharu 2.3.0 writes every object at the top level and a classic
 * cross-reference table: a tagged report is mostly small dictionaries
 * (structure elements, stream lengths, pages), each with its own
 * "N 0 obj" and a 20-byte table row, none of it compressed.  For plain
 * output (PDF 1.5 and up; archive copies: see qh_can_compact) the
 * objects libharu holds are written here
 * instead, from its cross-reference list: streams at the top level as
 * libharu prints them, then every other object in deflated /ObjStm
 * streams, then an /XRef stream carrying the trailer's entries.  Streams
 * go first so that the indirect /Length objects libharu fills in while
 * printing a stream hold their final values when they are printed. */
#include "hpdf_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects per object stream: more compresses better, fewer lets a
 * reader find one object with less inflating; qpdf uses 100. */
enum { OBJSTM_N = 200 };

/* A row of the table, 8 bytes (qh_row: type 0 free, 1 at an offset in
 * f2, 2 in object stream f2 at index f3): its row of the stream is
 * written over it. */
typedef qh_row xent;
_Static_assert(sizeof(xent) == 8, "a row (1 + 7 bytes) takes the place of its entry");

/* Where HPDF_Obj_WriteValue prints an object inside an object stream. */
static HPDF_STATUS HPDF_STDCALL to_wbuf(HPDF_Stream s, const HPDF_BYTE *p,
                                        HPDF_UINT n) {
    qh_wb_put(s->attr, (const char *)p, n);
    return HPDF_OK;
}

static int put(HPDF_Stream out, const void *p, size_t n) {
    return HPDF_Stream_Write(out, p, (HPDF_UINT)n) == HPDF_OK ? 0 : -1;
}

static int put_str(HPDF_Stream out, const char *s) { return put(out, s, strlen(s)); }

/* "N 0 obj\n<<dict>>\nstream\r\n" data "\nendstream\nendobj\n" */
static int put_stream_obj(HPDF_Stream out, unsigned num, const char *dict,
                          const unsigned char *data, size_t n) {
    char head[48];
    snprintf(head, sizeof head, "%u 0 obj\n", num);
    char len[48];
    snprintf(len, sizeof len, " /Length %zu >>\nstream\r\n", n);
    if (put_str(out, head) || put_str(out, dict) || put_str(out, len) ||
        put(out, data, n) || put_str(out, "\nendstream\nendobj\n"))
        return -1;
    return 0;
}

/* Object streams being deflated while the next ones are printed: the
 * worker deflates one, the caller the next while it waits (issue 18: the
 * save's deflate was a quarter of a pack's PDF time, on one thread). */
enum { OBJSTM_AHEAD = 3 };

typedef struct objstm {           /* printed, waiting for its bytes */
    qh_zjob *job;
    unsigned num;
    int n;
    size_t first;
} objstm;

typedef struct saver {
    qhpdf *h;
    HPDF_Stream out;
    xent *x;                /* by object number */
    unsigned nobj;          /* numbers in use so far */
    wbuf body;              /* the current object stream's objects */
    wbuf index;             /* its "number offset" pairs */
    HPDF_Stream bodys;      /* prints into body */
    unsigned ids[OBJSTM_N];
    int n;                  /* objects in the current stream */
    unsigned char *z;
    size_t zcap;
    objstm ahead[OBJSTM_AHEAD];  /* oldest first */
    int nahead;
} saver;

/* The oldest object stream printed, written out once deflated; 0 or -1. */
static int put_objstm(saver *s) {
    objstm o = s->ahead[0];
    memmove(s->ahead, s->ahead + 1, (size_t)--s->nahead * sizeof *s->ahead);
    unsigned char *z = NULL;
    size_t zn = qh_deflate_wait(s->h, o.job, &z);
    char dict[96];
    snprintf(dict, sizeof dict, "<< /Type /ObjStm /N %d /First %zu /Filter /FlateDecode",
             o.n, o.first);
    s->x[o.num].type = 1;
    s->x[o.num].f2 = s->out->size;
    s->x[o.num].f3 = 0;
    int rc = zn && put_stream_obj(s->out, o.num, dict, z, zn) == 0 ? 0 : -1;
    free(z);
    return rc;
}

/* The current object stream to be deflated; written when OBJSTM_AHEAD
 * more are printed, or at the end (put_objstm).  0 or -1. */
static int flush_objstm(saver *s) {
    if (s->n == 0) return 0;
    unsigned num = s->nobj++;
    wbuf *ix = &s->index;
    ix->n = 0;
    for (int i = 0; i < s->n; i++) {
        qh_wb_int(ix, s->ids[i]);
        qh_wb_put(ix, " ", 1);
        qh_wb_int(ix, (long long)s->x[s->ids[i]].f2);
        qh_wb_put(ix, " ", 1);
        s->x[s->ids[i]].f2 = num;
    }
    size_t first = ix->n;
    /* the index put before the objects in their own buffer, not the
     * objects copied after the index (issue 18: the parent tree's leaves
     * make a stream of megabytes at the save's end, the pack's peak) */
    wbuf *b = &s->body;
    size_t n = b->n;
    qh_wb_put(b, ix->p, first);
    memmove(b->p + first, b->p, n);
    memcpy(b->p, ix->p, first);
    if (s->nahead == OBJSTM_AHEAD && put_objstm(s)) return -1;
    /* the buffer goes with the job: the next stream's objects start anew */
    s->ahead[s->nahead++] = (objstm){qh_deflate_async(s->h, qh_objstm_level(s->h),
                                                      (unsigned char *)b->p, b->n, 1),
                                     num, s->n, first};
    *b = (wbuf){0};
    s->n = 0;
    return 0;
}

/* Object i into the current object stream (its offset there in f2 until
 * the stream is written). */
static int add_to_objstm(saver *s, unsigned i, void *obj) {
    s->x[i].type = 2;
    s->x[i].f2 = (uint32_t)s->body.n;
    s->x[i].f3 = (uint16_t)s->n;
    s->ids[s->n++] = i;
    if (obj == &s->h->se_dict ? qh_se_put_shared(s->h, &s->body) != 0
                              : HPDF_Obj_WriteValue(obj, s->bodys, NULL) != HPDF_OK)
        return -1;
    qh_wb_put(&s->body, "\n", 1);
    return s->n == OBJSTM_N ? flush_objstm(s) : 0;
}

static int is_stream(void *obj) {
    const HPDF_Obj_Header *hd = obj;
    return (hd->obj_class & 0xFF) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
}

static void put_be(unsigned char *p, uint32_t v, int w) {
    for (int i = w - 1; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

/* The cross-reference stream, numbered last, with the trailer's entries
 * (/Root, /Info, /ID) and rows predicted from the row above (PNG Up,
 * /Predictor 12): offsets that grow slowly deflate to almost nothing. */
static int put_xref_stream(saver *s) {
    qhpdf *h = s->h;
    unsigned num = s->nobj++;
    uint32_t at = s->out->size;
    s->x[num].type = 1;
    s->x[num].f2 = at;
    s->x[num].f3 = 0;
    enum { W1 = 1, W2 = 4, W3 = 2, ROW = W1 + W2 + W3 };
    /* each row over its entry, read first (issue 18: no second table of
     * a pack's hundreds of thousands of objects at the save's end) */
    size_t n = (size_t)s->nobj * (ROW + 1);
    unsigned char *rows = (unsigned char *)s->x;
    unsigned char prev[ROW] = {0}, cur[ROW];
    for (unsigned i = 0; i < s->nobj; i++) {
        xent e = s->x[i];
        cur[0] = e.type;
        put_be(cur + W1, e.f2, W2);
        put_be(cur + W1 + W2, e.f3, W3);
        unsigned char *r = rows + (size_t)i * (ROW + 1);
        r[0] = 2;
        for (int k = 0; k < ROW; k++) r[1 + k] = (unsigned char)(cur[k] - prev[k]);
        memcpy(prev, cur, ROW);
    }
    size_t zn = qh_deflate(s->h, qh_objstm_level(s->h), rows, n, &s->z, &s->zcap);
    if (!zn) return -1;
    HPDF_Dict t = h->pdf->trailer;
    HPDF_MMgr mm = h->pdf->mmgr;
    HPDF_Dict_AddName(t, "Type", "XRef");
    HPDF_Dict_AddNumber(t, "Size", (HPDF_INT32)s->nobj);
    HPDF_Array w = HPDF_Array_New(mm);
    HPDF_Dict parms = HPDF_Dict_New(mm);
    if (!w || !parms || h->err) return -1;
    HPDF_Dict_Add(t, "W", w);
    HPDF_Array_AddNumber(w, W1);
    HPDF_Array_AddNumber(w, W2);
    HPDF_Array_AddNumber(w, W3);
    HPDF_Dict_AddName(t, "Filter", "FlateDecode");
    HPDF_Dict_Add(t, "DecodeParms", parms);
    HPDF_Dict_AddNumber(parms, "Columns", ROW);
    HPDF_Dict_AddNumber(parms, "Predictor", 12);
    HPDF_Dict_AddNumber(t, "Length", (HPDF_INT32)zn);
    if (h->err) return -1;
    char head[32], tail[48];
    snprintf(head, sizeof head, "%u 0 obj\n", num);
    snprintf(tail, sizeof tail, "startxref\n%lu\n%%%%EOF\n", (unsigned long)at);
    if (put_str(s->out, head) || HPDF_Dict_Write(t, s->out, NULL) != HPDF_OK ||
        put_str(s->out, "\nstream\r\n") || put(s->out, s->z, zn) ||
        put_str(s->out, "\nendstream\nendobj\n") || put_str(s->out, tail))
        return -1;
    return 0;
}

/* A stream object's value as HPDF_Dict_Write prints it (its keys,
 * "stream", the data, "endstream"; its /Length set to the bytes
 * written), the data written from the memory stream's blocks where they
 * are (issue 18: libharu reads them into a 4 KiB buffer a byte at a
 * time, HPDF_MemCpy, and writes that).  A stream libharu would filter
 * itself (an image's /DCTDecode, a profile it deflates) or that has a
 * hook before its keys is printed by libharu. */
static HPDF_STATUS put_stream_value(HPDF_Dict d, HPDF_Stream out) {
    HPDF_Stream data = d->stream;
    if (d->filter != HPDF_STREAM_FILTER_NONE || d->before_write_fn ||
        data->type != HPDF_STREAM_MEMORY)
        return HPDF_Obj_WriteValue(d, out, NULL);
    HPDF_Dict_RemoveElement(d, "Filter");  /* as libharu does when unfiltered */
    HPDF_Dict_AfterWriteFunc after = d->after_write_fn;
    d->stream = NULL;  /* the keys alone */
    d->after_write_fn = NULL;
    HPDF_STATUS st = HPDF_Dict_Write(d, out, NULL);
    d->stream = data;
    d->after_write_fn = after;
    if (st != HPDF_OK) return st;
    HPDF_Number len = HPDF_Dict_GetItem(d, "Length", HPDF_OCLASS_NUMBER);
    if (!len) return HPDF_SetError(d->error, HPDF_DICT_STREAM_LENGTH_NOT_FOUND, 0);
    if (!(len->header.obj_id & HPDF_OTYPE_INDIRECT))
        return HPDF_SetError(d->error, HPDF_DICT_ITEM_UNEXPECTED_TYPE, 0);
    if ((st = HPDF_Stream_WriteStr(out, "\012stream\015\012")) != HPDF_OK) return st;
    HPDF_UINT32 at = out->size;
    HPDF_MemStreamAttr a = data->attr;
    for (HPDF_UINT i = 0; i < a->buf->count; i++) {
        HPDF_UINT n = i + 1 < a->buf->count ? a->buf_siz : a->w_pos;
        if ((st = HPDF_Stream_Write(out, HPDF_List_ItemAt(a->buf, i), n)) != HPDF_OK)
            return st;
    }
    HPDF_Number_SetValue(len, (HPDF_INT32)(out->size - at));
    if ((st = HPDF_Stream_WriteStr(out, "\012endstream")) != HPDF_OK) return st;
    return after ? after(d) : HPDF_OK;
}

/* The header, once: written when the first stream goes out early, or by
 * the save. */
static int put_header(qhpdf *h) {
    static const char *const header[] = {
        [HPDF_VER_15] = "%PDF-1.5\n%\267\276\255\252\n",
        [HPDF_VER_16] = "%PDF-1.6\n%\267\276\255\252\n",
        [HPDF_VER_17] = "%PDF-1.7\n%\267\276\255\252\n"};
    if (h->early_version) return 0;
    if (h->pdf->pdf_version < HPDF_VER_15) h->pdf->pdf_version = HPDF_VER_15;
    h->early_version = (int)h->pdf->pdf_version;
    return put_str(h->pdf->stream, header[h->pdf->pdf_version]);
}

/* 1 when stream d's bytes are final before the save: deflated (a page's
 * content once drawn, an image's pixels), or filtered by libharu as it
 * prints them but whole from the start: the one CMap every font shares
 * (made with the first font: when it waited for the save, every page's
 * content after it waited too, 17 MB of a 200-report pack; issue 18) and
 * a JPEG's own bytes. */
static int is_final(const qhpdf *h, HPDF_Dict d) {
    /* one report's shared CMap goes to the deflate worker at the save
     * (qh_flate_libharus): not final before, or an early write would
     * print it with libharu's zlib on some runs and not on others */
    return qh_is_deflated(d) || (d == h->mixed_cmap && !h->one_report) ||
           d->filter == HPDF_STREAM_FILTER_DCT_DECODE;
}

/* Streams in number order from h->early_next, each at the top level as
 * libharu prints it, its offset kept in h->early_at; with all = 0 only
 * up to the first one not finished (deflated: the pages' content as each
 * page ends), and each stream's bytes freed once written (issue 18:
 * a pack no longer holds its whole content until the save).  The order
 * and the bytes are the save's own, so the file is the same either way. */
static int put_streams(qhpdf *h, int all) {
    HPDF_Xref xref = h->pdf->xref;
    HPDF_Stream out = h->pdf->stream;
    if (put_header(h)) return -1;
    if (h->early_next == 0) h->early_next = 1;  /* 0 is the free entry */
    for (; h->early_next < xref->entries->count; h->early_next++) {
        unsigned i = h->early_next;
        void *obj = HPDF_Xref_GetEntry(xref, i)->obj;
        if (!obj || !is_stream(obj)) continue;
        if (!all && !is_final(h, obj)) break;
        if (h->nearly == h->cap_early) {
            h->cap_early = h->cap_early ? 2 * h->cap_early : 256;
            h->early_at = qh_xrealloc(h->early_at, (size_t)h->cap_early * sizeof *h->early_at);
        }
        h->early_at[h->nearly].num = i;
        h->early_at[h->nearly++].at = out->size;
        char head[32];
        snprintf(head, sizeof head, "%u 0 obj\n", i);
        if (put_str(out, head) || put_stream_value(obj, out) != HPDF_OK ||
            put_str(out, "\nendobj\n"))
            return -1;
        if (!all) {
            HPDF_MemStream_FreeData(((HPDF_Dict)obj)->stream);
            qh_stream_written(h, obj);
        }
    }
    return 0;
}

void qh_early_write(qhpdf *h) {
    if (!h->early || h->err) return;
    if (put_streams(h, 0) != 0 && !h->err) qh_fail(h, HPDF_FILE_IO_ERROR);
}

static int save_compact(saver *s) {
    qhpdf *h = s->h;
    HPDF_Xref xref = h->pdf->xref;
    if (HPDF_Dict_Add(h->pdf->trailer, "Root", h->pdf->catalog) != HPDF_OK ||
        HPDF_Dict_Add(h->pdf->trailer, "Info", h->pdf->info) != HPDF_OK)
        return -1;
    if (h->early_version && h->early_version != (int)h->pdf->pdf_version)
        return -1;  /* the header went out with another version */
    if (put_streams(h, 1)) return -1;
    unsigned count = xref->entries->count;
    /* object streams and the xref stream take the numbers after count */
    size_t cap = (size_t)count + count / OBJSTM_N + 2;
    s->x = qh_xrealloc(NULL, cap * sizeof *s->x);
    /* fresh memory, all written: its pages in one call, not a fault
     * each (800 KB at the 50-report pack, ~2 ms of faults at its end) */
    qmem_populate(s->x, cap * sizeof *s->x);
    /* each row below written once, not the table zeroed first (104,000
     * rows at the 50-report pack: the memset was ~1 ms of the save) */
    s->x[0] = (xent){.f2 = 0, .f3 = 65535, .type = 0};
    s->nobj = count;
    for (unsigned i = 1; i < count; i++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, i);
        if (e->entry_typ == QH_ENTRY_WRITTEN) {  /* an element written early */
            s->x[i] = qh_written_row(e);
            continue;
        }
        s->x[i] = (xent){0}; /* free, or a stream's (its row below) */
        void *obj = e->obj;
        /* no object: a stream written early and freed (hpdf_retire.c) */
        if (obj && !is_stream(obj) && add_to_objstm(s, i, obj)) return -1;
    }
    for (int k = 0; k < h->nearly; k++)
        s->x[h->early_at[k].num] = (xent){.f2 = h->early_at[k].at, .f3 = 0, .type = 1};
    if (flush_objstm(s)) return -1;
    while (s->nahead)
        if (put_objstm(s)) return -1;
    return put_xref_stream(s);
}

int qh_save_compact(qhpdf *h) {
    saver s;
    memset(&s, 0, sizeof s);
    s.h = h;
    s.out = h->pdf->stream;
    s.bodys = HPDF_CallbackWriter_New(h->pdf->mmgr, to_wbuf, &s.body);
    int rc = s.bodys ? save_compact(&s) : -1;
    while (s.nahead) {  /* after a failure: their jobs and bytes freed */
        unsigned char *z = NULL;
        qh_deflate_wait(h, s.ahead[0].job, &z);
        free(z);
        memmove(s.ahead, s.ahead + 1, (size_t)--s.nahead * sizeof *s.ahead);
    }
    if (s.bodys) HPDF_Stream_Free(s.bodys);
    free(s.x);
    free(s.body.p);
    free(s.index.p);
    free(s.z);
    return rc;
}

/* PDF/A-2 and -3 (PDF 1.7) allow object streams and cross-reference
 * streams; PDF/A-1 (PDF 1.4) does not, so its copies keep the classic
 * table (PDFBox Preflight, a PDF/A-1 checker, rejects the streams). */
int qh_can_compact(const qhpdf *h) { return h->archive != 1; }

/* Pages written as they end: plain output only; an archive copy is saved
 * whole, as before object streams came to PDF/A-2/3. */
int qh_early_start(qhpdf *h) {
    if (h->archive != 0 || !qh_can_compact(h) || h->early) return 0;
    h->pdf->stream = HPDF_CallbackWriter_New(h->pdf->mmgr, qh_to_sink, h);
    if (!h->pdf->stream) return -1;
    h->early = 1;
    return 0;
}
