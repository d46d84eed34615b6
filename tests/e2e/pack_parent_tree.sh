#!/bin/bash
# A pack's parent tree (issue 18): each leaf of 128 keys but the last is
# written into an object stream of its own as soon as a key follows it,
# so it is deflated while the next reports are placed, not in the save's
# last object stream (611 KB at 50 reports, deflated after everything
# else).  The tree stays whole and right (pdf_tags.py walk), and the pack
# is the same bytes with -j 1 and -j 2 and from the cache, also after an
# edit that moves every later key and object number.
# usage: pack_parent_tree.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
py=/usr/bin/python3

# the sample meeting with five more reports: 258 keys, three leaves
mkdir src
cp "$repo"/input/council-2025-01-29/*.xml src/
items=
for r in b c d e f; do
    cp src/report.xml "src/report-$r.xml"
    items="$items<item id=\"$r\" title=\"Report $r\" report=\"report-$r.xml\"/>"
done
sed -i "s|<item id=\"announcements\" title=\"Announcements on behalf of the Mayor\"/>|$items|" src/meeting.xml
grep -q 'report="report-f.xml"' src/meeting.xml || { fail "sed did not add the reports"; exit 1; }


# leaves FILE: every leaf but the last two in an object stream of its own
# that comes before the last page's content; the keys 0 to the next key
leaves() {
    $py - "$1" <<'PY' || fail "$1: the parent tree's leaves"
import re, subprocess, sys
import pikepdf
path = sys.argv[1]
pdf = pikepdf.open(path)
root = pdf.Root.StructTreeRoot
kids = list(root.ParentTree.get("/Kids", []))
loc = {}
for line in subprocess.run(["qpdf", "--show-xref", path], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    m = re.match(r"(\d+)/0: compressed; stream = (\d+), index = (\d+)", line)
    if m:
        loc[int(m.group(1))] = ("in", int(m.group(2)))
    m = re.match(r"(\d+)/0: uncompressed; offset = (\d+)", line)
    if m:
        loc[int(m.group(1))] = ("at", int(m.group(2)))
last = max(loc[p.Contents.objgen[0]][1] for p in pdf.pages)
bad = []
if len(kids) < 3:
    bad.append("%d leaves, want 3 or more" % len(kids))
streams = {}
for k in kids:
    s = loc[k.objgen[0]][1]
    streams[s] = streams.get(s, 0) + 1
# the pack's own pages (front sheet, agenda) are placed last and their
# keys fill the last leaves: those go with the save
for i, k in enumerate(kids[:-2]):
    s = loc[k.objgen[0]][1]
    if loc[s][1] > last or streams[s] != 1:
        bad.append("leaf %d (%d) in stream %d at %d, the last page's content at %d"
                   % (i, k.objgen[0], s, loc[s][1], last))
keys = []
for k in kids:
    nums = k.Nums
    keys += [int(nums[i]) for i in range(0, len(nums), 2)]
if keys != list(range(int(root.ParentTreeNextKey))):
    bad.append("the keys are not 0 to /ParentTreeNextKey in order")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
}

pack_clean c1
pack_clean c1j1 -j 1
cmp -s c1.pdf c1j1.pdf || fail "-j 1 and -j 2 give other bytes"
leaves c1.pdf
qpdf --check c1.pdf >c1.check 2>&1 || fail "c1: qpdf --check: $(tail -3 c1.check)"
$py "$repo/tests/e2e/pdf_tags.py" walk c1.pdf >c1.walk 2>&1 || fail "c1: pdf_tags.py walk: $(tail -3 c1.walk)"
pack_cached cold c1
pack_cached warm c1

# the third report's text: its and the later reports' numbers hold
sed -i '0,/This report provides Members/s//This corrected report provides Members/' src/report-c.xml
pack_clean c2
pack_cached changed c2

# the first report pages longer: every later key and number moves
more=$(for i in $(seq 40); do printf '<p>A paragraph more, number %d, to make the report longer.</p>' "$i"; done)
sed -i "0,/<\/section>/s||$more</section>|" src/report-b.xml
pack_clean c3
cmp -s c2.pdf c3.pdf && fail "the longer report did not change the pack"
[ "$(pdfinfo c3.pdf | awk '/^Pages:/{print $2}')" -gt "$(pdfinfo c2.pdf | awk '/^Pages:/{print $2}')" ] ||
    fail "the longer report did not add a page"
pack_cached moved c3
pack_clean c3j1 -j 1
cmp -s c3.pdf c3j1.pdf || fail "moved: -j 1 and -j 2 give other bytes"
leaves c3.pdf
$py "$repo/tests/e2e/pdf_tags.py" walk c3.pdf >c3.walk 2>&1 || fail "c3: pdf_tags.py walk: $(tail -3 c3.walk)"
exit $status
