#!/bin/bash
# Ratings anywhere (format 1.1, issue 13 need 6) on tests/golden/ratings:
# scales declared once in the report, used by table cells and by chips in
# prose, words as codes whole in narrow columns, scores placed by the
# council's bands (16 -> High, red); each drawn on its colour (marks.py
# fills checks the dump and the rendered page).
# usage: ratings.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts"
report=$repo/tests/golden/ratings/report.xml

"$bin" check "$report" >check.txt 2>&1 || { cat check.txt; fail "check"; }
"$bin" dump "$report" -o r.dump 2>dump.err || { cat dump.err; fail "dump"; }
"$bin" build "$report" -o r.pdf 2>build.err || { cat build.err; fail "build"; }
/usr/bin/python3 "$here/marks.py" fills r.dump r.pdf page \
    "#FFC000:AMBER" "#1F4E79:Complete" "#C00000:16 (high)" \
    "#C00000:16" "#FFC000:9" "#00B050:4" \
    "#00B050:Green" "#D9D9D9:Grey" "#C00000:Red" || fail "rating fills"
pdftotext r.pdf r.txt 2>/dev/null || fail "pdftotext"
grep -x 'Complete' r.txt >/dev/null || fail "\"Complete\" is not whole on a line of its own"
grep -E '^(Com|Compl|Comp)$' r.txt >/dev/null && fail "a rating word is cut"
exit $status
