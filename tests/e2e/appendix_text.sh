#!/usr/bin/env bash
# Appendix 2 end to end: build the council report to PDF and check that
# every criterion, every rating of every period, every lead summary and
# every assessment paragraph of appendix-2.xml is in the PDF text, in order.
# usage: appendix_text.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
mkdir -p "$work"
report=$repo/input/council-2025-01-29/report.xml
appendix=$repo/input/council-2025-01-29/appendix-2.xml
pdf=$work/report.pdf
rm -f "$pdf" "$work"/report*.txt

"$bin" build "$report" -o "$pdf" 2>"$work/stderr.txt"
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL: quorum build exited $rc"
    cat "$work/stderr.txt"
    exit 1
fi
[ -s "$pdf" ] || { echo "FAIL: no PDF written at $pdf"; exit 1; }

pdftotext -raw -enc UTF-8 "$pdf" "$work/report-raw.txt" &&
pdftotext -enc UTF-8 "$pdf" "$work/report.txt" &&
pdftotext -layout -enc UTF-8 "$pdf" "$work/report-layout.txt" ||
    { echo "FAIL: pdftotext could not read $pdf"; exit 1; }

/usr/bin/python3 "$(dirname "$0")/appendix_text.py" "$appendix" \
    "$work/report-raw.txt" "$work/report.txt" "$work/report-layout.txt"
