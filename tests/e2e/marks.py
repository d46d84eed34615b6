"""Vector marks (trend arrows, tick boxes) and rating fills in a built
PDF, against the layout's text dump (`quorum dump`).  `fills`: each
#RRGGBB:TEXT is drawn whole on a fill of that colour (a rating chip in
prose, a scored cell).  `check`:

  marks.py check DUMP PDF PREFIX SHAPE:WORD...

- the dump's marks, in order, are exactly the SHAPE:WORD list given;
- each is drawn: the page rendered at 216 dpi (pdftoppm, PREFIX-N.ppm)
  has the mark's colour over a good share of its box, and where the ink
  lies tells the shape (an arrow's head is its heaviest end; a box's
  centre is empty unless ticked);
- each is read: a Span in the structure tree with the word as /Alt (or
  each alt=TEXT given, for marks that stand in a Span with their text, as
  options do), in the same order, holding marked content;
- no font glyph stands in for one: pdftotext finds no arrow or box
  character.
"""
import re
import subprocess
import sys
import glob

SCALE = 3  # 216 dpi: three pixels a point


def marks_of(dump):
    out, page = [], 0
    pat = re.compile(r'^  mark \S+ e-?\d+ ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) '
                     r'(\S+) #([0-9a-f]{6}) "(.*)"$')
    for line in open(dump, encoding="utf-8"):
        if line.startswith("page "):
            page = int(line.split()[1])
        m = pat.match(line.rstrip("\n"))
        if m:
            x, y, w, h = (float(m.group(i)) for i in range(1, 5))
            out.append(dict(page=page, x=x, y=y, w=w, h=h, shape=m.group(5),
                            color=int(m.group(6), 16), word=m.group(7)))
    return out


def read_ppm(path):
    """A binary PPM (what pdftoppm writes without -png) -> (w, h, rows)."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    assert fields[0] == b"P6" and fields[3] == b"255", "want an 8-bit P6 PPM"
    w, h = int(fields[1]), int(fields[2])
    return w, h, [data[pos + 3 * w * r:pos + 3 * w * (r + 1)] for r in range(h)]


def ink(png, m):
    """Pixels of the mark's colour in its box, as (count, total, per
    quarter: top, bottom, left, right, centre)."""
    w, h, rows = png
    x0, y0 = int(m["x"] * SCALE), int(m["y"] * SCALE)
    x1, y1 = int((m["x"] + m["w"]) * SCALE), int((m["y"] + m["h"]) * SCALE)
    if m["shape"].startswith("box"):  # a square at the left; the rest is the gap to its text
        x1 = min(x1, x0 + int((y1 - y0) * 1.2))
    c = m["color"]
    want = ((c >> 16) & 255, (c >> 8) & 255, c & 255)
    q = dict(top=0, bottom=0, left=0, right=0, centre=0)
    n = tot = 0
    for y in range(max(y0, 0), min(y1, h)):
        row = rows[y]
        for x in range(max(x0, 0), min(x1, w)):
            tot += 1
            px = row[3 * x:3 * x + 3]
            if sum(abs(px[i] - want[i]) for i in range(3)) > 120:
                continue
            n += 1
            q["top" if y < (y0 + y1) / 2 else "bottom"] += 1
            q["left" if x < (x0 + x1) / 2 else "right"] += 1
            if abs(x - (x0 + x1) / 2) < (x1 - x0) / 5 and abs(y - (y0 + y1) / 2) < (y1 - y0) / 5:
                q["centre"] += 1
    return n, tot, q


def shape_ok(shape, q):
    if shape == "arrow-up": return q["top"] > q["bottom"] * 1.2
    if shape == "arrow-down": return q["bottom"] > q["top"] * 1.2
    if shape == "arrow-right": return q["right"] > q["left"] * 1.2
    if shape == "box": return q["centre"] == 0
    if shape == "box-ticked": return q["centre"] > 0
    return False


def spans(pdf_path):
    import pikepdf
    pdf = pikepdf.open(pdf_path)
    out = []

    def walk(e):
        if isinstance(e, pikepdf.Array):
            for k in e:
                walk(k)
            return
        if not isinstance(e, pikepdf.Dictionary) or "/S" not in e:
            return
        if str(e.S) == "/Span" and "/Alt" in e:
            k = e.get("/K")
            has_mc = isinstance(k, int) or (isinstance(k, pikepdf.Array) and any(
                isinstance(x, int) or (isinstance(x, pikepdf.Dictionary) and "/MCID" in x)
                for x in k)) or (isinstance(k, pikepdf.Dictionary) and "/MCID" in k)
            out.append((str(e.Alt), has_mc))
        if "/K" in e:
            walk(e.K)
    walk(pdf.Root.StructTreeRoot.K)
    return out


def check(dump, pdf, prefix, args):
    probs = []
    expect = [a for a in args if not a.startswith("alt=")]
    alts = [a[4:] for a in args if a.startswith("alt=")]
    ms = marks_of(dump)
    got = ["%s:%s" % (m["shape"], m["word"]) for m in ms]
    if got != expect:
        probs.append("dump marks %s, want %s" % (got, expect))
    pages = {}
    for m in ms:
        if m["page"] not in pages:
            subprocess.run(["pdftoppm", "-r", str(72 * SCALE), "-f", str(m["page"]),
                            "-l", str(m["page"]), pdf, prefix], check=True)
            f = sorted(glob.glob("%s-*%d.ppm" % (prefix, m["page"])))[-1]
            pages[m["page"]] = read_ppm(f)
        n, tot, q = ink(pages[m["page"]], m)
        if tot == 0 or n < tot * 0.12:
            probs.append("%s %s on page %d: %d of %d pixels inked" % (m["shape"], m["word"], m["page"], n, tot))
        elif not shape_ok(m["shape"], q):
            probs.append("%s %s on page %d: ink %s does not look like it" % (m["shape"], m["word"], m["page"], q))
    want = alts or [m["word"] for m in ms]
    found = [(w, mc) for w, mc in spans(pdf) if w in set(want)]
    if [w for w, _ in found] != want:
        probs.append("Span /Alt in the structure %s, want %s" % ([w for w, _ in found], want))
    if any(not mc for _, mc in found):
        probs.append("a mark's Span holds no marked content")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout.decode()
    bad = [c for c in text if 0x2190 <= ord(c) <= 0x21FF or 0x2610 <= ord(c) <= 0x2612 or ord(c) in (0x2714, 0x2713)]
    if bad:
        probs.append("glyphs in the text: %r" % bad)
    for p in probs:
        print(p)
    return 1 if probs else 0


def fills(dump, pdf, prefix, args):
    """Each #RRGGBB:TEXT: the text is drawn whole (one item) on a fill of
    that colour, which the rendered page shows around it."""
    probs, page, last_fill, found = [], 0, {}, {}
    item = re.compile(r'^  (fill|text) \S+ (?:e-?\d+ )?([\d.]+) ([\d.]+) (.*)$')
    for line in open(dump, encoding="utf-8"):
        if line.startswith("page "):
            page = int(line.split()[1])
        m = item.match(line.rstrip("\n"))
        if not m:
            continue
        x, y, rest = float(m.group(2)), float(m.group(3)), m.group(4)
        if m.group(1) == "fill":
            w, h, col = rest.split()[:3]
            last_fill = dict(page=page, x=x, y=y, w=float(w), h=float(h), color=col)
        else:
            t = re.search(r'"(.*)"$', rest).group(1)
            f = last_fill
            if f and f["page"] == page and f["x"] <= x <= f["x"] + f["w"] and f["y"] <= y <= f["y"] + f["h"] + 1:
                found.setdefault(t, []).append(f)
    pages = {}
    for a in args:
        col, text = a.split(":", 1)
        hits = [f for f in found.get(text, []) if f["color"] == col.lower()]
        if not hits:
            probs.append("no text %r drawn whole on a %s fill" % (text, col))
            continue
        f = hits[0]
        if f["page"] not in pages:
            subprocess.run(["pdftoppm", "-r", str(72 * SCALE), "-f", str(f["page"]), "-l", str(f["page"]),
                            pdf, prefix], check=True)
            pages[f["page"]] = read_ppm(sorted(glob.glob("%s-*%d.ppm" % (prefix, f["page"])))[-1])
        w, h, rows = pages[f["page"]]
        px = int((f["x"] + 1) * SCALE), int((f["y"] + 1) * SCALE)
        got = rows[px[1]][3 * px[0]:3 * px[0] + 3]
        want = bytes.fromhex(col[1:])
        if sum(abs(got[i] - want[i]) for i in range(3)) > 30:
            probs.append("%r: page shows %s at its fill's corner, want %s" % (text, got.hex(), col))
    for p in probs:
        print(p)
    return 1 if probs else 0


if __name__ == "__main__":
    if sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
    if sys.argv[1] == "fills":
        sys.exit(fills(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
    sys.exit("usage: marks.py check DUMP PDF PREFIX SHAPE:WORD... | fills DUMP PDF PREFIX #RRGGBB:TEXT...")
