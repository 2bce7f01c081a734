"""The orchestrator: pages on disk -> documents -> Markdown in site_src/ -> the built site."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleansite import boilerplate, faults, stages
from cleansite.cache import DocumentCache
from cleansite.config import Config
from cleansite.convert import NoDocument, convert_or_error, convert_page  # noqa: F401 - re-exported
from cleansite.indexes import index_pages
from cleansite.inputs import find_inputs
from cleansite.link import Collection, TextLink, cited_by, find_links
from cleansite.load import PageUnreadable, find_pages, load_page
from cleansite.manifest import read_render_keys, write_render_keys
from cleansite.model import Document, Link, PageError, Summary
from cleansite.progress import progress_bar
from cleansite.records import error_record, page_id, plain_text
from cleansite.render import DOCS_FOLDER, DocumentLinks, RenderContext, render_document
from cleansite.search import ShardedIndex, SitePage, install, run_offsets, site_pages, use_sharded
from cleansite.searchfiles import write_documents
from cleansite.show import shown
from cleansite.site import build_site
from cleansite.swap import JOURNAL_NAME, finish_swap, swap_together
from cleansite.write import recover, staging_folder, swap_in, write_pages
from rich.console import Console


class StrictFailure(RuntimeError):
    """In strict mode, some page could not be converted: nothing is written."""


@dataclass(slots=True)
class Report:
    """What a run did: the documents kept, pages that failed, warnings, and what linking found."""

    documents: list[Document | Summary] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    links: dict[str, list[TextLink]] = field(default_factory=dict)
    citations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    render_keys: dict[str, str] = field(default_factory=dict)

    def link_counts(self) -> dict[str, int]:
        """Links between documents, links inside a document, REF entries outside the collection."""
        spans = [span.link for spans in self.links.values() for span in spans]
        known = {d.id for d in self.documents}
        outside = sum(1 for d in self.documents for r in d.references if r.id and r.id not in known)
        return {
            "between documents": self.counts["between"] or sum(1 for link in spans if link.target_id),
            "within a document": self.counts["within"] or sum(1 for link in spans if not link.target_id),
            "references outside the collection": outside,
            "unparsed REF entries": len(self.unparsed_references()),
        }

    def unparsed_references(self) -> list[str]:
        """REF entries that name no cable (emails, memos...), as ``file:line: entry``."""
        found = []
        for document in self.documents:
            unparsed = [r.text for r in document.references if r.id is None]
            if isinstance(document, Summary):
                lines = document.reference_lines
            else:
                page = _page_text(document.path) if unparsed else ""
                lines = tuple(stages.line_of(page, text) for text in unparsed)
            found.extend(f"{document.path}:{line}: {text}" for line, text in zip(lines, unparsed, strict=True))
        return found


def _page_text(path: Path) -> str:
    try:
        return load_page(path).text
    except PageUnreadable:
        return ""


def convert_pages(paths: list[Path]) -> Iterator[Document | PageError]:
    """Convert every page in memory, yielding a Document or a PageError for each, in path order."""
    for path in find_pages(paths):
        yield convert_or_error(path)


def collect(paths: list[Path]) -> Report:
    """Convert all pages and keep one document per ID (the longest text; ties: first path)."""
    return keep_one_per_id(convert_pages(paths))


def keep_one_per_id(results: Iterable[Document | PageError]) -> Report:
    """Sort results into a Report: one document per ID (the longest text; ties: first path)."""
    report = Report()
    by_id: dict[str, Document] = {}
    for result in results:
        if not isinstance(result, PageError):
            report.warnings.extend(f"{shown(result.path)}: {note}" for note in result.notes)
        if isinstance(result, PageError) and result.skipped:
            report.warnings.append(f"{result.path}: skipped, {result.reason}")
        elif isinstance(result, PageError):
            report.errors.append(result)
        elif result.id is None or not getattr(result, "identified", True):
            result = _published_without_id(result, report)
            by_id[result.id] = result
        elif result.id in by_id:
            kept, dropped = _better(by_id[result.id], result)
            by_id[result.id] = kept
            report.warnings.append(f"{dropped.path}: duplicate of {kept.id}, kept {kept.path}")
        else:
            by_id[result.id] = result
    report.documents = sorted(by_id.values(), key=lambda d: d.id or "")
    return report


def _published_without_id(result: Document | Summary, report: Report) -> Document | Summary:
    """A page whose ID could not be established: kept under a name made from its text, with a warning."""
    name = result.id if isinstance(result, Summary) else page_id(result)
    report.warnings.append(f"{shown(result.path)}: no reference ID found in the page; published as {name}")
    return result if isinstance(result, Summary) else replace(result, id=name)


def _better(first: Document | Summary, second: Document | Summary) -> tuple[Document | Summary, Document | Summary]:
    return (second, first) if _size(second) > _size(first) else (first, second)


def _size(document: Document | Summary) -> int:
    return document.size if isinstance(document, Summary) else len(plain_text(document))


def link_documents(report: Report) -> None:
    """The collection-wide stage: links in every document, then who cites whom."""
    collection = Collection.of(report.documents)
    report.links = {d.id: find_links(d, collection) for d in report.documents}
    report.citations = cited_by({i: [s.link for s in spans] for i, spans in report.links.items()}, report.documents)


def render_context(report: Report, external_url: str | None = None) -> RenderContext:
    """What rendering needs to know of the collection."""
    return RenderContext(Collection.of(report.documents), {d.id: d.title or "" for d in report.documents}, external_url)


def render_page(report: Report, document: Document, context: RenderContext) -> str:
    """The Markdown page of one document of a linked report."""
    links = DocumentLinks(tuple(report.links.get(document.id, ())), tuple(report.citations.get(document.id, ())))
    return render_document(document, context, links)


def parse_records(pages: list[Path], jobs: int, cache_dir: Path, page_timeout: float = 60.0) -> Iterator[tuple[str, bool]]:
    """The JSON record of every page, in path order, and whether it is an error; links and backlinks come from the pages given.

    It streams like a build: memory holds the collection index, documents are read back
    from the cache (a cache of its own under ``cache_dir``: records keep the removed lines).
    """
    cache = DocumentCache(cache_dir / "records")
    inputs = find_inputs(pages)
    paths = inputs.pages
    for problem in inputs.problems:
        yield json.dumps(error_record(problem), ensure_ascii=False), True
    chrome = boilerplate.collect(stages.run_stage(boilerplate.page_lines, paths, jobs, {}, lambda: None))
    settings = {"cache": cache, "record_removed": True, "page_timeout": page_timeout, "boilerplate": chrome}
    scanned = list(stages.run_stage(stages.scan_one, paths, jobs, settings, lambda: None))
    report = keep_one_per_id(_summaries(paths, scanned, Counter()))
    collection = Collection({d.id: d.paragraphs for d in report.documents})
    shared = {"cache": cache, "collection": collection}
    between = {linked.id: linked.between for linked in stages.run_stage(stages.link_one, report.documents, jobs, shared, lambda: None)}
    shared["citations"] = cited_by(between, report.documents)
    yield from stages.run_stage(stages.record_one, scanned, jobs, shared, lambda: None)


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
    cables, site, journal = config.docs_dir / DOCS_FOLDER, config.site_dir, config.docs_dir / JOURNAL_NAME
    finish_swap(journal)  # a build killed while swapping: finish its swap first
    for folder in (cables, site, config.docs_dir):
        recover(folder)
    docs = staging_folder(config.docs_dir)
    try:
        shutil.copytree(config.docs_dir, docs, dirs_exist_ok=True, ignore=_generated_and_hidden)
        (docs / DOCS_FOLDER).mkdir()
        report = _render_collection(config, docs / DOCS_FOLDER, console)
        sharded = use_sharded(config.search, len(report.documents))
        after = (lambda staging: _sharded_search(config, report, staging, console)) if sharded else None
        commit = lambda staging: swap_together([(docs / DOCS_FOLDER, cables), (staging, site)], journal)  # noqa: E731
        build_site(config.config_file, docs, site, commit=commit, after_build=after, jobs=config.jobs, material_search=not sharded)
    finally:
        shutil.rmtree(docs, ignore_errors=True)
    return report


def _render_collection(config: Config, folder: Path, console: Console | None) -> Report:
    """Scan, link and render the whole collection into ``folder`` (the staging cables folder)."""
    cache = DocumentCache(config.cache_dir)
    inputs = find_inputs(list(config.pages))
    paths = inputs.pages
    with progress_bar(console) as bar:
        reused = Counter()
        chrome = boilerplate.collect(stages.run_stage(boilerplate.page_lines, paths, config.jobs, {}, bar("Site chrome", len(paths))))
        settings = {"cache": cache, "page_timeout": config.page_timeout, "boilerplate": chrome}
        scanned = stages.run_stage(stages.scan_one, paths, config.jobs, settings, bar("Reading pages", len(paths)))
        report = keep_one_per_id(_summaries(paths, scanned, reused))
        report.counts["parsed from cache"] = reused["pages"]
        report.counts["damaged cache entries"] = reused["damaged"]
        report.errors[:0] = inputs.problems
        _refuse_empty(config, report)
        faults.checkpoint("scanned")
        if config.strict and (report.errors or report.warnings):
            raise StrictFailure(f"{len(report.errors)} pages could not be converted, {len(report.warnings)} warnings (--strict)")
        collection = Collection({d.id: d.paragraphs for d in report.documents})
        shared = {"cache": cache, "collection": collection}
        between: dict[str, tuple[Link, ...]] = {}
        for linked in stages.run_stage(stages.link_one, report.documents, config.jobs, shared, bar("Linking", len(report.documents))):
            between[linked.id] = linked.between
            report.counts["between"] += len(linked.between)
            report.counts["within"] += linked.within
        report.citations = cited_by(between, report.documents)
        faults.checkpoint("linked")
        shared |= {"titles": {d.id: d.title or "" for d in report.documents}, "external_url": config.external_url}
        shared["sharded_search"] = use_sharded(config.search, len(report.documents))
        tasks = _render_tasks(config, report, between, shared)
        shared |= {"staging": folder, "previous": config.docs_dir / DOCS_FOLDER}
        for reused in stages.run_stage(stages.render_one, tasks, config.jobs, shared, bar("Writing pages", len(tasks))):
            report.counts["pages reused"] += reused
    write_pages(folder, index_pages(report.documents, searchable=not shared["sharded_search"]))
    report.render_keys = {task.summary.id: task.key for task in tasks}
    write_render_keys(folder, report.render_keys)
    faults.checkpoint("rendered")
    return report


def _refuse_empty(config: Config, report: Report) -> None:
    """An input with no document must not replace a site that has some, unless asked (``--allow-empty``)."""
    if report.documents or config.allow_empty:
        return
    if any((config.docs_dir / DOCS_FOLDER).glob("*.md")):
        raise StrictFailure("no document in PAGES: the existing site is kept (--allow-empty replaces it with an empty one)")


def _summaries(paths: list[Path], scanned: Iterable[stages.Scanned], reused: Counter) -> Iterator[Summary | PageError]:
    """The summaries (compacted, sharing the path objects given) and errors of scanned pages; counts the pages the cache had."""
    for path, item in zip(paths, scanned, strict=True):
        reused["pages"] += item.reused
        reused["damaged"] += item.damaged
        yield stages.shared_strings(item.result, path) if isinstance(item.result, Summary) else item.result


def _sharded_search(config: Config, report: Report, site: Path, console: Console | None) -> None:
    """Write the sharded search index of every document and site page into the built site, and switch its worker."""
    by_date = sorted(report.documents, key=lambda d: (d.created is None, d.created or "", d.id))  # numbers follow dates
    entries: list[Summary | SitePage] = [*by_date, *site_pages(site)]
    index = ShardedIndex(site / "search" / "cleansite", len(entries))
    index.spool.mkdir(parents=True)
    runs = [stages.TermsRun(run.start, tuple(entries[run.start : run.stop])) for run in index.runs()]
    shared: dict = {"cache": DocumentCache(config.cache_dir), "index": index}
    with progress_bar(console) as bar:
        advance = bar("Search index", len(entries))
        for count in stages.run_stage(stages.terms_run, runs, config.jobs, shared, lambda: None, chunk=1):
            advance(count)
        shared["offsets"] = run_offsets(index)
        shards = list(range(index.shards))
        for _ in stages.run_stage(stages.term_shard_one, shards, config.jobs, shared, bar("Search shards", len(shards)), chunk=1):
            pass
    write_documents(index, entries)
    install(site, index.settings())


def _render_tasks(config: Config, report: Report, between: dict, shared: dict) -> list[stages.RenderTask]:
    previous = read_render_keys(config.docs_dir / DOCS_FOLDER)  # the keys of the pages on disk, swapped in with them
    tasks = []
    for summary in report.documents:
        citations = tuple(report.citations.get(summary.id, ()))
        key = stages.render_key(summary, between.get(summary.id, ()), citations, shared)
        tasks.append(stages.RenderTask(summary, citations, key, previous.get(summary.id) == key))
    return tasks


def _generated_and_hidden(folder: str, names: list[str]) -> list[str]:
    """What not to copy of the docs folder: the generated pages and hidden (staging) folders."""
    return [n for n in names if n.startswith(".") or (Path(folder, n) == _generated_root(folder))]


def _generated_root(folder: str) -> Path:
    return Path(folder) / DOCS_FOLDER
