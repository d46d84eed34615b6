#!/usr/bin/env bash
# Welsh and bilingual papers (issue 13, need 8; docs/style.md
# "Languages", docs/format.md "Bilingual papers"): quorum's own words
# follow the document's language, each part of a bilingual paper has its
# own, a house style adds or overrides words, a broken strings file gets
# its errors at their places, and a language quorum has no words for is
# warned about once and prints in English.
#   bash welsh.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 root=$(cd "$2" && pwd)
fresh_workdir "$3"
export QUORUM_FONT_DIR="$root/fonts"
cy="$root/docs/examples/anglesey/report.xml"

# a Welsh report with a sign-off and a not-applicable reason: its words
sed -e 's|</report>|<implication type="legal"><heading>Goblygiadau Cyfreithiol</heading><p>Dim.</p><sign-off name="Lynn Ball" title="Pennaeth Gwasanaethau Cyfreithiol" date="2010-09-01"/></implication><implication type="risk"><heading>Risg</heading><not-applicable>Dim risg newydd.</not-applicable></implication><section id="s-cy"><heading>Argymhellion</heading><p id="p-cy">Testun.</p><p>Gweler <ref to="p-cy"/> ac <ref to="s-cy" form="title"/>.</p></section></report>|' \
    "$cy" > cy.xml
grep 'sign-off' cy.xml >/dev/null || fail "sed did not add the sign-off"
"$bin" build cy.xml -o cy.pdf || fail "build of a Welsh report failed"
pdftotext -layout cy.pdf cy.txt
for want in "Tudalen 1 o 2" "Goblygiadau wedi’u gwirio gan Lynn Ball" "Dyddiad 1 Medi 2010" \
            "Amherthnasol: Dim risg newydd." "Gweler paragraff 3.1 ac Adran 3."; do
    grep -F -- "$want" cy.txt >/dev/null || fail "Welsh PDF lacks \"$want\""
done
grep -E 'Page [0-9]|Implications|Not applicable|September' cy.txt && fail "English words in the Welsh PDF"

# the HTML page: its language, and the skip link in Welsh
"$bin" build --format html cy.xml -o cy.html || fail "HTML build failed"
grep -F '<html lang="cy-GB">' cy.html >/dev/null || fail "HTML lacks lang=\"cy-GB\""
grep -F '<a class="skip" href="#main">Neidio i’r prif gynnwys</a>' cy.html >/dev/null ||
    fail "HTML lacks the Welsh skip link"
grep -F 'Goblygiadau wedi’u gwirio gan' cy.html >/dev/null || fail "HTML sign-off not in Welsh"
grep -F '>paragraff 3.1</a>' cy.html >/dev/null || fail "HTML cross-reference not in Welsh"

# a Welsh meeting's pack: dates with the weekday, item labels
mkdir pack
cp "$root"/input/council-2025-01-29/*.xml pack/
sed -i 's|<meeting xmlns="urn:quorum:report:1" xml:lang="en-GB"|<meeting xmlns="urn:quorum:report:1" xml:lang="cy-GB"|' pack/meeting.xml
grep 'xml:lang="cy-GB"' pack/meeting.xml >/dev/null || fail "sed did not make the meeting Welsh"
"$bin" pack pack/meeting.xml -o pack.pdf >/dev/null 2>pack.err || { fail "Welsh pack failed"; cat pack.err; }
pdftotext pack.pdf pack.txt
for want in "Dydd Mercher, 29 Ionawr 2025 am 7.00 pm" "Eitem Agenda 9" "Tudalen 1" \
            "Dyddiad ac amser" "Lleoliad" "Rhaglen"; do
    grep -F -- "$want" pack.txt >/dev/null || fail "Welsh pack lacks \"$want\""
done

# a language quorum has no words for: one warning where it is said, and
# the words in English
sed 's/xml:lang="cy-GB"/xml:lang="fr"/' "$cy" > fr.xml
"$bin" check fr.xml 2> fr.err
rc=$?
[ $rc -eq 0 ] || fail "check of a French report: exit $rc, want 0 (a warning)"
[ "$(grep -c ': warning: ' fr.err)" -eq 1 ] || { fail "want exactly one warning"; cat fr.err; }
grep -F 'fr.xml:9:37: warning: xml:lang="fr": quorum has no words of its own in this language' fr.err >/dev/null ||
    { fail "no warning at xml:lang"; cat fr.err; }
"$bin" check --werror fr.xml 2>/dev/null && fail "check --werror passes a language with no words"
"$bin" build fr.xml -o fr.pdf 2>/dev/null || fail "build of a French report failed"
pdftotext fr.pdf - | grep -F 'Page 1 of 1' >/dev/null || fail "French report's words not in English"

# a council's own words: a style's strings file overrides one word, the
# rest stay the shipped Welsh
cat > ours.strings.xml <<'X'
<strings xmlns="urn:quorum:strings:1" xml:lang="cy">
  <string id="page-of">Tud. {page} / {pages}</string>
</strings>
X
printf '<style xmlns="urn:quorum:style:1">\n  <strings src="ours.strings.xml"/>\n</style>\n' > ours.xml
"$bin" build cy.xml --style ./ours.xml -o ours.pdf || fail "build with a strings file failed"
pdftotext -layout ours.pdf ours.txt
grep -F 'Tud. 1 / 2' ours.txt >/dev/null || fail "the style's page words are not used"
grep -F 'Dyddiad 1 Medi 2010' ours.txt >/dev/null || fail "the shipped Welsh is lost behind the style's"

# broken strings files: errors at their places, exit 1, nothing written
inv="$root/tests/invalid/strings"
n=0
for s in "$inv"/*.style.xml; do
    n=$((n + 1))
    name=$(basename "$s" .style.xml)
    echo old > "$name.pdf"
    "$bin" build cy.xml --style "$s" -o "$name.pdf" 2> "$name.err"
    rc=$?
    [ $rc -eq 1 ] || fail "$name: exit $rc, want 1"
    [ "$(cat "$name.pdf")" = old ] || fail "$name: the old PDF was replaced"
    sed "s|^|$inv/|" "$inv/$name.expect" | sort > "$name.want"
    grep -E '^/.*: error: ' "$name.err" | sort > "$name.got"
    cmp -s "$name.want" "$name.got" || { fail "$name: diagnostics differ"; diff "$name.want" "$name.got"; }
done
[ $n -ge 3 ] || fail "only $n broken strings files"

# the bilingual example: each page's footer in the language it begins in,
# /Lang on the English part, lang= in HTML
bi="$root/docs/examples/anglesey-bilingual/report.xml"
"$bin" build "$bi" -o bi.pdf || fail "bilingual build failed"
pdftotext -f 1 -l 1 bi.pdf - | grep -F 'Tudalen 1 o 2' >/dev/null || fail "bilingual page 1 footer not Welsh"
pdftotext -f 2 -l 2 bi.pdf - | grep -F 'Page 2 of 2' >/dev/null || fail "bilingual page 2 footer not English"
qpdf --qdf --object-streams=disable bi.pdf bi.qdf.pdf
grep -a '/Lang (en-GB)' bi.qdf.pdf >/dev/null || fail "no /Lang (en-GB) in the bilingual PDF"
grep -a '/Lang (cy-GB)' bi.qdf.pdf >/dev/null || fail "no /Lang (cy-GB) in the bilingual PDF"
"$bin" build --format html "$bi" -o bi.html || fail "bilingual HTML failed"
grep -F '<section id="background" lang="en-GB"' bi.html >/dev/null ||
    grep -E '<section[^>]*lang="en-GB"' bi.html >/dev/null || fail "HTML English part lacks lang="
exit $status
