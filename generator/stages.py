"""The collection-wide run: per-page work in a process pool, streaming through the cache.

Memory holds one small Summary per document (and the links between documents), never
the text of all pages: each worker reads a document back from the cache while it works
on it. The pool is forked after the shared state is set, so workers inherit it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.cache import DocumentCache
from generator.convert import convert_or_error
from generator.link import Collection, find_links
from generator.load import PageUnreadable, read_page_bytes
from generator.model import Document, Link, PageError, Summary
from generator.pool import process_pool
from generator.records import plain_text
from generator.render import DocumentLinks, RenderContext, page_name, render_document
from generator.search import terms

_SHARED: dict = {}  # set by run_stage before the pool forks; read by the workers


def run_stage(worker: Callable, items: list, jobs: int, shared: dict, advance: Callable[[], None]) -> Iterator:
    """``worker`` over ``items`` in order, in ``jobs`` processes (in this one when jobs is 1)."""
    _SHARED.clear()
    _SHARED.update(shared)
    if jobs <= 1 or len(items) < 64:
        for item in items:
            yield worker(item)
            advance()
        return
    chunk = max(16, min(256, len(items) // (jobs * 8) or 1))
    with process_pool(jobs) as pool:
        for result in pool.map(worker, items, chunksize=chunk):
            yield result
            advance()


# --- scan: every page file -> Summary or PageError (parsed pages are cached) ------------------


@dataclass(frozen=True, slots=True)
class Scanned:
    """What scanning one page gives: its summary or error, and whether the cache had it."""

    result: Summary | PageError
    reused: bool


def scan_one(path: Path) -> Scanned:
    """Read one page; parse it unless the cache has it under the same key."""
    cache: DocumentCache = _SHARED["cache"]
    try:
        data = read_page_bytes(path)
    except PageUnreadable as error:
        return Scanned(PageError(path, str(error)), False)
    key = cache.key(path, data)
    cached = cache.get(key, path)
    if cached is None:
        cached = convert_or_error(path, data, record_removed=False)
        cache.put(key, cached)
        return Scanned(summarise(cached, key), False)
    return Scanned(summarise(cached, key), True)


def summarise(result: Document | PageError, key: str) -> Summary | PageError:
    """The Summary of a document, or its error; a document without ID is an error."""
    if isinstance(result, PageError):
        return result
    if result.id is None:
        return PageError(result.path, "no reference ID found in the page")
    paragraphs = frozenset(b.anchor for b in result.blocks if b.kind == "paragraph" and b.number)
    fields = (result.title, result.created, result.origin, result.classification, result.tags, result.references)
    return Summary(result.id, result.path, result.source, *fields, paragraphs, len(plain_text(result)), key)


# --- link: the links of every document, against the collection index ------------------------


@dataclass(frozen=True, slots=True)
class Linked:
    """The links of one document: those to other documents (kept), and a count of the others."""

    id: str
    between: tuple[Link, ...]
    within: int


def link_one(summary: Summary) -> Linked:
    """Find the links of one document (read back from the cache)."""
    document = _SHARED["cache"].get(summary.key, summary.path)
    spans = find_links(document, _SHARED["collection"])
    between = tuple(span.link for span in spans if span.link.target_id)
    return Linked(summary.id, between, len(spans) - len(between))


# --- render: one Markdown page per document, reusing the previous one when nothing changed ---


@dataclass(frozen=True, slots=True)
class RenderTask:
    """Render (or reuse) the page of one document."""

    summary: Summary
    citations: tuple[tuple[str, str], ...]
    key: str
    reuse: bool


def render_key(summary: Summary, between: Iterable[Link], citations: Iterable[tuple[str, str]], context: dict) -> str:
    """Everything a document's page depends on: its content, its links, who cites it, settings."""
    titles = context["titles"]
    known = context["collection"]
    state = {
        "page": summary.key,
        "refs": [[r.id, known.has(r.id)] for r in summary.references if r.id],
        "links": [[link.source_anchor, link.target_id, link.target_anchor] for link in between],
        "cited": [[doc, anchor, titles.get(doc, "")] for doc, anchor in citations],
        "external": context["external_url"],
        "sharded": context["sharded_search"],
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def render_one(task: RenderTask) -> bool:
    """Write one document's page into the staging folder; True if the previous page was reused."""
    target = _SHARED["staging"] / page_name(task.summary)
    previous = _SHARED["previous"] / page_name(task.summary)
    if task.reuse and previous.is_file():
        try:
            os.link(previous, target)
        except OSError:
            shutil.copyfile(previous, target)
        return True
    document = _SHARED["cache"].get(task.summary.key, task.summary.path)
    collection: Collection = _SHARED["collection"]
    context = RenderContext(collection, _SHARED["titles"], _SHARED["external_url"], _SHARED["sharded_search"])
    links = DocumentLinks(tuple(find_links(document, collection)), task.citations)
    target.write_text(render_document(document, context, links), encoding="utf-8")
    return False


# --- search: the index terms of every document ---------------------------------------------


def terms_one(summary: Summary) -> Counter:
    """The search terms of one document (title and whole text), read back from the cache."""
    document = _SHARED["cache"].get(summary.key, summary.path)
    return terms(f"{document.id} {document.title or ''} {plain_text(document)}")
