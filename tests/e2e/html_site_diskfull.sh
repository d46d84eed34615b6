#!/usr/bin/env bash
# quorum publish on a full disk (issue 17): a new site whose files do not
# fit exits 3 with a "No space left on device" diagnostic and leaves no
# file in its folder, neither a temporary file nor part of the site, and
# the folder itself when publish made it (one that was there stays) (each
# report's page and PDF are written into temporary files as they are
# made and put in place only once every file is made); a site that is
# there and would change keeps every file as it was.  With -j 1 (the
# files made after the layout) and -j 2 (made on the layout's workers).
# Needs root to mount a small tmpfs; otherwise exits 77 (skipped).
#   bash html_site_diskfull.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$2 work=$3
. "$(dirname "$0")/lib.sh"
export QUORUM_FONT_DIR="$root/fonts"
fresh_workdir "$work"
mnt=$work/small
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=256k tmpfs "$mnt" 2>mount.err; then
    echo "SKIP: cannot mount a tmpfs: $(cat mount.err)"
    exit 77
fi
trap 'umount "$mnt" 2>/dev/null' EXIT
mkdir in
cp "$root"/input/council-2025-01-29/*.xml in/

# a new site (about 700 KB) into 256 KB
for j in 1 2; do
    "$bin" publish in/meeting.xml -o "$mnt/site$j" -j $j 2> full$j.err; rc=$?
    [ $rc -eq 3 ] || fail "-j $j: a full disk exited $rc, want 3"
    grep -E "cannot write $mnt/site$j/[^ ]*: No space left on device" full$j.err >/dev/null ||
        fail "-j $j: diagnostic: $(head -c 300 full$j.err)"
    left=$(ls -A "$mnt/site$j" 2>/dev/null)
    [ -z "$left" ] || fail "-j $j: files left in the folder: $(echo $left)"
    # the folder it made for the site goes too; one that was there stays
    [ -e "$mnt/site$j" ] && fail "-j $j: the folder it made is left behind"
    rm -rf "${mnt:?}/site$j"
    mkdir "$mnt/given$j"
    "$bin" publish in/meeting.xml -o "$mnt/given$j" -j $j 2>given$j.err
    [ $? -eq 3 ] || fail "-j $j: into a folder that was there: $(head -c 300 given$j.err)"
    [ -d "$mnt/given$j" ] || fail "-j $j: a folder that was there was removed"
    [ -z "$(ls -A "$mnt/given$j" 2>/dev/null)" ] || fail "-j $j: files left in the given folder"
    rmdir "$mnt/given$j"
done

# a site that is there (made with room), then a report edited and the
# disk filled: the publish fails and every file is as it was
umount "$mnt" && mount -t tmpfs -o size=2m tmpfs "$mnt" || { fail "remount"; exit 1; }
"$bin" publish in/meeting.xml -o "$mnt/site" 2> made.err || fail "publish with room: $(cat made.err)"
cp -a "$mnt/site" before
stat -c '%n %Y %i %s' "$mnt"/site/* > before.txt
sed -i 's|</front-sheet>|</front-sheet>\n  <section><heading>Late Correction</heading><p>A corrected figure.</p></section>|' in/report.xml
grep -F 'Late Correction' in/report.xml >/dev/null || fail "fixture edit not made"
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
for j in 1 2; do
    "$bin" publish in/meeting.xml -o "$mnt/site" -j $j 2> over$j.err; rc=$?
    [ $rc -eq 3 ] || fail "-j $j over a site: a full disk exited $rc, want 3"
    grep -F "No space left on device" over$j.err >/dev/null ||
        fail "-j $j over a site: diagnostic: $(head -c 300 over$j.err)"
    stat -c '%n %Y %i %s' "$mnt"/site/* > after$j.txt
    cmp -s before.txt after$j.txt ||
        fail "-j $j: a full disk changed the site: $(diff before.txt after$j.txt)"
    diff -r before "$mnt/site" >/dev/null || fail "-j $j: the site's bytes changed"
done
exit $status
