"""Previous and next document of each document, within its origin and within its month.

Computed once in the parent from the summaries (a few IDs per document, no text), and
handed to each page's render task, so a page links to its neighbours without the
renderer seeing the collection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cleansite.indexes import month_of
from cleansite.model import Document, Summary


@dataclass(frozen=True, slots=True)
class Neighbours:
    """IDs of the documents before and after one document (by creation date, then ID); None at an end."""

    origin_previous: str | None = None
    origin_next: str | None = None
    month_previous: str | None = None
    month_next: str | None = None

    def sides(self) -> tuple[str | None, ...]:
        """The four IDs (``dataclasses.astuple``, without its deep copy)."""
        return (self.origin_previous, self.origin_next, self.month_previous, self.month_next)


def neighbours(summaries: Iterable[Summary | Document]) -> dict[str, Neighbours]:
    """Every document's neighbours, by ID: in its origin's and its month's date order (documents with an ID)."""
    ordered = sorted(summaries, key=lambda s: (s.created is None, s.created or "", s.id))  # as the listings: undated last
    by_origin = _sides(ordered, lambda s: s.origin or "unknown")
    by_month = _sides(ordered, lambda s: month_of(s.created))
    return {s.id: Neighbours(*by_origin[s.id], *by_month[s.id]) for s in ordered}


def _sides(ordered: list[Summary | Document], key_of: Callable[[Summary | Document], str]) -> dict[str, tuple[str | None, str | None]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for summary in ordered:
        groups[key_of(summary)].append(summary.id)
    sides: dict[str, tuple[str | None, str | None]] = {}
    for ids in groups.values():
        for position, doc_id in enumerate(ids):
            before = ids[position - 1] if position else None
            after = ids[position + 1] if position + 1 < len(ids) else None
            sides[doc_id] = (before, after)
    return sides
