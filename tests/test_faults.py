"""Fault injection: kills at every phase boundary, stale pages, a full disk, corrupt cache entries, a second build.

After any of them nothing built is lost or mixed, and the next build succeeds.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
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


# --- faults on a site of several pages: each fault leaves the previous site whole and unmixed ---------

# Three real pages of three forms; each build's copy carries the mark of its generation in its text.
MARKED = {
    "scoop-text/10CHENGDU28.txt": "Zongshen",
    "wikileaks-viewer/06TEGUCIGALPA526.html": "Summary: Honduran",
    "pdf-text/07KINGSTON382.txt": "Post requests the Department",
}
GENERATION = re.compile(rb"Genmark(\d+)x")


def _generation(root: Path, number: int) -> Path:
    """The three pages with ``Genmark<number>x`` in the body of each (replaced as bytes: the pdf-text page is Latin-1)."""
    folder = root / f"generation-{number}"
    folder.mkdir(parents=True, exist_ok=True)
    for page, anchor in MARKED.items():
        data = (PAGES_DIR / page).read_bytes()
        assert anchor.encode() in data
        (folder / Path(page).name).write_bytes(data.replace(anchor.encode(), f"{anchor} Genmark{number}x".encode(), 1))
    return folder


def _generations_shown(config: Config) -> set[int]:
    """The generations whose mark is in any file of the docs and site folders: one, if nothing is mixed."""
    found = set()
    for folder in (config.docs_dir, config.site_dir):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".json", ".js"):
                found.update(int(number) for number in GENERATION.findall(path.read_bytes()))
    return found


def _assert_whole(config: Config, state: tuple[dict, dict], generation: int) -> None:
    """The site is exactly ``state``, every page of it from ``generation``, and no run left anything behind."""
    assert _state(config) == state
    assert _generations_shown(config) == {generation}
    for cable in ("10CHENGDU28", "06TEGUCIGALPA526", "07KINGSTON382"):
        assert (config.docs_dir / "cables" / f"{cable}.md").is_file() and (config.site_dir / "cables" / f"{cable}.html").is_file()
    leftovers = [p.name for folder in (config.docs_dir.parent, config.site_dir.parent) for p in folder.iterdir() if ".new-" in p.name]
    assert not leftovers and not list(config.cache_dir.rglob("*.tmp")) and not list(config.docs_dir.parent.rglob("*.tmp"))


def _build_arguments(config: Config, pages: Path) -> list[str]:
    return [str(pages), "--docs", str(config.docs_dir), "--site", str(config.site_dir), "--config", str(config.config_file),
            "--cache", str(config.cache_dir), "--jobs", "1"]  # fmt: skip


def _build_ok(config: Config, pages: Path, generation: int) -> tuple[dict, dict]:
    """Build ``pages`` with the command line (in this process); it must succeed and show only ``generation``. Its state."""
    assert main(["build", *_build_arguments(config, pages)]) == 0
    assert _generations_shown(config) == {generation}
    return _state(config)


@pytest.fixture(scope="module")
def generation_one(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with a site built from generation 1 of the three pages."""
    root = tmp_path_factory.mktemp("generations")
    config = project_copy(root / "project", jobs=1)
    build(replace(config, pages=(_generation(root, 1),)))
    return root / "project"


def _project_at(generation_one: Path, where: Path) -> Config:
    """A copy of the generation-1 project at ``where``, and its settings."""
    shutil.copytree(generation_one, where, symlinks=True)
    return Config(pages=(), docs_dir=where / "site_src", config_file=where / "mkdocs.yml", site_dir=where / "site",
                  cache_dir=where / "cache", jobs=1)  # fmt: skip


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 48 MB tmpfs: a disk that really fills up. Mounting needs root; skipped, with the reason, otherwise."""
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs root (mount -t tmpfs); test_an_injected_full_disk_* cover the same without")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); test_an_injected_full_disk_* cover the same without")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until only about ``leave`` bytes are free; the filler file, to remove when done."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        while (free := shutil.disk_usage(disk).free) > leave:
            try:
                out.write(b"\0" * min(free - leave, 1 << 20))
                out.flush()
            except OSError:
                break
    return filler


@pytest.mark.slow
def test_a_real_full_disk_at_any_point_leaves_the_previous_site_and_the_next_build_succeeds(
    generation_one: Path, small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tmpfs filled to a few bytes, a few hundred KB and a few MB short: the build fails in its copy of the
    hand-written pages, its cache and Markdown, or in MkDocs; one line each, and the next build succeeds."""
    config = _project_at(generation_one, small_disk / "project")
    state, generation = _state(config), 1
    for leave in (4096, 300_000, 3_000_000):
        filler = _fill(small_disk, leave)
        assert main(["build", *_build_arguments(config, _generation(tmp_path, generation + 1))]) == 1
        error = capsys.readouterr().err.strip().splitlines()
        assert error[-1].startswith("cleansite: no space left on device") and error[-1].endswith("; the previous site is intact"), error
        assert "Traceback" not in "\n".join(error)
        _assert_whole(config, state, generation)
        filler.unlink()
        generation += 1
        state = _build_ok(config, _generation(tmp_path, generation), generation)
        _assert_whole(config, state, generation)


def _no_space(path: object, written: object = None) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path), None, None if written is None else str(written))


def _inject_full_disk(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make the disk full (ENOSPC) at one kind of write of a build, as a real full disk would there."""
    if where == "copying the hand-written pages":
        real_copy = shutil.copy2

        def copy2(source, target, *args, **kwargs):
            if ".site_src.new-" in str(target):
                raise _no_space(source, target)
            return real_copy(source, target, *args, **kwargs)

        monkeypatch.setattr(shutil, "copy2", copy2)
    elif where == "a cache entry":
        real_open = os.open

        def open_(path, flags, *args, **kwargs):
            if str(path).endswith(".tmp") and f"{os.sep}pages{os.sep}" in str(path):
                raise _no_space(path)
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", open_)
    elif where == "MkDocs writing the site":
        import mkdocs.utils

        def write_file(content: bytes, output_path: str) -> None:
            raise _no_space(output_path)

        monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    elif where == "the swap journal":

        def fsync(handle: int) -> None:
            raise _no_space("journal")

        monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("where", ["copying the hand-written pages", "a cache entry", "MkDocs writing the site", "the swap journal"])
def test_an_injected_full_disk_leaves_the_previous_site_and_the_next_build_succeeds(
    generation_one: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """ENOSPC at each kind of write a build makes (the tmpfs test fills a real disk; this one runs without root)."""
    config = _project_at(generation_one, tmp_path / "project")
    state = _state(config)
    with monkeypatch.context() as patched:
        _inject_full_disk(patched, where)
        assert main(["build", *_build_arguments(config, _generation(tmp_path, 2))]) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error[-1].startswith("cleansite: no space left on device") and error[-1].endswith("; the previous site is intact"), error
    assert "Traceback" not in "\n".join(error)
    _assert_whole(config, state, 1)
    _assert_whole(config, _build_ok(config, _generation(tmp_path, 2), 2), 2)


@pytest.mark.slow
def test_a_second_build_racing_the_first_is_refused_in_one_line_and_the_first_completes(
    generation_one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first build stops itself (SIGSTOP) between its two renames, the worst moment, holding the lock; a second one
    on the same output says so in one line and exits 1, touching nothing; the first then completes, a later build too.
    (A lock held while converting is test_a_second_build_is_refused_while_the_first_holds_the_lock.)"""
    phase = "swapped-0"
    config = _project_at(generation_one, tmp_path / "project")
    state = _state(config)
    env = {**os.environ, "CLEANSITE_KILL_AT": phase, "CLEANSITE_KILL_WITH": "SIGSTOP"}
    with (tmp_path / "first.err").open("w") as first_err:
        first = subprocess.Popen([sys.executable, "-m", "cleansite", "build", *_build_arguments(config, _generation(tmp_path, 2))],
                                 cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=first_err)  # fmt: skip
        try:
            _, status = os.waitpid(first.pid, os.WUNTRACED)  # back once the first build has stopped at the phase
            assert os.WIFSTOPPED(status), (tmp_path / "first.err").read_text()
            during = _state(config)
            assert main(["build", *_build_arguments(config, _generation(tmp_path, 3))]) == 1
            refused = capsys.readouterr().err.strip().splitlines()
            assert refused == [f"cleansite: another build is writing to {config.docs_dir}; run again when it has ended"]
            assert _state(config) == during != state  # half swapped, as the first left it; the second touched nothing
        finally:
            first.send_signal(signal.SIGCONT)
        assert first.wait(timeout=300) == 0, (tmp_path / "first.err").read_text()
    _assert_whole(config, _state(config), 2)
    _assert_whole(config, _build_ok(config, _generation(tmp_path, 3), 3), 3)


def _damage(entry: Path, how: int) -> None:
    """One of five kinds of damage: a flipped byte, half the file, garbage, a right checksum over a wrong shape, nothing."""
    data = entry.read_bytes() or b"x"
    middle = len(data) // 2
    if how == 0:
        entry.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1 :])
    elif how == 1:
        entry.write_bytes(data[:middle])
    elif how == 2:
        entry.write_bytes(os.urandom(len(data)))
    elif how == 3:
        magic = data.split(b" ")[:2]  # "cleansite-cache <version>"
        body = b'["document", [7], [], []]'
        entry.write_bytes(b" ".join([*magic, hashlib.sha256(body).hexdigest().encode()]) + b"\n" + body)
    else:
        entry.write_bytes(b"")


@pytest.mark.slow
def test_cache_entries_damaged_mid_series_are_dropped_and_every_build_succeeds(
    generation_one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build killed after its pages were cached; every cache entry then damaged, twice over: each build
    after that counts the damaged entries, parses their pages again and makes the same site as a clean cache."""
    config = _project_at(generation_one, tmp_path / "project")
    generation_one_state = _state(config)
    killed = _cli_build(config, _generation(tmp_path, 2), CLEANSITE_KILL_AT="rendered")
    assert killed.returncode == -9
    assert _state(config) == generation_one_state and _generations_shown(config) == {1}
    for generation in (2, 1):
        entries = sorted((config.cache_dir / "pages").rglob("*.json"))
        assert len(entries) == 6  # three pages of two generations
        for number, entry in enumerate(entries):
            _damage(entry, (number + generation) % 5)  # not the same damage twice: a byte flipped twice is whole again
        report = tmp_path / f"report-{generation}.json"
        assert main(["build", *_build_arguments(config, _generation(tmp_path, generation)), "--report", str(report)]) == 0
        assert json.loads(report.read_text(encoding="utf-8"))["summary"]["damaged cache entries (dropped, parsed again)"] == 3
        assert "Traceback" not in capsys.readouterr().err
        _assert_whole(config, _state(config), generation)
    assert _state(config) == generation_one_state  # the same site as the build from a clean cache
