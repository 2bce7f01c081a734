"""A page's ``<pre>`` elements read as text, so that markup inside them cannot cut them short.

A tree parser gives markup in a cable's text the power to end its ``<pre>``: libxml2 closes
it at a ``<table>``, ``<ul>``, ``<li>`` or stray ``</pre>``, and drops everything after an
``</html>``, while a browser still shows all the text. So the span from a page's first
``<pre>`` start tag to its last ``</pre>`` end tag is read here as a stream of tokens and
written out again as plain ``<pre>`` elements that hold only its text and its links
(where the viewer's ``¶`` paragraph links are, which the rules remove): every piece of
text keeps its place, and no other tag of the page survives. Tags are only removed, never
rebuilt, so markup in the text stays data.

The scan is linear in the span's size whatever it holds (Python's ``html.parser`` is
quadratic on some unterminated constructs). It errs towards keeping text: a tag ends at its
first ``>`` (one inside a quoted attribute value ends it early, and the rest shows as text),
and an unterminated comment's text is kept, where a browser would hide them.
"""

from __future__ import annotations

import html
import re

_FIRST_PRE = re.compile(r"(?i)<pre(?=[\s/>])")
_PRE_END = re.compile(r"(?i)</pre\s*>")
# A tag's name stops at "<" too, so that a run of "<a<a<a..." is scanned once, not once per "<".
_TAG_NAME = re.compile(r"(/?)([A-Za-z][^\s/<>]*)")
# An unterminated quoted value ends with its tag: never a failed scan to the end of the page.
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*("[^"]*"?|'[^']*'?|[^\s"']*))?""")
# Tags after which a browser shows the following text on a new line.
_BREAKING = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip


def flatten_pres(page: str) -> str:
    """``page`` with the span from its first ``<pre>`` to its last ``</pre>`` rewritten as text-only ``<pre>`` elements.

    A page without ``<pre>`` is returned unchanged; without a closing ``</pre>`` the span runs
    to the end of the page (as a browser shows it).
    """
    first = _FIRST_PRE.search(page)
    if not first:
        return page
    end = len(page)
    for end_tag in _PRE_END.finditer(page, first.start()):
        end = end_tag.end()
    return page[: first.start()] + _Flattener(page[first.start() : end]).html() + page[end:]


class _Flattener:
    """One pass over a span of HTML: its text and links, split into elements at each ``<pre>``."""

    def __init__(self, span: str) -> None:
        self.span = span
        self.elements: list[list[str]] = [[]]
        self.link_open = False
        self.after_pre = False  # between a </pre> and the next text: whitespace there is not the cable's
        self.break_pending = False
        self.at_line_start = True
        self._searched: dict[str, tuple[int, int]] = {}

    def html(self) -> str:
        """The span as ``<pre>`` elements holding only text and ``<a>`` links."""
        span, pos = self.span, 0
        while (lt := span.find("<", pos)) >= 0:
            self._text(span[pos:lt])
            pos = self._markup(lt)
        self._text(span[pos:])
        self._end_link()
        return "\n".join("<pre>" + "".join(parts) + "</pre>" for parts in self.elements if parts)

    def _markup(self, lt: int) -> int:
        """Handle what starts with "<" at ``lt``; return where the text goes on."""
        span = self.span
        if span.startswith("<!--", lt):
            end = self._find("-->", lt + 4)
            return lt + 4 if end < 0 else end + 3  # an unterminated comment's text is kept
        if span.startswith(("<!", "<?"), lt):
            end = self._find(">", lt + 2)
            return lt + 2 if end < 0 else end + 1
        name = _TAG_NAME.match(span, lt + 1)
        end = self._find(">", name.end()) if name else -1
        if end < 0:  # a "<" that starts no tag is text ("<_protect>", "a < b")
            self._text("<")
            return lt + 1
        self._tag(name.group(2).lower(), closing=bool(name.group(1)), attributes=span[name.end() : end])
        return end + 1

    def _find(self, needle: str, start: int) -> int:
        """``span.find(needle, start)``, remembering the answer: a thousand unterminated comments cost one scan."""
        searched_from, found = self._searched.get(needle, (len(self.span) + 1, -1))
        if searched_from <= start and (found == -1 or found >= start):
            return found  # nothing between searched_from and found, so nothing between start and found either
        found = self.span.find(needle, start)
        self._searched[needle] = (start, found)
        return found

    def _tag(self, name: str, closing: bool, attributes: str) -> None:
        if name == "pre":
            if closing:
                self.after_pre = True
            else:
                self._start_element()
        elif name == "a":
            self._end_link()
            if not closing:
                self.elements[-1].append(f"<a{_attributes(attributes)}>")
                self.link_open = True
        elif name == "br":
            if self.break_pending:
                self._emit("\n")
            self.break_pending = True
        elif name in _BREAKING and not self.at_line_start:
            self.break_pending = True

    def _text(self, raw: str) -> None:
        text = html.unescape(raw)
        if not text:
            return
        if self.after_pre:
            if not text.strip():
                return
            self.after_pre = False
            self.break_pending = self.break_pending or not self.at_line_start  # text after a </pre> starts a line
        if self.break_pending:
            self.break_pending = False
            if not text.startswith("\n"):  # "<br>&#x000A;" is one line break, as the viewer writes it
                self._emit("\n")
        self._emit(text)

    def _emit(self, text: str) -> None:
        self.elements[-1].append(html.escape(text, quote=False))
        self.at_line_start = text.endswith("\n")

    def _end_link(self) -> None:
        if self.link_open:
            self.elements[-1].append("</a>")
            self.link_open = False

    def _start_element(self) -> None:
        """End the current element (and its link) and start the next, unless nothing is in it yet."""
        self._end_link()
        if self.elements[-1]:
            self.elements.append([])
        self.after_pre = self.break_pending = False
        self.at_line_start = True


def _attributes(text: str) -> str:
    """A link's attributes, each value escaped: nothing in them can start another tag."""
    parts = []
    for name, value in _ATTRIBUTE.findall(text):
        if value[:1] in ("'", '"'):
            value = value[1:-1] if len(value) > 1 and value.endswith(value[0]) else value[1:]
        parts.append(f' {name}="{html.escape(html.unescape(value), quote=True)}"')
    return "".join(parts)
