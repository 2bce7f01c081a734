"""The process pool both parallel stages use: forked workers that die with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """A killed run must not leave workers writing on (Linux: the kernel kills them with the parent)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def process_pool(jobs: int, fresh: bool = False) -> ProcessPoolExecutor:
    """A pool of ``jobs`` workers that die with their parent.

    By default they are forked, and inherit the state set before the fork. ``fresh``
    workers come from a fork server that has loaded MkDocs only, one per task: the
    parent's memory (the collection index) is neither inherited nor grows from task to task.
    """
    if not fresh:
        return ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("fork"), initializer=_die_with_parent)
    context = get_context("forkserver")
    context.set_forkserver_preload(["generator.site"])
    return ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context, initializer=_die_with_parent, max_tasks_per_child=1)
