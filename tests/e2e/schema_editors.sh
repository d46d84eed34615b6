#!/usr/bin/env bash
# Editor support (issue 14, part 2; docs/editors.md): every xs:element and
# xs:attribute of the report schema carries an xs:documentation; the
# known field roles, implication types and subheading levels it
# enumerates are the checker's own lists (src/doc/doc.c); the OASIS
# catalog resolves each quorum namespace to its schema, and xmllint
# validates the examples and templates through it by namespace alone;
# each of them names the schema with an <?xml-model?> the catalog
# resolves.
# usage: schema_editors.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
q=$1 src=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"
command -v xmllint >/dev/null && command -v xmlcatalog >/dev/null ||
  { echo "SKIP: xmllint/xmlcatalog missing (libxml2-utils)"; exit 77; }

python3 - "$src" >python.out 2>&1 <<'PY' || { cat python.out; fail "schema documentation or known values"; }
import re, sys, xml.etree.ElementTree as ET
src = sys.argv[1]
XS = "{http://www.w3.org/2001/XMLSchema}"
root = ET.parse(f"{src}/schema/quorum-report-1.xsd").getroot()
bad, n = [], 0
for kind in ("element", "attribute"):
    for el in root.iter(XS + kind):
        if "name" not in el.attrib:
            continue  # a ref= is documented where it is declared
        n += 1
        docs = [d for a in el.findall(XS + "annotation") for d in a.findall(XS + "documentation")]
        if not docs or not "".join(docs[0].itertext()).strip():
            bad.append(f"xs:{kind} name={el.attrib['name']}")
for b in bad:
    print("no xs:documentation:", b)
if n < 150:
    print(f"only {n} named declarations found: is the schema parsed?")
    bad.append("count")
# the enumerations editors offer are the checker's lists
c = open(f"{src}/src/doc/doc.c", encoding="utf-8").read()
for cname, xname in (("qdoc_field_roles", "knownFieldRole"),
                     ("qdoc_implication_types", "knownImplicationType"),
                     ("qdoc_subheading_levels", "knownSubheadingLevel")):
    m = re.search(cname + r"\[\]\s*=\s*\{(.*?)\};", c, re.S)
    want = re.findall(r'"([^"]*)"', m.group(1)) if m else None
    st = [t for t in root.iter(XS + "simpleType") if t.attrib.get("name") == xname]
    got = [e.attrib["value"] for e in st[0].iter(XS + "enumeration")] if st else None
    if not want or want != got:
        print(f"{xname} {got} is not {cname} {want}")
        bad.append(xname)
sys.exit(1 if bad else 0)
PY

cat=$src/schema/catalog.xml
for pair in report:quorum-report-1.xsd style:quorum-style-1.xsd import-mapping:quorum-import-mapping-1.xsd; do
  ns=urn:quorum:${pair%%:*}:1 file=${pair#*:}
  got=$(xmlcatalog "$cat" "$ns" 2>&1)
  [ "$got" = "$(cd "$src/schema" && pwd)/$file" ] || fail "catalog: $ns resolves to '$got', not schema/$file"
done
export XML_CATALOG_FILES=$cat
files=("$src"/docs/examples/*/report.xml "$src"/templates/*/report.xml)
xmllint --catalogs --noout --schema urn:quorum:report:1 "${files[@]}" >lint.out 2>&1 ||
  { cat lint.out; fail "xmllint through the catalog does not validate the examples and templates"; }
xmllint --catalogs --noout --schema urn:quorum:style:1 "$src"/styles/*.xml >style.out 2>&1 ||
  { cat style.out; fail "xmllint through the catalog does not validate the styles"; }
for f in "${files[@]}" "$src"/templates/*/meeting.xml; do
  href=$(sed -n 's/^<?xml-model href="\([^"]*\)" schematypens="http:\/\/www.w3.org\/2001\/XMLSchema"?>$/\1/p' "$f")
  [ -n "$href" ] || { fail "$f: no <?xml-model?> naming the schema"; continue; }
  [ -f "$(xmlcatalog "$cat" "$href" 2>/dev/null)" ] || fail "$f: the catalog does not resolve $href"
done
exit $status
