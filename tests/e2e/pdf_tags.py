"""Checks of a tagged quorum PDF (PDF/UA-1 structure), run by pdf_tags.sh.

  pdf_tags.py outline STRUCT_TEXT EXPECTED   compare `pdfinfo -struct-text`
                                             with dlist_pdf --struct
  pdf_tags.py walk FILE.pdf [ALT=WORD ...]   walk content and structure
  pdf_tags.py agenda FILE.pdf STRUCT_TEXT    an agenda pack's entries
  pdf_tags.py retag IN.pdf OUT.pdf FROM TO   a copy with the first FROM
                                             element made TO (self-tests)
  pdf_tags.py untagged FILE.pdf              the file carries no tagging

walk checks, page by page: every text object, path, image and shading is
inside a marked-content sequence with an MCID or inside an /Artifact one
(a form XObject with /StructParents, a page from elsewhere in a pack, is
walked as content of its own, its MCIDs claimed through MCRs with /Stm);
no sequence crosses a text object; every MCID is claimed by exactly one
structure element (through /K, on the right page) and the parent tree
gives that element for it; every TH has a scope, every Figure an /Alt
and a /BBox on its page;
headings never skip a level (in reading order the first heading is H1 and
each is at most one level below the one before); every link annotation has
/StructParent and a Link parent holding it as OBJR; pages with annotations
have /Tabs /S; role names are standard; the catalog has /MarkInfo, /Lang,
DisplayDocTitle and XMP with pdfuaid:part 1.  ALT=WORD: the text of some
TD reads as WORD (a Span in it with /ActualText WORD: a rating).

agenda checks each agenda entry that links to its report: one Link holds
the whole entry and one annotation, and reads, in the structure tree and
in marked-content order, as the item number, the title, then the page
reference, a Span whose /Alt says it in words ("pages 5 to 41", "page
42") for the printed "5 - 41" or "42".
Exit status 1 with one line per problem.
"""
import re
import sys

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead
TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby Warichu
Figure Formula Form""".split())

SHOW = {"Tj", "TJ", "'", '"'}
PAINT = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh", "BI",
         "INLINE IMAGE"}


def norm_struct_text(lines):
    """pdfinfo -struct-text -> the form dlist_pdf --struct prints."""
    out = []
    role_ind = 0
    for ln in lines:
        body = ln.lstrip(" ")
        ind = len(ln) - len(body)
        if not body or body.startswith("Object "):
            continue  # OBJR: the link annotation
        if body.startswith("/"):
            if body.startswith(("/Scope", "/ColSpan", "/RowSpan")):  # pdfinfo indents these oddly
                out.append(" " * (role_ind + 2) + body.strip())
            continue
        if body == '""':
            continue  # marked content with no text: a drawn trend arrow
        if body.startswith('"'):
            text = body
            if out and out[-1].startswith(" " * ind + '"') and \
                    len(out[-1]) - len(out[-1].lstrip(" ")) == ind:
                out[-1] = out[-1][:-1] + text[1:]  # consecutive MCIDs
            else:
                out.append(" " * ind + text)
            continue
        role = re.sub(r" \((block|inline)\)$", "", body.rstrip(":"))
        out.append(" " * ind + role)
        role_ind = ind
    return out


def outline(struct_path, expected_path):
    got = norm_struct_text(open(struct_path, encoding="utf-8",
                                errors="replace").read().split("\n"))
    want = [l for l in open(expected_path, encoding="utf-8",
                            errors="replace").read().split("\n") if l]
    if got == want:
        print("structure tree matches the display list: %d lines" % len(got))
        return 0
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            print("line %d differs:\n  pdf:      %r\n  expected: %r" % (i + 1, g, w))
            break
    else:
        print("length differs: pdf %d lines, expected %d" % (len(got), len(want)))
    return 1


def words(struct_path, text_path):
    """Every word of the structure's text is a word pdftotext finds (which
    splits words by position): words run together ("andRecovery") are
    what a screen reader would hear when spaces are missing."""
    known = set(open(text_path, encoding="utf-8").read().split())
    bad = []
    total = 0
    for ln in open(struct_path, encoding="utf-8", errors="replace"):
        body = ln.strip()
        if not (body.startswith('"') and body.endswith('"')):
            continue
        for w in body[1:-1].split():
            total += 1
            if w in known or not re.search(r"\w", w):
                continue  # punctuation after a link belongs to its word
            # a word hyphenated (or a URL broken) at a line end
            parts = [p for p in re.split(r"(?<=[-/])", w) if p]
            if len(parts) > 1 and all(p in known for p in parts):
                continue
            bad.append(w)
    if total == 0:
        print("no text in the structure")
        return 1
    if bad:
        print("%d of %d words in the structure are not words of the page "
              "text, e.g. %s" % (len(bad), total, ", ".join(bad[:8])))
        return 1
    print("all %d words of the structure text are words of the page text" % total)
    return 0


def walk(path, alts):
    import pikepdf
    probs = []
    pdf = pikepdf.open(path)
    root = pdf.Root
    if root.get("/MarkInfo") is None or not bool(root.MarkInfo.get("/Marked")):
        probs.append("catalog: no /MarkInfo << /Marked true >>")
    if not str(root.get("/Lang", "")):
        probs.append("catalog: no /Lang")
    vp = root.get("/ViewerPreferences")
    if vp is None or not bool(vp.get("/DisplayDocTitle")):
        probs.append("catalog: no DisplayDocTitle")
    md = root.get("/Metadata")
    xmp = md.read_bytes().decode("utf-8", "replace") if md is not None else ""
    if "<pdfuaid:part>1</pdfuaid:part>" not in xmp:
        probs.append("XMP: no pdfuaid:part 1")
    str_root = root.get("/StructTreeRoot")
    if str_root is None:
        print("no /StructTreeRoot")
        return 1

    # Parent tree: key -> value.
    ptree = {}
    def nums(node, depth=0):
        if depth > 8:
            return
        if "/Nums" in node:
            a = node.Nums
            for i in range(0, len(a), 2):
                ptree[int(a[i])] = a[i + 1]
        for k in node.get("/Kids", []):
            nums(k, depth + 1)
    nums(str_root.ParentTree)

    # Structure tree: elements in reading order, MCIDs claimed.
    claimed = {}   # (page objgen, mcid) -> element objgen
    objr = {}      # annotation objgen -> element
    elems = []
    counts = {}
    page_ids = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}

    def visit(e, parent, pg):
        if len(elems) > 1000000:
            return
        s = str(e.get("/S", ""))[1:]
        elems.append(e)
        counts[s] = counts.get(s, 0) + 1
        if e.get("/Type") is not None and str(e.Type) != "/StructElem":
            probs.append("element %s: /Type %s" % (s, e.Type))
        if s not in STANDARD:
            probs.append("role %r is not standard" % s)
        if parent is not None and e.get("/P") is not None and \
                e.P.objgen != parent.objgen:
            probs.append("element %s: /P is not its parent" % s)
        if s == "TH":
            a = e.get("/A")
            attrs = a if isinstance(a, pikepdf.Array) else [a] if a is not None else []
            if not any(x.get("/Scope") is not None for x in attrs):
                probs.append("TH without /Scope")
        if s == "Figure" and not str(e.get("/Alt", "")):
            probs.append("Figure without /Alt")
        if s == "Figure":
            a = e.get("/A")
            attrs = a if isinstance(a, pikepdf.Array) else [a] if a is not None else []
            boxes = [x.BBox for x in attrs if x.get("/BBox") is not None]
            pgd = e.get("/Pg", pg)
            if not boxes or pgd is None:
                probs.append("Figure without /BBox")
            else:
                b = [float(v) for v in boxes[0]]
                mb = [float(v) for v in pgd.MediaBox]
                if not (mb[0] <= b[0] < b[2] <= mb[2] and mb[1] <= b[1] < b[3] <= mb[3]):
                    probs.append("Figure /BBox %s not on its page" % b)
        pg = e.get("/Pg", pg)
        k = e.get("/K")
        kids = k if isinstance(k, pikepdf.Array) else [] if k is None else [k]
        for kid in kids:
            if isinstance(kid, int) or (hasattr(kid, "is_integer") and kid.is_integer):
                if pg is None:
                    probs.append("element %s: MCID %d without /Pg" % (s, int(kid)))
                    continue
                key = (pg.objgen, int(kid))
                if key in claimed:
                    probs.append("MCID %d on page %s claimed twice" %
                                 (int(kid), page_ids.get(pg.objgen)))
                claimed[key] = e.objgen
            elif isinstance(kid, pikepdf.Dictionary):
                t = str(kid.get("/Type", ""))
                if t == "/MCR":
                    key = ((kid.Stm if "/Stm" in kid else kid.Pg).objgen, int(kid.MCID))
                    if key in claimed:
                        probs.append("MCID claimed twice")
                    claimed[key] = e.objgen
                elif t == "/OBJR":
                    objr[kid.Obj.objgen] = e
                else:
                    visit(kid, e, pg)
    rk = str_root.K
    for top in (rk if isinstance(rk, pikepdf.Array) else [rk]):
        visit(top, None, None)

    # Headings in reading order: start at H1, never skip a level.
    last = 0
    nth = 0
    for e in elems:
        s = str(e.get("/S", ""))[1:]
        m = re.fullmatch(r"H([1-6])", s)
        if m:
            nth += 1
            lv = int(m.group(1))
            if last == 0 and lv != 1:
                probs.append("the first heading is %s, not H1" % s)
            elif lv > last + 1:
                pg = e.get("/Pg")
                probs.append("heading %d (%s, page %s) after H%d skips a level" %
                             (nth, s, page_ids.get(pg.objgen) if pg is not None else "?",
                              last))
            last = lv

    for word in alts:
        if not any(str(e.get("/S")) == "/Span" and str(e.get("/ActualText", "")) == word
                   and str(e.P.get("/S")) == "/TD" for e in elems):
            probs.append("no TD whose text reads as %r (Span /ActualText)" % word)

    # Content streams: each page's, and each form XObject's with a
    # /StructParents of its own (a page from elsewhere drawn into a pack:
    # its marked content is claimed by MCRs with /Stm), once.
    seen = set()
    ntext = npaint = nart = 0
    forms_done = set()

    def content(stream, res, owner, where, sp):
        """Walks one content stream; returns the forms with structure of
        their own that it draws (walked as content of their own)."""
        nonlocal ntext, npaint, nart
        stack = []      # ("mcid", n, tag) / ("art",) / ("other",)
        bt_depth = None
        mcids = set()
        forms = []
        xobjects = res.get("/XObject", pikepdf.Dictionary())
        for operands, op in pikepdf.parse_content_stream(stream):
            op = str(op)
            if op == "Do":
                xo = xobjects.get(str(operands[0]))
                if xo is not None and "/StructParents" in xo:
                    forms.append(xo)
                    continue
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" else None
                if tag == "/Artifact":
                    stack.append(("art",))
                elif props is not None and isinstance(props, pikepdf.Dictionary) \
                        and "/MCID" in props:
                    n = int(props.MCID)
                    if n in mcids:
                        probs.append("%s: MCID %d used twice" % (where, n))
                    mcids.add(n)
                    stack.append(("mcid", n, tag))
                else:
                    stack.append(("other",))
            elif op == "EMC":
                if not stack:
                    probs.append("%s: EMC without BDC" % where)
                else:
                    stack.pop()
            elif op == "BT":
                bt_depth = len(stack)
                if not any(x[0] in ("mcid", "art") for x in stack):
                    probs.append("%s: text object outside marked content" % where)
            elif op == "ET":
                if bt_depth != len(stack):
                    probs.append("%s: marked content crosses a text object" % where)
                bt_depth = None
            elif op in SHOW or op in PAINT:
                inner = [x for x in stack if x[0] in ("mcid", "art")]
                if not inner:
                    probs.append("%s: %s outside marked content" % (where, op))
                elif inner[-1][0] == "art":
                    nart += 1
                elif op in SHOW:
                    ntext += 1
                else:
                    npaint += 1
        if stack:
            probs.append("%s: %d marked-content sequences left open" % (where, len(stack)))
        if mcids:
            if sp is None:
                probs.append("%s: MCIDs but no /StructParents" % where)
                return forms
            arr = ptree.get(int(sp))
            if arr is None:
                probs.append("%s: /StructParents %d not in the parent tree" % (where, int(sp)))
                return forms
            for n in sorted(mcids):
                key = (owner, n)
                seen.add(key)
                if key not in claimed:
                    probs.append("%s: MCID %d belongs to no element" % (where, n))
                elif n >= len(arr) or arr[n].objgen != claimed[key]:
                    probs.append("%s: parent tree disagrees on MCID %d" % (where, n))
        return forms

    for pno, page in enumerate(pdf.pages, 1):
        res = page.obj.get("/Resources", pikepdf.Dictionary())
        for f in content(page, res, page.obj.objgen, "page %d" % pno,
                         page.obj.get("/StructParents")):
            if f.objgen not in forms_done:
                forms_done.add(f.objgen)
                content(f, f.get("/Resources", res), f.objgen, "page %d's form" % pno,
                        f.get("/StructParents"))
        annots = page.obj.get("/Annots", [])
        if len(annots) and str(page.obj.get("/Tabs", "")) != "/S":
            probs.append("page %d: annotations but no /Tabs /S" % pno)
        for a in annots:
            if str(a.get("/Subtype")) != "/Link":
                continue
            sp = a.get("/StructParent")
            e = objr.get(a.objgen)
            if sp is None or e is None:
                probs.append("page %d: link annotation not in the structure tree" % pno)
                continue
            if str(e.get("/S")) != "/Link":
                probs.append("page %d: link annotation's parent is %s" % (pno, e.get("/S")))
            pe = ptree.get(int(sp))
            if pe is None or pe.objgen != e.objgen:
                probs.append("page %d: parent tree disagrees on an annotation" % pno)
    for key in claimed:
        if key not in seen:
            probs.append("MCID %d on page %s claimed but not in any content" %
                         (key[1], page_ids.get(key[0])))
    for p in probs[:40]:
        print(p)
    if probs:
        print("%d problems" % len(probs))
        return 1
    print("%d pages, %d structure elements (%s), %d tagged text runs, "
          "%d tagged paths/images, %d artifact operations: all tagged" %
          (len(pdf.pages), len(elems),
           ", ".join("%s %d" % kv for kv in sorted(counts.items())),
           ntext, npaint, nart))
    return 0


def kids_of(e):
    import pikepdf
    k = e.get("/K")
    return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]


def agenda(path, struct_path):
    """The agenda's entries with a link (those in the pack): in the
    structure text, a TOCI's Reference holding one Link whose text is "N Title " and
    whose last child is a Span with the printed page reference; in the
    file, that Span's /Alt in words, its marked content after the
    title's, and one annotation for the Link, as wide as the entry."""
    import pikepdf
    probs = []
    # 1. pdfinfo -struct-text: the entries of the Sect headed "Agenda".
    lines = open(struct_path, encoding="utf-8", errors="replace").read().split("\n")
    entries = []
    in_agenda = False
    for i, ln in enumerate(lines):
        body = ln.strip()
        ind = len(ln) - len(ln.lstrip(" "))
        if ind == 2 and body.startswith("Sect"):
            nxt = lines[i + 2].strip() if i + 2 < len(lines) else ""
            in_agenda = lines[i + 1].strip().startswith("H1") and nxt == '"Agenda"'
        elif ind <= 2:
            in_agenda = False
        if in_agenda and body.startswith("Link"):
            # the Link's kids, up to the next line as shallow as the Link
            kids = []
            for k in lines[i + 1:]:
                if len(k) - len(k.lstrip(" ")) <= ind:
                    break
                kids.append(k.strip())
            kids = [k for k in kids if not k.startswith("Object ")]
            entries.append(kids)
    if not entries:
        print("no agenda entry with a link in %s" % struct_path)
        return 1
    printed = []
    for kids in entries:
        if len(kids) != 3 or not kids[1].startswith("Span") or \
                not re.fullmatch(r'"\d+[A-Za-z]? \S.* "', kids[0]) or \
                not re.fullmatch(r'"\d+( - \d+)?"', kids[2]):
            probs.append("agenda entry does not read number, title, page "
                         "reference: %s" % " | ".join(kids))
            continue
        printed.append(kids[2].strip('"'))
    # 2. the file: Spans under Links under the Agenda's Ps.
    pdf = pikepdf.open(path)
    order = {}   # (page objgen, mcid) -> position in the content stream
    for page in pdf.pages:
        n = 0
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1]:
                order[(page.obj.objgen, int(operands[1].MCID))] = n
                n += 1

    def mcids(e, pg, out):
        pg = e.get("/Pg", pg)
        for k in kids_of(e):
            if isinstance(k, int) or (hasattr(k, "is_integer") and k.is_integer):
                out.append(order.get((pg.objgen, int(k)), -1))
            elif isinstance(k, pikepdf.Dictionary) and str(k.get("/Type", "")) == "/MCR":
                out.append(order.get((k.Pg.objgen, int(k.MCID)), -1))
            elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
                mcids(k, pg, out)
        return out

    links = []
    def find(e, pg):
        pg = e.get("/Pg", pg)
        for k in kids_of(e):
            if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                if str(k.S) == "/Link" and str(e.get("/S")) in ("/P", "/Reference") and \
                        any(isinstance(x, pikepdf.Dictionary) and str(x.get("/S")) == "/Span"
                            for x in kids_of(k)):
                    links.append((k, pg))
                find(k, pg)
    find(pdf.Root.StructTreeRoot, None)
    if len(links) != len(entries):
        probs.append("%d agenda links with a page reference in the file, %d in the "
                     "structure text" % (len(links), len(entries)))
    for j, (ln, pg) in enumerate(links):
        kids = kids_of(ln)
        spans = [k for k in kids if isinstance(k, pikepdf.Dictionary) and
                 str(k.get("/S")) == "/Span"]
        objr = [k for k in kids if isinstance(k, pikepdf.Dictionary) and
                str(k.get("/Type", "")) == "/OBJR"]
        if len(spans) != 1 or kids.index(spans[0]) != max(
                i for i, k in enumerate(kids) if not (isinstance(k, pikepdf.Dictionary)
                                                      and str(k.get("/Type", "")) == "/OBJR")):
            probs.append("entry %d: the page reference is not the Link's last child" % (j + 1))
            continue
        span = spans[0]
        alt = str(span.get("/Alt", ""))
        if j < len(printed):
            m = re.fullmatch(r"(\d+)(?: - (\d+))?", printed[j])
            want = "page %s" % m.group(1) if not m.group(2) else \
                "pages %s to %s" % (m.group(1), m.group(2))
            if alt != want:
                probs.append("entry %d: page reference %r has /Alt %r, not %r" %
                             (j + 1, printed[j], alt, want))
        own = mcids(pikepdf.Dictionary({"/K": pikepdf.Array(
            [k for k in kids if k is not span])}), ln.get("/Pg", pg), [])
        sp = mcids(span, ln.get("/Pg", pg), [])
        if not own or not sp or -1 in own + sp or max(own) > min(sp) or \
                own != sorted(own):
            probs.append("entry %d: marked content is not in the order number, "
                         "title, page reference" % (j + 1))
        if len(objr) != 1:
            probs.append("entry %d: %d link annotations, not one" % (j + 1, len(objr)))
        else:
            r = [float(v) for v in objr[0].Obj.Rect]
            page = objr[0].get("/Pg", pg)
            mb = [float(v) for v in page.MediaBox]
            if r[2] - r[0] < 0.6 * (mb[2] - mb[0]):
                probs.append("entry %d: the link covers %.0f pt, not the entry" %
                             (j + 1, r[2] - r[0]))
    for p in probs[:40]:
        print(p)
    if probs:
        print("%d problems" % len(probs))
        return 1
    print("%d agenda entries read number, title, page reference (%s)" %
          (len(entries), ", ".join(printed)))
    return 0


def retag(src, dst, old, new):
    """A copy of src whose first structure element of role old (in reading
    order) has role new: for showing that the checks fail."""
    import pikepdf
    pdf = pikepdf.open(src)
    def visit(e):
        if str(e.get("/S", "")) == "/" + old:
            e.S = pikepdf.Name("/" + new)
            return True
        return any(visit(k) for k in kids_of(e)
                   if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    if not any(visit(k) for k in kids_of(pdf.Root.StructTreeRoot)):
        print("no %s element" % old)
        return 1
    pdf.save(dst)
    return 0


def untagged(path):
    import pikepdf
    pdf = pikepdf.open(path)
    if "/StructTreeRoot" in pdf.Root or "/MarkInfo" in pdf.Root:
        print("untagged file has a structure tree")
        return 1
    for page in pdf.pages:
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) in ("BDC", "BMC"):
                print("untagged file has marked content")
                return 1
    print("untagged: no structure, no marked content")
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "outline":
        sys.exit(outline(sys.argv[2], sys.argv[3]))
    if cmd == "walk":
        sys.exit(walk(sys.argv[2], [a[4:] for a in sys.argv[3:] if a.startswith("ALT=")]))
    if cmd == "agenda":
        sys.exit(agenda(sys.argv[2], sys.argv[3]))
    if cmd == "retag":
        sys.exit(retag(*sys.argv[2:6]))
    if cmd == "words":
        sys.exit(words(sys.argv[2], sys.argv[3]))
    if cmd == "untagged":
        sys.exit(untagged(sys.argv[2]))
    sys.exit("unknown command " + cmd)
