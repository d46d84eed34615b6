#!/bin/bash
# A house style's <pack banner="Public Document Pack"/> prints that line on
# the pack's front sheet above the meeting body's name; without it (the
# default) no banner is printed.
# usage: pack_banner.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
fresh_workdir "$work"
unset SOURCE_DATE_EPOCH
meeting_file meeting.xml '    <item title="Apologies for Absence"/>'
cat >banner.xml <<'XML'
<style xmlns="urn:quorum:style:1" name="banner">
  <pack banner="Public Document Pack"/>
</style>
XML
"$bin" pack meeting.xml --style "$work/banner.xml" -o styled.pdf 2>err.txt ||
    { fail "pack --style: $(cat err.txt)"; exit 1; }
pdftotext -f 1 -l 1 styled.pdf styled.txt
first=$(grep -v '^\s*$' styled.txt | head -2 | tr '\n' '|')
[ "$first" = "Public Document Pack|Planning Committee|" ] ||
    fail "front sheet does not open with the banner then the body: $first"
"$bin" pack meeting.xml -o plain.pdf 2>err.txt || fail "pack: $(cat err.txt)"
pdftotext plain.pdf plain.txt
grep -F "Public Document Pack" plain.txt >/dev/null && fail "the default pack has a banner"
exit $status
