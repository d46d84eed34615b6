#!/bin/bash
# quorum import (issue 14) on Word documents from two producers, made by
# import_docs.py: one written part by part (Word's numbering.xml,
# footnotes, tracked changes, a PAGE field, a comment, merged and shaded
# cells, an image, Welsh style names and a council's own) and a paper
# written with python-docx (typed "1.1" numbers, List Bullet styles, a
# w:tblHeader row, RAG words, a hyperlink).  Each imports, the XML holds
# what the document says, `quorum check` passes it, the PDF built from it
# has the text in order and every rating on its colour (rag_colours.py);
# diagnostics name the paragraph and heading an author finds (text
# boxes, embedded objects, headers and footers are named as left out); a mapping
# file maps a council's style and labels; a report that fails the check
# is written all the same, with the check's errors and exit 1.
# usage: import_word.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR=$repo/fonts
py=/usr/bin/python3
$py -c 'import docx' 2>/dev/null || { echo "FAIL: python3-docx missing (apt-get install python3-docx)"; exit 1; }
for k in handbuilt pydocx late; do
    $py "$repo/tests/e2e/import_docs.py" $k $k.docx || { echo "FAIL: making $k.docx"; exit 1; }
done

# has FILE STRING...: each string (fixed) is in FILE
has() {
    local f=$1 s
    shift
    for s in "$@"; do grep -F -- "$s" "$f" >/dev/null || fail "$f lacks: $s"; done
}
# lacks FILE STRING...
lacks() {
    local f=$1 s
    shift
    for s in "$@"; do grep -F -- "$s" "$f" >/dev/null && fail "$f has: $s"; done
}
# in_order FILE PHRASE...: the phrases come in this order in FILE's text
# (pdftotext output, lines joined)
in_order() {
    $py - "$@" <<'PY' || fail "text out of order in $1"
import sys
text = " ".join(open(sys.argv[1]).read().split())
at = 0
for p in sys.argv[2:]:
    i = text.find(p, at)
    if i < 0:
        sys.exit(f"{sys.argv[1]}: {p!r} not found after offset {at}")
    at = i + len(p)
PY
}

# ---- the hand-built package -------------------------------------------
timeout 20 "$bin" import handbuilt.docx -o hb.xml 2> hb.err
rc=$?
[ $rc -eq 0 ] || fail "handbuilt: exit $rc: $(cat hb.err)"
has hb.xml '<heading>Report to Cabinet</heading>' \
    '<field role="title" label="Report Title">Street Lighting Renewal</field>' \
    '<field role="meeting-date" date="2025-03-04" label="Date of Meeting">Tuesday, 4 March 2025</field>' \
    '<field role="key-decision" label="Key Decision">Yes</field>' \
    '<field label="Budget Code">HW-1102</field>' \
    '<heading>Summary</heading>' \
    '<p>This report proposes <b>renewing</b> the remaining sodium lanterns<sup>1</sup><i> with LED ones</i><sup>2</sup>.</p>' \
    '1. Local Government Act 1972, section 100D.' \
    '<lead-in>The Cabinet is recommended to:</lead-in>' \
    '<recommendation>delegate the award of contracts to the Director.</recommendation>' \
    '<li>residential streets;<ul>' '<li>cul-de-sacs first;</li></ul></li>' \
    '<li label="(a)">doing nothing;</li>' '<li label="(b)">part-night lighting.</li></ol>' \
    '<a href="https://example.gov.uk/plan">published online</a> and in libraries.</p>' \
    '<image src="hb-1.png" alt="Map of the ward boundaries"/>' \
    '<row header="true"><cell>Scheme</cell>' \
    '<cell rowspan="2">Lanterns</cell><cell rating="G" align="center"></cell><cell rating="A" align="center">Amber</cell>' \
    '<cell colspan="2">Columns and brackets</cell><cell rating="G" align="center">Green</cell>' \
    '<implication type="financial">' \
    '<sign-off name="Tom Reid" title="Senior Finance Business Partner" date="2025-02-17"/>' \
    '<document href="https://example.gov.uk/plan">Street Lighting Plan 2024</document>'
# the deletion, the PAGE field's result and the heading's typed number are gone
lacks hb.xml 'on paper' '>7<' '1. Summary' 'Boxed aside'
cmp -s hb-1.png <($py -c 'import sys; sys.path.insert(0, sys.argv[1]); import import_docs; sys.stdout.buffer.write(import_docs.png_1x1())' "$repo/tests/e2e") ||
    fail "hb-1.png is not the package's image"
has hb.err \
    'handbuilt.docx: paragraph 28, under "2. Proposals": warning: tracked changes: insertions accepted, deletions dropped' \
    'handbuilt.docx: paragraph 28, under "2. Proposals": note: comments are left out' \
    'handbuilt.docx: paragraph 29, under "2. Proposals": note: fields (a table of contents, page numbers) are left out' \
    'handbuilt.docx: paragraph 30, under "2. Proposals": warning: a text box is left out: move its text into the document' \
    'handbuilt.docx: paragraph 30, under "2. Proposals": warning: an embedded object (a spreadsheet, a chart) is left out' \
    'handbuilt.docx: note: headers and footers are left out: the house style makes its own' \
    'handbuilt.docx: table 2, row 4, cell 2, under "2. Proposals": warning: the cell says Green but is shaded as R; rated G' \
    '0 errors, 4 warnings'
"$bin" check hb.xml 2> hb-check.err || fail "check hb.xml: $(cat hb-check.err)"
"$bin" build hb.xml -o hb.pdf 2> hb-build.err || fail "build hb.xml: $(cat hb-build.err)"
pdftotext hb.pdf hb.txt
in_order hb.txt "Report to Cabinet" "Street Lighting Renewal" "Tuesday, 4 March 2025" \
    "Summary" "This report proposes renewing" "The Cabinet is recommended to:" \
    "approve the renewal programme" "Proposals" "residential streets" "cul-de-sacs first" \
    "main roads" "published online and in libraries" "Scheme" "Lanterns" "Amber" \
    "Columns and brackets" "Green" "Financial Implications" "Tom Reid" "Background Documents" \
    "Street Lighting Plan 2024"
$py "$repo/tests/e2e/rag_colours.py" check hb.pdf hb.xml rag-hb --exact > rag-hb.out 2>&1 ||
    fail "ratings of the hand-built document: $(tail -5 rag-hb.out)"

# --werror: the tracked change's warning fails the import (written all the same)
"$bin" import handbuilt.docx -o hbw.xml --werror 2> hbw.err
[ $? -eq 1 ] || fail "--werror: want exit 1 for a warning"
# --diagnostics=json: the place in the Word document is the file member
"$bin" import handbuilt.docx -o hbj.xml --diagnostics=json 2> hbj.err || fail "json: $(cat hbj.err)"
$py -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d[0]["file"] == "handbuilt.docx: paragraph 28, under \"2. Proposals\"", d[0]' hbj.err ||
    fail "json diagnostics: $(head -c 300 hbj.err)"

# ---- a council's mapping file ----------------------------------------------
cat > map.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<import-mapping xmlns="urn:quorum:import-mapping:1">
  <style word="Council Sub Heading" as="heading-2"/>
  <label word="Budget Code" role="budget-code"/>
</import-mapping>
EOF
"$bin" import handbuilt.docx -o hbm.xml --mapping map.xml 2> hbm.err || fail "mapping: $(cat hbm.err)"
has hbm.xml '<subheading>Programme</subheading>' '<field role="budget-code" label="Budget Code">HW-1102</field>'
lacks hb.xml '<subheading>Programme</subheading>'
sed 's/as="heading-2"/as="heading-9"/' map.xml > badmap.xml
"$bin" import handbuilt.docx -o bad.xml --mapping badmap.xml 2> badmap.err
[ $? -eq 1 ] || fail "a bad mapping file: want exit 1"
has badmap.err 'badmap.xml:3:37: error: as="heading-9": want title, heading-1, heading-2, heading-3, bullet, number or body'
[ -e bad.xml ] && fail "a bad mapping file: bad.xml written"

# ---- python-docx ----------------------------------------------------------------
timeout 20 "$bin" import pydocx.docx -o py.xml 2> py.err
rc=$?
[ $rc -eq 0 ] || fail "pydocx: exit $rc: $(cat py.err)"
has py.xml '<heading>Report to Planning Committee</heading>' \
    '<field role="meeting-date" date="2025-06-12" label="Date of Meeting">12 June 2025</field>' \
    '<field role="director" label="Corporate Director">Director of Place</field>' \
    '<p>The appraisal describes' \
    '<recommendation>adopt the appraisal as a material consideration; and</recommendation>' \
    '<p>The boundary is drawn <b>around the historic core</b>, as surveyed in 2024<sup>1</sup>.</p>' \
    '<subheading>Changes</subheading>' \
    '<li>adding the mill and its leat;<ul>' '<li>the race itself;</li></ul></li>' \
    '<row header="true"><cell>Building</cell>' \
    '<cell rating="R" align="center">Red</cell>' '<cell rating="A" align="center">A</cell>' \
    '<implication type="legal">' \
    '<sign-off name="Ann Okoro" title="Principal Solicitor" date="2025-06-02"/>' \
    '<document href="https://example.gov.uk/riverside-survey">Riverside survey 2024</document>'
lacks py.xml '1.1 The appraisal' 'numbered="false"'
"$bin" build py.xml -o py.pdf 2> py-build.err || fail "build py.xml: $(cat py-build.err)"
pdftotext py.pdf py.txt
in_order py.txt "Report to Planning Committee" "Riverside Conservation Area Appraisal" \
    "Executive Summary" "1.1" "The appraisal describes" "1.2" "adopt the appraisal" "1.3" \
    "Proposals" "2.1" "The boundary is drawn" "Changes" "2.2" "Three changes" "adding the mill" \
    "the race itself" "removing the 1970s estate" "Building" "Mill" "Red" "Chapel" "Legal Implications" \
    "Ann Okoro" "Riverside survey 2024"
$py "$repo/tests/e2e/rag_colours.py" check py.pdf py.xml rag-py --exact > rag-py.out 2>&1 ||
    fail "ratings of the python-docx document: $(tail -5 rag-py.out)"

# ---- an import the check refuses: written, with the check's error ----------
"$bin" import late.docx -o late.xml 2> late.err
[ $? -eq 1 ] || fail "late: want exit 1"
has late.err 'late.xml:9:55: error: sign-off dated 2025-03-03, after the meeting on 2025-03-01'
[ -s late.xml ] || fail "late: late.xml not written"

# ---- the default output: beside the input ------------------------------------------
mkdir d && cp pydocx.docx d/paper.docx
"$bin" import d/paper.docx 2> def.err || fail "default output: $(cat def.err)"
cmp -s d/paper.xml py.xml || fail "d/paper.xml differs from py.xml"
exit $status
