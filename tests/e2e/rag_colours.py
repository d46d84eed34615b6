#!/usr/bin/env python3
"""Checks the colours of rated cells in a rendered PDF (issue 3).

usage: rag_colours.py check PDF REPORT.xml WORK [--exact] [--style STYLE.xml]
       rag_colours.py selftest WORK

check: reads the rating scale(s) and the placeholders of the report and its
appendices, finds every occurrence of a rating code in the PDF with
`pdftotext -bbox-layout`, renders each page that has one with
`pdftoppm -r 72 -png` (one pixel = one point), and for each occurrence
takes the most common colour in two thin strips left and right of the
word, inside the cell but clear of the glyphs.  An occurrence whose
background is its value's fill (within +-8 per channel) is a rated cell.
A value's colours are its <rating>'s fill and color when it gives either
(defaults #FFFFFF and #000000); else the house style's <rating> for the
code (--style, its color black when not given); else the built-in style's
(R, A, G); else white and black (docs/style.md).  Author's cells with
rating="CODE" and no fill of their own count as rated cells of that value.
Fails when
  * a value has fewer rated cells than the placeholders generate (summary
    table and outcome tables: one cell per rating; definitions: one per
    value; plus the author's rated cells), or a different number with
    --exact;
  * a code is printed on the fill of another value;
  * in a rated cell (first, middle and last of each value, rendered again
    at 288 dpi without anti-aliasing, cropped to the word box), no glyph
    pixels of the declared text colour are found, i.e. the value would be
    shown by colour alone, or the glyphs' colour has a contrast ratio
    below 4.5:1 against the sampled fill.

selftest: writes PDFs by hand (filled rectangles with codes in them, a
prose line with the article "A", two pages), and runs the same check on
them: the good one must pass; copies with a wrong fill, a code drawn in
its fill colour, a wrong text colour or a missing cell must each fail for
the expected reason.  This keeps the pixel logic honest while the
quorum pipeline cannot yet write PDFs.

Only the standard library is used (the PNG decoder is below).
"""
import math
import os
import re
import struct
import subprocess
import sys
import zlib
import xml.etree.ElementTree as ET

NS = '{urn:quorum:report:1}'
STYLE_NS = '{urn:quorum:style:1}'
TOL = 8          # per channel, for anti-aliasing and colour management
MIN_CONTRAST = 4.5
HIRES = 288      # dpi for the text-colour check (4 px per point)

DEFAULT_SCALE = [
    ('R', 'Red', '#C00000', '#FFFFFF'),
    ('A', 'Amber', '#FFC000', '#000000'),
    ('G', 'Green', '#00B050', '#000000'),
]


# ---------------------------------------------------------------- PNG ---

def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """Returns (width, height, rows) with rows a list of RGB bytearrays."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('%s: not a PNG' % path)
    pos, idat, ihdr, plte = 8, [], None, None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'PLTE':
            plte = body
        elif kind == b'IDAT':
            idat.append(body)
        elif kind == b'IEND':
            break
    w, h, depth, ctype, _comp, _filt, interlace = ihdr
    if depth != 8 or interlace != 0 or ctype not in (0, 2, 3, 4, 6):
        raise ValueError('%s: unsupported PNG (depth %d, type %d, interlace %d)'
                         % (path, depth, ctype, interlace))
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b''.join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ft == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ft == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif ft == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                if i >= bpp:
                    line[i] = (line[i] + _paeth(line[i - bpp], prev[i], prev[i - bpp])) & 255
                else:
                    line[i] = (line[i] + prev[i]) & 255
        elif ft != 0:
            raise ValueError('%s: bad filter type %d in row %d' % (path, ft, y))
        prev = line
        if ctype == 2:
            rows.append(line)
        elif ctype == 6:
            rows.append(bytearray(b for i, b in enumerate(line) if i % 4 != 3))
        elif ctype == 4:
            rows.append(bytearray(line[i] for i in range(0, stride, 2) for _ in range(3)))
        elif ctype == 0:
            rows.append(bytearray(v for v in line for _ in range(3)))
        else:
            rows.append(bytearray(c for v in line for c in plte[3 * v:3 * v + 3]))
    return w, h, rows


def pixel(img, x, y):
    w, h, rows = img
    if 0 <= x < w and 0 <= y < h:
        r = rows[y]
        return (r[3 * x], r[3 * x + 1], r[3 * x + 2])
    return None


# ------------------------------------------------------------- colours ---

def hexrgb(s):
    s = s.strip().lstrip('#')
    return (int(s[0:2], 16), int(s[2:4], 16), int(s[4:6], 16))


def near(c, d, tol=TOL):
    return c is not None and all(abs(a - b) <= tol for a, b in zip(c, d))


def hexs(c):
    return '#%02X%02X%02X' % tuple(c) if c else 'none'


def luminance(c):
    def lin(v):
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(c, d):
    a, b = sorted((luminance(c), luminance(d)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# ---------------------------------------------------------- the report ---

class Value:
    def __init__(self, code, text, fill, color):
        self.code, self.text = code, text
        self.fill, self.color = hexrgb(fill), hexrgb(color)
        self.expected = 0
        self.found = []      # (page, word box, sampled fill)
        self.unmatched = []  # (page, word box, background) of other hits


def style_ratings(style):
    """{code: (fill, color)} of the style (None: the built-in style), with
    the built-in style's R, A and G where the style has no such code."""
    out = {c: (f, col) for c, _, f, col in DEFAULT_SCALE}
    if style:
        root = ET.parse(style).getroot()
        for r in root.iter(STYLE_NS + 'rating'):
            out[r.get('code')] = (r.get('fill'), r.get('color') or '#000000')
    return out


def load_report(report, style=None):
    """Returns {code: Value} with expected cell counts from the placeholders
    and the author's rated cells."""
    house = style_ratings(style)

    def colours(code, fill, color):
        if fill or color:
            return fill or '#FFFFFF', color or '#000000'
        return house.get(code, ('#FFFFFF', '#000000'))

    trees = [ET.parse(report).getroot()]
    base = os.path.dirname(report)
    for a in trees[0].iter(NS + 'appendix'):
        if a.get('href'):
            trees.append(ET.parse(os.path.join(base, a.get('href'))).getroot())
    perfs = {}
    for t in trees:
        for p in t.iter(NS + 'performance'):
            perfs[p.get('id')] = p
    values = {}

    def scale_of(perf):
        sc = perf.find(NS + 'scale')
        if sc is None or not sc.findall(NS + 'rating'):
            return [Value(c, t, *colours(c, None, None)) for c, t, _, _ in DEFAULT_SCALE]
        return [Value(r.get('code'), r.get('text') or r.get('code'),
                      *colours(r.get('code'), r.get('fill'), r.get('color')))
                for r in sc.findall(NS + 'rating')]

    scales = {}
    for pid, perf in perfs.items():
        scales[pid] = scale_of(perf)
        for v in scales[pid]:
            old = values.get(v.code)
            if old and (old.fill != v.fill or old.color != v.color):
                sys.exit('code %s has different colours in two scales; '
                         'this test cannot tell their cells apart' % v.code)
            values.setdefault(v.code, v)
    for t in trees:
        for el in t.iter():
            tag = el.tag.replace(NS, '')
            if tag not in ('summary-table', 'outcome-details', 'rating-definitions'):
                continue
            pid = el.get('of') or (next(iter(perfs)) if len(perfs) == 1 else None)
            if pid not in perfs:
                sys.exit('%s of="%s": no such performance' % (tag, pid))
            if tag == 'rating-definitions':
                for v in scales[pid]:
                    values[v.code].expected += 1
            else:
                for r in perfs[pid].iter(NS + 'rated'):
                    if r.get('value') in values:
                        values[r.get('value')].expected += 1
    for t in trees:
        for c in t.iter(NS + 'cell'):
            if c.get('rating') in values and not c.get('fill') and not c.get('color'):
                values[c.get('rating')].expected += 1
    return values


# -------------------------------------------------------- finding words ---

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                  r'yMax="([\d.]+)">([^<]*)</word>')


def unescape(s):
    return (s.replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"')
            .replace('&apos;', "'").replace('&amp;', '&'))


def find_codes(pdf, codes, work):
    """Yields (page, code, (x0, y0, x1, y1)) for each code standing apart.

    A code counts when it is a whole word sequence on a pdftotext line with
    a gap of at least 0.4 of the word height on both sides: a cell's code
    is far from its neighbours, the article "A" in prose is not.  This only
    saves rendering prose pages; the fill decides what is a cell.
    """
    out = os.path.join(work, os.path.basename(pdf) + '.bbox.html')
    subprocess.run(['pdftotext', '-bbox-layout', '-enc', 'UTF-8', pdf, out], check=True)
    with open(out, encoding='utf-8') as f:
        html = f.read()
    toks = {c: c.split() for c in codes}
    hits = []
    for pno, page in enumerate(re.split(r'<page ', html)[1:], start=1):
        for line in re.findall(r'<line[^>]*>(.*?)</line>', page, re.S):
            words = [(float(a), float(b), float(c), float(d), unescape(t))
                     for a, b, c, d, t in WORD.findall(line)]
            for code, tk in toks.items():
                n = len(tk)
                for i in range(len(words) - n + 1):
                    if [w[4] for w in words[i:i + n]] != tk:
                        continue
                    x0, y0 = words[i][0], min(w[1] for w in words[i:i + n])
                    x1, y1 = words[i + n - 1][2], max(w[3] for w in words[i:i + n])
                    gap = 0.4 * (y1 - y0)
                    if i > 0 and x0 - words[i - 1][2] < gap:
                        continue
                    if i + n < len(words) and words[i + n][0] - x1 < gap:
                        continue
                    hits.append((pno, code, (x0, y0, x1, y1)))
    return hits


# ------------------------------------------------------------ rendering ---

def render(pdf, page, work, dpi=72, box=None, aa=True):
    name = 'p%d-%d' % (page, dpi)
    cmd = ['pdftoppm', '-r', str(dpi), '-png', '-f', str(page), '-l', str(page), '-singlefile']
    if box:
        x, y, w, h = box
        cmd += ['-x', str(x), '-y', str(y), '-W', str(w), '-H', str(h)]
        name += '-%d-%d' % (x, y)
    if not aa:
        cmd += ['-aa', 'no', '-aaVector', 'no']
    prefix = os.path.join(work, os.path.basename(pdf) + '-' + name)
    subprocess.run(cmd + [pdf, prefix], check=True)
    return read_png(prefix + '.png')


def background(img, box):
    """Most common colour in strips 1.5-4 pt left and right of the word,
    over the middle half of its height, and the share it has there."""
    x0, y0, x1, y1 = box
    ym, q = (y0 + y1) / 2, max((y1 - y0) / 4, 1.0)
    counts = {}
    # pixels wholly inside [x0-4, x0-1.5] and [x1+1.5, x1+4]: clear of
    # anti-aliased glyph edges, and inside a cell padded by 4 pt
    cols = list(range(math.ceil(x0 - 4), math.floor(x0 - 1.5))) + \
        list(range(math.ceil(x1 + 1.5), math.floor(x1 + 4)))
    for y in range(int(ym - q), int(ym + q) + 1):
        for x in cols:
            c = pixel(img, x, y)
            if c is not None:
                counts[c] = counts.get(c, 0) + 1
    if not counts:
        return None, 0.0
    c, n = max(counts.items(), key=lambda kv: kv[1])
    return c, n / sum(counts.values())


def glyph_check(pdf, page, box, v, work):
    """Renders the word box at HIRES without anti-aliasing and returns
    (problem or None, glyph colour, share of glyph pixels).

    The crop leaves out the top and bottom fifth of the box: pdftotext's
    box runs from the font's descent to its ascent, which may reach past
    the cell, while capitals sit in between.  Without anti-aliasing every
    pixel is either fill or ink, so the most common colour that is not the
    fill is the colour the code is drawn in."""
    s = HIRES / 72.0
    x0, y0, x1, y1 = box
    y0, y1 = y0 + 0.2 * (y1 - y0), y1 - 0.2 * (y1 - y0)
    crop = (int(x0 * s), int(y0 * s), max(int((x1 - x0) * s), 1), max(int((y1 - y0) * s), 1))
    img = render(pdf, page, work, HIRES, crop, aa=False)
    w, h, _ = img
    px = [pixel(img, x, y) for y in range(h) for x in range(w)]
    counts = {}
    for c in px:
        if not near(c, v.fill):
            counts[c] = counts.get(c, 0) + 1
    ink = max(counts.items(), key=lambda kv: kv[1]) if counts else (None, 0)
    far, share = ink[0], ink[1] / len(px)
    if share < 0.03:
        return ('no glyphs visible on the fill: the value would be shown by '
                'colour alone'), far, share
    if not near(far, v.color, 2 * TOL):
        return 'glyphs drawn %s, declared text colour %s' % (hexs(far), hexs(v.color)), far, share
    if contrast(far, v.fill) < MIN_CONTRAST:
        return 'contrast %.2f:1 of glyphs %s on fill %s' % (
            contrast(far, v.fill), hexs(far), hexs(v.fill)), far, share
    return None, far, share


# ---------------------------------------------------------------- check ---

def check(pdf, values, work, exact=False, quiet=False):
    """Returns a list of failure strings."""
    say = (lambda *a: None) if quiet else print
    fails = []
    by_fill = {v.fill: v for v in values.values()}
    hits = find_codes(pdf, list(values), work)
    pages = {}
    for pno, code, box in hits:
        if pno not in pages:
            pages[pno] = render(pdf, pno, work)
        v = values[code]
        bg, share = background(pages[pno], box)
        if near(bg, v.fill) and share >= 0.5:
            v.found.append((pno, box, bg))
            continue
        v.unmatched.append((pno, box, bg))
        for f, other in by_fill.items():
            # a white fill is the page: a stray code in prose is not a cell
            if other is not v and near(bg, f) and share >= 0.5 and not near(f, (255, 255, 255)):
                fails.append('page %d at (%.1f, %.1f): code %s printed on the fill %s of %s'
                             % (pno, box[0], box[1], code, hexs(f), other.code))
    for v in values.values():
        n = len(v.found)
        say('%-4s fill %s text %s: %d rated cells found, %d expected'
            % (v.code, hexs(v.fill), hexs(v.color), n, v.expected))
        if n < v.expected or (exact and n != v.expected):
            seen = {}
            for pno, box, bg in v.unmatched:
                seen.setdefault(hexs(bg), []).append('p%d (%.0f, %.0f)' % (pno, box[0], box[1]))
            fails.append('value %s (fill %s): %d cells with that fill found, %s%d expected%s'
                         % (v.code, hexs(v.fill), n, '' if exact else 'at least ', v.expected,
                            '; where the code stands alone, the background is ' + ', '.join(
                                '%s at %s' % (c, ' '.join(w[:3]) + (' ...' if len(w) > 3 else ''))
                                for c, w in seen.items()) if seen else ''))
        if not n:
            continue
        for k in sorted({0, n // 2, n - 1}):
            pno, box, bg = v.found[k]
            problem, far, share = glyph_check(pdf, pno, box, v, work)
            say('     page %d at (%.1f, %.1f): fill %s, glyphs %s (%.0f%% of the word box)'
                % (pno, box[0], box[1], hexs(bg), hexs(far), 100 * share))
            if problem:
                fails.append('value %s, page %d at (%.1f, %.1f): %s'
                             % (v.code, pno, box[0], box[1], problem))
    return fails


# ------------------------------------------------------------- selftest ---

# Helvetica-Bold advance widths (AFM), enough to centre the codes.
HB = {'A': 722, 'C': 722, 'G': 778, 'N': 722, 'R': 722, '/': 278}


def _rgb(c):
    return '%.4f %.4f %.4f' % tuple(x / 255.0 for x in hexrgb(c))


def write_pdf(path, pages):
    """pages: lists of ('rect', x, y, w, h, fill) / ('text', x, y, size,
    colour, string, bold) in PDF coordinates (origin bottom left)."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    f1 = add(b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>')
    f2 = add(b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>')
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for ops in pages:
        cs = []
        for op in ops:
            if op[0] == 'rect':
                _, x, y, w, h, fill = op
                cs.append('%s rg %.2f %.2f %.2f %.2f re f' % (_rgb(fill), x, y, w, h))
                cs.append('0 0 0 RG 0.5 w %.2f %.2f %.2f %.2f re S' % (x, y, w, h))
            else:
                _, x, y, size, colour, s, bold = op
                esc = s.replace('\\', '\\\\').replace('(', '\\(').replace(')', '\\)')
                cs.append('BT /%s %g Tf %s rg %.2f %.2f Td (%s) Tj ET'
                          % ('F1' if bold else 'F2', size, _rgb(colour), x, y, esc))
        stream = '\n'.join(cs).encode('latin-1')
        c = add(b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream')
        kids.append(add(('<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595.28 841.89] '
                         '/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>'
                         % (pages_id, f1, f2, c)).encode()))
    add(('<< /Type /Pages /Kids [%s] /Count %d >>'
         % (' '.join('%d 0 R' % k for k in kids), len(kids))).encode())
    root = add(b'<< /Type /Catalog /Pages %d 0 R >>' % pages_id)
    out = bytearray(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
    offs = []
    for i, body in enumerate(objs, start=1):
        offs.append(len(out))
        out += b'%d 0 obj\n' % i + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
    for o in offs:
        out += b'%010d 00000 n \n' % o
    out += b'trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (
        len(objs) + 1, root, xref)
    with open(path, 'wb') as f:
        f.write(out)


SELF_SCALE = [('N/A', 'Not applicable', '#D9D9D9', '#000000'),
              ('R', 'Red', '#C00000', '#FFFFFF'),
              ('A', 'Amber', '#FFC000', '#000000'),
              ('G', 'Green', '#00B050', '#000000'),
              ('C', 'Complete', '#1F4E79', '#FFFFFF')]
SELF_ROWS = [('1a. Reports set out options', ['R', 'A', 'G']),
             ('1b. Decisions published', ['N/A', 'G', 'C']),
             ('2a. A balanced budget', ['A', 'R', 'A']),
             ('2b. Accounts closed', ['C', 'C', 'N/A'])]


def self_pdf(path, variant):
    """The self-test document: a ratings table and prose on page 1, a
    definitions table (narrow code cells) on page 2."""
    sc = {c: (f, t) for c, _, f, t in SELF_SCALE}

    def cell(ops, x, y, w, h, code, size=10):
        fill, colour = sc[code]
        if variant == 'wrong-fill' and code == 'G':
            fill = '#00B0F0'
        if variant == 'swapped' and code == 'G':
            fill = sc['A'][0]
        if variant == 'colour-only' and code == 'N/A':
            colour = fill
        if variant == 'wrong-text' and code == 'C':
            colour = '#000000'
        if variant == 'near-fill' and code == 'A':
            fill = '#FAC505'       # within the tolerance of #FFC000
        if variant == 'off-fill' and code == 'A':
            fill = '#F0C000'       # 15 off in red: outside it
        tw = sum(HB[ch] for ch in code) * size / 1000.0
        if variant == 'tight':     # quorum's layout: 4 pt padding, 12.5 pt lines
            w, h = tw + 8, 20.5
        ops.append(('rect', x, y, w, h, fill))
        ops.append(('text', x + (w - tw) / 2, y + (h - 0.7 * size) / 2, size, colour, code, True))

    p1 = [('text', 56, 780, 14, '#000000', 'Programme Ratings', True),
          ('text', 56, 755, 10, '#000000', 'A summary of the ratings. A rating is given for each period.', False)]
    y = 700
    for k, label in enumerate(['Outcome / criterion', 'Quarter 1', 'Quarter 2', 'Quarter 3']):
        x, w = (56, 220) if k == 0 else (276 + 80 * (k - 1), 80)
        p1.append(('rect', x, y, w, 20, '#FFFFFF'))
        p1.append(('text', x + 4, y + 6, 9, '#000000', label, True))
    for n, (label, codes) in enumerate(SELF_ROWS):
        y -= 20
        if variant == 'missing' and n == 3:
            codes = codes[:2]
        p1.append(('rect', 56, y, 220, 20, '#FFFFFF'))
        p1.append(('text', 60, y + 6, 10, '#000000', label, False))
        for k, code in enumerate(codes):
            cell(p1, 276 + 80 * k, y, 80, 20, code)
    p2 = [('text', 56, 780, 12, '#000000', 'Note on definitions', True)]
    y = 760
    for code, text, _, _ in SELF_SCALE:
        y -= 22
        cell(p2, 56, y, 32, 22, code)
        p2.append(('rect', 88, y, 380, 22, '#FFFFFF'))
        p2.append(('text', 92, y + 7, 10, '#000000', '%s indicates something about progress.' % text, False))
    write_pdf(path, [p1, p2])


def self_values():
    vals = {c: Value(c, t, f, col) for c, t, f, col in SELF_SCALE}
    for _, codes in SELF_ROWS:
        for c in codes:
            vals[c].expected += 1
    for v in vals.values():
        v.expected += 1
    return vals


def selftest(work):
    cases = [('good', None), ('near-fill', None), ('tight', None),
             ('wrong-fill', r'value G .*0 cells with that fill found, 3 expected'),
             ('swapped', r'code G printed on the fill #FFC000 of A'),
             ('off-fill', r'value A .*0 cells with that fill found, 4 expected'),
             ('colour-only', r'value N/A.*colour alone'),
             ('wrong-text', r'value C.*glyphs drawn #000000, declared text colour #FFFFFF'),
             ('missing', r'value N/A .*2 cells .*3 expected')]
    bad = 0
    for name, want in cases:
        pdf = os.path.join(work, 'selftest-%s.pdf' % name)
        self_pdf(pdf, name)
        fails = check(pdf, self_values(), work, exact=True, quiet=(name != 'good'))
        if want is None:
            ok = not fails
        else:
            ok = any(re.search(want, f) for f in fails)
        print('selftest %-12s %s%s' % (name, 'ok' if ok else 'WRONG',
                                       '' if want is None else ' (failed as it must: %s)'
                                       % ('; '.join(fails) or 'no failure')))
        if not ok:
            bad += 1
            for f in fails:
                print('    ' + f)
    return bad


def main(argv):
    if len(argv) >= 3 and argv[1] == 'selftest':
        os.makedirs(argv[2], exist_ok=True)
        bad = selftest(argv[2])
        print('FAIL: selftest' if bad else 'selftest passed')
        return 1 if bad else 0
    if len(argv) >= 5 and argv[1] == 'check':
        pdf, report, work = argv[2:5]
        os.makedirs(work, exist_ok=True)
        rest = argv[5:]
        style = rest[rest.index('--style') + 1] if '--style' in rest else None
        values = load_report(report, style)
        fails = check(pdf, values, work, exact='--exact' in argv[5:])
        for f in fails:
            print('FAIL: ' + f)
        if not fails:
            print('ok: every rating value is printed as its code on its fill')
        return 1 if fails else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
