"""Measure the viewer's text dumps (../shared/corpus/viewer-text) against the HTML pages they were made from.

For each dump: the header fields against its table row, every word of the cable kept in
order, no site text left. The expected words come from the HTML page independently of
the pipeline: its <pre> elements by regex, as tests/test_corpus.py reads them.

Run ``python tests/viewer_text_measure.py [tune|held-out|all]`` for the figures.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cleansite import boilerplate
from cleansite.convert import convert_or_error
from cleansite.ids import normalise_id
from cleansite.load import decode_page
from cleansite.model import Document
from cleansite.records import plain_text
from cleansite.sources import detect_source
from cleansite.strip import strip_page

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DUMPS = CORPUS / "viewer-text"
_HTML_FOLDERS = ("wikileaks", "wikileaks-2010b", "wikileaks-2010")
_ROW = re.compile(r"^Reference ID\tCreated\tReleased\tClassification\tOrigin\n(?P<values>.*)$", re.M)
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)
# A page break, also when run into a line: "MANAMA 00000536  002 OF 004" (after the origin).
_BREAK = r"\s+\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\b"
# A page-break line of any origin (a quoted cable's: "MOSCOW 00000512 002 OF 002" in 09HAVANA132;
# "DUBAI 00000316  001.2 OF 003" in 09RPODUBAI316).
_BREAK_LINE = re.compile(r"^\s*[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,2}" + _BREAK + r"\s*$", re.M)
_NOTICE = "This record is a partial extract of the original cable. The full text of the original cable is not available."


def half(path: Path) -> str:
    """``tune`` or ``held-out``, by a hash of the file name (the rules were tuned on ``tune`` only)."""
    return "tune" if hashlib.sha256(path.name.encode()).digest()[0] % 2 == 0 else "held-out"


def dumps(which: str = "all") -> list[Path]:
    """The dumps of one half (or all of them), in name order."""
    return [p for p in sorted(DUMPS.glob("*.txt")) if which == "all" or half(p) == which]


def table_row(text: str) -> dict[str, str]:
    """The dump's metadata row: id, created, released, classification, origin."""
    values = _ROW.search(text).group("values").split("\t")
    return dict(zip(("id", "created", "released", "classification", "origin"), (v.strip() for v in values), strict=False))


@cache
def html_page(cable_id: str) -> Path:
    """The viewer page the dump was made from (the first folder holding the ID)."""
    for folder in _HTML_FOLDERS:
        found = sorted((CORPUS / folder).rglob(f"{cable_id}.html"))
        if found:
            return found[0]
    raise FileNotFoundError(cable_id)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


def expected_words(page: Path, cable_id: str) -> list[str]:
    """The words of the cable on the HTML page: its <pre> elements, without page breaks and the notice."""
    text = decode_page(page, page.read_bytes()).text
    pre = "\n\n".join(html.unescape(re.sub(r"</?[A-Za-z][^>]*>", "", p)) for p in _PRE.findall(text))
    origin = r"\s?".join(re.escape(c) for c in re.sub(r"^\d+|\d+$", "", cable_id))  # "THEHAGUE": "THE HAGUE"
    return words(_BREAK_LINE.sub("", re.sub(origin + _BREAK, " ", pre.replace(_NOTICE, ""))))


def in_order(expected: list[str], got: list[str]) -> bool:
    """True if ``expected`` is a subsequence of ``got``."""
    remaining = iter(got)
    return all(word in remaining for word in expected)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One dump measured: fields right, words kept in order, no site text left."""

    path: Path
    fields: bool
    words: bool
    no_site_text: bool
    note: str = ""


def site_lines(text: str) -> set[str]:
    """The sidebar, help and share lines of a dump: every non-blank line above its table row."""
    head = text[: _ROW.search(text).start()]
    return {line.strip() for line in head.split("\n") if line.strip()}


def measure(path: Path, chrome: boilerplate.Boilerplate) -> Verdict:
    """Convert one dump with its collection's repeated lines and compare it with its HTML page."""
    text = path.read_text(encoding="utf-8")
    row = table_row(text)
    document = convert_or_error(path, path.read_bytes(), boilerplate=chrome)
    if not isinstance(document, Document):
        return Verdict(path, False, False, False, document.reason)
    raw = decode_page(path, path.read_bytes())
    meta = strip_page(raw, detect_source(raw)).meta
    fields = (meta.id, meta.created, meta.classification, meta.origin) == (row["id"], row["created"], row["classification"], row["origin"])
    fields &= (document.id, document.origin, document.classification) == (normalise_id(row["id"]), row["origin"], row["classification"])
    expected, got = expected_words(html_page(row["id"]), row["id"]), words(plain_text(document))
    lines = {line.strip() for line in plain_text(document).split("\n")}
    left = (site_lines(text) & lines) - {line.strip() for line in _pre_lines(html_page(row["id"]))}
    no_site = got == expected and not left
    return Verdict(path, fields, in_order(expected, got), no_site, f"{len(got) - len(expected):+d} words; left: {sorted(left)[:3]}")


def _pre_lines(page: Path) -> list[str]:
    text = decode_page(page, page.read_bytes()).text
    return html.unescape(re.sub(r"</?[A-Za-z][^>]*>", "", "\n".join(_PRE.findall(text)))).split("\n")


def collection_chrome(paths: list[Path]) -> boilerplate.Boilerplate:
    """The repeated lines of the dumps converted together, as a build computes them."""
    return boilerplate.collect(map(boilerplate.page_lines, paths))


def main(which: str) -> None:
    paths = dumps(which)
    chrome = collection_chrome(paths)
    verdicts = [measure(path, chrome) for path in paths]
    for name in ("fields", "words", "no_site_text"):
        right = sum(getattr(v, name) for v in verdicts)
        print(f"{which}: {name}: {right} / {len(verdicts)} ({100 * right / len(verdicts):.1f} %)")
    for verdict in verdicts:
        if not (verdict.fields and verdict.words and verdict.no_site_text):
            print(" ", verdict.path.name, verdict.fields, verdict.words, verdict.no_site_text, verdict.note)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tune")
