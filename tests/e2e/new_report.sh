#!/usr/bin/env bash
# quorum new (issue 14, part 2): every template in templates/ gives a
# report that checks clean (--werror) and builds to a PDF qpdf accepts; the
# committee template's meeting file packs; a folder that is not empty, a
# file or an unknown template is refused (exit 2) and nothing in the way is
# changed; a folder the call made is removed again when it fails.
# usage: new_report.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
q=$1 src=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"

n=0
for t in "$src"/templates/*/; do
  t=$(basename "$t")
  n=$((n + 1))
  "$q" new --template "$t" "out-$t" >"$t.out" 2>"$t.err" || { fail "$t: new exited $?"; cat "$t.err"; continue; }
  [ -f "out-$t/report.xml" ] || fail "$t: no report.xml"
  cmp -s "$src/templates/$t/report.xml" "out-$t/report.xml" || fail "$t: report.xml is not the template's"
  "$q" check --werror "out-$t/report.xml" 2>"$t.check" || { fail "$t: check --werror exited $?"; cat "$t.check"; }
  "$q" build --werror "out-$t/report.xml" -o "$t.pdf" 2>"$t.build" || { fail "$t: build exited $?"; cat "$t.build"; }
  qpdf --check "$t.pdf" >/dev/null 2>&1 || fail "$t: qpdf --check refuses the PDF"
  if [ -f "out-$t/meeting.xml" ]; then
    "$q" pack --werror "out-$t/meeting.xml" -o "$t-pack.pdf" 2>"$t.pack" || { fail "$t: pack exited $?"; cat "$t.pack"; }
  fi
done
[ $n -ge 6 ] || fail "only $n templates in $src/templates"
[ -f out-committee/meeting.xml ] || fail "the committee template has no meeting.xml"
# the default is the committee paper
"$q" new plain >/dev/null 2>&1 || fail "new without --template exited $?"
cmp -s "$src/templates/committee/report.xml" plain/report.xml || fail "the default template is not committee"

# a folder with something in it: refused, the file left as it was
mkdir busy && echo "mine" >busy/report.xml
"$q" new busy >/dev/null 2>busy.err
rc=$?
[ $rc = 2 ] || fail "non-empty folder: exit $rc, not 2"
grep "busy is not empty" busy.err >/dev/null || fail "non-empty folder: no diagnostic: $(cat busy.err)"
[ "$(cat busy/report.xml)" = mine ] || fail "non-empty folder: report.xml was changed"
[ "$(ls busy)" = report.xml ] || fail "non-empty folder: files were added: $(ls busy)"
# only a file of another name in the folder: still refused, nothing added
mkdir other && echo x >other/notes.txt
"$q" new other >/dev/null 2>&1
[ $? = 2 ] || fail "folder with another file: not refused"
[ "$(ls other)" = notes.txt ] || fail "folder with another file: files were added"
# an empty folder (a fresh clone keeps only .git) is fine
mkdir -p empty/.git
"$q" new empty >/dev/null 2>&1 || fail "empty folder with .git: exit $?"
[ -f empty/report.xml ] || fail "empty folder: no report.xml"
# a file where the folder would be
echo keep >afile
"$q" new afile >/dev/null 2>afile.err
[ $? = 2 ] || fail "a file as DIR: not refused"
[ "$(cat afile)" = keep ] || fail "a file as DIR: changed"
# unknown template: the nearest named, no folder made
"$q" new --template maidstne typo >/dev/null 2>typo.err
[ $? = 2 ] || fail "unknown template: not exit 2"
grep 'did you mean "maidstone"' typo.err >/dev/null || fail "unknown template: no suggestion: $(cat typo.err)"
[ ! -e typo ] || fail "unknown template: folder made"
"$q" new --template ../templates/committee up >/dev/null 2>&1
[ $? = 2 ] || fail "template name with a path: not refused"
# the parent is missing: an I/O error, nothing made
"$q" new missing/deeper >/dev/null 2>&1
[ $? = 3 ] || fail "missing parent: not exit 3"
exit $status
