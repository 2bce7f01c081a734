"""The cache: a data format nobody can exploit, that any damage survives (issue 14, item 8)."""

from __future__ import annotations

import random
from pathlib import Path

from cleansite import cacheformat
from cleansite.cache import DocumentCache
from cleansite.config import Config
from cleansite.convert import convert_page
from cleansite.model import PageError
from cleansite.pipeline import convert
from conftest import PAGES_DIR

PAGES = [PAGES_DIR / "scoop-text" / "10CHENGDU28.txt", PAGES_DIR / "wikileaks-viewer" / "06TEGUCIGALPA526.html"]


def test_every_entry_reads_back_equal() -> None:
    for page in PAGES:
        document = convert_page(page)
        assert cacheformat.decode(cacheformat.encode(document), page) == document
    error = PageError(Path("x.txt"), "empty file")
    assert cacheformat.decode(cacheformat.encode(error), Path("x.txt")) == error


def test_a_pickle_is_never_loaded(tmp_path: Path) -> None:
    """Whoever could write to the pickle cache could run code as the user."""
    import pickle

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (tmp_path / "pwned",))

    assert cacheformat.decode(pickle.dumps(Exploit()), Path("x.txt")) is None
    assert not (tmp_path / "pwned").exists()


def test_fuzzed_entries_never_escape(tmp_path: Path) -> None:
    """3,000 damaged entries (bit flips, cuts, garbage, valid checksums over wrong shapes): each reads as damaged, none raises."""
    rng = random.Random(14)
    entries = [cacheformat.encode(convert_page(page)) for page in PAGES]
    shapes = [b"[]", b"{}", b'["document"]', b'["error", 1, true]', b'["document", [], [], []]', b"[[[[" * 3000, b'"x"', b"null"]
    for trial in range(3000):
        data = bytearray(rng.choice(entries))
        kind = trial % 4
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data = data[: rng.randrange(len(data))]
        elif kind == 2:
            data = bytearray(rng.randbytes(rng.randint(0, 400)))
        else:  # a well-formed checksum over a payload of the wrong shape
            payload = rng.choice(shapes)
            data = bytearray(cacheformat._MAGIC + cacheformat.hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        result = cacheformat.decode(bytes(data), Path("x.txt"))
        assert result is None, (trial, bytes(data[:80]))


def test_a_damaged_entry_is_dropped_recomputed_and_counted(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "c.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    config = Config(pages=(pages,), docs_dir=tmp_path / "docs", cache_dir=tmp_path / "cache", jobs=1)
    convert(config)
    (entry,) = (tmp_path / "cache" / "pages").rglob("*.json")
    entry.write_bytes(b"\x80\x05garbage")
    report = convert(config)
    assert report.counts.damaged_cache_entries == 1 and len(report.documents) == 1
    assert DocumentCache(tmp_path / "cache").get(entry.stem, pages / "c.txt").id == "10CHENGDU28"


def test_threads_writing_the_same_entry_at_once(tmp_path: Path) -> None:
    """A Dask worker may run several threads: two copies of one page (same key) written at the same time."""
    from concurrent.futures import ThreadPoolExecutor

    cache = DocumentCache(tmp_path / "cache")
    document = convert_page(PAGES[0])
    with ThreadPoolExecutor(8) as threads:
        list(threads.map(lambda _: cache.put("ab" + "0" * 62, document), range(64)))
    assert cache.get("ab" + "0" * 62, PAGES[0]) == document
    assert not list((tmp_path / "cache").rglob("*.tmp"))
