#!/bin/bash
# Exit statuses and diagnostics output of the command (issue 4):
#   0 clean, 1 invalid input (or a warning under --werror), 2 usage,
#   3 input/output failure;
# --diagnostics=json parses and carries file/line/column/severity/class/
# message, the class saying input, io or limit as the exit status does;
# text diagnostics come sorted by position with the count line last;
# --help documents the statuses; --font-dir reaches the character check.
# usage: cli_exit.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
py=/usr/bin/python3
fresh_workdir "$work"
sample=$repo/input/council-2025-01-29/report.xml
inv=$repo/tests/invalid

# want STATUS NAME -- ARGS...: runs the command, output in NAME.out/.err
want() {
    local expect=$1 name=$2
    shift 3
    timeout 60 "$bin" "$@" > "$name.out" 2> "$name.err"
    local rc=$?
    if [ "$rc" -ne "$expect" ]; then
        fail "$name: quorum $* exited $rc, want $expect"
        sed 's/^/   /' "$name.err" | head -n 5
    fi
}

# ---- 0: clean ---------------------------------------------------------
want 0 check-sample -- check "$sample"
[ -s check-sample.err ] && fail "check of the sample printed: $(head -c 300 check-sample.err)"
want 0 build-sample -- build "$sample" -o "$work/sample.pdf"
head -c 5 sample.pdf 2>/dev/null | grep -q '%PDF-' || fail "build wrote no PDF"
want 0 check-meeting -- check "$repo/input/council-2025-01-29/meeting.xml"
want 0 help -- --help
want 0 version -- --version

# ---- 1: invalid input -------------------------------------------------
want 1 invalid -- check "$inv/bad-date.xml"
want 1 invalid-build -- build "$inv/bad-date.xml" -o "$work/bad.pdf"
[ -e bad.pdf ] && fail "an invalid report produced a PDF"
want 1 malformed -- check "$inv/mismatched-tag.xml"
want 1 build-meeting -- build "$repo/input/council-2025-01-29/meeting.xml" -o "$work/meeting.pdf"
grep -q "meeting.xml:[0-9]*:[0-9]*: error: this is a meeting file: build its agenda pack with 'quorum pack'" build-meeting.err ||
    fail "build of a meeting file: $(head -c 300 build-meeting.err)"
[ -e meeting.pdf ] && fail "building a meeting file as a report produced a PDF"

# ---- 2: usage ---------------------------------------------------------
want 2 unknown-option -- check --frobnicate "$sample"
grep -q 'unknown option: --frobnicate' unknown-option.err || fail "unknown option: $(cat unknown-option.err)"
want 2 no-input -- build
grep -q 'no input file' no-input.err || fail "no input: $(cat no-input.err)"
want 2 no-command --
want 2 unknown-command -- broadcast "$sample"
grep -q 'unknown command: broadcast' unknown-command.err || fail "unknown command: $(cat unknown-command.err)"
want 2 missing-output-arg -- build "$sample" -o
want 2 missing-font-dir-arg -- build "$sample" --font-dir
want 2 since-on-build -- build --since "$work/x.manifest" "$sample" -o "$work/since.pdf"
grep -q -- '--since applies to pack only, not: build' since-on-build.err || fail "--since on build: $(head -c 300 since-on-build.err)"
[ -e since.pdf ] && fail "build --since wrote a PDF"
want 2 supplement-on-check -- check --supplement "$sample"
grep -q -- '--supplement applies to pack only, not: check' supplement-on-check.err || fail "--supplement on check: $(head -c 300 supplement-on-check.err)"
want 2 holidays-on-dump -- dump --holidays "$work/h.txt" "$sample" -o "$work/d.txt"
grep -q -- '--holidays applies to check, pack, publish and watch only, not: dump' holidays-on-dump.err || fail "--holidays on dump: $(head -c 300 holidays-on-dump.err)"
for f in unknown-option no-input unknown-command; do
    grep -q '^usage:' "$f.err" || fail "$f: no usage text"
    [ -s "$f.out" ] && fail "$f: wrote to standard output"
done

# ---- 3: input/output --------------------------------------------------
want 3 missing-input -- check "$work/no-such-report.xml"
grep -q 'cannot read file: No such file or directory' missing-input.err ||
    fail "missing input: $(cat missing-input.err)"
want 3 missing-input-build -- build "$work/no-such-report.xml" -o "$work/x.pdf"
# a report the agenda names but that is missing: the error is at the file,
# which has no line, so a note gives the agenda's line (item 9 names it)
mkdir -p "$work/gone"
sed 's/report="report.xml"/report="gone.xml"/' "$repo/input/council-2025-01-29/meeting.xml" \
    > "$work/gone/meeting.xml"
want 3 missing-report -- pack "$work/gone/meeting.xml" -o "$work/gone/pack.pdf"
grep -q 'meeting.xml:[0-9]*:[0-9]*: note: item 9 names the report "gone.xml", which cannot be read' \
    missing-report.err || fail "missing report: no note at the agenda's line: $(cat missing-report.err)"
[ -e "$work/gone/pack.pdf" ] && fail "missing report: a pack was written"
want 3 no-output-dir -- build "$sample" -o "$work/no-such-dir/out.pdf"
grep -q "cannot write $work/no-such-dir/out.pdf" no-output-dir.err ||
    fail "unwritable output: $(cat no-output-dir.err)"
# a directory that cannot hold the file: its parent is a regular file
: > plainfile
want 3 output-under-file -- build "$sample" -o "$work/plainfile/out.pdf"
# an unwritable directory (permissions do not stop root, so only as a user)
if [ "$(id -u)" -ne 0 ]; then
    mkdir -p ro && chmod 555 ro
    want 3 read-only-dir -- build "$sample" -o "$work/ro/out.pdf"
    chmod 755 ro
fi
want 3 missing-font-dir -- build "$sample" -o "$work/f.pdf" --font-dir /nonexistent-fonts
grep -q 'cannot open font file /nonexistent-fonts/' missing-font-dir.err ||
    fail "missing font dir: $(cat missing-font-dir.err)"
[ -e f.pdf ] && fail "a PDF was written without fonts"

# --font-dir reaches the character check (through QUORUM_FONT_DIR)
want 0 check-font-dir -- check "$sample" --font-dir /nonexistent-fonts
grep -q 'characters not checked against the fonts: cannot open the regular font in /nonexistent-fonts' \
    check-font-dir.err || fail "check ignored --font-dir: $(cat check-font-dir.err)"

# ---- --werror ---------------------------------------------------------
# a report whose only finding is a warning: an implication without sign-off
cat > warn.xml <<'EOF'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">A report with a warning</field>
  </front-sheet>
  <section><heading>Introduction</heading><p>Text.</p></section>
  <implication type="risk"><heading>Risk</heading><p>None.</p></implication>
</report>
EOF
want 0 warning -- check warn.xml
grep -q '^warn.xml:6:3: warning: risk implications have neither' warning.err ||
    fail "no warning: $(cat warning.err)"
want 1 werror -- check --werror warn.xml
want 0 warning-build -- build warn.xml -o "$work/warn.pdf"
[ -s warn.pdf ] || fail "a warning stopped the build"
rm -f warn.pdf
want 1 werror-build -- build --werror warn.xml -o "$work/warn.pdf"
[ -e warn.pdf ] && fail "--werror still wrote the PDF"
want 0 meeting-warning -- check "$inv/meeting-three-clear-days.xml"
want 1 meeting-werror -- check --werror "$inv/meeting-three-clear-days.xml"
# a meeting file is checked with every public report it names, as pack
# checks it: a report's error fails the meeting's check, at the report
mkdir -p meet && cp -r "$repo/input/council-2025-01-29/." meet/
sed -i '0,/<p>/s//<p><bogus\/>/' meet/report.xml
want 1 meeting-report-error -- check meet/meeting.xml
grep -q '^meet/report.xml:[0-9]*:[0-9]*: error: <bogus> is not allowed here' meeting-report-error.err ||
    fail "a report's error not given by the meeting's check: $(head -c 300 meeting-report-error.err)"
# and with the holiday list given, which must be one
echo "not a date" > bad-holidays.txt
want 1 meeting-holidays -- check --holidays bad-holidays.txt "$repo/input/council-2025-01-29/meeting.xml"
grep -q '^bad-holidays.txt:1:1: error: .*is not a date' meeting-holidays.err ||
    fail "check --holidays did not read the list: $(head -c 300 meeting-holidays.err)"

# ---- diagnostics: sorted, counted, JSON -------------------------------
# several findings written out of order across two files
cat > many.xml <<'EOF'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Many findings</field>
    <field role="meeting-date" label="Date" date="2025-01-29">29 January 2025</field>
  </front-sheet>
  <section id="a"><heading>One</heading>
    <p>See <ref to="nowhere"/>.</p>
    <p number="1.5">x</p><p number="1.2">y</p>
  </section>
  <section id="a"><heading>Two</heading><p>z <ref to="gone"/></p></section>
  <implication type="legal"><heading>Legal</heading>
    <sign-off name="A" title="T" date="2025-02-30"/></implication>
  <implication type="risk"><heading>Risk</heading><p>None.</p></implication>
</report>
EOF
want 1 many-text -- check many.xml "$inv/bad-date.xml"
$py - many-text.err <<'EOF' || fail "text diagnostics not in order or not counted"
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
# each diagnostic's source line and caret aside (quorum_diags_write)
lines = [l for l in lines if not re.match(r"^ *[0-9]* \| ", l)]
assert len(lines) >= 6, lines
pat = re.compile(r"^(.+):(\d+):(\d+): (error|warning|note): .+$")
keys = []
for l in lines[:-1]:
    m = pat.match(l)
    assert m, "not a diagnostic: " + l
    keys.append((m.group(1), int(m.group(2)), int(m.group(3))))
files = [k[0] for k in keys]
# one block per file, each block by line then column
assert files == sorted(files, key=files.index), files
for f in set(files):
    pos = [k[1:] for k in keys if k[0] == f]
    assert pos == sorted(pos), (f, pos)
e = sum(1 for l in lines if ": error: " in l)
w = sum(1 for l in lines if ": warning: " in l)
want = "%d error%s, %d warning%s" % (e, "" if e == 1 else "s", w, "" if w == 1 else "s")
assert lines[-1] == want, (lines[-1], want)
assert e >= 4 and w >= 2, (e, w)
EOF

want 1 many-json -- check --diagnostics=json many.xml
$py - many-json.err many-text.err <<'EOF' || fail "JSON diagnostics wrong"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(d, list) and len(d) >= 6, d
for x in d:
    assert set(["file", "line", "column", "severity", "class", "message"]) <= set(x), x
    assert isinstance(x["line"], int) and isinstance(x["column"], int), x
    assert x["severity"] in ("error", "warning", "note"), x
    assert x["class"] == "input", x  # invalid input: exit 1
    assert x["file"].endswith("many.xml") and x["message"], x
pos = [(x["line"], x["column"]) for x in d]
assert pos == sorted(pos), pos
# the same findings as the text form (which also covers a second file)
text = [l for l in open(sys.argv[2], encoding="utf-8").read().splitlines()
        if l.startswith("many.xml:")]
js = ["%s:%d:%d: %s: %s" % (x["file"], x["line"], x["column"], x["severity"],
                            x["message"]) for x in d]
assert js == text, (js, text)
EOF
# JSON with nothing to say is still JSON; an I/O failure too
want 0 clean-json -- check --diagnostics=json "$sample"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d == [], d' clean-json.err ||
    fail "clean JSON: $(cat clean-json.err)"
want 3 io-json -- check --diagnostics=json "$work/no-such-report.xml"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["severity"] == "error" and d[0]["class"] == "io", d' io-json.err ||
    fail "I/O JSON: $(cat io-json.err)"
# beyond a limit: still exit 1, but a script can tell it from a mistake
$py -c 'import sys; n = 300; open(sys.argv[1], "w").write(
    "<report xmlns=\"urn:quorum:report:1\">" + "<quote>" * n + "</quote>" * n + "</report>")' \
    "$work/deep.xml"
want 1 limit-json -- check --diagnostics=json "$work/deep.xml"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [x["class"] for x in d if x["severity"] == "error"] == ["limit"], d' limit-json.err ||
    fail "limit JSON: $(cat limit-json.err)"

# ---- --help documents the statuses ------------------------------------
grep -qi 'exit status' help.out || fail "--help does not mention the exit status"
for n in 0 1 2 3; do
    grep -qE "^ +$n +[a-z]" help.out || fail "--help does not explain exit status $n"
done
# every option the parser accepts is in --help
for opt in --output --diagnostics --werror --font-dir --style \
           --archive --supplement --since --holidays --help --version; do
    grep -q -- "$opt" help.out || fail "--help does not list $opt"
done

[ "$status" -eq 0 ] && echo "ok: exit statuses 0-3, --werror, sorted and JSON diagnostics"
exit "$status"
