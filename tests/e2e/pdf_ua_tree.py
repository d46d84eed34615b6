"""pdf_ua.py's rules on the structure tree's shape (issue 16, items 1, 2
and 7), kept apart from its other rules; each rule_X(pdf, probs) appends
one line per problem and break_X(pdf) changes a good file (a pikepdf.Pdf)
so that the rule must reject it (the self-tests).

  heading-outline  every bookmark has its heading (in reading order, text
                   equal to the title or ending it: "Appendix 2: Title"),
                   and the outline nests as the headings do: a bookmark's
                   parent is the heading of the nearest bookmarked heading
                   above its own in heading order (the nearest earlier
                   heading of a lower level, and so on up), none for a top
                   bookmark.  Headings without a bookmark may stand between.
                   In a pack, an item's bookmark "9. Title" has the printed
                   "Agenda Item 9" as its heading, a PDF appendix's
                   "Appendix 2: Title" the "Appendix 2" printed on its
                   first page, the front sheet's "Council – date" its H1
                   "Council", and a bookmark going to an agenda entry of
                   its words (an item without pages) leads to that entry
                   (a TOCI), not to a heading.
  toc              a TOC holds TOCIs (or TOCs) only; a Link in a TOCI is
                   inside a Reference; no element but a Reference holds
                   nothing but a Link into the document (a table of
                   contents entry tagged as a paragraph)
  caption          a Caption in a Table is its first or last child; a
                   Table with a /Summary has a Caption (a caption heard
                   only by screen readers is not printed)
  figure-alt       a Figure's /Alt does not repeat the text read right
                   after the Figure (the same words and numbers)
"""
import re

import pikepdf

RULES = ["heading-outline", "toc", "caption", "figure-alt"]

# after RULES: pdf_ua.py, importing this module, reads it back at once
from pdf_ua import child_elems, codes_of, elems, font_encoding, kids_of, role, to_unicode  # noqa: E402


def is_elem(k):
    return isinstance(k, pikepdf.Dictionary) and "/S" in k


# ---- text of elements: marked content decoded through ToUnicode ----------

def _tounicode(f):
    """(code -> text, bytes per code) of a font."""
    width = font_encoding(f)[0] if str(f.get("/Subtype")) == "/Type0" else 2
    return (to_unicode(f.ToUnicode) if "/ToUnicode" in f else {}), width


class Text:
    """(page or form XObject, MCID) -> the text shown in that marked-content
    sequence.  A page from elsewhere in a pack is drawn by a form XObject
    with its own /StructParents, its content referred to by MCRs with
    /Stm; its fonts may be simple ones (a byte a code)."""

    def __init__(self, pdf):
        self.by_mcid = {}
        self.maps = {}
        for page in pdf.pages:
            res = page.obj.get("/Resources", pikepdf.Dictionary())
            self._read(page, res, page.obj.objgen)
            xos = res.get("/XObject", pikepdf.Dictionary())
            for xo in (xos[k] for k in xos.keys()):
                if str(xo.get("/Subtype", "")) == "/Form" and "/StructParents" in xo:
                    self._read(xo, xo.get("/Resources", res), xo.objgen)

    def _decode(self, f, b):
        if f is None:
            return ""
        if f.objgen not in self.maps:
            self.maps[f.objgen] = _tounicode(f)
        m, width = self.maps[f.objgen]
        if str(f.get("/Subtype", "")) == "/Type0":
            return "".join(m.get(c, "") for c in codes_of(b, width))
        return "".join(m.get(c, chr(c)) for c in b)

    def _read(self, content, res, owner):
        fonts = res.get("/Font", pikepdf.Dictionary())
        stack, cur = [], None
        for operands, op in pikepdf.parse_content_stream(content):
            op = str(op)
            if op == "BDC":
                p = operands[1]
                stack.append(int(p.MCID) if isinstance(p, pikepdf.Dictionary)
                             and "/MCID" in p else None)
            elif op == "BMC":
                stack.append(None)
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op == "Tf":
                cur = fonts.get(str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"') and stack and stack[-1] is not None:
                strs = operands[0] if op == "TJ" else [operands[-1]]
                out = [self._decode(cur, bytes(s)) for s in strs
                       if isinstance(s, pikepdf.String)]
                key = (owner, stack[-1])
                self.by_mcid[key] = self.by_mcid.get(key, "") + "".join(out)

    def of(self, e, pg=None):
        pg = e.get("/Pg", pg)
        out = []
        for k in kids_of(e):
            if isinstance(k, int) or (hasattr(k, "is_integer") and k.is_integer):
                if pg is not None:
                    out.append(self.by_mcid.get((pg.objgen, int(k)), ""))
            elif isinstance(k, pikepdf.Dictionary) and str(k.get("/Type", "")) == "/MCR":
                owner = k.Stm if "/Stm" in k else k.Pg
                out.append(self.by_mcid.get((owner.objgen, int(k.MCID)), ""))
            elif is_elem(k):
                out.append(self.of(k, pg))
        return "".join(out)


def norm(s):
    return " ".join(s.split())


# ---- heading-outline -----------------------------------------------------

HEADING = re.compile(r"H([1-6])")


def headings(pdf, text):
    """[(level, text, element)] in reading order."""
    out = []
    for e in elems(pdf.Root.StructTreeRoot):
        m = HEADING.fullmatch(role(e))
        if m:
            out.append((int(m.group(1)), norm(text.of(e)), e))
    return out


def bookmarks(pdf):
    """[(title, parent index or None)] in outline order."""
    out = []

    def walk(item, parent):
        while item is not None:
            out.append((norm(str(item.get("/Title", ""))), parent))
            me = len(out) - 1
            if "/First" in item:
                walk(item.First, me)
            item = item.get("/Next")
    ol = pdf.Root.get("/Outlines")
    if ol is not None and "/First" in ol:
        walk(ol.First, None)
    return out


ITEM = re.compile(r"(\S+)\. ")


def titles_match(title, heading):
    if not heading:
        return False
    if title == heading or title.endswith(": " + heading):
        return True
    # a pack's front sheet: "Council – Wednesday, 29 January 2025" is the
    # meeting of the body its H1 names
    if title.startswith(heading + " \u2013 "):
        return True
    # a PDF appendix: its bookmark "Appendix 2: Title", its heading the
    # "Appendix 2" printed on its first page (the PDF's own page is below)
    if title.startswith(heading + ": "):
        return True
    # a pack's item: its bookmark "9. Title", its heading the printed
    # "Agenda Item 9" (docs/accessibility.md, "Packs")
    m = ITEM.match(title)
    return bool(m) and heading == "Agenda Item " + m.group(1)


def pages_of(e, pg=None, out=None):
    """The pages (objgen) an element's content is on."""
    out = set() if out is None else out
    pg = e.get("/Pg", pg)
    for k in kids_of(e):
        if isinstance(k, pikepdf.Dictionary) and str(k.get("/Type", "")) == "/MCR":
            out.add(k.Pg.objgen)
        elif is_elem(k):
            pages_of(k, pg, out)
        elif pg is not None:
            out.add(pg.objgen)
    return out


def dest_page(item):
    d = item.get("/Dest")
    if d is None and "/A" in item:
        d = item.A.get("/D")
    try:
        return d[0].objgen
    except (TypeError, IndexError, AttributeError):
        return None


def toc_bookmarks(pdf, text):
    """Indexes (in bookmarks() order) of the bookmarks that go to an entry
    of a table of contents of their own words ("1. Apologies" to the
    agenda's entry "1 Apologies …", an item with no pages of its own):
    an entry, not a heading, is where they lead."""
    entries = [(words(" ".join(text.of(k) for k in child_elems(e))), pages_of(e))
               for e in elems(pdf.Root.StructTreeRoot) if role(e) == "TOCI"]
    out, n = set(), 0

    def walk(item):
        nonlocal n
        while item is not None:
            w, pg = words(str(item.get("/Title", ""))), dest_page(item)
            if w and any(ew[:len(w)] == w and pg in eps for ew, eps in entries):
                out.add(n)
            n += 1
            if "/First" in item:
                walk(item.First)
            item = item.get("/Next")
    ol = pdf.Root.get("/Outlines")
    if entries and ol is not None and "/First" in ol:
        walk(ol.First)
    return out


def match_outline(pdf):
    """(headings, bookmarks, heading index of each bookmark or None, the
    bookmarks going to a table of contents' entry)."""
    text = Text(pdf)
    hs = headings(pdf, text)
    bs = bookmarks(pdf)
    toc = toc_bookmarks(pdf, text)
    at, match = 0, []
    for b, (title, _) in enumerate(bs):
        j = None if b in toc else next(
            (j for j in range(at, len(hs)) if titles_match(title, hs[j][1])), None)
        match.append(j)
        if j is not None:
            at = j + 1
    return hs, bs, match, toc


def rule_heading_outline(pdf, probs):
    hs, bs, match, toc = match_outline(pdf)
    of_heading = {j: b for b, j in enumerate(match) if j is not None}
    for b, (title, parent) in enumerate(bs):
        j = match[b]
        if b in toc:
            continue
        if j is None:
            probs.append("bookmark %r has no heading of that text after the one before"
                         % title[:60])
            continue
        # the nearest bookmarked heading above j in heading order
        k, level, above = j - 1, hs[j][0], None
        while k >= 0:
            if hs[k][0] < level:
                if k in of_heading:
                    above = of_heading[k]
                    break
                level = hs[k][0]
            k -= 1
        if above != parent:
            want = bs[parent][0][:40] if parent is not None else "(top level)"
            got = bs[above][0][:40] if above is not None else "(top level)"
            probs.append("bookmark %r sits under %r, its H%d under %r"
                         % (title[:50], want, hs[j][0], got))


def break_heading_outline(pdf):
    """The last bookmarked heading that follows a bookmarked sibling goes
    one level down, so it nests under that sibling's heading."""
    hs, bs, match, _ = match_outline(pdf)
    for b in range(len(bs) - 1, 0, -1):
        j = match[b]
        prev = [p for p in range(b) if bs[p][1] == bs[b][1]]
        if j is None or not prev or match[prev[-1]] is None or hs[j][0] >= 6:
            continue
        e = hs[j][2]
        e.S = pikepdf.Name("/H%d" % (hs[j][0] + 1))
        return
    raise SystemExit("no bookmarked heading after a bookmarked sibling")


# ---- toc -------------------------------------------------------------------

def internal_link(e):
    """e is a Link whose annotation goes to a place in the document."""
    if role(e) != "Link":
        return False
    for k in kids_of(e):
        if isinstance(k, pikepdf.Dictionary) and str(k.get("/Type", "")) == "/OBJR":
            a = k.Obj
            if "/Dest" in a or str(a.get("/A", {}).get("/S", "")) == "/GoTo":
                return True
    return False


def rule_toc(pdf, probs):
    root = pdf.Root.StructTreeRoot
    for e in elems(root):
        r = role(e)
        kids = child_elems(e)
        if r == "TOC":
            bad = [role(k) for k in kids if role(k) not in ("TOCI", "TOC")]
            if bad:
                probs.append("a TOC holds %s" % ", ".join(sorted(set(bad))))
        elif r == "TOCI":
            for k in elems(e):
                if role(k) == "Link" and role(k.P) != "Reference":
                    probs.append("a Link in a TOCI is in a %s, not a Reference" % role(k.P))
        elif r not in ("Reference", "Link"):
            # nothing but a link to a place in the document: an entry of a
            # table of contents
            allk = kids_of(e)
            if len(allk) == 1 and is_elem(allk[0]) and internal_link(allk[0]):
                probs.append("a %s is nothing but a link into the document: a table "
                             "of contents entry not tagged TOCI" % r)


def break_toc(pdf):
    """The agenda as it was tagged before: TOCs become Divs, entries Ps
    holding their Link without a Reference."""
    found = False
    for e in list(elems(pdf.Root.StructTreeRoot)):
        if role(e) == "TOC":
            e.S = pikepdf.Name("/Div")
        elif role(e) == "TOCI":
            e.S = pikepdf.Name("/P")
            new = []
            for k in kids_of(e):
                if is_elem(k) and role(k) == "Reference":
                    for x in kids_of(k):
                        if is_elem(x):
                            x.P = e
                        new.append(x)
                    found = True
                else:
                    new.append(k)
            e.K = pikepdf.Array(new)
    if not found:
        raise SystemExit("no TOC entry with a Reference to break")


# ---- caption -----------------------------------------------------------------

def rule_caption(pdf, probs):
    root = pdf.Root.StructTreeRoot
    for e in elems(root):
        r = role(e)
        if r == "Table":
            kids = child_elems(e)
            caps = [i for i, k in enumerate(kids) if role(k) == "Caption"]
            if any(i not in (0, len(kids) - 1) for i in caps):
                probs.append("a Table's Caption is neither its first nor its last child")
            summary = any("/Summary" in a for a in
                          (e.A if isinstance(e.get("/A"), pikepdf.Array) else [e.get("/A")])
                          if isinstance(a, pikepdf.Dictionary))
            if summary and not caps:
                probs.append("a Table has a /Summary but no printed Caption")


def figure_and_next(pdf):
    """(Figure with /Alt, the element read right after it) pairs."""
    for e in elems(pdf.Root.StructTreeRoot):
        if role(e) == "Figure" and "/Alt" in e:
            sibs = child_elems(e.P)
            i = next(i for i, k in enumerate(sibs) if k.objgen == e.objgen)
            if i + 1 < len(sibs):
                yield e, sibs[i + 1]


def rule_figure_alt(pdf, probs):
    text = None
    for e, nxt in figure_and_next(pdf):
        text = text or Text(pdf)
        alt = words(str(e.Alt))
        if alt and alt == words(text.of(nxt)):
            probs.append("a Figure's /Alt repeats the text after it: %s" % str(e.Alt)[:60])


def break_figure_alt(pdf):
    """The first Figure followed by text gets that text as its /Alt."""
    text = Text(pdf)
    for e, nxt in figure_and_next(pdf):
        t = text.of(nxt)
        if words(t):
            e.Alt = pikepdf.String(t)
            return
    raise SystemExit("no Figure with /Alt followed by text")


def words(s):
    """Words and numbers only: "a; b" and "a. b" say the same."""
    return re.findall(r"\w+", s.lower())


def break_caption(pdf):
    """The first Table's Caption goes: only its /Summary is left."""
    for e in elems(pdf.Root.StructTreeRoot):
        if role(e) == "Table":
            kids = child_elems(e)
            if kids and role(kids[0]) == "Caption":
                e.K = pikepdf.Array([k for k in kids_of(e) if not
                                     (is_elem(k) and k.objgen == kids[0].objgen)])
                e.A = pikepdf.Dictionary({"/O": pikepdf.Name("/Table"),
                                          "/Summary": pikepdf.String("broken")})
                return
    raise SystemExit("no Table with a Caption")
