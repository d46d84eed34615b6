#!/usr/bin/env python3
"""Checks that the text of appendix-2.xml reaches the PDF, in order.

usage: appendix_text.py APPENDIX.xml TEXT [TEXT...]

Each TEXT is pdftotext output of the same PDF in a different reading mode
(-raw, default, -layout): table cells can come out in different orders, so
the check passes if any one mode holds every expected word in order.

Expected, in document order: the appendix title and section prose, the
summary table (each outcome title, then
per criterion its letter and text followed by its code in every period),
then per outcome its title, its own table (criteria and codes again), the
lead summary, and per criterion its text and assessment.  Words are
compared as an in-order subsequence after normalising case, punctuation
and typographic quotes; rating codes are compared case-sensitively so that
"A" (Amber) is not satisfied by the article "a".
"""
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = '{urn:quorum:report:1}'


def words(s):
    s = unicodedata.normalize('NFKC', s)
    s = s.replace('\u2019', "'").replace('\u2018', "'")
    # letters and digits apart, so "1<sup>st</sup>" matches "1 st" and "1st"
    return re.findall(r'[^\W\d_]+|\d+', s)


def text_of(el):
    return ''.join(el.itertext()) if el is not None else ''


def expected(path):
    root = ET.parse(path).getroot()
    perf = root.find('.//' + NS + 'performance')
    if perf is None:
        sys.exit('no <performance> in ' + path)
    periods = [p.get('id') for p in perf.find(NS + 'periods').findall(NS + 'period')]
    seq = []  # (word, exact, where)

    def add(s, where, exact=False):
        for w in words(s):
            seq.append((w if exact else w.lower(), exact, where))

    def table(outcome, n, where):
        for i, c in enumerate(outcome.findall(NS + 'criterion')):
            letter = c.get('letter') or chr(ord('a') + i)
            w = '%s criterion %s%s' % (where, n, letter)
            add(letter + '. ' + text_of(c.find(NS + 'text')), w)
            rated = {r.get('period'): r.get('value') for r in c.findall(NS + 'rated')}
            for p in periods:
                add(rated.get(p, ''), w + ' rating ' + p, exact=True)

    # Anchor: the appendix's own title and prose come first, so that the
    # criteria are not matched against appendix 1, which lists them too.
    add(text_of(root.find(NS + 'title')), 'appendix title')
    add(text_of(root.find(NS + 'subtitle')), 'appendix subtitle')
    for sec in root.findall(NS + 'section'):
        for k, b in enumerate(sec):
            if b.tag in (NS + 'heading', NS + 'p', NS + 'ul', NS + 'ol'):
                add(text_of(b), 'section %s block %d' % (
                    text_of(sec.find(NS + 'heading')), k + 1))
    outcomes = perf.findall(NS + 'outcome')
    for i, o in enumerate(outcomes):
        n = o.get('number') or str(i + 1)
        add(n + '. ' + text_of(o.find(NS + 'title')), 'summary table: outcome ' + n)
        table(o, n, 'summary table:')
    for i, o in enumerate(outcomes):
        n = o.get('number') or str(i + 1)
        add(n + '. ' + text_of(o.find(NS + 'title')), 'outcome ' + n + ' heading')
        table(o, n, 'outcome %s table:' % n)
        lead = o.find(NS + 'lead-summary')
        if lead is not None and text_of(lead).strip():
            add('Lead Director Summary', 'outcome %s lead summary' % n)
            for k, b in enumerate(lead):
                add(text_of(b), 'outcome %s lead summary block %d' % (n, k + 1))
        for j, c in enumerate(o.findall(NS + 'criterion')):
            letter = c.get('letter') or chr(ord('a') + j)
            w = 'outcome %s criterion %s' % (n, letter)
            add(letter + '. ' + text_of(c.find(NS + 'text')), w + ' heading')
            a = c.find(NS + 'assessment')
            if a is not None and text_of(a).strip():
                add('Assessment of Progress', w + ' assessment')
                for k, b in enumerate(a):
                    add(text_of(b), '%s assessment block %d' % (w, k + 1))
    return seq


def check(seq, text):
    got = words(text)
    low = [g.lower() for g in got]
    at = 0
    for i, (w, exact, where) in enumerate(seq):
        hay = got if exact else low
        try:
            # A code belongs to the row just read: look only a little ahead,
            # so a wrong code is reported where it is, not pages later.
            end = min(len(hay), at + 8) if exact else len(hay)
            at = hay.index(w, at, end) + 1
        except ValueError:
            ctx = ' '.join(x[0] for x in seq[i:i + 12])
            return i, 'missing %r (%s); expected next: %s' % (w, where, ctx)
    return len(seq), None


def main():
    seq = expected(sys.argv[1])
    if len(seq) < 1000:
        sys.exit('expected text suspiciously short: %d words' % len(seq))
    best = None
    for path in sys.argv[2:]:
        with open(path, encoding='utf-8', errors='replace') as f:
            n, err = check(seq, f.read())
        if err is None:
            print('ok: %d words of %s in order (%s)' % (len(seq), sys.argv[1], path))
            return 0
        if best is None or n > best[0]:
            best = (n, path, err)
    print('FAIL: %s: matched %d of %d words; %s' % (best[1], best[0], len(seq), best[2]))
    return 1


if __name__ == '__main__':
    sys.exit(main())
