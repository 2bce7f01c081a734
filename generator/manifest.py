"""The render keys of the generated pages, kept inside the generated folder itself.

A cable page's key (by its ID) is everything it depends on; a browsing page's (by its path,
``by-tag/prel.md``) is the hash of its Markdown. A page may be reused only if the file on
disk was produced by the same render key. The
keys therefore live beside the pages (``cables/.render-keys.json``, a dot file MkDocs
ignores) and are swapped in with them: whatever a cache or a killed run says, the keys
always describe the files that are there.
"""

from __future__ import annotations

import json
from pathlib import Path

FILE_NAME = ".render-keys.json"


def read_render_keys(folder: Path) -> dict[str, str]:
    """The render key of every page in ``folder`` (empty if missing or damaged: everything is rendered)."""
    try:
        keys = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(keys, dict):
        return {}
    return {k: v for k, v in keys.items() if isinstance(k, str) and isinstance(v, str)}


def write_render_keys(folder: Path, keys: dict[str, str]) -> None:
    """Record the render keys of the pages just written into ``folder`` (a staging folder)."""
    (folder / FILE_NAME).write_text(json.dumps(keys, sort_keys=True), encoding="utf-8")
