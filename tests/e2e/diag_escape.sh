#!/bin/bash
# Diagnostics quote names an input's author chose (issue 12): in text,
# control characters (a newline forging a diagnostic line of its own,
# carriage return, C1's one-byte CSI), line separators and bidirectional
# overrides are escaped, and bytes that are not UTF-8 are written \xNN, so
# each diagnostic stays one line and nothing reaches the terminal as a
# control; --diagnostics=json is valid UTF-8 JSON whatever the bytes,
# with the characters themselves (U+FFFD for a byte that is not UTF-8).
# usage: diag_escape.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
fresh_workdir "$work"

# an appendix href with CR LF, a forged diagnostic, C1 CSI (U+009B), a
# right-to-left override (U+202E) and a line separator (U+2028)
cat >forge.xml <<'EOF'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Title</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
  <appendices>
    <appendix href="x&#13;&#10;forged.xml:1:1: error: all is well&#x9b;2J&#x202e;&#x2028;.xml"/>
  </appendices>
</report>
EOF
# the same report under a name with ESC and a byte that is not UTF-8
name=$'bad\xff\x1b[31mname.xml'
cp forge.xml "$name"

"$bin" check forge.xml "$name" >text.out 2>text.err
[ $? -eq 1 ] || fail "check: want exit 1"
$py - text.err <<'EOF' || fail "text diagnostics are not escaped: $(cat -A text.err | head -c 600)"
import sys
b = open(sys.argv[1], "rb").read()
lines = b.split(b"\n")
assert lines[-1] == b"", lines
lines = lines[:-1]
for l in lines:
    t = l.decode("utf-8", "strict")   # source lines too: valid UTF-8, no control
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c in "\u202e\u2028" for c in t), repr(t)
# each diagnostic's source line and caret (quorum_diags_write) aside
import re
lines = [l for l in lines if not re.match(rb"^ *[0-9]* \| ", l)]
# two diagnostics and the count: no line forged
assert len(lines) == 3, lines
assert lines[2] == b"2 errors, 0 warnings", lines
for l in lines:
    t = l.decode("utf-8", "strict")   # valid UTF-8
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c in "\u202e\u2028" for c in t), repr(t)
want = ('error: appendix href "x\\x0D\\x0Aforged.xml:1:1: error: all is well'
        '\\u009B2J\\u202E\\u2028.xml" must name a file')
assert lines[0].decode().startswith("forge.xml:7:15: " + want), lines[0]
assert lines[1].decode().startswith("bad\\xFF\\x1B[31mname.xml:7:15: " + want), lines[1]
EOF

"$bin" check --diagnostics=json forge.xml "$name" >json.out 2>json.err
[ $? -eq 1 ] || fail "check --diagnostics=json: want exit 1"
$py - json.err <<'EOF' || fail "JSON diagnostics are not valid UTF-8 JSON: $(cat -A json.err | head -c 600)"
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
assert len(d) == 2, d
assert [x["file"] for x in d] == ["forge.xml", "bad\ufffd\x1b[31mname.xml"], d
for x in d:
    assert x["message"].startswith(
        'appendix href "x\r\nforged.xml:1:1: error: all is well\x9b2J\u202e\u2028.xml"'), x
EOF

# a message that quotes a path with a byte that is not UTF-8 (no file)
dir=$'no\xfe such'
"$bin" build forge.xml -o "$dir/out.pdf" --diagnostics=json >/dev/null 2>path.err
$py -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8","strict"))' path.err ||
    fail "JSON with a path that is not UTF-8: $(cat -A path.err | head -c 300)"
cp "$repo/input/council-2025-01-29/"*.xml .
"$bin" build report.xml -o "$dir/out.pdf" >/dev/null 2>path-text.err
[ $? -eq 3 ] || fail "build into a missing folder: want exit 3"
grep -qF 'cannot write no\xFE such/out.pdf: No such file or directory' path-text.err ||
    fail "text with a path that is not UTF-8: $(cat -A path-text.err | head -c 300)"
"$bin" build report.xml -o "$dir/out.pdf" --diagnostics=json >/dev/null 2>path.err
$py - path.err <<'EOF' || fail "JSON with a path that is not UTF-8: $(cat -A path.err | head -c 300)"
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
assert d[0]["message"] == "cannot write no\ufffd such/out.pdf: No such file or directory", d
assert d[0]["class"] == "io", d
EOF

[ $status -eq 0 ] && echo "diag_escape: ok"
exit $status
