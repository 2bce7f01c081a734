"""Make scraped text inert in Markdown and HTML: it always renders literally."""

from __future__ import annotations

import html
import re

# Python-Markdown's backslash-escapable characters (markdown.Markdown.ESCAPED_CHARS).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")


def md_text(text: str) -> str:
    """Text for a Markdown paragraph, list item or heading: HTML-escaped, then Markdown-escaped."""
    escaped = html.escape(text, quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")


def html_text(text: str) -> str:
    """Text for a raw HTML block or attribute (quotes escaped too)."""
    return html.escape(text, quote=True)


def yaml_scalar(value: str) -> str:
    """A YAML double-quoted scalar: every character escaped, no YAML syntax can leak."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029\ufeff":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
