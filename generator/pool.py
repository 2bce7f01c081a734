"""The process pool both parallel stages use: forked workers that die with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """A killed run must not leave workers writing on (Linux: the kernel kills them with the parent)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _start_worker() -> None:
    """Workers die with their parent, and leave Ctrl-C to it (which stops the run with one line, not a traceback per worker)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` forked workers (they inherit the state set before the fork) that die with their parent."""
    return ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("fork"), initializer=_start_worker)
