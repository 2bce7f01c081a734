"""The library API, the JSON Schema of ``cleansite parse``, and the pipeline under the spawn start method."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from cleansite import api
from cleansite.config import Config
from cleansite.pipeline import build, convert
from cleansite.resources import SCHEMA
from cleansite.search import search
from conftest import PAGES_DIR, PROJECT_DIR, project_copy

CHENGDU = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"


def _parse(*pages: Path) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "cleansite", "parse", *map(str, pages)], capture_output=True, text=True, cwd=PROJECT_DIR)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_parse_record_follows_the_shipped_schema(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "only-artefacts.txt").write_text("Appears in these articles:\n", encoding="utf-8")
    records = _parse(PAGES_DIR, PROJECT_DIR / "samples", tmp_path)
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert {next(iter(set(r) & {"id", "error", "skipped"})) for r in records} == {"id", "error", "skipped"}
    for record in records:
        validator.validate(record)
    broken = {**records[-1], "blocks": [{"kind": "paragraph"}]} if "id" in records[-1] else {**records[0], "extra": 1}
    assert not validator.is_valid(broken)  # the schema can fail


def test_the_readme_library_example_runs() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.S)
    result = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert result.returncode == 0, result.stderr
    assert "10CHENGDU28" in result.stdout


def test_parse_and_render_one_page_as_the_golden_file() -> None:
    document = api.parse_page(CHENGDU.relative_to(PROJECT_DIR))
    assert isinstance(document, api.Document) and all(isinstance(b, api.Block) for b in document.blocks)
    assert api.render(document) == CHENGDU.with_suffix(".md").read_text(encoding="utf-8")
    with pytest.raises(api.PageUnreadable):
        api.parse_page(PROJECT_DIR / "pyproject.toml.missing")


def test_iterating_a_folder_gives_every_page_in_path_order() -> None:
    pages = list(api.iter_documents([PAGES_DIR / "pdf-text", PAGES_DIR / "scoop-text"]))
    assert [p.path for p in pages] == sorted(p.path for p in pages) and len(pages) == 4
    linked = {p.result.id: p for p in api.iter_linked([PROJECT_DIR / "samples"]) if isinstance(p.result, api.Document)}
    assert linked["09TRIPOLI208"].citations and any(s.link.target_id for s in linked["09TRIPOLI886"].links)


def _pages(tmp_path: Path) -> Path:
    """Over 64 pages, so the stages really run in the pool: the samples three times (duplicates included)."""
    for copy in range(3):
        shutil.copytree(PROJECT_DIR / "samples", tmp_path / "pages" / str(copy))
    return tmp_path / "pages"


def test_spawned_workers_convert_as_one_process_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers get the run's context from the pool's initializer only: nothing inherited from a fork."""
    pages = _pages(tmp_path)
    alone = convert(Config(pages=(pages,), docs_dir=tmp_path / "one", cache_dir=tmp_path / "cache-one", jobs=1))
    monkeypatch.setenv("CLEANSITE_START_METHOD", "spawn")
    spawned = convert(Config(pages=(pages,), docs_dir=tmp_path / "two", cache_dir=tmp_path / "cache-two", jobs=2))
    # (not parsed_from_cache: which copy of a page parses it first, the others reading it from the cache, is a race)
    assert (spawned.counts.links_between, spawned.counts.links_within) == (alone.counts.links_between, alone.counts.links_within)
    assert spawned.warnings == alone.warnings and len(spawned.documents) == 30
    for page in sorted((tmp_path / "one" / "cables").rglob("*.md")):
        assert page.read_text(encoding="utf-8") == (tmp_path / "two" / page.relative_to(tmp_path / "one")).read_text(encoding="utf-8")


def test_spawned_workers_write_the_sharded_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANSITE_START_METHOD", "spawn")
    build(project_copy(tmp_path, jobs=2, search="sharded"))
    assert search(tmp_path / "site", "Zongshen")[:1] == ["10CHENGDU28"]
