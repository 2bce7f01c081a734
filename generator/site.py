"""Build the HTML site from site_src/ with MkDocs (Material theme), swapping it in atomically."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.write import staging_folder, swap_in


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
    """MkDocs refused to build (in strict mode, any warning)."""


def build_site(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True, before_swap=None, after_build=None) -> None:
    """Run MkDocs (``config_file``, on ``docs_dir``) into a staging folder, then swap it in as ``site_dir``.

    ``after_build(staging)`` may add to the built site; ``before_swap()`` runs just before the swap.
    """
    _show_mkdocs_warnings()
    staging = staging_folder(site_dir)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(staging), strict=strict)
        mkdocs_build(config)
    except (Abort, SystemExit) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildFailed(f"mkdocs build failed: {error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if after_build:
            after_build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if before_swap:
        before_swap()
    swap_in(staging, site_dir)


def serve_site(config_file: Path, address: str) -> None:
    """Live preview with MkDocs' own server."""
    from mkdocs.commands.serve import serve

    serve(config_file=str(config_file), dev_addr=address, livereload=True)
