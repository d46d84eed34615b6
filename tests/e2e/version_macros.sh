#!/usr/bin/env bash
# include/quorum.h's QUORUM_VERSION_* agree with project(VERSION), and
# cmake/version.cmake (which configure runs) refuses a header that does not.
# usage: version_macros.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
q=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
version=$(sed -n 's/^project(quorum VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || fail "no project(VERSION) in CMakeLists.txt"
check() { cmake -DHEADER="$1" -DVERSION="$version" -P "$src/cmake/version.cmake"; }
check "$src/include/quorum.h" || fail "the header disagrees with $version"
"$q" --version | grep "^quorum $version" >/dev/null || fail "quorum --version: $("$q" --version)"
for bad in 's/^#define QUORUM_VERSION_MINOR .*/#define QUORUM_VERSION_MINOR 9/' \
           's/^#define QUORUM_VERSION_NUMBER .*/#define QUORUM_VERSION_NUMBER 0x000900/' \
           '/^#define QUORUM_VERSION_PATCH/d'; do
  sed "$bad" "$src/include/quorum.h" >"$work/quorum.h"
  if check "$work/quorum.h" >"$work/out.txt" 2>&1; then fail "accepted a header edited by '$bad'"; fi
  grep -q "QUORUM_VERSION_" "$work/out.txt" || fail "no reason given: $(cat "$work/out.txt")"
done
echo "PASS: version macros $version"
