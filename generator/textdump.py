"""Strip a text dump of a page: the site's rules, the document region, the site's repeated lines.

Every line gets a verdict: kept (inside the document region), read (the site's metadata
row, the title line), or removed with its reason (a rule, repeated across the site's
pages, outside the document). Removed lines are listed in page order.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleansite.boilerplate import SiteChrome, repeated_lines
from cleansite.model import ViewerMeta
from cleansite.region import document_region
from cleansite.sources import Source, TextRules

OUTSIDE = "outside the document"


@dataclass(frozen=True, slots=True)
class Stripped:
    """A text dump split into document lines, removed lines with their reasons, and what the site states."""

    lines: list[str]
    removed: list[str]
    reasons: list[str]
    meta: ViewerMeta
    title: str | None


def strip_text(text: str, source: Source, site: SiteChrome | None = None) -> Stripped:
    """Keep the document region of a text dump, without the site's lines inside it."""
    lines = text.split("\n")
    meta, row = read_meta_row(lines, source.text)
    read = {row, row + 1} if row is not None else set()
    reasons, title_at, title = rule_verdicts(lines, source)
    read |= {title_at} if title_at is not None else set()
    if site is not None:
        reasons |= {i: site.reason(lines[i]) for i in repeated_lines(lines, site) if i not in reasons and i not in read}
    region = document_region(lines, row, frozenset(reasons) | frozenset(read))
    for index, line in enumerate(lines):
        outside = index < region.start or index >= region.end
        if outside and line.strip() and index not in reasons and index not in read:
            reasons[index] = OUTSIDE
    kept = [line for index, line in enumerate(lines[region.start : region.end], region.start) if index not in reasons and index not in read]
    order = sorted(reasons)
    return Stripped(kept, [lines[i].strip() for i in order], [reasons[i] for i in order], meta, title)


def rule_verdicts(lines: list[str], source: Source) -> tuple[dict[int, str], int | None, str | None]:
    """The lines the source's rules remove (index -> reason), and the title line's index and title."""
    reasons: dict[int, str] = {}
    title_at, title, following = None, None, None
    if not source.drop and not source.title:  # HTML sources name no line rules: nothing to look at
        return reasons, title_at, title
    for index, line in enumerate(lines):
        bare = line.strip()
        if following is not None and following.then and following.then.match(bare):
            reasons[index] = f"rule: {following.name}"
            continue
        following = None
        if source.title and title_at is None and (match := source.title.match(bare)):
            title_at, title = index, match.group("title").strip()
            continue
        rule = next((rule for rule in source.drop if bare and rule.pattern.match(bare)), None)
        if rule is not None:
            reasons[index], following = f"rule: {rule.name}", rule
    return reasons, title_at, title


def read_meta_row(lines: list[str], rules: TextRules | None) -> tuple[ViewerMeta, int | None]:
    """The site's metadata from its header row and the values on the next line, and the row's index."""
    if rules is None:
        return ViewerMeta(), None
    row = next((i for i, line in enumerate(lines[:-1]) if rules.meta_row.match(line)), None)
    if row is None:
        return ViewerMeta(), None
    names = [rules.fields.get(cell.strip()) for cell in lines[row].split(rules.separator)]
    values = {name: value.strip() or None for name, value in zip(names, lines[row + 1].split(rules.separator), strict=False) if name}
    meta = ViewerMeta(**{key: values.get(key) for key in ("id", "created", "classification", "origin", "released")})
    return meta, row
