#!/bin/bash
# quorum extract on a full disk (issue 15): the files go into a temporary
# directory inside DIR and are renamed into place only when all of them
# were written, so a file that does not fit leaves every file already in
# DIR as it was (before, each was replaced in turn: the first new, the
# second old) and no temporary file or directory behind; exit 3.  Needs
# root to mount a 256 KiB tmpfs; otherwise exits 77 (skipped).
# usage: extract_diskfull.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
mkdir -p "$work" && cd "$work" || exit 1
mnt=$work/small
mkdir -p "$mnt"
mountpoint -q "$mnt" && umount "$mnt"
rm -rf ./*.pdf ./*.txt ./*.bin ./*.err
if ! mount -t tmpfs -o size=256k tmpfs "$mnt" 2>mount.err; then
    echo "SKIP: cannot mount a tmpfs: $(cat mount.err)"
    exit 77
fi
trap 'umount "$mnt" 2>/dev/null' EXIT
make="/usr/bin/python3 $repo/tests/e2e/extract_pdfs.py"

printf 'new a\n' >a.txt
head -c 300000 /dev/urandom >b.bin
$make files big.pdf a.txt a.txt b.bin b.bin
printf 'old a\n' >"$mnt/a.txt"
printf 'old b\n' >"$mnt/b.bin"
"$bin" extract big.pdf "$mnt" >/dev/null 2>full.err
rc=$?
[ $rc -eq 3 ] || fail "extract on a full disk exited $rc, want 3: $(cat full.err)"
grep "cannot write $mnt/b.bin: No space left on device" full.err >/dev/null ||
    fail "diagnostic: $(cat full.err)"
[ "$(cat "$mnt/a.txt")" = "old a" ] || fail "a.txt was replaced though b.bin did not fit"
[ "$(cat "$mnt/b.bin")" = "old b" ] || fail "b.bin was changed"
left=$(ls -A "$mnt" | grep -v -x -e a.txt -e b.bin)
[ -z "$left" ] || fail "left behind: $left"

# what fits is extracted, replacing the old files
$make files small.pdf a.txt a.txt
"$bin" extract small.pdf "$mnt" 2>small.err || fail "extract with room: $(cat small.err)"
cmp -s a.txt "$mnt/a.txt" || fail "a.txt was not replaced"

[ $status -eq 0 ] && echo "extract_diskfull: ok"
exit $status
