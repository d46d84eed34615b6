#!/bin/bash
# Archive copies (issue 6): PDF/A-1b that PDFBox Preflight accepts, the same
# bytes for the same input, XMP that agrees with the information dictionary,
# and PDF/A-3b with the sources and the house style (file and logo)
# attached, given back by `quorum extract` and building the same bytes.
# The display list comes from tests/tools/dlist_pdf; the last part runs the
# whole quorum command (build --archive, extract, rebuild).
# usage: pdf_archive.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
tool=${QUORUM_TEST_TOOLS:-$(dirname "$bin")/tests}/dlist_pdf
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
check="$py $here/pdf_archive.py"
mkdir -p "$work" && cd "$work" || exit 1
rm -rf got none jail src rsrc clash isrc iclash isub ./*.pdf ./*.preflight ./*.err ./*.txt ./*.png

preflight_ready || exit 1

input=$repo/input/council-2025-01-29
sources=("$input/report.xml" "$input/appendix-1.xml" "$input/appendix-2.xml")

# --- PDF/A-1b ---------------------------------------------------------------
"$tool" --archive --date 2025-03-05 "$repo/fonts" a1.pdf 3 2>a1.err || fail "writing a1.pdf: $(cat a1.err)"
[ -s a1.err ] && fail "writing a1.pdf printed: $(cat a1.err)"
preflight a1.pdf || fail "Preflight rejects a1.pdf: $(cat a1.pdf.preflight)"
qpdf --check a1.pdf >a1.qpdf 2>&1 || fail "qpdf --check a1.pdf: $(cat a1.qpdf)"
$check meta a1.pdf 1 || status=1
pdfinfo a1.pdf >a1.info 2>&1
grep -q '^PDF version: *1.4' a1.info || fail "a1.pdf is not PDF 1.4: $(grep version a1.info)"
pdftotext a1.pdf a1.txt 2>a1.text.err || fail "pdftotext a1.pdf"
[ -s a1.text.err ] && fail "pdftotext stderr: $(cat a1.text.err)"
"$tool" --text 3 >want.txt
cmp -s a1.txt want.txt || fail "a1.pdf's text differs from the input"
pdffonts a1.pdf | tail -n +3 | awk '$(NF-4) != "yes" {bad=1} END {exit bad}' || fail "a font is not embedded"

# Same input, same bytes, whatever the clock and time zone say.
sleep 1
TZ=Pacific/Kiritimati "$tool" --archive --date 2025-03-05 "$repo/fonts" a1again.pdf 3 2>/dev/null || fail "second write"
cmp -s a1.pdf a1again.pdf || fail "two runs wrote different archive files"
# Another date: another file and another ID.
"$tool" --archive --date 2025-03-06 "$repo/fonts" a1other.pdf 3 2>/dev/null || fail "write a1other.pdf"
cmp -s a1.pdf a1other.pdf && fail "a different date wrote the same file"
[ "$(grep -a '^/ID' a1.pdf)" = "$(grep -a '^/ID' a1other.pdf)" ] && fail "a different content kept the same /ID"

# No date given: no date anywhere, still valid.
"$tool" --archive "$repo/fonts" nodate.pdf 2 2>/dev/null || fail "write nodate.pdf"
preflight nodate.pdf || fail "Preflight rejects nodate.pdf: $(cat nodate.pdf.preflight)"
grep -aq 'CreationDate\|ModDate\|CreateDate\|ModifyDate' nodate.pdf && fail "nodate.pdf has a date"
$check meta nodate.pdf 1 || status=1

# Markup in the metadata is escaped, and Preflight still matches XMP to info.
"$tool" --archive --date 2024-02-29 --title "Fees & <charges> \"draft\" – it's" "$repo/fonts" esc.pdf 1 2>/dev/null || fail "write esc.pdf"
preflight esc.pdf || fail "Preflight rejects esc.pdf: $(cat esc.pdf.preflight)"
$check meta esc.pdf 1 || status=1
pdfinfo esc.pdf | grep -qx "Title: *Fees & <charges> \"draft\" – it's" || fail "esc.pdf title: $(pdfinfo esc.pdf | grep Title)"

# Images: PDF/A-1 allows no transparency, so an RGBA PNG loses its alpha
# (with a warning); PDF/A-3 keeps it; an RGB PNG needs nothing.
$check png rgba.png 1 && $check png rgb.png 0 || fail "could not make PNGs"
"$tool" --archive --image rgba.png "$repo/fonts" img1.pdf 1 2>img1.err || fail "write img1.pdf: $(cat img1.err)"
grep -q "no transparency.*rgba.png" img1.err || fail "no warning about the dropped alpha: $(cat img1.err)"
preflight img1.pdf || fail "Preflight rejects img1.pdf: $(cat img1.pdf.preflight)"
$check smask img1.pdf 0 || status=1
"$tool" --archive --image rgb.png "$repo/fonts" img2.pdf 1 2>img2.err || fail "write img2.pdf"
[ -s img2.err ] && fail "an RGB image warned: $(cat img2.err)"
preflight img2.pdf || fail "Preflight rejects img2.pdf: $(cat img2.pdf.preflight)"
"$tool" --archive=3b --image rgba.png "$repo/fonts" img3.pdf 1 2>img3.err || fail "write img3.pdf"
[ -s img3.err ] && fail "PDF/A-3b warned about an image: $(cat img3.err)"
$check smask img3.pdf 1 || status=1
"$tool" --image rgba.png "$repo/fonts" img0.pdf 1 2>/dev/null || fail "write img0.pdf"
$check smask img0.pdf 1 || status=1

# The check can fail: the plain PDF is not PDF/A.
"$tool" "$repo/fonts" plain.pdf 1 2>/dev/null || fail "write plain.pdf"
preflight plain.pdf && fail "Preflight accepts the plain PDF (is the check working?)"
grep -q "Trailer Syntax error\|1.4.1" plain.pdf.preflight || fail "Preflight gave no reason for plain.pdf: $(head -3 plain.pdf.preflight)"

# --- PDF/A-3b ---------------------------------------------------------------
args=()
for f in "${sources[@]}"; do args+=(--attach "$f"); done
"$tool" --archive=3b --date 2025-01-29 "${args[@]}" "$repo/fonts" a3.pdf 2 2>a3.err || fail "writing a3.pdf: $(cat a3.err)"
[ -s a3.err ] && fail "writing a3.pdf printed: $(cat a3.err)"
qpdf --check a3.pdf >a3.qpdf 2>&1 || fail "qpdf --check a3.pdf: $(cat a3.qpdf)"
$check meta a3.pdf 3 || status=1
$check attach a3.pdf "${sources[@]}" || status=1
grep -aq "$repo" a3.pdf && fail "a3.pdf contains the input's directory"
# Preflight knows PDF/A-1 only: on the PDF/A-3b file it must find nothing
# but what PDF/A-3 allows (embedded files, part 3, no CIDSet: optional
# from PDF/A-2 on, and left out since a wrong one is an error there; a
# cross-reference stream, PDF 1.5).
preflight a3.pdf && fail "Preflight calls a PDF/A-3b file PDF/A-1b"
grep -E '^[0-9.]+ : ' a3.pdf.preflight |
    grep -Ev '^1\.2\.9 : .*EmbeddedFile|^1\.4\.7 : .*EmbeddedFile|^7\.11\.2 : .*part must be 1|^3\.1\.11 : .*CIDSet entry is missing|^1\.4 : .*cross reference streams are not allowed' >a3.unexpected
[ -s a3.unexpected ] && fail "Preflight on a3.pdf: $(cat a3.unexpected)"
grep -q '7.11.2' a3.pdf.preflight || fail "Preflight did not read a3.pdf's XMP: $(head -5 a3.pdf.preflight)"
[ "$(pdfdetach -list a3.pdf | head -1)" = "3 embedded files" ] || fail "pdfdetach: $(pdfdetach -list a3.pdf)"
"$tool" --archive=3b --date 2025-01-29 "${args[@]}" "$repo/fonts" a3again.pdf 2 2>/dev/null
cmp -s a3.pdf a3again.pdf || fail "two PDF/A-3b runs wrote different files"

# quorum extract gives the sources back, byte for byte.
"$bin" extract a3.pdf got >extract.out 2>extract.err || fail "extract exited $?: $(cat extract.err)"
for f in "${sources[@]}"; do
    cmp -s "$f" "got/$(basename "$f")" || fail "extracted $(basename "$f") differs"
done
[ "$(ls got | wc -l)" = 3 ] || fail "extract wrote: $(ls got)"
# ... fails cleanly on a file without sources ...
"$bin" extract a1.pdf none >/dev/null 2>none.err
rc=$?
[ $rc -eq 1 ] || fail "extract from a PDF/A-1b exited $rc, want 1"
grep -q "no attached source files" none.err || fail "extract said: $(cat none.err)"
[ -e none ] && fail "extract created a directory for nothing"
"$bin" extract missing.pdf none >/dev/null 2>&1
[ $? -eq 3 ] || fail "extract from a missing file did not exit 3"
# ... and refuses names that leave the directory.
mkdir -p jail
for name in ../escaped.xml /tmp/quorum-escaped.xml ..; do
    $check rename a3.pdf evil.pdf "$name" || fail "could not make evil.pdf"
    "$bin" extract evil.pdf jail/out >/dev/null 2>evil.err
    rc=$?
    [ $rc -eq 1 ] || fail "extract with attachment '$name' exited $rc, want 1"
    grep -q "not a plain file name" evil.err || fail "extract '$name' said: $(cat evil.err)"
    [ -e jail/escaped.xml ] || [ -e /tmp/quorum-escaped.xml ] && fail "extract wrote outside its directory"
    [ -e jail/out ] && fail "extract wrote something for '$name'"
done
rm -f /tmp/quorum-escaped.xml

# --- the quorum command -------------------------------------------------------
"$bin" build "$input/report.xml" --archive=3b -o cli3.pdf >cli.out 2>cli.err
rc=$?
[ $rc -eq 0 ] || fail "quorum build --archive=3b exited $rc: $(cat cli.err)"
$check meta cli3.pdf 3 || status=1
# the built-in style follows the sources as committee.xml, the
# compiled-in copy of styles/committee.xml
$check attach cli3.pdf "${sources[@]}" "$repo/styles/committee.xml" || status=1
"$bin" extract cli3.pdf src >/dev/null 2>src.err || fail "extract cli3.pdf: $(cat src.err)"
"$bin" build src/report.xml --archive=3b -o cli3again.pdf >/dev/null 2>cli2.err || fail "rebuild: $(cat cli2.err)"
cmp -s cli3.pdf cli3again.pdf || fail "the rebuild from the extracted sources differs"
"$bin" build src/report.xml --archive=3b --style src/committee.xml -o cli3style.pdf >/dev/null 2>cli2.err ||
    fail "rebuild with --style src/committee.xml: $(cat cli2.err)"
cmp -s cli3.pdf cli3style.pdf || fail "the rebuild with the extracted committee.xml differs"

# A style file with a logo: both follow the sources; the extracted
# files, with --style DIR/riverside.xml, build the same bytes again,
# and the logo is among what that needs.
QUORUM_STYLE_DIR=$repo/styles "$bin" build "$input/report.xml" --archive=3b --style riverside \
    -o riv3.pdf >/dev/null 2>riv.err || fail "build --style riverside --archive=3b: $(cat riv.err)"
[ -s riv.err ] && fail "build --style riverside --archive=3b printed: $(cat riv.err)"
$check meta riv3.pdf 3 || status=1
$check attach riv3.pdf "${sources[@]}" "$repo/styles/riverside.xml" "$repo/styles/riverside-logo.png" || status=1
"$bin" extract riv3.pdf rsrc >/dev/null 2>rsrc.err || fail "extract riv3.pdf: $(cat rsrc.err)"
[ "$(ls rsrc | tr '\n' ' ')" = "appendix-1.xml appendix-2.xml report.xml riverside-logo.png riverside.xml " ] ||
    fail "extract riv3.pdf wrote: $(ls rsrc | tr '\n' ' ')"
"$bin" build rsrc/report.xml --archive=3b --style rsrc/riverside.xml -o riv3again.pdf >/dev/null 2>riv2.err ||
    fail "rebuild with the extracted style: $(cat riv2.err)"
cmp -s riv3.pdf riv3again.pdf || fail "the rebuild from the extracted sources and style differs"
cmp -s riv3.pdf cli3.pdf && fail "the riverside and committee archive copies are the same"
rm rsrc/riverside-logo.png
"$bin" build rsrc/report.xml --archive=3b --style rsrc/riverside.xml -o riv3nologo.pdf >/dev/null 2>riv3.err
rc=$?
[ $rc -eq 1 ] && grep -q "riverside-logo.png" riv3.err || fail "rebuild without the logo exited $rc: $(cat riv3.err)"

# A source named like the style file cannot be attached beside it
# (extract writes one directory): refused, exit 2, nothing written.
mkdir clash && cp "${sources[@]}" clash/ && mv clash/report.xml clash/riverside.xml
"$bin" build clash/riverside.xml --archive=3b --style "$repo/styles/riverside.xml" -o clash.pdf >/dev/null 2>clash.err
rc=$?
[ $rc -eq 2 ] || fail "a source named like the style: exit $rc, want 2: $(cat clash.err)"
grep -q "two attachments are named riverside.xml (the source clash/riverside.xml and the style file" clash.err ||
    fail "a source named like the style: $(cat clash.err)"
[ -e clash.pdf ] && fail "a PDF was written despite the name clash"

# Images: the fixture's report and appendix draw a PNG (twice, once as
# ./chart.png) and a JPEG.  Each file is attached once, after the XML
# files, with its MIME type; extract gives them back and the rebuild
# from them draws them again: the same bytes.
fix=$repo/tests/fixtures/archive-image
"$bin" build "$fix/report.xml" --archive=3b -o img3b.pdf >/dev/null 2>imgb.err ||
    fail "build the image fixture --archive=3b: $(cat imgb.err)"
[ -s imgb.err ] && fail "build the image fixture --archive=3b printed: $(cat imgb.err)"
$check attach img3b.pdf "$fix/report.xml" "$fix/figures.xml" "$fix/chart.png" "$fix/photo.jpg" \
    "$repo/styles/committee.xml" || status=1
"$bin" extract img3b.pdf isrc >/dev/null 2>isrc.err || fail "extract img3b.pdf: $(cat isrc.err)"
[ "$(ls isrc | tr '\n' ' ')" = "chart.png committee.xml figures.xml photo.jpg report.xml " ] ||
    fail "extract img3b.pdf wrote: $(ls isrc | tr '\n' ' ')"
"$bin" build isrc/report.xml --archive=3b -o img3again.pdf >/dev/null 2>img2.err ||
    fail "rebuild the image fixture: $(cat img2.err)"
cmp -s img3b.pdf img3again.pdf || fail "the rebuild from the extracted files and images differs"
[ "$(pdfimages -list img3again.pdf | tail -n +3 | wc -l)" = 3 ] ||
    fail "the rebuild draws $(pdfimages -list img3again.pdf | tail -n +3 | wc -l) images, want 3"

# An image named like the style's logo cannot be attached beside it:
# refused, exit 2, both paths named, nothing written.
mkdir iclash && cp "$fix"/* iclash/ && mv iclash/chart.png iclash/riverside-logo.png
sed -i 's|chart\.png|riverside-logo.png|' iclash/report.xml iclash/figures.xml
"$bin" build iclash/report.xml --archive=3b --style "$repo/styles/riverside.xml" -o iclash.pdf >/dev/null 2>iclash.err
rc=$?
[ $rc -eq 2 ] || fail "an image named like the style logo: exit $rc, want 2: $(cat iclash.err)"
grep -q "two attachments are named riverside-logo.png (the image iclash/riverside-logo.png and the style logo" iclash.err ||
    fail "an image named like the style logo: $(cat iclash.err)"
[ -e iclash.pdf ] && fail "a PDF was written despite the image name clash"

# An image that is not beside the report (img/chart.png, ../chart.png)
# would be extracted where the rebuild does not look: --archive=3b
# refuses it at its src (exit 1, nothing written); other builds draw it.
mkdir -p isub/r/img && cp "$fix"/* isub/r/ && mv isub/r/chart.png isub/r/img/
sed -i 's|src="chart\.png"|src="img/chart.png"|' isub/r/report.xml
sed -i 's|src="\./chart\.png"|src="../r/img/chart.png"|' isub/r/figures.xml
"$bin" build isub/r/report.xml --archive=3b -o isub.pdf >/dev/null 2>isub.err
rc=$?
[ $rc -eq 1 ] || fail "an image in a subdirectory: exit $rc, want 1: $(cat isub.err)"
grep -q '^isub/r/report.xml:17:12: error: image src "img/chart.png" is not a file beside the report' isub.err ||
    fail "an image in a subdirectory: $(cat isub.err)"
grep -q '^isub/r/figures.xml:9:12: error: image src "../r/img/chart.png" is not a file beside the report' isub.err ||
    fail "an image outside the report's directory: $(cat isub.err)"
[ -e isub.pdf ] && fail "a PDF/A-3b copy was written with an image it cannot give back"
"$bin" build isub/r/report.xml --archive -o isub1.pdf >/dev/null 2>isub1.err ||
    fail "--archive (2a) with an image in a subdirectory: $(cat isub1.err)"
"$bin" build isub/r/report.xml -o isub0.pdf >/dev/null 2>isub0.err ||
    fail "a plain build with an image in a subdirectory: $(cat isub0.err)"

"$bin" build "$input/report.xml" --archive=1b -o cli1.pdf >/dev/null 2>cli1.err || fail "quorum build --archive=1b: $(cat cli1.err)"
preflight cli1.pdf || fail "Preflight rejects quorum build --archive=1b: $(cat cli1.pdf.preflight)"
$check meta cli1.pdf 1 || status=1
# --archive alone is PDF/A-2a (and --archive=2a); --archive=3a and its old
# name 3b write the same PDF/A-3a; each single-report copy is dated with
# the meeting (29 January 2025), or with SOURCE_DATE_EPOCH's day
"$bin" build "$input/report.xml" --archive -o cli2.pdf >/dev/null 2>cli2.err || fail "quorum build --archive: $(cat cli2.err)"
$check meta cli2.pdf 2 || status=1
"$bin" build "$input/report.xml" --archive=2a -o cli2a.pdf >/dev/null 2>&1 || fail "quorum build --archive=2a"
cmp -s cli2.pdf cli2a.pdf || fail "--archive and --archive=2a differ"
"$bin" build "$input/report.xml" --archive=3a -o cli3a.pdf >/dev/null 2>&1 || fail "quorum build --archive=3a"
cmp -s cli3.pdf cli3a.pdf || fail "--archive=3a and --archive=3b differ"
for f in cli1 cli2 cli3; do
    pdfinfo "$f.pdf" | grep -q "^CreationDate: *Wed Jan 29 00:00:00 2025" || fail "$f.pdf is not dated with the meeting: $(pdfinfo "$f.pdf" | grep Date)"
done
SOURCE_DATE_EPOCH=1700000000 "$bin" build "$input/report.xml" --archive -o sde2.pdf >/dev/null 2>&1 || fail "build with SOURCE_DATE_EPOCH"
pdfinfo sde2.pdf | grep -q "^ModDate: *Tue Nov 14 00:00:00 2023" || fail "SOURCE_DATE_EPOCH not used: $(pdfinfo sde2.pdf | grep Date)"
$check meta sde2.pdf 2 || status=1
# untagged, the copy cannot be level A and does not say it is
QUORUM_UNTAGGED=1 "$bin" build "$input/report.xml" --archive -o untagged2.pdf >/dev/null 2>&1 || fail "untagged --archive"
$check meta untagged2.pdf 2 || status=1
pdfinfo -meta untagged2.pdf | grep -q "<pdfaid:conformance>B<" || fail "an untagged copy does not declare level B"
# --help names the levels, the default and the old spelling
"$bin" build --help >help.txt 2>&1
for says in 'archive\[=2a|3a|1b\]' 'PDF/A-2a (the default' '3b is the old name of 3a' 'PDF/A-1b'; do
    grep -- "$says" help.txt >/dev/null || fail "build --help does not say $says"
done
"$bin" build "$input/report.xml" --archive=2b -o x.pdf >/dev/null 2>&1
[ $? -eq 2 ] || fail "--archive=2b is not a usage error"

[ $status -eq 0 ] && echo "pdf_archive: ok"
exit $status
