#!/bin/bash
# PDF/A rules of tests/e2e/pdfa.py (issue 16) on every kind of output: the
# sample report, each house style, the one-file sample, the agenda pack and
# its supplement, each archive level of a report and of a pack (1b, 2a,
# 3a) and the other councils' examples (docs/examples); pdf_ua.py's
# PDF/UA-1 rules too on what pdf_ua.sh does not build (the PDF/A-2a and
# -3a copies, packs at each level, the examples plain and 2a, the Welsh
# copy; pdf_ua.sh runs pdfa.py on its own outputs, so both checkers see
# every output), and pdf_archive.py meta (XMP against the
# information dictionary) on each archive copy.  A copy with a paragraph
# in Welsh and words in Latin carries both as /Lang.  Then each rule's self-test: a copy of a
# good file broken in the way the rule forbids must be rejected.  PDFBox Preflight keeps judging
# PDF/A-1b (pdf_archive.sh, pack_archive.sh).
# usage: pdfa.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
pdfa="$py $here/pdfa.py"
ua="$py $here/pdf_ua.py"
fresh_workdir "$work"
unset SOURCE_DATE_EPOCH
input=$repo/input/council-2025-01-29
report=$input/report.xml

run() { # OUT CMD ARGS...: quorum CMD ARGS -o OUT, which must succeed silently
    local out=$1; shift
    # a note (Bristol's key decision names no forward plan, as its paper
    # does not: docs/examples/bristol/check.expect) is no failure
    "$bin" "$@" -o "$out" 2>"$out.err" && [ -z "$(grep -vE ': note: |^ +[0-9]* \|' "$out.err")" ] ||
        { fail "$*: $(head -3 "$out.err")"; return 1; }
}

outputs=() both=()
run report.pdf build "$report" && outputs+=(report.pdf)
for style in committee northgate riverside; do
    run "style-$style.pdf" build "$report" --style "$style" && outputs+=("style-$style.pdf")
done
run licensing.pdf build "$repo/input/licensing-fees.xml" && outputs+=(licensing.pdf)
for level in 1b 2a 3a; do
    run "archive-$level.pdf" build "$report" --archive=$level && outputs+=("archive-$level.pdf")
    run "pack-$level.pdf" pack "$input/meeting.xml" --archive=$level && outputs+=("pack-$level.pdf")
done
run riverside-2a.pdf build "$report" --style riverside --archive && outputs+=(riverside-2a.pdf)
both+=(archive-2a.pdf archive-3a.pdf pack-1b.pdf pack-2a.pdf pack-3a.pdf riverside-2a.pdf)
run pack.pdf pack "$input/meeting.xml" && outputs+=(pack.pdf)
cp -r "$input" supp-in
sed -i '0,/This report provides Members/s//This corrected report provides Members/' supp-in/report.xml
# (its warning: no item of the copy gives published=)
"$bin" pack supp-in/meeting.xml --since pack.manifest -o supp.pdf 2>supp.err &&
    outputs+=(supp.pdf) || fail "supplement: $(head -3 supp.err)"
for xml in "$repo"/docs/examples/*/report.xml; do
    name=example-$(basename "$(dirname "$xml")")
    run "$name.pdf" build "$xml" && outputs+=("$name.pdf") && both+=("$name.pdf")
    run "$name-2a.pdf" build "$xml" --archive && outputs+=("$name-2a.pdf") && both+=("$name-2a.pdf")
done
# a paragraph in Welsh and words in Latin: their structure elements say so
sed -e '0,/<p>Each fee/s//<p xml:lang="cy">Each fee/' \
    -e '0,/<p>Most fees/s//<p>Most <i xml:lang="la">per capita<\/i> fees/' \
    "$repo/input/licensing-fees.xml" >cy.xml
[ "$(grep -c 'xml:lang="\(cy\|la\)"' cy.xml)" = 2 ] || fail "sed did not add the Welsh and Latin"
run cy.pdf build cy.xml --archive && outputs+=(cy.pdf) && both+=(cy.pdf)

echo "== PDF/A rules on ${#outputs[@]} outputs"
for f in "${outputs[@]}"; do
    $pdfa check "$f" >"$f.pdfa" || { fail "$f"; cat "$f.pdfa"; }
done
echo "== PDF/UA rules on ${#both[@]} outputs pdf_ua.sh does not build"
for f in "${both[@]}"; do
    $ua check "$f" >"$f.ua" || { fail "$f"; cat "$f.ua"; }
done

echo "== what each archive copy declares"
declares() { # FILE PART CONFORMANCE
    pdfinfo -meta "$1" >"$1.meta" 2>&1
    grep "<pdfaid:part>$2</pdfaid:part>" "$1.meta" >/dev/null &&
        grep "<pdfaid:conformance>$3</pdfaid:conformance>" "$1.meta" >/dev/null ||
        fail "$1 does not declare PDF/A-$2$3: $(grep pdfaid "$1.meta" | tr -d ' ')"
}
declares archive-1b.pdf 1 B
declares archive-2a.pdf 2 A
declares archive-3a.pdf 3 A
declares pack-2a.pdf 2 A
declares pack-3a.pdf 3 A
$pdfa langs cy.pdf cy.xml || fail "the Welsh paragraph or the Latin words have no /Lang"
# and each agrees with its information dictionary, as pdf_archive.py checks
for f in archive-1b pack-1b archive-2a pack-2a riverside-2a cy archive-3a pack-3a; do
    case $f in *1b) part=1 ;; *3a) part=3 ;; *) part=2 ;; esac
    $py "$here/pdf_archive.py" meta "$f.pdf" $part || fail "$f.pdf: pdf_archive.py meta"
done

echo "== self-tests: a copy broken as each rule forbids is rejected"
selftest() { # RULE GOOD.pdf [CHECKED RULE]
    local rule=${3:-$1}
    $pdfa break "$1" "$2" "broken-$1.pdf" || { fail "self-test $1: cannot break $2"; return; }
    $pdfa check "broken-$1.pdf" "$rule" >"broken-$1.txt" &&
        fail "self-test $1: the broken copy passes"
    $pdfa check "$2" "$rule" >/dev/null || fail "self-test $1: $2 itself fails"
}
selftest identity archive-2a.pdf
selftest identity-level archive-2a.pdf identity
selftest lang report.pdf
selftest cidset archive-1b.pdf
selftest attachments archive-3a.pdf
selftest objects archive-2a.pdf
selftest objects-image riverside-2a.pdf objects
$pdfa break langs cy.pdf broken-langs.pdf || fail "self-test langs: cannot break cy.pdf"
$pdfa langs broken-langs.pdf cy.xml >broken-langs.txt && fail "self-test langs: the broken copy passes"

[ $status -eq 0 ] && echo "PASS"
exit $status
