#!/usr/bin/env bash
# A title of 1 MB in the footer of every page, in a style's running header,
# and a meeting body of 1 MB in the footer of a pack's pages: fitted by
# prefix widths and a binary search, built in well under a second (fitted
# a character at a time with a re-measure each, a 64 KB title took 93 s
# and 1 MB never finished; a header {title} was copied whole onto every
# page).  The footer text is a prefix of the title that ends before the
# page number, and the header's is no wider than the page.
# usage: footer_fit.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"

/usr/bin/python3 - <<'PY' || exit 1
t = ('Annual Governance Statement and Improvement Plan ' * 22000)[:1 << 20]
open('title.txt', 'w').write(t)
open('report.xml', 'w').write(f'''<report xmlns="urn:quorum:report:1"><front-sheet>
  <field role="title" label="Report Title">{t}</field>
  <field role="meeting-date" label="Date of Meeting" date="2025-01-29">29 January 2025</field>
</front-sheet><section><heading>S</heading><p>x</p></section></report>''')
open('meeting.xml', 'w').write(f'''<meeting xmlns="urn:quorum:report:1" xml:lang="en-GB">
  <body>{t}</body><date>2025-01-29</date><time>19:00</time><venue>Chamber</venue>
  <published>2025-01-21</published>
  <clerk name="Democratic Services" title="Officer" email="d@example.gov.uk" phone="01632 960123"/>
  <agenda><item id="a" title="Apologies"/><item id="r" title="Report" report="small.xml"/></agenda>
</meeting>''')
open('small.xml', 'w').write('''<report xmlns="urn:quorum:report:1"><front-sheet>
  <field role="title" label="Report Title">Small</field>
  <field role="meeting-date" label="Date of Meeting" date="2025-01-29">29 January 2025</field>
</front-sheet><section><heading>S</heading><p>x</p></section></report>''')
PY
sed 's|<left>{council}</left>|<left>{title}</left>|' "$repo/styles/northgate.xml" > header.xml

timeout 60 "$bin" build report.xml -o report.pdf 2>build.err ||
    { fail "build with a 1 MB title exited $?"; cat build.err; }
timeout 60 "$bin" dump report.xml -o report.dump 2>dump.err ||
    { fail "dump with a 1 MB title exited $?"; cat dump.err; }
timeout 60 "$bin" dump --style ./header.xml report.xml -o header.dump 2>header.err ||
    { fail "a running header of a 1 MB title exited $?"; cat header.err; }
timeout 60 "$bin" pack meeting.xml -o pack.pdf 2>pack.err ||
    { fail "pack with a 1 MB meeting body exited $?"; cat pack.err; }

if [ -s report.dump ] && [ -s header.dump ]; then
    /usr/bin/python3 - <<'PY' || fail "footer or header text not fitted"
import re, sys
title = open('title.txt').read()
def pages(name):
    out, cur = [], None
    for line in open(name, encoding='utf-8'):
        m = re.match(r'page (\d+) ([\d.]+)x([\d.]+)', line)
        if m:
            cur = {'w': float(m.group(2)), 'h': float(m.group(3)), 'items': []}
            out.append(cur)
            continue
        m = re.match(r'\s+text (\S+) e-?\d+ ([\d.-]+) ([\d.-]+) \S+ ([\d.]+) #\w+ "(.*)"$', line)
        if m and cur is not None:
            cur['items'].append((float(m.group(2)), float(m.group(3)), float(m.group(4)), m.group(5)))
    return out
bad = []
ps = pages('report.dump')
if len(ps) < 100: bad.append(f'{len(ps)} pages')
for i, p in enumerate(ps):
    foot = [it for it in p['items'] if it[1] > p['h'] - 45]
    num = [it for it in foot if it[3].startswith('Page ')]
    txt = [it for it in foot if not it[3].startswith('Page ')]
    if len(num) != 1 or len(txt) != 1:
        bad.append(f'page {i + 1}: footer {foot}')
        break
    t = txt[0][3]
    if not title.startswith(t) or len(t) < 40 or len(t) > 200:
        bad.append(f'page {i + 1}: footer text {t[:60]!r}... ({len(t)} characters)')
        break
for i, p in enumerate(pages('header.dump')):
    head = [it for it in p['items'] if it[1] < 56 and title.startswith(it[3][:30])]
    if not head or len(head[0][3]) > 300:
        bad.append(f'header page {i + 1}: {[(len(h[3])) for h in head]}')
        break
if bad:
    print('FAIL:', '; '.join(bad))
    sys.exit(1)
PY
fi
[ $status -eq 0 ] && echo "ok: 1 MB titles fitted in footers and headers"
exit $status
