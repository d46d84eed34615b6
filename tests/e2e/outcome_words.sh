#!/bin/bash
# An outcome appendix's generated words (headings such as "Note on
# definitions", the default scale's rating names) are made when the report
# is read, before any style is: a style's strings file rewords them as it
# rewords every other word quorum writes (docs/style.md, "Languages"), in
# the PDF and in the HTML.  The sample's appendix 2 generates them.
# usage: outcome_words.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 root=$(cd "$2" && pwd)
fresh_workdir "$3"
export QUORUM_FONT_DIR="$root/fonts"
unset SOURCE_DATE_EPOCH
cp "$root"/input/council-2025-01-29/report.xml "$root"/input/council-2025-01-29/appendix-*.xml .
cat >words.xml <<'X'
<strings xmlns="urn:quorum:strings:1" xml:lang="en">
  <string id="definitions">What the colours mean</string>
  <string id="assessment">Our assessment</string>
</strings>
X
printf '<style xmlns="urn:quorum:style:1">\n  <strings src="words.xml"/>\n</style>\n' >ours.xml

"$bin" build report.xml -o plain.pdf 2>err.txt || fail "build: $(cat err.txt)"
pdftotext plain.pdf plain.txt
# the control: without the strings file the shipped words print
for t in "Note on definitions" "Assessment of Progress"; do
    grep -F "$t" plain.txt >/dev/null || fail "the plain PDF lacks \"$t\""
done

"$bin" build report.xml --style ./ours.xml -o ours.pdf 2>err.txt || fail "build --style: $(cat err.txt)"
pdftotext ours.pdf ours.txt
"$bin" build --format html report.xml --style ./ours.xml -o ours.html 2>err.txt ||
    fail "build --format html: $(cat err.txt)"
for f in ours.txt ours.html; do
    for t in "What the colours mean" "Our assessment"; do
        grep -F "$t" "$f" >/dev/null || fail "$f lacks the strings file's \"$t\""
    done
    for t in "Note on definitions" "Assessment of Progress"; do
        grep -F "$t" "$f" >/dev/null && fail "$f still prints \"$t\""
    done
done
exit $status
