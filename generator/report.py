"""The report of a run: what was built, what was linked, what was not understood; printed and written as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cleansite.model import PageError, Summary
from cleansite.show import shown
from rich.console import Console
from rich.table import Table

SHOWN = 50


@dataclass(slots=True)
class Counts:
    """The figures a run counts as it goes."""

    parsed_from_cache: int = 0
    pages_reused: int = 0
    links_between: int = 0
    links_within: int = 0
    damaged_cache_entries: int = 0


@dataclass(slots=True)
class Report:
    """What a run did: the documents kept, pages that failed, warnings (skipped pages, duplicates), the citations, counts."""

    documents: list[Summary] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    citations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)
    render_keys: dict[str, str] = field(default_factory=dict)

    def bad_pages(self) -> list[str]:
        """One line per page that failed, was skipped or was a duplicate."""
        return [f"{error.path}: {error.reason}" for error in self.errors] + [f"warning: {w}" for w in self.warnings]

    def link_counts(self) -> dict[str, int]:
        """Links between documents, links inside a document, REF entries outside the collection."""
        known = {d.id for d in self.documents}
        outside = sum(1 for d in self.documents for r in d.references if r.id and r.id not in known)
        return {
            "between documents": self.counts.links_between,
            "within a document": self.counts.links_within,
            "references outside the collection": outside,
            "unparsed REF entries": len(self.unparsed_references()),
        }

    def unparsed_references(self) -> list[str]:
        """REF entries that name no cable (emails, memos...), as ``file:line: entry`` (lines found by the scan workers)."""
        found = []
        for document in self.documents:
            unparsed = [r.text for r in document.references if r.id is None]
            lines = document.reference_lines
            found.extend(f"{document.path}:{line}: {text}" for line, text in zip(lines, unparsed, strict=True))
        return found


def print_report(report: Report, console: Console) -> None:
    """One line per bad page or warning, then a table of figures and the unparsed REF entries."""
    for line in report.bad_pages():
        console.print(shown(line), markup=False, highlight=False, soft_wrap=True)
    unparsed = report.unparsed_references()
    if unparsed:
        console.print(f"REF entries that name no cable ({len(unparsed)}):")
        for line in unparsed[:SHOWN]:
            console.print(shown(f"  {line}"), markup=False, highlight=False, soft_wrap=True)
        if len(unparsed) > SHOWN:
            console.print(f"  … and {len(unparsed) - SHOWN} more (all of them with --report FILE)")
    console.print(_table(report))


def _table(report: Report) -> Table:
    table = Table(title="cleansite", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in summary(report).items():
        table.add_row(name, str(value))
    return table


def summary(report: Report) -> dict[str, int]:
    """The figures of a run, by name."""
    skipped = sum(1 for w in report.warnings if ": skipped, " in w)
    untitled = sum(1 for w in report.warnings if ": no reference ID found in the page; published as " in w)
    corrected = sum(1 for w in report.warnings if ": the site's ID " in w)
    return {
        "documents": len(report.documents),
        "pages that failed": len(report.errors),
        "pages skipped (no document)": skipped,
        "documents published without ID": untitled,
        "garbled site IDs replaced by the cable's": corrected,
        "duplicate pages (one kept)": len(report.warnings) - skipped - untitled - corrected,
        **{f"links {k}" if k.startswith(("between", "within")) else k: v for k, v in report.link_counts().items()},
        "pages parsed from cache": report.counts.parsed_from_cache,
        "damaged cache entries (dropped, parsed again)": report.counts.damaged_cache_entries,
        "pages rendered": len(report.documents) - report.counts.pages_reused,
        "pages reused unchanged": report.counts.pages_reused,
    }


def write_report(report: Report, path: Path) -> None:
    """The whole report as JSON: figures, failed pages, warnings, unparsed REF entries."""
    data = {
        "summary": summary(report),
        "errors": [{"path": shown(e.path), "error": shown(e.reason)} for e in report.errors],
        "warnings": [shown(w) for w in report.warnings],
        "unparsed_references": [shown(u) for u in report.unparsed_references()],
    }
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
