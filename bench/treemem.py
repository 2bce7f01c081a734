"""Run a command and measure its wall time and the peak memory of its whole process tree (Linux /proc).

``getrusage`` gives the largest single process; a build runs a parent, pool workers and
MkDocs processes at once, so this samples every process of the tree (five times a second)
and reports the peak of their summed PSS (proportional set size: a page shared by several
processes counted once, in shares), the peak of their summed RSS (shared pages counted in
each), and the largest single process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TreeRun:
    """A command's wall seconds, exit status, and the peaks of its process tree's memory in MB."""

    seconds: float
    returncode: int
    peak_pss_mb: float
    peak_rss_mb: float
    peak_process_mb: float
    processes: int


def run_measured(command: list[str], cwd: Path | None = None, every: float = 0.2) -> TreeRun:
    """Run ``command`` (its output discarded) and sample its process tree until it ends."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = {"pss": 0, "rss": 0, "one": 0, "count": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            sizes = [_memory(pid) for pid in _tree(child.pid)]
            peaks["pss"] = max(peaks["pss"], sum(pss for pss, _ in sizes))
            peaks["rss"] = max(peaks["rss"], sum(rss for _, rss in sizes))
            peaks["one"] = max(peaks["one"], max((rss for _, rss in sizes), default=0))
            peaks["count"] = max(peaks["count"], len(sizes))
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    returncode = child.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return TreeRun(seconds, returncode, peaks["pss"] / 1024, peaks["rss"] / 1024, peaks["one"] / 1024, peaks["count"])


def _tree(root: int) -> list[int]:
    """``root`` and every process under it."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        for task in _tasks(pid):
            try:
                queue += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                continue
    return found


def _tasks(pid: int) -> list[str]:
    try:
        return os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of a process in KB; (0, 0) once it is gone."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        return int(fields["Pss"].split()[0]), int(fields["Rss"].split()[0])
    except (OSError, KeyError, ValueError):
        return 0, 0
