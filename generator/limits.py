"""A time limit on the work of one page: a single pathological page must not stall a whole build.

Every per-page algorithm is meant to be O(n log n) in the page's size; the limit is the
backstop for the cases nobody thought of. It uses ``SIGALRM``, so it only applies in a
process's main thread (the pool's workers, or the run itself with ``--jobs 1``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

DEFAULT_PAGE_SECONDS = 60.0


class PageTimeLimit(BaseException):  # noqa: N818 - not an Exception: a parser's "except Exception" must not swallow it
    """Raised inside the work on a page that went over its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise PageTimeLimit in the block once ``seconds`` have passed (no limit if None or 0, or outside the main thread)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
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
