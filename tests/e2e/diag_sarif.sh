#!/bin/bash
# --diagnostics=sarif: a SARIF 2.1.0 log that validates against the SARIF
# schema (tests/sarif, ajv; installed by .ci/deps test), with each
# diagnostic's file as a URI, line and column (characters); and
# --color: escape sequences with always, none with never or auto when
# stderr is a file.
# usage: diag_sarif.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1
root=$2
work=$3
js="$root/tests/sarif"
fail() { echo "FAIL: $*"; exit 1; }
[ -d "$js/node_modules/ajv-draft-04" ] ||
    fail "$js/node_modules missing (bash .ci/deps test runs npm ci there)"
rm -rf "$work" && mkdir -p "$work/a dir" && cd "$work" || exit 1
inv="$root/tests/invalid"
cp "$inv/words-misspelt-attribute.xml" "a dir/é report.xml"

# errors with positions, one in a path that needs percent-encoding, one
# without a file's position (a missing file) and a report without errors
"$bin" check --diagnostics=sarif "$inv/words-bare-ampersand.xml" \
    "a dir/é report.xml" "$inv/words-text-outside-p.xml" missing.xml \
    > out.txt 2> log.sarif
[ $? -eq 3 ] || fail "check: want exit 3 (a missing file)"
[ -s out.txt ] && fail "check wrote to stdout"
node "$js/validate.mjs" log.sarif || fail "not valid SARIF: $(head -c 2000 log.sarif)"
python3 - log.sarif <<'PY' || fail "SARIF results: $(head -c 2000 log.sarif)"
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
assert log["version"] == "2.1.0"
run = log["runs"][0]
assert run["tool"]["driver"]["name"] == "quorum"
assert run["columnKind"] == "unicodeCodePoints"
res = run["results"]
assert len(res) == 4, res
def where(r):
    loc = r["locations"][0]["physicalLocation"]
    reg = loc.get("region", {})
    return loc["artifactLocation"]["uri"], reg.get("startLine"), reg.get("startColumn")
texts = [r["message"]["text"] for r in res]
assert all(r["level"] == "error" for r in res), res
uris = [where(r) for r in res]
assert any(u == "a%20dir/%C3%A9%20report.xml" and (l, c) == (9, 8) for u, l, c in uris), uris
assert any(u.endswith("words-bare-ampersand.xml") and (l, c) == (9, 17) for u, l, c in uris), uris
assert any(u == "missing.xml" and l is None for u, l, c in uris), uris
assert "<p> takes no attribute algin; did you mean align?" in texts, texts
assert [r["properties"]["class"] for r in res].count("io") == 1, res
PY

# colour
"$bin" check --color=always "$inv/words-misspelt-value.xml" 2> always.err
grep -a $'\033\\[1;31merror:' always.err >/dev/null || fail "--color=always: no red error: $(cat -A always.err)"
grep -a $'\033\\[1;32m^' always.err >/dev/null || fail "--color=always: no green caret: $(cat -A always.err)"
"$bin" check --color=never "$inv/words-misspelt-value.xml" 2> never.err
grep -a $'\033' never.err >/dev/null && fail "--color=never wrote escapes: $(cat -A never.err)"
NO_COLOR= "$bin" check "$inv/words-misspelt-value.xml" 2> auto.err
grep -a $'\033' auto.err >/dev/null && fail "--color=auto into a file wrote escapes"
cmp -s never.err auto.err || fail "auto into a file differs from never"
"$bin" check --color=sometimes "$inv/words-misspelt-value.xml" 2> bad.err
[ $? -eq 2 ] || fail "--color=sometimes: want exit 2"
grep -F -- '--color takes auto, always or never, not: sometimes' bad.err >/dev/null ||
    fail "--color=sometimes: $(head -c 300 bad.err)"
echo "diag_sarif: ok"
