#!/usr/bin/env bash
# quorum check measures every character with the face of the style in use
# that will draw it: under --style northgate (Lato) a heading with U+21D4
# (in Liberation Sans, not in Lato) is refused and the character named;
# U+203D (in Lato, not in Liberation Sans) passes under northgate and
# builds, and is refused under the built-in style.
#   bash check_style_fonts.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$(cd "$2" && pwd) work=$3
mkdir -p "$work"
unset QUORUM_FONT_DIR QUORUM_STYLE_DIR QUORUM_SCHEMA_DIR
status=0
fail() { echo "FAIL: $*"; status=1; }
src="$root/tests/golden/basic/report.xml"

# the golden report (beside its appendix) with one character added to a
# heading
cp "$root/tests/golden/basic/"*.xml "$work/"
with() { sed "s|<heading>Executive Summary</heading>|<heading>Executive Summary $1</heading>|" "$src" > "$work/$2.xml"; }
with '⇔' arrow
with '‽' bang

"$bin" check --style northgate "$work/arrow.xml" 2>"$work/arrow.err"
rc=$?
[ $rc -eq 1 ] || fail "northgate, U+21D4: exit $rc, want 1"
grep -q "arrow.xml:16:[0-9]*: error: character '⇔' (U+21D4) is not in the font Lato-Bold.ttf" "$work/arrow.err" ||
    fail "northgate, U+21D4 not named: $(head -c 400 "$work/arrow.err")"

"$bin" check "$work/arrow.xml" 2>"$work/arrow-default.err" ||
    fail "built-in style, U+21D4: exit $? ($(head -c 400 "$work/arrow-default.err"))"

"$bin" check --style northgate "$work/bang.xml" 2>"$work/bang.err" ||
    fail "northgate, U+203D: exit $? ($(head -c 400 "$work/bang.err"))"
"$bin" build --style northgate "$work/bang.xml" -o "$work/bang.pdf" 2>"$work/bang-build.err" ||
    fail "northgate build, U+203D: exit $? ($(head -c 400 "$work/bang-build.err"))"
[ -s "$work/bang.pdf" ] || fail "northgate build wrote no PDF"

"$bin" check "$work/bang.xml" 2>"$work/bang-default.err"
rc=$?
[ $rc -eq 1 ] || fail "built-in style, U+203D: exit $rc, want 1"
grep -q "(U+203D) is not in the font LiberationSans-Bold.ttf" "$work/bang-default.err" ||
    fail "built-in style, U+203D not named: $(head -c 400 "$work/bang-default.err")"

[ $status -eq 0 ] && echo "check_style_fonts: ok"
exit $status
