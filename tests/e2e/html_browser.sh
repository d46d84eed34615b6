#!/usr/bin/env bash
# The HTML in a real browser (issue 17), Debian's chromium headless:
#  * axe-core (WCAG 2.x A and AA rules, through puppeteer-core, at desktop
#    and phone width) finds no violation on the sample report's page, the
#    sample meeting's index and every page of its site, the golden fixture
#    tests/golden/basic and the images fixture;
#  * the Nu HTML Checker (vnu-jar) finds no error in them;
#  * the report printed by chromium (--print-to-pdf) says every word of
#    the source in order (seedtext.py, as seed_text.sh checks the PDF) and
#    prints every rating cell's code on its colour (rag_colours.py, as
#    rag_colours.sh checks the PDF).
# chromium, java and tests/browser/node_modules come from `.ci/deps test`.
#   bash html_browser.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$2 work=$3
. "$(dirname "$0")/lib.sh"
export QUORUM_FONT_DIR="$root/fonts"
fresh_workdir "$work"
browser=$root/tests/browser
chromium=${CHROMIUM:-/usr/bin/chromium}
for need in "$chromium" "$browser/node_modules/axe-core/axe.min.js" \
            "$browser/node_modules/puppeteer-core/package.json" \
            "$browser/node_modules/vnu-jar/build/dist/vnu.jar"; do
    [ -e "$need" ] || { echo "FAIL: $need missing (bash .ci/deps test)"; exit 1; }
done
command -v node >/dev/null || { echo "FAIL: node missing (bash .ci/deps test)"; exit 1; }
command -v java >/dev/null || { echo "FAIL: java missing (bash .ci/deps test)"; exit 1; }
sample=$root/input/council-2025-01-29
export HOME=$work/home   # chromium's profile and caches stay in the work dir
mkdir -p "$HOME"

"$bin" build --format html "$sample/report.xml" -o report.html 2> build.err ||
    { echo "FAIL: build exited $?"; cat build.err; exit 1; }
"$bin" publish "$sample/meeting.xml" -o site 2> publish.err ||
    { echo "FAIL: publish exited $?"; cat publish.err; exit 1; }
# and the golden fixture (every block the format has) and the images' one
"$bin" build --format html "$root/tests/golden/basic/report.xml" -o basic.html 2>> build.err ||
    fail "build of basic exited $?"
"$bin" build --format html "$root/tests/fixtures/archive-image/report.xml" -o images.html \
    2>> build.err || fail "build of archive-image exited $?"
# format 1.1's values: trend arrows, tick boxes, chips, identifier boxes
for f in trend options ratings front; do
    "$bin" build --format html "$root/tests/golden/$f/report.xml" -o "$f.html" 2>> build.err ||
        fail "build of $f exited $?"
done
# header-after-group: a header row repeated in the body (issue 13 need 4)
"$bin" build --format html "$root/tests/golden/group-header/report.xml" -o group-header.html \
    2>> build.err || fail "build of group-header exited $?"
pages=(report.html site/*.html basic.html images.html trend.html options.html ratings.html front.html
       group-header.html)
[ ${#pages[@]} -ge 5 ] || fail "only ${#pages[@]} pages: ${pages[*]}"

echo "== axe-core: ${pages[*]}"
CHROMIUM=$chromium timeout 600 node "$browser/axe.mjs" "${pages[@]}" > axe.out 2>&1
rc=$?
cat axe.out
[ $rc -eq 0 ] || fail "axe-core: exit $rc"

echo "== Nu HTML Checker"
timeout 300 java -jar "$browser/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only \
    "${pages[@]}" > vnu.out 2>&1
rc=$?
cat vnu.out
[ $rc -eq 0 ] || fail "vnu: exit $rc"

echo "== printed by chromium"
timeout 300 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$work/profile" --no-pdf-header-footer \
    --print-to-pdf="$work/printed.pdf" "file://$work/report.html" > print.out 2>&1
[ -s printed.pdf ] || { fail "chromium printed nothing"; cat print.out; exit 1; }
pdftotext -enc UTF-8 printed.pdf printed.txt || fail "pdftotext exited $?"
python3 "$root/tests/e2e/seedtext.py" check-source "$sample/report.xml" printed.txt ||
    fail "the printed page does not say the source in order"
python3 "$root/tests/e2e/rag_colours.py" check printed.pdf "$sample/report.xml" "$work/rag" ||
    fail "rating cells of the printed page"
exit $status
