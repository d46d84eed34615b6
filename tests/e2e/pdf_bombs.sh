#!/usr/bin/env bash
# PDFs from elsewhere built to cost memory out of all proportion to their
# size, read by `quorum extract` and as a pack's PDF item: each refused with
# its reason and exit 1, and the peak memory stays far below what the
# file asked for.  The first was found by fuzz_extract: a real file's
# cross-reference stream with /Columns 536870911 had libqpdf allocate two
# 512 MiB row buffers as it opened the file (1.5 GiB peak).  Then the same
# with the name spelt with an escape (/Col#75mns) and with /Colors; an
# object stream compressed twice over (Flate of Flate: 100 MiB from a few
# hundred bytes); an object stream, a page's content and the XMP packet
# each a single Flate layer decoding to 100-300 MiB, far past what a file of
# their size may decode to (64 times its size and 16 MiB: pdfin.h).
# A real file with object streams and a predictor still reads (the pack
# below includes one).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000

$py - <<'PY' || { echo "FAIL: could not make the test PDFs"; exit 1; }
import pikepdf, subprocess, zlib

def spaces(mib):
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    return b"".join(z.compress(chunk) for _ in range(mib)) + z.flush()

def plain(path, contents=None, xmp=None):
    p = pikepdf.new()
    pg = p.add_blank_page(page_size=(595, 842))
    font = p.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                              BaseFont=pikepdf.Name.Helvetica))
    pg.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    s = pikepdf.Stream(p, contents if contents is not None else b"BT /F1 12 Tf 72 700 Td (page) Tj ET")
    if contents is not None:
        s.Filter = pikepdf.Name.FlateDecode
    pg.obj.Contents = s
    if xmp is not None:
        # no /Type /Metadata: qpdf would write such a stream decoded
        m = pikepdf.Stream(p, xmp)
        m.Filter = pikepdf.Name.FlateDecode
        p.Root.Metadata = p.make_indirect(m)
    p.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
           fix_metadata_version=False)

plain("good.pdf")
# object streams and a cross-reference stream with /Columns and a predictor
subprocess.run(["qpdf", "--object-streams=generate", "good.pdf", "objstm.pdf"], check=True)
b = open("objstm.pdf", "rb").read()
assert b.count(b"/Columns ") == 1, "qpdf wrote no /Columns"
# the digits of /Columns changed: the stream's bytes and offsets before it stay
for name, old, new in [("columns.pdf", b"/Columns ", b"/Columns 53687091"),
                       ("escaped.pdf", b"/Columns ", b"/Col#75mns 53687091"),
                       ("colors.pdf", b"/Columns ", b"/Colors 4096 /Columns ")]:
    open(name, "wb").write(b.replace(old, new))

# object stream 4 holding the catalog, the page tree and the page
def objstm(path, layers, pad_mib):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    head, body = b"", b""
    for i, o in enumerate(objs):
        head += b"%d %d " % (i + 1, len(body))
        body += o + b"\n"
    z = zlib.compressobj(9)
    data = z.compress(head + body) + b"".join(z.compress(b" " * (1 << 20)) for _ in range(pad_mib)) + z.flush()
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filt = b"[" + b" /FlateDecode" * layers + b" ]" if layers > 1 else b"/FlateDecode"
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    at4 = len(out)
    out += (b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Length %d /Filter %s >>\nstream\n"
            % (len(head), len(data), filt)) + data + b"\nendstream\nendobj\n"
    at5 = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff"
    for i in range(3):
        rows += b"\x02" + (4).to_bytes(4, "big") + i.to_bytes(2, "big")
    rows += b"\x01" + at4.to_bytes(4, "big") + b"\x00\x00"
    rows += b"\x01" + at5.to_bytes(4, "big") + b"\x00\x00"
    out += (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % len(rows)) + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at5
    open(path, "wb").write(out)

objstm("objstm-small.pdf", 1, 0)
objstm("twice.pdf", 2, 100)
objstm("objstm-bomb.pdf", 1, 100)
plain("content-bomb.pdf", contents=spaces(100))
plain("xmp-bomb.pdf", xmp=spaces(300))
PY

# peak RSS FILE: the peak resident memory /usr/bin/time -v wrote, in KiB
peak() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
# the limit: a build under ASan reads a PDF in well under 100 MiB; the
# files ask for 100 MiB to 1.5 GiB
limit=$((180 * 1024))

# extract FILE REASON: extract refuses FILE with REASON, writing nothing
refuse_extract() {
    /usr/bin/time -v -o "$1.time" timeout 60 "$quorum" extract "$1" "x-$1" >"$1.x.out" 2>&1
    local rc=$?
    [ $rc -eq 1 ] || fail "extract $1: exit $rc, want 1: $(head -c 400 "$1.x.out")"
    grep -F "cannot extract from $1: $2" "$1.x.out" >/dev/null ||
        fail "extract $1: no '$2': $(head -c 400 "$1.x.out")"
    [ -e "x-$1" ] && fail "extract $1: something was written"
    local kb
    kb=$(peak "$1.time")
    [ -n "$kb" ] && [ "$kb" -lt $limit ] || fail "extract $1: peak memory ${kb:-?} KiB"
}
refuse_extract columns.pdf "a stream's decoding parameters give /Columns 53687091"
refuse_extract escaped.pdf "a stream's decoding parameters give /Columns 53687091"
refuse_extract colors.pdf "a stream's decoding parameters give /Colors 4096"
refuse_extract twice.pdf "a stream is compressed twice over (/FlateDecode then /FlateDecode"
refuse_extract objstm-bomb.pdf "a stream decodes to more than"

# the hand-made object stream itself is read: nothing embedded in it
timeout 60 "$quorum" extract objstm-small.pdf x-small >small.out 2>&1
grep -F "cannot extract from objstm-small.pdf: the file has no attached source files" small.out >/dev/null ||
    fail "objstm-small.pdf not read: $(cat small.out)"

# pack FILE REASON: packing FILE fails at its item with REASON (or, with
# REASON "", packs), within the memory limit
pack() {
    pdf_item_meeting "$1"
    /usr/bin/time -v -o "$1.ptime" timeout 60 "$quorum" pack meeting.xml -o "pack-$1" >"$1.p.out" 2>&1
    local rc=$? want=1 kb
    [ -z "$2" ] && want=0
    [ $rc -eq $want ] || fail "pack $1: exit $rc, want $want: $(head -c 400 "$1.p.out")"
    if [ -n "$2" ]; then
        grep -E "^meeting.xml:[0-9]+:[0-9]+: error: cannot include $1: " "$1.p.out" |
            grep -F "$2" >/dev/null || fail "pack $1: no error at the item saying '$2': $(head -c 400 "$1.p.out")"
        [ -e "pack-$1" ] && fail "pack $1: a pack was written"
    fi
    kb=$(peak "$1.ptime")
    [ -n "$kb" ] && [ "$kb" -lt $limit ] || fail "pack $1: peak memory ${kb:-?} KiB"
}
pack objstm.pdf ""
pack columns.pdf "a stream's decoding parameters give /Columns 53687091"
pack twice.pdf "a stream is compressed twice over"
pack objstm-bomb.pdf "a stream decodes to more than"
pack content-bomb.pdf "a stream decodes to more than"
# an XMP packet past 1 MiB is not read (the PDF/A part it might claim is
# unknown), never decoded whole
pack xmp-bomb.pdf ""
exit $status
