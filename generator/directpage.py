"""MkDocs pages cleansite generated and made the HTML of, so Python-Markdown does not parse them again.

``DirectPage`` is an ordinary MkDocs ``Page`` (Material's blog plugin subclasses it the same
way) that the plugin puts on the ``File`` of each generated page (cable pages, listings) in
``on_files``. It reads its Markdown as any page does; when the cache holds the HTML made with exactly those bytes
(``htmlstore``), it takes the front matter, body, table of contents and anchors from there
instead of running Python-Markdown. Everything else stays MkDocs': ``on_page_markdown``,
``on_page_content`` and the other events, templates and theme, the search plugins, and link
checking: every link target of the page goes through MkDocs' own resolver, the one its
Markdown links go through (warnings, ``--strict``, anchors validated after the build).

That HTML is Python-Markdown's only with the Markdown extensions of cleansite's mkdocs.yml
(``supported``); with others, Python-Markdown renders every page. The first cable page and
the first listing of each build are rendered both ways and compared; if either differs,
Python-Markdown renders every page.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cleansite.htmlparts import HtmlPage, attribute_value
from cleansite.htmlstore import HtmlStore
from cleansite.render import DOCS_FOLDER
from markdown.extensions.toc import nest_toc_tokens
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

# MkDocs' resolver of the links of a page (``path_to_url``: the target file, its relative URL,
# warnings as the validation settings say, the anchors to check after the build). A private
# class: mkdocs is pinned in pyproject.toml, and tests/test_direct_html.py builds with it.
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils import meta as front_matter

log = logging.getLogger("mkdocs.plugins.cleansite")
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # where MkDocs logs broken links

SUPPORTED_EXTENSIONS = {"toc", "tables", "fenced_code", "attr_list", "md_in_html"}
_NEEDED_EXTENSIONS = {"toc", "attr_list", "md_in_html"}


def supported(config: MkDocsConfig) -> bool:
    """Whether Python-Markdown, as ``config`` sets it up, makes the HTML ``htmlpage`` makes."""
    names = set()
    for extension in config.markdown_extensions:
        if not isinstance(extension, str):
            return False
        names.add(extension.removeprefix("markdown.extensions."))
    settings = dict(config.mdx_configs or {})
    toc = settings.pop("toc", None) or settings.pop("markdown.extensions.toc", None) or {}
    plain_toc = all(name == "permalink" and not value for name, value in toc.items())
    return _NEEDED_EXTENSIONS <= names <= SUPPORTED_EXTENSIONS and plain_toc and not settings


class DirectRendering:
    """The HTML of one build's generated pages: where it is kept, whether it proved the same as Python-Markdown's,
    and the link targets MkDocs resolved so far (``LinkTargets``)."""

    def __init__(self, store: HtmlStore, pages_elsewhere: bool = False) -> None:
        self.store = store
        self.checked: set[int] = set()  # the kinds of page (cable page, listing) checked so far
        self.enabled = True
        self.targets = LinkTargets(pages_elsewhere)

    def wrap(self, files: Files, config: MkDocsConfig, is_generated: Callable[[File], bool]) -> None:
        """Give each generated page (``is_generated(file)``) a ``DirectPage``, but those of the nav (MkDocs gives
        them their title from it when it makes their page)."""
        in_nav = set(_paths(config.nav))
        for file in files.documentation_pages():
            if file.page is None and is_generated(file) and file.src_uri not in in_nav:
                DirectPage(file, config, self)

    def render(self, page: DirectPage, config: MkDocsConfig, files: Files) -> None:
        """Set what ``Page.render`` sets from the page's HTML; the first time, check it against Python-Markdown's."""
        kind = page.file.src_uri.count("/")  # cables/ID.md, cables/by-tag/prel.md: each made by its own code
        if kind not in self.checked:
            self.checked.add(kind)
            with _silenced(_PAGES_LOG):  # the page's link warnings are logged once, below
                self.enabled = direct_render(page, files, config) == markdown_render(page, files, config)
            if not self.enabled:
                log.info(f"cleansite: the HTML made for {page.file.src_uri} is not Python-Markdown's, which renders every page")
                Page.render(page, config, files)
                return
        direct_render(page, files, config).apply(page)


class DirectPage(Page):
    """A generated cable page: its HTML from the cache when there is HTML made with its Markdown, else Python-Markdown's."""

    def __init__(self, file: File, config: MkDocsConfig, rendering: DirectRendering) -> None:
        super().__init__(None, file, config)
        self.rendering = rendering
        self.html: HtmlPage | None = None
        self._markdown_read: str | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        """As ``Page.read_source``; the front matter comes with the HTML when there is HTML for these bytes."""
        source = config.plugins.on_page_read_source(page=self, config=config)
        try:
            data = self.file.content_bytes if source is None else source.encode("utf-8")
        except OSError:
            log.error(f"File not found: {self.file.src_path}")
            raise
        try:  # as File.content_string reads it: UTF-8 without a BOM, universal newlines
            text = source if source is not None else data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except ValueError:
            log.error(f"Encoding error reading file: {self.file.src_path}")
            raise
        html = self.rendering.store.get(data) if self.rendering.enabled else None
        match = front_matter.YAML_RE.match(text)
        if html is not None and match:  # its front matter as the HTML page holds it: not parsed as YAML again
            self.markdown, self.meta = text[match.end() :].lstrip("\n"), html.meta
        else:
            self.markdown, self.meta = front_matter.get_data(text)
            html = html if html is not None and self.meta == html.meta else None
        self.html, self._markdown_read = html, self.markdown

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """The HTML made with this page's Markdown, unless a plugin changed the Markdown since (then Python-Markdown's)."""
        if self.html is None or self.markdown is not self._markdown_read or not self.rendering.enabled:
            super().render(config, files)
        else:
            self.rendering.render(self, config, files)


@dataclass
class Rendered:
    """What ``Page.render`` sets on a page."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str]
    links_to_anchors: dict | None

    def __eq__(self, other: object) -> bool:
        mine, theirs = (self.content, str(self.toc), self.title, self.anchors, self.links_to_anchors), None
        if isinstance(other, Rendered):
            theirs = (other.content, str(other.toc), other.title, other.anchors, other.links_to_anchors)
        return mine == theirs

    def apply(self, page: Page) -> None:
        page.content, page.toc, page._title_from_render = self.content, self.toc, self.title
        page.present_anchor_ids, page.links_to_anchors = self.anchors, self.links_to_anchors


def direct_render(page: DirectPage, files: Files, config: MkDocsConfig) -> Rendered:
    """What ``Page.render`` would set, from the page's HTML: each link target resolved (and checked) by MkDocs."""
    links = _RelativePathTreeprocessor(page.file, files, config)
    resolve = page.rendering.targets.resolver(page.file, files, links)
    pieces = page.html.pieces
    content = "".join(piece if n % 2 == 0 else attribute_value(resolve(piece)) for n, piece in enumerate(pieces))
    toc = get_toc(nest_toc_tokens([{"level": level, "id": anchor, "name": name} for level, anchor, name in page.html.toc]))
    checked = links.links_to_anchors if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG else None  # as Page.render
    return Rendered(content, toc, page.html.title, set(page.html.anchors), checked)


class LinkTargets:
    """The link targets MkDocs resolved in this build, so that a target linked from a thousand pages of one folder
    (a listing's rows, a card's month) is looked up once.

    The first time, MkDocs' ``path_to_url`` resolves it (and logs what is wrong with it); a target
    it resolved to a page of the site, unchanged by anything but the page's folder, is kept.
    Later links to it record their anchor for MkDocs' anchor check, as ``path_to_url`` does.
    With ``pages_elsewhere`` (a shard of a sharded build), a link to a generated page this run
    does not have is left as written, as ``path_to_url`` would leave it, without its search
    for what was meant: the page is another shard's (``site.check_links`` checked every link,
    and the shard's links to other shards are rewritten after its build).
    """

    def __init__(self, pages_elsewhere: bool = False) -> None:
        self.known: dict[tuple[str, str, str], tuple[File, str]] = {}
        self.pages_elsewhere = pages_elsewhere

    def resolver(self, file: File, files: Files, links: _RelativePathTreeprocessor) -> Callable[[str], str]:
        """``links.path_to_url`` for the links of ``file``, remembering what it found."""
        folders = (posixpath.dirname(file.src_uri), _url_folder(file.url))

        def resolve(url: str) -> str:
            path, _, anchor = url.partition("#")
            known = self.known.get((*folders, path)) if path else None
            if known is None and path and self.pages_elsewhere and self._elsewhere(file, files, path):
                return url
            if known is None:
                resolved = links.path_to_url(url)
                self._remember(file, files, folders, path, resolved, anchor)
                return resolved
            target, relative = known
            if anchor:
                links.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            return f"{relative}#{anchor}" if anchor else relative

        return resolve

    def _remember(self, file: File, files: Files, folders: tuple[str, str], path: str, resolved: str, anchor: str) -> None:
        plain = path and ":" not in path and not path.startswith(("/", "\\")) and "?" not in path and "%" not in path
        target = files.get_file_from_path(_RelativePathTreeprocessor._target_uri(file.src_uri, path)) if plain else None
        if target is None or target.inclusion.is_excluded():
            return
        relative = get_relative_url(target.url, file.url)
        if resolved == (f"{relative}#{anchor}" if anchor else relative):  # as MkDocs made it: nothing else at play
            self.known[(*folders, path)] = (target, relative)


    @staticmethod
    def _elsewhere(file: File, files: Files, path: str) -> bool:
        """Whether ``path`` names a generated page (``cables/``) this run does not have."""
        if ":" in path or path.startswith(("/", "\\")) or not path.endswith(".md"):
            return False
        target = _RelativePathTreeprocessor._target_uri(file.src_uri, path)
        return target.startswith(f"{DOCS_FOLDER}/") and files.get_file_from_path(target) is None


def _url_folder(url: str) -> str:
    """The folder ``mkdocs.utils.get_relative_url`` takes a page's URL for (``cables/`` of ``cables/X.html``)."""
    folder, _, name = url.rpartition("/")
    return folder if "." in name else url


def markdown_render(page: Page, files: Files, config: MkDocsConfig) -> Rendered:
    """What Python-Markdown sets on ``page`` (``Page.render``)."""
    Page.render(page, config, files)
    return Rendered(page.content, page.toc, page._title_from_render, page.present_anchor_ids, page.links_to_anchors)


def _paths(nav) -> Iterator[str]:
    """Every page path named in a ``nav`` setting."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _paths(item)


@contextmanager
def _silenced(logger: logging.Logger) -> Iterator[None]:
    was, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = was
