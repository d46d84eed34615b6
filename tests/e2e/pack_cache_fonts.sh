#!/bin/bash
# The pack cache keys a font by what layout read of it (issue 18): the
# measured tables, not the whole file, which is no longer read.  A font
# whose metrics changed is never trusted from the cache; one whose glyph
# outlines alone changed keeps the cached layouts (they are the same) and
# the pack embeds the new outlines.  Either way the pack from the cache
# is the clean build, byte for byte.
# usage: pack_cache_fonts.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
unset QUORUM_FONT_DIR
mkdir src fonts
cp "$repo"/input/council-2025-01-29/*.xml src/
cp "$repo"/fonts/LiberationSans-*.ttf fonts/

# edit WHAT: changes fonts/LiberationSans-Regular.ttf in place
#   widths: every advance width in 'hmtx' 10 units wider (layout changes)
#   outlines: yMax of every glyph in 'glyf' one unit higher (layout does not)
edit() {
    python3 - "$1" fonts/LiberationSans-Regular.ttf <<'PY' || fail "editing the font ($1) failed"
import struct, sys
what, path = sys.argv[1], sys.argv[2]
b = bytearray(open(path, "rb").read())
n = struct.unpack(">H", b[4:6])[0]
tab = {}
for i in range(n):
    tag, _, off, ln = struct.unpack(">4sIII", b[12 + 16 * i:28 + 16 * i])
    tab[tag.decode("latin-1")] = (off, ln)
if what == "widths":
    nhm = struct.unpack(">H", b[tab["hhea"][0] + 34:tab["hhea"][0] + 36])[0]
    h = tab["hmtx"][0]
    for g in range(nhm):
        w = struct.unpack(">H", b[h + 4 * g:h + 4 * g + 2])[0]
        b[h + 4 * g:h + 4 * g + 2] = struct.pack(">H", w + 10)
else:
    long_loca = struct.unpack(">h", b[tab["head"][0] + 50:tab["head"][0] + 52])[0]
    nglyphs = struct.unpack(">H", b[tab["maxp"][0] + 4:tab["maxp"][0] + 6])[0]
    lo, gl = tab["loca"][0], tab["glyf"][0]
    for g in range(nglyphs):
        if long_loca:
            a, e = struct.unpack(">II", b[lo + 4 * g:lo + 4 * g + 8])
        else:
            a, e = (2 * x for x in struct.unpack(">HH", b[lo + 2 * g:lo + 2 * g + 4]))
        if e - a >= 10:
            p = gl + a + 8
            y = struct.unpack(">h", b[p:p + 2])[0]
            b[p:p + 2] = struct.pack(">h", y + 1)
open(path, "r+b").write(b)
PY
}
pack() { # pack NAME [--no-cache]
    local name=$1
    shift
    "$bin" pack src/meeting.xml --font-dir fonts "$@" -o "$name.pdf" 2>"$name.err" ||
        fail "$name: $(cat "$name.err")"
}
keys() { (cd pub.cache && ls ./*.qdl 2>/dev/null | sort | tr '\n' ' '); }

pack c1 --no-cache
pack pub
cmp pub.pdf c1.pdf >/dev/null || fail "cold: the pack is not the clean build"
k1=$(keys)
[ -n "$k1" ] || fail "cold: no cache entries"

# the outlines changed: the same layouts, the new outlines embedded
edit outlines
pack c2 --no-cache
cmp c1.pdf c2.pdf >/dev/null && fail "the outlines' edit did not change the clean pack"
pack pub
cmp pub.pdf c2.pdf >/dev/null || fail "outlines: the pack from the cache is not the clean build"
[ "$(keys)" = "$k1" ] || fail "outlines: the cache's keys changed ($k1 -> $(keys)): the layouts were not kept"

# the widths changed: no cached layout is trusted
edit widths
pack c3 --no-cache
cmp c2.pdf c3.pdf >/dev/null && fail "the widths' edit did not change the clean pack"
pack pub
cmp pub.pdf c3.pdf >/dev/null || fail "widths: the pack from the cache is not the clean build"
k3=$(keys)
[ -n "$k3" ] || fail "widths: no cache entries"
for k in $k1; do
    case " $k3 " in *" $k "*) fail "widths: entry $k of the old font was kept" ;; esac
done
exit $status
