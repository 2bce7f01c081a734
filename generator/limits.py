"""A time limit on the work of one page: a single pathological page must not stall a whole build.

Every per-page algorithm is meant to be O(n log n) in the page's size; the limit is the
backstop for the cases nobody thought of. In a process's main thread (the pool's workers, or
the run itself with ``--jobs 1``) it uses ``SIGALRM``; in another thread (a Dask worker runs
its tasks in threads) a timer raises the exception in that thread. Either way the exception
arrives between two Python bytecodes, so a single long call into C (one regex match) runs to
its end first.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
from collections.abc import Iterator

DEFAULT_PAGE_SECONDS = 60.0


class PageTimeLimit(BaseException):  # noqa: N818 - not an Exception: a parser's "except Exception" must not swallow it
    """Raised inside the work on a page that went over its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise PageTimeLimit in the block once ``seconds`` have passed (no limit if None or 0)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_time_limit(seconds):
            yield
        return

    def expired(signum, frame) -> None:
        raise PageTimeLimit

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    """The limit outside the main thread (no signals there): a timer raises PageTimeLimit in this thread."""
    thread = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"inside": True, "raised": False}

    def expired() -> None:
        with lock:
            if state["inside"]:
                state["raised"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(PageTimeLimit))

    timer = threading.Timer(seconds, expired)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["inside"] = False
            timer.cancel()
            if state["raised"]:  # raised after the block's last bytecode: it must not land in the caller's code
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, None)
