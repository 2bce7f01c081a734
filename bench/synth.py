"""Make a synthetic corpus of any size from the real pages of ../shared/corpus.

Copy number g of a real page keeps its form and artefacts; every cable number of its
own post is moved by g * 100,000 (its ID, page-break lines, classification line and the
REF entries and mentions that cite the same post), so copy g of the Tripoli cluster
cites copy g of the Tripoli cluster exactly as the real cables cite each other.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleansite.ids import origin_code  # noqa: E402

OFFSET = 100_000
# An origin as written followed by a serial: "TRIPOLI 00000212", "THE HAGUE 1548", "09TRIPOLI212".
_SERIAL = re.compile(r"(?<![A-Z0-9])(?P<year>\d{2})?(?P<origin>[A-Z][A-Z]+(?: [A-Z]+){0,2}?)(?P<gap> +|)(?P<serial>\d{1,8})(?![0-9])")
_ID_STEM = re.compile(r"^(\d{2})([A-Z]+)(\d+)$")


def real_pages(corpus: Path) -> list[Path]:
    """The page files of the corpus (not its README)."""
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".html", ".txt"))


def shifted(text: str, code: str, copy: int) -> str:
    """The page text with every serial of post ``code`` moved by ``copy * OFFSET``."""

    def move(match: re.Match[str]) -> str:
        words = match["origin"].split(" ")
        start = next((k for k in range(len(words)) if origin_code(" ".join(words[k:])) == code), None)
        if start is None or (not match["gap"] and not match["year"]):
            return match[0]
        serial = int(match["serial"]) + copy * OFFSET
        width = 8 if len(match["serial"]) == 8 else 0
        return f"{match['year'] or ''}{match['origin']}{match['gap']}{serial:0{width}d}"

    return _SERIAL.sub(move, text)


def make_corpus(corpus: Path, out: Path, size: int, jobs: int | None = None) -> list[Path]:
    """Write ``size`` pages under ``out`` (replacing it), cycling through copies of the real pages; ``jobs``
    processes (default: every core) write them, each page depending only on its index."""
    if out.exists():
        shutil.rmtree(out)
    pages = real_pages(corpus)
    tasks = [(corpus, out, pages, start, min(start + _CHUNK, size)) for start in range(0, size, _CHUNK)]
    with multiprocessing.get_context("spawn").Pool(jobs or os.cpu_count() or 1) as pool:
        return [path for chunk in pool.imap(_make_chunk, tasks) for path in chunk]


_CHUNK = 2_000


def _make_chunk(task: tuple[Path, Path, list[Path], int, int]) -> list[Path]:
    corpus, out, pages, start, stop = task
    written = []
    for index in range(start, stop):
        copy, page = divmod(index, len(pages))
        source = pages[page]
        stem = _ID_STEM.match(source.stem)
        data = source.read_bytes()
        encoding = "utf-8" if _is_utf8(data) else "cp1252"
        text = data.decode(encoding)
        if stem and copy:
            text = shifted(text, origin_code(stem[2]), copy)
        name = f"{stem[1]}{stem[2]}{int(stem[3]) + copy * OFFSET}{source.suffix}" if stem else f"{copy}-{source.name}"
        target = out / f"copy{copy:03d}" / source.relative_to(corpus).parts[0] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode(encoding, errors="replace"))
        written.append(target)
    return written


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


if __name__ == "__main__":
    make_corpus(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
