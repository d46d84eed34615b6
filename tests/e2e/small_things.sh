#!/bin/bash
# Issue 13 need 10, the small things:
#  - <cell header="true"> heads its row: TH (scope Row) in the PDF's
#    structure (the dump's role; pdf_tags.py checks scopes), th
#    scope="row" in HTML; a table whose only headers are such cells is a
#    data table, not a layout grid of Divs;
#  - align="center" / "right" on a cell places its image as its text;
#  - the author's phone= and email= print in rows of their own where the
#    house style names their labels (<front-sheet phone-label
#    email-label>), in PDF and HTML, and not at all by default.
# usage: small_things.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
cp "$repo/styles/riverside-logo.png" x.png
front='<front-sheet>
    <field role="title" label="Report Title">Title</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
    <field role="author" label="Report Author" phone="01622 602000" email="jo.bloggs@example.gov.uk">Jo Bloggs</field>
    <field label="Wards">All</field>
  </front-sheet>'
report() { # report FILE BODY
    printf '<report xmlns="urn:quorum:report:1">\n  %s\n  <section id="s1">\n    <heading>Heading</heading>\n%s\n  </section>\n</report>\n' \
        "$front" "$2" >"$1"
}

echo "== row headers"
report rows.xml '<table>
      <row><cell header="true">Rent collected</cell><cell>98%</cell></row>
      <row><cell header="true">Voids</cell><cell>12</cell></row>
    </table>'
"$bin" dump rows.xml >rows.dump 2>rows.err || fail "dump rows.xml: $(cat rows.err)"
for w in '"Rent collected"' '"Voids"'; do
    grep -F "text TH " rows.dump | grep -F "$w" >/dev/null || fail "$w is not a TH"
done
grep -F '"98%"' rows.dump | grep -F "text TD " >/dev/null || fail "a value cell is not a TD"
grep -F "text Div " rows.dump >/dev/null && fail "a table with row headers drawn as a layout grid"
"$bin" build --format html rows.xml -o rows.html 2>rows.err || fail "html: $(cat rows.err)"
grep -F '<tr><th scope="row">Rent collected</th><td>98%</td></tr>' rows.html >/dev/null ||
    fail "HTML: no th scope=row for a header cell"

echo "== images placed by the cell's align="
report img.xml '<table>
      <row header="true"><cell>Left</cell><cell>Centred</cell><cell>Right</cell></row>
      <row><cell><image src="x.png" alt="L" width="40pt"/></cell><cell align="center"><image src="x.png" alt="C" width="40pt"/></cell><cell align="right"><image src="x.png" alt="R" width="40pt"/></cell></row>
    </table>'
"$bin" dump img.xml >img.dump 2>img.err || fail "dump img.xml: $(cat img.err)"
# x of each header text (the cell's left + padding) and each image
mapfile -t hx < <(grep -E '^  text TH .*"(Left|Centred|Right)"$' img.dump | awk '{print $4}')
mapfile -t ix < <(grep -E '^  image Figure ' img.dump | awk '{print $3}')
if [ "${#hx[@]}" -ne 3 ] || [ "${#ix[@]}" -ne 3 ]; then
    fail "want 3 header cells and 3 images: ${hx[*]} / ${ix[*]}"
else
    /usr/bin/python3 - "${hx[@]}" "${ix[@]}" <<'PY' || fail "images not placed as align= says"
import sys
h = [float(v) for v in sys.argv[1:4]]
i = [float(v) for v in sys.argv[4:7]]
pad = 4.0
inner = [(h[1] - h[0]) - 2 * pad, (h[2] - h[1]) - 2 * pad]
ok = abs(i[0] - h[0]) < 0.2                                  # left: at the text
ok &= abs(i[1] - (h[1] + (inner[0] - 40) / 2)) < 0.2         # centred in the cell
ok &= i[2] > i[1] - h[1] + h[2] and i[2] + 40 <= 538.7       # right: past the centre, inside the table
print("header x", h, "image x", i)
sys.exit(0 if ok else 1)
PY
fi

echo "== the author's phone and email, where the style says"
report contact.xml '<p>Text.</p>'
cat >contact-style.xml <<'XML'
<style xmlns="urn:quorum:style:1" name="contact">
  <front-sheet phone-label="Telephone" email-label="Email"/>
</style>
XML
"$bin" dump contact.xml >plain.dump 2>err.txt || fail "dump: $(cat err.txt)"
grep -F -e '"01622 602000"' -e 'jo.bloggs@' plain.dump >/dev/null &&
    fail "phone or email printed without the style asking"
"$bin" dump --style "$work/contact-style.xml" contact.xml >styled.dump 2>err.txt ||
    fail "dump --style: $(cat err.txt)"
got=$(grep -E '^  text T[HD] ' styled.dump | sed 's/.*"\(.*\)"$/\1/' | tr '\n' '|')
want='Report Title|Title|Date of Meeting|Wednesday, 29 January 2025|Report Author|Jo Bloggs|Telephone|01622 602000|Email|jo.bloggs@example.gov.uk|Wards|All|'
[ "$got" = "$want" ] || fail "front sheet rows: $got"
"$bin" build --format html --style "$work/contact-style.xml" contact.xml -o contact.html 2>err.txt ||
    fail "html --style: $(cat err.txt)"
grep -F '<tr><th scope="row">Telephone</th><td>01622 602000</td></tr>' contact.html >/dev/null ||
    fail "HTML: no telephone row"
grep -F '<tr><th scope="row">Email</th><td>jo.bloggs@example.gov.uk</td></tr>' contact.html >/dev/null ||
    fail "HTML: no email row"
exit $status
