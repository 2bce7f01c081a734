"""Parse a cable's REF list into entries with their letter and canonical ID."""

from __future__ import annotations

import re

from cleansite.ids import canonical_id, not_origin_words, origin_code, posts
from cleansite.model import Reference

# Where a lettered entry starts: "A) ", "B. ", "(C) ", "¶B. " (PDF text), at the start or after
# a separator. A letter must be followed by "." or ")" and a space, so "U.S." is not a label.
_LABEL = re.compile(
    r"""(?:^|(?<=[\s,;:]))          # start of the list or after a separator
        ¶?\s*\(?(?P<label>[A-Z])    # the letter, optionally in parentheses
        (?:\)\s*|\.(?!\w)\s+)        # closed by ")" (space optional) or "." and a space
    """,
    re.X,
)

# A cable reference inside an entry, e.g. "09 CHENGDU 300", "2009 MANAMA 12", "STATE 12345",
# "THE HAGUE 001510", "SECSTATE 123456".
_CABLE_TEXT = r"""
    (?:(?P<year>\d{4}|\d{2})\s*)?                   # optional year, two or four digits ("09MANAMA 220")
    (?P<origin>[A-Z][A-Z]+(?:\ [A-Z][A-Z]+){0,3}?)  # origin, one to four words
    \s*(?P<serial>\d{1,8})\b                        # serial, sometimes zero-padded ("STATE 00028885")
    (?!\s*[/:]\d)                                  # not a date such as 05/11/07
"""
_CABLE = re.compile(r"^\s*" + _CABLE_TEXT, re.X)
_CABLE_ANYWHERE = re.compile(r"(?<![A-Z0-9])" + _CABLE_TEXT, re.X)


def parse_references(ref_text: str, citing_year: str | None) -> tuple[Reference, ...]:
    """Split REF text (after ``REF:``) into entries; each gets a canonical ID if it names a cable.

    Entries without a year take ``citing_year`` (two digits); entries that name an
    email, memo, meeting and so on keep their text with ``id`` None.
    """
    text = " ".join(ref_text.split())
    if not text:
        return ()
    labelled = list(_LABEL.finditer(text))
    if labelled and labelled[0].start() <= 2:
        return tuple(_labelled_entries(text, labelled, citing_year))
    if series := _SERIES.match(text.upper()):
        return _series(text, series, citing_year)
    return tuple(Reference(label=None, id=cable_id_in(part, citing_year), text=part) for part in _unlabelled_parts(text))


# Several serials of one origin: "TRIPOLI 33, 53" (06TRIPOLI198), "MANAMA 12 AND 14".
_SERIES = re.compile(r"^(?P<head>(?:\d{2,4}\s+)?[A-Z][A-Z ]*?\s+\d{1,8})(?P<more>(?:\s*(?:,|AND|&)\s*\d{1,8})+)$")


def _series(text: str, series: re.Match[str], citing_year: str | None) -> tuple[Reference, ...]:
    head = series.group("head")
    first = cable_id_in(head, citing_year)
    references = [Reference(None, first, text[: len(head)].strip())]
    prefix = head[: re.search(r"\d{1,8}$", head).start()]
    for serial in re.findall(r"\d{1,8}", series.group("more")):
        references.append(Reference(None, cable_id_in(prefix + serial, citing_year) if first else None, serial))
    return tuple(references)


def _unlabelled_parts(text: str) -> list[str]:
    """Entries of an unlettered list: split at separators and where a new cable number starts."""
    starts = [m.start() for m in _CABLE_ANYWHERE.finditer(text.upper()) if is_origin(m.group("origin"))]
    cuts = sorted({0, *starts, *(m.end() for m in re.finditer(r"[;:]\s+", text))})
    pieces = [text[a:b] for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    return [piece.strip(" ,;:") for piece in pieces if piece.strip(" ,;:")]


def _labelled_entries(text: str, labels: list[re.Match[str]], year: str | None) -> list[Reference]:
    entries = []
    for index, match in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        entry = text[match.end() : end].strip(" ,;")
        if not entry:
            continue
        entries.append(Reference(label=match.group("label"), id=cable_id_in(entry, year), text=entry))
    return entries


def cable_id_in(entry: str, citing_year: str | None) -> str | None:
    """The canonical ID of the cable an entry names, or None if it names something else."""
    # A year typed with a letter O or a space: "O8 TRIPOLI 993" (09TRIPOLI590), "0 8 TRIPOLI 227" (09TRIPOLI208).
    entry = re.sub(r"^\s*[O0] ?(\d)\b", r"0\1", entry.upper())
    match = _CABLE.match(entry)
    if not match:
        return None
    origin = match.group("origin")
    if not is_origin(origin):
        return None
    year = match.group("year") or citing_year
    if year is None:
        return None
    return canonical_id(year, origin, match.group("serial"))


def is_origin(written: str) -> bool:
    """True when ``written`` names a post that sends cables (known, or one plain word)."""
    code = origin_code(written)
    if code in posts() or code == "STATE":
        return True
    words = written.split()
    return len(words) == 1 and len(code) >= 4 and words[0] not in not_origin_words()
