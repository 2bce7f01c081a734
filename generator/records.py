"""The JSON contract of ``cleansite parse``: one record per page."""

from __future__ import annotations

import hashlib

from cleansite.ids import UNTITLED
from cleansite.model import Block, Document, Link, PageError
from cleansite.show import shown


def block_text(block: Block) -> str:
    """A block as plain text with its number, marking and bullet, as the cable writes it."""
    prefix = ""
    if block.kind == "paragraph" and block.number:
        prefix = f"{block.number}. "
    elif block.bullet:
        prefix = f"{block.bullet} "
    if block.marking:
        prefix += f"({block.marking}) "
    return prefix + block.text


def plain_text(document: Document) -> str:
    """The whole clean document, header then body, as plain text."""
    parts = [document.header] if document.header else []
    parts.extend(block_text(block) for block in document.blocks)
    return "\n\n".join(parts)


def plain_text_length(document: Document) -> int:
    """``len(plain_text(document))``, without making the text."""
    parts = ([len(document.header)] if document.header else []) + [_block_text_length(block) for block in document.blocks]
    return sum(parts) + 2 * max(0, len(parts) - 1)


def _block_text_length(block: Block) -> int:
    prefix = len(block.number) + 2 if block.kind == "paragraph" and block.number else len(block.bullet) + 1 if block.bullet else 0
    return prefix + (len(block.marking) + 3 if block.marking else 0) + len(block.text)


def page_id(document: Document) -> str:
    """The document's ID, or for a page whose ID could not be established a stable name made
    from its text (``untitled-3f2a9c01b7de``): the page is published, never lost."""
    if document.id:
        return document.id
    return UNTITLED + hashlib.sha1(plain_text(document).encode("utf-8")).hexdigest()[:12]


def link_record(link: Link) -> dict:
    """A link as ``{"from": anchor, "to": "ID#anchor" or "#anchor", "text"}``."""
    target = (link.target_id or "") + (f"#{link.target_anchor}" if link.target_anchor else "")
    return {"from": link.source_anchor, "to": target, "text": link.text}


def collection_record(document: Document, links: list[Link], citations: list[tuple[str, str]]) -> dict:
    """The JSON object of a page parsed with its collection: links and backlinks added."""
    record = document_record(document)
    record["links"] = [link_record(link) for link in links]
    record["cited_by"] = [{"id": doc_id, "anchor": anchor} for doc_id, anchor in citations]
    return record


def document_record(document: Document) -> dict:
    """The JSON object of a parsed page (see README, "The JSON contract")."""
    return {
        "path": shown(document.path),
        "source": document.source,
        "id": document.id,
        "subject": document.subject,
        "title": document.title,
        "created": document.created,
        "origin": document.origin,
        "classification": document.classification,
        "tags": list(document.tags),
        "references": [{"label": r.label, "id": r.id, "text": r.text} for r in document.references],
        "header": document.header,
        "blocks": [{"kind": b.kind, "anchor": b.anchor, "number": b.number, "marking": b.marking, "text": b.text} for b in document.blocks],
        "text": plain_text(document),
        "removed": list(document.removed),
        "removed_reasons": list(document.removed_reasons),
        "notes": list(document.notes),
    }


def error_record(error: PageError) -> dict:
    """The JSON object of a page that could not be parsed (or holds no document: ``skipped``)."""
    return {"path": shown(error.path), "skipped" if error.skipped else "error": shown(error.reason)}
