"""Named phase boundaries where the fault-injection tests kill a build.

``CLEANSITE_KILL_AT=NAME`` makes the process kill itself (SIGKILL, as a power cut or the
OOM killer would; ``CLEANSITE_KILL_WITH=SIGINT`` as Ctrl-C does) when it reaches the
boundary NAME. Unset, a checkpoint costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal

PHASES = ("scanned", "linked", "rendered", "site-built", "journal-written", "swapped-0", "swapped-1")


def checkpoint(name: str) -> None:
    """Die here if the fault-injection test asked for it."""
    if os.environ.get("CLEANSITE_KILL_AT") == name:
        os.kill(os.getpid(), signal.Signals[os.environ.get("CLEANSITE_KILL_WITH", "SIGKILL")])
