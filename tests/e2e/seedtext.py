#!/usr/bin/env python3
"""Does the text of a PDF follow a text it was made from?

Used by seed_text.sh.  The expected words come either from the report's XML
source (rendered here as plain text in document order) or from a seed text
extracted from the published paper.  Both are normalised the same way
(Unicode NFKC, lower case, apostrophes and hyphens dropped, any other
punctuation a word break) and must appear in the words of `pdftotext` output
as an in-order subsequence: extra words in the PDF are fine (generated
numbers, footers, cross-reference text), missing or reordered ones are not.

Two things the PDF legitimately reorders or inserts are modelled rather than
tolerated wholesale:
  * table-like content (tables, front-sheet and form fields; tab-separated or
    "Label: value" lines in a seed) is a *group*: each cell must appear in
    order, but the cells may come out of pdftotext in any order (row by row,
    column by column, or line-interleaved), because that depends on
    pdftotext's reading-order guess, not on the document;
  * generated content of unbounded length (outcome lists, performance
    tables, the appendices row) is a *gap*: the next word may be found
    anywhere further on, once it is confirmed by the words after it.
Everywhere else each word must follow the previous one within WINDOW words,
so a missing word is reported where it is missing instead of being matched
pages later.

Commands:
  seedtext.py render REPORT.xml        print the expected text of a source
  seedtext.py check-source REPORT.xml PDF.txt
  seedtext.py check-seed SEED.txt PDF.txt
  seedtext.py check-seed-appendix SEED.txt PDF-layout.txt DEVIATIONS.txt
                                       the appendix seed against
                                       `pdftotext -layout` text, rating
                                       cells row by row (see below)
  seedtext.py selftest REPORT.xml [SEED.txt]
                                       the checker on synthetic pdf texts
Exit status 0 when every word is found, 1 otherwise (first missing word and
its context on stderr), 2 on usage or input errors.
"""
import html
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

WINDOW = 80           # pdf words allowed between two consecutive words
CELL_WINDOW = 40      # ... inside a table cell (other cells' lines between)
ANCHOR_CONFIRM = 4    # words that must follow an anchor found after a gap
ANCHOR_WINDOW = 25    # ... each within this many pdf words
MAX_JOIN = 4          # a word split into at most this many pieces

JOINERS = set("'\u2019\u2018\u02bc-\u2010\u2011\u00ad")


def normalise(text):
    """Words of text: NFKC, lower case, joiners dropped, other
    non-alphanumerics are word breaks."""
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for ch in text:
        if ch in JOINERS:
            continue
        out.append(ch if ch.isalnum() else " ")
    return "".join(out).split()


# ---------------------------------------------------------------- matching
# An expected text is a list of items: ("words", [w...]), ("gap",),
# ("group", [[w...], [w...], ...]).

def _match_word(exp, i, pdf, j):
    """If expected word exp[i] matches at pdf[j], returns (di, dj): how many
    expected and pdf words the match consumes (a word broken at a hyphen or
    run together by either side still matches); else None."""
    if j >= len(pdf):
        return None
    w, p = exp[i], pdf[j]
    if w == p:
        return (1, 1)
    if p.startswith(w):               # expected pieces run together in pdf
        acc, k = w, i + 1
        while k < len(exp) and k - i < MAX_JOIN and len(acc) < len(p):
            acc += exp[k]
            k += 1
            if acc == p:
                return (k - i, 1)
    if w.startswith(p):               # expected word split in pdf
        acc, k = p, j + 1
        while k < len(pdf) and k - j < MAX_JOIN and len(acc) < len(w):
            acc += pdf[k]
            k += 1
            if acc == w:
                return (1, k - j)
    return None


def _find(exp, i, pdf, start, limit):
    """First j in [start, limit) where exp[i] matches."""
    for j in range(start, min(limit, len(pdf))):
        m = _match_word(exp, i, pdf, j)
        if m:
            return j, m
    return None, None


def _confirmed(exp, i, pdf, j):
    """Do the words after exp[i] follow an anchor at pdf[j] closely?"""
    m = _match_word(exp, i, pdf, j)
    i, j = i + m[0], j + m[1]
    n = 0
    while i < len(exp) and n < ANCHOR_CONFIRM:
        k, m = _find(exp, i, pdf, j, j + ANCHOR_WINDOW)
        if k is None:
            return False
        i, j, n = i + m[0], k + m[1], n + 1
    return True


class Missing(Exception):
    def __init__(self, exp, i, pdf, j, where):
        self.exp, self.i, self.pdf, self.j, self.where = exp, i, pdf, j, where
        super().__init__(exp[i])

    def describe(self):
        before = " ".join(self.exp[max(0, self.i - 10):self.i])
        after = " ".join(self.exp[self.i + 1:self.i + 8])
        seen = " ".join(self.pdf[max(0, self.j - 8):self.j])
        ahead = " ".join(self.pdf[self.j:self.j + 15])
        return ("missing word %r (%s)\n"
                "  expected: ... %s [%s] %s ...\n"
                "  pdf text after the last match (pdf word %d of %d):\n"
                "            ... %s | %s ..."
                % (self.exp[self.i], self.where, before, self.exp[self.i],
                   after, self.j, len(self.pdf), seen, ahead))


def match_run(exp, pdf, start, anchored, window, where):
    """Matches the words exp in order from pdf[start]; returns the pdf index
    after the last match.  anchored: the first word may be anywhere further
    on (after a gap), confirmed by the words after it."""
    i, j = 0, start
    if anchored and exp:
        first = None
        for k in range(j, len(pdf)):
            if _match_word(exp, 0, pdf, k):
                if first is None:
                    first = k
                if _confirmed(exp, 0, pdf, k):
                    first = k
                    break
        if first is None:
            raise Missing(exp, 0, pdf, j, where)
        m = _match_word(exp, 0, pdf, first)
        i, j = m[0], first + m[1]
    while i < len(exp):
        k, m = _find(exp, i, pdf, j, j + window)
        if k is None:
            raise Missing(exp, i, pdf, j, where)
        i, j = i + m[0], k + m[1]
    return j


def match_cell(cell, pdf, start, limit, where):
    """Cells may come in any order, but each lies whole in the stretch of
    pdf text its group occupies: tries every place in [start, limit) where
    the cell's first word occurs.  On failure reports the attempt that got
    furthest into the cell."""
    best = None
    for k in range(start, min(limit, len(pdf))):
        if not _match_word(cell, 0, pdf, k):
            continue
        try:
            return match_run(cell, pdf, k, False, CELL_WINDOW, where)
        except Missing as m:
            if best is None or m.i > best.i:
                best = m
    raise best or Missing(cell, 0, pdf, start, where)


def match(items, pdf):
    """Raises Missing at the first expected word not found in order."""
    pos, anchored = 0, True         # the start of the PDF may have a header
    for n, item in enumerate(items):
        kind = item[0]
        if kind == "gap":
            anchored = True
        elif kind == "words":
            if item[1]:
                pos = match_run(item[1], pdf, pos, anchored, WINDOW,
                                "text block %d" % n)
                anchored = False
        elif kind == "group":
            cells = [c for c in item[1] if c]
            size = sum(len(c) for c in cells)
            limit = len(pdf) if anchored else pos + 2 * size + WINDOW
            end = pos
            for c, cell in enumerate(cells):
                where = "table cell %d of group %d" % (c + 1, n)
                end = max(end, match_cell(cell, pdf, pos, limit, where))
            pos, anchored = end, False
    return pos


def expected_words(items):
    out = []
    for item in items:
        if item[0] == "words":
            out += item[1]
        elif item[0] == "group":
            for c in item[1]:
                out += c
    return out


# ------------------------------------------------------------ XML source
NS = "urn:quorum:report:1"
INLINE = {"b", "i", "sup", "sub", "a", "ref", "br"}
# Placeholders replaced by generated content of any length, and data that
# is printed only through generated content (in an order of its own).
GENERATED = {"summary-table", "outcome-details", "rating-definitions",
             "movement", "outcome-list", "performance"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def long_date(iso):
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return iso or ""
    return "%d %s %s" % (int(m.group(3)), MONTHS[int(m.group(2)) - 1],
                         m.group(1))


class Renderer:
    """Plain text of a report source in document order, as items."""

    def __init__(self, path):
        self.dir = os.path.dirname(os.path.abspath(path))
        self.items = []
        self.buf = []
        root = ET.parse(path).getroot()
        self.block(root)
        self.flush()

    def flush(self):
        words = normalise("".join(self.buf))
        self.buf = []
        if words:
            self.items.append(("words", words))

    def gap(self):
        self.flush()
        if not self.items or self.items[-1][0] != "gap":
            self.items.append(("gap",))

    def group(self, cells):
        self.flush()
        self.items.append(("group", [normalise(c) for c in cells]))

    def text_of(self, e):
        """All printed text of e as one string (for a table cell)."""
        saved, self.buf = self.buf, []
        saved_items, self.items = self.items, []
        self.block(e, top=False)
        text = "".join(self.buf)
        for item in self.items:       # nested blocks inside the cell
            if item[0] == "words":
                text += " " + " ".join(item[1])
            elif item[0] == "group":
                text += " " + " ".join(" ".join(c) for c in item[1])
        self.buf, self.items = saved, saved_items
        return text

    def inline(self, e):
        name = local(e.tag)
        if name in ("br", "ref"):
            # A ref prints generated text ("Appendix 2"): a word break here,
            # the words themselves are not known from the source.
            self.buf.append(" ")
        if e.text and name not in ("br", "ref"):
            self.buf.append(e.text)
        for c in e:
            self.node(c)
            if c.tail:
                self.buf.append(c.tail)

    def node(self, e):
        name = local(e.tag)
        if not name:                  # comment or processing instruction
            return
        if name in INLINE:
            self.inline(e)
        else:
            self.block(e)

    def fields(self, fields):
        cells = []
        for f in fields:
            cells.append(f.get("label", ""))
            cells.append(self.text_of(f))
        self.group(cells)

    def block(self, e, top=True):
        name = local(e.tag)
        self.buf.append(" ")
        if name in GENERATED:
            self.gap()
            return
        if name == "appendix" and e.get("href") is not None:
            path = os.path.join(self.dir, e.get("href"))
            self.flush()
            self.gap()                # "Appendix N" bar, new page
            self.block(ET.parse(path).getroot())
            return
        if name == "table":
            rows = [r for r in e if local(r.tag) == "row"]
            self.group([self.text_of(c) for r in rows for c in r
                        if local(c.tag) == "cell"])
            return
        if name == "sign-off":
            self.buf.append(" Implications Verified by %s %s Date %s "
                            % (e.get("name", ""), e.get("title", ""),
                               long_date(e.get("date"))))
            return
        if name in ("front-sheet", "form"):
            pending = []
            if e.text:
                self.buf.append(e.text)
            for c in e:
                if local(c.tag) == "field":
                    pending.append(c)
                    if c.get("role") == "appendices" and not len(c) \
                            and not (c.text or "").strip():
                        pending.pop()
                        self.fields(pending + [c])
                        pending = []
                        self.gap()   # the generated list of appendices
                    continue
                if pending:
                    self.fields(pending)
                    pending = []
                self.node(c)
            if pending:
                self.fields(pending)
            self.buf.append(" ")
            return
        if e.text:
            self.buf.append(e.text)
        for c in e:
            self.node(c)
            if c.tail:
                self.buf.append(c.tail)
        self.buf.append(" ")


def render_source(path):
    return Renderer(path).items


# ---------------------------------------------------------------- seed text
SEED_ARTEFACTS = [
    (re.compile(r"<https?://[^>\s]*>"), " "),
    (re.compile(r"</?(?:b|p|sup)>"), ""),
    (re.compile(r"\*\*"), ""),
    (re.compile(r"^\s*#+\s*", re.M), ""),
    (re.compile(r"^\s*- ", re.M), ""),
]
LABEL_LINE = re.compile(r"^([^:\t]{1,40}): (\S.*)$")


def render_seed(text):
    """Items of a seed text: its extraction artefacts stripped, table rows
    (tab-separated) and 'Label: value' lines as groups."""
    for pattern, repl in SEED_ARTEFACTS:
        text = pattern.sub(repl, text)
    items, cells, in_group = [], [], False

    def close():
        nonlocal cells, in_group
        if in_group:
            items.append(("group", [normalise(c) for c in cells]))
        cells, in_group = [], False

    for line in text.split("\n"):
        if not line.strip():
            continue                  # blank lines keep a group open
        m = LABEL_LINE.match(line)
        if "\t" in line:
            in_group = True
            cells += line.split("\t")
        elif m:
            in_group = True
            cells += [m.group(1), m.group(2)]
        else:
            close()
            words = normalise(line)
            if words and items and items[-1][0] == "words":
                items[-1][1].extend(words)    # one run: context spans lines
            elif words:
                items.append(("words", words))
    close()
    return items


# ------------------------------------------------------- seed appendix
# The appendix seed is mostly tables of criteria with three RAG cells each.
# A rating is a single letter, so matching it as a free word proves nothing
# ("a" is everywhere).  `pdftotext -layout` keeps each table row on its
# lines, its rating cells standing alone right of the first line of the
# criterion, in column order; such letters become tokens of their own and a
# row's ratings must be exactly the rating tokens inside the span of its
# criterion text (plus those right after it, for a one-line criterion).
RATING_CELL = re.compile(r"(?:^|(?<=\s\s))([RAG])(?=\s\s|\s*$)", re.M)
HEADER_CELL = re.compile(r"^\s*RAG\s*[\u2013-]")
RATING_NOTE = re.compile(r"\[([RAG])\]")
GAP_NOTE = "[generated]"         # in a deviation: generated text, any length
GAP = "quorumgeneratedgap"


def rating_token(letter):
    return "ragcell" + letter.lower()


def is_rating(word):
    return word.startswith("ragcell")


def layout_words(text):
    """Words of `pdftotext -layout` text, rating cells as rating tokens."""
    return normalise(RATING_CELL.sub(
        lambda m: " %s " % rating_token(m.group(1)), text))


def render_seed_appendix(text):
    """Items of the appendix seed: ("words", [w...]) for prose and
    ("row", words, ratings, headers) for each tab-separated table line.
    The seed repeats the column headings on every outcome row of its
    summary table; the PDF prints them once a page, so within one table
    only the first set of headings is kept."""
    text = html.unescape(text)        # "O&amp;S" in places: extraction
    for pattern, repl in SEED_ARTEFACTS:
        text = pattern.sub(repl, text)
    items, in_table, have_header = [], False, False
    for line in text.split("\n"):
        if not line.strip():
            continue
        if "\t" in line:
            if not in_table:
                in_table, have_header = True, False
            cells = [c.strip() for c in line.split("\t")]
            ratings, headers = [], []
            for c in cells[1:]:
                if re.fullmatch(r"[RAG]", c):
                    ratings.append(rating_token(c))
                elif HEADER_CELL.match(c):
                    headers.append(normalise(c))
                elif c:
                    raise ValueError("seed table cell is neither a rating "
                                     "nor a heading: %r" % c)
            if have_header:
                headers = []
            have_header = have_header or bool(headers)
            items.append(("row", normalise(cells[0]), ratings, headers))
            continue
        in_table = False
        words = normalise(line)
        if words and items and items[-1][0] == "words":
            items[-1][1].extend(words)
        elif words:
            items.append(("words", words))
    return items


def read_deviations(path):
    """Lines `seed words => pdf words` (pdf side may be empty); `#` starts
    a comment line.  [A] stands for a rating cell, [generated] on the pdf
    side for text quorum generates (any length, not in the seed)."""
    devs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "=>" not in line:
                raise ValueError("%s:%d: no '=>' in deviation" % (path, n))
            seed, pdf = line.split("=>", 1)
            side = [normalise(RATING_NOTE.sub(
                lambda m: " %s " % rating_token(m.group(1)),
                s.replace(GAP_NOTE, " %s " % GAP)))
                for s in (seed, pdf)]
            if not side[0]:
                raise ValueError("%s:%d: empty seed side" % (path, n))
            devs.append(("%s:%d" % (path, n), side[0], side[1]))
    return devs


def _replace(seq, old, new):
    out, i, n = [], 0, 0
    while i < len(seq):
        if seq[i:i + len(old)] == old:
            out += new
            i += len(old)
            n += 1
        else:
            out.append(seq[i])
            i += 1
    return out, n


def apply_deviations(items, devs):
    """Rewrites the seed's items in place; returns the deviations that matched
    nowhere (stale entries hide nothing and must go)."""
    used = {d[0]: 0 for d in devs}
    out = []
    for item in items:
        flat = item[1] + (item[2] if item[0] == "row" else [])
        for where, old, new in devs:
            flat, n = _replace(flat, old, new)
            used[where] += n
        if item[0] == "words":
            out.append(("words", flat))
        else:
            k = len(flat)
            while k and is_rating(flat[k - 1]):
                k -= 1
            out.append(("row", flat[:k], flat[k:], item[3]))
    items[:] = out
    return [d for d in devs if not used[d[0]]]


def _run_anywhere(exp, pdf, start, where):
    """match_run of exp whose first word may be anywhere from start:
    tries each place in turn (an early mention of the title must not
    capture the whole check).  Returns (first, end)."""
    best = None
    for k in range(start, len(pdf)):
        if not _match_word(exp, 0, pdf, k):
            continue
        try:
            return k, match_run(exp, pdf, k, False, WINDOW, where)
        except Missing as m:
            if best is None or m.i > best.i:
                best = m
    raise best or Missing(exp, 0, pdf, start, where)


def match_appendix(items, pdf):
    pos, anchored = 0, True          # the appendix starts anywhere
    for n, item in enumerate(items):
        where = "text block %d" % n
        if item[0] == "words":
            runs = [[]]
            for w in item[1]:
                if w == GAP:
                    runs.append([])
                else:
                    runs[-1].append(w)
            for r, run in enumerate(runs):
                anchored = anchored or r > 0
                if run and anchored:
                    pos = _run_anywhere(run, pdf, pos, where)[1]
                elif run:
                    pos = match_run(run, pdf, pos, False, WINDOW, where)
                anchored = anchored and not run
            continue
        _, words, ratings, headers = item
        where = "table row %d" % n
        start = end = pos
        if words[:1] == [GAP]:
            words, anchored = words[1:], True
        if words and anchored:
            start, end = _run_anywhere(words, pdf, start, where)
        elif words:
            k, _ = _find(words, 0, pdf, start, start + WINDOW)
            if k is None:
                raise Missing(words, 0, pdf, start, where)
            start, end = k, match_run(words, pdf, k, False, WINDOW, where)
        if words:
            anchored = False
            found = [w for w in pdf[start:end] if is_rating(w)]
            while end < len(pdf) and is_rating(pdf[end]):
                found.append(pdf[end])
                end += 1
            if found != ratings:
                exp = words + ratings
                i = len(words) + next((x for x in range(len(ratings))
                                       if x >= len(found)
                                       or found[x] != ratings[x]),
                                      len(ratings))
                raise Missing(exp, min(i, len(exp) - 1), pdf, end,
                              "%s: ratings %s in the seed, %s in the pdf"
                              % (where, " ".join(r[7:].upper()
                                                 for r in ratings),
                                 " ".join(r[7:].upper() for r in found)
                                 or "none"))
        for h in headers:
            end = max(end, match_cell(h, pdf, start, end + CELL_WINDOW,
                                      where + " heading"))
        pos = end
    return pos


def check_appendix(seed_path, layout_path, dev_path):
    with open(seed_path, encoding="utf-8") as f:
        items = render_seed_appendix(f.read())
    devs = read_deviations(dev_path)
    stale = apply_deviations(items, devs)
    for where, old, _ in stale:
        print("FAIL: %s: deviation not found in the seed: %s"
              % (where, " ".join(old)), file=sys.stderr)
    with open(layout_path, encoding="utf-8") as f:
        pdf = layout_words(f.read())
    rows = [i for i in items if i[0] == "row"]
    nwords = sum(len(i[1]) for i in items)
    nratings = sum(len(i[2]) for i in rows)
    try:
        match_appendix(items, pdf)
    except Missing as m:
        print("FAIL: %s: %s" % (seed_path, re.sub(
            r"ragcell([rag])", lambda t: "<%s>" % t.group(1).upper(),
            m.describe())), file=sys.stderr)
        return 1
    if stale:
        return 1
    print("ok: %d words and %d ratings in %d table rows of %s found in order "
          "in %s (%d deviations applied)"
          % (nwords, nratings, len(rows), seed_path, layout_path, len(devs)))
    return 0


# --------------------------------------------------------------- self-test
def synthesise(items, table_mode, split_every=37, footer_every=300):
    """A pdftotext-like word list for items: numbers before blocks, a
    footer every so often, some words broken in two at a line end, table
    cells in row order, column order or interleaved line by line."""
    out, count = [], 0

    def emit(words):
        nonlocal count
        for w in words:
            count += 1
            if count % footer_every == 0:
                out.extend(["progress", "on", "thurrock", "page",
                            str(count // footer_every), "of", "9"])
            if count % split_every == 0 and len(w) > 5:
                out.extend([w[:3], w[3:]])
            else:
                out.append(w)

    for n, item in enumerate(items):
        if item[0] == "gap":
            emit(["generated", "appendix", "content", "1", "2"])
        elif item[0] == "words":
            emit([str(n), "1"] + item[1])
        else:
            cells = [c for c in item[1] if c]
            if table_mode == "rows":
                for c in cells:
                    emit(c)
            elif table_mode == "columns":
                ncol = 4 if len(cells) % 4 == 0 else 2
                for col in range(ncol):
                    for c in cells[col::ncol]:
                        emit(c)
            else:                     # one line of each cell in turn
                ncol = 4 if len(cells) % 4 == 0 else 2
                for r in range(0, len(cells), ncol):
                    row = cells[r:r + ncol]
                    for line in range(0, max(len(c) for c in row), 3):
                        for c in row:
                            emit(c[line:line + 3])
    return out


def selftest(items, what):
    """The checker accepts faithful renderings and rejects a missing word
    or two blocks swapped; returns the number of failures."""
    failures = 0
    words = expected_words(items)
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    for mode in ("rows", "columns", "interleaved"):
        pdf = synthesise(items, mode)
        try:
            match(items, pdf)
        except Missing as m:
            print("selftest FAIL: %s, tables by %s: faithful text rejected: "
                  "%s" % (what, mode, m.describe()))
            failures += 1
            continue
        unique = [w for w in sorted(counts) if counts[w] == 1
                  and pdf.count(w) == 1 and not w.isdigit()]
        for w in unique[::max(1, len(unique) // 40)]:
            cut = [x for x in pdf if x != w]
            try:
                match(items, cut)
                print("selftest FAIL: %s, tables by %s: %r deleted, not "
                      "noticed" % (what, mode, w))
                failures += 1
            except Missing:
                pass
    # Two neighbouring stretches of a text swapped must be noticed.
    k = max(range(len(items)), key=lambda k: len(items[k][1])
            if items[k][0] == "words" else 0)
    run = items[k][1]
    swapped = run[:20] + run[40:60] + run[20:40] + run[60:]
    try:
        match(items, synthesise(items[:k] + [("words", swapped)]
                                + items[k + 1:], "rows"))
        print("selftest FAIL: %s: words 20-39 and 40-59 of run %d "
              "swapped, not noticed" % (what, k))
        failures += 1
    except Missing:
        pass
    print("selftest %s: %s (%d words)"
          % ("ok" if not failures else "FAILED", what, len(words)))
    return failures


# ------------------------------------------------------------------ main
def check(items, pdf_path, what):
    with open(pdf_path, encoding="utf-8") as f:
        pdf = normalise(f.read())
    n = len(expected_words(items))
    if n == 0:
        print("seedtext: %s has no words" % what, file=sys.stderr)
        return 1
    try:
        match(items, pdf)
    except Missing as m:
        print("FAIL: %s: %s" % (what, m.describe()), file=sys.stderr)
        return 1
    print("ok: all %d words of %s found in order among the %d words of %s"
          % (n, what, len(pdf), pdf_path))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "render":
        for item in render_source(argv[2]):
            if item[0] == "gap":
                print("[…generated…]")
            elif item[0] == "words":
                print(" ".join(item[1]))
            else:
                print(" | ".join(" ".join(c) for c in item[1]))
        return 0
    if len(argv) == 4 and argv[1] == "check-source":
        return check(render_source(argv[2]), argv[3], argv[2])
    if len(argv) == 4 and argv[1] == "check-seed":
        with open(argv[2], encoding="utf-8") as f:
            items = render_seed(f.read())
        return check(items, argv[3], argv[2])
    if len(argv) == 5 and argv[1] == "check-seed-appendix":
        return check_appendix(argv[2], argv[3], argv[4])
    if len(argv) in (3, 4) and argv[1] == "selftest":
        failures = selftest(render_source(argv[2]), argv[2])
        if len(argv) == 4:
            with open(argv[3], encoding="utf-8") as f:
                failures += selftest(render_seed(f.read()), argv[3])
        return 1 if failures else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, ET.ParseError, ValueError) as e:
        print("seedtext: %s" % e, file=sys.stderr)
        sys.exit(2)
