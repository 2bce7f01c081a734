"""Find the page files under the PAGES given: only regular files, symlinks only within the input folders.

What cannot be read is reported, one line each, instead of skipped in silence: an
unreadable folder, a symlink leading outside the input folders, a symlinked folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cleansite.model import PageError

# Files in a page folder that are pages; anything else (README.md, images) is not looked at.
PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".txt", ".text", ".csv", ""}


@dataclass(slots=True)
class Inputs:
    """The page files found (sorted), and what could not be looked at."""

    pages: list[Path] = field(default_factory=list)
    problems: list[PageError] = field(default_factory=list)


def find_inputs(paths: list[Path]) -> Inputs:
    """Expand files and folders (recursively, hidden names left out) into page files; report what cannot be read."""
    found = Inputs()
    roots = [p.resolve() for p in paths if p.is_dir()]
    pages: set[Path] = set()
    for path in paths:
        if path.is_dir():
            _walk(path, roots, pages, found.problems)
        else:
            pages.add(path)  # named on the command line: read whatever it is (load refuses what is not a regular file)
    found.pages = sorted(pages)
    return found


def _walk(root: Path, roots: list[Path], pages: set[Path], problems: list[PageError]) -> None:
    def unreadable(error: OSError) -> None:
        problems.append(PageError(Path(error.filename or root), f"cannot read folder: {error.strerror or error}"))

    for folder, folders, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        folders[:] = sorted(name for name in folders if not name.startswith(".") and _real_folder(here / name, problems))
        for name in files:
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in PAGE_SUFFIXES:
                continue
            if path.is_symlink() and not _inside(path, roots):
                problems.append(PageError(path, "symlink to a file outside the input folders, not read"))
            elif path.is_file():
                pages.add(path)


def _real_folder(path: Path, problems: list[PageError]) -> bool:
    if path.is_symlink():
        problems.append(PageError(path, "symlinked folder, not followed (give its target as PAGES)"))
        return False
    return True


def _inside(path: Path, roots: list[Path]) -> bool:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return any(target.is_relative_to(root) for root in roots)
