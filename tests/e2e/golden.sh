#!/usr/bin/env bash
# Golden layout dumps: for every tests/golden/NAME/report.xml, `quorum dump`
# must print exactly tests/golden/NAME.dump; the sample reports under input/
# are compared with tests/golden/input-DIR.dump (input/DIR/report.xml) and
# tests/golden/input-NAME.dump (a one-file report input/NAME.xml).
#   bash golden.sh QUORUM_BINARY REPO_ROOT WORK_DIR [html]
# With html, the same for `quorum build --format html` and NAME.html
# (html_golden.sh).
# QUORUM_GOLDEN_UPDATE=1 writes the dumps instead of comparing (review the
# diff before committing).
set -u
bin=$1 root=$2 work=$3 fmt=${4:-dump}
ext=.dump cmd=(dump)
[ "$fmt" = html ] && ext=.html cmd=(build --format html)
mkdir -p "$work"
export QUORUM_FONT_DIR="$root/fonts"
status=0 ran=0
for xml in "$root"/tests/golden/*/report.xml "$root"/input/*/report.xml "$root"/input/*.xml; do
    [ -e "$xml" ] || continue
    name=$(basename "$(dirname "$xml")")
    case $xml in
        "$root"/input/*/report.xml) name=input-$name ;;
        "$root"/input/*.xml) name=input-$(basename "$xml" .xml) ;;
    esac
    want="$root/tests/golden/$name$ext"
    got="$work/$name$ext"
    "$bin" "${cmd[@]}" "$xml" -o "$got" 2>"$work/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL $name: quorum ${cmd[*]} exited $rc"; cat "$work/$name.err"
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
        echo "FAIL $name: $fmt differs from $want"; head -n 60 "$work/$name.diff"
        status=1
    fi
done
[ $ran -gt 0 ] || [ $status -ne 0 ] || { echo "FAIL: no golden fixtures ran"; status=1; }
exit $status
