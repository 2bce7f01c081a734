"""The building blocks of generated pages' HTML, written as Python-Markdown writes the Markdown they mirror.

A generated page (a cable page: ``htmlpage``; a listing: ``listinghtml``) is made of
top-level blocks, each a list of pieces: HTML strings, and link targets (``Target``) as the
Markdown writes them (``../10TRIPOLI72.md``), left for MkDocs to resolve and check. What
Python-Markdown would read differently from plain text (line ends, tabs, Unicode spaces,
a space at the end of a line) raises ``NotPlain``: that page is left to Python-Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

# Whitespace Python-Markdown changes or strips (tabs, line ends, the Unicode spaces ``str.strip``
# removes), control characters, and STX/ETX (its own placeholders).
_UNUSUAL = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f]")
_AMP = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.I)  # as markdown.serializers.RE_AMP


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What MkDocs' ``Page.render`` and ``read_source`` set, links unresolved.

    ``pieces`` alternate HTML and a link target (HTML, target, HTML, …, HTML); ``toc`` is
    ``(level, id, name)`` per heading; ``anchors`` every id on the page; ``title`` the text of
    its first heading; ``meta`` its front matter.
    """

    meta: dict
    pieces: tuple[str, ...]
    toc: tuple[tuple[int, str, str], ...]
    anchors: tuple[str, ...]
    title: str


class NotPlain(ValueError):
    """The page holds text whose HTML is not reproduced here: Python-Markdown renders its Markdown."""


class Target(str):
    """A link target among HTML pieces."""


class _HeadingSlot(int):
    """Where a heading goes among the blocks (its id is known once every other id is)."""


class PageBuilder:
    """A page being made: its top-level blocks (lists of pieces), its headings, its ids."""

    def __init__(self) -> None:
        self.blocks: list[list[str] | _HeadingSlot] = []
        self.headings: list[tuple[int, list[str], str | None]] = []
        self.anchors: list[str] = []  # ids of elements Python-Markdown makes (the toc extension sees them)
        self.raw_anchors: list[str] = []  # ids inside raw HTML blocks (it does not)

    def block(self, pieces: list[str], *anchors: str) -> None:
        """A block Python-Markdown makes (a paragraph, a list, a table…) and the ids in it."""
        self.blocks.append(pieces)
        self.anchors += anchors

    def raw(self, text: str, anchor: str) -> None:
        """A raw HTML block: Python-Markdown writes a blank line after it."""
        self.blocks.append([text + "\n"])
        self.raw_anchors.append(anchor)

    def heading(self, level: int, pieces: list[str], anchor: str | None = None) -> None:
        """A heading; one without an anchor gets the ``toc`` extension's id (``finish``)."""
        self.blocks.append(_HeadingSlot(len(self.headings)))
        self.headings.append((level, whole_line(pieces), anchor))
        if anchor:
            self.anchors.append(anchor)

    def finish(self, meta: dict) -> HtmlPage:
        """The page: headings given their ids, blocks one per line as Python-Markdown writes them."""
        used, anchors, toc, made = set(self.anchors), list(self.anchors), [], []
        for level, pieces, anchor in self.headings:
            name = _heading_name(pieces)
            if anchor is None:
                anchor = unique(slugify(html.unescape(name), "-"), used)
                anchors.append(anchor)
            toc.append((level, anchor, name))
            made.append([f'<h{level} id="{attribute_value(anchor)}">', *pieces, f"</h{level}>"])
        flat: list[str] = []
        for number, block in enumerate(self.blocks):
            flat += (["\n"] if number else []) + (made[block] if isinstance(block, _HeadingSlot) else block)
        pieces = _alternating(flat)
        pieces = (*pieces[:-1], pieces[-1].rstrip())  # as Python-Markdown strips its output
        title = toc[0][2] if toc else ""
        return HtmlPage(meta, pieces, tuple(toc), tuple(anchors + self.raw_anchors), title)


def _alternating(flat: list[str]) -> tuple[str, ...]:
    """HTML pieces joined between link targets: HTML, target, HTML, …, HTML."""
    out, run = [], []
    for piece in flat:
        if type(piece) is Target:
            out += ["".join(run), str(piece)]
            run = []
        else:
            run.append(piece)
    out.append("".join(run))
    return tuple(out)


def html_of(pieces: list[str]) -> str:
    """The HTML of pieces, link targets left out."""
    return "".join(piece for piece in pieces if not isinstance(piece, Target))


def _heading_name(pieces: list[str]) -> str:
    """A heading's name as the ``toc`` extension gives it: its HTML without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]*>", "", html_of(pieces)).split())


def link(inner: list[str], target: str, **attributes: str) -> list[str]:
    """``<a …>inner</a>`` with its attributes in the order Python-Markdown writes them (sorted by name)."""
    written = {name: f' {name}="{attribute_value(value)}"' for name, value in attributes.items()}
    before = "".join(written[name] for name in sorted(written) if name < "href")
    after = "".join(written[name] for name in sorted(written) if name > "href")
    return [f'<a{before} href="', Target(target), f'"{after}>', *inner, "</a>"]


def attribute_value(value: str) -> str:
    """An attribute value as Python-Markdown's serializer writes it (an ``&`` that starts an entity is kept)."""
    return _AMP.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def inline_text(text: str, line_start: bool = True) -> str:
    """The HTML Python-Markdown makes of ``escape.md_text(text, line_start)``: the text HTML-escaped."""
    escaped = html.escape(text, quote=False).replace("\n", " ")
    if not escaped.isprintable() and _UNUSUAL.search(escaped):  # printable: no control character, no space but " "
        raise NotPlain(text)
    start = len(escaped) - len(escaped.lstrip(" ")) if line_start else 0
    return "&#32;" * start + escaped[start:]


def whole_line(pieces: list[str]) -> list[str]:
    """The inline pieces of a whole line: none may start or end it with a space (Python-Markdown strips or breaks there)."""
    text = html_of(pieces)
    if not text.strip(" ") or text[0] == " " or text[-1] == " ":
        raise NotPlain(text)
    return pieces


def has_unusual_characters(text: str) -> bool:
    """Whether ``text`` holds whitespace other than spaces or control characters."""
    return bool(_UNUSUAL.search(text))
