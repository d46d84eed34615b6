#!/usr/bin/env bash
# Text of any length where the PDF holds it in one string: a heading (its
# bookmark), an href (its link), the author and title (document
# properties), an item title (the pack's bookmark) and an item label of
# 70,000 characters build (libharu refuses strings over 65,535 bytes: exit
# 3, "libharu error 0x105B", no position); page text is written in strings
# of at most 32,767 bytes (PDF's limit in content streams).  An archive
# copy, where PDF/A limits strings (PDF/A-1 65,535 bytes, PDF/A-3 32,767),
# is refused with exit 1 and a message that names the string and the
# limit, and nothing is written.
# usage: long_strings.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"

/usr/bin/python3 - <<'PY' || exit 1
L = 'a' * 70000
open('report.xml', 'w').write(f'''<report xmlns="urn:quorum:report:1">
<front-sheet>
  <field role="title" label="Report Title">T{L}</field>
  <field role="author" label="Author">A{L}</field>
  <field role="meeting-date" label="Date of Meeting" date="2025-01-29">29 January 2025</field>
</front-sheet>
<section><heading>H{L}</heading>
  <p>See <a href="https://example.org/{L}">the page</a>.</p>
  <ul><li label="L{'b' * 40000}">item</li></ul>
</section>
</report>''')
open('meeting.xml', 'w').write(f'''<meeting xmlns="urn:quorum:report:1" xml:lang="en-GB">
  <body>Council</body><date>2025-01-29</date><time>19:00</time><venue>Chamber</venue>
  <published>2025-01-21</published>
  <clerk name="Democratic Services" title="Officer" email="d@example.gov.uk" phone="01632 960123"/>
  <agenda><item id="a" title="I{L}"/><item id="r" title="Report" report="small.xml"/></agenda>
</meeting>''')
open('small.xml', 'w').write('''<report xmlns="urn:quorum:report:1"><front-sheet>
  <field role="title" label="Report Title">Small</field>
  <field role="meeting-date" label="Date of Meeting" date="2025-01-29">29 January 2025</field>
</front-sheet><section><heading>S</heading><p>x</p></section></report>''')
PY

timeout 60 "$bin" build report.xml -o report.pdf 2>build.err ||
    { fail "build exited $?"; cat build.err; }
timeout 60 "$bin" pack meeting.xml -o pack.pdf 2>pack.err ||
    { fail "pack exited $?"; cat pack.err; }
if [ -s report.pdf ] && [ -s pack.pdf ]; then
    /usr/bin/python3 - <<'PY' || fail "the long strings are not in the PDFs whole"
import sys, pikepdf
bad = []
def outlines(pdf):
    with pdf.open_outline() as o:
        def walk(items):
            for x in items:
                yield x.title
                yield from walk(x.children)
        return list(walk(o.root))
r = pikepdf.open('report.pdf')
if str(r.docinfo['/Title']) != 'T' + 'a' * 70000: bad.append('title')
if str(r.docinfo['/Author']) != 'A' + 'a' * 70000: bad.append('author')
if ('1. H' + 'a' * 70000) not in outlines(r): bad.append('heading bookmark')
uris = [bytes(a.A.URI) for p in r.pages for a in p.get('/Annots', []) if '/A' in a]
if b'https://example.org/' + b'a' * 70000 not in uris: bad.append('link')
longest = 0
for p in r.pages:
    for operands, op in pikepdf.parse_content_stream(p):
        for x in operands:
            if isinstance(x, pikepdf.String): longest = max(longest, len(bytes(x)))
if longest > 32767: bad.append(f'a page string of {longest} bytes')
if longest < 32000: bad.append(f'the 40,000-character label is not in the page ({longest})')
k = pikepdf.open('pack.pdf')
if ('1. I' + 'a' * 70000) not in outlines(k): bad.append('item title bookmark')
if bad:
    print('FAIL:', ', '.join(bad))
    sys.exit(1)
PY
fi

# archive copies: PDF/A's limit, said with the string and the limit
for part in 1b 2a 3a; do
    max=65535; [ $part = 1b ] || max=32767
    timeout 60 "$bin" build --archive=$part report.xml -o archive.pdf 2>archive.err
    rc=$?
    [ $rc -eq 1 ] || fail "archive $part: exit $rc, want 1"
    grep -q "as PDF/A-$part: the bookmark \"1. Haaa.*PDF/A-$part allows at most $max; shorten it" archive.err ||
        { fail "archive $part: no message naming the bookmark and the limit"; cat archive.err; }
    [ -e archive.pdf ] && fail "archive $part: a PDF was written"
done
[ $status -eq 0 ] && echo "ok: 70,000-character strings in a PDF; refused in PDF/A with the limit"
exit $status
