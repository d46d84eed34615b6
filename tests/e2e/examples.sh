#!/usr/bin/env bash
# Real councils' papers written in the format (docs/examples/NAME/, issue
# 13): there are at least four; each has a SOURCE.md naming its address and
# its licence (a "Licence:" line: the Open Government Licence for most
# councils' papers, or what a council that states none publishes under),
# and a page as a PNG; each (with style.xml beside it when the council's
# look needs one) checks clean with
# --werror, builds a PDF that qpdf accepts, that is tagged throughout
# (pdf_tags.py walk) with the structure the display list asks for, whose
# title is the title field and whose text poppler reads without warnings;
# and each lays out exactly as its golden dump
# tests/golden/example-NAME.dump.  A self-test edits one example and sees
# its dump differ, so the comparison is not vacuous.
#   bash examples.sh QUORUM_BINARY REPO_ROOT WORK_DIR
# QUORUM_GOLDEN_UPDATE=1 writes the dumps instead of comparing (review the
# diff before committing).
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
tags="$py $(cd "$(dirname "$0")" && pwd)/pdf_tags.py"
tool=${QUORUM_TEST_TOOLS:-$(dirname "$bin")/tests}/dlist_pdf
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts"

# title_of REPORT: the text of the front sheet's title field, as the PDF's
# Title entry should read it (whitespace collapsed).
title_of() {
    $py - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = "{urn:quorum:report:1}"
for f in ET.parse(sys.argv[1]).getroot().iter(ns + "field"):
    if f.get("role") == "title":
        print(" ".join("".join(f.itertext()).split()))
PY
}

ran=0
for xml in "$repo"/docs/examples/*/report.xml; do
    [ -e "$xml" ] || continue
    dir=$(dirname "$xml") name=$(basename "$(dirname "$xml")")
    ran=$((ran + 1))
    echo "== $name"

    src=$dir/SOURCE.md
    if [ -f "$src" ]; then
        grep "^Licence: ." "$src" >/dev/null || fail "$name: SOURCE.md names no licence"
        grep -E "https?://" "$src" >/dev/null || fail "$name: SOURCE.md gives no address"
    else
        fail "$name: no SOURCE.md"
    fi
    set -- "$dir"/page-*.png
    [ -f "$1" ] || fail "$name: no page-N.png for the issue note"
    # the council's own look, where the example has one
    style=()
    [ -f "$dir/style.xml" ] && style=(--style "$dir/style.xml")

    "$bin" check --werror "${style[@]}" "$xml" >"$name.check" 2>&1 ||
        fail "$name: check: $(head -5 "$name.check")"
    # a note the council's paper earns (Bristol's key decision names no
    # forward plan reference) is declared in check.expect beside it, whole
    if [ -f "$dir/check.expect" ]; then
        grep -E '^[^ ].*: (note|warning|error): ' "$name.check" | sed "s|^$dir/||" >"$name.notes"
        cmp -s "$dir/check.expect" "$name.notes" ||
            fail "$name: check does not say what check.expect says: $(head -5 "$name.check")"
    elif [ -s "$name.check" ]; then
        fail "$name: check is not clean: $(head -5 "$name.check")"
    fi

    if ! "$bin" build "${style[@]}" "$xml" -o "$name.pdf" 2>"$name.err"; then
        fail "$name: build: $(head -5 "$name.err")"; continue
    fi
    qpdf --check "$name.pdf" >"$name.qpdf" 2>&1 || fail "$name: qpdf --check: $(tail -3 "$name.qpdf")"
    $tags walk "$name.pdf" >"$name.walk" 2>&1 || fail "$name: tagging: $(tail -3 "$name.walk")"
    pdfinfo -struct-text "$name.pdf" >"$name.struct" 2>/dev/null &&
        "$tool" --struct "$xml" >"$name.expected" &&
        $tags outline "$name.struct" "$name.expected" ||
        fail "$name: structure tree differs from the display list"
    pdftotext "$name.pdf" "$name.txt" 2>"$name.text-err" || fail "$name: pdftotext"
    [ -s "$name.text-err" ] && fail "$name: poppler warns: $(head -3 "$name.text-err")"
    want=$(title_of "$xml")
    got=$(pdfinfo "$name.pdf" | sed -n 's/^Title: *//p')
    [ -n "$want" ] && [ "$got" = "$want" ] || fail "$name: PDF title '$got', title field '$want'"

    golden=$repo/tests/golden/example-$name.dump
    "$bin" dump "${style[@]}" "$xml" -o "$name.dump" 2>"$name.dump-err" || { fail "$name: dump"; continue; }
    if [ "${QUORUM_GOLDEN_UPDATE:-0}" = 1 ]; then
        cp "$name.dump" "$golden"; echo "updated $golden"
    elif [ ! -e "$golden" ]; then
        fail "$name: no $golden (run with QUORUM_GOLDEN_UPDATE=1 and review it)"
    elif ! diff -u "$golden" "$name.dump" >"$name.diff"; then
        fail "$name: dump differs from $golden"; head -n 40 "$name.diff"
    fi
done
[ "$ran" -ge 4 ] || fail "$ran examples in docs/examples, the issue asks for at least four"

echo "== self-test: an edited example no longer matches its golden dump"
first=$(ls -d "$repo"/docs/examples/*/ | head -n 1)
first=$(basename "$first")
cp -r "$repo/docs/examples/$first" edited
sed -i '0,/<p>/s/<p>/<p>Edited. /' edited/report.xml
"$bin" dump edited/report.xml -o edited.dump 2>/dev/null || fail "self-test: dump of the edited copy"
cmp -s edited.dump "$repo/tests/golden/example-$first.dump" &&
    fail "self-test: the edited $first still matches its golden dump"
exit $status
