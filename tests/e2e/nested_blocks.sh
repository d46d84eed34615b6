#!/usr/bin/env bash
# Every block the schema allows in every container that holds blocks is
# laid out: a table in a table cell (it once vanished, exit 0), a chart or
# image in a form's answer (once read as text and lost), the generated
# tables of a performance appendix in a cell, and the blocks of lead
# summaries and assessments wherever outcome details stand.  Each block
# carries a marker that must be in the dump (images: one image item each),
# and a nested table's text must be in the PDF.
# usage: nested_blocks.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u
bin=$1 repo=$2 work=$3
. "$(dirname "$0")/lib.sh"
fresh_workdir "$work"
cp "$repo/styles/riverside-logo.png" x.png

/usr/bin/python3 - <<'PY' || exit 1
blocks = {
    'p': lambda m: f'<p>{m}</p>',
    'subheading': lambda m: f'<subheading>{m}</subheading>',
    'ul': lambda m: f'<ul><li>{m}</li></ul>',
    'ol': lambda m: f'<ol><li>{m}</li></ol>',
    'quote': lambda m: f'<quote><p>{m}</p></quote>',
    'table': lambda m: f'<table><row><cell>{m}</cell></row></table>',
    'recommendations': lambda m: f'<recommendations><recommendation>{m}</recommendation></recommendations>',
    'bar-chart': lambda m: f'<bar-chart caption="{m}"><bar label="B"><segment value="1"/></bar></bar-chart>',
}
containers = {
    'section': lambda b: f'<section>{b}</section>',
    'implication': lambda b: f'<implication type="other"><heading>H</heading>{b}</implication>',
    'form': lambda b: f'<form><heading>F</heading>{b}</form>',
    'answer': lambda b: f'<form><heading>F</heading><qa><question>Q</question><answer>{b}</answer></qa></form>',
    'li': lambda b: f'<section><ul><li>item {b}</li></ul></section>',
    'quote': lambda b: f'<section><quote>{b}</quote></section>',
    'cell': lambda b: f'<section><table><row><cell>{b}</cell></row></table></section>',
    'nested cell': lambda b: f'<section><table><row><cell><table><row><cell>{b}</cell></row></table></cell></row></table></section>',
}
app_containers = {
    'appendix': lambda b: b,
    'section': lambda b: f'<section><heading>S</heading>{b}</section>',
    'cell': lambda b: f'<table><row><cell>{b}</cell></row></table>',
    'li': lambda b: f'<ul><li>x {b}</li></ul>',
    'quote': lambda b: f'<quote>{b}</quote>',
    'answer': lambda b: f'<form><qa><question>Q</question><answer>{b}</answer></qa></form>',
}
# what each placeholder prints of performance n (nothing else prints it)
placeholders = {'summary-table': 'OUT', 'outcome-details': 'CRIT',
                'rating-definitions': 'DEF', 'movement': 'CRIT', 'outcome-list': 'OUT'}

def perf(n, lead='', assess=''):
    return f'''<performance id="p{n}">
  <periods><period id="a{n}" label="Q1"/><period id="b{n}" label="Q2"/></periods>
  <scale><rating code="R" text="Red" fill="#C00000" color="#FFFFFF" rank="1">DEF{n}X</rating>
         <rating code="G" text="Green" fill="#00B050" rank="2">Green.</rating></scale>
  <outcome number="1" id="o{n}"><title>OUT{n}X</title>
    <lead-summary>{lead}</lead-summary>
    <criterion letter="a" id="o{n}a"><text>CRIT{n}X</text>
      <rated period="a{n}" value="R"/><rated period="b{n}" value="G"/>
      <assessment>{assess}</assessment></criterion>
  </outcome>
</performance>'''

want = {}
body = []
for cn, c in containers.items():
    for bn, b in blocks.items():
        m = f'MK{len(want):03d}X'
        want[m] = f'{bn} in {cn}'
        body.append(c(b(m)))
    body.append(c('<image src="x.png" alt="picture"/>'))
app = []
n = 0
for cn, c in app_containers.items():
    for ph, what in placeholders.items():
        app.append(c(f'<{ph} of="p{n}"/>') + perf(n))
        want[f'{what}{n}X'] = f'{ph} in appendix {cn}'
        n += 1
    for bn, b in blocks.items():
        for holder in ('lead', 'assess'):
            m = f'MK{len(want):03d}X'
            want[m] = f'{bn} in a {holder} in outcome details in appendix {cn}'
            app.append(c(f'<outcome-details of="p{n}"/>') +
                       perf(n, **{holder: b(m)}))
            n += 1
open('report.xml', 'w').write(f'''<report xmlns="urn:quorum:report:1">
<front-sheet>
  <field role="title" label="Report Title">Blocks in containers</field>
  <field role="meeting-date" label="Date of Meeting" date="2025-01-29">29 January 2025</field>
</front-sheet>
{''.join(body)}
<appendices><appendix href="appendix.xml"/></appendices>
</report>''')
open('appendix.xml', 'w').write('<appendix xmlns="urn:quorum:report:1"><title>T</title>'
                                 + ''.join(app) + '</appendix>')
open('want.txt', 'w').write(''.join(f'{m}\t{w}\n' for m, w in want.items()))
open('images.txt', 'w').write(str(len(containers)))
PY

"$bin" check report.xml 2>check.err || { fail "check refused the combinations"; cat check.err; }
"$bin" dump report.xml -o dump.txt 2>dump.err || { fail "dump failed"; cat dump.err; }
"$bin" build report.xml -o report.pdf 2>build.err || { fail "build failed"; cat build.err; }
while IFS=$'\t' read -r mark what; do
    grep -q "$mark" dump.txt || fail "$what: not laid out ($mark missing from the dump)"
done < want.txt
images=$(grep -c '^ *image ' dump.txt)
[ "$images" -eq "$(cat images.txt)" ] || fail "images: $images drawn, want $(cat images.txt)"
# the nested tables' text through to the PDF
pdftotext report.pdf report.txt
for mark in $(grep -E 'table in (nested )?cell' want.txt | cut -f1); do
    grep -q "$mark" report.txt || fail "$mark: a nested table's text is not in the PDF"
done
[ $status -eq 0 ] && echo "ok: $(wc -l < want.txt) blocks in containers laid out"
exit $status
