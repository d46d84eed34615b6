"""PDFs for quorum extract's tests (extract.sh): archive copies re-saved
by pikepdf, PDFs whose files are embedded otherwise than quorum embeds
them, and hostile ones.

usage: extract_pdfs.py pikepdf IN OUT
           IN opened and saved again by pikepdf (its defaults)
       extract_pdfs.py annot OUT NAME FILE
           a one-page PDF whose only embedded file is FILE, as NAME, in a
           FileAttachment annotation on the page (no name tree, no /AF)
       extract_pdfs.py af OUT NAME FILE
           the same, FILE in the catalog's /AF array only, its stream
           Flate-compressed with an MD5 /CheckSum
       extract_pdfs.py files OUT NAME FILE [NAME FILE...]
           a one-page PDF with each FILE embedded as NAME in its
           EmbeddedFiles name tree
       extract_pdfs.py name OUT NAME
           a PDF with one embedded file named NAME (a Python string
           literal: "'a\\x1b[31m.txt'", "b'\\xff.txt'" for raw bytes)
       extract_pdfs.py dag OUT LEVELS FANOUT
           a name tree that reuses its nodes: LEVELS levels, each node
           naming the one below FANOUT times, one file at the bottom
           (FANOUT**LEVELS paths to it; the file is a few KB)
       extract_pdfs.py many OUT N
           N distinct names in one leaf of the name tree (its keys empty:
           the names are the file specifications'), all sharing one small
           stream, the last one "../escaped.txt"
"""
import ast
import hashlib
import sys
import zlib


def raw_pdf(objs, root=1):
    """A PDF of objs (bodies of objects 1..n, bytes) with a classic xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, root, x)
    return bytes(out)


def pdf_string(b):
    """A literal string holding the bytes b exactly."""
    return b"(" + b"".join(b"\\%03o" % c for c in b) + b")"


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(names_dict=b"", extra_catalog=b"", page_extra=b""):
    """Catalog (1), pages (2), page (3): the first three objects."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + names_dict + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b">>",
    ]


def spec(name, stream_ref):
    n = pdf_string(name)
    return (b"<< /Type /Filespec /F " + n + b" /UF " + n +
            b" /EF << /F " + stream_ref + b" >> >>")


def files(out, pairs):
    objs = one_page(b"/Names << /EmbeddedFiles 4 0 R >> ")
    entries = []
    base = 5
    for k, (name, data) in enumerate(pairs):
        entries.append(pdf_string(name) + b" " + spec(name, b"%d 0 R" % (base + k)))
    objs.append(b"<< /Names [" + b" ".join(entries) + b"] >>")
    for _, data in pairs:
        objs.append(stream(data))
    open(out, "wb").write(raw_pdf(objs))


def main(argv):
    cmd = argv[1]
    if cmd == "pikepdf":
        import pikepdf
        with pikepdf.open(argv[2]) as p:
            p.save(argv[3])
    elif cmd == "annot":
        name, data = argv[3].encode(), open(argv[4], "rb").read()
        objs = one_page(page_extra=b"/Annots [4 0 R] ")
        objs.append(b"<< /Type /Annot /Subtype /FileAttachment /Rect [10 10 30 30] "
                    b"/FS 5 0 R /Contents (a file) >>")
        objs.append(spec(name, b"6 0 R"))
        objs.append(stream(data))
        open(argv[2], "wb").write(raw_pdf(objs))
    elif cmd == "af":
        name, data = argv[3].encode(), open(argv[4], "rb").read()
        packed = zlib.compress(data)
        md5 = hashlib.md5(data).digest()
        objs = one_page(extra_catalog=b"/AF [4 0 R] ")
        objs.append(spec(name, b"5 0 R"))
        objs.append(stream(packed, b"/Filter /FlateDecode /Params << /Size %d /CheckSum <%s> >> "
                           % (len(data), md5.hex().encode())))
        open(argv[2], "wb").write(raw_pdf(objs))
    elif cmd == "files":
        rest = argv[3:]
        files(argv[2], [(rest[k].encode(), open(rest[k + 1], "rb").read())
                        for k in range(0, len(rest), 2)])
    elif cmd == "name":
        v = ast.literal_eval(argv[3])
        name = v if isinstance(v, bytes) else v.encode()
        files(argv[2], [(name, b"data\n")])
    elif cmd == "dag":
        levels, fan = int(argv[3]), int(argv[4])
        objs = one_page(b"/Names << /EmbeddedFiles %d 0 R >> " % (6 + levels - 1))
        objs.append(stream(b"hello\n"))                           # 4
        objs.append(b"<< /Names [(a.txt) " + spec(b"a.txt", b"4 0 R") +
                    b"] /Limits [(a.txt) (a.txt)] >>")            # 5: the leaf
        for k in range(levels):                                   # 6...
            below = b"%d 0 R" % (5 + k)
            objs.append(b"<< /Kids [" + b" ".join([below] * fan) + b"] >>")
        open(argv[2], "wb").write(raw_pdf(objs))
    elif cmd == "many":
        n = int(argv[3])
        entries = []
        for k in range(n):
            name = b"f%06d.txt" % k if k < n - 1 else b"../escaped.txt"
            entries.append(b"() << /F (" + name + b") /EF << /F 5 0 R >> >>")
        objs = one_page(b"/Names << /EmbeddedFiles 4 0 R >> ")
        objs.append(b"<< /Names [" + b"\n".join(entries) + b"] >>")
        objs.append(stream(b"x\n"))
        open(argv[2], "wb").write(raw_pdf(objs))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
