#!/bin/bash
# -o never replaces an input or something that is not a regular file
# (issue 12): `build -o report.xml`, `-o appendix-1.xml`, an image, the
# style file, a link to an input; `pack -o meeting.xml`, a report of the
# pack, the published PDF --since reads, `-o X.manifest` (the manifest
# would go over the PDF); `dump -o report.xml`; a FIFO or a device node at
# -o (as root `-o /dev/null` would have replaced /dev/null: here a node
# made in the work folder) and a directory.  Each is a usage error (exit
# 2) naming the file, and what stood there is as it was.  -o - still
# writes to standard output.
# usage: output_inputs.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
cp -r "$repo/input/council-2025-01-29" in
mkdir img && cp "$repo/tests/fixtures/archive-image/"* img/
cp "$repo/styles/riverside.xml" "$repo/styles/riverside-logo.png" .
cp -r in pristine && cp -r img pristine-img && cp riverside.xml pristine-style.xml

# refused NAME WANT-IN-MESSAGE -- ARGS: exit 2, the message, within 60 s
refused() {
    local name=$1 msg=$2
    shift 3
    timeout 60 "$bin" "$@" >"$name.out" 2>"$name.err"
    local rc=$?
    [ $rc -eq 2 ] || fail "$name: quorum $* exited $rc, want 2: $(head -c 300 "$name.err")"
    grep -qF -- "$msg" "$name.err" || fail "$name: $(head -c 400 "$name.err")"
}
unchanged() { # the inputs are byte for byte as they were
    diff -r pristine in >/dev/null || fail "$1: an input of the report or pack was changed"
    diff -r pristine-img img >/dev/null || fail "$1: an image was changed"
    cmp -s pristine-style.xml riverside.xml || fail "$1: the style file was changed"
}

# ---- build: every file the report was read from -----------------------
refused build-report "cannot write the PDF to in/report.xml: it is an input of this run" -- \
    build in/report.xml -o in/report.xml
refused build-appendix "cannot write the PDF to in/appendix-1.xml: it is an input" -- \
    build in/report.xml -o in/appendix-1.xml
refused build-image "cannot write the PDF to img/chart.png: it is an input" -- \
    build img/report.xml -o img/chart.png
refused build-style "cannot write the PDF to riverside.xml: it is the same file as" -- \
    build in/report.xml --style "$work/riverside.xml" -o riverside.xml
refused build-logo "cannot write the PDF to riverside-logo.png: it is the same file as" -- \
    build in/report.xml --style "$work/riverside.xml" -o riverside-logo.png
ln -s in/appendix-2.xml link.pdf
refused build-link "cannot write the PDF to link.pdf: it is the same file as in/appendix-2.xml" -- \
    build in/report.xml -o link.pdf
ln in/report.xml hard.pdf
refused build-hardlink "cannot write the PDF to hard.pdf: it is the same file as in/report.xml" -- \
    build in/report.xml -o hard.pdf
refused build-dotted "it is the same file as" -- build in/report.xml -o ./in/../in/appendix-1.xml
refused dump-report "cannot write the text dump to in/report.xml: it is an input" -- \
    dump in/report.xml -o in/report.xml
refused build-json '"class": "usage"' -- build --diagnostics=json in/report.xml -o in/report.xml
unchanged build
rm -f hard.pdf

# ---- pack: the meeting, its reports, the published pack ---------------
refused pack-meeting "cannot write the PDF to in/meeting.xml: it is an input" -- \
    pack in/meeting.xml -o in/meeting.xml
refused pack-report "cannot write the PDF to in/report.xml: it is an input" -- \
    pack in/meeting.xml -o in/report.xml
refused pack-appendix "cannot write the PDF to in/appendix-1.xml: it is an input" -- \
    pack in/meeting.xml -o in/appendix-1.xml
refused pack-manifest "its manifest goes beside it with the extension .manifest, so it would be written over the PDF" -- \
    pack in/meeting.xml -o pub.manifest
[ -e pub.manifest ] && fail "pack -o pub.manifest wrote something"
printf '2025-12-25\n' >hol.txt
refused pack-holidays "cannot write the PDF to hol.txt: it is an input" -- \
    pack in/meeting.xml --holidays hol.txt -o hol.txt
grep -qx 2025-12-25 hol.txt || fail "the holiday list was changed"
"$bin" pack in/meeting.xml -o pub.pdf 2>pub.err || fail "publishing: $(cat pub.err)"
cp pub.pdf pub.keep && cp pub.manifest man.keep
sed -i '0,/This report provides Members/s//This corrected report provides Members/' in/report.xml
cp in/report.xml pristine/report.xml
refused pack-since-pdf "cannot write the PDF to pub.pdf: it is an input" -- \
    pack in/meeting.xml --since pub.manifest -o pub.pdf
refused pack-since-manifest "cannot write the manifest to pub.manifest: it is an input" -- \
    pack in/meeting.xml --since pub.manifest -o pub
cmp -s pub.pdf pub.keep && cmp -s pub.manifest man.keep || fail "the published pack was changed"
unchanged pack

# ---- what is not a regular file ----------------------------------------
mkfifo fifo.pdf
refused build-fifo "cannot write the PDF to fifo.pdf: it is a pipe or a device, not a regular file" -- \
    build in/report.xml -o fifo.pdf
refused pack-fifo "it is a pipe or a device" -- pack in/meeting.xml -o fifo.pdf
refused dump-fifo "it is a pipe or a device" -- dump in/report.xml -o fifo.pdf
[ -p fifo.pdf ] || fail "the FIFO at -o was replaced"
mkfifo fifo.manifest
refused pack-fifo-manifest "cannot write the manifest to fifo.manifest: it is a pipe or a device" -- \
    pack in/meeting.xml -o fifo
[ -p fifo.manifest ] || fail "the FIFO at the manifest was replaced"
[ -e fifo ] && fail "a PDF was written beside a FIFO manifest"
ln -s fifo.pdf fifo-link.pdf
refused build-fifo-link "it is a pipe or a device" -- build in/report.xml -o fifo-link.pdf
[ -L fifo-link.pdf ] || fail "the link to a FIFO was replaced"
# a device like /dev/null (never the real one: a node made here)
if mknod null-device c 1 3 2>/dev/null; then
    refused build-device "cannot write the PDF to null-device: it is a pipe or a device" -- \
        build in/report.xml -o null-device
    refused pack-device "it is a pipe or a device" -- pack in/meeting.xml -o null-device
    [ -c null-device ] || fail "the device node at -o was replaced by a regular file"
    rm -f null-device
else
    echo "note: mknod needs root; the device case was not run"
fi
mkdir adir
refused build-dir "cannot write the PDF to adir: it is a directory" -- build in/report.xml -o adir
[ -d adir ] || fail "the directory at -o is gone"
ls -A | grep -q '\.[a-z0-9]\{6\}$' && fail "temporary files left: $(ls -A | grep '\.[a-z0-9]\{6\}$')"

# ---- what still works ----------------------------------------------------
"$bin" build in/report.xml -o - >stdout.pdf 2>stdout.err || fail "-o -: $(cat stdout.err)"
head -c 5 stdout.pdf | grep -q '%PDF-' || fail "-o - wrote no PDF"
"$bin" build in/report.xml -o in/report.pdf 2>beside.err || fail "-o beside the input: $(cat beside.err)"
"$bin" build in/report.xml -o in/report.pdf 2>again.err || fail "replacing an earlier output: $(cat again.err)"
"$bin" build in/report.xml 2>default.err || fail "the default output: $(cat default.err)"

[ $status -eq 0 ] && echo "output_inputs: ok"
exit $status
