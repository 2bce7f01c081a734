"""Rebuilds trust a page's size and mtime (as make and rsync do) and hash its content only when they differ."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from cleansite.config import Config
from cleansite.pipeline import convert
from conftest import page_path

_OLD = 1_600_000_000  # an mtime well in the past: a page changed in the last seconds is never stamped


def _folder(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("08TRIPOLI220.html", "09THEHAGUE87.html"):
        shutil.copy(page_path("wikileaks-viewer", name), pages / name)
        os.utime(pages / name, (_OLD, _OLD))
    return pages


def _run(tmp_path: Path, pages: Path) -> tuple[int, str]:
    report = convert(Config(pages=(pages,), docs_dir=tmp_path / "docs", cache_dir=tmp_path / "cache", jobs=1))
    return report.counts.parsed_from_cache, (tmp_path / "docs" / "cables" / "08TRIPOLI220.md").read_text(encoding="utf-8")


def test_unchanged_size_and_mtime_reuse_the_stamped_key(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    assert _run(tmp_path, pages)[0] == 0
    stamps = json.loads((tmp_path / "cache" / "stamps.json").read_text(encoding="utf-8"))["pages"]
    assert sorted(Path(p).name for p in stamps) == ["08TRIPOLI220.html", "09THEHAGUE87.html"]
    # Same size and mtime, other bytes: the stamp is trusted, the page is not read again (make's rule).
    page = pages / "08TRIPOLI220.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"Libya", b"Lybia", 1))
    os.utime(page, (_OLD, _OLD))
    reused, markdown = _run(tmp_path, pages)
    assert reused == 2 and "Libya" in markdown


def test_a_new_mtime_or_size_reads_and_hashes_the_page(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    _run(tmp_path, pages)
    page = pages / "08TRIPOLI220.html"
    page.write_bytes(page.read_bytes().replace(b"Libya", b"Lybia", 1))
    os.utime(page, (_OLD + 60, _OLD + 60))
    reused, markdown = _run(tmp_path, pages)
    body = markdown.split("</dl>", 1)[1]  # the card names the TAG LY "Libya" (its tooltip)
    assert reused == 1 and "Lybia" in body and "Libya" not in body
    # Touched only (new mtime, same bytes): hashed, and the cache entry of those bytes is found.
    os.utime(page, (_OLD + 120, _OLD + 120))
    assert _run(tmp_path, pages)[0] == 2


def test_a_damaged_stamps_file_means_every_page_is_hashed(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    _run(tmp_path, pages)
    (tmp_path / "cache" / "stamps.json").write_text("{not json", encoding="utf-8")
    assert _run(tmp_path, pages)[0] == 2
