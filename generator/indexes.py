"""Browsing pages for the collection, split so that no page grows with the collection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from generator.escape import md_text
from generator.model import Document

PAGE_SIZE = 500


def index_pages(documents: Iterable[Document]) -> dict[str, str]:
    """Markdown pages (path under ``cables/`` -> text): an overview by year, one page per month."""
    by_month: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_month[(document.created or "undated")[:7]].append(document)
    pages: dict[str, str] = {}
    overview = ["# Browse the cables\n", "| Month | Documents |", "|---|---|"]
    for month in sorted(by_month, reverse=True):
        docs = sorted(by_month[month], key=lambda d: (d.created or "", d.id or ""))
        parts = [docs[start : start + PAGE_SIZE] for start in range(0, len(docs), PAGE_SIZE)]
        for number, part in enumerate(parts, start=1):
            pages[_month_page(month, number)] = _month_listing(month, number, len(parts), part)
        overview.append(f"| [{md_text(month)}]({_month_page(month, 1)}) | {len(docs)} |")
    pages["index.md"] = "\n".join(overview) + "\n"
    return pages


def _month_page(month: str, number: int) -> str:
    return f"by-date/{month}.md" if number == 1 else f"by-date/{month}-{number}.md"


def _month_listing(month: str, number: int, count: int, documents: list[Document]) -> str:
    title = f"Cables of {month}" + (f" (part {number} of {count})" if count > 1 else "")
    lines = [f"# {md_text(title)}\n", "| ID | Created | Origin | Subject |", "|---|---|---|---|"]
    for document in documents:
        cells = [document.created or "", document.origin or "", document.title or ""]
        lines.append(f"| [{document.id}](../{document.id}.md) | " + " | ".join(md_text(c).replace("|", "&#124;") for c in cells) + " |")
    pager = [f"[part {n}]({_month_page(month, n).removeprefix('by-date/')})" for n in range(1, count + 1) if n != number]
    if pager:
        lines.append("\nMore of this month: " + ", ".join(pager))
    lines.append("\n[All months](../index.md)")
    return "\n".join(lines) + "\n"
