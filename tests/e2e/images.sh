#!/bin/bash
# Images (issue 12), each decoded once by src/image before anything is
# written:
#  - every kind of valid PNG (interlaced, 16-bit, colour key, palette with
#    alpha, grey at 2 bits...) and JPEG (grey, RGB, progressive, CMYK)
#    builds without a word, and the PDF holds the source's pixels, alpha
#    as a soft mask;
#  - in a PDF/A-1 copy the alpha is applied onto white and a CMYK JPEG is
#    RGB, so Preflight accepts it;
#  - a damaged PNG or JPEG in a report or a style's logo is an error at its
#    src (build, pack), exit 1, never an abort, the previous PDF kept; a
#    FIFO as the logo does not block;
#  - a decompression bomb is refused from its header, at once.
# Images come from tests/tools/make_images.py; tests/invalid has the
# damaged files `check` refuses.
# usage: images.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 repo=$(cd "$2" && pwd) work=$3
py=/usr/bin/python3
gen="$py $repo/tests/tools/make_images.py"
px="$py $here/images.py"
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts" QUORUM_STYLE_DIR="$repo/styles"

# --- valid images -----------------------------------------------------------
$gen valid . && $gen jpegs . || exit 1
pngs="rgba16-interlaced.png rgb8-interlaced.png rgb-trns.png palette-alpha.png
      grey2-interlaced.png grey16-trns.png grey-alpha.png palette1.png rgba-opaque.png"
jpgs="rgb.jpg progressive.jpg grey.jpg cmyk.jpg"
# shellcheck disable=SC2086 # lists of names
$px report all.xml $pngs $jpgs
timeout 60 "$bin" build all.xml -o all.pdf 2>all.err
rc=$?
[ $rc -eq 0 ] || fail "valid images: build exit $rc: $(cat all.err)"
[ -s all.err ] && fail "valid images: build printed: $(cat all.err)"
# shellcheck disable=SC2086
$px compare all.pdf . $pngs $jpgs || status=1
# grey and YCbCr JPEGs stay as they are; the CMYK one is RGB samples
pdfimages -list all.pdf | tail -n 4 | awk '{print $6, $9}' | tr '\n' ' ' > jpg.list
[ "$(cat jpg.list)" = "rgb jpeg rgb jpeg gray jpeg rgb image " ] ||
    fail "JPEGs embedded as: $(cat jpg.list)"

# --- PDF/A-1b ---------------------------------------------------------------
arch="rgba16-interlaced.png palette-alpha.png grey-alpha.png cmyk.jpg grey.jpg"
# shellcheck disable=SC2086
$px report arch.xml $arch
"$bin" build --archive=1b arch.xml -o arch.pdf 2>arch.err || fail "archive build: $(cat arch.err)"
grep -q "no transparency; image .*rgba16-interlaced.png is drawn on white" arch.err ||
    fail "no warning about the alpha applied: $(cat arch.err)"
# shellcheck disable=SC2086
$px flat arch.pdf . $arch || status=1
if preflight_ready; then
    preflight arch.pdf || fail "Preflight rejects arch.pdf: $(grep -v '^$' arch.pdf.preflight | head -5)"
else
    status=1
fi

# --- damaged images, in a build ---------------------------------------------
mkdir bad
cp "$repo"/tests/invalid/images/* bad/
echo previous > keep.pdf
for f in no-plte.png bad-filter.png width-2g.png few-rows.png garbage-deflate.png \
         soi-only.jpg zero-sof.jpg truncated.jpg garbage.jpg; do
    $px report "bad/$f.xml" "$f"
    timeout 20 "$bin" build "bad/$f.xml" -o keep.pdf 2>bad.err
    rc=$?
    [ $rc -eq 1 ] || fail "$f: build exit $rc, want 1: $(tail -n 2 bad.err)"
    grep -q "^bad/$f.xml:7:12: error: image '$f' is not a valid \(PNG\|JPEG\) file: " bad.err ||
        fail "$f: no diagnostic at its src: $(cat bad.err)"
done
[ "$(cat keep.pdf)" = previous ] || fail "a failed build changed the previous PDF"

# --- in a pack: one author's image does not kill the pack -------------------
cp -r "$repo/input/council-2025-01-29" pack
cp bad/few-rows.png pack/
sed -i '19a\    <image src="few-rows.png" alt="a chart"/>' pack/report.xml
timeout 60 "$bin" pack pack/meeting.xml -o pack/pack.pdf 2>pack.err
rc=$?
[ $rc -eq 1 ] || fail "pack with a damaged image: exit $rc, want 1: $(tail -n 2 pack.err)"
grep -q "pack/report.xml:20:12: error: image 'few-rows.png' is not a valid PNG file: Not enough image data" pack.err ||
    fail "pack: no diagnostic at the image: $(cat pack.err)"
[ -e pack/pack.pdf ] && fail "pack wrote a PDF"

# --- a style's logo ----------------------------------------------------------
$px report plain.xml
style() { # FILE LOGO: a style drawing LOGO (line 3, src at column 9)
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
        '<style xmlns="urn:quorum:style:1">' \
        "  <logo src=\"$2\" alt=\"logo\" width=\"30mm\"/>" '</style>' > "$1"
}
for f in no-plte.png bad-filter.png few-rows.png garbage-deflate.png truncated.jpg; do
    style "bad/style-$f.xml" "$f"
    timeout 20 "$bin" build plain.xml --style "bad/style-$f.xml" -o keep.pdf 2>logo.err
    rc=$?
    [ $rc -eq 1 ] || fail "logo $f: build exit $rc, want 1: $(tail -n 2 logo.err)"
    grep -q "^bad/style-$f.xml:3:9: error: image '$f' is not a valid \(PNG\|JPEG\) file: " logo.err ||
        fail "logo $f: no diagnostic at the logo: $(cat logo.err)"
done
cp -r "$repo/input/council-2025-01-29" pack2
timeout 60 "$bin" pack pack2/meeting.xml --style bad/style-no-plte.png.xml -o pack2/pack.pdf 2>pack2.err
rc=$?
[ $rc -eq 1 ] || fail "pack with a damaged logo: exit $rc, want 1: $(tail -n 2 pack2.err)"
grep -q "^bad/style-no-plte.png.xml:3:9: error: image 'no-plte.png' is not a valid PNG file: IDAT: Missing PLTE before IDAT" pack2.err ||
    fail "pack: no diagnostic at the logo: $(cat pack2.err)"
[ "$(cat keep.pdf)" = previous ] || fail "a failed build changed the previous PDF"
# a good logo is drawn (a soft mask: its alpha)
cp rgba16-interlaced.png logo.png
style logo.xml logo.png
"$bin" build plain.xml --style logo.xml -o logo.pdf 2>logo.err || fail "good logo: $(cat logo.err)"
[ "$(pdfimages -list logo.pdf | awk 'NR>2 {print $3}' | tr '\n' ' ')" = "image smask " ] ||
    fail "the logo is not drawn with its mask: $(pdfimages -list logo.pdf)"
# a FIFO as the logo is refused, not waited on
mkfifo fifo.png
style fifo.xml fifo.png
timeout 10 "$bin" build plain.xml --style fifo.xml -o keep.pdf 2>fifo.err
rc=$?
[ $rc -eq 1 ] || fail "a FIFO logo: exit $rc, want 1: $(cat fifo.err)"
grep -q "^fifo.xml:3:9: error: cannot read image file \"fifo.png\": " fifo.err ||
    fail "a FIFO logo: $(cat fifo.err)"

# --- decompression bomb -----------------------------------------------------
# 8,000 x 8,000 1-bit pixels, 8 KB of file: over the 50 million pixel
# limit, refused from the header without decoding (before: decoded to
# 192 MB of RGB and embedded)
$gen bomb bomb.png 8000 8000
$px report bomb.xml bomb.png
timeout 20 "$bin" check bomb.xml --diagnostics=json 2>bomb.err
rc=$?
[ $rc -eq 1 ] || fail "bomb: check exit $rc, want 1"
grep -q '"class": *"limit"' bomb.err || fail "bomb: not a limit: $(cat bomb.err)"
grep -q "image 'bomb.png' is 8000 x 8000 pixels, over the limit of 50 million pixels for an image" bomb.err ||
    fail "bomb: $(cat bomb.err)"
timeout 20 "$bin" build bomb.xml -o keep.pdf 2>/dev/null
rc=$?
[ $rc -eq 1 ] || fail "bomb: build exit $rc, want 1"
exit $status
