"""How well the search finds a cable the way readers look for one, and what one query downloads.

``python bench/search_quality.py --half tune|test [--sample N] [--seed S] [--rebuild]`` builds a
site (sharded search) from one half of the real pages of ../shared/corpus, split by a hash of
each page's path as ``bench/fidelity.py`` splits them, into ``bench/out/search-<half>/`` (kept
for the next run unless ``--rebuild``), and measures it: the search is tuned on ``tune`` and the
README reports ``test``, a site of pages never looked at while tuning.
``python bench/search_quality.py --site SITE --docs DOCS`` measures any built site instead
(DOCS its ``site_src``: the generated ``cables/*.md`` give each cable's ID, origin and subject).
For a sample of cables it makes the four query kinds of issue 12 and counts how often the
cable is among the first 5 results of the site's own engine (node):

- ``id``: the ID as cables cite it (``09 TRIPOLI 583``, ``TRIPOLI 583``, ``TRIPOLI 000583``, ``09tripoli583``);
- ``prefix``: the first letters (60 %, at least 4; ``--prefix-share``) of a rare word of the cable (in at most 5 documents);
- ``typo``: a rare word of 6 letters or more with one letter changed (never the first);
- ``subject``: two words of the subject.

It prints one line per kind and the per-query download (median and largest) of the index files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus"
sys.path.insert(0, str(PROJECT))
from cleansite.search import STOPWORDS  # noqa: E402

from bench.fidelity import half_of  # noqa: E402

FIELDS = re.compile(r"^(id|origin|title): (.*)$", re.MULTILINE)


def cables(docs: Path) -> list[dict]:
    """ID, origin, title and body words of every generated page."""
    out = []
    for page in sorted((docs / "cables").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        fields = {k: v.strip().strip('"') for k, v in FIELDS.findall(text.split("\n---\n", 1)[0])}
        if fields.get("id") and fields["id"] != "null":
            body = cable_text(text.split("\n---\n", 1)[-1])
            fields["words"] = sorted(set(re.findall(r"\b[a-z]{6,}\b", re.sub(r"<[^>]+>|\([^)]*\.md[^)]*\)", " ", body).lower())))
            out.append(fields)
    return out


def cable_text(markdown: str) -> str:
    """What the index holds of a cable page: not the card, the "Cited by" list (other cables' subjects) nor the neighbours."""
    body = re.sub(r'<dl class="cable-meta".*?</dl>', " ", markdown, flags=re.DOTALL)
    return re.split(r"^## Cited by|^<nav class=\"cable-nav\"", body, maxsplit=1, flags=re.MULTILINE)[0]


def frequency(site: Path, settings: dict, word: str, cache: dict) -> int:
    """A word's document frequency, from the lexicon bucket of its first letters."""
    key = "p" + word[:2]
    if key in settings.get("split", []):
        key = "p" + word[:3]
    if key not in cache:
        text = (site / "search" / "cleansite" / f"l{key}.js").read_text()
        entries = json.loads(text[text.index(",") + 1 : -3]).split()
        cache[key] = {e.split(":")[0]: int(e.split(":")[1], 36) for e in entries}
    return cache[key].get(word, 0)


def id_query(cable: dict, rng: random.Random) -> str:
    match = re.fullmatch(r"(\d\d)([A-Z]+)(\d+)", cable["id"])
    year, code, serial = match.groups()
    name = re.sub(r"^(Embassy|Consulate|Mission|US Mission|US Office|Embasy)\s+", "", cable.get("origin", "")).upper()
    post = name if name.replace(" ", "") == code else code
    forms = [f"{year} {post} {serial}", f"{post} {serial}", f"{post} {int(serial):06d}", cable["id"].lower()]
    return rng.choice(forms)


def queries(cable: dict, site: Path, settings: dict, rng: random.Random, cache: dict) -> dict[str, str]:
    made = {"id": id_query(cable, rng)}
    rare = [w for w in cable["words"] if 1 <= frequency(site, settings, w, cache) <= 5]
    if rare:
        word = rng.choice(rare)
        made["prefix"] = prefix_of(word)
        position = rng.randrange(1, len(word))
        letter = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[position]])
        made["typo"] = word[:position] + letter + word[position + 1 :]
    title = cable.get("title", "").removeprefix(f"{cable['id']} — ")  # the page title starts with the ID: not a subject word
    subject = [w for w in re.findall(r"[a-z]{4,}", title.lower()) if w not in STOPWORDS]
    if len(subject) >= 2:
        made["subject"] = " ".join(rng.sample(subject, 2))
    return made


PREFIX_SHARE = 0.6  # of a word's letters typed for the prefix kind (--prefix-share)


def prefix_of(word: str) -> str:
    """The letters a reader has typed of ``word``: ``PREFIX_SHARE`` of them, at least 4."""
    return word[: max(4, round(len(word) * PREFIX_SHARE))]


def prefix_ceiling(site: Path, docs: Path, settings: dict) -> tuple[float, float]:
    """The best share of prefix queries any ranking could put in the first 5, with the query as the only clue.

    A prefix query is made by picking a cable, one of its rare words, and that word's first letters: a document's
    chance to be the one meant is the share of its rare words that make this prefix. Ranking by that chance is the
    best possible (first figure); the second ranks by the share of its rare words that *begin* with the prefix,
    i.e. without knowing how many letters readers type (``PREFIX_SHARE``).
    """
    cache: dict = {}
    rare_words = {}
    for cable in cables(docs):
        rare = [w for w in cable["words"] if 1 <= frequency(site, settings, w, cache) <= 5]
        if rare:
            rare_words[cable["id"]] = rare
    chance: dict[str, dict[str, float]] = {}
    for cable_id, rare in rare_words.items():
        for word in rare:
            by_cable = chance.setdefault(prefix_of(word), {})
            by_cable[cable_id] = by_cable.get(cable_id, 0) + 1 / len(rare)
    total = sum(sum(by_cable.values()) for by_cable in chance.values())
    best = sum(sum(sorted(by_cable.values(), reverse=True)[:5]) for by_cable in chance.values())
    blind = 0.0
    for prefix, by_cable in chance.items():
        share = {c: sum(w.startswith(prefix) for w in rare) / len(rare) for c, rare in rare_words.items()}
        blind += sum(by_cable.get(c, 0) for c in sorted((c for c in share if share[c]), key=lambda c: -share[c])[:5])
    return best / total, blind / total


def half_pages(half: str) -> list[Path]:
    """The real pages of one half (``tune`` or ``test``), split as bench/fidelity.py splits them."""
    pages = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    return [p for p in pages if half_of(p.relative_to(CORPUS).as_posix()) == half]


def build_half(half: str, rebuild: bool) -> tuple[Path, Path]:
    """Build (or reuse) the site of one half's pages with the sharded search; its site and docs folders."""
    out = PROJECT / "bench" / "out" / f"search-{half}"
    site, docs = out / "site", out / "site_src"
    if rebuild or not (site / "search" / "cleansite").exists():
        out.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "cleansite", "build", *map(str, half_pages(half)), "--docs", str(docs), "--site", str(site),
                   "--cache", str(out / "cache"), "--search", "sharded"]  # fmt: skip
        done = subprocess.run(command, cwd=out, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"building the {half} half failed:\n{done.stderr}")
    return site, docs


def main() -> None:
    global PREFIX_SHARE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=["tune", "test"], help="build and measure the site of one half of the real pages")
    parser.add_argument("--site", type=Path, help="a built site to measure instead")
    parser.add_argument("--docs", type=Path, help="its site_src")
    parser.add_argument("--rebuild", action="store_true", help="build the half's site again")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--prefix-share", type=float, default=0.6, help="share of a word's letters typed")
    parser.add_argument("--ceiling", action="store_true", help="also print the best prefix figure any ranking could reach")
    parser.add_argument("--unseen", action="store_true", help="only cables the other half's site does not hold (a cable saved "
                        "in two forms may fall in both halves)")  # fmt: skip
    args = parser.parse_args()
    PREFIX_SHARE = args.prefix_share
    if args.half:
        args.site, args.docs = build_half(args.half, args.rebuild)
    elif not (args.site and args.docs):
        parser.error("give --half, or --site and --docs")
    settings = json.loads((args.site / "search" / "search_index.json").read_text())["config"]["cleansite"]
    rng = random.Random(args.seed)
    pool = cables(args.docs)
    if args.unseen and args.half:
        other = PROJECT / "bench" / "out" / f"search-{'test' if args.half == 'tune' else 'tune'}" / "site_src" / "cables"
        pool = [cable for cable in pool if not (other / f"{cable['id']}.md").exists()]
    sample = rng.sample(pool, min(args.sample, len(pool)))
    cache: dict = {}
    asked = [(cable["id"], kind, text) for cable in sample for kind, text in queries(cable, args.site, settings, rng, cache).items()]
    answers = query_many(args.site, [text for _, _, text in asked])
    folder = args.site / "search" / "cleansite"
    found: dict[str, list[bool]] = {}
    sizes = []
    for (cable_id, kind, text), answer in zip(asked, answers, strict=True):
        hit = cable_id in [item["id"] for item in answer["items"][:5]]
        found.setdefault(kind, []).append(hit)
        sizes.append(sum((folder / name).stat().st_size for name in answer["loaded"] if (folder / name).exists()))
        if not hit:
            print(f"  miss {kind}: {text!r} for {cable_id}", file=sys.stderr)
    for kind, hits in found.items():
        print(f"{kind:8} {sum(hits):4} / {len(hits):4}  {100 * sum(hits) / len(hits):5.1f} % in the first 5")
    print(f"index files per query: median {statistics.median(sizes) / 1024:.0f} KB, largest {max(sizes) / 1024:.0f} KB")
    if args.ceiling:
        best, blind = prefix_ceiling(args.site, args.docs, settings)
        print(f"prefix ceiling (all cables): {100 * best:.1f} % by the best ranking, {100 * blind:.1f} % not knowing how much is typed")


def query_many(site: Path, texts: list[str]) -> list[dict]:
    """Every query through one node process."""
    runner = Path(__file__).resolve().parent.parent / "generator" / "searchrun.js"
    request = json.dumps({"site": str(site), "queries": [{"query": t, "options": {"size": 5}} for t in texts]})
    done = subprocess.run(["node", str(runner)], input=request, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    main()
