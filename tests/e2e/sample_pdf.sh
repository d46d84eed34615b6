#!/usr/bin/env bash
# The sample report as a PDF: structurally sound (qpdf), only embedded fonts,
# the document metadata, a bookmark for every section and appendix, working
# links, and text that poppler extracts without warnings.
# usage: sample_pdf.sh QUORUM REPO WORK
set -euo pipefail
q=$1 repo=$2 work=$3
mkdir -p "$work"
pdf=$work/report.pdf
"$q" build "$repo/input/council-2025-01-29/report.xml" -o "$pdf"

qpdf --check "$pdf" > "$work/qpdf.txt" 2>&1 || { cat "$work/qpdf.txt"; echo "FAIL: qpdf --check"; exit 1; }
grep -q "No syntax or stream encoding errors found" "$work/qpdf.txt" || { cat "$work/qpdf.txt"; echo "FAIL: qpdf found problems"; exit 1; }

pdffonts "$pdf" > "$work/fonts.txt"
rows=$(tail -n +3 "$work/fonts.txt")
[ -n "$rows" ] || { echo "FAIL: no fonts listed"; exit 1; }
if echo "$rows" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit bad ? 0 : 1 }'; then
  cat "$work/fonts.txt"; echo "FAIL: a font is not embedded"; exit 1
fi
echo "$rows" | grep "LiberationSans" >/dev/null || { echo "FAIL: Liberation Sans not used"; exit 1; }

pdftotext "$pdf" "$work/report.txt" 2> "$work/pdftotext.err"
[ ! -s "$work/pdftotext.err" ] || { cat "$work/pdftotext.err"; echo "FAIL: poppler warned"; exit 1; }

pdfinfo "$pdf" > "$work/info.txt"
grep -q "^Title: *Progress on Thurrock Council's Improvement and Recovery$" "$work/info.txt" || { cat "$work/info.txt"; echo "FAIL: title"; exit 1; }
grep -q "^Author: *Luke Tyson" "$work/info.txt" || { echo "FAIL: author"; exit 1; }
grep -q "^Subject: *Report to Council, 29 January 2025$" "$work/info.txt" || { echo "FAIL: subject"; exit 1; }
grep -q "^Page size: *595.28 x 841.89 pts (A4)" "$work/info.txt" || { echo "FAIL: page size"; exit 1; }

/usr/bin/python3 - "$pdf" "$repo/input/council-2025-01-29/report.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
import pikepdf
pdf = pikepdf.open(sys.argv[1])
ns = {"q": "urn:quorum:report:1"}
root = ET.parse(sys.argv[2]).getroot()
errors = []
if str(pdf.Root.get("/Lang")) != "en-GB":
    errors.append(f"/Lang is {pdf.Root.get('/Lang')}")
# Every top-level section-like element with a heading, and every appendix,
# has a bookmark at the top level, in document order.
expected = []
num = 0
for el in root:
    tag = el.tag.split("}")[1]
    if tag in ("section", "implication", "background-documents", "form"):
        h = el.find("q:heading", ns)
        title = "".join(h.itertext()).strip() if h is not None else ""
        if el.get("numbered") == "false":
            expected.append(title)
        else:
            num += 1
            expected.append(f"{num}. {title}")
    elif tag == "appendices":
        for i, ap in enumerate(el.findall("q:appendix", ns), 1):
            expected.append(f"Appendix {i}")
with pdf.open_outline() as outline:
    top = [o.title for o in outline.root]
    def dest_ok(o):
        d = o.destination
        return d is not None and len(d) >= 2 and d[0].get("/Type") == "/Page"
    bad = [o.title for o in outline.root if not dest_ok(o)]
if len(top) != len(expected):
    errors.append(f"{len(top)} top-level bookmarks, expected {len(expected)}: {top}")
for got, want in zip(top, expected):
    if not got.startswith(want):
        errors.append(f"bookmark {got!r} does not start with {want!r}")
if bad:
    errors.append(f"bookmarks without a page destination: {bad}")
# Links: the two background documents' URLs, and internal cross-references.
uris, internal = [], 0
for page in pdf.pages:
    for a in page.get("/Annots", []):
        if a.get("/Subtype") != "/Link":
            continue
        act = a.get("/A")
        if act is not None and act.get("/S") == "/URI":
            uris.append(str(act.URI))
        elif a.get("/Dest") is not None:
            internal += 1
want_uris = [d.get("href") for d in root.iter("{urn:quorum:report:1}document") if d.get("href")]
for u in want_uris:
    if u not in uris:
        errors.append(f"no link to {u}")
refs = len(list(root.iter("{urn:quorum:report:1}ref")))
if internal < refs:
    errors.append(f"{internal} internal links for {refs} cross-references")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY
echo "sample PDF: ok"
