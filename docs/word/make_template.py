#!/usr/bin/python3
"""Writes quorum's Word template for report authors (docs/word-template.md):
a committee paper whose every style maps one to one onto the report format,
so that `quorum import` of a document written in it is exact.

usage: make_template.py OUT.docx

The same command gives the same bytes (python-docx's package with fixed
document dates, rewritten with fixed zip entry times in a fixed order):
the template is made, not kept, and anyone can check a copy against it.
Needs python3-docx (Debian).
"""
import datetime
import io
import sys
import zipfile

import docx

# What each part of the paper is written with, and what it becomes.
FRONT_SHEET = [
    ("Report Title", "Title of the report"),
    ("Date of Meeting", "29 January 2025"),
    ("Report Author", "Name, Job Title"),
    ("Corporate Director", "Director of …"),
    ("Lead Cabinet Member(s)", "Cabinet Member for …"),
    ("Wards Affected", "(All Wards);"),
    ("Key Decision", "No"),
    ("Appendices (if any)", "None"),
]
IMPLICATIONS = ["Financial Implications", "Legal Implications", "Risks",
                "Equality and Diversity Implications"]


def template():
    d = docx.Document()
    d.core_properties.title = "quorum committee report template"
    d.core_properties.author = "quorum"
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2025, 1, 1)
    d.core_properties.last_modified_by = "quorum"
    d.core_properties.revision = 1
    d.add_paragraph("Report to Committee", style="Title")
    t = d.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for label, value in FRONT_SHEET:
        cells = t.add_row().cells
        cells[0].text = label
        cells[1].text = value
    d.add_heading("1. Executive Summary", level=1)
    d.add_paragraph("A summary paragraph without a number (type none).")
    d.add_heading("Recommendations", level=2)
    d.add_paragraph("The Committee is recommended to:")
    d.add_paragraph("1.1 note … (type each recommendation's number); and")
    d.add_paragraph("1.2 agree … .")
    d.add_heading("2. Proposals", level=1)
    d.add_paragraph("2.1 Each numbered paragraph starts with its number, a space, "
                    "then the text.")
    d.add_heading("A subheading (Heading 2)", level=2)
    d.add_paragraph("2.2 Lists use List Bullet (List Bullet 2 one level in) or "
                    "List Number:")
    d.add_paragraph("a bulleted item;", style="List Bullet")
    d.add_paragraph("an item one level in;", style="List Bullet 2")
    d.add_paragraph("the last item.", style="List Bullet")
    d.add_paragraph("2.3 A table's first row repeats as its header (Table Properties, "
                    "Row, Repeat as header row); a cell rated Red, Amber or Green "
                    "says R, A or G:")
    tb = d.add_table(rows=2, cols=2)
    tb.style = "Table Grid"
    tb.rows[0]._tr.get_or_add_trPr().append(docx.oxml.OxmlElement("w:tblHeader"))
    tb.rows[0].cells[0].text, tb.rows[0].cells[1].text = "Measure", "Rating"
    tb.rows[1].cells[0].text, tb.rows[1].cells[1].text = "An example", "G"
    for i, head in enumerate(IMPLICATIONS, 3):
        d.add_heading(f"{i}. {head}", level=1)
        d.add_paragraph(f"{i}.1 What the {head.lower()} are.")
        d.add_paragraph("Implications verified by: Name, Job Title, 8 January 2025")
    d.add_heading(f"{len(IMPLICATIONS) + 3}. Background Documents", level=1)
    d.add_paragraph("Each background document on its own line (link it where it "
                    "is published).")
    return d


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    buf = io.BytesIO()
    template().save(buf)
    # fixed entry times and order: the same bytes from every run
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as out:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, src.read(name))


if __name__ == "__main__":
    main()
