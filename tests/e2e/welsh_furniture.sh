#!/usr/bin/env bash
# A Welsh meeting's pack and site are Welsh throughout (issue 13, need 8):
# none of the words quorum writes itself prints in English.  The meeting,
# its two reports (docs/examples/anglesey and welsh/perfformiad.xml, whose
# appendix has every generated part of an outcome appendix) and its items
# are written in Welsh, with every kind of item (a report, to follow, late,
# exempt), a clerk with email and phone, and a style with a banner and
# duplex blank pages whose attribute words are English (a style's words
# are its English ones: docs/style.md, "Languages").  furniture.py lists
# the English words of data/strings/en.xml, so a word added there is
# checked here without this script changing.
#   bash welsh_furniture.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 root=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
fresh_workdir "$3"
export QUORUM_FONT_DIR="$root/fonts"
unset SOURCE_DATE_EPOCH

cp "$root/docs/examples/anglesey/report.xml" ffiniau.xml
cp "$here/welsh/perfformiad.xml" "$here/welsh/atodiad-1.xml" .
cat > meeting.xml <<'X'
<meeting xmlns="urn:quorum:report:1" xml:lang="cy-GB" law="wales">
  <body>Cyngor Sir</body>
  <date>2010-09-14</date>
  <time>14:00</time>
  <venue>Siambr y Cyngor, Swyddfeydd y Cyngor, Llangefni</venue>
  <published>2010-09-06</published>
  <clerk name="Gwasanaethau Democrataidd" title="Swyddog Pwyllgor"
         email="pwyllgorau@example.gov.uk" phone="01248 000000"/>
  <membership>
    <member role="Cadeirydd">Y Cynghorydd A. Jones</member>
    <member>Y Cynghorydd B. Williams</member>
  </membership>
  <agenda>
    <item title="Ymddiheuriadau"/>
    <item title="Datganiad o Ddiddordeb"><p>Derbyn unrhyw ddatganiad o ddiddordeb.</p></item>
    <item title="Adroddiad terfynol y Comisiwn Ffiniau" report="ffiniau.xml"/>
    <item title="Cerdyn Sgorio Corfforaethol" report="perfformiad.xml"/>
    <item title="Strategaeth Tai" to-follow="true"/>
    <item title="Cynllun Argyfwng" late="true" urgency="Mae angen penderfyniad cyn diwedd y mis."
          published="2010-09-10"><p>Ystyried y cynllun.</p></item>
    <item title="Gwerthu Tir" exempt-paragraph="14 16"><p>Ystyried gwerthu tir y Cyngor.</p></item>
  </agenda>
  <information>
    <heading>Gwybodaeth i’r cyhoedd</heading>
    <p>Mae croeso i’r cyhoedd ddod i’r cyfarfod.</p>
  </information>
</meeting>
X
cat > duplex.xml <<'X'
<style xmlns="urn:quorum:style:1" name="duplex">
  <pack banner="Public Document Pack" blank-page="This page is intentionally left blank"/>
</style>
X

"$bin" pack meeting.xml --style ./duplex.xml -o pack.pdf 2> pack.err ||
    { fail "Welsh pack failed: $(cat pack.err)"; exit 1; }
pdftotext pack.pdf pack.txt
# pdfinfo's own labels ("Subject:") are not quorum's words
pdfinfo pack.pdf | grep -E '^(Title|Subject|Keywords):' | sed 's/^[A-Za-z]*: *//' > meta.txt
"$bin" publish meeting.xml --style ./duplex.xml -o site 2> site.err ||
    { fail "Welsh site failed: $(cat site.err)"; exit 1; }
for p in site/*.pdf; do pdftotext "$p" "$p.txt"; done

# the run made every part the check is about: otherwise "no English" is
# no evidence
for want in "Pecyn Dogfennau Cyhoeddus" "Mae’r dudalen hon wedi’i gadael yn wag yn fwriadol" \
            "I DDILYN" "NID I’W GYHOEDDI" "Gwahardd y Wasg a’r Cyhoedd." \
            "Nodyn ar ddiffiniadau" "Asesiad o’r Cynnydd" "cysylltwch â" "e-bost" "ffôn"; do
    grep -F -- "$want" pack.txt >/dev/null || fail "the Welsh pack lacks \"$want\""
done
for want in "Aelodau" "Dogfennau" "Eitem hwyr, cyhoeddwyd 10 Medi 2010." "Nid yw’r adroddiad hwn" \
            "paragraffau 14 a 16 Rhan 4 o Atodlen 12A"; do
    grep -F -- "$want" site/index.html >/dev/null || fail "the Welsh site lacks \"$want\""
done
grep -F 'Pecyn rhaglen: Cyngor Sir' meta.txt >/dev/null || fail "PDF Subject not Welsh: $(cat meta.txt)"

/usr/bin/python3 "$here/furniture.py" "$root/data/strings/en.xml" "$root/data/strings/cy.xml" \
    pack.txt meta.txt site/*.html site/*.pdf.txt > english.txt ||
    { fail "English words quorum wrote in a Welsh pack or site:"; cat english.txt; }

# an English meeting under the same style keeps the style's English words
sed 's/xml:lang="cy-GB"/xml:lang="en-GB"/' meeting.xml > en-meeting.xml
"$bin" pack en-meeting.xml --style ./duplex.xml -o en.pdf 2> en.err || fail "English pack failed"
pdftotext en.pdf en.txt
for want in "Public Document Pack" "This page is intentionally left blank" "NOT FOR PUBLICATION"; do
    grep -F -- "$want" en.txt >/dev/null || fail "the English pack lacks \"$want\""
done

# a council's strings file is part of what a cached report was laid out
# with: reworded, the next pack prints the new words (the pack cache,
# docs/meeting.md "The cache"), not the old ones from the cache
printf '<strings xmlns="urn:quorum:strings:1" xml:lang="cy">\n  <string id="page-of">Tud. {page} o {pages}</string>\n</strings>\n' > ours.strings.xml
printf '<style xmlns="urn:quorum:style:1">\n  <strings src="ours.strings.xml"/>\n</style>\n' > ours.xml
"$bin" pack meeting.xml --style ./ours.xml -o cached.pdf 2>/dev/null || fail "pack with a strings file failed"
[ -d cached.cache ] || fail "no cache kept beside cached.pdf"
pdftotext cached.pdf - | grep -F 'Tud. 1 o ' >/dev/null || fail "the strings file's page words are not used"
sed -i 's/Tud\. {page} o {pages}/Tudalen {page} allan o {pages}/' ours.strings.xml
"$bin" pack meeting.xml --style ./ours.xml -o cached.pdf 2>/dev/null || fail "second pack failed"
pdftotext cached.pdf cached.txt
grep -F 'Tudalen 1 allan o ' cached.txt >/dev/null || fail "a reworded strings file: the pack kept the cached words"
grep -F 'Tud. 1 o ' cached.txt >/dev/null && fail "a reworded strings file: old words from the cache"
# and the site: its report's PDF is made again, though its page is the same
sed -i 's/Tudalen {page} allan o {pages}/Tud. {page} o {pages}/' ours.strings.xml
"$bin" publish meeting.xml --style ./ours.xml -o words-site 2>/dev/null || fail "publish with a strings file failed"
sed -i 's/Tud\. {page} o {pages}/Tudalen {page} allan o {pages}/' ours.strings.xml
"$bin" publish meeting.xml --style ./ours.xml -o words-site 2>/dev/null || fail "second publish failed"
for p in words-site/*.pdf; do
    case $p in */agenda-pack.pdf|*/supplement.pdf) continue ;; esac
    pdftotext "$p" - | grep -F 'Tudalen 1 allan o ' >/dev/null || fail "$p: a reworded strings file not used"
done
exit $status
