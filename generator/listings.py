"""One listing of documents as pages: paged, in two pre-rendered orders (date, subject), phone-readable.

Sorting is done by writing each listing twice, once per order, each paged at
``PAGE_SIZE`` rows: a sort then covers the whole listing (a script sorting the rows of
one page could not, once a listing has many pages), needs no server and no script, and
every page stays bounded. The cost is the listings' rows written twice.

A listing is kept as what it shows (``Listing``: text, links, table cells), not as Markdown:
``listing_markdown`` writes a page of it as Markdown, ``listinghtml`` as the HTML
Python-Markdown makes of that Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cleansite.escape import front_matter_text, html_text, md_text
from cleansite.model import Summary

PAGE_SIZE = 500
SUBJECT_ORDER = "-by-subject"  # the file name suffix of a listing's subject order (``slug`` never ends so)


@dataclass(frozen=True, slots=True)
class Link:
    """A link: its text, and its target as the Markdown writes it (a page relative to the listing's)."""

    text: str
    target: str


@dataclass(frozen=True, slots=True)
class Strong:
    """Text in bold."""

    text: str


Inline = str | Link | Strong  # a str is text, shown literally


@dataclass(frozen=True, slots=True)
class Heading:
    """A second-level heading."""

    text: str


Paragraph = tuple[Inline, ...]
Block = Paragraph | Heading
Row = tuple[str | Link, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """A titled table of rows in ``folder``, written to ``name.md`` (and its parts); ``wrapped``: in the
    ``cs-listing`` box (document listings: stacked rows at phone width). A row is its cells, or the
    document it shows (``row_cells``)."""

    folder: str
    name: str
    title: str
    head: Row
    rows: list[Row] | list[Summary]
    intro: tuple[Block, ...] = ()
    wrapped: bool = False


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One page of a listing: its path under ``cables/``, heading, blocks before the table, the table, the links after it."""

    path: str
    heading: str
    intro: tuple[Block, ...]
    head: Row
    rows: list[Row] | list[Summary]
    wrapped: bool
    after: tuple[Paragraph, ...]


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


def document_listings(folder: str, name: str, title: str, documents: list[Summary], intro: tuple[Block, ...] = ()) -> Iterator[Listing]:
    """The listing of ``documents`` once per order; the table's head links to the other order."""
    for order in ORDERS:
        ordered = sorted(documents, key=order.key)
        yield Listing(folder, name + order.suffix, title, _document_head(name, order), ordered, intro, wrapped=True)


def _document_head(name: str, current: Order) -> Row:
    cells: dict[str, str | Link] = {order.label: Link(order.label, f"{name}{order.suffix}.md") for order in ORDERS if order is not current}
    cells[current.label] = f"{current.label} ▲"
    return (cells["Subject"], "ID", cells["Created"], "Origin")


def row_cells(row: Row | Summary) -> Row:
    """The cells of a row: a document's subject, ID, date and origin, or the row itself."""
    return _document_row(row) if isinstance(row, Summary) else row


def _document_row(document: Summary) -> Row:
    return (document.title or "(no subject)", Link(document.id, f"../{document.id}.md"), document.created or "", document.origin or "")


def cell(text: str) -> str:
    """Text for a table cell: escaped, and its pipes cannot end the cell."""
    return md_text(text, line_start=False).replace("|", "&#124;")


def pages(listing: Listing) -> Iterator[ListingPage]:
    """The listing's pages, ``PAGE_SIZE`` rows each, each linking to nearby parts."""
    parts = [listing.rows[start : start + PAGE_SIZE] for start in range(0, len(listing.rows), PAGE_SIZE)] or [[]]
    for number, part in enumerate(parts, start=1):
        heading = listing.title + (f" (part {number} of {len(parts)})" if len(parts) > 1 else "")
        after = [("Other parts: ", *_pager(listing.name, number, len(parts)))] if len(parts) > 1 else []
        after.append((Link("Up", "index.md"),) if listing.name != "index" else (Link("The collection at a glance", "../index.md"),))
        path = f"{listing.folder}/{part_name(listing.name, number)}"
        yield ListingPage(path, heading, listing.intro, listing.head, part, listing.wrapped, tuple(after))


def _pager(name: str, number: int, count: int) -> list[Inline]:
    """Links to the first and last parts, the three on each side, and every 25th: at most ~25 links at 251k."""
    shown = [n for n in range(1, count + 1) if n != number and (n in (1, count) or abs(n - number) <= 3 or n % 25 == 0)]
    return [piece for position, n in enumerate(shown) for piece in [", "] * bool(position) + [Link(str(n), part_name(name, n))]]


def part_name(name: str, number: int) -> str:
    return f"{name}.md" if number == 1 else f"{name}-part{number}.md"


class RowMarkdown:
    """The Markdown of table rows, a document's made once in a run: it is in about sixteen listings."""

    def __init__(self) -> None:
        self.made: dict[int, str] = {}  # by id() of the document's Summary, which the run holds throughout

    def __call__(self, row: Row | Summary) -> str:
        if not isinstance(row, Summary):
            return _row_markdown(row)
        text = self.made.get(id(row))
        if text is None:
            text = self.made[id(row)] = _row_markdown(_document_row(row))
        return text


def listing_markdown(page: ListingPage, searchable: bool = True, rows: RowMarkdown | None = None) -> str:
    """The Markdown of a listing page (with Material's search left out of it unless ``searchable``)."""
    row_markdown = rows or (lambda row: _row_markdown(row_cells(row)))
    body = [f"# {md_text(page.heading)}\n"]
    if page.intro:
        body.append("\n\n".join(_block_markdown(block) for block in page.intro) + "\n")
    head = _row_markdown(page.head) + "\n|" + "---|" * len(page.head)
    body.append('<div class="cs-listing" markdown="1">\n\n' + head if page.wrapped else head)
    body += [row_markdown(row) for row in page.rows]
    if page.wrapped:
        body.append("\n\n</div>")
    body += ["\n" + _inline_markdown(paragraph) for paragraph in page.after]
    return front_matter_text(listing_meta(page, searchable)) + "\n" + "\n".join(body) + "\n"


def listing_meta(page: ListingPage, searchable: bool) -> dict:
    """A listing page's front matter as MkDocs reads it. Its heading may hold scraped text (an origin, a
    classification, a TAG) and MkDocs themes print the title as HTML, into <title> too: it arrives escaped."""
    return {"title": html_text(page.heading)} | ({} if searchable else {"search": {"exclude": True}})


def _block_markdown(block: Block) -> str:
    return f"## {md_text(block.text)}" if isinstance(block, Heading) else _inline_markdown(block)


def _inline_markdown(paragraph: Paragraph) -> str:
    out = []
    for position, piece in enumerate(paragraph):
        if isinstance(piece, Link):
            out.append(f"[{md_text(piece.text, line_start=False)}]({piece.target})")
        elif isinstance(piece, Strong):
            out.append(f"**{md_text(piece.text, line_start=False)}**")
        else:
            out.append(md_text(piece, line_start=position == 0))
    return "".join(out)


def _row_markdown(cells: Row) -> str:
    return "| " + " | ".join(f"[{cell(c.text)}]({c.target})" if isinstance(c, Link) else cell(c) for c in cells) + " |"
