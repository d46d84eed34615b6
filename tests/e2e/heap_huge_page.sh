#!/bin/bash
# The command's heap at start (prepare_heap in src/cli/main.c): a
# 2 MiB-aligned stretch asked for as transparent huge pages, and
# populated in one call, before any work.  Where the kernel gives huge
# pages on request ("always" or "madvise"), the heap is first made to
# start on the boundary, so that the stretch is huge pages only (a page
# table entry costs microseconds on a VM, docs/performance.md): 4 MiB
# for check and HTML, 6 for a PDF build, populated from at most a page
# below the boundary.  Elsewhere one huge page fewer, with the heap below
# it (0-2 MiB, wherever it starts).  What the kernel grants is not
# checked here, only what the command asks for.
# usage: heap_huge_page.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
command -v strace >/dev/null || { echo "strace is not installed (.ci/deps installs it)"; exit 1; }
sample=$repo/input/council-2025-01-29/report.xml
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
case $thp in *"[always]"*|*"[madvise]"*) huge=1 ;; *) huge=0 ;; esac
# a sanitizer's allocator is not glibc's: the heap cannot be plugged
plugged=$huge
grep -q __asan_init "$bin" && plugged=0

# madvise_of NAME MIB ARGS...: the command's madvise calls ask for MIB MiB
# of huge pages, 2 MiB-aligned, then populate them and the heap below them
madvise_of() {
    local name=$1 mib=$2
    shift 2
    # LeakSanitizer cannot run under ptrace (the ASan build of the suite)
    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
    strace -qq -e trace=madvise -o "$name.trace" "$bin" "$@" > "$name.out" 2>&1 ||
        fail "$name failed: $(head -c 300 "$name.out")"
    /usr/bin/python3 - "$name.trace" "$mib" "$plugged" <<'PY' || fail "$name: the heap's huge pages: $(head -5 "$name.trace")"
import re, sys
calls = [re.match(r"madvise\((0x[0-9a-f]+), (\d+), (\w+)\)", l)
         for l in open(sys.argv[1])]
calls = [(int(m[1], 16), int(m[2]), m[3]) for m in calls if m]
huge = [(a, n) for a, n, how in calls if how == "MADV_HUGEPAGE"]
assert len(huge) == 1, f"want one MADV_HUGEPAGE, got {huge}"
a, n = huge[0]
assert n == int(sys.argv[2]) << 20 and a % (2 << 20) == 0, f"not {sys.argv[2]} MiB aligned: {a:#x} {n}"
# populated in the call after it, from below it to its end
pop = calls[calls.index((a, n, "MADV_HUGEPAGE")) + 1]
assert pop[2] == "MADV_POPULATE_WRITE", pop
assert pop[0] <= a and pop[0] + pop[1] == a + n and a - pop[0] < 2 << 20, pop
# the heap plugged up to the boundary: nothing below it to populate
if sys.argv[3] == "1":
    assert a - pop[0] <= 4096, f"heap not on the boundary: {a - pop[0]} bytes below"
PY
}
# the heap one run takes: 4 MiB for check and HTML, 6 for a PDF build
if [ "$huge" = 1 ]; then small=4 large=6; else small=2 large=4; fi
madvise_of check $small check "$sample"
madvise_of html $small build --format html "$sample" -o r.html
madvise_of pdf $large build "$sample" -o r.pdf
exit $status
