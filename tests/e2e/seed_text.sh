#!/usr/bin/env bash
# The sample report's PDF must say everything its source says, in order, and
# (when the seed text of the published paper is beside the clone) everything
# the published paper says.  The comparison is word by word; see seedtext.py.
#
#   bash seed_text.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u

bin=${1:?quorum binary}
repo=${2:?repository root}
work=${3:?work directory}
mkdir -p "$work" || exit 1

report=$repo/input/council-2025-01-29/report.xml
seed=$repo/../shared/seeds/002_791d618e80e1d848.txt
checker=$repo/tests/e2e/seedtext.py
pdf=$work/report.pdf
rm -f "$pdf" "$work/report.txt"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" build "$report" -o "$pdf" >"$work/build.out" 2>"$work/build.err"
rc=$?
if [ $rc -ne 0 ]; then
    cat "$work/build.err" >&2
    fail "quorum build exited with $rc"
fi
[ -s "$pdf" ] || fail "quorum build exited 0 but wrote no $pdf"
[ -s "$work/build.err" ] && cat "$work/build.err" >&2   # warnings, for the log

pdftotext -enc UTF-8 "$pdf" "$work/report.txt" 2>"$work/pdftotext.err"
rc=$?
[ $rc -eq 0 ] || { cat "$work/pdftotext.err" >&2; fail "pdftotext exited with $rc"; }
if [ -s "$work/pdftotext.err" ]; then
    cat "$work/pdftotext.err" >&2
    fail "pdftotext wrote to stderr (broken font or ToUnicode map?)"
fi

status=0
/usr/bin/python3 "$checker" check-source "$report" "$work/report.txt" || status=1
if [ -f "$seed" ]; then
    /usr/bin/python3 "$checker" check-seed "$seed" "$work/report.txt" || status=1
else
    echo "note: no seed text at $seed; checked against the source only"
fi
[ $status -eq 0 ] || echo "pdftotext output kept in $work/report.txt" >&2
exit $status
