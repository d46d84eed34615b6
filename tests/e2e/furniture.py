#!/usr/bin/env python3
"""The English furniture words in a Welsh output (welsh_furniture.sh).

    furniture.py EN_XML CY_XML FILE...

The list is made from the shipped tables each run, so it cannot go stale:
every word of four letters or more in a value of data/strings/en.xml
(placeholders left out) is a furniture word, unless it is also a word of
some value in cy.xml (the same word in both: "quorum", "PDF").  FILE is
text (pdftotext's output) or HTML, whose tags are dropped but whose
attribute values (alt, aria-label, title) are read, since a screen reader
speaks them.  Prints each English word found with the line it is on and
exits 1; exits 0 when there is none.
"""
import html
import re
import sys
import xml.etree.ElementTree as ET

NS = "{urn:quorum:strings:1}"
WORD = re.compile(r"[A-Za-z\u2019']{4,}")


def words(path):
    out = set()
    for s in ET.parse(path).getroot().iter(NS + "string"):
        text = re.sub(r"\{[a-z]+\}", " ", s.text or "")
        out.update(w.lower() for w in WORD.findall(text))
    return out


def lines(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    if path.endswith(".html"):
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        said = re.findall(r'(?:alt|aria-label|title)="([^"]*)"', text)
        text = re.sub(r"<[^>]*>", " ", text) + "\n" + "\n".join(said)
        text = html.unescape(text)
    return text.splitlines()


def main():
    english = words(sys.argv[1]) - words(sys.argv[2])
    if len(english) < 100:
        print(f"only {len(english)} furniture words from {sys.argv[1]}: not the tables")
        return 1
    found = 0
    for path in sys.argv[3:]:
        for n, line in enumerate(lines(path), 1):
            hits = sorted({w for w in WORD.findall(line) if w.lower() in english})
            if hits:
                found += 1
                print(f"{path}:{n}: {', '.join(hits)}: {line.strip()[:160]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
