"""The sharded search index: what it finds, what one query downloads, the automatic switch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cleansite.pipeline import build
from cleansite.search import SHARDED_ABOVE, fnv1a, query_bytes, search, terms, use_sharded
from conftest import PROJECT_DIR, project_copy


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = project_copy(tmp_path_factory.mktemp("sharded"), search="sharded")
    build(config)
    return config.site_dir


def test_finds_documents_by_rare_and_common_words(sharded_site: Path) -> None:
    assert search(sharded_site, "Zongshen") == ["10CHENGDU28"]
    assert search(sharded_site, "Zongshen*")[:1] == ["10CHENGDU28"]  # Material adds wildcards
    found = search(sharded_site, "Qadhafi succession")
    assert "09TRIPOLI924" in found[:3]  # LIBYAN SUCCESSION: QADHAFI ORCHESTRATING THE BOYS' HIGH WIRE ACT?


def test_hand_written_pages_are_found_too(sharded_site: Path) -> None:
    assert search(sharded_site, "printout")[:1] == ["about.html"]  # "the page-break lines of the original printout"
    assert "cables/index.html" in search(sharded_site, "glance")  # "The collection at a glance"


def test_documents_leave_materials_index_and_the_worker_is_replaced(sharded_site: Path) -> None:
    index = json.loads((sharded_site / "search" / "search_index.json").read_text())
    assert index["docs"] == [] and index["config"]["cleansite"]["documents"] == 30 + 3  # and index, about, the overview
    worker = next((sharded_site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).read_text()
    assert "cleansite" in worker and "csTerms" in worker


def test_one_query_downloads_little(sharded_site: Path) -> None:
    figures = query_bytes(sharded_site, "Zongshen")
    assert figures["search"] == "sharded" and figures["query_bytes"] < 1_000_000


def test_the_switch_is_automatic_above_the_threshold_and_can_be_forced() -> None:
    assert not use_sharded("auto", SHARDED_ABOVE) and use_sharded("auto", SHARDED_ABOVE + 1)
    assert use_sharded("sharded", 1) and not use_sharded("material", 10**6)


def test_terms_and_hash_match_the_worker() -> None:
    assert terms("The U.S. Embassy, Tripoli: 5 a.m.") == {"embassy": 1, "tripoli": 1}
    assert fnv1a("a") == 0xE40C292C and fnv1a("foobar") == 0xBF9CF968  # the published FNV-1a test vectors
    worker = (PROJECT_DIR / "theme" / "assets" / "javascripts" / "cleansite-search-worker.js").read_text()
    assert "0x811c9dc5" in worker and "0x01000193" in worker and "/[a-z0-9]+/g" in worker


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
    assert sorted(p.name for p in folder.iterdir()) == ["d0.js", "t0.js", "t1.js", "t2.js"]  # the spool is gone
    merged = {}
    for shard in range(3):
        merged |= json.loads((folder / f"t{shard}.js").read_text()[len(f"csTerms({shard},") : -3])
    whole = {}
    for shard in (sharded_site / "search" / "cleansite").glob("t*.js"):
        whole |= json.loads(shard.read_text()[len(f"csTerms({shard.stem[1:]},") : -3])
    assert merged == whole and len(whole) > 1000
