#!/bin/bash
# Each item's report and appendices in a folder of their own (issue 13
# need 9): three reports that each have an appendix-1.xml share a meeting
# (report="a/report.xml"): the pack holds each report with its own
# appendix; the manifest tells the items apart, so a supplement (--since)
# after one appendix changes holds that item alone; a name leaving the
# meeting's folder is still an error.  An archive copy (--archive=3b)
# attaches files by plain name and cannot yet give two appendix-1.xml
# back: it is refused with a clear error and writes nothing.
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
  <section id="s1"><heading>Heading</heading><p>Text of report $d.</p></section>
  <appendices><appendix href="appendix-1.xml"/></appendices>
</report>
XML
    cat >$d/appendix-1.xml <<XML
<appendix xmlns="urn:quorum:report:1"><title>Appendix of $d</title><p>Body of appendix $d.</p></appendix>
XML
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
# archive copies: refused, nothing written
"$bin" pack --archive=3b meeting.xml -o arch.pdf 2>err.txt && fail "archive of same-named files written"
grep -F "two attachments are named report.xml" err.txt >/dev/null || fail "archive: $(cat err.txt)"
[ -e arch.pdf ] && fail "arch.pdf written"
exit $status
