#!/usr/bin/env bash
# quorum publish (issue 17): the site of a meeting with two public reports,
# a late one and an exempt item; the same bytes from a second run, which
# rewrites nothing; after one report is edited only its page and PDF, the
# packs with their manifests and the index are rewritten (files are dated
# 2001 first, so a rewrite shows as a new date and inode); a removed file
# is made again; -j 1 gives the same site; its pack is `pack`'s; and the refusals.
#   bash html_site.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 root=$2 work=$3
. "$(dirname "$0")/lib.sh"
export QUORUM_FONT_DIR="$root/fonts"
fresh_workdir "$work"
check="$root/tests/e2e/html_check.py"
mkdir in
cp "$root"/input/council-2025-01-29/*.xml in/
cp "$root/input/licensing-fees.xml" in/fees.xml
# a late item with the one-file report, published after the agenda
sed 's|<item id="member-questions"|<item id="fees" title="Licensing Fees" report="fees.xml" late="true" published="2025-01-24" urgency="The fees must be set before 1 April."/>\n    &|' \
    in/meeting.xml > in/m.xml && mv in/m.xml in/meeting.xml
grep -F 'id="fees"' in/meeting.xml >/dev/null || { echo "FAIL: fixture not made"; exit 1; }

"$bin" publish in/meeting.xml -o site 2> publish.err; rc=$?
[ $rc -eq 0 ] || { fail "publish exited $rc"; cat publish.err; exit 1; }
for f in index.html irp-progress.html irp-progress.pdf fees.html fees.pdf \
         agenda-pack.pdf agenda-pack.manifest supplement.pdf supplement.manifest; do
    [ -s "site/$f" ] || fail "no site/$f"
done
n=$(ls site | wc -l)
[ "$n" -eq 9 ] || fail "site has $n files: $(ls site)"
# the same site on one thread (each page and PDF made where the pack's
# worker laid its report out, or on the caller), and the pack as `pack`
# writes it (publish writes the PDF it compared, not a second one)
"$bin" publish in/meeting.xml -o site1 -j 1 2>/dev/null || fail "publish -j 1 failed"
diff -r site site1 >/dev/null || fail "the site on one thread differs: $(diff -rq site site1)"
mkdir pk && "$bin" pack in/meeting.xml -o pk/agenda-pack.pdf --no-cache 2>/dev/null
cmp -s pk/agenda-pack.pdf site/agenda-pack.pdf || fail "the site's pack differs from pack's"
cmp -s pk/agenda-pack.manifest site/agenda-pack.manifest || fail "the site's manifest differs"
python3 "$check" page site/*.html || fail "the pages' structure"
idx=site/index.html
for want in 'href="irp-progress.html"' 'href="irp-progress.pdf"' 'href="fees.html"' \
            'href="agenda-pack.pdf"' 'href="supplement.pdf"' 'published 24 January 2025' \
            'Wednesday, 29 January 2025' '7.00 pm' 'Council Chamber' 'Councillor A. Patel' \
            'Disposal of a Council-owned Commercial Property' 'paragraph 3 of Part 1 of Schedule 12A' \
            'Agenda published' '21 January 2025' 'href="index.html"'; do
    case $want in
        'href="index.html"') grep -F -- "$want" site/fees.html >/dev/null || fail "fees.html: no $want" ;;
        *) grep -F -- "$want" "$idx" >/dev/null || fail "index.html: no $want" ;;
    esac
done
# the exempt item has no page and links nothing of its own
grep -o 'href="[^"]*"' "$idx" | grep -i 'property' >/dev/null && fail "the exempt item is linked"
ls site | grep -i property >/dev/null && fail "the exempt item has a file"

# same inputs, same bytes, and nothing rewritten
cp -a site first
touch -d '2001-01-01 00:00' site/*
stat -c '%n %Y %i' site/* > before.txt
"$bin" publish in/meeting.xml -o site 2> again.err || fail "second publish exited $?"
stat -c '%n %Y %i' site/* > after.txt
diff -u before.txt after.txt > unchanged.diff || fail "an unchanged site was rewritten: $(cat unchanged.diff)"
for f in first/*; do cmp -s "$f" "site/${f#first/}" || fail "${f#first/} differs on a rebuild"; done

# one report edited: its files and the packs change, nothing else
sed -i 's|</front-sheet>|</front-sheet>\n  <section><heading>Late Correction</heading><p>A corrected figure.</p></section>|' in/fees.xml
grep -F 'Late Correction' in/fees.xml >/dev/null || fail "fixture edit not made"
"$bin" publish in/meeting.xml -o site 2> edit.err || fail "publish after an edit exited $?"
stat -c '%n %Y %i' site/* > edited.txt
changed=$(diff before.txt edited.txt | sed -n 's|^> site/\([^ ]*\) .*|\1|p' | sort | tr '\n' ' ')
# (the index names what the packs were made from, so it changes with them)
want='agenda-pack.manifest agenda-pack.pdf fees.html fees.pdf index.html supplement.manifest supplement.pdf '
[ "$changed" = "$want" ] || fail "rewritten after one report changed: '$changed', want '$want'"
grep -F 'Late Correction' site/fees.html >/dev/null || fail "the edit is not on fees.html"
pdftotext site/fees.pdf - 2>/dev/null | grep -F 'Late Correction' >/dev/null ||
    fail "the edit is not in fees.pdf"
# a file removed from the site is made again, the same as before
rm site/irp-progress.pdf site/agenda-pack.manifest
"$bin" publish in/meeting.xml -o site 2> remade.err || fail "publish after a removal exited $?"
cmp -s site/irp-progress.pdf first/irp-progress.pdf || fail "irp-progress.pdf not made again as it was"
[ -s site/agenda-pack.manifest ] || fail "agenda-pack.manifest not made again"

# refusals: no -o, -o -, a file where the folder should be, a bad meeting
"$bin" publish in/meeting.xml 2> noout.err; rc=$?
[ $rc -eq 2 ] || fail "publish without -o: exit $rc"
"$bin" publish in/meeting.xml -o - 2> dash.err; rc=$?
[ $rc -eq 2 ] || fail "publish -o -: exit $rc"
: > afile
"$bin" publish in/meeting.xml -o afile 2> afile.err; rc=$?
[ $rc -eq 2 ] && [ ! -s afile ] || fail "publish into a file: exit $rc"
sed 's|<date>2025-01-29</date>|<date>2025-02-30</date>|' in/meeting.xml > in/bad.xml
"$bin" publish in/bad.xml -o badsite 2> bad.err; rc=$?
[ $rc -eq 1 ] || fail "a bad meeting: exit $rc"
grep -E '^in/bad\.xml:[0-9]+:[0-9]+: error:' bad.err >/dev/null || fail "a bad meeting: $(head -c 300 bad.err)"
[ ! -e badsite ] || fail "a bad meeting made a site"

# a report that fails its check mid-site (a new site's pack is written
# beside its layout, into the folder made for it): an error at the
# report's line and column, exit 1, and no folder; into a folder that
# holds a site, none of its files touched and nothing left beside them
sed 's|<p>|<p><bogus/>|' in/fees.xml > in/fees-bad.xml
sed 's|report="fees.xml"|report="fees-bad.xml"|' in/meeting.xml > in/badrep.xml
"$bin" publish in/badrep.xml -o badrep -j 2 2> badrep.err; rc=$?
[ $rc -eq 1 ] || fail "a bad report: exit $rc"
grep -E '^in/fees-bad\.xml:[0-9]+:[0-9]+: error:' badrep.err >/dev/null ||
    fail "a bad report: $(head -c 300 badrep.err)"
[ ! -e badrep ] || fail "a bad report made a folder: $(ls -A badrep)"
mkdir badrep2 && cp -a first/. badrep2/ && rm badrep2/index.html
stat -c '%n %Y %i %s' badrep2/* > badrep2.before
"$bin" publish in/badrep.xml -o badrep2 -j 2 2> /dev/null; rc=$?
[ $rc -eq 1 ] || fail "a bad report over a site: exit $rc"
stat -c '%n %Y %i %s' badrep2/* > badrep2.after
cmp -s badrep2.before badrep2.after || fail "a bad report changed the site: $(diff badrep2.before badrep2.after)"
# --werror with a warning: refused, and no folder either
sed 's|<date>2025-01-29</date>|<date>2025-01-30</date>|' in/meeting.xml > in/warn.xml
"$bin" publish in/warn.xml -o warnsite --werror 2> warn.err; rc=$?
[ $rc -eq 1 ] || fail "--werror with a warning: exit $rc ($(head -c 300 warn.err))"
[ ! -e warnsite ] || fail "--werror with a warning made a folder"
exit $status
