"""The MkDocs plugin: ``plugins: [search, cleansite: {pages: [scraped/]}]`` in any mkdocs.yml.

Everything goes through MkDocs' documented events: ``on_config`` adds cleansite's theme folder
(templates, stylesheet, scripts) to the theme's search path and its vendored web-worker shim to
``extra.polyfills``; ``on_files`` runs the same pipeline as ``cleansite convert`` (cache,
incremental rendering) into a folder beside the cache and adds each page with
``File.generated``; ``on_serve`` watches the scraped pages, so ``mkdocs serve`` rebuilds what
changed; ``on_post_build`` writes cleansite's search index of the site, as ``cleansite build``
does, so a plugin site searches the same way (IDs, prefixes, typos, filters, the search page).
MkDocs builds in one process: larger collections use ``cleansite build``, whose builds are sharded.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from cleansite import checks
from cleansite.config import CACHE_NAME, EXECUTORS, Config
from cleansite.directpage import DirectRendering, supported
from cleansite.htmlstore import HtmlStore
from cleansite.render import DOCS_FOLDER
from cleansite.report import Report, summary
from cleansite.resources import pages_dir, theme_dir
from cleansite.scaffold import SEARCH_PAGE
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.cleansite")
POLYFILL = "assets/javascripts/vendor/iframe-worker-shim-1.0.4.js"


class CleansiteConfig(base.Config):
    """The plugin's options (paths relative to mkdocs.yml's folder)."""

    pages = c.ListOfItems(c.Type(str), default=[])
    """Files or folders of scraped pages; none: the plugin only adds the reading theme."""
    external_url = c.Optional(c.Type(str))
    """Template (``{id}``) linking references to documents outside the collection."""
    source_url = c.Optional(c.Type(str))
    """Template (``{id}``, ``{year}``, ``{month}``) linking the card of a document whose page does not name its URL."""
    cache = c.Type(str, default=CACHE_NAME)
    """The cache of parsed pages (and of the generated Markdown)."""
    jobs = c.Type(int, default=os.cpu_count() or 1)
    """Worker processes."""
    strict = c.Type(bool, default=False)
    """Fail the build when any page cannot be converted."""
    executor = c.Choice(EXECUTORS, default="pool")
    """Where the per-page stages run: ``pool`` (the built-in process pool) or ``dask`` (a Dask cluster, local by default)."""
    scheduler = c.Optional(c.Type(str))
    """Address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786`` (implies ``executor: dask``)."""


class CleansitePlugin(BasePlugin[CleansiteConfig]):
    """Cable pages, browsing pages and the reading theme, made inside MkDocs' own build."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.cli_build = False  # set by ``cleansite build``: it wrote the pages already
        self.html_store: HtmlStore | None = None  # set by ``cleansite build``: where it put the pages' HTML
        self.shard: str | None = None  # set by ``cleansite build`` for one MkDocs run of several: "first" or "other"
        self.converted: tuple[Config, Report] | None = None  # the last conversion's settings and report, for the search index

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        self.serving = False  # MkDocs keeps plugin instances across loads in one process

    @event_priority(100)  # before Material's offline plugin, which adds an unpkg.com shim unless one is listed
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the reading theme after the user's own ``custom_dir``, the vendored shim to the polyfills, and
        the Markdown extensions the cable pages use."""
        ours = theme_dir().resolve()
        if all(Path(folder).resolve() != ours for folder in config.theme.dirs):
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(ours))
        polyfills = config.extra.setdefault("polyfills", [])
        if not any("iframe-worker" in str(url) for url in polyfills):
            polyfills.append(POLYFILL)
        for extension in ("attr_list", "md_in_html"):  # the metadata card holds Markdown links inside HTML
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if self.shard == "other":  # the site takes the 404 page and sitemap of the first shard
            config.theme.static_templates.clear()
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Convert the pages (through the cache) and add every generated page to the site; the cable pages
        whose HTML cleansite made are rendered from it (``directpage``)."""
        store = self.html_store
        if self.config.pages and not self.cli_build:
            files = self._add_pages(files, config)
            store = HtmlStore(Path(config.config_file_path).resolve().parent / self.config.cache)
        if store is not None and supported(config):
            # In a shard, a generated page missing from this run is another shard's (every link was checked before).
            DirectRendering(store, pages_elsewhere=self.shard is not None).wrap(files, config, _is_generated_page)
        return files

    def _add_pages(self, files: Files, config: MkDocsConfig) -> Files:
        folder = self._convert(config) / DOCS_FOLDER
        for own in [f for f in files if f.src_uri.startswith(f"{DOCS_FOLDER}/")]:
            files.remove(own)  # pages a previous ``cleansite build`` left in the docs folder
        for page in sorted(folder.rglob("*.md")):
            uri = f"{DOCS_FOLDER}/{page.relative_to(folder).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(page)))
        if files.get_file_from_path(SEARCH_PAGE) is None:  # the search box's "all results" link leads there
            files.append(File.generated(config, SEARCH_PAGE, abs_src_path=str(pages_dir() / SEARCH_PAGE)))
        return files

    @event_priority(-100)  # after Material's search and offline plugins have written their index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write cleansite's search index of the documents and pages (not in the live preview: Material's has every page)."""
        if self.converted and not self.serving and not self.cli_build:
            from cleansite.pipeline import write_search_index

            write_search_index(*self.converted, Path(config.site_dir))

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """Rebuild when a scraped page changes (the cache parses only what changed)."""
        for pages in self._pages(config):
            server.watch(str(pages))
        return server

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """In ``mkdocs serve``, search every page: the preview has no sharded index."""
        if self.serving and (page.meta.get("search") or {}).get("exclude"):
            page.meta.pop("search")
        return markdown

    def _pages(self, config: MkDocsConfig) -> list[Path]:
        base_dir = Path(config.config_file_path).resolve().parent
        return [base_dir / pages for pages in self.config.pages]

    def _check_templates(self) -> None:
        """The URL templates land in links: checked as the command line checks them."""
        try:
            checks.check_external_url(self.config.external_url)
            checks.check_source_url(self.config.source_url)
        except checks.UsageError as error:
            raise PluginError(f"cleansite: {str(error).replace('--', '').replace('-url', '_url')} (plugin option)") from error

    def _convert(self, config: MkDocsConfig) -> Path:
        """Run ``cleansite convert`` into a folder of the cache; log its bad pages as MkDocs warnings."""
        # Imported here: the pipeline (parser, search index...) is most of the plugin's import time, and each
        # MkDocs process of a sharded ``cleansite build`` loads the plugin but never converts.
        from cleansite.dask_executor import ClusterUnusable
        from cleansite.pipeline import StrictFailure, convert

        base_dir = Path(config.config_file_path).resolve().parent
        cache = base_dir / self.config.cache
        work = cache / "plugin" / hashlib.sha256(str(Path(config.config_file_path).resolve()).encode()).hexdigest()[:12]
        self._check_templates()
        missing = [str(p) for p in self._pages(config) if not p.exists()]
        if missing:
            raise PluginError(f"cleansite: no such file or folder: {', '.join(missing)}")
        run = Config(
            pages=tuple(self._pages(config)), docs_dir=work, config_file=Path(config.config_file_path), site_dir=work / "unused",
            cache_dir=cache, jobs=max(1, self.config.jobs), external_url=self.config.external_url,
            source_url=self.config.source_url,
            strict=self.config.strict, allow_empty=True,
            executor="dask" if self.config.scheduler else self.config.executor, scheduler=self.config.scheduler,
        )  # fmt: skip
        try:
            report = convert(run)
        except ClusterUnusable as error:
            raise PluginError(f"cleansite: {error}") from error
        except StrictFailure as error:
            for line in error.report.bad_pages() if error.report else []:
                log.error(line)
            raise PluginError(f"cleansite: {error}") from error
        for line in report.bad_pages():
            log.warning(line)
        self.converted = (run, report)
        log.info("cleansite: " + ", ".join(f"{k} {v}" for k, v in summary(report).items()))
        return work


def _is_generated_page(file: File) -> bool:
    """A page cleansite generated: a cable page (``cables/10CHENGDU28.md``) or a browsing page (``cables/by-tag/prel.md``)."""
    return file.src_uri.startswith(f"{DOCS_FOLDER}/")
