"""Reads a pack manifest (docs/meeting.md, "The manifest") for the e2e
scripts, decoding it as strict UTF-8 JSON.

usage: manifest.py MANIFEST pages            the PDF's page count
       manifest.py MANIFEST range NUMBER     item NUMBER's pages, "F-L" or "-"
       manifest.py MANIFEST present          numbers of the items in the pack
       manifest.py MANIFEST title KEY        item KEY's title (JSON-quoted)
       manifest.py MANIFEST pairs [PDF]      exit 0 when PDF (default: the
                                             file the manifest names beside
                                             it) has the size and SHA-256
                                             the manifest records
Exits 1 with a message on stderr when the file is not such a manifest.
"""
import hashlib
import json
import os
import sys


def load(path):
    with open(path, "rb") as f:
        m = json.loads(f.read().decode("utf-8", "strict"))
    assert m["format"] == "quorum-pack-manifest" and m["version"] == 3, m
    return m


def main():
    path, what = sys.argv[1], sys.argv[2]
    m = load(path)
    items = m["items"]
    if what == "pages":
        print(m["pages"])
    elif what == "range":
        it = [i for i in items if i["number"] == sys.argv[3]][0]
        print("%d-%d" % tuple(it["pages"]) if it["pages"] else "-")
    elif what == "present":
        print(" ".join(i["number"] for i in items if i["in_pack"]))
    elif what == "title":
        print(json.dumps([i for i in items if i["key"] == sys.argv[3]][0]["title"]))
    elif what == "pairs":
        pdf = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
            os.path.dirname(path), m["pdf"]["file"])
        with open(pdf, "rb") as f:
            b = f.read()
        if len(b) != m["pdf"]["bytes"] or hashlib.sha256(b).hexdigest() != m["pdf"]["sha256"]:
            sys.exit("%s is not the PDF %s records" % (pdf, path))
    else:
        sys.exit("unknown query " + what)


if __name__ == "__main__":
    try:
        main()
    except (ValueError, KeyError, IndexError, AssertionError, OSError) as e:
        sys.exit("%s: not a readable manifest: %r" % (sys.argv[1], e))
