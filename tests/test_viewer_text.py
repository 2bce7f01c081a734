"""The viewer's text dump (issue 15) and the general method for text dumps of any site.

Real pages: tests/pages/wikileaks-viewer-text/ (two dumps from ../shared/corpus/viewer-text,
named by hash as saved) and tests/viewer_text/ (the HTML pages they were made from); the
whole corpus of 120 dumps when ../shared/corpus is on this machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import viewer_text_measure as measure
from cleansite import boilerplate
from cleansite.boilerplate import PageLines, collect, line_hash, repeated_lines
from cleansite.convert import convert_or_error
from cleansite.load import decode_page
from cleansite.records import plain_text
from cleansite.region import HEADER_LINE, document_region
from cleansite.sources import detect_source, source_named
from cleansite.strip import strip_page
from conftest import PAGES_DIR, TESTS_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

DUMPS = sorted((PAGES_DIR / "wikileaks-viewer-text").glob("*.txt"))
# The HTML page each dump was made from.
MADE_FROM = {"c76c6e599031b413.txt": "05BRASILIA1396.html", "1f28c63708de4975.txt": "07SANJOSE1733.html"}


def _clean(path: Path, site=None):
    raw = decode_page(path, path.read_bytes())
    return strip_page(raw, detect_source(raw), site=site)


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.name)
def test_detected_from_content_and_fields_equal_the_table_row(dump: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "page"
    renamed.write_bytes(dump.read_bytes())
    assert detect_source(decode_page(renamed, renamed.read_bytes())).name == "wikileaks-viewer-text"
    row = measure.table_row(dump.read_text(encoding="utf-8"))
    meta = _clean(dump).meta
    assert (meta.id, meta.created, meta.classification, meta.origin) == (row["id"], row["created"], row["classification"], row["origin"])
    document = convert_or_error(renamed, renamed.read_bytes())
    assert (document.id, document.origin, document.classification) == (row["id"], row["origin"], row["classification"])


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.name)
def test_every_word_of_the_cable_kept_in_order_and_no_other(dump: Path) -> None:
    document = convert_or_error(dump, dump.read_bytes())
    cable_id = measure.table_row(dump.read_text(encoding="utf-8"))["id"]
    assert measure.words(plain_text(document)) == measure.expected_words(TESTS_DIR / "viewer_text" / MADE_FROM[dump.name], cable_id)


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.name)
def test_no_sidebar_line_left_and_each_removed_line_has_its_reason(dump: Path) -> None:
    clean = _clean(dump)
    sidebar = measure.site_lines(dump.read_text(encoding="utf-8")) - {"Viewing cable " + clean.meta.id + ", " + (clean.meta.title or "")}
    assert sidebar and not sidebar & {line.strip() for line in clean.lines}
    assert sidebar <= set(clean.removed)
    assert len(clean.reasons) == len(clean.removed)
    assert set(clean.reasons) <= {"outside the document", "rule: partial-extract notice", "rule: articles list"}


def test_notice_and_articles_list_are_removed_by_their_rules() -> None:
    # 05BRASILIA1396 (partial extract); 07SANJOSE1733 ("Appears in these articles:" and four links)
    notice = _clean(PAGES_DIR / "wikileaks-viewer-text" / "c76c6e599031b413.txt")
    assert notice.reasons[notice.removed.index(measure._NOTICE)] == "rule: partial-extract notice"
    articles = _clean(PAGES_DIR / "wikileaks-viewer-text" / "1f28c63708de4975.txt")
    start = articles.removed.index("Appears in these articles:")
    assert articles.reasons[start : start + 5] == ("rule: articles list",) * 5
    assert articles.removed[start + 1].startswith("http://www.nacion.com/")
    assert articles.lines[0] == "VZCZCXYZ0007"


# --- the region and the repetition method --------------------------------------------------

# Real first header lines, each tagged with its page.
_HEADER_LINES = [
    "VZCZCXYZ0007",  # 07SANJOSE1733
    "PP RUEHDE RUEHDIR",  # viewer-text corpus
    "DE RUEHCN #0028/01 0350254",  # 10CHENGDU28
    "ZNY CCCCC ZZH",  # 06SANJOSE1650
    "O 161802Z JUN 09",  # 09PORTAUPRINCE575
    "S E C R E T  TRIPOLI 000198",  # 06TRIPOLI198
    "UNCLAS SECTION 01 OF 03 BRASILIA 001321",  # 03BRASILIA1321
]
# Real sidebar lines that look like cable lines but are not header lines.
_SIDEBAR_LINES = [
    "CONFIDENTIAL CONFIDENTIAL//NOFORN SECRET SECRET//NOFORN UNCLASSIFIED UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "AF AM AE AG AR ASEC AS AU AORC AJ AMGT AGMT AFIN ACOA AEC AO AX AMED ADCO AODE APER AC ABLD AL AEMR",
    "Browse by classification",
    "2010/12/22 2010/12/21 2010/12/20",
]


@pytest.mark.parametrize("line", _HEADER_LINES)
def test_header_lines_start_the_region(line: str) -> None:
    assert HEADER_LINE.match(line)


@pytest.mark.parametrize("line", _SIDEBAR_LINES)
def test_sidebar_lines_do_not(line: str) -> None:
    assert not HEADER_LINE.match(line)


def test_region_runs_from_the_first_header_line_to_the_last_document_line() -> None:
    lines = ["Browse by tag", "", "DE RUEHCN #0028/01 0350254", "1. (U) Text.", "", "© Scoop Media"]
    region = document_region(lines, chrome=frozenset({5}))
    assert (region.start, region.end) == (2, 4)


def test_repeated_cable_lines_stay_and_repeated_chrome_blocks_go() -> None:
    # Scoop's in-body ad and SIPDIS both on every page of a site: the ad goes, SIPDIS stays.
    ad, sipdis = "Advertisement - scroll to continue reading", "SIPDIS"
    site = collect([PageLines("site", frozenset({line_hash(ad), line_hash(sipdis), n})) for n in range(6)]).sites["site"]
    lines = ["UNCLAS CHENGDU 000028", "", sipdis, "", ad, "", "1. (U) Text", ad]
    assert repeated_lines(lines, site) == {4}  # the ad glued to a paragraph stays: it may be the cable's
    assert site.reason(ad) == "repeated on 6 of 6 pages of the site"


def test_counting_keeps_lines_on_half_the_pages_in_bounded_memory() -> None:
    counter = boilerplate._LossyCounter()
    for page in range(5000):
        counter.add(frozenset({1, 2 if page % 3 == 0 else 3, 1000 + page}))
    site = counter.site()
    assert set(site.lines) == {1, 3}
    assert len(counter.counts) < 5000 // 10  # one-off lines are forgotten


def _cable_pages() -> list[list[str]]:
    """Real cables from tests/pages, as their clean lines, each starting at a header line."""
    cables = []
    for page in sorted(PAGES_DIR.rglob("*")):
        if page.parent.name in ("scoop-text", "wikileaks-viewer", "wikileaks-viewer-text") and page.suffix in (".txt", ".html"):
            lines = list(_clean(page).lines)
            if lines and HEADER_LINE.match(lines[0]):
                cables.append(lines)
    return cables


CABLES = _cable_pages()
# Real chrome: the viewer's sidebar lines and Scoop's ad and newsletter lines.
CHROME = sorted(
    {line for dump in DUMPS for line in measure.site_lines(dump.read_text(encoding="utf-8")) if not line.startswith("Viewing cable")}
    | {rule.example for rule in source_named("scoop-text").drop}
)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), chosen=st.lists(st.sampled_from(CHROME), min_size=1, max_size=8, unique=True))
def test_interleaved_chrome_never_takes_a_cable_line(data, chosen: list[str]) -> None:
    """Chrome lines on every page of a site of real cables (no rules: an unknown site): every cable line stays, in order."""
    pages = []
    for cable in CABLES:
        lines = list(cable)
        for chrome in chosen:
            at = data.draw(st.integers(0, len(lines)))
            block = data.draw(st.booleans())  # its own block (between blank lines) or glued to a cable line
            lines[at:at] = ["", chrome, ""] if block else [chrome]
        pages.append(lines)
    site = collect(PageLines("site", frozenset(line_hash(x) for x in page if x.strip())) for page in pages).sites["site"]
    source = source_named("cable-text")
    for cable, lines in zip(CABLES, pages, strict=True):
        raw = decode_page(Path("page"), "\n".join(lines).encode())
        kept = iter(strip_page(raw, source, site=site).lines)
        assert all(line.rstrip() in kept for line in cable if line.strip())


@pytest.mark.skipif(not measure.DUMPS.is_dir(), reason="../shared/corpus is not on this machine")
def test_corpus_dumps_fields_words_and_no_site_text() -> None:
    """All 120 real dumps, converted as one collection: each measure on at least 99 % of pages."""
    paths = measure.dumps("all")
    chrome = measure.collection_chrome(paths)
    verdicts = [measure.measure(path, chrome) for path in paths]
    for name in ("fields", "words", "no_site_text"):
        failed = [f"{v.path.name}: {v.note}" for v in verdicts if not getattr(v, name)]
        assert len(failed) <= len(verdicts) // 100, (name, failed)


def test_cache_key_follows_the_sites_repeated_lines_not_their_counts() -> None:
    dump = DUMPS[0]
    data = dump.read_bytes()
    raw = decode_page(dump, data)
    group = boilerplate.site_group(raw.text, detect_source(raw))
    some = boilerplate.Boilerplate({group: boilerplate.SiteChrome(10, {line_hash("Browse by tag"): 10})})
    recount = boilerplate.Boilerplate({group: boilerplate.SiteChrome(12, {line_hash("Browse by tag"): 11})})
    other = boilerplate.Boilerplate({group: boilerplate.SiteChrome(10, {line_hash("Browse by origin"): 10})})
    keys = [b.page_key("k", dump, data) for b in (some, recount, other, boilerplate.Boilerplate())]
    assert keys[0] == keys[1] != keys[2] and keys[3] == "k"
