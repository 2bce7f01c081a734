"""Remove a page's scrape artefacts and keep every line of the document itself."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from functools import cache

from cleansite.boilerplate import SiteChrome
from cleansite.ids import ID_SHAPED
from cleansite.load import PageUnreadable
from cleansite.model import CleanPage, RawPage, ViewerMeta
from cleansite.pageurl import own_url
from cleansite.pretext import flatten_pres
from cleansite.sources import HtmlRules, Source
from cleansite.textdump import rule_verdicts, strip_text
from lxml import etree

# Tags after which text continues on a new line when an HTML document is flattened.
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "header",
    "footer",
    "aside",
    "figure",
}
# Why text outside an HTML page's document elements was removed.
MARKUP = "outside the document (site markup)"
_META_FIELDS = ("id", "created", "released", "classification", "origin")


def strip_page(page: RawPage, source: Source, record_removed: bool = True, site: SiteChrome | None = None) -> CleanPage:
    """Split a page into its document lines, the artefacts removed (with why), and site metadata.

    ``record_removed=False`` skips listing the text of removed HTML (a build has no use for it);
    ``site`` holds the lines repeated across the pages of a text dump's site (``boilerplate``).
    """
    if source.format == "text":
        dump = strip_text(page.text, source, site)
        lines, removed, reasons, meta, title = dump.lines, dump.removed, dump.reasons, dump.meta, dump.title
    else:
        if source.format == "html":
            lines, removed, meta = _strip_html(page.text, source.html, record_removed)
        else:
            lines, removed, meta = _strip_csv_row(page.text)
        reasons = [MARKUP] * len(removed)
        lines, dropped, title = _drop_lines(lines, source)
        removed, reasons = removed + [line for line, _ in dropped], reasons + [why for _, why in dropped]
    if title and not meta.title:
        meta = _with_title(meta, title)
    return CleanPage(
        path=page.path,
        source=source.name,
        lines=tuple(_trim_blank_edges([line.rstrip() for line in lines])),
        removed=tuple(removed),
        meta=meta,
        reasons=tuple(reasons),
    )


def _drop_lines(lines: list[str], source: Source) -> tuple[list[str], list[tuple[str, str]], str | None]:
    reasons, title_at, title = rule_verdicts(lines, source)
    kept = [line for index, line in enumerate(lines) if index not in reasons and index != title_at]
    return kept, [(lines[i].strip(), reasons[i]) for i in sorted(reasons)], title


def _with_title(meta: ViewerMeta, title: str) -> ViewerMeta:
    return replace(meta, title=title)


def _trim_blank_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _strip_html(text: str, rules: HtmlRules, record_removed: bool) -> tuple[list[str], list[str], ViewerMeta]:
    skipped: list[str] = []
    url = own_url(text, rules.source_url)  # the viewer names it in share links above its region
    if rules.region and (start := rules.region.search(text)):
        # Everything before the region is artefact: listed as text, never parsed.
        skipped = _tag_stripped_lines(text[: start.start()]) if record_removed else []
        text = text[start.start() :]
    if rules.pre_as_text:
        text = flatten_pres(text)
    root = _parse_html(text)
    meta = replace(_read_meta(root, rules), url=url)
    for xpath in rules.artefacts + rules.inline_artefacts:
        _remove_all_keeping_tails(_xpath(xpath)(root))
    lines: list[str] = []
    for number, xpath in enumerate(rules.document, start=1):
        # What is left after the document is only read to list it; the last xpath's elements
        # are taken out only then (an earlier one's, also so that the next xpath cannot find them).
        taken_out = record_removed or number < len(rules.document)
        for element in _xpath(xpath)(root):
            if lines:
                lines.append("")
            lines.extend(_element_text(element).split("\n"))
            if taken_out:
                _remove_keeping_tail(element, keep_tail=False)
    removed = [line.strip() for line in _element_text(root).split("\n") if line.strip()] if record_removed else []
    return lines, skipped + removed, meta


@cache
def _xpath(expression: str) -> etree.XPath:
    """A source rule's XPath, compiled once (``element.xpath(text)`` compiles it on every call)."""
    return etree.XPath(expression)


_BLOCK_TAG = re.compile(
    r"(?i)</?(?:" + "|".join(sorted(_BLOCK_TAGS | {"br", "pre", "td", "th", "nav", "form", "body", "head", "title"})) + r")\b[^>]*>"
)


def _tag_stripped_lines(html_text: str) -> list[str]:
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "\n", html_text)
    text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", text)))
    return [line.strip() for line in text.split("\n") if line.strip()]


_PARSER = etree.HTMLParser(huge_tree=True, recover=True)
_TAG = re.compile(r"<[^>]*>")
# Control characters HTML forbids (and lxml refuses); none of them is text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# libxml2 checks each attribute of a tag against the ones before it: a tag of 300,000 attributes (3 MB)
# takes it hours, in one C call no timeout can interrupt. Only a tag longer than this is counted
# (an inlined image, "src=data:...", is long too, but has one attribute).
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{65536,}")
_ATTRIBUTE = re.compile(r"(?<=\s)[^\s=<>/\"']+")
MAX_ATTRIBUTES = 5_000


def _parse_html(text: str) -> etree._Element:
    text = _CONTROL.sub("", re.sub(r"\A\s*<\?xml[^>]*\?>", "", text))
    _check_attributes(text)
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    if root is None:  # nothing the parser could read as HTML
        root = etree.fromstring("<html><body></body></html>", parser=_PARSER)
    body = root.find("body")
    root = body if body is not None else root
    _check_nothing_lost(text, root)
    return root


def _check_attributes(text: str) -> None:
    """Refuse a page with a tag of more than ``MAX_ATTRIBUTES`` attributes of different names: no real page has one
    (repeats of one name cost libxml2 nothing: it keeps the first; the pre reader writes such tags for stray "<a")."""
    for tag in _LONG_TAG.finditer(text):
        if len({name[0] for name in _ATTRIBUTE.finditer(tag[0])}) > MAX_ATTRIBUTES:
            raise PageUnreadable(f"a tag with more than {MAX_ATTRIBUTES:,} attributes (hostile markup), not parsed")


def _check_nothing_lost(text: str, root: etree._Element) -> None:
    """libxml2 silently drops what lies below about 256 levels of nesting: refuse such a page."""
    if len(_text_of(root)) > len(text) // 8:
        return  # plenty of text came through: nothing was dropped wholesale
    expected = len("".join(_TAG.sub("", text).split()))
    if expected > 200 and len("".join(_text_of(root).split())) < expected // 2:
        raise PageUnreadable("HTML could not be parsed (tags nested too deeply or markup too broken)")


def _read_meta(root: etree._Element, rules: HtmlRules) -> ViewerMeta:
    values: dict[str, str | None] = {}
    if rules.meta_table:
        for table in _xpath(rules.meta_table)(root)[:1]:
            cells = [" ".join(_text_of(td).split()) for td in _xpath(".//td")(table)]
            values = dict(zip(_META_FIELDS, (cell or None for cell in cells), strict=False))
            _remove_keeping_tail(table, keep_tail=False)
    title = None
    if rules.title:
        for heading in _xpath(rules.title)(root)[:1]:
            title = " ".join(_text_of(heading).split())
            if rules.title_prefix:
                title = rules.title_prefix.sub("", title)
            _remove_keeping_tail(heading, keep_tail=False)
    return ViewerMeta(
        id=values.get("id"),
        created=values.get("created"),
        classification=values.get("classification"),
        origin=values.get("origin"),
        title=title or None,
        released=values.get("released"),
    )


def _element_text(element: etree._Element) -> str:
    if element.tag == "pre":
        return _text_of(element)
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        if child.tag == "br":
            child.tail = "\n" + (child.tail or "")
        elif child.tag in _BLOCK_TAGS:
            child.tail = "\n\n" + (child.tail or "")
        elif child.tag in ("script", "style"):
            child.text = "\n" + (child.text or "") + "\n"
    return _text_of(element)


def _text_of(element: etree._Element) -> str:
    """All the text inside an element (what lxml.html calls text_content)."""
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


def _remove_all_keeping_tails(elements: list[etree._Element]) -> None:
    """Remove ``elements`` (in document order), the text after each kept: as ``_remove_keeping_tail`` one by one.

    One by one, every removal appends to the text before it, so a <pre> with a hundred
    paragraph anchors was copied a hundred times; here each parent's text and each kept
    child's tail is set once, to what the removals one by one would leave.
    """
    by_parent: dict[etree._Element, list[etree._Element]] = {}
    for element in elements:
        parent = element.getparent()
        if parent is not None:
            by_parent.setdefault(parent, []).append(element)
    for parent, removed in by_parent.items():
        if len(removed) == 1:
            _remove_keeping_tail(removed[0])
            continue
        going = set(removed)
        kept: etree._Element | None = None  # the child that the text after removed ones goes to (None: the parent's text)
        moved: list[str] = []
        for child in parent:
            if child in going:
                moved.append(child.tail or "")
                continue
            _append_text(parent, kept, moved)
            kept, moved = child, []
        _append_text(parent, kept, moved)
        for element in removed:
            parent.remove(element)


def _append_text(parent: etree._Element, kept: etree._Element | None, moved: list[str]) -> None:
    """Add the tails of removed children to ``kept``'s tail (or, before any kept child, to ``parent``'s text)."""
    text = "".join(moved)
    if not text:
        return
    if kept is not None:
        kept.tail = (kept.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _remove_keeping_tail(element: etree._Element, keep_tail: bool = True) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail if keep_tail else "\n"
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _strip_csv_row(text: str) -> tuple[list[str], list[str], ViewerMeta]:
    """A cables.csv row: id, date, reference ID, origin, classification, refs, header, body."""
    try:
        row = next(csv.reader(io.StringIO(text)))
    except (csv.Error, StopIteration):
        row = []
    if len(row) < 8 or not ID_SHAPED.match(row[2].strip()):
        return text.split("\n"), [], ViewerMeta()
    meta = ViewerMeta(id=row[2].strip(), created=_csv_date(row[1]), classification=row[4].strip() or None, origin=row[3].strip() or None)
    lines = row[6].split("\n") + [""] + "\n".join(row[7:]).split("\n")
    return lines, [], meta


def _csv_date(value: str) -> str | None:
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})\s*", value)
    if not match:
        return None
    month, day, year, hour, minute = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
