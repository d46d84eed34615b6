#!/usr/bin/env bash
# The Debian package: configured as a packager would (prefix /usr, so the
# library goes to /usr/lib/<triplet>), `cpack` makes quorum_*.deb; apt
# installs it; the installed /usr/bin/quorum checks, builds (default and
# --style riverside) and packs the sample from another folder with the
# checkout hidden, and a program built with pkg-config renders it through
# /usr/lib/<triplet>/libquorum.so; dpkg -r removes it all again (always:
# the trap).  Installs into the system, so it runs only as root, and never
# over a quorum package installed by someone else.
# usage: deb.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
q=$1 src=$(cd "$2" && pwd) work=$3
build=$(cd "$(dirname "$q")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: installing a package needs root"; exit 77; }
command -v dpkg-deb >/dev/null || { echo "SKIP: not Debian"; exit 77; }
if grep -q '^QUORUM_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "SKIP: the package is tested from the release build"; exit 77
fi
# Two suites on one machine (two checkouts) would install and purge the
# same system package under each other: one at a time.
exec 9>/tmp/quorum-deb-test.lock
flock 9
if dpkg-query -W -f='${Status}' quorum 2>/dev/null | grep "ok installed" >/dev/null; then
  echo "SKIP: a quorum package is already installed; not touching it"; exit 77
fi
[ ! -e /usr/bin/quorum ] || { echo "SKIP: /usr/bin/quorum exists"; exit 77; }

rm -rf "$work" && mkdir -p "$work"
tmp=$(mktemp -d /tmp/quorum-deb.XXXXXX)
installed=0
cleanup() {
  [ $installed = 0 ] || dpkg --purge quorum >/dev/null 2>&1 || echo "WARNING: dpkg --purge quorum failed"
  rm -rf "$tmp"
}
trap cleanup EXIT

cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX=/usr -DQUORUM_TESTS=OFF >"$work/configure.log" ||
  { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; fail "build"; }
(cd "$work/build" && cpack >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
debs=("$work"/build/quorum_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no single quorum_*.deb: ${debs[*]}"
deb=${debs[0]}

dpkg-deb -f "$deb" Depends >"$work/depends.txt"
for d in libhpdf-2.3.0 libxml2 zlib1g libpng16-16 libjpeg62-turbo libzip4 libqpdf29 libdeflate0; do
  grep -qw "$d" "$work/depends.txt" || fail "Depends lacks $d: $(cat "$work/depends.txt")"
done
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents.txt"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for f in ./usr/bin/quorum ./usr/include/quorum.h "./usr/lib/$multiarch/libquorum.so" \
         "./usr/lib/$multiarch/quorum/quorum-pdfin.so" \
         "./usr/lib/$multiarch/pkgconfig/quorum.pc" ./usr/share/man/man1/quorum.1 \
         ./usr/share/quorum/fonts/LiberationSans-Regular.ttf ./usr/share/doc/quorum/README.md \
         ./usr/share/quorum/schema/catalog.xml ./usr/share/quorum/templates/committee/report.xml; do
  grep -qxF "$f" "$work/contents.txt" || fail "not in the package: $f"
done

installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" \
  >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install"; }
dpkg-query -W -f='${Status}' quorum | grep "install ok installed" >/dev/null || fail "not installed"

cp -r "$src/input/council-2025-01-29" "$tmp/sample"
cp -r "$src/tests/e2e/install" "$tmp/consumer"
cd "$tmp"
/usr/bin/quorum build "$tmp/sample/report.xml" -o plain.pdf || fail "build"
[ "$(head -c 5 plain.pdf)" = "%PDF-" ] || fail "build: no PDF"

hide=("$src")
case "$build/" in "$src"/*) ;; *) hide+=("$build") ;; esac
case "$work/" in "$src"/*|"$build"/*) ;; *) hide+=("$work") ;; esac
cat >"$tmp/hidden.sh" <<'INNER'
set -euo pipefail
tmp=$1; shift
for d in "$@"; do mount -t tmpfs quorum-hidden "$d"; done
mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere"
unset QUORUM_FONT_DIR QUORUM_STYLE_DIR QUORUM_SCHEMA_DIR SOURCE_DATE_EPOCH
pdf() { [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ] || { echo "FAIL: $2: no PDF"; exit 1; }; }
run() { local what=$1; shift; "$@" || { echo "FAIL: $what exited $?"; exit 1; }; }
[ "$(command -v quorum)" = /usr/bin/quorum ] || { echo "FAIL: quorum on PATH is $(command -v quorum)"; exit 1; }
run check quorum check "$tmp/sample/report.xml"
run build quorum build "$tmp/sample/report.xml" -o default.pdf
pdf default.pdf build
run "build --style riverside" quorum build --style riverside "$tmp/sample/report.xml" -o riverside.pdf
pdf riverside.pdf "build --style riverside"
run pack quorum pack "$tmp/sample/meeting.xml" -o pack.pdf
pdf pack.pdf pack
# libqpdf comes in as LIBDIR/quorum/quorum-pdfin.so, loaded on first use:
# an archive copy's sources come back out through it, and --version names it
run "build --archive=3a" quorum build --archive=3a "$tmp/sample/report.xml" -o a3.pdf
run extract quorum extract a3.pdf extracted
[ -s extracted/report.xml ] || { echo "FAIL: extract wrote no report.xml"; exit 1; }
quorum --version >version.txt
grep -E "libqpdf [0-9]" version.txt >/dev/null || { echo "FAIL: --version: $(cat version.txt)"; exit 1; }
grep -E "libzip [0-9]" version.txt >/dev/null || { echo "FAIL: --version: $(cat version.txt)"; exit 1; }
# the templates quorum new copies are installed with it
run "new --template maidstone" /usr/bin/quorum new --template maidstone fresh
run "build of new" /usr/bin/quorum build --werror fresh/report.xml -o fresh.pdf
pdf fresh.pdf "build of new"
# shellcheck disable=SC2046
run "cc with pkg-config" cc -std=c11 -Wall -Werror -o report "$tmp/consumer/report.c" \
  $(pkg-config --cflags --libs quorum)
ldd ./report | grep -E "=> (/usr)?/lib/[^ ]*libquorum\.so" >/dev/null || { echo "FAIL: not linked to the system libquorum"; ldd ./report; exit 1; }
run "pkg-config program" ./report "$tmp/sample/report.xml" lib.pdf
pdf lib.pdf "pkg-config program"
INNER
unshare -m bash "$tmp/hidden.sh" "$tmp" "${hide[@]}"

dpkg --purge quorum >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "dpkg --purge"; }
installed=0
[ ! -e /usr/bin/quorum ] || fail "/usr/bin/quorum left after dpkg -r"
[ ! -e /usr/share/quorum ] || fail "/usr/share/quorum left after dpkg -r"
echo "PASS: $(basename "$deb") installed, rendered the sample from elsewhere, removed"
