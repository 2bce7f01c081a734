"""Speed work must not change output: records and pages of a sample of real pages, byte for byte.

``tests/identical/sample.json`` holds the SHA-256 of the ``cleansite parse`` record of every
6th page of ../shared/corpus and of every Markdown page ``convert`` writes for them, made by
the code before the speed work (issue 13: main at commit b81a551; its Markdown made again by
branch reader2, whose cable pages gain links, Released and previous/next, and by branch search3,
whose cards link to the source page). Regenerate it only for a change
that is meant to change output: ``python tests/test_identical.py``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from cleansite.config import Config
from cleansite.load import find_pages
from cleansite.pipeline import convert, parse_records

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CORPUS_DIR  # noqa: E402

REFERENCE = Path(__file__).parent / "identical" / "sample.json"
pytestmark = pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not on this machine")


def sample_pages() -> list[Path]:
    """Every 6th page of the corpus, in path order (all its forms, clusters that cite each other)."""
    return find_pages([CORPUS_DIR])[::6]


def digests(work: Path) -> dict[str, dict[str, str]]:
    """The SHA-256 of each page's record (paths relative to the corpus) and of each Markdown page written."""
    pages = sample_pages()
    prefix = str(CORPUS_DIR) + "/"
    records = {}
    for page, (line, _) in zip(pages, parse_records(pages, 1, work / "cache"), strict=True):
        records[str(page.relative_to(CORPUS_DIR))] = hashlib.sha256(line.replace(prefix, "").encode()).hexdigest()
    config = Config(pages=tuple(pages), docs_dir=work / "docs", cache_dir=work / "cache", jobs=1)
    convert(config)
    markdown = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((work / "docs" / "cables").glob("*.md"))}
    return {"records": records, "markdown": markdown}


def test_sample_output_unchanged(tmp_path: Path) -> None:
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    found = digests(tmp_path)
    for kind in ("records", "markdown"):
        changed = sorted(name for name in expected[kind].keys() | found[kind].keys() if expected[kind].get(name) != found[kind].get(name))
        assert not changed, f"{kind} changed: {changed[:10]}"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        REFERENCE.write_text(json.dumps(digests(Path(folder)), indent=1, sort_keys=True) + "\n", encoding="utf-8")
