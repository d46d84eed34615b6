#!/bin/bash
# What pdf.js (Firefox's viewer, which screen readers read through its
# accessibility tree) exposes of quorum's tagged PDFs (issue 16), with
# getStructTree on each page (tests/pdfjs/struct.mjs, npm pdfjs-dist,
# installed by `bash .ci/deps test` with npm ci):
#  - the spanning-cells fixture's tree is exactly tests/pdfjs/spans.expected
#    (row headers, a rating's word on a Span in its cell);
#  - the sample's headings are tests/pdfjs/report-headings.expected, and
#    the pack's agenda a TOC whose entries hold a Reference with a Link;
#  - the sample report, its pack and the long-table fixture: no page shows
#    a table row without content on it, no cell carries /Alt (which pdf.js
#    announces where the cell has no content), rating words are there.
# usage: pdfjs_struct.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
js=$repo/tests/pdfjs
[ -d "$js/node_modules/pdfjs-dist" ] ||
    { echo "FAIL: $js/node_modules missing (bash .ci/deps test runs npm ci there)"; exit 1; }
fresh_workdir "$work"
input=$repo/input/council-2025-01-29

"$bin" build "$repo/tests/fixtures/spans/report.xml" -o spans.pdf 2>spans.err || fail "build spans"
node "$js/struct.mjs" spans.pdf >spans.pdfjs 2>spans.node.err || fail "pdf.js: $(head -3 spans.node.err)"
diff -u "$js/spans.expected" spans.pdfjs >spans.diff ||
    { fail "pdf.js view of the spans fixture differs from spans.expected"; head -30 spans.diff; }

"$bin" build "$input/report.xml" -o report.pdf 2>report.err || fail "build report"
"$bin" build "$repo/tests/fixtures/long-table/report.xml" -o long.pdf 2>long.err || fail "build long-table"
"$bin" pack "$input/meeting.xml" -o pack.pdf 2>pack.err || fail "pack"
for f in report long pack; do
    node "$js/struct.mjs" "$f.pdf" >"$f.pdfjs" 2>"$f.node.err" || { fail "pdf.js on $f.pdf: $(head -3 "$f.node.err")"; continue; }
    /usr/bin/python3 "$js/rows.py" "$f.pdfjs" || fail "$f.pdf: pdf.js shows empty rows or cell /Alt"
done
# the sample's headings as pdf.js gives them, page by page: Appendix 2's
# outcomes H2 (as bookmarked), criteria H3, their parts H4
awk '/^page /{p=$2} /^ *H[1-6]$/{sub(/^ */,""); print "page " p " " $0}' report.pdfjs >report.headings
diff -u "$js/report-headings.expected" report.headings >headings.diff ||
    { fail "pdf.js headings of the sample differ from report-headings.expected"; head -20 headings.diff; }
# the pack's agenda: a TOC whose entry in the pack is a Reference holding its Link
grep -A2 '^ *TOCI$' pack.pdfjs | grep -A1 '^ *Reference$' | grep '^ *Link$' >/dev/null ||
    fail "pack.pdf: pdf.js shows no TOCI holding a Reference with a Link"
grep -B1 '^ *Span alt="Amber"$' report.pdfjs | grep '^ *TD$' >/dev/null ||
    fail "report.pdf: no rating word Amber on a Span in a TD"
# the check sees an /Alt on a cell
sed '0,/^\( *\)TD$/s//\1TD alt="Amber"/' report.pdfjs >alt.pdfjs
/usr/bin/python3 "$js/rows.py" alt.pdfjs >/dev/null && fail "self-test: a cell /Alt not seen"

[ $status -eq 0 ] && echo "PASS"
exit $status
