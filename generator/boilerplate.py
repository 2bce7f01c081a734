"""Lines that repeat across many pages of one site: the site's chrome, found by counting.

Navigation, menus, ads and footers are the same from page to page of a site; documents
are not. Before pages are stripped, one pass over the collection counts on how many pages
of each site group every line occurs, in bounded memory (hashes of lines, lossy counting),
and keeps the lines on at least half of a group's pages. Only text dumps take part: HTML
pages keep their chrome in markup that their rules already name.

A line of the cable's structure (routing and classification lines, SIPDIS, REF and other
header fields, numbered paragraphs, signatures: any line without lower case) is never
chrome because it repeats, and a repeated line is removed only inside a block (a run of
lines between blank lines) made of nothing but repeated lines: chrome comes in blocks of
its own, a repeated sentence inside a paragraph stays.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cleansite.load import PageUnreadable, decode_page, read_page_bytes
from cleansite.sources import Source, detect_source

# A line is the site's when it is on at least this share of the pages of its site group...
SHARE = 0.5
# ...and the group has at least this many pages (fewer say nothing about a site).
MIN_PAGES = 4
# Lossy counting's error: a count is at most this share of the group's pages too low.
_EPSILON = 0.01

# A line of the cable's own structure: never removed for repeating.
_CABLE_LINE = re.compile(
    r"""^\s*(?:
        [^a-z]*$                                    # no lower case: routing, classification, SIPDIS, signature, dashes
      | ¶?\s*\d{1,3}\s*\.\s*\S                      # numbered paragraph: "1. (U) This message contains"
      | ¶?\s*\(\s*[A-Za-z]{1,4}(?:\s*/{1,2}\s*\w+)*\s*\)\s   # marked paragraph: "(SBU) Per reftel"
      | ¶?\s*\(?[A-Za-z][.)]\s                      # lettered item or REF entry: "B. 08 CAIRO 2122", "a) the"
      | (?i:E\.\s?O\.|TAGS|SUBJ(?:ECT)?|REFS?|REFTELS?|CLASSIFIED\s+BY|DECL|DERIVED\s+FROM|REASONS?)\b  # header fields
      | (?i:(?:BEGIN|END)\s+)?(?i:SUMMARY|COMMENT|NOTE|BACKGROUND|TEXT|INTRODUCTION)\b\W*$   # "Comment", "End Summary."
    )""",
    re.X,
)
_DIGITS = re.compile(r"\d+")


def line_hash(line: str) -> int:
    """The 64-bit hash of a line, spaces normalised ("Browse by tag" and " Browse  by tag" are one line)."""
    return int.from_bytes(hashlib.blake2b(" ".join(line.split()).encode(), digest_size=8).digest(), "big")


def is_cable_line(line: str) -> bool:
    """True for a line of the cable's own structure, which is never removed for repeating."""
    return bool(_CABLE_LINE.match(line))


def site_group(text: str, source: Source) -> str:
    """The site group of a page: its source and its first line with numbers masked.

    Pages of one site share their first line (a banner, a counter such as "Currently
    released so far... 1896 / 251,287"), so unknown sites fall into groups of their own.
    """
    first = next((line for line in text.split("\n") if line.strip()), "")
    return source.name + "\0" + _DIGITS.sub("#", " ".join(first.split()))[:200]


@dataclass(frozen=True, slots=True)
class PageLines:
    """What the collection pass takes from one text dump: its site group, the hashes of its lines."""

    group: str
    hashes: frozenset[int]


def page_lines(path: Path) -> PageLines | None:
    """The lines of one page for counting; None for a page that is not a text dump (or unreadable)."""
    try:
        if _is_markup(path):  # HTML pages never take part: look at their start only
            return None
        page = decode_page(path, read_page_bytes(path))
    except (OSError, PageUnreadable):
        return None
    source = detect_source(page)
    if source.format != "text":
        return None
    return PageLines(site_group(page.text, source), frozenset(line_hash(line) for line in page.text.split("\n") if line.strip()))


def _is_markup(path: Path) -> bool:
    with path.open("rb") as page:
        return page.read(4096).lstrip()[:1] == b"<"


@dataclass(frozen=True, slots=True)
class SiteChrome:
    """The repeated lines of one site group: line hash -> pages it is on, out of ``pages``."""

    pages: int
    lines: dict[int, int]

    def digest(self) -> str:
        """What a page's stripping depends on: the set of its site's repeated lines (not their counts)."""
        return hashlib.sha256(json.dumps(sorted(self.lines)).encode()).hexdigest()[:16]

    def reason(self, line: str) -> str:
        """Why a repeated line was removed, for ``removed``."""
        return f"repeated on {self.lines[line_hash(line)]} of {self.pages} pages of the site"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """The repeated lines of every site group of a collection (only groups that have some)."""

    sites: dict[str, SiteChrome] = field(default_factory=dict)

    def site_of(self, text: str, source: Source) -> SiteChrome | None:
        """The repeated lines of the page's site group, if it has any."""
        return self.sites.get(site_group(text, source)) if self.sites else None

    def page_key(self, key: str, path: Path, data: bytes) -> str:
        """A page's cache key extended by what its stripping depends on: its site's repeated lines."""
        if not self.sites or data.lstrip()[:1] == b"<":
            return key
        try:
            page = decode_page(path, data)
        except PageUnreadable:
            return key
        site = self.site_of(page.text, detect_source(page))
        return hashlib.sha256(f"{key}\0{site.digest()}".encode()).hexdigest() if site else key


def collect(pages: Iterable[PageLines | None]) -> Boilerplate:
    """Count the lines of every page by site group and keep each group's repeated lines."""
    counters: dict[str, _LossyCounter] = {}
    for page in pages:
        if page is not None:
            counters.setdefault(page.group, _LossyCounter()).add(page.hashes)
    sites = {group: counter.site() for group, counter in counters.items() if counter.pages >= MIN_PAGES}
    return Boilerplate({group: site for group, site in sites.items() if site.lines})


class _LossyCounter:
    """Manku and Motwani's lossy counting over pages: memory grows with log(pages), not with pages.

    Every ``width`` pages, lines seen too rarely to reach ``SHARE`` are forgotten; a kept
    count is at most ``_EPSILON`` x pages too low, so the threshold is lowered by that much.
    """

    def __init__(self) -> None:
        self.pages = 0
        self.width = math.ceil(1 / _EPSILON)
        self.counts: dict[int, list[int]] = {}  # hash -> [count, largest count it may have missed]

    def add(self, hashes: frozenset[int]) -> None:
        self.pages += 1
        bucket = math.ceil(self.pages / self.width)
        for value in hashes:
            entry = self.counts.get(value)
            if entry is None:
                self.counts[value] = [1, bucket - 1]
            else:
                entry[0] += 1
        if self.pages % self.width == 0:
            self.counts = {h: entry for h, entry in self.counts.items() if entry[0] + entry[1] > bucket}

    def site(self) -> SiteChrome:
        floor = max(2, math.ceil((SHARE - (_EPSILON if self.pages > self.width else 0)) * self.pages))
        return SiteChrome(self.pages, {h: count for h, (count, _) in self.counts.items() if count >= floor})


def repeated_lines(lines: list[str], site: SiteChrome) -> set[int]:
    """Indexes of the lines that are the site's by repetition: whole blocks of repeated, non-cable lines."""
    found: set[int] = set()
    block: list[int] = []
    for index, line in enumerate([*lines, ""]):
        if line.strip():
            block.append(index)
            continue
        if block and all(line_hash(lines[i]) in site.lines and not is_cable_line(lines[i]) for i in block):
            found.update(block)
        block = []
    return found
