#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const unsigned char PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* Both formats are read through this, from memory or from a file, so a
 * JPEG's segments can be skipped with seeks instead of reading the file. */
typedef struct src {
    const unsigned char *mem; size_t n;  /* memory, or */
    FILE *f;                             /* a file */
} src;

static int read_at(src *s, long off, unsigned char *buf, size_t len) {
    if (off < 0) return -1;
    if (!s->f) {
        if ((size_t)off > s->n || len > s->n - (size_t)off) return -1;
        memcpy(buf, s->mem + off, len);
        return 0;
    }
    if (fseek(s->f, off, SEEK_SET) != 0) return -1;
    return fread(buf, 1, len, s->f) == len ? 0 : -1;
}

static uint32_t be32(const unsigned char *b) {
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

qimg_type qimg_sniff(const unsigned char *b, size_t n) {
    if (n >= 8 && memcmp(b, PNG_SIG, 8) == 0) return QIMG_PNG;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return QIMG_JPEG;
    return QIMG_NONE;
}

/* IHDR data (13 bytes): the combinations of depth and colour type the PNG
 * specification allows, compression and filter method 0, interlace 0/1. */
static int ihdr_ok(const unsigned char *h) {
    uint32_t w = be32(h), ht = be32(h + 4);
    unsigned depth = h[8], color = h[9];
    if (w == 0 || ht == 0 || w > 0x7FFFFFFFu || ht > 0x7FFFFFFFu) return 0;
    if (h[10] || h[11] || h[12] > 1) return 0;
    int d124 = depth == 1 || depth == 2 || depth == 4;
    return (color == 0 && (d124 || depth == 8 || depth == 16)) ||
           (color == 3 && (d124 || depth == 8)) ||
           ((color == 2 || color == 4 || color == 6) && (depth == 8 || depth == 16));
}

/* PNG's CRC-32 (ISO 3309).  zlib has one, but zlib belongs to the PDF
 * writer's folder; the table is rebuilt per call, which costs less than
 * reading the file it checks. */
static uint32_t chunk_crc(const unsigned char *type_and_data, size_t n) {
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ type_and_data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* The signature is followed by IHDR: length 13, type, data, CRC. */
static int png_size(src *s, qimg_info *info) {
    unsigned char c[8 + 13 + 4];
    if (read_at(s, 8, c, sizeof c) != 0) return -2;
    if (be32(c) != 13 || memcmp(c + 4, "IHDR", 4) != 0) return -2;
    if (!ihdr_ok(c + 8) || chunk_crc(c + 4, 4 + 13) != be32(c + 8 + 13)) return -2;
    info->w = be32(c + 8);
    info->h = be32(c + 12);
    return 0;
}

/* SOF0-SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share
 * the range but are not frames. */
static int is_sof(unsigned m) {
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Walks the marker segments after SOI: a marker is FF (any number of FF
 * fill bytes) then its code; RSTn and TEM stand alone; every other
 * segment has a 2-byte length that counts itself.  The image data starts
 * at SOS, so a frame header must come before it. */
static int jpeg_size(src *s, qimg_info *info) {
    long pos = 2;
    for (int guard = 0; guard < 10000; guard++) {
        unsigned char m[2];
        if (read_at(s, pos, m, 1) != 0 || m[0] != 0xFF) return -2;
        do {
            if (read_at(s, ++pos, m + 1, 1) != 0) return -2;
        } while (m[1] == 0xFF);
        pos++;
        unsigned code = m[1];
        if (code == 0x00) return -2;                  /* stuffed byte: not a marker */
        if ((code >= 0xD0 && code <= 0xD7) || code == 0x01) continue;
        if (code == 0xD8 || code == 0xD9 || code == 0xDA) return -2; /* no frame yet */
        unsigned char l[2];
        if (read_at(s, pos, l, 2) != 0) return -2;
        unsigned len = (unsigned)l[0] << 8 | l[1];
        if (len < 2) return -2;
        if (is_sof(code)) {
            unsigned char f[6]; /* precision, height, width, components */
            if (len < 8 || read_at(s, pos + 2, f, 6) != 0) return -2;
            unsigned h = (unsigned)f[1] << 8 | f[2], w = (unsigned)f[3] << 8 | f[4];
            /* height 0 defers to a DNL marker, which nothing here reads */
            if (w == 0 || h == 0 || f[5] == 0 || len != 8u + 3u * f[5]) return -2;
            info->w = w;
            info->h = h;
            return 0;
        }
        pos += (long)len;
    }
    return -2;
}

static int read_src(src *s, qimg_info *info) {
    unsigned char head[8] = {0};
    size_t n = 8;
    if (!s->f && s->n < n) n = s->n;
    if (s->f) n = fread(head, 1, sizeof head, s->f);
    else memcpy(head, s->mem, n);
    info->type = qimg_sniff(head, n);
    int r = info->type == QIMG_PNG ? png_size(s, info)
          : info->type == QIMG_JPEG ? jpeg_size(s, info) : -2;
    if (r != 0) info->w = info->h = 0;
    return r;
}

int qimg_read_mem(const unsigned char *b, size_t n, qimg_info *info) {
    memset(info, 0, sizeof *info);
    src s = {b, b ? n : 0, NULL};
    return read_src(&s, info);
}

int qimg_read_file(const char *path, qimg_info *info) {
    memset(info, 0, sizeof *info);
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return -1;
    src s = {NULL, 0, f};
    int r = read_src(&s, info);
    fclose(f);
    return r;
}

int qimg_png_ok(const unsigned char *b, size_t n) {
    if (n < 8 + 25 + 12 || memcmp(b, PNG_SIG, 8) != 0) return 0;
    size_t pos = 8;
    int idat = 0, first = 1;
    while (pos + 12 <= n) {
        uint32_t len = be32(b + pos);
        const unsigned char *type = b + pos + 4;
        if (len > n - pos - 12) return 0;
        if (chunk_crc(type, (size_t)len + 4) != be32(b + pos + 8 + len)) return 0;
        if (first) {
            if (memcmp(type, "IHDR", 4) != 0 || len != 13 || !ihdr_ok(b + pos + 8)) return 0;
            first = 0;
        }
        if (memcmp(type, "IDAT", 4) == 0) idat = 1;
        if (memcmp(type, "IEND", 4) == 0) return idat;
        pos += (size_t)len + 12;
    }
    return 0;
}
