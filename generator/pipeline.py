"""The orchestrator, the one path every door takes (CLI, MkDocs plugin, library, tests):
pages on disk -> documents -> links -> Markdown in site_src/ -> the built site."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cleansite import boilerplate, faults, stages
from cleansite.cache import DocumentCache, Stamp
from cleansite.config import Config
from cleansite.htmlstore import HtmlStore
from cleansite.indexes import browsing_pages
from cleansite.inputs import find_inputs
from cleansite.knownpages import (
    KnownLinks,
    KnownPages,
    known_scan,
    learnt_of_scan,
    links_fingerprint,
    read_known,
    unchanged_pages,
    write_known,
)
from cleansite.link import Collection, cited_by
from cleansite.listinghtml import listing_html
from cleansite.manifest import read_render_keys, write_render_keys
from cleansite.model import Document, Link, PageError, Summary
from cleansite.neighbours import neighbours
from cleansite.progress import progress_bar
from cleansite.records import error_record
from cleansite.render import DOCS_FOLDER
from cleansite.report import Report
from cleansite.show import shown
from cleansite.swap import JOURNAL_NAME, finish_swap, swap_together
from cleansite.write import copy_tree, link_page, recover, staging_folder, swap_in, write_page
from rich.console import Console

if TYPE_CHECKING:
    from cleansite.search import SitePage


class StrictFailure(RuntimeError):
    """In strict mode, some page could not be converted: nothing is written. ``report`` names the bad pages."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


def keep_one_per_id(results: Iterable[Summary | PageError]) -> Report:
    """Sort results into a Report: one document per ID (the longest text; ties: first path)."""
    report = Report()
    by_id: dict[str, Summary] = {}
    for result in results:
        if not isinstance(result, PageError):
            report.warnings.extend(f"{shown(result.path)}: {note}" for note in result.notes)
        if isinstance(result, PageError) and result.skipped:
            report.warnings.append(f"{result.path}: skipped, {result.reason}")
        elif isinstance(result, PageError):
            report.errors.append(result)
        elif not result.identified:
            report.warnings.append(f"{shown(result.path)}: no reference ID found in the page; published as {result.id}")
            by_id[result.id] = result
        elif result.id in by_id:
            kept, dropped = _better(by_id[result.id], result)
            by_id[result.id] = kept
            report.warnings.append(f"{dropped.path}: duplicate of {kept.id}, kept {kept.path}")
        else:
            by_id[result.id] = result
    report.documents = sorted(by_id.values(), key=lambda d: d.id)
    return report


def _better(first: Summary, second: Summary) -> tuple[Summary, Summary]:
    """(kept, dropped): the longer text; of two equal ones, the page whose absolute path sorts
    first, whatever the order or form (relative, absolute) the paths were given in."""
    rank = lambda summary: (-summary.size, str(summary.path.resolve()))  # noqa: E731
    return (first, second) if rank(first) <= rank(second) else (second, first)


@dataclass(frozen=True, slots=True)
class Scan:
    """The pages of a run, what scanning each gave (in path order), the report of the documents kept, the scan's context;
    what the last run knew of the pages (``known``) and what this one learnt so far (``learnt``, for the next)."""

    paths: list[Path]
    scanned: list[stages.Scanned]
    report: Report
    context: stages.RunContext
    problems: list[PageError]  # inputs that are not pages (unreadable folders, links leading outside)
    known: KnownPages
    learnt: KnownPages


def scan(pages: Iterable[Path], jobs: int, context: stages.RunContext, bar=None, executor=None) -> Scan:
    """The per-page stages (site chrome, load, detect, strip, parse, through the cache) over every page; one document per ID kept.

    Pages that cannot be read as input (``inputs.find_inputs``) come first among the report's errors.
    ``executor``: where the per-page stages run (``per_page_executor``; None: the built-in pool of ``jobs``).
    """
    bar = bar or (lambda description, total: lambda steps=1: None)
    inputs = find_inputs(list(pages))
    paths = inputs.pages
    stamps, known = context.cache.read_stamps(), read_known(context.cache.root)
    unchanged = unchanged_pages(paths, stamps)
    lines = _site_chrome(paths, unchanged, known, jobs, bar, executor)
    chrome = boilerplate.collect(lines)
    context = replace(context, boilerplate=chrome, stamps=stamps)
    found = {n: item for n, stamp in unchanged.items() if (item := known_scan(paths[n], stamp, lines[n], chrome, known))}
    todo = [path for n, path in enumerate(paths) if n not in found]
    read = stages.run_stage(stages.scan_one, todo, jobs, context, bar("Reading pages", len(todo)), executor=executor)
    scanned = [found[n] if n in found else next(read) for n in range(len(paths))]
    reused = Counter()
    stamps: dict[str, Stamp] = {}
    report = keep_one_per_id(_summaries(paths, scanned, reused, stamps))
    context.cache.write_stamps(stamps)
    context = replace(context, stamps=None)  # the later stages do not need them
    report.counts.parsed_from_cache = reused["pages"]
    report.counts.damaged_cache_entries = reused["damaged"]
    report.errors[:0] = inputs.problems
    return Scan(paths, scanned, report, context, inputs.problems, known, learnt_of_scan(scanned, lines, chrome))


def _site_chrome(paths: list[Path], unchanged: dict[int, Stamp], known: KnownPages, jobs: int, bar, executor=None) -> list:
    """The site-chrome lines of every page (``boilerplate.page_lines``), those of unchanged pages as the last run found them."""
    lines: list = [None] * len(paths)
    todo = []
    for number in range(len(paths)):
        stamp = unchanged.get(number)
        if stamp is not None and (stamp.markup or stamp.key in known.lines):
            lines[number] = None if stamp.markup else known.lines[stamp.key]
        else:
            todo.append(number)
    pages = [paths[n] for n in todo]
    found = stages.run_stage(boilerplate.page_lines, pages, jobs, stages.RunContext(), bar("Site chrome", len(todo)), executor=executor)
    for number, page_lines in zip(todo, found, strict=True):
        lines[number] = page_lines
    return lines


@contextmanager
def per_page_executor(name: str, scheduler: str | None, jobs: int) -> Iterator[object | None]:
    """Where the per-page stages run: None for the built-in process pool (``pool``), else a Dask client (``dask``),
    on the scheduler at ``scheduler`` or on a local cluster of ``jobs`` workers started and closed here."""
    if name == "pool":
        yield None
        return
    from cleansite.dask_executor import DaskExecutor

    with DaskExecutor(scheduler, jobs) as executor:
        yield executor


def link(
    report: Report, jobs: int, context: stages.RunContext, advance=None, known: KnownPages | None = None, learnt: KnownPages | None = None
) -> tuple[stages.RunContext, dict[str, tuple[Link, ...]]]:
    """The collection-wide stage: the links between documents (counted in the report), who cites whom; the context with both.

    A document whose links the last run found against the same anchors (``known``) is not read
    again; what this run finds goes into ``learnt``.
    """
    collection = Collection({d.id: d.paragraphs for d in report.documents})
    context = replace(context, collection=collection)
    known, learnt, advance = known or KnownPages(), learnt or KnownPages(), advance or (lambda: None)
    between: dict[str, tuple[Link, ...]] = {}
    todo = []
    for summary in report.documents:
        fingerprint = links_fingerprint(summary, collection)
        links = known.links.get(summary.key)
        if links is not None and links.fingerprint == fingerprint:
            _count_links(report, between, learnt, summary, links)
            advance()
        else:
            todo.append((summary, fingerprint))
    found = stages.run_stage(stages.link_one, [summary for summary, _ in todo], jobs, context, advance)
    for (summary, fingerprint), linked in zip(todo, found, strict=True):
        _count_links(report, between, learnt, summary, KnownLinks(fingerprint, linked.between, linked.within))
    report.citations = cited_by(between, report.documents)
    return replace(context, citations=report.citations), between


def _count_links(report: Report, between: dict, learnt: KnownPages, summary: Summary, links: KnownLinks) -> None:
    between[summary.id] = links.between
    learnt.links[summary.key] = links
    report.counts.links_between += len(links.between)
    report.counts.links_within += links.within


def collect(pages: list[Path], jobs: int = 1, cache_dir: Path | None = None) -> Report:
    """Scan the pages and keep one document per ID (the report ``convert`` starts from), through a cache (default: a temporary one)."""
    with _cache_folder(cache_dir) as folder:
        return scan(pages, jobs, stages.RunContext(DocumentCache(folder))).report


def documents(pages: list[Path], jobs: int = 1, cache_dir: Path | None = None) -> Iterator[Document | PageError]:
    """Every page's Document (or PageError), in path order, as the per-page stages of a build make them."""
    with _cache_folder(cache_dir) as folder:
        found = scan(pages, jobs, stages.RunContext(DocumentCache(folder / "records"), record_removed=True))
        stages.use_context(found.context)
        for item in found.scanned:
            yield stages.cached_document(item.key, item.result.path) if item.key else item.result


@contextmanager
def _cache_folder(cache_dir: Path | None) -> Iterator[Path]:
    if cache_dir is not None:
        yield cache_dir
        return
    with tempfile.TemporaryDirectory(prefix="cleansite-cache-") as folder:
        yield Path(folder)


def parse_records(
    pages: list[Path], jobs: int, cache_dir: Path, page_timeout: float = 60.0, executor: str = "pool", scheduler: str | None = None
) -> Iterator[tuple[str, bool]]:
    """The JSON record of every page, in path order, and whether it is an error; links and backlinks come from the pages given.

    It streams like a build: memory holds the collection index, documents are read back
    from the cache (a cache of its own under ``cache_dir``: records keep the removed lines).
    ``executor``, ``scheduler``: where the per-page stages run (``per_page_executor``).
    """
    found, context = _scan_and_link(pages, jobs, cache_dir / "records", page_timeout, executor, scheduler)
    for problem in found.problems:
        yield json.dumps(error_record(problem), ensure_ascii=False), True
    yield from stages.run_stage(stages.record_one, found.scanned, jobs, context, lambda: None)


def linked_documents(pages: list[Path], jobs: int = 1, cache_dir: Path | None = None) -> Iterator[stages.LinkedDocument]:
    """Every page, in path order: its Document (or PageError) with its links and backlinks, as ``parse`` finds them."""
    with _cache_folder(cache_dir) as folder:
        found, context = _scan_and_link(pages, jobs, folder / "records")
        kept = {document.path for document in found.report.documents}
        for page in stages.run_stage(stages.linked_one, found.scanned, jobs, context, lambda: None):
            identified = isinstance(page.result, Document) and page.result.id
            yield replace(page, duplicate=True) if identified and page.result.path not in kept else page


def _scan_and_link(
    pages: list[Path], jobs: int, cache_dir: Path, page_timeout: float = 60.0, executor: str = "pool", scheduler: str | None = None
) -> tuple[Scan, stages.RunContext]:
    context = stages.RunContext(DocumentCache(cache_dir), record_removed=True, page_timeout=page_timeout)
    with per_page_executor(executor, scheduler, jobs) as where:
        found = scan(pages, jobs, context, executor=where)
    context, _ = link(found.report, jobs, found.context, known=found.known)
    return found, context


def convert(config: Config, console: Console | None = None) -> Report:
    """Write the Markdown of every page into ``docs_dir/cables`` (replacing what was there)."""
    cables = config.docs_dir / DOCS_FOLDER
    finish_swap(config.docs_dir / JOURNAL_NAME)
    recover(cables)
    staging = staging_folder(cables)
    try:
        report = _render_collection(config, staging, console)
        swap_in(staging, cables)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def build(config: Config, console: Console | None = None) -> Report:
    """Convert, then build the site with MkDocs; both folders are swapped in together, only if all succeeded."""
    from cleansite.site import build_site  # MkDocs: imported only by the commands that build

    cables, site, journal = config.docs_dir / DOCS_FOLDER, config.site_dir, config.docs_dir / JOURNAL_NAME
    finish_swap(journal)  # a build killed while swapping: finish its swap first
    for folder in (cables, site, config.docs_dir):
        recover(folder)
    docs = staging_folder(config.docs_dir)
    try:
        copy_tree(config.docs_dir, docs, ignore=_generated_and_hidden)
        (docs / DOCS_FOLDER).mkdir()
        report = _render_collection(config, docs / DOCS_FOLDER, console)
        sharded = _sharded(config.search, len(report.documents))
        after = (lambda staging: write_search_index(config, report, staging, console)) if sharded else None
        commit = lambda staging: swap_together([(docs / DOCS_FOLDER, cables), (staging, site)], journal)  # noqa: E731
        build_site(config.config_file, docs, site, commit=commit, after_build=after, jobs=config.jobs, material_search=not sharded,
                   html_cache=config.cache_dir)  # fmt: skip
    finally:
        shutil.rmtree(docs, ignore_errors=True)
    return report


def _render_collection(config: Config, folder: Path, console: Console | None) -> Report:
    """Scan, link and render the whole collection into ``folder`` (the staging cables folder)."""
    context = stages.RunContext(DocumentCache(config.cache_dir), page_timeout=config.page_timeout)
    with progress_bar(console) as bar:
        with per_page_executor(config.executor, config.scheduler, config.jobs) as executor:
            found = scan(config.pages, config.jobs, context, bar, executor)
        report, context = found.report, found.context
        _refuse_empty(config, report)
        faults.checkpoint("scanned")
        if config.strict and (report.errors or report.warnings):
            message = f"{len(report.errors)} pages could not be converted, {len(report.warnings)} warnings (--strict)"
            raise StrictFailure(message, report)
        context, between = link(report, config.jobs, context, bar("Linking", len(report.documents)), found.known, found.learnt)
        faults.checkpoint("linked")
        sharded = _sharded(config.search, len(report.documents))
        titles = {d.id: d.title or "" for d in report.documents}
        context = replace(context, titles=titles, external_url=config.external_url, sharded_search=sharded, source_url=config.source_url)
        tasks = _render_tasks(config, report, between, context)
        # Unchanged pages are linked here: sending them to the workers cost more than linking them.
        rendered = [task for task in tasks if not stages.reuse_page(task, folder, config.docs_dir / DOCS_FOLDER)]
        report.counts.pages_reused = len(tasks) - len(rendered)
        store = HtmlStore(config.cache_dir)
        context = replace(context, staging=folder, html_store=store)
        for _ in stages.run_stage(stages.render_one, rendered, config.jobs, context, bar("Writing pages", len(rendered))):
            pass
    browsing = _write_browsing_pages(folder, config.docs_dir / DOCS_FOLDER, report, not sharded, store)
    report.render_keys = {task.summary.id: task.key for task in tasks}
    write_render_keys(folder, {**report.render_keys, **browsing})
    write_known(config.cache_dir, found.learnt)
    faults.checkpoint("rendered")
    return report


def _write_browsing_pages(folder: Path, previous: Path, report: Report, searchable: bool, store: HtmlStore) -> dict[str, str]:
    """The browsing pages, and beside them in the cache the HTML of each listing (``listinghtml``); their keys (path -> key).

    A page whose Markdown is the one of the last run (``previous``, by its key in the manifest)
    is linked from there: creating a file costs several times more than linking one.
    """
    before = read_render_keys(previous)
    keys = {}
    for path, markdown, listing in browsing_pages(report.documents, searchable):
        data = markdown.encode("utf-8")
        keys[path] = key = HtmlStore.key(data)
        if before.get(path) != key or not link_page(previous, folder, path):
            write_page(folder, path, data)
        html = listing_html(listing, searchable) if listing and not store.has(data) else None
        if html is not None:
            store.put(data, html)
    return keys


def _refuse_empty(config: Config, report: Report) -> None:
    """An input with no document must not replace a site that has some, unless asked (``--allow-empty``)."""
    if report.documents or config.allow_empty:
        return
    if any((config.docs_dir / DOCS_FOLDER).glob("*.md")):
        raise StrictFailure("no document in PAGES: the existing site is kept (--allow-empty replaces it with an empty one)")


def _summaries(
    paths: list[Path], scanned: Iterable[stages.Scanned], reused: Counter, stamps: dict[str, Stamp]
) -> Iterator[Summary | PageError]:
    """The summaries (compacted, sharing the path objects given) and errors of scanned pages; counts the pages the cache had
    and collects the pages' stamps for the next run."""
    for path, item in zip(paths, scanned, strict=True):
        reused["pages"] += item.reused
        reused["damaged"] += item.damaged
        if item.stamp is not None:
            stamps[str(path)] = item.stamp
        yield stages.shared_strings(item.result, path) if isinstance(item.result, Summary) else item.result


def _sharded(mode: str, documents: int) -> bool:
    from cleansite.search import use_sharded  # it imports MkDocs: not when converting only

    return use_sharded(mode, documents)


def write_search_index(config: Config, report: Report, site: Path, console: Console | None = None) -> None:
    """Write the sharded search index of every document and site page into the built site, and switch its worker."""
    from cleansite.search import ShardedIndex, install, read_spool, site_pages
    from cleansite.searchfiles import write_documents

    by_date = sorted(report.documents, key=lambda d: (d.created is None, d.created or "", d.id))  # numbers follow dates
    entries: list[Summary | SitePage] = [*by_date, *site_pages(site)]
    index = ShardedIndex(site / "search" / "cleansite", len(entries))
    index.spool.mkdir(parents=True)
    runs = [stages.TermsRun(run.start, tuple(entries[run.start : run.stop])) for run in index.runs()]
    context = stages.RunContext(DocumentCache(config.cache_dir), index=index)
    with progress_bar(console) as bar:
        advance = bar("Search index", len(entries))
        for count in stages.run_stage(stages.terms_run, runs, config.jobs, context, lambda: None, chunk=1):
            advance(count)
        context = replace(context, spool=read_spool(index))
        shards = list(range(index.shards))
        for _ in stages.run_stage(stages.term_shard_one, shards, config.jobs, context, bar("Search shards", len(shards)), chunk=1):
            pass
    write_documents(index, entries)
    install(site, index.settings())


def _render_tasks(config: Config, report: Report, between: dict, context: stages.RunContext) -> list[stages.RenderTask]:
    previous = read_render_keys(config.docs_dir / DOCS_FOLDER)  # the keys of the pages on disk, swapped in with them
    beside = neighbours(report.documents)
    tasks = []
    for summary in report.documents:
        citations = tuple(report.citations.get(summary.id, ()))
        key = stages.render_key(summary, between.get(summary.id, ()), citations, context, beside[summary.id])
        tasks.append(stages.RenderTask(summary, citations, key, previous.get(summary.id) == key, beside[summary.id]))
    return tasks


def _generated_and_hidden(folder: str, names: list[str]) -> list[str]:
    """What not to copy of the docs folder: the generated pages and hidden (staging) folders."""
    return [n for n in names if n.startswith(".") or (Path(folder, n) == _generated_root(folder))]


def _generated_root(folder: str) -> Path:
    return Path(folder) / DOCS_FOLDER
