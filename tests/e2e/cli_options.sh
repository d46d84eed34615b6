#!/bin/bash
# Command-line conventions (issue 11): --opt=value and --opt value for
# every option with a value, -- ends the options, `quorum help CMD` and
# `quorum CMD --help` print that command's help, -o - writes to standard
# output and - reads standard input where that makes sense and is refused
# clearly where it does not, --version names the libraries, and an option
# given to a command it does not apply to is a usage error.
# usage: cli_options.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
mkdir -p "$work" && cd "$work" || exit 1
rm -rf ./*
status=0
fail() { echo "FAIL: $*"; status=1; }
sample=$repo/input/council-2025-01-29/report.xml
basic=$repo/tests/golden/basic/report.xml

# run NAME WANT ARGS...: output in NAME.out / NAME.err
run() {
    local name=$1 want=$2
    shift 2
    timeout 60 "$bin" "$@" > "$name.out" 2> "$name.err" < /dev/null
    local rc=$?
    [ "$rc" -eq "$want" ] || { fail "$name: quorum $* exited $rc, want $want"; head -n 3 "$name.err"; }
}

# ---- both forms of every option with a value give the same result -----
run dump-space 0 dump "$basic" --style riverside -o "$work/a.txt"
run dump-equals 0 dump "$basic" --style=riverside --output="$work/b.txt"
run dump-short 0 dump "$basic" --style=riverside -o"$work/c.txt"
cmp -s a.txt b.txt || fail "--style=X --output=Y differs from --style X -o Y"
cmp -s a.txt c.txt || fail "-oFILE differs from -o FILE"
run dump-committee 0 dump "$basic" -o "$work/d.txt"
cmp -s a.txt d.txt && fail "--style riverside was ignored"
run diag-equals 1 check --diagnostics=json "$repo/tests/invalid/bad-date.xml"
run diag-space 1 check --diagnostics json "$repo/tests/invalid/bad-date.xml"
cmp -s diag-equals.err diag-space.err || fail "--diagnostics json differs from --diagnostics=json"
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' diag-space.err || fail "--diagnostics json is not JSON"
run diag-bad 2 check --diagnostics=xml "$basic"
grep -q -- '--diagnostics takes text, json or sarif, not: xml' diag-bad.err || fail "bad --diagnostics value: $(head -c 200 diag-bad.err)"
run font-equals 3 build "$basic" --font-dir=/nonexistent-fonts -o "$work/f.pdf"
grep -q 'cannot open font file /nonexistent-fonts/' font-equals.err || fail "--font-dir=DIR ignored: $(head -c 200 font-equals.err)"
run flag-value 2 check --werror=yes "$basic"
grep -q 'takes no value: --werror=yes' flag-value.err || fail "a flag with a value: $(head -c 200 flag-value.err)"
run empty-value 2 build "$basic" --output=
grep -q 'missing file after: --output=' empty-value.err || fail "an empty value: $(head -c 200 empty-value.err)"

# ---- -- ends the options ----------------------------------------------
cp "$basic" ./-report.xml
cp "$repo/tests/golden/basic/appendix-1.xml" .
run dashdash 0 check -- -report.xml
run no-dashdash 2 check -report.xml
grep -q 'unknown option: -report.xml' no-dashdash.err || fail "-report.xml without --: $(head -c 200 no-dashdash.err)"

# ---- help -------------------------------------------------------------
for cmd in build check dump extract pack; do
    run "help-$cmd" 0 help "$cmd"
    run "dash-help-$cmd" 0 "$cmd" --help
    cmp -s "help-$cmd.out" "dash-help-$cmd.out" || fail "quorum help $cmd differs from quorum $cmd --help"
    grep -q "^usage: quorum $cmd" "help-$cmd.out" || fail "help $cmd has no usage line"
done
grep -q -- '--since' help-pack.out || fail "pack's help does not list --since"
grep -q -- '--since' help-build.out && fail "build's help lists --since, a pack option"
grep -q -- '--archive' help-check.out && fail "check's help lists --archive"
run help-all 0 help
run dash-help 0 --help
cmp -s help-all.out dash-help.out || fail "quorum help differs from quorum --help"
run help-unknown 2 help frobnicate
grep -q 'no help for unknown command: frobnicate' help-unknown.err || fail "help of an unknown command: $(head -c 200 help-unknown.err)"

# ---- --version names libharu, libxml2, libpng, libjpeg-turbo -----------
run version 0 --version
grep -qE '^quorum [0-9]+\.[0-9]+\.[0-9]+$' version.out || fail "--version: $(head -n 1 version.out)"
grep -qE 'libharu [0-9]+\.[0-9]+\.[0-9]+' version.out || fail "--version does not name libharu: $(cat version.out)"
grep -qE 'libxml2 [0-9]+\.[0-9]+\.[0-9]+' version.out || fail "--version does not name libxml2: $(cat version.out)"
grep -qE 'libpng [0-9]+\.[0-9]+\.[0-9]+, libjpeg-turbo [0-9]+\.[0-9]+\.[0-9]+' version.out ||
    fail "--version does not name libpng and libjpeg-turbo: $(cat version.out)"
grep -E 'libqpdf [0-9]+\.[0-9]+\.[0-9]+' version.out >/dev/null ||
    fail "--version does not name libqpdf: $(cat version.out)"

# ---- -o - and - --------------------------------------------------------
run dump-stdout 0 dump "$basic" -o -
cmp -s dump-stdout.out d.txt || fail "dump -o - differs from dump -o FILE"
(cd "$repo/tests/golden/basic" && "$bin" dump - -o - < report.xml) > dump-stdin.out 2> dump-stdin.err || fail "dump - failed: $(head -c 200 dump-stdin.err)"

# the same pages: only the names of the source differ, and basic has none in its dump
cmp -s dump-stdin.out d.txt || fail "dump of standard input differs from dump of the file"
"$bin" check - < "$repo/tests/invalid/bad-date.xml" > check-stdin.out 2> check-stdin.err
rc=$?
[ $rc -eq 1 ] || fail "check - of an invalid report exited $rc, want 1"
grep -q '^<stdin>:5:56: error: date' check-stdin.err || fail "diagnostics of standard input: $(head -c 300 check-stdin.err)"
run build-file 0 build "$sample" -o "$work/file.pdf"
run build-stdout 0 build "$sample" -o -
cmp -s build-stdout.out file.pdf || fail "build -o - differs from build -o FILE"
(cd "$repo/input/council-2025-01-29" && "$bin" build - -o - < report.xml) > build-stdin.out 2> build-stdin.err ||
    fail "build - -o - failed: $(head -c 200 build-stdin.err)"
cmp -s build-stdin.out file.pdf || fail "build of standard input differs from build of the file"
run build-bad-stdout 1 build "$repo/tests/invalid/bad-date.xml" -o -
[ -s build-bad-stdout.out ] && fail "a failed build -o - wrote to standard output"
run archive-stdout 2 build "$sample" --archive -o -
grep -q 'so -o - is not possible with: --archive' archive-stdout.err || fail "--archive -o -: $(head -c 200 archive-stdout.err)"
run build-stdin-no-o 2 build -
grep -q 'reading standard input: say where to write with: -o' build-stdin-no-o.err || fail "build - without -o: $(head -c 200 build-stdin-no-o.err)"
run pack-stdin 2 pack -
grep -q -- '- (standard input) is not possible for: pack' pack-stdin.err || fail "pack -: $(head -c 200 pack-stdin.err)"
run extract-stdin 2 extract - "$work/ex"
grep -q -- '- (standard input) is not possible for: extract' extract-stdin.err || fail "extract -: $(head -c 200 extract-stdin.err)"
run pack-stdout 2 pack "$repo/input/council-2025-01-29/meeting.xml" -o -
grep -q 'manifest beside its PDF, so -o - is not possible' pack-stdout.err || fail "pack -o -: $(head -c 200 pack-stdout.err)"
run two-stdin 2 check - -
grep -q 'standard input can be read once' two-stdin.err || fail "check - -: $(head -c 200 two-stdin.err)"

# ---- SOURCE_DATE_EPOCH that is not a number is refused, not ignored ----
SOURCE_DATE_EPOCH=yesterday "$bin" pack "$repo/input/council-2025-01-29/meeting.xml" -o "$work/sde.pdf" > sde.out 2> sde.err
rc=$?
[ $rc -eq 2 ] || fail "SOURCE_DATE_EPOCH=yesterday exited $rc, want 2"
grep -q 'SOURCE_DATE_EPOCH is not a number of seconds since 1970: yesterday' sde.err || fail "SOURCE_DATE_EPOCH=yesterday: $(head -c 200 sde.err)"
[ -e sde.pdf ] && fail "SOURCE_DATE_EPOCH=yesterday still wrote a pack"

# ---- an option a command does not take ---------------------------------
run style-extract 2 extract --style riverside x.pdf "$work/ex"
grep -q -- '--style applies to build, check, dump, pack, publish and watch only, not: extract' style-extract.err || fail "--style on extract: $(head -c 200 style-extract.err)"
run output-check 2 check -o x.pdf "$basic"
grep -q -- '--output applies to build, dump, pack, import, publish and watch only, not: check' output-check.err || fail "-o on check: $(head -c 200 output-check.err)"

[ "$status" -eq 0 ] && echo "ok: option forms, --, help per command, -o -, -, --version"
exit "$status"
