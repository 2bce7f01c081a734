"""Write generated pages atomically: build everything in a staging folder, then swap it in.

A run that fails or is killed leaves the previous folders as they were; the next run
cleans up what such a run left behind (and puts back a folder killed mid-swap).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A generated page path that would land outside its folder."""


def safe_relative(path: str) -> PurePosixPath:
    """Check a generated page path stays inside the output folder; return it as a relative path."""
    relative = PurePosixPath(path)
    bad = relative.is_absolute() or ".." in relative.parts or "\\" in path or "\x00" in path or ":" in path
    if bad or not relative.parts or any(len(part) > 200 for part in relative.parts):
        raise UnsafePath(f"unsafe page path {path!r}")
    return relative


def staging_folder(target: Path) -> Path:
    """A new empty folder beside ``target`` (same file system, so the final rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; the site must be readable like any folder
    return folder


class _CopyFailed(Exception):
    """Carries an OSError out of ``shutil.copytree``, which would file it away as text."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def copy_tree(source: Path, target: Path, ignore: Callable[[str, list[str]], list[str]] | None = None) -> None:
    """Copy ``source`` into ``target`` (``shutil.copytree``, ``ignore`` as there), stopping at the first error, raised as it is.

    ``shutil.copytree`` goes on after a failed file and ends with one ``shutil.Error`` listing
    every failure as text: a full disk then showed as a list of tuples instead of its one line.
    """

    def copy(source_file: str, target_file: str) -> object:
        try:
            return shutil.copy2(source_file, target_file)
        except OSError as error:
            raise _CopyFailed(error) from None

    try:
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=ignore, copy_function=copy)
    except _CopyFailed as failed:
        raise failed.error from None


def write_page(folder: Path, relative: str, data: bytes) -> None:
    """Write one page (``data``: its UTF-8 text) at ``relative`` under ``folder``, refusing a path that leaves it."""
    destination = folder / safe_relative(relative)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(data)


def link_page(previous: Path, folder: Path, relative: str) -> bool:
    """Hard-link the page at ``relative`` under ``previous`` into ``folder``; False if it is not there to link."""
    destination = folder / safe_relative(relative)
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous / relative, destination)
    except OSError:
        return False
    return True


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


def recover(target: Path) -> None:
    """Undo what a killed run left beside ``target``: staging folders, and a swap cut in half."""
    if not target.parent.is_dir():
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not target.exists():
        olds.pop().rename(target)
    for leftover in [*olds, *target.parent.glob(f".{target.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
