"""Render a Document (and its links) as a Markdown page; one function per block kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from cleansite.escape import front_matter_text, html_text, inline_html_text, md_text, no_fence, pre_text
from cleansite.indexes import month_of, slug, year_of
from cleansite.link import Collection, TextLink, reference_anchors
from cleansite.model import Block, Document, Link, Reference
from cleansite.neighbours import Neighbours
from cleansite.records import page_id
from cleansite.show import shown
from cleansite.sourcelink import markdown_link, source_url
from cleansite.tags import tag_name

DOCS_FOLDER = "cables"
# What an external URL may hold unescaped: nothing that ends a Markdown link ( ) [ ] < > or quotes it.
_URL_SAFE = "/:?#@!$&*+,;=%-._~"


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What rendering needs to know beyond the document.

    ``collection``: the IDs with a page; ``titles``: ID -> title of the documents that
    cite this one; ``external_url``: a template such as ``https://example.org/{id}``
    for references outside the collection (None: shown as not in the collection);
    ``source_url``: the ``--source-url`` template.
    """

    collection: Collection = field(default_factory=lambda: Collection({}))
    titles: dict[str, str] = field(default_factory=dict)
    external_url: str | None = None
    sharded_search: bool = False
    source_url: str | None = None  # template for the source page of documents that do not name theirs (sourcelink.py)


@dataclass(frozen=True, slots=True)
class DocumentLinks:
    """The links of one document: spans in its blocks, who cites it (ID, anchor), its neighbours (None: not known)."""

    in_text: tuple[TextLink, ...] = ()
    cited_by: tuple[tuple[str, str], ...] = ()
    neighbours: Neighbours | None = None


def page_name(document: Document) -> str:
    """The page file name of a document, from its canonical ID alone (IDs are ``[0-9A-Z]+``), or
    the ``untitled-…`` name made from its text when it has none."""
    return f"{page_id(document)}.md"


def render_document(document: Document, context: RenderContext, links: DocumentLinks | None = None) -> str:
    """The whole Markdown page of a document: front matter, metadata card, REF list, body, cited by."""
    links = links or DocumentLinks()
    parts = [front_matter_text(front_matter(document, context.sharded_search)), f"# {md_text(page_title(document))}\n"]
    parts.append(_metadata_card(document, source_url(document, context.source_url)))
    if document.references:
        parts.append(_reference_list(document.references, context))
    if document.header:
        parts.append(f'<pre class="cable-header" id="header">{pre_text(document.header)}</pre>\n')
    parts.extend(_render_blocks(document.blocks, spans_by_block(links.in_text)))
    if links.cited_by:
        parts.append(_cited_by(links.cited_by, context))
    if links.neighbours:
        parts.append(_neighbour_links(document, links.neighbours))
    return "\n".join(parts)


def page_title(document: Document) -> str:
    """The page's title and heading: the ID, then the title (``10CHENGDU28 — CHINA: …``)."""
    title = document.title or ""
    if document.id and document.id not in title:
        return f"{document.id} — {title}" if title else document.id
    return title or document.id or "Untitled document"


def spans_by_block(spans: tuple[TextLink, ...]) -> dict[str, list[TextLink]]:
    """The links found in a document's text, by the anchor of their block."""
    by_block: dict[str, list[TextLink]] = {}
    for span in spans:
        by_block.setdefault(span.link.source_anchor, []).append(span)
    return by_block


def front_matter(document: Document, sharded_search: bool) -> dict:
    """A document page's front matter as MkDocs reads it (``htmlpage`` gives MkDocs this; ``render`` writes it as YAML)."""
    meta = {
        # MkDocs themes print the title as HTML (into <title> too): it must arrive escaped.
        "title": html_text(page_title(document)),
        "id": document.id,
        "created": document.created,
        "origin": document.origin,
        "classification": document.classification,
        "tags": list(document.tags),
    }
    if sharded_search:  # the sharded index holds the documents; Material's would load them all
        meta["search"] = {"exclude": True}
    return meta




def _metadata_card(document: Document, source_page: str | None = None) -> str:
    """The card: each field a link to its listing where there is one (md_in_html parses each value as Markdown)."""
    rows = [
        ("Reference ID", md_text(document.id, line_start=False) if document.id else None),
        ("Created", _created(document.created)),
        ("Released", md_text(document.released, line_start=False) if document.released else None),
        ("Origin", _listing_link("by-origin", document.origin)),
        ("Classification", _classification(document.classification)),
        ("TAGS", " ".join(_tag_link(tag) for tag in document.tags) or None),
        ("Subject", md_text(document.subject, line_start=False) if document.subject else None),
        ("Source", md_text(f"{document.source}: {shown(document.path.name)}", line_start=False)
         + (f" · {markdown_link(source_page)}" if source_page else "")),
    ]
    level = classification_level(document.classification)
    items = "".join(f'<dt>{name}</dt><dd markdown="span">{value}</dd>' for name, value in rows if value)
    cable = f' data-cable-id="{html_text(document.id)}"' if document.id else ""
    return f'<dl class="cable-meta" data-classification="{level}"{cable} markdown="1">{items}</dl>\n'


def classification_level(classification: str | None) -> str:
    """``SECRET//NOFORN`` -> ``secret``: the level, as a CSS-safe word."""
    level = (classification or "unknown").split("//")[0].strip().lower()
    return re.sub(r"[^a-z]+", "-", level).strip("-") or "unknown"


def _listing_link(folder: str, key: str | None, text: str | None = None) -> str | None:
    """A link to the listing page of ``key`` (as ``indexes`` names it) in ``folder``."""
    if not key:
        return None
    return f"[{md_text(text or key, line_start=False)}]({folder}/{slug(key)}.md)"


def _created(created: str | None) -> str | None:
    if not created:
        return None
    month = month_of(created)
    return f"{md_text(created, line_start=False)} UTC · {_listing_link('by-date', month)} · {_listing_link('by-year', year_of(created))}"


def _classification(classification: str | None) -> str | None:
    if not classification:
        return None
    level = classification_level(classification)
    badge = f'<span class="classification" data-level="{level}">{inline_html_text(classification)}</span>'
    return f"[{badge}](by-classification/{slug(classification)}.md)"


def _tag_link(tag: str) -> str:
    """``[PREL](by-tag/prel.md){: title="External Political Relations" }``: its name as the tooltip."""
    name = re.sub(r'["{}]', "", tag_name(tag) or "")  # what would end the attribute list
    tooltip = f'{{: title="{name}" }}' if name else ""
    return f"{_listing_link('by-tag', tag)}{tooltip}"


def _reference_list(references: tuple[Reference, ...], context: RenderContext) -> str:
    lines = ["**References**\n{: #references }\n"]
    for reference, anchor in zip(references, reference_anchors(references), strict=True):
        label = f"{reference.label}) " if reference.label else ""
        lines.append(f"- {md_text(label)}{_reference_target(reference, context)}\n  {{: #{anchor} }}")
    return "\n".join(lines) + "\n"


def _reference_target(reference: Reference, context: RenderContext) -> str:
    text = md_text(reference.text)
    if reference.id and context.collection.has(reference.id):
        return f"[{text}]({reference.id}.md) ({reference.id})"
    if reference.id and context.external_url:
        return f"[{text}]({external_url(context.external_url, reference.id)}){{: .external-ref }} ({reference.id}, not in this collection)"
    if reference.id:
        return f'{text} <span class="missing-ref" title="not in this collection">{reference.id}</span>'
    return text


def external_url(template: str, doc_id: str) -> str:
    """The URL of a document outside the collection, from the ``{id}`` template (checked by the CLI; escaped here too)."""
    return quote(template.format(id=doc_id), safe=_URL_SAFE)


def _cited_by(citations: tuple[tuple[str, str], ...], context: RenderContext) -> str:
    lines = ["## Cited by {: #cited-by }\n"]
    for citing_id, anchor in citations:
        where = f"paragraph {anchor[1:]}" if re.fullmatch(r"p\d+", anchor) else "REF list" if anchor.startswith("ref") else anchor
        title = context.titles.get(citing_id, "")
        lines.append(f"- [{citing_id}]({citing_id}.md#{anchor}), {where}: {md_text(title, line_start=False)}")
    return "\n".join(lines) + "\n"


def _neighbour_links(document: Document, neighbours: Neighbours) -> str:
    """Previous and next document within the same origin and within the same month."""
    lines = []
    for label, before, after in (
        (_listing_link("by-origin", document.origin or "unknown"), neighbours.origin_previous, neighbours.origin_next),
        (_listing_link("by-date", month_of(document.created)), neighbours.month_previous, neighbours.month_next),
    ):
        steps = [f"[← {before}]({before}.md){{: rel=prev }}" if before else "", f"[{after} →]({after}.md){{: rel=next }}" if after else ""]
        lines.append(f'<p markdown="span">{label}: {" · ".join(s for s in steps if s) or "the only one"}</p>')
    return '<nav class="cable-nav" aria-label="Previous and next cables" markdown="1">\n' + "\n".join(lines) + "\n</nav>\n"


def _render_blocks(blocks: tuple[Block, ...], spans: dict[str, list[TextLink]]) -> list[str]:
    out: list[str] = []
    previous_kind = None
    for block in blocks:
        if (block.kind == "list") != (previous_kind == "list") and previous_kind is not None:
            out.append("")
        out.append(_RENDERERS[block.kind](block, spans.get(block.anchor, [])))
        previous_kind = block.kind
    return out


def linked_text(text: str, spans: list[TextLink]) -> str:
    """Escaped Markdown of ``text`` with each span turned into a link to its target."""
    out, position = [], 0
    for span in spans:
        out.append(md_text(text[position : span.start], line_start=position == 0))
        out.append(f"[{md_text(text[span.start : span.end], line_start=False)}]({_href(span.link)})")
        position = span.end
    out.append(md_text(text[position:], line_start=position == 0))
    return "".join(out)


def _href(link: Link) -> str:
    page = f"{link.target_id}.md" if link.target_id else ""
    return page + (f"#{link.target_anchor}" if link.target_anchor else "")


def _heading(block: Block, spans: list[TextLink]) -> str:
    return f"## {linked_text(block.text, spans)} {{: #{block.anchor} }}\n"


def _paragraph(block: Block, spans: list[TextLink]) -> str:
    number = (
        f'[{md_text(block.number + ".")}](#{block.anchor}){{: .para-link title="Link to paragraph {block.number}" }} '
        if block.number
        else ""
    )
    marking = f'<span class="marking">({inline_html_text(block.marking)})</span> ' if block.marking else ""
    return no_fence(f"{number}{marking}{linked_text(block.text, spans)}") + f"\n{{: #{block.anchor} .cable-para }}\n"


def _list_item(block: Block, spans: list[TextLink]) -> str:
    label = md_text(block.bullet + " ") if block.bullet and block.bullet[0] not in "-*•" else ""
    marking = f'<span class="marking">({inline_html_text(block.marking)})</span> ' if block.marking else ""
    return f"- {label}{marking}{linked_text(block.text, spans)}\n  {{: #{block.anchor} }}"


def _text(block: Block, spans: list[TextLink]) -> str:
    if block.preformatted:
        return f'\n<pre class="cable-pre" id="{block.anchor}">{pre_text(block.text)}</pre>\n'
    return f"{no_fence(linked_text(block.text, spans))}\n{{: #{block.anchor} }}\n"


_RENDERERS: dict[str, Callable[[Block, list[TextLink]], str]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list_item,
    "text": _text,
}
