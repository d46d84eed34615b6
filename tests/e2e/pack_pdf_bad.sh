#!/usr/bin/env bash
# PDF items (issue 15) that cannot be included: encrypted (with and
# without a user password), damaged, cut short, without pages, with a page
# tree that reuses a node (work that would double at each level), over the
# page limit, or not a PDF at all.  Each gives an error at the item's
# report="…" naming the file and the reason, exit 1, no crash or hang,
# and the previous pack stays as it was.  A PDF item's hash is its bytes:
# replacing the PDF puts the item in a supplement --since the pack.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
quorum=$1 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1737000000

$py - <<'PY' || { echo "FAIL: could not make the test PDFs"; exit 1; }
import pikepdf, zlib
def pdf(pages, text=b"BT /F1 12 Tf 72 700 Td (page) Tj ET"):
    p = pikepdf.new()
    font = p.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                              BaseFont=pikepdf.Name.Helvetica))
    for i in range(pages):
        pg = p.add_blank_page(page_size=(595, 842))
        pg.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        pg.obj.Contents = p.make_stream(text)
    return p
pdf(1).save("good.pdf")
pdf(2, b"BT /F1 12 Tf 72 700 Td (replaced) Tj ET").save("replaced.pdf")
pdf(1).save("owner-only.pdf", encryption=pikepdf.Encryption(owner="owner", user=""))
pdf(1).save("password.pdf", encryption=pikepdf.Encryption(owner="owner", user="user"))
pdf(0).save("empty.pdf")
pdf(3).save("many.pdf")
b = open("good.pdf", "rb").read()
open("cut.pdf", "wb").write(b[: len(b) // 2])
# every xref offset wrong and no way to repair: refused, not guessed at
open("damaged.pdf", "wb").write(b.replace(b"obj", b"jbo"))
open("text.pdf", "wb").write(b"This is a text file, not a PDF.\n")
# a page tree of 40 levels, each node's /Kids naming the next node twice:
# 2^40 pages to a walk that does not notice
objs = ["<< /Type /Catalog /Pages 2 0 R >>"]
n = 40
for i in range(n):
    objs.append("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>" % (i + 3, i + 3, 2 ** (n - i)))
objs.append("<< /Type /Page /MediaBox [0 0 595 842] >>")
out = b"%PDF-1.7\n"
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o.encode())
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open("dag.pdf", "wb").write(out)
PY

pdf_item_meeting good.pdf
timeout 60 "$quorum" pack meeting.xml -o pack.pdf >good.out 2>&1 || fail "the good PDF did not pack: $(cat good.out)"
cp pack.pdf previous.pdf
cp pack.manifest previous.manifest 2>/dev/null

# bad FILE REASON: packing FILE fails at the item with REASON
bad() {
    pdf_item_meeting "$1"
    timeout 20 "$quorum" pack meeting.xml -o pack.pdf >"$1.out" 2>&1
    local rc=$?
    [ $rc -eq 1 ] || fail "$1: exit $rc, want 1: $(cat "$1.out")"
    grep -E "^meeting.xml:[0-9]+:[0-9]+: error: cannot include $1: .*$2" "$1.out" >/dev/null ||
        fail "$1: no error at the item saying '$2': $(cat "$1.out")"
    cmp pack.pdf previous.pdf >/dev/null || fail "$1: the previous pack was replaced"
}
bad owner-only.pdf "it is encrypted"
bad password.pdf "it is encrypted with a password"
bad empty.pdf "it has no pages"
bad cut.pdf "does not end with %%EOF"
bad damaged.pdf ""
bad text.pdf ""
bad dag.pdf "its page tree uses a node twice"

# the supplement: the PDF replaced, its item changes
pdf_item_meeting good.pdf
timeout 60 "$quorum" pack meeting.xml -o published.pdf >pub.out 2>&1 || fail "pack failed: $(cat pub.out)"
cp replaced.pdf good.pdf
timeout 60 "$quorum" pack meeting.xml --supplement --since published.manifest -o supp.pdf >supp.out 2>&1 ||
    fail "no supplement after the PDF was replaced: $(cat supp.out)"
pdftotext supp.pdf - 2>/dev/null | grep -F "replaced" >/dev/null || fail "the supplement lacks the replaced PDF's page"
grep -F '"key": "doc"' supp.manifest | grep -F '"in_pack": true' >/dev/null ||
    fail "the replaced PDF's item is not in the supplement: $(cat supp.manifest)"
exit $status
