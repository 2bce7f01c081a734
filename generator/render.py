"""Render a Document (and its links) as a Markdown page; one function per block kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator.escape import html_text, md_text, yaml_scalar
from generator.model import Block, Document, Reference

DOCS_FOLDER = "cables"


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What rendering needs to know about the collection: which document IDs have a page."""

    known_ids: frozenset[str] = field(default_factory=frozenset)


def page_name(document: Document) -> str:
    """The page file name of a document, from its canonical ID alone (IDs are ``[0-9A-Z]+``)."""
    return f"{document.id}.md"


def render_document(document: Document, context: RenderContext) -> str:
    """The whole Markdown page of a document: front matter, metadata card, REF list, body."""
    parts = [_front_matter(document), f"# {md_text(document.title or document.id or 'Untitled document')}\n"]
    parts.append(_metadata_card(document))
    if document.references:
        parts.append(_reference_list(document.references, context))
    if document.header:
        parts.append(f'<pre class="cable-header" id="header">{html_text(document.header)}</pre>\n')
    parts.extend(_render_blocks(document.blocks))
    return "\n".join(parts)


def _front_matter(document: Document) -> str:
    fields = {
        "title": document.title or document.id or "Untitled document",
        "id": document.id,
        "created": document.created,
        "origin": document.origin,
        "classification": document.classification,
    }
    lines = ["---"]
    lines += [f"{key}: {yaml_scalar(value) if value is not None else 'null'}" for key, value in fields.items()]
    lines.append("tags: [" + ", ".join(yaml_scalar(tag) for tag in document.tags) + "]")
    lines.append("---\n")
    return "\n".join(lines)


def _metadata_card(document: Document) -> str:
    rows = [
        ("Reference ID", document.id),
        ("Created", f"{document.created} UTC" if document.created else None),
        ("Origin", document.origin),
        ("Classification", document.classification),
        ("TAGS", " ".join(document.tags) or None),
        ("Subject", document.subject),
        ("Source", f"{document.source}: {document.path.name}"),
    ]
    items = "".join(f"<dt>{name}</dt><dd>{html_text(value)}</dd>" for name, value in rows if value)
    level = (document.classification or "unknown").split("//")[0].lower().replace(" ", "-")
    return f'<dl class="cable-meta" data-classification="{html_text(level)}">{items}</dl>\n'


def _reference_list(references: Iterable[Reference], context: RenderContext) -> str:
    lines = ["**References**\n"]
    for index, reference in enumerate(references, start=1):
        label = f"{reference.label}) " if reference.label else ""
        lines.append(f"- {md_text(label)}{_reference_target(reference, context)}\n  {{: #ref-{(reference.label or str(index)).lower()} }}")
    return "\n".join(lines) + "\n"


def _reference_target(reference: Reference, context: RenderContext) -> str:
    text = md_text(reference.text)
    if reference.id and reference.id in context.known_ids:
        return f"[{text}]({reference.id}.md) ({reference.id})"
    if reference.id:
        return f'{text} <span class="missing-ref" title="not in this collection">{reference.id}</span>'
    return text


def _render_blocks(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    previous_kind = None
    for block in blocks:
        if (block.kind == "list") != (previous_kind == "list") and previous_kind is not None:
            out.append("")
        out.append(_RENDERERS[block.kind](block))
        previous_kind = block.kind
    return out


def _heading(block: Block) -> str:
    return f"## {md_text(block.text)} {{: #{block.anchor} }}\n"


def _paragraph(block: Block) -> str:
    number = (
        f'[{md_text(block.number + ".")}](#{block.anchor}){{: .para-link title="Link to paragraph {block.number}" }} '
        if block.number
        else ""
    )
    marking = f'<span class="marking">({html_text(block.marking)})</span> ' if block.marking else ""
    return f"{number}{marking}{md_text(block.text)}\n{{: #{block.anchor} .cable-para }}\n"


def _list_item(block: Block) -> str:
    label = md_text(block.bullet + " ") if block.bullet and block.bullet[0] not in "-*•" else ""
    marking = f'<span class="marking">({html_text(block.marking)})</span> ' if block.marking else ""
    return f"- {label}{marking}{md_text(block.text)}\n  {{: #{block.anchor} }}"


def _text(block: Block) -> str:
    if block.preformatted:
        return f'\n<pre class="cable-pre" id="{block.anchor}">{html_text(block.text)}</pre>\n'
    return f"{md_text(block.text)}\n{{: #{block.anchor} }}\n"


_RENDERERS: dict[str, Callable[[Block], str]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list_item,
    "text": _text,
}
