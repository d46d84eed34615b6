#!/usr/bin/env bash
# cmake --install into a prefix, the prefix moved elsewhere, then, with the
# checkout and the build folder hidden (a tmpfs over each, in a private
# mount namespace) and from another folder: the installed quorum checks,
# builds (default and --style riverside) and packs the sample; programs
# built against the prefix with pkg-config and with CMake's find_package
# render it through the shared library, and one linked with the static
# library and what pkg-config --static lists (libxml2, zlib...).  Also: what the prefix holds, the
# shared library exports only quorum_*, and no installed binary names the
# checkout.
# usage: install.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
q=$1 src=$(cd "$2" && pwd) work=$3
build=$(cd "$(dirname "$q")" && pwd)
rm -rf "$work" && mkdir -p "$work"
# Outside the checkout and the build folder, which get hidden.
tmp=$(mktemp -d /tmp/quorum-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
libdir=$(cache CMAKE_INSTALL_LIBDIR)
[ -n "$libdir" ] || fail "no CMAKE_INSTALL_LIBDIR in $build/CMakeCache.txt"

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" ||
  { cat "$work/install.log"; fail "cmake --install"; }
mv "$work/prefix" "$tmp/moved"
p=$tmp/moved
for f in bin/quorum include/quorum.h "$libdir/libquorum.a" "$libdir/libquorum.so" \
         "$libdir/pkgconfig/quorum.pc" "$libdir/cmake/quorum/quorumConfig.cmake" \
         "$libdir/cmake/quorum/quorumConfigVersion.cmake" \
         share/man/man1/quorum.1 share/man/man3/quorum.3 \
         share/quorum/fonts/LiberationSans-Regular.ttf share/quorum/fonts/LICENSE-Liberation.txt \
         share/quorum/styles/riverside.xml share/quorum/schema/quorum-report-1.xsd \
         share/quorum/data/bank-holidays-england-wales.txt \
         share/doc/quorum/README.md share/doc/quorum/LICENSE-OpenSans.txt; do
  [ -e "$p/$f" ] || fail "not installed: $f"
done
so=$(readlink -f "$p/$libdir/libquorum.so")
[[ $so == *.so.[0-9]*.[0-9]*.[0-9]* ]] || fail "libquorum.so is not versioned: $so"

# Only the API is exported; the program carries the library statically.
nm -D --defined-only "$so" | awk '{print $NF}' >"$work/exports.txt"
grep -qx quorum_version "$work/exports.txt" || fail "quorum_version not exported"
if grep -v '^quorum_' "$work/exports.txt"; then fail "exported beyond quorum_*"; fi
if readelf -d "$p/bin/quorum" | grep 'NEEDED.*libquorum' >/dev/null; then
  fail "bin/quorum needs libquorum.so"
fi
# the installed command finds its ICU stand-ins beside it (CMakeLists.txt,
# QUORUM_ICU_STUB), wherever the prefix is; linked with libxml2's static
# archive it has none to find (the stand-ins are linked in)
if [ "$(cache QUORUM_ICU_STUB)" = ON ] && [ "$(cache QUORUM_STATIC_LIBXML2)" != ON ]; then
  ldd "$p/bin/quorum" >"$work/ldd.txt"
  grep -qE "libicuuc[^ ]* => $p/bin/\.\./$libdir/quorum/icu/" "$work/ldd.txt" ||
    fail "bin/quorum does not load its ICU stand-ins: $(grep icu "$work/ldd.txt")"
fi
if command -v man >/dev/null; then
  for m in man1/quorum.1 man3/quorum.3; do
    w=$(MANWIDTH=80 man --warnings -l "$p/share/man/$m" 2>&1 >/dev/null)
    [ -z "$w" ] || fail "man $m: $w"
  done
fi

san=
grep -q '^QUORUM_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && san=-fsanitize=address,undefined
# Sanitizers record each source's full path for their reports (no prefix
# map applies); such builds are never installed for use.
if [ -z "$san" ]; then
  for f in "$p/bin/quorum" "$so" "$p/$libdir/libquorum.a"; do
    if strings -a "$f" | grep -F "$src"; then fail "$f names the checkout $src"; fi
  done
fi

cp -r "$src/input/council-2025-01-29" "$tmp/sample"
cp -r "$src/tests/e2e/install" "$tmp/consumer"
hide=("$src")
case "$build/" in "$src"/*) ;; *) hide+=("$build") ;; esac

cat >"$tmp/hidden.sh" <<'INNER'
set -euo pipefail
tmp=$1 p=$2 libdir=$3 san=$4; shift 4
for d in "$@"; do mount -t tmpfs quorum-hidden "$d"; done
for d in "$@"; do [ -z "$(ls -A "$d")" ] || { echo "FAIL: $d still visible"; exit 1; }; done
mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere"
unset QUORUM_FONT_DIR QUORUM_STYLE_DIR QUORUM_SCHEMA_DIR SOURCE_DATE_EPOCH
pdf() { [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ] || { echo "FAIL: $2: no PDF"; exit 1; }; }
run() { local what=$1; shift; "$@" || { echo "FAIL: $what exited $?"; exit 1; }; }
run check "$p/bin/quorum" check "$tmp/sample/report.xml"
run build "$p/bin/quorum" build "$tmp/sample/report.xml" -o default.pdf
pdf default.pdf build
run "build --style riverside" "$p/bin/quorum" build --style riverside "$tmp/sample/report.xml" -o riverside.pdf
pdf riverside.pdf "build --style riverside"
cmp -s default.pdf riverside.pdf && { echo "FAIL: --style riverside made the default PDF"; exit 1; }
run pack "$p/bin/quorum" pack "$tmp/sample/meeting.xml" -o pack.pdf
pdf pack.pdf pack
# libqpdf comes in as LIBDIR/quorum/quorum-pdfin.so, loaded on first use:
# an archive copy's sources come back out through it, and --version names it
run "build --archive=3a" "$p/bin/quorum" build --archive=3a "$tmp/sample/report.xml" -o a3.pdf
run extract "$p/bin/quorum" extract a3.pdf extracted
[ -s extracted/report.xml ] || { echo "FAIL: extract wrote no report.xml"; exit 1; }
"$p/bin/quorum" --version >version.txt
grep -E "libqpdf [0-9]" version.txt >/dev/null || { echo "FAIL: --version: $(cat version.txt)"; exit 1; }
grep -E "libzip [0-9]" version.txt >/dev/null || { echo "FAIL: --version: $(cat version.txt)"; exit 1; }
# the templates quorum new copies are installed with it
run "new --template maidstone" "$p/bin/quorum" new --template maidstone fresh
run "build of new" "$p/bin/quorum" build --werror fresh/report.xml -o fresh.pdf
pdf fresh.pdf "build of new"

export PKG_CONFIG_PATH=$p/$libdir/pkgconfig
# shellcheck disable=SC2046
run "cc with pkg-config" cc -std=c11 -Wall -Werror $san -o report-pc "$tmp/consumer/report.c" \
  $(pkg-config --cflags --libs quorum) -Wl,-rpath,"$p/$libdir"
run "pkg-config program" ./report-pc "$tmp/sample/report.xml" pc.pdf
pdf pc.pdf "pkg-config program"
# the static library with what pkg-config --static says it needs (in
# bin/, where a program finds share/quorum without a library beside it)
st=$p/bin/report-static
# shellcheck disable=SC2046
run "cc static with pkg-config" cc -std=c11 -Wall -Werror $san -o "$st" \
  "$tmp/consumer/report.c" $(pkg-config --cflags quorum) \
  $(pkg-config --static --libs quorum | sed "s|-lquorum |$p/$libdir/libquorum.a |")
readelf -d "$st" | grep 'NEEDED.*libquorum' >/dev/null && { echo "FAIL: report-static needs libquorum.so"; exit 1; }
run "static program" "$st" "$tmp/sample/report.xml" static.pdf
pdf static.pdf "static program"
rm "$st"
run "cmake configure" cmake -S "$tmp/consumer" -B cm -DCMAKE_PREFIX_PATH="$p" -DCMAKE_C_FLAGS="$san" >cmake.log
run "cmake build" cmake --build cm >>cmake.log
run "find_package program" ./cm/report "$tmp/sample/report.xml" cm.pdf
pdf cm.pdf "find_package program"
echo "hidden checkout: all ran"
INNER
unshare -m bash "$tmp/hidden.sh" "$tmp" "$p" "$libdir" "$san" "${hide[@]}"
echo "PASS: installed, moved, ran with the checkout hidden"
