#!/bin/bash
# The PDF writer's libraries (libharu, libdeflate) and the image decoders
# (libpng, libjpeg) are opened the first time they are needed
# (src/util/dlib.c): HTML, check and --help map none of them (about 1 M
# instructions and 36 page faults of start-up each, docs/performance.md);
# a PDF build maps libharu (which needs libpng) and libdeflate, an image
# libpng or libjpeg; the output and --version are what they were.  A
# library hidden (root, a mount namespace) is an error that names it.
# usage: libs_on_demand.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$(cd "$2" && pwd) work=$3
fresh_workdir "$work"
sample=$repo/input/council-2025-01-29/report.xml
export QUORUM_FONT_DIR="$repo/fonts" QUORUM_STYLE_DIR="$repo/styles"
libs='libhpdf|libdeflate|libpng|libjpeg'

# mapped NAME CMD...: the libraries of $libs the command maps, sorted
mapped() {
    local name=$1
    shift
    LD_DEBUG=files "$@" >"$name.out" 2>"$name.ld" || fail "$name exited $?: $(grep -v '^ *[0-9]*:' "$name.ld" | head -3)"
    # a dlopen'ed library is named by its path
    grep -oE "file=[^ ]*($libs)[^ ]*" "$name.ld" | sed -E 's|^file=(.*/)?||; s/^(lib[a-z]+).*/\1/' |
        sort -u | tr '\n' ' '
}

got=$(mapped html "$bin" build --format html "$sample" -o r.html)
[ -z "$got" ] || fail "HTML build mapped: $got"
[ -s r.html ] || fail "no HTML written"
got=$(mapped check "$bin" check "$sample")
[ -z "$got" ] || fail "check mapped: $got"
got=$(mapped help "$bin" --help)
[ -z "$got" ] || fail "--help mapped: $got"
# (libharu itself needs libpng)
got=$(mapped pdf "$bin" build "$sample" -o r.pdf)
[ "$got" = "libdeflate libhpdf libpng " ] || fail "PDF build mapped: '$got', not libdeflate, libhpdf and libpng"
qpdf --check r.pdf >/dev/null 2>&1 || fail "the PDF does not pass qpdf --check"
got=$(mapped version "$bin" --version)
grep -qE "^libharu [0-9.]+, zlib [0-9.]+, libdeflate [0-9.]+, .*libpng [0-9.]+, libjpeg-turbo" version.out ||
    fail "--version: $(cat version.out)"

# images: a PNG maps libpng alone, a JPEG libjpeg alone, in a check
/usr/bin/python3 "$repo/tests/tools/make_images.py" valid . >/dev/null &&
    /usr/bin/python3 "$repo/tests/tools/make_images.py" jpegs . >/dev/null || exit 1
/usr/bin/python3 "$repo/tests/e2e/images.py" report png.xml palette-alpha.png || exit 1
/usr/bin/python3 "$repo/tests/e2e/images.py" report jpg.xml grey.jpg || exit 1
got=$(mapped png "$bin" check png.xml)
[ "$got" = "libpng " ] || fail "check of a PNG mapped: '$got', not libpng"
got=$(mapped jpg "$bin" check jpg.xml)
[ "$got" = "libjpeg " ] || fail "check of a JPEG mapped: '$got', not libjpeg"
got=$(mapped pngpdf "$bin" build png.xml -o png.pdf)
[ "$got" = "libdeflate libhpdf libpng " ] || fail "PDF of a PNG mapped: '$got'"
pdfimages -list png.pdf | grep -q " image " || fail "no image in png.pdf"
# a library that cannot be opened (here libharu, hidden in a mount
# namespace of its own, where root may make one) is an error that names
# it, exit 3, never a crash; HTML does not need it and --version says so
hpdf=$(grep -oE "file=[^ ]*libhpdf[^ ]*" pdf.ld | sed 's/^file=//' | head -1)
hpdf_path=$(ldconfig -p | awk -v n="$hpdf" '$1 == n {print $NF; exit}')
if [ "$(id -u)" = 0 ] && [ -n "$hpdf_path" ] && unshare -m true 2>/dev/null; then
    unshare -m bash -c "mount --bind /dev/null '$hpdf_path' &&
        '$bin' build '$sample' -o hidden.pdf 2>hidden.err; echo \$? >hidden.rc;
        '$bin' build --format html '$sample' -o hidden.html 2>hidden-html.err; echo \$? >hidden-html.rc;
        '$bin' --version >hidden-version.out 2>&1"
    [ "$(cat hidden.rc)" = 3 ] || fail "PDF without libharu exited $(cat hidden.rc), not 3: $(cat hidden.err)"
    grep -q "cannot write .*hidden.pdf: PDF writing is not available (.*libhpdf" hidden.err ||
        fail "PDF without libharu: $(cat hidden.err)"
    [ -e hidden.pdf ] && fail "PDF without libharu left a file"
    [ "$(cat hidden-html.rc)" = 0 ] && cmp -s hidden.html r.html ||
        fail "HTML without libharu: exit $(cat hidden-html.rc): $(cat hidden-html.err)"
    grep -q "^libharu: not available, zlib [0-9.]*, libdeflate [0-9.]*, libxml2 " hidden-version.out ||
        fail "--version without libharu: $(cat hidden-version.out)"
    # and libpng: the image is an I/O error at its src, exit 3
    png_path=$(ldconfig -p | awk '$1 == "libpng16.so.16" {print $NF; exit}')
    if [ -n "$png_path" ]; then
        unshare -m bash -c "mount --bind /dev/null '$png_path' &&
            '$bin' check png.xml 2>hidden-png.err; echo \$? >hidden-png.rc"
        [ "$(cat hidden-png.rc)" = 3 ] || fail "check of a PNG without libpng exited $(cat hidden-png.rc)"
        grep -q "^png.xml:[0-9]*:[0-9]*: error: image 'palette-alpha.png' cannot be decoded: the PNG library is not available (.*libpng16" hidden-png.err ||
            fail "check of a PNG without libpng: $(cat hidden-png.err)"
    fi
else
    echo "SKIP: hiding libharu needs root and mount namespaces"
fi
exit $status
