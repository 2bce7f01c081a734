"""The collection-wide run: per-page work in a process pool, streaming through the cache.

Memory holds one small Summary per document (and the links between documents), never
the text of all pages: each worker reads a document back from the cache while it works
on it. What workers need to know of the run is one frozen ``RunContext``, handed to each
worker by the pool's initializer: it works with every start method (fork, spawn, forkserver).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cleansite.cache import DocumentCache, Stamp, known_key, stamp_of
from cleansite.convert import convert_or_error
from cleansite.htmlpage import html_page
from cleansite.htmlstore import HtmlStore
from cleansite.limits import DEFAULT_PAGE_SECONDS, PageTimeLimit, time_limit
from cleansite.link import Collection, TextLink, anchor_list, find_links
from cleansite.load import PageUnreadable, decode_page, read_page_bytes
from cleansite.model import Document, Link, PageError, Summary
from cleansite.neighbours import Neighbours
from cleansite.pool import process_pool
from cleansite.records import collection_record, document_record, error_record, page_id, plain_text_length
from cleansite.render import DocumentLinks, RenderContext, page_name, render_document

if TYPE_CHECKING:  # the search stages import it when they run: it imports MkDocs, which converting does not need
    from cleansite.search import ShardedIndex, SitePage, Spool


@dataclass(frozen=True, slots=True)
class RunContext:
    """What the workers of a stage know of the run; each stage adds what it needs (``dataclasses.replace``).

    ``cache``: the parsed pages; ``record_removed``: keep the artefact lines (``parse``);
    ``page_timeout``: seconds one page may take; ``boilerplate``: the site chrome of text dumps;
    ``collection``: the index of IDs and anchors; ``citations``: who cites each document;
    ``titles``, ``external_url``, ``source_url``, ``sharded_search``: what rendering needs; ``staging``:
    where pages are written; ``index``, ``spool``: the sharded search index being written and its spooled
    runs; ``stamps``: the last run's stamp of each page file (path -> ``cache.Stamp``), so unchanged pages
    are not read nor hashed; ``html_store``: where the HTML of each rendered page goes (MkDocs takes it
    instead of parsing the Markdown).
    """

    cache: DocumentCache | None = None
    record_removed: bool = False
    page_timeout: float = DEFAULT_PAGE_SECONDS
    boilerplate: object | None = None
    collection: Collection | None = None
    citations: dict[str, list[tuple[str, str]]] | None = None
    titles: dict[str, str] | None = None
    external_url: str | None = None
    source_url: str | None = None
    sharded_search: bool = False
    staging: Path | None = None
    index: ShardedIndex | None = None
    spool: Spool | None = None
    stamps: dict[str, Stamp] | None = None
    html_store: HtmlStore | None = None


_CONTEXT = RunContext()  # this process's run context: set by run_stage, or in a worker by the pool's initializer


def use_context(context: RunContext) -> None:
    """Make ``context`` the one the stage functions of this process read (the pool's initializer)."""
    global _CONTEXT
    _CONTEXT = context


def run_stage(
    worker: Callable, items: list, jobs: int, context: RunContext, advance: Callable[[], None], chunk: int | None = None,
    executor=None,
) -> Iterator:
    """``worker`` over ``items`` in order, in ``jobs`` processes (in this one when jobs is 1), or on ``executor``.

    Items go to the workers ``chunk`` at a time (by default, small chunks of pages; a run
    of fewer than 64 pages stays in this process); give ``chunk=1`` for items that are
    each a large piece of work. ``executor``: a ``dask_executor.DaskExecutor`` (the per-page
    stages only), else the built-in process pool.
    """
    use_context(context)
    if executor is not None:
        yield from executor.map(worker, items, context, advance, chunk)
        return
    if jobs <= 1 or len(items) < (2 if chunk else 64):
        for item in items:
            yield worker(item)
            advance()
        return
    chunk = chunk or chunk_size(len(items), jobs)
    chunks = (items[start : start + chunk] for start in range(0, len(items), chunk))
    with process_pool(jobs, use_context, (context,)) as pool:
        # At most a few chunks in flight: Executor.map would submit every item at once and
        # hold every result not yet consumed.
        pending: deque = deque()
        try:
            for batch in chunks:
                pending.append(pool.submit(_run_chunk, worker, batch))
                if len(pending) >= 3 * jobs:
                    yield from _drain(pending.popleft(), advance)
            while pending:
                yield from _drain(pending.popleft(), advance)
        except BaseException:  # Ctrl-C, a full disk: do not wait for the chunks still queued
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def chunk_size(items: int, workers: int) -> int:
    """Pages per task: about eight tasks per worker, 8 to 64 pages each (fewer tasks: less traffic; more: even load)."""
    return max(8, min(64, items // (workers * 8) or 1))


def _run_chunk(worker: Callable, batch: list) -> list:
    return [worker(item) for item in batch]


def _drain(future, advance: Callable[[], None]) -> Iterator:
    for result in future.result():
        yield result
        advance()


# --- scan: every page file -> Summary or PageError (parsed pages are cached) ------------------


@dataclass(frozen=True, slots=True)
class Scanned:
    """What scanning one page gives: its summary or error, whether the cache had it, its cache key ("" if unreadable),
    and whether the cache held a damaged entry for it (dropped and recomputed)."""

    result: Summary | PageError
    reused: bool
    key: str = ""
    damaged: bool = False
    stamp: Stamp | None = None


def scan_one(path: Path) -> Scanned:
    """Read one page; parse it unless the cache has it under the same key.

    The removed artefact lines are kept only if the shared state asks for them (``parse``
    prints them; a site does not need them), so each use keeps its own cache.
    """
    cache = _CONTEXT.cache
    stamp = _known_stamp(path, _CONTEXT.boilerplate)
    if stamp is not None:
        cached, damaged = cache.lookup(stamp.key, path)
        if cached is not None:
            data = _bytes_or_nothing(path) if _has_unparsed_references(cached) else b""  # to find their lines
            return Scanned(summarise(cached, stamp.key, data), True, stamp.key, damaged, stamp)
    try:
        data = read_page_bytes(path)
    except PageUnreadable as error:
        return Scanned(PageError(path, str(error)), False)
    return _scan_bytes(path, data, stamp is not None and damaged)


def _scan_bytes(path: Path, data: bytes, damaged_before: bool = False) -> Scanned:
    """Scan a page read and hashed: its cache entry, or its conversion (then cached)."""
    cache = _CONTEXT.cache
    boilerplate = _CONTEXT.boilerplate  # a text dump's result depends on its site's repeated lines
    base = cache.key(path, data)
    key = boilerplate.page_key(base, path, data) if boilerplate else base
    cached, damaged = cache.lookup(key, path)
    reused = cached is not None
    if cached is None:
        seconds = _CONTEXT.page_timeout
        try:
            with time_limit(seconds):
                cached = convert_or_error(path, data, record_removed=_CONTEXT.record_removed, boilerplate=boilerplate)
        except PageTimeLimit:  # not cached: on a less busy machine it may pass
            return Scanned(PageError(path, f"took longer than {seconds:g} s to convert (--page-timeout), left out"), False)
        cache.put(key, cached)
    return Scanned(summarise(cached, key, data), reused, key, damaged or damaged_before, _new_stamp(path, base, data))


def _has_unparsed_references(result: Document | PageError) -> bool:
    return isinstance(result, Document) and any(r.id is None for r in result.references)


def _known_stamp(path: Path, boilerplate) -> Stamp | None:
    """The page's stamp from the last run if its size and mtime are unchanged (and its key needs nothing else)."""
    stamp = (_CONTEXT.stamps or {}).get(str(path))
    if stamp is None or (boilerplate is not None and boilerplate.sites and not stamp.markup):
        return None
    try:
        return known_key(os.stat(path), stamp) if os.access(path, os.R_OK) else None
    except OSError:
        return None


def _new_stamp(path: Path, key: str, data: bytes) -> Stamp | None:
    """The stamp of a page just read (a change between the read and the stat is recent: not stamped)."""
    try:
        return stamp_of(os.stat(path), key, data)
    except OSError:
        return None


def _bytes_or_nothing(path: Path) -> bytes:
    try:
        return read_page_bytes(path)
    except PageUnreadable:
        return b""


def cached_document(key: str, path: Path) -> Document | PageError:
    """A scanned page read back from the cache; converted again if its entry was damaged since."""
    cache = _CONTEXT.cache
    found = cache.get(key, path)
    if found is None:
        found = convert_or_error(path, record_removed=_CONTEXT.record_removed, boilerplate=_CONTEXT.boilerplate)
        cache.put(key, found)
    return found


def summarise(result: Document | PageError, key: str, data: bytes = b"") -> Summary | PageError:
    """The Summary of a document (``data``: its page's bytes, to find the lines of unparsed REF entries), or its error.

    A document without ID is kept under the name ``page_id`` gives it (``identified`` False).
    """
    if isinstance(result, PageError):
        return result
    paragraphs = anchor_list(b.anchor for b in result.blocks if b.kind == "paragraph" and b.number)
    references = tuple(replace(r, text="") if r.id else r for r in result.references)
    unparsed = [r.text for r in references if r.id is None]
    page = decode_page(result.path, data).text if unparsed and data else ""
    lines = tuple(line_of(page, text) for text in unparsed)
    fields = (result.title, result.created, result.origin, result.classification, result.tags, references)
    size = plain_text_length(result)
    return Summary(page_id(result), result.path, result.source, *fields, paragraphs, size, key, lines, result.id is not None, result.notes)


def line_of(page: str, text: str) -> int:
    """The line of ``page`` where ``text`` (or its start) first appears; 0 if not found."""
    position = page.find(text[:40])
    return page.count("\n", 0, position) + 1 if position >= 0 else 0


def shared_strings(summary: Summary, path: Path) -> Summary:
    """The summary with its often-repeated strings (source, origin, classification, TAGS) interned, and ``path``.

    Each summary comes out of a worker as new objects; interning them keeps one copy per
    value in the process that holds them all, and the path object it already has.
    """

    def intern(text: str | None) -> str | None:
        return None if text is None else sys.intern(text)

    return replace(
        summary,
        path=path,
        source=sys.intern(summary.source),
        origin=intern(summary.origin),
        classification=intern(summary.classification),
        tags=tuple(sys.intern(tag) for tag in summary.tags),
    )


# --- link: the links of every document, against the collection index ------------------------


@dataclass(frozen=True, slots=True)
class Linked:
    """The links of one document: those to other documents (kept), and a count of the others."""

    id: str
    between: tuple[Link, ...]
    within: int


def link_one(summary: Summary) -> Linked:
    """Find the links of one document (read back from the cache)."""
    document = cached_document(summary.key, summary.path)
    spans = find_links(document, _CONTEXT.collection)
    between = tuple(span.link for span in spans if span.link.target_id)
    return Linked(summary.id, between, len(spans) - len(between))


# --- records: the JSON line of every page, for ``cleansite parse`` -----------------------------


def record_one(scanned: Scanned) -> tuple[str, bool]:
    """The JSON record of one scanned page (with links and backlinks when it has an ID), and whether it is an error."""
    result = scanned.result
    loaded = cached_document(scanned.key, result.path) if scanned.key else None
    if isinstance(loaded, Document):
        links = [span.link for span in find_links(loaded, _CONTEXT.collection)]
        record = collection_record(loaded, links, _CONTEXT.citations.get(page_id(loaded), []))
    elif isinstance(loaded, Document):
        record = document_record(loaded)
    else:
        record = error_record(result)
    failed = isinstance(result, PageError) and not result.skipped and not isinstance(loaded, Document)
    return json.dumps(record, ensure_ascii=False), failed


@dataclass(frozen=True, slots=True)
class LinkedDocument:
    """A page as the library sees it: its Document (or PageError), its links, and where other pages cite it."""

    result: Document | PageError
    links: tuple[TextLink, ...] = ()
    citations: tuple[tuple[str, str], ...] = ()
    duplicate: bool = False  # another page of the same ID is the one kept


def linked_one(scanned: Scanned) -> LinkedDocument:
    """One scanned page with its links and backlinks (read back from the cache)."""
    loaded = cached_document(scanned.key, scanned.result.path) if scanned.key else None
    if not isinstance(loaded, Document):
        return LinkedDocument(scanned.result if loaded is None else loaded)
    if not loaded.id:
        return LinkedDocument(loaded)
    citations = tuple(_CONTEXT.citations.get(loaded.id, ()))
    return LinkedDocument(loaded, tuple(find_links(loaded, _CONTEXT.collection)), citations)


# --- render: one Markdown page per document, reusing the previous one when nothing changed ---


@dataclass(frozen=True, slots=True)
class RenderTask:
    """Render (or reuse) the page of one document."""

    summary: Summary
    citations: tuple[tuple[str, str], ...]
    key: str
    reuse: bool
    neighbours: Neighbours | None = None


def render_key(
    summary: Summary, between: Iterable[Link], citations: Iterable[tuple[str, str]], context: RunContext,
    neighbours: Neighbours | None = None,
) -> str:
    """Everything a document's page depends on: its content, its links, who cites it, settings."""
    titles = context.titles
    known = context.collection
    state = {
        "page": summary.key,
        "refs": [[r.id, known.has(r.id)] for r in summary.references if r.id],
        "links": [[link.source_anchor, link.target_id, link.target_anchor] for link in between],
        "cited": [[doc, anchor, titles.get(doc, "")] for doc, anchor in citations],
        "external": context.external_url,
        "source": context.source_url,
        "sharded": context.sharded_search,
        "neighbours": list(neighbours.sides()) if neighbours else None,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def reuse_page(task: RenderTask, staging: Path, previous: Path) -> bool:
    """Link the previous page of a document whose render key is unchanged into the staging folder; False if there is none."""
    if not task.reuse:
        return False
    source, target = previous / page_name(task.summary), staging / page_name(task.summary)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:  # another file system, or no hard links
        shutil.copyfile(source, target)
    return True


def render_one(task: RenderTask) -> None:
    """Write one document's page into the staging folder, and its HTML into the cache."""
    target = _CONTEXT.staging / page_name(task.summary)
    document = cached_document(task.summary.key, task.summary.path)
    collection = _CONTEXT.collection
    context = RenderContext(collection, _CONTEXT.titles, _CONTEXT.external_url, _CONTEXT.sharded_search, _CONTEXT.source_url)
    links = DocumentLinks(tuple(find_links(document, collection)), task.citations, task.neighbours)
    markdown = render_document(document, context, links).encode("utf-8")
    target.write_bytes(markdown)
    html = html_page(document, context, links) if _CONTEXT.html_store else None
    if html is not None:
        _CONTEXT.html_store.put(markdown, html)


# --- search: the sharded index, a run of documents per task, then a term shard per task ----


@dataclass(frozen=True, slots=True)
class TermsRun:
    """Entries to index together, numbered from ``first``: documents, or site pages (``SitePage``)."""

    first: int
    entries: tuple[Summary | SitePage, ...]


def terms_run(run: TermsRun) -> int:
    """Spool the search terms of a run of entries and write each document's text (excerpts); the number of entries."""
    from cleansite.search import write_run

    entries = enumerate(run.entries, start=run.first)
    write_run(_CONTEXT.index, run.first, (_entry_terms(number, entry) for number, entry in entries))
    return len(run.entries)


def _entry_terms(number: int, entry: Summary | SitePage) -> Counter:
    from cleansite.search import SitePage, document_terms, page_terms
    from cleansite.searchfiles import write_text

    if isinstance(entry, SitePage):
        return page_terms(entry)
    document = cached_document(entry.key, entry.path)
    write_text(_CONTEXT.index.folder, number, document)
    return document_terms(document)


def term_shard_one(shard: int) -> None:
    """Write one term shard of the sharded index."""
    from cleansite.search import write_term_shard

    write_term_shard(_CONTEXT.index, shard, _CONTEXT.spool)
