#!/bin/bash
# Every report in tests/invalid/ must be rejected by `quorum check`: exit
# status 1, each diagnostic the file declares present on stderr, and nothing
# else there (no libxml2 chatter).
#
# A file declares what it must produce in a comment in its first lines:
#     <!-- expect: LINE:COL: SEVERITY: MESSAGE -->
# (several "expect:" lines allowed; "expect: @OTHER.xml LINE:COL: ..." for a
# diagnostic in another file beside it, e.g. an appendix).  A file that
# cannot carry a comment (an empty file) has a sidecar NAME.expect with the
# same lines without "expect: ".  Files named *.appendix.xml are appendices
# of other cases and are not run on their own.  A case whose finding is a
# warning declares "options: werror" (options without their leading "--",
# which an XML comment cannot hold) to make it fail the check.
#
# Text diagnostics show the source line and a caret under the column;
# those lines are allowed on stderr.  A case that pins them has a sidecar
# NAME.stderr: the whole of stderr, with @DIR@ for tests/invalid.
#
# usage: invalid.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1
root=$2
work=$3
mkdir -p "$work"
dir="$root/tests/invalid"
fail=0
n=0
for f in "$dir"/*.xml; do
    case "$f" in *.appendix.xml) continue ;; esac
    n=$((n + 1))
    name=$(basename "$f" .xml)
    exp="$work/$name.expect"
    if [ -f "$dir/$name.expect" ]; then
        cp "$dir/$name.expect" "$exp"
    else
        head -n 10 "$f" | grep -a -o 'expect: .*' |
            sed -e 's/^expect: //' -e 's/ *-->.*$//' > "$exp"
    fi
    if [ ! -s "$exp" ]; then
        echo "FAIL $name: declares no expected diagnostic"
        fail=1
        continue
    fi
    opts=$(head -n 10 "$f" | grep -a -o 'options: .*' |
        sed -e 's/^options: //' -e 's/ *-->.*$//' | head -n 1 |
        sed -e 's/\([^ ][^ ]*\)/--\1/g')
    # shellcheck disable=SC2086 # options are words
    timeout 10 "$bin" check $opts "$f" > "$work/$name.out" 2> "$work/$name.err"
    rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "FAIL $name: exit status $rc, want 1"
        fail=1
    fi
    while IFS= read -r e; do
        [ -n "$e" ] || continue
        target=$f
        msg=$e
        case "$e" in
        @*)
            other=${e%% *}
            target="$dir/${other#@}"
            msg=${e#* }
            ;;
        esac
        if ! grep -aqxF -- "$target:$msg" "$work/$name.err"; then
            echo "FAIL $name: missing diagnostic"
            echo "   want: $target:$msg"
            sed 's/^/   got:  /' "$work/$name.err"
            fail=1
        fi
    done < "$exp"
    if [ -f "$dir/$name.stderr" ]; then
        sed "s|@DIR@|$dir|g" "$dir/$name.stderr" > "$work/$name.want-stderr"
        if ! cmp -s "$work/$name.want-stderr" "$work/$name.err"; then
            echo "FAIL $name: stderr differs from $name.stderr"
            diff "$work/$name.want-stderr" "$work/$name.err" | sed 's/^/   /'
            fail=1
        fi
    fi
    if grep -avE '^.+:[0-9]+:[0-9]+: (error|warning|note): |^.+: (error|warning|note): |^[0-9]+ errors?, [0-9]+ warnings?$|^ *[0-9]+ \| |^      \| ' \
        "$work/$name.err" > "$work/$name.noise"; then
        echo "FAIL $name: unexpected output on stderr:"
        sed 's/^/   /' "$work/$name.noise"
        fail=1
    fi
    if [ -s "$work/$name.out" ]; then
        echo "FAIL $name: check wrote to stdout"
        fail=1
    fi
done
if [ "$n" -lt 40 ]; then
    echo "FAIL: only $n invalid cases, want at least 40"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: $n invalid reports and meeting files rejected as declared"
exit "$fail"
