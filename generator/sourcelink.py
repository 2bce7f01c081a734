"""The card's link to the page a document was scraped from.

A page that names its own URL (``Document.source_url``: the viewer's share links, a canonical
link) is linked to it; any other document with an ID to ``--source-url``'s template, whose
``{id}``, ``{year}`` and ``{month}`` are the ID and the created date's year and month
(``https://wikileaks.org/cable/{year}/{month}/{id}.html`` is the viewer's own pattern).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from cleansite.model import Document
from cleansite.pageurl import checked_url

# What a URL may hold unescaped in a Markdown link: nothing that ends it ( ) [ ] < > or quotes it.
URL_SAFE = "/:?#@!$&'*+,;=%-._~"
FIELDS = ("id", "year", "month")
_FIELD = re.compile(r"\{(\w+)\}")


def template_fields(template: str) -> set[str]:
    """The ``{name}`` fields a template uses."""
    return set(_FIELD.findall(template))


def source_url(document: Document, template: str | None) -> str | None:
    """The URL of the document's source page: its own, else the template's for its ID (None when neither can be made)."""
    if document.source_url:
        return document.source_url
    if not template or not document.id:
        return None
    created = document.created or ""
    values = {"id": document.id, "year": created[:4], "month": created[5:7]}
    if any(not values[name] for name in template_fields(template)):
        return None  # {year} or {month} of an undated document: no URL rather than a wrong one
    return checked_url(_FIELD.sub(lambda found: values[found[1]], template))


def shown_link(url: str) -> tuple[str, str]:
    """What the card shows of ``url`` (its host) and the URL as it goes into the link, escaped."""
    return urlsplit(url).hostname or url, quote(url, safe=URL_SAFE)


def markdown_link(url: str) -> str:
    """A Markdown link to ``url`` shown as its host (``[cablegate.wikileaks.org](http://…)``), the URL escaped."""
    host, target = shown_link(url)
    return f"[{host}]({target}){{: .source-link rel=nofollow }}"
