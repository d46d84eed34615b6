#!/usr/bin/env bash
# A broken style file: exit 1 with file:line:col errors, and the previous
# output is left as it was.  An unreadable style file or an unknown style
# name: exit 3.  --style without a value: exit 2.
#   bash style_invalid.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$(cd "$2" && pwd) work=$3
mkdir -p "$work"
export QUORUM_FONT_DIR="$root/fonts" QUORUM_STYLE_DIR="$root/styles"
xml="$root/tests/golden/basic/report.xml"
status=0
fail() { echo "FAIL: $*"; status=1; }

# a good build first: this is the output that must survive
out="$work/out.pdf"
rm -f "$out"
"$bin" build "$xml" --style riverside -o "$out" 2>"$work/good.err" || { fail "good build exited $?"; cat "$work/good.err"; }
[ -s "$out" ] || fail "no PDF from the good build"
before=$(cksum < "$out")

# broken: a bad colour on line 4, an unknown attribute on line 5, a font
# that does not exist on line 6
bad="$work/broken.xml"
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
    '<style xmlns="urn:quorum:style:1">' \
    '  <page margin-left="25mm"/>' \
    '  <tables header-fill="#12345"/>' \
    '  <text size="11pt" colour="#000000"/>' \
    '  <font regular="NoSuchFont-Regular.ttf" bold="a.ttf" italic="b.ttf" bold-italic="c.ttf"/>' \
    '</style>' > "$bad"
"$bin" build "$xml" --style "$bad" -o "$out" 2>"$work/bad.err"
rc=$?
[ $rc -eq 1 ] || fail "broken style: exit $rc, want 1"
grep -q "^$bad:4:11: error: header-fill=\"#12345\" is not a colour" "$work/bad.err" || fail "no positioned colour error"
grep -q "^$bad:5:21: error: unknown attribute 'colour' on <text>" "$work/bad.err" || fail "no positioned attribute error"
grep -q "^$bad:6:9: error: font file \"NoSuchFont-Regular.ttf\" not found" "$work/bad.err" || fail "no positioned font error"
[ "$(cksum < "$out")" = "$before" ] || fail "the previous PDF was changed"
ls "$work" | grep -q '\.tmp' && fail "a temporary file was left behind"

# dump and a malformed file: the same, with the parser's position
printf '<style xmlns="urn:quorum:style:1">\n  <page>\n</style>\n' > "$work/malformed.xml"
"$bin" dump "$xml" --style "$work/malformed.xml" -o "$work/out.txt" 2>"$work/mal.err"
rc=$?
[ $rc -eq 1 ] || fail "malformed style: exit $rc, want 1"
grep -Eq "^$work/malformed.xml:3:[0-9]+: error: " "$work/mal.err" || { fail "no positioned parse error"; cat "$work/mal.err"; }
[ -e "$work/out.txt" ] && fail "dump wrote output despite a broken style"

# unreadable / unknown: I/O failures
"$bin" build "$xml" --style "$work/nonexistent.xml" -o "$out" 2>"$work/nf.err"
rc=$?
[ $rc -eq 3 ] || fail "missing style file: exit $rc, want 3"
"$bin" build "$xml" --style nosuchstyle -o "$out" 2>"$work/nn.err"
rc=$?
[ $rc -eq 3 ] || fail "unknown style name: exit $rc, want 3"
grep -q 'no style named "nosuchstyle"' "$work/nn.err" || fail "unknown name not said"
[ "$(cksum < "$out")" = "$before" ] || fail "the previous PDF was changed"

# a font cut short: refused where the style names it, exit 1 (it once
# reached the PDF writer: exit 3, "libharu error 0x...", no position)
head -c 200000 "$root/fonts/LiberationSans-Regular.ttf" > "$work/cut.ttf"
printf '%s\n' '<style xmlns="urn:quorum:style:1">' \
    '  <font regular="cut.ttf" bold="LiberationSans-Bold.ttf" italic="LiberationSans-Italic.ttf" bold-italic="LiberationSans-BoldItalic.ttf"/>' \
    '</style>' > "$work/cutfont.xml"
"$bin" build "$xml" --style "$work/cutfont.xml" -o "$out" 2>"$work/cut.err"
rc=$?
[ $rc -eq 1 ] || fail "a font cut short: exit $rc, want 1"
grep -q "^$work/cutfont.xml:2:9: error: font file \"cut.ttf\" is not a usable TrueType font: table 'FFTM' runs past the end of the file" "$work/cut.err" ||
    { fail "a font cut short: no positioned error"; cat "$work/cut.err"; }
[ "$(cksum < "$out")" = "$before" ] || fail "the previous PDF was changed"

"$bin" build "$xml" --style 2>/dev/null
rc=$?
[ $rc -eq 2 ] || fail "--style without a value: exit $rc, want 2"
exit $status
