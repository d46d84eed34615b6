#!/bin/bash
# Hostile files (issue 12): every file quorum reads is opened once, as a
# regular file, with a size cap (util/file.c).  A FIFO named as a report,
# appendix, style, font, holiday list or PDF to extract, and a FIFO,
# device or link already standing where extract would write, each give a
# diagnostic naming the file and the exit status of their class
# (exit_classes.sh: a file named on the command line or through an
# option that cannot be read is I/O, 3; one a report names is the
# report's error, 1, at the reference), within a timeout, never a hang.
# An endless file (/dev/zero) named by a report is refused the same way,
# and an archive copy (--archive=3b) refuses a source that is a link
# (logo.png linked to a private key) at the src or href naming it.
# usage: hostile_files.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
input=$repo/input/council-2025-01-29

# expect NAME STATUS PATTERN ARGS...: quorum ARGS exits STATUS within the
# bound (a hang is 124) and says PATTERN (grep -E) on stderr.
expect() {
    local name=$1 want=$2 pattern=$3
    shift 3
    timeout 10 "$bin" "$@" > "$name.out" 2> "$name.err" < /dev/null
    local rc=$?
    [ "$rc" -eq "$want" ] || { fail "$name: exit $rc, want $want: $(head -c 400 "$name.err")"; return; }
    grep -Eq -- "$pattern" "$name.err" || fail "$name: no '$pattern' in: $(head -c 400 "$name.err")"
}

mkdir src && cp "$input"/*.xml src/
mkfifo fifo.xml fifo.txt fifo.pdf

# the file given: I/O
expect report 3 '^fifo\.xml: error: cannot read file: not a regular file$' check fifo.xml
expect pdf 3 '^fifo\.pdf: error: cannot read fifo\.pdf: not a regular file$' extract fifo.pdf x
expect holidays 3 '^fifo\.txt: error: cannot read the bank holiday list: not a regular file$' \
    pack src/meeting.xml --holidays fifo.txt -o p.pdf
expect style 3 '^\./fifo\.xml: error: cannot read file: not a regular file$' \
    build src/report.xml --style ./fifo.xml -o s.pdf
[ -e p.pdf ] || [ -e s.pdf ] && fail "a PDF was written after a refused file"

# a face in the font folder
mkdir fonts && cp "$repo"/fonts/LiberationSans-*.ttf fonts/
rm fonts/LiberationSans-Bold.ttf && mkfifo fonts/LiberationSans-Bold.ttf
expect font 3 'cannot open font file fonts/LiberationSans-Bold\.ttf: not a regular file' \
    build src/report.xml --font-dir fonts -o f.pdf

# what a file names: the error of that file, at the name
sed 's/href="appendix-1.xml"/href="fifo.xml"/' src/report.xml > src/app-fifo.xml
mkfifo src/fifo.xml
line=$(grep -n 'href="fifo.xml"' src/app-fifo.xml | cut -d: -f1)
expect appendix 1 "^src/app-fifo\.xml:$line:[0-9]+: error: cannot read appendix 'fifo\.xml': not a regular file$" \
    check src/app-fifo.xml
mkfifo f.ttf
printf '<style xmlns="urn:quorum:style:1">\n<font regular="f.ttf" bold="f.ttf" italic="f.ttf" bold-italic="f.ttf"/>\n</style>\n' > fst.xml
expect style-font 1 '^\./fst\.xml:2:7: error: cannot read font file "f\.ttf": not a regular file$' \
    build src/report.xml --style ./fst.xml -o sf.pdf

# an endless file: an image and an appendix reaching /dev/zero
python3 - src/report.xml > src/zero.xml <<'EOF'
import sys
s = open(sys.argv[1]).read()
i = s.index('<p>', s.index('<section'))
s = s[:i] + '<image src="../../../../../../../../dev/zero" alt="z"/>' + s[i:]
s = s.replace('href="appendix-1.xml"', 'href="../../../../../../../../dev/zero"')
sys.stdout.write(s)
EOF
expect zero 1 "^src/zero\.xml:[0-9]+:[0-9]+: error: cannot read image '\.\./\.\./\.\./\.\./\.\./\.\./\.\./\.\./dev/zero'$" \
    check src/zero.xml
grep -Eq "error: appendix href \"(\.\./)+dev/zero\" must name a file in the report's directory" zero.err ||
    fail "zero: the appendix href is not refused: $(head -c 400 zero.err)"
sed 's/report="report.xml"/report="zero.xml"/' src/meeting.xml > src/m-zero.xml
expect zero-pack 1 "cannot read image" pack src/m-zero.xml -o zp.pdf

# extract: nothing but a regular file is replaced, and nothing is written
# when one target is refused
"$bin" build src/report.xml --archive=3b -o a3.pdf 2> a3.err || fail "archive copy: $(cat a3.err)"
mkdir x1 && mkfifo x1/report.xml
expect extract-fifo 3 '^x1/report\.xml: error: cannot write report\.xml: there is a FIFO of that name' \
    extract a3.pdf x1
[ -p x1/report.xml ] || fail "extract-fifo: the FIFO was replaced"
[ "$(ls x1)" = report.xml ] || fail "extract-fifo: files were written: $(ls x1)"
mkdir x2 && echo secret > secret.txt && ln -s ../secret.txt x2/appendix-1.xml
expect extract-link 3 '^x2/appendix-1\.xml: error: cannot write appendix-1\.xml: there is a symbolic link' \
    extract a3.pdf x2
[ "$(cat secret.txt)" = secret ] || fail "extract-link: wrote through the link"
[ -L x2/appendix-1.xml ] || fail "extract-link: the link was replaced"
mkdir x3 && "$bin" extract a3.pdf x3 2> x3.err || fail "extract into a fresh folder: $(cat x3.err)"
cmp -s x3/report.xml src/report.xml || fail "extract: report.xml differs"

# --archive=3b: a source that is a link is refused where it is named,
# and no copy is written.  The link leads to a real image outside the
# folder, so that it is the link rule that refuses it, not the image
# decoder (a private key behind the link is refused by both).
mkdir arch && cp "$input"/*.xml arch/
cp "$repo"/tests/fixtures/archive-image/chart.png key.png
ln -s ../key.png arch/logo.png
python3 - arch/report.xml <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
i = s.index('<p>', s.index('<section'))
open(p, 'w').write(s[:i] + '<image src="logo.png" alt="Logo"/>' + s[i:])
EOF
line=$(grep -n 'src="logo.png"' arch/report.xml | cut -d: -f1)
expect link-image 1 "^arch/report\.xml:$line:[0-9]+: error: arch/logo\.png is a symbolic link: an archive copy" \
    build arch/report.xml --archive=3b -o arch.pdf
[ -e arch.pdf ] && fail "link-image: an archive copy was written"
expect link-image-pack 1 "^arch/report\.xml:$line:[0-9]+: error: arch/logo\.png is a symbolic link" \
    pack arch/meeting.xml --archive=3b -o archp.pdf
[ -e archp.pdf ] && fail "link-image-pack: an archive copy was written"
rm arch/logo.png && cp "$repo"/tests/fixtures/archive-image/chart.png arch/logo.png
mv arch/appendix-1.xml arch/real-appendix.xml && ln -s real-appendix.xml arch/appendix-1.xml
line=$(grep -n 'href="appendix-1.xml"' arch/report.xml | cut -d: -f1)
expect link-appendix 1 "^arch/report\.xml:$line:[0-9]+: error: arch/appendix-1\.xml is a symbolic link" \
    build arch/report.xml --archive=3b -o arch.pdf
"$bin" build arch/report.xml -o plain.pdf 2> plain.err ||
    fail "a plain build follows the link as before: $(cat plain.err)"
exit $status
