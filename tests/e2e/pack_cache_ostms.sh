#!/bin/bash
# A pack cache entry's elements' object streams (HASH.qos, issue 18): a
# hit whose elements get the object numbers they had uses the deflated
# streams it kept (its file is then not written again), one whose numbers
# moved deflates them again and keeps the new ones, and a damaged, cut or
# foreign file is never used (the streams are made again and the file
# mended).  The pack's own streams (its parent tree's leaves and the
# save's object streams, one .qos with no drawn pages beside it) likewise:
# not written again when every one was the last build's, written when one
# changed, mended when damaged.  Every pack from the cache is the clean
# build, byte for byte: tagged, untagged, --archive=2a.
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

# the reports' .qos (drawn pages beside them), and the pack's own
reports_qos() { for f in pub.cache/*.qos; do [ -e "${f%.qos}.qpd" ] && echo "$f"; done; }
own_qos() { for f in pub.cache/*.qos; do [ -e "$f" ] && [ ! -e "${f%.qos}.qpd" ] && echo "$f"; done; }
qos() { reports_qos | wc -l; }
inodes() { reports_qos | xargs -r stat -c '%n %i' | sort; }
own() { own_qos | xargs -r stat -c '%n %i %s'; }
# the .qos of the entry whose drawn pages are $1's (the same name)

pack_clean c1
pack_cached cold c1
[ "$(qos)" = 3 ] || fail "cold: $(qos) object stream files, want 3 (one a report)"
[ "$(own_qos | wc -l)" = 1 ] || fail "cold: $(own_qos | wc -l) files of the pack's own streams, want 1"
inodes >i1
own >o1
# warm: every report a hit with the numbers it had, its streams used as
# they are (none deflated again: no file written again), and so the
# pack's own streams (every one the last build's: not written again)
pack_cached warm c1
inodes | cmp -s - i1 || fail "warm: a hit's object streams were made again: $(inodes)"
own | cmp -s - o1 || fail "warm: the pack's own streams were written again: $(own)"

# the last report changed in its text only: the others' numbers hold
sed -i '0,/This report provides Members/s//This corrected report provides Members/' src/report-c.xml
pack_clean c2
cmp -s c1.pdf c2.pdf && fail "the edit did not change the pack"
pack_cached changed c2
[ "$(inodes | grep -c -x -F -f i1)" = 2 ] ||
    fail "changed: the two reports that did not change made their streams again"
inodes >i2
# its pages' lengths are among the save's objects: that stream is new
own | cmp -s - o1 && fail "changed: the pack's own streams were not kept anew"
own >o2
pack_cached changed-warm c2
own | cmp -s - o2 || fail "changed, warm: the pack's own streams were written again"

# the first report (item 5) gets one more element on the same pages: the
# next ones' drawn pages hold, their object numbers move by one
cp src/report-b.xml b.keep
sed -i '0,/<\/section>/s||<p>One more.</p></section>|' src/report-b.xml
pack_clean c3
p2=$(pdfinfo c2.pdf | awk '/^Pages:/{print $2}') p3=$(pdfinfo c3.pdf | awk '/^Pages:/{print $2}')
[ "$p2" = "$p3" ] || fail "the element added a page ($p2, $p3): the test needs the same pages"
pack_cached moved c3
[ "$(inodes | grep -c -x -F -f i2)" = 0 ] ||
    fail "moved: a report whose numbers moved kept its old streams: $(inodes)"
inodes >i3
pack_cached moved-warm c3
inodes | cmp -s - i3 || fail "moved, warm: the new streams were not used"

# damaged: cut, a byte flipped, another entry's, a drawn pages file
# under its name: never used, made again and mended; the pack's own too
o=$(own_qos)
cp "$o" "$o.keep"
pack_mended "$o" c3 "the pack's own streams"
set -- $(reports_qos)
cp "$1" "$o"
pack_cached own-foreign c3
cmp -s "$o" "$o.keep" || fail "a report's object streams under the pack's own name were used"
rm "$o.keep"
set -- $(reports_qos)
cp "$1" "$1.keep"
pack_mended "$1" c3 "a report's object streams"
cp "$2" "$1"
pack_cached foreign c3
cmp -s "$1" "$1.keep" || fail "another entry's object streams were not replaced"
cp "${1%.qos}.qpd" "$1"
pack_cached drawn-named c3
cmp -s "$1" "$1.keep" || fail "drawn pages under the object streams' name were not replaced"
rm "$1.keep"

# untagged: no structure, no streams; the tagged ones are kept for later
inodes >i4
export QUORUM_UNTAGGED=1
pack_clean u1
pack_cached untagged u1
inodes | cmp -s - i4 || fail "untagged: the object streams were touched"
unset QUORUM_UNTAGGED
pack_cached tagged-again c3
inodes | cmp -s - i4 || fail "tagged again: the object streams were made again"

# PDF/A-2a (written whole, its elements in object streams too)
pack_clean a1 --archive=2a
pack_cached archive a1 --archive=2a
pack_cached archive-warm a1 --archive=2a
mv b.keep src/report-b.xml
pack_clean a2 --archive=2a
pack_cached archive-restored a2 --archive=2a
exit $status
