#!/bin/bash
# Disk full while writing a PDF: the write fails with status 3 and a
# diagnostic, the previous file is byte-identical, no temporary file stays.
# Needs root to mount a small tmpfs; otherwise exits 77, which ctest reports
# as skipped (not passed).
# usage: pdf_diskfull.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
tool=${QUORUM_TEST_TOOLS:-$(dirname "$bin")/tests}/dlist_pdf
mkdir -p "$work" && cd "$work" || exit 1
mnt=$work/small
mkdir -p "$mnt"
mountpoint -q "$mnt" && umount "$mnt"
if ! mount -t tmpfs -o size=512k tmpfs "$mnt" 2>mount.err; then
    echo "SKIP: cannot mount a tmpfs: $(cat mount.err)"
    exit 77
fi
trap 'umount "$mnt" 2>/dev/null' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

# a previous good file
"$tool" "$repo/fonts" "$mnt/report.pdf" 1 2>good.err || fail "first write failed: $(cat good.err)"
cp "$mnt/report.pdf" previous.pdf
# fill the rest of the disk
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
# a bigger PDF cannot fit
"$tool" "$repo/fonts" "$mnt/report.pdf" 40 2>full.err
rc=$?
[ $rc -eq 3 ] || fail "write on a full disk exited $rc, want 3"
grep -q "cannot write $mnt/report.pdf: No space left on device" full.err ||
    fail "diagnostic: $(cat full.err)"
cmp -s "$mnt/report.pdf" previous.pdf || fail "the previous file was changed"
left=$(ls -A "$mnt" | grep -v -x -e report.pdf -e filler)
[ -z "$left" ] || fail "files left behind: $left"

# with room again the same write succeeds
rm -f "$mnt/filler"
"$tool" "$repo/fonts" "$mnt/report.pdf" 2 2>ok.err || fail "write with room failed: $(cat ok.err)"
cmp -s "$mnt/report.pdf" previous.pdf && fail "the file was not replaced"
qpdf --check "$mnt/report.pdf" >/dev/null 2>&1 || fail "the replaced file is broken"

[ $status -eq 0 ] && echo "pdf_diskfull: ok"
exit $status
