#!/bin/bash
# quorum pack on the sample meeting: the agenda's page column against where
# each item really starts, pack page numbers, links, the bookmark tree
# (pack_check.py), the manifest, byte-identical rebuilds, the PDF date.
# usage: pack_sample.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
meeting=$repo/input/council-2025-01-29/meeting.xml

unset SOURCE_DATE_EPOCH
"$bin" pack "$meeting" -o pack.pdf 2>err.txt
rc=$?
[ $rc -eq 0 ] || { fail "pack exited $rc: $(cat err.txt)"; exit 1; }
[ -s pack.pdf ] || { fail "no pack.pdf"; exit 1; }
qpdf --check pack.pdf >qpdf.out 2>&1 || fail "qpdf --check: $(tail -3 qpdf.out)"
$py "$repo/tests/e2e/pack_check.py" "$meeting" pack.pdf || fail "pack_check.py"

# the pack is the sample report plus the pack's own pages
"$bin" build "$repo/input/council-2025-01-29/report.xml" -o report.pdf 2>/dev/null ||
  fail "build of the sample report failed"
rp=$(pdfinfo report.pdf | awk '/^Pages:/{print $2}')
pp=$(pdfinfo pack.pdf | awk '/^Pages:/{print $2}')
man="$py $repo/tests/e2e/manifest.py"
range=$($man pack.manifest range 9) || fail "manifest has no pages for item 9: $(cat pack.manifest)"
first=${range%-*} last=${range#*-}
[ $((last - first + 1)) -eq "$rp" ] || fail "manifest says item 9 is pages $range, the report has $rp pages"
[ "$($man pack.manifest pages)" = "$pp" ] || fail "manifest page count is not $pp"
$man pack.manifest pairs || fail "the manifest does not record pack.pdf"
# the report's text is all there, in its place
pdftotext -f "$first" -l "$last" pack.pdf item9.txt
pdftotext report.pdf report.txt
grep -c "Improvement in corporate capability" item9.txt >a.n
grep -c "Improvement in corporate capability" report.txt >b.n
cmp -s a.n b.n || fail "item 9's pages do not hold the report's text"

# metadata from the meeting
pdfinfo pack.pdf >info.txt
grep -q "^Title: *Council – Wednesday, 29 January 2025 – Agenda$" info.txt || fail "title: $(grep Title info.txt)"
grep -q "^Author: *Democratic Services$" info.txt || fail "author: $(grep Author info.txt)"
grep -q "^CreationDate: *Tue Jan 21 00:00:00 2025" info.txt || fail "creation date is not the publication date: $(grep CreationDate info.txt)"

# the same inputs give the same bytes, whatever the clock says
sleep 1
# (the manifest names its PDF: the same name, in another folder)
mkdir again
"$bin" pack "$meeting" -o again/pack.pdf 2>/dev/null || fail "second build failed"
cmp -s pack.pdf again/pack.pdf || fail "rebuild is not byte-identical"
cmp -s pack.manifest again/pack.manifest || fail "manifest rebuild differs"
SOURCE_DATE_EPOCH=1737936000 "$bin" pack "$meeting" -o sde.pdf 2>/dev/null || fail "SOURCE_DATE_EPOCH build failed"
pdfinfo sde.pdf | grep -q "^CreationDate: *Mon Jan 27 00:00:00 2025" || fail "SOURCE_DATE_EPOCH not used"
cmp -s pack.pdf sde.pdf && fail "SOURCE_DATE_EPOCH changed nothing"
exit $status
