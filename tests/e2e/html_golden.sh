#!/usr/bin/env bash
# Golden HTML (issue 17): `quorum build --format html` of each sample under
# input/ must be exactly tests/golden/input-NAME.html (input/NAME/report.xml
# or input/NAME.xml), as golden.sh pins the dumps.
#   bash html_golden.sh QUORUM_BINARY REPO_ROOT WORK_DIR
# QUORUM_GOLDEN_UPDATE=1 writes the pages instead of comparing (review the
# diff before committing).
set -u
bin=$1 root=$2 work=$3
mkdir -p "$work"
export QUORUM_FONT_DIR="$root/fonts"
status=0 ran=0
for xml in "$root"/input/*/report.xml "$root"/input/*.xml; do
    [ -e "$xml" ] || continue
    case $xml in
        "$root"/input/*/report.xml) name=input-$(basename "$(dirname "$xml")") ;;
        *) name=input-$(basename "$xml" .xml) ;;
    esac
    want="$root/tests/golden/$name.html"
    got="$work/$name.html"
    rm -f "$got"
    "$bin" build --format html "$xml" -o "$got" 2>"$work/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL $name: quorum build --format html exited $rc"; cat "$work/$name.err"
        status=1; continue
    fi
    ran=$((ran + 1))
    if [ "${QUORUM_GOLDEN_UPDATE:-0}" = 1 ]; then
        cp "$got" "$want"; echo "updated $want"; continue
    fi
    if [ ! -e "$want" ]; then
        echo "FAIL $name: no $want (run with QUORUM_GOLDEN_UPDATE=1 and review it)"
        status=1; continue
    fi
    if ! diff -u "$want" "$got" > "$work/$name.diff"; then
        echo "FAIL $name: page differs from $want"; head -n 60 "$work/$name.diff"
        status=1
    fi
done
[ $ran -ge 2 ] || [ $status -ne 0 ] || { echo "FAIL: fewer than two samples ran"; status=1; }
exit $status
