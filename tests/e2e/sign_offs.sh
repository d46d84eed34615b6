#!/bin/bash
# Sign-offs as councils write them (docs/format.md "Implications",
# docs/style.md <sign-offs>): the role alone stands where a name would in
# a two-line box; the house style gives the words before the name ("Provided
# by:") and before a not-applicable reason, and with missing="none" an
# implication without a sign-off is no warning; a bad missing= is a
# positioned style error; a sign-off with neither name nor title is an
# error.
# usage: sign_offs.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
fresh_workdir "$work"
cat >r.xml <<'XML'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Fees</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
  <implication type="financial">
    <heading>Financial Implications</heading>
    <p>None.</p>
    <sign-off title="Section 151 Officer" date="2025-01-08"/>
  </implication>
  <implication type="legal">
    <heading>Legal Implications</heading>
    <not-applicable>No legal effect.</not-applicable>
  </implication>
  <implication type="risk">
    <heading>Risk</heading>
    <p>Low.</p>
  </implication>
</report>
XML
cat >provided.xml <<'XML'
<style xmlns="urn:quorum:style:1" name="provided">
  <sign-offs lead="Provided by:" not-applicable="Not relevant" missing="none"/>
</style>
XML
printf '%s\n' '<style xmlns="urn:quorum:style:1" name="bad">' \
    '  <sign-offs missing="sometimes"/>' '</style>' >bad.xml

# the built-in wording, and the warning for the risk implication
"$bin" dump r.xml -o plain.dump 2>plain.err || fail "dump: $(cat plain.err)"
grep -F '"Implications Verified by "' plain.dump >/dev/null || fail "no default lead"
grep -F '"Not applicable: "' plain.dump >/dev/null || fail "no default not-applicable words"
grep -F 'r.xml:15:3: warning: risk implications have neither' plain.err >/dev/null ||
    fail "no warning for the risk implication: $(cat plain.err)"
# role only: the role on the first line, the date on the second
role=$(grep -F '"Section 151 Officer"' plain.dump | awk '{print $5}')
date=$(grep -F '"Date 8 January 2025"' plain.dump | awk '{print $5}')
lead=$(grep -F '"Implications Verified by "' plain.dump | awk '{print $5}')
[ -n "$role" ] && [ "$role" = "$lead" ] || fail "the role is not beside the lead ($role, $lead)"
[ -n "$date" ] && awk -v a="$date" -v b="$role" 'BEGIN { exit !(a - b > 10 && a - b < 20) }' ||
    fail "the date is not on the line after the role ($date, $role)"

# the house style's wording, and no warning
"$bin" dump r.xml --style "$work/provided.xml" -o styled.dump 2>styled.err ||
    fail "dump --style: $(cat styled.err)"
grep -F '"Provided by: "' styled.dump >/dev/null || fail "no Provided by:"
grep -F '"Not relevant: "' styled.dump >/dev/null || fail "no styled not-applicable words"
grep -F 'Implications Verified' styled.dump >/dev/null && fail "the default lead is still printed"
[ -s styled.err ] && fail "warnings with missing=\"none\": $(cat styled.err)"
"$bin" check --werror --style "$work/provided.xml" r.xml 2>check.err ||
    fail "check --werror with missing=none: $(cat check.err)"

# a bad missing= value: the style is broken, nothing is laid out
"$bin" dump r.xml --style "$work/bad.xml" -o bad.dump 2>bad.err
rc=$?
[ $rc -eq 1 ] || fail "bad missing=: exit $rc, want 1"
grep -F "$work/bad.xml:2:14: error: missing=\"sometimes\" is not \"warning\" or \"none\"" bad.err >/dev/null ||
    fail "no positioned error for missing=: $(cat bad.err)"
[ -e bad.dump ] && fail "a broken style wrote a dump"

# a sign-off with neither name nor title
sed 's|<sign-off title="Section 151 Officer"|<sign-off|' r.xml >nobody.xml
"$bin" check nobody.xml 2>nobody.err
rc=$?
[ $rc -eq 1 ] || fail "sign-off without name or title: exit $rc, want 1"
grep -F 'nobody.xml:9:5: error: <sign-off> needs a name, or a title' nobody.err >/dev/null ||
    fail "no error for a sign-off without name or title: $(cat nobody.err)"

# a sign-off's own lead (Bristol: "Legal Team Leader:") wins over the
# style's for that one, in the PDF and the HTML; the others keep the style's
sed 's|<sign-off title="Section 151 Officer"|<sign-off lead="Legal Team Leader:" title="Section 151 Officer"|' r.xml >own.xml
sed -i 's|<p>Low.</p>|<p>Low.</p><sign-off name="Kim Lee" date="2025-01-09"/>|' own.xml
"$bin" dump own.xml --style "$work/provided.xml" -o own.dump 2>own.err || fail "dump own lead: $(cat own.err)"
grep -F '"Legal Team Leader: "' own.dump >/dev/null || fail "the sign-off's own lead is not printed"
[ "$(grep -cF '"Provided by: "' own.dump)" = 1 ] || fail "the other sign-off lost the style's lead"
"$bin" build --format html own.xml --style "$work/provided.xml" -o own.html 2>own.herr ||
    fail "html own lead: $(cat own.herr)"
grep -F '<p>Legal Team Leader: <strong>' own.html >/dev/null || fail "HTML: no own lead"
grep -F '<p>Provided by: <strong>Kim Lee' own.html >/dev/null || fail "HTML: the other lost the style's lead"
exit $status
