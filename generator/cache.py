"""The on-disk cache of parsed pages, keyed by page content and generator version.

It makes rebuilds incremental (a page whose bytes did not change is not parsed again)
and lets the collection-wide stages stream: they keep a small summary per document in
memory and read a document back from here only while working on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import time
from functools import cache
from pathlib import Path
from typing import NamedTuple

from cleansite import cacheformat
from cleansite.model import Document, PageError

_PACKAGE = Path(__file__).parent
_STAMPS = "stamps.json"
# A file changed less than this long ago may change again within its mtime's resolution unseen: not stamped.
_RACY_NS = 2_000_000_000


class Stamp(NamedTuple):
    """A page file as a run found it: size and mtime (what make and rsync compare), its key, whether it is markup.

    When a page's size and mtime are unchanged, the next run takes ``key`` instead of reading
    and hashing the page; only then is the content hash computed. ``markup``: HTML pages take no
    part in the site chrome counted across text dumps, so their key needs nothing else.
    """

    size: int
    mtime_ns: int
    key: str
    markup: bool


def stamp_of(status: os.stat_result, key: str, data: bytes) -> Stamp | None:
    """The stamp of a page read and hashed now, or None when it changed too recently to trust its mtime."""
    if status.st_mtime_ns > time.time_ns() - _RACY_NS:
        return None
    return Stamp(status.st_size, status.st_mtime_ns, key, data.lstrip()[:1] == b"<")


def known_key(status: os.stat_result, stamp: Stamp | None) -> Stamp | None:
    """The stamp if the file is still the regular file of that size and mtime, else None (read and hash it)."""
    if stamp is None or not stat.S_ISREG(status.st_mode):
        return None
    return stamp if (status.st_size, status.st_mtime_ns) == (stamp.size, stamp.mtime_ns) else None


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

    def read_stamps(self) -> dict[str, Stamp]:
        """What the last run knew of each page file (``Stamp``), if it ran the same generator; else nothing."""
        try:
            data = json.loads((self.root / _STAMPS).read_bytes())
            if data["generator"] != generator_version():
                return {}
            return {path: Stamp(*entry) for path, entry in data["pages"].items()}
        except (OSError, ValueError, TypeError, KeyError):  # missing or damaged: every page is read and hashed
            return {}

    def write_stamps(self, stamps: dict[str, Stamp]) -> None:
        """Keep the stamps of this run's pages for the next one (written aside and renamed)."""
        data = {"generator": generator_version(), "pages": {path: list(stamp) for path, stamp in stamps.items()}}
        temporary = self.root / f"{_STAMPS}.{os.getpid()}.tmp"
        try:
            temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.root / _STAMPS)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

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
        """Store a result; written to a temporary file and renamed, so a kill never leaves half a file.

        The temporary file is named by the process and thread (one put at a time in each; a Dask
        worker may run several threads): no random names tried with ``mkstemp`` and no ``mkdir``
        per entry, which were half the cost of a put.
        """
        target = self._file(key)
        temporary = f"{target}.{os.getpid()}-{threading.get_ident()}.tmp"
        payload = cacheformat.encode(result)
        try:
            try:
                handle = os.open(temporary, _CREATE, 0o600)
            except FileNotFoundError:  # the first entry of its folder
                target.parent.mkdir(exist_ok=True)
                handle = os.open(temporary, _CREATE, 0o600)
            try:
                written = 0
                while written < len(payload):
                    written += os.write(handle, memoryview(payload)[written:])
            finally:
                os.close(handle)
            os.replace(temporary, target)
        except BaseException:  # a full disk must not leave .tmp files behind
            Path(temporary).unlink(missing_ok=True)
            raise


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
