#!/usr/bin/env python3
"""Structural checks of a page quorum wrote (issue 17), with the standard
library's HTML parser.

usage: html_check.py page FILE.html [--outline DUMP.txt] [--numbers REPORT.xml]

Fails (exit 1, a line per problem) when the page has
  * no lang on <html>, not exactly one <h1>, a heading that skips a level
    (h2 then h4), or any <script>;
  * an id twice, or a link to "#id" that no element has;
  * an <img> without alt, a <table> without <caption>, a <th> without
    scope, a cell with a background colour and no text (colour alone);
  * --outline: headings that do not follow the PDF's outline (the
    `outline LEVEL ...` lines of `quorum dump`): the first-level entries
    are the <h2>s, in order, and every entry is a heading, in order;
  * --numbers: a numbered paragraph or section of the source whose number
    is not in the text of an element with an id ("paragraph 3.8" links).
"""
import html.parser
import re
import sys
import xml.etree.ElementTree as ET


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.hrefs, self.headings = [], [], [], []
        self.problems, self.lang, self.scripts = [], None, 0
        self.captions = self.tables = 0
        self.cells = []      # [styled, text]
        self.heading = None  # [level, text] being read
        self.id_texts = {}   # id -> text of its element
        self.open_ids = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'html':
            self.lang = a.get('lang')
        if tag == 'script':
            self.scripts += 1
        if 'id' in a:
            self.ids.append(a['id'])
        if tag == 'a' and a.get('href', '').startswith('#'):
            self.hrefs.append(a['href'][1:])
        if tag == 'img' and 'alt' not in a:
            self.problems.append('an <img> without alt')
        if tag == 'table':
            self.tables += 1
        if tag == 'caption':
            self.captions += 1
        if tag == 'th' and a.get('scope') not in ('row', 'col', 'rowgroup', 'colgroup'):
            self.problems.append('a <th> without scope')
        if tag in ('td', 'th'):
            self.cells.append(['background' in a.get('style', ''), ''])
        if re.fullmatch(r'h[1-6]', tag):
            self.heading = [int(tag[1]), '']
        if tag in ('br', 'img', 'meta', 'link', 'input', 'hr', 'col', 'rect', 'path'):
            return
        self.stack.append(tag)
        self.open_ids.append([a.get('id'), ''])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ('br', 'img', 'meta', 'link', 'input', 'hr', 'col', 'rect', 'path'):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if re.fullmatch(r'h[1-6]', tag) and self.heading:
            self.headings.append((self.heading[0], ' '.join(self.heading[1].split())))
            self.heading = None
        if tag in ('td', 'th') and self.cells and self.cells[-1][0] and not self.cells[-1][1].strip():
            self.problems.append('a coloured cell without text (colour alone)')
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
            i, text = self.open_ids.pop()
            if i is not None:
                self.id_texts[i] = ' '.join(text.split())

    def handle_data(self, data):
        if self.heading:
            self.heading[1] += data
        if self.cells:
            self.cells[-1][1] += data
        for o in self.open_ids:
            o[1] += data


def check_page(path, outline=None, numbers=None):
    p = Page()
    with open(path, encoding='utf-8') as f:
        p.feed(f.read())
    probs = list(dict.fromkeys(p.problems))
    if not p.lang:
        probs.append('no lang on <html>')
    if p.scripts:
        probs.append(f'{p.scripts} <script> element(s)')
    h1 = [h for h in p.headings if h[0] == 1]
    if len(h1) != 1:
        probs.append(f'{len(h1)} <h1> elements, not one')
    last = 0
    for lvl, text in p.headings:
        if lvl > last + 1:
            probs.append(f'heading level skipped: h{last} then h{lvl} "{text}"')
        last = lvl
    seen = set()
    for i in p.ids:
        if i in seen:
            probs.append(f'id "{i}" twice')
        seen.add(i)
    for h in p.hrefs:
        if h not in seen:
            probs.append(f'link to "#{h}", which no element has')
    if p.captions < p.tables:
        probs.append(f'{p.tables - p.captions} table(s) without caption')
    if outline:
        entries = []
        with open(outline, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'outline (\d+) page \d+ y [\d.]+ "(.*)"$', line.rstrip('\n'))
                if m:
                    entries.append((int(m.group(1)), m.group(2).replace('\\"', '"')))
        if not entries:
            probs.append(f'no outline lines in {outline}')
        h2 = [t for lvl, t in p.headings if lvl == 2]
        first = [t for lvl, t in entries if lvl == 1]
        if h2 != first:
            probs.append(f'the h2 headings {h2[:50]} are not the outline\'s first level {first[:50]}')
        k = 0
        texts = [t for lvl, t in p.headings if lvl >= 2]
        for lvl, t in entries:
            while k < len(texts) and texts[k] != t:
                k += 1
            if k == len(texts):
                probs.append(f'outline entry "{t}" (level {lvl}) is no heading, in order')
                break
            k += 1
    if numbers:
        ns = '{urn:quorum:report:1}'
        tree = ET.parse(numbers)
        root = tree.getroot()
        texts = set(p.id_texts.values())
        want = [e.get('id') for e in root.iter() if e.get('id') and e.tag in (ns + 'p', ns + 'section')]
        for i in want:
            if i not in p.id_texts:
                probs.append(f'the source\'s id "{i}" is no id on the page')
        if not texts:
            probs.append('no element with an id has text')
        for i, t in p.id_texts.items():
            if i.startswith('para-') and not t.startswith(i[5:] + ' '):
                probs.append(f'paragraph "{i}" does not start with its number: "{t[:40]}"')
        if not any(i.startswith('para-') for i in p.id_texts):
            probs.append('no numbered paragraph has an id')
    for pr in probs:
        print(f'FAIL {path}: {pr}')
    return not probs


def main(argv):
    if len(argv) < 3 or argv[1] != 'page':
        print(__doc__)
        return 2
    args = argv[2:]
    outline = numbers = None
    if '--outline' in args:
        i = args.index('--outline')
        outline = args[i + 1]
        del args[i:i + 2]
    if '--numbers' in args:
        i = args.index('--numbers')
        numbers = args[i + 1]
        del args[i:i + 2]
    ok = all([check_page(f, outline, numbers) for f in args])
    print('ok' if ok else 'FAIL')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
