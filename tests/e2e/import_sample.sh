#!/bin/bash
# The sample report as a Word document (issue 14): import_sample.py writes
# input/council-2025-01-29's report with python-docx as an officer would
# (typed numbers, List Bullet items, "Implications verified by" lines,
# the front sheet as a table) with appendix 2's ratings as a table of
# shaded R/A/G cells; quorum import makes report XML of it that checks
# clean, and the PDF built from it has the words of the sample's own
# report pages in the same order (97% of them at least, no gap over 8
# words) and every rating on its colour (rag_colours.py, exact counts).
# usage: import_sample.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR=$repo/fonts
py=/usr/bin/python3
sample=$repo/input/council-2025-01-29/report.xml
$py "$repo/tests/e2e/import_sample.py" make "$sample" sample.docx || { echo "FAIL: making sample.docx"; exit 1; }
timeout 60 "$bin" import sample.docx -o imported.xml 2> import.err
rc=$?
[ $rc -eq 0 ] || fail "import: exit $rc: $(cat import.err)"
# one warning: appendix 2's ratings come in as a section
grep -F 'sample.docx: paragraph 94, under "Relevance Check": warning: an appendix in the document becomes a section of the report' import.err >/dev/null ||
    fail "no warning for the appendix: $(cat import.err)"
[ "$(wc -l < import.err)" -eq 2 ] || fail "import said more: $(cat import.err)"
"$bin" check imported.xml 2> check.err || fail "check: $(cat check.err)"
"$bin" build imported.xml -o imported.pdf 2> build.err || fail "build: $(cat build.err)"
"$bin" build "$sample" -o sample.pdf 2> sample.err || fail "build the sample: $(cat sample.err)"
$py "$repo/tests/e2e/import_sample.py" compare sample.pdf imported.pdf > compare.out 2>&1 ||
    fail "text order: $(cat compare.out)"
imported_ratings imported.pdf imported.xml "$repo"
exit $status
