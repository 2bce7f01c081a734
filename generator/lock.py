"""One build at a time per output: a lock on the docs folder.

Two builds into the same folders would delete each other's staging folders. The lock is
``flock`` on the docs folder itself (no lock file to leave behind): the kernel releases it
when its holder ends, so a lock left by a killed build is taken over at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from cleansite.show import shown


class BuildLocked(RuntimeError):
    """Another build holds the lock on the output."""


@contextlib.contextmanager
def output_lock(docs: Path) -> Iterator[None]:
    """Hold the lock on ``docs`` (which must exist) while the block runs; BuildLocked if another build has it."""
    handle = os.open(docs, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is writing to {shown(docs)}; run again when it has ended") from None
        yield
    finally:
        os.close(handle)
