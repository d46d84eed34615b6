#!/usr/bin/env bash
# quorum publish (issue 17): each report's PDF on the site is the PDF
# `quorum build` makes of that report with the same style, byte for byte.
# The site makes it from the layout the pack made of the report (its
# structure, bookmarks and metadata made the report's own: pack_own.c),
# or lays the report out again where that cannot be done (a report in
# another language than the meeting's); both are covered, in every
# shipped style (headers, a logo, section bands) and a duplex one (blank
# pages before each report in the pack), with an XML appendix,
# a PDF appendix (pages from elsewhere) and a Welsh report in a Welsh
# meeting and in an English one (there laid out again).
#   bash html_site_pdfs.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$2 work=$3
. "$(dirname "$0")/lib.sh"
export QUORUM_FONT_DIR="$root/fonts" SOURCE_DATE_EPOCH=1737000000
fresh_workdir "$work"
mkdir in
cp "$root"/input/council-2025-01-29/*.xml in/
cp "$root/input/licensing-fees.xml" in/fees.xml
cp "$root"/tests/e2e/welsh/*.xml in/
# a report with a PDF appendix (two pages, one full-bleed)
/usr/bin/python3 - in/plan.pdf <<'PY' || { echo "FAIL: could not make the test PDF"; exit 1; }
import sys, pikepdf
p = pikepdf.new()
font = p.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                          BaseFont=pikepdf.Name.Helvetica))
for c in (b"BT /F1 12 Tf 72 700 Td (Siteplan) Tj ET",
          b"0.9 0.9 1 rg 0 0 595 842 re f BT /F1 12 Tf 72 700 Td (Fullbleed) Tj ET"):
    pg = p.add_blank_page(page_size=(595, 842))
    pg.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pg.obj.Contents = p.make_stream(c)
p.save(sys.argv[1])
PY
sed 's|title="Detailed IRP Outcomes Reporting"/>|&\n    <appendix href="plan.pdf"/>|' \
    in/report.xml > in/planned.xml
grep -F 'href="plan.pdf"' in/planned.xml >/dev/null || { echo "FAIL: fixture not made"; exit 1; }
items='<item id="fees" title="Licensing Fees" report="fees.xml"/>\n    <item id="planned" title="With a plan" report="planned.xml"/>\n    <item id="cerdyn" title="Cerdyn Sgorio" report="perfformiad.xml"/>\n    '
sed "s|<item id=\"member-questions\"|$items&|" in/meeting.xml > in/en.xml
sed 's|xml:lang="en-GB"|xml:lang="cy-GB"|' in/en.xml > in/cy.xml
grep -F 'id="cerdyn"' in/en.xml >/dev/null && grep -F 'xml:lang="cy-GB"' in/cy.xml >/dev/null ||
    { echo "FAIL: meeting fixtures not made"; exit 1; }

# a duplex style: the pack starts each report on an odd page, after a
# blank page of its own; the report's pages are the same
cat > duplex.xml <<'XML'
<style xmlns="urn:quorum:style:1" name="duplex">
  <pack blank-page="This page is intentionally left blank"/>
</style>
XML
# every style in the English meeting; the Welsh one in the built-in style
for run in en: en:committee en:northgate en:riverside "en:$PWD/duplex.xml" cy:; do
    m=${run%%:*} style=${run#*:}
    {
        site="site-$m-$(basename "${style:-builtin}" .xml)"
        opt=(); [ -n "$style" ] && opt=(--style "$style")
        "$bin" publish "in/$m.xml" -o "$site" "${opt[@]}" 2> "$site.err" ||
            { fail "publish $m ${style:-builtin} exited $?: $(head -c 400 "$site.err")"; continue; }
        for pair in irp-progress:report fees:fees planned:planned cerdyn:perfformiad; do
            id=${pair%%:*} xml=${pair#*:}
            [ -s "$site/$id.pdf" ] || { fail "$site: no $id.pdf"; continue; }
            "$bin" build "in/$xml.xml" -o "$site.$id.pdf" "${opt[@]}" 2>/dev/null ||
                { fail "build $xml ${style:-builtin} failed"; continue; }
            cmp -s "$site/$id.pdf" "$site.$id.pdf" ||
                fail "$site/$id.pdf is not the PDF build makes of $xml.xml"
        done
    }
done
exit $status
