/* The libharu adapter's own state, shared by its files (hpdf_*.c) and by
 * nothing else: it names libharu's types and internals, which stay behind
 * the adapter (pdf.h is the folder's interface).  The internals used
 * (HPDF_Doc_Rec fields, obj_class bits, HPDF_Dict's stream, the font flag
 * values) come from the installed 2.3.0 headers: ../shared/notes/
 * libharu-2.3.0.md.  What each file holds:
 *   hpdf_adapter.c  document, pages, placing pages drawn on a canvas
 *                   (pdf_canvas.c, no libharu), outlines, info,
 *                   catalog, saving (workarounds 1, 3-7, 13-15)
 *   hpdf_font.c     font objects, subsets, ToUnicode (2, 12)
 *   hpdf_image.c    image XObjects from decoded pixels (8)
 *   hpdf_struct.c   the structure tree of tagged PDF (11), the dicts
 *                   written by hooks that it and the links use
 *   hpdf_annot.c    link annotations (4, 16)
 *   hpdf_outline.c  outline items (3)
 *   hpdf_archive.c  PDF/A: XMP, output intent, attachments, /ID (9, 10)
 *   hpdf_save.c     object streams and the cross-reference stream (17)
 *   hpdf_objstm.c   a pack's elements into object streams as units end
 *   hpdf_retire.c   placed pages out of libharu's pool (18)
 *   hpdf_deflate.c  every stream we deflate: libdeflate, a worker thread */
#ifndef QUORUM_HPDF_PRIVATE_H
#define QUORUM_HPDF_PRIVATE_H
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_outline.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "pdf.h"
#include "font.h"

/* libharu is opened the first time a document is made (qh_hpdf_ready,
 * hpdf_lib.c; src/util/dlib.c says why): every libharu call of the
 * adapter goes through qh_hpdf, whose members have libharu's own types,
 * by the names below.  A call not listed fails to link (the command
 * does not link libharu). */
#define QH_HPDF_CALLS(X)                                                      \
    X(HPDF_AddPage) X(HPDF_Array_Add) X(HPDF_Array_AddNumber)                 \
    X(HPDF_Array_New) X(HPDF_Binary_New) X(HPDF_CallbackWriter_New)           \
    X(HPDF_DictStream_New) X(HPDF_Dict_Add) X(HPDF_Dict_AddBoolean)           \
    X(HPDF_Dict_AddName) X(HPDF_Dict_AddNumber) X(HPDF_Dict_AddReal)          \
    X(HPDF_Dict_Free) X(HPDF_Dict_GetItem) X(HPDF_Dict_New)                   \
    X(HPDF_Dict_RemoveElement) X(HPDF_Dict_Write) X(HPDF_FToA) X(HPDF_Free)   \
    X(HPDF_FreeMem) X(HPDF_GetEncoder) X(HPDF_GetMem) X(HPDF_GetVersion)      \
    X(HPDF_Image_AddSMask) X(HPDF_List_Add) X(HPDF_List_Free)                 \
    X(HPDF_List_ItemAt) X(HPDF_List_New) X(HPDF_MemStream_FreeData)           \
    X(HPDF_NewEx) X(HPDF_Null_New) X(HPDF_Number_SetValue) X(HPDF_Obj_Free)   \
    X(HPDF_Obj_WriteValue) X(HPDF_OutlineRoot_New)                            \
    X(HPDF_Page_GetLocalFontName) X(HPDF_Page_GetXObjectName)                 \
    X(HPDF_Page_SetHeight) X(HPDF_Page_SetWidth) X(HPDF_ResetError)           \
    X(HPDF_SaveToStream) X(HPDF_SetCompressionMode)                           \
    X(HPDF_SetCurrentEncoder) X(HPDF_SetError) X(HPDF_SetInfoAttr)            \
    X(HPDF_SetInfoDateAttr) X(HPDF_SetPageMode) X(HPDF_Stream_Free)           \
    X(HPDF_Stream_Write) X(HPDF_Stream_WriteStr) X(HPDF_String_New)           \
    X(HPDF_UseUTFEncodings) X(HPDF_Xref_Add) X(HPDF_Xref_GetEntry)
typedef struct qh_hpdf_lib { QH_HPDF_CALLS(QDLIB_MEMBER) } qh_hpdf_lib;
extern qh_hpdf_lib qh_hpdf;
/* 1 when libharu is open (opened by the first call); else 0 and why. */
int qh_hpdf_ready(const char **why);
/* The same for libdeflate (hpdf_deflate.c). */
int qh_deflate_ready(const char **why);
#define HPDF_AddPage (*qh_hpdf.HPDF_AddPage)
#define HPDF_Array_Add (*qh_hpdf.HPDF_Array_Add)
#define HPDF_Array_AddNumber (*qh_hpdf.HPDF_Array_AddNumber)
#define HPDF_Array_New (*qh_hpdf.HPDF_Array_New)
#define HPDF_Binary_New (*qh_hpdf.HPDF_Binary_New)
#define HPDF_CallbackWriter_New (*qh_hpdf.HPDF_CallbackWriter_New)
#define HPDF_DictStream_New (*qh_hpdf.HPDF_DictStream_New)
#define HPDF_Dict_Add (*qh_hpdf.HPDF_Dict_Add)
#define HPDF_Dict_AddBoolean (*qh_hpdf.HPDF_Dict_AddBoolean)
#define HPDF_Dict_AddName (*qh_hpdf.HPDF_Dict_AddName)
#define HPDF_Dict_AddNumber (*qh_hpdf.HPDF_Dict_AddNumber)
#define HPDF_Dict_AddReal (*qh_hpdf.HPDF_Dict_AddReal)
#define HPDF_Dict_Free (*qh_hpdf.HPDF_Dict_Free)
#define HPDF_Dict_GetItem (*qh_hpdf.HPDF_Dict_GetItem)
#define HPDF_Dict_New (*qh_hpdf.HPDF_Dict_New)
#define HPDF_Dict_RemoveElement (*qh_hpdf.HPDF_Dict_RemoveElement)
#define HPDF_Dict_Write (*qh_hpdf.HPDF_Dict_Write)
#define HPDF_FToA (*qh_hpdf.HPDF_FToA)
#define HPDF_Free (*qh_hpdf.HPDF_Free)
#define HPDF_FreeMem (*qh_hpdf.HPDF_FreeMem)
#define HPDF_GetEncoder (*qh_hpdf.HPDF_GetEncoder)
#define HPDF_GetMem (*qh_hpdf.HPDF_GetMem)
#define HPDF_GetVersion (*qh_hpdf.HPDF_GetVersion)
#define HPDF_Image_AddSMask (*qh_hpdf.HPDF_Image_AddSMask)
#define HPDF_List_Add (*qh_hpdf.HPDF_List_Add)
#define HPDF_List_Free (*qh_hpdf.HPDF_List_Free)
#define HPDF_List_ItemAt (*qh_hpdf.HPDF_List_ItemAt)
#define HPDF_List_New (*qh_hpdf.HPDF_List_New)
#define HPDF_MemStream_FreeData (*qh_hpdf.HPDF_MemStream_FreeData)
#define HPDF_NewEx (*qh_hpdf.HPDF_NewEx)
#define HPDF_Null_New (*qh_hpdf.HPDF_Null_New)
#define HPDF_Number_SetValue (*qh_hpdf.HPDF_Number_SetValue)
#define HPDF_Obj_Free (*qh_hpdf.HPDF_Obj_Free)
#define HPDF_Obj_WriteValue (*qh_hpdf.HPDF_Obj_WriteValue)
#define HPDF_OutlineRoot_New (*qh_hpdf.HPDF_OutlineRoot_New)
#define HPDF_Page_GetLocalFontName (*qh_hpdf.HPDF_Page_GetLocalFontName)
#define HPDF_Page_GetXObjectName (*qh_hpdf.HPDF_Page_GetXObjectName)
#define HPDF_Page_SetHeight (*qh_hpdf.HPDF_Page_SetHeight)
#define HPDF_Page_SetWidth (*qh_hpdf.HPDF_Page_SetWidth)
#define HPDF_ResetError (*qh_hpdf.HPDF_ResetError)
#define HPDF_SaveToStream (*qh_hpdf.HPDF_SaveToStream)
#define HPDF_SetCompressionMode (*qh_hpdf.HPDF_SetCompressionMode)
#define HPDF_SetCurrentEncoder (*qh_hpdf.HPDF_SetCurrentEncoder)
#define HPDF_SetError (*qh_hpdf.HPDF_SetError)
#define HPDF_SetInfoAttr (*qh_hpdf.HPDF_SetInfoAttr)
#define HPDF_SetInfoDateAttr (*qh_hpdf.HPDF_SetInfoDateAttr)
#define HPDF_SetPageMode (*qh_hpdf.HPDF_SetPageMode)
#define HPDF_Stream_Free (*qh_hpdf.HPDF_Stream_Free)
#define HPDF_Stream_Write (*qh_hpdf.HPDF_Stream_Write)
#define HPDF_Stream_WriteStr (*qh_hpdf.HPDF_Stream_WriteStr)
#define HPDF_String_New (*qh_hpdf.HPDF_String_New)
#define HPDF_UseUTFEncodings (*qh_hpdf.HPDF_UseUTFEncodings)
#define HPDF_Xref_Add (*qh_hpdf.HPDF_Xref_Add)
#define HPDF_Xref_GetEntry (*qh_hpdf.HPDF_Xref_GetEntry)

#define MAX_FONTS 16

/* src/pdf/srgb_icc.c, generated from src/pdf/icc/sRGB.icc */
extern const unsigned char qsrgb_icc[];
extern const size_t qsrgb_icc_len;

typedef struct qhpdf_font {
    char *path;
    HPDF_Dict font;      /* the Type0 font (page resources point to it) */
    HPDF_Dict tounicode; /* its ToUnicode stream, once written */
    uint8_t *flagged;    /* codes drawn with it */
    int built;           /* build_font has run */
    const unsigned char *data; /* the file's bytes at their offsets: the
                                  engine's font cache holds them until the
                                  layout is freed */
    size_t size;
    const qfont *src;    /* reads the bytes of data not read yet (NULL:
                            data is the whole file) */
    qttf tt;             /* its tables, read in place (src/font/ttf.h) */
    int bbox[4], ascent, descent, cap_height, x_height, missing_width, flags;
    double italic;
    char psname[64];     /* the PostScript name, PDF name characters only */
} qhpdf_font;

typedef struct qhpdf_img {
    char *path;
    const qimage *src;   /* its pixels (the display list holds them) */
    HPDF_Image image;    /* NULL: libharu could not make it */
    int lost_alpha;      /* PDF/A-1: its alpha was applied onto white */
} qhpdf_img;

/* Tagged PDF (WORKAROUND 11): compact records, written by hooks. */
enum { SE_BLOCK = 1024 };         /* element records per block (stable) */
enum { KID_SE, KID_MCID, KID_MCR, KID_OBJR };

/* A kid of an element, 8 bytes (issue 18: a pack has twice as many kids
 * as elements): its kind in the low two bits of v, above them an
 * element's object number (KID_SE: printed without its record, which a
 * kid of the root outlives, hpdf_objstm.c), an MCID of the element's page (KID_MCID), or an index in
 * h->refs (KID_MCR: page, mcid; KID_OBJR: annotation, page). */
typedef struct qhpdf_kid {
    int v;
    int next;                     /* next kid of the same element, or -1 */
} qhpdf_kid;

typedef struct qhpdf_ref { int a, b; } qhpdf_ref;

typedef struct qhpdf_se {          /* a structure element, 24 bytes */
    /* No dictionary of its own (issue 18: 96 bytes each, a hundred
     * thousand in a pack): its object number's entry points at one dict
     * all elements share (h->se_dict), whose hook writes the elements in
     * the order libharu and the object streams print them, number order;
     * an element of the root has a dict of its own (qhpdf_root_se), as
     * the root's /K array refers to it. */
    unsigned num;                 /* its object number */
    int parent;                   /* element, or -1 for the root */
    int page;                     /* /Pg: first page with its content, or -1 */
    int first_kid, last_kid;
    unsigned extra : 24;          /* index in h->extras plus one; 0: none */
    unsigned role : 8;            /* index in h->roles */
} qhpdf_se;

enum { SE_ROLES = 256, SE_ROLE_LEN = 12 };

typedef struct qhpdf_root_se {    /* the dict of an element of the root */
    HPDF_Dict_Rec d;              /* first: d.attr is the qhpdf */
    int se;
} qhpdf_root_se;

typedef struct qhpdf_extra {      /* what few elements have */
    /* strings (UTF-8) as offsets in h->strs plus one; 0 = absent */
    uint32_t alt, lang, summary, actual;
    uint32_t numbering;           /* L: /ListNumbering name */
    int bbox;                     /* index in h->bboxes, or -1 */
    int colspan, rowspan;         /* TH/TD: written when over 1 */
    signed char scope;            /* TH: 0 none, 1 Row, 2 Column */
} qhpdf_extra;

/* A link annotation (WORKAROUND 16): like an element, an empty dict of
 * our own written by a hook from this record. */
enum { ANNOT_BLOCK = 1024 };      /* records per block (stable) */

typedef struct qhpdf_annot {
    HPDF_Dict_Rec d;              /* first: d.attr is the qhpdf */
    float rect[4];                /* x0 y0 x1 y1 */
    int page;                     /* on this page (/P) */
    int dest;                     /* destination page, or -1: uri */
    float top;
    char *uri;                    /* owned (URI links) */
    char *contents;               /* owned, or NULL (tagged) */
    int struct_parent;            /* -1 = none (untagged) */
} qhpdf_annot;

/* An outline item (WORKAROUND 3): an empty dict of our own written by a
 * hook from this record, in the order libharu's keys would have come. */
enum { OUTLINE_BLOCK = 256 };     /* records per block (stable) */

typedef struct qhpdf_oitem {
    HPDF_Dict_Rec d;              /* first: d.attr is the qhpdf */
    int parent;                   /* item, or -1: the root */
    int first, last, prev, next;  /* items, or -1 */
    int count;                    /* its descendants (every item is open) */
    int page;                     /* /Dest's page and top */
    float top;
    uint32_t title, title_len;    /* its /Title as printed, in h->titles */
    int next_first;               /* /Next came before /First */
} qhpdf_oitem;

typedef struct qhpdf_ptleaf {             /* one leaf of the parent tree */
    qhpdf *h;
    int from, to;                 /* its entries in h->pt */
    unsigned num;                 /* its object number */
} qhpdf_ptleaf;

typedef struct wbuf { char *p; size_t n, cap; } wbuf;

typedef struct qhpdf_ptentry { /* one /Nums pair of the parent tree */
    int key;
    int kind;            /* 0: a page, its elements' numbers by MCID in
                            mcid_se[a..a+n); 1: an annotation, its
                            element's number a */
    int a, n;
} qhpdf_ptentry;

typedef struct qhpdf_file {
    char *name;
    HPDF_Dict spec;      /* the file specification (indirect) */
} qhpdf_file;

struct qhpdf {
    HPDF_Doc pdf;
    HPDF_Encoder utf8;
    HPDF_Dict mixed_cmap;    /* every font's /Encoding (hpdf_font.c), once made */
    HPDF_STATUS err, detail;
    const char *io_path;     /* the font file that failed to read, for
                              * qhpdf_error; not owned (a qfont's or h's font's) */
    char msg[512];

    qhpdf_font fonts[MAX_FONTS];
    int nfonts;

    HPDF_Page *pages;        /* by document page; NULL: not made yet */
    int npages, cap_pages;   /* npages: the highest made, plus one */
    int *made;               /* pages in the order made (object numbers) */
    int nmade, cap_made;

    struct qhpdf_oitem **outline_blocks; /* outline items, in blocks that never move */
    int noutlines, cap_outline_blocks;
    HPDF_Dict outline_root;  /* libharu's, made with the first item */
    int outline_top;         /* the root's last item, plus one; 0: none */
    wbuf titles;             /* the items' /Title values, printed */

    qhpdf_img *images;
    int nimages, cap_images;

    /* The current page: drawn into cv by the qhpdf_ drawing calls (the
     * PDF device draws into a canvas of its own), placed when it ends. */
    HPDF_Page page;
    qcanvas *cv;             /* made on the first page begun */
    int drawing;             /* between qhpdf_page_begin and _end */
    int threads;             /* that deflate: 0 = QH_THREADS_DEFAULT */
    int one_report;          /* qhpdf_set_one_report: QH_ONE_REPORT_LEVEL */
    struct qh_zq *zq;        /* hpdf_deflate.c's state, made when first used */

    int (*sink)(void *ctx, const void *p, size_t n); /* qhpdf_save_to */
    void *sink_ctx;
    int sink_failed;
    int saved;               /* qhpdf_save_to was called */
    /* Streams written before the save (qhpdf_stream_to, hpdf_save.c). */
    int early;               /* on: finished streams go to the sink */
    int early_version;       /* the version the header gave, once written */
    unsigned early_next;     /* the next object number to write or pass */
    struct { unsigned num; uint32_t at; } *early_at; /* streams written */
    int nearly, cap_early;
    /* Pages retired (hpdf_retire.c): their keys' text, by page. */
    int placed;              /* the page placed last, plus one; 0: none */
    wbuf retired;            /* each page's text: 4-byte length, bytes */
    uint32_t *page_text;     /* its offset there, or UINT32_MAX */
    int ntext;

    int archive;             /* 0, or the PDF/A part (1, 2, 3) */
    qhpdf_file *files;       /* attachments in the order given */
    int nfiles, cap_files;

    /* Tagged PDF (WORKAROUND 11). */
    int tagged;
    HPDF_Dict struct_root;
    HPDF_Array root_k;
    qhpdf_se **se_blocks;    /* elements, in blocks that never move */
    int nse, cap_blocks;
    HPDF_Dict_Rec se_dict;   /* the dict of every element not of the root */
    int se_cursor;           /* the element its hook writes next */
    qhpdf_root_se **root_se; /* the root's elements' own dicts */
    int nroot_se;
    HPDF_List own_list;      /* the empty list all our own dicts share */
    qhpdf_extra *extras;
    int nextras, cap_extras;
    wbuf strs;               /* the extras' strings, each NUL-ended */
    float (*bboxes)[4];      /* the extras' /BBox */
    int nbboxes, cap_bboxes;
    qhpdf_kid *kids;
    int nkids, cap_kids;
    qhpdf_ref *refs;         /* KID_MCR and KID_OBJR */
    int nrefs, cap_refs;
    char (*roles)[SE_ROLE_LEN]; /* the elements' roles, by first use */
    int nroles;
    struct { const char *s; int role; } role_seen[64]; /* by address, hashed */
    int nseen;               /* role_seen's slots taken */
    HPDF_XrefEntry_Rec se_entry; /* the table entry elements share */
    int se_shared;           /* elements' numbers use se_entry */
    /* Elements written before the save (hpdf_objstm.c): those below
     * se_written, but the root's, are in object streams of their own and
     * their records gone; each one's table entry is its stream's
     * (QH_ENTRY_WRITTEN), which gives its row at the save. */
    int se_written;
    int se_freed;            /* elements below it passed for freeing */
    HPDF_XrefEntry_Rec **ostm; /* those streams' entries */
    int nostm, cap_ostm;
    int *mcid_se;            /* the number of each MCID's element, pages in order */
    int nmcid_se, cap_mcid_se;
    qhpdf_annot **annot_blocks; /* link annotations, in blocks that never move */
    int nannots, cap_annot_blocks;
    qhpdf_ptleaf *leaves;
    int nleaves;
    /* The parent tree's leaves written before the save (hpdf_objstm.c):
     * entries below pt_written, each leaf's number in pt_early. */
    int pt_written;
    unsigned *pt_early;
    int npt_early, cap_pt_early;
    wbuf wb;                 /* scratch for the write hooks */
    qhpdf_ptentry *pt;
    int npt, cap_pt;
    int next_key;            /* next /StructParent(s) key */
    int page_no;             /* index of h->page */
    int page_tabs;           /* /Tabs set on this page */
    int last_annot;          /* the link just made on this page, or -1 */
};

/* WORKAROUND 1: records the first error; every entry point returns early
 * once one is set. */
void qh_fail(qhpdf *h, HPDF_STATUS code);
/* WORKAROUND 15: d's key set to the string s, of any length; text: a
 * text string (UTF-16 when long or not ASCII), else bytes. */
void qh_dict_string(qhpdf *h, HPDF_Dict d, const char *key, const char *s, int text);
/* WORKAROUND 15: a string object of any length (direct, the caller's);
 * text: a text string (UTF-16), else bytes; NULL on failure. */
void *qh_string_obj(qhpdf *h, const char *s, int text);
/* Allocation that cannot fail (out of memory ends the process). */
void *qh_xrealloc(void *p, size_t n);
char *qh_xstrdup(const char *s);

/* The code point at *p (valid UTF-8), advancing *p past it. */
unsigned qh_next_cp(const unsigned char **p);
/* WORKAROUND 14: the cross-reference list doubles as it grows. */
void qh_xref_grow(qhpdf *h);
/* hpdf_deflate.c.  A pack's page content, font programs and images are
 * deflated at this level with libdeflate (one report's: below); 2
 * threads unless qhpdf_set_threads says otherwise.
 * Level 1: the deflate thread is a pack's busiest (content, and since
 * session 13 the structure elements' object streams beside the layout);
 * level 3 made the 50-report pack 80,887 B smaller (5,957,862 against
 * 6,038,749 B, the limit 6 MiB = 6,291,456 B) for 10-15% more of its
 * wall (docs/performance.md, "Pack content at level 1"). */
enum { QH_FLATE_LEVEL = 1, QH_THREADS_DEFAULT = 2 };
/* Object streams and the cross-reference stream are written once and
 * compress well: a higher level than page content. */
enum { QH_OBJSTM_LEVEL = 6 };
/* One report's own PDF (qhpdf_set_one_report): every stream at level 1.
 * The sample's file grows 170,582 -> ~178,000 bytes (the target is 200
 * KiB) and its deflate worker does 19 M instructions fewer, the most of
 * any one cost left in its build (docs/performance.md, "One report's
 * build and HTML").  A pack's content is at level 1 too
 * (QH_FLATE_LEVEL), its object streams stay at QH_OBJSTM_LEVEL: its file
 * must stay under 6 MiB, and level 2 there takes the 50-report pack to
 * 6,298,903 B. */
enum { QH_ONE_REPORT_LEVEL = 1 };
/* The levels h deflates its page content (and font programs, images) and
 * its object streams at. */
int qh_flate_level(const qhpdf *h);
int qh_objstm_level(const qhpdf *h);
typedef struct qh_zq qh_zq;
/* d's data replaced with z[0..zn), deflated already and malloc'd: taken
 * (freed with the stream, or here on failure); 0 or -1. */
int qh_set_deflated(qhpdf *h, HPDF_Dict d, unsigned char *z, size_t zn);
/* p (malloc'd) is libharu's now, freed through its allocator: counted
 * (qhpdf_pool_bytes). */
void qh_pool_took(void *p);
/* Replaces the data of stream dictionary d with data[0..n) deflated. */
void qh_set_flate(qhpdf *h, HPDF_Dict d, const void *data, size_t n);
/* The same, maybe on the worker thread: data is copied; d gets its bytes
 * by qh_flate_finish at the latest. */
void qh_set_flate_later(qhpdf *h, HPDF_Dict d, const void *data, size_t n);
/* The same, taking data (malloc'd; freed here or by the worker): no copy. */
void qh_set_flate_later_take(qhpdf *h, HPDF_Dict d, void *data, size_t n);
/* Stream d, written whole and marked for libharu to deflate (zlib, at
 * the save, on the calling thread), handed to the worker instead, at
 * qh_flate_level; nothing is written to d after.  For one report's own
 * PDF: its CMaps, whose zlib state alone was ~25 page faults. */
void qh_flate_libharus(qhpdf *h, HPDF_Dict d);
/* Deflating that the caller collects itself, in the order it started
 * them (the save's object streams): data (malloc'd, n bytes) is taken.
 * qh_deflate_wait deflates queued jobs itself while the one it waits for
 * is on the worker, frees j and gives the deflated bytes (malloc'd, the
 * caller frees them) in *z: their length, or 0 when deflate failed.
 * Only after qh_flate_finish (no stream job may be queued). */
typedef struct zjob qh_zjob;
qh_zjob *qh_deflate_async(qhpdf *h, int level, unsigned char *data, size_t n, int memo);
size_t qh_deflate_wait(qhpdf *h, qh_zjob *j, unsigned char **z);
/* Every stream queued is in its dict (before the document is saved). */
void qh_flate_finish(qhpdf *h);
/* Stops the worker, drops what it had not done (the document is freed). */
void qh_flate_free(qhpdf *h);
/* data[0..n) deflated (zlib format) at level (1..12) into *out (of *cap
 * bytes, grown as needed) on the calling thread: its length, or 0. */
size_t qh_deflate(qhpdf *h, int level, const void *data, size_t n,
                  unsigned char **out, size_t *cap);
/* The version of libdeflate built with (1.14 has no call for it). */
const char *qh_libdeflate_version(void);

/* hpdf_font.c: the font's objects, once the document is complete. */
void qh_build_font(qhpdf *h, int id);

/* hpdf_struct.c: a parent tree entry (kind 0: a page's MCIDs, 1: an
 * annotation's element); MCID mcid of the current page marks element se
 * (its kids, its page, the page's parent-tree entry); 0 or -1. */
void qh_pt_add(qhpdf *h, int key, int kind, int a, int n);
/* Entries per leaf of the parent tree. */
enum { QH_PT_LEAF = 128 };
/* The leaf of entries [from, to) as its dictionary's keys, into b. */
void qh_pt_leaf_print(qhpdf *h, int from, int to, wbuf *b);
/* A number whose table entry is the one elements share (hpdf_struct.c),
 * for an object written early into an object stream; 0 on failure. */
unsigned qh_shared_number(qhpdf *h);
int qh_mark_placed(qhpdf *h, int se, int mcid);
/* hpdf_image.c: the name of image (name, img) on the current page, the
 * image made on its first use in the document; NULL when it cannot be. */
const char *qh_page_image(qhpdf *h, const char *name, const qimage *img);
/* hpdf_struct.c: a dict of our own (an element, a link): registered under
 * a new object number, empty for libharu (the shared own_list), written
 * by `write`, which prints its keys through the scratch buffer (qh_wb_*,
 * then qh_wb_flush).  Release takes it out of the cross-reference table
 * before libharu frees what is in it.  0, or -1 on failure. */
int qh_own_dict(qhpdf *h, HPDF_Dict_Rec *d,
                HPDF_STATUS (HPDF_STDCALL *write)(HPDF_Dict, HPDF_Stream));
void qh_own_dict_release(qhpdf *h, HPDF_Dict_Rec *d);
/* hpdf_struct.c: the elements' entries out of the table (qhpdf_free,
 * after every other release: the table is no longer by number then). */
void qh_se_release(qhpdf *h);
/* hpdf_struct.c: element se's keys into b (from its record, its
 * parent's, and its kids' numbers); 1 when se is still open to kids,
 * marks and attributes: not written early (hpdf_objstm.c), or an
 * element of the root. */
void qh_se_print(qhpdf *h, int se, wbuf *b);
int qh_se_open(qhpdf *h, int se);
/* Element se as an object of an object stream, "<<\n" keys ">>\n", into
 * b; an object stream's index, "number offset " for each of n objects,
 * into b (the buffer's writes inlined: they are most of the printing). */
void qh_se_put(qhpdf *h, int se, wbuf *b);
void qh_wb_index(wbuf *b, const uint32_t *num, const uint32_t *at, int n);
/* hpdf_objstm.c: the table entry of an element written early is its
 * object stream's: entry_typ QH_ENTRY_WRITTEN, the stream's number in
 * byte_offset, gen_no counting its elements as the save passes them in
 * number order (their order in the stream).  qh_written_row: that row
 * for entry x (type 2, stream, index); qh_se_bytes: what the element
 * records take, for records_bytes. */
enum { QH_ENTRY_WRITTEN = 'w' };
typedef struct qh_row { uint32_t f2; uint16_t f3; unsigned char type; } qh_row;
qh_row qh_written_row(HPDF_XrefEntry x);
void qh_ostm_free(qhpdf *h);
size_t qh_se_bytes(const qhpdf *h);
/* hpdf_deflate.c: qh_set_flate_later_take at another level (the object
 * streams' rather than page content's). */
void qh_set_flate_later_at(qhpdf *h, HPDF_Dict d, void *data, size_t n, int level);
/* The same for an element object stream of a unit: known (may be NULL)
 * the cached stream to use in its place when data is the same (its
 * deflated bytes taken from it either way), catch (may be NULL) where
 * the bytes go as they are given back (qpdf_ostms). */
void qh_set_flate_known(qhpdf *h, HPDF_Dict d, void *data, size_t n, int level,
                        qpdf_ostm *known, qpdf_ostms *catch);
/* A pack's own stream (a parent tree leaf; with memo 1 in
 * qh_deflate_async, the save's object streams), looked up in the last
 * build's (qhpdf_pack_streams) by its SHA-256 on the worker. */
void qh_set_flate_memo(qhpdf *h, HPDF_Dict d, void *data, size_t n, int level);
/* catch's streams all made and given back, every one the cached one: its
 * copies go (the entry's file is current). */
void qh_catch_settle(qpdf_ostms *catch);
/* hpdf_struct.c: what the shared element dict's hook prints next, as
 * libharu prints the dict ("<<\n" keys ">>"), into b, for the save's
 * object streams; 0, or -1 when every element is printed. */
int qh_se_put_shared(qhpdf *h, wbuf *b);
void qh_wb_put(wbuf *b, const char *s, size_t n);
void qh_wb_str(wbuf *b, const char *s);
void qh_wb_int(wbuf *b, long long v);
void qh_wb_ref(wbuf *b, const void *obj);
/* " N 0 R" without the space: the reference to object number num. */
void qh_wb_num(wbuf *b, unsigned num);
void qh_wb_real(wbuf *b, float v);
/* A PDF text string: a literal when PDFDocEncoding holds it, else UTF-16BE. */
void qh_wb_text(wbuf *b, const char *s);
/* s (UTF-8) in PDFDocEncoding into out (strlen(s) + 1 bytes, NUL-ended):
 * 0, or -1 when a character has no code there. */
int qh_pdfdoc(const char *s, char *out);
HPDF_STATUS qh_wb_flush(qhpdf *h, HPDF_Stream out);
/* hpdf_save.c (WORKAROUND 17): 1 when the document is saved with
 * object streams (plain output, not archive copies); the save itself into h->pdf->stream,
 * 0 or -1. */
int qh_can_compact(const qhpdf *h);
int qh_save_compact(qhpdf *h);
/* Object streams' output only: h->pdf->stream made for h->sink now, so
 * qh_early_write can write finished streams before the save; 0 or -1. */
int qh_early_start(qhpdf *h);
/* The streams finished so far (in number order), if qh_early_start. */
void qh_early_write(qhpdf *h);
/* The callback stream's writer into h->sink. */
HPDF_STATUS HPDF_STDCALL qh_to_sink(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n);
/* hpdf_retire.c (WORKAROUND 18): a placed page whose links are made
 * printed and its libharu objects freed (only while output is streamed,
 * qh_early_start); qh_stream_written: d went to the sink, freed if its
 * page was retired. */
void qh_retire_page(qhpdf *h, int page);
void qh_stream_written(qhpdf *h, HPDF_Dict d);
/* hpdf_deflate.c: 1 when d's data is final (deflated by qh_set_flate or
 * drained from the worker). */
int qh_is_deflated(HPDF_Dict d);
/* hpdf_outline.c: frees the outline records (after qh_own_dict_release). */
void qh_outlines_free(qhpdf *h);
/* hpdf_annot.c: frees the link records (after qh_own_dict_release). */
void qh_annots_free(qhpdf *h);

static inline int qh_code_on(const uint8_t *codes, unsigned c) {
    return (codes[c >> 3] >> (c & 7)) & 1;
}

static inline qhpdf_se *qh_se_rec(qhpdf *h, int i) {
    return &h->se_blocks[i / SE_BLOCK][i % SE_BLOCK];
}

static inline qhpdf_annot *qh_annot_rec(qhpdf *h, int i) {
    return &h->annot_blocks[i / ANNOT_BLOCK][i % ANNOT_BLOCK];
}

static inline qhpdf_oitem *qh_outline_rec(qhpdf *h, int i) {
    return &h->outline_blocks[i / OUTLINE_BLOCK][i % OUTLINE_BLOCK];
}
#endif
