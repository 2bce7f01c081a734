"""The built site as a reader uses it: Chromium (Debian's) driven by Playwright, served and from file://.

Skipped when Chromium or Playwright is missing, unless CLEANSITE_REQUIRE_BROWSER=1 (as in .ci/run).
Screenshots go to tests/artifacts/ for a reviewer to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from cleansite.config import Config
from cleansite.pipeline import build
from conftest import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
REQUIRED = os.environ.get("CLEANSITE_REQUIRE_BROWSER") == "1"

if not CHROMIUM.exists() and not REQUIRED:
    pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api") if not REQUIRED else __import__("playwright.sync_api").sync_api


def _build(root: Path, instant: bool = False, search: str = "auto") -> Path:
    shutil.copytree(PROJECT_DIR / "site_src", root / "site_src", ignore=shutil.ignore_patterns("cables"))
    shutil.copytree(PROJECT_DIR / "theme", root / "theme")
    config_text = (PROJECT_DIR / "mkdocs.yml").read_text(encoding="utf-8")
    if instant:  # a served site may turn instant navigation on; the highlight must still work
        config_text = config_text.replace("    - navigation.top\n", "    - navigation.top\n    - navigation.instant\n")
        config_text = config_text.replace("  - offline\n", "")
    (root / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    config = Config(
        pages=(PROJECT_DIR / "samples",), docs_dir=root / "site_src", config_file=root / "mkdocs.yml", site_dir=root / "site",
        cache_dir=root / "cache", search=search,
    )  # fmt: skip
    build(config)
    return root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    offline = _build(tmp_path_factory.mktemp("offline"))
    instant = _build(tmp_path_factory.mktemp("instant"), instant=True)
    sharded = _build(tmp_path_factory.mktemp("sharded"), search="sharded")
    servers = [_serve(offline), _serve(instant), _serve(sharded)]
    yield {
        "file": offline.as_uri() + "/",
        "served": f"http://127.0.0.1:{servers[0].server_address[1]}/",
        "instant": f"http://127.0.0.1:{servers[1].server_address[1]}/",
        "sharded-file": sharded.as_uri() + "/",
        "sharded-served": f"http://127.0.0.1:{servers[2].server_address[1]}/",
    }
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"]  # fmt: skip
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, sites):
    """A page that records console errors and fails on any request leaving 127.0.0.1 or file://."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.console_errors = errors
    yield tab
    context.close()
    assert outside == [], f"requests left the machine: {outside}"


@pytest.mark.parametrize("where", ["served", "file"])
def test_home_page_loads_without_console_errors(page, sites, where: str) -> None:
    page.goto(sites[where] + "index.html")
    page.wait_for_load_state("load")
    assert "Cablegate reading room" in page.title()
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["served", "file", "sharded-served", "sharded-file"])
def test_search_finds_zongshen_and_opens_the_cable(page, sites, where: str) -> None:
    page.goto(sites[where] + "index.html")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Zongshen", delay=50)  # typed, as a reader does
    result = page.locator(".md-search-result__item a[href*='10CHENGDU28']").first
    result.wait_for(timeout=20000)
    result.click()
    page.wait_for_url("**/10CHENGDU28.html*")
    assert page.locator("h1").first.inner_text().startswith("10CHENGDU28 — Chongqing")
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["served", "sharded-served", "sharded-file"])
def test_search_finds_a_hand_written_page(page, sites, where: str) -> None:
    page.goto(sites[where] + "cables/10CHENGDU28.html")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("printout", delay=50)
    result = page.locator(".md-search-result__item a[href*='about.html']").first
    result.wait_for(timeout=20000)
    result.click()
    page.wait_for_url("**/about.html*")
    assert page.locator("h1").first.inner_text() == "About this site"
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["served", "file", "instant"])
def test_paragraph_nine_url_scrolls_to_it_and_highlights_it(page, sites, where: str) -> None:
    page.goto(sites[where] + "cables/10CHENGDU28.html#p9")
    paragraph = page.locator("#p9")
    paragraph.wait_for()
    page.wait_for_function("document.getElementById('p9').classList.contains('cs-target')")
    assert "Deputy Coordinator of the Copyright" in paragraph.inner_text()
    assert page.evaluate(
        "(() => { const r = document.getElementById('p9').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()"
    )
    background = page.evaluate("getComputedStyle(document.getElementById('p9')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_instant_navigation_to_a_cited_paragraph_highlights_it(page, sites) -> None:
    page.goto(sites["instant"] + "cables/09TRIPOLI212.html")
    page.locator("#cited-by + ul a[href*='09TRIPOLI886.html#p2']").click()
    page.wait_for_url("**/09TRIPOLI886.html#p2")
    page.wait_for_function("document.getElementById('p2') && document.getElementById('p2').classList.contains('cs-target')")
    assert page.console_errors == []


def test_clicking_a_paragraph_number_copies_its_link(page, sites) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(sites["served"] + "cables/10CHENGDU28.html")
    page.locator("#p12 a.para-link").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == sites["served"] + "cables/10CHENGDU28.html#p12"
    assert page.locator(".cs-toast.is-visible").inner_text() == "Link to this paragraph copied"
    assert page.url.endswith("#p12")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_and_no_sideways_scrolling(page, sites, width: int, scheme: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    for name in ("10CHENGDU28", "06TEGUCIGALPA526"):
        page.goto(sites["served"] + f"cables/{name}.html#p2")
        page.locator("#p2").wait_for()
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(sites["served"] + "cables/index.html")
    page.screenshot(path=str(ARTIFACTS / f"overview-{width}-{scheme}.png"), full_page=True)


def test_print_hides_navigation_and_shows_link_targets(page, sites) -> None:
    page.goto(sites["served"] + "cables/09TRIPOLI212.html")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-sidebar--primary')).display") == "none"
    after = page.evaluate("getComputedStyle(document.querySelector('.md-content a[href=\"09TRIPOLI40.html\"]'), '::after').content")
    assert "09TRIPOLI40.html" in after
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "09TRIPOLI212-print.pdf"))


@pytest.mark.parametrize("where", ["sharded-served", "sharded-file"])
@pytest.mark.parametrize("width", [390, 1280])
def test_search_page_filters_pages_and_lands_on_the_paragraph(page, sites, where: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sites[where] + "search.html?query=Qadhafi&origin=Embassy+Tripoli")
    status = page.locator(".cs-status")
    page.wait_for_function("/matching document/.test(document.querySelector('.cs-status').textContent)", timeout=20000)
    assert "matching documents" in status.inner_text()
    metas = page.locator(".cs-result-meta").all_inner_texts()
    assert metas and all("Embassy Tripoli" in meta for meta in metas)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{width}.png"))
    page.goto(sites[where] + "search.html?query=embassy")
    page.wait_for_function("document.querySelectorAll('.cs-result').length === 20", timeout=20000)
    page.locator(".cs-more").dispatch_event("click")
    page.wait_for_function("document.querySelectorAll('.cs-result').length > 20", timeout=20000)
    page.goto(sites[where] + "search.html?query=Zongshen")
    link = page.locator(".cs-result-title").first
    link.wait_for(timeout=20000)
    assert "#p10" in link.get_attribute("href") and page.locator(".cs-excerpt mark").first.inner_text() == "Zongshen"
    link.click()
    page.wait_for_url("**/10CHENGDU28.html*#p10")
    page.wait_for_function("document.getElementById('p10').classList.contains('cs-target')")
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["served", "sharded-file"])
def test_search_box_states_the_true_count_and_opens_the_paragraph(page, sites, where: str) -> None:
    page.goto(sites[where] + "index.html")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("10 CHENGDU 28", delay=30)
    result = page.locator(".md-search-result__item a[href*='10CHENGDU28']").first
    result.wait_for(timeout=20000)
    page.locator(".md-search__input").fill("")
    page.locator(".md-search__input").press_sequentially("Zongshan", delay=30)  # one letter wrong
    page.locator(".md-search-result__item a[href*='10CHENGDU28.html'][href$='#p10']").first.wait_for(timeout=20000)
    page.wait_for_function("/^1 matching document$/.test(document.querySelector('.md-search-result__meta').textContent)")
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["sharded-served", "sharded-file"])
@pytest.mark.parametrize("width", [390, 1280])
def test_search_page_filters_by_date_tag_classification_and_sorts(page, sites, where: str, width: int) -> None:
    """Every filter set in the form (as a reader does), sorting both ways; the state survives a reload of its URL."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sites[where] + "search.html")
    page.locator(".cs-search-form select[name='origin'] option").nth(1).wait_for(state="attached", timeout=20000)
    page.fill("#cs-search input[name='query']", "Qadhafi")
    page.fill("#cs-search input[name='from']", "2009-01")
    page.fill("#cs-search input[name='to']", "2009-06")
    page.fill("#cs-search input[name='tag']", "PGOV")
    page.select_option("#cs-search select[name='classification']", "CONFIDENTIAL")
    page.select_option("#cs-search select[name='sort']", "newest")
    page.wait_for_function("/^3 matching documents/.test(document.querySelector('.cs-status').textContent)", timeout=20000)
    newest = ["09TRIPOLI208", "09TRIPOLI64", "09TRIPOLI40"]  # in 2009-01..06, tagged PGOV, CONFIDENTIAL, naming Qadhafi
    assert _result_ids(page) == newest
    assert all("CONFIDENTIAL" in meta and "PGOV" in meta for meta in page.locator(".cs-result-meta").all_inner_texts())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for field in ("query=Qadhafi", "from=2009-01", "to=2009-06", "tag=PGOV", "classification=CONFIDENTIAL", "sort=newest"):
        assert field in page.url
    page.goto(page.url.replace("sort=newest", "sort=oldest"))
    page.wait_for_function("document.querySelectorAll('.cs-result').length === 3", timeout=20000)
    assert _result_ids(page) == newest[::-1] and page.locator("#cs-search select[name='sort']").input_value() == "oldest"
    assert page.console_errors == []


def _result_ids(page) -> list[str]:
    return [title.split(" — ")[0] for title in page.locator(".cs-result-title").all_inner_texts()]


@pytest.mark.parametrize("where", ["sharded-served", "sharded-file"])
@pytest.mark.parametrize("width", [390, 1280])
def test_search_box_shows_the_excerpt_and_lands_on_its_paragraph_highlighted(page, sites, where: str, width: int) -> None:
    """Material's search box (through cleansite's worker): the best paragraph as the excerpt, its words marked; the
    link opens that paragraph, marked as the target, with the words highlighted by Material."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sites[where] + "index.html")
    if width == 390:
        page.locator("label[for='__search']").first.click()  # the phone layout opens search from an icon
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Zongshen", delay=30)
    result = page.locator(".md-search-result__item a[href*='10CHENGDU28.html'][href$='#p10']").first  # the paragraph under the page
    result.wait_for(timeout=20000)
    assert result.locator("mark", has_text="Zongshen").count() >= 1  # the excerpt, its word marked
    assert result.locator("h2").inner_text() == "¶10"
    result.click()
    page.wait_for_url("**/10CHENGDU28.html*#p10")
    page.wait_for_function("document.getElementById('p10').classList.contains('cs-target')")
    assert page.locator("#p10 mark", has_text="Zongshen").count() >= 1  # search.highlight: ?h=zongshen
    top = page.evaluate("document.getElementById('p10').getBoundingClientRect().top")
    assert 0 <= top < 900
    assert page.console_errors == []


# --- the linked cable page and the listings (issue 12, steps 2 and 3) ---

SCREENSHOTS = PROJECT_DIR / "tests" / "screenshots"  # committed, shown in the README


@pytest.mark.parametrize("where", ["served", "file"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_card_links_to_listings_and_names_each_tag(page, sites, where: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sites[where] + "cables/09TRIPOLI212.html")
    assert page.title().startswith("09TRIPOLI212 — ")
    source = page.locator(".cable-meta a.source-link")  # the viewer page names its URL in its share links
    assert source.get_attribute("href").endswith("/cable/2009/03/09TRIPOLI212.html") and source.get_attribute("rel") == "nofollow"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator(".cable-meta a[href='by-tag/prel.html']").get_attribute("title") == "External Political Relations"
    page.locator(".cable-meta a", has_text="Embassy Tripoli").click()
    page.wait_for_url("**/cables/by-origin/embassy-tripoli-*.html")
    assert page.locator(".cs-listing a[href='../09TRIPOLI212.html']").count() == 1
    page.go_back()
    page.locator(".cable-meta a[href='by-date/2009-03.html']").click()
    page.wait_for_url("**/cables/by-date/2009-03.html")
    page.locator("a[href='../09TRIPOLI212.html']").first.wait_for()
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["served", "file"])
def test_previous_and_next_within_the_origin(page, sites, where: str) -> None:
    page.goto(sites[where] + "cables/09TRIPOLI212.html")
    page.locator(".cable-nav p").first.locator("a[rel='next']").click()
    page.wait_for_url("**/cables/09TRIPOLI886.html")
    page.locator(".cable-nav p").first.locator("a[rel='prev']").click()
    page.wait_for_url("**/cables/09TRIPOLI212.html")


def test_cite_copies_the_paragraph_citation(page, sites) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    url = sites["served"] + "cables/10CHENGDU28.html"
    page.goto(url)
    page.locator("#p9").hover()
    page.locator("#p9 button.cs-cite").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"10CHENGDU28 ¶9, {url}#p9"
    assert page.locator(".cs-toast.is-visible").inner_text() == "Citation copied"
    assert page.locator("button.cs-cite").count() == page.locator(".cable-para a.para-link").count()


def test_cite_works_from_file(page, sites) -> None:
    """Without a clipboard (refused here on purpose) the citation is shown for copying by hand."""
    url = sites["file"] + "cables/10CHENGDU28.html"
    page.goto(url)
    refuse = "() => { document.execCommand = () => false; if (navigator.clipboard) navigator.clipboard.writeText = () => Promise.reject() }"
    page.evaluate(refuse)
    page.locator("#p9 button.cs-cite").click()
    assert page.locator(".cs-toast.is-visible").inner_text() == f"Cite: 10CHENGDU28 ¶9, {url}#p9"
    assert page.console_errors == []


@pytest.mark.parametrize("where", ["served", "file"])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_listing_reads_subject_first_on_a_phone(page, sites, where: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sites[where] + "cables/by-date/2009-03.html")
    row = page.locator(".cs-listing tbody tr").first
    subject, cable = row.locator("td").nth(0).bounding_box(), row.locator("td").nth(1).bounding_box()
    if width == 390:  # the subject on its own line, the other fields wrapped under it
        assert subject["y"] + subject["height"] <= cable["y"] + 1 and subject["width"] > 250
    else:
        assert abs(subject["y"] - cable["y"]) < 2 and subject["x"] < cable["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(".cs-listing th a", has_text="Subject").click()
    page.wait_for_url("**/by-date/2009-03-by-subject.html")
    subjects = page.locator(".cs-listing tbody td:first-child").all_inner_texts()
    assert subjects == sorted(subjects, key=str.casefold)


@pytest.mark.skipif(os.environ.get("CLEANSITE_SCREENSHOTS") != "1", reason="writes the README's screenshots: CLEANSITE_SCREENSHOTS=1")
@pytest.mark.parametrize("width", [390, 1280])
def test_readme_screenshots(page, sites, width: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 860})
    page.emulate_media(color_scheme="light")
    page.goto(sites["served"] + "cables/09TRIPOLI212.html")
    page.screenshot(path=str(SCREENSHOTS / f"cable-{width}.png"))
    page.goto(sites["served"] + f"cables/by-origin/{_slug('Embassy Tripoli')}.html")
    page.screenshot(path=str(SCREENSHOTS / f"listing-{width}.png"))
    page.goto(sites["served"] + "search.html?query=Qadhafi&from=2009-01&to=2009-12&origin=Embassy+Tripoli&tag=PGOV&sort=newest")
    page.wait_for_function("/matching document/.test(document.querySelector('.cs-status').textContent)", timeout=20000)
    page.screenshot(path=str(SCREENSHOTS / f"search-filters-{width}.png"))
    page.goto(sites["served"] + "index.html")
    if width == 390:
        page.locator("label[for='__search']").first.click()
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Zongshen", delay=30)
    page.locator(".md-search-result__item a[href$='#p10']").first.wait_for(timeout=20000)
    page.screenshot(path=str(SCREENSHOTS / f"search-box-{width}.png"))


def _slug(key: str) -> str:
    from cleansite.indexes import slug

    return slug(key)
