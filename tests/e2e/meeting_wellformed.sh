#!/usr/bin/env bash
# The sample meeting file and the bank holiday list, checked without quorum
# (docs/meeting.md): the meeting file is well-formed, in the report
# namespace, its elements in order, every open item's report= file exists
# beside it and is for the same meeting date, and the sample is published
# five clear working days ahead; the holiday list parses, holds only real
# weekdays, sorted, without duplicates.  Then the same checks must reject
# broken copies of both files, so a checker that passes everything fails.
#
#   bash meeting_wellformed.sh QUORUM_BINARY REPO_ROOT WORK_DIR
set -u

repo=${2:?repository root}
work=${3:?work directory}
mkdir -p "$work" || exit 1

meeting=$repo/input/council-2025-01-29/meeting.xml
holidays=$repo/data/bank-holidays-england-wales.txt

check() {   # check MEETING_XML HOLIDAY_FILE: exit 0 when both are fine
/usr/bin/python3 - "$1" "$2" <<'EOF'
import datetime as dt
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "urn:quorum:report:1"
Q = "{%s}" % NS
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
meeting_path, holiday_path = sys.argv[1], sys.argv[2]
errors = []

def err(msg):
    errors.append(msg)

def iso_date(text, what):
    text = (text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        err("%s: %r is not YYYY-MM-DD" % (what, text))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        err("%s: %r is not a real date" % (what, text))
        return None

# --- bank holidays -------------------------------------------------------
holidays = []
try:
    with open(holiday_path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            d = iso_date(text, "%s:%d" % (os.path.basename(holiday_path), n))
            if d is None:
                continue
            if d.weekday() >= 5:
                err("%s:%d: %s is a %s; bank holidays are weekdays"
                    % (os.path.basename(holiday_path), n, d, d.strftime("%A")))
            if holidays and d == holidays[-1]:
                err("%s:%d: %s repeated" % (os.path.basename(holiday_path), n, d))
            elif holidays and d < holidays[-1]:
                err("%s:%d: %s comes after %s: not sorted"
                    % (os.path.basename(holiday_path), n, d, holidays[-1]))
            holidays.append(d)
except (OSError, UnicodeDecodeError) as e:
    err("holiday file: %s" % e)
if not holidays and not errors:
    err("holiday file: no dates")
if holidays:
    for y in range(holidays[0].year, holidays[-1].year + 1):
        # Every year in England and Wales has at least eight.
        count = sum(1 for d in holidays if d.year == y)
        if count < 8:
            err("holiday file: only %d dates in %d" % (count, y))

# --- meeting file --------------------------------------------------------
root = None
try:
    with open(meeting_path, "rb") as f:
        raw = f.read()
    raw.decode("utf-8")
    if b"<!DOCTYPE" in raw:
        err("meeting: has a DOCTYPE (no DTDs in quorum files)")
    root = ET.fromstring(raw)
except (OSError, UnicodeDecodeError, ET.ParseError) as e:
    err("meeting: not well-formed: %s" % e)

if root is not None:
    if root.tag != Q + "meeting":
        err("meeting: root is %s, not {%s}meeting" % (root.tag, NS))
    if root.get(XML_LANG) != "en-GB":
        err("meeting: xml:lang is %r, not 'en-GB'" % root.get(XML_LANG))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if not el.tag.startswith(Q):
            err("meeting: element %s outside the namespace" % el.tag)

    kids = [el.tag[len(Q):] if el.tag.startswith(Q) else el.tag for el in root]
    order = ["body", "date", "time", "venue", "published", "clerk",
             "membership", "summons", "agenda", "information"]
    required = {"body", "date", "time", "venue", "published", "clerk", "agenda"}
    for name in required:
        if kids.count(name) != 1:
            err("meeting: needs exactly one <%s>, has %d" % (name, kids.count(name)))
    known = [k for k in kids if k in order]
    if known != sorted(known, key=order.index) or len(set(known)) != len(known):
        err("meeting: children out of order or repeated: %s" % " ".join(kids))
    for k in kids:
        if k not in order:
            err("meeting: unknown child <%s>" % k)

    def text(name):
        el = root.find(Q + name)
        return None if el is None else "".join(el.itertext()).strip()

    for name in ("body", "venue"):
        if not text(name):
            err("meeting: <%s> is empty" % name)
    mdate = iso_date(text("date"), "meeting <date>")
    pub = iso_date(text("published"), "meeting <published>")
    t = text("time") or ""
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t):
        err("meeting: <time> %r is not HH:MM (24-hour)" % t)
    clerk = root.find(Q + "clerk")
    if clerk is not None:
        if not (clerk.get("name") or "").strip():
            err("meeting: <clerk> has no name")
        if not (clerk.get("email") or clerk.get("phone")):
            err("meeting: <clerk> has neither email nor phone")

    if mdate and pub:
        if pub >= mdate:
            err("meeting: published %s is not before the meeting %s" % (pub, mdate))
        elif holidays:
            hs = set(holidays)
            clear = 0
            d = pub + dt.timedelta(days=1)
            while d < mdate:
                if d.weekday() < 5 and d not in hs:
                    clear += 1
                d += dt.timedelta(days=1)
            if clear < 5:
                err("meeting: published %s, only %d clear working days before %s"
                    % (pub, clear, mdate))
            if not (holidays[0].year <= pub.year and mdate.year <= holidays[-1].year):
                err("meeting: dates outside the holiday list's years")

    items = root.findall(Q + "agenda/" + Q + "item")
    if not items:
        err("meeting: the agenda has no items")
    ids, reports = set(), set()
    base = os.path.dirname(os.path.abspath(meeting_path))
    for i, item in enumerate(items, 1):
        where = "item %d (%s)" % (i, item.get("id") or item.get("title"))
        if not (item.get("title") or "").strip():
            err("%s: no title" % where)
        iid = item.get("id")
        if iid is not None:
            if iid in ids:
                err("%s: id %r repeated" % (where, iid))
            ids.add(iid)
        exempt = item.get("exempt-paragraph")
        if exempt is not None:
            paras = exempt.split()
            if not paras or any(p not in "1 2 3 4 5 6 7".split() for p in paras):
                err("%s: exempt-paragraph %r is not a list of 1-7" % (where, exempt))
        if item.get("late") == "true" and not (item.get("urgency") or "").strip():
            err("%s: late without urgency" % where)
        rep = item.get("report")
        if rep is None or exempt is not None:
            continue   # an exempt item's report stays out of the public pack
        if not rep or "/" in rep or "\\" in rep or ":" in rep or rep.startswith("."):
            err("%s: report %r is not a file name beside the meeting file" % (where, rep))
            continue
        if rep in reports:
            err("%s: report %s already used by another item" % (where, rep))
        reports.add(rep)
        path = os.path.join(base, rep)
        if not os.path.isfile(path):
            err("%s: report %s does not exist beside %s"
                % (where, rep, os.path.basename(meeting_path)))
            continue
        try:
            r = ET.parse(path).getroot()
        except ET.ParseError as e:
            err("%s: report %s not well-formed: %s" % (where, rep, e))
            continue
        if r.tag != Q + "report":
            err("%s: %s is not a report (root %s)" % (where, rep, r.tag))
        for field in r.iter(Q + "field"):
            if field.get("role") == "meeting-date" and mdate:
                if field.get("date") != mdate.isoformat():
                    err("%s: %s is for %s, the meeting is %s"
                        % (where, rep, field.get("date"), mdate))
            if field.get("role") == "status" and "".join(field.itertext()).strip() == "exempt":
                err("%s: %s is exempt but the item is open" % (where, rep))

for e in errors:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
}

status=0

echo "checking $meeting and $holidays"
if ! check "$meeting" "$holidays"; then
    echo "FAIL: the sample meeting file or the bank holiday list" >&2
    status=1
fi

# Broken copies, each of which the checks must reject.  They sit in a copy
# of the sample directory so that report.xml resolves as it does there.
dir=$work/broken
rm -rf "$dir"
mkdir -p "$dir" || exit 1
cp "$repo"/input/council-2025-01-29/*.xml "$dir"/ || exit 1
good_hol=$dir/holidays.txt
cp "$holidays" "$good_hol" || exit 1

if ! check "$dir/meeting.xml" "$good_hol" 2>"$work/copy.err"; then
    cat "$work/copy.err" >&2
    echo "FAIL: an unchanged copy of the sample does not pass" >&2
    status=1
fi

expect_fail() {   # expect_fail WHAT MEETING HOLIDAYS
    if check "$2" "$3" 2>"$work/expect.err"; then
        echo "FAIL: the checks accept $1" >&2
        status=1
    else
        echo "ok: rejects $1 ($(head -n 1 "$work/expect.err" | sed 's/^ *//'))"
    fi
}

# A mutation that cannot be made is a failure too: otherwise a change to the
# sample could silently turn a case off.
meeting_case() {   # meeting_case NAME EXPR WHAT
    if mutate "$1" "$2"; then expect_fail "$3" "$dir/$1" "$good_hol"
    else echo "FAIL: cannot make $1" >&2; status=1; fi
}
holiday_case() {   # holiday_case NAME EXPR WHAT
    if hol_mutate "$1" "$2"; then expect_fail "$3" "$dir/meeting.xml" "$dir/$1"
    else echo "FAIL: cannot make $1" >&2; status=1; fi
}

mutate() {   # mutate NAME PYTHON-EXPRESSION-ON-s: writes $dir/NAME from meeting.xml
    /usr/bin/python3 - "$dir/meeting.xml" "$dir/$1" "$2" <<'EOF'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
t = eval(sys.argv[3])
if t == s:
    sys.exit("mutation %r changed nothing" % sys.argv[3])
open(sys.argv[2], "w", encoding="utf-8").write(t)
EOF
}

meeting_case m-ns.xml 's.replace("urn:quorum:report:1", "urn:quorum:report:2", 1)' "a meeting in another namespace"
meeting_case m-bad.xml 's.replace("</agenda>", "</agend>", 1)' "a meeting that is not well-formed"
meeting_case m-report.xml 's.replace("report=\"report.xml\"", "report=\"no-such-report.xml\"", 1)' "a missing report file"
meeting_case m-late.xml 's.replace("<item id=\"petitions\"", "<item late=\"true\" id=\"petitions\"", 1)' "a late item without urgency"
meeting_case m-pub.xml 's.replace("<published>2025-01-21<", "<published>2025-01-22<", 1)' "publication four clear days ahead"
meeting_case m-date.xml 's.replace("<date>2025-01-29<", "<date>2025-01-30<", 1)' "a report for another meeting date"
meeting_case m-para.xml 's.replace("exempt-paragraph=\"3\"", "exempt-paragraph=\"8\"", 1)' "a Schedule 12A paragraph that does not exist"

hol_mutate() {   # hol_mutate NAME PYTHON-EXPRESSION-ON-lines
    /usr/bin/python3 - "$good_hol" "$dir/$1" "$2" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = next(n for n, l in enumerate(lines) if l.startswith("2025-01-01"))
out = eval(sys.argv[3])
if out == lines:
    sys.exit("mutation %r changed nothing" % sys.argv[3])
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
EOF
}

holiday_case h-weekend.txt 'lines[:i + 1] + ["2025-01-04  # a Saturday"] + lines[i + 1:]' "a weekend bank holiday"
holiday_case h-unsorted.txt 'lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2:]' "an unsorted holiday list"
holiday_case h-dup.txt 'lines[:i + 1] + [lines[i]] + lines[i + 1:]' "a repeated holiday"
holiday_case h-bad.txt 'lines[:i] + ["2025-02-30  # no such day"] + lines[i:]' "a date that does not exist"
# A holiday on a day the sample counts as clear leaves it four days.
holiday_case h-clear.txt 'lines[:i + 1] + ["2025-01-24  # invented"] + lines[i + 1:]' "a holiday inside the notice period"

[ $status -eq 0 ] && echo "PASS"
exit $status
