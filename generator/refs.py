"""Parse a cable's REF list into entries with their letter and canonical ID."""

from __future__ import annotations

import re

from cleansite.ids import canonical_id, is_post, not_origin_words, origin_code
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
    \s*0*(?P<serial>\d{1,8})(?![\d/:]|\.\d|-\d|\.\.|…)  # serial, often zero-padded; not a date, a decimal or cut ("240...")
    (?:\s*\((?P<year_after>\d{2})\))?              # year after the serial: "STATE 1234 (08)"
    (?P<more>(?:\s*(?:,|AND|&)\s*0*\d{1,8}(?![\d/:])(?!\s+[A-Z][A-Z'.-]*(?:\ [A-Z]+){0,3}\s+\d))*)  # more serials
    """,
    re.X,
)
_MORE_SERIAL = re.compile(r"\d{1,8}")


def parse_references(ref_text: str, citing_year: str | None) -> tuple[Reference, ...]:
    """Split REF text (after ``REF:``) into entries; each gets a canonical ID if it names a cable.

    Entries without a year take ``citing_year`` (two digits); an entry naming two cables
    (``STATE 41252 AND 44603``) gives two references under one letter; entries that name an
    email, memo, meeting and so on keep their text with ``id`` None. Every reference gets a
    unique anchor (``ref-a``, ``ref-a-2`` for a second cable under A, ``ref-1`` unlettered).
    """
    references: list[Reference] = []
    for label, entry in _entries(" ".join(ref_text.split())):
        named = cables_in(entry, citing_year)
        if not named:
            references.append(Reference(label, None, entry))
        for cable_id, text in named:
            references.append(Reference(label, cable_id, entry if len(named) == 1 else text))
    return _with_anchors(references)


def _entries(text: str) -> list[tuple[str | None, str]]:
    """The entries of a REF list, with their letters (None for an unlettered list)."""
    text = _DOUBLE_LABEL.sub(r"\1) ", text)
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
        year = match.group("year") or match.group("year_after") or citing_year
        if year is None:
            continue
        origin = _post_words(match.group("origin"))
        serials = [match.group("serial"), *_MORE_SERIAL.findall(match.group("more"))]
        text = entry[match.start() : match.end()].strip()
        found.extend((canonical_id(year, origin, serial), text) for serial in serials)
    return found


def _normalise(entry: str) -> str:
    """Upper case, with year typos mended: "O8 TRIPOLI" -> "08 TRIPOLI", "'08" -> "08", "0 8" -> "08".

    Every change keeps the length, so positions in the result are positions in ``entry``.
    """
    upper = entry.upper().replace("¶", " ")
    upper = re.sub(r"(?<![A-Z0-9])O(\d)(?=\s+[A-Z])", r"0\1", upper)
    upper = re.sub(r"(?<=[A-Z]{3})0(?=\s+\d)", "O", upper)  # a digit typed for a letter: "SANTIAG0 123"
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
        return last
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

