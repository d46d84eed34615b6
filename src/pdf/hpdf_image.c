/* Images for the libharu adapter (WORKAROUND 8): a PNG's structure is
 * checked (util/image) before libharu sees it (a damaged one makes
 * libharu's libpng callback abort the process). */
#include "hpdf_private.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 = PNG, 2 = JPEG, 0 = neither, damaged or unreadable: util/image
 * reads the headers (the same reader layout sized the image with), and a
 * PNG's whole chunk structure is checked before libharu sees it.
 * WORKAROUND 8: libharu's libpng error callback returns instead of
 * jumping out, so libpng aborts the whole process on a damaged PNG
 * ("libpng error: ... invalid chunk type"); qimg_png_ok catches truncated
 * and damaged files, and only a deliberately crafted file (valid CRCs over
 * a broken deflate stream) can still reach libpng. */
static int image_type(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    int type = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && size <= (64L << 20) && fseek(f, 0, SEEK_SET) == 0) {
            unsigned char *b = malloc((size_t)size);
            qimg_info info;
            if (b && fread(b, 1, (size_t)size, f) == (size_t)size &&
                qimg_read_mem(b, (size_t)size, &info) == 0) {
                if (info.type == QIMG_JPEG) type = 2; /* libharu parses it */
                else if (info.type == QIMG_PNG && qimg_png_ok(b, (size_t)size)) type = 1;
            }
            free(b);
        }
    }
    fclose(f);
    return type;
}

static HPDF_Image load_image(qhpdf *h, const char *path) {
    for (int i = 0; i < h->nimages; i++)
        if (strcmp(h->images[i].path, path) == 0) return h->images[i].image;
    HPDF_Image img = NULL;
    int t = image_type(path);
    if (t == 1) img = HPDF_LoadPngImageFromFile(h->pdf, path);
    else if (t == 2) img = HPDF_LoadJpegImageFromFile(h->pdf, path);
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
    h->images[h->nimages].path = qh_xstrdup(path);
    h->images[h->nimages].image = img;
    h->images[h->nimages].lost_alpha = lost_alpha;
    h->nimages++;
    return img;
}

int qhpdf_image(qhpdf *h, const char *path, float x, float y, float w,
                float ht) {
    if (h->err || !h->page) return 0;
    qh_end_text(h);
    HPDF_Image img = load_image(h, path);
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
