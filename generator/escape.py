"""Make scraped text inert in Markdown and HTML: it always renders literally."""

from __future__ import annotations

import html
import re

# Characters that make Markdown anywhere in a line: escapes, code, emphasis, links and
# images (an escaped "[" leaves "!" and "(" inert), attribute lists, a heading's closing
# "#"s. "<" and "&" are HTML-escaped first. Others ("-", "+", ".") only make Markdown at
# the start of a line; escaping them everywhere filled the Markdown with backslashes
# ("U\.S\.", "2010\-02\-04") for Python-Markdown to undo. Every character escaped here
# is one Python-Markdown unescapes.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")
# What starts a block at the start of a line: a list or rule, an ordered-list number.
_LINE_START = re.compile(r"^([\-+]|\d+(?=[.)]))")
# A code fence, which the fenced_code extension finds at the start of any line of the page,
# inside raw HTML blocks too; "~" is no character Python-Markdown unescapes, so it becomes an entity.
_FENCE_START = re.compile(r"^([ \t]*)([~`])(?=\2\2)", re.M)
# What Markdown still reads in raw inline HTML inside a Markdown line: a "]" ends the link the
# text sits in, "{" opens an attribute list, "*", "_", "`", "~" make emphasis, code or a fence.
_ACTIVE_IN_HTML = re.compile(r"[&<>\"'\\`*_{}\[\]#~|]")


def md_text(text: str, line_start: bool = True) -> str:
    """Text for a Markdown paragraph, list item, heading or table cell, on one line: it renders literally.

    HTML-escaped, then Markdown-escaped: everywhere what makes Markdown inside a line and,
    unless ``line_start`` is False (the text follows other text on its line), at its
    start what would start a block. Line breaks become spaces.
    """
    escaped = _INLINE_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")
    if not line_start:
        return escaped
    start = len(escaped) - len(escaped.lstrip(" "))
    if start:  # four spaces would start a code block
        escaped = "&#32;" * start + escaped[start:]
    return _LINE_START.sub(_escape_line_start, escaped, count=1)


def no_fence(markdown: str) -> str:
    """Markdown that starts a line at its first column: not with a code fence (``~~~``), which the fenced_code
    extension would open there ("`" is escaped already; "~" is no character Python-Markdown unescapes)."""
    return _FENCE_START.sub(_fence_reference, markdown, count=1)


def inline_html_text(text: str) -> str:
    """Text for raw inline HTML that sits inside a Markdown line (a badge inside a link, a marking): every
    character HTML or Markdown would read there written as a character reference."""
    return _ACTIVE_IN_HTML.sub(lambda found: f"&#{ord(found[0])};", text)


def pre_text(text: str) -> str:
    """Text for a raw ``<pre>`` block in the Markdown: HTML-escaped, no line starting a code fence."""
    return _FENCE_START.sub(_fence_reference, html.escape(text, quote=True))


def _fence_reference(found: re.Match) -> str:
    """A fence's first character as a character reference: the line no longer starts a fence."""
    return f"{found[1]}&#{ord(found[2])};"


def _escape_line_start(match: re.Match) -> str:
    found = match.group(1)
    return found + "\\" if found[0].isdigit() else "\\" + found


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


def front_matter_text(meta: dict) -> str:
    """A page's front matter as YAML between ``---`` lines: strings as escaped scalars, None as null, a list of
    strings in brackets, a mapping (``search: {exclude: true}``) as its indented lines."""
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, dict):
            lines.append(f"{key}:" + "".join(f"\n  {name}: {str(setting).lower()}" for name, setting in value.items()))
        elif isinstance(value, list):
            lines.append(f"{key}: [" + ", ".join(yaml_scalar(item) for item in value) + "]")
        else:
            lines.append(f"{key}: {yaml_scalar(value) if value is not None else 'null'}")
    return "\n".join([*lines, "---\n"])
