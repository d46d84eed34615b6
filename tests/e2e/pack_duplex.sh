#!/bin/bash
# Duplex packs (issue 13 need 9): a house style's <pack blank-page="This
# page is intentionally left blank"/> starts every item (report,
# not-for-publication page, to-follow page) on a right-hand (odd) pack
# page, with a page holding that text alone before it where needed.
# Checked per page with pdftotext: each item's first page is odd and says
# "Agenda Item N"; the agenda's page column names those pages; the pack's
# "Page N" numbers run on; a blank page holds the text and nothing of any
# item; without the style attribute no blank page is added; the PDF/UA
# rules of pdf_ua.py hold.
# usage: pack_duplex.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
here=$(cd "$(dirname "$0")" && pwd)
fresh_workdir "$work"
unset SOURCE_DATE_EPOCH
blank="This page is intentionally left blank"
report() { # report FILE TITLE PARAGRAPHS
    {
        printf '<report xmlns="urn:quorum:report:1">\n  <front-sheet>\n'
        printf '    <field role="title" label="Report Title">%s</field>\n' "$2"
        printf '    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>\n'
        printf '  </front-sheet>\n  <section id="s1">\n    <heading>Background</heading>\n'
        for ((i = 0; i < $3; i++)); do
            printf '    <p>Paragraph %d of %s, long enough to fill a line or two of the page with words about the matter at hand.</p>\n' "$i" "$2"
        done
        printf '  </section>\n</report>\n'
    }>"$1"
}
report one.xml "Budget Monitoring" 3      # one page
report two.xml "Local Plan Review" 40     # several pages
report three.xml "Fees and Charges" 3
meeting_file meeting.xml '    <item title="Apologies for Absence"/>
    <item title="Budget Monitoring" report="one.xml"/>
    <item title="Local Plan Review" report="two.xml"/>
    <item title="Fees and Charges" report="three.xml"/>
    <item title="Housing Strategy" to-follow="true"/>'
cat >duplex.xml <<XML
<style xmlns="urn:quorum:style:1" name="duplex">
  <pack blank-page="$blank"/>
</style>
XML

"$bin" pack meeting.xml -o plain.pdf 2>err.txt || { fail "pack: $(cat err.txt)"; exit 1; }
pdftotext plain.pdf plain.txt
grep -F "$blank" plain.txt >/dev/null && fail "a blank page without the style asking"
"$bin" pack meeting.xml --style "$work/duplex.xml" -o duplex.pdf 2>err.txt ||
    { fail "pack --style: $(cat err.txt)"; exit 1; }
np=$(pdfinfo duplex.pdf | awk '/^Pages:/{print $2}')
pp=$(pdfinfo plain.pdf | awk '/^Pages:/{print $2}')
[ "$np" -gt "$pp" ] || fail "duplex pack has $np pages, the plain one $pp: no blank page added"
for ((pg = 1; pg <= np; pg++)); do pdftotext -layout -f $pg -l $pg duplex.pdf p$pg.txt; done
nblank=0
for ((pg = 1; pg <= np; pg++)); do
    grep -E "^\s*Page $pg\s*$" p$pg.txt >/dev/null || fail "page $pg does not say Page $pg"
    if grep -F "$blank" p$pg.txt >/dev/null; then
        nblank=$((nblank + 1))
        [ $((pg % 2)) = 0 ] || fail "blank page $pg is a right-hand page"
        words=$(grep -v -F -e "$blank" -e "Page $pg" p$pg.txt | grep -v -F "Planning Committee" | tr -d '[:space:]')
        [ -z "$words" ] || fail "blank page $pg holds more than its text: $words"
    fi
done
[ "$nblank" -ge 1 ] || fail "no blank page in the duplex pack"
# the agenda (page 2) gives each item's pages; each starts odd with its label
for n in 2 3 4 5; do
    first=$(grep -E "^\s*$n\b" p2.txt | grep -oE '[0-9]+( ?- ?[0-9]+)?\s*$' | grep -oE '^[0-9]+')
    if [ -z "$first" ]; then fail "agenda gives no page for item $n"; continue; fi
    [ $((first % 2)) = 1 ] || fail "item $n starts on left-hand page $first"
    grep -F "Agenda Item $n" "p$first.txt" >/dev/null || fail "page $first (item $n) lacks Agenda Item $n"
done
# a blank page is tagged as an artifact of pagination, as PDF/UA asks
/usr/bin/python3 "$here/pdf_ua.py" check duplex.pdf >ua.txt || fail "PDF/UA: $(cat ua.txt)"
exit $status
