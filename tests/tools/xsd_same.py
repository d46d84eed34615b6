#!/usr/bin/env python3
"""Proves the schema compiled in the same as the published one.

usage: xsd_same.py PUBLISHED.xsd BUILTIN.xsd [SPLICED_OUT.xsd]

The copy compiled in (CMakeLists.txt, quorum_strip_annotations) is the
published schema without annotations, comments and white space between
tags, with its named choice groups written out where they are used.  This
does the same to both files on their trees, independently of the CMake
text edits: annotations and comments dropped, a group reference without
minOccurs/maxOccurs replaced by its group's alternatives (it must stand in
a choice, where that is the same content model), one with them by its
group's choice with them.  The two results must be the same tree, so both
schemas declare the same elements, types and content models: they accept
and reject the same documents.  Exit 0 when they are; 1 with the first
difference.  SPLICED_OUT: the published schema so spliced (whose messages
are the built-in's, libxml2 listing at most ten expected elements in the
order of its automaton, which splicing changes).
"""
import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"


def fail(msg):
    print(f"xsd_same: {msg}")
    sys.exit(1)


def strip(el):
    for c in list(el):
        if not isinstance(c.tag, str) or c.tag == XS + "annotation":
            el.remove(c)
        else:
            strip(c)
    el.text = el.text.strip() if el.text and el.text.strip() else None
    for c in el:
        c.tail = None


def groups_of(root):
    out = {}
    for g in root.findall(XS + "group"):
        kids = list(g)
        if g.get("name") and len(kids) == 1 and kids[0].tag == XS + "choice":
            out[g.get("name")] = kids[0]
    return out


def splice(el, groups):
    """Replaces group references below el; returns the new children."""
    new = []
    for c in el:
        ref = c.get("ref", "") if c.tag == XS + "group" else ""
        name = ref.split(":", 1)[-1]
        if c.tag == XS + "group" and name in groups:
            body = splice(groups[name], groups)
            occurs = {k: v for k, v in c.attrib.items() if k != "ref"}
            if occurs:
                ch = ET.Element(XS + "choice", occurs)
                ch.extend(body)
                new.append(ch)
            elif el.tag == XS + "choice":
                new.extend(body)
            else:
                fail(f"a reference to group {name} outside a choice, in <{el.tag}>")
        else:
            new.append(splice_copy(c, groups))
    return new


def splice_copy(el, groups):
    out = ET.Element(el.tag, dict(el.attrib))
    out.text = el.text
    out.extend(splice(el, groups))
    return out


def normal(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        fail(f"{path}: {e}")
    strip(root)
    return splice_copy(root, groups_of(root))


def same(a, b, where):
    if a.tag != b.tag or a.attrib != b.attrib or (a.text or "") != (b.text or ""):
        fail(f"{where}: <{a.tag} {a.attrib}> differs from <{b.tag} {b.attrib}>")
    ka, kb = list(a), list(b)
    if len(ka) != len(kb):
        fail(f"{where} <{a.tag} {a.attrib}>: {len(ka)} children, {len(kb)}")
    for i, (x, y) in enumerate(zip(ka, kb)):
        same(x, y, f"{where}/{i}")


def main():
    if len(sys.argv) not in (3, 4):
        fail("usage: xsd_same.py PUBLISHED.xsd BUILTIN.xsd [SPLICED_OUT.xsd]")
    pub, built = normal(sys.argv[1]), normal(sys.argv[2])
    same(pub, built, "schema")
    if len(sys.argv) == 4:
        ET.register_namespace("xs", XS[1:-1])
        # the prefix the schema's QName values use (ElementTree keeps only
        # the prefixes of element and attribute names)
        pub.set("xmlns:q", pub.get("targetNamespace", ""))
        ET.ElementTree(pub).write(sys.argv[3], encoding="UTF-8", xml_declaration=True)
    print(f"xsd_same: the same content models ({sum(1 for _ in pub.iter())} elements)")


main()
