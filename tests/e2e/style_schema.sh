#!/usr/bin/env bash
# schema/quorum-style-1.xsd and quorum's own style checks agree: every
# shipped style is valid for both; mistakes are rejected by both; and every
# element and attribute the schema allows is one quorum knows.  (A rating's
# contrast is quorum's alone: test_style checks it.)
#   bash style_schema.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$(cd "$2" && pwd) work=$3
mkdir -p "$work"
export QUORUM_FONT_DIR="$root/fonts"
xsd="$root/schema/quorum-style-1.xsd"
xml="$root/tests/golden/basic/report.xml"
status=0
fail() { echo "FAIL: $*"; status=1; }

n=0
for s in "$root"/styles/*.xml; do
    n=$((n + 1))
    xmllint --noout --schema "$xsd" "$s" 2>"$work/lint.err" || { fail "$s is not valid for the XSD"; cat "$work/lint.err"; }
    "$bin" dump "$xml" --style "$s" -o "$work/out.txt" 2>"$work/q.err" || { fail "quorum rejects $s"; cat "$work/q.err"; }
done
[ $n -ge 2 ] || fail "want at least two shipped styles, found $n"

i=0
for body in '<tables header-fill="#12345"/>' '<page margin-left="20"/>' \
            '<text colour="#000000"/>' '<colours/>' '<font role="notes"/>' \
            '<header><middle>x</middle></header>' '<logo src="x.png"/>' \
            '<ratings><rating code="R" fill="#C00000" color="#FFFFFF"/><rating code="R" fill="#D62828" color="#FFFFFF"/></ratings>'; do
    i=$((i + 1))
    f="$work/bad$i.xml"
    printf '<style xmlns="urn:quorum:style:1">\n  %s\n</style>\n' "$body" > "$f"
    xmllint --noout --schema "$xsd" "$f" 2>/dev/null && fail "XSD accepts $body"
    "$bin" dump "$xml" --style "$f" -o "$work/out.txt" 2>"$work/bad$i.err"
    rc=$?
    [ $rc -eq 1 ] || fail "quorum: exit $rc for $body, want 1"
    grep -q "^$f:2:[0-9]*: error: " "$work/bad$i.err" || { fail "no error at line 2 for $body"; cat "$work/bad$i.err"; }
done

/usr/bin/python3 - "$xsd" "$root/src/style/style.c" <<'PY' || status=1
import sys, xml.etree.ElementTree as ET
XS = "{http://www.w3.org/2001/XMLSchema}"
names = set()
for el in ET.parse(sys.argv[1]).iter():
    if el.tag in (XS + "element", XS + "attribute") and el.get("name"):
        names.add(el.get("name"))
src = open(sys.argv[2], encoding="utf-8").read()
missing = sorted(n for n in names if '"%s"' % n not in src)
if missing:
    print("FAIL: in the XSD but unknown to src/style/style.c:", ", ".join(missing))
    sys.exit(1)
PY
exit $status
