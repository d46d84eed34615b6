#!/bin/bash
# quorum pack --style: the pack is laid out in the house style, like a
# report built with it: the style's council name in the running header of
# the pack's own pages and of every report page, its fonts embedded, and a
# different PDF from the default; a broken style fails the pack.
# usage: pack_style.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
meeting=$repo/input/council-2025-01-29/meeting.xml
style=$repo/styles/riverside.xml
unset SOURCE_DATE_EPOCH

council=$(sed -n 's/.*council="\([^"]*\)".*/\1/p' "$style" | head -1)
serif=$(sed -n 's/.*<font regular="\([^"]*\)\.ttf".*/\1/p' "$style" | head -1)
[ -n "$council" ] && [ -n "$serif" ] || { fail "cannot read council/font from $style"; exit 1; }

"$bin" pack "$meeting" -o plain.pdf 2>plain.err || fail "default pack: $(cat plain.err)"
"$bin" pack "$meeting" --style riverside -o river.pdf 2>river.err || fail "pack --style riverside: $(cat river.err)"
[ -s river.pdf ] || { fail "no river.pdf"; exit 1; }
cmp -s plain.pdf river.pdf && fail "--style riverside gives the default PDF"
qpdf --check river.pdf >river.qpdf 2>&1 || fail "qpdf --check: $(tail -3 river.qpdf)"
"$bin" pack "$meeting" --style "$style" -o river2.pdf 2>/dev/null || fail "pack --style PATH failed"
cmp -s river.pdf river2.pdf || fail "--style by name and by path differ"

# fonts: the style's body face, none of the default's Liberation Sans
pdffonts river.pdf >fonts.txt
grep -q "+${serif%-Regular}" fonts.txt || fail "style font $serif not embedded: $(cat fonts.txt)"
grep -q "LiberationSans" fonts.txt && fail "the default font is still used: $(cat fonts.txt)"
grep -q "LiberationSans" <(pdffonts plain.pdf) || fail "the default pack does not use Liberation Sans (test is stale)"

# the council's name heads every page: the front sheet, the agenda, the
# report's pages and the not-for-publication page
np=$(pdfinfo river.pdf | awk '/^Pages:/{print $2}')
missing=""
for ((pg = 1; pg <= np; pg++)); do
    pdftotext -f $pg -l $pg river.pdf - 2>/dev/null | grep -qF "$council" || missing="$missing $pg"
done
[ -z "$missing" ] || fail "pages without \"$council\":$missing"
pdftotext plain.pdf - | grep -qF "$council" && fail "the default pack names $council"
# the report keeps its own page numbers inside the pack
pdftotext river.pdf - | grep -q "Page 1 of [0-9]" || fail "no report \"Page 1 of N\" footer"
# same page count as the default is not required; the manifest must agree
[ "$(/usr/bin/python3 "$repo/tests/e2e/manifest.py" river.manifest pages)" = "$np" ] ||
    fail "manifest page count is not $np"

# a broken style: invalid input, no PDF
printf '<style xmlns="urn:quorum:style:1" name="x"><page size="Z9"/></style>\n' >bad.xml
"$bin" pack "$meeting" --style "$work/bad.xml" -o bad.pdf 2>bad.err
rc=$?
[ $rc -eq 1 ] || fail "broken style: exit $rc, want 1: $(cat bad.err)"
[ -e bad.pdf ] && fail "broken style wrote a PDF"
# a style that does not exist: an I/O failure, as for build
"$bin" pack "$meeting" --style "$work/none.xml" -o none.pdf 2>none.err
rc=$?
[ $rc -eq 3 ] || fail "missing style: exit $rc, want 3: $(cat none.err)"
[ -e none.pdf ] && fail "missing style wrote a PDF"
exit $status
