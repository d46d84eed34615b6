#!/bin/bash
# The pack's cache of report layouts (issue 18): OUT.cache beside the
# manifest.  A pack built from the cache is the clean build, byte for
# byte: cold, warm, after one report changed, and after its entries were
# damaged (cut, changed, replaced by another's, a link); each entry's
# drawn pages are placed when their start page and options are the
# build's, drawn again (and kept) when not (untagged, a start that
# moved), and not used when damaged; a hit whose drawn pages are placed
# reads its entry's records (HASH.qdr), not its layout, which is read
# when they are not whole or the pages are drawn again, and is laid out
# from its report again when that is not whole either; --no-cache makes
# and reads none; a full disk loses the cache, never the pack.
# usage: pack_cache.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
mnt=$work/small
mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
fresh_workdir "$work"

# the sample meeting with a second report (item 5, the same report again)
mkdir src
cp "$repo"/input/council-2025-01-29/*.xml src/
cp src/report.xml src/report-b.xml
sed -i 's|<item id="announcements" title="Announcements on behalf of the Mayor"/>|<item id="announcements" title="Announcements on behalf of the Mayor" report="report-b.xml"/>|' src/meeting.xml
grep -q 'report="report-b.xml"' src/meeting.xml || { fail "sed did not add the second report"; exit 1; }

# clean NAME: the pack of src as it is now, without the cache
clean() {
    "$bin" pack src/meeting.xml --no-cache -o "$1.pdf" 2>"$1.err" || fail "$1: $(cat "$1.err")"
    [ -e "$1.cache" ] && fail "$1: --no-cache made $1.cache"
}
# cached NAME CLEAN: pub.pdf from the cache equals CLEAN.pdf
cached() {
    "$bin" pack src/meeting.xml -o pub.pdf 2>"$1.err" || fail "$1: $(cat "$1.err")"
    cmp pub.pdf "$2.pdf" >/dev/null || fail "$1: the pack from the cache is not the clean build"
    # the same but for the PDF's name
    sed 's/"file": "pub.pdf"/"file": "'"$2"'.pdf"/' pub.manifest | cmp - "$2.manifest" >/dev/null ||
        fail "$1: its manifest is not the clean build's"
}
entries() { find pub.cache -name '*.qdl' | wc -l; }

clean c1
cached cold c1
[ "$(entries)" = 2 ] || fail "cold: $(entries) entries, want 2"
cached warm c1
# the warm run took both reports from the cache: it read neither (a report
# it would read is refused here, being unreadable)
chmod 000 src/report.xml src/report-b.xml
if ! cat src/report.xml >/dev/null 2>&1; then
    cached unread c1
fi
chmod 644 src/report.xml src/report-b.xml

# one report changed: its entry is not used, the other is
sed -i '0,/This report provides Members/s//This corrected report provides Members/' src/report-b.xml
clean c2
cmp c1.pdf c2.pdf >/dev/null && fail "the edit did not change the pack"
cached changed c2
# an appendix both reports read changed
sed -i '0,/<p>/s//<p>Amended. /' src/appendix-2.xml
clean c3
cached appendix c3

# A hit whose drawn pages are placed reads its records, not its layout: a
# cut layout beside whole records is not read (nor mended), and the pack
# is still the clean build
set -- pub.cache/*.qdl
a=$1 b=$2
ra=${a%.qdl}.qdr
[ -e "$ra" ] || fail "no records beside the entry $a"
cp "$a" a.keep
head -c 1000 "$a.keep" >"$a"
cached cut-unread c3
cmp -s "$a" a.keep && fail "a hit read its layout, though its records and drawn pages are whole"
# damaged entries (their records gone: read whole) are not used, and are
# mended, their records with them
rm "$ra"
cached cut c3
cmp "$a" a.keep >/dev/null || fail "the cut entry was not mended"
[ -e "$ra" ] || fail "the cut entry's records were not made again"
flip "$a"
rm "$ra"
cached flipped c3
cp "$b" "$a"
rm "$ra"
cached foreign c3
rm "$a" "$ra" && ln -s "$PWD/a.keep" "$a"
cached link c3
[ -L "$a" ] && fail "the link in the cache is still there"

# An entry's records damaged (cut, changed, another's, the layout itself
# under their name, gone): its whole layout is read instead, and its
# records made again, the same bytes
cp "$ra" r.keep
head -c 300 r.keep >"$ra"
cached rec-cut c3
cmp -s "$ra" r.keep || fail "the cut records were not made again as they were"
flip "$ra"
cached rec-flipped c3
cmp -s "$ra" r.keep || fail "the flipped records were not made again"
cp "${b%.qdl}.qdr" "$ra"
cached rec-foreign c3
cmp -s "$ra" r.keep || fail "another entry's records were not replaced"
cp "$a" "$ra"
cached rec-whole c3
cmp -s "$ra" r.keep || fail "a layout under the records' name was not replaced"
rm "$ra"
cached rec-gone c3
cmp -s "$ra" r.keep || fail "the records were not made again"
# a file in the folder that is not an entry is left alone
echo notes >pub.cache/README
cached other c3
[ -e pub.cache/README ] || fail "the cache removed a file of its own"

# Each entry's drawn pages beside it (HASH.qpd): a hit whose pages were
# drawn at its start page for these options places them as they are
# (the file is not written again); a hit whose start page moved, or built
# for other options (untagged), is drawn again and its pages kept.
drawn() { find pub.cache -name '*.qpd' | wc -l; }
inodes() { stat -c '%n %i' pub.cache/*.qpd | sort; }
cached drawn1 c3
[ "$(drawn)" = 2 ] || fail "drawn: $(drawn) drawn entries, want 2"
inodes >i1
cached drawn2 c3
inodes | cmp -s - i1 || fail "a hit's drawn pages were drawn again: $(inodes)"
export QUORUM_UNTAGGED=1
clean u1
cached untagged u1
inodes | grep -c -x -F -f i1 >/dev/null && fail "untagged: the tagged drawing was kept"
inodes >i2
cached untagged2 u1
inodes | cmp -s - i2 || fail "untagged again: drawn again: $(inodes)"
unset QUORUM_UNTAGGED
cached tagged-again c3
# the first report (item 5) made longer: the second one's start moves
cp src/report-b.xml report.keep
sed -i 's|</section>|<p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p><p>Longer.</p></section>|' src/report-b.xml
clean c4
p3=$(pdfinfo c3.pdf | awk '/^Pages:/{print $2}') p4=$(pdfinfo c4.pdf | awk '/^Pages:/{print $2}')
[ "$p3" != "$p4" ] || fail "the longer report did not move the next one (pages $p3, $p4)"
inodes >i3
# and every layout cut: the moved report's whole layout is needed (its
# pages are drawn again), and, not whole, it is laid out from its report
for f in pub.cache/*.qdl; do head -c 1000 "$f" >"$f.cut" && mv "$f.cut" "$f"; done
cached moved c4
inodes | grep -x -F -f i3 && fail "moved: a drawing kept whose start page moved"
cached moved-warm c4
# damaged drawn pages are not used, and are mended
set -- pub.cache/*.qpd
[ $# = 2 ] && [ -e "$1" ] || { fail "no drawn pages to damage"; exit 1; }
cp "$1" q.keep
head -c 500 q.keep >"$1"
cached drawn-cut c4
cmp -s "$1" q.keep || fail "the cut drawn pages were not mended"
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$1"
cached drawn-flipped c4
cp "$2" "$1"
cached drawn-foreign c4
cmp -s "$1" q.keep || fail "the foreign drawn pages were not mended"
mv report.keep src/report-b.xml
cached restored c3

# PDF/A-3 attaches the sources, whose bytes the records leave out: a hit
# takes its whole layout then
"$bin" pack src/meeting.xml --archive=3a --no-cache -o a3.pdf 2>a3.err || fail "3a: $(cat a3.err)"
"$bin" pack src/meeting.xml --archive=3a -o pub.pdf 2>a3c.err || fail "3a cached: $(cat a3c.err)"
"$bin" pack src/meeting.xml --archive=3a -o pub.pdf 2>a3w.err || fail "3a warm: $(cat a3w.err)"
cmp pub.pdf a3.pdf >/dev/null || fail "PDF/A-3: the pack from the cache is not the clean build"

# the style is part of the key: another style, the clean build in it
"$bin" pack src/meeting.xml --style riverside --no-cache -o r.pdf 2>r.err || fail "riverside: $(cat r.err)"
"$bin" pack src/meeting.xml --style riverside -o pub.pdf 2>r2.err || fail "riverside cached: $(cat r2.err)"
cmp pub.pdf r.pdf >/dev/null || fail "another style: the pack is not its clean build"

# a full disk: the pack is written, the cache is lost, no temporary file
mkdir -p "$mnt"
if mount -t tmpfs -o size=512k tmpfs "$mnt" 2>mount.err; then
    trap 'umount "$mnt" 2>/dev/null' EXIT
    "$bin" pack src/meeting.xml -o "$mnt/pub.pdf" 2>full.err || fail "full disk: the pack failed: $(cat full.err)"
    cmp "$mnt/pub.pdf" c3.pdf >/dev/null || fail "full disk: not the clean build"
    left=$(find "$mnt" -name '*.tmp*' -o -name '.*' -type f | wc -l)
    [ "$left" = 0 ] || fail "full disk: temporary files left: $(ls -la "$mnt" "$mnt/pub.cache" 2>&1)"
    umount "$mnt"
    trap - EXIT
else
    echo "SKIP (disk full part): cannot mount a tmpfs: $(cat mount.err)"
fi
exit $status
