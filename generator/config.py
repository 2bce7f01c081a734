"""The settings of a run, from command-line flags and the user's mkdocs.yml, as one frozen record.

Paths come from the working folder, as MkDocs users expect: ``./mkdocs.yml`` when there is one
(its ``docs_dir`` and ``site_dir``, the cache beside it), else the bundled mkdocs.yml with
``site_src/``, ``site/`` and ``.cleansite-cache/`` in the working folder. Never from where the
package is installed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cleansite.resources import bundled_config, samples_dir

CONFIG_NAME = "mkdocs.yml"
CACHE_NAME = ".cleansite-cache"
BUNDLED_DOCS, BUNDLED_SITE = "site_src", "site"
EXECUTORS = ("pool", "dask")  # where the per-page stages run: the built-in process pool, or a Dask cluster


def default_config_file(folder: Path | None = None) -> Path:
    """``mkdocs.yml`` of ``folder`` (default: the working folder) if there is one, else the bundled one."""
    own = (folder or Path.cwd()) / CONFIG_NAME
    return own if own.is_file() else bundled_config()


def is_bundled(config_file: Path) -> bool:
    """Whether ``config_file`` is the mkdocs.yml shipped with cleansite."""
    return config_file.resolve() == bundled_config().resolve()


@dataclass(frozen=True, slots=True)
class Folders:
    """Where a config file puts things: its docs folder, its site folder, the cache."""

    docs_dir: Path
    site_dir: Path
    cache_dir: Path


def folders_of(config_file: Path) -> Folders:
    """The folders of a mkdocs.yml, relative to its folder (MkDocs' defaults ``docs``, ``site``).

    The bundled mkdocs.yml has its folders in the working folder instead: it lives inside the package.
    """
    if is_bundled(config_file):
        here = Path.cwd()
        return Folders(here / BUNDLED_DOCS, here / BUNDLED_SITE, here / CACHE_NAME)
    from mkdocs.utils.yaml import yaml_load  # only for a mkdocs.yml of the user's: converting with the bundled one needs no MkDocs

    with open(config_file, encoding="utf-8") as handle:
        settings = yaml_load(handle) or {}
    base = config_file.resolve().parent
    return Folders(base / settings.get("docs_dir", "docs"), base / settings.get("site_dir", "site"), base / CACHE_NAME)


@dataclass(frozen=True, slots=True)
class Config:
    """Where pages come from and where the site goes.

    ``pages``: files or folders of scraped pages (none: the bundled samples); ``config_file``:
    mkdocs.yml (None: ``./mkdocs.yml``, else the bundled one); ``docs_dir``: the MkDocs docs
    folder (generated pages go to its ``cables/`` folder), ``site_dir``: the built site and
    ``cache_dir``: the cache of parsed pages (incremental rebuilds), each None for the
    config file's own; ``strict``: any bad page fails the run; ``external_url``: template
    (``{id}``) for references to documents outside the collection; ``source_url``: template (``{id}``,
    ``{year}``, ``{month}``) for the source page of documents whose page does not name its URL; ``jobs``: worker processes;
    ``search``: ``auto`` (Material's search up to 1,000 documents, sharded above), ``material`` or ``sharded``;
    ``page_timeout``: seconds one page may take to convert (0: no limit); ``allow_empty``: PAGES holding
    no document may replace a site that has some; ``executor``: where the per-page stages run, ``pool`` (the
    built-in process pool of ``jobs`` workers) or ``dask`` (a Dask cluster: the one at ``scheduler``, an address
    such as ``tcp://host:8786``, else a local cluster of ``jobs`` workers).
    """

    pages: tuple[Path, ...] = ()
    docs_dir: Path | None = None
    config_file: Path | None = None
    site_dir: Path | None = None
    strict: bool = False
    jobs: int = os.cpu_count() or 1
    cache_dir: Path | None = None
    search: str = "auto"
    external_url: str | None = None
    source_url: str | None = None
    page_timeout: float = 60.0
    allow_empty: bool = False
    executor: str = "pool"
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {self.executor!r}")
        # MkDocs resolves a relative site_dir against mkdocs.yml's folder, not the working
        # directory: every path is made absolute here, once, so all stages agree.
        config_file = Path(self.config_file or default_config_file()).resolve()
        defaults = folders_of(config_file)
        object.__setattr__(self, "config_file", config_file)
        for name in ("docs_dir", "site_dir", "cache_dir"):
            object.__setattr__(self, name, Path(getattr(self, name) or getattr(defaults, name)).resolve())
        object.__setattr__(self, "pages", tuple(Path(p) for p in self.pages) or (samples_dir(),))
