"""Issue 14's reproductions: hostile paths and settings are refused in one line, odd file names shown safely."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import lxml.html
import markdown
import pytest
from cleansite.cli import main
from cleansite.link import Collection, find_links
from cleansite.load import decode_page
from cleansite.parse import parse_page
from cleansite.records import plain_text
from cleansite.render import DocumentLinks, RenderContext, render_document
from cleansite.sources import detect_source
from cleansite.strip import strip_page
from conftest import PAGES_DIR, project_copy

CHENGDU = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"


def _one_page(folder: Path, name: str | bytes = "10CHENGDU28.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())
    Path(os.fsdecode(target)).write_bytes(CHENGDU.read_bytes())
    return folder


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize("site", ["site_src", "site_src/site", "."], ids=["equal", "inside", "above"])
def test_a_site_folder_equal_to_inside_or_above_the_docs_is_refused(tmp_path: Path, capsys, site: str) -> None:
    config = project_copy(tmp_path)
    before = sorted(p.name for p in config.docs_dir.iterdir())
    arguments = ["build", str(_one_page(tmp_path / "pages")), "--docs", str(config.docs_dir), "--site", str(tmp_path / site)]
    assert main([*arguments, "--config", str(config.config_file), "--cache", str(tmp_path / "cache")]) == 2
    assert "must be separate folders" in _one_error_line(capsys)
    assert sorted(p.name for p in config.docs_dir.iterdir()) == before


@pytest.mark.parametrize(
    ("config_text", "reason"),
    [(None, "no such file"), ("folder", "is a folder"), ("site_name: [x\n", "not valid YAML")],
    ids=["missing", "folder", "bad YAML"],
)
def test_a_bad_config_is_one_line_before_any_work(tmp_path: Path, capsys, config_text: str | None, reason: str) -> None:
    config = tmp_path / "mkdocs.yml"
    if config_text == "folder":
        config.mkdir()
    elif config_text:
        config.write_text(config_text, encoding="utf-8")
    arguments = ["build", str(_one_page(tmp_path / "pages")), "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site")]
    assert main([*arguments, "--config", str(config), "--cache", str(tmp_path / "cache")]) == 2
    assert reason in _one_error_line(capsys)
    assert not (tmp_path / "cache").exists()


def test_a_report_in_a_missing_folder_is_refused_before_any_work(tmp_path: Path, capsys) -> None:
    arguments = ["convert", str(_one_page(tmp_path / "pages")), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "cache")]
    assert main([*arguments, "--report", str(tmp_path / "missing" / "report.json")]) == 2
    assert "no such folder" in _one_error_line(capsys)
    assert not (tmp_path / "docs" / "cables").exists()


def test_a_missing_docs_folder_is_created(tmp_path: Path) -> None:
    docs = tmp_path / "new" / "docs"
    assert main(["convert", str(_one_page(tmp_path / "pages")), "--docs", str(docs), "--cache", str(tmp_path / "c")]) == 0
    assert (tmp_path / "new" / "docs" / "cables" / "10CHENGDU28.md").is_file()


def test_jobs_are_capped_with_a_message(tmp_path: Path, capsys) -> None:
    arguments = ["convert", str(_one_page(tmp_path / "pages")), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c")]
    assert main([*arguments, "--jobs", "1000"]) == 0
    assert f"--jobs 1000 capped at {2 * (os.cpu_count() or 1)}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "template",
    ["https://x/{id})[click](javascript:alert(1))", "javascript:alert({id})", "https://x/{id} onmouseover=x", 'https://x/{id}"><b>'],
)
def test_an_external_url_that_could_escape_its_link_is_refused(tmp_path: Path, capsys, template: str) -> None:
    arguments = ["convert", str(_one_page(tmp_path / "pages")), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c")]
    assert main([*arguments, "--external-url", template]) == 2
    assert "--external-url must be" in _one_error_line(capsys)


def test_a_file_name_that_is_not_utf8_or_holds_controls_is_shown_escaped(tmp_path: Path, capsys) -> None:
    """Issue 14: ``caf\\xe9.txt`` crashed the run with a UnicodeEncodeError; ESC and newlines reached the terminal."""
    pages = _one_page(tmp_path / "pages", b"caf\xe9.txt")
    (pages / "evil\x1b[31m\nname.txt").write_bytes(b"")
    assert main(["convert", str(pages), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c"), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "evil\\x1b[31m\\x0aname.txt: empty file" in err
    page = (tmp_path / "docs" / "cables" / "10CHENGDU28.md").read_text(encoding="utf-8")
    assert "caf\\\\xe9.txt" in page  # the card's values are Markdown: its backslash escaped, shown as caf\xe9.txt
    assert main(["parse", str(pages), "--cache", str(tmp_path / "c")]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["path"].rsplit("/", 1)[-1] for r in records} == {"caf\\xe9.txt", "evil\\x1b[31m\\x0aname.txt"}


def test_control_characters_in_page_text_never_reach_the_markdown(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    text = CHENGDU.read_text(encoding="utf-8").replace("Zongshen", "Zong\x1b[2Jshen\x07\x9b")
    (pages / "c.txt").write_text(text, encoding="utf-8")
    assert main(["convert", str(pages), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c")]) == 0
    page = (tmp_path / "docs" / "cables" / "10CHENGDU28.md").read_text(encoding="utf-8")
    assert "Zong\\[2Jshen" in page and not any(c in page for c in "\x1b\x07\x9b")


def test_only_regular_files_are_read_and_never_more_than_the_limit(tmp_path: Path) -> None:
    """Issue 14: ``parse /dev/zero`` read until memory ran out; a named pipe hung for ever."""
    from cleansite.load import PageUnreadable, read_page_bytes

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        with pytest.raises(PageUnreadable, match="not a regular file"):
            read_page_bytes(path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(PageUnreadable, match="too large"):
        read_page_bytes(big, max_bytes=1000)


def test_unreadable_folders_and_outside_symlinks_get_a_line_each_and_fail_strict(tmp_path: Path, capsys) -> None:
    pages = _one_page(tmp_path / "pages")
    outside = _one_page(tmp_path / "outside", "secret.txt")
    (pages / "link.txt").symlink_to(outside / "secret.txt")
    (pages / "linked-folder").symlink_to(outside)
    (pages / "locked").mkdir()
    (pages / "locked").chmod(0)
    try:
        arguments = ["convert", str(pages), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c"), "--jobs", "1"]
        assert main(arguments) == 0
        err = capsys.readouterr().err
        assert "link.txt: symlink to a file outside the input folders, not read" in err
        assert "linked-folder: symlinked folder, not followed" in err
        if os.geteuid() != 0:  # root reads any folder
            assert "locked: cannot read folder: Permission denied" in err
        assert main([*arguments, "--strict"]) == 1
    finally:
        (pages / "locked").chmod(0o755)


def test_an_empty_input_does_not_replace_a_site_unless_asked(tmp_path: Path, capsys) -> None:
    docs, empty = tmp_path / "docs", tmp_path / "empty"
    empty.mkdir()
    assert main(["convert", str(_one_page(tmp_path / "pages")), "--docs", str(docs), "--cache", str(tmp_path / "c")]) == 0
    assert main(["convert", str(empty), "--docs", str(docs), "--cache", str(tmp_path / "c")]) == 1
    assert "the existing site is kept" in capsys.readouterr().err
    assert (docs / "cables" / "10CHENGDU28.md").is_file()
    assert main(["convert", str(empty), "--docs", str(docs), "--cache", str(tmp_path / "c"), "--allow-empty"]) == 0
    assert not (docs / "cables" / "10CHENGDU28.md").exists()


def test_which_of_two_equal_duplicates_is_kept_does_not_depend_on_how_paths_are_written(tmp_path: Path) -> None:
    """Issue 14, item 17: ``a b`` and ``/abs/b a`` keep the same page (sorted as given, /abs/b came first)."""
    from cleansite.config import Config
    from cleansite.pipeline import convert

    seed = (PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_bytes(seed)
    kept = []
    for number, pages in enumerate([(Path("a"), Path("b")), ((tmp_path / "b").resolve(), Path("a"))]):
        here = os.getcwd()
        os.chdir(tmp_path)
        try:
            report = convert(Config(pages=pages, docs_dir=tmp_path / f"docs{number}", cache_dir=tmp_path / f"cache{number}"))
            kept.append(report.documents[0].path.resolve())
        finally:
            os.chdir(here)
    assert kept[0] == kept[1] == (tmp_path / "a" / "page.txt").resolve()


# --- item 12: markup inside a viewer page's body <pre> keeps all its text -------------------------

FIDELITY_DIR = PAGES_DIR.parent / "fidelity"
TEGUCIGALPA = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
_PAGE_BREAK = re.compile(r"^\s*[A-Z][A-Z ]* \d{8} +\d{3}(?:\.\d+)? OF \d{3}\s*$", re.M)
# Markup put into the first paragraph of 06TEGUCIGALPA526: each once cut the cable there (28 blocks to 1).
MARKUP_IN_PRE = {
    "table": "<table><tr><td>cell one</td><td>cell two</td></tr></table>",
    "list": "<ul><li>item one<li>item two</ul>",
    "stray-pre-end": "</pre>",
    "stray-code-and-pre-end": "</pre></code>",
    "document-end": "</body></html>",
    "heading": "<h1>A heading</h1>",
    "comment": "<!-- hidden from the reader -->",
    "raw-text-element": "<textarea>",
}


def _browser_words(page: str) -> list[str]:
    """The words a browser shows of a viewer page's body, found without the pipeline: the text from the
    first <pre> to the last </pre>, tags as word breaks, comments hidden, entities decoded; without the
    viewer's ¶ links and the page-break lines (which the cable's text does not hold)."""
    span = page[page.index("<pre") : page.rindex("</pre>")]
    text = html.unescape(re.sub(r"</?[A-Za-z][^>]*>", " ", re.sub(r"(?s)<!--.*?-->", " ", span)))
    return re.findall(r"\w+", _PAGE_BREAK.sub("", text.replace("¶", " ")))


def _document_words(page: str, name: str = "page.html") -> tuple[list[str], int]:
    raw = decode_page(Path(name), page.encode("utf-8"))
    document = parse_page(strip_page(raw, detect_source(raw)))
    return re.findall(r"\w+", plain_text(document)), len(document.blocks)


@pytest.mark.parametrize("page", ["09BAGHDAD11.html", "09LAPAZ96.html"])
def test_real_pages_with_markup_in_the_body_pre_keep_every_word(page: str) -> None:
    """Real viewer pages whose body <pre> holds markup: stray </td></tr></table> (09BAGHDAD11), <br> (09LAPAZ96)."""
    text = (FIDELITY_DIR / page).read_text(encoding="utf-8")
    assert _document_words(text)[0] == _browser_words(text)


@pytest.mark.parametrize("markup", MARKUP_IN_PRE.values(), ids=MARKUP_IN_PRE.keys())
def test_markup_inside_the_body_pre_keeps_every_word_in_order(markup: str) -> None:
    """Issue 14, item 12: 06TEGUCIGALPA526 with markup in its body <pre> keeps all 28 blocks and every word a browser shows."""
    page = TEGUCIGALPA.replace("Summary: Honduran", f"Summary: {markup} Honduran")
    words, blocks = _document_words(page)
    assert blocks == _document_words(TEGUCIGALPA)[1] == 28
    assert words == _browser_words(page)


def test_markup_ending_the_pre_then_a_script_stays_text() -> None:
    """The hostile form: a stray </pre> then a script. Every word of the cable stays; the script is text, never an element."""
    markup = "</pre></code></body></html><script>alert('XSS7f3a')</script><pre>"
    page = TEGUCIGALPA.replace("Summary: Honduran", f"Summary: {markup} Honduran")
    raw = decode_page(Path("page.html"), page.encode("utf-8"))
    document = parse_page(strip_page(raw, detect_source(raw)))
    words = re.findall(r"\w+", plain_text(document))
    assert words == _browser_words(TEGUCIGALPA.replace("Summary: Honduran", "Summary: alert('XSS7f3a') Honduran"))
    spans = find_links(document, Collection.of([document]))
    rendered = markdown.markdown(render_document(document, RenderContext(Collection.of([document])), DocumentLinks(tuple(spans))),
                                 extensions=["attr_list", "tables", "toc", "md_in_html"])  # fmt: skip
    tree = lxml.html.fromstring(f"<div>{rendered}</div>")
    assert not tree.xpath("//script") and "alert('XSS7f3a')" in tree.text_content()


# --- item 15: listing file names unique whatever case the keys have ------------------------------

VIEWER_DIR = PAGES_DIR / "wikileaks-viewer"
# Real pages whose TAGS and classification were changed in case: each pair once shared one listing file.
RECASED = {
    "06TEGUCIGALPA526.html": [("TAGS: ", "TAGS: Zelaya, "), (">CONFIDENTIAL</a>", ">UNKNOWN</a>")],
    "05BOGOTA9595.html": [("TAGS: ", "TAGS: ZELAYA, NONE, ")],
    "10STATE284.html": [(">CONFIDENTIAL</a>", ">Confidential</a>")],
    "08TRIPOLI220.html": [],  # CONFIDENTIAL as written
}


def test_listing_names_are_unique_whatever_case_the_keys_have(tmp_path: Path) -> None:
    """Issue 14, item 15: TAGS Zelaya and ZELAYA, a TAG NONE beside the untagged page's listing, classifications
    Confidential and CONFIDENTIAL, UNKNOWN beside the unclassified page's: every listing a card links to lists it."""
    from cleansite.config import Config
    from cleansite.pipeline import convert

    pages = tmp_path / "pages"
    pages.mkdir()
    for name, changes in RECASED.items():
        text = (VIEWER_DIR / name).read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text
            text = text.replace(old, new)
        (pages / name).write_text(text, encoding="utf-8")
    (pages / "10CHENGDU28.txt").write_bytes(CHENGDU.read_bytes())  # no TAGS, no classification
    docs = tmp_path / "docs"
    report = convert(Config(pages=(pages,), docs_dir=docs, cache_dir=tmp_path / "cache"))
    cables = docs / "cables"
    by_id = {document.id: document for document in report.documents}
    assert by_id["06TEGUCIGALPA526"].tags[0] == "Zelaya" and by_id["05BOGOTA9595"].tags[:2] == ("ZELAYA", "NONE")

    def lists(listing: str, key: str, cable: str) -> bool:
        text = (cables / listing).read_text(encoding="utf-8")
        heading = next(line for line in text.splitlines() if line.startswith("# "))
        return heading.endswith(f": {key}") and f"[{cable}](../{cable}.md)" in text

    for cable in by_id:
        card = re.search(r'<dl class="cable-meta.*?</dl>', (cables / f"{cable}.md").read_text(encoding="utf-8"), re.S).group(0)
        links = re.findall(r"\[([^\]]+)\]\(((?:by-tag|by-classification|by-origin)/[^)]+)\)", re.sub(r"<span[^>]*>|</span>", "", card))
        assert links
        for key, listing in links:
            assert lists(listing, key, cable), (cable, key, listing)
    assert lists("by-tag/none.md", "none", "10CHENGDU28") and lists("by-classification/unknown.md", "unknown", "10CHENGDU28")
    listings = [path.relative_to(cables).as_posix() for path in cables.glob("*/*.md")]
    assert listings and all(name == name.lower() for name in listings)  # unique on a case-insensitive file system too


def test_listing_names_of_tricky_keys_are_distinct_and_stable() -> None:
    from cleansite.indexes import slug

    keys = ["KPAO", "kpao", "Kpao", "\u212aPAO", "NONE", "none", "None", "UNKNOWN", "unknown", "undated", "UNDATED", "CON", "con",
            "INDEX", "GLOSSARY", "PREL-1A2B3C", "PREL", "X-PART2", "X-BY-SUBJECT", "2010-02", "Embassy Tripoli",
            "EMBASSY TRIPOLI"]  # fmt: skip
    names = [slug(key) for key in keys]
    assert len(set(names)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9-]+", name) for name in names)
    # names of ordinary keys as before: links into a site stay valid
    assert [slug(k) for k in ("PREL", "CONFIDENTIAL", "2010-02", "Embassy Tripoli", "none", "unknown")] == [
        "prel", "confidential", "2010-02", "embassy-tripoli-a70310", "none", "unknown"]  # fmt: skip
