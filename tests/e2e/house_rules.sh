#!/bin/bash
# The house rules of src/ (ARCHITECTURE.md): no environment read in the
# library, no source file over 1,000 lines, each third-party library in its
# folder, one internal header per folder, the command on the public header
# alone, one public header; no `| grep -q` in a pipefail script.  The
# checker first proves it can fail: it breaks each rule in a copy of the
# tree and must notice every one.
# usage: house_rules.sh QUORUM_BINARY SOURCE_DIR WORK_DIR
set -u
repo=$2
status=0
/usr/bin/python3 "$repo/tests/tools/house_rules.py" --self-test "$repo" || status=1
/usr/bin/python3 "$repo/tests/tools/house_rules.py" "$repo" || status=1
exit "$status"
