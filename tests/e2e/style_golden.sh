#!/usr/bin/env bash
# Golden dumps per house style.  The committee style (by name, and as the
# built-in default when no style is given) must print exactly
# tests/golden/basic.dump; the riverside style must print exactly
# tests/golden/style-riverside.dump (by name and by path) and differ from
# the committee look.  Paths of the repository are shown as ROOT in the
# dumps (the logo is a file).
#   bash style_golden.sh QUORUM_BINARY REPO_ROOT WORK_DIR
# Every other style in styles/ must print exactly tests/golden/style-NAME.dump.
# QUORUM_GOLDEN_UPDATE=1 writes those dumps instead of comparing.
set -u
bin=$1 root=$(cd "$2" && pwd) work=$3
mkdir -p "$work"
export QUORUM_FONT_DIR="$root/fonts" QUORUM_STYLE_DIR="$root/styles"
xml="$root/tests/golden/basic/report.xml"
status=0
fail() { echo "FAIL: $*"; status=1; }

dump() { # out, style args...
    local out=$1; shift
    "$bin" dump "$xml" "$@" -o "$out.raw" 2>"$out.err" || { fail "dump $* exited $?"; cat "$out.err"; return 1; }
    sed "s|$root|ROOT|g" "$out.raw" > "$out"
}

dump "$work/default.dump"
dump "$work/committee.dump" --style committee
dump "$work/committee-path.dump" --style "$root/styles/committee.xml"
dump "$work/riverside.dump" --style riverside
dump "$work/riverside-path.dump" --style "$root/styles/riverside.xml"

cmp -s "$work/default.dump" "$root/tests/golden/basic.dump" || fail "no style: dump differs from basic.dump"
cmp -s "$work/committee.dump" "$root/tests/golden/basic.dump" || fail "--style committee differs from basic.dump"
cmp -s "$work/committee-path.dump" "$work/committee.dump" || fail "committee by path differs from by name"
cmp -s "$work/riverside-path.dump" "$work/riverside.dump" || fail "riverside by path differs from by name"
cmp -s "$work/riverside.dump" "$work/committee.dump" && fail "riverside and committee dumps are the same"

# every other shipped style: its own golden dump, different from all others
for sx in "$root"/styles/*.xml; do
    name=$(basename "$sx" .xml)
    [ "$name" = committee ] && continue
    [ "$name" = riverside ] || dump "$work/$name.dump" --style "$name"
    want="$root/tests/golden/style-$name.dump"
    if [ "${QUORUM_GOLDEN_UPDATE:-0}" = 1 ]; then
        cp "$work/$name.dump" "$want"; echo "updated $want"; continue
    fi
    [ -e "$want" ] || { fail "no $want (run with QUORUM_GOLDEN_UPDATE=1 and review it)"; continue; }
    if ! diff -u "$want" "$work/$name.dump" > "$work/$name.diff"; then
        fail "$name dump differs from $want"; head -n 40 "$work/$name.diff"
    fi
    for other in "$work"/*.dump; do
        [ "$other" = "$work/$name.dump" ] && continue
        case "$other" in *-path.dump|*/default.dump) continue;; esac
        cmp -s "$other" "$work/$name.dump" && fail "$name prints the same as $(basename "$other")"
    done
done

# What makes the riverside look, as the dump shows it: A4 in mm, the
# header with the council's name, the logo as a Figure, teal table headers.
r="$work/riverside.dump"
grep -q '"Riverside Borough Council"' "$r" || fail "no council name in the header"
grep -q '^  image Figure .*"ROOT/styles/riverside-logo.png"' "$r" || fail "no logo on the front sheet"
grep -q '#bfe0e6' "$r" || fail "no riverside table header fill"
grep -q '#d9e2f3' "$r" && fail "committee table header fill in the riverside dump"
# northgate: a navy band, then the section heading in white on it
grep -A1 '^  fill Artifact .* #1f3a93$' "$work/northgate.dump" | grep -q '^  text H2 .* #ffffff "1\."' \
    || fail "northgate: no band behind section heading 1"
exit $status
