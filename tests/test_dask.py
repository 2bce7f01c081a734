"""``--executor dask``: the per-page stages on a Dask cluster give what the built-in pool gives.

Run on local Dask clusters (skipped when ``distributed`` is not installed: ``pip install -e ".[dask]"``;
``.ci/run`` installs it, so CI runs them).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from cleansite import dask_executor, stages
from cleansite.cache import DocumentCache
from cleansite.cli import main
from cleansite.config import Config
from cleansite.convert import convert_bytes
from cleansite.load import find_pages
from cleansite.model import PageError
from cleansite.pipeline import convert, parse_records
from conftest import CORPUS_DIR, PAGES_DIR, PROJECT_DIR

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")  # another local cluster runs


@pytest.fixture(scope="module")
def scheduler() -> str:
    """A local cluster of two worker processes (one thread each) for the module: its scheduler's address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:  # fmt: skip
        yield cluster.scheduler_address


def sample() -> list[Path]:
    """The test pages of every source, the samples, and every 20th page of the corpus when it is here."""
    pages = find_pages([PAGES_DIR, PROJECT_DIR / "samples"])
    return pages + (find_pages([CORPUS_DIR])[::20] if CORPUS_DIR.is_dir() else [])


def outputs(work: Path, pages: list[Path], **run) -> dict[str, str]:
    """The SHA-256 of every record of ``cleansite parse`` and of every Markdown page ``convert`` writes."""
    records = dict(zip(map(str, pages), parse_records(pages, 2, work / "cache", **run), strict=True))
    found = {f"record {page}": hashlib.sha256(line.encode()).hexdigest() for page, (line, _) in records.items()}
    convert(Config(pages=tuple(pages), docs_dir=work / "docs", cache_dir=work / "cache", jobs=2, **run))
    for page in sorted((work / "docs").rglob("*.md")):
        found[str(page.relative_to(work))] = hashlib.sha256(page.read_bytes()).hexdigest()
    return found


def test_dask_gives_what_the_pool_gives(tmp_path: Path, scheduler: str) -> None:
    pages = sample()
    pool = outputs(tmp_path / "pool", pages)
    dask = outputs(tmp_path / "dask", pages, executor="dask", scheduler=scheduler)
    assert len(pool) > len(pages)  # a record per page, and the Markdown pages
    assert dask == pool


def test_a_local_cluster_by_default_and_bad_pages_get_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "10CHENGDU28.txt").write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())
    (pages / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    arguments = ["convert", str(pages), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "cache"), "--jobs", "2"]
    assert main([*arguments, "--executor", "dask"]) == 0
    assert (tmp_path / "docs" / "cables" / "10CHENGDU28.md").is_file()
    errors = [line for line in capsys.readouterr().err.splitlines() if "picture.html" in line]
    assert len(errors) == 1 and "binary file (PNG image)" in errors[0]


def test_the_page_time_limit_holds_in_dask_worker_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask runs tasks in threads, where SIGALRM cannot reach: the limit raises in the thread instead."""
    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    slow.write_text("UNCLAS CHENGDU 000028\n\nSUBJECT: SLOW\n\n1. (U) slow\n", encoding="utf-8")
    fine.write_bytes((PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_bytes())

    def never_ending(path: Path, data: bytes, record_removed: bool = False, boilerplate=None):
        while path.name == "slow.txt":
            pass
        return convert_bytes(path, data)

    monkeypatch.setattr(stages, "convert_or_error", never_ending)  # in-process workers (threads) see it
    context = stages.RunContext(DocumentCache(tmp_path / "cache"), page_timeout=0.5)
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster, dask_executor.DaskExecutor(cluster.scheduler_address, 1) as executor:
        results = [s.result for s in stages.run_stage(stages.scan_one, [slow, fine], 1, context, lambda: None, executor=executor)]
    assert results[0] == PageError(slow, "took longer than 0.5 s to convert (--page-timeout), left out")
    assert results[1].id == "10CHENGDU28"


def test_workers_running_another_cleansite_are_refused(tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_executor, "generator_version", lambda: "another version")
    with pytest.raises(dask_executor.ClusterUnusable, match="run another cleansite"), dask_executor.DaskExecutor(scheduler, 2):
        pass


def test_a_scheduler_address_on_the_command_line(tmp_path: Path, scheduler: str) -> None:
    arguments = ["parse", str(PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"), "--cache", str(tmp_path / "cache")]
    assert main([*arguments, "--scheduler", scheduler]) == 0


def test_without_dask_installed_one_line_says_what_to_install(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    page = PAGES_DIR / "scoop-text" / "10CHENGDU28.txt"
    assert main(["convert", str(page), "--docs", str(tmp_path / "docs"), "--cache", str(tmp_path / "c"), "--executor", "dask"]) == 1
    expected = f"cleansite: --executor dask needs Dask's distributed scheduler: {dask_executor.INSTALL_HINT}"
    assert capsys.readouterr().err.strip().splitlines() == [expected]


def test_workers_dying_end_the_run_in_one_line() -> None:
    from cleansite.checks import failure_line
    from distributed import KilledWorker

    line = failure_line(KilledWorker("scan-chunk", "tcp://127.0.0.1:1", 3))
    assert line == "Dask workers died running the same pages (out of memory?); the previous site is intact"
