#!/usr/bin/python3
"""Writes the seed images of the image fuzz harness (tests/fuzz/fuzz_image.c)
into tests/fuzz/corpus/image/: small valid PNGs of every colour type and
depth, interlaced or not, and JPEGs (grey, RGB, CMYK, progressive).

PNGs are made here (zlib, struct); JPEGs by libjpeg-turbo's TurboJPEG
library (Debian: libturbojpeg0), called through ctypes.  The files are
committed, so the fuzz run needs neither; run this again only to change
them.  The seeds in HELD_BACK crash quorum today (libharu: interlaced
images with alpha, an RGB colour key): they are written only with --all
until their fix is on main, since the replay test (fuzz_replay_image)
runs every seed.

usage: make_image_corpus.py [--all] [OUT_DIR]
"""
import ctypes
import ctypes.util
import os
import struct
import sys
import zlib

HELD_BACK = {"gray-alpha8-interlaced.png", "rgba8-interlaced.png",
             "rgba16-interlaced.png", "rgb8-trns.png"}

W, H = 7, 5  # odd sizes leave some Adam7 passes empty, as real files do

# Adam7: (x start, y start, x step, y step) of each pass
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def sample(x, y, c, depth):
    """A pattern that changes along both axes and between channels."""
    top = (1 << depth) - 1
    return (x * 37 + y * 91 + c * 53) % (top + 1)


def row_bytes(pixels, depth):
    """Packs a row of samples (each < 2**depth) MSB first."""
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in pixels)
    if depth == 8:
        return bytes(pixels)
    out, acc, bits = bytearray(), 0, 0
    for v in pixels:
        acc = (acc << depth) | v
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def scanlines(xs, ys, ctype, depth, palette_size):
    raw = bytearray()
    for y in ys:
        samples = []
        for x in xs:
            for c in range(CHANNELS[ctype]):
                v = sample(x, y, c, depth)
                if ctype == 3:
                    v %= palette_size
                samples.append(v)
        raw += b"\0" + row_bytes(samples, depth)  # filter type 0 (None)
    return bytes(raw)


def png(ctype, depth, interlace=0, extra=b"", palette_size=0):
    ihdr = struct.pack(">IIBBBBB", W, H, depth, ctype, 0, 0, interlace)
    if interlace:
        raw = b"".join(
            scanlines(range(x0, W, dx), range(y0, H, dy), ctype, depth, palette_size)
            for x0, y0, dx, dy in ADAM7 if x0 < W and y0 < H)
    else:
        raw = scanlines(range(W), range(H), ctype, depth, palette_size)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def palette(n):
    return chunk(b"PLTE", bytes(v for i in range(n)
                                for v in ((i * 40) % 256, (i * 90) % 256, (i * 150) % 256)))


def pngs():
    yield "gray1.png", png(0, 1)
    yield "gray2.png", png(0, 2)
    yield "gray4.png", png(0, 4)
    yield "gray8.png", png(0, 8)
    yield "gray16.png", png(0, 16)
    yield "gray-alpha8.png", png(4, 8)
    yield "gray-alpha16.png", png(4, 16)
    yield "rgb8.png", png(2, 8)
    yield "rgb16.png", png(2, 16)
    yield "rgba8.png", png(6, 8)
    yield "rgba16.png", png(6, 16)
    yield "palette1.png", png(3, 1, extra=palette(2), palette_size=2)
    yield "palette4.png", png(3, 4, extra=palette(12), palette_size=12)
    yield "palette8.png", png(3, 8, extra=palette(200), palette_size=200)
    yield "palette8-trns.png", png(3, 8, extra=palette(16) + chunk(b"tRNS", bytes(range(0, 256, 32))),
                                   palette_size=16)
    yield "gray8-trns.png", png(0, 8, extra=chunk(b"tRNS", struct.pack(">H", 91)))
    yield "rgb8-gamma-srgb.png", png(2, 8, extra=chunk(b"gAMA", struct.pack(">I", 45455)) +
                                     chunk(b"sRGB", b"\0"))
    yield "gray8-interlaced.png", png(0, 8, interlace=1)
    yield "rgb8-interlaced.png", png(2, 8, interlace=1)
    yield "palette4-interlaced.png", png(3, 4, interlace=1, extra=palette(12), palette_size=12)
    yield "gray16-interlaced.png", png(0, 16, interlace=1)
    yield "gray-alpha8-interlaced.png", png(4, 8, interlace=1)
    yield "rgb16-interlaced.png", png(2, 16, interlace=1)
    yield "rgba8-interlaced.png", png(6, 8, interlace=1)
    yield "rgba16-interlaced.png", png(6, 16, interlace=1)
    yield "rgb8-trns.png", png(2, 8, extra=chunk(b"tRNS", struct.pack(">HHH", 37, 91, 53)))


# ---- JPEG through TurboJPEG -------------------------------------------------

TJPF_RGB, TJPF_GRAY, TJPF_CMYK = 0, 6, 11
TJSAMP_444, TJSAMP_420, TJSAMP_GRAY = 0, 2, 3
TJFLAG_PROGRESSIVE = 16384


def turbojpeg():
    name = ctypes.util.find_library("turbojpeg") or "libturbojpeg.so.0"
    tj = ctypes.CDLL(name)
    tj.tjInitCompress.restype = ctypes.c_void_p
    tj.tjCompress2.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                               ctypes.c_int, ctypes.c_int,
                               ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
                               ctypes.POINTER(ctypes.c_ulong), ctypes.c_int, ctypes.c_int,
                               ctypes.c_int]
    tj.tjFree.argtypes = [ctypes.c_void_p]
    tj.tjDestroy.argtypes = [ctypes.c_void_p]
    return tj


def jpeg(tj, fmt, samp, flags=0, w=16, h=12):
    n = {TJPF_RGB: 3, TJPF_GRAY: 1, TJPF_CMYK: 4}[fmt]
    pixels = bytes((x * 13 + y * 29 + c * 71) % 256
                   for y in range(h) for x in range(w) for c in range(n))
    handle = tj.tjInitCompress()
    buf = ctypes.POINTER(ctypes.c_ubyte)()
    size = ctypes.c_ulong(0)
    if tj.tjCompress2(handle, pixels, w, w * n, h, fmt, ctypes.byref(buf),
                      ctypes.byref(size), samp, 75, flags) != 0:
        raise SystemExit("tjCompress2 failed")
    out = ctypes.string_at(buf, size.value)
    tj.tjFree(buf)
    tj.tjDestroy(handle)
    return out


def jpegs():
    tj = turbojpeg()
    yield "gray.jpg", jpeg(tj, TJPF_GRAY, TJSAMP_GRAY)
    yield "rgb444.jpg", jpeg(tj, TJPF_RGB, TJSAMP_444)
    yield "rgb420.jpg", jpeg(tj, TJPF_RGB, TJSAMP_420)
    yield "cmyk.jpg", jpeg(tj, TJPF_CMYK, TJSAMP_444)
    yield "rgb-progressive.jpg", jpeg(tj, TJPF_RGB, TJSAMP_420, TJFLAG_PROGRESSIVE)
    yield "gray-progressive.jpg", jpeg(tj, TJPF_GRAY, TJSAMP_GRAY, TJFLAG_PROGRESSIVE)


def main():
    args = sys.argv[1:]
    every = "--all" in args
    args = [a for a in args if a != "--all"]
    here = os.path.dirname(os.path.abspath(__file__))
    out = args[0] if args else os.path.join(here, "corpus", "image")
    os.makedirs(out, exist_ok=True)
    for name, data in list(pngs()) + list(jpegs()):
        if name in HELD_BACK and not every:
            continue
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
