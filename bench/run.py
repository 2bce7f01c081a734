"""The benchmark: `python bench/run.py --sizes 2000 20000` (see README, "Scale and speed").

`python bench/run.py --build-only --sizes 2000 20000` measures only the build: for each
size, in one run on the same pages, `cleansite build` (cold cache) against a plain `mkdocs
build` of the Markdown it wrote, time(20k) / time(2k), and the rebuild after one page
changed (`cleansite convert`, three times). `python bench/run.py --release` makes the whole
release (251,287 pages) and builds it once, reporting time and the peak memory of the whole
process tree (bench/treemem.py).

First, conversion per core on the real viewer pages of ../shared/corpus (wikileaks*/):
`cleansite convert --jobs 1` (cold cache, a whole process) against trafilatura.extract in
one process, on the same pages, alternated --repeat times; the conversion stage alone on the
same footing as trafilatura (both in this process, bytes read beforehand, imports not
counted, in the same loop); `cleansite convert` on all cores, labelled as such; with --dask, the built-in pool
against `--executor dask` (a local cluster of as many workers). Then, for each size N, it makes a
synthetic corpus from ../shared/corpus (bench/synth.py) and measures, in one run on this
machine: conversion per core the same way on a sample of its pages, `cleansite convert` on
all of them with all cores (labelled as such), cleansite build against a plain
`mkdocs build` of the same Markdown, peak memory, the average document page, the bytes a
browser downloads for one search query (sharded, and Material's up to --material-search-up-to), the
time to the first result in Chromium, and the work of a rebuild after one page changed.
It prints a table and writes bench/out/results.json.

Rates are given per wall-clock second and per CPU second (user + system of the processes
that did the work): on a shared machine the CPU figure is the steadier one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(PROJECT))

from synth import make_corpus  # noqa: E402
from treemem import run_measured  # noqa: E402

PYTHON = sys.executable
CORES = os.cpu_count() or 1
CORPUS = PROJECT.parent / "shared" / "corpus"


def timed(command: list[str], cwd: Path = PROJECT) -> tuple[float, float]:
    """Run a command; its wall time (s) and peak memory (MB, the largest process of the run)."""
    seconds, _, memory = timed_cpu(command, cwd)
    return seconds, memory


def timed_cpu(command: list[str], cwd: Path = PROJECT, env: dict | None = None) -> tuple[float, float, float]:
    """Run a command; its wall time (s), CPU time (s, user + system of it and its children) and peak memory (MB)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)\n"
    )
    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, cwd=cwd, check=True, env=env).stdout.split()
    if out[3] != "0":
        raise RuntimeError(f"{command} failed with status {out[3]}")
    return float(out[0]), float(out[1]), float(out[2])


def trafilatura_seconds(pages: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of trafilatura.extract over ``pages`` in this one process (the bytes read beforehand)."""
    import trafilatura

    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in pages]
    trafilatura.extract(texts[0])  # imports and first-use set-up are not counted
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        trafilatura.extract(text)
    return time.perf_counter() - wall, time.process_time() - cpu


def per_core(label: str, pages: list[Path], inputs: list[Path], work: Path, repeat: int, baseline: Path | None = None) -> dict:
    """Conversion per core: ``cleansite convert --jobs 1`` (cold cache) against trafilatura, same pages, alternated.

    ``inputs`` are the PAGES given to cleansite (folders or files) and hold exactly ``pages``.
    Each figure is the median of ``repeat`` runs; the ratio is taken per wall second and per CPU second.
    ``baseline``: a folder whose ``cleansite`` is another commit's code (``baseline_code``), run in the same loop.
    The same loop also times the conversion stage alone on trafilatura's footing (``stage_seconds``).
    """
    cache, docs = work / f"{label}-cache", work / f"{label}-docs"
    names = ("cs_wall", "cs_cpu", "tf_wall", "tf_cpu", "stage_cpu", "base_wall", "base_cpu")
    runs: dict[str, list[float]] = {name: [] for name in names}
    convert = [PYTHON, "-m", "cleansite", "convert", *map(str, inputs), "--docs", str(docs), "--cache", str(cache), "--jobs", "1"]
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        wall, cpu, _ = timed_cpu(convert)
        runs["cs_wall"].append(wall)
        runs["cs_cpu"].append(cpu)
        wall, cpu = trafilatura_seconds(pages)
        runs["tf_wall"].append(wall)
        runs["tf_cpu"].append(cpu)
        runs["stage_cpu"].append(stage_seconds(pages))
        if baseline is not None:
            shutil.rmtree(cache, ignore_errors=True)
            wall, cpu, _ = timed_cpu(convert, env={**os.environ, "PYTHONPATH": str(baseline)})
            runs["base_wall"].append(wall)
            runs["base_cpu"].append(cpu)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(docs, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in runs.items() if values} | {"runs": repeat}
    n = len(pages)
    if baseline is not None:
        return {
            f"{label}_baseline_1core_pages_per_cpu_s": n / median["base_cpu"],
            f"{label}_baseline_per_core_ratio_cpu": median["tf_cpu"] / median["base_cpu"],
            f"{label}_baseline_per_core_ratio_wall": median["tf_wall"] / median["base_wall"],
            f"{label}_speedup_vs_baseline_cpu": median["base_cpu"] / median["cs_cpu"],
            **per_core_row(label, n, median),
        }
    return per_core_row(label, n, median)


def baseline_code(commit: str, work: Path) -> Path:
    """A folder whose ``cleansite`` package is ``commit``'s generator/, beside its bundled files.

    Put first on PYTHONPATH, that package is imported instead of the installed one.
    """
    folder = work / f"baseline-{commit}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    parts = ["generator", "mkdocs.yml", "theme", "site_src", "samples"]
    archive = subprocess.run(["git", "archive", commit, *parts], capture_output=True, check=True, cwd=PROJECT).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "generator").rename(folder / "cleansite")
    return folder


def per_core_row(label: str, n: int, median: dict) -> dict:
    """The per-core figures of ``per_core`` from the medians of its runs."""
    return {
        f"{label}_pages": n,
        f"{label}_runs": median["runs"],
        f"{label}_cleansite_1core_pages_per_s": n / median["cs_wall"],
        f"{label}_cleansite_1core_pages_per_cpu_s": n / median["cs_cpu"],
        f"{label}_trafilatura_pages_per_s": n / median["tf_wall"],
        f"{label}_trafilatura_pages_per_cpu_s": n / median["tf_cpu"],
        f"{label}_per_core_ratio_wall": median["tf_wall"] / median["cs_wall"],
        f"{label}_per_core_ratio_cpu": median["tf_cpu"] / median["cs_cpu"],
        f"{label}_stage_only_cleansite_pages_per_cpu_s": n / median["stage_cpu"],
        f"{label}_stage_only_ratio_cpu": median["tf_cpu"] / median["stage_cpu"],
    }


def stage_seconds(pages: list[Path]) -> float:
    """CPU seconds of the conversion stage alone (decode, detect, strip, parse: ``convert.convert_or_error``) over ``pages``
    in this process, the bytes read beforehand and imports not counted: trafilatura.extract's footing.

    No process start, no cache, no links, no Markdown written.
    """
    from cleansite.convert import convert_or_error

    data = [(page, page.read_bytes()) for page in pages]
    convert_or_error(*data[0], record_removed=False)  # imports and first-use set-up are not counted, as for trafilatura
    cpu = time.process_time()
    for page, content in data:
        convert_or_error(page, content, record_removed=False)
    return time.process_time() - cpu


def all_cores(label: str, pages: list[Path], inputs: list[Path], work: Path, trafilatura_per_s: float | None) -> dict:
    """``cleansite convert`` with every core (cold cache, a whole process), on the same pages; not a per-core figure."""
    cache, docs = work / f"{label}-cache", work / f"{label}-docs"
    shutil.rmtree(cache, ignore_errors=True)
    wall, cpu, memory = timed_cpu([PYTHON, "-m", "cleansite", "convert", *map(str, inputs), "--docs", str(docs), "--cache", str(cache)])
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(docs, ignore_errors=True)
    row = {f"{label}_cleansite_all_{CORES}_cores_pages_per_s": len(pages) / wall, f"{label}_cleansite_all_{CORES}_cores_peak_mb": memory}
    if trafilatura_per_s:
        row[f"{label}_all_{CORES}_cores_vs_trafilatura_1_core_wall"] = len(pages) / wall / trafilatura_per_s
    return row


def executors(label: str, pages: list[Path], inputs: list[Path], work: Path, repeat: int) -> dict:
    """The built-in pool against ``--executor dask`` (a local cluster), both ``--jobs CORES``, cold cache, same pages, alternated.

    The Dask figure includes starting and closing the local cluster (about as long as a run of 1,500 pages takes here).
    """
    cache, docs = work / f"{label}-cache", work / f"{label}-docs"
    runs: dict[str, list[float]] = {"pool_wall": [], "pool_cpu": [], "dask_wall": [], "dask_cpu": []}
    for _ in range(repeat):
        for name in ("pool", "dask"):
            shutil.rmtree(cache, ignore_errors=True)
            wall, cpu, _ = timed_cpu([PYTHON, "-m", "cleansite", "convert", *map(str, inputs), "--docs", str(docs), "--cache", str(cache),
                                      "--jobs", str(CORES), "--executor", name])  # fmt: skip
            runs[f"{name}_wall"].append(wall)
            runs[f"{name}_cpu"].append(cpu)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(docs, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in runs.items()}
    n = len(pages)
    return {
        f"{label}_pool_{CORES}_workers_pages_per_s": n / median["pool_wall"],
        f"{label}_dask_{CORES}_workers_pages_per_s": n / median["dask_wall"],
        f"{label}_dask_vs_pool_wall": median["pool_wall"] / median["dask_wall"],
        f"{label}_pool_cpu_s": median["pool_cpu"],
        f"{label}_dask_cpu_s": median["dask_cpu"],
    }


def commit() -> str:
    """The commit measured (with ``+`` when the work tree has changes)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=PROJECT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=PROJECT).stdout
    return head + ("+" if dirty.strip() else "")


def real_viewer_pages(limit: int | None) -> tuple[list[Path], list[Path]]:
    """The real viewer HTML pages of the shared corpus (wikileaks*/), all or an even sample of ``limit``; and the PAGES to give."""
    folders = sorted(CORPUS.glob("wikileaks*"))
    pages = sorted(p for folder in folders for p in folder.rglob("*.html"))
    if limit is None or limit >= len(pages):
        return pages, folders
    return sample_folder(random.Random(1).sample(pages, limit), BENCH / "out" / "real-sample", CORPUS)


def sample_folder(chosen: list[Path], folder: Path, root: Path) -> tuple[list[Path], list[Path]]:
    """Copy ``chosen`` pages (keeping their paths under ``root``) into ``folder``: a PAGES folder holding just them."""
    shutil.rmtree(folder, ignore_errors=True)
    copies = []
    for page in sorted(chosen):
        target = folder / page.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        copies.append(target)
    return copies, [folder]


def first_result_seconds(site: Path, query: str) -> float | None:
    """Seconds from opening the served home page to the first search result (Chromium), or None."""
    import functools
    import http.server
    import threading

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.locator(".md-search__input").press_sequentially(query, delay=20)
            page.locator(".md-search-result__item").first.wait_for(timeout=600_000)
            seconds = time.perf_counter() - start
            browser.close()
            return seconds
    finally:
        server.shutdown()


def measure(
    size: int,
    work: Path,
    trafilatura_sample: int,
    baseline: bool,
    one_core: bool = True,
    convert: bool = True,
    reuse: bool = False,
    material_up_to: int = 2000,
    repeat: int = 1,
    build: bool = True,
    build_only: bool = False,
) -> dict:
    """Every figure for one corpus size (``build=False``: conversion and the rebuild after one change only;
    ``build_only``: the build against plain MkDocs and the rebuild after one change only)."""
    corpus = work / f"corpus-{size}"
    pages = sorted(p for p in corpus.rglob("*") if p.is_file()) if reuse and corpus.is_dir() else []
    if not pages:
        pages = make_corpus(CORPUS, corpus, size)
    row: dict = {"pages": len(pages)}
    project = work / f"project-{size}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(PROJECT / "site_src", project / "site_src", ignore=shutil.ignore_patterns("cables"))
    shutil.copytree(PROJECT / "theme", project / "theme")
    shutil.copy(PROJECT / "mkdocs.yml", project / "mkdocs.yml")
    cli = [PYTHON, "-m", "cleansite"]
    docs, cache = project / "site_src", project / "cache"

    for page in pages:  # every run below (and the baseline) finds the pages in the OS file cache
        page.read_bytes()
    if build_only:
        row.update(build_against_mkdocs(corpus, project, cli, docs, cache))
        row.update(rebuild_after_one_change(corpus, pages, cli, docs, cache, times=3))
        return row
    if convert:  # per core: a sample of the pages, cleansite --jobs 1 and trafilatura on exactly those
        chosen = random.Random(1).sample(pages, min(trafilatura_sample, len(pages)))
        sample, inputs = sample_folder(chosen, work / f"sample-{size}", corpus)
        row.update(per_core("synthetic", sample, inputs, work, repeat))
    if convert and one_core:  # one core, every page of the corpus
        seconds, cpu, _ = timed_cpu([*cli, "convert", str(corpus), "--docs", str(docs), "--cache", str(cache), "--jobs", "1"])
        row["convert_1core_all_pages_per_s"] = len(pages) / seconds
        row["convert_1core_all_pages_per_cpu_s"] = len(pages) / cpu
    shutil.rmtree(cache, ignore_errors=True)
    if convert or not build:  # all cores, every page of the corpus (cold cache)
        seconds, memory = timed([*cli, "convert", str(corpus), "--docs", str(docs), "--cache", str(cache)])
        row[f"convert_all_{CORES}_cores_pages_per_s"] = len(pages) / seconds
        row["convert_peak_mb"] = memory
        if "synthetic_trafilatura_pages_per_s" in row:
            row[f"convert_all_{CORES}_cores_vs_trafilatura_1_core"] = len(pages) / seconds / row["synthetic_trafilatura_pages_per_s"]
    if not build:
        row.update(rebuild_after_one_change(corpus, pages, cli, docs, cache))
        return row
    shutil.rmtree(cache, ignore_errors=True)
    seconds, memory = timed([*cli, "build", str(corpus), "--docs", str(docs), "--site", str(project / "site"),
                             "--config", str(project / "mkdocs.yml"), "--cache", str(cache)])  # fmt: skip
    row["build_s"], row["build_peak_mb"] = seconds, memory
    if baseline:
        seconds, memory = timed(
            [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / "plain-site")]
        )
        row["plain_mkdocs_s"], row["plain_mkdocs_peak_mb"] = seconds, memory
        row["build_vs_plain_mkdocs"] = row["build_s"] / seconds
    cables = [p for p in (project / "site" / "cables").glob("*.html") if p.stem != "index"]
    row["documents"] = len(cables)
    row["avg_document_page_kb"] = sum(p.stat().st_size for p in cables) / len(cables) / 1024
    row.update(search_bytes(project / "site"))
    row["first_result_s"] = first_result_seconds(project / "site", "Zongshen")
    row.update(rebuild_after_one_change(corpus, pages, cli, docs, cache))
    if size <= material_up_to:  # the other search, for comparison: Material's one index (after the rebuild: it renders every page again)
        material_site = project / "site-material-search"
        timed([*cli, "build", str(corpus), "--docs", str(docs), "--site", str(material_site), "--config",
               str(project / "mkdocs.yml"), "--cache", str(cache), "--search", "material"])  # fmt: skip
        row["material_search_query_bytes"] = search_bytes(material_site)["query_bytes"]
        row["material_search_first_result_s"] = first_result_seconds(material_site, "Zongshen")
    return row


def build_against_mkdocs(corpus: Path, project: Path, cli: list[str], docs: Path, cache: Path) -> dict:
    """``cleansite build`` (cold cache) and a plain ``mkdocs build`` of the Markdown it wrote, one after the other:
    wall seconds, the peak memory of each process tree, the load of the machine before each."""
    shutil.rmtree(cache, ignore_errors=True)
    row = {"load_before_build": os.getloadavg()[0]}
    built = run_measured([*cli, "build", str(corpus), "--docs", str(docs), "--site", str(project / "site"),
                          "--config", str(project / "mkdocs.yml"), "--cache", str(cache)], cwd=PROJECT)  # fmt: skip
    if built.returncode != 0:
        raise RuntimeError(f"cleansite build failed with status {built.returncode}")
    row["load_before_plain"] = os.getloadavg()[0]
    plain = run_measured([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / "plain-site")],
                         cwd=PROJECT)  # fmt: skip
    if plain.returncode != 0:
        raise RuntimeError(f"mkdocs build failed with status {plain.returncode}")
    cables = [p for p in (project / "site" / "cables").glob("*.html") if p.stem != "index"]
    return {
        **row,
        "build_s": built.seconds,
        "plain_mkdocs_s": plain.seconds,
        "build_vs_plain_mkdocs": built.seconds / plain.seconds,
        "build_peak_pss_mb": built.peak_pss_mb,
        "build_peak_process_mb": built.peak_process_mb,
        "plain_mkdocs_peak_mb": plain.peak_process_mb,
        "documents": len(cables),
        "avg_document_page_kb": sum(p.stat().st_size for p in cables) / len(cables) / 1024,
    }


def search_bytes(site: Path) -> dict:
    """Bytes a browser downloads for one query (beyond the page itself)."""
    from cleansite.search import query_bytes

    return query_bytes(site, "Zongshen")


def rebuild_after_one_change(corpus: Path, pages: list[Path], cli: list[str], docs: Path, cache: Path, times: int = 1) -> dict:
    """Change one word of one page, convert again (``times`` times): the median seconds, how many pages were parsed and rendered."""
    page = next(p for p in pages if "wikileaks" in str(p) and "TRIPOLI" in p.name)
    report = corpus.parent / "rebuild-report.json"
    seconds = []
    for _ in range(times):
        page.write_text(page.read_text(encoding="utf-8").replace("Qadhafi", "Qadhafi (changed)", 1), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([*cli, "convert", str(corpus), "--docs", str(docs), "--cache", str(cache), "--report", str(report)],
                       check=True, capture_output=True, cwd=PROJECT)  # fmt: skip
        seconds.append(time.perf_counter() - start)
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    return {
        "rebuild_s": statistics.median(seconds),
        "rebuild_runs_s": " ".join(f"{s:.1f}" for s in seconds),
        "rebuild_pages_parsed": len(pages) - summary["pages parsed from cache"],
        "rebuild_pages_rendered": summary["pages rendered"],
    }


def print_table(rows: list[dict], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"cleansite benchmark, {title} ({CORES} cores)")
    table.add_column("figure")
    for row in rows:
        table.add_column(f"N = {row['pages']:,}", justify="right")
    for key in dict.fromkeys(key for row in rows for key in row):
        table.add_row(key, *[_fmt(row.get(key)) for row in rows])
    Console().print(table)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[2000, 20000], help="synthetic corpus sizes (default: 2000 20000; none: real pages only)"
    )
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="work folder (default: bench/out)")
    parser.add_argument("--real-pages", type=int, default=None, metavar="N",
                        help="per core on real pages: an even sample of N viewer pages (default: all of them, 1,486)")  # fmt: skip
    parser.add_argument("--no-real", action="store_true", help="skip the per-core run on the real pages")
    parser.add_argument("--dask", action="store_true", help="also the built-in pool against --executor dask on the real pages")
    parser.add_argument("--baseline-commit", metavar="COMMIT", help="also run that commit's code in the per-core loop on the real pages")
    parser.add_argument("--repeat", type=int, default=1, help="per-core runs, alternating cleansite and trafilatura (median; default 1)")
    parser.add_argument("--trafilatura-sample", type=int, default=400, help="synthetic pages in the per-core comparison (default 400)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain mkdocs build (for very large N)")
    parser.add_argument("--no-one-core", action="store_true", help="skip the one-core conversion of every page (for very large N)")
    parser.add_argument("--no-convert", action="store_true", help="skip the separate convert runs (for very large N)")
    parser.add_argument("--no-build", action="store_true", help="conversion and the rebuild after one change only: no site build")
    parser.add_argument("--reuse-corpus", action="store_true", help="reuse the synthetic corpus an earlier run made")
    parser.add_argument("--build-only", action="store_true",
                        help="only the build against plain MkDocs, time(last)/time(first) and the rebuild after one change")  # fmt: skip
    parser.add_argument("--release", type=int, nargs="?", const=251_287, metavar="N",
                        help="make the whole release (N pages, default 251,287) and build it once: time and peak memory")  # fmt: skip
    parser.add_argument(
        "--material-search-up-to", type=int, default=2000, metavar="N",
        help="also build with Material's search and measure it, for sizes up to N (default 2000; it loads the whole index)",
    )  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = args.work / "results.json"
    previous = json.loads(results.read_text()) if results.exists() else {}
    if args.release:
        previous["release"] = release(args.release, args.work, args.reuse_corpus)
        results.write_text(json.dumps(previous, indent=1) + "\n")
        print_table([previous["release"]], "the whole release, one cold build")
        return
    if not args.no_real and not args.build_only:
        pages, inputs = real_viewer_pages(args.real_pages)
        for page in pages:
            page.read_bytes()
        baseline = baseline_code(args.baseline_commit, args.work) if args.baseline_commit else None
        real = {"pages": len(pages), "commit": commit(), "baseline_commit": args.baseline_commit}
        real.update(per_core("real", pages, inputs, args.work, args.repeat, baseline))
        real.update(all_cores("real", pages, inputs, args.work, real["real_trafilatura_pages_per_s"]))
        if args.dask:
            real.update(executors("real", pages, inputs, args.work, args.repeat))
        previous["real"] = real
        print_table([real], "conversion per core, real viewer pages (../shared/corpus/wikileaks*/)")
    rows = [
        measure(
            size,
            args.work,
            args.trafilatura_sample,
            not args.no_baseline,
            not args.no_one_core,
            not args.no_convert,
            args.reuse_corpus,
            args.material_search_up_to,
            args.repeat,
            not args.no_build,
            args.build_only,
        )
        for size in args.sizes
    ]
    if len(rows) >= 2 and not args.no_build:
        small, large = rows[0], rows[-1]
        growth = large["pages"] / small["pages"]
        large["size_ratio_vs_first"] = growth
        large["build_time_ratio_vs_first"] = large["build_s"] / small["build_s"]
        large["page_size_change_pct"] = (large["avg_document_page_kb"] / small["avg_document_page_kb"] - 1) * 100
        memory = "build_peak_pss_mb" if args.build_only else "build_peak_mb"
        large["peak_memory_ratio_vs_first"] = large[memory] / small[memory]
    previous.update({str(row["pages"]): {"commit": commit(), **row} for row in rows})
    results.write_text(json.dumps(previous, indent=1) + "\n")
    if rows:
        print_table(rows, "synthetic corpus (bench/synth.py)")


def release(size: int, work: Path, reuse: bool) -> dict:
    """Make ``size`` pages (the whole release by default) and build them once, cold: time and the process tree's peak memory."""
    corpus, project = work / f"corpus-{size}", work / f"project-{size}"
    pages = sum(1 for p in corpus.rglob("*") if p.is_file()) if reuse and corpus.is_dir() else 0
    pages = pages or len(make_corpus(CORPUS, corpus, size))
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(PROJECT / "site_src", project / "site_src", ignore=shutil.ignore_patterns("cables"))
    shutil.copytree(PROJECT / "theme", project / "theme")
    shutil.copy(PROJECT / "mkdocs.yml", project / "mkdocs.yml")
    load = os.getloadavg()
    folders = ["--docs", str(project / "site_src"), "--site", str(project / "site"), "--cache", str(project / "cache")]
    built = run_measured([PYTHON, "-m", "cleansite", "build", str(corpus), *folders, "--config", str(project / "mkdocs.yml")], cwd=PROJECT)
    cables = sum(1 for p in (project / "site" / "cables").glob("*.html")) - 1
    return {"pages": pages, "documents": cables, "status": built.returncode, "build_s": built.seconds, "build_min": built.seconds / 60,
            "peak_pss_mb (whole tree)": built.peak_pss_mb, "peak_rss_mb (whole tree, shared pages in each)": built.peak_rss_mb,
            "peak_process_mb": built.peak_process_mb, "processes (most at once)": built.processes,
            "load_before": " ".join(f"{x:.1f}" for x in load), "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg())}  # fmt: skip


if __name__ == "__main__":
    main()
