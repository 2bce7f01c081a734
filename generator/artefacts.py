"""Artefacts inside a document's own text that mirrors left there, whatever the site.

Each rule takes the document lines and gives the lines kept and the text removed.
"""

from __future__ import annotations

import re

from cleansite.ids import ID_TEXT

# Another cable's row of the full-release table (cables.csv, or the database's tab-separated
# form below: 07BERN881's page ends with 07TBILISI2290's) glued after the last paragraph,
# from the row's numeric id to the end of the text. Real line (06THEHAGUE2415's page):
#   84924,11/8/2006 16:22,06THEHAGUE2415,"Embassy The Hague",UNCLASSIFIED,,"VZCZCXRO3525
_GLUED_CSV_ROW = re.compile(rf'^\s*"?,?\s*\d{{1,7}},\d{{1,2}}/\d{{1,2}}/\d{{4}} \d{{1,2}}:\d{{2}},(?P<id>{ID_TEXT}),')
# ... or as the 2011 viewer prints it: the numeric id alone on its line, then date, ID, origin,
# classification and routing header run together (07MANAMA1067's page ends with 07MANAMA1070's):
#   131913
#   11/28/2007 14:38 07MANAMA1070 Embassy Manama CONFIDENTIAL 07MANAMA922 VZCZCXRO8045PP RUEHBC
_SPACED_ROW = re.compile(rf"^\s*\d{{1,2}}/\d{{1,2}}/\d{{4}} \d{{1,2}}:\d{{2}} (?P<id>{ID_TEXT}) ")
_ROW_NUMBER = re.compile(r"^\s*\d{1,7}\s*$")
# What closes the cable's own row just before the glued one: a line holding only '",'.
_ROW_CLOSE = re.compile(r'^\s*",?\s*$')

# The whole database row of the cable written into the page, tab-separated, with every line
# end escaped by a backslash. Real line (06TASHKENT902's page):
#   62979<TAB>2006-05-05 12:59:00<TAB>06TASHKENT902<TAB>Embassy Tashkent<TAB>SECRET<TAB>06TASHKENT465<TAB>VZCZCXRO9116\
_DB_ROW = re.compile(
    rf"^\s*(?P<fields>\d{{1,7}}\t\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}(?::\d{{2}})?\t(?P<id>{ID_TEXT})\t[^\t]*\t[^\t]*\t[^\t]*\t)"
)
_ESCAPED_END = re.compile(r"\s?\\$")

# Why such a line was removed, as the records say it.
DATABASE_ROW = "rule: the cable's database row (fields, repeated routing header)"
GLUED_RECORD = "rule: another record of the full-release table glued after the text"
PAGE_BREAK = "rule: page-break line"


def cut_glued_record(lines: list[str], own_id: str | None) -> tuple[list[str], list[str]]:
    """Cut another cable's record of the full-release table glued after the document, and what closes it.

    A row of the document's own ID is kept: mirrors glued the whole cable after a cut-off copy
    of its start (05THEHAGUE2585's page), and that row holds the only full text.
    """
    for index, line in enumerate(lines):
        row = _GLUED_CSV_ROW.match(line) or _DB_ROW.match(line)
        if index and not row and (spaced := _SPACED_ROW.match(line)):
            number = next((i for i in range(index - 1, max(index - 4, -1), -1) if lines[i].strip()), None)
            row = spaced if number is not None and _ROW_NUMBER.match(lines[number]) else None
        if index and row and row.group("id") != own_id:
            start = index - 1 if _ROW_CLOSE.match(lines[index - 1]) else index
            if row.re is _SPACED_ROW:
                start = number
            kept = lines[:start]
            while kept and not kept[-1].strip():
                kept.pop()
            if kept and kept[-1].rstrip().endswith('"'):  # the cable's own row closes on its last line
                kept[-1] = kept[-1].rstrip()[:-1].rstrip()
            return kept, [line.strip() for line in lines[start:] if line.strip()]
    return lines, []


def unescape_database_row(lines: list[str]) -> tuple[list[str], list[str]]:
    """A document written as its database row: keep its body, drop the row's fields and escapes.

    The row is id, date, ID, origin, classification, REF IDs, routing header, body; the routing
    header is dropped as a repeat when the page shows it already, above the row.
    """
    start = next((i for i, line in enumerate(lines[:60]) if _DB_ROW.match(line)), None)
    if start is None or sum(1 for line in lines if _ESCAPED_END.search(line)) < (len(lines) - start) // 3:
        return lines, []
    fields = "\n".join(_ESCAPED_END.sub("", line) for line in lines[start:]).split("\t")
    routing, body = fields[6].split("\n"), "\t".join(fields[7:]).split("\n")
    above = [line for line in lines[:start] if line.strip()]
    removed = [" | ".join(field.strip() for field in fields[:6])]
    if above:
        removed.extend(line.strip() for line in routing if line.strip())
        return [*lines[:start], *body], removed
    return [*routing, "", *body], removed


