"""The card's link to the page a document was scraped from: the URL the page names (real viewer pages
of every generation), else the ``--source-url`` template; page data never leaves its link."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cleansite import api
from cleansite.cli import main
from cleansite.pageurl import checked_url, own_url
from cleansite.sources import source_named
from conftest import CORPUS_DIR, PAGES_DIR, page_path

VIEWER_RULES = source_named("wikileaks-viewer").html
HTML_PAGE_RULES = source_named("html-page").html
CARD_SOURCE = re.compile(r"<dt>Source</dt><dd[^>]*>(.*?)</dd>")


@pytest.mark.parametrize(
    ("page", "url"),
    [
        # wikileaks.ch mirror (2010-2011), its share links: <a href='http://digg.com/submit?url=http%3A%2F%2Fwikileaks.ch%2F...
        (page_path("wikileaks-viewer", "08TRIPOLI220.html"), "http://wikileaks.ch/cable/2008/03/08TRIPOLI220.html"),
        # the December 2010 generation names cablegate.wikileaks.org
        (page_path("wikileaks-viewer", "05BOGOTA9595.html"), "http://cablegate.wikileaks.org/cable/2005/10/05BOGOTA9595.html"),
        # the August 2011 full release (a 1972 cable)
        (page_path("wikileaks-viewer", "72TEHRAN1164.html"), "http://wikileaks.org/cable/1972/02/72TEHRAN1164.html"),
    ],
)
def test_a_viewer_page_names_its_own_url(page: Path, url: str) -> None:
    assert api.parse_page(page).source_url == url
    card = CARD_SOURCE.search(api.render(api.parse_page(page))).group(1)
    assert f"[{url.split('/')[2]}]({url}){{: .source-link" in card


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not on this machine")
def test_every_viewer_page_of_the_corpus_names_its_url() -> None:
    pages = [p for folder in ("wikileaks", "wikileaks-2010", "wikileaks-2010b", "wikileaks-2011", "cablemap-pages")
             for p in (CORPUS_DIR / folder).rglob("*.html")]  # fmt: skip
    assert len(pages) > 1400
    for page in pages:
        url = own_url(page.read_text(encoding="utf-8", errors="replace"), VIEWER_RULES.source_url)
        assert url and url.startswith("http://") and url.endswith(f"/{page.stem}.html"), page


def test_a_text_dump_names_no_url_and_gets_none() -> None:
    assert api.parse_page(page_path("scoop-text", "10CHENGDU28.txt")).source_url is None
    assert api.parse_page(page_path("wikileaks-viewer-text", "1f28c63708de4975.txt")).source_url is None


@pytest.mark.parametrize(
    "markup",
    [
        '<link rel="canonical" href="https://www.scoop.co.nz/stories/WL1002/S00236.htm">',
        '<link href="https://www.scoop.co.nz/stories/WL1002/S00236.htm" rel="canonical">',
        "<meta property='og:url' content='https://www.scoop.co.nz/stories/WL1002/S00236.htm'>",
        '<meta content="https://www.scoop.co.nz/stories/WL1002/S00236.htm" property="og:url" />',
    ],
)
def test_canonical_and_og_url_in_either_attribute_order(markup: str) -> None:
    page = f"<html><head>{markup}</head><body><p>text</p></body></html>"
    assert own_url(page, HTML_PAGE_RULES.source_url) == "https://www.scoop.co.nz/stories/WL1002/S00236.htm"


@pytest.mark.parametrize(
    "named",
    ["javascript:alert(1)", "data:text/html,<script>", "http://x/a\"onmouseover='alert(1)'", "http://x y/", "//x/y", "http://x/<b>"],
)
def test_a_url_a_page_names_that_is_not_plain_http_is_ignored(named: str) -> None:
    assert checked_url(named) is None
    found = own_url(f"<link rel=canonical href={named}>", HTML_PAGE_RULES.source_url)  # an unquoted value ends at a space or quote
    assert found is None or (found.startswith("http://x") and not re.search(r"[\s\"'<>]", found))


def test_a_hostile_url_of_a_page_stays_inside_its_link() -> None:
    """A URL can hold ( ) [ ] and &: escaped, it can neither end the Markdown link nor add attributes."""
    document = replace(api.parse_page(page_path("scoop-text", "10CHENGDU28.txt")), source_url="http://x/a)[b](javascript:c)&d")
    card = CARD_SOURCE.search(api.render(document)).group(1)
    assert "(http://x/a%29%5Bb%5D%28javascript:c%29&d)" in card


def test_the_template_links_documents_that_name_no_url() -> None:
    chengdu = api.parse_page(page_path("scoop-text", "10CHENGDU28.txt"))
    card = CARD_SOURCE.search(api.render(chengdu, source_url="https://wikileaks.org/cable/{year}/{month}/{id}.html")).group(1)
    assert "[wikileaks.org](https://wikileaks.org/cable/2010/02/10CHENGDU28.html)" in card
    undated = replace(chengdu, created=None)
    assert "source-link" not in api.render(undated, source_url="https://wikileaks.org/cable/{year}/{month}/{id}.html")
    assert "[example.org](https://example.org/c/10CHENGDU28)" in api.render(undated, source_url="https://example.org/c/{id}")


def test_the_page_s_own_url_wins_over_the_template() -> None:
    tripoli = api.parse_page(page_path("wikileaks-viewer", "08TRIPOLI220.html"))
    card = CARD_SOURCE.search(api.render(tripoli, source_url="https://example.org/{id}")).group(1)
    assert "wikileaks.ch/cable/2008/03/08TRIPOLI220.html" in card and "example.org" not in card


@pytest.mark.parametrize(
    "template",
    ["https://x/{id})[click](javascript:alert(1))", "javascript:alert({id})", "https://x/{year} onmouseover=x", "https://x/{idx}",
     "https://x/{year}/{month}", 'https://x/{id}"><b>', "https://x/{id.__class__}"],
)  # fmt: skip
def test_a_source_url_template_that_could_escape_its_link_is_refused(tmp_path: Path, capsys, template: str) -> None:
    page = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"
    arguments = ["convert", str(page), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c"), "--source-url", template]
    assert main(arguments) == 2
    assert "--source-url must be" in capsys.readouterr().err


def test_the_command_line_template_reaches_the_card(tmp_path: Path) -> None:
    page = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"
    arguments = ["convert", str(page), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c")]
    assert main([*arguments, "--source-url", "https://example.org/cable/{year}/{month}/{id}.html"]) == 0
    markdown = (tmp_path / "docs" / "cables" / "10CHENGDU28.md").read_text(encoding="utf-8")
    assert "[example.org](https://example.org/cable/2010/02/10CHENGDU28.html){: .source-link" in markdown


PLUGIN_CONFIG = """site_name: Someone's site
use_directory_urls: false
theme:
  name: material
plugins:
  - search
  - cleansite:
      pages: [scraped/]
      source_url: "{template}"
markdown_extensions: [attr_list, toc]
"""


@pytest.mark.parametrize(("template", "works"), [("https://example.org/{year}/{id}", True), ("javascript:alert({id})", False)])
def test_the_plugin_option_is_checked_and_reaches_the_card(tmp_path: Path, template: str, works: bool) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Notes\n", encoding="utf-8")
    (tmp_path / "scraped").mkdir()
    shutil.copy(PAGES_DIR / "scoop-text" / "10CHENGDU28.txt", tmp_path / "scraped")
    (tmp_path / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(template=template), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], capture_output=True, text=True, cwd=tmp_path)
    if works:
        page = (tmp_path / "site" / "cables" / "10CHENGDU28.html").read_text(encoding="utf-8")
        assert done.returncode == 0 and '<a class="source-link" href="https://example.org/2010/10CHENGDU28" rel="nofollow">' in page
    else:
        assert done.returncode != 0 and "source_url must be an http(s) URL" in done.stderr
