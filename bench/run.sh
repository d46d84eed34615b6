#!/usr/bin/env bash
# Prints speed and memory figures; never a pass/fail test.
# usage: bench/run.sh [BUILD_DIR]   (default: build-bench, a Release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=${1:-$root/build-bench}
cmake -S "$root" -B "$bdir" -DCMAKE_BUILD_TYPE=Release -DQUORUM_TESTS=OFF >/dev/null
cmake --build "$bdir" -j2 >/dev/null
q="$bdir/quorum"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL RUNS CMD...: best and mean wall time over RUNS runs, peak RSS
# of one run; with TARGET set (TARGET="20 ms" or "0.35 s", and RSS_TARGET
# in MiB) each figure is printed next to its target from issue 18.
measure() {
  local label=$1 runs=$2; shift 2
  TARGET=${TARGET:-} RSS_TARGET=${RSS_TARGET:-} /usr/bin/python3 - "$label" "$runs" "$@" <<'PY'
import os, resource, subprocess, sys, time
label, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
target, rss_target = os.environ.get("TARGET", ""), os.environ.get("RSS_TARGET", "")
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB to MiB
line = f"{label:40s} best {min(times)*1000:8.1f} ms  mean {sum(times)/len(times)*1000:8.1f} ms  peak RSS {rss:6.1f} MiB"
if target:
    line += f"  [target: best <= {target}]"
if rss_target:
    line += f"  [target: peak RSS <= {rss_target} MiB]"
print(line)
PY
}

# measure_rebuild LABEL RUNS DIR: a rebuild of the pack DIR/meeting.xml
# after a correction of DIR/report-025.xml, a different one each run (its
# first paragraph begins "Corrected N."); the correction is made before
# the clock starts (an officer's edit is not the rebuild), the command is
# timed alone, as every other figure here is.  Best, median and mean of
# RUNS, peak RSS of the runs.
measure_rebuild() {
  TARGET=${TARGET:-} /usr/bin/python3 - "$1" "$2" "$3" "$q" <<'PY'
import os, re, resource, subprocess, sys, time
label, runs, d, q = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
report = os.path.join(d, "report-025.xml")
times = []
for k in range(runs):
    s = open(report, encoding="utf-8").read()
    s, n = re.subn(r"Corrected [0-9]+\.", f"Corrected {time.time_ns()}{k}.", s, count=1)
    if n != 1:
        sys.exit(f"{report}: no correction to change")
    with open(report, "w", encoding="utf-8") as f:
        f.write(s)
    t = time.perf_counter()
    subprocess.run([q, "pack", os.path.join(d, "meeting.xml"), "-o", os.path.join(d, "pack.pdf")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
ts = sorted(times)
line = (f"{label:40s} best {ts[0]*1000:8.1f} ms  median {ts[len(ts)//2]*1000:8.1f} ms  "
        f"mean {sum(ts)/len(ts)*1000:8.1f} ms  peak RSS {rss:6.1f} MiB")
if os.environ.get("TARGET"):
    line += f"  [target: best <= {os.environ['TARGET']}]"
print(line)
PY
}

sample="$root/input/council-2025-01-29/report.xml"
"$q" build "$sample" -o "$work/r.pdf"
pages=$(pdfinfo "$work/r.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
echo "sample report: ${pages:-?} pages, $(( $(stat -c %s "$work/r.pdf") / 1024 )) KiB  [target: <= 200 KiB]"
TARGET="20 ms" measure "sample report, build (PDF)" 20 "$q" build "$sample" -o "$work/r.pdf"
measure "sample report, build untagged" 20 env QUORUM_UNTAGGED=1 "$q" build "$sample" -o "$work/u.pdf"
measure "sample report, check only" 20 "$q" check "$sample"
measure "sample report, layout + text dump" 20 "$q" dump "$sample" -o "$work/r.txt"
# quorum import of the sample as a Word document (python-docx; the
# target is under 50 ms, the check of the XML written included)
if /usr/bin/python3 "$root/tests/e2e/import_sample.py" make "$sample" "$work/r.docx" 2>/dev/null; then
  TARGET="50 ms" measure "sample report, import from Word" 20 "$q" import "$work/r.docx" -o "$work/i.xml"
fi

# ---- agenda packs: 1, 10 and 50 copies of the sample report --------------
# Each copy is its own report file with its own appendix files, listed by a
# meeting file built from the sample's (its agenda replaced).
src="$root/input/council-2025-01-29"
make_pack() { # make_pack DIR N
  local dir=$1 n=$2
  mkdir -p "$dir"
  /usr/bin/python3 - "$src" "$dir" "$n" <<'PY'
import re, sys, pathlib
src, dst, n = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
report = (src / "report.xml").read_text()
items = []
for i in range(1, n + 1):
    r = report
    for a in ("appendix-1.xml", "appendix-2.xml"):
        name = f"{i:03d}-{a}"
        (dst / name).write_bytes((src / a).read_bytes())
        r = r.replace(f'href="{a}"', f'href="{name}"')
    (dst / f"report-{i:03d}.xml").write_text(r)
    items.append(f'    <item id="r{i}" title="Report {i}: Progress on Improvement and Recovery" report="report-{i:03d}.xml"/>')
meeting = (src / "meeting.xml").read_text()
meeting = re.sub(r"<agenda>.*</agenda>", "<agenda>\n" + "\n".join(items) + "\n  </agenda>",
                 meeting, flags=re.S)
(dst / "meeting.xml").write_text(meeting)
PY
}
# 200 once, for how memory grows with the pack (target: flat, <= 50 MiB)
for n in 1 10 50 200; do
  d="$work/pack$n"
  make_pack "$d" "$n"
  "$q" pack "$d/meeting.xml" -o "$d/pack.pdf" 2>/dev/null
  pages=$(pdfinfo "$d/pack.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
  runs=$(( n >= 200 ? 1 : n >= 50 ? 5 : 10 ))
  tgt=; rtgt=
  [ "$n" = 50 ] && { tgt="0.35 s"; rtgt=30; }
  [ "$n" = 200 ] && rtgt=50
  # clean builds: --no-cache (a rebuild from the cache is measured below)
  line=$(TARGET=$tgt RSS_TARGET=$rtgt measure "pack of $n report(s), $pages pages" "$runs" "$q" pack "$d/meeting.xml" -o "$d/pack.pdf" --no-cache)
  best=$(sed -E 's/.*best +([0-9.]+) ms.*/\1/' <<<"$line")
  pps=$(awk -v p="$pages" -v ms="$best" 'BEGIN{printf "%.0f", p / (ms / 1000)}')
  echo "$line  ${pps} pages/s"
done
# What tagging (PDF/UA structure) costs: the same pack untagged.
measure "pack of 50, untagged" 5 env QUORUM_UNTAGGED=1 "$q" pack "$work/pack50/meeting.xml" -o "$work/pack50/u.pdf" --no-cache
echo "pack of 50: $(stat -c %s "$work/pack50/pack.pdf") bytes tagged, $(stat -c %s "$work/pack50/u.pdf") untagged  [target: tagged <= 6 MiB = 6291456 bytes]"
# The archive levels: PDF/A-2a (the default) has object streams as plain
# output does; PDF/A-1b cannot (PDF 1.4); 3a adds the sources, deflated.
for level in 2a 3a 1b; do
  "$q" pack --archive=$level "$work/pack50/meeting.xml" -o "$work/pack50/a$level.pdf" 2>/dev/null
  tgt=; [ $level = 2a ] && tgt="  [target: <= 6 MiB = 6291456 bytes]"
  echo "pack of 50, --archive=$level: $(stat -c %s "$work/pack50/a$level.pdf") bytes$tgt"
done
# One report edited (a late correction), then the 50-report pack rebuilt.
d="$work/pack50"
# The published pair is kept under its own name: the rebuild below replaces
# pack.pdf, and a manifest whose PDF changed is refused by --since (as it
# must be), which stopped this script here before.
cp "$d/pack.manifest" "$d/published.manifest"
cp "$d/pack.pdf" "$d/published.pdf"
# The published pack's cache (pack.cache), then each run a different
# correction of one report: every run reads, checks and lays out that
# report and takes the 49 others from it.  Until session 16 the edit (a
# bash, date and sed, some 10-15 ms) was timed with the rebuild, best of
# 5; the command alone now, best and median of 10 (docs/performance.md).
"$q" pack "$d/meeting.xml" -o "$d/pack.pdf" 2>/dev/null
sed -i '0,/<p>/s//<p>Corrected 0. /' "$d/report-025.xml"
TARGET="0.12 s" measure_rebuild "pack of 50, rebuild after one report changed" 10 "$d"
# The same with a warning in every report (a key decision read as neither
# yes nor no): each entry keeps its report's words, said again from it.
w="$work/pack50w"
cp -r "$d" "$w" && rm -rf "$w/pack.cache"
sed -i '0,/<field role="wards"/s//<field role="key-decision" label="Key">Perhaps<\/field><field role="wards"/' "$w"/report-*.xml
"$q" pack "$w/meeting.xml" -o "$w/pack.pdf" 2>/dev/null
TARGET="0.12 s" measure_rebuild "pack of 50 warning, rebuild, one changed" 10 "$w"
TARGET="40 ms" measure "supplement since the 50-report pack" 5 "$q" pack "$d/meeting.xml" --since "$d/published.pdf" -o "$d/supp.pdf"
# Where the time and memory go (one run each; QUORUM_TIMING prints the
# stages and the peak RSS reached by the end of each).
for n in 1 50; do
  QUORUM_TIMING=1 "$q" pack "$work/pack$n/meeting.xml" -o "$work/pack$n/t.pdf" --no-cache 2>&1 |
    sed -n "s/^timing: /pack of $n, /p"
done
# HTML (issue 17): one report's page, and the site of the 50-report pack
# (publish: 50 pages and 50 PDFs, the pack, the index), first into an empty
# folder, then again with nothing changed (every file made in memory and
# compared, none written).
TARGET="10 ms" measure "sample report, build --format html" 20 "$q" build --format html "$sample" -o "$work/r.html"
TARGET="0.5 s" measure "site of the 50-report pack, new" 3 bash -c "rm -rf '$work/site50' && '$q' publish '$work/pack50/meeting.xml' -o '$work/site50'"
measure "site of the 50-report pack, unchanged" 3 "$q" publish "$work/pack50/meeting.xml" -o "$work/site50"
# Typst and pdflatex (issue 18's table): ratios need the same report in
# their languages, which this tree does not hold; say what is missing.
for t in typst pdflatex; do
  if command -v "$t" >/dev/null; then
    echo "$t installed: no $t source of the sample in bench/, so no ratio"
  else
    echo "$t not installed: no ratio"
  fi
done
