#!/bin/bash
# A "to follow" item (to-follow="true", docs/meeting.md): listed on the
# agenda with "Report to follow." and a page number, and a placeholder page
# ("Agenda Item N", its title, TO FOLLOW) in the pack; not a late item (no
# urgency asked for). An item that is to follow and names a report is an
# error.
# usage: pack_to_follow.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
fresh_workdir "$work"
unset SOURCE_DATE_EPOCH
# meeting FILE ITEM2_ATTRS: item 2 with those attributes (line 10)
meeting() {
    meeting_file "$1" "    <item title=\"Apologies for Absence\"/>
    <item title=\"Local Plan Review\" $2/>"
}
meeting follow.xml 'to-follow="true"'
"$bin" pack --werror follow.xml -o pack.pdf 2>err.txt || { fail "pack: $(cat err.txt)"; exit 1; }
pages=$(pdfinfo pack.pdf | awk '/^Pages:/{print $2}')
[ "$pages" = 3 ] || fail "pack has $pages pages, want 3 (front sheet, agenda, placeholder)"
pdftotext -f 2 -l 2 pack.pdf agenda.txt
grep -F "Report to follow." agenda.txt >/dev/null || fail "the agenda does not say the report is to follow"
grep -F "Late item" agenda.txt >/dev/null && fail "a to-follow item is listed as late"
grep -x "3" agenda.txt >/dev/null || fail "the agenda gives no page for the placeholder"
pdftotext -f 3 -l 3 pack.pdf page.txt
for want in "Agenda Item 2" "Local Plan Review" "TO FOLLOW"; do
    grep -F "$want" page.txt >/dev/null || fail "placeholder page lacks \"$want\""
done

# both to-follow and a report: an error at to-follow=, no PDF
meeting both.xml 'to-follow="true" report="plan.xml"'
cat >plan.xml <<'XML'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Local Plan Review</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
</report>
XML
"$bin" pack both.xml -o both.pdf 2>both.err
rc=$?
[ $rc -eq 1 ] || fail "to-follow with a report: exit $rc, want 1"
grep -F 'both.xml:10:37: error: item 2 is to follow but names its report' both.err >/dev/null ||
    fail "no positioned error: $(cat both.err)"
[ -e both.pdf ] && fail "a PDF was written"
exit $status
