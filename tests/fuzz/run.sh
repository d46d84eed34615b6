#!/usr/bin/env bash
# Builds the libFuzzer harness with clang (ASan + UBSan) and runs it for a
# bounded time on a corpus seeded from input/ and tests/.  Any crash is
# saved under tests/fuzz/regressions/ (commit it: the regression test
# replays every file there) and fails the run.
# usage: run.sh BUILD_DIR SECONDS
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build/fuzz}
secs=${2:-60}
mkdir -p "$out/corpus" "$out/artifacts"
# The harnesses are built by CMake (QUORUM_FUZZ) with clang, so they
# compile exactly the library's sources and generated files.
CC=clang cmake -S "$root" -B "$out/build" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DQUORUM_FUZZ=ON -DQUORUM_TESTS=OFF >/dev/null
cmake --build "$out/build" -j2 --target fuzz_pipeline >/dev/null
cp "$out/build/fuzz_pipeline" "$out/fuzz_pipeline"
find "$root/input" "$root/tests" -name '*.xml' -size -64k -exec cp {} "$out/corpus/" \; 2>/dev/null || true
cp "$root"/tests/fuzz/regressions/* "$out/corpus/" 2>/dev/null || true
set +e
"$out/fuzz_pipeline" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/artifacts/" \
  "$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?
set -e
tail -n 12 "$out/fuzz.log"
if [ $rc -ne 0 ]; then
  for f in "$out"/artifacts/*; do
    [ -f "$f" ] && cp "$f" "$root/tests/fuzz/regressions/" && echo "saved $(basename "$f") to tests/fuzz/regressions/"
  done
  echo "fuzzing found a crash (exit $rc)"
  exit 1
fi
echo "fuzz: no crash in ${secs}s"
