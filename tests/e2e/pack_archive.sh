#!/bin/bash
# quorum pack --archive (issue 6): a PDF/A-1b pack that PDFBox Preflight
# accepts, the same bytes from two builds, and --archive=3b with the meeting
# file, each public report and its appendix files attached (an exempt
# item's report never), then the house style (committee.xml for the
# built-in one; a style file and its logo), which `quorum extract` gives
# back and which build the same pack again.
# usage: pack_archive.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"

preflight_ready || exit 1

# The sample meeting, its exempt item given a report that must stay out.
mkdir src
cp "$repo"/input/council-2025-01-29/*.xml src/
sed -i 's|exempt-paragraph="3">|exempt-paragraph="3" report="secret.xml">|' src/meeting.xml
grep -q 'report="secret.xml"' src/meeting.xml || { fail "sed did not add the exempt report"; exit 1; }
echo "<secret>never attached</secret>" >src/secret.xml
unset SOURCE_DATE_EPOCH

# --- PDF/A-1b ---------------------------------------------------------------
"$bin" pack src/meeting.xml --archive=1b -o a1.pdf 2>a1.err || fail "pack --archive=1b: $(cat a1.err)"
"$bin" pack src/meeting.xml --archive=1b -o a2.pdf 2>a2.err || fail "second pack --archive=1b: $(cat a2.err)"
[ -s a1.pdf ] || { fail "no a1.pdf"; exit 1; }
cmp -s a1.pdf a2.pdf || fail "two --archive packs differ"
preflight a1.pdf || fail "Preflight rejects the pack: $(tail -20 a1.pdf.preflight)"
qpdf --check a1.pdf >a1.qpdf 2>&1 || fail "qpdf --check: $(tail -3 a1.qpdf)"
pdfinfo -meta a1.pdf | grep -q "<pdfaid:part>1</pdfaid:part>" || fail "no pdfaid:part 1 in the XMP"
"$bin" pack src/meeting.xml -o plain.pdf 2>/dev/null || fail "plain pack failed"
pdfinfo -meta plain.pdf | grep -q "pdfaid" && fail "a pack without --archive claims PDF/A"
# the same pages as the plain pack
[ "$(pdfinfo a1.pdf | awk '/^Pages:/{print $2}')" = "$(pdfinfo plain.pdf | awk '/^Pages:/{print $2}')" ] ||
    fail "the archive pack has another page count than the plain one"

# --- PDF/A-3b with the sources -------------------------------------------------
"$bin" pack src/meeting.xml --archive=3b -o b1.pdf 2>b1.err || fail "pack --archive=3b: $(cat b1.err)"
"$bin" pack src/meeting.xml --archive=3b -o b2.pdf 2>/dev/null
cmp -s b1.pdf b2.pdf || fail "two --archive=3b packs differ"
pdfinfo -meta b1.pdf | grep -q "<pdfaid:part>3</pdfaid:part>" || fail "no pdfaid:part 3 in the XMP"
# expected: the meeting file, the open items' reports, their appendices,
# and the built-in style as committee.xml
cp "$repo/styles/committee.xml" src/
{
    echo meeting.xml
    for r in $(grep -v 'exempt-paragraph' src/meeting.xml | grep -o 'report="[^"]*"' | cut -d'"' -f2); do
        echo "$r"
        grep -o 'href="[^"]*\.xml"' "src/$r" | cut -d'"' -f2
    done
    echo committee.xml
} | sort -u >want.txt
pdfdetach -list b1.pdf | sed -n 's/^[0-9]*: //p' | sort >got.txt
[ "$(wc -l <want.txt)" -ge 3 ] || fail "expected list too short: $(cat want.txt)"
cmp -s want.txt got.txt || fail "attachments $(tr '\n' ' ' <got.txt), want $(tr '\n' ' ' <want.txt)"
grep -qx secret.xml got.txt && fail "the exempt item's report is attached"
"$bin" extract b1.pdf ex 2>ex.err || fail "extract: $(cat ex.err)"
for f in $(cat want.txt); do
    cmp -s "src/$f" "ex/$f" || fail "extracted $f differs from the source"
done
"$bin" pack ex/meeting.xml --archive=3b -o b3.pdf 2>/dev/null || fail "pack of the extracted files failed"
cmp -s b1.pdf b3.pdf || fail "the pack of the extracted files is not the same PDF"
/usr/bin/python3 "$repo/tests/e2e/pdf_archive.py" attach-tail b1.pdf "$repo/styles/committee.xml" || status=1

# --- PDF/A-3b of a styled pack: the style file and its logo come last -------
"$bin" pack src/meeting.xml --archive=3b --style "$repo/styles/riverside.xml" -o r1.pdf 2>r1.err ||
    fail "pack --style riverside --archive=3b: $(cat r1.err)"
{ grep -vx committee.xml want.txt; echo riverside.xml; echo riverside-logo.png; } | sort >rwant.txt
pdfdetach -list r1.pdf | sed -n 's/^[0-9]*: //p' | sort >rgot.txt
cmp -s rwant.txt rgot.txt || fail "styled pack attachments $(tr '\n' ' ' <rgot.txt), want $(tr '\n' ' ' <rwant.txt)"
/usr/bin/python3 "$repo/tests/e2e/pdf_archive.py" attach-tail r1.pdf \
    "$repo/styles/riverside.xml" "$repo/styles/riverside-logo.png" || status=1
"$bin" extract r1.pdf rex 2>rex.err || fail "extract the styled pack: $(cat rex.err)"
"$bin" pack rex/meeting.xml --archive=3b --style rex/riverside.xml -o r3.pdf 2>r3.err ||
    fail "styled pack of the extracted files: $(cat r3.err)"
cmp -s r1.pdf r3.pdf || fail "the styled pack of the extracted files is not the same PDF"
cmp -s r1.pdf b1.pdf && fail "the styled pack is the same PDF as the plain one"

# --- PDF/A-3b of a pack whose reports draw images ---------------------------
# The image fixture as a second report (a PNG; its appendix the PNG again
# and a JPEG) and the sample report drawing the same PNG: each file is
# attached once, where it is first drawn, and the extracted files build the
# same pack.  An image not beside its report is refused at its src.
fix=$repo/tests/fixtures/archive-image
mkdir img
cp src/*.xml img/ && rm img/committee.xml
cp "$fix/figures.xml" "$fix/chart.png" "$fix/photo.jpg" img/ && cp "$fix/report.xml" img/notes.xml
sed -i 's|date="2025-03-12">Wednesday, 12 March 2025|date="2025-01-29">Wednesday, 29 January 2025|' img/notes.xml
sed -i 's|<item id="announcements" title="Announcements on behalf of the Mayor"/>|<item id="announcements" title="Announcements on behalf of the Mayor" report="notes.xml"/>|' img/meeting.xml
sed -i "s|<heading>Commissioner's Comments</heading>|&<image src=\"chart.png\" alt=\"Bar chart of the quarter's ratings\"/>|" img/report.xml
grep -q 'report="notes.xml"' img/meeting.xml && grep -q 'src="chart.png"' img/report.xml || fail "sed did not add the images"
"$bin" pack img/meeting.xml --archive=3b -o i1.pdf 2>i1.err || fail "pack with images --archive=3b: $(cat i1.err)"
[ -s i1.err ] && fail "pack with images --archive=3b printed: $(cat i1.err)"
/usr/bin/python3 "$repo/tests/e2e/pdf_archive.py" attach i1.pdf img/meeting.xml img/notes.xml \
    img/figures.xml img/chart.png img/photo.jpg img/report.xml img/appendix-1.xml img/appendix-2.xml \
    "$repo/styles/committee.xml" || status=1
"$bin" extract i1.pdf iex 2>iex.err || fail "extract the pack with images: $(cat iex.err)"
"$bin" pack iex/meeting.xml --archive=3b -o i3.pdf 2>i3.err || fail "pack of the extracted files with images: $(cat i3.err)"
cmp -s i1.pdf i3.pdf || fail "the pack of the extracted files with images is not the same PDF"
mkdir img/sub && mv img/photo.jpg img/sub/
sed -i 's|src="photo.jpg"|src="sub/photo.jpg"|' img/figures.xml
"$bin" pack img/meeting.xml --archive=3b -o i4.pdf 2>i4.err
rc=$?
[ $rc -eq 1 ] || fail "pack with an image in a subdirectory: exit $rc, want 1: $(cat i4.err)"
grep -q '^img/figures.xml:11:12: error: image src "sub/photo.jpg" is not a file beside the report' i4.err ||
    fail "pack with an image in a subdirectory: $(cat i4.err)"
[ -e i4.pdf ] || [ -e i4.manifest ] && fail "pack wrote an archive copy with an image it cannot give back"
"$bin" pack img/meeting.xml -o i5.pdf 2>i5.err || fail "plain pack with an image in a subdirectory: $(cat i5.err)"

# --- a supplement attaches only what it lays out ---------------------------
"$bin" pack src/meeting.xml --since src/../a1.manifest --archive=3b -o s.pdf 2>s.err
[ -f a1.manifest ] || fail "no manifest beside a1.pdf"
# nothing changed since a1: no supplement, and no PDF
[ -e s.pdf ] && fail "a supplement with nothing in it was written"

# --archive is for build and pack only
"$bin" check src/meeting.xml --archive >/dev/null 2>&1
[ $? -eq 2 ] || fail "check --archive is not a usage error"
exit $status
