#!/bin/bash
# quorum import refuses hostile Word packages (issue 14) with one clear
# error naming the file and exit 1, within a bound, and writes nothing:
# the file already at -o is left as it was.  The packages are made by
# import_docs.py hostile: a part over the 32 MiB limit, one compressed
# more than 200 times, one that inflates past the size the zip's
# directory declares, more than 10,000 parts, part names that are
# absolute or climb with "..",
# a relationship that climbs out of the package, XML nested 300 deep, no
# word/document.xml, a document that is not well-formed, a text file and
# a cut-short zip.  -o naming the .docx itself is a usage error (2).
# usage: import_hostile.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
/usr/bin/python3 "$repo/tests/e2e/import_docs.py" hostile h || { echo "FAIL: making the packages"; exit 1; }

# expect NAME STATUS PATTERN: import h/NAME.docx exits STATUS, says
# PATTERN (grep -E) on stderr, and out.xml keeps its bytes.
expect() {
    local name=$1 want=$2 pattern=$3
    echo "previous" > out.xml
    timeout 20 "$bin" import "h/$name.docx" -o out.xml > "$name.out" 2> "$name.err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want: $(head -c 400 "$name.err")"
    grep -E -- "$pattern" "$name.err" >/dev/null || fail "$name: no '$pattern' in: $(head -c 400 "$name.err")"
    [ "$(cat out.xml)" = previous ] || fail "$name: out.xml was written over"
    ls h/*.docx.* h/.*.docx* out.xml.* 2>/dev/null && fail "$name: a temporary file is left"
}

expect bomb-size 1 '^h/bomb-size\.docx: error: refused: part word/styles\.xml is larger than the 32 MiB limit$'
expect bomb-ratio 1 '^h/bomb-ratio\.docx: error: refused: part word/styles\.xml is compressed more than 200 times'
expect bomb-lying 1 '^h/bomb-lying\.docx: error: part word/styles\.xml is damaged: its size is not the one declared$'
expect many-parts 1 '^h/many-parts\.docx: error: the package has more than 10000 parts$'
expect traversal 1 'error: refused: the package has a part named "\.\./\.\./evil\.xml" with a "\.\." segment$'
expect absolute 1 'error: refused: the package has a part named "/etc/evil\.xml" with an absolute path$'
expect rel-traversal 1 'error: refused: relationship rId9 points outside the package \("\.\./\.\./\.\./etc/passwd"\)$'
expect deep 1 '^h/deep\.docx/word/document\.xml:[0-9]+:[0-9]+: error: elements nested more than 256 deep$'
expect no-document 1 'error: not a Word document: the package has no word/document\.xml$'
expect not-xml 1 '^h/not-xml\.docx/word/document\.xml:[0-9]+:[0-9]+: error: '
expect not-a-zip 1 '^h/not-a-zip\.docx: error: not a Word document: not a zip package'
expect truncated 1 '^h/truncated\.docx: error: not a Word document: not a zip package'
# every refusal is one error, nothing more
for f in *.err; do
    grep -c ': error: ' "$f" | grep -x 1 >/dev/null || fail "$f: not exactly one error: $(cat "$f")"
done

# -o naming the Word document: refused before anything is read or written
cp h/not-a-zip.docx same.docx
timeout 20 "$bin" import same.docx -o same.docx 2> same.err
rc=$?
[ $rc -eq 2 ] || fail "-o the input: exit $rc, want 2: $(cat same.err)"
cmp -s same.docx h/not-a-zip.docx || fail "-o the input: the .docx was written over"
# -o -: a report's images go beside it, so standard output is refused
timeout 20 "$bin" import same.docx -o - 2> dash.err
[ $? -eq 2 ] || fail "-o -: want a usage error: $(cat dash.err)"
# a FIFO named as the document is never waited on
mkfifo fifo.docx
timeout 20 "$bin" import fifo.docx -o f.xml 2> fifo.err
rc=$?
[ $rc -eq 3 ] || fail "FIFO: exit $rc, want 3: $(cat fifo.err)"
[ -e f.xml ] && fail "FIFO: f.xml written"
exit $status
