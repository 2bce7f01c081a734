"""Shared test settings: paths to real pages, and the flag that regenerates golden files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from cleansite.config import Config

TESTS_DIR = Path(__file__).parent
PAGES_DIR = TESTS_DIR / "pages"
PROJECT_DIR = TESTS_DIR.parent
CORPUS_DIR = Path(os.environ.get("CLEANSITE_CORPUS", PROJECT_DIR.parent / "shared" / "corpus"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite the golden .json/.md files of tests/pages")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--update-goldens")


def page_path(source: str, name: str) -> Path:
    """A real page of tests/pages."""
    return PAGES_DIR / source / name


def project_copy(root: Path, **settings) -> Config:
    """The hand-written site (site_src/ without generated pages, theme/, mkdocs.yml) copied under
    ``root``, and a Config that builds the samples there (``settings`` override its fields)."""
    shutil.copytree(PROJECT_DIR / "site_src", root / "site_src", ignore=shutil.ignore_patterns("cables"))
    shutil.copytree(PROJECT_DIR / "theme", root / "theme")
    shutil.copy(PROJECT_DIR / "mkdocs.yml", root / "mkdocs.yml")
    fields = {"pages": (PROJECT_DIR / "samples",), "docs_dir": root / "site_src", "config_file": root / "mkdocs.yml",
              "site_dir": root / "site", "cache_dir": root / "cache"}  # fmt: skip
    return Config(**(fields | settings))
