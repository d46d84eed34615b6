#!/bin/bash
# The schema compiled in is schema/quorum-report-1.xsd cut down for speed
# (CMakeLists.txt, quorum_strip_annotations: no annotations, comments or
# white space between tags).  It must give the published file's verdicts:
# `quorum check` on every XML file of the repository (tests/invalid, the
# golden reports, input/, docs/examples, templates, fixtures) prints the
# same diagnostics and exits the same with either schema.
#   bash schema_builtin.sh QUORUM_BINARY REPO_ROOT WORK_DIR
. "$(dirname "$0")/lib.sh"
bin=$1 root=$(cd "$2" && pwd) work=$3
fresh_workdir "$work"
cd "$root" || exit 1
mapfile -t files < <(find tests input docs templates -name '*.xml' \
                          -not -name '*.appendix.xml' | LC_ALL=C sort)
[ "${#files[@]}" -gt 100 ] || fail "only ${#files[@]} XML files found"

"$bin" check --color never "${files[@]}" >"$work/builtin.txt" 2>&1
echo "exit $?" >>"$work/builtin.txt"
QUORUM_SCHEMA_DIR="$root/schema" "$bin" check --color never "${files[@]}" \
    >"$work/published.txt" 2>&1
echo "exit $?" >>"$work/published.txt"

diff "$work/published.txt" "$work/builtin.txt" >"$work/diff.txt" ||
    fail "the built-in schema's verdicts differ from schema/quorum-report-1.xsd's: $(head -c 2000 "$work/diff.txt")"
# not vacuous: the schema itself rejected many of the files
n=$(grep -c -E "error: .*(is not allowed here|is missing a child element|takes no attribute|needs an? [a-z-]+ attribute|is not one of|is not a (date|time) written)" "$work/builtin.txt")
[ "$n" -ge 10 ] || fail "only $n schema errors among the diagnostics"
exit $status
