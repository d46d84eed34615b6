#!/bin/bash
# PDF/UA-1 rules of tests/e2e/pdf_ua.py (issue 16) on every kind of output:
# the sample report in each house style, the one-file sample, the fixtures
# (spanning cells, ratings, long tables), the agenda pack, its supplement
# and the archive copies; then each rule's self-test: a copy of a good file
# broken in the way the rule forbids must be rejected.
# usage: pdf_ua.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
ua="$py $here/pdf_ua.py"
fresh_workdir "$work"
input=$repo/input/council-2025-01-29
report=$input/report.xml

build() { # OUT ARGS...: quorum build ARGS -o OUT, which must succeed silently
    local out=$1; shift
    "$bin" build "$@" -o "$out" 2>"$out.err" && [ ! -s "$out.err" ] ||
        { fail "build $*: $(head -3 "$out.err")"; return 1; }
}

outputs=()
build report.pdf "$report" && outputs+=(report.pdf)
for style in committee northgate riverside; do
    build "style-$style.pdf" "$report" --style "$style" && outputs+=("style-$style.pdf")
done
build licensing.pdf "$repo/input/licensing-fees.xml" && outputs+=(licensing.pdf)
for fx in spans rag long-table tall-row; do
    build "fx-$fx.pdf" "$repo/tests/fixtures/$fx/report.xml" && outputs+=("fx-$fx.pdf")
done
for level in 1b 3b; do
    build "archive-$level.pdf" "$report" --archive=$level && outputs+=("archive-$level.pdf")
done
"$bin" pack "$input/meeting.xml" -o pack.pdf 2>pack.err && outputs+=(pack.pdf) ||
    fail "pack: $(head -3 pack.err)"
"$bin" pack "$input/meeting.xml" --archive=3b -o pack-3b.pdf 2>pack-3b.err &&
    outputs+=(pack-3b.pdf) || fail "pack --archive=3b: $(head -3 pack-3b.err)"
cp -r "$input" supp-in
sed -i '0,/This report provides Members/s//This corrected report provides Members/' supp-in/report.xml
"$bin" pack supp-in/meeting.xml --since pack.manifest -o supp.pdf 2>supp.err &&
    outputs+=(supp.pdf) || fail "supplement: $(head -3 supp.err)"

echo "== every rule on ${#outputs[@]} outputs"
for f in "${outputs[@]}"; do
    $ua check "$f" >"$f.ua" || { fail "$f"; cat "$f.ua"; }
    # and pdfa.py's rules, which pdfa.sh runs on its own outputs
    $py "$here/pdfa.py" check "$f" >"$f.pdfa" || { fail "$f: pdfa.py"; cat "$f.pdfa"; }
done

echo "== running headers and footers are typed as such"
has_artifact() { # FILE TYPE
    $ua artifacts "$1" >"$1.art" && grep -x "$2 [0-9]*" "$1.art" >/dev/null ||
        fail "$1: no $2 artifact ($(tr '\n' ' ' <"$1.art"))"
}
has_artifact report.pdf Pagination/Footer
has_artifact report.pdf Layout
has_artifact fx-long-table.pdf Pagination
has_artifact style-riverside.pdf Pagination/Header
has_artifact pack.pdf Pagination/Footer

echo "== the riverside logo is read where it stands: first, at the top of page 1"
pdfinfo -struct-text style-riverside.pdf >riverside.struct 2>/dev/null
[ "$(sed -n 2p riverside.struct)" = "  Figure:" ] ||
    fail "the logo is not the first thing read: $(grep -n Figure riverside.struct | head -1)"

echo "== the running header's council name and classification: read once, on page 1"
[ "$(grep -c '^ *"Riverside Borough Council OFFICIAL"$' riverside.struct)" = 1 ] ||
    fail "style-riverside.pdf: the header's text is not in the structure tree once"
pdfinfo -struct-text style-northgate.pdf >northgate.struct 2>/dev/null
[ "$(grep -c '^ *"Northgate District Council ' northgate.struct)" = 1 ] ||
    fail "style-northgate.pdf: the header's text is not in the structure tree once"

echo "== \"Agenda Item 9\", printed once, is read once: the item's H1, its report's H1 an H2"
pdfinfo -struct-text pack.pdf >pack.struct 2>/dev/null
[ "$(grep -c '^ *"Agenda Item 9"$' pack.struct)" = 1 ] ||
    fail "pack.pdf: \"Agenda Item 9\" is not in the structure tree once"
grep -B1 '^ *"Agenda Item 9"$' pack.struct | grep '^ *H1 ' >/dev/null ||
    fail "pack.pdf: \"Agenda Item 9\" is not an H1"
grep -A3 '^ *"Agenda Item 9"$' pack.struct | grep '^ *H2 ' >/dev/null ||
    fail "pack.pdf: no H2 (the report's own heading) right after \"Agenda Item 9\""

echo "== self-tests: a copy broken as each rule forbids is rejected"
selftest() { # RULE GOOD.pdf
    $ua break "$1" "$2" "broken-$1.pdf" || { fail "self-test $1: cannot break $2"; return; }
    $ua check "broken-$1.pdf" "$1" >"broken-$1.txt" &&
        fail "self-test $1: the broken copy passes"
    $ua check "$2" "$1" >/dev/null || fail "self-test $1: $2 itself fails"
}
selftest table-regular fx-spans.pdf
selftest table-headers report.pdf
selftest row-header report.pdf
# tick boxes in a row without a row header are no rating (Bristol's costs box)
cat >boxes.xml <<'XML'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Costs</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
  <section id="s1"><heading>Costs</heading>
    <table><row header="true"><cell>Cost</cell><cell>Kind</cell></row>
      <row><cell>£1m</cell><cell><options><option selected="true">One off cost</option><option>Ongoing cost</option></options></cell></row></table>
  </section>
</report>
XML
"$bin" build boxes.xml -o boxes.pdf 2>boxes.err || fail "boxes.xml: $(cat boxes.err)"
$ua check boxes.pdf row-header >boxes.txt || fail "tick boxes taken for a rating: $(cat boxes.txt)"
selftest artifact-type report.pdf
selftest cell-alt report.pdf
selftest list-numbering report.pdf
selftest fonts report.pdf
selftest lang report.pdf
selftest heading-outline report.pdf
selftest toc pack.pdf
selftest caption licensing.pdf
selftest figure-alt report.pdf
# each broken copy fails for the reason its rule gives
grep "sits under" broken-heading-outline.txt >/dev/null ||
    fail "heading-outline self-test: $(head -2 broken-heading-outline.txt)"
# the pack's headings nest as its bookmarks do: one heading a level down
# under its sibling breaks it
$ua break heading-outline pack.pdf broken-pack-outline.pdf || fail "cannot break pack.pdf's headings"
$ua check broken-pack-outline.pdf heading-outline >broken-pack-outline.txt &&
    fail "heading-outline self-test on the pack: the broken copy passes"
grep "sits under" broken-pack-outline.txt >/dev/null ||
    fail "heading-outline self-test on the pack: $(head -2 broken-pack-outline.txt)"
grep "entry not tagged TOCI" broken-toc.txt >/dev/null ||
    fail "toc self-test: $(head -2 broken-toc.txt)"
grep "no printed Caption" broken-caption.txt >/dev/null ||
    fail "caption self-test: $(head -2 broken-caption.txt)"
grep "repeats the text after it" broken-figure-alt.txt >/dev/null ||
    fail "figure-alt self-test: $(head -2 broken-figure-alt.txt)"

[ $status -eq 0 ] && echo "PASS"
exit $status
