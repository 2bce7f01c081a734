"""The on-disk cache of parsed pages, keyed by page content and generator version.

It makes rebuilds incremental (a page whose bytes did not change is not parsed again)
and lets the collection-wide stages stream: they keep a small summary per document in
memory and read a document back from here only while working on it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from cleansite import cacheformat
from cleansite.model import Document, PageError

_PACKAGE = Path(__file__).parent


@cache
def generator_version() -> str:
    """A hash of the generator's code and rules: any change to them invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted([*_PACKAGE.glob("*.py"), *_PACKAGE.glob("*.toml"), *_PACKAGE.glob("sources/*.toml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class DocumentCache:
    """Parsed pages (a Document or a PageError) stored as checksummed JSON under ``root`` (``cacheformat``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "pages").mkdir(parents=True, exist_ok=True)

    def key(self, path: Path, data: bytes) -> str:
        """The cache key of a page: its bytes, its file name (IDs may come from it), the generator."""
        digest = hashlib.sha256(data)
        digest.update(b"\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + generator_version().encode())
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.root / "pages" / key[:2] / f"{key}.json"

    def get(self, key: str, path: Path) -> Document | PageError | None:
        """The cached result for ``key`` (with ``path`` as its page), or None (missing or damaged)."""
        return self.lookup(key, path)[0]

    def lookup(self, key: str, path: Path) -> tuple[Document | PageError | None, bool]:
        """The cached result for ``key`` or None, and whether an entry was there but damaged (it is then dropped)."""
        try:
            data = self._file(key).read_bytes()
        except OSError:
            return None, False
        result = cacheformat.decode(data, path)
        if result is None:
            self._file(key).unlink(missing_ok=True)
        return result, result is None

    def put(self, key: str, result: Document | PageError) -> None:
        """Store a result; written to a temporary file and renamed, so a kill never leaves half a file."""
        target = self._file(key)
        target.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(cacheformat.encode(result))
            os.replace(temporary, target)
        except BaseException:  # a full disk must not leave .tmp files behind
            Path(temporary).unlink(missing_ok=True)
            raise
