#!/usr/bin/env python3
"""Set two PDF pages side by side as one PNG: ours left, the council's
right, both rendered by pdftoppm at the same resolution (60 dpi), the
shorter padded with white at the bottom so the two have the same height,
with a grey gutter between them.  Only the standard library: the machines
that build the examples have poppler but no imaging library.

    beside.py OURS.pdf PAGE THEIRS.pdf PAGE OUT.png [X,Y,W,H]

X,Y,W,H (pixels of the council's page at 60 dpi) is painted white: a
crest or logo, which the Open Government Licence does not cover.
"""
import subprocess
import sys
import struct
import zlib

DPI = 60
GUTTER = 12  # pixels of grey between the pages
GREY = b"\xc8\xc8\xc8"


def render(pdf, page):
    """The page as (width, height, rows of RGB bytes), from pdftoppm's PPM."""
    ppm = subprocess.run(["pdftoppm", "-r", str(DPI), "-f", page, "-l", page, pdf],
                         check=True, stdout=subprocess.PIPE).stdout
    fields, pos = [], 0
    while len(fields) < 4:  # magic, width, height, maxval; no comments from pdftoppm
        while ppm[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not ppm[end:end + 1].isspace():
            end += 1
        fields.append(ppm[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        sys.exit("%s: not an 8-bit PPM from pdftoppm" % pdf)
    w, h = int(fields[1]), int(fields[2])
    pos += 1
    return w, h, [ppm[pos + y * 3 * w:pos + (y + 1) * 3 * w] for y in range(h)]


def png(path, w, h, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\0" + r for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def blank(page, box):
    """The page with the rectangle box (x, y, w, h) painted white."""
    w, h, rows = page
    x, y, bw, bh = box
    x, bw = max(0, x), min(bw, w - max(0, x))
    for r in range(max(0, y), min(h, y + bh)):
        rows[r] = rows[r][:3 * x] + b"\xff" * 3 * bw + rows[r][3 * (x + bw):]
    return page


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit(__doc__)
    ours, theirs = render(sys.argv[1], sys.argv[2]), render(sys.argv[3], sys.argv[4])
    if len(sys.argv) == 7:
        theirs = blank(theirs, [int(v) for v in sys.argv[6].split(",")])
    h = max(ours[1], theirs[1])
    rows = []
    for y in range(h):
        parts = []
        for w, ph, pr in (ours, theirs):
            parts.append(pr[y] if y < ph else b"\xff" * 3 * w)
        rows.append(parts[0] + GREY * GUTTER + parts[1])
    png(sys.argv[5], ours[0] + GUTTER + theirs[0], h, rows)


main()
