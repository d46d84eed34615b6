#!/bin/bash
# Numbering and markers (format 1.1, issue 13 need 5) in the built PDF of
# tests/golden/numbering: marker styles of lists and recommendations (top
# level and nested), an explicit number with its punctuation, a numbered
# section with no heading (paragraphs 3.1, 3.2; no "3." heading, no
# bookmark); generated criterion labels keep a number's own dots;
# paragraphs numbered continuously (tests/golden/continuous).
# usage: numbering.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts"
report=$repo/tests/golden/numbering/report.xml

"$bin" check "$report" >check.txt 2>&1 || { cat check.txt; fail "check"; }
"$bin" build "$report" -o n.pdf 2>build.err || { cat build.err; fail "build"; }
pdftotext -layout n.pdf n.txt 2>/dev/null || fail "pdftotext"
for want in '^ *\(a\) +approves' '^ *i\. +subject' '^ *ii\. +and to' '^ *\(b\) +notes' \
            '^ *A\) +do nothing' '^ *C\) +a company' '^ *\(IV\) +fourth' \
            '^ *2\.4\. +An explicit' '^ *3\.1 +A numbered section' '^ *3\.2 +No'; do
    grep -E "$want" n.txt >/dev/null || fail "no line matching $want"
done
grep -E '^ *3\. *$' n.txt >/dev/null && fail "a stray \"3.\" heading"
pdfinfo -struct-text n.pdf >struct.txt 2>/dev/null || true
"$bin" dump "$report" -o n.dump 2>/dev/null || fail "dump"
grep -c '^outline ' n.dump | grep -x 2 >/dev/null || fail "want 2 bookmarks: $(grep '^outline' n.dump)"

# a criterion lettered "2.1" is labelled "2.1", not "2.1."
mkdir -p crit
sed -e 's/letter="a" id="o1a"/letter="2.1" id="o1a"/' \
    "$repo/tests/golden/trend/appendix.xml" >crit/appendix.xml
cp "$repo/tests/golden/trend/report.xml" crit/report.xml
"$bin" build crit/report.xml -o crit.pdf 2>crit.err || { cat crit.err; fail "build crit"; }
pdftotext crit.pdf crit.txt 2>/dev/null
grep -F '2.1 Missed bins' crit.txt >/dev/null || fail "criterion label: $(grep -F 'Missed bins' crit.txt)"
grep -F '2.1. Missed' crit.txt >/dev/null && fail "criterion label with an extra dot"
# paragraph-numbers="continuous": 1. to 5. through the report, headings
# unnumbered
cont=$repo/tests/golden/continuous/report.xml
"$bin" build "$cont" -o c.pdf 2>c.err || { cat c.err; fail "build continuous"; }
pdftotext -layout c.pdf c.txt 2>/dev/null
for want in '^ *1\. +This report' '^ *2\. +It follows' '^ *3\. +The Executive' \
            '^ *4\. +to approve' '^ *5\. +Reasons' '^ *Purpose of the report'; do
    grep -E "$want" c.txt >/dev/null || fail "continuous: no line matching $want"
done
grep -E '^ *[0-9]+\.[0-9]' c.txt >/dev/null && fail "continuous: a per-section number"
exit $status
