#!/bin/bash
# A supplement after one report changed: copy the sample, build the
# published pack, edit the report, then pack --supplement --since the
# published manifest: only item 9, under its own number, pages from 1.
# usage: pack_supplement.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
cp -r "$repo/input/council-2025-01-29" in
"$bin" pack in/meeting.xml -o published.pdf 2>err.txt
rc=$?
[ $rc -eq 0 ] || { fail "pack exited $rc: $(cat err.txt)"; exit 1; }
[ -s published.manifest ] || { fail "no manifest beside the pack"; exit 1; }

# nothing changed: an error, and no file
"$bin" pack in/meeting.xml --supplement --since published.manifest -o none.pdf 2>none.err
[ $? -eq 1 ] || fail "supplement with no changes should exit 1"
grep -q "no item was added or changed" none.err || fail "no-change message: $(cat none.err)"
[ -e none.pdf ] && fail "a supplement with nothing in it was written"

# one report edited
sed -i '0,/This report provides Members/s//This corrected report provides Members/' in/report.xml
grep -q "This corrected report" in/report.xml || fail "the edit did not apply"
"$bin" pack in/meeting.xml --supplement --since published.manifest -o supp.pdf 2>supp.err
rc=$?
[ $rc -eq 0 ] || fail "supplement exited $rc: $(cat supp.err)"
grep -q "no item in it gives published=" supp.err || fail "missing warning about published=: $(cat supp.err)"
$py "$repo/tests/e2e/pack_check.py" in/meeting.xml supp.pdf --supplement 9 || fail "pack_check.py on the supplement"
pdftotext -f 1 -l 1 supp.pdf front.txt
grep -q "Supplementary Agenda" front.txt || fail "front sheet is not headed Supplementary Agenda"
pdfinfo supp.pdf | grep -q "^Title: *Council – Wednesday, 29 January 2025 – Supplementary Agenda$" ||
  fail "supplement title: $(pdfinfo supp.pdf | grep Title)"
pdftotext -layout supp.pdf supp.txt
grep -q "This corrected report provides Members" supp.txt || fail "the edited text is not in the supplement"
grep -q "Apologies for Absence" supp.txt && fail "unchanged item 1 is in the supplement"
grep -q "NOT FOR PUBLICATION" supp.txt && fail "unchanged exempt item 12 is in the supplement"
grep -qE "^9 +Progress on Thurrock" supp.txt || fail "item 9 lost its number"
grep -qE "^\s*Page 1\s*$" front.txt || fail "supplement pages are not numbered from 1"
# the supplement's manifest lists only item 9 as present
present=$($py "$repo/tests/e2e/manifest.py" supp.manifest present)
[ "$present" = 9 ] || fail "supplement manifest lists items $present"

# a new item without a report also counts as added
sed -i 's#<item id="member-questions"#<item id="extra" title="Extra Item"><p>Added late.</p></item>\n    &#' in/meeting.xml
"$bin" pack in/meeting.xml --supplement --since published.manifest -o supp2.pdf 2>/dev/null ||
  fail "second supplement failed"
pdftotext -layout supp2.pdf supp2.txt
grep -qE "^10 +Extra Item" supp2.txt || fail "added item 10 missing from the supplement"

# --supplement alone: the late items, with their urgency and publication date
cp -r "$repo/input/council-2025-01-29" late
"$bin" pack late/meeting.xml --supplement -o nolate.pdf 2>nolate.err
[ $? -eq 1 ] || fail "--supplement without late items should exit 1"
grep -q "no late items" nolate.err || fail "no-late-items message: $(cat nolate.err)"
sed -i 's#report="report.xml"/>#report="report.xml" late="true" urgency="The figures arrived after publication." published="2025-01-24"/>#' late/meeting.xml
grep -q 'late="true"' late/meeting.xml || fail "the late edit did not apply"
"$bin" pack late/meeting.xml -o full.pdf 2>full.err || fail "full pack with a late item failed: $(cat full.err)"
pdftotext -layout full.pdf full.txt
grep -q "Late item. Reason for urgency: The figures arrived" full.txt || fail "no urgency line in the full pack"
grep -q "Apologies for Absence" full.txt || fail "the full pack lost its other items"
"$bin" pack late/meeting.xml --supplement -o late.pdf 2>late.err || fail "late supplement failed: $(cat late.err)"
$py "$repo/tests/e2e/pack_check.py" late/meeting.xml late.pdf --supplement 9 || fail "pack_check.py on the late supplement"
pdftotext -layout late.pdf late.txt
grep -q "Supplement published on *24 January 2025" late.txt || fail "no supplement publication date"
grep -q "Late item. Reason for urgency: The figures arrived" late.txt || fail "no urgency line in the supplement"
grep -q "Apologies for Absence" late.txt && fail "an item that is not late is in the supplement"

# an image replaced after publication changes its item (the manifest hash
# covers the images a report draws, not only its XML)
fix=$repo/tests/fixtures/archive-image
cp -r "$repo/input/council-2025-01-29" img
cp "$fix/report.xml" img/notes.xml && cp "$fix/figures.xml" "$fix/chart.png" "$fix/photo.jpg" img/
sed -i 's|date="2025-03-12">Wednesday, 12 March 2025|date="2025-01-29">Wednesday, 29 January 2025|' img/notes.xml
sed -i 's|<item id="announcements" title="Announcements on behalf of the Mayor"/>|<item id="announcements" title="Announcements on behalf of the Mayor" report="notes.xml"/>|' img/meeting.xml
grep -q 'report="notes.xml"' img/meeting.xml || fail "sed did not add the report with images"
"$bin" pack img/meeting.xml -o img-pub.pdf 2>img-pub.err || fail "pack with images: $(cat img-pub.err)"
cp img-pub.manifest img-published.manifest
"$bin" pack img/meeting.xml -o img-pub.pdf 2>/dev/null
cmp -s img-pub.manifest img-published.manifest || fail "the manifest of an unchanged pack with images changed"
printf 'x' >> img/photo.jpg   # the appendix's photograph replaced
"$bin" pack img/meeting.xml --supplement --since img-published.manifest -o img-supp.pdf 2>img-supp.err ||
  fail "supplement after an image changed: $(cat img-supp.err)"
pdftotext -layout img-supp.pdf img-supp.txt 2>/dev/null
grep -q "Announcements on behalf of the Mayor" img-supp.txt || fail "the item whose image changed is not in the supplement"
grep -q "Improvement and Recovery" img-supp.txt && fail "an unchanged report is in the image supplement"

# a manifest that is not one
echo "hello" >bad.manifest
"$bin" pack in/meeting.xml --since bad.manifest -o bad.pdf 2>bad.err
[ $? -eq 1 ] || fail "a bad manifest should exit 1"
grep -q "not a quorum pack manifest" bad.err || fail "bad manifest message: $(cat bad.err)"
exit $status
