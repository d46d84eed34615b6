#!/usr/bin/env bash
# PDF items in archive copies (issue 15): with --archive a PDF item that
# is not PDF/A is refused at the item (quorum does not convert), and one
# that is PDF/A-1b goes into a PDF/A-1b pack that Preflight accepts; with
# --archive=3b the PDF is attached as a source, extract gives it back
# byte for byte, and packing the extracted files again gives the same
# pack.  The PDF items are quorum's own output: an archive copy and a
# plain build of a small report.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 src=$2 work=$3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000
report=$src/tests/fixtures/spans/report.xml

"$quorum" build "$report" --archive=1b -o item.pdf >build.out 2>&1 || fail "build --archive: $(cat build.out)"
"$quorum" build "$report" -o plain.pdf >plain.out 2>&1 || fail "build: $(cat plain.out)"

meeting_file meeting.xml '    <item id="doc" title="A document from elsewhere" report="plain.pdf"/>'
"$quorum" pack meeting.xml --archive=1b -o refused.pdf >refused.out 2>&1
rc=$?
[ $rc -eq 1 ] || fail "a PDF that is not PDF/A in an archive copy: exit $rc, want 1"
grep -E "^meeting.xml:9:[0-9]+: error: plain.pdf is not PDF/A" refused.out >/dev/null ||
    fail "no error at the item for plain.pdf: $(cat refused.out)"
[ ! -e refused.pdf ] || fail "an archive copy was written with a PDF that is not PDF/A"

meeting_file meeting.xml '    <item id="doc" title="A document from elsewhere" report="item.pdf"/>'
"$quorum" pack meeting.xml --archive=1b -o a1.pdf >a1.out 2>&1 || fail "pack --archive=1b: $(cat a1.out)"
pdftotext a1.pdf - 2>/dev/null | grep -F "Agenda Item 1" >/dev/null || fail "a1.pdf lacks the item's stamp"
if preflight_ready; then
    preflight a1.pdf || fail "Preflight: $(cat a1.pdf.preflight)"
fi

"$quorum" pack meeting.xml --archive=3b -o a3.pdf >a3.out 2>&1 || fail "pack --archive=3b: $(cat a3.out)"
mkdir out
"$quorum" extract a3.pdf out >extract.out 2>&1 || fail "extract: $(cat extract.out)"
cmp out/item.pdf item.pdf >/dev/null || fail "the attached PDF item is not the file packed"
(cd out && "$quorum" pack meeting.xml --archive=3b -o ../again.pdf) >again.out 2>&1 ||
    fail "packing the extracted files failed: $(cat again.out)"
cmp a3.pdf again.pdf >/dev/null || fail "the pack rebuilt from its extracted sources differs"
exit $status
