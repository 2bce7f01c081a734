"""The orchestrator: pages on disk -> documents -> Markdown in site_src/ -> the built site."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.indexes import index_pages
from generator.link import Collection, TextLink, cited_by, find_links
from generator.load import PageUnreadable, find_pages, load_page
from generator.model import Document, PageError
from generator.parse import parse_page
from generator.records import plain_text
from generator.render import DOCS_FOLDER, DocumentLinks, RenderContext, page_name, render_document
from generator.site import build_site
from generator.sources import detect_source
from generator.strip import strip_page
from generator.write import recover, replace_folder, staging_folder, swap_in, write_pages


class StrictFailure(RuntimeError):
    """In strict mode, some page could not be converted: nothing is written."""


class NoDocument(ValueError):
    """A readable page that holds no document (only artefacts)."""


@dataclass(slots=True)
class Report:
    """What a run did: the documents kept, pages that failed, warnings, and what linking found."""

    documents: list[Document] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    links: dict[str, list[TextLink]] = field(default_factory=dict)
    citations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def link_counts(self) -> dict[str, int]:
        """Links between documents, links inside a document, REF entries outside the collection."""
        spans = [span.link for spans in self.links.values() for span in spans]
        known = {d.id for d in self.documents}
        outside = sum(1 for d in self.documents for r in d.references if r.id and r.id not in known)
        return {
            "between documents": sum(1 for link in spans if link.target_id),
            "within a document": sum(1 for link in spans if not link.target_id),
            "references outside the collection": outside,
            "unparsed REF entries": len(self.unparsed_references()),
        }

    def unparsed_references(self) -> list[str]:
        """REF entries that name no cable (emails, memos...), as ``file:line: entry``."""
        return [f"{d.path}:{_line_of(d.path, r.text)}: {r.text}" for d in self.documents for r in d.references if r.id is None]


def _line_of(path: Path, text: str) -> int:
    """The line of the page where ``text`` (or its start) first appears; 0 if not found."""
    try:
        page = load_page(path).text
    except PageUnreadable:
        return 0
    position = page.find(text[:40])
    return page.count("\n", 0, position) + 1 if position >= 0 else 0


def convert_page(path: Path, record_removed: bool = True) -> Document:
    """Load, detect, strip and parse one page; raise PageUnreadable or NoDocument with the reason."""
    raw = load_page(path)
    source = detect_source(raw)
    clean = strip_page(raw, source, record_removed)
    document = parse_page(clean)
    if not document.blocks and not document.header:
        raise NoDocument(f"no document on the page ({source.name}: only artefacts)")
    if not document.id and not document.header and not any(b.number for b in document.blocks):
        raise NoDocument(f"no document on the page ({source.name}: no cable header, ID or numbered paragraph)")
    return document


def convert_pages(paths: list[Path]) -> Iterator[Document | PageError]:
    """Convert every page, yielding a Document or a PageError for each, in path order."""
    for path in find_pages(paths):
        try:
            yield convert_page(path)
        except NoDocument as error:
            yield PageError(path, str(error), skipped=True)
        except PageUnreadable as error:
            yield PageError(path, str(error))
        except Exception as error:  # a parser bug must not stop the run: report the page
            yield PageError(path, f"internal error: {type(error).__name__}: {error}")


def collect(paths: list[Path]) -> Report:
    """Convert all pages and keep one document per ID (the longest text; ties: first path)."""
    return keep_one_per_id(convert_pages(paths))


def keep_one_per_id(results: Iterable[Document | PageError]) -> Report:
    """Sort results into a Report: one document per ID (the longest text; ties: first path)."""
    report = Report()
    by_id: dict[str, Document] = {}
    for result in results:
        if isinstance(result, PageError) and result.skipped:
            report.warnings.append(f"{result.path}: skipped, {result.reason}")
        elif isinstance(result, PageError):
            report.errors.append(result)
        elif result.id is None:
            report.errors.append(PageError(result.path, "no reference ID found in the page"))
        elif result.id in by_id:
            kept, dropped = _better(by_id[result.id], result)
            by_id[result.id] = kept
            report.warnings.append(f"{dropped.path}: duplicate of {kept.id}, kept {kept.path}")
        else:
            by_id[result.id] = result
    report.documents = sorted(by_id.values(), key=lambda d: d.id or "")
    return report


def _better(first: Document, second: Document) -> tuple[Document, Document]:
    return (second, first) if len(plain_text(second)) > len(plain_text(first)) else (first, second)


def link_documents(report: Report) -> None:
    """The collection-wide stage: links in every document, then who cites whom."""
    collection = Collection.of(report.documents)
    report.links = {d.id: find_links(d, collection) for d in report.documents}
    report.citations = cited_by(report.links, report.documents)


def render_context(report: Report, external_url: str | None = None) -> RenderContext:
    """What rendering needs to know of the collection."""
    return RenderContext(Collection.of(report.documents), {d.id: d.title or "" for d in report.documents}, external_url)


def render_page(report: Report, document: Document, context: RenderContext) -> str:
    """The Markdown page of one document of a linked report."""
    links = DocumentLinks(tuple(report.links.get(document.id, ())), tuple(report.citations.get(document.id, ())))
    return render_document(document, context, links)


def generated_pages(report: Report, external_url: str | None = None) -> dict[str, str]:
    """Every generated Markdown page, keyed by its path under the docs folder's ``cables/``."""
    context = render_context(report, external_url)
    pages = {page_name(d): render_page(report, d, context) for d in report.documents}
    pages.update(index_pages(report.documents))
    return pages


def convert(config: Config) -> Report:
    """Write the Markdown of every page into ``docs_dir/cables`` (replacing what was there)."""
    report = _converted(config)
    replace_folder(config.docs_dir / DOCS_FOLDER, generated_pages(report, config.external_url))
    return report


def build(config: Config) -> Report:
    """Convert, then build the site with MkDocs; both folders are swapped in only if all succeeded."""
    report = _converted(config)
    cables, site = config.docs_dir / DOCS_FOLDER, config.site_dir
    for folder in (cables, site, config.docs_dir):
        recover(folder)
    docs = staging_folder(config.docs_dir)
    try:
        shutil.copytree(config.docs_dir, docs, dirs_exist_ok=True, ignore=_generated_and_hidden)
        write_pages(docs / DOCS_FOLDER, generated_pages(report, config.external_url))
        build_site(config.config_file, docs, site, before_swap=lambda: swap_in(docs / DOCS_FOLDER, cables))
    finally:
        shutil.rmtree(docs, ignore_errors=True)
    return report


def _converted(config: Config) -> Report:
    report = collect(list(config.pages))
    if config.strict and (report.errors or report.warnings):
        raise StrictFailure(f"{len(report.errors)} pages could not be converted, {len(report.warnings)} warnings (--strict)")
    link_documents(report)
    return report


def _generated_and_hidden(folder: str, names: list[str]) -> list[str]:
    """What not to copy of the docs folder: the generated pages and hidden (staging) folders."""
    return [n for n in names if n.startswith(".") or (Path(folder, n) == _generated_root(folder))]


def _generated_root(folder: str) -> Path:
    return Path(folder) / DOCS_FOLDER
