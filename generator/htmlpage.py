"""A cable page's HTML made straight from its Document: the HTML Python-Markdown makes of ``render.render_document``.

``render.py`` writes a document's page as Markdown, and MkDocs turns that Markdown back into
HTML with Python-Markdown (``attr_list``, ``md_in_html``, ``toc``) at about 14 ms of CPU a
page. This module makes the same HTML, byte for byte, from the same Document with the same
escaping, in a fraction of that: one function per part of the page, each named as the one
of ``render.py`` it mirrors (``tests/test_direct_html.py`` compares the two on the shared
corpus and on generated text).

Links are not resolved here. The body is kept as HTML pieces with each link's target
between them, as the Markdown writes it (``10TRIPOLI72.md#p3``), so that MkDocs resolves
and checks every link as it does in Markdown (``directpage.py``). A document holding text
whose rendering this module does not reproduce (whitespace other than spaces, control
characters, Markdown syntax inside a marking) gets None: MkDocs renders its Markdown.
"""

from __future__ import annotations

import re
from functools import cache

from cleansite.escape import inline_html_text, pre_text
from cleansite.htmlparts import HtmlPage, NotPlain, PageBuilder, attribute_value, html_of, link, whole_line
from cleansite.htmlparts import inline_text as _inline
from cleansite.indexes import month_of, slug, year_of
from cleansite.link import TextLink, reference_anchors
from cleansite.model import Block, Document, Link, Reference
from cleansite.neighbours import Neighbours
from cleansite.render import DocumentLinks, RenderContext, classification_level, external_url, front_matter, page_title, spans_by_block
from cleansite.show import shown
from cleansite.sourcelink import shown_link, source_url
from cleansite.tags import tag_name

# Text put inside raw HTML in the Markdown (markings, classifications, TAG names), which Markdown
# still reads: only characters it leaves alone there (one "*" cannot make emphasis).
_INERT = re.compile(r"[A-Za-z0-9 /.,:;()'\"&<>+?!=%$@-]*\*?[A-Za-z0-9 /.,:;()'\"&<>+?!=%$@-]*")
# A code fence, which the fenced_code extension looks for at the start of any line (raw HTML too;
# "`" is escaped in text, not in raw HTML).
_FENCE = re.compile(r"^(?:~~~|```)", re.M)


def html_page(document: Document, context: RenderContext, links: DocumentLinks | None = None) -> HtmlPage | None:
    """The HTML of ``render_document(document, context, links)`` as MkDocs makes it, or None (see the module)."""
    links = links or DocumentLinks()
    page = PageBuilder()
    try:
        page.heading(1, [_inline(page_title(document))])
        page.block(_metadata_card(document, source_url(document, context.source_url)))
        if document.references:
            _reference_list(page, document.references, context)
        if document.header:
            page.raw(f'<pre class="cable-header" id="header">{_pre_text(document.header)}</pre>', "header")
        _render_blocks(page, document.blocks, spans_by_block(links.in_text))
        if links.cited_by:
            _cited_by(page, links.cited_by, context)
        if links.neighbours:
            page.block(_neighbour_links(document, links.neighbours))
    except NotPlain:
        return None
    return page.finish(front_matter(document, context.sharded_search))


def _starting_a_line(pieces: list[str]) -> list[str]:
    """The pieces of a block whose text starts its Markdown line: not with a code fence, which would start a code block."""
    if _FENCE.match(html_of(pieces)):
        raise NotPlain(pieces[0])
    return pieces


def _inert(text: str) -> str:
    """Text for raw HTML inside Markdown (Markdown still reads it): only what it leaves alone."""
    if not _INERT.fullmatch(text):
        raise NotPlain(text)
    return inline_html_text(text)


def _pre_text(text: str) -> str:
    """The text of a raw ``<pre>`` block as Python-Markdown passes it on: lines of spaces only are emptied
    (tabs it would expand, line ends it would change, its placeholders and code fences: not reproduced)."""
    if any(character in text for character in "\t\r\x02\x03"):
        raise NotPlain(text)
    return re.sub(r"(?<=\n) +\n", "\n", pre_text(text))


def _metadata_card(document: Document, source_page: str | None = None) -> list[str]:
    rows = [
        ("Reference ID", [_inline(document.id, False)] if document.id else None),
        ("Created", _created(document.created)),
        ("Released", [_inline(document.released, False)] if document.released else None),
        ("Origin", _listinglink("by-origin", document.origin)),
        ("Classification", _classification(document.classification)),
        ("TAGS", _tag_links(document.tags)),
        ("Subject", [_inline(document.subject, False)] if document.subject else None),
        ("Source", [_inline(f"{document.source}: {shown(document.path.name)}", False), *_source_link(source_page)]),
    ]
    cable = f' data-cable-id="{attribute_value(document.id)}"' if document.id else ""
    pieces = [f'<dl class="cable-meta"{cable} data-classification="{classification_level(document.classification)}">']
    for name, value in rows:
        if value:
            pieces += [f"\n<dt>{name}</dt>\n<dd>", *whole_line(value), "</dd>"]
    return [*pieces, "\n</dl>"]


def _source_link(url: str | None) -> list[str]:
    """`` · `` and the link to the page the document was scraped from, as ``sourcelink.markdown_link`` writes it."""
    if not url:
        return []
    host, target = shown_link(url)
    return [" · ", *link([_inline(host, False)], target, **{"class": "source-link", "rel": "nofollow"})]


def _listinglink(folder: str, key: str | None, text: str | None = None) -> list[str] | None:
    if not key:
        return None
    return link([_inline(text or key, False)], f"{folder}/{slug(key)}.md")


def _created(created: str | None) -> list[str] | None:
    if not created:
        return None
    return [f"{_inline(created, False)} UTC · ", *_listinglink("by-date", month_of(created)), " · ",
            *_listinglink("by-year", year_of(created))]  # fmt: skip


def _classification(classification: str | None) -> list[str] | None:
    if not classification:
        return None
    badge = f'<span class="classification" data-level="{classification_level(classification)}">{_inert(classification)}</span>'
    return link([badge], f"by-classification/{slug(classification)}.md")


def _tag_links(tags: tuple[str, ...]) -> list[str] | None:
    pieces: list[str] = []
    for tag in tags:
        pieces += [" "] * bool(pieces) + list(_tag_link(tag))
    return pieces or None


@cache
def _tag_link(tag: str) -> tuple[str, ...]:
    """A TAG's link, its name as its tooltip (made once per TAG in a process)."""
    name = re.sub(r'["{}]', "", tag_name(tag) or "")
    if not _INERT.fullmatch(name):  # the name is read by Markdown before attr_list takes it
        raise NotPlain(name)
    tooltip = {"title": name} if name else {}
    return tuple(link([_inline(tag, False)], f"by-tag/{slug(tag)}.md", **tooltip))


def _reference_list(page: PageBuilder, references: tuple[Reference, ...], context: RenderContext) -> None:
    page.block(["<p id=\"references\"><strong>References</strong></p>"], "references")
    items = ["<ul>"]
    anchors = reference_anchors(references)
    for reference, anchor in zip(references, anchors, strict=True):
        label = [_inline(f"{reference.label}) ")] if reference.label else []
        items += [f'\n<li id="{anchor}">', *whole_line([*label, *_reference_target(reference, context)]), "</li>"]
    page.block([*items, "\n</ul>"], *anchors)


def _reference_target(reference: Reference, context: RenderContext) -> list[str]:
    text = _inline(reference.text)
    if reference.id and context.collection.has(reference.id):
        return [*link([text], f"{reference.id}.md"), f" ({reference.id})"]
    if reference.id and context.external_url:
        url = external_url(context.external_url, reference.id)
        return [*link([text], url, **{"class": "external-ref"}), f" ({reference.id}, not in this collection)"]
    if reference.id:
        return [f'{text} <span class="missing-ref" title="not in this collection">{reference.id}</span>']
    return [text]


def _cited_by(page: PageBuilder, citations: tuple[tuple[str, str], ...], context: RenderContext) -> None:
    page.heading(2, ["Cited by"], "cited-by")
    items = ["<ul>"]
    for citing_id, anchor in citations:
        where = f"paragraph {anchor[1:]}" if re.fullmatch(r"p\d+", anchor) else "REF list" if anchor.startswith("ref") else anchor
        title = context.titles.get(citing_id, "")
        line = [*link([citing_id], f"{citing_id}.md#{anchor}"), f", {_inline(where, False)}: {_inline(title, False)}"]
        items += ["\n<li>", *line, "</li>"]  # a tight list's last line: a space at its end stays
    page.block([*items, "\n</ul>"])


def _neighbour_links(document: Document, neighbours: Neighbours) -> list[str]:
    pieces = ['<nav aria-label="Previous and next cables" class="cable-nav">']
    for label, before, after in (
        (_listinglink("by-origin", document.origin or "unknown"), neighbours.origin_previous, neighbours.origin_next),
        (_listinglink("by-date", month_of(document.created)), neighbours.month_previous, neighbours.month_next),
    ):
        steps = [link([f"← {before}"], f"{before}.md", rel="prev")] if before else []
        steps += [link([f"{after} →"], f"{after}.md", rel="next")] if after else []
        joined = [piece for number, step in enumerate(steps) for piece in [" · "] * bool(number) + step] or ["the only one"]
        pieces += ["\n<p>", *label, ": ", *joined, "</p>"]
    return [*pieces, "\n</nav>"]


def _render_blocks(page: PageBuilder, blocks: tuple[Block, ...], spans: dict[str, list[TextLink]]) -> None:
    """The body: consecutive list items make one list."""
    items: list[str] = []
    anchors: list[str] = []
    for block in blocks:
        if block.kind == "list":
            items += [f'\n<li id="{block.anchor}">', *whole_line(_list_item(block, spans.get(block.anchor, []))), "</li>"]
            anchors.append(block.anchor)
            continue
        if items:
            page.block(["<ul>", *items, "\n</ul>"], *anchors)
            items, anchors = [], []
        _RENDERERS[block.kind](page, block, spans.get(block.anchor, []))
    if items:
        page.block(["<ul>", *items, "\n</ul>"], *anchors)


def linked_text(text: str, spans: list[TextLink]) -> list[str]:
    """The HTML of ``render.linked_text``: the text escaped, each span a link to its target."""
    out, position = [], 0
    for span in spans:
        out.append(_inline(text[position : span.start], line_start=position == 0))
        out += link([_inline(text[span.start : span.end], line_start=False)], _href(span.link))
        position = span.end
    out.append(_inline(text[position:], line_start=position == 0))
    return out


def _href(link: Link) -> str:
    page = f"{link.target_id}.md" if link.target_id else ""
    return page + (f"#{link.target_anchor}" if link.target_anchor else "")


def _heading(page: PageBuilder, block: Block, spans: list[TextLink]) -> None:
    page.heading(2, linked_text(block.text, spans), block.anchor)


def _paragraph(page: PageBuilder, block: Block, spans: list[TextLink]) -> None:
    number = []
    if block.number:
        if not re.fullmatch(r"[0-9A-Za-z]+", block.number):  # it is written into an attribute list
            raise NotPlain(block.number)
        title = f"Link to paragraph {block.number}"
        number = [*link([_inline(block.number + ".")], f"#{block.anchor}", **{"class": "para-link", "title": title}), " "]
    marking = [f'<span class="marking">({_inert(block.marking)})</span> '] if block.marking else []
    body = whole_line(_starting_a_line([*number, *marking, *linked_text(block.text, spans)]))
    page.block([f'<p class="cable-para" id="{block.anchor}">', *body, "</p>"], block.anchor)


def _list_item(block: Block, spans: list[TextLink]) -> list[str]:
    label = [_inline(block.bullet + " ")] if block.bullet and block.bullet[0] not in "-*•" else []
    marking = [f'<span class="marking">({_inert(block.marking)})</span> '] if block.marking else []
    return [*label, *marking, *linked_text(block.text, spans)]


def _text(page: PageBuilder, block: Block, spans: list[TextLink]) -> None:
    if block.preformatted:
        page.raw(f'<pre class="cable-pre" id="{block.anchor}">{_pre_text(block.text)}</pre>', block.anchor)
        return
    page.block([f'<p id="{block.anchor}">', *whole_line(_starting_a_line(linked_text(block.text, spans))), "</p>"], block.anchor)


_RENDERERS = {"heading": _heading, "paragraph": _paragraph, "text": _text}
