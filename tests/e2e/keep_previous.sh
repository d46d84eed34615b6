#!/bin/bash
# Safe failure (issue 4): when a build fails, whatever the reason, the PDF
# already at the output path is byte-identical afterwards and nothing else
# is left in its directory.  (A full disk: pdf_diskfull.sh.)
# usage: keep_previous.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
sample=$repo/input/council-2025-01-29/report.xml
mkdir out
OUT=$work/out/report.pdf

"$bin" build "$sample" -o "$OUT" 2> good.err || fail "the sample does not build: $(cat good.err)"
head -c 5 "$OUT" | grep -q '%PDF-' || fail "no PDF at $OUT"
cp "$OUT" previous.pdf

# unchanged NAME STATUS ARGS...: the build exits STATUS and leaves OUT alone
unchanged() {
    local name=$1 want=$2
    shift 2
    timeout 60 "$bin" build "$@" -o "$OUT" > "$name.out" 2> "$name.err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$name: exited $rc, want $want: $(head -c 400 "$name.err")"
    cmp -s "$OUT" previous.pdf || fail "$name: $OUT was changed"
    local left
    left=$(ls -A out | grep -v -x report.pdf)
    [ -z "$left" ] && return 0
    fail "$name: files left beside the output: $left"
    (cd out && ls -A | grep -v -x report.pdf | xargs -r rm -f)
}

# invalid input: checked before anything is written
cat > bad.xml <<'EOF'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Bad</field>
    <field role="meeting-date" label="Date" date="2025-02-30">30 February</field>
  </front-sheet>
</report>
EOF
unchanged invalid 1 bad.xml
grep -q '^bad.xml:4:45: error: date "2025-02-30" is not a valid ISO 8601 date' invalid.err ||
    fail "invalid: $(cat invalid.err)"
printf '<report xmlns="urn:quorum:report:1"><front-sheet>' > truncated.xml
unchanged malformed 1 truncated.xml
unchanged invalid-meeting 1 "$repo/tests/invalid/meeting-late-without-urgency.xml"
# an error only the schema finds (the check has nothing more to say): it
# counts as much as the check's own (the PDF was written, exit 1, before)
# (its text changed too, so a PDF written over the previous one differs)
sed '0,/<p>/s//<p bogus="1">Changed. /' "$sample" > schema-only.xml
cp "$(dirname "$sample")"/appendix-*.xml . 2>/dev/null
unchanged schema-only 1 schema-only.xml
grep -q "^schema-only.xml:[0-9]*:[0-9]*: error: .*takes no attribute bogus" schema-only.err ||
    fail "schema-only: $(head -c 300 schema-only.err)"

# a warning under --werror
cat > warn.xml <<'EOF'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">A report with a warning</field>
  </front-sheet>
  <implication type="risk"><heading>Risk</heading><p>None.</p></implication>
</report>
EOF
unchanged werror 1 --werror warn.xml

# input/output failures
unchanged missing-input 3 "$work/no-such-report.xml"
unchanged missing-font-dir 3 "$sample" --font-dir /nonexistent
grep -q 'error: cannot open font file /nonexistent/' missing-font-dir.err ||
    fail "missing font dir: no clear message: $(cat missing-font-dir.err)"
grep -q 'error: .*is not a valid\|error: .*unknown element' missing-font-dir.err &&
    fail "missing font dir reported as invalid input: $(cat missing-font-dir.err)"
mkdir -p fonts-empty
unchanged empty-font-dir 3 "$sample" --font-dir "$work/fonts-empty"

# the control: a good build does replace the file, cleanly
"$bin" build warn.xml -o "$OUT" 2> replace.err || fail "good build failed: $(cat replace.err)"
cmp -s "$OUT" previous.pdf && fail "a good build did not replace $OUT"
qpdf --check "$OUT" > /dev/null 2>&1 || fail "the replaced PDF is broken"
left=$(ls -A out | grep -v -x report.pdf)
[ -z "$left" ] || fail "files left after a good build: $left"

[ "$status" -eq 0 ] && echo "ok: failed builds leave the previous PDF untouched"
exit "$status"
