#!/usr/bin/env bash
# Included PDF pages (issue 15) are measured, not shrunk blind: a page
# whose drawing stays clear of the bands is placed at 100% (its text where
# the source has it), a full-bleed one is shrunk to fit between them and
# the item (or appendix) says so once: "bleed.pdf: pages 2–3, 5 shrunk
# to 92% to leave room for the page number", a note at its reference.
# The agenda gives a PDF's own title; included links are tagged.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 src=$2 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000

$py - <<'PY' || { echo "FAIL: could not make the test PDFs"; exit 1; }
import pikepdf
def pdf(name, contents):
    p = pikepdf.new()
    font = p.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                              BaseFont=pikepdf.Name.Helvetica))
    for c in contents:
        pg = p.add_blank_page(page_size=(595, 842))
        pg.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        pg.obj.Contents = p.make_stream(c)
    if name == "wide.pdf":
        p.docinfo["/Title"] = "Wide Margins Survey 2024"
    p.save(name)
# text 72 pt from the edges, a box above the bottom margin
wide = b"BT /F1 12 Tf 72 700 Td (Widemargins) Tj ET 0 0 1 rg 72 72 451 40 re f"
# a tinted background to every edge
bleed = b"0.9 0.9 1 rg 0 0 595 842 re f BT /F1 12 Tf 72 700 Td (Fullbleed) Tj ET"
pdf("wide.pdf", [wide])
pdf("bleed.pdf", [wide, bleed, bleed, wide, bleed])
PY
meeting_file meeting.xml '    <item id="w" title="Wide" report="wide.pdf"/>
    <item id="b" title="Bleed" report="bleed.pdf"/>'
"$quorum" pack meeting.xml -o pack.pdf >pack.out 2>&1 || fail "pack failed: $(cat pack.out)"
grep -F "meeting.xml:10:32: note: bleed.pdf: pages 2–3, 5 shrunk to 92% to leave room for the page number" \
    pack.out >/dev/null || fail "no note at the full-bleed item: $(cat pack.out)"
[ "$(grep -c "shrunk" pack.out)" = 1 ] || fail "a note for a page that was not shrunk: $(cat pack.out)"

# where the words are: Widemargins at the source's place (x 72, baseline
# 842 - 700) on all three of its pages, Fullbleed moved on its three
$py - pack.pdf <<'PY' || fail "pages placed at the wrong scale (above)"
import re, subprocess, sys
out = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True,
                     check=True).stdout
bad = 0
seen = {"Widemargins": 0, "Fullbleed": 0}
for x0, y1, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(Widemargins|Fullbleed)<', out):
    seen[w] += 1
    at_source = abs(float(x0) - 72) < 0.5
    if (w == "Widemargins") != at_source:
        print("FAIL: %s at x %s" % (w, x0)); bad = 1
if seen != {"Widemargins": 3, "Fullbleed": 3}:
    print("FAIL: words seen:", seen); bad = 1
sys.exit(bad)
PY

# the agenda names a PDF item's document by its own title where it
# differs from the item's; an item without a title takes the PDF's, else
# the file's name (a report that is not a PDF still needs one)
$py - pack.pdf <<'PY' || fail "the agenda does not name the PDFs' titles (above)"
import subprocess, sys
agenda = subprocess.run(["pdftotext", "-f", "2", "-l", "2", sys.argv[1], "-"], capture_output=True,
                        text=True, check=True).stdout
bad = 0
if "Document: Wide Margins Survey 2024" not in agenda:
    print("FAIL: no 'Document:' line for wide.pdf:", agenda); bad = 1
if agenda.count("Document:") != 1:
    print("FAIL: a 'Document:' line for a PDF without a title of its own"); bad = 1
sys.exit(bad)
PY
meeting_file untitled.xml '    <item id="w" report="wide.pdf"/>
    <item id="b" report="bleed.pdf"/>'
"$quorum" pack untitled.xml -o untitled.pdf >untitled.out 2>&1 || fail "untitled PDF items: $(cat untitled.out)"
pdftotext -f 2 -l 2 untitled.pdf - | grep -F "Wide Margins Survey 2024" >/dev/null ||
    fail "an untitled item does not take its PDF's title"
pdftotext -f 2 -l 2 untitled.pdf - | grep -F "bleed.pdf" >/dev/null ||
    fail "an untitled item whose PDF has no title is not named by its file"
meeting_file xmlitem.xml '    <item id="r" report="report.xml"/>'
"$quorum" check xmlitem.xml >xmlitem.out 2>&1
grep -E "^xmlitem.xml:9:[0-9]+: error: <item> needs a title" xmlitem.out >/dev/null ||
    fail "an XML item without a title is not an error: $(cat xmlitem.out)"

# link annotations of included PDFs are tagged (PDF/UA): each has a
# /StructParent naming a Link element that holds it as an OBJR; a tagged
# PDF's links keep the Link elements of its own tree, an untagged one's
# get Link elements in a Part of their own; pages with links have /Tabs /S
cp "$src/tests/fuzz/corpus/pdfitem/tagged-libreoffice.pdf" tagged.pdf
cp "$src/tests/fuzz/corpus/pdfitem/links-outline-rotated.pdf" untagged.pdf
meeting_file links.xml '    <item id="t" title="Tagged" report="tagged.pdf"/>
    <item id="u" title="Untagged" report="untagged.pdf"/>'
"$quorum" pack links.xml -o links.pdf >links.out 2>&1 || fail "pack with links failed: $(cat links.out)"
$py - links.pdf <<'PY' || fail "link annotations of included PDFs are not tagged (above)"
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
pt = {}
def walk(n):
    a = n.get("/Nums", [])
    for i in range(0, len(a), 2):
        pt[int(a[i])] = a[i + 1]
    for k in n.get("/Kids", []):
        walk(k)
walk(p.Root.StructTreeRoot.ParentTree)
bad = 0
parents = {"tagged": 0, "untagged": 0}
for i, pg in enumerate(p.pages):
    links = [a for a in pg.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    if links and pg.obj.get("/Tabs") != "/S":
        print("FAIL: page %d has links but no /Tabs /S" % (i + 1)); bad = 1
    for a in links:
        sp = a.get("/StructParent")
        e = pt.get(int(sp)) if sp is not None else None
        kids = [] if e is None else (list(e.K) if isinstance(e.K, pikepdf.Array) else [e.K])
        if e is None or e.S != "/Link" or not any(
                isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and
                k.Obj.objgen == a.objgen for k in kids):
            print("FAIL: page %d: a link annotation is not held by a Link element" % (i + 1)); bad = 1
            continue
        if "/Contents" not in a:
            print("FAIL: page %d: a link annotation has no /Contents" % (i + 1)); bad = 1
        parents["untagged" if e.P.S == "/Part" else "tagged"] += 1
if not parents["tagged"] or not parents["untagged"]:
    print("FAIL: links of both PDFs not seen:", parents); bad = 1
sys.exit(bad)
PY

# a report's PDF appendix: the same measure and note at its href
cp -r "$src/input/council-2025-01-29" m
cp bleed.pdf m/
sed -i 's|title="Detailed IRP Outcomes Reporting"/>|&\n    <appendix href="bleed.pdf"/>|' m/report.xml
line=$(grep -n 'href="bleed.pdf"' m/report.xml | cut -d: -f1)
(cd m && "$quorum" build report.xml -o report.pdf) >build.out 2>&1 || fail "build failed: $(cat build.out)"
grep -F "report.xml:$line:15: note: bleed.pdf: pages 2–3, 5 shrunk to 90% to leave room for the page number" \
    build.out >/dev/null || fail "no note at the full-bleed appendix: $(cat build.out)"
# a style's running header is not drawn over a PDF appendix's page
(cd m && "$quorum" build report.xml --style northgate -o northgate.pdf) >ng.out 2>&1 ||
    fail "build --style northgate failed: $(cat ng.out)"
$py - m/northgate.pdf <<'PY' || fail "the style's header is drawn on a PDF appendix's page (above)"
import subprocess, sys
def text(n):
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), sys.argv[1], "-"],
                          capture_output=True, text=True, check=True).stdout
pages = int([l for l in subprocess.run(["pdfinfo", sys.argv[1]], capture_output=True, text=True,
            check=True).stdout.splitlines() if l.startswith("Pages:")][0].split()[1])
head = [l for l in text(2).splitlines() if l.strip()][0]  # the running header's first words
bad = 0
for n in range(pages - 4, pages + 1):  # the appendix's five pages
    if "Fullbleed" not in text(n) and "Widemargins" not in text(n):
        print("FAIL: page %d is not the appendix's" % n); bad = 1
    if head in text(n):
        print("FAIL: page %d carries the header %r" % (n, head)); bad = 1
sys.exit(bad)
PY
exit $status
