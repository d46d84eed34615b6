#!/bin/bash
# quorum pack draws each report's pages on the worker that laid it out
# (issue 18, docs/performance.md "Streaming a pack"), -j 1 in the write:
# the same PDF, manifest and diagnostics either way, for the options the
# drawing depends on (archive levels, untagged) and a style with a logo
# on every report (images named by the pack once the report is freed).
# usage: pack_drawn.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 root=$2 work=$3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1700000000
src="$root/input/council-2025-01-29"
cp "$src"/appendix-1.xml "$src"/appendix-2.xml .
items=
for i in 1 2 3 4 5; do
    cp "$src/report.xml" "report-$i.xml"
    items="$items    <item id=\"r$i\" title=\"Report $i\" report=\"report-$i.xml\"/>"$'\n'
done
/usr/bin/python3 - "$src/meeting.xml" "$items" <<'PY'
import re, sys
m = open(sys.argv[1]).read()
open("meeting.xml", "w").write(re.sub(r"<agenda>.*</agenda>", "<agenda>\n" + sys.argv[2] + "  </agenda>", m, flags=re.S))
PY
run() { # name env-or-- args...
    local name=$1 env=$2
    shift 2
    for n in 1 2 3; do
        mkdir -p "j$n"
        env $env "$bin" pack meeting.xml -j "$n" --no-cache "$@" -o "j$n/$name.pdf" \
            2>"j$n/$name.txt" || fail "$name -j $n: $(cat "j$n/$name.txt")"
    done
    for n in 2 3; do
        cmp j1/$name.pdf "j$n/$name.pdf" >/dev/null || fail "$name -j $n: another PDF than -j 1"
        cmp j1/$name.manifest "j$n/$name.manifest" >/dev/null || fail "$name -j $n: another manifest"
        cmp j1/$name.txt "j$n/$name.txt" >/dev/null || fail "$name -j $n: other diagnostics"
    done
}
run plain --
run river -- --style riverside
run untagged QUORUM_UNTAGGED=1
for a in 1b 2a 3a; do run "a$a" -- "--archive=$a"; done
exit $status
