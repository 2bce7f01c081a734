"""Read a cable's TAGS field into tags, with the TAGS vocabulary kept as data (tags.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from cleansite.ids import posts

_VOCABULARY = Path(__file__).parent / "tags.toml"
_TABLES = ("subjects", "countries", "organizations", "variants")

# Words of a TAGS field that are not tags: the field's own debris.
_NOT_TAGS = {"SIPDIS", "TAGS", "TAG", "AND"}
# "OVIP (STEINBERG, JAMES B.)": a person tag written in parentheses after the code.
_PARENTHESISED = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'&/-]*")


@cache
def vocabulary() -> dict[str, dict[str, str]]:
    """The TAGS tables: ``subjects`` (PREL), ``countries`` (SP), ``organizations`` (NATO), ``variants``
    (codes as some posts misspelled them, with the code meant: kept as written), ``keywords``."""
    data = tomllib.loads(_VOCABULARY.read_text(encoding="utf-8"))
    return {table: data.get(table, {}) for table in (*_TABLES, "keywords")}


@cache
def _codes() -> frozenset[str]:
    tables = vocabulary()
    return frozenset(code for table in _TABLES for code in tables[table])


def _compact(text: str) -> str:
    """A tag's letters and digits alone: ``COUNTRY CLEARANCE``, ``COUNTRYCLEARANCE`` -> ``COUNTRYCLEARANCE``."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@cache
def _keywords() -> dict[str, str]:
    """Keyword and person tags by their letters alone -> the table's key (``ROODJOHN`` -> ``ROOD, JOHN``)."""
    return {_compact(key): key for key in vocabulary()["keywords"]}


@cache
def _keyword_words() -> frozenset[str]:
    """Every word of a keyword tag (``HUMAN``, ``RIGHTS``): the pieces a glued word may be made of."""
    return frozenset(word for key in vocabulary()["keywords"] for word in _WORD.findall(key.upper()))


def is_keyword(text: str) -> bool:
    """True for a keyword tag of the table, written with or without spaces (``COUNTRY CLEARANCE``)."""
    return _compact(text) in _keywords()


def tag_name(tag: str) -> str | None:
    """What a tag stands for (``PREL`` -> ``External Political Relations``), or None if unknown."""
    for table in (*_TABLES, "keywords"):
        if tag in vocabulary()[table]:
            return vocabulary()[table][tag]
    key = _keywords().get(_compact(tag))
    return vocabulary()["keywords"][key] if key else posts().get(_compact(tag))  # a post as a tag: "USEU BRUSSELS"


def is_code(word: str) -> bool:
    """True for a known TAGS code (``PREL``, ``SP``, ``NATO``) or a run of them typed together."""
    return bool(_as_codes(word.upper()))


def split_tags(value: str) -> tuple[str, ...]:
    """The tags of a TAGS field's text, in order, each once.

    ``PREL PGOV, SP`` -> PREL, PGOV, SP; ``KFRDKIRFCVIS`` -> KFRD, KIRF, CVIS (only when the
    run is made entirely of known codes); ``OVIP CLINTON HILLARY`` -> OVIP, "CLINTON, HILLARY";
    ``PHUM HUMAN RIGHTS`` -> PHUM, "HUMAN RIGHTS".
    """
    tags: list[str] = []
    text = value if any(c.isupper() for c in value) else value.upper()  # a header typed in lower case
    for person in _PARENTHESISED.findall(text):
        text = text.replace(f"({person})", f", ({' '.join(person.split())}),", 1)
    for part in _split_keeping_parentheses(text):
        part = part.strip()
        if part.startswith("(") and part.endswith(")"):
            tags.append(part[1:-1].strip(" ,"))
            continue
        words = _WORD.findall(part)
        if len(words) > 1 and "".join(words).upper() in posts():  # a post as a tag: "USEU BRUSSELS" (04BRUSSELS1868)
            tags.append(" ".join(words))
            continue
        tags.extend(_covered(words) or _tags_of_part(words, tags))
    return tuple(dict.fromkeys(tag for tag in tags if tag and tag.upper() not in _NOT_TAGS))


def _split_keeping_parentheses(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _tags_of_part(words: list[str], before: list[str]) -> list[str]:
    """Codes stay alone; a run of other words is a keyword tag, or a person after OVIP."""
    found: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            found.extend(_covered(run) or _run_tags(run, (before + found)[-1:] == ["OVIP"]))
            run.clear()

    for word in words:
        codes = _as_codes(word.upper())
        if codes:
            flush()
            found.extend(codes)
        else:
            run.append(word)
    flush()
    return found


def _run_tags(words: list[str], after_ovip: bool) -> list[str]:
    """A run of words that are not codes: known keywords, a person (``SURNAME, GIVEN``) or one keyword."""
    text = " ".join(words)
    if after_ovip and len(words) > 1 and "," not in text:  # a person: "OVIP BIDEN JOSEPH" -> "BIDEN, JOSEPH"
        return [f"{words[0]}, {' '.join(words[1:])}"]
    if is_keyword(text) or len(words) == 1:
        return [text]
    if all(len(word) <= 4 and word.isupper() for word in words):  # codes not in the table: "INRA INRO" (08OSLO406)
        return list(words)
    if after_ovip:
        return [f"{words[0]}, {' '.join(words[1:])}"]
    return [text]


# The most words one keyword tag has ("ENVIRONMENT SCIENCE AND TECHNOLOGY").
_LONGEST_KEYWORD = 6
# Bounds on ungluing, so a hostile line of one long word costs little: the longest word a glued run of
# tags is read from, and the longest piece (a word of a keyword tag) it may hold.
_LONGEST_GLUED, _LONGEST_PIECE = 80, 16


def _covered(words: list[str]) -> list[str] | None:
    """The tags of a run that known keyword tags and codes cover entirely, the fewest tags; else None.

    ``LABOR HUMAN RIGHTSPOLMIL`` -> LABOR, HUMAN RIGHTS, POL, MIL (04PANAMA586); ``IT ITALY NATIONAL
    ELECTIONS ITALIAN POLITICS`` -> IT, ITALY NATIONAL ELECTIONS, ITALIAN POLITICS (05ROME3585). A run with a
    word no table knows stays as the caller reads it (one keyword tag as written).
    """
    words = [piece for word in words for piece in _unglued(word)]
    back: list[tuple[int, int, list[str]] | None] = [(0, 0, [])] + [None] * len(words)  # (tags so far, start, item)
    for end in range(1, len(words) + 1):
        for start in range(max(0, end - _LONGEST_KEYWORD), end):
            item = _known(words[start:end]) if back[start] is not None else None
            if item and (back[end] is None or back[start][0] + len(item) < back[end][0]):
                back[end] = (back[start][0] + len(item), start, item)
    return _walked_back(back) if len(words) else None


def _walked_back(back: list[tuple[int, int, list[str]] | None]) -> list[str] | None:
    """The items of the best path a left-to-right search kept (each step: count, where it began, its item)."""
    if back[-1] is None:
        return None
    items, end = [], len(back) - 1
    while end:
        _, end, item = back[end]
        items.append(item)
    return [tag for item in reversed(items) for tag in item]


def _known(words: list[str]) -> list[str] | None:
    """Words that are one known tag (a keyword tag, a person as the table writes him) or a run of codes."""
    if len(words) == 1 and (codes := _as_codes(words[0].upper())):
        return codes
    key = _keywords().get(_compact("".join(words)))
    if key is None:
        return None
    return [key] if "," in key else [" ".join(words)]  # a keyword tag as written; a person with his comma


def _unglued(word: str) -> list[str]:
    """A word that is two or more tags typed together (``RIGHTSPOLMIL`` -> RIGHTS, POL, MIL), split only into
    words of keyword tags and codes, one of them a keyword word of five letters or more; else the word."""
    upper = word.upper()
    if not 6 <= len(upper) <= _LONGEST_GLUED or not upper.isalpha() or _known([word]):
        return [word]
    pieces = _keyword_words() | _codes()
    back: list[tuple[int, int, list[str]] | None] = [(0, 0, [])] + [None] * len(upper)
    for end in range(2, len(upper) + 1):
        for start in range(end - 2, max(-1, end - _LONGEST_PIECE - 1), -1):
            fits = back[start] is not None and upper[start:end] in pieces
            if fits and (back[end] is None or back[start][0] + 1 < back[end][0]):
                back[end] = (back[start][0] + 1, start, [upper[start:end]])
    split = _walked_back(back)
    if split and len(split) > 1 and any(len(p) >= 5 and p in _keyword_words() for p in split):
        return split
    return [word]


def _as_codes(word: str) -> list[str]:
    """``PREL`` -> [PREL]; ``PHUMBA`` -> [PHUM, BA]; a word that is not made of codes -> []."""
    word = word.strip(".")
    variant = vocabulary()["variants"].get(word, "")
    if " " in variant:  # a run of codes the table spells out: "PHUMBA" -> PHUM BA
        return variant.split()
    if word in _codes():
        return [word]
    if len(word) >= 6 and word.isalpha() and word not in _keywords():  # so PRIVATIZATION is no run of codes
        return _segment(word) or []
    return []


def _segment(word: str) -> list[str] | None:
    """Split a run of codes typed without spaces; None unless every piece is a known code
    and at least one is a four-letter subject code (so IRAN is not IR + AN)."""
    back: list[tuple[int, int, list[str]] | None] = [(0, 0, [])] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for size in (4, 2, 3, 5):
            start = end - size
            if start >= 0 and back[start] is not None and word[start:end] in _codes():
                back[end] = (back[start][0] + 1, start, [word[start:end]])
                break
    pieces = _walked_back(back)
    if pieces and any(len(piece) == 4 and piece in vocabulary()["subjects"] for piece in pieces):
        return pieces
    return None
