#!/usr/bin/env bash
# PDF items (issue 15): the sample meeting with two more items, a tagged
# PDF made by LibreOffice (pdfitems/minutes.fodt) and an untagged one made
# by Ghostscript (pdfitems/audit.ps).  The pack is made; each item's text
# starts on the page its agenda entry gives (the seed report's too); the
# pages keep their text and links, their bookmarks nest under the item;
# qpdf --check passes; the untagged PDF is named in a warning; a second
# run gives the same bytes.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 src=$2 work=$3
here=$src/tests/e2e
py=/usr/bin/python3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000

command -v soffice >/dev/null || { echo "FAIL: soffice missing (bash .ci/deps test: libreoffice-writer-nogui)"; exit 1; }
command -v ps2pdf >/dev/null || { echo "FAIL: ps2pdf missing (bash .ci/deps test: ghostscript)"; exit 1; }

cp -r "$src/input/council-2025-01-29" m
# LibreOffice with a profile of its own in the work folder, so that runs
# side by side do not share one
timeout 300 soffice -env:UserInstallation="file://$PWD/lo-profile" --headless \
    --convert-to 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}' \
    --outdir m "$here/pdfitems/minutes.fodt" >soffice.log 2>&1 ||
    fail "soffice could not make minutes.pdf: $(cat soffice.log)"
timeout 60 ps2pdf -sPAPERSIZE=a4 "$here/pdfitems/audit.ps" m/audit.pdf || fail "ps2pdf failed"
pdfinfo m/minutes.pdf | grep -E "^Tagged: +yes" >/dev/null || fail "minutes.pdf is not tagged"
pdfinfo m/audit.pdf | grep -E "^Tagged: +no" >/dev/null || fail "audit.pdf is tagged"

$py - m/meeting.xml <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('report="report.xml"/>', 'report="report.xml"/>\n'
    '    <item id="minutes-nov" title="Minutes of the Meeting of 27 November 2024" report="minutes.pdf"/>\n'
    '    <item id="audit" title="Internal Audit Annual Report" report="audit.pdf"/>', 1)
open(p, "w", encoding="utf-8").write(s)
PY

(cd m && "$quorum" pack meeting.xml -o pack.pdf) >pack.out 2>&1 || fail "pack failed: $(cat pack.out)"
grep -F "meeting.xml:103:" pack.out | grep -F "audit.pdf is not tagged: the pack is not fully accessible" >/dev/null ||
    fail "no warning at the item naming the untagged audit.pdf: $(cat pack.out)"
grep -F "note: 1 PDF item is not tagged (audit.pdf): the pack is not fully accessible" pack.out >/dev/null ||
    fail "no summary of the untagged items: $(cat pack.out)"
[ -s m/pack.pdf ] || { echo "FAIL: no pack"; exit 1; }
qpdf --check m/pack.pdf >qpdf.out 2>&1 || fail "qpdf --check: $(cat qpdf.out)"

# page by page: the agenda's page for each item, and the text there
$py - m/pack.pdf ranges.txt <<'PY' || fail "pages and agenda disagree (above)"
import re, subprocess, sys
pdf = sys.argv[1]
def text(first, last=None):
    return subprocess.run(["pdftotext", "-layout", "-f", str(first), "-l", str(last or first),
                           pdf, "-"], capture_output=True, text=True, check=True).stdout
agenda = text(2, 4)
want = {"9": "Progress on Thurrock Council", "10": "Minutes of the meeting of Council",
        "11": "Audit first page", }
last_text = {"10": "Minutes second page", "11": "Audit second page"}
bad = 0
ranges = []
for num, start in want.items():
    m = re.search(r"^\s*%s\s+.*?\s(\d+)(?: - (\d+))?\s*$" % num, agenda, re.M)
    if not m:
        print("FAIL: no agenda entry with pages for item", num); bad = 1; continue
    a = int(m.group(1)); b = int(m.group(2) or a)
    ranges.append("%s %d %d\n" % (num, a, b))
    first = text(a)
    if start not in first or "Agenda Item %s" % num not in first:
        print("FAIL: item %s: page %d does not start it: %r" % (num, a, first[:200])); bad = 1
    if first.count("Agenda Item %s" % num) != 1:  # the band's label, or the report's
        print("FAIL: item %s: page %d says 'Agenda Item %s' %d times"
              % (num, a, num, first.count("Agenda Item %s" % num))); bad = 1
    if start in text(a - 1):
        print("FAIL: item %s: its text is already on page %d" % (num, a - 1)); bad = 1
    if num in last_text and last_text[num] not in text(b):
        print("FAIL: item %s: its last page %d lacks %r" % (num, b, last_text[num])); bad = 1
    if "Page %d" % a not in first:
        print("FAIL: item %s: page %d has no pack page number" % (num, a)); bad = 1
open(sys.argv[2], "w").write("".join(ranges))
sys.exit(bad)
PY

# nothing of an included page under the bands: its text lies between them
read -r _ pdf_first _ < <(grep "^10 " ranges.txt)
read -r _ _ pdf_last < <(grep "^11 " ranges.txt)
[ -n "${pdf_first:-}" ] && [ -n "${pdf_last:-}" ] || { echo "FAIL: no pages for items 10 and 11"; exit 1; }
$py - m/pack.pdf "$pdf_first" "$pdf_last" <<'PY' || fail "an included page's text reaches into a band"
import re, subprocess, sys
out = subprocess.run(["pdftotext", "-bbox", "-f", sys.argv[2], "-l", sys.argv[3], sys.argv[1], "-"],
                     capture_output=True, text=True, check=True).stdout
bad = seen = 0
for page in out.split("<page ")[1:]:
    h = float(re.search(r'height="([\d.]+)"', page).group(1))
    for y0, y1, w in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page):
        if w in ("Agenda", "Item", "10", "11", "Page") or w.isdigit():
            continue
        seen += 1
        if float(y0) < 30 or float(y1) > h - 36:
            print("FAIL: %r at y %s-%s is in a band" % (w, y0, y1)); bad = 1
if seen < 20:
    print("FAIL: only %d words on the included pages" % seen); bad = 1
sys.exit(bad)
PY

# its bookmarks under the item's; its links kept (out, and to its page 2)
$py - m/pack.pdf "$pdf_first" "$pdf_last" <<'PY' || fail "outline or links of the included PDF lost"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
bad = 0
with pdf.open_outline() as o:
    item = [x for x in o.root if x.title.startswith("10. Minutes")]
    kids = [k.title for k in item[0].children] if item else []
    if not item or "Minutes of the meeting of Council held on 27 November 2024" not in kids:
        print("FAIL: the minutes' bookmarks are not under item 10:", kids); bad = 1
pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
uris, dests = [], []
for i in range(int(sys.argv[2]) - 1, int(sys.argv[3])):
    for a in pdf.pages[i].obj.get("/Annots", []):
        if "/A" in a and "/URI" in a.A:
            uris.append(str(a.A.URI))
        elif "/Dest" in a:
            dests.append((i, pages.get(a.Dest[0].objgen)))
if "https://www.example.gov.uk/council" not in uris:
    print("FAIL: the link out is lost:", uris); bad = 1
if not any(d == s + 1 for s, d in dests):
    print("FAIL: the link to the minutes' next page is lost:", dests); bad = 1
sys.exit(bad)
PY

# the tagged PDF's structure joins the pack's: its text in the pack's
# tree, in a Part of its own between the seed report's and the exempt
# item's; the pack's PDF/UA rules still hold (pdf_ua.py)
pdfinfo -struct-text m/pack.pdf >struct.txt 2>&1 || fail "pdfinfo -struct-text failed"
$py - struct.txt <<'PY' || fail "the minutes' tags are not in the pack's tree (above)"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
parts = [i for i, l in enumerate(lines) if l.strip() == "Part"]
def part_of(text):
    at = [i for i, l in enumerate(lines) if text in l]
    # the last mention: the agenda names items before their Parts
    before = [p for p in parts if at and p < at[-1]]
    return before[-1] if before else None
m1 = part_of("Minutes of the meeting of Council held on 27")
m2 = part_of("Minutes second page")
seed = part_of("Progress on Thurrock Council")
exempt = part_of("Agenda Item 14")
bad = 0
if m1 is None or m1 != m2:
    print("FAIL: the minutes' two pages are not in one Part:", m1, m2); bad = 1
elif not (seed is not None and exempt is not None and seed < m1 < exempt):
    print("FAIL: the minutes' Part is not between items 9 and 14:", seed, m1, exempt); bad = 1
if "Audit first page" in open(sys.argv[1], encoding="utf-8").read():
    print("FAIL: the untagged audit.pdf has text in the tree"); bad = 1
sys.exit(bad)
PY
# headings nest as bookmarks do: the label on a PDF item's first page is
# its Part's H1 ("Agenda Item 10", as a report's), the tagged PDF's own
# headings one level below it, as its bookmarks sit under the item's; the
# untagged item has its H1 all the same.  The pack's PDF/UA rules hold,
# heading-outline included (pdf_ua.py), and a copy whose minutes' heading
# "1. Apologies for absence" is back at its own level (H2, as before
# issue 15 was closed) is rejected: the rule reads the included pages'
# text from their form XObjects.
heading_over struct.txt "Agenda Item 10" 1 "Minutes of the meeting of Council held on 27"
heading_over struct.txt "Minutes of the meeting of Council held on 27 November 2024" 2 "1. Apologies"
grep -B1 '^ *"Agenda Item 11"$' struct.txt | grep '^ *H1 ' >/dev/null ||
    fail "the untagged item's \"Agenda Item 11\" is not an H1"
$py "$here/pdf_ua.py" check m/pack.pdf >ua.out 2>&1 || fail "pdf_ua.py: $(cat ua.out)"
# and pdf_tags.sh's walk: the minutes' content claimed through the form
# XObjects drawing its pages, its roles standard; only the untagged
# audit.pdf's two pages show what is not tagged
tags_but_untagged m/pack.pdf 2
$py - m/pack.pdf broken.pdf <<'PY' || fail "could not break the minutes' heading"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
def kids(e):  # a lone kid stands without an array (/K 17, /K << >>)
    k = e.get("/K")
    return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
def walk(e):
    for k in kids(e):
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            yield k
            yield from walk(k)
hs = [e for e in walk(pdf.Root.StructTreeRoot) if e.S == "/H3" and kids(e) and
      isinstance(kids(e)[0], pikepdf.Dictionary) and "/Stm" in kids(e)[0]]
if not hs:
    sys.exit("no H3 drawn by a form XObject")
hs[0].S = pikepdf.Name("/H2")
pdf.save(sys.argv[2])
PY
$py "$here/pdf_ua.py" check broken.pdf heading-outline >broken.out 2>&1 &&
    fail "self-test: the minutes' heading at its own level went unnoticed"
grep -F "bookmark '1. Apologies for absence' sits under" broken.out >/dev/null ||
    fail "self-test: not the minutes' heading: $(cat broken.out)"

# the same inputs give the same bytes
(cd m && "$quorum" pack meeting.xml -o again.pdf) >again.out 2>&1 || fail "second pack failed"
cmp m/pack.pdf m/again.pdf >/dev/null || fail "rebuilding the pack changed its bytes"
exit $status
