#!/bin/bash
# Front sheets (format 1.1, issue 13 need 1) on tests/golden/front:
# identifier boxes at the top right above the heading, the title hidden
# from the table but in the footer and the PDF title, a value holding a
# paragraph, a list and a small table with rows after it, a long label
# wrapping in its column.
# usage: front.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
export QUORUM_FONT_DIR="$repo/fonts"
report=$repo/tests/golden/front/report.xml

"$bin" check "$report" >check.txt 2>&1 || { cat check.txt; fail "check"; }
"$bin" build "$report" -o f.pdf 2>build.err || { cat build.err; fail "build"; }
"$bin" dump "$report" -o f.dump 2>dump.err || { cat dump.err; fail "dump"; }
pdftotext -layout f.pdf f.txt 2>/dev/null || fail "pdftotext"
grep -F 'Report Title' f.txt >/dev/null && fail "a hidden title row is printed"
pdfinfo f.pdf | grep -E '^Title: +Rent setting 2019/20$' >/dev/null || fail "PDF title: $(pdfinfo f.pdf | grep ^Title)"
grep -E 'Rent setting 2019/20 +Page 1 of 1' f.txt >/dev/null || fail "footer without the title"
/usr/bin/python3 - f.dump <<'PY' || fail "front sheet layout"
import re, sys
items = []
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r'^  text \S+ e-?\d+ ([\d.]+) ([\d.]+) \S+ [\d.]+ #\w+ "(.*)"$', line.rstrip("\n"))
    if m:
        items.append((float(m.group(1)), float(m.group(2)), m.group(3)))
def at(t):
    hits = [(x, y) for x, y, s in items if s == t]
    return hits[0] if hits else (None, None)
probs = []
for t in ("Agenda", "HC/3/20", "EXE24-059"):
    x, y = at(t)
    hx, hy = at("Housing Committee – 11 December 2018")
    if x is None or hy is None or not (x > 595.3 / 2 and y < hy):
        probs.append("identifier %r not at the top right above the heading (%s, %s)" % (t, x, y))
order = ["Executive summary", "The report proposes rents for 2019/20.", "Rents fall by 1% as the law requires.",
         "Charge", "£84.10", "Wards affected"]
ys = [at(t)[1] for t in order]
if None in ys or ys != sorted(ys):
    probs.append("summary blocks and the rows after them out of order: %s" % list(zip(order, ys)))
label_ys = {y for x, y, s in items if x < 150 and any(w in s for w in ("Report author", "contact", "information about"))}
if len(label_ys) < 2:
    probs.append("the long label does not wrap: %s" % sorted(label_ys))
for p in probs:
    print(p)
sys.exit(1 if probs else 0)
PY
exit $status
