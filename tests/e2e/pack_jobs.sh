#!/bin/bash
# -j N / --jobs N: a pack's reports are read, checked and laid out on N
# threads; the PDF, its manifest and the diagnostics are the same bytes
# for any N (six copies of the sample report, one with an error, one for
# another day); a count outside 1..64 is a usage error.
# usage: pack_jobs.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 root=$2 work=$3
fresh_workdir "$work"
export SOURCE_DATE_EPOCH=1700000000
src="$root/input/council-2025-01-29"
cp "$src"/appendix-1.xml "$src"/appendix-2.xml .
items=
for i in 1 2 3 4 5 6; do
    cp "$src/report.xml" "report-$i.xml"
    items="$items    <item id=\"r$i\" title=\"Report $i\" report=\"report-$i.xml\"/>"$'\n'
done
sed -i 's/date="2025-01-29"/date="2025-01-30"/' report-3.xml
/usr/bin/python3 - "$src/meeting.xml" "$items" <<'PY'
import re, sys
m = open(sys.argv[1]).read()
open("meeting.xml", "w").write(re.sub(r"<agenda>.*</agenda>", "<agenda>\n" + sys.argv[2] + "  </agenda>", m, flags=re.S))
PY
for n in 1 2 3; do
    mkdir -p "j$n"
    "$bin" pack meeting.xml -j "$n" -o "j$n/pack.pdf" 2>"j$n/err.txt" ||
        fail "pack -j $n: $(cat "j$n/err.txt")"
done
grep -F "meeting.xml:" j1/err.txt >/dev/null || fail "no warning for report-3: $(cat j1/err.txt)"
for n in 2 3; do
    cmp j1/pack.pdf "j$n/pack.pdf" >/dev/null || fail "-j $n: another PDF than -j 1"
    cmp j1/pack.manifest "j$n/pack.manifest" >/dev/null || fail "-j $n: another manifest"
    cmp j1/err.txt "j$n/err.txt" >/dev/null || fail "-j $n: other diagnostics"
done
# --since and a rebuild from the cache hash the files (and the published
# PDF) on the pool too: the same supplement, rebuild and messages for any N
"$bin" pack meeting.xml -o pub.pdf 2>/dev/null || fail "publish for --since"
cp pub.pdf pub.keep
sed -i '0,/<p>/s//<p>Corrected. /' report-4.xml
for n in 1 2 3; do
    "$bin" pack meeting.xml -j "$n" --since pub.pdf -o "j$n/supp.pdf" 2>"j$n/supp.txt" ||
        fail "--since -j $n: $(cat "j$n/supp.txt")"
    cp -r j1/pack.cache "j$n/c.cache" 2>/dev/null
    "$bin" pack meeting.xml -j "$n" -o "j$n/c.pdf" 2>"j$n/c.txt" || fail "rebuild -j $n: $(cat "j$n/c.txt")"
done
"$bin" pack meeting.xml --no-cache -o clean.pdf 2>clean.txt || fail "clean build: $(cat clean.txt)"
for n in 1 2 3; do
    [ "$(/usr/bin/python3 "$root/tests/e2e/manifest.py" "j$n/supp.manifest" present)" = 4 ] ||
        fail "--since -j $n: not item 4 alone"
    cmp j1/supp.pdf "j$n/supp.pdf" >/dev/null || fail "--since -j $n: another supplement than -j 1"
    cmp j1/supp.txt "j$n/supp.txt" >/dev/null || fail "--since -j $n: other diagnostics"
    cmp clean.pdf "j$n/c.pdf" >/dev/null || fail "rebuild -j $n: not the clean build"
    cmp clean.txt "j$n/c.txt" >/dev/null || fail "rebuild -j $n: other diagnostics than the clean build"
done
# a PDF that is not the manifest's: the same error, no supplement
printf 'x' >>pub.pdf
for n in 1 2; do
    "$bin" pack meeting.xml -j "$n" --since pub.pdf -o "nb$n.pdf" 2>"nb$n.txt"
    [ $? -eq 1 ] || fail "--since a changed PDF, -j $n: not exit 1"
    [ -e "nb$n.pdf" ] && fail "--since a changed PDF, -j $n: wrote a supplement"
done
grep -q "does not belong" nb1.txt || fail "--since a changed PDF: $(cat nb1.txt)"
cmp nb1.txt nb2.txt >/dev/null || fail "--since a changed PDF: other diagnostics with -j 2"
sed -i '0,/<p>/s//<p><bogus\/>/' report-5.xml
for n in 1 2; do
    "$bin" pack meeting.xml --jobs "$n" -o "bad$n.pdf" 2>"bad$n.txt"
    [ $? -eq 1 ] || fail "--jobs $n with an error: not exit 1"
    [ -e "bad$n.pdf" ] && fail "--jobs $n with an error wrote a PDF"
done
grep -F "report-5.xml:" bad1.txt >/dev/null || fail "no error for report-5: $(cat bad1.txt)"
cmp bad1.txt bad2.txt >/dev/null || fail "--jobs 2: other diagnostics than --jobs 1"
for bad in 0 65 two ""; do
    "$bin" pack meeting.xml -j "$bad" -o x.pdf 2>/dev/null
    [ $? -eq 2 ] || fail "-j '$bad' is not a usage error"
done
exit $status
