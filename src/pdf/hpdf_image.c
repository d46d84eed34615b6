/* Images for the libharu adapter (WORKAROUND 8): a PNG's structure is
 * checked (util/image) before libharu sees it (a damaged one makes
 * libharu's libpng callback abort the process).  Every image reaches
 * libharu from memory: a document's as the loader read it, a logo read
 * here. */
#include "hpdf_private.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 = PNG, 2 = JPEG, 0 = neither or damaged: util/image reads the
 * headers (the same reader layout sized the image with), and a PNG's
 * whole chunk structure is checked before libharu sees it.
 * WORKAROUND 8: libharu's libpng error callback returns instead of
 * jumping out, so libpng aborts the whole process on a damaged PNG
 * ("libpng error: ... invalid chunk type"); qimg_png_ok catches truncated
 * and damaged files, and only a deliberately crafted file (valid CRCs over
 * a broken deflate stream) can still reach libpng. */
static int image_type(const unsigned char *b, size_t n) {
    qimg_info info;
    if (!b || qimg_read_mem(b, n, &info) != 0) return 0;
    if (info.type == QIMG_JPEG) return 2; /* libharu parses it */
    return info.type == QIMG_PNG && qimg_png_ok(b, n) ? 1 : 0;
}

/* A file drawn by path (a style's logo; a document's images come in
 * memory, read by the loader): malloc'd, NULL when unreadable or over
 * QIMG_MAX_BYTES. */
static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *b = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size > 0 && (unsigned long)size <= QIMG_MAX_BYTES &&
        fseek(f, 0, SEEK_SET) == 0) {
        b = malloc((size_t)size);
        if (b && fread(b, 1, (size_t)size, f) != (size_t)size) {
            free(b);
            b = NULL;
        }
    }
    fclose(f);
    *len = b ? (size_t)size : 0;
    return b;
}

/* Each image once per document, by name (a report's image that is also
 * the style's logo file is one XObject).  libharu 2.3.0's *FromMem copy
 * the bytes into a memory stream and decode them at once (no delayed
 * loading), so mem need not outlive the call; they give the same objects
 * as *FromFile, which read the same bytes through a file stream. */
static HPDF_Image load_image(qhpdf *h, const char *name,
                             const unsigned char *mem, size_t len,
                             int from_file) {
    for (int i = 0; i < h->nimages; i++)
        if (strcmp(h->images[i].path, name) == 0) return h->images[i].image;
    unsigned char *owned = from_file ? read_file(name, &len) : NULL;
    if (from_file) mem = owned;
    HPDF_Image img = NULL;
    int t = len <= QIMG_MAX_BYTES ? image_type(mem, len) : 0;
    if (t == 1) img = HPDF_LoadPngImageFromMem(h->pdf, mem, (HPDF_UINT)len);
    else if (t == 2) img = HPDF_LoadJpegImageFromMem(h->pdf, mem, (HPDF_UINT)len);
    free(owned);
    if (h->err) {
        /* A bad image costs the image, not the document. */
        img = NULL;
        h->err = 0;
        h->detail = 0;
        HPDF_ResetError(h->pdf);
    }
    if (h->nimages == h->cap_images) {
        h->cap_images = h->cap_images ? h->cap_images * 2 : 8;
        h->images = qh_xrealloc(h->images,
                             (size_t)h->cap_images * sizeof *h->images);
    }
    int lost_alpha = 0;
    if (img && h->archive == 1 && HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT)) {
        /* PDF/A-1 allows no transparency: the colours stay, the alpha
         * channel goes (the orphaned mask object is harmless). */
        HPDF_Dict_RemoveElement(img, "SMask");
        lost_alpha = 1;
    }
    h->images[h->nimages].path = qh_xstrdup(name);
    h->images[h->nimages].image = img;
    h->images[h->nimages].lost_alpha = lost_alpha;
    h->nimages++;
    return img;
}

static int place(qhpdf *h, HPDF_Image img, float x, float y, float w,
                 float ht) {
    if (!img) return -1;
    const char *name = HPDF_Page_GetXObjectName(h->page, img);
    if (!name || h->err) {
        qh_fail(h, HPDF_PAGE_INVALID_XOBJECT);
        return -1;
    }
    qh_cs_put(h, "q\n", 2);
    qh_cs_num(h, w, 3, ' ');
    qh_cs_put(h, "0 0 ", 4);
    qh_cs_num(h, ht, 3, ' ');
    qh_cs_num(h, x, 3, ' ');
    qh_cs_num(h, y, 3, ' ');
    qh_cs_put(h, "cm\n/", 4);
    qh_cs_str(h, name);
    qh_cs_put(h, " Do\nQ\n", 7);
    for (int i = 0; i < h->nimages; i++)
        if (h->images[i].image == img && h->images[i].lost_alpha) return 1;
    return 0;
}

int qhpdf_image(qhpdf *h, const char *path, float x, float y, float w,
                float ht) {
    if (h->err || !h->page) return 0;
    qh_end_text(h);
    return place(h, load_image(h, path, NULL, 0, 1), x, y, w, ht);
}

int qhpdf_image_mem(qhpdf *h, const char *name, const unsigned char *bytes,
                    size_t len, float x, float y, float w, float ht) {
    if (h->err || !h->page) return 0;
    qh_end_text(h);
    return place(h, load_image(h, name, bytes, len, 0), x, y, w, ht);
}
