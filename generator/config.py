"""The settings of a run, from command-line flags, as one frozen record."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Config:
    """Where pages come from and where the site goes.

    ``pages``: files or folders of scraped pages; ``docs_dir``: the MkDocs docs folder
    (generated pages go to its ``cables/`` folder); ``config_file``: mkdocs.yml;
    ``site_dir``: the built site; ``strict``: any bad page fails the run;
    ``external_url``: template (``{id}``) for references to documents outside the collection;
    ``jobs``: worker processes; ``cache_dir``: the cache of parsed pages (incremental rebuilds);
    ``search``: ``auto`` (Material's search up to 1,000 documents, sharded above), ``material`` or ``sharded``;
    ``page_timeout``: seconds one page may take to convert (0: no limit); ``allow_empty``: PAGES holding
    no document may replace a site that has some.
    """

    pages: tuple[Path, ...]
    docs_dir: Path = PROJECT_DIR / "site_src"
    config_file: Path = PROJECT_DIR / "mkdocs.yml"
    site_dir: Path = PROJECT_DIR / "site"
    strict: bool = False
    jobs: int = os.cpu_count() or 1
    cache_dir: Path = PROJECT_DIR / ".cleansite-cache"
    search: str = "auto"
    external_url: str | None = None
    page_timeout: float = 60.0
    allow_empty: bool = False

    def __post_init__(self) -> None:
        # MkDocs resolves a relative site_dir against mkdocs.yml's folder, not the working
        # directory: every path is made absolute here, once, so all stages agree.
        for name in ("docs_dir", "config_file", "site_dir", "cache_dir"):
            object.__setattr__(self, name, Path(getattr(self, name)).resolve())
        object.__setattr__(self, "pages", tuple(Path(p) for p in self.pages))
