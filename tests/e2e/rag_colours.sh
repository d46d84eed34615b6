#!/usr/bin/env bash
# Rating cells end to end (issue 3): render pages of the built PDF to PNG and
# check that every value of the scale is printed as its code, on its declared
# fill, in its declared text colour with enough contrast.  Runs on a small
# fixture with a custom five-value scale (tests/fixtures/rag, counted exactly)
# and on the council sample (default-looking R/A/G scale, counted at least).
# The sampler first checks itself on hand-made PDFs, so that part always runs.
# usage: rag_colours.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
rm -rf "$work"/selftest "$work"/fixture "$work"/sample

for tool in pdftotext pdftoppm python3; do
    command -v $tool >/dev/null || { echo "FAIL: $tool not found"; exit 1; }
done

echo "== sampler self-test (hand-made PDFs)"
/usr/bin/python3 "$here/rag_colours.py" selftest "$work/selftest" ||
    { echo "FAIL: the pixel sampler does not pass its own self-test"; exit 1; }

run() {  # name report.xml [--exact]
    local name=$1 report=$2 pdf=$work/$1/$1.pdf rc
    shift 2
    mkdir -p "$work/$name"
    echo "== $name: $report"
    "$bin" build "$report" -o "$pdf" 2>"$work/$name/stderr.txt"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: quorum build exited $rc"
        cat "$work/$name/stderr.txt"
        exit 1
    fi
    [ -s "$pdf" ] || { echo "FAIL: no PDF written at $pdf"; exit 1; }
    /usr/bin/python3 "$here/rag_colours.py" check "$pdf" "$report" "$work/$name" "$@" ||
        { echo "FAIL: rating colours in $pdf"; exit 1; }
}

run fixture "$repo/tests/fixtures/rag/report.xml" --exact
run sample "$repo/input/council-2025-01-29/report.xml"
echo "PASS"
