#!/bin/bash
# The clear-days rule through quorum pack: an agenda published four clear
# working days before the meeting is a warning (exit 0, the pack is still
# made), an error with --werror (exit 1); the sample's five days are fine.
# The rule itself is unit-tested with the meeting checks (loader branch).
# usage: pack_publication.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
cp -r "$repo/input/council-2025-01-29" in
"$bin" pack in/meeting.xml -o ok.pdf 2>ok.err
rc=$?
[ $rc -eq 0 ] || fail "sample pack exited $rc: $(cat ok.err)"
grep -q "clear working days" ok.err && fail "the sample (five clear days) was warned about"

sed -i 's#<published>2025-01-21</published>#<published>2025-01-22</published>#' in/meeting.xml
"$bin" pack in/meeting.xml -o late.pdf 2>late.err
rc=$?
[ $rc -eq 0 ] || fail "late publication exited $rc (a warning should not fail): $(cat late.err)"
grep -q "warning: .*4 clear working days" late.err || fail "no clear-days warning: $(cat late.err)"
[ -s late.pdf ] || fail "no pack written despite only a warning"
"$bin" pack in/meeting.xml -o werror.pdf --werror 2>werror.err
[ $? -eq 1 ] || fail "--werror should exit 1"
[ -e werror.pdf ] && fail "--werror still wrote the pack"

# an exempt item's report is never opened: naming a file that is not there
# (as it should not be, beside a public meeting file) is fine
sed -i 's#<published>2025-01-22</published>#<published>2025-01-21</published>#; s#exempt-paragraph="3"#exempt-paragraph="3" report="confidential.xml"#' in/meeting.xml
"$bin" pack in/meeting.xml -o exempt.pdf 2>exempt.err || fail "exempt report was opened: $(cat exempt.err)"
grep -q confidential exempt.err && fail "a diagnostic names the exempt report: $(cat exempt.err)"

# an error in a report fails the pack, and no PDF is written
sed -i 's#<front-sheet>#<front-sheet><nonsense/>#' in/report.xml
"$bin" pack in/meeting.xml -o broken.pdf 2>broken.err
[ $? -eq 1 ] || fail "an invalid report should fail the pack: $(cat broken.err)"
grep -q "report.xml:" broken.err || fail "the diagnostic does not name the report: $(cat broken.err)"
[ -e broken.pdf ] && fail "a pack was written despite errors"
exit $status
