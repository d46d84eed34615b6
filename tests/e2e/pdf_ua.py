"""PDF/UA-1 rules beyond pdf_tags.py's walk, each stated mechanically
(issue 16), run by pdf_ua.sh on every kind of output.

  pdf_ua.py check FILE.pdf [RULE ...]   every rule (or those named, or all
                                        but those named ~RULE)
  pdf_ua.py break RULE IN.pdf OUT.pdf   a copy of IN that RULE must reject
                                        (the self-tests)
  pdf_ua.py artifacts FILE.pdf          prints each artifact type with its
                                        count, e.g. "Pagination/Footer 24"

Rules:
  table-regular  every row of a table covers the same number of columns,
                 counting /ColSpan and /RowSpan (veraPDF PDF/UA-1 7.2-43),
                 no two cells cover one grid position, no /RowSpan runs
                 past the table's last row
  table-headers  every Table has header cells (TH): a grid without any is
                 layout, and is not tagged as a table
  row-header     a row holding a rated cell (a cell whose text is stood in
                 for by /ActualText or /Alt; a tick box's "… (selected)"
                 is no rating) has a TH with /Scope /Row, so
                 the rating is announced with what it rates
  cell-alt       no table cell has /Alt (it stands for the whole cell, so
                 a client listing cells, pdf.js, announces it where the
                 cell has no content); a rating's word is /ActualText of
                 a Span holding the cell's text
  list-numbering every list whose items have labels (Lbl) says how they
                 count: /ListNumbering, a name ISO 32000-1 table 347 knows
  fonts          every font is embedded; every composite font has a
                 ToUnicode map that covers each code the pages show, and
                 that map agrees with the embedded font's own cmap (the
                 code's Unicode value gives the glyph the code draws)
  lang           the catalog's /Lang, and every /Lang in the tree, is a
                 language tag (BCP 47 shape)
  artifact-type  every artifact sequence is typed: /Pagination (with
                 /Subtype /Header or /Footer, or none: a repeated table
                 header row) when it shows text, /Layout when it only paints
  heading-outline, toc, caption, figure-alt: see pdf_ua_tree.py
Exit status 1 with one line per problem."""
import re
import struct
import sys

import pikepdf

RULES = ["table-regular", "table-headers", "row-header", "cell-alt", "list-numbering",
         "fonts", "lang", "artifact-type"]
NUMBERING = {"/None", "/Disc", "/Circle", "/Square", "/Decimal", "/UpperRoman",
             "/LowerRoman", "/UpperAlpha", "/LowerAlpha"}


def kids_of(e):
    k = e.get("/K")
    return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]


def elems(e):
    """The structure elements under e, e excluded, in reading order."""
    for k in kids_of(e):
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            yield k
            yield from elems(k)


def role(e):
    return str(e.get("/S", ""))[1:]


def attrs(e):
    a = e.get("/A")
    if a is None:
        return []
    return [x for x in (a if isinstance(a, pikepdf.Array) else [a])
            if isinstance(x, pikepdf.Dictionary)]


def attr(e, key, default=None):
    for a in attrs(e):
        if key in a:
            return a[key]
    return default


def child_elems(e):
    return [k for k in kids_of(e) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def rows_of(table):
    rows = []
    for k in child_elems(table):
        if role(k) == "TR":
            rows.append(k)
        elif role(k) in ("THead", "TBody", "TFoot"):
            rows.extend(r for r in child_elems(k) if role(r) == "TR")
    return rows


def rule_table_regular(pdf, probs):
    tables = [e for e in elems(pdf.Root.StructTreeRoot) if role(e) == "Table"]
    for ti, t in enumerate(tables, 1):
        rows = rows_of(t)
        held = {}      # (row, column) -> True
        widths = []
        for r, tr in enumerate(rows):
            col = 0
            for c in child_elems(tr):
                if role(c) not in ("TH", "TD"):
                    continue
                while (r, col) in held:
                    col += 1
                cs = int(attr(c, "/ColSpan", 1))
                rs = int(attr(c, "/RowSpan", 1))
                if cs < 1 or rs < 1:
                    probs.append("table %d row %d: span %d x %d" % (ti, r + 1, cs, rs))
                    cs, rs = max(cs, 1), max(rs, 1)
                if r + rs > len(rows):
                    probs.append("table %d row %d: /RowSpan %d runs past the last row"
                                 % (ti, r + 1, rs))
                for dr in range(rs):
                    for dc in range(cs):
                        if (r + dr, col + dc) in held:
                            probs.append("table %d row %d: two cells cover column %d"
                                         % (ti, r + dr + 1, col + dc + 1))
                        held[(r + dr, col + dc)] = True
                col += cs
            widths.append(1 + max([c for (rr, c) in held if rr == r], default=-1))
        if widths and len(set(widths)) > 1:
            probs.append("table %d: rows cover different numbers of columns (%s)"
                         % (ti, ", ".join(str(w) for w in sorted(set(widths)))))


def rule_table_headers(pdf, probs):
    tables = [e for e in elems(pdf.Root.StructTreeRoot) if role(e) == "Table"]
    for ti, t in enumerate(tables, 1):
        if not any(role(e) == "TH" for e in elems(t)):
            probs.append("table %d has no header cell" % ti)


def tick_box(e):
    """A tick box's Span: it says what it is ("One off cost (selected)"),
    so it is no rating that needs its row's header read with it."""
    return str(e.get("/Alt", "")).endswith(("(selected)", "(not selected)"))


def stood_in(cell):
    """The cell's text is replaced for assistive technology (a rating)."""
    if "/Alt" in cell or "/ActualText" in cell:
        return True
    return any("/ActualText" in k or ("/Alt" in k and not tick_box(k)) for k in elems(cell))


def rule_row_header(pdf, probs):
    for tr in (e for e in elems(pdf.Root.StructTreeRoot) if role(e) == "TR"):
        cells = child_elems(tr)
        if not any(role(c) == "TD" and stood_in(c) for c in cells):
            continue
        if not any(role(c) == "TH" and str(attr(c, "/Scope", "")) in ("/Row", "/Both")
                   for c in cells):
            text = " ".join(str(c.get("/Alt", "")) for c in cells)
            probs.append("a row with a rated cell has no TH with /Scope /Row (%s)"
                         % text.strip()[:60])


def rule_cell_alt(pdf, probs):
    for e in elems(pdf.Root.StructTreeRoot):
        if role(e) in ("TD", "TH") and "/Alt" in e:
            probs.append("a %s has /Alt %s" % (role(e), str(e.Alt)[:40]))


def rule_list_numbering(pdf, probs):
    for e in elems(pdf.Root.StructTreeRoot):
        if role(e) != "L":
            continue
        if not any(role(k) == "Lbl" for li in child_elems(e) for k in child_elems(li)):
            continue
        n = attr(e, "/ListNumbering")
        if n is None:
            probs.append("a list with labels has no /ListNumbering")
        elif str(n) not in NUMBERING:
            probs.append("a list has /ListNumbering %s" % n)


def truetype_cmap(data):
    """Unicode -> glyph of a TrueType font's (3,1) or (3,10) cmap."""
    n = struct.unpack(">H", data[4:6])[0]
    tabs = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tabs[tag] = off
    if b"cmap" not in tabs:
        return None
    base = tabs[b"cmap"]
    out = {}
    nsub = struct.unpack(">H", data[base + 2:base + 4])[0]
    for i in range(nsub):
        pid, eid, off = struct.unpack(">HHI", data[base + 4 + 8 * i:base + 12 + 8 * i])
        if pid != 3 or eid not in (1, 10):
            continue
        t = base + off
        fmt = struct.unpack(">H", data[t:t + 2])[0]
        if fmt == 4:
            segx2 = struct.unpack(">H", data[t + 6:t + 8])[0]
            ends = t + 14
            starts = ends + segx2 + 2
            deltas = starts + segx2
            ranges = deltas + segx2
            for s in range(segx2 // 2):
                end, start = (struct.unpack(">H", data[a + 2 * s:a + 2 * s + 2])[0]
                              for a in (ends, starts))
                delta = struct.unpack(">h", data[deltas + 2 * s:deltas + 2 * s + 2])[0]
                ro = struct.unpack(">H", data[ranges + 2 * s:ranges + 2 * s + 2])[0]
                for c in range(start, min(end, 0xFFFE) + 1):
                    if ro == 0:
                        g = (c + delta) & 0xFFFF
                    else:
                        a = ranges + 2 * s + ro + 2 * (c - start)
                        g = struct.unpack(">H", data[a:a + 2])[0]
                        g = (g + delta) & 0xFFFF if g else 0
                    if g:
                        out[c] = g
        elif fmt == 12:
            ng = struct.unpack(">I", data[t + 12:t + 16])[0]
            for k in range(ng):
                s, e, g = struct.unpack(">III", data[t + 16 + 12 * k:t + 28 + 12 * k])
                for c in range(s, e + 1):
                    out[c] = g + c - s
    return out


def to_unicode(stream):
    """code -> Unicode text of a ToUnicode CMap (bfchar and bfrange)."""
    text = stream.read_bytes().decode("latin-1")
    m = {}
    def u(h):
        b = bytes.fromhex(h)
        return b.decode("utf-16-be", "replace")
    for blk in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            m[int(a, 16)] = u(b)
    for blk in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            lo, hi, first = int(a, 16), int(b, 16), u(c)
            for k in range(lo, hi + 1):
                m[k] = first[:-1] + chr(ord(first[-1]) + k - lo)
    return m


def font_encoding(f):
    """(codespace, code -> CID or None) of a Type0 font: Identity-H codes
    are two bytes and their own CIDs (None); an embedded CMap gives its
    codespace ranges and its cidrange and cidchar entries.  A codespace is
    a width in bytes, or a list of (lo, hi) byte strings of any widths."""
    enc = f.get("/Encoding")
    if not isinstance(enc, pikepdf.Stream):
        return 2, None
    text = enc.read_bytes().decode("latin-1")
    space = []
    for blk in re.findall(r"begincodespacerange(.*?)endcodespacerange", text, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            space.append((bytes.fromhex(a), bytes.fromhex(b)))
    m = {}
    for blk in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", blk):
            for k in range(int(a, 16), int(b, 16) + 1):
                m[k] = int(c) + k - int(a, 16)
    for blk in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for a, c in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", blk):
            m[int(a, 16)] = int(c)
    return (space or 2), m


def codes_of(b, space):
    """The codes of a shown string: `space` bytes each, or by codespace
    ranges (the shortest matching, byte by byte, as PDF reads them)."""
    if isinstance(space, int):
        return [int.from_bytes(b[i:i + space], "big") for i in range(0, len(b) - space + 1, space)]
    out, i = [], 0
    ranges = sorted(space, key=lambda r: len(r[0]))
    while i < len(b):
        for lo, hi in ranges:
            n = len(lo)
            c = b[i:i + n]
            if len(c) == n and all(lo[k] <= c[k] <= hi[k] for k in range(n)):
                out.append(int.from_bytes(c, "big"))
                i += n
                break
        else:
            i += 1   # no range matches: a byte a reader would skip
    return out


def rule_fonts(pdf, probs):
    fonts = {}   # objgen -> (font, ToUnicode map or None)
    for pno, page in enumerate(pdf.pages, 1):
        res = page.Resources.get("/Font", {})
        for name, f in res.items():
            if f.objgen in fonts:
                continue
            base = str(f.get("/BaseFont", name))
            desc = f.DescendantFonts[0] if "/DescendantFonts" in f else f
            fd = desc.get("/FontDescriptor")
            if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                probs.append("font %s is not embedded" % base)
            tu = None
            width, cids = 2, None
            if str(f.Subtype) == "/Type0":
                width, cids = font_encoding(f)
                if "/ToUnicode" not in f:
                    probs.append("font %s has no ToUnicode" % base)
                else:
                    tu = to_unicode(f.ToUnicode)
                    c2g = desc.get("/CIDToGIDMap")
                    ff = fd.get("/FontFile2") if fd is not None else None
                    if isinstance(c2g, pikepdf.Stream) and ff is not None:
                        gids = c2g.read_bytes()
                        cmap = truetype_cmap(ff.read_bytes()) or {}
                        for code, text in tu.items():
                            cid = code if cids is None else cids.get(code, 0)
                            if len(text) != 1 or 2 * cid + 2 > len(gids):
                                continue
                            g = gids[2 * cid] << 8 | gids[2 * cid + 1]
                            want = cmap.get(ord(text))
                            if want is not None and g != want:
                                probs.append("font %s: code %04X maps to U+%04X, whose "
                                             "glyph is %d, but draws glyph %d"
                                             % (base, code, ord(text), want, g))
            fonts[f.objgen] = (f, tu, width)
        # every code shown in a composite font is in its ToUnicode map
        cur = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "Tf":
                f = res.get(str(operands[0]))
                cur = fonts.get(f.objgen) if f is not None else None
            elif op in ("Tj", "TJ", "'", '"') and cur and cur[1] is not None:
                strs = operands[0] if op == "TJ" else [operands[-1]]
                for s in strs:
                    if not isinstance(s, pikepdf.String):
                        continue
                    for code in codes_of(bytes(s), cur[2]):
                        if code not in cur[1]:
                            probs.append("page %d: code %04X of %s has no Unicode value"
                                         % (pno, code, cur[0].get("/BaseFont")))


LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def rule_lang(pdf, probs):
    lang = str(pdf.Root.get("/Lang", ""))
    if not LANG.fullmatch(lang):
        probs.append("catalog /Lang %r is not a language tag" % lang)
    for e in elems(pdf.Root.StructTreeRoot):
        if "/Lang" in e and not LANG.fullmatch(str(e.Lang)):
            probs.append("%s has /Lang %r" % (role(e), str(e.Lang)))


def rule_artifact_type(pdf, probs):
    for pno, page in enumerate(pdf.pages, 1):
        stack = []   # per open sequence: [typed dict or None, shows text, paints]
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                art = str(operands[0]) == "/Artifact"
                props = operands[1] if op == "BDC" else None
                if art:
                    props = props if isinstance(props, pikepdf.Dictionary) else {}
                    stack.append([props, False, False])
                else:
                    stack.append(None)
            elif op == "EMC":
                top = stack.pop() if stack else None
                if top is None:
                    continue
                props, shows, paints = top
                t = str(props.get("/Type", ""))
                sub = str(props.get("/Subtype", ""))
                if t not in ("/Pagination", "/Layout", "/Page", "/Background"):
                    probs.append("page %d: artifact without a /Type" % pno)
                elif shows and t != "/Pagination":
                    probs.append("page %d: an artifact showing text is %s, not "
                                 "/Pagination" % (pno, t))
                elif not shows and paints and t != "/Layout":
                    probs.append("page %d: an artifact only painting is %s, not "
                                 "/Layout" % (pno, t))
                if t == "/Pagination" and sub and sub not in ("/Header", "/Footer",
                                                             "/Watermark"):
                    probs.append("page %d: pagination artifact of subtype %s" % (pno, sub))
            elif stack and stack[-1] is not None:
                if op in ("Tj", "TJ", "'", '"'):
                    stack[-1][1] = True
                elif op in ("f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do",
                            "sh", "BI", "INLINE IMAGE"):
                    stack[-1][2] = True


def artifacts(path):
    pdf = pikepdf.open(path)
    n = {}
    for page in pdf.pages:
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) in ("BDC", "BMC") and str(operands[0]) == "/Artifact":
                p = operands[1] if str(op) == "BDC" else {}
                t = str(p.get("/Type", ""))[1:] or "untyped"
                if "/Subtype" in p:
                    t += "/" + str(p.Subtype)[1:]
                n[t] = n.get(t, 0) + 1
    for t in sorted(n):
        print(t, n[t])
    return 0


def check(path, rules):
    pdf = pikepdf.open(path)
    if "/StructTreeRoot" not in pdf.Root:
        print("%s: not tagged" % path)
        return 1
    probs = []
    if rules and all(r.startswith("~") for r in rules):  # all but these
        rules = [r for r in RULES if "~" + r not in rules]
    for r in rules or RULES:
        name = "rule_" + r.replace("-", "_")
        (globals().get(name) or getattr(pdf_ua_tree, name))(pdf, probs)
    for p in probs[:30]:
        print(p)
    if probs:
        print("%s: %d problems" % (path, len(probs)))
        return 1
    print("%s: %s: no problem" % (path, ", ".join(rules or RULES)))
    return 0


def break_file(rule, src, dst):
    """A copy of src with one thing changed that rule must reject."""
    pdf = pikepdf.open(src)
    root = pdf.Root.StructTreeRoot
    if rule in pdf_ua_tree.RULES:
        getattr(pdf_ua_tree, "break_" + rule.replace("-", "_"))(pdf)
    elif rule == "table-regular":
        # the first spanning cell loses its span
        for e in elems(root):
            if role(e) in ("TD", "TH") and int(attr(e, "/ColSpan", 1)) > 1:
                for a in attrs(e):
                    if "/ColSpan" in a:
                        del a["/ColSpan"]
                break
        else:
            sys.exit("no cell with /ColSpan in " + src)
    elif rule == "table-headers":
        # a table's header cells become data cells
        for e in elems(root):
            if role(e) == "Table":
                for c in elems(e):
                    if role(c) == "TH":
                        c.S = pikepdf.Name("/TD")
                break
    elif rule == "row-header":
        for e in elems(root):
            if role(e) == "TR" and any(role(c) == "TD" and stood_in(c)
                                       for c in child_elems(e)):
                for c in child_elems(e):
                    if role(c) == "TH":
                        c.S = pikepdf.Name("/TD")
                        del c["/A"]
                break
        else:
            sys.exit("no row with a rated cell in " + src)
    elif rule == "cell-alt":
        # the first rating word moves from its Span to the cell
        for e in elems(root):
            if role(e) == "Span" and "/ActualText" in e and role(e.P) in ("TD", "TH"):
                e.P.Alt = e.ActualText
                del e["/ActualText"]
                break
        else:
            sys.exit("no cell with a Span /ActualText in " + src)
    elif rule == "list-numbering":
        for e in elems(root):
            if role(e) == "L" and attr(e, "/ListNumbering") is not None:
                del e["/A"]
                break
        else:
            sys.exit("no list with /ListNumbering in " + src)
    elif rule == "fonts":
        # the first composite font's map gives a letter the wrong value
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", pikepdf.Dictionary())
            for name in list(fonts.keys()):
                f = fonts[name]
                if "/ToUnicode" in f:
                    t = f.ToUnicode.read_bytes()
                    t2 = re.sub(rb"(<[0-9A-F]+> <[0-9A-F]+>) <0061>", rb"\1 <0062>", t, count=1)
                    if t2 == t:
                        continue
                    f.ToUnicode = pdf.make_stream(t2)
                    break
            else:
                continue
            break
        else:
            sys.exit("no ToUnicode range for a-z in " + src)
    elif rule == "lang":
        pdf.Root.Lang = pikepdf.String("")
    elif rule == "artifact-type":
        # the first page's first typed artifact loses its properties
        page = pdf.pages[0]
        ops = list(pikepdf.parse_content_stream(page))
        for i, (operands, op) in enumerate(ops):
            if str(op) == "BDC" and str(operands[0]) == "/Artifact":
                ops[i] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name("/Artifact")], pikepdf.Operator("BMC"))
                break
        else:
            sys.exit("no typed artifact on page 1 of " + src)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    else:
        sys.exit("unknown rule " + rule)
    pdf.save(dst)
    return 0


# Last, after every helper it imports back from this module (pdfa.py
# imports this one as a module, not only as a script).
import pdf_ua_tree  # noqa: E402  the rules on the tree's shape, in a module of their own
RULES += pdf_ua_tree.RULES


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "rules":  # for pdfa.sh
        print(*RULES)
        sys.exit(0)
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) == 3 and sys.argv[1] == "artifacts":
        sys.exit(artifacts(sys.argv[2]))
    if len(sys.argv) == 5 and sys.argv[1] == "break":
        sys.exit(break_file(*sys.argv[2:5]))
    sys.exit(__doc__)
