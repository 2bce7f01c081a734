"""The process pool every parallel stage uses: workers that get the run's context from the initializer and die with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1
START_METHOD_VARIABLE = "CLEANSITE_START_METHOD"


def die_with_parent() -> None:
    """A killed run must not leave workers writing on (Linux: the kernel kills them with the parent)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def start_method() -> str:
    """``$CLEANSITE_START_METHOD`` if set, else fork where the platform has it (fast to start), else spawn."""
    chosen = os.environ.get(START_METHOD_VARIABLE)
    if chosen:
        return chosen
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def process_pool(jobs: int, initializer: Callable, initargs: tuple) -> ProcessPoolExecutor:
    """A pool of ``jobs`` workers, each first running ``initializer(*initargs)`` (its only way to get the run's state)."""
    context = multiprocessing.get_context(start_method())
    return ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context, initializer=_start, initargs=(initializer, initargs))


def _start(initializer: Callable, initargs: tuple) -> None:
    """Workers die with their parent, and leave Ctrl-C to it (which stops the run with one line, not a traceback per worker)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)
