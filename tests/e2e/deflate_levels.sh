#!/bin/bash
# Deflate levels by output (hpdf_private.h, QH_ONE_REPORT_LEVEL): one
# report's own PDF has every stream of ours at level 1 (its build's
# largest single cost was its deflate worker); a pack's page content is
# at 1 too (QH_FLATE_LEVEL) and its object streams at 6, so that the
# 50-report pack stays under 6 MiB (both at 1 would pass it).  The level is read from each zlib header's FLEVEL bits, which
# libdeflate sets from the level (0 for 1, 1 for 2-5, 2 for 6, 3 above).
# A pack's CMaps are libharu's (zlib, at its own level, on the calling
# thread, written "/Filter [ /FlateDecode ]"); one report's are ours.
# Both outputs are also written twice, to show each level's bytes are the
# same on every run.
# usage: deflate_levels.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
dir=$repo/input/council-2025-01-29

"$bin" build "$dir/report.xml" -o report.pdf 2>err.txt || fail "build: $(cat err.txt)"
"$bin" build "$dir/report.xml" -o again.pdf 2>err.txt || fail "build again: $(cat err.txt)"
cmp -s report.pdf again.pdf || fail "two builds of the sample differ"
"$bin" pack "$dir/meeting.xml" -o pack.pdf --no-cache 2>err.txt || fail "pack: $(cat err.txt)"

/usr/bin/python3 - report.pdf pack.pdf <<'PY' || fail "deflate levels (above)"
import re, sys
from collections import Counter

def levels(path):
    b = open(path, "rb").read()
    c = Counter()
    c[("libharu", -1)] = len(re.findall(rb"/Filter \[ /FlateDecode \]", b))
    for m in re.finditer(rb"\d+ 0 obj((?:(?!endobj).)*?)stream\r?\n", b, re.S):
        d, h = m.group(1), b[m.end():m.end() + 2]
        # ours say "/Filter /FlateDecode" (hpdf_deflate.c); libharu's own
        # streams, deflated by zlib, "/Filter [ /FlateDecode ]"
        if b"/Filter /FlateDecode" not in d or len(h) < 2 or h[0] != 0x78:
            continue
        kind = "objstm" if b"/ObjStm" in d else "xref" if b"/XRef" in d else "content"
        c[(kind, h[1] >> 6)] += 1
    return c

report, pack = levels(sys.argv[1]), levels(sys.argv[2])
print("report:", dict(report), "pack:", dict(pack))
ok = True
# one report: every stream ours, at level 1 (FLEVEL 0)
if report.pop(("libharu", -1)):
    print("one report has streams libharu deflated"); ok = False
if not report or any(lv != 0 for (_, lv) in report):
    print("one report's streams are not all at level 1:", dict(report)); ok = False
if report[("content", 0)] < 30 or report[("objstm", 0)] < 1:
    print("one report: too few level-1 streams found:", dict(report)); ok = False
# a pack: content at 1 (FLEVEL 0), object streams at 6 (FLEVEL 2)
if not pack[("libharu", -1)] or pack[("content", 0)] < 30 or pack[("objstm", 2)] < 1 or pack[("content", 1)] or pack[("objstm", 0)]:
    print("the pack's levels changed:", dict(pack)); ok = False
sys.exit(0 if ok else 1)
PY
exit $status
