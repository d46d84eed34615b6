#!/bin/bash
# The PDF device on a fixed display list (tests/tools/dlist_pdf): structure,
# fonts, extracted text, metadata, bookmarks, links, determinism, file mode.
# usage: pdf_text.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
tool=${QUORUM_TEST_TOOLS:-$(dirname "$bin")/tests}/dlist_pdf
py=/usr/bin/python3
mkdir -p "$work" && cd "$work" || exit 1
rm -f out*.pdf*
status=0
fail() { echo "FAIL: $*"; status=1; }

umask 022
"$tool" "$repo/fonts" out.pdf 3 2>write.err
rc=$?
[ $rc -eq 0 ] || fail "writing exited $rc: $(cat write.err)"
[ -s write.err ] && fail "writing printed diagnostics: $(cat write.err)"
head -c 5 out.pdf | grep -q '^%PDF-' || fail "out.pdf does not start with %PDF-"
[ "$(stat -c %a out.pdf)" = 644 ] || fail "mode $(stat -c %a out.pdf), want 644 under umask 022"
ls out.pdf.* >/dev/null 2>&1 && fail "temporary files left: $(ls out.pdf.*)"

# structure
qpdf --check out.pdf >qpdf.out 2>&1 || fail "qpdf --check failed: $(cat qpdf.out)"
grep -q "No syntax or stream encoding errors found" qpdf.out || fail "qpdf: $(cat qpdf.out)"

# fonts: embedded, with a Unicode map, and only the three faces drawn with
pdffonts out.pdf >fonts.out 2>fonts.err || fail "pdffonts failed"
[ -s fonts.err ] && fail "pdffonts stderr: $(cat fonts.err)"
tail -n +3 fonts.out | awk '$(NF-4) != "yes" || $(NF-2) != "yes" {print "FAIL: not embedded or no ToUnicode: " $0; bad=1} END {exit bad}' || status=1
faces=$(tail -n +3 fonts.out | awk '{sub(/^[A-Z]+\+/, "", $1); sub(/,.*/, "", $1); print $1}' | sort | tr '\n' ' ')
[ "$faces" = "LiberationSans LiberationSans-Bold LiberationSans-Italic " ] || fail "fonts: '$faces'"

# text: exactly what went in, and poppler has nothing to complain about
pdftotext out.pdf got.txt 2>text.err || fail "pdftotext failed"
[ -s text.err ] && fail "pdftotext stderr: $(cat text.err)"
"$tool" --text 3 >want.txt
cmp -s got.txt want.txt || { fail "extracted text differs"; diff want.txt got.txt | head -20; }
for ch in '’' '“' '”' '–' '•' '£' 'é'; do
    grep -q "$ch" got.txt || fail "character $ch missing from the extracted text"
done

# metadata
pdfinfo out.pdf >info.out 2>info.err || fail "pdfinfo failed"
[ -s info.err ] && fail "pdfinfo stderr: $(cat info.err)"
grep -qx 'Title: *The council’s report – “Quorum” test' info.out || fail "title: $(grep Title info.out)"
grep -qx 'Author: *Democratic Services, Café Team' info.out || fail "author: $(grep Author info.out)"
grep -qx 'Pages: *3' info.out || fail "pages: $(grep Pages info.out)"
grep -q 'CreationDate\|ModDate' info.out && fail "a date was written without being asked for"

# bookmarks and links
"$tool" --outline >outline.tsv
$py "$(dirname "$0")/pdf_check.py" out.pdf outline.tsv || status=1

# same input, same bytes
"$tool" "$repo/fonts" out2.pdf 3 2>/dev/null || fail "second write failed"
cmp -s out.pdf out2.pdf || fail "two runs wrote different files"

# a failed write leaves the previous file alone and no temporary file
cp out.pdf keep.pdf
chmod 444 out.pdf
"$tool" "$repo/fonts" "$work/no/such/dir/out.pdf" 3 2>fail.err
rc=$?
[ $rc -eq 3 ] || fail "writing into a missing directory exited $rc, want 3"
grep -q "cannot write .*No such file or directory" fail.err || fail "diagnostic: $(cat fail.err)"
"$tool" /nonexistent-fonts out.pdf 3 2>font.err
rc=$?
[ $rc -ne 0 ] || fail "writing without fonts succeeded"
cmp -s out.pdf keep.pdf || fail "a failed write changed the previous file"
ls out.pdf.* >/dev/null 2>&1 && fail "temporary files left: $(ls out.pdf.*)"
chmod 644 out.pdf

[ $status -eq 0 ] && echo "pdf_text: ok"
exit $status
