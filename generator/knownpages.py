"""What the last run learnt of each page, so a rebuild neither reads, parses nor links a page that did not change.

A page whose size and mtime are those the last run stamped (``cache.Stamp``, as make and
rsync do) keeps its cache key; this file keeps what the run found under each key: the page's
Summary (or PageError), its site-chrome lines when it is a text dump, the key a text dump's
site chrome gave it, and its links between documents with what they depend on (the anchors
of the cables its REF list names). A rebuild takes all that from here for unchanged pages,
and reads, parses and links only the others. Before, it read every page's cache entry twice
(to summarise, to link): most of a rebuild's time.

One JSON array per line (``known-pages.jsonl`` in the cache), written aside and renamed at
the end of a run; a damaged or missing file, or one of another generator version, is empty.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleansite.boilerplate import Boilerplate, PageLines
from cleansite.cache import Stamp, generator_version, known_key
from cleansite.link import Collection
from cleansite.model import Link, PageError, Reference, Summary
from cleansite.stages import Scanned

FILE_NAME = "known-pages.jsonl"


@dataclass(frozen=True, slots=True)
class KnownLinks:
    """A document's links to other documents and its count of links within itself, and what they were found against."""

    fingerprint: str
    between: tuple[Link, ...]
    within: int


@dataclass
class KnownPages:
    """By cache key: each page's result and links; by a text dump's own key (its bytes): its lines and chrome key."""

    results: dict[str, Summary | PageError] = field(default_factory=dict)
    links: dict[str, KnownLinks] = field(default_factory=dict)
    lines: dict[str, PageLines] = field(default_factory=dict)
    chrome_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # own key -> (chrome digest, cache key)


def read_known(cache_root: Path) -> KnownPages:
    """The pages the last run of this generator knew (none if the file is missing, damaged or another version's)."""
    known = KnownPages()
    try:
        with open(cache_root / FILE_NAME, encoding="utf-8") as lines:
            if json.loads(next(lines)) != ["cleansite known pages", generator_version()]:
                return KnownPages()
            for line in lines:
                _read_entry(known, json.loads(line))
    except (OSError, ValueError, TypeError, KeyError, IndexError, StopIteration):
        return KnownPages()
    return known


def _read_entry(known: KnownPages, entry: list) -> None:
    kind, key, *rest = entry
    if kind == "result":
        known.results[key] = _result(rest[0])
    elif kind == "links":
        fingerprint, between, within = rest
        known.links[key] = KnownLinks(fingerprint, tuple(Link(*link, "") for link in between), within)
    elif kind == "lines":
        group, hashes = rest
        known.lines[key] = PageLines(group, frozenset(hashes))
    elif kind == "chrome":
        digest, cache_key = rest
        known.chrome_keys[key] = (digest, cache_key)


def write_known(cache_root: Path, known: KnownPages) -> None:
    """Keep what this run learnt for the next one (written aside, then renamed)."""
    temporary = cache_root / f"{FILE_NAME}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(json.dumps(["cleansite known pages", generator_version()]) + "\n")
            for key, result in known.results.items():
                out.write(json.dumps(["result", key, _data(result)], ensure_ascii=False) + "\n")
            for key, links in known.links.items():
                between = [[link.source_anchor, link.target_id, link.target_anchor] for link in links.between]
                out.write(json.dumps(["links", key, links.fingerprint, between, links.within], ensure_ascii=False) + "\n")
            for key, lines in known.lines.items():
                out.write(json.dumps(["lines", key, lines.group, sorted(lines.hashes)], ensure_ascii=False) + "\n")
            for key, (digest, cache_key) in known.chrome_keys.items():
                out.write(json.dumps(["chrome", key, digest, cache_key]) + "\n")
        os.replace(temporary, cache_root / FILE_NAME)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def unchanged_pages(paths: list[Path], stamps: dict[str, Stamp]) -> dict[int, Stamp]:
    """The pages (by position) whose size and mtime are those the last run stamped, and that can still be read."""
    unchanged = {}
    for number, path in enumerate(paths):
        stamp = stamps.get(str(path))
        try:
            if stamp is not None and known_key(os.stat(path), stamp) and os.access(path, os.R_OK):
                unchanged[number] = stamp
        except OSError:
            continue
    return unchanged


def known_scan(path: Path, stamp: Stamp, lines: PageLines | None, chrome: Boilerplate, known: KnownPages) -> Scanned | None:
    """An unchanged page as the last run scanned it, if that still holds (a text dump's site chrome may have changed)."""
    key = stamp.key
    if not stamp.markup:
        digest, key = known.chrome_keys.get(stamp.key, ("", ""))
        if not key or digest != chrome_digest(lines, chrome):
            return None
    result = known.results.get(key)
    return None if result is None else Scanned(replace(result, path=path), True, key, False, stamp)


def learnt_of_scan(scanned: list[Scanned], lines: list[PageLines | None], chrome: Boilerplate) -> KnownPages:
    """What a scan learnt of its pages (their links are added by the link stage)."""
    learnt = KnownPages()
    for item, page_lines in zip(scanned, lines, strict=True):
        if not item.key:
            continue
        learnt.results[item.key] = item.result
        if item.stamp is not None and not item.stamp.markup:
            learnt.chrome_keys[item.stamp.key] = (chrome_digest(page_lines, chrome), item.key)
            if page_lines is not None:
                learnt.lines[item.stamp.key] = page_lines
    return learnt


def links_fingerprint(summary: Summary, collection: Collection) -> str:
    """What a document's links depend on beyond its own text: which cables its REF list names exist, with which anchors."""
    named = sorted({r.id for r in summary.references if r.id})
    state = [summary.key, [[doc_id, collection.anchors.get(doc_id)] for doc_id in named]]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]


def chrome_digest(lines: PageLines | None, chrome: Boilerplate) -> str:
    """The digest of a text dump's site chrome this run ("" when its site has none): what its cache key depends on."""
    site = chrome.sites.get(lines.group) if lines is not None and chrome.sites else None
    return site.digest() if site else ""


def _data(result: Summary | PageError) -> list:
    if isinstance(result, PageError):
        return ["error", result.reason, result.skipped]
    s = result
    references = [[r.label, r.id, r.text, r.anchor] for r in s.references]
    fields = [s.id, "", s.source, s.title, s.created, s.origin, s.classification, s.tags, references, s.paragraphs, s.size, s.key]
    return ["summary", [*fields, s.reference_lines, s.identified, s.notes]]  # the path ("") is the page's own, given back when read


def _result(data: list) -> Summary | PageError:
    if data[0] == "error":
        return PageError(Path(), data[1], data[2])
    fields = data[1]
    fields[8] = tuple(Reference(*reference) for reference in fields[8])
    fields[7], fields[12], fields[14] = tuple(fields[7]), tuple(fields[12]), tuple(fields[14])
    return Summary(*fields)
