"""Hostile and broken input: nothing from a page is ever live in the site, nothing lands outside it."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest
from cleansite.config import Config
from cleansite.pipeline import build, convert
from conftest import CORPUS_DIR, PAGES_DIR, PROJECT_DIR, project_copy

HOSTILE_DIR = Path(__file__).parent / "hostile"
VECTORS = [line for line in (HOSTILE_DIR / "vectors.txt").read_text(encoding="utf-8").splitlines() if line]
MARKER = "XSS7f3a"
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "img", "base", "form", "link", "meta", "title"}


def _project_copy(root: Path) -> Config:
    return project_copy(root, pages=(root / "pages",))


def _hostile_text_page() -> str:
    """The real Scoop page of 10CHENGDU28 with every vector in a paragraph, a heading, the REF list."""
    text = (PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_text(encoding="utf-8")
    vectors = " ".join(VECTORS)
    text = text.replace("REF: A) 09 CHENGDU 300, B) CHENGDU 023", f"REF: A) 09 CHENGDU 300, B) CHENGDU 023, C) {vectors}")
    text = text.replace("First IPR University Degree Program in China", f"First IPR University {VECTORS[0]} in China")
    return text.replace("Not for Internet distribution.", "Not for Internet distribution.\n" + "\n".join(VECTORS))


def _hostile_html_page() -> str:
    """A real viewer page (06TEGUCIGALPA526) with the vectors inside its body <pre>, as markup."""
    page = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
    return page.replace("1. (C) Summary: Honduran", "1. (C) Summary: " + "&#x000A;".join(VECTORS) + " Honduran")


def _site_of(root: Path, pages: dict[str, str]) -> Path:
    """The site built from ``pages`` (file name -> text) in a copy of the project at ``root``; every page a document."""
    config = _project_copy(root)
    (root / "pages").mkdir()
    for name, text in pages.items():
        (root / "pages" / name).write_text(text, encoding="utf-8")
    assert len(build(config).documents) == len(pages)
    return root / "site"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site_of(tmp_path_factory.mktemp("hostile"), {"scoop.txt": _hostile_text_page(), "viewer.html": _hostile_html_page()})


def _elements(site: Path):
    for page in site.rglob("*.html"):
        for element in lxml.html.parse(str(page)).getroot().iter():
            if isinstance(element.tag, str):
                yield page, element


def test_no_element_or_attribute_from_a_page_is_live(hostile_site: Path) -> None:
    for page, element in _elements(hostile_site):
        values = " ".join(element.attrib.values())
        assert MARKER not in values, (page, element.tag, dict(element.attrib))
        assert not any(name.lower().startswith("on") for name in element.attrib), (page, element.tag)
        for name in ("href", "src", "action", "data"):
            target = "".join(element.get(name, "").split()).lower()
            assert not target.startswith(("javascript:", "vbscript:", "data:")), (page, element.tag, target)
        if element.tag in DANGEROUS_TAGS:
            assert MARKER not in (element.text_content() if element.tag != "img" else values), (page, element.tag)


def test_vectors_of_a_text_page_show_literally(hostile_site: Path) -> None:
    text = lxml.html.parse(str(hostile_site / "cables" / "10CHENGDU28.html")).getroot().text_content()
    for vector in VECTORS:
        assert vector in text, vector


def test_markup_of_an_html_page_is_never_rebuilt(hostile_site: Path) -> None:
    page = (hostile_site / "cables" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
    assert "alert('XSS7f3a')" in lxml.html.fromstring(page).text_content()  # the script's text, as text
    tree = lxml.html.fromstring(page)
    assert "<script>alert" not in page and not tree.xpath("//script[contains(., 'XSS7f3a')]")
    assert not any(name.lower().startswith("on") for element in tree.iter() if isinstance(element.tag, str) for name in element.attrib)
    # a "</pre></code></body></html>" among the vectors once cut the cable there: its last paragraph is still shown
    assert "his privately shared intentions. End Comment." in " ".join(tree.text_content().split())


def test_generated_links_point_only_inside_the_site(hostile_site: Path) -> None:
    """Links stay inside the site, but for the card's link to the page the document was scraped
    from: a plain http(s) URL naming the cable, as the viewer page names itself."""
    for page, element in _elements(hostile_site / "cables"):
        href = element.get("href")
        if element.tag == "a" and "source-link" in element.get("class", "").split():
            url = r"https?://[A-Za-z0-9.-]+/[A-Za-z0-9/._~%-]*" + re.escape(page.stem) + r"[A-Za-z0-9._~%-]*"
            assert re.fullmatch(url, href), (page, href)
        elif element.tag == "a" and href and page.name != "index.html":
            assert not href.startswith(("http:", "https:", "//", "/")) or "squidfunk" in href or "mkdocs" in href, (page, href)


# --- never write outside the output folder -------------------------------------------------

ODD_NAMES = ["..%2F..%2Fescape.txt", "CON.txt", "nul", "a\\b.txt", "ünïcödé ‮txt.txt", "x" * 200 + ".txt", "-rf.html", "C:evil.txt"]


def test_odd_ids_and_names_stay_inside(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    viewer = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
    for index, bad_id in enumerate(
        ["../../escape", "..\\..\\x", "/etc/passwd", "C:\\x", "06" + "A" * 300 + "1", "06CON1\x00", "06ＴＥＧ１"]
    ):
        (pages / f"id{index}.html").write_text(viewer.replace(">06TEGUCIGALPA526<", f">{bad_id}<"), encoding="utf-8")
    for name in ODD_NAMES:
        (pages / name).write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    docs = tmp_path / "out" / "docs"
    convert(Config(pages=(pages,), docs_dir=docs))
    written = [p for p in tmp_path.rglob("*") if p.is_file() and pages not in p.parents]
    assert written and all(docs / "cables" in p.parents for p in written)
    for path in written:
        assert all(
            part.isascii() and part.replace("-", "").replace(".", "").replace("_", "").isalnum() for part in path.relative_to(docs).parts
        )


# --- broken and odd input -----------------------------------------------------------------

BROKEN = {
    "empty.txt": (b"", "empty file"),
    "image.png.html": (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (PNG image)"),
    "archive.txt": (b"\x1f\x8b\x08\x00" + bytes(100), "binary file (gzip archive)"),
    "truncated.html": ((PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_bytes()[:30000], "no document"),
    "nobody.html": (b"<html><head><title>x</title></head></html>", "no document"),
    "nodoc.txt": (b"Just some words that are not a cable at all.\n", "no document"),
    "noid.txt": (b"UNCLAS SOMEWHERE 000001\n\n1. (U) A cable with no year anywhere.\n", "no reference ID"),
    "deep.html": (
        b"<html><body><pre>" + b"<div>" * 3000 + b"1. (U) deep text " * 40 + b"</div>" * 3000 + b"</pre></body></html>",
        "nested too deeply",
    ),
}


def test_broken_pages_get_one_line_each_and_the_rest_is_built(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, (data, _) in BROKEN.items():
        (pages / name).write_bytes(data)
    (pages / "good.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    (pages / "good-again.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    docs = tmp_path / "docs"
    result = subprocess.run(
        [sys.executable, "-m", "cleansite", "convert", str(pages), "--docs", str(docs)], capture_output=True, text=True, cwd=PROJECT_DIR
    )
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    for name, (_, reason) in BROKEN.items():
        assert [line for line in lines if f"{pages / name}: " in line and reason in line], (name, result.stderr)
    assert any("duplicate of 10CHENGDU28" in line for line in lines)
    assert (docs / "cables" / "10CHENGDU28.md").is_file()
    strict = subprocess.run(
        [sys.executable, "-m", "cleansite", "convert", str(pages), "--docs", str(tmp_path / "d2"), "--strict"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert strict.returncode == 1 and not (tmp_path / "d2" / "cables").exists()


def test_a_fifty_megabyte_page_is_refused_with_a_reason(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as out:
        out.write(b"<html><body><pre>")
        out.write(b"1. (U) word " * (50 * 1024 * 1024 // 12))
    result = subprocess.run([sys.executable, "-m", "cleansite", "parse", str(big)], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert result.returncode == 1 and "page too large" in result.stdout


# --- never lose what was built; reproducible builds -------------------------------------------


def _tree_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not on this machine")
@pytest.mark.parametrize("phase", [".site_src.new-", ".site.new-"], ids=["while converting", "while MkDocs builds"])
def test_a_killed_build_leaves_the_previous_site(tmp_path: Path, phase: str) -> None:
    config = _project_copy(tmp_path)
    shutil.copytree(PROJECT_DIR / "samples", tmp_path / "pages")
    build(config)
    before = (_tree_hash(tmp_path / "site_src"), _tree_hash(tmp_path / "site"))
    command = [sys.executable, "-m", "cleansite", "build", str(CORPUS_DIR), "--docs", str(tmp_path / "site_src"),
               "--site", str(tmp_path / "site"), "--config", str(tmp_path / "mkdocs.yml"), "--cache", str(tmp_path / "cache")]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(phase) for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it reached the phase to kill it in"
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the phase
    assert process.poll() is None, "the build ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = (_tree_hash(tmp_path / "site_src"), _tree_hash(tmp_path / "site"))
    assert after == before
    build(config)  # the next run cleans up what the killed one left
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not [p for p in (tmp_path / "site_src").iterdir() if p.name.startswith(".")]


def test_builds_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1291161600")
    trees = []
    for run, order in (("one", 1), ("two", -1)):
        config = _project_copy(tmp_path / run)
        folders = sorted((PROJECT_DIR / "samples").iterdir())[::order]
        build(
            Config(
                pages=tuple(f for f in folders if f.is_dir()),
                docs_dir=config.docs_dir,
                config_file=config.config_file,
                site_dir=config.site_dir,
            )
        )
        trees.append((_tree_hash(config.docs_dir), _tree_hash(config.site_dir)))
    assert trees[0] == trees[1]


# --- the metadata fields and code fences (a red-team pass found these) ----------------------

FIELD_VECTORS = {
    # a "]" that closes the card's link to the classification listing, then a link of its own and an attribute list
    "classification": "CONFIDENTIAL](javascript:alert('XSS7f3a')){: onmouseover=alert('XSS7f3a') } [x",
    # a "</title>" that closes the <title> of the listing pages named after the origin
    "origin": "Embassy </title><script>alert('XSS7f3a')</script>",
}


def _viewer_page_with_hostile_fields() -> str:
    """The real viewer page of 06TEGUCIGALPA526 with the classification and origin cells of its table hostile (as text)."""
    page = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
    page = page.replace("title='unclassified'>CONFIDENTIAL</a>", f"title='unclassified'>{html.escape(FIELD_VECTORS['classification'])}</a>")
    return page.replace(">Embassy Tegucigalpa</a>", f">{html.escape(FIELD_VECTORS['origin'])}</a>")


def _scoop_page_with_fences() -> str:
    """The real Scoop page of 10CHENGDU28 with code fences: lines of the header, and blocks of the body."""
    text = (PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_text(encoding="utf-8")
    text = text.replace("E.O. 12958: N/A", "E.O. 12958: N/A\n~~~\n</pre> & <b>XSS7f3a</b>\n~~~")
    fences = "\n\n~~~\n\nXSS7f3a fenced\n\n```\n"
    return text.replace("information. Not for Internet distribution.", "information. Not for Internet distribution." + fences)


@pytest.fixture(scope="module")
def fields_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = {"viewer.html": _viewer_page_with_hostile_fields(), "scoop.txt": _scoop_page_with_fences()}
    return _site_of(tmp_path_factory.mktemp("fields"), pages)


def test_metadata_fields_are_never_markup(fields_site: Path) -> None:
    for page, element in _elements(fields_site):
        assert not any(name.lower().startswith("on") for name in element.attrib), (page, element.tag)
        assert not "".join(element.get("href", "").split()).lower().startswith("javascript:"), (page, element.tag)
        if element.tag in DANGEROUS_TAGS - {"title"} or element.tag == "title" and element.getparent().tag != "head":
            assert MARKER not in element.text_content() + " ".join(element.attrib.values()), (page, element.tag)
    cable = lxml.html.parse(str(fields_site / "cables" / "06TEGUCIGALPA526.html")).getroot()
    card = cable.find_class("cable-meta")[0].text_content()
    assert FIELD_VECTORS["classification"] in card and FIELD_VECTORS["origin"] in card
    origin_page = next((fields_site / "cables" / "by-origin").glob("embassy-*.html"))
    assert FIELD_VECTORS["origin"] in lxml.html.parse(str(origin_page)).getroot().find("head").findtext("title")


def test_code_fences_in_the_text_show_as_text(fields_site: Path) -> None:
    page = lxml.html.parse(str(fields_site / "cables" / "10CHENGDU28.html")).getroot()
    assert not page.xpath("//article//code"), "a fence in the scraped text made a code block"
    header = page.get_element_by_id("header").text_content()
    assert "~~~\n</pre> & <b>XSS7f3a</b>\n~~~" in header
    text = page.find(".//article").text_content()
    assert "~~~" in text and "XSS7f3a fenced" in text and "```" in text


def test_a_tag_of_hostile_attributes_is_refused_at_once(tmp_path: Path) -> None:
    """300,000 attributes on one tag (3 MB) kept libxml2 busy for hours, in one C call no timeout interrupts."""
    page = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
    attributes = " ".join(f"a{number}=x" for number in range(300_000))
    (tmp_path / "pages").mkdir()
    hostile = page.replace("<table class='cable'>", f"<table class='cable' {attributes}>")
    (tmp_path / "pages" / "attrs.html").write_text(hostile, encoding="utf-8")
    started = time.monotonic()
    command = [sys.executable, "-m", "cleansite", "parse", str(tmp_path / "pages")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]  # parse gives a bad page's error in its record
    assert record["path"].endswith("attrs.html") and "more than 5,000 attributes" in record["error"]
    assert time.monotonic() - started < 120  # hours before; a generous bound for a loaded machine
