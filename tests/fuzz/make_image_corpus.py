#!/usr/bin/python3
"""Writes the seed images of the image fuzz harness (tests/fuzz/fuzz_image.c)
into tests/fuzz/corpus/image/: a small valid PNG of every colour type and
bit depth, interlaced and not, with and without tRNS, and the valid PNGs
and JPEGs (grey, RGB, CMYK, progressive) of the image tests.  The PNG
writer and the JPEGs are tests/tools/make_images.py's (PIL for the JPEGs);
the damaged images of tests/invalid/images are seeds already (run.sh) and
are replayed by fuzz_replay_image.  The files are committed; run this
again only to change them.  A seed that crashes quorum would go in
HELD_BACK (written only with --all) until its fix is on main, since
fuzz_replay_image runs every seed.

usage: make_image_corpus.py [--all] [OUT_DIR]
"""
import os
import shutil
import struct
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import make_images  # noqa: E402  (tests/tools)

HELD_BACK = set()  # interlaced images with alpha and RGB colour keys
                   # crashed libharu until src/image decoded every image

W, H = 7, 5  # odd sizes leave some Adam7 passes empty, as real files do


def pixels(ctype, depth, colours=0):
    """Samples that change along both axes and between channels."""
    top = (1 << depth) - 1
    n = make_images.CHANNELS[ctype]
    return [[tuple(((x * 37 + y * 91 + c * 53) % (top + 1)) % (colours or top + 1)
                   for c in range(n)) for x in range(W)] for y in range(H)]


def palette(n):
    return [((i * 40) % 256, (i * 90) % 256, (i * 150) % 256) for i in range(n)]


def variants():
    """(name, ctype, depth, interlace, colours, trns) of each seed PNG."""
    for interlace in (0, 1):
        tail = "-interlaced" if interlace else ""
        for depth in (1, 2, 4, 8, 16):
            yield f"gray{depth}{tail}", 0, depth, interlace, 0, None
        for depth in (8, 16):
            yield f"gray-alpha{depth}{tail}", 4, depth, interlace, 0, None
            yield f"rgb{depth}{tail}", 2, depth, interlace, 0, None
            yield f"rgba{depth}{tail}", 6, depth, interlace, 0, None
        for depth in (1, 2, 4, 8):
            yield f"palette{depth}{tail}", 3, depth, interlace, min(1 << depth, 200), None
    yield "gray8-trns", 0, 8, 0, 0, struct.pack(">H", 91)
    yield "gray16-trns", 0, 16, 0, 0, struct.pack(">H", 91)
    yield "rgb8-trns", 2, 8, 0, 0, struct.pack(">HHH", 37, 91, 53)
    yield "rgb16-trns-interlaced", 2, 16, 1, 0, struct.pack(">HHH", 37, 91, 53)
    yield "palette4-trns", 3, 4, 0, 12, bytes(range(0, 256, 32))


def pngs():
    for name, ctype, depth, interlace, colours, trns in variants():
        plte = palette(colours) if ctype == 3 else None
        yield name + ".png", make_images.png(W, H, depth, ctype, pixels(ctype, depth, colours),
                                             interlace=interlace, plte=plte, trns=trns)


def from_tools():
    """The image tests' valid PNGs and JPEGs, without their .rgba files."""
    with tempfile.TemporaryDirectory() as d:
        make_images.valid(d)
        make_images.jpegs(d)
        for f in sorted(os.listdir(d)):
            if f.endswith((".png", ".jpg")):
                with open(os.path.join(d, f), "rb") as fh:
                    yield "tools-" + f, fh.read()


def main():
    args = sys.argv[1:]
    every = "--all" in args
    args = [a for a in args if a != "--all"]
    here = os.path.dirname(os.path.abspath(__file__))
    out = args[0] if args else os.path.join(here, "corpus", "image")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for name, data in list(pngs()) + list(from_tools()):
        if name in HELD_BACK and not every:
            continue
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(os.listdir(out))} seeds in {out}")


if __name__ == "__main__":
    main()
