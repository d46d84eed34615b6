#!/bin/bash
# quorum extract on libqpdf (issue 15): an archive copy re-saved by qpdf
# (defaults, --object-streams=generate, --linearize) and by pikepdf gives
# the same files back; files embedded only in a FileAttachment annotation
# or the catalog's /AF (compressed, with a checksum) are found; an
# encrypted copy opens with an empty user password and is refused with
# one; and the hostile files of the issue: a name tree that reuses its
# nodes (40**7 paths in 3 KB), 150,000 names (the duplicate check was
# quadratic), a hard link planted in DIR (never written through), names
# with escapes and invalid UTF-8 (escaped in text, valid JSON).  The full disk is
# extract_diskfull.sh; the output cap is tests/unit/test_pdfin.c.
# usage: extract.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
py=/usr/bin/python3
make="$py $repo/tests/e2e/extract_pdfs.py"
input=$repo/input/council-2025-01-29

# same_files DIR: DIR holds exactly the archive copy's four files.
same_files() {
    local f
    for f in report.xml appendix-1.xml appendix-2.xml; do
        cmp -s "$input/$f" "$1/$f" || fail "$1/$f differs from the source"
    done
    cmp -s "$repo/styles/committee.xml" "$1/committee.xml" || fail "$1/committee.xml differs"
    [ "$(ls -A "$1" 2>/dev/null | tr '\n' ' ')" = "appendix-1.xml appendix-2.xml committee.xml report.xml " ] ||
        fail "$1 holds: $(ls -A "$1" 2>/dev/null | tr '\n' ' ')"
}

"$bin" build "$input/report.xml" --archive=3b -o a3.pdf 2>build.err || fail "build: $(cat build.err)"
qpdf a3.pdf q-default.pdf
qpdf --object-streams=generate a3.pdf q-objstm.pdf
qpdf --linearize a3.pdf q-linear.pdf
$make pikepdf a3.pdf q-pikepdf.pdf
for v in default objstm linear pikepdf; do
    timeout 10 "$bin" extract "q-$v.pdf" "x-$v" 2>"x-$v.err" || fail "extract q-$v.pdf: $(cat "x-$v.err")"
    same_files "x-$v"
done

# encrypted: with an empty user password (any reader opens it) the files
# come out; with a password, a clear refusal and nothing written
qpdf --encrypt "" owner 256 -- a3.pdf enc-open.pdf
"$bin" extract enc-open.pdf x-enc-open 2>enc-open.err || fail "extract enc-open.pdf: $(cat enc-open.err)"
same_files x-enc-open
qpdf --encrypt user owner 256 -- a3.pdf enc-user.pdf
"$bin" extract enc-user.pdf x-enc-user >/dev/null 2>enc-user.err
[ $? -eq 1 ] || fail "extract enc-user.pdf: $(cat enc-user.err)"
grep 'cannot extract from enc-user.pdf: it is encrypted with a password$' enc-user.err >/dev/null ||
    fail "enc-user.pdf: $(cat enc-user.err)"
[ -e x-enc-user ] && fail "enc-user.pdf: something was written"

# embedded otherwise: an annotation's file, a compressed file in /AF only
printf 'annotated\n' >ann.txt
$make annot annot.pdf ann.txt ann.txt
"$bin" extract annot.pdf x-annot 2>annot.err || fail "extract annot.pdf: $(cat annot.err)"
cmp -s ann.txt x-annot/ann.txt || fail "the annotation's file differs"
seq 1 5000 >big.txt
$make af af.pdf big.txt big.txt
"$bin" extract af.pdf x-af 2>af.err || fail "extract af.pdf: $(cat af.err)"
cmp -s big.txt x-af/big.txt || fail "the /AF file differs"

# a name tree that reuses nodes: each visited once
$make dag dag.pdf 7 40
timeout 10 "$bin" extract dag.pdf x-dag >/dev/null 2>dag.err
rc=$?
[ $rc -eq 0 ] || fail "extract dag.pdf exited $rc (124: a hang): $(head -c 300 dag.err)"
[ "$(cat x-dag/a.txt 2>/dev/null)" = hello ] || fail "dag.pdf: a.txt not extracted"

# 150,000 names, the last unsafe: refused, nothing written.  About 2 s of
# CPU (7 under ASan); the quadratic check took over 100 s.
$make many many.pdf 150000
timeout 90 "$bin" extract many.pdf x-many >/dev/null 2>many.err
rc=$?
[ $rc -eq 1 ] || fail "extract many.pdf exited $rc (124: too slow), want 1"
grep 'attachment name "../escaped.txt" is not a plain file name' many.err >/dev/null ||
    fail "many.pdf: $(head -c 300 many.err)"
[ -e x-many ] && fail "many.pdf: something was written: $(ls x-many | head -3)"

# a hard link planted in DIR is replaced, never written through
mkdir x-link
printf 'secret\n' >secret.txt
ln secret.txt x-link/report.xml
"$bin" extract a3.pdf x-link 2>link.err || fail "extract into x-link: $(cat link.err)"
[ "$(cat secret.txt)" = secret ] || fail "extract wrote through a hard link"
same_files x-link

# names reach the terminal escaped, and JSON stays valid UTF-8: an ESC and
# a newline in a UTF-16 name, invalid UTF-8 after a UTF-8 mark
$make name esc.pdf "b'\\xfe\\xff\\x00e\\x00\\x1b\\x00[\\x002\\x00J\\x00\\n\\x00f\\x00a\\x00k\\x00e'"
"$bin" extract esc.pdf x-esc >/dev/null 2>esc.err
[ $? -eq 1 ] || fail "extract esc.pdf: $(cat esc.err)"
grep 'not a plain file name' esc.err >/dev/null || fail "esc.pdf: $(cat esc.err)"
LC_ALL=C grep $'\x1b' esc.err >/dev/null && fail "esc.pdf: an escape reached the terminal"
[ "$(wc -l <esc.err)" -eq 2 ] || fail "esc.pdf: a forged line: $(cat esc.err)"
$make name utf.pdf "b'\\xef\\xbb\\xbfbad\\xff\\xc3.txt'"
"$bin" extract utf.pdf x-utf --diagnostics json >/dev/null 2>utf.json
[ $? -eq 1 ] || fail "extract utf.pdf: $(cat utf.json)"
$py -c 'import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert len(d) == 1 and "not a plain file name" in d[0]["message"], d' utf.json ||
    fail "utf.pdf: the JSON is not valid UTF-8 JSON: $(head -c 300 utf.json)"

[ $status -eq 0 ] && echo "extract: ok"
exit $status
