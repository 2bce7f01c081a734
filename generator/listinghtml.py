"""A listing page's HTML made straight from what it shows: the HTML Python-Markdown makes of ``listings.listing_markdown``.

A listing page is a heading, a few paragraphs and a table of up to ``PAGE_SIZE`` rows;
Python-Markdown's table extension takes about 13 ms of CPU to turn such a page's Markdown
back into HTML. This writes the same bytes from the ``ListingPage`` (compared on the
corpus's listings in tests/test_direct_html.py); a page holding text it does not reproduce
gets None, and Python-Markdown renders its Markdown.
"""

from __future__ import annotations

from cleansite.htmlparts import HtmlPage, NotPlain, PageBuilder, inline_text, link, whole_line
from cleansite.listings import Heading, Link, ListingPage, Paragraph, Strong, listing_meta, row_cells


def listing_html(page: ListingPage, searchable: bool = True) -> HtmlPage | None:
    """The HTML of ``listing_markdown(page, searchable)`` as MkDocs makes it, or None."""
    builder = PageBuilder()
    try:
        builder.heading(1, [inline_text(page.heading)])
        for block in page.intro:
            if isinstance(block, Heading):
                builder.heading(2, [inline_text(block.text)])
            else:
                builder.block(_paragraph(block))
        table = _table(page)
        builder.block(['<div class="cs-listing">\n', *table, "\n</div>"] if page.wrapped else table)
        for paragraph in page.after:
            builder.block(_paragraph(paragraph))
    except NotPlain:
        return None
    return builder.finish(listing_meta(page, searchable))


def _paragraph(paragraph: Paragraph) -> list[str]:
    pieces: list[str] = []
    for position, piece in enumerate(paragraph):
        if isinstance(piece, Link):
            pieces += link([inline_text(piece.text, line_start=False)], piece.target)
        elif isinstance(piece, Strong):
            pieces.append(f"<strong>{inline_text(piece.text, line_start=False)}</strong>")
        else:
            pieces.append(inline_text(piece, line_start=position == 0))
    return ["<p>", *whole_line(pieces), "</p>"]


def _table(page: ListingPage) -> list[str]:
    """The table, as the ``tables`` extension writes it (a table without rows is left to it)."""
    if not page.rows:
        raise NotPlain(page.path)
    pieces = ["<table>\n<thead>\n<tr>\n"]
    for cell in page.head:
        pieces += ["<th>", *_cell(cell), "</th>\n"]
    pieces.append("</tr>\n</thead>\n<tbody>\n")
    for row in page.rows:
        pieces.append("<tr>\n")
        for cell in row_cells(row):
            pieces += ["<td>", *_cell(cell), "</td>\n"]
        pieces.append("</tr>\n")
    return [*pieces, "</tbody>\n</table>"]


def _cell(cell: str | Link) -> list[str]:
    """A cell's content (``listings.cell``): escaped, its pipes as ``&#124;``, the spaces at its ends dropped."""
    if isinstance(cell, Link):
        return link([inline_text(cell.text, line_start=False).replace("|", "&#124;")], cell.target)
    return [inline_text(cell, line_start=False).replace("|", "&#124;").strip(" ")]
