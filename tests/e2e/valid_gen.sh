#!/bin/bash
# The fast validator's generator (src/load/valid_gen.py) fails the build
# on a schema construct it does not know, so a schema change cannot
# widen what the fast path accepts: each variant of the compiled-in
# schema below must be refused (xs:all, a default or fixed value, an
# unknown facet, a built-in type it does not check, a union of an inline
# type), while xs:any and an identity constraint make the element
# "defer" (to libxml2) and the schema as built is accepted.
# usage: valid_gen.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
xsd=$(dirname "$bin")/generated/quorum-report-1.xsd
gen=$repo/src/load/valid_gen.py
py=/usr/bin/python3
[ -s "$xsd" ] || { echo "FAIL: no $xsd"; exit 1; }
$py "$gen" "$xsd" ok.inc || fail "the built schema is refused"
grep -F 'QV_DEFER' ok.inc | grep -F '/* ' >/dev/null && fail "an element defers in the built schema"
refused() { # NAME SED-EXPRESSION
    sed -e "$2" "$xsd" > "$1.xsd"
    cmp -s "$1.xsd" "$xsd" && { fail "$1: the variant is the schema itself"; return; }
    if $py "$gen" "$1.xsd" "$1.inc" 2> "$1.err"; then
        fail "$1: accepted by the generator"
    else
        grep -F 'not known' "$1.err" >/dev/null || fail "$1: $(cat "$1.err")"
    fi
}
refused all 's|<choice|<all|g; s|</choice>|</all>|g'
refused default 's|<attribute name="label" type="xs:string">|<attribute name="label" type="xs:string" default="x">|'
refused fixed 's|<attribute name="label" type="xs:string">|<attribute name="label" type="xs:string" fixed="x">|'
refused facet 's|<pattern value="#\[0-9A-Fa-f\]{6}"/>|<minLength value="7"/>|'
refused builtin 's|restriction base="xs:string"><pattern value="#|restriction base="xs:date"><pattern value="#|'
refused nillable 's|<element name="rating" |<element name="rating" nillable="true" |'
refused simplecontent 's|complexContent>|simpleContent>|g'
sed -e 's|<sequence><element ref="q:question"/>|<sequence><any minOccurs="0"/><element ref="q:question"/>|' "$xsd" > any.xsd
if $py "$gen" any.xsd any.inc; then
    grep -F 'QV_DEFER' any.inc | grep -F '/* qa */' >/dev/null || fail "xs:any: <qa> does not defer"
else
    fail "xs:any: refused, not deferred"
fi
exit $status
