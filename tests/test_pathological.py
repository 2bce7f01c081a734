"""Bounded work per page: pathological pages of 1-5 MB finish in seconds, and a per-page time limit backs it up.

Issue 14: 100,000 unlettered REF entries took more than 900 s (``list.index`` per entry)
and a 1 MB ``reftels A-B-B-...`` chain more than 300 s (every span checked against all).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cleansite import stages
from cleansite.cache import DocumentCache
from cleansite.convert import convert_bytes
from cleansite.link import Collection, cited_by, find_links
from cleansite.model import PageError
from cleansite.render import DocumentLinks, RenderContext, render_document
from conftest import PAGES_DIR

HEAD = "UNCLAS SECTION 01 OF 02 CHENGDU 000028\n\nSUBJECT: PATHOLOGICAL PAGE\n\nREF: "
BOUND = 30  # seconds: the machine is shared; each page takes well under half of it here

PAGES = {
    "100k unlettered REF entries": lambda: HEAD + " ".join(f"STATE {i}," for i in range(100_000)) + "\n\n1. (U) Per reftel.\n",
    "a 1 MB reftels chain": lambda: HEAD + "A) STATE 1 B) STATE 2\n\n1. (U) reftels A" + "-B" * 250_000 + "\n",
    "40k paragraphs": lambda: HEAD + "A) STATE 1\n\n" + "".join(f"{i}. (U) See para {i - 1} and ref A.\n\n" for i in range(1, 40_000)),
    "one 5 MB line": lambda: HEAD + "A) STATE 1\n\n1. (U) " + "word " * 1_000_000 + "\n",
}


@pytest.mark.parametrize("name", PAGES)
def test_a_pathological_page_is_parsed_linked_and_rendered_in_seconds(name: str) -> None:
    data = PAGES[name]().encode()
    start = time.monotonic()
    document = convert_bytes(Path("page.txt"), data)
    collection = Collection.of([document])
    spans = find_links(document, collection)
    cited_by({document.id: [s.link for s in spans]}, [document])
    render_document(document, RenderContext(collection), DocumentLinks(tuple(spans)))
    assert time.monotonic() - start < BOUND, f"{name} ({len(data) / 1e6:.1f} MB) took too long"


def test_a_page_over_the_time_limit_is_reported_by_name_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    slow.write_text(HEAD + "A) STATE 1\n\n1. (U) slow\n", encoding="utf-8")
    fine.write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())

    def convert(path: Path, data: bytes, record_removed: bool = False, boilerplate=None):
        while path.name == "slow.txt":  # a page the parser never finishes
            pass
        return convert_bytes(path, data)

    monkeypatch.setattr(stages, "convert_or_error", convert)
    shared = stages.RunContext(DocumentCache(tmp_path / "cache"), page_timeout=0.5)
    results = [s.result for s in stages.run_stage(stages.scan_one, [slow, fine], 1, shared, lambda: None)]
    assert results[0] == PageError(slow, "took longer than 0.5 s to convert (--page-timeout), left out")
    assert results[1].id == "10CHENGDU28"


# A viewer page's body <pre> read as text (pretext.py): unterminated constructs, each repeated over 1-2 MB.
PRE_MARKUP = ["<!--", "<a ", '<a b="', "</", "<a<", "<br>", "</pre>", "<pre>", "&#"]


@pytest.mark.parametrize("unit", PRE_MARKUP)
def test_markup_repeated_in_a_body_pre_is_read_in_linear_time(unit: str) -> None:
    """Python's html.parser took minutes on 200,000 unterminated ``<!--``; the pre reader stays linear."""
    viewer = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
    data = viewer.replace("Summary: Honduran", "Summary: " + unit * 400_000 + " Honduran").encode()
    start = time.monotonic()
    document = convert_bytes(Path("page.html"), data)
    assert time.monotonic() - start < BOUND, f"{unit!r} x 400,000 took too long"
    assert document.id == "06TEGUCIGALPA526"
