"""What one search query downloads at the size of the full release: the search index alone (no site) of
251,287 synthetic documents made from the real pages' vocabulary, then typical queries run by the site's
own engine (node), every file each one loads summed as a fresh page would load it.

    python bench/search_scale.py [--documents 251287] [--jobs 2] [--reuse]

The documents: every real document of ../shared/corpus (parsed once, through a cache) is copied
until there are ``--documents`` of them, as bench/synth.py copies pages: copy g of a cable keeps
its date, origin, classification and TAGS, its serial (and the serials it cites) moved by
g * 100,000. A real corpus of 251,287 cables has far more distinct words than 1,500 cables
copied: Heaps' law (distinct words = K n^b), fitted on the real pages, says how many. Each copy
therefore replaces words that are rare in the real pages (in at most ``FRESH_DF`` of them:
names, places, typos) by words of its own, drawn letter by letter from a model of the real words
(a Markov chain of order 3), so prefixes and endings are distributed as real words' are; each
such word is replaced in a copy with the probability that makes the distinct words of the whole
collection what Heaps' law predicts (``--fresh`` sets another share, 1 replaces them all).

The index is written by the build's own functions (``search.write_run``, ``write_term_shard``,
``searchfiles.write_text``, ``write_documents``) into ``bench/out/scale-<N>/search/cleansite``.
The queries are the four kinds of bench/search_quality.py, common words, phrases, every filter
(date range, origin, TAG, classification) with and without words, sorting and the third page of
results. A query's download is what Material's search box fetches for it on a page that has
fetched nothing yet: the settings (``search_index.json``), the worker and the engine, and every
index file the engine loads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus"
sys.path.insert(0, str(PROJECT))

from cleansite import api  # noqa: E402
from cleansite.model import Document, Summary  # noqa: E402
from cleansite.search import RUN_SIZE, ShardedIndex, document_terms, read_spool, write_run, write_term_shard  # noqa: E402
from cleansite.searchfiles import write_documents, write_lexicon_entries, write_text  # noqa: E402

FRESH_DF = 2  # a real word in at most this many real documents gets a word of its own in each copy
OFFSET = 100_000  # as bench/synth.py moves serials
_WORD = re.compile(r"[A-Za-z]+")
_ID = re.compile(r"^(\d\d[A-Z]+?)(\d+)$")

_REAL: list[Document] = []  # set in the parent before the workers fork
_MODEL: dict = {}
_FRESH: frozenset = frozenset()
_SHARE = 1.0  # of the rare words, the share a copy replaces
_COPIES = 1
_INDEX: ShardedIndex | None = None
_SPOOL = None


def real_documents(cache: Path) -> list[Document]:
    """Every document of the corpus with an ID, once, in date order (as the build numbers them)."""
    found: dict[str, Document] = {}
    for document in api.iter_documents([CORPUS], jobs=2, cache_dir=cache):
        if isinstance(document, Document) and document.id and document.id not in found:
            found[document.id] = document
    return sorted(found.values(), key=lambda d: (d.created is None, d.created or "", d.id))


def words_of(document: Document) -> set[str]:
    """The distinct words (letters only, 3 or more, lower case) of a document's indexed text."""
    text = " ".join([document.title or "", document.header, *(b.text for b in document.blocks), *(r.text for r in document.references)])
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3}


def letter_model(words: set[str]) -> dict:
    """An order-3 Markov chain of letters over the real words: three letters -> the next letter's counts (``$`` ends)."""
    model: dict[str, Counter] = defaultdict(Counter)
    for word in sorted(words):  # the same model in every process (set order is not)
        padded = "^^^" + word + "$"
        for i in range(3, len(padded)):
            model[padded[i - 3 : i]][padded[i]] += 1
    return {key: (sorted(counts), [counts[c] for c in sorted(counts)]) for key, counts in model.items()}


def fresh_word(word: str, copy: int) -> str:
    """The word copy ``copy`` writes for the real rare ``word``: drawn from the letter model, the same in every process."""
    rng = random.Random(int.from_bytes(hashlib.sha1(f"{word} {copy}".encode()).digest()[:8], "big"))
    for _ in range(20):
        state, out = "^^^", []
        while len(out) < 30:
            letters, weights = _MODEL[state]
            letter = rng.choices(letters, weights)[0]
            if letter == "$":
                break
            out.append(letter)
            state = state[1:] + letter
        made = "".join(out)
        if abs(len(made) - len(word)) <= 2 and len(made) >= 3:
            return made
    return made if len(made) >= 3 else word


def synthetic(number: int) -> Document:
    """Synthetic document ``number``: copy ``number % copies`` of real document ``number // copies``."""
    real, copy = _REAL[number // _COPIES], number % _COPIES
    if not copy:
        return real
    fields = iter(_pieces(number // _COPIES))
    cache: dict[str, str] = {}
    swap = lambda: rewritten(next(fields), copy, cache)  # noqa: E731 (the fields in the order _pieces lists them)
    title = swap() if real.title else None
    header = swap()
    blocks = tuple(replace(b, text=swap()) for b in real.blocks)
    references = tuple(replace(r, id=moved(r.id, copy), text=swap()) for r in real.references)
    return replace(real, id=moved(real.id, copy), title=title, header=header, blocks=blocks, references=references)


_PIECES: dict[int, list[list[str]]] = {}


def _pieces(real: int) -> list[list[str]]:
    """The text fields of real document ``real`` (title, header, blocks, REF entries) cut into text and rare words
    (every odd piece), once per process: a copy only rewrites the rare words."""
    if real not in _PIECES:
        document = _REAL[real]
        texts = ([document.title] if document.title else []) + [document.header]
        texts += [b.text for b in document.blocks] + [r.text for r in document.references]
        _PIECES[real] = [_cut(text) for text in texts]
    return _PIECES[real]


def _cut(text: str) -> list[str]:
    pieces, at = [], 0
    for found in _WORD.finditer(text):
        if found[0].lower() in _FRESH:
            pieces += [text[at : found.start()], found[0]]
            at = found.end()
    return pieces + [text[at:]]


def rewritten(pieces: list[str], copy: int, cache: dict[str, str]) -> str:
    """A field as copy ``copy`` writes it: a share of its rare words replaced by fresh ones (the same word alike)."""
    out = pieces[:]
    for i in range(1, len(out), 2):
        word = out[i].lower()
        if word not in cache:
            fresh = zlib.crc32(f"{word} {copy}".encode()) < _SHARE * 2**32
            cache[word] = fresh_word(word, copy) if fresh else word
        if cache[word] != word:
            out[i] = cache[word].upper() if out[i].isupper() else cache[word]
    return "".join(out)


def fresh_words(copy: int):
    """A function that rewrites a text as copy ``copy`` writes it (the title of a summary)."""
    cache: dict[str, str] = {}
    return lambda text: rewritten(_cut(text), copy, cache)


def moved(cable_id: str | None, copy: int) -> str | None:
    """``10CHENGDU28`` in copy 3 -> ``10CHENGDU300028``."""
    found = _ID.match(cable_id or "")
    return f"{found[1]}{int(found[2]) + copy * OFFSET}" if found else cable_id


def index_run(first: int) -> int:
    """Write one run: each document's text (excerpts) and its terms spooled by term shard."""
    numbers = range(first, min(first + RUN_SIZE, _INDEX.documents))
    documents = [(n, synthetic(n)) for n in numbers]
    for number, document in documents:
        write_text(_INDEX.folder, number, document)
    write_run(_INDEX, first, (document_terms(d) for _, d in documents))
    return len(documents)


def index_shard(shard: int) -> None:
    write_term_shard(_INDEX, shard, _SPOOL)


def summary(number: int) -> Summary:
    """What ``write_documents`` needs of a document: its row and facets."""
    real, copy = _REAL[number // _COPIES], number % _COPIES
    title = fresh_words(copy)(real.title) if real.title and copy else real.title
    return Summary(moved(real.id, copy), Path(""), "", title, real.created, real.origin, real.classification, real.tags, (), "", 0, "")


def heaps(real: list[Document], documents: int) -> tuple[int, int]:
    """Distinct words of the real documents, and Heaps' law (V = K n^b, fitted on growing prefixes of them) at ``documents``."""
    order = real[:]
    random.Random(1).shuffle(order)
    seen: set[str] = set()
    points = []
    for n, document in enumerate(order, start=1):
        seen |= words_of(document)
        if n % 100 == 0:
            points.append((math.log(n), math.log(len(seen))))
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return len(seen), round(math.exp(mean_y + slope * (math.log(documents) - mean_x)))


def build(out: Path, documents: int, jobs: int) -> dict:
    """Write the index of ``documents`` synthetic documents into ``out``; what it holds and how long it took."""
    global _INDEX, _SPOOL
    folder = out / "search" / "cleansite"
    shutil.rmtree(out, ignore_errors=True)
    _INDEX = ShardedIndex(folder, documents)
    _INDEX.spool.mkdir(parents=True)
    started = time.perf_counter()
    with Pool(jobs) as pool:
        for _ in pool.imap_unordered(index_run, [run.start for run in _INDEX.runs()]):
            pass
    _SPOOL = read_spool(_INDEX)
    with Pool(jobs) as pool:
        for _ in pool.imap_unordered(index_shard, range(_INDEX.shards), chunksize=64):
            pass
    write_documents(_INDEX, (summary(n) for n in range(documents)))
    settings = _INDEX.settings()
    (out / "search" / "search_index.json").write_text(json.dumps({"config": {"lang": ["en"], "cleansite": settings}, "docs": []}))
    lexicon = sum(len(p.read_text().split(",", 1)[1].split()) for p in folder.glob("lp*.js"))  # every word is in one "p" bucket
    sizes = [p.stat().st_size for p in folder.glob("t[0-9]*.js")]
    return {"documents": documents, "seconds": round(time.perf_counter() - started), "term_shards": len(sizes),
            "term_shard_kb_median": round(statistics.median(sizes) / 1024, 1), "term_shard_kb_max": round(max(sizes) / 1024, 1),
            "distinct_words": lexicon}  # fmt: skip


def relayout_lexicon(site: Path) -> None:
    """Write the lexicon of an index again, as this checkout lays it out, from the words of its ``p`` buckets."""
    folder = site / "search" / "cleansite"
    words = []
    for bucket in folder.glob("lp*.js"):
        text = bucket.read_text(encoding="ascii")
        for entry in json.loads(text[text.index(",") + 1 : -3]).split():
            word, frequency, *inline = entry.split(":")
            words.append((word, int(frequency, 36), inline[0] if inline else ""))
    for bucket in folder.glob("l*.js"):
        bucket.unlink()
    write_lexicon_entries(folder, words)
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text())
    index["config"]["cleansite"]["split"] = json.loads((folder / "splits.json").read_text())
    index_file.write_text(json.dumps(index))


def queries(site: Path, rng: random.Random, per_kind: int) -> list[tuple[str, str, dict]]:
    """(kind, query, options) of typical queries, made from the index itself (its documents' rows and rare words)."""
    sys.path.insert(0, str(PROJECT / "bench"))
    from search_quality import id_query, prefix_of

    folder = site / "search" / "cleansite"
    settings = json.loads((site / "search" / "search_index.json").read_text())["config"]["cleansite"]
    rare = rare_words(folder)
    made = []
    for number in rng.sample(sorted(rare), per_kind):  # documents with a rare word, as the quality bench draws them
        row = document_row(folder, number, settings["docs_per_shard"])
        made.append(("id", id_query({"id": row[0], "origin": row[3]}, rng), {}))
        word = rng.choice(sorted(rare[number]))
        made.append(("prefix", prefix_of(word), {}))
        position = rng.randrange(1, len(word))
        made.append(("typo", word[:position] + rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[position]])
                     + word[position + 1 :], {}))  # fmt: skip
        subject = re.findall(r"[a-z]{4,}", row[1].lower())
        if len(subject) >= 2:
            made.append(("two subject words", " ".join(rng.sample(subject, 2)), {}))
    common = ["embassy", "the embassy", "Qadhafi succession", '"human rights"', "minister of defense", "oil", "Zongshen"]
    made += [("common words", text, {}) for text in common]
    filters = [{"origin": "Embassy Tripoli"}, {"tag": "PGOV"}, {"classification": "SECRET"}, {"from": "2009-01", "to": "2009-12"},
               {"origin": "Embassy Manama", "tag": "PREL", "from": "2008-01", "to": "2009-12"}]  # fmt: skip
    made += [("filters, no words", "", {"filters": f}) for f in filters]
    made += [("filters and words", "government", {"filters": f}) for f in filters]
    made += [("sort", "election", {"sort": "newest"}), ("sort", "Qadhafi", {"sort": "oldest", "filters": {"tag": "LY"}})]
    made += [("page 3", "embassy", {"start": 20}), ("page 3", "oil", {"start": 20, "filters": {"tag": "EPET"}})]
    return made


def rare_words(folder: Path) -> dict[int, set[str]]:
    """Document -> its words of 6 letters or more that are in at most 5 documents (their postings are in the lexicon)."""
    found: dict[int, set[str]] = defaultdict(set)
    for bucket in folder.glob("lp*.js"):
        text = bucket.read_text(encoding="ascii")
        for entry in json.loads(text[text.index(",") + 1 : -3]).split():
            word, _, *inline = entry.split(":")
            if inline and len(word) >= 6:
                at = -1
                for gap in re.findall(r"([0-9a-z]+)[A-Z]", inline[0]):
                    at += int(gap, 36)
                    found[at].add(word)
    return found


def document_row(folder: Path, number: int, per_shard: int) -> list[str]:
    """A document's row in its document shard: ID, title, created, origin, classification, TAGS."""
    text = (folder / f"d{number // per_shard}.js").read_text(encoding="ascii")
    return json.loads(text[text.index(",") + 1 : -3])[number % per_shard]


def measure(site: Path, asked: list[tuple[str, str, dict]]) -> dict[str, list[int]]:
    """Bytes per query kind: settings, worker and engine (this checkout's), and every index file the engine loads for it."""
    scripts = site / "assets" / "javascripts"
    (scripts / "workers").mkdir(parents=True, exist_ok=True)
    theme = PROJECT / "theme" / "assets" / "javascripts"
    shutil.copy(theme / "cleansite-search-engine.js", scripts)
    shutil.copy(theme / "cleansite-search-worker.js", scripts / "workers" / "search.cleansite.min.js")
    runner = PROJECT / "generator" / "searchrun.js"
    request = json.dumps({"site": str(site), "queries": [{"query": q, "options": {"size": 10, **o}} for _, q, o in asked]})
    answers = json.loads(subprocess.run(["node", str(runner)], input=request, capture_output=True, text=True, check=True).stdout)
    fixed = sum(p.stat().st_size for p in (site / "search" / "search_index.json", scripts / "cleansite-search-engine.js",
                                           scripts / "workers" / "search.cleansite.min.js"))  # fmt: skip
    folder = site / "search" / "cleansite"
    by_kind: dict[str, list[int]] = defaultdict(list)
    for (kind, text, _), answer in zip(asked, answers, strict=True):
        loaded = sum((folder / name).stat().st_size for name in answer["loaded"] if (folder / name).exists())
        by_kind[kind].append(fixed + loaded)
        if fixed + loaded > 1_000_000:
            print(f"  over 1 MB: {kind} {text!r}: {(fixed + loaded) / 1e6:.2f} MB, {len(answer['loaded'])} files", file=sys.stderr)
    return by_kind


def main() -> None:
    global _REAL, _MODEL, _FRESH, _COPIES, _SHARE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=251_287)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--queries", type=int, default=60, help="documents sampled for the four query kinds")
    parser.add_argument("--reuse", action="store_true", help="measure the index already written")
    parser.add_argument("--relayout", action="store_true", help="with --reuse: write its lexicon again as this checkout does")
    parser.add_argument("--fresh", type=float, help="share of the rare words each copy replaces (default: as Heaps' law says)")
    args = parser.parse_args()
    out = PROJECT / "bench" / "out" / f"scale-{args.documents}"
    _REAL = real_documents(PROJECT / "bench" / "out" / "scale-cache")
    vocabulary: Counter = Counter()
    for document in _REAL:
        vocabulary.update(words_of(document))
    _MODEL = letter_model(set(vocabulary))
    _FRESH = frozenset(w for w, df in vocabulary.items() if df <= FRESH_DF)
    _COPIES = math.ceil(args.documents / len(_REAL))
    real_words, predicted = heaps(_REAL, args.documents)
    wanted = (predicted - real_words) / max(1, len(_FRESH) * (_COPIES - 1))
    _SHARE = args.fresh if args.fresh is not None else min(1.0, max(0.0, wanted))
    print(f"real documents {len(_REAL):,}, distinct words {real_words:,}; Heaps' law at {args.documents:,}: {predicted:,} words")
    print(f"copies of each {_COPIES}; of the {len(_FRESH):,} words in <= {FRESH_DF} real documents, each copy replaces {_SHARE:.1%}")
    if not args.reuse:
        print(json.dumps(build(out, args.documents, args.jobs)))
    elif args.relayout:
        relayout_lexicon(out)
    asked = queries(out, random.Random(12), args.queries)
    by_kind = measure(out, asked)
    print(f"{'query kind':20} {'queries':>7} {'median KB':>10} {'largest KB':>10}")
    for kind, sizes in by_kind.items():
        print(f"{kind:20} {len(sizes):7} {statistics.median(sizes) / 1024:10.0f} {max(sizes) / 1024:10.0f}")
    every = [size for sizes in by_kind.values() for size in sizes]
    print(f"{'every query':20} {len(every):7} {statistics.median(every) / 1024:10.0f} {max(every) / 1024:10.0f}")


if __name__ == "__main__":
    main()
