#!/bin/bash
# Work linear in the input (issue 12), on generated inputs sized so that
# the work stays well under a second while quadratic (or per-reference)
# work takes many seconds or hundreds of megabytes:
#  - 50,000 attributes on one element: refused before libxml2 (whose own
#    checks are quadratic in them) sees the file, at the element; up to
#    the limit, each schema error on an attribute is at that attribute,
#    found in one pass over the start tag;
#  - one appendix file named by 3,000 references: read once, each further
#    reference an error at its href (counted through a resolver in
#    tests/unit/test_load.c, test_appendix_read_once);
#  - 20,000 rated chips: each finds the report's scale in a list made
#    once, not by walking the tree;
#  - 32,000 cross-references: the PDF writer holds a small record per
#    link, not libharu's dictionaries (about 3 KB each, 100 MB here): the
#    peak memory of the pdf stage (QUORUM_TIMING) over the layout's stays
#    under 16 MB (5 MB measured).  Not under AddressSanitizer, whose
#    redzones and quarantine make every allocation bigger.
# usage: linear_input.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
input=$repo/input/council-2025-01-29
cp "$input"/*.xml .

python3 - <<'EOF'
head = ('<report xmlns="urn:quorum:report:1"><front-sheet><field role="title" '
        'label="T">T</field></front-sheet><section><heading>S</heading>')
for n in (50000, 1000):
    attrs = ' '.join('a%d="x"' % i for i in range(n))
    open('attrs%d.xml' % n, 'w').write(head + '<p %s>x</p></section></report>\n' % attrs)
app = ('<appendix xmlns="urn:quorum:report:1"><title>Same</title>'
       '<section numbered="false" paragraphs="plain">' +
       ''.join('<p>Paragraph %d of the appendix every reference names.</p>' % i
               for i in range(600)) + '</section></appendix>\n')
open('same.xml', 'w').write(app)
s = open('report.xml').read()
s2 = s.replace('<appendix href="appendix-1.xml" id="app-outcomes"/>',
               '\n'.join('<appendix href="same.xml"/>' for i in range(3000)))
open('many.xml', 'w').write(s2.replace('<ref to="app-outcomes"/>', 'x'))
body = ''.join('<p>See <ref to="app-detailed"/> and <ref to="app-outcomes"/>.</p>\n'
               for i in range(16000))
j = s.index('</section>')
open('refs.xml', 'w').write(s[:j] + body + s[j:])
# 20,000 rated chips on a declared scale: each finds its scale in a list
# made once, not by a walk of the whole tree (7 s when it walked).
sc = ('<scale id="p"><rating code="R" text="Red" fill="#C00000" color="#FFFFFF"/>'
      '<rating code="G" text="Green" fill="#00B050"/></scale>')
chips = ''.join('<p>Item %d is <chip rating="%s"/>.</p>\n' % (i, 'RG'[i % 2]) for i in range(20000))
k = head.index('<section>')
open('chips.xml', 'w').write(head[:k] + sc + head[k:] + chips + '</section></report>\n')
m = open('meeting.xml').read()
open('refs-meeting.xml', 'w').write(m.replace('report="report.xml"', 'report="refs.xml"'))
EOF

col=$(head -c 200 attrs50000.xml | grep -bo '<p ' | head -1 | cut -d: -f1)
timeout 10 "$bin" check attrs50000.xml > a.out 2> a.err
rc=$?
[ $rc -eq 1 ] || fail "50,000 attributes: exit $rc, want 1: $(head -c 300 a.err)"
grep -qx "attrs50000.xml:1:$((col + 1)): error: more than 1000 attributes on one element" a.err ||
    fail "50,000 attributes: $(head -c 300 a.err)"

timeout 10 "$bin" check attrs1000.xml > b.out 2> b.err
rc=$?
[ $rc -eq 1 ] || fail "1,000 attributes: exit $rc, want 1: $(head -c 300 b.err)"
n=$(grep -c "error: <p> takes no attribute a[0-9]*" b.err)
[ "$n" -eq 1000 ] || fail "1,000 attributes: $n errors, want 1000"
for a in a0 a500 a999; do
    c=$(grep -bo " $a=" attrs1000.xml | cut -d: -f1)
    grep -q "^attrs1000.xml:1:$((c + 2)): error: <p> takes no attribute $a\$" b.err ||
        fail "the error on $a is not at column $((c + 2)): $(grep " $a\$" b.err)"
done

timeout 10 "$bin" check many.xml > m.out 2> m.err
rc=$?
[ $rc -eq 1 ] || fail "3,000 references to one appendix: exit $rc, want 1: $(head -c 300 m.err)"
n=$(grep -c 'error: appendix "same.xml" is already referenced at line [0-9]*: each appendix is its own file' m.err)
[ "$n" -eq 2999 ] || fail "3,000 references to one appendix: $n errors, want 2999"

timeout 10 "$bin" check chips.xml > c.out 2> c.err ||
    fail "20,000 chips: $(head -c 300 c.err)"

QUORUM_TIMING=1 timeout 20 "$bin" pack refs-meeting.xml -o refs.pdf > r.out 2> r.err ||
    fail "32,000 references: $(head -c 300 r.err)"
read -r layout pdf < <(sed -n 's/^timing: peak RSS .* layout \([0-9.]*\) MiB, pdf \([0-9.]*\) MiB$/\1 \2/p' r.err)
if grep -q __asan_init "$bin"; then
    echo "note: the PDF's memory is not bounded under AddressSanitizer"
elif [ -z "${pdf:-}" ]; then
    fail "no peak memory in: $(head -c 300 r.err)"
elif awk -v a="$layout" -v b="$pdf" 'BEGIN { exit !(b - a > 16) }'; then
    fail "32,000 references: the PDF took $layout MiB -> $pdf MiB"
fi
exit $status
