#!/bin/bash
# The clear-days rule through quorum pack: an agenda published four clear
# working days before the meeting is a warning (exit 0, the pack is still
# made), an error with --werror (exit 1); the sample's five days are fine.
# The rule itself is unit-tested with the meeting checks (loader branch).
# usage: pack_publication.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
mkdir -p "$work" && cd "$work" || exit 1
rm -rf ./*
status=0
fail() { echo "FAIL: $*"; status=1; }
cp -r "$repo/input/council-2025-01-29" in
"$bin" pack in/meeting.xml -o ok.pdf 2>ok.err
rc=$?
if grep -q "root element must be <report>" ok.err; then
  echo "SKIP: the loader does not accept <meeting> yet"; exit 77
fi
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
exit $status
