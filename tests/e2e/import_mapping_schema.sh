#!/usr/bin/env bash
# A council's mapping file (quorum import --mapping, docs/import.md) and
# schema/quorum-import-mapping-1.xsd agree: a valid mapping passes both;
# each mistake is refused by both, quorum with exit 1, an error at the
# place in the mapping file (file:line:col) and no report written.
# usage: import_mapping_schema.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
q=$1 src=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"
command -v xmllint >/dev/null || { echo "SKIP: xmllint missing (libxml2-utils)"; exit 77; }
xsd=$src/schema/quorum-import-mapping-1.xsd
docx=$src/tests/fuzz/corpus/docx/minimal.docx

mapping() {
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<import-mapping xmlns="urn:quorum:import-mapping:1">\n%s\n</import-mapping>\n' "$2" >"$1"
}
mapping good.xml '  <style word="Council Heading" as="heading-1"/>
  <label word="Budget Code" role="budget-code"/>'
xmllint --noout --schema "$xsd" good.xml 2>/dev/null || fail "the XSD refuses a valid mapping"
"$q" import "$docx" -o good-out.xml --mapping good.xml 2>good.err || fail "quorum refuses a valid mapping: $(cat good.err)"

# name, line:col quorum must point at, mapping body
check_bad() {
  local name=$1 at=$2 body=$3
  mapping "$name.xml" "$body"
  xmllint --noout --schema "$xsd" "$name.xml" 2>/dev/null && fail "$name: the XSD accepts it"
  "$q" import "$docx" -o "$name-out.xml" --mapping "$name.xml" 2>"$name.err"
  local rc=$?
  [ $rc = 1 ] || fail "$name: exit $rc, not 1: $(cat "$name.err")"
  grep "^$name.xml:$at: error: " "$name.err" >/dev/null || fail "$name: no error at $at: $(cat "$name.err")"
  [ ! -e "$name-out.xml" ] || fail "$name: a report was written"
}
check_bad bad-as 3:33 '  <style word="Council Heading" as="heading-9"/>'
check_bad unknown-element 3:3 '  <colour word="Council Heading" as="title"/>'
check_bad no-word 3:3 '  <style as="title"/>'
check_bad no-as 3:3 '  <style word="Council Heading"/>'
check_bad no-role 3:3 '  <label word="Budget Code"/>'
check_bad unknown-attribute 3:44 '  <style word="Council Heading" as="title" colour="red"/>'
check_bad label-as 3:38 '  <label word="Budget Code" role="x" as="title"/>'
check_bad text 3:3 '  words'
exit $status
