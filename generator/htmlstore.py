"""The HTML of generated pages, kept in the cache under the hash of their Markdown.

The render stage writes each cable page's Markdown and, beside it in the cache, the HTML
``htmlpage.html_page`` made of the same Document. MkDocs, in its own process, reads the
Markdown as usual and asks here for the HTML of exactly those bytes (and this generator's
version): the HTML is found only for the Markdown it was made with, so an edited or stale
page is rendered by Python-Markdown as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cleansite.cache import generator_version
from cleansite.htmlparts import HtmlPage

FOLDER = "html"


class HtmlStore:
    """HTML pages as checksummed JSON files under ``root/html/``, named by ``key`` of their Markdown."""

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER

    @staticmethod
    def key(markdown: bytes) -> str:
        """The name of the HTML made with ``markdown`` (its bytes and the generator's version)."""
        return hashlib.sha256(generator_version().encode() + b"\0" + markdown).hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def put(self, markdown: bytes, page: HtmlPage) -> None:
        """Keep ``page`` as the HTML of ``markdown``; written aside and renamed, so a kill leaves no half file."""
        target = self._file(self.key(markdown))
        payload = json.dumps([page.meta, page.pieces, page.toc, page.anchors, page.title], ensure_ascii=False).encode()
        data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            try:
                temporary.write_bytes(data)
            except FileNotFoundError:  # the first page of its folder
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary.write_bytes(data)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def has(self, markdown: bytes) -> bool:
        """Whether HTML made with ``markdown`` is kept (a rebuild writes the same listings again: their HTML is there)."""
        return self._file(self.key(markdown)).is_file()

    def get(self, markdown: bytes) -> HtmlPage | None:
        """The HTML made with ``markdown``, or None (never made, or unreadable: Python-Markdown renders it)."""
        try:
            checksum, _, payload = self._file(self.key(markdown)).read_bytes().partition(b"\n")
            if checksum != hashlib.sha256(payload).hexdigest().encode():
                return None
            meta, pieces, toc, anchors, title = json.loads(payload)
            return HtmlPage(meta, tuple(pieces), tuple((level, anchor, name) for level, anchor, name in toc), tuple(anchors), title)
        except (OSError, ValueError, TypeError):  # missing, or damaged
            return None
