#!/bin/bash
# Tagged PDF (issue 7, PDF/UA-1 structure) on the council sample:
#  - `pdfinfo -struct-text` shows the structure tree the display list asks
#    for (dlist_pdf --struct derives it from the layout, independently of
#    the PDF), in reading order;
#  - pdf_tags.py walks every page: all content tagged or artifact, MCIDs and
#    the parent tree agree, TH scopes, Figure /Alt, rated cells' words as
#    /ActualText of a Span in the cell, link annotations under Link elements, catalog and XMP entries,
#    heading levels never skipped (report, agenda pack and supplement);
#  - the pack's agenda entries read number, title, page reference (a Span
#    with /Alt "pages 5 to 41"), one link over each;
#  - pdftotext gives the same text with and without tagging
#    (QUORUM_UNTAGGED=1), and the untagged file really has no tagging (so the
#    walker is seen to fail on untagged content);
#  - the --archive=1b copy is tagged too and still passes PDFBox Preflight;
#  - the time tagging costs is printed (CPU time of the PDF write, tagged
#    and untagged interleaved; not asserted: the machine is shared).
# usage: pdf_tags.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
tool=${QUORUM_TEST_TOOLS:-$(dirname "$bin")/tests}/dlist_pdf
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
check="$py $here/pdf_tags.py"
mkdir -p "$work" && cd "$work" || exit 1
rm -f ./*.pdf ./*.txt ./*.err ./*.preflight
report=$repo/input/council-2025-01-29/report.xml

"$bin" build "$report" -o tagged.pdf 2>tagged.err || { cat tagged.err; echo "FAIL: build"; exit 1; }
QUORUM_UNTAGGED=1 "$bin" build "$report" -o untagged.pdf 2>untagged.err ||
    { cat untagged.err; echo "FAIL: untagged build"; exit 1; }

echo "== structure tree (pdfinfo -struct-text) against the display list"
pdfinfo -struct-text tagged.pdf >struct.txt 2>struct.err || fail "pdfinfo -struct-text"
[ -s struct.err ] && fail "pdfinfo warns: $(head -3 struct.err)"
"$tool" --struct "$report" >expected.txt || fail "dlist_pdf --struct"
$check outline struct.txt expected.txt || fail "structure tree differs from the display list"
# The outline must be a real document outline, not an empty match.
for role in Document Part Sect H1 H2 H3 P L LI Lbl LBody Table THead TBody TR TH TD Link Figure; do
    grep -qx " *$role" expected.txt || fail "expected outline has no $role"
done
head -1 expected.txt | grep -qx Document || fail "the tree does not start at Document"

echo "== words of the structure text are separated as on the page"
pdftotext tagged.pdf words.txt 2>/dev/null || fail "pdftotext"
$check words struct.txt words.txt || fail "words run together in the structure text"
# The check sees two words joined: the first space of some text removed.
sed '0,/^ *"[^" ]*[a-z] [a-z][^"]*"$/s/^\( *"[^" ]*[a-z]\) /\1/' struct.txt >joined.txt
cmp -s struct.txt joined.txt && fail "self-test: nothing to join"
$check words joined.txt words.txt >/dev/null && fail "self-test: joined words not seen"

echo "== walk: content, structure, parent tree, annotations"
$check walk tagged.pdf ALT=Green ALT=Amber ALT=Red || fail "tagged.pdf"
# The heading check sees a document that starts below H1.
$check retag tagged.pdf first-h2.pdf H1 H2 >/dev/null || fail "self-test: retag"
$check walk first-h2.pdf >first-h2.txt && fail "self-test: a first heading H2 not seen"
grep -q "first heading is H2" first-h2.txt || fail "self-test: $(tail -1 first-h2.txt)"
$check walk untagged.pdf >walk-untagged.txt 2>&1 &&
    fail "the walker accepts an untagged file"
$check untagged untagged.pdf || fail "QUORUM_UNTAGGED=1 still tags"

echo "== text extraction unchanged by tagging"
pdftotext tagged.pdf tagged.txt 2>tagged-text.err || fail "pdftotext tagged.pdf"
pdftotext untagged.pdf untagged.txt 2>>tagged-text.err || fail "pdftotext untagged.pdf"
[ -s tagged-text.err ] && fail "pdftotext warns: $(head -3 tagged-text.err)"
[ -s untagged.txt ] || fail "no text extracted"
cmp -s tagged.txt untagged.txt || { fail "pdftotext output differs with tagging"; diff untagged.txt tagged.txt | head; }
pdftotext -layout tagged.pdf tagged-layout.txt && pdftotext -layout untagged.pdf untagged-layout.txt &&
    cmp -s tagged-layout.txt untagged-layout.txt || fail "pdftotext -layout output differs with tagging"

echo "== qpdf --check"
qpdf --check tagged.pdf >qpdf.txt 2>&1 || { fail "qpdf --check"; tail -5 qpdf.txt; }

echo "== fixtures: rating scale, a table over six pages, a row taller than a page"
for fx in rag long-table tall-row; do
    "$bin" build "$repo/tests/fixtures/$fx/report.xml" -o "fx-$fx.pdf" 2>/dev/null || { fail "build $fx"; continue; }
    QUORUM_UNTAGGED=1 "$bin" build "$repo/tests/fixtures/$fx/report.xml" -o "fx-$fx-u.pdf" 2>/dev/null
    $check walk "fx-$fx.pdf" || fail "$fx"
    pdftotext "fx-$fx.pdf" "fx-$fx.txt" && pdftotext "fx-$fx-u.pdf" "fx-$fx-u.txt" &&
        cmp -s "fx-$fx.txt" "fx-$fx-u.txt" || fail "$fx: text differs with tagging"
    pdfinfo -struct-text "fx-$fx.pdf" >"fx-$fx.struct" && "$tool" --struct "$repo/tests/fixtures/$fx/report.xml" >"fx-$fx.expected" &&
        $check outline "fx-$fx.struct" "fx-$fx.expected" || fail "$fx: structure tree differs"
done

echo "== agenda pack"
meeting=$repo/input/council-2025-01-29/meeting.xml
"$bin" pack "$meeting" -o pack.pdf 2>pack.err || fail "pack: $(head -3 pack.err)"
QUORUM_UNTAGGED=1 "$bin" pack "$meeting" -o pack-u.pdf 2>/dev/null || fail "untagged pack"
$check walk pack.pdf || fail "pack.pdf"
pdftotext pack.pdf pack.txt && pdftotext pack-u.pdf pack-u.txt && cmp -s pack.txt pack-u.txt ||
    fail "pack: text differs with tagging"
pdfinfo -struct-text pack.pdf >pack.struct && $check words pack.struct pack.txt ||
    fail "pack: words run together in the structure text"
"$tool" --struct-pack "$meeting" >pack.expected || fail "dlist_pdf --struct-pack"
$check outline pack.struct pack.expected || fail "pack: structure tree differs from the display list"
$check agenda pack.pdf pack.struct || fail "pack: agenda entries"
grep -B1 '"NOT FOR PUBLICATION"' pack.struct | grep "H3" >/dev/null ||
    fail "pack: the exempt page's NOT FOR PUBLICATION is not an H3 under its title's H2"
# the entry still prints as before: number, title, pages at the right
pdftotext -layout -f 2 -l 2 pack.pdf agenda.txt
grep -qE "^9 +Progress on Thurrock Council's Improvement and Recovery +[0-9]+ - [0-9]+$" agenda.txt ||
    fail "pack: agenda line of item 9: $(grep Thurrock agenda.txt)"
# The checks see the pack as it was: a subheading of the information
# page an H3 under its H1; the page reference an untagged part of the P.
$check retag pack.pdf skip.pdf H2 H3 >/dev/null || fail "self-test: retag"
$check walk skip.pdf >skip.txt && fail "self-test: a skipped heading level not seen"
grep -q "after H1 skips a level" skip.txt || fail "self-test: $(tail -1 skip.txt)"
if $check retag pack.pdf nospan.pdf Span P >/dev/null &&
    pdfinfo -struct-text nospan.pdf >nospan.struct; then
    $check agenda nospan.pdf nospan.struct >/dev/null &&
        fail "self-test: page reference not in a Span not seen"
else
    fail "self-test: retag Span"
fi

echo "== supplement (--since the published manifest, one report changed)"
rm -rf supp-in && cp -r "$(dirname "$meeting")" supp-in
"$bin" pack supp-in/meeting.xml -o published.pdf 2>/dev/null || fail "published pack"
sed -i '0,/This report provides Members/s//This corrected report provides Members/' supp-in/report.xml
if "$bin" pack supp-in/meeting.xml --since published.manifest -o supp.pdf 2>supp.err; then
    $check walk supp.pdf || fail "supp.pdf"
    pdfinfo -struct-text supp.pdf >supp.struct || fail "pdfinfo -struct-text supp.pdf"
    "$tool" --struct-pack supp-in/meeting.xml published.manifest >supp.expected 2>/dev/null ||
        fail "dlist_pdf --struct-pack (supplement)"
    $check outline supp.struct supp.expected || fail "supplement: structure tree differs"
    $check agenda supp.pdf supp.struct || fail "supplement: agenda entries"
else
    fail "supplement: $(head -3 supp.err)"
fi

echo "== link fixture (links on non-Link elements) and the archive copy"
"$tool" "$repo/fonts" fixture.pdf 3 2>fixture.err || fail "dlist_pdf: $(cat fixture.err)"
$check walk fixture.pdf || fail "fixture.pdf"
"$bin" build "$report" --archive=1b -o archive.pdf 2>archive.err || fail "archive build: $(cat archive.err)"
$check walk archive.pdf ALT=Green || fail "archive.pdf"
pdftotext archive.pdf archive.txt && cmp -s archive.txt untagged.txt || fail "archive text differs"
if preflight_ready; then
    preflight archive.pdf ||
        { fail "Preflight rejects the tagged archive copy"; head -20 archive.preflight; }
else
    fail "Preflight (libpdfbox2-java) not installed"
fi

echo "== cost of tagging (printed, not asserted: the machine is shared)"
"$tool" --time "$report" timing.pdf 11 || fail "dlist_pdf --time"
echo "size: tagged $(stat -c %s tagged.pdf) bytes, untagged $(stat -c %s untagged.pdf) bytes"

[ $status -eq 0 ] && echo "PASS"
exit $status
