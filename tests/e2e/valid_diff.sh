#!/bin/bash
# The fast validator (src/load/load_valid.c) against libxml2's: every XML
# document of the repository, the import's outputs (the sample made into
# a Word document, the docx fuzz corpus) and 80 mutations of each; any
# document the fast validator accepts and libxml2 rejects fails the test
# (valid_diff.py says which, with its text).  It also requires the fast
# path to accept the sample, the examples and the golden inputs, so it
# cannot pass by the fast path missing.
# usage: valid_diff.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR=$repo/fonts
export QUORUM_TEST_TOOLS=${QUORUM_TEST_TOOLS:-$(dirname "$bin")/tests}
py=/usr/bin/python3
extra=()
if $py "$repo/tests/e2e/import_sample.py" make "$repo/input/council-2025-01-29/report.xml" \
      sample.docx >/dev/null 2>&1 &&
   timeout 60 "$bin" import sample.docx -o imported-sample.xml 2>/dev/null; then
    extra+=(imported-sample.xml)
else
    fail "the sample could not be imported from Word"
fi
for d in "$repo"/tests/fuzz/corpus/docx/*.docx; do
    out=imported-$(basename "$d" .docx).xml
    timeout 60 "$bin" import "$d" -o "$out" >/dev/null 2>&1 && [ -s "$out" ] && extra+=("$out")
done
[ "${#extra[@]}" -ge 2 ] || fail "fewer than two imported reports: ${extra[*]}"
$py "$repo/tests/e2e/valid_diff.py" "$repo" --coverage "${extra[@]}" ||
    fail "the fast validator and libxml2 disagree (above)"
exit $status
