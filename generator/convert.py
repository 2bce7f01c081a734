"""The per-page stages in one call: bytes of a page -> Document (load, detect, strip, parse)."""

from __future__ import annotations

from pathlib import Path

from cleansite.boilerplate import Boilerplate
from cleansite.load import PageUnreadable, decode_page, read_page_bytes
from cleansite.model import Document, PageError
from cleansite.parse import parse_page
from cleansite.sources import detect_source
from cleansite.strip import strip_page


class NoDocument(ValueError):
    """A readable page that holds no document (only artefacts)."""


def convert_bytes(path: Path, data: bytes, record_removed: bool = True, boilerplate: Boilerplate | None = None) -> Document:
    """Detect, strip and parse one page's bytes; raise PageUnreadable or NoDocument with the reason.

    ``boilerplate``: the lines repeated across the pages of each site of the collection.
    """
    raw = decode_page(path, data)
    source = detect_source(raw)
    site = boilerplate.site_of(raw.text, source) if boilerplate else None
    document = parse_page(strip_page(raw, source, record_removed, site))
    if not document.blocks and not document.header:
        raise NoDocument(f"no document on the page ({source.name}: only artefacts)")
    if not document.id and not document.header and not any(b.number for b in document.blocks):
        raise NoDocument(f"no document on the page ({source.name}: no cable header, ID or numbered paragraph)")
    return document


def convert_page(path: Path, record_removed: bool = True) -> Document:
    """Load and convert one page file."""
    return convert_bytes(path, read_page_bytes(path), record_removed)


def convert_or_error(
    path: Path, data: bytes | None = None, record_removed: bool = True, boilerplate: Boilerplate | None = None
) -> Document | PageError:
    """Like convert_bytes, but a page that fails gives a PageError instead of raising."""
    try:
        return convert_bytes(path, read_page_bytes(path) if data is None else data, record_removed, boilerplate)
    except NoDocument as error:
        return PageError(path, str(error), skipped=True)
    except PageUnreadable as error:
        return PageError(path, str(error))
    except Exception as error:  # a parser bug must not stop the run: report the page
        return PageError(path, f"internal error: {type(error).__name__}: {error}")
