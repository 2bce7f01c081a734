"""One listing of documents as pages: paged, in two pre-rendered orders (date, subject), phone-readable.

Sorting is done by writing each listing twice, once per order, each paged at
``PAGE_SIZE`` rows: a sort then covers the whole listing (a script sorting the rows of
one page could not, once a listing has many pages), needs no server and no script, and
every page stays bounded. The cost is the listings' rows written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cleansite.escape import md_text
from cleansite.model import Summary

PAGE_SIZE = 500
SUBJECT_ORDER = "-by-subject"  # the file name suffix of a listing's subject order (``slug`` never ends so)


@dataclass(frozen=True, slots=True)
class Listing:
    """A titled table of rows in ``folder``, written to ``name.md`` (and its parts)."""

    folder: str
    name: str
    title: str
    head: str
    rows: list[str]
    intro: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    """One order of a document listing: its file name suffix, its label, and its sort key."""

    suffix: str
    label: str
    key: Callable[[Summary], tuple]


ORDERS = (
    Order("", "Created", lambda d: (d.created is None, d.created or "", d.id)),  # undated last
    Order(SUBJECT_ORDER, "Subject", lambda d: ((d.title or "").casefold(), d.created or "", d.id)),
)


def document_listings(folder: str, name: str, title: str, documents: list[Summary], intro: str = "") -> Iterator[Listing]:
    """The listing of ``documents`` once per order; the table's head links to the other order."""
    for order in ORDERS:
        ordered = sorted(documents, key=order.key)
        yield Listing(folder, name + order.suffix, title, _document_head(name, order), [_document_row(d) for d in ordered], intro)


def _document_head(name: str, current: Order) -> str:
    cells = {order.label: f"[{order.label}]({name}{order.suffix}.md)" for order in ORDERS if order is not current}
    cells[current.label] = f"{current.label} ▲"
    head = f"| {cells['Subject']} | ID | {cells['Created']} | Origin |\n|---|---|---|---|"
    return '<div class="cs-listing" markdown="1">\n\n' + head


def _document_row(document: Summary) -> str:
    cells = [document.title or "(no subject)", f"[{document.id}](../{document.id}.md)", document.created or "", document.origin or ""]
    return "| " + " | ".join(c if c.startswith("[") else cell(c) for c in cells) + " |"


def cell(text: str) -> str:
    """Text for a table cell: escaped, and its pipes cannot end the cell."""
    return md_text(text, line_start=False).replace("|", "&#124;")


def pages(listing: Listing) -> Iterator[tuple[str, str]]:
    """The listing's pages (path, Markdown), ``PAGE_SIZE`` rows each, each linking to nearby parts."""
    parts = [listing.rows[start : start + PAGE_SIZE] for start in range(0, len(listing.rows), PAGE_SIZE)] or [[]]
    closing = "\n\n</div>" if listing.head.startswith("<div") else ""
    for number, part in enumerate(parts, start=1):
        heading = md_text(listing.title) + (f" (part {number} of {len(parts)})" if len(parts) > 1 else "")
        body = [f"# {heading}\n", listing.intro, listing.head, *part]
        body = [line for line in body if line] + ([closing] if closing else [])
        if len(parts) > 1:
            body.append("\nOther parts: " + _pager(listing.name, number, len(parts)))
        body.append("\n[Up](index.md)" if listing.name != "index" else "\n[The collection at a glance](../index.md)")
        yield f"{listing.folder}/{part_name(listing.name, number)}", "\n".join(body) + "\n"


def _pager(name: str, number: int, count: int) -> str:
    """Links to the first and last parts, the three on each side, and every 25th: at most ~25 links at 251k."""
    shown = [n for n in range(1, count + 1) if n != number and (n in (1, count) or abs(n - number) <= 3 or n % 25 == 0)]
    return ", ".join(f"[{n}]({part_name(name, n)})" for n in shown)


def part_name(name: str, number: int) -> str:
    return f"{name}.md" if number == 1 else f"{name}-part{number}.md"
