/* Images for the libharu adapter (WORKAROUND 8).  libharu's own loaders
 * parse the files: its PNG loader hands libpng an error callback that
 * returns (libpng then aborts the process), frees an object twice on an
 * interlaced 16-bit file, refuses other interlaced files and fails a
 * colour key as "out of memory"; its JPEG loader reads the first frame
 * header it meets and nothing else.  So libharu never sees an image file:
 * every image arrives decoded and validated (src/image), and its XObject
 * is made here with the object API, the way HPDF_LoadRawImageFromMem and
 * HPDF_Image_AddSMask make theirs (hpdf_image.c in 2.3.0): 8-bit grey or
 * RGB samples deflated as content streams are (qh_set_flate), the alpha
 * channel as a grey soft mask, or a JPEG's own bytes under /DCTDecode. */
#include "hpdf_private.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An image XObject with its data still to come. */
static HPDF_Dict new_xobject(qhpdf *h, const qimage *im, const char *cs) {
    HPDF_Dict d = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
    if (!d) return NULL;
    d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    HPDF_Dict_AddName(d, "Type", "XObject");
    HPDF_Dict_AddName(d, "Subtype", "Image");
    HPDF_Dict_AddNumber(d, "Width", (HPDF_INT32)im->w);
    HPDF_Dict_AddNumber(d, "Height", (HPDF_INT32)im->h);
    HPDF_Dict_AddName(d, "ColorSpace", cs);
    HPDF_Dict_AddNumber(d, "BitsPerComponent", 8);
    return h->err ? NULL : d;
}

/* PDF/A-1 (archive 1) allows no soft mask: the alpha is applied onto
 * white instead, which is how the page would show it. */
static HPDF_Image make_image(qhpdf *h, const qimage *im) {
    HPDF_Dict d = new_xobject(h, im, im->comps == 1 ? "DeviceGray" : "DeviceRGB");
    if (!d) return NULL;
    if (im->dct) {
        d->filter = HPDF_STREAM_FILTER_DCT_DECODE;
        if (HPDF_Stream_Write(d->stream, im->dct, (HPDF_UINT)im->dct_len) != HPDF_OK)
            qh_fail(h, HPDF_FAILD_TO_ALLOC_MEM);
        return h->err ? NULL : d;
    }
    size_t px = (size_t)im->w * im->h, n = px * im->comps;
    if (im->alpha && h->archive == 1) {
        unsigned char *flat = qh_xrealloc(NULL, n);
        qimage_on_white(im, flat);
        qh_set_flate(h, d, flat, n);
        free(flat);
        return h->err ? NULL : d;
    }
    qh_set_flate(h, d, im->pixels, n);
    if (im->alpha) {
        HPDF_Dict mask = new_xobject(h, im, "DeviceGray");
        if (!mask) return NULL;
        qh_set_flate(h, mask, im->alpha, px);
        HPDF_Image_AddSMask(d, mask);
    }
    return h->err ? NULL : d;
}

/* Each image once per document, by name and pixels (a report's image
 * that is also the style's logo file is one XObject). */
static const qhpdf_img *load_image(qhpdf *h, const char *name, const qimage *im) {
    for (int i = 0; i < h->nimages; i++)
        if (strcmp(h->images[i].path, name) == 0 && qimage_same(h->images[i].src, im))
            return &h->images[i];
    /* deflate takes at most UINT_MAX bytes in one call */
    size_t n = (size_t)im->w * im->h * im->comps;
    HPDF_Image img = n <= UINT_MAX ? make_image(h, im) : NULL;
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
    qhpdf_img *e = &h->images[h->nimages++];
    e->path = qh_xstrdup(name);
    e->src = im;
    e->image = img;
    e->lost_alpha = im->alpha && h->archive == 1;
    return e;
}

const char *qh_page_image(qhpdf *h, const char *name, const qimage *img) {
    if (h->err || !h->page || !img) return NULL;
    const qhpdf_img *e = load_image(h, name, img);
    if (!e->image) return NULL;
    const char *xname = HPDF_Page_GetXObjectName(h->page, e->image);
    return h->err ? NULL : xname;
}
