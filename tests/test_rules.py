"""Every artefact rule of every source (generator/sources/*.toml) removes the real line it names."""

from __future__ import annotations

import html

import pytest
from cleansite.load import decode_page
from cleansite.sources import all_sources, detect_source
from cleansite.strip import strip_page
from conftest import PAGES_DIR

RULES = [(source, rule) for source in all_sources() for rule in source.drop]


@pytest.mark.parametrize("source,rule", RULES, ids=lambda x: getattr(x, "name", ""))
def test_rule_removes_its_example(source, rule) -> None:
    lines = ["kept line one", rule.example, "kept line two"]
    if source.format == "html":
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        text = f'<html><body><div id="article">{paragraphs}</div></body></html>'
    else:
        text = "\n".join(lines)
    clean = strip_page(decode_page(PAGES_DIR / "x", text.encode()), source)
    assert rule.example.strip() in clean.removed
    assert [line for line in clean.lines if line.strip()] == ["kept line one", "kept line two"]


# No real Scoop HTML page is in the corpus yet: its examples are the quotes, not page lines.
_WITHOUT_REAL_PAGE = {"scoop-html"}


@pytest.mark.parametrize(
    "source,rule", [(s, r) for s, r in RULES if s.name not in _WITHOUT_REAL_PAGE], ids=lambda x: getattr(x, "name", "")
)
def test_rule_example_is_a_real_line(source, rule) -> None:
    lines = {
        line.strip()
        for page in PAGES_DIR.rglob("*")
        if page.suffix in (".txt", ".html")
        for line in page.read_text(encoding="utf-8", errors="replace").splitlines()
    }
    assert rule.example in lines


@pytest.mark.parametrize(
    "folder,expected",
    [
        ("scoop-text", "scoop-text"),
        ("wikileaks-viewer", "wikileaks-viewer"),
        ("body-fragment", "body-fragment"),
        ("body-plain", "body-plain"),
        ("pdf-text", "pdf-text"),
    ],
)
def test_source_detected_from_content_not_name(folder: str, expected: str, tmp_path) -> None:
    for page in (PAGES_DIR / folder).glob("*"):
        if page.suffix not in (".txt", ".html"):
            continue
        renamed = tmp_path / "page.dat"
        renamed.write_bytes(page.read_bytes())
        assert detect_source(decode_page(renamed, renamed.read_bytes())).name == expected, page


def test_viewer_sidebar_and_help_are_removed() -> None:
    page = PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html"
    raw = decode_page(page, page.read_bytes())
    clean = strip_page(raw, detect_source(raw))
    text = "\n".join(clean.lines)
    for artefact in ("Browse latest releases", "Understanding cables", "Twitter this", "courage is contagious"):
        assert artefact not in text
        assert any(artefact in line for line in clean.removed)
    assert clean.meta.id == "06TEGUCIGALPA526" and clean.meta.origin == "Embassy Tegucigalpa"
