#!/usr/bin/env bash
# Golden HTML (issue 17): `quorum build --format html` of every golden
# fixture and sample must be exactly tests/golden/NAME.html, compared and
# refreshed (QUORUM_GOLDEN_UPDATE=1, then review the diff) as golden.sh
# does the dumps.
#   bash html_golden.sh QUORUM_BINARY REPO_ROOT WORK_DIR
exec bash "$(dirname "$0")/golden.sh" "$1" "$2" "$3" html
