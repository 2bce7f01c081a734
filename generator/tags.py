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


@cache
def _keywords() -> frozenset[str]:
    return frozenset(key.upper() for key in vocabulary()["keywords"])


def is_keyword(text: str) -> bool:
    """True for a keyword tag of the table, written with or without spaces (``COUNTRY CLEARANCE``)."""
    upper = " ".join(text.upper().split())
    return upper in _keywords() or upper.replace(" ", "") in _keywords()


def tag_name(tag: str) -> str | None:
    """What a tag stands for (``PREL`` -> ``External Political Relations``), or None if unknown."""
    for table in (*_TABLES, "keywords"):
        if tag in vocabulary()[table]:
            return vocabulary()[table][tag]
    return None


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
        tags.extend(_tags_of_part(words, tags))
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
            found.extend(_run_tags(run, (before + found)[-1:] == ["OVIP"]))
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
    if text.upper() in _keywords() or len(words) == 1:
        return [text]
    if all(len(word) <= 4 and word.isupper() for word in words):  # codes not in the table: "INRA INRO" (08OSLO406)
        return list(words)
    if after_ovip:
        return [f"{words[0]}, {' '.join(words[1:])}"]
    return [text]


def _as_codes(word: str) -> list[str]:
    """``PREL`` -> [PREL]; ``PHUMBA`` -> [PHUM, BA]; a word that is not made of codes -> []."""
    word = word.strip(".")
    variant = vocabulary()["variants"].get(word, "")
    if " " in variant:  # a run of codes the table spells out: "PHUMBA" -> PHUM BA
        return variant.split()
    if word in _codes():
        return [word]
    if len(word) >= 6 and word.isalpha() and word not in _keywords():
        return _segment(word) or []
    return []


def _segment(word: str) -> list[str] | None:
    """Split a run of codes typed without spaces; None unless every piece is a known code
    and at least one is a four-letter subject code (so IRAN is not IR + AN)."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for size in (4, 2, 3, 5):
            start = end - size
            if start >= 0 and best[start] is not None and word[start:end] in _codes():
                best[end] = [*best[start], word[start:end]]
                break
    pieces = best[len(word)]
    if pieces and any(len(piece) == 4 and piece in vocabulary()["subjects"] for piece in pieces):
        return pieces
    return None
