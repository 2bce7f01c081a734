"""The summary a run prints at the end: what was built, what was linked, what was not understood."""

from __future__ import annotations

import json
from pathlib import Path

from cleansite.pipeline import Report
from cleansite.show import shown
from rich.console import Console
from rich.table import Table

SHOWN = 50


def print_report(report: Report, console: Console) -> None:
    """One line per bad page or warning, then a table of figures and the unparsed REF entries."""
    for error in report.errors:
        console.print(shown(f"{error.path}: {error.reason}"), markup=False, highlight=False, soft_wrap=True)
    for warning in report.warnings:
        console.print(shown(f"warning: {warning}"), markup=False, highlight=False, soft_wrap=True)
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
        "pages parsed from cache": report.counts["parsed from cache"],
        "damaged cache entries (dropped, parsed again)": report.counts["damaged cache entries"],
        "pages rendered": len(report.documents) - report.counts["pages reused"],
        "pages reused unchanged": report.counts["pages reused"],
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
