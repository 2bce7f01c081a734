"""The command line: JSON records, exit statuses, one-line errors, help text for every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cleansite.cli import main, make_parser
from conftest import PAGES_DIR, PROJECT_DIR, project_copy


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleansite", *args], capture_output=True, text=True, cwd=PROJECT_DIR)


def test_parse_prints_one_json_object_per_page() -> None:
    result = _run("parse", str(PAGES_DIR / "scoop-text"), str(PAGES_DIR / "pdf-text"))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(records) == 4
    keys = {
        "path",
        "source",
        "id",
        "subject",
        "title",
        "created",
        "origin",
        "classification",
        "tags",
        "references",
        "blocks",
        "text",
        "removed",
    }
    assert all(keys <= record.keys() for record in records)


def test_a_bad_page_gives_an_error_line_and_the_others_still_come_out(tmp_path: Path) -> None:
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "c.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    result = _run("parse", str(tmp_path))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert records[0] == {"path": str(tmp_path / "a-empty.txt"), "error": "empty file"}
    assert records[1]["error"].startswith("binary file (PNG image)")
    assert records[2]["id"] == "10CHENGDU28"


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert _run("parse", str(tmp_path / "missing")).returncode == 2
    assert _run("frobnicate").returncode == 2


def test_every_command_and_option_has_help() -> None:
    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse has no public accessor
    assert set(commands) == {"build", "convert", "parse", "serve", "new"}
    for name, command in commands.items():
        for action in command._actions:  # noqa: SLF001
            assert action.help, f"{name} {action.dest} lacks help"


def test_every_command_is_in_the_readme() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    for command in ("cleansite build", "cleansite convert", "cleansite parse", "cleansite serve", "cleansite new"):
        assert command in readme


def test_convert_writes_markdown_only(tmp_path: Path) -> None:
    assert main(["convert", str(PAGES_DIR / "scoop-text"), "--docs", str(tmp_path)]) == 0
    assert (tmp_path / "cables" / "10CHENGDU28.md").is_file()
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("flag", ["--strict"])
def test_strict_fails_on_a_bad_page_and_writes_nothing(tmp_path: Path, flag: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "empty.txt").write_bytes(b"")
    (pages / "c.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    assert main(["convert", str(pages), "--docs", str(tmp_path / "docs"), flag]) == 1
    assert not (tmp_path / "docs" / "cables").exists()


def test_strict_names_the_bad_page_before_failing(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = _run("convert", str(tmp_path), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "cache"), "--strict")
    assert result.returncode == 1
    named = result.stderr.index(f"{tmp_path / 'empty.txt'}: empty file")
    assert named < result.stderr.index("(--strict)")


def test_new_writes_a_starter_site_and_never_overwrites(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "demo")]) == 0
    assert {p.relative_to(tmp_path / "demo").as_posix() for p in (tmp_path / "demo").rglob("*") if p.is_file()} == {
        "mkdocs.yml", "site_src/index.md", "site_src/search.md", ".gitignore"}  # fmt: skip
    assert main(["new", str(tmp_path / "demo")]) == 1


def test_build_in_a_new_site_uses_its_mkdocs_yml_and_writes_beside_it(tmp_path: Path) -> None:
    """``cleansite new demo && cd demo && cleansite build PAGES``: site_src/, site/ and the cache in demo/."""
    assert main(["new", str(tmp_path / "demo")]) == 0
    page = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"
    result = subprocess.run([sys.executable, "-m", "cleansite", "build", str(page)], capture_output=True, text=True, cwd=tmp_path / "demo")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "demo" / "site" / "cables" / "10CHENGDU28.html").read_text(encoding="utf-8")
    assert 'id="p9"' in html and "cleansite.css" in html  # the reading theme comes from the plugin
    assert (tmp_path / "demo" / "site" / "search.html").is_file()  # where the search box's "all results" link leads
    assert (tmp_path / "demo" / ".cleansite-cache").is_dir() and (tmp_path / "demo" / "site_src" / "cables").is_dir()


def test_build_in_a_folder_without_mkdocs_yml_uses_the_bundled_one(tmp_path: Path) -> None:
    page = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"
    result = subprocess.run([sys.executable, "-m", "cleansite", "build", str(page)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "cables" / "10CHENGDU28.html").is_file() and (tmp_path / "site_src" / "index.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cleansite-cache", "site", "site_src"]


def test_build_with_relative_paths_from_another_folder(tmp_path: Path) -> None:
    """MkDocs reads a relative site folder against mkdocs.yml's folder; cleansite, against the working one."""
    project_copy(tmp_path / "project")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "c.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "cleansite", "build", "pages", "--docs", "project/site_src", "--config", "project/mkdocs.yml",
         "--site", "out/site", "--cache", "out/cache"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "site" / "cables" / "10CHENGDU28.html").is_file()
    assert not (tmp_path / "project" / "out").exists()
