#!/usr/bin/python3
"""The sample report as an officer's Word document, and the comparison of
what quorum makes of it with the sample's own PDF (issue 14).

usage: import_sample.py make REPORT.xml OUT.docx
           writes the report with python-docx as a council's paper is
           written: a Title, the front sheet as a label/value table,
           Heading 1 with typed section numbers ("3. Proposals"), typed
           paragraph numbers ("3.2 ..."), List Bullet items, "Implications
           verified by" lines, linked background documents, the form as a
           heading, a table and paragraphs, then the ratings of appendix 2
           (outcome criteria by period) as a table of shaded R/A/G cells
           under "Appendix 2" (an import keeps one file: each appendix of a
           report is its own file, so the appendix comes in as a section)
       import_sample.py compare SAMPLE.pdf IMPORTED.pdf
           the words of the sample's report pages (those before its
           "Appendix 1" page) must come in the same order in the imported
           PDF: at least 97% of them matched in order, and no run of more
           than 8 words of the sample missing
"""
import difflib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from import_docs import hyperlink

NS = "{urn:quorum:report:1}"


def text(el):
    """The text of el as the PDF prints it: refs to appendices by number."""
    out = [el.text or ""]
    for c in el:
        if c.tag == NS + "ref":
            out.append(REFS.get(c.get("to"), ""))
        else:
            out.append(text(c))
        out.append(c.tail or "")
    return re.sub(r"\s+", " ", "".join(out)).strip()


REFS = {}


def date_words(iso):
    import datetime
    d = datetime.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def make(report, out):
    import os
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    root = ET.parse(report).getroot()
    base = os.path.dirname(report)
    apps = root.findall(f"{NS}appendices/{NS}appendix")
    titles = []
    for i, a in enumerate(apps, 1):
        REFS[a.get("id")] = f"Appendix {i}"
        t = a.get("title") or ET.parse(os.path.join(base, a.get("href"))).getroot().find(
            f"{NS}title").text
        titles.append(f"{i}. {t}")
    d = docx.Document()

    def shade(cell, fill):
        pr = cell._tc.get_or_add_tcPr()
        s = OxmlElement("w:shd")
        s.set(qn("w:val"), "clear")
        s.set(qn("w:fill"), fill)
        pr.append(s)

    def header_row(row):
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    fs = root.find(f"{NS}front-sheet")
    d.add_paragraph(text(fs.find(f"{NS}heading")), style="Title")
    t = d.add_table(rows=0, cols=2)
    # identifier boxes (Agenda Item, Report No) are rows of a Word front sheet
    for f in fs.findall(f"{NS}identifiers/{NS}field") + fs.findall(f"{NS}field"):
        cells = t.add_row().cells
        cells[0].text = f.get("label")
        value = text(f) or ("\n".join(titles) if f.get("role") == "appendices" else "")
        cells[1].text = value
    section = 0
    for el in root:
        tag = el.tag[len(NS):]
        if tag not in ("section", "implication", "background-documents", "form"):
            continue
        numbered = el.get("numbered") != "false"
        if numbered:
            section += 1
        head = text(el.find(f"{NS}heading"))
        d.add_heading(f"{section}. {head}" if numbered else head, level=1)
        plain = el.get("paragraphs") == "plain" or not numbered
        para = 0

        def number():
            nonlocal para
            para += 1
            return f"{section}.{para} "
        for b in el:
            bt = b.tag[len(NS):]
            if bt == "p":
                n = "" if plain or b.get("numbered") == "false" else number()
                d.add_paragraph(n + text(b))
            elif bt == "subheading":
                d.add_heading(text(b), level=2)
            elif bt == "ul":
                for li in b.findall(f"{NS}li"):
                    d.add_paragraph(text(li), style="List Bullet")
            elif bt == "ol":
                for li in b.findall(f"{NS}li"):
                    d.add_paragraph(text(li), style="List Number")
            elif bt == "recommendations":
                d.add_paragraph(text(b.find(f"{NS}lead-in")))
                for r in b.findall(f"{NS}recommendation"):
                    d.add_paragraph(number() + text(r))
            elif bt == "table":
                rows = b.findall(f"{NS}row")
                tb = d.add_table(rows=0, cols=max(len(r.findall(f"{NS}cell")) for r in rows))
                for r in rows:
                    cells = tb.add_row().cells
                    for c, cell in zip(cells, r.findall(f"{NS}cell")):
                        c.text = text(cell)
            elif bt == "sign-off":
                d.add_paragraph(f"Implications verified by: {b.get('name')}, "
                                f"{b.get('title')}, {date_words(b.get('date'))}")
            elif bt == "document":
                hyperlink(d.add_paragraph(), b.get("href"), text(b))
            elif bt == "field":
                d.add_paragraph(f"{b.get('label')}: {text(b)}")
            elif bt == "qa":
                d.add_paragraph(text(b.find(f"{NS}question")))
                d.add_paragraph(text(b.find(f"{NS}answer")))
    # appendix 2's ratings, criterion by period, shaded as its scale says
    for a in apps:
        perf = ET.parse(os.path.join(base, a.get("href"))).getroot().find(f".//{NS}performance")
        if perf is None:
            continue
        fills = {r.get("code"): r.get("fill").lstrip("#") for r in perf.iter(f"{NS}rating")}
        periods = perf.findall(f"{NS}periods/{NS}period")
        d.add_heading(f"{REFS[a.get('id')]} – Ratings", level=1)
        tb = d.add_table(rows=1, cols=1 + len(periods))
        header_row(tb.rows[0])
        tb.rows[0].cells[0].text = "Criterion"
        for c, p in zip(tb.rows[0].cells[1:], periods):
            c.text = p.get("label")
        for o in perf.findall(f"{NS}outcome"):
            for k, cr in enumerate(o.findall(f"{NS}criterion")):
                cells = tb.add_row().cells
                cells[0].text = f"{o.get('number')}{cr.get('letter') or 'abcdefgh'[k]}"
                got = {r.get("period"): r.get("value") for r in cr.findall(f"{NS}rated")}
                for c, p in zip(cells[1:], periods):
                    v = got.get(p.get("id"))
                    if v:
                        c.text = v
                        shade(c, fills[v])
    d.save(out)


def words(pdf, last=None):
    args = ["pdftotext"] + (["-l", str(last)] if last else []) + [pdf, "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.split()


def compare(sample, imported):
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", sample], check=True, capture_output=True, text=True).stdout).group(1))
    last = pages
    for i in range(1, pages + 1):
        first = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), sample, "-"],
                               check=True, capture_output=True, text=True).stdout.split()
        if first[:2] == ["Appendix", "1"]:
            last = i - 1
            break
    a, b = words(sample, last), words(imported)
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(x.size for x in m.get_matching_blocks())
    worst = 0
    for tag, i1, i2, _, _ in m.get_opcodes():
        if tag in ("delete", "replace"):
            worst = max(worst, i2 - i1)
            if i2 - i1 > 8:
                print(f"missing: {' '.join(a[i1:i2])}")
    share = matched / len(a)
    print(f"{matched} of {len(a)} words of the sample's {last} report pages in order "
          f"({share:.1%}); longest gap {worst}")
    if share < 0.97 or worst > 8:
        sys.exit(1)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("make", "compare"):
        sys.exit(__doc__)
    (make if sys.argv[1] == "make" else compare)(sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
