#!/bin/bash
# Durability: an archive copy (the formal record) is fsynced before it is
# renamed into place, and its directory after; an ordinary build writes a
# temporary file and renames it without fsync (src/util/util.h, "atomic",
# says why).  A pack's manifest follows the policy of its PDF, and is
# committed with it (both written before either is renamed).
# usage: pdf_durable.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
command -v strace >/dev/null || { echo "strace is not installed (.ci/deps installs it)"; exit 1; }
sample=$repo/input/council-2025-01-29/report.xml

# calls NAME [pack] ARGS...: the fsync and rename calls of one build (or
# pack), in order
calls() {
    local name=$1 cmd=build input=$sample
    shift
    if [ "${1:-}" = pack ]; then
        cmd=pack input=$repo/input/council-2025-01-29/meeting.xml
        shift
    fi
    # LeakSanitizer cannot run under ptrace (the ASan build of the suite)
    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
    strace -f -qq -e trace=fsync,fdatasync,sync,syncfs,sync_file_range,msync,rename,renameat,renameat2 -o "$name.trace" \
        "$bin" "$cmd" "$input" "$@" > "$name.out" 2>&1 || fail "$name: $cmd failed: $(head -c 300 "$name.out")"
    sed -E 's/^[0-9]+ +//; s/\(.*//' "$name.trace" | tr '\n' ' '
}

got=$(calls plain -o plain.pdf)
[ "$got" = "rename " ] || fail "plain build: want one rename and no fsync, got: $got"
got=$(calls archive --archive -o archive.pdf)
[ "$got" = "fsync rename fsync " ] || fail "archive: want fsync, rename, fsync (the directory), got: $got"
grep -q 'rename(".*archive.pdf\.[a-z0-9]*", ".*archive.pdf")' archive.trace ||
    fail "archive: not renamed from a temporary file beside it: $(grep rename archive.trace)"
[ -s plain.pdf ] && [ -s archive.pdf ] || fail "outputs missing"
# a pack: the PDF and its manifest, both complete (and fsynced as an
# archive) before either is renamed, the PDF first, then their folder once
# --no-cache: the cache's entries are renamed into place too (unsynced)
got=$(calls pack-plain pack -o pack.pdf --no-cache)
[ "$got" = "rename rename " ] || fail "plain pack: want two renames and no fsync, got: $got"
grep -A1 'rename(".*pack.pdf\.[a-z0-9]*", ".*pack.pdf")' pack-plain.trace | grep -q 'rename(".*pack.manifest\.[a-z0-9]*", ".*pack.manifest")' ||
    fail "plain pack: not the PDF and then the manifest renamed: $(grep rename pack-plain.trace)"
got=$(calls pack-archive pack --archive -o pack-archive.pdf)
[ "$got" = "fsync fsync rename rename fsync " ] ||
    fail "archive pack: want both files fsynced, renamed, then their folder fsynced, got: $got"
[ -s pack.manifest ] && [ -s pack-archive.manifest ] || fail "manifests missing"
# the ordinary outputs around a pack skip fsync too (docs/meeting.md, README):
# its cache's entries (made, then used), a supplement --since and its manifest
syncs() { grep -cE '^[0-9]+ +(fsync|fdatasync|sync|syncfs|sync_file_range|msync)\(' "$1.trace"; }
calls pack-cold pack -o cached.pdf >/dev/null
[ -d cached.cache ] || fail "the pack kept no cache"
calls pack-warm pack -o cached.pdf >/dev/null
mkdir m && cp "$repo"/input/council-2025-01-29/*.xml m/
"$bin" pack m/meeting.xml -o pub.pdf 2>/dev/null || fail "the pack for --since failed"
sed -i '0,/This report provides Members/s//This corrected report provides Members/' m/report.xml
ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
strace -f -qq -e trace=fsync,fdatasync,sync,syncfs,sync_file_range,msync,rename,renameat,renameat2 \
    -o pack-since.trace "$bin" pack m/meeting.xml --since pub.pdf -o supp.pdf >since.out 2>&1 ||
    fail "--since failed: $(head -c 300 since.out)"
[ -s supp.manifest ] || fail "--since wrote no manifest"
for t in pack-cold pack-warm pack-since; do
    [ "$(syncs $t)" = 0 ] || fail "$t: an ordinary pack with its cache synced: $(grep -E 'sync' $t.trace)"
done
[ $status -eq 0 ] && echo "ok: archive copies (and their manifests) fsynced before and after the rename; plain builds and packs not"
exit $status
