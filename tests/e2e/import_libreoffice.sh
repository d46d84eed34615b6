#!/bin/bash
# A second producer of Word documents (issue 14): LibreOffice.  The sample
# report and a non-Thurrock paper (The Highland Council's, docs/examples)
# are written as officers would with python-docx (import_sample.py make),
# opened by LibreOffice headless and saved as ODT, then the ODT saved as
# .docx by LibreOffice's own Word filter: a package LibreOffice wrote
# throughout (its styles, numbering, shading and table markup).  Each
# imports with exit 0, checks clean, and builds to a PDF whose words are
# the paper's own in the same order (import_sample.py compare: 97% at
# least, no gap over 8 words); every rating of the sample's appendix 2
# keeps its colour (rag_colours.py --exact) and its count.
# usage: import_libreoffice.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$(cd "$2" && pwd) work=$3
command -v soffice >/dev/null || { echo "SKIP: soffice missing (libreoffice-writer-nogui)"; exit 77; }
fresh_workdir "$work"
export QUORUM_FONT_DIR=$repo/fonts
py=/usr/bin/python3
# its own profile and home, so runs side by side do not share one
export HOME=$PWD/home
office() {
  timeout 600 soffice --headless --norestore --nolockcheck \
    "-env:UserInstallation=file://$PWD/profile" "$@" >>office.log 2>&1
}
sample=$repo/input/council-2025-01-29/report.xml
highland=$repo/docs/examples/highland/report.xml
$py "$repo/tests/e2e/import_sample.py" make "$sample" sample.docx || { echo "FAIL: making sample.docx"; exit 1; }
$py "$repo/tests/e2e/import_sample.py" make "$highland" highland.docx || { echo "FAIL: making highland.docx"; exit 1; }
mkdir odt lo
office --convert-to odt --outdir odt sample.docx highland.docx || { cat office.log; echo "FAIL: soffice to ODT"; exit 1; }
office --convert-to "docx:MS Word 2007 XML" --outdir lo odt/sample.odt odt/highland.odt ||
  { cat office.log; echo "FAIL: soffice to docx"; exit 1; }
for n in sample highland; do
  [ -s "lo/$n.docx" ] || { fail "LibreOffice wrote no lo/$n.docx: $(cat office.log)"; continue; }
  # written by LibreOffice, not python-docx
  unzip -p "lo/$n.docx" docProps/app.xml | grep -i "LibreOffice" >/dev/null ||
    fail "$n: docProps/app.xml does not name LibreOffice"
  timeout 60 "$bin" import "lo/$n.docx" -o "$n.xml" 2>"$n.import" || { fail "$n: import exit $?: $(cat "$n.import")"; continue; }
  "$bin" check "$n.xml" 2>"$n.check" || fail "$n: check: $(cat "$n.check")"
  "$bin" build "$n.xml" -o "$n.pdf" 2>"$n.build" || { fail "$n: build: $(cat "$n.build")"; continue; }
done
"$bin" build "$sample" -o sample-own.pdf 2>/dev/null || fail "build the sample"
"$bin" build "$highland" -o highland-own.pdf 2>/dev/null || fail "build the Highland paper"
for n in sample highland; do
  [ -f "$n.pdf" ] || continue
  $py "$repo/tests/e2e/import_sample.py" compare "$n-own.pdf" "$n.pdf" >"$n.compare" 2>&1 ||
    fail "$n: text order: $(cat "$n.compare")"
done
[ -f sample.pdf ] && imported_ratings sample.pdf sample.xml "$repo"
exit $status
