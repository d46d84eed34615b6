#!/usr/bin/env bash
# Rating colours from the house style (docs/style.md, "Rating colours"): a
# rated cell takes its colours from the report's own scale when that gives
# them, else from the style's <ratings>, else from the built-in style.
# Rendered and sampled as in rag_colours.sh (rag_colours.py, with --style
# for the style's colours):
#   * tests/fixtures/rag-style (R, A, G without colours, C with its own; an
#     author's table of <cell rating=...>): built-in colours with no style,
#     Riverside's with --style riverside, C its own either way;
#   * tests/fixtures/rag (every value with its own colours) under Riverside:
#     the report's colours win;
#   * the council sample with its scale's colours taken out, under
#     Riverside: Riverside's colours in every rated cell, and (quorum dump)
#     in the movement chart's segments.
# usage: rag_style.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
riverside=$repo/styles/riverside.xml
fresh_workdir "$work"

for tool in pdftotext pdftoppm; do
    command -v $tool >/dev/null || { echo "FAIL: $tool not found"; exit 1; }
done

run() {  # name report.xml [quorum options] -- [rag_colours.py options]
    local name=$1 report=$2
    shift 2
    local qopts=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do qopts+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    mkdir -p "$name"
    echo "== $name: $(basename "$(dirname "$report")")/$(basename "$report") ${qopts[*]}"
    "$bin" build "$report" "${qopts[@]}" -o "$name/$name.pdf" 2>"$name/stderr.txt" ||
        { fail "$name: quorum build exited $?: $(cat "$name/stderr.txt")"; return; }
    $py "$here/rag_colours.py" check "$name/$name.pdf" "$report" "$name" "$@" ||
        fail "$name: rating colours"
}

fixture=$repo/tests/fixtures/rag-style/report.xml
run builtin "$fixture" -- --exact
run riverside "$fixture" --style "$riverside" -- --exact --style "$riverside"
run own "$repo/tests/fixtures/rag/report.xml" --style "$riverside" -- --exact --style "$riverside"

# The sample with no colours in its scale: the definitions stay.
mkdir plain
cp "$repo"/input/council-2025-01-29/*.xml plain/
sed -i -E '/<rating code=/ s/ (fill|color)="#[0-9A-Fa-f]{6}"//g' plain/appendix-2.xml
grep -q '<rating code="R" text="Red">Red indicates' plain/appendix-2.xml ||
    { fail "sed did not take the colours out of the sample's scale"; exit 1; }
run sample plain/report.xml --style "$riverside" -- --style "$riverside"

# The movement chart's segments (and legend) in the dump: Riverside's fills
# for the stripped sample, the sample's own for the original.
chart_fills() {  # report.xml -> the distinct colours of chart fills
    "$bin" dump "$1" --style "$riverside" | awk '$1 == "fill" && $2 == "Figure" {print $NF}' | sort -u | tr '\n' ' '
}
got=$(chart_fills plain/report.xml)
[ "$got" = "#2a9d8f #d62828 #f4a261 " ] || fail "stripped sample's chart fills under riverside: $got"
got=$(chart_fills "$repo/input/council-2025-01-29/report.xml")
[ "$got" = "#00b050 #c00000 #ffc000 " ] || fail "sample's own chart fills under riverside: $got"

[ $status -eq 0 ] && echo PASS
exit $status
