"""Search that scales: a static index split into shards that a query loads on demand.

Material's own search loads the whole index on every page view (about 7 KB per cable);
above ``SHARDED_ABOVE`` documents the build writes this index instead: term shards
(``search/cleansite/t<N>.js``: term -> document frequency and the best postings) chosen by
a hash of the term, and document shards (``d<N>.js``: ID, title, a line of metadata).
The worker ``theme/assets/javascripts/cleansite-search-worker.js`` (package data) replaces Material's in
such a site and speaks its protocol, so the search box looks and works the same.
Shards are JavaScript files loaded with ``importScripts``: that also works from file://.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cleansite.resources import search_worker
from cleansite.site import write_search_index

SHARDED_ABOVE = 1000
DOCS_PER_SHARD = 500
POSTINGS_PER_TERM = 1000
RUN_SIZE = 500  # documents per spool run (one worker task; its postings are held at once)
RESULTS = 20
_TOKEN = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "as",
        "with",
        "by",
        "was",
        "be",
        "at",
        "it",
        "this",
        "are",
        "from",
        "an",
        "he",
        "has",
        "have",
        "not",
        "his",
        "or",
        "but",
        "were",
        "will",
        "which",
        "their",
        "they",
        "its",
        "been",
        "also",
        "had",
        "who",
        "said",
        "would",
        "there",
        "we",
        "our",
        "all",
        "more",
        "than",
        "one",
        "about",
        "can",
        "other",
        "any",
        "may",
    ]
)


def use_sharded(mode: str, documents: int) -> bool:
    """``auto`` switches to sharded search above SHARDED_ABOVE documents; ``material``/``sharded`` force."""
    return mode == "sharded" or (mode == "auto" and documents > SHARDED_ABOVE)


def terms(text: str) -> Counter:
    """The index terms of a text: lower-case runs of letters and digits, two characters or more."""
    return Counter(t for t in _TOKEN.findall(text.lower()) if len(t) > 1 and t not in _STOPWORDS)


def fnv1a(term: str) -> int:
    """FNV-1a, 32 bits, over the term's characters (the worker computes the same)."""
    value = 0x811C9DC5
    for char in term:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def term_shard_count(documents: int) -> int:
    """About one term shard per 100 documents (2,512 at 251,287), at least one."""
    return max(1, min(4096, documents // 100))


@dataclass(frozen=True, slots=True)
class ShardedIndex:
    """Where a sharded index is written, and how it is split.

    Writing it is map-reduce on disk, so no process holds more than one run's or one
    shard's postings: ``write_run`` (workers, a run of documents each) writes a spool
    file grouped by term shard; ``write_term_shard`` (workers, one shard each) gathers
    that shard's part of every run; ``write_documents`` streams the document shards.
    """

    folder: Path
    documents: int
    shards: int = 0  # term shards; 0: ``term_shard_count(documents)``. Fixed here, so every worker splits alike

    def __post_init__(self) -> None:
        if not self.shards:
            object.__setattr__(self, "shards", term_shard_count(self.documents))

    @property
    def spool(self) -> Path:
        return self.folder / "spool"

    def runs(self) -> list[range]:
        """The document numbers of every run."""
        return [range(first, min(first + RUN_SIZE, self.documents)) for first in range(0, self.documents, RUN_SIZE)]

    def settings(self) -> dict:
        """What the browser's worker needs to know of the index."""
        return {"term_shards": self.shards, "docs_per_shard": DOCS_PER_SHARD, "documents": self.documents, "results": RESULTS}


@dataclass(frozen=True, slots=True)
class SitePage:
    """A page of the site that is not a document (hand-written, the overview): indexed too, found by its location."""

    location: str
    title: str
    text: str


def site_pages(site: Path) -> list[SitePage]:
    """The pages in Material's search index of a built site (documents are not in it), one entry per page."""
    index_file = site / "search" / "search_index.json"
    entries = json.loads(index_file.read_text(encoding="utf-8")).get("docs", []) if index_file.exists() else []
    titles: dict[str, str] = {}
    texts: dict[str, list[str]] = defaultdict(list)
    for entry in entries:  # a page's entry, then one per section of it: all go into the page's text
        page = entry["location"].split("#")[0]
        titles.setdefault(page, html.unescape(entry.get("title", "")))
        texts[page].append(html.unescape(re.sub(r"<[^>]*>", " ", f"{entry.get('title', '')} {entry.get('text', '')}")))
    return [SitePage(page, title, " ".join(texts[page])) for page, title in titles.items()]


def write_run(index: ShardedIndex, first: int, counts: Iterable[Counter]) -> None:
    """Spool the terms of documents ``first``, ``first + 1``...: lines grouped by term shard, and where each group starts."""
    groups: dict[int, list[str]] = defaultdict(list)
    for number, terms_of_document in enumerate(counts, start=first):
        for term, count in terms_of_document.items():
            groups[fnv1a(term) % index.shards].append(f"{term}\t{number}\t{count}\n")
    offsets = array("q")
    with (index.spool / f"{first}.tsv").open("wb") as out:
        for shard in range(index.shards):
            offsets.append(out.tell())
            out.write("".join(groups.get(shard, ())).encode("utf-8"))
        offsets.append(out.tell())
    (index.spool / f"{first}.offsets").write_bytes(offsets.tobytes())


def run_offsets(index: ShardedIndex) -> dict[int, array]:
    """The group offsets of every run (8 bytes per run and shard)."""
    offsets = {}
    for first in (run.start for run in index.runs()):
        offsets[first] = array("q")
        offsets[first].frombytes((index.spool / f"{first}.offsets").read_bytes())
    return offsets


def write_term_shard(index: ShardedIndex, shard: int, offsets: dict[int, array]) -> None:
    """Gather one term shard from every run and write it: term -> [document frequency, best postings]."""
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for first, starts in offsets.items():
        with (index.spool / f"{first}.tsv").open("rb") as run:
            run.seek(starts[shard])
            for line in run.read(starts[shard + 1] - starts[shard]).decode("utf-8").splitlines():
                term, number, count = line.split("\t")
                postings[term].append((int(number), int(count)))
    shard_terms = {}
    for term, found in postings.items():
        best = sorted(found, key=lambda p: (-p[1], p[0]))[:POSTINGS_PER_TERM]
        shard_terms[term] = [len(found), ",".join(f"{_b36(n)}:{_b36(c)}" for n, c in sorted(best))]
    _write_js(index.folder / f"t{shard}.js", f"csTerms({shard},", shard_terms)


def write_documents(index: ShardedIndex, rows: Iterable[tuple[str, ...]]) -> None:
    """Write the document shards from rows in document order; remove the spool.

    A row is (ID, title, metadata line) for a document, ("", title, "", location) for a site page.
    """
    batch: list[list[str]] = []
    number = 0
    for row in rows:
        batch.append(list(row))
        if len(batch) == DOCS_PER_SHARD:
            _write_js(index.folder / f"d{number}.js", f"csDocs({number},", batch)
            batch, number = [], number + 1
    if batch:
        _write_js(index.folder / f"d{number}.js", f"csDocs({number},", batch)
    shutil.rmtree(index.spool, ignore_errors=True)


def _b36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if not value:
            return out


def _write_js(path: Path, call: str, data) -> None:
    path.write_text(f"{call}{json.dumps(data, ensure_ascii=True, separators=(',', ':'))});\n", encoding="ascii")


def install(site: Path, settings: dict) -> None:
    """Make a built site use the sharded index: its search index holds only settings, its worker is ours."""
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {"config": {"lang": ["en"]}}
    # Material's page sends the worker only the index's config and docs: the settings ride in config.
    small = {"config": {**index.get("config", {}), "cleansite": settings}, "docs": []}
    write_search_index(site, small)
    for worker in (site / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        shutil.copyfile(search_worker(), worker)


def query_bytes(site: Path, query: str) -> dict:
    """What a browser downloads for one query beyond the page itself: the index, worker and shards."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    worker = sum(p.stat().st_size for p in (site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    settings = index.get("config", {}).get("cleansite")
    index_size = (site / "search" / "search_index.json").stat().st_size
    if not settings:
        lunr = site / "assets" / "javascripts" / "lunr" / "min" / "lunr.stemmer.support.min.js"
        return {"search": "material", "query_bytes": index_size + worker + (lunr.stat().st_size if lunr.exists() else 0)}
    folder = site / "search" / "cleansite"
    shards = {fnv1a(t) % settings["term_shards"] for t in terms(query)}
    loaded = sum((folder / f"t{s}.js").stat().st_size for s in shards)
    best = _best_documents(folder, query, settings)
    loaded += sum((folder / f"d{s}.js").stat().st_size for s in {n // settings["docs_per_shard"] for n in best})
    return {"search": "sharded", "query_bytes": index_size + worker + loaded}


def search(site: Path, query: str) -> list[str]:
    """What a query finds in a sharded site, best first (the worker's ranking, in Python): document IDs, site page locations."""
    folder = site / "search" / "cleansite"
    settings = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["cleansite"]
    ids = []
    for number in _best_documents(folder, query, settings):
        shard = number // settings["docs_per_shard"]
        docs = json.loads((folder / f"d{shard}.js").read_text()[len(f"csDocs({shard},") : -3])
        entry = docs[number % settings["docs_per_shard"]]
        ids.append(entry[0] or entry[3])  # a document's ID, or a site page's location
    return ids


def _best_documents(folder: Path, query: str, settings: dict) -> list[int]:
    scores: Counter = Counter()
    matched: Counter = Counter()
    for term in terms(query):
        shard = fnv1a(term) % settings["term_shards"]
        entries = json.loads((folder / f"t{shard}.js").read_text()[len(f"csTerms({shard},") : -3])
        if term not in entries:
            continue
        frequency, postings = entries[term]
        idf = math.log(1 + settings["documents"] / frequency)
        for pair in postings.split(","):
            number, count = (int(part, 36) for part in pair.split(":"))
            scores[number] += (1 + math.log(count)) * idf
            matched[number] += 1
    return sorted(scores, key=lambda n: (-matched[n], -scores[n], n))[: settings["results"]]
