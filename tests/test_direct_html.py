"""The HTML cleansite makes of a generated page (htmlpage, listinghtml, directpage) is the HTML Python-Markdown makes
of its Markdown.

Compared byte for byte, with everything MkDocs' ``Page.render`` sets: the body, the table of
contents, the title, the anchors present, the links to check; and the front matter and
Markdown ``read_source`` sets. On real pages of every form (../shared/corpus) and their
listings, on the bundled samples with an external URL template, on generated text, and on
every TAG name.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import pytest
from cleansite import directpage
from cleansite.config import Config
from cleansite.directpage import DirectPage, DirectRendering, direct_render, markdown_render
from cleansite.htmlpage import html_page
from cleansite.htmlstore import HtmlStore
from cleansite.load import find_pages
from cleansite.model import Block, Document, Reference
from cleansite.pipeline import build, convert
from cleansite.render import RenderContext, render_document
from cleansite.site import SiteBuildFailed, build_site
from cleansite.tags import vocabulary
from conftest import CORPUS_DIR, PROJECT_DIR, project_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import get_files
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# Every form that yields documents (the parser finds none in body-plain pages: tests/pages/body-plain/*.json).
FORMS = {"scoop-text", "wikileaks-viewer", "wikileaks-viewer-text", "body-fragment", "pdf-text"}


def _mkdocs_config(docs: Path, root: Path):
    config = load_config(str(PROJECT_DIR / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(root / "unused"))
    return config.plugins.on_config(config)


def _both(file: File, files: Files, config, rendering: DirectRendering) -> tuple[tuple, tuple] | None:
    """What MkDocs sets on the page from cleansite's HTML, and from Python-Markdown (None: no HTML for this page)."""
    direct = DirectPage(file, config, rendering)
    direct.read_source(config)
    if direct.html is None:
        return None
    plain = Page(None, file, config)
    plain.read_source(config)
    ours, theirs = direct_render(direct, files, config), markdown_render(plain, files, config)
    return (ours.content, str(ours.toc), ours.title, ours.anchors, ours.links_to_anchors, direct.meta, direct.markdown), (
        theirs.content, str(theirs.toc), theirs.title, theirs.anchors, theirs.links_to_anchors, plain.meta, plain.markdown)  # fmt: skip


def _compare_converted(docs: Path, cache: Path, root: Path) -> tuple[list[str], list[str], set[str]]:
    """Every generated page of ``docs`` (cable pages, listings): those equal both ways, those without HTML, and the
    sources of the cable pages."""
    config = _mkdocs_config(docs, root)
    files = get_files(config)
    rendering = DirectRendering(HtmlStore(cache))  # one for all pages, as in a build: link targets are looked up once
    equal, without, forms = [], [], set()
    for file in files.documentation_pages():
        if not file.src_uri.startswith("cables/") or file.src_uri == "cables/index.md":  # the overview is Markdown only
            continue
        both = _both(file, files, config, rendering)
        if both is None:
            without.append(file.src_uri)
            continue
        assert both[0] == both[1], file.src_uri
        equal.append(file.src_uri)
        source = re.search(r"<dt>Source</dt>\n<dd>([\w-]+):", both[0][0])
        forms |= {source[1]} if source else set()
    return equal, without, forms


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not on this machine")
def test_real_pages_of_every_form_render_the_same(tmp_path: Path) -> None:
    """About 600 real pages and their listings: every page of the corpus's small folders, every third of its large
    ones, each folder a collection of its own (one collection would keep only one page of each cable, the viewer's)."""
    equal, without, forms = [], [], set()
    for folder in sorted(p for p in CORPUS_DIR.iterdir() if p.is_dir()):
        pages = find_pages([folder])
        work = tmp_path / folder.name
        convert(Config(pages=tuple(pages[:: 3 if len(pages) > 100 else 1]), docs_dir=work / "docs", cache_dir=work / "cache", jobs=2))
        found = _compare_converted(work / "docs", work / "cache", work)
        equal, without, forms = equal + found[0], without + found[1], forms | found[2]
    listings = [uri for uri in equal if uri.count("/") > 1]
    assert len(equal) - len(listings) >= 500 and len(listings) >= 500 and len(without) <= len(equal) // 100, without
    assert forms >= FORMS, forms


def test_the_samples_with_external_links_and_materials_search_render_the_same(tmp_path: Path) -> None:
    """With an external URL template (a query with ``&`` and quotes) and a source URL template (the card's link out)."""
    template = "https://example.org/cables/{id}_a.html?from=cleansite&x='y'"
    sources = "https://example.org/source/{id}.html?a=1&b=2"
    convert(Config(pages=(PROJECT_DIR / "samples",), docs_dir=tmp_path / "docs", cache_dir=tmp_path / "cache",
                   external_url=template, source_url=sources, search="material"))  # fmt: skip
    shutil.copytree(PROJECT_DIR / "site_src", tmp_path / "docs", dirs_exist_ok=True)
    equal, without, _ = _compare_converted(tmp_path / "docs", tmp_path / "cache", tmp_path)
    assert len([uri for uri in equal if uri.count("/") == 1]) == 30 and not without
    page = (tmp_path / "docs" / "cables" / "06THEHAGUE1510.md").read_text(encoding="utf-8")
    assert "%27y%27){: .external-ref }" in page and "a=1&b=2){: .source-link rel=nofollow }" in page


# --- generated documents: any text, as a page holds it ------------------------------------------

_MARKUP = list("\\`*_{}[]()#+-.!<>&|\"'~=:;/ ") + ["  ", "1.", "1)", "- ", "~~~", "```", "&amp;", "&#32;", "{: #x }", "[TOC]", "\n"]
_printable = st.text(st.characters(whitelist_categories=("L", "N", "P", "S"), whitelist_characters=" "), min_size=1, max_size=6)
_anything = st.text(min_size=1, max_size=6)  # tabs, line ends, controls, Unicode spaces: mostly left to Python-Markdown
# Text as pages hold it (Markdown syntax, entities, spaces inside, no space at its end), or anything at all.
_plain = st.lists(st.one_of(st.sampled_from(_MARKUP), _printable), min_size=1, max_size=12).map(lambda t: "".join(t).strip() or "x")
_wild = st.lists(st.one_of(st.sampled_from(_MARKUP), _printable, _anything), min_size=1, max_size=12).map("".join)
_text = st.one_of(_plain, _plain, _plain, _wild)
_words = st.from_regex(r"[A-Za-z0-9 /().,-]{1,20}", fullmatch=True)
_numbers = st.one_of(st.none(), st.from_regex(r"[0-9A-Za-z]{1,3}", fullmatch=True))
_bullets = st.one_of(st.none(), st.sampled_from(["-", "*", "a)", "1."]))
_kinds = st.sampled_from(["paragraph", "list", "heading", "text"])


def _blocks(text: st.SearchStrategy[str], wild: bool) -> st.SearchStrategy[list[Block]]:
    """Blocks of ``text``; their markings as cables write them, or (``wild``) of ``text`` too."""
    markings = st.one_of(st.none(), st.sampled_from(["U", "SBU", "C//NF", "S/NF"]), _words, *[text] * wild)
    block = st.builds(lambda *f: Block(f[0], "", *f[1:]), _kinds, text, _numbers, markings, _bullets, st.booleans())
    return st.lists(block, min_size=1, max_size=6)


_SETTINGS = settings(
    max_examples=int(os.environ.get("CLEANSITE_EXAMPLES", 150)),  # more for a longer search
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _document(title: str, subject: str, header: str, blocks: list[Block], references: list[str], tags: list[str]) -> Document:
    anchored = tuple(
        Block(b.kind, f"p{n}", b.text, b.number if b.kind == "paragraph" else None, b.marking, b.bullet if b.kind == "list" else None,
              b.preformatted and b.kind == "text")
        for n, b in enumerate(blocks, 1)
    )  # fmt: skip
    refs = tuple(Reference(chr(65 + n), "09TRIPOLI212" if n % 2 else None, text, f"ref-{chr(97 + n)}") for n, text in enumerate(references))
    return Document(Path("10TRIPOLI72.html"), "wikileaks-viewer", "10TRIPOLI72", title, subject, "2010-02-01 12:00", "Embassy Tripoli",
                    "SECRET//NOFORN", tuple(tags), refs, header, anchored, ())  # fmt: skip


@pytest.fixture(scope="module")
def one_page_config(tmp_path_factory: pytest.TempPathFactory):
    """A MkDocs config (cleansite's mkdocs.yml) for pages made in memory."""
    root = tmp_path_factory.mktemp("one-page")
    (root / "docs").mkdir()
    return _mkdocs_config(root / "docs", root)


def _one_page(config, store: HtmlStore, document: Document, context: RenderContext) -> tuple[tuple, tuple] | None:
    """One document's page compared both ways (None: no HTML made for it)."""
    markdown = render_document(document, context).encode("utf-8")
    html = html_page(document, context)
    if html is None:
        return None
    store.put(markdown, html)
    file = File.generated(config, "cables/10TRIPOLI72.md", content=markdown)
    return _both(file, Files([file]), config, DirectRendering(store))


@_SETTINGS
@given(wild=st.booleans(), data=st.data())
def test_generated_text_renders_the_same_or_is_left_to_python_markdown(
    tmp_path: Path, one_page_config, wild: bool, data: st.DataObject
) -> None:
    """Documents of text as pages hold it, or (``wild``) of any text in some fields."""
    text = _text if wild else _plain
    title, subject, header = data.draw(text), data.draw(text), data.draw(text)
    document = _document(title, subject, header, data.draw(_blocks(text, wild)), data.draw(st.lists(text, max_size=3)), ["PREL"])
    mkdocs, level = logging.getLogger("mkdocs"), logging.getLogger("mkdocs").level
    mkdocs.setLevel(logging.ERROR)  # the generated page's links lead nowhere: MkDocs says so, both ways
    try:
        both = _one_page(one_page_config, HtmlStore(tmp_path), document, RenderContext())
    finally:
        mkdocs.setLevel(level)
    fenced = any(re.search(r"(?m)^(~~~|```)", text) for text in [header, *(b.text for b in document.blocks)])
    assert both is not None or wild or fenced  # text as pages hold it is rendered directly, unless a line starts a code block
    if both is not None:
        assert both[0] == both[1]


def test_plain_generated_text_is_rendered_directly(tmp_path: Path, one_page_config) -> None:
    """The test above must not pass by leaving every page to Python-Markdown: text as cables hold it is rendered directly."""
    blocks = [Block("paragraph", "", "The *Embassy* [sic] said #1: a_b \\ c {x} `d` & <e> 2. - + ~", "2", "SBU"),
              Block("list", "", "1. item"), Block("heading", "", "Section # two"), Block("text", "", "    four spaces, then text"),
              Block("text", "", "  indented\n\n  lines", preformatted=True)]  # fmt: skip
    document = _document("TITLE & <B>", "Subject: *x*", "REF: A) 09TRIPOLI212\n   \nB", blocks, ["09 TRIPOLI 212 [x]"], ["PREL", "LY"])
    both = _one_page(one_page_config, HtmlStore(tmp_path), document, RenderContext())
    assert both is not None and both[0] == both[1]


def test_every_tag_name_renders_the_same(tmp_path: Path, one_page_config) -> None:
    tags = sorted({tag for table in vocabulary().values() for tag in table})
    document = _document("TAGS", "every TAG", "", [Block("paragraph", "", "text")], [], tags)
    both = _one_page(one_page_config, HtmlStore(tmp_path), document, RenderContext())
    assert both is not None and both[0] == both[1]


# --- in a build: the site is the same, links are still checked --------------------------------


def _site_files(site: Path) -> dict[str, bytes]:
    built = sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".js"))
    return {str(p.relative_to(site)): p.read_bytes() for p in built}


def test_a_build_takes_the_html_and_makes_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    render = DirectRendering.render
    monkeypatch.setattr(DirectRendering, "render", lambda self, page, *a: (used.append(page.file.src_uri), render(self, page, *a))[1])
    build(project_copy(tmp_path / "direct", search="material"))
    documents, listings = [uri for uri in used if uri.count("/") == 1], [uri for uri in used if uri.count("/") == 2]
    assert len(documents) == 30 and len(listings) > 30 and len(used) == len(documents) + len(listings)
    used.clear()
    monkeypatch.setattr(directpage, "supported", lambda config: False)
    from cleansite import plugin

    monkeypatch.setattr(plugin, "supported", lambda config: False)
    build(project_copy(tmp_path / "markdown", search="material"))
    assert used == []
    direct, markdown = _site_files(tmp_path / "direct" / "site"), _site_files(tmp_path / "markdown" / "site")
    assert direct.keys() == markdown.keys() and [k for k in direct if direct[k] != markdown[k]] == []


def _broken_docs(tmp_path: Path) -> tuple[Path, Path]:
    """The samples converted; then 09TRIPOLI924's paragraph 6, which 09TRIPOLI208 cites, loses its anchor (its Markdown
    edited: Python-Markdown renders it, 09TRIPOLI208 keeps its HTML)."""
    docs, cache = tmp_path / "site_src", tmp_path / "cache"
    convert(project_copy(tmp_path))
    citing = docs / "cables" / "09TRIPOLI208.md"
    assert "(09TRIPOLI924.md#p6)" in citing.read_text(encoding="utf-8") and HtmlStore(cache).get(citing.read_bytes())
    target = docs / "cables" / "09TRIPOLI924.md"
    target.write_text(target.read_text(encoding="utf-8").replace("{: #p6 ", "{: #p6-gone "), encoding="utf-8")
    return docs, cache


def test_a_link_from_a_page_rendered_from_its_html_to_a_missing_anchor_fails_the_strict_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs, cache = _broken_docs(tmp_path)
    with pytest.raises(SiteBuildFailed):
        build_site(tmp_path / "mkdocs.yml", docs, tmp_path / "site", html_cache=cache)
    assert "Doc file 'cables/09TRIPOLI208.md' contains a link '09TRIPOLI924.md#p6'" in caplog.text


def test_a_link_from_a_page_rendered_from_its_html_to_a_missing_page_fails_the_strict_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs, cache = _broken_docs(tmp_path)
    (docs / "cables" / "09TRIPOLI924.md").unlink()
    with pytest.raises(SiteBuildFailed):
        build_site(tmp_path / "mkdocs.yml", docs, tmp_path / "site", html_cache=cache)
    assert "Doc file 'cables/09TRIPOLI208.md' contains a link '09TRIPOLI924.md#p6', but the target" in caplog.text


def test_the_html_is_not_used_with_other_markdown_extensions(tmp_path: Path) -> None:
    config = load_config(str(PROJECT_DIR / "mkdocs.yml"), docs_dir=str(PROJECT_DIR / "site_src"), site_dir=str(tmp_path))
    assert directpage.supported(config.plugins.on_config(config))
    config.markdown_extensions.append("admonition")
    assert not directpage.supported(config)
    config.markdown_extensions.remove("admonition")
    config.mdx_configs["toc"] = {"permalink": True}
    assert not directpage.supported(config)
