#!/usr/bin/python3
"""Image files for the image tests (issue 12), written by hand with zlib and
struct so that every byte is known.

usage: make_images.py damaged DIR   the damaged PNGs and JPEGs that
                                    tests/invalid/images/ holds (committed;
                                    run again to regenerate them)
       make_images.py valid DIR     valid PNGs of every kind other decoders
                                    read (interlaced, 16-bit, colour key,
                                    palette with alpha ...), and for each
                                    NAME.png the pixels a reader must get,
                                    8-bit RGBA, in NAME.rgba
       make_images.py bomb FILE W H a valid 1-bit grey PNG of W x H pixels,
                                    a few kilobytes that decode to W*H
       make_images.py jpegs DIR     JPEGs made with PIL (grey, RGB,
                                    progressive, CMYK) and NAME.rgba for each
                                    (tests/unit/data/cmyk.jpg is its CMYK)
"""
import os
import struct
import sys
import zlib

SIG = b"\x89PNG\r\n\x1a\n"


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def ihdr(w, h, depth, ctype, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))


CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7: (x0, y0, dx, dy) of each pass
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def scanline(samples, depth):
    """One row of samples (flat list) packed at depth, with filter byte 0."""
    if depth == 16:
        return b"\0" + b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return b"\0" + bytes(samples)
    out, acc, nbits = bytearray(), 0, 0
    for s in samples:
        acc = acc << depth | s
        nbits += depth
        if nbits == 8:
            out.append(acc)
            acc, nbits = 0, 0
    if nbits:
        out.append(acc << (8 - nbits))
    return b"\0" + bytes(out)


def raw_data(pixels, w, h, depth, interlace):
    """pixels[y][x] is a tuple of samples; the filtered, uninterlaced or
    Adam7 image data before compression."""
    if not interlace:
        return b"".join(scanline([s for p in pixels[y] for s in p], depth) for y in range(h))
    out = b""
    for x0, y0, dx, dy in ADAM7:
        xs = range(x0, w, dx)
        if not len(xs):
            continue
        for y in range(y0, h, dy):
            out += scanline([s for x in xs for s in pixels[y][x]], depth)
    return out


def png(w, h, depth, ctype, pixels, interlace=0, plte=None, trns=None):
    out = SIG + ihdr(w, h, depth, ctype, interlace)
    if plte is not None:
        out += chunk(b"PLTE", b"".join(bytes(c) for c in plte))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    out += chunk(b"IDAT", zlib.compress(raw_data(pixels, w, h, depth, interlace), 9))
    return out + chunk(b"IEND", b"")


def to8(v, depth):
    """A sample scaled to 8 bits the way a reader must: bit replication
    for low depths, rounding for 16."""
    if depth == 16:
        return (v * 255 + 32767) // 65535
    return v * 255 // ((1 << depth) - 1)


# ---- damaged files ------------------------------------------------------

def damaged(d):
    os.makedirs(d, exist_ok=True)
    files = {}
    one = zlib.compress(b"\0\0")  # one row: filter 0, one 8-bit sample
    # colour type 3 without PLTE
    files["no-plte.png"] = SIG + ihdr(1, 1, 8, 3) + chunk(b"IDAT", one) + chunk(b"IEND", b"")
    # filter type 7 on the second row
    rows = b"\0" + bytes(12) + b"\7" + bytes(12) + b"\0" + bytes(12) + b"\0" + bytes(12)
    files["bad-filter.png"] = (SIG + ihdr(4, 4, 8, 2) + chunk(b"IDAT", zlib.compress(rows))
                               + chunk(b"IEND", b""))
    # width 2^31: over the largest a PNG may have
    files["width-2g.png"] = (SIG + ihdr(0x80000000, 1, 8, 0) + chunk(b"IDAT", one)
                             + chunk(b"IEND", b""))
    # 1,000,001 x 1,000,001: over libpng's default limits and any pixel
    # limit; the data is a single row, so a reader that decodes before
    # it looks at the size fails on the data instead
    files["million.png"] = (SIG + ihdr(1000001, 1000001, 1, 0)
                            + chunk(b"IDAT", zlib.compress(b"\0" + bytes(125001)))
                            + chunk(b"IEND", b""))
    # a valid zlib stream holding 3 of the 8 rows
    files["few-rows.png"] = (SIG + ihdr(8, 8, 8, 0)
                             + chunk(b"IDAT", zlib.compress((b"\0" + bytes(8)) * 3))
                             + chunk(b"IEND", b""))
    # garbage where the deflate data should be, under a right CRC
    garbage = b"\x78\x9c" + bytes((i * 73 + 41) & 0xFF for i in range(40))
    files["garbage-deflate.png"] = (SIG + ihdr(8, 8, 8, 2) + chunk(b"IDAT", garbage)
                                    + chunk(b"IEND", b""))
    # JPEG: start of image and nothing else
    files["soi-only.jpg"] = b"\xFF\xD8"
    jpeg = grey_jpeg()
    # a frame of 0 x 0 pixels
    sof = jpeg.index(b"\xFF\xC0")
    files["zero-sof.jpg"] = jpeg[:sof + 5] + b"\0\0\0\0" + jpeg[sof + 9:]
    # cut in the middle of the scan data
    files["truncated.jpg"] = jpeg[:len(jpeg) - 40]
    # SOI then noise
    files["garbage.jpg"] = b"\xFF\xD8\xFF" + bytes((i * 151 + 7) & 0xFF for i in range(200))
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def jpeg_segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def luminance_tables():
    """DHT segments: the standard luminance DC and AC Huffman tables (ITU
    T.81 K.3) as tables 0."""
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    ac_bits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
    ac_vals = bytes.fromhex(
        "01020300041105122131410613516107227114328191a1082342b1c11552d1f024336272"
        "82090a161718191a25262728292a3435363738393a434445464748494a53545556575859"
        "5a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3"
        "a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2"
        "e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa")
    return (jpeg_segment(0xC4, b"\x00" + bytes(dc_bits) + bytes(range(12))) +
            jpeg_segment(0xC4, b"\x10" + bytes(ac_bits) + ac_vals))


def grey_jpeg():
    """A 64 x 64 grey baseline JPEG with some detail in every block (hand
    made, like tests/unit/data/wide_jpeg.py): the scan is long enough that
    cutting 40 bytes loses whole blocks."""
    out = b"\xFF\xD8"
    out += jpeg_segment(0xDB, b"\x00" + bytes([8] * 64))
    out += jpeg_segment(0xC0, b"\x08" + struct.pack(">HH", 64, 64) + b"\x01\x01\x11\x00")
    out += luminance_tables()
    out += jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3F\x00")
    # 64 blocks: DC difference +1 (category 1: code "010", bit "1"), then
    # AC run 0 size 1 value 1 ("00" + "1") twice, then EOB ("1010")
    bits = "0101" + "001001" + "1010"
    stream = bits * 64
    stream += "1" * (-len(stream) % 8)
    data = bytes(int(stream[i:i + 8], 2) for i in range(0, len(stream), 8))
    data = data.replace(b"\xFF", b"\xFF\x00")
    return out + data + b"\xFF\xD9"


# ---- valid files ----------------------------------------------------------

def valid(d):
    os.makedirs(d, exist_ok=True)
    cases = {}
    # RGBA, 16 bits, interlaced (the file libharu freed twice)
    w, h = 37, 23
    px = [[((x * 1771) & 0xFFFF, (y * 2849) & 0xFFFF, ((x + y) * 997) & 0xFFFF,
            0xFFFF if x < 10 else (x * 1800) & 0xFFFF) for x in range(w)] for y in range(h)]
    cases["rgba16-interlaced"] = (png(w, h, 16, 6, px, interlace=1), w, h,
                                  [[tuple(to8(s, 16) for s in p) for p in r] for r in px])
    # RGB, 8 bits, interlaced
    w, h = 29, 17
    px = [[(x * 8, y * 15, 255 - x * 8) for x in range(w)] for y in range(h)]
    cases["rgb8-interlaced"] = (png(w, h, 8, 2, px, interlace=1), w, h,
                                [[p + (255,) for p in r] for r in px])
    # RGB with a colour key (tRNS): the key's pixels are transparent
    w, h = 16, 12
    px = [[(200, 30, 30) if (x // 4 + y // 4) % 2 else (20, 120, 220) for x in range(w)]
          for y in range(h)]
    cases["rgb-trns"] = (png(w, h, 8, 2, px, trns=struct.pack(">HHH", 200, 30, 30)), w, h,
                         [[p + ((0,) if p == (200, 30, 30) else (255,)) for p in r] for r in px])
    # palette, 4 bits, with an alpha per entry
    w, h = 20, 10
    pal = [(i * 17, 255 - i * 17, (i * 50) & 255) for i in range(16)]
    alpha = [i * 17 for i in range(12)]  # entries 12..15 opaque
    px = [[((x + y) % 16,) for x in range(w)] for y in range(h)]
    cases["palette-alpha"] = (png(w, h, 4, 3, px, plte=pal, trns=bytes(alpha)), w, h,
                              [[pal[p[0]] + ((alpha[p[0]] if p[0] < 12 else 255),)
                                for p in r] for r in px])
    # grey, 2 bits, interlaced
    w, h = 13, 11
    px = [[((x + 2 * y) % 4,) for x in range(w)] for y in range(h)]
    cases["grey2-interlaced"] = (png(w, h, 2, 0, px, interlace=1), w, h,
                                 [[(to8(p[0], 2),) * 3 + (255,) for p in r] for r in px])
    # grey, 16 bits, with a colour key
    w, h = 9, 9
    px = [[(((x * 9 + y) * 811) & 0xFFFF,) for x in range(w)] for y in range(h)]
    key = px[4][4][0]
    cases["grey16-trns"] = (png(w, h, 16, 0, px, trns=struct.pack(">H", key)), w, h,
                            [[(to8(p[0], 16),) * 3 + ((0,) if p[0] == key else (255,))
                              for p in r] for r in px])
    # grey and alpha, 8 bits
    w, h = 12, 8
    px = [[(x * 20, y * 36) for x in range(w)] for y in range(h)]
    cases["grey-alpha"] = (png(w, h, 8, 4, px), w, h,
                           [[(p[0],) * 3 + (p[1],) for p in r] for r in px])
    # palette, 1 bit, opaque
    w, h = 10, 6
    pal = [(10, 60, 110), (250, 240, 20)]
    px = [[((x * y) % 2,) for x in range(w)] for y in range(h)]
    cases["palette1"] = (png(w, h, 1, 3, px, plte=pal), w, h,
                         [[pal[p[0]] + (255,) for p in r] for r in px])
    # RGBA, 8 bits, every pixel opaque: drawn without a soft mask
    w, h = 8, 8
    px = [[(x * 30, y * 30, 90, 255) for x in range(w)] for y in range(h)]
    cases["rgba-opaque"] = (png(w, h, 8, 6, px), w, h, px)
    for name, (data, w, h, rgba) in cases.items():
        with open(os.path.join(d, name + ".png"), "wb") as f:
            f.write(data)
        write_rgba(os.path.join(d, name + ".rgba"), w, h, rgba)


def write_rgba(path, w, h, rows):
    with open(path, "wb") as f:
        f.write(struct.pack(">II", w, h))
        for r in rows:
            for p in r:
                f.write(bytes(p))


def bomb(path, w, h):
    """1-bit grey, all black, compressed in pieces so that making it costs
    little memory."""
    z = zlib.compressobj(9)
    row = b"\0" + bytes((w + 7) // 8)
    parts = []
    block = row * max(1, (1 << 20) // len(row))
    rows_per = len(block) // len(row)
    left = h
    while left > 0:
        n = min(left, rows_per)
        parts.append(z.compress(row * n if n < rows_per else block))
        left -= n
    parts.append(z.flush())
    data = b"".join(parts)
    out = SIG + ihdr(w, h, 1, 0)
    for i in range(0, len(data), 1 << 20):
        out += chunk(b"IDAT", data[i:i + (1 << 20)])
    with open(path, "wb") as f:
        f.write(out + chunk(b"IEND", b""))


def jpegs(d):
    """Made with PIL (python3-pil): solid quarters, so lossy coding keeps
    each colour within a few levels of what was written."""
    from PIL import Image
    os.makedirs(d, exist_ok=True)
    w, h = 32, 32

    def quarters(mode, cols):
        im = Image.new(mode, (w, h))
        for i, c in enumerate(cols):
            x0, y0 = (i % 2) * 16, (i // 2) * 16
            for y in range(y0, y0 + 16):
                for x in range(x0, x0 + 16):
                    im.putpixel((x, y), c)
        return im
    rgb = [(220, 40, 40), (40, 200, 60), (30, 60, 210), (240, 240, 240)]
    # CMYK ink, and what it is on screen: full cyan, magenta, yellow, black
    cmyk = [(255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 0), (0, 0, 0, 255)]
    cmyk_rgb = [(0, 255, 255), (255, 0, 255), (255, 255, 0), (0, 0, 0)]
    grey = [30, 100, 170, 240]
    made = {
        "rgb": (quarters("RGB", rgb), {}, rgb),
        "progressive": (quarters("RGB", rgb), {"progressive": True}, rgb),
        "grey": (quarters("L", grey), {}, [(g, g, g) for g in grey]),
        "cmyk": (quarters("CMYK", cmyk), {}, cmyk_rgb),
    }
    for name, (im, opts, want) in made.items():
        im.save(os.path.join(d, name + ".jpg"), "JPEG", quality=95, subsampling=0, **opts)
        rows = [[want[(y // 16) * 2 + x // 16] + (255,) for x in range(w)] for y in range(h)]
        write_rgba(os.path.join(d, name + ".rgba"), w, h, rows)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "damaged":
        damaged(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "valid":
        valid(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "bomb":
        bomb(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "jpegs":
        jpegs(sys.argv[2])
    else:
        sys.exit(__doc__)
