#!/bin/bash
# The manifest is JSON with a format name and version, its strings
# escaped, read back strictly (issue 12).  An item title holding &#10; and
# &#9; used to forge a line of the tab-separated manifest: an earlier
# item's title carried a fake line for item 9 with the hash of the
# corrected report, and a later --since said nothing had changed.  Now the
# title is one JSON string, and the supplement holds the corrected item.
# usage: pack_manifest_json.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
cp -r "$repo/input/council-2025-01-29" pub
cp -r pub fixed
sed -i '0,/This report provides Members/s//This corrected report provides Members/' fixed/report.xml
grep -q "This corrected report" fixed/report.xml || fail "the edit did not apply"

# the hash the corrected report will have, as the forger would work it out
"$bin" pack fixed/meeting.xml -o fixed.pdf 2>/dev/null || fail "pack of the corrected copy"
hash=$($py -c 'import json,sys
m = json.load(open(sys.argv[1]))
print([i for i in m["items"] if i["key"] == "irp-progress"][0]["sha256"])' fixed.manifest 2>/dev/null) ||
    hash=$(awk -F'\t' '$3=="irp-progress"{print $4}' fixed.manifest)
[ -n "$hash" ] || fail "no hash for item 9 in the corrected copy's manifest"
forged="Apologies for Absence&#10;item&#9;9&#9;irp-progress&#9;$hash&#9;5-41&#9;x"
json_line="{\"number\": \"9\", \"key\": \"irp-progress\", \"sha256\": \"$hash\", \"in_pack\": true, \"pages\": [5, 41], \"title\": \"x\"},"
sed -i "s|title=\"Apologies for Absence\"|title=\"${forged//&/\\&}\"|" pub/meeting.xml
grep -q 'irp-progress&#9;' pub/meeting.xml || fail "the forged title did not apply"
"$bin" pack pub/meeting.xml -o pub.pdf 2>pub.err || fail "publishing with the forged title: $(cat pub.err)"

# the manifest is strict UTF-8 JSON, and the title is exactly the title
$py - pub.manifest "$hash" <<'EOF' || fail "manifest: the title does not round-trip as one string"
import json, sys
m = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
assert m["format"] == "quorum-pack-manifest" and m["version"] == 3, m
t = [i for i in m["items"] if i["key"] == "apologies"][0]["title"]
assert t == "Apologies for Absence\nitem\t9\tirp-progress\t%s\t5-41\tx" % sys.argv[2], repr(t)
assert [i["key"] for i in m["items"]].count("irp-progress") == 1
EOF
grep -q "^item	9	irp-progress" pub.manifest && fail "the title forged a line of the manifest"

# the report is corrected: the supplement holds it
cp fixed/report.xml pub/report.xml
"$bin" pack pub/meeting.xml --since pub.manifest -o supp.pdf 2>supp.err
rc=$?
[ $rc -eq 0 ] || fail "supplement after the correction: exit $rc: $(cat supp.err)"
[ "$($py "$repo/tests/e2e/manifest.py" supp.manifest present 2>/dev/null)" = 9 ] ||
    fail "the corrected item 9 is not in the supplement"

# a title that looks like a JSON line of the manifest is a string too
$py -c 'import sys
from xml.sax.saxutils import quoteattr
s = open(sys.argv[1], encoding="utf-8").read()
t = quoteattr("A\n    " + sys.argv[3]).replace("\n", "&#10;")
open(sys.argv[2], "w", encoding="utf-8").write(s.replace("title=\"Apologies for Absence\"", "title=" + t, 1))' \
    fixed/meeting.xml fixed/meeting2.xml "$json_line"
grep -q 'A&#10;    {' fixed/meeting2.xml || fail "the JSON-looking title did not apply"
"$bin" pack fixed/meeting2.xml -o j.pdf 2>j.err || fail "pack with a JSON-looking title: $(cat j.err)"
$py "$repo/tests/e2e/manifest.py" j.manifest pairs || fail "the JSON-looking title broke the manifest"
want=$($py -c 'import json,sys; print(json.dumps("A\n    " + sys.argv[1]))' "$json_line")
[ "$($py "$repo/tests/e2e/manifest.py" j.manifest title apologies)" = "$want" ] ||
    fail "the JSON-looking title did not round-trip: $($py "$repo/tests/e2e/manifest.py" j.manifest title apologies)"

# strictness: edits a hand or a broken disk could make are each refused,
# at their line and column, and nothing is written
refuse() { # refuse NAME MESSAGE: fixed's pack --since NAME.manifest exits 1 with MESSAGE
    "$bin" pack fixed/meeting.xml --since "$1.manifest" -o "$1.pdf" 2>"$1.err"
    local rc=$?
    [ $rc -eq 1 ] || fail "$1: exit $rc, want 1: $(head -c 300 "$1.err")"
    grep -q "^$1.manifest:[0-9]*:[0-9]*: error: .*$2" "$1.err" || fail "$1: $(head -c 300 "$1.err")"
    [ -e "$1.pdf" ] && fail "$1: a supplement was written"
}
edit() { # edit NAME SED-EXPRESSION: NAME.manifest from fixed.manifest
    sed "$2" fixed.manifest >"$1.manifest"
}
edit dupkey '0,/"key": "minutes"/s//"key": "apologies"/'
refuse dupkey 'two items have the key "apologies"'
edit dupmember 's|"version": 3,|"version": 3, "version": 3,|'
refuse dupmember 'a member name given twice'
edit unknown 's|"pages": 42,|"pages": 42, "extra": 1,|'
refuse unknown 'unknown member "extra"'
edit version 's|"version": 3|"version": 4|'
refuse version 'a version this quorum does not read'
edit format 's|"quorum-pack-manifest"|"something-else"|'
refuse format 'not a quorum pack manifest'
$py -c 'import json; m = open("fixed.manifest").read(); h = json.loads(m)["pdf"]["sha256"]
open("hexcase.manifest", "w").write(m.replace(h, h.upper()))'
refuse hexcase 'must be 64 lowercase hex digits'
edit pages 's|"pages": \[5, 41\]|"pages": [5, 99]|'
refuse pages 'has pages outside the PDF'
edit trailing '$a ,'
refuse trailing 'more text after the end'
edit slash 's|"file": "fixed.pdf"|"file": "../fixed.pdf"|'
refuse slash 'must be a file name beside the manifest'
printf '\xef\xbb\xbf' >bom.manifest && cat fixed.manifest >>bom.manifest
refuse bom 'an unexpected character'
$py -c 'import sys; b = open("fixed.manifest","rb").read(); open("nul.manifest","wb").write(b.replace(b"\"Minutes\"", b"\"Min\\u0000utes\""))'
refuse nul 'u0000 in a string'

[ $status -eq 0 ] && echo "pack_manifest_json: ok"
exit $status
