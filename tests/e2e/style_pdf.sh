#!/usr/bin/env bash
# The riverside style in a real PDF: its serif body faces and the Open
# Sans of its headings and tables are embedded (and the committee's
# Liberation Sans is not), the logo is drawn on the front sheet only,
# the running header carries the council's name and the classification,
# which turns into NOT FOR PUBLICATION for a report whose status is exempt.
#   bash style_pdf.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$(cd "$2" && pwd) work=$3
mkdir -p "$work"
export QUORUM_FONT_DIR="$root/fonts" QUORUM_STYLE_DIR="$root/styles"
status=0
fail() { echo "FAIL: $*"; status=1; }
src="$root/tests/golden/basic"

for s in committee riverside; do
    "$bin" build "$src/report.xml" --style $s -o "$work/$s.pdf" 2>"$work/$s.err" \
        || { fail "$s: build exited $?"; cat "$work/$s.err"; }
done
pdffonts "$work/riverside.pdf" > "$work/riverside.fonts"
grep -q 'LiberationSerif' "$work/riverside.fonts" || fail "riverside: no Liberation Serif embedded"
grep -q 'OpenSans-Bold' "$work/riverside.fonts" || fail "riverside: no Open Sans Bold (headings) embedded"
grep -q 'LiberationSans' "$work/riverside.fonts" && fail "riverside: Liberation Sans embedded too"
pdffonts "$work/committee.pdf" | grep -q 'LiberationSerif' && fail "committee: serif embedded"

pdfimages -list "$work/riverside.pdf" | awk 'NR > 2 {print $1}' > "$work/images"
[ "$(sort -u "$work/images")" = "1" ] || { fail "riverside: want one image, on page 1"; cat "$work/images"; }
[ "$(pdfimages -list "$work/committee.pdf" | awk 'NR > 2' | wc -l)" -eq 0 ] || fail "committee: has images"

pdftotext -f 2 -l 2 "$work/riverside.pdf" "$work/p2.txt"
grep -q 'Riverside Borough Council' "$work/p2.txt" || fail "no council name in the header of page 2"
[ "$(grep -c 'OFFICIAL' "$work/p2.txt")" -eq 2 ] || fail "want OFFICIAL in header and footer of page 2"
pdftotext "$work/committee.pdf" - | grep -q 'Riverside\|OFFICIAL' && fail "committee: riverside header text"

# exempt report: the classification field says so
mkdir -p "$work/exempt"
cp "$src"/*.xml "$work/exempt/"
sed -i 's|<field role="title"|<field role="status" label="Status">exempt</field>\n    &|' "$work/exempt/report.xml"
"$bin" build "$work/exempt/report.xml" --style riverside -o "$work/exempt.pdf" 2>"$work/exempt.err" \
    || { fail "exempt: build exited $?"; cat "$work/exempt.err"; }
pdftotext -f 1 -l 1 "$work/exempt.pdf" "$work/ex1.txt"
[ "$(grep -c 'NOT FOR PUBLICATION' "$work/ex1.txt")" -eq 2 ] || fail "exempt: want NOT FOR PUBLICATION twice on page 1"
grep -q 'OFFICIAL$' "$work/ex1.txt" && fail "exempt: still marked OFFICIAL"
exit $status
