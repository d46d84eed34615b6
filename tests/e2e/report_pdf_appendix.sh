#!/usr/bin/env bash
# PDF appendices (issue 15): <appendix href="minutes.pdf"/> in a report.
# The sample report with two more appendices, a tagged PDF (LibreOffice)
# and an untagged one (Ghostscript), builds and packs the way PDF items
# do: each appendix's text starts at the page its bookmark gives, after
# the XML appendices, with the report's footer and "Appendix N" in bands
# that cover none of its text; the front sheet lists it; its bookmarks
# nest under "Appendix N: title"; the tagged one's text is in the tree;
# qpdf --check and pdf_ua.py pass; rebuilding is byte-identical; the
# untagged one is warned about at its href.  In a pack the same, and a
# replaced PDF changes the item's hash.  --archive refuses an appendix
# that is not PDF/A; --archive=3b attaches a PDF/A one so that extract
# and rebuild give the same bytes.  Bad appendices (encrypted, damaged,
# missing, not a PDF) give report.xml:L:C: error: and exit 1.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 src=$2 work=$3
py=/usr/bin/python3
here=$src/tests/e2e
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000

cp -r "$src/input/council-2025-01-29" m
cp "$src/tests/fuzz/corpus/pdfitem/tagged-libreoffice.pdf" m/minutes.pdf
cp "$src/tests/fuzz/corpus/pdfitem/untagged-ghostscript.pdf" m/audit.pdf
# appendices: FILE... after the sample's two XML ones
appendices() {
    $py - m/report.xml "$@" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r'(title="Detailed IRP Outcomes Reporting"/>).*?(\n  </appendices>)', r"\1\2", s, flags=re.S)
extra = "".join('\n    <appendix href="%s"%s/>' % (f, ' title="Internal Audit Annual Report"'
                                                   if f == "audit.pdf" else "") for f in sys.argv[2:])
s = s.replace('title="Detailed IRP Outcomes Reporting"/>', 'title="Detailed IRP Outcomes Reporting"/>' + extra, 1)
open(p, "w", encoding="utf-8").write(s)
PY
}
appendices minutes.pdf audit.pdf
line=$(grep -n 'href="audit.pdf"' m/report.xml | cut -d: -f1)

(cd m && timeout 60 "$quorum" build report.xml -o report.pdf) >build.out 2>&1 ||
    fail "build failed: $(cat build.out)"
grep -F "report.xml:$line:15: warning: audit.pdf is not tagged: the report is not fully accessible" \
    build.out >/dev/null || fail "no warning at the untagged appendix's href: $(cat build.out)"
[ "$(grep -c "warning:" build.out)" = 1 ] || fail "more than the one warning: $(cat build.out)"

# level=N check OUT: the appendices' pages, bands, list, bookmarks and
# tags, their headings HN
check() {
    local pdf=$1
    qpdf --check "$pdf" >"$pdf.qpdf" 2>&1 || fail "$pdf: qpdf --check: $(cat "$pdf.qpdf")"
    $py - "$pdf" <<'PY' || fail "$pdf: the PDF appendices are not where they should be (above)"
import re, subprocess, sys, pikepdf
path = sys.argv[1]
pdf = pikepdf.open(path)
def text(n, *opt):
    return subprocess.run(["pdftotext", *opt, "-f", str(n), "-l", str(n), path, "-"],
                          capture_output=True, text=True, check=True).stdout
pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
marks = {}
with pdf.open_outline() as o:
    def walk(xs, parent):
        for x in xs:
            d = x.destination if x.destination is not None else x.action.D
            marks[x.title] = (pages[d[0].objgen], parent, [k.title for k in x.children])
            walk(x.children, x.title)
    walk(o.root, None)
bad = 0
want = [("Appendix 3: Minutes of Council, 27 November 2024", "Minutes of the meeting of Council", "Appendix 3"),
        ("Appendix 4: Internal Audit Annual Report", "Audit first page", "Appendix 4")]
xml2 = [k for k in marks if k.startswith("Appendix 2:")]
for title, first, label in want:
    if title not in marks:
        print("FAIL: no bookmark", repr(title), "in", [k for k in marks if k.startswith("Appendix")]); bad = 1; continue
    n = marks[title][0]
    t = text(n)
    if first not in t or label not in t:
        print("FAIL: page %d, where %r points, lacks %r or its label: %r" % (n, title, first, t[:300])); bad = 1
    if first in text(n - 1):
        print("FAIL: %r is already on page %d" % (first, n - 1)); bad = 1
    if not xml2 or marks[xml2[0]][0] >= n:
        print("FAIL: %r does not come after the XML appendices" % title); bad = 1
    # the report's footer ("Page N of M", or in a pack the pack's number)
    if not re.search(r"Page %d\b" % n, t):
        print("FAIL: page %d has no page number: %r" % (n, t[-200:])); bad = 1
    # nothing of the PDF's page in the bands
    bbox = text(n, "-bbox")
    h = float(re.search(r'height="([\d.]+)"', bbox).group(1))
    for y0, y1, w in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', bbox):
        if float(y1) < 30 or float(y0) > h - 48:
            continue  # a band's own text
        if float(y0) < 30 or float(y1) > h - 48:
            print("FAIL: page %d: %r at %s-%s reaches into a band" % (n, w, y0, y1)); bad = 1
kids = marks.get(want[0][0], (0, 0, []))[2]
if "Minutes of the meeting of Council held on 27 November 2024" not in kids:
    print("FAIL: the minutes' bookmarks are not under its appendix:", kids); bad = 1
sys.exit(bad)
PY
    pdftotext "$pdf" - | tr -s ' \n' ' ' | grep -F "3. Minutes of Council, 27 November 2024 4. Internal Audit Annual Report" >/dev/null ||
        fail "$pdf: the front sheet's Appendices list does not name the PDF appendices"
    pdfinfo -struct-text "$pdf" >"$pdf.struct" 2>&1 || fail "$pdf: pdfinfo -struct-text failed"
    grep -F "Minutes second page" "$pdf.struct" >/dev/null || fail "$pdf: the minutes' text is not in the tree"
    grep -F "Audit first page" "$pdf.struct" >/dev/null && fail "$pdf: the untagged audit has text in the tree"
    # "Appendix N" on its first page is its heading (H1 as an XML
    # appendix's title, H2 in a pack), the tagged PDF's headings one level
    # below, as its bookmarks under "Appendix N: title" (heading-outline)
    heading_over "$pdf.struct" "Appendix 3" "$level" "Minutes of the meeting of Council held on 27"
    grep -B1 '^ *"Appendix 4"$' "$pdf.struct" | grep "^ *H$level " >/dev/null ||
        fail "$pdf: the untagged appendix's \"Appendix 4\" is not an H$level"
    $py "$here/pdf_ua.py" check "$pdf" >"$pdf.ua" 2>&1 || fail "$pdf: pdf_ua.py: $(cat "$pdf.ua")"
    tags_but_untagged "$pdf" 2 # audit.pdf's pages
}
level=1 check m/report.pdf
(cd m && "$quorum" build report.xml -o again.pdf) >/dev/null 2>&1 || fail "second build failed"
cmp m/report.pdf m/again.pdf >/dev/null || fail "rebuilding the report changed its bytes"

# in a pack: the same pages, and the item's hash covers the PDFs' bytes
(cd m && timeout 60 "$quorum" pack meeting.xml -o pack.pdf) >pack.out 2>&1 || fail "pack failed: $(cat pack.out)"
grep -F "report.xml:$line:15: warning: audit.pdf is not tagged" pack.out >/dev/null ||
    fail "the pack does not warn of the untagged appendix: $(cat pack.out)"
grep -F "note: 1 PDF is not tagged (audit.pdf (appendix of item 9)): the pack is not fully accessible" \
    pack.out >/dev/null || fail "the pack's summary of untagged PDFs leaves out the appendix: $(cat pack.out)"
level=2 check m/pack.pdf
# written beside the layout (2 jobs: the appendices' pages placed into the
# file read back) and whole (1 job): the same bytes
(cd m && timeout 60 "$quorum" pack -j 1 meeting.xml -o pack-j1.pdf) >/dev/null 2>&1 ||
    fail "pack -j 1 failed"
cmp -s m/pack.pdf m/pack-j1.pdf || fail "the pack written beside its layout is not the pack written whole"
(cd m && "$quorum" pack meeting.xml -o pack2.pdf) >/dev/null 2>&1 || fail "second pack failed"
cmp m/pack.pdf m/pack2.pdf >/dev/null || fail "rebuilding the pack changed its bytes"
cp m/pack.manifest before.manifest
cp m/minutes.pdf m/audit.pdf
(cd m && "$quorum" pack meeting.xml -o pack.pdf) >/dev/null 2>&1 || fail "pack with audit.pdf replaced failed"
$py - before.manifest m/pack.manifest <<'PY' || fail "replacing a PDF appendix left the item's hash as it was"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
ha = {i["key"]: i["sha256"] for i in a["items"]}
hb = {i["key"]: i["sha256"] for i in b["items"]}
changed = [k for k in ha if ha[k] != hb.get(k)]
sys.exit(0 if len(changed) == 1 else 1)
PY
cp "$src/tests/fuzz/corpus/pdfitem/untagged-ghostscript.pdf" m/audit.pdf

# archive copies: a PDF that is not PDF/A is refused at its href; a
# PDF/A-1b one is attached, extracted and rebuilt to the same bytes
(cd m && "$quorum" build report.xml --archive=1b -o refused.pdf) >refused.out 2>&1
rc=$?
[ $rc -eq 1 ] || fail "--archive with a PDF appendix that is not PDF/A: exit $rc, want 1"
grep -E "^report.xml:$line:15: error: audit.pdf is not PDF/A" refused.out >/dev/null ||
    fail "no error at the href of audit.pdf: $(cat refused.out)"
[ ! -e m/refused.pdf ] || fail "an archive copy was written with a PDF appendix that is not PDF/A"
(cd m && "$quorum" pack meeting.xml --archive=3b -o refused.pdf) >prefused.out 2>&1
[ $? -eq 1 ] && grep -E "^report.xml:$line:15: error: audit.pdf is not PDF/A" prefused.out >/dev/null ||
    fail "the pack's archive copy does not refuse the appendix: $(cat prefused.out)"
"$quorum" build "$src/tests/fixtures/spans/report.xml" --archive=1b -o m/pdfa.pdf >/dev/null 2>&1 ||
    fail "cannot make a PDF/A appendix"
appendices pdfa.pdf
(cd m && "$quorum" build report.xml --archive=3b -o a3.pdf) >a3.out 2>&1 || fail "build --archive=3b: $(cat a3.out)"
mkdir out
"$quorum" extract m/a3.pdf out >extract.out 2>&1 || fail "extract: $(cat extract.out)"
cmp out/pdfa.pdf m/pdfa.pdf >/dev/null || fail "the attached PDF appendix is not the file built"
(cd out && "$quorum" build report.xml --archive=3b -o ../again3.pdf) >again3.out 2>&1 ||
    fail "building the extracted files failed: $(cat again3.out)"
cmp m/a3.pdf again3.pdf >/dev/null || fail "the report rebuilt from its extracted sources differs"

# bad appendices: an error at the href, exit 1, the previous PDF kept
$py - <<'PY' || fail "could not make the bad PDFs"
import pikepdf
b = open("m/audit.pdf", "rb").read()
pikepdf.open("m/audit.pdf").save("m/locked.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
open("m/damaged.pdf", "wb").write(b.replace(b"obj", b"jbo"))
open("m/text.pdf", "wb").write(b"This is a text file, not a PDF.\n")
PY
cp m/report.pdf previous.pdf
bad() { # FILE REASON
    appendices "$1"
    (cd m && timeout 20 "$quorum" build report.xml -o report.pdf) >"$1.out" 2>&1
    local rc=$?
    [ $rc -eq 1 ] || fail "$1: exit $rc, want 1: $(cat "$1.out")"
    grep -E "^report.xml:[0-9]+:15: error: .*$1: $2" "$1.out" >/dev/null ||
        fail "$1: no error at the href saying '$2': $(cat "$1.out")"
    cmp m/report.pdf previous.pdf >/dev/null || fail "$1: the previous PDF was replaced"
}
bad locked.pdf "it is encrypted with a password"
bad damaged.pdf ""
bad text.pdf ""
bad missing.pdf "No such file"
exit $status
