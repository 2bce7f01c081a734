"""The orchestrator: pages on disk -> documents -> Markdown in site_src/ -> the built site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.indexes import index_pages
from generator.load import PageUnreadable, find_pages, load_page
from generator.model import Document, PageError
from generator.parse import parse_page
from generator.records import plain_text
from generator.render import DOCS_FOLDER, RenderContext, page_name, render_document
from generator.site import build_site
from generator.sources import detect_source
from generator.strip import strip_page
from generator.write import replace_folder


class StrictFailure(RuntimeError):
    """In strict mode, some page could not be converted: nothing is written."""


class NoDocument(ValueError):
    """A readable page that holds no document (only artefacts)."""


@dataclass(slots=True)
class Report:
    """What a run did: the documents kept, pages that failed, and warnings."""

    documents: list[Document] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def convert_page(path: Path) -> Document:
    """Load, detect, strip and parse one page; raise PageUnreadable or NoDocument with the reason."""
    raw = load_page(path)
    source = detect_source(raw)
    clean = strip_page(raw, source)
    document = parse_page(clean)
    if not document.blocks and not document.header:
        raise NoDocument(f"no document on the page ({source.name}: only artefacts)")
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
    report = Report()
    by_id: dict[str, Document] = {}
    for result in convert_pages(paths):
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


def generated_pages(documents: list[Document]) -> dict[str, str]:
    """Every generated Markdown page, keyed by its path under the docs folder's ``cables/``."""
    context = RenderContext(known_ids=frozenset(d.id for d in documents if d.id))
    pages = {page_name(document): render_document(document, context) for document in documents}
    pages.update(index_pages(documents))
    return pages


def convert(config: Config) -> Report:
    """Write the Markdown of every page into ``docs_dir/cables`` (replacing what was there)."""
    report = collect(list(config.pages))
    if config.strict and (report.errors or report.warnings):
        raise StrictFailure(f"{len(report.errors)} pages could not be converted, {len(report.warnings)} warnings (--strict)")
    replace_folder(config.docs_dir / DOCS_FOLDER, generated_pages(report.documents))
    return report


def build(config: Config) -> Report:
    """Convert, then build the site with MkDocs."""
    report = convert(config)
    build_site(config.config_file, config.docs_dir, config.site_dir)
    return report
