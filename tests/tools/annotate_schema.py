#!/usr/bin/env python3
"""Adds an xs:documentation to each xs:element and xs:attribute of
schema/quorum-report-1.xsd that has none, from DOCS below (run once when
adding declarations; tests/e2e/schema_editors.sh fails on any without).
Text-level, so the schema's layout and comments stay as they are.
usage: tests/tools/annotate_schema.py schema/quorum-report-1.xsd"""
import re
import sys
from xml.sax.saxutils import escape

# element name, or "context/attribute" (context: the element or named
# type that declares it), or "attribute" for any context
DOCS = {
    # ---- elements ----
    "report": "A committee report: front sheet, sections, implications, background documents and appendices (docs/format.md).",
    "front-sheet": "The report's opening table of label/value rows (title, meeting, date, author, wards ...).",
    "field": "One front-sheet row: the label as printed and its value; role says what the row is.",
    "identifiers": "Identifier boxes (item number, report number) printed as front-sheet rows.",
    "heading": "The heading of a section, implication, front sheet or list.",
    "subheading": "A heading inside a section, unnumbered.",
    "title": "A title (of an appendix or a form).",
    "subtitle": "A line printed under a title.",
    "lead-in": "The words before a list of recommendations, e.g. \"The Committee is recommended to:\".",
    "section": "A numbered section of the report: a heading, then paragraphs, lists, tables and figures.",
    "implication": "An implications section (financial, legal, risk, equality ...) with its sign-off.",
    "sign-off": "\"Implications verified by NAME, TITLE, Date\": who checked an implications section.",
    "not-applicable": "A deliberate absence of a sign-off, with the reason.",
    "background-documents": "The list of background documents, as the law requires for decisions.",
    "document": "One background document; href links to it.",
    "form": "A form of questions and answers (a cover sheet of Yes/No boxes).",
    "qa": "One question of a form with its answer.",
    "question": "The question of a form row.",
    "answer": "The answer of a form row.",
    "p": "A paragraph; numbered (3.2) unless its section says paragraphs=\"plain\".",
    "ul": "A bulleted list.",
    "ol": "A numbered list; marker chooses the numbers' form.",
    "li": "One list item.",
    "quote": "A quoted passage, set apart.",
    "recommendations": "The recommendations, numbered as paragraphs of their section.",
    "recommendation": "One recommendation; nested ones are lettered (a), (b) ...",
    "table": "A table: col widths, then rows of cells; header rows repeat on each page.",
    "col": "One column of a table and its width.",
    "row": "One table row.",
    "cell": "One table cell; rating (or fill) colours it, alt says the colour in words.",
    "image": "A PNG or JPEG image from a file beside the report, with its alternative text.",
    "b": "Bold text.",
    "i": "Italic text.",
    "sup": "Superscript text.",
    "sub": "Subscript text.",
    "a": "A link to a web address.",
    "br": "A line break inside a cell, field or paragraph.",
    "trend": "A direction of travel: an arrow for the eye, a word for a screen reader.",
    "chip": "A small coloured rating mark in running text.",
    "options": "A set of tick boxes (options), printed with their state.",
    "option": "One tick box; selected says whether it is ticked.",
    "ref": "A cross-reference to a numbered element by its id, printed as its number.",
    "appendices": "The list of appendices, each in its own file or inline.",
    "appendix": "An appendix: in the report's list, a reference to its file; as a file's root, its content.",
    "performance": "A performance appendix: outcomes and criteria rated per period on a scale (docs/format-performance.md).",
    "periods": "The reporting periods of a performance appendix.",
    "period": "One reporting period (a quarter, a year).",
    "scale": "The rating scale of a performance appendix: its ratings from best to worst.",
    "rating": "One rating of the scale: code, words, colour and rank.",
    "outcome": "One outcome of a performance appendix, with its criteria.",
    "lead-summary": "The summary paragraph that opens an outcome.",
    "criterion": "One success criterion of an outcome, rated per period.",
    "text": "The wording of a criterion.",
    "rated": "The rating of a criterion in one period.",
    "assessment": "The narrative assessment of a criterion.",
    "summary-table": "A generated table: every criterion's rating per period.",
    "outcome-details": "Generated: each outcome with its criteria and assessments.",
    "rating-definitions": "Generated: the scale's ratings and what each means.",
    "movement": "Generated: how ratings moved between two periods.",
    "outcome-list": "Generated: the list of outcomes.",
    "bar-chart": "A bar chart drawn from figures, with a table of them for screen readers.",
    "bar": "One bar of a chart, made of segments.",
    "segment": "One segment of a bar: a value and its colour.",
    "meeting": "A meeting file: the body, date, venue, membership and agenda of one meeting (docs/meeting.md).",
    "body": "The committee or council that meets.",
    "date": "The meeting's date, YYYY-MM-DD.",
    "time": "The meeting's start time, HH:MM.",
    "venue": "Where the meeting is held.",
    "published": "The date the agenda is published (the five clear working days are counted from it).",
    "clerk": "The officer to contact about the meeting.",
    "membership": "The members of the committee.",
    "member": "One member; role says a chair's or other office.",
    "summons": "The summons to the meeting, printed on the pack's front sheet.",
    "agenda": "The agenda: the items in order.",
    "item": "One agenda item; report names its report file, exempt-paragraph makes it exempt.",
    "information": "Information for the public and councillors, printed after the agenda.",
    # ---- attributes ----
    "id": "A unique id, for cross-references (ref to=) and links.",
    "numbered": "false: this element takes no number.",
    "number": "A number given explicitly, instead of the next in sequence.",
    "paragraphs": "numbered (the default): paragraphs are numbered 3.1, 3.2 ...; plain: not numbered.",
    "paragraph-numbers": "How paragraph numbers are formed for the whole report.",
    "field/hidden": "true: the field's value is known to the report (e.g. the title) but no row is printed.",
    "field/label": "The row's label as printed.",
    "field/role": "What the row is: title, meeting, meeting-date, author, director, lead-member, wards, key-decision, call-in, forward-plan, status, classification or appendices (another value is kept and warned about).",
    "field/date": "The date the row states, YYYY-MM-DD (required for meeting-date).",
    "field/email": "An email address, printed as a link.",
    "field/phone": "A telephone number.",
    "field/paragraph": "For an exempt report: the Schedule 12A paragraphs that make it exempt.",
    "identifiers/position": "top-right (boxes beside the front sheet) or above (over it).",
    "subheading/level": "Only on generated headings: outcome, criterion or label.",
    "implication/type": "financial, legal, risk, equality or other (another value is treated as other).",
    "sign-off/name": "The name of the officer who verified the implications.",
    "sign-off/title": "The officer's job title (alone, when no name is given).",
    "sign-off/date": "The date of the sign-off, YYYY-MM-DD, not after the meeting.",
    "document/href": "A web address or file where the document can be read.",
    "p/align": "left, center or right.",
    "marker": "The form of a list's numbers: one of 1 a A i I in punctuation, e.g. \"(a)\", \"1.\", \"i)\".",
    "li/label": "The item's own number or bullet, as printed.",
    "recommendations/marker": "The form of the recommendations' numbers, e.g. \"1.\".",
    "recommendations/nested-marker": "The form of nested recommendations' numbers, e.g. \"(a)\".",
    "table/caption": "The table's caption, also its accessible name.",
    "table/width": "The table's width (e.g. 100%, 120mm).",
    "col/width": "The column's width: a length (30mm, 20%) or a share (2*).",
    "row/header": "true: a header row, repeated at the top of each page the table runs onto.",
    "row/keep-with-next": "true: the row is never separated from the next by a page break.",
    "row/group": "A group heading row at this level (1 priority, 2 theme ...).",
    "cell/colspan": "How many columns the cell spans.",
    "cell/rowspan": "How many rows the cell spans.",
    "cell/align": "left, center or right.",
    "cell/fill": "A background colour, #RRGGBB (a rating is better: it carries its meaning).",
    "cell/color": "The text colour, #RRGGBB.",
    "cell/rating": "A rating code of the report's scale (R, A, G ...): the cell takes its colour and words.",
    "cell/score": "A score on the scale named by scale.",
    "cell/scale": "The scale a score is read on.",
    "cell/alt": "What the cell's colour means, in words, for a screen reader.",
    "cell/bold": "true: the cell's text is bold.",
    "cell/header": "true: a header cell (row or column heading).",
    "image/src": "The image file, relative to the report (PNG or JPEG; no URL or absolute path).",
    "image/alt": "The image's alternative text, for those who cannot see it.",
    "image/width": "The printed width.",
    "image/height": "The printed height.",
    "a/href": "The web address the link goes to.",
    "trend/value": "improved, no-change, declined, up, same or down (any case).",
    "chip/rating": "A rating code of the scale.",
    "chip/score": "A score on the scale named by scale.",
    "chip/scale": "The scale a score is read on.",
    "options/label": "What the tick boxes are about.",
    "options/select": "any or one: how many boxes may be ticked.",
    "options/layout": "inline (the default: side by side) or lines (one a line).",
    "option/selected": "true: the box is ticked.",
    "ref/to": "The id of the element referred to.",
    "ref/form": "full, title or number: how the reference is printed.",
    "appendix/href": "The appendix file, relative to the report.",
    "appendix/number": "The appendix's own number or letter.",
    "appendix/title": "The appendix's title in the list.",
    "appendices/numbering": "1 (the default), A or a: how appendices are numbered.",
    "performance/movement": "false: no movement section; any other value, or none, leaves it on.",
    "period/label": "The period as printed, e.g. \"Q2 2024/25\".",
    "period/id": "The id rated elements name the period by.",
    "rating/code": "The rating's code as written in cells (R, A, G ...).",
    "rating/text": "The rating in words (Red, Amber, Green ...).",
    "rating/rank": "An integer, higher is better, overriding the position in the list; none takes the value out of the order.",
    "rating/min": "The lowest score that takes this rating.",
    "rating/fill": "The rating's colour, #RRGGBB.",
    "rating/color": "The colour of text on the rating's fill, #RRGGBB.",
    "outcome/number": "The outcome's number.",
    "outcome/title": "The outcome's title.",
    "criterion/letter": "The criterion's letter within its outcome.",
    "rated/period": "The id of the period rated.",
    "rated/value": "The rating code for the period.",
    "rated/trend": "The direction of travel for the period.",
    "placeholder/of": "The id of the performance element the content is generated from.",
    "placeholder/caption": "summary-table: the table's caption.",
    "placeholder/from": "movement: the id of the earlier period compared (default: the last but one).",
    "placeholder/to": "movement: the id of the later period compared (default: the last).",
    "placeholder/period": "The id of the period shown.",
    "segment/value": "The segment's figure.",
    "segment/fill": "The segment's colour, #RRGGBB.",
    "segment/color": "The colour of the segment's label, #RRGGBB.",
    "segment/rating": "A rating code whose colour the segment takes.",
    "segment/label": "What the segment stands for, as printed in the key.",
    "bar/label": "What the bar stands for.",
    "bar-chart/caption": "The chart's caption.",
    "bar-chart/alt": "What the chart shows, in words, for a screen reader.",
    "clerk/name": "The clerk's name.",
    "clerk/title": "The clerk's job title.",
    "clerk/email": "The clerk's email address.",
    "clerk/phone": "The clerk's telephone number.",
    "member/role": "The member's office (Chair, Vice-Chair, Mayor ...).",
    "item/title": "The item's title on the agenda.",
    "item/number": "The item's own number, instead of the next in sequence.",
    "item/report": "The item's report file, relative to the meeting file.",
    "item/exempt-paragraph": "The Schedule 12A paragraphs that make the item exempt (not published).",
    "item/late": "true: a late item, in the supplementary agenda.",
    "item/urgency": "Why a late item is taken as urgent.",
    "item/published": "The date a late item was published.",
    "item/to-follow": "true: the report is to follow; the agenda says so.",
}

TOKEN = re.compile(r'<(/?)xs:(element|complexType|attributeGroup|group|attribute)\b([^>]*?)(/?)>')


def doc_for(kind, ctx, name):
    if kind == "element":
        return DOCS.get(name)
    return DOCS.get(f"{ctx}/{name}") or DOCS.get(name)


def annotate(text):
    out, pos, stack, missing = [], 0, [], []
    for m in TOKEN.finditer(text):
        close, kind, attrs, selfc = m.groups()
        name = re.search(r'\bname="([^"]+)"', attrs)
        name = name.group(1) if name else None
        if close:
            stack.pop()
            continue
        ctx = ([x for x in stack if x] or ["-"])[-1]
        if not selfc:
            stack.append(name if kind != "attribute" else None)
        if kind not in ("element", "attribute") or not name:
            continue
        after = text[m.end():m.end() + 200].lstrip()
        if not selfc and after.startswith("<xs:annotation"):
            continue
        doc = doc_for(kind, ctx, name)
        if not doc:
            missing.append(f"{kind} {ctx}/{name}")
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        indent = text[line_start:m.start()]
        ann = (f"\n{indent}  <xs:annotation><xs:documentation>{escape(doc)}"
               f"</xs:documentation></xs:annotation>")
        out.append(text[pos:m.start()])
        if selfc:
            opening = text[m.start():m.end() - 2].rstrip() + ">"
            out.append(f"{opening}{ann}\n{indent}</xs:{kind}>")
        else:
            out.append(text[m.start():m.end()] + ann)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), missing


def main():
    path = sys.argv[1]
    text = open(path, encoding="utf-8").read()
    new, missing = annotate(text)
    for what in missing:
        print(f"{path}: no documentation written for {what}", file=sys.stderr)
    open(path, "w", encoding="utf-8").write(new)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
