"""Where the bundled files are: mkdocs.yml, theme/, the hand-written pages and the sample pages.

A wheel ships them as ``cleansite/data/`` (laid out as the repository's top level); a source
checkout (editable install) has them at the top of the repository, beside ``generator/``.
Every default path of a run comes from the working folder or the user's mkdocs.yml, never
from here: these are only what a run falls back to.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
STARTER = _PACKAGE / "starter"
SCHEMA = _PACKAGE / "schema" / "parse-record.schema.json"


@cache
def data_dir() -> Path:
    """The folder holding the bundled ``mkdocs.yml``, ``theme/``, ``site_src/`` and ``samples/``."""
    for folder in (_PACKAGE / "data", _PACKAGE.parent):
        if (folder / "mkdocs.yml").is_file() and (folder / "theme").is_dir():
            return folder
    raise FileNotFoundError(f"cleansite's bundled files are missing (looked in {_PACKAGE / 'data'} and {_PACKAGE.parent})")


def bundled_config() -> Path:
    """The bundled mkdocs.yml (the repository's own)."""
    return data_dir() / "mkdocs.yml"


def theme_dir() -> Path:
    """Material overrides (``custom_dir``): templates, the stylesheet, the scripts, the search worker."""
    return data_dir() / "theme"


def search_worker() -> Path:
    """The sharded search's worker script, which replaces Material's in a sharded site."""
    return theme_dir() / "assets" / "javascripts" / "cleansite-search-worker.js"


def samples_dir() -> Path:
    """The sample pages ``cleansite build`` builds when given no pages."""
    return data_dir() / "samples"


def pages_dir() -> Path:
    """The hand-written pages (home, about) of the bundled site."""
    return data_dir() / "site_src"
