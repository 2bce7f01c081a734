"""``cleansite new DIR``: a starter site (mkdocs.yml, a home page, .gitignore) to build cables into."""

from __future__ import annotations

import shutil
from pathlib import Path

from cleansite.resources import STARTER, pages_dir

# What the starter writes: its file -> where it goes in the new site.
STARTER_FILES = {"mkdocs.yml": "mkdocs.yml", "index.md": "site_src/index.md", "gitignore": ".gitignore"}


SEARCH_PAGE = "search.md"


class SiteExists(FileExistsError):
    """The folder already holds a site: ``new`` never overwrites."""


def new_site(folder: Path) -> list[Path]:
    """Write the starter site into ``folder`` (created if missing); the files written."""
    targets = {name: folder / relative for name, relative in STARTER_FILES.items()}
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing:
        raise SiteExists(f"{', '.join(existing)} already exists; nothing written")
    for name, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STARTER / name, target)
    search_page = folder / "site_src" / SEARCH_PAGE  # the search box's "all results" link leads there
    shutil.copyfile(pages_dir() / SEARCH_PAGE, search_page)
    return [*targets.values(), search_page]


def seed_docs(docs_dir: Path) -> None:
    """Give a docs folder the bundled hand-written pages it lacks (the bundled mkdocs.yml's nav names them)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for page in sorted(pages_dir().glob("*.md")):
        if not (docs_dir / page.name).exists():
            shutil.copyfile(page, docs_dir / page.name)
