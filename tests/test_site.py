"""The site: the bundled samples build with `mkdocs build --strict`, anchors land where they should."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cleansite.config import Config
from cleansite.pipeline import build
from conftest import PROJECT_DIR, project_copy


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = project_copy(tmp_path_factory.mktemp("site"))
    report = build(config)  # strict: any MkDocs warning (broken link or anchor) aborts
    assert report.errors == [] and len(report.documents) == 30
    return config.site_dir


def test_paragraph_anchor_lands_on_paragraph_nine(built_site: Path) -> None:
    page = (built_site / "cables" / "10CHENGDU28.html").read_text(encoding="utf-8")
    match = re.search(r'<p class="cable-para" id="p9">(.*?)</p>', page, re.S)
    assert match and "Deputy Coordinator of the Copyright Management Section" in match.group(1)


def test_every_document_has_a_page_and_the_index_lists_it(built_site: Path) -> None:
    pages = {p.stem for p in (built_site / "cables").glob("*.html")} - {"index"}
    listed = set()
    for month in (built_site / "cables" / "by-date").glob("*.html"):
        listed |= set(re.findall(r'href="\.\./(\d\w+)\.html"', month.read_text(encoding="utf-8")))
    assert pages == listed and len(pages) == 30


def test_search_index_holds_the_documents(built_site: Path) -> None:
    """A small collection uses the cleansite index too (same behaviour as a large one)."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == [] and index["config"]["cleansite"]["documents"] == 30 + 3
    texts = (built_site / "search" / "cleansite" / "x" / "0").glob("*.js")
    assert any('"p10","Zuo Zongshen' in text.read_text(encoding="utf-8") for text in texts)


def test_no_artefact_reaches_the_site(built_site: Path) -> None:
    for page in (built_site / "cables").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for artefact in ("Subscribe to Scoop", "Browse latest releases", "Twitter this", "00000028 002.2 OF 004"):
            assert artefact not in text, (page, artefact)


def test_a_broken_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    """Guards the validation settings of mkdocs.yml: a link to a missing anchor must fail."""
    from cleansite.site import SiteBuildFailed, build_site

    docs = tmp_path / "site_src"
    shutil.copytree(PROJECT_DIR / "site_src", docs, ignore=shutil.ignore_patterns("cables"))
    (docs / "cables").mkdir()
    (docs / "cables" / "index.md").write_text("# x\n\n[broken](../about.md#p999)\n", encoding="utf-8")
    shutil.copytree(PROJECT_DIR / "theme", tmp_path / "theme")
    shutil.copy(PROJECT_DIR / "mkdocs.yml", tmp_path / "mkdocs.yml")
    with pytest.raises(SiteBuildFailed):
        build_site(tmp_path / "mkdocs.yml", docs, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_site_built_in_shards_equals_the_one_built_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large collections are built by several MkDocs runs; the merged site must be the same site."""
    import cleansite.site

    def site_of(name: str) -> dict[str, bytes]:
        root = tmp_path / name
        shutil.copytree(PROJECT_DIR / "site_src", root / "site_src", ignore=shutil.ignore_patterns("cables"))
        shutil.copytree(PROJECT_DIR / "theme", root / "theme")
        shutil.copy(PROJECT_DIR / "mkdocs.yml", root / "mkdocs.yml")
        build(Config(pages=(PROJECT_DIR / "samples",), docs_dir=root / "site_src", config_file=root / "mkdocs.yml",
                     site_dir=root / "site", cache_dir=root / "cache", jobs=2))  # fmt: skip
        pages = sorted((root / "site").rglob("*.html"))
        built = {str(p.relative_to(root / "site")): p.read_bytes() for p in pages}
        index = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
        built["search entries"] = json.dumps(sorted(index["docs"], key=lambda e: e["location"])).encode()
        return built

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1291161600")
    whole = site_of("whole")
    monkeypatch.setattr(cleansite.site, "SHARDED_BUILD_ABOVE", 10)
    monkeypatch.setattr(cleansite.site, "SHARD_SIZE", 8)
    sharded = site_of("sharded")
    assert sharded.keys() == whole.keys() and len(whole) > 30
    different = [name for name in whole if whole[name] != sharded[name]]
    assert different == []


def test_the_link_check_of_sharded_builds_catches_a_broken_link(tmp_path: Path) -> None:
    from cleansite.site import SiteBuildFailed, check_links

    cables = tmp_path / "cables"
    cables.mkdir()
    (cables / "09TRIPOLI1.md").write_text("[x](09TRIPOLI2.md#p3)\n\ntext\n{: #p1 }\n", encoding="utf-8")
    (cables / "09TRIPOLI2.md").write_text("text\n{: #p2 }\n", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match="09TRIPOLI2.md#p3"):
        check_links(tmp_path)
    (cables / "09TRIPOLI2.md").write_text("text\n{: #p3 }\n", encoding="utf-8")
    check_links(tmp_path)
    (tmp_path / "about.md").write_text("# About\n\nSee [a cable](cables/09TRIPOLI3.md).\n", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match="about.md: link to cables/09TRIPOLI3.md"):
        check_links(tmp_path)


def test_a_shard_that_fails_fails_the_build_and_leaves_no_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cleansite.site

    monkeypatch.setattr(cleansite.site, "SHARDED_BUILD_ABOVE", 10)
    config = project_copy(tmp_path, jobs=2)
    (config.docs_dir / "notes.md").write_text("# Notes\n\n[an absolute link](/elsewhere)\n", encoding="utf-8")
    with pytest.raises(cleansite.site.SiteBuildFailed, match="failed: .*strict mode"):
        build(config)
    assert not config.site_dir.exists()
    assert not list(tmp_path.glob(".site*")) and not list(config.docs_dir.parent.glob("site_src/.*"))
