"""Structure checks on the PDF written by tests/tools/dlist_pdf (pikepdf).

usage: pdf_check.py OUT.pdf EXPECTED_OUTLINE.tsv
Prints one line per failure and exits 1 if there was any."""
import sys

import pikepdf

pdf_path, outline_path = sys.argv[1], sys.argv[2]
failures = []


def fail(msg):
    failures.append(msg)


def is_page(obj):
    return isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Page"


def check_dest(where, dest):
    if not isinstance(dest, pikepdf.Array):
        fail(f"{where}: /Dest is not an array: {dest!r}")
        return
    if dest.is_indirect:
        fail(f"{where}: /Dest is an indirect object")
    if len(dest) != 5 or not is_page(dest[0]) or dest[1] != "/XYZ":
        fail(f"{where}: /Dest is not [page /XYZ left top zoom]: {dest!r}")
        return
    zoom = dest[4]
    if not (zoom is None or isinstance(zoom, pikepdf.Object) and zoom.is_null) \
            and float(zoom) == 0:
        fail(f"{where}: zoom 0")


with pikepdf.open(pdf_path) as pdf:
    root = pdf.Root
    if str(root.get("/Lang", "")) != "en-GB":
        fail(f"/Lang is {root.get('/Lang')!r}, want en-GB")
    prefs = root.get("/ViewerPreferences")
    if prefs is None or prefs.get("/DisplayDocTitle") is not True:
        fail("ViewerPreferences /DisplayDocTitle is not true")
    if root.get("/PageMode") != "/UseOutlines":
        fail(f"/PageMode is {root.get('/PageMode')!r}, want /UseOutlines")
    info = pdf.trailer.get("/Info")
    for key in ("/CreationDate", "/ModDate"):
        if info is not None and key in info:
            fail(f"info has {key} though no date was given")
    if info is None or str(info.get("/Creator", "")) != "quorum":
        fail("info /Creator is not quorum")

    # Bookmarks: titles and levels in document order, items without /Type
    # and with a direct destination.
    got = []

    def walk(item, level):
        while item is not None:
            title = str(item.get("/Title", ""))
            got.append(f"{level}\t{title}")
            if "/Type" in item:
                fail(f"bookmark {title!r} has /Type {item['/Type']!r}")
            if "/Dest" not in item:
                fail(f"bookmark {title!r} has no /Dest")
            else:
                check_dest(f"bookmark {title!r}", item["/Dest"])
            if "/First" in item:
                walk(item["/First"], level + 1)
            item = item.get("/Next")

    outlines = root.get("/Outlines")
    if outlines is None:
        fail("no /Outlines")
    else:
        walk(outlines.get("/First"), 1)
    with open(outline_path, encoding="utf-8") as f:
        want = [line.rstrip("\n") for line in f if line.strip()]
    if got != want:
        fail(f"bookmarks differ:\n got  {got}\n want {want}")

    # Links: each page has one URI link and one internal link, no border.
    for n, page in enumerate(pdf.pages, 1):
        uris, internal = 0, 0
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            border = annot.get("/Border")
            if border is not None and (len(border) < 3 or float(border[2]) != 0):
                fail(f"page {n}: link border {border!r}")
            if "/A" in annot:
                action = annot["/A"]
                if action.get("/S") == "/URI" and \
                        str(action.get("/URI")) == "https://example.org/report":
                    uris += 1
                else:
                    fail(f"page {n}: unexpected action {action!r}")
            elif "/Dest" in annot:
                check_dest(f"page {n} link", annot["/Dest"])
                if annot["/Dest"][0].objgen != pdf.pages[-1].objgen:
                    fail(f"page {n}: internal link does not go to the last page")
                internal += 1
            else:
                fail(f"page {n}: link without /A or /Dest")
        if uris != 1 or internal != 1:
            fail(f"page {n}: {uris} URI links and {internal} internal links, want 1 and 1")

    # Embedded font programs (hpdf_adapter.c tt_subset): /Length1 is the
    # program's length, every table checksum and the whole-file sum
    # (head.checkSumAdjustment) are right, 'post' is the 32-byte version 3.
    import struct

    def tt_sum(b):
        b = b + b"\0" * (-len(b) % 4)
        return sum(struct.unpack(">%dI" % (len(b) // 4), b)) & 0xFFFFFFFF

    programs = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or "/Length1" not in obj:
            continue
        programs += 1
        data = obj.read_bytes()
        if len(data) != int(obj.Length1):
            fail(f"font program: /Length1 {int(obj.Length1)}, length {len(data)}")
        ntables = struct.unpack(">H", data[4:6])[0]
        for i in range(ntables):
            tag, checksum, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            table = data[off:off + length]
            if tag == b"head":
                table = table[:8] + b"\0\0\0\0" + table[12:]
            if tt_sum(table) != checksum:
                fail(f"font program: table {tag!r} checksum")
            if tag == b"post" and (length != 32 or table[:4] != b"\0\3\0\0"):
                fail(f"font program: post table is {length} bytes, version {table[:4].hex()}")
        if tt_sum(data) != 0xB1B0AFBA:
            fail("font program: head.checkSumAdjustment is wrong")
    if programs == 0:
        fail("no embedded font program")

for msg in failures:
    print("FAIL:", msg)
sys.exit(1 if failures else 0)
