"""The library: parse a page into a Document, render it as Markdown, go over a folder, build a site.

The same stages the command line runs (``cleansite.pipeline``), as a few functions::

    from cleansite import api

    document = api.parse_page("samples/scoop/10CHENGDU28.txt")
    print(document.id, document.created, [b.anchor for b in document.blocks][:3])
    markdown = api.render(document)
    for page in api.iter_documents(["samples/"]):
        print(page.path, page.id if isinstance(page, api.Document) else page.reason)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from cleansite.config import Config
from cleansite.convert import NoDocument, convert_page
from cleansite.link import Collection, cited_by, find_links
from cleansite.load import PageUnreadable
from cleansite.model import Block, Document, Link, PageError, Reference
from cleansite.neighbours import neighbours
from cleansite.pipeline import StrictFailure, build, convert, documents, linked_documents
from cleansite.records import document_record, plain_text
from cleansite.render import DocumentLinks, RenderContext, render_document
from cleansite.report import Report
from cleansite.search import use_sharded
from cleansite.stages import LinkedDocument

__all__ = [
    "Block", "Config", "Document", "Link", "LinkedDocument", "NoDocument", "PageError", "PageUnreadable", "Reference",
    "Report", "StrictFailure", "build", "convert", "iter_documents", "iter_linked", "parse_page", "plain_text",
    "record", "render",
]  # fmt: skip


def parse_page(path: str | Path) -> Document:
    """One page file -> its Document; raises PageUnreadable or NoDocument with the reason."""
    return convert_page(Path(path))


def render(
    document: Document, collection: Iterable[Document] = (), external_url: str | None = None, search: str = "auto",
    source_url: str | None = None,
) -> str:
    """The Markdown page of ``document`` in a site holding ``collection`` (default: the document alone),
    for a site searched as ``search`` says (``auto``: cleansite's index; ``material``: Material's);
    previous/next links within ``collection``; ``source_url`` as ``--source-url``."""
    everyone = {d.id: d for d in [document, *collection] if d.id}
    index = Collection.of(everyone.values())
    links = {doc_id: [span.link for span in find_links(d, index)] for doc_id, d in everyone.items()}
    citations = tuple(cited_by(links, everyone.values()).get(document.id, ()))
    titles = {doc_id: d.title or "" for doc_id, d in everyone.items()}
    context = RenderContext(index, titles, external_url, use_sharded(search, len(everyone)), source_url)
    beside = neighbours(everyone.values()).get(document.id) if document.id else None
    return render_document(document, context, DocumentLinks(tuple(find_links(document, index)), citations, beside))


def iter_documents(pages: Iterable[str | Path], jobs: int = 1, cache_dir: str | Path | None = None) -> Iterator[Document | PageError]:
    """Every page under ``pages`` (files or folders), in path order: its Document, or a PageError saying why not."""
    return documents([Path(p) for p in pages], jobs, Path(cache_dir) if cache_dir else None)


def iter_linked(pages: Iterable[str | Path], jobs: int = 1, cache_dir: str | Path | None = None) -> Iterator[LinkedDocument]:
    """Every page with its links into the collection and the pages citing it (what ``cleansite parse`` prints)."""
    return linked_documents([Path(p) for p in pages], jobs, Path(cache_dir) if cache_dir else None)


def record(document: Document) -> dict:
    """The JSON object of a page (the contract of ``cleansite parse``, without links; ``schema/parse-record.schema.json``)."""
    return document_record(document)
