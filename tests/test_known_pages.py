"""A rebuild takes unchanged pages from what the last run knew (knownpages): the same site, without reading them again."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from cleansite import boilerplate, stages
from cleansite.cache import DocumentCache
from cleansite.config import Config
from cleansite.knownpages import FILE_NAME
from cleansite.pipeline import convert, documents
from cleansite.records import plain_text, plain_text_length
from conftest import PAGES_DIR, PROJECT_DIR

_OLD = 1_600_000_000  # an mtime well in the past: a page changed in the last seconds is never stamped


def _pages(root: Path) -> Path:
    """The samples and the text dumps of tests/pages (their site chrome is counted), all with an old mtime."""
    pages = root / "pages"
    shutil.copytree(PROJECT_DIR / "samples", pages)
    shutil.copytree(PAGES_DIR / "wikileaks-viewer-text", pages / "dumps", ignore=shutil.ignore_patterns("*.md", "*.json"))
    for page in pages.rglob("*"):
        os.utime(page, (_OLD, _OLD))
    return pages


def _markdown(docs: Path) -> dict[str, bytes]:
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted((docs / "cables").rglob("*.md"))}


def _convert(pages: Path, docs: Path, cache: Path):
    return convert(Config(pages=(pages,), docs_dir=docs, cache_dir=cache, jobs=1))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the run reads: cache entries (``entry``) and pages for their site chrome (``lines``)."""
    seen: list[str] = []
    lookup, page_lines = DocumentCache.lookup, boilerplate.page_lines
    monkeypatch.setattr(DocumentCache, "lookup", lambda self, key, path: (seen.append(f"entry {path.name}"), lookup(self, key, path))[1])
    monkeypatch.setattr(boilerplate, "page_lines", lambda path: (seen.append(f"lines {path.name}"), page_lines(path))[1])
    return seen


def test_a_rebuild_of_unchanged_pages_reads_no_page_nor_cache_entry_and_writes_the_same_pages(tmp_path: Path, reads: list[str]) -> None:
    pages = _pages(tmp_path)
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    first = _markdown(tmp_path / "docs")
    listing = tmp_path / "docs" / "cables" / "by-tag" / "prel.md"
    inode = listing.stat().st_ino
    reads.clear()
    report = _convert(pages, tmp_path / "docs", tmp_path / "cache")
    assert reads == [] and report.counts.pages_reused == len(report.documents) > 30
    assert _markdown(tmp_path / "docs") == first and listing.stat().st_ino == inode  # the listing linked, not written again


def test_a_changed_page_is_the_only_one_read_and_the_site_is_the_one_a_cold_build_makes(tmp_path: Path, reads: list[str]) -> None:
    pages = _pages(tmp_path)
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    page = pages / "wikileaks" / "09TRIPOLI208.html"
    page.write_bytes(page.read_bytes().replace(b"Qadhafi", b"Qadhafi (changed)", 1))
    os.utime(page, (_OLD + 60, _OLD + 60))
    reads.clear()
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    assert set(reads) <= {"entry 09TRIPOLI208.html", "lines 09TRIPOLI208.html"}
    _convert(pages, tmp_path / "cold" / "docs", tmp_path / "cold" / "cache")
    assert _markdown(tmp_path / "docs") == _markdown(tmp_path / "cold" / "docs")


def test_a_cited_page_gone_links_its_citing_pages_again(tmp_path: Path) -> None:
    """09TRIPOLI208 cites 09TRIPOLI924's paragraph 6: without 09TRIPOLI924 its link goes to its REF entry."""
    pages = _pages(tmp_path)
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    assert "(09TRIPOLI924.md#p6)" in (tmp_path / "docs" / "cables" / "09TRIPOLI208.md").read_text(encoding="utf-8")
    (pages / "wikileaks" / "09TRIPOLI924.html").unlink()
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    assert "09TRIPOLI924.md" not in (tmp_path / "docs" / "cables" / "09TRIPOLI208.md").read_text(encoding="utf-8")
    _convert(pages, tmp_path / "cold" / "docs", tmp_path / "cold" / "cache")
    assert _markdown(tmp_path / "docs") == _markdown(tmp_path / "cold" / "docs")


def test_new_site_chrome_scans_the_text_dumps_again(tmp_path: Path, reads: list[str]) -> None:
    """A text dump's cache key depends on its site's repeated lines: a new dump of that site changes them."""
    pages = _pages(tmp_path)
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    dumps = sorted((pages / "dumps").glob("*.txt"))
    for number in range(4):  # enough pages of the same site for its chrome to count
        copy = pages / "dumps" / f"copy{number}.txt"
        copy.write_text(dumps[0].read_text(encoding="utf-8").replace("Tripoli", f"Tripoli {number} Extra line"), encoding="utf-8")
    reads.clear()
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    _convert(pages, tmp_path / "cold" / "docs", tmp_path / "cold" / "cache")
    assert _markdown(tmp_path / "docs") == _markdown(tmp_path / "cold" / "docs")
    assert f"entry {dumps[1].name}" in reads  # unchanged, but its site's chrome is not: scanned again


def test_a_damaged_file_of_known_pages_means_every_page_is_read(tmp_path: Path, reads: list[str]) -> None:
    pages = _pages(tmp_path)
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    first = _markdown(tmp_path / "docs")
    known = tmp_path / "cache" / FILE_NAME
    known.write_bytes(known.read_bytes()[: known.stat().st_size // 2])
    reads.clear()
    _convert(pages, tmp_path / "docs", tmp_path / "cache")
    assert sum(read.startswith("entry") for read in reads) > 30 and _markdown(tmp_path / "docs") == first


def test_the_text_length_is_counted_without_making_the_text(tmp_path: Path) -> None:
    for document in documents([PROJECT_DIR / "samples", PAGES_DIR], cache_dir=tmp_path):
        if isinstance(document, stages.Document):
            assert plain_text_length(document) == len(plain_text(document)), document.path


def test_a_summary_is_read_back_as_it_was_written(tmp_path: Path) -> None:
    from cleansite.knownpages import KnownPages, read_known, write_known
    from cleansite.pipeline import collect

    report = collect([PROJECT_DIR / "samples", PAGES_DIR], cache_dir=tmp_path / "cache")
    write_known(tmp_path, KnownPages(results={d.key: d for d in report.documents}))
    assert {key: replace(d, path=Path()) for key, d in read_known(tmp_path).results.items()} == {
        d.key: replace(d, path=Path()) for d in report.documents}  # fmt: skip
