"""Shared test settings: paths to real pages, and the flag that regenerates golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
