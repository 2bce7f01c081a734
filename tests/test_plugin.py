"""The MkDocs plugin: ``plugins: [search, cleansite: {pages: [...]}]`` in a mkdocs.yml of the user's own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from cleansite.pipeline import convert
from cleansite.search import search
from conftest import PAGES_DIR, PROJECT_DIR, project_copy
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

CONFIG = """site_name: Someone's site
use_directory_urls: false
theme:
  name: material
plugins:
  - search
  - cleansite:
      pages: [scraped/]
      strict: {strict}
markdown_extensions: [attr_list, toc]
"""


def _site(root: Path, strict: bool = False) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Notes\n\nSee [the cables](cables/index.md).\n", encoding="utf-8")
    shutil.copytree(PROJECT_DIR / "samples" / "wikileaks", root / "scraped")
    shutil.copy(PAGES_DIR / "scoop-text" / "10CHENGDU28.txt", root / "scraped")
    (root / "mkdocs.yml").write_text(CONFIG.format(strict=str(strict).lower()), encoding="utf-8")
    return root


def _mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], capture_output=True, text=True, cwd=root)


def test_mkdocs_build_makes_the_cable_pages_browse_pages_and_search(tmp_path: Path) -> None:
    root = _site(tmp_path)
    result = _mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "cables" / "10CHENGDU28.html").read_text(encoding="utf-8")
    assert 'id="p9"' in html and 'id="ref-a"' in html and "cleansite.css" in html and "iframe-worker-shim" in html
    assert "unpkg.com" not in html
    assert (root / "site" / "cables" / "index.html").is_file() and (root / "site" / "index.html").is_file()
    assert (root / "site" / "search.html").is_file()  # the search box's "all results" page, added when the docs lack one
    assert search(root / "site", "10 CHENGDU 28")[:1] == ["10CHENGDU28"]  # cleansite's index, as `cleansite build` writes it
    assert search(root / "site", "Zongshan")[:1] == ["10CHENGDU28"]
    assert "index.html" in search(root / "site", "Notes")  # the user's own page is found too
    assert not (root / "docs" / "cables").exists()  # generated pages live beside the cache, not in the user's docs


def test_the_plugin_makes_the_same_cable_page_as_cleansite_convert(tmp_path: Path) -> None:
    root = _site(tmp_path / "plugin")
    assert _mkdocs_build(root).returncode == 0
    (generated,) = (root / ".cleansite-cache" / "plugin").glob("*/cables/10CHENGDU28.md")
    from cleansite.config import Config

    convert(Config(pages=(root / "scraped",), docs_dir=tmp_path / "cli", cache_dir=tmp_path / "cache"))
    assert generated.read_text(encoding="utf-8") == (tmp_path / "cli" / "cables" / "10CHENGDU28.md").read_text(encoding="utf-8")


def test_a_bad_page_is_named_and_fails_a_strict_plugin(tmp_path: Path) -> None:
    root = _site(tmp_path, strict=True)
    (root / "scraped" / "empty.txt").write_bytes(b"")
    result = _mkdocs_build(root)
    assert result.returncode != 0
    assert "empty.txt: empty file" in result.stderr


def test_the_live_preview_searches_cables_a_sharded_build_left_out_of_materials_index(tmp_path: Path) -> None:
    """``cleansite serve`` after a corpus build: documents carry ``search: exclude`` for the sharded index."""
    config = project_copy(tmp_path, search="sharded")
    convert(config)
    assert "exclude: true" in (tmp_path / "site_src" / "cables" / "10CHENGDU28.md").read_text(encoding="utf-8")
    mkdocs = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
    mkdocs.plugins.on_startup(command="serve", dirty=False)
    try:
        mkdocs_build(mkdocs)
    finally:
        mkdocs.plugins.on_shutdown()
    index = json.loads((tmp_path / "preview" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(entry["location"].startswith("cables/10CHENGDU28.html") for entry in index["docs"])
