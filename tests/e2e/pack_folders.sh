#!/bin/bash
# Each item's report and appendices in a folder of their own (issue 13
# need 9): three reports that each have an appendix-1.xml share a meeting
# (report="a/report.xml"): the pack holds each report with its own
# appendix; the manifest tells the items apart, so a supplement (--since)
# after one appendix changes holds that item alone; a name leaving the
# meeting's folder is still an error.  An archive copy (--archive=3a)
# attaches each file under its path from the meeting's folder
# (a/appendix-1.xml, b/appendix-1.xml, a/chart.png ...); quorum extract
# gives them back in their folders, and the pack of the extracted meeting
# is the same PDF.  Extract still refuses a path that climbs out ("a/../x")
# or a folder in DIR that is a symbolic link, writing nothing.
# usage: pack_folders.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
fresh_workdir "$work"
unset SOURCE_DATE_EPOCH
for d in a b c; do
    mkdir $d
    cat >$d/report.xml <<XML
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Report $d</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
    <field role="appendices" label="Appendices"/>
  </front-sheet>
  <section id="s1"><heading>Heading</heading><p>Text of report $d.</p>
    <image src="chart.png" alt="Chart of report $d" width="30mm"/></section>
  <appendices><appendix href="appendix-1.xml"/></appendices>
</report>
XML
    cat >$d/appendix-1.xml <<XML
<appendix xmlns="urn:quorum:report:1"><title>Appendix of $d</title><p>Body of appendix $d.</p></appendix>
XML
    cp "$2/tests/fixtures/archive-image/chart.png" $d/
done
meeting_file meeting.xml '    <item id="ia" title="Report A" report="a/report.xml"/>
    <item id="ib" title="Report B" report="b/report.xml"/>
    <item id="ic" title="Report C" report="c/report.xml"/>'
"$bin" pack --werror meeting.xml -o pack.pdf 2>err.txt || { fail "pack: $(cat err.txt)"; exit 1; }
pdftotext pack.pdf pack.txt
# each report's text followed by its own appendix, in agenda order
got=$(grep -oE '(Text of report|Body of appendix) [abc]\.' pack.txt | tr '\n' '|')
want='Text of report a.|Body of appendix a.|Text of report b.|Body of appendix b.|Text of report c.|Body of appendix c.|'
[ "$got" = "$want" ] || fail "reports and appendices: $got"
# a changed appendix makes a supplement of its item alone
echo '<appendix xmlns="urn:quorum:report:1"><title>Appendix of b</title><p>Body of appendix b, revised.</p></appendix>' >b/appendix-1.xml
"$bin" pack meeting.xml --since pack.manifest -o supp.pdf 2>err.txt || fail "supplement: $(cat err.txt)"
pdftotext supp.pdf supp.txt
grep -F "Body of appendix b, revised." supp.txt >/dev/null || fail "the supplement lacks the changed item"
grep -F -e "Text of report a." -e "Text of report c." supp.txt >/dev/null &&
    fail "the supplement holds an unchanged item"
# the web site: a page per item, each with its own appendix
"$bin" publish meeting.xml -o site 2>err.txt || fail "publish: $(cat err.txt)"
for d in a c; do
    grep -F "Body of appendix $d." site/i$d.html >/dev/null || fail "site/i$d.html lacks its appendix"
done
# outside the meeting's folder: still an error, said once
meeting_file bad.xml '    <item title="Report A" report="a/../a/report.xml"/>'
"$bin" pack bad.xml -o bad.pdf 2>err.txt && fail "a report named through .. was packed"
[ "$(grep -c 'must name a file' err.txt)" = 1 ] || fail "want one error: $(cat err.txt)"
[ -e bad.pdf ] && fail "bad.pdf written"
# archive copies: every file under its path from the meeting's folder
"$bin" pack --archive=3a meeting.xml -o arch.pdf 2>err.txt || fail "archive pack: $(cat err.txt)"
"$bin" extract arch.pdf ex 2>err.txt || fail "extract: $(cat err.txt)"
(cd ex && find . -type f | sort) >got.txt
printf './%s\n' a/appendix-1.xml a/chart.png a/report.xml b/appendix-1.xml b/chart.png \
    b/report.xml c/appendix-1.xml c/chart.png c/report.xml committee.xml meeting.xml | sort >want.txt
cmp -s want.txt got.txt || fail "extracted $(tr '\n' ' ' <got.txt), want $(tr '\n' ' ' <want.txt)"
for f in meeting.xml a/report.xml a/chart.png c/appendix-1.xml; do
    cmp -s "$f" "ex/$f" || fail "extracted $f differs from the source"
done
"$bin" pack --archive=3a ex/meeting.xml -o arch2.pdf 2>err.txt || fail "re-pack: $(cat err.txt)"
cmp -s arch.pdf arch2.pdf || fail "the pack of the extracted files is not the same PDF"
# a folder of DIR that is a symbolic link is not followed; nothing is written
mkdir elsewhere linked
ln -s ../elsewhere linked/a
"$bin" extract arch.pdf linked 2>err.txt && fail "extract followed linked/a"
grep -F "a folder on its path is a symbolic link or not a directory" err.txt >/dev/null || fail "linked: $(cat err.txt)"
[ -z "$(ls -A elsewhere)" ] || fail "extract wrote through linked/a: $(ls elsewhere)"
[ "$(ls -A linked)" = a ] || fail "extract wrote into linked: $(ls -A linked)"
# a name that climbs out of its folder is refused, nothing written
/usr/bin/python3 "$2/tests/e2e/pdf_archive.py" rename arch.pdf evil.pdf "a/../../escaped.xml" ||
    fail "could not make evil.pdf"
"$bin" extract evil.pdf jail/out 2>err.txt && fail "extract took a/../../escaped.xml"
grep -F "not a plain file name" err.txt >/dev/null || fail "evil.pdf: $(cat err.txt)"
[ -e jail ] || [ -e escaped.xml ] && fail "extract wrote something for evil.pdf"
exit $status
