"""Checks an agenda pack PDF against its meeting file (docs/meeting.md).

usage: pack_check.py MEETING.xml PACK.pdf [--supplement N1,N2,...]

Reads each page's text with pdftotext, the bookmarks and links with pikepdf,
and checks: the agenda's page column against the page where each item
really starts ("Agenda Item N" there, the report's own "Page 1 of Y"
footer, "Page Y of Y" on the last page given); the pack page number "Page
N" on every page; a link per entry to its first page; the bookmark tree
(item -> report sections -> appendices, in agenda order).  Prints FAIL
lines and exits 1 on any failure.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pikepdf

NS = "{urn:quorum:report:1}"
fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL:", msg)


def item_numbers(agenda):
    """Numbers as docs/meeting.md gives them: number= printed, whole ones
    continue the count."""
    out, count = [], 0
    for it in agenda.findall(NS + "item"):
        num = it.get("number")
        if num is None:
            count += 1
            num = str(count)
        elif num.isdigit():
            count = int(num)
        out.append((num, it))
    return out


def main():
    meeting_path, pdf_path = sys.argv[1], sys.argv[2]
    only = None
    if len(sys.argv) > 4 and sys.argv[3] == "--supplement":
        only = sys.argv[4].split(",")
    root = ET.parse(meeting_path).getroot()
    items = item_numbers(root.find(NS + "agenda"))
    if only is not None:
        items = [(n, it) for n, it in items if n in only]
    pdf = pikepdf.open(pdf_path)
    npages = len(pdf.pages)
    pages = []
    for i in range(1, npages + 1):
        pages.append(subprocess.run(
            ["pdftotext", "-layout", "-f", str(i), "-l", str(i), pdf_path, "-"],
            check=True, capture_output=True, text=True).stdout)

    # pack page numbers
    for i, t in enumerate(pages, 1):
        if not re.search(r"^\s*Page %d\s*$" % i, t, re.M):
            fail("page %d does not carry its pack number 'Page %d'" % (i, i))

    # the agenda's page column: "N  Title ...   a - b" or "... a"
    agenda_pages = [i for i, t in enumerate(pages) if re.search(r"^\s*Agenda\s*$", t, re.M)]
    if not agenda_pages:
        fail("no agenda page")
        return
    a0 = agenda_pages[0]
    col = {}
    for i in range(a0, npages):
        if i > a0 and "Agenda Item" in pages[i]:
            break
        for line in pages[i].splitlines():
            m = re.match(r"^(\S+)\s{2,}(.*?)\s{2,}(\d+)(?: - (\d+))?\s*$", line)
            if m:
                col[m.group(1)] = (int(m.group(3)), int(m.group(4) or m.group(3)))
    prev_last = a0 + 1
    for num, it in items:
        public = it.get("report") and not it.get("exempt-paragraph")
        exempt = it.get("exempt-paragraph") is not None
        if not public and not exempt:
            if num in col:
                fail("item %s has no report but a page %s on the agenda" % (num, col[num]))
            continue
        if num not in col:
            fail("item %s: no page on the agenda" % num)
            continue
        first, last = col[num]
        if not (1 <= first <= last <= npages):
            fail("item %s: pages %d - %d outside the pack (%d pages)" % (num, first, last, npages))
            continue
        if first <= prev_last:
            fail("item %s starts on page %d, not after the previous part (page %d)"
                 % (num, first, prev_last))
        prev_last = last
        t = pages[first - 1]
        if not re.search(r"Agenda Item %s\b" % re.escape(num), t):
            fail("item %s: page %d does not say 'Agenda Item %s'" % (num, first, num))
        if first > 1 and re.search(r"Agenda Item %s\b" % re.escape(num), pages[first - 2]):
            fail("item %s: already on page %d, the agenda says %d" % (num, first - 1, first))
        if exempt:
            if "NOT FOR PUBLICATION" not in t or last != first:
                fail("item %s: exempt page %d is not one not-for-publication page" % (num, first))
            continue
        y = last - first + 1
        if not re.search(r"Page 1 of %d\b" % y, t):
            fail("item %s: page %d lacks the report footer 'Page 1 of %d'" % (num, first, y))
        if not re.search(r"Page %d of %d\b" % (y, y), pages[last - 1]):
            fail("item %s: page %d lacks 'Page %d of %d'" % (num, last, y, y))
        if last < npages and re.search(r"Page %d of %d\b" % (y + 1, y + 1), pages[last]):
            fail("item %s: report goes on past page %d" % (num, last))

    # links from the agenda to each item's first page
    objpage = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
    targets = set()
    for i in range(a0, npages):
        for annot in pdf.pages[i].get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None and "/A" in annot:
                dest = annot.A.get("/D")
            if dest is not None and len(dest) > 0:
                targets.add(objpage.get(dest[0].objgen))
    for num, (first, _) in col.items():
        if first not in targets:
            fail("no link on the agenda to page %d (item %s)" % (first, num))

    # bookmarks
    def dest_page(ol):
        d = ol.destination
        if d is None and ol.action is not None:
            d = ol.action.get("/D")
        try:
            return objpage.get(d[0].objgen)
        except Exception:
            return None

    with pdf.open_outline() as outline:
        top = list(outline.root)
        titles = [o.title for o in top]
        want = ["%s. %s" % (n, it.get("title")) for n, it in items]
        got_items = [t for t in titles if re.match(r"^\S+\. ", t)]
        if got_items != want:
            fail("item bookmarks %r, want %r" % (got_items, want))
        if "Agenda" not in titles or titles.index("Agenda") != 1:
            fail("second bookmark is not 'Agenda': %r" % titles[:3])
        for o in top:
            m = re.match(r"^(\S+)\. ", o.title)
            if not m or m.group(1) not in col:
                if o.children and not m:
                    fail("bookmark %r has children" % o.title)
                continue
            first, last = col[m.group(1)]
            if dest_page(o) != first:
                fail("bookmark %r goes to page %s, the item starts on %d"
                     % (o.title, dest_page(o), first))
            stack = [(c, 2) for c in o.children]
            while stack:
                c, depth = stack.pop()
                p = dest_page(c)
                if p is None or not first <= p <= last:
                    fail("bookmark %r (under %r) goes to page %s, outside %d - %d"
                         % (c.title, o.title, p, first, last))
                stack.extend((g, depth + 1) for g in c.children)
            kids = [c.title for c in o.children]
            public = any(n == m.group(1) and it.get("report") and not it.get("exempt-paragraph")
                         for n, it in items)
            if public:
                if not any(re.match(r"^1\. ", k) for k in kids):
                    fail("report of item %s: no section bookmarks under it: %r"
                         % (m.group(1), kids))
                apps = [k for k in kids if k.startswith("Appendix ")]
                if not apps:
                    fail("report of item %s: no appendix bookmarks under it" % m.group(1))
                if apps and kids.index(apps[0]) < max(i for i, k in enumerate(kids)
                                                       if re.match(r"^\d+\. ", k)):
                    fail("appendices do not follow the sections: %r" % kids)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
