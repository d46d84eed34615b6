#!/bin/bash
# The pack cache keeps what a report said (issue 18): a rebuild from the
# cache prints the clean build's warnings, text, order and source lines,
# on -j 1, 2 and 3, and the same PDF; an entry whose stored words were
# damaged (a byte flipped in them, or in their meeting key) is not used.
# usage: pack_cache_said.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"

# the sample meeting with two more reports, each with a warning: one in
# the report (a key decision neither yes nor no), one quoting the meeting
# file (the report's meeting date)
mkdir src
cp "$repo"/input/council-2025-01-29/*.xml src/
sed 's|<field role="wards"|<field role="key-decision" label="Key">Perhaps</field>\n    <field role="wards"|' \
    src/report.xml >src/report-b.xml
sed 's|date="2025-01-29"|date="2025-01-30"|' src/report.xml >src/report-c.xml
sed -i -e 's|<item id="announcements" title="Announcements on behalf of the Mayor"/>|<item id="announcements" title="Announcements on behalf of the Mayor" report="report-b.xml"/>|' \
    -e 's|title="Apologies for Absence"/>|title="Apologies for Absence" report="report-c.xml"/>|' src/meeting.xml
grep -q 'report="report-b.xml"' src/meeting.xml && grep -q 'report="report-c.xml"' src/meeting.xml ||
    { fail "sed did not add the reports"; exit 1; }

"$bin" pack src/meeting.xml --no-cache -o clean.pdf 2>clean.err || fail "clean: $(cat clean.err)"
grep -q 'read as neither Yes nor No' clean.err || fail "no key decision warning: $(cat clean.err)"
grep -q 'this meeting is on' clean.err || fail "no meeting date warning: $(cat clean.err)"

# run NAME JOBS: a pack from the cache pub.cache, said and written as clean
run() {
    "$bin" pack src/meeting.xml -j "$2" -o pub.pdf 2>"$1.err" || fail "$1: $(cat "$1.err")"
    cmp pub.pdf clean.pdf >/dev/null || fail "$1: the pack is not the clean build"
    diff clean.err "$1.err" >/dev/null || fail "$1: it said otherwise: $(diff clean.err "$1.err")"
}
for j in 1 2 3; do
    rm -rf pub.cache
    run "cold-$j" "$j"
    n=$(find pub.cache -name '*.qdl' | wc -l)
    [ "$n" = 3 ] || fail "-j $j: $n entries, want 3 (the reports with warnings too)"
    run "warm-$j" "$j"
done

# the warm run read no report: each is unreadable now
chmod 000 src/report.xml src/report-b.xml src/report-c.xml
if ! cat src/report.xml >/dev/null 2>&1; then
    run unread 2
fi
chmod 644 src/report.xml src/report-b.xml src/report-c.xml

# damaged words: a byte flipped near the end of each entry (the words come
# last, before the checksum) is refused, and the entry mended
for e in pub.cache/*.qdl; do
    python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-40] ^= 1; open(p, "wb").write(b)' "$e"
done
run flipped 2
run mended 2
exit $status
