#!/usr/bin/env bash
# build --format html (issue 17): the page's structure (html_check.py, which
# first shows it fails on a broken page), its default name, -o - and -o FILE
# giving the same bytes, the same bytes on a rebuild and no rewrite then,
# and the refusals: an unknown format, --archive with html, -o naming the
# input, bad input (exit 1, nothing written).
#   bash html_build.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$2 work=$3
. "$(dirname "$0")/lib.sh"
export QUORUM_FONT_DIR="$root/fonts"
fresh_workdir "$work"
check="$root/tests/e2e/html_check.py"
sample="$root/input/council-2025-01-29"

# the checker itself: a page with every fault must fail, naming each
cat > broken.html <<'HTML'
<!DOCTYPE html><html><head><title>x</title></head><body>
<h1>a</h1><h1>b</h1><h4>skipped</h4><a href="#nowhere">x</a>
<table><tr><th>no scope</th><td style="background-color:#C00000"></td></tr></table>
<img src="x.png"><p id="d">1</p><p id="d">2</p><script></script></body></html>
HTML
python3 "$check" page broken.html > broken.out
[ $? -eq 1 ] || fail "html_check.py passed a broken page"
for what in 'no lang' '2 <h1>' 'skipped' '#nowhere' 'without scope' 'colour alone' \
            'without alt' 'without caption' 'twice' 'script'; do
    grep -F -- "$what" broken.out >/dev/null || fail "html_check.py did not report: $what"
done

for name in council-2025-01-29 licensing-fees; do
    xml=$sample/report.xml
    [ $name = licensing-fees ] && xml=$root/input/licensing-fees.xml
    "$bin" build --format html "$xml" -o "$name.html" 2> "$name.err" || fail "$name: build exited $?"
    "$bin" dump "$xml" -o "$name.dump" 2>> "$name.err" || fail "$name: dump exited $?"
    python3 "$check" page "$name.html" --outline "$name.dump" --numbers "$xml" ||
        fail "$name: the page's structure"
done

# "paragraph 3.8" and the like: every <ref> of the sample is a link to an id
refs=$(grep -o '<ref to="[^"]*"' "$sample/report.xml" "$sample"/appendix-*.xml | wc -l)
links=$(grep -o '<a href="#[^"]*"' council-2025-01-29.html | wc -l)
[ "$refs" -gt 0 ] && [ "$links" -ge "$refs" ] || fail "$refs references but $links in-page links"

# the default output: beside the input, .html for .xml
cp "$root/input/licensing-fees.xml" fees.xml
"$bin" build --format html fees.xml 2> default.err || fail "default output: exit $?"
cmp -s fees.html licensing-fees.html || fail "default output fees.html differs from -o"
# -o - writes the same bytes to standard output
"$bin" build --format html fees.xml -o - > stdout.html 2> stdout.err || fail "-o -: exit $?"
cmp -s stdout.html licensing-fees.html || fail "-o - differs from the file"
# --format pdf is the default's PDF
"$bin" build --format pdf fees.xml -o fees-a.pdf && "$bin" build fees.xml -o fees-b.pdf ||
    fail "--format pdf: exit $?"
head -c 5 fees-a.pdf | grep -F '%PDF-' >/dev/null || fail "--format pdf wrote no PDF"

# a rebuild gives the same bytes and leaves the file alone
touch -d '2001-01-01 00:00' licensing-fees.html
before=$(stat -c '%Y %i' licensing-fees.html)
"$bin" build --format html "$root/input/licensing-fees.xml" -o licensing-fees.html ||
    fail "rebuild: exit $?"
[ "$(stat -c '%Y %i' licensing-fees.html)" = "$before" ] || fail "an unchanged page was rewritten"
cmp -s licensing-fees.html fees.html || fail "a rebuild gave other bytes"

# refusals
"$bin" build --format svg fees.xml -o x.html 2> fmt.err; rc=$?
[ $rc -eq 2 ] && grep -F -- '--format takes pdf or html, not: svg' fmt.err >/dev/null ||
    fail "unknown format: exit $rc, $(head -c 200 fmt.err)"
"$bin" build --format html --archive fees.xml -o x.html 2> arch.err; rc=$?
[ $rc -eq 2 ] || fail "--archive with html: exit $rc"
"$bin" pack --format html "$sample/meeting.xml" -o x.pdf 2> pack.err; rc=$?
[ $rc -eq 2 ] || fail "--format on pack: exit $rc"
cp fees.xml keep.xml
"$bin" build --format html fees.xml -o fees.xml 2> self.err; rc=$?
[ $rc -eq 2 ] && cmp -s fees.xml keep.xml || fail "-o naming the input: exit $rc, input changed?"
mkdir -p adir
"$bin" build --format html fees.xml -o adir 2> dir.err; rc=$?
[ $rc -eq 2 ] || fail "-o naming a folder: exit $rc"
# bad input: exit 1, a positioned error, nothing written
sed 's/<report /<report bogus="1" /' fees.xml > bad.xml
"$bin" build --format html bad.xml -o bad.html 2> bad.err; rc=$?
[ $rc -eq 1 ] || fail "bad input: exit $rc"
grep -E '^bad\.xml:[0-9]+:[0-9]+: error:' bad.err >/dev/null || fail "bad input: $(head -c 300 bad.err)"
[ ! -e bad.html ] || fail "bad input: a page was written"
[ -z "$(ls -A | grep -E '\.tmp|~$')" ] || fail "temporary files left: $(ls -A)"

# Format 1.1's values (issue 13) keep what the PDF says: each direction of
# travel its arrow and word, each tick box its state in words, a chip its
# colour, identifier boxes their rows, a hidden title no row of its own.
g="$root/tests/golden"
"$bin" build --format html "$g/trend/report.xml" -o trend.html || fail "trend: exit $?"
for w in '>↑</span><span class="vh">improved<' '>→</span><span class="vh">no change<' \
         '>↓</span><span class="vh">declined<'; do
    grep -F -- "$w" trend.html >/dev/null || fail "trend: no $w"
done
"$bin" build --format html "$g/options/report.xml" -o options.html || fail "options: exit $?"
[ "$(grep -o '(selected)' options.html | wc -l)" -eq 5 ] || fail "options: not 5 selected: $(grep -o '(selected)' options.html | wc -l)"
grep -F 'This is Spending: <span class="option">' options.html >/dev/null || fail "options: inline label"
"$bin" build --format html "$g/ratings/report.xml" -o ratings.html || fail "ratings: exit $?"
grep -F '<span class="chip" style="background-color:#FFC000;color:#000000;">AMBER</span>' ratings.html >/dev/null ||
    fail "ratings: the AMBER chip without its colour"
"$bin" build --format html "$g/front/report.xml" -o front.html || fail "front: exit $?"
for w in '>Agenda Item</th><td>7<' '>Report No</th><td>HC/3/20<' '>Reference</th><td>EXE24-059<'; do
    grep -F -- "$w" front.html >/dev/null || fail "front: no identifier row $w"
done
grep -F '>Report Title</th>' front.html >/dev/null && fail "front: the hidden title has a row"
for f in trend options ratings front; do python3 "$check" page "$f.html" >/dev/null || fail "$f: html_check.py"; done
exit $status
