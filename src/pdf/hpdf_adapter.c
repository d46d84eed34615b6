/* libharu 2.3.0 behind a small interface (pdf.h), with its defects worked
 * around.  libharu writes the objects; the fonts' objects are made by the
 * adapter from the bytes the engine's font cache read.  This file: the document, pages and
 * placing their finished content (drawn on a canvas, pdf_canvas.c), outlines, info, catalog
 * and saving (links: hpdf_annot.c).
 *
 * Workarounds (each one marked WORKAROUND in the hpdf_*.c files):
 *  1. Sticky errors: one error handler records the first error; every entry
 *     point returns early once it is set, so no call runs on a broken
 *     document and no longjmp is needed.
 *  2. ToUnicode: libharu's is its UTF-8 encoder's CMap (begincidrange,
 *     registry Identity-H), which poppler rejects.  The CIDs are the code
 *     points and the CIDToGIDMap maps them to glyphs; the codes in the
 *     content stream are one byte for ASCII, two or three bytes for the
 *     rest, through one fixed embedded CMap (qh_code_of, WORKAROUND 13),
 *     so the map written here takes each code used to its code point, as
 *     bfrange/bfchar entries.
 *  3. Outline items: libharu gives every item /Type /Outlines (only the
 *     root may have it) and an indirect /Dest; PDFBox Preflight cannot read
 *     those.  Each item is a compact record written by a hook instead
 *     (hpdf_outline.c: libharu's dictionaries cost 1.9 KB an item, 11 MB
 *     for the 200-report pack), without /Type, with a direct
 *     [page /XYZ null top null].
 *  4. Link destinations: HPDF_Destination_SetXYZ refuses zoom 0 (which in
 *     PDF means "keep the reader's zoom") and makes one indirect object per
 *     link.  Outline items get a direct [page /XYZ null top null] array
 *     that passes HPDF_Destination_Validate; links write the same (16).
 *     Links also get the print flag (/F 4) and no border.
 *  5. Catalog: no API for /Lang or /ViewerPreferences /DisplayDocTitle, so
 *     they are added with the object API; version raised to 1.4 for them.
 *  6. Saving: HPDF_SaveToFile ignores fclose errors, so the document goes
 *     through a callback stream to the caller's sink (qhpdf_save_to), which
 *     stops the save at the first failed write; the file itself is the
 *     caller's (src/util/atomic.h).
 *  7. Invalid UTF-8 is dropped silently by libharu: the caller must pass
 *     valid UTF-8 (pdf.c cleans it).
 *  8. Images: libharu's PNG loader aborts the process on a damaged file
 *     (its libpng error callback returns), frees an object twice on an
 *     interlaced 16-bit one and refuses other valid files; its JPEG
 *     loader trusts the first frame header.  libharu never sees an image
 *     file: src/image decodes and validates it once, and the XObject
 *     (samples, soft mask, or a JPEG's bytes under /DCTDecode) is made
 *     with the object API; one libharu still fails is left out without
 *     failing the document.
 *  9. PDF/A: HPDF_PDFA_SetPDFAConformance writes /SubType for /Subtype,
 *     unescaped XMP, a clock-based /ID, and no CIDSet, /CapHeight or print
 *     flags.  Instead: the caller's XMP as an unfiltered /Metadata stream,
 *     an sRGB output intent (profile compiled in, src/pdf/srgb_icc.c), the
 *     fonts made early with a /CIDSet (PDF/A-1; every font descriptor has
 *     /CapHeight), and a placeholder /ID that qhpdf_fill_id overwrites with an MD5 of
 *     the finished file (same length, so the xref offsets stay right).
 * 10. Attachments: HPDF_AttachFile writes /Type /F, names the file by the
 *     path given and adds no MIME type or /AF, so file specifications,
 *     embedded file streams and the name tree are built here.
 * 11. Tagged PDF: no API at all.  The structure tree, parent tree,
 *     /MarkInfo, /StructParent(s) and /Tabs are plain objects; BDC/BMC/EMC
 *     are written into the page's content stream directly.
 * 12. Fonts: libharu's TrueType path reads the file in two- and four-byte
 *     freads, looks up all 65,536 code points for /W and a 128 KB
 *     CIDToGIDMap, and copies the subset's tables four bytes at a time
 *     (with the whole 'post' table and its glyph names).  None of it is
 *     used: the file's bytes, read once by the engine's font cache (the
 *     adapter opens no font file), are read in place (tt_open in hpdf_font.c) with
 *     the TrueType reader layout measures with (src/font/ttf.h, so both
 *     pick the same cmap subtable and glyphs), and the Type0
 *     font, its CIDFontType2 (/W, /CIDToGIDMap for the codes used), the
 *     descriptor and the subset program (tt_subset: glyph 0, the glyphs
 *     drawn and their components, 'post' version 3) are made with the
 *     object API once the document is complete (qh_build_font), with the
 *     values libharu computed (widths, /DW, /FontBBox, /Flags...).
 * 13. Page content: libharu's operators format every number with its own
 *     routines, write text as hex (four bytes per character), check the
 *     graphics mode on each call, and deflate every stream at zlib's
 *     default level when saving: most of a big pack's build time, and the
 *     uncompressed pages of the whole document stay in memory until then.
 *     Content streams are written by a page canvas instead (pdf_canvas.c,
 *     no libharu: any thread may draw a page), into one reused buffer
 *     (numbers to 3 decimals, text as literal strings of the font's
 *     codes, lines placed by Td from the last), deflated at a fast
 *     level when the page ends (here, or on the pack's worker that drew
 *     it) and handed to libharu as finished bytes with the stream's
 *     filter turned off and /Filter /FlateDecode written by the
 *     dictionary's write hook.  The canvas names the page's fonts and
 *     images F1... and X1... in order of first use, as libharu's
 *     HPDF_Page_GetLocalFontName and HPDF_Page_GetXObjectName do; placing
 *     the page (qhpdf_place_page) asks libharu in the same order and
 *     checks the names.  Each code drawn is noted for the font's subset.
 *     Font programs, CIDToGIDMaps and CIDSets are deflated the same way.
 * 14. Lists grow by a fixed block, copied byte by byte: the cross-reference
 *     list is made to double instead (qh_xref_grow).
 * 15. Strings: libharu refuses a string object over 65,535 bytes (error
 *     0x105B, for a bookmark, link, document property or annotation text),
 *     though PDF limits strings only in content streams (ISO 32000-1,
 *     annex C), and writes an unencoded one cut at 65,535 bytes.  A longer
 *     one is made short and then given its bytes (qh_dict_string): a text
 *     string as UTF-16, through the encoder's writer, which has no limit;
 *     a byte string (a URI) as hex.  Page text is split into strings of at
 *     most 32,767 bytes, the limit there (cs_text).
 * 16. Link annotations: as libharu dictionaries (a 136-byte record per
 *     key, a name object per name, an array and four reals for /Rect, a
 *     destination array, a border array) each link cost some 4 KB until
 *     the document was saved, 120 MB for 30,000 cross-references.  Each
 *     is an empty dictionary of our own instead, written by a hook from a
 *     compact record (hpdf_annot.c), as structure elements are (11).
 * 17. Saving: libharu writes every object at the top level with a classic
 *     cross-reference table, nothing of it compressed.  For plain output
 *     (not archive copies) the objects are written by our own pass
 *     instead (hpdf_save.c): streams as libharu prints them, the rest in
 *     deflated object streams, and a cross-reference stream.
 * 18. Memory: libharu holds every object until the save, some 5 KB a
 *     page.  While output is streamed (17), a page whose links are made
 *     is printed and its objects freed, its record kept with a hook that
 *     prints the text (hpdf_retire.c).  Its allocations are counted
 *     (qhpdf_pool_bytes), so a test can see the pool stay flat.
 * The internals used (HPDF_Doc_Rec fields, obj_class bits, HPDF_Dict's
 * stream, the font flag values) come from the installed 2.3.0 headers;
 * keep them in the adapter's files (hpdf_*.c, hpdf_private.h says which
 * workaround lives where). */
#include "hpdf_private.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"

/* WORKAROUND 1: record the first error; later calls see h->err and stop. */
static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                                  void *user) {
    qhpdf *h = user;
    if (h->err) return;
    h->err = error_no ? error_no : HPDF_INVALID_OPERATION;
    h->detail = detail_no;
}

void qh_fail(qhpdf *h, HPDF_STATUS code) { on_error(code, 0, h); }

/* WORKAROUND 15: a string of any length; text: a text string in the
 * encoder's UTF-16, else bytes (in hex when long). */
void *qh_string_obj(qhpdf *h, const char *s, int text) {
    HPDF_MMgr mm = h->pdf->mmgr;
    size_t n = strlen(s);
    if (n <= HPDF_LIMIT_MAX_STRING_LEN)
        return HPDF_String_New(mm, s, text ? h->utf8 : NULL);
    HPDF_BYTE *v = HPDF_GetMem(mm, (HPDF_UINT)n + 1);
    if (!v) return NULL;
    memcpy(v, s, n + 1);
    /* libharu's string or binary object, short, then its value replaced */
    void *o = NULL;
    HPDF_BYTE **value = NULL;
    HPDF_UINT *len = NULL;
    if (text) {
        HPDF_String so = HPDF_String_New(mm, "", h->utf8);
        if (so) { o = so; value = &so->value; len = &so->len; }
    } else {
        HPDF_Binary bo = HPDF_Binary_New(mm, v, 1);
        if (bo) { o = bo; value = &bo->value; len = &bo->len; }
    }
    if (!o) {
        HPDF_FreeMem(mm, v);
        return NULL;
    }
    HPDF_FreeMem(mm, *value);
    *value = v;
    *len = (HPDF_UINT)n;
    return o;
}

void qh_dict_string(qhpdf *h, HPDF_Dict d, const char *key, const char *s, int text) {
    if (h->err || !d) return;
    void *o = qh_string_obj(h, s, text);
    if (!o) {
        if (!h->err) qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    HPDF_Dict_Add(d, key, o);
}

/* s is too long for libharu's own calls (WORKAROUND 15): they are made
 * with "" and the value set after. */
static int too_long(const char *s) {
    return strlen(s) > HPDF_LIMIT_MAX_STRING_LEN;
}

void *qh_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fputs("quorum: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *qh_xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(qh_xrealloc(NULL, n), s, n);
}

/* WORKAROUND 18: libharu's allocations, counted (every document's). */
static atomic_size_t pool_bytes;

/* libharu's blocks of 64 KiB and more, populated at once: they are its
 * lists grown by copy (the table of a pack's 100,000 objects, 800 KB,
 * made again at each step of its growth) and written whole by that copy,
 * so each page of them was a fault, some 350 of a rebuild's writer at
 * ~10 us each under a hypervisor (issue 18). */
enum { POOL_POPULATE = 64 << 10 };

static void *HPDF_STDCALL pool_alloc(HPDF_UINT n) {
    void *p = malloc(n);
    if (p) atomic_fetch_add_explicit(&pool_bytes, malloc_usable_size(p), memory_order_relaxed);
    if (p && n >= POOL_POPULATE) qmem_populate(p, n);
    return p;
}

static void HPDF_STDCALL pool_free(void *p) {
    if (!p) return;
    atomic_fetch_sub_explicit(&pool_bytes, malloc_usable_size(p), memory_order_relaxed);
    free(p);
}

void qh_pool_took(void *p) {
    if (p) atomic_fetch_add_explicit(&pool_bytes, malloc_usable_size(p), memory_order_relaxed);
}

size_t qhpdf_pool_bytes(void) {
    return atomic_load_explicit(&pool_bytes, memory_order_relaxed);
}

size_t qhpdf_records_bytes(const qhpdf *h) {
    /* records in use, not the arrays' room (which grows in steps): what a
     * document keeps a page or an element, for a test to bound */
    size_t n = qh_se_bytes(h);
    n += (size_t)h->nkids * sizeof *h->kids + (size_t)h->nrefs * sizeof *h->refs;
    n += (size_t)h->nextras * sizeof *h->extras + h->strs.n;
    n += (size_t)h->nbboxes * sizeof *h->bboxes;
    n += (size_t)h->nmcid_se * sizeof *h->mcid_se + (size_t)h->npt * sizeof *h->pt;
    n += (size_t)h->nannots * sizeof(qhpdf_annot);
    n += (size_t)h->noutlines * sizeof(struct qhpdf_oitem) + h->titles.n;
    n += (size_t)h->npages * sizeof *h->pages + (size_t)h->nmade * sizeof *h->made;
    n += h->retired.n + (size_t)h->ntext * sizeof *h->page_text;
    n += (size_t)h->nearly * sizeof *h->early_at;
    return n;
}

qhpdf *qhpdf_new(void) {
    if (qhpdf_unavailable()) return NULL;
    qhpdf *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->pdf = HPDF_NewEx(on_error, pool_alloc, pool_free, 0, h);
    if (!h->pdf) {
        free(h);
        return NULL;
    }
    HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(h->pdf);
    /* Info strings and outline titles are UTF-8 (written as UTF-16). */
    HPDF_SetCurrentEncoder(h->pdf, "UTF-8");
    h->utf8 = HPDF_GetEncoder(h->pdf, "UTF-8");
    /* WORKAROUND 5: /Lang and DisplayDocTitle are PDF 1.4. */
    h->pdf->pdf_version = HPDF_VER_14;
    return h;
}

void qhpdf_free(qhpdf *h) {
    if (!h) return;
    qh_flate_free(h);
    /* Direct objects that never reached the document (after an error)
     * are not freed with it. */
    /* The element and link dictionaries are ours: out of the table
     * before libharu frees what is in it. */
    for (int i = 0; i < h->nannots; i++) qh_own_dict_release(h, &qh_annot_rec(h, i)->d);
    for (int i = 0; i < h->noutlines; i++) qh_own_dict_release(h, &qh_outline_rec(h, i)->d);
    qh_se_release(h);  /* last: it takes the elements' entries out */
    HPDF_Free(h->pdf);
    if (h->own_list) HPDF_List_Free(h->own_list);
    qh_annots_free(h);
    free(h->early_at);
    free(h->retired.p);
    free(h->page_text);
    free(h->extras);
    free(h->strs.p);
    free(h->bboxes);
    free(h->refs);
    free(h->roles);
    for (int i = 0; i * SE_BLOCK < h->nse; i++) free(h->se_blocks[i]);
    free(h->se_blocks);
    qh_ostm_free(h);
    for (int i = 0; i < h->nroot_se; i++) free(h->root_se[i]);
    free(h->root_se);
    free(h->kids);
    free(h->mcid_se);
    free(h->leaves);
    free(h->pt_early);
    free(h->wb.p);
    for (int i = 0; i < h->nfonts; i++) {
        free(h->fonts[i].path);
        free(h->fonts[i].flagged);
    }
    qcv_free(h->cv);
    for (int i = 0; i < h->nimages; i++) free(h->images[i].path);
    for (int i = 0; i < h->nfiles; i++) free(h->files[i].name);
    free(h->files);
    free(h->pt);
    free(h->images);
    free(h->pages);
    free(h->made);
    qh_outlines_free(h);
    free(h);
}

int qhpdf_failed(const qhpdf *h) { return h->err != 0; }

const char *qhpdf_error(const qhpdf *h) {
    if (!h->err) return NULL;
    const char *what;
    switch (h->err) {
    case HPDF_FAILD_TO_ALLOC_MEM: what = "out of memory"; break;
    case HPDF_FILE_OPEN_ERROR: what = "cannot open a font or image file"; break;
    case HPDF_FILE_IO_ERROR: what = "cannot read a font or image file"; break;
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE:
    case HPDF_INVALID_FONTDEF_DATA: what = "invalid TrueType font"; break;
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        what = "the font's licence does not allow embedding"; break;
    case HPDF_INVALID_DATE_TIME: what = "invalid date"; break;
    default: what = NULL; break;
    }
    qhpdf *m = (qhpdf *)h; /* the message buffer is a cache */
    if (h->err == HPDF_FILE_IO_ERROR && h->io_path)
        /* the glyphs are read when the PDF is written, after layout
         * measured the file: name it, since that is what to look at */
        snprintf(m->msg, sizeof m->msg,
                 "cannot read the font file %s: it was cut short or "
                 "failed after it was measured", h->io_path);
    else if (what)
        snprintf(m->msg, sizeof m->msg, "%s (libharu error 0x%04X)", what,
                 (unsigned)h->err);
    else
        snprintf(m->msg, sizeof m->msg, "libharu error 0x%04X, detail %u",
                 (unsigned)h->err, (unsigned)h->detail);
    return m->msg;
}
/* WORKAROUND 14: libharu's lists grow by a fixed block (1,024 entries for
 * the cross-reference table) and copy themselves byte by byte each time:
 * quadratic in a pack's 180,000 objects, a tenth of its PDF stage.  Making
 * the block as big as the list so far turns that into doubling; past
 * 65,536 entries a quarter more (issue 18: the slack of doubling was
 * what grew fastest of a pack's writer once its elements went out as
 * each report ended, up to 2 MB at 200 reports; the copies are some 5
 * times the list's 8 bytes an entry instead of 2, a few ms). */
void qh_xref_grow(qhpdf *h) {
    HPDF_List l = h->pdf->xref->entries;
    HPDF_UINT step = l->count < 65536 ? l->count : l->count / 4;
    if (step > 1024) l->items_per_block = step;
}

int qhpdf_add_page(qhpdf *h, float width, float height) {
    return qhpdf_add_page_at(h, h->npages, width, height);
}

/* The page tree is libharu's one /Pages node (no page configuration is
 * set): a page made after pages that follow it in the document is moved
 * from the end of its /Kids to its place, before the first page made
 * with a greater index. */
static void kids_place(qhpdf *h, int page) {
    int before = 0;
    for (int i = 0; i < page && i < h->npages; i++) before += h->pages[i] != NULL;
    HPDF_Array kids = HPDF_Dict_GetItem(h->pdf->root_pages, "Kids", HPDF_OCLASS_ARRAY);
    if (!kids) {
        qh_fail(h, HPDF_INVALID_OBJECT);
        return;
    }
    HPDF_List l = kids->list;
    if ((HPDF_UINT)before + 1 >= l->count) return; /* it is the last already */
    void *last = l->obj[l->count - 1];
    memmove(l->obj + before + 1, l->obj + before, (l->count - 1 - (HPDF_UINT)before) * sizeof *l->obj);
    l->obj[before] = last;
}

int qhpdf_add_page_at(qhpdf *h, int index, float width, float height) {
    if (h->err) return -1;
    if (index < 0 || (index < h->npages && h->pages[index])) {
        qh_fail(h, HPDF_INVALID_PAGE);
        return -1;
    }
    qh_xref_grow(h);
    HPDF_Page p = HPDF_AddPage(h->pdf);
    if (!p || h->err) return -1;
    HPDF_Page_SetWidth(p, width);
    HPDF_Page_SetHeight(p, height);
    /* libharu gives every page a /ProcSet, which PDF 1.4 made obsolete
     * and readers ignore: 50 bytes a page */
    HPDF_Dict res = HPDF_Dict_GetItem(p, "Resources", HPDF_OCLASS_DICT);
    if (res) HPDF_Dict_RemoveElement(res, "ProcSet");
    if (h->err) return -1;
    if (index >= h->cap_pages) {
        int cap = h->cap_pages ? h->cap_pages : 64;
        while (cap <= index) cap *= 2;
        h->pages = qh_xrealloc(h->pages, (size_t)cap * sizeof *h->pages);
        memset(h->pages + h->cap_pages, 0, (size_t)(cap - h->cap_pages) * sizeof *h->pages);
        h->cap_pages = cap;
    }
    if (h->nmade == h->cap_made) {
        h->cap_made = h->cap_made ? 2 * h->cap_made : 64;
        h->made = qh_xrealloc(h->made, (size_t)h->cap_made * sizeof *h->made);
    }
    h->made[h->nmade++] = index;
    h->pages[index] = p;
    if (index < h->npages) kids_place(h, index);
    else h->npages = index + 1;
    return h->err ? -1 : index;
}

int qhpdf_has_page(const qhpdf *h, int page) {
    return page >= 0 && page < h->npages && h->pages[page];
}

void qhpdf_page_begin(qhpdf *h, int page) {
    h->page = qhpdf_has_page(h, page) ? h->pages[page] : NULL;
    h->page_no = page;
    h->page_tabs = 0;
    h->last_annot = -1;
    h->drawing = h->page != NULL;
    if (!h->cv) h->cv = qcv_new(h->tagged);
    qcv_begin(h->cv);
}

/* The code point at *p (valid UTF-8, as callers promise; a stray byte
 * reads as U+FFFD), advancing *p past it. */
unsigned qh_next_cp(const unsigned char **p) {
    const char *s = (const char *)*p;
    uint32_t cp;
    size_t avail = strnlen(s, 4);
    int n = qutf8_decode(s, avail, &cp);
    *p += n > 0 ? n : 1;
    return cp;
}

/* ---- placing a finished page (WORKAROUND 13) -------------------------------
 * The content was written by a canvas (pdf_canvas.c); what it needs of
 * the document is made here in the order its events say, so the objects'
 * numbers are those of drawing into the document.  The names the canvas
 * wrote (F1..., X1... in order of first use) are libharu's, checked. */

static int same_name(const char *got, char kind, int n) {
    char want[16];
    snprintf(want, sizeof want, "%c%d", kind, n);
    return got && strcmp(got, want) == 0;
}

static int place_event(qhpdf *h, const qcv_event *e, const qhpdf_place_fns *fns) {
    switch (e->kind) {
    case QCV_FONT: {
        int id = fns->font(fns->ctx, e->a);
        if (h->err) return -1;
        if (id < 0 || id >= h->nfonts) break;
        const char *name = HPDF_Page_GetLocalFontName(h->page, h->fonts[id].font);
        if (h->err || !same_name(name, 'F', e->b)) break;
        return 0;
    }
    case QCV_IMAGE:
        if (!same_name(qh_page_image(h, e->name, e->img), 'X', e->b)) {
            if (!h->err) qh_fail(h, HPDF_PAGE_INVALID_XOBJECT);
            return -1;
        }
        return 0;
    case QCV_MARK: {
        int se = fns->elem(fns->ctx, e->a);
        if (h->err) return -1;
        if (se < 0) break;
        return qh_mark_placed(h, se, e->b);
    }
    }
    if (!h->err) qh_fail(h, e->kind == QCV_FONT ? HPDF_PAGE_INVALID_FONT
                                                : HPDF_INVALID_PARAMETER);
    return -1;
}

int qhpdf_place_page(qhpdf *h, int page, qcv_page *pg, const qhpdf_place_fns *fns) {
    if (h->err) return -1;
    if (!qhpdf_has_page(h, page)) {
        qh_fail(h, HPDF_INVALID_PAGE);
        return -1;
    }
    /* the page placed before is complete: its links are made */
    if (h->placed) qh_retire_page(h, h->placed - 1);
    h->placed = page + 1;
    h->page = h->pages[page];
    h->page_no = page;
    h->page_tabs = 0;
    h->last_annot = -1;
    int mcid0 = h->nmcid_se;
    for (int i = 0; i < pg->nev; i++)
        if (place_event(h, &pg->ev[i], fns) != 0) return -1;
    if (h->tagged && h->nmcid_se > mcid0) {
        int key = h->next_key++;
        HPDF_Dict_AddNumber(h->page, "StructParents", key);
        qh_pt_add(h, key, 0, mcid0, h->nmcid_se - mcid0);
    }
    HPDF_Dict contents = ((HPDF_PageAttr)h->page->attr)->contents;
    /* the content is taken, not copied (a pack's 21 MB raw, or its 5 MB
     * deflated on the workers: each copy a fresh page fault here) */
    unsigned char *data = pg->data;
    pg->data = NULL;
    if (pg->deflated) qh_set_deflated(h, contents, data, pg->n);
    else if (data) qh_set_flate_later_take(h, contents, data, pg->n);
    else qh_set_flate_later(h, contents, "", 0);
    pg->n = 0;
    qh_early_write(h);
    return h->err ? -1 : 0;
}

void qhpdf_font_codes(qhpdf *h, int font, const uint8_t *codes) {
    if (h->err || font < 0 || font >= h->nfonts || !codes) return;
    uint8_t *f = h->fonts[font].flagged;
    for (size_t i = 0; i < QHPDF_CODE_BITS; i++) f[i] |= codes[i];
}

/* The qhpdf_ drawing calls: the page's canvas, its events the document's
 * own font ids and elements. */
static int same_font(void *ctx, int key) { (void)ctx; return key; }
static int same_elem(void *ctx, int e) { (void)ctx; return e; }

void qhpdf_page_end(qhpdf *h) {
    if (h->err || !h->page || !h->drawing) return;
    h->drawing = 0;
    qcv_page pg = {0};
    qcv_end(h->cv, &pg);
    qhpdf_place_fns fns = {same_font, same_elem, NULL};
    qhpdf_place_page(h, h->page_no, &pg, &fns);
    qcv_page_free(&pg);
}

void qhpdf_text(qhpdf *h, int font, float size, uint32_t rgb, float x,
                float y, const char *s) {
    if (h->err || !h->drawing) return;
    if (font < 0 || font >= h->nfonts || !(size > 0)) {
        qh_fail(h, HPDF_PAGE_INVALID_FONT);
        return;
    }
    qcv_text(h->cv, font, size, rgb, x, y, s);
}

void qhpdf_fill(qhpdf *h, float x, float y, float w, float ht, uint32_t rgb) {
    if (h->err || !h->drawing) return;
    qcv_fill(h->cv, x, y, w, ht, rgb);
}

void qhpdf_line(qhpdf *h, float x0, float y0, float x1, float y1, float width,
                uint32_t rgb) {
    if (h->err || !h->drawing) return;
    qcv_line(h->cv, x0, y0, x1, y1, width, rgb);
}

void qhpdf_info(qhpdf *h, const char *title, const char *author,
                const char *subject, const char *keywords,
                const char *creator, const char *producer) {
    static const HPDF_InfoType types[] = {
        HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT,
        HPDF_INFO_KEYWORDS, HPDF_INFO_CREATOR, HPDF_INFO_PRODUCER};
    static const char *const keys[] = {"Title", "Author", "Subject", "Keywords",
                                        "Creator", "Producer"};
    const char *vals[] = {title, author, subject, keywords, creator, producer};
    for (int i = 0; i < 6; i++) {
        if (h->err) return;
        if (!vals[i] || !vals[i][0]) continue;
        int big = too_long(vals[i]);
        HPDF_SetInfoAttr(h->pdf, types[i], big ? "" : vals[i]);
        if (big) qh_dict_string(h, h->pdf->info, keys[i], vals[i], 1);
    }
}

void qhpdf_creation_date(qhpdf *h, int year, int month, int day) {
    if (h->err) return;
    HPDF_Date d = {year, month, day, 0, 0, 0, ' ', 0, 0};
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, d);
}

void qhpdf_catalog(qhpdf *h, const char *lang, int show_outlines) {
    if (h->err) return;
    /* WORKAROUND 5 */
    HPDF_Dict cat = h->pdf->catalog;
    HPDF_MMgr mm = h->pdf->mmgr;
    if (lang && lang[0])
        qh_dict_string(h, cat, "Lang", lang, 0);
    HPDF_Dict prefs = HPDF_Dict_New(mm);
    if (!prefs) return;
    HPDF_Dict_Add(cat, "ViewerPreferences", prefs);
    HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
    if (show_outlines && !h->err)
        HPDF_SetPageMode(h->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}
/* WORKAROUND 6: the document goes to the caller's sink through a
 * callback stream set as the document's stream before HPDF_SaveToStream
 * (which only makes a memory stream when there is none): no copy of the
 * whole file in libharu's byte-by-byte memory stream, and a failed write
 * stops the save (libharu's own file writer ignores fclose errors). */
HPDF_STATUS HPDF_STDCALL qh_to_sink(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
    qhpdf *h = s->attr;
    if (h->sink_failed) return HPDF_FILE_IO_ERROR;
    if (h->sink(h->sink_ctx, p, n) != 0) {
        h->sink_failed = 1;
        return HPDF_FILE_IO_ERROR;
    }
    return HPDF_OK;
}

int qhpdf_save_to(qhpdf *h, int (*sink)(void *ctx, const void *p, size_t n),
                  void *ctx) {
    if (h->err || h->saved) return -1;  /* failed, or saved before */
    h->saved = 1;
    if (h->early && (sink != h->sink || ctx != h->sink_ctx)) {
        qh_fail(h, HPDF_INVALID_OPERATION);  /* begun for another sink */
        return -1;
    }
    if (h->placed) qh_retire_page(h, h->placed - 1);
    h->placed = 0;
    for (int i = 0; h->cv && i < h->nfonts; i++) qhpdf_font_codes(h, i, qcv_codes(h->cv, i));
    for (int i = 0; i < h->nfonts && !h->err; i++) qh_build_font(h, i);
    /* one report's CMaps at its level, on the worker, not by libharu's
     * zlib (their bytes are final now); a pack's stay as they were */
    for (int i = 0; h->one_report && i < h->nfonts; i++)
        qh_flate_libharus(h, h->fonts[i].tounicode);
    if (h->one_report) qh_flate_libharus(h, h->mixed_cmap);
    qh_flate_finish(h);
    if (h->err) return -1;
    h->sink = sink;
    h->sink_ctx = ctx;
    if (!h->early)
        h->pdf->stream = HPDF_CallbackWriter_New(h->pdf->mmgr, qh_to_sink, h);
    if (!h->pdf->stream) {
        qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    int compact = qh_can_compact(h);
    if ((compact ? qh_save_compact(h) : (int)HPDF_SaveToStream(h->pdf)) != 0 ||
        h->sink_failed) {
        if (!h->err) qh_fail(h, HPDF_FILE_IO_ERROR);
        return -1;
    }
    return h->err ? -1 : 0;
}

int qhpdf_stream_to(qhpdf *h, int (*sink)(void *ctx, const void *p, size_t n),
                    void *ctx) {
    if (h->err || h->saved || h->early) return -1;
    h->sink = sink;
    h->sink_ctx = ctx;
    if (qh_early_start(h) != 0) {
        qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return -1;
    }
    return 0;
}

unsigned char *qhpdf_save(qhpdf *h, size_t *size) {
    qpdf_membuf m = {NULL, 0, 0};
    *size = 0;
    if (qhpdf_save_to(h, qpdf_mem_write, &m) != 0 || m.n == 0) {
        free(m.p);
        return NULL;
    }
    *size = m.n;
    return m.p;
}
