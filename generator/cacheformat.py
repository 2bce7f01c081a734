"""The cache's file format: checksummed JSON, read back only into the dataclasses it may hold.

The cache was pickle: whoever could write to it could run code as the user, and random
damage escaped the error handling (``unsupported pickle protocol``, ``AttributeError``).
An entry is now a header line ``cleansite-cache 6 <sha256 of the payload>`` and a JSON
payload of plain lists and strings. Any entry whose checksum or shape is wrong reads as
damaged (None), never as an exception.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cleansite.model import Block, Document, PageError, Reference

_MAGIC = b"cleansite-cache 6 "
_ERRORS = (ValueError, TypeError, KeyError, IndexError, RecursionError)


def encode(result: Document | PageError) -> bytes:
    """The bytes of a cache entry (the page's path is not stored: the caller knows it)."""
    payload = json.dumps(_data(result), separators=(",", ":")).encode("ascii")
    return _MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def decode(data: bytes, path: Path) -> Document | PageError | None:
    """The entry's result with ``path`` as its page, or None if the entry is damaged in any way."""
    header, _, payload = data.partition(b"\n")
    if header != _MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii"):
        return None
    try:
        return _result(json.loads(payload), path)
    except _ERRORS:
        return None


def _data(result: Document | PageError) -> list:
    if isinstance(result, PageError):
        return ["error", result.reason, result.skipped]
    d = result
    fields = [d.source, d.id, d.title, d.subject, d.created, d.origin, d.classification, list(d.tags), d.header]
    fields += [list(d.removed), list(d.notes), list(d.removed_reasons), d.released, d.source_url]
    references = [[r.label, r.id, r.text, r.anchor] for r in d.references]
    blocks = [[b.kind, b.anchor, b.text, b.number, b.marking, b.bullet, b.preformatted] for b in d.blocks]
    return ["document", fields, references, blocks]


def _result(data: list, path: Path) -> Document | PageError:
    if data[0] == "error":
        _, reason, skipped = data
        return PageError(path, _text(reason), _flag(skipped))
    kind, fields, references, blocks = data
    if kind != "document":
        raise ValueError(kind)
    source, doc_id, title, subject, created, origin, classification, tags, header, removed, notes, reasons, released, source_url = fields
    return Document(
        path, _text(source), *map(_optional, (doc_id, title, subject, created, origin, classification)),
        tuple(map(_text, tags)), tuple(_reference(r) for r in _rows(references, 4)),
        _text(header), tuple(_block(b) for b in _rows(blocks, 7)), tuple(map(_text, removed)), tuple(map(_text, notes)),
        tuple(map(_text, reasons)),
        _optional(released), _optional(source_url),
    )  # fmt: skip


def _reference(row: list) -> Reference:
    label, doc_id, text, anchor = row
    return Reference(_optional(label), _optional(doc_id), _text(text), _text(anchor))


def _block(row: list) -> Block:
    kind, anchor, text, number, marking, bullet, preformatted = row
    return Block(_text(kind), _text(anchor), _text(text), _optional(number), _optional(marking), _optional(bullet), _flag(preformatted))


def _rows(rows: list, width: int) -> list[list]:
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == width for r in rows):
        raise ValueError("malformed rows")
    return rows


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _optional(value) -> str | None:
    return None if value is None else _text(value)


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected a flag")
    return value
