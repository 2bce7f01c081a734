"""Write generated Markdown into the docs folder atomically: all of it or none, nothing stale."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A generated page path that would land outside its folder."""


def safe_relative(path: str) -> PurePosixPath:
    """Check a generated page path stays inside the output folder; return it as a relative path."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or "\\" in path or "\x00" in path or not relative.parts:
        raise UnsafePath(f"unsafe page path {path!r}")
    return relative


def replace_folder(target: Path, pages: dict[str, str]) -> None:
    """Make ``target`` hold exactly ``pages`` (relative path -> text), swapping it in at the end.

    Pages are written to a staging folder beside ``target``; only when every page is
    written is the old folder renamed away and the new one renamed into place, so a
    failed or killed run leaves the previous folder as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for relative, text in sorted(pages.items()):
            destination = staging / safe_relative(relative)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, target: Path) -> None:
    """Rename ``staging`` to ``target``, replacing what was there; the old one is deleted after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
