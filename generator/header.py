"""Split a cable into routing header, cable header and body; read the header fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines of the routing header that precede the cable text.
_ROUTING_START = re.compile(
    r"""^\s*(?:
        VZCZC\w*                              # message start
      | [A-Z]{1,2}(?:\ [A-Z]{1,2})?\ R[A-Z]{3,}\w*$   # precedence + routing indicator: "PP RUEHWEB"
      | DE\ R[A-Z]+\ \#                      # "DE RUEHCN #0028/01 0350254"
      | ZN[RY]\ \w+                           # "ZNY CCCCC ZZH"
      | [A-Z](?:\ [A-Z])?\ \d{6}Z\ [A-Z]{3}\ \d{2}  # date-time group "O 040254Z FEB 10"
      | FM\ \S | TO\ \S | INFO\ \S | BT$
      | This\ record\ is\ a\ partial\ extract
    )""",
    re.X,
)

# The classification line that opens the cable text, e.g.
#   C O N F I D E N T I A L SECTION 01 OF 07 TEGUCIGALPA 000526
#   UNCLAS E F T O TRIPOLI 000704        UNCLAS UNVIE VIENNA 000279
CLASSIFICATION_LINE = re.compile(
    r"""^\s*(?P<level>
        UNCLASSIFIED | UNCLAS | LIMITED\ OFFICIAL\ USE | CONFIDENTIAL | SECRET
      | C\ O\ N\ F\ I\ D\ E\ N\ T\ I\ A\ L | S\ E\ C\ R\ E\ T | U\ N\ C\ L\ A\ S
    )\b
    (?P<rest>.*)$""",
    re.X,
)
# The origin and serial at the end of the classification line: "TEGUCIGALPA 000526".
_LINE_ORIGIN_SERIAL = re.compile(r"(?P<origin>[A-Z][A-Z ]*?[A-Z])\s*(?P<serial>\d{3,8})\b")

# The date-time group: "O 040254Z FEB 10" is 2010-02-04 02:54 UTC.
DATE_TIME_GROUP = re.compile(r"\b(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})Z\s+(?P<month>[A-Z]{3})\s+(?P<year>\d{2})\b")
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

# Keys that open a field of the cable header.
_HEADER_KEY = re.compile(
    r"(?m)^\s*(?:E\.\s?O\.|EO\s+\d|TAGS\b|SUBJ(?:ECT)?\s*:|(?i:REFS?)\b|REFTEL|REFERENCES?:|(?i:CLASSIFIED\s+BY)|DERIVED\s+FROM)"
)
# The header never runs further than this many chunks.
_MAX_HEADER_CHUNKS = 30
_FIELD_END = r"(?=\n\s*\n|\bREFS?\s*[:.]|\bREF\s+[A-Z(]|\bCLASSIFIED\s+BY\b|\bClassified\s+By\b|\bDECL\b|\Z)"
_SUBJECT = re.compile(r"\bSUBJ(?:ECT)?\s*:\s*(?P<value>.+?)" + _FIELD_END, re.S)
_TAGS = re.compile(r"\bTAGS\s*:?\s*(?P<value>.*?)(?=\n|\bSUBJ(?:ECT)?\s*:|\bREFS?\s*:|\Z)", re.S)
_REF_FIELD = re.compile(
    r"(?m)(?:^|(?<=\s))(?:REFS?|REFTELS?|REFERENCES?|Refs?)\s*[:.]?\s+(?P<value>.+?)(?=\n\s*\n(?!\s*¶?\(?[A-Z][.)]\s)|\bCLASSIFIED\s+BY\b|\bClassified\s+By\b|\Z)",
    re.S,
)


@dataclass(frozen=True, slots=True)
class CableParts:
    """A cable's lines split into routing header, cable header and body."""

    routing: list[str]
    header: list[str]
    body: list[str]


def split_routing(lines: list[str]) -> tuple[list[str], list[str]]:
    """The routing header lines at the top (up to a blank line or the cable text), and the rest."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not _ROUTING_START.match(lines[index]):
        return [], lines
    start = index
    while index < len(lines) and lines[index].strip():
        if CLASSIFICATION_LINE.match(lines[index]) or _HEADER_KEY.match(lines[index]):
            break
        index += 1
    return lines[start:index], lines[index:]


def split_header(chunks: list[list[str]], is_body_start) -> int:
    """How many leading chunks form the cable header (classification line to REF list)."""
    first_body = next((i for i, chunk in enumerate(chunks) if is_body_start(chunk)), len(chunks))
    last_key = -1
    for index, chunk in enumerate(chunks[: min(first_body, _MAX_HEADER_CHUNKS)]):
        opens_cable = index == 0 and CLASSIFICATION_LINE.match(chunk[0])
        has_key = any(_HEADER_KEY.search(line) for line in chunk)
        if opens_cable or has_key or (last_key == index - 1 and _continues_header(chunk)):
            last_key = index
    return last_key + 1


def _continues_header(chunk: list[str]) -> bool:
    """Chunks between header fields: SIPDIS, NOFORN, 'DEPT FOR ...' and lettered REF entries."""
    first = chunk[0].strip()
    return bool(
        re.match(r"^(?:SIPDIS|SENSITIVE|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|[A-Z/ -]+ FOR\b|PASS\b|FOR\b|¶?\(?[A-Z][.)]\s+\S)", first)
    ) and all(line.upper() == line for line in chunk)


def read_subject(header: str) -> str | None:
    """The whole subject, its lines joined."""
    match = _SUBJECT.search(header)
    return " ".join(match.group("value").split()) or None if match else None


def read_tags(header: str) -> tuple[str, ...]:
    """The TAGS, in order, e.g. ``("PGOV", "PREL", "CH")``."""
    match = _TAGS.search(header)
    if not match:
        return ()
    return tuple(tag for tag in re.split(r"[\s,;]+", match.group("value")) if tag)


def read_ref_text(header: str) -> str | None:
    """The REF list as written (after ``REF:``), or None if the cable cites nothing."""
    match = _REF_FIELD.search(header)
    return match.group("value").strip() if match else None


def read_date_time_group(routing: str) -> str | None:
    """``O 040254Z FEB 10`` -> ``2010-02-04 02:54`` (UTC)."""
    match = DATE_TIME_GROUP.search(routing)
    if not match or match.group("month") not in _MONTHS:
        return None
    year = int(match.group("year"))
    year += 1900 if year >= 66 else 2000
    month = _MONTHS.index(match.group("month")) + 1
    return f"{year:04d}-{month:02d}-{match['day']} {match['hour']}:{match['minute']}"


def read_classification_line(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """Classification level, origin as written, and serial from the line opening the cable."""
    for line in lines[:12]:
        match = CLASSIFICATION_LINE.match(line)
        if not match:
            continue
        level = match.group("level").replace(" ", "")
        rest = re.sub(r"\bE F T O\b|\bSECTION \d+ OF \d+|\bSIPDIS\b", " ", match.group("rest"))
        place = _LINE_ORIGIN_SERIAL.search(rest)
        if place:
            return level, place.group("origin").strip(), place.group("serial")
        return level, None, None
    return None, None, None


def read_fm_line(routing: str) -> str | None:
    """The sender as the FM line writes it: ``FM AMEMBASSY CAIRO`` -> ``AMEMBASSY CAIRO``."""
    match = re.search(r"(?m)^\s*FM\s+(?P<sender>.+?)\s*$", routing)
    return match.group("sender") if match else None
