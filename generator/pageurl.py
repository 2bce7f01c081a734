"""The URL a scraped page names as its own: where the reader can see the page it came from.

Each HTML source's rules list where its pages name it (``source_url`` in ``sources/*.toml``):
a ``<link rel="canonical">``, an ``og:url``, or, on the WikiLeaks viewer, its share links
(``digg.com/submit?url=http%3A%2F%2Fcablegate.wikileaks.org%2Fcable%2F2009%2F04%2F09THEHAGUE247.html``).
The URL is page data: only an absolute http(s) URL without spaces or control characters is kept.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

_ENCODED = re.compile(r"(?i)https?%3A%2F%2F")  # a URL passed as a share link's query parameter
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")
_HOST = re.compile(r"[A-Za-z0-9.-]+(?::\d+)?")


def own_url(text: str, patterns: tuple[re.Pattern[str], ...]) -> str | None:
    """The first URL one of ``patterns`` (group ``url``) finds in the page text that is a valid http(s) URL, else None."""
    for pattern in patterns:
        for found in pattern.finditer(text):
            url = checked_url(_decoded(found["url"]))
            if url:
                return url
    return None


def _decoded(value: str) -> str:
    value = html.unescape(value.strip())
    return unquote(value) if _ENCODED.match(value) else value


def checked_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) URL with a plain host and nothing that could leave an HTML attribute, else None."""
    if _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST.fullmatch(parts.netloc):
        return None
    return url
