#!/usr/bin/python3
"""The pixels a PDF holds, against the pixels its source images must give
(for the file NAME, NAME less its suffix plus .rgba, written by
tests/tools/make_images.py: width, height, then 8-bit RGBA).

usage: images.py compare PDF DIR NAME...   each image of the PDF, in order,
           is the file NAME in DIR: its colour, and its soft mask against
           the alpha (an opaque NAME must have none); JPEGs within a few
           levels (lossy coding), PNGs exactly
       images.py flat PDF DIR NAME...      the same for a PDF/A-1 copy: no
           soft mask anywhere, the colour that of NAME drawn on white
       images.py report OUT NAME...        a report drawing each NAME (its
           first image's src at line 7, column 12)

The PDF's images are taken out with pdfimages (poppler-utils) and read with
PIL (python3-pil).
"""
import os
import struct
import subprocess
import sys
import tempfile

from PIL import Image


def fail(msg):
    print("FAIL:", msg)
    global status
    status = 1


status = 0


def rgba(path):
    raw = open(path, "rb").read()
    w, h = struct.unpack(">II", raw[:8])
    px = raw[8:]
    return w, h, [tuple(px[i:i + 4]) for i in range(0, len(px), 4)]


def extracted(pdf, tmp):
    """[(kind, colour image, encoding)] in the PDF's order, kind 'image'
    or 'smask'."""
    out = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    subprocess.run(["pdfimages", "-png", pdf, os.path.join(tmp, "x")], check=True)
    files = sorted(f for f in os.listdir(tmp) if f.startswith("x-"))
    if len(files) != len(out):
        fail(f"pdfimages listed {len(out)} images and wrote {len(files)}")
    rows = []
    for line, f in zip(out, files):
        cols = line.split()
        rows.append((cols[2], Image.open(os.path.join(tmp, f)), cols[8]))
    return rows


def close(a, b, tol):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def check(pdf, d, names, flat):
    with tempfile.TemporaryDirectory() as tmp:
        rows = extracted(pdf, tmp)
        i = 0
        for name in names:
            w, h, want = rgba(os.path.join(d, name.rsplit(".", 1)[0] + ".rgba"))
            jpeg = name.endswith(".jpg")
            tol = 4 if jpeg else 0
            if i >= len(rows) or rows[i][0] != "image":
                fail(f"{name}: no image where it should be")
                return
            kind, im, enc = rows[i]
            i += 1
            if im.size != (w, h):
                fail(f"{name}: {im.size[0]} x {im.size[1]} pixels, want {w} x {h}")
                continue
            has_alpha = any(p[3] != 255 for p in want)
            mask = None
            if i < len(rows) and rows[i][0] == "smask":
                mask = rows[i][1].convert("L")
                i += 1
            if flat and mask is not None:
                fail(f"{name}: a soft mask in a PDF/A-1 copy")
            if not flat and has_alpha != (mask is not None):
                fail(f"{name}: soft mask {mask is not None}, want {has_alpha}")
            got = list(im.convert("RGB").getdata())
            bad = 0
            for k, (g, p) in enumerate(zip(got, want)):
                a = p[3]
                if flat:
                    exp = tuple((c * a + 255 * (255 - a) + 127) // 255 for c in p[:3])
                    ok = close(g, exp, tol + 1)
                else:
                    ok = close(g, p[:3], tol)
                    if mask is not None:
                        ok = ok and abs(mask.getpixel((k % w, k // w)) - a) <= tol
                if not ok:
                    if not bad:
                        fail(f"{name}: pixel ({k % w}, {k // w}) is {g}"
                             f"{'' if mask is None else ' alpha %d' % mask.getpixel((k % w, k // w))}, want {p}")
                    bad += 1
            if bad > 1:
                fail(f"{name}: {bad} pixels differ")
        if i != len(rows):
            fail(f"{len(rows) - i} images more than the report draws")


def report(out, names):
    body = "".join(f'    <image src="{n}" alt="{n}" width="3cm"/>\n' for n in names)
    with open(out, "w") as f:
        f.write('<report xmlns="urn:quorum:report:1">\n'
                '  <front-sheet>\n'
                '    <field role="title" label="Report Title">Images</field>\n'
                '    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">'
                'Wednesday, 29 January 2025</field>\n'
                '  </front-sheet>\n  <section>\n' + body +
                '    <p>Images.</p>\n  </section>\n</report>\n')


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] in ("compare", "flat"):
        check(sys.argv[2], sys.argv[3], sys.argv[4:], sys.argv[1] == "flat")
    elif len(sys.argv) >= 3 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
    sys.exit(status)
