#!/usr/bin/env bash
# PDF items (issue 15) from producers other than those pack_pdf_items.sh
# uses, made here with pikepdf: a tagged PDF whose first heading has a
# role of its own (/Title1, which its role map makes /H1) and whose other
# headings are unnumbered (/H, their level their nesting in Sects), and an
# untagged PDF whose title is only in its XMP (dc:title; no document
# information /Title).  In the pack, the role-mapped heading and the /H's
# become numbered headings one level below the item's "Agenda Item N"
# (PDF/UA does not mix /H with /H1-/H6), so they nest as the PDF's
# bookmarks do under the item's (pdf_ua.py heading-outline); the item
# that gives no title takes the XMP's, entities read, in the agenda and
# its bookmark.  Two reports with the same PDF appendix (plan.pdf, a copy
# of the tagged one) each get its pages, tagged, and its tree.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 src=$2 work=$3
here=$src/tests/e2e
py=/usr/bin/python3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000

$py - <<'PY' || { echo "FAIL: could not make the test PDFs"; exit 1; }
import pikepdf
from pikepdf import Array, Dictionary, Name

def page_of(p, text):
    font = p.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                      BaseFont=Name.Helvetica))
    pg = p.add_blank_page(page_size=(595, 842))
    pg.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    pg.obj.Contents = p.make_stream(text)
    return pg

# statement.pdf: Document[Title1 P Sect[H P Sect[H]]], one page
p = pikepdf.new()
lines = [("Title1", 18, "Annual Governance Statement 2024/25"), ("P", 11, "Statement first page."),
         ("H", 14, "Part One: Scope"), ("P", 11, "Part one text."), ("H", 12, "Detail of Scope")]
ops = b"".join(b"/%s <</MCID %d>> BDC BT /F1 %d Tf 72 %d Td (%s) Tj ET EMC\n"
               % (role.encode(), i, size, 720 - 40 * i, text.encode())
               for i, (role, size, text) in enumerate(lines))
pg = page_of(p, ops)
pg.obj.StructParents = 0
def elem(role, parent, kids):
    e = p.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent,
                                   Pg=pg.obj, K=Array(kids)))
    for k in kids:
        if isinstance(k, Dictionary):
            k.P = e
    return e
root = p.make_indirect(Dictionary(Type=Name.StructTreeRoot))
mc = [elem(role, root, [i]) for i, (role, _, _) in enumerate(lines)]
inner = elem("Sect", root, [mc[4]])
outer = elem("Sect", root, [mc[2], mc[3], inner])
doc = elem("Document", root, [mc[0], mc[1], outer])
root.K = doc
root.RoleMap = Dictionary(Title1=Name.H1)
root.ParentTree = p.make_indirect(Dictionary(Nums=Array([0, Array(mc)])))
root.ParentTreeNextKey = 1
p.Root.StructTreeRoot = root
p.Root.MarkInfo = Dictionary(Marked=True)
p.Root.Lang = pikepdf.String("en-GB")
with p.open_outline() as o:
    top = pikepdf.OutlineItem("Annual Governance Statement 2024/25", 0)
    part = pikepdf.OutlineItem("Part One: Scope", 0)
    part.children.append(pikepdf.OutlineItem("Detail of Scope", 0))
    o.root.extend([top, part])
p.save("statement.pdf")

# treasury.pdf: untagged, its title in XMP alone
p = pikepdf.new()
page_of(p, b"BT /F1 12 Tf 72 720 Td (Treasury first page) Tj ET")
with p.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as m:
    m["dc:title"] = "Treasury Management Strategy 2025/26 & Prudential Indicators"
if "/Title" in p.docinfo:
    del p.docinfo["/Title"]
p.save("treasury.pdf")
PY
pdfinfo treasury.pdf | grep "^Title:" >/dev/null && fail "treasury.pdf has an Info /Title"
pdfinfo -meta treasury.pdf | grep "Treasury Management Strategy 2025/26 &amp; Prudential" >/dev/null ||
    fail "treasury.pdf's XMP has no escaped title: $(pdfinfo -meta treasury.pdf | head -20)"

cp statement.pdf plan.pdf
for site in a b; do
    cat >"site-$site.xml" <<XML
<report xmlns="urn:quorum:report:1" xml:lang="en-GB">
  <front-sheet>
    <heading>Report to Planning Committee</heading>
    <field role="title" label="Report Title">Site $site</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
  <section id="intro">
    <heading>Introduction</heading>
    <p>The plan of site $site is the appendix.</p>
  </section>
  <appendices>
    <appendix href="plan.pdf" title="Site plan"/>
  </appendices>
</report>
XML
done
meeting_file meeting.xml '    <item id="apologies" title="Apologies for Absence"/>
    <item id="statement" title="Annual Governance Statement" report="statement.pdf"/>
    <item id="treasury" report="treasury.pdf"/>
    <item id="site-a" title="Site A" report="site-a.xml"/>
    <item id="site-b" title="Site B" report="site-b.xml"/>'
timeout 60 "$quorum" pack meeting.xml -o pack.pdf >pack.out 2>&1 || fail "pack failed: $(cat pack.out)"
qpdf --check pack.pdf >qpdf.out 2>&1 || fail "qpdf --check: $(cat qpdf.out)"

# the role-mapped heading and the unnumbered ones, numbered under the item
pdfinfo -struct-text pack.pdf >struct.txt 2>&1 || fail "pdfinfo -struct-text failed"
heading_over struct.txt "Agenda Item 2" 1 "Annual Governance Statement 2024/25"
heading_over struct.txt "Part One: Scope" 2 "Detail of Scope"
grep -E '^ *(H|Title1) ' struct.txt && fail "an /H or /Title1 is left in the pack's tree (above)"
# the statement's tree three times: item 2, and plan.pdf in items 4 and 5
[ "$(grep -c '^ *"Detail of Scope"$' struct.txt)" = 3 ] ||
    fail "the tagged PDF's tree is not in the pack once for each use"
heading_over struct.txt "Appendix 1" 2 "Annual Governance Statement 2024/25"
# the fonts are the standard 14, not embedded: that rule is not this test's
$py "$here/pdf_ua.py" check pack.pdf ~fonts >ua.out 2>&1 || fail "pdf_ua.py: $(cat ua.out)"
tags_but_untagged pack.pdf 1 # treasury.pdf's page

# the XMP title: the agenda's entry and the bookmark of the item without one
title="Treasury Management Strategy 2025/26 & Prudential Indicators"
pdftotext -f 2 -l 2 pack.pdf - | tr -s ' \n' ' ' | grep -F "$title" >/dev/null ||
    fail "the agenda does not name item 3 by its XMP title: $(pdftotext -f 2 -l 2 pack.pdf - | head -40)"
$py - pack.pdf "3. $title" <<'PY' || fail "no bookmark with the XMP title"
import sys, pikepdf
with pikepdf.open(sys.argv[1]).open_outline() as o:
    titles = [x.title for x in o.root]
sys.exit(0 if sys.argv[2] in titles else "bookmarks: %r" % titles)
PY
exit $status
