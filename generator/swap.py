"""Swap several staged folders into place as one unit, through a journal.

``build`` replaces two folders (the generated pages and the site). Two renames are two
instants: a kill between them would leave a new ``cables/`` beside an old site. So the
staged folders are first listed in a journal (written atomically), then renamed; a run
that finds a journal finishes the swap it describes before doing anything else. A kill
before the journal exists leaves both folders as they were, after it both new.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cleansite import faults

JOURNAL_NAME = ".cleansite-swap.json"


@dataclass(frozen=True, slots=True)
class Move:
    """One folder of a swap: the staged folder, where it goes, and where the replaced one is parked."""

    staging: Path
    target: Path
    old: Path


def swap_together(pairs: list[tuple[Path, Path]], journal: Path) -> None:
    """Rename each ``(staging, target)`` pair into place, all or none (even across a kill).

    If the journal cannot be written (a full disk), nothing has moved and no later run will
    finish this swap: the staged folders are removed and the error raised.
    """
    moves = [Move(staging, target, target.with_name(f".{target.name}.old-{os.getpid()}")) for staging, target in pairs]
    data = json.dumps([[str(m.staging), str(m.target), str(m.old)] for m in moves])
    handle, temporary = tempfile.mkstemp(dir=journal.parent, prefix=".cleansite-swap-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, journal)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        for move in moves:
            shutil.rmtree(move.staging, ignore_errors=True)
        raise
    faults.checkpoint("journal-written")
    finish_swap(journal)


def finish_swap(journal: Path) -> bool:
    """Complete the swap a journal describes (one cut short by a kill too); True if there was one."""
    moves = _read_journal(journal)
    if moves is None:
        return False
    for number, move in enumerate(moves):
        if move.staging.exists():
            if move.target.exists():
                move.target.rename(move.old)
            move.staging.rename(move.target)
        faults.checkpoint(f"swapped-{number}")
    journal.unlink()
    for move in moves:
        shutil.rmtree(move.old, ignore_errors=True)
    return True


def _read_journal(journal: Path) -> list[Move] | None:
    try:
        rows = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)  # written by rename, so never half a file: not ours, or damaged by hand
        return None
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 3 and all(isinstance(p, str) for p in r) for r in rows):
        journal.unlink(missing_ok=True)
        return None
    return [Move(Path(a), Path(b), Path(c)) for a, b, c in rows]
