"""Browsing pages: the collection at a glance, year pages, the TAG glossary, and listings by
month, origin, origin and year, TAG and classification.

Every listing is split into pages of at most ``PAGE_SIZE`` entries (``listings``), so no
page grows with the collection; documents themselves are never put in the MkDocs navigation.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from cleansite.listings import (
    SUBJECT_ORDER,
    Block,
    Heading,
    Inline,
    Link,
    Listing,
    ListingPage,
    RowMarkdown,
    Strong,
    cell,
    document_listings,
    listing_markdown,
    pages,
)
from cleansite.model import Summary
from cleansite.tags import tag_name

# The keys of documents without a value (no TAGS, no origin or classification, no date): their listings keep these names.
PLACEHOLDERS = frozenset({"none", "unknown", "undated"})
# Names a listing page may not take: the placeholders', the folder's own index, the glossary, and names Windows reserves.
_RESERVED = PLACEHOLDERS | {"index", "glossary", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
# Endings a name taken as it is may not have: a listing's other parts and orders, and the hash of a changed name.
_SUFFIXES = re.compile(rf"-part\d+$|{SUBJECT_ORDER}$|-[0-9a-f]{{6}}$")


def month_of(created: str | None) -> str:
    """``2010-02-04 02:54`` -> ``2010-02``: the listing key of the month (``undated`` without a date)."""
    return (created or "undated")[:7]


def year_of(created: str | None) -> str:
    """``2010-02-04 02:54`` -> ``2010``: the key of the year page (``undated`` without a date)."""
    return created[:4] if created and created[:4].isdigit() else "undated"


def origin_year(origin: str | None, year: str) -> str:
    """The key of an origin × year listing: ``Consulate Chengdu 2010``."""
    return f"{origin or 'unknown'} {year}"


# Listings of documents: folder -> (label, the keys of a document).
FACETS: dict[str, tuple[str, Callable[[Summary], list[str]]]] = {
    "by-date": ("Month", lambda d: [month_of(d.created)]),
    "by-origin": ("Origin", lambda d: [d.origin or "unknown"]),
    "by-origin-year": ("Origin and year", lambda d: [origin_year(d.origin, year_of(d.created))]),
    "by-tag": ("TAG", lambda d: list(d.tags) or ["none"]),
    "by-classification": ("Classification", lambda d: [d.classification or "unknown"]),
}


def index_pages(documents: list[Summary], searchable: bool = True) -> Iterator[tuple[str, str]]:
    """Markdown pages (path under ``cables/``, text) for browsing the collection, one at a time (``browsing_pages``)."""
    for path, markdown, _ in browsing_pages(documents, searchable):
        yield path, markdown


def browsing_pages(documents: list[Summary], searchable: bool = True) -> Iterator[tuple[str, str, ListingPage | None]]:
    """The pages for browsing the collection, one at a time: path under ``cables/``, Markdown, and the listing
    page it was written from (None for the overview, written as Markdown only).

    With ``searchable`` False they are left out of Material's search index (a sharded
    search replaces it, and indexing every listing costs MkDocs time).
    Pages are made as they are asked for: at a quarter-million documents all of them
    together would be hundreds of megabytes of text.
    """
    groups = {folder: _group(documents, keys_of) for folder, (_, keys_of) in FACETS.items()}
    counts = {folder: Counter({key: len(docs) for key, docs in grouped.items()}) for folder, grouped in groups.items()}
    yield "index.md", _overview(len(documents), counts), None
    rows = RowMarkdown()
    for listing in _all_listings(groups, counts):
        for page in pages(listing):
            yield page.path, listing_markdown(page, searchable, rows), page


def _all_listings(groups: dict[str, dict[str, list[Summary]]], counts: dict[str, Counter]) -> Iterator[Listing]:
    years = _years_by_origin(groups["by-origin-year"])
    for folder, (label, _) in FACETS.items():
        yield _key_list(folder, label, counts[folder], newest_first=folder == "by-date")
        for name, (keys, documents) in _by_file_name(groups[folder]).items():
            intro = tuple(block for key in keys for block in _origin_years(key, years.get(key, []))) if folder == "by-origin" else ()
            yield from document_listings(folder, name, f"{label}: {' · '.join(keys)}", documents, intro)
    yield from _year_pages(groups)
    yield _glossary(counts["by-tag"])


def _group(documents: Iterable[Summary], keys_of: Callable[[Summary], list[str]]) -> dict[str, list[Summary]]:
    groups: dict[str, list[Summary]] = defaultdict(list)
    for document in documents:
        for key in keys_of(document):
            groups[key].append(document)
    return groups


def _by_file_name(groups: dict[str, list[Summary]]) -> dict[str, tuple[list[str], list[Summary]]]:
    """The groups by listing file name: keys whose hashed names meet (one chance in 16 million per
    pair) share one listing rather than one overwriting the other."""
    files: dict[str, tuple[list[str], list[Summary]]] = {}
    for key, documents in groups.items():
        name = slug(key)
        if name not in files:
            files[name] = ([key], documents)
            continue
        keys, listed = files[name]
        seen = {id(document) for document in listed}
        files[name] = ([*keys, key], listed + [document for document in documents if id(document) not in seen])
    return files


def slug(key: str) -> str:
    """The file name of a listing key (``PREL`` -> ``prel``, ``Embassy Tripoli`` -> ``embassy-tripoli-a70310``).

    Lower-case letters, digits and dashes, so names differ on a case-insensitive file system
    too. A key is taken as it is only in capitals (``PREL``, ``2010-02``) or as a placeholder
    (``none``); any other key (``kpao``, ``Kpao``, a TAG ``NONE``, ``CON``) gets a hash of its exact
    text added, so two keys never share a name by case or by a reserved name.
    """
    if key in PLACEHOLDERS:
        return key
    plain = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:60] or "x"
    if key == plain.upper() and plain not in _RESERVED and not _SUFFIXES.search(plain):
        return plain
    return f"{plain}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"


def _key_list(folder: str, label: str, counts: Counter, newest_first: bool) -> Listing:
    """The folder's index: its keys with their counts (TAGS with their names)."""
    keys = sorted(counts, reverse=True) if newest_first else sorted(counts, key=lambda k: (-counts[k], k))
    if folder == "by-tag":
        rows = [(Link(k, f"{slug(k)}.md"), tag_name(k) or "", str(counts[k])) for k in keys]
        intro = (("The TAGS by frequency; the ", Link("glossary", "glossary.md"), " lists them by code."),)
        return Listing(folder, "index", "Cables by TAG", ("TAG", "Name", "Documents"), rows, intro)
    rows = [(Link(key, f"{slug(key)}.md"), str(counts[key])) for key in keys]
    return Listing(folder, "index", f"Cables by {label.lower()}", (label, "Documents"), rows)


def _years_by_origin(by_origin_year: dict[str, list[Summary]]) -> dict[str, list[tuple[str, int]]]:
    years: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for documents in by_origin_year.values():
        first = documents[0]
        years[first.origin or "unknown"].append((year_of(first.created), len(documents)))
    return years


def _origin_years(origin: str, years: list[tuple[str, int]]) -> tuple[Block, ...]:
    links = [(Link(year, f"../by-origin-year/{slug(origin_year(origin, year))}.md"), f" ({count})") for year, count in sorted(years)]
    return (("By year: ", *_joined(links, " · ")),)


def _joined(items: list[tuple[Inline, ...]], separator: str) -> list[Inline]:
    """The pieces of ``items`` with ``separator`` between items."""
    return [piece for position, item in enumerate(items) for piece in (separator,) * bool(position) + item]


def _year_pages(groups: dict[str, dict[str, list[Summary]]]) -> Iterator[Listing]:
    """``by-year/2010.md``: the year's months and its origins, each linked to its listing (bounded by 12 + origins)."""
    by_year: dict[str, list[str]] = defaultdict(list)
    for key, documents in groups["by-origin-year"].items():
        by_year[year_of(documents[0].created)].append(key)
    months = sorted((month, len(docs)) for month, docs in groups["by-date"].items())
    totals = {year: sum(len(groups["by-origin-year"][k]) for k in keys) for year, keys in by_year.items()}
    for year, keys in by_year.items():
        in_year = {k: groups["by-origin-year"][k] for k in keys}
        rows = [_origin_year_row(key, docs) for key, docs in sorted(in_year.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        month_links = [(Link(m, f"../by-date/{slug(m)}.md"), f" ({n})") for m, n in months if year_of(m) == year]
        intro = ((Strong(str(totals[year])), " documents. By month: ", *_joined(month_links, " · ")), Heading(f"Origins in {year}"))
        yield Listing("by-year", slug(year), f"Cables of {year}", ("Origin", "Documents"), rows, intro)
    year_rows = [(Link(year, f"{slug(year)}.md"), str(totals[year])) for year in sorted(totals, reverse=True)]
    yield Listing("by-year", "index", "Cables by year", ("Year", "Documents"), year_rows)


def _origin_year_row(key: str, documents: list[Summary]) -> tuple[Link, str]:
    return (Link(documents[0].origin or "unknown", f"../by-origin-year/{slug(key)}.md"), str(len(documents)))


def _glossary(tag_counts: Counter) -> Listing:
    """``by-tag/glossary.md``: every TAG of the collection by code, with its name from ``tags.toml``."""
    named = {tag: tag_name(tag) or "(not in the TAGS table)" for tag in sorted(tag_counts)}
    rows = [(Link(tag, f"{slug(tag)}.md"), name, str(tag_counts[tag])) for tag, name in named.items()]
    intro = (("TAGS (Traffic Analysis by Geography and Subject) file a cable under subjects, countries, organisations, people.",),)
    return Listing("by-tag", "glossary", "TAG glossary", ("TAG", "Name", "Documents"), rows, intro)


def _overview(total: int, counts: dict[str, Counter]) -> str:
    years = Counter()
    for month, count in counts["by-date"].items():
        years[year_of(month)] += count
    lines = [
        "# The collection at a glance\n",
        f"**{total}** documents from **{len(counts['by-origin'])}** origins, "
        f"**{len(counts['by-tag'])}** TAGS, created {_span(counts['by-date'])}.\n",
        "Browse [by year](by-year/index.md) · [by month](by-date/index.md) · [by origin](by-origin/index.md) · "
        "[by TAG](by-tag/index.md) ([glossary](by-tag/glossary.md)) · [by classification](by-classification/index.md)\n",
        "## Documents per year\n",
        "| Year | Documents |",
        "|---|---|",
        *[f"| [{cell(year)}](by-year/{slug(year)}.md) | {count} |" for year, count in sorted(years.items(), reverse=True)],
        "\n## Classification\n",
        "| Classification | Documents |",
        "|---|---|",
        *[f"| [{cell(k)}](by-classification/{slug(k)}.md) | {n} |" for k, n in counts["by-classification"].most_common()],
        "\n## Most frequent origins\n",
        "| Origin | Documents |",
        "|---|---|",
        *[f"| [{cell(k)}](by-origin/{slug(k)}.md) | {n} |" for k, n in counts["by-origin"].most_common(15)],
        "\n## Most frequent TAGS\n",
        "| TAG | Name | Documents |",
        "|---|---|---|",
        *[f"| [{cell(k)}](by-tag/{slug(k)}.md) | {cell(tag_name(k) or '')} | {n} |" for k, n in counts["by-tag"].most_common(15)],
    ]
    return "\n".join(lines) + "\n"


def _span(by_month: Counter) -> str:
    months = sorted(m for m in by_month if m != "undated")
    return f"{months[0]} to {months[-1]}" if months else "at unknown dates"
