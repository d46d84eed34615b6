#!/bin/bash
# An exempt item cites the law of its council's nation (docs/meeting.md,
# "Exempt items"): law="wales" on the meeting prints Part 4 of Schedule
# 12A (paragraphs 12-18), law="scotland" Part I of Schedule 7A to the
# Local Government (Scotland) Act 1973 (paragraphs 1-15) with Scotland's
# exclusion (section 50A(4), no public interest test), in the agenda's
# exclusion paragraph, the item's entry, its "not for publication" page
# and the site's listing, in English and in Welsh; a meeting without law=
# cites England's Part 1 as before.  A report under another law than its
# meeting's is a warning.
# usage: pack_law.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 root=$(cd "$2" && pwd)
fresh_workdir "$3"
export QUORUM_FONT_DIR="$root/fonts"
unset SOURCE_DATE_EPOCH

# meeting FILE LANG LAW_ATTR PARAS: a meeting whose last item is exempt
# under PARAS and whose second names the open report.xml
meeting() {
    cat >"$1" <<XML
<meeting xmlns="urn:quorum:report:1" xml:lang="$2" $3>
  <body>Council</body>
  <date>2025-01-29</date>
  <time>10:30</time>
  <venue>Council Chamber</venue>
  <published>2025-01-21</published>
  <clerk name="Democratic Services" email="democraticservices@example.gov.uk"/>
  <agenda>
    <item title="Apologies"/>
    <item title="Budget" report="report.xml"/>
    <item title="Disposal of Land" exempt-paragraph="$4"/>
  </agenda>
</meeting>
XML
}
cat >report.xml <<'XML'
<report xmlns="urn:quorum:report:1" xml:lang="en-GB">
  <front-sheet>
    <field role="title" label="Report Title">Budget</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">29 January 2025</field>
  </front-sheet>
  <section id="s"><heading>Summary</heading><p>The budget.</p></section>
</report>
XML

# run NAME: pack and site of NAME.xml, their text on one line each (a
# phrase may wrap) in NAME.txt and NAME.site.txt; warnings in NAME.err
run() {
    "$bin" pack "$1.xml" -o "$1.pdf" 2>"$1.err" || { fail "$1: pack failed: $(cat "$1.err")"; return; }
    pdftotext "$1.pdf" - | tr -s ' \n' '  ' >"$1.txt"
    "$bin" publish "$1.xml" -o "$1.site" 2>/dev/null || { fail "$1: publish failed"; return; }
    tr -s ' \n' '  ' <"$1.site/index.html" >"$1.site.txt"
}
# has NAME FILE TEXT...: each TEXT is in FILE; lacks: none is
has() { local n=$1 f=$2; shift 2; for t in "$@"; do grep -F -- "$t" "$f" >/dev/null || fail "$n: $f lacks \"$t\""; done; }
lacks() { local n=$1 f=$2; shift 2; for t in "$@"; do grep -F -- "$t" "$f" >/dev/null && fail "$n: $f has \"$t\""; done; }

meeting england.xml en-GB "" "3"
run england
has england england.txt "Exempt: paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972" \
    "public interest in maintaining the exemption" \
    "by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972: information relating to the financial"
has england england.site.txt "by virtue of paragraph 3 of Part 1 of Schedule 12A"

meeting wales.xml en-GB 'law="wales"' "12 14"
run wales
has wales wales.txt "Exempt: paragraphs 12 and 14 of Part 4 of Schedule 12A to the Local Government Act 1972" \
    "exempt information as defined in Part 4 of Schedule 12A to the Local Government Act 1972, as indicated, and that the public interest" \
    "by virtue of paragraphs 12 and 14 of Part 4 of Schedule 12A to the Local Government Act 1972: information relating to a particular individual; information relating to the financial"
has wales wales.site.txt "by virtue of paragraphs 12 and 14 of Part 4 of Schedule 12A"
lacks wales wales.txt "Part 1 of Schedule 12A"
lacks wales wales.site.txt "Part 1 of Schedule 12A"

meeting cymru.xml cy-GB 'law="wales"' "16"
run cymru
has cymru cymru.txt "Eithriedig: paragraff 16 Rhan 4 o Atodlen 12A o Ddeddf Llywodraeth Leol 1972" \
    "fel y’i diffinnir yn Rhan 4 o Atodlen 12A" \
    "yn rhinwedd paragraff 16 Rhan 4 o Atodlen 12A o Ddeddf Llywodraeth Leol 1972: gwybodaeth yng nghyswllt hawl i fraint broffesiynol"
has cymru cymru.site.txt "yn rhinwedd paragraff 16 Rhan 4 o Atodlen 12A"
lacks cymru cymru.txt "Rhan 1 o Atodlen 12A"

meeting scotland.xml en-GB 'law="scotland"' "6 9"
run scotland
has scotland scotland.txt "Exempt: paragraphs 6 and 9 of Part I of Schedule 7A to the Local Government (Scotland) Act 1973" \
    "under section 50A(4) of the Local Government (Scotland) Act 1973, the public and press be excluded" \
    "by virtue of paragraphs 6 and 9 of Part I of Schedule 7A to the Local Government (Scotland) Act 1973: information relating to the financial or business affairs of any particular person (other than the authority); any terms proposed"
has scotland scotland.site.txt "by virtue of paragraphs 6 and 9 of Part I of Schedule 7A"
lacks scotland scotland.txt "Schedule 12A" "public interest"
lacks scotland scotland.site.txt "Schedule 12A"
# the report says no law: England's, not the meeting's
grep -F 'scotland.xml:10:' scotland.err | grep -F 'is under law="england", this meeting under law="scotland"' >/dev/null ||
    fail "no warning for a report under another law: $(cat scotland.err)"
grep -F 'under law=' england.err >/dev/null && fail "a law warning where the laws agree"

# the numbers of another law are refused, and nothing is written
meeting wrong.xml en-GB 'law="scotland"' "16"
"$bin" pack wrong.xml -o wrong.pdf 2>wrong.err && fail "Scottish paragraph 16 packed"
grep -F 'wrong.xml:11:' wrong.err | grep -F '1 to 15 of Part I of Schedule 7A' >/dev/null ||
    fail "no error for paragraph 16 in Scotland: $(cat wrong.err)"
[ -e wrong.pdf ] && fail "a PDF was written for a refused meeting"
# the law is part of an exempt item: a meeting moved from Wales to
# Scotland (paragraph 14 is in both) changes that item for --since
meeting moved.xml en-GB 'law="wales"' "14"
"$bin" pack moved.xml -o moved.pdf 2>/dev/null || fail "moved: pack failed"
"$bin" pack moved.xml --supplement --since moved.manifest -o same.pdf 2>/dev/null &&
    fail "a supplement with nothing changed"
sed -i 's/law="wales"/law="scotland"/' moved.xml
"$bin" pack moved.xml --supplement --since moved.manifest -o supp.pdf 2>supp.err ||
    fail "the law's change is not a change: $(cat supp.err)"
[ -e supp.pdf ] && pdftotext supp.pdf - | tr -s ' \n' '  ' | grep -F "Schedule 7A" >/dev/null ||
    fail "the supplement does not cite Schedule 7A"
exit $status
