#!/bin/bash
# The command links libxml2's static archive without ICU when built with
# QUORUM_STATIC_LIBXML2 (off by default; .ci/run's sanitizer build has it on): a run maps
# neither libxml2.so nor ICU nor libstdc++, and an encoding only ICU knew
# (a schema named by QUORUM_SCHEMA_DIR is the one file libxml2 decodes
# itself) is refused with libxml2's "Unsupported encoding" and exit 1,
# while the encodings libxml2 and iconv know still work.  Built with
# QUORUM_STATIC_LIBXML2=OFF (the default) the command maps libxml2.so;
# with QUORUM_ICU_STUB (on by default) the system's libxml2.so, and the
# same stand-ins as a libicuuc of its own (lib/quorum/icu beside it),
# never the system's ICU nor libstdc++, and SCSU is refused as above.
# usage: static_xml.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1 repo=$2 work=$3
fresh_workdir "$work"
sample=$repo/input/council-2025-01-29/report.xml
cache=$(dirname "$bin")/CMakeCache.txt
static=0 stub=0
grep '^QUORUM_STATIC_LIBXML2:BOOL=ON' "$cache" >/dev/null && static=1
grep '^QUORUM_ICU_STUB:BOOL=ON' "$cache" >/dev/null && [ $static = 0 ] && stub=1

# libstdc++ came with ICU; a sanitizer's runtime (UBSan's) needs it itself
libs='libxml2|libicu[a-z]*|libstdc\+\+'
grep -E '^QUORUM_(SANITIZE|TSAN):BOOL=ON' "$cache" >/dev/null && libs='libxml2|libicu[a-z]*'
LD_DEBUG=files "$bin" check "$sample" 2>ld.txt >/dev/null || fail "check exited $?"
mapped=$(grep -oE "file=[^ ]*($libs)\.so[^ ]*" ld.txt | sort -u | tr '\n' ' ')
if [ $static = 1 ]; then
  [ -z "$mapped" ] || fail "the command links libxml2 statically, yet a check loaded: $mapped"
else
  case "$mapped" in *libxml2*) ;; *) fail "built with libxml2.so, yet a check did not load it" ;; esac
fi
if [ $stub = 1 ]; then
  # the objects the loader set up, by their paths
  LD_DEBUG=libs "$bin" check "$sample" 2>libs.txt >/dev/null || fail "check exited $?"
  loaded=$(grep -oE "calling init: [^ ]*" libs.txt | sed 's/calling init: //')
  own=$(cd "$(dirname "$bin")/lib/quorum/icu" 2>/dev/null && pwd -P)
  grep -qx "${own:-none}/libicuuc\.so\.[0-9]*" <<<"$loaded" ||
    fail "the ICU stand-ins were not loaded: $(echo $loaded)"
  # libstdc++ came with ICU (a sanitizer's runtime needs it itself)
  system='/libicu[a-z]*\.'
  grep -qE '^QUORUM_(SANITIZE|TSAN):BOOL=ON' "$cache" || system="$system|/libstdc\+\+\."
  others=$(echo "$loaded" | grep -E "$system" | grep -v "^${own:-none}/" | tr '\n' ' ')
  [ -z "$others" ] || fail "the command loaded the system's ICU: $others"
  grep -qE "calling init: /[^ ]*libxml2\.so" libs.txt || fail "the system's libxml2.so was not loaded"
fi

# schemas in other encodings (QUORUM_SCHEMA_DIR)
xsd=$repo/schema/quorum-report-1.xsd
mkdir -p none latin scsu
sed '1s/encoding="UTF-8"/encoding="x-quorum-none"/' "$xsd" >none/quorum-report-1.xsd
# iconv: one the parser does not know itself (-c drops the few characters
# cp1252 lacks, all inside documentation)
sed '1s/encoding="UTF-8"/encoding="windows-1252"/' "$xsd" |
  iconv -c -f UTF-8 -t WINDOWS-1252 >latin/quorum-report-1.xsd
sed '1s/encoding="UTF-8"/encoding="SCSU"/' "$xsd" >scsu/quorum-report-1.xsd

QUORUM_SCHEMA_DIR=$PWD/none "$bin" check "$sample" >none.out 2>&1
rc=$?
[ $rc = 1 ] || fail "a schema in an unknown encoding: exit $rc, not 1: $(cat none.out)"
grep "Unsupported encoding x-quorum-none" none.out >/dev/null || fail "unknown encoding: $(cat none.out)"
QUORUM_SCHEMA_DIR=$PWD/latin "$bin" check "$sample" >latin.out 2>&1 ||
  fail "a schema in windows-1252 (iconv): exit $?: $(cat latin.out)"
# SCSU: only ICU decodes it
QUORUM_SCHEMA_DIR=$PWD/scsu "$bin" check "$sample" >scsu.out 2>&1
rc=$?
if [ $static = 1 ] || [ $stub = 1 ]; then
  [ $rc = 1 ] || fail "a schema in SCSU without ICU: exit $rc, not 1: $(cat scsu.out)"
  grep "Unsupported encoding SCSU" scsu.out >/dev/null || fail "SCSU without ICU: $(cat scsu.out)"
fi
exit $status
