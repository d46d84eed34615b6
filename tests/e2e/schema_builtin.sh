#!/bin/bash
# The schema compiled in is schema/quorum-report-1.xsd cut down for speed
# (CMakeLists.txt, quorum_strip_annotations: no annotations, comments or
# white space between tags, its choice groups written out where they are
# used).  It must be the published schema:
# - tests/tools/xsd_same.py proves the two the same content models once
#   both have their groups spliced in, on their trees;
# - `quorum check` on every XML file of the repository (tests/invalid, the
#   golden reports, input/, docs/examples, templates, fixtures) prints the
#   same diagnostics, and exits the same, with the published file spliced
#   so (QUORUM_SCHEMA_DIR) as with the copy compiled in;
# - and with the published file as it is, the same diagnostics at the same
#   places: only the elements a message lists as expected may differ
#   (libxml2 lists at most ten, in the order of its automaton).
#   bash schema_builtin.sh QUORUM_BINARY REPO_ROOT WORK_DIR
. "$(dirname "$0")/lib.sh"
bin=$1 root=$(cd "$2" && pwd) work=$3
fresh_workdir "$work"
builtin=$(dirname "$bin")/generated/quorum-report-1.xsd
mkdir -p "$work/spliced"
/usr/bin/python3 "$root/tests/tools/xsd_same.py" "$root/schema/quorum-report-1.xsd" \
    "$builtin" "$work/spliced/quorum-report-1.xsd" >"$work/same.txt" 2>&1 ||
    fail "$(cat "$work/same.txt")"

cd "$root" || exit 1
mapfile -t files < <(find tests input docs templates -name '*.xml' \
                          -not -name '*.appendix.xml' | LC_ALL=C sort)
[ "${#files[@]}" -gt 100 ] || fail "only ${#files[@]} XML files found"
run() { # run NAME [SCHEMA_DIR]
    if [ -n "${2:-}" ]; then
        QUORUM_SCHEMA_DIR=$2 "$bin" check --color never "${files[@]}" >"$work/$1.txt" 2>&1
    else
        "$bin" check --color never "${files[@]}" >"$work/$1.txt" 2>&1
    fi
    echo "exit $?" >>"$work/$1.txt"
}
run builtin
run spliced "$work/spliced"
run published "$root/schema"

diff "$work/spliced.txt" "$work/builtin.txt" >"$work/diff.txt" ||
    fail "the built-in schema's diagnostics differ from the published one's spliced: $(head -c 2000 "$work/diff.txt")"
# places and severities only
places() { sed -E 's/^([^ ]*:[0-9]+:[0-9]+: (error|warning|note)):.*/\1/' "$1"; }
diff <(places "$work/published.txt") <(places "$work/builtin.txt") >"$work/places.txt" ||
    fail "the built-in schema's verdicts differ from schema/quorum-report-1.xsd's: $(head -c 2000 "$work/places.txt")"
# not vacuous: the schema itself rejected many of the files
n=$(grep -c -E "error: .*(is not allowed here|is missing a child element|takes no attribute|needs an? [a-z-]+ attribute|is not one of|is not a (date|time) written)" "$work/builtin.txt")
[ "$n" -ge 10 ] || fail "only $n schema errors among the diagnostics"
exit $status
