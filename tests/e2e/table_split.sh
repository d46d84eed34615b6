#!/usr/bin/env bash
# Long tables split between rows and repeat their header on every page; a
# row taller than a page splits inside its cells, without overflow or hang.
# usage: table_split.sh QUORUM REPO WORK
set -uo pipefail
q=$1 repo=$2 work=$3
mkdir -p "$work"
fail=0
for name in long-table tall-row; do
  src=$repo/tests/fixtures/$name/report.xml
  if ! timeout 30 "$q" build "$src" -o "$work/$name.pdf" 2>"$work/$name.err"; then
    echo "FAIL: quorum build $name"; cat "$work/$name.err"; exit 1
  fi
  timeout 30 "$q" dump "$src" -o "$work/$name.dump" || { echo "FAIL: dump $name"; exit 1; }
  pages=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/{print $2}')
  for ((p = 1; p <= pages; p++)); do
    pdftotext -layout -f $p -l $p "$work/$name.pdf" "$work/$name.p$p.txt" 2>"$work/$name.pdftotext.err"
    [ -s "$work/$name.pdftotext.err" ] && { echo "FAIL: pdftotext warned"; cat "$work/$name.pdftotext.err"; fail=1; }
  done
  pdftotext "$work/$name.pdf" "$work/$name.txt"
done

/usr/bin/python3 - "$work" <<'PY' || fail=1
import re, sys, glob, os
work = sys.argv[1]
errors = []
def pages(name):
    out = []
    p = 1
    while os.path.exists(f"{work}/{name}.p{p}.txt"):
        out.append(open(f"{work}/{name}.p{p}.txt", encoding="utf-8").read())
        p += 1
    return out

def dump_items(name):
    """(page, height, role, y, text) for every text item of the dump."""
    items, page, height = [], 0, 0.0
    for line in open(f"{work}/{name}.dump", encoding="utf-8"):
        m = re.match(r"page (\d+) ([\d.]+)x([\d.]+)", line)
        if m:
            page, height = int(m.group(1)), float(m.group(3))
            continue
        m = re.match(r'\s+text (\S+) e-?\d+ ([\d.-]+) ([\d.-]+) \S+ ([\d.]+) #\w+ "(.*)"$', line)
        if m:
            items.append((page, height, m.group(1), float(m.group(3)), m.group(5)))
    return items

# --- long table -----------------------------------------------------------
lt = pages("long-table")
if len(lt) < 3:
    errors.append(f"long table: expected at least 3 pages, got {len(lt)}")
table_pages = [i for i, t in enumerate(lt) if re.search(r"Ward \d{3}", t)]
for i in table_pages:
    body = lt[i]
    first_row = re.search(r"Ward \d{3}", body).start()
    hdr = re.search(r"No\.\s+Scheme\s+Budget", body)
    if not hdr or hdr.start() > first_row:
        errors.append(f"long table: page {i+1} has rows but no header row above them")
seen = [int(n) for n in re.findall(r"Ward (\d{3})", "".join(lt))]
if seen != list(range(1, 181)):
    errors.append(f"long table: rows out of order or missing/duplicated: {len(seen)} rows seen")
items = dump_items("long-table")
hdr_items = [(p, r) for p, h, r, y, t in items if t == "Scheme"]
if not hdr_items or hdr_items[0][1] != "TH":
    errors.append(f"long table: first header row should be TH, got {hdr_items[:1]}")
if any(r != "Artifact" for p, r in hdr_items[1:]):
    errors.append("long table: repeated header rows must be artifacts")
if len(hdr_items) != len(table_pages):
    errors.append(f"long table: {len(hdr_items)} header rows for {len(table_pages)} table pages")

# --- tall row ---------------------------------------------------------------
tr = pages("tall-row")
full = open(f"{work}/tall-row.txt", encoding="utf-8").read()
nums = [int(n) for n in re.findall(r"Sentence\s+(\d+)", full)]
if nums != list(range(1, 141)):
    errors.append(f"tall row: sentences missing or out of order ({len(nums)} seen)")
spread = [i for i, t in enumerate(tr) if "Sentence" in t]
if len(spread) < 2:
    errors.append("tall row: the tall row should continue over at least 2 pages")
if full.find("The row after the tall one") < full.find("Sentence 140"):
    errors.append("tall row: the following row must come after the tall row")
# Nothing but artifacts (the footer) below the body area: 70 pt bottom margin.
for name in ("long-table", "tall-row"):
    for p, h, role, y, t in dump_items(name):
        if role != "Artifact" and y > h - 70 + 0.01:
            errors.append(f"{name}: page {p}: text {t!r} at y={y} overflows the body (page height {h})")
            break
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY
[ $fail -eq 0 ] && echo "table split: ok"
exit $fail
