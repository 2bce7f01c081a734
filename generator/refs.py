"""Parse a cable's REF list into entries with their letter and canonical ID."""

from __future__ import annotations

import re

from cleansite.ids import CABLE_ID, canonical_id, is_post, near_post, not_origin_words, origin_code
from cleansite.model import Reference

# Where a lettered entry starts: "A) ", "B. ", "(C) ", "¶B. " (PDF text), "a. " in a list typed in
# lower case, at the start or after a separator. A letter must be followed by "." or ")" and a
# space, so "U.S." is not a label.
_LABEL = re.compile(
    r"""(?:^|(?<=[\s,;:]))          # start of the list or after a separator
        ¶?\s*\(?(?P<label>[A-Za-z])  # the letter, optionally in parentheses
        (?:\)\s*|\.(?!\w)\s+)        # closed by ")" (space optional) or "." and a space
    """,
    re.X,
)
# A letter written twice: "A. A) SECSTATE 54183", "A. (A) PARIS 7682".
_DOUBLE_LABEL = re.compile(r"(?<![A-Za-z])([A-Z])[.)]\s*\(?\1\)\s*")
# "REF A STATE 123456 REF B STATE 234567": the word REF repeated before each letter.
_REPEATED_REF = re.compile(r"(?:^|\bREFS?\s+)([A-Z])\s+(?=[A-Z0-9'(])")
_REF_WORD = re.compile(r"^(?:REFS?|REFTELS?)\s*:?\s*", re.I)

# A cable named inside an entry: "09 CHENGDU 300", "2009 MANAMA 12", "'08 STATE 12345",
# "STATE 12345 (08)", "THE HAGUE 001510", "STATE 41252 AND 44603", "TRIPOLI 33, 53".
_CABLE = re.compile(
    r"""(?<![A-Z0-9/])
    (?:(?P<year>(?:19|20)?\d{2})\s*)?              # year before the post: 08, 2008 ('08 once the apostrophe is gone)
    (?P<origin>[A-Z][A-Z.'-]*(?:\ [A-Z][A-Z.'-]*){0,3}?)  # the post, one to four words, as typed
    (?:\s*,(?=\s*\d))?                             # a comma before the serial: "PRAGUE, 1228"
    (?:\s*\((?P<year_mid>\d{2})\))?                 # year in parentheses before it: "STATE (01) 201265"
    \s*\#?\s*0*(?P<serial>\d{1,8})                   # serial, often zero-padded, sometimes after "#"
    (?:[-/](?P<year_suffix>\d{2})(?![\d/:-]))?        # year after a dash or slash: "QUITO 4525-91", "PANAMA 00789/08"
    (?![\d:]|/(?!\d{3})|\.\d|-\d|\.\.|…)             # not a date, a decimal or cut ("240..."); "/935" is one more
    (?:\s*\((?P<year_after>(?:19|20)?\d{2})\))?     # year after the serial: "STATE 1234 (08)", "THE HAGUE 3128 (2005)"
    (?:(?<=\s0\d{4})\ (?P<year_spaced>\d{2})(?=\s*(?:[,;]|$)))?  # ... or after a space, behind a five-digit serial: "AMMAN 07718 99"
    # more serials: "AND 44603", ", 53", "/935"
    (?P<more>(?:\s*(?:,|AND|&|/)\s*0*\d{1,8}(?:[-/]\d{2}(?![\d/:-]))?(?![\d:]|/(?!\d{3}))(?!\s+[A-Z][A-Z'.-]*(?:\ [A-Z]+){0,3}\s+\d))*)
    """,
    re.X,
)
_MORE_SERIAL = re.compile(r"(?P<serial>\d{1,8})(?:[-/](?P<year>\d{2})(?![\d/:-]))?")


def parse_references(ref_text: str, citing_year: str | None, citing_id: str | None = None) -> tuple[Reference, ...]:
    """Split REF text (after ``REF:``) into entries; each gets a canonical ID if it names a cable.

    Entries without a year take ``citing_year`` (two digits); an entry naming two cables
    (``STATE 41252 AND 44603``) gives two references under one letter; an entry of serials
    alone (``B. 2962 AND PREVIOUS``) names cables of the entry before it, or of the citing
    cable's post (``citing_id``) when it comes first and is lower than its serial; entries that name an
    email, memo, meeting and so on keep their text with ``id`` None. Every reference gets a
    unique anchor (``ref-a``, ``ref-a-2`` for a second cable under A, ``ref-1`` unlettered).
    """
    references: list[Reference] = []
    citing = CABLE_ID.match(citing_id or "")
    post, below = (citing.group("origin"), int(citing.group("serial"))) if citing else (None, 0)
    for label, entry in _entries(" ".join(ref_text.split())):
        named = cables_in(entry, citing_year) or _serials_alone(entry, citing_year, post, below)
        if named:
            last = CABLE_ID.match(named[-1][0])
            post, below = (last.group("origin"), 0) if last else (post, below)
        if not named:
            references.append(Reference(label, None, entry))
        for cable_id, text in named:
            references.append(Reference(label, cable_id, entry if len(named) == 1 else text))
    return _with_anchors(references)


# An entry of serials alone: "2962 AND PREVIOUS" (06MANILA3065), "A) 6307" (03ANKARA6322); and a
# serial before its post: "870 Ulaanbaatar" (06ULAANBAATAR881), "A) 377 KATHMANDU" (02KATHMANDU496).
_SERIALS_ALONE = re.compile(r"^\s*0*(?P<serials>\d{3,8}(?:\s*(?:,|AND|&|/)\s*0*\d{3,8})*)(?:\s+AND\s+PREVIOUS)?\s*$", re.I)
_SERIAL_FIRST = re.compile(r"^\s*0*(?P<serial>\d{2,8})\s+(?P<post>[A-Za-z][A-Za-z .'-]{2,30}?)\s*$")


def _serials_alone(entry: str, year: str | None, post: str | None, below: int) -> list[tuple[str, str]]:
    """Cables an entry names by serial alone (of ``post``; under ``below`` when that is the
    citing cable's own serial: "REF: 239012" in 04THEHAGUE3156 is no Hague cable), or by a
    serial before the post's name."""
    if year is None:
        return []
    if (first := _SERIAL_FIRST.match(entry)) and is_post(first["post"]):
        return [(canonical_id(year, origin_code(first["post"]), first["serial"]), entry.strip())]
    if post and (alone := _SERIALS_ALONE.match(entry)):
        serials = re.findall(r"\d+", alone["serials"])
        if not below or all(int(serial) < below for serial in serials):
            return [(canonical_id(year, post, serial), entry.strip()) for serial in serials]
    return []


def _entries(text: str) -> list[tuple[str | None, str]]:
    """The entries of a REF list, with their letters (None for an unlettered list)."""
    text = _DOUBLE_LABEL.sub(r"\1) ", text)
    text = _REF_WORD.sub("", text, count=1) or text  # the word written twice: "REF: REF (A) MADRID 3785"
    if re.search(r"\bREFS?\s+[B-Z]\s", text):
        text = _REPEATED_REF.sub(r"\1) ", text)
    labels = [m for m in _LABEL.finditer(text) if m.group("label").isupper() == text.lstrip("¶( ")[:1].isupper()]
    if labels and labels[0].start() <= 2:
        entries = []
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
            entry = _REF_WORD.sub("", text[match.end() : end].strip(" ,;"))
            if entry:
                entries.append((match.group("label").upper(), entry))
        return entries
    return [(None, part) for part in _unlabelled_parts(text)]


def _unlabelled_parts(text: str) -> list[str]:
    """Entries of an unlettered list: split at separators and where a new cable number starts."""
    upper = _normalise(text)
    starts = [m.start() for m in _cables(upper)]
    cuts = sorted({0, *starts, *(m.end() for m in re.finditer(r"[;:]\s+", text))})
    pieces = [text[a:b] for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    return [piece.strip(" ,;:") for piece in pieces if piece.strip(" ,;:")]


def cables_in(entry: str, citing_year: str | None) -> list[tuple[str, str]]:
    """The canonical IDs of the cables an entry names, each with the text naming it."""
    found = []
    upper = _normalise(entry)
    for match in _cables(upper):
        year = match.group("year") or match.group("year_mid") or match.group("year_suffix") or match.group("year_after")
        year = year or _year_spaced(match.group("year_spaced"), citing_year) or citing_year
        if year is None:
            continue
        origin = _post_words(match.group("origin"))
        text = entry[match.start() : match.end()].strip()
        found.append((canonical_id(year, origin, match.group("serial")), text))
        for more in _MORE_SERIAL.finditer(match.group("more")):
            found.append((canonical_id(more.group("year") or year, origin, more.group("serial")), text))
    return found


def _year_spaced(written: str | None, citing_year: str | None) -> str | None:
    """A year written after the serial behind a space ("AMMAN 07718 99" in 02AMMAN5966), taken only when
    it is not later than the citing cable's year (so it cannot be a page or paragraph number)."""
    if written is None or citing_year is None:
        return None
    return written if _full_year(written) <= _full_year(citing_year) else None


def _full_year(year: str) -> int:
    """``99`` -> 1999, ``02`` -> 2002: the release runs from 1966 to 2010."""
    return int(year) + (1900 if int(year) >= 66 else 2000)


# A classification marking between the post and the serial: "KUWAIT (C)02293" (03KUWAIT2545, cablemap).
_MARKING_BEFORE_SERIAL = re.compile(r"(?<=[A-Z]\s)\((?:U|C|S|SBU|LOU)\)(?=\s*\d)")


def _normalise(entry: str) -> str:
    """Upper case, with year typos mended: "O8 TRIPOLI" -> "08 TRIPOLI", "'08" -> "08", "0 8" -> "08".

    Every change keeps the length, so positions in the result are positions in ``entry``.
    """
    upper = entry.upper().replace("¶", " ")
    upper = _MARKING_BEFORE_SERIAL.sub(lambda m: " " * len(m.group(0)), upper)
    upper = re.sub(r"(?<![A-Z0-9])O(\d)(?=\s+[A-Z])", r"0\1", upper)
    upper = re.sub(r"(?<=[A-Z]{3})0(?=\s+\d)", "O", upper)  # a digit typed for a letter: "SANTIAG0 123"
    upper = re.sub(r"(?<=[A-Z]{3})0(?=[A-Z]{1,3}\s+\d)", "O", upper)  # ... inside the word: "COTON0U 348"
    upper = re.sub(r"(?<=[A-Z]{3}\s)O(?=\d{3,})", "0", upper)  # a letter typed for a digit: "LAGOS O1512"
    upper = re.sub(r"(?<=[A-Z]{3})1(?=\s+\d)", "I", upper)
    upper = re.sub(r"(?<![A-Z0-9])'(\d{2})(?=\s*[A-Z])", r" \1", upper)
    return re.sub(r"(?<![A-Z0-9])0 (\d)(?=\s+[A-Z])", r" 0\1", upper)


def _cables(upper: str):
    """Matches of cables named in upper-case text whose words name a post, left to right."""
    position, retried = 0, False
    while match := _CABLE.search(upper, position):
        # After a word that named no post ("WHITE HOUSE 853"), an unknown word is not a post either.
        if _post_words(match.group("origin"), guess=not retried):
            yield match
            position, retried = match.end(), False
        else:
            retried = True  # try again from the next word: "SEE 08 MANAMA 306", "EMBASSY PARIS 12"
            next_word = re.search(r"\s\S", upper[match.start() : match.end()])
            position = match.start() + (next_word.end() - 1 if next_word else len(match.group(0)))


def _post_words(words: str, guess: bool = True) -> str | None:
    """The words (or the last of them) that name a post: "EMBASSY MADRID" -> "MADRID".

    A single unknown word of four letters or more is taken for a post when ``guess`` is True
    (the post table may lack a small post), unless it is a word that never names one.
    """
    parts = words.split()
    for start in range(len(parts)):
        written = " ".join(parts[start:])
        if is_post(written):
            return written
    last = parts[-1] if parts else ""
    if guess and len(parts) == 1 and len(origin_code(last)) >= 4 and last not in not_origin_words():
        return near_post(last) or last
    return None


def _with_anchors(references: list[Reference]) -> tuple[Reference, ...]:
    used: dict[str, int] = {}
    result = []
    for number, reference in enumerate(references, start=1):
        base = f"ref-{reference.label.lower()}" if reference.label else f"ref-{number}"
        used[base] = used.get(base, 0) + 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        result.append(Reference(reference.label, reference.id, reference.text, anchor))
    return tuple(result)

