#!/bin/bash
# `quorum build` keeps every thread's memory in the one heap the command
# populated at start (prepare_heap in src/cli/main.c, M_ARENA_MAX 1): the
# PDF build's deflate worker would otherwise get a malloc arena of its
# own, a fresh mapping glibc reserves with PROT_NONE and MAP_NORESERVE
# (128 MiB on 64-bit), whose pages each fault on first use (~110 of the
# sample's ~840 faults).  A pack keeps per-thread arenas (its workers
# allocate all the time).  Checked with strace; glibc's malloc only, so a
# sanitizer build (its own allocator) says so and passes.
# usage: heap_one_arena.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
command -v strace >/dev/null || { echo "strace is not installed (.ci/deps installs it)"; exit 1; }
if ldd "$bin" 2>/dev/null | grep -q 'lib[at]san'; then
    echo "a sanitizer build: its allocator is not glibc's, nothing to check"
    exit 0
fi
dir=$repo/input/council-2025-01-29

# trace NAME ARGS...: the command's thread starts and mappings, by thread
trace() {
    local name=$1
    shift
    strace -f -qq -e trace=clone,clone3,mmap -o "$name.trace" "$bin" "$@" >"$name.out" 2>&1 ||
        fail "$name failed: $(head -c 300 "$name.out")"
}
trace pdf build "$dir/report.xml" -o r.pdf
trace pack pack "$dir/meeting.xml" -o p.pdf --no-cache
arena='PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE'
grep -q 'clone' pdf.trace || fail "the PDF build started no thread: nothing was checked"
grep -q "$arena" pdf.trace && fail "the PDF build's worker got an arena of its own: $(grep "$arena" pdf.trace | head -2)"
# the other side: the pack's workers still do (and the pattern still matches glibc's)
grep -q "$arena" pack.trace || fail "the pack's workers made no arena (has glibc's reservation changed?)"
exit $status
