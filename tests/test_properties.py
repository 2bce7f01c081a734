"""Property tests: arbitrary text inserted into a real page never breaks parsing and stays literal."""

from __future__ import annotations

import html
import re
import unicodedata

import lxml.html
import markdown
from cleansite.link import Collection, find_links
from cleansite.load import decode_page
from cleansite.parse import parse_page
from cleansite.records import plain_text
from cleansite.render import DocumentLinks, RenderContext, render_document
from cleansite.sources import detect_source, source_named
from cleansite.strip import strip_page
from conftest import PAGES_DIR
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

SCOOP = (PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_text(encoding="utf-8")
VIEWER = (PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html").read_text(encoding="utf-8")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Anything but surrogates; newlines included.
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120)
one_line = any_text.map(lambda t: re.sub(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", " ", t))


_CONTROLS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def _words(text: str) -> list[str]:
    """Words as the pipeline sees them: NUL and other control characters are dropped when a page is read (documented)."""
    return re.findall(r"\w+", re.sub(_CONTROLS, "", text))


def _usable(inserted: str) -> bool:
    """Text that is not itself an artefact line or a page break (those are meant to go)."""
    rules = source_named("scoop-text").drop
    lines_ok = all(not any(rule.pattern.match(line.strip()) for rule in rules) for line in inserted.split("\n"))
    return lines_ok and not re.search(r"\d{8}", inserted) and "Cablegate:" not in inserted


def _parse(text: str, name: str = "page.txt"):
    raw = decode_page(PAGES_DIR / name, text.encode("utf-8"))
    return parse_page(strip_page(raw, detect_source(raw)))


@SETTINGS
@given(inserted=any_text, where=st.sampled_from(["Deputy Coordinator of the Copyright", "B) CHENGDU 023", "Tackling Trademark and"]))
def test_inserted_text_never_crashes_and_keeps_every_word(inserted: str, where: str) -> None:
    assume(_usable(inserted))
    document = _parse(SCOOP.replace(where, f"{where} {inserted}"))
    words = _words(plain_text(document))
    for word in _words(inserted):
        assert word in words


@SETTINGS
@given(inserted=any_text)
def test_inserted_markup_in_a_viewer_page_never_crashes(inserted: str) -> None:
    escaped = html.escape(inserted).replace("\n", "&#x000A;")
    document = _parse(VIEWER.replace("Summary: Honduran", f"Summary: {escaped} Honduran"), "page.html")
    assert document.id == "06TEGUCIGALPA526"
    words = _words(plain_text(document))
    # HTML forbids control characters: the pipeline drops them before parsing (documented).
    kept = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", inserted)
    assert all(word in words for word in _words(kept) if not re.search(r"\d{8}", kept))


# Markup that a tree parser lets end or restructure a <pre>, each with no text of its own.
PRE_BREAKERS = ("<table>", "</table>", "<tr>", "<td>", "</td>", "<ul>", "<li>", "</ul>", "</pre>", "<pre>", "</code>", "<code>",
                "</body>", "</html>", "<html>", "<body>", "<div>", "</div>", "<p>", "<br>", "<h1>", "</h1>", "<b>", "</b>",
                "<a href='x'>", "</a>", "<!-- -->", "<textarea>", "<select>", "<option>", "<form>", "<title>", "<xmp>",
                "<plaintext>", "<frameset>", "<svg>", "<math>", "<iframe>", "<noscript>", "<head>", "<p class='a'>")  # fmt: skip


@SETTINGS
@given(items=st.lists(st.sampled_from(PRE_BREAKERS) | st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=12))
def test_markup_inside_a_viewer_pre_never_cuts_the_cable(items: list[str]) -> None:
    """Issue 14, item 12: whatever markup is in the body <pre>, the words are those of the cable with the inserted words."""
    inserted_words = " ".join(item for item in items if item not in PRE_BREAKERS)
    expected = _words(plain_text(_parse(VIEWER.replace("Summary: Honduran", f"Summary: {inserted_words} Honduran"), "page.html")))
    document = _parse(VIEWER.replace("Summary: Honduran", f"Summary: {' '.join(items)} Honduran"), "page.html")
    assert _words(plain_text(document)) == expected


def _visible(text: str) -> str:
    text = re.sub(r"\s", " ", re.sub(_CONTROLS, "", text))  # control characters are dropped when a page is read
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") and ch != "\ufffd")
    return " ".join(kept.split())


@SETTINGS
@given(inserted=one_line)
def test_rendered_html_shows_inserted_text_literally(inserted: str) -> None:
    assume(_usable(inserted) and _visible(inserted))
    document = _parse(SCOOP.replace("Deputy Coordinator of the Copyright", f"Deputy Coordinator {inserted} of the Copyright"))
    spans = find_links(document, Collection.of([document]))
    page = render_document(document, RenderContext(Collection.of([document])), DocumentLinks(tuple(spans)))
    body = page.split("\n---\n", 1)[1]
    rendered = markdown.markdown(body, extensions=["attr_list", "tables", "toc"])
    text = _visible(lxml.html.fromstring(f"<div>{rendered}</div>").text_content())
    assert _visible(inserted) in text


# Text that starts the way Markdown blocks and spans start, then anything.
markdown_like = st.tuples(
    st.sampled_from(["", "- ", "+ ", "* ", "1. ", "12) ", "# ", "> ", "    ", "---", "===", "[x]: /a", "<b>", "`", "{: #y }", "| a |"]),
    one_line,
).map("".join)


@SETTINGS
@given(text=markdown_like, prefix=st.sampled_from(["", "- ", "# ", "Paragraph text "]))
def test_escaped_text_renders_literally_at_the_start_of_a_line_and_after_text(text: str, prefix: str) -> None:
    """md_text escapes only what makes Markdown where it stands: what is rendered is the text itself."""
    from cleansite.escape import md_text

    assume(_visible(text))
    escaped = md_text(text, line_start=not prefix.startswith("Paragraph"))
    attributes = " {: #x }" if prefix == "# " else "\n{: #x }"  # as the renderer writes them
    rendered = markdown.markdown(f"{prefix}{escaped}{attributes}\n\nafter", extensions=["attr_list", "tables", "toc"])
    root = lxml.html.fromstring(f"<div>{rendered}</div>")
    first = root[0]
    assert first.tag == {"": "p", "- ": "ul", "# ": "h1", "Paragraph text ": "p"}[prefix]
    assert len(root) == 2 and root[1].text_content() == "after"  # no block was opened or left open
    shown = first.text_content()
    assert _visible(shown) == _visible(prefix.removeprefix("- ").removeprefix("# ") + text).strip()
