#!/bin/bash
# Grouped tables' header rows (issue 13 need 4), from the text dump:
#  - a group heading row before the header row (Priority 1, then the
#    column headers) no longer stops the header repeating: it is drawn
#    on every page the table reaches, the group heading itself is not;
#  - header-after-group="1" draws the header again under each later
#    group heading of level 1, on the same page; without it, not;
#  - the PDF keeps the PDF/UA rules (repeats are pagination artifacts,
#    THead before TBody);
#  - the HTML does the same: the header row after a leading group row is
#    a header (th scope="col" in thead), and header-after-group writes
#    it again under Priority 2, with no id twice (html_check.py).
# usage: group_header.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 work=$3
here=$(cd "$(dirname "$0")" && pwd)
fresh_workdir "$work"
/usr/bin/python3 - <<'PY'
rows = ['<row group="1"><cell colspan="3">Priority 1: a clean and safe borough</cell></row>',
        '<row header="true"><cell id="col-indicator">Indicator</cell><cell>Target</cell><cell>Actual</cell></row>']
rows += [f'<row><cell>P1 indicator {i}</cell><cell>{i}</cell><cell>{i + 1}</cell></row>' for i in range(1, 31)]
rows.append('<row group="1"><cell colspan="3">Priority 2: homes for all</cell></row>')
rows += [f'<row><cell>P2 indicator {i}</cell><cell>{i}</cell><cell>{i + 1}</cell></row>' for i in range(1, 31)]
body = "\n      ".join(rows)
for name, attr in (("after.xml", ' header-after-group="1"'), ("plain.xml", "")):
    open(name, "w").write(f'''<report xmlns="urn:quorum:report:1">
  <front-sheet>
    <field role="title" label="Report Title">Title</field>
    <field role="meeting-date" label="Date of Meeting" date="2025-01-29">Wednesday, 29 January 2025</field>
  </front-sheet>
  <section id="s1">
    <heading>Heading</heading>
    <table{attr}>
      {body}
    </table>
  </section>
</report>
''')
PY
for f in plain after; do
    "$bin" check --werror $f.xml >$f.err 2>&1 || fail "check $f.xml: $(cat $f.err)"
    "$bin" dump $f.xml >$f.dump 2>$f.err || fail "dump $f.xml: $(cat $f.err)"
done
# per page, the table's first-column texts in order: PAGE|TEXT lines
rows() {
    awk '/^page /{p=$2} /^  text (TH|TD|Artifact) .* 86\.7 /{t=$0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t); print p "|" t}' "$1"
}
rows plain.dump >plain.rows
rows after.dump >after.rows
pages=$(grep -c '^page ' plain.dump)
[ "$pages" -ge 2 ] || fail "the table should reach 2 pages, not $pages"
for ((p = 2; p <= pages; p++)); do
    first=$(grep "^$p|" plain.rows | head -1 | cut -d'|' -f2)
    [ "$first" = "Indicator" ] || fail "page $p of plain.xml starts with '$first', not the header row"
    grep -x "$p|Priority 1: a clean and safe borough" plain.rows >/dev/null &&
        fail "the group heading before the header is repeated on page $p"
done
next_after() { grep -A1 -F "|Priority 2: homes for all" "$1" | tail -1 | cut -d'|' -f2; }
[ "$(next_after after.rows)" = "Indicator" ] ||
    fail "header-after-group: '$(next_after after.rows)' under Priority 2, not the header"
[ "$(next_after plain.rows)" = "P2 indicator 1" ] ||
    fail "without header-after-group: '$(next_after plain.rows)' under Priority 2"
"$bin" build after.xml -o after.pdf 2>err.txt || fail "build: $(cat err.txt)"
/usr/bin/python3 "$here/pdf_ua.py" check after.pdf >ua.txt || fail "PDF/UA: $(cat ua.txt)"
for f in plain after; do
    "$bin" build --format html $f.xml -o $f.html 2>err.txt || fail "build --format html $f.xml: $(cat err.txt)"
    /usr/bin/python3 "$here/html_check.py" page $f.html >check.txt || fail "$f.html: $(cat check.txt)"
done
# per HTML row: its section (thead/tbody), first cell's tag and text
/usr/bin/python3 - <<'PY' || fail "HTML rows: see above"
import html.parser, sys
class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.part, self.rows, self.cell = None, [], None
    def handle_starttag(self, tag, attrs):
        if tag in ("thead", "tbody"): self.part = tag
        if tag in ("td", "th") and self.cell is None:
            self.cell = [self.part, tag + "/" + (dict(attrs).get("scope") or ""), ""]
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows.append(tuple(self.cell)); self.cell = None
    def handle_data(self, d):
        if self.cell is not None: self.cell[2] += d
def rows(name):
    p = Rows(); p.feed(open(name).read())
    return [r for r in p.rows if r[2] in ("Indicator",) or r[2].startswith(("Priority", "P1 ", "P2 "))]
bad = 0
for name, under in (("plain.html", ("tbody", "td/", "P2 indicator 1")),
                    ("after.html", ("tbody", "th/col", "Indicator"))):
    r = rows(name)
    if r[:2] != [("thead", "td/", "Priority 1: a clean and safe borough"), ("thead", "th/col", "Indicator")]:
        print(f"{name}: head block {r[:2]}"); bad = 1
    i = [x[2] for x in r].index("Priority 2: homes for all")
    if r[i + 1] != under:
        print(f"{name}: under Priority 2 {r[i + 1]}, not {under}"); bad = 1
    if sum(x[2] == "Indicator" for x in r) != (2 if name == "after.html" else 1):
        print(f"{name}: the header row {sum(x[2] == 'Indicator' for x in r)} times"); bad = 1
sys.exit(bad)
PY
exit $status
