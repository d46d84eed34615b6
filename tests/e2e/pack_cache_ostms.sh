#!/bin/bash
# A pack cache entry's elements' object streams (HASH.qos, issue 18): a
# hit whose elements get the object numbers they had uses the deflated
# streams it kept (its file is then not written again), one whose numbers
# moved deflates them again and keeps the new ones, and a damaged, cut or
# foreign file is never used (the streams are made again and the file
# mended).  Every pack from the cache is the clean build, byte for byte:
# tagged, untagged, --archive=2a.
# usage: pack_cache_ostms.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"

# the sample meeting with two more reports (items 5 and 6)
mkdir src
cp "$repo"/input/council-2025-01-29/*.xml src/
cp src/report.xml src/report-b.xml
cp src/report.xml src/report-c.xml
sed -i 's|<item id="announcements" title="Announcements on behalf of the Mayor"/>|<item id="announcements" title="Announcements on behalf of the Mayor" report="report-b.xml"/><item id="c" title="Report C" report="report-c.xml"/>|' src/meeting.xml
grep -q 'report="report-c.xml"' src/meeting.xml || { fail "sed did not add the reports"; exit 1; }

# clean NAME [OPTS]: the pack of src as it is now, without the cache
clean() {
    local n=$1; shift
    "$bin" pack src/meeting.xml --no-cache "$@" -o "$n.pdf" 2>"$n.err" || fail "$n: $(cat "$n.err")"
}
# cached NAME CLEAN [OPTS]: pub.pdf from the cache equals CLEAN.pdf
cached() {
    local n=$1 c=$2; shift 2
    "$bin" pack src/meeting.xml "$@" -o pub.pdf 2>"$n.err" || fail "$n: $(cat "$n.err")"
    cmp pub.pdf "$c.pdf" >/dev/null || fail "$n: the pack from the cache is not the clean build"
}
qos() { find pub.cache -name '*.qos' | wc -l; }
inodes() { stat -c '%n %i' pub.cache/*.qos 2>/dev/null | sort; }
# the .qos of the entry whose drawn pages are $1's (the same name)
flip() { python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$1"; }

clean c1
cached cold c1
[ "$(qos)" = 3 ] || fail "cold: $(qos) object stream files, want 3 (one a report)"
inodes >i1
# warm: every report a hit with the numbers it had, its streams used as
# they are (none deflated again: no file written again)
cached warm c1
inodes | cmp -s - i1 || fail "warm: a hit's object streams were made again: $(inodes)"

# the last report changed in its text only: the others' numbers hold
sed -i '0,/This report provides Members/s//This corrected report provides Members/' src/report-c.xml
clean c2
cmp -s c1.pdf c2.pdf && fail "the edit did not change the pack"
cached changed c2
[ "$(inodes | grep -c -x -F -f i1)" = 2 ] ||
    fail "changed: the two reports that did not change made their streams again"
inodes >i2

# the first report (item 5) gets one more element on the same pages: the
# next ones' drawn pages hold, their object numbers move by one
cp src/report-b.xml b.keep
sed -i '0,/<\/section>/s||<p>One more.</p></section>|' src/report-b.xml
clean c3
p2=$(pdfinfo c2.pdf | awk '/^Pages:/{print $2}') p3=$(pdfinfo c3.pdf | awk '/^Pages:/{print $2}')
[ "$p2" = "$p3" ] || fail "the element added a page ($p2, $p3): the test needs the same pages"
cached moved c3
[ "$(inodes | grep -c -x -F -f i2)" = 0 ] ||
    fail "moved: a report whose numbers moved kept its old streams: $(inodes)"
inodes >i3
cached moved-warm c3
inodes | cmp -s - i3 || fail "moved, warm: the new streams were not used"

# damaged: cut, a byte flipped, another entry's, a drawn pages file
# under its name: never used, made again and mended
set -- $(ls pub.cache/*.qos)
cp "$1" q.keep
head -c 300 q.keep >"$1"
cached cut c3
cmp -s "$1" q.keep || fail "the cut object streams were not mended"
flip "$1"
cached flipped c3
cmp -s "$1" q.keep || fail "the flipped object streams were not mended"
cp "$2" "$1"
cached foreign c3
cmp -s "$1" q.keep || fail "another entry's object streams were not replaced"
cp "${1%.qos}.qpd" "$1"
cached drawn-named c3
cmp -s "$1" q.keep || fail "drawn pages under the object streams' name were not replaced"

# untagged: no structure, no streams; the tagged ones are kept for later
inodes >i4
export QUORUM_UNTAGGED=1
clean u1
cached untagged u1
inodes | cmp -s - i4 || fail "untagged: the object streams were touched"
unset QUORUM_UNTAGGED
cached tagged-again c3
inodes | cmp -s - i4 || fail "tagged again: the object streams were made again"

# PDF/A-2a (written whole, its elements in object streams too)
clean a1 --archive=2a
cached archive a1 --archive=2a
cached archive-warm a1 --archive=2a
mv b.keep src/report-b.xml
clean a2 --archive=2a
cached archive-restored a2 --archive=2a
exit $status
