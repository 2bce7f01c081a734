"""The cleansite search index, queried with the site's own engine (node): IDs in every written
form, prefixes, typos, spelling variants, phrases, counts and paging, excerpts, filters, sorting,
what one query downloads, and the index written in many runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cleansite.pipeline import build
from cleansite.search import IMPACT_LEVELS, encode_postings, fnv1a, impact, query, query_bytes, search, terms, use_sharded
from conftest import PROJECT_DIR, project_copy

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="the engine runs in node (apt-get install nodejs)")


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = project_copy(tmp_path_factory.mktemp("sharded"), search="sharded")
    build(config)
    return config.site_dir


@pytest.mark.parametrize("written", ["10CHENGDU28", "10 CHENGDU 28", "CHENGDU 28", "CHENGDU 000028", "10chengdu28", "chengdu 28"])
def test_an_id_in_every_written_form_finds_its_cable_first(sharded_site: Path, written: str) -> None:
    assert search(sharded_site, written)[0] == "10CHENGDU28"


def test_an_id_of_a_post_in_two_words_and_with_a_four_digit_year(sharded_site: Path) -> None:
    assert search(sharded_site, "2009 THE HAGUE 247")[0] == "09THEHAGUE247"
    assert search(sharded_site, "09 TRIPOLI 924")[0] == "09TRIPOLI924"


def test_an_id_no_document_has_is_words_after_all(sharded_site: Path) -> None:
    answer = query(sharded_site, "Tripoli 2009 succession")  # "TRIPOLI 2009" could be an ID: none is in the collection
    assert "09TRIPOLI924" in [item["id"] for item in answer["items"][:3]]


def test_the_first_letters_of_a_word_find_it_while_typing(sharded_site: Path) -> None:
    assert search(sharded_site, "Zongsh")[:1] == ["10CHENGDU28"]
    assert search(sharded_site, "Zongsh ") == []  # a space ends the word: no prefix any more


def test_a_rare_completion_ranks_above_common_ones(sharded_site: Path) -> None:
    """``Affai`` begins ``affairs`` (in most documents) and ``affaires`` (as in chargé d'affaires, in a few): the word that
    singles out a document is the likelier one, so a document holding ``affaires`` alone comes first."""
    first = query(sharded_site, "Affai", size=3)["items"][0]
    assert first["terms"] == ["affaires"]
    assert search(sharded_site, "Zongs")[:1] == ["10CHENGDU28"]


def test_postings_are_gaps_and_impacts() -> None:
    assert encode_postings([(2, 6), (3, 1), (40, 26)]) == "3F1A11Z"  # gaps 3, 1, 37 (base 36: 11)
    assert impact(1, 100, 100.0) < impact(3, 100, 100.0) < impact(30, 100, 100.0) <= IMPACT_LEVELS  # more uses, more weight, bounded
    assert impact(1, 50, 100.0) > impact(1, 100, 100.0) > impact(1, 400, 100.0) >= 1  # the same use weighs more in a shorter text


def test_one_letter_wrong_finds_the_word_ranked_below_exact_hits(sharded_site: Path) -> None:
    assert search(sharded_site, "Zongshan")[:1] == ["10CHENGDU28"]  # the example (Zongshen)
    assert search(sharded_site, "Zomgshen")[:1] == ["10CHENGDU28"]  # a typo among the first two letters' bucket
    answer = query(sharded_site, "Tripoly")  # too short for typos? no: 7 letters; exact "tripoli" is not "tripoly"
    assert answer["total"] > 0


def test_spelling_variants_from_the_table(sharded_site: Path) -> None:
    qadhafi = query(sharded_site, "Qadhafi ")["total"]
    assert qadhafi > 3 and query(sharded_site, "Gaddafi ")["total"] >= qadhafi


def test_quoted_phrases_need_their_words_together(sharded_site: Path) -> None:
    loose, phrase = query(sharded_site, "human rights "), query(sharded_site, '"human rights"')
    assert 0 < phrase["total"] <= loose["total"]
    assert all("human" in item["terms"] and "rights" in item["terms"] for item in phrase["items"])


def test_true_count_and_paging(sharded_site: Path) -> None:
    first = query(sharded_site, "embassy ", size=5)
    second = query(sharded_site, "embassy ", size=5, start=5)
    assert first["total"] > 10 and not first["approximate"]
    assert len(first["items"]) == 5 and len(second["items"]) == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_excerpt_is_the_best_paragraph_with_the_terms_marked(sharded_site: Path) -> None:
    item = query(sharded_site, "Zongshen ")["items"][0]
    assert item["anchor"] == "p10" and "<mark>Zongshen</mark>" in item["excerpt"]
    assert "<script" not in json.dumps(query(sharded_site, "script alert")["items"])


def test_filters_and_sorting(sharded_site: Path) -> None:
    tripoli = query(sharded_site, "Qadhafi ", filters={"origin": "Embassy Tripoli"}, size=50)
    assert tripoli["items"] and all(item["origin"] == "Embassy Tripoli" for item in tripoli["items"])
    dated = query(sharded_site, "", filters={"from": "2009-01", "to": "2009-12"}, sort="oldest", size=50)
    created = [item["created"] for item in dated["items"]]
    assert created == sorted(created) and all(c.startswith("2009") for c in created) and dated["total"] == len(created)
    tagged = query(sharded_site, "", filters={"tag": "PGOV"}, size=100)
    assert tagged["total"] > 3 and all("PGOV" in item["tags"].split() for item in tagged["items"])
    secret = query(sharded_site, "", filters={"classification": "SECRET"}, sort="newest", size=100)
    assert all(item["classification"] == "SECRET" for item in secret["items"])


def test_hand_written_pages_are_found_too(sharded_site: Path) -> None:
    assert search(sharded_site, "printout")[:1] == ["about.html"]  # "the page-break lines of the original printout"
    assert "cables/index.html" in search(sharded_site, "glance")  # "The collection at a glance"


def test_documents_leave_materials_index_and_the_worker_is_replaced(sharded_site: Path) -> None:
    index = json.loads((sharded_site / "search" / "search_index.json").read_text())
    assert index["docs"] == [] and index["config"]["cleansite"]["documents"] == 30 + 3  # index, about, overview
    worker = next((sharded_site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).read_text()
    assert "cleansite" in worker and "CleansiteSearch" in worker


def test_one_query_downloads_little(sharded_site: Path) -> None:
    figures = query_bytes(sharded_site, "Zongshen")
    assert figures["search"] == "sharded" and figures["query_bytes"] < 1_000_000


def test_the_cleansite_index_is_used_at_every_size_unless_material_is_asked_for() -> None:
    assert use_sharded("auto", 1) and use_sharded("auto", 10**6) and use_sharded("sharded", 1)
    assert not use_sharded("material", 10**6)


def test_terms_and_hash_match_the_worker() -> None:
    assert terms("The U.S. Embassy, Tripoli: 5 a.m.") == {"embassy": 1, "tripoli": 1}
    assert fnv1a("a") == 0xE40C292C and fnv1a("foobar") == 0xBF9CF968  # the published FNV-1a test vectors
    engine = (PROJECT_DIR / "theme" / "assets" / "javascripts" / "cleansite-search-engine.js").read_text()
    assert "0x811c9dc5" in engine and "0x01000193" in engine and "/[a-z0-9]+/g" in engine


def test_an_index_written_in_many_runs_and_workers_is_the_same_index(
    sharded_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of 7 documents and 3 term shards, two workers: the shards must hold what one run gives."""
    import cleansite.search

    monkeypatch.setattr(cleansite.search, "RUN_SIZE", 7)
    monkeypatch.setattr(cleansite.search, "term_shard_count", lambda documents: 3)
    config = project_copy(tmp_path, search="sharded", jobs=2)
    build(config)
    assert search(config.site_dir, "Qadhafi succession") == search(sharded_site, "Qadhafi succession")
    folder = config.site_dir / "search" / "cleansite"
    assert not (folder / "spool").exists() and sorted(p.name for p in folder.glob("t[0-9]*.js")) == ["t0.js", "t1.js", "t2.js"]
    merged = {}
    for shard in range(3):
        merged |= json.loads((folder / f"t{shard}.js").read_text()[len(f"csTerms({shard},") : -3])
    whole = {}
    for shard in (sharded_site / "search" / "cleansite").glob("t[0-9]*.js"):
        whole |= json.loads(shard.read_text()[len(f"csTerms({shard.stem[1:]},") : -3])
    assert merged == whole and len(whole) > 500


def test_a_lexicon_split_level_by_level_finds_the_same_words(sharded_site: Path, tmp_path: Path, monkeypatch) -> None:
    """Buckets of more than a few words split by one more letter, suffixes down to five: corrections and completions
    come out as from the whole buckets, and a word too short for a level stays in the bucket above."""
    import cleansite.searchfiles

    monkeypatch.setattr(cleansite.searchfiles, "LEXICON_SPLIT", 20)
    config = project_copy(tmp_path, search="sharded")
    build(config)
    splits = json.loads((config.site_dir / "search" / "cleansite" / "splits.json").read_text())
    assert any(key.startswith("s") and len(key) == 5 for key in splits)  # split at four letters: buckets of the last five
    assert not any(key.startswith("p") and len(key) > 3 for key in splits)  # a prefix finds all its completions in one bucket
    for text in ("Zongshan", "Zomgshen", "Zongsh", "Affai", "Qadhafi succession", "the embassy"):
        assert search(config.site_dir, text) == search(sharded_site, text), text
