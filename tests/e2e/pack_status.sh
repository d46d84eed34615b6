#!/bin/bash
# A report that is not open never reaches a public pack, however its
# front-sheet status is spelled (docs/format.md, "Status"): on an open item
# `quorum pack` fails with an error at the item's report= and writes no
# PDF; on an exempt item the pack holds only the "not for publication"
# page, never the report's text.  Built alone with a house style, such a
# report is labelled with the style's exempt classification, never its
# open one ("OFFICIAL" in riverside).  An open report is packed as before.
# usage: pack_status.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
unset SOURCE_DATE_EPOCH
secret="Heads of terms agreed with the purchaser"

# report FILE STATUS [ATTRS]: a report whose status field reads STATUS
report() {
    cat >"$1" <<EOF
<report xmlns="urn:quorum:report:1" xml:lang="en-GB">
  <front-sheet>
    <heading>Report to Council</heading>
    <field role="title" label="Report Title">Disposal of Land</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
    <field role="status" label="Status" $3>$2</field>
  </front-sheet>
  <section id="summary">
    <heading>Summary</heading>
    <p>$secret at a price of one million pounds.</p>
  </section>
</report>
EOF
}

# meeting FILE EXEMPT_ATTR: the report is item 2 (line 10), open unless EXEMPT_ATTR
meeting() {
    meeting_file "$1" "    <item title=\"Apologies for Absence\"/>
    <item title=\"Disposal of Land\" report=\"report.xml\" $2/>"
}

meeting open.xml ""
meeting exempt.xml 'exempt-paragraph="3"'
n=0
while IFS='|' read -r spelling attrs; do
    n=$((n + 1))
    report report.xml "$spelling" "$attrs"
    rm -f out.pdf out.manifest
    "$bin" pack open.xml -o out.pdf >out.txt 2>err.txt
    rc=$?
    [ $rc -eq 1 ] || fail "[$spelling] on an open item: exit $rc, want 1"
    grep -F 'open.xml:10:' err.txt | grep -F 'is not open' >/dev/null ||
        fail "[$spelling] no error at the item's report=: $(cat err.txt)"
    [ -e out.pdf ] && fail "[$spelling] a PDF was written for an open item"
    [ -e out.manifest ] && fail "[$spelling] a manifest was written for an open item"

    "$bin" pack exempt.xml -o out.pdf >out.txt 2>err.txt ||
        fail "[$spelling] on an exempt item: $(cat err.txt)"
    pdftotext out.pdf out.txt 2>/dev/null || fail "[$spelling] pdftotext"
    grep -F "$secret" out.txt >/dev/null && fail "[$spelling] the exempt pack prints the report"
    grep -iF "not for publication" out.txt >/dev/null ||
        fail "[$spelling] the exempt pack has no not-for-publication page"

    "$bin" build report.xml --style riverside -o alone.pdf 2>err.txt ||
        fail "[$spelling] build --style riverside: $(cat err.txt)"
    pdftotext alone.pdf alone.txt 2>/dev/null || fail "[$spelling] pdftotext alone"
    grep -F "OFFICIAL" alone.txt >/dev/null && fail "[$spelling] labelled OFFICIAL"
    grep -F "NOT FOR PUBLICATION" alone.txt >/dev/null ||
        fail "[$spelling] not labelled NOT FOR PUBLICATION"
done <<'EOF'
Exempt|paragraph="3"
EXEMPT|paragraph="3"
  exempt  |paragraph="3"
Part 2|paragraph="1 2"
PART  2|paragraph="3"
Not for publication|paragraph="3"
NOT FOR PUBLICATION|paragraph="3"
Private|paragraph="3"
private|paragraph="3"
Confidential|
CONFIDENTIAL|
EOF
[ $n -eq 11 ] || fail "ran $n spellings, want 11"

# the control: an open report in any spelling of open is packed and printed
for spelling in Open " PART 1 " public; do
    report report.xml "$spelling" ""
    "$bin" pack open.xml -o out.pdf >out.txt 2>err.txt ||
        fail "[$spelling] open report on an open item: $(cat err.txt)"
    pdftotext out.pdf out.txt 2>/dev/null
    grep -F "$secret" out.txt >/dev/null || fail "[$spelling] the open report is not in the pack"
    "$bin" build report.xml --style riverside -o alone.pdf 2>err.txt ||
        fail "[$spelling] build: $(cat err.txt)"
    pdftotext alone.pdf alone.txt 2>/dev/null
    grep -F "OFFICIAL" alone.txt >/dev/null || fail "[$spelling] open report not labelled OFFICIAL"
done
exit $status
