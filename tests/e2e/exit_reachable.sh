#!/bin/bash
# The command does not free its engine at exit (src/cli/main.c says why)
# but keeps it reachable, so nothing it leaves is lost: valgrind finds no
# block definitely, indirectly or possibly lost after a check or an HTML
# page of the sample.  (A pointer kept in a variable that
# nothing reads was optimised away once, and the engine was lost.)
# Sanitizer builds free the engine and run under their own leak checker.
# usage: exit_reachable.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
cache=$(dirname "$bin")/CMakeCache.txt
if grep -E '^QUORUM_(SANITIZE|TSAN):BOOL=ON' "$cache" >/dev/null; then
  echo "SKIP: valgrind cannot run a sanitizer build (its own leak checker runs instead)"
  exit 77
fi
command -v valgrind >/dev/null || { echo "FAIL: valgrind missing (bash .ci/deps test)"; exit 1; }
sample=$repo/input/council-2025-01-29/report.xml
run() { # run NAME ARGS...: quorum ARGS under valgrind's leak check
  local name=$1; shift
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=9 "$bin" "$@" >"$name.out" 2>"$name.vg"
  local rc=$?
  [ $rc = 0 ] || fail "$name: exit $rc under valgrind: $(head -c 2000 "$name.vg")"
}
run check check "$sample"
run html build --format html "$sample" -o r.html
[ -s r.html ] || fail "no HTML written"
exit $status
