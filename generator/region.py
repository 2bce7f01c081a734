"""Where a cable sits in a text dump of any site, found from the cable's own structure.

A scraped text dump ("select all, copy", a browser's innerText, a text crawler) holds the
document among the site's navigation, banners and footers. The document runs from its
first header line (the site's metadata row, the routing header, the classification line,
the DE line) to its last line that is not the site's (known by a rule or by repeating
across the site's pages: generator/boilerplate.py). Lines outside that region are chrome.

Why not end at the signature: on the 1,486 viewer pages of the corpus, cutting after a
signature-like line ("LEVIN", "BERRY GOLDRICH") after the last numbered paragraph would
cut real text on 14 (a second cable on the page, "SIPDIS" or "BEGIN TEXT" read as a name,
"6.(SBU)" not read as a paragraph, declassification notes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEVEL = r"""(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED\ OFFICIAL\ USE
              |C\ O\ N\ F\ I\ D\ E\ N\ T\ I\ A\ L|S\ E\ C\ R\ E\ T|U\ N\ C\ L\ A\ S)"""

# A line that only a cable's header starts with. Deliberately strict: the viewer's sidebar
# has "CONFIDENTIAL CONFIDENTIAL//NOFORN SECRET ..." and TAGS lists, which must not match.
HEADER_LINE = re.compile(
    r"""^\s*(?:
        VZCZC\w*\s*$                                # message start: "VZCZCXRO9780"
      | [A-Z]{1,2}(?:\ [A-Z]{1,2})?\ R[A-Z]{4}\w*(?:\ R[A-Z]{4}\w*)*\s*$  # precedence, routing: "PP RUEHDE RUEHDIR"
      | DE\ R[A-Z]{3,}\ \#                        # "DE RUEHSJ #1650/01 2091927"
      | ZN[RY]\ [A-Z]{5}\ ZZH\s*$                   # "ZNY CCCCC ZZH"
      | [A-Z]{1,2}\ \d{6}Z\ [A-Z]{3}\ \d{2}\s*$     # date-time group: "O 161802Z JUN 09"
      | """
    + _LEVEL
    + r"""\b.*\b[A-Z]{2,}\s+0*\d{1,6}\s*$           # classification line: "S E C R E T  TRIPOLI 000198"
      | E\.\s?O\.\s?1\d{4}\b                        # "E.O. 12958: DECL: 07/27/2016" (a partial extract)
      | SUBJ(?:ECT)?:\s                             # "SUBJECT: A/S SHANNON VISITS ..."
    )""",
    re.X,
)


@dataclass(frozen=True, slots=True)
class Region:
    """The document's lines of a page: ``lines[start:end]``."""

    start: int
    end: int


def document_region(lines: list[str], anchor: int | None = None, chrome: frozenset[int] = frozenset()) -> Region:
    """The region from the first header line (or ``anchor``, the site's metadata row) to the last document line.

    ``chrome`` holds the indexes of lines already known to be the site's (by a rule, by
    repetition): they never make the region longer. A page without any header line is all
    document: there is nothing to tell chrome from it.
    """
    start = anchor if anchor is not None else next((i for i, line in enumerate(lines) if HEADER_LINE.match(line)), 0)
    content = [i for i in range(start, len(lines)) if lines[i].strip() and i not in chrome]
    if not content:
        return Region(start, start)
    return Region(start, content[-1] + 1)
