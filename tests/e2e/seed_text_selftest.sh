#!/usr/bin/env bash
# The comparison that seed_text.sh relies on, checked on its own (no PDF
# needed): synthetic pdftotext-like renderings of the sample report's source
# and of the seed text must pass, with tables in row, column and
# line-interleaved order; the same with a word deleted, or two stretches of
# text swapped, must fail.
#
#   bash seed_text_selftest.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u

repo=${2:?repository root}
work=${3:?work directory}
mkdir -p "$work" || exit 1

src=$repo/input/council-2025-01-29
seed=$repo/../shared/seeds/002_791d618e80e1d848.txt

# Appendix 2 holds the performance data and is written separately; where it
# is not there yet, a stub stands in (it only adds words after the report).
cp "$src"/*.xml "$work"/ || exit 1
if [ ! -f "$work/appendix-2.xml" ]; then
    cat >"$work/appendix-2.xml" <<'XML'
<appendix xmlns="urn:quorum:report:1" id="app-detailed">
  <title>Detailed IRP Outcomes Reporting</title>
  <performance id="irp"/>
</appendix>
XML
fi

args=("$work/report.xml")
[ -f "$seed" ] && args+=("$seed")
/usr/bin/python3 "$repo/tests/e2e/seedtext.py" selftest "${args[@]}"
