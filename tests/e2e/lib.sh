# Helpers shared by the e2e scripts.  Source it before anything else:
#     . "$(dirname "$0")/lib.sh"
# It is not a test itself (tests/CMakeLists.txt leaves it out of the glob).

# fail MESSAGE: report a broken check and carry on; the script ends with
# `exit $status`, so one run lists every broken check, not only the first.
status=0
fail() { echo "FAIL: $*"; status=1; }

# fresh_workdir DIR: DIR, created and emptied, becomes the current
# directory, so every file in it after a run is from that run.
fresh_workdir() {
    mkdir -p "$1" && cd "$1" || exit 1
    rm -rf ./*
}

# The pack scripts' two builds of src/meeting.xml with the quorum at $bin
# (the caller's), each saying what it printed when it fails:
# pack_clean NAME [OPTS]: NAME.pdf without the cache;
# pack_cached NAME CLEAN [OPTS]: pub.pdf from pub.cache, which must be
# CLEAN.pdf byte for byte.
pack_clean() {
    local n=$1; shift
    "$bin" pack src/meeting.xml --no-cache "$@" -o "$n.pdf" 2>"$n.err" || fail "$n: $(cat "$n.err")"
}
pack_cached() {
    local n=$1 c=$2; shift 2
    "$bin" pack src/meeting.xml "$@" -o pub.pdf 2>"$n.err" || fail "$n: $(cat "$n.err")"
    cmp pub.pdf "$c.pdf" >/dev/null || fail "$n: the pack from the cache is not the clean build"
}

# flip FILE: one bit of FILE's middle byte turned over (a damaged file
# of the same length).
flip() {
    python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$1"
}

# pack_mended FILE CLEAN WHAT: FILE (a cache file whose good bytes are in
# FILE.keep) cut short, then with a bit flipped, each before a
# pack_cached NAME CLEAN: never used, and made again as it was.
pack_mended() {
    local f=$1 c=$2 what=$3 how
    for how in cut flipped; do
        if [ $how = cut ]; then head -c 300 "$f.keep" >"$f"; else flip "$f"; fi
        pack_cached "$what-$how" "$c"
        cmp -s "$f" "$f.keep" || fail "$what, $how, was not mended"
    done
}

# PDFBox Preflight, the PDF/A-1b validator (Debian libpdfbox2-java; on
# Java 17 it also needs the activation and JAXB jars).
preflight_jars=/usr/share/java
preflight_cp=$preflight_jars/preflight.jar:$preflight_jars/pdfbox2.jar
preflight_cp=$preflight_cp:$preflight_jars/fontbox2.jar:$preflight_jars/xmpbox.jar
preflight_cp=$preflight_cp:$preflight_jars/commons-logging.jar
preflight_cp=$preflight_cp:$preflight_jars/javax.activation.jar:$preflight_jars/jaxb-api.jar

# preflight_ready: true when java and every jar are there; otherwise says
# what is missing and returns 1.
preflight_ready() {
    command -v java >/dev/null ||
        { echo "FAIL: java missing (apt-get install default-jre-headless)"; return 1; }
    local j
    for j in ${preflight_cp//:/ }; do
        [ -f "$j" ] || { echo "FAIL: $j missing (apt-get install libpdfbox2-java libactivation-java libjaxb-api-java)"; return 1; }
    done
}

# preflight FILE: true when Preflight calls FILE a valid PDF/A-1b file; its
# whole report (the verdict or the errors) is left in FILE.preflight.
preflight() {
    java -cp "$preflight_cp" org.apache.pdfbox.preflight.Validator_A1b "$1" >"$1.preflight" 2>&1
    grep -q "is a valid PDF/A-1b file" "$1.preflight"
}

# meeting_file FILE ITEMS: a minimal valid meeting file (Planning Committee,
# 29 January 2025) whose agenda holds the <item> elements ITEMS (XML text).
meeting_file() {
    cat >"$1" <<XML
<meeting xmlns="urn:quorum:report:1" xml:lang="en-GB">
  <body>Planning Committee</body>
  <date>2025-01-29</date>
  <time>19:00</time>
  <venue>Council Chamber</venue>
  <published>2025-01-21</published>
  <clerk name="Democratic Services" email="democraticservices@example.gov.uk"/>
  <agenda>
$2
  </agenda>
</meeting>
XML
}

# pdf_item_meeting PDF: meeting.xml in the current directory, its agenda
# one item whose report is PDF (a PDF item: docs/meeting.md).
pdf_item_meeting() {
    meeting_file meeting.xml "    <item id=\"doc\" title=\"A document from elsewhere\" report=\"$1\"/>"
}

# imported_ratings PDF XML REPO: the report XML imported from the sample's
# Word version holds every rating of its appendix 2 as a rated cell, and
# the PDF built from it prints each on its colour (import_sample.sh,
# import_libreoffice.sh).  Leaves rag.out in the current directory.
imported_ratings() {
    /usr/bin/python3 "$3/tests/e2e/rag_colours.py" check "$1" "$2" rag --exact >rag.out 2>&1 ||
        fail "ratings: $(tail -5 rag.out)"
    local n want
    n=$(grep -o '<cell rating="[RAG]"' "$2" | wc -l)
    want=$(grep -o '<rated ' "$3/input/council-2025-01-29/appendix-2.xml" | wc -l)
    [ "$n" -eq "$want" ] || fail "$n rated cells, want $want"
}

# heading_over STRUCT LABEL N NEXT: in STRUCT (pdfinfo -struct-text), the
# (first) heading reading LABEL is an HN and the next heading, starting with NEXT,
# one level down: a PDF from elsewhere's own first heading under the
# label printed on its first page ("Agenda Item 10", "Appendix 3").
heading_over() {
    /usr/bin/python3 - "$@" <<'PY' || fail "$1: $2 is not an H$3 over the heading $4 (above)"
import re, sys
path, label, n, nxt = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
heads, role = [], None  # (level, text) in reading order
for line in open(path, encoding="utf-8"):
    m = re.match(r"\s*(\S+) \(", line)
    if m:
        role = m.group(1)
        h = re.fullmatch(r"H([1-6])", role)
        if h:
            heads.append([int(h.group(1)), ""])
        continue
    m = re.match(r'\s*"(.*)"$', line)
    if m and role and re.fullmatch(r"H[1-6]", role):
        heads[-1][1] += m.group(1)
at = [i for i, (lv, t) in enumerate(heads) if t == label]
if not at:
    sys.exit("no heading %r" % label)
i = at[0]
got = heads[i + 1] if i + 1 < len(heads) else (0, "")
if heads[i][0] != n or not got[1].startswith(nxt) or got[0] != n + 1:
    sys.exit("%r is an H%d, the heading after it %r an H%d" % (label, heads[i][0], got[1], got[0]))
PY
}

# tags_but_untagged PDF N: pdf_tags.py walk finds nothing wrong with PDF's
# tagging but the N pages of untagged PDFs from elsewhere drawn into it
# ("page K: Do outside marked content": what they show is not tagged, as
# the warning about them says).
e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) # before any cd
tags_but_untagged() {
    /usr/bin/python3 "$e2e_dir/pdf_tags.py" walk "$1" >"$1.walk" 2>&1
    local other n
    other=$(grep -Ev '^(page [0-9]+: Do outside marked content|[0-9]+ problems)$' "$1.walk")
    n=$(grep -Ec '^page [0-9]+: Do outside marked content$' "$1.walk")
    [ -z "$other" ] && [ "$n" = "$2" ] ||
        fail "$1: pdf_tags.py walk, want only the $2 untagged pages: $(head -5 "$1.walk")"
}
