#!/usr/bin/env bash
# The council report's Appendix 2 must say what the published appendix says:
# every criterion text, every rating in every period, every lead summary and
# assessment paragraph of the seed text 000_f53bc5824a343a63.txt, in order,
# apart from the known deviations listed (each with its reason) in
# seed_appendix_deviations.txt.  The comparison is seedtext.py
# check-seed-appendix against `pdftotext -layout`, which keeps each table
# row's rating cells beside its criterion, in column order.
#
# Then the same check must reject a PDF built from a copy of appendix-2.xml
# with a word dropped, a PDF text with one rating changed, and deviation
# lists with an entry missing or stale: a check that cannot fail proves
# nothing.
#
# The seed text is not in the repository (it sits beside the clone, in
# ../shared/seeds); without it the script exits 77 and ctest says skipped.
#
#   bash seed_appendix.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u

bin=${1:?quorum binary}
repo=${2:?repository root}
work=${3:?work directory}
mkdir -p "$work" || exit 1

py=/usr/bin/python3
[ -x "$py" ] || py=python3
checker=$repo/tests/e2e/seedtext.py
deviations=$repo/tests/e2e/seed_appendix_deviations.txt
src=$repo/input/council-2025-01-29
seed=
for dir in "$repo/../shared/seeds" /work/shared/seeds; do
    if [ -f "$dir/000_f53bc5824a343a63.txt" ]; then
        seed=$dir/000_f53bc5824a343a63.txt
        break
    fi
done
if [ -z "$seed" ]; then
    echo "SKIP: no seed text 000_f53bc5824a343a63.txt in $repo/../shared/seeds" \
         "or /work/shared/seeds"
    exit 77
fi

fail() { echo "FAIL: $*" >&2; exit 1; }

# build REPORT.xml NAME [MODES]: NAME.pdf and, for each pdftotext mode
# (default: plain and -layout), NAME.txt / NAME-layout.txt in $work.
build() {
    local pdf=$work/$2.pdf
    rm -f "$pdf" "$work/$2.txt" "$work/$2-layout.txt"
    "$bin" build "$1" -o "$pdf" >"$work/$2.build.out" 2>"$work/$2.build.err"
    local rc=$?
    if [ $rc -ne 0 ]; then
        cat "$work/$2.build.err" >&2
        fail "quorum build $1 exited with $rc"
    fi
    [ -s "$pdf" ] || fail "quorum build exited 0 but wrote no $pdf"
    local mode
    for mode in ${3-"" -layout}; do
        pdftotext $mode -enc UTF-8 "$pdf" "$work/$2$mode.txt" \
            2>"$work/$2$mode.pdftotext.err" ||
            { cat "$work/$2$mode.pdftotext.err" >&2;
              fail "pdftotext $mode could not read $pdf"; }
        if [ -s "$work/$2$mode.pdftotext.err" ]; then
            cat "$work/$2$mode.pdftotext.err" >&2
            fail "pdftotext $mode wrote to stderr (broken font or ToUnicode map?)"
        fi
    done
}

build "$src/report.xml" report
[ -s "$work/report.build.err" ] && cat "$work/report.build.err" >&2

if ! "$py" "$checker" check-seed-appendix "$seed" "$work/report-layout.txt" \
        "$deviations"; then
    echo "pdftotext -layout output kept in $work/report-layout.txt" >&2
    exit 1
fi

# ---- negative cases: each must be rejected -------------------------------
# expect_fail WHAT LAYOUT_TXT DEVIATIONS
expect_fail() {
    if "$py" "$checker" check-seed-appendix "$seed" "$2" "$3" \
            >"$work/neg.out" 2>"$work/neg.err"; then
        cat "$work/neg.out" >&2
        fail "negative case not detected: $1"
    fi
    echo "ok: negative case detected: $1: $(head -n1 "$work/neg.err")"
}

# A deviation list without the 1c summary-table entry.
grep -v '^the health of the control environment \[A\] \[A\] \[G\]' \
    "$deviations" >"$work/deviations-cut.txt"
cmp -s "$deviations" "$work/deviations-cut.txt" &&
    fail "could not remove the 1c entry from $deviations"
expect_fail "1c summary rating deviation removed" \
    "$work/report-layout.txt" "$work/deviations-cut.txt"

# A deviation that matches nothing in the seed (a stale or mistyped entry).
{ cat "$deviations"; echo "internal audit functoins => internal audit functions"; } \
    >"$work/deviations-stale.txt"
expect_fail "a deviation that matches nothing" \
    "$work/report-layout.txt" "$work/deviations-stale.txt"

# A copy of the source with one word dropped, built to its own PDF.  The
# whole input directory is copied: report.xml refers to its appendix files
# by relative paths.
mutate() {   # mutate NAME SED-SCRIPT: $work/NAME-layout.txt from a broken copy
    rm -rf "$work/$1-src"
    cp -r "$src" "$work/$1-src" || fail "cannot copy $src"
    sed -i "$2" "$work/$1-src/appendix-2.xml"
    cmp -s "$src/appendix-2.xml" "$work/$1-src/appendix-2.xml" &&
        fail "the mutation $1 changed nothing in appendix-2.xml"
    build "$work/$1-src/report.xml" "$1" -layout   # all the check reads
}
# "Anecdotal" opens a sentence of 7d's assessment.
mutate noword 's/Anecdotal consideration/consideration/'
expect_fail "a word dropped from an assessment" \
    "$work/noword-layout.txt" "$deviations"
# 6c, the only Red criterion: in the first table row rated R R R the last
# cell reads A (edited in the pdftotext output: a rebuild costs a second).
sed '0,/\( R  \+R  \+\)R$/s//\1A/' "$work/report-layout.txt" \
    >"$work/rating-layout.txt"
cmp -s "$work/report-layout.txt" "$work/rating-layout.txt" &&
    fail "no row rated R R R in $work/report-layout.txt to change"
expect_fail "one rating changed" "$work/rating-layout.txt" "$deviations"
exit 0
