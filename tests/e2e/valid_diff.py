#!/usr/bin/python3
"""The fast validator (src/load/load_valid.c) never says valid where
libxml2 says invalid.

Runs tests/tools/valid_diff.c (QUORUM_TEST_TOOLS) on every XML document
of the repository -- input/, the examples and templates, tests/ (the
invalid corpus, fixtures, golden inputs, the reports written inline in
the e2e scripts), the fuzz corpora and regressions, the import tests'
outputs when given -- and on mutations of each made with a fixed seed:
a child dropped, duplicated, moved or renamed, text put in element-only
content, an attribute dropped, added, or given another value (another
enumeration value, white space, a number out of range...), an element
from another namespace, an xsi: attribute; then a sweep: every attribute
seen on every element, in the smallest document that has it, and the
text of every leaf element, given each value of VALUES in turn.  Fails
on any document the fast validator accepts and libxml2 rejects.

usage: valid_diff.py SOURCE_DIR [--mutants N] [--coverage] [EXTRA_XML...]
  --coverage: also require the fast validator to accept input/*.xml, the
              examples and the golden inputs (so the fast path is there)
"""
import copy
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

QNS = "urn:quorum:report:1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XMLNS = "http://www.w3.org/XML/1998/namespace"
ET.register_namespace("", QNS)
ET.register_namespace("xsi", XSI)
INLINE = re.compile(r'<(report|meeting|appendix) xmlns="urn:quorum:report:1".*?</\1>',
                    re.S)


def corpus(src, extra):
    """(name, bytes) of every document."""
    docs = []
    skip = {"node_modules", ".git", "build"}
    for top in ("input", "docs", "templates", "tests", "styles", "data", "schema"):
        for d, dirs, files in os.walk(os.path.join(src, top)):
            dirs[:] = sorted(x for x in dirs if x not in skip)
            for f in sorted(files):
                p = os.path.join(d, f)
                rel = os.path.relpath(p, src)
                if f.endswith(".xml") or "/fuzz/corpus/" in p or "/fuzz/regressions/" in p:
                    if os.path.getsize(p) < 2_000_000:
                        with open(p, "rb") as fh:
                            docs.append((rel, fh.read()))
                elif f.endswith((".sh", ".py")) and "/e2e/" in p:
                    with open(p, "r", encoding="utf-8", errors="replace") as fh:
                        text = fh.read()
                    for i, m in enumerate(INLINE.finditer(text)):
                        if "$" not in m.group(0):  # not a shell-expanded template
                            docs.append(("%s#%d" % (rel, i), m.group(0).encode()))
    for p in extra:
        with open(p, "rb") as fh:
            docs.append((p, fh.read()))
    return docs


# Values an attribute may be given: enumerations of the schema and the
# edges of its simple types.
VALUES = ["", " ", "x", "x y", " left", "left ", "left", "center", "right",
          "numbered", "plain", "true", "false", "1", "0", "-1", "9", "10", "+3",
          "01", "1.5", ".5", "2025-01-29", "2025-1-29", "2025-01-29 ", "#12ab9F",
          "#12ab9", "10mm", "10 mm", "1.5pt", "50%", "*", "3.1", "(a)", "a)",
          "i.", "1.", "A", "a", "per-section", "continuous", "england", "wales",
          "top-right", "above", "financial", "legal", "outcome", "label", "yes",
          "no", "Yes", "any", "one", "lines", "before", "full", "title", "number",
          "10:30", "24:00", "http://x.example/a b", "http://[::1", "a%zz",
          "a#b#c", "\u00e9t\u00e9", "id-1", "1id", "_x", "a:b", "\t1", "1\n"]
ATTRS = ["id", "number", "numbered", "align", "type", "date", "level", "role",
         "href", "width", "colspan", "group", "header-after-group", "fill",
         "marker", "code", "value", "period", "to", "form", "src", "law",
         "select", "answer", "min", "bogus"]


def elements(root):
    return list(root.iter())


def mutate(root, rnd):
    """One random change to the tree (in place)."""
    els = elements(root)
    el = rnd.choice(els)
    kids = list(el)
    op = rnd.randrange(14)
    if op == 0 and kids:
        el.remove(rnd.choice(kids))
    elif op == 1 and kids:
        k = rnd.choice(kids)
        el.insert(kids.index(k), _copy(k))
    elif op == 2 and len(kids) >= 2:
        i = rnd.randrange(len(kids) - 1)
        a, b = kids[i], kids[i + 1]
        el.remove(a)
        el.insert(i + 1, a)
    elif op == 3 and el.attrib:
        del el.attrib[rnd.choice(sorted(el.attrib))]
    elif op == 4 and el.attrib:
        el.set(rnd.choice(sorted(el.attrib)), rnd.choice(VALUES))
    elif op == 5:
        el.set(rnd.choice(ATTRS), rnd.choice(VALUES))
    elif op == 6:
        if kids:
            kids[-1].tail = (kids[-1].tail or "") + rnd.choice(["word", " ", "\n"])
        else:
            el.text = (el.text or "") + rnd.choice(["word", " ", ""])
    elif op == 7:
        names = sorted({e.tag for e in els})
        new = ET.Element(rnd.choice(names))
        el.insert(rnd.randrange(len(kids) + 1), new)
    elif op == 8:
        el.insert(rnd.randrange(len(kids) + 1),
                  ET.Element(rnd.choice(["{urn:other}p", "p", "{%s}nope" % QNS])))
    elif op == 9 and el is not root:
        el.tag = rnd.choice(sorted({e.tag for e in els}))
    elif op == 10:
        el.set(rnd.choice(["{%s}type" % XSI, "{%s}nil" % XSI, "{%s}lang" % XMLNS,
                           "{%s}space" % XMLNS, "{urn:other}x"]),
               rnd.choice(["true", "en", "q:p", "preserve", "x"]))
    elif op == 11 and kids:
        k = rnd.choice(kids)
        el.remove(k)
        target = rnd.choice(elements(root))
        target.insert(rnd.randrange(len(list(target)) + 1), k)
    elif op == 12:
        for k in kids:
            el.remove(k)
        el.text = rnd.choice([None, "", "2025-01-29", " 2025-01-29", "text"])
    else:
        # an attribute value of the element's own made from another element's
        other = rnd.choice(els)
        if other.attrib and el.attrib:
            n = rnd.choice(sorted(other.attrib))
            el.set(rnd.choice(sorted(el.attrib)), other.attrib[n])
        else:
            el.text = "x"


def sweep(docs):
    """Every attribute seen on every element, in the smallest document
    that has it, given each of VALUES (and each element's text the
    values too): the attribute types' edges, systematically."""
    best = {}
    for name, data in docs:
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            continue
        if not root.tag.startswith("{%s}" % QNS):
            continue
        for i, el in enumerate(root.iter()):
            for key in [(el.tag, a) for a in el.attrib] + [(el.tag, None)]:
                if key not in best or len(data) < len(best[key][1]):
                    best[key] = (name, data, i)
    out = []
    for (tag, attr), (name, data, i) in sorted(best.items(), key=lambda kv: str(kv[0])):
        for v in VALUES:
            root = ET.fromstring(data)
            el = list(root.iter())[i]
            if attr is None:
                if len(el):
                    continue
                el.text = v
            else:
                el.set(attr, v)
            out.append(("%s@%s/%s=%r" % (name, tag.split("}")[-1], attr, v),
                        ET.tostring(root, encoding="utf-8")))
    return out


def _copy(e):
    return copy.deepcopy(e)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    src = args.pop(0)
    n_mut, coverage, extra = 80, False, []
    while args:
        a = args.pop(0)
        if a == "--mutants":
            n_mut = int(args.pop(0))
        elif a == "--coverage":
            coverage = True
        else:
            extra.append(a)
    tool = os.path.join(os.environ.get("QUORUM_TEST_TOOLS", "build/tests"), "valid_diff")
    docs = corpus(src, extra)
    batch = []
    rnd = random.Random(17)
    for name, data in docs:
        batch.append((name, data))
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            continue
        if not root.tag.startswith("{%s}" % QNS):
            continue
        for i in range(n_mut):
            r = _copy(root)
            for _ in range(1 + rnd.randrange(2)):
                mutate(r, rnd)
            batch.append(("%s~%d" % (name, i), ET.tostring(r, encoding="utf-8")))
    batch += sweep(docs)
    stream = b"".join(b"%d\n%s" % (len(d), d) for _, d in batch)
    out = subprocess.run([tool], input=stream, stdout=subprocess.PIPE, check=True).stdout
    lines = out.decode().split("\n")
    if len(lines) < len(batch):
        sys.exit("valid_diff gave %d verdicts for %d documents" % (len(lines), len(batch)))
    bad, counts = [], {}
    for (name, data), line in zip(batch, lines):
        counts[line] = counts.get(line, 0) + 1
        if line == "1 0":
            bad.append((name, data))
        if line == "0 1" and os.environ.get("VALID_DIFF_SHOW_DEFERRED"):
            print("deferred: %s" % name)
    print("documents: %d (%d files); fast/full verdicts: %s" % (
        len(batch), len(docs), ", ".join("%s: %d" % kv for kv in sorted(counts.items()))))
    for name, data in bad[:10]:
        print("FAST ACCEPTS, LIBXML2 REJECTS: %s\n%s\n" % (name, data.decode("utf-8", "replace")[:3000]))
    if bad:
        sys.exit("%d documents accepted by the fast validator and rejected by libxml2" % len(bad))
    if counts.get("1 1", 0) == 0:
        sys.exit("the fast validator accepted nothing: is it there?")
    if coverage:
        want = [(n, d) for n, d in docs
                if n.startswith(("input/", "docs/examples/", "tests/golden/"))
                and "#" not in n and QNS.encode() in d[:400]]
        verdict = dict(zip([n for n, _ in batch], lines))
        missed = [n for n, _ in want if verdict[n] != "1 1"]
        print("coverage: %d of %d sample, example and golden files accepted by the "
              "fast path" % (len(want) - len(missed), len(want)))
        for n in missed:
            print("  not accepted by the fast path: %s (%s)" % (n, verdict[n]))
        if missed or not want:
            sys.exit("the fast path must accept every valid sample, example and golden input")


if __name__ == "__main__":
    main()
