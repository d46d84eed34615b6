"""Reads struct.mjs output: prints each page's number of table rows and of
rows holding no content on that page (a table's skeleton repeated on a
page it does not reach), and the cells whose /Alt stands for the whole
cell.  Exit status 1 when there is an empty row or such a cell.
usage: rows.py FILE.pdfjs"""
import sys

lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
empty = alt = rows = 0
for i, ln in enumerate(lines):
    body = ln.strip()
    ind = len(ln) - len(ln.lstrip())
    if body.startswith(("TD alt=", "TH alt=")):
        alt += 1
    if body != "TR":
        continue
    rows += 1
    has = False
    for k in lines[i + 1:]:
        if k.startswith("page ") or len(k) - len(k.lstrip()) <= ind:
            break
        if k.strip() == "content":
            has = True
            break
    empty += not has
print("%d rows, %d without content on their page, %d cells with /Alt" % (rows, empty, alt))
sys.exit(1 if empty or alt or not rows else 0)
