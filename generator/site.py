"""Build the HTML site from site_src/ with MkDocs (Material theme), swapping it in atomically.

Up to ``SHARDED_BUILD_ABOVE`` documents, one strict MkDocs build does it all. Above, the
documents are split into shards (two per worker, at most ``SHARD_SIZE`` pages), each built by its own
MkDocs run, ``jobs`` at a time (MkDocs is single-threaded; its memory grows with the
pages of a build), and the shards are merged into one site. MkDocs cannot check links
into another shard, so the generator checks every generated link itself first
(``check_links``), and each shard build stays strict for everything else.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.pool import process_pool
from generator.write import staging_folder, swap_in

SHARDED_BUILD_ABOVE = 1000
SHARD_SIZE = 1000
_DOCUMENT_PAGE = re.compile(r"^\d{2}[A-Z]+\d+\.md$")
# A link to a document of another shard, which MkDocs left as written (checked by check_links).
_UNRESOLVED = re.compile(r'href="((?:\.\./)?\d{2}[A-Z]+\d+)\.md(#[^"]*)?"')
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
    config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True, before_swap=None, after_build=None, jobs: int = 1
) -> None:
    """Run MkDocs (``config_file``, on ``docs_dir``) into a staging folder, then swap it in as ``site_dir``.

    ``after_build(staging)`` may add to the built site; ``before_swap()`` runs just before the swap.
    """
    _show_mkdocs_warnings()
    staging = staging_folder(site_dir)
    try:
        documents = sorted(p.name for p in (docs_dir / "cables").glob("*.md") if _DOCUMENT_PAGE.match(p.name))
        if len(documents) > SHARDED_BUILD_ABOVE:
            _build_in_shards(config_file, docs_dir, staging, documents, strict, jobs)
        else:
            _mkdocs(config_file, docs_dir, staging, strict)
        if after_build:
            after_build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if before_swap:
        before_swap()
    swap_in(staging, site_dir)


def _mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool, **overrides) -> None:
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(site_dir), strict=strict, **overrides)
        mkdocs_build(config)
    except (Abort, SystemExit) as error:
        raise SiteBuildFailed(f"mkdocs build failed: {error}") from error


def _build_in_shards(config_file: Path, docs_dir: Path, staging: Path, documents: list[str], strict: bool, jobs: int) -> None:
    check_links(docs_dir / "cables")
    work = staging / ".shards"
    size = max(1, min(SHARD_SIZE, -(-len(documents) // (2 * max(1, jobs)))))  # at least two shards per worker
    groups = [documents[start : start + size] for start in range(0, len(documents), size)]
    tasks = [(config_file, docs_dir, work / str(number), group, number == 0, strict) for number, group in enumerate(groups)]
    with process_pool(jobs) as pool:
        for _ in pool.map(_build_shard, tasks):
            pass
    shutil.copytree(work / "0" / "site", staging, dirs_exist_ok=True)
    for number, group in enumerate(groups[1:], start=1):
        for name in group:
            html = name[: -len(".md")] + ".html"
            (work / str(number) / "site" / "cables" / html).rename(staging / "cables" / html)
    shutil.rmtree(work)


def _build_shard(task: tuple) -> None:
    """Build one shard: its documents, and (shard 0) every other page; links between shards are checked already."""
    config_file, docs_dir, folder, group, first, strict = task
    docs = folder / "docs"
    members = set(group)
    # Hard links, not copies; and a set of names to leave out (copytree tests each name against it).
    shutil.copytree(
        docs_dir, docs, copy_function=_link_or_copy, ignore=lambda where, names: _shard_ignore(docs_dir, where, names, members, first)
    )
    not_checked_here = {"not_found": "info", "anchors": "info", "absolute_links": "warn", "unrecognized_links": "warn"}
    validation = {
        "omitted_files": "ignore",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        "anchors": "info",
        "links": not_checked_here,
    }
    _mkdocs(config_file, docs, folder / "site", strict, validation=validation)
    for page in (folder / "site" / "cables").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = _UNRESOLVED.sub(r'href="\1.html\2"', html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def _shard_ignore(docs_dir: Path, where: str, names: list[str], group: set[str], first: bool) -> set[str]:
    """Shard 0 takes every page but the other shards' documents; the others their documents and the hand-written pages."""
    folder, cables = Path(where), docs_dir / "cables"
    if folder == cables:
        others = {n for n in names if _DOCUMENT_PAGE.match(n) and n not in group}
        return others | (set() if first else {n for n in names if not _DOCUMENT_PAGE.match(n) and n != "index.md"})
    if cables in folder.parents:  # the browsing pages: shard 0 builds them
        return set() if first else set(names)
    return set()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def check_links(cables: Path) -> None:
    """Every link between generated pages must reach a page that exists, and ``#pN`` a paragraph it has."""
    anchors: dict[str, set[str]] = {}
    pages = sorted(p for p in cables.rglob("*.md"))
    for page in pages:
        anchors[str(page.relative_to(cables))] = set(re.findall(r"\{: #([A-Za-z0-9_-]+)", page.read_text(encoding="utf-8")))
    for page in pages:
        here = page.relative_to(cables).parent
        for link in _LINK.finditer(page.read_text(encoding="utf-8")):
            target = str((here / link["page"]).as_posix()) if link["page"] else str(page.relative_to(cables))
            target = re.sub(r"[^/]+/\.\./", "", target)
            if target not in anchors or (link["anchor"] and link["anchor"] not in anchors[target]):
                raise SiteBuildFailed(f"{page}: link to {link[0][2:-1]} reaches nothing")


def serve_site(config_file: Path, address: str) -> None:
    """Live preview with MkDocs' own server."""
    from mkdocs.commands.serve import serve

    serve(config_file=str(config_file), dev_addr=address, livereload=True)
