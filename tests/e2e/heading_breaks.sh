#!/bin/bash
# A <br/> in a heading or front-sheet field is a space wherever the text is
# read as one line: the PDF's title and subject, the bookmarks and the
# running footer ("Committee 11 December", not "Committee11 December").
# usage: heading_breaks.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
fresh_workdir "$work"
cat >r.xml <<'XML'
<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <heading>Report to Licensing<br/>Committee</heading>
    <field role="title" label="Report Title">Fees<br/>2025</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday,<br/>29 January 2025</field>
  </front-sheet>
  <section id="s"><heading>Executive<br/>Summary</heading><p>Text.</p></section>
</report>
XML
"$bin" dump r.xml -o r.dump 2>err.txt || { fail "dump: $(cat err.txt)"; exit 1; }
grep -xF 'title "Fees 2025"' r.dump >/dev/null || fail "title: $(grep '^title' r.dump)"
grep -F 'subject "Report to Licensing Committee, 29 January 2025"' r.dump >/dev/null ||
    fail "subject: $(grep '^subject' r.dump)"
grep -E '^outline .*"1\. Executive Summary"$' r.dump >/dev/null ||
    fail "bookmark: $(grep '^outline' r.dump)"
grep -E '^  text Artifact .*"Fees 2025"$' r.dump >/dev/null ||
    fail "running footer: $(grep 'text Artifact' r.dump)"
grep -F 'Fees2025' r.dump >/dev/null && fail "the break is lost somewhere: $(grep -F Fees2025 r.dump)"
exit $status
