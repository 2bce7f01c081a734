"""A progress bar for long runs (pages per second, time left); silent when not on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text


class RateColumn(ProgressColumn):
    """Pages per second."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f} pages/s" if task.speed else "", style="progress.data.speed")


@contextmanager
def progress_bar(console: Console | None) -> Iterator[Callable[[str, int], Callable[..., None]]]:
    """Yields ``add(description, total)``, which starts a bar and returns its ``advance(steps=1)``."""
    enabled = console is not None and console.is_terminal
    columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not enabled, transient=False) as progress:

        def add(description: str, total: int) -> Callable[..., None]:
            task = progress.add_task(description, total=total)
            return lambda steps=1: progress.advance(task, steps)

        yield add
