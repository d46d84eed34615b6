#!/bin/bash
# Vector marks (format 1.1, issue 13): directions of travel drawn as
# arrows, options as tick boxes, no font glyph, each read out in words
# (marks.py says how).
# usage: marks.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts"

# marks NAME REPORT SHAPE:WORD...: builds REPORT, checks its marks
marks() {
    local name=$1 report=$2
    shift 2
    echo "== $name"
    "$bin" check "$report" >"$name.check" 2>&1 || { fail "$name: check"; cat "$name.check"; return; }
    "$bin" dump "$report" -o "$name.dump" 2>"$name.err" || { fail "$name: dump"; cat "$name.err"; return; }
    "$bin" build "$report" -o "$name.pdf" 2>"$name.err" || { fail "$name: build"; cat "$name.err"; return; }
    $py "$here/marks.py" check "$name.dump" "$name.pdf" "$name-page" "$@" || fail "$name: marks"
    $py "$here/pdf_tags.py" walk "$name.pdf" || fail "$name: tagged structure"
    qpdf --check "$name.pdf" >"$name.qpdf" 2>&1 || fail "$name: qpdf --check"
}

marks trend "$repo/tests/golden/trend/report.xml" \
    arrow-up:improved "arrow-right:no change" arrow-down:declined \
    arrow-up:up arrow-right:same arrow-down:down arrow-up:improved \
    arrow-up:improved arrow-down:declined
S=box-ticked:selected N="box:not selected"
marks options "$repo/tests/golden/options/report.xml" \
    "$S" "$N" "$N" "$S" "$S" "$N" "$S" "$N" "$S" \
    "alt=Key decision: Yes (selected)" "alt=Key decision: No (not selected)" \
    "alt=Subject to call-in: Yes (not selected)" "alt=Subject to call-in: No (selected)" \
    "alt=Council themes: A thriving economy (selected)" \
    "alt=Council themes: Healthy communities (not selected)" \
    "alt=Council themes: A cleaner, greener borough (selected)" \
    "alt=Spending: Revenue (not selected)" "alt=Spending: Capital (selected)"
# a key decision without a forward plan reference gets a note (no more:
# imported papers often lack one)
grep -v 'role="forward-plan"' "$repo/tests/golden/options/report.xml" >no-fp.xml
"$bin" check no-fp.xml >no-fp.txt 2>&1 || fail "check no-fp.xml: $(cat no-fp.txt)"
grep -F 'note: a key decision with no forward plan reference' no-fp.txt >/dev/null ||
    fail "no note for a key decision without a forward plan reference"
# box="after" (Bristol's "One off cost [x]"): each box right of its text,
# in the PDF and the HTML, read the same as a box before it
cat >after.xml <<'XML'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Costs</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
  <section id="s1"><heading>Costs</heading>
    <p><options box="after" label="Costs"><option selected="true">One off cost</option><option>Ongoing cost</option></options></p>
  </section>
</report>
XML
marks after after.xml "box-ticked:selected" "box:not selected" \
    "alt=Costs: One off cost (selected)" "alt=Costs: Ongoing cost (not selected)"
# box_x_minus_text_x DUMP TEXT: how far the box of TEXT's span stands right of it
box_gap() {
    awk -v t="\"$2\"" '$1 == "text" && index($0, t) { e = $3; x = $4 }
        $1 == "mark" && $3 == e && e != "" { print $4 - x; exit }' "$1"
}
g=$(box_gap after.dump "One off cost")
awk -v g="$g" 'BEGIN { exit !(g > 50) }' || fail "box=after: the box is not after its text (gap '$g')"
sed 's/ box="after"//' after.xml >before.xml
"$bin" dump before.xml -o before.dump 2>before.err || fail "dump before.xml: $(cat before.err)"
g=$(box_gap before.dump "One off cost")
awk -v g="$g" 'BEGIN { exit !(g < 0) }' || fail "default: the box is not before its text (gap '$g')"
"$bin" build --format html after.xml -o after.html 2>after.herr || fail "html: $(cat after.herr)"
grep -F '<span class="option">One off cost <span aria-hidden="true">' after.html >/dev/null ||
    fail "HTML: the box is not after its text"
exit $status
