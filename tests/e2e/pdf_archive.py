"""Checks on quorum's archive copies (PDF/A-1b, PDF/A-3b) that PDFBox
Preflight does not make (it knows PDF/A-1 only), with pikepdf.

usage: pdf_archive.py meta PDF PART
           XMP identification (pdfaid:part PART, conformance A for a tagged
           PDF/A-3 file, else B), XMP and the
           information dictionary agree, sRGB output intent, unfiltered
           metadata, and a trailer /ID that is the MD5 of the file's content
       pdf_archive.py attach PDF FILE...
           the catalog's /AF lists exactly FILE... (in order) as sources:
           /Filespec, base names, /AFRelationship /Source, MIME type
           (text/xml, image/png for .png), size, MD5 checksum, the bytes;
           the name tree agrees
       pdf_archive.py attach-tail PDF FILE...
           the same checks for FILE..., which must be the last entries of
           /AF in that order (the house style's files follow the sources)
       pdf_archive.py png OUT ALPHA
           writes a small 8-bit PNG, RGBA when ALPHA is 1, else RGB
       pdf_archive.py smask PDF WANT
           the one image XObject has a /SMask (WANT 1) or has none (WANT 0)
       pdf_archive.py rename PDF OUT NAME
           writes OUT: PDF with its first attachment renamed to NAME (a
           hostile file for quorum extract)
Prints one line per failure and exits 1 if there was any."""
import hashlib
import os
import re
import sys

import pikepdf

failures = []


def fail(msg):
    failures.append(msg)


def text(v):
    return None if v is None else str(v)


def xmp_date(pdf_date):
    # D:20250305000000+00'00'  ->  2025-03-05T00:00:00+00:00
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'",
                     pdf_date)
    if not m:
        fail(f"info date {pdf_date!r} is not in the archive form")
        return None
    g = m.groups()
    return f"{g[0]}-{g[1]}-{g[2]}T{g[3]}:{g[4]}:{g[5]}{g[6]}{g[7]}:{g[8]}"


def check_meta(path, part):
    raw = open(path, "rb").read()
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        md = root.get("/Metadata")
        if md is None:
            fail("no /Metadata in the catalog")
            return
        version = raw[5:8].decode("latin-1")
        if version != ("1.4" if part == "1" else "1.7"):
            fail(f"PDF/A-{part} file is PDF {version}")
        if "/Filter" in md:
            fail("the metadata stream is filtered (PDF/A-1 forbids it)")
        xml = md.read_bytes()
        if not xml.startswith(b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'):
            fail("XMP does not start with the xpacket header")
        meta = pdf.open_metadata()
        if text(meta.get("pdfaid:part")) != part:
            fail(f"pdfaid:part is {meta.get('pdfaid:part')!r}, want {part}")
        tagged = "/StructTreeRoot" in root and "/MarkInfo" in root
        # level A (accessible) for tagged PDF/A-2 and -3; PDF/A-1b stays B
        want = "A" if part in ("2", "3") and tagged else "B"
        if text(meta.get("pdfaid:conformance")) != want:
            fail(f"pdfaid:conformance is {meta.get('pdfaid:conformance')!r}, want {want}")
        info = pdf.trailer.get("/Info")
        if info is None:
            fail("no information dictionary")
            return
        pairs = [("/Title", "dc:title"), ("/Subject", "dc:description"),
                 ("/Keywords", "pdf:Keywords"), ("/Producer", "pdf:Producer"),
                 ("/Creator", "xmp:CreatorTool")]
        for key, prop in pairs:
            a, b = text(info.get(key)), text(meta.get(prop))
            if a != b:
                fail(f"info {key} {a!r} but XMP {prop} {b!r}")
        author = text(info.get("/Author"))
        creators = meta.get("dc:creator")
        if author is None:
            if creators:
                fail(f"XMP dc:creator {creators!r} without info /Author")
        elif not creators or len(creators) != 1 or creators[0] != author:
            fail(f"info /Author {author!r} but XMP dc:creator {creators!r}")
        for key, prop in (("/CreationDate", "xmp:CreateDate"),
                          ("/ModDate", "xmp:ModifyDate")):
            a, b = text(info.get(key)), text(meta.get(prop))
            if (a is None) != (b is None):
                fail(f"info {key} {a!r} but XMP {prop} {b!r}")
            elif a is not None and xmp_date(a) != b:
                fail(f"info {key} {a!r} does not match XMP {prop} {b!r}")
        lang = text(root.get("/Lang"))
        langs = meta.get("dc:language")
        if not lang or not langs or lang not in langs:
            fail(f"catalog /Lang {lang!r} but XMP dc:language {langs!r}")

        intents = root.get("/OutputIntents")
        if intents is None or len(intents) != 1:
            fail(f"want one output intent, got {intents!r}")
        else:
            oi = intents[0]
            if oi.get("/S") != "/GTS_PDFA1":
                fail(f"output intent /S is {oi.get('/S')!r}")
            prof = oi.get("/DestOutputProfile")
            data = prof.read_bytes() if prof is not None else b""
            if prof is None or int(prof.get("/N", 0)) != 3 or data[36:40] != b"acsp" \
                    or data[16:20] != b"RGB ":
                fail("the output intent's profile is not an RGB ICC profile")

        ident = pdf.trailer.get("/ID")
        if ident is None or len(ident) != 2:
            fail(f"trailer /ID is {ident!r}")
            return
        a, b = bytes(ident[0]), bytes(ident[1])
        if a != b or len(a) != 16:
            fail(f"trailer /ID entries {a.hex()} {b.hex()}")
    # The ID is an MD5 of the file as written with quorum's placeholder
    # in its place: derived from the content, not from a clock.
    hexid = a.hex().upper().encode()
    placeholder = b"quorum-id-pend!!".hex().upper().encode()
    if raw.count(b"<" + hexid + b">") != 2:
        fail("the /ID is not written where expected")
    else:
        tail = raw.rfind(b"trailer")
        if tail < 0:  # PDF/A-2 and -3: the xref stream's dict holds /ID
            last = raw.rfind(b"<" + hexid + b">")
            tail = raw.rfind(b"<" + hexid + b">", 0, last)
        body = raw[:tail] + raw[tail:].replace(hexid, placeholder)
        if hashlib.md5(body).digest() != a:
            fail("the /ID is not the MD5 of the content")


MIME = {".xml": "/text/xml", ".png": "/image/png", ".jpg": "/image/jpeg"}


def check_spec(spec, f):
    name = os.path.basename(f)
    want = open(f, "rb").read()
    if spec.get("/Type") != "/Filespec":
        fail(f"{name}: /Type is {spec.get('/Type')!r}, want /Filespec")
    for key in ("/F", "/UF"):
        if text(spec.get(key)) != name:
            fail(f"{name}: {key} is {spec.get(key)!r}")
    if spec.get("/AFRelationship") != "/Source":
        fail(f"{name}: /AFRelationship is {spec.get('/AFRelationship')!r}")
    ef = spec.get("/EF")
    stream = ef.get("/F") if ef is not None else None
    if stream is None:
        fail(f"{name}: no /EF /F stream")
        return
    if stream.get("/Type") != "/EmbeddedFile":
        fail(f"{name}: stream /Type {stream.get('/Type')!r}")
    mime = MIME.get(os.path.splitext(name)[1], "/application/octet-stream")
    if stream.get("/Subtype") != mime:
        fail(f"{name}: MIME type {stream.get('/Subtype')!r}, want {mime}")
    params = stream.get("/Params")
    if params is None or int(params.get("/Size", -1)) != len(want):
        fail(f"{name}: /Params /Size wrong")
    elif bytes(params.get("/CheckSum", b"")) != hashlib.md5(want).digest():
        fail(f"{name}: /Params /CheckSum is not the MD5 of the file")
    if stream.read_bytes() != want:
        fail(f"{name}: embedded bytes differ from the file")


def check_attach(path, files, tail=False):
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        af = root.get("/AF")
        if af is None:
            fail("no /AF array in the catalog")
            return
        specs = list(af)
        if tail:
            if len(specs) < len(files):
                fail(f"/AF has {len(specs)} entries, want at least {len(files)}")
            specs = specs[len(specs) - len(files):]
        elif len(specs) != len(files):
            fail(f"/AF has {len(specs)} entries, want {len(files)}")
        for spec, f in zip(specs, files):
            check_spec(spec, f)
        tree = root.get("/Names", {}).get("/EmbeddedFiles")
        if tree is None:
            fail("no /Names /EmbeddedFiles tree")
            return
        kv = tree.get("/Names")
        keys = [bytes(kv[i]) for i in range(0, len(kv), 2)]
        if keys != sorted(keys):
            fail(f"name tree keys not sorted: {keys!r}")
        names = [os.path.basename(f).encode() for f in files]
        if tail:
            missing = [n for n in names if n not in keys]
            if missing or len(keys) != len(af):
                fail(f"name tree keys {keys!r} (want {missing!r} among them, "
                     f"one per /AF entry)")
        elif sorted(keys) != sorted(names):
            fail(f"name tree keys {keys!r}")
        for i in range(1, len(kv), 2):
            if kv[i].objgen not in [s.objgen for s in af]:
                fail("a name tree entry is not in /AF")


def rename(path, out, name):
    with pikepdf.open(path) as pdf:
        spec = pdf.Root.AF[0]
        spec.F = pikepdf.String(name)
        spec.UF = pikepdf.String(name)
        pdf.save(out, compress_streams=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)


def png(out, alpha):
    import struct
    import zlib
    w = h = 16
    ch = 4 if alpha else 3
    rows = b"".join(
        b"\0" + b"".join(bytes((x * 16, y * 16, 128, x * y)[:ch]) for x in range(w))
        for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0)
    open(out, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                          chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def smask(path, want):
    with pikepdf.open(path) as pdf:
        drawn = []
        for page in pdf.pages:
            xobjects = page.Resources.get("/XObject", {})
            drawn.extend(xobjects[k] for k in xobjects.keys())
        if len(drawn) != 1:
            fail(f"want one image drawn, got {len(drawn)}")
            return
        has = "/SMask" in drawn[0]
        if has != (want == "1"):
            fail(f"image /SMask present: {has}, want {want == '1'}")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "meta":
        check_meta(sys.argv[2], sys.argv[3])
    elif mode == "attach":
        check_attach(sys.argv[2], sys.argv[3:])
    elif mode == "attach-tail":
        check_attach(sys.argv[2], sys.argv[3:], tail=True)
    elif mode == "png":
        png(sys.argv[2], sys.argv[3] == "1")
    elif mode == "smask":
        smask(sys.argv[2], sys.argv[3])
    elif mode == "rename":
        rename(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown mode {mode}")
    for f in failures:
        print(f"FAIL: {f}")
    sys.exit(1 if failures else 0)
