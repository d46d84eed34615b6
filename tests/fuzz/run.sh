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
# The built-in style's bytes, as CMakeLists.txt compiles them in.
/usr/bin/python3 - "$root/styles/committee.xml" "$out/builtin_style.c" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "w") as f:
    f.write("#include <stddef.h>\nconst unsigned char qstyle_builtin_xml[] = {\n")
    f.write(",".join(str(b) for b in data))
    f.write("};\nconst size_t qstyle_builtin_xml_len = sizeof qstyle_builtin_xml;\n")
PY
# shellcheck disable=SC2046
clang -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -I"$root/include" -I"$root/src" $(pkg-config --cflags libxml-2.0) \
  -DQUORUM_DEFAULT_FONT_DIR="\"$root/fonts\"" \
  -DQUORUM_DEFAULT_SCHEMA_DIR="\"$root/schema\"" -DQUORUM_DEFAULT_DATA_DIR="\"$root/data\"" \
  "$root"/src/*.c "$out/builtin_style.c" "$root/tests/fuzz/fuzz_pipeline.c" \
  $(pkg-config --libs libxml-2.0) -lhpdf -lz -lm -o "$out/fuzz_pipeline"
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
