#!/usr/bin/env bash
# .ci/ctest-lsan, the sanitizer run's ctest: a test that failed only
# because LeakSanitizer's tracer crashed at exit runs again, up to three
# times; any other failure, or a fourth failure, fails the run.  Checked on a small CMake
# project of tests that pass, fail once with the tracer's words, fail
# always with them, fail with half of them, or fail some other way.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
root=$2 work=$3
fresh_workdir "$work"
runner=$root/.ci/ctest-lsan

# project NAME TEST...: a project whose tests are the scripts named
project() {
    local d=$work/$1
    shift
    mkdir -p "$d/src" "$d/build"
    {
        echo 'cmake_minimum_required(VERSION 3.13)'
        echo 'project(t NONE)'
        echo 'enable_testing()'
        local t
        for t in "$@"; do
            echo "add_test(NAME $t COMMAND bash \${CMAKE_SOURCE_DIR}/$t.sh \${CMAKE_BINARY_DIR})"
        done
    } >"$d/src/CMakeLists.txt"
    # passes
    echo 'exit 0' >"$d/src/good.sh"
    # the tracer's crash on its first run only
    cat >"$d/src/flaky.sh" <<'EOF'
[ -e "$1/flaky.ran" ] && exit 0
touch "$1/flaky.ran"
echo "Tracer caught signal 11: addr=0x0 pc=0x4f5070 sp=0x7efd9a5dad30" >&2
echo "==8160==LeakSanitizer has encountered a fatal error." >&2
exit 1
EOF
    # the tracer's crash every time
    cat >"$d/src/always.sh" <<'EOF'
echo "Tracer caught signal 11: addr=0x0" >&2
echo "==1==LeakSanitizer has encountered a fatal error." >&2
exit 1
EOF
    # a crash of another kind on its first run only
    cat >"$d/src/other.sh" <<'EOF'
[ -e "$1/other.ran" ] && exit 0
touch "$1/other.ran"
echo "==1==ERROR: AddressSanitizer: heap-use-after-free" >&2
exit 1
EOF
    # half of the signature: a leak report that mentions a tracer
    cat >"$d/src/half.sh" <<'EOF'
[ -e "$1/half.ran" ] && exit 0
touch "$1/half.ran"
echo "Tracer caught signal 11" >&2
echo "==1==ERROR: LeakSanitizer: detected memory leaks" >&2
exit 1
EOF
    cmake -S "$d/src" -B "$d/build" >/dev/null || fail "$1: cmake failed"
    echo "$d/build"
}

# expect NAME RC WORDS TEST...: the runner on a project of TEST... exits
# with RC (0 or nonzero) and says WORDS
expect() {
    local name=$1 want=$2 words=$3
    shift 3
    local b
    b=$(project "$name" "$@")
    bash "$runner" "$b" --output-on-failure >"$name.out" 2>&1
    local rc=$?
    if [ "$want" = 0 ]; then
        [ $rc -eq 0 ] || fail "$name: exit $rc, want 0: $(tail -5 "$name.out")"
    else
        [ $rc -ne 0 ] || fail "$name: exit 0, want a failure: $(tail -5 "$name.out")"
    fi
    grep -q -- "$words" "$name.out" || fail "$name: does not say '$words': $(tail -5 "$name.out")"
}

expect all-pass 0 "100% tests passed" good
expect tracer-once 0 "crashed in flaky: running again (1 of 3)" good flaky
grep -q "running again (2 of 3)" tracer-once.out && fail "tracer-once: ran it a third time"
expect tracer-always 1 "running again (3 of 3)" good always
[ "$(grep -c "running again" tracer-always.out)" = 3 ] || fail "tracer-always: not three runs again"
expect other-once 1 "other failed, and not by LeakSanitizer's tracer" good other
expect half-signature 1 "half failed, and not by LeakSanitizer's tracer" good half
# one forgivable and one not: no second run for either
expect mixed 1 "not by LeakSanitizer's tracer: no second run" flaky other
grep -q "running again" mixed.out && fail "mixed: ran the tests again"

exit $status
