#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/fuzz_*.c) with clang (ASan +
# UBSan) and runs each for a share of SECONDS on its own corpus:
#   pipeline  a report: load + check + layout
#   pdf       a report: ... + the PDF in memory (plain, archive copies, sink)
#   style     a style file: the style loader, then a fixed report in it
#   meeting   a meeting file: the pack's load, check, layout and PDF
#   image     an image's bytes, drawn by a fixed report
#   manifest  a pack manifest: the strict reader --since uses
#   dlist     a serialized display list: the reader of pack cache entries
#   said      what a report said, kept in its cache entry: the rebuild's replay
#   drawn     a report's drawn pages, kept beside its cache entry: read, then placed
#   extract   a PDF: extract's reader (libqpdf), its files decoded, capped
#   font      a TrueType file: the reader's checks, then its cmap, widths, glyphs
#   valid     an XML document: the fast validator never accepts what libxml2 rejects
# (every tests/fuzz/fuzz_NAME.c).  Each corpus is seeded from input/,
# tests/, styles/, tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME.
# Any crash, timeout or memory blow-up is saved under
# tests/fuzz/regressions/NAME/ (commit it with its fix: fuzz_replay_NAME
# replays every file there in the ordinary test suite) and fails the run,
# after every harness has had its turn.
# usage: run.sh BUILD_DIR SECONDS [NAME...]   (SECONDS for all of them)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build/fuzz}
secs=${2:-150}
shift $(( $# < 2 ? $# : 2 ))
all=()
for f in "$root"/tests/fuzz/fuzz_*.c; do n=${f##*/fuzz_}; all+=("${n%.c}"); done
if [ $# -gt 0 ]; then names=("$@"); else names=("${all[@]}"); fi
each=$(( secs / ${#names[@]} ))
[ "$each" -ge 1 ] || each=1
mkdir -p "$out"
out=$(cd "$out" && pwd)
# The harnesses are built by CMake (QUORUM_FUZZ) with clang, so they
# compile exactly the library's sources and generated files.
CC=clang CXX=clang++ cmake -S "$root" -B "$out/build" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DQUORUM_FUZZ=ON -DQUORUM_TESTS=OFF >/dev/null
cmake --build "$out/build" -j2 --target "${names[@]/#/fuzz_}" >/dev/null

# seeds NAME DIR: the files NAME starts from, copied into DIR.
seeds() {
  local name=$1 dir=$2
  case $name in
    pipeline|pdf|valid)
      find "$root/input" "$root/tests" -name '*.xml' -size -64k ;;
    style)
      find "$root/styles" -name '*.xml' ;;
    meeting)
      grep -rl --include='*.xml' '<meeting' "$root/input" "$root/tests" || true ;;
    image)
      find "$root/input" "$root/tests" "$root/styles" -size -64k \
           \( -name '*.png' -o -name '*.jpg' -o -name '*.jpeg' \) ;;
    manifest)
      find "$root/tests" -name '*.manifest' ;;
    font)
      find "$root/fonts" -name '*.ttf' ;;
  esac | while read -r f; do cp "$f" "$dir/"; done
  for d in "$root/tests/fuzz/corpus/$name" "$root/tests/fuzz/regressions/$name"; do
    [ -d "$d" ] && find "$d" -type f ! -name '.*' -exec cp {} "$dir/" \;
  done
  return 0
}

# dict NAME FILE: a libFuzzer dictionary for NAME's input in FILE, made
# from the schema (element and attribute names, enumerated values), so it
# follows the format; the image and manifest harnesses' are
# tests/fuzz/NAME.dict, and any other harness has none.
dict() {
  local name=$1 file=$2 xsd
  case $name in
    pipeline|pdf|meeting|valid) xsd=$root/schema/quorum-report-1.xsd ;;
    style) xsd=$root/schema/quorum-style-1.xsd ;;
    image|manifest) cp "$root/tests/fuzz/$name.dict" "$file"; return ;;
    *) : >"$file"; return ;;
  esac
  {
    grep -o '<xs:element name="[a-z-]*"' "$xsd" | sed 's/.*name="//; s/"$//' |
      sort -u | awk '{ printf "\"<%s\"\n\"</%s>\"\n", $1, $1 }'
    grep -o '<xs:attribute name="[a-z:-]*"' "$xsd" | sed 's/.*name="//; s/"$//' |
      sort -u | awk '{ printf "\" %s=\\\"\"\n", $1 }'
    grep -o '<xs:enumeration value="[^"\\]*"' "$xsd" | sed 's/.*value="//; s/"$//' |
      sort -u | awk '{ printf "\"%s\"\n", $0 }'
    printf '"%s"\n' '/>' 'urn:quorum:report:1' 'urn:quorum:style:1' 'xmlns=\"' \
      '<?xml version=\"1.0\" encoding=\"UTF-8\"?>' 'mm' 'pt' '#' '&#10;' '&amp;'
    if [ "$name" = style ]; then
      find "$root/fonts" "$root/styles" -name '*.ttf' -o -name '*.png' |
        sed 's|.*/||' | awk '{ printf "\"%s\"\n", $1 }'
    fi
  } >"$file"
}

failed=()
for name in "${names[@]}"; do
  corpus=$out/corpus/$name artifacts=$out/artifacts/$name
  mkdir -p "$corpus" "$artifacts"
  rm -f "$artifacts"/*
  seeds "$name" "$corpus"
  dict "$name" "$out/$name.dict"
  dictarg=()
  [ -s "$out/$name.dict" ] && dictarg=(-dict="$out/$name.dict")
  cp "$out/build/fuzz_$name" "$out/fuzz_$name"
  echo "== fuzz_$name (${each}s, $(find "$corpus" -type f | wc -l) seeds)"
  set +e
  "$out/fuzz_$name" -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 "${dictarg[@]}" \
    -artifact_prefix="$artifacts/" "$corpus" >"$out/fuzz_$name.log" 2>&1
  rc=$?
  set -e
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done|#[0-9]+ +DONE)' \
    "$out/fuzz_$name.log" || true
  if [ $rc -ne 0 ]; then
    tail -n 40 "$out/fuzz_$name.log"
    mkdir -p "$root/tests/fuzz/regressions/$name"
    for f in "$artifacts"/*; do
      [ -f "$f" ] || continue
      cp "$f" "$root/tests/fuzz/regressions/$name/"
      echo "saved $(basename "$f") to tests/fuzz/regressions/$name/"
    done
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found a crash, timeout or memory blow-up in: ${failed[*]}"
  exit 1
fi
echo "fuzz: no crash in ${names[*]} (${each}s each)"
