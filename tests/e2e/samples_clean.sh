#!/bin/bash
# The sample papers in input/ check clean under --werror (reports with
# their appendices, and meeting files with every report they name): a new
# warning that fires on the format's own samples (as the subheading level
# check did on the generated "label" headings) fails here.
# usage: samples_clean.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$(cd "$2" && pwd) work=$3
fresh_workdir "$work"
n=0
for f in "$repo"/input/*.xml "$repo"/input/*/report.xml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    "$bin" check --werror "$f" 2>err.txt || fail "$f: $(cat err.txt)"
done
for m in "$repo"/input/*/meeting.xml; do
    [ -f "$m" ] || continue
    n=$((n + 1))
    # pack checks the meeting and each report it names before laying out
    "$bin" pack --werror "$m" -o pack.pdf 2>err.txt || fail "$m: $(cat err.txt)"
done
[ $n -ge 3 ] || fail "only $n samples found"
exit $status
