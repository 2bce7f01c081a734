"""The benchmark: `python bench/run.py --sizes 2000 20000` (see README, "Scale and speed").

For each size N it makes a synthetic corpus from ../shared/corpus (bench/synth.py) and
measures, in one run on this machine: cleansite convert (pages/s, all cores and one),
trafilatura.extract on the same pages as the baseline, cleansite build against a plain
`mkdocs build` of the same Markdown, peak memory, the average document page, the bytes a
browser downloads for one search query (sharded, and Material's up to --material-search-up-to), the
time to the first result in Chromium, and the work of a rebuild after one page changed.
It prints a table and writes bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(PROJECT))

from synth import make_corpus  # noqa: E402

PYTHON = sys.executable
CORES = os.cpu_count() or 1


def timed(command: list[str], cwd: Path = PROJECT) -> tuple[float, float]:
    """Run a command; its wall time (s) and peak memory (MB, the largest process of the run)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)\n"
    )
    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, cwd=cwd, check=True).stdout.split()
    if out[2] != "0":
        raise RuntimeError(f"{command} failed with status {out[2]}")
    return float(out[0]), float(out[1])


def trafilatura_rate(pages: list[Path], sample: int) -> float:
    """Pages per second of trafilatura.extract (one core) on a sample of the same pages."""
    import trafilatura

    chosen = random.Random(1).sample(pages, min(sample, len(pages)))
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in chosen]
    start = time.perf_counter()
    for text in texts:
        trafilatura.extract(text)
    return len(texts) / (time.perf_counter() - start)


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
) -> dict:
    """Every figure for one corpus size."""
    corpus = work / f"corpus-{size}"
    pages = sorted(p for p in corpus.rglob("*") if p.is_file()) if reuse and corpus.is_dir() else []
    if not pages:
        pages = make_corpus(PROJECT.parent / "shared" / "corpus", corpus, size)
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
    if convert:
        seconds, memory = timed([*cli, "convert", str(corpus), "--docs", str(docs), "--cache", str(cache)])
        row["convert_pages_per_s"] = len(pages) / seconds
        row["convert_peak_mb"] = memory
    if convert and one_core:
        shutil.rmtree(cache)
        seconds, _ = timed([*cli, "convert", str(corpus), "--docs", str(docs), "--cache", str(cache), "--jobs", "1"])
        row["convert_one_core_pages_per_s"] = len(pages) / seconds
    if convert:
        row["trafilatura_pages_per_s"] = trafilatura_rate(pages, trafilatura_sample)
        row["convert_vs_trafilatura"] = row["convert_pages_per_s"] / row["trafilatura_pages_per_s"]
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


def search_bytes(site: Path) -> dict:
    """Bytes a browser downloads for one query (beyond the page itself)."""
    from cleansite.search import query_bytes

    return query_bytes(site, "Zongshen")


def rebuild_after_one_change(corpus: Path, pages: list[Path], cli: list[str], docs: Path, cache: Path) -> dict:
    """Change one word of one page, convert again: how many pages were parsed and rendered."""
    page = next(p for p in pages if "wikileaks" in str(p) and "TRIPOLI" in p.name)
    page.write_text(page.read_text(encoding="utf-8").replace("Qadhafi", "Qadhafi (changed)", 1), encoding="utf-8")
    report = corpus.parent / "rebuild-report.json"
    start = time.perf_counter()
    subprocess.run([*cli, "convert", str(corpus), "--docs", str(docs), "--cache", str(cache), "--report", str(report)],
                   check=True, capture_output=True, cwd=PROJECT)  # fmt: skip
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    return {
        "rebuild_s": time.perf_counter() - start,
        "rebuild_pages_parsed": len(pages) - summary["pages parsed from cache"],
        "rebuild_pages_rendered": summary["pages rendered"],
    }


def print_table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"cleansite benchmark ({CORES} cores)")
    table.add_column("figure")
    for row in rows:
        table.add_column(f"N = {row['pages']:,}", justify="right")
    for key in rows[0]:
        table.add_row(key, *[_fmt(row.get(key)) for row in rows])
    Console().print(table)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="corpus sizes (default: 2000 20000)")
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="work folder (default: bench/out)")
    parser.add_argument("--trafilatura-sample", type=int, default=400, help="pages given to trafilatura (default 400)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain mkdocs build (for very large N)")
    parser.add_argument("--no-one-core", action="store_true", help="skip the one-core conversion run (for very large N)")
    parser.add_argument("--no-convert", action="store_true", help="skip the separate convert runs (for very large N)")
    parser.add_argument("--reuse-corpus", action="store_true", help="reuse the synthetic corpus an earlier run made")
    parser.add_argument(
        "--material-search-up-to", type=int, default=2000, metavar="N",
        help="also build with Material's search and measure it, for sizes up to N (default 2000; it loads the whole index)",
    )  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
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
        )
        for size in args.sizes
    ]
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        growth = large["pages"] / small["pages"]
        large["size_ratio_vs_first"] = growth
        large["build_time_ratio_vs_first"] = large["build_s"] / small["build_s"]
        large["page_size_change_pct"] = (large["avg_document_page_kb"] / small["avg_document_page_kb"] - 1) * 100
        large["peak_memory_ratio_vs_first"] = large["build_peak_mb"] / small["build_peak_mb"]
    results = args.work / "results.json"
    previous = json.loads(results.read_text()) if results.exists() else {}
    previous.update({str(row["pages"]): row for row in rows})
    results.write_text(json.dumps(previous, indent=1) + "\n")
    print_table(rows)


if __name__ == "__main__":
    main()
