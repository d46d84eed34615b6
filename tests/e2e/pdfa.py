"""PDF/A-1, -2 and -3 rules that can be stated mechanically (issue 16),
beside pdf_ua.py's PDF/UA-1 rules; pdfa.sh runs both on every output.

  pdfa.py check FILE.pdf [RULE ...]     every rule (or those named)
  pdfa.py break RULE IN.pdf OUT.pdf     a copy of IN that RULE must reject
                                        (the self-tests; identity-level
                                        breaks level A, langs the tree's
                                        languages)
  pdfa.py langs FILE.pdf SOURCE.xml     every xml:lang of the source that
                                        differs from its root's is the /Lang
                                        of a structure element

Rules (a file without pdfaid claims nothing, and only the rules that hold
for any PDF apply: lang, cidset, attachments):
  identity     the XMP's pdfaid:part is 1, 2 or 3 and pdfaid:conformance
               A or B (or U from part 2), and the file is what it claims:
               PDF 1.4 at most for part 1, 1.7 at most else; an sRGB
               GTS_PDFA1 output intent; a trailer /ID; no /Encrypt;
               level A (and U) only with a ToUnicode map on every font,
               level A only for a marked (/MarkInfo /Marked true) tagged
               file with a catalog /Lang; pdfuaid claimed only by a tagged
               file, and described by an extension schema when pdfaid is
               there too (PDF/A knows no other namespace)
  lang         the catalog has /Lang, and the XMP's dc:language holds it
  cidset       a composite font's /CIDSet, required for subsets in part 1,
               optional from part 2, names every CID whose glyph the
               embedded program holds and every CID the pages show
  attachments  an embedded file only in part 3 (in part 2 only PDF/A, none
               in part 1); each file specification has /F and /UF, an
               /AFRelationship ISO 32000-2 knows, is listed in an /AF
               array, and its stream has /Type /EmbeddedFile, a MIME type
               as /Subtype and /Params /ModDate; every /AF entry is a
               file specification
  objects      what PDF/A forbids of the objects a reader acts on: no /AA,
               only the actions PDF/A-2 allows (JavaScript, Launch, ...
               are not), Named ones only to move between pages; every
               annotation printed (/F Print set; not Hidden, Invisible or
               NoView), of a kind PDF/A allows, and from part 2 with an
               appearance of its own (/AP with /N only) unless a Link or
               Popup; images without /Interpolate true, /Alternates, /OPI;
               graphics states without /TR, /HTP; part 1 also without
               transparency: no /SMask, /CA or /ca below 1, other blend
               modes or page transparency groups
Exit status 1 with one line per problem."""
import re
import struct
import sys

import pikepdf

from pdf_ua import codes_of, elems, font_encoding  # the tree's walk; codes to CIDs

RULES = ["identity", "lang", "cidset", "attachments", "objects"]
ACTIONS = {"/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/Named", "/SubmitForm"}
NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
NO_ANNOTS = {"/Sound", "/Movie", "/3D", "/Screen", "/RichMedia", "/TrapNet"}
RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement",
                 "/EncryptedPayload", "/FormData", "/Schema", "/Unspecified"}
SUBSET = re.compile(r"/?[A-Z]{6}\+")


def claim(pdf):
    """(part, conformance) from the XMP's pdfaid, or (None, None)."""
    if "/Metadata" not in pdf.Root:
        return None, None
    meta = pdf.open_metadata()
    p, c = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    return (str(p) if p is not None else None, str(c) if c is not None else None)


def fonts_of(pdf):
    """Every font the pages use, once: (name, font dictionary)."""
    seen = {}
    for page in pdf.pages:
        for name, f in page.Resources.get("/Font", {}).items():
            seen.setdefault(f.objgen, (str(f.get("/BaseFont", name)), f))
    return list(seen.values())


def rule_identity(pdf, probs, raw):
    part, conf = claim(pdf)
    if part is None and conf is None:
        return
    if part not in ("1", "2", "3"):
        probs.append("pdfaid:part is %r" % part)
        return
    if conf not in (("A", "B") if part == "1" else ("A", "B", "U")):
        probs.append("pdfaid:conformance %r with part %s" % (conf, part))
    version = raw[5:8].decode("latin-1")
    limit = "1.4" if part == "1" else "1.7"
    if version > limit:
        probs.append("PDF/A-%s file is PDF %s (at most %s)" % (part, version, limit))
    intents = pdf.Root.get("/OutputIntents", [])
    if not any(str(i.get("/S")) == "/GTS_PDFA1" and "/DestOutputProfile" in i
               for i in intents):
        probs.append("no GTS_PDFA1 output intent with a profile")
    if "/ID" not in pdf.trailer:
        probs.append("no trailer /ID")
    if "/Encrypt" in pdf.trailer:
        probs.append("the file is encrypted")
    if conf in ("A", "U"):
        for base, f in fonts_of(pdf):
            if "/ToUnicode" not in f:
                probs.append("level %s, but font %s has no ToUnicode" % (conf, base))
    tagged = "/StructTreeRoot" in pdf.Root
    if conf == "A":
        mark = pdf.Root.get("/MarkInfo", {})
        if not tagged or not bool(mark.get("/Marked", False)):
            probs.append("level A, but the file is not a marked tagged PDF")
        if not str(pdf.Root.get("/Lang", "")):
            probs.append("level A, but the catalog has no /Lang")
    xmp = pdf.Root.Metadata.read_bytes()
    if b"pdfuaid:part" in xmp:
        if not tagged:
            probs.append("pdfuaid claimed by an untagged file")
        if b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" not in xmp:
            probs.append("pdfuaid is used but no extension schema describes it")


def rule_lang(pdf, probs, raw):
    lang = str(pdf.Root.get("/Lang", ""))
    if not lang:
        probs.append("the catalog has no /Lang")
        return
    if "/Metadata" in pdf.Root:
        langs = pdf.open_metadata().get("dc:language")
        if langs is not None and lang not in langs:
            probs.append("catalog /Lang %s is not in the XMP's dc:language %r"
                         % (lang, langs))


def u16(b, at):
    return struct.unpack(">H", b[at:at + 2])[0]


def glyphs_with_outline(prog):
    """The glyph ids of a TrueType program whose outline is not empty."""
    tabs = {}
    for i in range(u16(prog, 4)):
        tag, _, off, ln = struct.unpack(">4sIII", prog[12 + 16 * i:28 + 16 * i])
        tabs[tag] = off
    if b"loca" not in tabs or b"head" not in tabs or b"maxp" not in tabs:
        return None
    n = u16(prog, tabs[b"maxp"] + 4)
    long_form = u16(prog, tabs[b"head"] + 50) == 1
    at = tabs[b"loca"]
    if long_form:
        offs = struct.unpack(">%dI" % (n + 1), prog[at:at + 4 * (n + 1)])
    else:
        offs = [2 * x for x in struct.unpack(">%dH" % (n + 1), prog[at:at + 2 * (n + 1)])]
    return {g for g in range(n) if offs[g + 1] > offs[g]}


def shown_cids(pdf):
    """font objgen -> the CIDs the pages show (through the font's CMap)."""
    out = {}
    encs = {}
    for page in pdf.pages:
        res = page.Resources.get("/Font", {})
        cur = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "Tf":
                f = res.get(str(operands[0]))
                cur = f.objgen if f is not None and str(f.Subtype) == "/Type0" else None
                if cur is not None and cur not in encs:
                    encs[cur] = font_encoding(f)
            elif op in ("Tj", "TJ", "'", '"') and cur is not None:
                width, cids = encs[cur]
                strs = operands[0] if op == "TJ" else [operands[-1]]
                for s in strs:
                    if isinstance(s, pikepdf.String):
                        out.setdefault(cur, set()).update(
                            c if cids is None else cids.get(c, 0)
                            for c in codes_of(bytes(s), width))
    return out


def rule_cidset(pdf, probs, raw):
    part, _ = claim(pdf)
    shown = None   # read the pages only when a font has a CIDSet
    for base, f in fonts_of(pdf):
        if str(f.get("/Subtype")) != "/Type0":
            continue
        desc = f.DescendantFonts[0]
        fd = desc.get("/FontDescriptor")
        if fd is None:
            continue
        if "/CIDSet" not in fd:
            if part == "1" and SUBSET.match(base):
                probs.append("PDF/A-1: subset font %s has no /CIDSet" % base)
            continue
        bits = fd.CIDSet.read_bytes()
        def on(c):
            return c // 8 < len(bits) and bits[c // 8] & (0x80 >> (c % 8))
        if shown is None:
            shown = shown_cids(pdf)
        want = set(shown.get(f.objgen, ()))
        c2g = desc.get("/CIDToGIDMap")
        prog = fd.get("/FontFile2")
        if prog is not None:
            kept = glyphs_with_outline(prog.read_bytes()) or set()
            if isinstance(c2g, pikepdf.Stream):
                m = c2g.read_bytes()
                # a code mapped to glyph 0 (.notdef) is no glyph of its own
                gid = [m[2 * c] << 8 | m[2 * c + 1] for c in range(len(m) // 2)]
                want |= {c for c, g in enumerate(gid) if g in kept and (g or not c)}
            else:  # /Identity
                want |= kept
        missing = sorted(c for c in want if not on(c))
        if missing:
            probs.append("font %s: /CIDSet lacks %d CIDs of its program or pages (%s)"
                         % (base, len(missing), ", ".join("%d" % c for c in missing[:5])))


def name_tree_values(node):
    out = []
    names = node.get("/Names")
    if names is not None:
        out.extend(names[i] for i in range(1, len(names), 2))
    for kid in node.get("/Kids", []):
        out.extend(name_tree_values(kid))
    return out


def rule_attachments(pdf, probs, raw):
    part, _ = claim(pdf)
    tree = pdf.Root.get("/Names", {}).get("/EmbeddedFiles")
    specs = name_tree_values(tree) if tree is not None else []
    af = list(pdf.Root.get("/AF", []))
    for page in pdf.pages:
        af.extend(page.obj.get("/AF", []))
    listed = {s.objgen for s in af if isinstance(s, pikepdf.Dictionary)}
    for s in af:
        if not isinstance(s, pikepdf.Dictionary) or str(s.get("/Type")) != "/Filespec":
            probs.append("an /AF entry is not a file specification")
    for s in specs:
        name = str(s.get("/UF", s.get("/F", "?")))
        for k in ("/F", "/UF"):
            if k not in s:
                probs.append("attachment %s has no %s" % (name, k))
        rel = str(s.get("/AFRelationship", ""))
        if rel not in RELATIONSHIPS:
            probs.append("attachment %s has /AFRelationship %r" % (name, rel or None))
        if s.objgen not in listed:
            probs.append("attachment %s is in no /AF array" % name)
        ef = s.get("/EF", {}).get("/F")
        if ef is None:
            probs.append("attachment %s has no embedded file stream" % name)
            continue
        mime = str(ef.get("/Subtype", ""))
        if str(ef.get("/Type", "")) != "/EmbeddedFile":
            probs.append("attachment %s: stream is not /Type /EmbeddedFile" % name)
        if not re.fullmatch(r"/[a-z]+(#2F|/)[-+.\w]+", mime):
            probs.append("attachment %s: /Subtype %r is not a MIME type" % (name, mime))
        if "/ModDate" not in ef.get("/Params", {}):
            probs.append("attachment %s: no /Params /ModDate" % name)
        if part == "1" or (part == "2" and mime not in ("/application#2Fpdf",
                                                        "/application/pdf")):
            probs.append("PDF/A-%s holds attachment %s (%s)" % (part, name, mime))


def rule_objects(pdf, probs, raw):
    part, _ = claim(pdf)
    if part is None:
        return
    def action(a, where):
        while isinstance(a, pikepdf.Dictionary):
            s = str(a.get("/S", ""))
            if s not in ACTIONS:
                probs.append("%s: action %s" % (where, s))
            elif s == "/Named" and str(a.get("/N", "")) not in NAMED:
                probs.append("%s: named action %s" % (where, a.get("/N")))
            a = a.get("/Next")   # an array of next actions is not followed
    if "/AA" in pdf.Root:
        probs.append("the catalog has /AA")
    action(pdf.Root.get("/OpenAction"), "the catalog's /OpenAction")
    item = pdf.Root.get("/Outlines", {}).get("/First")
    stack = [item] if item is not None else []
    while stack:
        o = stack.pop()
        action(o.get("/A"), "a bookmark")
        stack.extend(x for x in (o.get("/Next"), o.get("/First")) if x is not None)
    for pno, page in enumerate(pdf.pages, 1):
        if "/AA" in page.obj:
            probs.append("page %d has /AA" % pno)
        group = page.obj.get("/Group")
        if part == "1" and group is not None and str(group.get("/S")) == "/Transparency":
            probs.append("page %d: a transparency group in PDF/A-1" % pno)
        for a in page.obj.get("/Annots", []):
            sub = str(a.get("/Subtype", ""))
            where = "page %d: %s annotation" % (pno, sub)
            flags = int(a.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32 | 256):
                probs.append("%s with /F %d (want Print, not hidden)" % (where, flags))
            if sub in NO_ANNOTS or (sub == "/FileAttachment" and part != "3"):
                probs.append(where + " is not allowed")
            if "/AA" in a:
                probs.append(where + " has /AA")
            action(a.get("/A"), where)
            rect = [float(x) for x in a.get("/Rect", [0, 0, 0, 0])]
            area = (rect[2] - rect[0]) * (rect[3] - rect[1])
            ap = a.get("/AP")
            if part != "1" and sub not in ("/Link", "/Popup") and area and ap is None:
                probs.append(where + " has no appearance")
            if ap is not None and set(ap.keys()) != {"/N"}:
                probs.append("%s: /AP has %s" % (where, sorted(ap.keys())))
        res = [page.Resources]
        seen = set()
        while res:
            r = res.pop()
            for name, x in r.get("/XObject", {}).items():
                if x.objgen in seen:
                    continue
                seen.add(x.objgen)
                st = str(x.get("/Subtype", ""))
                if st == "/Image":
                    if bool(x.get("/Interpolate", False)):
                        probs.append("page %d: image %s has /Interpolate true" % (pno, name))
                    for k in ("/Alternates", "/OPI"):
                        if k in x:
                            probs.append("page %d: image %s has %s" % (pno, name, k))
                    if part == "1" and "/SMask" in x:
                        probs.append("page %d: image %s has a soft mask" % (pno, name))
                elif st == "/Form" and "/Resources" in x:
                    res.append(x.Resources)
            for name, g in r.get("/ExtGState", {}).items():
                where = "page %d: graphics state %s" % (pno, name)
                if "/TR" in g or "/HTP" in g or str(g.get("/TR2", "/Default")) != "/Default":
                    probs.append(where + " sets a transfer function or halftone")
                if part == "1" and (str(g.get("/SMask", "/None")) != "/None"
                                    or float(g.get("/CA", 1)) < 1 or float(g.get("/ca", 1)) < 1
                                    or str(g.get("/BM", "/Normal")) not in ("/Normal",
                                                                           "/Compatible")):
                    probs.append(where + " is transparent (PDF/A-1)")


def check(path, rules):
    raw = open(path, "rb").read()
    pdf = pikepdf.open(path)
    probs = []
    for r in rules or RULES:
        globals()["rule_" + r](pdf, probs, raw)
    for p in probs[:30]:
        print(p)
    if probs:
        print("%s: %d problems" % (path, len(probs)))
        return 1
    print("%s: %s: no problem" % (path, ", ".join(rules or RULES)))
    return 0


def langs(path, source):
    import xml.etree.ElementTree as ET
    key = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.parse(source).getroot()
    want = {e.get(key) for e in root.iter() if e.get(key)} - {root.get(key)}
    pdf = pikepdf.open(path)
    have = {str(e.Lang) for e in elems(pdf.Root.StructTreeRoot) if "/Lang" in e}
    bad = sorted(want - have)
    for lang in bad:
        print("%s: xml:lang %s of %s is the /Lang of no structure element"
              % (path, lang, source))
    return 1 if bad else 0


def break_file(rule, src, dst):
    """A copy of src with one thing changed that rule must reject."""
    pdf = pikepdf.open(src)
    if rule == "identity-level":
        # level A claimed by a file that is no longer marked
        del pdf.Root["/MarkInfo"]
    elif rule == "langs":
        # the structure elements lose their own languages
        for e in list(elems(pdf.Root.StructTreeRoot)):
            if "/Lang" in e:
                del e["/Lang"]
    elif rule == "identity":
        # a PDF/A-2 (PDF 1.7) file claiming to be PDF/A-1
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            if meta.get("pdfaid:part") is None:
                sys.exit("no pdfaid:part in " + src)
            meta["pdfaid:part"] = "1"
    elif rule == "lang":
        del pdf.Root["/Lang"]
    elif rule == "objects":
        # the first annotation is no longer printed
        for page in pdf.pages:
            if page.obj.get("/Annots"):
                page.obj.Annots[0].F = 0
                break
        else:
            sys.exit("no annotation in " + src)
    elif rule == "objects-image":
        # the first image asks to be smoothed
        for page in pdf.pages:
            xo = page.Resources.get("/XObject", {})
            im = [x for _, x in xo.items() if str(x.get("/Subtype")) == "/Image"]
            if im:
                im[0].Interpolate = True
                break
        else:
            sys.exit("no image in " + src)
    elif rule == "cidset":
        # the first CIDSet loses the bit of the first CID after 0 it has
        for _, f in fonts_of(pdf):
            fd = f.get("/DescendantFonts", [{}])[0].get("/FontDescriptor", {})
            if "/CIDSet" in fd:
                b = bytearray(fd.CIDSet.read_bytes())
                b[0] &= 0x80
                for i in range(1, len(b)):
                    if b[i]:
                        b[i] = 0
                        break
                fd.CIDSet = pdf.make_stream(bytes(b))
                break
        else:
            sys.exit("no /CIDSet in " + src)
    elif rule == "attachments":
        specs = list(pdf.Root.get("/AF", []))
        if not specs:
            sys.exit("no /AF in " + src)
        del specs[0]["/AFRelationship"]
    else:
        sys.exit("unknown rule " + rule)
    pdf.save(dst)
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) == 4 and sys.argv[1] == "langs":
        sys.exit(langs(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 5 and sys.argv[1] == "break":
        sys.exit(break_file(*sys.argv[2:5]))
    sys.exit(__doc__)
