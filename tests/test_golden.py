"""Golden files: every real page in tests/pages parses and renders exactly as reviewed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cleansite.config import Config
from cleansite.pipeline import convert, parse_records
from conftest import PAGES_DIR, PROJECT_DIR

PAGES = sorted(p for p in PAGES_DIR.rglob("*") if p.suffix in (".html", ".txt"))


def _record(page: Path, tmp: Path) -> tuple[dict, str | None]:
    """The parse record and Markdown page of a page, as a collection of that one page, by what ``parse`` and ``convert`` run."""
    relative = page.relative_to(PROJECT_DIR)
    ((line, _),) = list(parse_records([relative], 1, tmp / "cache"))
    record = json.loads(line)
    if record.get("id") is None:
        return record, None
    convert(Config(pages=(relative,), docs_dir=tmp / "docs", cache_dir=tmp / "cache"))
    return record, (tmp / "docs" / "cables" / f"{record['id']}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_page_matches_golden(page: Path, update_goldens: bool, tmp_path: Path) -> None:
    record, markdown = _record(page, tmp_path)
    golden_json, golden_md = page.with_suffix(".json"), page.with_suffix(".md")
    if update_goldens:
        golden_json.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if markdown is not None:
            golden_md.write_text(markdown, encoding="utf-8")
    assert record == json.loads(golden_json.read_text(encoding="utf-8"))
    if markdown is not None:
        assert markdown == golden_md.read_text(encoding="utf-8")


def test_every_form_has_two_golden_pages() -> None:
    forms = {p.parent.name for p in PAGES}
    assert forms >= {"scoop-text", "wikileaks-viewer", "body-fragment", "body-plain", "pdf-text"}
    for form in forms - {"scoop-text"}:
        assert sum(1 for p in PAGES if p.parent.name == form) >= 2, form
