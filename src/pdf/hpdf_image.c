/* Images for the libharu adapter (WORKAROUND 8): a PNG's structure is
 * checked before libharu sees it (a damaged one makes libharu's libpng
 * callback abort the process). */
#include "hpdf_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t crc32_png(const unsigned char *p, size_t n) {
    uint32_t table[256]; /* per call: cheap next to reading the file */
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* WORKAROUND 8: libharu's libpng error callback returns instead of
 * jumping out, so libpng aborts the whole process on a damaged PNG
 * ("libpng error: ... invalid chunk type").  Before libharu sees a PNG,
 * its chunk structure is checked here: signature, a sane IHDR first, every
 * chunk's length and CRC, at least one IDAT, IEND at the end.  That
 * catches truncated and damaged files; only a deliberately crafted file
 * (valid CRCs over a broken deflate stream) can still reach libpng. */
static int png_ok(const unsigned char *b, size_t n) {
    if (n < 8 + 25 + 12 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) return 0;
    size_t pos = 8;
    int idat = 0, first = 1;
    while (pos + 12 <= n) {
        uint32_t len = be32(b + pos);
        const unsigned char *type = b + pos + 4;
        if (len > n - pos - 12) return 0;
        if (crc32_png(type, (size_t)len + 4) != be32(b + pos + 8 + len)) return 0;
        if (first) {
            if (memcmp(type, "IHDR", 4) != 0 || len != 13) return 0;
            const unsigned char *h = b + pos + 8;
            unsigned depth = h[8], color = h[9];
            if (be32(h) == 0 || be32(h + 4) == 0 || h[10] || h[11] || h[12] > 1)
                return 0;
            int ok = (color == 0 && (depth == 1 || depth == 2 || depth == 4 ||
                                     depth == 8 || depth == 16)) ||
                     (color == 3 && (depth == 1 || depth == 2 || depth == 4 ||
                                     depth == 8)) ||
                     ((color == 2 || color == 4 || color == 6) &&
                      (depth == 8 || depth == 16));
            if (!ok) return 0;
            first = 0;
        }
        if (memcmp(type, "IDAT", 4) == 0) idat = 1;
        if (memcmp(type, "IEND", 4) == 0) return idat;
        pos += (size_t)len + 12;
    }
    return 0;
}

/* 1 = PNG, 2 = JPEG, 0 = neither, damaged or unreadable. */
static int image_type(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char head[8] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    int type = 0;
    if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) {
        type = 2; /* libharu parses JPEG itself and reports errors */
    } else if (n == 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0 &&
               fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && size <= (64L << 20) && fseek(f, 0, SEEK_SET) == 0) {
            unsigned char *b = malloc((size_t)size);
            if (b && fread(b, 1, (size_t)size, f) == (size_t)size &&
                png_ok(b, (size_t)size))
                type = 1;
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
