"""Fault injection: kills at every phase boundary, stale pages, a full disk, corrupt cache entries, a second build.

After any of them nothing built is lost or mixed, and the next build succeeds.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cleansite import faults
from cleansite.cli import main
from cleansite.config import Config
from cleansite.lock import output_lock
from cleansite.pipeline import build, convert
from cleansite.swap import JOURNAL_NAME, finish_swap
from conftest import PAGES_DIR, PROJECT_DIR, project_copy

CHENGDU = (PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_text(encoding="utf-8")
WORD = "Zongshen"


def _pages(folder: Path, word: str) -> Path:
    """One real page (10CHENGDU28) whose company name is ``word``: two sets with one ID and different text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "10CHENGDU28.txt").write_text(CHENGDU.replace(WORD, word), encoding="utf-8")
    return folder


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _state(config: Config) -> tuple[dict, dict]:
    return tree_hash(config.docs_dir), tree_hash(config.site_dir)


def _cli_build(config: Config, pages: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cleansite", "build", str(pages), "--docs", str(config.docs_dir), "--site", str(config.site_dir),
               "--config", str(config.config_file), "--cache", str(config.cache_dir), "--jobs", "1"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_DIR, env={**os.environ, **env})


def test_pages_rendered_for_another_cache_are_never_reused(tmp_path: Path) -> None:
    """Issue 14: pages A with cache c1, B with cache c2, A with c1 again showed B's text."""
    config = project_copy(tmp_path)
    a, b = _pages(tmp_path / "a", "Alphacorp"), _pages(tmp_path / "b", "Betacorp")
    page = config.docs_dir / "cables" / "10CHENGDU28.md"
    convert(Config(pages=(a,), docs_dir=config.docs_dir, cache_dir=tmp_path / "c1"))
    convert(Config(pages=(b,), docs_dir=config.docs_dir, cache_dir=tmp_path / "c2"))
    report = convert(Config(pages=(a,), docs_dir=config.docs_dir, cache_dir=tmp_path / "c1"))
    assert "Alphacorp" in page.read_text(encoding="utf-8") and "Betacorp" not in page.read_text(encoding="utf-8")
    assert report.counts.pages_reused == 0
    again = convert(Config(pages=(a,), docs_dir=config.docs_dir, cache_dir=tmp_path / "c2"))
    assert again.counts.pages_reused == 1  # the file on disk carries the key: reuse still works


def test_a_page_edited_on_disk_without_its_key_is_rendered_again(tmp_path: Path) -> None:
    config = project_copy(tmp_path)
    a = _pages(tmp_path / "a", "Alphacorp")
    convert(Config(pages=(a,), docs_dir=config.docs_dir, cache_dir=config.cache_dir))
    (config.docs_dir / "cables" / ".render-keys.json").write_text("{not json", encoding="utf-8")
    report = convert(Config(pages=(a,), docs_dir=config.docs_dir, cache_dir=config.cache_dir))
    assert report.counts.pages_reused == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A site built from pages A, the state of a clean build from pages B, and both page sets."""
    root = tmp_path_factory.mktemp("faults")
    a, b = _pages(root / "a", "Alphacorp"), _pages(root / "b", "Betacorp")
    clean = project_copy(root / "clean", pages=(b,), jobs=1)
    build(clean)
    base = project_copy(root / "base", pages=(a,), jobs=1)
    build(base)
    return {"base": root / "base", "a": a, "b": b, "new": _state(clean), "old": _state(base)}


def _copy(built: dict, tmp_path: Path) -> Config:
    shutil.copytree(built["base"], tmp_path / "base")
    return project_copy(tmp_path / "unused", docs_dir=tmp_path / "base" / "site_src", config_file=tmp_path / "base" / "mkdocs.yml",
                        site_dir=tmp_path / "base" / "site", cache_dir=tmp_path / "base" / "cache", jobs=1)  # fmt: skip


@pytest.mark.parametrize("phase", faults.PHASES)
def test_a_kill_at_any_phase_boundary_leaves_both_folders_old_or_both_new(built: dict, tmp_path: Path, phase: str) -> None:
    config = _copy(built, tmp_path)
    killed = _cli_build(config, built["b"], CLEANSITE_KILL_AT=phase)
    assert killed.returncode == -9, killed.stderr
    finish_swap(config.docs_dir / JOURNAL_NAME)  # what every later run does first
    after = tuple({k: v for k, v in tree.items() if not k.startswith(".")} for tree in _state(config))  # leftovers aside
    assert after in (built["old"], built["new"]), f"mixed state after a kill at {phase}"
    assert after == (built["new"] if phase in ("journal-written", "swapped-0", "swapped-1") else built["old"])
    assert _cli_build(config, built["b"]).returncode == 0
    assert _state(config) == built["new"]
    assert not [p.name for p in config.docs_dir.parent.iterdir() if p.name.startswith(".")]


def _fill_the_disk_on_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing any Markdown page (as text or as bytes) fails as on a full disk."""

    def full(real_write):
        def write(self: Path, *args, **kwargs):
            if self.suffix == ".md":
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
            return real_write(self, *args, **kwargs)

        return write

    monkeypatch.setattr(Path, "write_text", full(Path.write_text))
    monkeypatch.setattr(Path, "write_bytes", full(Path.write_bytes))


def test_a_full_disk_while_writing_pages_leaves_the_previous_site(built: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _copy(built, tmp_path)
    _fill_the_disk_on_markdown(monkeypatch)
    with pytest.raises(OSError):
        build(Config(pages=(built["b"],), docs_dir=config.docs_dir, config_file=config.config_file, site_dir=config.site_dir,
                     cache_dir=config.cache_dir, jobs=1))  # fmt: skip
    monkeypatch.undo()
    assert _state(config) == built["old"]
    assert not [p for p in config.docs_dir.parent.rglob("*.tmp")]
    assert _cli_build(config, built["b"]).returncode == 0
    assert _state(config) == built["new"]


@pytest.mark.parametrize("phase", ["scanned", "rendered", "site-built"])
def test_ctrl_c_says_one_line_and_keeps_the_previous_site(built: dict, tmp_path: Path, phase: str) -> None:
    config = _copy(built, tmp_path)
    interrupted = _cli_build(config, built["b"], CLEANSITE_KILL_AT=phase, CLEANSITE_KILL_WITH="SIGINT")
    assert interrupted.returncode == 130
    assert interrupted.stderr.strip().splitlines()[-1] == "cleansite: interrupted; previous site intact"
    assert "Traceback" not in interrupted.stderr
    assert _state(config) == built["old"]
    assert not [p.name for p in config.docs_dir.parent.iterdir() if p.name.startswith(".")]


def test_a_full_disk_is_one_line_and_the_next_build_succeeds(built: dict, tmp_path: Path, monkeypatch, capsys) -> None:
    config = _copy(built, tmp_path)
    _fill_the_disk_on_markdown(monkeypatch)
    arguments = [str(built["b"]), "--docs", str(config.docs_dir), "--site", str(config.site_dir), "--config", str(config.config_file),
                 "--cache", str(config.cache_dir), "--jobs", "1"]  # fmt: skip
    assert main(["build", *arguments]) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error[-1].startswith("cleansite: no space left on device (writing or reading ") and error[-1].endswith("previous site is intact")
    assert "Traceback" not in "\n".join(error)
    monkeypatch.undo()
    assert _state(config) == built["old"]
    assert main(["build", *arguments]) == 0
    assert _state(config) == built["new"]


def test_a_second_build_is_refused_while_the_first_holds_the_lock(built: dict, tmp_path: Path, capsys) -> None:
    config = _copy(built, tmp_path)
    arguments = [str(built["b"]), "--docs", str(config.docs_dir), "--site", str(config.site_dir), "--config", str(config.config_file),
                 "--cache", str(config.cache_dir), "--jobs", "1"]  # fmt: skip
    with output_lock(config.docs_dir):
        assert main(["build", *arguments]) == 1
    assert capsys.readouterr().err.strip() == f"cleansite: another build is writing to {config.docs_dir}; run again when it has ended"
    assert _state(config) == built["old"]
    holder = subprocess.Popen([sys.executable, "-c", f"import fcntl, os, time; fd = os.open({str(config.docs_dir)!r}, os.O_RDONLY); "
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout.readline() == "held\n"
    holder.kill()  # a killed build: its lock goes with it
    holder.wait()
    assert main(["build", *arguments]) == 0
