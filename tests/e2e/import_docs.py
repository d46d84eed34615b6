#!/usr/bin/python3
"""Word documents for the import tests, made here so that none is a binary
in the repository and each says what it holds.

usage: import_docs.py handbuilt OUT.docx   a package written part by part
                                           (numbering.xml, footnotes, tracked
                                           changes, fields, comments, merged
                                           and shaded cells, an image, Welsh
                                           and council style names)
       import_docs.py pydocx OUT.docx      a paper written with python-docx
       import_docs.py late OUT.docx        a paper signed off after its meeting
       import_docs.py hostile DIR          refused packages, one per file
       import_docs.py seeds DIR            small packages for the fuzz corpus
"""
import io
import os
import struct
import sys
import zipfile
import zlib

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

PKG_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{RELS}">
<Relationship Id="rId1" Type="{TYPE}officeDocument" Target="word/document.xml"/>
</Relationships>"""


def png_1x1():
    def chunk(t, d):
        c = struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
        return struct.pack(">I", len(d)) + t + d + c
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def doc_xml(body):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}" '
            f'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            f'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<w:body>{body}<w:sectPr>{SECT}</w:sectPr></w:body></w:document>')


SECT = ""  # the hand-built document's section properties (its header)


def p(text, style=None, num=None, runs=None, extra=""):
    ppr = ""
    if style or num:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr += "</w:pPr>"
    body = runs if runs is not None else f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p>{ppr}{body}{extra}</w:p>"


def r(text, b=False, i=False, va=None):
    rpr = ""
    if b or i or va:
        rpr = "<w:rPr>" + ("<w:b/>" if b else "") + ("<w:i/>" if i else "")
        rpr += f'<w:vertAlign w:val="{va}"/>' if va else ""
        rpr += "</w:rPr>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def tc(text, fill=None, span=None, vmerge=None):
    pr = ""
    if fill or span or vmerge:
        pr = "<w:tcPr>"
        pr += f'<w:gridSpan w:val="{span}"/>' if span else ""
        pr += ('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>") if vmerge else ""
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        pr += "</w:tcPr>"
    return f"<w:tc>{pr}{p(text)}</w:tc>"


def tr(cells, header=False):
    pr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{pr}{''.join(cells)}</w:tr>"


def tbl(rows, grid):
    g = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    return f"<w:tbl><w:tblGrid>{g}</w:tblGrid>{''.join(rows)}</w:tbl>"


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Teitl"><w:name w:val="Teitl"/></w:style>
<w:style w:type="paragraph" w:styleId="Pennawd1"><w:name w:val="Pennawd 1"/></w:style>
<w:style w:type="paragraph" w:styleId="CouncilSub"><w:name w:val="Council Sub Heading"/></w:style>
<w:style w:type="paragraph" w:styleId="ReportHead"><w:name w:val="Report Heading"/><w:basedOn w:val="Pennawd1"/></w:style>
<w:style w:type="paragraph" w:styleId="Para"><w:name w:val="Numbered Para"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"""

NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
  <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""

FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Local Government Act 1972, section 100D.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""

DOC_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{RELS}">
<Relationship Id="rId1" Type="{TYPE}styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="{TYPE}numbering" Target="numbering.xml"/>
<Relationship Id="rId3" Type="{TYPE}footnotes" Target="footnotes.xml"/>
<Relationship Id="rId4" Type="{TYPE}hyperlink" Target="https://example.gov.uk/plan" TargetMode="External"/>
<Relationship Id="rId5" Type="{TYPE}image" Target="media/image1.png"/>
<Relationship Id="rId6" Type="{TYPE}customXml" Target="../customXml/item1.xml"/>
</Relationships>"""

DRAWING = ('<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
           '<wp:docPr id="1" name="Picture 1" descr="Map of the ward boundaries"/>'
           '<a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rId5"/>'
           '</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def handbuilt_body():
    front = tbl([
        tr([tc("Report Title"), tc("Street Lighting Renewal")]),
        tr([tc("Date of Meeting:"), tc("Tuesday, 4 March 2025")]),
        tr([tc("Report Author"), tc("Priya Shah, Highways Manager")]),
        tr([tc("Wards Affected"), tc("(All Wards);")]),
        tr([tc("Key Decision"), tc("Yes")]),
        tr([tc("Budget Code"), tc("HW-1102")]),
    ], [3000, 6000])
    rag = tbl([
        tr([tc("Scheme"), tc("Q1"), tc("Q2")], header=True),
        tr([tc("Lanterns", vmerge="restart"), tc("", fill="00B050"), tc("Amber")]),
        tr([tc("", vmerge="continue"), tc("R"), tc("", fill="FF0000")]),
        tr([tc("Columns and brackets", span=2), tc("Green", fill="FF0000")]),
    ], [4000, 2000, 2000])
    body = [
        p("Teitl adroddiad", style="Teitl", runs=r("Report to Cabinet")),
        front,
        p("", style="Pennawd1", runs=r("1. Summary")),
        p("", style="Para", runs=r("This report proposes ") + r("renewing", b=True) +
          r(" the remaining sodium lanterns") +
          '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>' +
          r(" with LED ones", i=True) + r("2", va="superscript") + r(".")),
        p("The Cabinet is recommended to:"),
        p("", num=(3, 0), runs=r("approve the renewal programme; and")),
        p("", num=(3, 0), runs=r("delegate the award of contracts to the Director.")),
        p("", style="ReportHead", runs=r("2. Proposals")),
        p("", style="CouncilSub", runs=r("Programme")),
        p("", style="Para", runs=r("Work runs in three phases:")),
        p("", num=(2, 0), runs=r("residential streets;")),
        p("", num=(2, 1), runs=r("cul-de-sacs first;")),
        p("", num=(2, 0), runs=r("main roads.")),
        p("", style="Para", runs=r("Two options were considered:")),
        p("", num=(3, 0), runs=r("doing nothing;")),
        p("", num=(3, 0), runs=r("part-night lighting.")),
        p("", style="Para", runs=r("The plan is ") +
          '<w:hyperlink r:id="rId4"><w:r><w:t>published online</w:t></w:r></w:hyperlink>' +
          '<w:ins w:id="1" w:author="A"><w:r><w:t xml:space="preserve"> and in libraries</w:t></w:r></w:ins>' +
          '<w:del w:id="2" w:author="A"><w:r><w:delText> on paper</w:delText></w:r></w:del>' +
          r(".") + '<w:commentRangeStart w:id="0"/>'),
        p("", runs='<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
                   '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
                   '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + DRAWING),
        p("", runs='<w:r><w:pict><v:textbox xmlns:v="urn:schemas-microsoft-com:vml"><w:txbxContent>'
                   '<w:p><w:r><w:t>Boxed aside</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></w:r>'
                   '<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office"/>'
                   '</w:object></w:r>'),
        rag,
        p("", style="Pennawd1", runs=r("3. Financial Implications")),
        p("", style="Para", runs=r("The programme costs £1.2m, met from the capital budget.")),
        p("Implications verified by: Tom Reid, Senior Finance Business Partner, 17 February 2025"),
        p("", style="Pennawd1", runs=r("4. Background Documents")),
        p("", runs='<w:hyperlink r:id="rId4"><w:r><w:t>Street Lighting Plan 2024</w:t></w:r></w:hyperlink>'),
    ]
    return "".join(body)


def write_zip(path, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in parts:
            z.writestr(name, data)


def handbuilt(path):
    global SECT
    SECT = '<w:headerReference w:type="default" r:id="rId7"/>'
    body = doc_xml(handbuilt_body())
    SECT = ""
    write_zip(path, [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PKG_RELS),
        ("word/document.xml", body),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", STYLES),
        ("word/numbering.xml", NUMBERING),
        ("word/footnotes.xml", FOOTNOTES),
        ("word/media/image1.png", png_1x1()),
    ])


def minimal(body, extra=(), rels=None):
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PKG_RELS),
             ("word/document.xml", body)]
    if rels:
        parts.append(("word/_rels/document.xml.rels", rels))
    return parts + list(extra)


def hostile(d):
    os.makedirs(d, exist_ok=True)
    ok_body = doc_xml(p("", style=None, runs=r("Hello")))
    # a part that inflates past the 32 MiB limit (its size says so)
    write_zip(f"{d}/bomb-size.docx", minimal(ok_body, [("word/styles.xml", b" " * (33 << 20))]))
    # a part under the limit compressed a thousand times over
    write_zip(f"{d}/bomb-ratio.docx", minimal(ok_body, [("word/styles.xml", b" " * (4 << 20))]))
    # a part whose directory says 100 bytes and which inflates to 1 MiB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in minimal(ok_body, [("word/styles.xml", b" " * (1 << 20))]):
            z.writestr(name, data)
    raw = bytearray(buf.getvalue())
    name = b"word/styles.xml"
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := raw.find(sig, at)) >= 0:
            n_off = 30 if sig == b"PK\x03\x04" else 46
            if raw[at + n_off:at + n_off + len(name)] == name:
                raw[at + off:at + off + 4] = struct.pack("<I", 100)
            at += 4
    with open(f"{d}/bomb-lying.docx", "wb") as f:
        f.write(raw)
    write_zip(f"{d}/many-parts.docx", minimal(ok_body, [(f"p/{i}", "") for i in range(10001)]),
              zipfile.ZIP_STORED)
    write_zip(f"{d}/traversal.docx", minimal(ok_body, [("../../evil.xml", "<x/>")]))
    write_zip(f"{d}/absolute.docx", minimal(ok_body, [("/etc/evil.xml", "<x/>")]))
    rels = (f'<Relationships xmlns="{RELS}"><Relationship Id="rId9" Type="{TYPE}image" '
            f'Target="../../../etc/passwd"/></Relationships>')
    write_zip(f"{d}/rel-traversal.docx", minimal(ok_body, rels=rels))
    deep = doc_xml("<w:p>" + "<w:r>" * 300 + "</w:r>" * 300 + "</w:p>")
    write_zip(f"{d}/deep.docx", minimal(deep))
    write_zip(f"{d}/no-document.docx", [("[Content_Types].xml", CONTENT_TYPES),
                                        ("_rels/.rels", PKG_RELS)])
    write_zip(f"{d}/not-xml.docx", minimal("<w:document><w:body>"))
    with open(f"{d}/not-a-zip.docx", "w") as f:
        f.write("This is a text file called .docx\n")
    with open(f"{d}/truncated.docx", "wb") as f:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in minimal(ok_body):
                z.writestr(name, data)
        f.write(buf.getvalue()[: len(buf.getvalue()) // 2])


def hyperlink(par, url, text):
    """Appends a link to url reading text to a python-docx paragraph
    (python-docx has no call for it)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    rid = par.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                             is_external=True)
    h = OxmlElement("w:hyperlink")
    h.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    h.append(run)
    par._p.append(h)


def pydocx(path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    d.add_paragraph("Report to Planning Committee", style="Title")
    t = d.add_table(rows=0, cols=2)
    for label, value in [("Report Title", "Riverside Conservation Area Appraisal"),
                         ("Date of Meeting", "12 June 2025"),
                         ("Report Author", "Sam Okafor, Conservation Officer"),
                         ("Corporate Director", "Director of Place"),
                         ("Wards Affected", "Riverside; Old Town"),
                         ("Appendices (if any)", "None")]:
        row = t.add_row().cells
        row[0].text = label
        row[1].text = value

    d.add_heading("1. Executive Summary", level=1)
    d.add_paragraph("1.1 The appraisal describes what makes the area special "
                    "and how its character should be kept.")
    d.add_paragraph("The Committee is recommended to:")
    d.add_paragraph("1.2 adopt the appraisal as a material consideration; and")
    d.add_paragraph("1.3 agree the boundary changes in section 2.")
    d.add_heading("2. Proposals", level=1)
    par = d.add_paragraph("2.1 The boundary is drawn ")
    par.add_run("around the historic core").bold = True
    par.add_run(", as surveyed in 2024")
    sup = par.add_run("1")
    sup.font.superscript = True
    par.add_run(".")
    d.add_heading("Changes", level=2)
    d.add_paragraph("2.2 Three changes are proposed:")
    d.add_paragraph("adding the mill and its leat;", style="List Bullet")
    d.add_paragraph("the race itself;", style="List Bullet 2")
    d.add_paragraph("removing the 1970s estate.", style="List Bullet")
    tb = d.add_table(rows=1, cols=3)
    hdr = tb.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader")
    trpr.append(h)
    for c, txt in zip(hdr.cells, ["Building", "Condition", "Risk"]):
        c.text = txt
    for name, cond, risk in [("Mill", "Poor", "Red"), ("Chapel", "Fair", "A"),
                             ("Bridge", "Good", "Green")]:
        row = tb.add_row().cells
        row[0].text, row[1].text, row[2].text = name, cond, risk
    d.add_heading("3. Legal Implications", level=1)
    d.add_paragraph("3.1 Designation is under section 69 of the Planning (Listed "
                    "Buildings and Conservation Areas) Act 1990.")
    d.add_paragraph("Implications verified by: Ann Okoro, Principal Solicitor, 2 June 2025")
    d.add_heading("4. Background Documents", level=1)
    par = d.add_paragraph()
    hyperlink(par, "https://example.gov.uk/riverside-survey", "Riverside survey 2024")
    d.save(path)


def late(path):
    """A paper that imports but fails the check: signed off after its meeting."""
    body = "".join([
        tbl([tr([tc("Report Title"), tc("Late Paper")]),
             tr([tc("Date of Meeting"), tc("1 March 2025")])], [3000, 6000]),
        p("", style="Heading1", runs=r("Financial Implications")),
        p("Implications verified by: Tom Reid, Finance Partner, 3 March 2025"),
    ])
    styles = (f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Heading1">'
              f'<w:name w:val="heading 1"/></w:style></w:styles>')
    rels = (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{TYPE}styles" '
            f'Target="styles.xml"/></Relationships>')
    write_zip(path, minimal(doc_xml(body), [("word/styles.xml", styles)], rels=rels))


def seeds(d):
    os.makedirs(d, exist_ok=True)
    handbuilt(f"{d}/handbuilt.docx")
    pydocx(f"{d}/pydocx.docx")
    write_zip(f"{d}/minimal.docx", minimal(doc_xml(p("Hello"))))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    {"handbuilt": handbuilt, "pydocx": pydocx, "hostile": hostile,
     "seeds": seeds, "late": late}[sys.argv[1]](sys.argv[2])


if __name__ == "__main__":
    main()
