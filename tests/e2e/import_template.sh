#!/bin/bash
# The Word template for authors (docs/word-template.md, issue 14): made by
# docs/word/make_template.py, byte for byte the same twice; it imports
# with no warning or note, every part of it mapped one to one (front-sheet
# roles, sections, numbered paragraphs, subheading, nested list,
# recommendations, the four implications with their sign-offs, a header
# row and a rated cell, background documents), and the XML builds.
# usage: import_template.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR=$repo/fonts
make=$repo/docs/word/make_template.py
/usr/bin/python3 "$make" a.docx && /usr/bin/python3 "$make" b.docx || { echo "FAIL: make_template.py"; exit 1; }
cmp -s a.docx b.docx || fail "two runs of make_template.py differ"
"$bin" import a.docx -o t.xml 2> import.err || fail "import: $(cat import.err)"
[ -s import.err ] && fail "the template's import says something: $(cat import.err)"
for want in 'role="title"' 'role="meeting-date" date="2025-01-29"' 'role="author"' 'role="director"' \
    'role="lead-member"' 'role="wards"' 'role="key-decision"' 'role="appendices"' \
    '<p numbered="false">A summary' '<subheading>Recommendations</subheading>' \
    '<recommendation>agree … .</recommendation>' '<li>an item one level in;</li></ul></li>' \
    '<implication type="financial">' '<implication type="legal">' '<implication type="risk">' \
    '<implication type="equality">' '<row header="true">' '<cell rating="G" align="center">G</cell>' \
    '<background-documents>'; do
    grep -F -- "$want" t.xml >/dev/null || fail "t.xml lacks: $want"
done
[ "$(grep -c '<sign-off name="Name" title="Job Title" date="2025-01-08"/>' t.xml)" -eq 4 ] ||
    fail "want four sign-offs"
"$bin" build t.xml -o t.pdf 2> build.err || fail "build: $(cat build.err)"
exit $status
