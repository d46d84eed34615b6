#!/usr/bin/env bash
# quorum watch (issue 14, part 2): started in the background on a report
# with an appendix, it rebuilds when the report is saved the way editors
# do (a new file renamed over it) and when the appendix is rewritten in
# place; after an error it prints the diagnostic and keeps the last good
# PDF byte for byte; SIGTERM ends it with status 0 and no temporary file
# left.  A meeting file is packed, and rebuilt when a report in its folder
# changes.  Every wait is a poll bounded at 20 s (a rebuild here takes
# well under a second); nothing is timed.
# usage: watch.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
q=$1 src=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"
command -v sha256sum >/dev/null || { echo "SKIP: sha256sum missing"; exit 77; }

pid=
cleanup() { [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null; }
trap cleanup EXIT

# until CMD...: true as soon as CMD succeeds, false after 20 s of tries
# (wall clock: on a loaded machine each try takes longer than its sleep)
until_ok() {
  local end=$((SECONDS + 20))
  while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.1; done
  "$@"
}
waiting() { [ "$(grep -c "waiting for changes" "$1" 2>/dev/null)" -ge "$2" ]; }
sum() { sha256sum <"$1" 2>/dev/null | cut -c1-64; }
differs() { [ -f "$1" ] && [ "$(sum "$1")" != "$2" ]; }
# gone PID: the process has exited (a child not yet waited for is a zombie)
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# stop PID: SIGTERM, then its exit status (137 if it had to be killed)
stop() {
  kill -TERM "$1"
  until_ok gone "$1" || { echo "FAIL: still running 20 s after SIGTERM"; kill -KILL "$1"; }
  wait "$1"
}

cp -r "$src/docs/examples/maidstone" paper
"$q" watch paper/report.xml -o out.pdf >watch.out 2>watch.err &
pid=$!
until_ok waiting watch.err 1 || { fail "no first build in 20 s"; cat watch.err; exit 1; }
[ -f out.pdf ] || fail "the first build wrote no PDF"
s1=$(sum out.pdf)

# the report saved as an editor does: a new file renamed over it
sed 's/Introduction and Background/Introduction and History/' paper/report.xml >paper/report.new
mv paper/report.new paper/report.xml
until_ok differs out.pdf "$s1" || fail "the PDF did not change after the report did"
until_ok waiting watch.err 2 || fail "no second build"
pdftotext out.pdf - | grep "Introduction and History" >/dev/null || fail "the new PDF lacks the edit"
s2=$(sum out.pdf)

# the appendix rewritten in place
grep "<heading>" paper/appendix-1.xml >/dev/null || fail "the appendix has no heading to edit"
sed 's|<heading>\([^<]*\)</heading>|<heading>\1 revised</heading>|' paper/appendix-1.xml >appendix.tmp
cat appendix.tmp >paper/appendix-1.xml
until_ok differs out.pdf "$s2" || fail "the PDF did not change after the appendix did"
until_ok waiting watch.err 3 || fail "no third build"
s3=$(sum out.pdf)

# an error: a diagnostic, and the last good PDF kept
sed 's|<section id="introduction">|<section id="introduction"><bogus/>|' paper/report.xml >paper/report.new
mv paper/report.new paper/report.xml
until_ok waiting watch.err 4 || fail "no build after the error"
grep "report.xml:[0-9]*:[0-9]*: error: .*bogus" watch.err >/dev/null || fail "no diagnostic for the error: $(cat watch.err)"
grep "last good PDF is kept" watch.err >/dev/null || fail "watch did not say the PDF is kept"
[ "$(sum out.pdf)" = "$s3" ] || fail "the PDF changed after a failed build"

stop "$pid"; rc=$?
pid=
[ $rc = 0 ] || fail "SIGTERM: exit $rc, not 0"
ls out.pdf.* 2>/dev/null && fail "a temporary file was left"

# a meeting file: packed, and rebuilt when a report in its folder changes
mkdir meet && "$q" new meet >/dev/null || fail "quorum new for the meeting"
"$q" watch meet/meeting.xml -o pack.pdf >meet.out 2>meet.err &
pid=$!
until_ok waiting meet.err 1 || { fail "no first pack in 20 s"; cat meet.err; }
[ -f pack.pdf ] && [ -f pack.manifest ] || fail "watch on a meeting wrote no pack and manifest"
p1=$(sum pack.pdf)
sed -i 's/\[Report title\]/Street Lighting/' meet/report.xml
until_ok differs pack.pdf "$p1" || fail "the pack did not change after its report did"
stop "$pid"; rc=$?
pid=
[ $rc = 0 ] || fail "meeting: SIGTERM: exit $rc, not 0"
exit $status
