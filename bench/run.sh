#!/usr/bin/env bash
# Prints speed and memory figures; never a pass/fail test.
# usage: bench/run.sh [BUILD_DIR]   (default: build-bench, a Release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=${1:-$root/build-bench}
cmake -S "$root" -B "$bdir" -DCMAKE_BUILD_TYPE=Release -DQUORUM_TESTS=OFF >/dev/null
cmake --build "$bdir" -j2 >/dev/null
q="$bdir/quorum"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure CMD...: best and mean wall time over RUNS runs, peak RSS of one run
measure() {
  local label=$1 runs=$2; shift 2
  /usr/bin/python3 - "$label" "$runs" "$@" <<'PY'
import resource, subprocess, sys, time
label, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{label:40s} best {min(times)*1000:8.1f} ms  mean {sum(times)/len(times)*1000:8.1f} ms  peak RSS {rss:6.1f} MB")
PY
}

sample="$root/input/council-2025-01-29/report.xml"
"$q" build "$sample" -o "$work/r.pdf"
pages=$(pdfinfo "$work/r.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
echo "sample report: ${pages:-?} pages"
measure "sample report, build (PDF)" 20 "$q" build "$sample" -o "$work/r.pdf"
measure "sample report, check only" 20 "$q" check "$sample"
measure "sample report, layout + text dump" 20 "$q" dump "$sample" -o "$work/r.txt"
