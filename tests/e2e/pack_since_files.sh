#!/bin/bash
# Manifest version 3 (issue 18): each item lists the files its hash covers
# (report, appendices, images) with their SHA-256, and `pack --since`
# hashes those files again instead of parsing every report.  The
# supplement it makes must be the one a full parse makes: the same
# manifest made version 2 (no files: every report parsed, as before) gives
# the same PDF and manifest, byte for byte, after a report, an appendix or
# an image changed, a file went missing, or nothing changed.
# (test_pack.c's test_since_reads_changed counts what is parsed.)
# usage: pack_since_files.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
py=/usr/bin/python3

# The sample meeting with images: item 5 is the image fixture (an appendix
# drawing a PNG and a JPEG), item 9 the sample report drawing the PNG too.
fix=$repo/tests/fixtures/archive-image
mkdir src
cp "$repo"/input/council-2025-01-29/*.xml src/
cp "$fix/figures.xml" "$fix/chart.png" "$fix/photo.jpg" src/ && cp "$fix/report.xml" src/notes.xml
sed -i 's|date="2025-03-12">Wednesday, 12 March 2025|date="2025-01-29">Wednesday, 29 January 2025|' src/notes.xml
sed -i 's|<item id="announcements" title="Announcements on behalf of the Mayor"/>|<item id="announcements" title="Announcements on behalf of the Mayor" report="notes.xml"/>|' src/meeting.xml
sed -i "s|<heading>Commissioner's Comments</heading>|&<image src=\"chart.png\" alt=\"Bar chart of the quarter's ratings\"/>|" src/report.xml
grep -q 'report="notes.xml"' src/meeting.xml && grep -q 'src="chart.png"' src/report.xml ||
    { fail "sed did not add the images"; exit 1; }
cp -r src orig

"$bin" pack src/meeting.xml -o pub.pdf 2>pub.err || { fail "publish: $(cat pub.err)"; exit 1; }
# what version 3 lists: names relative to the report's folder, in the order hashed
$py - pub.manifest <<'EOF' || fail "the manifest's files are not as documented"
import json, sys, hashlib
m = json.load(open(sys.argv[1]))
assert m["version"] == 3, m["version"]
it = {i["key"]: i for i in m["items"]}
kinds = [(f["kind"], f["name"]) for f in it["announcements"]["files"]]
assert kinds == [("report", "notes.xml"), ("appendix", "figures.xml"),
                 ("image", "chart.png"), ("image", "photo.jpg")], kinds
assert [f["name"] for f in it["irp-progress"]["files"]] == [
    "report.xml", "appendix-1.xml", "appendix-2.xml", "chart.png"], it["irp-progress"]["files"]
for f in it["announcements"]["files"]:
    assert f["sha256"] == hashlib.sha256(open("src/" + f["name"], "rb").read()).hexdigest(), f
assert it["apologies"]["files"] == [], it["apologies"]
EOF
# the same manifest as version 2: no files, so --since parses every report
$py - pub.manifest pub2.manifest <<'EOF' || fail "could not make the version 2 manifest"
import json, sys
s = open(sys.argv[1]).read().replace('"version": 3,', '"version": 2,', 1)
out = []
for line in s.split("\n"):
    k = line.find(', "files": ')
    if k >= 0:
        tail = "," if line.endswith(",") else ""
        line = line[:k] + "}" + tail
    out.append(line)
open(sys.argv[2], "w").write("\n".join(out))
json.loads(open(sys.argv[2]).read())
EOF

# same NAME WANT_RC PRESENT: --since both manifests with src as it is now
# gives WANT_RC twice and, when it made one, the same supplement (PDF and
# manifest) holding the items PRESENT; then src is put back
same() {
    mkdir -p "$1-3" "$1-2"
    "$bin" pack src/meeting.xml --since pub.manifest -o "$1-3/supp.pdf" 2>"$1-3.err"
    local rc3=$?
    "$bin" pack src/meeting.xml --since pub2.manifest -o "$1-2/supp.pdf" 2>"$1-2.err"
    local rc2=$?
    [ $rc3 -eq "$2" ] || fail "$1: --since version 3 exited $rc3, want $2: $(head -c 400 "$1-3.err")"
    [ $rc2 -eq "$2" ] || fail "$1: --since version 2 exited $rc2, want $2: $(head -c 400 "$1-2.err")"
    if [ "$2" = 0 ]; then
        cmp "$1-3/supp.pdf" "$1-2/supp.pdf" >/dev/null || fail "$1: the supplements differ"
        cmp "$1-3/supp.manifest" "$1-2/supp.manifest" >/dev/null || fail "$1: the supplements' manifests differ"
        local got
        got=$($py "$repo/tests/e2e/manifest.py" "$1-3/supp.manifest" present)
        [ "$got" = "$3" ] || fail "$1: the supplement holds items '$got', want '$3'"
    else
        [ -e "$1-3/supp.pdf" ] && fail "$1: version 3 wrote a supplement"
    fi
    rm -rf src && cp -r orig src
}

same nothing 1 ""
grep -q "no item was added or changed" nothing-3.err || fail "nothing changed: $(cat nothing-3.err)"
sed -i '0,/This report provides Members/s//This corrected report provides Members/' src/report.xml
same report 0 9
sed -i '0,/<p>/s//<p>Amended. /' src/appendix-2.xml
same appendix 0 9
# bytes after the JPEG's end: the same picture, another file
printf 'x' >>src/photo.jpg
same image 0 5
# the PNG both reports draw
printf 'x' >>src/chart.png
same shared-image 0 "5 9"
# a file gone: the report is read, and its load says so
rm src/figures.xml
same missing 1 ""
grep -q "figures.xml" missing-3.err || fail "missing appendix: $(cat missing-3.err)"
# a report that now names another appendix is read (its own bytes changed)
cp src/appendix-1.xml src/appendix-1b.xml
sed -i 's|href="appendix-1.xml"|href="appendix-1b.xml"|' src/report.xml
grep -q 'appendix-1b.xml' src/report.xml || fail "sed did not rename the appendix"
same renamed 0 9
exit $status
