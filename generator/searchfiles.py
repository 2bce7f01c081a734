"""The files of the search index besides the term shards: what the engine needs beyond postings.

``tables.js`` (how cables name posts, spelling variants, stopwords), the lexicon buckets
``l<key>.js`` (prefixes and typos), the document shards ``d<N>.js``, the text of each
document ``x/<K>/<N>.js`` (excerpts), and the facets ``facets.js`` + ``f/<name>.js``
(filters). Every file is bounded: a bucket or a shard holds at most a few thousand
entries, a document's text at most ``TEXT_LIMIT`` characters, a facet at most one bit
per document.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from cleansite import ids
from cleansite.indexes import slug
from cleansite.model import Document, Summary
from cleansite.search import DOCS_PER_SHARD, STOPWORDS, ShardedIndex, SitePage, b36, write_js

VARIANTS_FILE = Path(__file__).parent / "variants.toml"
TEXT_LIMIT = 12_000  # characters of a document's text kept for excerpts (a long cable's later paragraphs are cut)
BLOCK_LIMIT = 1_500  # characters of one block
LEXICON_SPLIT = 3_000  # a two-letter bucket with more words is split by three letters
FACET_KINDS = ("origin", "classification", "tag")


def write_tables(folder: Path) -> None:
    """``tables.js``: post spellings -> origin code (lower case), variant groups, stopwords."""
    posts = {code.lower(): code.lower() for code in ids.posts()}
    posts["state"] = "state"
    tables = [tomllib.loads((Path(ids.__file__).parent / name).read_text(encoding="utf-8")) for name in ("posts.toml", "ids.toml")]
    for spellings in (tables[0].get("spellings", {}), tables[1].get("origin_fixes", {})):
        posts |= {written.lower(): code.lower() for written, code in spellings.items() if re.fullmatch(r"[A-Z]+", written)}
    variants = {}
    for group in tomllib.loads(VARIANTS_FILE.read_text(encoding="utf-8"))["groups"].values():
        variants |= {form: [other for other in group if other != form] for form in group}
    write_js(folder / "tables.js", "csTables(", {"posts": posts, "variants": variants, "stopwords": sorted(STOPWORDS)})


def text_path(folder: Path, number: int) -> Path:
    """Where the text of document ``number`` goes: at most 1,000 files per folder."""
    return folder / "x" / str(number // 1000) / f"{number}.js"


def write_text(folder: Path, number: int, document: Document) -> None:
    """The blocks of a document (anchor, text) for excerpts, cut to ``TEXT_LIMIT`` characters."""
    blocks, size = [], 0
    for block in document.blocks:
        if size >= TEXT_LIMIT:
            break
        text = block.text[:BLOCK_LIMIT]
        blocks.append([block.anchor, text])
        size += len(text)
    path = text_path(folder, number)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_js(path, f"csText({number},", blocks)


def write_documents(index: ShardedIndex, entries: Iterable[Summary | SitePage]) -> None:
    """Document shards, facets and the lexicon; tables; then remove the spool. Entries come in document order (by date)."""
    facets: dict[tuple[str, str], list[int]] = defaultdict(list)
    months: dict[str, list[int]] = {}
    batch: list[list[str]] = []
    number = -1
    for number, entry in enumerate(entries):
        batch.append(_row(entry))
        if isinstance(entry, Summary):
            _add_facets(facets, months, number, entry)
        if len(batch) == DOCS_PER_SHARD:
            write_js(index.folder / f"d{number // DOCS_PER_SHARD}.js", f"csDocs({number // DOCS_PER_SHARD},", batch)
            batch = []
    if batch:
        write_js(index.folder / f"d{number // DOCS_PER_SHARD}.js", f"csDocs({number // DOCS_PER_SHARD},", batch)
    write_facets(index.folder, facets, months, number + 1)
    write_lexicon(index)
    write_tables(index.folder)
    shutil.rmtree(index.spool, ignore_errors=True)


def _row(entry: Summary | SitePage) -> list[str]:
    if isinstance(entry, SitePage):
        return ["", entry.title, "", "", "", "", entry.location]
    return [entry.id, entry.title or "", entry.created or "", entry.origin or "", entry.classification or "", " ".join(entry.tags)]


def _add_facets(facets: dict, months: dict, number: int, entry: Summary) -> None:
    facets["origin", entry.origin or "unknown"].append(number)
    facets["classification", entry.classification or "unknown"].append(number)
    for tag in entry.tags:
        facets["tag", tag].append(number)
    month = (entry.created or "undated")[:7]
    months.setdefault(month, [number, number])[1] = number + 1


def write_facets(folder: Path, facets: dict, months: dict, documents: int) -> None:
    """One file per facet value (its documents), and ``facets.js``: every value with its count and file, and the months."""
    (folder / "f").mkdir(exist_ok=True)
    listing: dict[str, list] = {kind: [] for kind in FACET_KINDS}
    files: dict[str, list[int]] = {}
    for (kind, value), numbers in sorted(facets.items(), key=lambda item: (-len(item[1]), item[0])):
        name = f"{kind}-{slug(value)}"
        # two values whose hashed names meet share the file rather than one overwriting the other
        files[name] = sorted(set(files[name]) | set(numbers)) if name in files else numbers
        listing[kind].append([value, len(numbers), name])
    for name, numbers in files.items():
        write_js(folder / "f" / f"{name}.js", f"csFacet({_quoted(name)},", encode_numbers(numbers, documents))
    listing["month"] = [[month, first, end] for month, (first, end) in sorted(months.items())]
    write_js(folder / "facets.js", "csFacets(", listing)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_numbers(numbers: list[int], documents: int) -> str:
    """Sorted document numbers as the smaller of a list of gaps (``L``, base 36) and a bitmap (``B``, base64)."""
    gaps, previous = [], -1
    for number in numbers:
        gaps.append(b36(number - previous))
        previous = number
    listed = "L" + ",".join(gaps)
    if len(listed) < documents // 6:
        return listed
    bits = bytearray((documents + 7) // 8)
    for number in numbers:
        bits[number // 8] |= 1 << (number % 8)
    return "B" + base64.b64encode(bytes(bits)).decode("ascii")


def write_lexicon(index: ShardedIndex) -> None:
    """The lexicon of the words spooled by the term-shard tasks (``write_lexicon_entries``)."""
    write_lexicon_entries(index.folder, spooled_words(index.spool))


def spooled_words(spool: Path) -> Iterator[tuple[str, int, str]]:
    """(word, document frequency, inline postings or "") of every word the term-shard tasks spooled."""
    for part in spool.glob("lex*.tsv"):
        for line in part.read_text(encoding="utf-8").splitlines():
            word, frequency, inline = line.split("\t")
            yield word, int(frequency), inline


def write_lexicon_entries(folder: Path, words: Iterable[tuple[str, int, str]]) -> None:
    """Buckets of words by their first (``p``) and last (``s``) two letters, each word with its document frequency.

    A typo of one letter in a word of five letters or more leaves its first two or its last two
    letters as they were, so one of the two buckets holds the word meant. A bucket of more than
    ``LEXICON_SPLIT`` words is split by one more letter (``splits.json`` names those), ``p``
    buckets down to ``PREFIX_DEPTH`` letters (a prefix being typed must find all its completions
    in one bucket), ``s`` buckets down to ``SUFFIX_DEPTH`` (``-ing`` holds 5 % of all words);
    a word too short for the next level stays in the bucket that was split.
    """
    buckets: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for word, frequency, inline in words:
        entry = f"{word}:{b36(frequency)}" + (f":{inline}" if inline else "")
        buckets["p" + word[:2]].append((entry, frequency))
        buckets["s" + word[-2:]].append((entry, frequency))
    splits = _split_buckets(buckets)
    for key in _every_bucket(splits):  # every bucket a query can ask for exists (a missing script is an error in the console)
        buckets.setdefault(key, [])
    for key, entries in buckets.items():
        entries.sort(key=lambda w: (-w[1], w[0]))
        write_js(folder / f"l{key}.js", f"csLex({_quoted(key)},", " ".join(entry for entry, _ in entries))
    (folder / "splits.json").write_text(json.dumps(sorted(splits)), encoding="utf-8")


PREFIX_DEPTH, SUFFIX_DEPTH = 3, 5


def _split_buckets(buckets: dict[str, list[tuple[str, int]]]) -> set[str]:
    """Split every bucket over ``LEXICON_SPLIT`` words by one more letter, level by level; the keys split."""
    splits: set[str] = set()
    pending = sorted(buckets)
    while pending:
        key = pending.pop()
        depth, family = len(key) - 1, key[0]
        if len(buckets[key]) <= LEXICON_SPLIT or depth >= (PREFIX_DEPTH if family == "p" else SUFFIX_DEPTH):
            continue
        splits.add(key)
        staying = []
        for entry, frequency in buckets.pop(key):
            word = entry.split(":")[0]
            if len(word) <= depth:
                staying.append((entry, frequency))
            else:
                child = family + (word[: depth + 1] if family == "p" else word[-depth - 1 :])
                if child not in buckets:
                    pending.append(child)
                buckets[child].append((entry, frequency))
        buckets[key] = staying
    return splits


def _every_bucket(splits: set[str]) -> Iterator[str]:
    """Every bucket key a query can ask for: the two-letter ones, and one more letter under each split key."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from (family + a + b for family in "ps" for a in letters for b in letters)
    for key in splits:
        yield from ((key + c) if key[0] == "p" else (key[0] + c + key[1:]) for c in letters)
