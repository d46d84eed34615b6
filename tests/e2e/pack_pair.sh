#!/bin/bash
# A pack's PDF and its manifest are one committed pair (issue 12):
#  - a manifest that cannot be written (disk full) leaves the previous PDF
#    and manifest as they were, exit 3 (it used to replace the PDF first);
#  - a pair that does not belong together (a run killed between the two
#    renames: a new PDF beside the old manifest) is refused by --since,
#    which says so; so is a manifest cut short, of another meeting, or in
#    the old text format; --since may name the PDF instead;
#  - twenty packs written to one target at once leave a PDF and a manifest
#    of the same run, and no temporary or lock file.
# The disk-full part needs root for a small tmpfs (else it is skipped, and
# the script says so; the rest still runs).
# usage: pack_pair.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
man="$py $repo/tests/e2e/manifest.py"
mnt=$work/small
mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
fresh_workdir "$work"
cp -r "$repo/input/council-2025-01-29" v1
cp -r v1 v2
# v2: the same meeting with item 1 retitled, so its PDF differs
sed -i 's|title="Apologies for Absence"|title="Apologies for Absence (amended)"|' v2/meeting.xml
grep -q 'Absence (amended)' v2/meeting.xml || fail "the v2 edit did not apply"

# ---- the manifest cannot be written: nothing is replaced ---------------
mkdir -p "$mnt"
if mount -t tmpfs -o size=2m tmpfs "$mnt" 2>mount.err; then
    trap 'umount "$mnt" 2>/dev/null' EXIT
    "$bin" pack v1/meeting.xml -o "$mnt/pub.pdf" 2>v1.err || fail "v1 pack: $(cat v1.err)"
    cp "$mnt/pub.pdf" v1.pdf && cp "$mnt/pub.manifest" v1.manifest
    # the published PDF is also kept under another name, so replacing it
    # frees no room: only the new PDF fits, its manifest does not
    ln "$mnt/pub.pdf" "$mnt/kept.pdf"
    mkdir sizing && "$bin" pack v2/meeting.xml -o sizing/pub.pdf 2>/dev/null || fail "v2 sizing pack"
    need=$(( ($(stat -c %s sizing/pub.pdf) + 4095) / 4096 ))
    avail=$(stat -f -c %a "$mnt")
    dd if=/dev/zero of="$mnt/filler" bs=4096 count=$((avail - need)) 2>/dev/null
    "$bin" pack v2/meeting.xml -o "$mnt/pub.pdf" 2>full.err
    rc=$?
    [ $rc -eq 3 ] || fail "pack with no room for the manifest: exit $rc, want 3: $(cat full.err)"
    grep -q "No space left on device" full.err || fail "disk full: $(cat full.err)"
    cmp -s "$mnt/pub.pdf" v1.pdf || fail "the published PDF was replaced though its manifest was not"
    cmp -s "$mnt/pub.manifest" v1.manifest || fail "the published manifest was changed"
    # pub.cache: the first pack's cache of its report (docs/meeting.md)
    left=$(ls -A "$mnt" | grep -v -x -e pub.pdf -e pub.manifest -e kept.pdf -e filler -e pub.cache)
    [ -z "$left" ] || fail "files left behind: $left"
    rm -f "$mnt/filler"
    "$bin" pack v2/meeting.xml -o "$mnt/pub.pdf" 2>room.err || fail "pack with room: $(cat room.err)"
    cmp -s "$mnt/pub.pdf" sizing/pub.pdf || fail "with room, the PDF was not replaced"
    $man "$mnt/pub.manifest" pairs || fail "with room, the pair does not match"
    umount "$mnt"
    trap - EXIT
else
    echo "SKIP (disk full part): cannot mount a tmpfs: $(cat mount.err)"
fi

# ---- --since checks the pair --------------------------------------------
# refused NAME STATUS PATTERN: v2's pack --since NAME.manifest exits
# STATUS with a line matching PATTERN (grep -E), and writes nothing
refused() {
    "$bin" pack v2/meeting.xml --since "$1.manifest" -o "$1-supp.pdf" 2>"$1.err"
    local rc=$?
    [ $rc -eq "$2" ] || fail "$1: --since exited $rc, want $2: $(head -c 300 "$1.err")"
    grep -qE "$3" "$1.err" || fail "$1: $(head -c 300 "$1.err")"
    [ -e "$1-supp.pdf" ] && fail "$1: a supplement was written"
}
"$bin" pack v1/meeting.xml -o pub.pdf 2>pub.err || fail "publish: $(cat pub.err)"
$man pub.manifest pairs || fail "the published pair does not match"
cp pub.pdf old.pdf && cp pub.manifest old.manifest
# a run killed between the renames: the new PDF, the old manifest
"$bin" pack v2/meeting.xml -o pub.pdf 2>/dev/null || fail "v2 publish"
cp old.manifest pub.manifest
refused pub 1 "^pub.manifest:[0-9]+:[0-9]+: error: this manifest does not belong to pub.pdf: it was written with a PDF of [0-9]+ bytes"
# the same with a changed report that warns: the PDF is hashed while the
# report is checked, and what the check says is not given (one error)
cp -r v2 v3
sed -i '0,/<field role="wards"/s//<field role="key-decision" label="Key">Perhaps<\/field><field role="wards"/' v3/report.xml
grep -q '>Perhaps<' v3/report.xml || fail "the v3 edit did not apply"
"$bin" pack v3/meeting.xml -o v3.pdf 2>v3.err && grep -q "warning" v3.err ||
    fail "v3's report does not warn: $(cat v3.err)"
"$bin" pack v3/meeting.xml --since pub.manifest -o v3-supp.pdf 2>warn.err
[ $? -eq 1 ] || fail "--since a changed PDF, a report that warns: $(cat warn.err)"
grep -q "does not belong to pub.pdf" warn.err || fail "warns: $(cat warn.err)"
[ "$(grep -c -E '(error|warning):' warn.err)" = 1 ] ||
    fail "--since a changed PDF said what the check said: $(cat warn.err)"
# naming the PDF it was published with instead
cp old.manifest old2.manifest && sed -i 's|"file": "pub.pdf"|"file": "old.pdf"|' old2.manifest
"$bin" pack v2/meeting.xml --since old2.manifest -o s2.pdf 2>named.err ||
    fail "--since a manifest beside its own PDF: $(cat named.err)"
[ "$($man s2.manifest present)" = 1 ] || fail "supplement of the retitled item: $($man s2.manifest present)"
"$bin" pack v1/meeting.xml -o v1pub.pdf 2>/dev/null || fail "v1pub"
"$bin" pack v2/meeting.xml --since v1pub.pdf -o s3.pdf 2>bypdf.err || fail "--since PDF: $(cat bypdf.err)"
[ "$($man s3.manifest present)" = 1 ] || fail "--since PDF: items $($man s3.manifest present)"
# the PDF it names is gone
sed 's|"file": "v1pub.pdf"|"file": "gone.pdf"|' v1pub.manifest >lost.manifest
refused lost 3 "cannot read gone.pdf, the PDF this manifest was written with: No such file"
# cut short
head -c 700 v1pub.manifest >cut.manifest
refused cut 1 "^cut.manifest:[0-9]+:[0-9]+: error: not a quorum pack manifest \(the file is cut short\)"
# of another meeting
sed 's|"id": "council-2025-01-29"|"id": "council-2025-02-26"|' v1pub.manifest >other.manifest
refused other 1 "is the manifest of the meeting council-2025-02-26 of 2025-01-29, not of this one"
# the old text format
printf 'quorum-pack-manifest 1\nitem\t1\tapologies\t0000000000000000\t-\tx\n' >text.manifest
refused text 1 "a manifest in the old text format"

# ---- twenty packs to one target at once ---------------------------------
for i in $(seq 1 20); do
    cp -r v1 "c$i"
    sed -i "s|title=\"Apologies for Absence\"|title=\"Apologies for Absence $i\"|" "c$i/meeting.xml"
done
for i in $(seq 1 20); do
    "$bin" pack "c$i/meeting.xml" -o same.pdf 2>"c$i.err" &
done
wait
for i in $(seq 1 20); do [ -s "c$i.err" ] && fail "concurrent pack $i: $(cat "c$i.err")"; done
$man same.manifest pairs || fail "after concurrent packs the PDF and manifest are of different runs"
title=$($man same.manifest title apologies)
n=${title//[!0-9]/}
pdftotext -layout same.pdf - | grep -q "Apologies for Absence $n\b" ||
    fail "the manifest records run $n, the PDF is of another"
left=$(ls -A | grep -e '^same\.' | grep -v -x -e same.pdf -e same.manifest -e same.cache)
[ -z "$left" ] || fail "temporary or lock files left: $left"
# the runs' caches of the report went into one folder, whole entries (and
# their drawn pages, records and elements' object streams) only
left=$(ls -A same.cache | grep -v -e '^[0-9a-f]\{64\}\.qdl$' -e '^[0-9a-f]\{64\}\.qpd$' \
    -e '^[0-9a-f]\{64\}\.qdr$' -e '^[0-9a-f]\{64\}\.qos$')
[ -z "$left" ] || fail "temporary files left in the cache: $left"

[ $status -eq 0 ] && echo "pack_pair: ok"
exit $status
