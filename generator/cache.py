"""The on-disk cache of parsed pages, keyed by page content and generator version.

It makes rebuilds incremental (a page whose bytes did not change is not parsed again)
and lets the collection-wide stages stream: they keep a small summary per document in
memory and read a document back from here only while working on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

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
    """Parsed pages (a Document or a PageError) stored as pickles under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "pages").mkdir(parents=True, exist_ok=True)

    def key(self, path: Path, data: bytes) -> str:
        """The cache key of a page: its bytes, its file name (IDs may come from it), the generator."""
        digest = hashlib.sha256(data)
        digest.update(b"\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + generator_version().encode())
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.root / "pages" / key[:2] / f"{key}.pickle"

    def get(self, key: str, path: Path) -> Document | PageError | None:
        """The cached result for ``key`` (with ``path`` as its page), or None."""
        try:
            result = pickle.loads(self._file(key).read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        return _with_path(result, path)

    def put(self, key: str, result: Document | PageError) -> None:
        """Store a result; written to a temporary file and renamed, so a kill never leaves half a file."""
        target = self._file(key)
        target.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)

    def manifest(self, name: str) -> dict[str, str]:
        """A JSON mapping kept beside the cache (e.g. the render key of every generated page)."""
        try:
            return json.loads((self.root / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_manifest(self, name: str, data: dict[str, str]) -> None:
        """Replace a manifest atomically."""
        handle, temporary = tempfile.mkstemp(dir=self.root, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, sort_keys=True)
        os.replace(temporary, self.root / f"{name}.json")


def _with_path(result: Document | PageError, path: Path) -> Document | PageError:
    if isinstance(result, Document):
        return Document(path, *[getattr(result, f) for f in Document.__dataclass_fields__ if f != "path"])
    return PageError(path, result.reason, result.skipped)
