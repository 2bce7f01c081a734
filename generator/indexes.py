"""Browsing pages: the collection at a glance, and listings by month, origin, TAG and classification.

Every listing is split into pages of at most ``PAGE_SIZE`` entries, so no page grows
with the collection; documents themselves are never put in the MkDocs navigation.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from cleansite.escape import md_text
from cleansite.model import Document

PAGE_SIZE = 500
# Names a listing page may not take: the folder's own index, and names Windows reserves.
_RESERVED = {"index", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


def index_pages(documents: list[Document], searchable: bool = True) -> Iterator[tuple[str, str]]:
    """Markdown pages (path under ``cables/``, text) for browsing the collection, one at a time.

    With ``searchable`` False they are left out of Material's search index (a sharded
    search replaces it, and indexing every listing costs MkDocs time).
    Pages are made as they are asked for: at a quarter-million documents all of them
    together would be hundreds of megabytes of text.
    """
    facets = {
        "by-date": ("Month", lambda d: [(d.created or "undated")[:7]]),
        "by-origin": ("Origin", lambda d: [d.origin or "unknown"]),
        "by-tag": ("TAG", lambda d: list(d.tags) or ["none"]),
        "by-classification": ("Classification", lambda d: [d.classification or "unknown"]),
    }
    groups = {folder: _group(documents, keys_of) for folder, (_, keys_of) in facets.items()}
    counts = {folder: Counter({key: len(docs) for key, docs in grouped.items()}) for folder, grouped in groups.items()}
    yield "index.md", _overview(len(documents), counts)
    front_matter = "" if searchable else "---\nsearch:\n  exclude: true\n---\n\n"
    for folder, (label, _) in facets.items():
        for name, text in _facet_pages(folder, label, groups[folder], newest_first=folder == "by-date"):
            yield name, front_matter + text


def _group(documents: Iterable[Document], keys_of: Callable[[Document], list[str]]) -> dict[str, list[Document]]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        for key in keys_of(document):
            groups[key].append(document)
    return groups


def slug(key: str) -> str:
    """A file name for a listing key: lower-case letters, digits and dashes, made unique by a hash if changed."""
    plain = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:60] or "x"
    if plain == key.lower() and plain not in _RESERVED and not re.search(r"-part\d+$", plain):
        return plain
    return f"{plain}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"


def _facet_pages(folder: str, label: str, groups: dict[str, list[Document]], newest_first: bool) -> Iterator[tuple[str, str]]:
    keys = sorted(groups, reverse=newest_first) if newest_first else sorted(groups, key=lambda k: (-len(groups[k]), k))
    rows = [f"| [{_cell(key)}]({slug(key)}.md) | {len(groups[key])} |" for key in keys]
    yield from _paged(folder, "index", f"Cables by {label.lower()}", f"| {label} | Documents |\n|---|---|", rows)
    for key in keys:
        documents = sorted(groups[key], key=lambda d: (d.created or "", d.id or ""))
        rows = [_document_row(d) for d in documents]
        yield from _paged(folder, slug(key), f"{label}: {key}", "| ID | Created | Origin | Subject |\n|---|---|---|---|", rows)


def _paged(folder: str, name: str, title: str, table_head: str, rows: list[str]) -> Iterator[tuple[str, str]]:
    parts = [rows[start : start + PAGE_SIZE] for start in range(0, len(rows), PAGE_SIZE)] or [[]]
    for number, part in enumerate(parts, start=1):
        heading = md_text(title) + (f" (part {number} of {len(parts)})" if len(parts) > 1 else "")
        pager = ", ".join(f"[{n}]({_part_name(name, n)})" for n in range(1, len(parts) + 1) if n != number)
        body = [f"# {heading}\n", table_head, *part]
        if pager:
            body.append(f"\nOther parts: {pager}")
        body.append("\n[Up](index.md)" if name != "index" else "\n[The collection at a glance](../index.md)")
        yield f"{folder}/{_part_name(name, number)}", "\n".join(body) + "\n"


def _part_name(name: str, number: int) -> str:
    return f"{name}.md" if number == 1 else f"{name}-part{number}.md"


def _document_row(document: Document) -> str:
    cells = [document.created or "", document.origin or "", document.title or ""]
    return f"| [{document.id}](../{document.id}.md) | " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    """Text for a table cell: escaped, and its pipes cannot end the cell."""
    return md_text(text, line_start=False).replace("|", "&#124;")


def _overview(total: int, counts: dict[str, Counter]) -> str:
    years = Counter()
    for month, count in counts["by-date"].items():
        years[month[:4]] += count
    lines = [
        "# The collection at a glance\n",
        f"**{total}** documents from **{len(counts['by-origin'])}** origins, "
        f"**{len(counts['by-tag'])}** TAGS, created {_span(counts['by-date'])}.\n",
        "Browse [by month](by-date/index.md) · [by origin](by-origin/index.md) · "
        "[by TAG](by-tag/index.md) · [by classification](by-classification/index.md)\n",
        "## Documents per year\n",
        "| Year | Documents |",
        "|---|---|",
        *[f"| {_cell(year)} | {count} |" for year, count in sorted(years.items(), reverse=True)],
        "\n## Classification\n",
        "| Classification | Documents |",
        "|---|---|",
        *[f"| [{_cell(k)}](by-classification/{slug(k)}.md) | {n} |" for k, n in counts["by-classification"].most_common()],
        "\n## Most frequent origins\n",
        "| Origin | Documents |",
        "|---|---|",
        *[f"| [{_cell(k)}](by-origin/{slug(k)}.md) | {n} |" for k, n in counts["by-origin"].most_common(15)],
        "\n## Most frequent TAGS\n",
        "| TAG | Documents |",
        "|---|---|",
        *[f"| [{_cell(k)}](by-tag/{slug(k)}.md) | {n} |" for k, n in counts["by-tag"].most_common(15)],
    ]
    return "\n".join(lines) + "\n"


def _span(by_month: Counter) -> str:
    months = sorted(m for m in by_month if m != "undated")
    return f"{months[0]} to {months[-1]}" if months else "at unknown dates"
