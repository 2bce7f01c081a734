"""Search that knows cables: a static index split into files that a query loads on demand.

The build writes it into ``search/cleansite/`` (``searchfiles.py`` writes the files besides
the term shards); the engine ``theme/assets/javascripts/cleansite-search-engine.js`` reads
it in Material's search box (through ``cleansite-search-worker.js``, which speaks the
protocol of Material's search worker), on the search page, and in the tests (node).
Term shards (``t<N>.js``: term -> document frequency and the best postings) are chosen by a
hash of the term. Terms are the words of a document (its title counts ``TITLE_WEIGHT``
times), pairs of neighbouring words (for quoted phrases), and its ID in two forms
(``10chengdu28``, ``chengdu28``: how cables cite each other); the IDs a document cites are
terms of it too, so a search for an ID lists the cable, then the cables citing it.
Shards are JavaScript files loaded with ``importScripts`` or a script tag: that also works from file://.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleansite.model import Document
from cleansite.resources import search_worker

DOCS_PER_SHARD = 50  # a result page of 10 loads at most 10 document shards (about 150 bytes per document)
POSTINGS_PER_TERM = 1000
RARE = 5  # a word in at most this many documents keeps its postings in the lexicon, not in a term shard
PAIR_MIN_DOCUMENTS = 3  # rarer word pairs are left out (6 in 7 of the pairs): a phrase of rare words is found by its words
TITLE_WEIGHT = 5
OWN_ID_WEIGHT = 50
BM25_K1, BM25_B = 1.2, 0.75  # the usual values: how fast repeated use saturates, how much length matters
IMPACT_LEVELS = 26  # a posting's impact is one capital letter
RUN_SIZE = 500  # documents per spool run (one worker task; its postings are held at once)
RESULTS = 20
_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
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
    """The cleansite index unless ``material`` is asked for: small collections search the same way as large ones."""
    return mode != "material"


def words_of(text: str) -> list[str]:
    """The index words of a text in order: lower-case runs of letters and digits, two characters or more, no stopword."""
    return [t for t in _TOKEN.findall(text.lower()) if len(t) > 1 and t not in STOPWORDS]


def terms(text: str) -> Counter:
    """The index terms of a text: lower-case runs of letters and digits, two characters or more."""
    return Counter(words_of(text))


def pairs(text: str) -> Counter:
    """Neighbouring words of a text, stopwords left out (``minister of defense`` -> ``minister defense``): quoted phrases."""
    return Counter(_pairs_of(words_of(text)))


def _pairs_of(words: list[str]) -> Iterator[str]:
    return map(" ".join, zip(words, words[1:], strict=False))


def id_terms(cable_id: str | None, weight: int) -> Counter:
    """The terms of an ID as cables cite it: ``10CHENGDU28`` -> ``10chengdu28`` and ``chengdu28``."""
    if not cable_id:
        return Counter()
    return Counter({cable_id.lower(): weight, cable_id[2:].lower(): weight})


def document_terms(document: Document) -> Counter:
    """A document's index terms: its words and phrases (title words count more), its ID, the IDs it cites and its REF entries' words."""
    counts = Counter()
    title = words_of(document.title or "")
    for _ in range(TITLE_WEIGHT):
        counts.update(title)
    for block in (document.header, *(block.text for block in document.blocks)):
        words = words_of(block)  # each text split once, for its words and its pairs
        counts.update(words)
        counts.update(_pairs_of(words))
    counts.update(_pairs_of(title))
    for reference in document.references:
        counts.update(id_terms(reference.id, 1))
        counts.update(words_of(reference.text))
    counts.update(id_terms(document.id, OWN_ID_WEIGHT))
    return counts


def page_terms(page: SitePage) -> Counter:
    """A hand-written page's index terms: its words and phrases."""
    text = f"{page.title} {page.text}"
    return terms(text) + pairs(text)


def fnv1a(term: str) -> int:
    """FNV-1a, 32 bits, over the term's characters (the worker computes the same)."""
    value = 0x811C9DC5
    # Index terms are ASCII ([a-z0-9 ]): their bytes are their character codes, without a call to ord() each.
    for code in term.encode("ascii") if term.isascii() else map(ord, term):
        value = ((value ^ code) * 0x01000193) & 0xFFFFFFFF
    return value


def term_shard_count(documents: int) -> int:
    """About one term shard per 10 documents (25,128 at 251,287), at least one: a query loads a few of them."""
    return max(1, min(32768, documents // 10))


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
        return {"term_shards": self.shards, "docs_per_shard": DOCS_PER_SHARD, "documents": self.documents, "results": RESULTS,
                "split": lexicon_splits(self.folder)}  # fmt: skip


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


def document_length(counts: Counter) -> int:
    """How long a document is for ranking: its words (title words counted as often as they weigh), not pairs nor IDs."""
    return sum(count for term, count in counts.items() if term.isalpha()) or 1  # terms are [a-z0-9 ]: letters only


def impact(count: int, length: int, mean_length: float) -> int:
    """A posting's weight, BM25's term-frequency part quantised to 1..26: a word counts for more in a short
    document than in a long one, and its tenth use adds less than its first (Robertson and Zaragoza, 2009)."""
    part = count * (BM25_K1 + 1) / (count + BM25_K1 * (1 - BM25_B + BM25_B * length / mean_length))
    return max(1, min(IMPACT_LEVELS, round(part / (BM25_K1 + 1) * IMPACT_LEVELS)))


def write_run(index: ShardedIndex, first: int, counts: Iterable[Counter]) -> None:
    """Spool the terms of documents ``first``, ``first + 1``...: lines grouped by term shard, where each group
    starts, and the run's total length (the mean document length weighs every posting)."""
    groups: dict[int, list[str]] = defaultdict(list)
    shard_of: dict[str, int] = {}  # a run's documents share most of their terms: each is hashed once
    total = documents = 0
    for number, terms_of_document in enumerate(counts, start=first):
        length = document_length(terms_of_document)
        total, documents = total + length, documents + 1
        for term, count in terms_of_document.items():
            shard = shard_of.get(term)
            if shard is None:
                shard = shard_of[term] = fnv1a(term) % index.shards
            groups[shard].append(f"{term}\t{number}\t{count}\t{length}\n")
    offsets = array("q")
    with (index.spool / f"{first}.tsv").open("wb") as out:
        for shard in range(index.shards):
            offsets.append(out.tell())
            out.write("".join(groups.get(shard, ())).encode("utf-8"))
        offsets.append(out.tell())
    offsets.extend((total, documents))
    (index.spool / f"{first}.offsets").write_bytes(offsets.tobytes())


@dataclass(frozen=True, slots=True)
class Spool:
    """What the term-shard tasks need of the spooled runs: where each shard's group starts in each run, and the
    mean document length."""

    offsets: dict[int, array]
    mean_length: float


def read_spool(index: ShardedIndex) -> Spool:
    """The group offsets of every run (8 bytes per run and shard) and the mean document length."""
    offsets, total, documents = {}, 0, 0
    for first in (run.start for run in index.runs()):
        found = array("q")
        found.frombytes((index.spool / f"{first}.offsets").read_bytes())
        total, documents = total + found[-2], documents + found[-1]
        offsets[first] = found[:-2]
    return Spool(offsets, total / max(1, documents))


def write_term_shard(index: ShardedIndex, shard: int, spool: Spool) -> None:
    """Gather one term shard from every run and write it (term -> [document frequency, best postings]); spool its words for the lexicon."""
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    weights: dict[str, int] = {}  # "count<TAB>length" -> impact: a few thousand pairs recur over a shard's postings
    for first, starts in spool.offsets.items():
        with (index.spool / f"{first}.tsv").open("rb") as run:
            run.seek(starts[shard])
            for line in run.read(starts[shard + 1] - starts[shard]).decode("utf-8").splitlines():
                term, number, count_length = line.split("\t", 2)
                weight = weights.get(count_length)
                if weight is None:
                    count, length = count_length.split("\t")
                    weight = weights[count_length] = impact(int(count), int(length), spool.mean_length)
                postings[term].append((int(number), weight))
    shard_terms, words = {}, []
    for term, found in postings.items():
        if _LEXICON_WORD.fullmatch(term):  # words live in the lexicon, the rare ones with their postings
            inline = encode_postings(found) if len(found) <= RARE else ""  # runs in order, documents in order in each
            words.append(f"{term}\t{len(found)}\t{inline}\n")
            if inline:
                continue
        if " " in term and len(found) < PAIR_MIN_DOCUMENTS:
            continue
        best = sorted(found, key=lambda p: (-p[1], p[0]))[:POSTINGS_PER_TERM]
        shard_terms[term] = [len(found), encode_postings(sorted(best))]
    write_js(index.folder / f"t{shard}.js", f"csTerms({shard},", shard_terms)
    (index.spool / f"lex{shard}.tsv").write_text("".join(words), encoding="utf-8")


def encode_postings(postings: list[tuple[int, int]]) -> str:
    """Postings sorted by document: each the gap from the previous document in base 36 (lower case), then its
    impact as one capital letter (``A`` = 1): ``3F1A`` is document 2 with impact 6, then document 3 with impact 1."""
    out, previous = [], -1
    for number, weight in postings:
        out.append(f"{_b36(number - previous)}{chr(64 + weight)}")
        previous = number
    return "".join(out)


_LEXICON_WORD = re.compile(r"[a-z]{3,}")  # what prefixes and typos can expand to: words of letters


def _b36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if not value:
            return out


def b36(value: int) -> str:
    """``value`` in base 36, as the index writes numbers."""
    return _b36(value)


def write_js(path: Path, call: str, data) -> None:
    """A data file of the index: a script that hands ``data`` to the engine's ``call``."""
    path.write_text(f"{call}{json.dumps(data, ensure_ascii=True, separators=(',', ':'))});\n", encoding="ascii")


def lexicon_splits(folder: Path) -> list[str]:
    """The lexicon buckets that were split by one more letter (written by ``searchfiles.write_lexicon_entries``)."""
    splits = folder / "splits.json"
    return json.loads(splits.read_text(encoding="utf-8")) if splits.exists() else []


def install(site: Path, settings: dict) -> None:
    """Make a built site use the cleansite index: its search index holds only settings, its worker is ours."""
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {"config": {"lang": ["en"]}}
    # Material's page sends the worker only the index's config and docs: the settings ride in config.
    small = {"config": {**index.get("config", {}), "cleansite": settings}, "docs": []}
    from cleansite.site import write_search_index  # it imports MkDocs, which ``convert`` (asking use_sharded) does not need

    write_search_index(site, small)
    write_js(site / "search" / "cleansite" / "settings.js", "csSettings(", settings)  # for the search page (no fetch from file://)
    for worker in (site / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        shutil.copyfile(search_worker(), worker)


def query(site: Path, text: str, **options) -> dict:
    """Run the site's own engine (node) on one query: results, count and the files it loaded.

    ``options`` go to the engine: ``filters`` ({origin, classification, tag, from, to}),
    ``sort`` (relevance, newest, oldest), ``start``, ``size``.
    """
    runner = Path(__file__).resolve().parent / "searchrun.js"
    request = json.dumps({"site": str(site), "query": text, "options": options})
    done = subprocess.run(["node", str(runner)], input=request, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def search(site: Path, text: str, **options) -> list[str]:
    """What a query finds, best first: document IDs, or a site page's location."""
    return [item["id"] or item["location"] for item in query(site, text, **options)["items"]]


def query_bytes(site: Path, text: str) -> dict:
    """What a browser downloads for one query beyond the page itself: the index settings, worker, engine and the files it loads."""
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    scripts = site / "assets" / "javascripts"
    worker = sum(p.stat().st_size for p in (scripts / "workers").glob("search.*.min.js"))
    if not index.get("config", {}).get("cleansite"):
        lunr = scripts / "lunr" / "min" / "lunr.stemmer.support.min.js"
        return {"search": "material", "query_bytes": index_file.stat().st_size + worker + (lunr.stat().st_size if lunr.exists() else 0)}
    loaded = query(site, text)["loaded"]
    folder = site / "search" / "cleansite"
    files = sum((folder / name).stat().st_size for name in loaded if (folder / name).exists())
    engine = (scripts / "cleansite-search-engine.js").stat().st_size
    return {"search": "sharded", "query_bytes": index_file.stat().st_size + worker + engine + files, "files": len(loaded)}
