"""Split a cable into routing header, cable header and body; read the header fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from cleansite.pagebreaks import BREAK_LINE
from cleansite.tags import is_code, is_keyword, split_tags

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
# The month also as a partial extract prints it: "121706Z Jan 06" (06MADRID76).
DATE_TIME_GROUP = re.compile(r"\b(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})Z\s+(?P<month>[A-Z]{3}|[A-Z][a-z]{2})\s+(?P<year>\d{2})\b")
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

# Keys that open a field of the cable header. "Classified By" also as typed: "Classfied By" (09ASHGABAT757).
_HEADER_KEY = re.compile(
    r"(?m)^\s*(?:E\.\s?O\.|EO\s+\d|TAGS\b|SUBJ(?:ECT)?\s*:|(?i:(?:REF)?REFS?)\b|REFTEL|REFERENCES?:|(?i:CLAS+I?FI?E?D\s+BY)|DERIVED\s+FROM)"
)
# A header field inside a line, right after the header: a flattened page ran the subject, REF and
# "Classified By" together ("... ON QIZ REF: 09 CAIRO 02239 Classified By: Econ-Political", 09CAIRO2381).
_INLINE_KEY = re.compile(r"(?<![A-Za-z])(?:(?i:clas+i?fi?e?d\s+by)\b|REFS?:\s)")
# A header whose fields a flattened page ran into one line behind other text, E.O. then TAGS
# ("ID:248885 Cable dated:2010-02-16T06:54:00C O N F I D E N T I A L ... E.O. 12958: DECL: 2020/02/16TAGS: PGOV", 10KAMPALA73).
_FLAT_HEADER = re.compile(r"E\.\s?O\.\s*1[23]\d{3}\b.{0,80}?(?<![A-Za-z])TAGS?\s*:")
# The header never runs further than this many chunks.
_MAX_HEADER_CHUNKS = 30
# Where the subject starts: "SUBJECT:", "SUBJ:", "Subject:" anywhere (flattened pages run the
# header together), or "SUBJECT" without a colon at the start of a line.
_SUBJECT_START = re.compile(r"(?:(?<![A-Za-z])(?i:subj(?:ect)?)\s*:|(?m:^\s*SUBJ(?:ECT)?\b\.?))[ \t]*")
# What ends a subject inside its line: the REF field ("PRIMEREF: A.", where a flattened page
# glued it on; "REF A)"; "Ref(s):"), "Classified By", a page-break line, or the first paragraph.
_SUBJECT_END = re.compile(
    r"""\s*(?:
        (?i:REF(?:S|TELS?|\(S\))?)\s*:                # "REF:", "REFS:", "Ref(s):", glued or not
      | (?<=\s)REFS?\s+\(?[A-Z][.)]\s                  # "REF A) LONDON 002351"
      | (?<![A-Za-z])(?i:clas+i?fi?e?d\s+by)\b            # "Classified By: Ambassador ..."
      | (?<=[A-Z])Classified\s+By\b                     # glued by a flattened page: "BAHRAINClassified By:" (08MANAMA496)
      | (?<![A-Za-z])(?i:derived\s+from)\s*:             # the classification's source instead: "Derived from: DSCG 05-1" (10TRIPOLI62)
      | (?<=\s)¶?\d{1,2}\s*[.,]\s*\((?:U|SBU|C|S|TS|LOU)\b  # the first paragraph run in: "1. (C) Summary"
      | (?<![A-Za-z])(?:E\.\s?O\.|DECL:)              # the E.O. line of a flattened header
      | (?:ENTIRE\ TEXT|THIS\ (?:CABLE|MESSAGE|TELEGRAM)\ IS)\s+SENSITIVE\ BUT  # a handling notice run on (09TRIPOLI704)
      # the handling caveat (06SAOPAULO935; 09CAIRO226: "Sensitive but Unclassified. Please handle accordingly.")
      | (?<=\s)(?i:(?:SENSITIVE\ BUT\ UNCLASSIFIED|SBU)\s*[-.,;:]?\s*(?:PLEASE\ )?(?:PROTECT|HANDLE)\ ACCORDINGLY)
      | (?<=\s)SENSITIVE\ BUT\ UNCLASSIFIED\s*$       # the caveat alone at the line's end
    )""",
    re.X,
)
# Lines that never continue a subject: header keys, paragraphs, markings, dashed lines.
_NOT_SUBJECT_LINE = re.compile(
    r"""^\s*(?:
        (?i:refs?|reftels?|ref\(s\)|references?|clas+i?fi?e?d\s+by|derived\s+from|e\.\s?o\.|eo\s+\d|tags|decl)\b
      | ¶?\d{1,3}\s*(?:\.|,(?!\s*\d{4}\b))(?:\s|\(|$) | ¶?\d{1,3}\.[A-Z]   # "1. (C)", "2.Key points"; not a date's "8, 2006"
      | ¶?\s*\((?:U|SBU|C|S|TS|LOU|FOUO)[/)]             # "(SBU) Per reftel"
      | -{3,} | SIPDIS | NOFORN | SENSITIVE\ BUT\ UNCLASSIFIED | This\ is\ an\ action
      | (?:UNCLAS|CONFIDENTIAL|SECRET)\b
    )""",
    re.X | re.I,
)
_MAX_SUBJECT_LINES = 6
# A subject line ending in a word no subject ends with goes on, even past a blank line.
_UNFINISHED = re.compile(r"(?:\b(?:THE|OF|AND|TO|A|AN|FOR|WITH|FROM|OR|ITS|THEIR)|[,&/:])\s*\\?\s*$")
_TAGS_START = re.compile(r"(?:(?<![A-Za-z])(?i:tags?)|(?<![A-Za-z])AGS(?=:))\s*:?[ \t]*")
# What ends the TAGS field inside its line (flattened headers): the subject or the REF field.
_TAGS_END = re.compile(r"(?<![A-Za-z])(?:(?i:subj(?:ect)?)\s*:|SUBJ(?:ECT)?\s|(?i:REFS?)\s*:|E\.O\.|Clas+i?fi?e?d\s+By)")
_REF_FIELD = re.compile(
    r"""(?:
        (?:^|(?<=[\s.]))(?:REFS?|REFTELS?|REF\(S\)|REFERENCES?|Refs?|Ref\(s\)|Reftels?)\s*[:.]?\s+  # "REF: ", "REF A. "
      | (?<=[A-Z0-9])REFS?:\s*                               # glued by a flattened page: "PRIMEREF: A.", "11-13REF: A."
    )(?P<value>.+?)
    # a blank line, not after ";" or a dangling letter ("C) " / "" / "STATE 02034"), nor before an
    # entry ("- (B) State 240035") or a serial ("(B) Rio de Janeiro" / "" / "00723")
    # or a line a partial extract cut ("THE HAGU..."), unless an entry follows
    (?=(?:(?<=\.\.\.)|(?<=…))\s*\n(?!\s*¶?\(?[A-Za-z][.)]\s)
      | (?<![;,\s])(?<!\b[A-Za-z]\))\s*\n\s*\n(?!\s*-?\s*¶?\(?[A-Za-z][.)]\s)(?!\s*0*\d{3,}[ \t]*(?:[,;]|\(?[A-Z][.)]\s|\n|$))
      | (?i:\bclas+i?fi?e?d\s+by\b) | \n\s*¶?\d{1,3}\s*\.\s*\( | \n\s*SENSITIVE\ BUT | \Z)""",
    re.S | re.X,
)


# Where a REF field that a flattened page ran on ends: the header's next fields (E.O., TAGS,
# SUBJECT) or the first paragraph's marking. A single letter in parentheses is an entry's
# label when the previous letter labels the entry before it ("(B) ... (C) STATE 48493"); as
# a marking it is followed by prose ("(U) This is an action request", 09TRIPOLI320's dump).
# A last entry whose post's name a blank line cut: "C) RIO" / "" / "DE JANEIRO 1291 " (04BRASILIA2680, cablemap).
_UNFINISHED_POST = re.compile(r"(?:^|[\s,;])\(?[A-Za-z][.)]\s*[A-Z][A-Z.'-]*(?:\ [A-Z][A-Z.'-]*)?\s*$")
_POST_GOES_ON = re.compile(r"[ \t]*\n(?:[ \t]*\n){1,2}[ \t]*(?P<rest>[A-Z][A-Z.'-]*(?:\ [A-Z][A-Z.'-]*){0,2}\s+0*\d{1,7}\b[^\n]*)")

_REF_RUN_ON = re.compile(
    r"""\s(?:
        (?:E\.\s?O\.\s*12958|TAGS\b|SUBJ(?:ECT)?\s*:)
      | [A-Z]{1,2}\ \d{6}Z\ [A-Z]{3}\ \d{2}                  # a routing header glued on: "P 171259Z JUN 09FM AMEMBASSY"
      | (?:UNCLAS|CONFIDENTIAL|SECRET|C\ O\ N\ F|S\ E\ C\ R)\b  # the classification line
      | \(\s*(?:SBU|LOU|FOUO|[CSU]\s*/{1,2}\s*[A-Z]+(?:\s+[A-Z]+)*)\s*\)\s
      | \(\s*(?P<letter>[CSU])\s*\)\s(?P<prose>[A-Z][a-z]+\s[a-z])?
    )""",
    re.X,
)


def split_routing(lines: list[str]) -> tuple[list[str], list[str]]:
    """The routing header lines at the top (up to a blank line or the cable text), and the rest."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not _ROUTING_START.match(lines[index]):
        return [], lines
    start = index
    while index < len(lines):
        if not lines[index].strip():
            # A blank line inside the routing header ("RR RUEHWEB", blank, "DE RUEHLP ..."): go on
            # when a routing line follows.
            after = next((i for i in range(index, min(index + 4, len(lines))) if lines[i].strip()), None)
            routing_line = _ROUTING_START.match(lines[after]) if after is not None else None
            if routing_line is None or routing_line.group(0).lstrip().startswith("This"):
                break
            index = after
        if CLASSIFICATION_LINE.match(lines[index]) or _HEADER_KEY.match(lines[index]):
            break
        index += 1
    end = index
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end], lines[end:]


def split_header(chunks: list[list[str]], is_body_start) -> int:
    """How many leading chunks form the cable header (classification line to REF list)."""
    first_body = next((i for i, chunk in enumerate(chunks) if is_body_start(chunk)), len(chunks))
    last_key = -1
    for index, chunk in enumerate(chunks[: min(first_body, _MAX_HEADER_CHUNKS)]):
        opens_cable = index == 0 and (CLASSIFICATION_LINE.match(chunk[0]) or _FLAT_HEADER.search(chunk[0]))
        has_key = any(_HEADER_KEY.search(line) for line in chunk) or (last_key == index - 1 and any(map(_INLINE_KEY.search, chunk)))
        list_goes_on = index > 0 and chunks[index - 1][-1].rstrip().endswith((";", ","))  # "REF: A 329; B 346;" / "C 353"
        if opens_cable or has_key or (last_key == index - 1 and (_continues_header(chunk) or list_goes_on)):
            last_key = index
    return last_key + 1


def _continues_header(chunk: list[str]) -> bool:
    """Chunks between header fields: SIPDIS, NOFORN, 'DEPT FOR ...', lettered REF entries and a REF
    entry's serial that a blank line parted from its post ("(C) SECSTATE" / "" / "36633", 05MADRID4026)."""
    first = chunk[0].strip()
    if len(chunk) == 1 and re.fullmatch(r"0*\d{3,8}", first):
        return True
    return bool(
        re.match(r"^(?:SIPDIS|SENSITIVE|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|[A-Z/ -]+ FOR\b|PASS\b|FOR\b|¶?\(?[A-Z][.)]\s+\S)", first)
    ) and all(line.upper() == line for line in chunk)


def read_subject(header: str) -> str | None:
    """The whole subject, its wrapped lines joined, up to where the cable ends it.

    It ends at a blank line, a header key (REF, Classified By, E.O., TAGS), the first
    paragraph, a dashed line, or (for a subject in capitals) a line in lower case; inside a
    line where a flattened page ran fields together, at ``REF:`` or ``Classified By``.
    Line-continuation backslashes are dropped.
    """
    starts = list(islice(_SUBJECT_START.finditer(header), 4))
    if not starts or not (first := _subject_from(header[starts[0].end() :])):
        return None
    later = (_subject_from(header[start.end() :]) for start in starts[1:])
    return max((s for s in later if s and _goes_on(first, s)), key=len, default=first)


def _goes_on(first: str, later: str) -> bool:
    """A later copy of the subject that goes on where the first one stopped at a line end
    ("... VICE FOREIGN" / "... vice foreign\nminister kim", 09ULAANBAATAR234), not one that
    ran into a sentence of the body ("... TURKEY THIS CABLE IS SENSITIVE ... ACCORDINGLY.")."""
    rest = later[len(first) :]
    return len(later) > len(first) and later.upper().startswith(first.upper()) and not re.search(r"\.(?:\s|$)", rest)


def whole_subject(cut: str, text: str) -> str:
    """A subject the page cut off (``NETHER...``) made whole from a later copy of the header in
    ``text`` that states it (mirrors glued the full record after a partial extract)."""
    later = (_subject_from(text[start.end() :]) for start in _SUBJECT_START.finditer(text))
    return _fullest(cut, later, str.upper)


def _fullest(cut: str, later: Iterable[str | None], same: Callable[[str], str]) -> str:
    """The longest of the ``later`` copies of a field a page cut off (``cut`` ends in "...") that start as it
    does (compared as ``same`` makes them) and are not cut themselves; ``cut`` if none goes on."""
    prefix = same(cut.rstrip(".… \n"))
    fuller = [value for value in later if value and same(value).startswith(prefix) and not value.rstrip().endswith(("...", "…"))]
    best = max(fuller, key=len, default=cut)
    return best if len(same(best)) > len(prefix) else cut


def _subject_from(text: str) -> str | None:
    lines = text.split("\n")
    skipped = 0
    while not lines[0].strip() and len(lines) > 1 and skipped < 3:  # "SUBJECT:" / blank / "UNHCR CAIRO ..." (09CAIRO1993)
        lines, skipped = lines[1:], skipped + 1
    if skipped and _NOT_SUBJECT_LINE.match(lines[0].strip()):
        return None
    taken = [lines[0]]
    for line in lines[1:_MAX_SUBJECT_LINES]:
        bare = line.replace("\\", " ").strip()
        if not bare and _UNFINISHED.search(" ".join(taken)):
            continue  # "... FUNDS TO PROTECT THE" / blank / "ENVIRONMENT - MAKING REAL PROGRESS" (09BRASILIA1460)
        if _no_words(bare) or _NOT_SUBJECT_LINE.match(bare) or BREAK_LINE.match(bare):
            break
        if (end := _SUBJECT_END.search(bare)) and end.start() and not _lower_after_capitals(taken, bare[: end.start()]):
            taken.append(bare[: end.start()])  # "DISCUSS U.S.-GCC INVESTMENT FORUM Classified By: Ambassador ..." (07MANAMA1103)
            break
        if _lower_after_capitals(taken, bare):
            break
        taken.append(line)
    text = " ".join(" ".join(taken).replace("\\", " ").split())
    if end := _SUBJECT_END.search(text):
        text = text[: end.start()]
    return text.strip(" :;,") or None


def _no_words(line: str) -> bool:
    """A blank line, or one of stray symbols that ends a subject ("<" in 10MADRID87); not the "..." of a cut one."""
    text = line.strip()
    return not any(c.isalnum() for c in text) and not (text and not text.strip(".…"))


def _lower_after_capitals(taken: list[str], line: str) -> bool:
    """A line of ordinary text after a subject written in capitals: the subject has ended."""
    so_far = " ".join(taken)
    return so_far.upper() == so_far and any(c.islower() for c in line) and sum(c.islower() for c in line) > len(line) // 3


def read_tags(header: str) -> tuple[str, ...]:
    """The TAGS, in order and each once, with the field's continuation lines, e.g. ``("PGOV", "PREL", "CH")``."""
    start = _TAGS_START.search(header)
    if not start:
        return ()
    lines = header[start.end() :].split("\n")
    value = [lines[0]]
    for line in lines[1:4]:
        bare = line.strip()
        if not bare or _TAGS_END.match(bare) or not _continues_tags(value[-1], bare):
            break
        value.append(bare)
    text = " ".join(value)
    if end := _TAGS_END.search(text):
        text = text[: end.start()]
    return split_tags(text)


def _continues_tags(previous: str, line: str) -> bool:
    """A TAGS field goes on to the next line after a trailing comma; when that line (up to a
    field run on into it: "... AF, UK SUBJECT: ...") holds tag codes, short unknown ones among
    them ("PINR, AMGT, TF, BR"); or when it ends a keyword tag ("COUNTRY" / "CLEARANCE")."""
    if previous.rstrip().endswith(","):
        return True
    if end := _TAGS_END.search(line):
        line = line[: end.start()]
    words = re.findall(r"[A-Za-z]+", line)
    if not words or line.upper() != line:
        return False
    codes = sum(1 for word in words if is_code(word))
    if codes * 2 >= len(words) and all(is_code(word) or len(word) <= 4 for word in words):
        return True
    return bool(previous.split()) and is_keyword(f"{previous.split()[-1]} {' '.join(words)}")


def read_ref_text(header: str) -> str | None:
    """The REF list as written (after ``REF:``), or None if the cable cites nothing.

    A REF field written twice, its first line then the whole list ("REF: A. NEW DELHI 878" /
    "REF: A. NEW DELHI 878 / B. NEW DELHI 877 ...", 05NEWDELHI1075), gives the whole list.
    """
    fields = list(islice(_REF_FIELD.finditer(header), 4))
    if not fields:
        return None
    field = max((f for f in fields if _flat(f.group("value")).startswith(_flat(fields[0].group("value")))), key=lambda f: len(f["value"]))
    value = field.group("value")
    if _UNFINISHED_POST.search(value) and (rest := _POST_GOES_ON.match(header, field.end("value"))):
        value = f"{value} {rest['rest']}"
    for end in _REF_RUN_ON.finditer(value):
        letter = end.group("letter")
        if letter is None or (f"({chr(ord(letter) - 1)})" not in value[: end.start()] and end.group("prose")):
            value = value[: end.start()]
            break
    return value.strip() or None


def whole_ref_text(cut: str, text: str) -> str:
    """A REF list a partial extract cut off (``A. THE HAGUE 109`` / ``...``) made whole from a later copy of the
    header in ``text`` that starts the same and goes on (10THEHAGUE114: the full record after the database row)."""
    later = (read_ref_text(text[field.start() :]) for field in _REF_FIELD.finditer(text))
    return _fullest(cut, later, _flat)


def _flat(text: str) -> str:
    """REF text for comparing two copies: no paragraph marks, one space."""
    return " ".join(text.replace("¶", " ").split())


def read_date_time_group(routing: str) -> str | None:
    """``O 040254Z FEB 10`` -> ``2010-02-04 02:54`` (UTC)."""
    match = DATE_TIME_GROUP.search(routing)
    if not match or match.group("month").upper() not in _MONTHS:
        return None
    year = int(match.group("year"))
    year += 1900 if year >= 66 else 2000
    month = _MONTHS.index(match.group("month").upper()) + 1
    return f"{year:04d}-{month:02d}-{match['day']} {match['hour']}:{match['minute']}"


# A date-time group on a line of its own (precedence first), where a printed or mailed copy of
# the cable moved it out of the routing header: "R 261341Z MAR 09" (09DOHA214).
_DATE_TIME_LINE = re.compile(r"^\s*(?:[A-Z]{1,2}\s+)?\d{6}Z\s+(?:[A-Z]{3}|[A-Z][a-z]{2})\s+\d{2}\s*$")


def find_date_time_line(lines: list[str]) -> str | None:
    """The text of the first line near the top that holds only a date-time group, or None."""
    return next((line for line in lines[:80] if _DATE_TIME_LINE.match(line)), None)


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


@dataclass(frozen=True, slots=True)
class DeLine:
    """The DE line of a routing header: ``DE RUEHCN #0028/01 0350254`` -> RUEHCN, 0028."""

    indicator: str
    serial: str


_DE_LINE = re.compile(r"(?m)^\s*DE\s+(?P<indicator>R[A-Z]{3,6})\s+#(?P<serial>\d{1,5})\b")


def read_de_line(routing: str) -> DeLine | None:
    """The routing indicator and serial of the DE line, or None if the header has none."""
    match = _DE_LINE.search(routing)
    return DeLine(match["indicator"], match["serial"]) if match else None


def read_fm_line(routing: str) -> str | None:
    """The sender as the FM line writes it: ``FM AMEMBASSY CAIRO`` -> ``AMEMBASSY CAIRO``."""
    match = re.search(r"(?m)^\s*FM\s+(?P<sender>.+?)\s*$", routing)
    return match.group("sender") if match else None
