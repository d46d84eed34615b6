"""PDF/UA-1 rules beyond pdf_tags.py's walk, each stated mechanically
(issue 16), run by pdf_ua.sh on every kind of output.

  pdf_ua.py check FILE.pdf [RULE ...]   every rule (or those named)
  pdf_ua.py break RULE IN.pdf OUT.pdf   a copy of IN that RULE must reject
                                        (the self-tests)
  pdf_ua.py artifacts FILE.pdf          prints each artifact type with its
                                        count, e.g. "Pagination/Footer 24"

Rules:
  table-regular  every row of a table covers the same number of columns,
                 counting /ColSpan and /RowSpan (veraPDF PDF/UA-1 7.2-43),
                 no two cells cover one grid position, no /RowSpan runs
                 past the table's last row
  row-header     a row holding a rated cell (a cell whose text is stood in
                 for by /ActualText or /Alt) has a TH with /Scope /Row, so
                 the rating is announced with what it rates
  cell-alt       no table cell has /Alt (it stands for the whole cell, so
                 a client listing cells, pdf.js, announces it where the
                 cell has no content); a rating's word is /ActualText of
                 a Span holding the cell's text
  artifact-type  every artifact sequence is typed: /Pagination (with
                 /Subtype /Header or /Footer, or none: a repeated table
                 header row) when it shows text, /Layout when it only paints
Exit status 1 with one line per problem."""
import sys

import pikepdf

RULES = ["table-regular", "row-header", "cell-alt", "artifact-type"]


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


def stood_in(cell):
    """The cell's text is replaced for assistive technology (a rating)."""
    if "/Alt" in cell or "/ActualText" in cell:
        return True
    return any("/ActualText" in k or "/Alt" in k for k in elems(cell))


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
    for r in rules or RULES:
        globals()["rule_" + r.replace("-", "_")](pdf, probs)
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
    if rule == "table-regular":
        # the first spanning cell loses its span
        for e in elems(root):
            if role(e) in ("TD", "TH") and int(attr(e, "/ColSpan", 1)) > 1:
                for a in attrs(e):
                    if "/ColSpan" in a:
                        del a["/ColSpan"]
                break
        else:
            sys.exit("no cell with /ColSpan in " + src)
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


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) == 3 and sys.argv[1] == "artifacts":
        sys.exit(artifacts(sys.argv[2]))
    if len(sys.argv) == 5 and sys.argv[1] == "break":
        sys.exit(break_file(*sys.argv[2:5]))
    sys.exit(__doc__)
