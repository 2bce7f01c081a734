"""The linked cable page and the browsing pages, as built from samples/ (strict: every Markdown link resolves)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest
from cleansite.indexes import index_pages, slug
from cleansite.listings import PAGE_SIZE
from cleansite.model import Summary
from cleansite.neighbours import neighbours
from cleansite.pipeline import build
from conftest import project_copy


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = project_copy(tmp_path_factory.mktemp("browse"))
    report = build(config)  # strict: a broken link or anchor aborts the build
    assert report.errors == []
    return config.site_dir


def _html(site: Path, name: str) -> str:
    return (site / "cables" / name).read_text(encoding="utf-8")


def _card(site: Path, name: str) -> str:
    return re.search(r'<dl class="cable-meta.*?</dl>', _html(site, name), re.S).group(0)


def test_the_card_links_origin_month_year_tags_and_classification(site: Path) -> None:
    card = _card(site, "09TRIPOLI212.html")
    assert 'data-cable-id="09TRIPOLI212"' in card
    assert f'<a href="by-origin/{slug("Embassy Tripoli")}.html">Embassy Tripoli</a>' in card
    assert '<a href="by-date/2009-03.html">2009-03</a>' in card and '<a href="by-year/2009.html">2009</a>' in card
    assert '<a href="by-tag/prel.html" title="External Political Relations">PREL</a>' in card
    assert '<a href="by-tag/ly.html" title="Libya">LY</a>' in card
    assert re.search(r'<a href="by-classification/secret-noforn-\w+\.html"><span class="classification"', card)
    assert re.search(r"<dt>Released</dt>\s*<dd>2011-\d\d-\d\d \d\d:\d\d</dd>", card)  # the viewer's table states it
    assert "<dt>Released</dt>" not in _card(site, "10CHENGDU28.html")  # Scoop does not


def test_the_id_is_in_the_tab_title_and_the_heading(site: Path) -> None:
    page = _html(site, "10CHENGDU28.html")
    assert re.search(r"<title>10CHENGDU28 — Chongqing", page)
    assert re.search(r'<h1 id="[^"]*">10CHENGDU28 — Chongqing', page)


def test_previous_and_next_within_origin_and_month(site: Path) -> None:
    nav = re.search(r'<nav aria-label="Previous and next cables".*?</nav>', _html(site, "09TRIPOLI212.html"), re.S).group(0)
    by_origin, by_month = nav.split("</p>")[:2]
    assert 'href="09TRIPOLI208.html" rel="prev"' in by_origin and 'href="09TRIPOLI886.html" rel="next"' in by_origin
    assert 'href="09TRIPOLI208.html" rel="prev"' in by_month and 'rel="next"' not in by_month  # the month's last


def test_neighbours_are_mutual_and_follow_the_date_order() -> None:
    docs = [_summary(f"09X{n}", f"2009-0{1 + n % 3}-1{n % 10} 10:00", "Embassy X" if n % 2 else "Embassy Y") for n in range(30)]
    found = neighbours(docs)
    for doc in docs:
        after = found[doc.id].origin_next
        if after:
            assert found[after].origin_previous == doc.id
            assert (doc.created, doc.id) <= (next(d for d in docs if d.id == after).created, after)
        if found[doc.id].month_next:
            assert found[found[doc.id].month_next].month_previous == doc.id


def test_every_link_of_a_built_page_resolves(site: Path) -> None:
    """Beyond MkDocs' check of Markdown links: raw hrefs too, on the cable and browsing pages."""
    for page in [*(site / "cables").glob("*.html"), *(site / "cables").glob("*/*.html")]:
        for href in re.findall(r'href="([^"#:]+\.html)(?:#[^"]*)?"', page.read_text(encoding="utf-8")):
            assert (page.parent / unquote(href)).resolve().is_file(), (page, href)


def test_the_overview_links_years_and_the_glossary(site: Path) -> None:
    overview = _html(site, "index.html")
    assert '<a href="by-year/2009.html">2009</a>' in overview and '<a href="by-tag/glossary.html">glossary</a>' in overview
    year = _html(site, "by-year/2009.html")
    assert '<a href="../by-date/2009-03.html">2009-03</a>' in year
    assert f'<a href="../by-origin-year/{slug("Embassy Tripoli 2009")}.html">Embassy Tripoli</a>' in year
    origin_year = _html(site, f"by-origin-year/{slug('Embassy Tripoli 2009')}.html")
    assert "09TRIPOLI212.html" in origin_year and "08TRIPOLI220.html" not in origin_year
    glossary = _html(site, "by-tag/glossary.html")
    assert re.search(r'<a href="prel.html">PREL</a></td>\s*<td>External Political Relations</td>', glossary)


def test_listings_come_in_two_orders_with_the_subject_first(site: Path) -> None:
    name = slug("Embassy Tripoli")
    for suffix, column in (("", 2), ("-by-subject", 0)):
        page = _html(site, f"by-origin/{name}{suffix}.html")
        assert '<div class="cs-listing">' in page
        rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page, re.S)
        values = [row[column] for row in rows if row[2] or column == 0]
        assert len(rows) == 14 and values == sorted(values, key=str.casefold)
    assert f'<a href="{name}-by-subject.html">Subject</a>' in _html(site, f"by-origin/{name}.html")
    assert f'<a href="{name}.html">Created</a>' in _html(site, f"by-origin/{name}-by-subject.html")


def _summary(doc_id: str, created: str | None, origin: str, tags: tuple[str, ...] = ("PREL",)) -> Summary:
    return Summary(doc_id, Path(f"{doc_id}.html"), "x", f"Subject {doc_id}", created, origin, "SECRET", tags, (), "", 0, doc_id)


def test_every_browsing_page_stays_bounded() -> None:
    """2,400 documents in one origin, month and TAG: every page holds at most PAGE_SIZE rows and ~25 part links."""
    docs = [_summary(f"09X{n}", f"2009-01-01 {n % 24:02}:00", "Embassy X", ("PREL", f"K{n}")) for n in range(2400)]
    for name, text in index_pages(docs):
        rows = text.count("\n| ")
        assert rows <= PAGE_SIZE + 2, (name, rows)
        assert text.count("-part") <= 30, name
    names = [name for name, _ in index_pages(docs)]
    assert f"by-origin/{slug('Embassy X')}-part5.md" in names and f"by-origin/{slug('Embassy X')}-part6.md" not in names
    assert f"by-origin/{slug('Embassy X')}-by-subject-part5.md" in names


def test_a_subject_starting_with_a_bracket_is_text_in_every_listing() -> None:
    """It was written into the listing as raw Markdown (a row cell starting with "[" was taken for a link)."""
    docs = [replace(_summary("09X1", "2009-01-01 10:00", "Embassy X"), title="[x](javascript:alert(1))")]
    for name, text in index_pages(docs):
        assert "[x](javascript" not in text, name
