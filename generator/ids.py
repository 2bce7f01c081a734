"""The one canonical-ID function for cables, with its fix table kept as data (ids.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

_DATA_DIR = Path(__file__).parent

# A canonical cable ID: two-digit year, origin code, serial without leading zeros.
CABLE_ID = re.compile(r"^(?P<year>\d{2})(?P<origin>[A-Z]+)(?P<serial>[1-9]\d*|0)$")
# Text shaped like an ID as sites print it (zeros allowed): file names, table rows.
ID_TEXT = r"\d{2}[A-Z]+\d+"
ID_SHAPED = re.compile(rf"^{ID_TEXT}$")
# The name of a document's page: its canonical ID, or ``untitled-`` and 12 hex digits of its
# text's hash for a page whose ID could not be established (``records.page_id``).
UNTITLED = "untitled-"
DOCUMENT_NAME = re.compile(rf"^(?:{ID_TEXT}|{UNTITLED}[0-9a-f]{{12}})$")

# Classification-line debris the viewer sometimes glued into its IDs.
_ID_DEBRIS = re.compile(r"^(?:EFTO|S?ECTION(?:\d{2})?OF(?:\d{2})?)")


@cache
def _post_table() -> dict:
    return tomllib.loads((_DATA_DIR / "posts.toml").read_text(encoding="utf-8"))


@cache
def _fixes() -> dict[str, str]:
    """Origins as typed (letters only) -> origin code: ids.toml's fixes and posts.toml's spellings."""
    fixes = dict(_post_table().get("spellings", {}))
    fixes.update(tomllib.loads((_DATA_DIR / "ids.toml").read_text(encoding="utf-8"))["origin_fixes"])
    return fixes


@cache
def routing_indicators() -> dict[str, str]:
    """Routing indicator of the DE line -> origin code (``RUEHCN`` -> ``CHENGDU``, ``RUEHC`` -> ``STATE``)."""
    return _post_table().get("routing", {})


@cache
def not_origin_words() -> frozenset[str]:
    """Words that start a non-cable reference (EMAIL, MEMO, ...)."""
    data = tomllib.loads((_DATA_DIR / "ids.toml").read_text(encoding="utf-8"))
    return frozenset(data["not_origins"]["words"])


def has_long_serials(origin: str, year: str) -> bool:
    """Whether ``origin``'s serials ran past 9,999 in two-digit ``year``: the DE line's four digits do not make its ID."""
    years = _long_serials().get(origin, ())
    return years == "*" or year in years


@cache
def _long_serials() -> dict[str, str | list[str]]:
    return tomllib.loads((_DATA_DIR / "ids.toml").read_text(encoding="utf-8"))["long_serials"]


@cache
def posts() -> dict[str, str]:
    """Origin code -> the viewer's name of the post (``CAIRO`` -> ``Embassy Cairo``)."""
    return _post_table()["posts"]


def code_in_year(code: str, year: str) -> str:
    """The origin code a post's IDs carried in a cable year (``KYIV`` in ``06`` -> ``KIEV``)."""
    renamed = _post_table().get("renamed", {}).get(code)
    return renamed[1] if renamed and full_year(year) < renamed[0] else code


def is_post(written: str) -> bool:
    """True when ``written`` (``MEXICO CITY``, ``SECSTATE``, ``BRASILA``) names a post that sends cables."""
    code = origin_code(written)
    return code in posts() or code == "STATE" or re.sub(r"[^A-Z]", "", written.upper()) in _fixes()


def near_post(written: str) -> str | None:
    """The one post whose code a word of six letters or more misses by one letter typed, left
    out, added or swapped with the next (``COLOMOBO`` -> ``COLOMBO``), or None."""
    word = re.sub(r"[^A-Z]", "", written.upper())
    if len(word) < 6:
        return None
    found = {code for code in _codes_by_length().get(len(word), ()) if _one_apart(word, code)}
    found |= {code for size in (len(word) - 1, len(word) + 1) for code in _codes_by_length().get(size, ()) if _one_apart(word, code)}
    return found.pop() if len(found) == 1 else None


@cache
def _codes_by_length() -> dict[int, tuple[str, ...]]:
    codes: dict[int, list[str]] = {}
    for code in posts():
        codes.setdefault(len(code), []).append(code)
    return {size: tuple(group) for size, group in codes.items()}


def _one_apart(word: str, code: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours between the two."""
    if len(word) == len(code):
        diffs = [i for i, (a, b) in enumerate(zip(word, code, strict=True)) if a != b]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            first, second = diffs
            return word[first] == code[second] and word[second] == code[first]
        return len(diffs) == 1
    short, long_ = sorted((word, code), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def origin_code(written: str) -> str:
    """The origin code of cable IDs for an origin as written (``THE HAGUE`` -> ``THEHAGUE``)."""
    code = re.sub(r"[^A-Z]", "", written.upper())
    code = _ID_DEBRIS.sub("", code)
    code = _fixes().get(code, code)
    if len(code) >= 8 and code not in posts():
        return _uncut(code)
    return code


@cache
def _uncut(code: str) -> str:
    """Page-break lines cut the origin to ten characters: complete it when one post fits."""
    fits = [post for post in posts() if post.startswith(code)]
    return fits[0] if len(fits) == 1 else code


def two_digit_year(year: str | int) -> str:
    """``2009``, ``09`` or ``9`` -> ``09``."""
    return f"{int(year) % 100:02d}"


def canonical_id(year: str | int, origin: str, serial: str | int) -> str:
    """The canonical ID: ``canonical_id("09", "CHENGDU", "0300")`` -> ``09CHENGDU300``."""
    return f"{two_digit_year(year)}{origin_code(origin)}{int(serial)}"


def normalise_id(raw: str) -> str | None:
    """A canonical ID for an ID as some site printed it, or None if it is not one."""
    match = re.match(r"^\s*(\d{2})([A-Z][A-Z0-9 ]*?[A-Z])\s*0*(\d+)\s*$", raw.upper())
    if not match:
        return None
    return canonical_id(match.group(1), match.group(2), match.group(3))


def full_year(two_digits: str) -> int:
    """The year of a two-digit cable year: cables run from 1966 to 2010."""
    value = int(two_digits)
    return 1900 + value if value >= 66 else 2000 + value
