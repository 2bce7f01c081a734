"""Show untrusted text (file names, page text in messages) safely on a terminal, in Markdown or JSON.

A file name is bytes: one not valid in UTF-8 arrives with surrogates (``caf\\udce9``) that
no UTF-8 output can hold, and its control characters (ESC, a newline, bidi overrides)
would drive the terminal or split a one-line message. They are shown as escapes instead.
"""

from __future__ import annotations

import re
from pathlib import Path

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, line and paragraph separators, lone surrogates.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(text: str | Path) -> str:
    """``text`` with every unsafe character escaped: ``caf\\udce9.txt`` -> ``caf\\xe9.txt``, ESC -> ``\\x1b``."""
    return _UNSAFE.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
