#!/usr/bin/env bash
# The exit status comes from the class of each error (quorum_diag.cls),
# not from whether it has a line: an unreadable resource file named
# through an option or variable is 3, input beyond a limit is 1.
#   bash exit_classes.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$(cd "$2" && pwd) work=$3
mkdir -p "$work"
cd "$work" || exit 1
status=0
fail() { echo "FAIL: $*"; status=1; }
want() { # want STATUS NAME -- ARGS...
    local code=$1 name=$2; shift 3
    "$bin" "$@" >"$name.out" 2>"$name.err"
    local got=$?
    [ "$got" -eq "$code" ] || fail "$name: exit $got, want $code ($(head -c 300 "$name.err"))"
}
meeting="$root/input/council-2025-01-29/meeting.xml"
sample="$root/input/council-2025-01-29/report.xml"

# a bank holiday list that cannot be read: I/O, though the check found it
want 3 holidays -- pack "$meeting" --holidays "$work/no-such-holidays.txt" -o "$work/p.pdf"
grep -q "cannot read the bank holiday list" holidays.err || fail "holidays: $(head -c 300 holidays.err)"
[ -e "$work/p.pdf" ] && fail "holidays: a pack was written"

# a schema folder without the schema: I/O; the built-in schema otherwise
QUORUM_SCHEMA_DIR="$work/no-schema" want 3 schema -- check "$sample"
grep -q "cannot read the schema" schema.err || fail "schema: $(head -c 300 schema.err)"
want 0 builtin-schema -- check "$sample"

# nested beyond the limit: invalid input, with its position
{ printf '<report xmlns="urn:quorum:report:1">'; for i in $(seq 300); do printf '<b>'; done; } > deep.xml
want 1 deep -- check deep.xml
grep -q "deep.xml:1:[0-9]*: error: elements nested more than 256 deep" deep.err || fail "deep: $(head -c 300 deep.err)"

[ $status -eq 0 ] && echo "exit_classes: ok"
exit $status
