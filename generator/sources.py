"""Which source a page comes from, and that source's artefact rules (kept as data).

Each ``generator/sources/*.toml`` file describes one source: how to recognise it
from the page's content, where its document sits, and which lines are artefacts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cleansite.model import RawPage

RULES_DIR = Path(__file__).parent / "sources"


@dataclass(frozen=True, slots=True)
class LineRule:
    """A whole-line artefact: its name, the pattern, and the real line it removes.

    ``then`` matches the lines that follow it and go with it (the links under
    "Appears in these articles:"); the first line that does not match ends the run.
    """

    name: str
    pattern: re.Pattern[str]
    example: str
    then: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class TextRules:
    """Where a text dump states the site's metadata: a header row, its values on the next line.

    ``fields`` names the columns the row's header cells map to (``Reference ID`` -> ``id``).
    """

    meta_row: re.Pattern[str]
    separator: str
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class HtmlRules:
    """Where an HTML source keeps its document and its metadata (XPath expressions).

    ``pre_as_text``: the page's ``<pre>`` elements are read as text from the first start tag
    to the last end tag (``pretext``), so markup in the cable's text cannot end them early.
    """

    document: tuple[str, ...]
    region: re.Pattern[str] | None
    meta_table: str | None
    title: str | None
    title_prefix: re.Pattern[str] | None
    artefacts: tuple[str, ...]
    inline_artefacts: tuple[str, ...]
    pre_as_text: bool = False
    source_url: tuple[re.Pattern[str], ...] = ()  # where the page names its own URL (group ``url``), first match wins


@dataclass(frozen=True, slots=True)
class Source:
    """One source of pages and the rules to strip its artefacts."""

    name: str
    format: str
    priority: int
    description: str
    detect: tuple[re.Pattern[str], ...]
    detect_all: bool
    drop: tuple[LineRule, ...]
    title: re.Pattern[str] | None
    html: HtmlRules | None
    text: TextRules | None = None

    def matches(self, text: str) -> bool:
        """True when the page's content has this source's marks."""
        hits = (pattern.search(text) for pattern in self.detect)
        return all(hits) if self.detect_all else any(hits)


@cache
def all_sources() -> tuple[Source, ...]:
    """Every source rules file, in the order detection tries them."""
    sources = [_read_rules(path) for path in sorted(RULES_DIR.glob("*.toml"))]
    return tuple(sorted(sources, key=lambda source: source.priority))


def source_named(name: str) -> Source:
    """The source whose rules file is called ``name``."""
    for source in all_sources():
        if source.name == name:
            return source
    raise KeyError(name)


def detect_source(page: RawPage) -> Source:
    """The first source (by priority) whose marks the page's content carries."""
    for source in all_sources():
        if source.matches(page.text):
            return source
    return source_named("cable-text")


def _read_rules(path: Path) -> Source:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    title = data.get("title", {}).get("pattern")
    return Source(
        name=data["name"],
        format=data["format"],
        priority=data["priority"],
        description=data["description"],
        detect=tuple(re.compile(p, re.M) for p in data.get("detect", [])),
        detect_all=data.get("detect_all", False),
        drop=tuple(_line_rule(rule) for rule in data.get("drop", [])),
        title=re.compile(title) if title else None,
        html=_html_rules(data["html"]) if "html" in data else None,
        text=_text_rules(data["text"]) if "text" in data else None,
    )


def _line_rule(rule: dict) -> LineRule:
    then = rule.get("then")
    return LineRule(rule["name"], re.compile(rule["pattern"]), rule["example"], re.compile(then) if then else None)


def _text_rules(data: dict) -> TextRules:
    return TextRules(meta_row=re.compile(data["meta_row"]), separator=data.get("separator", "\t"), fields=dict(data["fields"]))


def _html_rules(data: dict) -> HtmlRules:
    prefix = data.get("title_prefix")
    return HtmlRules(
        document=tuple(data["document"]),
        region=re.compile(data["region"]) if "region" in data else None,
        meta_table=data.get("meta_table"),
        title=data.get("title"),
        title_prefix=re.compile(prefix) if prefix else None,
        artefacts=tuple(data.get("artefacts", [])),
        inline_artefacts=tuple(data.get("inline_artefacts", [])),
        pre_as_text=data.get("pre_as_text", False),
        source_url=tuple(re.compile(pattern) for pattern in data.get("source_url", [])),
    )
