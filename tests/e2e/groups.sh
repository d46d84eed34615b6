#!/bin/bash
# Grouped tables (format 1.1, issue 13 need 4) on tests/golden/groups: a
# table of priorities and themes (group="1", group="2") over pages.  From
# the text dump: the header row is drawn on every page the table reaches;
# no group heading is the last row on its page (the row after it is on the
# same page); group rows are on their fills (level 2 lighter).
# usage: groups.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts"
report=$repo/tests/golden/groups/report.xml

"$bin" check "$report" >check.txt 2>&1 || { cat check.txt; fail "check"; }
"$bin" dump "$report" -o g.dump 2>dump.err || { cat dump.err; fail "dump"; }
/usr/bin/python3 - g.dump <<'PY' || fail "grouped table"
import re, sys
pages, page = {}, 0
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        page = int(line.split()[1])
        continue
    m = re.match(r'^  (text|fill) \S+ (?:e-?\d+ )?([\d.]+) ([\d.]+) (.*)$', line.rstrip("\n"))
    if m:
        pages.setdefault(page, []).append((m.group(1), float(m.group(3)), m.group(4)))
probs = []
rows = []  # (page, y, kind) of each table row's first text
for p, items in sorted(pages.items()):
    texts = [(y, rest) for k, y, rest in items if k == "text"]
    if any(r.endswith('"Indicator 1.1.1: people helped into work through the council programme"') or 'Indicator ' in r for y, r in texts):
        if not any(r.endswith('"Indicator"') for y, r in texts):
            probs.append("page %d: the table continues without its header row" % p)
    for y, r in texts:
        t = re.search(r'"(.*)"$', r).group(1)
        if t.startswith(("Priority ", "Theme ")):
            rows.append((p, y, "group", t))
        elif t.startswith("Indicator ") and ":" in t:
            rows.append((p, y, "row", t))
rows.sort()
if len([r for r in rows if r[2] == "group"]) != 9:
    probs.append("want 9 group rows, found %d" % len([r for r in rows if r[2] == "group"]))
for i, r in enumerate(rows):
    if r[2] == "group" and (i + 1 == len(rows) or rows[i + 1][0] != r[0]):
        probs.append("group heading %r is the last row on page %d" % (r[3], r[0]))
if len(pages) < 2:
    probs.append("the table should run over two pages at least")
fills = {rest.split()[2] for p in pages.values() for k, y, rest in p if k == "fill"}
for want in ("#d9e2f3", "#ecf0f9"):
    if want not in fills:
        probs.append("no group fill %s" % want)
for p in probs:
    print(p)
sys.exit(1 if probs else 0)
PY
exit $status
