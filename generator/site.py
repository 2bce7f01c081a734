"""Build the HTML site from site_src/ with MkDocs (Material theme), swapping it in atomically.

Up to ``SHARDED_BUILD_ABOVE`` documents, one strict MkDocs build does it all. Above, the
generated pages are split into shards (``shard_pages``: about ``SHARD_SIZE`` documents'
worth each, at least two per worker), each built by its own MkDocs run in a new Python
process (``python -m cleansite.site TASK.json``), ``jobs`` at a time (MkDocs is
single-threaded), and the shards are merged into one site. MkDocs cannot check links
into another shard, so the generator checks every link itself first (``check_links``),
and each shard build stays strict for everything else.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace

from cleansite import faults
from cleansite.htmlstore import HtmlStore
from cleansite.ids import DOCUMENT_NAME
from cleansite.link import anchor_list
from cleansite.pool import die_with_parent
from cleansite.render import DOCS_FOLDER
from cleansite.write import staging_folder, swap_in
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

SHARDED_BUILD_ABOVE = 1000
# Documents' worth of pages per shard. Each MkDocs process costs about 3 s of CPU before its
# first page (Python, MkDocs and Material imported, config, theme files, 404 page, sitemap);
# with cable pages and listings no longer parsed by Python-Markdown, a shard of 2,000
# documents holds about 100 MB.
SHARD_SIZE = 2000
def _is_document_page(name: str) -> bool:
    return name.endswith(".md") and bool(DOCUMENT_NAME.match(name[: -len(".md")]))
# A relative link to a page of another shard, which MkDocs left as written (checked by check_links).
_UNRESOLVED = re.compile(r'href="((?![A-Za-z][A-Za-z0-9+.-]*:|/|#)[^"#?]+)\.md(#[^"]*)?"')
_LINK = re.compile(r"\]\((?P<page>[^)\s#]+\.md)?(?:#(?P<anchor>[^)\s]+))?\)")


def _show_mkdocs_warnings() -> None:
    """MkDocs reports problems through logging: print its warnings (one line each) on stderr."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_cleansite", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler._cleansite = True
        logger.addHandler(handler)


class SiteBuildFailed(RuntimeError):
    """MkDocs refused to build (in strict mode, any warning), or a generated link is broken."""


def build_site(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    strict: bool = True,
    commit=None,
    after_build=None,
    jobs: int = 1,
    material_search: bool = True,
    html_cache: Path | None = None,
) -> None:
    """Run MkDocs (``config_file``, on ``docs_dir``) into a staging folder, then swap it in as ``site_dir``.

    ``after_build(staging)`` may add to the built site; ``commit(staging)``, if given, swaps it in instead (with other folders);
    ``material_search`` False says Material's search index will be replaced (sharded builds need not merge it);
    ``html_cache``: the cache holding the HTML the render stage made of the cable pages (``htmlstore``).
    """
    _show_mkdocs_warnings()
    staging = staging_folder(site_dir)
    try:
        documents = sorted(p.name for p in (docs_dir / DOCS_FOLDER).glob("*.md") if _is_document_page(p.name))
        if len(documents) > SHARDED_BUILD_ABOVE:
            _build_in_shards(config_file, docs_dir, staging, documents, strict, jobs, material_search, html_cache)
        else:
            _mkdocs(config_file, docs_dir, staging, strict, html_cache, shard=None)
        if after_build:
            after_build(staging)
        faults.checkpoint("site-built")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if commit:
        commit(staging)
    else:
        swap_in(staging, site_dir)


def _mkdocs(
    config_file: Path, docs_dir: Path, site_dir: Path, strict: bool, html_cache: Path | None, shard: str | None, **overrides
) -> None:
    """One MkDocs build; ``shard``: None (the whole site), ``first`` or ``other`` shard of a sharded build."""
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(site_dir), strict=strict, **overrides)
        # The cable pages are in docs_dir already: the plugin must not make them again, and it
        # finds their HTML in the cache. MkDocs keeps plugin instances across loads in one
        # process, so the settings are put back after.
        plugin = config.plugins.get("cleansite") or SimpleNamespace()
        plugin.cli_build, plugin.html_store, plugin.shard = True, HtmlStore(html_cache) if html_cache else None, shard
        try:
            mkdocs_build(config)
        finally:
            plugin.cli_build, plugin.html_store, plugin.shard = False, None, None
    except (Abort, SystemExit) as error:
        raise SiteBuildFailed(f"mkdocs build failed: {error}") from error


def _build_in_shards(
    config_file: Path, docs_dir: Path, staging: Path, documents: list[str], strict: bool, jobs: int, material_search: bool,
    html_cache: Path | None,
) -> None:
    check_links(docs_dir)
    work = staging / ".shards"
    groups = shard_pages(docs_dir / DOCS_FOLDER, len(documents), jobs)
    tasks = [ShardTask(config_file, docs_dir, work / str(n), group, strict, html_cache, n == 0) for n, group in enumerate(groups)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        running = [threads.submit(_build_shard_in_new_process, task) for task in tasks]
        try:
            for shard in running:
                shard.result()
        except BaseException:
            for shard in running:
                shard.cancel()
            raise
    shutil.copytree(work / "0" / "site", staging, dirs_exist_ok=True)
    for number, group in enumerate(groups[1:], start=1):
        for name in group:
            html = name[: -len(".md")] + ".html"
            (staging / DOCS_FOLDER / html).parent.mkdir(parents=True, exist_ok=True)
            (work / str(number) / "site" / DOCS_FOLDER / html).rename(staging / DOCS_FOLDER / html)
    if material_search:
        _merge_search_indexes(staging, [work / str(n) / "site" for n in range(1, len(groups))], groups[1:])
    shutil.rmtree(work)


def shard_pages(cables: Path, documents: int, jobs: int) -> list[list[str]]:
    """The generated pages (paths under ``cables/``, but its index) split into shards of about equal work.

    A shard holds about ``SHARD_SIZE`` documents' worth of Markdown (a listing page counts
    by its size), whatever the collection's size, so a shard's memory does not grow with
    it; there are at least two shards per worker.
    """
    pages = sorted(p for p in cables.rglob("*.md") if p != cables / "index.md")
    sizes = [p.stat().st_size for p in pages]
    count = max(2 * max(1, jobs), -(-documents // SHARD_SIZE))
    budget = sum(sizes) / count
    groups: list[list[str]] = [[]]
    filled = 0
    for page, size in zip(pages, sizes, strict=True):
        if filled >= budget and len(groups) < count:
            groups.append([])
            filled = 0
        groups[-1].append(page.relative_to(cables).as_posix())
        filled += size
    return groups


@dataclass(frozen=True, slots=True)
class ShardTask:
    """One MkDocs run of a sharded build: its pages (``group``, under ``cables/``), its work ``folder``, whether it is the
    first (its site is the one the others' pages join: only it makes the theme's 404 page and sitemap)."""

    config_file: Path
    docs_dir: Path
    folder: Path
    group: list[str]
    strict: bool
    html_cache: Path | None
    first: bool

    def to_json(self) -> dict:
        return {name: str(value) if isinstance(value, Path) else value for name, value in asdict(self).items()}

    @classmethod
    def from_json(cls, fields: dict) -> ShardTask:
        paths = {name: Path(fields[name]) if fields[name] else None for name in ("config_file", "docs_dir", "folder", "html_cache")}
        return cls(**{**fields, **paths})


def _build_shard_in_new_process(task: ShardTask) -> None:
    """Build one shard in a new Python process: it does not share (nor copy) this one's memory.

    A new interpreter, not a fork or a fork server: the collection index is not inherited,
    a shard's memory is returned when it ends, and no main module is imported again.
    """
    task.folder.mkdir(parents=True)
    order = task.folder / "task.json"
    order.write_text(json.dumps({"task": task.to_json(), "parent": os.getpid()}), encoding="utf-8")
    group = task.group
    package_root = str(Path(__file__).resolve().parent.parent)  # importable even when not installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "cleansite.site", str(order)], capture_output=True, text=True, env=env)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise SiteBuildFailed(f"building the pages {group[0]} to {group[-1]} failed: {reason}")


def _shard_main(order: Path) -> int:
    """``python -m cleansite.site TASK.json``: build the shard the file describes (exit status 1 on failure)."""
    order = json.loads(order.read_text(encoding="utf-8"))
    die_with_parent()
    if os.getppid() != order["parent"]:  # the parent died before this process could ask to die with it
        return 1
    _show_mkdocs_warnings()
    try:
        _build_shard(ShardTask.from_json(order["task"]))
    except SiteBuildFailed as error:
        print(f"cleansite: {error}", file=sys.stderr)
        return 1
    return 0


def _build_shard(task: ShardTask) -> None:
    """Build one shard: the hand-written pages, the browse index and its share of the generated pages."""
    docs = task.folder / "docs"
    _shard_docs(task.docs_dir, docs, task.group)
    not_checked_here = {"not_found": "info", "anchors": "info", "absolute_links": "warn", "unrecognized_links": "warn"}
    validation = {
        "omitted_files": "ignore",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        "anchors": "info",
        "links": not_checked_here,
    }
    shard = "first" if task.first else "other"
    _mkdocs(task.config_file, docs, task.folder / "site", task.strict, task.html_cache, shard, validation=validation)
    for page in (task.folder / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = _UNRESOLVED.sub(r'href="\1.html\2"', html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def _shard_docs(docs_dir: Path, docs: Path, group: list[str]) -> None:
    """The docs folder of one shard, as hard links: everything but the generated pages, their index, and the group's pages.

    Only the group's pages are touched (a shard never lists the generated folder: at a
    quarter-million pages, every shard doing so was most of a shard's memory and time).
    """
    cables = docs_dir / DOCS_FOLDER
    generated = lambda where, names: {DOCS_FOLDER} if Path(where) == docs_dir else set()  # noqa: E731
    shutil.copytree(docs_dir, docs, copy_function=_link_or_copy, ignore=generated)
    for name in ["index.md", *group]:
        target = docs / DOCS_FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(cables / name), str(target))


def _merge_search_indexes(site: Path, shard_sites: list[Path], groups: list[list[str]]) -> None:
    """Material's search index of a sharded build: shard 0's, plus each shard's entries of its own pages."""
    index_file = site / "search" / "search_index.json"
    if not index_file.exists():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for shard_site, group in zip(shard_sites, groups, strict=True):
        own = {f"{DOCS_FOLDER}/" + name[: -len(".md")] + ".html" for name in group}
        entries = json.loads((shard_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        index["docs"].extend(e for e in entries if e["location"].split("#")[0] in own)
    write_search_index(site, index)


def write_search_index(site: Path, index: dict) -> None:
    """Write Material's search index, and the offline plugin's copy of it (for file://) when there is one."""
    (site / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    if (site / "search" / "search_index.js").exists():
        (site / "search" / "search_index.js").write_text(f"var __index = {json.dumps(index)}", encoding="utf-8")


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def check_links(docs_dir: Path) -> None:
    """Every Markdown link must reach a page that exists; one into a generated page (``cables/``), an anchor it has.

    Sharded builds need this: MkDocs cannot see the pages of another shard.
    """
    pages = sorted(p for p in docs_dir.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(docs_dir).parts))
    # Two passes over the files, not every text in memory: a quarter-million pages are gigabytes.
    anchors = {p.relative_to(docs_dir).as_posix(): _anchor_list(p) for p in pages}
    for page in pages:
        name = page.relative_to(docs_dir).as_posix()
        for link in _LINK.finditer(page.read_text(encoding="utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), link["page"])) if link["page"] else name
            generated = target.startswith(f"{DOCS_FOLDER}/")
            if target not in anchors or (generated and link["anchor"] and f" {link['anchor']} " not in anchors[target]):
                raise SiteBuildFailed(f"{page}: link to {link[0][2:-1]} reaches nothing")


def _anchor_list(page: Path) -> str:
    """The ``{: #id }`` anchors of a Markdown page (``link.anchor_list``)."""
    return anchor_list(re.findall(r"\{: #([A-Za-z0-9_-]+)", page.read_text(encoding="utf-8")))


def serve_site(config_file: Path, address: str, docs_dir: Path) -> None:
    """Live preview with MkDocs' own server, of ``docs_dir``."""
    from mkdocs.commands.serve import serve

    serve(config_file=str(config_file), dev_addr=address, livereload=True, docs_dir=str(docs_dir))


if __name__ == "__main__":
    sys.exit(_shard_main(Path(sys.argv[1])))
