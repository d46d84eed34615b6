#!/bin/bash
# libqpdf is loaded from LIBDIR/quorum/quorum-pdfin.so the first time a PDF
# is read (src/pdfin/pdfin.h): a run that reads none never maps it, and a
# program whose module is missing or from another build says so at the
# item and exits 1, never crashes.  Also: a build that reads no PDF and no
# Word document maps neither libqpdf nor libzip (the start-up saving).
# usage: module_missing.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
sample=$repo/input/council-2025-01-29
build=$(dirname "$bin")

# a plain build maps neither library (LD_DEBUG lists every object mapped)
LD_DEBUG=files "$bin" build "$sample/report.xml" -o plain.pdf 2>ld.txt >/dev/null ||
    fail "build exited $?"
grep -E "file=[^ ]*(libqpdf|libzip|quorum-pdfin)" ld.txt >/dev/null &&
    fail "a plain build loaded: $(grep -oE 'file=[^ ]*(libqpdf|libzip|quorum-pdfin)[^ ]*' ld.txt | sort -u | tr '\n' ' ')"
# ... and one that reads a PDF maps the module, found beside the program
"$bin" build --archive=3a "$sample/report.xml" -o a3.pdf 2>build.err || fail "archive build: $(cat build.err)"
LD_DEBUG=files "$bin" extract a3.pdf out 2>ld2.txt >/dev/null || fail "extract exited $?"
grep -E "file=[^ ]*quorum-pdfin\.so" ld2.txt >/dev/null || fail "extract did not load quorum-pdfin.so"
[ -s out/report.xml ] || fail "extract wrote no report.xml"

# the program alone, without lib/quorum beside it
mkdir -p alone/bin
cp "$bin" alone/bin/quorum
alone/bin/quorum extract a3.pdf out2 >alone.out 2>alone.err
rc=$?
[ $rc = 1 ] || fail "extract without the module exited $rc, not 1: $(cat alone.err)"
grep "PDF reading is not installed (quorum-pdfin.so is missing" alone.err >/dev/null ||
    fail "extract without the module: $(cat alone.err)"
alone/bin/quorum --version >v.txt 2>&1 || fail "--version without the module exited $?"
grep "libqpdf: PDF reading is not installed" v.txt >/dev/null || fail "--version: $(cat v.txt)"
# a module from another build (here: not a quorum module at all) is refused
mkdir -p alone/lib/quorum
cp "$(ldd "$bin" | awk '/libz\.so/{print $3}')" alone/lib/quorum/quorum-pdfin.so
alone/bin/quorum extract a3.pdf out3 >/dev/null 2>alone3.err
rc=$?
[ $rc = 1 ] || fail "extract with a foreign module exited $rc, not 1: $(cat alone3.err)"
grep "PDF reading is not available" alone3.err >/dev/null || fail "foreign module: $(cat alone3.err)"
# the real module copied in works again
cp "$build/lib/quorum/quorum-pdfin.so" alone/lib/quorum/quorum-pdfin.so
alone/bin/quorum extract a3.pdf out4 >/dev/null 2>alone4.err || fail "extract with the module: $(cat alone4.err)"
[ -s out4/report.xml ] || fail "extract with the module copied wrote no report.xml"
exit $status
